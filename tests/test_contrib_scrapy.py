"""The Scrapy pipeline: real crawls of a local news site (each in a subprocess), and its checks."""

from __future__ import annotations

import asyncio
import functools
import importlib
import json
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("scrapy", reason="Scrapy is the [scrapy] extra")

import scrapy
from conftest import SLOW_DUMP, with_settings
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from declutter import Declutter
from declutter.contrib.scrapy import DeclutterPipeline, PipelineOptions, cleaner_settings

# A whole crawl (model load included) takes about 3 s; this is the point it has hung.
CRAWL_TIMEOUT_S = 120
PIPELINE = "declutter.contrib.scrapy.DeclutterPipeline"
# Document attributes the crawls write into their items (each under its own name).
OUTPUTS = ("title", "text", "body", "meta", "is_article", "article_probability")
# Scrapy's default is the asyncio reactor; this one runs no asyncio loop.
SELECT_REACTOR = "twisted.internet.selectreactor.SelectReactor"
# A time limit short enough that the slow dump always exceeds it.
SHORT_TIMEOUT_S = 0.2

SITE = "The Ashford Ledger"
NAV = ["Home", "News", "Sport", "Business", "Opinion", "Weather", "Events", "Subscribe"]
COOKIE = (
    "We use cookies to improve your experience on our site. By continuing to browse you agree "
    "to our use of cookies."
)
FOOTER = "© 2024 Ashford Ledger Media Ltd. All rights reserved."
FOOTER_LINKS = ["Contact us", "Privacy policy", "Terms of use", "Advertise with us"]
NEWSLETTER = "Get the Ledger's free morning briefing in your inbox every weekday."


@dataclass(frozen=True)
class Story:
    """A news article of the test site."""

    path: str
    headline: str
    byline: str
    paragraphs: list[str]
    related: list[str]


FLOOD = Story(
    "news/riverside-flood-wall.html",
    "Council approves £14m flood wall for Riverside after winter of evacuations",
    "By Helen Okafor, Local Democracy Reporter",
    [
        "Ashford Borough Council has approved a £14 million flood wall along the Riverside estate, "
        "three months after rising water forced more than 200 households to leave their homes in the "
        "middle of the night.",
        "Councillors voted 31 to 6 on Tuesday evening in favour of the scheme, which will see a "
        "1.8-metre reinforced concrete barrier built along a 900-metre stretch of the Great Stour "
        "between Victoria Park and the old cattle market.",
        "Residents who packed the public gallery applauded as the result was read out. Many of them "
        "had spent January in temporary accommodation while their ground floors were stripped back "
        "to the brick and left to dry.",
        '"We have been promised defences for the best part of fifteen years," said Margaret Eze, '
        "who chairs the Riverside Residents' Association. \"Tonight is the first time anyone has "
        'actually put money on the table, and I will believe it when I see the diggers."',
        "The cost will be split between the Environment Agency, which has committed £9.5 million, "
        "and the council, which plans to borrow the remainder over twenty-five years. Opposition "
        "members argued that the borrowing would squeeze budgets for roads and libraries.",
        "Engineers told the meeting that construction could begin next spring and would take around "
        "eighteen months, with temporary pumps kept on standby at the lowest-lying streets until the "
        "wall is finished.",
        "A separate proposal to plant wet woodland on farmland upstream, which would slow water "
        "reaching the town during heavy rain, will be brought back to the cabinet in the autumn.",
    ],
    [
        "Riverside families spend a third night in emergency shelter",
        "How the Great Stour burst its banks: a timeline",
        "Insurers warn flood-hit homeowners of rising premiums",
    ],
)
BEETLES = Story(
    "nature/stag-beetle-count.html",
    "Volunteers count record number of stag beetles in Hollins Wood",
    "By Tomasz Wierzbicki",
    [
        "A team of volunteer naturalists has recorded 212 stag beetles in Hollins Wood this summer, "
        "the highest count since the annual survey began in 2009.",
        "The insects, Britain's largest native beetle, spend up to six years as larvae feeding on "
        "rotting wood underground before emerging for a few weeks of adult life in early summer.",
        "Survey leader Priya Raman said the rise followed a decision by the woodland trust to leave "
        "fallen oak and beech where they lay rather than clearing them for firewood.",
        '"Dead wood looks untidy to a lot of people, but for these beetles it is the whole nursery," '
        'she said. "We counted males fighting over a single log near the car park on one evening."',
        "Volunteers walked fixed routes at dusk twice a week through June and July, noting each "
        "beetle's sex and location on a shared map so that none were counted twice.",
        "The trust now plans to build log piles in three nearby parks and is asking residents to "
        "report sightings in their gardens through its website.",
    ],
    ["Bat walks return to Hollins Wood this autumn", "Why the dead trees in our parks are worth keeping"],
)
STORIES = (FLOOD, BEETLES)
LISTING_PATH = "news/index.html"
# The section index: headline, teaser; the two real stories among links to pages long gone (404).
LISTING = [
    (FLOOD.headline, "Residents applauded as councillors backed the scheme by 31 votes to 6."),
    ("Bus operator cuts evening services on three town routes", "Shift workers say they will be stranded."),
    ("New headteacher named at Highworth Grammar", "A Maidstone deputy head takes over in September."),
    ("Library opening hours extended over the summer", "Two branches will open on Sundays until August."),
    ("Plans lodged for 120 homes on former dairy site", "A quarter would be offered at affordable rents."),
    ("Charity shop volunteers honoured at civic awards", "Nine volunteers with 300 years of service."),
    ("Roadworks to close Beaver Road for six weeks", "Drivers are advised to use the ring road."),
    ("Town centre market to move to Saturday mornings", "Traders hope to bring in weekend shoppers."),
    ("Police appeal after shed break-ins in Kennington", "Garden tools and two bicycles were taken."),
    ("Ashford youth orchestra heads to Vienna festival", "Forty musicians raised £18,000 for the trip."),
    (BEETLES.headline, "Leaving fallen oaks on the ground has paid off, surveyors say."),
    ("Care home rated good after surprise inspection", "Inspectors praised staff for their care."),
    ("Hospital car park charges to rise in April", "The trust says it will fund an outpatient wing."),
    ("Allotment waiting list passes 400 names", "Some residents have waited six years for a plot."),
    ("Cinema reopens after £2m refurbishment", "The three-screen venue now has step-free access."),
    ("Cyclists call for safer junction at Drovers roundabout", "A petition has 1,200 signatures."),
    ("Primary school wins national recycling prize", "Pupils cut landfill waste by two thirds."),
    ("Leisure centre pool closed for urgent repairs", "Lessons move to Tenterden for the month."),
    ("Record turnout for Ashford half marathon", "More than 3,000 runners braved the drizzle."),
    ("Food bank appeals for tinned fruit and toiletries", "Demand has risen by a fifth since Christmas."),
]


