#!/usr/bin/env python3
"""Batch benchmark: ``declutter clean`` end to end (JSONL.gz in, sharded JSONL.gz out) on text
dumps and on HTML with 1 and 2 workers, beside trafilatura.extract on the same HTML in the same
run; and the memory of a long run.

Throughput: N distinct corpus pages (default 1000 from the train split) are written to
``text.jsonl.gz`` (their Chromium dumps) and ``html.jsonl.gz`` (their HTML). Each declutter run is
a real ``declutter clean`` process; its docs/s is taken from its summary, whose clock starts once
the models are loaded where the pages are cleaned (in the process itself with 1 worker, in each
worker with 2), and its wall time, start-up and shut-down included, is reported beside it with the
ratios of wall times. Each configuration runs ``--rounds`` times, the rounds interleaved; the
medians are reported, with every run. trafilatura.extract runs in this
process over the same HTML, before and after declutter's runs; its rate is the mean of the two.

Memory (``--rss N``): N documents (corpus pages cycled, alternately dump and HTML) in one
``declutter clean -j 2`` run; the resident memory of the process and its workers is sampled every
half second and reported at points through the run, with the peak.

    python scripts/benchmark_batch.py --corpus ../shared/corpus [--pages 1000] [--rounds 3] [--rss 20000]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import trafilatura

from declutter.corpus import default_corpus_dir, iter_records

SUMMARY_RATE = re.compile(r"time: ([\d.]+) s, ([\d.]+) docs/s")
RSS_INTERVAL = 0.5  # seconds between memory samples
# Memory is "after warm-up" from this share of the run on: every distinct page has been seen
# once by then (20,000 documents cycle through the corpus's ~4,300 pages).
WARM_UP_SHARE = 0.3


def _write_jsonl(path: Path, records: list[dict[str, str]]) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _declutter(source: Path, out: Path, jobs: int, extra: list[str] | None = None) -> dict[str, float]:
    command = [sys.executable, "-m", "declutter", "clean", str(source), "-o", str(out), "--format", "jsonl"]
    command += ["-j", str(jobs), "--overwrite", *(extra or [])]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    match = SUMMARY_RATE.search(done.stderr)
    if done.returncode not in (0, 1) or not match:
        raise RuntimeError(f"declutter failed ({done.returncode}): {done.stderr[-2000:]}")
    return {"docs_per_s": float(match.group(2)), "wall_s": round(wall, 2), "exit": done.returncode}


def _trafilatura_rate(pages: list[str]) -> float:
    started = time.perf_counter()
    for page in pages:
        trafilatura.extract(page)
    return len(pages) / (time.perf_counter() - started)


def _median_run(runs: list[dict[str, float]]) -> dict[str, object]:
    """The median docs/s and wall time of a configuration's runs, and every run's."""
    return {
        "docs_per_s": statistics.median(r["docs_per_s"] for r in runs),
        "wall_s": statistics.median(r["wall_s"] for r in runs),
        "runs": runs,
    }


def throughput(corpus: Path, split: str, count: int, scratch: Path, n_rounds: int) -> dict[str, object]:
    """docs/s of declutter (text, HTML; 1 and 2 workers) and of trafilatura on the same pages."""
    records = [r for r in iter_records(corpus, (split,)) if r.dump and r.html][:count]
    _write_jsonl(scratch / "text.jsonl.gz", [{"id": r.id, "text": r.dump} for r in records])
    _write_jsonl(scratch / "html.jsonl.gz", [{"id": r.id, "html": r.html} for r in records])
    pages = [r.html for r in records]
    trafilatura.extract(pages[0])  # warm-up
    before = _trafilatura_rate(pages)
    rounds: dict[str, list[dict[str, float]]] = {}
    for _ in range(n_rounds):  # interleaved, so that machine noise hits every configuration alike
        for kind in ("text", "html"):
            for jobs in (1, 2):
                out = scratch / f"out-{kind}-{jobs}"
                run = _declutter(scratch / f"{kind}.jsonl.gz", out, jobs)
                rounds.setdefault(f"{kind}_j{jobs}", []).append(run)
    after = _trafilatura_rate(pages)
    theirs = (before + after) / 2
    runs = {name: _median_run(done) for name, done in rounds.items()}
    rate = {name: statistics.median(r["docs_per_s"] for r in done) for name, done in rounds.items()}
    wall = {name: statistics.median(r["wall_s"] for r in done) for name, done in rounds.items()}
    return {
        "pages": len(records),
        "split": split,
        "cores": os.cpu_count(),
        "trafilatura_docs_per_s": round(theirs, 1),
        "trafilatura_before_after": [round(before, 1), round(after, 1)],
        "declutter": runs,
        "text_j1_vs_trafilatura": round(rate["text_j1"] / theirs, 2),
        "html_j1_vs_trafilatura": round(rate["html_j1"] / theirs, 2),
        "text_j2_vs_j1": round(rate["text_j2"] / rate["text_j1"], 2),
        "html_j2_vs_j1": round(rate["html_j2"] / rate["html_j1"], 2),
        "text_j2_vs_j1_wall": round(wall["text_j1"] / wall["text_j2"], 2),
        "html_j2_vs_j1_wall": round(wall["html_j1"] / wall["html_j2"], 2),
    }


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        stack.extend(children.get(current, []))
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        total += int(match.group(1)) * 1024 if match else 0
    return total


def memory(corpus: Path, count: int, scratch: Path) -> dict[str, object]:
    """Resident memory through one run over ``count`` documents."""
    records = [r for r in iter_records(corpus) if r.dump and r.html]
    cycled = itertools.islice(itertools.cycle(records), count)
    rows = [
        {"id": f"{n}", "text": r.dump} if n % 2 else {"id": f"{n}", "html": r.html}
        for n, r in enumerate(cycled)
    ]
    source = scratch / "many.jsonl.gz"
    _write_jsonl(source, rows)
    command = [sys.executable, "-m", "declutter", "clean", str(source), "-o", str(scratch / "out-many")]
    command += ["--format", "jsonl", "-j", "2", "--overwrite"]
    started = time.perf_counter()
    run = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    samples: list[tuple[float, int]] = []
    while run.poll() is None:
        samples.append((time.perf_counter() - started, _tree_rss(run.pid)))
        time.sleep(RSS_INTERVAL)
    stderr = run.stderr.read() if run.stderr else ""
    seconds = time.perf_counter() - started
    # the run's last moments are the workers shutting down: the series stops at 95%
    shares = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
    at = {f"{round(share * 100)}%": _sample_at(samples, share * seconds) for share in shares}
    warm = [rss for moment, rss in samples if WARM_UP_SHARE * seconds <= moment <= 0.95 * seconds]
    return {
        "documents": count,
        "distinct_pages": len(records),
        "seconds": round(seconds, 1),
        "exit": run.returncode,
        "summary": [line for line in stderr.splitlines() if "documents:" in line or "docs/s" in line],
        "rss_mb_at_share_of_run": {k: round(v / 2**20) for k, v in at.items()},
        "rss_mb_peak": round(max(v for _, v in samples) / 2**20),
        "rss_mb_range_after_warm_up": [round(min(warm) / 2**20), round(max(warm) / 2**20)],
    }


def _sample_at(samples: list[tuple[float, int]], when: float) -> int:
    """The last sample taken at or before ``when``."""
    earlier = [rss for moment, rss in samples if moment <= when]
    return earlier[-1] if earlier else samples[0][1]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--split", default="train")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=1, help="runs of each declutter configuration (median)")
    parser.add_argument("--rss", type=int, default=0, help="also measure memory over this many documents")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    corpus = args.corpus or default_corpus_dir()
    with tempfile.TemporaryDirectory(prefix="declutter-bench-") as folder:
        scratch = Path(folder)
        result: dict[str, object] = {
            "throughput": throughput(corpus, args.split, args.pages, scratch, args.rounds)
        }
        print(json.dumps(result, indent=2), flush=True)
        if args.rss:
            result["memory"] = memory(corpus, args.rss, scratch)
            print(json.dumps(result["memory"], indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
