"""The visual layout of a PDF page: text segments with font size, weight and position (pdfplumber).

A *segment* is a run of words on one visual line in one column: words whose tops
agree within :data:`SAME_LINE` points and whose gaps stay under
:data:`COLUMN_GAP` times the font size. Two columns of a brochure page are two
segments per line. The reader uses segments to find headings (bigger or bold
type), the header and footer zones (running furniture, printed page numbers)
and contents pages. Pure functions apart from :func:`page_segments`, which reads
a pdfplumber page.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from statistics import median
from typing import Any

#: Words whose tops differ by at most this many points share a visual line.
SAME_LINE = 2.0
#: A gap wider than this many font sizes between two words starts a new segment (a column gutter, a table cell).
COLUMN_GAP = 1.5
#: Share of the page height at the top and at the bottom that is the header and footer zone.
ZONE_SHARE = 0.1

_BOLD = re.compile(r"bold|black|heavy|semibold|demi|extrab|,b\b", re.IGNORECASE)
_ITALIC = re.compile(r"italic|oblique|kursiv", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Segment:
    """Words on one visual line of one column.

    page    1-based physical page
    top     distance of the top edge from the top of the page, points
    bottom  distance of the bottom edge from the top of the page, points
    x0, x1  left and right edge, points
    size    median font size of its characters, points
    bold    whether most of its characters are in a bold (black, heavy, semibold) font
    text    its words joined by single spaces
    height  the page's height, points
    """

    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool
    text: str
    height: float
    font: str = ""
    coloured: bool = False
    in_table: bool = False
    italic: bool = False

    @property
    def in_zone(self) -> bool:
        """Whether it lies in the header or footer zone of its page (:data:`ZONE_SHARE`)."""
        return self.top < ZONE_SHARE * self.height or self.bottom > (1 - ZONE_SHARE) * self.height

    @property
    def in_header(self) -> bool:
        """Whether it lies in the header zone (top of the page)."""
        return self.top < ZONE_SHARE * self.height


def page_segments(page: Any, number: int) -> list[Segment]:
    """The segments of a pdfplumber ``page`` (physical page ``number``), top to bottom, left to right."""
    return page_layout(page, number)[0]


def _doubled(chars: list[dict[str, Any]], least: int = 3) -> bool:
    """At least ``least`` characters stand twice on the same spot (rounded to a point)."""
    seen: set[tuple[str, int, int]] = set()
    twice = 0
    for char in chars:
        key = (char["text"], round(char["x0"]), round(char["top"]))
        twice += key in seen
        seen.add(key)
    return twice >= least


#: A roman numeral as an endnote marker ("i", "xiv", "lxxxix").
_ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")
#: A marker is set at most this share of the size of the word it is glued to.
MARKER_SIZE = 0.8


def endnote_markers(words: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(word, marker) for each roman-numeral endnote marker set small and glued to the word before it on its
    line ("domein’" + "i", "2030" + "ii"): the text layer glues them into the word ("domein’i", "2030ii").
    ``words`` are pdfplumber word dicts (``text, x0, x1, top, size``) in reading order."""
    found = []
    for before, word in zip(words, words[1:], strict=False):
        text = str(word["text"])
        glued = (
            abs(float(word["x0"]) - float(before["x1"])) < 1.5 and abs(float(word["top"]) - float(before["top"])) < 4
        )
        small = float(word["size"]) <= MARKER_SIZE * float(before["size"])
        if text and _ROMAN.match(text) and glued and small and float(word["top"]) <= float(before["top"]) + 0.5:
            found.append((str(before["text"]), text))
    return found


def page_layout(page: Any, number: int) -> tuple[list[Segment], list[list[list[str]]], list[tuple[str, str]]]:
    """The segments of a pdfplumber ``page``, its ruled tables of two rows or more as rows of cell texts, and
    its endnote markers (``endnote_markers``).

    Columns empty in every row (spacer columns of Word tables) are left out of the rows. A character printed
    twice on the same spot (fake bold, or a second text layer in another font: "PPaaggiinnaa 55 vvaann 77") is
    read once (pdfplumber's ``dedupe_chars``, comparing text and position only).
    """
    if _doubled(page.chars):
        page = page.dedupe_chars(tolerance=1, extra_attrs=())  # costly (x4 the word extraction): only when needed
    words = page.extract_words(
        extra_attrs=["size", "fontname", "non_stroking_color"], keep_blank_chars=False, use_text_flow=False
    )
    segments = group_words(words, number, float(page.height))
    markers = endnote_markers(words)
    found = [table for table in page.find_tables() if len(table.rows) >= 2]
    if not found:
        return segments, [], markers
    boxes = [table.bbox for table in found]
    segments = [replace(s, in_table=any(_inside(s, box) for box in boxes)) for s in segments]
    return segments, [_rows(table.extract()) for table in found], markers


