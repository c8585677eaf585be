"""cli: `declutter clean` on files, directories and stdin; bad inputs do not cost the batch."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEEDS, load_fixture
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from declutter.cli import main
from declutter.model import MODEL_FILE, default_model_path, manifest_path


@pytest.fixture()
def pages(tmp_path: Path) -> Path:
    """A directory with two seed dumps (one in a subdirectory) and a binary file."""
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(load_fixture(SEEDS[1]).text, encoding="utf-8")
    (root / "sub" / "b.txt").write_text(load_fixture(SEEDS[2]).text, encoding="utf-8")
    return root


def test_one_file_prints_clean_text(pages: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(pages / "a.txt")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Exclusive-US intelligence") and "WASHINGTON (Reuters)" in out
    assert "By Jonathan Landay and Steve Holland" not in out


def test_directory_needs_an_output_dir(pages: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(pages)]) == 2
    assert "-o" in capsys.readouterr().err


def test_directory_writes_one_txt_per_input_mirroring_the_tree(pages: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["clean", str(pages), "-o", str(out)]) == 0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.txt")) == ["a.txt", "sub/b.txt"]
    assert (out / "sub" / "b.txt").read_text().startswith("US warned Iran of terror threat")


def test_jsonl_with_lines(pages: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(pages / "a.txt"), "--format", "jsonl", "--lines"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert set(record) >= {"id", "source", "title", "body", "text", "meta", "metadata"}
    assert record["meta"][0] == "By Jonathan Landay and Steve Holland"
    metadata = record["metadata"]
    assert metadata["lines_total"] == len(metadata["lines"]) > metadata["lines_kept"] > 0
    first = metadata["lines"][0]
    assert set(first) == {"line", "text", "label", "probability", "reason", "block"}


def test_bad_input_is_reported_and_the_batch_goes_on(pages: Path, tmp_path: Path) -> None:
    (pages / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "declutter", "clean", str(pages), "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "broken.txt" in result.stderr and "1 of 3" in result.stderr
    assert (out / "a.txt").exists() and (out / "sub" / "b.txt").exists()
    assert not (out / "broken.txt").exists()


def test_stdin_and_python_dash_m(pages: Path) -> None:
    text = (pages / "a.txt").read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "declutter", "clean", "-"], input=text, capture_output=True
    )
    assert result.returncode == 0
    assert result.stdout.decode().startswith("Exclusive-US intelligence")


def test_articles_only_empties_non_articles_and_jsonl_says_which(
    pages: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home.txt"
    home.write_text(load_fixture("edge_non_article.txt").text, encoding="utf-8")
    assert main(["clean", str(pages / "a.txt"), str(home), "--format", "jsonl", "--articles-only", "-q"]) == 0
    records = {Path(r["source"]).name: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert records["home.txt"]["text"] == "" and records["home.txt"]["metadata"]["is_article"] is False
    assert records["a.txt"]["text"] and records["a.txt"]["metadata"]["is_article"] is True
    assert 0.0 <= records["a.txt"]["metadata"]["article_probability"] <= 1.0


def test_threshold_flag_changes_the_output(pages: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["clean", str(pages / "a.txt"), "--threshold", "0.0"])
    everything = capsys.readouterr().out
    main(["clean", str(pages / "a.txt"), "--threshold", "0.999"])
    strict = capsys.readouterr().out
    assert len(everything) > len(strict)


def test_output_dir_equal_to_the_input_dir_is_refused(
    pages: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (pages / "a.txt").read_bytes()
    assert main(["clean", str(pages), "-o", str(pages)]) == 2
    assert "overwrite an input" in capsys.readouterr().err
    assert (pages / "a.txt").read_bytes() == before


def test_two_inputs_with_one_output_name_are_refused(pages: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.txt").write_text("Some text.\n")
    assert main(["clean", str(pages / "a.txt"), str(other / "a.txt"), "-o", str(tmp_path / "out")]) == 2


def test_outputs_get_the_usual_file_mode(pages: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    main(["clean", str(pages), "-o", str(out)])
    mask = os.umask(0)
    os.umask(mask)
    assert (out / "a.txt").stat().st_mode & 0o777 == 0o666 & ~mask


def test_empty_input_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["clean", str(empty)]) == 0
    assert capsys.readouterr().out == ""


def test_out_of_range_threshold_is_a_usage_error(pages: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["clean", str(pages / "a.txt"), "--threshold", "1.5"])
    assert exit_info.value.code == 2


def _html_page(body: str, charset: str = "utf-8") -> str:
    nav = "".join(f"<li><a href='/{w}'>{w}</a></li>" for w in ("Home", "World", "Business", "Sport"))
    paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n"))
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>Site | Story</title></head>'
        f"<body><nav><ul>{nav}</ul></nav><article>{paragraphs}</article></body></html>"
    )


def test_html_file_is_read_as_html_and_metadata_goes_to_jsonl(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture = load_fixture(SEEDS[1])
    body = "\n".join(
        ln.strip() for ln, lb in zip(fixture.lines, fixture.labels, strict=True) if lb and lb.is_content
    )
    page = tmp_path / "story.html"
    page.write_bytes(_html_page(body, charset="windows-1252").encode("cp1252", errors="replace"))
    assert main(["clean", "--format", "jsonl", str(page)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (
        record["title"].startswith("Exclusive-US intelligence") and "WASHINGTON (Reuters)" in record["body"]
    )
    assert set(record["metadata"]) >= {"title", "author", "date", "sitename", "language", "url"}
    assert main(["clean", "--input", "text", "--format", "jsonl", "--lines", str(page)]) == 0
    as_text = json.loads(capsys.readouterr().out)  # read as a text dump: its one line is the markup
    assert as_text["metadata"]["lines"][0]["text"].startswith("<!DOCTYPE html>")
    assert as_text["metadata"]["input"] == "text" and "author" not in as_text["metadata"]


def test_encoding_flag_is_tried_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για την οικονομία και τις συντάξεις των πολιτών."
    page = tmp_path / "greek.html"
    page.write_bytes(_html_page(f"{text}\n{text} Δεύτερη παράγραφος.").encode("cp1253"))
    assert main(["clean", "--encoding", "cp1253", str(page)]) == 0
    assert "κυβέρνηση" in capsys.readouterr().out


def _gz(path: Path, data: bytes) -> None:
    path.write_bytes(gzip.compress(data))


def _read_shards(out: Path) -> list[dict[str, object]]:
    return [
        json.loads(line)
        for part in sorted(out.glob("part-*.jsonl.gz"))
        for line in gzip.decompress(part.read_bytes()).decode().splitlines()
    ]


def test_a_directory_mixing_txt_html_and_gz_is_mirrored(tmp_path: Path) -> None:
    fixture = load_fixture(SEEDS[1])
    body = "\n".join(ln for ln, lb in zip(fixture.lines, fixture.labels, strict=True) if lb and lb.is_content)
    root = tmp_path / "in"
    (root / "web").mkdir(parents=True)
    (root / "dump.txt").write_text(fixture.text)
    _gz(root / "dump2.txt.gz", fixture.text.encode())
    (root / "web" / "story.html").write_text(_html_page(body))
    _gz(root / "web" / "story2.htm.gz", _html_page(body).encode())
    (root / "notes.md").write_text("not an input")
    out = tmp_path / "out"
    assert main(["clean", str(root), "-o", str(out), "-q"]) == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.txt"))
    assert written == ["dump.txt", "dump2.txt", "web/story.txt", "web/story2.txt"]
    texts = {name: (out / name).read_text() for name in written}
    assert all("WASHINGTON (Reuters)" in text for text in texts.values())
    assert texts["dump.txt"] == texts["dump2.txt"] and texts["web/story.txt"] == texts["web/story2.txt"]
    assert (out / "errors.jsonl").read_text() == ""


def test_jsonl_gz_in_sharded_jsonl_gz_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = [
        {"id": f"r{n}", "url": f"http://example.com/{n}", "text": load_fixture(SEEDS[n]).text}
        for n in range(5)
    ]
    source = tmp_path / "export.jsonl.gz"
    _gz(source, "".join(json.dumps(r) + "\n" for r in records).encode())
    out = tmp_path / "out"
    assert main(["clean", str(source), "-o", str(out), "--format", "jsonl", "--shard-size", "2"]) == 0
    assert sorted(p.name for p in out.glob("part-*")) == [f"part-0000{n}.jsonl.gz" for n in range(3)]
    got = _read_shards(out)
    assert [r["id"] for r in got] == [f"r{n}" for n in range(5)]
    first = got[0]
    assert set(first) >= {"id", "text", "metadata"} and first["text"]
    metadata = first["metadata"]
    assert isinstance(metadata, dict)
    assert metadata["url"] == "http://example.com/0" and metadata["source"] == str(source)
    assert set(metadata) >= {"title", "meta", "lines_total", "lines_kept"}
    err = capsys.readouterr().err
    assert "documents: 5 in, 5 out, 0 failed" in err and "docs/s" in err


def test_warc_gz_written_with_warcio(tmp_path: Path) -> None:
    fixture = load_fixture(SEEDS[1])
    body = "\n".join(ln for ln, lb in zip(fixture.lines, fixture.labels, strict=True) if lb and lb.is_content)
    source = tmp_path / "crawl.warc.gz"
    with open(source, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for n, (media, payload) in enumerate(
            [("text/html; charset=utf-8", _html_page(body).encode()), ("application/pdf", b"%PDF-1.4")]
        ):
            http = StatusAndHeaders("200 OK", [("Content-Type", media)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    f"https://news.example/{n}", "response", payload=io.BytesIO(payload), http_headers=http
                )
            )
    out = tmp_path / "out"
    assert main(["clean", str(source), "-o", str(out), "--format", "jsonl", "-q"]) == 0
    [record] = _read_shards(out)
    assert str(record["id"]).startswith("<urn:uuid:") and "WASHINGTON (Reuters)" in str(record["text"])
    assert record["metadata"]["url"] == "https://news.example/0"  # type: ignore[index]


def test_a_record_that_times_out_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    slow = "\n".join(f"Menu item {i % 50}" if i % 7 else f"Sentence {i} of the page." for i in range(200_000))
    records = [
        {"id": "before", "text": load_fixture(SEEDS[1]).text},
        {"id": "slow", "text": slow},
        {"id": "after", "text": load_fixture(SEEDS[2]).text},
    ]
    source = tmp_path / "e.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records))
    out = tmp_path / "out"
    assert main(["clean", str(source), "-o", str(out), "--format", "jsonl", "--timeout", "0.3", "-q"]) == 1
    assert [r["id"] for r in _read_shards(out)] == ["before", "after"]
    [error] = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert error == {
        "input": str(source),
        "id": "slow",
        "error": "Timeout",
        "message": "took longer than 0.3 s",
    }


def _many_pages(root: Path, count: int) -> None:
    root.mkdir()
    for n in range(count):
        (root / f"page{n:03d}.txt").write_text(load_fixture(SEEDS[n % len(SEEDS)]).text)


def test_dask_local_cluster_writes_the_same_bytes_as_one_process(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed", reason="Dask is the [dask] extra")
    _many_pages(tmp_path / "in", 12)
    common = [
        "clean",
        str(tmp_path / "in"),
        "--format",
        "jsonl",
        "--shard-size",
        "5",
        "--chunk-size",
        "2",
        "-q",
    ]
    assert main([*common, "-o", str(tmp_path / "one"), "-j", "1"]) == 0
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
    ) as cluster:
        assert main([*common, "-o", str(tmp_path / "dask"), "--scheduler", cluster.scheduler_address]) == 0
    names = sorted(p.name for p in (tmp_path / "one").glob("part-*"))
    assert names == ["part-00000.jsonl.gz", "part-00001.jsonl.gz", "part-00002.jsonl.gz"]
    for name in [*names, "errors.jsonl"]:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_corrupt_model_fails_before_any_output(
    tmp_path: Path, jobs: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The models load where the pages are cleaned (this process or each worker); a model that
    does not verify stops the run there, naming the file, before a page is read or written."""
    model = tmp_path / MODEL_FILE
    shutil.copy(default_model_path(), model)
    shutil.copy(manifest_path(default_model_path()), manifest_path(model))
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0x01
    model.write_bytes(bytes(data))
    _many_pages(tmp_path / "in", 3)
    out = tmp_path / "out"
    command = ["clean", str(tmp_path / "in"), "-o", str(out), "--model", str(model), "-j", jobs]
    assert main(command) == 1
    err = capsys.readouterr().err
    assert "sha256" in err and str(model) in err
    assert not list(out.rglob("*.txt"))


