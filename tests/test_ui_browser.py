"""The chat app in a real browser: Debian's chromium, driven headless by Playwright.

Install the browser with ``make browser``; Playwright downloads none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kennisbank.config import Settings
from kennisbank.feedback import FEEDBACK_FILE
from kennisbank.knowledgebase import KnowledgeBase

pytestmark = pytest.mark.integration  # real model, server, browser or real timings

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install it with `make browser`")
    with playwright.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Session:
    page: object
    requests: list[str] = field(default_factory=list)

    def ask(self, question: str) -> object:
        """Ask in the chat; wait until the answer has streamed in and its sources are shown."""
        page = self.page
        before = page.locator("#kb-sources .kb-sources").count()
        page.locator("#kb-question textarea").fill(question)
        page.locator("#kb-ask").click()
        if before:
            page.wait_for_function("() => !document.querySelector('#kb-sources .kb-sources')")
        page.locator("#kb-sources .kb-sources").wait_for(timeout=30_000)
        return page.locator("#kb-chat [data-testid=bot]").last


@pytest.fixture
def session(browser: object, app_url: str) -> Iterator[Session]:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    session = Session(page)
    page.on("request", lambda request: session.requests.append(request.url))
    page.goto(app_url)
    page.locator("#kb-ask").wait_for()
    yield session
    context.close()


def test_answer_with_source_card_and_no_outside_requests(session: Session, kb: KnowledgeBase) -> None:
    page = session.page
    answer = session.ask("Wat is MDA++?")
    assert "[1]" in answer.inner_text()

    card = page.locator("#kb-sources details.kb-card").first
    assert card.get_attribute("open") is None
    card.locator("summary").click()
    assert card.get_attribute("open") is not None
    passage = card.locator(".kb-passage")
    assert passage.is_visible()
    expected = kb.ask("Wat is MDA++?").citations[0].passage
    assert " ".join(passage.inner_text().split()) == " ".join(expected.text.split())
    assert card.locator("mark").count() >= 1  # the quoted sentences are highlighted
    assert expected.title in card.locator("summary").inner_text()

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)

    assert session.requests
    elsewhere = [
        u
        for u in session.requests
        if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).hostname != "127.0.0.1"
    ]
    assert not elsewhere, f"the page made requests to other hosts: {elsewhere}"
    assert all(urlsplit(u).scheme in ("http", "data", "blob") for u in session.requests), session.requests


def test_script_in_question_is_shown_as_text(session: Session) -> None:
    page = session.page
    session.ask(f"Wat is MDA++? {XSS}")
    asked = page.locator("#kb-chat [data-testid=user]").last
    assert "<script>window.__xss=1</script>" in asked.inner_text()
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert page.locator("#kb-chat script, #kb-chat img[src=x]").count() == 0


def test_refusal_shows_closest_passages_labelled(session: Session) -> None:
    answer = session.ask("Geef me een recept voor erwtensoep")
    assert "geen antwoord" in answer.inner_text()
    sources = session.page.locator("#kb-sources")
    assert "Niet het antwoord, wel het dichtstbij" in sources.inner_text()
    assert sources.locator("details.kb-card").count() >= 1


def test_follow_up_and_feedback_are_stored(session: Session, settings: Settings) -> None:
    page = session.page
    session.ask("Wat is MDA++?")
    session.ask("Wie betaalt dat?")
    assert "Vervolgvraag" in page.locator("#kb-sources").inner_text()

    page.locator("#kb-rating label", has_text="Niet bruikbaar").click()
    page.locator("#kb-comment textarea").fill("Ik zocht de financiering van MDA++.")
    page.locator("#kb-send").click()
    page.locator("#kb-feedback-status", has_text="Bedankt").wait_for()

    lines = (settings.index / FEEDBACK_FILE).read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[-1])
    assert record["question"] == "Wie betaalt dat?"
    assert record["searched"] == "Wat is MDA++? Wie betaalt dat?"
    assert (record["rating"], record["comment"]) == ("down", "Ik zocht de financiering van MDA++.")
    assert record["answer"]
    assert all(set(c) == {"n", "doc", "section", "page"} for c in record["citations"])


def test_search_documents_and_glossary_tabs(session: Session, kb: KnowledgeBase) -> None:
    page = session.page
    page.get_by_role("tab", name="Zoeken").click()
    page.get_by_placeholder(re.compile("Zoekterm")).fill("Veilig Thuis")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    page.locator("#kb-results details.kb-card").first.wait_for()
    assert "Veilig Thuis" in page.locator("#kb-results").inner_text()

    page.get_by_role("tab", name="Documenten").click()
    rows = page.locator("#kb-documents tbody tr")
    assert rows.count() == len(kb.index.manifest.documents)

    page.get_by_role("tab", name="Begrippen").click()
    terms = sum(p.form == "term" for p in kb.index.passages.values())
    assert page.locator("#kb-terms dt").count() == terms
    page.get_by_label("Zoek een begrip").fill("kindcheck")
    page.wait_for_function(f"() => document.querySelectorAll('#kb-terms dt').length < {terms}")
    assert "Kindcheck" in page.locator("#kb-terms dt").all_inner_texts()
