"""Retrievers: a query in, the best passages out. BM25, dense, and their fusion."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import numpy as np

from kennisbank.analysis import asks_quantity, has_quantity, is_english, question_focus
from kennisbank.embedders import Embedder
from kennisbank.fusion import RRF_K, convex_fusion, reciprocal_rank_fusion
from kennisbank.passage import Passage
from kennisbank.store.reader import IndexReader
from kennisbank.store.vectors import VectorStore


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval to documents, kinds of document and regions (empty = all)."""

    docs: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """True when no filter is set."""
        return not (self.docs or self.kinds or self.regions)

    def allows(self, passage: Passage) -> bool:
        """True when ``passage`` passes every filter that is set."""
        return (
            (not self.docs or passage.doc in self.docs)
            and (not self.kinds or passage.kind in self.kinds)
            and (not self.regions or passage.region in self.regions)
        )

    def where(self) -> dict[str, Any] | None:
        """The same restriction as a Chroma ``where`` clause."""
        clauses = [
            {name: {"$in": list(values)}}
            for name, values in (("doc", self.docs), ("kind", self.kinds), ("region", self.regions))
            if values
        ]
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class Retriever(Protocol):
    """Anything that ranks passages for a query."""

    def retrieve(self, query: str, top_k: int = 5, filters: Filters | None = None) -> list[Passage]:
        """The ``top_k`` best passages, best first, with ``score`` and ``signals`` set."""
        ...


class BM25Retriever:
    """Lexical ranking over Dutch-stemmed tokens."""

    name = "bm25"

    def __init__(self, index: IndexReader) -> None:
        self.index = index

    def retrieve(self, query: str, top_k: int = 5, filters: Filters | None = None) -> list[Passage]:
        """The ``top_k`` best passages for ``query`` within ``filters``, best first, ``score``/``signals`` set."""
        allowed = None
        if filters is not None and not filters.empty:
            allowed = {pid for pid, p in self.index.passages.items() if filters.allows(p)}
        hits = self.index.bm25.search(query, top_k, allowed)
        return [
            replace(self.index.passages[pid], score=score, signals={"bm25": score})
            for pid, score in hits
            if pid in self.index.passages
        ]


class DenseRetriever:
    """Semantic ranking: cosine similarity of embeddings stored in Chroma.

    A long question (more than ``long`` words, several sentences) is embedded as its question
    sentence plus ``context`` times the embedding of the other sentences, renormalised, so the
    question decides and its context only leans. With ``expand`` the abbreviations and synonyms
    the question mentions are spelled out behind it (``Synonyms.expand_text``) before embedding.
    """

    name = "dense"

    def __init__(
        self,
        index: IndexReader,
        embedder: Embedder,
        store: VectorStore,
        context: float = 0.1,
        long: int = 30,
        expand: bool = False,
    ) -> None:
        self.index = index
        self.embedder = embedder
        self.store = store
        self.context = context
        self.long = long
        self.expand = expand
        # Extra results asked of Chroma, to make up for vectors that an interrupted
        # ingest left behind (they are not in the current generation; the next ingest deletes them).
        self.slack = 10 + max(0, store.count() - len(index.passages))
        # The hybrid retriever asks the similarity of passages BM25 found for the same query (``similarities``):
        # its vector is made once. lru_cache is safe across the server's threads.
        self.query_vector = functools.lru_cache(maxsize=64)(self._query_vector)

    def retrieve(self, query: str, top_k: int = 5, filters: Filters | None = None) -> list[Passage]:
        """The ``top_k`` best passages for ``query`` within ``filters``, best first, ``score``/``signals`` set."""
        if not query.strip():
            return []
        vector = self.query_vector(query)
        where = filters.where() if filters is not None else None
        hits = self.store.search(vector, top_k + self.slack, where)
        found = [
            replace(self.index.passages[pid], score=score, signals={"dense": score})
            for pid, score in hits
            if pid in self.index.passages
        ]
        return found[:top_k]

    def similarities(self, query: str, ids: Sequence[str]) -> dict[str, float]:
        """Cosine similarity of ``query`` and each stored passage of ``ids`` (ids without a vector are left out)."""
        if not ids or not query.strip():
            return {}
        vector = self.query_vector(query)
        return {
            pid: float(stored @ vector) / (float(np.linalg.norm(stored)) or 1.0)
            for pid, stored in self.store.embeddings(list(ids)).items()
        }

    def _query_vector(self, query: str) -> np.ndarray:
        """The unit vector a query is searched with (see the class docstring)."""
        question, context = question_focus(query, self.long)
        if self.expand:
            question = self.index.bm25.synonyms.expand_text(question)
        if not context or self.context <= 0:
            return self.embedder.embed([question], query=True)[0]
        both = self.embedder.embed([question, context], query=True)
        vector = both[0] + self.context * both[1]
        return vector / (float(np.linalg.norm(vector)) or 1.0)


