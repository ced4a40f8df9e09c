"""The parts wired together: an opened index, its retrievers and an answerer."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from kennisbank.answering.citations import Answer, Answerer
from kennisbank.answering.extractive import ExtractiveAnswerer
from kennisbank.config import Settings
from kennisbank.embedders import Embedder, make_embedder
from kennisbank.errors import ConfigError, IndexFormatError
from kennisbank.indexing import IngestReport, Progress, ingest
from kennisbank.passage import Passage
from kennisbank.retrieval import BM25Retriever, DenseRetriever, Filters, HybridRetriever, Retriever
from kennisbank.store.manifest import DocumentEntry, read_manifest
from kennisbank.store.reader import IndexReader
from kennisbank.store.vectors import VectorStore, collection_name, open_client

MODES = ("hybrid", "bm25", "dense")


@dataclass(frozen=True)
class IndexInfo:
    """What an opened index is: embedder, pipeline version, generation, counts."""

    embedder: str
    pipeline: str
    generation: str
    documents: int
    passages: int


class KnowledgeBase:
    """Search and ask over one index.

    ``search`` holds a lock (the embedder and Chroma client are not known to be
    thread-safe), so one instance serves many threads; answering runs outside it.
    """

    def __init__(
        self,
        index: IndexReader,
        embedder: Embedder,
        store: VectorStore,
        answerer: Answerer | None = None,
        chroma_url: str = "",
    ):
        self.index = index
        self.embedder = embedder
        self.store = store
        self.chroma_url = chroma_url
        self.retrievers: dict[str, Retriever] = _retrievers(index, embedder, store)
        self.answerer: Answerer = answerer or ExtractiveAnswerer()
        self._lock = threading.Lock()

    @classmethod
    def open(cls, settings: Settings, answerer: Answerer | None = None) -> KnowledgeBase:
        """Open the index the settings point at, with the embedder it was built with.

        Raises:
            IndexMissingError: there is no index yet.
            IndexFormatError: the index has an older format.
            ModelError: the embedder it was built with cannot be loaded.
        """
        index = IndexReader(settings.index)
        embedder = make_embedder(index.manifest.embedder)
        store = VectorStore(open_client(index.chroma_dir, settings.chroma_url), collection_name(embedder.name))
        return cls(index, embedder, store, answerer, settings.chroma_url)

    def refresh(self) -> bool:
        """Switch to the newest generation when an ingest has made one since this was opened.

        Returns True when it switched (the caller tells the user once), False when the index is current.
        Searches running meanwhile finish on the old generation; the next one uses the new.

        Raises:
            IndexMissingError, IndexFormatError, ModelError: as ``open``.
        """
        if self.index.is_current():
            return False
        index = IndexReader(self.index.folder)
        embedder, store = self.embedder, self.store
        if index.manifest.embedder != embedder.name:
            embedder = make_embedder(index.manifest.embedder)
            store = VectorStore(open_client(index.chroma_dir, self.chroma_url), collection_name(embedder.name))
        retrievers = _retrievers(index, embedder, store)
        with self._lock:
            self.index, self.embedder, self.store, self.retrievers = index, embedder, store, retrievers
        return True

    def search(self, query: str, top_k: int = 5, filters: Filters | None = None, mode: str = "hybrid") -> list[Passage]:
        """The ``top_k`` best passages for ``query``, best first, with ``score`` and ``signals`` set.

        Raises:
            ConfigError: ``mode`` is not one of ``MODES``.
        """
        if mode not in self.retrievers:
            raise ConfigError(f"zoekmodus {mode!r} onbekend: kies uit {', '.join(MODES)}")
        with self._lock:
            return self.retrievers[mode].retrieve(query, top_k, filters)

    def ask(self, question: str, filters: Filters | None = None, top_k: int = 5) -> Answer:
        """One independent question: search, then answer (no conversation; see ``kennisbank.chat``)."""
        return self.answerer.answer(question, self.search(question, top_k, filters))

    def documents(self) -> dict[str, DocumentEntry]:
        """The indexed documents by id."""
        return self.index.documents()

    def glossary_terms(self) -> list[Passage]:
        """The glossary passages, sorted by term."""
        return self.index.glossary_terms()

    def info(self) -> IndexInfo:
        """Embedder, pipeline version, generation and counts of the opened index."""
        manifest = self.index.manifest
        return IndexInfo(
            embedder=manifest.embedder,
            pipeline=manifest.pipeline,
            generation=manifest.generation,
            documents=len(manifest.documents),
            passages=len(self.index.passages),
        )


def _retrievers(index: IndexReader, embedder: Embedder, store: VectorStore) -> dict[str, Retriever]:
    bm25 = BM25Retriever(index)
    dense = DenseRetriever(index, embedder, store)
    return {"hybrid": HybridRetriever([bm25, dense]), "bm25": bm25, "dense": dense}


def ensure_index(
    settings: Settings, progress: Progress | None = None, rebuild_old: bool = False
) -> IngestReport | None:
    """Build the index from the corpus if there is none yet; None when one exists.

    Raises:
        IndexFormatError: the index has an older format and ``rebuild_old`` is False
            (with ``rebuild_old`` it is rebuilt; ``IngestReport.rebuilt_format`` says so).
    """
    try:
        manifest = read_manifest(settings.index)
    except IndexFormatError:
        if not rebuild_old:
            raise
        manifest = None
    if manifest is not None and manifest.generation:
        return None
    return ingest(settings.corpus, settings.index, settings.embedder, settings.chroma_url, progress=progress)
