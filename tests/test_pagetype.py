"""pagetype: page features describe what the line classifier made of a page."""

from __future__ import annotations

import numpy as np
import pytest

from declutter.document import Verdict
from declutter.dom import dom_feature_names
from declutter.labels import Label
from declutter.metadata import MARKUP_ARTICLE
from declutter.pagetype import (
    HTML_PAGE_FEATURE_NAMES,
    KIND_WINDOW,
    PAGE_FEATURE_NAMES,
    page_features,
    page_rule,
)
from declutter.segmenter import segment, split_lines

PROSE = "The council voted on Tuesday to reopen the library after two years of repairs to its roof."


def _judge(texts: list[str], kept: list[bool], probability: float = 0.9) -> tuple[list, list[Verdict]]:
    blocks = segment(split_lines("\n\n".join(texts)), False)
    assert len(blocks) == len(texts)
    verdicts = [
        Verdict(Label.BODY if k else Label.CHROME, probability if k else 1 - probability, "model")
        for k in kept
    ]
    return blocks, verdicts


def _named(row: np.ndarray, names: tuple[str, ...] = PAGE_FEATURE_NAMES) -> dict[str, float]:
    return dict(zip(names, row[0].tolist(), strict=True))


def test_an_article_is_one_long_run_of_prose() -> None:
    blocks, verdicts = _judge(
        ["Home News Sport", PROSE, PROSE, PROSE, "Share this"], [False, True, True, True, False]
    )
    row = _named(page_features(blocks, verdicts))
    assert row["longest_run_share"] == 1.0 and row["log_runs"] == pytest.approx(np.log(2))
    assert row["prose_share_of_content"] == 1.0 and row["teaser_share"] == 0.0


def test_a_listing_is_many_short_teasers_in_several_runs() -> None:
    texts, kept = [], []
    for i in range(6):
        texts += [f"Headline number {i} about the town", "Advertisement"]
        kept += [True, False]
    row = _named(page_features(*_judge(texts, kept)))
    assert row["teaser_share"] == 1.0 and row["prose_share_of_content"] == 0.0
    assert row["log_runs"] == pytest.approx(np.log1p(6)) and row["longest_run_share"] == pytest.approx(1 / 6)


def test_prices_and_dates_are_counted_over_all_blocks() -> None:
    row = _named(
        page_features(*_judge(["Wool socks $12.00", "5 March 2024", PROSE, "Linen shirt €45"], [True] * 4))
    )
    assert row["price_share"] == 0.5 and row["date_share"] == 0.25


def test_an_empty_page_has_a_row_of_finite_numbers() -> None:
    row = page_features([], [])
    assert row.shape == (1, len(PAGE_FEATURE_NAMES)) and np.isfinite(row).all()


def test_html_pages_add_the_markup_and_where_the_kept_text_sits() -> None:
    blocks, verdicts = _judge([PROSE, "Related link"], [True, False])
    dom = np.zeros((2, len(dom_feature_names())))
    dom[:, dom_feature_names().index("dom_link")] = [0.0, 1.0]
    row = page_features(blocks, verdicts, dom, MARKUP_ARTICLE)
    extra = dict(zip(HTML_PAGE_FEATURE_NAMES, row[0, len(PAGE_FEATURE_NAMES) :].tolist(), strict=True))
    assert extra == {
        "markup_article": MARKUP_ARTICLE,
        "content_in_links": 0.0,
        "content_in_headings": 0.0,
        "content_in_lists": 0.0,
    }


def test_blocks_and_verdicts_must_pair_up() -> None:
    blocks, verdicts = _judge([PROSE, PROSE], [True, True])
    with pytest.raises(ValueError, match="1 verdicts for 2 blocks"):
        page_features(blocks, verdicts[:1])


@pytest.mark.parametrize(
    ("heading", "rule"),
    [
        ("404", "error-page"),
        ("Error 404", "error-page"),
        ("404 Not Found", "error-page"),
        ("Page not found", "error-page"),
        ("Sorry, the page you were looking for could not be found.", "error-page"),
        ('Search results for "flood"', "search-results"),
        ("1,240 results for flood", "search-results"),
        ("Your search for flood returned 12 results", "search-results"),
        ("404 days at sea", None),
        ("500 jobs cut at plant", None),
        ("Page not found: the mystery of a lost manuscript", None),
        ("No results found", None),  # search widgets print it on every page
        ("Results of the election", None),
    ],
)
def test_page_kind_rules_read_a_heading(heading: str, rule: str | None) -> None:
    blocks, _ = _judge(["Site name", heading, PROSE], [False, False, True])
    assert page_rule(blocks) == rule


def test_page_kind_rules_skip_long_lines_and_the_page_bottom() -> None:
    sentence = "Page not found was all the old server said for years, the archivist told the committee."
    assert page_rule(_judge([sentence, PROSE], [True, True])[0]) is None
    far = ["Menu item"] * KIND_WINDOW + ["Page not found"]
    assert page_rule(_judge(far, [False] * len(far))[0]) is None
