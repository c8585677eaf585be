"""Featurizing blocks: what a block looks like, and where it sits in its document.

Everything here is script-agnostic at its core (lengths, punctuation, case, digits, position,
neighbours, section state); the multilingual word lists of :mod:`declutter.lexicon` only add to it.
Feature code lives here, outside the pickled model; the model records ``FEATURE_VERSION``.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections import Counter

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction._hashing_fast import transform as _hash_rows
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2 as _normalize_rows_l2

from declutter.lexicon import META_LEAD_RE, SECTION_END_RE, count_chrome_words, has_date
from declutter.segmenter import Block

# 4: the smoother's page context and the refiner (a model of version 3 lacks both).
# 5: the smoother's and refiner's lexical cohesion columns (declutter.cohesion).
FEATURE_VERSION = 5

TOKEN_RE = re.compile(r"\w+")
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
SENTENCE_END_RE = re.compile(r"[.!?。！？](?=[\s\"'”’)\]»]|$)")
TERMINAL_RE = re.compile(r"[.!?。！？…][\"'”’)\]»]*$")
SEPARATOR_RE = re.compile(r"\s[|•·›»/>]\s|\s-\s")
# The lookaheads of URL_RE and CAPTION_RE list the first characters of their alternatives: the regex
# engine skips every other position in one test.
URL_RE = re.compile(r"(?=[@.hw])(?:https?://|www\.|\.(?:com|org|net|html?|php)\b|@\w)", re.IGNORECASE)
BULLET_RE = re.compile(r"^(?:[-*+•·◦▪►]|\d{1,3}[.)])\s")
COPYRIGHT_RE = re.compile(r"©|\(c\)|&copy;", re.IGNORECASE)
# Words of image captions and credits: "(left)", "pictured", "File photo", "Getty Images".
CAPTION_RE = re.compile(
    r"(?=[(/acfgip])(?:"
    r"\((?:left|right|center|centre|top|bottom|pictured|file)\)|\bpictured\b|\bfile photo\b|"
    r"\b(?:photo|image|picture|photograph|credit)s?\s*(?::|by\b)|\bgetty\b|\bap photo\b|"
    r"/(?:reuters|afp|ap)\b)",
    re.IGNORECASE,
)
# A teaser's kicker: "WATCH THIS:", "Trending:", "MORE:" opening the block.
KICKER_RE = re.compile(r"^\W*[\w'’ ]{1,24}:\s+\S")
UPPER_WORD_RE = re.compile(r"\b[A-Z]{2,}\b")

# Prose: a block long enough and sentence-shaped enough to be an article paragraph. 10 tokens is
# the C4 heuristic's spirit (>= 3 words, terminal punctuation) made stricter; CJK counts per char.
PROSE_MIN_WORDS = 10
# Penalty (in characters) a non-prose block costs the main-span search; two spans are found, a
# tolerant one and a strict one. Chosen by hand (about one short line vs one short paragraph),
# not swept.
SPAN_PENALTIES = (40.0, 150.0)
# Neighbour offsets whose features enter each block's row.
OFFSETS = (-3, -2, -1, 1, 2, 3)
# Cap for distances counted in blocks (chosen by hand: beyond 30 blocks, "far" is enough).
MAX_DISTANCE = 30.0
# Ratios are measured on the first characters only: long blocks are prose whatever their case.
RATIO_PREFIX = 300
# Character classes, counted in a copy of the text translated to one class letter per character;
# at most this many code points' classes are cached.
UPPER, LOWER, DIGIT, PUNCT, OTHER = "U", "L", "D", "P", "."
CHAR_CACHE_SIZE = 1 << 16

OWN_NAMES = (
    "log_chars",
    "log_words",
    "cjk_share",
    "n_lines",
    "ends_sentence",
    "ends_colon",
    "sentences",
    "commas",
    "upper_share",
    "title_case_share",
    "digit_share",
    "punct_share",
    "avg_word_len",
    "starts_lower",
    "starts_digit",
    "bullet",
    "separators",
    "url",
    "date",
    "meta_lead",
    "chrome_words",
    "section_end",
    "copyright",
    "all_caps",
    "quotes",
    "indent",
    "blank_before",
    "blank_after",
    "prose",
    "caption_words",
    "caps_words",
    "kicker",
)
NEIGHBOUR_NAMES = ("log_chars", "log_words", "ends_sentence", "prose", "chrome_words", "date", "text")
CONTEXT_NAMES = (
    "position",
    "log_blocks",
    "dup_count",
    "dup_before",
    "prose_before",
    "prose_after",
    "dist_prose_before",
    "dist_prose_after",
    "window_prose",
    "span0_in",
    "span0_from_start",
    "span0_to_end",
    "span1_in",
    "span1_from_start",
    "span1_to_end",
    "since_marker",
    "marker_after_prose",
    "prose_after_marker",
    "rel_length",
    "text",
    *(f"w{h}_{n}" for h in (5, 12) for n in ("prose", "log_words", "short", "text")),
)
# Half-widths of the wider windows whose means describe a block's neighbourhood.
WIDE_WINDOWS = (5, 12)
# A block of at most this many words is "short" (menu items, link lists).
SHORT_WORDS = 4


def feature_names() -> list[str]:
    """Column names of :func:`featurize`'s matrix, in order."""
    names = [f"own_{n}" for n in OWN_NAMES] + [f"ctx_{n}" for n in CONTEXT_NAMES]
    names += [f"n{o:+d}_{n}" for o in OFFSETS for n in NEIGHBOUR_NAMES]
    return names


