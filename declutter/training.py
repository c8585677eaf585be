"""Training the line classifier on the corpus: render, segment, align to gold, fit, stack."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from scipy.sparse import csr_matrix, vstack
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import GroupKFold

from declutter.alignment import align
from declutter.boosting import fit_threads
from declutter.corpus import Record, iter_records, licences
from declutter.cutoff import Calibration
from declutter.dom import LineDom, block_groups
from declutter.errors import LabelError
from declutter.features import featurize_page, text_terms, word_count
from declutter.labelled import LabelledPage
from declutter.model import (
    DEFAULT_THRESHOLD,
    HTML_MODEL_FILE,
    MODEL_FILE,
    Model,
    load,
    read_manifest,
    save,
    write_manifest,
)
from declutter.page_training import add_page_model
from declutter.renderers import renderer
from declutter.segmenter import Block, segment, split_lines
from declutter.settings import Settings
from declutter.smoother import refining_features, smoothing_features, smoothing_page

if TYPE_CHECKING:
    from declutter.pipeline import Declutter

SEED = 20261121
# How many chains (text model, block model, smoother, refiner) a text model averages, chain i
# fitted alone with seed SEED + i (``declutter train --chains``; declutter.model averages their
# probabilities stage by stage). One, as shipped: four were tried and not kept (2026-11-23, see
# the README's *Four chains averaged*). On the FEATURE_VERSION 6 branch four chains averaged
# scored dev 0.9450, sanity 0.9146 and aux 0.9014 against one chain's 0.9433-0.9437,
# 0.885-0.902 and 0.893-0.897 (threshold 0.7); trained here on this code (1 h 48 min, -j 2) they
# scored dev 0.9456, sanity 0.903, aux 0.898, against the shipped chain's 0.9461, 0.9164 and
# 0.9003, and called the non-article fixture an article (page model 0.64).
TEXT_MEMBERS = 1
# The HTML model: one chain (issue 3 wants it at least as fast as trafilatura).
HTML_MEMBERS = 1
# Folds for the out-of-fold scores that the next stage trains on (so it learns from honest inputs).
FOLDS = 3
# Gradient-boosting settings, chosen by hand; the only comparison made was 31 leaves on Chromium
# dumps vs 63 leaves (40 per leaf) on three renderings, which changed two things at once.
GB_PARAMS = {
    "max_iter": 300,
    "learning_rate": 0.1,
    "max_leaf_nodes": 63,
    "min_samples_leaf": 40,
    "l2_regularization": 1.0,
}
# The HTML model's stages: fewer, bigger steps, so that a page's three predictions cost about
# 40% of the text model's (speed: issue 3 wants HTML at least as fast as trafilatura). Chosen by
# hand for speed, not swept; its dev score is in its manifest.
HTML_GB_PARAMS = {**GB_PARAMS, "max_iter": 120, "learning_rate": 0.2}
# Whether the HTML model gets the third stage (the refiner). Without it dev HTML token F1 was
# 0.9694 against 0.9667 at threshold 0.8 (0.9690 vs 0.9664 at 0.7; DOM features v3), and a page
# costs one prediction less.
HTML_REFINER = False
# Extra weight of some training datasets' pages (dataset name -> factor; others weigh 1).
DATASET_WEIGHTS: dict[str, float] = {}
# Text model: logistic loss SGD over hashed n-grams; alpha and epochs chosen by hand, not swept.
TEXT_ALPHA = 1e-6
TEXT_EPOCHS = 15
# The fitted text model's coefficients are stored in single precision: 262,144 doubles are 2 MB
# that do not compress, and four chains of them (20.8 MB in all) would break the model file's
# 20 MB budget; as float32, 17.2 MB. On the shipped text model's coefficients, float32 moved the
# text scores of the 43,823 dev blocks by at most 3.6e-8.
TEXT_COEF_DTYPE = np.float32
# Block weight = (words + 1) ** WEIGHT_POWER, normalised per page; chosen by hand, not swept.
WEIGHT_POWER = 0.5


# The renderer name of the HTML model's examples: declutter's own rendering, with DOM features.
HTML_RENDERER = "html"
# The "renderer" of a labelled page: the lines as its TSV file gives them.
FIXTURE_RENDERER = "fixture"
# In ``train --fixtures DIR --corpus DIR``, one labelled page of your own weighs as much as this
# many corpus pages. Chosen by hand, not swept (there is no held-out site to sweep it on): four
# labelled pages then weigh 200 of the corpus's 6,651 training examples (2,217 pages x 3
# renderings), about 3%: enough to learn a site's chrome without forgetting everyone else's.
FIXTURE_WEIGHT = 50.0


@dataclass(frozen=True)
class Example:
    """One rendered corpus page, segmented into blocks with their alignment labels."""

    key: str
    group: str
    renderer: str
    lines: list[str]
    blocks: list[Block]
    labels: np.ndarray
    dom: LineDom | None = None  # the DOM features and groups of each line, for pages from HTML
    weight: float = 1.0  # the page's weight against a corpus page's (see FIXTURE_WEIGHT)


Renderer = Callable[[Record], str]


def example(
    record: Record, renderer: str, text: str, dom: LineDom | None = None, fragments: bool = True
) -> Example:
    """Segment a rendering of a record as the pipeline would (``fragments``: a text dump, whose
    sentences cut at inline elements are joined; not for declutter's own rendering of the HTML
    that the HTML model reads) and label its blocks against the gold."""
    lines = split_lines(text)
    blocks = segment(lines, fragments=fragments)
    labels = np.array(align([b.text for b in blocks], record.gold), dtype=bool)
    page = f"{record.dataset}/{record.id}"
    # Folds split by site, so a later stage never learns from scores of a site the earlier one saw.
    group = record.host or page
    return Example(f"{page}#{renderer}", group, renderer, lines, blocks, labels, dom)


def examples(records: Iterable[Record], renderers: dict[str, Renderer]) -> Iterator[Example]:
    """Every record under every renderer (records without gold or text are skipped)."""
    for record in records:
        if not record.gold.strip():
            continue
        for name, render in renderers.items():
            text = render(record)
            if text.strip():
                yield example(record, name, text)


def labelled_example(page: LabelledPage, weight: float = 1.0) -> Example:
    """A labelled page (a fixture) as a training example: a block is content when most of its
    lines are labelled title or body."""
    blocks = segment(page.lines, fragments=True)  # a fixture is a text dump
    content = page.content
    labels = np.array([2 * sum(content[b.start : b.end]) >= b.end - b.start for b in blocks], dtype=bool)
    key = f"{FIXTURE_RENDERER}/{page.name}"
    return Example(key, key, FIXTURE_RENDERER, page.lines, blocks, labels, None, weight)


def html_examples(records: Iterable[Record]) -> Iterator[Example]:
    """Every record's HTML rendered by declutter, with the DOM features of its lines."""
    from declutter.dom import render_page

    for record in records:
        if not record.gold.strip() or not record.html.strip():
            continue
        page = render_page(record.html)
        if page.text.strip():
            yield example(record, HTML_RENDERER, page.text, page.dom, fragments=False)


