"""Choose the extractive answerer's thresholds and weights on the calibration half only.

Usage (against an index built from ``corpus/`` with the default embedder)::

    KENNISBANK_INDEX=/tmp/evalindex .venv/bin/python evals/calibrate.py thresholds
    KENNISBANK_INDEX=/tmp/evalindex .venv/bin/python evals/calibrate.py weights

Every combination of the grid below is scored on the calibration items of
``evals/questions.jsonl`` (the passages are retrieved once): key phrase in the
answer text plus unanswerable questions refused, less twice the false refusals
over 0.05 and the English false refusals over 0.10 (the targets of issue 15).
The 15 best combinations are printed with (key phrase in answer, false refusals,
refused, English false refusals). The test half is never read.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from kennisbank.answering.evidence import Weights
from kennisbank.answering.extractive import ExtractiveAnswerer
from kennisbank.config import Settings
from kennisbank.evaluation.run import EvalItem, in_answer, load_items
from kennisbank.knowledgebase import KnowledgeBase
from kennisbank.passage import Passage

THRESHOLDS: dict[str, list[float]] = {
    "min_dense": [0.81, 0.82, 0.83],
    "min_overlap": [0.2, 0.25, 0.3],
    "strong_dense": [0.86, 0.87],
    "english_dense": [0.78, 0.8, 0.82, 0.83],
    "min_score": [0.6, 0.75, 0.9, 1.0, 1.1],
}
WEIGHTS: dict[str, list[float]] = {
    "context": [0.15, 0.3],
    "dense": [1.0, 2.0],
    "rank": [0.08, 0.15],
    "heading": [0.3, 0.5],
    "head": [0.3, 0.5, 0.8],
    "reason": [0.2, 0.5],
    "rarity": [0.0, 1.0, 2.0],
}


def measure(
    answerer: ExtractiveAnswerer, items: Sequence[EvalItem], passages: Mapping[str, list[Passage]]
) -> tuple[float, float, float, float]:
    """(key phrase in answer, false refusals, refused, English false refusals) of ``answerer`` over ``items``."""
    key = false = refused = english = answerable = unanswerable = asked_en = 0
    for item in items:
        answer = answerer.answer(item.question, passages[item.id])
        if item.answerable:
            answerable += 1
            false += answer.refused
            key += (not answer.refused) and any(in_answer(p, answer.text) for p in item.key_phrases)
            if item.lang == "en":
                asked_en += 1
                english += answer.refused
        else:
            unanswerable += 1
            refused += answer.refused
    return key / answerable, false / answerable, refused / unanswerable, english / max(1, asked_en)


def objective(result: tuple[float, float, float, float]) -> float:
    """Key phrase in answer + refused, less twice the false refusals over 0.05 and English ones over 0.10."""
    key, false, refused, english = result
    return key + refused - 2 * max(0.0, false - 0.05) - max(0.0, english - 0.10)


def main(which: str) -> None:
    """Print the best combinations of the ``which`` grid ("thresholds" or "weights")."""
    kb = KnowledgeBase.open(Settings(chroma_url=""))
    items = [item for item in load_items(Path("evals/questions.jsonl")) if item.split == "calibration"]
    passages = {item.id: kb.search(item.question, 5) for item in items}
    catalog = getattr(kb.answerer, "catalog", None)
    grid = THRESHOLDS if which == "thresholds" else WEIGHTS
    rows = []
    for combo in itertools.product(*grid.values()):
        chosen = dict(zip(grid, combo, strict=True))
        if which == "thresholds":
            answerer = ExtractiveAnswerer(catalog=catalog, **chosen)  # type: ignore[arg-type]
        else:
            answerer = ExtractiveAnswerer(catalog=catalog, weights=Weights(**chosen))
        result = measure(answerer, items, passages)
        rows.append((objective(result), chosen, result))
    rows.sort(key=lambda row: -row[0])
    for value, chosen, result in rows[:15]:
        print(f"{value:.3f}", chosen, [round(x, 3) for x in result])
    print("current", [round(x, 3) for x in measure(ExtractiveAnswerer(catalog=catalog), items, passages)])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "thresholds")
