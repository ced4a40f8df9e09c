"""The chat app: a Gradio Blocks UI over one ``KnowledgeBase``, and the function that launches it.

Tabs: Chat (streamed answers with source cards and feedback), Zoeken (plain
passage search), Documenten (the corpus) and Begrippen (the glossary). A named
endpoint ``/ask`` returns ``Answer.to_dict()`` for scripts (``gradio_client``).

The page loads nothing from other hosts: analytics off, system fonts, no SSR.
"""

from __future__ import annotations

import html
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # read when gradio is imported

import gradio as gr  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402

from kennisbank import render, transcript, viewer, web  # noqa: E402
from kennisbank.answering.extractive import coverage, question_terms  # noqa: E402
from kennisbank.answering.generative import make_answerer  # noqa: E402
from kennisbank.chat import Chat, Turn  # noqa: E402
from kennisbank.config import Settings  # noqa: E402
from kennisbank.errors import ConfigError, InputError, KennisbankError  # noqa: E402
from kennisbank.feedback import LIMITS as FEEDBACK_LIMITS  # noqa: E402
from kennisbank.feedback import RATINGS_PER_MINUTE, Feedback, FeedbackError, FeedbackLog  # noqa: E402
from kennisbank.glossary import glossary  # noqa: E402
from kennisbank.knowledgebase import EMPTY, KnowledgeBase, check_question  # noqa: E402
from kennisbank.passage import Passage  # noqa: E402
from kennisbank.retrieval import Filters  # noqa: E402

TITLE = "Kennisbank huiselijk geweld en kindermishandeling"
INTRO = (
    f"# {TITLE}\n"
    "Stel een vraag in gewone taal. Het antwoord bestaat uit zinnen uit de beleidsdocumenten, "
    "met een bronnummer zoals **[1]**; klik op het nummer om de bron te openen op de geciteerde plek. "
    "Staat het antwoord niet in de documenten, dan zegt de kennisbank dat."
)
INTRO_LLM = (
    f"# {TITLE}\n"
    "Stel een vraag in gewone taal. Een taalmodel schrijft het antwoord uitsluitend uit de passages "
    "onder het antwoord, met een bronnummer zoals **[1]** achter elke zin; elk bronnummer wordt gecontroleerd. "
    "Staat het antwoord niet in de documenten, dan zegt de kennisbank dat."
)
EXAMPLES = {
    "Voor raadsleden": [
        "Wat kost de regiovisie de gemeente?",
        "Wat wordt de raad van Heiloo gevraagd te besluiten?",
        "Wat zijn de vier uitgangspunten van de regiovisie?",
    ],
    "Voor professionals": [
        "Wat is MDA++?",
        "Wat doet Veilig Thuis?",
        "Wat is een kindcheck?",
    ],
    "Voor beheerders": [
        "Welke bijlagen horen bij het raadsvoorstel over de regiovisie?",
        "Hoe is het uitvoeringsprogramma tot stand gekomen?",
        "Geef me een recept voor erwtensoep",
    ],
}
RATINGS = {"Bruikbaar": "up", "Niet bruikbaar": "down"}
#: The pause between streamed chunks of an extractive answer (seconds).
STREAM_DELAY = 0.02
#: Search hits with less than this share of the query's content words are listed under the cut-off.
SEARCH_CUTOFF = 0.5


def theme() -> gr.themes.Base:
    """Gradio's default look with system fonts (no web fonts fetched) and colours with contrast >= 4.5:1."""
    return gr.themes.Default(
        primary_hue=gr.themes.colors.blue,
        font=["system-ui", "sans-serif"],
        font_mono=["monospace"],
    ).set(
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_text_color="white",
        body_text_color_subdued="*neutral_600",
        block_info_text_color="*neutral_600",
        input_placeholder_color="*neutral_500",
        link_text_color="*primary_700",
        color_accent="*primary_700",
    )


