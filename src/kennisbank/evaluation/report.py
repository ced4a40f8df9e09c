"""Writing an evaluation summary out: the terminal table, report.md, report.json and report.png.

The file names are fixed so that reports of successive runs diff well; nothing in
them depends on the time of the run.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from kennisbank.errors import KennisbankError
from kennisbank.evaluation.run import ANSWER_METRICS, LONG_ANSWER, RETRIEVAL_METRICS, SPLITS

REPORT_MD = "report.md"
REPORT_JSON = "report.json"
REPORT_PNG = "report.png"
#: The breakdowns of a summary, with their headings.
BREAKDOWNS = (
    ("by_split", "helft"),
    ("by_doc", "document"),
    ("by_group", "gebruikersgroep"),
    ("by_category", "categorie"),
    ("by_lang", "taal"),
    ("by_missing", "soort ontbrekende informatie"),
)
ANSWER_LABELS = {
    "key_phrase_cited": "sleutelzin in geciteerde passage (beantwoordbaar)",
    "key_phrase_in_answer": "sleutelzin in de antwoordtekst (beantwoordbaar)",
    "false_refusal_rate": "onterecht geweigerd (beantwoordbaar)",
    "en_false_refusal_rate": "onterecht geweigerd, Engelse vragen",
    "list_completeness": "lijst volledig (lijstvragen)",
    "refusal_rate": "terecht geweigerd (onbeantwoordbaar)",
    "junk_rate": "antwoorden met rommel (kop, tabelkop, aanhef, dubbele punt)",
    "long_answer_rate": f"antwoorden langer dan {LONG_ANSWER} woorden",
    "answer_words": "woorden per antwoord (gemiddeld)",
    "cited_page_right": "geciteerde pagina juist (items met pagina)",
}
SNIPPET = 160
#: The answer metrics shown per document, group, category, language and split in report.md.
REPORTED_PER_PART = ("key_phrase_in_answer", "false_refusal_rate", "refusal_rate", "junk_rate")


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _rounded(value: Any) -> Any:
    """Floats rounded to 4 decimals throughout, so that report.json diffs show real changes."""
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, Mapping):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    return value


def _snippet(text: str, limit: int = SNIPPET) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


# --- tables ----------------------------------------------------------------------------------------


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain table with the first column left-aligned and the others right-aligned."""
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        first = str(cells[0]).ljust(widths[0])
        return "  ".join([first, *(str(c).rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))]).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(row) for row in rows)])


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: bool = True) -> str:
    """A Markdown table; with ``numeric`` all columns but the first are right-aligned."""

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

    separator = "|" + "|".join(["---", *[("---:" if numeric else "---")] * (len(headers) - 1)]) + "|"
    return "\n".join([line(headers), separator, *(line(row) for row in rows)])


def retrieval_rows(summary: Mapping[str, Any]) -> list[list[str]]:
    """Rows = retrieval metrics, columns = modes."""
    per_mode = summary["overall"]["retrieval"]
    return [[name, *(_num(per_mode[mode].get(name)) for mode in summary["modes"])] for name in RETRIEVAL_METRICS]


def _label(name: str) -> str:
    if name.startswith("refusal_rate:"):
        return f"terecht geweigerd, ontbreekt: {name.split(':', 1)[1]}"
    return ANSWER_LABELS.get(name, name)


def answer_columns(summary: Mapping[str, Any]) -> list[str]:
    """The answer table's columns: every item, then each split that has items."""
    return ["alles", *(split for split in SPLITS if split in summary.get("by_split", {}))]


def answer_rows(summary: Mapping[str, Any]) -> list[list[str]]:
    """Rows = answer metrics (and refusal per kind of missing information), columns = all items and each split."""
    parts = [summary["overall"]["answers"], *(summary["by_split"][s]["answers"] for s in answer_columns(summary)[1:])]
    kinds = sorted({name for part in parts for name in part if name.startswith("refusal_rate:")})
    return [[_label(name), *(_num(part.get(name)) for part in parts)] for name in [*ANSWER_METRICS, *kinds]]


