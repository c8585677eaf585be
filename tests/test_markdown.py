"""markdown: telling a Markdown dump and reading its blocks as plain text."""

from __future__ import annotations

import pytest

from declutter.markdown import MIN_TELLTALES, NOTHING_SHOWN, looks_like_markdown, plain

LINKS = [
    "* [Home](https://example.org/)",
    "* [World](/world)",
    "Read the [full report](https://example.org/report.pdf) here.",
]


def test_markdown_dump_is_told_by_its_links() -> None:
    assert looks_like_markdown(LINKS)
    assert not looks_like_markdown(LINKS[: MIN_TELLTALES - 1])


@pytest.mark.parametrize(
    "lines",
    [
        ["Home", "World", "The minister said [sic] that the plan (announced in May) would go ahead."],
        ["See items [1](a) and [2](b)", "[3](c)"],  # brackets and parentheses, but no URL or path
        ["# Not a heading in a plain dump", "**bold?**", "a_b_c"],
    ],
)
def test_plain_dumps_are_not_markdown(lines: list[str]) -> None:
    assert not looks_like_markdown(lines)


@pytest.mark.parametrize(
    ("block", "text"),
    [
        ("Read the [full report](https://example.org/r.pdf) here.", "Read the full report here."),
        ("[![Canada finds ship](https://m.org/a.jpg)](https://n.org/b)", "Canada finds ship"),
        ("## [The Two-Way](https://n.org/sections/two-way/)", "The Two-Way"),
        ("  * [**Download**](https://x.org/a-b c) now", "Download now"),  # a URL broken by wrapping
        ("[Paris](https://en.wikipedia.org/wiki/Paris_(France)) is big", "Paris is big"),
        ("That was *The Toronto Star,* she said", "That was The Toronto Star, she said"),
        ("****hide caption****", "hide caption"),
        ("> quoted \\- text", "quoted - text"),
        ("1. first item", "first item"),
        ("Heading ##", "Heading"),
        ("snake_case and 2 * 3 = 6", "snake_case and 2 * 3 = 6"),
    ],
)
def test_plain_reads_what_a_browser_shows(block: str, text: str) -> None:
    assert plain(block) == text


@pytest.mark.parametrize(
    "block", ["![](https://example.org/photo.jpg)", "![](data:image/png;base64,iVBORw0KGgo=)", "[](/x)"]
)
def test_a_block_that_shows_nothing_is_judged_as_a_separator(block: str) -> None:
    assert plain(block) == NOTHING_SHOWN
