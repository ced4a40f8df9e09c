"""The command line: a thin layer that parses arguments and prints; errors become one line."""

from __future__ import annotations

import json
import os
import re
import shlex
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from kennisbank.config import ENV_PREFIX, Settings
from kennisbank.errors import IndexMissingError, InputError, KennisbankError
from kennisbank.retrieval import Filters


class Fout(click.ClickException):
    """A one-line error for the user, printed as ``fout: <message>`` with exit code 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"fout: {self.format_message()}", err=True)


class UsageFout(Fout):
    """A command line that click cannot parse: one ``fout:`` line, exit code 2 (as click's own usage errors)."""

    exit_code = 2


class Afgebroken(Fout):
    """Ctrl-C: one Dutch line instead of click's "Aborted!", exit code 130 (as a shell reports SIGINT)."""

    exit_code = 130


class _DutchFormatter(click.HelpFormatter):
    """Click's help scaffolding ("Usage:", "Options:", "Commands:") in Dutch."""

    HEADINGS = {"Options": "Opties", "Commands": "Commando's", "Arguments": "Argumenten"}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="Gebruik: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(self.HEADINGS.get(heading, heading))


class _DutchContext(click.Context):
    formatter_class = _DutchFormatter


#: Click's usage errors (its own English text, gettext without a Dutch catalogue) -> Dutch.
_USAGE = [
    (re.compile(r"Missing argument '(.+)'\."), r"argument \1 ontbreekt"),
    (re.compile(r"No such option '(.+)'\. Did you mean '(.+)'\?"), r"onbekende optie \1; bedoelt u \2?"),
    (re.compile(r"No such option: (.+)"), r"onbekende optie \1"),
    (re.compile(r"No such option '(.+)'\."), r"onbekende optie \1"),
    (re.compile(r"No such command '(.+)'\."), r"onbekend commando \1"),
    (re.compile(r"Option '(.+)' requires an argument\."), r"optie \1 heeft een waarde nodig"),
    (re.compile(r"Got unexpected extra arguments? \((.+)\)"), r"onverwacht extra argument: \1"),
    (re.compile(r"Invalid value for (.+?): (.+)"), r"ongeldige waarde voor \1: \2"),
]
_DETAILS = [
    (re.compile(r"(\S+) is not in the range (.+)\."), r"\1 ligt niet in het bereik \2"),
    (re.compile(r"'(.+)' is not a valid integer( range)?\."), r"'\1' is geen geheel getal"),
    (re.compile(r"'(.+)' is not a valid float( range)?\."), r"'\1' is geen getal"),
    (re.compile(r"'(.+)' is not one of (.+)\."), r"'\1' is niet een van \2"),
    (re.compile(r"(?:File|Directory|Path) '(.+)' does not exist\."), r"'\1' bestaat niet"),
]


def _dutch_usage(error: click.UsageError) -> Fout:
    """A usage error of click as one Dutch ``fout:`` line (exit code 2), with where to find help."""
    message = error.format_message()
    misplaced = re.match(r"No such option:? '?(--[\w-]+)", message)
    if misplaced and misplaced.group(1) in {o for p in main.params for o in p.opts} and error.ctx is not None:
        # "kennisbank ask VRAAG --index PAD": an option of kennisbank itself, given after the command
        option, command = misplaced.group(1), error.ctx.command_path
        return UsageFout(f"{option} hoort vóór het commando: kennisbank {option} ... {command.split()[-1]} ...")
    for pattern, dutch in _USAGE + _DETAILS:
        message = pattern.sub(dutch, message)
    command = error.ctx.command_path if error.ctx is not None else "kennisbank"
    return UsageFout(f"{message} (zie '{command} --help')")


class _DutchHelp:
    """Dutch text for click's help option and options placeholder."""

    context_class: type[click.Context] = _DutchContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPTIES]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "Toon deze hulp en stop."
        return option

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc, no-any-return]
        except click.exceptions.NoArgsIsHelpError:
            # plain "kennisbank": the help on stdout, as for --help, not as an error
            click.echo(ctx.get_help())
            ctx.exit(0)
        except click.UsageError as exc:
            raise _dutch_usage(exc) from exc


class _Command(_DutchHelp, click.Command):
    pass


class _Group(_DutchHelp, click.Group):
    """Dutch help; our errors become one ``fout:`` line with a non-zero exit code."""

    command_class = _Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "COMMANDO [ARGUMENTEN]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KennisbankError as exc:
            raise Fout(_with_folders(str(exc), ctx.params)) from exc
        except KeyboardInterrupt as exc:
            raise Afgebroken("afgebroken met Ctrl-C; een onderbroken ingest laat de vorige index staan") from exc

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            raise _dutch_usage(exc) from exc


