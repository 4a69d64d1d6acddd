"""``progress=`` of the long calls (suppress, audit, sweep, the vault's batch
calls).

``progress`` may be:

* ``False`` or ``None`` (default): nothing is shown;
* ``True``: a ``tqdm.auto`` bar per stage (a widget in Jupyter, text in a
  terminal); tqdm is an optional dependency (``pip install
  'gdprkit[progress]'``);
* a callable ``progress(stage, done, total)``: called at the start of each
  stage (``done == 0``), now and then, and at its end (``done == total``);
  returning ``False`` cancels the call, which then raises
  :class:`gdprkit.CancelledError` (an exception it raises cancels the call and
  is raised again).

The core calls the callback on the calling thread; see
``gdprkit/common.h``.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, Optional, Union

from ._errors import ArgumentTypeError
from ._optional import require

#: What a progress callback looks like.
Callback = Callable[[str, int, int], Optional[bool]]
#: What ``progress=`` accepts.
ProgressArg = Union[bool, None, Callback]


class _Bars:
    """One tqdm bar per stage, closed when its stage ends or the call ends."""

    def __init__(self, tqdm: Any, desc: str) -> None:
        self._tqdm = tqdm
        self._desc = desc
        self._bars: Dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> bool:
        bar = self._bars.get(stage)
        if bar is None:
            desc = self._desc if stage == self._desc else f"{self._desc}: {stage}"
            bar = self._tqdm(total=total, desc=desc, leave=True)
            self._bars[stage] = bar
        if bar.total != total:
            bar.total = total
        bar.update(done - bar.n)
        if done >= total:
            bar.close()
        return True

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()


@contextmanager
def callback(progress: ProgressArg, desc: str) -> Iterator[Optional[Callback]]:
    """The callable to hand to the extension for ``progress=`` (None when no
    progress is wanted); bars made for ``progress=True`` are closed when the
    block ends, also on an error."""
    if progress is None or progress is False:
        yield None
        return
    if progress is True:
        tqdm = require("tqdm.auto", extra="progress", what="progress=True").tqdm
        bars = _Bars(tqdm, desc)
        try:
            yield bars
        finally:
            bars.close()
        return
    if not callable(progress):
        raise ArgumentTypeError(
            f"progress must be True, False, None or a callable, not {type(progress).__name__}")
    yield progress
