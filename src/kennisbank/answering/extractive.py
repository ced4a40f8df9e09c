"""The extractive answerer (the default): answers quoted from the passages, or a precise refusal.

The extractive answerer invents nothing: every sentence of its answer is a
sentence of a retrieved passage (or, for table rows, the recovered cells),
followed by the [n] marker of that passage, after a scope line that names the
document, region and period it comes from. The steps:

1. analyse the question (``question.analyze``): answer type and constraints;
2. keep the passages that meet every place and year (``refusal.meets_*``);
   none left: refuse, saying which place or year the documents lack;
3. check the evidence of the passages that meet the place (dense similarity and word
   overlap, thresholds calibrated on the calibration half of ``evals/questions.jsonl``):
   it says whether the topic is covered; the year only picks the passages quoted ("de
   oude visie uit 2014" is judged on every passage about the visie);
4. score the candidate sentences (``evidence``); none that fits the answer type:
   refuse, saying what the documents do not name;
5. quote the best: at most ``max_sentences`` and ``max_words`` (the best sentence always), or a whole
   list / every matching row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from kennisbank.answering import evidence as ev
from kennisbank.answering.citations import CLOSEST, EMPTY_QUESTION, NO_ANSWER, Answer, Citation, growing
from kennisbank.answering.question import (
    SIGNING,
    Question,
    analyze,
    count_words,
    find_places,
    has_topic,
    search_words,
    sentence_words,
)
from kennisbank.answering.refusal import (
    SHOWN,
    VERSIONED,
    has_focus,
    meets_names,
    meets_places,
    meets_versions,
    meets_years,
    missing_kind,
    names_actor,
    place_refusal,
    type_refusal,
    year_refusal,
)
from kennisbank.answering.scope import Catalog, documents_about, places_of, scope_line
from kennisbank.conversation import condense, dangling
from kennisbank.ingest.documents import DocumentMeta
from kennisbank.passage import Passage
from kennisbank.text import fold, strip_heading

#: The table columns a row is quoted with unless the question asks who (or asks for the whole list).
ROW_COLUMNS = ("actie", "planning", "status", "onderwerp", "toezegging", "antwoord")
#: A question about who signed ("Wie heeft de brief ondertekend?", "who signed the letter").
SIGNED = re.compile(rf"\b({SIGNING}|tekent|signatory)\b")
#: A date question about the document itself: "Wanneer is de kamerbrief verstuurd?", "Wat is de datum van het
#: besluit?" (answered from its header's "Datum ..." line, ``evidence.date_line``).
DOCUMENT_DATE = re.compile(
    r"\b(brief|kamerbrief|besluit|deelbesluit|raadsvoorstel|voorstel|document|notitie|memo|besluitenlijst)\b.*"
    r"\b(verstuurd|gestuurd|verzonden|gedateerd|geschreven|ondertekend|genomen|uitgegeven)\b|"
    r"\bdatum van (de|het|dit|deze) \w*(brief|besluit|voorstel|document|notitie|memo|lijst)\b"
)
#: The line an answer to an English question starts its note with.
ENGLISH_NOTE = (
    "De vraag is in het Engels gesteld; het antwoord komt uit de Nederlandstalige documenten en is in het Nederlands."
)


@dataclass(frozen=True)
class Evidence:
    """How well the best passages support an answer: best dense cosine and best share of question words."""

    dense: float
    overlap: float

    def supports(self, min_dense: float, min_overlap: float, strong_dense: float) -> bool:
        """Enough when both agree a little, or the embeddings agree strongly."""
        return (self.dense >= min_dense and self.overlap >= min_overlap) or self.dense >= strong_dense


def question_terms(text: str) -> set[str]:
    """The stemmed content words of a text, as BM25 sees them."""
    return ev.stems(text)


def coverage(question: set[str], passage: Passage) -> float:
    """Share of the question's content words found in the passage (title and section included; see ``word_match``)."""
    if not question:
        return 0.0
    return len(ev.word_match(question, ev.stems(passage.index_text))) / len(question)


def evidence(question: str, passages: Sequence[Passage], depth: int = 3) -> Evidence:
    """The ``Evidence`` of the first ``depth`` passages for ``question``."""
    terms = question_terms(question)
    top = list(passages[:depth])
    return Evidence(
        dense=max((p.signals.get("dense", 0.0) for p in top), default=0.0),
        overlap=max((coverage(terms, p) for p in top), default=0.0),
    )


#: A proposed decision is read from at most this many passages in a row.
MAX_DECISION_PASSAGES = 3


