"""The manifest: the index's table of contents, replaced atomically.

``manifest.json`` names the current generation, the embedder the vectors were made
with, the pipeline version and, per document, its metadata and hashes. ``version``
is the index format: an index of another format is not read (``IndexFormatError``)
and ``kennisbank ingest`` builds it again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kennisbank.errors import IndexDamagedError, IndexFormatError, KennisbankError
from kennisbank.ingest.documents import DocumentMeta

MANIFEST = "manifest.json"
#: Bump when what is stored changes (files, fields, collection names): older indexes are then rebuilt.
FORMAT_VERSION = 3


@dataclass
class DocumentEntry:
    """What the manifest remembers of one indexed document.

    meta         the metadata it was indexed with
    sha256       sha256 of the file's bytes (hex)
    fingerprint  sha256 of bytes + metadata + pipeline and tokenizer versions: equal means nothing to redo
    passages     number of passages
    pages        number of PDF pages, None for unpaged sources
    ingested     when it was (re)indexed, ISO 8601 UTC
    ocr          whether any of its text was read by OCR (None: indexed before this was recorded)
    """

    meta: DocumentMeta
    sha256: str
    fingerprint: str
    passages: int = 0
    pages: int | None = None
    ingested: str = ""
    ocr: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        """The entry as JSON-ready data (the manifest's per-document record)."""
        return {
            "meta": self.meta.to_dict(),
            "sha256": self.sha256,
            "fingerprint": self.fingerprint,
            "passages": self.passages,
            "pages": self.pages,
            "ingested": self.ingested,
            "ocr": self.ocr,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentEntry:
        """The inverse of ``to_dict``."""
        data = dict(data)
        return cls(meta=DocumentMeta.from_dict(data.pop("meta")), **data)


@dataclass
class Manifest:
    """The index's table of contents: embedder, pipeline version, current generation, documents by id.

    ``passages`` and ``passages_sha256`` describe the current generation (its number of passages and
    the sha256, hex, of its ``passages.jsonl`` bytes), so that a reader can check it on open
    (``store.reader.check_generation``). Empty in manifests written before these fields existed:
    those generations are checked on counts only.
    """

    embedder: str
    pipeline: str
    generation: str = ""
    documents: dict[str, DocumentEntry] = field(default_factory=dict)
    version: int = FORMAT_VERSION
    passages: int = 0
    passages_sha256: str = ""
    synonyms_sha256: str = ""  # of the corpus's synoniemen.toml at this ingest; "" when it had none

    def to_json(self) -> str:
        """The manifest as JSON text (documents sorted by id)."""
        data = {
            "version": self.version,
            "embedder": self.embedder,
            "pipeline": self.pipeline,
            "generation": self.generation,
            "passages": self.passages,
            "passages_sha256": self.passages_sha256,
            "synonyms_sha256": self.synonyms_sha256,
            "documents": {name: entry.to_dict() for name, entry in sorted(self.documents.items())},
        }
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Parse a manifest of the current format.

        Raises:
            IndexFormatError: it was written in another index format.
            ValueError, TypeError, KeyError: it is not a manifest.
        """
        data: dict[str, Any] = json.loads(text)
        version = data.get("version", 1)
        if version != FORMAT_VERSION:
            raise IndexFormatError(version)
        docs = {name: DocumentEntry.from_dict(entry) for name, entry in data.pop("documents", {}).items()}
        return cls(documents=docs, **data)


#: The fix every damage message names; ``kennisbank ingest`` rebuilds any part that fails its checks.
REPAIR = "draai 'kennisbank ingest' om de index te herstellen"


def damaged(part: str, reason: str) -> IndexDamagedError:
    """The one-line error for a damaged part of the index: ``index beschadigd: <part> <reason>; <fix>``."""
    return IndexDamagedError(f"index beschadigd: {part} {reason}; {REPAIR}")


def check_folder(folder: Path) -> None:
    """Raises KennisbankError when ``folder`` (the index) is a file: KENNISBANK_INDEX names a file."""
    if folder.exists() and not folder.is_dir():
        raise KennisbankError(f"{folder}: is een bestand, geen map; kies met --index of KENNISBANK_INDEX een indexmap")


def read_manifest(folder: Path) -> Manifest | None:
    """The manifest in ``folder``, or None when there is none.

    Raises:
        IndexFormatError: the index has another format (``kennisbank ingest`` rebuilds it).
        IndexDamagedError: the manifest is damaged (``kennisbank ingest`` builds the index again).
        KennisbankError: ``folder`` is a file (``check_folder``).
    """
    check_folder(folder)
    path = folder / MANIFEST
    if not path.exists():
        return None
    try:
        return Manifest.from_json(path.read_text(encoding="utf-8"))
    except IndexFormatError:
        raise
    except json.JSONDecodeError as exc:  # Python's own reason is English: say where, in Dutch
        raise damaged(str(path), f"is geen geldige JSON (regel {exc.lineno}, kolom {exc.colno})") from exc
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise damaged(str(path), f"heeft een onverwachte inhoud ({type(exc).__name__})") from exc


def file_sha256(path: Path) -> str:
    """sha256 (hex) of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(folder: Path, manifest: Manifest) -> None:
    """Write the manifest atomically: readers see the old one or the new one, never half."""
    tmp = folder / (MANIFEST + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(manifest.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, folder / MANIFEST)
