"""The corpus folder: which files are documents, and the metadata maintainers keep for them."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

from kennisbank.ingest.documents import META_FIELDS, STATUSES, DocumentMeta

from kennisbank.errors import DocumentError, unreadable_toml

METADATA_FILE = "metadata.toml"


def check_corpus(corpus: Path) -> None:
    """Raise :class:`DocumentError` when ``corpus`` is no folder (missing, or a file)."""
    if corpus.exists() and not corpus.is_dir():
        raise DocumentError(corpus, "is een bestand, geen map: geef de corpusmap op")
    if not corpus.is_dir():
        raise DocumentError(corpus, "corpusmap bestaat niet")


def document_paths(corpus: Path) -> list[Path]:
    """Every file in the corpus folder (recursively) except the metadata file and hidden files."""
    check_corpus(corpus)
    return sorted(
        p
        for p in corpus.rglob("*")
        if p.is_file()
        and p.name != METADATA_FILE
        and not any(part.startswith(".") for part in p.relative_to(corpus).parts)
    )


def load_metadata(corpus: Path) -> dict[str, dict[str, Any]]:
    """Read ``metadata.toml``: a table per document, keyed by its path relative to the corpus (in NFC)."""
    path = corpus / METADATA_FILE
    if not path.exists():
        return {}
    try:
        tables = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DocumentError(path, unreadable_toml(exc)) from exc
    problems = [problem for name, table in tables.items() for problem in _entry_problems(name, table)]
    if problems:  # every problem at once, so one run shows what to mend
        raise DocumentError(path, "; ".join(problems))
    return {unicodedata.normalize("NFC", name): table for name, table in tables.items()}


#: A document's period as ``metadata.toml`` should give it: a year or a range of years.
_PERIOD = re.compile(r"(19|20)\d{2}(\s*[-–]\s*(19|20)\d{2})?")


def _entry_problems(name: str, table: object) -> list[str]:
    """What is wrong with one ``metadata.toml`` entry, one Dutch phrase a problem ([] when nothing)."""
    if not isinstance(table, dict):
        return [f"[{name!r}] moet een tabel zijn met {', '.join(META_FIELDS)}"]
    problems = [
        f"[{name!r}] onbekend veld {key!r} (toegestaan: {', '.join(META_FIELDS)})"
        for key in sorted(set(table) - set(META_FIELDS))
    ]
    for key, value in table.items():
        if key not in META_FIELDS:
            continue
        if key == "places":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(f"[{name!r}] veld 'places' moet een lijst met namen zijn")
        elif not isinstance(value, str):
            problems.append(f"[{name!r}] veld {key!r} moet tekst zijn")
    period = table.get("period")
    has_year = isinstance(period, str) and re.search(r"\b(19|20)\d{2}\b", period) is not None
    if has_year and not _PERIOD.fullmatch(str(period).strip()):  # "2020-2O23": a letter O for a zero
        problems.append(f'[{name!r}] period {period!r} is geen jaar of reeks jaren (bijv. "2024" of "2024-2028")')
    elif has_year:
        years = re.findall(r"(?:19|20)\d{2}", str(period))
        if len(years) == 2 and years[0] > years[1]:  # "2023-2020": the years swapped
            problems.append(f"[{name!r}] period {period!r} loopt terug: het eerste jaar moet het vroegste zijn")
    status = table.get("status", "vastgesteld")
    if isinstance(status, str) and status not in STATUSES:
        problems.append(f"[{name!r}] status {status!r} onbekend (kies uit {', '.join(STATUSES)})")
    return problems


def doc_id(corpus: Path, path: Path) -> str:
    """A document's id: its path relative to the corpus, posix, in NFC (macOS writes names decomposed)."""
    return unicodedata.normalize("NFC", path.relative_to(corpus).as_posix())


def orphan_entries(metadata: dict[str, dict[str, Any]], docs: set[str]) -> list[str]:
    """Names in ``metadata.toml`` that are none of ``docs`` (the corpus files' ``doc_id``s, in NFC), sorted."""
    return sorted(name for name in metadata if name not in docs)


def doubtful_entries(metadata: dict[str, dict[str, Any]], docs: set[str]) -> list[str]:
    """What in ``metadata.toml`` is valid TOML but probably a mistake, one Dutch line each: a ``replaced_by``
    that names no document of the corpus, an empty ``title``, a ``period`` without a year (one with a year that
    is not a year or a range of years, "2020-2O23", is an error: ``_entry_problems``)."""
    lines = []
    for name, table in sorted(metadata.items()):
        replaced = table.get("replaced_by")
        if replaced and replaced not in docs:
            lines.append(f"[{name!r}] replaced_by {replaced!r} is geen document in de corpusmap")
        if "title" in table and not str(table["title"]).strip():
            lines.append(f"[{name!r}] title is leeg: de bestandsnaam wordt de titel")
        period = table.get("period")
        if period and not re.search(r"\b(19|20)\d{2}\b", str(period)):
            lines.append(f'[{name!r}] period {period!r} bevat geen jaartal (bijv. "2024-2028")')
    return lines


def document_meta(corpus: Path, path: Path, metadata: dict[str, dict[str, Any]]) -> DocumentMeta:
    """Metadata for one file; a file without an entry gets its file name as title. Names compare in NFC."""
    doc = doc_id(corpus, path)
    table = metadata.get(doc, {})
    title = table.get("title") or path.stem.replace("-", " ").replace("_", " ")
    return DocumentMeta(
        doc=doc,
        title=title,
        kind=table.get("kind", ""),
        region=table.get("region", ""),
        period=table.get("period", ""),
        places=tuple(table.get("places", ())),
        status=table.get("status", "vastgesteld"),
        replaced_by=table.get("replaced_by", ""),
    )
