"""Tests of declutter.render: the innerText-like HTML-to-text renderer."""

from __future__ import annotations

import random
import re

import pytest

from declutter import render
from declutter.render import hidden_text_length, parse_html, render_text, render_tracked, render_tree


def test_paragraphs_and_headings_are_separated_by_a_blank_line() -> None:
    html = "<body><h1>Title</h1><p>First para.</p><p>Second para.</p><h2>Sub</h2><p>Third.</p></body>"
    assert render_text(html) == "Title\n\nFirst para.\n\nSecond para.\n\nSub\n\nThird."


def test_divs_are_lines_and_inline_elements_flow() -> None:
    html = "<div>One <b>bold</b> <a href='#'>link</a>, <em>em</em>.</div><div>Two</div><main>Three</main>"
    assert render_text(html) == "One bold link, em.\nTwo\nThree"


def test_br_breaks_the_line() -> None:
    assert render_text("<p>line one<br>line two<br/>line three</p>") == "line one\nline two\nline three"


def test_list_items_each_on_their_own_line() -> None:
    html = "<ul><li>apple</li><li> banana </li><li><a href='#'>cherry</a> pie</li></ul><ol><li>one</li></ol>"
    assert render_text(html) == "apple\nbanana\ncherry pie\none"


def test_table_row_cells_are_joined_by_tab() -> None:
    html = "<table><tr><th>Name</th><th>Age</th></tr><tr><td> Ann </td><td>31</td></tr></table>"
    assert render_text(html) == "Name\tAge\nAnn\t31"


def test_script_style_and_invisible_elements_are_skipped() -> None:
    html = (
        "<head><title>Page title</title><style>p {color: red}</style></head><body>"
        "<p>Keep <script>var x = 'script text';</script>this</p>"
        "<style>.a {}</style><noscript>Enable JS</noscript><template><p>tmpl</p></template>"
        "<div hidden>hidden attr</div>"
        "<div aria-hidden='true'>aria hidden</div>"
        "<div style='color: red; DISPLAY : None'>display none</div>"
        "<div style='visibility:hidden'>visibility hidden</div>"
        "<svg><text>svg text</text></svg>"
        "<p>and this</p></body>"
    )
    assert render_text(html) == "Keep this\n\nand this"


def test_aria_hidden_false_and_other_styles_stay_visible() -> None:
    html = "<div aria-hidden='false'>a</div><div style='display: block'>b</div>"
    assert render_text(html) == "a\nb"


def test_show_hidden_renders_every_kind_of_hidden_element_and_nothing_else_skipped() -> None:
    html = (
        "<p>Shown</p><div hidden>attr</div><div aria-hidden='true'>aria</div>"
        "<div style='display:none'>styled</div><script>var x = 1;</script><p>End</p>"
    )
    assert render_text(html) == "Shown\n\nEnd"
    root = parse_html(html)
    assert render_tree(root, show_hidden=True) == "Shown\n\nattr\naria\nstyled\n\nEnd"
    text, _ = render_tracked(parse_html(html), lambda el, tag, context: tag, show_hidden=True)
    assert text == "Shown\n\nattr\naria\nstyled\n\nEnd"


def test_hidden_text_length_counts_the_text_of_hidden_elements_only() -> None:
    html = (
        "<p>Shown</p><div hidden>attr</div><div aria-hidden='true'>aria</div>"
        "<div style='display:none'>styled <b>bold</b></div><div style='color:red'>red</div>"
    )
    assert hidden_text_length(parse_html(html)) == len("attr") + len("aria") + len("styled bold")
    assert hidden_text_length(parse_html("<p>Nothing hidden</p>")) == 0


def test_chromium_like_shows_noscript_object_and_aria_hidden_content() -> None:
    html = "<noscript>No JS</noscript><object><p>Fallback</p></object><div aria-hidden='true'>Aria</div>"
    assert render_text(html) == ""
    assert render_text(html, chromium_like=True) == "No JS\n\nFallback\n\nAria"


