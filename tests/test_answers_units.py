"""Answer-type checks, quotability, candidates, refusals and scope, on hand-made passages (no model, no index)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from kennisbank.ingest.documents import DocumentMeta

from kennisbank.answering import evidence as ev
from kennisbank.answering.citations import CLOSEST, Answer, Citation
from kennisbank.answering.extractive import ENGLISH_NOTE, ExtractiveAnswerer
from kennisbank.answering.question import analyze
from kennisbank.answering.refusal import has_focus, meets_years
from kennisbank.answering.scope import Catalog, scope_line
from kennisbank.evaluation.junk import junk_in
from kennisbank.passage import Passage
from kennisbank.synonyms import SYNONYMS_FILE, build, merge, read_file
from kennisbank.text import fold, quote_spans
from tests.conftest import CORPUS

NHN = DocumentMeta(
    "nhn.txt", "Regiovisie NHN", "regiovisie", "Noord-Holland Noord", "2020-2023", places=("Alkmaar", "Heiloo")
)
AA = DocumentMeta("aa.txt", "Regiovisie Samen Veilig", "regiovisie", "Arnhem-Achterhoek", "2024-2028", ("Zevenaar",))
HEILOO = DocumentMeta("heiloo.txt", "Raadsvoorstel Heiloo", "raadsvoorstel", "Noord-Holland Noord", "2020", ("Heiloo",))


def passage(doc: DocumentMeta, text: str, start: int, section: str = "", dense: float = 0.88, **kw: object) -> Passage:
    return Passage(
        doc=doc.doc,
        text=text,
        start=start,
        end=start + len(text),
        section=section,
        title=doc.title,
        region=doc.region,
        period=doc.period,
        signals={"dense": dense},
        **kw,  # type: ignore[arg-type]
    )


def answer_over(doc: DocumentMeta, passages: list[Passage], question: str) -> Answer:
    """``question`` answered by an answerer whose catalog is ``passages`` of ``doc``, ranked as given."""
    return ExtractiveAnswerer(catalog=Catalog.build({doc.doc: doc}, passages)).answer(question, passages)


# --- answer-type checks ----------------------------------------------------------------------------

FITS = [
    ("Hoeveel meldingen waren er?", "In 2020 zijn er 4445 meldingen gedaan.", True),
    ("Hoe laat begon de vergadering?", "Tijd: 9:30 - 14:47", True),
    ("Hoe laat begon de vergadering?", "De vergadering van 12 maart 2024 is vastgesteld.", False),  # a date
    ("Hoeveel meldingen waren er?", "In 2020 is de visie vastgesteld.", False),  # a year is no count
    ("Hoeveel mensen zijn getraind in TOP-3?", "De TOP-3 methodiek is een beslismodel.", False),  # "TOP-3" is a name
    ("Hoe vaak moet de training?", "Medewerkers volgen tenminste elke drie jaar een training.", True),
    ("Hoeveel euro krijgt Heiloo?", "Heiloo krijgt € 25.000 uit de DUVO-middelen.", True),
    ("Hoeveel euro krijgt Heiloo?", "De financiële aspecten hangen af van het uitvoeringsplan.", False),
    ("Wat kost de regiovisie?", "De financiële aspecten hangen af van het uitvoeringsplan.", True),
    ("Wanneer stellen de raden de visie vast?", "Vaststelling staat gepland in september en oktober van 2020.", True),
    ("Wanneer wordt een gezin doorverwezen?", "Als reguliere hulp maximaal is ingezet, volgt MDA++.", True),
    ("Wanneer is het meldpunt bereikbaar?", "Het meldpunt is op werkdagen bereikbaar van negen tot vijf uur.", True),
    ("Wanneer is het meldpunt bereikbaar?", "Het meldpunt is bereikbaar van 9.00 tot 17.00 uur.", True),
    ("Op welke datum opent het huis?", "Het huis opent in 2024.", False),  # a year is no date
    ("Op welke datum opent het huis?", "Het huis opent op 1 maart 2024.", True),
    ("Aan hoeveel thema's werkt het netwerk?", "Het netwerk werkt samen aan een viertal thema's.", True),
    ("Hoe lang duurt een huisverbod?", "Een huisverbod duurt 10 dagen.", True),
    ("Hoe lang duurt een huisverbod?", "Een huisverbod wordt door de burgemeester opgelegd.", False),
    # a span between two months says how long something took
    ("Hoe lang duurde de consultatie?", "De consultatie liep van april tot oktober 2019.", True),
    ("Hoe lang duurde de afstemming?", "Afstemming met de overleggen: augustus 2019 - februari 2020.", True),
    ("Hoe lang duurde de afstemming?", "De afstemming begon in augustus 2019.", False),
    ("How long does the team stay involved?", "Het lokale team blijft langdurig betrokken bij het gezin.", True),
    # how often is not how long
    ("How long does the training take?", "Medewerkers worden tenminste elke drie jaar getraind.", False),
    ("Hoe lang duurt de training?", "De training duurt twee dagen en wordt elke drie jaar herhaald.", True),
    # an inflected adjective describes a noun ("langdurige onveiligheid"), it does not say how long anything lasts
    ("Hoe lang duurt een traject gemiddeld?", "MDA++ richt zich op gezinnen met langdurige onveiligheid.", False),
    ("Wie stelt het programma vast?", "Het programma wordt vastgesteld door de colleges van de gemeenten.", True),
    # "who pays" needs the payer and the money: a sentence that only names gemeenten does not say who pays
    ("Wie betaalt de regiovisie?", "Door samen op te trekken bereiken de gemeenten meer.", False),
    ("Wie betaalt de regiovisie?", "De gemeenten financieren de regiovisie uit de DUVO-middelen.", True),
    ("Wie betaalt het centrum?", "Gemeenten betalen er voor.", True),
    ("Wat is het telefoonnummer van Veilig Thuis?", "Veilig Thuis is bereikbaar op 0800-2000.", True),
    ("Wat is het telefoonnummer van Veilig Thuis?", "Veilig Thuis is 24/7 bereikbaar.", False),
    ("Wat is het e-mailadres van Moviera?", "Mail naar info@moviera.nl voor vragen.", True),
    ("Wat is het telefoonnummer van de gemeente?", "Gemeente Almere Postbus 200 1300 AE Almere Tel: 14 036", True),
    ("Wat is het telefoonnummer van de gemeente?", "De GGD kreeg 14 050 meldingen.", False),  # a count, no "14 0xx"
    ("Can I fax my objection, and to which number?", "U kunt uw bezwaarschrift ook faxen naar: (070) 340 59 84.", True),
    ("Waar heeft Moviera opvanglocaties?", "Moviera heeft opvanglocaties in Arnhem en Nijmegen.", True),
    (
        "Waar had het team zijn uitvalsbasis?",
        "Voor Almere Haven werd Activiteitencentrum Jan Steen de uitvalsbasis.",
        True,
    ),
    ("In welke gemeente loopt de pilot?", "In de gemeente Hollands Kroon loopt nu de pilot.", True),
    ("Waar werkt het team?", "Het team werkt in de praktijk goed samen.", False),  # "in de" names no place
    ("Hoe lang mag het college erover doen?", "Het college beslist uiterlijk binnen acht weken.", True),
    ("Hoe lang mag het college erover doen?", "Het college beslist binnen 10 werkdagen.", True),
    ("Wat zijn de namen van de ervaringsdeskundigen?", "Een ervaringsdeskundige deelt zijn kennis.", False),
    ("Wat zijn de namen van de ervaringsdeskundigen?", "De toezegging deed wethouder Van Riswijk.", True),
    ("Wie trekt de uitvoering?", "Dat is een goed plan voor het werk.", False),  # two ordinary words are no name
    ("Wie trekt de uitvoering?", "De uitvoering ligt bij Veilig Thuis.", True),
    # "jaarlijks" says how often, not how many; "één" is a number
    ("Hoeveel functionarissen zijn opgeleid?", "Zij krijgen jaarlijks bijscholing.", False),
    ("Hoe vaak krijgen zij bijscholing?", "Zij krijgen jaarlijks bijscholing.", True),
    ("Hoeveel keer krijgen zij bijscholing?", "Zij krijgen jaarlijks bijscholing.", True),
    ("Hoeveel trainers heeft een organisatie?", "Elke organisatie heeft minstens één trainer.", True),
    # a reference to a part of the text is no count
    ("Hoeveel jeugdigen hebben een pgb?", "Een pgb stelt een jeugdige in staat, zoals bedoeld in art. 8.", False),
    ("Hoeveel jeugdigen hebben een pgb?", "In 2024 hadden 312 jeugdigen een pgb (artikel 8).", True),
    ("Hoeveel meldingen kreeg het team?", "Het team voert de procesregie bij meldingen (18- en 18+).", False),  # ages
    # a count is of what is asked: not an item's own number, the days of a date, a span of time or another noun
    (
        "Hoeveel raadsleden deden mee aan de raadsbijeenkomsten?",
        "7. 3 Regionale raadsbijeenkomsten waarin raadsleden input geven (14, 20 en 27 mei 2020).",
        False,
    ),
    ("Hoeveel bezwaarschriften zijn er ingediend?", "Wilt u bezwaar maken, dan moet dit binnen zes weken.", False),
    ("Hoeveel meldingen waren er in 2020?", "In 2020 zijn er in totaal 4445 meldingen gedaan.", True),
    ("How many GHOR officers are there?", "16 In de afgelopen jaren werkten de GHOR-bureaus samen.", False),  # a page
    ("Hoeveel meldingen waren er?", "Er kwamen 450 nieuwe meldingen en 30 adviezen binnen.", True),
    ("Hoeveel crisisopvangtrajecten bood Moviera?", "Moviera bood 127 crisisopvang trajecten.", True),
    ("Hoeveel uur per week werken zij?", "Zij werken formeel 8 uur per week.", True),  # a span asked for
    # a place asked by its kind wants a name, not "andere regio's"
    (
        "In which regions will the pilots take place?",
        "Daarna volgt verbreding (naar andere regio's of gemeenten).",
        False,
    ),
    ("In welke Almeerse wijk loopt de aanpak?", "Ymere werkt aan een meerjarenaanpak in De Marken.", True),
    ("In which year was Veilig Thuis set up?", "Veilig Thuis is 24/7 bereikbaar.", False),  # a year asked
    # a town asked by its kind: a town's name, not an organisation after "bij" nor the place asked about
    ("In welke plaats zit het kantoor van Moviera?", "Advies vraagt u bij Veilig Thuis.", False),
    ("In welke plaats zit het kantoor van Moviera?", "Moviera heeft haar kantoor in Arnhem.", True),
    ("In welke gemeenten loopt het programma in Flevoland?", "De GGD Flevoland groeit.", False),
    ("In welke gemeenten loopt het programma in Flevoland?", "Het loopt in Almere en Lelystad.", True),
    ("Wanneer is Veilig Thuis bereikbaar?", "Veilig Thuis is 24/7 bereikbaar.", True),
]


@pytest.mark.parametrize(("question", "sentence", "expected"), FITS)
def test_answer_type_fit(question: str, sentence: str, expected: bool) -> None:
    assert ev.fits(analyze(question), sentence) is expected


# --- quotability -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "section", "reason"),
    [
        ("Actie Hoofdverantwoordelijke Aanjager Planning Status", "", "tabelkop"),
        ("Hoogachtend, burgemeester en wethouders van de gemeente Heiloo", "", "aanhef"),
        ("Dit uitvoeringsprogramma is als volgt tot stand gekomen:", "", "dubbele punt"),
        ("Hieronder lichten we de verbanden tussen de opgaven toe.", "", "vooruit"),
        ("3. TOELICHTING OP HET ADVIES", "", "kop"),
        ("Monitoring", "Monitoring", "kop"),
        ("Aanleiding voor visie op aanpak huiselijk geweld", "Aanleiding voor visie op aanpak huiselijk geweld", "kop"),
        ("1 Zie Het sociaal domein en veiligheidsdomein in verbinding.", "", "voetnoot"),
        ("Wat is het verschil met de oude regiovisie?", "", "vraag"),
        ("Veilig Thuis is het advies- en meldpunt huiselijk geweld en kindermishandeling.", "", ""),
        ("Reserve GGD 3.462 -258 3.203", "", "tabel"),
        ("Gemeente Almere Postbus 200 1300 AE Almere Tel: 14 036", "Contactgegevens", ""),  # numbers, but an address
        ("Locatie De Paauw, Muzenzaal", "", ""),  # a meeting header's labelled field is a fact, not a heading
        ("Tijd 9:30 - 14:47", "", ""),
        ("Besluitenlijst Openbaar B&W-vergadering Wassenaar", "", "kop"),
    ],
)
def test_junk(sentence: str, section: str, reason: str) -> None:
    assert ev.junk(sentence, section) == reason


def test_a_lead_in_takes_its_numbered_list_from_the_next_passage_and_stops_at_a_new_numbering() -> None:
    first = passage(NHN, "Het programma is in samenwerking opgesteld. Het is als volgt tot stand gekomen:", 0)
    second = passage(NHN, "1. Focusgroepen met gemeenten;\n2. Eerste concept geschreven;\n1. Een voetnoot.", 100)
    catalog = Catalog.build({"nhn.txt": NHN}, [second, first])
    found = ev.candidates([first], catalog.following)
    lead = [c for c in found if c.items]
    assert len(lead) == 1
    assert lead[0].items == ("1. Focusgroepen met gemeenten;", "2. Eerste concept geschreven;")
    assert not any(c.text.endswith(":") for c in found)
    # the next passage opens with another number than the next one: a numbered heading, not the list's item
    five = passage(NHN, "De leefgebieden:\n1. support, 2. wonen, 3. werk, 4. inkomen en 5. welzijn.", 300)
    heading = passage(NHN, "10. Inwoners met levenslange beperkingen\n\nVeel systemen zijn slecht afgestemd.", 400)
    catalog = Catalog.build({"nhn.txt": NHN}, [five, heading])
    (listed,) = [c for c in ev.candidates([five], catalog.following) if c.items]
    assert listed.items == ("1. support, 2. wonen, 3. werk, 4. inkomen en 5. welzijn.",)
    # bullets, then a passage that opens with a numbered item: its heading, not the bullets' next item
    bullets = passage(NHN, "De teams zorgen voor:\n• een vast gezicht\n• korte lijnen", 500)
    titled = passage(NHN, "3. Samenwerking met partners\n\nDe teams werken samen met de wijk.", 600)
    catalog = Catalog.build({"nhn.txt": NHN}, [bullets, titled])
    (listed,) = [c for c in ev.candidates([bullets], catalog.following) if c.items]
    assert listed.items == ("• een vast gezicht", "• korte lijnen")


def test_a_line_that_goes_on_in_lower_case_is_one_sentence_with_the_line_before() -> None:
    text = (
        "Dit kan ertoe leiden dat bepaalde acties\nin het uitvoeringsprogramma aanpassing behoeven.\n"
        "DE RAAD VAN DE GEMEENTE GRONINGEN,\ngelezen het voorstel van het college.\n"
        "De doelen zijn\na. minder geweld;"
    )
    assert ev.sentences(text) == [
        "Dit kan ertoe leiden dat bepaalde acties in het uitvoeringsprogramma aanpassing behoeven.",
        "DE RAAD VAN DE GEMEENTE GRONINGEN,",  # a heading in capitals stays apart
        "gelezen het voorstel van het college.",
        "De doelen zijn",  # a lettered list item is no continuation
        "a. minder geweld;",
    ]


def test_a_numbered_heading_is_no_list_item() -> None:
    text = "10. BIJLAGEN\no Regiovisie 2020-2023\no Adviesbrief commissie\no Persbericht"
    found = ev.candidates([passage(HEILOO, text, 0)])
    assert [c.items for c in found if c.items] == [
        ("o Regiovisie 2020-2023", "o Adviesbrief commissie", "o Persbericht")
    ]
    # a numbered title in lower case, then its text: not an item whose text runs on
    memo = (
        "2. Besluit\nHet college stelt voor 250.000 euro beschikbaar te stellen.\n\n3. Contact\nVragen aan J. de Vries."
    )
    assert [c.text for c in ev.candidates([passage(HEILOO, memo, 0)])] == [
        "Het college stelt voor 250.000 euro beschikbaar te stellen.",
        "Vragen aan J. de Vries.",
    ]
    steps = "4. Focusgroepen voor managers. Ervaringsdeskundigen gaven input. 5. Afstemming in de regio."
    assert ev.list_after(ev.sentences(steps)) == [
        "4. Focusgroepen voor managers. Ervaringsdeskundigen gaven input.",
        "5. Afstemming in de regio.",
    ]  # an item's second sentence still goes with it


def test_word_match_finds_other_forms_and_compound_parts() -> None:
    question = ev.stems("financiële vechtscheiding")
    sentence = ev.stems("De financieel adviseur helpt bij scheidingen.")
    assert len(ev.word_match(question, sentence)) == 2


def test_word_match_finds_a_participle_in_another_form_of_its_verb() -> None:
    assert ev.word_match(ev.stems("opnieuw geschreven"), ev.stems("niet herschreven")) == ev.stems("geschreven")
    assert ev.word_match(ev.stems("gefinancierd"), ev.stems("de financiering")) == ev.stems("gefinancierd")
    assert not ev.word_match(ev.stems("gesprekken"), ev.stems("de gemeenteraad"))
    # a separable verb's participle and its noun: "ingedeeld" and "indeling", "vastgesteld" and "vaststelling"
    assert ev.word_match(ev.stems("hoe is het ingedeeld"), ev.stems("dezelfde indeling")) == ev.stems("ingedeeld")
    assert ev.word_match(ev.stems("de vaststelling"), ev.stems("is vastgesteld")) == ev.stems("vaststelling")


def test_rare_question_words_weigh_more() -> None:
    terms = {"kinderbescherm", "scheiding"}
    weight = ev.rarity(terms, {"kinderbescherm": 40, "scheiding": 2}, 100, 1.0)
    assert weight["scheiding"] > weight["kinderbescherm"] > 1.0
    assert ev.rarity(terms, {}, 100, 0.0) == {"kinderbescherm": 1.0, "scheiding": 1.0}


def test_a_figure_is_quoted_only_from_a_sentence_that_names_what_is_asked() -> None:
    entry = passage(
        NHN,
        "Veilig Thuis monitort na een tijdelijk huisverbod. Monitoring loopt in elk geval na 3 en 12 maanden.",
        0,
        "Begrippenlijst > Veilig Thuis",
        form="term",
    )
    answer = answer_over(NHN, [entry], "Hoeveel dagen duurt een tijdelijk huisverbod?")
    assert answer.refused and "3 en 12 maanden" not in answer.text


def test_a_passage_under_a_heading_that_names_what_is_asked_scores_higher() -> None:
    timeline = passage(
        HEILOO,
        "1. Concept regiovisie opgesteld voor het raadsvoorstel.\n2. Bijeenkomsten over de regiovisie. Zie bijlage.",
        0,
        "Planning",
    )
    annexes = passage(HEILOO, "10. BIJLAGEN\no Regiovisie Noord-Holland Noord\no Adviesbrief\no Persbericht", 90)
    asked = analyze("Welke bijlagen horen bij het raadsvoorstel over de regiovisie?")
    terms = ev.stems(asked.text)
    found = ev.candidates([timeline, annexes])
    best = max((ev.score(asked, terms, c) for c in found), key=lambda c: c.score)
    unaware = max((ev.score(asked, terms, c, ev.Weights(head=0.0)) for c in found), key=lambda c: c.score)
    assert unaware.passage is timeline  # without the heading naming "bijlagen" the timeline would win
    assert best.passage is annexes and "Persbericht" in best.text
    assert "BIJLAGEN" in ev.own_heading(annexes)
    assert ev.own_heading(timeline) == "Planning"


def test_a_list_whose_item_about_the_question_lacks_the_fact_asked_does_not_answer() -> None:
    """ "Waar werd het symposium gehouden?": the symposium's item names no place; another item's place is no answer."""
    text = (
        "Het doorlopen traject:\n1. Interviews bij ketenpartners in Alkmaar (april 2019).\n"
        "2. Startbijeenkomst voor ketenpartners in Heiloo.\n3. Symposium voor bestuurders (3 juni 2020)."
    )
    found = ev.candidates([passage(NHN, text, 0)], {}, None)
    listed = next(c for c in found if c.items)
    for question, lacks in (
        ("Waar werd het symposium voor bestuurders op 3 juni 2020 gehouden?", True),
        ("Waar was de startbijeenkomst van het traject?", False),
    ):
        asked = analyze(question)
        assert ev.item_lacks(asked, ev.stems(asked.text), listed) is lacks, question


def test_near_duplicates() -> None:
    assert ev.near_duplicate("Veilig Thuis is 24/7 bereikbaar.", "Veilig Thuis is 24/7 bereikbaar!")
    assert not ev.near_duplicate("Veilig Thuis is 24/7 bereikbaar.", "Moviera biedt opvang in Arnhem.")


# --- the answerer on hand-made passages ------------------------------------------------------------

FIGURES = passage(
    NHN,
    "Inleiding\nIn 2020 zijn er in totaal 4445 meldingen gedaan van huiselijk geweld "
    "bij Veilig Thuis Noord-Holland Noord.",
    0,
    "Inleiding",
)
AA_FIGURES = passage(
    AA, "Veilig Thuis ontving in 2023 vanuit de regio's Arnhem en Achterhoek 6.251 meldingen van huiselijk geweld.", 0
)
VT = passage(
    AA, "Veilig Thuis adviseert burgers en professionals over huiselijk geweld. Veilig Thuis is 24/7 bereikbaar.", 200
)
DECISION = passage(
    HEILOO,
    "Voorgesteld besluit\nDe regiovisie 2020-2023 vast te stellen en in plaats te laten treden van de visie uit 2014.\n"
    "Geheimhouding\nJa",
    0,
    "Voorgesteld besluit",
)
PLANNING = passage(
    HEILOO, "Vaststelling van de visie door de raden staat gepland in september en oktober van 2020.", 900
)


@pytest.fixture
def answerer() -> ExtractiveAnswerer:
    docs = {"nhn.txt": NHN, "aa.txt": AA, "heiloo.txt": HEILOO}
    passages = [FIGURES, AA_FIGURES, VT, DECISION, PLANNING]
    # The synonyms an index of corpus/ holds (its synoniemen.toml): English questions find the Dutch words.
    synonyms = build([p.text for p in passages], read_file(CORPUS / SYNONYMS_FILE))
    return ExtractiveAnswerer(catalog=Catalog.build(docs, passages, synonyms))


def test_a_question_that_points_back_at_nothing_asks_what_it_means(answerer: ExtractiveAnswerer) -> None:
    """Trial 53: "Wie betaalt dat?" after 'nieuw' was answered with whatever came up; with its earlier question
    in front (as the chat asks a follow-up) it is answered."""
    answer = answerer.answer("Wie betaalt dat?", [DECISION, PLANNING])
    assert answer.refused and answer.missing == "onderwerp" and not answer.closest
    assert answer.text.startswith("Waar verwijst 'dat' naar?")
    assert "Waar verwijst" not in answerer.answer("Wat kost de regiovisie? Wie betaalt dat?", [DECISION]).text


def test_a_yes_no_question_about_a_names_compound_needs_what_it_says_of_the_name() -> None:
    """Trial 49: "Heeft Texel een eigen Veilig Thuis-vestiging?" was answered with the glossary entry for Veilig
    Thuis: "vestiging" is what the question says of the name, and a glossary entry is no exception for yes/no."""
    text = "Veilig Thuis\nVeilig Thuis is het advies- en meldpunt huiselijk geweld."
    entry = passage(NHN, text, 0, "Begrippenlijst > Veilig Thuis", form="term")
    branch = passage(NHN, "Veilig Thuis heeft een vestiging in Alkmaar en een in Hoorn.", 400)
    answerer = ExtractiveAnswerer(catalog=Catalog.build({NHN.doc: NHN}, [entry, branch]))
    assert answerer.answer("Heeft Veilig Thuis een eigen Veilig Thuis-vestiging?", [entry]).refused
    assert not answerer.answer("Heeft Veilig Thuis een eigen Veilig Thuis-vestiging?", [entry, branch]).refused


def test_a_date_question_prefers_the_date_of_the_event_it_asks() -> None:
    """Trial 53: "Wanneer heeft de gemeenteraad van Alkmaar de regiovisie vastgesteld?" quoted when the concept was
    written (it names Alkmaar and the gemeenteraad); a sentence with the date it was adopted ("vastgesteld") gets
    ``Weights.event``, another date does not."""
    asked = analyze("Wanneer heeft de gemeenteraad van Alkmaar de regiovisie vastgesteld?")
    text = (
        "Interviews met de gemeenteraad van Alkmaar over de regiovisie (augustus en september 2019). "
        "In december 2020 is de regiovisie vastgesteld door alle raden in Noord-Holland Noord."
    )
    written, adopted = ev.candidates([passage(NHN, text, 0)])
    terms = ev.stems(asked.text)

    def gain(candidate: ev.Candidate) -> float:
        without = replace(ev.WEIGHTS, event=0.0)
        return ev.score(asked, terms, candidate).score - ev.score(asked, terms, candidate, without).score

    assert gain(adopted) == pytest.approx(ev.WEIGHTS.event) and gain(written) == 0.0


def test_a_sentence_that_goes_on_from_a_quoted_one_comes_before_other_candidates() -> None:
    """Blind batch 12 (calibration): what Veilig Thuis does with what the family tells in the first conversation was
    answered by that conversation and another sentence naming Veilig Thuis, not by "Deze informatie wordt
    meegenomen in de veiligheidsbeoordeling", which goes on from the quoted sentence and says it."""
    text = (
        "Als eerste spreekt Veilig Thuis na een melding met het gezin over wat er speelt. "
        "Deze informatie wordt meegenomen in de veiligheidsbeoordeling."
    )
    first = passage(AA, text, 0)
    # a little closer to the question as a whole than the sentence that goes on, but less than the first
    other = passage(AA, "Veilig Thuis voert na een melding een gesprek over mensenhandel.", 500, dense=0.9)
    answerer = ExtractiveAnswerer(catalog=Catalog.build({AA.doc: AA}, [first, other]), max_sentences=2)
    question = "Wat gebeurt er met wat het gezin vertelt in het eerste gesprek met Veilig Thuis na een melding?"
    answer = answerer.answer(question, [first, other])
    assert "Deze informatie wordt meegenomen in de veiligheidsbeoordeling." in answer.text
    assert "mensenhandel" not in answer.text


