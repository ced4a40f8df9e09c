"""Findings 1, 4, 5, 6, 7 and 8 of issue 14 over HTTP: the running app on a free loopback port.

The app runs over a hash-embedder index of two real documents, with a login, the
way an operator would start it; requests go to 127.0.0.1 only, in bounded loops.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from kennisbank.config import Settings
from kennisbank.errors import ConfigError
from kennisbank.indexing import ingest
from kennisbank.web import SessionReaper, api_problem, check_exposure, endpoint_name, host_name
from tests.conftest import CORPUS, SMALL_DOCS, free_port

USER, PASSWORD = "beheerder", "geheim-wachtwoord"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("hardening-web")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in (*SMALL_DOCS, "metadata.toml"):
        shutil.copy(CORPUS / name, corpus / name)
    assert not ingest(corpus, root / "index", "hash:64").errors
    return Settings(
        corpus=corpus,
        index=root / "index",
        embedder="hash:64",
        chroma_url="",
        host="127.0.0.1",
        port=free_port(),
        auth=(USER, PASSWORD),
        feedback=root / "feedback" / "feedback.jsonl",
    )


@pytest.fixture(scope="module")
def server(settings: Settings) -> Iterator[Any]:
    from kennisbank.ui import launch

    demo = launch(settings, block=False, quiet=True)
    yield demo
    demo.close()


@pytest.fixture
def client(settings: Settings, server: Any) -> Iterator[httpx.Client]:
    """A client that has logged in (the login cookie is kept)."""
    with httpx.Client(base_url=f"http://127.0.0.1:{settings.port}", timeout=30) as c:
        assert c.post("/login", data={"username": USER, "password": PASSWORD}).status_code == 200
        yield c


def _fn_index(demo: Any, name: str) -> int:
    return next(i for i, fn in demo.fns.items() if fn.name == name)


def _run(client: httpx.Client, demo: Any, name: str, data: list[Any], session: str) -> dict[str, Any]:
    """Call a handler the way the page does (queue/join, then the event stream); the completed message."""
    joined = client.post(
        "/gradio_api/queue/join",
        json={"data": data, "fn_index": _fn_index(demo, name), "session_hash": session, "event_data": None},
    )
    assert joined.status_code == 200, joined.text
    with client.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:"):
                message = json.loads(line[5:])
                if message["msg"] == "process_completed":
                    return message
    raise AssertionError("no process_completed message")


def _call_ask(client: httpx.Client, body: bytes) -> str:
    """POST /gradio_api/call/ask with a raw JSON body; the event stream's text."""
    started = client.post("/gradio_api/call/ask", content=body, headers={"content-type": "application/json"})
    assert started.status_code == 200, started.text
    return client.get(f"/gradio_api/call/ask/{started.json()['event_id']}").text


# Finding 1: one long question blocks everyone.


def test_a_long_question_is_refused_in_one_line_and_the_textboxes_are_capped(
    client: httpx.Client, server: Any, settings: Settings
) -> None:
    text = _call_ask(client, json.dumps({"data": ["x" * 300_000]}).encode())
    assert "event: error" in text
    assert f"vraag te lang: 300000 tekens, de grens is {settings.max_question}" in text

    done = _run(client, server, "respond", ["Wat is MDA? " * 500, [], [], [], ""], "long-question")
    notice = done["output"]["data"][5]
    assert "vraag te lang" in json.dumps(notice)

    config = client.get("/config").json()
    boxes = {c.get("props", {}).get("elem_id"): c["props"] for c in config["components"] if c["type"] == "textbox"}
    assert boxes["kb-question"]["max_length"] == settings.max_question
    assert boxes["kb-comment"]["max_length"] == 5000


def test_work_for_a_disconnected_client_is_abandoned(client: httpx.Client, server: Any) -> None:
    app = server.fns[_fn_index(server, "respond")].fn.__self__
    before, app.stream_delay = app.stream_delay, 0.5  # the full answer now takes many seconds to stream
    try:
        session = "gone-away"
        payload = {
            "data": ["Wat doet Veilig Thuis bij een melding?", [], [], [], ""],
            "fn_index": _fn_index(server, "respond"),
            "session_hash": session,
            "event_data": None,
        }
        assert client.post("/gradio_api/queue/join", json=payload).status_code == 200
        with client.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}) as stream:
            for line in stream.iter_lines():
                if '"process_generating"' in line:
                    break  # the answer has started streaming: hang up
            active = [job for jobs in server._queue.active_jobs if jobs for job in jobs]
            assert any(job.session_hash == session for job in active), "the answer should still be streaming"
        hung_up = time.perf_counter()
        deadline = hung_up + 10
        while time.perf_counter() < deadline and any(
            job.session_hash == session for jobs in server._queue.active_jobs if jobs for job in jobs
        ):
            time.sleep(0.1)
        stopped = time.perf_counter() - hung_up
    finally:
        app.stream_delay = before
    assert stopped < 3, f"the answer went on streaming {stopped:.1f} s after the client left"


