"""The app's web surface: who may reach the server, which routes answer, and how much each may cost.

Gradio serves the page and its event routes; this module narrows that surface
(docs/security.md lists what is left and why):

- ``check_exposure``: no listening beyond loopback without a login, unless
  ``KENNISBANK_ALLOW_NO_AUTH=1`` says so on purpose.
- ``Guard`` (ASGI middleware, outermost): the Host header must be an IP address or one of
  ``KENNISBANK_ALLOWED_HOSTS`` (loopback names by default), against DNS rebinding (a
  rebinding page reaches the app under its own domain name, never under an address);
  Gradio's upload routes and run history are closed (the app has no file input);
  request bodies over ``MAX_BODY`` (1 MiB) are refused;
  ``/cancel``, ``/reset`` and ``/heartbeat`` need the login cookie like every other route;
  the by-name API routes (``/gradio_api/call/<name>``, ``/run/<name>``) answer only the
  public endpoints (``/ask``): Gradio also serves the page's internal handlers (rate, search,
  glossary) there, "private" or not. The page itself calls them through the queue
  (``/gradio_api/queue/join``), with its session's state and the same caps as every request.
- ``slow_login``: the login check Gradio calls; a wrong password costs at least one
  second, and wrong passwords are checked one at a time, so guessing runs at most one a second.
- ``SessionReaper``: browser sessions idle longer than ``KENNISBANK_SESSION_TTL`` are
  dropped; ``KENNISBANK_SESSIONS`` caps how many are kept (Gradio drops the least recently used).

Work per request is bounded elsewhere: questions are capped (``knowledgebase.check_question``),
the embedder reads at most 512 tokens, feedback fields are capped and one rating per answer per
session is kept (``feedback``). Gradio stops a streamed answer whose client has gone
(its queue marks the job dead when the event stream disconnects).
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import json
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from kennisbank.config import Settings
from kennisbank.errors import ConfigError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Seconds a wrong login costs at least (they are checked one at a time).
LOGIN_DELAY = 1.0
#: Largest request body in bytes. The largest the page sends is the chat history with each question
#: (about 3 KB a turn, so some 300 turns); a bigger body (a 1 GB JSON post) is refused with 413
#: before Gradio reads it into memory.
MAX_BODY = 1024 * 1024
#: Gradio's ``max_file_size`` in bytes, should an upload route be reached at all (``Guard`` closes them).
MAX_UPLOAD = 1024
#: Routes under Gradio's API prefix that are refused outright: uploads (the app has no file input)
#: and the run history pages (they keep what users asked).
CLOSED = ("/gradio_api/upload", "/gradio_api/upload_progress", "/gradio_api/run-history", "/gradio_api/runs")
#: Routes Gradio serves without its login check; with a login set they need the login cookie.
LOGIN_REQUIRED = ("/gradio_api/cancel", "/gradio_api/reset", "/gradio_api/heartbeat/", "/gradio_api/stream/")
#: Gradio's routes that call an event handler by its API name.
BY_NAME = ("/gradio_api/call/", "/gradio_api/run/", "/gradio_api/api/")


def public_endpoints(demo: Any) -> frozenset[str]:
    """The API names of ``demo``'s handlers with ``api_visibility="public"`` (here: ``ask``)."""
    return frozenset(fn.api_name for fn in demo.fns.values() if fn.api_visibility == "public" and fn.api_name)


def endpoint_name(path: str) -> str | None:
    """The API name a by-name route calls ("/gradio_api/call/v2/ask/123" -> "ask"); None for other routes."""
    for prefix in BY_NAME:
        if path.startswith(prefix):
            rest = path[len(prefix) :].strip("/").split("/")
            if rest and rest[0] == "v2":
                rest = rest[1:]
            return rest[0] if rest else ""
    return None


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1); False for 0.0.0.0 and the rest."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_exposure(settings: Settings) -> None:
    """Refuse to listen beyond loopback without a login.

    Raises:
        ConfigError: ``settings.host`` is not loopback, ``KENNISBANK_AUTH`` is empty and
            ``KENNISBANK_ALLOW_NO_AUTH`` is not 1.
    """
    if is_loopback(settings.host) or settings.auth is not None or settings.allow_no_auth:
        return
    raise ConfigError(
        f"KENNISBANK_HOST={settings.host} maakt de app bereikbaar voor anderen zonder login: "
        "zet KENNISBANK_AUTH=gebruiker:wachtwoord (of KENNISBANK_ALLOW_NO_AUTH=1 als dat de bedoeling is)"
    )


def allowed_hosts(settings: Settings) -> frozenset[str]:
    """Host header names the app answers besides IP addresses: ``KENNISBANK_ALLOWED_HOSTS`` with ``localhost``.

    An IP address cannot be rebound by DNS, so ``Guard`` answers every address; a name
    (a reverse proxy's, an intranet host name) must be listed.
    """
    return frozenset(settings.allowed_hosts)


