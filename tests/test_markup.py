"""markup: an HTML page becomes innerText-like lines plus its metadata."""

from __future__ import annotations

import json
from typing import Any

import pytest

from declutter.markup import METADATA_FIELDS, read_page
from declutter.metadata import MARKUP_ARTICLE, MARKUP_UNKNOWN

PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head>
<title>Seal pups counted | The Northern Ledger</title>
<meta property="og:site_name" content="The Northern Ledger">
<meta name="author" content="Tom Ellery">
<meta property="article:published_time" content="2023-12-14T09:00:00Z">
<link rel="canonical" href="https://ledger.example/science/seal-pups">
<script>var hidden = "never shown";</script><style>p { color: red }</style>
</head><body>
<nav><a href="/">Home</a> <a href="/science">Science</a></nav>
<h1>Rangers count record number of grey seal pups</h1>
<p>A record 2,981 grey seal pups were born on the islands this season.</p>
<div hidden>Hidden promo</div><div style="display: none">Also hidden</div>
<template><p>Template text</p></template>
</body></html>"""


def test_page_text_is_what_a_browser_shows() -> None:
    text = read_page(PAGE).text
    lines = [line for line in text.split("\n") if line]
    assert lines[0] == "Home Science"
    assert "Rangers count record number of grey seal pups" in lines
    assert "A record 2,981 grey seal pups were born on the islands this season." in lines
    for hidden in ("never shown", "color: red", "Hidden promo", "Also hidden", "Template text"):
        assert hidden not in text


def test_metadata_is_read_from_the_markup() -> None:
    metadata = read_page(PAGE).metadata
    assert set(metadata) == set(METADATA_FIELDS)
    assert metadata["author"] == "Tom Ellery"
    assert metadata["sitename"] == "The Northern Ledger"
    assert metadata["date"] == "2023-12-14"
    assert metadata["language"] == "en-GB"
    assert metadata["url"] == "https://ledger.example/science/seal-pups"


def test_metadata_can_be_skipped() -> None:
    assert read_page(PAGE, metadata=False).metadata == {}


def test_a_page_without_metadata_has_none_values() -> None:
    metadata = read_page("<html><body><p>Just a paragraph.</p></body></html>").metadata
    assert metadata["author"] is None and metadata["language"] is None


def test_dom_features_come_with_the_text_when_asked() -> None:
    page = read_page(PAGE, dom=True)
    assert page.text == read_page(PAGE).text
    assert page.dom is not None and len(page.dom.features) == len(page.text.split("\n"))
    assert read_page(PAGE).dom is None


LD_PAGE = (
    '<html><head><script type="application/ld+json">{"@context": "https://schema.org",'
    ' "@type": "NewsArticle", "headline": "Seals counted again"}</script></head>'
    "<body><h1>Seals counted again</h1><p>The count rose for the third year running.</p></body></html>"
)


@pytest.mark.parametrize(("metadata", "dom"), [(True, True), (False, True), (True, False), (False, False)])
def test_a_page_s_json_ld_is_parsed_once(monkeypatch: pytest.MonkeyPatch, metadata: bool, dom: bool) -> None:
    parsed: list[str] = []
    real = json.loads

    def loads(text: str) -> Any:
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(json, "loads", loads)  # what declutter.metadata calls
    page = read_page(LD_PAGE, metadata=metadata, dom=dom)
    assert len(parsed) == 1
    assert page.headline == "Seals counted again"
    assert page.kind == (MARKUP_ARTICLE if dom else MARKUP_UNKNOWN)
