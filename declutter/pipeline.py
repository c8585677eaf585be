"""The declutter pipeline: read → segment → featurize → classify → smooth → rules → write."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np

from declutter import article, model, reader, rules, segmenter, writer
from declutter.document import REASON_MODEL, REASON_SMOOTHED, Document, Verdict
from declutter.features import featurize, text_inputs
from declutter.labels import Label
from declutter.settings import Settings

# Probability reported for a line judged by rules alone (no model): content unless a rule fires.
RULES_ONLY_PROBABILITY = 0.5


class Declutter:
    """A reusable cleaner: holds the loaded model; ``run`` judges one page."""

    def __init__(self, settings: Settings | None = None, model_path: str | Path | None = None) -> None:
        self.settings = settings or Settings()
        self.model: model.Model | None = None
        if not self.settings.rules_only:
            self.model = model.load(Path(model_path) if model_path is not None else None)

    @classmethod
    def from_model(cls, loaded: model.Model, settings: Settings | None = None) -> Declutter:
        """A cleaner around an already loaded model."""
        cleaner = cls(Settings(rules_only=True))
        cleaner.settings = settings or Settings()
        cleaner.model = loaded
        return cleaner

    @property
    def threshold(self) -> float:
        """The content cut-off in use."""
        if self.settings.threshold is not None:
            return self.settings.threshold
        return self.model.threshold if self.model else model.DEFAULT_THRESHOLD

    def run(self, raw: str | bytes, source: str = "<input>") -> Document:
        """Judge every line of a page and assemble its clean text."""
        lines = segmenter.split_lines(reader.read(raw, source))
        blocks = segmenter.segment(lines, self.settings.unwrap)
        verdicts = self._classify(blocks, lines)
        if self.settings.rules:
            verdicts = rules.apply_chrome_rules(blocks, verdicts)
        verdicts = article.mark_title(blocks, verdicts)
        verdicts = article.mark_meta(blocks, verdicts)
        return writer.write(lines, blocks, verdicts)

    def _classify(self, blocks: list[segmenter.Block], lines: list[str]) -> list[Verdict]:
        if self.model is None:
            return [Verdict(Label.BODY, RULES_ONLY_PROBABILITY, "rules") for _ in blocks]
        features = featurize(blocks, lines, self.model.text_scores(text_inputs(blocks)))
        first = self.model.classify(features)
        final = self.model.smooth(features, first) if self.settings.smooth else first
        return [self._verdict(float(p0), float(p1)) for p0, p1 in zip(first, final, strict=False)]

    def _verdict(self, first: float, final: float) -> Verdict:
        keep = final >= self.threshold
        flipped = keep != (first >= self.threshold)
        label = Label.BODY if keep else Label.CHROME
        return Verdict(label, final, REASON_SMOOTHED if flipped else REASON_MODEL)


def settings_from(options: dict[str, Any]) -> Settings:
    """Settings from keyword options; a misspelt option raises TypeError naming it."""
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise TypeError(f"unknown option(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return Settings(**options)


_shared: dict[Settings, Declutter] = {}


def clean(raw: str | bytes, **options: Any) -> str:
    """The clean text of a page: the title, a blank line, then the body paragraphs."""
    settings = settings_from(options)
    if settings not in _shared:
        _shared[settings] = Declutter(settings)
    return _shared[settings].run(raw).text


def probabilities(doc: Document) -> np.ndarray:
    """Every line's content probability (a convenience for analysis)."""
    return np.array([line.probability for line in doc.lines])
