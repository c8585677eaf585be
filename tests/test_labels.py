"""labels: the four labels of ANNOTATION.md, as an Enum."""

from __future__ import annotations

from declutter import Label


def test_the_four_labels_and_which_are_content() -> None:
    assert [label.value for label in Label] == ["title", "body", "meta", "chrome"]
    assert [label.is_content for label in Label] == [True, True, False, False]
    assert Label("meta") is Label.META and str(Label.BODY) == "body"
