"""A Scrapy item pipeline that replaces each scraped page with its clean text, title and metadata.

Enable it with ``ITEM_PIPELINES = {"declutter.contrib.scrapy.DeclutterPipeline": 300}``. The models
are loaded once per crawler; each page is cleaned in a thread, off the event loop, and a page
declutter refuses (too large, undecodable, over the time limit) drops its item, naming the URL.
Settings (all optional) are listed in ``DEFAULTS``; see the README's Scrapy section.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

try:
    from itemadapter import ItemAdapter
    from scrapy.exceptions import DropItem
    from scrapy.utils.defer import maybe_deferred_to_future
    from twisted.internet.defer import DeferredSemaphore
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "declutter.contrib.scrapy needs Scrapy: install declutter[scrapy] (pip install 'declutter[scrapy]')"
    ) from exc

from declutter.batch import DEFAULT_TIMEOUT
from declutter.document import Document
from declutter.errors import DeclutterError, DocumentTimeout
from declutter.pipeline import Declutter
from declutter.settings import Settings

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector

_P = ParamSpec("_P")
_T = TypeVar("_T")

try:  # Scrapy 2.15+: asyncio.to_thread, or Twisted's pool under a non-asyncio reactor
    from scrapy.utils.asyncio import run_in_thread
except ImportError:  # pragma: no cover - Scrapy 2.11 to 2.14 always run a Twisted reactor
    from twisted.internet.threads import deferToThread

    async def run_in_thread(func: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
        """Call ``func`` in the reactor's thread pool."""
        return await maybe_deferred_to_future(deferToThread(func, *args, **kwargs))


# Document attributes an item can receive (DECLUTTER_OUTPUT_FIELDS keys).
OUTPUT_ATTRIBUTES = ("text", "title", "body", "meta", "metadata", "is_article", "article_probability")
# keep: the item as declutter cleaned it (is_article says what it is); blank: its text fields
# emptied; drop: DropItem. Blanking is not the default: the page model calls about 1 article in 10
# to 1 in 20 a non-article (see the README), whose text the default must not lose.
NON_ARTICLE_ACTIONS = ("keep", "blank", "drop")
# DECLUTTER_INPUT values, and the ``input`` each passes to ``Declutter.run`` (None: guess).
INPUT_KINDS: dict[str, str | None] = {"auto": None, "html": "html", "text": "text"}
# Every setting the pipeline reads, with its default; any other setting starting with PREFIX is a typo.
PREFIX = "DECLUTTER_"
DEFAULTS: dict[str, Any] = {
    "DECLUTTER_INPUT_FIELD": "html",
    "DECLUTTER_INPUT": "auto",
    "DECLUTTER_URL_FIELD": "url",
    "DECLUTTER_ENCODING_FIELD": "encoding",
    "DECLUTTER_OUTPUT_FIELDS": {"text": "text", "title": "title", "meta": "meta"},
    "DECLUTTER_NON_ARTICLES": "keep",
    "DECLUTTER_THRESHOLD": None,
    "DECLUTTER_FAVOR_PRECISION": False,
    "DECLUTTER_FAVOR_RECALL": False,
    "DECLUTTER_TIMEOUT": DEFAULT_TIMEOUT,
    "DECLUTTER_MODEL": None,
    "DECLUTTER_HTML_MODEL": None,
    "DECLUTTER_TRUST_MODEL": False,
    "DECLUTTER_RULES": None,
    "DECLUTTER_FALLBACK": None,
}
# Pages cleaned at once per crawler. Cleaning is CPU-bound Python, so more threads add no
# throughput (measured: 125-128 pages/s with 1, 2, 4 or 8 threads on a 4 KB news page), only
# latency, and DECLUTTER_TIMEOUT counts wall time: eight pages at once would each see an eighth
# of the CPU and could time out. Waiting pages are queued before their clock starts.
PARALLEL_CLEANS = 1
# Stats keys (crawler stats, as in ``scrapy crawl`` output).
STAT_MODELS_LOADED = "declutter/models_loaded"
STAT_ARTICLES = "declutter/articles"
STAT_NON_ARTICLES = "declutter/non_articles"
STAT_REFUSED = "declutter/refused"
STAT_NO_INPUT = "declutter/no_input"
# Log level of a dropped non-article: expected in a crawl of a whole site, not a warning.
NON_ARTICLE_DROP_LOG_LEVEL = "INFO"


