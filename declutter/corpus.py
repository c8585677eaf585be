"""Reading the shared training corpus (gzipped JSONL, one page per line)."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SPLITS = ("train", "dev", "weak", "aux", "sanity")
CORPUS_ENV = "DECLUTTER_CORPUS"


@dataclass(frozen=True)
class Record:
    """One corpus page: its HTML, its browser text dump and its gold article text."""

    id: str
    dataset: str
    split: str
    url: str
    host: str
    html: str
    dump: str
    gold: str
    licence: str
    gold_covers: str
    html_title: str
    language: str
    extra: dict[str, Any] = field(default_factory=dict)


def default_corpus_dir() -> Path:
    """The corpus directory: ``$DECLUTTER_CORPUS`` or ``../shared/corpus`` beside the project."""
    env = os.environ.get(CORPUS_ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def dataset_files(corpus_dir: Path) -> list[Path]:
    """The corpus's dataset files, sorted by name."""
    return sorted(Path(corpus_dir).glob("*.jsonl.gz"))


def _to_record(raw: dict[str, Any]) -> Record:
    return Record(
        id=str(raw.get("id", "")),
        dataset=str(raw.get("dataset", "")),
        split=str(raw.get("split", "")),
        url=str(raw.get("url") or ""),
        host=str(raw.get("host") or ""),
        html=raw.get("html") or "",
        dump=raw.get("dump_chromium") or "",
        gold=raw.get("gold") or "",
        licence=str(raw.get("licence") or ""),
        gold_covers=str(raw.get("gold_covers") or ""),
        html_title=str(raw.get("html_title") or ""),
        language=str(raw.get("language") or ""),
        extra=dict(raw.get("extra") or {}),
    )


def iter_records(
    corpus_dir: Path, splits: tuple[str, ...] | None = None, datasets: tuple[str, ...] | None = None
) -> Iterator[Record]:
    """Yield the corpus pages of the given splits and datasets, in file order."""
    files = dataset_files(corpus_dir)
    if not files:
        raise FileNotFoundError(f"no *.jsonl.gz dataset files in {corpus_dir}")
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                raw = json.loads(line)
                if splits and raw.get("split") not in splits:
                    continue
                if datasets and raw.get("dataset") not in datasets:
                    continue
                yield _to_record(raw)


def licences(corpus_dir: Path, splits: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """Per dataset of the given splits: its licence, gold coverage and page count."""
    out: dict[str, dict[str, Any]] = {}
    for rec in iter_records(corpus_dir, splits):
        entry = out.setdefault(
            rec.dataset, {"licence": rec.licence, "gold_covers": rec.gold_covers, "pages": 0}
        )
        entry["pages"] += 1
    return out
