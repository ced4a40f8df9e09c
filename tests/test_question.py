"""Question analysis on a table of Dutch (and some English) questions: answer type and constraints, no model."""

from __future__ import annotations

import pytest

from kennisbank.answering.question import (
    ANSWER_TYPES,
    analyze,
    answer_type,
    find_places,
    find_years,
    list_size,
    names,
    search_words,
    sentence_words,
    unknown_places,
)
from kennisbank.synonyms import SYNONYMS_FILE, build, read_file
from tests.conftest import CORPUS

#: The synonyms an index holds: the maintainers' file of corpus/ (as ingest reads it), and an abbreviation.
SYNONYMS = build(["Meld het bij Veilig Thuis (VT)."], read_file(CORPUS / SYNONYMS_FILE))


#: (question, expected answer type): one or more per type, phrased as users ask.
TYPES = [
    ("Hoeveel meldingen kreeg Veilig Thuis in 2023?", "count"),
    ("Hoe laat begon de collegevergadering?", "date"),  # a time of day
    ("Hoe vaak moeten medewerkers een training in de meldcode krijgen?", "count"),
    ("How many reports did Veilig Thuis receive?", "count"),
    ("Met welk percentage worden prijzen en lonen geïndexeerd in de begroting?", "count"),  # a number, not costs
    ("Uit welk potje wordt de cursus over informatie delen betaald?", "cost"),
    ("Hoeveel jeugdigen in Groningen hebben een persoonsgebonden budget?", "count"),  # people, not money
    ("Hoeveel euro krijgt Heiloo uit de DUVO-middelen?", "amount"),
    ("Hoeveel kost een plek in de vrouwenopvang per nacht?", "amount"),
    ("Wat kost de regiovisie de gemeente?", "cost"),
    ("What does the regional vision cost the municipality?", "cost"),  # as "wat kost": costs may be a statement
    ("Wat is het budget van het regionaal veiligheidsteam?", "amount"),  # a budget asked is an amount
    ("In welk jaar is de visie vastgesteld?", "date"),
    ("Wanneer konden raadsleden hun inbreng geven?", "date"),
    ("Op welke datum opent het Zorg- en Veiligheidshuis?", "date"),
    ("In welke maand waren de focusgroepen?", "date"),
    ("Welke jaren beslaat de regiovisie?", "date"),  # a period
    ("Which years does the regional vision cover?", "date"),
    ("Wat is de looptijd van het uitvoeringsprogramma?", "date"),
    ("Wat is de begroting van Veilig Thuis in 2023?", "cost"),
    ("Maakt VWS in de Woo-stukken ook de namen van bedrijven onleesbaar?", "yesno"),
    ("Kun je de namen noemen van wie er in het team zitten?", "person"),
    ("Sinds welk jaar is de meldcode verplicht?", "date"),
    ("Which month was the kick-off meeting?", "date"),
    ("Hoe lang duurt een tijdelijk huisverbod?", "duration"),
    ("Wie is de burgemeester van Heiloo?", "person"),
    ("Who is the mayor of Zevenaar?", "person"),
    ("Hoe heet de projectleider?", "person"),
    ("Welke organisatie doet de vrouwenopvang?", "organisation"),
    ("Wie betaalt het centrum voor seksueel geweld?", "organisation"),
    ("bezwaar woo besluit vws per post naar welke directie", "organisation"),  # a body, not a decision
    ("Waar heeft Moviera opvanglocaties?", "place"),
    ("Wat is het telefoonnummer van Veilig Thuis?", "contact"),
    ("Op welk e-mailadres kan ik Veilig Thuis bereiken?", "contact"),
    ("What is the phone number of Veilig Thuis?", "contact"),
    ("Wat is MDA++?", "definition"),
    ("Wat betekent risicogestuurde zorg?", "definition"),
    ("Wat zijn de vier uitgangspunten van de regiovisie?", "list"),
    ("Welke bijlagen horen bij het raadsvoorstel?", "list"),
    ("Noem de actielijnen van de regiovisie", "list"),
    ("Hoe is het uitvoeringsprogramma tot stand gekomen?", "procedure"),
    ("Welke stappen zijn doorlopen om tot de regiovisie te komen?", "procedure"),
    ("Waarom is de regiovisie herijkt?", "reason"),
    ("Mag privacy een reden zijn om niet in te grijpen?", "reason"),
    ("Kan de gemeente preventief een huisverbod opleggen?", "yesno"),
    ("Wat wordt de raad van Heiloo gevraagd te besluiten?", "decision"),
    ("What is the council of Heiloo asked to decide?", "decision"),
    ("kindcheck", "other"),
    ("Waarom kun je niet tegelijk werken aan veiligheid op korte en op lange termijn?", "reason"),
    ("Waar ging de oude visie uit 2014 vooral over?", "other"),  # "waar ... over": what about, not where
    ("Waar is het Zorg- en Veiligheidshuis gevestigd?", "place"),
    ("How much does Heiloo pay for Veilig Thuis each year?", "amount"),
    ("Wat zijn de namen van de ervaringsdeskundigen?", "person"),
    ("Hoe lang heb ik om bezwaar te maken tegen een Woo-besluit?", "duration"),
    ("Bij wie ligt de regie op de veiligheidscoördinatie op de lange termijn?", "person"),
    ("Binnen welke termijn beslist het college?", "duration"),
    ("Hoe heten de twee relatiemanagers van de Verwijsindex?", "person"),
    ("En wanneer is het gestart?", "date"),
    ("En hoeveel kost dat?", "amount"),
    ("Hoe groot is het structurele tekort van de GGD?", "count"),
    ("Binnen hoeveel tijd moet de aanbieder de toewijzing bevestigen?", "duration"),  # how long, not how many
    ("Wat is de deadline voor een zienswijze op de begroting 2027?", "date"),  # a date, not money
    ("Hoeveel werkdagen heeft de gemeente voor een retourbericht?", "duration"),
    ("Wat is het aantal meldingen in 2020?", "count"),
    ("Aantal inwoners van Flevoland?", "count"),
    ("Wat verwacht Almere dat de teams doen met het aantal meldingen?", "other"),  # the number is its subject
    # "waar ... op als ...", "waar ... naartoe": what about or what for, also before a clause
    ("Waar let Veilig Thuis op als het een gezin blijft volgen?", "other"),
    ("Waar gaat het geld van het IMV-thema vooral naartoe?", "other"),
    ("Waar wordt de nieuwe werkwijze uitgeprobeerd?", "place"),
    ("In welke zaal vergaderde het college van Wassenaar?", "place"),
    ("Hoe heten de trainers van de TOP-3 training?", "person"),
    ("Wat zijn de speerpunten van de GGD in de begroting voor 2026?", "list"),  # what the budget says, not costs
    ("Can I fax my objection, and to which number?", "contact"),
    ("Wat wordt de raad van Heiloo gevraagd?", "decision"),  # without "te besluiten"
    ("Wat moet de raad in Heiloo beslissen?", "decision"),
    ("Is de raad om advies gevraagd?", "yesno"),
    ("Waarom lakt VWS de algemene mailadressen van afdelingen weg?", "reason"),  # not a contact question
    ("In welke Almeerse wijk is Ymere met de gemeente in gesprek?", "place"),  # an adjective before the place kind
    ("In which regions or municipalities will the pilots take place?", "place"),
    ("Waar gingen de stukken van het OMT over die VWS niet openbaar maakt?", "other"),  # what about, not where
    ("Waar moeten lokale teams naar kijken als ze een gezin leren kennen?", "other"),  # the verb after "naar"
    ("Waar wordt het geld aan besteed?", "other"),
    ("Waar is Veilig Thuis gevestigd?", "place"),
    ("Wat is het gevolg als hulpverleners besluiten geen gegevens te delen?", "other"),  # no decision, no definition
    ("Wat is er onduidelijk over het MDCK?", "other"),
    ("Welke gemeente is centrumgemeente in de regio Nijmegen?", "place"),  # one municipality by its name
    ("Welke gemeenten doen mee aan de regiovisie?", "list"),
    ("Hoe kan ik contact opnemen met het Leerplein Haarlem?", "contact"),
    ("Met welke problemen kampt Flevoland volgens de GGD-begroting 2026?", "other"),  # what the budget says
    ("Hoe moet het standaardiseren de kosten van aanbieders omlaag brengen?", "procedure"),  # how, not how much
    ("Wat gaat de nieuwe ambulancestandplaats kosten?", "cost"),
    ("Waar moeten gemeenten op letten als ze regionaal inkopen?", "other"),
]


