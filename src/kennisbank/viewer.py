"""The source viewer: a citation opened in its original document, at its page, the quoted sentences marked.

Routes (mounted on the app by ``mount``; relative links work under a path prefix too):

    GET kb/bron?doc=&van=&tot=&p=&h=&q=   an HTML page: a text document with the passage in its
                                          surrounding text, or a PDF page rendered on the server with
                                          highlight boxes over the quoted characters
    GET kb/pagina?doc=&p=                 that PDF page as PNG (pypdfium2)
    GET kb/bestand?doc=                   the original file from the corpus folder, as a download

``doc`` must be a document of the index (its manifest id); no other file can be named.
``h`` is the start of the document's sha256 when the answer was given: when the index now
holds another version, the page says "Document gewijzigd" and shows the quote as it was,
not the wrong text. The pages load nothing from another host (Content-Security-Policy).
The routes ask for the same login as the app when it has one.
"""

from __future__ import annotations

import html
import inspect
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fastapi import Request  # resolved at run time: FastAPI reads the dependency's annotation

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI

    from kennisbank.knowledgebase import KnowledgeBase

from kennisbank.markup import escape as _e
from kennisbank.markup import marked
from kennisbank.passage import Passage
from kennisbank.store.manifest import file_sha256 as store_file_sha256
from kennisbank.text import quote_pieces, quote_spans

PREFIX = "kb"
#: Length of the sha256 prefix kept in a link: enough to tell versions apart.
HASH_CHARS = 16
#: Quotes longer than this are cut in links (URLs stay short); the offsets still mark the passage.
MAX_QUOTE = 1500
#: Pixels per PDF point of a rendered page (1.5 = 108 dpi).
SCALE = 1.5
CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
CHANGED = "Document gewijzigd"


def source_url(cited: Mapping[str, Any]) -> str:
    """The viewer link of a stored citation (``transcript.cited``): relative, so it works under a prefix."""
    query: dict[str, Any] = {"doc": cited["doc"]}
    if cited.get("start") is not None and cited.get("end") is not None:
        query["van"], query["tot"] = int(cited["start"]), int(cited["end"])
    if cited.get("page"):
        query["p"] = int(cited["page"])
    if cited.get("sha256"):
        query["h"] = str(cited["sha256"])[:HASH_CHARS]
    quoted = "\n".join(cited.get("quoted") or ())
    if quoted:
        query["q"] = quoted[:MAX_QUOTE]
    return f"{PREFIX}/bron?{urlencode(query)}#citaat"


def file_url(doc: str) -> str:
    """The download link of a document's original file."""
    return f"{PREFIX}/bestand?{urlencode({'doc': doc})}"


def document_text(passages: Iterable[Passage]) -> str:
    """The cleaned text of one document, rebuilt from its passages (``Passage.start/end`` are its offsets).

    What no passage covers (the blank lines between them) becomes line breaks.
    """
    ordered = sorted(passages, key=lambda p: p.start)
    size = max((p.end for p in ordered), default=0)
    chars = ["\n"] * size
    for p in ordered:
        chars[p.start : p.end] = p.text
    return "".join(chars)


@dataclass(frozen=True)
class Box:
    """A rectangle on a PDF page in points from the top left: x0, top, x1, bottom."""

    x0: float
    top: float
    x1: float
    bottom: float


