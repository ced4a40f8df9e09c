"""Footnotes of plain text exported from a PDF: taken out of the body, markers removed, passages of their own."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

from kennisbank.ingest.documents import DocumentMeta
from kennisbank.ingest.pipeline import passages, read
from kennisbank.ingest.textnotes import take_text_footnotes

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
RULE = " " * 48

EXPORT = (
    "Aanleiding\n"
    "Het opstellen van een regiovisie is een afspraak van de VNG en het ministerie van VWS1. Daarbij is de\n"
    "regiovisie de uitwerking van de wettelijke kaders.\n"
    " \n"
    f"{RULE}\n"
    "1 Zie Het sociaal domein en veiligheidsdomein in verbinding. Handreiking bij de aanpak van huiselijk geweld en\n"
    "kindermishandeling. Zie: https://www.movisie.nl/publicatie/sociaal-\n"
    "domein-veiligheidsdomein-verbinding\n"
    " \n"
    "\n"
    "Toelichting\n"
    "Uit onderzoek blijkt dat de aanpak verbetering behoeft.2 In de helft van de gezinnen is na 1,5 jaar nog\n"
    f"{RULE}\n"
    "2 Tierolf, B. (2014) Doorbreken geweldspatroon vraagt gespecialiseerde hulp.\n"
    "\n"
    "3 Dit tweede nummer volgt niet op een marker in de tekst en blijft daarom staan.\n"
)


def test_a_footnote_block_is_taken_out_with_its_marker() -> None:
    pieces, notes = take_text_footnotes(EXPORT)
    assert notes[0] == [
        "1 Zie Het sociaal domein en veiligheidsdomein in verbinding. Handreiking bij de aanpak van huiselijk "
        "geweld en kindermishandeling. Zie: https://www.movisie.nl/publicatie/sociaal-domein-veiligheidsdomein-verbinding"
    ]  # a web address broken after "-" is one address again
    assert "ministerie van VWS. Daarbij" in pieces[0]  # the marker "1" is gone
    assert "Zie Het sociaal domein" not in "".join(pieces)


def test_notes_must_be_numbered_one_up_and_have_a_marker() -> None:
    pieces, notes = take_text_footnotes(EXPORT)
    # note 2 has its marker ("behoeft.2"); "3" has none in the text above it, so the block is not taken
    assert notes[1:] == [[]]
    assert "Tierolf" in pieces[-1] and "behoeft.2" in pieces[-1]


def test_a_marker_after_a_year_counts() -> None:
    text = f"De cijfers gaan over 2023.1 Daarna volgt meer.\n{RULE}\n1 Bron: de monitor van Veilig Thuis over 2023.\n"
    pieces, notes = take_text_footnotes(text)
    assert notes[0] == ["1 Bron: de monitor van Veilig Thuis over 2023."]
    assert "over 2023. Daarna" in pieces[0]
    assert take_text_footnotes(f"Een stijging in 2015.25% meer.\n{RULE}\n25 Een losse regel.\n")[1] == [[]]


def test_a_rule_without_numbered_notes_changes_nothing() -> None:
    text = f"Eerste alinea over Veilig Thuis.\n{RULE}\n1 Inleiding\nDe tweede alinea.\n"
    assert take_text_footnotes(text) == ([text], [[]])
    assert take_text_footnotes("") == ([""], [[]])


def test_the_heiloo_proposal_has_its_four_footnotes_as_passages() -> None:
    name = "raadsvoorstel-heiloo-regiovisie-hgkm-nhn-2020-2023.txt"
    meta = tomllib.loads((CORPUS / "metadata.toml").read_text(encoding="utf-8"))[name]
    path = CORPUS / name
    source = read(path, DocumentMeta(doc=name, **meta), path.read_bytes())
    found = passages(source, Counter())
    notes = [p for p in found if p.form == "note"]
    assert [p.section.rsplit(" > ", 1)[-1] for p in notes] == ["voetnoot 1", "voetnoot 2", "voetnoot 3", "voetnoot 4"]
    assert notes[0].section.startswith("2. KEUZERUIMTE > Aanleiding voor visie")  # under the section it stood in
    assert notes[3].text.startswith("Uitvoeringskader inkoop Sociaal Domein West-Friesland (2019-2021).")
    assert all(p.page is None for p in notes)  # a text file has no pages
    figure = next(p for p in found if "in 50% van de gezinnen" in p.text and p.form != "note")
    assert any(note.startswith("3 Tierolf") for note in figure.notes)  # the notes of the text above the block
    body = " ".join(p.text for p in found if p.form != "note")
    assert (
        "Zie Het sociaal domein" not in body and "bestuurlijke afspraak van de VNG en het ministerie van VWS." in body
    )
