"""Read a file from the corpus into pages of raw text: .txt, .md and .pdf.

Everything a reader can run into (junk bytes, a damaged or encrypted PDF, a
scan without text) becomes a :class:`DocumentError` with a one-line Dutch reason;
no other exception leaves this module.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kennisbank.errors import DocumentError

SUPPORTED = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")
#: Share of control characters above which decoded "text" is taken for binary content.
MAX_CONTROL_SHARE = 0.01
#: Unicode's control characters (category Cc) except tab, line feed, vertical tab, form feed and carriage return.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def read_pages(path: Path, data: bytes) -> tuple[list[str], bool]:
    """Return the raw text of ``path`` (whose bytes are ``data``) as pages, and whether page numbers are real.

    Raises :class:`DocumentError` with a one-line Dutch reason for anything we
    cannot read: binary junk, an unreadable or encrypted PDF, no text layer.
    """
    if path.suffix.lower() == ".pdf":
        return read_pdf(path, data), True
    return [decode_text(path, data)], False


# --------------------------------------------------------------------------- text


def _cp1252_byte(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: a byte that is not UTF-8 is read as Windows-1252 (Latin-1 where 1252 has a hole)."""
    assert isinstance(error, UnicodeDecodeError)
    byte = error.object[error.start : error.start + 1]
    try:
        return byte.decode("cp1252"), error.start + 1
    except UnicodeDecodeError:
        return byte.decode("latin-1"), error.start + 1


codecs.register_error("kennisbank-cp1252", _cp1252_byte)


#: Byte order marks and their codecs; UTF-32 first: its little-endian mark starts with UTF-16's.
_MARKS = (
    ((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE), "utf-32"),
    ((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE), "utf-16"),
)


def decode_text(path: Path, data: bytes) -> str:
    """Decode text bytes: UTF-32 or UTF-16 with a byte order mark, else UTF-8 with Windows-1252 for stray bytes.

    A file saved in Windows-1252 or Latin-1 has no valid UTF-8 multi-byte sequences,
    so every accented letter is such a stray byte and decodes as 1252 (which agrees
    with Latin-1 on every letter); a UTF-8 file with one pasted-in 1252 byte keeps
    its UTF-8 text. Content with NUL bytes or many control characters is binary.
    """
    for marks, codec in _MARKS:
        if data.startswith(marks):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise DocumentError(path, "binaire inhoud, geen tekstbestand") from exc
            # bytes that merely open like a mark decode to NULs or to characters no Dutch text is written in
            # ("\xff\xfe\x00\x00garbage" as UTF-16 gave "ff慧扲条聥")
            if "\x00" in text or not _latin(text):
                raise DocumentError(path, "binaire inhoud, geen tekstbestand")
            return text
    if b"\x00" in data[:4096]:
        raise DocumentError(path, "binaire inhoud, geen tekstbestand")
    text = data.decode("utf-8-sig", errors="kennisbank-cp1252")
    if len(_CONTROLS.findall(text)) > MAX_CONTROL_SHARE * len(text):
        raise DocumentError(path, "binaire inhoud, geen tekstbestand")
    return text


#: A text decoded from UTF-16 or UTF-32 must have at least this share of Latin letters, digits, spaces and
#: punctuation (below U+0250, or General Punctuation and the euro sign).
MIN_LATIN_SHARE = 0.7


def _latin(text: str) -> bool:
    latin = sum(1 for c in text if ord(c) < 0x250 or 0x2000 <= ord(c) < 0x20D0)
    return latin >= MIN_LATIN_SHARE * len(text)


# --------------------------------------------------------------------------- PDF


def read_pdf(path: Path, data: bytes) -> list[str]:
    """Extract the text layer of each page with pypdf; encrypted files get the empty password.

    pypdf's plain extraction is used, not ``extraction_mode="layout"``: layout mode
    keeps table cells apart with runs of spaces, but it also sets the two columns
    of a brochure page side by side, line by line, which mixes their sentences.
    Plain mode puts each table row on a line of its own with its cells in order.
    A page that comes out empty while pypdf complained is damaged, not blank.
    """
    if b"%PDF-" not in data[:1024]:
        raise DocumentError(path, "geen PDF: de kop %PDF- ontbreekt")
    with pypdf_logs() as complaints:
        try:
            pages = _extract(path, data, complaints)
        except DocumentError:
            raise
        except Exception as exc:  # pypdf raises many kinds on junk; none may stop the run
            why = "afgebroken of onvolledig bestand" if "Stream" in type(exc).__name__ else "ongeldige opbouw"
            raise DocumentError(path, f"PDF onleesbaar of beschadigd ({why})") from exc
    if not any(page.strip() for page in pages):
        raise DocumentError(path, "geen tekstlaag: OCR nodig")
    return pages


def _extract(path: Path, data: bytes, complaints: list[logging.LogRecord]) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            decrypted = reader.decrypt("")
        except DependencyError as exc:
            raise DocumentError(path, "versleutelde PDF (AES): installeer het pakket 'cryptography'") from exc
        if not decrypted:
            raise DocumentError(path, "versleutelde PDF: wachtwoord nodig")
    pages = []
    for number, page in enumerate(reader.pages, 1):
        before = len(complaints)
        text = page.extract_text() or ""
        if not text.strip() and len(complaints) > before:
            detail = " ".join(complaints[-1].getMessage().split())[:80]
            raise DocumentError(path, f"PDF beschadigd: pagina {number} onleesbaar ({detail})")
        pages.append(text)
    return pages


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def pypdf_logs() -> Iterator[list[logging.LogRecord]]:
    """Collect what pypdf logs and warns instead of printing it: the reason for a failure says enough."""
    logger = logging.getLogger("pypdf")
    handler = _Collect()
    propagate, level = logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
        logger.setLevel(level)