def test_a_place_the_documents_do_not_cover_is_refused_and_named(answerer: ExtractiveAnswerer) -> None:
    answer = answerer.answer("Hoeveel meldingen kreeg Veilig Thuis in Amsterdam in 2023?", [AA_FIGURES, FIGURES])
    assert answer.refused and answer.missing == "plaats"
    assert answer.text.startswith("Over Amsterdam staat niets in de documenten; wel over ")
    assert "Arnhem-Achterhoek" in answer.text and answer.text.endswith(CLOSEST)
    assert answer.closest == [AA_FIGURES, FIGURES] and not answer.citations


def test_a_place_in_the_documents_metadata_counts(answerer: ExtractiveAnswerer) -> None:
    answer = answerer.answer("Hoeveel meldingen kreeg Veilig Thuis in Zevenaar in 2023?", [AA_FIGURES, FIGURES])
    assert not answer.refused
    assert "6.251 meldingen" in answer.text and "4445" not in answer.text


def test_another_years_figures_are_not_given(answerer: ExtractiveAnswerer) -> None:
    answer = answerer.answer("Hoeveel meldingen kreeg Veilig Thuis Noord-Holland Noord in 2023?", [FIGURES, AA_FIGURES])
    assert answer.refused and answer.missing == "jaar"
    assert answer.text.startswith("Cijfers over 2023 voor Noord-Holland Noord staan niet in de documenten")
    assert "2020 [1]" in answer.text


