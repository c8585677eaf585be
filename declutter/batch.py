"""Cleaning many pages: the per-chunk function workers run, and the engines that run it.

A chunk is a list of pages (and of ``Failure`` records the reading already made, passed through).
``clean_chunk`` turns it into outcomes in the same order; it is all a worker ever runs, in this
process, in joblib worker processes (``-j``) or on a Dask cluster (``--scheduler``), so every
engine writes the same bytes. Each process loads the models once (``cleaner_for``).
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Protocol

from declutter.document import Document
from declutter.errors import DocumentTimeout
from declutter.settings import Settings
from declutter.sources import Failure, Page

if TYPE_CHECKING:  # the pipeline (scikit-learn and the models' code) loads where pages are cleaned
    from declutter.pipeline import Declutter

# Default per-document time limit of a batch (--timeout), in seconds: the slowest dev page takes
# well under one second; ten catches pathological pages without cutting real ones.
DEFAULT_TIMEOUT = 10.0
# Pages per chunk sent to a worker: enough that thousands of small files do not cost a task
# each (a chunk of text dumps takes about a second on one core), few enough to spread them.
DEFAULT_CHUNK_SIZE = 32
# Chunks in flight per worker: keeps workers busy while bounding the pages held in memory.
CHUNKS_PER_WORKER = 2
# Pages per shard (--shard-size): a .jsonl.gz of about a megabyte of clean text, and at most this
# many pages redone after a crash.
DEFAULT_SHARD_SIZE = 1000


@dataclass(frozen=True)
class Job:
    """What a worker needs to clean pages: settings (with the per-page limits), model files,
    output options."""

    settings: Settings = field(default_factory=lambda: Settings(timeout=DEFAULT_TIMEOUT))
    model_path: Path | None = None
    html_model_path: Path | None = None
    trust_model: bool = False
    lines: bool = False
    encoding: str | None = None  # tried first for pages whose container names none


@dataclass(frozen=True)
class Cleaned:
    """A cleaned page: its record (shaped like a Dolma/datatrove document) and its counts."""

    source: str
    id: str
    output: PurePath
    record: dict[str, Any]
    text: str
    lines_total: int
    lines_kept: int
    chars_total: int
    chars_kept: int


Outcome = Cleaned | Failure


@dataclass
class Totals:
    """Counts over the pages of a run (or of one shard)."""

    documents: int = 0
    written: int = 0
    failed: int = 0
    lines_total: int = 0
    lines_kept: int = 0
    chars_total: int = 0
    chars_kept: int = 0
    resumed: int = 0  # pages in shards an earlier run finished

    def add(self, outcome: Outcome) -> None:
        """Count one page's outcome."""
        self.documents += 1
        if isinstance(outcome, Failure):
            self.failed += 1
            return
        self.written += 1
        self.lines_total += outcome.lines_total
        self.lines_kept += outcome.lines_kept
        self.chars_total += outcome.chars_total
        self.chars_kept += outcome.chars_kept

    def merge(self, other: Totals) -> None:
        """Add another set of counts to these."""
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))


class Sink(Protocol):
    """Where a run's outcomes go, shard by shard (see declutter.outputs)."""

    def finished(self, shard: int) -> Totals | None:
        """The counts of a shard an earlier run finished (to resume), or None."""

    def write(self, shard: int, outcomes: list[Outcome]) -> None:
        """Take a chunk of a shard's outcomes, in order."""

    def commit(self, shard: int) -> None:
        """Finish a shard: every outcome of it has been written."""

    def finish(self) -> Path | None:
        """Finish the run; return the error report written, if any."""


@functools.lru_cache(maxsize=4)
def cleaner_for(job: Job) -> Declutter:
    """The job's cleaner, loaded once per process."""
    from declutter.pipeline import Declutter

    return Declutter(job.settings, job.model_path, job.html_model_path, job.trust_model)


def clean_chunk(job: Job, chunk: list[Page | Failure]) -> list[Outcome]:
    """Clean a chunk of pages in order; a page that fails becomes a ``Failure``, never an exception."""
    cleaner = cleaner_for(job)
    return [item if isinstance(item, Failure) else clean_page(cleaner, item, job) for item in chunk]


def clean_page(cleaner: Declutter, page: Page, job: Job) -> Outcome:
    """Clean one page within the cleaner's limits (its settings' timeout, max_bytes, max_lines)."""
    kind = page.input if cleaner.settings.input == "auto" else None
    try:
        doc = cleaner.run(page.raw, page.id, page.encoding or job.encoding, kind, page.url)
    except DocumentTimeout:
        return _failure(page, "Timeout", f"took longer than {cleaner.settings.timeout:g} s")
    except Exception as error:  # a crash on one page must not cost the batch: report it
        return _failure(page, type(error).__name__, str(error) or repr(error))
    return cleaned(page, doc, job.lines)


def _failure(page: Page, error: str, message: str) -> Failure:
    return Failure(page.source, page.id, error, message, page.output)


def cleaned(page: Page, doc: Document, lines: bool = False) -> Cleaned:
    """A page's outcome from its document."""
    kept = [line for line in doc.lines if line.label.is_content]
    view = doc.to_dict(lines=False)
    metadata: dict[str, Any] = {
        **doc.metadata,  # an HTML page's: author, date, sitename, language...
        "url": page.url or doc.metadata.get("url"),
        "source": page.source,
        "title": view["title"] or doc.metadata.get("title"),
        "meta": view["meta"],
        "input": doc.input,
        "lines_total": len(doc.lines),
        "lines_kept": len(kept),
        "is_article": view["is_article"],
        "article_probability": view["article_probability"],
        "article_reason": view["article_reason"],
    }
    if lines:
        metadata["lines"] = [line.to_dict() for line in doc.lines]
    record = {"id": page.id, "text": view["text"], "source": page.source, **view, "metadata": metadata}
    return Cleaned(
        source=page.source,
        id=page.id,
        output=page.output,
        record=record,
        text=view["text"],
        lines_total=len(doc.lines),
        lines_kept=len(kept),
        chars_total=sum(len(line.text.strip()) for line in doc.lines),
        chars_kept=sum(len(line.text.strip()) for line in kept),
    )


