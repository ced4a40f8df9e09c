"""Properties of cleaning and chunking, on generated text and on the real corpus.

What the chunker may skip, precisely: whitespace between passages, and nothing
else. So for every document

* each passage is its span: ``doc.text[p.start:p.end] == p.text``;
* passages come in document order and do not overlap;
* the non-whitespace characters of ``doc.text`` are exactly those of the
  passages, concatenated in order (no character lost, none repeated);
* each passage's page is the page its first character is on.

Cleaning itself does drop text on purpose (page furniture, footnote markers, the
hyphen of a re-joined word), so these properties start from the cleaned text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kennisbank.ingest import pipeline
from kennisbank.ingest.chunking import chunk
from kennisbank.ingest.cleaning import build_vocabulary, clean_document
from kennisbank.ingest.corpus import document_meta, document_paths, load_metadata
from kennisbank.ingest.documents import CleanDocument, DocumentMeta
from kennisbank.ingest.pages import ZONE, drop_running_lines

from kennisbank.passage import Passage
from tests.conftest import CORPUS

_CORPUS_LINES = [
    line.strip()
    for path in sorted(CORPUS.glob("*.txt"))
    for line in path.read_text(encoding="utf-8").splitlines()
    if line.strip()
]
#: Lines of the shapes cleaning and chunking treat specially.
_SPECIAL = [
    "1. INLEIDING",
    "2. Lokaal tenzij",
    "Begrippenlijst",
    "Actie Hoofdverantwoordelijke Aanjager Planning Status",
    "Wat is de rol van Veilig Thuis?",
    "- een opsomming",
    "• nog een punt",
    "a) onderdeel",
    "12",
    "- 4 -",
    "Pagina 3 van 9",
    "https://www.movisie.nl/publicatie/sociaal-domein",
    "samenwerking tussen ketenpart-",
    "zorg- ",
    "Noord-",
    "2020-",
    "Q2 2022 Gemeenten",
    "Hoofddorp.1 Het",
    "e\ufffdectieve aanpak",
    "\tInhoud",
    "",
    "",
]
_line = st.one_of(
    st.sampled_from(_CORPUS_LINES),
    st.sampled_from(_SPECIAL),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=120),
    st.text(alphabet=" \t\n-.?:•()0123456789abcdeëfghijklmnopqrstuvwxyzABCDEFGHIJ", max_size=200),
)
_page = st.lists(_line, max_size=40).map("\n".join)
_pages = st.lists(_page, min_size=1, max_size=5)
_short_page = st.lists(st.sampled_from(_CORPUS_LINES[:300] + _SPECIAL), max_size=12).map("\n".join)
_kinds = st.sampled_from(["", "qa", "raadsvoorstel"])
_meta = st.builds(DocumentMeta, doc=st.just("gen.pdf"), title=st.just("Gegenereerd"), kind=_kinds)


def _non_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_passages(doc: CleanDocument, passages: list[Passage]) -> None:
    """The properties of the module docstring."""
    for passage in passages:
        assert doc.text[passage.start : passage.end] == passage.text
        assert passage.text.strip(), "an empty passage"
        assert passage.doc == doc.meta.doc
        # the cited page holds most of the passage's text (issue 11: not the page of its first character)
        assert passage.page == doc.main_page(passage.start, passage.end)
        if passage.page is not None:
            assert doc.page_at(passage.start) <= passage.page <= doc.page_at(passage.end - 1)
    for before, after in zip(passages, passages[1:], strict=False):
        assert before.end <= after.start
    assert _non_space("".join(p.text for p in passages)) == _non_space(doc.text)
    if doc.page_starts is not None:
        assert {p.page for p in passages} <= set(range(1, len(doc.page_starts) + 1))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(meta=_meta, pages=_pages, paged=st.booleans())
def test_no_text_is_lost_between_cleaning_and_passages(meta: DocumentMeta, pages: list[str], paged: bool) -> None:
    pages = drop_running_lines(pages) if paged else ["\n\n".join(pages)]
    doc = clean_document(meta, pages, paged, build_vocabulary(pages + _CORPUS_LINES[:200]))
    check_passages(doc, chunk(doc))


@settings(max_examples=100, deadline=None)
@given(pages=st.lists(_short_page, max_size=6))
def test_running_lines_are_only_taken_from_the_ends_of_a_page(pages: list[str]) -> None:
    """Each page keeps one contiguous run of its lines; at most ZONE non-blank lines go at either end."""
    for page, kept in zip(pages, drop_running_lines(pages), strict=True):
        lines = page.split("\n")
        ends = range(len(lines) + 1)
        runs = [(a, b) for a in ends for b in ends if a <= b and "\n".join(lines[a:b]) == kept]
        assert any(_non_blank(lines[:a]) <= ZONE and _non_blank(lines[b:]) <= ZONE for a, b in runs), (page, kept)


def _non_blank(lines: list[str]) -> int:
    return sum(1 for line in lines if line.strip())


@pytest.mark.parametrize("path", document_paths(CORPUS), ids=lambda p: p.name)
def test_real_documents_lose_no_text(path: Path) -> None:
    meta = document_meta(CORPUS, path, load_metadata(CORPUS))
    source = pipeline.read(path, meta, path.read_bytes())
    doc = clean_document(meta, source.pages, source.paged, pipeline.vocabulary(source.pages), notes=source.notes)
    passages = chunk(doc)
    check_passages(doc, passages)
    assert passages == pipeline.passages(source, pipeline.vocabulary(source.pages))
