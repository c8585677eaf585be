"""Sequence smoothing: context revises each block's probability from its neighbours' probabilities.

Like jusText's revision of short blocks, but learned: a second classifier (the smoother) sees the
first stage's features plus the first-stage probabilities around each block and across the page, so
an uncertain line takes the verdict its surroundings support. A third (the refiner) does the same
again on the smoother's probabilities (auto-context stacking: each pass carries evidence further
along the page).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy.sparse import csr_matrix

from declutter.article import is_prose
from declutter.cohesion import N_COHESION, PageTerms, cohesion_context, page_terms
from declutter.document import REASON_SMOOTHED, RULE_PREFIX, Verdict
from declutter.features import (
    MAX_DISTANCE,
    distances,
    feature_names,
    max_span,
    shift,
    window_mean,
    word_count,
)
from declutter.labels import Label
from declutter.segmenter import Block

# Offsets of neighbour probabilities fed to the smoother, and window half-widths for local means.
PROBABILITY_OFFSETS = (-5, -4, -3, -2, -1, 1, 2, 3, 4, 5)
WINDOWS = (1, 3, 7, 15)
# First-stage probability above which a block counts as confidently content (for distances/counts).
CONFIDENT = 0.8
PROSE_COLUMN = feature_names().index("own_prose")
WORDS_COLUMN = feature_names().index("own_log_words")
# Probability levels of the page's main spans: the contiguous run of blocks with the largest sum of
# words * (p - level). Chosen by hand (loose, even, strict); with them the smoother's dev token F1
# rose from 0.921 to 0.923 and the refiner's to 0.926 (same first stage, threshold 0.7).
SPAN_LEVELS = (0.3, 0.5, 0.7)
# A block of at most this many words does not break a run of confident blocks (a subheading, a
# "Advertisement" line inside the article). Chosen by hand, not swept.
RUN_GAP_WORDS = 3
RUN_LEVEL = 0.5
N_PAGE_CONTEXT = 3 + 4 * len(SPAN_LEVELS) + 3
N_PROBABILITY_CONTEXT = 1 + len(PROBABILITY_OFFSETS) + len(WINDOWS) + 2 + 8
N_CONTEXT = N_PROBABILITY_CONTEXT + N_PAGE_CONTEXT


def _running_max(values: np.ndarray, reverse: bool) -> np.ndarray:
    ordered = values[::-1] if reverse else values
    result = np.maximum.accumulate(np.concatenate([[0.0], ordered[:-1]])) if len(values) else ordered
    return result[::-1] if reverse else result


def probability_context(p: np.ndarray, prose: np.ndarray) -> np.ndarray:
    """Features of the first-stage probabilities around each block, and across the document."""
    n = len(p)
    if not n:
        return np.zeros((0, N_PROBABILITY_CONTEXT))
    columns = [p]
    columns += [shift(p, o, -1.0) for o in PROBABILITY_OFFSETS]
    columns += [window_mean(p, h) for h in WINDOWS]
    columns += [_running_max(p, reverse=False), _running_max(p, reverse=True)]
    confident = (p >= CONFIDENT).astype(float)
    prose_p = p[prose > 0]
    columns += [
        np.full(n, float(p.mean())),
        np.full(n, float(prose_p.mean()) if len(prose_p) else 0.0),
        np.full(n, float(confident.sum())),
        np.cumsum(confident) - confident,
        confident[::-1].cumsum()[::-1] - confident,
        *distances(p >= CONFIDENT),
        window_mean(np.where(prose > 0, p, 0.0), WINDOWS[-1]),
    ]
    return np.column_stack(columns)


def _span_context(p: np.ndarray, words: np.ndarray, level: float) -> list[np.ndarray]:
    """Inside the page's main span at ``level``, signed distances to its ends, its word share."""
    start, end = max_span(words * (p - level))
    index = np.arange(len(p))
    share = float(words[start:end].sum()) / max(1.0, float(words.sum()))
    return [
        ((index >= start) & (index < end)).astype(float),
        np.clip(index - start, -MAX_DISTANCE, MAX_DISTANCE),
        np.clip(end - 1 - index, -MAX_DISTANCE, MAX_DISTANCE),
        np.full(len(p), share),
    ]


