"""Retrieval metrics on lists small enough to work out by hand."""

from __future__ import annotations

import math

import pytest

from kennisbank.evaluation.metrics import (
    dcg_at_k,
    hit_at_k,
    mean,
    ndcg_at_k,
    reciprocal_rank_at_k,
    retrieval_metrics,
    summarize,
)

T, F = True, False
# Discount of rank 2 is 1/log2(3) ~ 0.6309; of rank 3 it is 1/log2(4) = 0.5.
D2 = 1 / math.log2(3)


# --- hit@k -----------------------------------------------------------------


def test_hit_relevant_inside_cutoff() -> None:
    # relevant at rank 3, k=3: it lies in the first 3, so it counts as a hit
    assert hit_at_k([F, F, T], 3) == 1.0


def test_hit_relevant_just_outside_cutoff() -> None:
    # relevant at rank 3, k=2: only ranks 1-2 are looked at, and neither is relevant
    assert hit_at_k([F, F, T], 2) == 0.0


def test_hit_k_larger_than_list() -> None:
    # k=10 on a 2-item list: the missing ranks count as not relevant, rank 2 still hits
    assert hit_at_k([F, T], 10) == 1.0


# --- reciprocal rank -------------------------------------------------------


def test_rr_first_relevant_at_rank_2() -> None:
    # the first relevant item is at rank 2, so RR = 1/2
    assert reciprocal_rank_at_k([F, T, T], 5) == 0.5


def test_rr_only_first_relevant_counts() -> None:
    # relevant at ranks 1 and 3: only the first one counts, so RR = 1/1
    assert reciprocal_rank_at_k([T, F, T], 3) == 1.0


def test_rr_beyond_cutoff_is_zero() -> None:
    # first relevant at rank 4 with k=3, so nothing in the cut list: RR@3 = 0
    assert reciprocal_rank_at_k([F, F, F, T], 3) == 0.0
    # the same list at k=4: RR = 1/4
    assert reciprocal_rank_at_k([F, F, F, T], 4) == 0.25


# --- DCG / nDCG ------------------------------------------------------------


def test_dcg_by_hand() -> None:
    # relevant at ranks 1 and 3: 1/log2(2) + 1/log2(4) = 1 + 0.5
    assert dcg_at_k([T, F, T], 3) == pytest.approx(1.5)


def test_ndcg_single_relevant_at_rank_2() -> None:
    # DCG = 1/log2(3); the ideal list puts the one relevant item at rank 1, so IDCG = 1
    assert ndcg_at_k([F, T, F], 3) == pytest.approx(D2)


def test_ndcg_perfect_order_is_one() -> None:
    # the relevant items are already first, so DCG equals IDCG
    assert ndcg_at_k([T, T, F, F], 4) == pytest.approx(1.0)


def test_ndcg_two_relevant_at_ranks_2_and_3() -> None:
    # DCG = 1/log2(3) + 1/log2(4) = 0.6309 + 0.5 = 1.1309
    # ideal [T, T, F]: IDCG = 1 + 1/log2(3) = 1.6309  -> nDCG = 1.1309 / 1.6309 ~ 0.6934
    expected = (D2 + 0.5) / (1 + D2)
    assert ndcg_at_k([F, T, T], 3) == pytest.approx(expected)
    assert expected == pytest.approx(0.6934, abs=1e-4)


def test_ndcg_ideal_counts_relevant_items_below_k() -> None:
    # [F, T, T] at k=2: DCG@2 = 1/log2(3). Both relevant items of the whole list go to the
    # front of the ideal list, so IDCG@2 = 1 + 1/log2(3) -> nDCG@2 = 0.6309 / 1.6309 ~ 0.3869.
    # (If the ideal counted only the first k items, it would be one relevant item, giving 0.6309.)
    assert ndcg_at_k([F, T, T], 2) == pytest.approx(D2 / (1 + D2))


