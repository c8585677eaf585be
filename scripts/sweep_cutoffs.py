#!/usr/bin/env python3
"""A model's token F1 on a corpus split at other thresholds, with and without a calibration.

Each setting runs the model as the default does (the page fallback on), with the manifest's
threshold and calibration replaced in memory (the files are not touched), and is scored as
``declutter eval`` scores it. What ``training.CALIBRATION_TIE`` was measured with. Usage:

    python scripts/sweep_cutoffs.py --split sanity [--input html] [--model M]
        [--thresholds 0.6,0.7] [--calibrations none,own,1.25:0.05]

``own``: the manifest's calibration (``none`` where it has none); ``E:M``: exponent E, margin M.
The first row is the model as saved.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

from declutter import model as models
from declutter.corpus import default_corpus_dir, iter_records
from declutter.training import dev_score, with_manifest


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--input", choices=("text", "html"), default="text", help="which shipped model")
    parser.add_argument("--model", type=Path, default=None, help="default: the shipped one")
    parser.add_argument("--thresholds", default="", help="comma-separated; default: the model's own")
    parser.add_argument("--calibrations", default="own", help="none, own or E:M, comma-separated")
    return parser.parse_args(argv)


def calibration(spec: str, manifest: dict[str, Any]) -> dict[str, float] | None:
    """The manifest entry a --calibrations item stands for."""
    if spec == "none":
        return None
    if spec == "own":
        own: dict[str, float] | None = manifest.get("calibration")
        return own
    exponent, margin = spec.split(":")
    return {"exponent": float(exponent), "margin": float(margin)}


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    corpus = args.corpus or default_corpus_dir()
    html = args.input == "html"
    base = models.load(args.model or models.default_model_path(html=html))
    records = list(iter_records(corpus, (args.split,)))
    thresholds = [float(t) for t in args.thresholds.split(",") if t] or [base.threshold]
    settings = [(t, c) for t in thresholds for c in args.calibrations.split(",")]
    for label, judge in [("as saved", base)] + [
        (
            f"threshold {t} calibration {c}",
            dataclasses.replace(with_manifest(base, calibration=calibration(c, base.manifest)), threshold=t),
        )
        for t, c in settings
    ]:
        s = dev_score(records, judge, line_scores=False)["overall"]["token"]
        print(
            f"{args.split} {args.input} {label}: P {s['precision']:.4f} R {s['recall']:.4f} F1 {s['f1']:.4f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
