"""Kennisbank: cited answers from Dutch policy documents on domestic violence and child abuse, offline."""

from kennisbank.answer import Answer, Answerer, Citation, ExtractiveAnswerer
from kennisbank.config import Settings
from kennisbank.embedders import Embedder, make_embedder
from kennisbank.errors import ConfigError, DocumentError, IndexMissingError, KennisbankError, ModelError
from kennisbank.fusion import reciprocal_rank_fusion
from kennisbank.passage import Passage
from kennisbank.retrieval import BM25Retriever, DenseRetriever, Filters, HybridRetriever, Retriever


def __getattr__(name: str) -> object:
    """KnowledgeBase and ensure_index load on first use: they pull in the ingest pipeline,
    which itself imports :mod:`kennisbank.passage`."""
    if name in ("KnowledgeBase", "ensure_index"):
        import importlib

        return getattr(importlib.import_module("kennisbank.knowledgebase"), name)
    raise AttributeError(f"module 'kennisbank' has no attribute {name!r}")


__all__ = [
    "Answer",
    "Answerer",
    "BM25Retriever",
    "Citation",
    "ConfigError",
    "DenseRetriever",
    "DocumentError",
    "Embedder",
    "ExtractiveAnswerer",
    "Filters",
    "HybridRetriever",
    "IndexMissingError",
    "KennisbankError",
    "KnowledgeBase",
    "ModelError",
    "Passage",
    "Retriever",
    "Settings",
    "ensure_index",
    "make_embedder",
    "reciprocal_rank_fusion",
]
