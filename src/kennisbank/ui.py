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
import time
from collections.abc import Iterator
from typing import Any

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # read when gradio is imported

import gradio as gr  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402

from kennisbank import render, web  # noqa: E402
from kennisbank.answering.generative import make_answerer  # noqa: E402
from kennisbank.chat import Chat, Turn  # noqa: E402
from kennisbank.config import Settings  # noqa: E402
from kennisbank.errors import ConfigError, InputError, KennisbankError  # noqa: E402
from kennisbank.feedback import LIMITS as FEEDBACK_LIMITS  # noqa: E402
from kennisbank.feedback import RATINGS_PER_MINUTE, Feedback, FeedbackError, FeedbackLog  # noqa: E402
from kennisbank.knowledgebase import KnowledgeBase, check_question  # noqa: E402
from kennisbank.passage import Passage  # noqa: E402
from kennisbank.retrieval import Filters  # noqa: E402

TITLE = "Kennisbank huiselijk geweld en kindermishandeling"
INTRO = (
    f"# {TITLE}\n"
    "Stel een vraag in gewone taal. Het antwoord bestaat uit zinnen uit de beleidsdocumenten, "
    "met een bronnummer zoals **[1]**; open de bron rechts om de passage te lezen. "
    "Staat het antwoord niet in de documenten, dan zegt de kennisbank dat."
)
INTRO_LLM = (
    f"# {TITLE}\n"
    "Stel een vraag in gewone taal. Een taalmodel schrijft het antwoord uitsluitend uit de passages "
    "rechts, met een bronnummer zoals **[1]** achter elke zin; elk bronnummer wordt gecontroleerd. "
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
SOURCES_PLACEHOLDER = "De bronnen van het antwoord verschijnen hier."
RATINGS = {"👍 Bruikbaar": "up", "👎 Niet bruikbaar": "down"}
#: The pause between streamed chunks of an extractive answer (seconds).
STREAM_DELAY = 0.02


def theme() -> gr.themes.Base:
    """Gradio's default look with system fonts: no web fonts are fetched."""
    return gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["monospace"])


def filters_of(docs: list[str] | None, regions: list[str] | None) -> Filters:
    return Filters(docs=tuple(docs or ()), regions=tuple(regions or ()))


def message(role: str, text: str) -> dict[str, str]:
    """A chat message; its text is escaped, because the chatbot renders Markdown and HTML."""
    return {"role": role, "content": html.escape(text)}