class ExtractiveAnswerer:
    """Quotes the sentences of the top passages that answer the question, or refuses precisely.

    Thresholds: ``min_dense``/``min_overlap``/``strong_dense`` gate the passages (both agree
    a little, or the embeddings strongly); ``english_dense`` replaces them for English
    questions (no Dutch word overlap), which also pass when their best sentence scores ``english_sentence`` and
    matches ``english_words`` question words; ``min_score`` is the least sentence score to quote.
    Chosen on the calibration half of the evaluation set, see ``evals/README.md``.
    ``max_words`` caps the words of the sentences quoted beside the best one.
    ``weights`` weigh the sentence scores (``evidence.Weights``); more sentences are quoted when
    they score at least ``keep`` times the best (``neighbour`` times for the sentences beside it). ``catalog`` (document
    metadata, next passages) is attached by ``KnowledgeBase``.
    """

    generative = False

    def __init__(
        self,
        min_dense: float = 0.83,
        min_overlap: float = 0.3,
        strong_dense: float = 0.86,
        english_dense: float = 0.83,
        min_score: float = 0.6,
        max_sentences: int = 4,
        max_words: int = 110,
        depth: int = 5,
        catalog: Catalog | None = None,
        weights: ev.Weights = ev.WEIGHTS,
        keep: float = 0.4,
        neighbour: float = 0.5,
        english_sentence: float = 0.8,
        english_words: int = 4,
    ) -> None:
        self.min_dense = min_dense
        self.min_overlap = min_overlap
        self.strong_dense = strong_dense
        self.english_dense = english_dense
        self.english_sentence = english_sentence
        self.english_words = english_words
        self.min_score = min_score
        self.max_sentences = max_sentences
        self.max_words = max_words
        self.depth = depth
        self.catalog = catalog or Catalog()
        self.weights = weights
        self.keep = keep
        self.neighbour = neighbour

    def attach(self, catalog: Catalog) -> None:
        """Use the index's document metadata and passage order (``KnowledgeBase`` calls this)."""
        self.catalog = catalog

    def analyze(self, question: str) -> Question:
        """The question's answer type and constraints, with the indexed documents' places known."""
        return analyze(question, self.catalog.places(), self.catalog.synonyms, self.catalog.frequency)

    def answer(self, question: str, passages: Sequence[Passage]) -> Answer:
        """The answer quoted from ``passages`` (best first), or a refusal that says what is missing."""
        if not question.strip():
            return Answer(EMPTY_QUESTION, refused=True)
        asked = self.analyze(question)
        note = ENGLISH_NOTE if asked.lang == "en" else ""
        if asked.about_documents and self.catalog.documents:
            return self._collection(asked)
        if asked.about_places and asked.places:
            places, metas = places_of(asked.places[0], self.catalog)
            if places:
                return _places_answer(asked.places[0], places, metas, note)
            # which municipalities a region has is metadata (``places``); a passage that names the region answers
            # nothing about its municipalities ("Allen voor één" in Zaanstreek Waterland)
            text = f"De documenten noemen niet welke gemeenten onder {asked.places[0]} vallen."
            return _refusal(text, "plaats", passages[: self.depth], note)
        top = list(passages[: self.depth])
        if not top or not has_topic(asked):  # "Hoe laat is het?"
            return _refusal(NO_ANSWER, "onderwerp", top, note)
        pointing = dangling(asked.text)
        if pointing:  # "Wie betaalt dat?" as a first question: whatever is found, it is not what "dat" meant
            text = (
                f"Waar verwijst '{pointing}' naar? Noem in de vraag waar die over gaat (een document, regeling, ...)."
            )
            return _refusal(text, "onderwerp", [], note)
        placed = [p for p in top if meets_places(asked, p, self.catalog)]
        if not placed:
            return _refusal(place_refusal(asked.places, self.catalog), "plaats", top, note)
        dated = [p for p in placed if meets_years(asked, p)]
        if not dated:
            return _refusal(year_refusal(asked, top, placed=placed), "jaar", top, note)
        versioned = [p for p in dated if meets_versions(asked, p)]
        if not versioned:  # "release 4.0" and only release 3.1 is found
            versions = [ref for ref in asked.references if ref.split(" ", 1)[0] in VERSIONED]
            return _refusal(f"Over {' en '.join(versions)} staat niets in de documenten.", "onderwerp", top, note)
        dated = versioned
        named = [p for p in dated if meets_names(asked, p, self._kind(p))]
        if not named:
            return _refusal(type_refusal(asked), missing_kind(asked), top, note)
        dated = named
        named_note = _FOOTNOTE.search(fold(asked.asked))
        if named_note is not None:  # "Wat staat er in voetnoot 4 van het raadsvoorstel?"
            footnote = self._footnote(named_note.group(1), placed)
            if footnote is None:
                text = f"In de gevonden documenten staat geen voetnoot {named_note.group(1)} met tekst."
                return _refusal(text, "onderwerp", top, note)
            return _assemble([footnote], [footnote.passage], self.catalog, note)
        if asked.answer_type == "decision":
            decision = self._decision(asked, dated)
            if decision:
                return _assemble(decision, [c.passage for c in decision], self.catalog, note)
        early: list[ev.Candidate] | None = None
        if not self._supported(asked, placed):
            # An English question that its passages do not support as a whole can still have one sentence that
            # matches it well (in the glossary's Dutch words): "Can a judge have a child taken out of the home
            # straight away ...?" and "Is de situatie kritiek dan kan de rechter een kind onmiddellijk uit huis
            # plaatsen."
            early = self._choose(asked, dated) if asked.lang == "en" else []
            if not (early and self._sentence_supports(early[0])):
                kind = missing_kind(asked) if asked.strict else "onderwerp"
                text = type_refusal(asked) if asked.strict else NO_ANSWER
                return _refusal(text, kind, top, note)
        if asked.years and not self._on_topic(asked, dated):
            # the topic is covered, but only passages about something else hold the year ("de regiovisie van 2010"
            # and a zoning plan "Villawijken 2010")
            return _refusal(year_refusal(asked, top, placed=placed), "jaar", top, note)
        rows = self._rows(asked, dated)
        if rows:
            return _assemble(rows, [c.passage for c in rows], self.catalog, note)
        chosen = early if early else self._choose(asked, dated)
        if not chosen:
            kind = missing_kind(asked) if asked.answer_type != "other" else "onderwerp"
            text = type_refusal(asked) if kind != "onderwerp" else NO_ANSWER
            return _refusal(text, kind, top, note)
        if _ASKS_SOURCE.search(fold(asked.asked)) and not any(c.passage.form == "note" for c in chosen):
            chosen = [*chosen, *self._source_note(asked, chosen[0])]  # where the quoted figure comes from
        placed_note = place_note(asked, [c.passage for c in chosen], self.catalog)
        return _assemble(chosen, dated, self.catalog, _joined(note, placed_note))

    def stream(self, question: str, passages: Sequence[Passage]) -> Iterator[str | Answer]:
        """The extractive answer's text in growing prefixes, then the ``Answer``."""
        answer = self.answer(question, passages)
        yield from growing(answer.text)
        yield answer

    def condense(self, history: Sequence[tuple[str, str]], question: str) -> str:
        """The rule of ``kennisbank.conversation.condense`` over the earlier questions."""
        return condense([asked for asked, _ in history], question)

    # --- steps -------------------------------------------------------------------------------------

    def _supported(self, asked: Question, passages: Sequence[Passage]) -> bool:
        """The passage-level gate: dense and word overlap (Dutch), or dense alone (English)."""
        found = evidence(search_words(asked), passages, self.depth)
        if asked.lang == "en":
            return found.dense >= self.english_dense or found.overlap >= 0.5
        return found.supports(self.min_dense, self.min_overlap, self.strong_dense)

    def _sentence_supports(self, best: ev.Candidate) -> bool:
        """An English question's best sentence carries it alone: it scores ``english_sentence`` and matches
        ``english_words`` of the question's words (with their Dutch glossary words)."""
        return best.score >= self.english_sentence and len(best.matched) >= self.english_words

    def _on_topic(self, asked: Question, passages: Sequence[Passage]) -> bool:
        """Some of ``passages`` (those that hold the question's year) share ``min_overlap`` of the question's
        words other than its years."""
        terms = question_terms(search_words(asked)) - set(asked.years)
        return not terms or any(coverage(terms, p) >= self.min_overlap for p in passages[: self.depth])

    def _choose(self, asked: Question, passages: Sequence[Passage]) -> list[ev.Candidate]:
        """The sentences to quote: the best fitting one, and others nearly as good (at most ``max_sentences``
        and ``max_words`` words in all)."""
        terms = question_terms(sentence_words(asked))
        columns = None if asked.answer_type in ("person", "organisation", "list") else ROW_COLUMNS
        found = ev.candidates(passages, self.catalog.following, columns)
        weight = ev.rarity(terms, self.catalog.frequency, len(self.catalog.passages), self.weights.rarity)
        scored = ev.inherit([ev.score(asked, terms, c, self.weights, weight) for c in found], asked)
        # A sentence shares a word with the question, or opens a Q&A answer or glossary entry; a specific
        # fact (a number, date, duration ...) only in a sentence that names what it is about.
        loose = ("qa", "term") if not asked.strict and asked.answer_type != "yesno" else ()
        every = scored
        scored = [c for c in scored if asked.lang == "en" or _about(asked, c) or c.passage.form in loose]
        if _ASKS_SOURCE.search(fold(asked.asked)):  # where a fact comes from: its footnote says so first
            scored = [replace(c, score=c.score + 0.5) if c.passage.form == "note" else c for c in scored]
        elif asked.answer_type != "contact":
            # a literature list answers no question but one about sources
            scored = [
                c for c in scored if not _WEB_ADDRESS.search(c.text) and not _LITERATURE.search(c.passage.section)
            ]
        if asked.answer_type == "definition":
            scored = [_definition_bonus(c, asked) for c in scored]
        fitting = [
            c
            for c in scored
            if ev.fits(asked, c.text)
            and has_focus(asked, c.text)
            and names_actor(asked, c.text, c.passage)
            and not ev.item_lacks(asked, terms, c)
        ]
        if asked.places:  # a table by municipality: the rows of the places asked, not their neighbours'
            known = self.catalog.places()
            fitting = [c for c in fitting if not _row_of_another_place(asked, c.text, known)]
        fitting.sort(key=lambda c: -c.score)
        signing = SIGNED.search(fold(asked.asked)) is not None
        signed = self._signed(asked, passages) if signing else []
        if signed:
            return signed  # who signed the letter: its closing block, not a sentence that names people
        dated = self._dated(asked, passages)
        if dated:
            return dated  # when the letter is dated: its header, not a date in its text
        if not fitting or fitting[0].score < self._threshold(asked):
            return [] if signing else self._signed(asked, passages)  # a signing question was looked up above
        best = fitting[0]
        if asked.list_size:
            sized = [c for c in fitting if len(c.items) == asked.list_size]
            # the list that says its own size ("De volgende vier principes ...") before one that only has it
            words = count_words(asked.list_size)
            sized.sort(key=lambda c: not re.search(rf"\b({'|'.join(words)})\b", fold(ev.lead_of(c))))
            if sized:
                return [sized[0]]
        if best.items and asked.answer_type in ("list", "procedure") and asked.list_size is None:
            return [best]
        chosen = [best]
        per_passage = {best.rank: 1}
        by_place = {(c.rank, c.order): c for c in fitting}
        considered = {(best.rank, best.order)}
        while len(chosen) < self.max_sentences:
            # a sentence that goes on from a quoted one by pointing back ("Deze informatie wordt meegenomen ...")
            # comes before the rest: it finishes what the quoted sentence began
            after = (by_place.get((q.rank, q.order + 1)) for q in chosen)
            follow = (
                c for c in after if c is not None and (c.rank, c.order) not in considered and ev.refers_back(c.text)
            )
            rest = (c for c in fitting if (c.rank, c.order) not in considered)
            candidate = next(follow, None) or next(rest, None)
            if candidate is None:
                break
            considered.add((candidate.rank, candidate.order))
            beside = candidate.rank == best.rank and abs(candidate.order - best.order) == 1
            keep = self.neighbour if beside else self.keep
            if (
                candidate.score < max(self._threshold(asked), keep * best.score)
                or per_passage.get(candidate.rank, 0) >= 3
            ):
                continue
            if any(ev.near_duplicate(candidate.text, other.text) for other in chosen):
                continue
            if sum(_words(c, asked) for c in chosen) + _words(candidate, asked) > self.max_words:
                continue
            if candidate.items and len(chosen) > 1:
                continue
            per_passage[candidate.rank] = per_passage.get(candidate.rank, 0) + 1
            chosen.append(candidate)
        if asked.strict:  # one fact asked: of a list, the item that holds it (with its lead-in), not every item
            chosen = [_anchored(c) for c in chosen]
        return _with_examples(_with_antecedents(chosen, scored), every)

    def _signed(self, asked: Question, passages: Sequence[Passage]) -> list[ev.Candidate]:
        """Who holds the role a person question names, from a signature ("De heer T.J. Romeyn / burgemeester"
        under the Heiloo raadsvoorstel), when no sentence says it; else who signed a letter ("Welke ministers
        hebben de brief ondertekend?") from its closing block (``evidence.closing``) in the passages or the
        rest of the first one's document; [] when neither names anybody."""
        if asked.answer_type != "person":
            return []
        signing = bool(SIGNED.search(fold(asked.asked))) and bool(passages)
        asked_role = asked.focus or (asked.head if signing else "")  # "Welke burgemeester heeft ... ondertekend?"
        # a document names its signers and portfolio holder once, in its header or at its end: look there too
        behind = (
            [p for p in self.catalog.of_document(passages[0].doc) if p not in passages]
            if (signing or asked_role) and passages
            else []
        )
        if signing and not asked_role:
            named_role = _AS_ROLE.search(fold(asked.asked))  # "Wie ondertekende als voorzitter ...?"
            asked_role = named_role.group(1) if named_role else ""
        if asked_role:
            for rank, passage in enumerate([*passages, *behind]):
                for _name, role, quote in ev.signatures(passage):
                    if _same_role(role, asked_role):
                        return [ev.Candidate(rank, 0, quote, passage, score=1.0, anchor=quote)]
        if signing:
            for rank, passage in enumerate([*passages, *behind]):
                block = ev.closing(passage)
                # a role asked is named in the block: the chair's letter, not another letter in the same bundle
                named = not asked_role or any(_same_role(word, asked_role) for word in re.findall(r"\w+", fold(block)))
                if block and named and meets_places(asked, passage, self.catalog):
                    return [ev.Candidate(rank, 0, block, passage, score=1.0, anchor=block)]
        return []

    def _dated(self, asked: Question, passages: Sequence[Passage]) -> list[ev.Candidate]:
        """The "Datum ..." line of the first passage's document for a question when the document itself is
        dated ("Wanneer is de kamerbrief verstuurd?"); [] for other questions or without such a line."""
        if asked.answer_type != "date" or not passages or not DOCUMENT_DATE.search(fold(asked.asked)):
            return []
        for rank, passage in enumerate([*passages[:1], *self.catalog.of_document(passages[0].doc)]):
            line = ev.date_line(passage)
            if line:
                return [ev.Candidate(rank, 0, line, passage, score=1.0, anchor=line)]
        return []

    def _kind(self, passage: Passage) -> str:
        meta = self.catalog.documents.get(passage.doc)
        return meta.kind if meta is not None else ""

    def _threshold(self, asked: Question) -> float:
        return self.min_score - (0.25 if asked.lang == "en" else 0.0)

    def _source_note(self, asked: Question, best: ev.Candidate) -> list[ev.Candidate]:
        """For a question about a source, the footnote of the best sentence's passage (``Passage.notes``) that
        shares most of the question's words ("Uit welk onderzoek komt dat cijfer ...?": "Tierolf ... Onderzoek
        naar effectiviteit ..."); [] when the passage has no footnote passage or none shares a word."""
        notes = {" ".join(n.split(None, 1)[-1].split()) for n in best.passage.notes}
        found = [
            p
            for p in self.catalog.of_document(best.passage.doc)
            if p.form == "note" and " ".join(p.text.split()) in notes
        ]
        terms = question_terms(sentence_words(asked))
        scored = [ev.score(asked, terms, ev.Candidate(best.rank, 0, " ".join(p.text.split()), p)) for p in found]
        scored = [c for c in scored if c.matched]
        return [max(scored, key=lambda c: c.score)] if scored else []

    def _footnote(self, number: str, passages: Sequence[Passage]) -> ev.Candidate | None:
        """Footnote ``number`` ("voetnoot 4") of the first of the passages' documents that has one as a passage
        (``Passage.form`` "note": a footnote that says something); None when none has."""
        for doc in dict.fromkeys(p.doc for p in passages):
            for passage in self.catalog.of_document(doc):
                if passage.form == "note" and passage.section.endswith(f"voetnoot {number}"):
                    return ev.Candidate(0, 0, " ".join(passage.text.split()), passage, score=1.0)
        return None

    def _decision(self, asked: Question, passages: Sequence[Passage]) -> list[ev.Candidate]:
        """The proposed decision of a raadsvoorstel among (or behind) the passages' documents: one candidate per
        passage it is read from (a long decision runs on into the next passage), [] when there is none."""
        docs = list(dict.fromkeys(p.doc for p in passages))
        named = [fold(name) for name in asked.names]
        for doc in docs:
            for passage in self.catalog.of_document(doc):
                # an agenda item of a besluitenlijst holds its decision ("Besluit: 1. ..."); a question naming
                # what was decided ("over JeugdhulpPlus") wants that item's, not the first item's
                agenda = passage.form == "agenda" and "besluit:" in fold(passage.text)
                if "besluit" not in fold(passage.section) and not agenda:
                    continue
                if named and not any(name in fold(f"{passage.section} {passage.text}") for name in named):
                    continue
                if not meets_places(asked, passage, self.catalog):
                    continue
                kept: list[tuple[Passage, str]] = []
                for part, sentence in self._decision_sentences(passage):
                    reason = ev.junk(sentence, passage.section)
                    # a decision in parts: "2. Het college opdracht te geven om:" with its items "a. ...;"
                    if reason and not (reason == "dubbele punt" or (kept and ev.is_item(sentence))):
                        if kept:
                            break
                        continue
                    kept.append((part, " ".join(sentence.split())))
                parts = [
                    (part, " ".join(text for source, text in kept if source is part))
                    for part in dict.fromkeys(source for source, _ in kept)
                ]
                if parts:
                    parts[-1] = (parts[-1][0], _without_dangling_lead_in(parts[-1][1]))
                found = [ev.Candidate(0, 0, text, part, score=1.0) for part, text in parts if text]
                if found:
                    return found
        return []

    def _decision_sentences(self, passage: Passage) -> Iterator[tuple[Passage, str]]:
        """The sentences of a decision passage, then of the passages after it under the same heading (a long
        decision is cut into several passages: points 3 and 4 after points 1 and 2), each with its passage."""
        section = passage.section
        for _ in range(MAX_DECISION_PASSAGES):
            for sentence in ev.sentences(strip_heading(passage.text, section.rsplit(" > ", 1)[-1])):
                yield passage, sentence
            after = self.catalog.following.get(passage.id)
            if after is None or after.section != section:
                return
            passage = after

    def _rows(self, asked: Question, passages: Sequence[Passage]) -> list[ev.Candidate]:
        """Every action row of the documents whose planning names the question's year (a list question)."""
        if asked.answer_type != "list" or not asked.years or "actie" not in fold(asked.text):
            return []
        docs = {p.doc for p in passages}
        rows: list[ev.Candidate] = []
        for passage in self.catalog.passages:
            action = passage.doc in docs and passage.form == "action" and bool(passage.fields)
            if action and _covers_years(passage.fields.get("planning", ""), asked.years):
                rows.append(ev.Candidate(len(rows), 0, ev.row_text(passage.fields), passage))
        return rows

    def _collection(self, asked: Question) -> Answer:
        """A question about the collection, answered from the document metadata."""
        about, metas = documents_about(asked.asked, self.catalog)
        if not metas:
            return Answer(f"Geen van de documenten gaat over {about}.", refused=True)
        lines = [
            f"- {meta.title or meta.doc} ({', '.join(x for x in (meta.region, meta.period) if x)})" for meta in metas
        ]
        head = f"Over {about} gaan deze documenten:" if about else "De kennisbank bevat deze documenten:"
        return Answer("\n".join([head, *lines]), refused=False)


