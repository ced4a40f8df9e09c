"""Reciprocal rank fusion against a direct reading of the formula, and its edge cases."""

import pytest

from kennisbank.fusion import RRF_K, reciprocal_rank_fusion


def reference_rrf(rankings, k=RRF_K):
    """The formula written out as plainly as possible: sum of 1 / (k + rank)."""
    ids = {d for r in rankings for d in r}
    return {d: sum(1 / (k + r.index(d) + 1) for r in rankings if d in r) for d in ids}


def test_matches_reference_on_overlapping_lists():
    rankings = [["a", "b", "c", "d"], ["c", "a", "e"], ["e", "f"]]
    fused = dict(reciprocal_rank_fusion(rankings))
    assert fused == pytest.approx(reference_rrf(rankings))


def test_agreement_beats_a_single_top_rank():
    # "b" is 2nd in both lists: 2/62 = 0.0323 > "a" 1st in one list only: 1/61 = 0.0164.
    fused = reciprocal_rank_fusion([["a", "b"], ["c", "b"]])
    assert fused[0][0] == "b"
    assert fused[0][1] == pytest.approx(2 / 62)


def test_hand_worked_scores_with_k_zero():
    # k=0: "x" is 1st and 2nd -> 1/1 + 1/2 = 1.5; "y" is 2nd and 1st -> 1.5 as well; tie keeps first appearance.
    fused = reciprocal_rank_fusion([["x", "y"], ["y", "x"]], k=0)
    assert fused == [("x", 1.5), ("y", 1.5)]


def test_empty_inputs():
    assert reciprocal_rank_fusion([]) == []
    assert reciprocal_rank_fusion([[], []]) == []


def test_one_list_keeps_its_order():
    assert [d for d, _ in reciprocal_rank_fusion([["c", "a", "b"]])] == ["c", "a", "b"]


def test_duplicates_within_a_list_count_once_at_best_rank():
    fused = dict(reciprocal_rank_fusion([["a", "a", "b"]]))
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["b"] == pytest.approx(1 / 63)


def test_weights_scale_each_list():
    fused = dict(reciprocal_rank_fusion([["a"], ["b"]], weights=[2.0, 1.0]))
    assert fused["a"] == pytest.approx(2 / 61)
    assert fused["b"] == pytest.approx(1 / 61)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="weights"):
        reciprocal_rank_fusion([["a"]], weights=[1.0, 2.0])
    with pytest.raises(ValueError, match="k must be"):
        reciprocal_rank_fusion([["a"]], k=-1)
