"""Text renderings of corpus pages: the Chromium dump, declutter's lxml renderings, lynx and w3m,
BeautifulSoup's text, and the Markdown of html2text and markdownify."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import warnings
from collections.abc import Callable
from typing import Any

from declutter.corpus import Record

# Column of the hard-wrapped rendering: lynx -dump and w3m -dump wrap near 72-80 columns.
WRAP_COLUMNS = 72


def chromium(record: Record) -> str:
    """The corpus's headless-Chromium ``innerText`` dump."""
    return record.dump


def lxml_text(record: Record) -> str:
    """declutter's innerText-like rendering of the page's HTML."""
    from declutter.render import render_text

    return render_text(record.html)


def lxml_wrapped(record: Record) -> str:
    """The lxml rendering hard-wrapped at ``WRAP_COLUMNS``, like lynx/w3m/mail text."""
    from declutter.render import render_text

    return render_text(record.html, wrap=WRAP_COLUMNS)


def _external(command: list[str]) -> Callable[[Record], str]:
    """A renderer that pipes the page's HTML through an installed text browser (for evaluation:
    renderers declutter never trains on). A missing browser is a clear error."""

    def render(record: Record) -> str:
        if shutil.which(command[0]) is None:
            raise RuntimeError(f"renderer {command[0]!r} is not installed (apt install {command[0]})")
        try:
            result = subprocess.run(
                command, input=record.html.encode("utf-8"), capture_output=True, timeout=EXTERNAL_TIMEOUT
            )
        except subprocess.TimeoutExpired:
            return ""  # a page the browser cannot render in time is scored as an empty dump
        return result.stdout.decode("utf-8", errors="replace")

    return render


def html2text_markdown(record: Record) -> str:
    """html2text's Markdown of the page (its defaults: inline links, wrapped at 78 columns)."""
    return _python_renderer("html2text").HTML2Text().handle(record.html)  # type: ignore[no-any-return]


def markdownify_markdown(record: Record) -> str:
    """markdownify's Markdown of the page (its defaults)."""
    return _python_renderer("markdownify").markdownify(record.html)  # type: ignore[no-any-return]


def soup_text(record: Record) -> str:
    """BeautifulSoup's text of the page, as a Python scraper often stores it: scripts, styles,
    templates and ``<noscript>`` removed, then ``get_text("\\n", strip=True)``, one line per text
    node (so a sentence is cut at each link)."""
    bs4 = _python_renderer("bs4", "beautifulsoup4")
    with warnings.catch_warnings():  # an XHTML page parsed as HTML: what such a scraper does
        warnings.simplefilter("ignore", bs4.XMLParsedAsHTMLWarning)
        soup = bs4.BeautifulSoup(record.html, "lxml")
    for element in soup(["script", "style", "template", "noscript"]):
        element.decompose()
    return soup.get_text("\n", strip=True)  # type: ignore[no-any-return]


def _python_renderer(module: str, package: str | None = None) -> Any:
    """A converter declutter never trains on (for evaluation); a missing one is a clear error
    naming the package to install (``package``, when it is not the module's name)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        install = package or module
        raise RuntimeError(f"renderer {module!r} is not installed (pip install {install})") from None


# Seconds a text browser may take on one page.
EXTERNAL_TIMEOUT = 60
LYNX = ["lynx", "-dump", "-nolist", "-stdin", "-display_charset=utf-8", "-assume_charset=utf-8"]
W3M = ["w3m", "-dump", "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8", "-cols", "80"]

RENDERERS: dict[str, Callable[[Record], str]] = {
    "chromium": chromium,
    "lxml": lxml_text,
    f"lxml-wrap{WRAP_COLUMNS}": lxml_wrapped,
    "lynx": _external(LYNX),
    "w3m": _external(W3M),
    "soup": soup_text,
    "html2text": html2text_markdown,
    "markdownify": markdownify_markdown,
}


def renderer(name: str) -> Callable[[Record], str]:
    """The renderer of that name; ValueError lists the known ones."""
    try:
        return RENDERERS[name]
    except KeyError:
        raise ValueError(f"unknown renderer {name!r}; known: {', '.join(RENDERERS)}") from None