@dataclass(frozen=True)
class PipelineOptions:
    """Where the pipeline reads the page and writes the results, and what it does with non-articles."""

    input_field: str = DEFAULTS["DECLUTTER_INPUT_FIELD"]
    input: str | None = None
    url_field: str | None = DEFAULTS["DECLUTTER_URL_FIELD"]
    encoding_field: str | None = DEFAULTS["DECLUTTER_ENCODING_FIELD"]
    output_fields: Mapping[str, str] = field(
        default_factory=lambda: dict(DEFAULTS["DECLUTTER_OUTPUT_FIELDS"])
    )
    non_articles: str = DEFAULTS["DECLUTTER_NON_ARTICLES"]

    def __post_init__(self) -> None:
        if not isinstance(self.input_field, str) or not self.input_field:
            raise ValueError(f"DECLUTTER_INPUT_FIELD must name an item field, got {self.input_field!r}")
        unknown = sorted(set(self.output_fields) - set(OUTPUT_ATTRIBUTES))
        if unknown:
            raise ValueError(
                f"DECLUTTER_OUTPUT_FIELDS: unknown document attribute(s) {', '.join(map(repr, unknown))};"
                f" known: {', '.join(OUTPUT_ATTRIBUTES)}"
            )
        bad = {k: v for k, v in self.output_fields.items() if not isinstance(v, str) or not v}
        if bad:
            raise ValueError(f"DECLUTTER_OUTPUT_FIELDS must map attributes to item field names, got {bad!r}")
        if self.non_articles not in NON_ARTICLE_ACTIONS:
            raise ValueError(
                f"DECLUTTER_NON_ARTICLES must be one of {', '.join(NON_ARTICLE_ACTIONS)},"
                f" got {self.non_articles!r}"
            )


def _get(settings: BaseSettings, name: str) -> Any:
    return settings.get(name, DEFAULTS[name])


