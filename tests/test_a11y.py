"""Accessibility: axe-core (vendored, tests/vendor/) finds no serious or critical violations, Gradio's own included.

Checked on the chat (with an answer), search (with results), documents and glossary tabs,
and on the source viewer, at desktop width and at 390 px.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_ui_browser import DESKTOP, PHONE, Session, browser, open_session, shot

__all__ = ["browser"]  # the module-scoped browser fixture, shared with the browser tests

pytestmark = pytest.mark.integration

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_VERSION = "4.10.3"
BLOCKING = ("serious", "critical")


SETTLED = """() => document.getAnimations().every(a => a.playState !== 'running')
    && [...document.querySelectorAll('.html-container')].every(e => getComputedStyle(e).opacity === '1')"""


def violations(page: object) -> list[str]:
    """axe's serious and critical violations once the page has settled: "rule: target (summary)".

    Gradio fades an output while it updates; checked mid-fade, any text fails the contrast rule.
    """
    page.wait_for_function(SETTLED)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    assert page.evaluate("() => axe.version") == AXE_VERSION
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => ['serious', 'critical'].includes(v.impact))
            .flatMap(v => v.nodes.map(n =>
                `${v.id}: ${n.target.join(' ')} (${(n.failureSummary || '').slice(0, 160)})`))"""
    )
    return list(found)


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "390px"])
def session(request: pytest.FixtureRequest, browser: object, app_url: str) -> Iterator[Session]:
    session = open_session(browser, app_url, request.param, bypass_csp=True)
    yield session
    session.page.context.close()


def test_no_serious_violations_on_any_tab(session: Session) -> None:
    page = session.page
    width = page.viewport_size["width"]
    turn = session.ask("Wat is MDA++?")
    turn.locator("details.kb-card summary").first.click()  # an opened source card is checked too
    found = {"Chat": violations(page)}

    page.get_by_role("tab", name="Zoeken").click()
    page.get_by_label("Zoekterm").fill("Veilig Thuis")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    page.locator("#kb-results details.kb-card").first.wait_for()
    found["Zoeken"] = violations(page)

    page.get_by_role("tab", name="Documenten").click()
    page.locator("#kb-documents table").wait_for()
    found["Documenten"] = violations(page)

    page.get_by_role("tab", name="Begrippen").click()
    page.locator("#kb-terms dt").first.wait_for()
    found["Begrippen"] = violations(page)
    shot(page, f"glossary-{width}.png")

    page.get_by_role("tab", name="Chat").click()
    with page.context.expect_page() as opened:
        turn.locator("a.kb-cite").first.click()
    viewer = opened.value
    viewer.wait_for_load_state()
    found["Bron"] = violations(viewer)

    assert not any(found.values()), json.dumps(found, ensure_ascii=False, indent=1)


def test_every_input_has_a_dutch_name_and_the_page_is_dutch(session: Session) -> None:
    page = session.page
    assert page.evaluate("() => document.documentElement.lang") == "nl"
    for name in ("Uw vraag",):
        assert page.get_by_label(name, exact=True).count() == 1, name
    page.get_by_role("tab", name="Zoeken").click()
    for name in ("Zoekterm", "Aantal passages"):
        assert page.get_by_label(name).first.is_visible(), name
    page.get_by_role("tab", name="Begrippen").click()
    assert page.get_by_label("Zoek een begrip of afkorting").is_visible()
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('textarea, input:not([type=hidden])')]
            .filter(e => e.offsetParent !== null)
            .filter(e => !(e.getAttribute('aria-label') || (e.labels && e.labels.length)
                           || e.getAttribute('aria-labelledby')))
            .map(e => e.outerHTML.slice(0, 120))"""
    )
    assert not unnamed, unnamed
