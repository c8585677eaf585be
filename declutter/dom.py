"""DOM features of an HTML page's lines: where in the page's structure each line's text sits.

While the page is rendered (see :func:`declutter.render.render_tracked`), every shown element gets a
context: which tags and which class/id/role tokens (nav, footer, related, promo, share, comment…) it
and its ancestors carry, and its depth. Each rendered line then gets the share of its characters
under each flag, and each block the mean over its lines, its neighbours' and its page's.

Each line also gets its groups: the block-level element that holds its box (its container) and the
one that holds that (its outer container). Lines that share a container are siblings in the markup,
like the paragraphs of one article body; the smoother compares a block with its siblings.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Any, NamedTuple

import numpy as np

from declutter.features import window_mean
from declutter.lexicon import alternatives, literal_start
from declutter.render import BLOCK_LEVEL_TAGS, PRE_TAGS, Element, parse_html, render_tracked, visible_chars
from declutter.segmenter import Block, split_lines

# Bumped whenever these features change: an HTML model records the version it was trained with.
# 4: the HTML smoother reads the blocks' groups without the text model's lexical cohesion.
DOM_FEATURE_VERSION = 4

# Tag flags: set on an element of one of these tags and inherited by everything inside it.
TAG_FLAGS: dict[str, tuple[str, ...]] = {
    "link": ("a",),
    "nav": ("nav",),
    "aside": ("aside",),
    "header": ("header",),
    "footer": ("footer",),
    "figure": ("figure", "figcaption", "picture"),
    "list_item": ("li", "dt", "dd"),
    "h1": ("h1",),
    "h2_6": ("h2", "h3", "h4", "h5", "h6"),
    "paragraph": ("p",),
    "cell": ("td", "th"),
    "quote": ("blockquote", "q"),
    "form": ("form", "button", "label", "select", "option", "input", "fieldset"),
    "article": ("article", "main"),
    "time": ("time",),
    "emphasis": ("strong", "b", "em", "i"),
    "small": ("small", "sub", "sup", "cite"),
    "noscript": ("noscript", "object"),  # fallback content, shown because no script runs
}
# Class, id, role and itemprop tokens, matched on the lower-cased attribute values; a letter may
# not precede/follow where the pattern says so ("ad" must not match "header" or "download").
_B, _E = r"(?<![a-z])", r"(?![a-z])"
CLASS_FLAGS: dict[str, str] = {
    "c_nav": rf"nav(?:bar|igation|links?|menu)?{_E}|{_B}nav|menu|breadcrumb|toolbar|pagination|pager{_E}",
    "c_footer": rf"footer|{_B}foot{_E}|copyright|colophon|contentinfo",
    "c_related": (
        rf"related|recommend|{_B}more{_E}|{_B}also{_E}|trending|popular|most-?read|outbrain|taboola"
        rf"|read-?next|up-?next|teaser|{_B}latest{_E}|headlines{_E}"
    ),
    "c_promo": (
        rf"{_B}ads?{_E}|{_B}ad-|advert|sponsor|banner|{_B}dfp|adslot|adunit|promo|affiliate|commercial"
    ),
    "c_share": rf"share|sharing|social|facebook|twitter|whatsapp|pinterest|linkedin|addthis|{_B}print{_E}",
    "c_comment": r"comment|disqus|repl(?:y|ies)|discuss|respond",
    "c_sidebar": rf"sidebar|side-bar|widget|{_B}rail{_E}|{_B}aside{_E}|secondary|complementary",
    "c_header": rf"header|masthead|{_B}top-?bar|branding|{_B}logo",
    "c_content": (
        rf"article|content|story|{_B}post{_E}|post-?(?:body|content|text)|entry|{_B}body{_E}"
        rf"|articlebody|{_B}text{_E}|{_B}main{_E}|prose|rich-?text"
    ),
    "c_caption": rf"caption|credit|{_B}photo|image|{_B}img|gallery|media|figure|slideshow|video",
    "c_byline": rf"byline|author|{_B}date|timestamp|published|{_B}time{_E}|{_B}meta{_E}|dateline",
    "c_subscribe": rf"newsletter|subscri|sign-?up|paywall|{_B}log-?in|register|account|membership",
    "c_cookie": r"cookie|consent|gdpr|privacy",
    "c_tags": rf"{_B}tags?{_E}|{_B}topics?{_E}|keyword|categor",
    "c_hidden": rf"sr-only|screen-?reader|visually-?hidden|offscreen|{_B}hid(?:e|den){_E}",
    "c_title": rf"title|headline|heading|{_B}hed{_E}",
}
# Elements whose class/id tokens describe the whole page, not a region of it (WordPress's body
# classes name "comments-open", "has-sidebar"; Kotaku's list every feature switch): not read.
_PAGE_TAGS = frozenset({"html", "body"})
# One pass over the attribute values finds every category (each match names its group). This is
# the definition; _token_flags runs the equivalent _BRANCH_RE below, which is about 4x faster.
_CLASS_RE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in CLASS_FLAGS.items()))
_CLASS_BITS = {name: 1 << (len(TAG_FLAGS) + i) for i, name in enumerate(CLASS_FLAGS)}


def _branches() -> tuple[re.Pattern[str], dict[str, int]]:
    """``_CLASS_RE`` rewritten so that every top-level branch starts with a literal letter.

    The regex engine skips such a branch after one character comparison, where it has to enter
    every named group and run its lookbehinds at every position of a token. Each alternative of
    each category becomes one branch, in the same order (so the same alternative wins where two
    could match), with a leading ``(?<![a-z])`` moved after the letter as ``(?<![a-z].)`` and an
    empty group at its end naming it; the matches are the same (tests/test_dom.py)."""
    branches: list[str] = []
    bits: dict[str, int] = {}
    for name, pattern in CLASS_FLAGS.items():
        for alternative in alternatives(pattern):
            bounded = alternative.startswith(_B)
            first, rest = literal_start(alternative[len(_B) :] if bounded else alternative)
            if not first.isalpha():
                raise ValueError(f"{name}: {alternative!r} does not start with a letter")
            group = f"b{len(branches)}"
            bits[group] = _CLASS_BITS[name]
            branches.append(first + ("(?<![a-z].)" if bounded else "") + rest + f"(?P<{group}>)")
    return re.compile("|".join(branches)), bits


_BRANCH_RE, _BRANCH_BITS = _branches()
_TAG_BITS: dict[str, int] = {}
for _bit, _tags in enumerate(TAG_FLAGS.values()):
    for _tag in _tags:
        _TAG_BITS[_tag] = _TAG_BITS.get(_tag, 0) | 1 << _bit
FLAG_NAMES = (*TAG_FLAGS, *CLASS_FLAGS)
N_FLAGS = len(FLAG_NAMES)
# Class flags also count "near": set on the element itself or one of its two closest ancestors.
_CLASS_MASK = sum(_CLASS_BITS.values())
# Depth is divided by this so that it shares a scale with the flag shares (a scale, not a cap).
DEPTH_SCALE = 20.0
# Half-width, in blocks, of the window whose mean DOM features each block also gets.
DOM_WINDOW = 2

LINE_NAMES = (*FLAG_NAMES, *(f"near_{name}" for name in CLASS_FLAGS), "depth")
N_LINE = len(LINE_NAMES)


def dom_feature_names() -> list[str]:
    """Names of the DOM feature columns of a block."""
    return [
        *(f"dom_{name}" for name in LINE_NAMES),
        *(f"dom_win_{name}" for name in LINE_NAMES),
        *(f"dom_page_{name}" for name in LINE_NAMES),
    ]


class Context(NamedTuple):
    """An element's place in the page: flags on it or any ancestor, class flags near it, depth,
    the ids of its box (its closest block-level element), container and outer container, of
    the preformatted element (``<pre>``) and of the innermost ``<table>`` it sits in (0: none)."""

    flags: int
    own: int  # own class flags
    near2: int  # own class flags | the parent's
    near3: int  # own class flags | the parent's | the grandparent's
    depth: int
    box: int = 0
    container: int = 0
    outer: int = 0
    code: int = 0
    table: int = 0


_ROOT = Context(0, 0, 0, 0, 0)


@functools.lru_cache(maxsize=16384)
def _token_flags(token: str) -> int:
    """Class flags of one attribute token (a class name, an id; tokens repeat across pages)."""
    bits = 0
    for match in _BRANCH_RE.finditer(token):
        bits |= _BRANCH_BITS[match.lastgroup or ""]
    return bits


def clear_caches() -> None:
    """Forget the class tokens and attribute values seen so far (for benchmarks that start cold)."""
    _token_flags.cache_clear()
    _class_flags.cache_clear()


@functools.lru_cache(maxsize=16384)
def _class_flags(attributes: str) -> int:
    """Class flags of an element's joined attribute values (the same values recur on a page)."""
    bits = 0
    for token in attributes.split():
        bits |= _token_flags(token)
    return bits


