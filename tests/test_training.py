"""training: a model trained from the corpus is deterministic, and saved with a loadable manifest."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from declutter import Declutter, boosting, training
from declutter.corpus import Record, iter_records
from declutter.labelled import parse
from declutter.model import default_model_path, load, read_manifest
from declutter.renderers import RENDERERS
from declutter.training import (
    FIXTURE_RENDERER,
    HTML_RENDERER,
    TRAIN_RENDERERS,
    block_weights,
    examples,
    fit,
    fit_members,
    html_examples,
    labelled_example,
    predict,
    train_and_save,
)

# Few pages and short boosting stages keep every code path of training (folds, stacking, the
# page model) at a fraction of the cost. Below 200,000 rows sklearn bins each feature by weighted
# quantiles, about 0.1 s a feature, so a fit costs seconds whatever the pages; one fit() of 24
# pages with the shipped settings took 81 s on 2 cores, 8 pages with 20 iterations 32 s, 4 pages 25 s.
PAGES = 4
SHORT_ITERATIONS = 20
# This module's text models average two chains (the shipped one has one, TEXT_MEMBERS), so that
# training and saving several chains, and their averaging, are covered.
SHORT_CHAINS = 2


@pytest.fixture(scope="module")
def short_boosting() -> Iterator[None]:
    """Training settings with SHORT_ITERATIONS boosting iterations, for this module's fits."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(training, "GB_PARAMS", {**training.GB_PARAMS, "max_iter": SHORT_ITERATIONS})
        patch.setattr(training, "HTML_GB_PARAMS", {**training.HTML_GB_PARAMS, "max_iter": SHORT_ITERATIONS})
        patch.setattr(training, "TEXT_MEMBERS", SHORT_CHAINS)
        yield


@pytest.fixture(scope="module")
def saved_model(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory, short_boosting: None) -> Path:
    """A text model trained on the first PAGES train pages (8 dev pages) and saved, once."""
    return train_and_save(corpus_dir, tmp_path_factory.mktemp("model"), limit=PAGES, dev_limit=8)


def test_training_is_deterministic_on_any_number_of_processes(corpus_dir: Path, saved_model: Path) -> None:
    """Fitting the same pages again, the chains on two processes where the saved model's were
    fitted one after the other, gives its probabilities bit for bit; its first chain is the one
    ``fit`` makes."""
    records = list(iter_records(corpus_dir, ("train",)))[:PAGES]
    renderers = {name: RENDERERS[name] for name in TRAIN_RENDERERS}
    docs = list(examples(records, renderers))
    assert {d.renderer for d in docs} == set(TRAIN_RENDERERS)
    again = fit_members(docs, SHORT_CHAINS, jobs=2)
    assert [chain.block.n_iter_ for chain in again] == [SHORT_ITERATIONS] * SHORT_CHAINS
    assert again[0].text.coef_.dtype == training.TEXT_COEF_DTYPE
    saved = load(saved_model)
    assert saved.chain_count == SHORT_CHAINS
    assert read_manifest(saved_model)["training"]["chains"] == [
        training.SEED + i for i in range(SHORT_CHAINS)
    ]
    for probe in (docs[0], docs[-1]):
        _, *first_and_smoothed = saved.probabilities(probe.blocks, probe.lines)
        for a, b in zip(predict(again, probe.blocks, probe.lines), first_and_smoothed, strict=True):
            assert np.array_equal(a, b)
    single = fit(docs)
    assert _same_trees(single.block, again[0].block) and not _same_trees(again[1].block, again[0].block)


def _same_trees(a: object, b: object) -> bool:
    """Whether two fitted boosting stages hold the same trees."""
    nodes = [[tree.nodes for (tree,) in model._predictors] for model in (a, b)]  # type: ignore[attr-defined]
    return len(nodes[0]) == len(nodes[1]) and all(
        np.array_equal(x, y) for x, y in zip(nodes[0], nodes[1], strict=True)
    )


