"""The whole pipeline on the labelled seeds and edge cases, and the library surface."""

from __future__ import annotations

import dataclasses
import re
import textwrap
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import EDGES, MIN_SANITY_TITLE_SHARE, SEEDS, load_fixture, normalised_title, with_settings

import declutter
from declutter import Declutter, Label, ModelError, Settings
from declutter.corpus import iter_records
from declutter.cutoff import Calibration
from declutter.document import Verdict
from declutter.model import Model
from declutter.segmenter import Block

SEED_META = {
    "000_148e7a1c8ca5aa2f.txt": ["Published : 6 Jan 2024, 04:58 AM", "Reuters"],
    "001_88eb3040462baa40.txt": ["By Jonathan Landay and Steve Holland"],
    "002_41a7c4d6dd67de92.txt": ["Source: News Agencies"],
}


@pytest.mark.parametrize("name", SEEDS)
def test_every_seed_line_has_the_right_content_verdict(cleaner: Declutter, name: str) -> None:
    fixture = load_fixture(name)
    doc = cleaner.run(fixture.text)
    assert [line.text for line in doc.lines] == fixture.lines
    wrong = [
        (line.number, gold.value, line.label.value, line.reason, line.text.strip()[:60])
        for line, gold in zip(doc.lines, fixture.labels, strict=True)
        if gold is not None and gold.is_content != line.label.is_content
    ]
    assert wrong == []


@pytest.mark.parametrize("name", SEEDS)
def test_seed_title_is_found(cleaner: Declutter, name: str) -> None:
    fixture = load_fixture(name)
    expected = next(
        ln.strip() for ln, lb in zip(fixture.lines, fixture.labels, strict=False) if lb is Label.TITLE
    )
    assert cleaner.run(fixture.text).title == expected


@pytest.mark.parametrize("name", sorted(SEED_META))
def test_seed_meta_lines(cleaner: Declutter, name: str) -> None:
    doc = cleaner.run(load_fixture(name).text)
    for line in SEED_META[name]:
        assert line in doc.meta


# Fixtures of pages that are not articles: every line is chrome (ANNOTATION.md), which is what
# the articles_only setting gives; by default their text is kept and is_article is False.
NON_ARTICLES = frozenset({"edge_non_article.txt"})


@pytest.mark.parametrize("name", SEEDS + EDGES)
def test_labels_match_the_fixture(cleaner: Declutter, name: str) -> None:
    """Title/body/meta/chrome for every line; reported, per line, when any differs."""
    fixture = load_fixture(name)
    judge = with_settings(cleaner, articles_only=True) if name in NON_ARTICLES else cleaner
    doc = judge.run(fixture.text)
    wrong = [
        (line.number, gold.value, line.label.value, line.reason, line.text.strip()[:50])
        for line, gold in zip(doc.lines, fixture.labels, strict=True)
        if gold is not None and gold is not line.label
    ]
    assert wrong == []


@pytest.mark.parametrize("name", SEEDS + EDGES)
def test_is_article_tells_the_fixtures_apart(cleaner: Declutter, name: str) -> None:
    doc = cleaner.run(load_fixture(name).text)
    assert doc.article_probability is not None and 0.0 <= doc.article_probability <= 1.0
    assert doc.is_article is (name not in NON_ARTICLES)


def test_by_default_a_non_article_keeps_its_text(cleaner: Declutter) -> None:
    doc = cleaner.run(load_fixture(next(iter(NON_ARTICLES))).text)
    assert doc.is_article is False and doc.text


def test_articles_only_empties_a_non_article_and_says_why(cleaner: Declutter) -> None:
    doc = with_settings(cleaner, articles_only=True).run(load_fixture(next(iter(NON_ARTICLES))).text)
    assert doc.text == "" and doc.title is None and doc.meta == []
    assert {line.reason for line in doc.lines if line.text.strip()} == {"rule:not-article"}
    assert doc.to_dict()["is_article"] is False


def test_articles_only_leaves_an_article_as_it_was(cleaner: Declutter) -> None:
    text = load_fixture(SEEDS[1]).text
    assert with_settings(cleaner, articles_only=True).run(text).text == cleaner.run(text).text


