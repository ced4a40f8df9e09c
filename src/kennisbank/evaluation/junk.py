"""Junk in answer texts, found by a check that shares no code with the answerer's own filters.

The evaluation counts it over every answer (``kennisbank.evaluation.run``): a
quoted heading, a table header row, a salutation or signature, or a dangling
colon is junk, whatever the answerer meant to quote. The patterns are written
from what users saw in the old answers ("Actie Hoofdverantwoordelijke Aanjager
Planning Status", "Hoogachtend, burgemeester en wethouders", "... tot stand
gekomen: [1]").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: Junk kinds, as ``junk_in`` names them.

_MARKER = re.compile(r"\s*(?:\[\d+\])+")
_HEADER_ROW = re.compile(
    r"\b(Actie\s+Hoofdverantwoordelijke|Hoofdverantwoordelijke\s+Aanjager|Aanjager\s+Planning|Planning\s+Status|"
    r"commissie\s+Portefeuille|Onderwerp\s+Vraag)\b",
    re.IGNORECASE,
)
_SALUTATION = re.compile(
    r"\b(Hoogachtend|Met vriendelijke groet(en)?|Geachte (heer|mevrouw|raad|leden))\b|"
    r"^\s*(burgemeester en wethouders|De heer\s+\S+\s+(burgemeester|secretaris))",
    re.IGNORECASE,
)
#: A colon right before a marker, or at the very end: a lead-in whose list is missing.
_DANGLING = re.compile(r":\s*\[\d+\]|:\s*$")
_CAPITALS = re.compile(r"\b[A-ZÀ-Ý]{3,}(?:\s+[A-ZÀ-Ý&]{2,}){1,}\b")


def segments(answer: str) -> list[str]:
    """The quoted pieces of an answer: its text cut at [n] markers and line breaks."""
    pieces = []
    for line in answer.splitlines():
        for piece in re.split(r"(?<=\])\s+", line):
            piece = _MARKER.sub("", piece).strip()
            if piece:
                pieces.append(piece)
    return pieces


def junk_in(answer: str, sections: Sequence[str] = ()) -> list[str]:
    """The junk kinds found in ``answer`` (repeats kept, one per offending piece).

    ``sections`` are the section names of the passages the answer cites: a piece
    that is nothing but one of them (or its last part) is a quoted heading.
    """
    headings = {part.strip().casefold().rstrip(" :?.") for s in sections for part in (s, s.rsplit(" > ", 1)[-1]) if s}
    found = []
    for piece in segments(answer):
        bare = re.sub(r"^(Volgens [^:]+:\s*)", "", piece)
        if _HEADER_ROW.search(bare):
            found.append("tabelkop")
        if _SALUTATION.search(bare):
            found.append("aanhef")
        capitals = [m.group(0) for m in _CAPITALS.finditer(bare)]
        # A heading in capitals, not a run of acronyms ("POH GGZ"): at least 10 letters.
        if bare.casefold().rstrip(" :?.") in headings or any(sum(c.isalpha() for c in m) >= 10 for m in capitals):
            found.append("kop")
    found += ["dubbele punt"] * len(_DANGLING.findall(answer.strip()))
    return found
