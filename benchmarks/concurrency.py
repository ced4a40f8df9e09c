"""Simultaneous chat users against the app, through gradio_client, on 127.0.0.1 only.

    python benchmarks/concurrency.py --index DIR            # 20 chat users for 60 s, then 20 /ask users for 60 s
    python benchmarks/concurrency.py --index DIR --sweep    # first try other queue settings (20 s each)

The app runs in its own process: ``ui.launch`` as shipped, or for the sweep the same
UI with the queue settings under test. Every user is a ``gradio_client.Client`` in a
thread of this process that asks the eval questions back to back, each as a new
conversation, on one of two endpoints:

- ``chat``: the chat tab's own handler, streamed word by word as a browser sees it.
  The app keeps that handler private; the benchmark's app process exposes it to API
  clients after launch (loopback only). Latency is until the whole answer and its
  sources have arrived; "first" is until the first streamed words.
- ``ask``: the public ``/ask`` endpoint (one JSON answer).

A run is bounded by ``--duration`` and ``--max-requests``, whichever comes first. It
reports errors and malformed answers, throughput, latency p50/p95 and CPU and memory
of both processes, and writes a section to BENCHMARKS.md unless ``--no-write``. It
exits 1 when a request failed.

Both sides share the machine: the clients' own CPU use (20 threads parsing server-sent
events) is part of the latency measured here, as it would not be for users elsewhere.
"""

from __future__ import annotations

import argparse
import datetime
import html
import json
import os
import re
import resource
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import BENCH_ENV, OUTPUT, _machine, _ms, write_section  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ITEMS = ROOT / "evals" / "questions.jsonl"
ENDPOINTS = ("chat", "ask")
#: Queue settings tried by --sweep: (default_concurrency_limit, max_threads, max_size).
SWEEP = ((1, 40, None), (4, 40, None), (8, 40, None), (16, 40, None), (32, 40, None), (32, 64, 64))


@dataclass
class Trial:
    """What one run measured."""

    label: str
    endpoint: str
    users: int
    workers: int = 1
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    app_rss_mb: float = 0.0
    app_cpu_s: float = 0.0
    client_cpu_s: float = 0.0

    def row(self) -> str:
        done = len(self.latencies)
        rate = done / self.seconds if self.seconds else 0.0
        s = self.settings
        first = f"{_ms(self.first, 0.5):.0f} / {_ms(self.first, 0.95):.0f} ms" if self.first else "-"
        return (
            f"| {self.label} | {self.endpoint} | {self.workers} | {s.get('default_concurrency_limit')} "
            f"| {s.get('max_threads')} "
            f"| {s.get('max_size')} | {self.users} | {self.seconds:.0f} s | {done} | {len(self.errors)} "
            f"| {rate:.1f}/s | {_ms(self.latencies, 0.5):.0f} / {_ms(self.latencies, 0.95):.0f} ms | {first} "
            f"| {self._pct(self.app_cpu_s)} / {self._pct(self.client_cpu_s)} | {self.app_rss_mb:.0f} MB |"
        )

    def _pct(self, cpu: float) -> str:
        return f"{cpu / self.seconds * 100:.0f} %" if self.seconds else "-"


