"""Kennisbank: cited answers from Dutch policy documents on domestic violence and child abuse, offline.

The public API is loaded on first use (PEP 562), so ``import kennisbank`` and
``import kennisbank.ingest`` load no model, no Chroma and no BM25 library.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> module that defines it.
_EXPORTS = {
    "Answer": "kennisbank.answering.citations",
    "Answerer": "kennisbank.answering.citations",
    "Citation": "kennisbank.answering.citations",
    "ExtractiveAnswerer": "kennisbank.answering.extractive",
    "Chat": "kennisbank.chat",
    "Turn": "kennisbank.chat",
    "Settings": "kennisbank.config",
    "Embedder": "kennisbank.embedders",
    "make_embedder": "kennisbank.embedders",
    "ConfigError": "kennisbank.errors",
    "DocumentError": "kennisbank.errors",
    "IndexFormatError": "kennisbank.errors",
    "IndexMissingError": "kennisbank.errors",
    "KennisbankError": "kennisbank.errors",
    "ModelError": "kennisbank.errors",
    "reciprocal_rank_fusion": "kennisbank.fusion",
    "ingest": "kennisbank.indexing",
    "KnowledgeBase": "kennisbank.knowledgebase",
    "ensure_index": "kennisbank.knowledgebase",
    "Passage": "kennisbank.passage",
    "BM25Retriever": "kennisbank.retrieval",
    "DenseRetriever": "kennisbank.retrieval",
    "Filters": "kennisbank.retrieval",
    "HybridRetriever": "kennisbank.retrieval",
    "Retriever": "kennisbank.retrieval",
}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kennisbank' has no attribute {name!r}")


__all__ = sorted(_EXPORTS)
