#!/usr/bin/env python3
"""Check that featurization and whole runs are bit-identical to a saved reference.

Save a reference with one version of the code, then compare another version against it:

    PYTHONPATH=<old checkout> python scripts/check_features.py --save /tmp/ref.pkl
    PYTHONPATH=<new checkout> python scripts/check_features.py --compare /tmp/ref.pkl

For the first ``--limit`` dev pages it records the blocks of ``segment``, the feature matrix of
``featurize`` with zero text scores and with the model's text scores, and every line verdict of
``Declutter().run`` (label, probability, reason, block). Keep references outside the repository.
"""

from __future__ import annotations

import argparse
import itertools
import pickle
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

import declutter
from declutter import Declutter, reader, segmenter
from declutter.corpus import default_corpus_dir, iter_records
from declutter.features import featurize, text_terms
from declutter.model import MODEL_FILE

DEFAULT_LIMIT = 250


def _model_path() -> Path:
    """The model file of the checkout the ``declutter`` package is imported from."""
    return Path(declutter.__file__).resolve().parent.parent / "models" / MODEL_FILE


def _dumps(limit: int) -> list[str]:
    """The text dumps of the first ``limit`` dev pages."""
    dumps = (r.dump for r in iter_records(default_corpus_dir(), ("dev",)) if r.dump)
    return list(itertools.islice(dumps, limit))


def _page(cleaner: Declutter, dump: str) -> dict[str, Any]:
    """Everything recorded for one page."""
    assert cleaner.model is not None
    lines = segmenter.split_lines(reader.read(dump, "<check>"))
    blocks = segmenter.segment(lines, cleaner.settings.unwrap, fragments=True)
    scores = cleaner.model.text_scores(text_terms(blocks))
    verdicts = [
        (ln.number, ln.text, ln.label.value, ln.probability, ln.reason, ln.block)
        for ln in cleaner.run(dump).lines
    ]
    return {
        "blocks": [(b.start, b.end, b.text) for b in blocks],
        "zeros": featurize(blocks, lines, np.zeros(len(blocks))),
        "scored": featurize(blocks, lines, scores),
        "lines": verdicts,
    }


def _timings(cleaner: Declutter, dumps: list[str]) -> dict[str, float]:
    """Seconds spent in featurize alone and in whole runs over ``dumps``."""
    pages = []
    for dump in dumps:
        lines = segmenter.split_lines(reader.read(dump, "<check>"))
        blocks = segmenter.segment(lines, cleaner.settings.unwrap, fragments=True)
        pages.append((blocks, lines, np.zeros(len(blocks))))
    start = time.perf_counter()
    for page in pages:
        featurize(*page)
    middle = time.perf_counter()
    for dump in dumps:
        cleaner.run(dump)
    return {"featurize_s": middle - start, "run_s": time.perf_counter() - middle}


def _differences(reference: list[dict[str, Any]], current: list[dict[str, Any]]) -> list[str]:
    """One message per differing page and field."""
    problems = []
    if len(reference) != len(current):
        problems.append(f"{len(reference)} reference pages, {len(current)} now")
    for number, (old, new) in enumerate(zip(reference, current, strict=False)):
        for key in ("zeros", "scored"):
            same = old[key].dtype == new[key].dtype and np.array_equal(old[key], new[key])
            if not same:
                problems.append(f"page {number}: {key} features differ")
        for key in ("blocks", "lines"):
            if old[key] != new[key]:
                problems.append(f"page {number}: {key} differ")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--save", type=Path, help="write the reference to this file")
    action.add_argument("--compare", type=Path, help="compare against this reference file")
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT)
    parser.add_argument("--time", action="store_true", help="also time featurize and run")
    args = parser.parse_args()

    dumps = _dumps(args.limit)
    cleaner = Declutter(model_path=_model_path())
    print(f"declutter from {declutter.__file__}; {len(dumps)} dev pages")
    current = [_page(cleaner, dump) for dump in dumps]
    if args.time:
        print(_timings(cleaner, dumps))
    if args.save:
        args.save.write_bytes(pickle.dumps(current, protocol=pickle.HIGHEST_PROTOCOL))
        print(f"saved reference to {args.save}")
        return 0
    problems = _differences(pickle.loads(args.compare.read_bytes()), current)
    for problem in problems[:20]:
        print(problem)
    print("IDENTICAL: features, blocks and line verdicts" if not problems else f"{len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
