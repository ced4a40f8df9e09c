"""The one chat path: condense a follow-up, retrieve, then answer or stream.

Used by the web chat (``kennisbank.ui``) and the terminal chat (``kennisbank chat``);
``kennisbank ask`` answers independent questions through ``KnowledgeBase.ask``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from kennisbank.answering.citations import Answer
from kennisbank.answering.question import analyze
from kennisbank.conversation import is_follow_up
from kennisbank.knowledgebase import KnowledgeBase, check_question
from kennisbank.retrieval import Filters

#: Passages retrieved per question.
TOP_K = 5


@dataclass(frozen=True)
class Turn:
    """One question in a conversation: as asked, as searched (after condensing), and its answer."""

    question: str
    searched: str
    answer: Answer


def carry_constraints(earlier: Sequence[str], question: str, condensed: str, places: Iterable[str] = ()) -> str:
    """``condensed``, with the place and year of the conversation added when a follow-up lost them.

    ``earlier`` are the searched questions of the earlier turns (oldest first). Only a
    follow-up (``conversation.is_follow_up``) inherits; the last place and year named
    in the conversation are added, before its question mark, as "(Zevenaar, 2023)" when
    ``condensed`` names none: "Wie betaalt dat (Zevenaar, 2023)?". ``places`` are the municipalities
    the documents' metadata names (known places beside those the analyser finds by itself).
    """
    if not earlier or not is_follow_up(question):
        return condensed
    now = analyze(condensed, places)
    before = analyze(" ".join(earlier), places)
    missing = [*(() if now.places else before.places), *(() if now.years else before.years)]
    if not missing:
        return condensed
    added = f" ({', '.join(missing)})"
    return condensed[:-1] + added + "?" if condensed.endswith("?") else condensed + added


class Chat:
    """A conversation engine over one knowledge base; it keeps no state (the caller keeps the turns).

    ``top_k`` is the number of passages retrieved per question (1 or more).
    """

    def __init__(self, kb: KnowledgeBase, top_k: int = TOP_K) -> None:
        if top_k < 1:
            raise ValueError(f"top_k: verwacht 1 of meer, kreeg {top_k}")
        self.kb = kb
        self.top_k = top_k

    def searched(self, history: Sequence[Turn], question: str) -> str:
        """The question to retrieve with: a follow-up gets its topic from the earlier turns.

        Whatever condensed it (the rule or a language model), the place and year of the
        conversation carry over to a follow-up that names none (see ``carry_constraints``).
        """
        question = question.strip()
        condensed = self.kb.answerer.condense([(t.question, t.answer.text) for t in history], question)
        catalog = getattr(self.kb.answerer, "catalog", None)  # the extractive answerer knows the documents' places
        places = catalog.places() if catalog is not None else ()
        return carry_constraints([t.searched for t in history], question, condensed, places)

    def ask(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None) -> Turn:
        """Answer ``question`` in the conversation ``history`` (oldest first)."""
        turn: Turn | None = None
        for part in self.stream(question, history, filters):
            if isinstance(part, Turn):
                turn = part
        assert turn is not None, "stream ends with the Turn"
        return turn

    def stream(
        self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None
    ) -> Iterator[str | Turn]:
        """The answer text as it grows (str), then the ``Turn`` as the last item.

        The search holds the knowledge base's lock; the answerer (perhaps a language model) runs outside it.
        """
        question = check_question(question, self.kb.max_question)
        searched = self.searched(history, question)
        passages = self.kb.search(searched, self.top_k, filters)
        for part in self.kb.answerer.stream(searched, passages):
            if isinstance(part, Answer):
                yield Turn(question.strip(), searched, part)
                return
            yield part
