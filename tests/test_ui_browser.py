"""The chat app in a real browser: Debian's chromium, driven headless by Playwright.

Install the browser with ``make browser``; Playwright downloads none. Screenshots for
people land in ``tests/artifacts/``; the assertions are what CI checks.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

import pdfplumber
import pytest

from kennisbank.config import Settings
from kennisbank.feedback import FEEDBACK_FILE
from kennisbank.glossary import glossary
from kennisbank.indexing import ingest
from kennisbank.knowledgebase import KnowledgeBase
from kennisbank.render import UPDATED
from kennisbank.viewer import CHANGED
from tests.conftest import CORPUS, SMALL_DOCS, free_port
from tests.test_pdf_ingest import make_pdf

pytestmark = pytest.mark.integration  # real model, server, browser or real timings

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.integration

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
DESKTOP = {"width": 1280, "height": 1000}
PHONE = {"width": 390, "height": 844}


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
        """Ask in the chat; wait until the answer and its sources are in; the answer's element."""
        page = self.page
        before = page.locator("#kb-chat .kb-turn").count()
        page.locator("#kb-question textarea").fill(question)
        page.locator("#kb-ask").click()
        page.wait_for_function(
            f"() => document.querySelectorAll('#kb-chat .kb-turn').length > {before}"
            " && !!document.querySelectorAll('#kb-chat .kb-turn')[" + str(before) + "].querySelector('.kb-copy')",
            timeout=60_000,
        )
        return page.locator("#kb-chat .kb-turn").nth(before)

    def elsewhere(self) -> list[str]:
        """Requests that left 127.0.0.1."""
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"
        ]


def open_session(browser: object, url: str, viewport: dict[str, int] = DESKTOP, bypass_csp: bool = False) -> Session:
    """A fresh browser context on the app; ``bypass_csp`` lets a test inject scripts (axe) into the viewer."""
    context = browser.new_context(
        locale="nl-NL",
        viewport=viewport,
        permissions=["clipboard-read", "clipboard-write"],
        accept_downloads=True,
        bypass_csp=bypass_csp,
    )
    page = context.new_page()
    session = Session(page)
    context.on("request", lambda request: session.requests.append(request.url))
    page.goto(url)
    page.locator("#kb-ask").wait_for()
    return session


@pytest.fixture
def session(browser: object, app_url: str) -> Iterator[Session]:
    session = open_session(browser, app_url)
    yield session
    session.page.context.close()


def shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_answer_keeps_its_sources_and_nothing_leaves_the_machine(session: Session, kb: KnowledgeBase) -> None:
    page = session.page
    assert page.evaluate("() => document.documentElement.lang") == "nl"
    answer = session.ask("Wat is MDA++?")
    assert "[1]" in answer.locator(".kb-text").inner_text()

    card = answer.locator(".kb-sources details.kb-card").first
    assert card.get_attribute("open") is None
    card.locator("summary").click()
    assert card.get_attribute("open") is not None
    expected = kb.ask("Wat is MDA++?").citations[0].passage
    assert " ".join(card.locator(".kb-passage").inner_text().split()) == " ".join(expected.text.split())
    assert card.locator("mark").count() >= 1  # the quoted sentences are highlighted
    assert expected.title in card.locator("summary").inner_text()
    shot(page, "chat.png")

    assert session.requests and not session.elsewhere(), session.elsewhere()


def test_markdown_and_html_in_a_question_are_plain_text(session: Session) -> None:
    page = session.page
    question = f"Wat is 2*3 en 4*5? ![x](http://example.com/x.png) [klik](http://example.org) {XSS}"
    turn = session.ask(question)
    asked = turn.locator("[data-testid=user]")
    assert "2*3 en 4*5" in asked.inner_text() and "![x](http://example.com/x.png)" in asked.inner_text()
    assert "<script>window.__xss=1</script>" in asked.inner_text()
    assert page.locator("#kb-chat em, #kb-chat img, #kb-chat script").count() == 0
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert not session.elsewhere(), session.elsewhere()