def load_models(job: Job) -> None:
    """Load the job's models in this process (once; see ``cleaner_for``)."""
    cleaner_for(job)


class Engine(Protocol):
    """Where chunks are cleaned: this process, joblib workers or a Dask cluster."""

    def prepare(self, job: Job) -> None:
        """Load the job's models where the work will run: a bad model fails here, before any page."""

    def __call__(self, job: Job, chunks: Iterable[list[Page | Failure]]) -> Iterator[list[Outcome]]:
        """Clean the chunks, yielding each one's outcomes in order."""


class Here:
    """Cleans chunks in this process, in order."""

    def prepare(self, job: Job) -> None:
        """Load the models in this process."""
        load_models(job)

    def __call__(self, job: Job, chunks: Iterable[list[Page | Failure]]) -> Iterator[list[Outcome]]:
        """Clean the chunks one after the other."""
        for chunk in chunks:
            yield clean_chunk(job, chunk)


class JoblibWorkers:
    """Cleans chunks in ``jobs`` joblib (loky) worker processes, yielding them in order. The
    workers are started once and reused by every call in this process."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs

    def prepare(self, job: Job) -> None:
        """Start the workers and have each load the models (with as many loading tasks as
        workers; a worker that got none loads them with its first chunk)."""
        from joblib import Parallel, delayed, effective_n_jobs

        workers = effective_n_jobs(self.jobs)
        Parallel(n_jobs=self.jobs)(delayed(load_models)(job) for _ in range(workers))

    def __call__(self, job: Job, chunks: Iterable[list[Page | Failure]]) -> Iterator[list[Outcome]]:
        """Clean the chunks in the workers, at most ``CHUNKS_PER_WORKER`` per worker in flight."""
        from joblib import Parallel, delayed

        parallel = Parallel(
            n_jobs=self.jobs, return_as="generator", pre_dispatch=f"{CHUNKS_PER_WORKER}*n_jobs"
        )
        yield from parallel(delayed(clean_chunk)(job, chunk) for chunk in chunks)


class DaskCluster:
    """Cleans chunks on the Dask cluster at ``address``, yielding them in order."""

    def __init__(self, address: str) -> None:
        try:
            import distributed  # noqa: F401
        except ImportError as error:
            raise ImportError("--scheduler needs Dask: pip install 'declutter[dask]'") from error
        self.address = address

    def prepare(self, job: Job) -> None:
        """Have every worker of the cluster load the models (a worker that joins later loads
        them with its first chunk)."""
        from distributed import Client

        with Client(self.address, set_as_default=False) as client:  # type: ignore[no-untyped-call]
            client.run(load_models, job)

    def __call__(self, job: Job, chunks: Iterable[list[Page | Failure]]) -> Iterator[list[Outcome]]:
        """Submit the chunks, at most ``CHUNKS_PER_WORKER`` per worker in flight."""
        from distributed import Client

        with Client(self.address, set_as_default=False) as client:  # type: ignore[no-untyped-call]
            window = CHUNKS_PER_WORKER * max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
            pending: deque[Any] = deque()
            for chunk in chunks:
                pending.append(client.submit(clean_chunk, job, chunk, pure=False))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()


_END = object()


def shard_chunks(
    items: Iterable[Page | Failure], shard_size: int, chunk_size: int
) -> Iterator[tuple[int, bool, list[Page | Failure]]]:
    """Number items into shards of ``shard_size`` and cut each shard into chunks of at most
    ``chunk_size``: (shard, whether the chunk ends its shard, chunk)."""
    chunk: list[Page | Failure] = []
    shard = in_shard = 0
    iterator = iter(items)
    pending: Any = next(iterator, _END)
    while pending is not _END:
        chunk.append(pending)
        in_shard += 1
        pending = next(iterator, _END)
        ends = in_shard == shard_size or pending is _END
        if ends or len(chunk) == chunk_size:
            yield shard, ends, chunk
            chunk = []
            if ends:
                shard, in_shard = shard + 1, 0


def run_batch(
    items: Iterable[Page | Failure],
    job: Job,
    sink: Sink,
    engine: Engine | None = None,
    shard_size: int = DEFAULT_SHARD_SIZE,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    observe: Callable[[Outcome], None] | None = None,
) -> Totals:
    """Clean every item into ``sink`` shard by shard, skipping the shards it has finished before;
    ``engine``: where (default: this process); ``observe`` sees each outcome as it comes back.
    Returns the counts (finished shards included)."""
    engine = engine or Here()
    totals = Totals()
    tags: deque[tuple[int, bool]] = deque()  # (shard, ends it) of each chunk sent, in order

    def to_send() -> Iterator[list[Page | Failure]]:
        current, skip = -1, False
        for shard, ends, chunk in shard_chunks(items, shard_size, chunk_size):
            if shard != current:
                current, earlier = shard, sink.finished(shard)
                skip = earlier is not None
                if earlier is not None:
                    totals.merge(earlier)
                    totals.resumed += earlier.documents
            if not skip:
                tags.append((shard, ends))
                yield chunk

    for outcomes in engine(job, to_send()):
        shard, ends = tags.popleft()
        sink.write(shard, outcomes)
        for outcome in outcomes:
            totals.add(outcome)
            if observe is not None:
                observe(outcome)
        if ends:
            sink.commit(shard)
    return totals
