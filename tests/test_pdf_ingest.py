"""PDF ingest on real PDFs made with fpdf2 from corpus text: pages, headers, hyphenation, tables, encryption."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from fpdf import FPDF
from kennisbank.ingest.pages import drop_running_lines

from kennisbank.indexing import ingest
from kennisbank.passage import Passage
from kennisbank.store.reader import IndexReader as Index
from tests.conftest import CORPUS, TEST_EMBEDDER

FONTS = Path("/usr/share/fonts/truetype/dejavu")
HAS_DEJAVU = (FONTS / "DejaVuSans.ttf").exists() and (FONTS / "DejaVuSans-Bold.ttf").exists()
HEADER = "Gemeente Heiloo - Raadsvoorstel regiovisie 2020-2023"
#: A table is a list of rows; anything else on a page is a paragraph.
Block = str | list[tuple[str, ...]]


def pdf_text(text: str) -> str:
    """Text the PDF's font can show: anything with DejaVu, else Latin-1 (as the corpus is, but for quotes, U+FFFD)."""
    text = text.replace("\ufffd", "")
    if HAS_DEJAVU:
        return text
    text = text.translate(str.maketrans("‘’“”–—•", "''\"\"--*"))
    return text.encode("latin-1", "ignore").decode("latin-1")


class CouncilPdf(FPDF):
    """A council document: a running header, and a footer "Pagina N van M"."""

    def __init__(self, header: str | None, footer: bool) -> None:
        super().__init__()
        self.running_header = header
        self.running_footer = footer
        if HAS_DEJAVU:
            self.add_font("Body", fname=str(FONTS / "DejaVuSans.ttf"))
            self.add_font("Body", style="B", fname=str(FONTS / "DejaVuSans-Bold.ttf"))
            self.family = "Body"
        else:
            self.family = "Helvetica"
        self.set_font(self.family, size=10)

    def header(self) -> None:
        if self.running_header:
            self.set_font(self.family, size=8)
            self.cell(0, 6, pdf_text(self.running_header), align="R", new_x="LMARGIN", new_y="NEXT")
            self.ln(4)
            self.set_font(self.family, size=10)

    def footer(self) -> None:
        if self.running_footer:
            self.set_y(-15)
            self.set_font(self.family, size=8)
            self.cell(0, 6, f"Pagina {self.page_no()} van {{nb}}", align="C")


def make_pdf(
    pages: Sequence[Sequence[Block]],
    header: str | None = HEADER,
    footer: bool = True,
    user_password: str | None = None,
) -> bytes:
    """A PDF with one page per item of ``pages`` (each a list of paragraphs and tables)."""
    pdf = CouncilPdf(header, footer)
    pdf.set_auto_page_break(True, margin=20)
    for blocks in pages:
        pdf.add_page()
        for block in blocks:
            if isinstance(block, str):
                pdf.multi_cell(0, 5, pdf_text(block), new_x="LMARGIN", new_y="NEXT")
            else:
                with pdf.table(col_widths=(50, 30, 15)) as table:
                    for cells in block:
                        row = table.row()
                        for cell in cells:
                            row.cell(pdf_text(cell))
            pdf.ln(3)
    if user_password is not None:
        pdf.set_encryption(owner_password="eigenaar-" + user_password, user_password=user_password)
    return bytes(pdf.output())


