"""Render raw HTML to plain text the way a browser's ``document.body.innerText`` would."""

from __future__ import annotations

import functools
import re
import textwrap
import threading
import warnings
from collections.abc import Callable, Iterator
from typing import Any, TypeAlias

import lxml.etree as etree

__all__ = ["Element", "parse_html", "render_text", "render_tracked", "render_tree", "visible_chars"]


# A parsed page's elements (lxml.etree's, from the parser of :func:`_parser`).
Element: TypeAlias = etree._Element


def _tags(names: str) -> frozenset[str]:
    """Return the set of the space-separated tag names."""
    return frozenset(names.split())


# Elements whose content a browser never shows as text.
_SKIP_TAGS = _tags(
    "head script style template noscript svg iframe object embed frame frameset noframes "
    "noembed canvas video audio textarea title meta link base datalist rp dialog"
)
# The same when fallback content is shown, as in Chromium with JavaScript and plugins off.
_SKIP_TAGS_CHROMIUM = _SKIP_TAGS - {"noscript", "object"}
# Block-level elements: each starts and ends a line.
_BLOCK_TAGS = _tags(
    "address article aside blockquote body caption center dd details dir div dl dt fieldset "
    "figcaption figure footer form header hgroup hr html legend li listing main menu nav ol "
    "optgroup option plaintext pre search section select summary table tbody tfoot thead tr ul "
    "xmp"
)
# Block-level elements separated from their neighbours by a blank line.
_PARA_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})
_CELL_TAGS = frozenset({"td", "th"})
PRE_TAGS = frozenset({"pre", "listing", "plaintext", "xmp"})
# Every element that starts a box of its own in the rendering (for grouping lines by container).
BLOCK_LEVEL_TAGS = _BLOCK_TAGS | _PARA_TAGS | _CELL_TAGS
# Raw-text elements that must stay intact when a too-deep page is flattened.
_RAW_TAGS = _tags("script style textarea title xmp iframe noembed noframes noscript template plaintext")
_VOID_TAGS = _tags("area base br col embed hr img input link meta param source track wbr keygen frame")

# Sentinels used while rendering; C0 controls are scrubbed from the input so they cannot clash.
_BREAK = "\x01"  # required line break
_PARA = "\x02"  # required blank line
_PRE_SPACE = "\x03"  # space inside <pre> (never collapsed)
_PRE_TAB = "\x04"  # tab inside <pre> (not a cell separator)

# C0 controls other than tab, LF, FF and CR, and DEL: scrubbed from the input.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_XML_DECL_RE = re.compile(r"^\ufeff?\s*<\?xml[^>]*>", re.IGNORECASE)
_WS = " \t\n\r\f"  # HTML's whitespace (not every character str.isspace() takes)
_WS_RE = re.compile(f"[{_WS}]+")
_SPACES_RE = re.compile(r" {2,}")
_TAB_RE = re.compile(r" *\t *")
# A run of breaks, from its first sentinel (the spaces and newlines before it are taken apart).
_BREAK_RUN_RE = re.compile(r"([\x01\x02][ \n\x01\x02]*)")
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_LATE_END_RE = re.compile(rb"</(?:body|html)\s*>", re.IGNORECASE)
_TITLE_OPEN_RE = re.compile(rb"<title\b[^>]*>", re.IGNORECASE)
_TITLE_CLOSE_RE = re.compile(rb"</title\s*>", re.IGNORECASE)
_SCRIPT_STYLE_RE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]*>")
_ANY_TAG_RE = re.compile(rb"<(/?)([a-zA-Z][^\s/>]*)([^>]*)>")
_NOSCRIPT_RE = re.compile(rb"(<noscript\b[^>]*>)(.*?)(</noscript\s*>)", re.IGNORECASE | re.DOTALL)

# What an element emits when it closes (see _walk).
_K_INLINE, _K_SKIP, _K_BLOCK, _K_PARA, _K_CELL, _K_PRE = range(6)

