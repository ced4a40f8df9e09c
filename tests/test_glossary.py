"""The glossary: term passages of every document and abbreviations spelled out in the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from kennisbank.glossary import abbreviations, glossary, long_form, spelled_out
from kennisbank.indexing import ingest
from kennisbank.passage import Passage
from kennisbank.store.reader import IndexReader
from kennisbank.synonyms import from_texts
from tests.conftest import CORPUS


@pytest.mark.parametrize(
    ("short", "before", "expected"),
    [
        ("VT", "Meld het bij Veilig Thuis", "Veilig Thuis"),
        ("RvdK", "De Raad voor de Kinderbescherming", "Raad voor de Kinderbescherming"),
        ("DUVO", "via de Decentralisatie-uitkering Vrouwenopvang", "Decentralisatie-uitkering Vrouwenopvang"),
        ("JBT", "De Jeugdbeschermingstafel", "Jeugdbeschermingstafel"),
        ("VNG", "de Vereniging van Nederlandse Gemeenten", "Vereniging van Nederlandse Gemeenten"),
        ("XYZ", "Veilig Thuis", None),
        ("VT", "VT", None),
    ],
)
def test_long_form(short: str, before: str, expected: str | None) -> None:
    assert long_form(short, before) == expected


def test_abbreviations_of_a_passage_carry_their_sentence_and_offsets() -> None:
    text = "Inleiding.\nBel Veilig Thuis (VT) bij zorgen. De GGD (zie bijlage) helpt ook."
    passage = Passage(doc="a.txt", text=text, start=100, end=100 + len(text), section="Zorgen", page=3, title="A")
    [entry] = abbreviations(passage)  # "(zie bijlage)" is no abbreviation
    assert (entry.term, entry.expansion) == ("VT", "Veilig Thuis")
    assert entry.definition == "Bel Veilig Thuis (VT) bij zorgen."
    assert text[entry.start - 100 : entry.end - 100] == entry.definition
    assert entry.label == "A — Zorgen, p. 3"


@pytest.fixture(scope="module")
def corpus_passages(tmp_path_factory: pytest.TempPathFactory) -> list[Passage]:
    folder: Path = tmp_path_factory.mktemp("index")
    assert not ingest(CORPUS, folder, "hash:64").errors
    return list(IndexReader(folder).passages.values())


def test_the_corpus_glossary_has_every_term_and_the_abbreviations_of_all_documents(
    corpus_passages: list[Passage],
) -> None:
    entries = glossary(corpus_passages)
    terms = [p for p in corpus_passages if p.form == "term"]
    assert sum(not e.expansion for e in entries) == len(terms)
    found = {(e.term, e.expansion) for e in entries if e.expansion}
    for wanted in [
        ("DUVO", "Decentralisatie-uitkering Vrouwenopvang"),
        ("RvdK", "Raad voor de Kinderbescherming"),
        ("JBT", "Jeugdbeschermingstafel"),
        ("VNG", "Vereniging van Nederlandse Gemeenten"),
    ]:
        assert wanted in found, wanted
    docs = {e.doc for e in entries}
    assert len(docs) >= 4  # not one document's list only
    assert [e.term.lower() for e in entries] == sorted(e.term.lower() for e in entries)
    for entry in entries:
        source = next(p for p in corpus_passages if p.doc == entry.doc and p.start <= entry.start < p.end)
        assert entry.definition in source.text


def test_one_capital_needs_a_long_form_of_several_words() -> None:
    # "Zorginstelling" spells "Zie" letter by letter, but one word with one capital is no definition.
    text = "De wet Bijzondere opnemingen in psychiatrische ziekenhuizen (Bopz) vervalt. Bel de Zorginstelling (Zie)."
    assert [(short, long) for short, long, _ in spelled_out(text)] == [
        ("Bopz", "Bijzondere opnemingen in psychiatrische ziekenhuizen")
    ]


def test_the_synonyms_take_the_glossarys_abbreviations(corpus_passages: list[Passage]) -> None:
    # One extractor: every pair the glossary lists is a synonym group of the index, and back.
    pairs = {(e.term, e.expansion) for e in glossary(corpus_passages) if e.expansion}
    assert set(from_texts(p.text for p in corpus_passages)) == pairs
