"""Per-document limits: size, line count and time, each a documented error when broken.

A page over a limit is refused with an error naming it, never half-judged: ``InputError`` for
size and line count (checked before the expensive work), ``DocumentTimeout`` for time.
"""

from __future__ import annotations

import contextlib
import ctypes
import threading
from collections.abc import Iterator

from declutter.errors import DocumentTimeout, InputError

# Largest page read, in bytes (a str counts its UTF-8 bytes). The corpus's largest page is about
# 2 MB of HTML; crawls hold multi-megabyte pages, and anything this large is a data file or an
# archive, not a web page. The same default as the CLI's --max-bytes.
DEFAULT_MAX_BYTES = 20_000_000
# Most lines judged in one page. Cost is linear in lines (about 0.2 ms and 4 KB each, measured on
# a 1,000,000-line dump: 173 s, 3.6 GB), so this bounds a page to roughly a minute and 1 GB; the
# corpus's longest dump has a few thousand lines.
DEFAULT_MAX_LINES = 250_000
# A raised DocumentTimeout can be swallowed where it lands (measured: inside hypothesis's garbage-
# collector callback, which ignores exceptions, the limit never stopped the page); it is raised
# again this often, in seconds, until the limited block ends.
REDELIVER_S = 0.05
# UTF-8 takes at most this many bytes per character.
MAX_UTF8_BYTES_PER_CHAR = 4


def check_size(raw: str | bytes, max_bytes: int | None, source: str) -> None:
    """Refuse a page larger than ``max_bytes`` (None: no limit)."""
    width = 1 if isinstance(raw, bytes) else MAX_UTF8_BYTES_PER_CHAR
    if max_bytes is None or len(raw) * width <= max_bytes:
        return
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise InputError(f"{source}: {size:,} bytes, over the limit of {max_bytes:,} (max_bytes)")


def check_lines(count: int, max_lines: int | None, source: str) -> None:
    """Refuse a page of more than ``max_lines`` lines (None: no limit)."""
    if max_lines is not None and count > max_lines:
        raise InputError(f"{source}: {count:,} lines, over the limit of {max_lines:,} (max_lines)")


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``DocumentTimeout`` in the block once ``seconds`` have passed (None or 0: no limit).

    A watcher thread raises the exception asynchronously in the calling thread, whichever thread
    that is, and withdraws it if the block ended first; no signal handler or process-wide timer is
    touched, so a host application's own SIGALRM is safe. The exception lands between Python
    bytecodes: one long call into C (a regex, libxml2) finishes before it does. Where it lands in a
    place that swallows exceptions (a garbage-collector callback, a ``__del__``, a broad
    ``except``), it is raised again every ``REDELIVER_S`` until the block ends."""
    if not seconds:
        yield
        return
    target = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    done = threading.Event()
    fired = False

    def watch() -> None:
        nonlocal fired
        wait = seconds
        while not done.wait(wait):
            with lock:
                if done.is_set():
                    return
                fired = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(DocumentTimeout))
            wait = REDELIVER_S

    watcher = threading.Thread(target=watch, name="declutter-time-limit", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        with lock:
            done.set()
            if fired:  # one may be set but not delivered yet: withdraw it
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)
