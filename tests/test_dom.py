"""dom: each rendered line knows which tags and class tokens its text sits under."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

from declutter import dom
from declutter.dom import (
    LINE_NAMES,
    N_LINE,
    block_features,
    block_groups,
    dom_feature_names,
    render_page,
)
from declutter.render import render_text
from declutter.segmenter import Block

PAGE = """<html><body>
<nav class="site-nav"><ul><li><a href="/">Home</a></li><li><a href="/w">World</a></li></ul></nav>
<article class="story-body">
<h1 class="headline">Ferry service resumes after storm</h1>
<p>Boats left the harbour at dawn, <a href="/x">the operator said</a>, on time.</p>
<aside class="related-links"><a href="/y">More on storms</a></aside>
</article>
<div id="comments"><p>First!</p></div>
<footer><p>Copyright 2024 Harbour News</p></footer>
</body></html>"""


def _line(page_text: str, dom: np.ndarray, needle: str) -> dict[str, float]:
    index = next(i for i, line in enumerate(page_text.split("\n")) if needle in line)
    return dict(zip(LINE_NAMES, dom[index], strict=True))


def test_text_is_the_plain_rendering() -> None:
    assert render_page(PAGE).text == render_text(PAGE)


def test_noscript_content_is_shown_and_flagged() -> None:
    page = render_page(
        "<html><body><noscript><p>Post one of the thread.</p></noscript><p>Tail</p></body></html>"
    )
    assert page.text.split("\n")[0] == "Post one of the thread."
    assert _line(page.text, page.dom.features, "Post one")["noscript"] == 1.0
    assert _line(page.text, page.dom.features, "Tail")["noscript"] == 0.0


@pytest.mark.parametrize(
    ("needle", "on", "off"),
    [
        ("Home", ("link", "nav", "list_item", "c_nav"), ("article", "c_content", "footer")),
        ("Ferry service", ("h1", "article", "c_content", "c_title", "near_c_title"), ("link", "nav")),
        ("More on storms", ("aside", "link", "c_related", "near_c_related"), ("nav", "footer")),
        ("First!", ("paragraph", "c_comment", "near_c_comment"), ("article", "link")),
        ("Copyright", ("footer", "paragraph"), ("link", "article", "nav")),
    ],
)
def test_lines_carry_the_flags_of_their_elements(
    needle: str, on: tuple[str, ...], off: tuple[str, ...]
) -> None:
    page = render_page(PAGE)
    features = _line(page.text, page.dom.features, needle)
    for name in on:
        assert features[name] == 1.0, name
    for name in off:
        assert features[name] == 0.0, name


def test_link_share_is_weighted_by_characters() -> None:
    page = render_page(PAGE)
    line = next(x for x in page.text.split("\n") if x.startswith("Boats"))
    share = _line(page.text, page.dom.features, "Boats")["link"]
    expected = len("theoperatorsaid") / len("".join(line.split()))
    assert share == pytest.approx(expected)


def test_depth_grows_with_nesting() -> None:
    page = render_page(
        "<html><body><p>top</p>" + "<div>" * 30 + "<p>deep</p>" + "</div>" * 30 + "</body></html>"
    )
    assert (
        _line(page.text, page.dom.features, "deep")["depth"]
        > _line(page.text, page.dom.features, "top")["depth"]
    )


def test_ad_token_does_not_match_inside_words() -> None:
    page = render_page(
        '<html><body><div class="header-download"><p>Download</p></div>'
        '<div class="ad-slot"><p>Buy now</p></div></body></html>'
    )
    assert _line(page.text, page.dom.features, "Download")["c_promo"] == 0.0
    assert _line(page.text, page.dom.features, "Buy now")["c_promo"] == 1.0


def _class_tokens(count: int) -> list[str]:
    """Seeded tokens made of the class patterns' own words, stray letters and separators."""
    words = sorted({w for p in dom.CLASS_FLAGS.values() for w in re.findall(r"[a-z]{2,}", p)})
    pieces = [*words, "a", "d", "s", "x", "ad", "-", "_", "--", "9", ""]
    rng = random.Random(7)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 5))) for _ in range(count)]


def _matches(pattern: re.Pattern[str], names: dict[str, int], token: str) -> list[tuple[int, int, int]]:
    return [(*m.span(), names[m.lastgroup or ""]) for m in pattern.finditer(token)]


@pytest.mark.parametrize("token", ["header-download", "ad-slot", "navbar_more", "post-body", "sr-only", "x"])
def test_fast_class_matcher_finds_what_the_definition_finds(token: str) -> None:
    reference = _matches(dom._CLASS_RE, dom._CLASS_BITS, token)
    assert _matches(dom._BRANCH_RE, dom._BRANCH_BITS, token) == reference


def test_fast_class_matcher_agrees_on_many_tokens() -> None:
    tokens = _class_tokens(20000)
    found = [_matches(dom._CLASS_RE, dom._CLASS_BITS, t) for t in tokens]
    assert sum(bool(f) for f in found) > 10000  # the tokens exercise the patterns
    assert [_matches(dom._BRANCH_RE, dom._BRANCH_BITS, t) for t in tokens] == found


