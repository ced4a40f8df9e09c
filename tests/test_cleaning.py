"""Cleaning the PDF text layer, on small examples and on the real corpus."""

from __future__ import annotations

import tomllib
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from kennisbank.ingest.cleaning import (
    build_vocabulary,
    clean_document,
    clean_page,
    dehyphenate,
    drop_furniture,
    join_lines,
    repair_ligatures,
    strip_footnote_markers,
)
from kennisbank.ingest.documents import CleanDocument, DocumentMeta

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
GLOSSARY = "begrippenlijst-en-uitvoeringsprogramma-hgkm-nhn.txt"
QA = "qa-regiovisie-samen-zorgen-voor-veiligheid-nhn.txt"
PROPOSAL = "raadsvoorstel-heiloo-regiovisie-hgkm-nhn-2020-2023.txt"


@cache
def vocabulary() -> Counter[str]:
    return build_vocabulary(path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt")))


@cache
def cleaned(name: str) -> CleanDocument:
    """A corpus document read as one page and cleaned with the vocabulary of the whole corpus."""
    meta = tomllib.loads((CORPUS / "metadata.toml").read_text(encoding="utf-8"))[name]
    raw = (CORPUS / name).read_text(encoding="utf-8")
    return clean_document(DocumentMeta(doc=name, **meta), [raw], paged=False, vocabulary=vocabulary())


# --------------------------------------------------------------------------- vocabulary


def test_vocabulary_counts_words_rejoined_across_line_breaks() -> None:
    words = vocabulary()
    assert words["kennemerland"] >= 2  # once written whole, once as "Ken-\nnemerland"
    assert words["psychologische"] >= 1  # only ever split: "psycholo-\ngische"
    assert words["slachtoffers"] > 0 and words["effectief"] > 0
    assert not [word for word in words if "\ufffd" in word]
    assert all(word == word.lower() for word in words)


# --------------------------------------------------------------------------- ligatures


@pytest.mark.parametrize(
    ("broken", "repaired"),
    [
        ("e\ufffdectief", "effectief"),
        ("e\ufffdectiever", "effectiever"),
        ("Slachto\ufffders", "Slachtoffers"),
        ("SLACHTO\ufffdERS", "SLACHTOFFERS"),
        ("e\ufffdectiefst", "effectiefst"),  # not in the corpus: found by words that start alike
    ],
)
def test_ligatures_are_repaired_from_the_corpus_vocabulary(broken: str, repaired: str) -> None:
    assert repair_ligatures(f"Een {broken} woord.", vocabulary()) == f"Een {repaired} woord."


def test_unknown_ligature_defaults_to_ff() -> None:
    assert repair_ligatures("de qu\ufffdzor", Counter()) == "de quffzor"


def test_no_replacement_character_survives_cleaning() -> None:
    text = cleaned(GLOSSARY).text
    assert "\ufffd" not in text
    assert "Huisverboden worden eerder én effectiever ingezet." in text
    assert "Slachtoffers van mensenhandel en loverboys" in text


# --------------------------------------------------------------------------- hyphenation


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Veilig Thuis Ken-\nnemerland, Spaarne", "Veilig Thuis Kennemerland,\nSpaarne"),
        ("uitvoerende mede- \nwerkers van", "uitvoerende medewerkers\nvan"),
        ("contractge-\nsprekken.", "contractgesprekken."),
        ("de regiovisie Noord-\nHolland Noord", "de regiovisie Noord-Holland\nNoord"),
        ("Noord-Holland Noord 2020-\n2023 vast", "Noord-Holland Noord 2020-2023\nvast"),
        ("in de ZSM-\naanpak.", "in de ZSM-aanpak."),
        ("wordt informatie-\nuitwisseling bevorderd", "wordt informatie-uitwisseling\nbevorderd"),
        (
            "Daarom moet de rol- \nen taakverdeling duidelijk zijn.",
            "Daarom moet de rol- en\ntaakverdeling duidelijk zijn.",
        ),
        ("Zie: https://www.verwey-\njonker.nl/doc/x.pdf", "Zie: https://www.verwey-jonker.nl/doc/x.pdf"),
        ("kwali-\nteitsmede-\nwerker", "kwaliteitsmedewerker"),
    ],
)
def test_dehyphenate(raw: str, expected: str) -> None:
    assert dehyphenate(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "versterken ketensamenwerking zorg- en veiligheidsdomein",
        "- eerste punt\n- tweede punt",
        "regio Arnhem - \nAchterhoek",
        "Geweld hoort nergens thuis\n\nnergens",
    ],
)
def test_dehyphenate_keeps_real_hyphens_and_dashes(text: str) -> None:
    assert dehyphenate(text) == text


