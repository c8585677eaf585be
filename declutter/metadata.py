"""Page metadata from HTML: title, author, date, site name, language and canonical URL.

Read from the markup only (meta tags, JSON-LD, ``<title>``, ``<link rel=canonical>``), in the order
Mozilla Readability reads them, so the title is the article's headline as publishers state it:
``og:title`` / JSON-LD ``headline`` before ``<title>``, and a ``<title>`` is stripped of its
"| Site name" part. Nothing here guesses from the visible text, and nothing here is slow.
"""

from __future__ import annotations

import email.utils
import json
import re
from typing import Any

import lxml.etree as etree

from declutter.render import Element

# Metadata fields a Document from HTML carries (None where the page has none).
METADATA_FIELDS = ("title", "author", "date", "sitename", "language", "url")

# Readability's patterns: meta ``property`` values (space-separated lists) and ``name`` values.
_PROPERTY_RE = re.compile(
    r"\s*(article|dc|dcterm|og|twitter)\s*:\s*(author|creator|description|published_time|title|site_name)\s*",
    re.IGNORECASE,
)
_NAME_RE = re.compile(
    r"^\s*(?:(dc|dcterm|og|twitter|parsely|weibo:(article|webpage))\s*[-.:]\s*)?"
    r"(author|creator|pub-date|description|title|site_name)\s*$",
    re.IGNORECASE,
)
_TITLE_KEYS = (
    "dc:title",
    "dcterm:title",
    "og:title",
    "weibo:article:title",
    "weibo:webpage:title",
    "title",
    "twitter:title",
    "parsely-title",
)
_AUTHOR_KEYS = ("dc:creator", "dcterm:creator", "author", "parsely-author")
_DATE_KEYS = ("article:published_time", "parsely-pub-date")
_SITE_KEYS = ("og:site_name",)
# Beyond Readability: other common meta names (lower-cased) for a date, an author and a site name.
_EXTRA_KEYS = {
    "date": (
        "og:published_time",
        "datepublished",
        "date",
        "pubdate",
        "publishdate",
        "publish-date",
        "publication_date",
        "sailthru.date",
        "dc.date",
        "dc.date.issued",
        "dcterms.date",
        "dcterms.created",
        "article.published",
        "original-publish-date",
        "parsely-pub-date",
    ),
    "author": ("byl", "sailthru.author", "article:author_name", "citation_author", "dc.creator"),
    "sitename": ("application-name", "al:android:app_name", "al:ios:app_name"),
}
_EXTRA_NAMES = {key: name for name, keys in _EXTRA_KEYS.items() for key in keys}
_ISO_DATE_RE = re.compile(r"^(\d{4})[-/]?(\d{2})[-/]?(\d{2})(?:$|[T ])")
# The <title> part taken as the site name: after the last separator, at most this many words.
SITE_NAME_WORDS = 4
# JSON-LD types that describe an article (Readability's list).
_ARTICLE_TYPE_RE = re.compile(
    r"^(Article|AdvertiserContentArticle|NewsArticle|AnalysisNewsArticle|AskPublicNewsArticle|"
    r"BackgroundNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|Report|"
    r"SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|SocialMediaPosting|BlogPosting|"
    r"LiveBlogPosting|DiscussionForumPosting|TechArticle|APIReference)$"
)
_SCHEMA_CONTEXT_RE = re.compile(r"^https?://schema\.org/?$")
_CDATA_RE = re.compile(r"^\s*<!\[CDATA\[|\]\]>\s*$")
# Title separators: the site name sits on the far side of " | ", " - ", " » "…
_SEPARATORS = r"|\-–—\\/>»"  # as a regex character set's contents
_SEPARATOR_RE = re.compile(f" [{_SEPARATORS}] ")
_HIERARCHICAL_RE = re.compile(r" [\\/>»] ")
_LEADING_PART_RE = re.compile(f"^[^{_SEPARATORS}]*[{_SEPARATORS}]")
_SEPARATORS_RE = re.compile(f"[{_SEPARATORS}]+")
_WORD_SPLIT_RE = re.compile(r"\s+")
_TOKEN_RE = re.compile(r"\W+")
_URL_RE = re.compile(r"^https?://", re.IGNORECASE)
# A JSON-LD name and headline that differ: the one this similar to <title> wins (Readability's).
TITLE_SIMILARITY = 0.75
# Readability looks for a lone <h1> when <title> is shorter or longer than these (characters).
SHORT_TITLE, LONG_TITLE = 15, 150
# A cleaned title of this many words or fewer falls back to the whole <title> (Readability's).
FEW_WORDS = 4


