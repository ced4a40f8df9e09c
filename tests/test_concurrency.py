"""Several users at once through gradio_client: no errors, every answer well-formed.

Speed is not asserted here; ``benchmarks/concurrency.py`` measures it.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

pytestmark = pytest.mark.integration  # real model, server, browser or real timings

gradio_client = pytest.importorskip("gradio_client")

USERS = 5
QUESTIONS = (
    "Wat is MDA++?",
    "Wat kost de regiovisie de gemeente?",
    "Geef me een recept voor erwtensoep",
)


def _user(url: str, user: int) -> list[tuple[str, Any]]:
    client = gradio_client.Client(url, verbose=False)
    try:
        # Each user asks the three questions in its own order, so different questions overlap.
        order = QUESTIONS[user % len(QUESTIONS) :] + QUESTIONS[: user % len(QUESTIONS)]
        return [(question, client.predict(question, api_name="/ask")) for question in order]
    finally:
        client.close()


def _check_answer(question: str, answer: Any) -> None:
    assert isinstance(answer, dict), (question, answer)
    assert isinstance(answer["answer"], str) and answer["answer"].strip(), question
    assert isinstance(answer["refused"], bool)
    citations = answer["citations"]
    assert isinstance(citations, list)
    numbers = [c["n"] for c in citations]
    assert numbers == list(range(1, len(citations) + 1)), numbers
    for citation in citations:
        assert citation["doc"] and citation["text"].strip(), citation
    if answer["refused"]:
        assert not citations and answer.get("closest"), question
    else:
        assert citations, question
        # Every citation is marked [n] in the text (quoted sentences may carry brackets of their own).
        markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer["answer"])}
        assert set(numbers) <= markers, (question, markers, numbers)


def test_five_users_at_once_all_get_well_formed_answers(app_url: str) -> None:
    with ThreadPoolExecutor(max_workers=USERS) as pool:
        results = list(pool.map(lambda user: _user(app_url, user), range(USERS)))
    assert len(results) == USERS
    answers = [pair for user in results for pair in user]
    assert len(answers) == USERS * len(QUESTIONS)
    for question, answer in answers:
        _check_answer(question, answer)
    by_question: dict[str, list[Any]] = {}
    for question, answer in answers:
        by_question.setdefault(question, []).append(answer)
    # Concurrent requests do not bleed into each other: a question gets the same answer from every user.
    for question, same in by_question.items():
        assert all(a == same[0] for a in same), question
    assert by_question["Geef me een recept voor erwtensoep"][0]["refused"]
    assert not by_question["Wat is MDA++?"][0]["refused"]
