"""Where pages come from: page files, directories, JSONL and WARC files, stdin, in a fixed order.

Reading never raises for a bad input: a record that cannot be read becomes a ``Failure`` in the
stream (a truncated gzip, a line that is not JSON, a record over the size limit) and the inputs
after it are read as usual.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import sys
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO, Any, cast

from declutter.limits import DEFAULT_MAX_BYTES
from declutter.reader import codec_name

PAGE_SUFFIXES = (".txt", ".text", ".dump", ".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
WARC_SUFFIXES = (".warc",)
GZIP_SUFFIX = ".gz"
# WARC response payloads read as pages: the content types a browser renders as a document.
HTML_CONTENT_TYPES = ("text/html", "application/xhtml+xml")
# Errors a damaged compressed or container file raises part-way through.
_READ_ERRORS = (OSError, EOFError, zlib.error, ValueError)


@dataclass(frozen=True)
class Fields:
    """The JSONL record fields to read (``html`` and ``text``: tried in order, HTML first)."""

    html: tuple[str, ...] = ("html",)
    text: tuple[str, ...] = ("text", "content")
    id: str = "id"
    url: str = "url"


@dataclass(frozen=True)
class Input:
    """One input file (or stdin): where it is, what it holds, and its name under the output dir."""

    name: str  # as given on the command line or found under a directory
    path: Path | None  # None: stdin
    kind: str  # "page", "jsonl" or "warc"
    output: PurePath  # its path under the output directory, without suffix


@dataclass(frozen=True)
class Page:
    """One page to clean."""

    source: str  # the input it came from
    id: str
    raw: bytes | str
    output: PurePath  # its .txt under the output directory, without suffix
    url: str | None = None
    encoding: str | None = None  # what the container says the bytes are (an HTTP header)
    input: str | None = None  # "html" or "text" when the container says which


@dataclass(frozen=True)
class Failure:
    """A page (or the rest of an input) that could not be read or cleaned."""

    source: str
    id: str
    error: str  # the exception's type name
    message: str
    output: PurePath  # where its .txt would have gone under the output directory

    def to_dict(self) -> dict[str, str]:
        """The error report's record."""
        return {"input": self.source, "id": self.id, "error": self.error, "message": self.message}


def input_kind(name: str) -> str | None:
    """What a file holds, by its name: "page", "jsonl", "warc", or None (not an input)."""
    lower = name.lower().removesuffix(GZIP_SUFFIX)
    for kind, suffixes in (("page", PAGE_SUFFIXES), ("jsonl", JSONL_SUFFIXES), ("warc", WARC_SUFFIXES)):
        if lower.endswith(suffixes):
            return kind
    return None


def expand(names: Sequence[str], glob: str | None = None) -> list[Input]:
    """The inputs named on a command line: files as given, directories searched recursively (sorted;
    ``glob`` filters their files by relative path), ``-`` for stdin. Duplicates are dropped."""
    inputs: dict[str, Input] = {}
    for name in names:
        for found in _expand_one(name, glob):
            inputs.setdefault(found.name, found)
    return list(inputs.values())


def _expand_one(name: str, glob: str | None) -> Iterator[Input]:
    if name == "-":
        yield Input("-", None, "page", PurePath("stdin"))
        return
    path = Path(name)
    if not path.is_dir():
        yield Input(name, path, input_kind(name) or "page", _stem(PurePath(path.name)))
        return
    for child in sorted(path.rglob("*")):
        relative = child.relative_to(path)
        kind = input_kind(child.name)
        # not is_dir, rather than is_file: a broken symlink or a symlink loop named like a page is
        # an input that fails to read (and is reported), not one silently passed over. A FIFO,
        # socket or device in a directory is no page (and opening a FIFO would wait for ever).
        if kind and not child.is_dir() and not _special(child) and (glob is None or relative.match(glob)):
            yield Input(str(child), child, kind, _stem(relative))


def _special(path: Path) -> bool:
    return path.is_fifo() or path.is_socket() or path.is_char_device() or path.is_block_device()


def _stem(relative: PurePath) -> PurePath:
    """A file's output path without suffixes: ``a/b.html.gz`` -> ``a/b``."""
    name = relative.name.removesuffix(GZIP_SUFFIX)
    return relative.with_name(name.rsplit(".", 1)[0] if "." in name else name)


def read(
    source: Input, fields: Fields = Fields(), max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Page | Failure]:
    """The pages of one input, in order; what cannot be read comes as a ``Failure``."""
    if source.kind == "jsonl":
        yield from _read_jsonl(source, fields, max_bytes)
    elif source.kind == "warc":
        yield from _read_warc(source, max_bytes)
    else:
        yield _read_page(source, max_bytes)


def read_all(
    inputs: Iterable[Input], fields: Fields = Fields(), max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Page | Failure]:
    """The pages of every input, in order."""
    for source in inputs:
        yield from read(source, fields, max_bytes)


def _open(source: Input) -> contextlib.AbstractContextManager[IO[bytes]]:
    """The input's bytes (decompressed): a file to close, or stdin to leave open."""
    if source.path is not None and source.name.lower().endswith(GZIP_SUFFIX):
        return cast(IO[bytes], gzip.open(source.path, "rb"))
    return _open_raw(source)


def _too_large(source: str, record: str, size: int, max_bytes: int, output: PurePath) -> Failure:
    return Failure(
        source, record, "TooLarge", f"{size:,} bytes or more, over the limit of {max_bytes:,}", output
    )


