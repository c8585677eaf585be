"""writer and document: verdicts spread over lines; the clean text is title, blank line, body."""

from __future__ import annotations

from declutter.document import Verdict
from declutter.labels import Label
from declutter.segmenter import segment
from declutter.writer import write


def test_every_line_gets_its_block_verdict_and_blank_lines_are_chrome() -> None:
    lines = ["  Headline here  ", "", "First paragraph.", "Byline Person", "Second paragraph."]
    blocks = segment(lines)
    verdicts = [
        Verdict(Label.TITLE, 0.9, "model"),
        Verdict(Label.BODY, 0.9, "model"),
        Verdict(Label.META, 0.2, "rule:author_name"),
        Verdict(Label.BODY, 0.8, "smoothed"),
    ]
    doc = write(lines, blocks, verdicts)
    assert [ln.number for ln in doc.lines] == [1, 2, 3, 4, 5]
    assert doc.lines[1].label is Label.CHROME and doc.lines[1].reason == "rule:blank"
    assert doc.lines[0].text == "  Headline here  "
    assert doc.title == "Headline here"
    assert doc.body == "First paragraph.\nSecond paragraph."
    assert doc.text == "Headline here\n\nFirst paragraph.\nSecond paragraph."
    assert doc.meta == ["Byline Person"]


def test_body_without_title() -> None:
    lines = ["Only a paragraph."]
    doc = write(lines, segment(lines), [Verdict(Label.BODY, 0.9, "model")])
    assert doc.title is None and doc.text == "Only a paragraph."


def test_a_sentence_cut_at_links_is_written_back_as_one_paragraph() -> None:
    lines = ["The plan was approved, according to", "The Associated Press", ".", "Share"]
    blocks = segment(lines, fragments=True)
    assert len(blocks) == 2
    doc = write(lines, blocks, [Verdict(Label.BODY, 0.9, "model"), Verdict(Label.CHROME, 0.1, "model")])
    assert doc.body == "The plan was approved, according to The Associated Press."
    assert [ln.text for ln in doc.lines] == lines  # each line itself stays as it came
