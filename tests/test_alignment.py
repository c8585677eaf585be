"""alignment: dump lines labelled content by in-order alignment to the gold text."""

from __future__ import annotations

from declutter.alignment import align

GOLD = (
    "Storm closes coastal roads\n"
    "Heavy rain and strong winds closed several coastal roads on Sunday, officials said.\n"
    "Crews expect to reopen them by Monday evening."
)


def test_content_lines_align_and_chrome_does_not() -> None:
    lines = [
        "Home",
        "Weather",
        "Storm closes coastal roads",
        "Heavy rain and strong winds closed several coastal roads on Sunday, officials said.",
        "Crews expect to reopen them by Monday evening.",
        "Share on Facebook",
    ]
    assert align(lines, GOLD) == [False, False, True, True, True, False]


def test_only_the_copy_of_a_repeated_headline_next_to_the_body_is_content() -> None:
    lines = [
        "Storm closes coastal roads",
        "Menu",
        "Storm closes coastal roads",
        "Heavy rain and strong winds closed several coastal roads on Sunday, officials said.",
        "Crews expect to reopen them by Monday evening.",
    ]
    assert align(lines, GOLD) == [False, False, True, True, True]


def test_words_scattered_through_chrome_do_not_align() -> None:
    assert align(["roads on Monday", "said the officials"], GOLD) == [False, False]


def test_empty_gold_labels_nothing() -> None:
    assert align(["anything at all here"], "") == [False]