# Finding 4: uploads.


def test_the_upload_routes_are_closed(client: httpx.Client, server: Any) -> None:
    for path in ("/gradio_api/upload", "/gradio_api/upload/"):
        reply = client.post(path, files={"files": ("a.txt", b"x" * 4096)})
        assert reply.status_code == 404, (path, reply.status_code)
    assert client.get("/gradio_api/upload_progress", params={"upload_id": "x"}).status_code == 404
    assert server.max_file_size == 1024
    assert server.delete_cache == (3600, 3600)


def test_request_bodies_are_capped(client: httpx.Client, server: Any) -> None:
    from kennisbank.web import MAX_BODY

    big = json.dumps({"data": ["x" * (2 * MAX_BODY)], "fn_index": 0, "session_hash": "big"}).encode()
    reply = client.post("/gradio_api/queue/join", content=big, headers={"content-type": "application/json"})
    assert reply.status_code == 413 and "verzoek te groot" in reply.text

    def chunks() -> Iterator[bytes]:  # no Content-Length: the body is counted as it arrives
        yield big[: MAX_BODY // 2]
        yield big[MAX_BODY // 2 :]

    try:
        streamed = client.post("/gradio_api/queue/join", content=chunks(), headers={"content-type": "application/json"})
        assert streamed.status_code != 200
    except httpx.HTTPError:
        pass  # the server ended the request: also refused
    small = _call_ask(client, json.dumps({"data": ["Wat doet Veilig Thuis?"]}).encode())
    assert "event: complete" in small


# Finding 5: feedback over HTTP: one rating per answer per session.


def test_one_rating_per_answer_per_session(client: httpx.Client, server: Any, settings: Settings) -> None:
    session = "rater"
    answered = _run(client, server, "respond", ["Wat doet Veilig Thuis?", [], [], [], ""], session)
    conversation = answered["output"]["data"][2]
    first = _run(client, server, "rate", [conversation, "Bruikbaar", "duidelijk\u2028antwoord"], session)
    assert "opgeslagen" in first["output"]["data"][0]
    statuses = [_run(client, server, "rate", [conversation, "Niet bruikbaar", ""], session) for _ in range(5)]
    assert all("al beoordeeld" in s["output"]["data"][0] for s in statuses), [s["output"]["data"][0] for s in statuses]
    lines = settings.feedback_path.read_bytes().split(b"\n")
    records = [json.loads(line) for line in lines if line]
    assert [r["comment"] for r in records if r["question"] == "Wat doet Veilig Thuis?"] == ["duidelijk\u2028antwoord"]
    assert settings.feedback_path.read_text(encoding="utf-8").count("\n") == len(
        settings.feedback_path.read_text(encoding="utf-8").splitlines()
    )


# Finding 7: handlers, login, Host header, exposure.


@pytest.mark.parametrize("name", ["respond", "rate", "search_html", "glossary", "load_example"])
def test_internal_handlers_do_not_answer_by_name(client: httpx.Client, name: str) -> None:
    for route in (f"/gradio_api/call/{name}", f"/gradio_api/run/{name}", f"/gradio_api/call/v2/{name}"):
        assert client.post(route, json={"data": ["MDA++"]}).status_code == 404, route


def test_the_public_ask_endpoint_still_answers(client: httpx.Client) -> None:
    text = _call_ask(client, json.dumps({"data": ["Wat doet Veilig Thuis?"]}).encode())
    assert "event: complete" in text and '"answer"' in text


def test_cancel_reset_and_heartbeat_need_the_login(settings: Settings, client: httpx.Client) -> None:
    body = {"session_hash": "s", "fn_index": 0, "event_id": "e"}
    with httpx.Client(base_url=f"http://127.0.0.1:{settings.port}", timeout=10) as anonymous:
        assert anonymous.post("/gradio_api/cancel", json=body).status_code == 401
        assert anonymous.post("/gradio_api/reset", json=body).status_code == 401
        assert anonymous.get("/gradio_api/heartbeat/s").status_code == 401
        assert anonymous.post("/gradio_api/call/ask", json={"data": ["x"]}).status_code == 401
    assert client.post("/gradio_api/cancel", json=body).status_code == 200


def test_wrong_logins_take_at_least_a_second_each_even_in_parallel(settings: Settings, server: Any) -> None:
    url = f"http://127.0.0.1:{settings.port}/login"
    statuses: list[int] = []

    def guess(n: int) -> None:
        statuses.append(httpx.post(url, data={"username": USER, "password": f"fout{n}"}, timeout=30).status_code)

    started = time.perf_counter()
    threads = [threading.Thread(target=guess, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - started
    assert statuses == [400] * 4
    assert took >= 4.0, f"4 wrong passwords took {took:.2f} s"

    started = time.perf_counter()
    assert httpx.post(url, data={"username": USER, "password": PASSWORD}, timeout=10).status_code == 200
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("evil.example", 421),
        ("evil.example:{port}", 421),
        ("127.0.0.1.evil.example:{port}", 421),
        ("", 421),
        ("127.0.0.1:{port}", 200),
        ("localhost:{port}", 200),
        ("192.168.1.5:{port}", 200),  # an address cannot be rebound by DNS
    ],
)
def test_the_host_header_is_checked(client: httpx.Client, settings: Settings, host: str, status: int) -> None:
    reply = client.get("/config", headers={"Host": host.format(port=settings.port)})
    assert reply.status_code == status, reply.text
    if status == 421:
        assert "KENNISBANK_ALLOWED_HOSTS" in reply.text


def test_host_names_and_endpoint_names_are_parsed() -> None:
    assert [host_name(h) for h in ("LocalHost:7860", "[::1]:7860", "::1", "127.0.0.1", "")] == [
        "localhost",
        "::1",
        "::1",
        "127.0.0.1",
        "",
    ]
    assert [endpoint_name(p) for p in ("/gradio_api/call/v2/ask/12", "/gradio_api/run/rate", "/config")] == [
        "ask",
        "rate",
        None,
    ]


def test_no_listening_beyond_loopback_without_a_login(settings: Settings) -> None:
    from kennisbank.ui import launch

    exposed = replace(settings, host="0.0.0.0", auth=None, port=free_port())
    with pytest.raises(ConfigError, match="KENNISBANK_AUTH"):
        launch(exposed, block=False)
    check_exposure(replace(exposed, allow_no_auth=True))
    check_exposure(replace(exposed, auth=(USER, PASSWORD)))
    check_exposure(replace(settings, host="::1", auth=None))


# Finding 8 over HTTP: a null or lone-surrogate question.


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"data": [null]}', "vraag: verwacht tekst, kreeg null"),
        (b'{"data": ["\\ud800 wat is MDA?"]}', "vraag: ongeldig teken op positie 1"),
        (b'{"data": [17]}', "vraag: verwacht tekst, kreeg een getal"),
        (b'{"data": [""]}', "de vraag is leeg: geef een vraag over de documenten"),  # as `kennisbank ask ""` says
    ],
)
def test_non_text_questions_get_one_line_not_a_500(client: httpx.Client, body: bytes, message: str) -> None:
    text = _call_ask(client, body)
    assert "event: error" in text
    assert message in text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"data": []}', "'data' moet precies één vraag bevatten, kreeg er 0"),  # was "error": null
        (b'{"data": ["Wat is MDA++?", "extra"]}', "'data' moet precies één vraag bevatten, kreeg er 2"),  # was ignored
        (b'{"foo": 1}', 'verzoek: verwacht {"data": ["<vraag>"]}'),  # was FastAPI's English "Field required"
        (b"niet json", "verzoek: geen geldige JSON"),  # was "JSON decode error"
        (b"\xff\xfe", "verzoek: geen geldige JSON"),
    ],
)
def test_a_malformed_api_call_gets_one_dutch_line(client: httpx.Client, body: bytes, message: str) -> None:
    reply = client.post("/gradio_api/call/ask", content=body, headers={"content-type": "application/json"})
    assert reply.status_code == 400
    assert message in reply.text and len(reply.text.strip().splitlines()) == 1