def _read_page(source: Input, max_bytes: int) -> Page | Failure:
    try:
        with _open(source) as handle:
            raw = handle.read(max_bytes + 1)
    except _READ_ERRORS as error:
        return Failure(source.name, source.name, type(error).__name__, str(error), source.output)
    if len(raw) > max_bytes:
        return _too_large(source.name, source.name, len(raw), max_bytes, source.output)
    return Page(source.name, source.name, raw, source.output)


def _read_jsonl(source: Input, fields: Fields, max_bytes: int) -> Iterator[Page | Failure]:
    number = 0
    try:
        with _open(source) as handle:
            for number, line in enumerate(_bounded_lines(handle, max_bytes), 1):
                if line is None:
                    output = source.output / f"{number:08d}"
                    yield _too_large(source.name, f"{source.name}:{number}", max_bytes + 1, max_bytes, output)
                elif line.strip():
                    yield _jsonl_page(source, number, line, fields, max_bytes)
    except _READ_ERRORS as error:
        where = f"{source.name}:{number + 1}"
        message = f"input unreadable after line {number}: {error}"
        yield Failure(source.name, where, type(error).__name__, message, source.output / str(number + 1))


def _bounded_lines(handle: IO[bytes], max_bytes: int) -> Iterator[bytes | None]:
    """The lines of a file, None for one longer than ``max_bytes`` (skipped without holding it)."""
    while True:
        line = handle.readline(max_bytes + 1)
        if not line:
            return
        if len(line) <= max_bytes or line.endswith(b"\n"):
            yield line
            continue
        while line and not line.endswith(b"\n"):  # skip the rest of the long line
            line = handle.readline(1 << 20)
        yield None


def _jsonl_page(source: Input, number: int, line: bytes, fields: Fields, max_bytes: int) -> Page | Failure:
    output = source.output / f"{number:08d}"
    fallback_id = f"{source.name}:{number}"
    if len(line) > max_bytes:
        return _too_large(source.name, fallback_id, len(line), max_bytes, output)
    try:
        record = json.loads(line)
    except ValueError as error:
        return Failure(source.name, fallback_id, "JSONDecodeError", f"line {number}: {error}", output)
    if not isinstance(record, dict):
        return Failure(source.name, fallback_id, "InputError", f"line {number} is not a JSON object", output)
    record_id = _string(record.get(fields.id)) or fallback_id
    for kind, names in (("html", fields.html), ("text", fields.text)):
        for name in names:
            value = record.get(name)
            if isinstance(value, str):
                url = _string(record.get(fields.url))
                return Page(source.name, record_id, value, output, url=url, input=kind)
    wanted = ", ".join((*fields.html, *fields.text))
    return Failure(
        source.name, record_id, "InputError", f"line {number} has no string field {wanted}", output
    )


def _string(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value)


def _read_warc(source: Input, max_bytes: int) -> Iterator[Page | Failure]:
    from warcio.archiveiterator import ArchiveIterator

    number = end = 0
    try:  # warcio reads gzipped WARC member by member itself: hand it the file's own bytes
        with _open_raw(source) as handle:
            records = ArchiveIterator(handle)
            for record in records:
                if record.rec_type == "response":
                    number += 1
                    page = _warc_page(source, number, record, max_bytes)
                    if page is not None:
                        yield page
                end = records.get_record_offset() + records.get_record_length()
            if source.path is not None and end < source.path.stat().st_size:
                raise EOFError(f"{source.path.stat().st_size - end:,} bytes after the last whole record")
    except Exception as error:  # warcio raises its own types for a damaged archive
        where = f"{source.name}:record-{number + 1}"
        message = f"archive unreadable after response record {number}: {error}"
        yield Failure(source.name, where, type(error).__name__, message, source.output / f"{number + 1:08d}")


def _open_raw(source: Input) -> contextlib.AbstractContextManager[IO[bytes]]:
    """The input's bytes as stored (still compressed)."""
    if source.path is None:
        return contextlib.nullcontext(sys.stdin.buffer)
    return open(source.path, "rb")


def _warc_page(source: Input, number: int, record: Any, max_bytes: int) -> Page | Failure | None:
    """The page in a WARC response record; None when the payload is not HTML."""
    headers = record.rec_headers
    record_id = headers.get_header("WARC-Record-ID") or f"{source.name}:record-{number}"
    url = headers.get_header("WARC-Target-URI")
    output = source.output / f"{number:08d}"
    content_type = record.http_headers.get_header("Content-Type", "") if record.http_headers else ""
    media_type, charset = _content_type(content_type)
    if media_type and media_type not in HTML_CONTENT_TYPES:
        return None
    try:
        raw = record.content_stream().read(max_bytes + 1)
    except _READ_ERRORS as error:
        return Failure(source.name, record_id, type(error).__name__, f"payload unreadable: {error}", output)
    if len(raw) > max_bytes:
        return _too_large(source.name, record_id, len(raw), max_bytes, output)
    return Page(source.name, record_id, raw, output, url=url, encoding=charset, input="html")


def _content_type(value: str) -> tuple[str, str | None]:
    """The media type and known charset of a Content-Type header."""
    media_type, _, parameters = value.partition(";")
    charset = None
    for parameter in parameters.split(";"):
        key, _, label = parameter.partition("=")
        if key.strip().lower() == "charset":
            charset = codec_name(label.strip().strip("\"'"))
    return media_type.strip().lower(), charset
