"""The evaluation suite: load eval items, run them, summarise, and compare with a baseline.

The shape follows sentence-transformers' ``InformationRetrievalEvaluator``
(queries and what counts as relevant in, hit@k / MRR@k / nDCG@k out), with one
difference: an item names no passage ids, because passage ids change whenever
chunking changes. It names the documents that hold the answer and a few key
phrases of it instead, and a retrieved passage is relevant when it comes from
one of those documents and contains one of those phrases (see
:func:`is_relevant`). See ``evals/README.md`` for the item format.

I/O (:func:`load_items`, :func:`run_item`, the baseline file) is kept apart from
the pure computation (:func:`summarize`, :func:`compare`), which the tests
check on hand-made results. Writing reports is in :mod:`kennisbank.evalreport`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kennisbank.errors import KennisbankError
from kennisbank.evaluation import metrics
from kennisbank.evaluation.junk import junk_in

if TYPE_CHECKING:
    from kennisbank.knowledgebase import KnowledgeBase

#: Retrieval modes compared side by side; answers are evaluated for the first (the product default).
MODES = ("hybrid", "bm25", "dense")
#: Metrics are cut at rank K ...
K = 5
#: ... but DEPTH passages are retrieved, so that nDCG@K also counts relevant passages ranked below K
#: when it builds its ideal ranking (see :func:`kennisbank.evaluation.metrics.ndcg_at_k`). Hybrid fusion looks
#: 50 deep whatever ``top_k`` is, so its first K passages are the ones ``ask`` sees.
DEPTH = 10
RETRIEVAL_METRICS = ("hit@1", "hit@3", "hit@5", "mrr@5", "ndcg@5")
#: Answer metrics, scored on the answer text (see ``answer_row``):
#: key_phrase_cited      answerable: not refused and a cited passage is relevant
#: key_phrase_in_answer  answerable: not refused and a key phrase occurs in the answer text itself
#: false_refusal_rate    answerable: refused
#: en_false_refusal_rate answerable English questions: refused
#: list_completeness     list items: share of the expected items that occur in the answer text
#: refusal_rate          unanswerable: refused (and ``refusal_rate:<kind>`` per kind of missing information)
#: junk_rate             every item: the answer holds junk (``kennisbank.evaluation.junk``)
#: long_answer_rate      answered non-list items: the answer is longer than ``LONG_ANSWER`` words
#: answer_words          answered items: words in the answer (reported, not gated)
#: cited_page_right      items with a ``page``: not refused and the first relevant citation cites that page
ANSWER_METRICS = (
    "key_phrase_cited",
    "key_phrase_in_answer",
    "false_refusal_rate",
    "en_false_refusal_rate",
    "list_completeness",
    "refusal_rate",
    "junk_rate",
    "long_answer_rate",
    "answer_words",
    "cited_page_right",
)
#: The metrics where lower is better; every other metric is higher-is-better.
LOWER_IS_BETTER = frozenset(
    {"false_refusal_rate", "en_false_refusal_rate", "junk_rate", "long_answer_rate", "answer_words"}
)
#: Reported but not held by the baseline (not a rate: any change would trip the gate).
UNGATED = frozenset({"answer_words"})
#: An answer (not a list) longer than this many words is too long to read as an answer.
LONG_ANSWER = 120
#: The two halves of the item set: thresholds are chosen on ``calibration``, results reported on ``test``.
SPLITS = ("calibration", "test")
#: Kinds of missing information of unanswerable items (the refusal's ``missing``).
MISSING_KINDS = ("plaats", "jaar", "contact", "aantal", "bedrag", "naam", "datum", "duur", "onderwerp")


class EvalItemError(KennisbankError):
    """A line of the eval items file is not a valid item."""


class BaselineError(KennisbankError):
    """The baseline file cannot be read."""


@dataclass(frozen=True)
class EvalItem:
    """One question, the documents that answer it and phrases a relevant passage contains.

    ``split`` is ``calibration`` or ``test``; ``missing`` the kind of information an
    unanswerable item asks for and the documents lack; ``items`` the full list a list
    question expects (each must occur in the answer text); ``page`` the physical page
    (1-based) that holds the answer, for items on paged documents (PDF), or None.
    """

    id: str
    question: str
    docs: tuple[str, ...]
    key_phrases: tuple[str, ...]
    answerable: bool
    group: str
    category: str
    lang: str
    split: str = "calibration"
    missing: str = ""
    items: tuple[str, ...] = ()
    page: int | None = None


#: Field name -> (check, what the error says was expected).
_TEXT = "een niet-lege tekst"
_FIELDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "id": (lambda v: isinstance(v, str) and bool(v.strip()), _TEXT),
    "question": (lambda v: isinstance(v, str) and bool(v.strip()), _TEXT),
    "docs": (lambda v: isinstance(v, list) and all(isinstance(x, str) and x for x in v), "een lijst bestandsnamen"),
    "key_phrases": (
        lambda v: isinstance(v, list) and all(isinstance(x, str) and x.strip() for x in v),
        "een lijst niet-lege teksten",
    ),
    "answerable": (lambda v: isinstance(v, bool), "true of false"),
    "group": (lambda v: isinstance(v, str) and bool(v.strip()), _TEXT),
    "category": (lambda v: isinstance(v, str) and bool(v.strip()), _TEXT),
    "lang": (lambda v: isinstance(v, str) and bool(v.strip()), "een taalcode zoals 'nl'"),
    "split": (lambda v: v in SPLITS, " of ".join(SPLITS)),
}
#: Fields an item may leave out: (check, expected, default).
_OPTIONAL: dict[str, tuple[Callable[[Any], bool], str]] = {
    "missing": (lambda v: v in MISSING_KINDS, "een van " + ", ".join(MISSING_KINDS)),
    "items": (
        lambda v: isinstance(v, list) and all(isinstance(x, str) and x.strip() for x in v),
        "een lijst niet-lege teksten",
    ),
    "page": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1, "een paginanummer (1 of hoger)"),
}


def parse_item(line: str, where: str) -> EvalItem:
    """One JSON line as an item; ``where`` (``file:line``) starts any error message (Dutch, one line).

    Raises:
        EvalItemError: the line is not JSON, a field is missing, unknown or of the wrong kind.
    """
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise EvalItemError(f"{where}: geen geldige JSON ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise EvalItemError(f"{where}: verwacht een JSON-object")
    for name, (check, expected) in _FIELDS.items():
        if name not in data:
            raise EvalItemError(f"{where}: veld '{name}' ontbreekt")
        if not check(data[name]):
            raise EvalItemError(f"{where}: veld '{name}': verwacht {expected}, kreeg {data[name]!r}")
    for name, (check, expected) in _OPTIONAL.items():
        if name in data and not check(data[name]):
            raise EvalItemError(f"{where}: veld '{name}': verwacht {expected}, kreeg {data[name]!r}")
    allowed = [*_FIELDS, *_OPTIONAL]
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise EvalItemError(f"{where}: veld '{unknown[0]}' is onbekend; toegestaan: {', '.join(allowed)}")
    if data["answerable"]:
        for name in ("docs", "key_phrases"):
            if not data[name]:
                raise EvalItemError(f"{where}: veld '{name}': een beantwoordbaar item heeft er minstens één nodig")
        if "missing" in data:
            raise EvalItemError(f"{where}: veld 'missing': alleen voor een onbeantwoordbaar item")
    else:
        for name in ("docs", "key_phrases", "items"):
            if data.get(name):
                raise EvalItemError(f"{where}: veld '{name}': moet leeg zijn voor een onbeantwoordbaar item")
        if "missing" not in data:
            raise EvalItemError(f"{where}: veld 'missing' ontbreekt (verplicht voor een onbeantwoordbaar item)")
    return EvalItem(
        id=data["id"],
        question=data["question"],
        docs=tuple(data["docs"]),
        key_phrases=tuple(data["key_phrases"]),
        answerable=data["answerable"],
        group=data["group"],
        category=data["category"],
        lang=data["lang"],
        split=data["split"],
        missing=data.get("missing", ""),
        items=tuple(data.get("items", ())),
        page=data.get("page"),
    )


def load_items(path: Path) -> list[EvalItem]:
    """Read and check a JSON-lines items file; blank lines are skipped, ids must be unique."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvalItemError(f"{path}: evaluatie-items niet te lezen ({exc.strerror})") from exc
    items: list[EvalItem] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        item = parse_item(line, f"{path}:{number}")
        if item.id in seen:
            raise EvalItemError(f"{path}:{number}: veld 'id': {item.id!r} staat al op regel {seen[item.id]}")
        seen[item.id] = number
        items.append(item)
    if not items:
        raise EvalItemError(f"{path}: geen evaluatie-items")
    return items


