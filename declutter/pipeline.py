"""The declutter pipeline: read → segment → featurize → classify → smooth → rules → write."""

from __future__ import annotations

import dataclasses
import functools
import threading
from dataclasses import fields
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from declutter import (
    article,
    cutoff,
    fallback,
    limits,
    markup,
    model,
    pagetype,
    reader,
    rules,
    ruleset,
    segmenter,
    smoother,
    writer,
)
from declutter.document import REASON_MODEL, REASON_SMOOTHED, RULE_PREFIX, Document, Verdict
from declutter.dom import LineDom
from declutter.errors import InputError, ModelError
from declutter.features import word_count
from declutter.labels import Label
from declutter.settings import Settings

# Probability reported for a line judged by rules alone (no model): content unless a rule fires.
RULES_ONLY_PROBABILITY = 0.5
# The reason of every line of a page that is not an article, under ``Settings.articles_only``.
NOT_ARTICLE_REASON = RULE_PREFIX + "not-article"


class Judged(NamedTuple):
    """A page's lines, blocks, block verdicts and block features."""

    lines: list[str]
    blocks: list[segmenter.Block]
    verdicts: list[Verdict]
    features: np.ndarray | None  # the blocks' model features (None without a model)

    def page_features(self, page: markup.Page) -> np.ndarray:
        """The page's row of page features (see declutter.pagetype)."""
        dom = None
        if page.dom is not None and self.features is not None:
            dom = self.features[:, -pagetype.DOM_WIDTH :]
        return pagetype.page_features(self.blocks, self.verdicts, dom, page.kind)


