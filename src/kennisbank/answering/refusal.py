"""Answerability: may the retrieved passages answer this question, and if not, what exactly is missing.

A question is answered only when a candidate sentence fits its answer type and
every constraint:

- a **place** is met when it occurs in the passage, or in its document's
  ``region`` or ``places`` (``Catalog.covers``);
- a **year** is met only when it occurs in the quoted sentence or its passage:
  a document's period is its scope, not evidence;
- the **answer type** is met by ``evidence.fits``; a count or amount question's
  focus word ("meldingen") must occur in the same sentence.

A refusal says in Dutch what is missing ("De documenten noemen geen
telefoonnummer van Veilig Thuis.", "Over Amsterdam staat niets in de
documenten; wel over ...", "Cijfers over 2023 staan er niet in; de meest
recente zijn van 2020.") and is followed by the closest passages, marked as
not the answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kennisbank.answering.citations import NO_ANSWER
from kennisbank.answering.question import Question
from kennisbank.answering.scope import Catalog
from kennisbank.passage import Passage
from kennisbank.text import fold

#: Kinds of missing information, as ``Refusal.missing`` and the eval items' ``missing`` name them.
MISSING_KINDS = ("plaats", "jaar", "contact", "aantal", "bedrag", "naam", "datum", "duur", "onderwerp")

_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
#: Past participles a Dutch question closes on ("Uit welk potje wordt ... betaald?"); a list, since "beleid",
#: "aanbod" and "gezondheid" look like participles too.
_PARTICIPLE = re.compile(
    r"betaald|gefinancierd|bekostigd|besteed|geregeld|gedaan|ingezet|uitgevoerd|gebruikt|bepaald|vastgesteld|"
    r"georganiseerd|opgesteld|genomen|gegeven|gemaakt|geïnformeerd|geinformeerd|gemeld|verstrekt"
)
_SUBJECT = re.compile(r"\b(van|bij|voor|of|at|for)\s+(de\s+|het\s+|the\s+)?(.+?)\s*[?.!]*$", re.I)
#: Without "van", "bij" or "voor": the words after the question's last "in" ("... in 2021 opgelegd in Noord-Holland
#: Noord?" is about Noord-Holland Noord, not "2021 opgelegd in ...").
_SUBJECT_IN = re.compile(r"^.*\b(in)\s+(de\s+|het\s+|the\s+)?(.+?)\s*[?.!]*$", re.I)


def meets_places(question: Question, passage: Passage, catalog: Catalog) -> bool:
    """Every place of the question occurs in the passage or its document's region and places."""
    return all(catalog.covers(place, passage) for place in question.places)


def meets_years(question: Question, passage: Passage) -> bool:
    """Every year of the question occurs in the passage's text or section (not only in its document's period),
    or is part of the document's name the question uses (``names_document``), or is the one year of a dated
    document (a meeting bundle of 2024) whose passage names no year itself ("op 14 oktober een werkbezoek")."""
    body = passage.text + " " + passage.section
    undated = _YEAR.search(body) is None and passage.period.strip()
    return all(
        year in body
        or names_document(question.text, year, passage.title)
        or dates_document(question.text, year, passage)
        or (undated and passage.period.strip() == year)
        for year in question.years
    )


#: "de voortgangsbrief van april 2026", "de begroting van 2026": a document named by its date. Events ("de
#: vergadering van 12 maart 2024") are left out: their date is a fact the passage must hold.
_DATED_DOCUMENT = re.compile(
    r"\b\w*(?:brief|besluitenlijst|voorstel|begroting|nota|rapportage|verordening|bundel|beleidsplan|rapport|"
    r"kamervragen|antwoorden)\s+(?:van|uit)\s+(?:\d{1,2}\s+)?(?:(?:januari|februari|maart|april|mei|juni|juli|"
    r"augustus|september|oktober|november|december)\s+)?(\d{4})\b"
)


