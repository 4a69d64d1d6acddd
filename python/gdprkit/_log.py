"""The package's logger, ``logging.getLogger("gdprkit")``.

It records what the library decides (which call ran, how many rows, cells or
records it touched, what it found, how long it took) at INFO, and more detail
(per stage) at DEBUG. It never records a value: no identifier, cell value,
key, passphrase or caller text. Like every library logger it has only a
``NullHandler``; an application shows the records with
``logging.basicConfig(level=logging.INFO)`` or by adding a handler to the
``"gdprkit"`` logger.

Inside the package::

    with _log.timed("suppress") as entry:
        ...
        entry.update(cells=n, primary=p, secondary=s)

logs ``suppress: cells=400 primary=12 secondary=30 (0.12 s)`` when the block
ends without an exception (and ``suppress failed: CancelledError after 0.10 s``
at INFO when it does not).
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from typing import Dict, Iterator, Union

logger = logging.getLogger("gdprkit")
logger.addHandler(logging.NullHandler())

# Only numbers, booleans and the library's own names (methods, statuses) are
# logged: never caller text.
Count = Union[int, float, bool, str]


def _fields(counts: Dict[str, Count]) -> str:
    return " ".join(f"{k}={v}" for k, v in counts.items())


def decided(event: str, **counts: Count) -> None:
    """Logs `event` with `counts` at INFO (`event` and string counts must be
    the library's own words, never caller text)."""
    if logger.isEnabledFor(logging.INFO):
        logger.info("%s: %s", event, _fields(counts))


@contextmanager
def timed(event: str) -> Iterator[Dict[str, Count]]:
    """Times a block and logs `event` with the counts the block puts into the
    yielded dict, and the duration."""
    counts: Dict[str, Count] = {}
    start = time.perf_counter()
    try:
        yield counts
    except BaseException as e:
        if logger.isEnabledFor(logging.INFO):
            logger.info("%s failed: %s after %.3f s", event, type(e).__name__,
                        time.perf_counter() - start)
        raise
    if logger.isEnabledFor(logging.INFO):
        seconds = time.perf_counter() - start
        logger.info("%s: %s (%.3f s)", event, _fields(counts), seconds)
