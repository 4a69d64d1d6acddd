"""Finding Danish identifiers in free text: counts per row, and redaction.

>>> from gdprkit.scan import scan_identifiers, redact_identifiers
>>> found = scan_identifiers(["Pt. 010190-1234 ringede", "intet her"], as_of="2026-12-03")
>>> found.counts["cpr"].tolist()
[1, 0]
>>> redact_identifiers(["Pt. 010190-1234 ringede"], as_of="2026-12-03")
['Pt. [CPR] ringede']

The rules (which digit runs count, the CPR date and century check, CVR's and
GLN's check digits, provider numbers only after a cue such as "ydernr") are
the core's (``gdprkit/scan.h``, docs/release.md); results hold counts and row
numbers, never a found value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from . import _display, _gdprkit
from ._errors import ArgumentTypeError, InvalidArgumentError
from .identifiers import _as_of, _Column, _kind_number

if TYPE_CHECKING:
    import numpy
    import pandas

__all__ = ["SCAN_KINDS", "ScanCounts", "redact_identifiers", "scan_identifiers"]

_KIND_TABLE: Tuple[Tuple[int, str], ...] = tuple(_gdprkit.scan_kinds())

#: The kinds the scanner can find, in the order of its results.
SCAN_KINDS: Tuple[str, ...] = tuple(_gdprkit.id_kind_name(k) for k, _ in _KIND_TABLE)


def _options(kinds: Union[None, str, Iterable[Union[str, int]]], as_of: Any,
             require_modulus11: bool) -> Tuple[int, Tuple[int, int, int], bool]:
    bits = 0
    if kinds is not None:
        if isinstance(kinds, (str, int)):
            kinds = [kinds]
        for k in kinds:
            bits |= 1 << _kind_number(k)
        if bits == 0:
            raise InvalidArgumentError(
                "kinds is empty; leave it out (None) for the default kinds")
    return (bits, _as_of(as_of), bool(require_modulus11))


def _texts(texts: Any) -> _Column:
    if isinstance(texts, dict) or texts is None:
        raise ArgumentTypeError(
            "texts must be a str, a list, a NumPy array or a pandas Series, "
            f"not {type(texts).__name__}")
    col = _Column(texts, 0, "texts")
    for i, v in enumerate(col.items if isinstance(col.items, list) else ()):
        if v is not None and not isinstance(v, (str, bytes, float)):
            raise ArgumentTypeError(f"texts[{i}] is a {type(v).__name__}, not str")
    return col


class ScanCounts:
    """What :func:`scan_identifiers` found: per kind a NumPy array of counts,
    one per row (``counts["cpr"]``). Holds no text and no value."""

    __slots__ = ("counts", "kinds", "_labels")

    def __init__(self, counts: Dict[str, "numpy.ndarray"], kinds: Tuple[str, ...],
                 labels: Optional[Sequence[Any]]) -> None:
        self.counts = counts
        self.kinds = kinds
        self._labels = labels

    def __len__(self) -> int:
        first = next(iter(self.counts.values()), None)
        return 0 if first is None else int(first.shape[0])

    @property
    def totals(self) -> Dict[str, int]:
        """Identifiers found per kind over all rows."""
        return {k: int(v.sum()) for k, v in self.counts.items()}

    def rows(self, kind: Optional[str] = None) -> "numpy.ndarray":
        """Positions (0-based) of the rows with a finding (of `kind`, or any)."""
        import numpy as np

        if kind is not None:
            name = _gdprkit.id_kind_name(_kind_number(kind))
            if name not in self.counts:
                raise InvalidArgumentError(f"kind {name!r} was not scanned for")
            return np.flatnonzero(self.counts[name])
        total = np.zeros(len(self), dtype=np.uint64)
        for v in self.counts.values():
            total += v
        return np.flatnonzero(total)

    def __bool__(self) -> bool:
        return any(int(v.sum()) for v in self.counts.values())

    def frame(self) -> "pandas.DataFrame":
        """The counts as a DataFrame (one column per kind; the Series' index
        when the texts came as one)."""
        import pandas as pd

        index: Any = self._labels
        frame: "pandas.DataFrame" = pd.DataFrame(self.counts, index=index)
        return frame

    def __repr__(self) -> str:
        return _display.one_line("ScanCounts", rows=len(self),
                                 rows_with_findings=int(self.rows().shape[0]), **self.totals)

    def to_html(self, lang: str = "en") -> str:
        totals = self.totals
        rows = [(_gdprkit.id_kind_title(_kind_number(k), lang), totals[k],
                 int((self.counts[k] != 0).sum())) for k in self.kinds]
        return _display.block(
            "ScanCounts", f"{len(self)} rows, {int(self.rows().shape[0])} with findings",
            _display.table(["kind", "found", "rows"], rows))

    def _repr_html_(self) -> str:
        return self.to_html()


def _counts(raw: bytes, rows: int, kinds: Tuple[str, ...],
            labels: Optional[Sequence[Any]]) -> ScanCounts:
    import numpy as np

    block = np.frombuffer(raw, dtype=np.uint32).reshape(len(_KIND_TABLE), rows)
    counts = {name: block[slot] for slot, name in enumerate(SCAN_KINDS) if name in kinds}
    return ScanCounts(counts, kinds, labels)


def _kinds_of(bits: int) -> Tuple[str, ...]:
    if bits == 0:
        return tuple(k for k in SCAN_KINDS if k != "sor")
    return tuple(k for (n, _), k in zip(_KIND_TABLE, SCAN_KINDS) if bits & (1 << n))


def scan_identifiers(
    texts: Any,
    *,
    kinds: Union[None, str, Iterable[Union[str, int]]] = None,
    as_of: Any = None,
    require_modulus11: bool = False,
) -> ScanCounts:
    """Counts the identifiers in each text, by kind.

    `texts`: a str, a list, a NumPy array or a pandas Series of str (None and
    NaN: no text). `kinds`: names such as ``"cpr"``, ``"cvr"``, ``"gln"``,
    ``"provider_number"`` (``"ydernummer"``), ``"sor"``; default all but
    ``"sor"``. `as_of`: the date CPR numbers are judged on (a birth date after
    it is no CPR number); default today in Denmark. `require_modulus11`: only
    CPR numbers that pass modulus 11 (issued before October 2007).
    """
    options = _options(kinds, as_of, require_modulus11)
    col = _texts(texts)
    raw = _gdprkit.scan_counts(col.items, options)
    return _counts(raw, len(col.items), _kinds_of(options[0]), col.labels())


def redact_identifiers(
    texts: Any,
    *,
    kinds: Union[None, str, Iterable[Union[str, int]]] = None,
    as_of: Any = None,
    require_modulus11: bool = False,
) -> Any:
    """`texts` with each identifier replaced by a marker (``[CPR]``,
    ``[CVR]``, ``[GLN]``, ``[YDERNR]``, ``[SOR]``), in the container it came
    in (str, list, NumPy array, pandas Series). Missing values stay as they
    are. Arguments as :func:`scan_identifiers`."""
    options = _options(kinds, as_of, require_modulus11)
    col = _texts(texts)
    redacted: List[Any]
    redacted, _ = _gdprkit.scan_redact(col.items, options)
    return col.wrap(redacted)
