"""Question analysis: what kind of answer a question expects, and what it is restricted to.

Pure functions over the question text (Dutch and English); nothing here loads a
model or an index. ``analyze`` gives a ``Question``: its expected answer type
(``ANSWER_TYPES``) and its constraints (places, years, references such as
"artikel 2.3", a list size such as "de vier uitgangspunten"). The answer layer
refuses when no sentence of the retrieved passages fits the type and every
constraint (see ``kennisbank.answering.refusal``).

A condensed follow-up ("Wat is MDA++? Wie betaalt die?") takes its answer type
from its last question and its constraints from all of them, so the place and
year of an earlier question carry over.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from dataclasses import dataclass

from kennisbank.analysis import ENGLISH_WORDS, dutch_decimals, is_english, place_adjectives, place_pattern, tokenize
from kennisbank.synonyms import Synonyms
from kennisbank.text import fold, split_sentences

#: The answer types, with what a fitting sentence must hold (see ``evidence.fits``).
ANSWER_TYPES = (
    "count",  # hoeveel, hoe vaak: a number (not a year)
    "amount",  # hoeveel euro, hoeveel kost: an amount of money
    "cost",  # wat kost: an amount, or a statement about costs and funding
    "date",  # in welk jaar, sinds wanneer: a date, month, year or quarter
    "duration",  # hoe lang: a number with a unit of time
    "person",  # wie: a person, role or organisation
    "organisation",  # welke organisatie
    "place",  # waar, in welke gemeente
    "contact",  # telefoonnummer, e-mail, website, adres
    "definition",  # wat is, wat betekent
    "list",  # welke ..., wat zijn de (vier) ...
    "procedure",  # hoe, welke stappen
    "reason",  # waarom
    "yesno",  # kan, mag, is, komt ...
    "decision",  # wat wordt de raad gevraagd te besluiten
    "other",
)

#: Regions and places known without the index: the documents' regions and the larger Dutch
#: municipalities and provinces, so that "in Amsterdam" is recognised as a place constraint.
KNOWN_PLACES = (
    "Noord-Holland Noord",
    "Noord-Holland",
    "Arnhem-Achterhoek",
    "Achterhoek",
    "Kennemerland",
    "Zaanstreek-Waterland",
    "West-Friesland",
    "Kop van Noord-Holland",
    "Amsterdam",
    "Rotterdam",
    "Den Haag",
    "Utrecht",
    "Eindhoven",
    "Groningen",
    "Tilburg",
    "Almere",
    "Breda",
    "Nijmegen",
    "Apeldoorn",
    "Haarlem",
    "Enschede",
    "Zwolle",
    "Leiden",
    "Maastricht",
    "Amersfoort",
    "Zaanstad",
    "Lelystad",
    "Delft",
    "Deventer",
    "Dordrecht",
    "Leeuwarden",
    "Venlo",
    "Ede",
    "Purmerend",
    "Hilversum",
    "Gouda",
    "Assen",
    "Emmen",
    "Friesland",
    "Drenthe",
    "Overijssel",
    "Flevoland",
    "Gelderland",
    "Zuid-Holland",
    "Zeeland",
    "Noord-Brabant",
    "Brabant",
    "Limburg",
    "Twente",
    "Rijnmond",
    "Gelderland-Midden",
    "Noord Oost Gelderland",
    "Alkmaar",
    "Heiloo",
    "Zevenaar",
    "Arnhem",
    "Doetinchem",
    "Lobith",
    "Langedijk",
    "Den Helder",
    "Hoorn",
    "Texel",
    "Schagen",
    "Castricum",
    "Bergen",
    "Enkhuizen",
    "Heerhugowaard",
    "Hollands Kroon",
    "Medemblik",
    "Uitgeest",
    "Winterswijk",
    "Aalten",
    "Duiven",
    "Westervoort",
    "Rheden",
    "Renkum",
    "Lingewaard",
    "Montferland",
    "Overbetuwe",
    "Doesburg",
    "Bronckhorst",
    "Berkelland",
    "Hoofddorp",
    "Belgium",
    "België",
    "Duitsland",
    "Germany",
)

_NUMBER_WORDS = {
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}

_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_REFERENCE = re.compile(
    r"\b(artikel|art\.|article|lid|paragraaf|hoofdstuk|bijlage|release|versie|version)\s+(\d+(?:\.\d+)*[a-z]?)", re.I
)
_DOCS_ABOUT = re.compile(
    r"\b(welke|wat voor|which)\s+(documenten|stukken|bronnen|documents|sources)\s+"
    # "Welke documenten staan er in de kennisbank?", not "Welke bronnen staan in voetnoot 4 van ...?"
    r"(gaan|gaat|zijn er|staan er|heb|bevat|are|cover|deal|about|over)\b|"
    r"\bwelke documenten\b.*\bkennisbank\b|\bwhich documents\b.*\b(cover|about)\b"
)

_PLACES_ABOUT = re.compile(
    r"^(?:en\s+)?(welke|which|wat zijn de|what are the)\s+(gemeenten|gemeentes|municipalities)\s+"
    # "which municipalities are in ...", not "which municipalities are central municipalities ..." (a property)
    r"(vallen|horen|zitten|liggen|maken|zijn er|hoort|valt|are (?:in|part|covered|included|members)|belong|make|"
    r"in|van|bij|of)\b"
)

#: The region a "which municipalities" question names at its end: "... vallen onder Zaanstreek Waterland?".
_REGION_ASKED = re.compile(
    r"\b(?:onder|bij|in|van|tot|of|to)\s+(?:de\s+|het\s+|the\s+)?([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)\s*\??$"
)

#: Verbs of paying: "wie betaalt ...?" asks an organisation that pays (the sentence must say so with money).
PAYING = "betaalt|betalen|financiert|financieren|bekostigt|pays|pay|funds"

#: (pattern on the folded question, answer type), first match wins; order matters.
#: Verbs of signing: a question who signed asks a person ("Welke ministers hebben de brief ondertekend?").
SIGNING = r"onderteken\w*|getekend|signed"
#: The roles a person question asks for by name ("welke wethouder", "wie was voorzitter", "hoe heet de
#: projectleider"); a compound ending in one is one too ("gemeentesecretaris", "relatiemanagers").
ROLES = (
    r"wethouder|burgemeester|portefeuillehouder|voorzitter|directeur|secretaris|griffier|minister|"
    r"projectleider|manager|coordinator|bestuurder|ombudsman|commissaris|aanjager|contactpersoon|"
    r"steller|trainer|auteur|schrijver|"
    r"raadslid|raadsleden|kamerlid|kamerleden|gedeputeerden?"
)

#: A question for the years something runs: "welke jaren", "over welke periode", "looptijd", "which years".
ASKS_PERIOD = r"\bwelke? (jaren|periode)\b|\blooptijd\b|\b(which|what) (years|period)\b"

#: The verbs a yes/no question opens with ("Kan ik ...?", "Maakt VWS ...?", "Does ...?").
_YESNO_VERBS = (
    r"is|zijn|kan|kunnen|mag|mogen|moet|moeten|komt|komen|wordt|worden|heeft|hebben|krijgt|krijgen|"
    r"gaat|gaan|blijft|bestaat|geldt|maakt|maken|staat|staan|valt|vallen|wil|willen|hoort|horen|zal|zullen|"
    r"werkt|werken|betaalt|betalen|does|do|are|can|will|should|has|have"
)
_TYPE_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), kind)
    for pattern, kind in (
        # "Waarom ...?" asks a reason, whatever else it names ("waarom kost het zo lang", "op korte termijn",
        # "waarom lakt VWS de mailadressen weg").
        (r"^(waarom|why)\b", "reason"),
        (
            r"telefoonnummer|telefoon\b|\bnummer van\b|\bbellen op\b|e-?mail|mailadres|website|webadres|\burl\b|"
            r"\badres\b|\baddress\b|phone|contactgegevens|contact details|bezoekadres|postadres|\bfax\w*|"
            r"\b(welk|which|what) (tele)?(fax)?(nummer|number)\b|\bcontact (op ?nemen|opnemen|leggen|zoeken)\b|"
            r"\bin contact (komen|treden)\b|\b(contact|get in touch) with\b",
            "contact",
        ),
        # "naar welke directie" asks a body, also beside a "besluit" ("bezwaar woo besluit vws per post naar welke
        # directie")
        (
            r"\bwelke? (directie|afdeling|dienst|instantie|organisatie)\b|\bwhich (directorate|department)\b",
            "organisation",
        ),
        # A decision question asks what is (to be) decided, not how long or when ("hoe lang ... een Woo-besluit").
        (
            r"^(?!(hoe ?lang|hoeveel|wanneer|wie|waar|how long|how many|when|who|where)\b)"
            r"(?!.*\b(als|wanneer|indien|if|when)\b.*\b(besluiten|beslissen|decide)\b)"  # "als ze besluiten ..."
            r".*(gevraagd te besluiten|\bbesluiten\b|\bbesluit\b|\bbesloot\b|voorgestelde? besluit|\bbeslissen\b|"
            r"\bbeslissing\b|\bdecide|\bdecision)",
            "decision",
        ),
        (r"^wat (wordt|werd|moet)\b.*\braad\b.*\bgevraagd\s*\??$", "decision"),  # "Wat wordt de raad gevraagd?"
        # a percentage is a number, also of a budget ("Met welk percentage worden lonen in de begroting geïndexeerd?")
        # "Wat was het verzuimpercentage?" too: the rate is its focus (``focus``)
        (
            r"\bwelke? percentage\b|\bhoeveel procent\b|\bwhat percentage\b|"
            r"^(wat|hoe hoog) (is|was|wordt|werd|zijn|waren) (het|de) [a-z][\w-]*percentage\b",
            "count",
        ),
        (
            r"hoeveel (euro|geld)|welk bedrag|hoe hoog is (het|de) (bedrag|budget|subsidie|bijdrage)|how much money|"
            r"^(wat|hoe groot|hoe hoog) (is|was|wordt) (het|de) (jaarlijkse? )?(budget|bedrag|subsidie)\b|"
            r"^what (is|was) the (annual )?(budget|amount)\b",
            "amount",
        ),
        (
            r"hoeveel kost|hoeveel kosten|hoeveel (betaalt|betalen|investeert|investeren|ontvangt|ontvangen)\b|"
            r"how much (does|do|will|is|did)\b.*\b(cost|pay|spend|receive|get)",
            "amount",
        ),
        (rf"\b(wie|who)\b.*\b({PAYING})\b", "organisation"),
        # a deadline is a date, also for a budget ("de deadline voor een zienswijze op de begroting")
        (r"\bdeadline\b|\buiterste datum\b|\bwhat date\b", "date"),
        # a budget is money: "Wat is de begroting van Veilig Thuis?" is not answered by its numbers of reports
        # "Hoeveel jeugdigen hebben een persoonsgebonden budget?" counts people; money is asked as money
        (
            r"^(hoeveel|how many) (?!(euro|geld|budget|subsidie|middelen|kost|kosten|money|funding|tijd|werkdagen|"
            r"dagen|weken|maanden|jaren|jaar|uur|uren|minuten|days|weeks|months|years|hours)\b)[a-z]+\b"
            r"(?!.*\b(kost|kosten|euro|cost|costs|bedrag|betaalt|betalen|pays|pay)\b)",
            "count",
        ),
        (
            # "de speerpunten in de begroting" (or "in de GGD-begroting") asks what the budget says, not what
            # something costs; "Hoe moet ... de kosten omlaag brengen?" asks how
            r"^(?!hoe (moet|moeten|kan|kunnen|wil|willen|wordt|worden|gaat|gaan|zal|zullen)\b).*"
            r"(\bwat kost|\bkosten\b|\bcost\b|\bkost\b|wie betaalt|who pays|financier|"
            r"(?<!in de )(?<!volgens de )(?<!uit de )(?<!-)\bbegroting\b|(?<!in het )(?<!in the )\bbudget\b|"
            r"\bbetaald\b|uit welk (potje|budget|fonds))",  # "Uit welk potje wordt de cursus betaald?"
            "cost",
        ),
        # "op (de) lange termijn" says when, it does not ask how long.
        # "binnen hoeveel tijd", "hoeveel werkdagen": how long, not how many
        (
            r"\bhoe ?lang\b|how long|\bduur(t|de)?\b(?!zaam)|(?<!lange )(?<!korte )\btermijn\b|"
            r"\bhoeveel (tijd|werkdagen|dagen|weken|maanden)\b|how much time|"
            r"\bhow many (working |business |calendar )?(days|weeks|months|hours)\b",
            "duration",
        ),
        # "aantal" asks a count where the question asks for it ("Wat is het aantal meldingen?", "Aantal
        # inwoners?"), not where it is the subject of another question ("Wat doen de teams met het aantal ...?")
        (
            r"\bhoeveel\b|how many|^(wat (is|was|zijn|waren) )?(het |de |welk )?(totale? )?aantal\b|"
            r"hoe vaak|how often|\bpercentage\b|welk deel|what share|what proportion|"
            r"\bhoe (groot|hoog)\b|how (big|large|high)\b|"
            r"^(wat (zijn|waren) de|welke) (cijfers|aantallen)\b|^what (are|were) the (figures|numbers)\b",
            "count",
        ),
        # "in welke maand", "sinds welk jaar", "per welke datum", "hoe laat": a point in time
        (
            rf"\bwelke? (jaar|jaartal|maand|datum|dag|week|kwartaal)\b|\bwat (is|was) de datum\b|{ASKS_PERIOD}|"
            r"\bhoe laat\b|"
            r"\bwhat time\b|"
            r"sinds wanneer|vanaf wanneer|tot wanneer|"
            r"\b(what|which) (year|month|date|day|week|quarter)\b|since when",
            "date",
        ),
        (
            r"^(wanneer|when)\b.*\b(gebeurd|vastgesteld|klaar|gereed|beantwoord|gestart|begonnen|afgerond|opgesteld)\b",
            "date",
        ),
        (r"^(wanneer|when)\b", "date"),
        (r"welke organisatie|which organi[sz]ation|welke instantie|welke partij", "organisation"),
        # A question that opens with its verb and has no question word asks yes or no, even when it mentions
        # names ("Maakt VWS ook de namen van bedrijven onleesbaar?").
        (
            rf"^({_YESNO_VERBS})\b(?=.*\b(naam|namen|names?)\b)"
            r"(?!.*\b(wie|wat|welke?|hoe|hoeveel|waar|wanneer|waarom|who|what|which|how)\b)",
            "yesno",
        ),
        # "Hoe heet de projectleider?" asks a person; "Hoe heet het systeem voor de verwijsindex?" a thing's name
        (
            rf"^hoe he(et|ten) (de |het |the )?(twee |drie )?\w*({ROLES})(s|en)?\b|what is the name|\bnaam\b|"
            rf"\bnamen\b|\bnames?\b|welke \w*({ROLES})\b|\bwie zat\b",
            "person",
        ),
        (rf"^(wie|who)\b|\bwie\b|\b({SIGNING})\b", "person"),
        # "Waar gaat het over?", "waar is het geld voor?", "Waar let Veilig Thuis op als ...?", "Waar gaat het geld
        # naartoe?": a pronominal adverb with its preposition at the end of its clause asks what about or what for,
        # not where.
        (
            r"^(?!waar (gaat|gaan|ging|gingen|handelt|handelen)\b.*\bover\b)"  # "Waar gingen de stukken over die ...?"
            r"(waar|where)\b(?!.*\b(over|voor|aan|mee|naar|op|van|uit|door|om|tegen|toe|in|bij|about|for)"
            r"\s*(\?|$|,|\b(als|wanneer|nadat|voordat|zodra|omdat|terwijl|zodat|tijdens|if|when)\b))"
            # "Waar moeten teams naar kijken als ...?", "Waar wordt het geld aan besteed?": the preposition before
            # its verb at the end of the clause
            r"(?!.*\b(over|voor|aan|mee|naar|van|uit|door|om|tegen|toe)\s+\w+(en|d|t)\s*"
            r"(\?|$|,|\b(als|wanneer|nadat|voordat|zodra|omdat|terwijl|zodat|tijdens)\b))"
            r"(?!.*\bop\s+\w+en\s*"  # "Waar moeten gemeenten op letten als ...?"
            r"(\?|$|,|\b(als|wanneer|nadat|voordat|zodra|omdat|terwijl|zodat|tijdens)\b))"
            r"(?!.*\b(naartoe|heen)\b)|"
            # "Welke gemeente is centrumgemeente ...?"
            r"^welke (gemeente|plaats|stad) (is|was|wordt|werd|heeft|had)\b|"
            r"in welke (\w+e )?(gemeenten?|plaats(en)?|steden|stad|regio'?s?|zaal|ruimte|gebouw|wijken|wijk|buurt|"
            r"provincies?)\b|\bop welke (locatie|plek)\b|\bwelke (locatie|vergaderlocatie|vergaderzaal)\b|"
            r"\b(which|what) (room|venue|location)\b|"
            r"\bin (which|what) (\w+ )?(municipalit(y|ies)|regions?|cities|city|towns?|neighbou?rhoods?|districts?|"
            r"provinces?|places?)\b",
            "place",
        ),
        (r"^(waarom|why)\b|wat is de reden|\breden\b|how come", "reason"),
        (
            r"welke stappen|\bstappen\b|tot stand gekomen|hoe (is|zijn|wordt|werd|kom|gaat|werkt|kan|kun|moet)|^how\b",
            "procedure",
        ),
        (r"\bwat (zijn|waren) de\b|^(noem|what are the)\b", "list"),
        (
            r"\bwat (is|zijn)(?! er\b)(?! (het|de) gevolg)|\bwat (betekent|betekenen|houdt|verstaan|bedoel)|"
            r"\bbetekenis\b|\bdefinitie\b|"
            r"what (is|are|does .* mean)",
            "definition",
        ),
        (r"^(welke|which|noem|what are)\b|\bwat zijn de\b", "list"),
        (rf"^({_YESNO_VERBS})\b", "yesno"),
    )
)
#: "de vier uitgangspunten": the list size a question names.
_LIST_SIZE = re.compile(r"\b(de|the|alle)\s+(twee|drie|vier|vijf|zes|zeven|acht|negen|tien|two|three|four|five|six)\b")
#: What a contact question asks for, in the words of the refusal.
_CONTACT_WORDS = (
    ("telefoon", "telefoonnummer"),
    ("phone", "telefoonnummer"),
    ("bellen", "telefoonnummer"),
    ("fax", "faxnummer"),
    ("nummer", "telefoonnummer"),
    ("number", "telefoonnummer"),
    ("mail", "e-mailadres"),
    ("website", "website"),
    ("webadres", "website"),
    ("url", "website"),
    ("adres", "adres"),
    ("address", "adres"),
)


@dataclass(frozen=True)
class Question:
    """What a question asks for.

    text         the question as analysed (a condensed follow-up: all its questions)
    asked        the question sentence that sets the answer type (the last one)
    answer_type  one of ``ANSWER_TYPES``
    places       places and regions named, as spelled in ``KNOWN_PLACES`` or the given places
    years        years named ("2023"; a period "2020-2023" gives both ends)
    references   references such as "artikel 2.3"
    list_size    the number of items a list question names ("de vier ..."), else None
    lang         "nl" or "en"
    about_documents  True for a question about the collection ("Welke documenten gaan over ...?")
    about_places True for a question which municipalities a region has ("Welke gemeenten vallen onder ...?")
    focus        what a count or amount question counts ("meldingen" in "hoeveel meldingen"), or the role
                 a person question names ("directeur" in "wie is de directeur"), else ""
    exact_date   the question asks for a day ("op welke datum"), not a year or a period
    names        names in a Dutch question ("Wet gegevensdeling samenwerkingsverbanden", "MDCK"): capitalised
                 words after its first word that are no place
    head         the noun a "welke ..." or "wat zijn de ..." question asks for ("bijlagen" in "Welke bijlagen
                 horen bij ...?", "uitgangspunten" in "Wat zijn de vier uitgangspunten ...?"), else ""
    actor        the name a "wat doet ...?" question asks about ("GGD" in "Wat doet de GGD bij ...?",
                 "Veilig Thuis"), else ""; the sentence that answers names it (``refusal.names_actor``)
    expansions   the documents' words for the question's, as the retriever expands it (the other phrases
                 of the index's synonym groups it mentions, ``Synonyms.phrases``; English groups too for
                 an English question): "Veilig Thuis" for "VT", "meldingen" for "reports"
    """

    text: str
    asked: str
    answer_type: str
    places: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    list_size: int | None = None
    lang: str = "nl"
    about_documents: bool = False
    about_places: bool = False
    focus: str = ""
    exact_date: bool = False
    names: tuple[str, ...] = ()
    head: str = ""
    actor: str = ""
    expansions: tuple[str, ...] = ()

    @property
    def strict(self) -> bool:
        """True when the type demands a specific fact (a number, amount, date, duration or contact detail)."""
        return self.answer_type in ("count", "amount", "date", "duration", "contact")

    def asks_for(self) -> str:
        """What the question asks for, as a Dutch noun phrase for a refusal ("telefoonnummer", "aantal")."""
        if self.answer_type == "contact":
            folded = fold(self.asked)
            for word, noun in _CONTACT_WORDS:
                if word in folded:
                    return noun
            return "contactgegevens"
        if self.answer_type == "date" and re.search(r"\bhoe laat\b|\bwhat time\b", fold(self.asked)):
            return "tijdstip"
        if self.answer_type == "count" and self.focus.endswith("percentage"):
            return self.focus  # "geen verzuimpercentage", not "geen aantal"
        return {
            "count": "aantal",
            "amount": "bedrag",
            "cost": "bedrag",
            "date": "datum",
            "duration": "duur",
            "person": "naam",
            "organisation": "organisatie",
            "place": "plaats",
            "decision": "besluit",
        }.get(self.answer_type, "antwoord")


def split_questions(text: str) -> list[str]:
    """The sentences of a text (``kennisbank.text.split_sentences``, and at each "?"), in order."""
    parts = [p.strip() for s in split_sentences(text) for p in re.split(r"(?<=\?)\s+", s) if p.strip()]
    return parts or [text.strip()]


_LEADING_CONJUNCTION = re.compile(r"^(?:en|maar|ook|dan|of|and|but|so|or)\b[,\s]+")


def answer_type(question: str) -> str:
    """The answer type of one question sentence (see ``ANSWER_TYPES``); ``"other"`` when no rule applies."""
    folded = fold(question).strip(" ¿¡\"'“”")
    folded = _LEADING_CONJUNCTION.sub("", folded)  # a follow-up "En wanneer ...?" asks "wanneer ...?"
    for pattern, kind in _TYPE_RULES:
        if pattern.search(folded):
            return kind
    return "other"


#: English names of Dutch places ("Who pays for the centre in North Holland?"), as the Dutch name they stand for.
ENGLISH_PLACES = {
    "Noord-Holland Noord": ("north holland north",),
    "Noord-Holland": ("north holland",),
    "Zuid-Holland": ("south holland",),
    "Noord-Brabant": ("north brabant",),
    "Den Haag": ("the hague",),
}


def find_places(text: str, known: Iterable[str] = ()) -> tuple[str, ...]:
    """Places named in ``text``: the longest of ``KNOWN_PLACES`` and ``known`` that occur as whole words.

    "Noord-Holland Noord" is one place, not also "Noord-Holland"; matching ignores case and diacritics;
    an English name (``ENGLISH_PLACES``: "North Holland") is the Dutch place.
    """
    names = sorted({*KNOWN_PLACES, *known}, key=len, reverse=True)
    folded = fold(text)
    found: list[str] = []
    taken: list[tuple[int, int]] = []
    for name in names:
        # The name, or its adjective ("Almeerse", "Groningse"); a country's adjective ("Nederlandse") is no place.
        forms = [fold(name), *place_adjectives(name), *ENGLISH_PLACES.get(name, ())]
        for match in place_pattern(forms).finditer(folded):  # "arnhem achterhoek" is Arnhem-Achterhoek
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            taken.append(match.span())
            if name not in found:
                found.append(name)
    return tuple(found)


#: A place named after "gemeente", "in", "te", ... ("de gemeente Oss", "in Bergen op Zoom").
_PLACE_AFTER = re.compile(
    r"\b(?i:gemeenten?|gemeentes|in|te|uit|regio|provincie|municipality|town|city)\s+"
    r"([A-Z][\w'’-]+(?:\s+(?:op|aan|de|den|ter|[A-Z][\w'’-]+))*)"
)
#: Capitalised words after "in" that name no place.
_NO_PLACE = frozenset({"english", "engels", "nederlands", "dutch", "het", "de", "een"})


def unknown_places(text: str, vocabulary: Container[str], known: Iterable[str] = ()) -> tuple[str, ...]:
    """Places the question names ("de gemeente Oss", "in Sneek") that no passage mentions: a capitalised word
    of the name has no search token in ``vocabulary`` (``Catalog.frequency``) and it is no known place. A
    question about them cannot be answered from the documents, whatever else it shares with them."""
    names = {fold(name) for name in (*KNOWN_PLACES, *known)} | {e for forms in ENGLISH_PLACES.values() for e in forms}
    found: list[str] = []
    for match in _PLACE_AFTER.finditer(text):
        name = re.sub(r"(\s+(?:op|aan|de|den|ter))+$", "", match.group(1)).strip(" '’-")
        # "de gemeente Zwolle aan de GGD": a known place, then "aan" and what it pays to, is that place
        head = re.split(r"\s+aan\s+(?:de|het)\s+", name, maxsplit=1)[0]  # not "Bergen op Zoom", "Bergen aan Zee"
        if fold(name) in names or fold(head) in names or fold(name) in _NO_PLACE or name in _NOT_NAMES:
            continue
        words = [word for word in name.split() if word[:1].isupper()]  # "Bergen op Zoom": Bergen, Zoom
        if any(not any(token in vocabulary for token in tokenize([word])[0]) for word in words):
            found.append(name)
    return tuple(dict.fromkeys(found))


def find_years(text: str) -> tuple[str, ...]:
    """Years named in ``text`` (1950-2049), in order, without repeats; "2020-2023" gives both ends."""
    return tuple(dict.fromkeys(_YEAR.findall(text)))


def count_words(number: int) -> tuple[str, ...]:
    """The ways a text writes ``number`` as a count: its digits and its Dutch and English words (4 -> "4",
    "vier", "four")."""
    return (str(number), *(word for word, value in _NUMBER_WORDS.items() if value == number))


def list_size(question: str) -> int | None:
    """The number of items "de vier uitgangspunten" asks for, else None."""
    match = _LIST_SIZE.search(fold(question))
    return _NUMBER_WORDS[match.group(2)] if match else None


#: Words after "hoeveel" that count anything: they are no focus.
_GENERIC_FOCUS = frozenset(
    [
        "daarvan",  # "hoeveel daarvan": of what was named before
        "ervan",
        "hiervan",
        "mensen",
        "personen",
        "keer",
        "procent",
        "euro",
        "geld",
        "kost",
        "kosten",
        "jaar",
        "jaren",
        "maanden",
        "dagen",
        "weken",
        "uur",
        "people",
        "times",
        "does",
        "do",
        "did",
        "is",
        "are",
        "was",
        "were",
        "will",
        "would",
        "can",
        "could",
        "should",
        "has",
        "have",
        "much",
        "many",
        "de",
        "het",
        "een",
        "er",
        "zijn",
        "is",
        "wordt",
        "worden",
        # a verb after "hoeveel" ("Hoeveel wil de GGD ... brengen?") counts nothing
        "wil",
        "willen",
        "moet",
        "moeten",
        "kan",
        "kunnen",
        "mag",
        "mogen",
        "zal",
        "zullen",
        "heeft",
        "hebben",
        "had",
        "hadden",
        "krijgt",
        "krijgen",
        "kreeg",
        "kregen",
        "gaat",
        "gaan",
        "werd",
        "werden",
        "waren",
        "komt",
        "komen",
        "staat",
        "staan",
        "bedraagt",
        "bedragen",
        # a verb after "welk bedrag" ("Welk bedrag neemt Wassenaar op ...?") counts nothing either
        "neemt",
        "nemen",
        "trekt",
        "trekken",
        "besteedt",
        "besteden",
        "reserveert",
        "reserveren",
        "geeft",
        "geven",
        "ontvangt",
        "ontvangen",
        "betaalt",
        "betalen",
        "investeert",
        "investeren",
        "vraagt",
        "vragen",
    ]
)
_FOCUS = re.compile(
    r"\b(hoeveel|how many|how much|aantal|welk bedrag)\s+(?:van\s+)?"
    r"(?:(?:de|het|the|hun|haar|zijn|onze|ons|uw|their|its|our|your)\s+)?([a-z][\w+-]*)"  # "van hun tijd"
)


#: "Wat was het verzuimpercentage ...?": the rate asked for, a compound of "percentage".
_RATE = re.compile(r"^(?:wat|hoe hoog) (?:is|was|wordt|werd|zijn|waren) (?:het|de) ([a-z][\w-]*percentage)\b")

_ROLE = re.compile(
    # not "door wie is het vastgesteld": who did it, and "vastgesteld" is no role
    r"(?<!door )\b(?:wie is|wie zijn|wie was|wie waren|who is|who are|who was|hoe heet|hoe heten)\s+(?:de|het|the)\s+"
    r"(?:(?:twee|drie|two|three)\s+)?"
    # "wie is de ambtelijk steller", "de nieuwe voorzitter": the role after its adjective
    r"(?:(?:[a-z]+(?:lijke?|ische?|ige?|ale?|ele?)|nieuwe|vorige|oude|eerste|tweede)\s+(?=[a-z]+(?:er|ers|ar|or|eur)\b))?"
    r"([a-z][\w-]*)|"
    rf"\b(?:wie is|wie was|welke|which)\s+(\w*(?:{ROLES}))\b"  # "Wie was voorzitter ...", "Welke wethouder ..."
)
#: An English role with the words before it, up to a preposition or the end of the question.
_ENGLISH_HEAD = re.compile(
    r"((?:[a-z][\w-]*\s+){0,4}?[a-z][\w-]*)(?=\s+(?:of|in|for|at|from|with|on|to|within)\b|\W*$)"
)
#: "Wie zat de vergadering voor?", "Wie zit de vereniging voor?": who chaired or chairs it.
_CHAIRED = re.compile(r"\bwie (zat|zit|zitten)\b.*\bvoor\W*$")
_EXACT_DATE = re.compile(r"welke datum|op welke dag|which date|what date|which day|what day")

#: English words that say nothing about the topic (left out of an English question's search words):
#: ``analysis.ENGLISH_WORDS`` and more.
_ENGLISH_STOP = ENGLISH_WORDS | frozenset(
    [
        "is",
        "of",
        "a",
        "an",
        "and",
        "or",
        "to",
        "in",
        "on",
        "at",
        "by",
        "be",
        "been",
        "being",
        "it",
        "its",
        "they",
        "them",
        "we",
        "you",
        "i",
        "me",
        "he",
        "she",
        "his",
        "her",
        "what's",
        "how's",
        "who's",
        "get",
        "gets",
        "got",
        "make",
        "made",
        "become",
        "becomes",
        "has",
        "have",
        "had",
        "any",
        "some",
        "all",
        "most",
        "more",
        "our",
    ]
)
_NAME = re.compile(r"\b(?:Wet(?:\s+[a-z][\w-]+){1,3}|[A-Z][\w&+-]*(?:\s+[A-Z][\w&+-]*)*)")
#: Capitalised words that are no names.
_NOT_NAMES = frozenset({"En", "Ook", "Maar", "Dus", "Wat", "Wie", "Hoe", "Waar", "Welke", "Wanneer", "Ik", "Mijn"})


def names(question: str, places: Iterable[str] = ()) -> tuple[str, ...]:
    """Capitalised names after the first word of ``question`` that are not places nor a place's adjective
    ("Wet gegevensdeling ..." is a name; "Groningse" with ``places`` ("Groningen",) is not)."""
    words = question.strip().split(maxsplit=1)
    rest = words[1] if len(words) > 1 else ""
    skip = {fold(p) for p in places} | {form for p in places for form in place_adjectives(p)}
    found = []
    for match in _NAME.finditer(rest):
        name = match.group(0).strip()
        if name in _NOT_NAMES or fold(name) in skip or len(name) < 3:
            continue
        found.append(name)
    return tuple(dict.fromkeys(found))


def focus(question: str, synonyms: Synonyms | None = None) -> str:
    """The word a count question counts ("hoeveel meldingen" -> "meldingen"), or the role a person
    question names ("wie is de directeur" -> "directeur"); "" when generic or absent. An English
    word is given as its Dutch word in ``synonyms`` (``Synonyms.dutch``: "how many reports" ->
    "meldingen") when the question is English."""
    folded = fold(question)
    match = _FOCUS.search(folded)
    rate = _RATE.search(folded.strip())
    if rate:
        word = rate.group(1)
    elif match and match.group(2) not in _GENERIC_FOCUS:
        word = match.group(2)
    elif _CHAIRED.search(folded):
        word = "voorzitter"
    else:
        role = _ROLE.search(folded)
        if not role:
            return ""
        word = role.group(1) or role.group(2)
        if role.group(1) and is_english(question):
            # English puts adjectives and nouns before the role: "the certified youth protection institutions in
            # ..." asks for institutions, the last word before a preposition or the end
            phrase = _ENGLISH_HEAD.match(folded, role.start(1))
            if phrase:
                word = phrase.group(1).split()[-1]
    dutch = synonyms.dutch(word) if synonyms is not None and is_english(question) else ""
    if dutch and fold(dutch).split()[0] in _GENERIC_FOCUS:
        return ""  # "how much money": "geld" counts anything, as in Dutch
    return fold(dutch).split()[0] if dutch else word


_HEAD = re.compile(
    r"^(?:welke|welk|which|noem|what are|wat (?:zijn|waren) de)\s+(?:(?:de|het|the|alle|all)\s+)?"
    r"(?:(?:twee|drie|vier|vijf|zes|zeven|acht|negen|tien|two|three|four|five|six)\s+)?([a-z][\w-]*)"
)
#: Words after "welke" that name no subject of their own.
_NO_HEAD = frozenset({"de", "het", "een", "is", "zijn", "the", "are", "of", "van", "soort", "soorten", "kind"})


def head(question: str) -> str:
    """The noun a "welke ..." / "wat zijn de ..." question asks for ("Welke bijlagen horen bij ...?" ->
    "bijlagen"); "" for other questions. Its own section heading naming it marks a passage that answers."""
    match = _HEAD.search(fold(question).strip(" ¿¡\"'“”"))
    if not match or match.group(1) in _NO_HEAD:
        return ""
    return match.group(1)


#: "Wat doet / doen" and what follows, after an optional article: "Wat doet de GGD precies bij ...?".
_WHAT_DOES = re.compile(r"^(?:en |maar )?wat (?:doet|doen)\s+(?:de |het |een )?(.+)", re.I)


def actor(asked: str, named: Iterable[str], synonyms: Synonyms | None = None) -> str:
    """The name a "wat doet ...?" question asks about: one of ``named`` (``names``) that the words after
    "wat doet (de)" start with ("GGD" in "Wat doet de GGD precies bij ...?"), or the name an abbreviation
    there stands for in ``synonyms`` ("wat doet vt" -> "Veilig Thuis"); "" for other questions and for
    "Wat doen de projectleiders van Geweld hoort nergens thuis?" (the name is not who acts)."""
    match = _WHAT_DOES.match(asked.strip())
    if match is None:
        return ""
    rest = match.group(1)
    found = next((name for name in named if rest.startswith(name)), "")
    first = re.match(r"[\w+-]+", rest)
    if found or synonyms is None or first is None:
        return found
    word = first.group(0).lower()
    for group in synonyms.groups:
        if any(member.lower() == word for member in group):
            written = [m for m in group if " " in m and m[:1].isupper()]  # "Veilig Thuis", not "vt"
            if written:
                return max(written, key=len)
    return ""


#: Words that name no topic: common verbs, small talk and time words. A Dutch question of only these and
#: stopwords ("Hoe laat is het?", "Hoe gaat het?", "Wie ben jij?") asks nothing the documents are about.
_NO_TOPIC = frozenset(
    (  # noqa: SIM905 (a word list reads better as one string)
        "laat laten liet gaat gaan ging komt komen kwam doet doen deed zit zitten staat staan ligt liggen maakt "
        "maken krijgt krijgen geeft geven weet weten vindt vinden denkt denken zegt zeggen ben bent jij jou jullie "
        "vandaag morgen gisteren nu eigenlijk precies even graag weer tijd"
    ).split()
)


def has_topic(question: Question) -> bool:
    """True when a Dutch question names anything beyond question words, stopwords and ``_NO_TOPIC`` (a name,
    place or year always counts); English questions are judged by the evidence gate alone."""
    if question.lang == "en" or question.names or question.places or question.years:
        return True
    words = re.findall(r"\w[\w+-]*", fold(question.text))
    return any(word not in _NO_TOPIC and tokens for word, tokens in zip(words, tokenize(words), strict=True))


def search_words(question: Question) -> str:
    """The question with the documents' words for it added (``Question.expansions``); an English
    question without its English function words."""
    text = question.text
    if question.lang == "en":  # English function words are no search words; "1.5" is written "1,5"
        words = re.findall(r"[\w/+'’-]+(?:[.,]\d+)*", dutch_decimals(text))
        text = " ".join(w for w in words if w.lower() not in _ENGLISH_STOP)
    return " ".join([text, *question.expansions])


def sentence_words(question: Question) -> str:
    """The words a sentence is matched on: ``search_words``, but of a Dutch question only the one-word
    expansions. A spelled-out abbreviation ("Gemeentelijke Gezondheidsdienst" for "GGD") would add each of
    its words as a question word of its own, and a sentence naming "gemeenten" would match half the question;
    an English question's expansions are its Dutch words and all count. The name a "wat doet ...?" question
    asks about by its abbreviation (``Question.actor``) counts whole."""
    if question.lang == "en":
        return search_words(question)
    # the name an abbreviation asked about stands for does count: "wat doet vt" is about "Veilig Thuis"
    spelled = [question.actor] if question.actor and question.actor not in question.text else []
    return " ".join([question.text, *(e for e in question.expansions if len(e.split()) == 1), *spelled])


def analyze(
    text: str,
    known_places: Iterable[str] = (),
    synonyms: Synonyms | None = None,
    vocabulary: Container[str] | None = None,
) -> Question:
    """The analysis of a question (or of a condensed follow-up: several questions, the last one asked).

    ``known_places`` adds the municipalities of the indexed documents to ``KNOWN_PLACES``; ``synonyms``
    (the index's, ``Catalog.synonyms``) give the documents' words for the question's (``expansions``,
    ``focus``); without them nothing is added. With ``vocabulary`` (the stems the passages hold,
    ``Catalog.frequency``) only expansions whose every stem it holds count: a word no passage uses
    ("HG" for "huiselijk geweld") can match no sentence and would only lower the question's share
    of matched words (for BM25 it is a no-op alike).
    Places and years come from the last question that names any (a follow-up's own replace earlier ones).
    """
    text = " ".join(text.split())
    parts = split_questions(text)
    # A long question with context around it: its last sentence that is a question sets the type.
    questions = [part for part in parts if part.endswith("?")] or parts
    asked = questions[-1]
    kind = answer_type(asked)
    if kind == "other" and len(questions) > 1:
        kind = answer_type(questions[-2])
    size = list_size(asked)
    if size is not None and kind in ("definition", "other", "yesno"):
        kind = "list"
    references = tuple(f"{m.group(1).lower()} {m.group(2)}" for m in _REFERENCE.finditer(text))
    known = tuple(known_places)
    places: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    for part in reversed(parts):  # the last sentence that names a place (or year) sets it
        unheard = unknown_places(part, vocabulary, known) if vocabulary is not None else ()
        named = [p for p in find_places(part, known) if not any(fold(p) in fold(u) for u in unheard)]
        places = places or (*unheard, *named)  # "Bergen op Zoom" is not also "Bergen"
        years = years or find_years(part)
    english = is_english(asked)
    given = names(asked, find_places(asked, known)) if not english else ()
    about_places = bool(_PLACES_ABOUT.search(fold(asked)))
    if about_places and not places:  # "Welke gemeenten vallen onder Zaanstreek Waterland?": the region is what follows
        region = _REGION_ASKED.search(asked.strip())
        places = (region.group(1),) if region else ()
    return Question(
        text=text,
        asked=asked,
        answer_type=kind,
        places=places,
        years=years,
        references=references,
        list_size=size,
        lang="en" if english else "nl",
        about_documents=bool(_DOCS_ABOUT.search(fold(asked))),
        about_places=about_places,
        focus=focus(asked, synonyms) if kind in ("count", "amount", "person") else "",
        exact_date=bool(_EXACT_DATE.search(fold(asked))),
        names=given,
        head=head(asked),
        actor=actor(asked, given, synonyms),
        expansions=tuple(synonyms.phrases(text, english=english, known=vocabulary)) if synonyms is not None else (),
    )