def test_earlier_answers_keep_their_own_sources_and_their_links_open_them(session: Session) -> None:
    page = session.page
    first = session.ask("Wat is MDA++?")
    cards = first.locator(".kb-sources details.kb-card").count()
    assert cards >= 2
    session.ask("Wat is een kindcheck?")
    assert page.locator("#kb-chat .kb-turn").count() == 2
    assert first.locator(".kb-sources details.kb-card").count() == cards  # still there under the first answer

    last = 1  # the second source of the first answer, opened from its [2] link
    link = first.locator("a.kb-cite", has_text="[2]").first
    with page.context.expect_page() as opened:
        link.click()
    viewer = opened.value
    viewer.wait_for_load_state()
    assert viewer.url.startswith(page.url.rstrip("/") + "/kb/bron?")
    title = first.locator(".kb-sources details.kb-card").nth(last).locator("strong").inner_text()
    assert title in viewer.locator("h1").inner_text()
    marked = viewer.locator("#citaat mark")
    assert marked.count() >= 1
    quoted = " ".join(marked.first.inner_text().split())
    assert quoted and quoted in " ".join(first.locator(".kb-sources details.kb-card").nth(last).text_content().split())
    shot(viewer, "viewer-text.png")

    with viewer.expect_download() as download:
        viewer.get_by_role("link", name="Download het origineel").click()
    name = download.value.suggested_filename
    data = Path(download.value.path()).read_bytes()
    assert hashlib.sha256(data).hexdigest() == hashlib.sha256((CORPUS / name).read_bytes()).hexdigest()
    assert not session.elsewhere(), session.elsewhere()


def test_copy_includes_the_sources(session: Session) -> None:
    page = session.page
    turn = session.ask("Wat doet Veilig Thuis?")
    turn.locator("button.kb-copy").click()
    turn.locator(".kb-copied", has_text="Gekopieerd").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith(turn.locator(".kb-text").inner_text().strip()[:40])
    lines = copied.splitlines()
    assert "Bronnen:" in lines
    sources = lines[lines.index("Bronnen:") + 1 :]
    cards = turn.locator(".kb-sources details.kb-card summary")
    assert len(sources) == cards.count() >= 1
    for line, i in zip(sources, range(cards.count()), strict=True):
        title = cards.nth(i).locator("strong").inner_text()
        assert line.startswith(f"[{i + 1}] {title}")


def test_conversation_survives_reload_and_new_conversation_clears_it(session: Session) -> None:
    page = session.page
    session.ask("Wat is MDA++?")
    session.ask("Wie betaalt dat?")
    page.reload()
    page.locator("#kb-chat .kb-turn").nth(1).wait_for()
    assert page.locator("#kb-chat .kb-turn").count() == 2
    assert page.locator("#kb-chat .kb-turn").first.locator("a.kb-cite").count() >= 1
    assert "Vervolgvraag" in page.locator("#kb-chat .kb-turn").nth(1).inner_text()

    page.locator("#kb-new").click()
    page.wait_for_function("() => document.querySelectorAll('#kb-chat .kb-turn').length === 0")
    page.reload()
    page.locator("#kb-ask").wait_for()
    page.wait_for_timeout(1000)  # the stored conversation, if any, is restored on load
    assert page.locator("#kb-chat .kb-turn").count() == 0


def test_feedback_only_after_an_answer_with_text_labels(session: Session, settings: Settings) -> None:
    page = session.page
    assert not page.locator("#kb-rating").is_visible()
    assert not page.get_by_role("button", name="Uitloggen").is_visible()  # no login, no logout
    session.ask("Wat is MDA++?")
    session.ask("Wie betaalt dat?")
    assert page.locator("#kb-rating").is_visible()
    labels = page.locator("#kb-rating label").all_inner_texts()
    assert [label.strip() for label in labels] == ["Bruikbaar", "Niet bruikbaar"]

    page.locator("#kb-rating label", has_text="Niet bruikbaar").click()
    page.locator("#kb-comment textarea").fill("Ik zocht de financiering van MDA++.")
    page.locator("#kb-send").click()
    page.locator("#kb-feedback-status", has_text="Bedankt").wait_for()
    record = json.loads((settings.index / FEEDBACK_FILE).read_text(encoding="utf-8").splitlines()[-1])
    assert record["question"] == "Wie betaalt dat?"
    assert record["searched"] == "Wat is MDA++? Wie betaalt dat?"
    assert (record["rating"], record["comment"]) == ("down", "Ik zocht de financiering van MDA++.")
    assert all(set(c) == {"n", "doc", "section", "page"} for c in record["citations"])


def choose_document(page: object, title: str) -> None:
    page.get_by_text("Filters: document en regio").click()
    box = page.get_by_label("Documenten")
    box.click()
    page.get_by_role("option", name=title).click()
    page.keyboard.press("Escape")


def test_filter_chips_refusal_under_a_filter_and_one_click_clear(session: Session, kb: KnowledgeBase) -> None:
    page = session.page
    title = kb.documents()[SMALL_DOCS[0]].meta.title
    assert not page.locator("#kb-chips-chat .kb-chip").count()
    choose_document(page, title)
    chip = page.locator("#kb-chips-chat .kb-chip")
    chip.wait_for()
    assert chip.inner_text() == f"Document: {title}"
    page.get_by_text("Filters: document en regio").click()  # the filter panel closed: the chip still shows
    turn = session.ask("Wat is MDA++?")
    assert "binnen het gekozen filter" in turn.locator(".kb-text").inner_text()
    shot(page, "chat-filter.png")

    page.get_by_role("tab", name="Zoeken").click()
    assert page.locator("#kb-chips-search .kb-chip").inner_text() == f"Document: {title}"
    page.locator("#kb-clear-search").click()
    page.wait_for_function("() => !document.querySelector('#kb-chips-chat .kb-chip')")
    assert not page.locator("#kb-chips-search .kb-chip").count()
    assert not page.locator("#kb-clear-chat").is_visible()


