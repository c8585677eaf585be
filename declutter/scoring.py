"""Scores: token F1 as the Article Extraction Benchmark computes it, and line-level F1."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

TOKEN_RE = re.compile(r"\w+")
SHINGLE_SIZE = 4  # the Article Extraction Benchmark's n-gram size


def tokenize(text: str) -> list[str]:
    """The benchmark's tokens: runs of word characters."""
    return TOKEN_RE.findall(text)


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Multiset of token n-grams; a text shorter than ``size`` is one (short) shingle."""
    tokens = tokenize(text)
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    # each run of ``size`` tokens: the i-th tail starts i tokens later, zip stops at the shortest
    return Counter(zip(*(tokens[i:] for i in range(size)), strict=False))


def page_counts(gold: str, predicted: str) -> tuple[float, float, float]:
    """TP, FP, FN of one page's shingles, normalised to sum to 1 (pages weigh the same)."""
    true, pred = shingles(gold), shingles(predicted)
    small, large = (true, pred) if len(true) <= len(pred) else (pred, true)
    tp = sum(min(count, large[key]) for key, count in small.items() if key in large)
    fp, fn = pred.total() - tp, true.total() - tp  # the shingles of each side that the other lacks
    total = tp + fp + fn
    if total == 0:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def page_precision_recall(gold: str, predicted: str) -> tuple[float, float]:
    """One page's benchmark token precision and recall."""
    counts = page_counts(gold, predicted)
    return _precision(*counts), _recall(*counts)


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1 over a set of pages (or lines)."""

    precision: float
    recall: float
    f1: float
    n: int

    @staticmethod
    def of(precision: float, recall: float, n: int) -> Score:
        """The score with F1 computed from precision and recall."""
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return Score(precision, recall, f1, n)


def token_score(pairs: Iterable[tuple[str, str]]) -> Score:
    """Benchmark token score of (gold, predicted) pages: P and R averaged over pages, F1 of the means."""
    precisions: list[float] = []
    recalls: list[float] = []
    for gold, predicted in pairs:
        precision, recall = page_precision_recall(gold, predicted)
        precisions.append(precision)
        recalls.append(recall)
    n = len(precisions)
    if not n:
        return Score(0.0, 0.0, 0.0, 0)
    return Score.of(sum(precisions) / n, sum(recalls) / n, n)


def line_score(pairs: Iterable[tuple[bool, bool]]) -> Score:
    """Micro-averaged content precision/recall/F1 of (gold is content, predicted is content) lines."""
    tp = fp = fn = n = 0
    for gold, predicted in pairs:
        n += 1
        tp += gold and predicted
        fp += predicted and not gold
        fn += gold and not predicted
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return Score.of(precision, recall, n)
