"""Headings of a PDF: from its outline (bookmarks) when that is clean, else from font size and weight.

A heading is a :class:`Heading` (page, text, level). Font headings are segments
set bigger than the body text, or wholly bold on a line of their own, that pass
:func:`is_heading_text` (no list item ending in "," or ";", no address line, no
row of numbers, no signature, no dot leader). Numbered headings nest by their
numbers ("2" > "2.3" > "2.3.1"), whatever their type size; unnumbered ones take
the level of their type style. Pure functions over segments and outline entries.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from kennisbank.ingest.layout import Segment, body_size, letter_count

#: A segment at least this many times the body size is a heading candidate.
BIGGER = 1.12
#: Headings are at most this many characters.
MAX_HEADING = 150
#: Deepest heading level kept.
MAX_LEVEL = 6

_NUMBER = re.compile(r"(?:(?P<word>hoofdstuk|bijlage|paragraaf|artikel|deel)\s+)?(?P<num>\d{1,2}(?:\.\d{1,2})*)\.?(?=\s|$)", re.I)
_KEYWORD_LEVEL = {"hoofdstuk": 1, "deel": 1, "bijlage": 1, "paragraaf": 2, "artikel": 3}
_POSTCODE = re.compile(r"\b\d{4}\s?[A-Z]{2}\b")
_ADDRESS = re.compile(r"\b(?:postbus|bezoekadres|postadres)\b|\b\w+(?:straat|weg|laan|plein|gracht|kade)\s+\d", re.I)
_SIGNATURE = re.compile(
    r"^(?:hoogachtend|met vriendelijke groet(?:en)?|de (?:staats)?secretaris|de minister|de burgemeester|"
    r"de (?:griffier|secretaris|voorzitter)|namens|w\.g\.|ondertekening)\b",
    re.I,
)
_DOT_LEADER = re.compile(r"(?:\.\s?){4,}|…{2,}|_{4,}")
_PAGE_LINE = re.compile(r"(?:pagina|page|blz\.?)\s*\d+", re.I)
_JUNK_BOOKMARK = re.compile(r"^_|^(?:_?hlk|_toc|_ref)\d", re.I)


@dataclass(frozen=True)
class Heading:
    """A heading found in the layout: physical ``page``, its ``text`` and its ``level`` (1 = chapter)."""

    page: int
    text: str
    level: int


def is_heading_text(text: str) -> bool:
    """Whether ``text`` can be a heading at all, whatever its type.

    Rejected: under 3 letters or over :data:`MAX_HEADING` characters, ending in ","
    or ";", starting in lower case, address lines (postcode, street and number,
    "Postbus"), rows of numbers (fewer letters than digits), signatures
    ("Hoogachtend", "De minister ..."), dot leaders of a contents page, page numbers,
    URLs and e-mail addresses, and sentences (a full stop after more than eight words).
    """
    text = text.strip()
    if letter_count(text) < 3 or len(text) > MAX_HEADING:
        return False
    if text.endswith((",", ";")) or text[0].islower():
        return False
    if _POSTCODE.search(text) or _ADDRESS.search(text) or _SIGNATURE.match(text):
        return False
    digits = sum(c.isdigit() for c in text)
    if digits > letter_count(text):
        return False
    if _DOT_LEADER.search(text) or _PAGE_LINE.fullmatch(text) or "://" in text or "@" in text or "www." in text:
        return False
    return not (text.endswith(".") and len(text.split()) > 8)


def number_level(text: str) -> int | None:
    """The level a heading's number gives it: "2" -> 1, "2.3" -> 2, "Artikel 4" -> 3; None when unnumbered."""
    match = _NUMBER.match(text.strip())
    if not match:
        return None
    word = (match.group("word") or "").lower()
    if word:
        return _KEYWORD_LEVEL[word]
    return min(MAX_LEVEL, match.group("num").count(".") + 1)


def font_headings(segments: list[Segment]) -> list[Heading]:
    """Headings found by type: candidates merged over wrapped lines, then levelled (see module doc)."""
    body = body_size(segments)
    candidates = _merge_wrapped([s for s in segments if _is_candidate(s, segments, body)])
    candidates = [s for s in candidates if is_heading_text(s.text)]
    styles = _style_levels(candidates)
    headings = []
    for segment in candidates:
        level = number_level(segment.text) or styles[_style(segment)]
        headings.append(Heading(segment.page, segment.text, level))
    return headings


def _is_candidate(segment: Segment, segments: list[Segment], body: float) -> bool:
    """Bigger than the body, or bold and alone on its visual line; never in the header or footer zone."""
    if segment.in_zone or letter_count(segment.text) < 3:
        return False
    if segment.size >= BIGGER * body:
        return True
    if not segment.bold or segment.size < 0.95 * body:
        return False
    same_line = [s for s in segments if s.page == segment.page and abs(s.top - segment.top) <= 2 and s != segment]
    return not same_line


def _merge_wrapped(candidates: list[Segment]) -> list[Segment]:
    """Join a heading wrapped over lines: same page, style and left edge, the next line right below."""
    merged: list[Segment] = []
    for segment in candidates:
        if merged:
            last = merged[-1]
            below = 0 <= segment.top - last.bottom <= 0.8 * segment.size
            if (
                last.page == segment.page
                and _style(last) == _style(segment)
                and abs(last.x0 - segment.x0) <= 2 * segment.size
                and below
                and number_level(segment.text) is None
                and not last.text.endswith((".", ":", "?"))
            ):
                merged[-1] = Segment(
                    last.page,
                    last.top,
                    segment.bottom,
                    last.x0,
                    max(last.x1, segment.x1),
                    last.size,
                    last.bold,
                    f"{last.text} {segment.text}",
                    last.height,
                )
                continue
        merged.append(segment)
    return merged


def _style(segment: Segment) -> tuple[float, bool]:
    return (round(segment.size), segment.bold)


def _style_levels(candidates: list[Segment]) -> dict[tuple[float, bool], int]:
    """Level of each type style: that of its numbered headings, else one below the next bigger style."""
    numbered: dict[tuple[float, bool], Counter[int]] = {}
    for segment in candidates:
        level = number_level(segment.text)
        if level is not None:
            numbered.setdefault(_style(segment), Counter())[level] += 1
    levels: dict[tuple[float, bool], int] = {}
    previous = 0
    for style in sorted({_style(s) for s in candidates}, key=lambda st: (-st[0], not st[1])):
        if style in numbered:
            level = numbered[style].most_common(1)[0][0]
        else:
            level = min(MAX_LEVEL, previous + 1)
        levels[style] = level
        previous = level
    return levels


# --------------------------------------------------------------------------- outline


def outline_headings(entries: list[tuple[str, int | None, int]]) -> list[Heading] | None:
    """Headings from outline ``entries`` (title, physical page or None, depth from 1), or None when it is junk.

    An outline is junk (and font headings are used instead) when any title is a
    generated bookmark name (``_Hlk…``, ``_1809928518``), holds a tab, or when an
    entry has no page or the pages go backwards.
    """
    if len(entries) < 3:
        return None
    pages = [page for _, page, _ in entries]
    if any(page is None for page in pages):
        return None
    if any(_JUNK_BOOKMARK.search(title) or "\t" in title for title, _, _ in entries):
        return None
    if any(b < a for a, b in zip(pages, pages[1:], strict=False)):  # type: ignore[operator]
        return None
    return [Heading(page, " ".join(title.split()), min(depth, MAX_LEVEL)) for title, page, depth in entries if page]
