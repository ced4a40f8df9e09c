"""Feedback on answers: one JSON line per rating, in ``KENNISBANK_FEEDBACK`` or ``feedback.jsonl`` in the index folder.

Maintainers turn these lines into evaluation items: the question, what was
answered, which passages were cited, and what the user thought of it.

What is stored (see docs/security.md): the question, the answer, the cited
documents and sections, the rating, the optional comment and a timestamp; no
user name, address or session id. Professionals may type case details into a
question or comment, so every field is capped (``LIMITS``) and lines older than
the retention (``KENNISBANK_FEEDBACK_DAYS``, default 30 days) are removed when the
log is opened and once a day after. Lines are written with ``ensure_ascii``: every
character beyond ASCII is a ``\\uXXXX`` escape, so U+2028, U+2029 and U+0085 (line
breaks to JavaScript, ``str.splitlines`` and some editors) never split a record.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kennisbank.answering.citations import Answer
from kennisbank.errors import KennisbankError

FEEDBACK_FILE = "feedback.jsonl"
RATINGS = ("up", "down")
#: Longest stored value per field, in characters; longer text is cut (a 50 MB comment is stored as 5,000).
LIMITS = {"question": 2000, "answer": 10_000, "comment": 5000, "searched": 4000, "section": 300}
#: Citations stored per rating (an answer cites at most a handful).
MAX_CITATIONS = 20
#: Ratings the app accepts per minute, all sessions together (``FeedbackLog.per_minute``); more are refused.
RATINGS_PER_MINUTE = 120
#: Rating keys remembered for "one rating per answer per session" (the oldest are forgotten first).
MAX_KEYS = 100_000
#: Seconds between two retention passes over the file.
PRUNE_EVERY = 24 * 3600.0


class FeedbackError(KennisbankError):
    """A rating could not be stored: the file is not writable, or the rating was refused (duplicate, too many).

    ``for_user`` is False when the message is for the operator (it names a path and a setting).
    """

    def __init__(self, message: str, for_user: bool = True) -> None:
        super().__init__(message)
        self.for_user = for_user


def _cap(text: str, name: str) -> str:
    return text[: LIMITS[name]]


@dataclass(frozen=True)
class Feedback:
    """A user's rating of one answer, with the citations it was based on (every field capped, see ``LIMITS``)."""

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
        """Feedback on ``answer``; ``searched`` is the condensed question when it differs. Long fields are cut."""
        citations = [
            {"n": c.n, "doc": c.passage.doc, "section": _cap(c.passage.section, "section"), "page": c.passage.page}
            for c in answer.citations[:MAX_CITATIONS]
        ]
        return cls(
            question=_cap(question, "question"),
            answer=_cap(answer.text, "answer"),
            refused=answer.refused,
            rating=rating,
            comment=_cap(comment.strip(), "comment"),
            citations=citations,
            searched=_cap(searched, "searched") if searched != question else "",
            timestamp=now().isoformat(timespec="seconds"),
        )


class FeedbackLog:
    """Appends feedback to a JSON-lines file; safe to share between the app's worker threads.

    ``retention_days`` (None: keep all) drops older lines; ``key`` in ``append`` allows one
    rating per key (the app passes session and answer); ``per_minute`` (None: no limit) caps
    the ratings accepted in any 60 seconds.
    """

    def __init__(
        self,
        path: Path,
        retention_days: int | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        per_minute: int | None = None,
    ) -> None:
        self.path = path
        self.retention_days = retention_days
        self.per_minute = per_minute
        self.clock = clock
        self._lock = threading.Lock()
        self._keys: OrderedDict[str, None] = OrderedDict()
        self._recent: deque[float] = deque()
        self._pruned = float("-inf")

    @classmethod
    def in_index(cls, index_folder: Path, retention_days: int | None = None) -> FeedbackLog:
        """The log in the index folder (``feedback.jsonl``), keeping ratings ``retention_days`` days."""
        return cls(index_folder / FEEDBACK_FILE, retention_days)

    def writable(self) -> str:
        """Why ratings cannot be written to ``path`` (one Dutch line), or "" when they can."""
        folder = self.path.parent
        target = self.path if self.path.exists() else folder
        while not target.exists() and target != target.parent:
            target = target.parent
        if not os.access(target, os.W_OK) or (self.path.exists() and not self.path.is_file()):
            return f"feedback: {self.path} is niet schrijfbaar; zet KENNISBANK_FEEDBACK op een schrijfbaar bestand"
        return ""

    def append(self, feedback: Feedback, key: str | None = None) -> None:
        """Append one rating as one line.

        Raises:
            FeedbackError: ``key`` was rated already, too many ratings this minute, or the file cannot be written.
        """
        line = json.dumps(asdict(feedback), ensure_ascii=True) + "\n"
        with self._lock:
            if key is not None and key in self._keys:
                raise FeedbackError("dit antwoord is al beoordeeld; stel een nieuwe vraag om opnieuw te beoordelen")
            now = time.monotonic()
            while self._recent and now - self._recent[0] > 60:
                self._recent.popleft()
            if self.per_minute is not None and len(self._recent) >= self.per_minute:
                raise FeedbackError("te veel beoordelingen in korte tijd; probeer het over een minuut opnieuw")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with open(self.path, "a", encoding="ascii") as handle:
                    handle.write(line)
            except OSError as exc:
                raise FeedbackError(
                    f"feedback: {self.path} niet schrijfbaar ({exc.strerror or exc}); "
                    "zet KENNISBANK_FEEDBACK op een schrijfbaar bestand",
                    for_user=False,
                ) from exc
            self._recent.append(now)
            if key is not None:
                self._keys[key] = None
                if len(self._keys) > MAX_KEYS:
                    self._keys.popitem(last=False)
            if now - self._pruned > PRUNE_EVERY:
                self._prune_locked(now)

    def prune(self) -> int:
        """Remove lines older than ``retention_days`` (none without a retention); the number removed.

        Raises:
            FeedbackError: the file cannot be rewritten.
        """
        with self._lock:
            return self._prune_locked(time.monotonic())

    def _prune_locked(self, now: float) -> int:
        self._pruned = now
        if self.retention_days is None or not self.path.exists():
            return 0
        cutoff = self.clock() - timedelta(days=self.retention_days)
        with open(self.path, encoding="utf-8") as handle:
            lines = [line for line in handle if line.strip()]
        kept = [line for line in lines if not _older(line, cutoff)]
        if len(kept) == len(lines):
            return 0
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            with open(tmp, "w", encoding="utf-8") as handle:
                handle.writelines(kept)
            os.replace(tmp, self.path)
        except OSError as exc:
            raise FeedbackError(f"feedback: {self.path} niet te herschrijven ({exc.strerror or exc})") from exc
        return len(lines) - len(kept)

    def read(self) -> list[dict[str, Any]]:
        """Every stored rating, oldest first, one dict per line."""
        if not self.path.exists():
            return []
        with open(self.path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]


def _older(line: str, cutoff: datetime) -> bool:
    """True when the record's timestamp is before ``cutoff``; a line without a readable one is kept."""
    try:
        stamp = datetime.fromisoformat(json.loads(line)["timestamp"])
    except (ValueError, KeyError, TypeError):
        return False
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp < cutoff
