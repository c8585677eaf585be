"""The persisted model: stock sklearn estimators in a joblib file, verified against a JSON manifest.

joblib runs code while loading, so nothing is loaded before the manifest beside the file checks out:
the file's sha256, the feature version of this code, and the library versions it was made with.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from scipy.sparse import csr_matrix
from scipy.special import expit
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from declutter.boosting import Averaged, Booster, single_thread, stage
from declutter.cutoff import Calibration
from declutter.dom import DOM_FEATURE_VERSION, LineDom, block_groups, dom_feature_names
from declutter.errors import ModelError
from declutter.features import FEATURE_VERSION, feature_names, featurize_page, text_terms
from declutter.labels import Label
from declutter.pagetype import HTML_PAGE_FEATURE_NAMES, PAGE_FEATURE_NAMES, PAGE_FEATURE_VERSION
from declutter.segmenter import Block
from declutter.smoother import context_width, refining_features, smoothing_features, smoothing_page

MODEL_FILE = "declutter.joblib"
# The HTML model: the same estimators but the refiner, trained on declutter's rendering of the
# corpus HTML with each block's DOM features (see declutter.dom) after the text features.
HTML_MODEL_FILE = "declutter-html.joblib"
MANIFEST_SUFFIX = ".manifest.json"
# Content probability cut-off used when neither the settings nor the manifest give one.
DEFAULT_THRESHOLD = 0.5
ESTIMATOR_TYPES: dict[str, type] = {
    "text": SGDClassifier,
    "block": HistGradientBoostingClassifier,
    "smoother": HistGradientBoostingClassifier,
    "refiner": HistGradientBoostingClassifier,
    "page": Pipeline,
}
# The stages of a chain. A model may hold several chains (an ensemble, see training.TEXT_MEMBERS):
# each stage is then persisted as a list of one estimator per chain, and prediction averages
# their probabilities stage by stage.
CHAINED_STAGES = ("text", "block", "smoother", "refiner")
# A model may stop after the smoother (the HTML model does, for speed). The page model (is the page
# an article?) is a logistic regression on declutter.pagetype's page features, standardised.
OPTIONAL_ESTIMATORS = frozenset({"refiner", "page"})
# A page is an article at this page-model probability or above, unless the manifest says otherwise.
DEFAULT_ARTICLE_THRESHOLD = 0.5


@dataclass(frozen=True)
class Model:
    """A loaded, verified model: its estimators, threshold and manifest."""

    estimators: dict[str, Any]
    threshold: float
    manifest: dict[str, Any]
    path: Path

    def preset_threshold(self, preset: str) -> float:
        """The threshold of a preset (``favor_precision``, ``favor_recall``) chosen on dev for
        this model; ModelError when its manifest has none (retrain, or ``train --rescore``)."""
        value = self.manifest.get("presets", {}).get(preset)
        if not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
            raise ModelError(
                f"{self.path}: the manifest gives no {preset} threshold; run declutter train --rescore"
            )
        return float(value)

    @functools.cached_property
    def boosters(self) -> dict[str, Booster | Averaged]:
        """The gradient-boosting stages, ready for per-page prediction (see declutter.boosting)."""
        return {
            name: stage(self.estimators[name])
            for name in CHAINED_STAGES
            if name in self.estimators
            and isinstance(chains(self.estimators[name])[0], HistGradientBoostingClassifier)
        }

    @property
    def chain_count(self) -> int:
        """How many chains the model averages (1: a single chain)."""
        return len(chains(self.estimators["block"]))

    @property
    def judges_pages(self) -> bool:
        """Whether the model has a page model (``Document.is_article``)."""
        return "page" in self.estimators

    @functools.cached_property
    def calibration(self) -> Calibration | None:
        """How the model's probabilities become chances (``declutter.cutoff``), if it has been
        calibrated (``declutter train`` and ``--rescore`` fit it on dev)."""
        try:
            return Calibration.from_manifest(self.manifest.get("calibration"))
        except ValueError as error:  # a manifest edited after load() verified it
            raise ModelError(f"{self.path}: {error}") from error

    @property
    def article_threshold(self) -> float:
        """The page-model probability at or above which a page is an article."""
        return float(self.manifest.get("article_threshold", DEFAULT_ARTICLE_THRESHOLD))

    def article_probability(self, page: np.ndarray) -> float:
        """The page model's probability that a page is an article (``page``: one row of
        declutter.pagetype.page_features)."""
        if self._scaled_regression is None:
            with single_thread():
                return float(self.estimators["page"].predict_proba(page)[0, 1])
        # What predict_proba computes for a scaled binary logistic regression, without its input
        # checks (a third of a millisecond a page); the same operations in the same order.
        scaler, regression = self._scaled_regression
        scaled = (np.asarray(page, dtype=np.float64) - scaler.mean_) / scaler.scale_
        decision = scaled @ regression.coef_.T + regression.intercept_
        return float(expit(decision.ravel()[0]))

    @functools.cached_property
    def _scaled_regression(self) -> tuple[StandardScaler, LogisticRegression] | None:
        """The page model's scaler and binary logistic regression, when that is all it is (None:
        another page model, which predict_proba runs)."""
        page_model = self.estimators["page"]
        if [type(step) for _, step in page_model.steps] != [StandardScaler, LogisticRegression]:
            return None
        scaler, regression = page_model[0], page_model[-1]
        if len(regression.classes_) != 2 or not (scaler.with_mean and scaler.with_std):
            return None
        return scaler, regression

    @property
    def reads_dom(self) -> bool:
        """Whether the model was trained on HTML pages and reads their blocks' DOM features."""
        return is_html_manifest(self.manifest)

    def probabilities(
        self, blocks: list[Block], lines: list[str], dom: LineDom | None = None, smooth: bool = True
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A page's block features, first-stage and (``smooth``) smoothed content probabilities
        (``dom``: the DOM side of its lines, for a page from HTML)."""
        terms = text_terms(blocks)
        features = featurize_page(blocks, lines, self.text_scores(terms), dom.features if dom else None)
        first = self.classify(features)
        if not smooth:
            return features, first, first
        return (
            features,
            first,
            self.smooth(features, first, terms, block_groups(blocks, dom.groups) if dom else None),
        )

    def text_scores(self, terms: csr_matrix) -> np.ndarray:
        """The text model's content probability of each block (``terms``: see features.text_terms)."""
        if not terms.shape[0]:
            return np.zeros(0)
        scores = [self._text_score(text, linear, terms) for text, linear in self._log_linear_text]
        return scores[0] if len(scores) == 1 else np.asarray(np.mean(scores, axis=0))

    @staticmethod
    def _text_score(text: Any, linear: tuple[np.ndarray, np.ndarray] | None, terms: csr_matrix) -> np.ndarray:
        if linear is None:
            scores: np.ndarray = text.predict_proba(terms)
            return scores[:, 1]
        # What predict_proba computes for a binary log-loss linear model, without its input
        # checks (a third of a millisecond a page); the same operations in the same order.
        coef, intercept = linear
        return np.asarray(expit((terms @ coef + intercept).ravel()))

    @functools.cached_property
    def _log_linear_text(self) -> list[tuple[Any, tuple[np.ndarray, np.ndarray] | None]]:
        """Each chain's text model, with its coefficients (as a column) and intercept when it is
        a binary log-loss SGDClassifier (None: another text model, which predict_proba runs)."""
        return [(text, _log_linear(text)) for text in chains(self.estimators["text"])]

    def classify(self, features: np.ndarray) -> np.ndarray:
        """First-stage content probabilities."""
        if not len(features):
            return np.zeros(0)
        return self.boosters["block"].content_probability(features)

    def smooth(
        self, features: np.ndarray, first: np.ndarray, terms: csr_matrix, groups: np.ndarray | None = None
    ) -> np.ndarray:
        """Smoothed content probabilities: the smoother, then the refiner, on the first stage's
        (``terms``: the blocks' term rows, whose cohesion a text model reads; ``groups``: their
        groups in the markup, which an HTML model reads instead)."""
        if not len(features):
            return np.zeros(0)
        if self.reads_dom != (groups is not None):
            raise ValueError("an HTML model smooths with the blocks' groups, a text model without")
        page = smoothing_page(terms, features, groups)
        smoothed = self.boosters["smoother"].content_probability(smoothing_features(features, first, page))
        refiner = self.boosters.get("refiner")
        if refiner is None:  # a two-stage model (see OPTIONAL_ESTIMATORS)
            return smoothed
        return refiner.content_probability(refining_features(features, first, smoothed, page))


def _log_linear(text: Any) -> tuple[np.ndarray, np.ndarray] | None:
    if type(text) is not SGDClassifier or text.loss != "log_loss" or len(text.classes_) != 2:
        return None
    return text.coef_.T, text.intercept_


def chains(persisted: Any) -> list[Any]:
    """A persisted stage's estimators, one per chain (a single chain persists it bare)."""
    return persisted if isinstance(persisted, list) else [persisted]


def is_html_manifest(manifest: dict[str, Any]) -> bool:
    """Whether a manifest describes an HTML model (one that reads DOM features)."""
    return manifest.get("input") == "html"


def default_model_path(html: bool = False) -> Path:
    """The shipped model (``html``: the HTML model): installed as ``declutter.models``, or
    ``models/`` in a source checkout."""
    try:
        import declutter.models as shipped

        base = Path(next(iter(shipped.__path__)))
    except (ImportError, StopIteration):
        base = Path(__file__).resolve().parent.parent / "models"
    return base / (HTML_MODEL_FILE if html else MODEL_FILE)


def manifest_path(model_path: Path) -> Path:
    """Where a model file's manifest lives."""
    return model_path.with_name(model_path.name.removesuffix(".joblib") + MANIFEST_SUFFIX)


def sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def runtime_versions() -> dict[str, str]:
    """Versions of what a model's pickle depends on, in this process."""
    return {
        "python": platform.python_version(),
        "sklearn": sklearn.__version__,
        "joblib": joblib.__version__,
        "numpy": np.__version__,
    }


def _major(version: str) -> str:
    return version.split(".")[0]


def _version_mismatches(recorded: object) -> list[str]:
    """Differences that make a pickle unsafe to load: sklearn exactly, joblib/numpy/Python major."""
    if not isinstance(recorded, dict):
        return [f"versions {recorded!r} is not an object"]
    here = runtime_versions()
    problems = []
    if recorded.get("sklearn") != here["sklearn"]:
        problems.append(f"scikit-learn {recorded.get('sklearn')} != installed {here['sklearn']}")
    for name in ("joblib", "numpy", "python"):
        if _major(str(recorded.get(name, ""))) != _major(here[name]):
            problems.append(f"{name} {recorded.get(name)} != installed {here[name]}")
    return problems


def read_manifest(model_path: Path) -> dict[str, Any]:
    """The manifest beside a model file; ModelError when it is missing or unreadable."""
    path = manifest_path(model_path)
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ModelError(f"{model_path}: no manifest at {path}; refusing to load") from error
    except (OSError, ValueError) as error:
        raise ModelError(f"{model_path}: unreadable manifest {path}: {error}") from error
    if not isinstance(manifest, dict):
        raise ModelError(f"{model_path}: manifest {path} is not a JSON object")
    return manifest


def verify(model_path: Path) -> dict[str, Any]:
    """Check a model file against its manifest without loading it; return the manifest."""
    if not model_path.is_file():
        raise ModelError(f"{model_path}: model file not found")
    manifest = read_manifest(model_path)
    problems = []
    actual = sha256(model_path)
    if manifest.get("sha256") != actual:
        problems.append(f"sha256 {actual} != manifest {manifest.get('sha256')}")
    if manifest.get("feature_version") != FEATURE_VERSION:
        problems.append(f"feature version {manifest.get('feature_version')} != code's {FEATURE_VERSION}")
    if manifest.get("input", "text") not in ("text", "html"):
        problems.append(f"input {manifest.get('input')!r} is neither 'text' nor 'html'")
    if is_html_manifest(manifest) and manifest.get("dom_feature_version") != DOM_FEATURE_VERSION:
        problems.append(
            f"DOM feature version {manifest.get('dom_feature_version')} != code's {DOM_FEATURE_VERSION}"
        )
    page_version = manifest.get("page_feature_version", PAGE_FEATURE_VERSION)  # absent: no page model
    if page_version != PAGE_FEATURE_VERSION:
        problems.append(f"page feature version {page_version} != code's {PAGE_FEATURE_VERSION}")
    if manifest.get("labels") != [label.value for label in Label]:
        problems.append(f"labels {manifest.get('labels')} != {[label.value for label in Label]}")
    problems += _version_mismatches(manifest.get("versions", {}))
    for key in ("threshold", "article_threshold"):
        value = manifest.get(key, DEFAULT_ARTICLE_THRESHOLD if key == "article_threshold" else None)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
            problems.append(f"{key} {value!r} is not a probability")
    try:
        Calibration.from_manifest(manifest.get("calibration"))
    except ValueError as error:
        problems.append(str(error))
    if problems:
        raise ModelError(f"{model_path}: refusing to load: " + "; ".join(problems))
    return manifest


def feature_width(html: bool) -> int:
    """Columns of the block model's input: the text features, then for HTML the DOM features."""
    return len(feature_names()) + (len(dom_feature_names()) if html else 0)


def page_feature_width(html: bool) -> int:
    """Columns of the page model's input: the page features, then for HTML the markup's."""
    return len(PAGE_FEATURE_NAMES) + (len(HTML_PAGE_FEATURE_NAMES) if html else 0)


def _check_estimators(model_path: Path, estimators: Any, html: bool) -> dict[str, Any]:
    required = set(ESTIMATOR_TYPES) - OPTIONAL_ESTIMATORS
    if not isinstance(estimators, dict) or not required <= set(estimators) <= set(ESTIMATOR_TYPES):
        raise ModelError(f"{model_path}: expected estimators {sorted(ESTIMATOR_TYPES)}")
    counts = {len(chains(estimators[name])) for name in CHAINED_STAGES if name in estimators}
    if len(counts) != 1 or not all(chains(estimators[name]) for name in CHAINED_STAGES if name in estimators):
        raise ModelError(f"{model_path}: its stages hold different numbers of chains")
    if isinstance(estimators.get("page"), list):
        raise ModelError(f"{model_path}: the page model is one estimator, not a list")
    width = feature_width(html)
    context = context_width(html)
    expected = {
        "block": width,
        "smoother": width + context,
        "refiner": width + context + 1,
        "page": page_feature_width(html),
    }
    for name, kind in ESTIMATOR_TYPES.items():
        for estimator in chains(estimators.get(name, [])):
            if type(estimator) is not kind:
                raise ModelError(f"{model_path}: estimator {name!r} is not a {kind.__name__}")
            width_in = getattr(estimator, "n_features_in_", None)
            if name in expected and width_in != expected[name]:
                raise ModelError(
                    f"{model_path}: {name} model takes {width_in} features, code makes {expected[name]}"
                )
    return estimators


def load(model_path: Path | None = None, trusted: bool = False) -> Model:
    """Verify, then load, a model; ModelError names the file and what differed.

    The pickle is read by an unpickler that resolves only the scikit-learn and numpy objects a
    model is made of (``SAFE_GLOBALS``): a file that would call anything else (``os.system``,
    ``open``...) is refused before that call can run. ``trusted`` lifts this, for a model file
    the caller made with other estimators; the manifest check always runs."""
    path = Path(model_path) if model_path is not None else default_model_path()
    manifest = verify(path)
    try:
        estimators = joblib.load(path) if trusted else _restricted_load(path)
    except ModelError:
        raise
    except Exception as error:  # joblib/pickle raise many types on corrupt files
        raise ModelError(f"{path}: cannot load: {type(error).__name__}: {error}") from error
    threshold = float(manifest.get("threshold", DEFAULT_THRESHOLD))
    checked = _check_estimators(path, estimators, is_html_manifest(manifest))
    version = manifest.get("page_feature_version")
    if "page" in checked and version != PAGE_FEATURE_VERSION:
        problem = f"page model of page feature version {version}, code's {PAGE_FEATURE_VERSION}"
        raise ModelError(f"{path}: {problem}")
    return Model(checked, threshold, manifest, path)


# What a declutter model's pickle may name, besides scikit-learn classes (SAFE_MODULE_PREFIX):
# the joblib array wrapper, numpy's array and scalar rebuilders and the random generators an
# estimator keeps. Anything else (a function in os, subprocess, builtins...) is refused unread.
SAFE_GLOBALS = frozenset(
    {
        ("joblib.numpy_pickle", "NumpyArrayWrapper"),
        ("numpy", "dtype"),
        ("numpy", "ndarray"),
        *(
            (f"numpy.{core}.multiarray", name)
            for core in ("core", "_core")
            for name in ("_reconstruct", "scalar")
        ),
        *((f"numpy.{core}.numeric", "_frombuffer") for core in ("core", "_core")),
        ("numpy.random._pickle", "__bit_generator_ctor"),
        ("numpy.random._pickle", "__generator_ctor"),
        ("numpy.random._pickle", "__randomstate_ctor"),
        ("numpy.random.bit_generator", "SeedSequence"),
        ("numpy.random.bit_generator", "__pyx_unpickle_SeedSequence"),
        ("numpy.random._pcg64", "PCG64"),
        ("numpy.random._mt19937", "MT19937"),
        ("numpy.random.mtrand", "RandomState"),
        ("numpy.random._generator", "Generator"),
        ("builtins", "set"),
        ("builtins", "frozenset"),
        ("builtins", "slice"),
        ("builtins", "complex"),
        ("collections", "OrderedDict"),
    }
)
# scikit-learn classes (never functions) may be named: building one only stores its parameters.
SAFE_MODULE_PREFIX = "sklearn."


def _restricted_load(path: Path) -> Any:
    """joblib's loader with a find_class that refuses anything outside the safe set."""
    from joblib import numpy_pickle

    class Restricted(numpy_pickle.NumpyUnpickler):  # type: ignore[misc]
        def find_class(self, module: str, name: str) -> Any:
            if (module, name) in SAFE_GLOBALS:
                return super().find_class(module, name)
            if module.startswith(SAFE_MODULE_PREFIX) and "." not in name:
                found = super().find_class(module, name)
                if isinstance(found, type):
                    return found
            raise ModelError(
                f"{path}: refusing to load: its pickle names {module}.{name}, which is not part of a "
                "declutter model (scikit-learn estimators, numpy arrays); load it with trusted=True "
                "(--trust-model) only if you made this file"
            )

    with (
        open(path, "rb") as handle,
        numpy_pickle._validate_fileobject_and_memmap(handle, str(path), None) as (
            stream,
            _,
        ),
    ):
        return Restricted(str(path), stream, ensure_native_byte_order=True, mmap_mode=None).load()


def save(
    estimators: dict[str, Any], directory: Path, threshold: float, extra: dict[str, Any], html: bool = False
) -> Path:
    """Write the estimators and their manifest into ``directory``; return the model path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (HTML_MODEL_FILE if html else MODEL_FILE)
    joblib.dump(estimators, path, compress=3)
    dom = {"dom_feature_version": DOM_FEATURE_VERSION} if html else {}
    manifest = {
        "file": path.name,
        "sha256": sha256(path),
        "size_bytes": path.stat().st_size,
        "input": "html" if html else "text",
        "feature_version": FEATURE_VERSION,
        **dom,
        "features": feature_names() + (dom_feature_names() if html else []),
        "labels": [label.value for label in Label],
        "threshold": threshold,
        "versions": runtime_versions(),
        "platform": sys.platform,
        **extra,
    }
    write_manifest(path, manifest)
    return path


def resave(estimators: dict[str, Any], model_path: Path, manifest: dict[str, Any]) -> Path:
    """Rewrite a model file with these estimators and its manifest with ``manifest``, the file's
    new sha256 and size filled in (the file is replaced atomically)."""
    temporary = model_path.with_name(model_path.name + ".tmp")
    joblib.dump(estimators, temporary, compress=3)
    os.replace(temporary, model_path)
    updated = {
        **manifest,
        "sha256": sha256(model_path),
        "size_bytes": model_path.stat().st_size,
        "versions": runtime_versions(),
    }
    updated["training"] = {**manifest.get("training", {}), "stages": list(estimators)}
    write_manifest(model_path, updated)
    return model_path


def write_manifest(model_path: Path, manifest: dict[str, Any]) -> None:
    """Write a model's manifest atomically (a crash never leaves half a manifest)."""
    target = manifest_path(model_path)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temporary, target)
