"""Retention: date arithmetic, schedules, sweeps over DataFrames, and the deletion log.

A policy's retention rules say how long the data of each purpose are kept: an
ISO 8601 period counted from collection or from an event, what happens at its
end, and events that end it early or lengthen it (``docs/retention.md``).

>>> import pandas as pd, gdprkit
>>> gdprkit.add_period("2025-11-30", "P15M")      # no 30 February: the month's last day
'2027-02-28'
>>> policy = gdprkit.Policy.load("examples/policies/kapsel.textproto")
>>> records = pd.DataFrame({
...     "id": ["practice-1", "practice-2"],
...     "purpose": ["quality-advice-data", "quality-advice-data"],
...     "collection": pd.to_datetime(["2019-03-01", "2019-03-01"]),
...     "provider_number_ended": pd.to_datetime([None, "2025-11-30"]),
... })
>>> result = gdprkit.sweep(records, policy=policy, on="2027-02-28", id="id", purpose="purpose")
>>> print(result[["id", "status", "due_date", "reason"]].to_string(index=False))
        id status   due_date         reason
practice-1   kept        NaT anchor-pending
practice-2    due 2027-02-28         period

The sweep converts the columns to int32 day numbers with NumPy and runs in
C++ with the GIL released: there is no Python loop per row. Times with a zone
are read as the civil date they fall on in Europe/Copenhagen unless another
``zone`` is given.

Bad input raises :class:`RetentionInputError` (an :class:`InvalidArgumentError`,
so also a :class:`ValueError`) naming the row and the column: an impossible
date, an event before collection, a hold released before it began. A sweep
never returns a partial answer without saying so: with ``errors="coerce"`` or
``errors="report"`` the invalid rows get status ``"invalid"`` and
``result.attrs["complete"]`` is False.

The sweep's summary, :class:`SweepReport` (``result.attrs["report"]``, or
:func:`report`), displays itself in Jupyter: counts per status with their
titles (``lang="da"``: in Danish), and the invalid rows by row and problem,
never their values. ``progress=True`` shows a bar; the ``gdprkit`` logger
records each sweep's counts and duration.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Union,
    overload,
)

import numpy as np

if TYPE_CHECKING:  # pandas is imported when a call needs it (_optional.pandas)
    import pandas
    import pandas as pd

from . import _args, _display, _gdprkit, _log, _optional, _progress
from ._args import PathArg
from ._errors import ArgumentTypeError, InvalidArgumentError, NotFoundError, error_class
from .identifiers import _arrow_kind, _Column
from .policy import Policy

__all__ = [
    "NO_DATE",
    "DEFAULT_ZONE",
    "STATUSES",
    "REASONS",
    "PROBLEMS",
    "ERRORS_MODES",
    "RetentionInputError",
    "RetentionSchedule",
    "ScheduleRule",
    "SweepReport",
    "InvalidRecord",
    "DeletionLog",
    "DeletionLogEntry",
    "DeletionLogVerification",
    "add_period",
    "report",
    "sweep",
    "titles",
    "to_days",
]

#: The int32 day number that means "no date" (INT32_MIN), as in the C ABI.
NO_DATE: int = _gdprkit.NO_DATE
#: The time zone in which times with a zone are read unless said otherwise.
DEFAULT_ZONE = "Europe/Copenhagen"
_NAMES: Dict[str, List[str]] = _gdprkit.retention_names()
#: Sweep statuses, in the order of their codes (the core's names).
STATUSES: Tuple[str, ...] = tuple(_NAMES["retention_status"])
#: Sweep reasons, in the order of their codes (the core's names).
REASONS: Tuple[str, ...] = tuple(_NAMES["retention_reason"])
#: What is wrong with an invalid record (the core's names, SweepReport.errors).
PROBLEMS: Tuple[str, ...] = tuple(_NAMES["record_problem"])
#: What ``errors=`` of :func:`sweep` takes: the common error modes (the
#: core's names; "fail" and "skip" are accepted for "raise" and "coerce").
ERRORS_MODES: Tuple[str, ...] = tuple(_gdprkit.error_mode_names())
_DUE = STATUSES.index("due")


@functools.lru_cache(maxsize=None)
def _titles(lang: str) -> Dict[str, Tuple[str, ...]]:
    return {k: tuple(v) for k, v in _gdprkit.retention_titles(lang).items()}


def titles(vocabulary: str, *, lang: str = "en") -> Dict[str, str]:
    """``{name: title}`` of a retention vocabulary in ``lang`` ("en" or
    "da"): "retention_status", "retention_reason", "retention_action" or
    "record_problem". The titles are the core's (one table for every door).

    >>> titles("retention_status", lang="da")["due"]
    'Skal slettes'

    Raises:
        InvalidArgumentError: an unknown language or vocabulary.
    """
    language = _args.language(lang)
    vocabulary = _args.choice(vocabulary, "vocabulary", tuple(_NAMES))
    return dict(zip(_NAMES[vocabulary], _titles(language)[vocabulary]))

# Row labels for messages: a DataFrame's index, or one label per value.
_Labels = Optional[Union[Sequence[Any], "pd.Index[Any]"]]

_MIN_DAY: int = _gdprkit.MIN_DATE
_MAX_DAY: int = _gdprkit.MAX_DATE
_NAT64 = np.iinfo(np.int64).min



class RetentionInputError(InvalidArgumentError):
    """Bad input at a row and column of a sweep (or of a date conversion).

    Attributes:
        row: the row's label (the DataFrame index, or its position for arrays).
        position: the row's 0-based position.
        column: the column (or argument) the bad value is in.
        invalid: how many rows are invalid in all (the message names the first).
    """

    def __init__(
        self,
        message: str,
        *,
        row: Any = None,
        position: Optional[int] = None,
        column: Optional[str] = None,
        invalid: int = 1,
    ) -> None:
        super().__init__(message)
        self.row = row
        self.position = position
        self.column = column
        self.invalid = invalid


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


def _looks_like_cpr(value: Any) -> bool:
    """True when a record id or row label passes as a CPR number.

    The core's one test (``contains_cpr_like``: any digits, separators and
    surrounding text, as the deletion log and the C++ messages use it). An
    integer is also read with its leading zero restored: a CPR number read
    from Excel or CSV as a number has lost it.
    """
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        if 0 < int(value) < 10**10 and _gdprkit.contains_cpr_like(f"{int(value):010d}"):
            return True
    return _gdprkit.contains_cpr_like(str(value))


def _shown(value: Any) -> str:
    """A name or label the caller gave (a column, a row label, a record id),
    quoted for a message, or the withheld marker when it looks like a CPR
    number."""
    return repr(_gdprkit.WITHHELD_IDENTIFIER if _looks_like_cpr(value) else value)


def _label(labels: _Labels, pos: int) -> Any:
    if labels is None:
        return pos
    value = labels[pos]
    return _gdprkit.WITHHELD_IDENTIFIER if _looks_like_cpr(value) else value


def _where(column: Optional[str], labels: _Labels, pos: int) -> str:
    pd = _optional.loaded("pandas")
    where = f"row {_label(labels, pos)!r}"
    if labels is not None and not (pd is not None and isinstance(labels, pd.RangeIndex)):
        where += f" (position {pos})"
    return where + (f", column {column!r}" if column is not None else "")


def _row_error(
    column: Optional[str], labels: _Labels, pos: int, message: str
) -> "RetentionInputError":
    """The error for the value at `pos` of `column`, naming row and column."""
    return RetentionInputError(
        f"{_where(column, labels, pos)}: {message}",
        row=_label(labels, pos),
        position=pos,
        column=column,
    )


# Argument checks beyond gdprkit._args: what the retention functions take.

_DATE_KINDS = ("a date (an ISO text 'YYYY-MM-DD', datetime.date, datetime, numpy.datetime64 "
               "or pandas.Timestamp)")
_ARRAY_TYPES: Tuple[type, ...] = (list, tuple, np.ndarray)


def _array_like(value: Any) -> bool:
    """True for one value per row: a list, tuple, NumPy array, pandas Series,
    Index or extension array (Categorical, ...), or an Arrow column (pyarrow,
    Polars, anything with the Arrow PyCapsule interface)."""
    pd = _optional.loaded("pandas")
    return isinstance(value, _ARRAY_TYPES) or (pd is not None and isinstance(
        value, (pd.Series, pd.Index, pd.api.extensions.ExtensionArray))) or (
        _arrow_kind(value) is not None)


def _arrow_series(value: Any, index: Any) -> Any:
    """An Arrow column that is not a pandas Series (pyarrow, Polars, ...) as an
    Arrow-backed pandas Series on `index`, without a copy of its buffers."""
    import pandas as pd
    import pyarrow as pa

    chunked = (value if isinstance(value, pa.ChunkedArray)
               else pa.chunked_array(value) if hasattr(value, "__arrow_c_stream__")
               else pa.chunked_array([pa.array(value)]))
    return pd.Series(pd.arrays.ArrowExtensionArray(chunked), index=index, copy=False)


def _zone(zone: Any) -> str:
    """The ``zone`` argument: a non-empty str of valid text. The core (or
    pandas) says whether it names a zone, when a time needs one."""
    return _args.text(zone, "zone", empty=False)


def _column_arg(value: Any, name: str) -> Any:
    """A column-name argument: None, a str (valid text) or an int label."""
    if value is None:
        return None
    if isinstance(value, str):
        return _args.text(value, name)
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return value
    raise ArgumentTypeError(f"{name} must be a column name (a str), not {type(value).__name__}")


def _scalar_day(value: Any, zone: str, what: str) -> int:
    """The day number of one date-like value (str, date, datetime, datetime64, Timestamp)."""
    if isinstance(value, str):
        _args.text(value, what)
        try:
            return int(_gdprkit.parse_datetime(value, zone))
        except InvalidArgumentError as e:
            raise RetentionInputError(f"{what}: {e}", column=what) from None
    if value is None or (isinstance(value, (_dt.date, np.datetime64)) and _optional.is_na(value)):
        raise RetentionInputError(f"{what}: no date given", column=what)
    if not isinstance(value, (_dt.date, np.datetime64)):
        raise ArgumentTypeError(f"{what} must be {_DATE_KINDS}, not {type(value).__name__}")
    if isinstance(value, np.datetime64):
        days = to_days(np.array([value]), zone=zone, column=what)
    else:
        one = np.empty(1, dtype=object)
        one[0] = value
        days = to_days(one, zone=zone, column=what)
    return int(days[0])


def _to_naive(values: Any, zone: str) -> Any:
    """Timezone-aware pandas times (a Series or an Index) as the civil times
    of `zone`, without a zone."""
    import pandas as pd
    try:
        if isinstance(values, pd.Series):
            return values.dt.tz_convert(zone).dt.tz_localize(None)
        return values.tz_convert(zone).tz_localize(None)
    except (KeyError, ValueError, TypeError) as e:  # an unknown zone (pytz, zoneinfo)
        # The core's message for a zone it cannot load; else pandas' kind of error.
        _gdprkit.parse_datetime("1970-01-01T00:00:00Z", zone)
        raise InvalidArgumentError(
            f"zone: pandas cannot convert times to this zone ({type(e).__name__})") from None


def _not_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _labels_arg(labels: Any) -> Any:
    """The ``labels`` argument of to_days: None or one label per value."""
    pd = _optional.loaded("pandas")
    if labels is None or isinstance(labels, range) or (
            pd is not None and isinstance(labels, pd.Index)):
        return labels
    if pd is not None and isinstance(labels, pd.Series):
        return pd.Index(labels)
    if isinstance(labels, _ARRAY_TYPES):
        return labels
    raise ArgumentTypeError(
        "labels must be one row label per value (a list, tuple, NumPy array or pandas Index) "
        f"or None, not {type(labels).__name__}")


def to_days(
    values: Any,
    *,
    zone: str = DEFAULT_ZONE,
    column: Optional[str] = None,
    labels: _Labels = None,
) -> "np.ndarray[Any, np.dtype[np.int32]]":
    """Converts dates to int32 day numbers (days since 1970-01-01; :data:`NO_DATE` for missing).

    Accepts a pandas Series or Index, a NumPy array or a list of: datetime64 of
    any unit (NaT is missing), timezone-aware timestamps (read as the civil date
    in ``zone``), ``datetime.date``/``datetime.datetime`` objects, and ISO texts
    ("2025-11-30", "2025-11-30T23:30:00Z"; "" and None are missing). Vectorised
    for datetime64 data; texts are parsed in C++.

    Raises:
        RetentionInputError: an impossible date ("2025-02-30") or a value that is
            not a date, naming the row and ``column``.
        InvalidArgumentError: a ``zone``, ``column`` that is not valid text,
            ``labels`` of another length than ``values``.
        ArgumentTypeError: ``zone``, ``column`` or ``labels`` of the wrong type.
    """
    pd = _optional.loaded("pandas")  # a Series or Index only if pandas is loaded
    zone = _zone(zone)
    column = _args.optional_text(column, "column")
    labels = _labels_arg(labels)
    arrow = _arrow_kind(values)
    if arrow is not None:
        if labels is None and arrow == "pandas":
            labels = values.index
        return _arrow_days(values, arrow, zone, column, labels)[1]
    if pd is not None and isinstance(values, (pd.Series, pd.Index)):
        if labels is None and isinstance(values, pd.Series):
            labels = values.index
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            values = _to_naive(values, zone)
        if values.dtype.kind == "M":
            arr = values.to_numpy()
        elif values.dtype.kind in "iufcb":
            raise RetentionInputError(
                f"column {column!r} holds {values.dtype} values, not dates; give datetime64, "
                "datetime.date or ISO texts",
                column=column,
            )
        else:
            arr = values.to_numpy(dtype=object, na_value=None)
    else:
        arr = np.asarray(values)
        if arr.dtype.kind not in "MO":
            if arr.dtype.kind in "US" or arr.dtype.kind == "T":
                arr = arr.astype(object)
            elif arr.size == 0:
                return np.empty(0, dtype=np.int32)
    if arr.ndim != 1:
        arr = arr.reshape(-1)
    if labels is not None and len(labels) != len(arr):
        raise InvalidArgumentError(
            f"labels has {len(labels)} values; values has {len(arr)}")
    if arr.dtype.kind == "M":
        return _datetime64_days(arr, column, labels)
    if arr.dtype.kind != "O":
        raise RetentionInputError(
            f"column {column!r} holds {arr.dtype} values, not dates; give datetime64, "
            "datetime.date or ISO texts",
            column=column,
        )
    return _object_days(arr, zone, column, labels)


def _arrow_days(
    values: Any, arrow: str, zone: str, column: Optional[str], labels: _Labels
) -> Tuple[str, "np.ndarray[Any, np.dtype[np.int32]]"]:
    """An Arrow column of dates (``arrow``: how it came, identifiers._arrow_kind)
    read by the core from its buffers (date32, date64, timestamps with or
    without a zone, ISO texts; src/common/arrow_dates.h): its kind ("date",
    "timestamp", "text") and int32 days. A row that is not a date raises
    :class:`RetentionInputError` naming row and column, never the value."""
    source = values.array.__arrow_array__() if arrow == "pandas" else values
    if labels is not None and len(labels) != len(source):
        raise InvalidArgumentError(f"labels has {len(labels)} values; values has {len(source)}")
    kind, days, bad, reason = _gdprkit.arrow_days(
        source, zone, f"column {column!r}" if column is not None else "dates")
    if days is None:
        raise _row_error(column, labels, int(bad), reason)
    return str(kind), days


_PER_DAY = {"D": 1, "h": 24, "m": 1440, "s": 86400, "ms": 86_400_000, "us": 86_400_000_000,
            "ns": 86_400_000_000_000}


def _datetime64_days(
    arr: "np.ndarray[Any, Any]", column: Optional[str], labels: _Labels
) -> "np.ndarray[Any, np.dtype[np.int32]]":
    unit, count = np.datetime_data(arr.dtype)
    if unit not in _PER_DAY or count != 1:
        arr = arr.astype("datetime64[s]")
        unit = "s"
    values = np.ascontiguousarray(arr).view(np.int64)
    out = np.empty(len(values), dtype=np.int32)
    bad = _gdprkit.datetimes_to_days(values, _PER_DAY[unit], out)
    if bad >= 0:
        raise _row_error(
            column, labels, bad, f"{arr[bad]} is not a date in 0001-01-01 ... 9999-12-31"
        )
    return out


def _missing(arr: "np.ndarray[Any, Any]") -> "np.ndarray[Any, np.dtype[np.bool_]]":
    """pandas' ``isna`` of each value: one call when pandas is loaded, else
    value by value (no value can be a pandas object then)."""
    pd = _optional.loaded("pandas")
    if pd is not None:
        return np.asarray(pd.isna(arr), dtype=bool)
    return np.fromiter((_optional.is_na(v) for v in arr), dtype=bool, count=len(arr))


def _kind_of(arr: "np.ndarray[Any, Any]", missing: "np.ndarray[Any, Any]") -> str:
    """What the values that are not missing are: "string", "date" or, when
    pandas is loaded, "datetime" and "datetime64" (what its ``infer_dtype``
    says; it is fast). Anything else, and times without pandas, is "mixed"
    and is read value by value."""
    pd = _optional.loaded("pandas")
    if pd is not None:
        return str(pd.api.types.infer_dtype(arr, skipna=True))
    present = arr[~missing]
    if all(isinstance(v, str) for v in present):
        return "string"
    if all(isinstance(v, _dt.date) and not isinstance(v, _dt.datetime) for v in present):
        return "date"
    return "mixed"


def _object_days(
    arr: "np.ndarray[Any, Any]", zone: str, column: Optional[str], labels: _Labels
) -> "np.ndarray[Any, np.dtype[np.int32]]":
    pd = _optional.loaded("pandas")
    missing = _missing(arr)
    if missing.all():
        return np.full(len(arr), NO_DATE, dtype=np.int32)
    kind = _kind_of(arr, missing)
    if kind == "string":
        return _text_days(_with_none(arr, missing).tolist(), None, zone, column, labels)
    if kind == "date":
        return _datetime64_days(
            np.array(_with_none(arr, missing).tolist(), dtype="datetime64[D]"), column, labels
        )
    ts = _pandas_times(arr, missing, column) if kind in ("datetime", "datetime64") else None
    if pd is not None and ts is not None:
        if isinstance(ts.dtype, pd.DatetimeTZDtype):
            ts = _to_naive(ts, zone)
        return _datetime64_days(ts.to_numpy(), column, labels)
    # Mixed or unknown content: name the first value that is not a date.
    for pos, value in enumerate(arr):
        if missing[pos] or isinstance(value, (str, _dt.date, np.datetime64)):
            continue
        # The type, not the value: it may be an identifier in the wrong column.
        raise _row_error(column, labels, pos,
                         f"a value of type {type(value).__name__} is not a date")
    # Texts parsed together by the core, the dates and times one by one.
    out = np.full(len(arr), NO_DATE, dtype=np.int32)
    is_text = np.array([isinstance(v, str) for v in arr], dtype=bool) & ~missing
    if is_text.any():
        out[is_text] = _text_days(arr[is_text].tolist(), np.flatnonzero(is_text), zone, column,
                                  labels)
    for row in np.flatnonzero(~is_text & ~missing):
        out[row] = _day_of(arr[row], zone, column, labels, int(row))
    return out


def _pandas_times(arr: "np.ndarray[Any, Any]", missing: "np.ndarray[Any, Any]",
                  column: Optional[str]) -> Optional["pd.Series[Any]"]:
    """Times (datetime, Timestamp, datetime64) as a datetime64 Series read by
    pandas (loaded: `kind` came from it), with a zone when they have zones;
    None when civil times and times with a zone are mixed (pandas would read
    the civil ones as UTC): they are read one by one."""
    import pandas as pd

    values = pd.Series(_with_none(arr, missing), dtype="object")
    times: pd.Series[Any]
    try:
        times = pd.to_datetime(values)
        return times
    except (ValueError, TypeError):
        pass  # several offsets, or civil times among times with a zone
    if any(isinstance(v, np.datetime64) or v.utcoffset() is None for v in arr[~missing]):
        return None
    try:
        times = pd.to_datetime(values, utc=True)
        return times
    except (ValueError, TypeError) as e:
        raise RetentionInputError(
            f"column {column!r}: cannot read the dates: {e}", column=column) from None


def _text_days(
    texts: List[Optional[str]], rows: Optional["np.ndarray[Any, Any]"], zone: str,
    column: Optional[str], labels: _Labels,
) -> "np.ndarray[Any, np.dtype[np.int32]]":
    """Texts (None: no date) parsed by the core; `rows` are their positions
    in the column (None: the texts are the column)."""
    days = np.empty(len(texts), dtype=np.int32)
    try:
        bad, message = _gdprkit.parse_dates(texts, zone, days)
    except UnicodeEncodeError:  # a lone surrogate: name its row, not the text
        bad = next(i for i, t in enumerate(texts) if t is not None and _not_unicode(t))
        message = "the text holds a lone surrogate (it is not valid Unicode), not a date"
    if bad >= 0:
        raise _row_error(column, labels, bad if rows is None else int(rows[bad]), message)
    return days


_EPOCH_ORDINAL = _dt.date(1970, 1, 1).toordinal()


def _day_of(value: Any, zone: str, column: Optional[str], labels: _Labels, pos: int) -> int:
    """The day number of one date, time (with a zone: the date it falls on in
    `zone`, as the core reads it) or datetime64, at row `pos`."""
    if isinstance(value, _dt.datetime) and value.utcoffset() is not None:
        try:
            t = value.astimezone(_dt.timezone.utc)
            return int(_gdprkit.parse_datetime(
                f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:"
                f"{t.second:02d}Z", zone))
        except (OverflowError, InvalidArgumentError):
            raise _row_error(column, labels, pos,
                             "the time does not fall in 0001-01-01 ... 9999-12-31") from None
    if isinstance(value, _dt.date):
        return value.toordinal() - _EPOCH_ORDINAL
    day = int(value.astype("datetime64[D]").astype(np.int64))
    if not _MIN_DAY <= day <= _MAX_DAY:
        raise _row_error(column, labels, pos,
                         f"{value} is not a date in 0001-01-01 ... 9999-12-31")
    return day


def _with_none(arr: "np.ndarray[Any, Any]", missing: "np.ndarray[Any, Any]"
               ) -> "np.ndarray[Any, Any]":
    """An object array with None where `missing`."""
    out = np.array(arr, dtype=object)
    out[missing] = None
    return out


def _days_to_datetime64(days: "np.ndarray[Any, Any]") -> "np.ndarray[Any, Any]":
    d = days.astype(np.int64)
    d[days == NO_DATE] = _NAT64
    return d.view("datetime64[D]")


@overload
def add_period(date: str, period: str, *, zone: str = ...) -> str: ...
@overload
def add_period(date: "pd.Timestamp", period: str, *, zone: str = ...) -> "pd.Timestamp": ...
@overload
def add_period(date: _dt.date, period: str, *, zone: str = ...) -> _dt.date: ...
@overload
def add_period(date: np.datetime64, period: str, *, zone: str = ...) -> np.datetime64: ...
@overload
def add_period(date: "pd.Series[Any]", period: str, *, zone: str = ...) -> "pd.Series[Any]": ...
@overload
def add_period(
    date: Union["pd.Index[Any]", "np.ndarray[Any, Any]", Sequence[Any]], period: str, *,
    zone: str = ...,
) -> "np.ndarray[Any, np.dtype[np.datetime64]]": ...


def add_period(date: Any, period: str, *, zone: str = DEFAULT_ZONE) -> Any:
    """Adds an ISO 8601 period to a date, or to each date of an array or Series.

    Years and months first, ending on the same day of the month or on the last
    day of the month where that day does not exist (2025-11-30 + P15M =
    2027-02-28; 2024-02-29 + P10Y = 2034-02-28), then weeks and days.

    Args:
        date: "YYYY-MM-DD" (or an ISO time, read in ``zone``), a
            ``datetime.date``/``datetime``, a ``numpy.datetime64``, a
            ``pandas.Timestamp``, or a Series, Index, array or list of them.
        period: "P14D", "P3M", "P15M", "P1Y6M", "P10Y", "P0D", ...

    Returns:
        The same kind as given (the overloads say so to a type checker): a
        text for a text, a ``datetime.date`` for a date or datetime,
        ``numpy.datetime64[D]`` for a datetime64, a Timestamp for a
        Timestamp, a datetime64 Series (same index) for a Series, and a
        ``datetime64[D]`` array for an Index, array, list or tuple. Missing
        values stay missing.

    Raises:
        InvalidArgumentError: an ill-formed period or an impossible date
            (:class:`RetentionInputError` naming the row for arrays); text
            that is not valid Unicode or holds a NUL character.
        ArgumentTypeError: ``date``, ``period`` or ``zone`` of the wrong
            type (a number is not a date).
    """
    pd = _optional.loaded("pandas")  # a Timestamp or Series only if pandas is loaded
    _args.text(period, "period")
    zone = _zone(zone)
    _gdprkit.parse_period(period)  # raises with the reason
    if date is None:
        raise RetentionInputError("date: no date given", column="date")
    arrow = _arrow_kind(date)
    if arrow is not None:
        return _add_period_arrow(date, arrow, period, zone)
    if not isinstance(date, (str, _dt.date, np.datetime64)) and not _array_like(date):
        raise ArgumentTypeError(
            f"date must be {_DATE_KINDS}, or a Series, Index, array or list of them; "
            f"not {type(date).__name__}")
    if isinstance(date, str):
        _args.text(date, "date")
        if len(date) == 10:
            return _gdprkit.add_period(date, period)
        day = _scalar_day(date, zone, "date")
        shifted = _add_days(np.array([day], dtype=np.int32), period, None, None)
        return _gdprkit.format_date(shifted[0])
    if pd is not None and isinstance(date, pd.Timestamp):
        day = _scalar_day(date, zone, "date")
        out = _add_days(np.array([day], dtype=np.int32), period, None, None)
        return pd.Timestamp(_days_to_datetime64(out)[0])
    if isinstance(date, (_dt.date, np.datetime64)):
        day = _scalar_day(date, zone, "date")
        out64 = _days_to_datetime64(_add_days(np.array([day], dtype=np.int32), period, None, None))
        if isinstance(date, np.datetime64):
            return out64[0]
        return out64[0].astype(object)
    if pd is not None and isinstance(date, pd.Series):
        days = to_days(date, zone=zone, column=str(date.name) if date.name is not None else None)
        out = _add_days(days, period, date.index, date.name)
        return pd.Series(_days_to_datetime64(out), index=date.index, name=date.name)
    days = to_days(date, zone=zone)
    return _days_to_datetime64(_add_days(days, period, None, None))


def _add_period_arrow(date: Any, arrow: str, period: str, zone: str) -> Any:
    """add_period of an Arrow column: days read and written by the core, the
    result in the same kind of container, Arrow-backed (dates stay date32,
    times become timestamp[s] at midnight as the pandas path gives
    datetime64 for datetime64, texts become date32); a pandas ``str`` Series
    (Arrow-backed in pandas 3) is read from its buffers and gives a
    datetime64 Series, as any Series of texts does."""
    labels = date.index if arrow == "pandas" else None
    name = getattr(date, "name", None)
    column = str(name) if arrow in ("pandas", "polars") and name is not None else None
    kind, days = _arrow_days(date, arrow, zone, column, labels)
    out = _add_days(days, period, labels, column)
    if arrow == "pandas":
        import pandas as pd

        if isinstance(date.dtype, pd.StringDtype):  # pandas 3's str: datetime64, as before
            return pd.Series(_days_to_datetime64(out), index=date.index, name=date.name)
    result = _gdprkit.days_to_arrow(out, "timestamp" if kind == "timestamp" else "date")
    pandas_dtype = None
    if arrow == "pandas":
        import pandas as pd
        import pyarrow as pa

        pandas_dtype = pd.ArrowDtype(pa.timestamp("s") if kind == "timestamp" else pa.date32())
    return _Column(date, 0)._wrap_arrow(result, pandas_dtype)


def _add_days(
    days: "np.ndarray[Any, Any]", period: str, labels: _Labels, column: Any
) -> "np.ndarray[Any, Any]":
    days = np.ascontiguousarray(days, dtype=np.int32)
    out = np.empty(len(days), dtype=np.int32)
    bad = _gdprkit.add_period_days(days, out, period)
    if bad >= 0:
        raise _row_error(column, labels, bad, f"day {days[bad]} is not a date")
    return out


# ---------------------------------------------------------------------------
# Schedules and sweeps
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleRule:
    """A compiled retention rule: its id, period ("" when none), anchor event,
    whether it deletes (DELETE_AFTER, RETAIN_THEN_DELETE) and/or keeps
    (RETAIN_AT_LEAST, RETAIN_THEN_DELETE), its action (the core's name:
    "delete_after", ...), and the events that end it early or extend it, as
    ``(event, period)`` pairs."""

    id: str
    period: str
    anchor: str
    deletes: bool
    keeps: bool
    action: str = ""
    ends_early: Tuple[Tuple[str, str], ...] = ()
    extended_by: Tuple[Tuple[str, str], ...] = ()


def _schedule_rule(t: Tuple[Any, ...]) -> ScheduleRule:
    rule_id, period, anchor, deletes, keeps, action, early, extended = t
    return ScheduleRule(rule_id, period, anchor, deletes, keeps, action,
                        tuple((str(e), str(p)) for e, p in early),
                        tuple((str(e), str(p)) for e, p in extended))


def _events_text(pairs: Tuple[Tuple[str, str], ...]) -> str:
    return ", ".join(f"{event} + {period}" for event, period in pairs)


class RetentionSchedule:
    """A policy's retention rules compiled for sweeps. Immutable and thread-safe.

    >>> schedule = RetentionSchedule.from_policy(policy)   # doctest: +SKIP
    >>> schedule.events                                     # doctest: +SKIP
    ('collection', 'provider_number_ended')

    Raises (at construction):
        InvalidArgumentError: a rule that cannot be read (an ill-formed period,
            ...), naming the rule and field.
    """

    __slots__ = ("_handle", "_rules", "_events", "source_name")

    def __init__(self, policy: Policy) -> None:
        if not isinstance(policy, Policy):
            raise ArgumentTypeError(
                f"policy must be a gdprkit.Policy, not {type(policy).__name__} "
                "(RetentionSchedule.from_policy also takes a policy file path)")
        self._handle = _gdprkit.RetentionScheduleHandle(policy._handle)
        self._rules = tuple(_schedule_rule(r) for r in self._handle.rules())
        self._events: Tuple[str, ...] = tuple(self._handle.events())
        self.source_name = policy.source_name

    @classmethod
    def from_policy(cls, policy: Union[Policy, PathArg]) -> "RetentionSchedule":
        """Compiles the retention rules of a policy (or of the policy file at a path).

        Raises:
            ArgumentTypeError: ``policy`` is neither a :class:`gdprkit.Policy`
                nor a path (str, bytes or os.PathLike).
            InvalidArgumentError: an empty path or one with a NUL byte, and
                whatever :meth:`gdprkit.Policy.load` raises for the file.
        """
        if not isinstance(policy, Policy):
            policy = Policy.load(_policy_path(policy))
        return cls(policy)

    @property
    def rules(self) -> Tuple[ScheduleRule, ...]:
        return self._rules

    @property
    def rule_ids(self) -> Tuple[str, ...]:
        return tuple(r.id for r in self._rules)

    @property
    def events(self) -> Tuple[str, ...]:
        """Event names: "collection" first, then those the rules name."""
        return self._events

    def resolve(self, selector: str) -> Tuple[str, ...]:
        """The rule ids of a selector: a rule id, a purpose id, or several joined by '+'.

        Raises:
            NotFoundError: an unknown id, with the nearest known ones.
            InvalidArgumentError: text that is not valid Unicode or holds a
                NUL character (ArgumentTypeError: not a str).
        """
        rules = self._handle.resolve(_args.text(selector, "selector"))
        return tuple(self._rules[i].id for i in rules)

    def __repr__(self) -> str:
        return _display.one_line("RetentionSchedule", rules=len(self._rules),
                                 events=len(self._events))

    def rules_frame(self, *, lang: str = "en") -> pd.DataFrame:
        """The rules as a DataFrame, one row per rule (index: the rule id):
        ``action`` (the core's name), ``action_title`` (in ``lang``),
        ``period``, ``anchor``, ``ends_early`` and ``extended_by`` (events
        with their periods)."""
        pd = _optional.pandas("RetentionSchedule.rules_frame")
        action_titles = titles("retention_action", lang=lang)
        frame: pandas.DataFrame = pd.DataFrame(
            {
                "action": [r.action for r in self._rules],
                "action_title": [action_titles.get(r.action, "") for r in self._rules],
                "period": [r.period for r in self._rules],
                "anchor": [r.anchor if r.period else "" for r in self._rules],
                "ends_early": [_events_text(r.ends_early) for r in self._rules],
                "extended_by": [_events_text(r.extended_by) for r in self._rules],
            },
            index=pd.Index([r.id for r in self._rules], name="rule"),
        )
        return frame

    def to_html(self, *, lang: str = "en") -> str:
        """The schedule as HTML: its rules (action titles in ``lang``) and
        events. Rule ids and event names are the policy's own words."""
        action_titles = titles("retention_action", lang=lang)
        rows = [(r.id, action_titles.get(r.action, ""), r.period or "-",
                 r.anchor if r.period else "-", _events_text(r.ends_early) or "-",
                 _events_text(r.extended_by) or "-") for r in self._rules]
        return _display.block(
            "Retention schedule",
            f"{_display.plural(len(self._rules), 'rule')}, "
            f"{_display.plural(len(self._events), 'event')}",
            _display.table(["rule", "action", "period", "anchor", "ends early", "extended by"],
                           rows),
            _display.table(["event"], [(e,) for e in self._events]))

    def _repr_html_(self) -> str:
        return self.to_html()

    def sweep(
        self,
        df: pd.DataFrame,
        *,
        on: Any,
        id: Optional[str] = None,
        purpose: Any = None,
        rule: Any = None,
        events: Optional[Mapping[str, Any]] = None,
        holds: Any = None,
        zone: str = DEFAULT_ZONE,
        errors: str = "raise",
        threads: int = 1,
        max_errors: int = 100,
        progress: _progress.ProgressArg = False,
        lang: str = "en",
    ) -> pd.DataFrame:
        """:func:`sweep` with this schedule (the same arguments but ``policy``)."""
        return sweep(df, policy=self, on=on, id=id, purpose=purpose, rule=rule, events=events,
                     holds=holds, zone=zone, errors=errors, threads=threads,
                     max_errors=max_errors, progress=progress, lang=lang)

    def explain(
        self,
        df: pd.DataFrame,
        row: Any,
        *,
        on: Any,
        id: Optional[str] = None,
        purpose: Any = None,
        rule: Any = None,
        events: Optional[Mapping[str, Any]] = None,
        holds: Any = None,
        zone: str = DEFAULT_ZONE,
        lang: str = "en",
    ) -> str:
        """Explains the decision for one row (by index label) line by line:
        each rule's arithmetic, the holds, the verdict's titles in ``lang``
        ("en" or "da") and last the verdict as :func:`sweep` gives it.

        Takes the record arguments of :func:`sweep`.

        Raises:
            NotFoundError: ``row`` is not exactly once in the index.
            ArgumentTypeError: ``row`` is not a label (a list, a dict, ...).
            InvalidArgumentError: the record's input is invalid; an unknown
                ``lang``.
        """
        _optional.pandas("RetentionSchedule.explain")
        language = _args.language(lang)
        try:
            hash(row)
        except TypeError:
            raise ArgumentTypeError(
                f"row must be a label of the DataFrame's index, not {type(row).__name__}"
            ) from None
        prepared = _prepare(self, df, on=on, id=id, purpose=purpose, rule=rule, events=events,
                            holds=holds, zone=zone)
        try:
            positions = np.flatnonzero(df.index.isin([row]))
        except (TypeError, ValueError, OverflowError):
            positions = np.empty(0, dtype=np.intp)
        if len(positions) != 1:
            raise NotFoundError(
                f"row {_shown(row)} is not (exactly once) in the DataFrame's index")
        text: str = self._handle.explain(prepared.records, int(positions[0]), prepared.as_of,
                                         language)
        return text


@dataclass
class _Prepared:
    records: Any  # the core's loaded records (RetentionRecordsHandle)
    event_columns: Dict[str, str]  # event -> the DataFrame's column
    hold_frame: Any  # the index of a frame of holds, or None
    as_of: int
    ids: Any
    id_name: Optional[str]


def _policy_path(policy: Any) -> bytes:
    """A policy file path given where a policy is expected, as
    :func:`gdprkit._args.path` checks it (no NUL byte, not empty)."""
    try:
        return _args.path(policy, "policy")
    except ArgumentTypeError:
        raise ArgumentTypeError(
            "policy must be a gdprkit.Policy, a RetentionSchedule or a policy file path "
            f"(str, bytes or os.PathLike), not {type(policy).__name__}") from None


def _schedule_of(policy: Any) -> RetentionSchedule:
    if isinstance(policy, RetentionSchedule):
        return policy
    return RetentionSchedule.from_policy(policy)


def _selectors(
    df: pd.DataFrame,
    purpose: Any,
    rule: Any,
) -> Tuple["np.ndarray[Any, Any]", List[str], str, bool]:
    """The selector as the core loads it: per row a code into a list of ids
    (-1: no rule), the column's name, and whether one id was given for every
    row. The core resolves the ids (LoadRecords)."""
    import pandas as pd
    if (purpose is None) == (rule is None):
        raise ArgumentTypeError(
            "give exactly one of purpose= and rule= (a column name, one id, or one id per row)")
    arg, value = ("purpose", purpose) if purpose is not None else ("rule", rule)
    n = len(df)
    if isinstance(value, str):
        _args.text(value, arg)
    elif not _array_like(value):
        raise ArgumentTypeError(
            f"{arg} must be a column name or one id (a str), or one id per row (a Series, "
            f"array or list), not {type(value).__name__}")
    elif _arrow_kind(value) is None and np.ndim(value) != 1:
        raise InvalidArgumentError(f"{arg} must hold one id per row (one dimension)")
    if isinstance(value, str) and value not in df.columns:
        return np.zeros(n, dtype=np.int32), [value], arg, True  # one id for every row
    if not isinstance(value, str) and _arrow_kind(value) not in (None, "pandas"):
        if len(value) != n:
            raise InvalidArgumentError(
                f"{arg} has {len(value)} values; the DataFrame has {n} rows")
        value = _arrow_series(value, df.index).rename(getattr(value, "name", None) or arg)
    if isinstance(value, str):
        column = value
        col = df[value]
    else:
        if len(value) != n:
            raise InvalidArgumentError(
                f"{arg} has {len(value)} values; the DataFrame has {n} rows")
        col = pd.Series(value, index=df.index) if not isinstance(value, pd.Series) else value
        column = str(col.name) if col.name is not None else arg
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = col.cat.codes.to_numpy()
        uniques = list(col.cat.categories)
    else:
        codes, uniq = pd.factorize(col, use_na_sentinel=True)
        uniques = list(uniq)
    codes = np.ascontiguousarray(codes, dtype=np.int32)
    used = np.bincount(codes[codes >= 0].astype(np.int64), minlength=len(uniques)) > 0
    values: List[str] = []
    for k, text in enumerate(uniques):
        if not used[k]:  # an unused category: the core never reads it
            values.append("")
            continue
        if not isinstance(text, str):
            pos = int(np.flatnonzero(codes == k)[0])
            raise _row_error(column, df.index, pos,
                             f"a value of type {type(text).__name__} is not a rule or purpose id")
        if _not_unicode(text) or "\0" in text:
            pos = int(np.flatnonzero(codes == k)[0])
            raise _row_error(column, df.index, pos,
                             "the id is not valid text (a lone surrogate or a NUL character)")
        values.append(text)
    return codes, values, column, False


def _did_you_mean(name: str, candidates: Sequence[str]) -> str:
    """The core's "; did you mean ...?" suffix (common/text.h), or ""."""
    return str(_gdprkit.did_you_mean(name, list(candidates), 3))


def _load_error(
    bad: Tuple[int, int, str, str], df: pd.DataFrame, selector: str, constant: Optional[str]
) -> Exception:
    """The error for a record the core could not load, from (status code,
    row, column, message): a bad date names row and column
    (RetentionInputError); an unknown id is the core's kind of error, named
    by the row (or by the argument, when one id was given for every row)."""
    code, pos, column, message = bad
    kind = error_class(code)
    if constant is not None and column == selector:
        return kind(f"{column}={_shown(constant)} is neither a column of the DataFrame nor a "
                    f"known id: {message}")
    if kind is InvalidArgumentError:
        return _row_error(column, df.index, pos, message)
    return kind(f"{_where(column, df.index, pos)}: {message}")


def _prepare(
    schedule: RetentionSchedule,
    df: pd.DataFrame,
    *,
    on: Any,
    id: Optional[str] = None,
    purpose: Any = None,
    rule: Any = None,
    events: Optional[Mapping[str, Any]] = None,
    holds: Any = None,
    zone: str = DEFAULT_ZONE,
) -> _Prepared:
    """The DataFrame's columns as the core loads them: dates are converted
    to day numbers here (NumPy, column by column); the core reads the
    selectors, checks the events and makes the holds (LoadRecords)."""
    import pandas as pd
    if not isinstance(df, pd.DataFrame):
        raise ArgumentTypeError(f"df must be a pandas DataFrame, not {type(df).__name__}")
    zone = _zone(zone)
    as_of = _scalar_day(on, zone, "on")
    id = _column_arg(id, "id")
    if id is not None and id not in df.columns:
        raise NotFoundError(f"id={_shown(id)} is not a column of the DataFrame" + _did_you_mean(
            str(id), [str(c) for c in df.columns]))
    codes, values, selector_column, constant = _selectors(df, purpose, rule)

    # Event columns: named explicitly, or the DataFrame's columns named after events.
    known = schedule.events
    if events is None:
        mapping = {e: e for e in known if e in df.columns}
    elif not isinstance(events, Mapping):
        raise ArgumentTypeError(
            "events must be a mapping {event name: column name or one date per row}, not "
            f"{type(events).__name__}")
    else:
        mapping = {}
        for event, source in events.items():
            _args.text(event, "an event name of events")
            if isinstance(source, str):
                _args.text(source, f"events[{event!r}]")
            elif not _array_like(source):
                raise ArgumentTypeError(
                    f"events[{event!r}] must be a column name or one date per row (a Series, "
                    f"array or list), not {type(source).__name__}")
            try:
                schedule._handle.find_event(event)
            except InvalidArgumentError as e:
                raise RetentionInputError(
                    f"events: {e}", column=str(source) if isinstance(source, str) else event
                ) from None
            mapping[event] = source
    event_columns: Dict[str, str] = {}
    converted: List[Tuple[str, str, "np.ndarray[Any, Any]"]] = []
    for event, source in mapping.items():
        if isinstance(source, str):
            if source not in df.columns:
                raise RetentionInputError(
                    f"events[{event!r}]: {source!r} is not a column of the DataFrame"
                    + _did_you_mean(source, [str(c) for c in df.columns]),
                    column=source,
                )
            dates = df[source]
            name = source
        else:
            dates = source
            name = event
            if len(dates) != len(df):
                raise InvalidArgumentError(
                    f"event {event!r} has {len(dates)} values; the DataFrame has {len(df)} rows")
        converted.append((event, name, to_days(dates, zone=zone, column=name, labels=df.index)))
        event_columns[event] = name

    hold_columns, hold_rows, hold_start, hold_end, hold_frame = _holds(df, holds, id, zone)
    records, bad = schedule._handle.load(
        selector_column, codes, values, converted, hold_columns, hold_rows, hold_start, hold_end)
    if bad is not None:
        raise _load_error(bad, df, selector_column, values[0] if constant else None)
    return _Prepared(
        records, event_columns, hold_frame, as_of, df[id] if id is not None else None, id)


def _holds(
    df: pd.DataFrame, holds: Any, id: Optional[str], zone: str
) -> Tuple[Any, Any, Any, Any, Any]:
    """The holds as the core loads them: (start column, its days, end column,
    its days) for at most one hold per row; or, for a frame of holds, the
    rows they hold with their start and end days, and the frame's index (for
    messages)."""
    import pandas as pd
    empty = np.empty(0, dtype=np.int32)
    if holds is None:
        return None, empty, empty, empty, None
    if isinstance(holds, (tuple, list)) and len(holds) == 2 and all(
        isinstance(c, str) for c in holds
    ):
        start_col, end_col = holds
        for c in (start_col, end_col):
            _args.text(c, "a column name of holds")
            if c not in df.columns:
                raise RetentionInputError(
                    f"holds: {c!r} is not a column of the DataFrame"
                    + _did_you_mean(c, [str(x) for x in df.columns]),
                    column=c,
                )
        start = to_days(df[start_col], zone=zone, column=start_col, labels=df.index)
        end = to_days(df[end_col], zone=zone, column=end_col, labels=df.index)
        return (start_col, start, end_col, end), empty, empty, empty, None
    if isinstance(holds, pd.DataFrame):
        key = "record" if "record" in holds.columns else (id if id in holds.columns else None)
        missing = [c for c in ("start", "end") if c not in holds.columns]
        if key is None or missing:
            raise InvalidArgumentError(
                "holds: a holds DataFrame needs the columns 'record' (or the id column), "
                "'start' and 'end' (NaT: open-ended)"
            )
        target = pd.Index(df[id]) if id is not None else df.index
        if not target.is_unique:
            raise InvalidArgumentError(
                "holds: the records' ids are not unique, so holds cannot name them"
            )
        rows = target.get_indexer(pd.Index(holds[key]))
        if (rows < 0).any():
            pos = int(np.flatnonzero(rows < 0)[0])
            raise RetentionInputError(
                f"holds row {_shown(holds.index[pos])}: record {_shown(holds[key].iloc[pos])} "
                "is not in the DataFrame",
                row=holds.index[pos],
                position=pos,
                column=key,
            )
        start = to_days(holds["start"], zone=zone, column="start", labels=holds.index)
        end = to_days(holds["end"], zone=zone, column="end", labels=holds.index)
        return None, rows.astype(np.int32), start, end, holds.index
    raise ArgumentTypeError(
        "holds must be (start_column, end_column) or a DataFrame with the columns record (or "
        f"the id column), start and end; not {type(holds).__name__}")


_HOLD_FIELD = re.compile(r"holds\[(\d+)\]")


@dataclass(frozen=True)
class InvalidRecord:
    """An invalid row of a sweep (``errors="report"``): where it is and what
    is wrong, never its values.

    Attributes:
        row: the row's label (withheld when it looks like a CPR number).
        position: the row's 0-based position.
        column: the column the problem is in (the DataFrame's name for it).
        problem: the core's name of the problem (:data:`PROBLEMS`).
    """

    row: Any
    position: int
    column: str
    problem: str


@dataclass(frozen=True)
class SweepReport:
    """What a sweep found, for people: counts per status, whether every
    record was answered, and (``errors="report"``) the invalid rows by row,
    column and problem. Reached as ``result.attrs["report"]`` or
    :func:`report`; it describes the whole sweep, also after the result is
    filtered.

    Displays in Jupyter (``_repr_html_``) with the titles in the sweep's
    ``lang`` (:meth:`to_html` for another); it never shows a record's id,
    dates or other values.
    """

    on: str
    records: int
    counts: Dict[str, int]
    invalid_records: Tuple[InvalidRecord, ...] = ()
    errors_mode: str = "raise"
    lang: str = "en"
    listed: bool = field(default=False, repr=False)

    @property
    def due(self) -> int:
        """Records that must be deleted now."""
        return self.counts.get("due", 0)

    @property
    def invalid(self) -> int:
        """Records whose input is invalid (all of them, listed or not)."""
        return self.counts.get("invalid", 0)

    @property
    def complete(self) -> bool:
        """True when every record was answered (none invalid)."""
        return self.invalid == 0

    def counts_frame(self, *, lang: Optional[str] = None) -> pd.DataFrame:
        """The counts as a DataFrame: one row per status (index: the
        status's name) with its ``title`` in ``lang`` (default: the sweep's)
        and ``records``."""
        pd = _optional.pandas("SweepReport.counts_frame")
        status_titles = titles("retention_status", lang=lang or self.lang)
        frame: pandas.DataFrame = pd.DataFrame(
            {"title": [status_titles[s] for s in STATUSES],
             "records": [self.counts.get(s, 0) for s in STATUSES]},
            index=pd.Index(STATUSES, name="status"))
        return frame

    def invalid_frame(self, *, lang: Optional[str] = None) -> pd.DataFrame:
        """The invalid rows listed (``errors="report"``): ``row``,
        ``position``, ``column``, ``problem`` and its ``title`` in ``lang``."""
        pd = _optional.pandas("SweepReport.invalid_frame")
        problem_titles = titles("record_problem", lang=lang or self.lang)
        frame: pandas.DataFrame = pd.DataFrame(
            [(e.row, e.position, e.column, e.problem, problem_titles.get(e.problem, ""))
             for e in self.invalid_records],
            columns=["row", "position", "column", "problem", "title"])
        return frame

    def _summary(self) -> str:
        listed = ""
        if self.invalid and self.listed and len(self.invalid_records) < self.invalid:
            listed = f" ({len(self.invalid_records)} listed)"
        return (f"{_display.plural(self.records, 'record')} on {self.on}: {self.due} due, "
                f"{_display.plural(self.invalid, 'invalid record')}{listed}; "
                + ("complete" if self.complete else "incomplete"))

    def to_html(self, *, lang: Optional[str] = None) -> str:
        """The report as HTML: the counts per status with their titles in
        ``lang`` (default: the sweep's), and the invalid rows listed."""
        language = _args.language(lang or self.lang)
        status_titles = titles("retention_status", lang=language)
        parts = [_display.table(
            ["status", "title", "records"],
            [(s, status_titles[s], self.counts.get(s, 0)) for s in STATUSES])]
        if self.invalid_records:
            problem_titles = titles("record_problem", lang=language)
            parts.append(_display.table(
                ["row", "column", "problem"],
                [(e.row, e.column, problem_titles.get(e.problem, e.problem))
                 for e in self.invalid_records],
                caption="Invalid records"))
        return _display.block("Retention sweep", self._summary(), *parts)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return _display.one_line("SweepReport", records=self.records, due=self.due,
                                 invalid=self.invalid, complete=self.complete)


def report(result: pd.DataFrame) -> SweepReport:
    """The :class:`SweepReport` of a :func:`sweep` result
    (``result.attrs["report"]``).

    Raises:
        InvalidArgumentError: ``result`` carries no sweep report (it is not
            a sweep's result, or its ``attrs`` were dropped).
        ArgumentTypeError: ``result`` is not a DataFrame.
    """
    pd = _optional.pandas("sweep_report")
    if not isinstance(result, pd.DataFrame):
        raise ArgumentTypeError(
            f"result must be the DataFrame of a sweep, not {type(result).__name__}")
    found = result.attrs.get("report")
    if not isinstance(found, SweepReport):
        raise InvalidArgumentError(
            "result carries no sweep report (attrs['report']): it is not the result of "
            "gdprkit.sweep, or its attrs were dropped")
    return found


def _record_error(
    prepared: _Prepared, df: pd.DataFrame, errors: List[Tuple[int, str, str, str, str]],
    invalid: int
) -> RetentionInputError:
    """The error for the first invalid record of a sweep: (row, field, the
    field's column as the core names it, problem, message)."""
    pos, field, column, _, message = errors[0]
    m = _HOLD_FIELD.fullmatch(field)
    if m is not None and prepared.hold_frame is not None:
        column = f"holds row {prepared.hold_frame[int(m.group(1))]!r}"
    who = ""
    if prepared.ids is not None:
        rid = prepared.ids.iloc[pos]
        who = f"record {_gdprkit.WITHHELD_IDENTIFIER}, " if _looks_like_cpr(rid) else (
            f"record {rid!r}, ")
    more = f" (and {invalid - 1} more invalid rows)" if invalid > 1 else ""
    return RetentionInputError(
        f"{who}{_where(column, df.index, pos)}: {message}{more}; no result was returned",
        row=_label(df.index, pos),
        position=pos,
        column=column,
        invalid=invalid,
    )


def sweep(
    df: pd.DataFrame,
    *,
    policy: Any,
    on: Any,
    id: Optional[str] = None,
    purpose: Any = None,
    rule: Any = None,
    events: Optional[Mapping[str, Any]] = None,
    holds: Any = None,
    zone: str = DEFAULT_ZONE,
    errors: str = "raise",
    threads: int = 1,
    max_errors: int = 100,
    progress: _progress.ProgressArg = False,
    lang: str = "en",
) -> pd.DataFrame:
    """Sweeps records (one per row) against a policy's retention rules as of a date.

    Args:
        df: one row per record; event columns hold dates (datetime64 of any unit,
            timezone-aware timestamps, ``datetime.date``, ISO texts; NaT/None/""
            where the event has not happened).
        policy: a :class:`gdprkit.Policy`, a :class:`RetentionSchedule` (compile
            once, sweep often) or a policy file path.
        on: the sweep's date (text, date, datetime, Timestamp, datetime64).
        id: the column of record ids, copied to the result (and used by
            ``holds`` frames and messages); without it the index names rows.
        purpose, rule: exactly one: a column of purpose or rule ids (several
            joined by '+'; missing: no rule), or one id for every row. A
            categorical column is the fastest.
        events: ``{event: column name or array}``; by default the columns named
            after the schedule's events (:attr:`RetentionSchedule.events`).
        holds: ``(start_column, end_column)`` for at most one hold per row
            (start missing: none; end missing: open-ended), or a DataFrame with
            columns ``record`` (or the ``id`` column), ``start``, ``end`` for any
            number.
        zone: where times with a zone are read (default Europe/Copenhagen).
        errors: "raise" (default; "fail" too): the first invalid row raises
            :class:`RetentionInputError` naming row and column; "coerce"
            ("skip" too): invalid rows get status "invalid" and are counted,
            ``result.attrs["complete"]`` is False; "report": as "coerce", and
            ``result.attrs["errors"]`` and the report list them (row, column,
            problem). Dates that cannot be read at all and unknown ids raise
            in every mode.
        threads: worker threads (0: one per core).
        max_errors: at most this many invalid rows are listed (all are counted).
        progress: True for a progress bar (tqdm), or a callable
            ``progress(stage, done, total)`` (stage "sweep"; returning False
            cancels with :class:`gdprkit.CancelledError`).
        lang: the language of the report's titles, "en" (default) or "da".

    Returns:
        A DataFrame with the input's index and columns ``id`` (when given),
        ``status`` (due, pending, kept, held, may-delete, invalid), ``due``
        (bool: must be deleted now), ``due_date`` (since when it is due or may
        be deleted), ``next_due`` (when it will be due: pending, held, or the
        end of a minimum retention), ``rule`` and ``anchor`` (what decided),
        ``reason``, and ``hold`` (position of the hold that matters, -1 when
        none). ``attrs`` holds ``report`` (a :class:`SweepReport`, which
        displays itself), ``counts``, ``complete`` and ``errors``.

    Raises:
        RetentionInputError: a row with an impossible date, an event before
            collection, a hold released before it began (naming row and
            column), an unknown event name, a missing column.
        NotFoundError: an unknown purpose or rule id (naming the row).
        InvalidArgumentError: inconsistent input (a column a rule needs is
            missing, ...); an argument out of range (``threads`` < 0) or text
            that is not valid Unicode or holds a NUL character. Messages name
            the argument, never repeat its value.
        ArgumentTypeError: an argument of the wrong type (``df`` not a
            DataFrame, ``on`` not a date, ``holds`` neither a pair of column
            names nor a DataFrame, neither or both of ``purpose`` and
            ``rule``, ...); an :class:`InvalidArgumentError` and a
            ``TypeError``.
    """
    _optional.pandas("sweep")
    errors = _args.errors_mode(errors, ERRORS_MODES)
    threads = _args.integer(threads, "threads", 0, _args.INT32_MAX)
    max_errors = _args.integer(max_errors, "max_errors", 0, _args.UINT64_MAX)
    language = _args.language(lang)
    with _log.timed("sweep") as entry:
        schedule = _schedule_of(policy)
        prepared = _prepare(
            schedule, df, on=on, id=id, purpose=purpose, rule=rule, events=events, holds=holds,
            zone=zone,
        )
        n = len(df)
        status = np.empty(n, dtype=np.uint8)
        reason = np.empty(n, dtype=np.uint8)
        due_days = np.empty(n, dtype=np.int32)
        rule_idx = np.empty(n, dtype=np.int32)
        anchor = np.empty(n, dtype=np.int32)
        hold = np.empty(n, dtype=np.int32)
        with _progress.callback(progress, "sweep") as callback:
            counts, errs = schedule._handle.sweep(
                prepared.records, prepared.as_of, threads, max_errors, errors, callback, status,
                due_days, rule_idx, anchor, reason, hold)
        entry.update(records=n, **{k: int(v) for k, v in counts.items() if k != "records"},
                     errors=errors, threads=threads)
        if counts["invalid"] > 0 and errors == "raise":
            raise _record_error(prepared, df, errs, int(counts["invalid"]))
        return _result(schedule, df, prepared, status, due_days, rule_idx, anchor, reason, hold,
                       counts, errs, errors, language)



def _result(
    schedule: RetentionSchedule,
    df: pd.DataFrame,
    prepared: _Prepared,
    status: Any,
    due_days: Any,
    rule_idx: Any,
    anchor: Any,
    reason: Any,
    hold: Any,
    counts: Dict[str, int],
    errs: List[Tuple[int, str, str, str, str]],
    errors: str,
    language: str,
) -> pd.DataFrame:
    import pandas as pd
    n = len(status)
    due_date = np.empty(n, dtype=np.int64)
    next_due = np.empty(n, dtype=np.int64)
    _gdprkit.split_dates(due_days, status, due_date, next_due)
    due_date = due_date.view("datetime64[s]")
    next_due = next_due.view("datetime64[s]")
    out: Dict[str, Any] = {}
    if prepared.ids is not None:
        # An Arrow-backed id column stays Arrow-backed (no Python object per row).
        ids = prepared.ids
        out[prepared.id_name or "id"] = (
            ids.array if _arrow_kind(ids) is not None else ids.to_numpy())
    out["status"] = pd.Categorical.from_codes(status, categories=pd.Index(STATUSES))
    out["due"] = status == _DUE
    out["due_date"] = due_date
    out["next_due"] = next_due
    out["rule"] = pd.Categorical.from_codes(rule_idx, categories=pd.Index(schedule.rule_ids))
    out["anchor"] = pd.Categorical.from_codes(anchor, categories=pd.Index(schedule.events))
    out["reason"] = pd.Categorical.from_codes(reason, categories=pd.Index(REASONS))
    out["hold"] = hold
    result: pd.DataFrame = pd.DataFrame(out, index=df.index, copy=False)
    result.attrs["counts"] = dict(counts)
    result.attrs["complete"] = counts["invalid"] == 0
    result.attrs["errors"] = [
        {
            "row": _label(df.index, pos),
            "position": pos,
            "field": prepared.event_columns.get(field, field),
            "problem": problem,
            "message": message,
        }
        for pos, field, _, problem, message in errs
    ]
    by_status = {"may_delete": "may-delete"}
    result.attrs["report"] = SweepReport(
        on=_gdprkit.format_date(prepared.as_of),
        records=int(counts["records"]),
        counts={by_status.get(k, k): int(v) for k, v in counts.items() if k != "records"},
        invalid_records=tuple(
            InvalidRecord(_label(df.index, pos), int(pos), _error_column(prepared, field, column),
                          problem)
            for pos, field, column, problem, _ in errs),
        errors_mode=errors,
        lang=language,
        listed=errors == "report",
    )
    return result


def _error_column(prepared: _Prepared, field: str, column: str) -> str:
    """The column of a record's problem in the caller's terms: an event's
    DataFrame column, the holds' columns (or "holds row <label>" of a holds
    frame), the selector's."""
    m = _HOLD_FIELD.fullmatch(field)
    if m is not None and prepared.hold_frame is not None:
        return f"holds row {_label(prepared.hold_frame, int(m.group(1)))!r}"
    return prepared.event_columns.get(field, column)


# ---------------------------------------------------------------------------
# The deletion log
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DeletionLogEntry:
    """One deletion as written to (or read back from) a deletion log."""

    seq: int
    record_id: str
    rule_id: str
    due_date: Optional[_dt.date]
    deleted_at: _dt.datetime
    hash: str
    line: int


@dataclass(frozen=True)
class DeletionLogVerification:
    """The result of :meth:`DeletionLog.verify`: ``intact``, or where the chain breaks."""

    intact: bool
    entries: int
    head: str
    first_broken_entry: int
    first_broken_line: int
    problem: str
    log_id: str
    keyed: bool

    def __bool__(self) -> bool:
        return self.intact

    def __repr__(self) -> str:
        return _display.one_line("DeletionLogVerification", intact=self.intact,
                                 entries=self.entries, keyed=self.keyed)

    def to_html(self) -> str:
        """The verification as HTML: intact or where the chain breaks, the
        entries verified, the head to keep elsewhere. Never a key."""
        if self.intact:
            summary = (f"intact: {_display.plural(self.entries, 'entry', 'entries')}, "
                       f"{'keyed' if self.keyed else 'plain'} chain")
        else:
            where = ("the header" if self.first_broken_entry == 0
                     else f"entry {self.first_broken_entry}")
            summary = (f"broken at {where} (line {self.first_broken_line}); "
                       f"{_display.plural(self.entries, 'entry', 'entries')} verified before it")
        rows = [("log", self.log_id), ("head", self.head)]
        if not self.intact:
            rows.append(("problem", self.problem))
        return _display.block("Deletion log", summary, _display.table(["", ""], rows))

    def _repr_html_(self) -> str:
        return self.to_html()


def _entry(t: Tuple[Any, ...]) -> DeletionLogEntry:
    seq, record_id, rule_id, due, deleted_at, hash_, line = t
    due_date = None if due is None else _dt.date(1970, 1, 1) + _dt.timedelta(days=int(due))
    when = _dt.datetime.fromtimestamp(int(deleted_at), tz=_dt.timezone.utc)
    return DeletionLogEntry(int(seq), record_id, rule_id, due_date, when, hash_, int(line))


def _key_bytes(key: Any) -> Optional[bytes]:
    """The ``key`` argument: None or bytes-like (the core checks its size).
    Not an int: bytes(32) would be a key of 32 zero bytes."""
    if key is None:
        return None
    if isinstance(key, (bytes, bytearray, memoryview)):
        return bytes(key)
    raise ArgumentTypeError(
        f"key must be bytes (16-64 secret bytes) or None, not {type(key).__name__}")


_TIME_KINDS = ("a time (datetime, pandas.Timestamp, numpy.datetime64, an ISO text) or whole "
               "seconds since 1970-01-01T00:00:00Z (an int)")


# A date or time as the core's ParseDateTime reads it (it has checked the
# text first): date, time, fraction of a second, zone.
_ISO_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"(?:([Zz])|([+-])(\d{2}):?(\d{2})?)?)?")
_UNIX_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def _time_of_text(text: str) -> _dt.datetime:
    """The time an ISO text the core has accepted names: naive without a
    zone, aware with one (a leap second reads as :59, as in the core)."""
    m = _ISO_TIME.fullmatch(text)
    if m is None:  # pragma: no cover - the core accepts nothing else
        raise InvalidArgumentError("the time is not ISO 8601 (YYYY-MM-DDTHH:MM:SS+01:00)")
    year, month, day, hour, minute, second, fraction, utc, sign, oh, om = m.groups()
    when = _dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                        min(int(second or 0), 59), int((fraction or "0")[:6].ljust(6, "0")))
    if utc:
        return when.replace(tzinfo=_dt.timezone.utc)
    if sign:
        offset = _dt.timedelta(hours=int(oh), minutes=int(om or 0))
        return when.replace(tzinfo=_dt.timezone(-offset if sign == "-" else offset))
    return when