#: The "Uitloggen" button: forget the stored conversation, then Gradio's own logout.
LOGOUT_JS = f"""() => {{ localStorage.removeItem("{render.CONVERSATION_KEY}"); window.location.href = "logout"; }}"""


def logged_in(request: gr.Request) -> Any:
    """Show "Uitloggen" only when the app has a login and someone is logged in."""
    return gr.update(visible=bool(getattr(request, "username", None)))


def filters_of(docs: list[str] | None, regions: list[str] | None) -> Filters:
    """The dropdowns' values as retrieval filters."""
    return Filters(docs=tuple(docs or ()), regions=tuple(regions or ()))


class App:
    """The handlers behind the UI; one instance per launched app, shared by all sessions.

    The conversation lives in the browser (``transcript`` dicts); the app keeps no per-user state.
    """

    def __init__(self, kb: KnowledgeBase, feedback: FeedbackLog, stream_delay: float = STREAM_DELAY) -> None:
        self.kb = kb
        self.chat = Chat(kb)
        self.feedback = feedback
        self.stream_delay = stream_delay
        self._lock = threading.Lock()
        self._load()

    def _load(self) -> None:
        """What the UI shows of the index: document and region choices, titles, the glossary."""
        entries = self.kb.documents()
        self.titles = {name: e.meta.title or name for name, e in entries.items()}
        self.doc_choices = sorted(((title, name) for name, title in self.titles.items()), key=lambda c: c[0])
        self.region_choices = sorted({e.meta.region for e in entries.values() if e.meta.region})
        self.terms = glossary(self.kb.index.passages.values())
        self.loaded = self.kb.index.manifest.generation

    @property
    def generation(self) -> str:
        """The index generation the app answers from now."""
        return self.kb.index.manifest.generation

    def refresh(self) -> None:
        """Switch to a newer index generation when an ingest has made one (checked on every question)."""
        with self._lock:
            self.kb.refresh()  # the source viewer may have switched it already
            if self.kb.index.manifest.generation != self.loaded:
                self._load()

    def notice(self, seen: str) -> tuple[str, str]:
        """(notice HTML, generation): "De index is bijgewerkt" once per session after the generation changed."""
        self.refresh()
        now = self.generation
        if seen and seen != now:
            return f'<p class="kb-updated" role="status">{html.escape(render.UPDATED)}</p>', now
        return "", now

    def filter_label(self, docs: list[str] | None, regions: list[str] | None) -> str:
        """The active filters in words ("Document: ..., Regio: ..."); "" when none."""
        return "; ".join(f"{kind}: {value}" for kind, value in self.active(docs, regions))

    def active(self, docs: list[str] | None, regions: list[str] | None) -> list[tuple[str, str]]:
        """The active filters as (kind, value) pairs, documents by their title."""
        return [("Document", self.titles.get(d, d)) for d in docs or ()] + [("Regio", r) for r in regions or ()]

    def chips(self, docs: list[str] | None, regions: list[str] | None) -> tuple[Any, ...]:
        """Outputs (chips, clear button) for the chat tab and again for the search tab."""
        active = self.active(docs, regions)
        chips = render.chips_html(active)
        button = gr.update(visible=bool(active))
        return chips, button, chips, button

    def search(self, query: str, top_k: int, filters: Filters, mode: str) -> list[Passage]:
        """The ``top_k`` best passages for ``query`` (see ``KnowledgeBase.search``)."""
        return self.kb.search(query, top_k, filters, mode)

    def api_ask(self, question: str) -> dict[str, Any]:
        """Answer a question from the documents: {"answer", "refused", "citations"}.

        A question that is not text or too long gets one Dutch line as the error (``gr.Error``), not a traceback.
        """
        try:
            self.refresh()
            question = check_question(question, self.kb.max_question)
            if not question.strip():
                raise InputError(EMPTY)
            return self.chat.ask(question).answer.to_dict()
        except KennisbankError as exc:
            raise gr.Error(str(exc), print_exception=False) from None

    def restore(self, conversation: Any) -> tuple[Any, ...]:
        """On page load: the stored conversation shown again, and the filters and generation of the index now.

        Outputs (chat, conversation, feedback group, documents filter, region filter, seen generation).
        """
        self.refresh()
        kept = transcript.valid(conversation)
        return (
            render.conversation_html(kept),
            kept,
            gr.update(visible=bool(kept)),
            gr.update(choices=self.doc_choices),
            gr.update(choices=self.region_choices),
            self.generation,
        )

    def respond(
        self, question: str, conversation: Any, docs: list[str], regions: list[str], seen: str
    ) -> Iterator[tuple[Any, ...]]:
        """Chat handler; outputs (question box, chat, conversation, feedback group, status, notice, seen, pending).

        The answer streams into ``pending`` (the new turn only); the conversation is sent again once, at the end.
        A question that is not text or too long gets one Dutch line in the notice, and no search.
        """
        question = question.strip() if isinstance(question, str) else ""
        if not question:
            yield (gr.skip(),) * 8
            return
        try:
            check_question(question, self.kb.max_question)
        except InputError as exc:
            yield (
                *(gr.skip(),) * 5,
                f'<p class="kb-meta" role="alert">{html.escape(str(exc))}</p>',
                gr.skip(),
                gr.skip(),
            )
            return
        notice, seen = self.notice(seen)
        kept = transcript.valid(conversation)
        pending: dict[str, Any] = {"question": question, "text": ""}
        number = len(kept) + 1
        chat = render.conversation_html(kept) if kept else ""
        yield "", chat, gr.skip(), gr.skip(), "", notice, seen, render.pending_html(pending, number)
        turn: Turn | None = None
        for part in self.chat.stream(question, transcript.turns_of(kept), filters_of(docs, regions)):
            if isinstance(part, Turn):
                turn = part
                continue
            pending["text"] = part
            yield *(gr.skip(),) * 7, render.pending_html(pending, number)
            if not self.kb.answerer.generative:
                time.sleep(self.stream_delay)  # an extractive answer is ready at once: pace it for reading
        assert turn is not None, "Chat.stream ends with the Turn"
        kept = [*kept, transcript.stored(turn, self.kb.documents(), self.filter_label(docs, regions))]
        kept = kept[-transcript.MAX_TURNS :]
        chat = render.conversation_html(kept)
        yield gr.skip(), chat, kept, gr.update(visible=True), gr.skip(), gr.skip(), seen, ""

    def rate(
        self, conversation: Any, rating: str | None, comment: str, request: gr.Request | None = None
    ) -> tuple[str, Any, Any]:
        """Store feedback on the last answer; outputs are (status, rating, comment).

        One rating per answer per session; a rating that cannot be stored keeps the form filled in.
        """
        turns = transcript.turns_of(transcript.valid(conversation))
        if not turns:
            return "Stel eerst een vraag; daarna kunt u het antwoord beoordelen.", gr.skip(), gr.skip()
        if rating not in RATINGS:
            return "Kies Bruikbaar of Niet bruikbaar.", gr.skip(), gr.skip()
        last = turns[-1]
        session = getattr(request, "session_hash", None) or ""
        comment = comment if isinstance(comment, str) else ""
        try:
            self.feedback.append(
                Feedback.of(last.question, last.answer, RATINGS[rating], comment, last.searched),
                key=f"{session}:{len(turns)}:{hash((last.question, last.answer.text))}" if session else None,
            )
        except FeedbackError as exc:
            if exc.for_user:
                return f"Niet opgeslagen: {exc}", gr.skip(), gr.skip()
            print(f"fout: beoordeling niet opgeslagen: {exc}", file=sys.stderr, flush=True)  # details for the operator
            failed = "Niet opgeslagen: de beoordeling kon niet worden bewaard; meld dit bij de beheerder."
            return failed, gr.skip(), gr.skip()
        return "Bedankt, uw beoordeling is opgeslagen.", None, ""

    def search_html(
        self, query: str, top_k: int, mode: str, docs: list[str], regions: list[str], seen: str
    ) -> tuple[str, str, str]:
        """Search handler; outputs (results, notice, seen)."""
        notice, seen = self.notice(seen)
        query = query.strip() if isinstance(query, str) else ""
        try:
            hits = self.search(query, int(top_k), filters_of(docs, regions), mode) if query else []
        except KennisbankError as exc:
            return f'<p class="kb-meta">{html.escape(str(exc))}</p>', notice, seen
        terms = question_terms(query)
        shares = [coverage(terms, p) if terms else 1.0 for p in hits]
        return render.search_results_html(query, hits, shares, SEARCH_CUTOFF), notice, seen

    def glossary(self, query: str) -> str:
        """The glossary entries matching ``query``, as HTML."""
        query = query if isinstance(query, str) else ""
        return render.glossary_html(self.terms, query[: self.kb.max_question])

    def documents(self) -> str:
        """The documents table of the current index, as HTML."""
        self.refresh()
        return render.documents_html(self.kb.documents())