def dates_document(question: str, year: str, passage: Passage) -> bool:
    """True when ``year`` in ``question`` dates the document it asks about ("volgens de voortgangsbrief van april
    2026") and the passage's document is of that year (its ``period`` is that one year): a letter's passages
    seldom repeat its date."""
    return passage.period.strip() == year and any(m.group(1) == year for m in _DATED_DOCUMENT.finditer(fold(question)))


#: References whose number names a version of a document: "release 4.0" is not answered from release 3.1.
VERSIONED = ("release", "versie", "version")


def meets_versions(question: Question, passage: Passage) -> bool:
    """Every version the question names ("release 4.0", "versie 2") has its number in the passage's text, section
    or document title ("Release iJw 3.1 Procesbeschrijving" for "iJw release 3.1")."""
    body = fold(f"{passage.title} {passage.section} {passage.text}")
    return all(
        re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.]|,\d)", body)
        for word, number in (ref.split(" ", 1) for ref in question.references)
        if word in VERSIONED
    )


def names_document(question: str, year: str, title: str) -> bool:
    """True when ``year`` in ``question`` is part of a document's name, not a period: the title holds the year
    and the word before it in the question ("de verordening jeugdhulp 2026", title "Verordening jeugdhulp
    gemeente Groningen 2026"; "de regiovisie 2020-2023")."""
    if not title or year not in title:
        return False
    folded = fold(title)
    for match in re.finditer(rf"([\w-]+)\s+(?:\d{{4}}\s*[-–]\s*)?{year}\b", fold(question)):
        word = match.group(1)
        if len(word) > 3 and not word.isdigit() and word in folded:
            return True
    return False


def names_actor(question: Question, sentence: str, passage: Passage) -> bool:
    """For a "wat doet X?" question (``Question.actor``), ``sentence`` or the passage's own heading names X
    (each word of it; a glossary entry "Veilig Thuis" need not repeat its term); True for other questions.
    "Wat doet de GGD bij huiselijk geweld?" is not answered by a sentence about the wet publieke gezondheid."""
    if not question.actor:
        return True
    said = fold(f"{sentence} {passage.section.rsplit(' > ', 1)[-1]}")
    return all(re.search(rf"\b{re.escape(word)}", said) for word in re.findall(r"[\w+-]+", fold(question.actor)))


def missing_kind(question: Question) -> str:
    """The kind of missing information a type refusal reports (one of ``MISSING_KINDS``)."""
    return {
        "contact": "contact",
        "count": "aantal",
        "amount": "bedrag",
        "cost": "bedrag",
        "person": "naam",
        "organisation": "naam",
        "date": "datum",
        "duration": "duur",
    }.get(question.answer_type, "onderwerp")


def subject(question: Question) -> str:
    """What the question is about, for a refusal: the words after its last "van"/"bij"/"voor" ("Veilig Thuis"),
    without the verb a Dutch question ends in after a name ("... bij Veilig Thuis terugkijken?")."""
    match = _SUBJECT.search(question.asked) or _SUBJECT_IN.search(question.asked)
    if not match:
        return ""
    words = match.group(3).split()
    if len(words) > 6 or not words:
        return ""
    # a name or a year, then the question's closing verb or its particle: "bij Veilig Thuis terugkijken", "in 2021 af",
    # "in de regio Arnhem-Achterhoek opgeleid"; not after a place adjective, whose noun follows it: "van het
    # Almeerse schakelteam"
    adjective = words[0].endswith(("se", "sche")) and len(words) > 1
    named = [i for i, word in enumerate(words) if word[:1].isupper() or word[:1].isdigit()]
    if named and not adjective:
        del words[named[-1] + 1 :]
    # a question closing on its participle: "... het delen van informatie betaald?"
    while len(words) > 1 and _PARTICIPLE.fullmatch(words[-1]):
        words.pop()
    # "het Almeerse schakelteam", "de regio Arnhem-Achterhoek"; not "de Veilig Thuis"
    article = (match.group(2) or "").strip().lower() if adjective or words[0][:1].islower() else ""
    return " ".join([article, *words] if article else words)


