"""Shared fixtures: no network, the real corpus indexed once per test session.

Two tiers. ``make test-fast`` runs ``-m "not integration"``: the deterministic test
embedder (``TEST_EMBEDDER``), no real model, browser or server. Every test that uses
the real index fixtures (``index_dir``, ``settings``, ``kb``, ``app_url``) is marked
``integration`` here; modules that need a browser, a server or real timings mark
themselves.
"""

from __future__ import annotations

import ipaddress
import shutil
import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kennisbank.config import Settings
from kennisbank.embedders import E5Embedder
from kennisbank.indexing import ingest
from kennisbank.knowledgebase import KnowledgeBase

#: The model-free embedder of the fast tier (``kennisbank.embedders.HashEmbedder``).
TEST_EMBEDDER = "hash:64"
#: Fixtures of this module that load the real model; a test using one is an integration test.
REAL_FIXTURES = frozenset({"index_dir", "settings", "kb", "app_url"})

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SMALL_DOCS = (
    "qa-regiovisie-samen-zorgen-voor-veiligheid-nhn.txt",
    "raadsvoorstel-heiloo-regiovisie-hgkm-nhn-2020-2023.txt",
)


def _is_local(address: object) -> bool:
    if not isinstance(address, tuple):
        return True  # AF_UNIX paths
    host = str(address[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests that use this module's real-model fixtures as ``integration``."""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        for name in REAL_FIXTURES & set(info.names_closure):
            definitions = info.name2fixturedefs.get(name, ())
            if definitions and definitions[-1].func.__module__ == __name__:
                item.add_marker(pytest.mark.integration)
                break


@pytest.fixture(autouse=True)
def real_model_only_in_integration(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the fast tier fast: loading the real e5 model in a test not marked ``integration`` fails it."""
    if request.node.get_closest_marker("integration") is not None:
        return

    def refuse(self: E5Embedder) -> None:
        raise RuntimeError(f"real embedding model in a unit test: mark it integration or use {TEST_EMBEDDER!r}")

    monkeypatch.setattr(E5Embedder, "__init__", refuse)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that opens a connection to another host: kennisbank runs offline."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        if not _is_local(address):
            raise RuntimeError(f"network access blocked in tests: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real five-document corpus, ingested once with the default embedder."""
    folder = tmp_path_factory.mktemp("index")
    report = ingest(CORPUS, folder)
    assert not report.errors, report.errors
    return folder


@pytest.fixture(scope="session")
def test_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real five-document corpus, ingested once with the test embedder (about a second)."""
    folder = tmp_path_factory.mktemp("test-index")
    report = ingest(CORPUS, folder, TEST_EMBEDDER)
    assert not report.errors, report.errors
    return folder


@pytest.fixture(scope="session")
def test_kb(test_index_dir: Path) -> KnowledgeBase:
    """A knowledge base over ``test_index_dir``: real BM25 and Chroma, the test embedder for dense."""
    return KnowledgeBase.open(Settings(corpus=CORPUS, index=test_index_dir, chroma_url=""))


@pytest.fixture(scope="session")
def settings(index_dir: Path) -> Settings:
    return Settings(corpus=CORPUS, index=index_dir, chroma_url="")


@pytest.fixture(scope="session")
def kb(settings: Settings) -> KnowledgeBase:
    return KnowledgeBase.open(settings)


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """Two real documents and their metadata, in a folder the test may change."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in SMALL_DOCS:
        shutil.copy(CORPUS / name, folder / name)
    shutil.copy(CORPUS / "metadata.toml", folder / "metadata.toml")
    return folder


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(settings: Settings, kb: KnowledgeBase) -> Iterator[str]:
    """The chat app over the session index, on a free loopback port, for one test module."""
    from kennisbank.ui import launch

    port = free_port()
    demo = launch(replace(settings, host="127.0.0.1", port=port, auth=None), kb, block=False, quiet=True)
    yield f"http://127.0.0.1:{port}"
    demo.close()
