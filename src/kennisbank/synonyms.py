"""Synonyms for query expansion: abbreviations the corpus defines, and pairs a maintainer adds.

Two sources, merged into groups of phrases that mean the same:

- the corpus itself: every "Voluit (AFK)" the passages contain ("Decentralisatie-uitkering
  Vrouwenopvang (DUVO)", "Raad voor de Kinderbescherming (RvdK)"), found as the glossary
  finds them (``kennisbank.glossary.spelled_out``, Schwartz & Hearst's algorithm);
- ``corpus/synoniemen.toml``, a ``[synoniemen]`` table of ``"AFK" = "Voluit"`` or
  ``"woord" = ["ander woord", ...]``, and an ``[engels]`` table of ``"English words" = "Nederlandse
  woorden"`` (a glossary that lets an English question's BM25 side find Dutch passages; see that
  file). Its sha256 is part of every document's fingerprint, so an edit takes effect on the next ingest.

At query time a group whose phrase occurs in the question (as analysed tokens) adds the
tokens of its other phrases: "VT" also searches "veilig thuis", and back.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections import Counter
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kennisbank.analysis import DEFAULT, Analyzer, place_adjectives
from kennisbank.errors import DocumentError, unreadable_toml
from kennisbank.glossary import spelled_out

#: The maintainers' file in the corpus folder.
SYNONYMS_FILE = "synoniemen.toml"
#: Its tables: Dutch synonyms and abbreviations, and English words of questions with the Dutch words
#: of the documents (both become groups; an English question's expansions weigh more, see ``store.bm25``).
TABLE = "synoniemen"
ENGLISH_TABLE = "engels"


class EnglishGroup(tuple[str, ...]):
    """A group of the ``[engels]`` table: English words and the Dutch words the documents use.

    It expands English questions only: a Dutch question gains nothing from English words, and
    English words that the Dutch stemmer maps onto Dutch stems ("help") would match wrongly.
    """

    __slots__ = ()


@dataclass(frozen=True)
class Synonyms:
    """Groups of phrases that mean the same (each group 2 or more phrases, as written).

    groups    Dutch synonyms and abbreviations: expand every question
    english   English words with their Dutch words (``[engels]``): expand English questions only
    """

    groups: tuple[tuple[str, ...], ...] = ()
    english: tuple[tuple[str, ...], ...] = ()

    def expand(self, tokens: Sequence[str], analyzer: Analyzer = DEFAULT, english: bool = False) -> list[str]:
        """``tokens`` plus the tokens of every phrase grouped with a phrase all of whose tokens occur, each as
        often as the phrase has it ("Noord-Holland" does not mention "Noord-Holland Noord", whose tokens are
        those of "Noord-Holland" and "noord" once more; ``english``: the ``english`` groups count too).

        Added tokens come after the question's own, each once, none that it already has.
        """
        present = Counter(tokens)
        added: list[str] = []
        groups = _analyse(self.groups, analyzer) + (_analyse(self.english, analyzer) if english else ())
        for phrases in groups:
            if any(p and Counter(p) <= present for p in phrases):
                for phrase in phrases:
                    for token in phrase:
                        if token not in present:
                            present[token] += 1
                            added.append(token)
        return list(tokens) + added

    def expand_text(self, text: str, analyzer: Analyzer = DEFAULT) -> str:
        """``text`` followed by the other phrases of every group it mentions, in brackets (for the embedder)."""
        extra = self.phrases(text, analyzer)
        return f"{text} ({'; '.join(extra)})" if extra else text

    def phrases(
        self, text: str, analyzer: Analyzer = DEFAULT, english: bool = False, known: Container[str] | None = None
    ) -> list[str]:
        """The other phrases, as written, of every group ``text`` mentions (all tokens of one of its
        phrases occur in ``text``), in group order; ``english``: the ``english`` groups count too;
        ``known`` (tokens, e.g. those the index's passages hold): only phrases all of whose tokens it has.

        >>> merge([("VT", "Veilig Thuis")]).phrases("Wat doet VT?")
        ['Veilig Thuis']
        """
        present = Counter(analyzer.analyze(text))
        groups = self.groups + (self.english if english else ())
        analysed = _analyse(self.groups, analyzer) + (_analyse(self.english, analyzer) if english else ())
        extra: list[str] = []
        for group, tokens in zip(groups, analysed, strict=True):
            hit = [i for i, p in enumerate(tokens) if p and Counter(p) <= present]
            if hit:
                extra.extend(
                    group[i]
                    for i in range(len(group))
                    if i not in hit and (known is None or (tokens[i] and all(t in known for t in tokens[i])))
                )
        return extra

    def dutch(self, word: str) -> str:
        """The Dutch word of an English ``word`` (case-insensitive) per the ``english`` groups, else "".

        ``[engels]`` lines read ``English = Dutch``, so each group (lines sharing a phrase merged,
        order kept) begins with an English phrase and its Dutch one: the group's second phrase.
        "reports" -> "meldingen", "costs" -> "kosten" (merged with "cost").
        """
        key = word.casefold()
        for group in self.english:
            if len(group) > 1 and key in (p.casefold() for p in group):
                return group[1]
        return ""

    def to_json(self) -> str:
        """The groups as JSON text (stored with the BM25 index)."""
        data = {"groups": [list(g) for g in self.groups], "english": [list(g) for g in self.english]}
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Synonyms:
        """The synonyms ``to_json`` wrote (or a plain list of groups, as older indexes hold)."""
        data = json.loads(text)
        if isinstance(data, list):
            data = {"groups": data}

        def groups(name: str) -> tuple[tuple[str, ...], ...]:
            return tuple(tuple(str(p) for p in group) for group in data.get(name, []))

        return cls(groups("groups"), groups("english"))


@lru_cache(maxsize=8)
def _analyse(groups: tuple[tuple[str, ...], ...], analyzer: Analyzer) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Each phrase of each group as its tokens, a repeated one as often as it occurs ("Noord-Holland Noord":
    "noord" twice; computed once per index and analyser)."""
    return tuple(tuple(tuple(analyzer.analyze(p)) for p in group) for group in groups)


def merge(groups: Iterable[Sequence[str]]) -> Synonyms:
    """One group per meaning: groups sharing a phrase (case-insensitive) are joined; order is kept."""
    merged: list[list[str]] = []
    for group in groups:
        keys = {p.strip().casefold() for p in group if p.strip()}
        joined = [m for m in merged if keys & {p.casefold() for p in m}]
        target: list[str] = []
        for m in joined:
            merged.remove(m)
            target.extend(m)
        for phrase in group:
            if phrase.strip() and phrase.strip().casefold() not in {p.casefold() for p in target}:
                target.append(phrase.strip())
        if len(target) > 1:
            merged.append(target)
    return Synonyms(tuple(tuple(g) for g in merged))


def from_texts(texts: Iterable[str]) -> list[tuple[str, str]]:
    """The abbreviations defined anywhere in ``texts`` (``glossary.spelled_out``), each (short, long)
    once, in order of appearance."""
    return list(dict.fromkeys((short, long) for text in texts for short, long, _ in spelled_out(text)))


def read_file(path: Path) -> list[tuple[str, ...]]:
    """The groups of a maintainers' synonyms file (none when it does not exist); those of its
    ``[engels]`` table are ``EnglishGroup``s.

    Raises:
        DocumentError: the file is not valid TOML, has a table other than ``[synoniemen]`` and ``[engels]``
            (a misspelled table would drop every synonym without a word), or a value is not a text or a list
            of texts.
    """
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DocumentError(path, unreadable_toml(exc)) from exc
    unknown = sorted(set(data) - {TABLE, ENGLISH_TABLE})
    if unknown:
        raise DocumentError(path, f"onbekende tabel [{unknown[0]}] (toegestaan: [{TABLE}], [{ENGLISH_TABLE}])")
    groups: list[tuple[str, ...]] = []
    for name in (TABLE, ENGLISH_TABLE):
        table = data.get(name, {})
        if not isinstance(table, dict):
            raise DocumentError(path, f"[{name}] moet een tabel zijn")
        for key, value in table.items():
            values = [value] if isinstance(value, str) else value
            if isinstance(values, list) and not values:
                raise DocumentError(path, f"[{name}] {key!r}: de lijst is leeg; geef minstens één woord")
            if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
                raise DocumentError(path, f"[{name}] {key!r}: verwacht een tekst of een lijst teksten")
            groups.append(EnglishGroup((key, *values)) if name == ENGLISH_TABLE else (key, *values))
    return groups


def file_hash(path: Path) -> str:
    """sha256 (hex) of the synonyms file's bytes, or "" when there is none."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def place_groups(places: Iterable[str]) -> list[tuple[str, ...]]:
    """A group per place of the indexed documents with its adjectives ("Almere", "almeers", "almeerse"), so
    that "het Almeerse fonds" finds "Almere" (``kennisbank.analysis.place_adjectives``); countries are left out."""
    return [(place, *place_adjectives(place)) for place in sorted(set(places)) if place_adjectives(place)]


def build(texts: Iterable[str], extra: Iterable[Sequence[str]] = ()) -> Synonyms:
    """The synonyms of an index: the abbreviations ``texts`` define, and ``extra`` groups (the
    maintainers'; ``EnglishGroup``s among them expand English questions only)."""
    extra = list(extra)
    dutch = merge([*from_texts(texts), *(g for g in extra if not isinstance(g, EnglishGroup))])
    english = merge([g for g in extra if isinstance(g, EnglishGroup)])
    return Synonyms(dutch.groups, english.groups)
