"""Finding the article's headline and metadata among the content verdicts.

The model decides content vs not; here the headline is picked (once, the copy nearest the body)
and byline/date/source lines near the article become ``meta``.
"""

from __future__ import annotations

from declutter.document import RULE_PREFIX, Verdict
from declutter.features import block_key
from declutter.features import word_count as words
from declutter.labels import Label
from declutter.rules import (
    chrome_rule,
    has_time,
    is_date_line,
    is_person_name,
    is_section_end,
    meta_rule,
)
from declutter.segmenter import Block

# Prose: the first block of at least this many words ending a sentence starts the body.
PROSE_MIN_WORDS = 10
# A headline has 2-30 words (CJK: a character counts half) and does not end with a full stop.
TITLE_MIN_WORDS = 2
TITLE_MAX_WORDS = 30
# The headline sits at most this many blocks above the first body paragraph (dek, byline,
# date and caption lines come between). Chosen by hand from the seeds and edge fixtures (at most 4
# there), not measured on the corpus.
TITLE_WINDOW = 6
# A headline the model dropped is restored only at this first-stage probability or above.
TITLE_RESCUE_PROBABILITY = 0.2
# A standfirst (dek) is within this many blocks of its headline, has at least this many words
# and, to be kept against the model, at least this probability (the seeds' deks score 0.5-0.7).
DEK_GAP = 2
DEK_MIN_WORDS = 8
DEK_MIN_PROBABILITY = 0.2
# Metadata is looked for this many blocks around the article (headline to last body block).
META_BEFORE = 4
META_AFTER = 4
# Blocks right under the headline (standfirst, byline, date) are read for metadata even where the
# model kept them as content inside the article. Chosen by hand from the seeds' and edge cases'
# layout (headline, standfirst, byline, date), not swept.
META_UNDER_TITLE = 3


def is_prose(text: str) -> bool:
    """Whether the block reads as an article paragraph."""
    return words(text) >= PROSE_MIN_WORDS and text.rstrip().endswith(
        (".", "!", "?", "。", "！", "？", '"', "”", "’")
    )


def is_headline_shaped(text: str) -> bool:
    """Whether the block could be a headline."""
    stripped = text.strip()
    count = words(stripped)
    if not TITLE_MIN_WORDS <= count <= TITLE_MAX_WORDS or stripped.endswith((".", ":", "。")):
        return False
    return not (
        chrome_rule(stripped) or meta_rule(stripped) or is_section_end(stripped) or is_date_line(stripped)
    )


def find_title(blocks: list[Block], verdicts: list[Verdict]) -> int | None:
    """Index of the headline block: the topmost kept headline-shaped block just above the body."""
    kept = [i for i, v in enumerate(verdicts) if v.label.is_content]
    if not kept:
        return None
    first_body = next((i for i in kept if is_prose(blocks[i].text)), kept[0])
    window = range(max(0, first_body - TITLE_WINDOW), first_body + 1)
    shaped = [i for i in window if is_headline_shaped(blocks[i].text)]
    likely = [
        i
        for i in shaped
        if i < first_body
        and verdicts[i].probability >= TITLE_RESCUE_PROBABILITY
        and not is_person_name(blocks[i].text)  # an unkept bare name above the headline is a byline
    ]
    chosen = next((i for i in shaped if verdicts[i].label.is_content), None)
    if chosen is None:
        chosen = max(likely, key=lambda i: verdicts[i].probability, default=None)
    if chosen is None:
        return None
    chosen = _above_dek(blocks, likely, chosen)
    key = block_key(blocks[chosen].text)
    copies = [i for i in range(chosen, first_body + 1) if block_key(blocks[i].text) == key]
    return copies[-1]


def _above_dek(blocks: list[Block], likely: list[int], chosen: int) -> int:
    """When the chosen block is a standfirst, the shorter likely headline right above it."""
    above = [i for i in likely if chosen - DEK_GAP <= i < chosen]
    shorter = [i for i in above if words(blocks[i].text) < words(blocks[chosen].text)]
    return shorter[-1] if shorter else chosen


def mark_title(blocks: list[Block], verdicts: list[Verdict]) -> list[Verdict]:
    """Label the headline ``title`` and its other copies ``chrome``."""
    index = find_title(blocks, verdicts)
    if index is None:
        return verdicts
    key = block_key(blocks[index].text)
    out = list(verdicts)
    for i, block in enumerate(blocks):
        if i == index:
            reason = out[i].reason if out[i].label.is_content else RULE_PREFIX + "title"
            out[i] = Verdict(Label.TITLE, out[i].probability, reason)
        elif block_key(block.text) == key:
            out[i] = Verdict(Label.CHROME, out[i].probability, RULE_PREFIX + "duplicate_title")
    return out


def mark_dek(blocks: list[Block], verdicts: list[Verdict]) -> list[Verdict]:
    """Keep the standfirst: the sentence-length block right under the headline (bylines and dates
    may come between) when the model was unsure of it."""
    title = next((i for i, v in enumerate(verdicts) if v.label is Label.TITLE), None)
    if title is None:
        return verdicts
    out = list(verdicts)
    for i in range(title + 1, min(len(blocks), title + 1 + DEK_GAP)):
        text = blocks[i].text
        if out[i].label.is_content or out[i].reason.startswith(RULE_PREFIX):
            return out
        if meta_rule(text) or is_date_line(text) or is_person_name(text):
            continue
        if words(text) >= DEK_MIN_WORDS and out[i].probability >= DEK_MIN_PROBABILITY:
            out[i] = Verdict(Label.BODY, out[i].probability, RULE_PREFIX + "dek")
        return out
    return out


def _meta_reason(blocks: list[Block], verdicts: list[Verdict], i: int, title: int | None) -> str | None:
    text = blocks[i].text
    rule = meta_rule(text)
    if rule is not None:
        return rule.name
    near_meta = any(verdicts[j].label is Label.META for j in (i - 1, i + 1) if 0 <= j < len(verdicts))
    if is_date_line(text) and (has_time(text) or near_meta):
        return "date"
    near_title = title is not None and abs(i - title) == 1
    if is_person_name(text) and (near_title or near_meta) and verdicts[i].label is not Label.TITLE:
        return "author_name"
    return None


def mark_meta(blocks: list[Block], verdicts: list[Verdict]) -> list[Verdict]:
    """Label byline, date, source and credit lines around the article ``meta``."""
    kept = [i for i, v in enumerate(verdicts) if v.label.is_content]
    if not kept:
        return verdicts
    title = next((i for i, v in enumerate(verdicts) if v.label is Label.TITLE), None)
    start = max(0, (title if title is not None else kept[0]) - META_BEFORE)
    end = min(len(blocks), kept[-1] + META_AFTER + 1)
    prose = [i for i in kept if is_prose(blocks[i].text)]
    inside = range(prose[0] + 1, prose[-1]) if prose else range(0)
    out = list(verdicts)
    for _ in range(2):  # a second pass lets a date or name next to a byline found in the first join it
        for i in range(start, end):
            if out[i].label is Label.TITLE or out[i].label is Label.META:
                continue
            under_title = title is not None and 0 < i - title <= META_UNDER_TITLE
            if i in inside and out[i].label.is_content and not under_title:
                continue  # between body paragraphs a "By the numbers" is a subheading, not a byline
            reason = _meta_reason(blocks, out, i, title)
            if reason is not None:
                out[i] = Verdict(Label.META, out[i].probability, RULE_PREFIX + reason)
    return out