# Texts whose features and word counts are remembered: menu items, share buttons and bylines
# repeat across a site's pages and within a page, and both depend on the text alone.
TEXT_FEATURE_CACHE = 1 << 16


@functools.lru_cache(maxsize=TEXT_FEATURE_CACHE)
def word_count(text: str) -> float:
    """Word count that treats each CJK character as half a word (remembered: the article,
    page-kind and section rules ask again for the blocks the features counted)."""
    return len(TOKEN_RE.findall(text)) + 0.5 * len(CJK_RE.findall(text))


class _CharClasses(dict[int, str]):
    """Code point -> character class (``UPPER``, ``LOWER``, ``DIGIT``, ``PUNCT`` or ``OTHER``), cached.

    The classes are those of the regexes they replace: ``DIGIT`` is ``\\d``, ``PUNCT`` is ``[^\\w\\s]``.
    """

    def __missing__(self, code: int) -> str:
        value = _char_class(chr(code))
        if len(self) < CHAR_CACHE_SIZE:
            self[code] = value
        return value


def _char_class(char: str) -> str:
    """The class of one character: a cased letter, a decimal digit, punctuation, or other."""
    if char.isalpha():
        return UPPER if char.isupper() else LOWER if char.islower() else OTHER
    if char.isdecimal():
        return DIGIT
    return OTHER if char.isalnum() or char == "_" or char.isspace() else PUNCT


_CHAR_CLASSES = _CharClasses()


def _upper_share(classes: str) -> float:
    """Share of upper-case letters among the cased letters, given the characters' classes."""
    upper = classes.count(UPPER)
    cased = upper + classes.count(LOWER)
    return upper / cased if cased else 0.0


def _ratios(head: str, tokens: list[str]) -> tuple[float, float, float, float, float]:
    """Shares of uppercase letters, title-case words, digits, punctuation; mean word length
    (``tokens``: the word tokens of ``head``)."""
    classes = head.translate(_CHAR_CLASSES)
    upper = _upper_share(classes)
    title = _upper_share("".join([t[0] for t in tokens]).translate(_CHAR_CLASSES))
    size = max(1, len(head))
    digits = classes.count(DIGIT) / size
    punct = classes.count(PUNCT) / size
    avg = sum(map(len, tokens)) / len(tokens) if tokens else 0.0
    return upper, title, digits, punct, avg


def _caps_words(head: str, tokens: list[str]) -> float:
    """Share of words written in capitals ("NO FEAR", "DEATH FROM ABOVE"); ``tokens``: of ``head``."""
    return len(UPPER_WORD_RE.findall(head)) / len(tokens) if tokens else 0.0


def _head_count(pattern: re.Pattern[str], text: str, count: int) -> int:
    """Matches of ``pattern`` in the first ``RATIO_PREFIX`` characters, given ``count`` in all."""
    return count if len(text) <= RATIO_PREFIX else len(pattern.findall(text[:RATIO_PREFIX]))


