"""The command line: a thin layer that parses arguments and prints; errors become one line."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from kennisbank.config import Settings
from kennisbank.errors import KennisbankError
from kennisbank.retrieval import Filters


class _Group(click.Group):
    """Turns our errors into click's one-line message with a non-zero exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KennisbankError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_Group)
@click.option("--corpus", type=click.Path(path_type=Path), help="Corpusmap (standaard: KENNISBANK_CORPUS of corpus/).")
@click.option(
    "--index", "index_dir", type=click.Path(path_type=Path), help="Indexmap (standaard: KENNISBANK_INDEX of index/)."
)
@click.pass_context
def main(ctx: click.Context, corpus: Path | None, index_dir: Path | None) -> None:
    """Kennisbank: zoeken en vragen in beleidsdocumenten over huiselijk geweld en kindermishandeling."""
    settings = Settings()
    overrides = {k: v for k, v in (("corpus", corpus), ("index", index_dir)) if v is not None}
    ctx.obj = Settings(**{**settings.__dict__, **overrides})


def _progress() -> tuple[Callable[[str, int, int], None], Callable[[], None]]:
    """A click progress bar per stage, created when the stage reports its total."""
    bars: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            bars[stage] = click.progressbar(length=total, label=stage, file=sys.stderr)
            bars[stage].__enter__()
        bar = bars[stage]
        bar.update(done - bar.pos)

    def close() -> None:
        for bar in bars.values():
            bar.__exit__(None, None, None)

    return update, close


@main.command()
@click.option("--rebuild", is_flag=True, help="Gooi de index weg en bouw hem opnieuw op.")
@click.option("--no-ocr", "no_ocr", is_flag=True, help="Lees pagina's zonder tekstlaag niet met OCR (sneller).")
@click.pass_obj
def ingest(settings: Settings, rebuild: bool, no_ocr: bool) -> None:
    """Lees de corpusmap en werk de index bij (alleen wat veranderd is)."""
    from kennisbank.indexing import ingest as run_ingest

    update, close = _progress()
    try:
        report = run_ingest(
            settings.corpus, settings.index, settings.embedder, settings.chroma_url, rebuild, update, ocr=not no_ocr
        )
    finally:
        close()
    if report.rebuilt_format:
        click.echo("de index had een ouder formaat en is opnieuw gebouwd", err=True)
    for error in report.errors:
        click.echo(f"fout: {error}", err=True)
    for warning in report.warnings:
        click.echo(f"waarschuwing: {warning}", err=True)
    click.echo(
        f"{len(report.added)} nieuw, {len(report.changed)} gewijzigd, {len(report.removed)} verwijderd, "
        f"{len(report.unchanged)} ongewijzigd; {report.passages} passages, {report.embedded} ge-embed, "
        f"{report.seconds:.1f} s"
    )
    if report.errors:
        raise click.ClickException(f"{len(report.errors)} bestand(en) niet geïndexeerd, zie hierboven")


def _open(settings: Settings) -> Any:
    """The knowledge base, after building the index when there is none (an old-format index is an error)."""
    from kennisbank.answering.generative import make_answerer
    from kennisbank.knowledgebase import KnowledgeBase, ensure_index

    update, close = _progress()
    try:
        report = ensure_index(settings, update)
    finally:
        close()
    if report is not None:
        click.echo(f"index gebouwd: {report.passages} passages in {report.seconds:.1f} s", err=True)
        for error in report.errors:
            click.echo(f"fout: {error}", err=True)
    return KnowledgeBase.open(settings, make_answerer(settings))


def _questions(question: str) -> Iterator[str]:
    if question == "-":
        yield from (line.strip() for line in sys.stdin if line.strip())
    else:
        yield question


def _filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--region", multiple=True, help="Alleen deze regio (herhaalbaar).")(func)
    func = click.option("--kind", multiple=True, help="Alleen dit soort document (herhaalbaar).")(func)
    return click.option("--doc", multiple=True, help="Alleen dit document (bestandsnaam, herhaalbaar).")(func)