def _in_zone(when: _dt.datetime, zone: str, what: str) -> _dt.datetime:
    """A civil time `when` (no zone) as the instant it is in `zone`; an error
    for a time that does not exist there or exists twice (a change of
    daylight-saving time)."""
    import zoneinfo

    try:
        tz = zoneinfo.ZoneInfo(zone)
        early, late = when.replace(tzinfo=tz, fold=0), when.replace(tzinfo=tz, fold=1)
        ambiguous = early.utcoffset() != late.utcoffset()
    except Exception:  # noqa: BLE001 - an unknown zone raises several kinds of error
        ambiguous = True
    if ambiguous:
        raise InvalidArgumentError(
            f"{what}: the time cannot be read in zone {zone!r} (it falls in a change of "
            "daylight-saving time, or the zone is unknown); give it with an offset")
    return early


def _seconds(value: Any, zone: str, what: str) -> int:
    """Seconds since 1970 of a deletion time: None (now), an int, or a time;
    naive times are read in `zone`. Whole seconds, rounded towards 1970."""
    if value is None:
        return int(_dt.datetime.now(tz=_dt.timezone.utc).timestamp())
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return _args.integer(value, what, -(2**63), _args.INT64_MAX)
    if isinstance(value, str):
        _args.text(value, what)
        # ISO 8601 only, as the core reads dates (never "010203-1234" as a
        # time). The core's message withholds a text that looks like a CPR
        # number.
        try:
            _gdprkit.parse_datetime(value, zone)
        except InvalidArgumentError as e:
            raise InvalidArgumentError(f"{what}: {e}") from None
        when = _time_of_text(value)
    elif not isinstance(value, (_dt.date, np.datetime64)):
        raise ArgumentTypeError(f"{what} must be {_TIME_KINDS}, not {type(value).__name__}")
    elif _optional.is_na(value):
        raise InvalidArgumentError(f"{what}: no time given")
    elif isinstance(value, np.datetime64):
        when = value.astype("datetime64[us]").item()
        if not isinstance(when, _dt.datetime):  # an int: outside the years 1-9999
            raise InvalidArgumentError(f"{what}: not a time of the years 0001-9999")
    elif isinstance(value, _dt.datetime):
        when = value
    else:
        when = _dt.datetime.combine(value, _dt.time())
    if when.utcoffset() is None:
        when = _in_zone(when, zone, what)
    try:
        micros = (when - _UNIX_EPOCH) // _dt.timedelta(microseconds=1)
    except OverflowError:
        raise InvalidArgumentError(f"{what}: not a time of the years 0001-9999") from None
    return -(-micros // 1_000_000) if micros < 0 else micros // 1_000_000


def _record_id(value: Any, what: str) -> str:
    """A record id for the deletion log: a str (valid text) or a whole number."""
    if isinstance(value, str):
        return _args.text(value, what)
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return str(int(value))
    if value is not None and _optional.is_na(value):
        raise InvalidArgumentError(f"{what} is missing")
    raise ArgumentTypeError(f"{what} must be a str or an int, not {type(value).__name__}")


def _rule_id(value: Any, what: str) -> str:
    """A rule id for the deletion log: a str (valid text); None or missing: ""."""
    if isinstance(value, str):
        return _args.text(value, what)
    if _optional.is_na(value):
        return ""
    raise ArgumentTypeError(f"{what} must be a str or None, not {type(value).__name__}")


class DeletionLog:
    """An append-only, hash-chained proof of deletion (``docs/retention.md``, section 5).

    >>> with DeletionLog("deletions.log") as log:                       # doctest: +SKIP
    ...     log.append("app-1", rule="unsolicited-14-days", due_date="2026-01-08")
    ...     head = log.head
    >>> DeletionLog.verify("deletions.log", expected_head=head).intact   # doctest: +SKIP
    True

    Opening verifies the whole file first. Record ids must be internal keys or
    pseudonyms: an id shaped like a CPR number is refused. With a ``key``
    (16-64 secret bytes kept by the host) the hashes are keyed.

    ``path`` (here and in :meth:`verify` and :meth:`read`) is a str, bytes or
    os.PathLike, handed to the OS as :func:`os.fsencode` gives it (names that
    are not UTF-8 round-trip).

    Raises (when opening):
        DataLossError: the chain is broken (the message names the entry).
        FailedPreconditionError: a keyed log opened without its key or with
            another one, or a plain log given a key.
        InvalidArgumentError: a key of the wrong size; an empty path or one
            with a NUL byte (the OS would cut the name there: "a\\0b" would
            open "a").
        ArgumentTypeError: a path that is not a str, bytes or os.PathLike; a
            ``key`` that is not bytes-like (an int is not a key), a ``sync``
            that is not a bool, a ``zone`` that is not a str.
    """

    def __init__(
        self,
        path: PathArg,
        *,
        key: Optional[bytes] = None,
        sync: bool = True,
        zone: str = DEFAULT_ZONE,
    ) -> None:
        raw = _args.path(path, "path")
        secret = _key_bytes(key)
        flush = _args.flag(sync, "sync")
        self._zone = _zone(zone)
        self._handle: Any = _gdprkit.DeletionLogHandle(raw, secret, flush)

    @classmethod
    def open(
        cls, path: PathArg, *, key: Optional[bytes] = None, sync: bool = True
    ) -> "DeletionLog":
        return cls(path, key=key, sync=sync)

    def __enter__(self) -> "DeletionLog":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Closes the file and wipes the key. Further calls raise ValueError."""
        self._handle.close()

    @property
    def path(self) -> str:
        return str(self._handle.path())

    @property
    def log_id(self) -> str:
        return str(self._handle.log_id())

    @property
    def entries(self) -> int:
        """Number of entries (as of the last read or write)."""
        return int(self._handle.entries())

    @property
    def head(self) -> str:
        """Hash of the last entry (64 hex digits): keep it elsewhere to notice a log cut short."""
        return str(self._handle.head())

    def append(
        self,
        record_id: str,
        *,
        rule: Optional[str] = None,
        due_date: Any = None,
        deleted_at: Any = None,
    ) -> DeletionLogEntry:
        """Appends one deletion: the record's id, the rule that made it due (None
        for a deletion on request), the due date, and when it was deleted
        (default: now; naive times are read in the log's zone).

        Raises:
            InvalidArgumentError: a CPR-shaped or empty record id, an
                impossible due date, text that is not valid Unicode or holds a
                NUL character (messages name the argument, never its value).
            ArgumentTypeError: ``record_id`` neither a str nor an int, ``rule``
                neither a str nor None, ``deleted_at`` not a time or whole
                seconds.
        """
        deletion = {
            "record_id": _record_id(record_id, "record_id"),
            "rule": _rule_id(rule, "rule"),
            "due_date": due_date,
            "deleted_at": _seconds(deleted_at, self._zone, "deleted_at"),
        }
        return self.append_all([deletion])[0]

    def append_all(self, deletions: Union[pd.DataFrame, Iterable[Mapping[str, Any]]]) -> List[
        DeletionLogEntry
    ]:
        """Appends several deletions in one write: all or none.

        ``deletions`` is a DataFrame (e.g. the due rows of a sweep result) or an
        iterable of mappings (no pandas needed), with ``record_id`` (or ``id``;
        a DataFrame without either uses its index), optional ``rule``,
        ``due_date`` and ``deleted_at`` (None or left out: now). Record ids are
        texts or whole numbers; a missing one is an error, never written as
        "None" or "nan".

        Raises:
            InvalidArgumentError: a bad deletion, naming its index and field (a
                CPR-shaped, empty or missing record id, a due date out of
                range, ...).
            ArgumentTypeError: ``deletions`` is neither a DataFrame nor an
                iterable of mappings, or a field has the wrong type.
        """
        pd = _optional.loaded("pandas")  # a DataFrame only if pandas is loaded
        if pd is not None and isinstance(deletions, pd.DataFrame):
            frame = deletions
            n = len(frame)
            if "record_id" in frame.columns:
                ids, id_field = frame["record_id"].tolist(), "record_id"
            elif "id" in frame.columns:
                ids, id_field = frame["id"].tolist(), "id"
            else:
                ids, id_field = list(frame.index), "index"
            fields = [id_field] * n
            rules = frame["rule"].tolist() if "rule" in frame.columns else [None] * n
            dates = frame["due_date"] if "due_date" in frame.columns else None
            times = frame["deleted_at"].tolist() if "deleted_at" in frame.columns else [None] * n
        else:
            if isinstance(deletions, (str, bytes, bytearray, Mapping)) or not isinstance(
                    deletions, Iterable):
                raise ArgumentTypeError(
                    "deletions must be a DataFrame or an iterable of mappings (one per deletion; "
                    f"append() takes one), not {type(deletions).__name__}")
            items: List[Mapping[Any, Any]] = []
            for i, item in enumerate(deletions):
                if not isinstance(item, Mapping):
                    raise ArgumentTypeError(
                        f"deletions[{i}] must be a mapping with record_id, rule, due_date and "
                        f"deleted_at, not {type(item).__name__}")
                items.append(item)
            n = len(items)
            fields = ["id" if "record_id" not in item and "id" in item else "record_id"
                      for item in items]
            for i, (item, id_field) in enumerate(zip(items, fields)):
                if id_field not in item:
                    raise InvalidArgumentError(f"deletions[{i}].record_id is missing")
            ids = [item[f] for item, f in zip(items, fields)]
            rules = [item.get("rule") for item in items]
            dates = np.empty(n, dtype=object)
            for i, item in enumerate(items):
                dates[i] = item.get("due_date")
            times = [item.get("deleted_at") for item in items]
        record_ids = [_record_id(x, f"deletions[{i}].{f}")
                      for i, (x, f) in enumerate(zip(ids, fields))]
        rule_ids = [_rule_id(r, f"deletions[{i}].rule") for i, r in enumerate(rules)]
        due = (to_days(dates, zone=self._zone, column="due_date").tolist() if dates is not None
               else [NO_DATE] * n)
        now = _seconds(None, self._zone, "deleted_at")
        deleted = [now if v is None else _seconds(v, self._zone, f"deletions[{i}].deleted_at")
                   for i, v in enumerate(times)]
        return [_entry(t) for t in self._handle.append_all(record_ids, rule_ids, due, deleted)]

    @staticmethod
    def verify(
        path: PathArg,
        *,
        key: Optional[bytes] = None,
        expected_head: Optional[str] = None,
    ) -> DeletionLogVerification:
        """Verifies a log without changing it. A broken chain is not an error:
        the result says where it breaks. ``expected_head``, if given, must be
        the hash of some entry (otherwise the log was cut short or replaced).

        Raises:
            FailedPreconditionError: a missing or wrong key.
            InvalidArgumentError: a malformed expected_head; an empty path or
                one with a NUL byte.
            NoSuchFileError: no such file.
        """
        raw = _args.path(path, "path")
        head = "" if expected_head is None else _args.text(expected_head, "expected_head")
        d = _gdprkit.verify_deletion_log(raw, _key_bytes(key), head)
        return DeletionLogVerification(**d)

    @staticmethod
    def read(path: PathArg, *, key: Optional[bytes] = None) -> pd.DataFrame:
        """Reads and verifies every entry, as a DataFrame (seq, record_id,
        rule_id, due_date, deleted_at (UTC), hash, line).

        Raises:
            DataLossError: the chain is broken (naming the entry).
            InvalidArgumentError: an empty path or one with a NUL byte.
        """
        pd = _optional.pandas("DeletionLog.read")
        raw = _args.path(path, "path")
        rows = [_entry(t) for t in _gdprkit.read_deletion_log(raw, _key_bytes(key))]
        frame: pandas.DataFrame = pd.DataFrame(
            [r.__dict__ for r in rows],
            columns=["seq", "record_id", "rule_id", "due_date", "deleted_at", "hash", "line"],
        )
        frame["due_date"] = pd.to_datetime(frame["due_date"])
        frame["deleted_at"] = pd.to_datetime(frame["deleted_at"], utc=True)
        return frame
