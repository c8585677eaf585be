"""segment: lines, and hard-wrapped paragraphs joined into one block."""

from __future__ import annotations

import textwrap

import pytest

from declutter.segmenter import fragment_joins, glue, segment, split_lines, wrap_width

PARAGRAPHS = [
    "The committee met on Tuesday to discuss the proposal, which would change how the city "
    "collects and publishes its records, and several members asked for more time to read it.",
    "Officials said the vote could come as early as next month, although no date has been set "
    "and the mayor's office declined to say whether it supported the plan in its current form.",
    "Residents who spoke at the meeting were divided: some welcomed the openness it promised, "
    "while others worried about the cost of the new system and who would be paying for it.",
]


def test_split_lines_breaks_only_on_cr_lf() -> None:
    assert split_lines("a\u2028b\r\nc\rd\n") == ["a\u2028b", "c", "d"]


def test_unwrapped_dump_has_one_block_per_line() -> None:
    lines = ["Home", "News", "", *PARAGRAPHS, "Share"]
    blocks = segment(lines)
    assert [b.text for b in blocks] == ["Home", "News", *PARAGRAPHS, "Share"]
    assert wrap_width(lines) is None


def test_hard_wrapped_paragraphs_become_blocks() -> None:
    lines: list[str] = ["Home | News | Sport", ""]
    for paragraph in PARAGRAPHS:
        lines += [*textwrap.wrap(paragraph, 72), ""]
    lines += ["Share this", "Advertisement"]
    assert wrap_width(lines) is not None
    texts = [b.text for b in segment(lines)]
    assert texts == ["Home | News | Sport", *PARAGRAPHS, "Share this", "Advertisement"]


def test_block_spans_cover_their_lines() -> None:
    lines = [*textwrap.wrap(PARAGRAPHS[0], 40), "", *textwrap.wrap(PARAGRAPHS[1], 40)]
    blocks = segment(lines, unwrap=True)
    assert len(blocks) == 2
    assert blocks[0].start == 0 and blocks[1].end == len(lines)


def test_unwrap_false_keeps_lines_apart() -> None:
    lines = textwrap.wrap(PARAGRAPHS[0], 40)
    assert len(segment(lines, unwrap=False)) == len(lines)


def test_empty_text_has_no_lines() -> None:
    assert split_lines("") == [] and segment([]) == []
    assert split_lines("\n") == [""]


def test_markdown_blocks_are_judged_as_plain_text_and_keep_their_lines() -> None:
    lines = [
        "* [Home](https://example.org/)",
        "* [Sport](https://example.org/sport)",
        "",
        "# Ship found in the [Arctic](https://example.org/arctic)",
        "",
        "The ship was found by a [helicopter pilot](https://example.org/p) on the lookout for bears.",
    ]
    blocks = segment(lines)
    assert [b.text for b in blocks] == [
        "Home",
        "Sport",
        "Ship found in the Arctic",
        "The ship was found by a helicopter pilot on the lookout for bears.",
    ]
    assert [(b.start, b.end) for b in blocks] == [(0, 1), (1, 2), (3, 4), (5, 6)]


def test_a_plain_dump_is_not_read_as_markdown() -> None:
    lines = ["**Note** this [draft](is) not markdown", "# 1 fan"]
    assert [b.text for b in segment(lines)] == lines


def test_long_link_lines_do_not_hide_the_wrap_width() -> None:
    slug = "https://example.org/2024/01/05/a-rather-long-story-slug-number"
    links = [f"  * [Story {i}]({slug}-{i}.html)" for i in range(12)]
    lines = [*links, ""]
    for paragraph in PARAGRAPHS:
        lines += [*textwrap.wrap(paragraph, 78), ""]
    assert wrap_width(lines, markdown=True) == max(len(line) for line in lines if line and "](" not in line)
    assert [b.text for b in segment(lines)][-3:] == PARAGRAPHS


# A paragraph as BeautifulSoup's get_text("\n") writes it: one line per text node, cut at links.
FRAGMENTED = [  # fewer lines than a wrapped dump needs (MIN_LINES_FOR_WRAP)
    "The release of the report followed three dramatic days. On Friday morning,",
    "Bentley",
    "coupled an emotional plea for forgiveness",
    "with a lawsuit to delay the release of the report, according to",
    "The Associated Press",
    ".",
    "Share",
]


def test_sentences_cut_at_inline_elements_become_one_block() -> None:
    texts = [b.text for b in segment(FRAGMENTED, fragments=True)]
    assert texts == [" ".join(FRAGMENTED[:6]), "Share"]


def test_fragments_are_joined_only_when_asked() -> None:
    assert len(segment(FRAGMENTED)) == len(FRAGMENTED)
    assert len(segment(FRAGMENTED, unwrap=False, fragments=True)) == len(FRAGMENTED)


def test_short_lower_case_lines_and_finished_sentences_stay_apart() -> None:
    menu = ["Topics", "politics", "economy", "e-Edition", "The vote was held on Monday.", "it passed"]
    assert [b.text for b in segment(menu, fragments=True)] == menu
    assert fragment_joins(["He said so.", "and left"]) == [False, False]
    assert fragment_joins(["Prices rose", "3%"]) == [False, False]  # a digit opens no continuation


@pytest.mark.parametrize(
    ("lines", "joins"),
    [
        (["He said so.", "and left the room."], [False, False]),  # the sentence was over
        (["Sports", "golf today."], [False, False]),  # too few words to be a cut sentence
        (["Sports", "golf is back."], [False, True]),
        (["The plan was approved by the council", "."], [False, True]),
        (["It was over", "... and then it ended."], [False, False]),  # an ellipsis opens no continuation
        # a link's text between two fragments: up to INLINE_MAX_WORDS words, after 2+ words
        (["The mayor said on Monday that", "The Planning Board", "would meet again."], [False, True, True]),
        (
            ["The mayor said on Monday that", "The Big Long Name Of The Board", "would meet again."],
            [False, False, True],
        ),
        (["Menu", "Home", "news about the city today."], [False, False, True]),
        (["It said", "Reuters", "had the story first."], [False, True, True]),
        (["• first item of the list", "• second item", "continued here with words."], [False, False, True]),
        # capitals inside the first word, closing-quote openers and a script without capitals
        (["Apple's new phone reviewed", "iPhone 16 Pro is the best phone Apple has made."], [False, False]),
        (["Merkel in Berlin", "»Wir schaffen das«, sagte Merkel."], [False, False]),
        (["საქართველოს ახალი ამბები", "პრემიერმა განაცხადა, რომ ყველაფერი კარგად იქნება."], [False, False]),
        (["他说", "，明天会下雨。"], [False, True]),
    ],
)
def test_fragment_joins(lines: list[str], joins: list[bool]) -> None:
    assert fragment_joins(lines) == joins


def test_glue_sets_no_space_before_continuing_punctuation() -> None:
    assert glue("according to The Associated Press", ".") == "according to The Associated Press."
    assert glue("he said", ", in the end.") == "he said, in the end."
    assert glue("他说", "，明天会下雨。") == "他说，明天会下雨。"
    assert glue("We use", ".NET daily") == "We use .NET daily"
    assert glue("It was over", "and done") == "It was over and done"