def test_rules_alone_do_not_judge_the_page() -> None:
    doc = Declutter(Settings(rules_only=True)).run(load_fixture(SEEDS[0]).text)
    assert doc.is_article is None and doc.article_probability is None
    with pytest.raises(ValueError, match="articles_only"):
        Settings(rules_only=True, articles_only=True)


def test_clean_gives_title_blank_line_body(cleaner: Declutter) -> None:
    fixture = load_fixture(SEEDS[1])
    text = declutter.clean(fixture.text)
    title, blank, *body = text.split("\n")
    assert title.startswith("Exclusive-US intelligence") and blank == ""
    assert body[0].startswith("WASHINGTON (Reuters)")
    assert all(line in fixture.lines for line in body)


def test_bytes_and_str_agree(cleaner: Declutter) -> None:
    fixture = load_fixture(SEEDS[2])
    assert cleaner.run(fixture.text.encode("utf-8")).text == cleaner.run(fixture.text).text


def test_misspelt_option_raises() -> None:
    with pytest.raises(TypeError, match="treshold"):
        declutter.clean("text", treshold=0.5)


def test_empty_input_gives_empty_text() -> None:
    assert declutter.clean("") == ""
    assert declutter.clean(b"") == ""
    assert declutter.clean("\n \n\t\n") == ""


def test_every_line_has_label_probability_and_reason(cleaner: Declutter) -> None:
    doc = cleaner.run(load_fixture(SEEDS[0]).text)
    for line in doc.lines:
        assert isinstance(line.label, Label)
        assert 0.0 <= line.probability <= 1.0
        assert line.reason in ("model", "smoothed") or line.reason.startswith("rule:")
    for line in Declutter(Settings(rules_only=True)).run(load_fixture(SEEDS[3]).text).lines:
        assert line.reason.startswith("rule:")


def test_an_explicit_threshold_moves_the_cut_monotonically() -> None:
    text = load_fixture(SEEDS[0]).text
    runs = [Declutter(Settings(threshold=t)).run(text) for t in (0.0, 0.3, 0.6, 0.9, 1.0)]
    kept = [sum(ln.label.is_content for ln in doc.lines) for doc in runs]
    assert kept == sorted(kept, reverse=True) and kept[0] > kept[-1]
    unruled = [ln for ln in runs[0].lines if ln.text.strip() and not ln.reason.startswith("rule:")]
    assert all(ln.label.is_content for ln in unruled)


@pytest.mark.parametrize(
    ("settings", "calibrated"),
    [(Settings(), True), (Settings(favor_precision=True), False), (Settings(threshold=0.5), None)],
    ids=["own threshold", "preset", "explicit threshold"],
)
def test_the_calibration_moves_only_the_models_own_threshold(
    cleaner: Declutter, monkeypatch: pytest.MonkeyPatch, settings: Settings, calibrated: bool | None
) -> None:
    """The expected-score cut-off serves the model's threshold; a preset keeps its own balance and
    an explicit threshold is the cut-off, with no page fallback either."""
    calls: list[object] = []

    def spy(*args: object) -> float:
        calls.append(args[-1])
        return float(args[-2])  # type: ignore[arg-type]

    monkeypatch.setattr("declutter.cutoff.page_cutoff", spy)
    assert cleaner.model is not None
    # A calibrated copy of the shipped model (whether dev chose a calibration for it or not).
    manifest = {**cleaner.model.manifest, "calibration": {"exponent": 1.25, "margin": 0.05}}
    judge = dataclasses.replace(cleaner.model, manifest=manifest)
    assert judge.calibration == Calibration(1.25, 0.05)
    Declutter.from_model(judge, settings).run(load_fixture(SEEDS[0]).text)
    if calibrated is None:
        assert calls == []
    else:
        assert calls == [judge.calibration if calibrated else None]


