"""Draw the seeded sample of passages for ``structure_gold.jsonl`` (run once; the gold is then checked by hand).

Usage: ``python evals/pdf/sample_structure.py [N]`` prints N (default 64) JSON lines
``{"doc", "page", "anchor", "predicted"}``: a passage drawn with ``random.Random(SEED)``
from all passages of the documents in ``../shared/documents-pdf``, a line of it
(``anchor``, at most 60 characters) and the innermost heading the pipeline gave it.
The hand check replaces ``predicted`` by ``heading``, read from the PDF itself.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from kennisbank.ingest import pipeline
from kennisbank.ingest.corpus import document_meta, document_paths, load_metadata

SEED = 11
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "documents-pdf"


def all_passages(folder: Path = SHARED) -> list:
    """Every passage of every PDF in ``folder`` (OCR on), in document order."""
    metadata = load_metadata(folder)
    sources = []
    for path in document_paths(folder):
        if path.suffix.lower() != ".pdf":
            continue
        sources.append(pipeline.read(path, document_meta(folder, path, metadata), path.read_bytes()))
    vocab = pipeline.vocabulary(page for source in sources for page in source.pages)
    return [p for source in sources for p in pipeline.passages(source, vocab)]


def anchor(text: str) -> str:
    """A line of the passage of 30 characters or more (its first 60), else its first 60 characters."""
    lines = [line.strip() for line in text.split("\n") if len(line.strip()) >= 30]
    return (lines[len(lines) // 2] if lines else text.strip())[:60]


def main(n: int) -> None:
    passages = all_passages()
    for p in sorted(random.Random(SEED).sample(passages, n), key=lambda p: (p.doc, p.start)):
        row = {"doc": p.doc, "page": p.page, "anchor": anchor(p.text), "predicted": p.section.split(" > ")[-1]}
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 64)
