"""The Dutch analyser: stems without "ge-" damage, compounds, numbers and codes, abbreviations.

Expected tokens are worked out by hand from the rules in ``kennisbank.analysis``'s docstring;
compound tests need hunspell-nl or wdutch (installed by ``make system``) and skip without.
"""

from __future__ import annotations

import pytest

from kennisbank.analysis import (
    Analyzer,
    analyze,
    asks_quantity,
    has_quantity,
    is_english,
    lexicon,
    question_focus,
    split_compound,
    tokenize,
    verb_stems,
)
from kennisbank.store.bm25 import BM25Index
from kennisbank.synonyms import Synonyms, from_texts, merge

needs_wordlist = pytest.mark.skipif(not lexicon().flags, reason="no Dutch word list (hunspell-nl or wdutch)")


def test_tokenize_keeps_its_shape_for_the_answer_layer() -> None:
    texts = ["Wat doet Veilig Thuis?", "", "de het een"]
    tokens = tokenize(texts)
    assert len(tokens) == 3 and tokens[1] == [] and tokens[2] == []
    assert tokens[0] == analyze(texts[0]) == ["veilig", "thuis"]


def test_the_prefix_ge_is_not_stripped() -> None:
    # Snowball's newer "dutch" stems geweld -> "wel" and gemeenten -> "meen"; dutch_porter does not.
    assert analyze("geweld") == ["geweld"]
    assert analyze("gemeenten") == analyze("gemeente") != analyze("meen")
    assert analyze("geweld") != analyze("wel")
    legacy = Analyzer("snowball", compounds=False)
    assert legacy.analyze("gemeenten") == legacy.analyze("meen")  # the damage this avoids


def test_diacritics_are_folded() -> None:
    assert analyze("financiële") == analyze("financiele")


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("artikel 2.3", "2.3"),
        ("€ 250.000", "250.000"),
        ("actie 6c.2", "6c.2"),
        ("in Q4", "q4"),
        ("de periode 2024-2028", "2024-2028"),
    ],
)
def test_numbers_and_codes_are_tokens_as_written(text: str, token: str) -> None:
    assert token in analyze(text)


def test_a_range_also_gives_its_years_but_a_dotted_number_not_its_groups() -> None:
    assert analyze("2024-2028") == ["2024-2028", "2024", "2028"]
    assert analyze("€ 1.250.000") == ["1.250.000"]
    assert "250.000" not in analyze("€ 1.250.000")


def test_an_exact_number_ranks_above_a_partial_one() -> None:
    texts = [
        "Het budget voor opvang is € 1.250.000 per jaar.",
        "Het budget voor preventie is € 250.000 per jaar.",
    ]
    index = BM25Index.build(["partial", "exact"], texts)
    hits = index.search("budget € 250.000", top_k=2)
    assert hits[0][0] == "exact"
    assert hits[0][1] > hits[1][1]


def test_article_number_is_searched_not_only_the_word_artikel() -> None:
    texts = ["Zie artikel 2.3 over de meldcode.", "Zie artikel 4.1 over de meldcode."]
    index = BM25Index.build(["a23", "a41"], texts)
    assert index.search("artikel 2.3", top_k=1)[0][0] == "a23"


@needs_wordlist
@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("huisverbod", ("huis", "verbod")),
        ("veiligheidshuis", ("veiligheid", "huis")),
        ("ketenpartners", ("keten", "partner")),
        ("regiovisie", ("regio", "visie")),
        ("kinderbeschermingsmaatregel", ("kinder", "bescherming", "maatregel")),
    ],
)
def test_compounds_split_into_their_parts(word: str, parts: tuple[str, ...]) -> None:
    assert split_compound(word) == parts


@needs_wordlist
@pytest.mark.parametrize("word", ["samenwerking", "tijdelijk", "huiselijk", "besturen", "verslaving", "geweld"])
def test_words_that_only_look_like_compounds_stay_whole(word: str) -> None:
    assert split_compound(word) == ()


