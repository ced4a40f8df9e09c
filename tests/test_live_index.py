"""A running app follows an ingest: the next question reads the new generation and says so once."""

from __future__ import annotations

from pathlib import Path

from kennisbank.config import Settings
from kennisbank.feedback import FeedbackLog
from kennisbank.indexing import ingest
from kennisbank.knowledgebase import KnowledgeBase
from kennisbank.render import UPDATED
from kennisbank.retrieval import Filters
from kennisbank.ui import App
from tests.conftest import SMALL_DOCS

EXTRA = "extra-erwtensoep.txt"


def test_the_app_switches_to_a_new_generation_and_says_so_once(small_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    assert not ingest(small_corpus, index, "hash:64").errors
    kb = KnowledgeBase.open(Settings(corpus=small_corpus, index=index, chroma_url=""))
    app = App(kb, FeedbackLog(tmp_path / "feedback.jsonl"), stream_delay=0)
    first = app.generation
    assert app.notice(first) == ("", first)
    assert {name for _, name in app.doc_choices} == set(SMALL_DOCS)
    assert SMALL_DOCS[0] in {e.doc for e in app.terms}  # DUVO is spelled out in both documents

    (small_corpus / SMALL_DOCS[0]).unlink()
    (small_corpus / EXTRA).write_text(
        "Erwtensoep\n\nDe Erwtensoepdienst (ESD) kookt elke winter soep voor het wijkteam.\n", encoding="utf-8"
    )
    assert not ingest(small_corpus, index, "hash:64").errors

    notice, seen = app.notice(first)  # this session saw the old generation
    assert UPDATED in notice and seen != first and seen == app.generation
    assert app.notice(seen) == ("", seen)  # said once
    assert {name for _, name in app.doc_choices} == {SMALL_DOCS[1], EXTRA}
    assert EXTRA in {p.doc for p in app.search("erwtensoep wijkteam", 5, Filters(), "bm25")}
    assert any(e.term == "ESD" and e.expansion == "Erwtensoepdienst" for e in app.terms)
    assert SMALL_DOCS[0] not in {e.doc for e in app.terms}
