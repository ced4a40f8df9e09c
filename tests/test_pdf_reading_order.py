"""pypdf's line order repaired from the layout, words broken as "ondersteu -" / "ning" rejoined, and a colophon kept
in the text (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from kennisbank.ingest.cleaning import dehyphenate
from kennisbank.ingest.layout import Segment
from kennisbank.ingest.pdf import layout_order, read_pdf_document
from kennisbank.ingest.wordlist import dutch_words

SHARED = Path(__file__).resolve().parents[2] / "shared" / "documents-pdf"


def _segment(text: str, x0: float, top: float) -> Segment:
    return Segment(
        page=1, top=top, bottom=top + 10, x0=x0, x1=x0 + 6 * len(text), size=10, bold=False, text=text, height=800
    )


def test_a_line_drawn_out_of_order_is_written_in_its_visual_order() -> None:
    layout = [
        _segment("3.", 39, 307.2),
        _segment("Onder eigen kracht wordt in elk geval verstaan:", 65, 307),
        _segment("1. gebruikelijke hulp van ouders;", 65, 320),
    ]
    text = "\n".join(
        [
            "voor het welzijn van het kind.",
            "Onder  wordt in elk geval verstaan:3. eigen kracht",
            "1. gebruikelijke hulp van ouders;",
        ]
    )
    assert layout_order(text, layout).split("\n") == [
        "voor het welzijn van het kind.",
        "3. Onder eigen kracht wordt in elk geval verstaan:",
        "1. gebruikelijke hulp van ouders;",
    ]


def test_a_header_tables_cells_spread_over_lines_are_gathered_into_their_visual_lines() -> None:
    layout = [
        _segment("Tijd", 40, 100),
        _segment("9:30 - 14:47", 120, 100.5),
        _segment("Join registratie", 40, 112),
        _segment("Z/24/082517", 120, 112),
    ]
    text = "Tijd\nJoin registratie\n9:30 - 14:47\nZ/24/082517"
    assert layout_order(text, layout) == "Tijd 9:30 - 14:47\nJoin registratie Z/24/082517"
    # a line is never split into more visual lines: a big "2026" set above "Begroting" stays "Begroting 2026"
    title = [_segment("2026", 40, 90), _segment("Begroting", 40, 130)]
    assert layout_order("Begroting 2026", title) == "Begroting 2026"


def test_a_members_number_drawn_after_its_text_is_put_back_before_it() -> None:
    """Long members of an article: pypdf writes "6." after member 6 and glues "4." to the end of member 4."""
    layout = [
        _segment("6. Het college legt het gesprek vast in het ondersteuningsplan.", 40, 100),
        _segment("7. Het college informeert de jeugdige over de gang van zaken", 40, 112),
        _segment("van het onderzoek en de vervolgprocedure.", 60, 124),
        _segment("4. De zorg voor kinderen met ernstige dyslexie valt onder de wet.", 40, 136),
    ]
    text = "\n".join(
        [
            "Het college legt het gesprek vast in het ondersteuningsplan.",
            "6.",
            "Het college informeert de jeugdige over de gang van zaken",
            "van het onderzoek en de vervolgprocedure.7.",
            "De zorg voor kinderen met ernstige dyslexie valt onder de wet.4.",
        ]
    )
    assert layout_order(text, layout).split("\n") == [
        "6. Het college legt het gesprek vast in het ondersteuningsplan.",
        "7. Het college informeert de jeugdige over de gang van zaken",
        "van het onderzoek en de vervolgprocedure.",
        "4. De zorg voor kinderen met ernstige dyslexie valt onder de wet.",
    ]


def test_lines_in_order_or_with_other_letters_stay_as_they_are() -> None:
    two_columns = [_segment("Links staat dit.", 40, 100), _segment("Rechts staat dat.", 300, 100)]
    text = "Links staat dit.\nRechts staat dat.\nEen regel die de layout niet kent."
    assert layout_order(text, two_columns) == text
    assert layout_order(text, []) == text


@pytest.mark.skipif(not dutch_words(), reason="geen Nederlandse woordenlijst (wdutch)")
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("behoefte aan ondersteu -\nning. Veel", "behoefte aan ondersteuning.\nVeel"),
        ("capaciteit in re -\nlatie tot de", "capaciteit in relatie\ntot de"),
        ("met de zorg -\npartijen in de regio", "met de zorgpartijen\nin de regio"),
        ("de transformatie -\nagenda is klaar", "de transformatie-agenda\nis klaar"),
    ],
)
def test_a_word_broken_with_a_spaced_hyphen_is_rejoined(raw: str, expected: str) -> None:
    assert dehyphenate(raw) == expected


@pytest.mark.parametrize("text", ["het plan -\nzoals gezegd - werkt", "Paulides - \nDLW", "zorg -\nen veiligheid"])
def test_a_dash_at_a_line_end_stays_a_dash(text: str) -> None:
    assert dehyphenate(text) == text


@pytest.mark.integration
@pytest.mark.skipif(not SHARED.is_dir(), reason=f"testdocumenten ontbreken: {SHARED}")
def test_the_groningen_verordening_reads_its_members_and_terms_in_order() -> None:
    path = SHARED / "groningen-verordening-jeugdhulp-2026.pdf"
    pages = read_pdf_document(path, path.read_bytes(), ocr=False).pages
    assert "3. Onder eigen kracht wordt in elk geval verstaan:" in pages[7]
    assert "3. Een aanvraag voor een individuele voorziening wordt schriftelijk ingediend bij het college." in pages[3]
    assert "\n7. Het college informeert de jeugdige" in pages[5]  # not "6." between members 6 and 7
    assert (
        "4. De zorg voor kinderen tot 13 jaar met ernstige dyslexie (ED), dyslexiezorg, valt onder de wet." in pages[17]
    )


@pytest.mark.integration
@pytest.mark.skipif(not SHARED.is_dir(), reason=f"testdocumenten ontbreken: {SHARED}")
def test_a_colophons_editions_are_no_footnotes() -> None:
    path = SHARED / "vng-richtinggevend-kader-toegang-lokale-teams-2025.pdf"
    read = read_pdf_document(path, path.read_bytes(), ocr=False)
    assert "1e druk maart 2024" in read.pages[1] and "2e druk februari 2025" in read.pages[1]
    assert not any("druk" in note for note in read.notes[1])


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"testdocumenten ontbreken: {SHARED}")
def test_a_contents_page_loses_its_entries_and_keeps_a_paragraph_of_prose() -> None:
    """The evaluation's contents page has a box: "Dit kwalitatieve onderzoek is gebaseerd op 16 interviews met 27
    verschillende respondenten. ..." (a trial asked how many interviews were held)."""
    path = SHARED / "almere-evaluatie-schakelteams-2021.pdf"
    read = read_pdf_document(path, path.read_bytes(), ocr=False)
    assert 3 in read.dropped
    contents = " ".join(read.pages[2].split())
    assert "gebaseerd op 16 interviews met 27 verschillende respondenten" in contents
    assert "Gesprekspuntenlijst" not in contents and "...." not in contents
