"""Whether a page is an article: page-level features of its judged blocks.

Home pages, section indexes, shop collections, search results and error pages have no article:
their kept text is many short teasers, or little at all, and no long run of prose. The features
below describe a page by what the line classifier made of it (how much it kept, in how many runs,
how sure it was, how much of it is prose); a small stock sklearn classifier in the model file turns
them into the probability that the page is an article (see ``declutter.page_training``).
"""

from __future__ import annotations

import math
import re

import numpy as np

from declutter.document import Verdict
from declutter.dom import dom_feature_names
from declutter.features import PROSE_MIN_WORDS, TERMINAL_RE, word_count
from declutter.labels import Label
from declutter.metadata import MARKUP_UNKNOWN
from declutter.rules import is_date_line
from declutter.segmenter import Block

# 1: the first page features.
PAGE_FEATURE_VERSION = 1
# A block this probable is one the model is sure of: the page fallback's MIN_TOP_PROBABILITY
# (declutter.pipeline takes it from here).
SURE_PROBABILITY = 0.95
# Probabilities averaged for the page's "how sure is the best of it" feature (chosen by hand: a
# headline, a standfirst and a few paragraphs; not swept).
TOP_BLOCKS = 5
# A teaser/headline-shaped kept block: at most this many words and no sentence end (chosen by hand
# from the weak split's listings, where teaser headlines run 5-15 words; not swept).
TEASER_MAX_WORDS = 15
# Page-kind rules, for non-articles the labelled pages lack (the page model never saw one): an
# error page's or a search page's heading, alone on a short line near the top. Phrases chosen by
# hand from what common CMSs print; a line reading only "404", "Error 404", "Page not found",
# "Search results for …", "1,240 results for …" and the like. Not "No results found": search
# widgets print it on every page. On the whole corpus (8,644 dumps and renderings) they fire on
# 14 pages: 12 real error pages (CleanEval pages that were 404s when crawled, two dead product
# pages), two shop collections; on no article of train, dev, sanity or weak.
KIND_WINDOW = 40  # the first blocks of the page that are looked at
KIND_MAX_WORDS = 12  # a heading, not a sentence of an article that mentions one
ERROR_PAGE_RE = re.compile(
    r"^\W*(?:(?:(?:http\s+)?error\s*)?(?:400|401|403|404|410|500|502|503)\b\W*"
    r"(?:error|not\s+found|page\s+not\s+found|forbidden|gone|server\s+error)?\W*$"
    r"|(?:sorry[,!.]?\s+)?(?:the\s+|this\s+)?page\s+(?:you\s+(?:were\s+|are\s+)?(?:looking\s+for|requested)\s+)?"
    r"(?:(?:was|is|could|can)\s*(?:not|n.t)\s+(?:be\s+)?found|not\s+found|does\s*(?:not|n.t)\s+exist"
    r"|no\s+longer\s+exists|is\s+no\s+longer\s+available)\W*$)",
    re.IGNORECASE,
)
SEARCH_PAGE_RE = re.compile(
    r"^\W*(?:search\s+results?\s*(?:for\b|:)|(?:showing\s+|about\s+)?[\d,.]+\s+results?\s+(?:for|found)\b"
    r"|your\s+search\s+(?:for\b|returned\b|did\s+not\s+match))",
    re.IGNORECASE,
)
PAGE_RULES = (("error-page", ERROR_PAGE_RE), ("search-results", SEARCH_PAGE_RE))
# A page of which nothing is kept has no article, whatever the page model says of it.
EMPTY_RULE = "empty-page"
PRICE_RE = re.compile(r"[$€£¥₹]\s?\d|\d(?:[.,]\d{2})?\s?(?:€|EUR|USD|kr)\b")

PAGE_FEATURE_NAMES = (
    "log_blocks",
    "log_chars",
    "log_content_chars",
    "content_share",
    "log_content_blocks",
    "max_probability",
    "top_probability",
    "sure_share",
    "log_prose_blocks",
    "prose_share_of_content",
    "log_longest_run_chars",
    "longest_run_share",
    "log_runs",
    "mean_content_words",
    "teaser_share",
    "has_title",
    "meta_blocks",
    "price_share",
    "date_share",
    "log_longest_block",
)
# From HTML only: what the markup calls the page, and where its kept text sits (character-weighted
# means over the kept blocks of their DOM features: in links, headings, list items).
HTML_PAGE_FEATURE_NAMES = ("markup_article", "content_in_links", "content_in_headings", "content_in_lists")
_DOM_COLUMNS = ("dom_link", "dom_h2_6", "dom_list_item")
# Width of a block's DOM features (the last columns of an HTML model's block features), and where
# the _DOM_COLUMNS sit among them: looked up once, not per page.
DOM_WIDTH = len(dom_feature_names())
_DOM_INDICES = tuple(dom_feature_names().index(name) for name in _DOM_COLUMNS)


