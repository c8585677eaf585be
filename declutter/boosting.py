"""Per-page prediction with a fitted HistGradientBoostingClassifier, without its per-call overhead.

``predict_proba`` validates its input, looks up the OpenMP thread count and wraps each of the
model's trees in a Python call that allocates a fresh array; on a page of a few hundred blocks
that costs about as much as walking the trees. ``Booster`` reads the same fitted trees and sums
their leaf values in the same order, on one thread: float32 rows (every stage's features are
float32) by GradientBoostingClassifier's loop over all trees in C, other rows by the histogram
trees' own walker, one call per tree. The probabilities are bit-identical to ``predict_proba``'s
(tests/test_boosting.py). Where that walker
cannot be used (a future scikit-learn moving it, categorical features, several classes), it
falls back to ``predict_proba`` itself. Nothing here is persisted: it is built from the stock
estimator in the model file, at load time (the one-loop trees at their first use).
"""

from __future__ import annotations

import contextlib
import functools
from types import SimpleNamespace
from typing import Any

import numpy as np
from scipy.special import expit
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import ThreadpoolController

try:  # scikit-learn's tree walker (private; the model's manifest pins scikit-learn's exact version)
    from sklearn.ensemble._hist_gradient_boosting._predictor import _predict_from_raw_data
except ImportError:  # pragma: no cover - a scikit-learn without it: predict_proba does the work
    _predict_from_raw_data = None
try:  # GradientBoostingClassifier's loop over all its trees in C, and the tree it walks (private)
    from sklearn.ensemble._gradient_boosting import predict_stages
    from sklearn.tree._tree import NODE_DTYPE, Tree
except ImportError:  # pragma: no cover - then every tree is walked by its own call, as above
    predict_stages = None

_NO_CATEGORIES = np.zeros((0, 8), dtype=np.uint32)
_NO_MAP = np.zeros(0, dtype=np.uint32)


class Booster:
    """A fitted binary HistGradientBoostingClassifier, ready for many small predictions."""

    def __init__(self, estimator: HistGradientBoostingClassifier) -> None:
        self.estimator = estimator
        self.n_features = int(estimator.n_features_in_)
        self._trees: list[Any] | None = _trees(estimator)
        self._baseline = float(estimator._baseline_prediction.ravel()[0]) if self._trees else 0.0

    @functools.cached_property
    def _forest(self) -> np.ndarray | None:
        """The trees for ``predict_stages``, built on the first float32 rows (None: not available)."""
        return _as_forest(self._trees, self.n_features) if self._trees else None

    @property
    def is_direct(self) -> bool:
        """Whether predictions bypass ``predict_proba`` (False: the fallback)."""
        return self._trees is not None

    def content_probability(self, rows: np.ndarray) -> np.ndarray:
        """The probability of class 1 for each row (``rows``: (n, n_features))."""
        if self._trees is None:
            with single_thread():
                return np.asarray(self.estimator.predict_proba(rows)[:, 1])
        rows = np.asarray(rows)
        if rows.ndim != 2 or rows.shape[1] != self.n_features:
            raise ValueError(f"expected rows of {self.n_features} features, got shape {rows.shape}")
        if rows.dtype == np.float32 and self._forest is not None and not np.isnan(rows).any():
            sums = np.full((len(rows), 1), self._baseline)
            predict_stages(self._forest, np.ascontiguousarray(rows), 1.0, sums)
            return np.asarray(expit(sums[:, 0]))
        rows = np.ascontiguousarray(rows, dtype=np.float64)
        raw = np.full(len(rows), self._baseline)
        out = np.empty(len(rows))
        for nodes, bitsets in self._trees:
            _predict_from_raw_data(nodes, rows, bitsets, _NO_CATEGORIES, _NO_MAP, 1, out)
            raw += out
        return np.asarray(expit(raw))


class Averaged:
    """Several chains' fitted stage (an ensemble, see ``training.TEXT_MEMBERS``): the mean of
    their probabilities, summed in chain order."""

    def __init__(self, estimators: list[HistGradientBoostingClassifier]) -> None:
        self.members = [Booster(estimator) for estimator in estimators]
        self.n_features = self.members[0].n_features

    @property
    def is_direct(self) -> bool:
        """Whether every chain's predictions bypass ``predict_proba``."""
        return all(member.is_direct for member in self.members)

    def content_probability(self, rows: np.ndarray) -> np.ndarray:
        """The chains' mean probability of class 1 for each row."""
        return np.asarray(np.mean([member.content_probability(rows) for member in self.members], axis=0))


