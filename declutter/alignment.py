"""Labelling dump lines as content by aligning them to a page's gold article text."""

from __future__ import annotations

from difflib import SequenceMatcher

from declutter.scoring import TOKEN_RE

# A matched run shorter than this many tokens is treated as chance overlap (common words, numbers).
# Chosen by hand, not swept; short subheadings survive because they sit inside longer runs,
# contiguous with the paragraphs around them. With 3 and 0.5 below, keeping exactly the aligned
# lines scores token F1 0.980 on dev, 0.996 on train (the labels' ceiling).
MIN_RUN = 3
# A line is content when at least this share of its tokens lies in matched runs (chosen by hand).
MIN_MATCHED_SHARE = 0.5


def _line_tokens(lines: list[str]) -> tuple[list[str], list[int]]:
    tokens: list[str] = []
    owners: list[int] = []
    for index, line in enumerate(lines):
        for token in TOKEN_RE.findall(line.lower()):
            tokens.append(token)
            owners.append(index)
    return tokens, owners


def align(lines: list[str], gold: str) -> list[bool]:
    """For each line: does it belong to the gold text (by in-order token alignment)?"""
    tokens, owners = _line_tokens(lines)
    gold_tokens = TOKEN_RE.findall(gold.lower())
    matched = [0] * len(lines)
    if tokens and gold_tokens:
        matcher = SequenceMatcher(None, tokens, gold_tokens, autojunk=False)
        for start, _, size in matcher.get_matching_blocks():
            if size >= MIN_RUN or (size and size == len(gold_tokens)):
                for position in range(start, start + size):
                    matched[owners[position]] += 1
    totals = [0] * len(lines)
    for owner in owners:
        totals[owner] += 1
    return [bool(total) and matched[i] / total >= MIN_MATCHED_SHARE for i, total in enumerate(totals)]