def _runs(content: np.ndarray, chars: np.ndarray) -> list[float]:
    """Characters in each run of consecutive content blocks."""
    runs: list[float] = []
    previous = False
    for kept, size in zip(content, chars, strict=True):
        if kept and previous:
            runs[-1] += float(size)
        elif kept:
            runs.append(float(size))
        previous = bool(kept)
    return runs


def _is_prose(text: str, words: float) -> bool:
    return words >= PROSE_MIN_WORDS and TERMINAL_RE.search(text.rstrip()) is not None


def page_features(
    blocks: list[Block],
    verdicts: list[Verdict],
    dom: np.ndarray | None = None,
    markup: float = MARKUP_UNKNOWN,
) -> np.ndarray:
    """One row of ``PAGE_FEATURE_NAMES`` describing the judged page; for a page from HTML
    (``dom``: its blocks' DOM features, see ``declutter.dom.dom_feature_names``; ``markup``: see
    ``declutter.metadata.markup_kind``) followed by ``HTML_PAGE_FEATURE_NAMES``."""
    if len(blocks) != len(verdicts):
        raise ValueError(f"{len(verdicts)} verdicts for {len(blocks)} blocks")
    texts = [b.text for b in blocks]
    chars = np.array([len(t) for t in texts], dtype=float)
    words = np.array([word_count(t) for t in texts], dtype=float)
    probabilities = np.array([v.probability for v in verdicts], dtype=float)
    content = np.array([v.label.is_content for v in verdicts], dtype=bool)
    prose = np.array([_is_prose(t, w) for t, w in zip(texts, words, strict=True)], dtype=bool)
    runs = _runs(content, chars)
    content_chars = float(chars[content].sum())
    n = max(len(blocks), 1)
    kept = max(int(content.sum()), 1)
    teasers = sum(
        1
        for t, w, c in zip(texts, words, content, strict=True)
        if c and w <= TEASER_MAX_WORDS and not _is_prose(t, w)
    )
    top = np.sort(probabilities)[::-1][:TOP_BLOCKS] if len(probabilities) else np.zeros(1)
    row = [
        math.log1p(len(blocks)),
        math.log1p(float(chars.sum())),
        math.log1p(content_chars),
        content_chars / max(float(chars.sum()), 1.0),
        math.log1p(int(content.sum())),
        float(top[0]),
        float(top.mean()),
        float((probabilities >= SURE_PROBABILITY).sum()) / n,
        math.log1p(int((prose & content).sum())),
        float(chars[prose & content].sum()) / max(content_chars, 1.0),
        math.log1p(max(runs, default=0.0)),
        max(runs, default=0.0) / max(content_chars, 1.0),
        math.log1p(len(runs)),
        float(words[content].mean()) if content.any() else 0.0,
        teasers / kept,
        float(any(v.label is Label.TITLE for v in verdicts)),
        float(sum(v.label is Label.META for v in verdicts)),
        sum(1 for t in texts if PRICE_RE.search(t)) / n,
        sum(1 for t in texts if is_date_line(t)) / n,
        math.log1p(float(chars.max()) if len(chars) else 0.0),
    ]
    if dom is not None:
        row += [markup, *_kept_dom(dom, content, chars)]
    return np.array([row], dtype=float)


def _kept_dom(dom: np.ndarray, content: np.ndarray, chars: np.ndarray) -> list[float]:
    """The kept blocks' character-weighted mean of the ``_DOM_COLUMNS`` features."""
    weights = chars * content
    if not weights.sum():
        return [0.0] * len(_DOM_COLUMNS)
    return [float(np.average(dom[:, column], weights=weights)) for column in _DOM_INDICES]


def page_rule(blocks: list[Block]) -> str | None:
    """The name of the page-kind rule the page matches (see ``PAGE_RULES``), or None."""
    for block in blocks[:KIND_WINDOW]:
        text = block.text.strip()
        if not text or word_count(text) > KIND_MAX_WORDS:
            continue
        for name, pattern in PAGE_RULES:
            if pattern.search(text):
                return name
    return None
