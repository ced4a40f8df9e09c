"""Read a PDF into pages of text that carry their structure: headings marked, furniture gone, labels, OCR.

The text of each page comes from pypdf (it keeps two columns apart, see
:func:`kennisbank.ingest.readers.read_pdf`); its layout comes from pdfplumber
(:mod:`kennisbank.ingest.layout`). The layout decides

* which lines are headings (the outline when clean, else type size and weight),
  marked in the page text with :func:`kennisbank.ingest.documents.heading_mark`
  on a paragraph of their own;
* which lines are running furniture: only lines in the header or footer zone
  that recur on most pages, or a page number there, are removed;
* the printed page number (the PDF's ``/PageLabels``, else a number in the
  header or footer zone), kept as the page's label;
* which pages are contents pages (dot leaders, or "Inhoud" over page references):
  their text is dropped.

Pages without a text layer are read by Tesseract's Dutch model (``ocr=True``).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kennisbank.ingest.documents import heading_mark
from kennisbank.ingest.headings import BIGGER, Heading, font_headings, outline_headings
from kennisbank.ingest.layout import SAME_LINE, Segment, body_size, letter_count, page_layout
from kennisbank.ingest.pages import drop_running_lines, line_key
from kennisbank.ingest.readers import pypdf_logs, read_pdf
from kennisbank.ingest.tables import glossary_blocks, is_glossary

from kennisbank.errors import DocumentError

log = logging.getLogger(__name__)

#: A page with fewer letters than this in its text layer is a scan.
MIN_LETTERS = 20
#: Render scale for OCR: 200 dpi (the scans of public Woo documents are 150 dpi; 300 dpi was twice as slow, no better).
OCR_SCALE = 200 / 72
#: Longest line of a scanned letter's sidebar (see :func:`drop_sidebar_lines`).
SIDEBAR_CHARS = 40
#: Tesseract language.
OCR_LANG = "nld"
#: A zone line is running furniture when it recurs on at least this share of the pages (and on two).
RUNNING_SHARE = 0.5

#: ...or on this many pages at the same height (a chapter title in the header of its own pages).
PLACED_PAGES = 3

_PRINTED = re.compile(r"(?:^|\s|\|)(?:pagina\s+|blz\.?\s*|page\s+)?(\d{1,3})(?:\s*(?:van|of|/)\s*\d{1,4})?$", re.I)
_LEADER = re.compile(r"(?:\.\s?){3,}\s*\d{1,3}$|…+\s*\d{1,3}$")
_CONTENTS = re.compile(r"inhoud(?:sopgave|stafel)?|inhoud en leeswijzer|contents", re.I)
_SPACE = re.compile(r"\s+")


@dataclass
class PdfPages:
    """A PDF read for ingest.

    pages     text per physical page, headings marked, furniture and contents pages removed
    labels    printed page label per page ("" when none is known)
    ocr       per page, whether its text came from OCR
    headed    whether headings were found in the layout (else the chunker's text rules apply)
    seconds   time spent on OCR, seconds
    dropped   contents pages whose text was dropped (1-based)
    notes     per page, its footnotes ("1 NOS, 14 augustus 2024 ..."), taken out of the page text
    anchors   per page and note, the letters around its marker (``take_footnotes``)
    """

    pages: list[str]
    labels: list[str]
    ocr: list[bool]
    headed: bool
    seconds: float = 0.0
    dropped: list[int] = field(default_factory=list)
    notes: list[list[str]] = field(default_factory=list)
    anchors: list[list[str]] = field(default_factory=list)


def read_pdf_document(path: Path, data: bytes, ocr: bool = True, ocr_cache: Path | None = None) -> PdfPages:
    """Read ``path`` (bytes ``data``): see the module doc. ``ocr_cache`` is a folder that keeps OCR text by
    the PDF's bytes (see ``ocr_pages``).

    Raises :class:`DocumentError` (one Dutch line) for an unreadable PDF, or a scan
    when ``ocr`` is off or Tesseract is missing.
    """
    try:
        texts = read_pdf(path, data)
    except DocumentError as exc:
        if "geen tekstlaag" not in exc.reason:
            raise
        texts = []
    try:
        import pdfplumber

        with pypdf_logs(), pdfplumber.open(io.BytesIO(data)) as pdf:
            layouts = [page_layout(page, n) for n, page in enumerate(pdf.pages, 1)]
        segments = [layout[0] for layout in layouts]
        tables = [layout[1] for layout in layouts]
        markers = [layout[2] for layout in layouts]
    except Exception as exc:  # pdfplumber raises many kinds on damaged files; the text layer alone still serves
        log.debug("pdfplumber failed on %s: %s", path, exc)
        segments = [[] for _ in texts]
        tables = [[] for _ in texts]
        markers = [[] for _ in texts]
    if not texts:
        texts = [""] * len(segments)
    scanned = [letter_count(text) < MIN_LETTERS for text in texts]
    ocr_flags = [False] * len(texts)
    seconds = 0.0
    if any(scanned):
        if not ocr:
            if all(scanned):
                raise DocumentError(path, "geen tekstlaag: OCR nodig (uitgezet met --no-ocr)")
        else:
            started = time.perf_counter()
            read = ocr_pages(path, data, [i for i, s in enumerate(scanned) if s], ocr_cache)
            for n, text in zip(read, drop_sidebar_lines(drop_running_lines(list(read.values()))), strict=True):
                texts[n] = text
                ocr_flags[n] = True
            seconds = time.perf_counter() - started
    if not any(text.strip() for text in texts):
        raise DocumentError(path, "geen tekstlaag: OCR nodig")
    flat = [s for page in segments for s in page]
    furniture = running_keys(segments)
    headings = _headings(data, flat, furniture)
    labels = _labels(data, segments, furniture)
    pages: list[str] = []
    dropped: list[int] = []
    notes: list[list[str]] = []
    anchors: list[list[str]] = []
    body = body_size(flat)
    for n, text in enumerate(texts):
        page_segs = segments[n] if n < len(segments) else []
        if is_contents_page(text, page_segs):
            pages.append(contents_prose(text))  # its entries go; a paragraph of prose beside them stays
            notes.append([])
            anchors.append([])
            dropped.append(n + 1)
            continue
        page_notes: list[str] = []
        page_anchors: list[str] = []
        if not ocr_flags[n]:
            text = drop_endnote_markers(text, markers[n] if n < len(markers) else [])
            text, page_notes, page_anchors = take_footnotes(text, footnote_lines(page_segs, body, furniture))
        notes.append(page_notes)
        anchors.append(page_anchors)
        if not ocr_flags[n]:
            text = mark_headings(text, [h for h in headings if h.page == n + 1])
            for rows in tables[n] if n < len(tables) else []:
                text = put_table(text, rows)
            text = drop_zone_furniture(text, page_segs, furniture)
            text = layout_order(text, [s for s in page_segs if not s.in_table])
        pages.append(text)
    if not any(letter_count(page) for page in pages) and not dropped:
        raise DocumentError(path, "geen tekstlaag: OCR nodig (alleen kop- en voetteksten)")
    return PdfPages(
        pages, labels, ocr_flags, headed=bool(headings), seconds=seconds, dropped=dropped, notes=notes, anchors=anchors
    )


#: Most consecutive lines compared as one run by :func:`layout_order`.
WINDOW = 4


def layout_order(text: str, segments: list[Segment]) -> str:
    """``text`` (pypdf's, in the order of the content stream) with each line that holds the same letters as a
    visual line of ``segments`` (outside the header and footer zones), in another order, written in the visual
    order, and stray list numbers put back (``_numbers_to_their_lines``).

    pypdf keeps two columns apart but writes a line's pieces in the order the PDF draws them: an article's member
    number or a term set apart comes last ("Onder  wordt in elk geval verstaan:3. eigen kracht" for "3. Onder
    eigen kracht wordt in elk geval verstaan:", 23 lines of the Groningen verordening), and a header table's
    cells may run into the next line ("Datum 12-03-2024 Tijd" / "Join registratie 9:30 - 14:47 Z/24/082517").
    Runs of up to :data:`WINDOW` lines are compared by their sorted characters without spaces, so only a pure
    reordering is rewritten.
    """
    shown = _visual_lines([s for s in segments if not s.in_zone])  # a header's pieces are no line of the body
    visual: dict[str, tuple[int, str]] = {}  # letters -> (lines, text) of the shortest visual run holding them
    for size in range(1, WINDOW + 1):
        for j in range(len(shown) - size + 1):
            joined = "\n".join(shown[j : j + size])
            visual.setdefault(_letters(joined), (size, joined))
    if not visual:
        return text
    rows = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(rows):
        for size in range(1, WINDOW + 1):  # the fewest lines that hold a visual run's letters
            block = "\n".join(rows[i : i + size])
            found = visual.get(_letters(block)) if len(_SPACE.sub("", block)) > 10 and i + size <= len(rows) else None
            # pieces gathered into their lines, never a line split up (a big "2026" set above "Begroting")
            if found is not None and found[0] <= size:
                seen = found[1]
                out.append(seen if _SPACE.sub("", seen) != _SPACE.sub("", block) else block)
                i += size
                break
        else:
            out.append(rows[i])
            i += 1
    return "\n".join(_numbers_to_their_lines(out, _visual_lines(segments)))


def _visual_lines(segments: list[Segment]) -> list[str]:
    """The text of each visual line of ``segments``, top to bottom: segments whose tops agree within
    :data:`SAME_LINE` points, left to right."""
    lines: list[list[Segment]] = []
    for segment in sorted(segments, key=lambda s: (s.top, s.x0)):
        if lines and abs(segment.top - lines[-1][0].top) <= SAME_LINE:
            lines[-1].append(segment)
        else:
            lines.append([segment])
    return [" ".join(s.text for s in sorted(line, key=lambda s: s.x0)) for line in lines]


#: A list number alone on its line or glued after a sentence's end ("... valt onder de wet.4.").
_STRAY_NUMBER = re.compile(r"(?:^|(?<=[.;:!?]))[ \t]*(\d{1,2}\.)[ \t]*$")
#: How many lines away from a stray list number the line it numbers may be.
NUMBER_REACH = 8


def _numbers_to_their_lines(rows: list[str], shown: list[str]) -> list[str]:
    """``rows`` with each stray list number moved to the front of the line it numbers in the layout ``shown``.

    pypdf writes an article's member number where the PDF draws it: after the member's last line, alone or
    glued to it ("6." between members 6 and 7 of the Groningen verordening; "... valt onder de wet.4."), which a
    run of a few lines cannot repair when members are long. A number moves only where a visual line starts with
    it and goes on with the first 20 letters of a nearby line.
    """
    starts: dict[str, set[str]] = {}
    for line in shown:
        numbered = re.match(r"(\d{1,2}\.)\s+(\S.*)", line)
        if numbered:
            starts.setdefault(numbered.group(1), set()).add(_SPACE.sub("", numbered.group(2))[:20])
    rows = list(rows)
    emptied: set[int] = set()
    for i, row in enumerate(rows):
        stray = _STRAY_NUMBER.search(row)
        if not stray or stray.group(1) not in starts:
            continue
        for j in sorted(
            range(max(0, i - NUMBER_REACH), min(len(rows), i + NUMBER_REACH + 1)), key=lambda j: abs(j - i)
        ):
            rest = row[: stray.start()] if j == i else rows[j]  # "De zorg ... valt onder de wet.4." numbers itself
            head = _SPACE.sub("", rest)[:20]
            if len(head) == 20 and head in starts[stray.group(1)]:
                rows[j] = f"{stray.group(1)} {rest.lstrip()}"
                if j != i:
                    rows[i] = row[: stray.start()]
                    if not rows[i].strip():
                        emptied.add(i)
                break
    return [row for i, row in enumerate(rows) if i not in emptied]


def _letters(line: str) -> str:
    return "".join(sorted(_SPACE.sub("", line)))


def _headings(data: bytes, segments: list[Segment], furniture: set[str]) -> list[Heading]:
    """Headings found by type; with a clean outline, the outline's, and those by type below them.

    A heading found by type that the outline lacks becomes a level under the
    deepest outline level (the outline lists chapters, the type shows sub-headings).
    """
    by_type = font_headings(segments, furniture)
    outline = outline_headings(outline_entries(data))
    if not outline:
        return by_type
    known = {squash(h.text) for h in outline}
    below = max(h.level for h in outline) + 1
    extra = [
        Heading(h.page, h.text, below)
        for h in by_type
        if squash(h.text) not in known
        and not any(squash(h.text).endswith(k) or k.endswith(squash(h.text)) for k in known)
    ]
    return sorted(outline + extra, key=lambda h: h.page)


def outline_entries(data: bytes) -> list[tuple[str, int | None, int]]:
    """The PDF's outline as (title, 1-based physical page or None, depth from 1), in order; [] when none."""
    from pypdf import PdfReader

    try:
        with pypdf_logs():
            reader = PdfReader(io.BytesIO(data))
            entries: list[tuple[str, int | None, int]] = []

            def walk(items: list[Any], depth: int) -> None:
                for item in items:
                    if isinstance(item, list):
                        walk(item, depth + 1)
                        continue
                    page: int | None
                    try:
                        number = reader.get_destination_page_number(item)
                        page = number + 1 if number is not None and number >= 0 else None
                    except Exception:
                        page = None
                    entries.append((str(item.title or ""), page, depth))

            walk(reader.outline, 1)
            return entries
    except Exception:
        return []


# --------------------------------------------------------------------------- furniture and labels


def running_keys(segments: list[list[Segment]]) -> set[str]:
    """Keys (:func:`line_key`) of running zone segments.

    Running: on :data:`RUNNING_SHARE` of the pages and on two, or on
    :data:`PLACED_PAGES` pages at the same height; never type bigger than the body's.
    """
    counts: Counter[str] = Counter()
    placed: Counter[tuple[str, int]] = Counter()
    body = body_size([s for page in segments for s in page])
    for page in segments:
        zone = [s for s in page if s.in_zone and s.size < BIGGER * body]  # a big title is no furniture
        counts.update({line_key(s.text) for s in zone})
        placed.update({(line_key(s.text), round(s.top / 6)) for s in zone})
    needed = max(2, RUNNING_SHARE * len(segments))
    running = {key for key, n in counts.items() if n >= needed}
    running |= {key for (key, _), n in placed.items() if n >= PLACED_PAGES}  # a chapter's running title
    return {key for key in running if any(c.isalnum() or c == "#" for c in key)}


def _squash(text: str) -> str:
    return _SPACE.sub("", text).lower()


def squash(text: str) -> str:
    """Letters and digits only, lower case: how a heading is recognised in another form."""
    return re.sub(r"[\W_]+", "", text.lower())


def drop_zone_furniture(text: str, segments: list[Segment], running: set[str]) -> str:
    """``text`` without the lines that are running zone segments or a page number in the zone.

    Only lines whose letters equal a header or footer zone segment of this page
    (or a whole zone line of them) are removed; the same words in the body stay.
    """
    zone = [s for s in segments if s.in_zone and (line_key(s.text) in running or _is_page_number(s.text))]
    if not zone:
        return text
    gone = {_squash(s.text) for s in zone}
    by_line: dict[int, list[Segment]] = {}
    for s in zone:
        by_line.setdefault(round(s.top), []).append(s)
    gone |= {_squash("".join(s.text for s in line)) for line in by_line.values()}
    gone.add(_squash("".join(s.text for s in zone)))
    kept = [line for line in text.split("\n") if not line.strip() or _squash(line) not in gone]
    return "\n".join(kept)


def _is_page_number(text: str) -> bool:
    return (
        re.fullmatch(r"(?:pagina|page|blz\.?)?\s*-?\s*\d{1,3}\s*-?(?:\s*(?:van|of|/)\s*\d{1,4})?", text.strip(), re.I)
        is not None
    )


def _labels(data: bytes, segments: list[list[Segment]], running: set[str]) -> list[str]:
    """Printed page label per page: ``/PageLabels`` when the PDF has them, else a page number in the zone.

    Lone page numbers ("2", "Pagina 2 van 7") are preferred; a running line ending in a
    number ("Aanhangsel 2") counts only on pages without one.
    """
    from pypdf import PdfReader

    try:
        with pypdf_logs():
            reader = PdfReader(io.BytesIO(data))
            if "/PageLabels" in reader.trailer["/Root"]:  # type: ignore[operator]
                return [str(label) for label in reader.page_labels]
    except Exception:
        pass
    labels = []
    lone: set[str] = set()
    spot_lone = number_spot(segments, lone)
    spot_running = number_spot(segments, running)
    for page in segments:
        label = printed_number(page, lone, len(segments), spot_lone)
        labels.append(label or printed_number(page, running, len(segments), spot_running))
    return labels


def printed_number(segments: list[Segment], running: set[str], pages: int, spot: tuple[int, int] | None = None) -> str:
    """The page number printed in the header or footer zone of a page, or "".

    A zone segment counts when it is only a number ("2", "- 2 -", "Pagina 2 van 7",
    "2/46") or a running line ending in one ("Aanhangsel 2"); a year is no page
    number. With ``spot`` (where the document prints its numbers, see
    :func:`number_spot`) only a segment there counts.
    """
    for segment in sorted((s for s in segments if s.in_zone), key=lambda s: -s.top):
        text = segment.text.strip()
        match = _PRINTED.search(text)
        if not match or (spot is not None and _spot(segment) != spot):
            continue
        if not (_is_page_number(text) or line_key(text) in running):
            continue
        number = int(match.group(1))
        if 0 < number <= max(pages * 3, 999) and not 1900 <= number <= 2100:
            return str(number)
    return ""


def _spot(segment: Segment) -> tuple[int, int]:
    """Where a segment sits, in cells of 30 points: its right edge and its top."""
    return round(segment.x1 / 30), round(segment.top / 30)


def number_spot(segments: list[list[Segment]], running: set[str]) -> tuple[int, int] | None:
    """Where most pages print their page number (:func:`_spot`), or None when no place recurs."""
    spots: Counter[tuple[int, int]] = Counter()
    for page in segments:
        for segment in page:
            if segment.in_zone and printed_number([segment], running, len(segments)):
                spots[_spot(segment)] += 1
    if not spots:
        return None
    spot, n = spots.most_common(1)[0]
    return spot if n >= 2 else None


def is_contents_page(text: str, segments: list[Segment]) -> bool:
    """A contents page: four lines with dot leaders, or an "Inhoud" title over mostly page references."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if sum(_LEADER.search(line) is not None for line in lines) >= 4:
        return True
    body = [s for s in segments if not s.in_zone]
    titled = any(_CONTENTS.fullmatch(s.text.strip()) for s in body[:4])
    if not titled or len(body) < 5:
        return False
    references = sum(re.search(r"(?:^|\s)\d{1,3}$", s.text.strip()) is not None for s in body)
    return references >= 0.3 * len(body)


#: A paragraph of prose on a contents page has at least this many words and ends a sentence.
PROSE_WORDS = 12


def contents_prose(text: str) -> str:
    """The paragraphs of a contents page that are prose, not entries: "Dit kwalitatieve onderzoek is gebaseerd
    op 16 interviews met 27 verschillende respondenten. ..." in a box beside the contents (no dot leader, at
    least ``PROSE_WORDS`` words, ending a sentence); "" when there are none."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text)]
    prose = [
        block
        for block in blocks
        if len(block.split()) >= PROSE_WORDS
        and block.endswith((".", "!", "?"))
        and not any(_LEADER.search(line.strip()) for line in block.split("\n"))
    ]
    return "\n\n".join(prose)


# --------------------------------------------------------------------------- headings into text


def mark_headings(text: str, headings: list[Heading]) -> str:
    """``text`` with each heading's line(s) set apart as a paragraph starting with its level mark.

    A heading is found as one line, or up to four consecutive lines, whose letters
    (spaces ignored) equal the heading's; an outline title may also be the end of a
    line that starts with its number ("2. Basiskenmerken"). Headings not found are skipped.
    """
    lines = text.split("\n")
    squashed = [_squash(line) for line in lines]
    cursor = 0
    for heading in headings:
        found = _find(squashed, _squash(heading.text), cursor)
        if found is None:
            found = _find(squashed, _squash(heading.text), 0)
        if found is None:
            continue
        first, last = found
        title = " ".join(line.strip() for line in lines[first : last + 1])
        lines[first] = f"\n{heading_mark(heading.level)}{title}\n"
        squashed[first] = ""
        for i in range(first + 1, last + 1):
            lines[i] = None  # type: ignore[call-overload]
            squashed[i] = ""
        cursor = last + 1
    return "\n".join(line for line in lines if line is not None)


def _find(squashed: list[str], target: str, start: int) -> tuple[int, int] | None:
    if not target:
        return None
    for i in range(start, len(squashed)):
        if not squashed[i] or not target.startswith(squashed[i]) and not _numbered_as(squashed[i], target):
            continue
        joined = squashed[i]
        if joined == target or _numbered_as(joined, target):
            return i, i
        for j in range(i + 1, min(i + 4, len(squashed))):
            joined += squashed[j]
            if joined == target or _numbered_as(joined, target):
                return i, j
            if not target.startswith(joined):
                break
    return None


def _numbered_as(line: str, target: str) -> bool:
    """Whether ``line`` is ``target`` with a number in front ("2.basiskenmerken" for "basiskenmerken")."""
    return (
        line.endswith(target)
        and re.fullmatch(r"[\divx]{1,4}(?:\.\d{1,2})*\.?", line[: len(line) - len(target)]) is not None
    )


# --------------------------------------------------------------------------- footnotes

#: A footnote's first line: its number and text, not an ordinal with its raised "e" ("1 e druk maart 2024", a
#: colophon's editions, is no note 1).
_NOTE_START = re.compile(r"(\d{1,2})\s+(?!(?:e|ste|de)\b)\S")
#: A text line that is only part of a footnote line must be this long to be taken as footnote text
#: (a heading "meerjarenbeleidsplan" also occurs inside a note, and stays).
MIN_NOTE_PART = 30
#: Footnotes are set smaller than this share of the body size, in the lower part of the page.
NOTE_SIZE, NOTE_AREA = 0.92, 0.5


#: A note number set as a line of its own, a little above its note's first line ("9" over "Voorbeelden ...").
_LONE_NUMBER = re.compile(r"\d{1,2}")
#: How far (points) a lone note number may sit above the first line of its note.
NUMBER_ABOVE = 4.0


def footnote_lines(segments: list[Segment], body: float, furniture: set[str]) -> list[Segment]:
    """The footnote lines of a page: small type below :data:`NOTE_AREA` of the page, from the first line
    that starts with a note number down, without running furniture or page numbers. A note number printed
    as a segment of its own just above its note's first line (``_LONE_NUMBER``) counts as that line's start."""
    small = sorted(
        (s for s in segments if s.size <= NOTE_SIZE * body and s.top > NOTE_AREA * s.height),
        key=lambda s: (s.top, s.x0),
    )
    small = [
        s
        for i, s in enumerate(small)
        if not (line_key(s.text) in furniture or _is_page_number(s.text))
        or _numbers_next(s, small[i + 1] if i + 1 < len(small) else None)
    ]
    # a lone number left here numbers the note line after it (``_numbers_next``): the others were page numbers
    first = next((i for i, s in enumerate(small) if _NOTE_START.match(s.text) or _LONE_NUMBER.fullmatch(s.text)), None)
    return small[first:] if first is not None else []


def _numbers_next(number: Segment, after: Segment | None) -> bool:
    """``number`` is a lone note number of the note line ``after``: set raised a little above it and right
    before it (a table's cells of one row share their top, and a "0" numbers no note)."""
    return (
        _LONE_NUMBER.fullmatch(number.text) is not None
        and int(number.text) > 0
        and after is not None
        and 0.5 <= after.top - number.top <= NUMBER_ABOVE
        and 0 <= after.x0 - number.x1 <= 2 * after.size
    )


def drop_endnote_markers(text: str, markers: list[tuple[str, str]]) -> str:
    """``text`` without the endnote markers glued to words ("domein’i" -> "domein’"; ``layout.endnote_markers``),
    each at its first place not yet taken."""
    for word, marker in markers:
        text = re.sub(rf"(?<!\w){re.escape(word)}{re.escape(marker)}(?![^\W\d_])", word, text, count=1)
    return text


def take_footnotes(text: str, lines: list[Segment]) -> tuple[str, list[str], list[str]]:
    """``text`` without its footnote lines and without the markers that point at them, the notes, and per note
    its anchor: the last ``ANCHOR`` letters and digits before its marker and the first after it (``squash``),
    joined by "|"; "" when no marker was found. The chunker gives a note to the passage that holds its anchor
    (``CleanDocument.notes_in``); the words after the marker place it when those before it were a running
    header that cleaning dropped.

    A marker (``analyse10``, ``NOS?1``, ``2015.3``) is removed only when a note with
    that number is on the page; other numbers after words stay.
    """
    notes: list[str] = []
    for line in lines:
        if _NOTE_START.match(line.text) or _LONE_NUMBER.fullmatch(line.text) or not notes:
            notes.append(line.text)
        else:
            notes[-1] += " " + line.text
    notes = [note for note in notes if not _LONE_NUMBER.fullmatch(note)]  # a number with no note after it
    if not notes:
        return text, [], []
    pieces = {_squash(line.text) for line in lines}
    whole = _squash(" ".join(notes))
    kept = [
        line
        for line in text.split("\n")
        if not (_squash(line) in pieces or (len(_squash(line)) >= MIN_NOTE_PART and _squash(line) in whole))
    ]
    body = "\n".join(kept)
    anchors: list[str] = []
    for note in notes:
        number = note.split()[0]
        marker = rf"(?:(?<=[^\W\d_]{{3}})|(?<=[?!.)”’»])|(?<=[?!”’»] ))(?<!\d){number}(?=[\s.,;:)]|$)"
        found = re.search(marker, body, flags=re.M)
        anchors.append(
            f"{squash(body[: found.start()])[-ANCHOR:]}|{squash(body[found.end() :])[:ANCHOR]}" if found else ""
        )
        if found:
            body = body[: found.start()] + body[found.end() :]
    return body, notes, anchors


#: How many letters and digits before and after a footnote marker tie the note to the passage that holds them.
ANCHOR = 24


# --------------------------------------------------------------------------- tables

#: A table is rewritten row by row only when at least this share of its rows has a label in the first column.
LABELLED_ROWS = 0.6


def put_table(text: str, rows: list[list[str]]) -> str:
    """``text`` with the lines of a ruled table replaced by one line per row naming every cell's column.

    The table's lines are the longest run of lines whose letters all occur in the
    table's cells. Tables without row labels or column names (cells of a grid that
    pdfplumber could not read) are left as the text layer gives them.
    """
    rows = [row for row in rows if any(row)]
    if len(rows) < 2 or len(rows[0]) < 2 or sum(bool(row[0]) for row in rows[1:]) < LABELLED_ROWS * (len(rows) - 1):
        return text
    header = rows[0]
    if not all(header[1:]):
        return text
    whole = _squash("".join(cell for row in rows for cell in row))
    lines = text.split("\n")
    best: tuple[int, int] = (0, -1)
    start = None
    for i, line in enumerate([*lines, "\x00"]):
        inside = bool(_squash(line)) and _squash(line) in whole and line != "\x00"
        if inside and start is None:
            start = i
        if not inside and start is not None:
            if i - start > best[1] - best[0] + 1:
                best = (start, i - 1)
            start = None
    first, last = best
    if last - first + 1 < 2:
        return text
    if is_glossary(rows):
        block = glossary_blocks(rows)  # term passages, one per row (chunking)
    else:
        block = ([header[0]] if header[0] else []) + _label_rows(header, rows[1:])
    spaced = [part for row in block for part in ("", row)]  # a paragraph per row: rows are never run together
    return "\n".join([*lines[:first], *spaced, "", *lines[last + 1 :]])


def _label_rows(header: list[str], rows: list[list[str]]) -> list[str]:
    """One line per row, each value named by its column: ``"Label — 2025: 200; 2026: 300"``."""
    out = []
    for row in rows:
        cells = [f"{name}: {value}" for name, value in zip(header[1:], row[1:], strict=False) if value]
        out.append(f"{row[0]} — " + "; ".join(cells) if cells else row[0])
    return out


# --------------------------------------------------------------------------- OCR


def drop_sidebar_lines(pages: list[str]) -> list[str]:
    """OCR pages without the short lines repeated on most of them (a letter's sidebar: "Ons kenmerk").

    OCR text has no positions, so the zone rule of :func:`drop_zone_furniture` cannot be
    applied; a line of at most :data:`SIDEBAR_CHARS` characters that recurs word for word on
    :data:`RUNNING_SHARE` of three or more scanned pages is taken for printed furniture instead.
    """
    if len(pages) < 3:
        return pages
    counts = Counter(key for page in pages for key in {line_key(line) for line in page.split("\n") if line.strip()})
    needed = max(3, RUNNING_SHARE * len(pages))
    sidebar = {key for key, n in counts.items() if n >= needed and len(key) <= SIDEBAR_CHARS}
    return ["\n".join(line for line in page.split("\n") if line_key(line) not in sidebar) for page in pages]


def ocr_pages(path: Path, data: bytes, numbers: list[int], cache: Path | None = None) -> dict[int, str]:
    """OCR text of the 0-based pages ``numbers``, rendered with pypdfium2 and read by Tesseract ``nld``.

    With ``cache`` (a folder), pages read before from the same bytes at the same language and scale come
    from ``<cache>/<sha256>.json`` and new ones are added to it: a re-ingest after a change of synonyms or
    pipeline version re-reads every document, and OCR is about 6 s a page of the 11 s it all takes.

    Raises :class:`DocumentError` when a page must be read and Tesseract or its Dutch model is missing.
    """
    key = hashlib.sha256(data + f"|{OCR_LANG}|{OCR_SCALE}".encode()).hexdigest()
    file = cache / f"{key}.json" if cache is not None else None
    stored: dict[str, str] = {}
    if file is not None and file.exists():
        try:
            stored = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = {}  # a damaged cache file is read again
    missing = [n for n in numbers if str(n) not in stored]
    if missing:
        stored.update({str(n): text for n, text in _tesseract(path, data, missing).items()})
        if file is not None:
            file.parent.mkdir(parents=True, exist_ok=True)
            partial = file.with_suffix(".tmp")
            partial.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
            os.replace(partial, file)
    return {n: stored[str(n)] for n in numbers}


def _tesseract(path: Path, data: bytes, numbers: list[int]) -> dict[int, str]:
    try:
        import pypdfium2
        import pytesseract
    except ImportError as exc:
        raise DocumentError(path, f"geen tekstlaag en OCR niet beschikbaar ({exc.name} ontbreekt)") from exc
    try:
        languages = pytesseract.get_languages()
    except Exception as exc:
        raise DocumentError(
            path, "geen tekstlaag en tesseract niet geïnstalleerd (apt install tesseract-ocr-nld)"
        ) from exc
    if OCR_LANG not in languages:
        raise DocumentError(path, "geen tekstlaag en geen Nederlands OCR-model (apt install tesseract-ocr-nld)")
    pdf = pypdfium2.PdfDocument(data)
    try:
        out: dict[int, str] = {}
        for n in numbers:
            image = pdf[n].render(scale=OCR_SCALE).to_pil()
            out[n] = pytesseract.image_to_string(image, lang=OCR_LANG)
        return out
    finally:
        pdf.close()
