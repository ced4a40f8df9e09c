"""An ingest killed with SIGKILL at any moment leaves the old index answering; the next ingest finishes the work.

The base index holds the two small documents. The changed corpus edits the Q&A,
removes the raadsvoorstel and adds part of a third document (about ten new
passages, to keep the test fast), so a killed run can leave new vectors, a
half-written generation, or a switched manifest with stale vectors and an old
generation still on disk.
Each kill point waits for a state of the index folder (or the progress output)
rather than for a time, so it lands in the same stage on a slow or a fast machine.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from kennisbank.ingest import pipeline
from kennisbank.ingest.corpus import document_meta, document_paths, load_metadata

from kennisbank.config import Settings
from kennisbank.indexing import EMBED_BATCH, ingest
from kennisbank.knowledgebase import KnowledgeBase
from kennisbank.retrieval import Filters
from kennisbank.store.layout import GENERATIONS
from kennisbank.store.manifest import read_manifest
from kennisbank.store.reader import IndexReader as Index
from kennisbank.store.vectors import VectorStore, collection_name, open_client
from tests.conftest import CORPUS, SMALL_DOCS

pytestmark = pytest.mark.integration  # real model, server, browser or real timings


def _vector_ids(index_dir: Path) -> set[str]:
    return VectorStore(open_client(index_dir / "chroma"), collection_name("e5-small", 384)).ids()


QA_DOC, RAADS_DOC = SMALL_DOCS
NEW_DOC = "imv-thema-ketensamenwerking-zorg-en-veiligheid-nh.txt"
NEW_DOC_CHARS = 5000
QUERIES = ("Wat zijn de financiële aspecten van de regiovisie?", "Welke actielijnen stelt de regiovisie voor?")
EXTRA_QA = (
    "\nWat gebeurt er na een melding bij Veilig Thuis?\n"
    "Veilig Thuis weegt de melding en bespreekt binnen vijf werkdagen met het lokale team wie de zorg oppakt.\n"
    "\nWie houdt toezicht op de uitvoering?\n"
    "De stuurgroep volgt de uitvoering en brengt twee keer per jaar verslag uit aan de colleges.\n"
    "\nWanneer wordt de regiovisie geëvalueerd?\n"
    "In het laatste jaar van de looptijd evalueren de gemeenten de regiovisie samen met de ketenpartners.\n"
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    """The small corpus indexed once, and what its index answers (top-5 ids per query and mode)."""
    corpus = tmp_path_factory.mktemp("base-corpus")
    for name in (*SMALL_DOCS, "metadata.toml"):
        shutil.copy(CORPUS / name, corpus / name)
    index = tmp_path_factory.mktemp("base-index")
    assert not ingest(corpus, index).errors
    return index, _answers(index)


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("changed-corpus")
    shutil.copy(CORPUS / "metadata.toml", corpus / "metadata.toml")
    text = (CORPUS / NEW_DOC).read_text(encoding="utf-8")
    (corpus / NEW_DOC).write_text(text[: text.index("\n\n", NEW_DOC_CHARS)], encoding="utf-8")
    (corpus / QA_DOC).write_text((CORPUS / QA_DOC).read_text(encoding="utf-8") + EXTRA_QA, encoding="utf-8")
    return corpus


def _answers(index: Path) -> dict[str, list[str]]:
    kb = KnowledgeBase.open(Settings(index=index, chroma_url=""))
    return {f"{mode}:{q}": [p.id for p in kb.search(q, 5, mode=mode)] for q in QUERIES for mode in ("bm25", "dense")}


def _expected_ids(corpus: Path) -> set[str]:
    """The passage ids a complete ingest of ``corpus`` must end with (read, cleaned and cut; nothing embedded)."""
    metadata = load_metadata(corpus)
    sources = [
        pipeline.read(path, document_meta(corpus, path, metadata), path.read_bytes()) for path in document_paths(corpus)
    ]
    vocabulary = pipeline.vocabulary([page for source in sources for page in source.pages])
    return {p.id for source in sources for p in pipeline.passages(source, vocabulary)}


def _start(corpus: Path, index: Path, *options: str) -> tuple[subprocess.Popen[str], list[str]]:
    """``kennisbank ingest`` in a child process; its stderr lines are collected as they come."""
    cli = [sys.executable, "-c", "from kennisbank.cli import main; main()"]
    command = [*cli, "--corpus", str(corpus), "--index", str(index), "ingest", *options]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    lines: list[str] = []

    def collect() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)

    threading.Thread(target=collect, daemon=True).start()
    return proc, lines


# Kill points: each waits (polling) until the child reaches a stage, then returns.
KillPoint = Callable[[Path, str, list[str]], bool]


def _after_delay(index: Path, old: str, stderr: list[str]) -> bool:
    """After the delay alone: at 1 s the child is importing or loading the model; at 4 s a rebuild is embedding."""
    return True


def _vectors_stored(index: Path, old: str, stderr: list[str]) -> bool:
    """The progress output starts once a batch of new vectors is upserted into Chroma (here the only batch)."""
    return any("embedden" in line for line in stderr)


def _generation_written(index: Path, old: str, stderr: list[str]) -> bool:
    """A new generation folder exists; the manifest may still name the old one."""
    return any(d.name != old for d in (index / GENERATIONS).iterdir())


def _manifest_switched(index: Path, old: str, stderr: list[str]) -> bool:
    """The manifest names the new generation; stale vectors and the old generation may not be gone yet."""
    manifest = read_manifest(index)
    return manifest is not None and manifest.generation != old


KILL_POINTS = {
    "1s": (1.0, _after_delay),
    "vectors": (0, _vectors_stored),
    "generation": (0, _generation_written),
    "manifest": (0, _manifest_switched),
}


def _kill_at(point: str, corpus: Path, index: Path, old: str, *options: str) -> None:
    """Run ``kennisbank ingest`` and SIGKILL it once it reaches ``point``."""
    delay, reached = KILL_POINTS[point]
    proc, stderr = _start(corpus, index, *options)
    time.sleep(delay)
    deadline = time.monotonic() + 300
    while not reached(index, old, stderr) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    finished_first = proc.poll() is not None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not finished_first, f"the ingest ended before kill point {point!r} was reached: {''.join(stderr)}"


@pytest.mark.parametrize("point", ["1s", "vectors", "generation", "manifest"])
def test_kill_9_leaves_the_old_index_answering_and_the_next_ingest_finishes(
    point: str, base: tuple[Path, dict[str, list[str]]], changed: Path, tmp_path: Path
) -> None:
    base_index, base_answers = base
    index = tmp_path / "index"
    shutil.copytree(base_index, index)
    old = read_manifest(index).generation  # type: ignore[union-attr]
    old_ids = set(Index(index).passages)
    expected = _expected_ids(changed)
    assert 0 < len(expected - old_ids) <= EMBED_BATCH

    _kill_at(point, changed, index, old)

    # The index answers: the manifest names a complete generation whose every passage has a vector.
    manifest = read_manifest(index)
    assert manifest is not None
    current = Index(index)
    assert set(current.passages) == set(current.bm25.ids)
    vectors = _vector_ids(index)
    assert set(current.passages) <= vectors
    if manifest.generation == old:
        assert set(current.passages) == old_ids
        assert _answers(index) == base_answers
    else:
        assert set(current.passages) == expected

    # The next ingest reuses what the killed one stored, and ends with Chroma and BM25 in exact agreement.
    report = ingest(changed, index)
    assert not report.errors
    assert report.embedded == len(expected - vectors)
    done = Index(index)
    assert set(done.passages) == set(done.bm25.ids) == _vector_ids(index) == expected
    assert [d.name for d in (index / GENERATIONS).iterdir()] == [done.manifest.generation]
    assert sorted(done.manifest.documents) == sorted([QA_DOC, NEW_DOC])


def test_a_killed_rebuild_leaves_every_vector_of_the_old_index(
    base: tuple[Path, dict[str, list[str]]], tmp_path: Path
) -> None:
    """``--rebuild`` re-embeds over the old vectors instead of deleting them first.

    Killed after its first batch of vectors is stored (36 passages: two batches), before the manifest switch.
    """
    base_index, base_answers = base
    index = tmp_path / "index"
    shutil.copytree(base_index, index)
    old = read_manifest(index).generation  # type: ignore[union-attr]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in (*SMALL_DOCS, "metadata.toml"):
        shutil.copy(CORPUS / name, corpus / name)
    _kill_at("vectors", corpus, index, old, "--rebuild")

    current = Index(index)
    assert read_manifest(index).generation == old  # type: ignore[union-attr]
    assert set(current.passages) == _vector_ids(index)
    assert _answers(index) == base_answers


def test_vectors_kept_for_a_recut_document_get_its_new_metadata(tmp_path: Path) -> None:
    """Chroma filters on kind and region: a changed metadata.toml reaches kept vectors without embedding them again."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "memo.txt").write_text(EXTRA_QA.strip() + "\n", encoding="utf-8")
    metadata = corpus / "metadata.toml"
    metadata.write_text('["memo.txt"]\nkind = "memo"\nregion = "Noord-Holland Noord"\n', encoding="utf-8")
    index = tmp_path / "index"
    ingest(corpus, index)
    metadata.write_text('["memo.txt"]\nkind = "qa"\nregion = "Kennemerland"\n', encoding="utf-8")
    report = ingest(corpus, index)
    assert report.changed == ["memo.txt"] and report.embedded == 0

    store = VectorStore(open_client(index / "chroma"), collection_name("e5-small", 384))
    stored = store.collection.get(include=["metadatas"])
    assert stored["ids"] and {(m["kind"], m["region"]) for m in stored["metadatas"]} == {("qa", "Kennemerland")}
    kb = KnowledgeBase.open(Settings(index=index, chroma_url=""))
    hits = kb.search("Wie houdt toezicht?", 3, Filters(regions=("Kennemerland",)), mode="dense")
    assert hits and {p.region for p in hits} == {"Kennemerland"}
