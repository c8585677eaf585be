"""Sequence smoothing: context revises each block's probability from its neighbours' probabilities.

Like jusText's revision of short blocks, but learned: a second classifier sees the first stage's
features plus the first-stage probabilities around each block, so an uncertain line takes the
verdict its surroundings support.
"""

from __future__ import annotations

import numpy as np

from declutter.document import REASON_SMOOTHED, RULE_PREFIX, Verdict
from declutter.features import distances, feature_names, shift, window_mean
from declutter.labels import Label
from declutter.segmenter import Block

# Offsets of neighbour probabilities fed to the smoother, and window half-widths for local means.
PROBABILITY_OFFSETS = (-5, -4, -3, -2, -1, 1, 2, 3, 4, 5)
WINDOWS = (1, 3, 7, 15)
# First-stage probability above which a block counts as confidently content (for distances/counts).
CONFIDENT = 0.8
PROSE_COLUMN = feature_names().index("own_prose")
N_CONTEXT = 1 + len(PROBABILITY_OFFSETS) + len(WINDOWS) + 2 + 8


def _running_max(values: np.ndarray, reverse: bool) -> np.ndarray:
    ordered = values[::-1] if reverse else values
    result = np.maximum.accumulate(np.concatenate([[0.0], ordered[:-1]])) if len(values) else ordered
    return result[::-1] if reverse else result


def probability_context(p: np.ndarray, prose: np.ndarray) -> np.ndarray:
    """Features of the first-stage probabilities around each block, and across the document."""
    n = len(p)
    if not n:
        return np.zeros((0, N_CONTEXT))
    columns = [p]
    columns += [shift(p, o, -1.0) for o in PROBABILITY_OFFSETS]
    columns += [window_mean(p, h) for h in WINDOWS]
    columns += [_running_max(p, reverse=False), _running_max(p, reverse=True)]
    confident = (p >= CONFIDENT).astype(float)
    prose_p = p[prose > 0]
    columns += [
        np.full(n, float(p.mean())),
        np.full(n, float(prose_p.mean()) if len(prose_p) else 0.0),
        np.full(n, float(confident.sum())),
        np.cumsum(confident) - confident,
        confident[::-1].cumsum()[::-1] - confident,
        *distances(p >= CONFIDENT),
        window_mean(np.where(prose > 0, p, 0.0), WINDOWS[-1]),
    ]
    return np.column_stack(columns)


def smoothing_features(features: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The smoother's input: the block features plus the probability context."""
    prose = features[:, PROSE_COLUMN]
    return np.hstack([features, probability_context(p, prose)]).astype(np.float32)


# A short block (a subheading) the model is unsure of, between two kept blocks, is kept with them,
# as jusText revises short blocks from their neighbours. At least this probability, at most this
# many words. Chosen by hand, not swept (on dev the revision costs about 0.001 token F1; it keeps
# in-article subheadings, which ANNOTATION.md counts as body).
REVISE_MIN_PROBABILITY = 0.2
REVISE_MAX_WORDS = 12


def revise_short_blocks(blocks: list[Block], verdicts: list[Verdict]) -> list[Verdict]:
    """Keep an unsure short block between two kept blocks (an in-article subheading); blocks that
    a rule decided are neither revised nor counted as neighbours."""
    out = list(verdicts)
    free = [i for i, v in enumerate(out) if not v.reason.startswith(RULE_PREFIX)]
    for before, i, after in zip(free, free[1:], free[2:], strict=False):
        verdict = out[i]
        if verdict.label.is_content or verdict.probability < REVISE_MIN_PROBABILITY:
            continue
        if len(blocks[i].text.split()) > REVISE_MAX_WORDS:
            continue
        if out[before].label.is_content and out[after].label.is_content:
            out[i] = Verdict(Label.BODY, verdict.probability, REASON_SMOOTHED)
    return out