def breakdown_rows(summary: Mapping[str, Any], key: str, metric: str = "hit@5") -> list[list[str]]:
    """Rows = documents (or groups, ...), columns = item count and ``metric`` per mode."""
    return [
        [name, str(part["items"]), *(_num(part["retrieval"][mode].get(metric)) for mode in summary["modes"])]
        for name, part in summary[key].items()
    ]


def detailed_breakdown_rows(summary: Mapping[str, Any], key: str) -> list[list[str]]:
    """Rows for report.md: counts, the default mode's hit@1/hit@5/MRR, hit@5 per mode, answer metrics."""
    first = summary["modes"][0]
    rows = []
    for name, part in summary[key].items():
        retrieval = part["retrieval"]
        answers = part["answers"]
        rows.append(
            [
                name,
                str(part["items"]),
                _num(retrieval[first].get("hit@1")),
                *(_num(retrieval[mode].get("hit@5")) for mode in summary["modes"]),
                _num(retrieval[first].get("mrr@5")),
                *(_num(answers.get(metric)) for metric in REPORTED_PER_PART),
            ]
        )
    return rows


def terminal_table(summary: Mapping[str, Any]) -> str:
    """What ``kennisbank eval`` prints: metrics per mode, answer metrics per split, hit@5 per document and group."""
    overall = summary["overall"]
    modes = summary["modes"]
    parts = [
        f"{overall['items']} items ({overall['answerable']} beantwoordbaar); zoekmetrieken over beantwoordbare items",
        text_table(["metriek", *modes], retrieval_rows(summary)),
        "",
        text_table([f"antwoorden ({modes[0]})", *answer_columns(summary)], answer_rows(summary)),
        "",
        text_table(["hit@5 per document", "items", *modes], breakdown_rows(summary, "by_doc")),
        "",
        text_table(["hit@5 per gebruikersgroep", "items", *modes], breakdown_rows(summary, "by_group")),
    ]
    return "\n".join(parts)


# --- report files ----------------------------------------------------------------------------------