_FALLBACK_RATIO = 0.2
# React's streaming server rendering sends a suspense boundary's content late, in a hidden
# ``<div hidden id="S:n">``, with an inline script call that moves it into place: ``$RC("B:n",
# "S:n")`` (and ``$RR``) in place of the boundary's ``<template id="B:n">``, ``$RS("S:n", "P:m")``
# in place of a ``<template id="P:m">`` placeholder. A browser runs these before anyone reads the
# page; declutter runs no script, so it makes the same moves (else the article stays hidden).
_STREAM_MARK = b"$R"
_STREAM_CALL_RE = re.compile(
    rb'\$R[CR]\("([^"]{1,32})","([^"]{1,32})"'  # boundary id, content id
    rb'|\$RS\("([^"]{1,32})","([^"]{1,32})"'  # content id, placeholder id
)
_LOCAL = threading.local()  # one libxml2 parser per thread (its error log is per parser)


def _parser() -> Any:
    """Return this thread's libxml2 HTML parser (huge_tree: pages nest deeper than 255)."""
    parser = getattr(_LOCAL, "parser", None)
    if parser is None:
        # lxml.etree's parser, not lxml.html's: its elements are made without a Python-level
        # class lookup per element (about a millisecond a page on the walk); declutter needs none
        # of lxml.html's element methods. no_network: libxml2 never fetches a DTD or entity.
        parser = etree.HTMLParser(
            huge_tree=True, remove_comments=True, remove_pis=True, encoding="utf-8", no_network=True
        )
        _LOCAL.parser = parser
    return parser


def _empty_document() -> Element:
    """Return a fresh ``<html><body></body></html>`` element."""
    root = _parser().makeelement("html")
    etree.SubElement(root, "body")
    return root


def _libxml2_parse(data: bytes) -> tuple[Element | None, bool]:
    """Parse UTF-8 bytes with libxml2; return (root or None, whether nesting was too deep)."""
    parser = _parser()
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.LxmlError, ValueError):
        return None, False
    if root is None:  # nothing but comments or whitespace
        return None, False
    last = parser.error_log.last_error  # a fatal error stops the parse, so it comes last
    return root, last is not None and "Excessive depth" in last.message


def _flatten_tags(match: re.Match[bytes]) -> bytes:
    """Turn a start tag into an empty element and drop end tags (keeps raw-text elements)."""
    name = match.group(2).lower().decode("ascii", "replace")
    if name in _RAW_TAGS or name in _VOID_TAGS:
        return match.group(0)
    if match.group(1):
        return b""
    if name in ("html", "head", "body"):
        return match.group(0)
    return match.group(0) + b"</" + match.group(2) + b">"


def _close_noscript(match: re.Match[bytes]) -> bytes:
    """Close the elements left open inside a ``<noscript>`` before its end tag."""
    inner = match.group(2)
    stack: list[bytes] = []
    for tag in _ANY_TAG_RE.finditer(inner):
        name = tag.group(2).lower()
        if name.decode("ascii", "replace") in _VOID_TAGS or tag.group(3).endswith(b"/"):
            continue
        if not tag.group(1):
            stack.append(name)
        elif name in stack:
            del stack[len(stack) - 1 - stack[::-1].index(name) :]
    if not stack:
        return match.group(0)
    closing = b"".join(b"</" + name + b">" for name in reversed(stack))
    return match.group(1) + inner + closing + match.group(3)


def _repair(data: bytes) -> bytes:
    """Fix markup that makes libxml2 drop the body but that browsers recover from."""
    # Content after </body> or </html> still belongs to the body in a browser.
    data = _LATE_END_RE.sub(b"", data)
    # An unclosed <title> would swallow the whole page: close it at the next tag.
    opened = _TITLE_OPEN_RE.search(data)
    if opened is not None and _TITLE_CLOSE_RE.search(data, opened.end()) is None:
        nxt = data.find(b"<", opened.end())
        if nxt >= 0:
            data = data[:nxt] + b"</title>" + data[nxt:]
    # libxml2 ignores </noscript> while an element opened inside it is still open, so the rest
    # of the page would end up inside the <noscript>; browsers close those elements.
    return _NOSCRIPT_RE.sub(_close_noscript, data)


