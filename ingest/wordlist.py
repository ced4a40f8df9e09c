"""The Dutch word list (Debian ``wdutch``) that decides how a word broken at a line end is rejoined."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

#: Where Debian's ``wdutch`` package puts its list, one word a line (UTF-8).
WORDLIST = Path("/usr/share/dict/dutch")
#: Vowels and the same vowel with a diaeresis (trema), as a hyphen at a line end drops it: "zee-\nen" is "zeeën".
DIAERESIS = str.maketrans("aeiouAEIOU", "äëïöüÄËÏÖÜ")


@cache
def dutch_words(path: Path = WORDLIST) -> frozenset[str]:
    """The lowercase words of the list at ``path``; empty, with one warning, when it is missing.

    Without it, hyphenation is undone with the corpus's own words only (see
    :func:`kennisbank.ingest.cleaning.dehyphenate`).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        log.warning(
            "woordenlijst %s ontbreekt: afgebroken woorden worden hersteld met de woorden van het corpus "
            "(installeer het pakket wdutch)",
            path,
        )
        return frozenset()
    return frozenset(word.strip().lower() for word in text.split("\n") if word.strip())


def with_diaeresis(left: str, right: str) -> str:
    """``left + right`` with the diaeresis back on ``right``'s first vowel: ("zee", "en") -> "zeeën"."""
    return left + right[:1].translate(DIAERESIS) + right[1:]
