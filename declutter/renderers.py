"""Text renderings of corpus pages: the corpus's Chromium dump and declutter's own lxml renderings."""

from __future__ import annotations

from collections.abc import Callable

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


RENDERERS: dict[str, Callable[[Record], str]] = {
    "chromium": chromium,
    "lxml": lxml_text,
    f"lxml-wrap{WRAP_COLUMNS}": lxml_wrapped,
}


def renderer(name: str) -> Callable[[Record], str]:
    """The renderer of that name; ValueError lists the known ones."""
    try:
        return RENDERERS[name]
    except KeyError:
        raise ValueError(f"unknown renderer {name!r}; known: {', '.join(RENDERERS)}") from None