class App:
    """The handlers behind the UI; one instance per launched app, shared by all sessions."""

    def __init__(self, kb: KnowledgeBase, feedback: FeedbackLog, stream_delay: float = STREAM_DELAY) -> None:
        self.kb = kb
        self.chat = Chat(kb)
        self.feedback = feedback
        self.stream_delay = stream_delay
        entries = kb.documents()
        self.doc_choices = sorted(((e.meta.title or name, name) for name, e in entries.items()), key=lambda c: c[0])
        self.region_choices = sorted({e.meta.region for e in entries.values() if e.meta.region})
        self.terms = kb.glossary_terms()

    def search(self, query: str, top_k: int, filters: Filters, mode: str) -> list[Passage]:
        return self.kb.search(query, top_k, filters, mode)

    def api_ask(self, question: str) -> dict[str, Any]:
        """Answer a question from the documents: {"answer", "refused", "citations"}.

        A question that is not text or too long gets one Dutch line as the error (``gr.Error``), not a traceback.
        """
        try:
            return self.chat.ask(check_question(question, self.kb.max_question)).answer.to_dict()
        except KennisbankError as exc:
            raise gr.Error(str(exc), print_exception=False) from None

    def respond(
        self, question: str, history: list[dict[str, Any]], turns: list[Turn], docs: list[str], regions: list[str]
    ) -> Iterator[tuple[Any, ...]]:
        """Chat handler: outputs are (question box, chatbot, sources, turns, feedback status)."""
        question = question.strip() if isinstance(question, str) else ""
        if not question:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        try:
            check_question(question, self.kb.max_question)
        except InputError as exc:
            yield gr.skip(), [*history, message("assistant", str(exc))], gr.skip(), gr.skip(), gr.skip()
            return
        history = [*history, message("user", question), {"role": "assistant", "content": "…"}]
        yield "", history, '<p class="kb-meta">Zoeken in de documenten…</p>', gr.skip(), ""
        turn: Turn | None = None
        for part in self.chat.stream(question, turns, filters_of(docs, regions)):
            if isinstance(part, Turn):
                turn = part
                continue
            history[-1] = message("assistant", part)
            yield gr.skip(), history, gr.skip(), gr.skip(), gr.skip()
            if not self.kb.answerer.generative:
                time.sleep(self.stream_delay)  # an extractive answer is ready at once: pace it for reading
        assert turn is not None, "Chat.stream ends with the Turn"
        answer = turn.answer
        history[-1] = message("assistant", f"{answer.text}\n\n_{answer.note}_" if answer.note else answer.text)
        yield gr.skip(), history, render.sources_html(answer, question, turn.searched), [*turns, turn], gr.skip()

    def rate(
        self, turns: list[Turn], rating: str | None, comment: str, request: gr.Request | None = None
    ) -> tuple[str, Any, Any]:
        """Store feedback on the last answer; outputs are (status, rating, comment).

        One rating per answer per session; a rating that cannot be stored keeps the form filled in.
        """
        if not turns:
            return "Stel eerst een vraag; daarna kunt u het antwoord beoordelen.", gr.skip(), gr.skip()
        if rating not in RATINGS:
            return "Kies 👍 of 👎.", gr.skip(), gr.skip()
        last = turns[-1]
        session = getattr(request, "session_hash", None) or ""
        comment = comment if isinstance(comment, str) else ""
        try:
            self.feedback.append(
                Feedback.of(last.question, last.answer, RATINGS[rating], comment, last.searched),
                key=f"{session}:{len(turns)}:{hash((last.question, last.answer.text))}" if session else None,
            )
        except FeedbackError as exc:
            return f"Niet opgeslagen: {exc}", gr.skip(), gr.skip()
        return "Bedankt, uw beoordeling is opgeslagen.", None, ""

    def search_html(self, query: str, top_k: int, mode: str, docs: list[str], regions: list[str]) -> str:
        query = query.strip() if isinstance(query, str) else ""
        try:
            hits = self.search(query, int(top_k), filters_of(docs, regions), mode) if query else []
        except KennisbankError as exc:
            return f'<p class="kb-meta">{html.escape(str(exc))}</p>'
        return render.search_results_html(query, hits)

    def glossary(self, query: str) -> str:
        query = query if isinstance(query, str) else ""
        return render.glossary_html(self.terms, query[: self.kb.max_question])


def _filters(app: App) -> tuple[gr.Dropdown, gr.Dropdown]:
    with gr.Accordion("Filters: document en regio (gelden voor Chat en Zoeken)", open=False), gr.Row():
        docs = gr.Dropdown(app.doc_choices, multiselect=True, label="Documenten", info="Leeg = alle documenten")
        regions = gr.Dropdown(app.region_choices, multiselect=True, label="Regio", info="Leeg = alle regio's")
    return docs, regions


