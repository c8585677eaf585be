"""Segmenting a text dump into lines, and lines into blocks (hard-wrapped paragraphs joined)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from declutter import markdown

LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
BULLET_RE = re.compile(r"^\s*(?:[-*+•·◦▪]|\d{1,3}[.)]|\[\d+\])\s")
# A dump whose non-blank lines mostly stop at one column is hard-wrapped there (lynx/w3m use 72-80,
# mail 72-78). Wider "columns" are paragraphs that happen to be long: browser dumps never wrap.
MAX_WRAP_WIDTH = 132
MIN_WRAP_WIDTH = 30
# Share of the non-blank lines that must end within WRAP_SLACK columns of the width for the dump to
# count as wrapped. Chosen by hand, not swept; the unwrapping is exercised by the lxml-wrap72,
# lynx and w3m evaluations (README) and tests/test_segmenter.py.
MIN_FULL_SHARE = 0.2
WRAP_SLACK = 12
MIN_LINES_FOR_WRAP = 8
# Quantile of line lengths taken as the wrap width, so a few over-long tokens (URLs) do not hide it.
WIDTH_QUANTILE = 0.95
URL_MARKS = ("://", "](")
# A renderer that breaks lines at inline elements (BeautifulSoup's ``get_text("\\n")``, scrapers
# that write one text node a line) cuts a sentence at each link or emphasis: "On Friday morning,
# Bentley" / "coupled an emotional plea" / ", said…". A line that opens with punctuation that
# closes or continues a sentence, or with a lower-case letter after a line that ends no sentence,
# continues the line before it; so does one short line (the link's text) between such a line and
# a continuation. A run of lines so joined is kept as one block only if it ends a sentence: a
# column of menu items or a shell session ("$ hg clone …" / "updating to branch default") does
# not. Browsers' dumps break lines only at blocks, so these joins are rare there.
# (Not the closing quotes: German opens a quote with "»", Swedish and Finnish with "”".)
CONTINUATION_CHARS = frozenset(",;:)]}%!?，、；：）」』】。！？")
CONTINUATION_DOT_RE = re.compile(r"\.(?![.\w])")  # a full stop, not "..." or ".com"
OPEN_END_RE = re.compile(r"[.!?…:;][\"'”’)\]»]*$")  # a line that ends so breaks off no sentence
SENTENCE_END_RE = re.compile(r"[.!?…。！？][\"'”’)\]»]*$")
# A lower-case line continues only where one of the two lines holds at least this many words: a
# column of one- and two-word lower-case lines is a tag list or a menu, not a cut sentence.
# Chosen by hand, not swept.
FRAGMENT_MIN_WORDS = 3
# A link's text is taken between two fragments only after a line of at least this many words
# ("Menu" / "Home" / "news about the city" is not one sentence). Swept 1-3 on dev rendered by
# BeautifulSoup (`--renderer soup`): token F1 0.9271 / 0.9278 / 0.9244; Chromium dumps unchanged.
LINK_MIN_WORDS_BEFORE = 2
# Scripts whose lower case tells: Georgian's letters are lower case to Unicode, but Georgian text
# is written without capitals, so a line opening with one says nothing.
CASED_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC", "ARMENIAN")
# Words of the longest line taken as a link's text between two fragments of a sentence. Swept
# 4 / 6 / 8 on dev rendered by BeautifulSoup: token F1 0.9268 / 0.9278 / 0.9272.
INLINE_MAX_WORDS = 6


@dataclass(frozen=True)
class Block:
    """One unit of classification: consecutive input lines of a single paragraph (``text``: what
    is judged, the lines joined by a space, as plain text for a Markdown dump)."""

    start: int
    end: int
    text: str


def split_lines(text: str) -> list[str]:
    """The input's lines, without their line breaks (only CR/LF break lines)."""
    if not text:
        return []
    lines = LINE_BREAK_RE.split(text)
    if lines and lines[-1] == "" and len(lines) > 1:
        lines.pop()
    return lines


def wrap_width(lines: list[str], markdown: bool = False) -> int | None:
    """The column the dump is hard-wrapped at, or None when it is not wrapped."""
    # In Markdown, a line holding a URL or a link is not measured: a converter that wraps
    # (html2text) does not break a link's target, and long targets would push the quantile past
    # the width (html2text renderings of dev: 46 of 250 found wrapped at 78, 224 without them).
    # Other dumps measure every line, as the shipped model was trained (a text browser's list of
    # URLs would be a reason to measure them the same way; that changes 28 of the 4,322 corpus
    # pages' training renderings by a column and needs a retrained model).
    measured = [line for line in lines if line.strip() and not (markdown and _holds_url(line))]
    lengths = sorted(len(line.rstrip()) for line in measured)
    if len(lengths) < MIN_LINES_FOR_WRAP:
        return None
    width = lengths[min(len(lengths) - 1, int(len(lengths) * WIDTH_QUANTILE))]
    if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
        return None
    full = sum(1 for n in lengths if width - WRAP_SLACK <= n <= width)
    return width if full / len(lengths) >= MIN_FULL_SHARE else None


def _holds_url(line: str) -> bool:
    return any(mark in line for mark in URL_MARKS)


