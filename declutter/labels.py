"""Line labels, as defined by ANNOTATION.md."""

from __future__ import annotations

from enum import Enum


class Label(str, Enum):
    """What a line of a page is."""

    TITLE = "title"
    BODY = "body"
    META = "meta"
    CHROME = "chrome"

    @property
    def is_content(self) -> bool:
        """Whether the line belongs to the clean text (title or body)."""
        return self is Label.TITLE or self is Label.BODY

    def __str__(self) -> str:
        return self.value
