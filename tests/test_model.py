"""model: the shipped model loads only after its manifest checks out; any mismatch is ModelError."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse import random as sparse_random
from sklearn.linear_model import LogisticRegression

from declutter import Declutter, ModelError, Settings
from declutter.boosting import Averaged
from declutter.cli import main
from declutter.dom import DOM_FEATURE_VERSION, dom_feature_names
from declutter.features import FEATURE_VERSION, text_terms
from declutter.labels import Label
from declutter.model import (
    CHAINED_STAGES,
    HTML_MODEL_FILE,
    MODEL_FILE,
    Model,
    chains,
    default_model_path,
    load,
    manifest_path,
    read_manifest,
    runtime_versions,
    sha256,
    verify,
)
from declutter.page_training import new_page_model
from declutter.pagetype import PAGE_FEATURE_VERSION
from declutter.segmenter import segment, split_lines

# The issue's budget for the shipped model file.
MAX_MODEL_BYTES = 20_000_000


def _copy(source: Path, target: Path) -> Path:
    """Copy a model file and its manifest."""
    shutil.copy(source, target)
    shutil.copy(manifest_path(source), manifest_path(target))
    return target


def _edit_manifest(model_path: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    path = manifest_path(model_path)
    manifest = json.loads(path.read_text())
    edit(manifest)
    path.write_text(json.dumps(manifest))


@pytest.fixture()
def model_copy(tmp_path: Path) -> Path:
    """A copy of the shipped model and its manifest, safe to tamper with."""
    return _copy(default_model_path(), tmp_path / MODEL_FILE)


def test_shipped_model_verifies_and_loads() -> None:
    manifest = verify(default_model_path())
    assert manifest["feature_version"] == FEATURE_VERSION
    assert manifest["labels"] == [label.value for label in Label]
    assert load().threshold == manifest["threshold"]


def test_manifest_records_what_the_issue_asks_for() -> None:
    manifest = read_manifest(default_model_path())
    assert set(manifest["versions"]) == {"python", "sklearn", "joblib", "numpy"}
    assert manifest["training"]["datasets"] and all(
        entry["licence"] for entry in manifest["training"]["datasets"].values()
    )
    assert manifest["metrics"]["dev"]["overall"]["token"]["f1"] > 0


def test_shipped_model_is_within_its_size_budget() -> None:
    assert default_model_path().stat().st_size <= MAX_MODEL_BYTES
    assert default_model_path(html=True).stat().st_size <= MAX_MODEL_BYTES


def test_shipped_html_model_reads_dom_features() -> None:
    manifest = verify(default_model_path(html=True))
    assert manifest["input"] == "html" and manifest["dom_feature_version"] == DOM_FEATURE_VERSION
    assert manifest["features"][-len(dom_feature_names()) :] == dom_feature_names()
    assert load(default_model_path(html=True)).reads_dom and not load().reads_dom


@pytest.fixture()
def html_model_copy(tmp_path: Path) -> Path:
    """A copy of the shipped HTML model and its manifest, safe to tamper with."""
    return _copy(default_model_path(html=True), tmp_path / HTML_MODEL_FILE)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("dom_feature_version", DOM_FEATURE_VERSION + 1, "DOM feature version"), ("input", "pdf", "input")],
)
def test_html_manifest_mismatch_is_refused(
    html_model_copy: Path, field: str, value: object, message: str
) -> None:
    _edit_manifest(html_model_copy, lambda manifest: manifest.update({field: value}))
    with pytest.raises(ModelError, match=message):
        load(html_model_copy)


def test_html_estimators_passed_off_as_a_text_model_are_refused(html_model_copy: Path) -> None:
    def as_text_model(manifest: dict[str, Any]) -> None:
        del manifest["input"], manifest["dom_feature_version"]

    _edit_manifest(html_model_copy, as_text_model)
    with pytest.raises(ModelError, match="features"):
        load(html_model_copy)


def test_one_edited_byte_is_refused(model_copy: Path) -> None:
    data = bytearray(model_copy.read_bytes())
    data[len(data) // 2] ^= 0x01
    model_copy.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256") as error:
        load(model_copy)
    assert str(model_copy) in str(error.value)


def test_missing_manifest_is_refused(model_copy: Path) -> None:
    manifest_path(model_copy).unlink()
    with pytest.raises(ModelError, match="no manifest"):
        load(model_copy)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("feature_version", FEATURE_VERSION + 1, "feature version"),
        ("labels", ["content", "other"], "labels"),
        ("versions", {**runtime_versions(), "sklearn": "0.0.1"}, "scikit-learn"),
    ],
)
def test_manifest_mismatch_is_refused(model_copy: Path, field: str, value: object, message: str) -> None:
    _edit_manifest(model_copy, lambda manifest: manifest.update({field: value}))
    with pytest.raises(ModelError, match=message):
        load(model_copy)


def test_a_model_that_fails_to_load_is_an_error_not_a_downgrade(tmp_path: Path) -> None:
    with pytest.raises(ModelError):
        Declutter(model_path=tmp_path / "absent.joblib")


def test_sha256_matches_the_manifest() -> None:
    assert sha256(default_model_path()) == read_manifest(default_model_path())["sha256"]


def _with_estimators(model_copy: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    """Rewrite a model copy's estimators (and its manifest's checksum) after ``edit``."""
    estimators = joblib.load(model_copy)
    edit(estimators)
    joblib.dump(estimators, model_copy)
    _edit_manifest(model_copy, lambda manifest: manifest.update({"sha256": sha256(model_copy)}))
    return model_copy


def test_a_two_stage_model_loads_and_smooths_with_its_smoother(model_copy: Path) -> None:
    model = load(_with_estimators(model_copy, lambda estimators: estimators.pop("refiner")))
    features = np.zeros((3, model.boosters["block"].n_features), dtype=np.float32)
    first = model.classify(features)
    smoothed = model.smooth(features, first, csr_matrix((3, 8)))
    assert "refiner" not in model.estimators and smoothed.shape == (3,)
    assert np.all((smoothed >= 0) & (smoothed <= 1))


def test_a_model_without_its_smoother_is_refused(model_copy: Path) -> None:
    with pytest.raises(ModelError, match="expected estimators"):
        load(_with_estimators(model_copy, lambda estimators: estimators.pop("smoother")))


class _Planted:
    """Unpickling this runs code: it opens (creates) the file it was given."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        return open, (str(self.target), "w")


