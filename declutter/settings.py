"""Options of a declutter run: an immutable dataclass, so a misspelt option raises ``TypeError``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from declutter.fallback import FALLBACKS
from declutter.limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_LINES
from declutter.ruleset import RuleSet, load_rules

INPUT_KINDS = ("auto", "html", "text")


@dataclass(frozen=True)
class Settings:
    """How declutter judges a page.

    ``threshold``: content probability at or above which a line is kept; ``None`` uses the model's
    own threshold (chosen on the dev split and recorded in its manifest).
    ``favor_precision`` / ``favor_recall``: use instead the model's threshold that maximises
    F0.5 (precision first) or F2 (recall first) on dev; not with ``threshold`` or each other.
    ``rules_only``: skip the model and use only the named rules (explicit request only).
    ``unwrap``: join hard-wrapped paragraph lines into one block: ``None`` detects it (and, in a
    text dump that is not wrapped, joins sentences cut at inline elements), ``True`` forces it,
    ``False`` never joins.
    ``smooth``: revise each line from its neighbours' probabilities (the sequence smoother).
    ``chrome_rules``: apply the named chrome rules after the model (the headline, standfirst and
    metadata rules always run: they decide labels, not what is content).
    ``rules``: user rules (a TOML file's path, or a ``RuleSet``), applied last: see
    :mod:`declutter.ruleset`. A path is read and checked here, so a bad file fails at once.
    ``articles_only``: give a page that is not an article (home page, section index, listing,
    search result; ``Document.is_article`` False) no clean text: every line is chrome, reason
    ``rule:not-article``.
    ``input``: ``"auto"`` tells HTML from a text dump by its first characters; ``"html"`` or
    ``"text"`` says which it is.
    ``metadata``: read an HTML page's metadata (title, author, date, site, language, URL).
    ``timeout``: seconds one page may take before ``DocumentTimeout`` (None: no limit).
    ``max_bytes``: largest page taken, in bytes, before ``InputError`` (None: no limit).
    ``max_lines``: most lines in a page (after rendering HTML) before ``InputError`` (None: no limit).
    ``fallback``: ``"trafilatura"`` also runs trafilatura on an HTML page of which declutter
    keeps little, and where declutter keeps far less than it extracts, keeps the page's lines it
    holds (see declutter.fallback; None, the default, never runs it).
    """

    threshold: float | None = None
    favor_precision: bool = False
    favor_recall: bool = False
    rules_only: bool = False
    unwrap: bool | None = None
    smooth: bool = True
    chrome_rules: bool = True
    rules: RuleSet | str | Path | None = None
    articles_only: bool = False
    input: str = "auto"
    metadata: bool = True
    timeout: float | None = None
    max_bytes: int | None = DEFAULT_MAX_BYTES
    max_lines: int | None = DEFAULT_MAX_LINES
    fallback: str | None = None

    def __post_init__(self) -> None:
        if self.input not in INPUT_KINDS:
            raise ValueError(f"input must be one of {', '.join(INPUT_KINDS)}, got {self.input!r}")
        if self.fallback is not None and self.fallback not in FALLBACKS:
            raise ValueError(f"fallback must be one of {', '.join(FALLBACKS)} or None, got {self.fallback!r}")
        if self.threshold is not None and not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold must be within [0, 1], got {self.threshold!r}")
        if self.timeout is not None and not self.timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds or None, got {self.timeout!r}")
        for name in ("max_bytes", "max_lines"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise ValueError(f"{name} must be a positive integer or None, got {value!r}")
        if self.favor_precision + self.favor_recall + (self.threshold is not None) > 1:
            raise ValueError("threshold, favor_precision and favor_recall exclude each other")
        if self.rules_only and self.articles_only:
            raise ValueError("articles_only needs the model's page model; not with rules_only=True")
        if self.rules_only and self.fallback is not None:
            raise ValueError("fallback needs the model: rules alone would keep every hidden element")
        if self.rules_only and not self.chrome_rules:
            raise ValueError("rules_only=True needs chrome_rules=True")
        if isinstance(self.rules, (str, Path)):
            object.__setattr__(self, "rules", load_rules(self.rules))
        elif self.rules is not None and not isinstance(self.rules, RuleSet):
            raise TypeError(f"rules must be a path or a RuleSet, got {type(self.rules).__name__}")

    @property
    def preset(self) -> str | None:
        """The threshold preset asked for, if any."""
        if self.favor_precision:
            return "favor_precision"
        return "favor_recall" if self.favor_recall else None
