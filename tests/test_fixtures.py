"""The labelled fixtures are well-formed, and the seed fixtures are the client's dumps verbatim."""

from __future__ import annotations

import pytest
from conftest import EDGES, REQUIRE_CORPUS, SEEDS, load_fixture

from declutter.corpus import default_corpus_dir


def test_all_five_seeds_are_present() -> None:
    assert len(SEEDS) == 5


@pytest.mark.parametrize("name", SEEDS + EDGES)
def test_every_non_blank_line_has_a_label(name: str) -> None:
    fixture = load_fixture(name)
    for line, label in zip(fixture.lines, fixture.labels, strict=False):
        assert (label is None) == (not line.strip()), line


@pytest.mark.parametrize("name", SEEDS)
def test_seed_fixture_reproduces_the_seed(name: str) -> None:
    seed = default_corpus_dir().parent / "seeds" / name
    if not seed.exists():
        if REQUIRE_CORPUS:
            pytest.fail(f"{seed} not present")
        pytest.skip(f"{seed} not present")
    assert load_fixture(name).lines == seed.read_text(encoding="utf-8").split("\n")
