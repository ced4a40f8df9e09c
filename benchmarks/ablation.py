"""Retrieval ablation: hit@5 and MRR@5 of BM25, dense and hybrid per change, on the real corpus.

    python benchmarks/ablation.py                  # e5 index built once into a temp folder (~25 s)
    python benchmarks/ablation.py --index /tmp/ab  # build there once, reuse on later runs
    python benchmarks/ablation.py --only quantity  # only the rows whose name holds "quantity"
    python benchmarks/ablation.py --latency        # also time the first and the last kept row

Items come from ``evals/questions.jsonl`` (``kennisbank.evaluation.run.load_items``) and a
passage is relevant by ``is_relevant`` from the same module; only answerable items count.
Weights and settings are chosen on the calibration half (the items' ``split`` field), and the
test half is reported beside it, plus the English items on their own (all, and per half).

The e5 vectors are made once; each configuration rebuilds only the BM25 index (with its
analyser) over the same passages, and query embeddings are cached, so a configuration takes
seconds. Every configuration changes one thing against the one above it (the ablation).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kennisbank.analysis import DEFAULT, Analyzer  # noqa: E402
from kennisbank.embedders import make_embedder  # noqa: E402
from kennisbank.evaluation.metrics import hit_at_k, reciprocal_rank_at_k  # noqa: E402
from kennisbank.evaluation.run import EvalItem, is_relevant, load_items  # noqa: E402
from kennisbank.indexing import ingest  # noqa: E402
from kennisbank.retrieval import BM25Retriever, DenseRetriever, HybridRetriever  # noqa: E402
from kennisbank.store.bm25 import BM25Index, QueryWeights  # noqa: E402
from kennisbank.store.reader import IndexReader  # noqa: E402
from kennisbank.store.vectors import VectorStore, collection_name, embedding_dim, open_client  # noqa: E402
from kennisbank.synonyms import SYNONYMS_FILE, TABLE, Synonyms, read_file  # noqa: E402
from kennisbank.synonyms import build as build_synonyms  # noqa: E402

CORPUS = ROOT / "corpus"
ITEMS = ROOT / "evals" / "questions.jsonl"
K = 5
MODES = ("bm25", "dense", "hybrid")
#: Context a user writes before the question, for the "long" slice: the calibration questions behind it
#: (60+ words). It names things the corpus has (raadslid, kosten, regio, samenwerking), so a retriever that
#: weighs it like the question is led away.
PREAMBLE = (
    "Ik ben sinds kort raadslid en bereid de commissievergadering van volgende week voor. "
    "Daar komt het sociaal domein aan bod, en ik wil goed beslagen ten ijs komen, omdat de wethouder "
    "vragen verwacht over de kosten, de rol van de regio en de samenwerking tussen de gemeenten en "
    "de zorgpartners. Mijn fractie wil vooral weten wat het voor onze inwoners betekent. "
)


class LegacyAnalyzer(Analyzer):
    """The analyser before this change: bm25s' word split, stopwordsiso + question words, Snowball ``dutch``."""

    def terms(self, text: str) -> list[tuple[str, str]]:
        import bm25s
        import Stemmer

        from kennisbank.analysis import _stopwords
        from kennisbank.text import fold

        tokens = bm25s.tokenize(
            [fold(text)],
            stopwords=sorted(_stopwords()),
            stemmer=Stemmer.Stemmer("dutch"),
            return_ids=False,
            show_progress=False,
        )[0]
        return [(t, "word") for t in tokens]


@dataclass(frozen=True)
class Config:
    """One row of the ablation."""

    name: str
    analyzer: Analyzer = DEFAULT
    weights: QueryWeights = QueryWeights()
    # "none", "corpus" (abbreviations defined in the texts), "dutch" (+ synoniemen.toml's [synoniemen]),
    # "all" (+ its [engels] glossary)
    synonyms: str = "all"
    fusion: tuple[float, float] = (1.0, 1.0)  # bm25, dense
    english: tuple[float, float] | None = None
    rrf_k: int = 60
    dense_expand: bool = False
    context: float = 0.1  # weight of a long question's context sentences (BM25 tokens and dense vector)
    method: str = "rrf"
    depth: int = 50
    k1: float = 1.5
    b: float = 0.75
    heading: int = 0  # extra copies of the section heading in the BM25 text (a field boost)
    quantity: float = 0.0  # fused-score bonus of a passage with a number, for a question asking for one
    title: int = 0  # extra copies of the document title in the BM25 text (a field boost)


