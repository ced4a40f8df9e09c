"""Retrieval on the real PDFs: hit@5 and cited-page accuracy for ``evals/pdf/questions.jsonl``.

Usage: ``python evals/pdf/run_pdf_eval.py [--embedder e5-small] [--no-ocr] [--index DIR]``

The PDFs of ``../shared/documents-pdf`` (with its ``metadata.toml``, and ``corpus/synoniemen.toml``) are copied to
a temporary corpus and ingested (the real e5 model by default). Each item of
``questions.jsonl`` has the fields of ``evals/questions.jsonl`` plus ``page``:
the physical page that holds the answer. For each item the top 5 passages of a
hybrid search are taken:

* **hit@5**: one of them is relevant (from one of the item's ``docs``, holding one
  of its ``key_phrases``, compared as ``kennisbank eval`` does);
* **cited page right**: the sentence of the first relevant passage that holds the
  key phrase is on the item's page (``Passage.page_at``: a passage may run over
  a page break, each sentence cites its own page).

Prints one line per miss and the totals, and ingest seconds per page; returns 0.
``kennisbank eval --items evals/pdf/questions.jsonl`` runs the same items through the
answerer and reports the page its citations cite (see ``README.md``).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from kennisbank.config import Settings
from kennisbank.indexing import ingest
from kennisbank.knowledgebase import KnowledgeBase
from kennisbank.passage import Passage

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1].parent / "shared" / "documents-pdf"
ITEMS = HERE / "questions.jsonl"
GLOSSARY = HERE.parents[1] / "corpus" / "synoniemen.toml"


def normalise(text: str) -> str:
    """As ``kennisbank eval`` compares: a word broken over a line joined, whitespace collapsed, lower case."""
    text = re.sub(r"-\n(?=[a-zà-ÿ])", "", text)
    return " ".join(text.split()).lower()


def relevant(item: dict[str, Any], passage: Passage) -> bool:
    """From one of the item's documents and holding one of its key phrases."""
    text = normalise(passage.text)
    return passage.doc in item["docs"] and any(normalise(phrase) in text for phrase in item["key_phrases"])


def cited_page(item: dict[str, Any], passage: Passage) -> int | None:
    """The page of the sentence that holds the key phrase (a passage may run over two pages)."""
    for phrase in item["key_phrases"]:
        pattern = r"\s+".join(re.escape(word) for word in phrase.split())
        match = re.search(pattern, passage.text, re.IGNORECASE)
        if match:
            return passage.page_at(match.start())
    return passage.page


def load(path: Path) -> list[dict[str, Any]]:
    """The items; each must have the eval item fields plus an int ``page``."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for n, item in enumerate(items, 1):
        if not isinstance(item.get("page"), int) or not item.get("docs") or not item.get("key_phrases"):
            raise SystemExit(f"{path}:{n}: veld 'page', 'docs' of 'key_phrases' ontbreekt of is ongeldig")
    return items


def build(index: Path, embedder: str, ocr: bool) -> tuple[float, int]:
    """Ingest the shared PDFs (and the Word file) into ``index``; (seconds, physical PDF pages)."""
    corpus = Path(tempfile.mkdtemp(prefix="kb-pdf-corpus-"))
    pages = 0
    from pypdf import PdfReader

    for path in sorted(SHARED.glob("*.pdf")):
        shutil.copy(path, corpus / path.name)
        pages += len(PdfReader(path).pages)
    for path in sorted(SHARED.glob("*.docx")):
        shutil.copy(path, corpus / path.name)
    if (SHARED / "metadata.toml").exists():
        shutil.copy(SHARED / "metadata.toml", corpus / "metadata.toml")
    # the synonyms and English glossary are the domain's, not one corpus's: the product's file serves here too
    shutil.copy(GLOSSARY, corpus / GLOSSARY.name)
    started = time.perf_counter()
    report = ingest(corpus, index, embedder, rebuild=True, ocr=ocr)
    seconds = time.perf_counter() - started
    for error in report.errors:
        print(f"fout: {error}", file=sys.stderr)
    for warning in report.warnings:
        print(f"waarschuwing: {warning}", file=sys.stderr)
    return seconds, pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="e5-small")
    parser.add_argument("--no-ocr", action="store_true")
    parser.add_argument("--index", type=Path, default=None, help="an index built before (skips the ingest)")
    args = parser.parse_args()
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not SHARED.is_dir():
        print(f"testdocumenten ontbreken: {SHARED}", file=sys.stderr)
        return 1
    index = args.index or Path(tempfile.mkdtemp(prefix="kb-pdf-index-"))
    if args.index is None:
        seconds, pages = build(index, args.embedder, not args.no_ocr)
        print(f"ingest: {seconds:.1f} s for {pages} pages = {seconds / pages:.2f} s/page (embedder {args.embedder})")
    kb = KnowledgeBase.open(Settings(index=index))
    items = load(ITEMS)
    hits = pages_right = 0
    for item in items:
        found = kb.search(item["question"], top_k=5)
        first = next((p for p in found if relevant(item, p)), None)
        page = cited_page(item, first) if first else None
        hits += first is not None
        pages_right += page == item["page"]
        if page != item["page"]:
            got = f"p{page}" if first else "geen relevante passage in top 5"
            print(f"mis {item['id']}: verwacht p{item['page']}, kreeg {got} ({item['question'][:60]})")
    print(f"hit@5 {hits / len(items):.3f}; cited page right {pages_right / len(items):.3f} of {len(items)} items")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
