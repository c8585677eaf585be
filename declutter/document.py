"""What a run returns: every line's verdict, and the clean text assembled from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from declutter.labels import Label
from declutter.segmenter import glue

REASON_MODEL = "model"
REASON_SMOOTHED = "smoothed"
RULE_PREFIX = "rule:"


@dataclass(frozen=True)
class Line:
    """One input line: its 1-based number, original text, label, content probability and reason;
    ``block`` numbers the paragraph it belongs to (a hard-wrapped paragraph spans several lines)."""

    number: int
    text: str
    label: Label
    probability: float
    reason: str
    block: int = -1

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "line": self.number,
            "text": self.text,
            "label": self.label.value,
            "probability": round(self.probability, 4),
            "reason": self.reason,
            "block": self.block,
        }


@dataclass(frozen=True)
class Document:
    """The verdicts on a page and its clean text.

    ``input`` says whether the page was read as ``"text"`` or ``"html"``; an HTML page's lines are
    those of its innerText-like rendering (where ``Settings(fallback="trafilatura")`` fired, of
    the rendering with its hidden elements shown), and ``metadata`` holds what its markup says (title,
    author, date, sitename, language, url; None where absent). ``is_article`` says whether the page
    is an article at all (not a home page, section index, listing or search result), with
    ``article_probability`` (the page model's) and ``article_reason`` (``model``, or
    ``rule:error-page`` / ``rule:search-results`` when a page-kind rule overrode it); all three
    are None when no page model judged it (rules alone).
    """

    lines: list[Line] = field(default_factory=list)
    input: str = "text"
    metadata: dict[str, str | None] = field(default_factory=dict)
    is_article: bool | None = None
    article_probability: float | None = None
    article_reason: str | None = None

    def _paragraphs(self, label: Label) -> list[str]:
        """The trimmed text of each paragraph with that label (wrapped lines joined by a space, or
        without one before a line that opens with continuing punctuation: see segmenter.glue)."""
        paragraphs: list[str] = []
        last_block: int | None = None
        for line in self.lines:
            if line.label is not label:
                continue
            text = line.text.strip()
            if line.block == last_block and line.block >= 0:
                paragraphs[-1] = glue(paragraphs[-1], text)
            else:
                paragraphs.append(text)
            last_block = line.block
        return paragraphs

    @property
    def title(self) -> str | None:
        """The article's headline, or None."""
        return next(iter(self._paragraphs(Label.TITLE)), None)

    @property
    def body(self) -> str:
        """The body paragraphs, one per line, trimmed."""
        return "\n".join(self._paragraphs(Label.BODY))

    @property
    def meta(self) -> list[str]:
        """Byline, date and source lines, trimmed."""
        return self._paragraphs(Label.META)

    @property
    def text(self) -> str:
        """The clean text: the title, a blank line, then the body ("" when nothing is kept)."""
        title, body = self.title, self.body
        if title and body:
            return f"{title}\n\n{body}"
        return title or body

    def to_dict(self, lines: bool = False) -> dict[str, Any]:
        """A JSON-ready view; ``lines`` adds every line's verdict."""
        out: dict[str, Any] = {
            "title": self.title,
            "body": self.body,
            "text": self.text,
            "meta": self.meta,
            "is_article": self.is_article,
            "article_probability": _rounded(self.article_probability),
            "article_reason": self.article_reason,
        }
        if self.metadata:
            out["metadata"] = dict(self.metadata)
        if lines:
            out["lines"] = [ln.to_dict() for ln in self.lines]
        return out


def _rounded(probability: float | None) -> float | None:
    return None if probability is None else round(probability, 4)


@dataclass(frozen=True)
class Verdict:
    """The decision on one block: label, probability of being content, and why."""

    label: Label
    probability: float
    reason: str
