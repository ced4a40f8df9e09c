"""Two-column glossary tables ("Begrip | Toelichting") become term passages, one per row, in PDF and Word."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from fpdf import FPDF
from kennisbank.ingest import pipeline
from kennisbank.ingest.documents import DocumentMeta
from kennisbank.ingest.tables import glossary_blocks, is_glossary

from kennisbank.glossary import term_entry
from kennisbank.passage import Passage

FONTS = Path("/usr/share/fonts/truetype/dejavu")
ROWS = [
    ["Begrip", "Toelichting"],
    ["Sociale basis", "Alle voorzieningen in de wijk die inwoners zonder indicatie kunnen gebruiken."],
    ["maatwerkvoorziening", "Hulp die past bij de situatie van één inwoner en waarvoor een beschikking nodig is."],
    ["Lokaal team", "Het team van de gemeente dat inwoners helpt met vragen over zorg, werk en geld."],
]
INTRO = "De gemeente gebruikt in dit plan de volgende begrippen, met een korte uitleg van elk begrip."
AFTER = "Na de tabel gaat de tekst van het beleidsplan verder over de aanpak in de wijken van de gemeente."


def _terms(passages: list[Passage]) -> dict[str, Passage]:
    return {p.fields["term"]: p for p in passages if p.form == "term"}


def _check(passages: list[Passage]) -> None:
    terms = _terms(passages)
    assert set(terms) == {row[0] for row in ROWS[1:]}
    for term, explanation in ROWS[1:]:
        entry = term_entry(terms[term])
        assert entry.term == term and " ".join(entry.definition.split()) == explanation
    rest = next(p for p in passages if AFTER[:40] in p.text)
    assert rest.form == "section"  # the glossary ends with the table


def test_a_glossary_table_is_recognised_by_its_column_names() -> None:
    assert is_glossary(ROWS)
    assert not is_glossary([["Jaar", "Bedrag"], ["2025", "€ 100"]])
    assert not is_glossary([["Begrip", "Toelichting", "Bron"], ["a", "b", "c"]])
    assert not is_glossary(
        [["Begrip", "Toelichting"], ["Een hele lange eerste cel die eigenlijk een zin is en geen term", "x"]]
    )
    assert glossary_blocks(ROWS)[:2] == ["Begrip", "Sociale basis\n" + ROWS[1][1]]


def test_a_ruled_glossary_table_in_a_pdf_gives_one_term_passage_per_row(tmp_path: Path) -> None:
    pdf = FPDF()
    if (FONTS / "DejaVuSans.ttf").exists():
        pdf.add_font("Body", fname=str(FONTS / "DejaVuSans.ttf"))
        pdf.add_font("Body", style="B", fname=str(FONTS / "DejaVuSans-Bold.ttf"))
        pdf.set_font("Body", size=10)
    else:
        pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    pdf.multi_cell(0, 5, INTRO, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    with pdf.table(col_widths=(40, 110)) as table:
        for cells in ROWS:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.ln(3)
    pdf.multi_cell(0, 5, AFTER, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "plan.pdf"
    path.write_bytes(bytes(pdf.output()))
    source = pipeline.read(path, DocumentMeta(doc="plan.pdf", title="Plan"), path.read_bytes(), ocr=False)
    passages = pipeline.passages(source, Counter())
    _check(passages)
    assert all(p.page == 1 for p in _terms(passages).values())


def test_a_glossary_table_in_a_word_file_gives_one_term_passage_per_row(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("Begrippen in dit plan", level=1)
    document.add_paragraph(INTRO)
    table = document.add_table(rows=len(ROWS), cols=2)
    for cell, text in zip(table._cells, [cell for row in ROWS for cell in row], strict=True):
        cell.text = text
    document.add_paragraph(AFTER)
    path = tmp_path / "plan.docx"
    document.save(str(path))
    source = pipeline.read(path, DocumentMeta(doc="plan.docx", title="Plan"), path.read_bytes())
    passages = pipeline.passages(source, Counter())
    _check(passages)
    assert all(
        p.section.startswith("Begrip > ") or "Begrippen in dit plan" in p.section for p in _terms(passages).values()
    )