def test_whitespace_collapses_inside_lines_but_not_in_pre() -> None:
    html = "<p>  lots \n\t of   <span> space </span>  here  </p><pre>keep   this\n  indented</pre>"
    assert render_text(html) == "lots of space here\n\nkeep   this\n  indented"


def test_entities_are_decoded() -> None:
    assert render_text("<p>caf&eacute; &amp; &lt;bar&gt; &#8212;</p>") == "café & <bar> \u2014"


def test_output_has_no_trailing_space_and_at_most_one_blank_line() -> None:
    html = "<p>a </p><p></p><p> </p><div><br><br><br></div><p>b</p>"
    out = render_text(html)
    assert out == "a\n\nb"
    assert all(line == line.rstrip() for line in out.split("\n"))


def test_wrap_splits_a_long_paragraph_within_the_width() -> None:
    words = [f"word{i}" for i in range(60)]
    paragraph = " ".join(words)
    out = render_text(f"<p>{paragraph}</p><p>short</p>", wrap=40)
    first, second = out.split("\n\n")
    lines = first.split("\n")
    assert len(lines) > 1
    assert all(len(line) <= 40 for line in lines)
    assert " ".join(lines) == paragraph
    assert second == "short"


def test_without_wrap_a_long_paragraph_is_one_line() -> None:
    paragraph = " ".join(["word"] * 100)
    assert render_text(f"<p>{paragraph}</p>") == paragraph


def test_text_nested_300_levels_deep_survives() -> None:
    depth = 300
    html = "<html><body>" + "<div>" * depth + "deep text" + "</div>" * depth + "<p>after</p></body></html>"
    assert render_text(html) == "deep text\n\nafter"


def test_nesting_100000_levels_does_not_raise() -> None:
    depth = 100_000
    html = "<html><body>" + "<div>" * depth + "bottom" + "</div>" * depth + "</body></html>"
    out = render_text(html)
    assert isinstance(out, str)
    assert "bottom" in out


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>x</title></head></html><body><p>Article text here</p></body>",
        "<html><head><title>x</head><body><p>Article text here</p></body></html>",
        "<html><head><title>x</title></head><body><p>Nav</p></body></html><p>Article text here</p>",
    ],
)
def test_pages_libxml2_would_drop_keep_their_article(html: str) -> None:
    assert "Article text here" in render_text(html)
    body = parse_html(html).find("body")
    assert body is not None
    assert "Article text here" in "".join(body.itertext())


def test_element_left_open_in_noscript_does_not_hide_the_rest_of_the_page() -> None:
    html = "<body><p>Intro</p><noscript><div id='wrap'><span>no js</noscript><p>Article text</p></body>"
    assert render_text(html) == "Intro\n\nArticle text"
    assert render_text(html, chromium_like=True) == "Intro\n\nno js\n\nArticle text"


STREAMED = (
    '<html><body><main><h1>Title</h1><template id="B:0"></template><div>Loading...</div>'
    "<p>Last paragraph.</p></main><footer>Footer</footer>"
    '<div hidden id="S:0">Lead<p>First streamed paragraph.</p>Loose text'
    '<p>Second <template id="P:1"></template> end.</p></div><script>$RC("B:0","S:0")</script>'
    '<div hidden id="S:1"><b>inner</b> part</div><script>$RS("S:1","P:1")</script></body></html>'
)


def test_react_streamed_content_is_shown_where_its_script_puts_it() -> None:
    assert render_text(STREAMED).split("\n\n") == [
        "Title",
        "Lead",
        "First streamed paragraph.",
        "Loose text",
        "Second inner part end.",
        "Loading...",
        "Last paragraph.",
        "Footer",
    ]


