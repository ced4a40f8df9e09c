"""Retrieval metrics as small pure functions.

The metrics follow the shape of sentence-transformers'
``InformationRetrievalEvaluator`` (accuracy@k, MRR@k, nDCG@k). One thing is
different. There, nDCG's ideal ranking is built from every relevant document of
the corpus. Here the corpus-wide set of relevant passages is unknown: an
evaluation item only says which documents and key phrases make a passage
correct, so the relevant passages are known only for the passages a retriever
returned. Each function takes the retrieved list as booleans, best first
(``ranked_relevance[i]`` is True when the passage at rank ``i + 1`` is
relevant), and ranks are counted from 1.

Pass the whole retrieved list, not only its first ``k`` entries: ``k`` cuts it
where needed, and nDCG uses the relevant items further down the list to build
its ideal ranking.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")


def hit_at_k(ranked_relevance: Sequence[bool], k: int) -> float:
    """Hit@k (sentence-transformers calls it accuracy@k).

    hit@k = 1.0 if any of ranks 1..k is relevant, else 0.0. A list shorter than
    ``k`` is read as it is: its missing ranks are not relevant.
    """
    _check_k(k)
    return 1.0 if any(ranked_relevance[:k]) else 0.0


def reciprocal_rank_at_k(ranked_relevance: Sequence[bool], k: int) -> float:
    """Reciprocal rank, cut at k: RR@k = 1 / r, where r is the rank of the first
    relevant item if r <= k, else 0.0. Its mean over queries is MRR@k.
    """
    _check_k(k)
    for rank, relevant in enumerate(ranked_relevance[:k], start=1):
        if relevant:
            return 1.0 / rank
    return 0.0


def dcg_at_k(ranked_relevance: Sequence[bool], k: int) -> float:
    """Discounted cumulative gain with binary gains:
    DCG@k = sum over ranks i = 1..min(k, n) of rel_i / log2(i + 1), with rel_i in {0, 1}.
    Rank 1 counts 1, rank 2 counts 1/log2(3) ~ 0.631, rank 3 counts 1/2.
    """
    _check_k(k)
    return sum(1.0 / math.log2(rank + 1) for rank, relevant in enumerate(ranked_relevance[:k], start=1) if relevant)


def ndcg_at_k(ranked_relevance: Sequence[bool], k: int) -> float:
    """Normalised DCG: nDCG@k = DCG@k / IDCG@k, and 0.0 when IDCG@k is 0 (nothing relevant).

    IDCG@k is the DCG@k of the ideal ranking. We don't know how many relevant
    passages the corpus holds, so the ideal ranking is **the retrieved list with its
    relevant items moved to the front**: with R relevant items anywhere in
    ``ranked_relevance`` (not just in the first k),
    IDCG@k = sum over i = 1..min(k, R) of 1 / log2(i + 1).
    So a relevant passage that the retriever found at rank k + 1 or lower still
    lowers nDCG@k, but a relevant passage it never returned does not. This makes
    the score optimistic compared with a corpus-wide ideal; read it together with
    hit@k.
    """
    _check_k(k)
    n_relevant = sum(1 for relevant in ranked_relevance if relevant)
    ideal = dcg_at_k([True] * n_relevant, k) if n_relevant else 0.0
    if ideal == 0.0:
        return 0.0
    return dcg_at_k(ranked_relevance, k) / ideal


def mean(values: Sequence[float]) -> float:
    """Arithmetic mean: sum(values) / len(values); 0.0 for no values."""
    if not values:
        return 0.0
    return sum(values) / len(values)


def summarize(rows: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """Average each metric over the rows (one row per query), as ``{metric: mean}``.

    A key is averaged over the rows that have it, so a metric that only applies
    to some queries (for example only to answerable ones) is not pulled down by
    the rest. Keys come out in order of first appearance; no rows give ``{}``.
    """
    collected: dict[str, list[float]] = {}
    for row in rows:
        for key, value in row.items():
            collected.setdefault(key, []).append(float(value))
    return {key: mean(values) for key, values in collected.items()}


def retrieval_metrics(ranked_relevance: Sequence[bool], ks: Sequence[int] = (1, 3, 5, 10)) -> dict[str, float]:
    """One query's row for :func:`summarize`: ``hit@k``, ``mrr@k`` and ``ndcg@k`` for each k in ``ks``."""
    row: dict[str, float] = {}
    for k in ks:
        row[f"hit@{k}"] = hit_at_k(ranked_relevance, k)
        row[f"mrr@{k}"] = reciprocal_rank_at_k(ranked_relevance, k)
        row[f"ndcg@{k}"] = ndcg_at_k(ranked_relevance, k)
    return row