def host_name(header: str) -> str:
    """The name in a Host header, without port or IPv6 brackets, lower case ("[::1]:7860" -> "::1")."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header[1:]
    if header.count(":") == 1:
        return header.partition(":")[0]
    return header


class Guard:
    """ASGI middleware in front of Gradio: Host check, closed routes, login on Gradio's unguarded routes.

    ``hosts`` are the allowed Host names (``allowed_hosts``). The Gradio app is read from
    ``scope["app"]`` (Starlette sets it): its Blocks for the public API names
    (``public_endpoints``, read per request, so a handler made public later is served), and
    its ``auth``, ``tokens`` and ``cookie_id`` for the login check, as Gradio's own ``get_current_user``.
    """

    def __init__(self, app: ASGIApp, hosts: frozenset[str]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = host_name(headers.get("host", ""))
        if host not in self.hosts and not _is_ip(host):
            await _refuse(send, scope, 421, f"Host {host or '(leeg)'} niet toegestaan: zet KENNISBANK_ALLOWED_HOSTS")
            return
        path = scope.get("path", "")
        if any(path == closed or path.startswith(closed + "/") for closed in CLOSED):
            await _refuse(send, scope, 404, "niet beschikbaar")
            return
        gradio_app = scope.get("app")
        name = endpoint_name(path)
        if name is not None and name not in _public(gradio_app):
            await _refuse(send, scope, 404, f"geen openbaar eindpunt: {name}")
            return
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_BODY:
            await _refuse(send, scope, 413, f"verzoek te groot: {int(length)} bytes, de grens is {MAX_BODY}")
            return
        if scope["type"] == "http" and not length:
            receive = _bounded(receive, MAX_BODY)
        if name is not None and scope["type"] == "http" and scope.get("method") == "POST":
            body = await _body(receive)
            problem = api_problem(body, headers.get("content-type", ""))
            if problem:  # FastAPI would answer in English ("Field required", "JSON decode error")
                await _refuse(send, scope, 400, problem)
                return
            receive = _replay(body, receive)
        if path.rstrip("/") == "/logout":
            send = _clearing_storage(send)  # council PCs are shared: logging out forgets the stored conversation
        if path in ("", "/") and scope["type"] == "http":
            send = _dutch_page(send)
        guarded = path.startswith(LOGIN_REQUIRED) or path.rstrip("/") in LOGIN_REQUIRED
        if guarded and getattr(gradio_app, "auth", None) and not _logged_in(gradio_app, headers.get("cookie", "")):
            await _refuse(send, scope, 401, "niet ingelogd")
            return
        await self.app(scope, receive, send)


#: The one request body the public API takes (README, "Over HTTP").
API_BODY = '{"data": ["<vraag>"]}'


def api_problem(body: bytes, content_type: str = "application/json") -> str | None:
    """One Dutch line on what is wrong with a call to the public API, or None when it is JSON (``content_type``)
    ``{"data": [<one value>]}`` (the value itself is checked by ``knowledgebase.check_question``)."""
    if content_type.split(";")[0].strip().lower() != "application/json":
        return f"verzoek: stuur Content-Type: application/json met {API_BODY}"
    try:
        data = json.loads(body)
    except ValueError:  # also a body that is not UTF-8
        return f"verzoek: geen geldige JSON; stuur {API_BODY}"
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        return f"verzoek: verwacht {API_BODY}"
    if len(data["data"]) != 1:
        return f"verzoek: 'data' moet precies één vraag bevatten, kreeg er {len(data['data'])}; stuur {API_BODY}"
    return None


async def _body(receive: Receive) -> bytes:
    """The whole request body (an ended request, as ``_bounded`` makes one past ``MAX_BODY``, gives what came)."""
    parts: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(parts)


def _replay(body: bytes, receive: Receive) -> Receive:
    """``receive`` that gives ``body`` once, then what the connection says next (its disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _clearing_storage(send: Send) -> Send:
    """``send`` that adds ``Clear-Site-Data: "storage"`` to the response: the browser drops this site's storage
    (the conversation kept in ``BrowserState``). W3C Clear Site Data, section 3.1."""

    async def clearing(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), (b"clear-site-data", b'"storage"')]}
        await send(message)

    return clearing


#: What Gradio's page template says before its script runs: the document language (screen readers read the page
#: by it), the link preview text and title, and a preview image on raw.githubusercontent.com (a link preview would
#: fetch it from outside). Gradio has no setting for these (5.x ``index.html``).
PAGE_DUTCH = (
    (b'lang="en"', b'lang="nl"'),
    (b'content="Click to try out the app!"', b'content="Vragen over de beleidsdocumenten, met bronnen."'),
    (b'content="Gradio"', b'content="Kennisbank"'),
    (b'content="@Gradio"', b'content=""'),
    (b'content="https://raw.githubusercontent.com/gradio-app/gradio/main/js/_website/src/lib/assets/img/header-image.jpg"',
     b'content=""'),
)  # fmt: skip