def test_every_fit_runs_on_fit_threads_whatever_the_caller_allows(
    monkeypatch: pytest.MonkeyPatch, short_boosting: None
) -> None:
    """The boosting's sums follow its thread count: two threads fitted another model than one."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.utils._openmp_helpers import _openmp_effective_n_threads
    from threadpoolctl import threadpool_limits

    seen: list[int] = []
    original = HistGradientBoostingClassifier.fit

    def spy(self: HistGradientBoostingClassifier, *args: object, **kwargs: object) -> object:
        seen.append(_openmp_effective_n_threads())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(HistGradientBoostingClassifier, "fit", spy)
    text = "chrome\tHome\ntitle\tHeadline number {i}\nbody\tThe paragraph of page {i}, long enough.\n"
    docs = [labelled_example(parse(text.format(i=i), f"p{i}.tsv")) for i in range(training.FOLDS + 1)]
    with threadpool_limits(limits=2):
        fit(docs)
    assert seen and set(seen) == {boosting.FIT_THREADS}


def test_train_and_save_writes_a_loadable_model(saved_model: Path) -> None:
    path = saved_model
    manifest = read_manifest(path)
    assert manifest["training"]["gradient_boosting"]["max_iter"] == SHORT_ITERATIONS
    assert manifest["training"]["limits"] == {"train_pages": PAGES, "dev_pages": 8}
    assert load(path).threshold == manifest["threshold"]
    assert load(path).judges_pages and manifest["page_model"]["metrics"]["pages"] == {
        "articles": 8,
        "non_articles": 8,
    }
    doc = Declutter(model_path=path).run("Home\n\nA sentence of article text that ends here.\n")
    assert [ln.reason for ln in doc.lines][1] == "rule:blank"
    assert all(0.0 <= ln.probability <= 1.0 for ln in doc.lines)
    assert doc.lines[0].probability != doc.lines[2].probability


def test_the_cutoffs_are_chosen_on_one_read_of_dev(
    corpus_dir: Path, saved_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[tuple[str, ...]] = []
    real = training.iter_records

    def spy(corpus: Path, splits: tuple[str, ...]) -> Iterator[Record]:
        reads.append(tuple(splits))
        return real(corpus, splits)

    monkeypatch.setattr(training, "iter_records", spy)
    best, metrics, _ = training.choose_cutoffs(corpus_dir, load(saved_model), dev_limit=3)
    assert reads == [(training.CHOICE_SPLIT,)]  # the threshold sweep and the calibration share it
    assert best in training.THRESHOLD_GRID and metrics["calibration"]["fitted_on"] == training.CHOICE_SPLIT


def test_html_examples_carry_the_dom_features_of_their_lines(corpus_dir: Path) -> None:
    records = list(iter_records(corpus_dir, ("train",)))[:4]
    docs = list(html_examples(records))
    assert docs and all(d.renderer == HTML_RENDERER for d in docs)
    assert all(d.dom is not None and len(d.dom.features) == len(d.lines) == len(d.dom.groups) for d in docs)


def test_train_and_save_writes_a_loadable_html_model(
    corpus_dir: Path, tmp_path: Path, short_boosting: None
) -> None:
    path = train_and_save(corpus_dir, tmp_path, limit=PAGES, dev_limit=4, html=True)
    manifest = read_manifest(path)
    assert manifest["input"] == "html" and manifest["training"]["renderers"] == [HTML_RENDERER]
    assert load(path).reads_dom
    paragraph = "<p>A sentence of article text that ends here.</p>"
    page = f"<html><body><nav><a href='/'>Home</a></nav>{paragraph}</body></html>"
    cleaner = Declutter(model_path=default_model_path(), html_model_path=path)
    doc = cleaner.run(page)
    assert doc.input == "html" and all(0.0 <= ln.probability <= 1.0 for ln in doc.lines)


def test_a_labelled_page_becomes_an_example_with_its_blocks_labels() -> None:
    page = parse("chrome\tHome\ntitle\tA headline here\n\t\nbody\tA paragraph of the article.\n", "p.tsv")
    doc = labelled_example(page, weight=7.0)
    assert [b.text for b in doc.blocks] == ["Home", "A headline here", "A paragraph of the article."]
    assert doc.labels.tolist() == [False, True, True]
    assert doc.renderer == FIXTURE_RENDERER and doc.weight == 7.0
    assert block_weights(doc).sum() == pytest.approx(7.0 * len(doc.blocks))


def test_a_rescore_keeps_the_chosen_threshold_unless_another_beats_it_by_the_margin() -> None:
    grid = (0.5, 0.7, 0.9)
    flat = {0.5: 0.930, 0.7: 0.940, 0.9: 0.940 + training.RESCORE_MARGIN / 2}.__getitem__
    assert training._best(grid, flat, None) == 0.9  # first choice: the best
    assert training._best(grid, flat, 0.7) == 0.7  # a rescore: noise does not move it
    clear = {0.5: 0.930, 0.7: 0.940, 0.9: 0.940 + 2 * training.RESCORE_MARGIN}.__getitem__
    assert training._best(grid, clear, 0.7) == 0.9
    assert training._best(grid, flat, 0.65) == 0.9  # a threshold off the grid is not kept


def test_the_saved_model_records_its_calibration_fit(saved_model: Path) -> None:
    manifest = read_manifest(saved_model)
    fit = manifest["metrics"]["calibration"]
    assert set(fit["exponent_log_loss"]) == {str(e) for e in training.CALIBRATION_EXPONENTS}
    assert set(fit["margin_sweep"]) == {str(m) for m in training.CALIBRATION_MARGINS}
    calibration = load(saved_model).calibration
    best = max(fit["margin_sweep"].values())
    if fit["chosen"] is None:  # going without beat every margin on the 8 dev pages
        assert calibration is None and "calibration" not in manifest
        assert fit["without"] - best > training.CALIBRATION_TIE
    else:
        assert calibration is not None and str(calibration.margin) == fit["chosen"]
        assert fit["margin_sweep"][fit["chosen"]] == best >= fit["without"] - training.CALIBRATION_TIE
        assert manifest["metrics"]["dev"]["overall"]["token"]["f1"] == fit["margin_sweep"][fit["chosen"]]


def test_log_loss_weighs_blocks_by_their_words() -> None:
    chances, flags = np.array([0.9, 0.2]), np.array([True, False])
    assert training.log_loss(chances, flags, np.array([1.0, 1.0])) == pytest.approx(
        -(np.log(0.9) + np.log(0.8)) / 2
    )
    assert training.log_loss(chances, flags, np.array([3.0, 1.0])) == pytest.approx(
        -(3 * np.log(0.9) + np.log(0.8)) / 4
    )
    assert np.isfinite(training.log_loss(np.array([0.0, 1.0]), np.array([True, False]), np.ones(2)))


@pytest.mark.parametrize("power", [0.75, 1.0, 2.0])
def test_fit_exponent_finds_the_power_that_drew_the_labels(power: float) -> None:
    rng = np.random.default_rng(7)
    probabilities = rng.uniform(size=40_000)
    flags = rng.uniform(size=probabilities.size) < probabilities**power
    exponent, losses = training.fit_exponent(probabilities, flags, rng.uniform(1, 50, size=flags.size))
    assert exponent == power
    assert min(losses.values()) == losses[str(power)]


def test_the_calibration_margin_is_the_best_on_dev_and_a_rescore_keeps_what_holds() -> None:
    from declutter.cutoff import Calibration

    step = training.RESCORE_MARGIN
    f1 = {None: 0.9400, 0.0: 0.9380, 0.05: 0.9400 + step / 2, 0.1: 0.9399}
    assert training._best_margin(f1, "unchosen") == 0.05  # a first choice: the best
    tie = {None: 0.9400, 0.0: 0.9380, 0.05: 0.9400 - training.CALIBRATION_TIE / 2, 0.1: 0.9390}
    assert training._best_margin(tie, "unchosen") == 0.05  # a near tie keeps the calibration
    beaten = {**f1, 0.05: 0.9400 - 2 * training.CALIBRATION_TIE, 0.1: 0.9390 - training.CALIBRATION_TIE}
    assert training._best_margin(beaten, "unchosen") is None  # going without is clearly better
    assert training._best_margin({**f1, 0.0: 0.9400 + step / 2}, "unchosen") == 0.0  # smallest of equals
    assert training._best_margin(f1, None) is None  # chosen before: none, not beaten by the margin
    assert training._best_margin(f1, Calibration(1.25, 0.1)) == 0.1
    assert training._best_margin({**f1, 0.05: 0.9400 + 2 * step}, None) == 0.05
