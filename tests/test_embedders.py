"""Both embedding backends load from installed packages, offline, and embed Dutch sensibly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kennisbank.config import Settings
from kennisbank.embedders import make_embedder
from kennisbank.errors import ConfigError, ModelError
from kennisbank.indexing import ingest
from kennisbank.knowledgebase import KnowledgeBase

pytestmark = pytest.mark.integration  # real model, server, browser or real timings


@pytest.mark.parametrize(("name", "dim"), [("e5-small", 384), ("minilm", 384)])
def test_embeddings_are_unit_vectors_and_rank_the_related_text_first(name: str, dim: int) -> None:
    embedder = make_embedder(name)
    passages = embedder.embed(
        ["Veilig Thuis is het advies- en meldpunt huiselijk geweld.", "De parkeervergunning kost 50 euro."]
    )
    query = embedder.embed(["meldpunt huiselijk geweld"], query=True)
    assert passages.shape == (2, dim) and query.shape == (1, dim)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    scores = passages @ query[0]
    assert scores[0] > scores[1]


def test_sentence_transformers_backend_indexes_and_searches(small_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    report = ingest(small_corpus, index_dir, embedder="minilm")
    assert report.embedded == report.passages > 0
    kb = KnowledgeBase.open(Settings(corpus=small_corpus, index=index_dir, chroma_url=""))
    assert kb.index.manifest.embedder == "st:minilm"
    hits = kb.search("financiële aspecten van de regiovisie", top_k=3, mode="dense")
    assert hits and all(p.signals["dense"] > 0 for p in hits)
    # Switching the embedder re-embeds everything into its own collection.
    again = ingest(small_corpus, index_dir, embedder="e5-small")
    assert again.embedded == again.passages


def test_unknown_embedder_names_the_choices() -> None:
    with pytest.raises(ConfigError, match="e5-small, minilm"):
        make_embedder("word2vec")


def test_hub_model_that_is_not_cached_fails_without_downloading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    with pytest.raises(ModelError, match="niet lokaal gevonden"):
        make_embedder("st:sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2")