def test_search_shows_score_cutoff_and_marked_words(session: Session) -> None:
    page = session.page
    page.get_by_role("tab", name="Zoeken").click()
    page.get_by_label("Zoekterm").fill("Veilig Thuis meldpunt")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    page.locator("#kb-results details.kb-card").first.wait_for()
    results = page.locator("#kb-results")
    scores = [float(s) for s in re.findall(r"score (\d+\.\d+)", results.inner_text())]
    assert len(scores) == page.locator("#kb-results details.kb-card").count() == 8
    assert "relevante passages" in results.inner_text()
    marks = {m.lower() for m in results.locator("details[open] mark").all_inner_texts()}
    assert {"veilig", "thuis"} <= marks
    shot(page, "search.png")


def test_documents_table_and_glossary(session: Session, kb: KnowledgeBase) -> None:
    page = session.page
    page.get_by_role("tab", name="Documenten").click()
    rows = page.locator("#kb-documents tbody tr")
    assert rows.count() == len(kb.documents())
    heads = page.locator("#kb-documents th").all_inner_texts()
    assert heads == [
        "Document",
        "Soort",
        "Regio",
        "Periode",
        "Status",
        "Passages",
        "Pagina's",
        "Laatst ingelezen",
        "OCR",
    ]
    assert "vastgesteld" in rows.first.inner_text()

    page.get_by_role("tab", name="Begrippen").click()
    entries = glossary(kb.index.passages.values())
    assert page.locator("#kb-terms dt").count() == len(entries)
    page.get_by_label("Zoek een begrip of afkorting").fill("RvdK")
    page.wait_for_function(f"() => document.querySelectorAll('#kb-terms dt').length < {len(entries)}")
    assert "Raad voor de Kinderbescherming" in page.locator("#kb-terms").inner_text()
    page.get_by_label("Zoek een begrip of afkorting").fill("DUVO")
    page.wait_for_function("() => document.querySelector('#kb-terms').innerText.includes('Vrouwenopvang')")


def test_phone_sources_directly_under_each_answer_and_nothing_clipped(browser: object, app_url: str) -> None:
    session = open_session(browser, app_url, PHONE)
    page = session.page
    try:
        turn = session.ask("Wat doet Veilig Thuis?")
        text_box = turn.locator(".kb-text").bounding_box()
        sources_box = turn.locator(".kb-sources").bounding_box()
        assert 0 <= sources_box["y"] - (text_box["y"] + text_box["height"]) < 80
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        shot(page, "phone-chat.png")
        page.get_by_role("tab", name="Documenten").click()
        table = page.locator("#kb-documents table")
        table.wait_for()
        assert table.bounding_box()["width"] <= PHONE["width"]
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        shot(page, "phone-documents.png")
    finally:
        page.context.close()


# --- an app over its own corpus: a PDF source, then an ingest while the app runs ---

PDF = "zorgmijders.pdf"
QUESTION = "Wanneer is het meldpunt voor zorgwekkende zorgmijders bereikbaar?"
OLD_HOURS = "Het meldpunt voor zorgwekkende zorgmijders is op werkdagen bereikbaar van negen tot vijf uur."
NEW_HOURS = "Het meldpunt voor zorgwekkende zorgmijders is op werkdagen bereikbaar van acht tot zes uur."


def zorgmijders_pdf(hours: str) -> bytes:
    return make_pdf(
        [
            ["1. MELDPUNT", "Buren en familie die zich zorgen maken over iemand die geen hulp vraagt, kunnen melden."],
            ["2. BEREIKBAARHEID", hours + " Buiten die tijden neemt de politie de meldingen aan."],
        ]
    )


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    """An app over two text documents and a two-page PDF, ingested with the default embedder."""
    from kennisbank.ui import launch

    corpus = tmp_path_factory.mktemp("corpus")
    for name in SMALL_DOCS:
        shutil.copy(CORPUS / name, corpus / name)
    shutil.copy(CORPUS / "metadata.toml", corpus / "metadata.toml")
    (corpus / PDF).write_bytes(zorgmijders_pdf(OLD_HOURS))
    settings = Settings(corpus=corpus, index=tmp_path_factory.mktemp("index"), chroma_url="")
    assert not ingest(settings.corpus, settings.index).errors
    port = free_port()
    demo = launch(replace(settings, host="127.0.0.1", port=port, auth=None), block=False, quiet=True)
    yield f"http://127.0.0.1:{port}", settings
    demo.close()


