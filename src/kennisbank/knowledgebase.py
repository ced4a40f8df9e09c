"""The parts wired together: an opened index, its retrievers and an answerer."""

from __future__ import annotations

from kennisbank.answer import Answer, Answerer, ExtractiveAnswerer
from kennisbank.config import Settings
from kennisbank.embedders import Embedder, make_embedder
from kennisbank.errors import ConfigError
from kennisbank.index import Index, read_manifest
from kennisbank.indexer import IngestReport, Progress, ingest
from kennisbank.passage import Passage
from kennisbank.retrieval import BM25Retriever, DenseRetriever, Filters, HybridRetriever, Retriever
from kennisbank.vectors import VectorStore, collection_name, open_client

MODES = ("hybrid", "bm25", "dense")


class KnowledgeBase:
    """Search and ask over one index."""

    def __init__(self, index: Index, embedder: Embedder, store: VectorStore, answerer: Answerer | None = None) -> None:
        self.index = index
        self.embedder = embedder
        bm25 = BM25Retriever(index)
        dense = DenseRetriever(index, embedder, store)
        self.retrievers: dict[str, Retriever] = {
            "hybrid": HybridRetriever([bm25, dense]),
            "bm25": bm25,
            "dense": dense,
        }
        self.answerer = answerer or ExtractiveAnswerer()

    @classmethod
    def open(cls, settings: Settings, answerer: Answerer | None = None) -> KnowledgeBase:
        """Open the index the settings point at, with the embedder it was built with."""
        index = Index(settings.index)
        embedder = make_embedder(index.manifest.embedder)
        store = VectorStore(open_client(index.chroma_dir, settings.chroma_url), collection_name(embedder.name))
        return cls(index, embedder, store, answerer)

    def search(self, query: str, top_k: int = 5, filters: Filters | None = None, mode: str = "hybrid") -> list[Passage]:
        if mode not in self.retrievers:
            raise ConfigError(f"zoekmodus {mode!r} onbekend: kies uit {', '.join(MODES)}")
        return self.retrievers[mode].retrieve(query, top_k, filters)

    def ask(self, question: str, filters: Filters | None = None, top_k: int = 5) -> Answer:
        return self.answerer.answer(question, self.search(question, top_k, filters))


def ensure_index(settings: Settings, progress: Progress | None = None) -> IngestReport | None:
    """Build the index from the corpus if there is none yet; None when one exists."""
    manifest = read_manifest(settings.index)
    if manifest is not None and manifest.generation:
        return None
    return ingest(settings.corpus, settings.index, settings.embedder, settings.chroma_url, progress=progress)