def _words(candidate: ev.Candidate, asked: Question) -> int:
    """The words ``candidate`` adds to the answer: of a list, for a question that asks one fact, only its lead-in
    and the item that holds the fact (``_anchored``)."""
    return len((_anchored(candidate) if asked.strict else candidate).text.split())


def _anchored(candidate: ev.Candidate) -> ev.Candidate:
    """A list candidate cut to its lead-in and the item that answers (``Candidate.anchor``): "Enkele feiten op
    een rij, gebaseerd op cijfers uit 2023: • Veilig Thuis ontving ... 6.251 meldingen ..." instead of all
    eight bullets, with " … " where items between them are left out; other candidates as they are."""
    if not candidate.items or candidate.anchor not in candidate.items:
        return candidate
    lead = ev.lead_of(candidate)
    skipped = " … " if candidate.items.index(candidate.anchor) > 0 else " "  # items left out between them
    text = f"{lead}{skipped}{candidate.anchor}" if lead else candidate.anchor
    return replace(candidate, text=text, items=(candidate.anchor,))


#: A full web address: the sentence or list that holds one is a source reference ("• Verenigingsstrategie VNG
#: 2030 (2023) https://vng.nl/..."), quoted only for a question that asks for a source or contact details. A site
#: named in the text ("op www.scheidingsplein.nl") is part of what a sentence says.
_WEB_ADDRESS = re.compile(r"https?://", re.I)
#: The heading of a literature list or of a document's endnotes (the passages under it are sources).
_LITERATURE = re.compile(
    r"(?:^|> )(?:[\w ]+ en )?(literatuur\w*|bronnen\w*|bronvermelding|referenties|eindnoten|noten|references)\s*$",
    re.I,
)
#: A question that asks for a source: which report, study, document or footnote something comes from.
_ASKS_SOURCE = re.compile(
    r"\b(bron\w*|rapport\w*|onderzoek|studie|literatuur|publicatie\w*|handreiking\w*|document\w*|voetnot\w*|"
    r"verwijs\w*|verwijst|website|link|source\w*|report\w*|study|studies|literature|publication\w*|refer\w*)\b"
)