class Declutter:
    """A reusable cleaner: holds the loaded models; ``run`` judges one page.

    Text dumps go to the text model. HTML goes to the HTML model, which also reads each block's
    DOM features; a caller who passes their own ``model_path`` and no ``html_model_path`` gets
    their model for both (HTML then rendered to text first). A model is loaded only after its
    manifest checks out, and only the scikit-learn and numpy objects a model is made of are
    unpickled; ``trust_model=True`` lifts the second check for a model file you made yourself."""

    def __init__(
        self,
        settings: Settings | None = None,
        model_path: str | Path | None = None,
        html_model_path: str | Path | None = None,
        trust_model: bool = False,
    ) -> None:
        self.settings = settings or Settings()
        if self.settings.rules_only and (model_path is not None or html_model_path is not None):
            raise ValueError("rules_only=True runs without a model; do not pass model_path")
        self.model: model.Model | None = None
        self.html_model: model.Model | None = None
        if self.settings.rules_only:
            return
        self.model = model.load(Path(model_path) if model_path is not None else None, trust_model)
        if html_model_path is not None:
            self.html_model = model.load(Path(html_model_path), trust_model)
        elif model_path is None:
            self.html_model = model.load(model.default_model_path(html=True))
        self._check_preset()

    def _check_preset(self) -> None:
        """A preset the models have no threshold for, or ``articles_only`` with a model that
        cannot judge pages, fails here, not on the first page."""
        for judge in (self.model, self.html_model):
            if judge is not None and self.settings.preset:
                judge.preset_threshold(self.settings.preset)
            if judge is not None and self.settings.articles_only and not judge.judges_pages:
                raise ModelError(
                    f"{judge.path}: articles_only needs a page model and this model has none "
                    "(train it with --corpus, or add one: declutter train --page-model)"
                )

    @classmethod
    def from_model(
        cls, loaded: model.Model, settings: Settings | None = None, html_model: model.Model | None = None
    ) -> Declutter:
        """A cleaner around already loaded models (``html_model``: for HTML pages, if any)."""
        cleaner = cls(Settings(rules_only=True))
        cleaner.settings = settings or Settings()
        cleaner.model = loaded
        cleaner.html_model = html_model
        cleaner._check_preset()
        return cleaner

    @property
    def threshold(self) -> float:
        """The content cut-off in use on text dumps."""
        return self._threshold(self.model)

    def _threshold(self, judge: model.Model | None) -> float:
        if self.settings.threshold is not None:
            return self.settings.threshold
        if judge is None:
            return model.DEFAULT_THRESHOLD
        preset = self.settings.preset
        return judge.preset_threshold(preset) if preset else judge.threshold

    def run(
        self,
        raw: str | bytes,
        source: str = "<input>",
        encoding: str | None = None,
        input: str | None = None,
        url: str | None = None,
    ) -> Document:
        """Judge every line of a page (a text dump or HTML) and assemble its clean text.

        ``encoding`` is what the caller knows of the bytes' encoding (an HTTP header, say); it is
        passed over when the bytes do not decode with it. ``input`` ("html" or "text") says what
        this page is, over the settings (a JSONL record's field tells, say). ``url`` is where the
        page came from, for user rules scoped to hosts or URLs (an HTML page's canonical URL
        stands in when it is not given)."""
        if not isinstance(raw, (str, bytes)):
            raise TypeError(f"{source}: expected str or bytes, got {type(raw).__name__}")
        is_html = self._is_html(raw) if input is None else _html_kind(input)
        limits.check_size(raw, self.settings.max_bytes, source)
        with limits.time_limit(self.settings.timeout):
            return self._run(raw, source, encoding, is_html, url)

    def page_features(
        self, raw: str | bytes, input: str | None = None, encoding: str | None = None
    ) -> np.ndarray:
        """The page's row of page features (declutter.pagetype), as this cleaner's page model
        would read it: what a page model is trained on."""
        is_html = self._is_html(raw) if input is None else _html_kind(input)
        page, judge = self._read(raw, "<input>", encoding, is_html, None)
        return self._verdicts(page, judge, "<input>").page_features(page)

    def block_probabilities(
        self, raw: str | bytes, input: str | None = None, encoding: str | None = None
    ) -> tuple[list[str], list[segmenter.Block], np.ndarray]:
        """The page's lines, its blocks and the model's final content probability of each block
        (before any cut-off or rule): what a calibration is fitted on."""
        is_html = self._is_html(raw) if input is None else _html_kind(input)
        page, judge = self._read(raw, "<input>", encoding, is_html, None)
        if judge is None:
            raise ModelError("rules_only=True: there is no model to give probabilities")
        lines = segmenter.split_lines(page.text)
        blocks = segmenter.segment(lines, self.settings.unwrap, not page.rendered)
        _, _, final = self._probabilities(judge, blocks, lines, page.dom)
        return lines, blocks, final

    def _run(
        self, raw: str | bytes, source: str, encoding: str | None, is_html: bool, url: str | None
    ) -> Document:
        text = reader.read(raw, source, encoding, html=is_html)
        page, judge = self._page(text, is_html, url)
        page_url = url or page.metadata.get("url")
        html = text if is_html and self.settings.fallback is not None else None
        doc = self._judge(page, judge, source, page_url, html)
        if not is_html:
            return doc
        if not self.settings.metadata:
            return dataclasses.replace(doc, input="html")
        metadata = dict(page.metadata)
        if not metadata.get("title") and doc.title:
            metadata["title"] = doc.title  # no title in the markup: the headline found in the text
        return dataclasses.replace(doc, input="html", metadata=metadata)

    def _read(
        self, raw: str | bytes, source: str, encoding: str | None, is_html: bool, url: str | None
    ) -> tuple[markup.Page, model.Model | None]:
        """The page's text (rendered, for HTML, with its metadata and DOM), and its judge."""
        return self._page(reader.read(raw, source, encoding, html=is_html), is_html, url)

    def _page(self, text: str, is_html: bool, url: str | None) -> tuple[markup.Page, model.Model | None]:
        """A decoded page's text (see ``_read``), and its judge."""
        if not is_html:
            return markup.Page(text), self.model
        judge = self.html_model or self.model
        scoped = self.settings.rules is not None and url is None  # the canonical URL may scope rules
        page = markup.read_page(
            text,
            metadata=self.settings.metadata or scoped,
            dom=bool(judge and judge.reads_dom),
            count_hidden=self.settings.fallback is not None,
        )
        return page, judge

    def _is_html(self, raw: str | bytes) -> bool:
        if self.settings.input != "auto":
            return self.settings.input == "html"
        return reader.looks_like_html(raw)

    def _verdicts(self, page: markup.Page, judge: model.Model | None, source: str) -> Judged:
        """Every block's verdict, before the page model and the user rules."""
        lines = segmenter.split_lines(page.text)
        limits.check_lines(len(lines), self.settings.max_lines, source)
        blocks = segmenter.segment(lines, self.settings.unwrap, not page.rendered)
        verdicts, features = self._classify(blocks, lines, judge, page.dom)
        if self.settings.chrome_rules:
            verdicts = rules.apply_chrome_rules(blocks, verdicts)
        if self.settings.smooth and judge is not None:
            verdicts = smoother.revise_short_blocks(blocks, verdicts)
            verdicts = _join_structures(blocks, verdicts, page.dom)
        verdicts = article.mark_title(blocks, verdicts, page.headline)
        verdicts = article.mark_dek(blocks, verdicts)
        verdicts = article.mark_meta(blocks, verdicts)
        return Judged(lines, blocks, verdicts, features)

    def _judge(
        self,
        page: markup.Page,
        judge: model.Model | None,
        source: str,
        url: str | None,
        html: str | None = None,
    ) -> Document:
        """The page's document; ``html``: its source, for the trafilatura fallback (if on)."""
        judged = self._verdicts(page, judge, source)
        if html is not None:
            judged, page = self._fall_back(html, page, judged, judge, source)
        blocks, verdicts = judged.blocks, judged.verdicts
        probability, is_article, why = self._article(judge, judged, page)
        if self.settings.articles_only and is_article is False:
            verdicts = [Verdict(Label.CHROME, v.probability, NOT_ARTICLE_REASON) for v in verdicts]
        elif isinstance(self.settings.rules, ruleset.RuleSet):
            verdicts = ruleset.apply_user_rules(self.settings.rules.for_url(url), blocks, verdicts)
        doc = writer.write(judged.lines, blocks, verdicts)
        return dataclasses.replace(
            doc, is_article=is_article, article_probability=probability, article_reason=why
        )

    def _fall_back(
        self, html: str, page: markup.Page, judged: Judged, judge: model.Model | None, source: str
    ) -> tuple[Judged, markup.Page]:
        """``fallback="trafilatura"``: where declutter keeps far less than trafilatura extracts, the
        page read again with its hidden elements shown, judged, and the blocks the extraction holds
        kept beside the model's (see declutter.fallback); otherwise the page as judged."""
        kept = writer.write(judged.lines, judged.blocks, judged.verdicts).text
        if not fallback.may_be_needed(kept, len(page.text) + page.hidden_chars):
            return judged, page  # trafilatura cannot extract enough of this page to matter: not run
        extracted = fallback.extract(html)
        if not fallback.needed(kept, extracted):
            return judged, page
        shown = markup.read_page(html, metadata=False, dom=bool(judge and judge.reads_dom), show_hidden=True)
        try:
            again = self._verdicts(shown, judge, source)
        except InputError:  # over max_lines with its hidden elements: the page as first read
            return judged, page
        return again._replace(
            verdicts=fallback.keep_extracted(again.blocks, again.verdicts, extracted)
        ), shown

    @staticmethod
    def _article(
        judge: model.Model | None, judged: Judged, page: markup.Page
    ) -> tuple[float | None, bool | None, str | None]:
        """The page model's article probability, whether the page is an article, and why
        (``model``, or ``rule:<name>`` when a page-kind rule says it is not); Nones without a
        page model."""
        if judge is None or not judge.judges_pages:
            return None, None, None
        probability = judge.article_probability(judged.page_features(page))
        if not any(v.label.is_content for v in judged.verdicts):
            return probability, False, RULE_PREFIX + pagetype.EMPTY_RULE  # nothing kept, no article
        rule = pagetype.page_rule(judged.blocks)
        if rule is not None:
            return probability, False, RULE_PREFIX + rule
        return probability, probability >= judge.article_threshold, REASON_MODEL

    def _classify(
        self,
        blocks: list[segmenter.Block],
        lines: list[str],
        judge: model.Model | None,
        dom: LineDom | None,
    ) -> tuple[list[Verdict], np.ndarray | None]:
        """Each block's verdict, and the blocks' features (None without a model)."""
        if judge is None:
            default = Verdict(Label.BODY, RULES_ONLY_PROBABILITY, RULE_PREFIX + "default")
            return [default for _ in blocks], None
        features, first, final = self._probabilities(judge, blocks, lines, dom)
        cut = self._threshold(judge)
        if self.settings.threshold is None:  # the model's own threshold, moved for this page
            prose = features[:, smoother.PROSE_COLUMN] * np.array([len(b.text) for b in blocks])
            words = np.array([word_count(b.text) for b in blocks])
            calibration = None if self.settings.preset else judge.calibration  # presets: as chosen
            cut = cutoff.page_cutoff(final, prose, words, cut, calibration)
        verdicts = [self._verdict(float(p0), float(p1), cut) for p0, p1 in zip(first, final, strict=True)]
        return verdicts, features

    def _probabilities(
        self, judge: model.Model, blocks: list[segmenter.Block], lines: list[str], dom: LineDom | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The blocks' features, first and final probabilities; with smoothing, the blocks of an
        HTML page outside its code listings are judged as if the listings were not there (see
        smoother.code_listings), and the listings keep what the whole page's run gave them."""
        judged = judge.probabilities(blocks, lines, dom, self.settings.smooth)
        if dom is None or not self.settings.smooth:
            return judged
        listings = smoother.code_listings(blocks, dom.code[[b.start for b in blocks]].tolist())
        if not listings.any() or listings.all():
            return judged
        shown = [b for b, hidden in zip(blocks, listings.tolist(), strict=True) if not hidden]
        for whole, part in zip(judged, judge.probabilities(shown, lines, dom, True), strict=True):
            whole[~listings] = part
        return judged

    def _verdict(self, first: float, final: float, cut: float) -> Verdict:
        keep = final >= cut
        flipped = keep != (first >= cut)
        label = Label.BODY if keep else Label.CHROME
        return Verdict(label, final, REASON_SMOOTHED if flipped else REASON_MODEL)


def _join_structures(
    blocks: list[segmenter.Block], verdicts: list[Verdict], dom: LineDom | None
) -> list[Verdict]:
    """Code listings, tables and lists inside the article are kept whole (see declutter.smoother);
    a text dump knows no listings, and its tables and lists by their shape alone."""
    if dom is None:
        nowhere = [False] * len(blocks)
        verdicts = smoother.join_tables(blocks, verdicts, smoother.tab_runs(blocks), nowhere)
        return smoother.join_introduced_lists(blocks, verdicts, smoother.short_blocks(blocks), nowhere)
    starts = [b.start for b in blocks]
    away = dom.away()[starts].tolist()
    verdicts = smoother.join_code_listings(blocks, verdicts, dom.code[starts].tolist())
    verdicts = smoother.join_tables(blocks, verdicts, dom.table[starts].tolist(), away)
    return smoother.join_introduced_lists(blocks, verdicts, dom.list_items()[starts].tolist(), away)


def _html_kind(input: str) -> bool:
    if input not in ("html", "text"):
        raise ValueError(f"input must be html or text, got {input!r}")
    return input == "html"


def settings_from(options: dict[str, Any]) -> Settings:
    """Settings from keyword options; a misspelt option raises TypeError naming it."""
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise TypeError(f"unknown option(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return Settings(**options)


_shared_lock = threading.Lock()


@functools.cache
def _shipped_models() -> tuple[model.Model, model.Model]:
    return model.load(), model.load(model.default_model_path(html=True))


def clean(raw: str | bytes, encoding: str | None = None, **options: Any) -> str:
    """The clean text of a page (text dump or HTML): the title, a blank line, then the body."""
    settings = settings_from(options)
    if settings.rules_only:
        return Declutter(settings).run(raw, encoding=encoding).text
    with _shared_lock:  # the shipped model is loaded and verified once per process
        loaded, html = _shipped_models()
    return Declutter.from_model(loaded, settings, html).run(raw, encoding=encoding).text