def page(title: str, main: str) -> str:
    """A page of the site: cookie notice, header and menu, ``main``, footer."""
    nav = "".join(f'<li><a href="/{n.lower()}/">{n}</a></li>' for n in NAV)
    links = " | ".join(f'<a href="/{n.lower().replace(" ", "-")}/">{n}</a>' for n in FOOTER_LINKS)
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{escape(title)} | {SITE}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<div id="cookie-banner" class="cookie-notice"><p>{COOKIE}</p>
<button>Accept all</button> <button>Manage preferences</button></div>
<header class="site-header"><a class="logo" href="/">{SITE}</a> <a href="/account/">Sign in</a>
<nav class="main-nav"><ul>{nav}</ul></nav></header>
<main>
{main}
</main>
<footer class="site-footer"><p>{links}</p><p>{FOOTER}</p></footer>
</body></html>
"""


def article_page(story: Story) -> str:
    """The story with its byline, share buttons, a photo, a newsletter box, tags and related links."""
    paragraphs = [f"<p>{escape(p)}</p>" for p in story.paragraphs]
    paragraphs.insert(1, '<figure><img src="/img/lead.jpg" alt=""><figcaption>The scene on 9 January.')
    paragraphs[1] += " Photo: Ledger staff</figcaption></figure>"
    paragraphs.insert(5, f'<div class="newsletter"><p>{escape(NEWSLETTER)}</p><button>Sign up</button></div>')
    related = "".join(
        f'<li><a href="/related/{i}.html">{escape(r)}</a></li>' for i, r in enumerate(story.related)
    )
    body = "\n".join(paragraphs)
    return page(
        story.headline,
        f"""<article>
