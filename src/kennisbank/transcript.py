"""A conversation as the browser keeps it: JSON-ready turns whose citations can still be checked later.

The chat stores these dicts in the browser (Gradio ``BrowserState``), so a reload
keeps the conversation. Each citation keeps what the source viewer needs to show
it again, or to say that the document has changed since: document id, the sha256
of the file it was cut from, page, offsets in the cleaned text and the quoted
sentences.

Shapes::

    turn     {"question", "searched", "text", "refused", "note", "filter", "citations": [cited], "closest": [cited]}
    cited    {"n", "doc", "title", "section", "page", "start", "end", "text", "quoted": [str], "sha256"}
             and, where they apply, "page_label" (printed page), "ocr" (true), "notes" [str], "also_in" [str]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kennisbank.answering.citations import Answer, Citation
from kennisbank.chat import Turn
from kennisbank.passage import Passage
from kennisbank.store.manifest import DocumentEntry

#: At most this many turns are kept in the browser (the oldest go first).
MAX_TURNS = 30


def cited(
    n: int,
    passage: Passage,
    quoted: Sequence[str],
    documents: Mapping[str, DocumentEntry],
    page: int | None = None,
    page_label: str | None = None,
    section: str | None = None,
) -> dict[str, Any]:
    """One stored citation; ``sha256`` is the manifest's hash of the document file ("" when unknown).

    ``page``, ``page_label`` and ``section`` are those of the quoted sentence (``Citation.page``,
    ``Citation.page_label``, ``Citation.section``); the passage's own when not given.
    """
    entry = documents.get(passage.doc)
    extra = {key: value for key, value in passage.citation_dict().items() if key in ("ocr", "notes", "also_in")}
    label = passage.page_label if page_label is None else page_label
    if label:
        extra["page_label"] = label
    return {
        "n": n,
        "doc": passage.doc,
        "title": passage.title,
        "section": passage.section if section is None else section,
        "page": passage.page if page is None else page,
        "start": passage.start,
        "end": passage.end,
        "text": passage.text,
        "quoted": list(quoted),
        "sha256": entry.sha256 if entry else "",
        **extra,
    }


def stored(turn: Turn, documents: Mapping[str, DocumentEntry], filter_label: str = "") -> dict[str, Any]:
    """A turn as the browser keeps it; ``filter_label`` names the active filter ("" for none)."""
    answer = turn.answer
    return {
        "question": turn.question,
        "searched": turn.searched,
        "text": answer.text,
        "refused": answer.refused,
        "note": answer.note,
        "filter": filter_label,
        "citations": [
            cited(c.n, c.passage, c.quoted, documents, c.page, c.page_label, c.section) for c in answer.citations
        ],
        "closest": [cited(i, p, (), documents) for i, p in enumerate(answer.closest, 1)],
    }


def passage_of(data: Mapping[str, Any]) -> Passage:
    """The passage a stored citation points at (as it was when the answer was given)."""
    return Passage.from_dict({k: data.get(k) for k in ("doc", "text", "start", "end", "section", "page", "title")})


def turn_of(data: Mapping[str, Any]) -> Turn:
    """A stored turn back as a ``Turn`` (for follow-up questions and feedback).

    Raises:
        KeyError, TypeError: ``data`` is not a stored turn.
    """
    answer = Answer(
        text=str(data["text"]),
        refused=bool(data["refused"]),
        citations=[Citation(int(c["n"]), passage_of(c), tuple(c.get("quoted", ()))) for c in data["citations"]],
        closest=[passage_of(c) for c in data.get("closest", [])],
        note=str(data.get("note", "")),
    )
    return Turn(str(data["question"]), str(data.get("searched", data["question"])), answer)


def turns_of(conversation: Sequence[Any] | None) -> list[Turn]:
    """The turns of a stored conversation; anything that is not a stored turn is skipped."""
    turns = []
    for data in conversation or ():
        try:
            turns.append(turn_of(data))
        except (KeyError, TypeError, ValueError):
            continue
    return turns


def valid(conversation: Any) -> list[dict[str, Any]]:
    """The stored turns of ``conversation`` that can be shown (what came from the browser is not trusted)."""
    if not isinstance(conversation, list):
        return []
    keep = []
    for data in conversation[-MAX_TURNS:]:
        try:
            turn_of(data)
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        keep.append(data)
    return keep
