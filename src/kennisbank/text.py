"""Text rules shared by ingest, retrieval and answering: sentences, list items, headings, folding.

Each rule has its one definition here; nothing in this module loads a model or an index.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Abbreviations whose final dot does not end a sentence (one line of words, split once).
_ABBREVIATIONS = (
    "bijv bv o.a m.b.t t.a.v i.v.m d.w.z e.d enz etc nr art ca incl excl min mr dhr mevr drs dr prof ir "
    "ing jl t/m z.s.m m.u.v p blz resp evt vgl zgn o.b.v i.p.v t.b.v "
    "m.i.v i.s.m i.o.m n.a.v t.o.v c.q e.a m.n t.z.t v.w.b i.c.m o.l.v m.m.v a.s j.l bijl tel jr nl vs mw"
)
ABBREVIATIONS = frozenset(_ABBREVIATIONS.split())
# After cleaning, paragraphs are single lines: a line break is structure (heading, list item, cell).
# A table row run into the sentence after it on one line ("Saldo van baten en lasten 82.524 82.524 0 We baseren
# ..."): three numbers and then a capitalised word end the row.
_BOUNDARY = re.compile(
    r"[.!?…]+[\"'”’)]*(?=[ \t]+[\"'“‘(]*[A-Z0-9À-Ý•\-–])|\n|"
    r"(?<=\s)-?\d[\d.,]*(?:[ \t]+-?\d[\d.,]*){2,}(?=[ \t]+[A-Z][a-z])"
)
_WORD_BEFORE = re.compile(r"(\S+)$")
#: The particles of a Dutch surname ("van", "de", "der", "ten"): "L.A. de Lange", "W.H.J.M. van der Loo".
SURNAME_PARTICLE = r"(?:van|de|der|den|ter|ten)"
# Initials before a name ("wethouder R. Bloemendaal", "Dhr. L.A. de Lange"): their dot ends no sentence.
_INITIALS = re.compile(r"(?:[A-Z]\.){0,3}[A-Z]")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence in ``text``, stripped of surrounding whitespace.

    A sentence ends at ``.!?…`` followed by a capital, digit or bullet, or at a line break
    (after cleaning, a line break is structure: heading, list item, table cell). A dot after
    a known abbreviation ("bijv.", "art.") or after initials ("R. Bloemendaal") does not end one.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        word = _WORD_BEFORE.search(text[start : match.start()])
        before = word.group(1).rstrip(".").lstrip("([\"'“‘") if word else ""  # "(o.a." is "o.a"
        dot = text[match.start()] == "."
        if dot and (before.lower() in ABBREVIATIONS or _INITIALS.fullmatch(before)):
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


def strip_heading(text: str, heading: str, within: int = 200) -> str:
    """The text after its heading (the question of a Q&A pair, the term of a glossary entry).

    The heading must start within the first ``within`` characters (case-insensitive);
    otherwise, or when nothing follows it, ``text`` is returned unchanged.
    """
    words = heading.split()
    # a line break may stand where the heading has a space ("5.b.2\n\nRaadsinformatiebrief ..." under the heading
    # "5.b.2 Raadsinformatiebrief ...")
    found = re.search(r"\s+".join(re.escape(word) for word in words), text, re.I) if words else None
    if found is not None and found.start() < within:
        rest = text[found.end() :].lstrip(" ?:-–\n")
        if rest:
            return rest
    return text


def fold(text: str) -> str:
    """Lowercase and drop diacritics, so 'financiële' and 'financiele' meet."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def quote_pieces(quote: str) -> list[str]:
    """The verbatim pieces of a quote, for finding it in its source text.

    An answer may join list items or table cells with ``"; "`` and write a table row as
    ``"key: value; key: value."``; the source holds the items and values on lines of their
    own; a quote that leaves items out marks the gap with ``" … "``. The pieces are the quote itself, then
    each ``"; "``- or ``" … "``-part and the value after its first
    ``": "`` (and the part before it when that is a lead-in of four or more words, not a column
    name), stripped of surrounding spaces and a final full stop; pieces of 3 characters or fewer
    are left out (too common to place).
    """
    quote = quote.strip()
    pieces = [quote]
    for part in re.split(r"; | … ", quote):
        part = part.strip().rstrip(".")
        pieces.append(part)
        if ": " in part:
            key, value = (side.strip().rstrip(".") for side in part.split(": ", 1))
            # A lead-in sentence before its list is quoted text; a short column name is not.
            pieces.extend([key, value] if len(key.split()) >= 4 else [value])
    return list(dict.fromkeys(p for p in pieces if len(p) > 3))


def quote_spans(text: str, quotes: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end) offsets in ``text`` of each quote, or of its pieces (``quote_pieces``) when not verbatim there.

    Spans are sorted and merged where they overlap or touch.
    """
    spans: list[tuple[int, int]] = []
    for quote in quotes:
        pieces = quote_pieces(quote)
        if not pieces:
            continue
        at = text.find(pieces[0])
        if at >= 0:
            spans.append((at, at + len(pieces[0])))
            continue
        for piece in pieces[1:]:
            at = text.find(piece)
            if at >= 0:
                spans.append((at, at + len(piece)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