def test_hyphenation_is_repaired_in_the_corpus() -> None:
    glossary = cleaned(GLOSSARY).text
    assert "Veilig Thuis Kennemerland, Spaarne Gasthuis" in glossary
    assert "medische, psychologische en forensische hulp" in glossary
    assert "Ken-" not in glossary
    proposal = cleaned(PROPOSAL).text
    assert "Noord-Holland Noord 2020-2023 vast te stellen" in proposal
    assert "de visiedocumenten uit West-Friesland" in proposal


# --------------------------------------------------------------------------- line joining


def test_a_list_of_people_runs_on_over_an_initial_but_a_lettered_list_stays() -> None:
    people = (
        "Aanwezigen Burgemeester L. de Lange, Wethouder L. van Doeveren, wethouder\n"
        "R. Bloemendaal, wethouder W. Koetsier en Y. van Boheemen voor de verslaglegging."
    )
    assert join_lines(people) == people.replace("wethouder\nR.", "wethouder R.")
    for lettered in (
        "De onderdelen zijn:\nA. Inleiding\nB. Aanpak",
        "Gesproken met dhr. K. Jansen en\nB. Aanpak volgt",
    ):
        assert join_lines(lettered) == lettered


def test_join_lines_rejoins_a_wrapped_paragraph() -> None:
    text = (
        "Het merendeel van de samenwerkingsproblematiek tussen het zorg- en het veiligheidsdomein wordt\n"
        "reeds lokaal of op veiligheidsregio/GGD-regio niveau opgepakt, er zijn inmiddels mooie initiatieven\n"
        "zoals “Allen voor één” in Zaanstreek Waterland."
    )
    assert join_lines(text) == " ".join(text.split("\n"))


def test_join_lines_keeps_headings_lists_questions_and_paragraphs() -> None:
    text = (
        "Lokaal maatwerk\n"
        "Het merendeel van de samenwerkingsproblematiek tussen het zorg- en het veiligheidsdomein wordt\n"
        "reeds lokaal opgepakt. Op basis van vier uitgangspunten is een visie opgesteld:\n"
        "1) Gefaseerde ketenzorg\n"
        "2) Lokaal tenzij\n"
        "• Advies geven;\n"
        "\n"
        "Wat is risicogestuurde zorg?\n"
        "Om doelgericht en effectief te kunnen handelen in de dagelijkse praktijk wordt onderscheid\n"
        "gemaakt tussen veiligheid op de korte termijn en veiligheid op de lange termijn."
    )
    assert join_lines(text).split("\n") == [
        "Lokaal maatwerk",
        "Het merendeel van de samenwerkingsproblematiek tussen het zorg- en het veiligheidsdomein wordt "
        "reeds lokaal opgepakt. Op basis van vier uitgangspunten is een visie opgesteld:",
        "1) Gefaseerde ketenzorg",
        "2) Lokaal tenzij",
        "• Advies geven;",
        "",
        "Wat is risicogestuurde zorg?",
        "Om doelgericht en effectief te kunnen handelen in de dagelijkse praktijk wordt onderscheid "
        "gemaakt tussen veiligheid op de korte termijn en veiligheid op de lange termijn.",
    ]


def test_join_lines_keeps_all_caps_headings() -> None:
    assert join_lines("6. RISICO’S\nN.v.t.") == "6. RISICO’S\nN.v.t."