<h1>{escape(story.headline)}</h1>
<p class="byline">{escape(story.byline)}</p>
<p class="dateline"><time datetime="2024-03-12T18:40">Published 12 March 2024, 18:40</time></p>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Email</a></div>
<div class="article-body">
{body}
</div>
</article>
<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside>""",
    )


def listing_page() -> str:
    """The news section index: twenty linked headlines, each with a date and a one-line teaser."""
    paths = {s.headline: f"/{s.path}" for s in STORIES}
    items = "\n".join(
        f'<li><h3><a href="{paths.get(h, f"/news/story-{i}.html")}">{escape(h)}</a></h3>'
        f"<time>{i + 1} March 2024</time><p>{escape(teaser)}</p></li>"
        for i, (h, teaser) in enumerate(LISTING)
    )
    return page(
        "Local news", f'<h1>Local news</h1><ul class="story-list">{items}</ul><a href="?p=2">More</a>'
    )


# The crawl, run by a fresh interpreter (a Twisted reactor cannot restart): argv[1] is a JSON job.
RUNNER = """
import json
import sys

from scrapy import Spider
from scrapy.crawler import CrawlerProcess

job = json.loads(open(sys.argv[1], encoding="utf-8").read())


class Site(Spider):
    name = "site"
    start_urls = [job["start"]]

    def parse(self, response):
        if job["bytes"]:
            yield {"url": response.url, "html": response.body, "encoding": response.encoding}
        else:
            yield {"url": response.url, "html": response.text}
        yield from response.follow_all(css="ul.story-list a", callback=self.parse)


process = CrawlerProcess(job["settings"])
crawler = process.create_crawler(Site)
process.crawl(crawler)
process.start()
with open(job["stats"], "w", encoding="utf-8") as out:
    json.dump(crawler.stats.get_stats(), out, default=str)
