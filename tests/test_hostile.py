"""Hostile and broken input, every case generated here at test time (no binary blobs in the repo).

For each case the library raises only documented ``declutter`` errors (or returns a sane result)
within the time and size budget, and the CLI reports it in ``errors.jsonl``, goes on with the rest
of the batch and loses nothing it had written.
"""

from __future__ import annotations

import ctypes
import gzip
import http.server
import io
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from conftest import SEEDS, load_fixture
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from declutter import Declutter, DeclutterError, Document, InputError
from declutter.cli import main

# Every library case must end within this many seconds (generous: CI machines are shared).
TIME_BUDGET_S = 60.0
# Memory a case may add to a process that has loaded the models (address space, enforced by
# RLIMIT_AS in a child process).
MEMORY_BUDGET_MB = 768
ARTICLE = (
    "The council approved the new budget on Tuesday after a long debate about school funding. "
    "Members said the plan would add teachers in every district by next autumn."
)
HTML_PAGE = "<html><head><title>Budget</title></head><body><h1>Budget passes</h1><p>{body}</p></body></html>"


def _good_page(n: int) -> str:
    return load_fixture(SEEDS[n % len(SEEDS)]).text


# --- generated inputs --------------------------------------------------------------------------


def nul_text() -> bytes:
    page = _good_page(1).encode("utf-8")
    return page[:2000] + b"\x00" + page[2000:4000] + b"\x00" + page[4000:]


def invalid_utf8() -> bytes:
    return _good_page(2).encode("utf-8") + b"\nCaf\xe9 cr\xe8me \xff\xfe broken bytes \xc3\x28 end.\n"


def png_named_html() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + zlib.compress(os.urandom(4000))


def pdf_named_html() -> bytes:
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n" + os.urandom(4000)


def zip_named_html() -> bytes:
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("page.html", HTML_PAGE.format(body=ARTICLE))
    return buffer.getvalue()


def deep_html(levels: int = 100_000) -> str:
    return "<html><body>" + "<div>" * levels + f"<p>{ARTICLE}</p>" + "</div>" * levels + "</body></html>"


def billion_laughs() -> str:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE html [{entities}]><html><body><p>{ARTICLE} &lol9;</p></body></html>'
    )


def external_entities(secret: Path, url: str) -> str:
    return (
        f'<?xml version="1.0"?><!DOCTYPE html SYSTEM "{url}/dtd" [<!ENTITY file SYSTEM "file://{secret}">'
        f'<!ENTITY net SYSTEM "{url}/entity">]>'
        f'<html xmlns:xi="http://www.w3.org/2001/XInclude"><head><link rel="stylesheet" href="{url}/css">'
        f'<script src="{url}/js"></script></head><body><p>{ARTICLE} &file; &net;</p>'
        f'<xi:include href="file://{secret}" parse="text"/><img src="{url}/img">'
        f'<iframe src="file://{secret}"></iframe></body></html>'
    )


# --- library -----------------------------------------------------------------------------------


@pytest.fixture()
def timed(cleaner: Declutter) -> Callable[..., Document]:
    """The shared cleaner's run, held to the time budget."""

    def run(raw: str | bytes, **options: object) -> Document:
        started = time.perf_counter()
        try:
            return cleaner.run(raw, **options)  # type: ignore[arg-type]
        finally:
            assert time.perf_counter() - started < TIME_BUDGET_S

    return run


def _kept_verbatim(doc: Document) -> None:
    """The clean text is the kept lines, each as it was in the input (trimmed)."""
    inputs = [line.text.strip() for line in doc.lines]
    kept = [line.text.strip() for line in doc.lines if line.label.is_content]
    assert all(text in inputs for text in kept)
    for line in doc.lines:
        assert 0.0 <= line.probability <= 1.0 and line.reason


@pytest.mark.parametrize("raw", ["", b"", " \n\t\n  ", b"\r\n \r\n", "\u3000\u00a0\n"], ids=repr)
def test_empty_and_whitespace_only(timed: Callable[..., Document], raw: str | bytes) -> None:
    doc = timed(raw)
    assert doc.text == "" and doc.title is None