def _with_folders(message: str, params: dict[str, Any]) -> str:
    """``message`` with its hint "draai 'kennisbank ingest'" naming the ``--corpus`` and ``--index`` given on
    the command line, so that it can be run as it stands."""
    options = (("corpus", "corpus"), ("index", "index_dir"))
    given = [f"--{name} {shlex.quote(str(params[key]))}" for name, key in options if params.get(key)]
    if not given:
        return message
    return message.replace("'kennisbank ingest'", f'"kennisbank {" ".join(given)} ingest"')


_CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.group(cls=_Group, context_settings=_CONTEXT)
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
            label = f"{stage} ({total} passage{'' if total == 1 else 's'})"
            bars[stage] = click.progressbar(length=total, label=label, file=sys.stderr)
            bars[stage].__enter__()
        bar = bars[stage]
        bar.update(done - bar.pos)

    def close() -> None:
        for bar in bars.values():
            bar.__exit__(None, None, None)
        if bars and not sys.stderr.isatty():
            click.echo("", err=True)  # click ends a bar's last line only on a terminal

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
    for repaired in report.repaired:
        click.echo(f"hersteld: {repaired}", err=True)
    for error in report.errors:
        click.echo(f"fout: {error}", err=True)
    for warning in report.warnings:
        click.echo(f"waarschuwing: {warning}", err=True)
    click.echo(
        f"{len(report.added)} nieuw, {len(report.changed)} gewijzigd, {len(report.removed)} verwijderd, "
        f"{len(report.unchanged)} ongewijzigd"
        + (f", {len(report.kept)} vorige versie behouden" if report.kept else "")
        + f"; {report.passages} passages, {report.embedded} ge-embed, "
        f"{report.seconds:.1f} s"
    )
    if report.errors:
        raise Fout(f"{len(report.errors)} bestand(en) niet geïndexeerd, zie hierboven")


def _open(settings: Settings, build: bool = False) -> Any:
    """The knowledge base; with ``build`` the index is built first when there is none.

    Without ``build`` (ask, search, chat) a missing index is an error and nothing is created.

    Raises:
        IndexMissingError: no index and not ``build``.
        IndexFormatError, IndexDamagedError: see ``KnowledgeBase.open``.
    """
    from kennisbank.answering.generative import make_answerer
    from kennisbank.embedders import check_embedder_name
    from kennisbank.errors import ConfigError
    from kennisbank.knowledgebase import KnowledgeBase, ensure_index

    if build:
        update, close = _progress()
        try:
            report = ensure_index(settings, update)
        finally:
            close()
        if report is not None:
            click.echo(f"index gebouwd: {report.passages} passages in {report.seconds:.1f} s", err=True)
            for error in report.errors:
                click.echo(f"fout: {error}", err=True)
    kb = KnowledgeBase.open(settings, make_answerer(settings))
    chosen, built = os.environ.get(f"{ENV_PREFIX}EMBEDDER", "").strip(), kb.info().embedder
    if chosen and chosen != built:  # an index answers with the model it was built with
        try:
            check_embedder_name(chosen)
            why = "geldt pas na 'kennisbank ingest --rebuild'"
        except ConfigError as exc:
            why = f"wordt niet gebruikt: {exc}"
        click.echo(
            f"waarschuwing: {ENV_PREFIX}EMBEDDER={chosen} {why}; deze index is gebouwd met {built}",
            err=True,
        )
    return kb


def _questions(question: str) -> Iterator[tuple[int, str | InputError]]:
    """(line number, question) pairs; a stdin line that is not UTF-8 comes as an ``InputError`` for that line.

    '-' reads stdin as bytes, one question per non-empty line, so one bad line does not stop the rest.
    """
    if question != "-":
        yield 1, question
        return
    stream = getattr(sys.stdin, "buffer", None)
    lines: Iterator[bytes | str] = iter(stream if stream is not None else sys.stdin)
    for number, raw in enumerate(lines, 1):
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield (
                    number,
                    InputError(
                        f"regel {number}: geen geldige UTF-8 (byte {raw[exc.start]:#04x} op positie {exc.start + 1})"
                    ),
                )
                continue
        if raw.strip():
            yield number, raw.strip()


