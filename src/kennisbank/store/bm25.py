"""Lexical retrieval: a BM25 index (bm25s) over ``analysis`` tokens, with query expansion, persisted to disk.

BM25: Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond" (2009).
Passages are indexed with every token the analyser gives (whole words, compound parts,
identifiers). A query's tokens are weighted (:class:`QueryWeights`): its own words count
fully, compound parts, synonyms and the context sentences of a long question less, so a
passage matching the question as written ranks above one matching only a part or a synonym.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np

from kennisbank.analysis import DEFAULT, ENGLISH_WORDS, Analyzer, dutch_decimals, is_english, question_focus
from kennisbank.synonyms import Synonyms

IDS_FILE = "ids.json"
#: BM25 term saturation and length normalisation, chosen on the calibration half (benchmarks/ablation.py).
K1 = 1.2
B = 0.6
SYNONYMS_FILE = "synonyms.json"


@dataclass(frozen=True)
class QueryWeights:
    """How much each kind of query token counts in the BM25 sum (a word of the question = 1).

    part      a compound's part or a hyphenated word's piece ("huis" of "huisverbod")
    idpart    a part of a range or code ("2024" of "2024-2028")
    synonym   a token added by synonym expansion ("veilig", "thuis" for "VT")
    english   a token added by expansion to an English question (``analysis.is_english``): the
              Dutch words of the ``[engels]`` glossary carry such a question, so they weigh more;
              its English function words ("the", "does") are not searched at all
    context   any token of a long question's sentences other than the question sentence
    long      a question of more words than this is split into question and context sentences

    Chosen on the calibration half of the evaluation items (``benchmarks/ablation.py``).
    """

    part: float = 0.5
    idpart: float = 0.5
    synonym: float = 0.25
    english: float = 0.5
    context: float = 0.1
    long: int = 30


class BM25Index:
    """A bm25s index, the passage ids in the order they were indexed, and the synonyms for expansion."""

    def __init__(
        self,
        model: bm25s.BM25,
        ids: list[str],
        synonyms: Synonyms | None = None,
        analyzer: Analyzer = DEFAULT,
        weights: QueryWeights | None = None,
    ) -> None:
        self.model = model
        self.ids = ids
        self.synonyms = synonyms or Synonyms()
        self.analyzer = analyzer
        self.weights = weights or QueryWeights()
        self._position = {pid: i for i, pid in enumerate(ids)}

    @classmethod
    def build(
        cls,
        ids: Sequence[str],
        texts: Sequence[str],
        synonyms: Synonyms | None = None,
        analyzer: Analyzer = DEFAULT,
        k1: float = K1,
        b: float = B,
    ) -> BM25Index:
        """Index ``texts`` (one per id) with ``analyzer``'s tokens (``k1``, ``b``: BM25's parameters)."""
        model = bm25s.BM25(k1=k1, b=b)
        if texts:
            model.index(analyzer.tokenize(texts), show_progress=False)
        return cls(model, list(ids), synonyms, analyzer)

    def save(self, folder: Path) -> None:
        """Write the index and its ids (and synonyms) to ``folder``, created if needed."""
        folder.mkdir(parents=True, exist_ok=True)
        if self.ids:
            self.model.save(str(folder))
        (folder / IDS_FILE).write_text(json.dumps(self.ids), encoding="utf-8")
        (folder / SYNONYMS_FILE).write_text(self.synonyms.to_json(), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> BM25Index:
        """Read an index written by ``save``; the BM25 matrices are memory-mapped."""
        ids = json.loads((folder / IDS_FILE).read_text(encoding="utf-8"))
        model = bm25s.BM25.load(str(folder), mmap=True) if ids else bm25s.BM25()
        path = folder / SYNONYMS_FILE
        synonyms = Synonyms.from_json(path.read_text(encoding="utf-8")) if path.exists() else None
        return cls(model, ids, synonyms)

    def query_terms(self, query: str) -> dict[str, float]:
        """The query's tokens with their weights (see :class:`QueryWeights`); a token keeps its highest weight."""
        w = self.weights
        question, context = question_focus(query, w.long)
        kinds = {"word": 1.0, "id": 1.0, "part": w.part, "idpart": w.idpart}
        english = is_english(question)
        if english:
            question, context = dutch_decimals(question), dutch_decimals(context)
        skip = _english_stop(self.analyzer) if english else frozenset()
        terms: dict[str, float] = {}
        for text, scale in ((question, 1.0), (context, w.context)):
            for token, kind in self.analyzer.terms(text):
                if token not in skip:
                    terms[token] = max(terms.get(token, 0.0), kinds[kind] * scale)
        own = list(terms)
        for token in self.synonyms.expand(own, self.analyzer, english)[len(own) :]:
            terms.setdefault(token, w.english if english else w.synonym)
        return terms

    def search(self, query: str, top_k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """The best ``top_k`` (id, score) pairs with a score above zero, optionally only ``allowed`` ids."""
        if not self.ids or top_k <= 0:
            return []
        vocab = self.model.vocab_dict
        terms = [(vocab[t], weight) for t, weight in self.query_terms(query).items() if t in vocab and weight > 0]
        if not terms:
            return []
        scores = np.zeros(len(self.ids), dtype=np.float32)
        for token_id, weight in terms:
            scores += weight * self.model.get_scores_from_ids([token_id])
        if allowed is not None:
            mask = np.zeros(len(self.ids), dtype=np.float32)
            for pid in allowed:
                if pid in self._position:
                    mask[self._position[pid]] = 1.0
            scores *= mask
        k = min(top_k, len(self.ids))
        best = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        best = best[np.lexsort((best, -scores[best]))]
        return [(self.ids[int(i)], float(scores[i])) for i in best if scores[i] > 0]


@lru_cache(maxsize=4)
def _english_stop(analyzer: Analyzer) -> frozenset[str]:
    """The tokens of ``analysis.ENGLISH_WORDS`` (left out of an English question's search)."""
    return frozenset(token for word in ENGLISH_WORDS for token in analyzer.analyze(word))