#: Fusion methods of ``HybridRetriever``: reciprocal rank fusion, or a convex combination of normalised scores.
FUSIONS = ("rrf", "convex")
#: BM25 and dense weights of the product's hybrid search, for Dutch and for English questions
#: (chosen on the calibration half of the evaluation items: benchmarks/ablation.py). English
#: questions weighed the dense side more (0.25 / 0.75) until BM25 translated them with the
#: ``[engels]`` glossary of ``corpus/synoniemen.toml``; since then equal weights do best.
HYBRID_WEIGHTS = (0.5, 0.5)
ENGLISH_WEIGHTS = (0.5, 0.5)
#: Added to the fused score (which is at most 1) of a passage holding a number other than a year
#: when the question asks for one ("hoeveel", "how many": ``analysis.asks_quantity``); calibration
#: half MRR@5 0.855 -> 0.869 (0.05: 0.855, 0.1: 0.863, 0.3: 0.869).
QUANTITY_BONUS = 0.2


class HybridRetriever:
    """Weighted fusion of several retrievers (by default BM25 and dense), each asked ``depth`` deep.

    ``method`` "convex" (the default) adds each retriever's min-max normalised scores times its
    weight (``fusion.convex_fusion``; on the first calibration half MRR@5 0.825 against 0.787 for
    RRF), "rrf" adds weight / (k + rank) (``fusion.reciprocal_rank_fusion``).
    ``weights`` weigh each retriever in the fusion (default 1 each); an English
    question (``analysis.is_english``) is fused with ``english`` instead (the product uses
    ``ENGLISH_WEIGHTS``), so a route where BM25 cannot read the question can lean on the
    multilingual dense side. A question asking for a number (``analysis.asks_quantity``) adds
    ``quantity`` to the convex fused score of each passage holding one (``analysis.has_quantity``).
    A ``DenseRetriever`` adds its similarity (``similarities``) to the returned passages it did not find
    itself (their fused score stays as it is).
    """

    name = "hybrid"

    def __init__(
        self,
        retrievers: Sequence[Retriever],
        depth: int = 50,
        k: int = RRF_K,
        weights: Sequence[float] | None = None,
        english: Sequence[float] | None = None,
        method: str = "convex",
        quantity: float = QUANTITY_BONUS,
    ) -> None:
        if not retrievers:
            raise ValueError("HybridRetriever needs at least one retriever")
        for name, values in (("weights", weights), ("english", english)):
            if values is not None and len(values) != len(retrievers):
                raise ValueError(f"HybridRetriever: {len(values)} {name} for {len(retrievers)} retrievers")
        if method not in FUSIONS:
            raise ValueError(f"HybridRetriever: fusion {method!r} unknown, choose from {', '.join(FUSIONS)}")
        self.method = method
        self.quantity = quantity
        self.retrievers = list(retrievers)
        self.depth = depth
        self.k = k
        self.weights = list(weights) if weights is not None else [1.0] * len(self.retrievers)
        self.english = list(english) if english is not None else self.weights

    def retrieve(self, query: str, top_k: int = 5, filters: Filters | None = None) -> list[Passage]:
        """The ``top_k`` best passages for ``query`` within ``filters``, best first, ``score``/``signals`` set."""
        depth = max(self.depth, top_k)
        weights = self.english if is_english(query) else self.weights
        rankings = [
            r.retrieve(query, depth, filters) if w > 0 else [] for r, w in zip(self.retrievers, weights, strict=True)
        ]
        by_id: dict[str, Passage] = {}
        signals: dict[str, dict[str, float]] = {}
        for ranking in rankings:
            for passage in ranking:
                by_id.setdefault(passage.id, passage)
                signals.setdefault(passage.id, {}).update(passage.signals)
        if self.method == "convex":
            scored = [[(p.id, p.score or 0.0) for p in ranking] for ranking in rankings]
            fused = convex_fusion(scored, weights)
        else:
            fused = reciprocal_rank_fusion([[p.id for p in ranking] for ranking in rankings], k=self.k, weights=weights)
        if self.quantity and self.method == "convex" and asks_quantity(question_focus(query)[0]):
            fused = sorted(
                ((pid, score + self.quantity * has_quantity(by_id[pid].text)) for pid, score in fused),
                key=lambda item: -item[1],
            )
        top = fused[:top_k]
        # A passage only one retriever found still gets the other's similarity: the answerer weighs the dense
        # score of every passage, and a flood of near-copies can fill the dense list (one 6.8 MB file of one
        # repeated phrase left every BM25 hit without one, and every question was refused).
        for retriever, weight in zip(self.retrievers, weights, strict=True):
            missing = [pid for pid, _ in top if DenseRetriever.name not in signals[pid]]
            if isinstance(retriever, DenseRetriever) and weight > 0 and missing:
                for pid, value in retriever.similarities(query, missing).items():
                    signals[pid][DenseRetriever.name] = value
        return [replace(by_id[pid], score=score, signals=signals[pid]) for pid, score in top]
