"""Lexical retrieval: BM25 (bm25s) over Dutch-stemmed, stopword-free tokens, persisted to disk."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

#: Snowball's Dutch stemmer, the one measured for this corpus (hit@5 0.89 alone).
STEMMER = "dutch"
IDS_FILE = "ids.json"
#: Question words that stopwordsiso's Dutch list lacks; they say what is asked, not about what.
QUESTION_WORDS = ("hoeveel", "welke", "welk", "wanneer", "waarom", "waarvoor", "waardoor", "hoelang")
#: Bump when tokenizing changes: every BM25 index is then built again.
TOKENIZER_VERSION = "2"


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer(STEMMER)


@lru_cache(maxsize=1)
def _stopwords() -> list[str]:
    import stopwordsiso

    return sorted({_fold(w) for w in stopwordsiso.stopwords("nl")} | set(QUESTION_WORDS))


def _fold(text: str) -> str:
    """Lowercase and drop diacritics, so 'financiële' and 'financiele' meet."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Fold, split, drop Dutch stopwords and stem: the same for passages and queries."""
    return bm25s.tokenize(
        [_fold(t) for t in texts],
        stopwords=_stopwords(),
        stemmer=_stemmer(),
        return_ids=False,
        show_progress=False,
    )


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
