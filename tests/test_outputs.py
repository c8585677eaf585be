"""outputs: atomic files, reproducible shards, shard records that let a run resume."""

from __future__ import annotations

import gzip
import json
from pathlib import Path, PurePath

import pytest

from declutter.batch import Cleaned, Outcome
from declutter.outputs import OutputError, Shards, TextTree, gzip_bytes, write_atomic
from declutter.sources import Failure

PLAN = {"inputs": ["a"], "format": "jsonl"}


def _cleaned(n: int) -> Cleaned:
    record = {"id": f"d{n}", "text": f"text {n}", "metadata": {"lines_kept": 1}}
    return Cleaned("in", f"d{n}", PurePath(f"sub/d{n}"), record, f"text {n}", 3, 1, 20, 6)


def _failure(n: int) -> Failure:
    return Failure("in", f"d{n}", "Timeout", "took longer than 1 s", PurePath(f"sub/d{n}"))


def test_write_atomic_replaces_whole_files_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "out.txt"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_atomic(target, b"old")
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_gzip_output_is_reproducible() -> None:
    assert gzip_bytes("same text") == gzip_bytes("same text")
    assert gzip.decompress(gzip_bytes("é")) == "é".encode()


def _run_shards(root: Path, outcomes: list[Outcome], resume: bool = False) -> Shards:
    sink = Shards(root, PLAN, resume=resume, overwrite=False)
    sink.write(0, outcomes[:2])
    sink.write(0, outcomes[2:])
    sink.commit(0)
    return sink


def test_shards_hold_records_and_the_error_report_holds_failures(tmp_path: Path) -> None:
    sink = _run_shards(tmp_path, [_cleaned(0), _failure(1), _cleaned(2)])
    report = sink.finish()
    lines = gzip.decompress((tmp_path / "part-00000.jsonl.gz").read_bytes()).decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["d0", "d2"]
    assert report == tmp_path / "errors.jsonl"
    assert [json.loads(line) for line in report.read_text().splitlines()] == [_failure(1).to_dict()]
    finished = sink.finished(0)
    assert finished is not None and (finished.documents, finished.written, finished.failed) == (3, 2, 1)
    assert sink.finished(1) is None
    assert not (tmp_path / ".declutter" / "tmp").exists()


def test_an_earlier_run_must_be_resumed_or_overwritten(tmp_path: Path) -> None:
    _run_shards(tmp_path, [_cleaned(0)]).finish()
    with pytest.raises(OutputError, match="--resume"):
        Shards(tmp_path, PLAN, resume=False, overwrite=False)
    with pytest.raises(OutputError, match="other inputs or options"):
        Shards(tmp_path, {**PLAN, "inputs": ["b"]}, resume=True, overwrite=False)
    resumed = Shards(tmp_path, PLAN, resume=True, overwrite=False)
    assert resumed.finished(0) is not None  # the finished shard is kept and skipped
    again = Shards(tmp_path, PLAN, resume=False, overwrite=True)
    assert again.finished(0) is None and not (tmp_path / "part-00000.jsonl.gz").exists()


def test_text_tree_writes_each_page_where_the_mirror_puts_it(tmp_path: Path) -> None:
    sink = TextTree(tmp_path, PLAN, resume=False, overwrite=False)
    sink.write(0, [_cleaned(0), _failure(1)])
    sink.commit(0)
    sink.finish()
    assert (tmp_path / "sub" / "d0.txt").read_text() == "text 0\n"
    assert not (tmp_path / "sub" / "d1.txt").exists()
    assert json.loads((tmp_path / "errors.jsonl").read_text())["error"] == "Timeout"