@pytest.mark.parametrize(("question", "expected"), TYPES)
def test_answer_type(question: str, expected: str) -> None:
    assert answer_type(question) == expected


def test_every_answer_type_is_in_the_table() -> None:
    assert {expected for _, expected in TYPES} == set(ANSWER_TYPES)


@pytest.mark.parametrize(
    ("question", "places"),
    [
        ("Hoeveel meldingen kreeg Veilig Thuis in Amsterdam in 2023?", ("Amsterdam",)),
        # The longest name wins: Noord-Holland Noord is one place, not also Noord-Holland.
        ("Hoeveel meldingen waren er in Noord-Holland Noord?", ("Noord-Holland Noord",)),
        ("Wat doen Arnhem en Doetinchem als centrumgemeente?", ("Arnhem", "Doetinchem")),
        ("wat doet zevenaar met het lokale plan", ("Zevenaar",)),
        ("Wat is MDA++?", ()),
        # an English name is the Dutch place, not an unknown one
        ("Who pays for the sexual violence centre in North Holland?", ("Noord-Holland",)),
        ("Which organisations work together in North-Holland North?", ("Noord-Holland Noord",)),
    ],
)
def test_places(question: str, places: tuple[str, ...]) -> None:
    assert set(find_places(question)) == set(places)