def test_ndcg_relevant_only_beyond_cutoff_is_zero() -> None:
    # the one relevant item is at rank 3 and k=2: DCG@2 = 0, IDCG@2 = 1 -> 0
    assert ndcg_at_k([F, F, T], 2) == 0.0


def test_ndcg_k_larger_than_list() -> None:
    # k=10 on [F, T]: the same as k=2, 1/log2(3) over an ideal of 1
    assert ndcg_at_k([F, T], 10) == pytest.approx(D2)


# --- edge cases shared by all three ---------------------------------------


@pytest.mark.parametrize("metric", [hit_at_k, reciprocal_rank_at_k, ndcg_at_k, dcg_at_k])
def test_empty_list_scores_zero(metric) -> None:
    # nothing retrieved means nothing relevant found; nDCG must not divide by zero
    assert metric([], 5) == 0.0


@pytest.mark.parametrize("metric", [hit_at_k, reciprocal_rank_at_k, ndcg_at_k, dcg_at_k])
def test_no_relevant_scores_zero(metric) -> None:
    # no relevant item at any rank: every metric is 0 (nDCG: IDCG = 0 is defined as 0)
    assert metric([F, F, F], 3) == 0.0


def test_all_relevant() -> None:
    # every item relevant: hit at rank 1, RR = 1/1, and the list is its own ideal -> nDCG 1
    ranked = [T, T, T]
    assert hit_at_k(ranked, 3) == 1.0
    assert reciprocal_rank_at_k(ranked, 3) == 1.0
    assert ndcg_at_k(ranked, 3) == pytest.approx(1.0)
    # k larger than the list changes nothing: DCG and IDCG both stop at rank 3
    assert ndcg_at_k(ranked, 10) == pytest.approx(1.0)


@pytest.mark.parametrize("metric", [hit_at_k, reciprocal_rank_at_k, ndcg_at_k, dcg_at_k])
def test_k_below_one_is_rejected(metric) -> None:
    # a cut-off of 0 ranks has no meaning; it is a caller's mistake, not a score of 0
    with pytest.raises(ValueError):
        metric([T], 0)


# --- mean / summarize ------------------------------------------------------


def test_mean() -> None:
    # (1 + 0 + 0.5) / 3 = 0.5
    assert mean([1.0, 0.0, 0.5]) == pytest.approx(0.5)


def test_mean_of_nothing_is_zero() -> None:
    # no values: defined as 0.0 rather than raising ZeroDivisionError
    assert mean([]) == 0.0


def test_summarize_averages_each_key() -> None:
    rows = [{"hit@1": 1.0, "mrr@10": 1.0}, {"hit@1": 0.0, "mrr@10": 0.5}]
    # hit@1: (1 + 0) / 2 = 0.5; mrr@10: (1 + 0.5) / 2 = 0.75
    assert summarize(rows) == {"hit@1": pytest.approx(0.5), "mrr@10": pytest.approx(0.75)}


def test_summarize_key_missing_from_some_rows() -> None:
    # "refused" is only in the second row, so its mean is over that one row: 1.0
    rows = [{"hit@1": 1.0}, {"hit@1": 0.0, "refused": 1.0}]
    assert summarize(rows) == {"hit@1": pytest.approx(0.5), "refused": pytest.approx(1.0)}


def test_summarize_no_rows() -> None:
    assert summarize([]) == {}


def test_retrieval_metrics_row() -> None:
    # relevant at rank 2 only: hit@1 = 0, RR@1 = 0, nDCG@1 = 0 (rank 2 lies past k=1);
    # at k=3: hit 1, RR 1/2, nDCG = 1/log2(3) / 1
    row = retrieval_metrics([F, T, F], ks=(1, 3))
    assert row == {
        "hit@1": 0.0,
        "mrr@1": 0.0,
        "ndcg@1": 0.0,
        "hit@3": 1.0,
        "mrr@3": 0.5,
        "ndcg@3": pytest.approx(D2),
    }