def test_the_main_process_of_a_parallel_run_does_not_load_the_pipeline(tmp_path: Path) -> None:
    """With -j 2 the workers clean the pages: the main process only reads and writes, and never
    imports scikit-learn (a second of start-up, and the models' memory, saved)."""
    _many_pages(tmp_path / "in", 4)
    command = ["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-j", "2", "-q"]
    script = (
        "import sys\n"
        "from declutter.cli import main\n"
        f"code = main({command!r})\n"
        "assert 'sklearn' not in sys.modules and 'declutter.pipeline' not in sys.modules, 'pipeline loaded'\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "out").rglob("*.txt"))) == 4


def test_a_run_killed_with_sigkill_resumes_to_exactly_once(tmp_path: Path) -> None:
    _many_pages(tmp_path / "in", 120)
    command = [sys.executable, "-m", "declutter", "clean", str(tmp_path / "in"), "--format", "jsonl"]
    command += ["--shard-size", "4", "--chunk-size", "2", "-q", "-o", str(tmp_path / "out")]
    run = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (tmp_path / "out" / "part-00003.jsonl.gz").exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    assert run.poll() is None, "the run ended before it could be killed mid-way"
    run.send_signal(signal.SIGKILL)
    run.wait()
    partial = sorted((tmp_path / "out").glob("part-*"))
    assert 4 <= len(partial) < 30
    for part in partial:  # whatever was written is whole
        gzip.decompress(part.read_bytes())
    assert subprocess.run([*command, "--resume"], capture_output=True).returncode == 0
    ids = [r["id"] for r in _read_shards(tmp_path / "out")]
    assert sorted(ids) == sorted(str(p) for p in (tmp_path / "in").iterdir()) and len(set(ids)) == 120
    assert not list((tmp_path / "out").rglob("*.tmp"))
    clean_run = [*command[:-1], str(tmp_path / "clean")]
    assert subprocess.run(clean_run, capture_output=True).returncode == 0
    for part in sorted((tmp_path / "clean").glob("part-*")):
        assert (tmp_path / "out" / part.name).read_bytes() == part.read_bytes()


def test_usage_errors_exit_2(pages: Path, tmp_path: Path) -> None:
    assert main(["clean", str(pages), "--resume"]) == 2  # nothing to resume into
    assert main(["clean", str(tmp_path / "nothing-here.txt")]) == 2
    out = tmp_path / "out"
    assert main(["clean", str(pages), "-o", str(out), "-q"]) == 0
    assert main(["clean", str(pages), "-o", str(out), "-q"]) == 2  # an earlier run's output is there
    assert main(["clean", str(pages), "-o", str(out), "-q", "--resume"]) == 0
    assert main(["clean", str(pages), "-o", str(out), "-q", "--overwrite"]) == 0


EXAMPLE_SITE = Path(__file__).resolve().parent.parent / "fixtures" / "example-site"


def test_label_writes_a_draft_per_page_and_keeps_corrections(tmp_path: Path) -> None:
    drafts = tmp_path / "drafts"
    assert main(["label", str(EXAMPLE_SITE / "pages"), "-o", str(drafts)]) == 0
    names = sorted(p.name for p in drafts.glob("*.tsv"))
    assert names == sorted(p.with_suffix(".tsv").name for p in (EXAMPLE_SITE / "pages").glob("*.txt"))
    rows = (drafts / "school-solar.tsv").read_text(encoding="utf-8").splitlines()
    assert all("\t" in row for row in rows) and any(row.startswith("body\t") for row in rows)
    # a second run would overwrite a person's corrections: refused unless asked
    assert main(["label", str(EXAMPLE_SITE / "pages"), "-o", str(drafts)]) == 2
    assert main(["label", str(EXAMPLE_SITE / "pages"), "-o", str(drafts), "--overwrite"]) == 0


def test_label_refuses_two_inputs_drafted_to_one_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "x.txt").write_text(load_fixture(SEEDS[1]).text, encoding="utf-8")
    drafts = tmp_path / "drafts"
    assert (
        main(["label", str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt"), "-o", str(drafts)]) == 2
    )
    assert "would both be written to" in capsys.readouterr().err and not drafts.exists()


def test_label_reports_a_bad_page_and_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "good.txt").write_text(load_fixture(SEEDS[1]).text, encoding="utf-8")
    (pages / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    assert main(["label", str(pages), "-o", str(tmp_path / "drafts")]) == 1
    assert "bad.txt" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "drafts").glob("*.tsv")] == ["good.tsv"]


