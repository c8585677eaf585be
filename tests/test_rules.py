"""rules: the named chrome and metadata rules, and the end-of-article cut."""

from __future__ import annotations

import pytest

from declutter.document import Verdict
from declutter.labels import Label
from declutter.rules import (
    CHROME_RULES,
    META_RULES,
    Rule,
    apply_chrome_rules,
    chrome_rule,
    is_person_name,
    is_section_end,
    meta_rule,
)
from declutter.segmenter import segment

CHROME_CASES = [
    ("Advertisement", "advertisement"),
    ("Continue reading the main story", "advertisement"),
    ("Sign up to read this article", "paywall"),
    ("Already a member? Sign in here", "paywall"),
    ("Fourteen days free", "paywall"),
    ("Download the app", "app_promo"),
    ("Get all your news in one place.", "app_promo"),
    ("Share on Facebook", "share"),
    ("Share Tweet Email", "share"),
    ("We use cookies to improve your experience.", "cookie"),
    ("© 2024 The Daily Example. All rights reserved.", "copyright"),
    ("Skip to content", "skip_link"),
    ("0", "lone_number"),
    ("Twin explosions went off on Tuesday [File: Jane Doe/Reuters]", "caption"),
    ("Advertisement - Continue Reading Below", "advertisement"),
    (
        "By creating an account, you verify that you are at least 13 years of age, and have read "
        "and agree to the Terms of Service and Privacy Policy.",
        "sign_up_terms",
    ),
    ("READ MORE: Canadian man, family released after five years", "related_link"),
    ("Related: NASA's New Game Lets You Drive the Mars Rover", "related_link"),
    ("SEE ALSO: Logan Proves That Audiences Aren't Afraid", "related_link"),
    ("(MORE: 16 Billion-Dollar Disasters Have Impacted the U.S. This Year)", "related_link"),
    ("More from Science: Why the sky is blue", "related_link"),
    ("— Jane Doe (@jdoe) October 18, 2017", "embed"),
    ("The world's most boring hat https://t.co/rnHPgyhx4Z", "embed"),
    ("Squirrel Girl is back! pic.twitter.com/gcyhT4Qlnd", "embed"),
    (
        "Keep up to date with all the cleantech news by subscribing to our (free) daily newsletter.",
        "newsletter",
    ),
    ("See our Comments Policy. Comments are submitted on the understanding that…", "comments"),
    ("See our comment guidelines " + "and the editor may cut any of it " * 20, "comments_policy"),
    ('&lt;img class="lazy" src="https://example.com/a.jpg" alt=""&gt;', "markup"),
    ("&lt;/noscript&gt;", "markup"),
    (
        "This post may contain links to online shops. If you buy through one, we may earn a small "
        "commission.",
        "affiliate",
    ),
    ("We may receive a share of sales from items bought through links on this page.", "affiliate"),
    ("Click here to enlarge", "media_prompt"),
    ("To watch the whole interview, click the play button above.", "media_prompt"),
    ("Like The Example Times on Facebook", "social_promo"),
    ("Want more science news? Hit 'Like' on our Example Science page.", "social_promo"),
    ("Filed under: Space, NASA, Mars", "tags"),
    ("Get Tech Daily, our weekly newsletter", "newsletter"),
    (" GETTY", "caption"),
    ("1 / 62", "gallery_counter"),
    ("3 of 8", "gallery_counter"),
    ("Don’t miss: The ten best trails in the park", "related_link"),
    ("To print this article, you need to be registered.", "paywall"),
    ("CC BY-SA 4.0 Wikimedia Commons", "caption"),
    ("Unknown photographer, 1921/Public Domain", "caption"),
    ("A storm over the harbour on Monday.Source:Example Media", "caption"),
    ("Jane Roe/Example Press Agency", "credit_line"),
    ("U.S. Geological Survey/Example University/NASA", "credit_line"),
    ("[Ten things we learnt from the final test]", "bracketed_link"),
    ("[‘We got it wrong’: the company pulls its advert]", "bracketed_link"),
    ("A post shared by Example Band (@exampleband) on Jun 2, 2019 at 4:10pm PDT", "embed"),
]


@pytest.mark.parametrize(("text", "name"), CHROME_CASES)
def test_chrome_rules_fire_by_name(text: str, name: str) -> None:
    rule = chrome_rule(text)
    assert rule is not None and rule.name == name


