"""The parts wired together: an opened index, its retrievers and an answerer."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from kennisbank.answering.citations import Answer, Answerer
from kennisbank.answering.extractive import ExtractiveAnswerer
from kennisbank.answering.scope import Catalog
from kennisbank.config import MAX_QUESTION, Settings
from kennisbank.embedders import Embedder, make_embedder
from kennisbank.errors import ConfigError, IndexFormatError, InputError
from kennisbank.indexing import IngestReport, Progress, ingest
from kennisbank.passage import Passage
from kennisbank.retrieval import (
    ENGLISH_WEIGHTS,
    HYBRID_WEIGHTS,
    BM25Retriever,
    DenseRetriever,
    Filters,
    HybridRetriever,
    Retriever,
)
from kennisbank.store.manifest import DocumentEntry, read_manifest
from kennisbank.store.reader import IndexReader
from kennisbank.store.vectors import VectorsMissingError, VectorStore, collection_name, embedding_dim, open_store

MODES = ("hybrid", "bm25", "dense")


#: Terminal escape sequences (ECMA-48: CSI "ESC [ ... letter", OSC "ESC ] ... BEL or ESC \\") and other
#: control characters: a question never echoes them back into a terminal or page.
_ESCAPES = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b\[[0-?]*[ -/]*[@-~]|\x1b.?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def check_question(question: object, limit: int = MAX_QUESTION) -> str:
    """``question`` without terminal escape sequences and control characters, if it is text the search
    can take, else one Dutch line saying why not.

    Raises:
        InputError: not a string, a lone surrogate (not encodable as UTF-8), longer than ``limit`` characters,
            or only punctuation ("???": nothing to ask; an empty question is left to the caller).
    """
    if not isinstance(question, str):
        raise InputError(f"vraag: verwacht tekst, kreeg {_KINDS.get(type(question).__name__, 'iets anders')}")
    try:
        question.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"vraag: ongeldig teken op positie {exc.start + 1} (geen geldige Unicode-tekst)") from exc
    if len(question) > limit:
        raise InputError(f"vraag te lang: {len(question)} tekens, de grens is {limit}; stel een kortere vraag")
    cleaned = _CONTROL.sub(" ", _ESCAPES.sub("", question))
    if cleaned.strip() and not re.search(r"\w", cleaned):
        raise InputError(WORDLESS)
    return cleaned


#: Why a question of only punctuation is not asked.
WORDLESS = "de vraag bevat geen woorden: geef een vraag over de documenten"
#: The one line for an empty question (``kennisbank ask ""``, the HTTP API).
EMPTY = "de vraag is leeg: geef een vraag over de documenten"
#: What a value that is no question is, in Dutch (JSON's kinds, as an API client sends them).
_KINDS = {"int": "een getal", "float": "een getal", "bool": "true of false", "NoneType": "null", "list": "een lijst",
          "dict": "een object", "bytes": "bytes"}  # fmt: skip


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
    Questions longer than ``max_question`` characters are refused before the lock
    (``check_question``) and the embedder reads at most 512 tokens, so no request
    holds the lock for more than its own bounded work.
    """

    def __init__(
        self,
        index: IndexReader,
        embedder: Embedder,
        store: VectorStore,
        answerer: Answerer | None = None,
        max_question: int = MAX_QUESTION,
        chroma_url: str = "",
    ):
        self.max_question = max_question
        self.index = index
        self.embedder = embedder
        self.store = store
        self.chroma_url = chroma_url
        self.retrievers: dict[str, Retriever] = _retrievers(index, embedder, store)
        self.answerer: Answerer = answerer or ExtractiveAnswerer()
        self._attach_catalog()
        self._lock = threading.Lock()
        self._refresh_lock = threading.Lock()

    def _attach_catalog(self) -> None:
        """Give the answerer the documents' metadata, passage order (scope and refusals) and the index's
        synonyms (the retriever's), if it takes them."""
        attach = getattr(self.answerer, "attach", None)
        if attach is not None:
            documents = {d: e.meta for d, e in self.index.documents().items()}
            attach(Catalog.build(documents, self.index.passages.values(), self.index.bm25.synonyms))

    @classmethod
    def open(cls, settings: Settings, answerer: Answerer | None = None) -> KnowledgeBase:
        """Open the index the settings point at, with the embedder it was built with.

        Raises:
            IndexMissingError: there is no index yet.
            IndexFormatError: the index has an older format.
            ModelError: the embedder it was built with cannot be loaded.
            VectorsMissingError: the index has no vectors of that embedder and its dimension
                (one Dutch line: run ``kennisbank ingest``).
        """
        index = IndexReader(settings.index)
        embedder = make_embedder(index.manifest.embedder)
        name = collection_name(embedder.name, embedding_dim(embedder))
        store = open_store(index.chroma_dir, settings.chroma_url, name)
        if index.passages and store.count() == 0:
            raise VectorsMissingError(name)
        index.check_vectors(store)
        return cls(index, embedder, store, answerer, settings.max_question, settings.chroma_url)

    def refresh(self) -> bool:
        """Switch to the newest generation when an ingest has made one since this was opened.

        Returns True when it switched (the caller tells the user once), False when the index is current.
        Searches running meanwhile finish on the old generation; the next one uses the new.

        Raises:
            IndexMissingError, IndexFormatError, IndexDamagedError, ModelError: as ``open``.
        """
        if self.index.is_current():
            return False
        with self._refresh_lock:  # two requests that see the new generation at once open it once
            if self.index.is_current():
                return False
            index = IndexReader(self.index.folder)
            embedder = self.embedder
            if index.manifest.embedder != embedder.name:
                embedder = make_embedder(index.manifest.embedder)
            name = collection_name(embedder.name, embedding_dim(embedder))
            store = open_store(index.chroma_dir, self.chroma_url, name)
            index.check_vectors(store)
            retrievers = _retrievers(index, embedder, store)
            with self._lock:
                self.index, self.embedder, self.store, self.retrievers = index, embedder, store, retrievers
                self._attach_catalog()
        return True

    def search(self, query: str, top_k: int = 5, filters: Filters | None = None, mode: str = "hybrid") -> list[Passage]:
        """The ``top_k`` best passages for ``query``, best first, with ``score`` and ``signals`` set.

        Raises:
            ConfigError: ``mode`` is not one of ``MODES``.
            InputError: ``query`` is not text or longer than ``max_question`` (see ``check_question``).
        """
        if mode not in self.retrievers:
            raise ConfigError(f"zoekmodus {mode!r} onbekend: kies uit {', '.join(MODES)}")
        query = check_question(query, self.max_question)
        with self._lock:
            return self.retrievers[mode].retrieve(query, top_k, filters)

    def ask(self, question: str, filters: Filters | None = None, top_k: int = 5) -> Answer:
        """One independent question: search, then answer (no conversation; see ``kennisbank.chat``).

        Raises:
            InputError: see ``search``.
        """
        question = check_question(question, self.max_question)
        return self.answerer.answer(question, self.search(question, top_k, filters))

    def documents(self) -> dict[str, DocumentEntry]:
        """The indexed documents by id."""
        return self.index.documents()

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
    hybrid = HybridRetriever([bm25, dense], weights=HYBRID_WEIGHTS, english=ENGLISH_WEIGHTS)
    return {"hybrid": hybrid, "bm25": bm25, "dense": dense}


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