#: A footnote named by its number: "voetnoot 4", "footnote 4".
_FOOTNOTE = re.compile(r"\b(?:voetnoot|footnote)\s+(\d{1,3})\b")
#: The role a signing question names after "als" ("Wie ondertekende als voorzitter ...?").
_AS_ROLE = re.compile(r"\bals\s+(?:de\s+|het\s+)?([a-z]{4,})")


def _about(asked: Question, candidate: ev.Candidate) -> bool:
    """The candidate shares a word with the question, other than the question's places and a piece of a name it
    names by no word of that name: "veiligheid" shares "veilig" with "Veilig Thuis" and is not about Veilig
    Thuis; "Samen Veilig" is about "Samen Veilig Arnhem-Achterhoek". For a yes/no question, a word other than
    its names too."""
    words = set(re.findall(r"\w+", fold(candidate.text)))
    pieces = {
        stem
        for name in asked.names
        if " " in name and not words & set(re.findall(r"\w+", fold(name)))
        for stem in question_terms(name)
    }
    # a place is a constraint (``meets_places``), not the topic: "Wat doen de gecertificeerde instellingen in
    # Noord-Holland Noord?" is not about every sentence that names Noord-Holland Noord
    pieces |= question_terms(" ".join(asked.places))
    if asked.answer_type == "yesno":
        # a yes/no question is about what it says of its names: "Is Veilig Thuis in Noord-Holland Noord 24/7
        # bereikbaar?" is not answered by a sentence that only names Veilig Thuis in Noord-Holland Noord
        # a name's lower-case tail is said of it: "vestiging" in "Heeft Texel een eigen Veilig Thuis-vestiging?"
        named = " ".join(re.sub(r"-[a-z][\w-]*$", "", name) for name in asked.names)
        said = question_terms(sentence_words(asked)) - question_terms(named) - pieces
        if said:
            return bool(candidate.matched & said)
    return bool(candidate.matched - pieces)