def new_text_model(seed: int = SEED) -> SGDClassifier:
    """An untrained text model."""
    return SGDClassifier(loss="log_loss", alpha=TEXT_ALPHA, max_iter=TEXT_EPOCHS, tol=None, random_state=seed)


def new_block_model(params: dict[str, Any] | None = None, seed: int = SEED) -> HistGradientBoostingClassifier:
    """An untrained gradient-boosting stage (``params``: default ``GB_PARAMS``)."""
    return HistGradientBoostingClassifier(random_state=seed, early_stopping=False, **(params or GB_PARAMS))


def block_weights(doc: Example) -> np.ndarray:
    """Training weight of each block: grows with its length (a long paragraph costs more tokens
    when misjudged, as in the token F1); a page's weights sum to its number of blocks."""
    lengths = np.array([len(b.text.split()) + 1 for b in doc.blocks], dtype=float) ** WEIGHT_POWER
    weights: np.ndarray = lengths / lengths.sum() * len(doc.blocks)
    return weights * DATASET_WEIGHTS.get(doc.key.split("/", 1)[0], 1.0) * doc.weight


def _concat_labels(docs: list[Example]) -> np.ndarray:
    return np.concatenate([d.labels for d in docs]).astype(int)


def _fold_indices(docs: list[Example]) -> list[tuple[np.ndarray, np.ndarray]]:
    groups = [d.group for d in docs]
    return list(GroupKFold(n_splits=FOLDS).split(np.zeros(len(docs)), groups=groups))


def _split_rows(values: np.ndarray, docs: list[Example]) -> list[np.ndarray]:
    bounds = np.cumsum([0] + [len(d.blocks) for d in docs])
    return [values[bounds[i] : bounds[i + 1]] for i in range(len(docs))]


def _oof_text_scores(
    per_doc: list[csr_matrix],
    docs: list[Example],
    weights: list[np.ndarray],
    folds: list[tuple[np.ndarray, np.ndarray]],
    seed: int,
) -> np.ndarray:
    labels = [d.labels.astype(int) for d in docs]
    scores: list[np.ndarray | None] = [None] * len(docs)
    for train_idx, test_idx in folds:
        model = new_text_model(seed).fit(
            vstack([per_doc[i] for i in train_idx]),
            np.concatenate([labels[i] for i in train_idx]),
            sample_weight=np.concatenate([weights[i] for i in train_idx]),
        )
        for i in test_idx:
            scores[i] = model.predict_proba(per_doc[i])[:, 1]
    return np.concatenate([s for s in scores if s is not None])