def test_block_probabilities_are_the_verdicts_before_the_rules(cleaner: Declutter) -> None:
    text = load_fixture(SEEDS[1]).text
    lines, blocks, final = cleaner.block_probabilities(text, input="text")
    doc = cleaner.run(text, input="text")
    assert len(final) == len(blocks) and lines == [ln.text for ln in doc.lines]
    by_line = {b.start: p for b, p in zip(blocks, final, strict=True)}
    judged = [ln for ln in doc.lines if ln.reason in ("model", "smoothed") and ln.number - 1 in by_line]
    assert judged and all(ln.probability == pytest.approx(by_line[ln.number - 1]) for ln in judged)


_PROSE = (
    "Home prices rose again this spring in most of the country, according to a study of sales data.",
    "Economists said the rise would slow later in the year as mortgage rates stay high.",
)
_TABLE_PAGE = (
    f"<html><body><h1>Home prices rise again</h1><p>{_PROSE[0]}</p><table>"
    "<tr><th>Date</th><th>Change</th></tr><tr><td>1/1/2013</td><td>+13.1%</td></tr>"
    f"<tr><td><a href='/more'>More data</a></td><td><a href='/x'>here</a></td></tr></table>"
    f"<p>{_PROSE[1]}</p></body></html>"
)


@pytest.mark.parametrize("input", ["html", "text"])
def test_the_table_rule_gets_each_blocks_table_and_links(
    cleaner: Declutter, monkeypatch: pytest.MonkeyPatch, input: str
) -> None:
    """HTML blocks carry their <table>'s id and whether they are link text; a dump's tables are
    its runs of tabbed blocks (with nothing known of links)."""
    seen: list[tuple[list[int], list[bool]]] = []
    original = declutter.smoother.join_tables

    def spy(
        blocks: list[Block], verdicts: list[Verdict], table: list[int], away: list[bool]
    ) -> list[Verdict]:
        seen.append((table, away))
        return original(blocks, verdicts, table, away)

    monkeypatch.setattr("declutter.smoother.join_tables", spy)
    raw = _TABLE_PAGE
    if input == "text":
        raw = "\n\n".join(["Home prices rise again", _PROSE[0], "Date\tChange\n1/1/2013\t+13.1%", _PROSE[1]])
    doc = cleaner.run(raw, input=input)
    ((table, away),) = seen
    blocks = [ln.text for ln in doc.lines if ln.text.strip()]
    ids = dict(zip(blocks, table, strict=True))
    assert ids[_PROSE[0]] == ids[_PROSE[1]] == 0
    assert ids["Date\tChange"] == ids["1/1/2013\t+13.1%"] > 0
    links = dict(zip(blocks, away, strict=True))
    assert not links["Date\tChange"]
    assert links.get("More data\there", False) is (input == "html")


def test_rules_only_runs_without_a_model() -> None:
    cleaner = Declutter(Settings(rules_only=True))
    assert cleaner.model is None
    doc = cleaner.run("Advertisement\n\nA paragraph of text that is kept by default here.\n")
    assert doc.lines[0].reason == "rule:advertisement" and doc.lines[0].label is Label.CHROME


def _hard_wrapped(lines: list[str], width: int) -> str:
    """The lines as a text dump hard-wrapped at ``width`` columns, blank lines kept."""
    wrapped: list[str] = []
    for line in lines:
        wrapped += textwrap.wrap(line, width) if line.strip() else [""]
    return "\n".join(wrapped)


def test_hard_wrapped_paragraph_is_judged_as_one_block(cleaner: Declutter) -> None:
    fixture = load_fixture(SEEDS[4])
    doc = cleaner.run(_hard_wrapped(fixture.lines, 72))
    by_paragraph: dict[str, set[Label]] = {}
    for line in fixture.lines:
        if len(line) > 72:
            parts = textwrap.wrap(line, 72)
            labels = {ln.label for ln in doc.lines if ln.text in parts}
            by_paragraph[line] = labels
    assert by_paragraph and all(len(labels) == 1 for labels in by_paragraph.values())


def test_hard_wrapped_title_and_paragraphs_come_back_whole(cleaner: Declutter) -> None:
    fixture = load_fixture(SEEDS[1])
    doc = cleaner.run(_hard_wrapped(fixture.lines, 60))
    assert doc.title == fixture.lines[0].strip()
    assert doc.body.split("\n")[0] == fixture.lines[4].strip()