@pytest.mark.parametrize(
    "text",
    [
        "The advertisement, which ran for a week, drew hundreds of complaints from viewers.",
        "Officials said they would share the findings with the committee on Monday.",
        "In 2019, 14 people were hurt.",
        "Copyright lawyers for the studio said the case would be heard in March next year.",
        "Read more about the scheme in the council's guide.",
        "More than 200 people died: most of them in the north.",
        "Map 2: Hollywood (Assault/Escort)",
        "The photo: a man in a boat, taken in 1953 by a stranger.",
        "She wrote to him (@jdoe on the site) every day.",
        "By signing up for the program, the town agreed to cut its emissions by half.",
        "The firm will earn a commission of 2% on every sale, the filing shows, and more after 2026.",
        "The US/Mexico border is long.",
        "Hunting/Fishing",
        "See Before/After Photos",
        "Studio/Synth/Software",
        "[figure 4: each repository has one temporary commit]",
        "[M. Davies, 1980]",
        "[This story has been updated.]",
        "[Via Example Weekly, images from Twitter]",
        "This work is licensed under CC BY-NC-ND 4.0",
        "Licensed under Creative Commons",
        "Click to see our adopted pets and their stories, and the volunteers who walk them every day.",
        "Users can follow the agency on Twitter for updates.",
        "He filed a complaint with the regulator.",
        "The photographs are in the public domain, the museum said, and anyone may use them.",
        "<img> tags hold the picture; the browser loads it later.",
    ],
)
def test_chrome_rules_leave_prose_alone(text: str) -> None:
    assert chrome_rule(text) is None


META_CASES = [
    ("By Jonathan Landay and Steve Holland", "byline"),
    ("Published : 6 Jan 2024, 04:58 AM", "dateline_stamp"),
    ("Updated: 6 Jan 2024", "dateline_stamp"),
    ("Source: News Agencies", "source"),
    ("Reuters", "agency"),
    ("(Reporting by Jonathan Landay; Editing by Susan Heavey)", "credits"),
    ("Posted by Jane Doe on March 3, 2017", "byline"),
    ("Via: Example News", "source"),
]


@pytest.mark.parametrize(("text", "name"), META_CASES)
def test_meta_rules_fire_by_name(text: str, name: str) -> None:
    rule = meta_rule(text)
    assert rule is not None and rule.name == name


@pytest.mark.parametrize(
    "text", ["By the end of the year, prices had doubled.", "Published reports say the deal is off."]
)
def test_meta_rules_leave_sentences_alone(text: str) -> None:
    assert meta_rule(text) is None


def test_section_end_headings() -> None:
    assert is_section_end("RELATED STORIES") and is_section_end("More from Science")
    assert is_section_end("Opinion")
    assert is_section_end("See related") and is_section_end("More Related to this Story")
    assert not is_section_end("See related documents in the appendix.")
    assert not is_section_end("Related research has shown the effect is small.")


def test_person_names() -> None:
    assert is_person_name("Aamer Madhani") and is_person_name("Mary-Jane O'Neil")
    assert not is_person_name("The Independent UK") and not is_person_name("World News")
    assert not is_person_name("National")


def _verdicts(labels: list[Label], p: float = 0.6) -> list[Verdict]:
    return [Verdict(label, p, "model") for label in labels]


def test_cut_after_section_end_drops_unsure_lines_after_the_article() -> None:
    lines = [
        "A long article paragraph that the model keeps as body text for this test.",
        "Another long paragraph, which the model also keeps, closes the article here.",
        "RELATED STORIES",
        "Teaser for a different article that reads like prose.",
    ]
    blocks = segment(lines)
    out = apply_chrome_rules(blocks, _verdicts([Label.BODY] * 4))
    assert [v.label for v in out] == [Label.BODY, Label.BODY, Label.CHROME, Label.CHROME]
    assert out[2].reason == "rule:section_end" and out[3].reason == "rule:after_section_end"


def test_a_confident_block_after_the_heading_resumes_the_article() -> None:
    lines = [
        "A long article paragraph that the model keeps as body text for this test. " * 4,
        "Another long paragraph, which the model also keeps, runs on past the box. " * 4,
        "Related",
        "A teaser the model is unsure of, inside the related box.",
        "The article goes on here, and the model is sure of this paragraph.",
        "Its next paragraph, which the model keeps with less certainty.",
        "MORE FROM THE SITE",
        "A teaser after the second heading.",
    ]
    p = [0.95, 0.95, 0.6, 0.6, 0.95, 0.75, 0.6, 0.75]
    blocks = segment([line for text in lines for line in (text, "")])
    assert len(blocks) == len(lines)
    out = apply_chrome_rules(blocks, [Verdict(Label.BODY, q, "model") for q in p])
    reasons = [v.reason for v in out]
    assert reasons[2:4] == ["rule:section_end", "rule:after_section_end"]
    assert [v.label for v in out[4:6]] == [Label.BODY, Label.BODY]
    assert reasons[6:] == ["rule:section_end", "rule:after_section_end"]


