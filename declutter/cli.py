"""The ``declutter`` command: clean pages, train the model, evaluate it against baselines."""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from declutter import batch, limits, outputs, sources
from declutter.batch import Job
from declutter.errors import DeclutterError, LabelError
from declutter.fallback import FALLBACKS
from declutter.ruleset import RulesError, RuleSet
from declutter.settings import INPUT_KINDS, Settings

if TYPE_CHECKING:
    from declutter.pipeline import Declutter

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="declutter", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    clean = commands.add_parser("clean", help="print or write the clean text of pages")
    clean.add_argument(
        "paths",
        nargs="+",
        help="pages (.txt .html .htm), JSONL (.jsonl) and WARC (.warc) files, each optionally .gz; "
        "directories (searched recursively); - for stdin",
    )
    clean.add_argument("--glob", help="only files under directories whose relative path matches this")
    clean.add_argument(
        "-o",
        "--output",
        type=Path,
        help="output directory: a .txt per page mirroring the inputs, or with --format jsonl "
        "part-NNNNN.jsonl.gz shards; errors.jsonl beside them",
    )
    clean.add_argument("--format", choices=("text", "jsonl"), default="text")
    clean.add_argument(
        "--lines", action="store_true", help="jsonl: add every line's label, probability, reason"
    )
    _add_batch_options(clean)
    clean.add_argument(
        "--threshold", type=_probability, help="content probability cut-off (default: the model's)"
    )
    _add_presets(clean)
    _add_model_options(clean)
    clean.add_argument("--rules-only", action="store_true", help="no model: named rules alone")
    clean.add_argument("--rules", type=Path, metavar="FILE", help="user keep/drop rules (TOML), applied last")
    clean.add_argument(
        "--articles-only",
        action="store_true",
        help="no text for pages that are not articles (home pages, section indexes, listings)",
    )
    clean.add_argument(
        "--input", choices=INPUT_KINDS, default="auto", help="html or text (default: tell by the content)"
    )
    clean.add_argument("--encoding", help="the inputs' encoding, tried first (e.g. from an HTTP header)")
    _add_fallback(clean)

    label = commands.add_parser("label", help="write each page's lines with the model's labels, to correct")
    label.add_argument("paths", nargs="+", help="pages, JSONL or WARC files, directories (as for clean)")
    label.add_argument("-o", "--output", type=Path, required=True, help="directory for the .tsv drafts")
    label.add_argument("--glob", help="only files under directories whose relative path matches this")
    label.add_argument("--input", choices=INPUT_KINDS, default="auto", help="html or text (default: guess)")
    label.add_argument("--overwrite", action="store_true", help="replace drafts already in -o")
    _add_model_options(label)

    train = commands.add_parser("train", help="train the model on the corpus and/or labelled pages")
    train.add_argument(
        "--corpus",
        type=Path,
        help="corpus directory (default: ../shared/corpus; with --fixtures, only when given)",
    )
    train.add_argument(
        "--fixtures",
        type=Path,
        metavar="DIR",
        help="labelled pages (*.tsv, label<TAB>line) to train on, e.g. corrected declutter label drafts",
    )
    train.add_argument(
        "--fixture-weight",
        type=float,
        default=None,
        help="how many corpus pages one labelled page weighs (default: %(default)s → FIXTURE_WEIGHT)",
    )
    train.add_argument("-o", "--output", type=Path, default=Path("models"))
    train.add_argument("--limit", type=int, help="use only the first N training pages (for a quick try)")
    train.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=1,
        help="processes fitting the text model's chains side by side (-1: one per core); the "
        "model is the same for any number",
    )
    train.add_argument(
        "--chains",
        type=int,
        default=None,
        help="how many chains (each fitted with its own seed) the model averages (default 1; "
        "each costs a chain's training time, about 45 minutes on one core; see README)",
    )
    train.add_argument(
        "--input",
        choices=("text", "html"),
        default="text",
        help="text: the text-dump model; html: the HTML model (DOM features, declutter's rendering)",
    )
    train.add_argument(
        "--rescore",
        type=Path,
        metavar="MODEL",
        help="do not train: re-choose the threshold, refit the calibration and re-measure dev "
        "metrics of MODEL with the current rules, rewriting its manifest (then --page-model)",
    )
    train.add_argument(
        "--page-model",
        type=Path,
        metavar="MODEL",
        help="do not train the line model: fit MODEL's page model (is the page an article?) on the "
        "corpus's labelled pages, rewriting MODEL and its manifest",
    )

    evaluate = commands.add_parser("eval", help="score declutter and baselines on a corpus split")
    evaluate.add_argument("--corpus", type=Path, help="corpus directory (default: ../shared/corpus)")
    evaluate.add_argument(
        "--fixtures",
        type=Path,
        metavar="DIR",
        help="score on these labelled pages (*.tsv) instead of the corpus (text models)",
    )
    evaluate.add_argument("--split", default="dev")
    evaluate.add_argument(
        "--renderer",
        default="chromium",
        help="chromium (the corpus dumps), lxml, lxml-wrap72, lynx, w3m, soup (BeautifulSoup's text), "
        "html2text or markdownify",
    )
    evaluate.add_argument(
        "--input",
        choices=("text", "html"),
        default="text",
        help="text: declutter reads the renderer's dump; html: it reads the page's HTML",
    )
    _add_model_options(evaluate)
    evaluate.add_argument("--threshold", type=_probability)
    _add_presets(evaluate)
    _add_fallback(evaluate)
    evaluate.add_argument("--no-baselines", action="store_true")
    evaluate.add_argument("--json", type=Path, help="also write the scores as JSON here")
    return parser