def _body_text_len(root: Element | None) -> int:
    """Return the non-whitespace text length of the document's body (-1 if there is none)."""
    if root is None:
        return -1
    body = root.find("body")
    if body is None:
        return -1
    text = etree.tostring(body, method="text", encoding="unicode", with_tail=False)
    return len("".join(text.split()))


# Text between tags that reads as code, not prose, is left out of the estimate below: a run longer
# than CODE_RUN_CHARS (non-space characters) of which more than CODE_SHARE are JSON/JS punctuation.
# Such runs are JSON that the regexes, unlike a parser, take for text (a script quoted inside a JSON
# string, whose "</script>" ends the script regex early; entity-encoded JSON in an attribute that
# holds a ">"); they sent two pages to html5lib for nothing (a dev page, 0.1-0.2 s a parse, and a
# sanity page). On the whole corpus the html5 parse was tried on 4 pages and showed more on 2
# (libxml2 dropped their body); with this, only those 2 are tried. Chosen by hand: prose stays far
# below 5% of these characters (a quotation mark or a semicolon now and then).
CODE_RUN_CHARS = 200
CODE_SHARE = 0.05
_CODE_CHAR_RE = re.compile(r'[{}\[\]":;=\\]')


def _expected_text_len(html: str) -> int:
    """Estimate the visible text length of the source by stripping scripts, styles and tags (and
    runs of text that read as code)."""
    total = 0
    for run in _TAG_RE.split(_SCRIPT_STYLE_RE.sub(" ", html)):
        size = len("".join(run.split()))
        if size > CODE_RUN_CHARS and len(_CODE_CHAR_RE.findall(run)) > CODE_SHARE * size:
            continue
        total += size
    return total


@functools.cache
def _html5lib_parser_class() -> Any:
    """Build lxml's html5lib parser class with a merging tokenizer (None without html5lib)."""
    try:
        import lxml.html.html5parser as html5parser
        from html5lib import _tokenizer
        from html5lib.constants import tokenTypes
        from html5lib.html5parser import _ReparseException
    except ImportError:
        return None
    characters = tokenTypes["Characters"]

    # html5lib appends each character token to the lxml tree with ``text += data``: quadratic
    # for a big script split into tens of thousands of tokens (20 s for one corpus page). The
    # HTML spec treats text character by character, so merging the tokens changes nothing else.
    class MergingTokenizer(_tokenizer.HTMLTokenizer):  # type: ignore[misc]
        """html5lib tokenizer that merges runs of character tokens."""

        def __iter__(self) -> Iterator[dict[str, Any]]:
            """Yield the tokens with consecutive character tokens joined."""
            parts: list[str] = []
            for token in super().__iter__():
                if token["type"] == characters:
                    parts.append(token["data"])
                    continue
                if parts:
                    yield {"type": characters, "data": "".join(parts)}
                    parts = []
                yield token
            if parts:
                yield {"type": characters, "data": "".join(parts)}

    class Html5Parser(html5parser.HTMLParser):  # type: ignore[misc]
        """lxml's html5lib parser, using the merging tokenizer."""

        def _parse(
            self,
            stream: Any,
            innerHTML: bool = False,
            container: str = "div",
            scripting: bool = False,
            **kwargs: Any,
        ) -> None:
            """Same as html5lib 1.1's ``HTMLParser._parse`` but with ``MergingTokenizer``."""
            self.innerHTMLMode = innerHTML
            self.container = container
            self.scripting = scripting
            self.tokenizer = MergingTokenizer(stream, parser=self, **kwargs)
            self.reset()
            try:
                self.mainLoop()
            except _ReparseException:
                self.reset()
                self.mainLoop()

    return Html5Parser


