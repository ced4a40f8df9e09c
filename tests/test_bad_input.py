"""Bad input in the corpus folder: every bad file gets one line with its reason, the rest is indexed."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from kennisbank.ingest import pipeline
from kennisbank.ingest.documents import DocumentMeta

from kennisbank.cli import main
from kennisbank.errors import DocumentError
from kennisbank.store.reader import IndexReader as Index
from tests.conftest import TEST_EMBEDDER
from tests.test_pdf_ingest import RAADS, make_pdf

GOOD_TEXT = (
    "Wat is Veilig Thuis?\n"
    "Veilig Thuis is het advies- en meldpunt voor huiselijk geweld en kindermishandeling in de regio.\n\n"
    "Wie betaalt de regiovisie?\n"
    "De centrumgemeente ontvangt de decentralisatie-uitkering en verdeelt de middelen over de gemeenten.\n"
)
#: Windows-1252: "ë" is 0xEB, the curly quotes are 0x91 and 0x92 (control characters in Latin-1).
CP1252_TEXT = "De financiële paragraaf van de ‘regiovisie’ beschrijft de kosten per gemeente en per jaar.\n"
LATIN1_TEXT = "Het coördinatieoverleg bespreekt één keer per kwartaal de financiële stand van zaken.\n"
MIXED_TEXT = "De ketenpartners maken afspraken over de financiële verantwoording"  # UTF-8, then one 1252 byte


def _junk(seed: int, size: int = 4096) -> bytes:
    return random.Random(seed).randbytes(size)


def _damaged_pdf() -> bytes:
    """A two-page PDF whose second page's content stream is overwritten with zeros."""
    data = bytearray(make_pdf([[RAADS[0]], [RAADS[1]]]))
    contents = data.index(b"stream\n", data.index(b"\n6 0 obj")) + 30  # object 6: fpdf2's content stream of page 2
    data[contents : contents + 60] = bytes(60)
    return bytes(data)