# --- relevance -------------------------------------------------------------------------------------

_HYPHENATION = re.compile(r"-[ \t]*\n\s*(?=[a-zà-öø-ÿ])")
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Text as relevance compares it: words broken over a line end ("-\\n" before a lower-case
    letter) joined again, whitespace collapsed to one space, case folded."""
    return _SPACE.sub(" ", _HYPHENATION.sub("", text)).strip().casefold()


def is_relevant(item: EvalItem, doc: str, text: str) -> bool:
    """A passage is relevant to an item when it comes from one of the item's documents and
    contains one of its key phrases (both sides normalised the same way)."""
    if doc not in item.docs:
        return False
    body = normalize(text)
    return any(normalize(phrase) in body for phrase in item.key_phrases)


# --- running ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Retrieved:
    """What the report shows of a retrieved passage."""

    doc: str
    section: str
    text: str


@dataclass(frozen=True)
class ItemResult:
    """What running one item gave: relevance by rank per mode, and the hybrid answer.

    ``ranked[mode][i]`` is True when the passage at rank ``i + 1`` is relevant;
    ``cited_relevant`` is True when the answer cites at least one relevant passage;
    ``first`` is the hybrid rank-1 passage (None when nothing was retrieved); ``answer`` the
    answer text and ``junk`` the junk kinds found in it (``kennisbank.evaluation.junk``);
    ``cited_page`` the page the first relevant citation cites (``Citation.page``), None without one.
    """

    id: str
    ranked: dict[str, list[bool]]
    refused: bool
    cited_relevant: bool
    first: Retrieved | None = None
    answer: str = ""
    junk: tuple[str, ...] = ()
    cited_page: int | None = None


def run_item(kb: KnowledgeBase, item: EvalItem, modes: Sequence[str] = MODES, depth: int = DEPTH) -> ItemResult:
    """Search the item's question in every mode, and ask it as the product does."""
    ranked: dict[str, list[bool]] = {}
    first: Retrieved | None = None
    for mode in modes:
        passages = kb.search(item.question, depth, None, mode)
        ranked[mode] = [is_relevant(item, p.doc, p.text) for p in passages]
        if mode == modes[0] and passages:
            first = Retrieved(passages[0].doc, passages[0].section, passages[0].text)
    answer = kb.ask(item.question)
    relevant = [c for c in answer.citations if is_relevant(item, c.passage.doc, c.passage.text)]
    return ItemResult(
        id=item.id,
        ranked=ranked,
        refused=answer.refused,
        cited_relevant=not answer.refused and bool(relevant),
        first=first,
        answer=answer.text,
        junk=tuple(junk_in(answer.text, [c.passage.section for c in answer.citations])),
        cited_page=relevant[0].page if relevant and not answer.refused else None,
    )