@pytest.mark.parametrize("chains", ["0", "-1"])
def test_train_refuses_fewer_than_one_chain(
    chains: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["train", "--fixtures", str(EXAMPLE_SITE / "train"), "-o", str(tmp_path), "--chains", chains])
        == 2
    )
    assert "--chains must be 1 or more" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_train_on_fixtures_alone_then_eval_with_that_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "model"
    assert main(["train", "--fixtures", str(EXAMPLE_SITE / "train"), "-o", str(out), "--chains", "2"]) == 0
    manifest = json.loads((out / "declutter.manifest.json").read_text())
    assert (
        manifest["training"]["fixtures"]["weight"] > 0 and len(manifest["training"]["fixtures"]["pages"]) == 4
    )
    assert len(manifest["training"]["chains"]) == 2
    capsys.readouterr()
    held_out = str(EXAMPLE_SITE / "held-out")
    assert (
        main(
            [
                "eval",
                "--fixtures",
                held_out,
                "--model",
                str(out / "declutter.joblib"),
                "--json",
                str(tmp_path / "s.json"),
            ]
        )
        == 0
    )
    table = capsys.readouterr().out
    assert "held-out" in table and "keep-all" in table
    scores = json.loads((tmp_path / "s.json").read_text())
    assert set(scores) == {"declutter", "keep-all", "c4-rules"}
    f1 = {system: scores[system]["overall"]["token"]["f1"] for system in scores}
    assert f1["declutter"] > max(f1["keep-all"], f1["c4-rules"])