def extract(root: Element, ld: dict[str, Any] | None = None) -> dict[str, str | None]:
    """The page's metadata (see ``METADATA_FIELDS``; ``ld``: the page's :func:`json_ld`, if read)."""
    values = _meta_values(root)
    ld = json_ld(root) if ld is None else ld
    title = _title(ld, values, root)
    author = _ld_name(ld.get("author")) or _first(values, _AUTHOR_KEYS)
    if not author:
        article_author = values.get("article:author", "")
        author = article_author if article_author and not _URL_RE.match(article_author) else None
    date = _string(ld.get("datePublished")) or _first(values, _DATE_KEYS) or values.get("+date")
    found = {
        "title": _clean(title),
        "author": _clean(author or values.get("+author") or _byline(root)),
        "date": _clean(_iso_date(date) if date else _time_element(root)),
        "sitename": _clean(_site_name(ld, values, root)),
        "language": _clean(root.get("lang")),
        "url": _clean(_canonical(root) or values.get("og:url")),
    }
    return {name: found[name] or None for name in METADATA_FIELDS}


def title(root: Element, ld: dict[str, Any] | None = None) -> str | None:
    """The page's title alone, as :func:`extract` finds it."""
    return _clean(_title(json_ld(root) if ld is None else ld, _meta_values(root), root)) or None


def _title(ld: dict[str, Any], values: dict[str, str], root: Element) -> str | None:
    """The title from JSON-LD, else the meta tags, else the document (Readability's order)."""
    return _ld_title(ld, root) or _first(values, _TITLE_KEYS) or article_title(root)


# What the markup says of the page's kind: an article (JSON-LD article type, og:type "article"),
# something else (another og:type: "website", "product"), or nothing.
MARKUP_ARTICLE, MARKUP_OTHER, MARKUP_UNKNOWN = 1.0, 0.0, 0.5
_OG_TYPE_XPATH = etree.XPath("//meta[@property='og:type']/@content")


def markup_kind(root: Element, ld: dict[str, Any] | None = None) -> float:
    """Whether the markup calls the page an article: ``MARKUP_ARTICLE``, ``MARKUP_OTHER`` or
    ``MARKUP_UNKNOWN``."""
    og_types = [str(v).strip().lower() for v in _OG_TYPE_XPATH(root)]
    ld = json_ld(root) if ld is None else ld
    if ld or any(t == "article" or t.endswith(".article") for t in og_types):
        return MARKUP_ARTICLE
    return MARKUP_OTHER if og_types else MARKUP_UNKNOWN


def _site_name(ld: dict[str, Any], values: dict[str, str], root: Element) -> str | None:
    named = _ld_name(ld.get("publisher")) or _first(values, _SITE_KEYS) or values.get("+sitename")
    return named or _title_site(root)


def _clean(value: str | None) -> str | None:
    return " ".join(value.split()) if value else None


def _first(values: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((values[key] for key in keys if values.get(key)), None)


def _meta_values(root: Element) -> dict[str, str]:
    """Meta tag values by normalised name, as Readability collects them (the last one wins)."""
    values: dict[str, str] = {}
    for meta in root.iter("meta"):
        content = (meta.get("content") or "").strip()
        if not content:
            continue
        prop = meta.get("property")
        found = _PROPERTY_RE.search(prop) if prop else None
        if found:
            values[re.sub(r"\s", "", found.group(0).lower())] = content
            continue
        name = meta.get("name")
        if name and _NAME_RE.match(name):
            values[re.sub(r"\s", "", name.lower()).replace(".", ":")] = content
            continue
        key = (name or prop or meta.get("itemprop") or "").strip().lower()
        if key == "og:url":
            values["og:url"] = content
        elif key in _EXTRA_NAMES:
            values.setdefault("+" + _EXTRA_NAMES[key], content)  # the first one wins
    return values


# Elements whose class names a byline or whose itemprop/rel is "author", in document order. Found
# through their attributes: the same elements as "//*[@itemprop='author' or …]" in half the time.
_BYLINE_XPATH = etree.XPath(
    "//@class[contains(., 'byline') or contains(., 'author-name')]/.."
    " | //@itemprop[. = 'author']/.. | //@rel[. = 'author']/.."
)
# An element's text and its descendants' (lxml.html's text_content).
_text_content = etree.XPath("string()", smart_strings=False)
_BY_RE = re.compile(r"^(?:by|von|par|por|door|di)\s+", re.IGNORECASE)
# A byline element's text longer than this is not a name (a bio, an author box).
BYLINE_CHARS = 80


def _byline(root: Element) -> str | None:
    """The first short byline element's text, without a leading "By"."""
    for element in _BYLINE_XPATH(root):
        name = element.get("content") or _text_content(element)
        name = _BY_RE.sub("", " ".join(name.split()))
        if name and len(name) <= BYLINE_CHARS:
            return name
    return None


def _iso_date(value: str) -> str:
    """An ISO-like or e-mail style (RFC 2822) date as YYYY-MM-DD; anything else as it is."""
    found = _ISO_DATE_RE.match(value.strip())
    if found:
        return "-".join(found.groups())
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return value


def _time_element(root: Element) -> str | None:
    """The first ``<time datetime>`` marked as the publication date, if any."""
    for element in root.iter("time"):
        stamp = element.get("datetime")
        if stamp and (element.get("itemprop") == "datePublished" or "pubdate" in element.attrib):
            return _iso_date(stamp)
    return None


def _title_site(root: Element) -> str | None:
    """The short site name a ``<title>`` ends or starts with ("Headline | Site", "Site | Headline")."""
    title = _document_title(root)
    separators = list(_SEPARATOR_RE.finditer(title))
    if not separators:
        return None
    last, first = title[separators[-1].end() :].strip(), title[: separators[0].start()].strip()
    headline = article_title(root)
    for site in (last, first):
        if site and _word_count(site) <= SITE_NAME_WORDS and site not in headline:
            return site
    return None


def _canonical(root: Element) -> str | None:
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return str(link.get("href")).strip()
    return None


def _is_article(item: Any) -> bool:
    kind = item.get("@type") if isinstance(item, dict) else None
    return isinstance(kind, str) and _ARTICLE_TYPE_RE.match(kind) is not None


def _schema_org(item: dict[str, Any]) -> bool:
    context = item.get("@context")
    if isinstance(context, dict):
        context = context.get("@vocab")
    return isinstance(context, str) and _SCHEMA_CONTEXT_RE.match(context) is not None


def _ld_article(data: Any) -> dict[str, Any] | None:
    """The article object of a parsed JSON-LD script, found the way Readability finds it."""
    if isinstance(data, list):
        data = next((item for item in data if _is_article(item)), None)
    if not isinstance(data, dict) or not _schema_org(data):
        return None
    if "@type" not in data and isinstance(data.get("@graph"), list):
        data = next((item for item in data["@graph"] if _is_article(item)), None)
    return data if _is_article(data) else None


def json_ld(root: Element) -> dict[str, Any]:
    """The page's first JSON-LD object of an article type (empty if none): what :func:`extract`,
    :func:`title` and :func:`markup_kind` read, parsed once when passed to them."""
    for script in root.iter("script"):
        if script.get("type") != "application/ld+json" or not script.text:
            continue
        try:
            article = _ld_article(json.loads(_CDATA_RE.sub("", script.text)))
        except ValueError:
            continue
        if article is not None:
            return article
    return {}


def _string(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _ld_name(value: Any) -> str | None:
    """A JSON-LD person/organisation name (or names, joined), or a plain string."""
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict):
        return _string(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_ld_name(v) for v in value) if n]
        return ", ".join(names) or None
    return None