class Tracker:
    """Makes each shown element's context from its parent's (see ``render.render_tracked``);
    one per page, as it numbers the page's boxes."""

    def __init__(self) -> None:
        self._next_id = itertools.count(1).__next__

    def __call__(self, el: Element, tag: str, parent: Context | None) -> Context:
        up = parent or _ROOT
        own = _TAG_BITS.get(tag, 0)
        if tag not in _PAGE_TAGS:  # class flags from class, id, role and itemprop
            get = el.get
            names, ids, role, prop = get("class"), get("id"), get("role"), get("itemprop")
            if names or ids or role or prop:
                own |= _class_flags(f"{names or ''} {ids or ''} {role or ''} {prop or ''}".lower())
        if tag in BLOCK_LEVEL_TAGS:
            box, container, outer = self._next_id(), up.box, up.container
        else:
            box, container, outer = up.box, up.container, up.outer
        own_class = own & _CLASS_MASK
        # tuple.__new__ skips the NamedTuple's Python-level __new__ (0.19 against 0.38 us a context)
        return _new_tuple(
            Context,
            (
                up.flags | own,
                own_class,
                own_class | up.own,
                own_class | up.near2,
                up.depth + 1,
                box,
                container,
                outer,
                box if tag in PRE_TAGS else up.code,
                box if tag == "table" else up.table,
            ),
        )


