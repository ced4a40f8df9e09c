"""Documents as the pipeline sees them: metadata, raw pages, cleaned text."""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass
from pathlib import Path

#: Values of ``DocumentMeta.status``; an absent status means "vastgesteld" (adopted).
STATUSES = ("concept", "vastgesteld", "vervallen")


@dataclass(frozen=True)
class DocumentMeta:
    """Who a document is: its id (the file name) and the metadata maintainers edit in ``metadata.toml``.

    This is the one definition of the metadata schema: ``corpus.load_metadata`` validates
    against these fields and the index manifest stores them as they are.

    doc          path relative to the corpus folder (posix, NFC)
    title        the document's own title, shown in citations
    kind         kind of document (qa, raadsvoorstel, regiovisie, ...; free text)
    region       the region the document is about
    period       the years it covers ("2020-2023")
    places       municipalities the document covers
    status       concept, vastgesteld or vervallen (see ``STATUSES``)
    replaced_by  the document that replaces this one, if any
    """

    doc: str
    title: str
    kind: str = ""
    region: str = ""
    period: str = ""
    places: tuple[str, ...] = ()
    status: str = "vastgesteld"
    replaced_by: str = ""

    def to_dict(self) -> dict[str, object]:
        """The fields as JSON-ready values (``places`` as a list)."""
        return {name: list(value) if isinstance(value, tuple) else value for name, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> DocumentMeta:
        """The inverse of ``to_dict``; unknown keys are ignored."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if "places" in known:
            known["places"] = tuple(known["places"])  # type: ignore[arg-type]
        return cls(**known)  # type: ignore[arg-type]


#: The fields a maintainer may set per document in ``metadata.toml`` (``doc`` is the table's key).
META_FIELDS = tuple(name for name in DocumentMeta.__dataclass_fields__ if name != "doc")


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
