"""Text rules shared by ingest, retrieval and answering: sentences, list items, headings, folding.

Each rule has its one definition here; nothing in this module loads a model or an index.
"""

from __future__ import annotations

import re
import unicodedata

# Abbreviations whose final dot does not end a sentence.
ABBREVIATIONS = {
    "bijv",
    "bv",
    "o.a",
    "m.b.t",
    "t.a.v",
    "i.v.m",
    "d.w.z",
    "e.d",
    "enz",
    "etc",
    "nr",
    "art",
    "ca",
    "incl",
    "excl",
    "min",
    "mr",
    "dhr",
    "mevr",
    "drs",
    "dr",
    "prof",
    "ir",
    "ing",
    "jl",
    "t/m",
    "z.s.m",
    "m.u.v",
    "p",
    "blz",
    "resp",
    "evt",
    "vgl",
    "zgn",
    "o.b.v",
    "i.p.v",
    "t.b.v",
}
# After cleaning, paragraphs are single lines: a line break is structure (heading, list item, cell).
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)]*(?=[ \t]+[\"'“‘(]*[A-Z0-9À-Ý•\-–])|\n")
_WORD_BEFORE = re.compile(r"(\S+)$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence in ``text``, stripped of surrounding whitespace.

    A sentence ends at ``.!?…`` followed by a capital, digit or bullet, or at a line break
    (after cleaning, a line break is structure: heading, list item, table cell). A dot after
    a known abbreviation ("bijv.", "art.") does not end one.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        word = _WORD_BEFORE.search(text[start : match.start()])
        if word and word.group(1).lower().rstrip(".") in ABBREVIATIONS and text[match.start()] == ".":
            continue
        _append(spans, text, start, end)
        start = end
    _append(spans, text, start, len(text))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (see ``sentence_spans``)."""
    return [text[a:b] for a, b in sentence_spans(text)]


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + piece.index(stripped)
        spans.append((offset, offset + len(stripped)))


#: A list item at the start of a line or sentence: a bullet, "1." / "(2)" / "3)", or "a." / "(b)".
LIST_ITEM = re.compile(r"(?:[-•–·▪◦*o]\s|\(?\d{1,2}[.)]\s|\(?[A-Za-z][.)]\s)")


def is_list_item(text: str) -> bool:
    """True when ``text`` starts like a list item (see ``LIST_ITEM``)."""
    return LIST_ITEM.match(text) is not None


def strip_heading(text: str, heading: str, within: int = 200) -> str:
    """The text after its heading (the question of a Q&A pair, the term of a glossary entry).

    The heading must start within the first ``within`` characters (case-insensitive);
    otherwise, or when nothing follows it, ``text`` is returned unchanged.
    """
    head = heading.strip().lower()
    at = text.lower().find(head) if head else -1
    if 0 <= at < within:
        rest = text[at + len(head) :].lstrip(" ?:-–\n")
        if rest:
            return rest
    return text


def fold(text: str) -> str:
    """Lowercase and drop diacritics, so 'financiële' and 'financiele' meet."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
