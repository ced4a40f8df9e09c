"""Quoted document text as safe HTML: escaped, with the quoted spans in ``<mark>``.

Document and question text is never rendered as Markdown or HTML: every character is
escaped, so "2*3" stays "2*3" and an image or link in a document is shown as text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable


def escape(text: object) -> str:
    """``text`` as HTML text, quotes included."""
    return html.escape(str(text), quote=True)


def marked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` escaped, with the given (start, end) character spans in ``<mark>`` (overlapping spans merged)."""
    out: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        if end <= pos:
            continue
        start = max(start, pos)
        out.append(escape(text[pos:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)
