"""Feedback is stored as one JSON line per rating, with what maintainers need for evaluation items."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kennisbank.answering.citations import REFUSAL, Answer, Citation
from kennisbank.feedback import FEEDBACK_FILE, Feedback, FeedbackLog
from kennisbank.passage import Passage

PASSAGE = Passage(
    doc="begrippen.txt",
    text="MDA++ staat voor multidisciplinaire aanpak. Het is een werkwijze.",
    start=0,
    end=64,
    section="Begrippen > MDA++",
    form="term",
    page=3,
    title="Begrippenlijst",
)
ANSWER = Answer("MDA++ staat voor multidisciplinaire aanpak. [1]", refused=False, citations=[Citation(1, PASSAGE)])


def fixed_now() -> datetime:
    return datetime(2024, 5, 1, 12, 30, 0, tzinfo=UTC)


def test_appends_one_line_per_rating(tmp_path: Path) -> None:
    log = FeedbackLog.in_index(tmp_path)
    log.append(Feedback.of("Wat is MDA++?", ANSWER, "up", "  duidelijk  ", now=fixed_now))
    log.append(Feedback.of("Wat kost een nacht opvang?", Answer(REFUSAL, refused=True), "down", now=fixed_now))

    lines = (tmp_path / FEEDBACK_FILE).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first == {
        "question": "Wat is MDA++?",
        "answer": "MDA++ staat voor multidisciplinaire aanpak. [1]",
        "refused": False,
        "rating": "up",
        "comment": "duidelijk",
        "citations": [{"n": 1, "doc": "begrippen.txt", "section": "Begrippen > MDA++", "page": 3}],
        "searched": "",
        "timestamp": "2024-05-01T12:30:00+00:00",
    }
    second = json.loads(lines[1])
    assert (second["refused"], second["rating"], second["citations"]) == (True, "down", [])
    assert log.read() == [first, second]


def test_keeps_the_condensed_question_only_when_it_differs(tmp_path: Path) -> None:
    same = Feedback.of("Wat is MDA++?", ANSWER, "up", searched="Wat is MDA++?")
    follow_up = Feedback.of("Wat kost dat?", ANSWER, "up", searched="Wat is MDA++? Wat kost dat?")
    assert same.searched == ""
    assert follow_up.searched == "Wat is MDA++? Wat kost dat?"


def test_unknown_rating_names_the_allowed_values() -> None:
    with pytest.raises(ValueError, match="up, down"):
        Feedback.of("Wat is MDA++?", ANSWER, "meh")


def test_read_of_missing_file_is_empty(tmp_path: Path) -> None:
    assert FeedbackLog(tmp_path / "nope" / FEEDBACK_FILE).read() == []


def test_concurrent_appends_do_not_interleave(tmp_path: Path) -> None:
    log = FeedbackLog.in_index(tmp_path)
    comment = "x" * 5000  # longer than one buffered write

    def rate() -> None:
        for _ in range(20):
            log.append(Feedback.of("Wat is MDA++?", ANSWER, "up", comment))

    threads = [threading.Thread(target=rate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    records = log.read()  # json.loads fails on an interleaved line
    assert len(records) == 80
    assert all(r["comment"] == comment for r in records)