def _cut_at_a_link(paragraph: str) -> list[str] | None:
    """A paragraph as BeautifulSoup's get_text("\\n") writes it when two of its words are a link:
    the text before, the link's text, the text after (None where the text after would start with a
    capital, which reads as a new line of its own)."""
    words = paragraph.split()
    if len(words) < 16 or not words[10][0].islower():
        return None
    return [" ".join(words[:8]), " ".join(words[8:10]), " ".join(words[10:])]


def test_sentences_cut_at_links_are_judged_and_kept_whole(cleaner: Declutter) -> None:
    chrome, title, body = _seed_parts()
    cut = {paragraph: _cut_at_a_link(paragraph) for paragraph in body}
    assert sum(parts is not None for parts in cut.values()) >= 3
    lines = [*chrome, title, *(line for p in body for line in cut[p] or [p])]
    doc = cleaner.run("\n".join(lines))
    assert doc.body.split("\n") == body  # each paragraph's pieces: one block, written as one line
    assert {ln.text for ln in doc.lines if ln.label is Label.CHROME} >= set(chrome)
    blocks = {ln.text: ln.block for ln in doc.lines}
    for parts in filter(None, cut.values()):
        assert len({blocks[part] for part in parts}) == 1


def _seed_parts() -> tuple[list[str], str, list[str]]:
    """Seed 001's first chrome lines, its title and its body paragraphs (trimmed)."""
    fixture = load_fixture("001_88eb3040462baa40.txt")
    labelled = [(ln.strip(), lb) for ln, lb in zip(fixture.lines, fixture.labels, strict=True) if lb]
    chrome = [ln for ln, lb in labelled if lb is Label.CHROME][:8]
    title = next(ln for ln, lb in labelled if lb is Label.TITLE)
    body = [ln for ln, lb in labelled if lb is Label.BODY]
    return chrome, title, body


def _seed_as_markdown() -> tuple[str, str, list[str]]:
    """Seed 001 as an html2text-style Markdown dump: a navigation list of links, the title as a
    heading, an image, each body paragraph with its first words linked and hard-wrapped at 78
    columns, and a list of related links after it."""
    _, title, body = _seed_parts()
    site = "https://example.org"
    nav = [f"  * [{word}]({site}/section/{word.lower().replace(' ', '-')}/index.html)" for word in NAV_WORDS]
    image = f"![]({site}/images/2024/01/05/kerman-blasts-1200x800.jpg)"
    linked = [re.sub(r"^(\S+ \S+ \S+)", rf"[\1]({site}/topics/iran/articles/2024/01/05)", p) for p in body]
    paragraphs = ["\n".join(textwrap.wrap(p, 78, break_long_words=False)) for p in linked]
    related = [f"  * [{t}]({site}/world/2024/01/0{i}/story-{i}.html)" for i, t in enumerate(NAV_WORDS)]
    parts = ["\n".join(nav), f"# {title}", image, *paragraphs, "## Related", "\n".join(related)]
    return "\n\n".join(parts) + "\n", title, linked


def test_markdown_dump_keeps_its_article_verbatim_and_drops_its_links(cleaner: Declutter) -> None:
    dump, title, body = _seed_as_markdown()
    doc = cleaner.run(dump)
    assert doc.title == f"# {title}"
    assert doc.body.split("\n") == body
    assert not any(line.label.is_content for line in doc.lines if line.text.startswith(("  * [", "![")))


SEED_TITLE = (
    "Exclusive-US intelligence confirms Islamic State’s Afghanistan branch behind Iran blasts -sources"
)


def _seed_article_html(wrap: str = "{}", head: str = "") -> tuple[str, list[str]]:
    """Seed 001 as an HTML page: its chrome lines as navigation, title as <h1>, body as <p>s."""
    chrome, title, body = _seed_parts()
    nav = "".join(f'<li><a href="/s{i}">{escape(t)}</a></li>' for i, t in enumerate(chrome))
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body)
    article = wrap.format(f"<h1>{escape(title)}</h1>{paragraphs}")
    page = f"<!DOCTYPE html><html><head>{head}</head><body><nav><ul>{nav}</ul></nav>{article}</body></html>"
    return page, body