@dataclass
class Fitted:
    """The four stock sklearn estimators of a trained declutter model's chain."""

    text: SGDClassifier
    block: HistGradientBoostingClassifier
    smoother: HistGradientBoostingClassifier
    refiner: HistGradientBoostingClassifier | None  # None: a two-stage model (the HTML model)


@dataclass(frozen=True)
class Stacking:
    """What each chain's boosted stages learn from, page by page: the block features (with the
    text model's out-of-fold scores), what the smoother reads of the page, the labels and the
    block weights; and the folds and boosting settings."""

    feats: list[np.ndarray]
    pages: list[Any]
    labels: list[np.ndarray]
    weights: list[np.ndarray]
    folds: list[tuple[np.ndarray, np.ndarray]]
    params: dict[str, Any]


def _stack(
    inputs: list[np.ndarray],
    rows: Stacking,
    progress: Callable[[str], None],
    name: str,
    seed: int,
) -> tuple[HistGradientBoostingClassifier, list[np.ndarray]]:
    """Fit a gradient-boosting stage on every page and return it with its out-of-fold probabilities."""
    oof: list[np.ndarray] = [np.zeros(0)] * len(inputs)
    for train_idx, test_idx in rows.folds:
        model = new_block_model(rows.params, seed).fit(
            np.vstack([inputs[i] for i in train_idx]),
            np.concatenate([rows.labels[i] for i in train_idx]),
            sample_weight=np.concatenate([rows.weights[i] for i in train_idx]),
        )
        for i in test_idx:
            oof[i] = model.predict_proba(inputs[i])[:, 1]
        progress(f"{name}: fold done")
    final = _fit_all(inputs, rows, seed)
    progress(f"{name} fitted")
    return final, oof


def _fit_all(inputs: list[np.ndarray], rows: Stacking, seed: int) -> HistGradientBoostingClassifier:
    """A gradient-boosting stage fitted on every page's rows."""
    labels = np.concatenate(rows.labels).astype(int)
    return new_block_model(rows.params, seed).fit(
        np.vstack(inputs), labels, sample_weight=np.concatenate(rows.weights)
    )


def fit(
    docs: list[Example],
    progress: Callable[[str], None] = lambda _: None,
    refine: bool = True,
    seed: int = SEED,
    params: dict[str, Any] | None = None,
) -> Fitted:
    """Fit text model, block classifier, smoother and (``refine``) refiner, each next stage on
    out-of-fold inputs, on ``boosting.FIT_THREADS`` threads: one chain (``params``: the boosting
    settings, by default GB_PARAMS or for pages from HTML HTML_GB_PARAMS)."""
    with fit_threads():
        text_model, rows = _fit_text(docs, progress, seed, params or _boosting_params(docs))
    return Fitted(text_model, *_fit_chain(rows, refine, seed, progress))


def fit_members(
    docs: list[Example],
    members: int,
    progress: Callable[[str], None] = lambda _: None,
    refine: bool = True,
    jobs: int = 1,
) -> list[Fitted]:
    """Fit ``members`` chains, chain i with seed SEED + i, on ``jobs`` processes. Every fit runs
    on FIT_THREADS threads, so the chains are the same whatever ``jobs`` is (chain 0 is the one
    ``fit`` makes)."""
    seeds = [SEED + i for i in range(members)]
    if jobs <= 1 or members == 1:
        return [
            fit(docs, _chain_progress(progress, i, members), refine, seed) for i, seed in enumerate(seeds)
        ]
    from joblib import Parallel, delayed

    chains = []
    params = _boosting_params(docs)  # read here: a worker process sees the module as imported
    progress(f"fitting {members} chains (seeds {seeds[0]}-{seeds[-1]}) on {min(jobs, members)} processes")
    tasks = (delayed(fit)(docs, refine=refine, seed=seed, params=params) for seed in seeds)
    for i, chain in enumerate(Parallel(n_jobs=min(jobs, members), return_as="generator")(tasks)):
        progress(f"chain {i + 1} of {members} (seed {seeds[i]}) fitted")
        chains.append(chain)
    return chains


def _chain_progress(progress: Callable[[str], None], i: int, members: int) -> Callable[[str], None]:
    if members == 1:
        return progress
    return lambda message: progress(f"chain {i + 1} of {members}: {message}")


