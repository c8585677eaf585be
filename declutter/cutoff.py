"""The page's content cut-off: the model's threshold, moved where the page asks for it.

Two moves, in this order. A page without a clear article (no sure block, or most of its prose
below the threshold with the model unsure of it) falls back to keeping whatever the model ranks
as at all likely content. Otherwise, with a calibrated model, the cut-off is the one that
maximises the page's expected token precision + recall (the Article Extraction Benchmark
averages both over pages), when it beats the threshold by a margin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from declutter import pagetype

# Fallback cut-off for pages without a clear article: no block at MIN_TOP_PROBABILITY, or less
# than MIN_PROSE_KEPT of the prose (blocks of >= 10 words ending a sentence) kept. Swept on the
# page probabilities of dev and aux (top 0.8/0.9/0.95, share 0.4-0.7, fallback 0.02-0.1): this
# choice costs dev about 0.003 token F1 and adds aux (CleanEval, which keeps all non-boilerplate
# text) about 0.06; without it aux stays below the keep-everything baseline.
MIN_TOP_PROBABILITY = pagetype.SURE_PROBABILITY
MIN_PROSE_KEPT = 0.5
FALLBACK_CUTOFF = 0.02
# ... and only when the model is unsure of the prose it would drop: at least MIN_UNSURE_PROSE of
# the page's prose lies between UNSURE_PROBABILITY and the threshold (between FALLBACK_CUTOFF and
# the threshold when the threshold is UNSURE_PROBABILITY or lower). Where the dropped prose all
# scores below UNSURE_PROBABILITY (comments, teaser lists), the model is trusted. Swept 0.1-0.4 x
# 0.05-0.2 on cached runs (each page run at every cut-off) of the dev, aux and sanity dumps and
# the dev and sanity HTML, and chosen on dev and aux: the pairs dev likes best (0.2-0.4 x
# 0.05-0.1) cost aux up to 0.008, below keep-everything; this is dev's best that kept aux
# (cached: dev 0.9392 -> 0.9429, aux 0.8952 -> 0.8958). The pipeline, measured after: text dev
# 0.9396 -> 0.9439, aux 0.896 -> 0.8961, sanity 0.9076 -> 0.9117, weak 0.7603 -> 0.7581; HTML dev
# 0.9743 -> 0.9748, sanity 0.9346 -> 0.9362, weak 0.7806 -> 0.7799.
UNSURE_PROBABILITY = 0.1
MIN_UNSURE_PROSE = 0.05
# The cut-offs the expected score chooses among (from UNSURE_PROBABILITY up: below it the model
# is sure a block is chrome, and the fallback above covers the pages that need it).
CANDIDATE_CUTOFFS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


@dataclass(frozen=True)
class Calibration:
    """How a model's probabilities become the chance a block is content, ``p ** exponent``
    (fitted on dev by weighted log-loss), and by how much a page's expected precision + recall
    must beat the threshold's for its cut-off to move (chosen on dev)."""

    exponent: float
    margin: float

    @staticmethod
    def from_manifest(entry: Any) -> Calibration | None:
        """The calibration a manifest records (None: the model has none; ValueError: malformed)."""
        if entry is None:
            return None
        if not isinstance(entry, dict):
            raise ValueError(f"calibration {entry!r} is not an object")
        exponent, margin = (_number(entry, name) for name in ("exponent", "margin"))
        if not exponent:
            raise ValueError("calibration exponent 0 would call every block content")
        return Calibration(exponent, margin)

    def as_manifest(self) -> dict[str, float]:
        """The manifest's entry for this calibration."""
        return {"exponent": self.exponent, "margin": self.margin}


def _number(entry: dict[str, Any], name: str) -> float:
    value = entry.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 100:
        raise ValueError(f"calibration {name} {value!r} is not a number in [0, 100)")
    return float(value)


def fallback(probabilities: np.ndarray, prose_chars: np.ndarray, threshold: float) -> float:
    """``threshold``, or ``FALLBACK_CUTOFF`` where the model found no clear article.

    That is, no block reaches ``MIN_TOP_PROBABILITY``; or the threshold would drop most of the
    page's prose, and the model is unsure of a part of what it drops. Such a page is unlike the
    articles the model mostly learnt from (a forum thread, a glossary, several stories on one
    page): keep whatever the model ranks as at all likely content.
    """
    if not len(probabilities) or threshold <= FALLBACK_CUTOFF:
        return threshold
    if float(probabilities.max()) < MIN_TOP_PROBABILITY:
        return FALLBACK_CUTOFF
    total = float(prose_chars.sum())
    if not total:
        return threshold
    kept = float(prose_chars[probabilities >= threshold].sum()) / total
    if kept >= MIN_PROSE_KEPT:
        return threshold
    floor = UNSURE_PROBABILITY if threshold > UNSURE_PROBABILITY else FALLBACK_CUTOFF  # a low threshold
    unsure = float(prose_chars[probabilities >= floor].sum()) / total
    return FALLBACK_CUTOFF if unsure - kept >= MIN_UNSURE_PROSE else threshold


def expected_scores(
    probabilities: np.ndarray, chances: np.ndarray, words: np.ndarray, cutoffs: np.ndarray
) -> np.ndarray:
    """Expected token precision + recall of keeping the blocks at or above each cut-off, each
    block content with its chance: the kept words' expected content share, plus their share of
    the expected content (0 where nothing is kept or nothing is expected)."""
    order = np.argsort(probabilities, kind="stable")
    start = np.searchsorted(probabilities[order], cutoffs, side="left")  # first block kept
    content = (chances * words)[order]
    kept = np.append(np.cumsum(words[order][::-1])[::-1], 0.0)[start]  # words from there on
    hits = np.append(np.cumsum(content[::-1])[::-1], 0.0)[start]
    expected = float(content.sum())
    if not expected:
        return np.zeros(len(cutoffs))
    return np.where(kept > 0, hits / np.maximum(kept, 1e-300) + hits / expected, 0.0)


# The candidates, highest first (of equal scores, the highest cut-off is taken).
_DESCENDING = np.array(sorted(CANDIDATE_CUTOFFS, reverse=True))


def best_cutoff(
    probabilities: np.ndarray, words: np.ndarray, threshold: float, calibration: Calibration
) -> float:
    """The candidate cut-off whose expected precision + recall beats the threshold's by more
    than the calibration's margin, and most (the highest of equals); else ``threshold``."""
    chances = probabilities.astype(np.float64) ** calibration.exponent
    cutoffs = np.append(_DESCENDING, threshold)
    scores = expected_scores(probabilities, chances, words.astype(np.float64), cutoffs)
    best = int(np.argmax(scores[:-1]))
    return float(_DESCENDING[best]) if scores[best] > scores[-1] + calibration.margin else threshold


def page_cutoff(
    probabilities: np.ndarray,
    prose_chars: np.ndarray,
    words: np.ndarray,
    threshold: float,
    calibration: Calibration | None,
) -> float:
    """The page's content cut-off: the fallback's, else (with a calibration) the best expected
    one, else ``threshold``."""
    cutoff = fallback(probabilities, prose_chars, threshold)
    if cutoff != threshold or calibration is None or not len(probabilities):
        return cutoff
    return best_cutoff(probabilities, words, threshold, calibration)