def _html5lib_parse(html: str) -> Element | None:
    """Parse with html5lib (browser-grade error recovery) and return the tree as
    :func:`_libxml2_parse` makes it."""
    parser_class = _html5lib_parser_class()
    if parser_class is None:
        return None
    import lxml.html.html5parser as html5parser

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parser = parser_class(namespaceHTMLElements=False)
            tree = html5parser.document_fromstring(html, parser=parser)
        data = etree.tostring(tree, method="html", encoding="utf-8")
        return etree.fromstring(data, parser=_parser())
    except Exception:  # a best-effort fallback: any html5lib failure keeps libxml2's tree
        return None


def parse_html(html: str) -> Element:
    """Parse HTML like a browser would, never raising; return the ``<html>`` element."""
    html = _XML_DECL_RE.sub("", html, count=1)
    # C0 controls are all ASCII, so deleting their bytes is deleting the characters (and is fast)
    data = html.encode("utf-8", "replace").translate(None, _CONTROL_BYTES)
    if not data.strip():
        return _empty_document()
    root = _parse(html, data)
    if _STREAM_MARK in data:
        _apply_streamed(root, data)
    return root


def _parse(html: str, data: bytes) -> Element:
    """Parse the page (``data``: ``html`` as UTF-8 without C0 controls), never raising."""
    unrepaired = data
    data = _repair(data)
    root, too_deep = _libxml2_parse(data)
    if too_deep:
        # libxml2 stops at depth 2048; browsers make deeper elements siblings. Flatten instead.
        flat, _ = _libxml2_parse(_ANY_TAG_RE.sub(_flatten_tags, data))
        return flat if flat is not None else (root if root is not None else _empty_document())
    body_len = _body_text_len(root)
    if body_len < _FALLBACK_RATIO * len(html):
        return _html5_if_more(unrepaired, root, body_len)
    return root if root is not None else _empty_document()


def _html5_if_more(data: bytes, root: Element | None, body_len: int) -> Element:
    """The HTML5 parse of a page whose body libxml2 seems to have dropped, if it shows more
    (``data``: the page's UTF-8 bytes without C0 controls, before any repair)."""
    html = data.decode("utf-8")  # faster than deleting the controls from the str again
    if body_len < 0 or body_len < _FALLBACK_RATIO * _expected_text_len(html):
        alt = _html5lib_parse(html)
        if alt is not None and _body_text_len(alt) > body_len:
            return alt
    return root if root is not None else _empty_document()


def _apply_streamed(root: Element, data: bytes) -> None:
    """Put streamed content where the page's own scripts would put it (React's streaming
    server rendering: see ``_STREAM_CALL_RE``), so that it is shown as a browser shows it."""
    calls = _STREAM_CALL_RE.findall(data)
    if not calls:
        return
    by_id = {el.get("id"): el for el in root.iter("div", "template") if el.get("id")}
    for boundary, completed, segment, placeholder in calls:
        target_id, content_id = (boundary, completed) if boundary else (placeholder, segment)
        target = by_id.get(target_id.decode("utf-8", "replace"))
        content = by_id.get(content_id.decode("utf-8", "replace"))
        if target is None or content is None or content.get("hidden") is None:
            continue
        if target.tag != "template" or content.getparent() is None or target.getparent() is None:
            continue
        if any(el is content for el in target.iterancestors()):
            continue  # a hostile page: content that holds its own target
        _move_children_after(content, target)
        _drop_tree(target)
        _drop_tree(content)


