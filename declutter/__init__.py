"""declutter: keep a web page's article (title and body), drop the site chrome.

``Declutter`` and ``clean`` are imported on first use: the pipeline brings scikit-learn and the
models' code, which the command line's main process does not need when workers clean the pages.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from declutter.document import Document, Line
from declutter.errors import DeclutterError, DocumentTimeout, InputError, LabelError, ModelError
from declutter.labels import Label
from declutter.ruleset import RulesError, RuleSet, load_rules
from declutter.settings import Settings

if TYPE_CHECKING:
    from declutter.pipeline import Declutter, clean

_FROM_PIPELINE = frozenset({"Declutter", "clean"})

__all__ = [
    "Declutter",
    "DeclutterError",
    "Document",
    "DocumentTimeout",
    "InputError",
    "Label",
    "LabelError",
    "Line",
    "ModelError",
    "RuleSet",
    "RulesError",
    "Settings",
    "clean",
    "load_rules",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """``Declutter`` and ``clean``, imported from the pipeline on first use."""
    if name in _FROM_PIPELINE:
        value = getattr(importlib.import_module("declutter.pipeline"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'declutter' has no attribute {name!r}")