def _filters(app: App) -> tuple[gr.Dropdown, gr.Dropdown]:
    with gr.Accordion("Filters: document en regio (gelden voor Chat en Zoeken)", open=False), gr.Row():
        docs = gr.Dropdown(app.doc_choices, multiselect=True, label="Documenten", info="Leeg = alle documenten")
        regions = gr.Dropdown(app.region_choices, multiselect=True, label="Regio", info="Leeg = alle regio's")
    return docs, regions


def _chips(where: str) -> tuple[gr.HTML, gr.Button]:
    with gr.Row(equal_height=True):
        chips = gr.HTML("", elem_id=f"kb-chips-{where}")
        clear = gr.Button("Filters wissen", size="sm", visible=False, elem_id=f"kb-clear-{where}", scale=0)
    return chips, clear


def _chat_tab(
    app: App, conversation: gr.BrowserState, seen: gr.State, notice: gr.HTML, docs: gr.Dropdown, regions: gr.Dropdown
) -> tuple[gr.HTML, gr.Button, gr.HTML, gr.Group]:
    chips, clear = _chips("chat")
    chat = gr.HTML(render.conversation_html([]), elem_id="kb-chat")
    pending = gr.HTML("", elem_id="kb-pending")
    with gr.Row():
        question = gr.Textbox(
            label="Uw vraag",
            show_label=False,
            placeholder="Bijvoorbeeld: Wat is MDA++?",
            elem_id="kb-question",
            scale=5,
            lines=1,
        )
        ask = gr.Button("Vraag", variant="primary", elem_id="kb-ask", scale=1, min_width=80)
    new = gr.Button("Nieuw gesprek", size="sm", variant="secondary", elem_id="kb-new")
    with gr.Group(visible=False, elem_id="kb-feedback") as feedback:
        rating = gr.Radio(list(RATINGS), label="Was het laatste antwoord bruikbaar?", elem_id="kb-rating")
        comment = gr.Textbox(label="Toelichting (optioneel)", lines=2, elem_id="kb-comment")
        send = gr.Button("Beoordeling versturen", size="sm", elem_id="kb-send")
    status = gr.Markdown(elem_id="kb-feedback-status")
    for label, questions in EXAMPLES.items():
        gr.Examples([[q] for q in questions], inputs=[question], label=label)

    gr.on(
        [question.submit, ask.click],
        app.respond,
        inputs=[question, conversation, docs, regions, seen],
        outputs=[question, chat, conversation, feedback, status, notice, seen, pending],
        api_visibility="private",
    )
    new.click(
        lambda: (render.conversation_html([]), [], gr.update(visible=False), ""),
        outputs=[chat, conversation, feedback, status],
        api_visibility="private",
    )
    send.click(app.rate, [conversation, rating, comment], [status, rating, comment], api_visibility="private")
    return chips, clear, chat, feedback


