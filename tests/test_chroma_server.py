"""Ingest and search against a real Chroma server (``chroma run``), as a region deploys it.

The server runs on 127.0.0.1 on a free port with its data in a tmp folder; the
index folder then holds only the manifest, passages and BM25, never a Chroma store.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kennisbank.config import Settings
from kennisbank.indexing import ingest
from kennisbank.knowledgebase import KnowledgeBase
from kennisbank.store.layout import CHROMA_DIR
from kennisbank.store.reader import IndexReader as Index
from kennisbank.store.vectors import VectorStore, collection_name, open_client
from tests.conftest import SMALL_DOCS, free_port

pytestmark = pytest.mark.integration  # real model, server, browser or real timings

STARTUP_SECONDS = 60


def chroma_executable() -> str:
    """The ``chroma`` CLI that chromadb installs next to this Python, else the one on PATH."""
    beside = Path(sys.executable).parent / "chroma"
    found = str(beside) if beside.exists() else shutil.which("chroma")
    if found is None:
        pytest.fail("the `chroma` command (installed with chromadb) was not found")
    return found


def wait_for_heartbeat(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"chroma run exited with {server.returncode}:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"no heartbeat from {url} within {STARTUP_SECONDS} s:\n{log.read_text(errors='replace')[-2000:]}")


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    """A fresh ``chroma run`` server on 127.0.0.1, stopped (and its data dropped) after the test."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "chroma.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [
                chroma_executable(),
                "run",
                "--path",
                str(tmp_path / "chroma-server"),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_heartbeat(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_ingest_and_search_against_a_chroma_server(
    small_corpus: Path, tmp_path: Path, chroma_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "index"
    monkeypatch.setenv("KENNISBANK_CHROMA_URL", chroma_url)
    settings = Settings(corpus=small_corpus, index=index_dir)
    assert settings.chroma_url == chroma_url  # read from the environment, as the app and CLI do

    first = ingest(settings.corpus, settings.index, settings.embedder, settings.chroma_url)
    assert not first.errors
    assert sorted(first.added) == sorted(SMALL_DOCS)
    assert first.embedded == first.passages > 20

    # The vectors are on the server, one per passage of the current generation, and none locally.
    server_store = VectorStore(open_client(Path("unused"), chroma_url), collection_name("e5-small", 384))
    assert server_store.ids() == set(Index(index_dir).passages)
    assert not (index_dir / CHROMA_DIR).exists()

    kb = KnowledgeBase.open(settings)
    hits = kb.search("Wat kost de regiovisie de gemeente?", top_k=5)
    assert len(hits) == 5
    assert {"bm25", "dense"} <= {name for hit in hits for name in hit.signals}  # both halves answered
    dense = kb.search("financiële gevolgen van de regiovisie", top_k=3, mode="dense")
    assert dense and all(hit.doc in SMALL_DOCS for hit in dense)
    answer = kb.ask("Wat is de regiovisie?")
    assert not answer.refused and answer.citations

    again = ingest(settings.corpus, settings.index, settings.embedder, settings.chroma_url)
    assert again.embedded == 0
    assert sorted(again.unchanged) == sorted(SMALL_DOCS)
    assert again.deleted_vectors == 0
    assert server_store.count() == first.passages
    assert not (index_dir / CHROMA_DIR).exists()
