"""Reading the current generation of an index: passages by id, the BM25 index, the documents.

Every part is checked against the manifest when it is opened (``check_generation``,
``IndexReader.check_vectors``): a part that does not match stops with one line that
names it and says that ``kennisbank ingest`` repairs it, instead of a traceback or
silently different answers.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from kennisbank.errors import IndexDamagedError, IndexMissingError
from kennisbank.passage import Passage
from kennisbank.store.bm25 import BM25Index
from kennisbank.store.layout import BM25_DIR, CHROMA_DIR, PASSAGES, generation_dir
from kennisbank.store.manifest import REPAIR, DocumentEntry, Manifest, damaged, read_manifest


def read_passages(path: Path, data: bytes | None = None) -> list[Passage]:
    """The passages of one ``passages.jsonl`` file, in file order; ``data`` is its bytes when already read.

    Raises:
        IndexDamagedError: the file is missing or a line is not a passage.
    """
    if data is None:
        if not path.is_file():
            raise damaged(str(path), "ontbreekt")
        data = path.read_bytes()
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise damaged(str(path), "is geen geldige UTF-8") from exc
    passages = []
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            try:
                passages.append(Passage.from_dict(json.loads(line)))
            except (ValueError, TypeError, KeyError) as exc:
                raise damaged(str(path), f"regel {number} is geen passage ({type(exc).__name__})") from exc
    return passages


def check_generation(folder: Path, manifest: Manifest) -> tuple[dict[str, Passage], BM25Index]:
    """Read the current generation and check it against the manifest: the passages, then the BM25 index.

    Checked: ``passages.jsonl`` exists, has the sha256 and number of passages the manifest
    recorded (when it recorded them), every line is a passage; the BM25 folder loads and
    indexes exactly those passage ids, in the same order.

    Returns:
        (passage id -> Passage in index order, the BM25 index).

    Raises:
        IndexDamagedError: one line naming the part that does not match.
    """
    gen = generation_dir(folder, manifest.generation)
    if not gen.is_dir():
        raise damaged(f"generatie {gen}", "ontbreekt")
    path = gen / PASSAGES
    # Read once: the same bytes are hashed against the manifest and parsed (at 100k passages, tens of MB).
    data = path.read_bytes() if path.is_file() else None
    if data is not None and manifest.passages_sha256 and hashlib.sha256(data).hexdigest() != manifest.passages_sha256:
        raise damaged(str(path), "wijkt af van het manifest (inhoud gewijzigd of afgebroken)")
    passages = {p.id: p for p in read_passages(path, data)}
    if manifest.passages_sha256 and len(passages) != manifest.passages:
        raise damaged(str(path), f"heeft {len(passages)} passages, het manifest {manifest.passages}")
    bm25_dir = gen / BM25_DIR
    try:
        bm25 = BM25Index.load(bm25_dir)
        indexed = int(bm25.model.scores["num_docs"]) if bm25.ids else 0
    except Exception as exc:  # noqa: BLE001 - bm25s and numpy raise many kinds on damaged files
        raise damaged(f"BM25-index {bm25_dir}", f"ontbreekt of is onleesbaar ({type(exc).__name__})") from exc
    if bm25.ids != list(passages) or indexed != len(passages):
        raise damaged(
            f"BM25-index {bm25_dir}",
            f"noemt {len(bm25.ids)} passages ({indexed} geïndexeerd), er zijn er {len(passages)}",
        )
    return passages, bm25


def generation_problem(folder: Path, manifest: Manifest | None) -> str | None:
    """Why the current generation fails ``check_generation`` (one line); None when it passes or there is none."""
    if manifest is None or not manifest.generation:
        return None
    try:
        check_generation(folder, manifest)
    except IndexDamagedError as exc:
        return str(exc).removesuffix(f"; {REPAIR}")
    return None


class IndexReader:
    """A read-only view of the current generation, checked on open (``check_generation``).

    Attributes:
        folder: the index folder.
        manifest: its manifest.
        passages: passage id -> Passage, in index order.
        bm25: the generation's BM25 index (memory-mapped).

    Raises:
        IndexMissingError: no index in ``folder`` yet.
        IndexFormatError: the index has an older format; ``kennisbank ingest`` rebuilds it.
        IndexDamagedError: a part does not match the manifest; ``kennisbank ingest`` repairs it.
    """

    def __init__(self, folder: Path) -> None:
        manifest = read_manifest(folder)
        if manifest is None or not manifest.generation:
            raise IndexMissingError.at(folder)
        self.folder = folder
        self.manifest = manifest
        self.passages, self.bm25 = check_generation(folder, manifest)

    @property
    def chroma_dir(self) -> Path:
        """Where the embedded Chroma store lives (unused with a Chroma server)."""
        return self.folder / CHROMA_DIR

    def check_vectors(self, store: Any) -> None:
        """Check that the vector store (a ``VectorStore``) holds at least one vector per passage.

        More is allowed: an interrupted ingest leaves vectors the next one deletes
        (``DenseRetriever.slack`` asks Chroma for that many extra results).

        Raises:
            IndexDamagedError: fewer vectors than passages (a missing or emptied Chroma store).
        """
        count = store.count()
        if count < len(self.passages):
            raise damaged(
                f"Chroma-opslag ({store.where})", f"heeft {count} vectoren voor {len(self.passages)} passages"
            )

    def documents(self) -> dict[str, DocumentEntry]:
        """Indexed documents by id, sorted by id."""
        return dict(sorted(self.manifest.documents.items()))

    def is_current(self) -> bool:
        """False when another ingest has switched the manifest to a newer generation since this was opened."""
        manifest = read_manifest(self.folder)
        return manifest is not None and manifest.generation == self.manifest.generation
