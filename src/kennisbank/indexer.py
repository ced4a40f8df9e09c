"""Ingest: bring the index in line with the corpus folder, doing only the work that changed.

Order of writes (so an ingest killed at any moment leaves the old index answering):
new vectors are added to Chroma, a new generation (passages + BM25) is written to
its own folder and synced, the manifest is switched atomically, and only then are
vectors of passages that no longer exist and old generations removed. Nothing the
current manifest names is ever deleted or overwritten with other content before
the switch (``--rebuild`` too re-embeds by upsert instead of emptying Chroma
first), so after a kill the old generation answers with all its vectors, and the
next ingest reuses the vectors already added and deletes what is left over.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest import pipeline
from ingest.corpus import document_meta, document_paths, load_metadata
from ingest.documents import DocumentMeta
from kennisbank.bm25 import TOKENIZER_VERSION, BM25Index
from kennisbank.embedders import Embedder, make_embedder
from kennisbank.errors import DocumentError, KennisbankError
from kennisbank.index import (
    BM25_DIR,
    CHROMA_DIR,
    GENERATIONS,
    PASSAGES,
    DocumentEntry,
    Manifest,
    generation_dir,
    read_manifest,
    read_passages,
    write_manifest,
    write_passages,
)
from kennisbank.passage import Passage
from kennisbank.vectors import VectorStore, collection_name, open_client

EMBED_BATCH = 32
LOCK_FILE = ".lock"

#: (stage, done, total) -> None; stages: "embedden".
Progress = Callable[[str, int, int], None]


@dataclass
class IngestReport:
    """What an ingest did, for the CLI to print and tests to check."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[DocumentError] = field(default_factory=list)
    passages: int = 0
    embedded: int = 0
    deleted_vectors: int = 0
    seconds: float = 0.0


def _fingerprint(data: bytes, meta: DocumentMeta) -> str:
    digest = hashlib.sha256(data)
    digest.update(json.dumps(meta.__dict__, sort_keys=True).encode("utf-8"))
    digest.update(f"{pipeline.VERSION}/{TOKENIZER_VERSION}".encode())
    return digest.hexdigest()


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One ingest at a time per index folder; the OS drops the lock if we are killed."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_FILE, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise KennisbankError(f"{folder}: er loopt al een ingest op deze index") from exc
        yield


def ingest(
    corpus: Path,
    folder: Path,
    embedder: str | Embedder = "e5-small",
    chroma_url: str = "",
    rebuild: bool = False,
    progress: Progress | None = None,
) -> IngestReport:
    """Index ``corpus`` into ``folder``; see the module docstring for the order of writes."""
    started = time.perf_counter()
    model = make_embedder(embedder) if isinstance(embedder, str) else embedder
    with _locked(folder):
        report = _ingest(corpus, folder, model, chroma_url, rebuild, progress)
    report.seconds = time.perf_counter() - started
    return report


