"""PDF layout rules on fpdf2-made PDFs: headings by type and outline, furniture zones, page labels, contents, OCR."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from fpdf import FPDF
from kennisbank.ingest import pipeline
from kennisbank.ingest.cleaning import clean_document, is_prose_note
from kennisbank.ingest.documents import DocumentMeta
from kennisbank.ingest.headings import is_heading_text, number_level

from kennisbank.errors import DocumentError
from kennisbank.passage import Passage

FONTS = Path("/usr/share/fonts/truetype/dejavu")
BODY = (
    "De gemeente werkt samen met de zorgaanbieders in de regio aan een sluitende aanpak voor inwoners die "
    "ondersteuning nodig hebben. Daarbij staat de vraag van de inwoner centraal en niet het aanbod. "
)


class Pdf(FPDF):
    """A document with a running header, a footer "Pagina N" counted from ``first_number`` on page 2."""

    def __init__(self, footer: bool = True, numbered_from: int = 1) -> None:
        super().__init__()
        self.with_footer = footer
        self.numbered_from = numbered_from
        if (FONTS / "DejaVuSans.ttf").exists():
            self.add_font("Body", fname=str(FONTS / "DejaVuSans.ttf"))
            self.add_font("Body", style="B", fname=str(FONTS / "DejaVuSans-Bold.ttf"))
            self.family_name = "Body"
        else:
            self.family_name = "Helvetica"
        self.set_auto_page_break(True, margin=25)

    def header(self) -> None:
        self.set_font(self.family_name, size=8)
        self.cell(0, 6, "Gemeente Voorbeeld - Beleidsplan sociaal domein", align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def footer(self) -> None:
        if self.with_footer and self.page_no() >= self.numbered_from:
            self.set_y(-15)
            self.set_font(self.family_name, size=8)
            self.cell(0, 6, f"Pagina {self.page_no() - self.numbered_from + 1}", align="C")

    def heading(self, text: str, size: float, bookmark: int | None = None) -> None:
        if bookmark is not None:
            self.start_section(text, level=bookmark)
        self.set_font(self.family_name, style="B", size=size)
        self.multi_cell(0, size * 0.6, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def body(self, text: str, bold: bool = False) -> None:
        self.set_font(self.family_name, style="B" if bold else "", size=10)
        self.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)


def passages_of(pdf: Pdf, tmp_path: Path, name: str = "plan.pdf", ocr: bool = True) -> list[Passage]:
    path = tmp_path / name
    path.write_bytes(bytes(pdf.output()))
    source = pipeline.read(path, DocumentMeta(doc=name, title="Plan"), path.read_bytes(), ocr=ocr)
    return pipeline.passages(source, pipeline.vocabulary(source.pages))


def containing(passages: list[Passage], words: str) -> Passage:
    found = [p for p in passages if words in " ".join(p.text.split())]
    assert found, words
    return found[0]


# --------------------------------------------------------------------------- headings


def test_numbered_headings_nest_by_their_numbers_not_by_the_last_heading(tmp_path: Path) -> None:
    pdf = Pdf()
    pdf.add_page()
    pdf.heading("1 Inleiding", 16)
    pdf.body("Eerste hoofdstuk. " + BODY)
    pdf.heading("1.4 Afbakening", 12)
    pdf.body("Afbakening van het plan. " + BODY)
    pdf.heading("2 Uitvoering", 16)
    pdf.body("Tweede hoofdstuk. " + BODY)
    passages = passages_of(pdf, tmp_path)
    assert containing(passages, "Afbakening van het plan").section == "1 Inleiding > 1.4 Afbakening"
    assert containing(passages, "Tweede hoofdstuk").section == "2 Uitvoering"  # chapter 2 is not under 1.4


def test_list_items_addresses_and_number_rows_never_become_headings(tmp_path: Path) -> None:
    pdf = Pdf()
    pdf.add_page()
    pdf.heading("Aanpak", 16)
    pdf.body("de wijkteams werken samen met de huisartsen;", bold=True)
    pdf.body(BODY)
    pdf.body("Postbus 20350 2500 EA DEN HAAG", bold=True)
    pdf.body(BODY)
    pdf.body("2025 2026 2027 2028", bold=True)
    pdf.body("Slotzin van het stuk. " + BODY)
    passages = passages_of(pdf, tmp_path)
    assert {p.section for p in passages} == {"Aanpak"}
    assert containing(passages, "Slotzin van het stuk").section == "Aanpak"


def test_the_outline_gives_headings_and_levels_when_there_is_one(tmp_path: Path) -> None:
    pdf = Pdf()
    pdf.add_page()
    pdf.heading("Samenvatting", 14, bookmark=0)
    pdf.body("Kort gezegd. " + BODY)
    pdf.heading("Werkwijze in de wijk", 14, bookmark=0)
    pdf.body(BODY)
    pdf.heading("Het wijkteam", 11, bookmark=1)
    pdf.body("Over het wijkteam. " + BODY)
    passages = passages_of(pdf, tmp_path)
    assert containing(passages, "Over het wijkteam").section == "Werkwijze in de wijk > Het wijkteam"
    assert containing(passages, "Kort gezegd").section == "Samenvatting"


@pytest.mark.parametrize(
    "text",
    [
        "de wijkteams werken samen;",
        "inwoners, mantelzorgers,",
        "Postbus 20350",
        "2500 EA DEN HAAG",
        "Laan van Meerdervoort 12",
        "1.403 1.525 1.709 1.812",
        "Hoogachtend",
        "De Staatssecretaris van Volksgezondheid",
        "Inleiding ........................ 3",
        "Dit is een gewone zin van meer dan acht woorden die met een punt eindigt.",
        "Voorzitter Dhr. L.A. de Lange",  # a meeting header's label and its value
        "Aanwezigen Burgemeester L. de Lange, Wethouder L. van Doeveren",
    ],
)
def test_heading_candidates_are_rejected(text: str) -> None:
    assert not is_heading_text(text)


@pytest.mark.parametrize(
    ("text", "level"),
    [("2 Uitvoering", 1), ("2.3 Budget", 2), ("2.3.1 Jeugd", 3), ("Hoofdstuk 4 Slot", 1), ("Artikel 5", 3)],
)
def test_heading_numbers_give_levels(text: str, level: int) -> None:
    assert is_heading_text(text) or text == "Artikel 5"
    assert number_level(text) == level


# --------------------------------------------------------------------------- pages


def test_the_cited_page_holds_most_of_the_passage(tmp_path: Path) -> None:
    meta = DocumentMeta(doc="x.pdf", title="X")
    first = "Kop\n\n" + "Een zin op pagina een. " * 3 + "En het einde van een zin die"
    second = "doorloopt op pagina twee. " + "Nog meer tekst op pagina twee. " * 12
    doc = clean_document(meta, [first, second], paged=True, vocabulary=Counter())
    assert doc.main_page(0, len(doc.text)) == 2
    assert doc.main_page(0, 20) == 1


def test_printed_page_numbers_are_labels_beside_the_physical_page(tmp_path: Path) -> None:
    pdf = Pdf(numbered_from=2)  # an unnumbered cover: physical page 3 prints "Pagina 2"
    for n in range(1, 5):
        pdf.add_page()
        pdf.heading(f"Deel {n}", 14)
        pdf.body(f"Tekst van deel {n}. " + BODY * 3)
    passages = passages_of(pdf, tmp_path)
    third = containing(passages, "Tekst van deel 3")
    assert third.page == 3 and third.page_label == "2"
    assert third.citation_dict()["page_label"] == "2" and third.citation_dict()["page"] == 3
    assert "p. 3 (gedrukt 2)" in third.label()
    assert not any("Pagina" in p.text or "Gemeente Voorbeeld" in p.text for p in passages)


class DoubledFooterPdf(Pdf):
    """A footer "Pagina N van M" printed twice on the same spot, as a faked bold does ("PPaaggiinnaa 55 vvaann 77")."""

    def footer(self) -> None:
        self.set_font(self.family_name, size=8)
        for shift in (0.0, 0.05):
            self.set_xy(150 + shift, -15)
            self.cell(40, 6, f"Pagina {self.page_no()} van {self.pages_count}")


def test_a_page_number_printed_twice_on_the_same_spot_is_read_once(tmp_path: Path) -> None:
    pdf = DoubledFooterPdf()
    for n in range(1, 5):
        pdf.add_page()
        pdf.heading(f"Deel {n}", 14)
        pdf.body(f"Tekst van deel {n}. " + BODY * 3)
    third = containing(passages_of(pdf, tmp_path), "Tekst van deel 3")
    assert (third.page, third.page_label) == (3, "3")  # not "33", nor the page count


def test_a_sentence_repeated_in_the_body_of_every_page_is_not_furniture(tmp_path: Path) -> None:
    helpline = "Bel de hulplijn op 0800-1234 voor advies over mantelzorg."
    pdf = Pdf()
    for n in range(1, 4):
        pdf.add_page()
        pdf.body(f"Factsheet {n}. " + BODY * 2)
        pdf.body(helpline)
        pdf.body(BODY * 2)
    passages = passages_of(pdf, tmp_path)
    assert sum(p.text.count(helpline) for p in passages) == 3


def test_a_contents_page_with_dot_leaders_gives_no_passage(tmp_path: Path) -> None:
    pdf = Pdf()
    pdf.add_page()
    pdf.heading("Inhoud", 16)
    for n, title in enumerate(["Inleiding", "Aanpak", "Financien", "Bijlagen"], 1):
        pdf.body(f"{n}. {title} " + "." * 60 + f" {n + 2}")
    pdf.add_page()
    pdf.heading("1. Inleiding", 16)
    pdf.body(BODY * 3)
    passages = passages_of(pdf, tmp_path)
    assert not any("....." in p.text for p in passages)
    assert {p.page for p in passages} == {2}


# --------------------------------------------------------------------------- Vraag / Antwoord


def test_kamervragen_pair_each_question_with_its_answer(tmp_path: Path) -> None:
    pdf = Pdf()
    pdf.add_page()
    pdf.body("Vragen van het lid Jansen aan de staatssecretaris over de jeugdzorg (ingezonden 15 augustus 2024).")
    for n in range(1, 4):
        pdf.body(f"Vraag {n}")
        pdf.body(f"Wat doet u aan probleem nummer {n} in de jeugdzorg?")
        pdf.body(f"Antwoord {n}")
        pdf.body(f"Voor probleem {n} neem ik maatregelen. " + BODY)
    passages = [p for p in passages_of(pdf, tmp_path) if p.form == "qa"]
    assert len(passages) == 3
    second = containing(passages, "Voor probleem 2 neem ik maatregelen")
    assert second.section == "Wat doet u aan probleem nummer 2 in de jeugdzorg?"
    assert "Vraag 2" in second.text and "Antwoord 2" in second.text


# --------------------------------------------------------------------------- OCR


def _scan(tmp_path: Path) -> Pdf:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 34)
    lines = ["Besluit op uw verzoek", "", "Ik maak de gevraagde documenten", "gedeeltelijk openbaar."]
    for n, line in enumerate(lines):
        draw.text((120, 200 + 60 * n), line, fill=0, font=font)
    png = tmp_path / "scan.png"
    image.save(png)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(png), x=0, y=0, w=210, h=297)
    return pdf  # type: ignore[return-value]


@pytest.mark.skipif(
    shutil.which("tesseract") is None or not (FONTS / "DejaVuSans.ttf").exists(), reason="geen tesseract"
)
def test_a_page_without_text_is_read_by_ocr_and_says_so(tmp_path: Path) -> None:
    passages = passages_of(_scan(tmp_path), tmp_path, "scan.pdf")
    text = " ".join(" ".join(p.text for p in passages).split())
    assert "gedeeltelijk openbaar" in text
    assert all(p.ocr for p in passages) and passages[0].citation_dict()["ocr"] is True


@pytest.mark.skipif(
    shutil.which("tesseract") is None or not (FONTS / "DejaVuSans.ttf").exists(), reason="geen tesseract"
)
def test_ocr_text_is_kept_by_the_pdfs_bytes_and_not_read_again(tmp_path: Path) -> None:
    import json

    from kennisbank.ingest.pdf import ocr_pages

    data = bytes(_scan(tmp_path).output())
    cache = tmp_path / "ocr-cache"
    first = ocr_pages(tmp_path / "scan.pdf", data, [0], cache)
    assert "gedeeltelijk openbaar" in " ".join(first[0].split())
    (stored,) = cache.glob("*.json")
    stored.write_text(json.dumps({"0": "uit de cache"}), encoding="utf-8")  # what a second read returns
    assert ocr_pages(tmp_path / "kopie.pdf", data, [0], cache) == {0: "uit de cache"}
    assert ocr_pages(tmp_path / "scan.pdf", data + b"\n", [0], cache)[0] != "uit de cache"  # other bytes


def test_without_ocr_a_scan_is_one_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("PIL")
    if not (FONTS / "DejaVuSans.ttf").exists():
        pytest.skip("geen DejaVu-lettertype")
    with pytest.raises(DocumentError, match="geen tekstlaag: OCR nodig"):
        passages_of(_scan(tmp_path), tmp_path, "scan.pdf", ocr=False)


# --------------------------------------------------------------------------- passage fields


def test_new_passage_fields_round_trip_and_keep_the_id() -> None:
    plain = Passage(doc="a.pdf", text="Tekst.", start=0, end=6, page=5)
    rich = Passage(doc="a.pdf", text="Tekst.", start=0, end=6, page=5, page_label="2", ocr=True, notes=("1 Bron",))
    assert rich.id == plain.id
    assert Passage.from_dict(rich.to_dict()) == rich
    assert Passage.from_dict(rich.to_dict()).notes == ("1 Bron",)
    cited = rich.citation_dict()
    assert (cited["page"], cited["page_label"], cited["ocr"], cited["notes"]) == (5, "2", True, ["1 Bron"])
    assert set(plain.citation_dict()) == {"doc", "title", "section", "page", "text"}  # plain text keeps its shape


def test_a_sentence_running_over_a_page_break_is_rejoined_and_each_part_knows_its_page() -> None:
    from kennisbank.ingest.chunking import chunk

    meta = DocumentMeta(doc="x.pdf", title="X")
    first = "Eerste pagina. " * 20 + "De wijkteams werken samen met de huisartsen en"
    second = "de scholen in de wijk. " + "Tweede pagina. " * 20
    doc = clean_document(meta, [first, second], paged=True, vocabulary=Counter())
    assert "huisartsen en de scholen in de wijk." in doc.text  # one sentence, no paragraph break
    assert doc.page_at(doc.text.index("de scholen")) == 2
    (passage,) = [p for p in chunk(doc) if "huisartsen en de scholen" in p.text]
    assert passage.page_at(passage.text.index("huisartsen")) == 1
    assert passage.page_at(passage.text.index("scholen")) == 2
    assert Passage.from_dict(passage.to_dict()).page_breaks == passage.page_breaks


# --------------------------------------------------------------------------- Word and HTML


def test_a_word_file_gets_headings_from_styles_and_tables_with_column_names(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("Inhoud", level=1)
    document.add_paragraph("Inleiding\t3", style="TOC Heading")
    document.add_heading("1 Aanpak", level=1)
    document.add_paragraph("Over de aanpak. " + BODY)
    document.add_heading("1.1 Werkwijze", level=2)
    document.add_paragraph("Over de werkwijze. " + BODY)
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(table._cells, ["Versie", "Datum", "3.1", "30-09-2021"], strict=True):
        cell.text = text
    path = tmp_path / "proces.docx"
    document.save(str(path))
    source = pipeline.read(path, DocumentMeta(doc="proces.docx", title="Proces"), path.read_bytes())
    passages = pipeline.passages(source, Counter())
    assert containing(passages, "Over de werkwijze").section == "1 Aanpak > 1.1 Werkwijze"
    assert containing(passages, "Versie: 3.1; Datum: 30-09-2021").page is None


def test_an_html_page_gives_its_main_text_under_its_headings(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    html = (
        "<html><body><nav>Menu Home Contact</nav><article><h1>Mantelzorg</h1>"
        f"<p>Over <b>mantelzorg</b> (art. 2.3_a). {BODY}</p><h2>Respijtzorg</h2><p>Over respijtzorg. {BODY}</p>"
        "</article></body></html>"
    )
    path = tmp_path / "pagina.html"
    path.write_text(html, encoding="utf-8")
    source = pipeline.read(path, DocumentMeta(doc="pagina.html", title="Pagina"), path.read_bytes())
    passages = pipeline.passages(source, Counter())
    assert containing(passages, "Over respijtzorg").section.endswith("Respijtzorg")
    first = containing(passages, "Over mantelzorg (art. 2.3_a).")  # no Markdown marks or escapes left
    assert first.section == "Mantelzorg" and "*" not in first.text and "\\" not in first.text
    assert "Menu Home Contact" not in " ".join(p.text for p in passages)
    bare = tmp_path / "kaal.html"  # no <main> or <article>: the headings still count
    bare.write_text(html.replace("<article>", "").replace("</article>", ""), encoding="utf-8")
    source = pipeline.read(bare, DocumentMeta(doc="kaal.html", title="Kaal"), bare.read_bytes())
    assert containing(pipeline.passages(source, Counter()), "Over respijtzorg").section.endswith("Respijtzorg")


# --------------------------------------------------------------------------- size


@pytest.mark.parametrize("text", ["woord " * 20000, "x" * 5000, ("Een zin zonder einde en " * 300) + "\n" + BODY])
def test_no_passage_is_longer_than_the_embedder_can_read(text: str) -> None:
    from kennisbank.ingest.chunking import MAX_EMBED_CHARS, chunk

    doc = clean_document(DocumentMeta(doc="lang.txt", title="Lang"), [text], paged=False, vocabulary=Counter())
    passages = chunk(doc)
    assert passages and all(len(p.text) <= MAX_EMBED_CHARS for p in passages)
    assert "".join(p.text for p in passages).replace(" ", "").replace("\n", "") == doc.text.replace(" ", "").replace(
        "\n", ""
    )


# --------------------------------------------------------------------------- agenda items


def test_besluitenlijst_agenda_items_are_passages_with_their_number_path(tmp_path: Path) -> None:
    pdf = Pdf()
    pdf.add_page()
    pdf.heading("Besluitenlijst B&W-vergadering", 14)
    items = [
        ("1", "Opening", ""),
        ("5", "Collegevoorstellen", ""),
        ("5.a", "Sociaal Domein", ""),
        ("5.a.1", "Raadsinformatiebrief Minimabeleid", "De visie op minimabeleid vast te stellen."),
        ("5.a.2", "Startnotitie jeugdhulp", "In te stemmen met de startnotitie jeugdhulp."),
        ("6", "Rondvraag", "Geen vragen gesteld in de rondvraag."),
    ]
    for number, title, decision in items:
        pdf.body(number)
        pdf.body(title)
        if decision:
            pdf.body("Besluit:")
            pdf.body(decision)
    passages = passages_of(pdf, tmp_path, "besluitenlijst.pdf")
    item = containing(passages, "De visie op minimabeleid")
    assert item.section == "5 Collegevoorstellen > 5.a Sociaal Domein > 5.a.1 Raadsinformatiebrief Minimabeleid"
    assert item.form == "agenda"
    assert "startnotitie jeugdhulp" not in item.text  # the next item is a passage of its own
    assert containing(passages, "In te stemmen met de startnotitie").section.endswith("5.a.2 Startnotitie jeugdhulp")


# --------------------------------------------------------------------------- footnotes


def test_footnotes_leave_the_body_and_stay_with_the_passage_as_notes(tmp_path: Path) -> None:
    pdf = Pdf()
    pdf.add_page()
    pdf.heading("Analyse", 14)
    pdf.body("Volgens de analyse2 van het bureau stijgen de kosten. " + BODY)
    pdf.body("In 2019 waren er 12 gemeenten in de regio. " + BODY)
    pdf.set_y(-40)
    pdf.set_font(pdf.family_name, size=7)
    pdf.multi_cell(0, 4, "2 Bureau Regioplan, rapport jeugdhulp 2024.", new_x="LMARGIN", new_y="NEXT")
    passages = passages_of(pdf, tmp_path)
    text = " ".join(" ".join(p.text for p in passages).split())
    assert "Volgens de analyse van het bureau" in text  # the marker is gone: its note exists
    assert "12 gemeenten" in text  # a number without a note stays
    assert "Regioplan" not in text
    assert any("2 Bureau Regioplan, rapport jeugdhulp 2024." in note for p in passages for note in p.notes)
    assert passages[0].citation_dict()["notes"]


def test_a_footnote_goes_with_the_passage_that_holds_its_marker(tmp_path: Path) -> None:
    """Two sections on one page, each with its own note: a citation lists the note of its passage only (it
    listed every note of the page)."""
    pdf = Pdf()
    pdf.add_page()
    pdf.heading("Analyse", 14)
    pdf.body("Volgens de analyse2 van het bureau stijgen de kosten. " + BODY)
    pdf.heading("Aanpak", 14)
    pdf.body("De gemeenten kiezen een aanpak3 die past bij de regio. " + BODY)
    pdf.set_y(-40)
    pdf.set_font(pdf.family_name, size=7)
    pdf.multi_cell(0, 4, "2 Bureau Regioplan, rapport jeugdhulp 2024.", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 4, "3 Zie de Hervormingsagenda Jeugd.", new_x="LMARGIN", new_y="NEXT")
    passages = passages_of(pdf, tmp_path)
    analysis = containing(passages, "Volgens de analyse van het bureau")
    approach = containing(passages, "kiezen een aanpak die past")
    assert analysis is not approach
    assert analysis.notes == ("2 Bureau Regioplan, rapport jeugdhulp 2024.",)
    assert approach.notes == ("3 Zie de Hervormingsagenda Jeugd.",)


def test_a_note_whose_marker_is_not_found_stays_with_every_passage_of_its_page() -> None:
    """Without an anchor (a marker the text rules did not see) a note is not lost: it goes with its page."""
    meta = DocumentMeta(doc="plan.pdf", title="Plan")
    pages = ["Eerste alinea over de kosten van de aanpak.\n\nTweede alinea over de regio en de gemeenten."]
    doc = clean_document(meta, pages, True, Counter(), notes=[["4 Bron: CBS."]], anchors=[[""]])
    assert doc.notes_in(0, 10) == doc.notes_in(len(doc.text) - 10, len(doc.text)) == ("4 Bron: CBS.",)
    placed = clean_document(meta, pages, True, Counter(), notes=[["4 Bron: CBS."]], anchors=[["regioendegemeenten"]])
    assert placed.notes_in(0, 10) == ()
    assert placed.notes_in(len(placed.text) - 20, len(placed.text)) == ("4 Bron: CBS.",)


def test_a_footnote_that_says_something_is_a_passage_of_its_own_on_its_page(tmp_path: Path) -> None:
    pdf = Pdf()
    pdf.add_page()
    pdf.heading("Analyse", 14)
    pdf.body("Volgens de analyse2 van het bureau stijgen de kosten. " + BODY)
    pdf.set_y(-40)
    pdf.set_font(pdf.family_name, size=7)
    pdf.multi_cell(0, 4, "2 Het streven is dit convenant in 2025 te ondertekenen door VNG en VWS.", new_x="LMARGIN")
    pdf.add_page()
    pdf.heading("Conclusie", 14)
    pdf.body("De kosten stijgen minder hard dan gedacht. " + BODY)
    passages = passages_of(pdf, tmp_path)
    body = [p for p in passages if p.form != "note"]
    assert "convenant" not in " ".join(p.text for p in body)  # out of the body, as before
    (note,) = [p for p in passages if p.form == "note"]
    assert note.text == "Het streven is dit convenant in 2025 te ondertekenen door VNG en VWS."  # without its number
    assert (note.page, note.section) == (1, "Analyse > voetnoot 2")  # its own page, under the section it ends
    assert passages[-1] is note  # after the body: no list or sentence of the body runs on into it


def test_only_a_footnote_of_words_becomes_a_passage() -> None:
    assert is_prose_note("Het streven is dit convenant in 2025 te ondertekenen door VNG en VWS.")
    assert not is_prose_note("Zie https://vng.nl/sites/default/files/2023-04/verenigingsstrategie.pdf")
    assert not is_prose_note("Bureau Regioplan, rapport jeugdhulp 2024.")  # a source, not a statement


def test_roman_endnote_markers_set_small_and_glued_to_a_word_are_dropped() -> None:
    from kennisbank.ingest.layout import endnote_markers
    from kennisbank.ingest.pdf import drop_endnote_markers

    def word(text: str, x0: float, x1: float, size: float = 10.0, top: float = 100.0) -> dict[str, object]:
        return {"text": text, "x0": x0, "x1": x1, "size": size, "top": top}

    words = [
        word("sociaal", 10, 45),
        word("domein’", 48, 85),
        word("i", 85.2, 87, size=6.5, top=99.8),  # the marker: small, glued, not lower
        word("en", 90, 100),
        word("bijlage", 103, 140),
        word("ii", 143, 150),  # a word of its own size: no marker
        word("CO", 160, 172),
        word("v", 172.1, 175, size=6.5, top=103),  # set lower: an index, not a marker
    ]
    assert endnote_markers(words) == [("domein’", "i")]
    assert (
        drop_endnote_markers("het sociaal domein’i en de visie", [("domein’", "i")])
        == "het sociaal domein’ en de visie"
    )
    assert drop_endnote_markers("Verenigingsstrategieiii met", [("Verenigingsstrategie", "iii")]) == (
        "Verenigingsstrategie met"
    )
    assert drop_endnote_markers("het domeinig", [("domein", "i")]) == "het domeinig"  # not inside a longer word


def test_a_note_number_set_on_its_own_just_above_its_note_starts_that_note() -> None:
    """VNG framework p. 13: "9" (6.5 pt, 2 pt higher) over "Voorbeelden in de institutionele sfeer ...": the note
    is note 9, not the tail of note 8 or body text; a table's lone numbers in one row number nothing."""
    from kennisbank.ingest.layout import Segment
    from kennisbank.ingest.pdf import footnote_lines, take_footnotes

    def seg(text: str, top: float, x0: float, size: float = 7.0) -> Segment:
        return Segment(
            page=13,
            top=top,
            bottom=top + size,
            x0=x0,
            x1=x0 + 4 * len(text),
            size=size,
            bold=False,
            text=text,
            height=842.0,
        )

    segments = [
        seg("Het zogeheten opbouwwerk speelt een rol in de wijk.", 500, 70, size=10.0),
        seg("9", 697.0, 70.8, size=6.5),
        seg("Voorbeelden in de institutionele sfeer zijn het welzijnswerk.", 699.5, 75.5),
        seg("10 De Associatie Wijkteams ziet de rol van het lokaal team als volgt.", 717.0, 70.8),
        seg("0", 780.0, 300.0),  # a table cell at the bottom of another page's layout: no note number
        seg("3.612", 780.0, 340.0),
    ]
    lines = footnote_lines(segments, body=10.0, furniture=set())
    assert [s.text for s in lines][:3] == [
        "9",
        "Voorbeelden in de institutionele sfeer zijn het welzijnswerk.",
        "10 De Associatie Wijkteams ziet de rol van het lokaal team als volgt.",
    ]
    page = "\n".join(
        [
            "Het zogeheten opbouwwerk speelt een rol in de wijk.",
            "9",
            "Voorbeelden in de institutionele sfeer zijn het welzijnswerk.",
            "10 De Associatie Wijkteams ziet de rol van het lokaal team als volgt.",
        ]
    )
    body, notes, _ = take_footnotes(page, lines[:3])
    assert notes[:2] == [
        "9 Voorbeelden in de institutionele sfeer zijn het welzijnswerk.",
        "10 De Associatie Wijkteams ziet de rol van het lokaal team als volgt.",
    ]
    assert body.strip() == "Het zogeheten opbouwwerk speelt een rol in de wijk."
