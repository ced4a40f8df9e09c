"""Documents as the pipeline sees them: metadata, raw pages, cleaned text."""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import NamedTuple

#: Values of ``DocumentMeta.status``; an absent status means "vastgesteld" (adopted).
STATUSES = ("concept", "vastgesteld", "vervallen")


@dataclass(frozen=True)
class DocumentMeta:
    """Who a document is: its id (the file name) and the metadata maintainers edit in ``metadata.toml``.

    This is the one definition of the metadata schema: ``corpus.load_metadata`` validates
    against these fields and the index manifest stores them as they are.

    doc          path relative to the corpus folder (posix, NFC)
    title        the document's own title, shown in citations
    kind         kind of document (qa, raadsvoorstel, regiovisie, ...; free text)
    region       the region the document is about
    period       the years it covers ("2020-2023")
    places       municipalities the document covers
    status       concept, vastgesteld or vervallen (see ``STATUSES``)
    replaced_by  the document that replaces this one, if any
    """

    doc: str
    title: str
    kind: str = ""
    region: str = ""
    period: str = ""
    places: tuple[str, ...] = ()
    status: str = "vastgesteld"
    replaced_by: str = ""

    def to_dict(self) -> dict[str, object]:
        """The fields as JSON-ready values (``places`` as a list)."""
        return {name: list(value) if isinstance(value, tuple) else value for name, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> DocumentMeta:
        """The inverse of ``to_dict``; unknown keys are ignored."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if "places" in known:
            known["places"] = tuple(known["places"])  # type: ignore[arg-type]
        return cls(**known)  # type: ignore[arg-type]


#: The fields a maintainer may set per document in ``metadata.toml`` (``doc`` is the table's key).
META_FIELDS = tuple(name for name in DocumentMeta.__dataclass_fields__ if name != "doc")


@dataclass(frozen=True)
class SourceDocument:
    """A document as read from disk: one string per page (one page for plain text)."""

    meta: DocumentMeta
    path: Path
    pages: list[str]
    paged: bool  # True where page numbers are real (PDF)
    labels: list[str] = field(default_factory=list)  # printed page label per page ("" unknown)
    ocr: list[bool] = field(default_factory=list)  # per page: text from OCR
    headed: bool = False  # headings are marked in the pages (heading_mark); else the chunker finds them
    notes: list[list[str]] = field(default_factory=list)  # per page: its footnotes
    anchors: list[list[str]] = field(default_factory=list)  # per page and note: the letters around its marker


class Footnote(NamedTuple):
    """A footnote written out after a document's body: its text is ``text[start:end]``; ``page`` the page it
    stands on (None in an unpaged text), ``number`` its number as printed, ``anchor`` the offset in the body where
    its page (or the piece of text it stood under) ends: it belongs to the section there."""

    start: int
    end: int
    page: int | None
    number: str
    anchor: int


@dataclass(frozen=True)
class CleanDocument:
    """A document after cleaning: one text, and where each page starts in it."""

    meta: DocumentMeta
    text: str
    page_starts: list[int] | None = None  # offsets into text; None for unpaged sources
    headings: dict[int, int] | None = None  # offset of a heading's first character -> level; None: find by text
    labels: list[str] = field(default_factory=list)  # printed page label per page
    ocr: list[bool] = field(default_factory=list)  # per page: text from OCR
    notes: list[list[str]] = field(default_factory=list)  # per page: its footnotes
    # per page and note: the offset in ``text`` of the last letter before its marker, None where it was not found
    # (``place_notes``)
    note_places: list[list[int | None]] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)  # written out after the body (``clean_document``)
    # where each piece of an unpaged text cut at its footnote blocks starts (``notes`` are per piece); None: paged
    piece_starts: list[int] | None = None

    @property
    def body_end(self) -> int:
        """Where the body ends: the footnotes written out after it start later (``footnotes``)."""
        return self.footnotes[0].start - 2 if self.footnotes else len(self.text)

    def notes_in(self, start: int, end: int) -> tuple[str, ...]:
        """The footnotes of the pages (or, in an unpaged text cut at its footnote blocks, the pieces:
        ``piece_starts``) under ``text[start:end]`` whose marker stood inside it; a note whose marker was not
        placed (``note_places``) goes with every passage of its page."""
        starts = self.page_starts or self.piece_starts
        if not self.notes or not starts:
            return ()
        first = bisect.bisect_right(starts, start) or 1
        last = bisect.bisect_right(starts, max(start, end - 1)) or 1
        found: list[str] = []
        for page in range(first, last + 1):
            places = self.note_places[page - 1] if page <= len(self.note_places) else []
            for i, note in enumerate(self.notes[page - 1] if page <= len(self.notes) else []):
                at = places[i] if i < len(places) else None
                if at is None or start <= at < end:
                    found.append(note)
        return tuple(found)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page that holds character ``offset``, or None for unpaged text."""
        if not self.page_starts:
            return None
        return bisect.bisect_right(self.page_starts, offset)

    def main_page(self, start: int, end: int) -> int | None:
        """The 1-based page that holds most characters of ``text[start:end]`` (the first such), None if unpaged.

        A passage that begins with the last line of a page and runs on over the
        next cites the next page.
        """
        if not self.page_starts:
            return None
        first, last = self.page_at(start) or 1, self.page_at(max(start, end - 1)) or 1
        best, most = first, -1
        for page in range(first, last + 1):
            lo = max(start, self.page_starts[page - 1])
            hi = min(end, self.page_starts[page] if page < len(self.page_starts) else end)
            letters = sum(c.isalnum() for c in self.text[lo:hi])
            if letters > most:
                best, most = page, letters
        return best

    def breaks_in(self, start: int, end: int) -> tuple[tuple[int, int], ...]:
        """(offset from ``start``, page) of each page that begins inside ``text[start:end]``."""
        if not self.page_starts:
            return ()
        found: dict[int, int] = {}
        for number, at in enumerate(self.page_starts, 1):
            if start < at < end:
                found[at - start] = number  # of empty pages starting at the same place, the last one holds text
        return tuple(sorted(found.items()))

    def label_of(self, page: int | None) -> str:
        """The printed label of ``page`` ("" when unknown)."""
        return self.labels[page - 1] if page and page <= len(self.labels) else ""

    def labels_in(self, start: int, end: int) -> tuple[str, ...]:
        """The printed labels of the pages under ``text[start:end]``, first page first.

        Empty when the span lies on one page or no label is known. The first page is
        counted as ``Passage.page_at(0)`` counts it: the page before the first break.
        """
        breaks = self.breaks_in(start, end)
        if not self.labels or not breaks:
            return ()
        first, last = breaks[0][1] - 1, breaks[-1][1]
        labels = tuple(self.label_of(page) for page in range(first, last + 1))
        return labels if any(labels) else ()

    def is_ocr(self, start: int, end: int) -> bool:
        """Whether any page under ``text[start:end]`` was read by OCR."""
        if not self.ocr or not self.page_starts:
            return False
        first, last = self.page_at(start) or 1, self.page_at(max(start, end - 1)) or 1
        return any(self.ocr[first - 1 : last])


#: First of the private-use code points that mark a heading line in page text: ``MARK + level``.
MARK = 0xE000
_MARKS = re.compile("[\ue001-\ue009]")


def heading_mark(level: int) -> str:
    """The character that marks a heading of ``level`` (1-9) at the start of its line in page text."""
    return chr(MARK + max(1, min(9, level)))


def take_marks(text: str) -> tuple[str, list[tuple[int, int]]]:
    """``text`` without heading marks, and (offset in the returned text, level) of each mark."""
    found: list[tuple[int, int]] = []
    parts: list[str] = []
    last = 0
    for removed, match in enumerate(_MARKS.finditer(text)):
        parts.append(text[last : match.start()])
        found.append((match.start() - removed, ord(match.group(0)) - MARK))
        last = match.end()
    parts.append(text[last:])
    return "".join(parts), found


def place_notes(text: str, starts: list[int], end: int, anchors: list[list[str]]) -> list[list[int | None]]:
    """Per page and note, the offset in ``text`` of the last letter before the note's marker, found by its anchor
    ("before|after": the letters and digits around the marker, ``pdf.take_footnotes``) on its page or the page
    before it (``starts``: where each page begins; ``end``: where the body ends); None when the anchor is empty or
    its letters changed in cleaning. Each page's letters are read once."""
    placed: list[list[int | None]] = []
    for page, page_anchors in enumerate(anchors, 1):
        lo = starts[max(page - 2, 0)] if starts else 0
        hi = starts[page] if page < len(starts) else end
        offsets = [lo + i for i, c in enumerate(text[lo:hi].lower()) if c.isalnum()]
        letters = "".join(text[at].lower() for at in offsets)
        mapped = len(letters) == len(offsets)  # a letter whose lower case is longer cannot be mapped back
        placed.append([_place(anchor, letters, offsets) if mapped else None for anchor in page_anchors])
    return placed


def _place(anchor: str, letters: str, offsets: list[int]) -> int | None:
    before, _, after = anchor.partition("|")
    if before and (where := letters.rfind(before)) >= 0:
        return offsets[where + len(before) - 1]
    if after and (where := letters.find(after)) > 0:
        return offsets[where - 1]  # the words before the marker were a running header that cleaning dropped
    return None