#: Roles that name the same person in a raadsvoorstel: its "Portefeuillehouder" is the responsible wethouder.
_SAME_ROLES = ({"wethouder", "portefeuillehouder"},)


def _same_role(signed: str, asked: str) -> bool:
    """A signature's role is the role asked: the same word, one is the head of the other's compound
    ("secretaris" under the letter, "gemeentesecretaris" in the question), or both are in ``_SAME_ROLES``."""
    a, b = sorted((_singular(fold(signed).strip()), _singular(fold(asked).strip())), key=len)
    return a == b or (len(a) >= 5 and b.endswith(a)) or any({a, b} <= roles for roles in _SAME_ROLES)


def _singular(role: str) -> str:
    """ "ministers" -> "minister", "secretarissen" -> "secretaris" (roles only; no general stemmer needed)."""
    for plural, single in (("issen", "is"), ("euren", "eur"), ("ers", "er")):
        if role.endswith(plural):
            return role[: -len(plural)] + single
    return role


def _places_answer(region: str, places: Sequence[str], metas: Sequence[DocumentMeta], note: str) -> Answer:
    """Which municipalities a region has, from the documents' metadata, saying so (no passage says it)."""
    titles = "; ".join(meta.title or meta.doc for meta in metas)
    text = (
        f"Volgens de gegevens bij de documenten (metadata.toml, niet de tekst zelf) horen bij {region} "
        f"{len(places)} gemeenten: {', '.join(places)}. Documenten van {region}: {titles}."
    )
    return Answer(text, refused=False, note=note)