def test_nul_bytes_inside_text(timed: Callable[..., Document]) -> None:
    doc = timed(nul_text())
    assert doc.body and "\x00" in "".join(line.text for line in doc.lines)
    _kept_verbatim(doc)
    assert timed(nul_text().decode("utf-8")).text == doc.text  # the same as a str


def test_invalid_utf8_is_decoded_not_refused(timed: Callable[..., Document]) -> None:
    doc = timed(invalid_utf8())
    assert doc.body and "Caf\u00e9 cr\u00e8me" in "\n".join(line.text for line in doc.lines)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-16-bom-be"])
@pytest.mark.parametrize("html", [False, True])
def test_utf16_with_and_without_bom(timed: Callable[..., Document], encoding: str, html: bool) -> None:
    text = HTML_PAGE.format(body=ARTICLE + " Gr\u00fc\u00dfe, \u65b0\u95fb.") if html else _good_page(0)
    raw = b"\xfe\xff" + text.encode("utf-16-be") if encoding == "utf-16-bom-be" else text.encode(encoding)
    doc = timed(raw)
    expected = timed(text)
    assert doc.text == expected.text and doc.body


# Legacy pages: (codec, text in that script). Long enough for detection with no declaration.
LEGACY = {
    "latin-1": "Le conseil a approuv\u00e9 le budget apr\u00e8s un long d\u00e9bat sur les \u00e9coles. "
    "Les \u00e9lus ont d\u00e9clar\u00e9 que le plan ajouterait des enseignants \u00e0 la rentr\u00e9e. " * 3,
    "cp1252": "\u201cThe council\u2019s budget\u201d \u2014 approved on Tuesday \u2013 costs \u20ac40m. "
    "Members said the plan\u2019s \u201cextra teachers\u201d would arrive by autumn. " * 3,
    "gb18030": "\u5e02\u8bae\u4f1a\u5468\u4e8c\u5728\u5173\u4e8e\u5b66\u6821\u7ecf\u8d39\u7684\u957f\u65f6"
    "\u95f4\u8fa9\u8bba\u540e\u6279\u51c6\u4e86\u65b0\u9884\u7b97\u3002\u8bae\u5458\u4eec\u8868\u793a\uff0c"
    "\u8be5\u8ba1\u5212\u5c06\u5728\u660e\u5e74\u79cb\u5929\u524d\u4e3a\u6bcf\u4e2a\u5b66\u533a\u589e\u52a0"
    "\u6559\u5e08\u3002\u9555" * 3,
    "shift_jis": "\u5e02\u8b70\u4f1a\u306f\u706b\u66dc\u65e5\u3001\u5b66\u6821\u4e88\u7b97\u3092\u3081\u3050"
    "\u308b\u9577\u3044\u8b70\u8ad6\u306e\u672b\u306b\u65b0\u3057\u3044\u4e88\u7b97\u3092\u627f\u8a8d\u3057"
    "\u305f\u3002\u8b70\u54e1\u305f\u3061\u306f\u3001\u6765\u5e74\u306e\u79cb\u307e\u3067\u306b\u5168\u3066"
    "\u306e\u5b66\u533a\u3067\u6559\u54e1\u3092\u5897\u3084\u3059\u3068\u8ff0\u3079\u305f\u3002" * 3,
}
# What a page may declare: nothing, its real charset, a wrong one (the commonest lie), and for the
# Chinese page the GB2312 label real GB18030 pages carry.
DECLARED = {
    "latin-1": [None, "iso-8859-1", "utf-8"],
    "cp1252": [None, "windows-1252", "utf-8"],
    "gb18030": [None, "gb18030", "utf-8", "gb2312"],
    "shift_jis": [None, "shift_jis", "utf-8"],
}


@pytest.mark.parametrize(
    ("codec", "declared"), [(codec, label) for codec, labels in DECLARED.items() for label in labels]
)
def test_legacy_charset_pages_read_right(
    timed: Callable[..., Document], codec: str, declared: str | None
) -> None:
    meta = f'<meta charset="{declared}">' if declared else ""
    page = f"<html><head>{meta}<title>t</title></head><body><p>{LEGACY[codec]}</p></body></html>"
    doc = timed(page.encode(codec))
    assert LEGACY[codec].strip() in "\n".join(line.text for line in doc.lines)