_new_tuple = tuple.__new__

# A line more than this share link text points away from the article (see LineDom.away).
MAX_TEXT_LINK_SHARE = 0.5
_LINK_COLUMN = LINE_NAMES.index("link")
_AWAY_COLUMNS = [LINE_NAMES.index(name) for name in ("nav", "aside", "footer")]
# A line is a list item when at least this share of its characters is (set by hand: a line is
# almost always wholly inside an item or wholly outside).
LIST_ITEM_SHARE = 0.5
_LIST_ITEM_COLUMN = LINE_NAMES.index("list_item")


_FLAG_SHIFTS = np.arange(N_FLAGS, dtype=np.int64)
_NEAR_SHIFTS = np.arange(len(TAG_FLAGS), N_FLAGS, dtype=np.int64)


def _context_vectors(contexts: list[Context | None]) -> np.ndarray:
    """The feature vector of each context: its flags, its near class flags, its scaled depth."""
    rows = np.array([(c.flags, c.near3, c.depth) if c else (0, 0, 0) for c in contexts], dtype=np.int64)
    rows = rows.reshape(-1, 3)
    flags = rows[:, :1] >> _FLAG_SHIFTS & 1
    near = rows[:, 1:2] >> _NEAR_SHIFTS & 1
    return np.hstack([flags, near, rows[:, 2:] / DEPTH_SCALE]).astype(float)


class LineDom(NamedTuple):
    """The DOM side of a rendered page's lines: features, the ids of each line's groups, and of
    the preformatted element each line sits in."""

    features: np.ndarray  # (lines, N_LINE): see LINE_NAMES
    groups: np.ndarray  # (lines, 2) int: the line's container and outer container (0: none)
    code: np.ndarray  # (lines,) int: the line's <pre> element (0: none); not a model feature
    table: np.ndarray  # (lines,) int: the line's innermost <table> (0: none); not a model feature

    def away(self) -> np.ndarray:
        """Per line: is it mostly link text (MAX_TEXT_LINK_SHARE), or inside ``<nav>``, ``<aside>``
        or ``<footer>`` (text that points away from the article)?"""
        if not len(self.features):
            return np.zeros(0, dtype=bool)
        inside: np.ndarray = self.features[:, _AWAY_COLUMNS].max(axis=1) > 0
        return inside | (self.features[:, _LINK_COLUMN] > MAX_TEXT_LINK_SHARE)

    def list_items(self) -> np.ndarray:
        """Per line: is it a list item (at least LIST_ITEM_SHARE of its characters in ``<li>``,
        ``<dt>`` or ``<dd>``)?"""
        if not len(self.features):
            return np.zeros(0, dtype=bool)
        shares: np.ndarray = self.features[:, _LIST_ITEM_COLUMN]
        return shares >= LIST_ITEM_SHARE


