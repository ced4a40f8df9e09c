"""Synonyms reach the index: abbreviations the corpus defines, and corpus/synoniemen.toml on the next ingest."""

from __future__ import annotations

from pathlib import Path

import pytest

from kennisbank.analysis import DEFAULT, analyze
from kennisbank.errors import DocumentError
from kennisbank.indexing import ingest
from kennisbank.store.reader import IndexReader
from kennisbank.synonyms import SYNONYMS_FILE, merge, read_file

EMBEDDER = "hash:64"


def _groups(index: Path) -> list[tuple[str, ...]]:
    return list(IndexReader(index).bm25.synonyms.groups)


def test_abbreviations_defined_in_the_documents_are_expansions(small_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    ingest(small_corpus, index, EMBEDDER)
    # The Q&A document writes "Decentralisatie-uitkering Vrouwenopvang (DUVO)".
    assert ("DUVO", "Decentralisatie-uitkering Vrouwenopvang") in _groups(index)
    terms = IndexReader(index).bm25.query_terms("Wat is DUVO?")
    assert set(analyze("Decentralisatie-uitkering Vrouwenopvang")) <= set(terms)


def test_editing_synoniemen_toml_takes_effect_on_the_next_ingest(small_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = ingest(small_corpus, index, EMBEDDER)
    assert not any("Veilig Thuis" in group for group in _groups(index))

    (small_corpus / SYNONYMS_FILE).write_text('[synoniemen]\nVT = "Veilig Thuis"\n', encoding="utf-8")
    second = ingest(small_corpus, index, EMBEDDER)
    assert not second.errors  # the synonyms file is not read as a document
    assert sorted(second.changed) == sorted(first.added) and second.embedded == 0
    assert ("VT", "Veilig Thuis") in _groups(index)
    hits = IndexReader(index).bm25.search("Wat doet VT?", top_k=3)
    passages = IndexReader(index).passages
    assert hits and "Veilig Thuis" in passages[hits[0][0]].text

    third = ingest(small_corpus, index, EMBEDDER)
    assert third.changed == [] and sorted(third.unchanged) == sorted(first.added)


def test_a_bad_synonyms_file_names_the_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / SYNONYMS_FILE
    path.write_text("[synoniemen]\nVT = 3\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="synoniemen.toml.*'VT'"):
        read_file(path)
    path.write_text("[synoniemen\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="geen geldige TOML op regel 1, kolom 12$"):  # Dutch, and where
        read_file(path)
    path.write_text('[engels]\nstaff = "medewerkers"\nstaff = "personeel"\n', encoding="utf-8")
    with pytest.raises(DocumentError, match="geen geldige TOML op regel 3, kolom 20: deze sleutel staat er al eerder$"):
        read_file(path)  # and why, when tomllib's reason is a common one
    path.write_text('[synonyms]\nVT = "Veilig Thuis"\n', encoding="utf-8")
    with pytest.raises(DocumentError, match=r"onbekende tabel \[synonyms\]"):
        read_file(path)


def test_the_english_glossary_translates_an_english_question_for_bm25(tmp_path: Path) -> None:
    from kennisbank.store.bm25 import BM25Index, QueryWeights
    from kennisbank.synonyms import build

    path = tmp_path / SYNONYMS_FILE
    path.write_text('[engels]\n"domestic violence" = "huiselijk geweld"\nmunicipality = "gemeente"\n', encoding="utf-8")
    groups = read_file(path)
    assert ("domestic violence", "huiselijk geweld") in groups
    texts = ["De gemeente pakt huiselijk geweld aan met Veilig Thuis.", "Het college stelt de begroting vast."]
    index = BM25Index.build(["a", "b"], texts, build(texts, groups))
    terms = index.query_terms("What does the municipality do about domestic violence?")
    # The English function words are not searched; the Dutch words weigh QueryWeights.english.
    assert "the" not in terms and "does" not in terms
    assert terms[analyze("gemeente")[0]] == QueryWeights().english
    assert index.search("What does the municipality do about domestic violence?", top_k=2)[0][0] == "a"
    # A Dutch question is not expanded with English words.
    assert analyze("municipality")[0] not in index.query_terms("Wat doet de gemeente?")
    # The English groups survive saving and loading the index.
    index.save(tmp_path / "bm25")
    assert BM25Index.load(tmp_path / "bm25").synonyms == index.synonyms


def test_a_bad_english_table_names_the_table(tmp_path: Path) -> None:
    path = tmp_path / SYNONYMS_FILE
    path.write_text("[engels]\ncost = []\n", encoding="utf-8")
    with pytest.raises(DocumentError, match=r"\[engels\] 'cost'"):
        read_file(path)


def test_a_place_does_not_mention_a_longer_place_that_repeats_its_words() -> None:
    """ "Noord-Holland" is not "Noord-Holland Noord" (NHN): a phrase's tokens count as often as it has them."""
    groups = merge([("NHN", "Noord-Holland Noord"), ("VT", "Veilig Thuis")])
    assert groups.phrases("Wat gebeurt er in Noord-Holland?") == []
    assert groups.phrases("Wat doet Veilig Thuis in Noord-Holland Noord?") == ["NHN", "VT"]
    assert "nhn" not in groups.expand(DEFAULT.analyze("zorg in Noord-Holland"))
    assert "nhn" in groups.expand(DEFAULT.analyze("zorg in Noord-Holland Noord"))


def test_bm25_sees_the_documents_region_and_kind_as_every_passages_scope() -> None:
    """ "Wie betaalt de regiovisie in Noord-Holland Noord?": the Q&A that answers it never repeats its region, while
    a passage that names the region three times did not answer; its metadata region now counts for it."""
    from kennisbank.passage import Passage
    from kennisbank.store.bm25 import BM25Index

    answer = Passage(
        doc="qa.txt", text="De financiering komt uit de projectenpool van het ministerie.", start=0, end=60,
        section="Hoe zit het met de financiële aspecten van de regiovisie?", region="Noord-Holland Noord", kind="qa",
    )  # fmt: skip
    text = "Noord-Holland Noord werkt samen; in Noord-Holland Noord en Noord-Holland Noord zijn er teams."
    other = Passage(
        doc="plan.txt", text=text, start=0, end=90, section="Samenwerking", region="Noord-Holland Noord"
    )  # fmt: skip
    assert answer.lexical_text.endswith("\nNoord-Holland Noord qa") and answer.index_text in answer.lexical_text
    index = BM25Index.build(["qa", "plan"], [answer.lexical_text, other.lexical_text])
    assert index.search("wie betaalt de financiering van de regiovisie in Noord-Holland Noord", 2)[0][0] == "qa"