def test_api_bodies_are_judged_before_gradio_reads_them() -> None:
    assert api_problem(b'{"data": ["Wat is MDA++?"]}') is None
    assert api_problem(b'{"data": [17]}') is None  # the value is check_question's to judge, in its own words
    assert api_problem(b"[1]") == 'verzoek: verwacht {"data": ["<vraag>"]}'
    # trial 55: a text/plain body got FastAPI's English 422
    assert api_problem(b'{"data": ["Wat is MDA++?"]}', "text/plain").startswith("verzoek: stuur Content-Type")
    assert api_problem(b'{"data": ["Wat is MDA++?"]}', "application/json; charset=utf-8") is None


# Finding 6: sessions.


def test_sessions_are_evicted_beyond_the_capacity_and_after_the_ttl(settings: Settings, server: Any) -> None:
    from kennisbank.ui import launch

    small = replace(settings, port=free_port(), auth=None, sessions=3)
    demo = launch(small, block=False, quiet=True)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{small.port}", timeout=30) as c:
            sessions = [f"sessie-{n}" for n in range(7)]
            for session in sessions:
                _run(c, demo, "glossary", ["kindcheck"], session)
        kept = list(demo.state_holder.session_data)
        assert len(kept) <= 3
        assert set(kept) <= set(sessions[-3:])

        reaper = SessionReaper(demo.state_holder, ttl=0.2)
        time.sleep(0.4)
        assert reaper.reap() == len(kept)
        assert not demo.state_holder.session_data
    finally:
        demo.close()