def _written(place: str) -> re.Pattern[str]:
    """``place`` as a name in running text: capitalised, whole words, a space or a hyphen between its parts."""
    parts = (re.escape(part[:1].upper() + part[1:]) for part in re.split(r"[\s-]+", place.strip()) if part)
    joined = r"[\s-]+".join(parts)
    return re.compile(rf"(?<![\w-]){joined}(?![\w-])")


def place_refusal(places: Sequence[str], catalog: Catalog) -> str:
    """ "Over Amsterdam staat niets in de documenten; wel over Arnhem-Achterhoek en Noord-Holland Noord."; for a
    place the documents do mention elsewhere (their ``places`` or any passage), that they say nothing about it
    here: "De gevonden passages gaan niet over Haarlem; Haarlem komt in de documenten wel voor, maar niet
    bij dit onderwerp."."""
    regions = catalog.regions()
    named = " en ".join(places)
    folded = {fold(place) for place in catalog.places()}
    # the name itself, capitalised, as words of a passage: its stems and lower case say too much ("Assen" is also
    # "assen", the plural of "as")
    written = {place: _written(place) for place in places}
    mentioned = [
        place
        for place in places
        if fold(place) in folded or any(written[place].search(passage.text) for passage in catalog.passages)
    ]
    if mentioned and len(mentioned) == len(places):
        return (
            f"De gevonden passages gaan niet over {named}; {named} komt in de documenten wel voor, "
            "maar niet bij dit onderwerp."
        )
    if not regions:
        return f"Over {named} staat niets in de documenten."
    listed = ", ".join(regions[:-1]) + (" en " if len(regions) > 1 else "") + regions[-1]
    return f"Over {named} staat niets in de documenten; wel over {listed}."


#: How many closest passages a refusal shows (marked as not the answer).
SHOWN = 3


def year_refusal(
    question: Question, passages: Sequence[Passage], shown: int = SHOWN, placed: Sequence[Passage] | None = None
) -> str:
    """ "Cijfers over 2023 (voor Alkmaar) staan niet in de documenten; de meest recente ... zijn van 2020 [1]."
    (the year of the closest passages, among the first ``shown``, those the refusal shows, and of those only
    the ``placed`` ones, which meet the question's places, when given; the earliest
    when the question asks about a time before all of them; the question's places named, since another
    place may have that year)."""
    years = question.years
    named = " en ".join(years)
    what = "Cijfers" if question.answer_type in ("count", "amount") else "Gegevens"
    allowed = {p.id for p in placed} if placed is not None else {p.id for p in passages}
    found = [
        (y, n)
        for n, passage in enumerate(passages[:shown], 1)
        if passage.id in allowed  # another region's years say nothing about this one
        for y in _YEAR.findall(passage.text)
    ]
    found = [(y, n) for y, n in found if y not in years]
    place = f" voor {' en '.join(question.places)}" if question.places else ""
    text = f"{what} over {named}{place} staan niet in de documenten"
    if not found:
        return text + "."
    if years and max(years) < min(y for y, _ in found):
        earliest, where = min(found, key=lambda f: (f[0], f[1]))
        return f"{text}; de vroegste in de gevonden passages zijn van {earliest} [{where}]."
    latest, where = max(found, key=lambda f: (f[0], -f[1]))
    return f"{text}; de meest recente in de gevonden passages zijn van {latest} [{where}]."


def type_refusal(question: Question) -> str:
    """ "De documenten noemen geen telefoonnummer van Veilig Thuis." (what the answer type needs, and of what)."""
    noun = question.asks_for()
    if noun == "antwoord":
        return NO_ANSWER
    about = subject(question)
    # an English role the index has no Dutch word for stays out of a Dutch sentence: not "wie de director is"
    untranslated = question.lang == "en" and re.search(rf"\b{re.escape(question.focus)}\b", fold(question.text))
    if question.answer_type == "person" and question.focus and not untranslated:
        of = f" van {about}" if about and question.lang == "nl" else ""
        plural = question.focus.endswith("en") or (question.focus.endswith("s") and not question.focus.endswith("is"))
        verb = "zijn" if plural else "is"  # "de partners", "de leden"; "de secretaris"
        return f"De documenten noemen niet wie de {question.focus}{of} {verb}."
    if about and question.lang == "nl":
        preposition = "van" if question.answer_type in ("contact", "person", "organisation") else "over"
        missing_years = [year for year in question.years if year not in about]
        when = f" in {' en '.join(missing_years)}" if missing_years else ""  # "over de regio Arnhem in 2019"
        return f"De documenten noemen geen {noun} {preposition} {about}{when}."
    return f"De documenten noemen hierover geen {noun}."