def test_a_contact_detail_the_documents_lack_is_named(answerer: ExtractiveAnswerer) -> None:
    answer = answerer.answer("Wat is het telefoonnummer van Veilig Thuis?", [VT, AA_FIGURES])
    assert answer.refused and answer.missing == "contact"
    assert answer.text.startswith("De documenten noemen geen telefoonnummer van Veilig Thuis.")


def test_an_answer_names_its_scope_and_cites_what_it_quotes(answerer: ExtractiveAnswerer) -> None:
    answer = answerer.answer("Kan ik Veilig Thuis 's nachts bellen?", [VT, FIGURES])
    assert not answer.refused
    assert answer.text.startswith("Volgens Regiovisie Samen Veilig (Arnhem-Achterhoek, 2024-2028): ")
    assert "Veilig Thuis is 24/7 bereikbaar. [1]" in answer.text
    assert {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)} == {c.n for c in answer.citations}
    assert junk_in(answer.text, [c.passage.section for c in answer.citations]) == []


def test_a_decision_question_quotes_the_proposed_decision_from_the_catalog(answerer: ExtractiveAnswerer) -> None:
    # The decision passage is not among the retrieved ones; the raadsvoorstel is.
    answer = answerer.answer("Wat wordt de raad van Heiloo gevraagd te besluiten?", [PLANNING, FIGURES])
    assert not answer.refused
    assert "vast te stellen en in plaats te laten treden" in answer.text
    assert "Geheimhouding" not in answer.text


def test_a_decision_in_parts_is_quoted_whole_over_the_passages_it_runs_into() -> None:
    almere = DocumentMeta("almere.pdf", "Stevige Lokale Teams", "raadsvoorstel", "Almere", "2026", ("Almere",))
    heading = "Voorstel aan de raad > Voorgesteld raadsbesluit"
    first = passage(
        almere,
        "Voorgesteld raadsbesluit\n1. De teams te starten op basis van de volgende uitgangspunten:\n"
        "a. één stedelijk kader;\nb. één team per wijk.\n2. Het college opdracht te geven om:\n"
        "a. de wijkteams mee te nemen;",
        0,
        heading,
    )
    second = passage(
        almere, "b. in 2026 te starten in twee wijken.\n3. De begrotingswijziging vast te stellen.", 400, heading
    )
    after = passage(
        almere, "Aanleiding\nDe gemeente wil de jeugdhulp dichterbij brengen.", 600, "Voorstel aan de raad > Aanleiding"
    )
    answerer = ExtractiveAnswerer(catalog=Catalog.build({"almere.pdf": almere}, [first, second, after]))
    answer = answerer.answer("Wat wordt de raad van Almere gevraagd te besluiten?", [after])
    assert not answer.refused
    for part in (
        "1. De teams te starten",
        "a. één stedelijk kader;",
        "2. Het college opdracht",
        "b. in 2026 te starten",
    ):
        assert part in answer.text
    assert "3. De begrotingswijziging vast te stellen. [2]" in answer.text  # each part cites its own passage
    assert [c.passage for c in answer.citations] == [first, second] and "dichterbij" not in answer.text


def test_a_question_who_a_body_is_made_of_quotes_its_members() -> None:
    zvh = passage(
        AA,
        "In het Zorg- en Veiligheidshuis werken ketenpartners samen aan de veiligheid in de regio. "
        "In het Zorg- en Veiligheidshuis worden complexe casussen besproken met partners vanuit zorg en veiligheid. "
        "Het Zorg- en Veiligheidshuis neemt de regie op het maken van een plan van aanpak. "
        "Deelnemers zijn Openbaar Ministerie, Politie, Reclassering, Veilig Thuis, GGD en woningcorporaties.",
        0,
        "Overlegvormen > Zorg- en Veiligheidshuis",
    )
    answerer = ExtractiveAnswerer(catalog=Catalog.build({"aa.txt": AA}, [zvh]))
    answer = answerer.answer("Wie zitten er in het Zorg- en Veiligheidshuis?", [zvh])
    assert not answer.refused and "Deelnemers zijn Openbaar Ministerie" in answer.text


def test_an_english_question_is_answered_in_dutch_with_a_note(answerer: ExtractiveAnswerer) -> None:
    answer = answerer.answer("How many reports did Veilig Thuis receive in Noord-Holland Noord in 2020?", [FIGURES])
    assert not answer.refused
    assert "4445 meldingen" in answer.text and answer.note == ENGLISH_NOTE


def test_a_collection_question_is_answered_from_the_metadata(answerer: ExtractiveAnswerer) -> None:
    answer = answerer.answer("Welke documenten gaan over Zevenaar?", [FIGURES])
    assert not answer.refused
    assert "Regiovisie Samen Veilig" in answer.text and "Regiovisie NHN" not in answer.text


def test_which_municipalities_a_region_has_is_answered_from_the_metadata_saying_so(
    answerer: ExtractiveAnswerer,
) -> None:
    answer = answerer.answer("Welke gemeenten vallen onder Arnhem-Achterhoek?", [FIGURES])
    assert not answer.refused and "metadata.toml, niet de tekst zelf" in answer.text
    assert all(place in answer.text for place in AA.places) and "Heiloo" not in answer.text
    assert analyze("Which municipalities are part of Arnhem-Achterhoek?").about_places
    assert not analyze("Welke gemeenten betalen mee aan de regiovisie?").about_places
    assert analyze("Which municipalities are in Noord-Holland Noord?").about_places
    assert not analyze("Which municipalities are central municipalities in Arnhem-Achterhoek?").about_places
    # a region without metadata: a passage that names it says nothing about its municipalities
    named = passage(NHN, "Er zijn mooie initiatieven zoals Allen voor één in Zaanstreek Waterland.", 900)
    other = answerer.answer("Welke gemeenten vallen onder Zaanstreek Waterland?", [named])
    assert other.refused and other.text.startswith("De documenten noemen niet welke gemeenten onder Zaanstreek")


def test_scope_line_says_when_a_document_is_not_current() -> None:
    old = DocumentMeta("old.txt", "Visie 2014", status="vervallen", replaced_by="nhn.txt")
    line = scope_line(passage(old, "Tekst.", 0), old)
    assert line == "Volgens Visie 2014 — let op: dit document is vervallen en vervangen door nhn.txt"
    concept = DocumentMeta("c.txt", "Plan", region="Arnhem-Achterhoek", status="concept")
    assert "concept" in scope_line(passage(concept, "Tekst.", 0), concept)


def test_junk_check_of_the_evaluation_is_independent() -> None:
    assert junk_in("Dit is als volgt tot stand gekomen: [1]") == ["dubbele punt"]
    assert junk_in("Actie Hoofdverantwoordelijke Aanjager Planning Status [1]") == ["tabelkop"]
    assert junk_in("Hoogachtend, burgemeester en wethouders [1]") == ["aanhef"]
    assert junk_in("Monitoring [1]", ["Inleiding > Monitoring"]) == ["kop"]
    assert junk_in("Over Zevenaar gaan deze documenten:\n- Regiovisie") == []
    assert junk_in("VRAAGSTUK INFODELING [1]") == ["kop"]
    assert junk_in("Zij kwamen via de POH GGZ of het buurtlokaal binnen. [1]") == []  # acronyms, no heading


def test_focus_words_and_roles() -> None:
    from kennisbank.answering.refusal import meets_names

    kinderen = analyze("Hoeveel kinderen verblijven in de opvang?")
    assert not has_focus(kinderen, "In 2020 waren er 4445 meldingen van kindermishandeling.")
    assert has_focus(kinderen, "Er verbleven 40 kinderen in de opvang.")
    assert has_focus(analyze("Hoeveel crisisopvangtrajecten bood Moviera?"), "Moviera had 127 crisisopvang trajecten.")
    # A verb after "hoeveel" counts nothing; "hoeveel van de meldingen" counts the meldingen.
    assert analyze("Hoeveel wil de GGD ten laste van de reserve brengen?").focus == ""
    assert analyze("Hoeveel van de meldingen kwamen van de politie?").focus == "meldingen"
    mayor = analyze("Wie is de burgemeester van Wassenaar?")
    assert has_focus(mayor, "Aanwezigen Burgemeester L. de Lange, wethouders Jansen en De Vries.")  # initials
    director = analyze("Wie is de directeur van Moviera?")
    assert not has_focus(director, "De directeur van Moviera is verantwoordelijk voor de opvang.")
    assert has_focus(director, "De directeur, Jansen, leidt Moviera.") or has_focus(director, "Directeur: Jansen.")
    members = analyze("Wie zijn de deelnemers van het Zorg- en Veiligheidshuis?")
    assert has_focus(members, "Deelnemers zijn Openbaar Ministerie, Politie en RvdK.")
    law = analyze("Op welke datum treedt de Wet gegevensdeling samenwerkingsverbanden in werking?")
    assert not meets_names(
        law, passage(NHN, "Met ingang van 1 januari 2020 treedt de Wet verplichte ggz in werking.", 0)
    )
    assert meets_names(law, passage(NHN, "De Wet gegevensdeling samenwerkingsverbanden is in ontwikkeling.", 0))
    sent = analyze("Wanneer zijn de Kamervragen van Crijns ingezonden?")
    letter = passage(NHN, "Vragen van het lid Crijns (ingezonden 15 augustus 2024).", 0)
    assert not meets_names(sent, letter) and meets_names(sent, letter, "kamervragen")  # the document's kind
    reserve = analyze("Hoeveel brengt de GGD ten laste van de egalisatiereserve?")
    bundle = DocumentMeta("ggd-flevoland-vergaderbundel-2024.pdf", "Bundel Algemeen Bestuur", "vergaderstukken")
    row = passage(bundle, "Voorgesteld wordt € 185 (x 1.000) ten laste van de egalisatiereserve te brengen.", 0)
    assert meets_names(reserve, row)  # the file name names the organisation whose document it is
    assert not meets_names(reserve, passage(NHN, row.text, 0))