def _ingest(
    corpus: Path, folder: Path, model: Embedder, chroma_url: str, rebuild: bool, progress: Progress | None
) -> IngestReport:
    report = IngestReport()
    old = None if rebuild else read_manifest(folder)
    if old is not None and old.embedder != model.name:
        old = None  # another embedding model: every vector must be made again
    old_passages = _passages_by_doc(folder, old)
    store = VectorStore(open_client(folder / CHROMA_DIR, chroma_url), collection_name(model.name))

    metadata = load_metadata(corpus)
    entries: dict[str, DocumentEntry] = {}
    kept: dict[str, list[Passage]] = {}
    todo: list[tuple[DocumentMeta, Path, bytes, str]] = []
    seen_content: dict[str, str] = {}
    for path in document_paths(corpus):
        meta = document_meta(corpus, path, metadata)
        try:
            data = pipeline.check_readable(path)
        except DocumentError as exc:
            _keep_old(report, exc, meta.doc, old, old_passages, entries, kept)
            continue
        content = hashlib.sha256(data).hexdigest()
        if content in seen_content:
            report.errors.append(DocumentError(path, f"zelfde inhoud als {seen_content[content]}: overgeslagen"))
            continue
        seen_content[content] = meta.doc
        fingerprint = _fingerprint(data, meta)
        previous = old.documents.get(meta.doc) if old else None
        if previous is not None and previous.sha256 == fingerprint and meta.doc in old_passages:
            entries[meta.doc] = previous
            kept[meta.doc] = old_passages[meta.doc]
            report.unchanged.append(meta.doc)
        else:
            todo.append((meta, path, data, fingerprint))

    sources = []
    for meta, path, data, fingerprint in todo:
        try:
            sources.append((pipeline.read(path, meta, data), fingerprint))
        except DocumentError as exc:
            _keep_old(report, exc, meta.doc, old, old_passages, entries, kept)
    # Only the documents read now are cut with the vocabulary: with none (an unchanged corpus) it is
    # not built, which at 100k passages was two thirds of an unchanged re-ingest (BENCHMARKS.md).
    vocabulary = pipeline.vocabulary(
        [p.text for passages in kept.values() for p in passages]
        + [page for source, _ in sources for page in source.pages]
        if sources
        else []
    )
    for source, fingerprint in sources:
        doc = source.meta.doc
        try:
            passages = pipeline.passages(source, vocabulary)
        except DocumentError as exc:
            _keep_old(report, exc, doc, old, old_passages, entries, kept)
            continue
        kept[doc] = passages
        entries[doc] = DocumentEntry(
            sha256=fingerprint,
            title=source.meta.title,
            kind=source.meta.kind,
            region=source.meta.region,
            period=source.meta.period,
            passages=len(passages),
            pages=len(source.pages) if source.paged else None,
        )
        (report.changed if old and doc in old.documents else report.added).append(doc)
    if old:
        report.removed = sorted(set(old.documents) - set(entries))
    report.errors.sort(key=lambda error: str(error.path))

    all_passages = _unique([p for doc in sorted(kept) for p in kept[doc]])
    report.passages = len(all_passages)
    present = store.ids()
    missing = all_passages if rebuild else [p for p in all_passages if p.id not in present]
    report.embedded = _embed(store, model, missing, progress)
    if not rebuild:
        # A re-cut document keeps the ids of unchanged passages, but its kind, region or form may be new.
        recut = set(report.added) | set(report.changed)
        _refresh_metadata(store, [p for p in all_passages if p.doc in recut and p.id in present])

    if old is not None and not (report.added or report.changed or report.removed):
        generation = old.generation  # nothing changed: the current generation stays
    else:
        generation = f"g{time.time_ns()}"
        gen = generation_dir(folder, generation)
        gen.mkdir(parents=True)
        write_passages(gen / PASSAGES, all_passages)
        BM25Index.build([p.id for p in all_passages], [p.index_text for p in all_passages]).save(gen / BM25_DIR)
        _sync_tree(gen)
        manifest = Manifest(embedder=model.name, pipeline=pipeline.VERSION, generation=generation, documents=entries)
        write_manifest(folder, manifest)

    wanted = {p.id for p in all_passages}
    stale = sorted(present - wanted)
    store.delete(stale)
    report.deleted_vectors = len(stale)
    for other in (folder / GENERATIONS).iterdir():
        if other.name != generation:
            shutil.rmtree(other, ignore_errors=True)
    return report


def _passages_by_doc(folder: Path, manifest: Manifest | None) -> dict[str, list[Passage]]:
    if manifest is None or not manifest.generation:
        return {}
    path = generation_dir(folder, manifest.generation) / PASSAGES
    if not path.exists():
        return {}
    grouped: dict[str, list[Passage]] = {}
    for passage in read_passages(path):
        grouped.setdefault(passage.doc, []).append(passage)
    return grouped


def _keep_old(
    report: IngestReport,
    error: DocumentError,
    doc: str,
    old: Manifest | None,
    old_passages: dict[str, list[Passage]],
    entries: dict[str, DocumentEntry],
    kept: dict[str, list[Passage]],
) -> None:
    """A document failed: report it, and keep its previously indexed version if there is one."""
    report.errors.append(error)
    if old is not None and doc in old.documents and doc in old_passages:
        entries[doc] = old.documents[doc]
        kept[doc] = old_passages[doc]


def _unique(passages: list[Passage]) -> list[Passage]:
    seen: set[str] = set()
    out = []
    for passage in passages:
        if passage.id not in seen:
            seen.add(passage.id)
            out.append(passage)
    return out


def _vector_metadata(passage: Passage) -> dict[str, str]:
    """What Chroma filters on (see ``Filters.where``)."""
    return {"doc": passage.doc, "kind": passage.kind, "region": passage.region, "form": passage.form}


def _embed(store: VectorStore, model: Embedder, passages: list[Passage], progress: Progress | None) -> int:
    for start in range(0, len(passages), EMBED_BATCH):
        batch = passages[start : start + EMBED_BATCH]
        vectors = model.embed([p.index_text for p in batch])
        store.add([p.id for p in batch], vectors, [_vector_metadata(p) for p in batch])
        if progress:
            progress("embedden", start + len(batch), len(passages))
    return len(passages)


def _refresh_metadata(store: VectorStore, passages: list[Passage]) -> None:
    """Store the current filter metadata with vectors that are kept (their embedding is read back, not made again)."""
    stored = store.embeddings([p.id for p in passages])
    passages = [p for p in passages if p.id in stored]
    if passages:
        vectors = np.stack([stored[p.id] for p in passages])
        store.add([p.id for p in passages], vectors, [_vector_metadata(p) for p in passages])


def _sync_tree(folder: Path) -> None:
    """fsync every file under ``folder`` and the folders themselves, before the manifest names it."""
    for path in sorted(folder.rglob("*"), reverse=True) + [folder]:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