def _filters(kb: Any, doc: tuple[str, ...], kind: tuple[str, ...], region: tuple[str, ...]) -> Filters:
    """The filters, each value checked against the index.

    Raises:
        InputError: a value names no document, kind or region in the index ("document nope.txt staat niet in de index").
    """
    entries = kb.documents()
    known = {
        "document": set(entries),
        "soort": {e.meta.kind for e in entries.values() if e.meta.kind},
        "regio": {e.meta.region for e in entries.values() if e.meta.region},
    }
    for label, values in (("document", doc), ("soort", kind), ("regio", region)):
        for value in values:
            if value not in known[label]:
                raise InputError(f"{label} {value} staat niet in de index (zie 'kennisbank docs')")
    return Filters(doc, kind, region)


def _failed(number: int, error: InputError, batch: bool, question: str = "") -> None:
    """Report one unanswerable question: one line on stderr; in a batch also a JSON line in its place on stdout
    (with the question, unless the line could not be read)."""
    where = f"regel {number}: " if batch and not str(error).startswith("regel ") else ""
    click.echo(f"fout: {where}{error}", err=True)
    if batch:
        row = {"line": number, **({"question": question} if question else {}), "error": str(error)}
        click.echo(json.dumps(row, ensure_ascii=False))


def _filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--region", multiple=True, help="Alleen deze regio (herhaalbaar).")(func)
    func = click.option("--kind", multiple=True, help="Alleen dit soort document (herhaalbaar).")(func)
    return click.option("--doc", multiple=True, help="Alleen dit document (bestandsnaam, herhaalbaar).")(func)


@main.command()
@click.argument("words", metavar="VRAAG", nargs=-1, required=True)
@click.option("--top-k", "-k", default=5, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True, help="JSON-uitvoer; bij '-' één JSON-regel per vraag.")
@click.option("--mode", type=click.Choice(["hybrid", "bm25", "dense"]), default="hybrid", show_default=True)
@_filter_options
@click.pass_obj
def search(
    settings: Settings,
    words: tuple[str, ...],
    top_k: int,
    as_json: bool,
    mode: str,
    doc: tuple[str, ...],
    kind: tuple[str, ...],
    region: tuple[str, ...],
) -> None:
    """Zoek passages bij VRAAG ('-' leest één vraag per regel van stdin)."""
    question = " ".join(words)  # a question typed without quotes is still one question
    kb = _open(settings)
    filters = _filters(kb, doc, kind, region)
    for _number, _asked, hits in _each(question, lambda q: kb.search(q, top_k, filters, mode)):
        if as_json or question == "-":
            rows = [{"rank": i, **p.citation_dict()} for i, p in enumerate(hits, 1)]
            click.echo(json.dumps(rows, ensure_ascii=False))
            continue
        if not hits:
            click.echo("Geen passages gevonden.")
        for i, p in enumerate(hits, 1):
            click.echo(f"{i}. [{p.score:.4f}] {p.label()}\n   {p.text[:300].replace(chr(10), ' ')}\n")


def _each(question: str, run: Callable[[str], Any]) -> Iterator[tuple[int, str, Any]]:
    """``run`` on each question of VRAAG ('-': each stdin line), as (line number, question, result); in a batch
    a bad line is reported, the rest run.

    Raises:
        Fout: at the end of a batch in which some lines failed (so the exit code says so).
        InputError: the one question given on the command line cannot be asked.
    """
    failed = answered = 0
    for number, q in _questions(question):
        try:
            if isinstance(q, InputError):
                raise q
            if not q.strip():
                from kennisbank.knowledgebase import EMPTY

                where = f"regel {number}: " if question == "-" else ""
                raise InputError(f"{where}{EMPTY}")
            result = run(q)  # a question of only punctuation: check_question's one line
        except InputError as exc:
            if question != "-":
                raise
            _failed(number, exc, batch=True, question=q if isinstance(q, str) else "")
            failed += 1
            continue
        answered += 1
        yield number, q, result
    if failed:
        rest = "; de rest wel" if answered else ""
        raise Fout(f"{failed} {'vraag' if failed == 1 else 'vragen'} niet beantwoord, zie hierboven{rest}")
    if question == "-" and not answered:
        raise Fout("geen vragen op de invoer: geef één vraag per regel")