# --- rules added with the blind calibration items (qa-210 ...) -------------------------------------


def test_a_row_of_numbers_is_no_quotable_sentence() -> None:
    assert ev.junk("Reserve GGD Algemeen 3.462 -258 3.203 -630 2.574 -26 2.548") == "tabel"
    assert ev.junk("In 2020 waren er 4445 meldingen bij Veilig Thuis.") == ""


def test_a_list_cut_by_chunking_goes_on_in_the_next_passage() -> None:
    first = passage(AA, "Gecertificeerde instellingen in onze regio:\n\n• Jeugdbescherming Gelderland: gezinnen", 0)
    second = passage(AA, "• William Schrikker: kinderen met een beperking\n\n• Nidos: alleenstaande minderjarigen", 90)
    found = ev.candidates([first], {first.id: second})
    assert [c.items for c in found if c.items] == [
        (
            "• Jeugdbescherming Gelderland: gezinnen",
            "• William Schrikker: kinderen met een beperking",
            "• Nidos: alleenstaande minderjarigen",
        )
    ]


def test_a_kamervraag_passage_quotes_only_its_answer() -> None:
    text = (
        "Vraag 2\nKunt u de oorzaken uitleggen? Zo ja, graag een gedetailleerde toelichting.\n"
        "Antwoord 2\nDe winstmarge daalt door stijgende personeelslasten."
    )
    pair = passage(NHN, text, 0, section="Vraag 2", form="qa")
    assert [c.text for c in ev.candidates([pair])] == ["De winstmarge daalt door stijgende personeelslasten."]


def test_a_sentence_that_continues_a_date_or_refers_back_inherits_its_score() -> None:
    text = (
        "In 2019 is gestart met het programma, het programma loopt tot 2022. "
        "In september 2022 is bekend gemaakt dat het programma wordt verlengd tot 2023. "
        "De financiering hiervoor komt uit het IMV-budget."
    )
    question = analyze("Tot wanneer loopt het programma?")
    terms = ev.stems(question.text)
    found = [ev.score(question, terms, c) for c in ev.candidates([passage(NHN, text, 0)])]
    inherited = ev.inherit(found, question)
    assert inherited[1].score == pytest.approx(0.9 * found[0].score)  # continues "programma" with a date
    assert inherited[2].score == pytest.approx(max(found[2].score, 0.9 * found[1].score))  # "hiervoor" refers back
    assert ev._ANAPHOR.match("Concreet betekent dat: praten met de ouders.")
    assert not ev._ANAPHOR.match("De gemeente betaalt de training.")


def test_a_list_answer_cites_the_page_of_the_item_that_answers() -> None:
    text = "De raad voor te stellen:\n1. Te kiezen voor positie 2;\n2. In de kadernota 2026 €100.000 op te nemen."
    listed = passage(NHN, text, 0, page=1, page_breaks=((text.index("2. In"), 2),))
    question = analyze("Hoeveel geld wordt er in de kadernota gereserveerd?")
    best = ev.score(question, ev.stems(question.text), ev.candidates([listed])[0])
    assert best.anchor == "2. In de kadernota 2026 €100.000 op te nemen."
    assert Citation(1, listed, (best.text,), best.anchor).page == 2
    assert Citation(1, listed, (best.text,)).page == 1


def test_a_year_in_a_document_name_is_no_period() -> None:
    from kennisbank.answering.refusal import names_document

    title = "Verordening jeugdhulp gemeente Groningen 2026"
    question = analyze("Op welke datum is de verordening jeugdhulp 2026 vastgesteld?")
    signed = passage(DocumentMeta("v.pdf", title), "Aldus besloten in de raadsvergadering van 17 december 2025", 0)
    assert meets_years(question, signed)
    assert not names_document("Hoeveel meldingen waren er in 2026?", "2026", title)
    assert not meets_years(analyze("Hoeveel meldingen waren er in 2023?"), signed)


def test_a_year_that_dates_the_document_asked_about_is_met_by_that_documents_period() -> None:
    """Trial 53: "volgens de voortgangsbrief van april 2026" was refused as "geen aantal over april 2026": the
    letter of 2026 states its figure without repeating its year. An event's date stays a fact to be found."""
    text = "Inmiddels zijn 287 van de 445 acties uit 2022 af."  # a year of its own: not an undated passage
    letter = passage(DocumentMeta("brief.pdf", "Voortgang IZA", period="2026"), text, 0)
    older = passage(DocumentMeta("oud.pdf", "Voortgang IZA", period="2025"), text, 0)
    asked = analyze("Hoeveel acties zijn volgens de voortgangsbrief van april 2026 afgerond?")
    assert meets_years(asked, letter) and not meets_years(asked, older)
    assert not meets_years(analyze("Hoeveel acties zijn in 2026 afgerond?"), letter)
    assert not meets_years(analyze("Wat besloot de vergadering van 19 maart 2026?"), letter)


def test_a_table_of_figures_by_year_in_running_text_becomes_rows_with_column_names() -> None:
    text = (
        "bedragen x € 1.000\nrealisatie begroting 2024 2025 2026\n"
        "Personeelskosten 51.660 55.990 62.909 Kapitaalslasten 2.262 2.873 3.134 Totaal 75.297"
    )
    assert ev.number_rows(text) == [
        "Personeelskosten: 2024: 51.660; 2025: 55.990; 2026: 62.909 (bedragen x € 1.000).",
        "Kapitaalslasten: 2024: 2.262; 2025: 2.873; 2026: 3.134 (bedragen x € 1.000).",
    ]
    # two tables on one page: each row says which table it is from
    two = (
        "Mutatie inwonerbijdrage per gemeente (x € 1.000) boekjaar (T)\n2026 2027 2028 2029\n"
        "Almere 482 81 90 91 Lelystad 165 30 33 34\nTotale inwonerbijdrage per gemeenten (x € 1.000) boekjaar (T)\n"
        "2026 2027 2028 2029\nAlmere 6.947 7.029 7.118 7.209 Lelystad 2.564 2.594 2.627 2.661"
    )
    assert (
        ev.number_rows(two)[1]
        == "Lelystad (Mutatie inwonerbijdrage per gemeente): 2026: 165; 2027: 30; 2028: 33; 2029: 34 (x € 1.000)."
    )
    assert ev.number_rows(two)[3].startswith("Lelystad (Totale inwonerbijdrage per gemeenten): 2026: 2.564;")
    assert ev.number_rows("In 2020, 2021 en 2022 waren er 10 meldingen.") == []
    question = analyze("Wat zijn de begrote personeelskosten in 2026?")
    table = passage(NHN, text, 0)
    best = max((ev.score(question, ev.stems(question.text), c) for c in ev.candidates([table])), key=lambda c: c.score)
    assert best.text.startswith("Personeelskosten: 2024")


def test_a_proposed_decision_never_ends_in_a_lead_in_without_its_list() -> None:
    from kennisbank.answering.extractive import _without_dangling_lead_in

    decision = "Besluit: 1. De teams te starten. 2. Het college opdracht te geven. 3. In te stemmen met de middelen:"
    assert _without_dangling_lead_in(decision) == "Besluit: 1. De teams te starten. 2. Het college opdracht te geven."
    assert _without_dangling_lead_in("De regiovisie vast te stellen.") == "De regiovisie vast te stellen."
    assert _without_dangling_lead_in("De raad besluit tot het volgende:") == ""


def test_a_quoted_sentence_that_points_back_comes_with_the_sentence_it_points_to() -> None:
    from kennisbank.answering.extractive import _with_antecedents

    text = (
        "Veelvoorkomende criminaliteit als winkeldiefstal vraagt om snelheid. "
        "Daarvoor is de ZSM-aanpak bedoeld, met maatwerk per zaak. "
        "Gemeenten nemen niet deel aan het overleg."
    )
    found = ev.candidates([passage(NHN, text, 0)])
    assert ev.refers_back(found[1].text) and not ev.refers_back(found[0].text)
    assert [c.text for c in _with_antecedents([found[1]], found)] == [found[0].text, found[1].text]
    assert _with_antecedents([found[2]], found) == [found[2]]


def test_a_list_item_that_introduces_a_missing_table_is_left_out() -> None:
    text = "1. De teams te starten.\n2. Het college opdracht te geven.\n3. In te stemmen met de volgende middelen:"
    found = ev.candidates([passage(NHN, text, 0)])
    assert found[0].items == ("1. De teams te starten.", "2. Het college opdracht te geven.")


def test_contents_lines_and_table_captions_are_not_quoted() -> None:
    assert ev.junk("7.2 Het overzicht van baten en lasten 29 7.3 Toelichting op het overzicht 31") == "inhoud"
    assert ev.junk("Investeringsplan jeugd en gezin (bedragen x € 1.000)") == "kop"
    assert ev.junk("In artikel 2.3 staat dat de raad 12 weken heeft om te beslissen.") == ""


def test_a_period_of_years_answers_how_long_and_a_place_met_only_by_metadata_is_said() -> None:
    from kennisbank.answering.extractive import place_note

    assert ev.fits(analyze("Hoe lang loopt de regiovisie?"), "De regiovisie is herijkt voor de periode 2024-2028.")
    assert not ev.fits(analyze("Hoeveel dagen duurt een huisverbod?"), "Het huisverbod is onderzocht in 2022-2023.")
    assert not ev.fits(analyze("Hoe lang duurt een onderzoek?"), "Uit onderzoek over de periode 2015-2019 blijkt dat.")
    assert not ev.fits(analyze("Hoe lang duurt een huisverbod?"), "Actie: Huisverbod onderzoeken; Planning: 2022-2023.")
    asked = analyze("Hoeveel onderzoeken startte Veilig Thuis in Zevenaar?", ["Zevenaar"])
    regional = passage(AA, "Veilig Thuis startte 393 onderzoeken in de regio.", 0)
    assert place_note(asked, [regional]) == (
        "Zevenaar wordt in deze passages niet apart genoemd; wat er staat geldt voor de regio Arnhem-Achterhoek, "
        "waar Zevenaar onder valt."
    )
    assert place_note(asked, [passage(AA, "In Zevenaar startte Veilig Thuis 40 onderzoeken.", 0)]) == ""
    # a council's own document about the region: its title names the council, its figures are the region's
    zevenaar = DocumentMeta(
        "z.txt",
        "Zevenaar: regiovisie Arnhem-Achterhoek",
        "raadsvoorstel",
        "Arnhem-Achterhoek",
        "2024",
        ("Arnhem", "Zevenaar"),
    )
    figures = passage(zevenaar, "Veilig Thuis ontving 6.251 meldingen.", 0)
    catalog = Catalog.build({zevenaar.doc: zevenaar}, [figures])
    assert place_note(asked, [figures], catalog).startswith("Zevenaar wordt in deze passages niet apart genoemd")
    # ... but its commitments are the council's own
    promise = passage(
        zevenaar, "Portefeuillehouder: Boone; Vraag of toezegging: Wethouder Boone zegt toe ...", 90, form="commitment"
    )
    assert place_note(asked, [promise], Catalog.build({zevenaar.doc: zevenaar}, [promise])) == ""
    own = passage(HEILOO, "De regiovisie kost 2 euro per inwoner.", 0)  # a document about Heiloo alone
    asked = analyze("Wat kost de regiovisie Heiloo?", ["Heiloo"])
    assert place_note(asked, [own], Catalog.build({HEILOO.doc: HEILOO}, [own])) == ""