def _boosting_params(docs: list[Example]) -> dict[str, Any]:
    return HTML_GB_PARAMS if docs and docs[0].dom is not None else GB_PARAMS


def _fit_text(
    docs: list[Example], progress: Callable[[str], None], seed: int, params: dict[str, Any]
) -> tuple[SGDClassifier, Stacking]:
    """The text model, and the rows its out-of-fold scores give the boosted stages."""
    folds = _fold_indices(docs)
    y = _concat_labels(docs)
    progress(f"{len(docs)} documents, {len(y)} blocks, {y.mean():.3f} content")
    terms = [text_terms(d.blocks) for d in docs]
    weights = [block_weights(d) for d in docs]  # each block's, page by page, for every fit
    text_scores = _oof_text_scores(terms, docs, weights, folds, seed)
    progress("text model: out-of-fold scores done")
    text_model = new_text_model(seed).fit(vstack(terms), y, sample_weight=np.concatenate(weights))
    text_model = _stored(text_model)
    progress("text model fitted")
    feats = [
        featurize_page(d.blocks, d.lines, s, d.dom.features if d.dom else None)
        for d, s in zip(docs, _split_rows(text_scores, docs), strict=True)
    ]
    pages = [
        smoothing_page(t, f, block_groups(d.blocks, d.dom.groups) if d.dom else None)
        for d, t, f in zip(docs, terms, feats, strict=True)
    ]
    return text_model, Stacking(feats, pages, [d.labels for d in docs], weights, folds, params)


def _stored(text_model: SGDClassifier) -> SGDClassifier:
    """The text model as it is stored: its coefficients as TEXT_COEF_DTYPE."""
    text_model.coef_ = text_model.coef_.astype(TEXT_COEF_DTYPE)
    return text_model


def _fit_chain(
    rows: Stacking, refine: bool, seed: int, progress: Callable[[str], None] = lambda _: None
) -> tuple[
    HistGradientBoostingClassifier, HistGradientBoostingClassifier, HistGradientBoostingClassifier | None
]:
    """One chain's block model, smoother and (``refine``) refiner, on FIT_THREADS threads."""
    with fit_threads():
        block_model, first = _stack(rows.feats, rows, progress, "block model", seed)
        smooth_x = [
            smoothing_features(f, p, page) for f, p, page in zip(rows.feats, first, rows.pages, strict=True)
        ]
        if not refine:
            smoother = _fit_all(smooth_x, rows, seed)
            progress("smoother fitted")
            return block_model, smoother, None
        smoother, smoothed = _stack(smooth_x, rows, progress, "smoother", seed)
        del smooth_x
        refine_x = [
            refining_features(f, p, q, page)
            for f, p, q, page in zip(rows.feats, first, smoothed, rows.pages, strict=True)
        ]
        refiner = _fit_all(refine_x, rows, seed)
        progress("refiner fitted")
        return block_model, smoother, refiner


def as_model(fitted: Fitted | list[Fitted], path: Path = Path(MODEL_FILE), html: bool = False) -> Model:
    """The fitted estimators (one chain, or several averaged) as an (unsaved) Model, scored
    exactly as a loaded one is."""
    return Model(_estimators(fitted), DEFAULT_THRESHOLD, {"input": "html"} if html else {}, path)


