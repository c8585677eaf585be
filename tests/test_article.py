"""article: the headline (once, nearest the body) and metadata lines around the article."""

from __future__ import annotations

from declutter.article import (
    find_title,
    headline_terms,
    is_headline_shaped,
    mark_dek,
    mark_meta,
    mark_title,
)
from declutter.document import Verdict
from declutter.labels import Label
from declutter.segmenter import segment

BODY = "The council voted on Tuesday to close the old bridge to traffic, citing safety reports."
BODY2 = "Repairs are expected to take two years and cost more than the council had planned."
HEADLINE = "Council votes to close old bridge"


def _run(lines: list[str], content: list[bool]) -> list[Verdict]:
    blocks = segment(lines)
    verdicts = [Verdict(Label.BODY if c else Label.CHROME, 0.9 if c else 0.1, "model") for c in content]
    return mark_meta(blocks, mark_title(blocks, verdicts))


def test_headline_shape() -> None:
    assert is_headline_shaped(HEADLINE)
    assert not is_headline_shaped(BODY) and not is_headline_shaped("Advertisement")
    assert not is_headline_shaped("By Jane Smith")


def test_title_is_the_kept_headline_above_the_body() -> None:
    out = _run(["Menu", HEADLINE, BODY, BODY2], [False, True, True, True])
    assert [v.label for v in out] == [Label.CHROME, Label.TITLE, Label.BODY, Label.BODY]


def test_duplicated_headline_is_title_once_nearest_the_body() -> None:
    lines = [HEADLINE, "Home", "News", HEADLINE, BODY, BODY2]
    out = _run(lines, [True, False, False, True, True, True])
    assert out[3].label is Label.TITLE
    assert out[0].label is Label.CHROME and out[0].reason == "rule:duplicate_title"


def test_dropped_headline_is_rescued_when_likely() -> None:
    blocks = segment([HEADLINE, BODY, BODY2])
    verdicts = [
        Verdict(Label.CHROME, 0.3, "model"),
        Verdict(Label.BODY, 0.9, "model"),
        Verdict(Label.BODY, 0.9, "model"),
    ]
    assert find_title(blocks, verdicts) == 0
    assert mark_title(blocks, verdicts)[0].reason == "rule:title"


def _verdicts(*probabilities: float) -> list[Verdict]:
    """Model verdicts at these probabilities (content from 0.5)."""
    return [Verdict(Label.BODY if p >= 0.5 else Label.CHROME, p, "model") for p in probabilities]


def test_a_kept_button_above_the_headline_is_not_the_title() -> None:
    blocks = segment(["Book a demo", HEADLINE, BODY, BODY2])
    assert find_title(blocks, _verdicts(0.6, 0.6, 0.9, 0.9)) == 1  # its words are not the article's


def test_a_dropped_headline_far_above_the_body_is_found() -> None:
    share = ["Share", "Tweet", "Email", "Print", "Comments", "Photo: City council", "Listen"] * 2
    blocks = segment([HEADLINE, *share, BODY, BODY2])
    verdicts = _verdicts(0.1, *[0.05] * len(share), 0.9, 0.9)
    assert find_title(blocks, verdicts) == 0
    assert mark_title(blocks, verdicts)[0].reason == "rule:title"


def test_a_headline_the_article_does_not_echo_needs_the_model() -> None:
    unrelated = "Weekend weather looks mild"
    assert find_title(segment([unrelated, BODY, BODY2]), _verdicts(0.05, 0.9, 0.9)) is None
    assert find_title(segment([unrelated, BODY, BODY2]), _verdicts(0.8, 0.9, 0.9)) == 0


def test_the_headline_wins_over_the_standfirst_under_it() -> None:
    dek = "The council said the old bridge will close to traffic while repairs take two years"
    blocks = segment([HEADLINE, dek, BODY, BODY2])
    assert find_title(blocks, _verdicts(0.7, 0.9, 0.9, 0.9)) == 0


