"""Dutch text analysis shared by BM25 and the answer layer: one definition of a search token.

``analyze(text)`` turns a text into search tokens, the same for passages and queries:

1. **Words and identifiers** are cut from the lower-cased text. A run of letters and digits
   joined by ``. - / ,`` is one token when it holds a digit, kept as written: "2.3",
   "250.000", "6c.2", "q4", "2024-2028" (a range or date also gives its parts, "2024" and
   "2028"; a dotted number does not, so "250.000" never matches "1.250.000"). A hyphenated
   word gives the joined word and its parts of two letters or more ("ex-partner" ->
   "expartner", "ex", "partner"); trailing ``+`` stays ("mda++" and "mda"). One-letter words go.
2. **Stopwords** (stopwordsiso's Dutch list plus question words) are dropped; identifiers never are.
3. **Normal form**: diacritics folded, then the original Porter-style Dutch Snowball stemmer
   (``dutch_porter``), which strips inflection but not the prefix "ge-". Snowball's newer
   ``dutch`` (used before) stems "geweld" to "wel" and "gemeenten" to "meen", merging
   unrelated words. simplemma's Dutch lemmas ("kinderen" -> "kind"), alone or before the
   stemmer, are an option (``Analyzer.normal``) that measured worse on the calibration half
   (``benchmarks/ablation.py``).
4. **Compounds** are split with hunspell-nl's compound flags (which words may begin or end
   a compound, and with which linking "s" or plural), else over Debian's ``wdutch`` list:
   "huisverbod" gives "huisverbod", "huis", "verbod", and "veiligheidshuis" gives
   "veiligheidshuis", "veilig" (the stem of "veiligheid"), "huis": whole word first, then
   the parts (see ``split_compound``). Without either list nothing is split.

Nothing here loads an index; simplemma, PyStemmer, stopwordsiso and the word list load on first use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kennisbank.text import fold, split_sentences

#: Bump when tokenizing or the built-in query expansion (place adjectives) changes: every BM25 index is then
#: built again (it is part of the fingerprint).
TOKENIZER_VERSION = "6"
#: The Snowball stemmer: the original Dutch Porter variant, which does not strip "ge-".
STEMMER = "dutch_porter"
#: Question words that stopwordsiso's Dutch list lacks; they say what is asked, not about what.
QUESTION_WORDS = ("hoeveel", "welke", "welk", "wanneer", "waarom", "waarvoor", "waardoor", "hoelang")
#: hunspell-nl (dictionary, affixes): its compound flags say which words may begin or end a compound.
HUNSPELL = (Path("/usr/share/hunspell/nl.dic"), Path("/usr/share/hunspell/nl.aff"))
#: Debian's wdutch list: the fallback without hunspell-nl (any word may then be a part).
WORDLIST = Path("/usr/share/dict/dutch")
#: Shortest compound part, and shortest word that is tried as a compound.
MIN_PART = 4
MIN_COMPOUND = 8
#: Most parts one compound is split into.
MAX_PARTS = 3
#: Derivational endings that are also words ("lijk", "heid"): never a compound part ("huiselijk", "tijdelijk").
SUFFIXES = frozenset({"lijk", "heid", "baar", "loos", "schap", "achtig", "zaam", "ling", "ster", "isch", "tjes"})

# Letters and digits, joined by . - / ' or a comma between digits, with trailing "+" ("mda++").
_TOKEN = re.compile(r"[^\W_]+(?:(?:[.\-/'’]|,(?=\d))[^\W_]+)*\+*")
_DIGIT = re.compile(r"\d")
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")


@dataclass(frozen=True)
class Analyzer:
    """One way of turning text into search tokens (the fields switch steps off, for measuring).

    normal       "porter" (default: ``dutch_porter``), "lemma", "lemma+porter", "snowball" (``dutch``) or "none"
    compounds    split compounds over the word list and index the parts beside the whole word
    identifiers  keep numbers and codes as written ("2.3", "q4"); False splits them at every
                 non-letter, as bm25s' default tokenizer did
    """

    normal: str = "porter"
    compounds: bool = True
    identifiers: bool = True

    def analyze(self, text: str) -> list[str]:
        """The search tokens of ``text``, in text order (a compound's parts follow it)."""
        return [token for token, _ in self.terms(text)]

    def terms(self, text: str) -> list[tuple[str, str]]:
        """``analyze`` with each token's kind: "word", "part" (of a compound or hyphenated word),
        "id" (a number or code as written) or "idpart" (a part of a range or code)."""
        terms: list[tuple[str, str]] = []
        stop = _stopwords()
        for match in _TOKEN.finditer(text.lower()):
            raw = match.group(0)
            if _DIGIT.search(raw):
                ids = self._identifier(raw)
                terms.extend((token, "id" if i == 0 else "idpart") for i, token in enumerate(ids))
                continue
            for i, word in enumerate(_word_pieces(raw)):
                if len(word) < 2 or fold(word) in stop:
                    continue
                terms.append((_normal(word, self.normal), "word" if i == 0 else "part"))
                if self.compounds:
                    terms.extend((_normal(part, self.normal), "part") for part in split_compound(fold(word)))
        return terms

    def tokenize(self, texts: Sequence[str]) -> list[list[str]]:
        """``analyze`` of each text: ``len(texts)`` token lists."""
        return [self.analyze(text) for text in texts]

    def _identifier(self, raw: str) -> list[str]:
        folded = fold(raw).rstrip("+")
        if not self.identifiers:
            return [p for p in re.split(r"[^a-z0-9]+", folded) if p]
        parts = [p for p in re.split(r"[-/]", folded) if p] if not _THOUSANDS.fullmatch(folded) else []
        return [folded] + (parts if len(parts) > 1 else [])


#: Words that mark a question as English: frequent English function words that are not Dutch words.
ENGLISH_WORDS = frozenset(
    word
    for line in (
        "the what which who whom whose how does do did will would can could should are was were has have had",
        "to for and with from our my your their this that these those there about many much when where why",
        "it its be been being by on at any some into than then going like get",
    )
    for word in line.split()
)


_VOWELS = frozenset("aeiouy")
#: Countries (folded): their adjective ("Nederlandse") is an ordinary word, not a place a question keeps to.
COUNTRIES = frozenset({"nederland", "belgie", "duitsland", "germany"})


def _open_syllable(stem: str) -> str:
    """A stem whose last syllable was open, with its single vowel doubled: "almer" -> "almeer", "nijmeg" ->
    "nijmeeg" (Dutch spelling keeps the vowel long when the syllable closes); others unchanged."""
    if len(stem) >= 3 and stem[-1] not in _VOWELS and stem[-2] in _VOWELS and stem[-3] not in _VOWELS:
        return stem[:-1] + stem[-2] + stem[-1]
    return stem


#: Separable verb particles: their participle has "ge" after them ("in" of "ingedeeld", "vast" of "vastgesteld").
SEPARABLE = (
    "aan", "achter", "af", "bij", "door", "in", "mee", "na", "neer", "om", "op", "over", "samen", "tegen", "terug",
    "toe", "uit", "vast", "voor", "weg",
)  # fmt: skip
_SEPARABLE_PARTICIPLE = re.compile(rf"^({'|'.join(SEPARABLE)})?ge([a-z]{{3,}}?)[dt]$")


@lru_cache(maxsize=100_000)
def verb_stems(word: str) -> tuple[str, ...]:
    """The stems a folded participle shares with the other forms of its verb, for matching words in the answer
    layer: "ingedeeld" -> ("indeel", "indel") (as in "indeling"), "vastgesteld" -> ("vaststel",) ("vaststelling"),
    "uitgeprobeerd" -> ("uitprobeer",); ``()`` for a word that is no participle ending in -d or -t.

    Not used for BM25: indexing separable participles as their verb lowered BM25-only MRR (``evals/README.md``).
    """
    found = _SEPARABLE_PARTICIPLE.match(word)
    if not found or word.endswith("heid"):  # "gezondheid" is a noun
        return ()
    particle, root = found.group(1) or "", found.group(2)
    forms = {particle + root}
    if len(root) >= 4 and root[-2] == root[-3] and root[-2] in _VOWELS:
        forms.add(particle + root[:-2] + root[-1])  # "deel" -> "del": the vowel is single before a vowel
    return tuple(sorted((f for f in forms if len(f) >= 5), key=len, reverse=True))


def place_pattern(forms: Sequence[str]) -> re.Pattern[str]:
    """A pattern for any of ``forms`` (folded) as whole words, a space and a hyphen alike ("arnhem achterhoek"
    is Arnhem-Achterhoek, "Zaanstreek Waterland" Zaanstreek-Waterland); longer forms are tried first."""
    spelled = (re.sub(r"(\\ |\\-)+", r"[\\s-]+", re.escape(form)) for form in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{'|'.join(spelled)})(?![\w-])")


def place_adjectives(place: str) -> tuple[str, ...]:
    """The adjective forms of a Dutch place name, folded: "Almere" -> ("almeers", "almeerse"), "Groningen" ->
    ("gronings", "groningse", ...), "Den Haag" -> ("haags", "haagse"), "Noord-Holland" -> ("noord-hollands", ...).

    Dutch forms the adjective of a place with "-s"/"-se" on the name, dropping a final "-en" (Leiden,
    Leidse) or "-e" (Zwolle, Zwolse), with the vowel doubled where the syllable stays open (Almere, Almeerse);
    see the Taalunie's rules for adjectives of geographic names (taaladvies.net, "aardrijkskundige namen").
    Irregular ones ("Heiloo", "Heilooër") are not covered; a maintainer adds them to ``synoniemen.toml``.
    A country (``COUNTRIES``) has none here.
    """
    if fold(place) in COUNTRIES:
        return ()  # "Nederlandse gemeenten" names no place to keep to
    words = fold(place).split()
    if words and words[0] in ("den", "de", "het", "'s") and len(words) > 1:
        words = words[1:]
    if not words:
        return ()
    head, last = " ".join(words[:-1]), words[-1]
    prefix, _, core = last.rpartition("-")
    bases = [core]
    if core.endswith("en") and len(core) > 5:
        bases.append(_open_syllable(core[:-2]))  # groningen -> gronings, nijmegen -> nijmeegs
    if core.endswith("e") and len(core) > 3:
        stem = core[:-1]
        double = stem[-1] == stem[-2] and stem[-1] not in _VOWELS
        bases.append(stem[:-1] if double else _open_syllable(stem))  # zwolle -> zwol, almere -> almeer
    lead = " ".join(x for x in (head, prefix + "-" if prefix else "") if x).replace("- ", "-")
    forms = []
    for base in bases:
        for ending in ("e",) if base.endswith("s") else ("s", "se"):
            forms.append(f"{lead}{'' if lead.endswith('-') or not lead else ' '}{base}{ending}")
    return tuple(dict.fromkeys(forms))


def is_english(text: str) -> bool:
    """True when ``text`` reads as English: at least one English function word, and more of them than
    Dutch stopwords (words both languages share, such as "is", "in" and "of", count for neither).

    The one language test of retrieval (BM25 expansion, fusion weights) and the answer layer
    (``Question.lang``). Measured against the ``lang`` of the 576 items of ``evals/questions.jsonl``
    and ``evals/pdf/questions.jsonl``: 576/576 (an earlier 240 of them: demanding two English words
    gave 237/240, "What is a child check?" counts one), and none of the 1,643 sentences of ``corpus/`` reads as English.
    """
    words = re.findall(r"[a-z']+", fold(text))
    english = sum(w in ENGLISH_WORDS and w not in _SHARED for w in words)
    dutch = sum(w in _stopwords() and w not in _SHARED for w in words)
    return english >= 1 and english > dutch


_SHARED = frozenset({"is", "in", "of", "an", "as", "me", "we", "so", "hoe", "over", "had", "was", "are", "die"})


_ENGLISH_DECIMAL = re.compile(r"\b(\d+)\.(\d{1,2})\b(?!\.\d)")


def dutch_decimals(text: str) -> str:
    """An English text's decimal points as the documents write them: "after 1.5 years" -> "after 1,5 years"
    (one or two digits after the point; "1.500" stays, as it could be a thousand)."""
    return _ENGLISH_DECIMAL.sub(r"\1,\2", text)


def question_focus(query: str, long: int = 30) -> tuple[str, str]:
    """(question, context) of a query: a query of more than ``long`` words and several sentences is
    split into its question sentence (the last one ending in "?", else the last) and the rest;
    any other query is all question."""
    sentences = split_sentences(query) if len(query.split()) > long else []
    if len(sentences) < 2:
        return query, ""
    asked = [i for i, s in enumerate(sentences) if s.rstrip().endswith("?")]
    at = asked[-1] if asked else len(sentences) - 1
    return sentences[at], " ".join(s for i, s in enumerate(sentences) if i != at)


_QUANTITY = re.compile(
    r"\b(?:hoeveel|hoe vaak|hoe groot|welk(?:e)? (?:bedrag|aantal|percentage)|how (?:many|much|often)"
    r"|what (?:share|percentage|number|amount))\b"
)
# A number that is not a year (1900-2099) nor part of a code or date ("2024-2028", "6c.2").
_QUANTITY_IN_TEXT = re.compile(r"(?<![\w.,\-/])(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)*(?![\w\-/])")


def asks_quantity(question: str) -> bool:
    """True when ``question`` asks for a number ("hoeveel", "how many", "welk bedrag")."""
    return bool(_QUANTITY.search(fold(question)))


def has_quantity(text: str) -> bool:
    """True when ``text`` holds a number other than a year ("240", "6.251", "€ 1,2"), as a quantity answer would."""
    return bool(_QUANTITY_IN_TEXT.search(text))


#: The analyzer BM25 and the answer layer use.
DEFAULT = Analyzer()


def analyze(text: str) -> list[str]:
    """The search tokens of one text with the default analyzer (see the module docstring)."""
    return DEFAULT.analyze(text)


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Fold, split, drop Dutch stopwords, stem and split compounds: the same for passages and queries.

    Returns one token list per text (``len(texts)`` lists of str).
    """
    return DEFAULT.tokenize(texts)


def _word_pieces(raw: str) -> list[str]:
    """A word as the index holds it: "regio's" -> "regio", "m.b.t." -> "mbt",
    "ex-partner" -> "expartner", "ex", "partner", "e-mailadres" -> "emailadres", "mailadres".
    """
    word = _plural_without_apostrophe(re.sub(r"['’]s$", "", raw))
    plus = word[len(word.rstrip("+")) :]
    word = word.rstrip("+")
    split = re.split(r"[-/'’]", word)
    pieces = [p for p in split if len(p) > 1]
    joined = re.sub(r"[.\-/'’]", "", word)
    out = [joined + plus] if plus else []
    out.append(joined)
    if len(split) > 1:  # "e-mailadressen" -> "emailadressen", "mailadressen"
        out.extend(p for p in pieces if p != joined)
    return [w for w in out if w]


def _plural_without_apostrophe(word: str) -> str:
    """A plural written without its apostrophe as users type it ("regios", "fotos") as its word ("regio"):
    a word ending in a vowel and "s" that the word list lacks while it has the word without the "s"."""
    folded = fold(word)
    if len(folded) > 4 and folded[-1] == "s" and folded[-2] in "aiouy":
        known = lexicon().flags
        if folded not in known and folded[:-1] in known:
            return word[:-1]
    return word


def _normal(word: str, normal: str) -> str:
    if normal == "none" or word.endswith("+"):
        return fold(word)
    if normal == "snowball":
        return str(_stemmer("dutch").stemWord(fold(word)))
    if normal == "porter":
        return str(_stemmer(STEMMER).stemWord(fold(word)))
    lemma = fold(_lemma(word))
    if normal == "lemma":
        return lemma
    return str(_stemmer(STEMMER).stemWord(lemma))


@lru_cache(maxsize=200_000)
def _lemma(word: str) -> str:
    import simplemma

    return str(simplemma.lemmatize(word, lang="nl")).lower()


@lru_cache(maxsize=4)
def _stemmer(name: str) -> Any:
    import Stemmer

    return Stemmer.Stemmer(name)


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    import stopwordsiso

    return frozenset({fold(w) for w in stopwordsiso.stopwords("nl")} | set(QUESTION_WORDS))


@dataclass(frozen=True)
class Lexicon:
    """Which words may begin and which may end a Dutch compound (folded, lower case).

    From hunspell-nl (OpenTaal), whose entries carry compound flags: ``Ca`` may begin one,
    ``Cc`` may end one, and suffix rules whose forms continue with ``Ca`` give linking forms
    ("veiligheid" -> "veiligheids", "kind" -> "kinderen"). A form is checked by undoing a
    suffix rule (``heads`` / ``tails`` then hold the base word), not by listing every form.
    Without hunspell-nl, every word of Debian's wdutch list may begin and end one.

    flags     word -> its flags (2 characters each)
    rules     suffix added -> (flag, stripped, leads to a head) of each suffix rule
    """

    flags: dict[str, str]
    rules: dict[str, tuple[tuple[str, str, bool], ...]]

    def head(self, form: str) -> str:
        """The base word when ``form`` may begin a compound ("veiligheids" -> "veiligheid"), else ""."""
        return self._find(form, "Ca", head=True)

    def tail(self, form: str) -> str:
        """The base word when ``form`` may end a compound, inflected or not ("verboden" -> "verbod"), else ""."""
        return self._find(form, "Cc", head=False)

    def _find(self, form: str, flag: str, head: bool) -> str:
        if flag in _pairs(self.flags.get(form, "")):
            return form
        for cut in range(min(len(form), 6) + 1):
            for rule_flag, stripped, leads_to_head in self.rules.get(form[len(form) - cut :], ()):
                base = form[: len(form) - cut] + stripped
                base_flags = _pairs(self.flags.get(base, ""))
                # A head form must come from a rule that leads to "Ca"; a tail may be any inflection of a "Cc" word.
                if rule_flag in base_flags and (leads_to_head if head else flag in base_flags):
                    return base
        return ""


def _pairs(flags: str) -> set[str]:
    return {flags[i : i + 2] for i in range(0, len(flags) - 1, 2)}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The compound lexicon of the first word list installed (empty when there is none); see ``Lexicon``."""
    dic, aff = HUNSPELL
    if dic.exists() and aff.exists():
        return _hunspell(dic, aff)
    if WORDLIST.exists():
        with open(WORDLIST, encoding="utf-8", errors="replace") as handle:
            words = {fold(w.strip()) for w in handle if len(w.strip()) >= MIN_PART and w.strip().islower()}
        return Lexicon({w: "CaCc" for w in words}, {})
    return Lexicon({}, {})


def _hunspell(dic: Path, aff: Path) -> Lexicon:
    rules: dict[str, list[tuple[str, str, bool]]] = {}
    with open(aff, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) < 5 or parts[0] != "SFX":
                continue
            flag, stripped, added = parts[1], parts[2], parts[3]
            added, _, cont = added.partition("/")
            if added.endswith("-"):
                continue
            added = fold("" if added == "0" else added)
            to_head = "Ca" in _pairs(cont)
            if added or to_head:
                rules.setdefault(added, []).append((flag, fold("" if stripped == "0" else stripped), to_head))
    flags: dict[str, str] = {}
    with open(dic, encoding="utf-8", errors="replace") as handle:
        next(handle, None)  # the first line is the entry count
        for line in handle:
            word, _, word_flags = line.strip().partition("/")
            if word and word.islower() and word.isalpha():
                key = fold(word)
                flags[key] = flags.get(key, "") + word_flags.split()[0] if word_flags else flags.get(key, "")
    return Lexicon(flags, {added: tuple(found) for added, found in rules.items()})


@lru_cache(maxsize=200_000)
def split_compound(word: str) -> tuple[str, ...]:
    """The parts of a folded Dutch compound, as base words, or ``()`` when it is not one.

    Tries every cut into a head that may begin a compound and a tail that may end one
    (itself split again, up to ``MAX_PARTS`` parts), per hunspell-nl's compound flags
    (``Lexicon``); of the cuts found, the one with the fewest parts and then the longest
    last part wins (Dutch compounds are right-headed: the last part says what the whole
    is). Parts shorter than ``MIN_PART`` letters, stopwords and derivational endings
    ("lijk", "heid") do not count, so "samenwerking" and "tijdelijk" stay whole.
    """
    if len(word) < MIN_COMPOUND or not word.isalpha():
        return ()
    found = _splits(word, MAX_PARTS)
    if not found:
        return ()
    return min(found, key=lambda parts: (len(parts), -len(parts[-1])))


def _splits(word: str, budget: int) -> list[tuple[str, ...]]:
    words = lexicon()
    stop = _stopwords()
    found: list[tuple[str, ...]] = []
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        head = words.head(word[:cut])
        if not head and word[cut - 1] == "s" and cut - 1 >= MIN_PART:
            # A linking "s" the word list does not give for this head ("raads" + "vergadering").
            head = words.head(word[: cut - 1])
        if not head or head in stop or len(head) < MIN_PART:
            continue
        rest = word[cut:]
        tail = words.tail(rest)
        if tail and tail not in stop and tail not in SUFFIXES:
            found.append((head, tail))
        elif budget > 2:
            found.extend((head, *more) for more in _splits(rest, budget - 1))
    return found
