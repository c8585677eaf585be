"""cli: `declutter clean` on files, directories and stdin; bad inputs do not cost the batch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEEDS, load_fixture

from declutter.cli import main


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
