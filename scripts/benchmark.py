#!/usr/bin/env python3
"""Throughput benchmark: declutter on text dumps and on HTML vs trafilatura on the same pages' HTML.

Both run in this process, on the same pages, in the same run, interleaved in rounds so that machine
noise hits both alike; the result is reported as a ratio: the median over rounds of each round's
ratio (a round times the three back to back, so a machine whose speed drifts over minutes moves
both sides of a round's ratio alike). Usage:

    python scripts/benchmark.py [--split dev] [--rounds 3] [--limit N] [--json out.json]
                                [--model PATH] [--html-model PATH] [--floor] [--fallback]

``--model`` / ``--html-model`` time a retrained model instead of the shipped one. ``--floor`` also
times the text path with every boosted stage cut to its first tree: a model that costs next to
nothing, so what is left is the rest of the pipeline (reading, segmenting, features, smoothing,
rules, writing). Its output is meaningless; its speed is the most any cheaper model could give.
``--fallback`` also times HTML with ``fallback="trafilatura"`` (which also runs trafilatura on
the pages declutter keeps little of).
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import time
from pathlib import Path

import trafilatura
from sklearn.ensemble import HistGradientBoostingClassifier

from declutter import Declutter, dom, features, lexicon, rules
from declutter.corpus import default_corpus_dir, iter_records
from declutter.model import CHAINED_STAGES, Model, chains, default_model_path, load
from declutter.settings import Settings


def _clear_caches() -> None:
    """Forget the text caches, so every round starts cold (no page is seen twice in a round)."""
    features.text_features.cache_clear()
    features.word_count.cache_clear()
    features.block_key.cache_clear()
    lexicon.has_date.cache_clear()
    rules.chrome_rule.cache_clear()
    dom.clear_caches()


def _time(function: object, items: list[str]) -> float:
    _clear_caches()
    start = time.perf_counter()
    for item in items:
        function(item)  # type: ignore[operator]
    return time.perf_counter() - start


def _one_tree(model: Model) -> Model:
    """A copy of ``model`` whose boosted stages keep only their first tree (for ``--floor``); of a
    model of several chains, the first chain's."""
    estimators = dict(model.estimators)
    for name in CHAINED_STAGES:
        if name in estimators:
            estimators[name] = chains(estimators[name])[0]
    for name in model.boosters:
        estimators[name] = _first_tree(estimators[name])
    return Model(estimators, model.threshold, model.manifest, model.path)


def _first_tree(stage: HistGradientBoostingClassifier) -> HistGradientBoostingClassifier:
    cut = copy.copy(stage)
    cut._predictors = cut._predictors[:1]  # scikit-learn's fitted trees, one list per iteration
    return cut


def _series(name: str, speeds: list[float], theirs: list[float]) -> dict[str, object]:
    """An optional timing's docs/s (median of rounds) and its ratio to trafilatura's, round by round."""
    ratios = [a / b for a, b in zip(speeds, theirs, strict=True)]
    return {
        f"{name}_docs_per_s": round(statistics.median(speeds), 1),
        f"{name}_ratio": round(statistics.median(ratios), 2),
        f"round_{name}_ratios": [round(r, 2) for r in ratios],
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--model", type=Path, default=None, help="text model (default: shipped)")
    parser.add_argument("--html-model", type=Path, default=None, help="HTML model (default: shipped)")
    parser.add_argument("--floor", action="store_true", help="also time text with one-tree stages")
    parser.add_argument("--fallback", action="store_true", help="also time HTML with fallback=trafilatura")
    args = parser.parse_args()

    records = [
        r for r in iter_records(args.corpus or default_corpus_dir(), (args.split,)) if r.dump and r.html
    ]
    records = records[: args.limit] if args.limit else records
    dumps = [r.dump for r in records]
    pages = [r.html for r in records]

    start = time.perf_counter()
    model_path = args.model or default_model_path()
    html_model_path = args.html_model or default_model_path(html=True)
    text_model = load(model_path)
    load_seconds = time.perf_counter() - start
    html_model = load(html_model_path)
    text_cleaner = Declutter.from_model(text_model, Settings(input="text"))
    html_cleaner = Declutter.from_model(text_model, Settings(input="html"), html_model)
    floor_cleaner = None
    if args.floor:
        floor_cleaner = Declutter.from_model(_one_tree(text_model), Settings(input="text"))
        floor_cleaner.run(dumps[0])  # warm-up
    fallback_cleaner = None
    if args.fallback:
        fallback_cleaner = Declutter.from_model(
            text_model, Settings(input="html", fallback="trafilatura"), html_model
        )
        fallback_cleaner.run(pages[0])  # warm-up
    text_cleaner.run(dumps[0])
    html_cleaner.run(pages[0])
    trafilatura.extract(pages[0])

    ours: list[float] = []
    ours_html: list[float] = []
    theirs: list[float] = []
    floor: list[float] = []
    with_fallback: list[float] = []
    for _ in range(args.rounds):
        ours.append(len(dumps) / _time(text_cleaner.run, dumps))
        ours_html.append(len(pages) / _time(html_cleaner.run, pages))
        theirs.append(len(pages) / _time(trafilatura.extract, pages))
        if floor_cleaner is not None:
            floor.append(len(dumps) / _time(floor_cleaner.run, dumps))
        if fallback_cleaner is not None:
            with_fallback.append(len(pages) / _time(fallback_cleaner.run, pages))
    text, html, them = (statistics.median(x) for x in (ours, ours_html, theirs))
    text_ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
    html_ratios = [a / b for a, b in zip(ours_html, theirs, strict=True)]
    result = {
        "pages": len(records),
        "split": args.split,
        "rounds": args.rounds,
        "declutter_text_docs_per_s": round(text, 1),
        "declutter_html_docs_per_s": round(html, 1),
        "trafilatura_html_docs_per_s": round(them, 1),
        "ratio": round(statistics.median(text_ratios), 2),
        "html_ratio": round(statistics.median(html_ratios), 2),
        "round_ratios": [round(r, 2) for r in text_ratios],
        "round_html_ratios": [round(r, 2) for r in html_ratios],
        "model_load_s": round(load_seconds, 3),
        "model": str(model_path),
        "html_model": str(html_model_path),
        "model_size_mb": round(model_path.stat().st_size / 1e6, 2),
        "html_model_size_mb": round(html_model_path.stat().st_size / 1e6, 2),
        "mean_dump_kb": round(sum(map(len, dumps)) / len(dumps) / 1e3, 1),
        "mean_html_kb": round(sum(map(len, pages)) / len(pages) / 1e3, 1),
    }
    if floor:
        result |= _series("text_floor", floor, theirs)
    if with_fallback:
        result |= _series("html_fallback", with_fallback, theirs)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