def test_pdf_citation_opens_its_page_with_the_quote_highlighted_and_a_reingest_is_live(
    browser: object, live: tuple[str, Settings]
) -> None:
    url, settings = live
    session = open_session(browser, url)
    page = session.page
    try:
        turn = session.ask(QUESTION)
        assert "negen tot vijf" in turn.locator(".kb-text").inner_text()
        link = turn.locator("a.kb-cite").first
        old_link = link.get_attribute("href")
        with page.context.expect_page() as opened:
            link.click()
        viewer = opened.value
        viewer.wait_for_load_state()
        image = viewer.locator("#citaat img")
        assert viewer.evaluate("() => document.querySelector('#citaat img').naturalWidth") > 0
        assert "pagina 2" in viewer.locator("#citaat figcaption").inner_text().lower()
        boxes = [tuple(map(float, b.split(","))) for b in viewer.locator(".box").evaluate_all(
            "els => els.map(e => e.dataset.box)")]  # fmt: skip
        with pdfplumber.open(settings.corpus / PDF) as pdf:
            target = pdf.pages[1].search("bereikbaar van negen tot vijf uur")[0]
        assert any(
            b[0] < target["x1"] and target["x0"] < b[2] and b[1] < target["bottom"] and target["top"] < b[3]
            for b in boxes
        ), (boxes, target)
        img, box = image.bounding_box(), viewer.locator(".box").first.bounding_box()
        assert img["x"] <= box["x"] and box["x"] + box["width"] <= img["x"] + img["width"] + 1
        assert img["y"] <= box["y"] and box["y"] + box["height"] <= img["y"] + img["height"] + 1
        shot(viewer, "viewer-pdf.png")
        viewer.close()

        # An ingest while the app runs: the PDF changes, a text document goes.
        (settings.corpus / PDF).write_bytes(zorgmijders_pdf(NEW_HOURS))
        (settings.corpus / SMALL_DOCS[0]).unlink()
        assert not ingest(settings.corpus, settings.index).errors

        again = session.ask(QUESTION)
        assert "acht tot zes" in again.locator(".kb-text").inner_text()
        notice = page.locator("#kb-notice")
        assert UPDATED in notice.inner_text()
        assert all(SMALL_DOCS[0] not in (a.get_attribute("href") or "") for a in again.locator("a").all())
        session.ask("Wat is MDA++?")
        assert UPDATED not in notice.inner_text()  # said once

        newcomer = open_session(browser, url)  # opened after the ingest: nothing to announce
        try:
            newcomer.ask(QUESTION)
            assert UPDATED not in newcomer.page.locator("#kb-notice").inner_text()
        finally:
            newcomer.page.context.close()

        changed = page.context.new_page()
        changed.goto(f"{url}/{old_link}")
        assert CHANGED in changed.locator("main").inner_text()
        assert "negen tot vijf" in changed.locator("blockquote").inner_text()
        changed.close()
        assert not session.elsewhere(), session.elsewhere()
    finally:
        page.context.close()


def test_logging_out_clears_the_stored_conversation_and_the_viewer_needs_the_login(
    browser: object, settings: Settings, kb: KnowledgeBase
) -> None:
    from kennisbank.render import CONVERSATION_KEY
    from kennisbank.ui import launch

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    demo = launch(replace(settings, host="127.0.0.1", port=port, auth=("raad", "geheim-1")), kb, block=False)
    context = browser.new_context(locale="nl-NL", viewport=DESKTOP)
    page = context.new_page()
    try:
        doc = next(iter(kb.documents()))
        assert page.request.get(f"{url}/kb/bestand?doc={doc}").status == 401
        page.goto(url)
        page.locator("input[type=password]").wait_for()
        page.locator("input[type=text]").first.fill("raad")
        page.locator("input[type=password]").fill("geheim-1")
        page.keyboard.press("Enter")
        page.locator("#kb-ask").wait_for()
        page.get_by_role("button", name="Uitloggen").wait_for()  # shown only with a login
        session = Session(page)
        session.ask("Wat is MDA++?")
        page.wait_for_function(f"() => localStorage.getItem('{CONVERSATION_KEY}') !== null")
        assert page.request.get(f"{url}/kb/bestand?doc={doc}").status == 200

        page.get_by_role("button", name="Uitloggen").click()
        page.locator("input[type=password]").wait_for()
        assert page.evaluate(f"() => localStorage.getItem('{CONVERSATION_KEY}')") is None
        assert page.request.get(f"{url}/kb/bestand?doc={doc}").status == 401
    finally:
        context.close()
        demo.close()