def _continues(previous: str, line: str, width: int) -> bool:
    """Whether ``line`` is the wrapped continuation of ``previous`` in a dump wrapped at ``width``."""
    if not line.strip() or BULLET_RE.match(line):
        return False
    words = line.split()
    return len(previous.rstrip()) + 1 + len(words[0]) > width - 1


def _continues_sentence(previous: str, line: str) -> bool:
    """Whether ``line`` continues the sentence ``previous`` breaks off (see CONTINUATION_CHARS).
    A bullet opens with neither a continuing character nor a lower-case letter: it never does."""
    head = line.lstrip()
    if not head:
        return False
    if _opens_continuation(head):
        return bool(previous.strip())
    words = head.split()
    if not _opens_lower_case(words[0]):
        return False
    tail = previous.rstrip()
    if not tail or OPEN_END_RE.search(tail):
        return False
    return max(len(tail.split()), len(words)) >= FRAGMENT_MIN_WORDS


def _opens_continuation(text: str) -> bool:
    """Whether a (left-trimmed) text opens with punctuation that continues a sentence."""
    first = text[:1]
    return first in CONTINUATION_CHARS or (first == "." and CONTINUATION_DOT_RE.match(text) is not None)


def _opens_lower_case(word: str) -> bool:
    """Whether a word is lower case in a script with capitals, and has none inside it (a name
    such as "iPhone" or "eBay" may open a headline's next line)."""
    return word[0].islower() and word.lower() == word and _is_cased(word[0])


@functools.cache
def _is_cased(letter: str) -> bool:
    return letter.isascii() or unicodedata.name(letter, "").startswith(CASED_SCRIPTS)


def fragment_joins(lines: list[str]) -> list[bool]:
    """For each line, whether it continues the line before it as a fragment of one sentence."""
    direct = [i > 0 and _continues_sentence(lines[i - 1], line) for i, line in enumerate(lines)]
    joins = list(direct)
    for i in range(1, len(lines) - 1):  # a link's text between a cut sentence and its continuation
        if joins[i] or not direct[i + 1] or BULLET_RE.match(lines[i]):
            continue
        before = lines[i - 1].rstrip()
        short = 0 < len(lines[i].split()) <= INLINE_MAX_WORDS
        joins[i] = short and len(before.split()) >= LINK_MIN_WORDS_BEFORE and not OPEN_END_RE.search(before)
    start = 0
    for i in range(1, len(lines) + 1):  # a run that ends no sentence is not one: undo its joins
        if i == len(lines) or not joins[i]:
            if i - start > 1 and not SENTENCE_END_RE.search(lines[i - 1].rstrip()):
                joins[start + 1 : i] = [False] * (i - start - 1)
            start = i
    return joins


def segment(lines: list[str], unwrap: bool | None = None, fragments: bool = False) -> list[Block]:
    """Group the non-blank lines into blocks; wrapped paragraphs become one block each, and with
    ``fragments`` (a text dump that is neither wrapped nor Markdown) so do sentences cut at
    inline elements (see CONTINUATION_CHARS)."""
    is_markdown = markdown.looks_like_markdown(lines)
    width = wrap_width(lines, is_markdown) if unwrap is not False else None
    if unwrap and width is None:
        width = max((len(line.rstrip()) for line in lines), default=0)
    read = markdown.plain if is_markdown else _as_is
    if width:
        joins = [i > 0 and _continues(lines[i - 1], line, width) for i, line in enumerate(lines)]
        return _join(lines, joins, read)
    if fragments and unwrap is not False and not is_markdown:
        return _join(lines, fragment_joins(lines), read)
    # nothing continues a line: every non-blank line is a block of its own
    return [Block(i, i + 1, read(text)) for i, line in enumerate(lines) if (text := line.strip())]


def glue(text: str, piece: str) -> str:
    """A paragraph's text with its next line's (trimmed) ``piece``: after a space, but straight
    after the text where the piece opens with a continuing character (", said…")."""
    return text + piece if _opens_continuation(piece) else f"{text} {piece}"


def _join(lines: list[str], joins: list[bool], read: Callable[[str], str]) -> list[Block]:
    """Blocks of the non-blank lines, each line that ``joins`` its predecessor in that one's block."""
    blocks: list[Block] = []
    start: int | None = None
    for index, line in enumerate(lines):
        if start is not None and not (line.strip() and joins[index]):
            blocks.append(_block(lines, start, index, read))
            start = None
        if start is None and line.strip():
            start = index
    if start is not None:
        blocks.append(_block(lines, start, len(lines), read))
    return blocks


def line_blocks(blocks: list[Block], count: int) -> list[int]:
    """For each of ``count`` lines, the index of the block it belongs to (-1: a blank line)."""
    owners = [-1] * count
    for number, block in enumerate(blocks):
        owners[block.start : block.end] = [number] * (block.end - block.start)
    return owners


def _as_is(text: str) -> str:
    return text


def _block(lines: list[str], start: int, end: int, read: Callable[[str], str]) -> Block:
    return Block(start, end, read(" ".join(line.strip() for line in lines[start:end])))
