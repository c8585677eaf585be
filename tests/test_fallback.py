"""The trafilatura fallback: when it fires, what it keeps, and that it stays off by default."""

from __future__ import annotations

import pytest
from conftest import with_settings

from declutter import Declutter, Label, Settings, fallback
from declutter.document import REASON_MODEL, Verdict
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
    assert not fallback.covered("toaster browns bread while the kettle boils water", grams)  # 2 of 7
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


def test_by_default_the_hidden_description_is_not_read(cleaner: Declutter) -> None:
    doc = cleaner.run(PRODUCT)
    assert "toaster browns bread" not in doc.text
    assert all(line.reason != fallback.REASON for line in doc.lines)


def test_the_fallback_keeps_the_description_trafilatura_extracts(cleaner: Declutter) -> None:
    doc = with_settings(cleaner, fallback="trafilatura").run(PRODUCT)
    body = doc.body.splitlines()
    assert len(body) == 4 and all("toaster browns bread" in line for line in body)
    assert "Add to cart" not in doc.text and "Copyright" not in doc.text
    assert [line.text for line in doc.lines if line.label is Label.BODY] == body  # page lines, judged


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


def test_articles_only_keeps_a_non_article_page_empty_under_the_fallback(cleaner: Declutter) -> None:
    doc = with_settings(cleaner, fallback="trafilatura", articles_only=True).run(PRODUCT)
    assert doc.is_article is False  # the page model's verdict on this shop page
    assert doc.text == ""


def test_a_text_dump_is_never_sent_to_trafilatura(cleaner: Declutter) -> None:
    dump = "Home\nShop\n" + "\n".join(SENTENCE.format(i) for i in range(6))
    assert with_settings(cleaner, fallback="trafilatura").run(dump) == cleaner.run(dump)
