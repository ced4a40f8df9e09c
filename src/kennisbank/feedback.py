"""Feedback on answers: one JSON line per rating in ``feedback.jsonl`` in the index folder.

Maintainers turn these lines into evaluation items: the question, what was
answered, which passages were cited, and what the user thought of it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kennisbank.answering.citations import Answer

FEEDBACK_FILE = "feedback.jsonl"
RATINGS = ("up", "down")


@dataclass(frozen=True)
class Feedback:
    """A user's rating of one answer, with the citations it was based on."""

    question: str
    answer: str
    refused: bool
    rating: str
    comment: str = ""
    citations: list[dict[str, Any]] = field(default_factory=list)
    searched: str = ""
    timestamp: str = ""

    def __post_init__(self) -> None:
        if self.rating not in RATINGS:
            raise ValueError(f"rating {self.rating!r} onbekend: kies uit {', '.join(RATINGS)}")

    @classmethod
    def of(
        cls,
        question: str,
        answer: Answer,
        rating: str,
        comment: str = "",
        searched: str = "",
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> Feedback:
        """Feedback on ``answer``; ``searched`` is the condensed question when it differs."""
        citations = [
            {"n": c.n, "doc": c.passage.doc, "section": c.passage.section, "page": c.passage.page}
            for c in answer.citations
        ]
        return cls(
            question=question,
            answer=answer.text,
            refused=answer.refused,
            rating=rating,
            comment=comment.strip(),
            citations=citations,
            searched=searched if searched != question else "",
            timestamp=now().isoformat(timespec="seconds"),
        )


class FeedbackLog:
    """Appends feedback to a JSON-lines file; safe to share between the app's worker threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    @classmethod
    def in_index(cls, index_folder: Path) -> FeedbackLog:
        return cls(index_folder / FEEDBACK_FILE)

    def append(self, feedback: Feedback) -> None:
        line = json.dumps(asdict(feedback), ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as handle:
                handle.write(line)

    def read(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        with open(self.path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
