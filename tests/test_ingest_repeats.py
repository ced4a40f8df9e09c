"""Text a document repeats word for word: the later copy is left out of search, the first says "ook in"."""

from __future__ import annotations

from collections import Counter

from kennisbank.ingest.chunking import chunk
from kennisbank.ingest.cleaning import clean_document
from kennisbank.ingest.documents import DocumentMeta

from kennisbank.passage import Passage

DECISION = (
    "Voorgesteld besluit\n\n"
    "1. In te stemmen met de inzet van € 800.000 voor herstel en versterken van de sociale basis in de wijken.\n"
    "2. Het college opdracht te geven om in 2026 te starten met de werkwijze in twee wijkteamgebieden.\n"
    "3. De begrotingswijziging voor het investeringsfonds jeugd en gezin vast te stellen."
)
FORMULA = "Het college kan nadere regels stellen over de uitvoering van dit artikel."
BODY = "De gemeente werkt samen met de zorgaanbieders in de regio aan een sluitende aanpak voor de inwoners. "
OTHER = "Het beleid voor de jeugdhulp wordt elk jaar met de raad besproken en waar nodig bijgesteld. "


def _passages() -> list[Passage]:
    pages = [
        DECISION,
        "Toelichting\n\n" + BODY * 6 + FORMULA,
        "Artikel 2 Beleid\n\n" + OTHER * 3 + FORMULA + "\n\nRaadsbesluit\n\n" + DECISION.split("\n\n", 1)[1],
    ]
    doc = clean_document(DocumentMeta(doc="v.pdf", title="V"), pages, paged=True, vocabulary=Counter())
    return chunk(doc)


def test_a_repeated_decision_is_searched_only_where_it_first_stands() -> None:
    passages = _passages()
    first = next(p for p in passages if "€ 800.000" in p.text and p.page == 1)
    later = next(p for p in passages if "€ 800.000" in p.text and p.page == 3)
    assert later.repeated and "800.000" not in later.searchable_text and "800.000" not in later.index_text
    assert "800.000" in first.index_text and not first.repeated
    assert first.also_in and first.also_in[0].endswith("p. 3")
    assert first.citation_dict()["also_in"] == list(first.also_in)
    assert Passage.from_dict(later.to_dict()).repeated == later.repeated
    assert Passage.from_dict(first.to_dict()).also_in == first.also_in


def test_a_repeated_formula_sentence_stays_searchable_everywhere() -> None:
    passages = _passages()
    holding = [p for p in passages if FORMULA in p.text]
    assert len(holding) == 2
    assert all(FORMULA in p.index_text for p in holding)


def test_a_repeat_under_the_same_heading_names_no_other_place() -> None:
    """Two footnotes citing the same study under one heading: "staat ook in" would name the passage's own place."""
    from kennisbank.ingest.repeats import mark_repeats

    note = (
        "Tierolf, B. (2014) Doorbreken geweldspatroon vraagt gespecialiseerde hulp. Onderzoek naar de effectiviteit "
        "van de aanpak huiselijk geweld in de G4. Het rapport beschrijft de gezinnen na anderhalf jaar opnieuw."
    )
    first = Passage(doc="r.txt", text=note, start=0, end=200, section="3. Toelichting")
    second = Passage(doc="r.txt", text=note, start=201, end=400, section="3. Toelichting")
    third = Passage(doc="r.txt", text=note, start=401, end=600, section="5. Bijlagen")
    marked = mark_repeats([first, second, third])
    assert marked[1].repeated and marked[2].repeated  # the later copies are still left out of search
    assert marked[0].also_in == ("5. Bijlagen",)