def _dutch_page(send: Send) -> Send:
    """``send`` that rewrites an HTML page's English template text (``PAGE_DUTCH``) and fixes its Content-Length;
    other responses pass unchanged. The body is held until its last part (the page is a few kB)."""
    start: Message | None = None
    parts: list[bytes] = []

    async def rewriting(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            sent = dict(message.get("headers", []))
            if sent.get(b"content-type", b"").startswith(b"text/html") and b"content-encoding" not in sent:
                start = message
                return
        elif message["type"] == "http.response.body" and start is not None:
            parts.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(parts)
            for english, dutch in PAGE_DUTCH:
                body = body.replace(english, dutch)
            kept = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            await send({**start, "headers": [*kept, (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        await send(message)

    return rewriting


def _bounded(receive: Receive, limit: int) -> Receive:
    """``receive`` that ends the request as a disconnect once a body without Content-Length passes ``limit`` bytes."""
    seen = 0

    async def bounded() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                return {"type": "http.disconnect"}
        return message

    return bounded


def _is_ip(name: str) -> bool:
    """An IP address as Host: DNS cannot rebind it, so it is always answered (a LAN user typing the address)."""
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _public(gradio_app: Any) -> frozenset[str]:
    get_blocks = getattr(gradio_app, "get_blocks", None)
    return public_endpoints(get_blocks()) if get_blocks is not None else frozenset()


def _logged_in(gradio_app: Any, cookie_header: str) -> bool:
    """True when the request carries a login cookie Gradio issued (its ``tokens``)."""
    cookie_id = getattr(gradio_app, "cookie_id", "")
    tokens = getattr(gradio_app, "tokens", {})
    for part in cookie_header.split(";"):
        name, _, value = part.strip().partition("=")
        if name in (f"access-token-{cookie_id}", f"access-token-unsecure-{cookie_id}") and value in tokens:
            return True
    return False


async def _refuse(send: Send, scope: Scope, status: int, text: str) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    body = (text + "\n").encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def slow_login(user: str, password: str, delay: float = LOGIN_DELAY) -> Callable[[str, str], Awaitable[bool]]:
    """The login check for Gradio's ``auth``: constant-time compare; a wrong login waits ``delay`` seconds.

    Wrong logins wait one after another (a lock), so 50 wrong passwords take at least 50 s
    whether they come one by one or all at once; a right login does not wait.
    """
    lock = asyncio.Lock()

    async def check(username: str, given: str) -> bool:
        right = hmac.compare_digest(username.encode("utf-8"), user.encode("utf-8")) & hmac.compare_digest(
            given.encode("utf-8"), password.encode("utf-8")
        )
        if right:
            return True
        async with lock:
            await asyncio.sleep(delay)
        return False

    return check


def cap_textboxes(demo: Any, limit: int, limits: dict[str, int] | None = None) -> int:
    """Give every text box of ``demo`` (a ``gr.Blocks``) a ``max_length``: ``limits[elem_id]`` or ``limit``.

    The browser then stops typing at the cap; the server checks again (a request need not come
    from the page). Returns the number of boxes capped.
    """
    import gradio as gr

    capped = 0
    for block in demo.blocks.values():
        if isinstance(block, gr.Textbox):
            block.max_length = (limits or {}).get(block.elem_id or "", limit)
            capped += 1
    return capped


class SessionReaper:
    """Drops Gradio sessions idle for longer than ``ttl`` seconds, checking every ``every`` seconds.

    ``holder`` is Gradio's ``StateHolder`` (``blocks.state_holder``): its ``session_data``
    and ``time_last_used`` are keyed by session and guarded by its ``lock``. Its capacity
    (``launch(state_session_capacity=...)``) drops the least recently used beyond it.
    """

    def __init__(self, holder: Any, ttl: float, every: float | None = None) -> None:
        self.holder = holder
        self.ttl = ttl
        self.every = every if every is not None else min(60.0, ttl / 4)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kennisbank-sessions", daemon=True)

    def start(self) -> SessionReaper:
        """Start the background thread; returns the reaper."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ask the background thread to stop."""
        self._stop.set()

    def reap(self, now: float | None = None) -> int:
        """Drop the sessions idle longer than ``ttl``; the number dropped."""
        import datetime

        current = datetime.datetime.now() if now is None else datetime.datetime.fromtimestamp(now)
        dropped = 0
        with self.holder.lock:
            for session, last in list(self.holder.time_last_used.items()):
                if (current - last).total_seconds() > self.ttl:
                    self.holder.session_data.pop(session, None)
                    self.holder.time_last_used.pop(session, None)
                    dropped += 1
        return dropped

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.reap(time.time())


__all__ = [
    "Guard",
    "SessionReaper",
    "allowed_hosts",
    "check_exposure",
    "endpoint_name",
    "host_name",
    "is_loopback",
    "public_endpoints",
    "slow_login",
]
