"""Shared test helpers: labelled fixtures, the corpus location, one loaded cleaner."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest

from declutter import Declutter, Settings
from declutter.corpus import dataset_files, default_corpus_dir
from declutter.labelled import LabelledPage, read

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS = sorted(p.name for p in FIXTURES.glob("0*.txt"))
EDGES = sorted(p.name for p in FIXTURES.glob("edge_*.txt"))
# Set by .ci/run: a test that needs the corpus fails instead of skipping when it is absent.
REQUIRE_CORPUS = os.environ.get("DECLUTTER_REQUIRE_CORPUS") == "1"
# Issue 3's bar: the title right on this share of the sanity pages whose record carries a title.
MIN_SANITY_TITLE_SHARE = 0.95


def normalised_title(text: str | None) -> str:
    """A title compared the way issue 3 counts it: NFKC, case-folded, no punctuation."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(re.sub(r"[^\w\s]", "", folded).split())


def load_fixture(name: str) -> LabelledPage:
    """Read ``fixtures/<name>`` (``label<TAB>line`` per line)."""
    return read(FIXTURES / name)


@pytest.fixture(scope="session")
def cleaner() -> Declutter:
    """One cleaner with the shipped model, shared by the whole session."""
    return Declutter()


# A dump that takes seconds to clean: long enough that a short time limit always cuts it.
SLOW_DUMP = "\n".join(
    f"Menu item {i % 50}" if i % 7 else f"Sentence {i} of the page." for i in range(200_000)
)
# A limited run of it ends well before the whole page would (about 30 s): the limit lands
# between Python steps, so one long call into numpy or sklearn (on a busy machine) delays it.
CUT_SHORT_S = 8.0


def with_settings(cleaner: Declutter, **options: object) -> Declutter:
    """The shared cleaner's models under other settings (no second load)."""
    assert cleaner.model is not None
    return Declutter.from_model(cleaner.model, Settings(**options), cleaner.html_model)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared corpus; skips (or fails under CI) when it is absent."""
    path = default_corpus_dir()
    if not path.is_dir() or not dataset_files(path):
        message = f"corpus not found at {path} (set DECLUTTER_CORPUS)"
        if REQUIRE_CORPUS:
            pytest.fail(message)
        pytest.skip(message)
    return path