def test_html_page_gives_its_article(cleaner: Declutter) -> None:
    page, body = _seed_article_html(head='<meta name="author" content="Jonathan Landay">')
    doc = cleaner.run(page)
    assert doc.input == "html"
    assert doc.title == SEED_TITLE
    assert doc.metadata["title"] == doc.title and doc.metadata["author"] == "Jonathan Landay"
    kept = doc.body.split("\n")
    assert sum(p in kept for p in body) >= 0.9 * len(body)
    assert declutter.clean(page.encode("utf-8")) == doc.text


def test_html_title_is_the_markup_title_without_the_site_name(cleaner: Declutter) -> None:
    page, _ = _seed_article_html(head=f"<title>Reuters | {escape(SEED_TITLE)}</title>")
    doc = cleaner.run(page)
    assert doc.metadata["title"] == SEED_TITLE and doc.metadata["sitename"] == "Reuters"


def test_html_title_from_markup_wins_over_the_text_headline(cleaner: Declutter) -> None:
    page, _ = _seed_article_html(head='<meta property="og:title" content="The headline as published">')
    doc = cleaner.run(page)
    assert doc.title == SEED_TITLE and doc.metadata["title"] == "The headline as published"


def test_html_text_is_the_same_with_or_without_the_metadata(cleaner: Declutter) -> None:
    page, _ = _seed_article_html(head=f"<title>{escape(SEED_TITLE)} | Reuters</title>")
    page = page.replace("<nav>", f"<p>{escape(SEED_TITLE)}: read our special report</p><nav>", 1)
    plain = Declutter.from_model(cleaner.model, Settings(metadata=False), cleaner.html_model)  # type: ignore[arg-type]
    with_metadata, without = cleaner.run(page), plain.run(page)
    assert with_metadata.title == without.title == SEED_TITLE and with_metadata.text == without.text


def test_document_titles_of_the_sanity_pages(cleaner: Declutter, corpus_dir: Path) -> None:
    pairs = [
        (record.extra["title"], cleaner.run(record.html, source=record.id).metadata["title"])
        for record in iter_records(corpus_dir, ("sanity",))
        if (record.extra or {}).get("title")
    ]
    assert len(pairs) >= 100
    wrong = [p for p in pairs if normalised_title(p[0]) != normalised_title(p[1])]
    assert 1 - len(wrong) / len(pairs) >= MIN_SANITY_TITLE_SHARE, wrong


def test_html_nested_300_levels_keeps_its_article(cleaner: Declutter) -> None:
    page, body = _seed_article_html(wrap="<div>" * 300 + "{}" + "</div>" * 300)
    kept = cleaner.run(page).body.split("\n")
    assert sum(p in kept for p in body) >= 0.9 * len(body)


@pytest.mark.parametrize(
    "head", ["<title>Unclosed title", "<title>t</title></head></html><body>"], ids=["title", "html-end"]
)
def test_html_page_that_libxml2_drops_keeps_its_article(cleaner: Declutter, head: str) -> None:
    page, body = _seed_article_html()
    broken = page.replace("<head></head><body>", f"<head>{head}")
    kept = cleaner.run(broken).body.split("\n")
    assert sum(p in kept for p in body) >= 0.9 * len(body)


def test_html_page_misdeclared_as_utf8_decodes(cleaner: Declutter) -> None:
    page, _ = _seed_article_html(head='<meta charset="utf-8">')
    page = page.replace("</h1>", "</h1><p>Le ministère a annoncé une réforme générale à Besançon.</p>")
    doc = cleaner.run(page.encode("cp1252", errors="replace"))
    text = "\n".join(line.text for line in doc.lines)
    assert "Le ministère a annoncé une réforme générale à Besançon." in text
    assert "\ufffd" not in text and "Ã" not in text


CODE_LINES = [
    "async function load(url) {",
    "  const response = await fetch(url);",
    "  return response.json();",
    "}",
]


