"""smoother: neighbour-probability features and the revision of short blocks."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix

from declutter.cohesion import N_COHESION, page_terms
from declutter.document import Verdict
from declutter.features import feature_names
from declutter.labels import Label
from declutter.segmenter import Block, segment
from declutter.smoother import (
    N_CONTEXT,
    N_GROUP_CONTEXT,
    N_PAGE_CONTEXT,
    N_PROBABILITY_CONTEXT,
    code_listings,
    context_width,
    group_context,
    join_code_listings,
    join_introduced_lists,
    join_tables,
    page_context,
    probability_context,
    refining_features,
    revise_short_blocks,
    short_blocks,
    smoothing_features,
    tab_runs,
)


def test_probability_context_shape_and_neighbours() -> None:
    p = np.array([0.1, 0.9, 0.8, 0.2])
    context = probability_context(p, np.array([0.0, 1.0, 1.0, 0.0]))
    assert context.shape == (4, N_PROBABILITY_CONTEXT)
    assert context[1, 0] == 0.9
    assert context[0, 1:6].tolist() == [-1.0] * 5  # nothing before the first block


def test_page_context_finds_the_main_span_and_runs() -> None:
    # a teaser, an unsure paragraph, two confident paragraphs around a 2-word subheading, a footer
    p = np.array([0.6, 0.1, 0.9, 0.3, 0.8, 0.1])
    words = np.array([8.0, 20.0, 40.0, 2.0, 50.0, 5.0])
    context = page_context(p, words)
    assert context.shape == (6, N_PAGE_CONTEXT)
    assert context[:, 0].tolist() == [0.6, 0.0, 1.0, 0.4, 0.8, 0.2]  # rank within the page
    assert np.allclose(context[:, 1], p - 0.9)  # gap to the page's top probability
    inside_strict = context[:, 3 + 4 * 2]  # inside the main span at level 0.7
    assert inside_strict.tolist() == [0.0, 0.0, 1.0, 1.0, 1.0, 0.0]
    largest_run = context[:, -1]  # the subheading does not break the run
    assert largest_run.tolist() == [0.0, 0.0, 1.0, 1.0, 1.0, 0.0]
    assert context[0, -3] == 8.0 / 90.0  # the teaser's run against the largest


def test_stage_inputs_have_the_widths_the_model_checks() -> None:
    features = np.zeros((3, len(feature_names())), dtype=np.float32)
    first, smoothed = np.array([0.2, 0.9, 0.4]), np.array([0.1, 0.95, 0.5])
    terms = page_terms(csr_matrix(np.eye(3, 8)), np.zeros(3))
    text_width = len(feature_names()) + context_width(html=False)
    assert text_width == len(feature_names()) + N_CONTEXT + N_COHESION
    assert smoothing_features(features, first, terms).shape == (3, text_width)
    refined = refining_features(features, first, smoothed, terms)
    assert refined.shape == (3, text_width + 1)
    assert refined[:, -1].tolist() == [np.float32(v) for v in first]
    assert page_context(np.zeros(0), np.zeros(0)).shape == (0, N_PAGE_CONTEXT)
    # float32, as the models were trained on; the boosting's one C loop reads only float32 rows
    assert smoothing_features(features, first, terms).dtype == refined.dtype == np.float32


def test_an_html_page_is_smoothed_with_its_groups_instead_of_cohesion() -> None:
    features = np.zeros((3, len(feature_names())), dtype=np.float32)
    first = np.array([0.2, 0.9, 0.4])
    groups = np.array([[1, 9], [1, 9], [2, 9]])
    html_width = len(feature_names()) + context_width(html=True)
    assert html_width == len(feature_names()) + N_CONTEXT + N_GROUP_CONTEXT
    smoothed = smoothing_features(features, first, groups)
    assert smoothed.shape == (3, html_width)
    expected = group_context(first, np.zeros(3), groups).astype(np.float32)  # no words in zero features
    assert np.array_equal(smoothed[:, -N_GROUP_CONTEXT:], expected)


def test_group_context_compares_a_block_with_its_siblings() -> None:
    # three paragraphs of one container (one unsure), a lone link list, a line without a group
    p = np.array([0.9, 0.2, 0.8, 0.1, 0.5])
    words = np.array([29.0, 29.0, 59.0, 4.0, 9.0])
    groups = np.array([[5, 2], [5, 2], [5, 2], [7, 2], [0, 0]])
    context = group_context(p, words, groups)
    assert context.shape == (5, N_GROUP_CONTEXT)
    assert np.isclose(context[1, 0], (30 * 0.9 + 60 * 0.8) / 90)  # its siblings' mean probability
    assert context[3, 0] == -1.0 and context[4, 0] == -1.0  # alone in its group
    assert context[1, 1] == 0.9 and context[3, 1] == 0.1  # the group's top probability
    assert np.isclose(context[0, 2], 120 / 135)  # the group's share of the page's words
    assert np.isclose(context[1, 3], 90 / 100) and context[3, 3] == 0.0  # its share of likely content
    assert np.isclose(context[0, 4], np.log1p(3))  # blocks in the group
    assert np.isclose(context[3, 5], (30 * 0.9 + 30 * 0.2 + 60 * 0.8) / 120)  # the outer group's
    assert group_context(np.zeros(0), np.zeros(0), np.zeros((0, 2), dtype=int)).shape == (0, N_GROUP_CONTEXT)


def test_unsure_subheading_between_kept_paragraphs_is_kept() -> None:
    blocks = segment(["Paragraph one of the story.", "Olive branch", "Paragraph two of the story."])
    verdicts = [
        Verdict(Label.BODY, 0.9, "model"),
        Verdict(Label.CHROME, 0.4, "model"),
        Verdict(Label.BODY, 0.9, "model"),
    ]
    out = revise_short_blocks(blocks, verdicts)
    assert out[1].label is Label.BODY and out[1].reason == "smoothed"


def test_rule_decisions_are_not_revised_nor_used_as_neighbours() -> None:
    blocks = segment(["Paragraph one of the story.", "Advertisement", "Subhead", "Paragraph two."])
    verdicts = [
        Verdict(Label.BODY, 0.9, "model"),
        Verdict(Label.CHROME, 0.5, "rule:advertisement"),
        Verdict(Label.CHROME, 0.4, "model"),
        Verdict(Label.BODY, 0.9, "model"),
    ]
    out = revise_short_blocks(blocks, verdicts)
    assert out[1].reason == "rule:advertisement" and out[2].label is Label.BODY


def test_confident_chrome_is_not_revised() -> None:
    blocks = segment(["Paragraph one of the story.", "Share", "Paragraph two."])
    verdicts = [
        Verdict(Label.BODY, 0.9, "model"),
        Verdict(Label.CHROME, 0.05, "model"),
        Verdict(Label.BODY, 0.9, "model"),
    ]
    assert revise_short_blocks(blocks, verdicts)[1].label is Label.CHROME


def _verdicts(*kept: bool | None) -> list[Verdict]:
    """Model verdicts: True kept, False dropped."""
    return [Verdict(Label.BODY, 0.9, "model") if k else Verdict(Label.CHROME, 0.1, "model") for k in kept]


def _listing_page(*texts: str) -> list[Block]:
    """One block a line: the paragraphs, captions and code lines of a documentation page."""
    return [Block(i, i + 1, text) for i, text in enumerate(texts)]


PARA = "Here is how the request is made, step by step."
CODE = "x = fetch(url)"


def test_a_code_listing_between_kept_paragraphs_is_kept_whole() -> None:
    verdicts = _verdicts(True, True, False, False, True)
    blocks = _listing_page(PARA, CODE, CODE, CODE, PARA)
    out = join_code_listings(blocks, verdicts, [0, 7, 7, 7, 0])
    assert [v.label.is_content for v in out] == [True] * 5
    assert [v.reason for v in out] == ["model", "model", "rule:code_listing", "rule:code_listing", "model"]
    assert out[2].probability == 0.1  # the model's probability stays on record


def test_a_code_listing_is_judged_by_the_blocks_outside_listings() -> None:
    # the listing 3 sits between listing 7 and a kept paragraph; it looks past 7 to the first paragraph
    blocks = _listing_page(PARA, CODE, CODE, PARA)
    out = join_code_listings(blocks, _verdicts(True, False, False, True), [0, 7, 3, 0])
    assert [v.label.is_content for v in out] == [True] * 4


def test_a_code_listing_with_chrome_on_one_side_keeps_its_verdicts() -> None:
    verdicts = _verdicts(True, False, True, False)
    blocks = _listing_page(PARA, CODE, CODE, "Read more stories from our newsroom today")
    assert join_code_listings(blocks, verdicts, [0, 5, 5, 0]) == verdicts
    verdicts = _verdicts(False, False, True)
    assert join_code_listings(_listing_page("Menu: home, news", CODE, PARA), verdicts, [0, 5, 0]) == verdicts


def test_a_page_that_is_one_listing_keeps_its_verdicts() -> None:
    verdicts = _verdicts(True, False, True)
    assert join_code_listings(_listing_page(CODE, CODE, CODE), verdicts, [2, 2, 2]) == verdicts
    assert join_code_listings([], [], []) == []


def test_a_code_listing_is_joined_across_its_captions() -> None:
    # "js" above the listing and "Copy" below it are dropped captions, not the article's end
    blocks = _listing_page(PARA, "js", CODE, CODE, "Copy", PARA)
    out = join_code_listings(blocks, _verdicts(True, False, False, False, False, True), [0, 0, 4, 4, 0, 0])
    assert [v.label.is_content for v in out] == [True, False, True, True, False, True]


def test_a_code_listing_looks_past_two_captions_at_most() -> None:
    blocks = _listing_page(PARA, "Share", "Tweet", "js", CODE, PARA)
    verdicts = _verdicts(True, False, False, False, False, True)
    assert join_code_listings(blocks, verdicts, [0, 0, 0, 0, 4, 0]) == verdicts


def test_a_code_listing_introduced_by_a_colon_ends_the_article() -> None:
    footer = "Read more stories from our newsroom today"
    blocks = _listing_page(PARA, "Install it with:", CODE, footer)
    out = join_code_listings(blocks, _verdicts(True, True, False, False), [0, 0, 9, 0])
    assert [v.label.is_content for v in out] == [True, True, True, False]
    # the introduction may stand above the listing's kept caption
    blocks = _listing_page(PARA, "Install it with:", "bash", CODE, footer)
    out = join_code_listings(blocks, _verdicts(True, True, True, False, False), [0, 0, 0, 9, 0])
    assert [v.label.is_content for v in out] == [True, True, True, True, False]
    # without the colon, a listing before the footer is not the article's
    blocks = _listing_page(PARA, "Install it.", CODE, footer)
    verdicts = _verdicts(True, True, False, False)
    assert join_code_listings(blocks, verdicts, [0, 0, 9, 0]) == verdicts


PROSE = "This paragraph is set in a preformatted element, but it reads as ordinary prose."


def test_code_listings_are_the_pre_elements_that_hold_code() -> None:
    blocks = _listing_page(PARA, PARA, PARA, CODE, CODE, PROSE, PARA)
    assert code_listings(blocks, [0, 0, 0, 3, 3, 5, 0]).tolist() == [False] * 3 + [True] * 2 + [False] * 2
    assert not code_listings(blocks, [0] * 7).any()
    assert code_listings([], []).tolist() == []


def test_a_page_set_in_pre_has_no_code_listings() -> None:
    # an RFC: nearly all of its text is in <pre>, so the models judge all of it as text
    blocks = _listing_page("Docs", CODE, CODE, CODE, CODE)
    assert not code_listings(blocks, [0, 1, 1, 2, 2]).any()


def test_a_list_introduced_by_a_colon_is_kept_whole() -> None:
    blocks = _listing_page(
        "Key topics discussed in the guide include:", "Procedures", "Steps", "Losses", PARA
    )
    verdicts = _verdicts(True, False, True, False, False)
    out = join_introduced_lists(blocks, verdicts, [False, True, True, True, False], [False] * 5)
    assert [v.label.is_content for v in out] == [True, True, True, True, False]  # the list ends at PARA
    assert [v.reason for v in out][1:4] == ["rule:list", "model", "rule:list"]


def test_an_introduced_list_ends_at_links_rules_and_non_items() -> None:
    intro = "Read these next:"
    verdicts = _verdicts(True, False, False, False)
    links = join_introduced_lists(
        _listing_page(intro, "A", "B", "C"), verdicts, [False, True, True, True], [False, True, False, False]
    )
    assert links == verdicts  # the first item points away: no list
    ruled = [verdicts[0], Verdict(Label.CHROME, 0.1, "rule:share"), *verdicts[2:]]
    assert (
        join_introduced_lists(
            _listing_page(intro, "A", "B", "C"), ruled, [False, True, True, True], [False] * 4
        )
        == ruled
    )
    # no colon, or an introduction that was dropped: no list
    assert (
        join_introduced_lists(
            _listing_page("Read these next.", "A"), _verdicts(True, False), [False, True], [False] * 2
        )[1].label
        is Label.CHROME
    )
    assert (
        join_introduced_lists(_listing_page(intro, "A"), _verdicts(False, False), [False, True], [False] * 2)[
            1
        ].label
        is Label.CHROME
    )


def test_an_introduced_list_stops_at_its_first_link_and_runs_through_colons() -> None:
    blocks = _listing_page("Read these:", "A", "B", "C", "D")
    out = join_introduced_lists(
        blocks,
        _verdicts(True, False, False, False, False),
        [False, *[True] * 4],
        [False, False, False, True, False],
    )
    assert [v.label.is_content for v in out] == [True, True, True, False, False]  # C points away
    # items that end with colons are still items of the one list (it is walked once)
    blocks = _listing_page("Options:", "size:", "colour:", "weight:", PARA)
    out = join_introduced_lists(
        blocks, _verdicts(True, False, False, False, True), [False, True, True, True, False], _near(5)
    )
    assert [v.reason for v in out][1:4] == ["rule:list"] * 3


def test_a_full_width_colon_introduces_too() -> None:
    blocks = _listing_page("主要内容包括：", "第一部分", "第二部分")
    out = join_introduced_lists(blocks, _verdicts(True, False, False), [False, True, True], _near(3))
    assert all(v.label.is_content for v in out)


def test_short_blocks_are_a_dump_s_list_items() -> None:
    assert short_blocks(_listing_page("Procedures at the rental counter", PROSE * 2)) == [True, False]


def _near(n: int) -> list[bool]:
    return [False] * n


def _rows(n: int) -> list[Block]:
    """A paragraph, table rows and a paragraph (``n`` blocks), as join_tables reads them."""
    return _listing_page(PARA, *["2013\t+13%"] * (n - 2), PARA)


def test_a_data_table_between_kept_paragraphs_is_kept_whole() -> None:
    out = join_tables(_rows(5), _verdicts(True, False, False, False, True), [0, 4, 4, 4, 0], _near(5))
    assert [v.label.is_content for v in out] == [True] * 5
    assert [v.reason for v in out][1:4] == ["rule:table"] * 3


def test_a_table_holding_content_is_a_layout_table_and_keeps_its_verdicts() -> None:
    # the article sits in the table, with a menu cell: nothing is promoted
    verdicts = _verdicts(True, False, True, False, True)
    assert join_tables(_rows(5), verdicts, [0, 4, 4, 4, 0], _near(5)) == verdicts


def test_a_table_with_chrome_on_one_side_keeps_its_verdicts() -> None:
    verdicts = _verdicts(True, False, False, False)
    assert join_tables(_rows(4), verdicts, [0, 4, 4, 0], _near(4)) == verdicts
    assert join_tables([], [], [], []) == []


def test_nested_and_adjacent_tables_are_judged_by_the_blocks_outside_tables() -> None:
    out = join_tables(
        _rows(6), _verdicts(True, False, False, False, False, True), [0, 4, 4, 9, 9, 0], _near(6)
    )
    assert [v.label.is_content for v in out] == [True] * 6


def test_a_table_introduced_by_a_colon_ends_the_article() -> None:
    blocks = _listing_page(PARA, "Prices rose:", "2013\t+13%", "2014\t+2%", "Read more stories")
    out = join_tables(blocks, _verdicts(True, True, False, False, False), [0, 0, 4, 4, 0], _near(5))
    assert [v.label.is_content for v in out] == [True, True, True, True, False]


def test_a_one_row_table_is_not_taken_for_data() -> None:
    verdicts = _verdicts(True, False, True)
    assert join_tables(_rows(3), verdicts, [0, 4, 0], _near(3)) == verdicts


def test_a_table_with_a_rule_dropped_row_keeps_its_verdicts() -> None:
    verdicts = _verdicts(True, False, False, True)
    verdicts[2] = Verdict(Label.CHROME, 0.001, "rule:share")  # a share bar laid out as a table
    assert join_tables(_rows(4), verdicts, [0, 4, 4, 0], _near(4)) == verdicts


def test_a_table_of_links_or_in_navigation_keeps_its_verdicts() -> None:
    verdicts = _verdicts(True, False, False, True)
    assert join_tables(_rows(4), verdicts, [0, 4, 4, 0], [False, False, True, False]) == verdicts


def test_a_dumps_tables_are_its_runs_of_tabbed_blocks() -> None:
    texts = ["Prices rose:", "Year\tChange", "2013\t+13%", "And then fell.", "a\tb", "Menu"]
    blocks = [Block(i, i + 1, text) for i, text in enumerate(texts)]
    assert tab_runs(blocks) == [0, 1, 1, 0, 2, 0]
    assert tab_runs([]) == []
