"""page_training: which corpus pages the page model learns from, and how it is scored."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from declutter.corpus import Record
from declutter.page_training import (
    labelled_pages,
    new_page_model,
    non_article_scores,
    page_label,
)


def _record(split: str, page_type: str | None = None) -> Record:
    extra = {"page_type": page_type} if page_type else {}
    return Record("1", "d", split, "", "", "", "", "", "", "", "", "", extra)


@pytest.mark.parametrize(
    ("split", "page_type", "label"),
    [
        ("weak", "article", 1),
        ("weak", "blog", 1),
        ("weak", "listing", 0),
        ("weak", "collection", 0),
        ("weak", "product", None),
        ("weak", "forum", None),
        ("weak", None, None),
        ("dev", None, 1),
    ],
)
def test_page_labels(split: str, page_type: str | None, label: int | None) -> None:
    assert page_label(_record(split, page_type)) == label


def test_non_article_scores_count_flagged_pages() -> None:
    probabilities = np.array([0.1, 0.2, 0.9, 0.4, 0.8])
    labels = np.array([0, 0, 0, 1, 1])
    scores = non_article_scores(probabilities, labels, 0.5)
    # flagged: 0.1, 0.2 (non-articles) and 0.4 (an article); one non-article missed
    assert scores == pytest.approx({"precision": 2 / 3, "recall": 2 / 3, "f1": 2 / 3, "article_recall": 0.5})


def test_the_page_model_is_stock_sklearn_and_learns_a_separable_set() -> None:
    rows = np.array([[0.0, 1.0], [0.1, 0.9], [1.0, 0.0], [0.9, 0.1]] * 5)
    labels = np.array([1, 1, 0, 0] * 5)
    model = new_page_model().fit(rows, labels)
    assert type(model).__module__.startswith("sklearn.")
    assert (model.predict(rows) == labels).all()


def test_labelled_pages_limit_takes_that_many_of_each_label(corpus_dir: Path) -> None:
    pages = list(labelled_pages(corpus_dir, limit=3))
    labels = [page_label(p) for p in pages]
    assert labels.count(0) == 3 and labels.count(1) == 3


def test_weak_split_has_at_least_fifty_labelled_non_articles(corpus_dir: Path) -> None:
    assert sum(1 for p in labelled_pages(corpus_dir) if page_label(p) == 0) >= 50
