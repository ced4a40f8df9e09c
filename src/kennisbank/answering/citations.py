"""What an answer is: its text with [n] markers, its citations, and the Answerer interface."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from kennisbank.passage import Passage, citation_label
from kennisbank.text import quote_spans

#: The refusal when nothing more precise can be said.
NO_ANSWER = "De documenten bevatten geen antwoord op deze vraag."
#: Under every refusal, before the closest passages.
CLOSEST = "Hieronder staan de passages die er het dichtst bij komen; ze beantwoorden de vraag niet."
REFUSAL = f"{NO_ANSWER} {CLOSEST}"
EMPTY_QUESTION = "Stel een vraag over de documenten in de kennisbank."


@dataclass(frozen=True)
class Citation:
    """Passage ``n`` of an answer, and the sentences of it the answer quotes.

    ``anchor`` is the quoted piece that answers (the best sentence, or the list item that holds the asked
    amount or date); its page is the page cited. When empty, the first quoted sentence is the anchor.
    """

    n: int
    passage: Passage
    quoted: tuple[str, ...] = ()
    anchor: str = ""

    def _quote_offset(self) -> int | None:
        """Offset in the passage text of the anchor; None when nothing is quoted or found, or the passage has
        neither page nor section breaks."""
        if not self.quoted or not (self.passage.page_breaks or self.passage.section_breaks):
            return None
        spans = quote_spans(self.passage.text, (self.anchor or self.quoted[0],))
        if not spans and self.anchor:
            spans = quote_spans(self.passage.text, self.quoted[:1])
        return spans[0][0] if spans else None

    @property
    def page(self) -> int | None:
        """The physical page of the anchor (``Passage.page_at``); else the passage's page."""
        offset = self._quote_offset()
        return self.passage.page if offset is None else self.passage.page_at(offset)

    @property
    def pages(self) -> tuple[int, ...]:
        """Every physical page the quoted sentences stand on, in order (a sentence over a page break: both);
        () without pages or quotes. :attr:`page` is the anchor's."""
        if not self.quoted or not self.passage.page_breaks:
            return (self.page,) if self.quoted and self.page is not None else ()
        found = {
            page
            for start, end in quote_spans(self.passage.text, self.quoted)
            for page in (self.passage.page_at(start), self.passage.page_at(max(start, end - 1)))
            if page is not None
        }
        return tuple(sorted(found))

    @property
    def page_label(self) -> str:
        """The printed label of :attr:`page` ("" when unknown)."""
        offset = self._quote_offset()
        return self.passage.page_label if offset is None else self.passage.page_label_at(offset)

    @property
    def section(self) -> str:
        """The section of the anchor (``Passage.section_at``); else the passage's section."""
        offset = self._quote_offset()
        return self.passage.section if offset is None else self.passage.section_at(offset)

    def label(self) -> str:
        """The citation label with the section and page of the quoted sentence: ``"Title — Section, p. 3"``, and the
        other pages the quotes stand on: ``"..., p. 54 (gedrukt 38), ook p. 53"`` (``citation_label``)."""
        passage = self.passage
        title = passage.title or passage.doc
        return citation_label(title, self.section, self.page, self.page_label, passage.ocr, self.pages)

    def to_dict(self) -> dict[str, Any]:
        """``{"n", "doc", "title", "section", "page", "text"}`` (and ``quoted`` when sentences are quoted, ``pages``
        when they stand on more than one page).

        ``section``, ``page`` and ``page_label`` are those of the quoted sentence that answers (:attr:`section`,
        :attr:`page`).
        """
        data: dict[str, Any] = {"n": self.n, **self.passage.citation_dict()}
        data.pop("score", None)
        data["section"] = self.section
        if data.get("page") is not None:
            data["page"] = self.page
            data.pop("page_label", None)
            if self.page_label:
                data["page_label"] = self.page_label
            if len(self.pages) > 1:
                data["pages"] = list(self.pages)  # the quotes stand on more than the anchor's page
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
