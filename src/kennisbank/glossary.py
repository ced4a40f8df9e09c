"""The glossary: every term passage of every document, plus the abbreviations the documents spell out.

An abbreviation is found where the text gives its long form before it in brackets,
"Veilig Thuis (VT)", "Raad voor de Kinderbescherming (RvdK)": the long form is the
shortest run of words before the bracket whose letters spell the abbreviation in order,
its first letter starting a word (Schwartz & Hearst, "A simple algorithm for identifying
abbreviation definitions in biomedical text", PSB 2003). ``spelled_out`` is the one
extractor: the glossary lists what it finds, and ``kennisbank.synonyms`` makes the same
pairs query expansions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kennisbank.passage import Passage, citation_label
from kennisbank.text import sentence_spans, strip_heading

#: An abbreviation in brackets: 2-10 characters, starting with a capital ("VT", "RvdK", "MDA++", "Bopz").
_ABBREVIATION = re.compile(r"\(([A-Z][A-Za-z0-9+&/-]{1,9})\)")
_WORDS_BEFORE = re.compile(r"[^.;:!?()\n]*$")


@dataclass(frozen=True)
class GlossaryEntry:
    """One glossary entry and where it stands.

    term        the term ("Kindcheck") or the abbreviation ("VT")
    definition  the term's definition, or for an abbreviation the sentence that spells it out
    expansion   the long form of an abbreviation ("Veilig Thuis"); "" for a term
    doc, title, section, page   the source, as in ``Passage``
    start, end  offsets of the passage (term) or the sentence (abbreviation) in the cleaned document text
    """

    term: str
    definition: str
    expansion: str
    doc: str
    title: str
    section: str
    page: int | None
    start: int
    end: int

    @property
    def label(self) -> str:
        """Where it stands: ``"Title — Section, p. 3"``."""
        return citation_label(self.title or self.doc, self.section, self.page)

    @property
    def haystack(self) -> str:
        """What a glossary search looks in (lower case)."""
        return f"{self.term}\n{self.expansion}\n{self.definition}".lower()


def long_form(short: str, before: str) -> str | None:
    """The long form of ``short`` at the end of ``before``, or None when its letters do not spell it.

    >>> long_form("RvdK", "De Raad voor de Kinderbescherming")
    'Raad voor de Kinderbescherming'
    """
    s, i = len(short) - 1, len(before) - 1
    while s >= 0:
        char = short[s].lower()
        if not char.isalnum():
            s -= 1
            continue
        while i >= 0 and (before[i].lower() != char or (s == 0 and i > 0 and before[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    start = max(before.rfind(" ", 0, i + 1), before.rfind("\t", 0, i + 1)) + 1
    found = before[start:].strip(" ,\t")
    head = before[:start].split()
    if found[:1].islower() and head and head[-1][:1] == short[0].upper():
        found = f"{head[-1]} {found}"  # "Vereniging van Nederlandse Gemeenten (VNG)": the capital starts it
    if len(found) <= len(short) or found.lower() == short.lower():
        return None
    return found


def spelled_out(text: str) -> list[tuple[str, str, int]]:
    """(short, long, offset of the bracket) for every "Long form (SHORT)" in ``text``, in text order.

    The long form (``long_form``) is sought in the words between the last sentence end and the
    bracket, at most ``min(len(short) + 5, 2 * len(short))`` of them (Schwartz & Hearst). A short
    form with one capital ("Bopz", "Wvggz") counts only with a long form of two words or more, so
    that "(Zie)" spells nothing out. Over the five documents of ``corpus/`` this finds 20 pairs;
    one is wrong ("Centrum voor Seksueel geweld gevestigd (CSG)", where the text puts the verb
    before the bracket).
    """
    found: list[tuple[str, str, int]] = []
    for match in _ABBREVIATION.finditer(text):
        short = match.group(1)
        words = _WORDS_BEFORE.search(text[: match.start()])
        candidate = words.group(0).split() if words else []
        before = " ".join(candidate[-min(len(short) + 5, 2 * len(short)) :])
        expansion = long_form(short, before)
        if expansion is None or (sum(c.isupper() for c in short) < 2 and len(expansion.split()) < 2):
            continue
        found.append((short, expansion, match.start()))
    return found


def abbreviations(passage: Passage) -> list[GlossaryEntry]:
    """The abbreviations ``passage`` spells out (``spelled_out``), each with the sentence it stands in."""
    found: list[GlossaryEntry] = []
    text = passage.text
    sentences = sentence_spans(text)
    for short, expansion, at in spelled_out(text):
        start, end = next(((a, b) for a, b in sentences if a <= at < b), (at, at + len(short) + 2))
        found.append(
            GlossaryEntry(
                term=short,
                definition=text[start:end],
                expansion=expansion,
                doc=passage.doc,
                title=passage.title,
                section=passage.section,
                page=passage.page,
                start=passage.start + start,
                end=passage.start + end,
            )
        )
    return found


def term_entry(passage: Passage) -> GlossaryEntry:
    """A glossary passage (form ``term``) as an entry: its term and the text after it."""
    term = passage.section.rsplit(" > ", 1)[-1]
    return GlossaryEntry(
        term=term,
        definition=strip_heading(passage.text.strip(), term),
        expansion="",
        doc=passage.doc,
        title=passage.title,
        section=passage.section,
        page=passage.page,
        start=passage.start,
        end=passage.end,
    )


def glossary(passages: Iterable[Passage]) -> list[GlossaryEntry]:
    """Every term passage and every spelled-out abbreviation of all documents, sorted by term.

    An abbreviation spelled out the same way in several places is listed once (its first place,
    in document order).
    """
    ordered = sorted(passages, key=lambda p: (p.doc, p.start))
    entries = [term_entry(p) for p in ordered if p.form == "term"]
    seen: set[tuple[str, str]] = set()
    for passage in ordered:
        for entry in abbreviations(passage):
            key = (entry.term, entry.expansion.lower())
            if key not in seen:
                seen.add(key)
                entries.append(entry)
    return sorted(entries, key=lambda e: (e.term.lower(), e.expansion.lower(), e.doc))