@needs_wordlist
def test_a_compound_is_indexed_whole_and_in_parts() -> None:
    tokens = analyze("huisverboden")
    assert tokens[0] == analyze("huisverbod")[0]
    assert set(analyze("huis")) <= set(tokens)


@needs_wordlist
def test_a_compound_written_as_two_words_or_one_part_finds_the_compound() -> None:
    texts = [
        "Een tijdelijk huisverbod duurt tien dagen.",
        "Het huis van de toekomst heeft een tuin.",
        "Een verbod op vuurwerk geldt in de hele gemeente.",
    ]
    index = BM25Index.build(["compound", "huis", "verbod"], texts)
    assert index.search("huisverboden", top_k=1)[0][0] == "compound"
    assert index.search("tijdelijk huis verbod", top_k=1)[0][0] == "compound"


def test_hyphenated_words_and_abbreviation_dots() -> None:
    assert analyze("MDA++") == ["mda++", "mda"]
    assert "regio" in analyze("regio's")
    assert analyze("m.b.t.") == ["mbt"]
    # a one-letter first part goes, the rest stays a word of its own: "mailadressen" finds "e-mailadressen"
    assert analyze("e-mailadressen")[:2] == [analyze("emailadressen")[0], analyze("mailadressen")[0]]


@needs_wordlist
def test_a_plural_typed_without_its_apostrophe_is_the_same_word() -> None:
    assert analyze("ggd regios") == analyze("GGD-regio’s")[1:] == ["ggd", "regio"]
    assert analyze("fotos") == analyze("foto's")
    assert analyze("chaos") == ["chaos"] and analyze("basis") == ["basis"]  # words that end so themselves


def test_abbreviations_are_found_in_their_definitions() -> None:
    text = (
        "Gemeenten ontvangen geld via de Decentralisatie-uitkering Vrouwenopvang (DUVO). "
        "De Raad voor de Kinderbescherming (RvdK) doet onderzoek. Zie bijlage (A)."
    )
    assert from_texts([text, text]) == [  # each pair once
        ("DUVO", "Decentralisatie-uitkering Vrouwenopvang"),
        ("RvdK", "Raad voor de Kinderbescherming"),
    ]


def test_query_expansion_adds_the_other_phrase_of_a_group() -> None:
    synonyms = merge([("VT", "Veilig Thuis")])
    assert synonyms.expand(analyze("Wat doet VT?")) == ["vt", "veilig", "thuis"]
    assert synonyms.expand(analyze("Wat doet Veilig Thuis?")) == ["veilig", "thuis", "vt"]
    assert synonyms.expand(analyze("veilig fietsen")) == analyze("veilig fietsen")


def test_an_abbreviation_finds_the_passage_that_spells_it_out() -> None:
    texts = [
        "Veilig Thuis is het advies- en meldpunt huiselijk geweld.",
        "Werken op kantoor is veilig als de verbinding versleuteld is en de laptop bijgewerkt.",
    ]
    bare = BM25Index.build(["vt", "other"], texts)
    assert bare.search("Wat doet VT?", top_k=1) == []
    expanded = BM25Index.build(["vt", "other"], texts, merge([("VT", "Veilig Thuis")]))
    assert expanded.search("Wat doet VT?", top_k=1)[0][0] == "vt"


def test_groups_sharing_a_phrase_merge() -> None:
    groups = [("CSG", "Centrum Seksueel Geweld"), ("csg", "Centrum voor Seksueel Geweld"), ("VT", "Veilig Thuis")]
    merged = merge(groups)
    assert merged.groups == (("CSG", "Centrum Seksueel Geweld", "Centrum voor Seksueel Geweld"), ("VT", "Veilig Thuis"))
    assert Synonyms.from_json(merged.to_json()) == merged