def corpus_paragraphs(name: str) -> list[str]:
    """The longer paragraphs of a corpus document, each re-flowed to one line."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return [p for p in paragraphs if len(p) > 250 and "http" not in p]


RAADS = corpus_paragraphs("raadsvoorstel-heiloo-regiovisie-hgkm-nhn-2020-2023.txt")
PAGE_TWO = "Op de tweede pagina staat de afspraak dat de wijkteams elk kwartaal rapporteren aan de stuurgroep."
HYPHENATED = (
    "Goede afspraken maken het verschil voor de samenwerking tussen ketenpart-\n"
    "ners in de regio, zo blijkt uit de evaluatie."
)
TABLE = [
    ("Actie", "Trekker", "Jaar"),
    ("Training gefaseerde ketenzorg", "Veilig Thuis", "2021"),
    ("Lokaal tenzij", "Gemeenten", "2022"),
]
COUNCIL_PAGES: list[list[Block]] = [
    ["1. INLEIDING", RAADS[0], RAADS[1], HYPHENATED],
    ["2. KEUZERUIMTE", PAGE_TWO, RAADS[2], RAADS[3]],
    ["3. UITVOERING", TABLE, RAADS[4]],
    ["4. FINANCIEN", RAADS[5]],
]


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> list[Passage]:
    """The passages of a four-page council PDF, ingested once, in document order."""
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "raadsvoorstel.pdf").write_bytes(make_pdf(COUNCIL_PAGES))
    folder = tmp_path_factory.mktemp("index")
    report = ingest(corpus, folder, TEST_EMBEDDER)
    assert not report.errors, report.errors
    assert Index(folder).manifest.documents["raadsvoorstel.pdf"].pages == 4
    return sorted(Index(folder).passages.values(), key=lambda p: p.start)


def _table_lines(rows: list[tuple[str, ...]]) -> list[str]:
    """A ruled table as ingest writes it (issue 11): its title cell, then each row with its column names."""
    header = rows[0]
    return [
        header[0],
        *(
            f"{row[0]} — " + "; ".join(f"{h}: {v}" for h, v in zip(header[1:], row[1:], strict=True))
            for row in rows[1:]
        ),
    ]


def _page_words(blocks: Sequence[Block]) -> str:
    parts = [b if isinstance(b, str) else " ".join(_table_lines(b)) for b in blocks]
    return _words(pdf_text(" ".join(parts)).replace("ketenpart-\nners", "ketenpartners"))


def _containing(passages: list[Passage], text: str) -> list[Passage]:
    return [p for p in passages if _words(text) in _words(p.text)]


def test_a_sentence_from_page_two_is_cited_as_page_two(council: list[Passage]) -> None:
    (found,) = _containing(council, PAGE_TWO)
    assert found.page == 2


def test_every_passage_starts_on_the_page_it_names(council: list[Passage]) -> None:
    pages = [_page_words(blocks) for blocks in COUNCIL_PAGES]
    for passage in council:
        opening = " ".join(passage.text.split()[:6])
        where = [n for n, words in enumerate(pages, 1) if opening in words]
        assert where == [passage.page], (opening, where, passage.page)
    assert {p.page for p in council} == {1, 2, 3, 4}


def test_no_text_is_lost_and_no_header_or_footer_is_kept(council: list[Passage]) -> None:
    everything = _words(" ".join(p.text for p in council))
    for blocks in COUNCIL_PAGES:
        for block in blocks:
            if isinstance(block, str):
                assert _page_words([block]) in everything
    assert "Gemeente Heiloo" not in everything
    assert re.search(r"Pagina \d+ van \d+", everything) is None


def test_a_word_hyphenated_at_a_line_end_is_rejoined(council: list[Passage]) -> None:
    assert _containing(council, "samenwerking tussen ketenpartners in de regio")
    assert not any("ketenpart-" in p.text for p in council)


def test_a_table_keeps_its_rows_in_order_with_column_names_on_every_row(council: list[Passage]) -> None:
    (found,) = _containing(council, "Training gefaseerde ketenzorg — Trekker: Veilig Thuis; Jaar: 2021")
    assert found.page == 3
    rows = [line for line in found.text.split("\n") if "Veilig Thuis" in line or "Lokaal tenzij" in line]
    assert rows == [
        "Training gefaseerde ketenzorg — Trekker: Veilig Thuis; Jaar: 2021",
        "Lokaal tenzij — Trekker: Gemeenten; Jaar: 2022",
    ]


def test_encrypted_pdfs_open_with_the_empty_password_or_are_reported(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "open.pdf").write_bytes(make_pdf([[RAADS[6]]], user_password=""))
    (corpus / "dicht.pdf").write_bytes(make_pdf([[RAADS[7]]], user_password="geheim"))
    report = ingest(corpus, tmp_path / "index", TEST_EMBEDDER)
    errors = [(Path(e.path).name, e.reason) for e in report.errors]
    assert errors == [("dicht.pdf", "versleutelde PDF: wachtwoord nodig")]
    assert report.added == ["open.pdf"]
    passages = list(Index(tmp_path / "index").passages.values())
    assert "Meer afstemming tussen de verschillende betrokken instanties is dringend gewenst." in _words(
        " ".join(p.text for p in passages)
    )
    assert {p.page for p in passages} == {1}


# --------------------------------------------------------------------------- drop_running_lines, pure


def test_running_lines_with_changing_page_numbers_are_dropped() -> None:
    pages = [
        f"Regiovisie 2020-2023\nGemeente Heiloo\nTekst van pagina {n}.\nMeer tekst.\n- {n} -\nPagina {n} van 4"
        for n in range(1, 5)
    ]
    assert drop_running_lines(pages) == [f"Tekst van pagina {n}.\nMeer tekst." for n in range(1, 5)]


def test_repeated_lines_inside_the_body_stay() -> None:
    pages = ["Kop\nVeilig Thuis\nVeilig Thuis helpt.\nKop", "Kop\nAnders\nVeilig Thuis\nslot", "Kop\nDerde\nbla"]
    kept = ["Veilig Thuis\nVeilig Thuis helpt.\nKop", "Anders\nVeilig Thuis\nslot", "Derde\nbla"]
    assert drop_running_lines(pages) == kept


def test_a_line_on_a_minority_of_pages_stays() -> None:
    pages = ["Bijlage 1\nEen", "Twee", "Drie", "Vier\nBijlage 1"]
    assert drop_running_lines(pages) == pages


def test_a_single_page_loses_only_its_own_page_number() -> None:
    assert drop_running_lines(["Kop\nTekst\nPagina 1 van 1"]) == ["Kop\nTekst"]
    assert drop_running_lines(["- 1 -\nTekst\n2"]) == ["Tekst\n2"]
