"""Writing an index: the only code that changes what is under the index folder.

Order of writes, so that a writer killed at any moment leaves the old index answering:

1. new vectors are upserted into Chroma (``add_vectors``); nothing the current
   manifest names is deleted or overwritten with other content;
2. a new generation (passages + BM25) is written to its own folder and fsynced
   (``commit``), and the manifest is switched atomically to name it;
3. only then are vectors of passages that no longer exist and old generations
   removed (``cleanup``).

After a kill the old generation answers with all its vectors, and the next
writer reuses the vectors already added and deletes what is left over.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from kennisbank.errors import KennisbankError
from kennisbank.passage import Passage
from kennisbank.store.bm25 import BM25Index
from kennisbank.store.layout import BM25_DIR, CHROMA_DIR, GENERATIONS, LOCK_FILE, PASSAGES, generation_dir
from kennisbank.store.manifest import Manifest, check_folder, file_sha256, write_manifest
from kennisbank.store.vectors import VectorStore, forget_client, open_client
from kennisbank.synonyms import Synonyms


def open_writable_store(folder: Path, url: str, name: str) -> tuple[VectorStore, str]:
    """The collection ``name`` to write, created when absent; an embedded store Chroma cannot open is replaced.

    A damaged embedded store (a truncated ``chroma.sqlite3``: "database disk image is
    malformed") is removed and made anew, so ``kennisbank ingest`` repairs it by
    embedding every passage again. Call it inside ``locked(folder)``.

    Returns:
        (the store, why it was replaced: one line, or "" when it was not).

    Raises:
        KennisbankError: the Chroma server at ``url`` fails (a server is never replaced).
    """
    if not url:
        forget_client(folder / CHROMA_DIR)
    try:
        return VectorStore(open_client(folder / CHROMA_DIR, url), name), ""
    except Exception as exc:  # noqa: BLE001 - chromadb raises its own errors, sqlite's, OSError and ValueError
        reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")
        if url:
            raise KennisbankError(f"Chroma-server {url}: {reason}; controleer KENNISBANK_CHROMA_URL") from exc
    shutil.rmtree(folder / CHROMA_DIR, ignore_errors=True)
    forget_client(folder / CHROMA_DIR)
    store = VectorStore(open_client(folder / CHROMA_DIR, url), name)
    return store, f"Chroma-opslag {folder / CHROMA_DIR} was onleesbaar ({reason}) en is opnieuw opgebouwd"


def vector_metadata(passage: Passage) -> dict[str, str]:
    """What Chroma stores beside a vector, to filter on (see ``retrieval.Filters.where``)."""
    return {"doc": passage.doc, "kind": passage.kind, "region": passage.region, "form": passage.form}


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the folder's write lock: one writer at a time per index; the OS drops it if we are killed.

    Raises:
        KennisbankError: another writer holds it, or the folder cannot be written.
    """
    check_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / LOCK_FILE, "w")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise KennisbankError(
            f"{folder}: indexmap niet schrijfbaar ({exc.strerror or exc}); ingest heeft een schrijfbare map nodig"
        ) from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise KennisbankError(f"{folder}: er loopt al een ingest op deze index") from exc
        yield


class IndexWriter:
    """Writes vectors, a new generation and the manifest of one index folder (see the module docstring).

    Use it inside ``locked(folder)``. ``store`` is the Chroma collection of the embedder in use.
    """

    def __init__(self, folder: Path, store: VectorStore) -> None:
        self.folder = folder
        self.store = store

    def stored_ids(self) -> set[str]:
        """Ids that already have a vector in the collection."""
        return self.store.ids()

    def add_vectors(self, passages: Sequence[Passage], vectors: np.ndarray) -> None:
        """Upsert one vector per passage (shape ``(len(passages), dim)``, L2-normalised) with its filter metadata."""
        self.store.add([p.id for p in passages], vectors, [vector_metadata(p) for p in passages])

    def refresh_metadata(self, passages: Sequence[Passage]) -> None:
        """Store current filter metadata with vectors that are kept (their embedding is read back, not made again)."""
        stored = self.store.embeddings([p.id for p in passages])
        kept = [p for p in passages if p.id in stored]
        if kept:
            self.add_vectors(kept, np.stack([stored[p.id] for p in kept]))

    def commit(self, passages: Sequence[Passage], manifest: Manifest, synonyms: Synonyms | None = None) -> str:
        """Write ``passages`` and their BM25 index (with ``synonyms`` for query expansion) as a new
        generation, sync it, and switch the manifest to it.

        Returns the new generation's name (also set on ``manifest``).
        """
        generation = f"g{time.time_ns()}"
        gen = generation_dir(self.folder, generation)
        gen.mkdir(parents=True)
        write_passages(gen / PASSAGES, passages)
        BM25Index.build([p.id for p in passages], [p.lexical_text for p in passages], synonyms).save(gen / BM25_DIR)
        _sync_tree(gen)
        manifest.generation = generation
        manifest.passages = len(passages)
        manifest.passages_sha256 = file_sha256(gen / PASSAGES)
        write_manifest(self.folder, manifest)
        return generation

    def cleanup(self, keep: set[str], generation: str) -> int:
        """Delete vectors whose id is not in ``keep`` and every generation but ``generation``; the count deleted."""
        stale = sorted(self.store.ids() - keep)
        self.store.delete(stale)
        generations = self.folder / GENERATIONS
        if generations.is_dir():
            for other in generations.iterdir():
                if other.name != generation:
                    shutil.rmtree(other, ignore_errors=True)
        return len(stale)


def write_passages(path: Path, passages: Sequence[Passage]) -> None:
    """One JSON line per passage (``Passage.to_dict``), synced to disk."""
    with open(path, "w", encoding="utf-8") as handle:
        for passage in passages:
            handle.write(json.dumps(passage.to_dict(), ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _sync_tree(folder: Path) -> None:
    """fsync every file under ``folder`` and the folders themselves, before the manifest names it."""
    for path in sorted(folder.rglob("*"), reverse=True) + [folder]:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


__all__ = ["IndexWriter", "locked", "open_writable_store", "vector_metadata", "write_passages"]
