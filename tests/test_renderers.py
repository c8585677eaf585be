"""renderers: the text renderings used for training and evaluation."""

from __future__ import annotations

import shutil
import sys

import pytest

from declutter.corpus import Record
from declutter.renderers import RENDERERS, renderer

HTML = (
    "<html><body><nav>Home</nav><p>" + "A sentence of the article that goes on. " * 6 + "</p></body></html>"
)


def _record() -> Record:
    return Record("1", "toy", "dev", "", "", HTML, "Home\nDump text", "", "", "", "", "")


def test_chromium_is_the_corpus_dump() -> None:
    assert renderer("chromium")(_record()) == "Home\nDump text"


def test_lxml_renderings_and_wrapping() -> None:
    plain = renderer("lxml")(_record())
    wrapped = renderer("lxml-wrap72")(_record())
    assert plain.split("\n")[0] == "Home"
    assert max(len(line) for line in wrapped.split("\n")) <= 72 < max(len(line) for line in plain.split("\n"))


@pytest.mark.parametrize("name", ["lynx", "w3m"])
def test_text_browsers_when_installed(name: str) -> None:
    if shutil.which(name) is None:
        pytest.skip(f"{name} is not installed (evaluation-only renderer)")
    assert "A sentence of the article" in RENDERERS[name](_record())


def test_unknown_renderer() -> None:
    with pytest.raises(ValueError, match="known"):
        renderer("links")


@pytest.mark.parametrize("name", ["html2text", "markdownify"])
def test_markdown_converters_when_installed(name: str) -> None:
    pytest.importorskip(name, reason=f"{name} is not installed (evaluation-only renderer)")
    markdown = RENDERERS[name](_record())
    assert "A sentence of the article" in markdown


def test_soup_text_cuts_sentences_at_links() -> None:
    pytest.importorskip("bs4", reason="beautifulsoup4 is not installed (evaluation-only renderer)")
    html = "<html><body><script>var x;</script><p>The mayor said <a href='/x'>the plan</a>, in the end.</p>"
    record = Record("1", "toy", "dev", "", "", html, "", "", "", "", "", "")
    assert renderer("soup")(record).split("\n") == ["The mayor said", "the plan", ", in the end."]


def test_a_missing_converter_names_its_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "bs4", None)
    with pytest.raises(RuntimeError, match="pip install beautifulsoup4"):
        renderer("soup")(_record())


def test_a_missing_converter_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "html2text", None)  # what an uninstalled module imports as
    with pytest.raises(RuntimeError, match="pip install html2text"):
        renderer("html2text")(_record())
