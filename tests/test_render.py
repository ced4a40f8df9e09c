"""Source cards and lists: document text is escaped, quoted sentences are marked."""

from __future__ import annotations

from kennisbank.ingest.documents import DocumentMeta

from kennisbank.answering.citations import REFUSAL, Answer, Citation
from kennisbank.passage import Passage
from kennisbank.render import CLOSEST_LABEL, documents_html, glossary_html, highlight, source_card, sources_html
from kennisbank.store.manifest import DocumentEntry

TEXT = "Veilig Thuis adviseert. Het meldpunt is <b>dag en nacht</b> bereikbaar. Bel 0800-2000."
PASSAGE = Passage(
    doc="vt.txt", text=TEXT, start=0, end=len(TEXT), section="Partners > Veilig Thuis", page=4, title="Regiovisie"
)


def test_highlight_escapes_and_marks_the_quoted_sentence() -> None:
    out = highlight(TEXT, ["Het meldpunt is <b>dag en nacht</b> bereikbaar."])
    assert out == (
        "Veilig Thuis adviseert. "
        "<mark>Het meldpunt is &lt;b&gt;dag en nacht&lt;/b&gt; bereikbaar.</mark> Bel 0800-2000."
    )


def test_highlight_merges_overlaps_and_ignores_what_is_not_there() -> None:
    out = highlight("abcdef ghijkl", ["abcdef", "cdef ghi", "niet aanwezig"])
    assert out == "<mark>abcdef ghi</mark>jkl"


def test_table_row_quotes_mark_the_cell_values() -> None:
    text = "Actie | Trekker\nKindcheck invoeren | GGD"
    out = highlight(text, ["Actie: Kindcheck invoeren; Trekker: GGD."])
    assert out == "Actie | Trekker\n<mark>Kindcheck invoeren</mark> | GGD"  # "GGD" is too short to mark safely


def test_card_escapes_everything_from_the_document() -> None:
    nasty = Passage(doc="x.txt", text="<script>alert(1)</script>", start=0, end=25, section="<i>s</i>", title="<t>")
    card = source_card("[1]", nasty)
    assert "<script>" not in card and "<i>" not in card and "<t>" not in card
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card
    assert card.startswith('<details class="kb-card">')


def test_sources_of_an_answer_and_of_a_refusal() -> None:
    answered = sources_html(Answer("Het meldpunt ... [1]", False, [Citation(1, PASSAGE, ("Veilig Thuis adviseert.",))]))
    assert "<h3>Bronnen</h3>" in answered and "[1]" in answered and "Partners &gt; Veilig Thuis, p. 4" in answered
    assert CLOSEST_LABEL not in answered

    refused = sources_html(Answer(REFUSAL, True, closest=[PASSAGE]), "Wat is <x>?", "Wat is MDA++? Wat is <x>?")
    assert CLOSEST_LABEL in refused and "Bronnen" not in refused
    assert "gezocht op: “Wat is MDA++? Wat is &lt;x&gt;?”" in refused


def test_documents_table_and_glossary_filter() -> None:
    table = documents_html(
        {"a.txt": DocumentEntry(DocumentMeta("a.txt", "A & B", "qa", "NHN", "2020"), "h", "f", passages=7)}
    )
    assert "A &amp; B" in table and "<td class='kb-num'>7</td>" in table

    terms = [
        Passage(doc="b.txt", text="Kindcheck\nDe kindcheck houdt in ...", start=0, end=30, section="Lijst > Kindcheck"),
        Passage(doc="b.txt", text="MDA++\nMulti Disciplinaire Aanpak", start=40, end=70, section="Lijst > MDA++"),
    ]
    shown = glossary_html(terms, "KINDCHECK")
    assert "<dt>Kindcheck</dt><dd>De kindcheck houdt in ..." in shown and "MDA++" not in shown
    assert "1 van 2 begrippen" in shown
    assert "Geen begrippen" in glossary_html(terms, "<zzz>") and "&lt;zzz&gt;" in glossary_html(terms, "<zzz>")