def _ld_title(ld: dict[str, Any], root: Element) -> str | None:
    """The JSON-LD title: name or headline; when both differ, the one like the page's title."""
    name, headline = _string(ld.get("name")), _string(ld.get("headline"))
    if name and headline and name != headline:
        title = article_title(root)
        if similarity(headline, title) > TITLE_SIMILARITY and similarity(name, title) <= TITLE_SIMILARITY:
            return headline
        return name
    return name or headline


def similarity(a: str, b: str) -> float:
    """How much of ``b``'s words ``a`` also has (Readability's text similarity)."""
    tokens_a = [t for t in _TOKEN_RE.split(a.lower()) if t]
    tokens_b = [t for t in _TOKEN_RE.split(b.lower()) if t]
    if not tokens_a or not tokens_b:
        return 0.0
    unique_b = [t for t in tokens_b if t not in tokens_a]
    return 1 - len(" ".join(unique_b)) / len(" ".join(tokens_b))


def _word_count(text: str) -> int:
    return len(_WORD_SPLIT_RE.split(text))


def _document_title(root: Element) -> str:
    element = next(root.iter("title"), None)
    return " ".join((_text_content(element) if element is not None else "").split())


def article_title(root: Element) -> str:
    """The headline in the page's ``<title>``, without the site name (Readability's rules)."""
    original = current = _document_title(root)
    hierarchical = False
    separators = list(_SEPARATOR_RE.finditer(current))
    if separators:
        hierarchical = _HIERARCHICAL_RE.search(current) is not None
        current = original[: separators[-1].start()]
        if _word_count(current) < 3:
            current = _LEADING_PART_RE.sub("", original, count=1)
    elif ": " in current:
        current = _after_colon(root, original)
    elif len(current) > LONG_TITLE or len(current) < SHORT_TITLE:
        headings = list(root.iter("h1"))
        if len(headings) == 1:
            current = _text_content(headings[0])
    current = " ".join(current.split())
    words = _word_count(current)
    if words <= FEW_WORDS and (
        not hierarchical or words != _word_count(_SEPARATORS_RE.sub("", original)) - 1
    ):
        current = original
    return current


def _after_colon(root: Element, original: str) -> str:
    """A "Section: Headline" title: the headline, unless a heading carries the whole title."""
    if any(_text_content(h).strip() == original for h in root.iter("h1", "h2")):
        return original
    current = original[original.rfind(":") + 1 :]
    if _word_count(current) < 3:
        return original[original.find(":") + 1 :]
    if _word_count(original[: original.find(":")]) > 5:
        return original
    return current