def test_initials_end_no_sentence() -> None:
    """A list of attendees ("wethouder R. Bloemendaal, ... Y. van Boheemen voor de verslaglegging.") is one
    sentence, so the person in it can be quoted."""
    from kennisbank.text import split_sentences

    attendees = "Burgemeester L. de Lange, wethouder R. Bloemendaal en Y. van Boheemen voor de verslaglegging. Opening."
    assert split_sentences(attendees) == [attendees[:-9], "Opening."]
    assert split_sentences("Dhr. L.A. de Lange opent. Zij stemmen in.") == [
        "Dhr. L.A. de Lange opent.",
        "Zij stemmen in.",
    ]
    # an abbreviation after a bracket ends no sentence either
    assert split_sentences("Partners (o.a. Veilig Thuis) werken samen. Dat gaat goed.") == [
        "Partners (o.a. Veilig Thuis) werken samen.",
        "Dat gaat goed.",
    ]
    # a table row run into the next sentence on one line ends at its last number before a capitalised word
    assert split_sentences("Saldo van baten en lasten 82.524 82.524 0 We baseren de ramingen op cijfers.") == [
        "Saldo van baten en lasten 82.524 82.524 0",
        "We baseren de ramingen op cijfers.",
    ]
    assert split_sentences("Het kost 1.200 euro per jaar. Het gaat om 3 of 4 Veilig Thuis-teams.") == [
        "Het kost 1.200 euro per jaar.",
        "Het gaat om 3 of 4 Veilig Thuis-teams.",
    ]
    # "mw." before a name (pipeline version 25): "Wethouder mw." was quoted as a sentence of its own
    assert split_sentences("Gemeente Almere Wethouder mw. J. de Boer opent. Daarna volgt meer.") == [
        "Gemeente Almere Wethouder mw. J. de Boer opent.",
        "Daarna volgt meer.",
    ]


def test_a_year_refusal_cites_only_a_shown_passage_and_the_earliest_year_for_an_earlier_question() -> None:
    from kennisbank.answering.refusal import year_refusal

    shown = [passage(NHN, f"In {year} waren er 4445 meldingen.", n) for n, year in enumerate(("2020", "2021", "2019"))]
    hidden = passage(NHN, "In 2026 komt er een nieuwe visie.", 3)
    later = year_refusal(analyze("Hoeveel meldingen waren er in 2025?"), [*shown, hidden])
    assert later.endswith("de meest recente in de gevonden passages zijn van 2021 [2].")  # not 2026 [4]: not shown
    earlier = year_refusal(analyze("Hoeveel meldingen waren er in 2015?"), shown)
    assert earlier.endswith("de vroegste in de gevonden passages zijn van 2019 [3].")
    other_region = passage(AA, "In 2026 start de nieuwe aanpak.", 500)
    asked = analyze("Hoeveel meldingen waren er in 2025?")
    assert "2026" not in year_refusal(asked, [other_region, *shown], placed=shown)  # not another region's year


def test_control_characters_and_terminal_escapes_leave_a_question() -> None:
    from kennisbank.knowledgebase import check_question

    raw = "Wie is de burgemeester van \x1b[2J\x1b]0;pwn\x07Heiloo?\x00"
    assert check_question(raw) == "Wie is de burgemeester van Heiloo? "


def test_a_plural_role_is_refused_with_a_plural_verb() -> None:
    from kennisbank.answering.refusal import type_refusal

    assert type_refusal(analyze("Wie zijn de partners van het Zorg- en Veiligheidshuis?")).endswith(" zijn.")
    assert type_refusal(analyze("Wie is de burgemeester van Heiloo?")).endswith(" is.")
    # an English role without a Dutch word in the index is not put into a Dutch sentence ("wie de director is")
    assert type_refusal(analyze("Who is the director of Moviera?")) == "De documenten noemen hierover geen naam."


def test_a_refusal_names_what_the_question_is_about() -> None:
    from kennisbank.answering.refusal import type_refusal

    # the words after the last "in", not those between two prepositions ("over 2021 opgelegd in ...")
    for question, refusal in (
        (
            "Hoeveel tijdelijke huisverboden zijn er in 2021 opgelegd in Noord-Holland Noord?",
            "De documenten noemen geen aantal over Noord-Holland Noord in 2021.",  # the year asked, too
        ),
        (
            "Hoeveel meldingen waren er in 2019 in de regio Arnhem?",
            "De documenten noemen geen aantal over de regio Arnhem in 2019.",
        ),
        (
            "Hoeveel ervaringsdeskundigen zijn er in de regio Arnhem-Achterhoek opgeleid?",
            "De documenten noemen geen aantal over de regio Arnhem-Achterhoek.",
        ),
        (
            "Hoeveel geld trekt Almere in 2028 uit voor Veilig Thuis?",
            "De documenten noemen geen bedrag over Veilig Thuis in 2028.",
        ),
    ):
        assert type_refusal(analyze(question)) == refusal


def test_a_list_is_about_what_its_headings_say() -> None:
    """The ambitions of an action line are bullets under "Eerder en beter in beeld > Ambities" that never repeat
    those words; a sentence listing the action lines by name must not win over them."""
    lines = passage(
        NHN,
        "De visie bestaat uit vier actielijnen: 1. Preventie 2. Eerder en beter in beeld 3. Stoppen 4. Nazorg.",
        0,
        section="Inleiding",
    )
    bullets = "• Professionals kennen signalen van geweld. • Professionals passen de meldcode toe."
    ambitions = passage(NHN, bullets, 200, section="Uitvoeringsprogramma > Eerder en beter in beeld > Ambities")
    answer = answer_over(NHN, [lines, ambitions], "Welke ambities horen bij eerder en beter in beeld?")
    assert "Professionals passen de meldcode toe." in answer.text and "Preventie" not in answer.text


def test_who_holds_a_role_is_answered_from_a_signature() -> None:
    """A raadsvoorstel signed "De heer T.J. Romeyn burgemeester" says who the mayor is; a salutation or a
    signature is still never quoted for another question."""
    signed = passage(
        NHN,
        "Hoogachtend, burgemeester en wethouders van de gemeente Heiloo\n\n"
        "De heer drs. G.H.S. Heemskerk MBA secretaris\n\nDe heer T.J. Romeyn burgemeester",
        0,
        section="12. COMMISSIE BESPREKING / ADVIES",
    )
    assert [(name, role) for name, role, _ in ev.signatures(signed)] == [
        ("De heer drs. G.H.S. Heemskerk MBA", "secretaris"),
        ("De heer T.J. Romeyn", "burgemeester"),
    ]
    answerer = ExtractiveAnswerer(catalog=Catalog.build({"nhn.txt": NHN}, [signed]))
    mayor = answerer.answer("Wie is de burgemeester van de gemeente?", [signed])
    assert not mayor.refused and "De heer T.J. Romeyn burgemeester [1]" in mayor.text
    assert answerer.answer("Wie is de wethouder van de gemeente?", [signed]).refused
    secretary = answerer.answer("Wie is de gemeentesecretaris die het voorstel tekent?", [signed])  # compound
    assert not secretary.refused and "Heemskerk MBA secretaris [1]" in secretary.text
    assert "Hoogachtend" not in answerer.answer("Wat besluit de gemeente?", [signed]).text
    header = passage(NHN, "Locatie De Paauw\nVoorzitter Dhr. L.A. de Lange\nAanwezigen Burgemeester L. de Lange", 300)
    assert ("Dhr. L.A. de Lange", "voorzitter", "Voorzitter Dhr. L.A. de Lange") in ev.signatures(header)
    # a raadsvoorstel's two-column header: the label, then the name (initials only) on the next line
    almere = DocumentMeta("almere-raadsvoorstel.pdf", "Stevige Lokale Teams", "raadsvoorstel", "Almere", "2026")
    cover = passage(
        almere, "Portefeuillehouder\n\nN.M. Nieuwenhuizen\n\nSteller\n\nM.E. Knook\n\nDatum\n\n1 februari 2026", 0
    )
    assert [(name, role) for name, role, _ in ev.signatures(cover)] == [
        ("N.M. Nieuwenhuizen", "portefeuillehouder"),
        ("M.E. Knook", "steller"),
    ]
    holder = answer_over(almere, [cover], "Wie is de portefeuillehouder van dit raadsvoorstel?")
    assert not holder.refused and "Portefeuillehouder N.M. Nieuwenhuizen [1]" in holder.text


def test_a_table_by_municipality_gives_the_row_of_the_place_asked() -> None:
    flevoland = DocumentMeta("ggd.pdf", "Begroting", "begroting", "Flevoland", "2026", ("Almere", "Lelystad"))
    table = passage(
        flevoland,
        "Totale inwonerbijdrage per gemeenten (x € 1.000)\n2026 2027 2028 2029\n"
        "Almere 6.947 7.029 7.118 7.209 Lelystad 2.564 2.594 2.627 2.661",
        0,
    )
    answer = answer_over(flevoland, [table], "Hoeveel inwonerbijdrage betaalt Lelystad in 2028?")
    assert "Lelystad (Totale inwonerbijdrage per gemeenten): 2026: 2.564" in answer.text
    assert "Almere" not in answer.text
    ruled = passage(
        flevoland,
        "Almere — Aantal inwoners: 229.570; Inwonerbijdrage per gemeente (x € 1.000): 6.947\n"
        "Lelystad — Aantal inwoners: 84.722; Inwonerbijdrage per gemeente (x € 1.000): 2.564",
        300,
    )
    answer = answer_over(flevoland, [ruled], "Hoeveel inwoners heeft Lelystad?")
    assert "84.722" in answer.text and "229.570" not in answer.text


def test_a_list_inside_one_sentence_is_a_list_and_the_one_that_says_its_size_is_chosen() -> None:
    """ "De volgende vier principes vormen de basis: (1) ..., (4) ..." is a list of four; for "the four
    principles" it goes before another passage's list that merely has four bullets."""
    principles = (
        "De volgende vier principes vormen de basis: (1) gezinsgericht, (2) transparant, (3) eenvoudig en (4) lerend."
    )
    assert ev.inline_items(principles) == ("gezinsgericht", "transparant", "eenvoudig", "lerend")
    assert ev.inline_items("Zie (2) en (1) hieronder.") == ()  # not numbered in order
    bullets = passage(
        AA,
        "Principes van de gezinsbescherming in de instellingen:\n• Jeugdbescherming Gelderland\n"
        "• William Schrikker\n• Leger des Heils\n• Nidos",
        0,
        dense=0.99,
    )
    scenario = passage(AA, f"Het Toekomstscenario schetst een nieuwe opzet. {principles}", 400, dense=0.88)
    answer = answer_over(AA, [bullets, scenario], "Wat zijn de vier principes van de gezinsbescherming?")
    assert "(1) gezinsgericht" in answer.text and "Nidos" not in answer.text


def test_a_refusal_names_the_subject_without_the_questions_closing_verb() -> None:
    from kennisbank.answering.refusal import subject, type_refusal

    asked = analyze("Op welke website kan ik de film over een melding bij Veilig Thuis terugkijken?")
    assert type_refusal(asked) == "De documenten noemen geen website van Veilig Thuis."
    asked = analyze("Hoeveel crisisopvangtrajecten rondde Moviera in 2021 af?")  # a year, then a verb's particle
    assert type_refusal(asked) == "De documenten noemen geen aantal over 2021."
    asked = analyze("Wat is het telefoonnummer van het Almeerse schakelteam?")  # a place adjective, then its noun
    assert type_refusal(asked) == "De documenten noemen geen telefoonnummer van het Almeerse schakelteam."
    asked = analyze("Uit welk potje wordt de cursus over het delen van informatie betaald?")  # a closing participle
    assert type_refusal(asked) == "De documenten noemen geen bedrag over informatie."
    asked = analyze("Wat zijn de kosten van het Almeerse beleid?")  # "beleid" looks like a participle, and is none
    assert subject(asked) == "het Almeerse beleid"


def test_a_place_the_documents_mention_elsewhere_is_not_said_to_be_absent() -> None:
    from kennisbank.answering.refusal import place_refusal

    catalog = Catalog.build({"nhn.txt": NHN, "aa.txt": AA}, [FIGURES, AA_FIGURES])
    assert place_refusal(("Heiloo",), catalog) == (
        "De gevonden passages gaan niet over Heiloo; Heiloo komt in de documenten wel voor, "
        "maar niet bij dit onderwerp."
    )
    assert place_refusal(("Oss",), catalog).startswith("Over Oss staat niets in de documenten; wel over ")
    # trial 55: "Assen" is also the plural of "as"; a passage about "de assen van het beleid" does not name Assen
    axes = passage(NHN, "De twee assen van het beleid zijn preventie en aanpak.", 900)
    catalog = Catalog.build({"nhn.txt": NHN, "aa.txt": AA}, [FIGURES, AA_FIGURES, axes])
    assert place_refusal(("Assen",), catalog).startswith("Over Assen staat niets in de documenten; wel over ")


