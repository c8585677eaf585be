"""declutter: keep a web page's article (title and body), drop the site chrome."""

from declutter.document import Document, Line
from declutter.errors import DeclutterError, DocumentTimeout, InputError, LabelError, ModelError
from declutter.labels import Label
from declutter.pipeline import Declutter, clean
from declutter.ruleset import RulesError, RuleSet, load_rules
from declutter.settings import Settings

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
