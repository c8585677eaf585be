"""cutoff: the page fallback, the expected-score cut-off and the calibration a manifest records."""

from __future__ import annotations

import numpy as np
import pytest

from declutter.cutoff import (
    FALLBACK_CUTOFF,
    Calibration,
    best_cutoff,
    expected_scores,
    fallback,
    page_cutoff,
)

THRESHOLD = 0.7
PLAIN = Calibration(exponent=1.0, margin=0.0)


def _array(*values: float) -> np.ndarray:
    return np.array(values, dtype=np.float64)


def test_a_page_with_no_sure_block_falls_back() -> None:
    assert fallback(_array(0.8, 0.3, 0.1), _array(100, 100, 0), THRESHOLD) == FALLBACK_CUTOFF


def test_a_page_that_keeps_most_of_its_prose_keeps_the_threshold() -> None:
    assert fallback(_array(0.99, 0.95, 0.3), _array(100, 100, 100), THRESHOLD) == THRESHOLD


def test_dropping_most_prose_the_model_is_unsure_of_falls_back() -> None:
    # a third of the prose kept, a third at 0.3: the model is unsure of what it would drop
    assert fallback(_array(0.99, 0.3, 0.01), _array(100, 100, 100), THRESHOLD) == FALLBACK_CUTOFF


def test_dropping_prose_the_model_is_sure_is_chrome_keeps_the_threshold() -> None:
    # the same shares, but what is dropped scores below UNSURE_PROBABILITY: comments, teasers
    assert fallback(_array(0.99, 0.05, 0.01), _array(100, 100, 100), THRESHOLD) == THRESHOLD


@pytest.mark.parametrize(
    ("probabilities", "prose", "threshold"),
    [
        (_array(), _array(), THRESHOLD),  # an empty page
        (_array(0.99, 0.3), _array(0, 0), THRESHOLD),  # no prose at all
        (_array(0.5, 0.3), _array(10, 10), 0.01),  # a threshold below the fallback's
    ],
    ids=["empty", "no prose", "low threshold"],
)
def test_pages_the_fallback_cannot_judge_keep_the_threshold(
    probabilities: np.ndarray, prose: np.ndarray, threshold: float
) -> None:
    assert fallback(probabilities, prose, threshold) == threshold


def test_expected_scores_are_expected_precision_plus_recall() -> None:
    probabilities, words = _array(0.9, 0.5, 0.1), _array(10, 20, 30)
    chances = _array(1.0, 0.5, 0.0)
    # at 0.5 the first two are kept: expected content 10 + 10 of 30 words kept, of 20 expected
    scores = expected_scores(probabilities, chances, words, _array(0.5, 0.9, 0.95, 0.0))
    assert scores.tolist() == pytest.approx([20 / 30 + 1.0, 1.0 + 0.5, 0.0, 20 / 60 + 1.0])


def test_expected_scores_agree_with_masked_sums() -> None:
    rng = np.random.default_rng(3)
    probabilities = rng.uniform(size=300) ** 2
    probabilities[:40] = 0.5  # ties at a candidate cut-off
    chances, words = probabilities**1.5, rng.integers(0, 60, size=300).astype(np.float64)
    cutoffs = _array(0.1, 0.3, 0.5, 0.7, 0.95, 1.0)
    content = chances * words
    for cutoff, score in zip(cutoffs, expected_scores(probabilities, chances, words, cutoffs), strict=True):
        kept = probabilities >= cutoff
        want = (
            content[kept].sum() / words[kept].sum() + content[kept].sum() / content.sum()
            if kept.any()
            else 0.0
        )
        assert score == pytest.approx(want, rel=1e-12)


def test_an_unsure_half_of_the_article_lowers_the_cut_off() -> None:
    # sure headline and paragraph, then long paragraphs at 0.6: below the threshold, but more
    # likely content than not, and most of the page's words
    probabilities, words = _array(0.99, 0.98, 0.6, 0.6, 0.01), _array(8, 60, 80, 80, 5)
    assert best_cutoff(probabilities, words, THRESHOLD, PLAIN) == pytest.approx(0.6)


def test_the_margin_holds_the_threshold() -> None:
    probabilities, words = _array(0.99, 0.98, 0.6, 0.6, 0.01), _array(8, 60, 80, 80, 5)
    assert best_cutoff(probabilities, words, THRESHOLD, Calibration(1.0, 10.0)) == THRESHOLD


def test_a_high_exponent_trusts_only_sure_blocks() -> None:
    # 0.6 ** 4 = 0.13: after calibration those paragraphs are more likely chrome than content
    probabilities, words = _array(0.99, 0.98, 0.6, 0.6, 0.01), _array(8, 60, 80, 80, 5)
    assert best_cutoff(probabilities, words, THRESHOLD, Calibration(4.0, 0.0)) >= THRESHOLD


def test_a_clear_page_keeps_the_threshold() -> None:
    probabilities, words = _array(0.01, 0.99, 0.99, 0.02, 0.01), _array(5, 80, 80, 30, 10)
    assert best_cutoff(probabilities, words, THRESHOLD, PLAIN) == THRESHOLD


def test_page_cutoff_without_a_calibration_is_the_fallback_alone() -> None:
    probabilities, prose = _array(0.99, 0.98, 0.6, 0.6, 0.01), _array(0, 900, 400, 400, 0)
    words = _array(8, 60, 80, 80, 5)
    assert page_cutoff(probabilities, prose, words, THRESHOLD, None) == THRESHOLD
    assert page_cutoff(probabilities, prose, words, THRESHOLD, PLAIN) == pytest.approx(0.6)


def test_a_fallen_back_page_is_not_moved_again() -> None:
    probabilities, prose, words = _array(0.8, 0.5), _array(100, 100), _array(20, 20)
    assert page_cutoff(probabilities, prose, words, THRESHOLD, PLAIN) == FALLBACK_CUTOFF


def test_calibration_round_trips_through_the_manifest() -> None:
    calibration = Calibration(1.25, 0.05)
    assert Calibration.from_manifest(calibration.as_manifest()) == calibration
    assert Calibration.from_manifest(None) is None


@pytest.mark.parametrize(
    "entry",
    [
        "1.25",
        {"exponent": 1.25},
        {"exponent": "1.25", "margin": 0.05},
        {"exponent": True, "margin": 0.05},
        {"exponent": -1.0, "margin": 0.05},
        {"exponent": 0, "margin": 0.05},
        {"exponent": 1.25, "margin": float("nan")},
    ],
)
def test_a_malformed_calibration_is_refused(entry: object) -> None:
    with pytest.raises(ValueError, match="calibration"):
        Calibration.from_manifest(entry)


def test_under_a_low_threshold_the_unsure_band_starts_at_the_fallback_cut_off() -> None:
    # threshold 0.08: the prose it drops scores 0.05, above FALLBACK_CUTOFF: unsure, so fall back
    assert fallback(_array(0.99, 0.05, 0.05), _array(100, 100, 100), 0.08) == FALLBACK_CUTOFF
    assert fallback(_array(0.99, 0.01, 0.01), _array(100, 100, 100), 0.08) == 0.08