def _search_tab(
    app: App, seen: gr.State, notice: gr.HTML, docs: gr.Dropdown, regions: gr.Dropdown
) -> tuple[gr.HTML, gr.Button]:
    chips, clear = _chips("search")
    with gr.Row():
        query = gr.Textbox(
            label="Zoekterm",
            show_label=False,
            placeholder="Zoekterm, bijvoorbeeld: Veilig Thuis",
            scale=5,
            elem_id="kb-query",
        )
        go = gr.Button("Zoeken", variant="primary", scale=1, min_width=80, elem_id="kb-search")
    with gr.Row():
        top_k = gr.Slider(1, 20, value=8, step=1, label="Aantal passages", elem_id="kb-top-k")
        mode = gr.Radio(
            [("Gecombineerd", "hybrid"), ("Woorden (BM25)", "bm25"), ("Betekenis (embeddings)", "dense")],
            value="hybrid",
            label="Zoekmethode",
        )
    results = gr.HTML(elem_id="kb-results")
    gr.on(
        [query.submit, go.click],
        app.search_html,
        inputs=[query, top_k, mode, docs, regions, seen],
        outputs=[results, notice, seen],
        api_visibility="private",
    )
    return chips, clear


def _documents_tab(app: App) -> gr.HTML:
    gr.Markdown("De documenten in de index: status, aantal passages en pagina's, wanneer ze zijn ingelezen.")
    return gr.HTML(render.documents_html(app.kb.documents()), elem_id="kb-documents")