def _add_batch_options(clean: argparse.ArgumentParser) -> None:
    """Options for many pages: record fields, limits, workers, shards, resuming."""
    fields = sources.Fields()
    clean.add_argument(
        "--html-field", action="append", help=f"JSONL field holding HTML (default: {', '.join(fields.html)})"
    )
    clean.add_argument(
        "--text-field",
        action="append",
        help=f"JSONL field holding a text dump (default: {', '.join(fields.text)})",
    )
    clean.add_argument("--id-field", default=fields.id, help="JSONL field holding the record id")
    clean.add_argument("--url-field", default=fields.url, help="JSONL field holding the page URL")
    clean.add_argument(
        "--timeout", type=float, default=batch.DEFAULT_TIMEOUT, help="seconds per document (0: no limit)"
    )
    clean.add_argument(
        "--max-bytes", type=_positive, default=limits.DEFAULT_MAX_BYTES, help="largest document, in bytes"
    )
    clean.add_argument(
        "--max-lines", type=_positive, default=limits.DEFAULT_MAX_LINES, help="most lines in a document"
    )
    clean.add_argument("-j", "--jobs", type=int, default=1, help="worker processes (-1: one per core)")
    clean.add_argument("--scheduler", metavar="ADDRESS", help="run on this Dask cluster (declutter[dask])")
    clean.add_argument(
        "--shard-size", type=_positive, default=batch.DEFAULT_SHARD_SIZE, help="pages per shard"
    )
    clean.add_argument(
        "--chunk-size", type=_positive, default=batch.DEFAULT_CHUNK_SIZE, help="pages per worker task"
    )
    clean.add_argument("--resume", action="store_true", help="finish an interrupted run into the same -o")
    clean.add_argument("--overwrite", action="store_true", help="replace an earlier run's output in -o")
    clean.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")


def _add_model_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--model", type=Path, help="model file (its manifest must sit beside it)")
    command.add_argument("--html-model", type=Path, help="HTML model file (default: the shipped one)")
    command.add_argument(
        "--trust-model",
        action="store_true",
        help="unpickle whatever the model file holds (only for a model file you made yourself)",
    )


def _add_fallback(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--fallback",
        choices=FALLBACKS,
        help="HTML: also run trafilatura on pages declutter keeps little of, and where it keeps far "
        "less than trafilatura extracts, keep the lines it holds (text dumps: no effect; default: off)",
    )


def _add_presets(command: argparse.ArgumentParser) -> None:
    presets = command.add_mutually_exclusive_group()
    presets.add_argument(
        "--favor-precision",
        action="store_true",
        help="the model's threshold for precision first (best F0.5 on dev)",
    )
    presets.add_argument(
        "--favor-recall", action="store_true", help="the model's threshold for recall first (best F2 on dev)"
    )


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive integer")
    return number


