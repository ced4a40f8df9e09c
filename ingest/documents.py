"""Documents as the pipeline sees them: metadata, raw pages, cleaned text."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DocumentMeta:
    """Who a document is: its id (the file name) and the metadata maintainers edit."""

    doc: str
    title: str
    kind: str = ""
    region: str = ""
    period: str = ""


@dataclass(frozen=True)
class SourceDocument:
    """A document as read from disk: one string per page (one page for plain text)."""

    meta: DocumentMeta
    path: Path
    pages: list[str]
    paged: bool  # True where page numbers are real (PDF)


@dataclass(frozen=True)
class CleanDocument:
    """A document after cleaning: one text, and where each page starts in it."""

    meta: DocumentMeta
    text: str
    page_starts: list[int] | None = None  # offsets into text; None for unpaged sources

    def page_at(self, offset: int) -> int | None:
        """The 1-based page that holds character ``offset``, or None for unpaged text."""
        if not self.page_starts:
            return None
        return bisect.bisect_right(self.page_starts, offset)
