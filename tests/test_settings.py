"""settings: an immutable dataclass; a misspelt option raises."""

from __future__ import annotations

import pytest

import declutter
from declutter import Declutter, Settings


def test_settings_are_frozen_and_validated() -> None:
    with pytest.raises(AttributeError):
        Settings().threshold = 0.3  # type: ignore[misc]
    with pytest.raises(ValueError, match="threshold"):
        Settings(threshold=-0.1)
    with pytest.raises(ValueError, match="rules_only"):
        Settings(rules_only=True, chrome_rules=False)


def test_misspelt_options_raise_type_error_naming_them() -> None:
    with pytest.raises(TypeError, match="rules_onyl"):
        declutter.clean("text", rules_onyl=True)


def test_rules_only_refuses_a_model_path(tmp_path: object) -> None:
    with pytest.raises(ValueError, match="model_path"):
        Declutter(Settings(rules_only=True), model_path="any.joblib")


@pytest.mark.parametrize(
    "options",
    [
        {"timeout": 0},
        {"timeout": -1.0},
        {"max_bytes": 0},
        {"max_bytes": 1.5},
        {"max_lines": True},
        {"max_lines": -3},
    ],
)
def test_limits_must_be_positive_or_none(options: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=next(iter(options))):
        Settings(**options)  # type: ignore[arg-type]


def test_limits_default_to_bounded_size_and_no_time_limit() -> None:
    settings = Settings()
    assert settings.timeout is None and settings.max_bytes and settings.max_lines
    assert Settings(timeout=None, max_bytes=None, max_lines=None).max_bytes is None


def test_presets_exclude_each_other_and_a_threshold() -> None:
    with pytest.raises(ValueError, match="exclude"):
        Settings(favor_precision=True, favor_recall=True)
    with pytest.raises(ValueError, match="exclude"):
        Settings(threshold=0.5, favor_recall=True)
    assert Settings(favor_precision=True).preset == "favor_precision" and Settings().preset is None


def test_a_preset_uses_the_models_threshold_for_it(cleaner: Declutter) -> None:
    assert cleaner.model is not None
    presets = cleaner.model.manifest["presets"]
    precise = Declutter.from_model(cleaner.model, Settings(favor_precision=True))
    full = Declutter.from_model(cleaner.model, Settings(favor_recall=True))
    assert precise.threshold == presets["favor_precision"] > cleaner.threshold > full.threshold
    assert full.threshold == presets["favor_recall"]
