"""Findings 2 and 3 of issue 14: an index that checks itself on open, and an ingest that repairs it.

Each test damages one part of a real (hash-embedder) index the way a disk, an
operator or a crash would, then checks that opening it stops with one Dutch line
naming that part and the fix, and that ``kennisbank ingest`` makes it answer again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kennisbank.cli import main
from kennisbank.config import Settings
from kennisbank.errors import IndexDamagedError, KennisbankError
from kennisbank.feedback import FeedbackError, FeedbackLog
from kennisbank.indexing import ingest
from kennisbank.knowledgebase import KnowledgeBase
from kennisbank.store.layout import BM25_DIR, PASSAGES
from kennisbank.store.manifest import read_manifest
from tests.conftest import CORPUS, SMALL_DOCS

EMBEDDER = "hash:64"
QUESTION = "Wat doet Veilig Thuis?"


@pytest.fixture(scope="module")
def clean_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(corpus, index): two real documents indexed with the hash embedder, never changed by a test."""
    root = tmp_path_factory.mktemp("hardening-index")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in (*SMALL_DOCS, "metadata.toml"):
        shutil.copy(CORPUS / name, corpus / name)
    report = ingest(corpus, root / "index", EMBEDDER)
    assert not report.errors
    return corpus, root / "index"


@pytest.fixture
def index(clean_index: tuple[Path, Path], tmp_path: Path) -> Path:
    """A copy of the clean index this test may damage."""
    shutil.copytree(clean_index[1], tmp_path / "index")
    return tmp_path / "index"


def _generation(index: Path) -> Path:
    manifest = read_manifest(index)
    assert manifest is not None
    return index / "generations" / manifest.generation


def _open(index: Path, corpus: Path) -> KnowledgeBase:
    return KnowledgeBase.open(Settings(corpus=corpus, index=index, embedder=EMBEDDER, chroma_url=""))


def _cli(index: Path, corpus: Path, *args: str) -> object:
    env = {"KENNISBANK_EMBEDDER": EMBEDDER}
    return CliRunner().invoke(main, ["--corpus", str(corpus), "--index", str(index), *args], env=env)


def _truncate(path: Path, keep: int) -> None:
    path.write_bytes(path.read_bytes()[:keep])


def _edit_passages(index: Path) -> None:
    path = _generation(index) / PASSAGES
    path.write_text(path.read_text(encoding="utf-8").replace("Veilig Thuis", "Onveilig Thuis"), encoding="utf-8")


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    # name: (what is done to the index, the part the message must name)
    "chroma folder deleted": (lambda i: shutil.rmtree(i / "chroma"), "Chroma-opslag"),
    "chroma.sqlite3 truncated": (lambda i: _truncate(i / "chroma" / "chroma.sqlite3", 20_000), "Chroma-opslag"),
    "bm25 folder deleted": (lambda i: shutil.rmtree(_generation(i) / BM25_DIR), "BM25-index"),
    "bm25 params corrupt": (
        lambda i: (_generation(i) / BM25_DIR / "params.index.json").write_text("{kapot", encoding="utf-8"),
        "BM25-index",
    ),
    "bm25 ids edited": (
        lambda i: (_generation(i) / BM25_DIR / "ids.json").write_text(json.dumps(["x"]), encoding="utf-8"),
        "BM25-index",
    ),
    "passages truncated": (lambda i: _truncate(_generation(i) / PASSAGES, 5000), PASSAGES),
    "passages edited": (_edit_passages, PASSAGES),
    "generation deleted": (lambda i: shutil.rmtree(_generation(i)), "generatie"),
    "manifest corrupt": (lambda i: (i / "manifest.json").write_text("{kapot", encoding="utf-8"), "manifest.json"),
}


@pytest.mark.parametrize("name", list(DAMAGE))
def test_damage_is_named_on_open_and_ingest_repairs_it(name: str, index: Path, clean_index: tuple[Path, Path]) -> None:
    corpus = clean_index[0]
    expected = _open(index, corpus).ask(QUESTION).to_dict()
    damage, part = DAMAGE[name]
    damage(index)

    with pytest.raises(IndexDamagedError) as caught:
        _open(index, corpus)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("index beschadigd: ") and part in message
    assert message.endswith("draai 'kennisbank ingest' om de index te herstellen")

    asked = _cli(index, corpus, "ask", QUESTION)  # the CLI: one line, non-zero, no traceback
    assert asked.exit_code == 1 and asked.output.count("\n") == 1, asked.output
    assert part in asked.output

    repaired = _cli(index, corpus, "ingest")
    assert repaired.exit_code == 0, repaired.output
    assert "hersteld: " in repaired.stderr
    assert _open(index, corpus).ask(QUESTION).to_dict() == expected


def test_rebuild_works_on_a_truncated_chroma_store(index: Path, clean_index: tuple[Path, Path]) -> None:
    corpus = clean_index[0]
    _truncate(index / "chroma" / "chroma.sqlite3", 20_000)
    result = _cli(index, corpus, "ingest", "--rebuild")
    assert result.exit_code == 0, result.output
    assert _open(index, corpus).info().passages > 0