@pytest.mark.parametrize("codec", list(LEGACY))
def test_a_wrong_http_charset_is_passed_over(timed: Callable[..., Document], codec: str) -> None:
    page = f"<html><body><p>{LEGACY[codec]}</p></body></html>"
    doc = timed(page.encode(codec), encoding="utf-8")
    assert LEGACY[codec].strip() in "\n".join(line.text for line in doc.lines)


@pytest.mark.parametrize(
    ("make", "kind"),
    [(png_named_html, "PNG image"), (pdf_named_html, "PDF document"), (zip_named_html, "ZIP archive")],
)
def test_binary_data_named_html_is_refused_naming_the_format(
    timed: Callable[..., Document], make: Callable[[], bytes], kind: str
) -> None:
    with pytest.raises(InputError, match=f"page.html: is an? {kind}"):
        timed(make(), source="page.html")


def test_a_fifty_megabyte_single_line_is_refused(timed: Callable[..., Document]) -> None:
    with pytest.raises(InputError, match="max_bytes"):
        timed(b"word " * 10_000_000)


def test_a_million_short_lines_are_refused(timed: Callable[..., Document]) -> None:
    with pytest.raises(InputError, match="max_lines"):
        timed("\n".join(f"item {n}" for n in range(1_000_000)))


def test_html_nested_a_hundred_thousand_levels_keeps_its_article(timed: Callable[..., Document]) -> None:
    doc = timed(deep_html())
    assert ARTICLE in doc.body


@pytest.mark.parametrize("run", ["[", "![", "[a](", "](", " "])
def test_markdown_with_a_million_character_run_of_syntax(timed: Callable[..., Document], run: str) -> None:
    links = "\n".join(f"* [Section {n}](https://example.org/s/{n})" for n in range(5))
    doc = timed(f"{links}\n\nA [{run * (1_000_000 // len(run))}\n\n{ARTICLE}\n")
    _kept_verbatim(doc)


def test_entity_expansion_is_not_performed(timed: Callable[..., Document]) -> None:
    doc = timed(billion_laughs())
    everything = "\n".join(line.text for line in doc.lines)
    assert ARTICLE in everything and "lollollol" not in everything and len(everything) < 10_000


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"FETCHED-OVER-THE-NETWORK")

    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture()
def recorder() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server on 127.0.0.1 that records every request made to it."""
    hits: list[str] = []
    handler = type("Handler", (_Recorder,), {"hits": hits})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_external_entities_read_no_file_and_fetch_nothing(
    timed: Callable[..., Document], tmp_path: Path, recorder: tuple[str, list[str]]
) -> None:
    url, hits = recorder
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    for raw in (external_entities(secret, url), external_entities(secret, url).encode("utf-8")):
        doc = timed(raw)
        everything = "\n".join(line.text for line in doc.lines) + json.dumps(doc.metadata)
        assert ARTICLE in everything
        assert "TOP-SECRET" not in everything and "FETCHED" not in everything
    assert hits == []


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><script>document.write('Hello world, this is a sentence.');</script></head></html>",
        "<script>window.location = '/elsewhere'; // a long enough line of code, is it prose?</script>",
        "<!-- saved by a crawler -->\n<!-- nothing else was on this page, not a single line -->",
        "<html><body><!-- comment only body, with words like a sentence. --></body></html>",
        "<style>body { color: red; } p { margin: 0 }</style>",
    ],
)
def test_script_and_comment_only_pages_are_empty(timed: Callable[..., Document], page: str) -> None:
    doc = timed(page)
    assert doc.text == "" and doc.input == "html"


# Cases run in a child process under an address-space limit: the models loaded, then at most
# MEMORY_BUDGET_MB more. (name -> expression building the input in the child.)
BOUNDED = {
    "deep_html": "deep_html()",
    "billion_laughs": "billion_laughs()",
    "million_lines": "'\\n'.join(f'item {n}' for n in range(1_000_000))",
    "fifty_megabyte_line": "b'word ' * 10_000_000",
}
CHILD = """
import json, resource, sys, time
sys.path.insert(0, {tests!r})
from test_hostile import *
from declutter import Declutter, DeclutterError
cleaner = Declutter()
cleaner.run("warm up the pipeline.\\nA second line of prose here.")
raw = {expression}
size = int(open("/proc/self/status").read().split("VmSize:")[1].split()[0]) * 1024
resource.setrlimit(resource.RLIMIT_AS, (size + {budget} * 2**20, resource.RLIM_INFINITY))
started = time.perf_counter()
try:
    doc = cleaner.run(raw)
    outcome = {{"result": "ok", "chars": len(doc.text)}}
