"""HTML for the chat app: the conversation, source cards, search results, filters, documents and glossary.

Every string that comes from a user or a document goes through ``html.escape``
here; the functions return HTML that is safe to put in a ``gr.HTML``. Nothing is
rendered as Markdown: "2*3 ... 4*5" stays as typed and a Markdown image or link in
a document or a question is shown as text, never fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kennisbank.glossary import GlossaryEntry
from kennisbank.markup import escape as _e
from kennisbank.markup import marked
from kennisbank.passage import Passage, citation_label
from kennisbank.store.manifest import DocumentEntry
from kennisbank.text import quote_spans
from kennisbank.viewer import file_url, source_url

CLOSEST_LABEL = "Niet het antwoord, wel het dichtstbij"
FILTER_REFUSAL = "binnen het gekozen filter"
UPDATED = "De index is bijgewerkt: antwoorden komen nu uit de nieuwe versie van de documenten."
CHAT_PLACEHOLDER = "Stel hieronder een vraag, of kies een voorbeeld. Het gesprek blijft bewaard in deze browser."

#: Where the browser keeps the conversation (localStorage key of the chat's ``gr.BrowserState``).
CONVERSATION_KEY = "kennisbank-gesprek"

#: Runs in the page head: the page is Dutch; "Kopieer" buttons copy their plain text (answer and sources).
#: (Gradio's login page gets no custom head: "Uitloggen" in the app removes the stored conversation.)
HEAD = """<script>
document.documentElement.lang = "nl";
new MutationObserver(() => { if (document.documentElement.lang !== "nl") document.documentElement.lang = "nl"; })
  .observe(document.documentElement, {attributes: true, attributeFilter: ["lang"]});
document.addEventListener("click", async (event) => {
  const button = event.target.closest ? event.target.closest("button.kb-copy") : null;
  if (!button) return;
  const text = button.getAttribute("data-copy") || "";
  try { await navigator.clipboard.writeText(text); }
  catch (error) {
    const area = document.createElement("textarea");
    area.value = text; document.body.appendChild(area); area.select();
    document.execCommand("copy"); area.remove();
  }
  const status = button.parentElement.querySelector(".kb-copied");
  if (status) status.textContent = "Gekopieerd, met de bronnen.";
});
</script>"""

# Colours: text on backgrounds measured >= 4.5:1 (WCAG AA); see tests/test_a11y.py.
CSS = """
.kb-conversation { display: flex; flex-direction: column; gap: 0.9em;
  padding: 0.5em; border: 1px solid var(--border-color-primary); border-radius: 8px; }
