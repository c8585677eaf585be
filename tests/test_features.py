"""features: script-agnostic block features with document context."""

from __future__ import annotations

import numpy as np

from declutter.features import OWN_NAMES, feature_names, featurize, own_features
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