def test_places_the_index_knows_are_added() -> None:
    assert find_places("Hoe gaat Medemblik hiermee om?", known=["Medemblik"]) == ("Medemblik",)
    assert find_places("Hoe gaat Opmeer hiermee om?") == ()
    assert find_places("Hoe gaat Opmeer hiermee om?", known=["Opmeer"]) == ("Opmeer",)
    assert unknown_places("Who pays for the centre in North Holland?", vocabulary=set()) == ()
    # a known place and what it pays to is that place; a place named with "op" or "aan" stays whole
    assert unknown_places("Wat is de bijdrage van de gemeente Zwolle aan de GGD?", vocabulary=set()) == ()
    assert unknown_places("Wat doet de gemeente Bergen op Zoom?", vocabulary=set()) == ("Bergen op Zoom",)


@pytest.mark.parametrize(
    ("question", "years"),
    [
        ("Hoeveel meldingen waren er in 2023?", ("2023",)),
        ("Wat staat er in de regiovisie 2020-2023?", ("2020", "2023")),
        ("Hoeveel meldingen kreeg Veilig Thuis?", ()),
        ("Wat is artikel 2.3 van de Wmo?", ()),  # "2.3" is a reference, not a year
    ],
)
def test_years(question: str, years: tuple[str, ...]) -> None:
    assert find_years(question) == years


