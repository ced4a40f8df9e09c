"""``kennisbank eval`` takes items with the physical ``page`` of the answer and scores the cited page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kennisbank.evaluation.run import EvalItemError, ItemResult, answer_row, failure_reason, load_items, parse_item

PDF_ITEMS = Path(__file__).resolve().parents[1] / "evals" / "pdf" / "questions.jsonl"
ITEM = {
    "id": "p-1",
    "question": "Wie zitten er in een schakelteam?",
    "docs": ["a.pdf"],
    "key_phrases": ["drie medewerkers"],
    "answerable": True,
    "group": "professional",
    "category": "evaluatie",
    "lang": "nl",
    "split": "test",
}


def test_the_pdf_question_set_loads_with_a_page_on_every_answer_in_a_pdf() -> None:
    items = load_items(PDF_ITEMS)
    assert len(items) >= 30
    assert {item.split for item in items} == {"calibration", "test"}
    in_pdf = {item.id for item in items if item.answerable and item.docs[0].endswith(".pdf")}
    assert all(isinstance(item.page, int) and item.page >= 1 for item in items if item.id in in_pdf)
    assert all(item.page is None for item in items if item.id not in in_pdf)
    assert sum("scan" in doc for item in items for doc in item.docs) >= 3


@pytest.mark.parametrize("page", [0, "3", True, 2.0])
def test_a_page_that_is_no_page_number_is_refused_in_one_dutch_line(page: object) -> None:
    with pytest.raises(EvalItemError, match="veld 'page'"):
        parse_item(json.dumps({**ITEM, "page": page}), "x.jsonl:1")


def test_cited_page_right_is_scored_only_for_items_with_a_page() -> None:
    paged = parse_item(json.dumps({**ITEM, "page": 4}), "x.jsonl:1")
    plain = parse_item(json.dumps(ITEM), "x.jsonl:2")
    answer = "Het schakelteam bestaat uit drie medewerkers [1]."
    right = ItemResult("p-1", {"hybrid": [True]}, refused=False, cited_relevant=True, answer=answer, cited_page=4)
    wrong = ItemResult("p-1", {"hybrid": [True]}, refused=False, cited_relevant=True, answer=answer, cited_page=5)
    refused = ItemResult("p-1", {"hybrid": [True]}, refused=True, cited_relevant=False, cited_page=None)
    assert answer_row(paged, right)["cited_page_right"] == 1.0
    assert answer_row(paged, wrong)["cited_page_right"] == 0.0
    assert answer_row(paged, refused)["cited_page_right"] == 0.0
    assert "cited_page_right" not in answer_row(plain, right)
    assert failure_reason(paged, right) == ""
    assert "pagina 5" in failure_reason(paged, wrong) and "pagina 4" in failure_reason(paged, wrong)