def test_the_headline_the_markup_names_wins() -> None:
    kicker = "Bridges of the county series continues"
    blocks = segment([kicker, HEADLINE, "Menu", BODY, BODY2])
    verdicts = _verdicts(0.9, 0.2, 0.1, 0.9, 0.9)
    assert find_title(blocks, verdicts) == 0
    assert find_title(blocks, verdicts, hint="Council Votes to Close Old Bridge") == 1
    assert mark_title(blocks, verdicts, hint="Council votes to close old bridge")[1].label is Label.TITLE
    assert find_title(blocks, verdicts, hint="A headline that is not on the page") == 0


def test_the_named_headline_counts_above_the_body_only() -> None:
    menu = [f"Section {n}" for n in range(40)]
    blocks = segment([HEADLINE, *menu, BODY, BODY2, "Council votes to close old bridge"])
    verdicts = _verdicts(0.1, *[0.05] * len(menu), 0.9, 0.9, 0.1)
    assert find_title(blocks, verdicts, hint=HEADLINE) == 0  # 41 blocks above the body
    below = segment([BODY, BODY2, HEADLINE])
    assert find_title(below, _verdicts(0.9, 0.9, 0.1), hint=HEADLINE) is None  # a teaser below


def test_headline_terms_are_longer_words_and_cjk_pairs() -> None:
    assert headline_terms("Council votes to close old bridge") == {
        "council",
        "votes",
        "close",
        "old",
        "bridge",
    }
    assert headline_terms("外国专家") == {"外国", "国专", "专家"}


def test_byline_date_and_author_name_become_meta() -> None:
    lines = [HEADLINE, "Jane Smith", "Published: 6 Jan 2024, 04:58 AM", BODY, BODY2, "Source: Agencies"]
    out = _run(lines, [True, False, False, True, True, False])
    assert [v.label for v in out] == [
        Label.TITLE,
        Label.META,
        Label.META,
        Label.BODY,
        Label.BODY,
        Label.META,
    ]
    assert out[1].reason == "rule:author_name" and out[2].reason == "rule:dateline_stamp"


def test_metadata_far_from_the_article_stays_chrome() -> None:
    lines = ["By Someone Else", *["Menu item"] * 8, HEADLINE, BODY, BODY2]
    out = _run(lines, [False] * 9 + [True, True, True])
    assert out[0].label is Label.CHROME


def test_no_content_means_no_title() -> None:
    assert _run(["Home", "News"], [False, False])[0].label is Label.CHROME


def test_unsure_standfirst_under_the_headline_is_kept() -> None:
    dek = "Engineers found cracks in two of the supports during a routine inspection last month"
    blocks = segment([HEADLINE, dek, BODY, BODY2])
    verdicts = [
        Verdict(Label.BODY, 0.8, "model"),
        Verdict(Label.CHROME, 0.45, "model"),
        Verdict(Label.BODY, 0.9, "model"),
        Verdict(Label.BODY, 0.9, "model"),
    ]
    out = mark_dek(blocks, mark_title(blocks, verdicts))
    assert out[1].label is Label.BODY and out[1].reason == "rule:dek"


def test_a_stamp_under_the_headline_is_no_standfirst_but_the_line_under_it_is() -> None:
    stamp = "Last updated by Eddie Makuch on March 27, 2017 at 8:52AM"
    dek = "Engineers found cracks in two of the supports during a routine inspection last month"
    blocks = segment([HEADLINE, stamp, dek, BODY, BODY2])
    unsure = Verdict(Label.CHROME, 0.45, "model")
    sure = Verdict(Label.BODY, 0.9, "model")
    headline = Verdict(Label.BODY, 0.8, "model")
    out = mark_dek(blocks, mark_title(blocks, [headline, unsure, unsure, sure, sure]))
    assert out[1].label is Label.CHROME and out[1].reason == "model"
    assert out[2].label is Label.BODY and out[2].reason == "rule:dek"
