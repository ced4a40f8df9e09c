"""Simultaneous chat users against the app, through gradio_client, on 127.0.0.1 only.

    python benchmarks/concurrency.py --index DIR            # 20 users for 60 s, the settings of ui.launch
    python benchmarks/concurrency.py --index DIR --sweep    # first try other queue settings (20 s each)

The app runs in its own process (``ui.launch``, or for the sweep the same UI with the
queue settings under test); every user is a ``gradio_client.Client`` in a thread of
this process that asks the eval questions back to back on the ``/ask`` endpoint (the
chat's own streaming handler is not callable by API clients). A run is bounded by
``--duration`` and ``--max-requests``, whichever comes first. It reports errors,
malformed answers, throughput and latency p50/p95, and writes a section to
BENCHMARKS.md unless ``--no-write``. It exits 1 when a request failed.

Both sides share the machine: the clients' own CPU use (SSE parsing in 20 threads)
is part of the latency measured here, as it would not be for users on other machines.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
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
from run import OUTPUT, _machine, _ms, write_section  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ITEMS = ROOT / "evals" / "questions.jsonl"
#: Queue settings tried by --sweep: (default_concurrency_limit, max_threads, max_size).
SWEEP = ((1, 40, None), (2, 40, None), (4, 40, None), (8, 40, None), (16, 40, None), (32, 40, None))


@dataclass
class Trial:
    """What one run measured."""

    label: str
    users: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    server_rss_mb: float = 0.0
    server_cpu_s: float = 0.0

    def row(self) -> str:
        done = len(self.latencies)
        rate = done / self.seconds if self.seconds else 0.0
        s = self.settings
        return (
            f"| {self.label} | {s.get('default_concurrency_limit')} | {s.get('max_threads')} | {s.get('max_size')} "
            f"| {self.users} | {self.seconds:.0f} s | {done} | {len(self.errors)} | {rate:.1f}/s "
            f"| {_ms(self.latencies, 0.5):.0f} / {_ms(self.latencies, 0.95):.0f} / {_ms(self.latencies, 1.0):.0f} ms "
            f"| {self.server_cpu_s / self.seconds * 100 if self.seconds else 0:.0f} % "
            f"| {self.server_rss_mb:.0f} MB |"
        )


HEADER = (
    "| run | default_concurrency_limit | max_threads | max_size | users | duration | requests | errors "
    "| throughput | latency p50 / p95 / max | app CPU | app peak RSS |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, help="index folder (default: KENNISBANK_INDEX or index/)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--max-requests", type=int, default=5000, help="stop after this many requests")
    parser.add_argument("--think", type=float, default=0.0, help="seconds a user waits between questions")
    parser.add_argument("--sweep", action="store_true", help="first try the queue settings in SWEEP")
    parser.add_argument("--sweep-duration", type=float, default=20.0)
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
            trials.append(trial(f"sweep {limit}", index, config, questions, args, args.sweep_duration))
    trials.append(trial("ui.launch", index, None, questions, args, args.duration))
    machine["load_after"] = os.getloadavg()[0]
    table = render(trials, machine, args)
    print(table)
    if not args.no_write:
        write_section(args.output, "concurrency.py", table)
        print(f"written to {args.output}", file=sys.stderr)
    failed = [t for t in trials if t.errors]
    for t in failed:
        print(f"{t.label}: {len(t.errors)} errors, first: {t.errors[0]}", file=sys.stderr)
    return 1 if failed else 0


def render(trials: list[Trial], machine: dict[str, Any], args: argparse.Namespace) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"### `benchmarks/concurrency.py{' --sweep' if args.sweep else ''}`: {now}\n\n"
        f"Machine: {machine['cores']} cores (nproc), {machine['cpu']}, {machine['ram_gib']:.1f} GiB RAM; load average "
        f"{machine['load_before']:.1f} before, {machine['load_after']:.1f} after. {args.users} gradio_client users "
        f"on 127.0.0.1 asking the eval questions on `/ask` back to back (think time {args.think:g} s), bounded by "
        f"duration and {args.max_requests} requests; the clients share the 2 cores with the app. "
        f"App CPU: the app process's CPU time over the run's wall time (200 % = both cores).\n\n"
        + HEADER + "\n" + "\n".join(t.row() for t in trials) + "\n"
    )


def trial(
    label: str, index: Path, config: dict[str, Any] | None, questions: list[str], args: argparse.Namespace,
    duration: float,
) -> Trial:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    spec = {"index": str(index), "port": port, "config": config}
    app = subprocess.Popen(
        [sys.executable, __file__, "--serve", json.dumps(spec)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT,
        env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"},
    )
    try:
        assert app.stdout is not None
        line = app.stdout.readline()
        if not line.startswith("{"):
            raise RuntimeError(f"app did not start (exit {app.poll()}): {line!r}")
        result = Trial(label, args.users, settings=json.loads(line))
        url = f"http://127.0.0.1:{port}"
        print(f"{label}: {result.settings}, {args.users} users for {duration:.0f} s", file=sys.stderr)
        cpu_before = _cpu_seconds(app.pid)
        load(url, questions, args, duration, result)
        result.server_cpu_s = _cpu_seconds(app.pid) - cpu_before
        result.server_rss_mb = _peak_rss_mb(app.pid)
        return result
    finally:
        app.terminate()
        try:
            app.wait(timeout=15)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait()


def load(url: str, questions: list[str], args: argparse.Namespace, duration: float, result: Trial) -> None:
    """``args.users`` clients, started together, ask until the duration or the request budget runs out."""
    from gradio_client import Client

    clients = [Client(url, verbose=False) for _ in range(args.users)]
    start = threading.Barrier(args.users + 1)
    budget = threading.Semaphore(args.max_requests)
    lock = threading.Lock()
    deadline = 0.0

    def user(i: int) -> None:
        start.wait()
        n = i * 7
        while time.monotonic() < deadline and budget.acquire(blocking=False):
            question = questions[n % len(questions)]
            n += 1
            began = time.perf_counter()
            try:
                answer = clients[i].predict(question, api_name="/ask")
                problem = _malformed(answer)
            except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
                problem = f"{type(exc).__name__}: {exc}"
            took = time.perf_counter() - began
            with lock:
                (result.errors.append(f"{question!r}: {problem}") if problem else result.latencies.append(took))
            if args.think:
                time.sleep(args.think)

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(args.users)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + duration
    began = time.perf_counter()
    start.wait()
    for t in threads:
        t.join(timeout=duration + 120)
    result.seconds = time.perf_counter() - began
    for client in clients:
        client.close()


def _malformed(answer: Any) -> str:
    if not isinstance(answer, dict):
        return f"not a dict: {answer!r}"[:200]
    if not isinstance(answer.get("answer"), str) or not answer["answer"].strip():
        return "empty answer"
    if not isinstance(answer.get("refused"), bool) or not isinstance(answer.get("citations"), list):
        return f"malformed: {sorted(answer)}"
    if not answer["refused"] and not answer["citations"]:
        return "an answer without citations"
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
            server_name=settings.host, server_port=settings.port, prevent_thread_lock=True, quiet=True,
            max_threads=config["max_threads"], ssr_mode=False,
        )
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
