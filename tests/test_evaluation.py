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
    item_id: str,
    docs: tuple[str, ...],
    answerable: bool = True,
    group: str = "raadslid",
    lang: str = "nl",
    split: str = "calibration",
    items: tuple[str, ...] = (),
) -> EvalItem:
    phrases = ("veilig thuis",) if answerable else ()
    category = "role" if answerable else "out-of-corpus"
    missing = "" if answerable else "plaats"
    return EvalItem(
        item_id, f"vraag {item_id}", docs, phrases, answerable, group, category, lang, split, missing, items
    )


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
    "split": "test",
}


def write_items(path: Path, *rows: object) -> Path:
    path.write_text(
        "".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows), encoding="utf-8"
    )
    return path


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({k: v for k, v in GOOD.items() if k != "question"}, "veld 'question' ontbreekt"),
        ({**GOOD, "answerable": "yes"}, "veld 'answerable': verwacht true of false"),
        ({**GOOD, "docs": "a.txt"}, "veld 'docs': verwacht een lijst bestandsnamen"),
        ({**GOOD, "key_phrases": []}, "veld 'key_phrases': een beantwoordbaar item heeft er minstens één nodig"),
        ({**GOOD, "answerable": False}, "veld 'docs': moet leeg zijn voor een onbeantwoordbaar item"),
        (
            {**GOOD, "answerable": False, "docs": [], "key_phrases": []},
            "veld 'missing' ontbreekt (verplicht voor een onbeantwoordbaar item)",
        ),
        ({**GOOD, "missing": "plaats"}, "veld 'missing': alleen voor een onbeantwoordbaar item"),
        ({**GOOD, "split": "train"}, "veld 'split': verwacht calibration of test"),
        ({**GOOD, "items": "Preventie"}, "veld 'items': verwacht een lijst niet-lege teksten"),
        ({**GOOD, "lang": ""}, "veld 'lang'"),
        ({**GOOD, "grup": "x"}, "veld 'grup' is onbekend"),
        ("{not json", "geen geldige JSON"),
        ("[1, 2]", "verwacht een JSON-object"),
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
    with pytest.raises(EvalItemError, match=r"items.jsonl:2: veld 'id': 't-1' staat al op regel 1"):
        load_items(path)


def test_the_shipped_items_are_valid() -> None:
    items = load_items(ITEMS)
    assert len(items) >= 100
    unanswerable = [it for it in items if not it.answerable]
    assert len([it for it in unanswerable if it.category == "on-topic-unanswerable"]) >= 35
    assert all(it.missing for it in unanswerable)
    assert len([it for it in items if it.lang == "en"]) >= 20
    assert {it.split for it in items} == {"calibration", "test"}
    assert any(it.items for it in items)


def test_shipped_key_phrases_and_list_items_occur_in_their_documents() -> None:
    """Every key phrase and expected list item is a literal span of one of its documents (normalised)."""
    texts = {path.name: normalize(path.read_text(encoding="utf-8")) for path in (ROOT / "corpus").glob("*.txt")}
    for it in load_items(ITEMS):
        for phrase in (*it.key_phrases, *it.items):
            assert any(normalize(phrase) in texts[doc] for doc in it.docs), (it.id, phrase)


# --- summary, worked out by hand ---------------------------------------------------------------------

F, T = False, True


