"""DOM features of an HTML page's lines: where in the page's structure each line's text sits.

While the page is rendered (see :func:`declutter.render.render_tracked`), every shown element gets a
context: which tags and which class/id/role tokens (nav, footer, related, promo, share, comment…) it
and its ancestors carry, and its depth. Each rendered line then gets the share of its characters
under each flag, and each block the mean over its lines, its neighbours' and its page's.
"""

from __future__ import annotations

import functools
import re
from typing import Any, NamedTuple

import lxml.html
import numpy as np

from declutter.features import window_mean
from declutter.render import parse_html, render_tracked, visible_chars
from declutter.segmenter import Block, split_lines

# Bumped whenever these features change: an HTML model records the version it was trained with.
DOM_FEATURE_VERSION = 2

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
_ATTRIBUTES = ("class", "id", "role", "itemprop")
# One pass over the attribute values finds every category (each match names its group).
_CLASS_RE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in CLASS_FLAGS.items()))
_CLASS_BITS = {name: 1 << (len(TAG_FLAGS) + i) for i, name in enumerate(CLASS_FLAGS)}
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
    """An element's place in the page: flags on it or any ancestor, class flags near it, depth."""

    flags: int
    own: int  # own class flags
    near2: int  # own class flags | the parent's
    near3: int  # own class flags | the parent's | the grandparent's
    depth: int


_ROOT = Context(0, 0, 0, 0, 0)


@functools.lru_cache(maxsize=16384)
def _token_flags(token: str) -> int:
    """Class flags of one attribute token (a class name, an id; tokens repeat across pages)."""
    bits = 0
    for match in _CLASS_RE.finditer(token):
        bits |= _CLASS_BITS[match.lastgroup or ""]
    return bits


def clear_caches() -> None:
    """Forget the class tokens seen so far (for benchmarks that must start cold)."""
    _token_flags.cache_clear()


def _class_flags(attributes: str) -> int:
    bits = 0
    for token in attributes.split():
        bits |= _token_flags(token)
    return bits


def track(el: lxml.html.HtmlElement, parent: Context | None) -> Context:
    """The context of a shown element, from its parent's (see ``render.Tracker``)."""
    up = parent or _ROOT
    attrib = el.attrib
    if attrib:
        attributes = " ".join([attrib.get(a, "") for a in _ATTRIBUTES]).lower()
        own = _TAG_BITS.get(el.tag, 0) | _class_flags(attributes)
    else:
        own = _TAG_BITS.get(el.tag, 0)
    if not own:
        return Context(up.flags, 0, up.own, up.near2, up.depth + 1)
    own_class = own & _CLASS_MASK
    return Context(up.flags | own, own_class, own_class | up.own, own_class | up.near2, up.depth + 1)


_FLAG_SHIFTS = np.arange(N_FLAGS, dtype=np.int64)
_NEAR_SHIFTS = np.arange(len(TAG_FLAGS), N_FLAGS, dtype=np.int64)


def _context_vectors(contexts: list[Context | None]) -> np.ndarray:
    """The feature vector of each context: its flags, its near class flags, its scaled depth."""
    rows = np.array([(c.flags, c.near3, c.depth) if c else (0, 0, 0) for c in contexts], dtype=np.int64)
    rows = rows.reshape(-1, 3)
    flags = rows[:, :1] >> _FLAG_SHIFTS & 1
    near = rows[:, 1:2] >> _NEAR_SHIFTS & 1
    return np.hstack([flags, near, rows[:, 2:] / DEPTH_SCALE]).astype(float)


def line_features(lines: list[str], pieces: list[tuple[str, Any]]) -> np.ndarray:
    """Each line's DOM features: the character-weighted mean of its text pieces' context vectors."""
    counts = np.array([visible_chars(p) for p, _ in pieces], dtype=float)
    keep = np.flatnonzero(counts > 0)
    out = np.zeros((len(lines), N_LINE))
    if not len(keep):
        return out
    vectors = _context_vectors([pieces[i][1] for i in keep])
    counts = counts[keep]
    starts = np.concatenate([[0.0], np.cumsum(counts)])
    integral = np.vstack([np.zeros(N_LINE), np.cumsum(vectors * counts[:, None], axis=0)])
    line_counts = np.array([len("".join(line.split())) for line in lines], dtype=float)
    bounds = np.concatenate([[0.0], np.cumsum(line_counts)])
    at = _integral_at(np.minimum(bounds, starts[-1]), starts, integral, vectors)
    out[:] = (at[1:] - at[:-1]) / np.maximum(line_counts, 1.0)[:, None]
    return out


def _integral_at(x: np.ndarray, starts: np.ndarray, integral: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """The running integral of the piece vectors over character positions, at positions ``x``."""
    piece = np.clip(np.searchsorted(starts, x, side="right") - 1, 0, len(vectors) - 1)
    result: np.ndarray = integral[piece] + (x - starts[piece])[:, None] * vectors[piece]
    return result


class RenderedPage(NamedTuple):
    """An HTML page rendered to text, with the DOM features of each of its lines."""

    text: str
    lines: np.ndarray


def render_page(html: str) -> RenderedPage:
    """Parse and render a page (``<noscript>`` content shown, as with JavaScript off)."""
    return render_root(parse_html(html))


def render_root(root: lxml.html.HtmlElement) -> RenderedPage:
    """Render a parsed page and compute its lines' DOM features."""
    text, pieces = render_tracked(root, track)
    return RenderedPage(text, line_features(split_lines(text), pieces))


def block_features(blocks: list[Block], lines: np.ndarray) -> np.ndarray:
    """Each block's DOM features: the mean of its lines', of its window's and of its page's
    (weighted by the blocks' lengths)."""
    n = len(blocks)
    if not n:
        return np.zeros((0, 3 * N_LINE), dtype=np.float32)
    weights = np.array([max(1, len(b.text)) for b in blocks], dtype=float)
    own = np.zeros((n, N_LINE))
    for i, block in enumerate(blocks):
        own[i] = lines[block.start : block.end].mean(axis=0) if block.end > block.start else 0.0
    window = window_mean(own, DOM_WINDOW)
    page = np.broadcast_to((own * weights[:, None]).sum(axis=0) / weights.sum(), own.shape)
    return np.hstack([own, window, page]).astype(np.float32)
