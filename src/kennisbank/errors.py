"""The exceptions kennisbank raises; the CLI and app turn them into one-line messages."""

from __future__ import annotations

import re
from pathlib import Path

#: A control character (a line break, a tab, ...): in a file name it would break a one-line message.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class KennisbankError(Exception):
    """Base class: something the user can act on, with a message that says what."""


class ConfigError(KennisbankError):
    """A setting (environment variable or argument) has a value we cannot use."""


class DocumentError(KennisbankError):
    """A document in the corpus could not be read or made into passages."""

    def __init__(self, path: object, reason: str) -> None:
        # a control character in a path (a line break in a file name) is written as an escape: one line
        shown = CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", str(path))
        super().__init__(f"{shown}: {reason}")
        self.path = path
        self.reason = reason


class IndexMissingError(KennisbankError):
    """There is no index yet where one was expected."""

    @classmethod
    def at(cls, folder: Path) -> IndexMissingError:
        """The one message for ``folder``, named in full ("geen index in index" named no place)."""
        return cls(f"geen index in {folder.absolute()}: draai 'kennisbank ingest'")


class IndexFormatError(KennisbankError):
    """The index was written in another index format; ``kennisbank ingest`` builds it again."""

    def __init__(self, version: object) -> None:
        super().__init__(
            f"de index heeft een ouder formaat (versie {version}): draai 'kennisbank ingest' om hem opnieuw te bouwen"
        )
        self.version = version


class ModelError(KennisbankError):
    """An embedding or language model could not be loaded or called."""


class InputError(KennisbankError):
    """A question or filter value cannot be used: not text, too long, or naming something not in the index."""


class IndexDamagedError(KennisbankError):
    """A part of the index does not match its manifest; ``kennisbank ingest`` repairs it."""


#: tomllib's reasons (Python 3.11-3.13) in Dutch; a reason not listed is left out.
_TOML_REASONS = (
    ("Cannot overwrite a value", "deze sleutel staat er al eerder"),
    ("Cannot declare", "deze tabel staat er al eerder"),
    ("Cannot mutate", "deze tabel staat er al eerder"),
    ("Expected '=' after a key", "'=' ontbreekt na de sleutel"),
    ("Unterminated string", "aanhalingsteken niet gesloten"),
    ("Invalid value", "ongeldige waarde (tekst tussen aanhalingstekens?)"),
    ("Unclosed array", "lijst niet gesloten met ']'"),
    ("Illegal character", "ongeldig teken"),
    ("Expected newline or end of document after a statement", "na een waarde hoort een nieuwe regel"),
)


def unreadable_toml(exc: Exception) -> str:
    """Why a TOML file (``metadata.toml``, ``synoniemen.toml``) cannot be read, in Dutch, with where:
    "geen geldige TOML op regel 48, kolom 12: deze sleutel staat er al eerder" (tomllib's reason in Dutch when
    it is a common one).
    """
    if isinstance(exc, UnicodeDecodeError):
        return "geen geldige UTF-8-tekst"
    if isinstance(exc, OSError):
        return f"niet te lezen ({exc.strerror or type(exc).__name__})"
    reason = next((dutch for english, dutch in _TOML_REASONS if english in str(exc)), "")
    because = f": {reason}" if reason else ""
    where = re.search(r"at line (\d+), column (\d+)", str(exc))
    if where:
        return f"geen geldige TOML op regel {where.group(1)}, kolom {where.group(2)}{because}"
    if "end of document" in str(exc):
        return f"geen geldige TOML aan het eind van het bestand{because or ' (het houdt onverwacht op)'}"
    return f"geen geldige TOML{because}"
