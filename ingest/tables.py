"""Two-column glossary tables ("Begrip | Toelichting") written as glossary entries.

A table whose first column names terms and whose second explains them is a glossary,
whatever its layout: each row becomes a paragraph of two lines, the term and its
explanation, under the table's first column name as a title line. The chunker
(:mod:`kennisbank.ingest.chunking`) cuts such a block into ``term`` passages, one per row.
Used by the PDF table rewriting (``pdf.put_table``) and the Word reader (``office.table_rows``).
"""

from __future__ import annotations

import re

#: Column names of the term column and of the explanation column of a glossary table.
TERM_COLUMN = re.compile(r"(?:begrip(?:pen)?|term(?:en)?|afkorting(?:en)?|woord(?:en)?|definitie)", re.IGNORECASE)
EXPLANATION_COLUMN = re.compile(
    r"(?:toelichting|omschrijving|betekenis|definitie|uitleg|beschrijving|verklaring|voluit)", re.IGNORECASE
)
#: A term cell longer than this is a sentence, not a term.
MAX_TERM = 60


def _name(cell: str) -> str:
    return " ".join(cell.split()).strip(" :")


def is_glossary(rows: list[list[str]]) -> bool:
    """Whether ``rows`` (header first, cells as text) form a two-column glossary table.

    The header names a term column and an explanation column; every body row that has
    text has a short term (at most ``MAX_TERM`` characters) and a longer explanation.
    """
    cells = [[cell for cell in row if cell.strip()] for row in rows]
    if len(cells) < 2 or len(cells[0]) != 2:
        return False
    term, explanation = (_name(cell) for cell in cells[0])
    if not TERM_COLUMN.fullmatch(term) or not EXPLANATION_COLUMN.fullmatch(explanation):
        return False
    body = [row for row in cells[1:] if row]
    return bool(body) and all(len(row) == 2 and len(_name(row[0])) <= MAX_TERM for row in body)


def glossary_blocks(rows: list[list[str]]) -> list[str]:
    """The title line (the term column's name) and one ``"term\\nexplanation"`` block per body row.

    Expects a table for which :func:`is_glossary` holds.
    """
    cells = [[" ".join(cell.split()) for cell in row if cell.strip()] for row in rows]
    return [_name(cells[0][0]), *(f"{row[0].strip(' :')}\n{row[1]}" for row in cells[1:] if row)]
