"""Footnotes in plain text exported from a PDF (``pdftotext``, "Opslaan als tekst").

Such an export keeps each page's footnotes at the bottom of the page, under the
footnote rule, which the export writes as a line of spaces or underscores::

    ... bestuurlijke afspraak van de VNG en het ministerie van VWS1. Daarbij ...
    <48 spaces>
    1 Zie Het sociaal domein en veiligheidsdomein in verbinding. Handreiking bij ...
    kindermishandeling. Zie: https://www.movisie.nl/publicatie/...

Left in the body they split the text around them and are never quoted (a line
that starts with a number and a source reads as a stray footnote). The PDF reader
finds footnotes by their font and place (``kennisbank.ingest.pdf``); here the
rule, the running numbers and the markers in the text are all there is, so a
block is taken only when all three agree. Pure functions: text in, pieces out.
"""

from __future__ import annotations

import re

#: The footnote rule: a line of at least 20 spaces, or of at least 10 underscores or dashes.
_RULE = re.compile(r"^(?:[ \t]{20,}|[ \t]*[_\u2014\u2013-]{10,}[ \t]*)$")
#: A footnote's first line: its number, a space, its text ("1 Zie Het sociaal domein ...").
_NOTE = re.compile(r"^[ \t]*(\d{1,3})[ \t]+(\S.*)$")


def marker(number: str) -> re.Pattern[str]:
    """A footnote marker for note ``number`` in the body: glued to the end of a word of three letters or more
    ("VWS1.", "geweld3") or after its full stop or bracket ("behoeft.2", "West-Friesland.4", "in 2023.3");
    "artikel 2", "Q4", "2015" or "6c.2" are no markers."""
    return re.compile(
        rf"(?:(?<=[^\W\d_]{{3}})|(?<=[^\W\d_]{{3}}[.)])|(?<=\b(?:19|20)\d\d[.)]))(?:{number})(?![\d%])(?![\w.,]\w)"
    )


def take_text_footnotes(text: str) -> tuple[list[str], list[list[str]]]:
    """``text`` cut at its footnote blocks: the body pieces (a sentence running over a block is rejoined by
    cleaning, as over a page break) and, per piece, the footnotes under it ("1 Zie Het sociaal domein ...").

    A block is a footnote rule followed by notes numbered one up from the first, each with a marker in the
    body above it; its markers are taken out of the body. A rule without such notes stays as it is. Raises
    nothing: a text without footnotes comes back as ``[text], [[]]``.
    """
    lines = text.split("\n")
    pieces: list[str] = []
    notes: list[list[str]] = []
    start = 0
    i = 0
    while i < len(lines):
        found = _block(lines, i + 1) if _RULE.match(lines[i]) else None
        if found is None:
            i += 1
            continue
        block, end = found
        body = "\n".join(lines[start:i])
        if not all(marker(n.split(" ", 1)[0]).search(body) for n in block):
            i += 1
            continue
        for note in block:
            body = marker(note.split(" ", 1)[0]).sub("", body, count=1)
        pieces.append(body)
        notes.append(block)
        start = i = end
    pieces.append("\n".join(lines[start:]))
    notes.append([])
    if len(pieces) > 1 and not pieces[-1].strip():
        pieces.pop()
        notes.pop()
    return pieces, notes


def _block(lines: list[str], i: int) -> tuple[list[str], int] | None:
    """The notes that start at line ``i`` (blank lines skipped) and the line after them, or None."""
    notes: list[str] = []
    expected: int | None = None
    blank = False
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            blank = True
            i += 1
            continue
        note = _NOTE.match(line)
        if note and (expected is None or int(note.group(1)) == expected):
            notes.append(f"{note.group(1)} {note.group(2).strip()}")
            expected = int(note.group(1)) + 1
        elif notes and not blank:  # the note runs on over the next line; a web address broken after "-" is one
            broken = re.search(r"(?:https?://|www\.)\S*-$", notes[-1])
            notes[-1] += ("" if broken else " ") + line.strip()
        else:
            break
        blank = False
        i += 1
    if not notes:
        return None
    return notes, i