def _probability(value: str) -> float:
    number = float(value)
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is not a probability in [0, 1]")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "clean":
            return _clean(args)
        if args.command == "train":
            return _train(args)
        if args.command == "label":
            return _label(args)
        return _eval(args)
    except (RulesError, LabelError, outputs.OutputError) as error:  # a bad rules or TSV file, an occupied -o
        print(f"declutter: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except DeclutterError as error:  # a model that does not verify, a refused write (WriteFailed)
        print(f"declutter: error: {error}", file=sys.stderr)
        return EXIT_FAILED
    except (FileNotFoundError, ValueError) as error:
        print(f"declutter: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130


def _clean(args: argparse.Namespace) -> int:
    inputs = sources.expand(args.paths, args.glob)
    problem = _usage_problem(args, inputs)
    if problem:
        print(f"declutter: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    settings = Settings(
        threshold=args.threshold,
        favor_precision=args.favor_precision,
        favor_recall=args.favor_recall,
        rules_only=args.rules_only,
        rules=args.rules,
        articles_only=args.articles_only,
        input=args.input,
        timeout=args.timeout or None,
        max_bytes=args.max_bytes,
        max_lines=args.max_lines,
        fallback=args.fallback,
    )
    job = Job(settings, args.model, args.html_model, args.trust_model, args.lines, args.encoding)
    engine = _engine(args)
    engine.prepare(job)  # load and verify the models where they run: a bad model fails before any work
    fields = _fields(args)
    sink = _sink(args, inputs, job, fields)
    items = sources.read_all(inputs, fields, args.max_bytes)
    started = time.perf_counter()
    with _progress_bar(unit="doc") as bar:

        def observe(outcome: batch.Outcome) -> None:
            bar.update(1)
            if isinstance(outcome, sources.Failure):
                _report_failure(outcome, bar)

        totals = batch.run_batch(items, job, sink, engine, args.shard_size, args.chunk_size, observe=observe)
    report = sink.finish()
    if not args.quiet:
        _summarise(totals, time.perf_counter() - started, report)
    if totals.failed:
        print(f"declutter: {totals.failed} of {totals.documents} document(s) failed", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _usage_problem(args: argparse.Namespace, inputs: list[sources.Input]) -> str | None:
    """Why this ``clean`` command line cannot run, or None."""
    if not inputs:
        return "no inputs found (pages .txt .html .htm, .jsonl, .warc, each optionally .gz)"
    for name in args.paths:
        if name != "-" and not Path(name).exists():
            return f"{name}: no such file or directory"
    if args.output is None:
        if args.resume or args.overwrite:
            return "--resume and --overwrite need -o OUTDIR"
        one_page = len(inputs) == 1 and inputs[0].kind == "page" and not Path(args.paths[0]).is_dir()
        if args.format == "text" and not one_page:
            return "several pages need -o OUTDIR (or --format jsonl)"
    elif args.format == "text":
        return _output_conflict(inputs, args.output)
    if args.scheduler and args.jobs != 1:
        return "-j and --scheduler exclude each other (the cluster has its own workers)"
    return None


def _output_conflict(inputs: list[sources.Input], output: Path) -> str | None:
    """Why these inputs cannot be mirrored into ``output``: an output would overwrite an input, or
    two inputs would share one output file."""
    paths = {_real(source.path) for source in inputs if source.path is not None}
    seen: dict[Path, str] = {}
    for source in inputs:
        if source.kind != "page":
            continue
        target = _real(output / outputs.text_path(source.output))
        if target in paths:
            return f"output {target} would overwrite an input; choose another -o"
        if target in seen:
            return f"{seen[target]} and {source.name} would both be written to {target}"
        seen[target] = source.name
    return None


def _settings_plan(settings: Settings) -> dict[str, Any]:
    """The settings as a run plan records them (user rules by their file and content hash)."""
    plan = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)}
    if isinstance(settings.rules, RuleSet):
        digest = hashlib.sha256(settings.rules.text.encode("utf-8")).hexdigest()
        plan["rules"] = {"file": settings.rules.source, "sha256": digest}
    return plan


def _real(path: Path) -> Path:
    """The path with symlinks resolved as far as they go (a symlink loop stays as it is)."""
    return Path(os.path.realpath(path))


def _sink(
    args: argparse.Namespace, inputs: list[sources.Input], job: Job, fields: sources.Fields
) -> batch.Sink:
    if args.output is None:
        return outputs.Stream(sys.stdout, jsonl=args.format == "jsonl")
    plan = {
        "inputs": [source.name for source in inputs],
        "format": args.format,
        "shard_size": args.shard_size,
        "lines": args.lines,
        "settings": _settings_plan(job.settings),
        "models": [str(args.model), str(args.html_model)],
        "fields": dataclasses.asdict(fields),
        "max_bytes": args.max_bytes,
    }
    kind = outputs.Shards if args.format == "jsonl" else outputs.TextTree
    return kind(args.output, plan, resume=args.resume, overwrite=args.overwrite)


def _fields(args: argparse.Namespace) -> sources.Fields:
    default = sources.Fields()
    html = tuple(args.html_field or default.html)
    return sources.Fields(html, tuple(args.text_field or default.text), args.id_field, args.url_field)


def _engine(args: argparse.Namespace) -> batch.Engine:
    if args.scheduler:
        return batch.DaskCluster(args.scheduler)
    if args.jobs != 1:
        return batch.JoblibWorkers(args.jobs)
    return batch.Here()


def _report_failure(failure: sources.Failure, bar: Any) -> None:
    where = failure.source if failure.id == failure.source else f"{failure.source}: {failure.id}"
    bar.write(f"declutter: {where}: {failure.error}: {failure.message}", file=sys.stderr)


def _summarise(totals: batch.Totals, seconds: float, report: Path | None) -> None:
    """The run's summary on stderr."""
    share = totals.chars_kept / totals.chars_total if totals.chars_total else 0.0
    done_now = totals.documents - totals.resumed
    lines = [
        f"documents: {totals.documents} in, {totals.written} out, {totals.failed} failed"
        + (f" ({totals.resumed} finished by an earlier run)" if totals.resumed else ""),
        f"lines: {totals.lines_kept} kept, {totals.lines_total - totals.lines_kept} dropped; "
        f"characters kept: {share:.1%}",
        f"time: {seconds:.1f} s, {done_now / max(seconds, 1e-9):.1f} docs/s",
    ]
    if report is not None:
        lines.append(f"errors: {report}")
    for line in lines:
        print(f"declutter: {line}", file=sys.stderr)


def _progress_bar(unit: str) -> Any:
    from tqdm import tqdm

    return tqdm(unit=unit, file=sys.stderr, disable=not sys.stderr.isatty(), dynamic_ncols=True)


def _train(args: argparse.Namespace) -> int:
    from declutter.corpus import default_corpus_dir
    from declutter.training import rescore, train_and_save

    if args.chains is not None and args.chains < 1:
        _log("declutter: error: --chains must be 1 or more")
        return EXIT_USAGE

    if args.fixtures is not None:
        return _train_on_fixtures(args)
    corpus = args.corpus or default_corpus_dir()
    if args.rescore:
        path = rescore(corpus, args.rescore, log=_log)
    elif args.page_model:
        from declutter.page_training import add_page_model

        path = add_page_model(corpus, args.page_model, log=_log)
    else:
        path = train_and_save(
            corpus,
            args.output,
            limit=args.limit,
            log=_log,
            html=args.input == "html",
            jobs=_jobs(args.jobs),
            members=args.chains,
        )
    print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK


def _jobs(jobs: int) -> int:
    """A --jobs value as a process count (-1 or below: one per core)."""
    return (os.cpu_count() or 1) if jobs < 0 else max(jobs, 1)


def _train_on_fixtures(args: argparse.Namespace) -> int:
    from declutter.labelled import read_dir
    from declutter.training import FIXTURE_WEIGHT, train_on_fixtures

    if args.input == "html" or args.rescore or args.page_model:
        _log(
            "declutter: error: --fixtures trains a text model; not with --input html, --rescore, --page-model"
        )
        return EXIT_USAGE
    pages = read_dir(args.fixtures)
    weight = FIXTURE_WEIGHT if args.fixture_weight is None else args.fixture_weight
    _log(f"{len(pages)} labelled pages from {args.fixtures}, each weighing {weight:g} corpus pages")
    path = train_on_fixtures(
        pages, args.output, args.corpus, args.limit, _log, weight, _jobs(args.jobs), args.chains
    )
    _log(f"wrote {path}")
    return EXIT_OK


def _label(args: argparse.Namespace) -> int:
    from declutter.pipeline import Declutter

    inputs = sources.expand(args.paths, args.glob)
    problem = _output_conflict(inputs, args.output) or _drafts_in_the_way(inputs, args.output, args.overwrite)
    if problem:
        _log(f"declutter: error: {problem}")
        return EXIT_USAGE
    settings = Settings(input=args.input, metadata=False, timeout=batch.DEFAULT_TIMEOUT)
    cleaner = Declutter(settings, args.model, args.html_model, args.trust_model)
    failed = written = 0
    for item in sources.read_all(inputs):
        if isinstance(item, sources.Failure):
            _log(f"declutter: {item.source}: {item.error}: {item.message}")
            failed += 1
            continue
        if _write_draft(cleaner, item, _draft_path(args.output, item.output)):
            written += 1
        else:
            failed += 1
    _log(f"declutter: {written} drafts in {args.output}" + (f", {failed} failed" if failed else ""))
    return EXIT_FAILED if failed else EXIT_OK


def _drafts_in_the_way(inputs: list[sources.Input], output: Path, overwrite: bool) -> str | None:
    """A draft already in ``output`` (a person's corrections, maybe) that this run would replace."""
    if overwrite:
        return None
    for source in inputs:
        target = _draft_path(output, source.output)
        if source.kind == "page" and target.exists():
            return f"{target} exists (a corrected draft?); --overwrite replaces it"
    return None


def _draft_path(output: Path, page: PurePath) -> Path:
    """Where a page's draft goes: its output name under ``output``, with the ``.tsv`` suffix."""
    from declutter.labelled import SUFFIX

    return output / page.with_name(page.name + SUFFIX)


def _write_draft(cleaner: Declutter, page: sources.Page, target: Path) -> bool:
    """Write one page's TSV draft; False (reported) when declutter refuses the page."""
    from declutter.labelled import draft

    try:
        doc = cleaner.run(page.raw, page.source, page.encoding, page.input, page.url)
    except DeclutterError as error:
        _log(f"declutter: {page.source}: {error}")
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    outputs.write_atomic(target, draft(doc).encode("utf-8"))
    return True


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _eval(args: argparse.Namespace) -> int:
    from declutter.corpus import default_corpus_dir, iter_records
    from declutter.evaluation import (
        LineSystem,
        TextSystem,
        c4_rules,
        declutter_html,
        declutter_system,
        evaluate,
        format_table,
        keep_all,
        to_json,
        trafilatura_html,
    )
    from declutter.pipeline import Declutter
    from declutter.renderers import renderer

    if args.fallback and args.input != "html":
        print("declutter: error: --fallback reads the page's HTML; use it with --input html", file=sys.stderr)
        return EXIT_USAGE
    settings = Settings(
        threshold=args.threshold,
        favor_precision=args.favor_precision,
        favor_recall=args.favor_recall,
        input=args.input,
        metadata=False,
        fallback=args.fallback,
    )
    cleaner = Declutter(settings, args.model, args.html_model, args.trust_model)
    line_systems: dict[str, LineSystem] = {}
    text_systems: dict[str, TextSystem] = {}
    if args.input == "html":  # the system's name says the mode: in the table and in --json
        text_systems["declutter+fb" if args.fallback else "declutter"] = declutter_html(cleaner)
    else:
        line_systems["declutter"] = declutter_system(cleaner)
    if not args.no_baselines:
        line_systems |= {"keep-all": keep_all, "c4-rules": c4_rules}
        text_systems["trafilatura"] = trafilatura_html
    if args.fixtures is not None:
        return _eval_fixtures(args, line_systems)
    records = iter_records(args.corpus or default_corpus_dir(), (args.split,))
    results = evaluate(records, renderer(args.renderer), line_systems, text_systems, _progress)
    print(
        f"split {args.split}, declutter reads {args.input}"
        + (f" (fallback: {args.fallback})" if args.fallback else "")
        + f", renderer {args.renderer} (for text and "
        "the line baselines); token = AEB 4-gram F1, line = content lines"
    )
    print(format_table(results))
    if args.json:
        outputs.write_atomic(args.json, (json.dumps(to_json(results), indent=2) + "\n").encode())
    return EXIT_OK


def _eval_fixtures(args: argparse.Namespace, line_systems: dict[str, Any]) -> int:
    from declutter.evaluation import evaluate_labelled, format_table, to_json
    from declutter.labelled import read_dir

    if args.input == "html":
        print("declutter: error: --fixtures pages are text lines; not with --input html", file=sys.stderr)
        return EXIT_USAGE
    root = args.fixtures
    pages = [(_dataset(root, Path(p.name)), p) for p in read_dir(root)]
    results = evaluate_labelled(pages, line_systems)
    print(f"fixtures {root} ({len(pages)} pages); token = AEB 4-gram F1, line = content lines")
    print(format_table(results))
    if args.json:
        outputs.write_atomic(args.json, (json.dumps(to_json(results), indent=2) + "\n").encode())
    return EXIT_OK


def _dataset(root: Path, page: Path) -> str:
    """A labelled page's dataset: its directory under the fixtures root (the root's name at top)."""
    parent = page.parent.relative_to(root) if root.is_dir() else Path()
    return parent.as_posix() if parent.parts else root.name or "fixtures"


def _progress(items: Any) -> Any:
    from tqdm import tqdm

    return tqdm(items, desc="pages", unit="page", file=sys.stderr, disable=not sys.stderr.isatty())
