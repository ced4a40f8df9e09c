"""Dense vectors in Chroma: an embedded persistent store, or a Chroma server by URL."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from kennisbank.errors import ConfigError, KennisbankError

# Chroma reads this before its settings exist; no usage data leaves the machine.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

BATCH = 1000
#: HNSW settings. Chroma's default search breadth (ef=10) is approximate enough that
#: the same query could rank differently after a restart; 128 is exact in practice at
#: our sizes and still fast at 100k vectors (see BENCHMARKS.md).
HNSW = {"hnsw:space": "cosine", "hnsw:search_ef": 128, "hnsw:construction_ef": 200}


#: Chroma's limit on a collection name is 63 characters (3-63, [a-zA-Z0-9._-], alphanumeric at both ends).
NAME_LIMIT = 63


def collection_name(embedder: str, dim: int) -> str:
    """One collection per embedding model and dimension, so vectors of two models never mix.

    ``kennisbank-<model>-<dim>d`` with the model name lower-cased and reduced to ``[a-z0-9-]``;
    when that is too long for Chroma, the model name is cut and the sha256 of the full name
    (first 12 hex digits) added, so two long names that share their start still differ.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", embedder.lower()).strip("-")
    name = f"kennisbank-{slug}-{dim}d"
    if len(name) <= NAME_LIMIT and slug:
        return name
    digest = hashlib.sha256(embedder.encode("utf-8")).hexdigest()[:12]
    room = NAME_LIMIT - len(f"kennisbank--{digest}-{dim}d")
    return f"kennisbank-{slug[:room].strip('-')}-{digest}-{dim}d".replace("--", "-")


def embedding_dim(embedder: Any) -> int:
    """An embedder's vector length: its ``dim`` attribute, else the length of one embedded word."""
    dim = getattr(embedder, "dim", None)
    if isinstance(dim, int) and dim > 0:
        return dim
    return int(embedder.embed(["dimensie"]).shape[1])


class VectorsMissingError(KennisbankError):
    """The index has no vector collection for this embedding model and dimension."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"Chroma-collectie {name}: de index heeft geen vectoren voor dit model en deze dimensie; "
            "draai 'kennisbank ingest' met hetzelfde KENNISBANK_EMBEDDER"
        )
        self.name = name


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
    """The passages' embeddings in one Chroma collection, with doc/kind/region for filtering.

    ``create=False`` opens an existing collection only (for searching).

    Raises:
        VectorsMissingError: ``create`` is False and the collection does not exist.
    """

    def __init__(self, client: Any, name: str, create: bool = True) -> None:
        self.client = client
        self.name = name
        if create:
            self.collection = client.get_or_create_collection(name=name, embedding_function=None, metadata=HNSW)
            return
        from chromadb.errors import NotFoundError

        try:
            self.collection = client.get_collection(name=name, embedding_function=None)
        except (NotFoundError, ValueError) as exc:
            raise VectorsMissingError(name) from exc

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
