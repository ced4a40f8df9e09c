"""Settings: constructor arguments with defaults from a few ``KENNISBANK_*`` variables.

This is the one place that reads the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kennisbank.errors import ConfigError

ENV_PREFIX = "KENNISBANK_"


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


def _auth(value: str) -> tuple[str, str] | None:
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ConfigError(f"{ENV_PREFIX}AUTH: verwacht 'gebruiker:wachtwoord', kreeg een waarde zonder beide delen")
    return user, password
