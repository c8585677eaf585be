"""features: script-agnostic block features with document context."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from declutter.dom import N_LINE
from declutter.features import (
    OWN_NAMES,
    TEXT_HASH_FEATURES,
    feature_names,
    featurize,
    featurize_page,
    own_features,
    text_inputs,
    text_terms,
    text_vectorizer,
)
from declutter.segmenter import Block, segment


def _own(text: str) -> dict[str, float]:
    return dict(zip(OWN_NAMES, own_features(Block(0, 1, text), [text]), strict=True))


def test_matrix_shape_matches_the_names() -> None:
    lines = ["Home", "A paragraph of article text that ends with a full stop, as prose does.", "Share"]
    blocks = segment(lines)
    matrix = featurize(blocks, lines, np.zeros(len(blocks)))
    assert matrix.shape == (3, len(feature_names()))
    assert np.isfinite(matrix).all()


def test_prose_and_link_shapes() -> None:
    prose = _own("The minister said on Monday that the plan would be published before the summer.")
    assert prose["prose"] == 1.0 and prose["ends_sentence"] == 1.0
    nav = _own("Home")
    assert nav["prose"] == 0.0 and nav["log_words"] < prose["log_words"]
    assert _own("www.example.com/news")["url"] == 1.0
    assert _own("Published 6 Jan 2024, 04:58")["date"] == 1.0


def test_features_work_without_spaces_or_latin_script() -> None:
    chinese = _own("国家统计局今天发布数据显示，今年前三季度国内生产总值同比增长百分之五点二。")
    assert chinese["cjk_share"] > 0.8 and chinese["prose"] == 1.0
    bengali = _own("বাংলা")
    assert bengali["prose"] == 0.0


def test_section_state_marks_blocks_after_related_stories() -> None:
    lines = [
        "The minister said on Monday that the plan would be published before the summer.",
        "RELATED STORIES",
        "Another story about something else entirely, told in a full sentence here.",
    ]
    blocks = segment(lines)
    matrix = featurize(blocks, lines, np.zeros(3))
    column = feature_names().index("ctx_marker_after_prose")
    assert list(matrix[:, column]) == [0.0, 0.0, 1.0]


def test_duplicates_are_counted() -> None:
    lines = ["Same headline here", "Body text.", "Same headline here"]
    blocks = segment(lines)
    matrix = featurize(blocks, lines, np.zeros(3))
    column = feature_names().index("ctx_dup_before")
    assert list(matrix[:, column]) == [0.0, 0.0, 1.0]


TERM_TEXTS = [
    "Advertisement",
    "The Quick brown fox; the quick BROWN fox again.",
    "বাংলা ভাষায় একটি বাক্য, আর একটি।",
    "中文的句子没有空格。第二句。",
    "Straße café naïve ÉCOLE 42 x_y",
    "---",  # no word: an empty row
    "word " * 120,  # longer than TEXT_PREFIX: only the prefix is read
]


@pytest.mark.parametrize("order", [1, -1])
def test_text_terms_equal_the_vectorizer(order: int) -> None:
    """The fast term rows are the stock HashingVectorizer's, value for value."""
    blocks = [Block(i, i + 1, text) for i, text in enumerate(TERM_TEXTS[::order])]
    fast = text_terms(blocks)
    stock = csr_matrix(text_vectorizer().transform(text_inputs(blocks)))
    assert fast.shape == stock.shape
    assert np.array_equal(fast.indptr, stock.indptr)
    assert np.array_equal(fast.indices, stock.indices)
    assert np.array_equal(fast.data, stock.data)
    assert fast[TERM_TEXTS[::order].index("---")].nnz == 0


def test_text_terms_of_no_blocks() -> None:
    assert text_terms([]).shape == (0, TEXT_HASH_FEATURES)


def test_block_features_are_float32_with_or_without_dom() -> None:
    # the first stage's boosting runs its one C loop only on float32 rows (declutter.boosting)
    lines = ["Home", "", "A paragraph of an article, long enough to be prose.", "", "Share"]
    blocks = segment(lines)
    text = np.zeros(len(blocks))
    assert featurize_page(blocks, lines, text, None).dtype == np.float32
    dom = np.zeros((len(lines), N_LINE))
    assert featurize_page(blocks, lines, text, dom).dtype == np.float32
