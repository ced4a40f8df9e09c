"""The index on disk, and reading it back.

Layout under the index folder::

    manifest.json            which generation is current, embedder, documents and their hashes
    generations/<gen>/       passages.jsonl and bm25/ of one complete ingest
    chroma/                  embedded Chroma store (unless a Chroma server is used)

The manifest is replaced atomically and names one complete generation, so a
reader always sees a passage set and a BM25 index that agree. Chroma may hold
extra vectors left by an interrupted ingest; readers ignore ids that the
current generation does not list, and the next ingest deletes them.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kennisbank.bm25 import BM25Index
from kennisbank.errors import IndexMissingError, KennisbankError
from kennisbank.passage import Passage

MANIFEST = "manifest.json"
GENERATIONS = "generations"
PASSAGES = "passages.jsonl"
BM25_DIR = "bm25"
CHROMA_DIR = "chroma"
FORMAT_VERSION = 1


@dataclass
class DocumentEntry:
    """What the manifest remembers of one indexed document."""

    sha256: str
    title: str
    kind: str = ""
    region: str = ""
    period: str = ""
    passages: int = 0
    pages: int | None = None


@dataclass
class Manifest:
    """The index's table of contents."""

    embedder: str
    pipeline: str
    generation: str = ""
    documents: dict[str, DocumentEntry] = field(default_factory=dict)
    version: int = FORMAT_VERSION

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data: dict[str, Any] = json.loads(text)
        docs = {name: DocumentEntry(**entry) for name, entry in data.pop("documents", {}).items()}
        return cls(documents=docs, **data)


def read_manifest(folder: Path) -> Manifest | None:
    path = folder / MANIFEST
    if not path.exists():
        return None
    try:
        return Manifest.from_json(path.read_text(encoding="utf-8"))
    except (ValueError, TypeError) as exc:
        raise KennisbankError(f"{path}: beschadigd manifest ({exc}); draai 'kennisbank ingest --rebuild'") from exc


def write_manifest(folder: Path, manifest: Manifest) -> None:
    """Write the manifest atomically: readers see the old one or the new one, never half."""
    tmp = folder / (MANIFEST + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(manifest.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, folder / MANIFEST)


def generation_dir(folder: Path, generation: str) -> Path:
    return folder / GENERATIONS / generation


def write_passages(path: Path, passages: list[Passage]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for passage in passages:
            handle.write(json.dumps(passage.to_dict(), ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_passages(path: Path) -> list[Passage]:
    with open(path, encoding="utf-8") as handle:
        return [Passage.from_dict(json.loads(line)) for line in handle if line.strip()]


class Index:
    """A read-only view of the current generation: passages by id, and its BM25 index."""

    def __init__(self, folder: Path) -> None:
        manifest = read_manifest(folder)
        if manifest is None or not manifest.generation:
            raise IndexMissingError(f"geen index in {folder}: draai eerst 'kennisbank ingest'")
        self.folder = folder
        self.manifest = manifest
        gen = generation_dir(folder, manifest.generation)
        passages = read_passages(gen / PASSAGES)
        self.passages: dict[str, Passage] = {p.id: p for p in passages}
        self.bm25 = BM25Index.load(gen / BM25_DIR)

    @property
    def chroma_dir(self) -> Path:
        return self.folder / CHROMA_DIR
