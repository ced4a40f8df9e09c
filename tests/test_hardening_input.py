"""Findings 1 and 8 of issue 14: long questions, and input that is not text, outside the web app.

Finding 1: a question longer than the cap is refused before the shared lock, and the
embedder reads at most 512 tokens, so one request cannot hold everyone up.
Finding 8: undecodable stdin lines, unknown filter values and a missing index each
get one Dutch line; the rest of a batch is answered and nothing is created.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kennisbank.cli import main
from kennisbank.config import MAX_QUESTION, Settings
from kennisbank.embedders import MAX_CHARS_PER_TOKEN, MAX_TOKENS, QUERY_TOKENS, truncate
from kennisbank.errors import InputError
from kennisbank.indexing import ingest
from kennisbank.knowledgebase import KnowledgeBase, check_question
from tests.conftest import CORPUS, SMALL_DOCS

QUESTION = "Wat doet Veilig Thuis?"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hardening-input")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in (*SMALL_DOCS, "metadata.toml"):
        shutil.copy(CORPUS / name, corpus / name)
    assert not ingest(corpus, root / "index", "hash:64").errors
    return root / "index"


@pytest.fixture(scope="module")
def kb(index: Path) -> KnowledgeBase:
    return KnowledgeBase.open(Settings(index=index, corpus=index, chroma_url=""))


def _cli(index: Path, *args: str, input: bytes | str | None = None) -> object:
    return CliRunner().invoke(main, ["--index", str(index), *args], input=input)


# Finding 1.


def test_questions_over_the_cap_are_refused_with_one_line(kb: KnowledgeBase) -> None:
    assert kb.search("v" * MAX_QUESTION, 3) is not None  # at the cap: searched
    for text in ("v" * (MAX_QUESTION + 1), "x" * 300_000):
        with pytest.raises(InputError) as caught:
            kb.ask(text)
        message = str(caught.value)
        assert message == f"vraag te lang: {len(text)} tekens, de grens is {MAX_QUESTION}; stel een kortere vraag"


def test_truncation_keeps_the_longest_prefix_within_the_limit_and_reads_a_bounded_amount() -> None:
    read: list[int] = []

    def count(text: str) -> int:  # a tokenizer's length: one token per word, plus [CLS] and [SEP]
        read.append(len(text))
        return len(text.split()) + 2

    text = "woord " * 100_000  # 600,000 characters, 100,002 "tokens"
    cut = truncate(text, count)
    assert count(cut) == MAX_TOKENS
    assert count(text[: len(cut) + 1]) > MAX_TOKENS or len(cut) == len(text)
    assert max(read) <= MAX_TOKENS * MAX_CHARS_PER_TOKEN
    assert truncate("kort", count) == "kort"


def test_a_300k_question_does_not_hold_up_other_users(kb: KnowledgeBase) -> None:
    """While one thread keeps sending 300k-character questions, every other search stays fast."""
    stop = threading.Event()
    refused = 0

    def attacker() -> None:
        nonlocal refused
        while not stop.is_set():
            try:
                kb.ask("x" * 300_000)
            except InputError:
                refused += 1

    thread = threading.Thread(target=attacker)
    thread.start()
    try:
        waits = []
        for _ in range(30):
            started = time.perf_counter()
            kb.search(QUESTION, 5)
            waits.append(time.perf_counter() - started)
    finally:
        stop.set()
        thread.join()
    assert refused > 0
    assert max(waits) < 1.0, f"slowest search {max(waits):.2f} s"


@pytest.mark.integration
def test_the_e5_embedder_reads_at_most_512_tokens_of_a_passage_and_128_of_a_query() -> None:
    from kennisbank.embedders import E5Embedder

    e5 = E5Embedder()
    text = ("Wat doet Veilig Thuis bij een melding van huiselijk geweld? " * 6000)[:300_000]
    assert e5._model.token_count(text, True) > 40_000  # what the engine was given before
    for query, limit in ((False, MAX_TOKENS), (True, QUERY_TOKENS)):
        tokens = e5._model.token_count(e5.fit(text, query=query), query)
        assert limit - 20 <= tokens <= limit  # as long as allowed, not longer
    started = time.perf_counter()
    vectors = e5.embed([text], query=True)
    assert time.perf_counter() - started < 2.0
    assert vectors.shape == (1, 384)
    short = "Wat doet Veilig Thuis?"
    assert e5.fit(short, query=True) == short


# Finding 8.


@pytest.mark.parametrize(
    ("value", "message"),
    [(None, "vraag: verwacht tekst, kreeg null"), ("a\ud800b", "vraag: ongeldig teken op positie 2")],
)
def test_non_text_questions_are_one_line(value: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        check_question(value)


def test_a_question_of_only_punctuation_is_one_line_everywhere_it_is_asked(kb: KnowledgeBase) -> None:
    """The same line for ask, search, the terminal chat and the web chat (they all call check_question)."""
    from kennisbank.chat import Chat

    for ask in (lambda q: check_question(q), lambda q: kb.search(q, 3), lambda q: Chat(kb).ask(q)):
        with pytest.raises(InputError, match="^de vraag bevat geen woorden: geef een vraag over de documenten$"):
            ask("?!?...")
    assert check_question("") == ""  # an empty question is the caller's to answer ("Stel een vraag ...")


def test_undecodable_stdin_lines_are_reported_and_the_rest_answered(index: Path) -> None:
    stdin = b"Wat doet Veilig Thuis?\n\xff\xfe kapotte regel\nWie betaalt de regiovisie?\n" + b"x" * 3000 + b"\n"
    result = _cli(index, "ask", "-", input=stdin)
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 4
    assert "answer" in lines[0] and "answer" in lines[2]
    assert lines[1] == {"line": 2, "error": "regel 2: geen geldige UTF-8 (byte 0xff op positie 1)"}
    assert lines[3]["line"] == 4 and lines[3]["error"].startswith("vraag te lang: 3000 tekens")
    errors = [
        line for line in result.stderr.splitlines() if line.startswith("fout: ") and "niet beantwoord" not in line
    ]
    assert len(errors) == 2
    assert errors[1].startswith("fout: regel 4: vraag te lang")  # every failed line says which line it was
    assert "2 vragen niet beantwoord" in result.stderr
    assert "Traceback" not in result.output


def test_a_stdin_batch_without_questions_says_so_in_one_line(index: Path) -> None:
    for stdin in (b"", b"\n  \n"):
        result = _cli(index, "ask", "-", input=stdin)
        assert result.exit_code == 1
        assert result.stderr.strip() == "fout: geen vragen op de invoer: geef één vraag per regel"


def test_an_index_path_that_is_a_file_is_named_in_one_line(tmp_path: Path) -> None:
    from kennisbank.errors import KennisbankError
    from kennisbank.store.writer import locked

    afile = tmp_path / "index"
    afile.write_text("geen map", encoding="utf-8")
    message = "is een bestand, geen map; kies met --index of KENNISBANK_INDEX een indexmap$"
    with pytest.raises(KennisbankError, match=message), locked(afile):
        pass
    for command in (["ask", "Wat doet Veilig Thuis?"], ["search", "Veilig Thuis"], ["docs"]):
        result = _cli(afile, *command)
        assert result.exit_code == 1 and result.stderr.strip().endswith(message.rstrip("$")), result.stderr
    assert afile.read_text(encoding="utf-8") == "geen map"


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--doc", "nope.txt", "document nope.txt staat niet in de index"),
        ("--kind", "roman", "soort roman staat niet in de index"),
        ("--region", "Atlantis", "regio Atlantis staat niet in de index"),
    ],
)
def test_unknown_filter_values_are_named(index: Path, option: str, value: str, message: str) -> None:
    for command in ("ask", "search"):
        result = _cli(index, command, QUESTION, option, value)
        assert result.exit_code == 1
        assert message in result.stderr
        assert result.stderr.count("\n") == 1


def test_ask_and_search_without_an_index_create_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "geen-index"
    for command in ("ask", "search"):
        result = CliRunner().invoke(
            main, ["--corpus", str(tmp_path / "geen-corpus"), "--index", str(missing), command, QUESTION]
        )
        assert result.exit_code == 1
        given = f"--corpus {tmp_path / 'geen-corpus'} --index {missing}"
        assert result.stderr.strip() == f'fout: geen index in {missing}: draai "kennisbank {given} ingest"'
    assert list(tmp_path.iterdir()) == []


def test_a_missing_index_is_named_by_its_full_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Trial 49: "geen index in index" named no place a user could look for."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KENNISBANK_INDEX", "index")
    monkeypatch.setenv("KENNISBANK_CORPUS", "corpus")
    result = CliRunner().invoke(main, ["ask", QUESTION])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"fout: geen index in {tmp_path / 'index'}: draai 'kennisbank ingest'"
