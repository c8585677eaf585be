"""``python -m declutter``: the command line."""

from declutter.cli import main

raise SystemExit(main())