def own_features(block: Block, lines: list[str]) -> list[float]:
    """What one block looks like, on its own."""
    looks = text_features(block.text)
    raw = lines[block.start]
    return [
        *looks[:3],
        block.end - block.start,
        *looks[3:24],
        min(20, len(raw) - len(raw.lstrip())),
        float(block.start > 0 and not lines[block.start - 1].strip()),
        float(block.end < len(lines) and not lines[block.end].strip()),
        *looks[24:],
    ]


@functools.lru_cache(maxsize=TEXT_FEATURE_CACHE)
def text_features(text: str) -> tuple[float, ...]:
    """The own features that depend on a block's text alone (see :func:`own_features`)."""
    head = text[:RATIO_PREFIX]
    tokens = TOKEN_RE.findall(text)
    head_tokens = tokens if len(text) <= RATIO_PREFIX else TOKEN_RE.findall(head)
    cjk = len(CJK_RE.findall(text))
    words = len(tokens) + 0.5 * cjk  # word_count(text), from the counts made once here
    upper, title, digits, punct, avg = _ratios(head, head_tokens)
    ends_sentence = bool(TERMINAL_RE.search(text))
    short = words <= 8
    stripped = text.lstrip()
    first = stripped[:1]
    return (
        math.log1p(len(text)),
        math.log1p(words),
        _head_count(CJK_RE, text, cjk) / max(1, min(len(text), RATIO_PREFIX)),
        float(ends_sentence),
        float(text.endswith(":")),
        min(20, len(SENTENCE_END_RE.findall(text))),
        min(20, text.count(",") + text.count("，") + text.count("、")),
        upper,
        title,
        digits,
        punct,
        avg,
        float(first.islower()),
        float(first.isdigit()),
        float(bool(BULLET_RE.match(stripped))),
        min(10, len(SEPARATOR_RE.findall(text))),
        float(bool(URL_RE.search(text))),
        float(has_date(head)),
        float(bool(META_LEAD_RE.match(text))),
        min(5, count_chrome_words(head)) if short else 0.0,
        float(short and bool(SECTION_END_RE.match(text))),
        float(bool(COPYRIGHT_RE.search(text))),
        float(upper > 0.9 and len(text) > 3),
        float(first in "\"“„«'‘"),
        float(words >= PROSE_MIN_WORDS and ends_sentence),
        min(3, len(CAPTION_RE.findall(head))),
        _caps_words(head, head_tokens),
        float(bool(KICKER_RE.match(text))),
    )


def max_span(scores: np.ndarray) -> tuple[int, int]:
    """The contiguous range [start, end) with the largest sum (Kadane)."""
    best, best_range = -math.inf, (0, 0)
    running, start = 0.0, 0
    for i, value in enumerate(scores):
        if running <= 0:
            running, start = 0.0, i
        running += float(value)
        if running > best:
            best, best_range = running, (start, i + 1)
    return best_range


