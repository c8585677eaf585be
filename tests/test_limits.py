"""limits: size, line and time limits, in the library itself; large inputs within them complete.

(Speed is the benchmark's business, not a timed test: the time bounds here are generous.)
"""

from __future__ import annotations

import signal
import threading
import time

import pytest
from conftest import CUT_SHORT_S, SEEDS, SLOW_DUMP, load_fixture, with_settings

from declutter import Declutter, DocumentTimeout, InputError
from declutter.limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_LINES, check_lines, check_size, time_limit


def test_one_megabyte_dump_completes(cleaner: Declutter) -> None:
    page = load_fixture(SEEDS[2]).text
    text = "\n".join([page] * (1_000_000 // len(page) + 1))
    assert len(text) > 1_000_000
    doc = cleaner.run(text)
    assert len(doc.lines) == len(text.split("\n")) and doc.body


def test_two_hundred_thousand_lines_complete(cleaner: Declutter) -> None:
    assert DEFAULT_MAX_LINES >= 200_000
    doc = cleaner.run(SLOW_DUMP)
    assert len(doc.lines) == 200_000


def test_one_line_of_one_megabyte_completes(cleaner: Declutter) -> None:
    doc = cleaner.run("word " * 200_000)
    assert len(doc.lines) == 1


def test_empty_and_blank_inputs(cleaner: Declutter) -> None:
    assert cleaner.run("").text == ""
    assert cleaner.run(b"").lines == []
    assert cleaner.run(" \n\n  ").text == ""


def test_size_counts_bytes_of_bytes_and_utf8_bytes_of_str() -> None:
    check_size(b"x" * 10, 10, "p")
    check_size("é" * 5, 10, "p")  # ten bytes in UTF-8
    with pytest.raises(InputError, match=r"p: 11 bytes, over the limit of 10"):
        check_size(b"x" * 11, 10, "p")
    with pytest.raises(InputError, match="12 bytes"):
        check_size("é" * 6, 10, "p")
    check_size(b"x" * 100, None, "p")


def test_line_count_limit() -> None:
    check_lines(5, 5, "p")
    check_lines(10**9, None, "p")
    with pytest.raises(InputError, match=r"p: 6 lines, over the limit of 5 \(max_lines\)"):
        check_lines(6, 5, "p")


def test_a_fifty_megabyte_line_is_refused_at_once(cleaner: Declutter) -> None:
    raw = b"a" * 50_000_000
    started = time.perf_counter()
    with pytest.raises(InputError, match=f"over the limit of {DEFAULT_MAX_BYTES:,}"):
        cleaner.run(raw, source="big.txt")
    assert time.perf_counter() - started < 5


def test_a_million_short_lines_are_refused_before_any_judging(cleaner: Declutter) -> None:
    raw = "\n".join(f"l{i % 10}" for i in range(1_000_000))
    started = time.perf_counter()
    with pytest.raises(InputError, match="1,000,000 lines"):
        cleaner.run(raw)
    assert time.perf_counter() - started < 10  # judging them would take minutes


def test_limits_are_settings(cleaner: Declutter) -> None:
    small = with_settings(cleaner, max_bytes=100, max_lines=3)
    with pytest.raises(InputError, match="max_bytes"):
        small.run("x" * 101)
    with pytest.raises(InputError, match="max_lines"):
        small.run("a\nb\nc\nd")
    assert small.run("One short line of text.\nAnother.").lines


def test_the_library_time_limit_stops_a_slow_page_and_the_next_is_fine(cleaner: Declutter) -> None:
    limited = with_settings(cleaner, timeout=0.2)
    started = time.perf_counter()
    with pytest.raises(DocumentTimeout):
        limited.run(SLOW_DUMP)
    assert time.perf_counter() - started < CUT_SHORT_S
    assert limited.run(load_fixture(SEEDS[1]).text).body


def test_the_time_limit_holds_in_any_thread(cleaner: Declutter) -> None:
    limited = with_settings(cleaner, timeout=0.2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            limited.run(SLOW_DUMP)
        except BaseException as error:
            errors.append(error)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=30)
    assert [type(e) for e in errors] == [DocumentTimeout]


def test_the_time_limit_leaves_a_host_alarm_alone() -> None:
    """A scraper's own SIGALRM handler and timer survive a limited run."""
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    try:
        with time_limit(5):
            pass
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
        time.sleep(0.5)
        assert fired == [signal.SIGALRM]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("in_thread", [False, True])
def test_a_limit_that_does_not_expire_leaves_nothing_behind(in_thread: bool) -> None:
    def quick() -> None:
        for _ in range(20):
            with time_limit(0.05):
                pass
        time.sleep(0.15)  # a stray exception would land after this
        sum(range(1000))

    if in_thread:
        errors: list[BaseException] = []

        def run() -> None:
            try:
                quick()
            except BaseException as error:
                errors.append(error)

        worker = threading.Thread(target=run)
        worker.start()
        worker.join()
        assert not errors
    else:
        quick()


def test_time_limit_raises_inside_the_block() -> None:
    with pytest.raises(DocumentTimeout), time_limit(0.05):
        while True:
            pass


def test_a_swallowed_timeout_is_raised_again() -> None:
    """A timeout that lands where it is ignored (a gc callback, a broad except) still ends the block."""
    swallowed = []
    with pytest.raises(DocumentTimeout), time_limit(0.05):
        try:
            while True:
                pass
        except DocumentTimeout:
            swallowed.append(True)
        while True:
            pass
    assert swallowed == [True]
