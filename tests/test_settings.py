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
        Settings(rules_only=True, rules=False)


def test_misspelt_options_raise_type_error_naming_them() -> None:
    with pytest.raises(TypeError, match="rules_onyl"):
        declutter.clean("text", rules_onyl=True)


def test_rules_only_refuses_a_model_path(tmp_path: object) -> None:
    with pytest.raises(ValueError, match="model_path"):
        Declutter(Settings(rules_only=True), model_path="any.joblib")