def _drop_tree(el: Element) -> None:
    """Remove the element and its content, keeping its tail (lxml.html's ``drop_tree``)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)


def _move_children_after(source: Element, anchor: Element) -> None:
    """Move ``source``'s text and children, in order, to just after ``anchor`` (before the text
    that followed ``anchor``)."""
    after, anchor.tail = anchor.tail, source.text
    source.text = None
    children = list(source)
    for child in reversed(children):
        anchor.addnext(child)  # a child keeps its tail: the text that follows it
    last = children[-1] if children else anchor
    last.tail = (last.tail or "") + (after or "") or None


def _is_hidden(el: Element, aria: bool) -> bool:
    """Tell whether an element is hidden by an attribute or inline style."""
    attrib = el.attrib
    if not attrib:
        return False
    if "hidden" in attrib:
        return True
    if aria:
        value = attrib.get("aria-hidden")
        if value is not None and value.strip().lower() == "true":
            return True
    style = attrib.get("style")
    return style is not None and _HIDDEN_STYLE_RE.search(style) is not None


# Elements that may be hidden (an attribute or an inline style says so): _is_hidden decides.
_MAYBE_HIDDEN = etree.XPath("//*[@hidden or @aria-hidden or @style]")


def hidden_text_length(root: Element) -> int:
    """Characters of text inside the page's hidden elements (as :func:`_is_hidden` tells, with
    ``aria-hidden``), scripts in them included, each character once."""
    total = 0
    counted: set[Element] = set()
    for el in _MAYBE_HIDDEN(root):  # in document order: an element before its descendants
        if _is_hidden(el, True) and not any(a in counted for a in el.iterancestors()):
            counted.add(el)
            total += sum(map(len, el.itertext()))
    return total


def _pre_text(text: str) -> str:
    """Protect whitespace inside preformatted text from collapsing."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace(" ", _PRE_SPACE).replace("\t", _PRE_TAB)


def _resolve_breaks(text: str) -> str:
    """Resolve each run of required line breaks, literal newlines and spaces to newlines: as many
    as the run holds, at least one (two for a blank line)."""
    parts = _BREAK_RUN_RE.split(text)  # text, run, text, run, …, text
    for i in range(1, len(parts), 2):
        before, run = parts[i - 1], parts[i]
        kept = before.rstrip(" \n")  # the run starts with the spaces and newlines before it
        newlines = before.count("\n", len(kept)) + run.count("\n")
        parts[i - 1] = kept
        parts[i] = "\n" * max(2 if _PARA in run else 1, newlines)
    return "".join(parts)


# Called on each shown element (and its tag) with its parent's context; returns its own context.
Tracker = Callable[[Element, str, Any], Any]


def _walk(
    root: Element,
    skip_tags: frozenset[str],
    skip_aria_hidden: bool,
    track: Tracker | None = None,
    owners: list[tuple[int, Any]] | None = None,
    show_hidden: bool = False,
) -> list[str]:
    """Walk the tree iteratively and return text pieces interleaved with break sentinels.

    With ``track``, ``owners`` receives (piece index, context) for every text piece but the
    whitespace between tags: the context ``track`` made for the element the text sits in.
    ``show_hidden``: walk hidden elements too (``hidden``, ``aria-hidden``, inline ``display:none``)."""
    out: list[str] = []
    emit = out.append
    ws_sub = _WS_RE.sub
    kinds: list[int] = []  # per open element: what to emit when it closes
    push = kinds.append
    pop = kinds.pop
    contexts: list[Any] = [None]  # per open element (when tracking): its context
    own = owners.append if owners is not None else None
    pre = 0
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        if event == "start":
            tag = el.tag
            if (
                not isinstance(tag, str)
                or tag in skip_tags
                or (not show_hidden and _is_hidden(el, skip_aria_hidden))
            ):
                walker.skip_subtree()
                push(_K_SKIP)
                if track is not None:
                    contexts.append(None)
                continue
            text = el.text
            if track is not None:  # an empty leaf owns no text and has no children: no context
                contexts.append(track(el, tag, contexts[-1]) if text or len(el) else contexts[-1])
            if tag in _BLOCK_TAGS:
                emit(_BREAK)
                if tag in PRE_TAGS:
                    pre += 1
                    push(_K_PRE)
                else:
                    push(_K_BLOCK)
            elif tag in _PARA_TAGS:
                emit(_PARA)
                push(_K_PARA)
            elif tag in _CELL_TAGS:
                push(_K_CELL)
            else:
                if tag == "br":
                    emit("\n")
                push(_K_INLINE)
            if text:
                if not pre and not text.strip(_WS):
                    emit(" ")  # whitespace between tags: it shows no character, so it has no owner
                else:
                    if own is not None:
                        own((len(out), contexts[-1]))
                    emit(_pre_text(text) if pre else ws_sub(" ", text))
            continue
        kind = pop()
        if track is not None:
            contexts.pop()
        if kind == _K_BLOCK:
            emit(_BREAK)
        elif kind == _K_PARA:
            emit(_PARA)
        elif kind == _K_CELL:
            emit("\t")
        elif kind == _K_PRE:
            emit(_BREAK)
            pre -= 1
        tail = el.tail
        if tail and kinds:
            if not pre and not tail.strip(_WS):
                emit(" ")
            else:
                if own is not None:
                    own((len(out), contexts[-1]))
                emit(_pre_text(tail) if pre else ws_sub(" ", tail))
    return out