def hand_made() -> tuple[list[EvalItem], list[ItemResult]]:
    items = [
        item("a1", ("d1.txt",), group="raadslid"),
        item("a2", ("d1.txt", "d2.txt"), group="professional", lang="en"),
        item("u1", (), answerable=False, group="raadslid"),
    ]
    results = [
        # a1: hybrid finds it at rank 2, bm25 at rank 1; answered from a relevant passage, key phrase in the text.
        ItemResult(
            "a1",
            {"hybrid": [F, T, F, F, F], "bm25": [T]},
            refused=False,
            cited_relevant=True,
            answer="Veilig Thuis is het meldpunt [1].",
        ),
        # a2: hybrid's only relevant passage is at rank 6 (outside the top 5); bm25 finds nothing; refused.
        ItemResult(
            "a2",
            {"hybrid": [F, F, F, F, F, T], "bm25": []},
            refused=True,
            cited_relevant=False,
            first=Retrieved("d3.txt", "Inleiding", "Iets anders."),
        ),
        # u1: unanswerable, but answered (a wrong answer) with a dangling colon.
        ItemResult(
            "u1",
            {"hybrid": [F, F], "bm25": [F]},
            refused=False,
            cited_relevant=False,
            answer="Het gaat als volgt: [1]",
            junk=("dubbele punt",),
        ),
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
    # Answers: a1 answered with the key phrase in its text, a2 refused (English) -> 1/2 and 1/2;
    # u1 not refused -> 0/1 (kind plaats); u1's answer has junk -> 1 of 3 answers; words: a1 5, u1 4.
    assert overall["answers"] == {
        "junk_rate": pytest.approx(1 / 3),
        "answer_words": 4.5,
        "long_answer_rate": 0.0,
        "key_phrase_cited": 0.5,
        "key_phrase_in_answer": 0.5,
        "false_refusal_rate": 0.5,
        "en_false_refusal_rate": 1.0,
        "refusal_rate": 0.0,
        "refusal_rate:plaats": 0.0,
    }


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
    assert raadslid["answers"]["key_phrase_in_answer"] == 1.0
    assert raadslid["answers"]["false_refusal_rate"] == 0.0
    assert raadslid["answers"]["refusal_rate"] == 0.0
    # The out-of-corpus category has no answerable item, so no retrieval metrics at all.
    assert summary["by_category"]["out-of-corpus"]["retrieval"]["hybrid"] == {}
    assert summary["by_lang"]["en"]["answers"]["false_refusal_rate"] == 1.0


def test_summary_failing_items_by_hand() -> None:
    failing = summarize(*hand_made())["failing"]
    # a1 passes; a2 misses the top 5; u1 should have been refused.
    assert [(row["id"], row["reason"]) for row in failing] == [
        ("a2", "geen relevante passage in de top 5"),
        ("u1", "rommel in het antwoord: dubbele punt"),
    ]
    assert failing[0]["rank1"] == {"doc": "d3.txt", "section": "Inleiding", "text": "Iets anders."}
    assert failing[1]["rank1"] is None


def test_summary_needs_a_result_for_every_item() -> None:
    items, results = hand_made()
    with pytest.raises(ValueError, match="a2"):
        summarize(items, [results[0], results[2]])


def test_gated_metrics_are_the_default_mode_and_the_answers() -> None:
    gated = gated_metrics(summarize(*hand_made()))
    assert list(gated)[: len(RETRIEVAL_METRICS)] == list(RETRIEVAL_METRICS)
    assert gated["hit@3"] == 0.5  # hybrid's, not bm25's
    # Answer metrics overall and per split; the mean answer length is reported, not gated.
    assert gated["key_phrase_in_answer"] == 0.5 and gated["calibration:junk_rate"] == pytest.approx(1 / 3)
    assert "answer_words" not in gated and "calibration:answer_words" not in gated


def test_list_completeness_counts_the_expected_items_in_the_answer_text() -> None:
    listed = item("l1", ("d1.txt",), items=("Preventie", "Lokaal tenzij", "Nazorg"))
    answer = "Volgens X: 1) Preventie 2) Lokaal  tenzij [1]"
    result = ItemResult("l1", {"hybrid": [T]}, refused=False, cited_relevant=True, answer=answer)
    # Two of the three items occur (whitespace normalised); the key phrase "veilig thuis" does not.
    row = summarize([listed], [result])["overall"]["answers"]
    assert row["list_completeness"] == pytest.approx(2 / 3)
    assert row["key_phrase_in_answer"] == 0.0 and row["key_phrase_cited"] == 1.0
    assert "long_answer_rate" not in row  # list answers may be long


def test_compare_respects_direction_and_tolerance() -> None:
    baseline = {"hit@5": 0.90, "false_refusal_rate": 0.10, "refusal_rate": 1.0, "mrr@5": 0.5}
    current = {"hit@5": 0.87, "false_refusal_rate": 0.115, "refusal_rate": 0.99}
    # hit@5 fell 0.03 > 0.02; false refusals rose 0.015 <= 0.02 (lower is better); refusal fell 0.01;
    # mrr@5 is no longer measured.
    assert compare(current, baseline, 0.02) == [Regression("hit@5", 0.90, 0.87), Regression("mrr@5", 0.5, None)]
    # A rise in false refusals beyond the tolerance is a drop; an improvement never is.
    assert compare({"false_refusal_rate": 0.2}, {"false_refusal_rate": 0.1}, 0.02)[0].metric == "false_refusal_rate"
    assert compare({"hit@5": 1.0, "false_refusal_rate": 0.0}, {"hit@5": 0.5, "false_refusal_rate": 0.5}, 0.0) == []
    assert str(Regression("hit@5", 0.9, 0.87)) == "hit@5 ging van 0.900 naar 0.870"
    # Lower is better also behind a split prefix; per-kind refusal rates are higher-is-better.
    assert compare({"test:junk_rate": 0.1}, {"test:junk_rate": 0.0}, 0.02)[0].metric == "test:junk_rate"
    assert compare({"refusal_rate:jaar": 0.5}, {"refusal_rate:jaar": 1.0}, 0.02)[0].metric == "refusal_rate:jaar"


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
    assert "## Zoeken per modus" in markdown
    assert f"## Mislukte items ({len(report['failing'])})" in markdown
    # The terminal (Dutch): metrics per mode, answer metrics per split, hit@5 per document and group; the warning.
    assert "hybrid" in result.stdout and "bm25" in result.stdout and "dense" in result.stdout
    assert "calibration" in result.stdout and "sleutelzin in de antwoordtekst" in result.stdout
    assert "hit@5 per document" in result.stdout and "hit@5 per gebruikersgroep" in result.stdout
    assert f"waarschuwing: geen evaluatie-item gaat over {UNCOVERED}" in result.stderr
    baseline = json.loads((folder / "baseline.json").read_text(encoding="utf-8"))
    assert list(baseline["metrics"])[: len(RETRIEVAL_METRICS)] == list(RETRIEVAL_METRICS)
    assert {"key_phrase_in_answer", "junk_rate", "refusal_rate"} <= set(baseline["metrics"])
    assert set(ANSWER_METRICS) - {"answer_words"} >= {m for m in baseline["metrics"] if ":" not in m} - set(
        RETRIEVAL_METRICS
    )
    assert baseline["metrics"]["hit@5"] == round(report["overall"]["retrieval"]["hybrid"]["hit@5"], 4)


def test_eval_passes_against_a_baseline_equal_to_the_run(index_dir: Path, first_run: tuple[object, Path]) -> None:
    _, folder = first_run
    result = eval_against(index_dir, folder, folder / "baseline.json")
    assert result.exit_code == 0, result.output
    assert "achteruitgang" not in result.output


def test_eval_fails_against_an_impossible_baseline(index_dir: Path, first_run: tuple[object, Path]) -> None:
    _, folder = first_run
    metrics = json.loads((folder / "baseline.json").read_text(encoding="utf-8"))["metrics"]
    impossible = {name: 1.5 for name in metrics}
    impossible["false_refusal_rate"] = -0.5
    baseline = folder / "impossible.json"
    baseline.write_text(json.dumps({"metrics": impossible}), encoding="utf-8")
    result = eval_against(index_dir, folder, baseline)
    assert result.exit_code != 0
    assert "achteruitgang: hit@1 ging van 1.500 naar" in result.stderr
    assert "achteruitgang: false_refusal_rate ging van -0.500 naar" in result.stderr
    assert f"metriek(en) meer dan 0.02 slechter dan de baseline in {baseline}" in result.stderr


def test_an_eval_on_another_corpus_writes_its_report_into_the_index_folder(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The committed `evals/reports` describe the shipped corpus: another corpus's report goes elsewhere."""
    from tests.conftest import TEST_EMBEDDER

    monkeypatch.setenv("KENNISBANK_EMBEDDER", TEST_EMBEDDER)
    monkeypatch.chdir(ROOT)  # where `evals/reports` would be
    committed = (ROOT / "evals" / "reports" / "report.json").stat().st_mtime_ns
    rows = [json.loads(line) for line in ITEMS.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = write_items(tmp_path / "items.jsonl", *[r for r in rows if not r["answerable"]][:2])
    index = tmp_path / "index"
    args = ["--corpus", str(small_corpus), "--index", str(index), "eval", "--items", str(items)]
    result = CliRunner().invoke(main, [*args, "--baseline", str(tmp_path / "baseline.json")])
    assert result.exit_code == 0, result.output
    assert (index / "evaluatie" / "report.json").is_file()
    assert (ROOT / "evals" / "reports" / "report.json").stat().st_mtime_ns == committed