@main.command()
@click.argument("question")
@click.option("--top-k", "-k", default=5, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True, help="JSON-uitvoer; bij '-' één JSON-regel per vraag.")
@click.option("--mode", type=click.Choice(["hybrid", "bm25", "dense"]), default="hybrid", show_default=True)
@_filter_options
@click.pass_obj
def search(
    settings: Settings,
    question: str,
    top_k: int,
    as_json: bool,
    mode: str,
    doc: tuple[str, ...],
    kind: tuple[str, ...],
    region: tuple[str, ...],
) -> None:
    """Zoek passages bij QUESTION ('-' leest één vraag per regel van stdin)."""
    kb = _open(settings)
    filters = Filters(doc, kind, region)
    for q in _questions(question):
        hits = kb.search(q, top_k, filters, mode)
        if as_json or question == "-":
            rows = [{"rank": i, **p.citation_dict()} for i, p in enumerate(hits, 1)]
            click.echo(json.dumps(rows, ensure_ascii=False))
            continue
        if not hits:
            click.echo("Geen passages gevonden.")
        for i, p in enumerate(hits, 1):
            click.echo(f"{i}. [{p.score:.4f}] {p.label()}\n   {p.text[:300].replace(chr(10), ' ')}\n")


@main.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="JSON-uitvoer; bij '-' één JSON-regel per vraag.")
@_filter_options
@click.pass_obj
def ask(
    settings: Settings,
    question: str,
    as_json: bool,
    doc: tuple[str, ...],
    kind: tuple[str, ...],
    region: tuple[str, ...],
) -> None:
    """Beantwoord QUESTION met bronvermelding ('-' leest één vraag per regel van stdin)."""
    kb = _open(settings)
    filters = Filters(doc, kind, region)
    for q in _questions(question):
        answer = kb.ask(q, filters)
        if as_json or question == "-":
            click.echo(json.dumps(answer.to_dict(), ensure_ascii=False))
            continue
        _print_answer(answer)


def _print_answer(answer: Any) -> None:
    """An answer for people: text, note, sources, or the closest passages of a refusal."""
    click.echo(answer.text + "\n")
    if answer.note:
        click.echo(answer.note + "\n")
    if answer.citations:
        click.echo("Bronnen:")
        for c in answer.citations:
            click.echo(f"[{c.n}] {c.passage.label()}")
    for i, p in enumerate(answer.closest, 1):
        click.echo(f"(dichtstbij, geen antwoord) {i}. {p.label()}")


#: Words that end the terminal chat.
_STOP_WORDS = ("stop", "exit", "quit", "klaar")


@main.command()
@_filter_options
@click.pass_obj
def chat(settings: Settings, doc: tuple[str, ...], kind: tuple[str, ...], region: tuple[str, ...]) -> None:
    """Praat met de kennisbank in de terminal; vervolgvragen ("En wie betaalt dat?") kennen het gesprek.

    Eén vraag per regel; een lege regel, 'stop' of Ctrl-D beëindigt het gesprek, 'nieuw' begint opnieuw.
    """
    from kennisbank.chat import Chat, Turn

    engine = Chat(_open(settings))
    filters = Filters(doc, kind, region)
    turns: list[Turn] = []
    interactive = sys.stdin.isatty()
    if interactive:
        click.echo("Stel een vraag (lege regel of 'stop' om te stoppen, 'nieuw' voor een nieuw gesprek).")
    while True:
        if interactive:
            click.echo("> ", nl=False)
        line = sys.stdin.readline()
        question = line.strip()
        if not line or not question or question.lower() in _STOP_WORDS:
            return
        if question.lower() == "nieuw":
            turns = []
            click.echo("Nieuw gesprek.\n")
            continue
        turn = engine.ask(question, turns, filters)
        turns.append(turn)
        if turn.searched != question:
            click.echo(f"(gezocht als: {turn.searched})")
        _print_answer(turn.answer)
        click.echo("")


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def docs(settings: Settings, as_json: bool) -> None:
    """Toon de geïndexeerde documenten met het aantal passages."""
    from kennisbank.store.manifest import read_manifest

    manifest = read_manifest(settings.index)
    if manifest is None or not manifest.generation:
        raise click.ClickException(f"geen index in {settings.index}: draai eerst 'kennisbank ingest'")
    documents = sorted(manifest.documents.items())
    if as_json:
        rows = [
            {**e.meta.to_dict(), "passages": e.passages, "pages": e.pages, "sha256": e.sha256} for _, e in documents
        ]
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    for name, e in documents:
        m = e.meta
        click.echo(f"{e.passages:>5}  {name}  ({m.kind or '-'}, {m.region or '-'}, {m.period or '-'})")
    click.echo(f"{sum(e.passages for _, e in documents):>5}  passages in {len(documents)} documenten")