def distances(flags: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Blocks since the previous flagged block and until the next one (capped)."""
    n = len(flags)
    before = np.full(n, MAX_DISTANCE)
    after = np.full(n, MAX_DISTANCE)
    last = -1
    for i in range(n):
        if last >= 0:
            before[i] = min(MAX_DISTANCE, i - last)
        if flags[i]:
            last = i
    last = -1
    for i in range(n - 1, -1, -1):
        if last >= 0:
            after[i] = min(MAX_DISTANCE, last - i)
        if flags[i]:
            last = i
    return before, after


def _section_state(own: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per block: blocks since the last end-of-article heading, whether one came after the last
    prose block, and the share of the document's prose that follows that heading."""
    marker = own[:, OWN_NAMES.index("section_end")] > 0
    prose = own[:, OWN_NAMES.index("prose")] > 0
    chars = np.expm1(own[:, OWN_NAMES.index("log_chars")]) * prose
    total = max(1.0, float(chars.sum()))
    suffix = np.cumsum(chars[::-1])[::-1]
    n = len(own)
    since = np.full(n, MAX_DISTANCE)
    after_prose = np.zeros(n)
    share_after = np.zeros(n)
    last_marker, marker_fresh = -1, False
    for i in range(n):
        if last_marker >= 0:
            since[i] = min(MAX_DISTANCE, i - last_marker)
            after_prose[i] = float(marker_fresh)
            share_after[i] = suffix[last_marker] / total
        if marker[i]:
            last_marker, marker_fresh = i, True
        elif prose[i]:
            marker_fresh = False
    return since, after_prose, share_after


def _span_features(chars: np.ndarray, prose: np.ndarray, penalty: float) -> list[np.ndarray]:
    start, end = max_span(np.where(prose, chars, -penalty))
    index = np.arange(len(chars))
    inside = ((index >= start) & (index < end)).astype(float)
    return [
        inside,
        np.clip(index - start, -MAX_DISTANCE, MAX_DISTANCE),
        np.clip(end - 1 - index, -MAX_DISTANCE, MAX_DISTANCE),
    ]


@functools.lru_cache(maxsize=TEXT_FEATURE_CACHE)
def block_key(text: str) -> str:
    """A block's text for duplicate detection: lower-cased word tokens, single-spaced (remembered:
    the headline finder asks again for the blocks the features keyed)."""
    return " ".join(TOKEN_RE.findall(text.lower()))


def _duplicates(blocks: list[Block]) -> tuple[np.ndarray, np.ndarray]:
    keys = [block_key(b.text) for b in blocks]
    counts = Counter(keys)
    seen: set[str] = set()
    before = np.zeros(len(blocks))
    for i, key in enumerate(keys):
        before[i] = float(key in seen)
        seen.add(key)
    return np.log1p(np.array([counts[k] - 1 for k in keys], dtype=float)), before


def window_mean(values: np.ndarray, half: int) -> np.ndarray:
    """Mean of ``values`` (one row per block) over the window of ``half`` blocks either side
    (clipped at the ends)."""
    width = 2 * half + 1
    pad = np.zeros((half, *values.shape[1:]))
    sums = np.cumsum(np.concatenate([np.zeros((1, *values.shape[1:])), pad, values, pad]), axis=0)
    counts = np.cumsum(np.concatenate([[0.0], np.zeros(half), np.ones(len(values)), np.zeros(half)]))
    spans = (counts[width:] - counts[:-width]).reshape(-1, *([1] * (values.ndim - 1)))
    result: np.ndarray = (sums[width:] - sums[:-width]) / spans
    return result


def _wide_windows(own: np.ndarray, text: np.ndarray) -> list[np.ndarray]:
    prose = own[:, OWN_NAMES.index("prose")]
    log_words = own[:, OWN_NAMES.index("log_words")]
    short = (log_words <= np.log1p(SHORT_WORDS)).astype(float)
    return [window_mean(v, h) for h in WIDE_WINDOWS for v in (prose, log_words, short, text)]


def context_features(blocks: list[Block], own: np.ndarray, text: np.ndarray) -> np.ndarray:
    """Where each block sits: position, neighbourhood, main span, section state, duplicates."""
    n = len(blocks)
    prose = own[:, OWN_NAMES.index("prose")] > 0
    chars = np.expm1(own[:, OWN_NAMES.index("log_chars")])
    prose_chars = chars * prose
    total = max(1.0, float(prose_chars.sum()))
    cumulative = np.cumsum(prose_chars)
    dist_before, dist_after = distances(prose)
    padded = np.concatenate([np.zeros(3), prose_chars, np.zeros(3)])
    window = sum(padded[k : k + n] for k in range(7)) / total
    dup_count, dup_before = _duplicates(blocks)
    since, after_prose, share_after = _section_state(own)
    columns = [
        np.arange(n) / max(1, n - 1),
        np.full(n, math.log1p(n)),
        dup_count,
        dup_before,
        (cumulative - prose_chars) / total,
        (total - cumulative) / total,
        dist_before,
        dist_after,
        window,
        *_span_features(chars, prose, SPAN_PENALTIES[0]),
        *_span_features(chars, prose, SPAN_PENALTIES[1]),
        since,
        after_prose,
        share_after,
        chars / max(1.0, float(chars.max())),
        text,
        *_wide_windows(own, text),
    ]
    return np.column_stack(columns)


def neighbour_features(own: np.ndarray, text: np.ndarray) -> np.ndarray:
    """Selected features of the blocks at each offset in ``OFFSETS`` (missing neighbours: -1)."""
    picks = [OWN_NAMES.index(name) for name in NEIGHBOUR_NAMES[:-1]]
    base = np.column_stack([own[:, picks], text])
    return np.hstack([shift(base, offset, -1.0) for offset in OFFSETS])


def shift(values: np.ndarray, offset: int, fill: float) -> np.ndarray:
    """Row ``i`` of the result is row ``i + offset`` of ``values`` (``fill`` past either end)."""
    out = np.full_like(values, fill)
    n = len(values)
    if offset < 0 and n > -offset:
        out[-offset:] = values[: n + offset]
    elif offset > 0 and n > offset:
        out[: n - offset] = values[offset:]
    return out


def own_matrix(blocks: list[Block], lines: list[str]) -> np.ndarray:
    """The own-features matrix of a document's blocks."""
    if not blocks:
        return np.zeros((0, len(OWN_NAMES)))
    return np.array([own_features(b, lines) for b in blocks], dtype=float)


def featurize(blocks: list[Block], lines: list[str], text: np.ndarray) -> np.ndarray:
    """The full feature matrix: own, context and neighbour features (``text``: the text model's score)."""
    if not blocks:
        return np.zeros((0, len(feature_names())), dtype=np.float32)
    own = own_matrix(blocks, lines)
    matrix = np.hstack([own, context_features(blocks, own, text), neighbour_features(own, text)])
    return matrix.astype(np.float32)


def featurize_page(
    blocks: list[Block], lines: list[str], text: np.ndarray, dom: np.ndarray | None
) -> np.ndarray:
    """:func:`featurize`, followed by the blocks' DOM features when the page came as HTML
    (``dom``: the DOM features of each line, see :mod:`declutter.dom`)."""
    matrix = featurize(blocks, lines, text)
    if dom is None:
        return matrix
    from declutter.dom import block_features

    return np.hstack([matrix, block_features(blocks, dom)])


# The text model reads only a block's first characters: enough for "Advertisement" or "Share this
# article", and it keeps long paragraphs from dominating the hashed vocabulary.
TEXT_PREFIX = 200
TEXT_HASH_FEATURES = 2**18


def text_vectorizer() -> HashingVectorizer:
    """The stateless vectorizer of the text model: word 1-2-grams, hashed."""
    return HashingVectorizer(
        n_features=TEXT_HASH_FEATURES,
        analyzer="word",
        ngram_range=(1, 2),
        lowercase=True,
        token_pattern=r"(?u)\b\w+\b",
        alternate_sign=False,
        norm="l2",
    )


def text_inputs(blocks: list[Block]) -> list[str]:
    """What the text model reads of each block."""
    return [b.text[:TEXT_PREFIX] for b in blocks]


def text_terms(blocks: list[Block]) -> csr_matrix:
    """The blocks' term rows: what the text model and the cohesion features read.

    The same matrix as ``text_vectorizer().transform(text_inputs(blocks))`` (tests/test_features.py),
    built from the same tokens, hashes and normalisation without the vectorizer's per-call layers
    (parameter validation, nested generators, output wrapping: about a tenth of a page's time)."""
    if not blocks:
        return csr_matrix((0, TEXT_HASH_FEATURES))
    rows = [zip(_terms(text), _ONES, strict=False) for text in text_inputs(blocks)]
    indices, indptr, values = _hash_rows(rows, TEXT_HASH_FEATURES, np.float64, False, seed=0)
    matrix = csr_matrix((values, indices, indptr), shape=(len(blocks), TEXT_HASH_FEATURES))
    matrix.sum_duplicates()  # as FeatureHasher does; also sorts each row's columns
    _normalize_rows_l2(matrix)
    return matrix


_ONES = itertools.repeat(1)  # each term counts once (FeatureHasher's string input)
_WORD_RE = re.compile(r"(?u)\b\w+\b")  # text_vectorizer's token_pattern


def _terms(text: str) -> list[str]:
    """A block's word 1- and 2-grams, lower-cased, in the order text_vectorizer's analyzer makes them."""
    words = _WORD_RE.findall(text.lower())
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
