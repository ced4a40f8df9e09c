"""Text a document repeats word for word: the later copy is marked, and the first says where it recurs.

A raadsvoorstel repeats its proposed decision in the raadsbesluit at its end; a bundle
repeats an agenda item's proposal in the item's own document. Both copies stay passages
(no text is lost, the source viewer shows both), but the later copy's repeated sentences
are left out of what retrievers see (``Passage.repeated``, ``Passage.index_text``), so a
question about the decision finds its first occurrence, and that passage names where
the text recurs (``Passage.also_in``: "ook in ...").

Only runs of consecutive repeated sentences of at least ``MIN_RUN`` characters count: a
formula repeated in many articles of a regulation ("Het college kan nadere regels
stellen.") stays searchable in each.
"""

from __future__ import annotations

import dataclasses
import re

from kennisbank.passage import Passage
from kennisbank.text import fold, sentence_spans

#: A repeated run shorter than this (in characters) is a formula, not a repeated block.
MIN_RUN = 200
#: Sentences shorter than this (folded, in characters) neither start nor break a run ("a.", "Besluit:").
MIN_SENTENCE = 12


def _key(sentence: str) -> str:
    return " ".join(re.sub(r"[^\w€%]+", " ", fold(sentence)).split())


def mark_repeats(passages: list[Passage]) -> list[Passage]:
    """``passages`` (one document, in order) with repeated runs marked on later copies and ``also_in`` on the first.

    A sentence repeats when a sentence with the same folded words occurs in an earlier
    passage; consecutive repeated sentences (short ones between them included) form a run,
    kept when it holds at least ``MIN_RUN`` characters.
    """
    seen: dict[str, int] = {}  # sentence key -> index of the first passage holding it
    out = list(passages)
    also: dict[int, list[str]] = {}
    for n, passage in enumerate(passages):
        spans = sentence_spans(passage.text)
        keys = [_key(passage.text[a:b]) for a, b in spans]
        runs: list[tuple[int, int]] = []
        sources: set[int] = set()
        run: list[int] = []
        for i, key in enumerate([*keys, None]):
            first = seen.get(key, n) if key is not None else n
            short = key is not None and len(key) < MIN_SENTENCE
            if first < n and not short:
                run.append(i)
                sources.add(first)
                continue
            if short and run:
                continue  # a list letter or a bare "Besluit:" between repeated sentences
            if run:
                start, end = spans[run[0]][0], spans[run[-1]][1]
                if end - start >= MIN_RUN:
                    runs.append((start, end))
                run = []
        for key in keys:
            if len(key) >= MIN_SENTENCE:
                seen.setdefault(key, n)
        if runs:
            out[n] = dataclasses.replace(passage, repeated=tuple(runs))
            for source in sorted(sources):
                also.setdefault(source, []).append(passage.location() or passage.doc)
    for n, places in also.items():
        own = out[n].location() or out[n].doc  # a repeat under the same heading names no other place
        out[n] = dataclasses.replace(out[n], also_in=tuple(dict.fromkeys(p for p in places if p != own)))
    return out