def test_join_lines_joins_the_lines_of_a_narrow_table_cell() -> None:
    prose = "Dit is een gewone regel tekst die zo breed is als de pagina, zoals elke regel hier."
    cell = "Projectleiders Geweld\nhoort nergens thuis\nNoord-Holland Noord"
    text = "\n\n".join([prose] * 12 + [cell])
    assert join_lines(text).endswith("\n\nProjectleiders Geweld hoort nergens thuis Noord-Holland Noord")


def test_line_joining_in_the_corpus() -> None:
    qa = cleaned(QA).text
    # A question wrapped over two lines is one line, and its answer starts on the next.
    assert (
        "\nHoe kan er een aanpak gerealiseerd, dan wel gewaarborgd worden, zodat er geen wachtlijsten ontstaan "
        "door bijvoorbeeld personeelstekort?\nDit is van veel factoren afhankelijk"
    ) in qa
    # A sentence broken by a page break (blank lines in the text layer) is whole again.
    assert "die de onveiligheid in stand houden. Het aanpakken van de onderliggende risicofactoren" in qa
    proposal = cleaned(PROPOSAL).text
    assert "opgesteld:\n1) Gefaseerde ketenzorg\n2) Lokaal tenzij\n" in proposal
    assert "\n\n2. KEUZERUIMTE\n\n" in proposal
    # A list item broken by a blank line in the middle of its sentence.
    assert "(april tot oktober 2019)." in proposal


def test_cleaned_text_is_normalised() -> None:
    for name in (GLOSSARY, QA, PROPOSAL):
        text = cleaned(name).text
        assert "\n\n\n" not in text
        assert "\u00a0" not in text
        assert all(line == line.strip() for line in text.split("\n"))
        assert text == text.strip()


# --------------------------------------------------------------------------- furniture


def test_drop_furniture_removes_repeated_urls_and_page_numbers() -> None:
    text = (
        "Zie: https://www.example.nl/visie voor meer.\n"
        "\n"
        "12\n"
        "\n"
        "Pagina 3 van 9\n"
        "\n"
        "https://www.example.nl/visie\n"
        "3 https://www.example.nl/visie\n"
        "https://www.elders.nl/a\n"
        "https://www.elders.nl/a\n"
        "\tZie: https://www.example.nl/visie voor meer.\n"
        "12 gemeenten doen mee.\n"
        "2022"
    )
    assert drop_furniture(text).split("\n") == [
        "Zie: https://www.example.nl/visie voor meer.",
        "",
        "",
        "",
        "https://www.elders.nl/a",
        "12 gemeenten doen mee.",
        "2022",
    ]


def test_furniture_in_the_corpus() -> None:
    proposal = cleaned(PROPOSAL).text
    assert proposal.count("https://www.youtube.com/watch?v=C6uEmcWXT08&t=14s") == 1
    assert proposal.count("1366_Doorbreken%20geweldspatroon") == 2  # footnotes 2 and 3 themselves stay
    assert proposal.count("OVERWEGINGEN VAN HET COLLEGE") == 1  # the outline at the end is gone
    assert "Tierolf, B. Lünnemann" in proposal


def test_strip_footnote_markers() -> None:
    assert strip_footnote_markers("in het Spaarne Gasthuis Hoofddorp.1 Het CSG") == (
        "in het Spaarne Gasthuis Hoofddorp. Het CSG"
    )
    assert strip_footnote_markers("verbetering behoeft.10 11 Het lukt") == "verbetering behoeft. Het lukt"
    for text in ("in 2019. 12 gemeenten", "bij volwassenen 25.3%", "TOP-3 methodiek"):
        assert strip_footnote_markers(text) == text


# --------------------------------------------------------------------------- pages and documents


def test_clean_page_normalises_unicode_and_whitespace() -> None:
    raw = "Cafe\u0301\u00a0en  zo   \n\n\n\nNog een alinea.   \n"
    assert clean_page(raw, Counter()) == "Café en zo\n\nNog een alinea."


