"""Finding 5 of issue 14: feedback without caps, without a rate limit, and with line breaks inside a JSON line."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kennisbank.feedback import LIMITS, Feedback, FeedbackError, FeedbackLog
from tests.test_feedback import ANSWER

#: Characters that some readers take as a line break: JavaScript (U+2028, U+2029), str.splitlines (all).
BREAKS = "\u2028\u2029\u0085\x0b\x0c\x1c\x1d\x1e\r"


def test_every_stored_field_is_capped(tmp_path: Path) -> None:
    log = FeedbackLog(tmp_path / "feedback.jsonl")
    huge = "a" * (50 * 1024 * 1024)  # the 50 MB comment of the finding
    log.append(Feedback.of("v" * 10_000, ANSWER, "down", huge, searched="z" * 10_000))
    record = log.read()[0]
    assert len(record["comment"]) == LIMITS["comment"]
    assert len(record["question"]) == LIMITS["question"]
    assert len(record["searched"]) == LIMITS["searched"]
    assert (tmp_path / "feedback.jsonl").stat().st_size < 20_000


def test_line_breaks_of_other_readers_never_split_a_record(tmp_path: Path) -> None:
    log = FeedbackLog(tmp_path / "feedback.jsonl")
    for n in range(3):
        log.append(Feedback.of(f"Vraag {n}{BREAKS}?", ANSWER, "up", f"toelichting{BREAKS}einde"))
    data = (tmp_path / "feedback.jsonl").read_bytes()
    assert data.isascii()
    text = data.decode("ascii")
    assert len(text.splitlines()) == 3  # str.splitlines splits on all of BREAKS
    assert [json.loads(line)["comment"] for line in text.splitlines()] == [f"toelichting{BREAKS}einde"] * 3


def test_one_rating_per_key_and_a_rate_limit(tmp_path: Path) -> None:
    log = FeedbackLog(tmp_path / "feedback.jsonl", per_minute=5)
    log.append(Feedback.of("Wat is MDA++?", ANSWER, "up"), key="sessie:1")
    with pytest.raises(FeedbackError, match="al beoordeeld"):
        log.append(Feedback.of("Wat is MDA++?", ANSWER, "down"), key="sessie:1")
    for n in range(2, 6):
        log.append(Feedback.of("Wat is MDA++?", ANSWER, "up"), key=f"sessie:{n}")
    with pytest.raises(FeedbackError, match="te veel beoordelingen"):
        log.append(Feedback.of("Wat is MDA++?", ANSWER, "up"), key="sessie:6")
    assert len(log.read()) == 5


def test_ratings_older_than_the_retention_are_removed(tmp_path: Path) -> None:
    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    path = tmp_path / "feedback.jsonl"
    writer = FeedbackLog(path)
    for days in (90, 31, 29, 1):
        writer.append(Feedback.of(f"{days} dagen oud", ANSWER, "up", now=lambda d=days: now - timedelta(days=d)))
    log = FeedbackLog(path, retention_days=30, clock=lambda: now)
    assert log.prune() == 2
    assert [r["question"] for r in log.read()] == ["29 dagen oud", "1 dagen oud"]
    assert log.prune() == 0