HEADER = (
    "| run | endpoint | app workers | default_concurrency_limit | max_threads | max_size | users | duration "
    "| answers | errors | throughput | latency p50 / p95 | first words p50 / p95 | CPU app / clients "
    "| app peak RSS |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, help="index folder (default: KENNISBANK_INDEX or index/)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load per run (default 60)")
    parser.add_argument("--max-requests", type=int, default=3000, help="and at most this many requests per run")
    parser.add_argument("--think", type=float, default=0.0, help="seconds a user waits between questions")
    parser.add_argument("--endpoint", choices=ENDPOINTS, action="append", help="default: chat, then ask")
    parser.add_argument("--sweep", action="store_true", help="first try the queue settings in SWEEP (chat)")
    parser.add_argument("--sweep-duration", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=1, help="also run the chat with this many app processes")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve(json.loads(args.serve))

    from kennisbank.config import Settings

    index = (args.index or Settings().index).resolve()
    questions = [json.loads(line)["question"] for line in ITEMS.read_text(encoding="utf-8").splitlines() if line]
    machine = _machine()
    print(f"concurrency: {machine['summary']}; index {index}", file=sys.stderr)
    trials = []
    if args.sweep:
        for limit, threads, size in SWEEP:
            config = {"default_concurrency_limit": limit, "max_threads": threads, "max_size": size}
            trials.append(trial("sweep", "chat", index, config, questions, args, args.sweep_duration))
    for endpoint in args.endpoint or ENDPOINTS:
        trials.append(trial("ui.launch", endpoint, index, None, questions, args, args.duration))
    if args.workers > 1:
        trials.append(trial("ui.launch", "chat", index, None, questions, args, args.duration, args.workers))
    machine["load_after"] = os.getloadavg()[0]
    table = render(trials, machine, args)
    print(table)
    if not args.no_write:
        write_section(args.output, "concurrency.py", table)
        print(f"written to {args.output}", file=sys.stderr)
    failed = [t for t in trials if t.errors]
    for t in failed:
        print(f"{t.label} {t.endpoint}: {len(t.errors)} errors, first: {t.errors[0]}", file=sys.stderr)
    return 1 if failed else 0


def render(trials: list[Trial], machine: dict[str, Any], args: argparse.Namespace) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"### `benchmarks/concurrency.py{' --sweep' if args.sweep else ''}`: {now}\n\n"
        f"Machine: {machine['cores']} cores (nproc), {machine['cpu']}, {machine['ram_gib']:.1f} GiB RAM; load average "
        f"{machine['load_before']:.1f} before, {machine['load_after']:.1f} after. {args.users} gradio_client users "
        f"on 127.0.0.1, each asking the eval questions back to back as new conversations (think time "
        f"{args.think:g} s), a run bounded by its duration and {args.max_requests} requests. `chat` is the chat "
        "tab's streamed handler (latency until the whole answer and its sources are in), `ask` the `/ask` API. "
        "The clients share the 2 cores with the app; CPU is each process's CPU time over the run's wall time "
        "(200 % = both cores); with several app workers their CPU and memory are added up.\n\n"
        + HEADER
        + "\n"
        + "\n".join(t.row() for t in trials)
        + "\n"
    )


