"""Footnotes of the real documents that say something are passages of their own, on the page they are printed on."""

from __future__ import annotations

import pytest

from tests.test_ingest_structure_gold import SHARED, shared_passages

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not SHARED.is_dir(), reason=f"testdocumenten ontbreken: {SHARED}"),
]


def test_a_footnote_of_the_vng_framework_is_found_on_its_page() -> None:
    passages = shared_passages()["vng-richtinggevend-kader-toegang-lokale-teams-2025.pdf"]
    notes = [p for p in passages if p.form == "note" and "te ondertekenen door VNG en VWS" in p.text]
    assert len(notes) == 1 and notes[0].page == 8 and "voetnoot" in notes[0].section
    body = [p for p in passages if p.form != "note"]
    assert not any("te ondertekenen door VNG en VWS" in p.text for p in body)  # not also in the body
    assert any(any("te ondertekenen door VNG en VWS" in note for note in p.notes) for p in body)  # still its note


def test_each_note_of_the_vng_framework_goes_with_the_one_passage_that_holds_its_marker() -> None:
    """Every marker of this framework is found, so each of its 25 notes is cited by one body passage (a
    citation listed every note of its page)."""
    passages = shared_passages()["vng-richtinggevend-kader-toegang-lokale-teams-2025.pdf"]
    body = [p for p in passages if p.form != "note"]
    holders: dict[str, int] = {}
    for passage in body:
        for note in passage.notes:
            holders[note] = holders.get(note, 0) + 1
    assert len(holders) >= 20
    assert set(holders.values()) == {1}