.kb-turn { display: flex; flex-direction: column; gap: 0.4em; }
.kb-q, .kb-a { padding: 0.55em 0.8em; border-radius: 8px; }
.kb-q { align-self: flex-end; max-width: 85%; background: #e8eefc; color: #111827; white-space: pre-wrap; }
.kb-a { background: var(--background-fill-secondary); color: var(--body-text-color); }
.kb-role { display: block; font-size: 0.8em; font-weight: 700; color: #374151; }
.dark .kb-role { color: #d1d5db; }
.kb-text { white-space: pre-wrap; margin: 0.2em 0 0.4em; }
.kb-cite { font-weight: 700; color: #1d4ed8; text-decoration: underline; }
.dark .kb-cite { color: #93c5fd; }
.kb-sources h2, .kb-results h2 { margin: 0.6em 0 0.3em; font-size: 1.05em; }
.kb-card { border: 1px solid var(--border-color-primary); border-radius: 8px; margin: 0.4em 0;
  padding: 0.45em 0.75em; background: var(--background-fill-primary); }
.kb-card summary { cursor: pointer; line-height: 1.4; }
.kb-card .kb-n { font-weight: 700; margin-right: 0.35em; }
.kb-where, .kb-meta, .kb-searched { color: #374151; }
.dark .kb-where, .dark .kb-meta, .dark .kb-searched { color: #d1d5db; }
.kb-passage { white-space: pre-wrap; margin: 0.6em 0 0.3em; padding-left: 0.75em; border-left: 3px solid #1d4ed8; }
.kb-passage mark, .kb-terms mark { background: #fde68a; color: #111; padding: 0 0.1em; border-radius: 2px; }
.kb-links a { color: #1d4ed8; margin-right: 1em; }
.dark .kb-links a { color: #93c5fd; }
.kb-meta { font-size: 0.85em; margin: 0.2em 0; }
.kb-notice { border-left: 4px solid #b45309; padding: 0.4em 0.75em; margin: 0.5em 0;
  background: var(--background-fill-secondary); }
.kb-updated { border-left: 4px solid #15803d; padding: 0.4em 0.75em; margin: 0.3em 0; }
.kb-copy { font-size: 0.85em; padding: 0.2em 0.6em; border: 1px solid #374151; border-radius: 6px;
  background: #fff; color: #111827; cursor: pointer; }
.kb-chips { display: flex; flex-wrap: wrap; gap: 0.4em; align-items: center; margin: 0.2em 0; }
.kb-chip { display: inline-block; padding: 0.15em 0.65em; border-radius: 999px; background: #dbeafe;
  color: #1e3a8a; font-size: 0.9em; }
.kb-score { font-size: 0.85em; color: #374151; }
.dark .kb-score { color: #d1d5db; }
.kb-cutoff { margin: 0.8em 0 0.3em; padding-top: 0.4em; border-top: 2px dashed #6b7280; }
.kb-table-wrap { overflow-x: auto; max-width: 100%; }
.kb-table { border-collapse: collapse; width: 100%; }
.kb-table th, .kb-table td { text-align: left; padding: 0.35em 0.6em;
  border-bottom: 1px solid var(--border-color-primary); vertical-align: top; }
.kb-table td.kb-num { text-align: right; }
.kb-table caption, .prose .kb-table caption { color: #374151 !important; text-align: left; caption-side: top; }
.dark .kb-table caption { color: #d1d5db !important; }
.kb-terms dt { font-weight: 700; margin-top: 0.8em; }
.kb-terms dd { margin: 0.2em 0 0 1em; white-space: pre-wrap; }
.kb-kind { font-weight: 400; font-size: 0.85em; color: #374151; }
@media (max-width: 640px) {
  .tab-container button { padding-left: 0.45em !important; padding-right: 0.45em !important; }
  .kb-q { max-width: 100%; }
  .kb-table thead { display: none; }
  .kb-table, .kb-table tbody, .kb-table tfoot, .kb-table tr, .kb-table td { display: block; width: 100%; }
  .kb-table tr { border-bottom: 2px solid var(--border-color-primary); padding: 0.3em 0; }
  .kb-table td { border: none; padding: 0.15em 0.3em; }
  .kb-table td.kb-num { text-align: left; }
  .kb-table td[data-label]::before { content: attr(data-label) ": "; font-weight: 700; }
}
"""


def highlight(text: str, quoted: Iterable[str] = ()) -> str:
    """``text`` escaped, with the quoted sentences in ``<mark>``."""
    return marked(text, quote_spans(text, quoted))


_WORD = re.compile(r"\w+(?:[-+]+\w+)*\+*", re.UNICODE)


def word_spans(text: str, query: str) -> list[tuple[int, int]]:
    """The words of ``text`` that match a content word of ``query`` as BM25 sees them (same stem)."""
    from kennisbank.analysis import tokenize

    wanted = set(tokenize([query])[0])
    if not wanted:
        return []
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    unique = sorted({w for _, _, w in words})
    stems = dict(zip(unique, tokenize(unique), strict=True)) if unique else {}
    return [(start, end) for start, end, w in words if wanted & set(stems.get(w, ()))]


def where(cited: Mapping[str, Any], title: str = "") -> str:
    """A stored citation's label (``kennisbank.passage.citation_label``): ``"Section, p. 5 (gedrukt 2),
    OCR-tekst"``, with ``title`` in front when given."""
    page_label = str(cited.get("page_label") or "")
    section, pages = str(cited.get("section") or ""), cited.get("pages") or ()
    return citation_label(title, section, cited.get("page"), page_label, bool(cited.get("ocr")), pages)


def _extras(cited: Mapping[str, Any]) -> str:
    """The footnotes of a citation and the places that repeat it word for word, when it has any."""
    parts = []
    if cited.get("notes"):
        notes = "".join(f"<li>{_e(note)}</li>" for note in cited["notes"])
        parts.append(f'<div class="kb-notes"><strong>Voetnoten</strong><ul>{notes}</ul></div>')
    if cited.get("also_in"):
        parts.append(f'<p class="kb-meta">Deze tekst staat ook in: {_e("; ".join(cited["also_in"]))}</p>')
    return "".join(parts)


def _links(cited: Mapping[str, Any]) -> str:
    page = f" op pagina {cited['page']}" if cited.get("page") else ""
    return (
        '<p class="kb-links">'
        f'<a href="{_e(source_url(cited))}" target="_blank" rel="noopener">Open in het document{page}</a>'
        f'<a href="{_e(file_url(str(cited["doc"])))}" download>Download het origineel</a></p>'
    )


def cited_card(label: str, cited: Mapping[str, Any], is_open: bool = False) -> str:
    """A ``<details>`` card for a stored citation: label, title and place; the passage and links when opened."""
    title = cited.get("title") or cited["doc"]
    return (
        f'<details class="kb-card"{" open" if is_open else ""}>'
        f'<summary><span class="kb-n">{_e(label)}</span><strong>{_e(title)}</strong>'
        f' <span class="kb-where">{_e(where(cited))}</span></summary>'
        f'<div class="kb-passage">{highlight(str(cited["text"]), cited.get("quoted", ()))}</div>'
        f"{_extras(cited)}{_links(cited)}"
        "</details>"
    )


def answer_text_html(text: str, citations: Sequence[Mapping[str, Any]]) -> str:
    """The answer escaped as plain text, each ``[n]`` a link that opens source n at its page."""
    by_n = {int(c["n"]): c for c in citations}

    def link(match: re.Match[str]) -> str:
        c = by_n.get(int(match.group(1)))
        if c is None:
            return match.group(0)
        name = f"Bron {c['n']}: {c.get('title') or c['doc']}"
        return (
            f'<a class="kb-cite" href="{_e(source_url(c))}" target="_blank" rel="noopener" '
            f'aria-label="{_e(name)}">{match.group(0)}</a>'
        )

    return re.sub(r"\[(\d+)\]", link, _e(text))


def copy_text(turn: Mapping[str, Any]) -> str:
    """What "Kopieer" copies: the answer, then its sources (title, section, page) one per line."""
    lines = [str(turn["text"])]
    if turn.get("note"):
        lines.append(str(turn["note"]))
    if turn["citations"]:
        lines.append("")
        lines.append("Bronnen:")
        for c in turn["citations"]:
            lines.append(f"[{c['n']}] {where(c, str(c.get('title') or c['doc']))}")
    return "\n".join(lines)


def refusal_text(turn: Mapping[str, Any]) -> str:
    """A refusal, saying so when a filter limited the search."""
    text = str(turn["text"])
    if not turn.get("filter"):
        return text
    if text.startswith("De documenten bevatten"):
        return text.replace("De documenten bevatten", f"De documenten {FILTER_REFUSAL} ({turn['filter']}) bevatten", 1)
    return f"Geen antwoord {FILTER_REFUSAL} ({turn['filter']}). {text}"


def turn_html(turn: Mapping[str, Any], number: int, pending: bool = False) -> str:
    """One question with its answer, the answer's own sources directly under it, and a copy button."""
    parts = [
        f'<section class="kb-turn" aria-label="Vraag {number}">',
        f'<div class="kb-q" data-testid="user"><span class="kb-role">U</span>{_e(turn["question"])}</div>',
        '<div class="kb-a" data-testid="bot"><span class="kb-role">Kennisbank</span>',
    ]
    if pending:
        parts.append(
            f'<div class="kb-text" aria-live="polite">{_e(turn.get("text") or "Zoeken in de documenten…")}</div>'
        )
        parts.append("</div></section>")
        return "".join(parts)
    text = refusal_text(turn) if turn["refused"] else str(turn["text"])
    parts.append(f'<div class="kb-text">{answer_text_html(text, turn["citations"])}</div>')
    if turn.get("note"):
        parts.append(f'<p class="kb-meta">{_e(turn["note"])}</p>')
    if turn.get("searched") and turn["searched"] != turn["question"]:
        parts.append(f'<p class="kb-searched">Vervolgvraag; gezocht op: “{_e(turn["searched"])}”</p>')
    if turn.get("filter"):
        parts.append(f'<p class="kb-meta">Gezocht {FILTER_REFUSAL}: {_e(turn["filter"])}</p>')
    parts.append('<div class="kb-sources">')
    if turn["citations"]:
        parts.append(f"<h2>Bronnen bij antwoord {number}</h2>")
        parts.extend(cited_card(f"[{c['n']}]", c) for c in turn["citations"])
    elif turn["refused"] and turn.get("closest"):
        parts.append(f"<h2>{CLOSEST_LABEL}</h2>")
        parts.extend(cited_card(f"{c['n']}.", c) for c in turn["closest"])
    parts.append("</div>")
    parts.append(
        f'<p><button type="button" class="kb-copy" data-copy="{_e(copy_text(turn))}">'
        f'Kopieer antwoord {number} met bronnen</button> <span class="kb-copied" role="status"></span></p>'
    )
    parts.append("</div></section>")
    return "".join(parts)


def conversation_html(turns: Sequence[Mapping[str, Any]], pending: Mapping[str, Any] | None = None) -> str:
    """The whole conversation, oldest first; ``pending`` is the question being answered now."""
    if not turns and pending is None:
        return f'<div class="kb-conversation"><p class="kb-meta">{_e(CHAT_PLACEHOLDER)}</p></div>'
    parts = [turn_html(t, i) for i, t in enumerate(turns, 1)]
    if pending is not None:
        parts.append(turn_html(pending, len(turns) + 1, pending=True))
    return f'<div class="kb-conversation" role="log" aria-label="Gesprek">{"".join(parts)}</div>'


def pending_html(pending: Mapping[str, Any], number: int) -> str:
    """The question being answered now and the answer as far as it has come (streamed under the conversation)."""
    return f'<div class="kb-conversation kb-streaming">{turn_html(pending, number, pending=True)}</div>'


def chips_html(active: Sequence[tuple[str, str]]) -> str:
    """The active filters as chips (("Document", title), ("Regio", name)); empty when none are set."""
    if not active:
        return ""
    chips = "".join(f'<span class="kb-chip">{_e(kind)}: {_e(value)}</span>' for kind, value in active)
    return f'<div class="kb-chips" role="status"><strong>Filter actief:</strong> {chips}</div>'


def _result_card(i: int, passage: Passage, query: str, coverage: float) -> str:
    score = f"score {passage.score:.3f}" if passage.score is not None else ""
    share = f"{round(coverage * 100)}% van de zoekwoorden"
    meta = " · ".join(_e(v) for v in (passage.doc, passage.kind, passage.region, passage.period) if v)
    return (
        f'<details class="kb-card"{" open" if i == 1 else ""}>'
        f'<summary><span class="kb-n">{i}.</span><strong>{_e(passage.title or passage.doc)}</strong>'
        f' <span class="kb-where">{_e(passage.location())}</span>'
        f' <span class="kb-score">({_e(score)}; {_e(share)})</span></summary>'
        f'<div class="kb-passage">{marked(passage.text, word_spans(passage.text, query))}</div>'
        f'<p class="kb-meta">{meta}</p>'
        "</details>"
    )


def search_results_html(
    query: str, passages: Sequence[Passage], coverages: Sequence[float] = (), cutoff: float = 0.5
) -> str:
    """Search hits best first, each with its score and the query's words marked.

    ``coverages[i]`` is the share of the query's content words in hit i (0..1); hits under
    ``cutoff`` are listed after a line "Onder de relevantiegrens".
    """
    if not query.strip():
        return '<div class="kb-results"><p>Typ een zoekterm.</p></div>'
    if not passages:
        return f'<div class="kb-results"><p>Geen passages gevonden voor “{_e(query)}”.</p></div>'
    shares = list(coverages) or [1.0] * len(passages)
    above = [(p, c) for p, c in zip(passages, shares, strict=True) if c >= cutoff]
    below = [(p, c) for p, c in zip(passages, shares, strict=True) if c < cutoff]
    parts = [
        f'<div class="kb-results"><h2>{len(above)} relevante passages voor “{_e(query)}”</h2>',
        f'<p class="kb-meta">Relevant: de passage bevat minstens {round(cutoff * 100)}% van de zoekwoorden. '
        "Zoekwoorden zijn gemarkeerd.</p>",
    ]
    parts.extend(_result_card(i, p, query, c) for i, (p, c) in enumerate(above, 1))
    if below:
        parts.append(
            f'<h2 class="kb-cutoff">Onder de relevantiegrens ({len(below)}): '
            "minder dan de helft van de zoekwoorden</h2>"
        )
        parts.extend(_result_card(i, p, query, c) for i, (p, c) in enumerate(below, len(above) + 1))
    parts.append("</div>")
    return "".join(parts)


def _ocr(name: str, entry: DocumentEntry) -> str:
    """ "ja"/"nee": was any of the document read by OCR; "onbekend" for a PDF indexed before that was recorded."""
    if entry.ocr is not None:
        return "ja" if entry.ocr else "nee"
    return "nee" if not name.lower().endswith(".pdf") else "onbekend"


def documents_html(entries: Mapping[str, DocumentEntry]) -> str:
    """The corpus as a table: title, kind, region, period, status, passages, pages, last ingest, OCR."""

    def row(name: str, e: DocumentEntry) -> str:
        cells = [
            ("Soort", e.meta.kind or "-"),
            ("Regio", e.meta.region or "-"),
            ("Periode", e.meta.period or "-"),
            ("Status", e.meta.status or "-"),
        ]
        counts = [("Passages", e.passages), ("Pagina's", e.pages if e.pages else "-")]
        ingested = e.ingested.replace("T", " ")[:16] if e.ingested else "-"
        return (
            f"<tr><td data-label='Document'><strong>{_e(e.meta.title or name)}</strong><br>"
            f"<span class='kb-meta'>{_e(name)}</span></td>"
            + "".join(f"<td data-label='{label}'>{_e(v)}</td>" for label, v in cells)
            + "".join(f"<td class='kb-num' data-label=\"{label}\">{_e(v)}</td>" for label, v in counts)
            + f"<td data-label='Laatst ingelezen'>{_e(ingested)}</td>"
            + f"<td data-label='OCR'>{_e(_ocr(name, e))}</td></tr>"
        )

    rows = "".join(row(n, e) for n, e in sorted(entries.items(), key=lambda item: item[1].meta.title or item[0]))
    total = sum(e.passages for e in entries.values())
    heads = ["Document", "Soort", "Regio", "Periode", "Status", "Passages", "Pagina's", "Laatst ingelezen", "OCR"]
    return (
        '<div class="kb-table-wrap"><table class="kb-table"><caption class="kb-meta">De documenten in de index'
        "</caption><thead><tr>"
        + "".join(f'<th scope="col">{h}</th>' for h in heads)
        + f"</tr></thead><tbody>{rows}</tbody>"
        f"<tfoot><tr><td colspan='5'>{len(entries)} documenten</td>"
        f"<td class='kb-num' data-label='Passages'>{total}</td><td colspan='3'></td></tr></tfoot>"
        "</table></div>"
    )


def glossary_html(entries: Sequence[GlossaryEntry], query: str = "") -> str:
    """Glossary entries whose term, expansion or definition contains ``query`` (case-insensitive)."""
    needle = query.strip().lower()
    shown = [e for e in entries if not needle or needle in e.haystack]
    if not shown:
        return f"<p>Geen begrippen gevonden voor “{_e(query)}”.</p>"

    def item(entry: GlossaryEntry) -> str:
        kind = "afkorting" if entry.expansion else "begrip"
        head = f"{_e(entry.term)} <span class='kb-kind'>({kind})</span>"
        expansion = f"<strong>{_e(entry.expansion)}</strong>. " if entry.expansion else ""
        cited = {
            "doc": entry.doc,
            "page": entry.page,
            "start": entry.start,
            "end": entry.end,
            "quoted": [entry.definition] if entry.expansion else [],
            "sha256": "",
        }
        return (
            f"<dt>{head}</dt><dd>{expansion}{_e(entry.definition)}"
            f"<div class='kb-meta'><a href=\"{_e(source_url(cited))}\" target='_blank' rel='noopener'>"
            f"{_e(entry.label)}</a></div></dd>"
        )

    items = "".join(item(e) for e in shown)
    return f'<p class="kb-meta">{len(shown)} van {len(entries)} begrippen</p><dl class="kb-terms">{items}</dl>'