# --- summary (pure) --------------------------------------------------------------------------------


def retrieval_row(ranked: Sequence[bool], k: int = K) -> dict[str, float]:
    """One item's retrieval metrics at ``k``: hit@1, hit@3, hit@k, MRR@k and nDCG@k."""
    row = metrics.retrieval_metrics(ranked, (1, 3, k))
    return {key: value for key, value in row.items() if key.startswith("hit@") or key.endswith(f"@{k}")}


def in_answer(phrase: str, answer: str) -> bool:
    """A phrase occurs in an answer text, both normalised (``normalize``) and [n] markers removed."""
    return normalize(phrase) in normalize(re.sub(r"\s*\[\d+\]", "", answer))


def answer_row(item: EvalItem, result: ItemResult) -> dict[str, float]:
    """One item's answer metrics (see ``ANSWER_METRICS``); each metric only on the items it applies to.

    Answerable: ``key_phrase_cited``, ``key_phrase_in_answer``, ``false_refusal_rate``, for English
    ``en_false_refusal_rate``, for list items ``list_completeness``. Unanswerable: ``refusal_rate``
    and ``refusal_rate:<missing>``. Every item: ``junk_rate``; answered items: ``answer_words`` and,
    unless a list item, ``long_answer_rate``.
    """
    row: dict[str, float] = {"junk_rate": float(bool(result.junk))}
    if not result.refused:
        words = len(re.findall(r"\w+(?:[-'’.,/]\w+)*", re.sub(r"\[\d+\]", "", result.answer)))
        row["answer_words"] = float(words)
        if not item.items:
            row["long_answer_rate"] = float(words > LONG_ANSWER)
    if item.answerable:
        answered = not result.refused
        row["key_phrase_cited"] = float(result.cited_relevant)
        row["key_phrase_in_answer"] = float(answered and any(in_answer(p, result.answer) for p in item.key_phrases))
        row["false_refusal_rate"] = float(result.refused)
        if item.lang == "en":
            row["en_false_refusal_rate"] = float(result.refused)
        if item.items:
            found = sum(in_answer(x, result.answer) for x in item.items) if answered else 0
            row["list_completeness"] = found / len(item.items)
        if item.page is not None:
            row["cited_page_right"] = float(answered and result.cited_page == item.page)
        return row
    row["refusal_rate"] = float(result.refused)
    row[f"refusal_rate:{item.missing or 'onderwerp'}"] = float(result.refused)
    return row