def _chat_tab(app: App, docs: gr.Dropdown, regions: gr.Dropdown) -> None:
    turns = gr.State([])
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(
                label="Gesprek",
                elem_id="kb-chat",
                height=440,
                feedback_options=None,
                latex_delimiters=[],
                buttons=["copy"],
                placeholder="Stel hieronder een vraag, of kies een voorbeeld.",
            )
            with gr.Row():
                question = gr.Textbox(
                    show_label=False, placeholder="Bijvoorbeeld: Wat is MDA++?", elem_id="kb-question", scale=5
                )
                ask = gr.Button("Vraag", variant="primary", elem_id="kb-ask", scale=1, min_width=80)
            new = gr.Button("Nieuw gesprek", size="sm", variant="secondary")
            for label, questions in EXAMPLES.items():
                gr.Examples([[q] for q in questions], inputs=[question], label=label)
        with gr.Column(scale=2):
            sources = gr.HTML(f'<p class="kb-meta">{SOURCES_PLACEHOLDER}</p>', elem_id="kb-sources")
            with gr.Group():
                rating = gr.Radio(list(RATINGS), label="Was dit antwoord bruikbaar?", elem_id="kb-rating")
                comment = gr.Textbox(label="Toelichting (optioneel)", lines=2, elem_id="kb-comment")
                send = gr.Button("Beoordeling versturen", size="sm", elem_id="kb-send")
            status = gr.Markdown(elem_id="kb-feedback-status")

    gr.on(
        [question.submit, ask.click],
        app.respond,
        inputs=[question, chatbot, turns, docs, regions],
        outputs=[question, chatbot, sources, turns, status],
        api_visibility="private",
    )
    new.click(lambda: ([], [], "", ""), outputs=[chatbot, turns, sources, status], api_visibility="private")
    chatbot.clear(lambda: ([], "", ""), outputs=[turns, sources, status], api_visibility="private")
    send.click(app.rate, [turns, rating, comment], [status, rating, comment], api_visibility="private")


def _search_tab(app: App, docs: gr.Dropdown, regions: gr.Dropdown) -> None:
    with gr.Row():
        query = gr.Textbox(show_label=False, placeholder="Zoekterm, bijvoorbeeld: Veilig Thuis", scale=5)
        go = gr.Button("Zoeken", variant="primary", scale=1, min_width=80)
    with gr.Row():
        top_k = gr.Slider(1, 20, value=8, step=1, label="Aantal passages")
        mode = gr.Radio(
            [("Gecombineerd", "hybrid"), ("Woorden (BM25)", "bm25"), ("Betekenis (embeddings)", "dense")],
            value="hybrid",
            label="Zoekmethode",
        )
    results = gr.HTML(elem_id="kb-results")
    gr.on(
        [query.submit, go.click],
        app.search_html,
        inputs=[query, top_k, mode, docs, regions],
        outputs=results,
        api_visibility="private",
    )


def _documents_tab(app: App) -> None:
    gr.Markdown("De documenten in de index, met het aantal passages waarin ze zijn opgedeeld.")
    gr.HTML(render.documents_html(app.kb.documents()), elem_id="kb-documents")


def _glossary_tab(app: App) -> None:
    box = gr.Textbox(label="Zoek een begrip", placeholder="Bijvoorbeeld: kindcheck")
    terms = gr.HTML(app.glossary(""), elem_id="kb-terms")
    box.change(app.glossary, box, terms, trigger_mode="always_last", api_visibility="private")


def build_ui(app: App) -> gr.Blocks:
    """The Blocks app; launch it with ``launch`` (which sets theme, CSS and the server)."""
    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        gr.Markdown(INTRO_LLM if app.kb.answerer.generative else INTRO)
        docs, regions = _filters(app)
        with gr.Tabs():
            with gr.Tab("Chat"):
                _chat_tab(app, docs, regions)
            with gr.Tab("Zoeken"):
                _search_tab(app, docs, regions)
            with gr.Tab("Documenten"):
                _documents_tab(app)
            with gr.Tab("Begrippen"):
                _glossary_tab(app)
        gr.api(app.api_ask, api_name="ask")
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
                f"kies een andere met KENNISBANK_PORT"
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
        ssr_mode=False,
        pwa=False,
        mcp_server=False,
        footer_links=["api"],
        max_threads=64,  # above the chat's 32 concurrent streams, with room for /ask, search and glossary
    )
    web.SessionReaper(demo.state_holder, settings.session_ttl).start()
    if announce:
        print(f"Kennisbank: open http://{settings.host}:{settings.port} in de browser (Ctrl-C stopt)", flush=True)
    if block:
        demo.block_thread()
    return demo


__all__ = ["App", "build_ui", "launch"]