LEGACY = Config(
    "today: bm25s words, Snowball dutch, RRF",
    analyzer=LegacyAnalyzer(),
    weights=QueryWeights(part=1, idpart=1, synonym=0, context=1),
    context=1.0,
    synonyms="none",
    k1=1.5,
    b=0.75,
)


def steps() -> list[Config]:
    """The ablation: each kept row changes one thing against the last kept row; "(tried)" rows are not kept."""
    rows = [last := LEGACY]
    rows.append(
        last := replace(last, name="+ stemmer dutch_porter (keeps ge-)", analyzer=Analyzer("porter", False, False))
    )
    rows.append(replace(last, name="(tried) simplemma lemma", analyzer=Analyzer("lemma", False, False)))
    rows.append(
        replace(
            last, name="(tried) simplemma lemma, then dutch_porter", analyzer=Analyzer("lemma+porter", False, False)
        )
    )
    rows.append(last := replace(last, name="+ numbers and codes as written", analyzer=Analyzer("porter", False, True)))
    rows.append(last := replace(last, name="+ compound parts (weight 1)", analyzer=Analyzer("porter", True, True)))
    weights = QueryWeights(part=0.5, idpart=0.5, synonym=0, context=1)
    rows.append(last := replace(last, name="+ parts weigh 0.5 in the query", weights=weights))
    weights = replace(weights, synonym=0.25)
    rows.append(last := replace(last, name="+ corpus abbreviations (weight 0.25)", synonyms="corpus", weights=weights))
    rows.append(last := replace(last, name="+ synoniemen.toml", synonyms="dutch"))
    rows.append(replace(last, name="(tried) synonyms spelled out for dense", dense_expand=True))
    rows.append(replace(last, name="(tried) synonym weight 0.5", weights=replace(weights, synonym=0.5)))
    rows.append(last := replace(last, name="+ BM25 k1 1.2, b 0.6", k1=1.2, b=0.6))
    rows.append(replace(last, name="(tried) RRF k 30", rrf_k=30))
    rows.append(replace(last, name="(tried) RRF bm25 weight 0.6", fusion=(0.6, 1.0)))
    rows.append(last := replace(last, name="+ convex score fusion 0.5/0.5", method="convex", fusion=(0.5, 0.5)))
    rows.append(replace(last, name="(tried) convex 0.4/0.6", fusion=(0.4, 0.6)))
    rows.append(replace(last, name="(tried) convex 0.6/0.4", fusion=(0.6, 0.4)))
    rows.append(replace(last, name="(tried) heading twice in BM25 text", heading=1))
    rows.append(replace(last, name="(tried) English: dense only", english=(0.0, 1.0)))
    rows.append(last := replace(last, name="+ English: bm25 0.25 / dense 0.75", english=(0.25, 0.75)))
    weights = replace(weights, context=0.1)
    rows.append(last := replace(last, name="+ long questions: context weighs 0.1", weights=weights, context=0.1))
    for share in (0.0, 0.3):
        tried = replace(weights, context=share)
        rows.append(replace(last, name=f"(tried) long questions: context weighs {share}", weights=tried, context=share))
    # Second pass (new calibration half with its split field, 30 English items).
    rows.append(last := replace(last, name="+ [engels] glossary, English expansions 0.25", synonyms="all"))
    rows.append(replace(last, name="(tried) English expansions weigh 1.0", weights=replace(weights, english=1.0)))
    weights = replace(weights, english=0.5)
    rows.append(last := replace(last, name="+ English expansions weigh 0.5", weights=weights))
    for pair in ((0.4, 0.6), (0.1, 0.9), (0.6, 0.4)):
        rows.append(replace(last, name=f"(tried) English: bm25 {pair[0]} / dense {pair[1]}", english=pair))
    rows.append(last := replace(last, name="+ English: bm25 0.5 / dense 0.5", english=(0.5, 0.5)))
    for pair in ((0.4, 0.6), (0.45, 0.55), (0.55, 0.45), (0.6, 0.4)):
        rows.append(replace(last, name=f"(tried) convex {pair[0]}/{pair[1]}", fusion=pair))
    rows.append(replace(last, name="(tried) heading twice in BM25 text", heading=1))
    rows.append(replace(last, name="(tried) title twice in BM25 text", title=1))
    rows.append(replace(last, name="(tried) BM25 k1 1.5, b 0.75", k1=1.5, b=0.75))
    rows.append(replace(last, name="(tried) BM25 k1 0.9, b 0.4", k1=0.9, b=0.4))
    rows.append(replace(last, name="(tried) BM25 k1 0.9, b 0.4, convex 0.55/0.45", k1=0.9, b=0.4, fusion=(0.55, 0.45)))
    rows.append(replace(last, name="(tried) BM25 k1 1.2, b 0.4", k1=1.2, b=0.4))
    rows.append(replace(last, name="(tried) parts weigh 0.3", weights=replace(weights, part=0.3)))
    rows.append(replace(last, name="(tried) synonyms weigh 0.5", weights=replace(weights, synonym=0.5)))
    rows.append(replace(last, name="(tried) fusion depth 30", depth=30))
    rows.append(replace(last, name="(tried) fusion depth 100", depth=100))
    for bonus in (0.05, 0.1, 0.3):
        name = f"(tried) quantity questions: +{bonus} for a passage with a number"
        rows.append(replace(last, name=name, quantity=bonus))
    rows.append(last := replace(last, name="+ quantity questions: +0.2 for a passage with a number", quantity=0.2))
    return rows


