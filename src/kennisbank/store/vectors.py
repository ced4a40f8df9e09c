"""Dense vectors in Chroma: an embedded persistent store, or a Chroma server by URL."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from kennisbank.errors import ConfigError

# Chroma reads this before its settings exist; no usage data leaves the machine.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

BATCH = 1000
#: HNSW settings. Chroma's default search breadth (ef=10) is approximate enough that
#: the same query could rank differently after a restart; 128 is exact in practice at
#: our sizes and still fast at 100k vectors (see BENCHMARKS.md).
HNSW = {"hnsw:space": "cosine", "hnsw:search_ef": 128, "hnsw:construction_ef": 200}


def collection_name(embedder: str) -> str:
    """One collection per embedding model, so vectors of two models never mix."""
    return "kennisbank-" + re.sub(r"[^a-z0-9]+", "-", embedder.lower()).strip("-")[:40]


def open_client(folder: Path, url: str = "") -> Any:
    """A Chroma client: a server when ``url`` is set, else a persistent store under ``folder``."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if not url:
        return chromadb.PersistentClient(path=str(folder), settings=settings)
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ConfigError(f"KENNISBANK_CHROMA_URL: verwacht http://host:poort, kreeg {url!r}")
    return chromadb.HttpClient(
        host=parsed.hostname,
        port=parsed.port or (443 if parsed.scheme == "https" else 8000),
        ssl=parsed.scheme == "https",
        settings=settings,
    )


class VectorStore:
    """The passages' embeddings in one Chroma collection, with doc/kind/region for filtering."""

    def __init__(self, client: Any, name: str) -> None:
        self.client = client
        self.name = name
        self.collection = client.get_or_create_collection(name=name, embedding_function=None, metadata=HNSW)

    def ids(self) -> set[str]:
        """Every id stored, read in pages."""
        found: set[str] = set()
        offset = 0
        while True:
            batch = self.collection.get(include=[], limit=BATCH * 10, offset=offset)["ids"]
            found.update(batch)
            if len(batch) < BATCH * 10:
                return found
            offset += len(batch)

    def count(self) -> int:
        return int(self.collection.count())

    def add(self, ids: Sequence[str], vectors: np.ndarray, metadatas: Sequence[dict[str, Any]]) -> None:
        for start in range(0, len(ids), BATCH):
            end = start + BATCH
            self.collection.upsert(
                ids=list(ids[start:end]),
                embeddings=vectors[start:end].tolist(),
                metadatas=list(metadatas[start:end]),
            )

    def embeddings(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors for those of ``ids`` that exist."""
        found: dict[str, np.ndarray] = {}
        for chunk in _chunks(ids, BATCH):
            got = self.collection.get(ids=chunk, include=["embeddings"])
            for pid, vec in zip(got["ids"], got["embeddings"], strict=True):
                found[pid] = np.asarray(vec, dtype=np.float32)
        return found

    def delete(self, ids: Sequence[str]) -> None:
        for chunk in _chunks(ids, BATCH):
            self.collection.delete(ids=chunk)

    def search(self, vector: np.ndarray, top_k: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """Nearest ``top_k`` as (id, cosine similarity), best first.

        Chroma returns fewer than ``top_k`` when the collection holds fewer (none when it is
        empty), so no ``count()`` first: that would cost a second round trip to a server per query.
        """
        if top_k <= 0:
            return []
        result = self.collection.query(
            query_embeddings=[vector.tolist()],
            n_results=top_k,
            where=where or None,
            include=["distances"],
        )
        return [(pid, 1.0 - float(d)) for pid, d in zip(result["ids"][0], result["distances"][0], strict=True)]


def _chunks(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