def _rows(raw: list[list[str | None]]) -> list[list[str]]:
    rows = [[" ".join((cell or "").split()) for cell in row] for row in raw]
    width = max((len(row) for row in rows), default=0)
    rows = [row + [""] * (width - len(row)) for row in rows]
    keep = [c for c in range(width) if any(row[c] for row in rows)]
    return [[row[c] for c in keep] for row in rows]


def _inside(segment: Segment, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    return segment.x0 >= x0 - 2 and segment.x1 <= x1 + 2 and segment.top >= top - 2 and segment.bottom <= bottom + 2


def group_words(words: list[dict[str, Any]], number: int, height: float) -> list[Segment]:
    """Group pdfplumber word dicts (``text, x0, x1, top, bottom, size, fontname``) into segments."""
    ordered = sorted(words, key=lambda w: (round(float(w["top"])), float(w["x0"])))
    lines: list[list[dict[str, Any]]] = []
    for word in ordered:
        if lines and abs(float(word["top"]) - float(lines[-1][0]["top"])) <= SAME_LINE:
            lines[-1].append(word)
        else:
            lines.append([word])
    segments: list[Segment] = []
    for line in lines:
        line.sort(key=lambda w: float(w["x0"]))
        run: list[dict[str, Any]] = [line[0]]
        for word in line[1:]:
            gap = float(word["x0"]) - float(run[-1]["x1"])
            if gap > COLUMN_GAP * max(float(word["size"]), 4.0):
                segments.append(_segment(run, number, height))
                run = [word]
            else:
                run.append(word)
        segments.append(_segment(run, number, height))
    return segments


def _segment(words: list[dict[str, Any]], number: int, height: float) -> Segment:
    weights = [len(w["text"]) for w in words]
    bold = sum(n for w, n in zip(words, weights, strict=True) if _BOLD.search(str(w["fontname"])))
    italic = sum(n for w, n in zip(words, weights, strict=True) if _ITALIC.search(str(w["fontname"])))
    return Segment(
        page=number,
        top=min(float(w["top"]) for w in words),
        bottom=max(float(w["bottom"]) for w in words),
        x0=float(words[0]["x0"]),
        x1=float(words[-1]["x1"]),
        size=round(median(float(w["size"]) for w in words), 1),
        bold=bold * 2 > sum(weights),
        text=" ".join(str(w["text"]) for w in words),
        height=height,
        font=str(words[0]["fontname"]).split("+")[-1],
        coloured=_is_coloured(words[0].get("non_stroking_color")),
        italic=italic * 2 > sum(weights),
    )


def _is_coloured(colour: Any) -> bool:
    """Whether a pdfplumber fill colour is a colour (RGB channels differ, or CMYK with colour ink)."""
    if not isinstance(colour, (tuple, list)) or len(colour) not in (3, 4):
        return False
    values = [float(v) for v in colour if isinstance(v, (int, float))]
    if len(values) == 3:
        return max(values) - min(values) > 0.15
    if len(values) == 4:
        return max(values[:3]) > 0.15
    return False


def body_font(segments: list[Segment]) -> str:
    """The font of most characters: the body text's font."""
    fonts: Counter[str] = Counter()
    for segment in segments:
        fonts[segment.font] += len(segment.text)
    return fonts.most_common(1)[0][0] if fonts else ""


def body_size(segments: list[Segment]) -> float:
    """The font size of most characters: the body text's size (10.0 when there is no text)."""
    sizes: Counter[float] = Counter()
    for segment in segments:
        sizes[round(segment.size * 2) / 2] += len(segment.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def letter_count(text: str) -> int:
    """How many letters ``text`` has."""
    return len(_LETTER.findall(text))
