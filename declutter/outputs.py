"""Where clean pages go: a mirror tree of ``.txt`` files or sharded ``.jsonl.gz``, plus the error
report, written so that a killed run leaves no truncated file and a resumed run finishes the rest.

Pages are numbered in input order and grouped into shards of a fixed size. A shard is the unit of
completion: its files are written through a temporary file and renamed into place, then its
record (counts and failures) is written to the state directory. ``--resume`` skips the shards that
have a record; a shard without one is done again from its start, replacing what it had written.
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePath
from typing import Any, TextIO

from declutter.batch import Cleaned, Outcome, Totals
from declutter.errors import DeclutterError
from declutter.sources import Failure

STATE_DIR = ".declutter"  # inside the output directory: the run's plan, finished shards, temp files
PLAN_FILE = "run.json"
ERRORS_FILE = "errors.jsonl"
SHARD_PATTERN = "part-{:05d}.jsonl.gz"


class OutputError(DeclutterError):
    """The output directory cannot take this run (an earlier run's output is there)."""


class WriteFailed(DeclutterError):
    """An output could not be written (a full disk, a read-only or vanished directory): the run
    stops there; what was written before is whole, and ``--resume`` finishes the rest."""


# Characters of a file's name kept in its temporary file's name (names may be 255 bytes long).
TEMP_NAME_CHARS = 32
# Lone surrogates (from undecodable file names, or str input) cannot be UTF-8: in JSON they are
# written as \u escapes, in text as U+FFFD.
SURROGATE_RE = re.compile("[\ud800-\udfff]")


def write_atomic(path: Path, data: bytes, scratch: Path | None = None) -> None:
    """Write a file through a temporary file (in ``scratch``, default beside it) and a rename;
    ``WriteFailed`` names the file when the system refuses."""
    try:
        _write_atomic(path, data, scratch)
    except OSError as error:
        raise WriteFailed(
            f"cannot write {path}: {error.strerror or error}; the outputs written before it are intact "
            "(rerun the same command with --resume to finish)"
        ) from error


def _write_atomic(path: Path, data: bytes, scratch: Path | None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = scratch or path.parent
    folder.mkdir(parents=True, exist_ok=True)
    prefix = f".{path.name[:TEMP_NAME_CHARS]}."
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual mode
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def json_line(record: dict[str, Any]) -> str:
    """One JSONL line (UTF-8 kept as is; a lone surrogate as its \\u escape)."""
    line = json.dumps(record, ensure_ascii=False) + "\n"
    return SURROGATE_RE.sub(_escape, line)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def encodable(text: str) -> str:
    """Text with each lone surrogate replaced by U+FFFD (so that it encodes as UTF-8)."""
    return SURROGATE_RE.sub("\ufffd", text)


def utf8(text: str) -> bytes:
    """Text as UTF-8, a lone surrogate as U+FFFD."""
    return encodable(text).encode("utf-8")


def gzip_bytes(text: str) -> bytes:
    """Gzip with no timestamp or name inside, so the same text always makes the same bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as out:
        out.write(utf8(text))
    return buffer.getvalue()


class Directory:
    """An output directory: shard records and the plan in ``.declutter/``, the error report."""

    def __init__(self, root: Path, plan: dict[str, Any], resume: bool, overwrite: bool) -> None:
        self.root = root
        self.state = root / STATE_DIR
        self.scratch = self.state / "tmp"
        self._check_plan(plan, resume, overwrite)
        shutil.rmtree(self.scratch, ignore_errors=True)  # a killed run's temporary files
        self._outcomes: dict[int, list[Outcome]] = {}

    def _check_plan(self, plan: dict[str, Any], resume: bool, overwrite: bool) -> None:
        plan_path = self.state / PLAN_FILE
        plan = json.loads(json.dumps(plan))  # as it reads back (tuples become lists)
        earlier = json.loads(plan_path.read_text(encoding="utf-8")) if plan_path.exists() else None
        if earlier is not None and resume and earlier != plan:
            raise OutputError(
                f"{self.root} holds a run with other inputs or options; --resume needs the same"
            )
        if earlier is not None and not resume:
            if not overwrite:
                raise OutputError(
                    f"{self.root} holds an earlier run's output: pass --resume to finish it, "
                    "or --overwrite to start again"
                )
            self._clear()
        write_atomic(plan_path, json.dumps(plan, indent=1).encode())

    def _clear(self) -> None:
        """Forget an earlier run: its shard records (and, for shards, its shard files)."""
        shutil.rmtree(self.state / "shards", ignore_errors=True)

    def _shard_record(self, shard: int) -> Path:
        return self.state / "shards" / f"{shard:05d}.json"

    def finished(self, shard: int) -> Totals | None:
        """The counts of a shard an earlier run finished, or None."""
        path = self._shard_record(shard)
        if not path.exists():
            return None
        return Totals(**json.loads(path.read_text(encoding="utf-8"))["totals"])

    def write(self, shard: int, outcomes: list[Outcome]) -> None:
        """Take a chunk of a shard's outcomes."""
        self._outcomes.setdefault(shard, []).extend(outcomes)

    def commit(self, shard: int) -> None:
        """Finish a shard: write its files, then its record."""
        outcomes = self._outcomes.pop(shard, [])
        self._write_shard(shard, outcomes)
        totals = Totals()
        for outcome in outcomes:
            totals.add(outcome)
        errors = [o.to_dict() for o in outcomes if isinstance(o, Failure)]
        record = {"totals": dataclasses.asdict(totals), "errors": errors}
        write_atomic(self._shard_record(shard), json.dumps(record).encode(), self.scratch)

    def _write_shard(self, shard: int, outcomes: list[Outcome]) -> None:
        raise NotImplementedError

    def finish(self) -> Path | None:
        """Write the error report of every finished shard (this run's and earlier ones'); return it."""
        lines: list[str] = []
        for path in sorted((self.state / "shards").glob("*.json")):
            lines.extend(json_line(e) for e in json.loads(path.read_text(encoding="utf-8"))["errors"])
        report = self.root / ERRORS_FILE
        write_atomic(report, utf8("".join(lines)), self.scratch)
        shutil.rmtree(self.scratch, ignore_errors=True)
        return report


def text_path(output: PurePath) -> PurePath:
    """Where a page's .txt goes under the output directory (``output``: its path without suffix)."""
    return output.with_name(output.name + ".txt")


class TextTree(Directory):
    """One ``.txt`` per page, at the page's place in the mirror of the input tree."""

    def write(self, shard: int, outcomes: list[Outcome]) -> None:
        """Write each cleaned page's text as it comes."""
        for outcome in outcomes:
            if isinstance(outcome, Cleaned):
                target = self.root / text_path(outcome.output)
                write_atomic(target, utf8(_with_newline(outcome.text)), self.scratch)
        # keep only the counts of what is written already
        kept = [o if isinstance(o, Failure) else dataclasses.replace(o, record={}, text="") for o in outcomes]
        super().write(shard, kept)

    def _write_shard(self, shard: int, outcomes: list[Outcome]) -> None:
        return None  # each page's file is already in place


class Shards(Directory):
    """Sharded ``part-NNNNN.jsonl.gz``: one JSON record per cleaned page."""

    def _clear(self) -> None:
        super()._clear()
        for path in self.root.glob("part-*.jsonl.gz"):
            path.unlink()

    def _write_shard(self, shard: int, outcomes: list[Outcome]) -> None:
        text = "".join(json_line(o.record) for o in outcomes if isinstance(o, Cleaned))
        write_atomic(self.root / SHARD_PATTERN.format(shard), gzip_bytes(text), self.scratch)


def _with_newline(text: str) -> str:
    return text + "\n" if text else ""


class Stream:
    """Clean text or JSONL records on a stream (stdout), as they come; nothing to resume."""

    def __init__(self, out: TextIO, jsonl: bool, name: str = "standard output") -> None:
        self.out = out
        self.jsonl = jsonl
        self.name = name

    def finished(self, shard: int) -> Totals | None:
        """Nothing is ever finished before a streamed run."""
        return None

    def write(self, shard: int, outcomes: Iterable[Outcome]) -> None:
        """Print each cleaned page."""
        try:
            for outcome in outcomes:
                if isinstance(outcome, Cleaned):
                    text = json_line(outcome.record) if self.jsonl else _with_newline(outcome.text)
                    self.out.write(encodable(text))
            self.out.flush()
        except BrokenPipeError:
            raise  # the reader went away: the CLI ends quietly
        except OSError as error:
            raise WriteFailed(f"cannot write to {self.name}: {error.strerror or error}") from error

    def commit(self, shard: int) -> None:
        """Nothing to commit."""
        return None

    def finish(self) -> Path | None:
        """Nothing to finish: no error report."""
        return None