def test_a_clean_index_passes_and_an_unchanged_ingest_keeps_its_generation(
    index: Path, clean_index: tuple[Path, Path]
) -> None:
    before = read_manifest(index)
    assert before is not None and before.passages > 0 and len(before.passages_sha256) == 64
    result = _cli(index, clean_index[0], "ingest")
    assert result.exit_code == 0 and "hersteld" not in result.output
    after = read_manifest(index)
    assert after is not None and after.generation == before.generation


def test_an_unwritable_feedback_file_gives_one_line_and_keeps_nothing_half(tmp_path: Path) -> None:
    from kennisbank.feedback import Feedback
    from tests.test_feedback import ANSWER

    log = FeedbackLog(tmp_path / "is-a-folder")
    (tmp_path / "is-a-folder").mkdir()
    assert "niet schrijfbaar" in log.writable()
    with pytest.raises(FeedbackError, match="KENNISBANK_FEEDBACK") as caught:
        log.append(Feedback.of("Wat is MDA++?", ANSWER, "up"))
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, KennisbankError)


def _run_as_other_user() -> list[str] | None:
    """A command prefix that runs as a user who cannot write root's files, or None when that is impossible here."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"] if setpriv else None


SERVE_READ_ONLY = """
import json, sys, httpx
from pathlib import Path
from kennisbank.config import Settings
from kennisbank.ui import launch
index, feedback, port = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
settings = Settings(index=index, corpus=index, host="127.0.0.1", port=port, auth=None, feedback=feedback)
demo = launch(settings, block=False)
try:
    reply = httpx.post(f"http://127.0.0.1:{port}/gradio_api/call/ask", json={"data": [sys.argv[4]]}, timeout=60)
    event = reply.json()["event_id"]
    body = httpx.get(f"http://127.0.0.1:{port}/gradio_api/call/ask/{event}", timeout=60).text
    print(json.dumps({"body": body}))
finally:
    demo.close()
"""


@pytest.fixture
def read_only_index(clean_index: tuple[Path, Path]) -> Iterator[tuple[Path, list[str]]]:
    """A copy of the index no one but root may write, readable by the user the prefix runs as."""
    prefix = _run_as_other_user()
    if prefix is None:
        pytest.skip("cannot run as a user without write access here (root without setpriv)")
    root = Path(tempfile.mkdtemp(prefix="kb-readonly-"))
    try:
        shutil.copytree(clean_index[1], root / "index")
        (root / "writable").mkdir()
        for path in [root, *root.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        root.chmod(0o755)
        (root / "writable").chmod(0o777)
        yield root, prefix
    finally:
        for path in [root, *root.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(root)


def test_a_read_only_index_answers_in_the_cli_and_the_app(read_only_index: tuple[Path, list[str]]) -> None:
    from tests.conftest import free_port

    root, prefix = read_only_index
    index = root / "index"
    before = sorted(str(p.relative_to(index)) for p in index.rglob("*"))
    env = {
        **os.environ,
        "HOME": str(root / "writable"),
        "TMPDIR": str(root / "writable"),
        "GRADIO_TEMP_DIR": str(root / "writable" / "gradio"),
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
    }
    ask = subprocess.run(
        [*prefix, sys.executable, "-m", "kennisbank.cli", "--index", str(index), "ask", QUESTION, "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert ask.returncode == 0, ask.stderr
    assert "answer" in json.loads(ask.stdout)

    feedback = root / "writable" / "feedback.jsonl"
    serve = subprocess.run(
        [*prefix, sys.executable, "-c", SERVE_READ_ONLY, str(index), str(feedback), str(free_port()), QUESTION],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )
    assert serve.returncode == 0, serve.stderr[-3000:]
    line = next(line for line in serve.stdout.splitlines() if line.startswith("{"))
    assert "event: complete" in json.loads(line)["body"]
    assert "Traceback" not in serve.stderr
    assert sorted(str(p.relative_to(index)) for p in index.rglob("*")) == before  # nothing written into it

    ingest_ = subprocess.run(
        [*prefix, sys.executable, "-m", "kennisbank.cli", "--index", str(index), "ingest"],
        capture_output=True,
        text=True,
        env={**env, "KENNISBANK_EMBEDDER": EMBEDDER, "KENNISBANK_CORPUS": str(CORPUS)},
        timeout=120,
        check=False,
    )
    assert ingest_.returncode == 1
    assert "niet schrijfbaar" in ingest_.stderr and "Traceback" not in ingest_.stderr


def test_an_unreachable_chroma_server_is_named_in_one_line(clean_index: tuple[Path, Path]) -> None:
    from tests.conftest import free_port

    url = f"http://127.0.0.1:{free_port()}"
    settings = Settings(corpus=clean_index[0], index=clean_index[1], embedder=EMBEDDER, chroma_url=url)
    with pytest.raises(KennisbankError) as caught:
        KnowledgeBase.open(settings)
    assert str(caught.value).startswith(f"Chroma-server {url}: ")
    assert str(caught.value).endswith("controleer KENNISBANK_CHROMA_URL")
    assert "\n" not in str(caught.value)
