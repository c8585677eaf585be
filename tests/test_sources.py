"""sources: inputs found in a fixed order; pages read from files, JSONL and WARC; damage reported."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path, PurePath

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from declutter.sources import Failure, Fields, Page, expand, input_kind, read

HTML = "<html><head><title>T</title></head><body><p>Caf\u00e9 prose {n}.</p></body></html>"


def _pages(items: list[Page | Failure]) -> list[Page]:
    return [item for item in items if isinstance(item, Page)]


def _failures(items: list[Page | Failure]) -> list[Failure]:
    return [item for item in items if isinstance(item, Failure)]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.txt", "page"),
        ("a.HTML.gz", "page"),
        ("dump.jsonl.gz", "jsonl"),
        ("x.ndjson", "jsonl"),
        ("crawl.warc.gz", "warc"),
        ("notes.md", None),
        ("archive.gz", None),
    ],
)
def test_input_kind_by_name(name: str, kind: str | None) -> None:
    assert input_kind(name) == kind


def test_directories_are_searched_recursively_in_sorted_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a/z.html.gz", "a/y.jsonl", "c.warc.gz", "skip.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    found = expand([str(tmp_path), str(tmp_path / "b.txt"), "-"])
    assert [(PurePath(i.name).relative_to(tmp_path).as_posix() if i.path else i.name) for i in found] == [
        "a/y.jsonl",
        "a/z.html.gz",
        "b.txt",
        "c.warc.gz",
        "-",
    ]  # b.txt named twice is read once
    assert [i.kind for i in found] == ["jsonl", "page", "page", "warc", "page"]
    assert [i.output.as_posix() for i in found] == ["a/y", "a/z", "b", "c", "stdin"]


def test_glob_filters_files_under_directories(tmp_path: Path) -> None:
    for name in ("a/one.html", "a/two.txt", "three.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    assert [i.output.as_posix() for i in expand([str(tmp_path)], glob="*.html")] == ["a/one", "three"]


def test_a_gzipped_page_is_read_and_an_oversized_one_refused(tmp_path: Path) -> None:
    page = tmp_path / "p.html.gz"
    page.write_bytes(gzip.compress(HTML.format(n=1).encode()))
    [source] = expand([str(page)])
    [item] = read(source)
    assert isinstance(item, Page) and item.raw == HTML.format(n=1).encode() and item.id == str(page)
    [refused] = read(source, max_bytes=20)
    assert isinstance(refused, Failure) and refused.error == "TooLarge" and refused.source == str(page)


def test_jsonl_records_give_pages_with_their_fields(tmp_path: Path) -> None:
    records = [
        {"id": 7, "url": "http://a/1", "html": HTML.format(n=1)},
        {"content": "plain text dump"},
        {"body": "no known field"},
        ["not", "an", "object"],
    ]
    path = tmp_path / "export.jsonl.gz"
    lines = [json.dumps(r) for r in records] + ["{broken json", ""]
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    items = list(read(expand([str(path)])[0]))
    first, second = _pages(items)
    assert (first.id, first.url, first.input, first.raw) == ("7", "http://a/1", "html", HTML.format(n=1))
    assert (second.id, second.input, second.output.as_posix()) == (f"{path}:2", "text", "export/00000002")
    assert [(f.id, f.error) for f in _failures(items)] == [
        (f"{path}:3", "InputError"),
        (f"{path}:4", "InputError"),
        (f"{path}:5", "JSONDecodeError"),
    ]


def test_custom_jsonl_fields(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    path.write_text(json.dumps({"doc_id": "d1", "link": "http://b", "raw": "<p>x</p>"}) + "\n")
    fields = Fields(html=("raw",), text=(), id="doc_id", url="link")
    [page] = _pages(list(read(expand([str(path)])[0], fields)))
    assert (page.id, page.url, page.input) == ("d1", "http://b", "html")


def test_truncated_gzip_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": i, "text": f"page {i} " * 200}) + "\n" for i in range(50))
    data = gzip.compress(lines.encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = list(read(expand([str(path)])[0]))
    pages, failures = _pages(items), _failures(items)
    assert 0 < len(pages) < 50 and [p.id for p in pages] == [str(i) for i in range(len(pages))]
    assert len(failures) == 1 and failures[0].error == "EOFError" and "unreadable" in failures[0].message


def _warc(path: Path, chunked_gzip: bool = False) -> None:
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "declutter tests"}))
        for n, (media, body) in enumerate(
            [
                ("text/html; charset=windows-1252", HTML.format(n=0).encode("cp1252")),
                ("image/png", b"\x89PNG"),
            ]
        ):
            headers = [("Content-Type", media)]
            payload = body
            if chunked_gzip:
                payload = gzip.compress(body)
                payload = b"%x\r\n%s\r\n0\r\n\r\n" % (len(payload), payload)
                headers += [("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")]
            http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
            record = writer.create_warc_record(
                f"http://example.com/{n}", "response", payload=io.BytesIO(payload), http_headers=http
            )
            writer.write_record(record)


@pytest.mark.parametrize("chunked_gzip", [False, True])
def test_warc_html_responses_are_pages_with_their_url_id_and_charset(
    tmp_path: Path, chunked_gzip: bool
) -> None:
    path = tmp_path / "crawl.warc.gz"
    _warc(path, chunked_gzip)
    [page] = list(read(expand([str(path)])[0]))  # neither the warcinfo nor the PNG is a page
    assert isinstance(page, Page)
    assert page.url == "http://example.com/0" and page.id.startswith("<urn:uuid:")
    assert page.encoding == "cp1252" and page.input == "html"
    assert page.raw == HTML.format(n=0).encode("cp1252")


def test_truncated_warc_is_reported_after_its_good_records(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _warc(path)
    data = path.read_bytes()
    path.write_bytes(data + data[: len(data) // 3])  # the second copy's first record is cut short
    items = list(read(expand([str(path)])[0]))
    assert len(_pages(items)) >= 1
    [failure] = _failures(items)
    assert failure.source == str(path) and "unreadable" in failure.message


def test_a_missing_file_is_a_failure_not_an_exception(tmp_path: Path) -> None:
    [source] = expand([str(tmp_path / "gone.txt")])
    [item] = read(source)
    assert isinstance(item, Failure) and item.error == "FileNotFoundError"


def test_an_overlong_jsonl_line_is_refused_without_costing_the_next(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    long = json.dumps({"id": "long", "text": "x" * 5000})
    path.write_text(long + "\n" + json.dumps({"id": "next", "text": "short"}) + "\n")
    first, second = read(expand([str(path)])[0], max_bytes=1000)
    assert isinstance(first, Failure) and first.error == "TooLarge" and first.id == f"{path}:1"
    assert isinstance(second, Page) and second.id == "next"