def test_preformatted_text_keeps_the_mapping() -> None:
    html = "<html><body><pre>a  b\n\tc</pre><p class='byline'>By Ann</p></body></html>"
    page = render_page(html)
    assert _line(page.text, page.dom.features, "By Ann")["c_byline"] == 1.0
    assert _line(page.text, page.dom.features, "a  b")["c_byline"] == 0.0


def test_an_empty_page_has_no_lines() -> None:
    page = render_page("")
    assert page.text == "" and page.dom.features.shape == (0, N_LINE)


def test_block_features_have_own_window_and_page_parts() -> None:
    dom = np.array([[1.0] + [0.0] * (N_LINE - 1), [0.0] * N_LINE, [0.0] * N_LINE])
    blocks = [Block(0, 1, "a"), Block(1, 2, "b"), Block(2, 3, "c")]
    features = block_features(blocks, dom)
    assert features.shape == (3, len(dom_feature_names()))
    assert features[0, 0] == 1.0 and features[1, 0] == 0.0  # own
    assert features[2, N_LINE] == pytest.approx(1 / 3)  # window of +-2 blocks
    assert np.allclose(features[:, 2 * N_LINE], 1 / 3)  # page mean
    assert block_features([], dom).shape == (0, 3 * N_LINE)


def test_page_wide_classes_on_body_are_not_read() -> None:
    page = render_page(
        '<html class="has-sidebar"><body class="single-post comments-open nav-open">'
        '<div class="entry-content"><p>The story</p></div></body></html>'
    )
    line = _line(page.text, page.dom.features, "The story")
    assert line["c_content"] == 1.0
    assert line["c_comment"] == line["c_sidebar"] == line["c_nav"] == 0.0


def _groups(page_text: str, groups: np.ndarray, needle: str) -> tuple[int, int]:
    index = next(i for i, line in enumerate(page_text.split("\n")) if needle in line)
    return int(groups[index, 0]), int(groups[index, 1])


def test_sibling_paragraphs_share_their_container() -> None:
    page = render_page(
        "<html><body><div><p>One <b>bold</b></p><p>Two</p><div><p>Nested</p></div></div>"
        "<ul><li>Item</li><li>Other</li></ul></body></html>"
    )
    one, two = (_groups(page.text, page.dom.groups, n) for n in ("One", "Two"))
    nested, item, other = (_groups(page.text, page.dom.groups, n) for n in ("Nested", "Item", "Other"))
    assert one == two and one[0] > 0
    assert nested[0] != one[0] and nested[1] == one[0]  # its outer container is the paragraphs' one
    assert item == other and item[0] != one[0]
    at = page.text.split("\n").index("Item")
    blocks = [Block(0, 1, "One bold"), Block(at, at + 1, "Item")]
    assert block_groups(blocks, page.dom.groups).tolist() == [list(one), list(item)]


def test_lines_know_the_preformatted_element_they_sit_in() -> None:
    page = render_page(
        "<html><body><p>Call it like this:</p><pre><code>x = f(1)\ny = g(x)</code></pre>"
        "<p>Or like that:</p><pre>z = h()</pre></body></html>"
    )
    lines = page.text.split("\n")
    assert page.dom.code is not None
    code = dict(zip(lines, page.dom.code.tolist(), strict=True))
    assert code["Call it like this:"] == code["Or like that:"] == 0
    assert code["x = f(1)"] == code["y = g(x)"] > 0  # one listing, through its inline <code>
    assert code["z = h()"] > 0 and code["z = h()"] != code["x = f(1)"]


def test_lines_know_the_innermost_table_they_sit_in() -> None:
    page = render_page(
        "<html><body><p>Prices rose:</p><table><tr><th>Year</th><th>Change</th></tr>"
        "<tr><td>2013</td><td>+13%</td></tr><tr><td><table><tr><td>inner</td></tr></table></td></tr>"
        "</table><p>And then fell.</p></body></html>"
    )
    lines = page.text.split("\n")
    table = dict(zip(lines, page.dom.table.tolist(), strict=True))
    assert table["Prices rose:"] == table["And then fell."] == 0
    assert table["Year\tChange"] == table["2013\t+13%"] > 0
    assert table["inner"] > 0 and table["inner"] != table["2013\t+13%"]


def test_lines_know_whether_they_are_list_items() -> None:
    page = render_page(
        "<html><body><p>The guide covers:</p>"
        "<ul><li>Procedures at the counter</li><li><b>Losses</b></li></ul>"
        "<dl><dt>Term</dt><dd>Its meaning</dd></dl><p>That is all.</p></body></html>"
    )
    items = dict(zip(page.text.split("\n"), page.dom.list_items().tolist(), strict=True))
    assert items["Procedures at the counter"] and items["Losses"] and items["Term"] and items["Its meaning"]
    assert not items["The guide covers:"] and not items["That is all."]
