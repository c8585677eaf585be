"""Large and empty inputs complete (speed is the benchmark's business, not a timed test)."""

from __future__ import annotations

from conftest import SEEDS, load_fixture

from declutter import Declutter


def test_one_megabyte_dump_completes(cleaner: Declutter) -> None:
    page = load_fixture(SEEDS[2]).text
    text = "\n".join([page] * (1_000_000 // len(page) + 1))
    assert len(text) > 1_000_000
    doc = cleaner.run(text)
    assert len(doc.lines) == len(text.split("\n")) and doc.body


def test_two_hundred_thousand_lines_complete(cleaner: Declutter) -> None:
    lines = [
        f"Menu item {i % 50}" if i % 7 else f"A sentence number {i} of the page text." for i in range(200_000)
    ]
    doc = cleaner.run("\n".join(lines))
    assert len(doc.lines) == 200_000


def test_one_line_of_one_megabyte_completes(cleaner: Declutter) -> None:
    doc = cleaner.run("word " * 200_000)
    assert len(doc.lines) == 1


def test_empty_and_blank_inputs(cleaner: Declutter) -> None:
    assert cleaner.run("").text == ""
    assert cleaner.run(b"").lines == []
    assert cleaner.run(" \n\n  ").text == ""
