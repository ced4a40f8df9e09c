"""Extractive answers on the real corpus: cited when the documents answer, refused when not."""

from __future__ import annotations

import re

import pytest

from kennisbank.knowledgebase import KnowledgeBase

OUT_OF_CORPUS = [
    "Hoe laat speelt Ajax vanavond?",
    "Wat is een goed recept voor appeltaart?",
    "Wat wordt het weer morgen?",
    "Hoeveel inwoners heeft Tokio?",
]


@pytest.mark.parametrize("question", OUT_OF_CORPUS)
def test_out_of_corpus_questions_are_refused(kb: KnowledgeBase, question: str) -> None:
    answer = kb.ask(question)
    assert answer.refused
    assert answer.citations == []
    assert "geen antwoord" in answer.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Wat is MDA++?", "MDA++"),
        ("Wat doet Veilig Thuis?", "Veilig Thuis"),
        ("Wat is risicogestuurde zorg?", "veiligheid"),
    ],
)
def test_answers_cite_the_passages_they_quote(kb: KnowledgeBase, question: str, expected: str) -> None:
    answer = kb.ask(question)
    assert not answer.refused
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == {c.n for c in answer.citations}
    assert any(expected.lower() in c.passage.text.lower() for c in answer.citations)
    for citation in answer.citations:
        for sentence in citation.quoted:
            assert sentence in answer.text


def test_empty_question_is_not_answered(kb: KnowledgeBase) -> None:
    assert kb.ask("   ").refused