def _plant(model_path: Path, payload: object) -> None:
    """Replace a model file by ``payload``, with a manifest that checks out (a real attacker can
    write both)."""
    joblib.dump(payload, model_path, compress=3)
    _edit_manifest(model_path, lambda manifest: manifest.update(sha256=sha256(model_path)))


def test_a_pickle_that_would_run_code_is_refused_and_the_code_never_runs(
    model_copy: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    estimators = joblib.load(model_copy)
    _plant(model_copy, {**estimators, "text": _Planted(marker)})
    verify(model_copy)  # the manifest alone would let it through
    with pytest.raises(ModelError, match=r"refusing to load: its pickle names (io|builtins)\.open") as error:
        Declutter(model_path=model_copy)
    assert "trust" in str(error.value)
    assert not marker.exists()
    code = main(["clean", "-", "--model", str(model_copy), "-q"])
    assert code == 1 and not marker.exists()


def test_the_trust_flag_is_what_lets_such_a_pickle_run(model_copy: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    _plant(model_copy, {"text": _Planted(marker)})
    with pytest.raises(ModelError, match="expected estimators"):
        load(model_copy, trusted=True)  # the code ran; the object is then refused as no model
    assert marker.exists()


def test_a_model_of_stock_estimators_loads_without_trust(model_copy: Path) -> None:
    """A model the user trained themselves (other estimator settings, same types) needs no flag."""
    estimators = joblib.load(model_copy)
    chains(estimators["block"])[0].set_params(max_iter=7)
    _plant(model_copy, estimators)
    assert chains(load(model_copy).estimators["block"])[0].max_iter == 7


def _as_chains(estimators: dict[str, Any], count: int) -> None:
    """Make a model's boosted stages ``count`` chains of its first chain's estimators."""
    for name in CHAINED_STAGES:
        if name in estimators:
            estimators[name] = [chains(estimators[name])[0]] * count


def test_a_model_of_several_chains_averages_them_stage_by_stage(model_copy: Path) -> None:
    single = _with_estimators(model_copy, lambda estimators: _as_chains(estimators, 1))
    lines = split_lines("Home\n\nA sentence of article text that ends here.\n\nShare this\n")
    expected = load(single).probabilities(segment(lines, None), lines)
    model = load(_with_estimators(model_copy, lambda estimators: _as_chains(estimators, 2)))
    assert model.chain_count == 2 and isinstance(model.boosters["block"], Averaged)
    for got, want in zip(model.probabilities(segment(lines, None), lines), expected, strict=True):
        assert np.array_equal(got, want)  # (x + x) / 2 is x: two equal chains predict as one


def test_stages_of_different_chain_counts_are_refused(model_copy: Path) -> None:
    def uneven(estimators: dict[str, Any]) -> None:
        _as_chains(estimators, 2)
        estimators["smoother"] = chains(estimators["smoother"])[0]

    with pytest.raises(ModelError, match="different numbers of chains"):
        load(_with_estimators(model_copy, uneven))


def test_a_list_of_page_models_is_refused(model_copy: Path) -> None:
    with pytest.raises(ModelError, match="not a list"):
        load(_with_estimators(model_copy, lambda estimators: estimators.update(page=[estimators["page"]])))


def test_a_preset_the_manifest_lacks_is_an_error_at_load(model_copy: Path) -> None:
    _edit_manifest(model_copy, lambda manifest: manifest.pop("presets"))
    Declutter(model_path=model_copy)  # no preset asked: fine
    with pytest.raises(ModelError, match=r"favor_recall.*rescore"):
        Declutter(Settings(favor_recall=True), model_path=model_copy)


def test_shipped_models_judge_pages() -> None:
    for html in (False, True):
        model = load(default_model_path(html=html))
        assert model.judges_pages and 0.0 < model.article_threshold < 1.0
        assert model.manifest["page_feature_version"] == PAGE_FEATURE_VERSION
        metrics = model.manifest["page_model"]["metrics"]
        assert metrics["pages"]["non_articles"] >= 50 and "precision" in metrics["cross_validated_weak"]


def test_page_feature_version_mismatch_is_refused(model_copy: Path) -> None:
    _edit_manifest(
        model_copy, lambda manifest: manifest.update(page_feature_version=PAGE_FEATURE_VERSION + 1)
    )
    with pytest.raises(ModelError, match="page feature version"):
        load(model_copy)


def test_a_page_model_of_the_wrong_width_is_refused(model_copy: Path) -> None:
    def narrow(estimators: dict[str, Any]) -> None:
        estimators["page"] = new_page_model().fit(np.eye(3), [0, 1, 1])

    with pytest.raises(ModelError, match="page model takes 3 features"):
        load(_with_estimators(model_copy, narrow))


def test_a_model_without_a_page_model_loads_and_does_not_judge_pages(model_copy: Path) -> None:
    model = load(_with_estimators(model_copy, lambda estimators: estimators.pop("page")))
    doc = Declutter.from_model(model).run(
        "Home\n\nA sentence that is long enough to read as the body of a page."
    )
    assert not model.judges_pages and doc.is_article is None


def test_a_page_model_without_its_feature_version_is_refused(model_copy: Path) -> None:
    _edit_manifest(model_copy, lambda manifest: manifest.pop("page_feature_version"))
    with pytest.raises(ModelError, match="page model of page feature version None"):
        load(model_copy)


@pytest.mark.parametrize("value", ["high", 1.5, True])
def test_an_article_threshold_that_is_not_a_probability_is_refused(model_copy: Path, value: object) -> None:
    _edit_manifest(model_copy, lambda manifest: manifest.update(article_threshold=value))
    with pytest.raises(ModelError, match="article_threshold"):
        load(model_copy)


@pytest.mark.parametrize("html", [False, True], ids=["text model", "HTML model"])
def test_article_probability_is_the_page_models_predict_proba(html: bool) -> None:
    loaded = load(default_model_path(html=html))
    page_model = loaded.estimators["page"]
    rng = np.random.default_rng(3)
    for row in rng.normal(scale=3.0, size=(20, page_model.n_features_in_)):
        expected = page_model.predict_proba(row[None, :])[0, 1]
        assert loaded.article_probability(row[None, :]) == expected


@pytest.mark.parametrize("html", [False, True], ids=["text model", "HTML model"])
def test_text_scores_are_the_text_models_predict_proba(html: bool) -> None:
    loaded = load(default_model_path(html=html))
    terms = text_terms(
        segment(split_lines("Advertisement\n\nShare this\n\nA long paragraph, it says.\n"), None)
    )
    assert all(linear is not None for _, linear in loaded._log_linear_text)
    assert np.array_equal(loaded.text_scores(terms), _mean_text_proba(loaded, terms))
    random_terms = sparse_random(30, terms.shape[1], density=1e-4, format="csr", random_state=4)
    assert np.array_equal(loaded.text_scores(random_terms), _mean_text_proba(loaded, random_terms))


def _mean_text_proba(model: Model, terms: csr_matrix) -> np.ndarray:
    """The chains' text models' predict_proba, averaged in chain order (one chain: its own)."""
    scores = [text.predict_proba(terms)[:, 1] for text in chains(model.estimators["text"])]
    return scores[0] if len(scores) == 1 else np.asarray(np.mean(scores, axis=0))


def test_another_text_model_is_run_by_its_predict_proba() -> None:
    loaded = load(default_model_path())
    width = chains(loaded.estimators["text"])[0].coef_.shape[1]
    terms = sparse_random(40, width, density=1e-3, format="csr", random_state=5)
    other = LogisticRegression().fit(terms, np.arange(40) % 2)
    loaded.estimators["text"] = other
    assert loaded._log_linear_text == [(other, None)]
    assert np.array_equal(loaded.text_scores(terms), other.predict_proba(terms)[:, 1])


@pytest.mark.parametrize(
    "value", ["1.25", {"exponent": 1.25}, {"exponent": 0, "margin": 0.05}, {"exponent": 1.25, "margin": -1}]
)
def test_a_malformed_calibration_is_refused(model_copy: Path, value: object) -> None:
    _edit_manifest(model_copy, lambda manifest: manifest.update(calibration=value))
    with pytest.raises(ModelError, match="calibration"):
        load(model_copy)


def test_a_model_without_a_calibration_loads_without_one(model_copy: Path) -> None:
    _edit_manifest(model_copy, lambda manifest: manifest.pop("calibration", None))
    assert load(model_copy).calibration is None