def predict(
    fitted: Fitted | list[Fitted], blocks: list[Block], lines: list[str], dom: LineDom | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """First-stage and smoothed content probabilities of a document's blocks."""
    _, first, smoothed = as_model(fitted, html=dom is not None).probabilities(blocks, lines, dom)
    return first, smoothed


# Renderings of every training page the model learns from (see declutter.renderers).
TRAIN_RENDERERS = ("chromium", "lxml", "lxml-wrap72")
TRAIN_SPLITS = ("train",)
CHOICE_SPLIT = "dev"
# Thresholds tried on the dev split; the best token F1 is written to the manifest (0.9 and 0.95
# added when the HTML model peaked at the old top, 0.85).
THRESHOLD_GRID = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
# The presets' thresholds are swept wider: recall peaks low, precision high.
PRESET_GRID = (0.05, 0.1, 0.2, 0.3, *THRESHOLD_GRID, 0.97, 0.99)
# Each preset's threshold maximises F-beta of dev token precision and recall: beta 0.5 weighs
# precision twice as much as recall (favor_precision), beta 2 the reverse (favor_recall).
PRESET_BETAS = {"favor_precision": 0.5, "favor_recall": 2.0}
# The calibration's exponents, tried by weighted log-loss of p ** exponent on the dev blocks
# (dev: text 1.25, HTML 1.5; the probabilities of 0.5-0.9 were overconfident on both).
CALIBRATION_EXPONENTS = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
# Its margins, tried by dev token F1 (see declutter.cutoff).
CALIBRATION_MARGINS = (0.0, 0.02, 0.05, 0.1)
CALIBRATION_EPSILON = 1e-6
# A rescore (a rule changed, the model did not) keeps a threshold chosen before unless another
# beats it on dev by more than this: flat stretches of the sweep differ by less, which is noise
# beside retraining's seed-to-seed spread (sanity ±0.008 HTML, ±0.017 text). The first rescore with
# the caption and related-link rules would have moved the HTML threshold 0.75 -> 0.9 for +0.0006.
RESCORE_MARGIN = 0.001
# A first fit keeps the calibration (its best margin on dev) unless going without beats it on dev
# by more than this. Dev hardly tells them apart (the shipped models: +0.0003 text, +0.0002 HTML;
# an HTML retrain of FEATURE_VERSION 6 tied at 0.9748 and went without), but on unseen sites the
# calibrated cut-off was worth more, at the same threshold, for every model measured: shipped HTML
# sanity 0.9362 -> 0.9420, weak 0.7799 -> 0.7829; shipped text sanity 0.9117 -> 0.9152, aux
# 0.8961 -> 0.9004; that HTML retrain's sanity 0.929 -> 0.935-0.938 (margins 0.1 and 0.05).
# Measured with scripts/sweep_cutoffs.py.
CALIBRATION_TIE = 0.001


def _estimators(fitted: Fitted | list[Fitted]) -> dict[str, object]:
    """The estimators to persist: each stage's, or for several chains the list of theirs."""
    chains = fitted if isinstance(fitted, list) else [fitted]
    stages: dict[str, object] = {}
    for name in ("text", "block", "smoother", "refiner"):
        found = [getattr(chain, name) for chain in chains]
        if found[0] is not None:
            stages[name] = found[0] if len(found) == 1 else found
    return stages


def _dev_records(corpus_dir: Path, limit: int | None) -> list[Record]:
    return list(itertools.islice(iter_records(corpus_dir, (CHOICE_SPLIT,)), limit))


def _dev_cleaner(judge: Model) -> Declutter:
    """A cleaner of the dev pages with ``judge``: the Chromium dumps are text, whatever they
    quote; an HTML model reads the pages' HTML."""
    from declutter.pipeline import Declutter

    settings = Settings(input="html" if judge.reads_dom else "text", metadata=False)
    return Declutter.from_model(judge, settings, html_model=judge if judge.reads_dom else None)


def dev_score(records: list[Record], judge: Model, line_scores: bool = True) -> dict[str, Any]:
    """The pipeline's scores of ``records`` (dev, or another split) with ``judge``, as ``declutter
    eval`` gives them: on the Chromium dumps, or for an HTML model on the pages' HTML
    (``line_scores=False``: token scores only, without the alignment the line scores need)."""
    from declutter.evaluation import declutter_html, declutter_system, evaluate, to_json
    from declutter.renderers import chromium

    cleaner = _dev_cleaner(judge)
    if judge.reads_dom:
        results = evaluate(
            records, chromium, {}, {"declutter": declutter_html(cleaner)}, line_scores=line_scores
        )
    else:
        systems = {"declutter": declutter_system(cleaner)}
        results = evaluate(records, chromium, systems, {}, line_scores=line_scores)
    return dict(to_json(results)["declutter"])


def _dev_scores(
    records: list[Record], model: Model, thresholds: tuple[float, ...]
) -> dict[float, dict[str, Any]]:
    """The dev scores with ``model`` at each threshold."""
    return {t: dev_score(records, dataclasses.replace(model, threshold=t)) for t in thresholds}


def dev_blocks(records: Iterable[Record], model: Model) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every dev block's final probability, gold flag (its alignment to the gold text) and
    weight (its words): what a calibration is fitted on."""
    cleaner = _dev_cleaner(model)
    probabilities, flags, weights = [], [], []
    for record in records:
        raw = record.html if model.reads_dom else record.dump
        if not raw.strip():
            continue
        _, blocks, final = cleaner.block_probabilities(raw)
        probabilities.append(final)
        flags.append(np.array(align([b.text for b in blocks], record.gold), dtype=bool))
        weights.append(np.array([word_count(b.text) for b in blocks], dtype=np.float64))
    if not probabilities:
        raise ValueError("no dev page to calibrate on")
    return np.concatenate(probabilities), np.concatenate(flags), np.concatenate(weights)


def log_loss(chances: np.ndarray, flags: np.ndarray, weights: np.ndarray) -> float:
    """Weighted mean log-loss of chances against gold flags (chances clipped off 0 and 1)."""
    clipped = np.clip(chances, CALIBRATION_EPSILON, 1 - CALIBRATION_EPSILON)
    losses = -np.where(flags, np.log(clipped), np.log1p(-clipped))
    return float(np.average(losses, weights=weights))


def fit_exponent(
    probabilities: np.ndarray, flags: np.ndarray, weights: np.ndarray
) -> tuple[float, dict[str, float]]:
    """The exponent of CALIBRATION_EXPONENTS whose ``p ** exponent`` has the least weighted
    log-loss, and every exponent's loss."""
    losses = {
        e: log_loss(probabilities.astype(np.float64) ** e, flags, weights) for e in CALIBRATION_EXPONENTS
    }
    return min(losses, key=losses.__getitem__), {str(e): loss for e, loss in losses.items()}


def calibrate(
    records: list[Record],
    model: Model,
    uncalibrated: dict[str, Any],
    log: Callable[[str], None] = lambda _: None,
    current: Calibration | Literal["unchosen"] | None = "unchosen",
) -> tuple[Calibration | None, dict[str, Any]]:
    """Fit the model's calibration on the dev ``records``: the exponent by log-loss, then the
    margin by token F1 against ``uncalibrated`` (the dev scores without one, at the model's
    threshold). None when going without beats every margin by more than CALIBRATION_TIE, or when
    dev has no page. ``current``: what a rescore found chosen before (a calibration, or None for
    none), kept unless beaten by RESCORE_MARGIN; "unchosen" for a first choice. Returns the
    calibration and the metrics to record."""
    if not any((r.html if model.reads_dom else r.dump).strip() for r in records):
        log("calibration: no dev page to fit it on; none")
        return None, {"chosen": None, "fitted_on": CHOICE_SPLIT}
    exponent, losses = fit_exponent(*dev_blocks(records, model))
    log(f"calibration exponent {exponent} (dev log-loss {losses[str(exponent)]:.4f})")
    scores: dict[float, dict[str, Any]] = {}
    for margin in CALIBRATION_MARGINS:
        entry = Calibration(exponent, margin).as_manifest()
        scores[margin] = dev_score(records, with_manifest(model, calibration=entry))
    f1: dict[float | None, float] = {m: s["overall"]["token"]["f1"] for m, s in scores.items()}
    f1[None] = uncalibrated["overall"]["token"]["f1"]
    chosen = _best_margin(f1, current)
    log(f"calibration margin {chosen}: dev token F1 {f1[chosen]:.4f} (without: {f1[None]:.4f})")
    metrics = {
        "exponent_log_loss": losses,
        "margin_sweep": {str(m): v for m, v in f1.items() if m is not None},
        "without": f1[None],
        "fitted_on": CHOICE_SPLIT,
        "chosen": None if chosen is None else str(chosen),
    }
    if chosen is None:
        return None, metrics
    return Calibration(exponent, chosen), {**metrics, CHOICE_SPLIT: scores[chosen]}


def _best_margin(
    f1: dict[float | None, float], current: Calibration | Literal["unchosen"] | None
) -> float | None:
    """The margin (None: no calibration) to use. A first choice: the margin with the best dev F1
    (the smallest of equals), unless going without beats it by more than CALIBRATION_TIE. A
    rescore: the current choice unless another beats it by more than RESCORE_MARGIN."""
    if current == "unchosen":
        margin = max((m for m in f1 if m is not None), key=f1.__getitem__)
        return margin if f1[None] - f1[margin] <= CALIBRATION_TIE else None
    best = max(f1, key=lambda m: (f1[m], m is None))
    was = current.margin if isinstance(current, Calibration) else None
    return was if was in f1 and f1[best] - f1[was] <= RESCORE_MARGIN else best


def with_manifest(model: Model, **entries: Any) -> Model:
    """The model with these manifest entries (None: removed)."""
    manifest = {k: v for k, v in {**model.manifest, **entries}.items() if v is not None}
    return dataclasses.replace(model, manifest=manifest)


def choose_threshold(
    records: list[Record],
    model: Model,
    log: Callable[[str], None] = lambda _: None,
    current: dict[str, float] | None = None,
) -> tuple[float, dict[str, Any]]:
    """Sweep the threshold on the dev ``records`` with the current pipeline; the best one and the
    metrics to record (with the sweep, and each preset's threshold under ``"presets"``).
    ``current``: the thresholds chosen before (``"threshold"`` and the presets' names), kept
    unless beaten by RESCORE_MARGIN."""
    scores = _dev_scores(records, model, PRESET_GRID)
    token = {t: scores[t]["overall"]["token"] for t in PRESET_GRID}
    chosen = current or {}
    best = _best(THRESHOLD_GRID, lambda t: token[t]["f1"], chosen.get("threshold"))
    log(f"threshold {best}: dev token F1 {token[best]['f1']:.4f}")
    f_betas = {name: {t: f_beta(token[t], beta) for t in PRESET_GRID} for name, beta in PRESET_BETAS.items()}
    presets = {name: _best(PRESET_GRID, fb.__getitem__, chosen.get(name)) for name, fb in f_betas.items()}
    metrics = {
        CHOICE_SPLIT: scores[best],
        "threshold_sweep": {
            str(t): {k: token[t][k] for k in ("precision", "recall", "f1")} for t in PRESET_GRID
        },
        "presets": {
            name: {"threshold": t, "beta": PRESET_BETAS[name], **token[t]} for name, t in presets.items()
        },
    }
    return best, metrics


def _best(grid: tuple[float, ...], score: Callable[[float], float], current: float | None) -> float:
    """The grid's best threshold by ``score``; ``current`` (if on the grid) unless beaten by more
    than RESCORE_MARGIN."""
    best = max(grid, key=score)
    if current in grid and score(best) - score(current) <= RESCORE_MARGIN:
        return current
    return best


def f_beta(score: dict[str, float], beta: float) -> float:
    """F-beta of a score's precision and recall."""
    precision, recall = score["precision"], score["recall"]
    if not precision or not recall:
        return 0.0
    return (1 + beta**2) * precision * recall / (beta**2 * precision + recall)


def train_and_save(
    corpus_dir: Path,
    output: Path,
    limit: int | None = None,
    log: Callable[[str], None] = lambda _: None,
    dev_limit: int | None = None,
    html: bool = False,
    jobs: int = 1,
    members: int | None = None,
) -> Path:
    """Train on the corpus, choose the threshold on dev, and write model + manifest to ``output``.

    ``html``: train the HTML model (declutter's rendering of each page's HTML, with DOM features)
    instead of the text-dump model. ``limit`` and ``dev_limit`` cut the training and dev pages
    (for quick tries and tests; the shipped models use neither). ``members``: how many chains the
    model averages (default TEXT_MEMBERS, or HTML_MEMBERS); ``jobs``: processes fitting them side
    by side (the model is the same for any number)."""
    records = iter_records(corpus_dir, TRAIN_SPLITS)
    if limit is not None:
        records = itertools.islice(records, limit)
    if html:
        docs = list(html_examples(records))
    else:
        docs = list(examples(records, {name: renderer(name) for name in TRAIN_RENDERERS}))
    members = members or (HTML_MEMBERS if html else TEXT_MEMBERS)
    fitted = fit_members(docs, members, log, refine=not html or HTML_REFINER, jobs=jobs)
    path = save_trained(
        fitted, docs, corpus_dir, output, log, html, {"train_pages": limit, "dev_pages": dev_limit}
    )
    return add_page_model(corpus_dir, path, log, limit=dev_limit)


def save_trained(
    fitted: Fitted | list[Fitted],
    docs: list[Example],
    corpus_dir: Path,
    output: Path,
    log: Callable[[str], None],
    html: bool,
    limits: dict[str, int | None],
) -> Path:
    """Choose the threshold of fitted estimators on dev and write them with their manifest."""
    dev_limit = limits.get("dev_pages")
    rendered = sorted(
        {d.renderer for d in docs}, key=[HTML_RENDERER, *TRAIN_RENDERERS, FIXTURE_RENDERER].index
    )
    provisional = as_model(fitted, output / (HTML_MODEL_FILE if html else MODEL_FILE), html)
    estimators = provisional.estimators
    best, metrics, calibration = choose_cutoffs(corpus_dir, provisional, dev_limit, log)
    extra = {
        "training": {
            "seed": SEED,
            "chains": _seeds(fitted),
            "gradient_boosting": HTML_GB_PARAMS if html else GB_PARAMS,
            "stages": list(estimators),
            "splits": list(TRAIN_SPLITS),
            "renderers": rendered,
            "documents": len({d.key.split("#")[0] for d in docs}),
            "sites": len({d.group for d in docs}),
            "examples": len(docs),
            "blocks": int(sum(len(d.blocks) for d in docs)),
            "datasets": licences(corpus_dir, TRAIN_SPLITS),
            "threshold_chosen_on": CHOICE_SPLIT,
            "limits": limits,
        },
        "presets": _presets(metrics),
        "metrics": metrics,
        **calibration,
    }
    return save(estimators, output, best, extra, html=html)


def choose_cutoffs(
    corpus_dir: Path,
    model: Model,
    dev_limit: int | None = None,
    log: Callable[[str], None] = lambda _: None,
    current: dict[str, float] | None = None,
) -> tuple[float, dict[str, Any], dict[str, Any]]:
    """Choose the threshold and presets on dev without a calibration, then fit the calibration
    at that threshold: the threshold, the metrics, and the manifest's calibration entry ({} when
    going without is better). ``current``: as for ``choose_threshold`` (a rescore; then a
    calibration choice recorded in the manifest is kept unless beaten by RESCORE_MARGIN)."""
    records = _dev_records(corpus_dir, dev_limit)  # read once, for the threshold and the calibration
    uncalibrated = with_manifest(model, calibration=None)
    best, metrics = choose_threshold(records, uncalibrated, log, current)
    metrics["dev_pages"] = dev_limit
    judge = dataclasses.replace(uncalibrated, threshold=best)
    chosen_before = current is not None and "calibration" in model.manifest.get("metrics", {})
    before: Calibration | Literal["unchosen"] | None = model.calibration if chosen_before else "unchosen"
    calibration, fit = calibrate(records, judge, metrics[CHOICE_SPLIT], log, before)
    metrics["calibration"] = {k: v for k, v in fit.items() if k != CHOICE_SPLIT}
    if calibration is None:
        return best, metrics, {}
    metrics["uncalibrated"] = metrics[CHOICE_SPLIT]
    metrics[CHOICE_SPLIT] = fit[CHOICE_SPLIT]
    return best, metrics, {"calibration": calibration.as_manifest()}


def _seeds(fitted: Fitted | list[Fitted]) -> list[int]:
    """The seed of each chain (see fit_members)."""
    return [SEED + i for i in range(len(fitted) if isinstance(fitted, list) else 1)]


def _presets(metrics: dict[str, Any]) -> dict[str, float]:
    """Each preset's threshold, from the dev metrics."""
    return {name: preset["threshold"] for name, preset in metrics["presets"].items()}


def rescore(corpus_dir: Path, model_path: Path, log: Callable[[str], None] = lambda _: None) -> Path:
    """Re-measure the dev metrics of a trained model with the current pipeline (after a rule
    changed), re-choose its thresholds and refit its calibration (each choice kept unless beaten
    by RESCORE_MARGIN), rewriting its manifest; the model file is not touched. The page model
    reads what the line models keep: refit it after a rescore that moved them (--page-model)."""
    model = load(model_path)
    current = {"threshold": model.threshold, **model.manifest.get("presets", {})}
    best, metrics, calibration = choose_cutoffs(corpus_dir, model, None, log, current)
    manifest = {k: v for k, v in model.manifest.items() if k != "calibration"}
    manifest.update(threshold=best, presets=_presets(metrics), metrics=metrics, **calibration)
    write_manifest(model_path, manifest)
    return model_path


def train_on_fixtures(
    pages: list[LabelledPage],
    output: Path,
    corpus_dir: Path | None = None,
    limit: int | None = None,
    log: Callable[[str], None] = lambda _: None,
    weight: float = FIXTURE_WEIGHT,
    jobs: int = 1,
    members: int | None = None,
) -> Path:
    """Train a text model on labelled pages (``weight`` each), with the corpus's training pages
    when ``corpus_dir`` is given (``limit``: only the first N); write it and its manifest.

    With the corpus, the threshold and presets are chosen on its dev split and the page model is
    fitted as for the shipped model. Without it, the threshold is ``DEFAULT_THRESHOLD`` and there
    is no page model (``Document.is_article`` is None)."""
    docs = [labelled_example(page, weight) for page in pages if page.lines]
    if len(docs) < FOLDS and corpus_dir is None:
        raise LabelError(f"training needs at least {FOLDS} labelled pages, got {len(docs)}")
    if corpus_dir is not None:
        records = itertools.islice(iter_records(corpus_dir, TRAIN_SPLITS), limit)
        docs += list(examples(records, {name: renderer(name) for name in TRAIN_RENDERERS}))
    fitted = fit_members(docs, members or TEXT_MEMBERS, log, jobs=jobs)
    fixtures = {"pages": [p.name for p in pages], "weight": weight}
    if corpus_dir is None:
        training = {"seed": SEED, "chains": _seeds(fitted), "fixtures": fixtures, "threshold_chosen_on": None}
        extra = {"training": training}
        return save(_estimators(fitted), output, DEFAULT_THRESHOLD, extra)
    path = save_trained(
        fitted, docs, corpus_dir, output, log, False, {"train_pages": limit, "dev_pages": None}
    )
    manifest = read_manifest(path)
    write_manifest(path, {**manifest, "training": {**manifest["training"], "fixtures": fixtures}})
    return add_page_model(corpus_dir, path, log)