def _letters(text: str) -> str:
    """What is compared between a quote and a page: NFKC, folded case, no whitespace or hyphens."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", folded)


def quote_boxes(chars: Sequence[Mapping[str, Any]], quotes: Iterable[str]) -> list[Box]:
    """Line boxes over the characters of ``chars`` (pdfplumber's ``page.chars``) that spell each quote.

    Characters are compared without whitespace and hyphens, so a quote from the cleaned text
    (lines joined, words unhyphenated) is found on the page; one box per line of the match.
    A quote that runs onto the next page is marked as far as it is on this one.
    """
    letters: list[tuple[str, Mapping[str, Any]]] = []
    for ch in chars:
        for letter in _letters(str(ch.get("text", ""))):
            letters.append((letter, ch))
    page = "".join(letter for letter, _ in letters)
    boxes: list[Box] = []
    for quote in quotes:
        wanted = _letters(quote)
        at, length = page.find(wanted), len(wanted)
        while at < 0 and length > 20:  # the part that is on this page: its start
            length = length * 3 // 4
            at = page.find(wanted[:length])
        if at < 0 or not wanted:
            continue
        line: list[Mapping[str, Any]] = []
        for _, ch in letters[at : at + length]:
            if line and abs(float(ch["top"]) - float(line[-1]["top"])) > 2:
                boxes.append(_around(line))
                line = []
            line.append(ch)
        if line:
            boxes.append(_around(line))
    return boxes


def _around(chars: Sequence[Mapping[str, Any]]) -> Box:
    return Box(
        x0=min(float(c["x0"]) for c in chars),
        top=min(float(c["top"]) for c in chars),
        x1=max(float(c["x1"]) for c in chars),
        bottom=max(float(c["bottom"]) for c in chars),
    )


def pdf_page_boxes(
    path: Path, page: int, quotes: Sequence[str], look_ahead: int = 5
) -> tuple[int, float, float, list[Box]]:
    """The page that shows ``quotes``: (1-based page, width, height in points, boxes of the quotes on it).

    A passage is cited by the page it starts on; a quote further in it may stand on a later
    page, so up to ``look_ahead`` following pages are tried. Without a match, ``page`` with no boxes.

    Raises:
        ValueError: the page does not exist.
    """
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        if not 1 <= page <= len(pdf.pages):
            raise ValueError(f"pagina {page} bestaat niet")
        for number in range(page, min(page + look_ahead, len(pdf.pages)) + 1):
            candidate = pdf.pages[number - 1]
            boxes = quote_boxes(candidate.chars, quotes[:1]) if quotes else []
            if boxes:
                boxes = quote_boxes(candidate.chars, quotes)
                return number, float(candidate.width), float(candidate.height), boxes
        first = pdf.pages[page - 1]
        return page, float(first.width), float(first.height), []


@lru_cache(maxsize=32)
def pdf_page_png(path: Path, page: int, mtime: float, scale: float = SCALE) -> bytes:
    """1-based ``page`` of the PDF at ``path`` as PNG bytes (``mtime`` keys the cache).

    Raises:
        ValueError: the page does not exist.
    """
    import io

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        if not 1 <= page <= len(pdf):
            raise ValueError(f"pagina {page} bestaat niet")
        image = pdf[page - 1].render(scale=scale).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()
    finally:
        pdf.close()


@lru_cache(maxsize=64)
def _file_sha256(path: Path, mtime: float, size: int) -> str:
    return store_file_sha256(path)  # the manifest's own hash; mtime and size only key the cache


def file_sha256(path: Path) -> str:
    """sha256 of the file's bytes (hex), cached while its time and size stay the same."""
    stat = path.stat()
    return _file_sha256(path, stat.st_mtime, stat.st_size)


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 60em; padding: 0.8em; color: #111827;
  background: #fff; line-height: 1.5; }
h1 { font-size: 1.3em; margin: 0.2em 0; }
a { color: #1d4ed8; }
.meta { color: #374151; }
.doc { white-space: pre-wrap; }
.here { background: #eff6ff; outline: 2px solid #1d4ed8; display: inline; }
mark { background: #fde68a; color: #111; }
.changed { border-left: 5px solid #b45309; background: #fffbeb; padding: 0.5em 0.8em; }
figure { position: relative; margin: 0.5em 0; max-width: 100%; }
figure img { display: block; width: 100%; height: auto; border: 1px solid #9ca3af; }
.box { position: absolute; background: rgba(250, 204, 21, 0.35); outline: 2px solid #b45309; }
blockquote { white-space: pre-wrap; border-left: 3px solid #6b7280; margin: 0.5em 0; padding-left: 0.8em; }
"""


def page_html(title: str, body: str) -> str:
    """A complete Dutch HTML page with the viewer's style; ``body`` must be escaped already."""
    return (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def _pieces(quotes: Sequence[str]) -> list[str]:
    """Every quote and its verbatim pieces (see ``kennisbank.text.quote_pieces``)."""
    return [piece for quote in quotes for piece in quote_pieces(quote)]


def text_view(text: str, start: int, end: int, quotes: Sequence[str]) -> str:
    """The document text with the passage ``text[start:end]`` framed (``id="citaat"``) and the quotes marked."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    passage = text[start:end]
    return (
        f'<div class="doc">{_e(text[:start])}'
        '<section id="citaat" class="here" aria-label="Geciteerde passage">'
        f"{marked(passage, quote_spans(passage, quotes))}"
        f"</section>{_e(text[end:])}</div>"
    )


def pdf_view(doc: str, title: str, page: int, size: tuple[float, float], boxes: Sequence[Box]) -> str:
    """The rendered page with absolutely placed highlight boxes (percentages of the page)."""
    width, height = size
    marks = "".join(
        f'<span class="box" data-box="{b.x0:.2f},{b.top:.2f},{b.x1:.2f},{b.bottom:.2f}" '
        f'style="left:{100 * b.x0 / width:.3f}%;top:{100 * b.top / height:.3f}%;'
        f'width:{100 * (b.x1 - b.x0) / width:.3f}%;height:{100 * (b.bottom - b.top) / height:.3f}%"></span>'
        for b in boxes
    )
    src = f"pagina?{urlencode({'doc': doc, 'p': page})}"
    return (
        f'<figure id="citaat" data-width="{width:.2f}" data-height="{height:.2f}">'
        f'<img src="{_e(src)}" alt="Pagina {page} van {_e(title)}, met de geciteerde zinnen gemarkeerd" '
        f'width="{round(width * SCALE)}" height="{round(height * SCALE)}">{marks}'
        f"<figcaption class='meta'>Pagina {page}; gemarkeerd: {len(boxes)} regel(s)</figcaption></figure>"
    )


async def _login_required(request: Request) -> None:
    """The app's own login: the routes are closed to whoever Gradio's pages are closed to.

    Raises:
        HTTPException: 401 without a valid login, when the app has one.
    """
    from fastapi import HTTPException

    app = request.app
    auth, dependency = getattr(app, "auth", None), getattr(app, "auth_dependency", None)
    if auth is None and dependency is None:
        return
    if dependency is not None:
        user = dependency(request)
        if inspect.isawaitable(user):
            user = await user
    else:
        cookie = getattr(app, "cookie_id", "")
        token = request.cookies.get(f"access-token-{cookie}") or request.cookies.get(f"access-token-unsecure-{cookie}")
        user = getattr(app, "tokens", {}).get(token)
    if user is None:
        raise HTTPException(status_code=401, detail="Niet ingelogd")


def _number(value: str) -> int | None:
    """A link parameter as a whole number, None when it is not one (or absent)."""
    return int(value) if value.strip().isdigit() else None


def router(corpus: Path, kb: KnowledgeBase) -> APIRouter:
    """The viewer's routes over the documents of ``kb`` whose files lie in ``corpus``."""
    from fastapi import APIRouter, Depends, HTTPException
    from fastapi.responses import FileResponse, HTMLResponse, Response

    routes = APIRouter(prefix=f"/{PREFIX}", dependencies=[Depends(_login_required)])

    def located(doc: str) -> tuple[Any, Path]:
        kb.refresh()
        entry = kb.documents().get(doc)
        root = corpus.resolve()
        path = (root / doc).resolve()
        if entry is None or not path.is_relative_to(root) or not path.is_file():
            raise HTTPException(status_code=404, detail=f"{doc}: geen document van de kennisbank")
        return entry, path

    def html_page(title: str, body: str, status: int = 200) -> HTMLResponse:
        headers = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"}
        return HTMLResponse(page_html(title, body), status_code=status, headers=headers)

    def missing(doc: str) -> HTMLResponse:
        body = f"<h1>Bron niet gevonden</h1><p>{_e(doc)} staat niet (meer) in de kennisbank.</p>"
        return html_page("Bron niet gevonden", body, 404)

    def invalid(fields: list[str]) -> HTMLResponse:
        body = (
            "<h1>Ongeldige koppeling</h1><p>Deze bronkoppeling is onvolledig of beschadigd"
            f" (veld: {_e(', '.join(fields))}). Open de bron opnieuw vanuit het antwoord.</p>"
        )
        return html_page("Ongeldige koppeling", body, 400)

    # Parameters are read as text and checked here, not by FastAPI's validation: its errors are English JSON,
    # and an exception handler added to Gradio's app after it has started is never called.
    @routes.get("/bron", response_class=HTMLResponse)
    def source(
        doc: str = "",
        van: str = "",
        tot: str = "",
        p: str = "",
        h: str = "",
        q: str = "",
    ) -> HTMLResponse:
        numbers = {name: _number(value) for name, value in (("van", van), ("tot", tot), ("p", p))}
        bad = [name for name, value in (("van", van), ("tot", tot), ("p", p)) if value and numbers[name] is None]
        if len(q) > 4 * MAX_QUOTE:
            bad.append("q")
        if not doc or bad:
            return invalid(bad or ["doc"])
        return _source(doc, numbers["van"], numbers["tot"], numbers["p"], h, q)

    def _source(doc: str, van: int | None, tot: int | None, p: int | None, h: str, q: str) -> HTMLResponse:
        try:
            entry, path = located(doc)
        except HTTPException:
            return missing(doc)
        title = entry.meta.title or doc
        quotes = [line for line in q.split("\n") if line.strip()]
        download = f'<a href="{_e(file_url(doc).removeprefix(PREFIX + "/"))}" download>Download het origineel</a>'
        parts = [f"<h1>{_e(title)}</h1><p class='meta'>{_e(doc)} · {download}</p>"]
        current = {entry.sha256[:HASH_CHARS], file_sha256(path)[:HASH_CHARS]}
        if h and (h[:HASH_CHARS] not in current or len(current) > 1):
            parts.append(
                f'<div class="changed" role="alert"><strong>{CHANGED}.</strong> De kennisbank is opnieuw ingelezen '
                "sinds dit antwoord werd gegeven; de plek van het citaat klopt mogelijk niet meer. "
                "Het geciteerde was:</div>"
            )
            parts.append(f"<blockquote>{_e(q) or '(geen citaat bewaard)'}</blockquote>")
            return html_page(f"{CHANGED}: {title}", "".join(parts))
        passages = [x for x in kb.index.passages.values() if x.doc == doc]
        text = document_text(passages)
        start, end = van if van is not None else 0, tot if tot is not None else 0
        if path.suffix.lower() == ".pdf" and p:
            try:
                p, width, height, boxes = pdf_page_boxes(path, p, _pieces(quotes) or [text[start:end]])
            except ValueError:
                return html_page("Pagina niet gevonden", f"<h1>Pagina {p} bestaat niet in {_e(title)}</h1>", 404)
            parts.append(pdf_view(doc, title, p, (width, height), boxes))
            parts.append("<h2>De passage als tekst</h2>")
            parts.append(f"<blockquote>{marked(text[start:end], quote_spans(text[start:end], quotes))}</blockquote>")
        else:
            parts.append(text_view(text, start, end, quotes))
        return html_page(f"Bron: {title}", "".join(parts))

    @routes.get("/pagina")
    def page_image(doc: str = "", p: str = "") -> Response:
        number = _number(p)
        if not doc or number is None:
            return invalid(["doc"] if not doc else ["p"])
        try:
            _, path = located(doc)
        except HTTPException:
            return missing(doc)
        if path.suffix.lower() != ".pdf":
            return html_page("Geen PDF", f"<h1>{_e(doc)} is geen PDF</h1>", 404)
        try:
            png = pdf_page_png(path, number, path.stat().st_mtime)
        except ValueError:
            return html_page("Pagina niet gevonden", f"<h1>Pagina {number} bestaat niet in {_e(doc)}</h1>", 404)
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})

    @routes.get("/bestand", response_model=None)
    def download(doc: str = "") -> FileResponse | HTMLResponse:
        if not doc:
            return invalid(["doc"])
        try:
            _, path = located(doc)
        except HTTPException:
            return missing(doc)
        return FileResponse(path, filename=Path(doc).name, content_disposition_type="attachment")

    return routes


def mount(app: FastAPI, corpus: Path, kb: KnowledgeBase) -> None:
    """Add the viewer's routes to the running app (Gradio's FastAPI app, ``demo.app``).

    A link with a missing or malformed parameter gets a Dutch page (400) instead of
    FastAPI's English JSON (the routes check their own parameters).
    """
    app.include_router(router(corpus, kb))