def _row_of_another_place(asked: Question, text: str, known: Iterable[str]) -> bool:
    """``text`` is a table row ("Almere (Totale inwonerbijdrage ...): 2026: 6.947; ...", "Almere — Aantal
    inwoners: 229.570; ...") whose label names a place the question does not."""
    head, dash, rest = text.partition(" — ")
    if ev.ROW_LABEL.match(text):
        label = text.partition(":")[0]
    elif dash and ": " in rest and len(head) <= 60:
        label = head
    else:
        return False
    named = find_places(label, known)
    return bool(named) and not set(named) & set(asked.places)


def _covers_years(planning: str, years: Sequence[str]) -> bool:
    """A planning cell ("2021-2023", "2022") covers each year in ``years``."""
    spans = [(int(a), int(b or a)) for a, b in re.findall(r"(20\d\d)(?:\s*[-–]\s*(20\d\d))?", planning)]
    return bool(spans) and all(any(a <= int(y) <= b for a, b in spans) for y in years)


def place_note(asked: Question, passages: Sequence[Passage], catalog: Catalog | None = None) -> str:
    """When a place of the question is met only through the documents' metadata (the passages do not name it),
    the line that says so: "Doetinchem wordt in deze passages niet apart genoemd; wat er staat geldt voor de
    regio Arnhem-Achterhoek." ("" otherwise). A document title names the place for its passages only when the
    document is about that place alone (``catalog``'s metadata): "Zevenaar: ... regiovisie Arnhem-Achterhoek"
    quotes the region's figures, "Raadsvoorstel Heiloo" Heiloo's."""
    documents = catalog.documents if catalog is not None else {}

    def titled(place: str, passage: Passage) -> bool:
        meta = documents.get(passage.doc)
        alone = meta is None or not meta.places or [fold(p) for p in meta.places] == [fold(place)]
        # a council's commitments are its own: the rows of "Zevenaar: toezeggingen ..." are Zevenaar's
        alone = alone or passage.form == "commitment"
        return alone and fold(place) in fold(f"{passage.title} {passage.region}")

    lines = []
    for place in asked.places:
        named = any(fold(place) in fold(f"{p.text} {p.section}") or titled(place, p) for p in passages)
        regions = sorted({p.region for p in passages if p.region and fold(p.region) != fold(place)})
        if not named and regions:
            lines.append(
                f"{place} wordt in deze passages niet apart genoemd; wat er staat geldt voor de regio "
                f"{' en '.join(regions)}, waar {place} onder valt."
            )
    return " ".join(lines)


