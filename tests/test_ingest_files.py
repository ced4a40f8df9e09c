"""The corpus folder as users fill it: odd file names, decomposed Unicode, stray metadata, identical copies."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from kennisbank.indexing import ingest
from kennisbank.store.reader import IndexReader

TEXT = (
    "De gemeente werkt samen met zorgaanbieders aan een sluitende aanpak voor inwoners die ondersteuning "
    "nodig hebben. Daarbij staat de vraag van de inwoner centraal."
)


def test_a_name_that_is_not_utf8_is_one_error_and_the_rest_is_indexed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "goed.txt").write_text(TEXT, encoding="utf-8")
    try:
        with open(os.path.join(os.fsencode(corpus), b"fout-\xff.txt"), "wb") as handle:
            handle.write(TEXT.encode())
    except OSError:
        pytest.skip("dit bestandssysteem weigert zulke namen")
    report = ingest(corpus, tmp_path / "index", "hash:64")
    assert report.added == ["goed.txt"]
    assert len(report.errors) == 1 and "geen geldige UTF-8" in report.errors[0].reason


def test_decomposed_names_find_their_metadata(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    name = unicodedata.normalize("NFD", "beleid-café.txt")  # as macOS writes it
    (corpus / name).write_text(TEXT, encoding="utf-8")
    (corpus / "metadata.toml").write_text('["beleid-café.txt"]\ntitle = "Beleid café"\n', encoding="utf-8")
    report = ingest(corpus, tmp_path / "index", "hash:64")
    assert not report.errors
    passages = list(IndexReader(tmp_path / "index").passages.values())
    assert {p.title for p in passages} == {"Beleid café"}
    assert {p.doc for p in passages} == {"beleid-café.txt"}  # the id is NFC


def test_a_metadata_entry_without_a_file_is_reported(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "metadata.toml").write_text('["a.txt"]\ntitle = "A"\n\n["weg.txt"]\ntitle = "Weg"\n', encoding="utf-8")
    report = ingest(corpus, tmp_path / "index", "hash:64")
    assert report.added == ["a.txt"] and not report.errors
    assert [w.split(": ", 1)[1] for w in report.warnings] == ["['weg.txt'] heeft geen bestand in de corpusmap"]


def test_an_identical_copy_does_not_evict_the_indexed_document(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "x.txt").write_text(TEXT, encoding="utf-8")
    ingest(corpus, tmp_path / "index", "hash:64")
    (corpus / "x (kopie).txt").write_text(TEXT, encoding="utf-8")
    report = ingest(corpus, tmp_path / "index", "hash:64")
    assert report.unchanged == ["x.txt"] and not report.removed
    assert [Path(str(e.path)).name for e in report.errors] == ["x (kopie).txt"]
    assert {p.doc for p in IndexReader(tmp_path / "index").passages.values()} == {"x.txt"}


def test_of_two_new_identical_files_the_original_name_is_kept(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "x (kopie).txt").write_text(TEXT, encoding="utf-8")
    (corpus / "x.txt").write_text(TEXT, encoding="utf-8")
    report = ingest(corpus, tmp_path / "index", "hash:64")
    assert report.added == ["x.txt"]


def test_a_link_to_a_file_outside_the_corpus_is_not_indexed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "goed.txt").write_text(TEXT, encoding="utf-8")
    secret = tmp_path / "geheim.txt"
    secret.write_text("Dit wachtwoord hoort niet in de kennisbank te staan. " * 3, encoding="utf-8")
    (corpus / "koppeling.txt").symlink_to(secret)
    (corpus / "binnen.txt").symlink_to(corpus / "goed.txt")  # a link inside the folder is a copy, not an error
    report = ingest(corpus, tmp_path / "index", "hash:64")
    assert report.added == ["goed.txt"]
    reasons = {Path(str(e.path)).name: e.reason for e in report.errors}
    assert reasons["koppeling.txt"] == "koppeling naar een bestand buiten de corpusmap: overgeslagen"
    assert "zelfde inhoud" in reasons["binnen.txt"]


def test_doubtful_metadata_is_warned_about_and_the_document_still_indexed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "goed.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "metadata.toml").write_text(
        '["goed.txt"]\ntitle = ""\nperiod = "twintig"\nreplaced_by = "bestaatniet.txt"\n', encoding="utf-8"
    )
    report = ingest(corpus, tmp_path / "index", "hash:64")
    assert report.added == ["goed.txt"]
    warned = " | ".join(report.warnings)
    assert "replaced_by 'bestaatniet.txt' is geen document in de corpusmap" in warned
    assert "title is leeg" in warned and "period 'twintig' bevat geen jaartal" in warned


def test_every_problem_of_metadata_toml_is_named_at_once_and_nothing_indexed_is_lost(tmp_path: Path) -> None:
    from kennisbank.errors import DocumentError

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT, encoding="utf-8")
    ingest(corpus, tmp_path / "index", "hash:64")
    (corpus / "metadata.toml").write_text(
        '["a.txt"]\ntitle = 3\nplaces = "Almere"\nstatus = "oud"\nauteur = "X"\nperiod = "2020-2O23"\n',
        encoding="utf-8",
    )
    with pytest.raises(DocumentError) as raised:
        ingest(corpus, tmp_path / "index", "hash:64")
    reason = raised.value.reason
    assert "\n" not in reason
    for part in ("onbekend veld 'auteur'", "veld 'title' moet tekst zijn", "'places' moet een lijst", "'oud' onbekend"):
        assert part in reason, reason
    assert "period '2020-2O23' is geen jaar of reeks jaren" in reason  # a letter O among the digits
    assert {p.doc for p in IndexReader(tmp_path / "index").passages.values()} == {"a.txt"}


def test_a_period_whose_years_are_swapped_is_named(tmp_path: Path) -> None:
    from kennisbank.errors import DocumentError

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "metadata.toml").write_text('["a.txt"]\nperiod = "2023-2020"\n', encoding="utf-8")
    with pytest.raises(DocumentError) as raised:
        ingest(corpus, tmp_path / "index", "hash:64")
    assert "period '2023-2020' loopt terug" in raised.value.reason


def test_a_removed_synonyms_file_is_said_once_and_an_empty_synonym_list_is_named(tmp_path: Path) -> None:
    from kennisbank.errors import DocumentError

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "metadata.toml").write_text('["a.txt"]\ntitle = "A"\n', encoding="utf-8")
    synonyms = corpus / "synoniemen.toml"
    synonyms.write_text('[synoniemen]\nVT = "Veilig Thuis"\n', encoding="utf-8")
    assert not ingest(corpus, tmp_path / "index", "hash:64").warnings
    synonyms.unlink()
    warned = ingest(corpus, tmp_path / "index", "hash:64").warnings
    assert len(warned) == 1 and "synoniemen.toml: niet meer in de corpusmap" in warned[0]
    assert not ingest(corpus, tmp_path / "index", "hash:64").warnings  # said once
    synonyms.write_text("[synoniemen]\nVT = []\n", encoding="utf-8")
    with pytest.raises(DocumentError) as raised:
        ingest(corpus, tmp_path / "index", "hash:64")
    assert "'VT': de lijst is leeg" in raised.value.reason
