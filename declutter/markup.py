"""HTML pages: parsed like a browser, shown as the text lines a browser's innerText gives, and
read for their metadata (title, author, date, site, language, canonical URL)."""

from __future__ import annotations

from dataclasses import dataclass, field

from declutter.dom import LineDom, render_root
from declutter.metadata import MARKUP_UNKNOWN, METADATA_FIELDS, extract, json_ld, markup_kind, title
from declutter.render import hidden_text_length, parse_html, render_tree

__all__ = ["METADATA_FIELDS", "Page", "read_page"]


@dataclass(frozen=True)
class Page:
    """A page's text: a given dump's, or a parsed HTML page's innerText-like rendering with its
    metadata."""

    text: str
    metadata: dict[str, str | None] = field(default_factory=dict)
    dom: LineDom | None = None  # the DOM features and groups of each line of ``text`` (declutter.dom)
    kind: float = MARKUP_UNKNOWN  # whether the markup calls it an article (metadata.markup_kind)
    headline: str | None = None  # the title the markup names (read with or without the metadata)
    rendered: bool = False  # whether ``text`` is declutter's rendering of HTML (not a given dump)
    hidden_chars: int = 0  # characters in hidden elements, if counted (render.hidden_text_length)


def read_page(
    html: str, metadata: bool = True, dom: bool = False, show_hidden: bool = False, count_hidden: bool = False
) -> Page:
    """Parse an HTML page (never raising on bad markup) into its text and, if asked, its
    metadata, its lines' DOM features and the characters its hidden elements hold
    (``show_hidden``: hidden elements rendered too)."""
    root = parse_html(html)
    hidden_chars = hidden_text_length(root) if count_hidden else 0
    if dom:
        text, lines = render_root(root, show_hidden)
    else:
        text, lines = render_tree(root, noscript=True, show_hidden=show_hidden), None
    ld = json_ld(root)  # the scripts are parsed once, for all three
    found = extract(root, ld) if metadata else {}
    headline = found["title"] if metadata else title(root, ld)
    kind = markup_kind(root, ld) if dom else MARKUP_UNKNOWN
    return Page(text, found, lines, kind, headline, rendered=True, hidden_chars=hidden_chars)
