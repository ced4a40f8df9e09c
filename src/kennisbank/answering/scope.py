"""Scope: which document, region and period an answer comes from, and what the collection holds.

``Catalog`` is what the answerer knows of the index beyond the retrieved passages:
each document's metadata (``places``, ``status``, ``replaced_by``), per
passage the passage after it in its document (a list that continues there), and
the index's synonym groups (the retriever's, so both layers expand a question alike).
``KnowledgeBase`` hands it to the answerer (``attach``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kennisbank.analysis import place_adjectives, place_pattern, tokenize
from kennisbank.ingest.documents import DocumentMeta
from kennisbank.passage import Passage
from kennisbank.synonyms import Synonyms
from kennisbank.text import fold


@dataclass(frozen=True)
class Catalog:
    """Document metadata by document id, the next passage (same document) by passage id, every passage in
    document order, per stemmed word (``kennisbank.analysis.tokenize``) the number of passages that hold it,
    and the index's ``Synonyms`` (those BM25 expands with; none: questions are not expanded)."""

    documents: Mapping[str, DocumentMeta] = field(default_factory=dict)
    following: Mapping[str, Passage] = field(default_factory=dict)
    passages: tuple[Passage, ...] = ()
    frequency: Mapping[str, int] = field(default_factory=dict)
    synonyms: Synonyms = field(default_factory=Synonyms)

    @classmethod
    def build(
        cls, documents: Mapping[str, DocumentMeta], passages: Iterable[Passage], synonyms: Synonyms | None = None
    ) -> Catalog:
        """From the index's document metadata, its passages (any order) and its synonyms."""
        ordered = sorted(passages, key=lambda p: (p.doc, p.start))
        # a footnote written out after the body (form "note") follows no passage: no list runs on into it
        following = {a.id: b for a, b in zip(ordered, ordered[1:], strict=False) if a.doc == b.doc and b.form != "note"}
        frequency: dict[str, int] = {}
        for words in tokenize([p.index_text for p in ordered]) if ordered else []:
            for word in set(words):
                frequency[word] = frequency.get(word, 0) + 1
        return cls(dict(documents), following, tuple(ordered), frequency, synonyms or Synonyms())

    def of_document(self, doc: str) -> list[Passage]:
        """The passages of document ``doc``, in document order."""
        return [passage for passage in self.passages if passage.doc == doc]

    def places(self) -> set[str]:
        """Every municipality and region the documents name in their metadata."""
        names = {meta.region for meta in self.documents.values() if meta.region}
        for meta in self.documents.values():
            names.update(meta.places)
        return names

    def regions(self) -> list[str]:
        """The documents' regions, in a stable order, without repeats."""
        return sorted({meta.region for meta in self.documents.values() if meta.region})

    def covers(self, place: str, passage: Passage) -> bool:
        """True when ``place`` occurs in the passage (text, section, title) or in its document's region or places.

        A line of the text that is a source reference (an author-year "(2014)", a URL, "Zie:") does not count:
        "Verwey Jonker: Utrecht" says where a study was published, not that the passage is about Utrecht.
        """
        folded = fold(place)
        # the name, its abbreviation in the synonyms ("NHN") or its adjective ("Kennemerlandse MDA++"), written
        # with a space or a hyphen
        names = {
            folded,
            *(fold(word) for group in self.synonyms.groups if _names_place(group, folded) for word in group),
        }
        pattern = place_pattern([form for name in names for form in (name, *place_adjectives(name))])
        body = "\n".join(line for line in passage.text.split("\n") if not _REFERENCE.search(line))
        if pattern.search(fold(" ".join((body, passage.section, passage.title, passage.region)))):
            return True
        meta = self.documents.get(passage.doc)
        if meta is None:
            return False
        return any(pattern.search(fold(name)) or fold(name) == folded for name in (meta.region, *meta.places) if name)


def _names_place(group: tuple[str, ...], place: str) -> bool:
    """A synonym group that holds ``place`` (folded), with spaces and hyphens alike."""
    plain = re.sub(r"[\s-]+", " ", place)
    return any(re.sub(r"[\s-]+", " ", fold(word)) == plain for word in group)


#: A source reference: an author-year citation, a URL or "Zie:".
_REFERENCE = re.compile(r"\((?:19|20)\d{2}\)|https?://|www\.|\bZie:")


def scope_line(passage: Passage, meta: DocumentMeta | None) -> str:
    """ "Volgens <titel> (<regio>, <periode>)", with the document's status when it is not adopted."""
    title = passage.title or passage.doc
    details = [part for part in (passage.region, passage.period) if part and part not in title]
    line = f"Volgens {title}" + (f" ({', '.join(details)})" if details else "")
    if meta is not None and meta.status == "concept":
        line += " — let op: dit is een concept, nog niet vastgesteld"
    elif meta is not None and meta.status == "vervallen":
        line += " — let op: dit document is vervallen"
        if meta.replaced_by:
            line += f" en vervangen door {meta.replaced_by}"
    return line


_SUBJECT = re.compile(r"\b(over|about|voor|for)\s+(.+?)\s*\??$", re.I)


def places_of(region: str, catalog: Catalog) -> tuple[list[str], list[DocumentMeta]]:
    """The municipalities the documents of ``region`` cover, by their metadata (``places``, in order, without
    repeats), and those documents; ([], []) when no document of that region lists any."""
    metas = [
        meta
        for meta in sorted(catalog.documents.values(), key=lambda m: m.title or m.doc)
        if meta.places and fold(meta.region) == fold(region)
    ]
    places = list(dict.fromkeys(place for meta in metas for place in meta.places if fold(place) != fold(region)))
    return places, metas if places else []


def documents_about(question: str, catalog: Catalog) -> tuple[str, list[DocumentMeta]]:
    """The subject a collection question asks about, and the documents whose metadata or title name it.

    "Welke documenten gaan over Zevenaar?" -> ("Zevenaar", [the Zevenaar document]);
    without a subject every document is listed.
    """
    match = _SUBJECT.search(question.strip())
    subject = match.group(2).strip() if match else ""
    metas = sorted(catalog.documents.values(), key=lambda m: m.title or m.doc)
    if not subject:
        return "", metas
    folded = fold(subject)
    hits = [
        meta
        for meta in metas
        if folded in fold(" ".join((meta.title, meta.region, meta.kind, meta.period, *meta.places, meta.doc)))
    ]
    return subject, hits