def line_dom(lines: list[str], pieces: list[tuple[str, Any]]) -> LineDom:
    """Each line's DOM features (the character-weighted mean of its text pieces' context vectors),
    groups, preformatted element and table (those of the piece its first character comes from)."""
    counts = np.array([visible_chars(p) for p, _ in pieces], dtype=float)
    keep = np.flatnonzero(counts > 0)
    out = np.zeros((len(lines), N_LINE))
    ids = np.zeros((len(lines), 4), dtype=np.int64)  # container, outer, code, table (0: none)
    if len(keep):
        contexts = [pieces[i][1] for i in keep]
        vectors = _context_vectors(contexts)
        counts = counts[keep]
        starts = np.concatenate([[0.0], np.cumsum(counts)])
        integral = np.vstack([np.zeros(N_LINE), np.cumsum(vectors * counts[:, None], axis=0)])
        line_counts = np.array([len("".join(line.split())) for line in lines], dtype=float)
        bounds = np.concatenate([[0.0], np.cumsum(line_counts)])
        at = _integral_at(np.minimum(bounds, starts[-1]), starts, integral, vectors)
        out[:] = (at[1:] - at[:-1]) / np.maximum(line_counts, 1.0)[:, None]
        first = _piece_at(bounds[:-1], starts, len(vectors))
        context_ids = np.array(
            [(c.container, c.outer, c.code, c.table) if c else (0, 0, 0, 0) for c in contexts], dtype=np.int64
        )
        ids[:] = context_ids[first]
        ids[line_counts == 0] = 0
    return LineDom(out, ids[:, :2], ids[:, 2], ids[:, 3])


def _piece_at(x: np.ndarray, starts: np.ndarray, n_pieces: int) -> np.ndarray:
    """The index of the piece covering each character position ``x``."""
    return np.clip(np.searchsorted(starts, x, side="right") - 1, 0, n_pieces - 1)


def _integral_at(x: np.ndarray, starts: np.ndarray, integral: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """The running integral of the piece vectors over character positions, at positions ``x``."""
    piece = _piece_at(x, starts, len(vectors))
    result: np.ndarray = integral[piece] + (x - starts[piece])[:, None] * vectors[piece]
    return result


class RenderedPage(NamedTuple):
    """An HTML page rendered to text, with the DOM side of each of its lines."""

    text: str
    dom: LineDom


def render_page(html: str) -> RenderedPage:
    """Parse and render a page (``<noscript>`` content shown, as with JavaScript off)."""
    return render_root(parse_html(html))


def render_root(root: Element, show_hidden: bool = False) -> RenderedPage:
    """Render a parsed page and compute its lines' DOM features and groups (``show_hidden``:
    hidden elements rendered too)."""
    text, pieces = render_tracked(root, Tracker(), show_hidden)
    return RenderedPage(text, line_dom(split_lines(text), pieces))


def block_groups(blocks: list[Block], groups: np.ndarray) -> np.ndarray:
    """Each block's groups: those of its first line."""
    if not blocks:
        return np.zeros((0, 2), dtype=np.int64)
    result: np.ndarray = groups[[b.start for b in blocks]]
    return result


def _block_means(blocks: list[Block], lines: np.ndarray) -> np.ndarray:
    """The mean of each block's lines' features (zeros for a block without lines)."""
    starts = np.array([b.start for b in blocks])
    counts = np.array([b.end - b.start for b in blocks])
    own = np.zeros((len(blocks), lines.shape[1]))
    full = counts > 0
    if full.any():
        bounds = np.column_stack([starts, starts + counts])[full].ravel()
        sums = np.add.reduceat(np.vstack([lines, np.zeros((1, lines.shape[1]))]), bounds, axis=0)[::2]
        own[full] = sums / counts[full, None]
    return own


def block_features(blocks: list[Block], lines: np.ndarray) -> np.ndarray:
    """Each block's DOM features: the mean of its lines', of its window's and of its page's
    (weighted by the blocks' lengths)."""
    n = len(blocks)
    if not n:
        return np.zeros((0, 3 * N_LINE), dtype=np.float32)
    weights = np.array([max(1, len(b.text)) for b in blocks], dtype=float)
    own = _block_means(blocks, lines)
    window = window_mean(own, DOM_WINDOW)
    page = np.broadcast_to((own * weights[:, None]).sum(axis=0) / weights.sum(), own.shape)
    return np.hstack([own, window, page]).astype(np.float32)
