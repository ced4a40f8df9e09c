"""One vector space per model: each embedder and dimension gets its own Chroma collection.

Uses the model-free hash embedder (``hash:<dim>:<label>``) with long labels, so that two names
share far more than the 40 characters the old collection name kept.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kennisbank.config import Settings
from kennisbank.embedders import make_embedder
from kennisbank.indexing import ingest
from kennisbank.knowledgebase import KnowledgeBase
from kennisbank.retrieval import HybridRetriever
from kennisbank.store.manifest import read_manifest
from kennisbank.store.vectors import NAME_LIMIT, VectorsMissingError, VectorStore, collection_name, open_client

LABEL = "sentence-transformers/paraphrase-multilingual-mpnet-base-v2-finetuned-op-beleidsteksten"
SMALL = f"hash:64:{LABEL}"
LARGE = f"hash:96:{LABEL}"


def test_long_names_that_share_their_start_get_different_valid_collections() -> None:
    first = collection_name("st:/models/" + "x" * 60 + "-small", 384)
    second = collection_name("st:/models/" + "x" * 60 + "-large", 384)
    assert first != second
    assert all(len(name) <= NAME_LIMIT and name[0].isalnum() and name[-1].isalnum() for name in (first, second))
    assert collection_name("e5-small", 384) == "kennisbank-e5-small-384d"
    assert collection_name("e5-small", 384) != collection_name("e5-small", 768)


def test_switching_between_two_long_model_names_of_other_dimensions(small_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    settings = Settings(corpus=small_corpus, index=index, chroma_url="")

    first = ingest(small_corpus, index, SMALL)
    assert first.embedded == first.passages > 0
    hits = KnowledgeBase.open(settings).search("financiële aspecten van de regiovisie", mode="dense")
    assert hits and all(p.signals["dense"] > 0 for p in hits)

    # Another dimension in the same folder: everything is embedded again, into its own collection.
    second = ingest(small_corpus, index, LARGE)
    assert second.embedded == second.passages == first.passages
    manifest = read_manifest(index)
    assert manifest is not None and manifest.embedder == LARGE
    kb = KnowledgeBase.open(settings)
    assert kb.search("financiële aspecten van de regiovisie", mode="hybrid")

    client = open_client(index / "chroma")
    names = {collection_name(SMALL, 64), collection_name(LARGE, 96)}
    assert names <= {c.name for c in client.list_collections()}
    for name in names:
        assert VectorStore(client, name, create=False).count() == first.passages

    # And back: the first model's vectors are still there, so nothing is embedded.
    again = ingest(small_corpus, index, SMALL)
    assert again.embedded == 0
    assert KnowledgeBase.open(settings).search("regiovisie", mode="dense")


def test_opening_an_index_without_vectors_for_its_model_stops_with_one_line(small_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    ingest(small_corpus, index, "hash:64")
    client = open_client(index / "chroma")
    client.delete_collection(collection_name("hash:64", make_embedder("hash:64").dim))  # type: ignore[attr-defined]
    with pytest.raises(VectorsMissingError) as caught:
        KnowledgeBase.open(Settings(corpus=small_corpus, index=index, chroma_url=""))
    message = str(caught.value)
    assert "\n" not in message and "kennisbank ingest" in message and "kennisbank-hash-64-64d" in message


def test_every_hybrid_passage_carries_its_dense_similarity(small_corpus: Path, tmp_path: Path) -> None:
    """Also a passage only BM25 found: its similarity is the one the dense search gives it."""
    index = tmp_path / "index"
    ingest(small_corpus, index, SMALL)
    kb = KnowledgeBase.open(Settings(corpus=small_corpus, index=index, chroma_url=""))
    question = "Wie betaalt de projectleiders Geweld hoort nergens thuis?"
    # each retriever asked only 2 deep: of the 4 passages returned, some were found by one side only
    shallow = HybridRetriever([kb.retrievers["bm25"], kb.retrievers["dense"]], depth=2)
    hybrid = shallow.retrieve(question, 4)
    dense = {p.id: p.signals["dense"] for p in kb.search(question, 50, mode="dense")}
    assert len(hybrid) > 2 and all(p.signals["dense"] == pytest.approx(dense[p.id], abs=1e-4) for p in hybrid)
