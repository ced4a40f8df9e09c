"""What an answer is: its text with [n] markers, its citations, and the Answerer interface."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from kennisbank.passage import Passage

REFUSAL = (
    "De documenten bevatten geen antwoord op deze vraag. "
    "Hieronder staan de passages die er het dichtst bij komen; ze beantwoorden de vraag niet."
)
EMPTY_QUESTION = "Stel een vraag over de documenten in de kennisbank."


@dataclass(frozen=True)
class Citation:
    """Passage ``n`` of an answer, and the sentences of it the answer quotes."""

    n: int
    passage: Passage
    quoted: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """``{"n", "doc", "title", "section", "page", "text"}`` (and ``quoted`` when sentences are quoted)."""
        data: dict[str, Any] = {"n": self.n, **self.passage.citation_dict()}
        data.pop("score", None)
        if self.quoted:
            data["quoted"] = list(self.quoted)
        return data


@dataclass(frozen=True)
class Answer:
    """An answer text with [n] markers, its citations, or a refusal with the closest passages.

    ``missing`` says what a refusal lacks: plaats, jaar, contact, aantal, bedrag, naam,
    datum, duur or onderwerp (see ``kennisbank.answering.refusal.MISSING_KINDS``).
    """

    text: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    closest: list[Passage] = field(default_factory=list)
    note: str = ""
    missing: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: ``answer``, ``refused``, ``citations`` (and ``closest``, ``note`` when set)."""
        data: dict[str, Any] = {
            "answer": self.text,
            "refused": self.refused,
            "citations": [c.to_dict() for c in self.citations],
        }
        if self.closest:
            data["closest"] = [Citation(i, p).to_dict() for i, p in enumerate(self.closest, 1)]
        if self.note:
            data["note"] = self.note
        if self.missing:
            data["missing"] = self.missing
        return data


class Answerer(Protocol):
    """Writes an answer to a question from retrieved passages (best first).

    ``generative`` tells whether a language model writes the text (the chat says so).
    """

    generative: bool

    def answer(self, question: str, passages: Sequence[Passage]) -> Answer:
        """The whole answer at once."""
        ...

    def stream(self, question: str, passages: Sequence[Passage]) -> Iterator[str | Answer]:
        """The answer text as it grows (str, each a longer prefix), then the final ``Answer`` as the last item."""
        ...

    def condense(self, history: Sequence[tuple[str, str]], question: str) -> str:
        """The question to search with, given the conversation so far ((question, answer text) pairs, oldest first)."""
        ...


def growing(text: str, words: int = 3) -> Iterator[str]:
    """Prefixes of ``text`` that grow by ``words`` words, ending with the whole text (for paced streaming)."""
    parts = text.split(" ")
    for end in range(words, len(parts), words):
        yield " ".join(parts[:end])
    yield text
