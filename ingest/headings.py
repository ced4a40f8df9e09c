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

from kennisbank.ingest.layout import Segment, body_font, body_size, letter_count
from kennisbank.ingest.pages import line_key

#: A segment at least this many times the body size is a heading candidate.
BIGGER = 1.12
#: Headings are at most this many characters.
MAX_HEADING = 150
#: Headings only set apart by weight or colour are at most this many characters (else: an emphasised sentence).
MAX_EMPHASIS = 90
#: A heading wraps onto a next line only when its first line is at least this long (else: two headings),
#: ends in a word like "tot" or "van", or is only a label ("Bijlage 1").
MIN_WRAPPED = 30
#: Deepest heading level kept.
MAX_LEVEL = 6

_NUMBER = re.compile(
    r"(?:(?P<word>hoofdstuk|bijlage|paragraaf|artikel|deel)\s+)?(?P<num>\d{1,2}(?:\.\d{1,2})*)\.?(?=\s|$)", re.I
)
_KEYWORD_LEVEL = {"hoofdstuk": 1, "deel": 1, "bijlage": 1, "paragraaf": 2, "artikel": 3}
_LEGAL = re.compile(
    r"(?:Artikel|Art\.)\s+\d+\s?[a-z]?(?:\.\d+)?\.?(?:\s+[A-Z(‘'“].{0,120})?"
    r"|Lid\s+\d+(?:\s*(?:,|en|t/m|tot en met)\s*\d+)*(?:\s+onder\s+\w+)?"
    r"|Onderdeel\s+\w{1,3}\.?"
)
_BULLET = re.compile(r"[•▪◦·●■□➢✔›»\-–o]\s")
_DATE = re.compile(
    r"\d{1,2}\s+(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)\s+\d{4}",
    re.IGNORECASE,
)
_DANGLING = re.compile(r"\b(?:tot|van|de|het|een|en|of|in|op|voor|met|aan|bij|over|naar|door|om|te)$", re.IGNORECASE)
_LABEL_ONLY = re.compile(r"(?:bijlage|hoofdstuk|deel|paragraaf)\s+\w{1,4}\.?|\d{1,2}(?:\.\d{1,2})*\.?", re.IGNORECASE)
_QUOTES = "“”\"'‘’«»"
#: A sentence ends inside: after a word ("gevraagd. Zij") or an abbreviation in capitals ("onze GGD. Zij spraken").
SENTENCE_INSIDE = re.compile(r"[a-zé]{2}[.!?] +[A-Z]|[A-Z]{2,}[.!?] +[A-Z][a-z]")
#: A line cut before its noun: it ends in an article ("Zij spraken de"), so it goes on below.
ENDS_IN_ARTICLE = re.compile(r"\b(?:de|het|een)$", re.IGNORECASE)
_POSTCODE = re.compile(r"\b\d{4}\s?[A-Z]{2}\b")
_ADDRESS = re.compile(
    r"\b(?:postbus|bezoekadres|postadres)\b"
    r"|\b\w*(?:straat|weg|laan|plein|gracht|kade|singel|dijk|dreef|markt|hof)\b(?:\s+[\w'’.-]+){0,3}\s+\d{1,4}[a-z]?$",
    re.I,
)
_SIGNATURE = re.compile(
    r"^(?:hoogachtend|met vriendelijke groet(?:en)?|de (?:staats)?secretaris|de minister|de burgemeester|"
    r"de (?:griffier|secretaris|voorzitter)|namens|w\.g\.|ondertekening)\b",
    re.I,
)
#: A person named with a title or initials ("Voorzitter Dhr. L.A. de Lange", "Aanwezigen Burgemeester L. de
#: Lange, ..."): a label and its value in a meeting's header, not a heading.
PERSON_NAMED = re.compile(
    r"\b(?:Dhr|Mevr|Mw)\.\s|\b(?:[Dd]e heer|[Mm]evrouw)\s+[A-Z]"
    r"|\b(?:[A-Z]\.){1,4}\s*(?:(?:van|de|der|den|ter)\s+)*[A-Z][a-z]"
)
_AMOUNT = re.compile(r"(?<![\w.])-?[\d.,]*\d(?![\w.])")
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
    "Postbus"), rows of numbers (fewer letters than digits, or three amounts), signatures
    ("Hoogachtend", "De minister ..."), a person named by title or initials ("Voorzitter Dhr. L.A. de
    Lange"), dot leaders of a contents page, page numbers,
    URLs and e-mail addresses, sentences (a full stop after more than eight words, or
    a sentence end inside), a line ending in an article ("... Zij spraken de"), a lead-in of over eight words
    ending in ":", a label with its value ("Toelichting: Sluit aan bij ...") and cut-off teasers ending in
    "…". A regulation's "Artikel 5. Titel" or "Lid 7, 8 en 9" is always a heading.
    """
    text = text.strip()
    if _LEGAL.fullmatch(text):
        return True
    if letter_count(text) < 3 or len(text) > MAX_HEADING:
        return False
    if SENTENCE_INSIDE.search(text) or text.endswith(("…", "...")) or _BULLET.match(text) or _DATE.fullmatch(text):
        return False
    if text.endswith(":") and len(text.split()) <= 2:  # "Besluit:", "Datum:": a label before its value
        return False
    if text.endswith((",", ";")) or text[0].islower():
        return False
    if _POSTCODE.search(text) or _ADDRESS.search(text) or _SIGNATURE.match(text) or PERSON_NAMED.search(text):
        return False
    digits = sum(c.isdigit() for c in text)
    if digits > letter_count(text) or _amounts(text) >= 3:
        return False
    if _DOT_LEADER.search(text) or _PAGE_LINE.fullmatch(text) or "://" in text or "@" in text or "www." in text:
        return False
    if ENDS_IN_ARTICLE.search(text):
        return False
    if text.endswith(":") and len(text.split()) > 8:  # a sentence that leads into a list
        return False
    if text.endswith(".") and ": " in text:  # a label and its value ("Toelichting: Sluit aan bij ...")
        return False
    return not (text.endswith(".") and len(text.split()) > 8)


def _amounts(text: str) -> int:
    """Numbers in ``text`` that are no year and not the heading's own number: three make a table row."""
    numbered = _NUMBER.match(text)
    rest = text[numbered.end() :] if numbered else text
    return sum(not re.fullmatch(r"-?(?:19|20)\d\d", n) for n in _AMOUNT.findall(rest))


def number_level(text: str) -> int | None:
    """The level a heading's number gives it: "2" -> 1, "2.3" -> 2, "Artikel 4" -> 3; None when unnumbered."""
    match = _NUMBER.match(text.strip())
    if not match:
        return None
    word = (match.group("word") or "").lower()
    if word:
        return _KEYWORD_LEVEL[word]
    return min(MAX_LEVEL, match.group("num").count(".") + 1)


def font_headings(segments: list[Segment], furniture: set[str] | frozenset[str] = frozenset()) -> list[Heading]:
    """Headings found by type: candidates merged over wrapped lines, then levelled (see module doc).

    ``furniture`` holds the :func:`line_key` of running header and footer lines, never headings.
    """
    body, font = body_size(segments), body_font(segments)
    by_page: dict[int, list[Segment]] = {}
    for segment in segments:
        by_page.setdefault(segment.page, []).append(segment)
    emphasis = {id(s): _emphasised(s, font) for s in segments}
    candidates = _merge_wrapped(
        [
            s
            for s in segments
            if line_key(s.text) not in furniture and _is_candidate(s, by_page[s.page], body, emphasis)
        ],
        font,
    )
    candidates = [
        s for s in candidates if is_heading_text(s.text) and (s.size >= BIGGER * body or len(s.text) <= MAX_EMPHASIS)
    ]
    seen: set[str] = set()
    kept = []
    for s in candidates:  # a chapter title repeated in the header of its pages is a running header
        key = line_key(s.text)
        if not (s.in_header and key in seen):
            kept.append(s)
        seen.add(key)
    candidates = kept
    styles = _style_levels(candidates, font)
    headings = []
    for segment in candidates:
        level = number_level(segment.text) or styles[_style(segment, font)]
        headings.append(Heading(segment.page, segment.text, level))
    return headings


def _emphasised(segment: Segment, font: str) -> bool:
    """Bold, or set in another font than the body's and in colour (a Word heading style), or in italics
    (Rijkshuisstijl sub-headings) when it is no quotation."""
    if segment.text[:1] in _QUOTES or segment.text[-1:] in _QUOTES:
        return False
    return segment.bold or (segment.font != font and (segment.coloured or segment.italic))


def _is_candidate(segment: Segment, page: list[Segment], body: float, emphasis: dict[int, bool]) -> bool:
    """Bigger than the body; a regulation's "Artikel N. Titel"; or emphasised, not in a table row and not inside
    an emphasised paragraph."""
    if letter_count(segment.text) < 3 or segment.in_table:
        return False
    same_line = [s for s in page if s is not segment and abs(s.top - segment.top) <= 2]
    if segment.size >= BIGGER * body:
        return True
    if _LEGAL.fullmatch(segment.text) and not any(s.x0 < segment.x0 for s in same_line):
        return True  # "Artikel 5. Toegang", "Lid 2 onder e": headings of a regulation, whatever their type
    if not emphasis[id(segment)] or segment.size < 0.9 * body:
        return False
    if len(same_line) >= 2 or any(letter_count(s.text) < sum(c.isdigit() for c in s.text) for s in same_line):
        return False  # a table row; one neighbour with words is the other column or a sidebar
    return _block_lines(segment, page, emphasis) < 3  # a paragraph set in bold or italics is no heading


def _block_lines(segment: Segment, page: list[Segment], emphasis: dict[int, bool]) -> int:
    """How many lines the emphasised block of ``segment`` has: same size and left edge, line after line."""

    def next_line(current: Segment, step: int) -> Segment | None:
        for s in page:
            gap = (s.top - current.top) * step
            if (
                s is not current
                and emphasis[id(s)]
                and abs(s.size - current.size) < 0.5
                and 0 < gap <= 1.6 * current.size
                and abs(s.x0 - current.x0) <= 2 * current.size
            ):
                return s
        return None

    count = 1
    for step in (-1, 1):
        current: Segment | None = segment
        while current is not None and count < 3:
            current = next_line(current, step)
            count += current is not None
    return count


def _merge_wrapped(candidates: list[Segment], font: str) -> list[Segment]:
    """Join a heading wrapped over lines: same page, style and left edge, the next line right below."""
    merged: list[Segment] = []
    for segment in candidates:
        if merged:
            last = merged[-1]
            below = 0 <= segment.top - last.bottom <= 0.8 * segment.size
            if (
                last.page == segment.page
                and _style(last, font) == _style(segment, font)
                and abs(last.x0 - segment.x0) <= 2 * segment.size
                and below
                and number_level(segment.text) is None
                and not last.text.endswith((".", ":", "?"))
                and (
                    len(last.text) >= MIN_WRAPPED
                    or _DANGLING.search(last.text) is not None
                    or _LABEL_ONLY.fullmatch(last.text) is not None
                )
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


def _style(segment: Segment, font: str) -> tuple[float, bool, bool]:
    """Type style of a heading: size in whole points, bold, and set apart by font and colour."""
    return (round(segment.size), segment.bold, (segment.coloured or segment.italic) and segment.font != font)


def _style_levels(candidates: list[Segment], font: str) -> dict[tuple[float, bool, bool], int]:
    """Level of each type style: that of its numbered headings, else one below the next bigger style."""
    numbered: dict[tuple[float, bool, bool], Counter[int]] = {}
    for segment in candidates:
        level = number_level(segment.text)
        if level is not None:
            numbered.setdefault(_style(segment, font), Counter())[level] += 1
    levels: dict[tuple[float, bool, bool], int] = {}
    previous = 0
    for style in sorted({_style(s, font) for s in candidates}, key=lambda st: (-st[0], not st[1], not st[2])):
        level = numbered[style].most_common(1)[0][0] if style in numbered else min(MAX_LEVEL, previous + 1)
        levels[style] = level
        previous = max(previous, level)
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