def _failing_rows(failing: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    rows = []
    for row in failing:
        first = row["rank1"]
        if first is None:
            retrieved = "(niets)"
        else:
            place = first["doc"] + (f" — {first['section']}" if first["section"] else "")
            retrieved = f"{place}: {_snippet(first['text'])}"
        rows.append(
            [
                row["id"],
                row.get("split", ""),
                row["question"],
                row["reason"],
                _snippet(row.get("answer", "")),
                retrieved,
            ]
        )
    return rows


def markdown_report(summary: Mapping[str, Any], coverage: Mapping[str, Sequence[str]], index: Mapping[str, Any]) -> str:
    """report.md: the same numbers as the terminal, all breakdowns, uncovered documents, failing items."""
    overall = summary["overall"]
    modes = summary["modes"]
    first = modes[0]
    lines = [
        "# Evaluatierapport",
        "",
        f"Geschreven door `kennisbank eval`. {overall['items']} items, {overall['answerable']} beantwoordbaar; "
        f"zoekmetrieken bij k = {summary['k']} over beantwoordbare items; antwoorden uit `{first}`-zoeken.",
        f"Index: embedder `{index.get('embedder', '?')}`, pipeline `{index.get('pipeline', '?')}`, "
        f"{index.get('documents', '?')} documenten, {index.get('passages', '?')} passages.",
        "",
        "## Zoeken per modus",
        "",
        markdown_table(["metriek", *modes], retrieval_rows(summary)),
        "",
        f"## Antwoorden ({first}), per helft",
        "",
        markdown_table(["metriek", *answer_columns(summary)], answer_rows(summary)),
    ]
    headers_tail = [f"hit@1 {first}", *(f"hit@5 {mode}" for mode in modes), f"mrr@5 {first}", *REPORTED_PER_PART]
    for key, label in BREAKDOWNS:
        table = markdown_table([label, "items", *headers_tail], detailed_breakdown_rows(summary, key))
        lines += ["", f"## Per {label}", "", table]
    lines += ["", "## Documenten zonder evaluatie-items", ""]
    uncovered = coverage.get("uncovered", [])
    lines += [f"- {doc}" for doc in uncovered] or ["Geen: elk geïndexeerd document heeft evaluatie-items."]
    unknown = coverage.get("unknown", [])
    if unknown:
        lines += [
            "",
            "Documenten die items noemen maar die niet in de index staan:",
            "",
            *(f"- {doc}" for doc in unknown),
        ]
    failing = summary["failing"]
    lines += ["", f"## Mislukte items ({len(failing)})", ""]
    if failing:
        headers = ["id", "helft", "vraag", "waarom", "antwoord", f"rang 1 ({first})"]
        lines.append(markdown_table(headers, _failing_rows(failing), numeric=False))
    else:
        lines.append("Geen.")
    return "\n".join(lines) + "\n"


def json_report(summary: Mapping[str, Any], coverage: Mapping[str, Sequence[str]], index: Mapping[str, Any]) -> str:
    """The summary, coverage and index facts as the text of ``report.json``."""
    data = {"index": dict(index), "coverage": dict(coverage), **_rounded(dict(summary))}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def chart(summary: Mapping[str, Any], path: Path) -> None:
    """report.png: overall retrieval metrics per mode, and hit@5 per document per mode."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise KennisbankError("de grafiek heeft matplotlib nodig: pip install 'kennisbank[eval]'") from exc

    modes = summary["modes"]
    docs = list(summary["by_doc"])
    width = 0.8 / len(modes)
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 5.5), gridspec_kw={"width_ratios": [1, 1.3]})
    for i, mode in enumerate(modes):
        per_mode = summary["overall"]["retrieval"][mode]
        xs = [x + (i - (len(modes) - 1) / 2) * width for x in range(len(RETRIEVAL_METRICS))]
        left.bar(xs, [per_mode.get(name, 0.0) for name in RETRIEVAL_METRICS], width, label=mode)
        ys = [y + (i - (len(modes) - 1) / 2) * width for y in range(len(docs))]
        right.barh(ys, [summary["by_doc"][doc]["retrieval"][mode].get("hit@5", 0.0) for doc in docs], width, label=mode)
    left.set_xticks(range(len(RETRIEVAL_METRICS)), RETRIEVAL_METRICS)
    left.set_ylim(0, 1.05)
    left.set_title(f"Zoeken over {summary['overall']['answerable']} beantwoordbare items")
    right.set_yticks(range(len(docs)), [_short(doc) for doc in docs], fontsize=8)
    right.invert_yaxis()
    right.set_xlim(0, 1.05)
    right.set_title("hit@5 per document")
    handles, labels = left.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(modes))
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)


def _short(doc: str, limit: int = 42) -> str:
    name = doc.rsplit(".", 1)[0]
    return name if len(name) <= limit else name[: limit - 1] + "…"


def write_report(
    summary: Mapping[str, Any], coverage: Mapping[str, Sequence[str]], index: Mapping[str, Any], folder: Path
) -> list[Path]:
    """Write report.md, report.json and report.png into ``folder``; returns the paths written (report.png is
    left out when matplotlib, the optional ``eval`` extra, is not installed)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / REPORT_MD, folder / REPORT_JSON]
    paths[0].write_text(markdown_report(summary, coverage, index), encoding="utf-8")
    paths[1].write_text(json_report(summary, coverage, index), encoding="utf-8")
    if importlib.util.find_spec("matplotlib") is not None:
        chart(summary, folder / REPORT_PNG)
        paths.append(folder / REPORT_PNG)
    return paths
