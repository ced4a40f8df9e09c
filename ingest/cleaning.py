"""Cleaning the text layer of PDFs: ligatures, hyphenation, hard line breaks, furniture.

Every function here is pure: text in, text out. :func:`clean_page` composes them in
the order they need each other (ligatures before hyphenation, because re-joining a
word needs whole words; hyphenation before furniture, because footnote URLs are
split across lines; furniture before joining, because joining needs to see lines).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from statistics import quantiles

from kennisbank.ingest.documents import CleanDocument, DocumentMeta, Footnote, place_notes, take_marks
from kennisbank.ingest.wordlist import dutch_words, with_diaeresis

from kennisbank.analysis import split_compound
from kennisbank.text import LIST_ITEM, SURNAME_PARTICLE, fold

REPLACEMENT = "\ufffd"
#: What a lost ligature (U+FFFD) most often stood for, in order of preference.
LIGATURES = ("ff", "fi", "fl", "ffi", "ffl", "f")

_LIGATURE_POINTS = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0xFB00, 0xFB07)}
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u3000"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_WORD = re.compile(r"[\w\ufffd]+(?:[-'’][\w\ufffd]+)*")
_LETTERS = re.compile(r"[^\W\d_]")
_CONJUNCTIONS = ("en", "of", "tot", "t/m", "noch")
#: Lowercase particles of a double surname: "Jansen-de Vries" keeps its hyphen.
_PARTICLES = frozenset({"de", "van", "der", "den", "ter", "ten", "te", "la", "le", "du", "het", "in", "'t"})
_VOWELS = set("aeiouyáéíóúàèëïöüâêîôû")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_TERMINAL = tuple(".!?;:")
_LABEL_LINE = re.compile(r"(?:Vraag|Antwoord|Agendapunt)\s+\d{1,3}[.:]?|\d{1,2}(?:\.[a-z](?:\.\d{1,2})?)?\.?", re.I)
_NEW_PAGE = re.compile(r" \S")  # this text layer starts each new page with one space


# --------------------------------------------------------------------------- vocabulary


def build_vocabulary(texts: Iterable[str]) -> Counter[str]:
    """Lowercase word counts over raw texts, for :func:`repair_ligatures` and :func:`dehyphenate`.

    Words split by a hyphen at a line break are counted re-joined; words with a lost
    ligature (U+FFFD) are not counted at all. Hyphenated compounds are counted both
    whole (``noord-holland``) and by their parts.
    """
    vocabulary: Counter[str] = Counter()
    for text in texts:
        for word in _WORD.findall(dehyphenate(normalize_unicode(text))):
            if REPLACEMENT in word or not _LETTERS.search(word):
                continue
            word = word.lower()
            vocabulary[word] += 1
            if "-" in word:
                vocabulary.update(part for part in word.split("-") if _LETTERS.search(part))
    return vocabulary


# --------------------------------------------------------------------------- characters


def normalize_unicode(text: str) -> str:
    """NFC, ligature code points spelled out (NFKC), NUL as a lost ligature, exotic spaces plain, invisibles gone.

    A PDF font without a ToUnicode entry for its ligature glyph gives NUL (or
    U+FFFD); both become U+FFFD, which :func:`repair_ligatures` fills from the vocabulary.
    """
    text = text.replace("\x00", REPLACEMENT).translate(_LIGATURE_POINTS)
    text = unicodedata.normalize("NFC", text).translate(_SPACES).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = re.sub("\u00ad(?![ \t]*\n)", "", text)  # a soft hyphen only matters at the end of a line
    return "\n".join(line.rstrip() for line in text.split("\n"))


def repair_ligatures(text: str, vocabulary: Counter[str]) -> str:
    """Replace U+FFFD in each word by the ligature letters that give the best-known word.

    Candidates are ``ff, fi, fl, ffi, ffl, f``; each is scored by how often the whole
    word occurs in ``vocabulary``, then by how often words sharing its beginning occur
    (so ``e\\ufffdectieve`` is repaired even if only ``effectief`` is known). Without any
    evidence the replacement is ``ff``. The case of the surrounding letters is kept.
    """

    def repair(match: re.Match[str]) -> str:
        word = match.group(0)
        if REPLACEMENT not in word:
            return word
        best = max(LIGATURES, key=lambda lig: (_ligature_score(word, lig, vocabulary), -LIGATURES.index(lig)))
        return _replace_keep_case(word, best)

    return _WORD.sub(repair, text)


def _ligature_score(word: str, ligature: str, vocabulary: Counter[str]) -> tuple[int, int]:
    """How well a ligature fits: count of the repaired word, then of known words starting like it."""
    candidate = word.lower().replace(REPLACEMENT, ligature)
    whole = vocabulary.get(candidate, 0)
    if whole or _has_known_repair(word, vocabulary):
        return whole, 0
    stem = candidate[: word.lower().index(REPLACEMENT) + len(ligature) + 3]
    return 0, sum(count for known, count in vocabulary.items() if known.startswith(stem))


def _has_known_repair(word: str, vocabulary: Counter[str]) -> bool:
    """Whether some ligature gives a known whole word (then beginnings need not be searched)."""
    return any(vocabulary.get(word.lower().replace(REPLACEMENT, lig), 0) for lig in LIGATURES)


def _replace_keep_case(word: str, ligature: str) -> str:
    """``word`` with each U+FFFD replaced by ``ligature``, in capitals between capitals."""
    index = word.index(REPLACEMENT)
    neighbours = (word[index - 1 : index] + word[index + 1 : index + 2]).replace(REPLACEMENT, "")
    upper = bool(neighbours) and neighbours.isupper()
    repaired = word.replace(REPLACEMENT, ligature.upper() if upper else ligature, 1)
    return _replace_keep_case(repaired, ligature) if REPLACEMENT in repaired else repaired


# --------------------------------------------------------------------------- hyphenation


def dehyphenate(text: str, vocabulary: Counter[str] | None = None) -> str:
    """Re-join words split by a hyphen at a line break, keeping real hyphens.

    ``Ken-\\nnemerland`` becomes ``Kennemerland``; the rest of the word moves up and
    the line break stays after it. The hyphen is kept (and the parts joined without
    a space) for ``Noord-\\nHolland`` (capital after the break), numbers
    (``2020-\\n2023``), acronyms (``ZSM-\\naanpak``), URLs and vowel clashes
    (``informatie-\\nuitwisseling``); ``zorg- \\nen veiligheid`` keeps hyphen *and*
    space. With a ``vocabulary``, a known joined or hyphenated form decides first.
    Dashes (a hyphen after a space) and list dashes are left alone.
    """
    text = _SPACED_BREAK.sub(lambda m: _spaced_break(m, vocabulary), text)
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        while i + 1 < len(lines) and _ends_in_hyphen(line) and lines[i + 1].strip()[:1].isalnum():
            line, rest = _join_hyphenated(line.rstrip(), lines[i + 1].strip(), vocabulary)
            if rest:
                lines[i + 1] = rest
                break
            i += 1
        out.append(line)
        i += 1
    return re.sub(r"\b(\d{4})-[ \t]*\n[ \t]*\n[ \t]*(\d{4})\b", r"\1-\2", "\n".join(out))


#: A word, a space and a hyphen at the end of a line, then a lowercase word: some typesetters (the GGD
#: Flevoland bundles, over 200 times) break "ondersteu -" / "ning" so; elsewhere it is a dash.
_SPACED_BREAK = re.compile(r"\b([^\W\d_]+) -[ \t]*\n([ \t]*)([a-zà-ÿ][^\W\d_]*)")


def _spaced_break(match: re.Match[str], vocabulary: Counter[str] | None) -> str:
    """``match`` of ``_SPACED_BREAK`` as an ordinary line-end hyphen ("ondersteu-" / "ning") when the two
    parts make a word (the Dutch word list, the corpus's own words, or a compound of listed words) or the
    left part is no word of its own; else unchanged (a dash: "het plan -" / "zoals gezegd")."""
    left, space, right = match.groups()
    if right in _CONJUNCTIONS:
        return match.group(0)
    joined = (left + right).lower()
    words = dutch_words()
    known = joined in words or bool(vocabulary and vocabulary.get(joined)) or bool(split_compound(fold(joined)))
    fragment = bool(words) and left.lower() not in words and not (vocabulary and vocabulary.get(left.lower()))
    if known or fragment:
        return f"{left}-\n{space}{right}"
    return match.group(0)


def _ends_in_hyphen(line: str) -> bool:
    """A word (or closing bracket) with a hyphen or soft hyphen at the end of the line."""
    return re.search(r"[\w)]-\s*$", line) is not None or line.rstrip().endswith("\u00ad")


def _join_hyphenated(line: str, following: str, vocabulary: Counter[str] | None) -> tuple[str, str]:
    """``line`` (ending in a hyphen) with the first word of ``following`` moved up, and the rest."""
    head = line.rstrip("-\u00ad").rstrip()
    first, _, rest = following.partition(" ")
    left = re.search(r"[\w/.:()-]*$", head).group(0)  # type: ignore[union-attr]
    words = dutch_words()
    if words and _diaeresis_lost(left, first, words):  # "co-\nordinatie" -> "coördinatie"
        return head + with_diaeresis("", first), rest.strip()
    joiner = _hyphen_joiner(left, first, rest, vocabulary)
    if joiner == "- ":  # "zorg- en veiligheid": a hyphen of a shortened compound
        return line.rstrip() + " " + first, rest.strip()
    return head + joiner + first, rest.strip()


def _diaeresis_lost(left: str, right: str, words: frozenset[str]) -> bool:
    """Whether ``left-`` + ``right`` is a word whose diaeresis the hyphen dropped ("zee-" + "en": "zeeën")."""
    word = re.match(r"[^\W\d_]*", right).group(0)  # type: ignore[union-attr]
    if not (left[-1:].lower() in _VOWELS and word[:1].lower() in "aeiou"):
        return False
    return (left + word).lower() not in words and with_diaeresis(left, word).lower() in words


def _hyphen_joiner(left: str, right: str, rest: str, vocabulary: Counter[str] | None) -> str:
    """How to join ``left-`` and ``right`` across a break: ``""``, ``"-"`` or ``"- "``."""
    word_right = re.match(r"[\w'’-]*", right).group(0)  # type: ignore[union-attr]
    if right in _CONJUNCTIONS:
        return "- "
    if _URL.search(left) or "/" in left or left[-1:].isdigit() or right[:1].isdigit():
        return "-"
    if right[:1].isupper() or (len(left) > 1 and left.isupper()):
        return "-"
    if left[:1].isupper() and word_right in _PARTICLES:  # "Jansen-\nde Vries"
        return "-"
    words = dutch_words()
    if words:
        joined, hyphened = (left + word_right).lower(), f"{left}-{word_right}".lower()
        if joined in words:
            return ""
        if hyphened in words:
            return "-"
    if vocabulary:
        joined, hyphened = (left + word_right).lower(), f"{left}-{word_right}".lower()
        if vocabulary.get(hyphened, 0) > vocabulary.get(joined, 0):
            return "-"
        if vocabulary.get(joined, 0):
            return ""
    if left[-1:].lower() in _VOWELS and right[:1].lower() in _VOWELS:
        return "-"
    return ""


# --------------------------------------------------------------------------- furniture


def drop_furniture(text: str, page_numbers: bool = True) -> str:
    """Remove lines that are page furniture rather than content.

    Dropped: URL-only lines whose URL also occurs elsewhere in the text (link
    annotations repeating a footnote or an inline link; the first of several
    identical URL-only lines is kept when it occurs nowhere else), lines that are
    only a footnote number and a URL whose URL occurs elsewhere, stray page
    numbers (``12``, ``- 12 -``, ``Pagina 3 van 9``) standing alone between
    blank lines, whitespace-only separator lines, and outline entries (tab-indented
    lines repeating a heading that already occurs). Everything else stays.
    With ``page_numbers`` off (the page's header and footer zone was read from its
    layout already) a lone number stays: it is an agenda item's number.
    """
    lines = text.split("\n")
    stripped = [line.strip() for line in lines]
    keep = [not (page_numbers and _is_page_number(stripped, i)) for i in range(len(lines))]
    _drop_repeated_urls(stripped, keep)
    seen_lines = set()
    for i, line in enumerate(lines):
        if line.startswith("\t") and stripped[i] in seen_lines:
            keep[i] = False
        seen_lines.add(stripped[i])
    return "\n".join(line if line.strip() else "" for line, k in zip(lines, keep, strict=True) if k)


_PAGE_NUMBER = re.compile(
    r"(?:-\s*)?\d{1,3}(?:\s*-)?|(?:pagina|page|blz\.?)\s*\d{1,3}(?:\s*(?:van|of|/)\s*\d{1,3})?|\d{1,3}\s*/\s*\d{1,3}",
    re.I,
)


def _is_page_number(stripped: list[str], i: int) -> bool:
    """A line that is only a page number, with blank lines (or the page edge) around it."""
    if not _PAGE_NUMBER.fullmatch(stripped[i]):
        return False
    before = stripped[i - 1] if i > 0 else ""
    after = stripped[i + 1] if i + 1 < len(stripped) else ""
    return not before and not after


def _drop_repeated_urls(stripped: list[str], keep: list[bool]) -> None:
    """Mark URL-only (and footnote-number + URL) lines as dropped where the URL is known elsewhere."""
    url_only = {i: m.group(1) for i, s in enumerate(stripped) if (m := re.fullmatch(r"(?:\d{1,2}\s+)?(\S+://\S+)", s))}
    prose = " ".join(s for i, s in enumerate(stripped) if i not in url_only)
    seen: set[str] = set()
    for i, url in url_only.items():
        if url in prose or url.rstrip(".,;)") in prose or url in seen:
            keep[i] = False
        seen.add(url)


# --------------------------------------------------------------------------- letter spacing

_SPACED_CAPS = re.compile(r"\b(?:[A-ZÀ-Ý] ){2,}[A-ZÀ-Ý]\b")
_PAIR = re.compile(r"(?<![\w’'])([^\W\d_]+) ([^\W\d_]+)\b")


def rejoin_letter_spacing(text: str, words: frozenset[str]) -> str:
    """Words a PDF split by letter spacing, joined again: ``C O N C E P T``, ``C olofon``, ``ink oop``.

    Spaced capitals (three or more) are always joined. Two fragments are joined when
    together they are a word of the list ``words`` and one of them is not a word on
    its own (so "de ze" stays, "V erbeteren" becomes "Verbeteren"). Without a word
    list only the spaced capitals are joined.
    """
    text = _SPACED_CAPS.sub(lambda m: m.group(0).replace(" ", ""), text)
    if not words:
        return text

    def join(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        joined = (left + right).lower()
        alone = [len(part) > 1 and part.lower() in words for part in (left, right)]  # one letter is no word here
        two_names = right[:1].isupper() and len(left) > 1  # "Den Haag" is two words
        lone_small = len(left) == 1 and not left.isupper()  # "a en b": only a capital is spaced off its word
        if joined in words and not all(alone) and not two_names and not lone_small:
            return left + right
        return match.group(0)

    previous = None
    while previous != text:  # "ink oop st raat": join pair by pair
        previous, text = text, _PAIR.sub(join, text)
    return text


# --------------------------------------------------------------------------- footnote markers


def strip_footnote_markers(text: str) -> str:
    """Remove footnote numbers glued to the end of a sentence: ``Hoofddorp.1 Het`` -> ``Hoofddorp. Het``.

    Only numbers directly after a full stop that follows a word of three letters
    or more (or a bracket) are taken; ``in 2019. 12 gemeenten``, ``25.3%``, a
    reference like ``artikel 6c.2`` or an agenda number ``5.a.1`` are left alone.
    """

    def strip(match: re.Match[str]) -> str:
        word = match.group("word")
        if word and (len(word) < 3 or not word.isalpha()):
            return match.group(0)
        return match.group("before")

    return _MARKER.sub(strip, text)


_MARKER = re.compile(
    r"(?P<before>(?:(?<![\w.])(?P<word>[\w]+)[.)”’]|[)”’]\.))(\d{1,2}(?:[ ]\d{1,2})*)(?=[ \t]+\S|[ \t]*$)", re.M
)


# --------------------------------------------------------------------------- line joining


def join_lines(text: str) -> str:
    """Re-join hard line breaks inside paragraphs, keeping breaks that carry structure.

    A break is a soft wrap when the next line's first word would not have fitted on
    the current line (judged against the widest nearby line); such lines are joined
    with a space. In a narrow block (a table cell: every line much shorter than the
    page) every break is a wrap. Breaks are always kept after a line ending in ``?``
    or ``:``, before list items (``1.``, ``1)``, ``-``, ``•``), around all-caps lines,
    and at a new page (a line indented by one space, how this text layer marks a
    page) a paragraph starts, unless the sentence runs on in lowercase.
    Blank lines inside a sentence (a long line without final punctuation, then a
    lowercase continuation) are closed first.
    """
    lines = text.split("\n")
    widths = [len(line.strip()) for line in lines if len(line.strip()) >= 20]
    page_width = quantiles(widths, n=10)[-1] if len(widths) >= 10 else 80.0
    blocks: list[list[str]] = [[]]
    for line in _break_at_new_pages(_join_across_blank_lines(lines, page_width)):
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return "\n\n".join("\n".join(_join_block(block, page_width)) for block in blocks if block)


def _break_at_new_pages(lines: list[str]) -> list[str]:
    """Start a new paragraph at a new page (a line indented by one space), unless a sentence runs on."""
    out: list[str] = []
    for line in lines:
        if _NEW_PAGE.match(line) and out and out[-1].strip() and not _runs_on(out[-1].strip(), line.strip()):
            out.append("")
        out.append(line)
    return out


def _runs_on(line: str, following: str) -> bool:
    """Whether ``following`` continues the unfinished sentence of ``line``."""
    return not line.endswith(_TERMINAL) and (following[0].islower() or following[0] == "(")


def _join_block(block: list[str], page_width: float) -> list[str]:
    """The lines of one block (no blank lines inside) with soft wraps joined."""
    sizes = [0 if _URL.search(line) else len(line.strip()) for line in block]
    narrow = max(sizes) <= 0.65 * page_width
    lines: list[str] = [block[0]]
    for i in range(1, len(block)):
        width = max(sizes[max(0, i - 3) : i + 2]) or len(block[i - 1].strip())
        if _is_soft_wrap(block[i - 1], block[i], width, narrow):
            lines[-1] = lines[-1].rstrip() + " " + block[i].strip()
        else:
            lines.append(block[i])
    return lines


def _is_soft_wrap(current: str, following: str, width: int, narrow: bool) -> bool:
    """Whether the break between ``current`` and ``following`` only wraps a paragraph."""
    a, b = current.strip(), following.strip()
    # a line of names that stops at a lowercase word or comma goes on with initials and a name: "... Wethouder L. van
    # Doeveren, wethouder" / "R. Bloemendaal, ..." (the initial is no list item "R.")
    names_go_on = re.match(r"[a-z,]$", a[-1:]) and _INITIALS_NAME.match(b)
    if names_go_on and len(_INITIALS_NAME.findall(a)) >= 2:
        return True
    if a.endswith(("?", ":")) or _is_structural(a) or LIST_ITEM.match(b):
        return False
    if _OPEN_END.search(a) and not _NEW_PAGE.match(following):
        return True  # "... gemaakt zijn in het IZA en het" / "AZWA. 1": the sentence goes on, capitals or not
    if _is_structural(b):
        return False
    if _URL.fullmatch(a.split()[-1]) or _URL.fullmatch(b):
        return False
    if _NEW_PAGE.match(following):
        return _runs_on(a, b)
    if narrow:
        return True
    fits = len(a) + 1 + len(b.split()[0]) <= 0.85 * width
    if b[0].islower() and not a.endswith(_TERMINAL):
        return not fits or len(a) >= 0.6 * width
    return not fits


#: A person's initials and surname ("L. van Doeveren", "R. Bloemendaal").
_INITIALS_NAME = re.compile(rf"\b(?:[A-Z]\.){{1,3}}[ \t]+(?:{SURNAME_PARTICLE}[ \t]+)*[A-Z][a-z]")


#: A line that stops at an article or preposition: its sentence goes on on the next line.
_OPEN_END = re.compile(r"\s(?:de|het|een|van|voor|in|op|met|aan|bij|tot|door|naar|over|om|en|of)$")


def _is_structural(line: str) -> bool:
    """All-caps lines (``RAADSVOORSTEL``, ``1. INLEIDING``), ``Vraag 3``, ``Antwoord 3`` and agenda numbers
    (``5.a.1``) never join with a neighbour."""
    if _LABEL_LINE.fullmatch(line.strip()):
        return True
    letters = _LETTERS.findall(line)
    return len(letters) >= 3 and "".join(letters).isupper()


def _join_across_blank_lines(lines: list[str], page_width: float) -> list[str]:
    """Drop blank lines that fall inside a sentence (a page break or a layout gap).

    The line before must be long (a full line of the page), end without final
    punctuation, and the line after must continue in lowercase, with ``(`` or a year.
    """
    out: list[str] = []
    i = 0
    while i < len(lines):
        out.append(lines[i])
        after = i + 1
        while after < len(lines) and not lines[after].strip():
            after += 1
        closes = after > i + 1 and after < len(lines) and _continues(lines[i].strip(), lines[after].strip(), page_width)
        i = after if closes else i + 1
    return out


def _continues(line: str, following: str, page_width: float) -> bool:
    """Whether ``following``, after blank lines, continues the sentence of the full-width ``line``."""
    if not line or not following or len(line) < 0.7 * page_width or line.endswith(_TERMINAL):
        return False
    if _URL.fullmatch(line.split()[-1]) or LIST_ITEM.match(following) or _URL.match(following):
        return False
    return following[0].islower() or following[0] == "(" or re.match(r"\d{4}\b", following) is not None


# --------------------------------------------------------------------------- whitespace


def normalize_whitespace(text: str) -> str:
    """Strip lines, collapse runs of spaces, keep at most one blank line between paragraphs."""
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --------------------------------------------------------------------------- composition


def clean_page(raw: str, vocabulary: Counter[str], zoned: bool = False) -> str:
    """One page of raw PDF text, cleaned: the functions above, in working order.

    ``zoned``: the page's furniture was removed by its layout, so lone numbers stay.
    """
    text = normalize_unicode(raw)
    if zoned:
        text = rejoin_letter_spacing(text, dutch_words())
    text = repair_ligatures(text, vocabulary)
    text = dehyphenate(text, vocabulary)
    text = drop_furniture(text, page_numbers=not zoned)
    text = strip_footnote_markers(text)
    text = join_lines(text)
    return normalize_whitespace(text)


def _continues_page(before: str, after: str) -> bool:
    """Whether the next page's text continues the last sentence of the page before (no end, lower case)."""
    last, first = before.rstrip()[-1:], after.lstrip()[:1]
    return bool(last) and last not in ".!?:;" and (first.islower() or first == "(") and not LIST_ITEM.match(after)


def clean_document(
    meta: DocumentMeta,
    pages: list[str],
    paged: bool,
    vocabulary: Counter[str],
    labels: list[str] | None = None,
    ocr: list[bool] | None = None,
    headed: bool = False,
    zoned: bool = False,
    notes: list[list[str]] | None = None,
    anchors: list[list[str]] | None = None,
) -> CleanDocument:
    """Clean every page and join them with a blank line, noting where each page starts.

    Heading marks (:func:`kennisbank.ingest.documents.heading_mark`) are taken out of
    the cleaned text; with ``headed`` their offsets and levels become the document's
    headings. ``labels`` (printed page labels) and ``ocr`` (per page) are passed on;
    ``zoned`` pages (read with their layout, not OCR) keep lone numbers; ``notes`` (footnotes per
    page, or per piece of a text cut at its footnote blocks) stay with the document, and those that say
    something (``is_prose_note``) are written out after the body text, each in a block of its own without its number
    (``CleanDocument.footnotes``), so that they become passages that can be found and quoted; ``anchors`` (per page
    and note, the letters around its marker) place each note in the text (``place_notes``), so that it goes with
    the passage its marker stood in.
    """
    parts: list[str] = []
    starts: list[int] = []
    headings: dict[int, int] = {}
    offset = 0
    for n, page in enumerate(pages):
        by_layout = zoned and not (ocr and n < len(ocr) and ocr[n])
        cleaned, marks = take_marks(clean_page(page, vocabulary, zoned=by_layout))
        starts.append(offset)
        if cleaned:  # an empty page adds no text, and starts where the next page does
            if parts and _continues_page(parts[-1], cleaned) and not (marks and marks[0][0] == 0):
                parts[-1] += " "  # a sentence running over the page break is one sentence again
                offset -= 1
                starts[:] = [min(start, offset) for start in starts]  # empty pages before it start here too
            else:
                if parts:
                    parts[-1] += "\n\n"
            parts.append(cleaned)
            headings.update((offset + at, level) for at, level in marks)
            offset += len(cleaned) + 2
    text = "".join(parts)
    footnotes: list[Footnote] = []
    body_end = len(text)
    for page_number, page_notes in enumerate(notes or [], 1):
        ends = starts[page_number] if page_number < len(starts) else body_end  # where the note's page ends
        for note in page_notes:
            number, _, words = note.partition(" ")
            words = " ".join(words.split())
            if is_prose_note(words):
                text += "\n\n"
                footnotes.append(
                    Footnote(len(text), len(text) + len(words), page_number if paged else None, number, ends)
                )
                text += words
    return CleanDocument(
        meta=meta,
        text=text,
        page_starts=starts if paged else None,
        piece_starts=starts if not paged and len(starts) > 1 else None,
        headings=headings if headed else None,
        labels=list(labels or []),
        ocr=list(ocr or []),
        notes=[list(page) for page in notes or []],
        note_places=place_notes(text, starts, body_end, anchors or []),
        footnotes=footnotes,
    )


#: A footnote becomes a passage of its own when it holds at least this many words besides web addresses.
NOTE_WORDS = 6


def is_prose_note(note: str) -> bool:
    """A footnote that says something ("Het streven is dit convenant in 2025 te ondertekenen ..."), not
    only a source or a web address ("https://vng.nl/...", "Zie artikel 3")."""
    words = [w for w in note.split() if not re.match(r"(https?://|www\.)", w) and re.search(r"[^\W\d_]{2}", w)]
    return len(words) >= NOTE_WORDS
