"""Settings: constructor arguments with defaults from a few ``KENNISBANK_*`` variables.

This is the one place that reads the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kennisbank.errors import ConfigError

ENV_PREFIX = "KENNISBANK_"
#: Longest question in characters (``KENNISBANK_MAX_QUESTION``): a page of text, far beyond any real question.
MAX_QUESTION = 2000


def _env(name: str, default: str = "") -> str:
    return os.environ.get(ENV_PREFIX + name, default).strip()


@dataclass(frozen=True)
class Settings:
    """Where things are and which parts to use.

    corpus       KENNISBANK_CORPUS       folder with documents and metadata.toml
    index        KENNISBANK_INDEX        folder the index is written to
    embedder     KENNISBANK_EMBEDDER     "e5-small" (default) or "st:<model name or path>"
    chroma_url   KENNISBANK_CHROMA_URL   http://host:port of a Chroma server; empty = embedded
    host/port    KENNISBANK_HOST / KENNISBANK_PORT for the chat app (Gradio's GRADIO_SERVER_PORT is honoured too)
    auth         KENNISBANK_AUTH         "user:password" to require a login in the app
    llm_url      KENNISBANK_LLM_URL      OpenAI-compatible endpoint for generative answers ("http://host:port/v1")
    llm_model    KENNISBANK_LLM_MODEL    model name to ask that endpoint (or Ollama) for
    llm_api_key  KENNISBANK_LLM_API_KEY  key for a hosted endpoint; empty for a local server
    llm_timeout  KENNISBANK_LLM_TIMEOUT  seconds to wait for the model (default 60), then the extractive answer
    ollama_url   KENNISBANK_OLLAMA_URL   http://host:11434 of an Ollama server, instead of llm_url
    max_question KENNISBANK_MAX_QUESTION longest question in characters (default 2000); longer is refused
    allowed_hosts KENNISBANK_ALLOWED_HOSTS comma-separated Host header names the app answers besides IP
                                         addresses (default: localhost; list a proxy's public name here)
    allow_no_auth KENNISBANK_ALLOW_NO_AUTH "1" lets the app listen beyond loopback without KENNISBANK_AUTH
    feedback     KENNISBANK_FEEDBACK     file ratings are appended to (default <index>/feedback.jsonl); set it
                                         when the index folder is read-only
    feedback_days KENNISBANK_FEEDBACK_DAYS days a rating is kept (default 30); older lines are removed
    sessions     KENNISBANK_SESSIONS     browser sessions kept in memory (default 1000, about 112 KB each, measured);
                                         the least recently used is dropped beyond it
    session_ttl  KENNISBANK_SESSION_TTL  seconds an idle session is kept (default 3600)

    Without llm_url and ollama_url answers are extractive (quoted sentences).
    """

    corpus: Path = field(default_factory=lambda: Path(_env("CORPUS", "corpus")))
    index: Path = field(default_factory=lambda: Path(_env("INDEX", "index")))
    embedder: str = field(default_factory=lambda: _env("EMBEDDER", "e5-small"))
    chroma_url: str = field(default_factory=lambda: _env("CHROMA_URL"))
    host: str = field(default_factory=lambda: _env("HOST", "127.0.0.1"))
    port: int = field(
        default_factory=lambda: _port(_env("PORT") or os.environ.get("GRADIO_SERVER_PORT", "").strip() or "7860")
    )
    auth: tuple[str, str] | None = field(default_factory=lambda: _auth(_env("AUTH")))
    llm_url: str = field(default_factory=lambda: _env("LLM_URL"))
    llm_model: str = field(default_factory=lambda: _env("LLM_MODEL", "local"))
    llm_api_key: str = field(default_factory=lambda: _env("LLM_API_KEY"), repr=False)
    llm_timeout: float = field(default_factory=lambda: _seconds("LLM_TIMEOUT", _env("LLM_TIMEOUT", "60")))
    ollama_url: str = field(default_factory=lambda: _env("OLLAMA_URL"))
    max_question: int = field(default_factory=lambda: _count("MAX_QUESTION", _env("MAX_QUESTION", str(MAX_QUESTION))))
    allowed_hosts: tuple[str, ...] = field(default_factory=lambda: _hosts(_env("ALLOWED_HOSTS")))
    allow_no_auth: bool = field(default_factory=lambda: _flag("ALLOW_NO_AUTH", _env("ALLOW_NO_AUTH")))
    feedback: Path | None = field(default_factory=lambda: Path(_env("FEEDBACK")) if _env("FEEDBACK") else None)
    feedback_days: int = field(default_factory=lambda: _count("FEEDBACK_DAYS", _env("FEEDBACK_DAYS", "30")))
    sessions: int = field(default_factory=lambda: _count("SESSIONS", _env("SESSIONS", "1000")))
    session_ttl: float = field(default_factory=lambda: _seconds("SESSION_TTL", _env("SESSION_TTL", "3600")))

    @property
    def feedback_path(self) -> Path:
        """Where ratings are written: ``feedback``, or ``feedback.jsonl`` in the index folder."""
        return self.feedback if self.feedback is not None else self.index / "feedback.jsonl"


#: Host header names always answered: the loopback names (see ``Settings.allowed_hosts``).
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def _port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ConfigError(f"{ENV_PREFIX}PORT: verwacht een poortnummer 1-65535, kreeg {value!r}")
    return int(value)


def _seconds(name: str, value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise ConfigError(f"{ENV_PREFIX}{name}: verwacht een aantal seconden groter dan 0, kreeg {value!r}")
    return seconds


def _count(name: str, value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"{ENV_PREFIX}{name}: verwacht een geheel getal groter dan 0, kreeg {value!r}")
    return int(value)


def _flag(name: str, value: str) -> bool:
    if value.lower() in ("", "0", "false", "nee"):
        return False
    if value.lower() in ("1", "true", "ja"):
        return True
    raise ConfigError(f"{ENV_PREFIX}{name}: verwacht 1 of 0, kreeg {value!r}")


def _hosts(value: str) -> tuple[str, ...]:
    names = [name.strip().lower().strip("[]") for name in value.split(",") if name.strip()]
    return tuple(dict.fromkeys([*LOOPBACK_HOSTS, *names]))


def _auth(value: str) -> tuple[str, str] | None:
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ConfigError(f"{ENV_PREFIX}AUTH: verwacht 'gebruiker:wachtwoord', kreeg een waarde zonder beide delen")
    return user, password