def test_one_fact_asked_of_a_list_quotes_its_item_with_the_lead_in() -> None:
    facts = passage(
        AA,
        "Enkele feiten op een rij, gebaseerd op cijfers uit 2023:\n"
        "• Veilig Thuis ontving 6.251 meldingen van huiselijk geweld\n"
        "• Moviera heeft 127 crisisopvang trajecten afgerond\n"
        "• Ongeveer 30% van de meldingen gaat over bekende gezinnen",
        0,
    )
    answer = answer_over(AA, [facts], "Hoeveel crisisopvang trajecten heeft Moviera in 2023 afgerond?")
    # the item after the lead-in, with " … " where the items between them are left out
    assert "gebaseerd op cijfers uit 2023: … • Moviera heeft 127 crisisopvang trajecten afgerond" in answer.text
    assert "6.251" not in answer.text
    assert quote_spans(facts.text, answer.citations[0].quoted) == [  # the viewer still finds both pieces
        (0, facts.text.index(":") + 1),
        (facts.text.index("• Moviera"), facts.text.index(" afgerond") + len(" afgerond")),
    ]


def test_the_topic_is_judged_on_every_placed_passage_and_the_year_picks_what_is_quoted() -> None:
    # "uit 2014" names which visie; the passage that says 2014 is less like the question than the one about
    # the visie in general, and on its own would not pass the evidence gate (dense 0.81 < 0.83)
    general = passage(NHN, "Deze regiovisie verschilt van de oude visie door de vier uitgangspunten.", 0, dense=0.88)
    old = passage(
        NHN, "De visie uit 2014 was gericht op de decentralisatie en de oprichting van Veilig Thuis.", 200, dense=0.81
    )
    answer = answer_over(NHN, [general, old], "Waar ging de oude visie uit 2014 vooral over?")
    assert not answer.refused
    assert "gericht op de decentralisatie" in answer.text
    assert "vier uitgangspunten" not in answer.text  # the other passage does not say 2014


def test_a_numbered_item_goes_on_over_a_sentence_without_marker_up_to_the_next_number() -> None:
    following = [
        "3. Concept opgesteld (augustus 2019).",
        "4. Focusgroepen voor beleidsambtenaren en managers.",
        "Ervaringsdeskundigen zijn gevraagd om input te geven (november 2019).",
        "5. Afstemming op bestuurlijk niveau.",
        "Daarna volgt de vaststelling.",  # no number 6 follows: the list has ended
    ]
    items = ev.list_after(following)
    assert items == [
        "3. Concept opgesteld (augustus 2019).",
        "4. Focusgroepen voor beleidsambtenaren en managers. Ervaringsdeskundigen zijn gevraagd om input te geven "
        "(november 2019).",
        "5. Afstemming op bestuurlijk niveau.",
    ]
    assert ev.list_after(["• Eerste punt.", "Een gewone zin.", "• Tweede punt."]) == ["• Eerste punt."]  # bullets: no
    asked = analyze("In welke maand zaten managers in focusgroepen?")
    terms = ev.stems(asked.text)
    lead = "Het doorlopen traject:"
    text = " ".join([lead, *items])
    candidate = ev.Candidate(0, 0, text, passage(NHN, text, 0), tuple(items))
    assert "november 2019" in ev.anchor(asked, terms, candidate)


def test_a_list_gives_a_reason_only_in_its_lead_in() -> None:
    asked = analyze("Waarom moet de gemeente een regiovisie vaststellen?")
    terms = ev.stems(asked.text)
    items = ("1. Interviews om input te verzamelen over de regiovisie.", "2. Focusgroepen met gemeenten.")
    listed = " ".join(["Het traject:", *items])
    because = "Het vaststellen van een regiovisie is een afspraak van de VNG, omdat elke regio een visie moet hebben."
    scored = [
        ev.score(asked, terms, ev.Candidate(0, 0, listed, passage(NHN, listed, 0), items)),
        ev.score(asked, terms, ev.Candidate(1, 0, because, passage(NHN, because, 500))),
    ]
    assert max(scored, key=lambda c: c.score).text == because


def test_a_what_does_question_is_answered_by_a_sentence_that_names_who_acts() -> None:
    law = passage(NHN, "De regiovisie werkt de wet publieke gezondheid en de Jeugdwet uit voor de aanpak.", 0)
    answer = answer_over(NHN, [law], "Wat doet de GGD bij de aanpak van huiselijk geweld?")
    assert answer.refused  # no sentence says what the GGD does
    entry = passage(NHN, "Het advies- en meldpunt voor huiselijk geweld.", 200, "Begrippen > Veilig Thuis", form="term")
    answer = answer_over(NHN, [law, entry], "Wat doet Veilig Thuis bij de aanpak?")
    assert not answer.refused and "advies- en meldpunt" in answer.text  # a glossary entry need not repeat its term


def test_who_signed_a_letter_is_answered_from_its_closing_block() -> None:
    letter = passage(
        NHN,
        "Hiervoor zal aandacht zijn in de rapportage.\n\nHoogachtend,\n\nde minister van Volksgezondheid, de minister "
        "van Langdurige Zorg, Welzijn en Sport, Jeugd en Sport,\n\nSophie Hermans Mirjam Sterk\n\nPagina 7 van 7",
        0,
        section="Tot slot",
    )
    assert ev.closing(letter).endswith("Jeugd en Sport, Sophie Hermans Mirjam Sterk")
    unsigned = passage(NHN, "Hoogachtend,\n\nde Minister van Volksgezondheid, Welzijn en Sport, namens deze,", 400)
    assert ev.closing(unsigned) == ""  # roles only: nobody is named
    cut = passage(NHN, "Met vriendelijke groet,\nL. Hillebregt S. Kukenheim Voorzitter secretaris\nPostbus 1120", 600)
    assert ev.closing(cut) == "L. Hillebregt S. Kukenheim Voorzitter secretaris"
    body = passage(NHN, "De ministers Hermans en Sterk sturen de Kamer jaarlijks een rapportage.", 900)
    answer = answer_over(NHN, [body, letter], "Welke ministers hebben de voortgangsbrief ondertekend?")
    assert not answer.refused and answer.text.endswith("Sophie Hermans Mirjam Sterk [1]")
    assert "jaarlijks" not in answer.text


def test_a_council_decision_signed_side_by_side_names_each_signer_with_their_role() -> None:
    """A raadsbesluit ends "De raad voornoemd, De griffier, De voorzitter," over two names on one line: who signed
    is that block; who the griffier is, the first name."""
    signed = passage(
        NHN,
        "4. De begrotingswijziging vast te stellen.\n\nAlmere,\n\nDe raad voornoemd,\n\n"
        "De griffier, De voorzitter,\n\nG.J. Broer W.H.J.M. van der Loo",
        0,
        section="Raadsbesluit",
    )
    assert [(name, role) for name, role, _ in ev.signatures(signed)] == [
        ("G.J. Broer", "griffier"),
        ("W.H.J.M. van der Loo", "voorzitter"),
    ]
    answerer = ExtractiveAnswerer(catalog=Catalog.build({NHN.doc: NHN}, [signed]))
    both = answerer.answer("Wie hebben het raadsbesluit ondertekend?", [signed])
    assert not both.refused and "G.J. Broer W.H.J.M. van der Loo [1]" in both.text and "begroting" not in both.text
    clerk = answerer.answer("Wie is de griffier?", [signed])
    assert not clerk.refused and "De griffier G.J. Broer [1]" in clerk.text and "van der Loo" not in clerk.text


def test_a_role_is_answered_from_the_documents_header_and_a_portefeuillehouder_is_the_wethouder() -> None:
    """ "Welke wethouder is verantwoordelijk voor het raadsvoorstel?": its header names the "Portefeuillehouder" on
    the first page, which retrieval did not return; "Portefeuillehouder: Van Riswijk" names a person too."""
    header = passage(NHN, "Beleidsveld\nJeugd en gezin\nPortefeuillehouder\nN.M. Nieuwenhuizen\nSteller\nM.E. Knook", 0)
    body = passage(NHN, "Met dit raadsvoorstel leggen wij u de uitgangspunten voor de lokale teams voor.", 300)
    answerer = ExtractiveAnswerer(catalog=Catalog.build({NHN.doc: NHN}, [header, body]))
    answer = answerer.answer("Welke wethouder is verantwoordelijk voor het raadsvoorstel over de lokale teams?", [body])
    assert not answer.refused and "Portefeuillehouder N.M. Nieuwenhuizen [1]" in answer.text
    assert answerer.answer("Wie is de burgemeester die het raadsvoorstel indient?", [body]).refused
    asked = analyze("Welke portefeuillehouder ging over de vragen van D66?")
    assert has_focus(asked, "Commissie: Middelen; Portefeuillehouder: Van Riswijk; Onderwerp: Rondvraag")
    assert not has_focus(asked, "De portefeuillehouder heeft dit toegezegd aan de raad.")


def test_a_signing_question_as_a_role_takes_the_closing_block_that_names_the_role() -> None:
    """ "Wie ondertekende als voorzitter ...?" in a bundle of letters: the chair's letter, not the first one."""
    other = passage(NHN, "Hoogachtend,\nMari Louise de Wilde\nafdelingsmanager Zorg & Welzijn", 0)
    assert ev.closing(other)  # a closing block, but not the chair's
    chair = passage(NHN, "Met vriendelijke groet,\nL. Hillebregt S. Kukenheim Voorzitter secretaris\nPostbus 1120", 300)
    answer = answer_over(NHN, [other, chair], "Wie ondertekende als voorzitter de reactie van de GGD?")
    assert not answer.refused and "L. Hillebregt" in answer.text and "de Wilde" not in answer.text


def test_a_signing_question_takes_the_role_it_names_from_a_signature_behind_the_passages_found() -> None:
    """ "Welke burgemeester heeft ... ondertekend?": the signature sits in the document's last passage, which
    retrieval did not return; its signer is quoted, not the whole closing block with its salutation."""
    body = passage(NHN, "Het college stelt de raad voor de regiovisie vast te stellen.", 0)
    signed = passage(
        NHN,
        "Hoogachtend, burgemeester en wethouders van de gemeente Heiloo\n\n"
        "De heer drs. G.H.S. Heemskerk MBA secretaris\n\nDe heer T.J. Romeyn burgemeester",
        300,
    )
    answerer = ExtractiveAnswerer(catalog=Catalog.build({NHN.doc: NHN}, [body, signed]))
    answer = answerer.answer("Welke burgemeester heeft het raadsvoorstel ondertekend?", [body])
    assert not answer.refused and "De heer T.J. Romeyn burgemeester [1]" in answer.text
    assert "Hoogachtend" not in answer.text


def test_a_split_pronominal_adverb_at_the_start_refers_back() -> None:
    assert ev.refers_back("Hier hebben we de projectenpool voor ingezet.")
    assert ev.refers_back("Daar zijn twee redenen voor.")
    assert not ev.refers_back("Hierna volgt het uitvoeringsprogramma.")  # "hierna" points ahead
    assert ev.refers_back("Gemeenten betalen er voor.")  # "er ... voor": what the sentence before names


def test_when_a_letter_is_dated_is_answered_from_its_header() -> None:
    header = passage(NHN, "Kenmerk 4367005\nDatum 9 april 2026\nBetreft Voortgang IZA", 0)
    body = passage(NHN, "Op 3 maart 2026 sprak de Kamer over het IZA; in 2027 volgt een nieuwe meting.", 100)
    assert ev.date_line(header) == "Datum 9 april 2026"
    assert ev.date_line(passage(NHN, "Datum: 0 9 AUG 2022 Ons kenmerk 3415155", 0)) == "Datum 0 9 AUG 2022"  # OCR
    assert ev.date_line(passage(NHN, "Datum PM", 0)) == ""
    answerer = ExtractiveAnswerer(catalog=Catalog.build({NHN.doc: NHN}, [header, body]))
    for question in ("Wanneer is de kamerbrief over het IZA verstuurd?", "Wat is de datum van de kamerbrief?"):
        answer = answerer.answer(question, [body])
        assert not answer.refused and "Datum 9 april 2026 [1]" in answer.text, question
    assert "3 maart 2026" in answerer.answer("Wanneer sprak de Kamer over het IZA?", [body]).text


