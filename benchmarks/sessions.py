"""Memory per browser session, and the cap that bounds it, on 127.0.0.1 only.

    python benchmarks/sessions.py                          # 1500 sessions, capacity 10000 then 300
    python benchmarks/sessions.py --sessions 3000 --capacity 500

Issue 14, finding 6: every Gradio session keeps its state (the conversation, the
chat history with its sources) in the app process, and API clients never close
theirs: 12,859 sessions took a server from 368 MB to 1,451 MB. Here each session
is one chat question through the page's own route (``/gradio_api/queue/join`` on
the chat handler, as a browser sends it, then the event stream), with a new session
id each time, in ``--threads`` client threads. The app runs in its own process
(``ui.launch`` as shipped, over a hash-embedder index of corpus/ built in a temp
folder: the embedder does not change what a session keeps).

Two runs: ``KENNISBANK_SESSIONS=10000`` (Gradio's default: nothing dropped) and
``KENNISBANK_SESSIONS=--capacity``. Printed per run: sessions made, sessions kept,
the app's resident memory before and after and the growth per session. Every request
stays bounded by ``--sessions``.
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
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ["Wat doet Veilig Thuis?", "Wat is MDA++?", "Wie betaalt de regiovisie?", "Wat is een kindcheck?"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def chat_index(base: str) -> int:
    config = httpx.get(f"{base}/config", timeout=30).json()
    return next(i for i, d in enumerate(config["dependencies"]) if d.get("api_name") == "respond")


def one_session(client: httpx.Client, fn_index: int, session: str, question: str) -> None:
    payload = {"data": [question, [], None, [], []], "fn_index": fn_index, "session_hash": session, "event_data": None}
    client.post("/gradio_api/queue/join", json=payload).raise_for_status()
    with client.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}) as stream:
        for line in stream.iter_lines():
            if '"process_completed"' in line:
                return


def run(index: Path, capacity: int, sessions: int, threads: int) -> dict[str, float]:
    port = free_port()
    env = {
        **os.environ,
        "KENNISBANK_INDEX": str(index),
        "KENNISBANK_PORT": str(port),
        "KENNISBANK_HOST": "127.0.0.1",
        "KENNISBANK_SESSIONS": str(capacity),
        "KENNISBANK_FEEDBACK": str(index.parent / "feedback.jsonl"),
        "KENNISBANK_LLM_URL": "",
        "KENNISBANK_OLLAMA_URL": "",
    }
    env.pop("KENNISBANK_AUTH", None)
    code = (
        "import sys, time\n"
        "from kennisbank.config import Settings\nfrom kennisbank.ui import launch\n"
        "demo = launch(Settings(), block=False)\n"
        "for line in sys.stdin:\n"
        "    print(len(demo.state_holder.session_data), flush=True)\n"
    )
    app = subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/config", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        fn_index = chat_index(base)
        with httpx.Client(base_url=base, timeout=60) as client:
            for n in range(20):  # warm up: the first answers allocate what every later one reuses
                one_session(client, fn_index, f"warm-{n}", QUESTIONS[n % len(QUESTIONS)])
        before = rss_mb(app.pid)
        started = time.perf_counter()
        counter = iter(range(sessions))
        lock = threading.Lock()

        def worker() -> None:
            with httpx.Client(base_url=base, timeout=60) as client:
                while True:
                    with lock:
                        n = next(counter, None)
                    if n is None:
                        return
                    one_session(client, fn_index, f"s{capacity}-{n}", QUESTIONS[n % len(QUESTIONS)])

        pool = [threading.Thread(target=worker) for _ in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        after = rss_mb(app.pid)
        assert app.stdin is not None and app.stdout is not None
        app.stdin.write("count\n")
        app.stdin.flush()
        kept = int(app.stdout.readline())
        return {
            "capacity": capacity,
            "sessions": sessions,
            "kept": kept,
            "rss_before_mb": round(before, 1),
            "rss_after_mb": round(after, 1),
            "kb_per_session": round((after - before) * 1024 / sessions, 1),
            "seconds": round(time.perf_counter() - started, 1),
        }
    finally:
        app.kill()
        app.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=1500, help="sessions to make per run (default 1500)")
    parser.add_argument("--capacity", type=int, default=300, help="KENNISBANK_SESSIONS of the second run")
    parser.add_argument("--threads", type=int, default=4, help="client threads (default 4)")
    args = parser.parse_args()

    from kennisbank.indexing import ingest

    index = Path(tempfile.mkdtemp(prefix="kennisbank-sessions-")) / "index"
    ingest(ROOT / "corpus", index, "hash:64")
    rows = [run(index, capacity, args.sessions, args.threads) for capacity in (10_000, args.capacity)]
    for row in rows:
        print(json.dumps(row))
    print("\n| KENNISBANK_SESSIONS | sessions made | kept | RSS before | RSS after | growth per session |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['capacity']} | {r['sessions']} | {r['kept']} | {r['rss_before_mb']:.0f} MB "
            f"| {r['rss_after_mb']:.0f} MB | {r['kb_per_session']:.0f} KB |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
