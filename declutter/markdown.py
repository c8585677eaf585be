"""Markdown dumps: telling them apart and reading their blocks as the text a browser would show.

Scrapers that convert HTML to Markdown (html2text, markdownify, the "reader" services built on
them) wrap links as ``[text](url)``, images as ``![alt](src)``, headings as ``## text`` and
emphasis as ``**text**``. The model learnt from ``innerText``-like dumps, where a link is its text
and a URL is rare; read literally, a paragraph with two inline links looks like a list of URLs.
Each block of a Markdown dump is judged by its plain text (see :func:`plain`); the lines written
out stay the input's, syntax and all.
"""

from __future__ import annotations

import re

# A link or image target: a URL, path or fragment, perhaps with a quoted title, one level of balanced
# parentheses inside (Wikipedia-style URLs) and spaces (a hard-wrapped dump breaks long URLs, and a
# block's lines are joined by a space).
_TARGET = r"\((?:[^()]|\([^()]*\))*\)"
# A link's text holds no bracket (an image inside a link is read first), so that a run of "["
# fails at once at every position instead of scanning to the end of the block from each one.
IMAGE_RE = re.compile(r"!\[([^\[\]]*)\]" + _TARGET)
LINK_RE = re.compile(r"\[([^\[\]]*)\]" + _TARGET)
# The syntax that tells a Markdown dump: an inline link or image whose target is a URL or path.
TELLTALE_RE = re.compile(r"!?\[[^\[\]\n]*\]\((?:https?:|/|#|mailto:|\.\.?/)")
# A dump with at least this many telltales is read as Markdown. Of the corpus's 4,322 pages, in
# its Chromium dumps and in declutter's own rendering, one page has one and none has more.
MIN_TELLTALES = 3
HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+|(?<=\S)\s+#+\s*$")  # (?<=\S): linear in a run of spaces
# A list item's marker: innerText does not show one (a <ul> item's bullet is drawn, not text).
BULLET_RE = re.compile(r"^\s*(?:[*+-]|\d{1,3}[.)])\s+")
QUOTE_RE = re.compile(r"^(?:\s*>)+\s?")
# Runs of emphasis marks and code ticks, and a single * or _ opening or closing a word.
EMPHASIS_RE = re.compile(r"\*{2,}|_{2,}|`+|(?<![\w*])[*_](?=[^\s*_])|(?<=[^\s*_])[*_](?![\w*])")
ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
SPACES_RE = re.compile(r"\s{2,}")
# What a block that shows no text (a bare image, an empty link) is judged as: a lone separator,
# the nearest thing to nothing an innerText dump has. Not the block's own syntax: a bare image's
# target can be a kilobytes-long data: URI, which reads as one enormous word.
NOTHING_SHOWN = "·"


def looks_like_markdown(lines: list[str]) -> bool:
    """Whether a dump is Markdown: it holds at least ``MIN_TELLTALES`` inline links or images."""
    found = 0
    for line in lines:
        if "](" in line:
            found += len(TELLTALE_RE.findall(line))
            if found >= MIN_TELLTALES:
                return True
    return False


def plain(text: str) -> str:
    """The text a browser shows for a block of Markdown: images by their alt text, links by
    their text, without heading, quote, list, emphasis and escape marks (``NOTHING_SHOWN`` for a
    block that shows nothing, such as a bare image)."""
    out = IMAGE_RE.sub(r"\1", text)
    out = LINK_RE.sub(r"\1", out)
    out = QUOTE_RE.sub("", out)
    out = HEADING_RE.sub("", out)
    out = BULLET_RE.sub("", out)
    out = EMPHASIS_RE.sub("", out)
    out = ESCAPE_RE.sub(r"\1", out)
    out = SPACES_RE.sub(" ", out).strip()
    return out or NOTHING_SHOWN
