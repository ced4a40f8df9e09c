"""HTML for the chat app: source cards, search results, the document list and the glossary.

Every string that comes from a user or a document goes through ``html.escape``
here; the functions return HTML that is safe to put in a ``gr.HTML``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence

from kennisbank.answering.citations import Answer
from kennisbank.passage import Passage
from kennisbank.store.manifest import DocumentEntry
from kennisbank.text import strip_heading

CLOSEST_LABEL = "Niet het antwoord, wel het dichtstbij"

CSS = """
.kb-sources h3, .kb-results h3 { margin: 0.6em 0 0.3em; font-size: 1.05em; }
.kb-card { border: 1px solid var(--border-color-primary); border-radius: 8px; margin: 0.4em 0;
  padding: 0.45em 0.75em; background: var(--background-fill-secondary); }
.kb-card summary { cursor: pointer; line-height: 1.4; }
.kb-card .kb-n { font-weight: 700; margin-right: 0.35em; }
.kb-card .kb-where { color: var(--body-text-color-subdued); }
.kb-passage { white-space: pre-wrap; margin: 0.6em 0 0.3em; padding-left: 0.75em;
  border-left: 3px solid var(--border-color-accent); }
.kb-passage mark { background: #fde68a; color: #111; padding: 0 0.1em; border-radius: 2px; }
.kb-meta { font-size: 0.85em; color: var(--body-text-color-subdued); margin: 0.2em 0; }
.kb-notice { border-left: 4px solid #d97706; padding: 0.4em 0.75em; margin: 0.5em 0;
  background: var(--background-fill-secondary); }
.kb-searched { font-size: 0.9em; color: var(--body-text-color-subdued); }
.kb-table { border-collapse: collapse; width: 100%; }
.kb-table th, .kb-table td { text-align: left; padding: 0.35em 0.6em;
  border-bottom: 1px solid var(--border-color-primary); vertical-align: top; }
.kb-table td.kb-num { text-align: right; }
.kb-terms dt { font-weight: 700; margin-top: 0.8em; }
.kb-terms dd { margin: 0.2em 0 0 1em; white-space: pre-wrap; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _quote_spans(text: str, quoted: Iterable[str]) -> list[tuple[int, int]]:
    """Where the quoted sentences occur in ``text``, merged; table cells are looked up one by one."""
    spans: list[tuple[int, int]] = []
    for quote in quoted:
        pieces = [quote.strip()]
        if quote.strip() not in text:
            # A table row is quoted as "key: value; key: value." -- mark the values.
            pieces = [part.split(": ", 1)[-1].strip(" .") for part in quote.split("; ")]
        for piece in pieces:
            start = text.find(piece) if len(piece) > 3 else -1
            if start >= 0:
                spans.append((start, start + len(piece)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, quoted: Iterable[str] = ()) -> str:
    """``text`` escaped, with the quoted sentences in ``<mark>``."""
    out: list[str] = []
    pos = 0
    for start, end in _quote_spans(text, quoted):
        out.append(_e(text[pos:start]))
        out.append(f"<mark>{_e(text[start:end])}</mark>")
        pos = end
    out.append(_e(text[pos:]))
    return "".join(out)


def source_card(label: str, passage: Passage, quoted: Sequence[str] = (), is_open: bool = False) -> str:
    """A ``<details>`` card: label, title and place in the summary; the passage when opened."""
    meta = " · ".join(_e(v) for v in (passage.doc, passage.kind, passage.region, passage.period) if v)
    return (
        f'<details class="kb-card"{" open" if is_open else ""}>'
        f'<summary><span class="kb-n">{_e(label)}</span><strong>{_e(passage.title or passage.doc)}</strong>'
        f' <span class="kb-where">{_e(passage.location())}</span></summary>'
        f'<div class="kb-passage">{highlight(passage.text, quoted)}</div>'
        f'<p class="kb-meta">{meta}</p>'
        "</details>"
    )


def sources_html(answer: Answer, question: str = "", searched: str = "") -> str:
    """The cards under an answer: its citations, or for a refusal the closest passages, labelled so."""
    parts = ['<div class="kb-sources">']
    if searched and searched != question:
        parts.append(f'<p class="kb-searched">Vervolgvraag; gezocht op: “{_e(searched)}”</p>')
    if answer.citations:
        parts.append("<h3>Bronnen</h3>")
        parts.extend(source_card(f"[{c.n}]", c.passage, c.quoted) for c in answer.citations)
    elif answer.refused:
        parts.append(f'<div class="kb-notice">{_e(answer.text)}</div>')
        if answer.closest:
            parts.append(f"<h3>{CLOSEST_LABEL}</h3>")
            parts.extend(source_card(f"{i}.", p) for i, p in enumerate(answer.closest, 1))
    parts.append("</div>")
    return "".join(parts)


def search_results_html(query: str, passages: Sequence[Passage]) -> str:
    if not query.strip():
        return '<div class="kb-results"><p>Typ een zoekterm.</p></div>'
    if not passages:
        return f'<div class="kb-results"><p>Geen passages gevonden voor “{_e(query)}”.</p></div>'
    cards = "".join(source_card(f"{i}.", p, is_open=i == 1) for i, p in enumerate(passages, 1))
    return f'<div class="kb-results"><h3>{len(passages)} passages voor “{_e(query)}”</h3>{cards}</div>'


def documents_html(entries: Mapping[str, DocumentEntry]) -> str:
    """The corpus as a table: title, kind, region, period and passage count per document."""
    rows = "".join(
        f"<tr><td><strong>{_e(e.meta.title or name)}</strong><br><span class='kb-meta'>{_e(name)}</span></td>"
        f"<td>{_e(e.meta.kind or '-')}</td><td>{_e(e.meta.region or '-')}</td><td>{_e(e.meta.period or '-')}</td>"
        f"<td class='kb-num'>{e.passages}</td></tr>"
        for name, e in sorted(entries.items(), key=lambda item: item[1].meta.title or item[0])
    )
    total = sum(e.passages for e in entries.values())
    return (
        '<table class="kb-table"><thead><tr><th>Document</th><th>Soort</th><th>Regio</th>'
        f"<th>Periode</th><th>Passages</th></tr></thead><tbody>{rows}</tbody>"
        f"<tfoot><tr><td colspan='4'>{len(entries)} documenten</td><td class='kb-num'>{total}</td></tr></tfoot>"
        "</table>"
    )


def _definition(term: Passage) -> str:
    """A glossary passage without its leading term."""
    return strip_heading(term.text.strip(), term.section.rsplit(" > ", 1)[-1])


def glossary_html(terms: Sequence[Passage], query: str = "") -> str:
    """Glossary entries whose term or definition contains ``query`` (case-insensitive)."""
    needle = query.strip().lower()
    shown = [t for t in terms if not needle or needle in t.section.lower() or needle in t.text.lower()]
    if not shown:
        return f"<p>Geen begrippen gevonden voor “{_e(query)}”.</p>"
    items = "".join(
        f"<dt>{_e(t.section.rsplit(' > ', 1)[-1])}</dt><dd>{_e(_definition(t))}"
        f"<div class='kb-meta'>{_e(t.label())}</div></dd>"
        for t in shown
    )
    return f'<p class="kb-meta">{len(shown)} van {len(terms)} begrippen</p><dl class="kb-terms">{items}</dl>'
