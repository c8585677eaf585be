"""The ``declutter`` command: clean pages, train the model, evaluate it against baselines."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from declutter.errors import DeclutterError
from declutter.pipeline import Declutter
from declutter.settings import INPUT_KINDS, Settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
INPUT_SUFFIXES = (".txt", ".text", ".dump", ".html", ".htm")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="declutter", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    clean = commands.add_parser("clean", help="print or write the clean text of pages")
    clean.add_argument("paths", nargs="+", help="text dump files, directories, or - for stdin")
    clean.add_argument("-o", "--output", type=Path, help="output directory (needed for several inputs)")
    clean.add_argument("--format", choices=("text", "jsonl"), default="text")
    clean.add_argument(
        "--lines", action="store_true", help="jsonl: add every line's label, probability, reason"
    )
    clean.add_argument(
        "--threshold", type=_probability, help="content probability cut-off (default: the model's)"
    )
    clean.add_argument("--model", type=Path, help="model file (its manifest must sit beside it)")
    clean.add_argument("--html-model", type=Path, help="HTML model file (default: the shipped one)")
    clean.add_argument("--rules-only", action="store_true", help="no model: named rules alone")
    clean.add_argument(
        "--input", choices=INPUT_KINDS, default="auto", help="html or text (default: tell by the content)"
    )
    clean.add_argument("--encoding", help="the inputs' encoding, tried first (e.g. from an HTTP header)")

    train = commands.add_parser("train", help="train the model on the corpus")
    train.add_argument("--corpus", type=Path, help="corpus directory (default: ../shared/corpus)")
    train.add_argument("-o", "--output", type=Path, default=Path("models"))
    train.add_argument("--limit", type=int, help="use only the first N training pages (for a quick try)")
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
        help="do not train: re-choose the threshold and re-measure dev metrics of MODEL with the "
        "current rules, rewriting its manifest",
    )

    evaluate = commands.add_parser("eval", help="score declutter and baselines on a corpus split")
    evaluate.add_argument("--corpus", type=Path, help="corpus directory (default: ../shared/corpus)")
    evaluate.add_argument("--split", default="dev")
    evaluate.add_argument(
        "--renderer", default="chromium", help="chromium (the corpus dumps) or lxml, lxml-wrap72"
    )
    evaluate.add_argument(
        "--input",
        choices=("text", "html"),
        default="text",
        help="text: declutter reads the renderer's dump; html: it reads the page's HTML",
    )
    evaluate.add_argument("--model", type=Path)
    evaluate.add_argument("--html-model", type=Path)
    evaluate.add_argument("--threshold", type=_probability)
    evaluate.add_argument("--no-baselines", action="store_true")
    evaluate.add_argument("--json", type=Path, help="also write the scores as JSON here")
    return parser


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
        return _eval(args)
    except DeclutterError as error:
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


def _expand(paths: Sequence[str]) -> Iterator[tuple[str, Path | None]]:
    for name in paths:
        if name == "-":
            yield "-", None
            continue
        path = Path(name)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in INPUT_SUFFIXES:
                    yield str(child), child
        else:
            yield name, path


def _read(source: str, path: Path | None) -> bytes:
    if path is None:
        return sys.stdin.buffer.read()
    return path.read_bytes()


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual mode
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _output_name(source: str, path: Path | None, roots: Sequence[str]) -> Path:
    if path is None:
        return Path("stdin.txt")
    for root in roots:
        root_path = Path(root)
        if root_path.is_dir() and path.is_relative_to(root_path):
            return path.relative_to(root_path).with_suffix(".txt")
    return Path(path.name).with_suffix(".txt")


def _clean(args: argparse.Namespace) -> int:
    inputs = list(dict.fromkeys(_expand(args.paths)))
    if not inputs:
        print("declutter: error: no input files (.txt, .text, .dump, .html, .htm) found", file=sys.stderr)
        return EXIT_USAGE
    many = len(inputs) > 1 or any(Path(p).is_dir() for p in args.paths if p != "-")
    if many and args.format == "text" and args.output is None:
        print("declutter: error: several inputs need -o OUTDIR (or --format jsonl)", file=sys.stderr)
        return EXIT_USAGE
    if args.output is not None and args.format == "text":
        problem = _output_conflict(inputs, args.output, args.paths)
        if problem:
            print(f"declutter: error: {problem}", file=sys.stderr)
            return EXIT_USAGE
    settings = Settings(threshold=args.threshold, rules_only=args.rules_only, input=args.input)
    cleaner = Declutter(settings, model_path=args.model, html_model_path=args.html_model)
    failed = 0
    stream: TextIO = sys.stdout
    jsonl_path = args.output / "declutter.jsonl" if args.output and args.format == "jsonl" else None
    records: list[str] = []
    for source, path in inputs:
        try:
            doc = cleaner.run(_read(source, path), source=source, encoding=args.encoding)
        except (DeclutterError, OSError) as error:
            failed += 1
            print(f"declutter: {source}: {error}", file=sys.stderr)
            continue
        if args.format == "jsonl":
            record: dict[str, Any] = {"source": source, **doc.to_dict(lines=args.lines)}
            line = json.dumps(record, ensure_ascii=False)
            if jsonl_path is None:
                print(line, file=stream, flush=True)
            else:
                records.append(line)
        elif args.output is not None:
            _write_atomic(args.output / _output_name(source, path, args.paths), _with_newline(doc.text))
        else:
            stream.write(_with_newline(doc.text))
    if jsonl_path is not None:
        _write_atomic(jsonl_path, "".join(r + "\n" for r in records))
    if failed:
        print(f"declutter: {failed} of {len(inputs)} input(s) failed", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _with_newline(text: str) -> str:
    return text + "\n" if text else ""


def _output_conflict(inputs: list[tuple[str, Path | None]], output: Path, roots: Sequence[str]) -> str | None:
    """Why these inputs cannot be written to ``output``: an output would overwrite an input, or two
    inputs would share one output file."""
    sources = {path.resolve() for _, path in inputs if path is not None}
    seen: dict[Path, str] = {}
    for source, path in inputs:
        target = (output / _output_name(source, path, roots)).resolve()
        if target in sources:
            return f"output {target} would overwrite an input; choose another -o"
        if target in seen:
            return f"{seen[target]} and {source} would both be written to {target}"
        seen[target] = source
    return None


def _train(args: argparse.Namespace) -> int:
    from declutter.corpus import default_corpus_dir
    from declutter.training import rescore, train_and_save

    corpus = args.corpus or default_corpus_dir()
    if args.rescore:
        path = rescore(corpus, args.rescore, log=_log)
    else:
        path = train_and_save(corpus, args.output, limit=args.limit, log=_log, html=args.input == "html")
    print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK


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
    from declutter.renderers import renderer

    settings = Settings(threshold=args.threshold, input=args.input, metadata=False)
    cleaner = Declutter(settings, model_path=args.model, html_model_path=args.html_model)
    line_systems: dict[str, LineSystem] = {}
    text_systems: dict[str, TextSystem] = {}
    if args.input == "html":
        text_systems["declutter"] = declutter_html(cleaner)
    else:
        line_systems["declutter"] = declutter_system(cleaner)
    if not args.no_baselines:
        line_systems |= {"keep-all": keep_all, "c4-rules": c4_rules}
        text_systems["trafilatura"] = trafilatura_html
    records = iter_records(args.corpus or default_corpus_dir(), (args.split,))
    results = evaluate(records, renderer(args.renderer), line_systems, text_systems, _progress)
    print(
        f"split {args.split}, declutter reads {args.input}, renderer {args.renderer} (for text and "
        "the line baselines); token = AEB 4-gram F1, line = content lines"
    )
    print(format_table(results))
    if args.json:
        _write_atomic(args.json, json.dumps(to_json(results), indent=2) + "\n")
    return EXIT_OK


def _progress(items: Any) -> Any:
    from tqdm import tqdm

    return tqdm(items, desc="pages", unit="page", file=sys.stderr, disable=not sys.stderr.isatty())
