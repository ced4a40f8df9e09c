"""Convex score fusion against the formula written out, and the hybrid retriever's weights and English route."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kennisbank.fusion import convex_fusion
from kennisbank.passage import Passage
from kennisbank.retrieval import Filters, HybridRetriever


def test_convex_fusion_matches_a_hand_computed_example() -> None:
    # bm25: a 10 -> 1.0, b 6 -> 0.5, c 2 -> 0.0; dense: b 0.9 -> 1.0, c 0.7 -> 0.5, d 0.5 -> 0.0.
    # With weights 0.5 / 0.5: a 0.5, b 0.75, c 0.25, d 0.
    fused = dict(convex_fusion([[("a", 10), ("b", 6), ("c", 2)], [("b", 0.9), ("c", 0.7), ("d", 0.5)]], [0.5, 0.5]))
    assert fused == pytest.approx({"a": 0.5, "b": 0.75, "c": 0.25, "d": 0.0})


def test_convex_fusion_keeps_a_clear_lead_that_rrf_would_flatten() -> None:
    # "x" is far ahead in bm25 and absent from dense; "y" is second in both. RRF ranks y first
    # (1/62 + 1/62 > 1/61); the convex combination keeps x's lead: x 0.5, y 0.5 * 2/19 + 0.5 * 0.6 = 0.35.
    bm25 = [("x", 20.0), ("y", 3.0), ("z", 1.0)]
    dense = [("w", 0.80), ("y", 0.76), ("z", 0.70)]
    assert convex_fusion([bm25, dense], [0.5, 0.5])[0][0] == "x"
    assert dict(convex_fusion([bm25, dense], [0.5, 0.5]))["y"] == pytest.approx(0.5 * 2 / 19 + 0.5 * 0.6)


def test_convex_fusion_edge_cases() -> None:
    assert convex_fusion([]) == []
    assert convex_fusion([[], []]) == []
    # Equal scores: each gets the full weight, in first-appearance order.
    assert convex_fusion([[("a", 1.0), ("b", 1.0)]]) == [("a", 1.0), ("b", 1.0)]
    assert convex_fusion([[("a", 2.0), ("a", 1.0), ("b", 0.0)]]) == [("a", 1.0), ("b", 0.0)]  # duplicates count once
    with pytest.raises(ValueError, match="1 weights for 2 rankings"):
        convex_fusion([[("a", 1.0)], [("a", 1.0)]], [1.0])


class Fixed:
    """A retriever that returns the same scored passages for every query (the thing under test is the fusion)."""

    def __init__(self, name: str, scored: list[tuple[str, float]]) -> None:
        self.name = name
        self.scored = scored
        self.asked = 0

    def retrieve(self, query: str, top_k: int = 5, filters: Filters | None = None) -> list[Passage]:
        self.asked += 1
        return [
            replace(Passage(doc=pid, text=pid, start=0, end=len(pid)), score=s, signals={self.name: s})
            for pid, s in self.scored[:top_k]
        ]


def test_english_questions_are_fused_with_the_english_weights() -> None:
    bm25 = Fixed("bm25", [("lexical", 9.0), ("shared", 5.0), ("other", 1.0)])
    dense = Fixed("dense", [("semantic", 0.9), ("shared", 0.8), ("other", 0.5)])
    hybrid = HybridRetriever([bm25, dense], weights=[0.5, 0.5], english=[0.0, 1.0])
    assert hybrid.retrieve("Wat doet Veilig Thuis?", 3)[0].doc == "shared"
    english = hybrid.retrieve("What does Veilig Thuis do?", 3)
    assert [p.doc for p in english] == ["semantic", "shared", "other"]
    assert bm25.asked == 1  # a retriever with weight 0 is not asked
    assert english[1].signals == {"dense": 0.8}


def test_hybrid_checks_its_settings() -> None:
    one = Fixed("bm25", [])
    with pytest.raises(ValueError, match="fusion 'mean' unknown"):
        HybridRetriever([one], method="mean")
    with pytest.raises(ValueError, match="2 weights for 1 retrievers"):
        HybridRetriever([one], weights=[1.0, 1.0])
    assert HybridRetriever([one], method="rrf").retrieve("vraag") == []


def test_a_question_asking_for_a_number_prefers_a_passage_holding_one() -> None:
    # "Er zijn 240 getraind" is second in both lists; the bonus lifts it over the passage without a number.
    first, second, third = "Training in de methodiek", "Er zijn 240 getraind", "In 2023 gestart"
    bm25 = Fixed("bm25", [(first, 9.0), (second, 8.0), (third, 1.0)])
    dense = Fixed("dense", [(first, 0.9), (second, 0.85), (third, 0.5)])
    hybrid = HybridRetriever([bm25, dense], weights=[0.5, 0.5], quantity=0.2)
    assert hybrid.retrieve("Hoeveel mensen zijn getraind?", 3)[0].doc == "Er zijn 240 getraind"
    assert hybrid.retrieve("How many people were trained?", 3)[0].doc == "Er zijn 240 getraind"
    # Not for another question, and a year is no quantity.
    assert hybrid.retrieve("Wie is getraind?", 3)[0].doc == "Training in de methodiek"
    ranked = [p.doc for p in hybrid.retrieve("Hoeveel mensen zijn getraind?", 3)]
    assert ranked.index("In 2023 gestart") == 2
