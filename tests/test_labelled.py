"""labelled: label<TAB>line pages are read strictly and drafted from a document."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES

from declutter import Declutter, LabelError
from declutter.labelled import draft, parse, read, read_dir
from declutter.labels import Label

EXAMPLE_SITE = FIXTURES / "example-site"


def test_a_page_reads_into_lines_labels_and_gold() -> None:
    page = parse("chrome\tMenu\ntitle\tHeadline\n\t\nbody\t  A paragraph.  \nmeta\tBy Ann Lee\n", "p.tsv")
    assert page.lines == ["Menu", "Headline", "", "  A paragraph.  ", "By Ann Lee"]
    assert page.labels == [Label.CHROME, Label.TITLE, None, Label.BODY, Label.META]
    assert page.content == [False, True, False, True, False]
    assert page.gold == "Headline\nA paragraph."
    assert page.text == "Menu\nHeadline\n\n  A paragraph.  \nBy Ann Lee"


def test_tabs_inside_a_line_are_kept() -> None:
    assert parse("body\tcol 1\tcol 2\n", "p.tsv").lines == ["col 1\tcol 2"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("body\tfine\nno tab here\n", r"p\.tsv:2: no tab"),
        ("content\tA line\n", r"p\.tsv:1: unknown label 'content'"),
        ("\tText without a label\n", r"p\.tsv:1: a line with text needs a label"),
    ],
)
def test_a_bad_row_names_the_page_and_line(text: str, message: str) -> None:
    with pytest.raises(LabelError, match=message):
        parse(text, "p.tsv")


def test_a_directory_without_pages_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LabelError, match="no labelled pages"):
        read_dir(tmp_path)


def test_an_undecodable_file_is_an_error_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_bytes(b"body\t\xff\xfe\n")
    with pytest.raises(LabelError, match=r"bad\.tsv: cannot read"):
        read(bad)


def test_a_draft_reads_back_as_the_documents_verdicts(cleaner: Declutter) -> None:
    text = (EXAMPLE_SITE / "pages" / "school-solar.txt").read_text(encoding="utf-8")
    doc = cleaner.run(text)
    page = parse(draft(doc), "draft.tsv")
    assert page.lines == [line.text for line in doc.lines]
    assert page.labels == [line.label if line.text.strip() else None for line in doc.lines]


def test_the_example_sites_labelled_pages_match_their_dumps() -> None:
    for page in read_dir(EXAMPLE_SITE):
        dump = (EXAMPLE_SITE / "pages" / Path(page.name).with_suffix(".txt").name).read_text(encoding="utf-8")
        assert page.text + "\n" == dump
        assert page.labels.count(Label.TITLE) == 1 and Label.CHROME in page.labels