# ---------------------------------------------------------------- measuring


class CachedEmbedder:
    """The index's embedder, remembering query vectors across configurations."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = embedding_dim(inner)
        self.cache: dict[tuple[str, bool], np.ndarray] = {}

    def embed(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        missing = [t for t in texts if (t, query) not in self.cache]
        if missing:
            for text, vector in zip(missing, self.inner.embed(missing, query=query), strict=True):
                self.cache[(text, query)] = vector
        return np.stack([self.cache[(t, query)] for t in texts])


@dataclass
class Bench:
    reader: IndexReader
    embedder: CachedEmbedder
    store: VectorStore
    items: list[EvalItem]
    halves: dict[str, list[EvalItem]] = field(default_factory=dict)
    _bm25: dict[tuple[Any, ...], BM25Index] = field(default_factory=dict)

    def bm25(self, config: Config) -> BM25Index:
        key = (config.analyzer, config.synonyms, config.k1, config.b, config.heading, config.title)
        if key not in self._bm25:
            passages = list(self.reader.passages.values())
            texts = [
                p.index_text + ("\n" + p.section) * config.heading + ("\n" + p.title) * config.title for p in passages
            ]
            extra = read_file(CORPUS / SYNONYMS_FILE) if config.synonyms == "all" else []
            if config.synonyms == "dutch":
                table = tomllib.loads((CORPUS / SYNONYMS_FILE).read_text(encoding="utf-8"))[TABLE]
                extra = [(key, *([v] if isinstance(v, str) else v)) for key, v in table.items()]
            syn = build_synonyms([p.text for p in passages], extra) if config.synonyms != "none" else Synonyms()
            self._bm25[key] = BM25Index.build(
                [p.id for p in passages], texts, syn, config.analyzer, k1=config.k1, b=config.b
            )
        index = self._bm25[key]
        return BM25Index(index.model, index.ids, index.synonyms, config.analyzer, config.weights)

    def retrievers(self, config: Config) -> dict[str, Any]:
        self.reader.bm25 = self.bm25(config)
        bm25 = BM25Retriever(self.reader)
        dense = DenseRetriever(
            self.reader,
            self.embedder,  # type: ignore[arg-type]
            self.store,
            context=config.context,
            expand=config.dense_expand,
        )
        hybrid = HybridRetriever(
            [bm25, dense],
            depth=config.depth,
            k=config.rrf_k,
            weights=config.fusion,
            english=config.english,
            method=config.method,
            quantity=config.quantity,
        )
        return {"bm25": bm25, "dense": dense, "hybrid": hybrid}

    def run(self, config: Config) -> dict[str, dict[str, tuple[float, float]]]:
        """slice -> mode -> (hit@5, MRR@5)."""
        retrievers = self.retrievers(config)
        ranked: dict[str, dict[str, list[bool]]] = {}
        for item in [*self.items, *self.halves["long"]]:
            ranked[item.id] = {
                mode: [is_relevant(item, p.doc, p.text) for p in retrievers[mode].retrieve(item.question, K)]
                for mode in MODES
            }
        out: dict[str, dict[str, tuple[float, float]]] = {}
        for name, items in self.halves.items():
            out[name] = {
                mode: (
                    statistics.fmean(float(hit_at_k(ranked[i.id][mode], K)) for i in items),
                    statistics.fmean(reciprocal_rank_at_k(ranked[i.id][mode], K) for i in items),
                )
                for mode in MODES
            }
        return out


def halves(items: Sequence[EvalItem]) -> dict[str, list[EvalItem]]:
    """Answerable items by slice: calibration and test (the items' ``split`` field), English (all, and
    the calibration and test English items apart), and "long": the Dutch calibration questions behind
    ``PREAMBLE``."""
    answerable = [i for i in items if i.answerable]
    cal = [i for i in answerable if i.split == "calibration"]
    test = [i for i in answerable if i.split == "test"]
    english = [i for i in answerable if i.lang == "en"]
    long = [replace(i, id=i.id + "-long", question=PREAMBLE + i.question) for i in cal if i.lang == "nl"]
    return {
        "calibration": cal,
        "test": test,
        "english": english,
        "english calibration": [i for i in english if i.split == "calibration"],
        "english test": [i for i in english if i.split == "test"],
        "long": long,
    }


def open_bench(folder: Path) -> Bench:
    if not (folder / "manifest.json").exists():
        started = time.perf_counter()
        report = ingest(CORPUS, folder, "e5-small")
        print(f"e5 index built in {time.perf_counter() - started:.1f} s: {report.passages} passages", file=sys.stderr)
    reader = IndexReader(folder)
    embedder = CachedEmbedder(make_embedder(reader.manifest.embedder))
    store = VectorStore(open_client(reader.chroma_dir), collection_name(embedder.name, embedder.dim), create=False)
    items = load_items(ITEMS)
    bench = Bench(reader, embedder, store, [i for i in items if i.answerable])
    bench.halves = halves(items)
    return bench


def table(rows: list[tuple[Config, dict[str, dict[str, tuple[float, float]]]]], slices: Sequence[str]) -> str:
    head = "| change | " + " | ".join(f"{s} {m} hit@5 / MRR@5" for s in slices for m in MODES) + " |"
    lines = [head, "|---|" + "---:|" * (len(slices) * len(MODES))]
    for config, result in rows:
        cells = [f"{result[s][m][0]:.3f} / {result[s][m][1]:.3f}" for s in slices for m in MODES]
        lines.append(f"| {config.name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, help="index folder to build once and reuse (default: a temp folder)")
    parser.add_argument("--only", help="run only configurations whose name contains this")
    parser.add_argument("--latency", action="store_true", help="also time today's and the final hybrid search")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        bench = open_bench(args.index or Path(tmp) / "index")
        sizes = ", ".join(f"{name} {len(items)}" for name, items in bench.halves.items())
        print(f"answerable items: {sizes}")
        rows = []
        for config in steps():
            if args.only and args.only not in config.name:
                continue
            started = time.perf_counter()
            rows.append((config, bench.run(config)))
            print(f"{config.name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
        for slices in [(name,) for name in bench.halves]:
            print()
            print(table(rows, slices))
        if args.latency:
            print()
            print(latency(bench, [LEGACY, [c for c in steps() if not c.name.startswith("(")][-1]]))
    return 0


def latency(bench: Bench, configs: Sequence[Config], passes: int = 3) -> str:
    """Warm hybrid search p50 / p95 (top 5, query embedding not cached) of each configuration, the
    configurations taking turns per question so that load from other processes hits them alike."""
    bench.embedder.cache.clear()
    times: dict[str, list[float]] = {c.name: [] for c in configs}
    for _ in range(passes):
        for item in bench.items:
            for config in configs:
                hybrid = bench.retrievers(config)["hybrid"]
                bench.embedder.cache.clear()
                started = time.perf_counter()
                hybrid.retrieve(item.question, K)
                times[config.name].append(time.perf_counter() - started)
    lines = ["| configuration | hybrid search p50 / p95 (ms) |", "|---|---:|"]
    for name, values in times.items():
        values.sort()
        p50, p95 = values[len(values) // 2], values[int(len(values) * 0.95)]
        lines.append(f"| {name} | {p50 * 1000:.1f} / {p95 * 1000:.1f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
