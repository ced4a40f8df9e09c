"""Sentence-level evidence: candidate sentences from the top passages, what is quotable, and how well each answers.

A candidate is one sentence of a retrieved passage (a lead-in that ends in a
colon brings its list items, also from the passage that follows it in the
document). It is scored by

- word match with the question: stemmed words (``kennisbank.analysis.tokenize``),
  with a shared prefix of at least ``PREFIX`` letters counting as the same word
  (an adjective in the question, a participle in the text), compound parts
  ("meldcode" in "meldcodetraining") and a participle's other forms ("geschreven",
  "herschreven") counting too; a word weighs more the fewer passages hold it (``rarity``);
- the passage's own heading: it holds half the question words, or names what a
  "welke ..." question asks for ("Welke bijlagen ...?" and "10. BIJLAGEN");
- answer-type fit (``fits``): a "hoeveel" question needs a number that is not a
  year, "wat kost" an amount or a statement about costs, "wanneer" a date or a
  condition, "wie" a person, role or organisation;
- the passage's rank and its dense similarity (the passage's, not the sentence's:
  sentence vectors are not stored in the index; a dense sentence score, tried with
  e5 vectors of every quotable sentence, did not change the calibration half's
  answers, see ``evals/README.md``).

Quotable (``junk`` is empty): no heading, table header row, salutation or
signature, footnote, question, fragment, or sentence ending in a colon without
its list.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from kennisbank.analysis import tokenize, verb_stems
from kennisbank.answering.question import ASKS_PERIOD, PAYING, ROLES, Question, find_places
from kennisbank.answering.refusal import has_focus
from kennisbank.passage import Passage
from kennisbank.text import LIST_ITEM, SURNAME_PARTICLE, fold, sentence_spans

#: Two words with this many leading letters in common count as one word ("financieel", "financiële").
PREFIX = 6

_TABLE_HEADER = re.compile(
    r"\b(actie|hoofdverantwoordelijke|aanjager|planning|status|portefeuille|toezegging|onderwerp|afdeling)\b", re.I
)
_SALUTATION = re.compile(
    r"^(hoogachtend|met vriendelijke groet|geachte|beste|namens|de (heer|mevrouw)\b|mevrouw\b|"
    r"burgemeester en wethouders|het college van burgemeester)|\b(secretaris|burgemeester)\s*$",
    re.I,
)
_FOOTNOTE = re.compile(r"^\d{1,2}\s+(zie|see|https?:|www\.)|^https?://|^www\.", re.I)
_VERB_HINT = re.compile(
    r"\b(is|zijn|wordt|worden|werd|werden|heeft|hebben|kan|kunnen|zal|zullen|moet|moeten|gaat|gaan|"
    r"staat|staan|biedt|geeft|maakt|komt|komen|blijft|vraagt|vragen|betekent|houdt|helpt|zorgt|doet|"
    r"vallen|valt|krijgt|krijgen|loopt|lopen|werkt|werken|adviseert|onderzoekt|neemt|ligt|liggen|"
    r"bestaat|vormt|vormen|richt|zet|zetten|hebt|mag|mogen|wil|willen|te)\b",
    re.I,
)
_NUMBER = re.compile(
    r"(?<![\w-])\d+(?:[.,]\d+)*(?![\w+-])\s*%?|\b(één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|"
    r"dertien|veertien|vijftien|zestien|zeventien|achttien|negentien|zestig|zeventig|tachtig|negentig|"
    r"twintig|dertig|veertig|vijftig|honderd|duizend|helft|kwart|derde|jaarlijks|maandelijks|"
    r"wekelijks|dagelijks|elke|iedere|tweemaal|driemaal|"
    r"(?:twee|drie|vier|vijf|zes|zeven|acht|negen|tien|twaalf|twintig|dertig|veertig|vijftig|honderd)tal)\b",  # viertal
    re.I,
)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_TOC_ENTRY = re.compile(r"(?:^|\s)\d{1,2}(?:\.\d{1,2})+\s+[A-Z][^.!?]{3,80}?\s\d{1,3}(?=\s|$)")
_NUMERIC = re.compile(r"[-+€(]*\d[\d.,%)]*|-")
_MONEY = re.compile(r"€|\beuro\b|\bEUR\b|\bmiljoen\b|\bk€", re.I)
_COST_WORDS = re.compile(
    r"\b(kost|kosten|financ\w*|budget\w*|middelen|betaal\w*|betaalt|betalen|geld|subsidie\w*|euro|uitkering|"
    r"gefinancierd|bekostig\w*|investering\w*|impuls)\b",
    re.I,
)
#: The months by name; with the seasons and quarters (``_MONTHS``), the words that place a date in a year.
_MONTH_NAMES = r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
_MONTHS = rf"{_MONTH_NAMES}|voorjaar|najaar|zomer|winter|kwartaal|Q[1-4]"
_DATE = re.compile(rf"\b((19|20)\d{{2}}|{_MONTHS})\b", re.I)
_DAY = re.compile(rf"\b\d{{1,2}}\s+({_MONTHS})\b|\b\d{{1,2}}[-/]\d{{1,2}}[-/]\d{{2,4}}\b", re.I)
#: When in a day or week: clock times, "van negen tot vijf uur", weekdays, "24/7" (opening hours answer "wanneer").
_CLOCK = re.compile(
    r"\b\d{1,2}[.:]\d{2}\s*(uur|u)?\b|\b(van|tussen)\s+\S+\s+(tot|en)\s+\S+\s+uur\b|"
    r"\b(maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|werkdagen|werkdag|weekend|feestdagen)\b|"
    r"\b(24/7|dag en nacht|'s avonds|'s nachts|'s ochtends|'s middags|kantoortijden|openingstijden)\b",
    re.I,
)
#: A sentence that refers back to the one before it: it opens with a pronoun or "concreet", or a pronominal
#: adverb ("hiervoor", "daarbij") or "dat betekent" stands among its first words ("De financiering hiervoor ...").
#: Pronominal adverbs and phrases that point back to the sentence before, among a sentence's first words.
_BACK = (
    r"^(\S+\s+){0,3}(hiervoor|daarvoor|hierbij|daarbij|hiermee|daarmee|hierin|daarin|hiervan|daarvan|hierop|daarop|"
    r"hierdoor|daardoor|hieraan|daaraan|(dit|dat) betekent|betekent (dit|dat)|"
    r"er ?(voor|aan|mee|over|van|op|bij|door))\b"  # "Gemeenten betalen er voor.": for what the sentence before names
)
_ANAPHOR = re.compile(
    rf"^(deze|dit|dat|die|hierdoor|daardoor|daarom|hiermee|daarmee|zij|ze|het|concreet|zo)\b|{_BACK}", re.I
)
_PROCEDURE_LEAD = re.compile(r"als volgt|volgende|stappen|traject|tot stand|doorlopen", re.I)
_ROW_WORDS = re.compile(
    r"\b(actie|acties|toezegging\w*|planning|uitvoeringsprogramma|gepland|afgerond|stand van zaken)\b", re.I
)
_STOP = frozenset(
    [
        "de",
        "het",
        "een",
        "van",
        "in",
        "op",
        "voor",
        "met",
        "en",
        "of",
        "te",
        "is",
        "zijn",
        "wat",
        "wie",
        "hoe",
        "welke",
        "waar",
        "wordt",
        "worden",
        "er",
        "die",
        "dat",
        "bij",
        "aan",
        "om",
    ]
)
#: A condition answers "wanneer ..." when no date or time does ("Als reguliere hulp is ingezet, ..."); "bij" and "na"
#: are left out: they stand in most sentences, so a follow-up "En wanneer?" would fit any of them.
_CONDITION = re.compile(r"\b(als|wanneer|indien|zodra|nadat|pas als|pas na)\b", re.I)
_TIME_UNIT = re.compile(
    r"\b\d+\s*(?:-|tot)?\s*\d*\s*(dag|dagen|week|weken|maand|maanden|jaar|jaren|uur|uren|minuten)\b|"
    r"\b(een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|zestien|twintig|"
    r"dertig|veertig|vijftig|zestig|honderd|enkele|half|anderhalf)\s+(dag|dagen|week|weken|maand|maanden|jaar|jaren|"
    r"uur|werkdag|werkdagen)\b|\b\d+\s*(werkdag|werkdagen)\b|"
    r"\b(24/7|dag en nacht|langdurig|kortdurend|levenslang|levensloop|blijvend)\b",
    re.I,
)
#: How often, not how long: "elke drie jaar", "iedere week", "om de twee maanden", "twee keer per jaar".
_FREQUENCY = re.compile(
    r"\b(?:elke|iedere|ieder|om de|per|eens per|keer per|maal per)\s+(?:\w+\s+)?"
    r"(?:dag|dagen|week|weken|maand|maanden|jaar|jaren|kwartaal|uur)\b",
    re.I,
)
#: A period of years answers "hoe lang" too: "2020-2023", "van 2024 tot en met 2028", "voor de periode 2024-2028".
_PERIOD = re.compile(r"\b(19|20)\d{2}\s*[-–]\s*(19|20)\d{2}\b|\b(19|20)\d{2}\s+(tot en met|t/m|tot)\s+(19|20)\d{2}\b")
#: A span between two months answers how long anything took: "van april tot oktober 2019", "augustus 2019 -
#: februari 2020" (``_MONTH_NAMES``: the seasons and quarters of ``_MONTHS`` are no end point).
_MONTH_SPAN = re.compile(
    rf"\b({_MONTH_NAMES})(\s+(19|20)\d{{2}})?\s*([-–]|\btot en met\b|\bt/m\b|\btot\b)\s*({_MONTH_NAMES})\b", re.I
)
#: A question for several organisations ("welke organisaties", "welke partijen", "which organisations").
_PLURAL_ASKED = re.compile(r"\b(welke|which) (organisaties|partijen|instanties|partners|organi[sz]ations|parties)\b")
_ASKS_PERIOD = re.compile(ASKS_PERIOD)
#: A question who or what a team, meeting or body is made up of ("Uit wie bestaat een schakelteam?", "Wie zitten er
#: in het ZVH?", "Welke professionals zitten in het MDA++?", "Who sits on the team?"), and a sentence that says it.
_ASKS_MEMBERS = re.compile(
    r"\b(uit wie|waaruit) (bestaat|bestaan)\b|\bwie (zitten|zit|nemen|neemt)\b|\bzitten (er )?in\b|"
    r"\b(deelnemers|leden|samenstelling)\b|\b(who|which \w+) (sits?|is|are) (on|in)\b|\bconsists? of\b|\bmade up of\b|"
    r"\bwie (was|waren|is|zijn) (er )?aanwezig\b|\bwho (attended|was present|were present)\b"  # a meeting's attendees
)
_MEMBERS = re.compile(
    r"\b(bestaat|bestaan) uit\b|\bzitten\b|\bzit(ten)? in\b|\bdeelnemers\b|\bnemen deel\b|\bneemt deel\b|"
    r"\bmaken deel uit\b|\bsamengesteld uit\b|\bleden\b|\bvertegenwoordigd\b|^\s*aanwezig(en)?\b",
    re.I,
)
#: A question about a motion, and a motion's operative clause: what the council asks of the college.
_ASKS_MOTION = re.compile(r"\bmoties?\b|\bmotions?\b")
_OPERATIVE = re.compile(
    r"\b(draagt|verzoekt|roept)\b[^.;]{0,40}\b(college|burgemeester|wethouders?|bestuur|directie|minister|regering)\b",
    re.I,
)
_PLAN = re.compile(r"\b(\w*visie|\w*programma|\w*plan|beleid\w*|verordening|aanpak|project|pilot|looptijd|regeling)\b")
_UNIT_ASKED = re.compile(
    r"\b(hoeveel|how many)\s+(dagen|weken|maanden|uren|uur|jaren|jaar|days|weeks|months|hours|years)\b"
)
#: A Dutch phone number: with its area code, 0800/0900, "+31", or a municipality's "14" with its area code after
#: "Tel" or "bel" ("Tel: 14 036"; a bare "14 050" is as often a count).
_PHONE = re.compile(
    r"\b0\d{2,3}[- ]?\d{6,7}\b|\b0[89]00[- ]?\d{4}\b|\b0\d{1,3}[- ]\d{3}[- ]?\d{2,4}\b|\+31|"
    r"\(0\d{1,3}\)[ \t]*\d{2,3}(?:[ \t]?\d{2,3}){1,3}\b|"  # "(070) 340 59 84"
    r"\b(?i:tel(?:efoon|efoonnummer)?|bel)[.:]?[ \t]*14[- ]0\d{2,3}\b"
)
_EMAIL = re.compile(r"\b[\w.-]+@[\w-]+\.\w+")
_URL = re.compile(r"\bhttps?://|\bwww\.\w|\b[\w-]+\.(nl|com|org|eu)\b", re.I)
_ADDRESS = re.compile(
    r"\b[A-Z][a-z]+(straat|weg|laan|plein|singel|kade|gracht|markt)\s+\d+|\bMarkt \d+|\b\d{4}\s?[A-Z]{2}\b"
)
_ACTOR = re.compile(
    r"\b(gemeente\w*|college|raad|raden|wethouder|burgemeester|portefeuillehouder|commissie|politie|OM|"
    r"openbaar ministerie|veilig thuis|ggd|reclassering|ketenpartner\w*|professional\w*|organisatie\w*|"
    r"instelling\w*|team\w*|centrum\w*|ministerie|vng|projectleider\w*|ambtena\w*|medewerker\w*|"
    r"ervaringsdeskundig\w*|partner\w*|huis|huizen|aanbieder\w*|moviera|bestuurder\w*|manager\w*|"
    r"beleidsadviseur\w*|jeugdhulp|vrouwenopvang|onderwijs|school|scholen|kinderopvang|huisarts\w*|"
    r"rechter|kinderbescherming|regio|provincie|rijk|inwoners?|ouders?|slachtoffer\w*|pleger\w*)\b",
    re.I,
)
#: A name: two capitalised words ("Veilig Thuis", "Van Riswijk") or an acronym ("GGD"); case-sensitive, so an
#: ordinary pair of words is no name (the role words above are matched without case).
_NAME = re.compile(r"\b[A-Z][a-z\u00e0-\u00ff]+\s[A-Z][a-z\u00e0-\u00ff]+|\b[A-Z]{2,}\b")
#: A person's name: a capitalised word after a title or role ("mevrouw Jansen", "wethouder Van Riswijk"), or two
#: capitalised words that do not open the sentence.
_PERSON = re.compile(
    r"\b(heer|mevrouw|mw\.|dhr\.|wethouder|burgemeester|portefeuillehouder|voorzitter|directeur|secretaris)"
    r"\s+(?:[A-Z]\.\s*)*(?:van |de |der |den |ter |ten )*[A-Z][\w'-]+|"
    r"(?<=\w\s)[A-Z][a-z]+\s(?:van |de |der )*[A-Z][a-z]+"
)
#: A question that asks for a name ("Hoe heet ...", "de namen van ...", "what is the name").
_ASKS_NAME = re.compile(r"\bnaam\b|\bnamen\b|^hoe he(et|ten)\b|\bnames?\b|\bcalled\b")
#: A question that asks who pays ("Wie betaalt de regiovisie?").
_ASKS_PAYER = re.compile(rf"\b({PAYING})\b")
#: Where: a preposition or a kind of place before a name ("in Alkmaar", "in de gemeente Hollands Kroon": the
#: capital is case-sensitive), or a word
#: for a site ("locatie", "gevestigd", "Activiteitencentrum Jan Steen werd de uitvalsbasis").
_PLACE_HINT = re.compile(
    r"\b(?i:in|te|op|bij|naar|gemeente|regio|wijk|stad|provincie)\s+[A-Z]|"
    r"(?i:\blocatie\w*|\bgevestigd\b|\bregio\b|\buitvalsbasis\b|\bvestiging\w*|\w*centrum\b|\w*gebouw\b|\bkantoor\b|\w*zaal\b)"
)
#: A question for a place by its name: "in welke (Almeerse) wijk", "in which regions or municipalities".
_ASKS_NAMED_PLACE = re.compile(
    r"\bwelke (\w+e )?(gemeenten?|plaats(en)?|steden|stad|regio'?s?|wijken|wijk|buurt|provincies?)\b|"
    r"\b(which|what) (\w+ )?(municipalit(y|ies)|regions?|cities|city|towns?|neighbou?rhoods?|districts?|provinces?)\b"
)
#: A place by its name: a capitalised word after a preposition or a kind of place ("in De Marken", "stad Almere");
#: for a question that asks a region, also "regio Alkmaar"; where something is seated ("gevestigd in Arnhem").
_BEFORE_A_PLACE = r"in|te|op|bij|naar|uit|gemeenten?|wijken|wijk|stad|provincie"
_NAMED_TOWN = re.compile(rf"\b(?i:{_BEFORE_A_PLACE})\s+[A-Z]")
_NAMED_PLACE = re.compile(rf"\b(?i:{_BEFORE_A_PLACE}|regio'?s?)\s+[A-Z]")
_SEATED = re.compile(r"\b(gevestigd|zit|zitten|kantoor|locatie\w*)\b[^.]{0,30}\b(in|te)\s+[A-Z]")
_REASON = re.compile(
    r"\b(omdat|doordat|daardoor|zodat|want|reden|redenen|oorzaak|oorzaken|vanwege|om\b.*\bte\b|doel|"
    r"als gevolg van|veroorzaakt|te wijten aan|komt door|hangt\b.*\bsamen met|samenhang)\b",
    re.I,
)


@dataclass(frozen=True)
class Candidate:
    """A quotable sentence of passage ``rank`` (0-based), at ``position`` among its sentences.

    ``text`` is the sentence as quoted (with its list items when it is a lead-in);
    ``items`` are those list items; ``score`` is filled by ``score``; ``anchor`` is the piece of a list
    that answers a question for one fact (the item with the asked amount or date: its page is cited).
    """

    rank: int
    position: int
    text: str
    passage: Passage
    items: tuple[str, ...] = ()
    score: float = 0.0
    matched: frozenset[str] = field(default_factory=frozenset)
    order: int = 0
    anchor: str = ""


_BARE_MARKER = re.compile(r"^(\(?\d{1,2}[.)]|[-•–·▪◦*o])$")
_ITEM_NUMBER = re.compile(r"^\(?(\d{1,2})[.)]\s")


#: A line that goes on in lower case after a line without final punctuation: one sentence broken at a line
#: the line joiner kept ("Dit kan ertoe leiden dat bepaalde acties" / "in het uitvoeringsprogramma ...").
_GOES_ON = re.compile(r"^\(?[a-z\u00e0-\u00ff]")


def sentences(text: str) -> list[str]:
    """The sentences of a passage text (``kennisbank.text.sentence_spans``); a bare "1." joins its item, and a
    line that goes on in lower case (not a list item) joins the unfinished line before it."""
    parts = [text[a:b] for a, b in sentence_spans(text)]
    merged: list[str] = []
    for part in parts:
        before = merged[-1].strip() if merged else ""
        broken = (
            before
            and before[-1] not in ".!?:;"
            and not before.isupper()  # a heading in capitals ("DE RAAD VAN DE GEMEENTE GRONINGEN,") stays apart
            and _GOES_ON.match(part)
            and not LIST_ITEM.match(part)
        )
        if merged and (_BARE_MARKER.match(before) or broken):
            merged[-1] = f"{before} {part.strip()}"
        else:
            merged.append(part)
    return merged


#: A line of contact details ("Gemeente Almere Postbus 200 1300 AE Almere Tel: 14 036"): numbers, but no table row.
_CONTACT_LINE = re.compile(r"\b(tel|telefoon|telefoonnummer|postbus|fax)\b", re.I)
#: A sentence that points at what follows it ("Hieronder lichten we ... toe.", "In het onderstaande ...").
_AHEAD = re.compile(r"^(Hieronder|Onderstaand\w*|In het onderstaande|Zie hieronder)\b")


#: A labelled field of a meeting's or letter's header, the label and its value on one line: "Locatie De Paauw,
#: Muzenzaal", "Tijd 9:30 - 14:47", "Steller M.E. Knook".
_FIELD = re.compile(
    r"^(?:Datum|Tijd|Aanvang|Locatie|Plaats|Vergaderlocatie|Voorzitter|Notulist|Steller|Portefeuillehouder)"
    r":?[ \t]+\S"
)


def junk(sentence: str, section: str = "", title: str = "") -> str:
    """Why ``sentence`` must not be quoted, or "" when it may be.

    Reasons: "kop" (a heading: the section name, all capitals, a numbered heading or
    a short line without a verb, a table caption), "inhoud" (lines of a table of contents), "tabelkop" (a
    table header row), "tabel" (a row of numbers), "aanhef" (a
    salutation or signature), "voetnoot", "vraag", "fragment" (under four words, or
    starting in lower case or after a closing parenthesis: the tail of a cut sentence),
    "dubbele punt" (it ends in a colon: a lead-in without its list), "vooruit" (it points at what follows:
    "Hieronder lichten we de verbanden toe.").
    """
    text = sentence.strip()
    words = text.split()
    bare = text.rstrip(" .:;,")
    if not words:
        return "fragment"
    if text.endswith(":"):
        return "dubbele punt"
    if text.endswith("?"):
        return "vraag"
    if _AHEAD.match(text):
        return "vooruit"  # "Hieronder lichten we de verbanden toe.": what follows answers, not this sentence
    if len(_TABLE_HEADER.findall(text)) >= 3 and len(words) <= 12:
        return "tabelkop"
    if _SALUTATION.search(text):
        return "aanhef"
    if _FOOTNOTE.search(text):
        return "voetnoot"
    if _FIELD.match(text) and len(words) <= 12:
        return ""  # a labelled field of a meeting's or letter's header: "Locatie De Paauw, Muzenzaal"
    last_section = section.rsplit(" > ", 1)[-1].strip()
    if last_section and fold(bare) == fold(last_section.rstrip(" .:?")):
        return "kop"
    if bare.isupper() and len(words) <= 12:
        return "kop"
    if re.match(r"^\d+(\.\d+)*\.?\s+[A-Z]", text) and bare.upper() == bare:
        return "kop"
    if len(_TOC_ENTRY.findall(text)) >= 2:
        return "inhoud"  # lines of a table of contents ("7.2 Het overzicht van baten en lasten 29 7.3 ...")
    if _UNIT.search(text) and text.endswith(")") and not _VERB_HINT.search(text):
        return "kop"  # a table caption ("Investeringsplan jeugd en gezin (bedragen x € 1.000)")
    numeric = sum(1 for word in words if _NUMERIC.fullmatch(word)) >= max(3, len(words) * 0.4)
    if numeric and not _CONTACT_LINE.search(text):
        return "tabel"  # a table row without its column names ("Reserve GGD 3.462 -258 3.203"), not an address
    cut = text[0].islower() and not (is_item(text) and defined_term(text))  # "o. triage: een ..."
    if len(words) < 4 or cut or re.match(r"^[\w.-]+\)", text):
        return "fragment"  # too short, or the tail of a sentence cut at a parenthesis or line
    unended = not text.endswith((".", "!", ";", ")", "”", '"', "'")) and not _VERB_HINT.search(text)
    if unended and (len(words) <= 8 or (title and fold(title) in fold(text))):
        return "kop"  # a heading, or a title block that repeats the document's title
    return ""


_DEFINED = re.compile(r"^(?:[a-z]{1,2}[.)]\s+)?([^\W\d][^:;.]{1,60}?):\s+\S")


def defined_term(sentence: str) -> str:
    """The term a definition entry defines ("o. triage: een eerste en beperkte ..." -> "triage", as in a
    regulation's list of definitions), "" for other sentences."""
    match = _DEFINED.match(sentence.strip())
    return match.group(1).strip() if match and len(match.group(1).split()) <= 5 else ""


def is_item(sentence: str) -> bool:
    """True when ``sentence`` is a list item ("1.", "2)", "-", "•" ...)."""
    return LIST_ITEM.match(sentence.strip()) is not None


def _heading_item(sentence: str) -> bool:
    """A numbered heading that looks like a list item ("10. BIJLAGEN")."""
    return LIST_ITEM.sub("", sentence.strip(), count=1).isupper()


def _titled(item: str) -> bool:
    """A numbered item that reads as a section title: at most three words, no closing punctuation ("2. Besluit",
    "3. Contact")."""
    words = LIST_ITEM.sub("", item.strip(), count=1).split()
    numbered = _ITEM_NUMBER.match(item.strip()) is not None
    return numbered and 0 < len(words) <= 3 and not item.rstrip().endswith((".", ";", ",", ":", "!", "?"))


def lead_in(sentence: str) -> bool:
    """True when ``sentence`` introduces a list: it ends in a colon."""
    return sentence.rstrip().endswith(":")


def list_after(following: Sequence[str], limit: int = 12) -> list[str]:
    """The list items at the start of ``following`` (up to ``limit``); footnotes and headings end it.

    In a numbered list a sentence without a marker goes on with the item before it when the next number
    follows within two sentences ("4. Focusgroepen voor ... managers. Ervaringsdeskundigen zijn gevraagd
    om input te geven (november 2019). 5. Afstemming ...").
    """
    items: list[str] = []
    expected = None
    for at, sentence in enumerate(following):
        if len(items) >= limit:
            break
        if not is_item(sentence):
            if items and _titled(items[-1]):
                break  # "2. Besluit" then its text: a numbered heading over a section, not a list item
            if items and expected is not None and _numbered_within(following[at + 1 : at + 3], expected):
                items[-1] = f"{items[-1]} {sentence.strip()}"
                continue
            if items and expected is None and _bullet_goes_on(sentence, items[-1], following[at + 1 : at + 2]):
                items[-1] = f"{items[-1]} {sentence.strip()}"  # "• een meldpunt ... / uitvoering: Veilig Thuis"
                continue
            break
        if _heading_item(sentence):
            break  # a numbered heading ("10. BIJLAGEN")
        number = _ITEM_NUMBER.match(sentence.strip())
        if number:
            if expected is not None and int(number.group(1)) != expected:
                break  # numbering starts again: a footnote or another list
            expected = int(number.group(1)) + 1
        items.append(sentence.strip())
    return items


def _bullet_goes_on(sentence: str, item: str, after: Sequence[str]) -> bool:
    """A short line in lower case without a bullet, between two bulleted items of the same list, goes on
    with the item before it ("uitvoering: Veilig Thuis NOG en GM"); a sentence of its own ("Een gewone zin.")
    or a lead-in ("Daarnaast zijn er:") ends the list."""
    mark = item.strip()[:1]
    return (
        bool(after)
        and sentence.strip()[:1].islower()
        and not lead_in(sentence)
        and len(sentence.split()) <= 12
        and mark in "•-–·▪◦*"
        and is_item(after[0])
        and after[0].strip()[:1] == mark
    )


def _numbered_within(sentences: Sequence[str], number: int) -> bool:
    """One of ``sentences`` is the list item numbered ``number``."""
    found = (_ITEM_NUMBER.match(sentence.strip()) for sentence in sentences)
    return any(match is not None and int(match.group(1)) == number for match in found)


@lru_cache(maxsize=4096)
def _stems(text: str) -> frozenset[str]:
    return frozenset(tokenize([text])[0])


def stems(text: str) -> set[str]:
    """The stemmed content words of ``text``, as BM25 sees them (cached per text)."""
    return set(_stems(text))


def word_match(question: set[str], sentence: set[str]) -> set[str]:
    """The question stems found in a sentence: equal, the same first ``PREFIX`` letters, or a compound part."""
    found = set()
    for word in question:
        forms = verb_stems(word)  # once per question word, not per pair
        core = word[2:] if word.startswith("ge") and len(word) >= 8 else ""
        for other in sentence:
            if word == other:
                found.add(word)
                break
            if len(word) >= PREFIX and len(other) >= PREFIX and word[:PREFIX] == other[:PREFIX]:
                found.add(word)
                break
            if len(word) >= 5 and len(other) > len(word) + 2 and (other.startswith(word) or other.endswith(word)):
                found.add(word)
                break
            if len(other) >= 6 and len(word) > len(other) + 2 and word.endswith(other):
                found.add(word)  # the question's compound ends in the sentence's word: "vechtscheiding", "scheiding"
                break
            if any(other.startswith(form) for form in forms) or any(word.startswith(f) for f in verb_stems(other)):
                found.add(word)  # a participle and its verb's noun: "ingedeeld", "indeling"
                break
            if core and (other.endswith(core) or (len(other) >= PREFIX and core[:PREFIX] == other[:PREFIX])):
                found.add(word)  # a participle and another form of its verb: "geschreven", "herschreven"
                break
    return found


#: A question how often ("hoe vaak"), answered by a frequency word as well as a number.
_HOW_OFTEN = re.compile(r"\bhoe ?vaak\b|\bhow often\b|\bhoe regelmatig\b|\bhoeveel (keer|maal)\b|\bhow many times\b")
#: The words of ``_NUMBER`` that say how often, not how many.
_FREQUENCY_WORD = re.compile(r"jaarlijks|maandelijks|wekelijks|dagelijks|elke|iedere")


#: A number that names a part of a text, not a count: "art. 8", "artikel 7, zesde lid", "lid 2", "bijlage 3".
_REFERENCE_NUMBER = re.compile(
    r"\b(?:art\.|artikel|artikelen|lid|leden|hoofdstuk|paragraaf|bijlage|onderdeel|agendapunt)\s*\d+(?:[.:]\d+)*[a-z]?\b",
    re.I,
)


#: What follows a number that counts nothing: the day of a date ("14, 20 en 27 mei") or a span of time
#: ("binnen zes weken", "3 werkdagen").
_DAY_OF = re.compile(rf"\s*(?:(?:,|en|t/m|tot en met|-)\s*\d{{1,2}}\s*)*(?:{_MONTH_NAMES})\b", re.I)
_SPANS = (
    r"(?:werk)?(?:dag|dagen|week|weken|maand|maanden|jaar|jaren|uur|uren|minuten)|days?|weeks?|months?|years?|hours?"
)
_SPAN_OF = re.compile(rf"\s*(?:(?:-|tot)\s*\d+\s*)?(?:{_SPANS})\b", re.I)
_SPAN_ASKED = re.compile(rf"\b(?:{_SPANS})\b")
#: A list item's own number, at the start or after a sentence: "6. Nieuw concept ... 2020). 7. 3 Regionale ...";
#: or a stray page or note number before a sentence's first word: "16 In de afgelopen jaren ...".
_ITEM_NUMBERS = re.compile(
    r"(?:^|(?<=[.!?:;)]\s))\(?\d{1,2}[.)]\s+(?=\S)|"
    r"^\d{1,3}\s+(?=(?:In|De|Het|Een|Er|Op|Voor|Met|Bij|Dit|Deze|Dat|Die|Ook|Om|Na|Sinds|Door|Als|We|Wij|Zij)\s)",
    re.M,
)
#: The word after a number, and the word after that when the first is an adjective: "3 regionale
#: raadsbijeenkomsten".
_COUNTED = re.compile(r"\s*([^\W\d]{5,})(?:\s+([^\W\d]{5,}))?")
#: Words after a number that are part of it, not what it counts: "4 miljoen", "twee keer".
_MAGNITUDE = re.compile(r"miljoen|miljard|duizend|honderd|procent|euro|keer|maal|procentpunt")


def numbers(sentence: str, question: Question | None = None) -> list[str]:
    """Numbers in ``sentence`` that are not years nor references ("art. 8"): digits, number words, "jaarlijks".

    For a ``question``, not counted either: a list item's own number ("7. ..."), the days of a date ("14, 20
    en 27 mei"), a span of time ("binnen zes weken") unless the question names one ("hoeveel uur"), and,
    when the sentence names the question's focus (what a "hoeveel" question counts) elsewhere, a number of
    another noun: for "raadsleden", not the 3 of "3 regionale raadsbijeenkomsten waarin raadsleden ...".
    """
    text = _REFERENCE_NUMBER.sub(" ", _YEAR.sub(" ", sentence))
    if question is None:
        return [m.group(0) for m in _NUMBER.finditer(text) if m.group(0).strip()]
    text = _ITEM_NUMBERS.sub(" ", text)
    spans = _SPAN_ASKED.search(fold(question.asked)) is not None
    focus = fold(question.focus)
    named = len(focus) >= 5 and focus.isalpha() and has_focus(question, text)
    found = []
    for match in _NUMBER.finditer(text):
        after = text[match.end() :]
        if not match.group(0).strip() or _DAY_OF.match(after) or (_SPAN_OF.match(after) and not spans):
            continue
        noun = _COUNTED.match(after) if named else None
        if noun and not _same_noun(focus, fold(noun.group(1))):
            adjective = noun.group(1).endswith("e") and noun.group(2)
            if not (adjective and _same_noun(focus, fold(noun.group(2)))):
                continue
        found.append(match.group(0))
    return found


def _same_noun(focus: str, noun: str) -> bool:
    """``noun`` (after a number) is ``focus`` in another form, a compound ending in it, its first part written
    apart ("crisisopvang trajecten"), or part of the number ("4 miljoen"); "raadsbijeenkomsten" is not
    "raadsleden"."""
    common = len(os.path.commonprefix([noun, focus]))
    return (
        common >= min(len(noun), len(focus)) - 3  # another form: "melding", "meldingen"
        or noun.endswith(focus)
        or noun in focus
        or _MAGNITUDE.fullmatch(noun) is not None
    )


def fits(question: Question, sentence: str) -> bool:
    """Does ``sentence`` hold the kind of answer ``question`` asks for? (A pure check per answer type.)"""
    kind = question.answer_type
    if kind == "count":
        found = numbers(sentence, question)
        if not _HOW_OFTEN.search(question.asked.lower()):  # "hoeveel functionarissen": "jaarlijks" is no count
            found = [n for n in found if not _FREQUENCY_WORD.fullmatch(n.strip().lower())]
        return bool(found)
    if kind == "amount":
        return bool(_MONEY.search(sentence)) and bool(re.search(r"\d", sentence))
    if kind == "cost":
        return bool(_MONEY.search(sentence) or _COST_WORDS.search(sentence))
    if kind == "duration":
        # A period of years ("2024-2028") answers how long a plan or programme runs, not how long an activity
        # takes ("een onderzoek", "hoeveel dagen"), nor as a planning cell.
        asked = fold(question.asked)
        period = _PLAN.search(asked) and not _UNIT_ASKED.search(asked) and "Planning:" not in sentence
        once = _FREQUENCY.sub(" ", sentence)  # "elke drie jaar" says how often, not how long
        return bool(_TIME_UNIT.search(once) or _MONTH_SPAN.search(once) or (period and _PERIOD.search(once)))
    if kind == "date":
        if re.search(r"\bhoe laat\b|\bwhat time\b|\bat what time\b", fold(question.asked)):
            return bool(re.search(r"\b\d{1,2}[.:]\d{2}\b|\buur\b", sentence))  # a time of day, not a date
        if question.exact_date:
            return bool(_DAY.search(sentence))
        if _DATE.search(sentence):
            return True
        if re.search(r"welke? (jaar|jaartal|maand|datum)\b|(what|which) (year|month|date)\b", fold(question.asked)):
            return False  # "In which year ...?": not "24/7" or "op werkdagen"
        if _CLOCK.search(sentence):
            return True
        strict = re.search(
            r"welke? (jaar|maand|datum|dag)\b|sinds|vanaf|tot wanneer|what year|which year", fold(question.asked)
        )
        return not strict and bool(_CONDITION.search(sentence))
    if kind == "contact":
        noun = question.asks_for()
        if noun in ("telefoonnummer", "faxnummer"):
            return bool(_PHONE.search(sentence))
        if noun == "e-mailadres":
            return bool(_EMAIL.search(sentence))
        if noun == "website":
            return bool(_URL.search(sentence))
        if noun == "adres":
            return bool(_ADDRESS.search(sentence))
        return bool(_PHONE.search(sentence) or _EMAIL.search(sentence) or _URL.search(sentence))
    if kind in ("person", "organisation"):
        if kind == "person" and _ASKS_NAME.search(fold(question.asked)):
            return bool(_PERSON.search(sentence))
        actor = bool(_ACTOR.search(sentence) or _NAME.search(sentence))
        if kind == "organisation" and _ASKS_PAYER.search(fold(question.text)):
            return actor and bool(_MONEY.search(sentence) or _COST_WORDS.search(sentence))  # who pays: and money
        return actor
    if kind == "place":
        asked = fold(question.asked)
        if _ASKS_NAMED_PLACE.search(asked):  # "in welke wijk": a name, not "andere regio's"
            # a region answers only a question for one: "In welke plaats zit het kantoor?" not "voor de regio X"
            if re.search(r"\bregio|\bregions?\b", asked):
                return bool(_NAMED_PLACE.search(sentence))
            if re.search(
                r"\b(welke|which|what) (\w+e )?(plaats|stad|steden|gemeenten?|city|cities|towns?|municipalit)", asked
            ):
                # a town by its name ("Moviera heeft locaties in Arnhem"), not an organisation after "bij"
                towns = [place for place in find_places(sentence) if place not in question.places]  # not the asked one
                return bool(towns) or _SEATED.search(sentence) is not None
            return bool(_NAMED_TOWN.search(sentence))
        return bool(_PLACE_HINT.search(sentence))
    return True


#: The whole value of a template field under its heading: "N.v.t.", "Niet van toepassing", "Geen", "Ja", "Nee".
_TEMPLATE_VALUE = re.compile(r"^(n\.?\s?v\.?\s?t\.?|niet van toepassing\.?|geen\.?|ja\.?|nee\.?)$", re.I)
#: A footnote of at most this many words is quoted whole: "Zie Het sociaal domein ... Zie: https://..." is one
#: reference, not two sentences.
NOTE_WORDS = 80


def candidates(
    passages: Sequence[Passage],
    following: Mapping[str, Passage] | None = None,
    columns: Sequence[str] | None = None,
) -> list[Candidate]:
    """Every quotable sentence of ``passages`` (best first), a lead-in with its list items.

    ``following`` maps a passage id to the passage after it in its document: a lead-in
    at the end of a passage takes its items from there. ``columns`` are the table
    columns a row is quoted with (all when None). ``order`` counts the quotable
    sentences of a passage from 0.
    """
    found: list[Candidate] = []
    for rank, passage in enumerate(passages):
        if passage.form in ("action", "commitment") and passage.fields:
            cells = {k: v for k, v in passage.fields.items() if columns is None or k in columns}
            found.append(Candidate(rank, 0, row_text(cells or passage.fields), passage))
            continue
        if passage.form == "note" and len(passage.text.split()) <= NOTE_WORDS:
            found.append(Candidate(rank, 0, " ".join(passage.text.split()), passage))  # a footnote is one reference
            continue
        first = len(found)
        for row in number_rows(passage.text):
            found.append(Candidate(rank, 0, row, passage, order=len(found) - first))
        parts = sentences(passage.text)
        start = answer_start(parts) if passage.form == "qa" else 0
        listed: list[str] = []  # the items of the lists found so far: their sentences are quoted with them
        for position, sentence in enumerate(parts):
            if position < start:
                continue  # the question of a "Vraag N / Antwoord N" pair ("Zo ja, graag een toelichting.")
            if lead_in(sentence):
                items = _items(parts[position + 1 :], passage, following)
                if not items:
                    continue
                text = " ".join([sentence.strip(), *items])
                found.append(Candidate(rank, position, text, passage, tuple(items), order=len(found) - first))
                listed.extend(items)
                continue
            previous = parts[position - 1] if position > 0 else ""
            within = is_item(sentence) and (lead_in(previous) or (is_item(previous) and not _heading_item(previous)))
            if within and defined_term(sentence):
                # an entry of a list of definitions ("o. triage: een eerste ...") also answers on its own
                found.append(Candidate(rank, position, sentence.strip(), passage, order=len(found) - first))
                continue
            if within or any(sentence.strip() in item for item in listed):
                continue  # quoted with its lead-in or its first item
            if is_item(sentence):
                items = _items(parts[position:], passage, following)
                if len(items) >= 2:
                    text = " ".join(items)
                    found.append(Candidate(rank, position, text, passage, tuple(items), order=len(found) - first))
                    listed.extend(items)
                    continue
            if junk(sentence, passage.section, passage.title):
                following_part = parts[position + 1] if position + 1 < len(parts) else ""
                if _TEMPLATE_VALUE.match(following_part.strip()) and not _TEMPLATE_VALUE.match(sentence.strip()):
                    # a template field of a raadsvoorstel: "6. RISICO'S" / "N.v.t." is "6. RISICO'S: N.v.t."
                    text = f"{sentence.strip().rstrip(':')}: {following_part.strip()}"
                    found.append(Candidate(rank, position, text, passage, order=len(found) - first))
                continue
            inline = inline_items(sentence)
            found.append(Candidate(rank, position, sentence.strip(), passage, inline, order=len(found) - first))
    return found


_INLINE_NUMBER = re.compile(r"\((\d{1,2})\)\s*")


def inline_items(sentence: str) -> tuple[str, ...]:
    """The items of a list written inside one sentence, numbered (1), (2), ... in order: "De volgende vier
    principes vormen de basis: (1) gezinsgericht, (2) rechtsbeschermend en transparant, ..." gives
    ("gezinsgericht", "rechtsbeschermend en transparant", ...); () when there are fewer than two."""
    marks = list(_INLINE_NUMBER.finditer(sentence))
    numbers = [int(m.group(1)) for m in marks]
    if len(marks) < 2 or numbers != list(range(1, len(marks) + 1)):
        return ()
    ends = [m.start() for m in marks[1:]] + [len(sentence)]
    items = [sentence[m.end() : end].strip(" ,;.") for m, end in zip(marks, ends, strict=True)]
    return tuple(re.sub(r"\s+(en|of)$", "", item) for item in items)  # "(3) eenvoudig en (4) lerend"


_ANSWER_LINE = re.compile(r"^(antwoord|answer)(\s+\d+[a-z]?)?\s*[.:]?$", re.I)


def answer_start(parts: Sequence[str]) -> int:
    """The index of the first sentence after an "Antwoord N" line (kamervragen), 0 when there is none."""
    for index, part in enumerate(parts):
        if _ANSWER_LINE.match(part.strip()):
            return index + 1
    return 0


def _items(rest: Sequence[str], passage: Passage, following: Mapping[str, Passage] | None) -> list[str]:
    """The list items at the start of ``rest`` (the sentences after a lead-in); a list that runs to the end of
    ``passage`` goes on with the items that open the passage after it (a list cut by chunking). A last item
    that ends in a colon is left out: what it introduces is not there."""
    items = list_after(rest)
    runs_to_end = not rest or (bool(items) and rest[-1].strip() in items[-1])  # the list ends the passage
    if runs_to_end and following and passage.id in following:
        after = following[passage.id]
        more = list_after(sentences(after.text), limit=12 - len(items))
        if _continues_list(items, more, after.section.rsplit(" > ", 1)[-1]):
            items += more
    while items and lead_in(items[-1]):
        items.pop()  # a last item that introduces a list (or table) that is not there
    return items


def _continues_list(items: Sequence[str], more: Sequence[str], heading: str) -> bool:
    """``more`` (the items that open the next passage) go on after ``items``: not the next passage's own
    heading, not a numbered item after bullets (or bullets after numbers), and a number only the next one
    ("1. support, ..., 5. welzijn" is not followed by the heading "10. Inwoners met ...")."""
    if not items or not more:
        return True
    if heading and fold(heading) in fold(more[0]):
        return False
    first = _ITEM_NUMBER.match(more[0].strip())
    numbers = [int(n) for n in re.findall(r"(?:^|\s)\(?(\d{1,2})[.)]\s", " " + items[-1])]
    if (first is None) != (not numbers):
        return False  # bullets, then a numbered item (or the other way round): another list or a heading
    return first is None or int(first.group(1)) == max(numbers) + 1


_YEARS_HEADER = re.compile(r"(?:\b(?:19|20)\d{2}\b[ \t]+){2,}\b(?:19|20)\d{2}\b")
_AMOUNT_CELL = re.compile(r"^-?\(?-?\d{1,3}(?:\.\d{3})*(?:,\d+)?\)?%?$|^-$")
_UNIT = re.compile(r"bedragen\s+(?:x|in)\s+€\s*[\d.]+|x\s+€\s*1\.000|\(?€\s*x\s*[\d.]+\)?", re.I)


def number_rows(text: str) -> list[str]:
    """The rows of the tables of figures by year that the PDF's text layer gives as running text, each as one
    sentence with its column names: "Personeelskosten: 2024: 51.660; 2025: 55.990; ... (bedragen x € 1.000)."

    A header of three or more years ("2024 2025 2026") gives the columns; after it, each run of words
    followed by exactly that many figures is a row, up to the next header. A caption before the header that
    ends in the unit names the table in each row ("Lelystad (Totale inwonerbijdrage per gemeenten): 2026:
    2.564; ..."), so rows of two tables on one page are told apart. Hand-written because the table has no
    ruling lines for pdfplumber to find and arrives at the answerer as text.
    """
    rows: list[str] = []
    headers = list(_YEARS_HEADER.finditer(text))
    for number, header in enumerate(headers):
        end = headers[number + 1].start() if number + 1 < len(headers) else len(text)
        start = max(headers[number - 1].end() if number else 0, header.start() - 200)
        before = text[start : header.start()]
        unit = next(reversed(list(_UNIT.finditer(before))), None)  # the unit nearest the header
        suffix = f" ({unit.group(0).strip('() ')})" if unit else ""
        title = _caption(before[: unit.start()]) if unit else ""
        rows += _rows(text[header.end() : end], header.group(0).split(), f" ({title})" if title else "", suffix)
    return rows


#: The start of a row ``number_rows`` writes: "Almere (caption): 2026: 6.947; ..." or "Almere: 2026: ...".
ROW_LABEL = re.compile(r"^[^:;.]{1,120}: (?:19|20)\d{2}: ")


def _caption(lead: str) -> str:
    """The words of a table's caption before its unit ("... 945 161 Totale inwonerbijdrage per gemeenten (" ->
    "Totale inwonerbijdrage per gemeenten"): after the last figure or line break, at most eight words."""
    words: list[str] = []
    for token in reversed(lead.rsplit("\n", 1)[-1].rstrip(" (").split()):
        if _AMOUNT_CELL.match(token) or len(words) == 8:
            break
        words.insert(0, token)
    return " ".join(words).strip(" (")


def _rows(body: str, years: list[str], title: str, suffix: str) -> list[str]:
    rows: list[str] = []
    label: list[str] = []
    cells: list[str] = []
    for token in body.split():
        if _AMOUNT_CELL.match(token):
            if not label:
                break  # figures without a row name: not this table any more
            cells.append(token)
            if len(cells) == len(years):
                columns = "; ".join(f"{year}: {cell}" for year, cell in zip(years, cells, strict=True))
                rows.append(f"{' '.join(label)}{title}: {columns}{suffix}.")
                label, cells = [], []
            continue
        if cells:
            break  # a row with fewer figures than columns: the table ends
        label.append(token)
        if len(label) > 8:
            break  # running text, not a row name
    return rows


#: Column names of table rows in plain Dutch.
COLUMNS = {
    "actie": "Actie",
    "hoofdverantwoordelijke": "Hoofdverantwoordelijk",
    "aanjager": "Aanjager",
    "planning": "Planning",
    "status": "Stand van zaken",
    "commissie": "Commissie",
    "portefeuillehouder": "Portefeuillehouder",
    "afdeling": "Afdeling",
    "onderwerp": "Onderwerp",
    "toezegging": "Vraag of toezegging",
    "antwoord": "Antwoord",
}


def row_text(fields: Mapping[str, str]) -> str:
    """A table row as one sentence: "Actie: ...; Planning: 2021-2023." with the column names in plain Dutch."""
    cells = [
        f"{COLUMNS.get(key, key.capitalize())}: {value.strip().rstrip('.;')}"
        for key, value in fields.items()
        if value.strip()
    ]
    return "; ".join(cells) + "."


#: The event a date question asks the date of: its closing participle ("Wanneer heeft de raad ... vastgesteld?").
_EVENT = re.compile(r"\b((?:ge|vastge|opge|aange|inge|uitge|afge|vooruitge|be|ver|ont)[a-z]{3,}(?:d|t|en))\W*$")


@dataclass(frozen=True)
class Weights:
    """The weights of a candidate's score (chosen on the calibration half of the evaluation set).

    context   weight of question words found elsewhere in the passage (a sentence's own words weigh 1)
    dense     weight of the passage's dense similarity above 0.8
    rank      penalty per rank of the passage
    fit       bonus when the sentence fits the answer type
    heading   bonus when the passage's own heading holds half the question words
    opening   bonus for the first sentence of a Q&A answer or glossary entry whose heading matches
    head      bonus when the passage's own heading names what a "welke ..." question asks for (``Question.head``)
    reason    bonus for a sentence that gives a reason ("omdat", "doordat", ...) to a "waarom" question
    rarity    power of a question word's rarity in its weight (``rarity``): 0 weighs every word alike
    items     weight of a question word a list matches only in its items, not in its lead-in
    event     bonus for a date question's sentence that holds the event it asks the date of (``_EVENT``)
    """

    context: float = 0.15
    dense: float = 2.0
    rank: float = 0.15
    fit: float = 0.5
    heading: float = 0.5
    opening: float = 0.4
    head: float = 0.5
    reason: float = 0.5
    rarity: float = 1.0
    items: float = 0.5
    event: float = 0.5


WEIGHTS = Weights()


def rarity(terms: set[str], frequency: Mapping[str, int], size: int, power: float) -> dict[str, float]:
    """The weight of each question word: (1 + ln((size + 1) / (passages holding it + 1))) ** ``power``.

    ``frequency`` counts the passages that hold each stem (``Catalog.frequency``, ``size`` passages in
    all); a word no passage holds as such counts as held by one. ``power`` 0 weighs every word 1.
    """
    if not power or not size:
        return {term: 1.0 for term in terms}
    return {term: (1.0 + math.log((size + 1) / (max(1, frequency.get(term, 0)) + 1))) ** power for term in terms}


def score(
    question: Question,
    terms: set[str],
    candidate: Candidate,
    weights: Weights = WEIGHTS,
    weight: Mapping[str, float] | None = None,
) -> Candidate:
    """``candidate`` with its score: matched question words (each weighing ``weight[word]``, 1 when not
    given: see ``rarity``), passage rank and dense score, type fit."""
    w = weights
    words = stems(candidate.text)
    matched = word_match(terms, words)
    context = word_match(terms, stems(candidate.passage.index_text)) - matched
    of = weight or {}
    total = sum(of.get(t, 1.0) for t in terms)
    found = sum(of.get(t, 1.0) for t in matched) + w.context * sum(of.get(t, 1.0) for t in context)
    if candidate.items:  # a long list matches many words by its length alone: its lead-in says what it lists
        only_items = matched - word_match(terms, stems(lead_of(candidate)))
        found -= (1 - w.items) * sum(of.get(t, 1.0) for t in only_items)
    lexical = found / max(1.0, total) if weight else found / max(1, len(terms))
    dense = candidate.passage.signals.get("dense", 0.0)
    value = lexical + w.dense * max(0.0, dense - 0.8) - w.rank * candidate.rank
    if fits(question, candidate.text):
        value += w.fit
    # a list gives a reason in its lead-in, not because "om ... te" occurs somewhere among its items
    if question.answer_type == "reason" and _REASON.search(lead_of(candidate) if candidate.items else candidate.text):
        value += w.reason
    if question.answer_type in ("list", "procedure") and candidate.items:
        value += 0.6
    if question.years and any(year in candidate.text for year in question.years):
        value += 0.3
    if question.answer_type == "organisation" and _PLURAL_ASKED.search(fold(question.asked)):
        named = len(_ACTOR.findall(candidate.text)) + len(_NAME.findall(candidate.text))
        if named >= 3:
            value += 0.3  # "Welke organisaties werken samen ...?": "Deelnemers zijn Openbaar Ministerie, Politie, ..."
    if _ASKS_MEMBERS.search(fold(question.asked)) and _MEMBERS.search(lead_of(candidate) or candidate.text):
        value += w.fit  # "Het schakelteam bestaat uit drie medewerkers: ...", "Deelnemers zijn OM, Politie, ..."
    if _ASKS_MOTION.search(fold(question.asked)) and _OPERATIVE.search(lead_of(candidate) or candidate.text):
        value += w.fit  # "Wat moet het college doen volgens de motie?": "..., draagt het college op: - ..."
    if _ASKS_PERIOD.search(fold(question.asked)) and _PERIOD.search(candidate.text):
        value += w.fit  # "Welke jaren beslaat de regiovisie?": "... in de periode 2024-2028."
    value += phrase_bonus(question.text, candidate.text)
    if question.answer_type == "date" and w.event:
        event = _EVENT.search(fold(question.asked))
        if event and stems(event.group(1)) <= stems(candidate.text):
            value += w.event  # "Wanneer ... vastgesteld?": "In december 2020 is de regiovisie ... vastgesteld"
    if question.answer_type in ("procedure", "list") and candidate.items and _PROCEDURE_LEAD.search(candidate.text):
        value += 0.3
    passage = candidate.passage
    # A list's items seldom repeat what they list: the headings above it say it ("Eerder en beter in beeld >
    # Ambities" over the ambitions' bullets), so for a list its whole heading path counts.
    listed = question.answer_type in ("list", "procedure") and bool(candidate.items)
    own = passage.section if listed else passage.section.rsplit(" > ", 1)[-1]
    heading = word_match(terms, stems(own)) if terms else set()
    if terms and len(heading) / len(terms) >= 0.5:
        value += w.heading  # the passage's own heading is about the question
        if passage.form in ("qa", "term") and candidate.order <= 3:
            value += w.opening - 0.15 * candidate.order
    if question.head and w.head and word_match(stems(question.head), stems(own_heading(passage))):
        value += w.head  # "Welke bijlagen ...?" and a passage under "10. BIJLAGEN"
    if (
        passage.form in ("action", "commitment")
        and question.answer_type != "list"
        and not _ROW_WORDS.search(question.text)
    ):
        value -= 0.3
    if listed:
        matched = matched | heading  # the list's subject, named by its headings
    return replace(candidate, score=value, matched=frozenset(matched), anchor=anchor(question, terms, candidate))


#: A signature: a name ("De heer T.J. Romeyn", "De heer drs. G.H.S. Heemskerk MBA") and the signer's role
#: ("burgemeester") alone on its line or the next, as under a letter or a raadsvoorstel.
#: A person's name with title and initials: "De heer T.J. Romeyn", "Dhr. drs. L.A. de Lange".
_TITLED_NAME = (
    r"(?:De heer|Mevrouw|Dhr\.|Mw\.|Mevr\.)[ \t]+(?:[a-z]+\.[ \t]+)*(?:[A-Z]\.)+[ \t]*"
    rf"(?:{SURNAME_PARTICLE}[ \t]+)*[A-Z][\w'-]+"
)
_SIGNATURE = re.compile(
    rf"^[ \t]*({_TITLED_NAME}(?:[ \t]+[A-Z]{{2,}})?)[ \t]*\n?[ \t]*([a-z][a-z -]{{2,40}}?)[ \t]*$",
    re.MULTILINE,
)


#: A name as initials and surname: "N.M. Nieuwenhuizen", "L.A. de Lange".
_INITIALS_NAME = rf"(?:[A-Z]\.)+[ \t]*(?:{SURNAME_PARTICLE}[ \t]+)*[A-Z][\w'-]+"
#: A role as a label before the name in a document's header: "Voorzitter Dhr. L.A. de Lange" on one line, or
#: "Portefeuillehouder" with "N.M. Nieuwenhuizen" on the next (a raadsvoorstel's two-column header).
_LABELLED = re.compile(
    rf"^[ \t]*([A-Z][a-z]{{3,30}}):?(?:[ \t]+({_TITLED_NAME})|[ \t]*\n(?:[ \t]*\n)?[ \t]*({_INITIALS_NAME}))[ \t]*$",
    re.MULTILINE,
)


#: Two signers side by side under a council decision: "De griffier, De voorzitter," over "G.J. Broer W.H.J.M. van
#: der Loo" (roles on one line, names on a later one, in the same order).
_SIDE_BY_SIDE = re.compile(
    rf"^[ \t]*De[ \t]+([a-z]{{4,30}}),[ \t]+De[ \t]+([a-z]{{4,30}}),?[ \t]*\n(?:[ \t]*\n)*"
    rf"[ \t]*({_INITIALS_NAME})[ \t]+({_INITIALS_NAME})[ \t]*$",
    re.MULTILINE,
)


#: A role on its own line and the signer's full name on the next: "De burgemeester," over "Roelien Kamminga",
#: "Griffier," over "Josine Spier" (a council decision signed one under the other).
_ROLE_OVER_NAME = re.compile(
    rf"^[ \t]*(?:De raad voornoemd,?[ \t]+)?(?:De[ \t]+)?((?i:{ROLES})),[ \t]*\n(?:[ \t]*\n)?"
    rf"[ \t]*([A-Z][a-z]+(?:[ \t]+{SURNAME_PARTICLE})*[ \t]+[A-Z][\w'-]+)[ \t]*$",
    re.MULTILINE,
)


def signatures(passage: Passage) -> list[tuple[str, str, str]]:
    """The signatures in ``passage``: (name, role, the lines as one quote), e.g. ("De heer T.J. Romeyn",
    "burgemeester", "De heer T.J. Romeyn burgemeester"), a meeting header's "Voorzitter Dhr. L.A. de
    Lange", each of two signers side by side ("De griffier, De voorzitter," over "G.J. Broer W.H.J.M. van
    der Loo": ("G.J. Broer", "griffier", "De griffier G.J. Broer")), and a role over a full name ("Griffier," over
    "Josine Spier"). They are never quoted as a sentence (``junk``); they answer only who holds the role they
    name."""
    signed = [(m.group(1), m.group(2).strip(), " ".join(m.group(0).split())) for m in _SIGNATURE.finditer(passage.text)]
    labelled = [
        (m.group(2) or m.group(3), m.group(1).lower(), " ".join(m.group(0).split()))
        for m in _LABELLED.finditer(passage.text)
    ]
    paired = [
        (name, role, f"De {role} {name}")
        for m in _SIDE_BY_SIDE.finditer(passage.text)
        for role, name in ((m.group(1), m.group(3)), (m.group(2), m.group(4)))
    ]
    over = [
        (m.group(2), m.group(1).lower(), " ".join(m.group(0).split())) for m in _ROLE_OVER_NAME.finditer(passage.text)
    ]
    return signed + labelled + paired + over


#: The closing of a letter (or of a council decision: "De raad voornoemd,") and what follows it up to its end, a
#: copy line or an enclosure.
_CLOSING = re.compile(
    r"\b(?:Hoogachtend|Met (?:vriendelijke|hartelijke) groet(?:en)?|De raad voornoemd),?\s+(.{5,300}?)"
    r"(?=\s*(?:c\.c\.|(?i:bijlage)|Deze brief|Kenmerk|Pagina \d|Centraal postadres|Postadres|Postbus|Bezoekadres|$)"
    r"|\n\s*\d{1,2}\.(?:\s|$))",  # nor the numbered headings of a contents list after it ("1. INLEIDING")
    re.S,
)


def closing(passage: Passage) -> str:
    """The signing block of a letter in ``passage`` as one line, without its closing words ("Hoogachtend,"):
    "de minister van Volksgezondheid, de minister van Langdurige Zorg, Welzijn en Sport, Jeugd en Sport,
    Sophie Hermans Mirjam Sterk": who signed, in the layout's order (two signers side by side are read line by line, so
    roles and names are given as the page has them, not paired); "" when the passage holds none or the block
    names nobody after its last comma (the names follow the roles: "..., Sophie Hermans Mirjam Sterk", not
    "de Minister van Volksgezondheid, Welzijn en Sport, namens deze,")."""
    match = _CLOSING.search(passage.text)
    if match is None:
        return ""
    block = " ".join(match.group(1).split())
    signers = block.rsplit(",", 1)[-1]
    named = re.search(rf"\b[A-Z][a-z]+ (?:{SURNAME_PARTICLE} )*[A-Z][a-z'-]+\b|\b(?:[A-Z]\.)+ ?[A-Z][a-z]+", signers)
    return block if named else ""


#: The date line in a letter's or decision's header: "Datum 9 april 2026", "Datum: 0 9 AUG 2022" (OCR), "Datum
#: 12-03-2024".
_DATE_LINE = re.compile(
    rf"^[ \t]*Datum[ \t]*:?[ \t]*((?:\d[ \t]?)?\d[ \t]+(?:{_MONTH_NAMES}|[A-Z]{{3}})[ \t]+(?:19|20)\d{{2}}"
    rf"|\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:19|20)?\d{{2}})\b",
    re.MULTILINE | re.IGNORECASE,
)


def date_line(passage: Passage) -> str:
    """The header line that dates the document in ``passage`` ("Datum 9 april 2026"), or ""."""
    match = _DATE_LINE.search(passage.text)
    return f"Datum {' '.join(match.group(1).split())}" if match else ""


def lead_of(candidate: Candidate) -> str:
    """The lead-in of a list candidate, the text before its first item ("" without items or lead-in)."""
    cut = candidate.text.find(candidate.items[0]) if candidate.items else -1
    return candidate.text[:cut].strip() if cut > 0 else ""


def anchor(question: Question, terms: set[str], candidate: Candidate) -> str:
    """The piece of a list candidate that answers a ``SPECIFIC`` (or person, organisation, place) question:
    the lead-in or item that fits the answer type with the most question words; "" otherwise."""
    if not candidate.items or question.answer_type not in SPECIFIC | {"person", "organisation", "place"}:
        return ""
    lead = lead_of(candidate)
    pieces = [piece for piece in (lead, *candidate.items) if piece and fits(question, piece)]
    if not pieces:
        return ""
    matched = {piece: len(word_match(terms, stems(piece))) for piece in {lead, *pieces} if piece}
    best = max(pieces, key=lambda piece: matched[piece])
    fitting_items = [piece for piece in pieces if piece != lead]
    if len(fitting_items) >= 2 and lead and matched[lead] >= matched[best] > 0 and best != lead:
        return ""  # the lead-in names what the question asks about; each item answers part: the whole list
    return best


def item_lacks(question: Question, terms: set[str], candidate: Candidate) -> bool:
    """The list item the question is about lacks what it asks: for "Waar werd het symposium op 3 juni
    gehouden?", the item "8. Symposium voor bestuurders (3 juni 2020)" names no place, so a place elsewhere in
    the list answers nothing. The item is the one that matches at least two question words more than any other
    (``SPECIFIC``, person, organisation and place questions only)."""
    if not candidate.items or question.answer_type not in SPECIFIC | {"person", "organisation", "place"}:
        return False
    matched = sorted(((len(word_match(terms, stems(item))), item) for item in candidate.items), reverse=True)
    best, item = matched[0]
    runner_up = matched[1][0] if len(matched) > 1 else 0
    return best >= 2 and best >= runner_up + 2 and not fits(question, item)


def own_heading(passage: Passage) -> str:
    """The passage's own heading: the last part of its section, and a heading its text starts with
    ("10. BIJLAGEN" at the top of a passage filed under the section before it)."""
    heading = passage.section.rsplit(" > ", 1)[-1]
    parts = sentences(passage.text)
    first = parts[0].strip() if parts else ""
    if first and (_heading_item(first) or junk(first, passage.section) == "kop"):
        heading = f"{heading} {first}"
    return heading


def phrase_bonus(question: str, sentence: str) -> float:
    """0.3 for each pair of adjacent question words found together in the sentence ("lokaal tenzij"), at most 0.6."""
    words = [w for w in re.findall(r"[\w+/-]+", fold(question)) if w not in _STOP and len(w) > 2]
    body = " ".join(re.findall(r"[\w+/-]+", fold(sentence)))
    pairs = {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}
    return min(0.6, 0.3 * sum(1 for pair in pairs if pair in body))


#: Answer types whose answer is one specific fact: a sentence that goes on with the same subject and gives
#: another fact of the type ("... loopt tot 2022. In september 2022 is ... verlengd tot 2023.") continues it.
SPECIFIC = frozenset({"date", "count", "amount", "duration"})


#: A sentence that cannot be read without the one before it: a pronominal adverb or demonstrative that points
#: back ("Daarvoor is de ZSM-aanpak bedoeld", "De financiering hiervoor ...", "Dit betekent ...", a split
#: pronominal adverb: "Hier hebben we ... voor gekozen", "Daar zijn twee redenen voor").
_POINTS_BACK = re.compile(rf"{_BACK}|^(dit|deze|dat|die|hier|daar)\s+\w+", re.I)


def refers_back(sentence: str) -> bool:
    """True when ``sentence`` cannot be read without the sentence before it (``_POINTS_BACK``)."""
    return _POINTS_BACK.match(sentence) is not None


def continues(before: str, sentence: str) -> bool:
    """True when ``sentence`` goes on with the subject of ``before``: they share a content word of at least
    six letters ("programma") that is not a number."""
    shared = stems(before) & stems(sentence)
    return any(len(word) >= 6 and not word[0].isdigit() for word in shared)


def inherit(scored: Sequence[Candidate], question: Question | None = None) -> list[Candidate]:
    """A sentence that refers back ("Deze sluit niet meer aan ...", "De financiering hiervoor ...") shares the
    words and 0.9 of the score of the sentence before it in its passage, when that scores higher. For a
    ``SPECIFIC`` question, so does a sentence that fits its answer type and ``continues`` the one before."""
    by_place = {(c.rank, c.order): c for c in scored}
    specific = question is not None and question.answer_type in SPECIFIC
    result = []
    for c in scored:
        before = by_place.get((c.rank, c.order - 1))
        if before is not None and 0.9 * before.score > c.score:
            refers = _ANAPHOR.match(c.text) is not None
            goes_on = specific and question is not None and fits(question, c.text) and continues(before.text, c.text)
            if refers or goes_on:
                c = replace(c, score=0.9 * before.score, matched=before.matched)
        result.append(c)
    return result


def near_duplicate(a: str, b: str, threshold: float = 0.8) -> bool:
    """True when two sentences share at least ``threshold`` of their words (Jaccard over folded words)."""
    left = set(re.findall(r"\w+", fold(a)))
    right = set(re.findall(r"\w+", fold(b)))
    if not left or not right:
        return False
    return len(left & right) / len(left | right) >= threshold
