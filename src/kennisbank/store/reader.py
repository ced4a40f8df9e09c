"""Reading the current generation of an index: passages by id, the BM25 index, the documents."""

from __future__ import annotations

import json
from pathlib import Path

from kennisbank.errors import IndexMissingError
from kennisbank.passage import Passage
from kennisbank.store.bm25 import BM25Index
from kennisbank.store.layout import BM25_DIR, CHROMA_DIR, PASSAGES, generation_dir
from kennisbank.store.manifest import DocumentEntry, read_manifest


def read_passages(path: Path) -> list[Passage]:
    """The passages of one ``passages.jsonl`` file, in file order."""
    with open(path, encoding="utf-8") as handle:
        return [Passage.from_dict(json.loads(line)) for line in handle if line.strip()]


class IndexReader:
    """A read-only view of the current generation.

    Attributes:
        folder: the index folder.
        manifest: its manifest.
        passages: passage id -> Passage, in index order.
        bm25: the generation's BM25 index (memory-mapped).

    Raises:
        IndexMissingError: no index in ``folder`` yet.
        IndexFormatError: the index has an older format; ``kennisbank ingest`` rebuilds it.
    """

    def __init__(self, folder: Path) -> None:
        manifest = read_manifest(folder)
        if manifest is None or not manifest.generation:
            raise IndexMissingError(f"geen index in {folder}: draai eerst 'kennisbank ingest'")
        self.folder = folder
        self.manifest = manifest
        gen = generation_dir(folder, manifest.generation)
        self.passages: dict[str, Passage] = {p.id: p for p in read_passages(gen / PASSAGES)}
        self.bm25 = BM25Index.load(gen / BM25_DIR)

    @property
    def chroma_dir(self) -> Path:
        """Where the embedded Chroma store lives (unused with a Chroma server)."""
        return self.folder / CHROMA_DIR

    def documents(self) -> dict[str, DocumentEntry]:
        """Indexed documents by id, sorted by id."""
        return dict(sorted(self.manifest.documents.items()))

    def glossary_terms(self) -> list[Passage]:
        """Every glossary passage (form ``term``), sorted by term."""
        terms = [p for p in self.passages.values() if p.form == "term"]
        return sorted(terms, key=lambda p: p.section.rsplit(" > ", 1)[-1].lower())

    def is_current(self) -> bool:
        """False when another ingest has switched the manifest to a newer generation since this was opened."""
        manifest = read_manifest(self.folder)
        return manifest is not None and manifest.generation == self.manifest.generation
