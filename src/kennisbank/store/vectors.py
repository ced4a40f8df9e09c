"""Dense vectors in Chroma: an embedded persistent store, or a Chroma server by URL."""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import tempfile
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


def open_store(folder: Path, url: str, name: str) -> VectorStore:
    """The collection ``name`` for searching: opened, never created, with Chroma's errors named in one line.

    An embedded store in a folder we may not write (a read-only index) is copied to a
    private temporary folder first, because Chroma opens its SQLite file for writing;
    the copy is removed when the process ends.

    Raises:
        IndexDamagedError: the embedded store is missing, unreadable or lacks the collection.
        KennisbankError: the Chroma server at ``url`` cannot be reached or lacks the collection.
    """
    from kennisbank.store.manifest import damaged

    where = url or str(folder)
    if not url:
        if not (folder / "chroma.sqlite3").is_file():
            raise damaged(f"Chroma-opslag {folder}", "ontbreekt")
        if not os.access(folder, os.W_OK) or not os.access(folder / "chroma.sqlite3", os.W_OK):
            folder = _private_copy(folder)
        forget_client(folder)
    try:
        store = VectorStore(open_client(folder, url), name, create=False)
    except (ConfigError, VectorsMissingError):
        raise
    except Exception as exc:  # noqa: BLE001 - chromadb raises its own errors, sqlite's, OSError and ValueError
        reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")
        if url:
            raise KennisbankError(f"Chroma-server {url}: {reason}; controleer KENNISBANK_CHROMA_URL") from exc
        raise damaged(f"Chroma-opslag {where}", f"onleesbaar ({reason})") from exc
    store.where = where
    return store


def forget_client(folder: Path) -> None:
    """Drop Chroma's in-process cache of the store in ``folder``, so the next client reads the files as they are now.

    Chroma keeps one system per path per process; after the folder was deleted or replaced
    (a repair, a test), that system would still answer from the old, open files.
    """
    try:
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient._identifier_to_system.pop(str(folder), None)
        SharedSystemClient._identifier_to_refcount.pop(str(folder), None)
    except (ImportError, AttributeError):  # only a cache; a newer chromadb may keep it elsewhere
        pass


def _private_copy(folder: Path) -> Path:
    """A copy of a read-only Chroma folder that this process may write, removed at exit."""
    target = Path(tempfile.mkdtemp(prefix="kennisbank-chroma-"))
    atexit.register(shutil.rmtree, target, True)
    shutil.copytree(folder, target, dirs_exist_ok=True)
    for path in [target, *target.rglob("*")]:
        path.chmod(0o700 if path.is_dir() else 0o600)
    return target


class VectorStore:
    """The passages' embeddings in one Chroma collection, with doc/kind/region for filtering.

    ``create=False`` opens an existing collection only (for searching).
    ``where`` names the store in messages (its folder or server URL).
    """

    def __init__(self, client: Any, name: str, create: bool = True) -> None:
        self.client = client
        self.name = name
        self.where = name
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
        """Number of vectors in the collection."""
        return int(self.collection.count())

    def add(self, ids: Sequence[str], vectors: np.ndarray, metadatas: Sequence[dict[str, Any]]) -> None:
        """Upsert ``vectors`` (shape (len(ids), dim)) with their ids and filter metadata, in batches."""
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
        """Remove the vectors of ``ids`` (ids not stored are ignored), in batches."""
        for chunk in _chunks(ids, BATCH):
            self.collection.delete(ids=chunk)

    def search(self, vector: np.ndarray, top_k: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """Nearest ``top_k`` as (id, cosine similarity), best first.

        Chroma returns fewer than ``top_k`` when the collection holds fewer (none when it is
        empty), so no ``count()`` first: that would cost a second round trip to a server per query.

        Raises:
            KennisbankError: Chroma fails (one line naming the store and the reason).
        """
        if top_k <= 0:
            return []
        try:
            result = self.collection.query(
                query_embeddings=[vector.tolist()],
                n_results=top_k,
                where=where or None,
                include=["distances"],
            )
        except Exception as exc:  # noqa: BLE001 - a server gone, a damaged store: chromadb, httpx, sqlite errors
            reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")
            raise KennisbankError(
                f"Chroma ({self.where}) antwoordt niet ({reason}); controleer de Chroma-server of draai "
                "'kennisbank ingest'"
            ) from exc
        return [(pid, 1.0 - float(d)) for pid, d in zip(result["ids"][0], result["distances"][0], strict=True)]


def _chunks(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