def test_the_settings_name_every_new_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KENNISBANK_ALLOWED_HOSTS", "kennisbank.intern, Proxy.Example")
    monkeypatch.setenv("KENNISBANK_ALLOW_NO_AUTH", "1")
    monkeypatch.setenv("KENNISBANK_FEEDBACK", str(tmp_path / "f.jsonl"))
    monkeypatch.setenv("KENNISBANK_FEEDBACK_DAYS", "7")
    monkeypatch.setenv("KENNISBANK_SESSIONS", "50")
    monkeypatch.setenv("KENNISBANK_SESSION_TTL", "600")
    monkeypatch.setenv("KENNISBANK_MAX_QUESTION", "500")
    s = Settings()
    assert s.allowed_hosts == ("localhost", "127.0.0.1", "::1", "kennisbank.intern", "proxy.example")
    assert (s.allow_no_auth, s.feedback_path, s.feedback_days) == (True, tmp_path / "f.jsonl", 7)
    assert (s.sessions, s.session_ttl, s.max_question) == (50, 600.0, 500)
    monkeypatch.setenv("KENNISBANK_SESSIONS", "veel")
    with pytest.raises(ConfigError, match="KENNISBANK_SESSIONS"):
        Settings()


@pytest.mark.parametrize(
    "path",
    [
        "/gradio_api/file=/etc/passwd",
        "/gradio_api/file=../../../../etc/passwd",
        "/gradio_api/file=%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/gradio_api/file=..%2f..%2f..%2fetc%2fpasswd",
        "/gradio_api/file=/proc/self/environ",
        "/file=/etc/passwd",
        "/static/../../../../etc/passwd",
        "/assets/..%2f..%2f..%2fetc%2fpasswd",
    ],
)
def test_file_routes_serve_no_file_outside_the_app(client: httpx.Client, path: str) -> None:
    reply = client.get(path)
    assert reply.status_code != 200 or "root:" not in reply.text
    assert b"root:x:0:0" not in reply.content


def test_the_source_viewer_routes_need_the_login_and_the_host_check(settings: Settings, client: httpx.Client) -> None:
    """The viewer's routes (issue 12) fall under the same login and Host header check as Gradio's."""
    doc = SMALL_DOCS[0]
    routes = [f"/kb/bron?doc={doc}&van=0&tot=10", f"/kb/bestand?doc={doc}"]
    with httpx.Client(base_url=f"http://127.0.0.1:{settings.port}", timeout=10) as anonymous:
        for route in routes:
            assert anonymous.get(route).status_code == 401, route
    for route in routes:
        assert client.get(route).status_code == 200, route
        assert client.get(route, headers={"Host": "evil.example"}).status_code == 421, route
    assert client.get("/kb/bestand", params={"doc": "../corpus/metadata.toml"}).status_code == 404


def test_logging_out_clears_the_stored_conversation(client: httpx.Client) -> None:
    """Shared council PCs: /logout tells the browser to drop this site's storage (the conversation in BrowserState)."""
    reply = client.get("/logout", follow_redirects=False)
    assert reply.headers.get("clear-site-data") == '"storage"'


def test_the_page_is_dutch_before_its_script_runs(client: httpx.Client) -> None:
    """Gradio's template says lang="en" and "Click to try out the app!"; screen readers and link previews read the
    page as sent, so the Guard sends it in Dutch, with a Content-Length that matches."""
    page = client.get("/")
    assert page.status_code == 200
    assert re.search(r'<html[^>]*\slang="nl"', page.text)
    assert 'lang="en"' not in page.text and "Click to try out" not in page.text
    assert "raw.githubusercontent.com" not in page.text and 'content="Gradio"' not in page.text  # no outside image
    assert int(page.headers["content-length"]) == len(page.content)