def test_a_place_is_covered_by_its_adjective_and_with_a_space_for_its_hyphen() -> None:
    kennemerland = passage(
        NHN, "Enerzijds wordt de verwevenheid van de Kennemerlandse MDA++ als verwarrend ervaren.", 0
    )
    regions = passage(NHN, "Zowel in Noord-Holland Noord als in Zaanstreek Waterland buigen partijen zich erover.", 100)
    catalog = Catalog.build({NHN.doc: NHN}, [kennemerland, regions])
    assert catalog.covers("Kennemerland", kennemerland)
    assert catalog.covers("Zaanstreek-Waterland", regions)
    assert not catalog.covers("Kennemerland", regions)
    # by its abbreviation in the synonyms: "onduidelijkheid in NHN en ZAWA"
    abbreviated = passage(NHN, "Er is veel onduidelijkheid in NHN en ZAWA over het MDCK.", 200)
    groups = [("NHN", "Noord-Holland Noord"), ("ZAWA", "Zaanstreek-Waterland")]
    with_synonyms = Catalog.build({NHN.doc: NHN}, [abbreviated], merge(groups))
    assert with_synonyms.covers("Zaanstreek-Waterland", abbreviated)
    assert with_synonyms.covers("Noord-Holland Noord", abbreviated)
    assert not catalog.covers("Zaanstreek-Waterland", abbreviated)


def test_a_place_named_only_in_a_source_reference_is_not_covered() -> None:
    """ "Verwey Jonker: Utrecht" says where a study appeared; the passage is not about Utrecht."""
    text = (
        "Goede samenwerking is cruciaal voor de aanpak van huiselijk geweld.\n"
        "2 Tierolf, B. (2014) Doorbreken geweldspatroon. Verwey Jonker: Utrecht. Zie: https://www.verwey-jonker.nl"
    )
    cited = passage(HEILOO, text, 0)
    catalog = Catalog.build({HEILOO.doc: HEILOO}, [cited])
    assert not catalog.covers("Utrecht", cited)
    assert catalog.covers("Heiloo", cited)  # the document's own place still counts
    answer = ExtractiveAnswerer(catalog=catalog).answer("Wat is de aanpak van huiselijk geweld in Utrecht?", [cited])
    assert answer.refused and answer.missing == "plaats"


def test_a_literature_list_answers_only_a_question_about_sources() -> None:
    sources = passage(
        NHN,
        "De regie bij lokale teams is beschreven in:\n"
        "• Propositie Toegang: regie voeren (2023) https://vng.nl/sites/default/files/2023-11/toegang.pdf\n"
        "• Regie voeren in het sociaal domein (2021) https://vng.nl/publicaties/regie-voeren",
        0,
        "Literatuurlijst",
    )
    body = passage(NHN, "Regie voeren betekent dat het lokale team toeziet op de hulp en erop aanspreekbaar is.", 400)
    answer = answer_over(NHN, [sources, body], "Wat betekent regie voeren voor de lokale teams?")
    assert not answer.refused and "toeziet op de hulp" in answer.text and "https://" not in answer.text
    answer = answer_over(NHN, [sources, body], "In welke publicaties staat meer over regie voeren?")
    assert not answer.refused and "https://vng.nl" in answer.text
    endnotes = passage(
        NHN,
        "Vereniging van Nederlandse Gemeenten (2023) Regie voeren door lokale teams, een verkenning van de praktijk.",
        800,
        "Bijlage III Belangrijke documenten en literatuurlijst > Literatuurlijst",
    )
    answer = answer_over(NHN, [endnotes, body], "Wat betekent regie voeren voor de lokale teams?")
    assert not answer.refused and "Vereniging van Nederlandse Gemeenten (2023)" not in answer.text
    assert answer_over(NHN, [endnotes], "Wat betekent regie voeren door lokale teams?").refused  # no source asked


def test_a_sentence_that_shares_only_a_piece_of_a_name_is_not_about_it() -> None:
    """ "veiligheid" shares "veilig" with "Veilig Thuis": a monitoring sentence with a duration does not say how
    long Veilig Thuis takes to assess a report."""
    monitoring = passage(NHN, "Door na 3 en 12 maanden te monitoren, tot de veiligheid gewaarborgd is.", 0)
    answer = answer_over(NHN, [monitoring], "Binnen hoeveel tijd moet Veilig Thuis een melding beoordelen?")
    assert answer.refused
    # a sentence that names the name in part, by its words, is about it
    partly = passage(AA, "Samen Veilig Arnhem-Achterhoek is de regiovisie. Samen Veilig loopt vier jaar.", 100)
    answer = answer_over(AA, [partly], "Hoe lang duurt Samen Veilig Arnhem-Achterhoek?")
    assert not answer.refused and "vier jaar" in answer.text
    named = passage(NHN, "Veilig Thuis beoordeelt een melding binnen 5 werkdagen.", 200)
    answer = answer_over(NHN, [monitoring, named], "Binnen hoeveel tijd moet Veilig Thuis een melding beoordelen?")
    assert not answer.refused and "binnen 5 werkdagen" in answer.text


def test_a_list_of_amounts_whose_lead_in_names_the_subject_is_quoted_whole() -> None:
    """ "Hoeveel geld trekt Almere uit voor de stevige lokale teams?": each item is part of the money, so the answer
    is the list, not the one item that repeats the most question words."""
    asked = analyze("Hoeveel geld trekt Almere uit voor de stevige lokale teams?")
    terms = ev.stems(asked.text)
    lead = "In te stemmen met de inzet van de volgende middelen voor de Stevige Lokale Teams:"
    items = (
        "a. € 800.000 voor de sociale basis;",
        "b. € 1.700.000 voor de toegang van de JGZ Almere;",
        "c. € 300.000 voor extra inzet van Stevige Lokale Teams in twee wijken.",
    )
    text = " ".join([lead, *items])
    candidate = ev.Candidate(0, 0, text, passage(NHN, text, 0), items)
    assert ev.anchor(asked, terms, candidate) == ""  # no one item: the whole list
    asked = analyze("Hoeveel geld gaat naar de toegang van de JGZ Almere?")
    assert ev.anchor(asked, ev.stems(asked.text), candidate) == items[1]  # one item asked: that item


def test_a_sentence_that_gives_the_examples_of_a_quoted_sentence_is_quoted_with_it() -> None:
    text = (
        "Er zijn veel goede voorbeelden van verbindingen tussen wijkteam en huisarts. "
        "Denk aan Welzijn op Recept en Waar is Wally. De teams hebben een vaste contactpersoon."
    )
    answer = answer_over(
        NHN, [passage(NHN, text, 0)], "Welke voorbeelden van verbindingen tussen wijkteam en huisarts zijn er?"
    )
    assert not answer.refused and "Denk aan Welzijn op Recept en Waar is Wally." in answer.text


def test_an_english_question_quotes_a_second_sentence_by_its_own_lowered_threshold() -> None:
    """English questions share no Dutch words, so their threshold is 0.25 lower (``_threshold``): for the best
    sentence and for the ones quoted beside it alike. With ``min_score`` 1.0 both sentences below score
    between 0.75 and 1.0 (worked out by running it)."""
    text = (
        "Lokale teams bieden één vast gezicht, dat langdurig betrokken blijft bij gezinnen.\n\n"
        "Het lokale team is het vaste aanspreekpunt voor gezinnen en blijft langdurig betrokken."
    )
    found = passage(AA, text, 0, "Aanpak", dense=0.86)
    answerer = ExtractiveAnswerer(catalog=Catalog.build({AA.doc: AA}, [found]), min_score=1.0)
    answer = answerer.answer("How long does the local team stay involved with a family?", [found])
    assert not answer.refused and answer.text.count("[1]") == 2


def test_a_long_list_cut_to_its_item_leaves_room_for_another_sentence() -> None:
    """A count question quotes of a list only its lead-in and the item with the count (``_anchored``): the
    rest of the list does not count against the answer's word cap."""
    filler = "met een lange toelichting over de samenwerking van de partners in de regio en de afspraken daarover"
    facts = passage(
        AA,
        "Enkele feiten op een rij over de meldingen:\n• Veilig Thuis ontving 6.251 meldingen in de regio.\n"
        f"• De politie deed 1.100 zorgmeldingen {filler}.\n• Er liepen 300 onderzoeken {filler}.\n"
        f"• Er waren 95 huisverboden {filler}.\n• Er waren 40 casusoverleggen {filler}.",
        0,
        "Cijfers",
    )
    more = passage(AA, "Van de meldingen bij Veilig Thuis kwamen er 2.400 van professionals.", 900, "Meldingen")
    answer = answer_over(AA, [facts, more], "Hoeveel meldingen kreeg Veilig Thuis?")
    assert "6.251 meldingen" in answer.text and "2.400 van professionals" in answer.text
    assert "95 huisverboden" not in answer.text


def test_a_template_field_is_quoted_with_its_heading() -> None:
    """A raadsvoorstel's field whose whole value is "N.v.t." (or "Geen", "Ja") answers as "heading: value"."""
    fields = passage(
        HEILOO, "6. RISICO’S\nN.v.t.\n\n7. FINANCIËN\nFinanciën\nDe kosten volgen uit het uitvoeringsplan.", 0
    )
    answer = answer_over(HEILOO, [fields], "Welke risico's noemt het raadsvoorstel?")
    assert not answer.refused and "6. RISICO’S: N.v.t. [1]" in answer.text
    assert not junk_in(answer.text, [fields.section])
    found = [c.text for c in ev.candidates([fields])]
    assert "Financiën: De kosten volgen uit het uitvoeringsplan." not in found  # only a whole-value field


def test_what_a_college_decided_about_a_named_item_is_that_items_decision() -> None:
    """Trial 53: "Wat besloot het college van Wassenaar over JeugdhulpPlus?" quoted the first item ("Besluitenlijst
    5 maart vast te stellen"): "besloot" asks a decision, and the item that names JeugdhulpPlus holds it."""
    wassenaar = DocumentMeta("wassenaar.pdf", "Besluitenlijst B&W Wassenaar", "besluitenlijst", "Wassenaar", "2024")
    first = passage(
        wassenaar, "1\n\nBesluitenlijst 5 maart 2024 Besluit:\nBesluitenlijst 5 maart 2024 vast te stellen", 0,
        "1 Besluitenlijst 5 maart 2024", form="agenda",
    )  # fmt: skip
    item = passage(
        wassenaar,
        "5.b.2\n\nRaadsinformatiebrief JeugdhulpPlus Besluit:\n1. De gemeenteraad te informeren over JeugdhulpPlus.",
        200,
        "5 Collegevoorstellen > 5.b.2 Raadsinformatiebrief JeugdhulpPlus",
        form="agenda",
    )
    answerer = ExtractiveAnswerer(catalog=Catalog.build({wassenaar.doc: wassenaar}, [first, item]))
    answer = answerer.answer("Wat besloot het college van Wassenaar over JeugdhulpPlus?", [item, first])
    assert not answer.refused
    assert "1. De gemeenteraad te informeren over JeugdhulpPlus." in answer.text
    assert "5 maart" not in answer.text and "Raadsinformatiebrief" not in answer.text  # nor the item's heading


def test_a_year_held_only_by_a_passage_about_something_else_is_refused() -> None:
    """The topic is covered, the year is not: "Villawijken 2010" says nothing about a regiovisie of 2010."""
    wassenaar = DocumentMeta("wassenaar.pdf", "Besluitenlijst B&W Wassenaar", "besluitenlijst", "Wassenaar", "2024")
    vision = passage(NHN, "De regiovisie beschrijft de gezamenlijke aanpak van huiselijk geweld in de regio.", 0)
    zoning = passage(
        wassenaar, "Het bestemmingsplan Klein Stoephout (bouwtitel Villawijken 2010) wordt vastgesteld.", 0
    )
    older = passage(NHN, "De regiovisie van 2010 legde de nadruk op de aanpak van huiselijk geweld.", 900)

    def ask(passages: list[Passage]) -> Answer:
        catalog = Catalog.build({NHN.doc: NHN, wassenaar.doc: wassenaar}, passages)
        return ExtractiveAnswerer(catalog=catalog).answer("Wat stond er in de regiovisie van 2010?", passages)

    answer = ask([vision, zoning])
    assert answer.refused and answer.missing == "jaar" and answer.text.startswith("Gegevens over 2010 staan niet")
    assert not ask([vision, zoning, older]).refused


