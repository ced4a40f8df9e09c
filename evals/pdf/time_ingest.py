"""Seconds per page to read and cut the shared PDFs (no embedding), with and without OCR.

Usage: ``python evals/pdf/time_ingest.py``. Prints, per document, pages and seconds
(``pipeline.read`` + ``pipeline.passages``), then totals for the PDFs with a text
layer, and for the scan with OCR (the scan is refused with ``--no-ocr``).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from kennisbank.ingest import pipeline
from kennisbank.ingest.corpus import document_meta, load_metadata

from kennisbank.errors import DocumentError

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "documents-pdf"


def main() -> None:
    """Time every PDF once with OCR and once without."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    from pypdf import PdfReader

    metadata = load_metadata(SHARED)
    totals: dict[tuple[bool, bool], list[float]] = {}
    for ocr in (True, False):
        for path in sorted(SHARED.glob("*.pdf")):
            pages = len(PdfReader(path).pages)
            started = time.perf_counter()
            try:
                source = pipeline.read(path, document_meta(SHARED, path, metadata), path.read_bytes(), ocr=ocr)
                pipeline.passages(source, pipeline.vocabulary(source.pages))
                scanned = any(source.ocr)
            except DocumentError as exc:
                print(f"  {path.name}: {exc.reason}")
                continue
            seconds = time.perf_counter() - started
            totals.setdefault((ocr, scanned), [0.0, 0.0])
            totals[(ocr, scanned)][0] += seconds
            totals[(ocr, scanned)][1] += pages
            print(f"ocr={ocr} {path.name}: {pages} pages, {seconds:.1f} s, {seconds / pages:.2f} s/page")
    for (ocr, scanned), (seconds, pages) in sorted(totals.items()):
        kind = "scan (OCR)" if scanned else "text layer"
        print(f"ocr={ocr} {kind}: {pages:.0f} pages, {seconds:.1f} s, {seconds / pages:.2f} s/page")


if __name__ == "__main__":
    main()