def _slice(pairs: Sequence[tuple[EvalItem, ItemResult]], modes: Sequence[str]) -> dict[str, Any]:
    """Counts, retrieval metrics per mode (answerable items only) and answer metrics of some items."""
    answerable = [(item, result) for item, result in pairs if item.answerable]
    retrieval = {
        mode: metrics.summarize([retrieval_row(r.ranked.get(mode, [])) for _, r in answerable]) for mode in modes
    }
    return {
        "items": len(pairs),
        "answerable": len(answerable),
        "retrieval": retrieval,
        "answers": metrics.summarize([answer_row(item, result) for item, result in pairs]),
    }


def _breakdown(
    pairs: Sequence[tuple[EvalItem, ItemResult]], keys: Callable[[EvalItem], Iterable[str]], modes: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """:func:`_slice` per key, in sorted order; an item is counted under each key it has."""
    groups: dict[str, list[tuple[EvalItem, ItemResult]]] = {}
    for item, result in pairs:
        for key in keys(item):
            groups.setdefault(key, []).append((item, result))
    return {key: _slice(groups[key], modes) for key in sorted(groups)}


def failure_reason(item: EvalItem, result: ItemResult, mode: str = MODES[0], k: int = K) -> str:
    """Why an item fails (Dutch), or "" when it passes."""
    if result.junk:
        return f"rommel in het antwoord: {', '.join(dict.fromkeys(result.junk))}"
    if not item.answerable:
        return "" if result.refused else "niet geweigerd (de documenten beantwoorden de vraag niet)"
    if not metrics.hit_at_k(result.ranked.get(mode, []), k):
        return f"geen relevante passage in de top {k}"
    if result.refused:
        return "geweigerd hoewel een relevante passage gevonden is"
    if not any(in_answer(p, result.answer) for p in item.key_phrases):
        if result.cited_relevant:
            return "de sleutelzin staat in een geciteerde passage maar niet in het antwoord"
        return "het antwoord citeert geen passage met een sleutelzin"
    if item.items and not all(in_answer(x, result.answer) for x in item.items):
        return "de lijst in het antwoord is onvolledig"
    if item.page is not None and result.cited_page != item.page:
        return f"het antwoord citeert pagina {result.cited_page}, het antwoord staat op pagina {item.page}"
    return ""


def _failing(pairs: Sequence[tuple[EvalItem, ItemResult]]) -> list[dict[str, Any]]:
    rows = []
    for item, result in pairs:
        reason = failure_reason(item, result)
        if reason:
            first = result.first
            rows.append(
                {
                    "id": item.id,
                    "question": item.question,
                    "split": item.split,
                    "answer": result.answer,
                    "reason": reason,
                    "expected_docs": list(item.docs),
                    "rank1": None if first is None else vars(first).copy(),
                }
            )
    return rows


def summarize(items: Sequence[EvalItem], results: Sequence[ItemResult]) -> dict[str, Any]:
    """The whole evaluation as a dict: overall metrics, breakdowns and failing items.

    Retrieval metrics are averaged over answerable items only (an unanswerable item has nothing
    relevant to find); ``key_phrase_cited`` and ``false_refusal_rate`` over answerable items,
    ``refusal_rate`` over unanswerable ones. Modes are those of the first result.
    """
    by_id = {result.id: result for result in results}
    missing = [item.id for item in items if item.id not in by_id]
    if missing:
        raise ValueError(f"no result for items {missing}")
    pairs = [(item, by_id[item.id]) for item in items]
    modes = list(results[0].ranked) if results else list(MODES)
    return {
        "k": K,
        "modes": modes,
        "overall": _slice(pairs, modes),
        "by_doc": _breakdown(pairs, lambda item: item.docs, modes),
        "by_group": _breakdown(pairs, lambda item: [item.group], modes),
        "by_category": _breakdown(pairs, lambda item: [item.category], modes),
        "by_lang": _breakdown(pairs, lambda item: [item.lang], modes),
        "by_split": _breakdown(pairs, lambda item: [item.split], modes),
        "by_missing": _breakdown(pairs, lambda item: [item.missing] if item.missing else [], modes),
        "failing": _failing(pairs),
    }


def coverage(index_docs: Iterable[str], items: Sequence[EvalItem]) -> dict[str, list[str]]:
    """Documents in the index that no item names (``uncovered``), and documents items name that
    the index lacks (``unknown``: such items can never pass)."""
    indexed = set(index_docs)
    named = {doc for item in items for doc in item.docs}
    return {"uncovered": sorted(indexed - named), "unknown": sorted(named - indexed)}


# --- baseline --------------------------------------------------------------------------------------


def gated_metrics(summary: Mapping[str, Any]) -> dict[str, float]:
    """The metrics the baseline holds: the default mode's retrieval metrics and the answer metrics,
    overall and per split (``test:key_phrase_in_answer``); ``UNGATED`` metrics are left out."""
    overall = summary["overall"]
    values = dict(overall["retrieval"][summary["modes"][0]])
    values.update(overall["answers"])
    for split, part in summary.get("by_split", {}).items():
        values.update({f"{split}:{name}": value for name, value in part["answers"].items()})
    return {name: float(value) for name, value in values.items() if name.rsplit(":", 1)[-1] not in UNGATED}


@dataclass(frozen=True)
class Regression:
    """A metric that got worse than the baseline by more than the tolerance."""

    metric: str
    baseline: float
    current: float | None

    def __str__(self) -> str:
        if self.current is None:
            return f"{self.metric}: staat in de baseline ({self.baseline:.3f}) maar is nu niet gemeten"
        return f"{self.metric} ging van {self.baseline:.3f} naar {self.current:.3f}"


def compare(current: Mapping[str, float], baseline: Mapping[str, float], tolerance: float) -> list[Regression]:
    """Baseline metrics that got worse by more than ``tolerance`` (absolute), in baseline order.

    Higher is better except for :data:`LOWER_IS_BETTER` (also after a ``split:`` prefix). Metrics
    measured now but absent from the baseline are not checked; a baseline metric not measured now
    is a regression.
    """
    regressions = []
    for name, before in baseline.items():
        now = current.get(name)
        if now is None:
            regressions.append(Regression(name, before, None))
            continue
        lower = name.rsplit(":", 1)[-1] in LOWER_IS_BETTER or name.split(":", 1)[0] in LOWER_IS_BETTER
        worse_by = now - before if lower else before - now
        if worse_by > tolerance + 1e-9:
            regressions.append(Regression(name, before, now))
    return regressions


def read_baseline(path: Path) -> dict[str, float] | None:
    """The baseline metrics, or None when there is no baseline file."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        values = data["metrics"]
        return {str(name): float(value) for name, value in values.items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        hint = "schrijf er een met 'kennisbank eval --update-baseline'"
        raise BaselineError(f"{path}: geen baselinebestand ({exc}); {hint}") from exc


def write_baseline(path: Path, summary: Mapping[str, Any]) -> dict[str, float]:
    """Store the gated metrics of a run as the new baseline; returns what was written."""
    values = {name: round(value, 4) for name, value in gated_metrics(summary).items()}
    data = {
        "note": "Geschreven door 'kennisbank eval --update-baseline'. Schrijf opnieuw na een bewuste wijziging "
        "van chunking, zoeken of antwoorden; zie evals/README.md.",
        "mode": summary["modes"][0],
        "k": summary["k"],
        "items": summary["overall"]["items"],
        "metrics": values,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return values
