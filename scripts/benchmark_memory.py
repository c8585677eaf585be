#!/usr/bin/env python3
"""Long-run memory benchmark: many documents through one ``Declutter``, resident memory sampled.

Every corpus page (all splits) is written once to a scratch directory as its Chromium dump and as
its HTML; the run then cycles through those files, reading each from disk, and passes them one at a
time to a single ``Declutter`` (shipped models, ``Settings(timeout=10)`` so the per-page timer runs
too), the way a long-running scraper would. The process's resident memory (VmRSS) is read every
``--every`` documents. Warm-up is the first ``--warm-up`` documents (more than one pass over the
pool, so every distinct page has been seen); growth is the change from the sample at the end of
warm-up to the last sample, and to the highest sample after it.

    python scripts/benchmark_memory.py --corpus ../shared/corpus [--docs 100000] [--json out.json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
from pathlib import Path

from declutter import Declutter, DeclutterError, Settings
from declutter.corpus import default_corpus_dir, iter_records

# Growth allowed after warm-up (issue 5's bar), in MB.
MAX_GROWTH_MB = 50.0


def rss_mb() -> float:
    """This process's resident memory now, in MB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def write_pool(corpus: Path, folder: Path) -> list[Path]:
    """Each corpus page's dump and HTML as files; their paths, dump and HTML alternating."""
    paths: list[Path] = []
    for number, record in enumerate(iter_records(corpus)):
        for suffix, content in ((".txt", record.dump), (".html", record.html)):
            if content.strip():
                path = folder / f"{number:05d}{suffix}"
                path.write_text(content, encoding="utf-8")
                paths.append(path)
    return paths


def run(paths: list[Path], docs: int, every: int) -> tuple[list[tuple[int, float, float]], int]:
    """Clean ``docs`` documents cycling through ``paths``; samples of (docs done, RSS MB, seconds)."""
    cleaner = Declutter(Settings(timeout=10))
    samples = [(0, rss_mb(), 0.0)]
    failed = 0
    started = time.perf_counter()
    for done, path in enumerate(itertools.islice(itertools.cycle(paths), docs), 1):
        try:
            cleaner.run(path.read_bytes(), source=path.name)
        except DeclutterError:
            failed += 1
        if done % every == 0:
            samples.append((done, rss_mb(), time.perf_counter() - started))
            print(
                f"{done:>7} docs  {samples[-1][1]:8.1f} MB  {samples[-1][2]:7.0f} s",
                file=sys.stderr,
                flush=True,
            )
    return samples, failed


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=default_corpus_dir())
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--every", type=int, default=2_000, help="documents between memory samples")
    parser.add_argument("--warm-up", type=int, default=10_000, help="documents before growth is measured")
    parser.add_argument("--json", type=Path, help="write the samples and summary here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="declutter-memory-") as scratch:
        paths = write_pool(args.corpus, Path(scratch))
        print(f"pool: {len(paths)} documents (dumps and HTML)", file=sys.stderr)
        samples, failed = run(paths, args.docs, args.every)
    after = [s for s in samples if s[0] >= args.warm_up]
    base = after[0][1]
    summary = {
        "documents": args.docs,
        "pool": len(paths),
        "failed": failed,
        "seconds": round(samples[-1][2], 1),
        "rss_start_mb": round(samples[0][1], 1),
        "rss_after_warm_up_mb": round(base, 1),
        "rss_end_mb": round(after[-1][1], 1),
        "growth_end_mb": round(after[-1][1] - base, 1),
        "growth_peak_mb": round(max(s[1] for s in after) - base, 1),
        "max_growth_mb": MAX_GROWTH_MB,
    }
    summary["ok"] = summary["growth_peak_mb"] < MAX_GROWTH_MB
    print(json.dumps(summary, indent=1))
    if args.json:
        payload = {
            "summary": summary,
            "samples": [{"docs": d, "rss_mb": round(r, 1), "s": round(t, 1)} for d, r, t in samples],
        }
        args.json.write_text(json.dumps(payload, indent=1) + "\n")
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
