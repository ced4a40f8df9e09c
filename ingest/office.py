"""Word (.docx) and web (.html) documents as marked text: headings from styles, tables row by row.

Word: python-docx (MIT). Paragraphs with a heading style ("Heading 2", "Kop 2",
"Title"/"Titel") become headings of that level, marked like PDF headings
(:func:`kennisbank.ingest.documents.heading_mark`); contents entries (styles
"TOC n", "Inhopg n") are left out; a table becomes one line per row in which
every cell carries its column's name ("Versie: 3.1; Datum: 30-09-2021").
HTML: trafilatura (Apache-2.0) extracts the main text with its headings.
Neither has pages: their passages cite sections.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from kennisbank.ingest.documents import heading_mark
from kennisbank.ingest.tables import glossary_blocks, is_glossary

from kennisbank.errors import DocumentError

_HEADING_STYLE = re.compile(r"(?:heading|kop)\s*(\d)", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"title|titel", re.IGNORECASE)
_TOC_STYLE = re.compile(r"toc|inhopg|inhoudsopgave|table of contents", re.IGNORECASE)


def _why_unreadable(exc: Exception) -> str:
    """What python-docx's exception means for a user, in Dutch."""
    import zipfile

    if isinstance(exc, zipfile.BadZipFile):
        return "geen zip-archief: beschadigd, of een oud .doc-bestand met een .docx-naam"
    if isinstance(exc, KeyError):
        return "het hoofddocument ontbreekt in het archief"
    return "beschadigde inhoud"


def read_docx(path: Path, data: bytes) -> str:
    """The text of a .docx file with heading marks and tables as rows.

    Raises :class:`DocumentError` for a file python-docx cannot open.
    """
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # a damaged zip or XML: many kinds
        raise DocumentError(path, f"Word-bestand onleesbaar ({_why_unreadable(exc)})") from exc
    blocks: list[str] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            blocks.append(_paragraph(Paragraph(element, document)))
        elif tag == "tbl":
            blocks.extend(table_rows(_cells(Table(element, document))))
    return "\n\n".join(block for block in blocks if block.strip())


def _paragraph(paragraph: Any) -> str:
    text = " ".join(paragraph.text.split())
    style = paragraph.style.name if paragraph.style is not None else ""
    if not text or _TOC_STYLE.search(style):
        return ""
    if match := _HEADING_STYLE.search(style):
        return heading_mark(int(match.group(1))) + text
    if _TITLE_STYLE.fullmatch(style.strip()):
        return heading_mark(1) + text
    return text


def _cells(table: Any) -> list[list[str]]:
    return [[" ".join(cell.text.split()) for cell in row.cells] for row in table.rows]


def table_rows(rows: list[list[str]]) -> list[str]:
    """One line per data row, each cell named by the header row: ``"Kolom: waarde; Kolom: waarde"``.

    A table of one row, or whose header has empty names, is given as plain rows
    with cells joined by " | ". A column that repeats its left neighbour in every row (a merged
    cell) is given once; columns stay aligned with their names.
    """
    width = max((len(row) for row in rows), default=0)
    rows = [row + [""] * (width - len(row)) for row in rows]
    merged = {c for c in range(1, width) if all(row[c] == row[c - 1] for row in rows)}  # a cell spanning columns
    rows = [[cell for c, cell in enumerate(row) if c not in merged] for row in rows]
    rows = [row for row in rows if any(row)]
    if len(rows) < 2 or not all(rows[0]):
        return [" | ".join(cell for cell in row if cell) for row in rows]
    if is_glossary(rows):
        return glossary_blocks(rows)  # term passages, one per row (chunking)
    header, body = rows[0], rows[1:]
    lines = []
    for row in body:
        pairs = [f"{name}: {value}" for name, value in zip(header, row, strict=False) if value]
        lines.append("; ".join(pairs))
    return lines


_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1(?!\w)")


def read_html(path: Path, data: bytes) -> str:
    """The main text of an HTML page (trafilatura), headings marked from the page's own <h1>-<h6>.

    Raises :class:`DocumentError` when no text can be extracted.
    """
    import trafilatura
    from kennisbank.ingest.readers import decode_text

    html = decode_text(path, data)
    # include_formatting gives bold and italics as ** and * (taken out below); favor_recall keeps the text of
    # a page without <main>/<article>. Which headings trafilatura's Markdown keeps varies with its heuristics
    # (2.3 dropped the <h1> and wrote an <h2> as plain text), so the page's own heading elements say which
    # lines are headings, and an <h1> it left out opens the text.
    text = (
        trafilatura.extract(
            html,
            output_format="markdown",
            include_tables=True,
            include_links=False,
            include_formatting=True,
            favor_recall=True,
        )
        or ""
    )
    if not text.strip():
        raise DocumentError(path, "geen tekst gevonden in HTML")
    headings = _html_headings(html)
    lines: list[str] = []
    for line in text.split("\n"):
        line = _ESCAPED.sub(r"\1", _EMPHASIS.sub(r"\2", line))  # Markdown's marks and escapes out
        bare = re.sub(r"^#{1,6}\s+", "", line).strip()
        level = headings.get(" ".join(bare.split())) or (len(line) - len(line.lstrip("#")) if bare != line else 0)
        if level and bare:
            lines += ["", heading_mark(level) + bare, ""]
        else:
            lines.append(line)
    titles = [title for title, level in headings.items() if level == 1]
    if titles and titles[0] not in " ".join(text.split()):
        lines = [heading_mark(1) + titles[0], "", *lines]
    return "\n".join(lines)


def _html_headings(html: str) -> dict[str, int]:
    """The text of each <h1>-<h6> of a page (whitespace collapsed) and its level, first occurrence kept."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:  # lxml raises several kinds on junk; without headings the text still serves
        return {}
    found: dict[str, int] = {}
    for element in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        text = " ".join(element.text_content().split())
        if text:
            found.setdefault(text, int(element.tag[1]))
    return found
