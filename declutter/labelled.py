"""Labelled pages: ``label<TAB>line`` files, as the fixtures are and as ``declutter label`` drafts.

Every line of the page, in order, is one row: its label (``title``, ``body``, ``meta`` or
``chrome``, see ANNOTATION.md), a tab, then the line exactly as the page has it. A blank line's
label may be left empty. Pages written this way are what ``declutter train --fixtures`` learns
from and ``declutter eval --fixtures`` scores against.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from declutter.document import Document
from declutter.errors import LabelError
from declutter.labels import Label

SUFFIX = ".tsv"
_LABELS = {label.value: label for label in Label}


@dataclass(frozen=True)
class LabelledPage:
    """A page's lines and each line's label (None: a blank line left unlabelled)."""

    name: str
    lines: list[str]
    labels: list[Label | None]

    @property
    def text(self) -> str:
        """The page as its dump had it."""
        return "\n".join(self.lines)

    @property
    def content(self) -> list[bool]:
        """Whether each line is article content (title or body)."""
        return [label is not None and label.is_content for label in self.labels]

    @property
    def gold(self) -> str:
        """The article text: its content lines, trimmed, one per line."""
        return "\n".join(line.strip() for line, keep in zip(self.lines, self.content, strict=True) if keep)


def parse(text: str, name: str) -> LabelledPage:
    """A labelled page from its TSV text; LabelError names the page and line of a bad row."""
    lines: list[str] = []
    labels: list[Label | None] = []
    rows = text.split("\n")
    if rows and rows[-1] == "":
        rows.pop()  # the file's final newline
    for number, row in enumerate(rows, 1):
        label, tab, line = row.partition("\t")
        label = label.strip()
        if not tab:
            raise LabelError(f"{name}:{number}: no tab: expected label<TAB>line")
        if label and label not in _LABELS:
            raise LabelError(f"{name}:{number}: unknown label {label!r}; labels: {', '.join(_LABELS)}")
        if not label and line.strip():
            raise LabelError(f"{name}:{number}: a line with text needs a label")
        lines.append(line)
        labels.append(_LABELS[label] if label else None)
    return LabelledPage(name, lines, labels)


def read(path: Path) -> LabelledPage:
    """Read one labelled page."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LabelError(f"{path}: cannot read: {error}") from error
    return parse(text, str(path))


def read_dir(directory: Path) -> list[LabelledPage]:
    """Every ``*.tsv`` page under a directory (or the one file given), in path order."""
    if directory.is_file():
        return [read(directory)]
    paths = sorted(directory.rglob(f"*{SUFFIX}")) if directory.is_dir() else []
    if not paths:
        raise LabelError(f"{directory}: no labelled pages (*{SUFFIX}) found")
    return [read(path) for path in paths]


def draft(doc: Document) -> str:
    """A page's TSV draft: every line with the label the model gave it (blank lines unlabelled)."""
    rows = [f"{line.label.value if line.text.strip() else ''}\t{line.text}" for line in doc.lines]
    return "".join(row + "\n" for row in rows)
