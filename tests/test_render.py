"""The HTML of the chat app: text is escaped and never Markdown, each answer keeps its own sources."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

from kennisbank.ingest.documents import DocumentMeta

from kennisbank.answering.citations import REFUSAL, Answer, Citation
from kennisbank.chat import Turn
from kennisbank.glossary import GlossaryEntry
from kennisbank.passage import Passage
from kennisbank.render import (
    CLOSEST_LABEL,
    FILTER_REFUSAL,
    chips_html,
    conversation_html,
    copy_text,
    documents_html,
    glossary_html,
    highlight,
    pending_html,
    search_results_html,
    turn_html,
    word_spans,
)
from kennisbank.store.manifest import DocumentEntry
from kennisbank.transcript import stored, turn_of, valid

TEXT = "Veilig Thuis adviseert. Het meldpunt is <b>dag en nacht</b> bereikbaar. Bel 0800-2000."
PASSAGE = Passage(
    doc="vt.txt", text=TEXT, start=40, end=40 + len(TEXT), section="Partners > Veilig Thuis", page=4, title="Regiovisie"
)
ENTRY = DocumentEntry(DocumentMeta("vt.txt", "Regiovisie"), sha256="f" * 64, fingerprint="x", passages=3)


def answered(text: str = "Het meldpunt is dag en nacht bereikbaar. [1] En 2*3 of 4*5. [2]") -> dict[str, object]:
    other = Passage(doc="vt.txt", text="Bel 0800-2000.", start=200, end=214, section="Contact", title="Regiovisie")
    answer = Answer(text, False, [Citation(1, PASSAGE, ("Veilig Thuis adviseert.",)), Citation(2, other)])
    return stored(Turn("Wat doet Veilig Thuis?", "Wat doet Veilig Thuis?", answer), {"vt.txt": ENTRY})


def test_highlight_escapes_and_marks_the_quoted_sentence() -> None:
    out = highlight(TEXT, ["Het meldpunt is <b>dag en nacht</b> bereikbaar."])
    assert out == (
        "Veilig Thuis adviseert. "
        "<mark>Het meldpunt is &lt;b&gt;dag en nacht&lt;/b&gt; bereikbaar.</mark> Bel 0800-2000."
    )


def test_highlight_merges_overlaps_and_ignores_what_is_not_there() -> None:
    assert highlight("abcdef ghijkl", ["abcdef", "cdef ghi", "niet aanwezig"]) == "<mark>abcdef ghi</mark>jkl"


def test_table_row_quotes_mark_the_cell_values() -> None:
    out = highlight("Actie | Trekker\nKindcheck invoeren | GGD", ["Actie: Kindcheck invoeren; Trekker: GGD."])
    assert out == "Actie | Trekker\n<mark>Kindcheck invoeren</mark> | GGD"  # "GGD" is too short to mark safely


def test_each_marker_is_a_link_to_its_own_source_and_markdown_stays_text() -> None:
    turn = answered()
    out = turn_html(turn, 1)
    links = re.findall(r'<a class="kb-cite" href="([^"]+)"[^>]*>\[(\d)\]</a>', out)
    assert [n for _, n in links] == ["1", "2"]
    first = parse_qs(urlsplit(html.unescape(links[0][0])).query)
    assert first["doc"] == ["vt.txt"] and first["van"] == ["40"] and first["p"] == ["4"]
    assert first["h"] == ["f" * 16] and first["q"] == ["Veilig Thuis adviseert."]
    assert "2*3 of 4*5" in out and "<em>" not in out  # plain text: no Markdown emphasis
    assert out.count('class="kb-card"') == 2 and "Bronnen bij antwoord 1" in out


def test_markdown_and_html_in_a_question_or_document_are_shown_as_text() -> None:
    nasty = "![x](http://example.com/x.png) [klik](http://example.com) <img src=x onerror=alert(1)>"
    passage = Passage(doc="x.txt", text=nasty, start=0, end=len(nasty), section="<i>s</i>", title="<t>")
    turn = stored(Turn(nasty, nasty, Answer(nasty + " [1]", False, [Citation(1, passage, (nasty,))])), {})
    out = conversation_html([turn])
    assert "<img" not in out and "<i>" not in out and "<t>" not in out
    assert all(url.startswith("kb/") for url in re.findall(r'(?:src|href)="([^"]*)"', out))  # only our viewer
    assert "![x](http://example.com/x.png)" in out


def test_copy_includes_the_sources_with_title_section_and_page() -> None:
    text = copy_text(answered())
    assert text.splitlines()[-3:] == [
        "Bronnen:",
        "[1] Regiovisie — Partners > Veilig Thuis, p. 4",
        "[2] Regiovisie — Contact",
    ]
    assert f'data-copy="{html.escape(text, quote=True)}"' in turn_html(answered(), 1)


def test_stored_turns_survive_json_and_come_back_as_turns() -> None:
    import json

    turn = json.loads(json.dumps(answered()))
    back = turn_of(turn)
    assert back.answer.citations[0].passage.text == TEXT and back.answer.citations[0].quoted == (
        "Veilig Thuis adviseert.",
    )
    assert turn["citations"][0]["sha256"] == "f" * 64
    assert valid([turn, {"bogus": 1}, "x"]) == [turn]
    assert valid("geen lijst") == []


def test_a_refusal_under_a_filter_says_so_and_shows_the_closest_labelled() -> None:
    refusal = Turn("Wat is MDA++?", "Wat is MDA++?", Answer(REFUSAL, True, closest=[PASSAGE]))
    plain = turn_html(stored(refusal, {}), 1)
    assert CLOSEST_LABEL in plain and FILTER_REFUSAL not in plain
    filtered = turn_html(stored(refusal, {}, "Regio: Arnhem-Achterhoek"), 1)
    assert f"De documenten {FILTER_REFUSAL} (Regio: Arnhem-Achterhoek) bevatten geen antwoord" in filtered
    other = stored(Turn("q", "q", Answer("Dat staat er niet in.", True)), {}, "Regio: NHN")
    assert f"Geen antwoord {FILTER_REFUSAL} (Regio: NHN). Dat staat er niet in." in turn_html(other, 1)


def test_follow_up_shows_what_was_searched() -> None:
    turn = stored(Turn("Wie betaalt dat?", "Wat is MDA++? Wie betaalt dat?", Answer(REFUSAL, True)), {})
    assert "gezocht op: “Wat is MDA++? Wie betaalt dat?”" in turn_html(turn, 2)


def test_filter_chips() -> None:
    assert chips_html([]) == ""
    chips = chips_html([("Document", "A & B"), ("Regio", "NHN")])
    assert chips.count('class="kb-chip"') == 2 and "Document: A &amp; B" in chips and "Filter actief" in chips


def test_search_results_show_score_cutoff_and_marked_query_words() -> None:
    hits = [
        Passage(doc="a.txt", text="Veilig Thuis adviseert gemeenten.", start=0, end=33, score=0.0328),
        Passage(doc="b.txt", text="De wijkteams werken samen.", start=0, end=26, score=0.0161),
    ]
    out = search_results_html("adviseert Veilig Thuis", hits, [1.0, 0.0], cutoff=0.5)
    assert "score 0.033" in out and "score 0.016" in out
    assert out.index("gemeenten") < out.index("Onder de relevantiegrens (1)") < out.index("wijkteams")
    assert "<mark>Veilig</mark> <mark>Thuis</mark> <mark>adviseert</mark>" in out
    assert word_spans("Twee meldingen bij Veilig Thuis", "melding") == [(5, 14)]  # same stem


def test_documents_table_shows_status_pages_ingest_and_ocr() -> None:
    meta = DocumentMeta("a.pdf", "A & B", "qa", "NHN", "2020", status="concept")
    entry = DocumentEntry(meta, "h", "f", passages=7, pages=12, ingested="2026-11-29T10:00:00+00:00")
    table = documents_html({"a.pdf": entry, "b.txt": ENTRY})
    assert "A &amp; B" in table and "concept" in table and "vastgesteld" in table
    assert "<td class='kb-num' data-label=\"Passages\">7</td>" in table
    assert "<td class='kb-num' data-label=\"Pagina's\">12</td>" in table
    assert "2026-11-29 10:00" in table
    assert "<td data-label='OCR'>onbekend</td>" in table and "<td data-label='OCR'>nee</td>" in table
    assert 'class="kb-table-wrap"' in table
    scanned = DocumentEntry(meta, "h", "f", passages=3, pages=3, ocr=True)
    assert "<td data-label='OCR'>ja</td>" in documents_html({"scan.pdf": scanned})


def test_glossary_filter_finds_terms_and_abbreviations() -> None:
    entries = [
        GlossaryEntry("Kindcheck", "De kindcheck houdt in ...", "", "b.txt", "B", "Lijst > Kindcheck", None, 0, 30),
        GlossaryEntry("VT", "Bel Veilig Thuis (VT).", "Veilig Thuis", "a.txt", "A", "Zorgen", 2, 40, 62),
    ]
    shown = glossary_html(entries, "veilig thuis")
    assert "<dt>VT <span class='kb-kind'>(afkorting)</span></dt>" in shown and "Kindcheck" not in shown
    assert "1 van 2 begrippen" in shown and "kb/bron?doc=a.txt" in shown
    assert "Geen begrippen" in glossary_html(entries, "<zzz>") and "&lt;zzz&gt;" in glossary_html(entries, "<zzz>")


def test_the_answer_being_written_is_shown_alone_with_its_question() -> None:
    out = pending_html({"question": "Wat is <MDA++>?", "text": ""}, 3)
    assert 'aria-label="Vraag 3"' in out and "Wat is &lt;MDA++&gt;?" in out and "Zoeken in de documenten…" in out
    assert 'aria-live="polite"' in out and "kb-copy" not in out
    assert "Het meldpunt" in pending_html({"question": "q", "text": "Het meldpunt"}, 1)


def test_a_list_answer_is_marked_item_by_item_in_its_source() -> None:
    """An answer joins a lead-in and its list items with "; "; the source has them on lines of their own."""
    source = (
        "Dit programma is als volgt tot stand gekomen:\n1. Focusgroepen met gemeenten\n2. Eerste concept geschreven"  # noqa: E501
    )
    quote = "Dit programma is als volgt tot stand gekomen: 1. Focusgroepen met gemeenten; 2. Eerste concept geschreven."
    out = highlight(source, [quote])
    assert out == (
        "<mark>Dit programma is als volgt tot stand gekomen</mark>:\n<mark>1. Focusgroepen met gemeenten</mark>\n"
        "<mark>2. Eerste concept geschreven</mark>"
    )


def test_a_pdf_source_shows_printed_page_ocr_footnotes_and_where_it_recurs() -> None:
    scanned = Passage(
        doc="besluit.pdf",
        text="Het college besluit de regeling vast te stellen.",
        start=0,
        end=48,
        section="Besluit",
        page=5,
        title="Besluitenlijst",
        page_label="3",
        ocr=True,
        notes=("1 Zie artikel 2.3 van de verordening.",),
        also_in=("Bijlage, p. 10",),
    )
    answer = Answer("Het college besluit de regeling vast te stellen. [1]", False, [Citation(1, scanned)])
    turn = stored(Turn("Wat besluit het college?", "Wat besluit het college?", answer), {})
    page = turn_html(turn, 1)
    assert "Besluit, p. 5 (gedrukt 3), OCR-tekst" in html.unescape(page)
    assert "Zie artikel 2.3 van de verordening." in html.unescape(page)
    assert "Deze tekst staat ook in: Bijlage, p. 10" in html.unescape(page)
    assert copy_text(turn).splitlines()[-1] == "[1] Besluitenlijst — Besluit, p. 5 (gedrukt 3), OCR-tekst"
