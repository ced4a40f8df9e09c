"""The evaluation suite: relevance, item validation, the summary worked out by hand, and `kennisbank eval`."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from kennisbank.cli import main
from kennisbank.evaluation.run import (
    ANSWER_METRICS,
    RETRIEVAL_METRICS,
    EvalItem,
    EvalItemError,
    ItemResult,
    Regression,
    Retrieved,
    compare,
    coverage,
    gated_metrics,
    is_relevant,
    load_items,
    normalize,
    summarize,
)

ROOT = Path(__file__).resolve().parent.parent
ITEMS = ROOT / "evals" / "questions.jsonl"
#: Left out of the small item set, so that `kennisbank eval` must warn that no item covers it.
UNCOVERED = "imv-thema-ketensamenwerking-zorg-en-veiligheid-nh.txt"


def item(
    item_id: str, docs: tuple[str, ...], answerable: bool = True, group: str = "raadslid", lang: str = "nl"
) -> EvalItem:
    phrases = ("veilig thuis",) if answerable else ()
    category = "role" if answerable else "out-of-corpus"
    return EvalItem(item_id, f"vraag {item_id}", docs, phrases, answerable, group, category, lang)


# --- relevance ---------------------------------------------------------------------------------------


def test_normalize_joins_hyphenated_line_breaks_and_collapses_whitespace() -> None:
    assert normalize("Ketens-\nsamenwerking  in\n\tNoord-Holland") == "ketenssamenwerking in noord-holland"
    # A hyphen before an upper-case letter is a real hyphen, kept (and then the line break is a space).
    assert normalize("Noord-\nHolland") == "noord- holland"


def test_relevant_needs_the_document_and_a_key_phrase() -> None:
    it = EvalItem("x", "q", ("a.txt",), ("Veilig Thuis", "meld-\ncode"), True, "g", "c", "nl")
    assert is_relevant(it, "a.txt", "Bel  VEILIG\nthuis bij twijfel.")
    # The phrase side is normalised the same way as the passage side.
    assert is_relevant(it, "a.txt", "de meldcode")
    assert not is_relevant(it, "b.txt", "Bel Veilig Thuis.")
    assert not is_relevant(it, "a.txt", "Bel de huisarts.")


# --- item validation ---------------------------------------------------------------------------------

GOOD = {
    "id": "t-1",
    "question": "Wat doet Veilig Thuis?",
    "docs": ["a.txt"],
    "key_phrases": ["advies- en meldpunt"],
    "answerable": True,
    "group": "professional",
    "category": "role",
    "lang": "nl",
}


def write_items(path: Path, *rows: object) -> Path:
    path.write_text(
        "".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows), encoding="utf-8"
    )
    return path


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({k: v for k, v in GOOD.items() if k != "question"}, "field 'question' is missing"),
        ({**GOOD, "answerable": "yes"}, "field 'answerable': expected true or false"),
        ({**GOOD, "docs": "a.txt"}, "field 'docs': expected a list of file names"),
        ({**GOOD, "key_phrases": []}, "field 'key_phrases': an answerable item needs at least one"),
        ({**GOOD, "answerable": False}, "field 'docs': must be empty for an unanswerable item"),
        ({**GOOD, "lang": ""}, "field 'lang'"),
        ({**GOOD, "grup": "x"}, "field 'grup' is unknown"),
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
    ],
)
def test_bad_line_names_file_line_and_field(tmp_path: Path, row: object, expected: str) -> None:
    path = write_items(tmp_path / "items.jsonl", GOOD | {"id": "t-0"}, "", row)
    with pytest.raises(EvalItemError) as caught:
        load_items(path)
    message = str(caught.value)
    # Line 2 is blank (skipped), so the bad row is on line 3.
    assert message.startswith(f"{path}:3: ")
    assert expected in message
    assert "\n" not in message


def test_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    path = write_items(tmp_path / "items.jsonl", GOOD, GOOD)
    with pytest.raises(EvalItemError, match=r"items.jsonl:2: field 'id': 't-1' already used on line 1"):
        load_items(path)


def test_the_shipped_items_are_valid() -> None:
    items = load_items(ITEMS)
    assert len(items) >= 100
    assert any(not it.answerable for it in items)


# --- summary, worked out by hand ---------------------------------------------------------------------

F, T = False, True


def hand_made() -> tuple[list[EvalItem], list[ItemResult]]:
    items = [
        item("a1", ("d1.txt",), group="raadslid"),
        item("a2", ("d1.txt", "d2.txt"), group="professional", lang="en"),
        item("u1", (), answerable=False, group="raadslid"),
    ]
    results = [
        # a1: hybrid finds it at rank 2, bm25 at rank 1; answered from a relevant passage.
        ItemResult("a1", {"hybrid": [F, T, F, F, F], "bm25": [T]}, refused=False, cited_relevant=True),
        # a2: hybrid's only relevant passage is at rank 6 (outside the top 5); bm25 finds nothing; refused.
        ItemResult(
            "a2",
            {"hybrid": [F, F, F, F, F, T], "bm25": []},
            refused=True,
            cited_relevant=False,
            first=Retrieved("d3.txt", "Inleiding", "Iets anders."),
        ),
        # u1: unanswerable, but answered (a wrong answer).
        ItemResult("u1", {"hybrid": [F, F], "bm25": [F]}, refused=False, cited_relevant=False),
    ]
    return items, results


def test_summary_overall_by_hand() -> None:
    summary = summarize(*hand_made())
    overall = summary["overall"]
    assert summary["modes"] == ["hybrid", "bm25"]
    assert (overall["items"], overall["answerable"]) == (3, 2)
    # Retrieval averages over the two answerable items only (u1 has nothing relevant to find).
    # hybrid: a1 hit@1 0, hit@3 1, hit@5 1, RR 1/2, nDCG = (1/log2 3) / 1 (one relevant, ideal at rank 1);
    #         a2: rank 6 is past k = 5: 0 everywhere (its nDCG ideal counts rank 6, its DCG@5 is 0).
    hybrid = overall["retrieval"]["hybrid"]
    assert hybrid["hit@1"] == 0.0
    assert hybrid["hit@3"] == hybrid["hit@5"] == 0.5
    assert hybrid["mrr@5"] == pytest.approx(0.25)
    assert hybrid["ndcg@5"] == pytest.approx((1 / math.log2(3)) / 2)
    # bm25: a1 perfect (1 everywhere), a2 nothing: every metric is 1/2.
    assert overall["retrieval"]["bm25"] == {name: 0.5 for name in RETRIEVAL_METRICS}
    # Answers: a1 answered from a relevant passage, a2 refused -> 1/2 and 1/2; u1 not refused -> 0/1.
    assert overall["answers"] == {"key_phrase_cited": 0.5, "false_refusal_rate": 0.5, "refusal_rate": 0.0}


def test_summary_breakdowns_by_hand() -> None:
    summary = summarize(*hand_made())
    # a2 names two documents, so it counts under both: d1 has a1 and a2, d2 only a2.
    by_doc = summary["by_doc"]
    assert list(by_doc) == ["d1.txt", "d2.txt"]
    assert by_doc["d1.txt"]["items"] == 2
    assert by_doc["d1.txt"]["retrieval"]["hybrid"]["hit@5"] == 0.5
    assert by_doc["d2.txt"]["retrieval"]["hybrid"]["hit@5"] == 0.0
    # Group raadslid = a1 (found, answered) + u1 (answered, should be refused).
    raadslid = summary["by_group"]["raadslid"]
    assert (raadslid["items"], raadslid["answerable"]) == (2, 1)
    assert raadslid["retrieval"]["hybrid"]["hit@1"] == 0.0
    assert raadslid["answers"] == {"key_phrase_cited": 1.0, "false_refusal_rate": 0.0, "refusal_rate": 0.0}
    # The out-of-corpus category has no answerable item, so no retrieval metrics at all.
    assert summary["by_category"]["out-of-corpus"]["retrieval"]["hybrid"] == {}
    assert summary["by_lang"]["en"]["answers"]["false_refusal_rate"] == 1.0


def test_summary_failing_items_by_hand() -> None:
    failing = summarize(*hand_made())["failing"]
    # a1 passes; a2 misses the top 5; u1 should have been refused.
    assert [(row["id"], row["reason"]) for row in failing] == [
        ("a2", "no relevant passage in the top 5"),
        ("u1", "not refused (the documents do not answer it)"),
    ]
    assert failing[0]["rank1"] == {"doc": "d3.txt", "section": "Inleiding", "text": "Iets anders."}
    assert failing[1]["rank1"] is None


def test_summary_needs_a_result_for_every_item() -> None:
    items, results = hand_made()
    with pytest.raises(ValueError, match="a2"):
        summarize(items, [results[0], results[2]])


def test_gated_metrics_are_the_default_mode_and_the_answers() -> None:
    gated = gated_metrics(summarize(*hand_made()))
    assert list(gated) == [*RETRIEVAL_METRICS, "key_phrase_cited", "false_refusal_rate", "refusal_rate"]
    assert gated["hit@3"] == 0.5  # hybrid's, not bm25's


def test_compare_respects_direction_and_tolerance() -> None:
    baseline = {"hit@5": 0.90, "false_refusal_rate": 0.10, "refusal_rate": 1.0, "mrr@5": 0.5}
    current = {"hit@5": 0.87, "false_refusal_rate": 0.115, "refusal_rate": 0.99}
    # hit@5 fell 0.03 > 0.02; false refusals rose 0.015 <= 0.02 (lower is better); refusal fell 0.01;
    # mrr@5 is no longer measured.
    assert compare(current, baseline, 0.02) == [Regression("hit@5", 0.90, 0.87), Regression("mrr@5", 0.5, None)]
    # A rise in false refusals beyond the tolerance is a drop; an improvement never is.
    assert compare({"false_refusal_rate": 0.2}, {"false_refusal_rate": 0.1}, 0.02)[0].metric == "false_refusal_rate"
    assert compare({"hit@5": 1.0, "false_refusal_rate": 0.0}, {"hit@5": 0.5, "false_refusal_rate": 0.5}, 0.0) == []
    assert str(Regression("hit@5", 0.9, 0.87)) == "hit@5 dropped from 0.900 to 0.870"


def test_coverage_lists_uncovered_and_unknown_documents() -> None:
    items = [item("a", ("d1.txt",)), item("b", ("d9.txt",))]
    assert coverage(["d1.txt", "d2.txt"], items) == {"uncovered": ["d2.txt"], "unknown": ["d9.txt"]}


# --- `kennisbank eval` over the real corpus ----------------------------------------------------------


def small_item_set(path: Path) -> Path:
    """Three answerable items per document except UNCOVERED, and two unanswerable ones."""
    rows = [json.loads(line) for line in ITEMS.read_text(encoding="utf-8").splitlines() if line.strip()]
    chosen: list[dict[str, object]] = []
    per_doc: dict[str, int] = {}
    for row in rows:
        if row["answerable"] and UNCOVERED not in row["docs"] and per_doc.get(row["docs"][0], 0) < 3:
            per_doc[row["docs"][0]] = per_doc.get(row["docs"][0], 0) + 1
            chosen.append(row)
    chosen += [row for row in rows if not row["answerable"]][:2]
    return write_items(path, *chosen)


@pytest.fixture(scope="module")
def first_run(index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    """`kennisbank eval --update-baseline` on a small item set, into a fresh folder."""
    folder = tmp_path_factory.mktemp("eval")
    items = small_item_set(folder / "items.jsonl")
    args = ["--index", str(index_dir), "eval", "--items", str(items), "--report-dir", str(folder / "reports")]
    result = CliRunner().invoke(main, [*args, "--baseline", str(folder / "baseline.json"), "--update-baseline"])
    return result, folder


def eval_against(index_dir: Path, folder: Path, baseline: Path):
    args = ["--index", str(index_dir), "eval", "--items", str(folder / "items.jsonl")]
    args += ["--report-dir", str(folder / "again"), "--baseline", str(baseline)]
    return CliRunner().invoke(main, args)


def test_eval_writes_reports_and_baseline(first_run: tuple[object, Path]) -> None:
    result, folder = first_run
    assert result.exit_code == 0, result.output
    reports = folder / "reports"
    assert (reports / "report.png").read_bytes().startswith(b"\x89PNG")
    report = json.loads((reports / "report.json").read_text(encoding="utf-8"))
    assert report["modes"] == ["hybrid", "bm25", "dense"]
    assert report["overall"]["items"] == 14
    assert set(report["overall"]["retrieval"]["dense"]) == set(RETRIEVAL_METRICS)
    assert report["coverage"]["uncovered"] == [UNCOVERED]
    markdown = (reports / "report.md").read_text(encoding="utf-8")
    assert "## Retrieval per mode" in markdown
    assert f"## Failing items ({len(report['failing'])})" in markdown
    # The terminal: metrics per mode, answer metrics, hit@5 per document and group; and the warning.
    assert "hybrid" in result.stdout and "bm25" in result.stdout and "dense" in result.stdout
    assert "hit@5 per document" in result.stdout and "hit@5 per user group" in result.stdout
    assert f"warning: no eval item covers {UNCOVERED}" in result.stderr
    baseline = json.loads((folder / "baseline.json").read_text(encoding="utf-8"))
    assert list(baseline["metrics"]) == [*RETRIEVAL_METRICS, *ANSWER_METRICS]
    assert baseline["metrics"]["hit@5"] == round(report["overall"]["retrieval"]["hybrid"]["hit@5"], 4)


def test_eval_passes_against_a_baseline_equal_to_the_run(index_dir: Path, first_run: tuple[object, Path]) -> None:
    _, folder = first_run
    result = eval_against(index_dir, folder, folder / "baseline.json")
    assert result.exit_code == 0, result.output
    assert "regression" not in result.output


def test_eval_fails_against_an_impossible_baseline(index_dir: Path, first_run: tuple[object, Path]) -> None:
    _, folder = first_run
    metrics = json.loads((folder / "baseline.json").read_text(encoding="utf-8"))["metrics"]
    impossible = {name: (-0.5 if name == "false_refusal_rate" else 1.5) for name in metrics}
    baseline = folder / "impossible.json"
    baseline.write_text(json.dumps({"metrics": impossible}), encoding="utf-8")
    result = eval_against(index_dir, folder, baseline)
    assert result.exit_code != 0
    assert "regression: hit@1 dropped from 1.500 to" in result.stderr
    assert "regression: false_refusal_rate dropped from -0.500 to" in result.stderr
    assert f"metric(s) dropped more than 0.02 below the baseline in {baseline}" in result.stderr
