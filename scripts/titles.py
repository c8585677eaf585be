"""How often declutter finds a page's headline in its text dump (``Document.title``).

Counted on the pages whose headline is one of the dump's lines (normalised: NFKC, case-folded,
words only): the corpus record's title where it has one (sanity, weak), else, where the gold text
starts with the headline (its ``gold_covers`` says so: train, dev), the gold's first line.

    python scripts/titles.py --corpus ../shared/corpus --split dev [--limit N] [--input html]
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path

from declutter import Declutter, Settings
from declutter.corpus import Record, iter_records

# gold_covers phrases of the datasets whose gold text starts with the headline
HEADLINE_FIRST = ("title", "headline")


def normalised(text: str | None) -> str:
    """A title as compared: NFKC, case-folded, its words joined by single spaces."""
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text or "").casefold()))


def headline(record: Record) -> str | None:
    """The page's headline, if the corpus says what it is."""
    title = (record.extra or {}).get("title")
    if title:
        return str(title)
    covers = record.gold_covers.lower()
    if any(word in covers for word in HEADLINE_FIRST) and "removed" not in covers and record.gold.strip():
        return record.gold.strip().split("\n")[0]
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=None, help="at most this many counted pages")
    parser.add_argument("--input", choices=("text", "html"), default="text")
    args = parser.parse_args()
    cleaner = Declutter(Settings(input=args.input))
    counted = right = missing = 0
    for record in iter_records(args.corpus, (args.split,)):
        want = headline(record)
        lines = record.dump.split("\n") if record.dump else []
        if want is None or normalised(want) not in map(normalised, lines):
            continue
        title = cleaner.run(record.html if args.input == "html" else record.dump).title
        counted += 1
        right += normalised(title) == normalised(want)
        missing += title is None
        if args.limit is not None and counted >= args.limit:
            break
    if not counted:
        print(f"{args.split}: no page with a known headline in its dump", file=sys.stderr)
        return 1
    other = counted - right - missing
    print(
        f"{args.split} ({args.input}): {counted} pages with the headline in the dump; "
        f"title right {right} ({right / counted:.3f}), none {missing}, another line {other}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