def _run_ids(confident: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Run number of each block in a run of confident blocks (-1 outside any run)."""
    ids = np.full(len(confident), -1)
    run, open_run = -1, False
    for i, (sure, count) in enumerate(zip(confident, words, strict=True)):
        if sure:
            run += 0 if open_run else 1
            open_run = True
            ids[i] = run
        elif count > RUN_GAP_WORDS:
            open_run = False
        elif open_run:
            ids[i] = run
    return ids


def _run_context(p: np.ndarray, words: np.ndarray) -> list[np.ndarray]:
    """The confident words of the block's run, against the page's largest run and all of them."""
    confident = p >= RUN_LEVEL
    ids = _run_ids(confident, words)
    inside = ids >= 0
    sums = np.bincount(ids[inside], weights=(words * confident)[inside]) if inside.any() else np.zeros(1)
    mine = np.where(inside, sums[np.maximum(ids, 0)], 0.0)
    largest = max(1.0, float(sums.max()))
    return [
        mine / largest,
        mine / max(1.0, float((words * confident).sum())),
        ((mine >= largest) & inside).astype(float),
    ]


def page_context(p: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Where a block's probability stands on its page: rank, gap to the top, main spans, runs."""
    n = len(p)
    if not n:
        return np.zeros((0, N_PAGE_CONTEXT))
    rank = np.empty(n)
    rank[p.argsort(kind="stable")] = np.arange(n) / max(1, n - 1)
    columns = [rank, p - p.max(), words / max(1.0, float(words.max()))]
    for level in SPAN_LEVELS:
        columns += _span_context(p, words, level)
    columns += _run_context(p, words)
    return np.column_stack(columns)


# Probability at which a block counts as content when measuring where a page's content sits.
GROUP_CONTENT_LEVEL = 0.5
N_GROUP_CONTEXT = 10


def context_width(html: bool) -> int:
    """Columns the smoother adds to the block features: a text model's lexical cohesion, an HTML
    model's group context instead (see :func:`smoothing_features`)."""
    return N_CONTEXT + (N_GROUP_CONTEXT if html else N_COHESION)


def _group_level(p: np.ndarray, words: np.ndarray, ids: np.ndarray) -> list[np.ndarray]:
    """A block against the other blocks of its group: their mean probability (-1 if it is alone),
    the group's top probability, its share of the page's words and of its likely content, its size."""
    ids = np.where(ids > 0, ids, -1 - np.arange(len(ids)))  # a line without a group is on its own
    _, inverse = np.unique(ids, return_inverse=True)
    weight = words + 1.0
    sums = np.bincount(inverse, weights=weight)
    others = sums[inverse] - weight
    mean = np.where(
        others > 0,
        (np.bincount(inverse, weights=weight * p)[inverse] - weight * p) / np.maximum(others, 1e-9),
        -1.0,
    )
    top = np.full(int(inverse.max()) + 1, -1.0)
    np.maximum.at(top, inverse, p)
    content = weight * (p >= GROUP_CONTENT_LEVEL)
    return [
        mean,
        top[inverse],
        sums[inverse] / float(sums.sum()),
        np.bincount(inverse, weights=content)[inverse] / max(1.0, float(content.sum())),
        np.log1p(np.bincount(inverse)[inverse].astype(float)),
    ]


def group_context(p: np.ndarray, words: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Each block against its siblings in the markup: those in its container, in its outer one."""
    if not len(p):
        return np.zeros((0, N_GROUP_CONTEXT))
    columns = _group_level(p, words, groups[:, 0]) + _group_level(p, words, groups[:, 1])
    return np.column_stack(columns)


def block_words(features: np.ndarray) -> np.ndarray:
    """Each block's word count, from its features (float32, as the shipped models were trained)."""
    words: np.ndarray = np.expm1(features[:, WORDS_COLUMN])
    return words


def smoothing_page(
    terms: csr_matrix, features: np.ndarray, groups: np.ndarray | None
) -> PageTerms | np.ndarray:
    """What the smoother reads of a page besides probabilities: an HTML page's block ``groups``,
    a text page's cohesion terms (from its term rows and block features)."""
    if groups is not None:
        return groups
    return page_terms(terms, block_words(features))


def smoothing_features(features: np.ndarray, p: np.ndarray, page: PageTerms | np.ndarray) -> np.ndarray:
    """The smoother's input: the block features plus the probability context of ``p`` and, for a
    text dump, the blocks' lexical cohesion (``page``: a :class:`declutter.cohesion.PageTerms`);
    for a page from HTML, its blocks' group context instead (``page``: their groups, see
    :func:`group_context`; with cohesion as well it scored no better: README, "HTML")."""
    prose = features[:, PROSE_COLUMN]
    words = block_words(features)
    context = [probability_context(p, prose), page_context(p, words)]
    if isinstance(page, PageTerms):
        context.append(cohesion_context(page, p))
    else:
        context.append(group_context(p, words.astype(float), page))
    return np.hstack([features, *context]).astype(np.float32)


def refining_features(
    features: np.ndarray,
    first: np.ndarray,
    smoothed: np.ndarray,
    page: PageTerms | np.ndarray,
) -> np.ndarray:
    """The refiner's input: the smoother's input rebuilt on smoothed probabilities, plus the first."""
    rebuilt = smoothing_features(features, smoothed, page)
    return np.hstack([rebuilt, first[:, None]]).astype(np.float32)


# A short block (a subheading) the model is unsure of, between two kept blocks, is kept with them,
# as jusText revises short blocks from their neighbours. At least this probability, at most this
# many words. Chosen by hand, not swept (on dev the revision costs about 0.001 token F1; it keeps
# in-article subheadings, which ANNOTATION.md counts as body).
REVISE_MIN_PROBABILITY = 0.2
REVISE_MAX_WORDS = 12


def revise_short_blocks(blocks: list[Block], verdicts: list[Verdict]) -> list[Verdict]:
    """Keep an unsure short block between two kept blocks (an in-article subheading); blocks that
    a rule decided are neither revised nor counted as neighbours."""
    out = list(verdicts)
    free = [i for i, v in enumerate(out) if not v.reason.startswith(RULE_PREFIX)]
    for before, i, after in zip(free, free[1:], free[2:], strict=False):
        verdict = out[i]
        if verdict.label.is_content or verdict.probability < REVISE_MIN_PROBABILITY:
            continue
        if len(blocks[i].text.split()) > REVISE_MAX_WORDS:
            continue
        if out[before].label.is_content and out[after].label.is_content:
            out[i] = Verdict(Label.BODY, verdict.probability, REASON_SMOOTHED)
    return out


# The rule that keeps a code listing inside the article (see join_code_listings).
CODE_LISTING_RULE = "code_listing"


def join_code_listings(blocks: list[Block], verdicts: list[Verdict], code: list[int]) -> list[Verdict]:
    """A preformatted element (``<pre>``: a code listing, one block a line) inside the article is
    body as a whole: the article's text goes on around it.

    ``code`` is each block's preformatted element id (0: none; only HTML pages have them). The
    models learnt from news pages with almost no code (5 of 2,217 training pages hold a ``<pre>``)
    and judge each line of a listing alone, as a short unpunctuated line: mostly chrome. A listing
    is in the article when the nearest block before it is content, and either the nearest block
    after it is content or the text before it introduces it ("Run this:"); a listing's captions
    ("js", "Copy") are looked past (see :func:`_nearest`). Other listings keep their lines'
    verdicts (a page that is one ``<pre>``, like an RFC, has no prose around it)."""
    out = list(verdicts)
    for start, end in _spans(code):
        if _in_article(blocks, out, code, start, end):
            for i in range(start, end):
                if not out[i].label.is_content:
                    out[i] = Verdict(Label.BODY, out[i].probability, RULE_PREFIX + CODE_LISTING_RULE)
    return out


# A block ending with one of these introduces what follows ("Run this:", "主要内容包括："): a
# listing, table or list right after it belongs to the article.
INTRO_ENDINGS = (":", "：")


def introduces(text: str) -> bool:
    """Whether a block introduces what follows it (ends with a colon)."""
    return text.rstrip().endswith(INTRO_ENDINGS)


# A listing's caption ("js", "Copy code", "Output") has at most this many words; up to
# MAX_CAPTIONS of them on each side of a listing are looked past. Set by hand from the weak
# split's documentation pages (MDN, react.dev: a language name above each listing), not swept.
CAPTION_MAX_WORDS = 2
MAX_CAPTIONS = 2


def _in_article(blocks: list[Block], verdicts: list[Verdict], ids: list[int], start: int, end: int) -> bool:
    """Whether the listing or table ``blocks[start:end]`` lies in the article (see
    join_code_listings; ``ids``: each block's listing or table id, 0 for none)."""
    before = _nearest(blocks, verdicts, ids, range(start - 1, -1, -1))
    if before is None or not verdicts[before].label.is_content:
        return False
    after = _nearest(blocks, verdicts, ids, range(end, len(blocks)))
    if after is not None and verdicts[after].label.is_content:
        return True
    intro = _nearest(blocks, verdicts, ids, range(start - 1, -1, -1), any_caption=True)
    if intro is None or not verdicts[intro].label.is_content:
        return False
    return introduces(blocks[intro].text)


def _nearest(
    blocks: list[Block], verdicts: list[Verdict], ids: list[int], order: range, any_caption: bool = False
) -> int | None:
    """The first block in ``order`` outside any listing or table (``ids``) and not a dropped
    caption (with ``any_caption``: not a caption, dropped or kept; see _is_caption)."""
    captions = 0
    for i in order:
        if ids[i]:
            continue
        if _is_caption(blocks[i].text, verdicts[i], any_caption) and captions < MAX_CAPTIONS:
            captions += 1
            continue
        return i
    return None


def _is_caption(text: str, verdict: Verdict, any_caption: bool) -> bool:
    """Whether a block is a caption: short, and dropped; with ``any_caption``, short whatever its
    verdict, unless it ends with a colon ("Output:" is the introduction being looked for)."""
    if word_count(text) > CAPTION_MAX_WORDS:
        return False
    return not introduces(text) if any_caption else not verdict.label.is_content


# A <pre> is a code listing, to be hidden from the models, when less than this share of its
# characters is in prose blocks (>= 10 words ending a sentence): text set in <pre> (a poem, a
# plain-text article) is judged as text. Set by hand, not swept.
MAX_LISTING_PROSE = 0.5
# ... and only on a page with at most this share of its characters in <pre>: a page set in
# <pre> (an RFC, a mailing-list archive) is judged as text throughout. Set by hand: sanity's
# RFC page lost half its recall when its pages were hidden.
MAX_LISTING_SHARE = 0.5


def code_listings(blocks: list[Block], code: list[int]) -> np.ndarray:
    """Which blocks lie in a code listing that the models should not see as context: a ``<pre>``
    that is not prose, on a page that is mostly not ``<pre>`` (``code``: see join_code_listings).

    The models learnt from pages without code, and a listing's lines, each judged chrome, pull
    down the prose around them; the pipeline judges the other blocks as if the listings were
    not there, and :func:`join_code_listings` then decides the listings."""
    hidden = np.zeros(len(blocks), dtype=bool)
    chars = np.array([len(b.text) for b in blocks], dtype=np.int64)
    if not len(blocks) or chars[np.array(code, dtype=bool)].sum() > MAX_LISTING_SHARE * chars.sum():
        return hidden
    for start, end in _spans(code):
        prose = sum(len(b.text) for b in blocks[start:end] if is_prose(b.text))
        if prose < MAX_LISTING_PROSE * chars[start:end].sum():
            hidden[start:end] = True
    return hidden


def _spans(ids: list[int]) -> Iterator[tuple[int, int]]:
    """Each run of consecutive blocks with the same element id, other than 0: (start, end)."""
    start = 0
    while start < len(ids):
        end = start + 1
        while ids[start] and end < len(ids) and ids[end] == ids[start]:
            end += 1
        if ids[start]:
            yield start, end
        start = end


# The rule that keeps a list its text introduces (see join_introduced_lists).
LIST_RULE = "list"


def join_introduced_lists(
    blocks: list[Block], verdicts: list[Verdict], item: list[bool], away: list[bool]
) -> list[Verdict]:
    """The list right after a content block that ends with a colon ("Key topics include:") is
    body, all its items: ANNOTATION.md's "lists that belong to the text", whose short items the
    models judge one by one as chrome.

    ``item``: whether each block is a list item (``<li>``, ``<dt>``, ``<dd>``; in a text dump, a
    short block: see short_blocks); ``away``: whether it is mostly link text or sits in
    navigation (``LineDom.away``; all False for a dump). The list is the run of items
    after the colon; it ends at the first block that is not an item, points away or was dropped
    by a rule (a share bar, an advert). A list has no length limit: capping a dump's lists at 20
    items kept some footers out but cut long directories short (text aux 0.8999 -> 0.8997,
    sanity 0.9146 -> 0.9145, weak 0.7630 -> 0.7629)."""
    out = list(verdicts)
    i = 0
    while i < len(blocks):
        if not out[i].label.is_content or not introduces(blocks[i].text):
            i += 1
            continue
        end = i + 1
        while end < len(blocks) and item[end] and not away[end] and not _ruled_out(out[end]):
            end += 1
        for k in range(i + 1, end):
            if not out[k].label.is_content:
                out[k] = Verdict(Label.BODY, out[k].probability, RULE_PREFIX + LIST_RULE)
        i = max(end, i + 1)  # an item ending with a colon does not start the list again
    return out


# A text dump does not mark its list items: there, an item is a block of at most this many words
# (counted as the features count them, a CJK character half a word). Measured with the shipped
# text model against no list rule in dumps (token F1): dev 0.9439 -> 0.9440, sanity 0.9139 ->
# 0.9146, aux 0.8994 -> 0.8999, weak 0.7619 -> 0.7630; 20 words gave 0.9440, 0.9147 and 0.9002 on
# the first three.
LIST_ITEM_MAX_WORDS = 12


def short_blocks(blocks: list[Block]) -> list[bool]:
    """Per block: could it be a list item of a text dump (at most LIST_ITEM_MAX_WORDS words)?"""
    return [word_count(b.text) <= LIST_ITEM_MAX_WORDS for b in blocks]


def _ruled_out(verdict: Verdict) -> bool:
    """Whether a rule dropped the block."""
    return not verdict.label.is_content and verdict.reason.startswith(RULE_PREFIX)


# The rule that keeps a data table inside the article (see join_tables).
TABLE_RULE = "table"
# A data table has at least this many blocks (rows); a lone tabbed line is a menu as often.
MIN_TABLE_BLOCKS = 2


def join_tables(
    blocks: list[Block], verdicts: list[Verdict], table: list[int], away: list[bool]
) -> list[Verdict]:
    """A table inside the article (as join_code_listings finds a listing inside it), with at
    least MIN_TABLE_BLOCKS blocks, none of them content, dropped by a rule or pointing away from
    the article, is body as a whole:
    ANNOTATION.md's "tables that belong to the text" (a data table, a comparison), whose short
    cells the models judge one by one as chrome. A table holding content blocks is left alone:
    a layout table holds the article itself, and its menus with it.

    ``table``: each block's table id (0: none): an HTML page's innermost ``<table>``, a dump's run
    of tabbed blocks (``tab_runs``). ``away``: whether a block is mostly link text or sits in
    navigation (``LineDom.away``; all False for a dump)."""
    out = list(verdicts)
    for start, end in _spans(table):
        data = end - start >= MIN_TABLE_BLOCKS and _is_data(out, away, start, end)
        if data and _in_article(blocks, out, table, start, end):
            for i in range(start, end):
                out[i] = Verdict(Label.BODY, out[i].probability, RULE_PREFIX + TABLE_RULE)
    return out


def _is_data(verdicts: list[Verdict], away: list[bool], start: int, end: int) -> bool:
    """No block of the span is content, was dropped by a rule (a share bar, an advert) or
    points away from the article."""
    return not any(
        v.label.is_content or _ruled_out(v) or gone
        for v, gone in zip(verdicts[start:end], away[start:end], strict=True)
    )


def tab_runs(blocks: list[Block]) -> list[int]:
    """A text dump's tables: each run of consecutive blocks holding a tab (a browser's innerText
    separates table cells with tabs) numbered from 1; 0 for every other block."""
    out = [0] * len(blocks)
    run = 0
    for i, block in enumerate(blocks):
        if "\t" in block.text:
            if not i or not out[i - 1]:
                run += 1
            out[i] = run
    return out
