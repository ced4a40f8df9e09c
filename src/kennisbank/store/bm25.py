"""Lexical retrieval: a BM25 index (bm25s) over ``analysis.tokenize`` tokens, persisted to disk.

BM25: Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond" (2009).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np

from kennisbank.analysis import tokenize

IDS_FILE = "ids.json"


class BM25Index:
    """A bm25s index plus the passage ids in the order they were indexed."""

    def __init__(self, model: bm25s.BM25, ids: list[str]) -> None:
        self.model = model
        self.ids = ids
        self._position = {pid: i for i, pid in enumerate(ids)}

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str]) -> BM25Index:
        model = bm25s.BM25()
        if texts:
            model.index(tokenize(texts), show_progress=False)
        return cls(model, list(ids))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self.ids:
            self.model.save(str(folder))
        (folder / IDS_FILE).write_text(json.dumps(self.ids), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> BM25Index:
        ids = json.loads((folder / IDS_FILE).read_text(encoding="utf-8"))
        model = bm25s.BM25.load(str(folder), mmap=True) if ids else bm25s.BM25()
        return cls(model, ids)

    def search(self, query: str, top_k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """The best ``top_k`` (id, score) pairs with a score above zero, optionally only ``allowed`` ids."""
        if not self.ids or top_k <= 0:
            return []
        tokens = tokenize([query])
        if not tokens[0]:
            return []
        mask = None
        if allowed is not None:
            mask = np.zeros(len(self.ids), dtype=np.float32)
            for pid in allowed:
                if pid in self._position:
                    mask[self._position[pid]] = 1.0
        k = min(top_k, len(self.ids))
        docs, scores = self.model.retrieve(tokens, k=k, show_progress=False, weight_mask=mask)
        return [(self.ids[int(i)], float(s)) for i, s in zip(docs[0], scores[0], strict=True) if s > 0]