@main.command()
@click.option("--host", help="Adres om op te luisteren (standaard: KENNISBANK_HOST of 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Poort (standaard: KENNISBANK_PORT of 7860).")
@click.pass_obj
def serve(settings: Settings, host: str | None, port: int | None) -> None:
    """Start de chat-app in de browser; bouwt eerst de index als die er nog niet is."""
    from kennisbank.ui import launch

    overrides = {k: v for k, v in (("host", host), ("port", port)) if v is not None}
    settings = Settings(**{**settings.__dict__, **overrides})
    launch(settings, _open(settings), announce=True)


@main.command("eval")
@click.option(
    "--items",
    "items_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("evals/questions.jsonl"),
    show_default=True,
    help="Eval-items, één JSON-object per regel.",
)
@click.option(
    "--report-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("evals/reports"),
    show_default=True,
    help="Map voor report.md, report.json en report.png.",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("evals/baseline.json"),
    show_default=True,
    help="Baseline waartegen gecontroleerd wordt.",
)
@click.option(
    "--update-baseline", is_flag=True, help="Schrijf de huidige waarden als baseline (na een bewuste wijziging)."
)
@click.option(
    "--tolerance",
    type=click.FloatRange(0.0, 1.0),
    default=0.02,
    show_default=True,
    help="Hoeveel een metriek onder de baseline mag zakken.",
)
@click.pass_obj
def evaluate(
    settings: Settings, items_path: Path, report_dir: Path, baseline_path: Path, update_baseline: bool, tolerance: float
) -> None:
    """Draai de evaluatieset: metrieken per zoekmodus, antwoorden, rapport en vergelijking met de baseline."""
    from kennisbank.evaluation import report as evalreport
    from kennisbank.evaluation import run as evaluation

    items = evaluation.load_items(items_path)
    kb = _open(settings)
    with click.progressbar(items, label="evalueren", file=sys.stderr) as bar:
        results = [evaluation.run_item(kb, item) for item in bar]
    summary = evaluation.summarize(items, results)
    info = kb.info()
    coverage = evaluation.coverage(kb.documents(), items)
    index_info = {
        "embedder": info.embedder,
        "pipeline": info.pipeline,
        "documents": info.documents,
        "passages": info.passages,
    }
    click.echo(evalreport.terminal_table(summary))
    paths = evalreport.write_report(summary, coverage, index_info, report_dir)
    click.echo(f"\n{len(summary['failing'])} failing item(s); report: {', '.join(str(p) for p in paths)}")
    for doc in coverage["uncovered"]:
        click.echo(f"warning: no eval item covers {doc}; add items for it (see evals/README.md)", err=True)
    for doc in coverage["unknown"]:
        click.echo(f"warning: eval items name {doc}, which is not in the index", err=True)
    if update_baseline:
        evaluation.write_baseline(baseline_path, summary)
        click.echo(f"baseline written to {baseline_path}")
        return
    baseline = evaluation.read_baseline(baseline_path)
    if baseline is None:
        click.echo(f"warning: no baseline at {baseline_path}; write one with --update-baseline", err=True)
        return
    regressions = evaluation.compare(evaluation.gated_metrics(summary), baseline, tolerance)
    for regression in regressions:
        click.echo(f"regression: {regression}", err=True)
    if regressions:
        raise click.ClickException(
            f"{len(regressions)} metric(s) dropped more than {tolerance} below the baseline in {baseline_path}"
        )
    click.echo(f"no metric dropped more than {tolerance} below the baseline in {baseline_path}")


if __name__ == "__main__":
    main()
