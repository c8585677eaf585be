"""The trafilatura fallback: when it fires, what it keeps, and that it stays off by default."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import pytest
from conftest import with_settings

from declutter import Declutter, Label, Settings, fallback, markup
from declutter.document import REASON_MODEL, Verdict
from declutter.errors import DocumentTimeout
from declutter.segmenter import Block

SENTENCE = "Sentence {} of the description explains how the toaster browns bread evenly on both sides."
DESCRIPTION = "".join(f"<p>{' '.join(SENTENCE.format(i * 3 + j) for j in range(3))}</p>" for i in range(4))
# A shop page whose description sits in a collapsed tab: hidden, so not rendered by default.
PRODUCT = f"""<html><head><title>Toaster X1 | Shop</title></head><body>
<nav><a href="/">Home</a> <a href="/shop">Shop</a> <a href="/cart">Cart</a></nav>
<h1>Toaster X1</h1><p>$49.99</p><button>Add to cart</button>
<div class="tab-panel" hidden>{DESCRIPTION}</div>
<footer>Copyright 2026 Shop Inc. All rights reserved.</footer></body></html>"""


def _verdict(label: Label) -> Verdict:
    return Verdict(label, 0.1, REASON_MODEL)


def test_it_is_needed_only_when_declutter_keeps_a_small_share_of_the_extraction() -> None:
    extracted = "x" * 1000
    assert fallback.needed("", extracted)
    assert fallback.needed("x" * (int(fallback.FALLBACK_SHARE * 1000) - 1), extracted)
    assert not fallback.needed("x" * int(fallback.FALLBACK_SHARE * 1000), extracted)
    assert not fallback.needed("", "")  # trafilatura found nothing either


def test_trafilatura_is_asked_only_when_the_page_holds_enough_text_for_it_to_matter() -> None:
    bound = fallback.FALLBACK_SHARE * fallback.EXTRACTION_BOUND
    assert fallback.may_be_needed("", 10)
    assert fallback.may_be_needed("x" * 99, int(100 / bound))
    assert not fallback.may_be_needed("x" * 100, int(100 / bound))
    assert not fallback.may_be_needed("", 0)  # a page without text


def test_a_block_is_covered_when_most_of_its_word_3_grams_are_extracted() -> None:
    grams = fallback.word_shingles("The toaster browns bread evenly on both sides. Buy it now")
    assert fallback.covered("the toaster browns bread evenly", grams)  # case and line cuts aside
    assert fallback.covered("toaster browns bread evenly on both sides and more", grams)  # 5 of 7
    assert not fallback.covered("toaster browns bread while the kettle boils water", grams)  # 1 of 6
    assert not fallback.covered("Buy it", grams)  # fewer than three words: left to the model


def test_keep_extracted_turns_only_covered_chrome_blocks_into_body() -> None:
    blocks = [
        Block(0, 1, "Home Shop Cart"),
        Block(1, 2, "The toaster browns bread evenly on both sides."),
        Block(2, 3, "Kept by the model already, whatever trafilatura says."),
    ]
    verdicts = [_verdict(Label.CHROME), _verdict(Label.CHROME), _verdict(Label.BODY)]
    kept = fallback.keep_extracted(blocks, verdicts, "The toaster browns bread evenly on both sides.")
    assert kept[0] == verdicts[0]
    assert kept[1] == Verdict(Label.BODY, 0.1, fallback.REASON)
    assert kept[2] == verdicts[2]


def test_extract_gives_an_empty_string_for_a_page_with_nothing_to_extract() -> None:
    assert fallback.extract("<html><body></body></html>") == ""
    assert fallback.extract("") == ""


def test_an_unknown_fallback_is_refused() -> None:
    with pytest.raises(ValueError, match="fallback must be one of trafilatura"):
        Settings(fallback="readability")


def _refuse(*args: object) -> NoReturn:
    raise AssertionError("called where the fallback is off")


def test_by_default_nothing_of_the_fallback_runs(cleaner: Declutter, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fallback, "extract", _refuse)
    monkeypatch.setattr(markup, "hidden_text_length", _refuse)
    doc = cleaner.run(PRODUCT)
    assert "toaster browns bread" not in doc.text
    assert all(line.reason != fallback.REASON for line in doc.lines)


def test_the_fallback_keeps_the_description_trafilatura_extracts(cleaner: Declutter) -> None:
    doc = with_settings(cleaner, fallback="trafilatura").run(PRODUCT)
    body = doc.body.splitlines()
    assert len(body) == 4 and all("toaster browns bread" in line for line in body)
    assert "Add to cart" not in doc.text and "Copyright" not in doc.text
    assert [line.text for line in doc.lines if line.label is Label.BODY] == body  # page lines, judged
    assert doc.is_article is not None and doc.article_reason == "model"  # judged on what was kept


def test_blocks_the_model_drops_and_trafilatura_extracts_are_kept_by_the_rule(cleaner: Declutter) -> None:
    doc = with_settings(cleaner, fallback="trafilatura", threshold=1.0).run(PRODUCT)  # the model keeps none
    kept = [line for line in doc.lines if line.label.is_content]
    assert len(kept) == 4 and all(line.reason == fallback.REASON for line in kept)
    assert all("toaster browns bread" in line.text for line in kept)


def test_user_rules_apply_to_what_the_fallback_kept(cleaner: Declutter, tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[[rule]]\nname = "first"\naction = "drop"\nphrases = ["Sentence 0 "]\n', encoding="utf-8"
    )
    doc = with_settings(cleaner, fallback="trafilatura", rules=rules).run(PRODUCT)
    assert len(doc.body.splitlines()) == 3 and "Sentence 0 " not in doc.body


def test_a_hidden_rendering_over_max_lines_leaves_the_page_as_first_read(cleaner: Declutter) -> None:
    many = "".join(f"<p>{SENTENCE.format(i)}</p>" for i in range(300))
    page = PRODUCT.replace(DESCRIPTION, many)
    default = with_settings(cleaner, max_lines=100).run(page)
    assert with_settings(cleaner, max_lines=100, fallback="trafilatura").run(page) == default


def test_a_timeout_inside_trafilatura_is_not_taken_for_its_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    def late(html: str) -> str:
        raise DocumentTimeout("<input>: over 1 s")

    monkeypatch.setattr(trafilatura, "extract", late)
    with pytest.raises(DocumentTimeout):
        fallback.extract(PRODUCT)
    monkeypatch.setattr(trafilatura, "extract", _refuse)  # any other failure: nothing extracted
    assert fallback.extract(PRODUCT) == ""


def test_rules_alone_cannot_fall_back() -> None:
    with pytest.raises(ValueError, match="fallback needs the model"):
        Settings(rules_only=True, fallback="trafilatura")


def test_the_fallback_leaves_a_page_the_model_reads_well_as_it_was(
    cleaner: Declutter, monkeypatch: pytest.MonkeyPatch
) -> None:
    paragraphs = "".join(f"<p>{' '.join(SENTENCE.format(i * 3 + j) for j in range(3))}</p>" for i in range(5))
    page = f"<html><body><nav><a href='/'>Home</a></nav><h1>Toasters</h1>{paragraphs}</body></html>"
    asked: list[str] = []
    real = fallback.extract
    monkeypatch.setattr(fallback, "extract", lambda html: asked.append(html) or real(html))
    default = cleaner.run(page)
    assert "toaster browns bread" in default.body
    assert with_settings(cleaner, fallback="trafilatura").run(page) == default
    assert asked == []  # most of the page kept: trafilatura could not have mattered, not run
    with_settings(cleaner, fallback="trafilatura").run(PRODUCT)
    assert asked == [PRODUCT]  # the shop page: run, and its description kept (above)


def test_articles_only_judges_the_page_on_what_the_fallback_kept(cleaner: Declutter) -> None:
    doc = with_settings(cleaner, fallback="trafilatura", articles_only=True).run(PRODUCT)
    judged = with_settings(cleaner, fallback="trafilatura").run(PRODUCT)
    assert doc.is_article is judged.is_article and doc.article_reason == judged.article_reason == "model"
    assert doc.text == (judged.text if judged.is_article else "")


def test_a_text_dump_is_never_sent_to_trafilatura(
    cleaner: Declutter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fallback, "extract", _refuse)
    dump = "Home\nShop\nCart\nLog in\nCopyright 2026 Shop Inc."  # nothing kept: the fallback would fire
    doc = with_settings(cleaner, fallback="trafilatura").run(dump)
    assert doc == cleaner.run(dump) and doc.text == ""