def test_train_on_too_few_fixtures_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(EXAMPLE_SITE / "train" / "bus-fares.tsv", one)
    assert main(["train", "--fixtures", str(one), "-o", str(tmp_path / "m")]) == 2
    assert "at least 3 labelled pages" in capsys.readouterr().err


def test_eval_on_a_malformed_fixture_is_an_error_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "p.tsv").write_text("body\tfine\nno tab\n", encoding="utf-8")
    assert main(["eval", "--fixtures", str(tmp_path)]) == 2
    assert "p.tsv:2" in capsys.readouterr().err


def test_fallback_trafilatura_reads_a_hidden_description_and_needs_html_in_eval(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sentence = "Sentence {} of the description explains how the kettle boils water quickly and quietly."
    paragraphs = "".join(f"<p>{' '.join(sentence.format(i * 3 + j) for j in range(3))}</p>" for i in range(4))
    page = tmp_path / "kettle.html"
    page.write_text(
        "<html><head><title>Kettle K2 | Shop</title></head><body><nav><a href='/'>Home</a> "
        f"<a href='/cart'>Cart</a></nav><h1>Kettle K2</h1><p>$29.99</p><div hidden>{paragraphs}</div>"
        "<footer>Copyright 2026 Shop Inc.</footer></body></html>",
        encoding="utf-8",
    )
    assert main(["clean", str(page)]) == 0
    assert "kettle boils water" not in capsys.readouterr().out
    assert main(["clean", "--fallback", "trafilatura", str(page)]) == 0
    assert capsys.readouterr().out.count("kettle boils water") == 12
    assert main(["eval", "--fallback", "trafilatura", "--split", "dev"]) == 2
    assert "--fallback reads the page's HTML" in capsys.readouterr().err