def _glossary_tab(app: App) -> gr.Textbox:
    box = gr.Textbox(
        label="Zoek een begrip of afkorting", placeholder="Bijvoorbeeld: kindcheck of VT", elem_id="kb-term-query"
    )
    terms = gr.HTML(app.glossary(""), elem_id="kb-terms")
    box.change(app.glossary, box, terms, trigger_mode="always_last", api_visibility="private", show_progress="hidden")
    return box


def build_ui(app: App) -> gr.Blocks:
    """The Blocks app; launch it with ``launch`` (which sets theme, CSS, the page head and the server)."""
    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        conversation = gr.BrowserState([], storage_key=render.CONVERSATION_KEY)
        seen = gr.State(app.generation)
        with gr.Row(equal_height=True):
            gr.Markdown(INTRO_LLM if app.kb.answerer.generative else INTRO)
            logout = gr.Button("Uitloggen", size="sm", visible=False, elem_id="kb-logout", scale=0, min_width=110)
        notice = gr.HTML("", elem_id="kb-notice")
        docs, regions = _filters(app)
        with gr.Tabs():
            with gr.Tab("Chat", elem_id="kb-tab-chat"):
                chat_chips, chat_clear, chat, feedback = _chat_tab(app, conversation, seen, notice, docs, regions)
            with gr.Tab("Zoeken", elem_id="kb-tab-search"):
                search_chips, search_clear = _search_tab(app, seen, notice, docs, regions)
            with gr.Tab("Documenten", elem_id="kb-tab-documents") as documents_tab:
                documents = _documents_tab(app)
            with gr.Tab("Begrippen", elem_id="kb-tab-glossary"):
                _glossary_tab(app)
        gr.api(app.api_ask, api_name="ask")

        chip_outputs = [chat_chips, chat_clear, search_chips, search_clear]
        gr.on([docs.change, regions.change], app.chips, [docs, regions], chip_outputs, api_visibility="private")
        gr.on(
            [chat_clear.click, search_clear.click],
            lambda: ([], []),
            outputs=[docs, regions],
            api_visibility="private",
        )
        documents_tab.select(app.documents, outputs=documents, api_visibility="private", show_progress="hidden")
        demo.load(
            app.restore,
            inputs=[conversation],
            outputs=[chat, conversation, feedback, docs, regions, seen],
            api_visibility="private",
        )
        demo.load(logged_in, outputs=logout, api_visibility="private", show_progress="hidden")
        # A council PC is shared: logging out removes the conversation kept in this browser first.
        logout.click(None, js=LOGOUT_JS)
    return demo


