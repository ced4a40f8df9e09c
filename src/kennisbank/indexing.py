"""Ingest: bring the index in line with the corpus folder, doing only the work that changed.

The corpus is compared with the manifest (per document: fingerprint of bytes,
metadata and pipeline version); changed documents are read, cleaned and cut
(``kennisbank.ingest``), new passages embedded, and ``store.writer`` writes the
result in its crash-safe order (see that module). An index of an older format is
rebuilt; ``rebuild=True`` re-embeds everything.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kennisbank.analysis import TOKENIZER_VERSION
from kennisbank.embedders import Embedder, make_embedder
from kennisbank.errors import DocumentError, IndexDamagedError, IndexFormatError
from kennisbank.ingest import pipeline
from kennisbank.ingest.corpus import (
    METADATA_FILE,
    check_corpus,
    doc_id,
    document_meta,
    document_paths,
    doubtful_entries,
    load_metadata,
    orphan_entries,
)
from kennisbank.ingest.documents import DocumentMeta
from kennisbank.passage import Passage
from kennisbank.store.layout import OCR_CACHE_DIR, PASSAGES, generation_dir
from kennisbank.store.manifest import REPAIR, DocumentEntry, Manifest, read_manifest
from kennisbank.store.reader import generation_problem, read_passages
from kennisbank.store.vectors import collection_name, embedding_dim
from kennisbank.store.writer import IndexWriter, locked, open_writable_store
from kennisbank.synonyms import SYNONYMS_FILE, file_hash, place_groups, read_file
from kennisbank.synonyms import build as build_synonyms

EMBED_BATCH = 32

#: (stage, done, total) -> None; stages: "embedden".
Progress = Callable[[str, int, int], None]


@dataclass
class IngestReport:
    """What an ingest did, for the CLI to print and tests to check (``seconds`` is wall time)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # failed this time; their previously indexed version stays
    errors: list[DocumentError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # nothing failed, but the user should know (Dutch, one line)
    passages: int = 0
    embedded: int = 0
    deleted_vectors: int = 0
    rebuilt_format: bool = False
    repaired: list[str] = field(default_factory=list)
    seconds: float = 0.0


#: File names (without extension, lower case) of a folder's own explanation, not a document of the corpus.
FOLDER_NOTES = frozenset({"readme", "leesmij", "lees mij", "lees-mij"})


def is_folder_note(path: Path) -> bool:
    """Whether ``path`` is the explanation of its folder ("README.md", "LEESMIJ.txt"), not a document."""
    return path.stem.lower() in FOLDER_NOTES


def fingerprint(data: bytes, meta: DocumentMeta, synonyms: str = "") -> str:
    """sha256 (hex) of a document's bytes, its metadata, the pipeline and tokenizer versions and
    ``synonyms`` (the sha256 of ``synoniemen.toml``, so that editing it rebuilds the BM25 index)."""
    digest = hashlib.sha256(data)
    digest.update(json.dumps(meta.to_dict(), sort_keys=True).encode("utf-8"))
    digest.update(f"{pipeline.VERSION}/{TOKENIZER_VERSION}/{synonyms}".encode())
    return digest.hexdigest()


_NO_METADATA = "{path}: geen gegevens in metadata.toml: titel wordt de bestandsnaam, zonder regio"


def _has_metadata(manifest: Manifest) -> bool:
    """Some indexed document has metadata that only metadata.toml gives (a kind, region, period or places)."""
    return any(_had_metadata(manifest, doc) for doc in manifest.documents)


def _documents(count: int) -> str:
    return "1 document dat" if count == 1 else f"{count} documenten die"


def _has(count: int) -> str:
    return "heeft" if count == 1 else "hebben"


def _had_metadata(manifest: Manifest, doc: str) -> bool:
    """The indexed document ``doc`` has metadata that only metadata.toml gives (a kind, region, period or places)."""
    entry = manifest.documents.get(doc)
    return entry is not None and bool(entry.meta.kind or entry.meta.region or entry.meta.period or entry.meta.places)


def _warn_unlisted(corpus: Path, unlisted: list[Path], report: IngestReport) -> None:
    """A warning per indexed document that metadata.toml does not list; without a metadata.toml at all, one."""
    path = corpus / METADATA_FILE
    if unlisted and not path.exists():
        report.warnings.append(
            f"{path}: ontbreekt: {len(unlisted)} documenten krijgen hun bestandsnaam als titel, zonder regio"
        )
    else:
        report.warnings.extend(_NO_METADATA.format(path=document) for document in unlisted)


def ingest(
    corpus: Path,
    folder: Path,
    embedder: str | Embedder = "e5-small",
    chroma_url: str = "",
    rebuild: bool = False,
    progress: Progress | None = None,
    ocr: bool = True,
) -> IngestReport:
    """Index ``corpus`` into ``folder`` (see the module docstring).

    Raises:
        DocumentError: the corpus folder or its metadata.toml cannot be used (per-document
            problems are collected in ``IngestReport.errors`` instead).
        KennisbankError: another ingest holds the index.
        ModelError, ConfigError: the embedder cannot be made.
    """
    started = time.perf_counter()
    check_corpus(corpus)  # before the index folder is made: a wrong corpus path leaves nothing behind
    if folder.resolve().is_relative_to(corpus.resolve()):
        # its own files would be read as documents on every later ingest ("bestandstype .npy niet ondersteund")
        raise DocumentError(folder, "de indexmap ligt in de corpusmap: kies met --index een map ernaast")
    model = make_embedder(embedder) if isinstance(embedder, str) else embedder
    with locked(folder):
        report = _ingest(corpus, folder, model, chroma_url, rebuild, progress, ocr)
    report.seconds = time.perf_counter() - started
    return report


def _old_manifest(folder: Path, report: IngestReport) -> Manifest | None:
    try:
        return read_manifest(folder)
    except IndexFormatError:
        report.rebuilt_format = True
        return None
    except IndexDamagedError as exc:  # nothing of the old index can be trusted: it is built again
        report.repaired.append(str(exc).removesuffix(f"; {REPAIR}"))
        return None


def _ingest(
    corpus: Path,
    folder: Path,
    model: Embedder,
    chroma_url: str,
    rebuild: bool,
    progress: Progress | None,
    ocr: bool = True,
) -> IngestReport:
    report = IngestReport()
    old = None if rebuild else _old_manifest(folder, report)
    if old is not None and old.embedder != model.name:
        old = None  # another embedding model: every vector must be made again
    problem = generation_problem(folder, old)
    if problem:  # a damaged generation: every document is read and cut again, and a new generation written
        report.repaired.append(problem)
    old_passages = {} if problem else _passages_by_doc(folder, old)
    # One collection per model and dimension: another model finds its own (empty) collection and embeds all.
    store, replaced = open_writable_store(folder, chroma_url, collection_name(model.name, embedding_dim(model)))
    if replaced:
        report.repaired.append(replaced)
    writer = IndexWriter(folder, store)

    metadata = load_metadata(corpus)
    synonyms_file = corpus / SYNONYMS_FILE
    extra_synonyms = read_file(synonyms_file)
    synonyms_hash = file_hash(synonyms_file)
    if old is not None and old.synonyms_sha256 and not synonyms_hash:
        report.warnings.append(
            f"{synonyms_file}: niet meer in de corpusmap; de synoniemen en afkortingen daaruit vervallen "
            "(zet het bestand terug om ze te houden)"
        )
    entries: dict[str, DocumentEntry] = {}
    kept: dict[str, list[Passage]] = {}
    todo: list[tuple[DocumentMeta, Path, bytes, str, str]] = []
    seen_content: dict[str, str] = {}
    unlisted: list[Path] = []  # indexed documents that metadata.toml does not list
    found = [path for path in document_paths(corpus) if path != synonyms_file]
    for path in [p for p in found if is_folder_note(p) and doc_id(corpus, p) not in metadata]:
        # a README beside the documents explains the folder; quoted as a source it answered questions in English
        report.warnings.append(
            f"{path}: uitleg bij de map, geen document: overgeslagen (zet het in metadata.toml om het te indexeren)"
        )
        found.remove(path)
    if not found:
        # An empty folder is far more often a wrong path or mount than a wish to delete every document.
        raise DocumentError(corpus, "corpusmap bevat geen documenten: de index is niet veranderd")
    if old is not None and not metadata and _has_metadata(old):
        # a metadata.toml moved, deleted or emptied by mistake would strip every document's title, region and period
        state = "is leeg" if (corpus / METADATA_FILE).exists() else "ontbreekt"
        raise DocumentError(
            corpus / METADATA_FILE,
            f"{state}, maar de index heeft titels en regio's uit een eerdere metadata.toml: zet het bestand "
            "terug, of indexeer met 'ingest --rebuild' zonder metadata (de index is niet veranderd)",
        )
    docs = {doc_id(corpus, path) for path in found}
    dropped = sorted(d for d in docs if old is not None and d not in metadata and _had_metadata(old, d))
    if dropped:
        # a metadata.toml cut down by mistake would strip those documents' regions: place questions about them
        # would be refused, or answered from the text alone
        named = ", ".join(dropped[:3]) + (", ..." if len(dropped) > 3 else "")
        raise DocumentError(
            corpus / METADATA_FILE,
            f"geen gegevens meer voor {_documents(len(dropped))} ze in de index wel {_has(len(dropped))} ({named}): "
            "zet ze terug, of indexeer met 'ingest --rebuild' zonder (de index is niet veranderd)",
        )
    for name in orphan_entries(metadata, docs):
        report.warnings.append(f"{corpus / 'metadata.toml'}: [{name!r}] heeft geen bestand in de corpusmap")
    for line in doubtful_entries(metadata, docs):
        report.warnings.append(f"{corpus / 'metadata.toml'}: {line}")
    indexed = set(old.documents) if old else set()
    # an identical copy never evicts the document already indexed, nor "x.txt" its "x (kopie).txt"
    paths = sorted(found, key=lambda p: (p.relative_to(corpus).as_posix() not in indexed, len(p.name)))
    for path in paths:
        meta = document_meta(corpus, path, metadata)
        try:
            if path.is_symlink() and not path.resolve().is_relative_to(corpus.resolve()):
                # A link out of the corpus folder could publish any readable file of the machine in the chat.
                raise DocumentError(path, "koppeling naar een bestand buiten de corpusmap: overgeslagen")
            data = pipeline.check_readable(path)
        except DocumentError as exc:
            _keep_old(report, exc, meta.doc, old, old_passages, entries, kept)
            continue
        content = hashlib.sha256(data).hexdigest()
        if content in seen_content:
            report.errors.append(DocumentError(path, f"zelfde inhoud als {seen_content[content]}: overgeslagen"))
            continue
        seen_content[content] = meta.doc
        print_ = fingerprint(data, meta, synonyms_hash)
        previous = old.documents.get(meta.doc) if old else None
        if previous is not None and previous.fingerprint == print_ and meta.doc in old_passages:
            entries[meta.doc] = previous
            kept[meta.doc] = old_passages[meta.doc]
            report.unchanged.append(meta.doc)
            if meta.doc not in metadata:
                unlisted.append(path)
        else:
            todo.append((meta, path, data, content, print_))

    sources = []
    for meta, path, data, content, print_ in todo:
        try:
            sources.append((pipeline.read(path, meta, data, ocr, folder / OCR_CACHE_DIR), content, print_))
        except DocumentError as exc:
            _keep_old(report, exc, meta.doc, old, old_passages, entries, kept)
    # Only the documents read now are cut with the vocabulary: with none (an unchanged corpus) it is
    # not built, which at 100k passages was two thirds of an unchanged re-ingest (BENCHMARKS.md).
    vocabulary = pipeline.vocabulary(
        [p.text for passages in kept.values() for p in passages]
        + [page for source, _, _ in sources for page in source.pages]
        if sources
        else []
    )
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for source, content, print_ in sources:
        doc = source.meta.doc
        try:
            passages = pipeline.passages(source, vocabulary)
        except DocumentError as exc:
            _keep_old(report, exc, doc, old, old_passages, entries, kept)
            continue
        kept[doc] = passages
        entries[doc] = DocumentEntry(
            meta=source.meta,
            sha256=content,
            fingerprint=print_,
            passages=len(passages),
            pages=len(source.pages) if source.paged else None,
            ingested=now,
            ocr=any(p.ocr for p in passages),
        )
        (report.changed if old and doc in old.documents else report.added).append(doc)
        if doc not in metadata:  # said only of a document that is indexed
            unlisted.append(source.path)
    _warn_unlisted(corpus, unlisted, report)
    if old:
        report.removed = sorted(set(old.documents) - set(entries))
    report.errors.sort(key=lambda error: str(error.path))

    all_passages = _unique([p for doc in sorted(kept) for p in kept[doc]])
    report.passages = len(all_passages)
    present = writer.stored_ids()
    lost = sum(1 for doc in report.unchanged for p in kept[doc] if p.id not in present)
    if lost:  # a deleted or emptied Chroma store: the vectors are made again below
        report.repaired.append(f"{lost} vectoren ontbraken in de Chroma-opslag en zijn opnieuw gemaakt")
    missing = all_passages if rebuild else [p for p in all_passages if p.id not in present]
    report.embedded = _embed(writer, model, missing, progress)
    if not rebuild:
        # A re-cut document keeps the ids of unchanged passages, but its kind, region or form may be new.
        recut = set(report.added) | set(report.changed)
        writer.refresh_metadata([p for p in all_passages if p.doc in recut and p.id in present])

    if old is not None and not (report.added or report.changed or report.removed or problem):
        generation = old.generation  # nothing changed: the current generation stays
    else:
        manifest = Manifest(
            embedder=model.name, pipeline=pipeline.VERSION, documents=entries, synonyms_sha256=synonyms_hash
        )
        places = {place for entry in entries.values() for place in (entry.meta.region, *entry.meta.places) if place}
        synonyms = build_synonyms([p.text for p in all_passages], [*extra_synonyms, *place_groups(places)])
        generation = writer.commit(all_passages, manifest, synonyms)
    report.deleted_vectors = writer.cleanup({p.id for p in all_passages}, generation)
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
        report.kept.append(doc)
    elif report.repaired or report.rebuilt_format:
        report.warnings.append(
            f"{error.path}: staat niet meer in de index: de vorige versie kon bij het herstel of "
            "opnieuw bouwen van de index niet worden behouden"
        )


def _unique(passages: list[Passage]) -> list[Passage]:
    seen: set[str] = set()
    out = []
    for passage in passages:
        if passage.id not in seen:
            seen.add(passage.id)
            out.append(passage)
    return out


def _embed(writer: IndexWriter, model: Embedder, passages: list[Passage], progress: Progress | None) -> int:
    for start in range(0, len(passages), EMBED_BATCH):
        batch = passages[start : start + EMBED_BATCH]
        writer.add_vectors(batch, model.embed([p.index_text for p in batch]))
        if progress:
            progress("embedden", start + len(batch), len(passages))
    return len(passages)
