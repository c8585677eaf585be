"""Scoring declutter and baselines on a corpus split: line-level and benchmark token F1."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from declutter import fallback
from declutter.alignment import align
from declutter.corpus import Record
from declutter.errors import LabelError
from declutter.labelled import LabelledPage
from declutter.pipeline import Declutter
from declutter.scoring import Score, line_score, token_score
from declutter.segmenter import line_blocks, segment, split_lines

OVERALL = "overall"
# C4's line filter (Raffel et al. 2020): keep lines of at least 3 words ending in terminal punctuation.
C4_MIN_WORDS = 3
C4_TERMINAL_RE = re.compile(r"[.!?\"'”’]\s*$")

# A system maps (record, dump lines) to the kept-or-not flag of every line, or to text alone.
LineSystem = Callable[[Record, list[str]], list[bool]]
TextSystem = Callable[[Record], str]


@dataclass
class Tally:
    """Per-dataset (gold, predicted) pairs of one system."""

    pages: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    lines: dict[str, list[tuple[bool, bool]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, dataset: str, gold: str, text: str, line_pairs: list[tuple[bool, bool]] | None) -> None:
        """Record one page."""
        for key in (dataset, OVERALL):
            self.pages[key].append((gold, text))
            if line_pairs is not None:
                self.lines[key].extend(line_pairs)

    def scores(self) -> dict[str, dict[str, Score | None]]:
        """Token and line scores per dataset and overall."""
        return {
            key: {
                "token": token_score(pairs),
                "line": line_score(self.lines[key]) if key in self.lines else None,
            }
            for key, pairs in self.pages.items()
        }


def keep_all(record: Record, lines: list[str]) -> list[bool]:
    """Baseline: every line is content."""
    return [bool(line.strip()) for line in lines]


def c4_rules(record: Record, lines: list[str]) -> list[bool]:
    """Baseline: C4-style line rules."""
    return [len(ln.split()) >= C4_MIN_WORDS and bool(C4_TERMINAL_RE.search(ln)) for ln in lines]


def trafilatura_html(record: Record) -> str:
    """Baseline: trafilatura's main-text extraction from the page's HTML (default settings); a page
    it crashes on scores as empty."""
    return fallback.extract(record.html)


def declutter_system(cleaner: Declutter) -> LineSystem:
    """declutter as a line system: a line counts as kept when it is title or body."""

    def run(record: Record, lines: list[str]) -> list[bool]:
        # split_lines gives these lines back; the cleaner's settings should say input="text"
        doc = cleaner.run("".join(line + "\n" for line in lines))
        return [line.label.is_content for line in doc.lines]

    return run


def declutter_html(cleaner: Declutter) -> TextSystem:
    """declutter on the page's HTML (its settings should say ``input="html"``)."""

    def run(record: Record) -> str:
        return cleaner.run(record.html).text

    return run


def line_labels(record: Record, lines: list[str]) -> list[bool]:
    """Gold content flag of each line, from its block's alignment to the gold text (blocks as the
    pipeline segments a text dump, so a "." cut from its sentence is judged with it)."""
    blocks = segment(lines, fragments=True)
    flags = align([b.text for b in blocks], record.gold)
    return [b >= 0 and flags[b] for b in line_blocks(blocks, len(lines))]


def evaluate(
    records: Iterable[Record],
    render: Callable[[Record], str],
    line_systems: dict[str, LineSystem],
    text_systems: dict[str, TextSystem],
    progress: Callable[[Iterable[Record]], Iterable[Record]] = lambda r: r,
    line_scores: bool = True,
) -> dict[str, dict[str, dict[str, Score | None]]]:
    """Scores per system, per dataset (and overall); ``line_scores=False`` skips the line-level
    scores (and the alignment they need, most of the time of a long page's scoring)."""
    tallies = {name: Tally() for name in [*line_systems, *text_systems]}
    for record in progress(records):
        if not record.gold.strip():
            continue
        lines = split_lines(render(record))
        gold_lines = line_labels(record, lines) if line_scores and line_systems else None
        for name, system in line_systems.items():
            _add_lines(tallies[name], record, lines, gold_lines, system(record, lines))
        for name, text_system in text_systems.items():
            tallies[name].add(record.dataset, record.gold, text_system(record), None)
    return {name: tally.scores() for name, tally in tallies.items()}


