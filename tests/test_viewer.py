"""The source viewer: text documents rebuilt from their passages, PDF pages with highlight boxes, downloads."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pdfplumber
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from kennisbank.ingest.cleaning import build_vocabulary, clean_document
from kennisbank.ingest.corpus import load_metadata

from kennisbank.config import Settings
from kennisbank.indexing import ingest
from kennisbank.knowledgebase import KnowledgeBase
from kennisbank.viewer import CHANGED, CSP, MAX_QUOTE, document_text, file_url, quote_boxes, router, source_url
from tests.conftest import CORPUS, SMALL_DOCS
from tests.test_pdf_ingest import make_pdf

PDF_NAME = "zorgmijders.pdf"
PAGE_ONE = "Het meldpunt voor zorgwekkende zorgmijders is bedoeld voor buren en familie die zich zorgen maken."
PAGE_TWO_QUOTE = (
    "Het meldpunt is op werkdagen bereikbaar van negen tot vijf uur via het algemene nummer van de gemeente."
)


def pdf_pages() -> list[list[str]]:
    return [
        ["1. MELDPUNT", PAGE_ONE],
        ["2. BEREIKBAARHEID", PAGE_TWO_QUOTE + " Buiten die tijden neemt Veilig Thuis de meldingen aan."],
    ]


@pytest.fixture(scope="module")
def corpus_and_kb(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, KnowledgeBase]:
    corpus = tmp_path_factory.mktemp("corpus")
    for name in SMALL_DOCS:
        shutil.copy(CORPUS / name, corpus / name)
    shutil.copy(CORPUS / "metadata.toml", corpus / "metadata.toml")
    (corpus / PDF_NAME).write_bytes(make_pdf(pdf_pages()))
    index = tmp_path_factory.mktemp("index")
    report = ingest(corpus, index, "hash:64")
    assert not report.errors, report.errors
    return corpus, KnowledgeBase.open(Settings(corpus=corpus, index=index, chroma_url=""))


@pytest.fixture(scope="module")
def client(corpus_and_kb: tuple[Path, KnowledgeBase]) -> TestClient:
    corpus, kb = corpus_and_kb
    app = FastAPI()
    app.include_router(router(corpus, kb))
    return TestClient(app)


def test_the_passages_of_a_text_document_rebuild_its_cleaned_text(corpus_and_kb: tuple[Path, KnowledgeBase]) -> None:
    corpus, kb = corpus_and_kb
    name = SMALL_DOCS[0]
    texts = {n: (corpus / n).read_text(encoding="utf-8") for n in SMALL_DOCS}
    vocabulary: Counter[str] = build_vocabulary(texts.values())
    meta = load_metadata(corpus)[name]
    cleaned = clean_document(meta, [texts[name]], False, vocabulary).text
    rebuilt = document_text(p for p in kb.index.passages.values() if p.doc == name)
    # What no passage covers is whitespace in the cleaned text too.
    assert " ".join(rebuilt.split()) == " ".join(cleaned[: len(rebuilt)].split())
    assert not cleaned[len(rebuilt) :].strip()


def test_source_and_file_links_carry_what_the_viewer_needs() -> None:
    cited = {"doc": "a b.pdf", "start": 10, "end": 50, "page": 2, "sha256": "ab" * 32, "quoted": ["Zin één.", "Twee."]}
    url = urlsplit(source_url(cited))
    assert url.path == "kb/bron" and url.fragment == "citaat"
    query = parse_qs(url.query)
    assert query == {
        "doc": ["a b.pdf"],
        "van": ["10"],
        "tot": ["50"],
        "p": ["2"],
        "h": ["ab" * 8],
        "q": ["Zin één.\nTwee."],
    }
    assert file_url("map/a b.pdf") == "kb/bestand?doc=map%2Fa+b.pdf"


def test_text_source_shows_the_passage_in_its_surrounding_text(
    client: TestClient, corpus_and_kb: tuple[Path, KnowledgeBase]
) -> None:
    _, kb = corpus_and_kb
    passage = next(p for p in kb.index.passages.values() if p.doc == SMALL_DOCS[1] and p.start > 500)
    quote = passage.text.strip().split("\n")[0][:60]
    sha = kb.documents()[passage.doc].sha256
    cited = {"doc": passage.doc, "start": passage.start, "end": passage.end, "sha256": sha, "quoted": [quote]}
    response = client.get(source_url(cited).replace("kb/", "/kb/", 1))
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == CSP
    page = response.text
    assert '<html lang="nl">' in page and CHANGED not in page
    framed = re.search(r'<section id="citaat"[^>]*>(.*?)</section>', page, re.S)
    assert framed is not None
    assert f"<mark>{_html(quote)}</mark>" in framed.group(1)
    before = page[: framed.start()]
    assert _html(document_text(p for p in kb.index.passages.values() if p.doc == passage.doc)[:40]) in before


def _html(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def test_a_changed_document_is_said_to_be_changed_not_shown_wrong(
    client: TestClient, corpus_and_kb: tuple[Path, KnowledgeBase]
) -> None:
    _, kb = corpus_and_kb
    passage = next(p for p in kb.index.passages.values() if p.doc == SMALL_DOCS[0])
    cited = {
        "doc": passage.doc,
        "start": passage.start,
        "end": passage.end,
        "sha256": "0" * 64,
        "quoted": ["Oud citaat."],
    }
    page = client.get("/" + source_url(cited)).text
    assert CHANGED in page and "<blockquote>Oud citaat.</blockquote>" in page
    assert 'id="citaat"' not in page


def test_pdf_source_is_the_cited_page_with_boxes_over_the_quoted_characters(
    client: TestClient, corpus_and_kb: tuple[Path, KnowledgeBase]
) -> None:
    corpus, kb = corpus_and_kb
    passage = next(p for p in kb.index.passages.values() if p.doc == PDF_NAME and "werkdagen" in p.text)
    assert passage.page_at(0) == 1  # the passage starts on page 1; the quoted sentence stands on page 2
    sha = kb.documents()[PDF_NAME].sha256
    cited = {"doc": PDF_NAME, "start": passage.start, "end": passage.end, "page": 1, "sha256": sha,
             "quoted": [PAGE_TWO_QUOTE]}  # fmt: skip
    page = client.get("/" + source_url(cited)).text
    assert 'src="pagina?doc=zorgmijders.pdf&amp;p=2"' in page
    boxes = [tuple(map(float, b.split(","))) for b in re.findall(r'data-box="([^"]+)"', page)]
    assert boxes
    with pdfplumber.open(corpus / PDF_NAME) as pdf:
        found = pdf.pages[1].search(PAGE_TWO_QUOTE[:40])  # pdfplumber's own search, independent of ours
    assert found
    target = found[0]
    assert any(_overlap(b, (target["x0"], target["top"], target["x1"], target["bottom"])) for b in boxes)

    image = client.get("/kb/pagina", params={"doc": PDF_NAME, "p": 2})
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert client.get("/kb/pagina", params={"doc": PDF_NAME, "p": 9}).status_code == 404


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_quote_boxes_join_lines_and_ignore_hyphens_and_spaces() -> None:
    def char(text: str, x: float, top: float) -> dict[str, object]:
        return {"text": text, "x0": x, "x1": x + 5, "top": top, "bottom": top + 10}

    chars = [char(c, 10 + 5 * i, 100) for i, c in enumerate("Het ketenpart-")]
    chars += [char(c, 10 + 5 * i, 115) for i, c in enumerate("ners zijn er.")]
    boxes = quote_boxes(chars, ["ketenpartners zijn"])
    assert [(b.top, b.bottom) for b in boxes] == [(100, 110), (115, 125)]
    assert boxes[0].x0 == 10 + 5 * 4 and boxes[1].x1 == 10 + 5 * 8 + 5  # the n of "zijn"
    assert quote_boxes(chars, ["niet op deze pagina"]) == []


def test_download_is_the_original_file_and_nothing_else(
    client: TestClient, corpus_and_kb: tuple[Path, KnowledgeBase]
) -> None:
    corpus, _ = corpus_and_kb
    response = client.get("/" + file_url(PDF_NAME))
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == hashlib.sha256((corpus / PDF_NAME).read_bytes()).hexdigest()
    assert "attachment" in response.headers["content-disposition"]
    for name in ("../pyproject.toml", "metadata.toml", "/etc/passwd", "nergens.txt"):
        assert client.get("/kb/bestand", params={"doc": name}).status_code == 404, name
    assert client.get("/kb/bron", params={"doc": "../pyproject.toml"}).status_code == 404


def test_the_routes_ask_for_the_apps_login(corpus_and_kb: tuple[Path, KnowledgeBase]) -> None:
    corpus, kb = corpus_and_kb
    app = FastAPI()
    app.include_router(router(corpus, kb))
    app.auth = [("gebruiker", "geheim")]  # type: ignore[attr-defined]  # as Gradio's App has them
    app.tokens = {"goed-token": "gebruiker"}  # type: ignore[attr-defined]
    app.cookie_id = "abc"  # type: ignore[attr-defined]
    app.auth_dependency = None  # type: ignore[attr-defined]
    client = TestClient(app)
    assert client.get("/" + file_url(PDF_NAME)).status_code == 401
    client.cookies.set("access-token-abc", "fout")
    assert client.get("/" + file_url(PDF_NAME)).status_code == 401
    client.cookies.set("access-token-abc", "goed-token")
    assert client.get("/" + file_url(PDF_NAME)).status_code == 200


def test_a_malformed_source_link_gets_a_dutch_page_not_fastapi_json(corpus_and_kb: tuple[Path, KnowledgeBase]) -> None:
    from kennisbank.viewer import mount

    corpus, kb = corpus_and_kb
    app = FastAPI()
    mount(app, corpus, kb)
    client = TestClient(app)
    routes = (
        f"/kb/bron?doc={SMALL_DOCS[0]}&van=abc",
        "/kb/bron",
        f"/kb/pagina?doc={SMALL_DOCS[0]}&p=abc",
        "/kb/pagina",
        "/kb/bestand",
        f"/kb/bron?doc={SMALL_DOCS[0]}&q=" + "x" * (4 * MAX_QUOTE + 1),
    )
    for route in routes:
        reply = client.get(route)
        assert reply.status_code == 400 and "text/html" in reply.headers["content-type"], route
        assert "Ongeldige koppeling" in reply.text and "detail" not in reply.text, route
    for route in ("/kb/bestand?doc=bestaat-niet.pdf", "/kb/pagina?doc=bestaat-niet.pdf&p=1"):
        reply = client.get(route)
        assert reply.status_code == 404 and "Bron niet gevonden" in reply.text, route


def test_the_viewer_answers_in_dutch_inside_a_running_gradio_app(corpus_and_kb: tuple[Path, KnowledgeBase]) -> None:
    from kennisbank.viewer import mount

    corpus, kb = corpus_and_kb
    app = FastAPI()
    with TestClient(app) as client:  # the app has started (its middleware is built) before the routes are added
        client.get("/")
        mount(app, corpus, kb)
        reply = client.get("/kb/bron?van=abc")
    assert reply.status_code == 400 and "Ongeldige koppeling" in reply.text