def test_references_list_size_focus_and_exact_dates() -> None:
    assert analyze("Wat staat er in artikel 2.3 van de Jeugdwet?").references == ("artikel 2.3",)
    assert list_size("Wat zijn de vier uitgangspunten van de regiovisie?") == 4
    assert list_size("Wat zijn de uitgangspunten?") is None
    assert analyze("Hoeveel meldingen kreeg Veilig Thuis?").focus == "meldingen"
    assert analyze("Hoeveel mensen zijn getraind?").focus == ""  # "mensen" counts anything
    assert analyze("Hoeveel van hun tijd gaat naar administratie?").focus == "tijd"  # not the pronoun "hun"
    assert analyze("Wie is de directeur van Moviera?").focus == "directeur"
    # a role without an article, after "welke", or who chaired: the person asked for
    for question, role in (
        ("Wie was voorzitter van de collegevergadering van Wassenaar?", "voorzitter"),
        ("Welke wethouder is verantwoordelijk voor het raadsvoorstel?", "wethouder"),
        ("Wie zat de collegevergadering van 5 maart voor?", "voorzitter"),
        ("Hoe heten de twee relatiemanagers van de Verwijsindex?", "relatiemanagers"),
        ("Wie is de ambtelijk steller van het raadsvoorstel?", "steller"),  # the role after its adjective
        ("Wie is de nieuwe voorzitter van het bestuur?", "voorzitter"),
    ):
        asked = analyze(question)
        assert (asked.answer_type, asked.focus) == ("person", role), question
    # the name of a thing is no person: "Hoe heet het systeem ...?" is answered by "... heet de verwijsindex VIN"
    assert analyze("Hoe heet het systeem voor de verwijsindex?").answer_type != "person"
    assert analyze("Wie is Karremans?").focus == ""
    # "door wie is het vastgesteld" asks who did it: "vastgesteld" is no role (it was refused "wie de vastgesteld is")
    assert analyze("Door wie is het Integraal Meerjarenbeleidsplan vastgesteld?").focus == ""
    # a rate asked as "het ...percentage" is a count of that rate (trial: the coverage rate answered it);
    # a verb after "welk bedrag" is no focus (trial: "neemt" refused the amount in the decision)
    rate = analyze("Wat was het verzuimpercentage van GGD Flevoland in 2022?")
    assert (rate.answer_type, rate.focus, rate.asks_for()) == ("count", "verzuimpercentage", "verzuimpercentage")
    assert analyze("Welk bedrag neemt Wassenaar in de kadernota op voor het park?").focus == ""
    assert analyze("How much will Almere spend on project management?").focus == ""  # an auxiliary counts nothing
    # An English role, in Dutch: the index's [engels] words say which.
    assert analyze("Who is the director of Moviera?", synonyms=SYNONYMS).focus == "directeur"
    # an English role comes after its adjectives and nouns: the last word before a preposition (trial 53: the
    # adjective "certified" was the role, and the list of institutions was refused)
    asked = analyze("Who are the certified youth protection institutions in the region?", synonyms=SYNONYMS)
    assert asked.focus == "instellingen"
    assert analyze("Op welke datum opent het huis?").exact_date
    assert not analyze("Wanneer opent het huis?").exact_date


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("Welke bijlagen horen bij het raadsvoorstel over de regiovisie?", "bijlagen"),
        ("Wat zijn de vier uitgangspunten van de regiovisie?", "uitgangspunten"),
        ("Which risk factors are named?", "risk"),
        ("Welke van de gemeenten doen mee?", ""),  # no noun after "welke"
        ("Hoe is het uitvoeringsprogramma tot stand gekomen?", ""),
    ],
)
def test_head_is_the_noun_a_which_question_asks_for(question: str, noun: str) -> None:
    assert analyze(question).head == noun


def test_language_is_the_analysers_english_test() -> None:
    assert analyze("What does Veilig Thuis do?").lang == "en"
    assert analyze("What is a child check?").lang == "en"  # one English function word is enough
    assert analyze("Wat doet Veilig Thuis?").lang == "nl"
    assert analyze("kindcheck").lang == "nl"
    # "of" is Dutch too ("or"): a Dutch sentence holding it stays Dutch.
    assert analyze("Is er passende begeleiding en/of zorg?").lang == "nl"


def test_a_condensed_follow_up_takes_its_type_from_the_last_question_and_keeps_earlier_constraints() -> None:
    asked = analyze("Hoeveel meldingen kreeg Veilig Thuis in Arnhem in 2023? En wie betaalt dat?")
    assert asked.asked == "En wie betaalt dat?"
    assert asked.answer_type == "organisation"
    assert asked.places == ("Arnhem",) and asked.years == ("2023",)
    # A follow-up's own place replaces the earlier one; the year carries over.
    other = analyze("Hoeveel meldingen kreeg Veilig Thuis in Arnhem in 2023? En in Zevenaar?")
    assert other.answer_type == "count" and other.places == ("Zevenaar",) and other.years == ("2023",)


def test_collection_questions() -> None:
    assert analyze("Welke documenten gaan over Zevenaar?").about_documents
    assert analyze("Which documents cover Arnhem?").about_documents
    assert not analyze("Welke stukken zitten als bijlage bij het raadsvoorstel?").about_documents
    assert not analyze("Welke bronnen staan in voetnoot 4 van het raadsvoorstel van Heiloo?").about_documents
    assert analyze("Welke documenten staan er in de kennisbank?").about_documents


