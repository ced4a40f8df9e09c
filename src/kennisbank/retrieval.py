"""Retrievers: a query in, the best passages out. BM25, dense, and their fusion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from kennisbank.embedders import Embedder
from kennisbank.fusion import RRF_K, reciprocal_rank_fusion
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
        return not (self.docs or self.kinds or self.regions)

    def allows(self, passage: Passage) -> bool:
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
    """Semantic ranking: cosine similarity of embeddings stored in Chroma."""

    name = "dense"

    def __init__(self, index: IndexReader, embedder: Embedder, store: VectorStore) -> None:
        self.index = index
        self.embedder = embedder
        self.store = store
        # Extra results asked of Chroma, to make up for vectors that an interrupted
        # ingest left behind (they are not in the current generation; the next ingest deletes them).
        self.slack = 10 + max(0, store.count() - len(index.passages))

    def retrieve(self, query: str, top_k: int = 5, filters: Filters | None = None) -> list[Passage]:
        if not query.strip():
            return []
        vector = self.embedder.embed([query], query=True)[0]
        where = filters.where() if filters is not None else None
        hits = self.store.search(vector, top_k + self.slack, where)
        found = [
            replace(self.index.passages[pid], score=score, signals={"dense": score})
            for pid, score in hits
            if pid in self.index.passages
        ]
        return found[:top_k]


class HybridRetriever:
    """Reciprocal rank fusion of several retrievers (by default BM25 and dense)."""

    name = "hybrid"

    def __init__(self, retrievers: Sequence[Retriever], depth: int = 50, k: int = RRF_K) -> None:
        if not retrievers:
            raise ValueError("HybridRetriever needs at least one retriever")
        self.retrievers = list(retrievers)
        self.depth = depth
        self.k = k

    def retrieve(self, query: str, top_k: int = 5, filters: Filters | None = None) -> list[Passage]:
        depth = max(self.depth, top_k)
        rankings = [r.retrieve(query, depth, filters) for r in self.retrievers]
        by_id: dict[str, Passage] = {}
        signals: dict[str, dict[str, float]] = {}
        for ranking in rankings:
            for passage in ranking:
                by_id.setdefault(passage.id, passage)
                signals.setdefault(passage.id, {}).update(passage.signals)
        fused = reciprocal_rank_fusion([[p.id for p in ranking] for ranking in rankings], k=self.k)
        return [replace(by_id[pid], score=score, signals=signals[pid]) for pid, score in fused[:top_k]]