"""


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site directory without a log line per request."""

    def log_message(self, format: str, *args: Any) -> None:
        """Silent."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The test site on a local HTTP server: its base URL."""
    root = tmp_path_factory.mktemp("site")
    pages = {LISTING_PATH: listing_page(), **{s.path: article_page(s) for s in STORIES}}
    for path, html in pages.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(html, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass(frozen=True)
class Crawl:
    """What one crawl wrote: its items by URL path, its stats and its log."""

    items: dict[str, dict[str, Any]]
    stats: dict[str, Any]
    log: str


@pytest.fixture(scope="module")
def crawl(site: str, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Crawl]:
    """Run a crawl of the site with these DECLUTTER_* settings (each variant once per module)."""
    done: dict[str, Crawl] = {}

    def run(as_bytes: bool = False, reactor: str | None = None, **declutter: Any) -> Crawl:
        key = json.dumps([as_bytes, reactor, declutter], sort_keys=True)
        if key in done:
            return done[key]
        work = tmp_path_factory.mktemp("crawl")
        feed, stats = work / "items.jsonl", work / "stats.json"
        settings = {
            "ITEM_PIPELINES": {PIPELINE: 300},
            "FEEDS": {str(feed): {"format": "jsonlines", "encoding": "utf-8"}},
            "FEED_EXPORT_FIELDS": ["url", *OUTPUTS],
            "ROBOTSTXT_OBEY": False,
            "LOG_LEVEL": "INFO",  # dropped non-articles are logged at INFO
            "TELNETCONSOLE_ENABLED": False,
            "REMOTE_CONTROL_ENABLED": False,
            **({"TWISTED_REACTOR": reactor} if reactor else {}),
            "DECLUTTER_OUTPUT_FIELDS": {attribute: attribute for attribute in OUTPUTS},
            **{f"DECLUTTER_{name.upper()}": value for name, value in declutter.items()},
        }
        job = {
            "start": f"{site}/{LISTING_PATH}",
            "bytes": as_bytes,
            "settings": settings,
            "stats": str(stats),
        }
        (work / "job.json").write_text(json.dumps(job), encoding="utf-8")
        (work / "runner.py").write_text(RUNNER, encoding="utf-8")
        result = subprocess.run(
            [sys.executable, str(work / "runner.py"), str(work / "job.json")],
            capture_output=True,
            text=True,
            timeout=CRAWL_TIMEOUT_S,
        )
        assert result.returncode == 0, result.stderr
        for trouble in ("ERROR", "Traceback", "DeprecationWarning"):
            assert trouble not in result.stderr, result.stderr
        lines = feed.read_text(encoding="utf-8").splitlines() if feed.exists() else []
        items = [json.loads(line) for line in lines]
        by_path = {item["url"].removeprefix(site + "/"): item for item in items}
        assert len(by_path) == len(items)
        done[key] = Crawl(by_path, json.loads(stats.read_text(encoding="utf-8")), result.stderr)
        return done[key]

    return run


def assert_clean_article(item: dict[str, Any], story: Story) -> None:
    """The item holds the story's headline, byline and paragraphs, and none of the site's chrome."""
    text = item["text"]
    assert item["title"] == story.headline
    assert text.startswith(story.headline + "\n\n")
    for paragraph in story.paragraphs:
        assert paragraph in text
    assert story.byline in item["meta"]
    assert not set(text.splitlines()) & {*NAV, SITE, "Related stories", *story.related}
    for chrome in (COOKIE, FOOTER, "Privacy policy", "Sign in", "Share on Facebook", NEWSLETTER):
        assert chrome not in text
    assert item["is_article"] is True


@pytest.mark.parametrize("as_bytes", [False, True], ids=["str", "bytes"])
def test_crawl_cleans_articles_and_keeps_non_articles_blank(
    crawl: Callable[..., Crawl], as_bytes: bool
) -> None:
    result = crawl(as_bytes=as_bytes, non_articles="blank")
    assert sorted(result.items) == sorted([LISTING_PATH, *(s.path for s in STORIES)])
    for story in STORIES:
        assert_clean_article(result.items[story.path], story)
    listing = result.items[LISTING_PATH]
    assert listing["is_article"] is False
    assert listing["article_probability"] < 0.5
    assert (listing["text"], listing["body"], listing["title"], listing["meta"]) == ("", "", None, [])
    assert result.stats["finish_reason"] == "finished"
    assert result.stats.get("item_dropped_count", 0) == 0
    assert result.stats["declutter/articles"] == len(STORIES)
    assert result.stats["declutter/non_articles"] == 1


def test_crawl_keeps_non_articles_as_cleaned_by_default(crawl: Callable[..., Crawl]) -> None:
    result = crawl()
    listing = result.items[LISTING_PATH]
    assert listing["is_article"] is False and listing["text"]
    assert result.stats.get("item_dropped_count", 0) == 0


def test_crawl_under_a_non_asyncio_reactor(crawl: Callable[..., Crawl]) -> None:
    result = crawl(reactor=SELECT_REACTOR)  # pages cleaned in Twisted's thread pool, not asyncio's
    for story in STORIES:
        assert_clean_article(result.items[story.path], story)
    assert result.items[LISTING_PATH]["is_article"] is False


def test_crawl_drops_non_articles_when_asked(crawl: Callable[..., Crawl]) -> None:
    result = crawl(non_articles="drop")
    assert sorted(result.items) == sorted(s.path for s in STORIES)
    for story in STORIES:
        assert_clean_article(result.items[story.path], story)
    assert result.stats["item_dropped_count"] == 1
    assert result.stats["item_dropped_reasons_count/DropItem"] == 1
    dropped = r"INFO: .*declutter: not an article \(article probability 0\.\d\d\): http://127\.0\.0\.1:\d+/"
    assert re.search(dropped + re.escape(LISTING_PATH), result.log)


def test_crawl_loads_the_models_once(crawl: Callable[..., Crawl]) -> None:
    result = crawl()
    assert result.stats["item_scraped_count"] == 1 + len(STORIES)
    assert result.stats["declutter/models_loaded"] == 1


def test_crawl_threshold_reaches_the_cleaner(crawl: Callable[..., Crawl]) -> None:
    loose = crawl(threshold=0.01).items[FLOOD.path]["text"]
    strict = crawl(threshold=0.99).items[FLOOD.path]["text"]
    assert NEWSLETTER in loose
    assert NEWSLETTER not in strict
    assert len(strict) < len(loose)
    for paragraph in FLOOD.paragraphs:
        assert paragraph in strict


def make_crawler(**settings: Any) -> Crawler:
    """A crawler with these settings, never started."""
    return Crawler(scrapy.Spider, settings)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"DECLUTTER_NON_ARTICLES": "delete"}, "DECLUTTER_NON_ARTICLES must be one of keep, blank, drop"),
        ({"DECLUTTER_OUTPUT_FIELDS": {"txt": "text"}}, "unknown document attribute(s) 'txt'"),
        ({"DECLUTTER_TRESHOLD": 0.5}, "unknown setting(s) DECLUTTER_TRESHOLD; known: DECLUTTER_INPUT_FIELD"),
        ({"DECLUTTER_OUTPUT_FIELDS": ["text"]}, "DECLUTTER_OUTPUT_FIELDS must be a dict"),
        ({"DECLUTTER_INPUT": "xml"}, "DECLUTTER_INPUT must be one of auto, html, text"),
        ({"DECLUTTER_THRESHOLD": "high"}, "DECLUTTER_THRESHOLD must be a number"),
        ({"DECLUTTER_THRESHOLD": 1.5}, "threshold must be within [0, 1]"),
        ({"DECLUTTER_THRESHOLD": 0.5, "DECLUTTER_FAVOR_RECALL": True}, "exclude each other"),
        ({"DECLUTTER_RULES": "/nonexistent/rules.toml"}, "cannot read the rules file"),
    ],
)
def test_bad_settings_fail_at_start(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        DeclutterPipeline.from_crawler(make_crawler(**settings))
    assert message in str(raised.value)


def test_user_rules_apply_to_the_crawled_page(cleaner: Declutter, tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[[rule]]\nname = "sponsor"\naction = "drop"\nphrases = ["Sponsored by"]\n', encoding="utf-8"
    )
    settings = cleaner_settings(make_crawler(DECLUTTER_RULES=str(rules)).settings)
    assert cleaner.model is not None
    pipeline = DeclutterPipeline(Declutter.from_model(cleaner.model, settings, cleaner.html_model))
    body = "A sentence of the article that reads as prose and ends with a full stop."
    paragraphs = f"<p>{body}</p><p>Sponsored by Acme, {body}</p>"
    page = f"<html><body><h1>Headline of the piece</h1>{paragraphs}</body></html>"
    item = asyncio.run(pipeline.process_item({"url": "http://example.com/a", "html": page}))
    assert body in item["text"] and "Sponsored by" not in item["text"]


def test_the_trafilatura_fallback_is_a_setting(cleaner: Declutter) -> None:
    assert cleaner_settings(make_crawler().settings).fallback is None
    settings = cleaner_settings(make_crawler(DECLUTTER_FALLBACK="trafilatura").settings)
    assert settings.fallback == "trafilatura"
    with pytest.raises(ValueError, match="fallback must be one of trafilatura"):
        cleaner_settings(make_crawler(DECLUTTER_FALLBACK="readability").settings)


def test_an_item_without_the_page_is_dropped(cleaner: Declutter) -> None:
    pipeline = DeclutterPipeline(cleaner)
    with pytest.raises(DropItem, match=r"no 'html' field .* in http://example\.com/a"):
        asyncio.run(pipeline.process_item({"url": "http://example.com/a", "body": "<p>x</p>"}))
    with pytest.raises(DropItem, match=r"no 'html' field .* item with fields 'body'"):
        asyncio.run(pipeline.process_item({"body": "<p>x</p>"}))
    with pytest.raises(DropItem, match=r"'html' field holds int, not str or bytes"):
        asyncio.run(pipeline.process_item({"html": 42}))


def test_a_refused_page_is_dropped_naming_the_url_and_error(cleaner: Declutter) -> None:
    pipeline = DeclutterPipeline(with_settings(cleaner, timeout=SHORT_TIMEOUT_S))
    item = {"url": "http://example.com/slow", "html": SLOW_DUMP}
    with pytest.raises(DropItem, match=r"http://example\.com/slow: DocumentTimeout: took longer than 0\.2 s"):
        asyncio.run(pipeline.process_item(item))


def test_a_page_declutter_cannot_read_is_dropped(cleaner: Declutter) -> None:
    item = {"url": "http://example.com/archive.zip", "html": b"PK\x03\x04" + bytes(range(256)) * 8}
    with pytest.raises(DropItem, match=r"^declutter refused http://example\.com/archive\.zip: InputError: "):
        asyncio.run(DeclutterPipeline(cleaner).process_item(item))


def test_without_scrapy_the_import_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "declutter.contrib.scrapy")
    monkeypatch.setitem(sys.modules, "scrapy.exceptions", None)  # as if Scrapy were not installed
    with pytest.raises(ImportError, match=re.escape("install declutter[scrapy]")):
        importlib.import_module("declutter.contrib.scrapy")


class Page(scrapy.Item):
    """A declared item: the page and the fields the pipeline fills."""

    url = scrapy.Field()
    html = scrapy.Field()
    text = scrapy.Field()
    title = scrapy.Field()
    meta = scrapy.Field()


def test_scrapy_items_are_filled_in_place(cleaner: Declutter) -> None:
    item = Page(url=f"http://example.com/{FLOOD.path}", html=article_page(FLOOD))
    assert asyncio.run(DeclutterPipeline(cleaner).process_item(item)) is item
    assert item["title"] == FLOOD.headline
    assert FLOOD.paragraphs[-1] in item["text"]
    assert FLOOD.byline in item["meta"]
    undeclared = PipelineOptions(output_fields={"body": "body"})
    with pytest.raises(KeyError, match="Page has no field 'body'"):
        asyncio.run(DeclutterPipeline(cleaner, undeclared).process_item(item))
