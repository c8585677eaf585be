"""The trafilatura fallback (``Settings(fallback="trafilatura")``, opt-in): a second opinion on
HTML pages the model barely keeps anything of. Not with ``rules_only``: rules alone keep every
block, hidden ones included.

declutter's model learnt articles, judged as ANNOTATION.md says; on a page unlike them (a product
page, a forum thread, a listing) it may keep next to nothing, and on some pages the text sits in
elements the rendering skips as hidden (collapsed tabs, carousels). When declutter's clean text
is less than ``FALLBACK_SHARE`` of what trafilatura extracts from the same HTML (which runs only
when the page holds enough text for that to be possible), the page is read
again with its hidden elements shown, and every block most of whose word shingles trafilatura's
extraction holds is kept as body (reason ``rule:trafilatura``), beside what the model kept.
"""

from __future__ import annotations

from declutter.document import RULE_PREFIX, Verdict
from declutter.errors import DocumentTimeout
from declutter.labels import Label
from declutter.scoring import tokenize
from declutter.segmenter import Block

FALLBACKS = ("trafilatura",)
REASON = RULE_PREFIX + "trafilatura"
# The fallback fires when declutter keeps fewer characters than this share of trafilatura's
# extraction. Swept 0.02–0.5 on dev with the shipped HTML model: up to 0.15 it fires on no dev
# page, at 0.2 on one (dev 0.9750 -> 0.9733) and more above; the largest share dev lets pass.
FALLBACK_SHARE = 0.15
# trafilatura cannot extract much more text than a page holds: on the 1,384 dev, sanity and weak
# pages its extraction was at most 1.62 times the page's text rendered with its hidden elements
# (lobste.rs; 0.91 on dev). Twice the page's text is taken as the most it can extract, so a page
# whose clean text is already FALLBACK_SHARE of that is not sent to it. The page's text is
# counted as its rendering's plus the raw text of its hidden elements (render.hidden_text_length),
# no less than that rendering of hidden elements holds.
EXTRACTION_BOUND = 2.0
# A block is trafilatura's when at least this share of its word 3-grams is in the extraction
# (by hand: most of it; a line trafilatura cut differently still counts).
COVERED_SHARE = 0.5
# Shingle size for the comparison: 3 words, as the trafilatura-assist experiment's runs (README);
# chosen by hand, not swept (a block of fewer words is left to the model).
SHINGLE_WORDS = 3


def extract(html: str) -> str:
    """trafilatura's main text of the page (default settings); "" when it finds none or fails."""
    import trafilatura  # imported here: only this opt-in path needs it

    try:
        return trafilatura.extract(html) or ""
    except DocumentTimeout:  # the page's time is up (declutter.limits): not trafilatura's failure
        raise
    except Exception:  # trafilatura failing on a page is no reason to fail the page
        return ""


def needed(kept: str, extracted: str) -> bool:
    """Whether declutter's clean text is small beside trafilatura's extraction."""
    return len(kept) < FALLBACK_SHARE * len(extracted)


def may_be_needed(kept: str, page_chars: int) -> bool:
    """Whether trafilatura could extract enough of a page holding ``page_chars`` characters of
    text (shown and hidden) for the fallback to be needed; when not, it is not run."""
    return len(kept) < FALLBACK_SHARE * EXTRACTION_BOUND * page_chars


def word_shingles(text: str) -> set[tuple[str, ...]]:
    """The text's lower-cased word 3-grams (none for a text of fewer words)."""
    tokens = tokenize(text.lower())
    return set(zip(*(tokens[i:] for i in range(SHINGLE_WORDS)), strict=False))


def covered(text: str, extracted: set[tuple[str, ...]]) -> bool:
    """Whether most of the text's word 3-grams are in the extraction's."""
    own = word_shingles(text)
    return bool(own) and len(own & extracted) >= COVERED_SHARE * len(own)


def keep_extracted(blocks: list[Block], verdicts: list[Verdict], extracted: str) -> list[Verdict]:
    """The verdicts with every chrome block that the extraction holds turned body."""
    grams = word_shingles(extracted)
    return [
        Verdict(Label.BODY, v.probability, REASON)
        if v.label is Label.CHROME and covered(b.text, grams)
        else v
        for b, v in zip(blocks, verdicts, strict=True)
    ]
