"""Lexical cohesion: how much of its vocabulary a block shares with the likely article around it.

An article's paragraphs keep returning to the same names and terms; the teasers of a "related
stories" list, a sports ticker or a list of other firms' articles each speak of something else. A
text model's smoother reads, for every block, its similarity to the page's likely content (the
blocks weighted by their first-stage probability), to the page as a whole, and to its nearest
neighbours (an HTML model's smoother reads the markup's groups instead). Terms are the text
model's hashed word 1-2-grams (no stopword list: any script), weighted by their rarity on the page
itself, so words every block shares count for little.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.sparse import csr_matrix, diags

# Blocks on each side compared with a block (the best of them counts).
NEIGHBOURS = 3
# A block's weight in a centroid grows with its length up to this many words (a long paragraph
# says more of the page's topic than a short line, but one essay should not drown the rest).
# Chosen by hand, not swept.
MAX_WEIGHT_WORDS = 50.0
N_COHESION = 4


def _used_columns(terms: csr_matrix) -> csr_matrix:
    """The same rows over only the columns some row uses, in their order (a page uses a few
    thousand of the hashing space's 2**18: every later step is then sized by the page)."""
    used, column = np.unique(terms.indices, return_inverse=True)
    return csr_matrix((terms.data, column.ravel(), terms.indptr), shape=(terms.shape[0], len(used)))


def _rarity_weighted(terms: csr_matrix) -> csr_matrix:
    """Rows reweighted by in-page inverse document frequency, then L2-normalised."""
    n = terms.shape[0]
    df = np.bincount(terms.indices, minlength=terms.shape[1])
    idf = np.log((n + 1.0) / (df + 0.5))
    weighted = csr_matrix(terms @ diags(idf))
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    return csr_matrix(diags(1.0 / np.maximum(norms, 1e-12)) @ weighted)


def _centroid_similarity(vectors: csr_matrix, weights: np.ndarray, self_sim: np.ndarray) -> np.ndarray:
    """Each row's similarity to the weighted mean of the other rows."""
    centroid = vectors.T @ weights
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


class PageTerms(NamedTuple):
    """A page's block vectors and the cohesion columns that do not depend on probabilities
    (made once a page: the smoother and the refiner read the same)."""

    vectors: csr_matrix
    length: np.ndarray  # each block's centroid weight before its probability
    self_sim: np.ndarray
    to_page: np.ndarray
    before: np.ndarray
    after: np.ndarray


def page_terms(terms: csr_matrix, words: np.ndarray) -> PageTerms:
    """Prepare a page's cohesion (``terms``: the blocks' term rows; ``words``: their word counts)."""
    n = len(words)
    if terms.shape[0] != n:
        raise ValueError(f"{terms.shape[0]} term rows for {n} blocks")
    if not n:
        empty = np.zeros(0)
        return PageTerms(csr_matrix((0, 0)), empty, empty, empty, empty, empty)
    vectors = _rarity_weighted(_used_columns(csr_matrix(terms, dtype=np.float64)))
    length = np.minimum(np.asarray(words, dtype=np.float64), MAX_WEIGHT_WORDS) + 1.0
    self_sim = np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel()
    before, after = _neighbour_similarity(vectors)
    to_page = _centroid_similarity(vectors, length, self_sim)
    return PageTerms(vectors, length, self_sim, to_page, before, after)


def cohesion_context(page: PageTerms, p: np.ndarray) -> np.ndarray:
    """Per block: similarity to the likely content (``p``: first-stage probabilities), to the
    whole page, to the best neighbour before and after."""
    n = len(p)
    if n != len(page.length):
        raise ValueError(f"{n} probabilities for {len(page.length)} blocks")
    if not n:
        return np.zeros((0, N_COHESION))
    weights = page.length * np.asarray(p, dtype=np.float64)
    to_content = _centroid_similarity(page.vectors, weights, page.self_sim)
    return np.column_stack([to_content, page.to_page, page.before, page.after])
