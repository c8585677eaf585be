"""Quality gate: the shipped model's scores on the corpus, pinned so they cannot drop silently.

The pinned values are the scores the shipped model measures with the current pipeline (see the
README; its manifest records them as of its last rescore), rounded down; a change that lowers them
must re-pin them here, visibly.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import pytest

from declutter import Declutter
from declutter.alignment import align
from declutter.corpus import iter_records
from declutter.evaluation import (
    c4_rules,
    declutter_html,
    declutter_system,
    evaluate,
    keep_all,
    trafilatura_html,
)
from declutter.renderers import chromium
from declutter.scoring import Score, token_score
from declutter.segmenter import split_lines
from declutter.settings import Settings

# dev split, Chromium dumps, default settings (measured value in the model manifest / README).
PINNED_DEV_TOKEN_F1 = 0.949  # measured 0.9492 (FEATURE_VERSION 5; the chrome rules of 2026-11-23)
PINNED_DEV_LINE_F1 = 0.894  # measured 0.8941 (to four places; pinned below)
# The bar for the dev split; not reached yet (kept visible as a strict expected failure).
TARGET_DEV_TOKEN_F1 = 0.95
# The alignment labels must be good enough to learn from (the bar).
MIN_ALIGNMENT_CEILING = 0.97


Scores = dict[str, dict[str, dict[str, Score | None]]]


def _scores(corpus: Path, split: str, cleaner: Declutter) -> Scores:
    """Token scores of a split, and line scores on dev (where the line F1 is pinned)."""
    records = list(iter_records(corpus, (split,)))
    systems = {"declutter": declutter_system(cleaner), "keep-all": keep_all, "c4-rules": c4_rules}
    return evaluate(records, chromium, systems, {}, line_scores=split == "dev")


@pytest.fixture(scope="module")
def split_scores(corpus_dir: Path, cleaner: Declutter) -> Callable[[str], Scores]:
    """A split's scores, measured once per module (the dev gate and the baselines share dev)."""
    return functools.cache(lambda split: _scores(corpus_dir, split, cleaner))


@pytest.fixture(scope="module")
def dev(split_scores: Callable[[str], Scores]) -> Scores:
    return split_scores("dev")


def test_dev_token_f1_does_not_drop(dev: Scores) -> None:
    token = dev["declutter"]["overall"]["token"]
    assert token is not None and token.f1 >= PINNED_DEV_TOKEN_F1


@pytest.mark.xfail(reason="issue 2's target of 0.95 is not reached yet (0.949)", strict=True)
def test_dev_token_f1_reaches_the_target(dev: Scores) -> None:
    token = dev["declutter"]["overall"]["token"]
    assert token is not None and token.f1 >= TARGET_DEV_TOKEN_F1


def test_dev_line_f1_does_not_drop(dev: Scores) -> None:
    line = dev["declutter"]["overall"]["line"]
    assert line is not None and line.f1 >= PINNED_DEV_LINE_F1


@pytest.mark.parametrize("split", ["dev", "aux"])
def test_above_both_rule_baselines_on_every_dataset(
    split_scores: Callable[[str], Scores], split: str
) -> None:
    results = split_scores(split)
    for dataset, scores in results["declutter"].items():
        ours = scores["token"]
        assert ours is not None
        for baseline in ("keep-all", "c4-rules"):
            theirs = results[baseline][dataset]["token"]
            assert theirs is not None and ours.f1 > theirs.f1, (split, dataset, baseline)


def test_alignment_ceiling_on_dev(corpus_dir: Path) -> None:
    pairs = []
    for record in iter_records(corpus_dir, ("dev",)):
        lines = split_lines(record.dump)
        kept = align(lines, record.gold)
        pairs.append((record.gold, "\n".join(ln for ln, k in zip(lines, kept, strict=True) if k)))
    assert token_score(pairs).f1 >= MIN_ALIGNMENT_CEILING


# dev split, the pages' HTML, default settings (the HTML model; measured value in its manifest).
PINNED_DEV_HTML_TOKEN_F1 = 0.976  # measured 0.9767 (DOM features v4; the chrome rules of 2026-11-23)
# Issue 3's bar: declutter on the HTML at least this far above trafilatura on the same pages.
HTML_MARGIN_OVER_TRAFILATURA = 0.01


def test_dev_html_beats_trafilatura_and_does_not_drop(corpus_dir: Path, cleaner: Declutter) -> None:
    records = list(iter_records(corpus_dir, ("dev",)))
    assert cleaner.model is not None and cleaner.html_model is not None
    settings = Settings(input="html", metadata=False)
    html_cleaner = Declutter.from_model(cleaner.model, settings, cleaner.html_model)
    systems = {"declutter": declutter_html(html_cleaner), "trafilatura": trafilatura_html}
    results = evaluate(records, chromium, {}, systems)
    ours, theirs = (results[name]["overall"]["token"] for name in ("declutter", "trafilatura"))
    assert ours is not None and theirs is not None
    assert ours.f1 >= PINNED_DEV_HTML_TOKEN_F1
    assert ours.f1 >= theirs.f1 + HTML_MARGIN_OVER_TRAFILATURA


# sanity split (Readability's pages), the pages' HTML: default mode and the trafilatura fallback.
# measured 0.94202 (0.9421 before bracketed_link: Readability keeps a link in square brackets)
PINNED_SANITY_HTML_TOKEN_F1 = 0.942
PINNED_SANITY_FALLBACK_TOKEN_F1 = 0.946  # measured 0.9462 (fallback="trafilatura")


def test_sanity_html_beats_trafilatura_in_both_modes(corpus_dir: Path, cleaner: Declutter) -> None:
    """Issue 3 asks for declutter above trafilatura on sanity too; the fallback must not lose it."""
    records = list(iter_records(corpus_dir, ("sanity",)))
    assert cleaner.model is not None and cleaner.html_model is not None
    systems = {"trafilatura": trafilatura_html}
    for name, fallback in (("default", None), ("fallback", "trafilatura")):
        settings = Settings(input="html", metadata=False, fallback=fallback)
        systems[name] = declutter_html(Declutter.from_model(cleaner.model, settings, cleaner.html_model))
    results = evaluate(records, chromium, {}, systems)
    scores = {name: results[name]["overall"]["token"] for name in systems}
    default, fallback_mode, theirs = scores["default"], scores["fallback"], scores["trafilatura"]
    assert default is not None and fallback_mode is not None and theirs is not None
    assert default.f1 >= PINNED_SANITY_HTML_TOKEN_F1 and default.f1 > theirs.f1
    assert fallback_mode.f1 >= PINNED_SANITY_FALLBACK_TOKEN_F1 and fallback_mode.f1 > theirs.f1


# Dev pages the presets are checked on (the whole split is measured in the manifest and README).
PRESET_PAGES = 80


def test_presets_move_precision_and_recall_the_way_they_say(corpus_dir: Path, cleaner: Declutter) -> None:
    """favor_precision keeps no less precise text than the default, favor_recall no less of the
    article (token scores on dev pages)."""
    records = list(iter_records(corpus_dir, ("dev",)))[:PRESET_PAGES]

    def token(**options: object) -> Score:
        judged = Declutter.from_model(cleaner.model, Settings(input="text", **options))  # type: ignore[arg-type]
        result = evaluate(records, chromium, {"d": declutter_system(judged)}, {})["d"]["overall"]["token"]
        assert result is not None
        return result

    default, precise, full = token(), token(favor_precision=True), token(favor_recall=True)
    assert precise.precision >= default.precision and full.recall >= default.recall
    assert precise.precision > full.precision and full.recall > precise.recall
