"""Splitting Dutch text into sentences, with the character span of each."""

from __future__ import annotations

import re

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
    """(start, end) of each sentence in ``text``, stripped of surrounding whitespace."""
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
    return [text[a:b] for a, b in sentence_spans(text)]


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + piece.index(stripped)
        spans.append((offset, offset + len(stripped)))
