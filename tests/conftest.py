"""Shared fixtures: no network, the real corpus indexed once per test session."""

from __future__ import annotations

import ipaddress
import shutil
import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kennisbank.config import Settings
from kennisbank.indexing import ingest
from kennisbank.knowledgebase import KnowledgeBase

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