#: Capitalised words before or after a role that are no name ("De directeur").
_DETERMINERS = frozenset({"De", "Het", "Een", "Onze", "Deze", "Die", "Dit", "Hun", "Zijn", "Haar", "The", "A", "Van"})


def has_focus(question: Question, sentence: str) -> bool:
    """A count or amount question's focus word ("meldingen") occurs in the sentence as a word of its own
    (its first 5 letters and at most 6 more: "melding", "Nederlandse"; not "kindermishandeling" for "kinderen").
    A person question's role ("directeur") must stand next to a capitalised name ("Portefeuillehouder: Albers",
    "Deelnemers zijn Openbaar Ministerie, Politie, ...").
    """
    if not question.focus:
        return True
    stem = re.escape(fold(question.focus)[:5])
    if question.answer_type == "person":
        role = re.escape(fold(question.focus))
        text = sentence
        folded = fold(text)
        for match in re.finditer(rf"\b{role}\b", folded):
            after = text[match.end() : match.end() + 40]
            before = text[max(0, match.start() - 40) : match.start()]
            name_after = re.match(
                r"\s*[:,]?\s*(?:(?:is|zijn|was|waren)\s+)?(?:de heer |mevrouw |dhr\.? |mevr\.? )?"
                r"(?:(?:[A-Z]\.\s*)+(?:(?:van|de|der|den|ter|ten)\s+)*)?"  # initials: "L. de Lange"
                r"(?:(?:Van|De|Ter|Ten)\s+(?:(?:der|den|de)\s+)?(?=[A-Z]))?([A-Z][a-z]+)",  # "Van Riswijk", "De Vries"
                after,
            )
            name_before = re.search(r"([A-Z][a-z]+),?\s*(?:\(\w+\))?\s*$", before)
            for name in (name_after, name_before):
                if name and name.group(1) not in _DETERMINERS:
                    return True
        return False
    folded = fold(sentence)
    if fold(question.focus) in folded.replace(" ", ""):
        return True  # written apart: "crisisopvang trajecten"
    return re.search(rf"\b{stem}\w{{0,6}}\b", folded) is not None


def meets_names(question: Question, passage: Passage, kind: str = "") -> bool:
    """For a question asking for a specific fact (count, amount, date, duration, contact), every name it
    gives ("Wet gegevensdeling samenwerkingsverbanden") occurs in the passage, in its document's file name
    ("GGD" in "ggd-flevoland-vergaderbundel-2024-11-07.pdf", whose pages say "het AB" and "de directie") or is
    the ``kind`` of its document ("Kamervragen" for a document of kind "kamervragen", whose text says "Vragen
    van het lid"): its longest word, folded, without its last four letters."""
    if not question.strict or not question.names:
        return True
    body = " ".join((fold(passage.index_text), fold(kind), fold(passage.doc.replace("-", " "))))
    for name in question.names:
        # an abbreviation before a common noun names only the body: "GGD-medewerkers" is about the GGD
        name = re.sub(r"^([A-Z]{2,})-[a-z]+$", r"\1", name)
        word = max(re.findall(r"[\w+-]+", fold(name)), key=len)
        # Each part of a hyphenated name on its own ("Woo-besluit": "woo", "besluit"); other endings count:
        # "Nederlanders", "Nederlandse".
        if any(part[: max(6, len(part) - 4)] not in body for part in word.split("-") if part):
            return False
    return True