def _joined(*notes: str) -> str:
    return " ".join(note for note in notes if note)


def _with_neighbours(
    chosen: list[ev.Candidate],
    candidates: Sequence[ev.Candidate],
    step: int,
    belongs: Callable[[ev.Candidate, ev.Candidate], bool],
) -> list[ev.Candidate]:
    """``chosen`` with, beside each quoted sentence, the sentence ``step`` places from it in its passage (-1 the
    one before, 1 the one after) when ``belongs(quoted, neighbour)`` and the neighbour is among ``candidates``
    (quotable), each sentence once."""
    by_place = {(c.rank, c.order): c for c in candidates}
    places = {(c.rank, c.order) for c in chosen}
    result: list[ev.Candidate] = []
    for candidate in chosen:
        other = by_place.get((candidate.rank, candidate.order + step))
        if other is None or (other.rank, other.order) in places or not belongs(candidate, other):
            result.append(candidate)
            continue
        places.add((other.rank, other.order))
        result.extend([other, candidate] if step < 0 else [candidate, other])
    return result


def _with_antecedents(chosen: list[ev.Candidate], scored: Sequence[ev.Candidate]) -> list[ev.Candidate]:
    """``chosen`` with the sentence before each quoted sentence that refers back to it ("Daarvoor is de
    ZSM-aanpak bedoeld" needs the sentence that says what "daarvoor" is), when that sentence is quotable."""
    return _with_neighbours(chosen, scored, -1, lambda quoted, _before: ev.refers_back(quoted.text))