@pytest.mark.parametrize(
    ("question", "english"),
    [
        ("What does Veilig Thuis do?", True),
        ("What is a child check?", True),  # one English function word, no Dutch one
        ("nodig passende begeleiding en/of zorg te bieden.", False),  # "of" is Dutch too
        ("Who is the mayor of Zevenaar?", True),
        ("Wat doet Veilig Thuis?", False),
        ("Is er een meldcode?", False),
        ("kosten regiovisie", False),
        ("Was macht Veilig Thuis?", False),  # German: "was" is a word English and Dutch share, no English word
        ("What was the budget in 2020?", True),
    ],
)
def test_english_questions_are_recognised(question: str, english: bool) -> None:
    assert is_english(question) is english


def test_a_long_question_is_split_into_question_and_context() -> None:
    context = "Ik ben raadslid in Heiloo en lees de stukken voor de commissie van volgende week door. " * 2
    question, rest = question_focus(context + "Wie betaalt de acties uit het uitvoeringsprogramma?")
    assert question == "Wie betaalt de acties uit het uitvoeringsprogramma?"
    assert rest.startswith("Ik ben raadslid")
    assert question_focus("Wie betaalt de acties?") == ("Wie betaalt de acties?", "")


def test_context_tokens_of_a_long_question_weigh_less() -> None:
    index = BM25Index.build(["a"], ["tekst"])
    context = "Ik lees de stukken over de regio en de kosten voor de commissie van volgende week goed door. " * 2
    weights = index.query_terms(context + "Hoe lang duurt een huisverbod?")
    assert weights[analyze("huisverbod")[0]] == 1.0
    assert weights[analyze("kosten")[0]] == index.weights.context


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Hoeveel meldingen ontving Veilig Thuis?", True),
        ("Welk bedrag is er begroot?", True),
        ("How many reports were made?", True),
        ("Wat kost de regiovisie?", False),
        ("Wie betaalt de projectleiders?", False),
    ],
)
def test_questions_asking_for_a_number_are_recognised(question: str, asks: bool) -> None:
    assert asks_quantity(question) is asks


@pytest.mark.parametrize(
    ("text", "has"),
    [
        ("Er zijn 240 professionals getraind.", True),
        ("Veilig Thuis ontving 6.251 meldingen.", True),
        ("In 2023 is het programma gestart.", False),
        ("De regiovisie 2024-2028 en artikel 6c.2.", False),
        ("Geen getal hier.", False),
    ],
)
def test_a_quantity_is_a_number_other_than_a_year_or_code(text: str, has: bool) -> None:
    assert has_quantity(text) is has


def test_an_english_decimal_point_is_searched_as_the_documents_write_it() -> None:
    from kennisbank.analysis import dutch_decimals
    from kennisbank.answering.question import analyze, search_words
    from kennisbank.store.bm25 import BM25Index

    assert dutch_decimals("after 1.5 years, 2.25 %, 1.500 people") == "after 1,5 years, 2,25 %, 1.500 people"
    assert "1,5" in search_words(analyze("What share of families still see violence after 1.5 years?")).split()
    index = BM25Index.build(["a", "b"], ["Na 1,5 jaar is er nog geweld.", "Na 5 jaar is er geen geweld."])
    assert index.search("What happens after 1.5 years?", 1)[0][0] == "a"
    # a Dutch question keeps its "1.5": there it is a section number ("paragraaf 1.5")
    assert "1.5" in search_words(analyze("Wat staat er in paragraaf 1.5 over de aanpak?"))


def test_a_participles_verb_stems() -> None:
    assert verb_stems("ingedeeld") == ("indeel", "indel")  # "indeling"
    assert verb_stems("vastgesteld") == ("vaststel",)
    assert verb_stems("georganiseerd") == ("organiseer", "organiser")
    assert verb_stems("gezondheid") == ()  # a noun in "-heid"
    assert verb_stems("gemeld") == ()  # too short a stem to tell apart
    assert verb_stems("kinderen") == ()