def test_a_paragraph_of_prose_after_the_heading_resumes_the_article_at_lower_probability() -> None:
    lines = [
        "A long article paragraph that the model keeps as body text for this test. " * 4,
        "Related Articles",
        "Teaser headline for a different story",
        "The rally started with a one-out single to right field in the eighth, "
        "and two doubles brought both runners home.",
        "Short line the model keeps.",
    ]
    blocks = segment([line for text in lines for line in (text, "")])
    out = apply_chrome_rules(blocks, [Verdict(Label.BODY, q, "model") for q in (0.95, 0.6, 0.8, 0.7, 0.7)])
    assert [v.reason for v in out[1:3]] == ["rule:section_end", "rule:after_section_end"]
    assert [v.label for v in out[3:]] == [Label.BODY, Label.BODY]


def test_section_heading_in_the_top_menu_cuts_nothing() -> None:
    lines = ["Opinion", "A long article paragraph that the model keeps as body text for this test."]
    out = apply_chrome_rules(segment(lines), _verdicts([Label.CHROME, Label.BODY]))
    assert out[1].label is Label.BODY


CAPTIONS = [
    "A man walks in the wind in Iwaki. (AP Photo/Eugene Hoshiko)",
    "Protesters gather in Kiev on Sunday. REUTERS/Gleb Garanich",
    "Image via Jane Doe",
    "A grey seal pup rests on the shingle. Photograph: Northern Ledger",
    "Rudd's rhetoric has failed to stick. (Pic: Stefan Postles/Getty.)",
    "The President kicked off the month. (Evan Vucci/AP)",
    "(Joe Scarnici/Getty Images for Bacardi)",
    "Marcus Stroman was excellent in his first start. Lynne Sladky/AP Photo",
    "Hugh Jackman at the premiere. Photo / Getty",
    "The drill touches the ground. Image: NASA.",
    "Bryan Cranston stars as Zordon. (Courtesy of Lionsgate)",
    "See Mars through the rover's eyes. (Access Mars/Screenshot)",
    "A 3D illustration of the extinct Tasmanian tiger. File photo",
    "President Trump speaks at a reception. Andrew Harnik/AP hide caption",
    "A man walks in a strong wind in Iwaki. (Kyodo News via AP)",
    "(L-R) Manu Jain and Jai Mani at the launch of the phone",
    "In this photo taken Aug. 28, 2016, the ambassador addresses three families.",
]


@pytest.mark.parametrize("text", CAPTIONS)
def test_captions_with_credits_are_chrome(text: str) -> None:
    rule = chrome_rule(text)
    assert rule is not None and rule.name == "caption"


def test_agency_names_in_a_sentence_are_not_a_credit() -> None:
    assert chrome_rule("Officials said the AP/Reuters reports were wrong.") is None


# ASCII texts each rule with ``needs`` matches (beside the cases above, which hold "©" or "—").
NEEDS_SAMPLES = [
    "Copyright 2024 The Daily Example. All rights reserved.",
    "(c) 2024 Example Media",
    "By continuing to use this site you agree to our terms.",
    "Manage consent",
    "Matt Smith contributed to this report.",
    "Comments are closed.",
    "- Jane Doe (@jdoe) October 18, 2017",
]


@pytest.mark.parametrize("rule", [r for r in CHROME_RULES + META_RULES if r.needs], ids=lambda r: r.name)
def test_a_rule_skips_only_texts_it_cannot_match(rule: Rule) -> None:
    base = [t for t, _ in CHROME_CASES + META_CASES] + CAPTIONS + NEEDS_SAMPLES
    samples = [variant for t in base for variant in (t, t.upper(), t.title(), t.lower())]
    matched = [t for t in samples if t.isascii() and rule.pattern.search(t)]
    assert matched, "no sample exercises the rule"
    assert all(rule.may_match(t.lower()) for t in matched)
    assert not rule.may_match("nothing to see here") and rule.may_match(None)
