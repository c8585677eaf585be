"""Sequence smoothing: context revises each block's probability from its neighbours' probabilities.

Like jusText's revision of short blocks, but learned: a second classifier sees the first stage's
features plus the first-stage probabilities around each block, so an uncertain line takes the
verdict its surroundings support.
"""

from __future__ import annotations

import numpy as np

from declutter.features import window_mean

# Offsets of neighbour probabilities fed to the smoother, and window half-widths for local means.
PROBABILITY_OFFSETS = (-5, -4, -3, -2, -1, 1, 2, 3, 4, 5)
WINDOWS = (1, 3, 7, 15)


def _shift(values: np.ndarray, offset: int, fill: float) -> np.ndarray:
    out = np.full_like(values, fill)
    n = len(values)
    if offset < 0 and n > -offset:
        out[-offset:] = values[: n + offset]
    elif offset > 0 and n > offset:
        out[: n - offset] = values[offset:]
    return out


def _running_max(values: np.ndarray, reverse: bool) -> np.ndarray:
    ordered = values[::-1] if reverse else values
    result = np.maximum.accumulate(np.concatenate([[0.0], ordered[:-1]])) if len(values) else ordered
    return result[::-1] if reverse else result


def probability_context(p: np.ndarray) -> np.ndarray:
    """Features of the first-stage probabilities around each block."""
    if not len(p):
        return np.zeros((0, len(PROBABILITY_OFFSETS) + len(WINDOWS) + 4))
    columns = [p]
    columns += [_shift(p, o, -1.0) for o in PROBABILITY_OFFSETS]
    columns += [window_mean(p, h) for h in WINDOWS]
    columns += [_running_max(p, reverse=False), _running_max(p, reverse=True)]
    columns += [np.full(len(p), float(p.mean()))]
    return np.column_stack(columns)


def smoothing_features(features: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The smoother's input: the block features plus the probability context."""
    return np.hstack([features, probability_context(p)]).astype(np.float32)
