"""File to passages: read, clean, chunk. The indexer calls these four functions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from kennisbank.ingest.chunking import chunk
from kennisbank.ingest.cleaning import build_vocabulary, clean_document
from kennisbank.ingest.documents import DocumentMeta, SourceDocument
from kennisbank.ingest.office import read_docx, read_html
from kennisbank.ingest.pages import drop_running_lines
from kennisbank.ingest.pdf import read_pdf_document
from kennisbank.ingest.readers import SUPPORTED, read_pages
from kennisbank.ingest.textnotes import take_text_footnotes

from kennisbank.errors import CONTROL, DocumentError
from kennisbank.passage import Passage
from kennisbank.text import split_sentences

#: Bump when cleaning or chunking changes: every document is then cut again.
VERSION = "40"
#: Files larger than this are reported, not read: a 200 MB text layer is far beyond any council document.
MAX_FILE_BYTES = 200 * 1024 * 1024


def check_readable(path: Path) -> bytes:
    """The file's bytes, or a DocumentError for what can be told without parsing.

    A name that is not valid UTF-8 (undecodable bytes show as surrogates) is such an error:
    it could not be stored in the index nor shown, and the rest of the corpus is still indexed.
    """
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError as exc:
        shown = str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        raise DocumentError(shown, "bestandsnaam is geen geldige UTF-8: hernoem het bestand") from exc
    if CONTROL.search(path.name):  # a line break in a name would break every one-line message and title
        raise DocumentError(path, "bestandsnaam bevat een regeleinde of ander stuurteken: hernoem het bestand")
    if path.suffix.lower() not in SUPPORTED:
        allowed = ", ".join(SUPPORTED)
        raise DocumentError(path, f"bestandstype {path.suffix or '(geen)'} niet ondersteund (wel: {allowed})")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DocumentError(path, f"te groot: {_megabytes(size)} (grens {_megabytes(MAX_FILE_BYTES)})")
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(path, f"niet te lezen ({exc.strerror or exc})") from exc
    if not data.strip():
        raise DocumentError(path, "leeg bestand")
    return data


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def read(
    path: Path, meta: DocumentMeta, data: bytes, ocr: bool = True, ocr_cache: Path | None = None
) -> SourceDocument:
    """Pages of raw text; running headers and footers are dropped from paged sources.

    A PDF is read with its layout (:mod:`kennisbank.ingest.pdf`): headings marked,
    zone furniture dropped, printed labels, OCR for pages without text unless ``ocr`` is off
    (kept in ``ocr_cache`` when given, see ``pdf.ocr_pages``).
    """
    if path.suffix.lower() == ".pdf":
        pdf = read_pdf_document(path, data, ocr=ocr, ocr_cache=ocr_cache)
        return SourceDocument(
            meta,
            path,
            pdf.pages,
            True,
            labels=pdf.labels,
            ocr=pdf.ocr,
            headed=pdf.headed,
            notes=pdf.notes,
            anchors=pdf.anchors,
        )
    if path.suffix.lower() == ".docx":
        return SourceDocument(meta, path, [read_docx(path, data)], False, headed=True)
    if path.suffix.lower() in (".html", ".htm"):
        return SourceDocument(meta, path, [read_html(path, data)], False, headed=True)
    pages, paged = read_pages(path, data)
    if paged:
        pages = drop_running_lines(pages)
        if not any(page.strip() for page in pages):  # a scan with a printed header: furniture only
            raise DocumentError(path, "geen tekstlaag: OCR nodig (alleen kop- en voetteksten)")
        return SourceDocument(meta=meta, path=path, pages=pages, paged=paged)
    pieces, notes = take_text_footnotes(pages[0])  # a text exported from a PDF keeps its footnotes
    return SourceDocument(meta=meta, path=path, pages=pieces, paged=False, notes=notes)


def vocabulary(texts: Iterable[str]) -> Counter[str]:
    """Word counts of the corpus, used to repair lost ligatures."""
    return build_vocabulary(texts)


#: A document of at least this many sentences of which fewer than ``MIN_DISTINCT`` differ is one phrase repeated
#: (a 20 MB file of "Veilig Thuis helpt." made 25,484 passages that crowded every question's results).
MANY_SENTENCES = 1000
MIN_DISTINCT = 0.05


def check_repetition(source: SourceDocument) -> None:
    """Raise DocumentError for a document that is nearly all one repeated phrase (``MANY_SENTENCES``)."""
    found = Counter(" ".join(s.split()) for page in source.pages for s in split_sentences(page))
    total = sum(found.values())
    if total >= MANY_SENTENCES and len(found) < MIN_DISTINCT * total:
        raise DocumentError(
            source.path, f"bestaat vrijwel geheel uit herhaalde tekst ({total} zinnen, {len(found)} verschillend)"
        )


def passages(source: SourceDocument, vocab: Counter[str]) -> list[Passage]:
    """The document's passages; any failure, even a bug tripped by odd input, is this document's error only."""
    check_repetition(source)
    try:
        found = chunk(
            clean_document(
                source.meta,
                source.pages,
                source.paged,
                vocab,
                source.labels,
                source.ocr,
                headed=source.headed,
                zoned=bool(source.labels),
                notes=source.notes,
                anchors=source.anchors,
            )
        )
    except Exception as exc:
        detail = " ".join(str(exc).split())[:80]
        raise DocumentError(source.path, f"fout bij opschonen of knippen ({type(exc).__name__}: {detail})") from exc
    if not found:
        raise DocumentError(source.path, "geen tekst gevonden na opschonen")
    return found
