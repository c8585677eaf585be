"""HTML pages: parsed like a browser, shown as the text lines a browser's innerText gives, and
read for their metadata (title, author, date, site, language, canonical URL)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import lxml.html

from declutter.render import parse_html, render_tree

# Metadata fields a Document from HTML carries (None where the page has none).
METADATA_FIELDS = ("title", "author", "date", "sitename", "language", "url")


@dataclass(frozen=True)
class Page:
    """A parsed HTML page: its innerText-like text and its metadata."""

    text: str
    metadata: dict[str, str | None] = field(default_factory=dict)


def read_page(html: str, metadata: bool = True) -> Page:
    """Parse an HTML page (never raising on bad markup) into its text and, if asked, metadata."""
    root = parse_html(html)
    text = render_tree(root)
    return Page(text, extract_metadata(root) if metadata else {})


def extract_metadata(root: lxml.html.HtmlElement) -> dict[str, str | None]:
    """The page's metadata, by trafilatura's metadata extraction; language from ``<html lang>``."""
    from trafilatura.metadata import extract_metadata as trafilatura_metadata

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its warnings are not ours to print
    # extensive=False: a date from the markup, not one guessed from years in the text
    found = trafilatura_metadata(root, extensive=False)
    language = root.get("lang") or None
    values = {
        "title": found.title,
        "author": found.author,
        "date": found.date,
        "sitename": found.sitename,
        "language": language.strip() if language else None,
        "url": found.url,
    }
    return {name: values[name] or None for name in METADATA_FIELDS}
