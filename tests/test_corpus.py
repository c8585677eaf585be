"""corpus: reading the shared corpus's gzipped JSONL records."""

from __future__ import annotations

from pathlib import Path

import pytest

from declutter.corpus import SPLITS, iter_records, licences


def test_records_carry_html_dump_and_gold(corpus_dir: Path) -> None:
    record = next(iter_records(corpus_dir, ("dev",)))
    assert record.split == "dev" and record.html and record.dump and record.gold
    assert record.dataset and record.licence


def test_every_split_is_present(corpus_dir: Path) -> None:
    for split in SPLITS:
        assert next(iter_records(corpus_dir, (split,)), None) is not None, split


def test_licences_of_the_training_split(corpus_dir: Path) -> None:
    entries = licences(corpus_dir, ("train",))
    assert entries and all(e["licence"] and e["pages"] > 0 for e in entries.values())


def test_a_directory_without_datasets_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        next(iter_records(tmp_path))
