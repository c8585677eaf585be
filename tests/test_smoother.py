"""smoother: neighbour-probability features and the revision of short blocks."""

from __future__ import annotations

import numpy as np

from declutter.document import Verdict
from declutter.labels import Label
from declutter.segmenter import segment
from declutter.smoother import N_CONTEXT, probability_context, revise_short_blocks


def test_probability_context_shape_and_neighbours() -> None:
    p = np.array([0.1, 0.9, 0.8, 0.2])
    context = probability_context(p, np.array([0.0, 1.0, 1.0, 0.0]))
    assert context.shape == (4, N_CONTEXT)
    assert context[1, 0] == 0.9
    assert context[0, 1:6].tolist() == [-1.0] * 5  # nothing before the first block


def test_unsure_subheading_between_kept_paragraphs_is_kept() -> None:
    blocks = segment(["Paragraph one of the story.", "Olive branch", "Paragraph two of the story."])
    verdicts = [
        Verdict(Label.BODY, 0.9, "model"),
        Verdict(Label.CHROME, 0.4, "model"),
        Verdict(Label.BODY, 0.9, "model"),
    ]
    out = revise_short_blocks(blocks, verdicts)
    assert out[1].label is Label.BODY and out[1].reason == "smoothed"


def test_rule_decisions_are_not_revised_nor_used_as_neighbours() -> None:
    blocks = segment(["Paragraph one of the story.", "Advertisement", "Subhead", "Paragraph two."])
    verdicts = [
        Verdict(Label.BODY, 0.9, "model"),
        Verdict(Label.CHROME, 0.5, "rule:advertisement"),
        Verdict(Label.CHROME, 0.4, "model"),
        Verdict(Label.BODY, 0.9, "model"),
    ]
    out = revise_short_blocks(blocks, verdicts)
    assert out[1].reason == "rule:advertisement" and out[2].label is Label.BODY


def test_confident_chrome_is_not_revised() -> None:
    blocks = segment(["Paragraph one of the story.", "Share", "Paragraph two."])
    verdicts = [
        Verdict(Label.BODY, 0.9, "model"),
        Verdict(Label.CHROME, 0.05, "model"),
        Verdict(Label.BODY, 0.9, "model"),
    ]
    assert revise_short_blocks(blocks, verdicts)[1].label is Label.CHROME