@main.command()
@click.argument("words", metavar="VRAAG", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="JSON-uitvoer; bij '-' één JSON-regel per vraag.")
@_filter_options
@click.pass_obj
def ask(
    settings: Settings,
    words: tuple[str, ...],
    as_json: bool,
    doc: tuple[str, ...],
    kind: tuple[str, ...],
    region: tuple[str, ...],
) -> None:
    """Beantwoord VRAAG met bronvermelding ('-' leest één vraag per regel van stdin)."""
    question = " ".join(words)  # a question typed without quotes is still one question
    kb = _open(settings)
    filters = _filters(kb, doc, kind, region)
    for number, asked, answer in _each(question, lambda q: kb.ask(q, filters)):
        if question == "-":  # a batch: each JSON line says which line and question it answers
            click.echo(json.dumps({"line": number, "question": asked, **answer.to_dict()}, ensure_ascii=False))
            continue
        if as_json:
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
            also = f" (staat ook in: {'; '.join(c.passage.also_in)})" if c.passage.also_in else ""
            click.echo(f"[{c.n}] {c.label()}{also}")
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

    kb = _open(settings)
    engine = Chat(kb)
    filters = _filters(kb, doc, kind, region)
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
        try:
            turn = engine.ask(question, turns, filters)
        except InputError as exc:
            click.echo(f"fout: {exc}", err=True)
            continue
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
        raise IndexMissingError.at(settings.index)
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
    from kennisbank.ui import check_port, launch
    from kennisbank.web import check_exposure

    overrides = {k: v for k, v in (("host", host), ("port", port)) if v is not None}
    settings = Settings(**{**settings.__dict__, **overrides})
    check_exposure(settings)  # before a build of minutes, not after
    check_port(settings.host, settings.port)
    launch(settings, _open(settings, build=True), announce=True)


def _path(flag: str, dest: str, default: str, what: str, folder: bool = False) -> Callable[..., Any]:
    """A path option with its default shown (click's boilerplate, written once)."""
    kind = click.Path(file_okay=folder is False, dir_okay=folder, path_type=Path)
    return click.option(flag, dest, type=kind, default=Path(default), show_default=True, help=what)


@main.command("eval")
@_path("--items", "items_path", "evals/questions.jsonl", "Eval-items, één JSON-object per regel.")
@click.option(
    "--report-dir",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Map voor report.md, report.json en report.png [standaard: evals/reports voor de eigen corpusmap en "
    "evals/questions.jsonl, anders de map 'evaluatie' in de indexmap].",
)
@_path("--baseline", "baseline_path", "evals/baseline.json", "Baseline waartegen gecontroleerd wordt.")
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
    settings: Settings,
    items_path: Path,
    report_dir: Path | None,
    baseline_path: Path,
    update_baseline: bool,
    tolerance: float,
) -> None:
    """Draai de evaluatieset: metrieken per zoekmodus, antwoorden, rapport en vergelijking met de baseline."""
    from kennisbank.evaluation import report as evalreport
    from kennisbank.evaluation import run as evaluation

    if report_dir is None:  # the committed report describes the shipped corpus and items only
        own = settings.corpus.resolve() == Path("corpus").resolve() and items_path == Path("evals/questions.jsonl")
        report_dir = Path("evals/reports") if own else settings.index / "evaluatie"

    items = evaluation.load_items(items_path)
    kb = _open(settings, build=True)
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
    if report_dir / evalreport.REPORT_PNG not in paths:
        click.echo("geen grafiek (report.png): matplotlib ontbreekt; pip install -e '.[eval]'", err=True)
    click.echo(f"\n{len(summary['failing'])} mislukte item(s); rapport: {', '.join(str(p) for p in paths)}")
    for doc in coverage["uncovered"]:
        click.echo(f"waarschuwing: geen evaluatie-item gaat over {doc}; voeg items toe (zie evals/README.md)", err=True)
    for doc in coverage["unknown"]:
        click.echo(f"waarschuwing: evaluatie-items noemen {doc}, dat niet in de index staat", err=True)
    if update_baseline:
        evaluation.write_baseline(baseline_path, summary)
        click.echo(f"baseline geschreven naar {baseline_path}")
        return
    baseline = evaluation.read_baseline(baseline_path)
    if baseline is None:
        click.echo(f"waarschuwing: geen baseline in {baseline_path}; schrijf er een met --update-baseline", err=True)
        return
    regressions = evaluation.compare(evaluation.gated_metrics(summary), baseline, tolerance)
    for regression in regressions:
        click.echo(f"achteruitgang: {regression}", err=True)
    if regressions:
        raise Fout(f"{len(regressions)} metriek(en) meer dan {tolerance} slechter dan de baseline in {baseline_path}")
    click.echo(f"geen metriek meer dan {tolerance} slechter dan de baseline in {baseline_path}")


if __name__ == "__main__":
    main()
