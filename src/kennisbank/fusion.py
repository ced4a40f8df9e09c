"""Reciprocal rank fusion of ranked lists: a small pure function."""

from __future__ import annotations

from collections.abc import Sequence

#: The constant from the paper. It damps the weight of the very first ranks so
#: that one list's top hit cannot outvote agreement between lists: with k=60 the
#: 1st rank is worth 1/61 and the 10th still 1/70.
RRF_K = 60


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]],
    k: int = RRF_K,
    weights: Sequence[float] | None = None,
) -> list[tuple[str, float]]:
    """Fuse ranked id lists into one, best first, as ``(id, score)``.

    score(d) = sum over lists r of weight_r / (k + rank_r(d)), rank counted from 1;
    an id missing from a list gets nothing from it (Cormack, Clarke & Büttcher,
    "Reciprocal Rank Fusion outperforms Condorcet and individual rank learning
    methods", SIGIR 2009). Only ranks matter, so BM25 and cosine scores need no
    normalisation. Equal scores keep the order of first appearance (earlier list,
    then better rank), so the result is deterministic. Duplicate ids within one
    list count once, at their best rank.
    """
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    weights = _checked_weights(weights, len(rankings))
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        seen: set[str] = set()
        for rank, doc_id in enumerate(ranking, start=1):
            if doc_id in seen:
                continue
            seen.add(doc_id)
            scores[doc_id] = scores.get(doc_id, 0.0) + weight / (k + rank)
    order = {doc_id: i for i, doc_id in enumerate(scores)}
    return sorted(scores.items(), key=lambda item: (-item[1], order[item[0]]))


def convex_fusion(
    rankings: Sequence[Sequence[tuple[str, float]]],
    weights: Sequence[float] | None = None,
) -> list[tuple[str, float]]:
    """Fuse scored lists into one, best first, as ``(id, score)``: a convex combination of scores.

    score(d) = sum over lists r of weight_r * (s_r(d) - min_r) / (max_r - min_r), with min and
    max taken over list r as retrieved; an id missing from a list gets 0 from it (Bruch, Gai &
    Ingber, "An Analysis of Fusion Functions for Hybrid Retrieval", ACM TOIS 2023, found this
    convex combination of min-max normalised scores better than RRF and easy to calibrate on few
    queries). Unlike RRF it keeps how far ahead a list's best hit is. A list whose scores are all
    equal gives each of its ids the full weight. Equal fused scores keep first appearance order.
    """
    weights = _checked_weights(weights, len(rankings))
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        if not ranking:
            continue
        values = [score for _, score in ranking]
        low, high = min(values), max(values)
        span = high - low
        seen: set[str] = set()
        for doc_id, score in ranking:
            if doc_id in seen:
                continue
            seen.add(doc_id)
            scores[doc_id] = scores.get(doc_id, 0.0) + weight * ((score - low) / span if span > 0 else 1.0)
    order = {doc_id: i for i, doc_id in enumerate(scores)}
    return sorted(scores.items(), key=lambda item: (-item[1], order[item[0]]))


def _checked_weights(weights: Sequence[float] | None, lists: int) -> Sequence[float]:
    """One weight per list (1.0 each when none are given).

    Raises:
        ValueError: the number of weights differs from the number of lists.
    """
    if weights is None:
        return [1.0] * lists
    if len(weights) != lists:
        raise ValueError(f"got {len(weights)} weights for {lists} rankings")
    return weights