except DeclutterError as error:
    outcome = {{"result": type(error).__name__, "message": str(error)}}
outcome["seconds"] = time.perf_counter() - started
print(json.dumps(outcome))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("case", list(BOUNDED))
def test_memory_stays_bounded(case: str) -> None:
    code = CHILD.format(tests=str(Path(__file__).parent), expression=BOUNDED[case], budget=MEMORY_BUDGET_MB)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["result"] in ("ok", "InputError") and outcome["seconds"] < TIME_BUDGET_S


# --- the CLI: a batch goes on past every bad input -----------------------------------------------


def _jsonl_records(folder: Path) -> list[dict[str, object]]:
    return [
        json.loads(line) for path in sorted(folder.glob("part-*.jsonl.gz")) for line in gzip.open(path, "rt")
    ]


def _errors(folder: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in (folder / "errors.jsonl").read_text().splitlines()]


def test_a_directory_of_hostile_files_among_good_ones(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    good = {f"good{n}.txt": _good_page(n) for n in range(3)}
    for name, text in good.items():
        (source / name).write_text(text)
    bad = {
        "empty.txt": b"",
        "blank.txt": b" \n \n",
        "image.html": png_named_html(),
        "paper.html": pdf_named_html(),
        "bundle.html": zip_named_html(),
        "deep.html": deep_html(20_000).encode(),
        "laughs.html": billion_laughs().encode(),
        "script.html": b"<script>var x = 'only a script';</script>",
        "many.txt": b"x\n" * 300_000,  # over the default --max-lines
        "cut.txt.gz": gzip.compress(_good_page(0).encode())[:200],
        "line.txt": b"word " * 400_000,  # over --max-bytes below
    }
    odd = {  # unusual but readable: cleaned, not reported
        "nul.txt": nul_text(),
        "invalid.txt": invalid_utf8(),
        "utf16.txt": _good_page(1).encode("utf-16"),
        "utf16le.txt": _good_page(2).encode("utf-16-le"),
        "sjis.html": HTML_PAGE.format(body=LEGACY["shift_jis"]).encode("shift_jis"),
        "gb.html": HTML_PAGE.replace("<head>", '<head><meta charset="gb2312">')
        .format(body=LEGACY["gb18030"])
        .encode("gb18030"),
    }
    for name, data in {**bad, **odd}.items():
        (source / name).write_bytes(data)
    out = tmp_path / "out"
    code = main(
        ["clean", str(source), "-o", str(out), "--format", "jsonl", "--lines", "--max-bytes", "1000000", "-q"]
    )
    assert code == 1
    errors = {Path(e["input"]).name: e["error"] for e in _errors(out)}
    assert errors == {
        "image.html": "InputError",
        "paper.html": "InputError",
        "bundle.html": "InputError",
        "many.txt": "InputError",
        "cut.txt.gz": "EOFError",
        "line.txt": "TooLarge",
    }
    records = {Path(str(r["source"])).name: r for r in _jsonl_records(out)}
    cleaned = {"empty.txt", "blank.txt", "deep.html", "laughs.html", "script.html"}
    assert set(records) == set(good) | cleaned | set(odd)
    assert all(
        records[name]["text"] for name in [*good, "nul.txt", "invalid.txt", "utf16.txt", "utf16le.txt"]
    )
    assert records["empty.txt"]["text"] == records["script.html"]["text"] == ""
    for name, codec in (("sjis.html", "shift_jis"), ("gb.html", "gb18030")):  # decoded right
        metadata: Any = records[name]["metadata"]
        assert LEGACY[codec].strip() in "\n".join(line["text"] for line in metadata["lines"])


def _ids_jsonl(path: Path, ids: list[object]) -> None:
    lines = [json.dumps({"id": value, "text": f"{ARTICLE} Record {n}."}) for n, value in enumerate(ids)]
    lines.insert(2, '{"id": "broken", "text": "unterminated')
    lines.insert(4, "not json at all")
    lines.insert(5, json.dumps(["a", "list"]))
    path.write_text("\n".join(lines) + "\n")


HOSTILE_IDS: list[object] = [
    "../../etc/x",
    "/abs/path",
    "con",
    "CON.txt",
    "a/../../b",
    "x" * 5000,
    "\udcff\udcfe non-UTF-8",
    "nul\x00byte",
    "",
    None,
    7,
    "con",  # twice
]


@pytest.mark.parametrize("fmt", ["text", "jsonl"])
def test_jsonl_with_hostile_ids_and_malformed_lines(tmp_path: Path, fmt: str) -> None:
    source = tmp_path / "dump.jsonl"
    _ids_jsonl(source, HOSTILE_IDS)
    out = tmp_path / "out"
    assert main(["clean", str(source), "-o", str(out), "--format", fmt, "-q"]) == 1
    written = [p for p in out.rglob("*") if p.is_file() and ".declutter" not in p.parts]
    assert all(p.resolve().is_relative_to(out.resolve()) for p in written)
    assert not (tmp_path / "etc").exists() and not Path("/abs/path").exists()
    errors = _errors(out)
    assert len(errors) == 3 and all(
        e["error"] in ("JSONDecodeError", "InputError", "ValueError") for e in errors
    )
    if fmt == "text":
        texts = sorted(p for p in written if p.suffix == ".txt")
        assert len(texts) == len(HOSTILE_IDS) == len({p.name for p in texts})
        assert all(len(p.name) < 20 for p in texts)
    else:
        records = _jsonl_records(out)
        assert len(records) == len(HOSTILE_IDS)
        for value, record in zip(HOSTILE_IDS, records, strict=True):
            if value in (None, ""):  # no usable id: the input and line number stand in
                assert str(record["id"]).startswith(f"{source}:")
            else:
                assert record["id"] == str(value)


def _warc_with_ids(path: Path, ids: list[bytes]) -> None:
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for n, record_id in enumerate(ids):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            body = HTML_PAGE.format(body=f"{ARTICLE} Record {n}.").encode()
            record = writer.create_warc_record(
                "http://example.com/" + str(n), "response", payload=io.BytesIO(body), http_headers=http
            )
            record.rec_headers.replace_header("WARC-Record-ID", record_id.decode("latin-1"))
            writer.write_record(record)


def test_warc_with_hostile_record_ids_and_a_truncated_tail(tmp_path: Path) -> None:
    ids = [b"../../etc/x", b"/abs/path", b"con", b"y" * 3000, b"\xff\xfe latin-1 bytes", b"con"]
    source = tmp_path / "crawl.warc.gz"
    _warc_with_ids(source, ids)
    data = source.read_bytes()
    source.write_bytes(data + data[: len(data) // 2])  # a second copy cut in the middle
    out = tmp_path / "out"
    assert main(["clean", str(source), "-o", str(out), "-q"]) == 1
    texts = sorted(p for p in out.rglob("*.txt"))
    assert len(texts) >= len(ids) and all(p.resolve().is_relative_to(out.resolve()) for p in texts)
    assert all(ARTICLE in p.read_text() for p in texts)
    [error] = _errors(out)
    assert "unreadable" in error["message"] and error["input"] == str(source)


def test_non_utf8_and_long_file_names(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    names = [b"caf\xe9-\xff.txt", b"n" * 251 + b".txt", b"m" * 247 + b".html.gz"]
    for name in names:
        data = _good_page(1).encode()
        (source / os.fsdecode(name)).write_bytes(gzip.compress(data) if name.endswith(b".gz") else data)
    out = tmp_path / "out"
    assert main(["clean", str(source), "-o", str(out), "-q"]) == 0
    written = sorted(os.fsencode(p.name) for p in out.iterdir() if p.is_file() and p.suffix == ".txt")
    assert written == sorted([b"caf\xe9-\xff.txt", b"m" * 247 + b".txt", b"n" * 251 + b".txt"])
    jsonl = tmp_path / "jsonl"
    assert main(["clean", str(source), "-o", str(jsonl), "--format", "jsonl", "-q"]) == 0
    sources = {os.fsencode(Path(str(r["source"])).name) for r in _jsonl_records(jsonl)}
    assert sources == set(names)


def test_a_symlink_loop_inside_an_input_directory(tmp_path: Path) -> None:
    source = tmp_path / "in"
    (source / "a").mkdir(parents=True)
    (source / "a" / "page.txt").write_text(_good_page(0))
    (source / "a" / "up").symlink_to("..")  # a directory loop: not followed
    (source / "a" / "self").symlink_to(source / "a")
    (source / "one.txt").symlink_to("two.txt")  # a file loop: reported
    (source / "two.txt").symlink_to("one.txt")
    (source / "dangling.html").symlink_to("missing.html")
    out = tmp_path / "out"
    assert main(["clean", str(source), "-o", str(out), "-q"]) == 1
    assert (out / "a" / "page.txt").read_text().strip()
    errors = {Path(e["input"]).name: e["message"] for e in _errors(out)}
    assert set(errors) == {"one.txt", "two.txt", "dangling.html"}
    assert "symbolic links" in errors["one.txt"] and "No such file" in errors["dangling.html"]


def _without_dac_override() -> None:
    """Drop the capabilities that let root read any file (for the child about to exec)."""
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop, cap_dac_override, cap_dac_read_search = 24, 1, 2
    for capability in (cap_dac_override, cap_dac_read_search):
        if libc.prctl(pr_capbset_drop, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _cli(args: list[str], **options: object) -> subprocess.CompletedProcess[str]:
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **options}
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "declutter", *args], text=True, timeout=300, **streams
    )


def test_an_unreadable_file_is_reported_and_the_rest_done(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text(_good_page(0))
    locked = source / "b.txt"
    locked.write_text(_good_page(1))
    locked.chmod(0)
    (source / "c.txt").write_text(_good_page(2))
    out = tmp_path / "out"
    as_root = os.geteuid() == 0
    done = _cli(
        ["clean", str(source), "-o", str(out), "-q"], preexec_fn=_without_dac_override if as_root else None
    )
    assert done.returncode == 1, done.stderr
    assert (out / "a.txt").read_text().strip() and (out / "c.txt").read_text().strip()
    assert not (out / "b.txt").exists()
    [error] = _errors(out)
    assert error["error"] == "PermissionError" and error["input"] == str(locked)


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_stops_the_run_clearly_and_keeps_what_was_written(tmp_path: Path) -> None:
    """A write the system refuses (here: past RLIMIT_FSIZE, as a full disk would) ends the run
    with an error naming the file; the files written before it are whole; --resume finishes."""
    source = tmp_path / "in"
    source.mkdir()
    small = _good_page(1)
    for n in range(6):
        (source / f"p{n}.txt").write_text(small if n != 3 else small * 40)  # p3's output is too big
    out = tmp_path / "out"
    limit = len(small.encode()) * 4
    done = _cli(
        ["clean", str(source), "-o", str(out), "--shard-size", "2", "-q"], preexec_fn=_file_size_limit(limit)
    )
    assert done.returncode == 1
    assert "cannot write" in done.stderr and "p3.txt" in done.stderr and "--resume" in done.stderr
    assert "Traceback" not in done.stderr
    written = sorted(p.name for p in out.glob("*.txt"))
    assert written[:3] == ["p0.txt", "p1.txt", "p2.txt"] and "p3.txt" not in written
    first = [(out / name).read_text() for name in written]
    assert all(text.strip() for text in first)
    assert not list((out / ".declutter").rglob("*.tmp"))
    resumed = _cli(["clean", str(source), "-o", str(out), "--shard-size", "2", "--resume", "-q"])
    assert resumed.returncode == 0, resumed.stderr
    assert sorted(p.name for p in out.glob("*.txt")) == [f"p{n}.txt" for n in range(6)]
    assert [(out / name).read_text() for name in written] == first


def test_a_failing_standard_output_is_a_clear_error(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text(_good_page(0))
    with open("/dev/full", "w") as full:
        done = _cli(["clean", str(page), "-q"], stdout=full)
    assert done.returncode == 1 and "cannot write to standard output" in done.stderr
    assert "Traceback" not in done.stderr


def test_library_errors_are_all_declutter_errors(cleaner: Declutter) -> None:
    """The documented contract: everything refused above is a DeclutterError."""
    for raw in (png_named_html(), b"word " * 10_000_000):
        with pytest.raises(DeclutterError):
            cleaner.run(raw)
