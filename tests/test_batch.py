"""batch: chunks and shards, per-page outcomes, time limits, and engines that agree."""

from __future__ import annotations

import threading
import time
from pathlib import Path, PurePath

import pytest
from conftest import CUT_SHORT_S, SEEDS, SLOW_DUMP, load_fixture, with_settings

from declutter import Declutter
from declutter.batch import (
    Cleaned,
    Here,
    Job,
    JoblibWorkers,
    Outcome,
    Totals,
    clean_chunk,
    clean_page,
    run_batch,
    shard_chunks,
)
from declutter.sources import Failure, Page


def _page(n: int, text: str | None = None) -> Page:
    raw = text if text is not None else load_fixture(SEEDS[n % len(SEEDS)]).text
    return Page("in", f"page-{n}", raw, PurePath(f"p{n}"))


def test_shards_are_cut_into_chunks_that_never_straddle_them() -> None:
    got = [
        (shard, ends, [int(p.id.split("-")[1]) for p in chunk])
        for shard, ends, chunk in shard_chunks([_page(n, "x") for n in range(7)], shard_size=3, chunk_size=2)
    ]
    assert got == [
        (0, False, [0, 1]),
        (0, True, [2]),
        (1, False, [3, 4]),
        (1, True, [5]),
        (2, True, [6]),
    ]
    assert list(shard_chunks([], 3, 2)) == []


def test_a_chunk_keeps_order_and_passes_reading_failures_through() -> None:
    failure = Failure("in", "broken", "InputError", "unreadable", PurePath("b"))
    outcomes = clean_chunk(Job(), [_page(1), failure, _page(2)])
    assert [o.id for o in outcomes] == ["page-1", "broken", "page-2"]
    first = outcomes[0]
    assert isinstance(first, Cleaned) and outcomes[1] is failure
    assert first.record["id"] == "page-1" and first.record["text"] == first.text
    assert first.text.startswith("Exclusive-US intelligence")
    metadata = first.record["metadata"]
    assert metadata["lines_total"] == first.lines_total > metadata["lines_kept"] == first.lines_kept > 0
    assert 0 < first.chars_kept < first.chars_total


def test_a_page_over_the_time_limit_fails_and_the_next_one_is_fine(cleaner: Declutter) -> None:
    job, cleaner = Job(), with_settings(cleaner, timeout=0.2)
    started = time.perf_counter()
    slow = clean_page(cleaner, _page(0, SLOW_DUMP), job)
    assert time.perf_counter() - started < CUT_SHORT_S
    assert isinstance(slow, Failure) and slow.error == "Timeout" and slow.id == "page-0"
    assert isinstance(clean_page(cleaner, _page(1), job), Cleaned)


def test_the_time_limit_works_off_the_main_thread(cleaner: Declutter) -> None:
    """Dask runs tasks in threads."""
    results: list[Outcome] = []
    limited = with_settings(cleaner, timeout=0.2)
    worker = threading.Thread(target=lambda: results.append(clean_page(limited, _page(0, SLOW_DUMP), Job())))
    worker.start()
    worker.join(timeout=30)
    [outcome] = results
    assert isinstance(outcome, Failure) and outcome.error == "Timeout"


def test_a_crash_in_the_pipeline_becomes_a_failure(
    cleaner: Declutter, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cleaner, "run", explode)
    outcome = clean_page(cleaner, _page(0), Job())
    assert isinstance(outcome, Failure) and (outcome.error, outcome.message) == ("RuntimeError", "boom")


class _Collect:
    """A sink that keeps what it is given (and can pretend shards are finished)."""

    def __init__(self, finished: dict[int, Totals] | None = None) -> None:
        self.done = finished or {}
        self.written: list[tuple[int, list[str]]] = []
        self.committed: list[int] = []

    def finished(self, shard: int) -> Totals | None:
        return self.done.get(shard)

    def write(self, shard: int, outcomes: list[Outcome]) -> None:
        self.written.append((shard, [o.id for o in outcomes]))

    def commit(self, shard: int) -> None:
        self.committed.append(shard)

    def finish(self) -> Path | None:
        return None


def test_run_batch_skips_finished_shards_and_counts_them() -> None:
    pages = [_page(n) for n in range(5)]
    sink = _Collect({0: Totals(documents=2, written=2, lines_total=10, lines_kept=4)})
    totals = run_batch(pages, Job(), sink, Here(), shard_size=2, chunk_size=1)
    assert sink.written == [(1, ["page-2"]), (1, ["page-3"]), (2, ["page-4"])]
    assert sink.committed == [1, 2]
    assert (totals.documents, totals.written, totals.resumed, totals.failed) == (5, 5, 2, 0)


def test_joblib_workers_give_the_same_outcomes_in_the_same_order() -> None:
    pages: list[Page | Failure] = [_page(n) for n in range(6)]
    here = [o for chunk in Here()(Job(), [pages[:3], pages[3:]]) for o in chunk]
    there = [o for chunk in JoblibWorkers(2)(Job(), [pages[:2], pages[2:4], pages[4:]]) for o in chunk]
    assert [o.record for o in here if isinstance(o, Cleaned)] == [
        o.record for o in there if isinstance(o, Cleaned)
    ]
    assert len(here) == len(there) == 6