def trial(
    label: str,
    endpoint: str,
    index: Path,
    config: dict[str, Any] | None,
    questions: list[str],
    args: argparse.Namespace,
    duration: float,
    workers: int = 1,
) -> Trial:
    """One run: ``workers`` app processes on their own ports, user i talking to worker i mod ``workers``
    (as a reverse proxy with sticky sessions would spread them)."""
    apps: list[subprocess.Popen[str]] = []
    try:
        urls = []
        for _ in range(workers):
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = int(sock.getsockname()[1])
            spec = {"index": str(index), "port": port, "config": config}
            apps.append(
                subprocess.Popen(
                    [sys.executable, __file__, "--serve", json.dumps(spec)],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    text=True,
                    cwd=ROOT,
                    env={**os.environ, **BENCH_ENV, "GRADIO_ANALYTICS_ENABLED": "False"},
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        settings: dict[str, Any] = {}
        for app in apps:
            assert app.stdout is not None
            line = app.stdout.readline()
            if not line.startswith("{"):
                raise RuntimeError(f"app did not start (exit {app.poll()}): {line!r}")
            settings = json.loads(line)
        result = Trial(label, endpoint, args.users, workers=workers, settings=settings)
        print(f"{label} {endpoint} x{workers}: {settings}, {args.users} users for {duration:.0f} s", file=sys.stderr)
        app_cpu = sum(_cpu_seconds(app.pid) for app in apps)
        load(urls, endpoint, questions, args, duration, result)
        result.app_cpu_s = sum(_cpu_seconds(app.pid) for app in apps) - app_cpu
        result.app_rss_mb = sum(_peak_rss_mb(app.pid) for app in apps)
        return result
    finally:
        for app in apps:
            app.terminate()
        for app in apps:
            try:
                app.wait(timeout=15)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait()


def load(
    urls: list[str], endpoint: str, questions: list[str], args: argparse.Namespace, duration: float, out: Trial
) -> None:
    """``args.users`` clients, started together, ask until the duration or the request budget runs out."""
    from gradio_client import Client

    clients = [Client(urls[i % len(urls)], verbose=False) for i in range(args.users)]
    start = threading.Barrier(args.users + 1)
    budget = threading.Semaphore(args.max_requests)
    lock = threading.Lock()
    deadline = 0.0

    def user(i: int) -> None:
        client = clients[i]
        start.wait()
        n = i * 7
        while time.monotonic() < deadline and budget.acquire(blocking=False):
            question = questions[n % len(questions)]
            n += 1
            began = time.perf_counter()
            first = None
            try:
                if endpoint == "ask":
                    problem = _bad_answer(client.predict(question, api_name="/ask"))
                else:
                    client.reset_session()  # a new conversation: no earlier turns to condense
                    job = client.submit(question, [], [], [], api_name="/respond")
                    for update in job:
                        if first is None and _has_answer_text(update):
                            first = time.perf_counter() - began
                    problem = _bad_chat(job.result())
            except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
                problem = f"{type(exc).__name__}: {exc}"
            took = time.perf_counter() - began
            with lock:
                if problem:
                    out.errors.append(f"{question!r}: {problem}"[:300])
                else:
                    out.latencies.append(took)
                    if first is not None:
                        out.first.append(first)
            if args.think:
                time.sleep(args.think)

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(args.users)]
    for t in threads:
        t.start()
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    deadline = time.monotonic() + duration
    began = time.perf_counter()
    start.wait()
    for t in threads:
        t.join(timeout=duration + 120)
    out.seconds = time.perf_counter() - began
    used = resource.getrusage(resource.RUSAGE_SELF)
    out.client_cpu_s = used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime
    for client in clients:
        client.close()


def _bad_answer(answer: Any) -> str:
    """Why an /ask result is malformed, or "" when it is well-formed."""
    if not isinstance(answer, dict):
        return f"not a dict: {answer!r}"[:200]
    if not isinstance(answer.get("answer"), str) or not answer["answer"].strip():
        return "empty answer"
    if not isinstance(answer.get("refused"), bool) or not isinstance(answer.get("citations"), list):
        return f"malformed: {sorted(answer)}"
    if not answer["refused"] and not answer["citations"]:
        return "an answer without citations"
    return ""


def _assistant_text(chat: Any) -> str:
    """The text of the last answer in the chat's HTML (issue 12: the chat is a gr.HTML conversation)."""
    if not isinstance(chat, str):
        return ""
    texts = re.findall(r'<div class="kb-text"[^>]*>(.*?)</div>', chat, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", texts[-1])) if texts else ""


def _has_answer_text(update: Any) -> bool:
    """Whether the chat (index 1) or the streamed answer (last output) shows answer text yet."""
    if not isinstance(update, list | tuple) or len(update) < 2:
        return False
    texts = (_assistant_text(update[1]).strip(), _assistant_text(update[-1]).strip())
    return any(text not in ("", "Zoeken in de documenten…") for text in texts)


def _bad_chat(outputs: Any) -> str:
    """Why the final chat outputs (question box, chat, conversation, ...) are malformed, or ""."""
    if not isinstance(outputs, list | tuple) or len(outputs) < 3:
        return f"unexpected outputs: {outputs!r}"[:200]
    if not _has_answer_text(outputs):
        return "no answer in the chat"
    if not isinstance(outputs[2], list) or not outputs[2] or "citations" not in outputs[2][-1]:
        return f"no stored turn with sources: {outputs[2]!r}"[:200]
    return ""


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def serve(spec: dict[str, Any]) -> int:
    """The app process: ``ui.launch`` as shipped, or the same UI with the queue settings under test."""
    from kennisbank.config import Settings
    from kennisbank.feedback import FeedbackLog
    from kennisbank.knowledgebase import KnowledgeBase
    from kennisbank.ui import App, build_ui, launch

    settings = Settings(index=Path(spec["index"]), host="127.0.0.1", port=spec["port"], auth=None)
    config = spec["config"]
    if config is None:
        demo = launch(settings, block=False, quiet=True)
    else:
        demo = build_ui(App(KnowledgeBase.open(settings), FeedbackLog.in_index(settings.index)))
        demo.queue(default_concurrency_limit=config["default_concurrency_limit"], max_size=config["max_size"])
        demo.launch(
            server_name=settings.host,
            server_port=settings.port,
            prevent_thread_lock=True,
            quiet=True,
            max_threads=config["max_threads"],
            ssr_mode=False,
        )
    # The chat handler is private in the app; open it to this benchmark's API clients.
    for fn in demo.fns.values():
        if fn.api_name == "respond":
            fn.api_visibility = "public"
    for dependency in demo.config["dependencies"] if demo.config else []:
        if dependency.get("api_name") == "respond":
            dependency["api_visibility"] = "public"
    queue = demo._queue  # the values in effect, whoever set them
    actual = {
        "default_concurrency_limit": queue.default_concurrency_limit,
        "max_threads": demo.max_threads,
        "max_size": queue.max_size,
    }
    with urllib.request.urlopen(f"http://127.0.0.1:{settings.port}/gradio_api/info", timeout=30):
        pass
    print(json.dumps(actual), flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    sys.exit(main())