def _scan_pdf() -> bytes:
    """A PDF with graphics but no text, as a scan without OCR is."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 150, style="F")
    return bytes(pdf.output())


def _bad_corpus(folder: Path) -> dict[str, str]:
    """Write good and bad files into ``folder``; return the expected reason per bad file."""
    folder.mkdir()
    (folder / "goed.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "goed.pdf").write_bytes(make_pdf([[RAADS[2]]]))
    (folder / "windows.txt").write_bytes(CP1252_TEXT.encode("cp1252"))
    (folder / "latin1.txt").write_bytes(LATIN1_TEXT.encode("latin-1"))
    (folder / "gemengd.txt").write_bytes(MIXED_TEXT.encode("utf-8") + " – 2020".encode("cp1252"))
    (folder / "notepad.txt").write_bytes("\ufeffHet jaarverslag van de coördinator.\n".encode("utf-16-le"))
    pdf = make_pdf([[RAADS[3]], [RAADS[4]]])
    (folder / "afgebroken.pdf").write_bytes(pdf[: len(pdf) // 2])
    (folder / "beschadigd.pdf").write_bytes(_damaged_pdf())
    (folder / "versleuteld.pdf").write_bytes(make_pdf([[RAADS[5]]], user_password="geheim"))
    (folder / "scan.pdf").write_bytes(_scan_pdf())
    (folder / "scan met kop.pdf").write_bytes(make_pdf([[], [], []]))  # only the running header and footer
    (folder / "leeg.txt").write_bytes(b"")
    (folder / "leeg.pdf").write_bytes(b"")
    (folder / "rommel.pdf").write_bytes(_junk(1))
    (folder / "rommel.txt").write_bytes(_junk(2))
    (folder / "notulen.docx").write_bytes(b"PK\x03\x04" + _junk(3))
    (folder / "kopie van goed.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "regel\neinde.txt").write_text("Een naam met een regeleinde erin.", encoding="utf-8")
    with open(folder / "enorm.txt", "wb") as handle:  # sparse: takes no disk space, and is never read
        handle.truncate(pipeline.MAX_FILE_BYTES + 5 * 1024 * 1024)
    return {
        "afgebroken.pdf": "PDF onleesbaar of beschadigd (afgebroken of onvolledig bestand)",
        "beschadigd.pdf": "PDF beschadigd: pagina 2 onleesbaar",
        "versleuteld.pdf": "versleutelde PDF: wachtwoord nodig",
        "scan.pdf": "geen tekstlaag: OCR nodig",
        "scan met kop.pdf": "geen tekstlaag: OCR nodig (alleen kop- en voetteksten)",
        "leeg.txt": "leeg bestand",
        "leeg.pdf": "leeg bestand",
        "rommel.pdf": "geen PDF: de kop %PDF- ontbreekt",
        "rommel.txt": "binaire inhoud, geen tekstbestand",
        "notulen.docx": "Word-bestand onleesbaar (geen zip-archief",  # .docx is read since issue 11; this one is junk
        "kopie van goed.txt": "zelfde inhoud als goed.txt: overgeslagen",
        "enorm.txt": "te groot: 205 MB (grens 200 MB)",
        "regel\\x0aeinde.txt": "bestandsnaam bevat een regeleinde of ander stuurteken: hernoem het bestand",
    }


GOOD = ["gemengd.txt", "goed.pdf", "goed.txt", "latin1.txt", "notepad.txt", "windows.txt"]


def test_each_bad_file_gets_one_line_and_the_good_ones_are_indexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KENNISBANK_EMBEDDER", TEST_EMBEDDER)
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    expected = _bad_corpus(corpus)
    result = CliRunner().invoke(main, ["--corpus", str(corpus), "--index", str(index), "ingest"])

    assert result.exit_code != 0
    summary = "bestand(en) niet geïndexeerd, zie hierboven"
    lines = [line for line in result.stderr.splitlines() if line.startswith("fout: ") and summary not in line]
    got: dict[str, str] = {}
    for line in lines:
        path, _, reason = line.removeprefix("fout: ").partition(": ")
        assert Path(path).parent == corpus
        got[Path(path).name] = reason
    assert len(lines) == len(got) == len(expected)
    for name, reason in expected.items():
        assert got[name].startswith(reason), (name, got[name])
    assert f"{len(expected)} bestand(en) niet geïndexeerd" in result.stderr

    passages = Index(index).passages.values()
    assert sorted({p.doc for p in passages}) == GOOD
    text = {doc: " ".join(p.text for p in passages if p.doc == doc) for doc in GOOD}
    assert "financiële paragraaf van de ‘regiovisie’" in text["windows.txt"]
    assert "coördinatieoverleg bespreekt één keer" in text["latin1.txt"]
    assert "financiële verantwoording – 2020" in text["gemengd.txt"]
    assert "jaarverslag van de coördinator" in text["notepad.txt"]

    # A second run reports the same files again and changes nothing else.
    again = CliRunner().invoke(main, ["--corpus", str(corpus), "--index", str(index), "ingest"])
    assert again.exit_code != 0
    again_lines = [line for line in again.stderr.splitlines() if line.startswith("fout: ") and summary not in line]
    assert len(again_lines) == len(expected)
    assert "0 nieuw, 0 gewijzigd, 0 verwijderd, 6 ongewijzigd" in again.stdout


def test_a_large_allowed_text_file_is_read_and_cut_completely(tmp_path: Path) -> None:
    """Four megabytes of text (a thousand-page document), well under the limit: read, cleaned and cut in time."""
    paragraph = GOOD_TEXT.replace("\n", " ") + "\n\n"
    path = tmp_path / "groot.txt"
    # numbered sentences: a real document does not repeat itself (one that does is refused, see below)
    count = 4 * 1024 * 1024 // len(paragraph)
    path.write_text("".join(paragraph.replace(". ", f" ({n}). ") for n in range(count)), encoding="utf-8")
    started = time.perf_counter()
    meta = DocumentMeta(doc="groot.txt", title="groot")
    source = pipeline.read(path, meta, pipeline.check_readable(path))
    passages = pipeline.passages(source, pipeline.vocabulary(source.pages))
    assert time.perf_counter() - started < 60  # about 5 s here; a quadratic step would take hours
    assert sum(len("".join(p.text.split())) for p in passages) == len("".join(source.pages[0].split()))


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("financiële".encode("cp1252"), "financiële"),
        ("‘regiovisie’ – één".encode("cp1252"), "‘regiovisie’ – één"),
        ("coördinatie".encode("latin-1"), "coördinatie"),
        ("financiële".encode() + b"\x92s", "financiële’s"),
        (b"\xef\xbb\xbfmet BOM", "met BOM"),
        ("Ünicode".encode("utf-16"), "Ünicode"),
        ("Veilig Thuis € 5".encode("utf-32"), "Veilig Thuis € 5"),
    ],
)
def test_text_encodings(data: bytes, text: str) -> None:
    from kennisbank.ingest.readers import decode_text

    assert decode_text(Path("x.txt"), data) == text


@pytest.mark.parametrize("data", [b"\xff\xfe\x00\x00garbage\x80", b"\xff\xfegarbage\x80", b"\xfe\xff\x00\x00\x00\x00"])
def test_binary_bytes_that_open_like_a_byte_order_mark_are_no_text(data: bytes) -> None:
    """Trial 55: "\\xff\\xfe\\x00\\x00garbage\\x80" was read as UTF-16 and indexed as "ff慧扲条聥"."""
    from kennisbank.ingest.readers import decode_text

    with pytest.raises(DocumentError, match="binaire inhoud, geen tekstbestand"):
        decode_text(Path("x.txt"), data)


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_a_wrong_corpus_path_is_one_line_and_creates_no_index(tmp_path: Path, kind: str) -> None:
    corpus, index = tmp_path / "geencorpus", tmp_path / "nieuwe-index"
    if kind == "file":
        corpus.write_text("geen map", encoding="utf-8")
    result = CliRunner().invoke(main, ["--corpus", str(corpus), "--index", str(index), "ingest"])
    assert result.exit_code == 1
    reason = "corpusmap bestaat niet" if kind == "missing" else "is een bestand, geen map: geef de corpusmap op"
    assert result.stderr.strip().splitlines() == [f"fout: {corpus}: {reason}"]
    assert not index.exists()  # nothing is left behind for a later command to trip over


def test_a_document_of_one_repeated_phrase_is_refused_with_one_line(tmp_path: Path) -> None:
    """A 20 MB file of "Veilig Thuis helpt." made 25,484 passages that crowded every question's results."""
    path = tmp_path / "herhaling.txt"
    path.write_text("Veilig Thuis helpt. " * 5000, encoding="utf-8")
    source = pipeline.read(path, DocumentMeta(doc=path.name, title="herhaling"), path.read_bytes())
    with pytest.raises(
        DocumentError, match=r"herhaling.txt: bestaat vrijwel geheel uit herhaalde tekst \(5000 zinnen, 1"
    ):
        pipeline.passages(source, pipeline.vocabulary(source.pages))
    varied = tmp_path / "gevarieerd.txt"
    varied.write_text(" ".join(f"Veilig Thuis kreeg in week {n} een melding." for n in range(2000)), encoding="utf-8")
    source = pipeline.read(varied, DocumentMeta(doc=varied.name, title="x"), varied.read_bytes())
    assert pipeline.passages(source, pipeline.vocabulary(source.pages))