def test_search_words_add_the_indexs_dutch_words_to_an_english_question() -> None:
    english = analyze("How many reports did the council receive?", synonyms=SYNONYMS)
    words = search_words(english)
    assert "meldingen" in words and "raad" in words
    assert "did" not in words.split()  # English function words are no search words
    assert english.focus == "meldingen"  # the Dutch word of the counted one
    money = analyze("How much money does Almere spend on local teams?", synonyms=SYNONYMS)
    assert money.focus == ""  # "geld" counts anything, as in the Dutch question
    dutch = analyze("Kan ik Veilig Thuis 's nachts bellen?", synonyms=SYNONYMS)
    assert "24/7" in search_words(dutch) and "VT" in search_words(dutch)


def test_a_sentence_is_matched_on_the_one_word_expansions_of_a_dutch_question() -> None:
    synonyms = build(["De Gemeentelijke Gezondheidsdienst (GGD) adviseert."], [("betalen", "financiering")])
    dutch = analyze("Wie moet de GGD betalen?", synonyms=synonyms)
    assert "Gemeentelijke Gezondheidsdienst" in search_words(dutch)  # the retriever searches the spelled-out name
    words = sentence_words(dutch).split()
    assert "financiering" in words and "Gezondheidsdienst" not in words  # a sentence matches on one-word ones
    english = analyze("Who pays the GGD?", synonyms=synonyms)
    assert sentence_words(english) == search_words(english)  # an English question's Dutch words all count


def test_without_the_indexs_synonyms_nothing_is_added() -> None:
    english = analyze("How many reports did the council receive?")
    assert english.expansions == () and english.focus == "reports"
    assert search_words(analyze("Kan ik Veilig Thuis 's nachts bellen?")) == "Kan ik Veilig Thuis 's nachts bellen?"


def test_english_words_expand_english_questions_only() -> None:
    assert "raad" not in analyze("Wat doet de council?", synonyms=SYNONYMS).expansions


def test_a_follow_up_keeps_the_place_and_year_a_model_condensing_it_dropped() -> None:
    from kennisbank.chat import carry_constraints

    earlier = ["Hoeveel meldingen kreeg Veilig Thuis in Zevenaar in 2023?"]
    # A model rewrote the follow-up without the year and place: they are added back.
    assert carry_constraints(earlier, "En wie betaalt dat?", "Wie betaalt Veilig Thuis?") == (
        "Wie betaalt Veilig Thuis (Zevenaar, 2023)?"
    )
    # The follow-up names its own place: only the year is carried.
    assert carry_constraints(earlier, "En in Arnhem?", "Hoeveel meldingen kreeg Veilig Thuis in Arnhem?") == (
        "Hoeveel meldingen kreeg Veilig Thuis in Arnhem (2023)?"
    )
    # A question that stands on its own inherits nothing.
    standalone = "Wat is de rol van de Raad voor de Kinderbescherming bij een scheiding?"
    assert carry_constraints(earlier, standalone, standalone) == standalone


def test_in_a_long_question_the_question_sentence_sets_the_type() -> None:
    long = (
        "Ik ben raadslid in een gemeente in Noord-Holland Noord en we bespreken volgende week de aanpak. "
        "Hoeveel meldingen kreeg Veilig Thuis in 2020? Alvast bedankt voor het uitzoeken, ook namens de fractie."
    )
    asked = analyze(long)
    assert asked.asked == "Hoeveel meldingen kreeg Veilig Thuis in 2020?"
    assert asked.answer_type == "count" and asked.years == ("2020",)


def test_only_words_the_passages_hold_are_added() -> None:
    # "HG" groups with "huiselijk geweld" in corpus/synoniemen.toml; passages that never write "HG"
    # give it no stem, so it is not added (it could match no sentence).
    asked = "Wat doen lokale teams bij huiselijk geweld?"
    assert "HG" in analyze(asked, synonyms=SYNONYMS).expansions
    assert "HG" not in analyze(asked, synonyms=SYNONYMS, vocabulary={"huiselijk", "geweld"}).expansions
    assert analyze("Wat doet VT?", synonyms=SYNONYMS, vocabulary={"veilig", "thuis"}).expansions == ("Veilig Thuis",)


@pytest.mark.parametrize(
    ("question", "places"),
    [
        ("Met hoeveel geld wordt het Almeerse fonds gevuld?", ("Almere",)),
        ("Wat besloot de Groningse gemeenteraad?", ("Groningen",)),
        ("Hoeveel Amsterdamse kinderen zitten in de opvang?", ("Amsterdam",)),
        ("Wat doen de Nederlandse gemeenten?", ()),  # a country's adjective is no place
    ],
)
def test_a_place_adjective_names_its_place(question: str, places: tuple[str, ...]) -> None:
    assert find_places(question, ["Almere", "Groningen"]) == places


