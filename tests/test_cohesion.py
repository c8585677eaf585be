"""cohesion: similarity of each block to the likely article, the page and its neighbours."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from declutter.cohesion import N_COHESION, cohesion_context, page_terms
from declutter.features import text_terms
from declutter.segmenter import Block

ARTICLE = [
    "Rangers saw the Tasmanian tiger near Cape York last month.",
    "The tiger, a thylacine, was thought extinct since 1936.",
    "Scientists will set camera traps for the tiger near Cape York.",
]
TEASER = "Hamilton takes pole at the Australian Grand Prix in Melbourne."


def _context(texts: list[str], p: list[float]) -> np.ndarray:
    blocks = [Block(i, i + 1, text) for i, text in enumerate(texts)]
    words = np.array([len(t.split()) for t in texts], dtype=float)
    return cohesion_context(page_terms(text_terms(blocks), words), np.array(p))


def test_a_teaser_shares_less_with_the_article_than_its_paragraphs() -> None:
    context = _context([ARTICLE[0], TEASER, ARTICLE[1], ARTICLE[2]], [0.9, 0.6, 0.9, 0.9])
    assert context.shape == (4, N_COHESION)
    to_content = context[:, 0]
    assert to_content[1] < min(to_content[0], to_content[2], to_content[3])
    # the teaser is nobody's best neighbour; the last paragraph's best one before it is the first
    assert context[1, 2] < context[3, 2] and context[1, 3] < context[0, 3]


def test_a_block_alone_or_without_words_scores_zero() -> None:
    assert _context([ARTICLE[0]], [0.9]).tolist() == [[0.0] * N_COHESION]
    assert _context(["—", "·"], [0.5, 0.5]).tolist() == [[0.0] * N_COHESION] * 2
    assert _context([], []).shape == (0, N_COHESION)


def test_probabilities_decide_what_counts_as_the_article() -> None:
    texts = [ARTICLE[0], TEASER, "Hamilton beat Vettel to pole in Melbourne.", ARTICLE[2]]
    trusted_article = _context(texts, [0.9, 0.1, 0.1, 0.9])[:, 0]
    trusted_teasers = _context(texts, [0.1, 0.9, 0.9, 0.1])[:, 0]
    assert trusted_article[3] > trusted_article[2]
    assert trusted_teasers[2] > trusted_teasers[3]


def test_term_rows_must_match_the_blocks() -> None:
    with pytest.raises(ValueError, match="2 term rows for 3 blocks"):
        page_terms(csr_matrix((2, 8)), np.zeros(3))