def _number(settings: BaseSettings, name: str) -> float | None:
    """A float setting that may be None (or empty, from the command line)."""
    value = _get(settings, name)
    if value is None or value == "":
        return None
    try:
        return settings.getfloat(name, value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None


def _flag(settings: BaseSettings, name: str) -> bool:
    try:
        return settings.getbool(name, _get(settings, name))
    except ValueError:
        raise ValueError(f"{name} must be True or False, got {_get(settings, name)!r}") from None


def pipeline_options(settings: BaseSettings) -> PipelineOptions:
    """The pipeline's options from Scrapy settings; a bad value raises ValueError naming the setting."""
    unknown = sorted(name for name in settings if name.startswith(PREFIX) and name not in DEFAULTS)
    if unknown:
        raise ValueError(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(DEFAULTS)}")
    kind = _get(settings, "DECLUTTER_INPUT")
    if kind not in INPUT_KINDS:
        raise ValueError(f"DECLUTTER_INPUT must be one of {', '.join(INPUT_KINDS)}, got {kind!r}")
    try:
        outputs = settings.getdict("DECLUTTER_OUTPUT_FIELDS", DEFAULTS["DECLUTTER_OUTPUT_FIELDS"])
    except (TypeError, ValueError) as exc:
        raise ValueError(f"DECLUTTER_OUTPUT_FIELDS must be a dict: {exc}") from None
    return PipelineOptions(
        input_field=_get(settings, "DECLUTTER_INPUT_FIELD"),
        input=INPUT_KINDS[kind],
        url_field=_get(settings, "DECLUTTER_URL_FIELD") or None,
        encoding_field=_get(settings, "DECLUTTER_ENCODING_FIELD") or None,
        output_fields=outputs,
        non_articles=_get(settings, "DECLUTTER_NON_ARTICLES"),
    )


def cleaner_settings(settings: BaseSettings) -> Settings:
    """declutter's ``Settings`` from Scrapy settings; a bad value raises ValueError."""
    timeout = _number(settings, "DECLUTTER_TIMEOUT")
    try:
        return Settings(
            threshold=_number(settings, "DECLUTTER_THRESHOLD"),
            favor_precision=_flag(settings, "DECLUTTER_FAVOR_PRECISION"),
            favor_recall=_flag(settings, "DECLUTTER_FAVOR_RECALL"),
            timeout=timeout or None,  # 0: no limit, as the CLI's --timeout 0
            rules=_get(settings, "DECLUTTER_RULES") or None,
            fallback=_get(settings, "DECLUTTER_FALLBACK") or None,
            # "blank": the library's own setting empties a non-article (no title, text or byline)
            articles_only=_get(settings, "DECLUTTER_NON_ARTICLES") == "blank",
        )
    except (TypeError, ValueError) as exc:
        raise ValueError(f"DECLUTTER_* settings: {exc}") from exc


class DeclutterPipeline:
    """Cleans the page in each item's DECLUTTER_INPUT_FIELD and stores the results in the item.

    Build it with ``from_crawler`` (Scrapy does), or directly around an already loaded cleaner."""

    def __init__(
        self, cleaner: Declutter, options: PipelineOptions | None = None, stats: StatsCollector | None = None
    ) -> None:
        self.cleaner = cleaner
        self.options = options or PipelineOptions()
        self.stats = stats
        self._slots = DeferredSemaphore(PARALLEL_CLEANS)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DeclutterPipeline:
        """Read the DECLUTTER_* settings and load the models, once for this crawler."""
        settings = crawler.settings
        options = pipeline_options(settings)
        cleaner = Declutter(
            cleaner_settings(settings),
            model_path=_get(settings, "DECLUTTER_MODEL") or None,
            html_model_path=_get(settings, "DECLUTTER_HTML_MODEL") or None,
            trust_model=_flag(settings, "DECLUTTER_TRUST_MODEL"),
        )
        crawler.stats.inc_value(STAT_MODELS_LOADED)
        judges = [m for m in (cleaner.model, cleaner.html_model) if m is not None]
        if options.non_articles == "drop" and not all(m.judges_pages for m in judges):
            raise ValueError(
                "DECLUTTER_NON_ARTICLES = 'drop' needs models that judge pages; "
                f"{', '.join(str(m.path) for m in judges if not m.judges_pages)} has no page model"
            )
        return cls(cleaner, options, crawler.stats)

    async def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        """Clean the item's page and write the chosen document attributes into it.

        ``spider`` is what older Scrapy versions pass; it is not used."""
        adapter = ItemAdapter(item)
        url = self._url(adapter)
        raw = adapter.get(self.options.input_field)
        if not isinstance(raw, (str, bytes)):
            self._count(STAT_NO_INPUT)
            raise DropItem(self._no_input(adapter, raw, url))
        encoding = adapter.get(self.options.encoding_field) if self.options.encoding_field else None
        source = url or "<item>"
        await maybe_deferred_to_future(self._slots.acquire())
        try:
            doc = await run_in_thread(
                self.cleaner.run,
                raw,
                source=source,
                encoding=encoding if isinstance(encoding, str) else None,
                input=self.options.input,
                url=url,
            )
        except DeclutterError as exc:
            self._count(STAT_REFUSED)
            raise DropItem(f"declutter refused {source}: {self._reason(exc, source)}") from exc
        finally:
            self._slots.release()
        if doc.is_article is False:
            self._count(STAT_NON_ARTICLES)
            if self.options.non_articles == "drop":
                dropped = DropItem(f"declutter: not an article ({_probability(doc)}): {source}")
                dropped.log_level = NON_ARTICLE_DROP_LOG_LEVEL
                raise dropped
        else:
            self._count(STAT_ARTICLES)
        self._write(adapter, doc)
        return item

    def _url(self, adapter: ItemAdapter) -> str | None:
        url = adapter.get(self.options.url_field) if self.options.url_field else None
        return url if isinstance(url, str) and url else None

    def _no_input(self, adapter: ItemAdapter, value: Any, url: str | None) -> str:
        field = self.options.input_field
        where = url or f"an item with fields {', '.join(map(repr, adapter.keys())) or 'none'}"
        if value is None:
            return f"declutter: no {field!r} field to clean (DECLUTTER_INPUT_FIELD) in {where}"
        return f"declutter: the {field!r} field holds {type(value).__name__}, not str or bytes, in {where}"

    def _reason(self, exc: DeclutterError, source: str) -> str:
        limit = self.cleaner.settings.timeout
        if isinstance(exc, DocumentTimeout) and limit:
            return f"DocumentTimeout: took longer than {limit:g} s (DECLUTTER_TIMEOUT)"
        return f"{type(exc).__name__}: {str(exc).removeprefix(f'{source}: ')}"  # the URL is said once

    def _write(self, adapter: ItemAdapter, doc: Document) -> None:
        for attribute, name in self.options.output_fields.items():
            value = getattr(doc, attribute)
            try:
                adapter[name] = copy.copy(value)  # the item's own list or dict
            except KeyError:
                raise KeyError(
                    f"{type(adapter.item).__name__} has no field {name!r}: declare it, or map"
                    f" {attribute!r} to another field in DECLUTTER_OUTPUT_FIELDS"
                ) from None

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)


def _probability(doc: Document) -> str:
    probability = doc.article_probability
    return "article probability unknown" if probability is None else f"article probability {probability:.2f}"