def test_html_code_listing_inside_the_article_is_kept_whole(cleaner: Declutter) -> None:
    page, body = _seed_article_html()
    listing = "<pre><code>" + escape("\n".join(CODE_LINES)) + "</code></pre>"
    page = page.replace(f"<p>{escape(body[2])}</p>", f"<p>{escape(body[2])}</p>{listing}", 1)
    doc = cleaner.run(page)
    lines = {ln.text.strip(): ln for ln in doc.lines}
    assert all(lines[code.strip()].label is Label.BODY for code in CODE_LINES)
    assert "rule:code_listing" in {lines[code.strip()].reason for code in CODE_LINES}
    assert "\n".join(c.strip() for c in CODE_LINES) in doc.body  # line by line, in order


DOC_STEPS = [
    ("Making a request", "To make a request, call fetch with the address of the resource you want:"),
    ("Setting a body", "The request body is what the client sends to the server. Pass it as the body:"),
    ("Setting headers", "Request headers tell the server about the request. Assign them to headers:"),
    ("Checking the status", "The promise is not rejected on an error status, so check the status yourself:"),
]
DOCS_FOOTER = "<footer><p>© 2026 Web Docs. Content available under a Creative Commons licence.</p></footer>"


def _docs_page() -> str:
    """A documentation page: a step is a heading, an instruction, a caption and a listing."""
    nav = "".join(f'<li><a href="/d{i}">{w}</a></li>' for i, w in enumerate(NAV_WORDS))
    listing = "<pre><code>" + escape("\n".join(CODE_LINES)) + "</code></pre>"
    caption = '<div class="lang">js</div>'
    steps = "".join(f"<h2>{h}</h2><p>{escape(text)}</p>{caption}{listing}" for h, text in DOC_STEPS)
    intro = "<p>The Fetch API makes HTTP requests and processes their responses, in place of callbacks.</p>"
    main = f"<main><h1>Using Fetch</h1>{intro}{steps}</main>"
    return f"<html><body><nav><ul>{nav}</ul></nav>{main}{DOCS_FOOTER}</body></html>"


Judging = tuple[list[str], np.ndarray]  # the blocks' texts a model was asked about, its final probabilities


@pytest.fixture
def judgings(monkeypatch: pytest.MonkeyPatch) -> list[Judging]:
    """Every call of a model's ``probabilities`` from now on: the blocks' texts and what it gave."""
    calls: list[Judging] = []
    real = Model.probabilities

    def spy(self: Model, blocks: list[Block], *args: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        out = real(self, blocks, *args)
        calls.append(([b.text.strip() for b in blocks], out[2].copy()))
        return out

    monkeypatch.setattr(Model, "probabilities", spy)
    return calls


def test_html_prose_is_judged_without_its_code_listings(cleaner: Declutter, judgings: list[Judging]) -> None:
    # the models learnt from pages without code: a listing's lines must not sway the prose around them
    doc = cleaner.run(_docs_page())
    (whole, first), (shown, final) = judgings  # the whole page, then the page without its listings
    assert all(code.strip() in whole and code.strip() not in shown for code in CODE_LINES)
    judged = dict(zip(shown, final.tolist(), strict=True))
    prose = [text for _, text in DOC_STEPS]
    assert [ln.probability for ln in doc.lines if ln.text in prose] == [judged[t] for t in prose]
    listing = {text: p for text, p in zip(whole, first.tolist(), strict=True) if text in CODE_LINES[1:3]}
    assert {ln.text.strip(): ln.probability for ln in doc.lines if ln.text.strip() in listing} == listing
    assert all(text in doc.body.split("\n") for text in prose)
    assert doc.body.count(CODE_LINES[1].strip()) == len(DOC_STEPS)  # every listing kept, the last too


def test_a_page_without_code_listings_is_judged_once(cleaner: Declutter, judgings: list[Judging]) -> None:
    cleaner.run(_seed_article_html()[0])
    assert len(judgings) == 1


def test_html_list_introduced_by_the_article_is_kept_whole(cleaner: Declutter) -> None:
    page, body = _seed_article_html()
    topics = ["Greenlight Clinic", "Suite 5112", "Open Path", "Well Clinic", "Fees based on income"]
    listing = (
        "<p>Clinics that offer sliding-scale fees:</p><ul>"
        + "".join(f"<li>{t}</li>" for t in topics)
        + "</ul>"
    )
    page = page.replace(f"<p>{escape(body[-1])}</p>", f"<p>{escape(body[-1])}</p>{listing}", 1)
    doc = cleaner.run(page)
    kept = doc.body.split("\n")
    assert all(topic in kept for topic in topics)
    assert "rule:list" in {ln.reason for ln in doc.lines}  # the model alone dropped some


def test_dump_list_introduced_by_the_article_is_kept_whole(cleaner: Declutter) -> None:
    fixture = load_fixture(SEEDS[1])
    lines = fixture.text.split("\n")
    last = [i for i, content in enumerate(fixture.content) if content][4]  # inside the article
    clinics = ["Greenlight Clinic", "Suite 5112", "Open Path", "Well Clinic", "Fees based on income"]
    intro = "Clinics that offer sliding-scale fees:"
    doc = cleaner.run("\n".join([*lines[: last + 1], intro, *clinics, *lines[last + 1 :]]))
    kept = doc.body.split("\n")
    assert intro in kept and all(clinic in kept for clinic in clinics)
    assert "rule:list" in {ln.reason for ln in doc.lines}


def test_navigation_only_html_page_has_no_body(cleaner: Declutter) -> None:
    links = "".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in NAV_WORDS)
    page = f"<html><body><header><ul>{links}</ul></header><footer>© 2024 The Ledger</footer></body></html>"
    assert cleaner.run(page).body == ""


