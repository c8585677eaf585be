"""Writing the result: block verdicts spread over the input lines, as a Document."""

from __future__ import annotations

from declutter.document import RULE_PREFIX, Document, Line, Verdict
from declutter.labels import Label
from declutter.segmenter import Block, line_blocks

BLANK = Verdict(Label.CHROME, 0.0, RULE_PREFIX + "blank")


def write(lines: list[str], blocks: list[Block], verdicts: list[Verdict]) -> Document:
    """Every input line with its block's verdict (blank lines: chrome, ``rule:blank``)."""
    if len(verdicts) != len(blocks):
        raise ValueError(f"{len(verdicts)} verdicts for {len(blocks)} blocks")
    owners = line_blocks(blocks, len(lines))
    per_line = [verdicts[b] if b >= 0 else BLANK for b in owners]
    return Document(
        [
            Line(i + 1, text, v.label, v.probability, v.reason, block)
            for i, (text, v, block) in enumerate(zip(lines, per_line, owners, strict=True))
        ]
    )
