"""Lexical cohesion: how much of its vocabulary a block shares with the likely article around it.

An article's paragraphs keep returning to the same names and terms; the teasers of a "related
stories" list, a sports ticker or a list of other firms' articles each speak of something else. The
smoother reads, for every block, its similarity to the page's likely content (the blocks weighted by
their first-stage probability), to the page as a whole, and to its nearest neighbours. Terms are the
text model's hashed word 1-2-grams (no stopword list: any script), weighted by their rarity on the
page itself, so words every block shares count for little.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix, diags

# Blocks on each side compared with a block (the best of them counts).
NEIGHBOURS = 3
# A block's weight in a centroid grows with its length up to this many words (a long paragraph
# says more of the page's topic than a short line, but one essay should not drown the rest).
# Chosen by hand, not swept.
MAX_WEIGHT_WORDS = 50.0
N_COHESION = 4


def _rarity_weighted(terms: csr_matrix) -> csr_matrix:
    """Rows reweighted by in-page inverse document frequency, then L2-normalised."""
    n = terms.shape[0]
    df = np.bincount(terms.indices, minlength=terms.shape[1]) if terms.nnz else np.zeros(terms.shape[1])
    idf = np.log((n + 1.0) / (df + 0.5))
    weighted = csr_matrix(terms @ diags(idf))
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    return csr_matrix(diags(1.0 / np.maximum(norms, 1e-12)) @ weighted)


def _centroid_similarity(vectors: csr_matrix, weights: np.ndarray) -> np.ndarray:
    """Each row's similarity to the weighted mean of the other rows."""
    centroid = vectors.T @ weights
    self_sim = np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel()
    others = weights.sum() - weights
    similarity: np.ndarray = (vectors @ centroid - weights * self_sim) / np.maximum(others, 1e-9)
    return np.where(others > 0, similarity, 0.0)


def _neighbour_similarity(vectors: csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Each row's best similarity to the ``NEIGHBOURS`` rows before it, and to those after it."""
    n = vectors.shape[0]
    before, after = np.zeros(n), np.zeros(n)
    for k in range(1, min(NEIGHBOURS, n - 1) + 1):
        pair = np.asarray(vectors[:-k].multiply(vectors[k:]).sum(axis=1)).ravel()
        after[:-k] = np.maximum(after[:-k], pair)
        before[k:] = np.maximum(before[k:], pair)
    return before, after


def cohesion_context(terms: csr_matrix, p: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Per block: similarity to the likely content, to the whole page, to the best neighbour before
    and after (``terms``: the blocks' term rows; ``p``: first-stage probabilities)."""
    n = len(p)
    if not n:
        return np.zeros((0, N_COHESION))
    if terms.shape[0] != n:
        raise ValueError(f"{terms.shape[0]} term rows for {n} blocks")
    vectors = _rarity_weighted(csr_matrix(terms, dtype=np.float64))
    length = np.minimum(np.asarray(words, dtype=np.float64), MAX_WEIGHT_WORDS) + 1.0
    before, after = _neighbour_similarity(vectors)
    columns = [
        _centroid_similarity(vectors, length * np.asarray(p, dtype=np.float64)),
        _centroid_similarity(vectors, length),
        before,
        after,
    ]
    return np.column_stack(columns)
