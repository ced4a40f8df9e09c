"""Running headers and footers: lines repeated at the top or bottom of most pages of a PDF.

A council document prints its title, the municipality or "Pagina 3 van 12" on
every page. Left in, they break sentences that run over a page and turn up as
noise in every passage. :func:`drop_running_lines` removes them, page by page,
before cleaning. It is a pure function: pages in, pages out.
"""

from __future__ import annotations

import re
from collections import Counter

#: How many non-blank lines at each end of a page may be a header or footer (at most a third of the page's lines).
ZONE = 3
#: A line is running when it sits in the same zone on at least this share of the pages...
MIN_SHARE = 0.5
#: ...and on at least this many pages.
MIN_PAGES = 2

_DIGITS = re.compile(r"\d+")
#: A line that is only a page number: "3", "- 3 -", "Pagina 3 van 12", "blz. 3", "3/12".
_PAGE_NUMBER = re.compile(
    r"(?:pagina|page|blz\.?|p\.)?\s*-?\s*(\d{1,4})\s*-?\s*(?:(?:van|of|/)\s*\d{1,4})?", re.IGNORECASE
)
_ROMAN = re.compile(r"\b[ivxlc]+\b")
_SPACE = re.compile(r"\s+")


def line_key(line: str) -> str:
    """What two copies of a running line have in common: case, spacing and numbers ignored.

    ``Pagina 3 van 12``, ``- 4 -`` and ``Regiovisie 2020-2023 | 7`` keep their
    words and lose their numbers, so the copies on different pages compare equal.
    """
    key = _SPACE.sub(" ", line.strip().lower())
    return _ROMAN.sub("#", _DIGITS.sub("#", key))


def drop_running_lines(pages: list[str]) -> list[str]:
    """``pages`` without the lines repeated in the first or last :data:`ZONE` lines of most pages.

    Only a run of such lines at the very top (or bottom) of a page is dropped, so
    the same words inside the body are kept. A line must recur on at least
    :data:`MIN_PAGES` pages and :data:`MIN_SHARE` of them. A line that is only
    the page's own number ("Pagina 1 van 1" on page 1) is dropped there too, so a
    one-page document loses its page number. Everything else is returned unchanged.
    """
    split = [page.split("\n") for page in pages]
    if len(pages) < MIN_PAGES:
        return [_strip(lines, number, set(), set()) for number, lines in enumerate(split, 1)]
    heads = Counter(key for lines in split for key in set(_zone(lines, top=True)))
    feet = Counter(key for lines in split for key in set(_zone(lines, top=False)))
    needed = max(MIN_PAGES, MIN_SHARE * len(pages))
    running_heads = {key for key, n in heads.items() if n >= needed and _has_text(key)}
    running_feet = {key for key, n in feet.items() if n >= needed and _has_text(key)}
    return [_strip(lines, number, running_heads, running_feet) for number, lines in enumerate(split, 1)]


def _zone(lines: list[str], top: bool) -> list[str]:
    """Keys of the first (or last) lines of a page: up to :data:`ZONE`, and a third of a short page."""
    keys = [line_key(line) for line in lines if line.strip()]
    size = max(1, min(ZONE, len(keys) // 3))
    return keys[:size] if top else keys[-size:]


def _has_text(key: str) -> bool:
    """Any letter or number: a line of only dots or dashes is no header."""
    return any(c.isalnum() or c == "#" for c in key)


def _is_own_number(line: str, number: int) -> bool:
    """Whether ``line`` is only the number of its own page ("Pagina 1 van 1" on page 1)."""
    match = _PAGE_NUMBER.fullmatch(line.strip())
    return match is not None and int(match.group(1)) == number


def _strip(lines: list[str], number: int, heads: set[str], feet: set[str]) -> str:
    start, end = 0, len(lines)
    dropped = 0
    while start < end and dropped < ZONE:
        if not lines[start].strip():
            start += 1
        elif line_key(lines[start]) in heads or _is_own_number(lines[start], number):
            start += 1
            dropped += 1
        else:
            break
    dropped = 0
    while end > start and dropped < ZONE:
        if not lines[end - 1].strip():
            end -= 1
        elif line_key(lines[end - 1]) in feet or _is_own_number(lines[end - 1], number):
            end -= 1
            dropped += 1
        else:
            break
    return "\n".join(lines[start:end])
