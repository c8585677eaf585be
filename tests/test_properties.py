"""Properties that hold for any input (hypothesis): ``run`` raises only documented errors; every
line has a verdict; the kept lines are input lines, verbatim and in order; results are the same on
every call and in every thread."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from conftest import EDGES, SEEDS, load_fixture, with_settings
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from declutter import Declutter, DeclutterError, Document, Label
from declutter.document import REASON_MODEL, REASON_SMOOTHED, RULE_PREFIX
from declutter.segmenter import glue

# Examples per property: enough to reach odd corners, few enough for the suite's time budget
# (a page takes 10-50 ms).
EXAMPLES = 100
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Lines without line breaks (only CR and LF break lines); any other character may appear.
LINE_CHARS = st.characters(exclude_characters="\r\n", exclude_categories=["Cs"])
WORDS = st.sampled_from(
    [
        "the",
        "council",
        "approved",
        "budget",
        "on",
        "Tuesday",
        "after",
        "debate",
        "Advertisement",
        "RELATED",
        "STORIES",
        "Share",
        "Menu",
        "Home",
        "Sign",
        "up",
        "©",
        "2024",
        "By",
        "Reuters",
        "Published",
        "6",
        "Jan",
        "2024",
        "Größe",
        "新闻",
        "দেশের",
        ".",
        ",",
        ":",
        "|",
        "—",
        "»",
        "12:30",
    ]
)
PROSE = st.lists(WORDS, min_size=1, max_size=30).map(lambda words: " ".join(words) + ".")
LINE = st.one_of(
    PROSE, st.lists(WORDS, max_size=4).map(" ".join), st.text(LINE_CHARS, max_size=120), st.just("")
)
DUMP_LINES = st.lists(LINE, max_size=80)

TAGS = [
    "div",
    "p",
    "span",
    "a",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "table",
    "tr",
    "td",
    "th",
    "nav",
    "footer",
    "header",
    "aside",
    "article",
    "main",
    "section",
    "figure",
    "figcaption",
    "script",
    "style",
    "template",
    "noscript",
    "br",
    "img",
    "pre",
    "code",
    "b",
    "i",
    "em",
    "strong",
    "blockquote",
    "form",
    "button",
    "iframe",
    "svg",
    "select",
    "option",
]
ATTRIBUTES = st.sampled_from(
    [
        "",
        ' class="nav menu"',
        ' class="article-body content"',
        ' id="comments"',
        " hidden",
        ' aria-hidden="true"',
        ' style="display:none"',
        ' href="/x?a=1&b=2"',
        ' class="share social"',
        ' role="navigation"',
    ]
)
TEXT_NODE = st.one_of(PROSE, st.text(st.characters(exclude_categories=["Cs"]), max_size=60))


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, attributes, inner, closed: (
            f"<{tag}{attributes}>{''.join(inner)}" + (f"</{tag}>" if closed else "")
        ),
        st.sampled_from(TAGS),
        ATTRIBUTES,
        st.lists(children, max_size=5),
        st.booleans(),
    )


HTML_BODY = st.recursive(TEXT_NODE, _element, max_leaves=60)
HTML = st.builds(
    lambda head, body, cut: (f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>")[
        : cut or None
    ],
    st.sampled_from(["", "<title>A title | Site</title>", '<meta charset="utf-8">', "<title>unclosed"]),
    HTML_BODY,
    st.integers(min_value=0, max_value=3000),
)


def _check(doc: Document) -> None:
    """Every line has a label, a probability and a reason; the clean text is made of kept lines,
    each verbatim (trimmed) and in input order."""
    for number, line in enumerate(doc.lines, 1):
        assert line.number == number and isinstance(line.label, Label)
        assert 0.0 <= line.probability <= 1.0
        assert line.reason in (REASON_MODEL, REASON_SMOOTHED) or line.reason.startswith(RULE_PREFIX)
    for label, paragraphs in ((Label.BODY, doc.body.split("\n") if doc.body else []), (Label.META, doc.meta)):
        kept = _kept(doc, label)
        for paragraph in paragraphs:
            _take_paragraph(kept, paragraph)
        assert next(kept, None) is None
    if doc.title is not None:  # the first title paragraph (a wrapped headline spans lines)
        _take_paragraph(_kept(doc, Label.TITLE), doc.title)


def _kept(doc: Document, label: Label) -> Iterator[str]:
    return iter([line.text.strip() for line in doc.lines if line.label is label])


def _take_paragraph(kept: Iterator[str], paragraph: str) -> None:
    """A paragraph is the next kept lines, joined by spaces (none before a line that opens with
    continuing punctuation: segmenter.glue)."""
    joined = next(kept)
    while joined != paragraph:
        assert len(joined) < len(paragraph), (joined, paragraph)
        joined = glue(joined, next(kept))


def _run(cleaner: Declutter, raw: str | bytes) -> Document | None:
    """The document, or None when the input is refused with a documented error."""
    try:
        return cleaner.run(raw)
    except DeclutterError:
        return None


# Found by hypothesis: a headline block of two lines, whose title is both lines joined.
WRAPPED_TITLE = [
    "12:30.",
    "",
    "12:30.",
    "© the.",
    "on Tuesday : Advertisement Tuesday on 2024 Tuesday By 12:30 Share 新闻 Share Größe.",
    "approved the Home ©",
    "",
    "on Tuesday : Advertisement Tuesday on 2024 Tuesday By 12:30 Share 新闻 Share Größe.",
    "",
    "INF",
    "|",
]


@PROPERTY
@given(lines=DUMP_LINES)
@example(lines=WRAPPED_TITLE)
def test_text_dumps_keep_their_lines_verbatim(cleaner: Declutter, lines: list[str]) -> None:
    raw = "\n".join(lines)
    doc = with_settings(cleaner, input="text").run(raw)
    expected = lines[:-1] if lines and lines[-1] == "" and len(lines) > 1 else lines
    assert [line.text for line in doc.lines] == (expected if raw else [])
    _check(doc)


@PROPERTY
@pytest.mark.parametrize("kind", [st.text(max_size=3000), st.binary(max_size=3000)], ids=["text", "bytes"])
@given(data=st.data())
def test_any_input_is_judged_or_refused_with_a_documented_error(
    cleaner: Declutter, kind: st.SearchStrategy[str | bytes], data: st.DataObject
) -> None:
    doc = _run(cleaner, data.draw(kind, label="raw"))
    if doc is not None:
        _check(doc)


@PROPERTY
@given(page=HTML)
def test_generated_html_is_judged_with_every_invariant(cleaner: Declutter, page: str) -> None:
    doc = with_settings(cleaner, input="html").run(page)
    _check(doc)
    assert doc.input == "html"
    assert "<script" not in doc.text.lower()


@PROPERTY
@given(raw=st.one_of(DUMP_LINES.map("\n".join), HTML, st.binary(max_size=2000)))
def test_repeated_calls_give_the_same_result(cleaner: Declutter, raw: str | bytes) -> None:
    first, second = _run(cleaner, raw), _run(cleaner, raw)
    assert _view(first) == _view(second)


def _view(doc: Document | None) -> dict[str, Any] | None:
    return None if doc is None else {**doc.to_dict(lines=True), "input": doc.input}


THREADS = 8


def _pages() -> list[str | bytes]:
    """Fixtures as text and as bytes, and HTML pages made from them."""
    texts = [load_fixture(name).text for name in SEEDS + EDGES]
    html = [
        "<html><head><title>T</title></head><body><nav><a href='/'>Home</a></nav>"
        + "".join(f"<p>{line}</p>" for line in text.split("\n") if line)
        + "<footer>© Site</footer></body></html>"
        for text in texts
    ]
    return [*texts, *(t.encode("utf-8") for t in texts), *html]


@pytest.mark.parametrize("timeout", [None, 30.0])
def test_one_cleaner_shared_by_eight_threads_gives_the_sequential_results(
    cleaner: Declutter, timeout: float | None
) -> None:
    """With and without a time limit (each page then has its own timer thread)."""
    shared = with_settings(cleaner, timeout=timeout)
    pages = _pages() * 3
    sequential = [_view(shared.run(page)) for page in pages]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        assert list(pool.map(lambda page: _view(shared.run(page)), pages)) == sequential
