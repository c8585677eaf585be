"""boosting: per-page prediction gives exactly what predict_proba gives, or falls back to it."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from declutter import boosting
from declutter.boosting import Booster
from declutter.model import chains, default_model_path, load


def _fitted(
    categorical: bool = False, missing: bool = False
) -> tuple[HistGradientBoostingClassifier, np.ndarray]:
    rng = np.random.default_rng(0)
    rows = rng.normal(size=(400, 5))
    rows[:, 4] = rng.integers(0, 4, size=400)
    labels = (rows[:, 0] + rows[:, 1] * rows[:, 2] + (rows[:, 4] == 2) > 0.3).astype(int)
    if missing:
        rows[rng.random(rows.shape) < 0.1] = np.nan
    model = HistGradientBoostingClassifier(
        max_iter=30, random_state=0, categorical_features=[4] if categorical else None
    )
    with boosting.single_thread():  # a few hundred rows: threads cost more than they give
        return model.fit(rows, labels), rows


@pytest.mark.parametrize("missing", [False, True], ids=["finite", "with NaN"])
def test_direct_prediction_is_bit_identical_to_predict_proba(missing: bool) -> None:
    model, rows = _fitted(missing=missing)
    booster = Booster(model)
    assert booster.is_direct
    expected = model.predict_proba(rows)[:, 1]
    assert np.array_equal(booster.content_probability(rows), expected)
    assert np.array_equal(booster.content_probability(rows[:1]), expected[:1])
    assert booster.content_probability(rows[:0]).shape == (0,)


def test_non_contiguous_and_integer_rows_are_accepted() -> None:
    model, rows = _fitted()
    booster = Booster(model)
    wide = np.hstack([rows, rows])[:, ::2]  # a strided view of other values
    assert np.array_equal(booster.content_probability(wide), model.predict_proba(wide)[:, 1])
    ints = np.rint(rows).astype(np.int64)
    assert np.array_equal(booster.content_probability(ints), model.predict_proba(ints)[:, 1])


def test_wrong_width_is_refused() -> None:
    model, rows = _fitted()
    with pytest.raises(ValueError, match="5 features"):
        Booster(model).content_probability(rows[:, :4])


def test_categorical_model_falls_back_to_predict_proba() -> None:
    model, rows = _fitted(categorical=True)
    booster = Booster(model)
    assert not booster.is_direct
    assert np.array_equal(booster.content_probability(rows), model.predict_proba(rows)[:, 1])


def test_without_the_tree_walker_it_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    model, rows = _fitted()
    monkeypatch.setattr(boosting, "_predict_from_raw_data", None)
    booster = Booster(model)
    assert not booster.is_direct
    assert np.array_equal(booster.content_probability(rows), model.predict_proba(rows)[:, 1])


@pytest.mark.parametrize("html", [False, True], ids=["text model", "HTML model"])
def test_shipped_stages_predict_as_predict_proba(html: bool) -> None:
    loaded = load(default_model_path(html=html))
    rng = np.random.default_rng(1)
    assert {"block", "smoother"} <= set(loaded.boosters)
    for name, booster in loaded.boosters.items():
        assert booster.is_direct, name
        rows = rng.normal(scale=2.0, size=(64, booster.n_features))
        rows[::7, ::3] = 0.0
        expected = _mean_predict_proba(chains(loaded.estimators[name]), rows)
        assert np.array_equal(booster.content_probability(rows), expected), name


def _mean_predict_proba(estimators: list[HistGradientBoostingClassifier], rows: np.ndarray) -> np.ndarray:
    """What a stage of these chains predicts: their predict_proba averaged, in chain order."""
    return np.asarray(np.mean([estimator.predict_proba(rows)[:, 1] for estimator in estimators], axis=0))


def test_a_stage_of_several_chains_is_the_mean_of_theirs() -> None:
    model, rows = _fitted()
    other = HistGradientBoostingClassifier(max_iter=10, random_state=1)
    with boosting.single_thread():
        other.fit(rows, model.predict(rows) ^ (rows[:, 3] > 1.5))
    averaged = boosting.stage([model, other])
    assert isinstance(averaged, boosting.Averaged) and averaged.is_direct and averaged.n_features == 5
    mean = (model.predict_proba(rows)[:, 1] + other.predict_proba(rows)[:, 1]) / 2
    assert np.array_equal(averaged.content_probability(rows), mean)
    assert not np.array_equal(mean, model.predict_proba(rows)[:, 1])
    assert isinstance(boosting.stage(model), Booster)


@pytest.mark.parametrize("missing", [False, True], ids=["finite", "with NaN"])
def test_float32_rows_take_the_one_loop_and_predict_as_predict_proba(
    missing: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    model, rows = _fitted(missing=missing)
    booster = Booster(model)
    assert booster._forest is not None
    calls: list[int] = []
    loop = boosting.predict_stages
    monkeypatch.setattr(boosting, "predict_stages", lambda *args: calls.append(1) or loop(*args))
    rows32 = rows.astype(np.float32)
    expected = model.predict_proba(rows32)[:, 1]
    assert np.array_equal(booster.content_probability(rows32), expected)
    assert np.array_equal(booster.content_probability(np.asfortranarray(rows32)), expected)
    assert len(calls) == (0 if missing else 2)  # rows with a NaN are walked tree by tree
    assert booster.content_probability(rows32[:0]).shape == (0,)


def test_without_the_loop_float32_rows_are_walked_tree_by_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    model, rows = _fitted()
    monkeypatch.setattr(boosting, "predict_stages", None)
    booster = Booster(model)
    assert booster._forest is None and booster.is_direct
    rows32 = rows.astype(np.float32)
    assert np.array_equal(booster.content_probability(rows32), model.predict_proba(rows32)[:, 1])


@pytest.mark.parametrize("html", [False, True], ids=["text model", "HTML model"])
def test_shipped_stages_predict_float32_rows_as_predict_proba(html: bool) -> None:
    loaded = load(default_model_path(html=html))
    rng = np.random.default_rng(2)
    for name, booster in loaded.boosters.items():
        rows = rng.normal(scale=2.0, size=(64, booster.n_features)).astype(np.float32)
        rows[::7, ::3] = 0.0
        expected = _mean_predict_proba(chains(loaded.estimators[name]), rows)
        assert np.array_equal(booster.content_probability(rows), expected), name


def test_trees_it_cannot_convert_are_walked_tree_by_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    def other_layout(nodes: np.ndarray, n_features: int) -> None:
        raise ValueError("no field named 'missing_go_to_left'")

    model, rows = _fitted()
    monkeypatch.setattr(boosting, "_tree", other_layout)
    booster = Booster(model)
    rows32 = rows.astype(np.float32)
    assert np.array_equal(booster.content_probability(rows32), model.predict_proba(rows32)[:, 1])
    assert booster._forest is None and booster.is_direct
