"""scoring: the Article Extraction Benchmark's token F1, and line-level F1."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from declutter.scoring import line_score, page_counts, shingles, token_score


def test_shingles_are_4_grams_of_word_tokens() -> None:
    assert shingles("a b, c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert shingles("two words") == {("two", "words"): 1}


def _reference_counts(gold: str, predicted: str) -> tuple[float, float, float]:
    """page_counts as first written: every shingle of either side, one by one."""

    def grams(text: str) -> Counter[tuple[str, ...]]:
        tokens = text.split()
        return Counter(tuple(tokens[i : i + 4]) for i in range(max(1, len(tokens) - 3)))

    true, pred = grams(gold), grams(predicted)
    tp = sum(min(true[k], pred[k]) for k in true.keys() | pred.keys())
    fp = sum(max(0, pred[k] - true[k]) for k in true.keys() | pred.keys())
    fn = sum(max(0, true[k] - pred[k]) for k in true.keys() | pred.keys())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def test_page_counts_agree_with_the_definition() -> None:
    rng = random.Random(7)
    for _ in range(500):
        gold = " ".join(rng.choice("abc") for _ in range(rng.randrange(0, 12)))
        predicted = " ".join(rng.choice("abcd") for _ in range(rng.randrange(0, 12)))
        assert page_counts(gold, predicted) == pytest.approx(_reference_counts(gold, predicted))


def test_perfect_and_empty_extractions() -> None:
    gold = "one two three four five six"
    assert token_score([(gold, gold)]).f1 == 1.0
    empty = token_score([(gold, "")])
    assert empty.precision == 0.0 and empty.recall == 0.0


def test_counts_are_normalised_per_page() -> None:
    tp, fp, fn = page_counts("a b c d e f", "a b c d e f g h")
    assert tp + fp + fn == pytest.approx(1.0)
    assert fp > 0 and fn == 0


def test_precision_and_recall_are_averaged_over_pages() -> None:
    score = token_score([("a b c d e", "a b c d e"), ("f g h i j", "x y z w v")])
    assert score.precision == pytest.approx(0.5) and score.recall == pytest.approx(0.5)


def test_line_score() -> None:
    score = line_score([(True, True), (True, False), (False, True), (False, False)])
    assert score.precision == 0.5 and score.recall == 0.5 and score.n == 4