def test_a_bulleted_list_goes_on_over_a_wrapped_line_and_each_part_is_cited_to_its_passage() -> None:
    assert ev.list_after(["• een meldpunt", "uitvoering: Veilig Thuis", "• opvang"]) == [
        "• een meldpunt uitvoering: Veilig Thuis",
        "• opvang",
    ]  # a wrapped line in lower case goes on with its item
    first = passage(
        AA, "De centrumgemeenten zorgen voor:\n\n• afstemming\n\n• een meldpunt\nuitvoering: VT\n\n• opvang", 0
    )
    second = passage(AA, "• zorgcoördinatie bij seksueel geweld\n\n• preventie", 200)  # the list goes on here
    catalog = Catalog.build({AA.doc: AA}, [first, second])
    answer = ExtractiveAnswerer(catalog=catalog).answer("Waar zorgen de centrumgemeenten voor?", [first])
    expected = "• een meldpunt uitvoering: VT • opvang [1] • zorgcoördinatie bij seksueel geweld • preventie [2]"
    assert expected in answer.text
    assert [c.passage for c in answer.citations] == [first, second]  # each quote cited to the passage holding it


def test_a_closing_block_ends_before_a_contents_list_and_a_list_is_quoted_once() -> None:
    signed = passage(
        HEILOO,
        "Hoogachtend, burgemeester en wethouders van de gemeente Heiloo\n\nDe heer T.J. Romeyn burgemeester\n\n"
        "1. INLEIDING\n2. KEUZERUIMTE",
        0,
    )
    assert ev.closing(signed) == "burgemeester en wethouders van de gemeente Heiloo De heer T.J. Romeyn burgemeester"
    first = passage(
        AA, "De vijf speerpunten:\n1. Lokale teams verlenen hulp.\n2. Lokale teams bieden een vast gezicht.", 0
    )
    second = passage(AA, "3. Lokale teams hebben tijd.\n4. Professionals werken samen.\n5. Het netwerk helpt mee.", 200)
    catalog = Catalog.build({AA.doc: AA}, [first, second])
    answer = ExtractiveAnswerer(catalog=catalog).answer("Wat zijn de speerpunten?", [first, second])
    assert answer.text.count("3. Lokale teams hebben tijd.") == 1


def test_a_footnote_named_by_its_number_is_quoted_or_said_to_be_missing() -> None:
    body = passage(HEILOO, "Er zijn visiedocumenten uit West-Friesland. Zij vragen om samenhang.", 0, "3. TOELICHTING")
    note = passage(
        HEILOO,
        "Uitvoeringskader inkoop Sociaal Domein West-Friesland (2019-2021).",
        500,
        "3. TOELICHTING > voetnoot 4",
        form="note",
    )
    catalog = Catalog.build({HEILOO.doc: HEILOO}, [body, note])
    answerer = ExtractiveAnswerer(catalog=catalog)
    found = answerer.answer("Welke bronnen staan in voetnoot 4 van het raadsvoorstel?", [body])
    assert not found.refused and found.citations[0].passage == note
    missing = answerer.answer("Wat staat er in voetnoot 9 van het raadsvoorstel?", [body])
    assert missing.refused and missing.text.startswith("In de gevonden documenten staat geen voetnoot 9 met tekst.")


def test_a_question_about_a_source_adds_the_footnote_of_the_quoted_passage() -> None:
    note_text = "Tierolf, B. (2014) Doorbreken geweldspatroon. Onderzoek naar de aanpak in de G4."
    body = passage(
        HEILOO,
        "In 50% van de gezinnen is na 1,5 jaar nog altijd sprake van excessief geweld.",
        0,
        "3. TOELICHTING",
        notes=(f"3 {note_text}", "4 Uitvoeringskader inkoop West-Friesland (2019-2021)."),
    )
    note = passage(HEILOO, note_text, 900, "3. TOELICHTING > voetnoot 3", form="note")
    other = passage(
        HEILOO, "Uitvoeringskader inkoop West-Friesland (2019-2021).", 1000, "3. TOELICHTING > voetnoot 4", form="note"
    )
    catalog = Catalog.build({HEILOO.doc: HEILOO}, [body, note, other])
    answer = ExtractiveAnswerer(catalog=catalog).answer(
        "Uit welk onderzoek komt het cijfer dat in de helft van de gezinnen na anderhalf jaar nog geweld is?", [body]
    )
    assert [c.passage for c in answer.citations] == [body, note]
    plain = ExtractiveAnswerer(catalog=catalog).answer("Hoeveel gezinnen hebben na 1,5 jaar nog geweld?", [body])
    assert [c.passage for c in plain.citations] == [body]  # no source asked: no footnote added


def test_a_list_matching_the_question_only_in_its_items_does_not_outweigh_the_sentence_that_answers() -> None:
    """A long list matches many question words by its length alone; the words of its lead-in count fully, those
    only in its items half (``Weights.items``)."""
    steps = passage(
        NHN,
        "Het doorlopen traject:\n1. Interviews bij ketenpartners.\n2. Een startbijeenkomst met gemeenten.\n"
        "3. Afstemming op bestuurlijk niveau in het overleg zorg en veiligheid van de regio.",
        0,
    )
    work = passage(NHN, "In de regio wordt inmiddels gewerkt aan een bestuurlijke netwerkkaart van de overleggen.", 400)
    question = "Wordt er al gewerkt aan een overzicht van de bestuurlijke overleggen rond zorg en veiligheid?"
    asked = analyze(question)
    terms = ev.stems(question)
    listed = next(c for c in ev.candidates([steps]) if c.items)
    sentence = next(c for c in ev.candidates([steps, work]) if "netwerkkaart" in c.text)
    full, half = (ev.score(asked, terms, listed, ev.Weights(items=weight)) for weight in (1.0, 0.5))
    assert half.score < full.score and half.matched == full.matched
    assert half.score < ev.score(asked, terms, sentence).score < full.score


def test_a_question_for_the_years_something_runs_is_answered_by_the_sentence_with_its_period() -> None:
    """ "Which years does the regional vision cover?": "... in de periode 2024-2028." (a period), not a sentence
    that names the region more often."""
    region = passage(
        AA, "Gemeente Arnhem en Doetinchem zijn centrumgemeente voor de regio Arnhem-Achterhoek in 2024.", 0
    )
    period = passage(AA, "De visie focust op wat we regionaal versterken en vernieuwen in de periode 2024-2028.", 300)
    for question in ("Welke jaren beslaat de regiovisie van Arnhem-Achterhoek?", "Which years does the vision cover?"):
        answer = answer_over(AA, [region, period], question)
        assert not answer.refused and "in de periode 2024-2028. [" in answer.text
        asked = analyze(question)
        terms = ev.stems(question)
        first, second = ([c for c in ev.candidates([region, period])][i] for i in (0, 1))
        assert ev.score(asked, terms, second).score > ev.score(asked, terms, first).score, question


def test_a_question_for_several_organisations_prefers_the_sentence_that_names_them() -> None:
    house = passage(
        AA,
        "In het Zorg- en Veiligheidshuis werken ketenpartners samen aan de veiligheid in de regio. Deelnemers zijn "
        "Openbaar Ministerie, Politie, Reclasseringsorganisaties, RvdK, Veilig Thuis en lokale teams.",
        0,
    )
    question = "Welke organisaties werken samen in het Zorg- en Veiligheidshuis?"
    asked, terms = analyze(question), ev.stems(question)
    general, named = (ev.score(asked, terms, c) for c in ev.candidates([house]))
    assert named.text.startswith("Deelnemers") and named.score > general.score
    single = analyze("Welke organisatie voert het Zorg- en Veiligheidshuis uit?")  # one asked: no such preference
    assert ev.score(single, terms, named).score < named.score


def test_a_sentence_that_shares_only_the_place_with_the_question_is_not_about_it() -> None:
    """ "Wat doen de gecertificeerde instellingen in Noord-Holland Noord?": only a document about another region
    names them; a sentence of the region asked that shares nothing but its name is no answer."""
    from kennisbank.answering.extractive import _about

    question = "Wat doen de gecertificeerde instellingen in Noord-Holland Noord?"
    asked = analyze(question)
    terms = ev.stems(question)
    region = passage(NHN, "De commissie Zorg en Veiligheid Noord-Holland Noord wordt jaarlijks geïnformeerd.", 0)
    topic = passage(NHN, "Gecertificeerde instellingen in Noord-Holland Noord voeren de jeugdbescherming uit.", 300)
    only_place, on_topic = (ev.score(asked, terms, c) for c in ev.candidates([region, topic]))
    assert only_place.matched and not _about(asked, only_place)
    assert _about(asked, on_topic)
    assert answer_over(NHN, [region], question).refused


def test_a_council_decision_signed_one_under_the_other_names_its_signers() -> None:
    """ "De raad voornoemd, De burgemeester," over "Roelien Kamminga", "Griffier," over "Josine Spier", then an
    annex in capitals: who signed is the block up to the annex; each role has its signer."""
    signed = passage(
        NHN,
        "Aldus besloten in de openbare raadsvergadering van 17 december 2025\n\nDe raad voornoemd, De burgemeester,"
        "\n\nRoelien Kamminga\n\nGriffier,\n\nJosine Spier\n\nBIJLAGE 1, bij artikel 2, eerste lid, van de Verordening",
        0,
    )
    assert ev.closing(signed) == "De burgemeester, Roelien Kamminga Griffier, Josine Spier"
    assert [(name, role) for name, role, _ in ev.signatures(signed)] == [
        ("Roelien Kamminga", "burgemeester"),
        ("Josine Spier", "griffier"),
    ]


def test_a_version_the_documents_do_not_have_is_refused_by_name() -> None:
    """ "Wanneer treedt iJw release 4.0 in werking?" over release 3.1: a confident answer from another version is
    the worst failure; the refusal names the version."""
    release = DocumentMeta("ijw.docx", "Release iJw 3.1 Procesbeschrijving", "procesbeschrijving", "Nederland", "2021")
    text = "Beide releases worden op 1 april 2022 van kracht."
    found = passage(release, text, 0)
    assert analyze("Wanneer treedt iJw release 4.0 in werking?").references == ("release 4.0",)
    refused = answer_over(release, [found], "Wanneer treedt iJw release 4.0 in werking?")
    assert refused.refused and refused.text.startswith("Over release 4.0 staat niets in de documenten.")
    answered = answer_over(release, [found], "Wanneer treedt iJw release 3.1 in werking?")
    assert not answered.refused and "1 april 2022" in answered.text


def test_a_yes_no_question_is_answered_only_by_what_it_says_of_its_names() -> None:
    """ "Is Veilig Thuis in Noord-Holland Noord 24/7 bereikbaar?" is not answered by a figure about Veilig Thuis."""
    figure = passage(NHN, "In 2020 zijn er in totaal 4445 meldingen gedaan bij Veilig Thuis Noord-Holland Noord.", 0)
    assert answer_over(NHN, [figure], "Is Veilig Thuis in Noord-Holland Noord 24/7 bereikbaar?").refused
    reachable = passage(AA, "Veilig Thuis is 24/7 bereikbaar voor advies en meldingen.", 0)
    answer = answer_over(AA, [reachable], "Is Veilig Thuis 24/7 bereikbaar?")
    assert not answer.refused and "24/7 bereikbaar" in answer.text


def test_who_attended_a_meeting_asks_for_its_list_of_attendees() -> None:
    """Trial 53: "Wie waren aanwezig bij de B&W-vergadering van Wassenaar op 12 maart 2024?" quoted the first
    agenda item, which shares the meeting's name and date with the question; the attendee line, which gets the
    bonus of a list of members, says who."""
    asked = analyze("Wie waren aanwezig bij de B&W-vergadering van Wassenaar op 12 maart 2024?")
    attendees = "Aanwezigen Burgemeester L. de Lange, wethouder R. Bloemendaal en gemeentesecretaris K. Handstede."
    assert ev._ASKS_MEMBERS.search(fold(asked.asked)) and ev._MEMBERS.search(attendees)
    assert ev._ASKS_MEMBERS.search("who attended the meeting")
    assert not ev._MEMBERS.search("De burgemeester was niet aanwezig bij de opening.")  # only a list's lead
