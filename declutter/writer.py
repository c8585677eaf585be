"""Writing the result: block verdicts spread over the input lines, as a Document."""

from __future__ import annotations

from declutter.document import RULE_PREFIX, Document, Line, Verdict
from declutter.labels import Label
from declutter.segmenter import Block

BLANK = Verdict(Label.CHROME, 0.0, RULE_PREFIX + "blank")


def write(lines: list[str], blocks: list[Block], verdicts: list[Verdict]) -> Document:
    """Every input line with its block's verdict (blank lines: chrome, ``rule:blank``)."""
    per_line = [BLANK] * len(lines)
    block_of = [-1] * len(lines)
    for number, (block, verdict) in enumerate(zip(blocks, verdicts, strict=True)):
        for index in range(block.start, block.end):
            per_line[index] = verdict
            block_of[index] = number
    return Document(
        [
            Line(i + 1, text, v.label, v.probability, v.reason, block)
            for i, (text, v, block) in enumerate(zip(lines, per_line, block_of, strict=True))
        ]
    )