def _add_lines(
    tally: Tally, record: Record, lines: list[str], gold: list[bool] | None, kept: list[bool]
) -> None:
    """Record a line system's verdicts on a page: its kept text, and (gold, kept) per non-blank
    line (none without ``gold``)."""
    text = kept_text(lines, kept)
    pairs = None
    if gold is not None:
        pairs = [(g, k) for g, k, ln in zip(gold, kept, lines, strict=True) if ln.strip()]
    tally.add(record.dataset, record.gold, text, pairs)


def kept_text(lines: list[str], kept: list[bool]) -> str:
    """The text a line system keeps of a page, as it is scored: its kept lines, trimmed."""
    return "\n".join(ln.strip() for ln, k in zip(lines, kept, strict=True) if k)


def labelled_record(page: LabelledPage, dataset: str) -> Record:
    """A labelled page as a corpus record: its lines as the dump, its content lines as gold."""
    return Record(page.name, dataset, "fixtures", "", "", "", page.text, page.gold, "", "", "", "")


def evaluate_labelled(
    pages: Iterable[tuple[str, LabelledPage]], line_systems: dict[str, LineSystem]
) -> dict[str, dict[str, dict[str, Score | None]]]:
    """Scores per system on labelled pages (each with its dataset name), against their labels."""
    tallies = {name: Tally() for name in line_systems}
    for dataset, page in pages:
        record = labelled_record(page, dataset)
        for name, system in line_systems.items():
            kept = system(record, page.lines)
            if len(kept) != len(page.lines):
                raise LabelError(
                    f"{page.name}: {len(page.lines)} labelled lines, the page splits into {len(kept)}"
                )
            _add_lines(tallies[name], record, page.lines, page.content, kept)
    return {name: tally.scores() for name, tally in tallies.items()}


def format_table(results: dict[str, dict[str, dict[str, Score | None]]]) -> str:
    """A plain-text table: one row per dataset and system."""
    header = (
        f"{'dataset':<28}{'system':<14}{'pages':>6}  {'tokP':>6}{'tokR':>6}{'tokF1':>7}"
        f"  {'lineP':>6}{'lineR':>6}{'lineF1':>7}"
    )
    rows = [header, "-" * len(header)]
    datasets = sorted({d for r in results.values() for d in r}, key=lambda d: (d == OVERALL, d))
    for dataset in datasets:
        for system, per in results.items():
            if dataset not in per:
                continue
            token, line = per[dataset]["token"], per[dataset]["line"]
            assert token is not None
            line_part = (
                f"{line.precision:6.3f}{line.recall:6.3f}{line.f1:7.3f}"
                if line
                else f"{'-':>6}{'-':>6}{'-':>7}"
            )
            rows.append(
                f"{dataset:<28}{system:<14}{token.n:>6}  {token.precision:6.3f}{token.recall:6.3f}"
                f"{token.f1:7.3f}  {line_part}"
            )
    return "\n".join(rows)


def to_json(results: dict[str, dict[str, dict[str, Score | None]]]) -> dict[str, Any]:
    """A JSON-ready view of the results."""
    return {
        system: {
            dataset: {
                kind: (
                    None
                    if s is None
                    else {
                        "precision": round(s.precision, 4),
                        "recall": round(s.recall, 4),
                        "f1": round(s.f1, 4),
                        "n": s.n,
                    }
                )
                for kind, s in per.items()
            }
            for dataset, per in by_dataset.items()
        }
        for system, by_dataset in results.items()
    }