def test_clean_document_records_where_pages_start() -> None:
    meta = DocumentMeta(doc="twee.txt", title="Twee pagina's")
    doc = clean_document(meta, ["Eerste pagina.\n", "   \n", "Tweede pagina."], paged=True, vocabulary=Counter())
    assert doc.text == "Eerste pagina.\n\nTweede pagina."
    assert doc.page_starts == [0, 16, 16]
    assert doc.page_at(0) == 1
    assert doc.page_at(doc.text.index("Tweede")) == 3
    unpaged = clean_document(meta, ["Een tekst."], paged=False, vocabulary=Counter())
    assert unpaged.page_starts is None and unpaged.page_at(0) is None


# --------------------------------------------------------------------------- issue 11: references, words, spacing


@pytest.mark.parametrize(
    "text",
    [
        "volgens artikel 6c.2 van de wet",
        "agendapunt 5.a.1 Startnotitie",
        "zie 2.3.1 hieronder",
        "in 2019. 12 gemeenten",
    ],
)
def test_references_survive_footnote_marker_removal(text: str) -> None:
    assert strip_footnote_markers(text) == text


def test_double_surnames_and_diaeresis_survive_hyphenation() -> None:
    from kennisbank.ingest.wordlist import dutch_words

    if not dutch_words():
        pytest.skip("geen Nederlandse woordenlijst (wdutch)")
    assert dehyphenate("mevrouw Jansen-\nde Vries") == "mevrouw Jansen-de\nVries"
    assert dehyphenate("de co-\nordinatie") == "de coördinatie"
    assert dehyphenate("de zee-\nen") == "de zeeën"
    assert dehyphenate("informatie-\nuitwisseling") == "informatie-uitwisseling"


def test_without_a_word_list_hyphenation_uses_the_corpus_and_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    from kennisbank.ingest.wordlist import dutch_words

    missing = Path("/nonexistent/dutch")
    with caplog.at_level("WARNING"):
        assert dutch_words(missing) == frozenset()
        assert dutch_words(missing) == frozenset()
    assert sum("woordenlijst" in record.getMessage() for record in caplog.records) == 1


def test_ligature_code_points_and_nul_are_repaired() -> None:
    from kennisbank.ingest.cleaning import normalize_unicode

    vocab = Counter({"effectief": 3, "officieel": 2})
    assert repair_ligatures(normalize_unicode("e\x00ectief en o\ufb03cieel"), vocab) == "effectief en officieel"


def test_letter_spaced_words_are_rejoined() -> None:
    from kennisbank.ingest.cleaning import rejoin_letter_spacing
    from kennisbank.ingest.wordlist import dutch_words

    words = dutch_words()
    assert rejoin_letter_spacing("C O N C E P T", words) == "CONCEPT"
    if not words:
        pytest.skip("geen Nederlandse woordenlijst (wdutch)")
    assert rejoin_letter_spacing("V erbeteren van de ink oop", words) == "Verbeteren van de inkoop"
    assert rejoin_letter_spacing("de ze week in Den Haag", words) == "de ze week in Den Haag"


def test_lone_agenda_numbers_stay_on_layout_pages() -> None:
    assert "5" in clean_page("Besluiten\n\n5\n\nCollegevoorstellen", Counter(), zoned=True).split()


def test_a_line_that_stops_at_an_article_goes_on_even_in_capitals() -> None:
    text = (
        "Met deze brief informeert het kabinet de Kamer over de afspraken die gemaakt zijn in het IZA en het\n"
        "AZWA. Daarmee is dit de eerste gelegenheid om het belang van deze akkoorden te onderstrepen voor de zorg.\n"
        "1. INLEIDING\n"
        "Het kabinet streeft naar de gezondste generatie ooit en wil de beweging van het akkoord versterken."
    )
    joined = join_lines(text).split("\n")
    assert joined[0].endswith(
        "in het IZA en het AZWA. Daarmee is dit de eerste gelegenheid om het belang van deze "
        "akkoorden te onderstrepen voor de zorg."
    )
    assert "1. INLEIDING" in joined  # an all-caps heading after a finished sentence stays on its own line
