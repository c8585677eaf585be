#!/usr/bin/env python3
"""Where a split's token F1 goes: the worst pages, and the lost characters by the lines' reasons.

For every page of a corpus split (the text model on the Chromium dumps, or ``--input html``), it
scores the page as ``declutter eval`` does, and attributes the misjudged lines (against the
alignment labels) to their reason: per page, the share of the kept characters that are not gold
(false positives) and of the gold characters that were dropped (false negatives), averaged over
pages. It also scores the split once more without the page's own cut-off (``cutoff.page_cutoff``:
the fallback, and the calibrated expected-score cut-off) to show what that costs or gains. Usage:

    python scripts/losses.py [--split dev] [--input text|html] [--worst 20] [--json out.json]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from declutter import Declutter, Document, Settings, cutoff
from declutter.corpus import Record, default_corpus_dir, iter_records
from declutter.cutoff import FALLBACK_CUTOFF, Calibration
from declutter.evaluation import kept_text, line_labels
from declutter.scoring import Score, page_precision_recall, token_score
from declutter.segmenter import split_lines


def _pages(corpus: Path, split: str) -> Iterator[Record]:
    return (r for r in iter_records(corpus, (split,)) if r.gold.strip())


def _run(cleaner: Declutter, record: Record, html: bool) -> tuple[Document, list[str]]:
    if html:
        doc = cleaner.run(record.html)
        return doc, [line.text for line in doc.lines]
    lines = split_lines(record.dump)
    return cleaner.run("".join(line + "\n" for line in lines)), lines


def _kept_text(doc: Document, lines: list[str], html: bool) -> str:
    """What ``declutter eval`` scores: the document's text from HTML, the kept dump lines from text."""
    if html:
        return doc.text
    return kept_text(lines, [line.label.is_content for line in doc.lines])


class Cutoff(Protocol):
    """A page cut-off function, shaped like ``cutoff.page_cutoff``."""

    def __call__(
        self,
        probabilities: np.ndarray,
        prose_chars: np.ndarray,
        words: np.ndarray,
        threshold: float,
        calibration: Calibration | None,
    ) -> float: ...


@contextlib.contextmanager
def _page_cutoff(replace: Callable[[Cutoff], Cutoff]) -> Iterator[None]:
    """Run with ``cutoff.page_cutoff`` replaced by ``replace(the original)``."""
    original = cutoff.page_cutoff
    cutoff.page_cutoff = replace(original)
    try:
        yield
    finally:
        cutoff.page_cutoff = original


def _attribute(doc: Document, gold: list[bool], fp: dict[str, float], fn: dict[str, float]) -> None:
    """Add this page's shares of wrongly kept / wrongly dropped characters, by reason."""
    sizes = [len(line.text.strip()) for line in doc.lines]
    kept = [line.label.is_content for line in doc.lines]
    kept_total = sum(s for s, k in zip(sizes, kept, strict=True) if k) or 1
    gold_total = sum(s for s, g in zip(sizes, gold, strict=True) if g) or 1
    for line, size, k, g in zip(doc.lines, sizes, kept, gold, strict=True):
        if k and not g:
            fp[line.reason] = fp.get(line.reason, 0.0) + size / kept_total
        elif g and not k:
            fn[line.reason] = fn.get(line.reason, 0.0) + size / gold_total


def analyse(corpus: Path, split: str, html: bool, worst: int) -> dict[str, Any]:
    """The split's scores, its worst pages and its losses by reason."""
    cleaner = Declutter(Settings(input="html" if html else "text", metadata=False))
    fp: dict[str, float] = {}
    fn: dict[str, float] = {}
    pages: list[dict[str, Any]] = []
    pairs: list[tuple[str, str]] = []
    fired: list[str] = []

    def watched(original: Cutoff) -> Cutoff:
        def watching(
            probabilities: np.ndarray,
            prose_chars: np.ndarray,
            words: np.ndarray,
            threshold: float,
            calibration: Calibration | None,
        ) -> float:
            value = original(probabilities, prose_chars, words, threshold, calibration)
            if value != threshold:
                fired.append("fallback" if value == FALLBACK_CUTOFF else "expected")
            return value

        return watching

    with _page_cutoff(watched):
        for record in _pages(corpus, split):
            fired.clear()
            doc, lines = _run(cleaner, record, html)
            text = _kept_text(doc, lines, html)
            pairs.append((record.gold, text))
            _attribute(doc, line_labels(record, lines), fp, fn)
            pages.append(
                {
                    "id": record.id,
                    "host": record.host,
                    "lines": len(lines),
                    "f1": Score.of(*page_precision_recall(record.gold, text), 1).f1,
                    "fallback": "fallback" in fired,
                    "expected_cutoff": "expected" in fired,
                    "article_probability": doc.article_probability,
                }
            )
    n = max(1, len(pages))
    fallback = [p["article_probability"] for p in pages if p["fallback"]]
    return {
        "split": split,
        "input": "html" if html else "text",
        "token": dataclasses.asdict(token_score(pairs)),
        "without_page_cutoff": dataclasses.asdict(_without_page_cutoff(cleaner, corpus, split, html)),
        "empty_pages": sum(1 for p in pages if not p["lines"]),
        "fallback_pages": len(fallback),
        "expected_cutoff_pages": sum(1 for p in pages if p["expected_cutoff"]),
        "fallback_article_probability": [min(fallback, default=None), max(fallback, default=None)],
        "worst": sorted(pages, key=lambda p: p["f1"])[:worst],
        "false_positive_share": _by_share(fp, n),
        "false_negative_share": _by_share(fn, n),
    }


def _by_share(shares: dict[str, float], pages: int) -> dict[str, float]:
    """Each reason's mean share per page, largest first."""
    return {k: round(v / pages, 4) for k, v in sorted(shares.items(), key=lambda kv: -kv[1])}


def _without_page_cutoff(cleaner: Declutter, corpus: Path, split: str, html: bool) -> Score:
    """The split's token score at the model's threshold on every page."""

    def fixed(original: Cutoff) -> Cutoff:
        return lambda probabilities, prose_chars, words, threshold, calibration: threshold

    with _page_cutoff(fixed):
        return token_score((r.gold, _kept_text(*_run(cleaner, r, html), html)) for r in _pages(corpus, split))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--input", choices=("text", "html"), default="text")
    parser.add_argument("--worst", type=int, default=20)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    result = analyse(args.corpus or default_corpus_dir(), args.split, args.input == "html", args.worst)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