def check_port(host: str, port: int) -> None:
    """Raise ConfigError (one Dutch line naming KENNISBANK_PORT) when ``host:port`` cannot be listened on.

    Raises:
        ConfigError: the port is taken or the address is not ours.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ConfigError(
                f"poort {port} op {host} is niet beschikbaar ({exc.strerror or exc}): "
                f"kies een andere met KENNISBANK_PORT (of --port bij kennisbank serve)"
            ) from exc


def launch(
    settings: Settings,
    kb: KnowledgeBase | None = None,
    *,
    block: bool = True,
    quiet: bool = True,
    announce: bool = False,
) -> gr.Blocks:
    """Open the knowledge base (if not given), build the UI and serve it on ``settings.host:port``.

    With ``block=False`` the server runs in a background thread; call ``.close()`` on
    the returned Blocks to stop it. ``settings.auth`` ("user:password") requires a login.
    ``announce`` prints the address in Dutch; Gradio's own English start-up text stays off.

    The web surface is narrowed by ``kennisbank.web`` (see docs/security.md): no listening
    beyond loopback without a login, Host header checked, upload routes closed, wrong
    logins slowed, sessions capped and expired, text boxes capped.

    Raises:
        ConfigError: the port is not available, or the host is not loopback and there is no login.
    """
    web.check_exposure(settings)
    check_port(settings.host, settings.port)
    kb = kb or KnowledgeBase.open(settings, make_answerer(settings))
    kb.search("opwarmen", 1)  # loads the embedding model now, not on the first user's question
    feedback = FeedbackLog(settings.feedback_path, settings.feedback_days, per_minute=RATINGS_PER_MINUTE)
    problem = feedback.writable()
    try:
        feedback.prune()
    except (FeedbackError, OSError) as exc:
        problem = problem or str(exc)
    if problem:
        print(f"waarschuwing: {problem}; beoordelingen worden niet opgeslagen", file=sys.stderr, flush=True)
    demo = build_ui(App(kb, feedback))
    web.cap_textboxes(demo, settings.max_question, {"kb-comment": FEEDBACK_LIMITS["comment"]})
    demo.delete_cache = (3600, 3600)  # Gradio's file cache: files older than an hour removed every hour
    # Measured with 20 streaming chat users on 2 cores (BENCHMARKS.md, benchmarks/concurrency.py): the lock
    # serialises only the search, so every chat streams at once; max_size bounds the wait under overload.
    demo.queue(default_concurrency_limit=32, max_size=64)
    demo.launch(
        server_name=settings.host,
        server_port=settings.port,
        auth=web.slow_login(*settings.auth) if settings.auth else None,  # type: ignore[arg-type]  # async is awaited
        auth_message="Log in om de kennisbank te gebruiken." if settings.auth else None,
        app_kwargs={"middleware": [Middleware(web.Guard, hosts=web.allowed_hosts(settings))]},
        state_session_capacity=settings.sessions,
        max_file_size=web.MAX_UPLOAD,
        prevent_thread_lock=True,
        quiet=quiet,
        theme=theme(),
        css=render.CSS,
        head=render.HEAD,  # issue 12: lang="nl" and the copy buttons
        ssr_mode=False,
        pwa=False,
        mcp_server=False,
        footer_links=["api"],
        max_threads=64,  # above the chat's 32 concurrent streams, with room for /ask, search and glossary
    )
    web.SessionReaper(demo.state_holder, settings.session_ttl).start()
    viewer.mount(demo.app, settings.corpus, kb)  # issue 12: the source viewer's routes (kb/bron, ...)
    if announce:
        print(f"Kennisbank: open http://{settings.host}:{settings.port} in de browser (Ctrl-C stopt)", flush=True)
    if block:
        demo.block_thread()
    return demo


__all__ = ["App", "build_ui", "launch"]
