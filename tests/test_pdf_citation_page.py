"""An answer cites the page (and printed page label) of the sentence it quotes, not of the passage's start."""

from __future__ import annotations

from collections import Counter

from kennisbank.ingest.chunking import chunk
from kennisbank.ingest.cleaning import clean_document
from kennisbank.ingest.documents import DocumentMeta

from kennisbank.answering.citations import Citation
from kennisbank.answering.evidence import sentences
from kennisbank.passage import Passage

FIRST = "De wijkteams werken in de hele stad. " * 12 + "Zij overleggen elke week met de huisartsen."
SECOND = "Het schakelteam bestaat uit drie medewerkers van de gemeente. " + "Het team werkt sinds 2019. " * 8


def _spanning() -> Passage:
    """The passage of a two-page document that runs over the page break (printed labels "7" and "8")."""
    meta = DocumentMeta(doc="x.pdf", title="X")
    doc = clean_document(meta, [FIRST, SECOND], paged=True, vocabulary=Counter(), labels=["7", "8"])
    (passage,) = [p for p in chunk(doc) if "huisartsen" in p.text and "schakelteam" in p.text]
    assert passage.page_breaks  # the fixture is only useful when the passage spans the break
    return passage


def test_a_citation_cites_the_page_and_label_of_its_first_quoted_sentence() -> None:
    passage = _spanning()
    on_two = next(s for s in sentences(passage.text) if "schakelteam" in s)
    on_one = next(s for s in sentences(passage.text) if "huisartsen" in s)
    cited = Citation(1, passage, (on_two,))
    assert (cited.page, cited.page_label) == (2, "8")
    assert cited.to_dict()["page"] == 2 and cited.to_dict()["page_label"] == "8"
    assert cited.label().endswith("p. 2 (gedrukt 8)")
    first = Citation(1, passage, (on_one, on_two))
    assert (first.page, first.page_label) == (1, "7")  # the first quoted sentence decides
    # quotes on two pages: every page is named, so each quote can be found on a page the citation gives
    assert first.pages == (1, 2) and first.to_dict()["pages"] == [1, 2]
    assert first.label().endswith("p. 1 (gedrukt 7), ook p. 2")
    assert cited.pages == (2,) and "pages" not in cited.to_dict() and "ook p." not in cited.label()
    from kennisbank.render import where

    assert where(first.to_dict(), "X").endswith("p. 1 (gedrukt 7), ook p. 2")  # the chat's label says it too


def test_without_quotes_or_pages_a_citation_keeps_the_passage_page() -> None:
    passage = _spanning()
    assert Citation(1, passage).page == passage.page
    assert Citation(1, passage, ("Een zin die er niet in staat.",)).page == passage.page
    plain = Passage(doc="a.txt", text="Tekst van de passage.", start=0, end=21)
    cited = Citation(1, plain, ("Tekst van de passage.",))
    assert cited.page is None and set(cited.to_dict()) == {"n", "doc", "title", "section", "page", "text", "quoted"}


def test_page_labels_survive_the_index_round_trip() -> None:
    passage = _spanning()
    assert passage.page_labels == ("7", "8")
    again = Passage.from_dict(passage.to_dict())
    assert again.page_labels == passage.page_labels
    assert again.page_label_at(again.text.index("schakelteam")) == "8"
    assert again.page_label_at(0) == "7"