def stage(
    estimator: HistGradientBoostingClassifier | list[HistGradientBoostingClassifier],
) -> Booster | Averaged:
    """A persisted stage ready for prediction: one chain's, or several chains' averaged."""
    return Averaged(estimator) if isinstance(estimator, list) else Booster(estimator)


def _trees(estimator: HistGradientBoostingClassifier) -> list[Any] | None:
    """Each tree's node array and categorical bitsets, or None where the direct path does not apply."""
    binary = len(getattr(estimator, "classes_", ())) == 2 and estimator.n_trees_per_iteration_ == 1
    categorical = getattr(estimator, "is_categorical_", None) is not None
    if _predict_from_raw_data is None or not binary or categorical:
        return None
    return [(tree.nodes, tree.raw_left_cat_bitsets) for (tree,) in estimator._predictors]


def _as_forest(trees: list[Any], n_features: int) -> np.ndarray | None:
    """The trees as GradientBoostingClassifier holds them, for ``predict_stages`` (None without it).

    ``predict_stages`` walks every tree over every row in one C loop, where the walker above is
    called once per tree (300 calls a stage on a text page, about 4 us each). It reads float32
    rows only, as every stage's rows are (block, smoothing and refining features are float32, as
    the models were trained on), and compares them as doubles with the same float64 thresholds
    and sums the same leaf values in the same order from the same baseline: the probabilities are
    bit-identical (tests/test_boosting.py). It knows no missing values, so rows holding a NaN,
    and rows of another dtype, take the walker above."""
    if predict_stages is None:
        return None
    forest = np.empty((len(trees), 1), dtype=object)
    try:
        for i, (nodes, _) in enumerate(trees):
            forest[i, 0] = SimpleNamespace(tree_=_tree(nodes, n_features))
    except (KeyError, TypeError, ValueError):  # another scikit-learn's node layout: walk tree by tree
        return None
    return forest


def _tree(nodes: np.ndarray, n_features: int) -> Any:
    """One fitted histogram-boosting tree's nodes as a ``sklearn.tree`` Tree (a regression tree)."""
    leaf = nodes["is_leaf"].astype(bool)
    array = np.zeros(len(nodes), dtype=NODE_DTYPE)
    array["left_child"] = np.where(leaf, -1, nodes["left"].astype(np.int64))  # -1: a leaf
    array["right_child"] = np.where(leaf, -1, nodes["right"].astype(np.int64))
    array["feature"] = np.where(leaf, -2, nodes["feature_idx"].astype(np.int64))  # -2: undefined
    array["threshold"] = np.where(leaf, -2.0, nodes["num_threshold"])
    array["n_node_samples"] = array["weighted_n_node_samples"] = nodes["count"]
    array["missing_go_to_left"] = nodes["missing_go_to_left"]
    values = np.ascontiguousarray(nodes["value"], dtype=np.float64).reshape(-1, 1, 1)
    tree = Tree(n_features, np.ones(1, dtype=np.intp), 1)
    depth = int(nodes["depth"].max()) if len(nodes) else 0
    tree.__setstate__({"max_depth": depth, "node_count": len(nodes), "nodes": array, "values": values})
    return tree


@functools.cache
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


# Models are fitted on this many threads (OpenMP and BLAS), whatever the machine has: the
# boosting's sums over a node's rows run in an order set by its thread count, so the same data
# fitted on 2 threads gave another model than on 1 (this machine, the HTML model of
# FEATURE_VERSION 5, seed 20261121: sha256 dc63dbc3... against e36147f8...; dev 0.9771 both).
FIT_THREADS = 1


def fit_threads() -> contextlib.AbstractContextManager[object]:
    """Fit on FIT_THREADS threads, so that ``declutter train`` gives the same model on any number
    of cores (slower where there are more: a text model takes about 50 minutes on one)."""
    limiter: contextlib.AbstractContextManager[object] = _controller().limit(limits=FIT_THREADS)
    return limiter


def single_thread() -> contextlib.AbstractContextManager[object]:
    """Predict on one OpenMP thread: a page has a few hundred rows, and waking a thread pool for
    each call costs more than the prediction (measured: dev-split evaluation 11 s vs > 5 min with
    two busy cores). Parallelism belongs to whole documents (``-j``), not to rows."""
    limiter: contextlib.AbstractContextManager[object] = _controller().limit(limits=1, user_api="openmp")
    return limiter
