"""The command-line contract that scripts and the evaluation rely on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kennisbank.cli import main
from tests.conftest import TEST_EMBEDDER


@pytest.fixture
def run(index_dir: Path):
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(main, ["--index", str(index_dir), *args], input=input, catch_exceptions=False)

    return invoke


def test_search_json_shape(run) -> None:
    result = run("search", "Wat doet Veilig Thuis?", "--top-k", "3", "--json")
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert [h["rank"] for h in hits] == [1, 2, 3]
    assert set(hits[0]) == {"rank", "score", "doc", "title", "section", "page", "text"}
    assert hits[0]["score"] >= hits[1]["score"] >= hits[2]["score"] > 0
    assert any("Veilig Thuis" in h["text"] for h in hits)


def test_ask_json_shape_with_citations(run) -> None:
    result = run("ask", "Wat is MDA++?", "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert set(answer) >= {"answer", "refused", "citations"}
    assert answer["refused"] is False
    assert "[1]" in answer["answer"]
    first = answer["citations"][0]
    assert set(first) == {"n", "doc", "title", "section", "page", "text", "quoted"}
    assert first["n"] == 1
    assert "MDA++" in first["text"]


def test_a_question_typed_without_quotes_is_one_question(run) -> None:
    quoted = json.loads(run("ask", "Wat is MDA++?", "--json").stdout)
    unquoted = run("ask", "Wat", "is", "MDA++?", "--json")
    assert unquoted.exit_code == 0, unquoted.output
    assert json.loads(unquoted.stdout) == quoted
    searched = run("search", "Wat", "doet", "Veilig", "Thuis?", "--json")
    assert searched.exit_code == 0 and json.loads(searched.stdout)[0]["text"]


def test_an_index_folder_inside_the_corpus_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KENNISBANK_EMBEDDER", TEST_EMBEDDER)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "nota.txt").write_text("Een notitie over wachttijden bij de jeugdzorg in de regio.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--corpus", str(corpus), "--index", str(corpus / "index"), "ingest"])
    assert result.exit_code == 1
    assert (
        result.output.strip()
        == f"fout: {corpus / 'index'}: de indexmap ligt in de corpusmap: kies met --index een map ernaast"
    )
    assert not (corpus / "index").exists()  # nothing written into the documents' folder


def test_stdin_batch_writes_one_json_line_per_question(run) -> None:
    questions = "Wat is MDA++?\nWie betaalt de regiovisie?\n\nWat is een kindcheck?\n"
    result = run("ask", "-", input=questions)
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3
    assert all("refused" in json.loads(line) for line in lines)
    # each line says which input line and question it answers (the blank line 3 is skipped)
    assert [(json.loads(line)["line"], json.loads(line)["question"]) for line in lines] == [
        (1, "Wat is MDA++?"),
        (2, "Wie betaalt de regiovisie?"),
        (4, "Wat is een kindcheck?"),
    ]

    result = run("search", "-", "--top-k", "2", input="MDA++\nVeilig Thuis\n")
    lines = result.stdout.strip().splitlines()
    assert [len(json.loads(line)) for line in lines] == [2, 2]


def test_a_batch_of_only_bad_lines_does_not_claim_the_rest_was_answered(run) -> None:
    result = run("search", "-", input="x" * 3000 + "\n")
    assert result.exit_code == 1
    assert "1 vraag niet beantwoord, zie hierboven" in result.output and "de rest wel" not in result.output
    result = run("search", "-", input="x" * 3000 + "\nMDA++\n")
    assert "de rest wel" in result.output
    result = run("ask", "-", input="?!\n")
    assert json.loads(result.stdout.splitlines()[0]) == {
        "line": 1,
        "question": "?!",
        "error": "de vraag bevat geen woorden: geef een vraag over de documenten",  # "line" says where
    }
    assert "fout: regel 1: de vraag bevat geen woorden" in result.stderr


def test_filters_restrict_documents(run) -> None:
    doc = "qa-regiovisie-samen-zorgen-voor-veiligheid-nhn.txt"
    result = run("search", "wachtlijsten", "--doc", doc, "--json")
    hits = json.loads(result.stdout)
    assert hits and {h["doc"] for h in hits} == {doc}


def test_docs_lists_documents_with_counts(run) -> None:
    result = run("docs", "--json")
    rows = json.loads(result.stdout)
    assert len(rows) == 5
    assert all(row["passages"] > 0 for row in rows)


def test_errors_are_one_line_and_non_zero(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--index", str(tmp_path / "nothing"), "docs"])
    assert result.exit_code != 0
    assert result.output.strip().count("\n") == 0
    assert "geen index" in result.output


def test_the_missing_index_hint_names_the_folders_given(tmp_path: Path) -> None:
    """ "draai 'kennisbank ingest'" would build the default index, not the one asked for."""
    folder = tmp_path / "mijn index"
    for command in (["docs"], ["ask", "Wat doet Veilig Thuis?"], ["search", "veilig thuis"]):
        result = CliRunner().invoke(main, ["--index", str(folder), *command])
        assert result.exit_code == 1, command
        assert f"kennisbank --index '{folder}' ingest" in result.output, result.output


def test_plain_kennisbank_shows_its_help_without_an_error() -> None:
    result = CliRunner().invoke(main, [], prog_name="kennisbank")
    assert result.exit_code == 0
    assert result.output.startswith("Gebruik: kennisbank") and "fout" not in result.output
    assert "ingest" in result.output and "serve" in result.output


def test_printed_sources_say_ocr_and_where_the_text_recurs(capsys: pytest.CaptureFixture[str]) -> None:
    from kennisbank.answering.citations import Answer, Citation
    from kennisbank.cli import _print_answer
    from kennisbank.passage import Passage

    scanned = Passage(
        doc="besluit.pdf",
        text="Het college besluit.",
        start=0,
        end=20,
        section="Besluit",
        page=5,
        title="Lijst",
        page_label="3",
        ocr=True,
        also_in=("Bijlage, p. 10",),
    )
    _print_answer(Answer("Het college besluit. [1]", False, [Citation(1, scanned)]))
    out = capsys.readouterr().out
    assert "[1] Lijst — Besluit, p. 5 (gedrukt 3), OCR-tekst (staat ook in: Bijlage, p. 10)" in out


def test_ctrl_c_is_one_dutch_line_with_exit_code_130(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import kennisbank.indexing

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(kennisbank.indexing, "ingest", interrupted)  # the user presses Ctrl-C during ingest
    result = CliRunner().invoke(main, ["--index", str(tmp_path / "index"), "ingest"])
    assert result.exit_code == 130
    assert result.output.strip() == "fout: afgebroken met Ctrl-C; een onderbroken ingest laat de vorige index staan"


def test_an_empty_question_is_one_dutch_error_line(test_index_dir: Path) -> None:
    for command in ("ask", "search"):
        for empty, why in (("  ", "is leeg"), ("?!?...,;", "bevat geen woorden")):  # punctuation asks nothing
            result = CliRunner().invoke(main, ["--index", str(test_index_dir), command, empty])
            assert result.exit_code == 1, command
            assert result.output.strip() == f"fout: de vraag {why}: geef een vraag over de documenten", command


def test_an_embedder_setting_the_index_was_not_built_with_is_named(
    test_index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ask opens the index with the model it was built with; a different KENNISBANK_EMBEDDER gets one warning."""
    monkeypatch.setenv("KENNISBANK_EMBEDDER", "minilm")
    result = CliRunner().invoke(main, ["--index", str(test_index_dir), "ask", "Wat is MDA++?"])
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("waarschuwing:")]
    assert warnings == [
        "waarschuwing: KENNISBANK_EMBEDDER=minilm geldt pas na 'kennisbank ingest --rebuild'; "
        f"deze index is gebouwd met {TEST_EMBEDDER}"
    ]
    monkeypatch.setenv("KENNISBANK_EMBEDDER", "bogus")  # a name no model has: said so, not "rebuild"
    result = CliRunner().invoke(main, ["--index", str(test_index_dir), "ask", "Wat is MDA++?"])
    assert result.exit_code == 0
    assert "waarschuwing: KENNISBANK_EMBEDDER=bogus wordt niet gebruikt: embedder 'bogus' onbekend" in result.stderr
