"""Other users' latency while one client sends 300,000-character questions, on 127.0.0.1 only.

    python benchmarks/long_question.py                  # builds an e5 index of corpus/ in a temp folder
    python benchmarks/long_question.py --index DIR      # or uses an existing index
    python benchmarks/long_question.py --duration 10 --users 4

Issue 14, finding 1: a 300k-character question kept every other user waiting 45 s,
because nothing capped it, the embedder read all 9,096+ tokens and search runs under
one lock. The app runs in its own process (``ui.launch`` as shipped, real e5 model, no
LLM); ``--users`` threads ask the eval questions back to back on the public ``/ask``
route while one attacker thread sends, back to back:

- ``rustig``: nothing (the baseline);
- ``300k``: 300,000-character questions (refused by the question cap);
- ``2000``: questions of exactly the cap, 2,000 characters (the most work one request can still ask for);
- ``300k zonder cap``: 300,000 characters with ``KENNISBANK_MAX_QUESTION=400000``, a second app
  process: only the embedder's 512-token truncation bounds the work.

Each phase lasts ``--duration`` seconds (bounded by ``--max-requests`` per user too). It
prints one Markdown table: per phase the users' answers, errors, p50/p95 latency and the
attacker's requests and their p50. Target: users' p95 under 1 s in every phase. It exits 1
when a user's request failed or a p95 is over the target.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import BENCH_ENV, _ms  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ITEMS = ROOT / "evals" / "questions.jsonl"
TARGET_P95 = 1.0
LONG = 300_000


@dataclass
class Phase:
    """What one phase measured: the users' latencies and errors, the attacker's latencies."""

    label: str
    users: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    attacker: list[float] = field(default_factory=list)

    def row(self) -> str:
        attack = f"{len(self.attacker)}, p50 {_ms(self.attacker, 0.5):.0f} ms" if self.attacker else "-"
        return (
            f"| {self.label} | {len(self.users)} | {len(self.errors)} | {_ms(self.users, 0.5):.0f} ms "
            f"| {_ms(self.users, 0.95):.0f} ms | {_ms(self.users, 1.0):.0f} ms | {attack} |"
        )


def ask(client: httpx.Client, question: str) -> tuple[float, str]:
    """One /ask call through the event route; (seconds, "" or why it failed)."""
    started = time.perf_counter()
    reply = client.post("/gradio_api/call/ask", json={"data": [question]})
    if reply.status_code != 200:
        return time.perf_counter() - started, f"HTTP {reply.status_code}"
    text = client.get(f"/gradio_api/call/ask/{reply.json()['event_id']}").text
    took = time.perf_counter() - started
    return took, "" if "event: complete" in text else text.strip().splitlines()[-1][:120]


def run_phase(
    base: str, label: str, attack: str | None, questions: list[str], users: int, seconds: float, cap: int
) -> Phase:
    phase = Phase(label)
    stop = threading.Event()
    lock = threading.Lock()

    def user(n: int) -> None:
        with httpx.Client(base_url=base, timeout=120) as client:
            for i in range(cap):
                if stop.is_set():
                    return
                took, error = ask(client, questions[(n * 7 + i) % len(questions)])
                with lock:
                    phase.users.append(took)
                    if error:
                        phase.errors.append(error)

    def attacker() -> None:
        assert attack is not None
        with httpx.Client(base_url=base, timeout=300) as client:
            while not stop.is_set():
                took, _ = ask(client, attack)  # a refusal is what we expect from the capped app
                phase.attacker.append(took)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    if attack is not None:
        threads.append(threading.Thread(target=attacker))
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=600)
    return phase


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_app(index: Path, max_question: int | None) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, **BENCH_ENV, "KENNISBANK_INDEX": str(index), "KENNISBANK_PORT": str(port)}
    env.pop("KENNISBANK_AUTH", None)
    env["KENNISBANK_HOST"] = "127.0.0.1"
    env["KENNISBANK_FEEDBACK"] = str(Path(tempfile.gettempdir()) / "kennisbank-bench-feedback.jsonl")
    if max_question is not None:
        env["KENNISBANK_MAX_QUESTION"] = str(max_question)
    code = "from kennisbank.config import Settings; from kennisbank.ui import launch; launch(Settings())"
    process = subprocess.Popen([sys.executable, "-c", code], env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/config", timeout=5).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("the app did not start within 300 s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, help="an e5-small index (default: build one of corpus/ in a temp folder)")
    parser.add_argument("--users", type=int, default=4, help="users asking back to back (default 4)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per phase (default 20)")
    parser.add_argument("--max-requests", type=int, default=500, help="requests per user per phase at most")
    args = parser.parse_args()

    questions = [json.loads(line)["question"] for line in ITEMS.read_text(encoding="utf-8").splitlines() if line]
    index = args.index
    if index is None:
        from kennisbank.indexing import ingest

        index = Path(tempfile.mkdtemp(prefix="kennisbank-long-")) / "index"
        report = ingest(ROOT / "corpus", index, "e5-small")
        print(f"index: {report.passages} passages in {report.seconds:.0f} s", file=sys.stderr)

    capped = "Wat doet Veilig Thuis bij een melding? " * 60
    plan = [
        ("rustig", None, None),
        ("300k", "x " * (LONG // 2), None),
        ("2000 (de grens)", capped[:2000], None),
        ("300k zonder cap", ("Wat doet Veilig Thuis? " * (LONG // 23 + 1))[:LONG], 400_000),
    ]
    phases: list[Phase] = []
    app: tuple[subprocess.Popen[bytes], str] | None = None
    try:
        for label, attack, max_question in plan:
            if app is None or max_question is not None:
                if app is not None:
                    app[0].terminate()
                    app[0].wait(timeout=30)
                app = start_app(index, max_question)
                run_phase(app[1], "warm-up", None, questions, 1, 2.0, 5)
            print(f"phase {label} ...", file=sys.stderr, flush=True)
            phases.append(run_phase(app[1], label, attack, questions, args.users, args.duration, args.max_requests))
    finally:
        if app is not None:
            app[0].terminate()
            app[0].wait(timeout=30)

    print(f"\n{args.users} users on /ask, {args.duration:.0f} s per phase, {os.cpu_count()} CPUs, e5-small, no LLM\n")
    print("| attacker sends | answers | errors | p50 | p95 | max | attacker requests |")
    print("|---|---|---|---|---|---|---|")
    for phase in phases:
        print(phase.row())
    failed = [p.label for p in phases if p.errors or _ms(p.users, 0.95) > TARGET_P95 * 1000]
    if failed:
        print(f"\nover target (p95 {TARGET_P95:.0f} s) or errors: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