def test_input_setting_overrides_the_guess() -> None:
    page = "<html><body><p>One paragraph of an article that is long enough to keep.</p></body></html>"
    doc = Declutter(Settings(input="text", rules_only=True)).run(page)
    assert doc.input == "text" and doc.lines[0].text == page
    with pytest.raises(ValueError, match="input"):
        Settings(input="pdf")


NAV_WORDS = ["Home", "News", "World", "Business", "Sport", "Culture", "Weather", "Contact", "About us"]


@pytest.mark.parametrize("raw", ["", "Hi", b""])
def test_a_page_with_nothing_kept_is_not_an_article(cleaner: Declutter, raw: str | bytes) -> None:
    doc = cleaner.run(raw, input="text")
    assert doc.is_article is False and doc.article_reason == "rule:empty-page"


@pytest.mark.parametrize(
    ("heading", "rule"),
    [("404 - Page not found", "rule:error-page"), ('Search results for "flood"', "rule:search-results")],
)
def test_error_and_search_pages_are_not_articles(cleaner: Declutter, heading: str, rule: str) -> None:
    story = "Contractors will begin building the wall along the river next month, the agency said."
    page = (
        f"The Daily Ledger\nNews  Sport  Business\n{heading}\n{story}\nNext page\n© 2026 The Daily Ledger\n"
    )
    doc = cleaner.run(page)
    assert doc.is_article is False and doc.article_reason == rule
    assert doc.article_probability is not None  # the page model's, kept beside the rule


def test_articles_only_needs_a_model_that_judges_pages(cleaner: Declutter) -> None:
    assert cleaner.model is not None
    bare = dataclasses.replace(
        cleaner.model, estimators={k: v for k, v in cleaner.model.estimators.items() if k != "page"}
    )
    with pytest.raises(ModelError, match="articles_only needs a page model"):
        Declutter.from_model(bare, Settings(articles_only=True))


def test_articles_only_empties_a_non_article_even_where_user_rules_keep(
    cleaner: Declutter, tmp_path: Path
) -> None:
    rules = tmp_path / "keep.toml"
    rules.write_text('[[rule]]\nname = "all"\naction = "keep"\npatterns = ["."]\n', encoding="utf-8")
    judge = with_settings(cleaner, articles_only=True, rules=rules)
    doc = judge.run(load_fixture(next(iter(NON_ARTICLES))).text)
    assert doc.text == "" and {ln.reason for ln in doc.lines if ln.text.strip()} == {"rule:not-article"}
