"""File names inside an index folder (one definition for reader and writer).

manifest.json            which generation is current, embedder, documents and their hashes
generations/<gen>/       passages.jsonl and bm25/ of one complete ingest
chroma/                  embedded Chroma store (unless a Chroma server is used)
ocr-cache/               OCR text of scanned pages by the PDF's bytes (``kennisbank.ingest.pdf.ocr_pages``)
.lock                    held by the one ingest that may write
"""

from __future__ import annotations

from pathlib import Path

GENERATIONS = "generations"
PASSAGES = "passages.jsonl"
BM25_DIR = "bm25"
CHROMA_DIR = "chroma"
OCR_CACHE_DIR = "ocr-cache"
LOCK_FILE = ".lock"


def generation_dir(folder: Path, generation: str) -> Path:
    """The folder of one generation."""
    return folder / GENERATIONS / generation