def render_text(html: str, wrap: int | None = None, *, chromium_like: bool = False) -> str:
    """Render HTML to innerText-like text, hard-wrapped at ``wrap`` columns if given."""
    return render_tree(parse_html(html), wrap, chromium_like=chromium_like)


def render_tree(
    root: Element,
    wrap: int | None = None,
    *,
    chromium_like: bool = False,
    noscript: bool = False,
    show_hidden: bool = False,
) -> str:
    """Render a parsed page (see :func:`parse_html`) to innerText-like text."""
    # noscript: show <noscript>/<object> fallback content, as a browser with JavaScript and
    # plugins off does (declutter runs no JavaScript; forum software puts its posts there).
    # chromium_like: that, and aria-hidden content too, as headless Chromium shows it.
    # show_hidden: hidden elements too (what an extractor reading the markup, not the screen, sees)
    skip_tags = _SKIP_TAGS_CHROMIUM if chromium_like or noscript else _SKIP_TAGS
    return _lines("".join(_walk(root, skip_tags, not chromium_like, show_hidden=show_hidden)), wrap)


def render_tracked(
    root: Element, track: Tracker, show_hidden: bool = False
) -> tuple[str, list[tuple[str, Any]]]:
    """Render a parsed page like :func:`render_tree` with ``noscript`` and return, beside the text,
    each text piece in reading order (but the whitespace between tags) with the context
    ``track`` made for its element (``show_hidden``: hidden elements too, see :func:`_walk`).

    The pieces' characters other than whitespace (and the renderer's sentinels) are exactly those
    the text shows, in the same order, so pieces can be mapped onto lines by counting them."""
    owners: list[tuple[int, Any]] = []
    pieces = _walk(root, _SKIP_TAGS_CHROMIUM, True, track, owners, show_hidden)
    return _lines("".join(pieces), None), [(pieces[i], context) for i, context in owners]


def visible_chars(piece: str) -> int:
    """Characters of a walk's text piece that the rendered text shows (not whitespace, not the
    sentinels that stand for spaces and tabs inside ``<pre>``)."""
    count = len("".join(piece.split()))
    if _PRE_SPACE in piece or _PRE_TAB in piece:
        count -= piece.count(_PRE_SPACE) + piece.count(_PRE_TAB)
    return count


def _lines(text: str, wrap: int | None) -> str:
    """Turn the walk's pieces (joined) into text lines: collapse spaces, resolve breaks, wrap."""
    text = _SPACES_RE.sub(" ", text)
    text = _TAB_RE.sub("\t", text)
    text = _resolve_breaks(text)
    lines: list[str] = []
    blank = True  # suppresses leading blank lines
    for raw in text.split("\n"):
        line = raw.strip(" ").replace(_PRE_SPACE, " ").replace(_PRE_TAB, "\t").rstrip()
        if not line:
            if not blank:
                lines.append("")
                blank = True
            continue
        blank = False
        if wrap is None:
            lines.append(line)
        else:
            lines.extend(textwrap.wrap(line, wrap, break_long_words=False, break_on_hyphens=False) or [line])
    if lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)