#: A sentence that gives the examples the sentence before it announces ("Denk aan Welzijn op Recept ...").
_EXAMPLES = re.compile(r"^(Denk (hierbij |daarbij )?aan|Bijvoorbeeld|Voorbeelden (hiervan |daarvan )?zijn)\b")


def _with_examples(chosen: list[ev.Candidate], every: Sequence[ev.Candidate]) -> list[ev.Candidate]:
    """``chosen`` with the sentence after a quoted sentence when it gives that sentence's examples ("Inmiddels
    zijn er veel goede voorbeelden ... Denk aan Welzijn op Recept 2.0, ..."), when that sentence is quotable."""
    return _with_neighbours(chosen, every, 1, lambda _quoted, after: _EXAMPLES.match(after.text) is not None)


def _without_dangling_lead_in(text: str) -> str:
    """``text`` without a last item or clause that ends in a colon whose list is not there ("3. In te
    stemmen met de inzet van de volgende middelen:"); "" when nothing else would be left."""
    if not text.rstrip().endswith(":"):
        return text
    items = [m.start() for m in re.finditer(r"\s\(?\d{1,2}[.)]\s", text)]
    if items:
        return text[: items[-1]].strip()  # up to the numbered item that dangles
    cut = text.rfind(". ")
    return text[: cut + 1].strip() if cut > 0 else ""


def _definition_bonus(candidate: ev.Candidate, asked: Question) -> ev.Candidate:
    """The first sentence of a glossary entry or Q&A answer defines: it ranks first among its passage's; so
    does an entry of a list of definitions whose term the question names ("o. triage: een eerste ...")."""
    if candidate.passage.form in ("term", "qa") and candidate.position <= 2:
        return replace(candidate, score=candidate.score + 0.3 - 0.1 * candidate.position)
    term = fold(ev.defined_term(candidate.text))
    if term and re.search(rf"\b{re.escape(term)}\b", fold(asked.asked)):
        return replace(candidate, score=candidate.score + 0.3)
    return candidate


def _refusal(text: str, missing: str, closest: Sequence[Passage], note: str = "") -> Answer:
    """A refusal: what is missing, then the closest passages, marked as not the answer."""
    body = f"{text} {CLOSEST}" if closest else text
    return Answer(body, refused=True, closest=list(closest[:SHOWN]), note=note, missing=missing)


def _by_passage(candidate: ev.Candidate, catalog: Catalog) -> list[ev.Candidate]:
    """A list whose items go on in the next passage (a list cut by chunking, ``evidence.candidates``) as two
    quotes, each cited to the passage that holds it: the lead-in and first items, then the rest."""
    after = catalog.following.get(candidate.passage.id)
    if not candidate.items or after is None:
        return [candidate]
    own = " ".join(candidate.passage.text.split())
    here = [item for item in candidate.items if " ".join(item.split()) in own]
    rest = candidate.items[len(here) :]
    if not here or not rest or not all(" ".join(item.split()) in " ".join(after.text.split()) for item in rest):
        return [candidate]
    lead = ev.lead_of(candidate)
    first = replace(candidate, text=" ".join([lead, *here] if lead else here), items=tuple(here))
    rest_text = " ".join(rest)
    return [first, replace(candidate, passage=after, text=rest_text, items=tuple(rest), position=-1, anchor="")]


def _assemble(chosen: Sequence[ev.Candidate], passages: Sequence[Passage], catalog: Catalog, note: str) -> Answer:
    """A scope line per document, then its sentences in document order, each with its passage's [n]."""
    parts_of: list[ev.Candidate] = []
    for part in (part for candidate in chosen for part in _by_passage(candidate, catalog)):
        # the rest of a list cut by chunking may also have been chosen as the next passage's own list: once
        if not any(c.passage.id == part.passage.id and part.text in c.text for c in parts_of):
            parts_of.append(part)
    chosen = parts_of
    numbers: dict[str, int] = {}
    quoted: dict[str, list[str]] = {}
    anchors: dict[str, str] = {}
    for candidate in sorted(chosen, key=lambda c: -c.score):  # the best quoted piece of each passage
        anchors.setdefault(candidate.passage.id, candidate.anchor or candidate.text)
    by_id: dict[str, Passage] = {}
    groups: dict[str, list[ev.Candidate]] = {}
    for candidate in chosen:
        groups.setdefault(candidate.passage.doc, []).append(candidate)
    parts = []
    for doc, members in groups.items():
        members.sort(key=lambda c: (c.passage.start, c.position))
        sentences = []
        for candidate in members:
            pid = candidate.passage.id
            n = numbers.setdefault(pid, len(numbers) + 1)
            by_id[pid] = candidate.passage
            quoted.setdefault(pid, []).append(candidate.text)
            sentences.append(f"{candidate.text} [{n}]")
        scope = scope_line(members[0].passage, catalog.documents.get(doc))
        parts.append(f"{scope}: " + " ".join(sentences))
    citations = [Citation(n, by_id[pid], tuple(quoted[pid]), anchors.get(pid, "")) for pid, n in numbers.items()]
    return Answer("\n\n".join(parts), refused=False, citations=citations, note=note)
