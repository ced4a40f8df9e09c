"""The extractive answerer (the default): the refusal rule, and answers quoted from the passages.

The extractive answerer invents nothing: every sentence of its answer is a
sentence (or, for table rows, the recovered cells) of a retrieved passage,
followed by the [n] marker of that passage.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from kennisbank.analysis import tokenize
from kennisbank.answering.citations import EMPTY_QUESTION, REFUSAL, Answer, Citation, growing
from kennisbank.conversation import condense
from kennisbank.passage import Passage
from kennisbank.text import LIST_ITEM, sentence_spans, strip_heading

#: Passage forms whose text answers a question directly (the answer of a Q&A pair, a definition, a table row).
DIRECT_FORMS = ("qa", "term", "action", "commitment")


def question_terms(text: str) -> set[str]:
    """The stemmed content words of a text, as BM25 sees them."""
    return set(tokenize([text])[0])


def coverage(question: set[str], passage: Passage) -> float:
    """Share of the question's content words that occur in the passage (title and section included)."""
    if not question:
        return 0.0
    return len(question & question_terms(passage.index_text)) / len(question)


@dataclass(frozen=True)
class Evidence:
    """How well the best passages support an answer; refusal compares this with thresholds.

    ``dense`` is the best cosine similarity of question and passage embeddings,
    ``overlap`` the best share of question words found in one passage.
    """

    dense: float
    overlap: float

    def supports(self, min_dense: float, min_overlap: float, strong_dense: float) -> bool:
        """Enough when both agree a little, or the embeddings agree strongly."""
        return (self.dense >= min_dense and self.overlap >= min_overlap) or self.dense >= strong_dense


def evidence(question: str, passages: Sequence[Passage], depth: int = 3) -> Evidence:
    terms = question_terms(question)
    top = list(passages[:depth])
    return Evidence(
        dense=max((p.signals.get("dense", 0.0) for p in top), default=0.0),
        overlap=max((coverage(terms, p) for p in top), default=0.0),
    )


class ExtractiveAnswerer:
    """Quotes the sentences of the top passages that share the most words with the question.

    Q&A pairs and glossary terms that match the question are answered from directly;
    table rows (actions, commitments) are given as their recovered cells.

    Thresholds (``min_dense``, ``min_overlap``, ``strong_dense``) were calibrated on
    the evaluation set, see ``evals/README.md``.
    """

    generative = False

    def __init__(
        self,
        min_dense: float = 0.83,
        min_overlap: float = 0.3,
        strong_dense: float = 0.86,
        max_sentences: int = 4,
        depth: int = 3,
    ) -> None:
        self.min_dense = min_dense
        self.min_overlap = min_overlap
        self.strong_dense = strong_dense
        self.max_sentences = max_sentences
        self.depth = depth

    def answer(self, question: str, passages: Sequence[Passage]) -> Answer:
        if not question.strip():
            return Answer(EMPTY_QUESTION, refused=True)
        if not passages or not evidence(question, passages, self.depth).supports(
            self.min_dense, self.min_overlap, self.strong_dense
        ):
            return Answer(REFUSAL, refused=True, closest=list(passages[:3]))
        terms = question_terms(question)
        top = list(passages[: self.depth])
        if top[0].form in DIRECT_FORMS:
            # The top passage answers directly; sentences of the next passages are added
            # only when they share at least half of the question's words.
            direct = self._direct(top[0])
            strong = max(2, (len(terms) + 1) // 2)
            extra = self._best_sentences(
                terms, top, first_rank=1, budget=self.max_sentences - len(direct), min_overlap=strong
            )
            return _assemble([(0, i, s) for i, s in enumerate(direct)] + extra, top)
        chosen = self._best_sentences(terms, top, first_rank=0, budget=self.max_sentences, min_overlap=1)
        if not chosen:
            # No sentence shares a word (paraphrase, other language): quote the top passage's opening.
            opening = [s for s in _quotable(top[0].text) if _is_statement(s)][:2] or _quotable(top[0].text)[:1]
            chosen = [(0, i, sentence) for i, sentence in enumerate(opening)]
        return _assemble(chosen, top)

    def stream(self, question: str, passages: Sequence[Passage]) -> Iterator[str | Answer]:
        """The extractive answer's text in growing prefixes, then the ``Answer``."""
        answer = self.answer(question, passages)
        yield from growing(answer.text)
        yield answer

    def condense(self, history: Sequence[tuple[str, str]], question: str) -> str:
        """The rule of ``kennisbank.conversation.condense`` over the earlier questions."""
        return condense([asked for asked, _ in history], question)

    def _direct(self, passage: Passage) -> list[str]:
        """The answer part of a Q&A pair or glossary entry, or the cells of a table row."""
        if passage.form in ("action", "commitment") and passage.fields:
            body = "; ".join(f"{key}: {value}" for key, value in passage.fields.items() if value)
            return [body.rstrip(".") + "."]
        body = strip_heading(passage.text, passage.section.rsplit(" > ", 1)[-1])
        return [body[a:b] for a, b in sentence_spans(body)][: self.max_sentences - 1]

    def _best_sentences(
        self, terms: set[str], passages: Sequence[Passage], first_rank: int, budget: int, min_overlap: int
    ) -> list[tuple[int, int, str]]:
        """(rank, position, sentence) of the sentences sharing most question words, at most two per passage.

        Headings, questions and fragments are not quoted; a sentence that ends in a
        colon brings the list items that follow it. Lower-ranked passages weigh a little less.
        """
        scored: list[tuple[float, int, int, str]] = []
        for rank in range(first_rank, len(passages)):
            sentences = _quotable(passages[rank].text)
            for position, sentence in enumerate(sentences):
                overlap = len(terms & question_terms(sentence))
                if overlap >= min_overlap and _is_statement(sentence):
                    scored.append(
                        (overlap - 0.3 * rank, rank, position, _with_list(sentence, sentences[position + 1 :]))
                    )
        scored.sort(key=lambda item: -item[0])
        chosen: list[tuple[int, int, str]] = []
        per_passage: dict[int, int] = {}
        for _, rank, position, sentence in scored:
            if len(chosen) >= budget:
                break
            if per_passage.get(rank, 0) < 2:
                per_passage[rank] = per_passage.get(rank, 0) + 1
                chosen.append((rank, position, sentence))
        return chosen


def _assemble(chosen: list[tuple[int, int, str]], passages: Sequence[Passage]) -> Answer:
    """Sentences in passage order, each followed by its passage's [n]; citations numbered by first use."""
    numbers: dict[int, int] = {}
    parts = []
    quoted: dict[int, list[str]] = {}
    for rank, _, sentence in sorted(chosen):
        n = numbers.setdefault(rank, len(numbers) + 1)
        parts.append(f"{sentence} [{n}]")
        quoted.setdefault(rank, []).append(sentence)
    citations = [Citation(n, passages[rank], tuple(quoted[rank])) for rank, n in numbers.items()]
    return Answer(" ".join(parts), refused=False, citations=citations)


def _quotable(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def _is_statement(sentence: str) -> bool:
    """A sentence worth quoting: not a heading, a question or a fragment."""
    return len(sentence.split()) >= 5 and not sentence.rstrip().endswith("?")


def _with_list(sentence: str, following: list[str], limit: int = 8) -> str:
    """A sentence ending in a colon, with the list items that follow it."""
    if not sentence.rstrip().endswith(":"):
        return sentence
    items = []
    for item in following[:limit]:
        if not LIST_ITEM.match(item):
            break
        items.append(item)
    return " ".join([sentence, *items])