def test_place_adjectives_follow_dutch_spelling() -> None:
    from kennisbank.analysis import place_adjectives

    assert {"almeerse", "groningse", "zwolse", "haagse", "leidse"} <= {
        form for place in ("Almere", "Groningen", "Zwolle", "Den Haag", "Leiden") for form in place_adjectives(place)
    }


def test_a_place_adjective_is_no_name_to_find() -> None:
    """ "Groningse" names the place Groningen; as a name it would have to occur in the passage ("groningse"
    is not in "gemeente Groningen"), so a question about it was refused."""
    assert names("Op welke datum heeft de Groningse gemeenteraad de verordening vastgesteld?", ("Groningen",)) == ()
    assert names("Hoeveel geeft de GGD Flevoland uit?", ("Flevoland",)) == ("GGD Flevoland",)


def test_a_place_no_passage_mentions_is_a_place_the_question_keeps_to() -> None:
    """ "de gemeente Oss": no document mentions Oss, so the question must be refused, not answered from the
    regions the documents cover; "Bergen op Zoom" is not "Bergen"."""
    vocabulary = {"bergen", "heiloo", "kost", "regiovisie", "bijlag", "2"}
    assert analyze("Wat kost de regiovisie de gemeente Oss?", vocabulary=vocabulary).places == ("Oss",)
    zoom = analyze("Wat kost de regiovisie in Bergen op Zoom?", known_places=["Bergen"], vocabulary=vocabulary)
    assert zoom.places == ("Bergen op Zoom",)
    assert analyze("Wat kost de regiovisie in Heiloo?", vocabulary=vocabulary).places == ("Heiloo",)
    assert analyze("Wat staat er in Bijlage 2?", vocabulary=vocabulary).places == ()
    assert analyze("Can you answer in English?", vocabulary=vocabulary).places == ()


def test_a_what_does_question_names_its_actor_only_when_the_name_is_who_acts() -> None:
    assert analyze("Wat doet de GGD precies bij de aanpak van huiselijk geweld?").actor == "GGD"
    assert analyze("Wat doet Veilig Thuis?").actor == "Veilig Thuis"
    assert analyze("Wat doen de projectleiders van Geweld hoort nergens thuis?").actor == ""  # not the name
    assert analyze("Wat is Veilig Thuis?").actor == ""


def test_a_question_of_common_verbs_and_small_talk_has_no_topic() -> None:
    from kennisbank.answering.question import has_topic

    for text in ("Hoe laat is het?", "Hoe gaat het?", "Wie ben jij?", "Wat doen ze eigenlijk?"):
        assert not has_topic(analyze(text)), text
    for text in ("Wat is MDA++?", "veilig thuis wat doen ze", "Wat gebeurt er in 2023?", "What time is it?"):
        assert has_topic(analyze(text)), text  # a topic word, a year; English is left to the evidence gate


def test_what_an_abbreviation_does_is_asked_of_the_name_it_stands_for() -> None:
    from kennisbank.answering.question import sentence_words
    from kennisbank.synonyms import merge

    synonyms = merge([("VT", "Veilig Thuis")])
    for question in ("wat doet vt", "Wat doet VT?"):
        asked = analyze(question, synonyms=synonyms)
        assert asked.actor == "Veilig Thuis", question
        assert "Veilig Thuis" in sentence_words(asked)  # a sentence about Veilig Thuis matches the question
    assert analyze("Wat doet Veilig Thuis?", synonyms=synonyms).actor == "Veilig Thuis"
    assert analyze("wat doet vt", synonyms=None).actor == ""


def test_a_region_typed_with_a_space_the_chair_and_a_count_of_what_was_named_before() -> None:
    assert analyze("reclassering arnhem achterhoek met wie").places == ("Arnhem-Achterhoek",)
    assert analyze("Wie zit de landelijke vereniging van aandachtsfunctionarissen voor?").focus == "voorzitter"
    assert analyze("Van de onderzoeken in 2023: hoeveel daarvan waren er in de regio Arnhem?").focus == ""
