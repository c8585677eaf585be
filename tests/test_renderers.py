"""renderers: the text renderings used for training and evaluation."""

from __future__ import annotations

import shutil

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
