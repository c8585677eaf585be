"""Options of a declutter run: an immutable dataclass, so a misspelt option raises ``TypeError``."""

from __future__ import annotations

from dataclasses import dataclass

from declutter.limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_LINES

INPUT_KINDS = ("auto", "html", "text")


@dataclass(frozen=True)
class Settings:
    """How declutter judges a page.

    ``threshold``: content probability at or above which a line is kept; ``None`` uses the model's
    own threshold (chosen on the dev split and recorded in its manifest).
    ``rules_only``: skip the model and use only the named rules (explicit request only).
    ``unwrap``: join hard-wrapped paragraph lines into one block: ``None`` detects it, ``True``
    forces it, ``False`` never joins.
    ``smooth``: revise each line from its neighbours' probabilities (the sequence smoother).
    ``rules``: apply the named chrome rules after the model (the headline, standfirst and
    metadata rules always run: they decide labels, not what is content).
    ``input``: ``"auto"`` tells HTML from a text dump by its first characters; ``"html"`` or
    ``"text"`` says which it is.
    ``metadata``: read an HTML page's metadata (title, author, date, site, language, URL).
    ``timeout``: seconds one page may take before ``DocumentTimeout`` (None: no limit).
    ``max_bytes``: largest page taken, in bytes, before ``InputError`` (None: no limit).
    ``max_lines``: most lines in a page (after rendering HTML) before ``InputError`` (None: no limit).
    """

    threshold: float | None = None
    rules_only: bool = False
    unwrap: bool | None = None
    smooth: bool = True
    rules: bool = True
    input: str = "auto"
    metadata: bool = True
    timeout: float | None = None
    max_bytes: int | None = DEFAULT_MAX_BYTES
    max_lines: int | None = DEFAULT_MAX_LINES

    def __post_init__(self) -> None:
        if self.input not in INPUT_KINDS:
            raise ValueError(f"input must be one of {', '.join(INPUT_KINDS)}, got {self.input!r}")
        if self.threshold is not None and not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold must be within [0, 1], got {self.threshold!r}")
        if self.timeout is not None and not self.timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds or None, got {self.timeout!r}")
        for name in ("max_bytes", "max_lines"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise ValueError(f"{name} must be a positive integer or None, got {value!r}")
        if self.rules_only and not self.rules:
            raise ValueError("rules_only=True needs rules=True")