@pytest.mark.parametrize(
    "html",
    [
        STREAMED.replace("$RC", "$XX"),  # no script moves it: it stays hidden
        STREAMED.replace('id="B:0"', 'id="B:9"'),  # no such boundary
        STREAMED.replace('<div hidden id="S:0">', '<div id="S:0">'),  # not hidden: left alone
    ],
)
def test_streamed_content_without_its_move_is_left_as_the_markup_says(html: str) -> None:
    text = render_text(html)
    assert text.index("Title") < text.index("Last paragraph.") < text.index("Footer")
    assert ("First streamed paragraph." in text) == ('<div id="S:0">' in html)


def test_streamed_content_that_holds_its_own_target_does_not_loop() -> None:
    html = '<html><body><div hidden id="S:0"><p>x</p><template id="B:0"></template></div>'
    html += '<script>$RC("B:0","S:0")</script><p>Body text.</p></body></html>'
    assert render_text(html) == "Body text."


def test_unknown_element_in_head_falls_back_to_html5lib() -> None:
    pytest.importorskip("html5lib")
    html = "<html><head><title>T</title><mbox><table><tr><td>Cell text</td></tr></table><p>Story</p></html>"
    out = render_text(html)
    assert "Cell text" in out
    assert "Story" in out


def test_code_the_estimate_misreads_as_text_does_not_send_the_page_to_html5lib(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The estimate of the page's text strips tags with a regex, which a ">" inside an attribute
    # ends early: the rest of the attribute, here entity-encoded JSON, looks like text libxml2
    # "dropped". It reads as code, so the page is not parsed again.
    calls: list[str] = []
    monkeypatch.setattr(render, "_html5lib_parse", lambda html: calls.append(html))
    items = ",".join(f"{{&quot;id&quot;:{i},&quot;size&quot;:{i * 7}}}" for i in range(400))
    props = f"{{&quot;html&quot;:&quot;<b>x</b>&quot;,&quot;items&quot;:[{items}]}}"
    html = f'<html><body><div data-props="{props}">'
    html += "</div><p>The article, a paragraph long, is all the page shows.</p></body></html>"
    assert render_text(html) == "The article, a paragraph long, is all the page shows."
    assert calls == []
    prose = " ".join(["The article goes on, in words a reader reads."] * 400)  # dropped prose is counted
    assert render._expected_text_len(f"<p>{prose}</p>") == len("".join(prose.split()))


@pytest.mark.parametrize("html", ["", "   \n\t ", "<!-- only a comment -->", "\x00\x01\x02", "<<<>>>&&&"])
def test_empty_or_garbage_input_does_not_raise(html: str) -> None:
    root = parse_html(html)
    assert root.tag == "html"
    assert isinstance(render_text(html), str)


def test_empty_string_renders_empty() -> None:
    assert render_text("") == ""
    assert render_text("<html><body></body></html>") == ""


def test_str_with_xml_encoding_declaration_is_accepted() -> None:
    html = '<?xml version="1.0" encoding="iso-8859-1"?>\n<html><body><p>h\u00e9llo</p></body></html>'
    assert render_text(html) == "h\u00e9llo"


def test_parse_html_returns_html_root_with_body() -> None:
    root = parse_html("<p>hello</p>")
    assert root.tag == "html"
    body = root.find("body")
    assert body is not None
    assert "".join(body.itertext()) == "hello"


def test_break_runs_resolve_as_the_one_regex_did() -> None:
    # the definition: a run of spaces/newlines around break sentinels becomes its newlines (at
    # least one, two where a blank line is required)
    run = re.compile(r"[ \n]*[\x01\x02][ \n\x01\x02]*")

    def reference(text: str) -> str:
        return run.sub(lambda m: "\n" * max(2 if "\x02" in m[0] else 1, m[0].count("\n")), text)

    pick = random.Random(0)
    for _ in range(5000):
        text = "".join(pick.choice(" \n\x01\x02ab") for _ in range(pick.randint(0, 25)))
        assert render._resolve_breaks(text) == reference(text)
