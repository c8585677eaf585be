"""metadata: title, author, date, site name, language and URL from the markup, Readability's way."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from conftest import MIN_SANITY_TITLE_SHARE, normalised_title

from declutter.corpus import iter_records
from declutter.metadata import (
    MARKUP_ARTICLE,
    MARKUP_OTHER,
    MARKUP_UNKNOWN,
    article_title,
    extract,
    markup_kind,
    similarity,
    title,
)
from declutter.render import parse_html


def _title(head: str, body: str = "") -> str | None:
    return extract(parse_html(f"<html><head>{head}</head><body>{body}</body></html>"))["title"]


SEALS = "Seal pups counted on the islands"


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (f"<title>{SEALS} | The Ledger</title>", "", SEALS),
        (f"<title>The Ledger | {SEALS}</title>", "", SEALS),
        ("<title>Ledger » Science » Seal pups again</title>", "", "Ledger » Science » Seal pups again"),
        ("<title>Seal pups counted on islands – My website</title>", "", "Seal pups counted on islands"),
        (f"<title>Science: {SEALS}</title>", "", SEALS),
        (
            "<title>Science: Seal pups counted</title>",
            "<h1>Science: Seal pups counted</h1>",
            "Science: Seal pups counted",
        ),
        ("<title>Short</title>", "<h1>The only headline of the page</h1>", "The only headline of the page"),
        ("<title>Tab | Site</title>", "", "Tab | Site"),
    ],
)
def test_title_from_the_title_element(head: str, body: str, expected: str) -> None:
    assert _title(head, body) == expected


def test_og_title_comes_before_the_title_element() -> None:
    head = '<title>Site | Other</title><meta property="og:title" content="Seal pups counted">'
    assert _title(head) == "Seal pups counted"


def test_space_separated_properties_use_the_first() -> None:
    head = (
        '<meta property="dc:title og:title" content="Preferred"><meta name="twitter:title" content="Later">'
    )
    assert _title(head) == "Preferred"


def test_json_ld_headline_comes_first() -> None:
    ld = '{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "From JSON-LD",'
    ld += ' "author": [{"name": "Ann Lee"}, {"name": "Bo Chan"}], "datePublished": "2024-01-06T04:58:00Z",'
    ld += ' "publisher": {"name": "The Ledger"}}'
    head = f'<script type="application/ld+json">{ld}</script><meta property="og:title" content="From OG">'
    found = extract(parse_html(f"<html><head>{head}</head><body></body></html>"))
    assert found["title"] == "From JSON-LD"
    assert found["author"] == "Ann Lee, Bo Chan"
    assert found["date"] == "2024-01-06"
    assert found["sitename"] == "The Ledger"


def test_json_ld_outside_schema_org_or_broken_is_ignored() -> None:
    head = (
        '<script type="application/ld+json">{"@context": "https://example.org", "@type": "NewsArticle",'
        ' "headline": "Wrong"}</script><script type="application/ld+json">{not json</script>'
        "<title>The real headline of this page</title>"
    )
    assert _title(head) == "The real headline of this page"


def test_author_date_site_and_url_from_meta_and_markup() -> None:
    html = (
        '<html lang="de"><head><meta name="pubdate" content="Wed, 22 Mar 2017 07:58:10 +0000">'
        '<link rel="canonical" href="https://ledger.example/a">'
        "<title>Grey seals counted again on the islands | Ledger</title>"
        '</head><body><span class="byline">By Jonathan Landay</span></body></html>'
    )
    found = extract(parse_html(html))
    assert found == {
        "title": "Grey seals counted again on the islands",
        "author": "Jonathan Landay",
        "date": "2017-03-22",
        "sitename": "Ledger",
        "language": "de",
        "url": "https://ledger.example/a",
    }


def test_an_article_author_url_is_not_a_name() -> None:
    head = '<meta property="article:author" content="https://facebook.com/ledger">'
    assert extract(parse_html(f"<html><head>{head}</head></html>"))["author"] is None


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        ('<meta property="og:type" content="article">', MARKUP_ARTICLE),
        ('<meta property="og:type" content="website">', MARKUP_OTHER),
        ('<meta property="og:type" content="product">', MARKUP_OTHER),
        (
            '<script type="application/ld+json">{"@context": "https://schema.org", '
            '"@type": "NewsArticle", "headline": "H"}</script>',
            MARKUP_ARTICLE,
        ),
        ("<title>Nothing said</title>", MARKUP_UNKNOWN),
    ],
)
def test_what_the_markup_calls_the_page(head: str, kind: float) -> None:
    assert markup_kind(parse_html(f"<html><head>{head}</head><body><p>x</p></body></html>")) == kind


def test_similarity_is_the_share_of_words_in_common() -> None:
    assert similarity("seal pups counted", "seal pups counted") == 1.0
    assert similarity("seal pups", "dogs cats") == 0.0
    assert article_title(parse_html("<html></html>")) == ""


def test_title_alone_is_the_title_extract_finds(corpus_dir: Path) -> None:
    roots = [parse_html(r.html) for r in itertools.islice(iter_records(corpus_dir, ("sanity",)), 40)]
    assert [title(root) for root in roots] == [extract(root)["title"] for root in roots]


def test_titles_of_the_sanity_pages(corpus_dir: Path) -> None:
    pairs = [
        (record.extra["title"], extract(parse_html(record.html))["title"])
        for record in iter_records(corpus_dir, ("sanity",))
        if (record.extra or {}).get("title")
    ]
    assert len(pairs) >= 100
    right = sum(normalised_title(want) == normalised_title(got) for want, got in pairs)
    wrong = [p for p in pairs if normalised_title(p[0]) != normalised_title(p[1])]
    assert right / len(pairs) >= MIN_SANITY_TITLE_SHARE, wrong
