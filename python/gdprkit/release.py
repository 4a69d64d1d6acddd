"""The release gate: one check between raw records and anything that leaves.

A policy's release rules (:attr:`gdprkit.Policy.releases`, docs/policy.md,
"Release rules") say what may leave the organisation. This module applies
them to a pandas DataFrame (or a dict of columns)::

    >>> import gdprkit.release as release                                 # doctest: +SKIP
    >>> verdict = release.check(records, policy=policy, release="cluster-view")
    >>> verdict.findings_frame()       # codes, columns and counts, never a value
    >>> out = release.prepare(records, policy=policy, release="cluster-view",
    ...                       log=release.ReleaseLog("releases.log"))
    >>> out.frame                      # what leaves: the protected table
    >>> out.to_csv("cluster_view.csv") # its digest is out.report.content_digest

:func:`check` gives a verdict and findings (an identifier in clear, also a
CPR number inside free text; rows older than the maximum age; undeclared or
dropped columns; small cells of the published table; groups of an extract
smaller than k). :func:`prepare` does what the rules say (drops old rows and
dropped columns, pseudonymises in the vault, generalises, redacts free text,
tabulates and suppresses with the audit, or applies local suppression to an
extract), checks the result, and returns it only when it passes; with a
:class:`ReleaseLog` it appends the proof to the hash-chained log first. The
rules, the names and the messages are the core's (``gdprkit/release.h``).

How columns cross (one array per column, no Python object per row):

* text (object, ``string`` and categorical dtypes): the distinct values and
  a code per row (``pandas.factorize``; a categorical's own codes); None,
  NaN and ``pd.NA`` are missing. Values must be str (or UTF-8 bytes);
* booleans: text, ``"true"`` or ``"false"`` (missing stays missing), so
  that a flag is a category like any other;
* numbers (int, float, nullable Int/Float): float64, NaN missing; integers
  beyond 2**53 (which float64 cannot hold exactly) are refused: give them
  as text;
* dates (datetime64 of any unit, tz-aware timestamps as their civil date in
  Denmark, ``datetime.date`` objects): day numbers, NaT missing.

Errors are :class:`gdprkit.Error` subclasses naming the column, never a value.
"""

from __future__ import annotations

import csv
import datetime as _dt
import os
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

import numpy as np

from . import _args, _display, _gdprkit, _log, _optional, _progress
from ._args import PathArg
from ._errors import ArgumentTypeError, InvalidArgumentError
from .identifiers import _kind_number
from .policy import Policy, Release
from .retention import NO_DATE, to_days
from .vault import Vault

if TYPE_CHECKING:
    import pandas

__all__ = [
    "PROBLEMS",
    "PreparedRelease",
    "ReleaseCheck",
    "ReleaseFinding",
    "ReleaseLog",
    "ReleaseLogEntry",
    "ReleaseLogVerification",
    "ReleaseReport",
    "check",
    "content_digest",
    "group_sizes",
    "prepare",
    "read_log",
    "verify_log",
]

#: The codes of the findings (``"identifier-in-clear"``, ``"too-old"``, ...),
#: in the core's order.
PROBLEMS: Tuple[str, ...] = tuple(_gdprkit.release_problem_names())

_EPOCH = _dt.date(1970, 1, 1)
_EXACT_INTEGERS = 2**53
_MAX_LABELS = 2**31 - 1


# ---------------------------------------------------------------------------
# Frames in and out
# ---------------------------------------------------------------------------


def _name(column: Any) -> str:
    """A column's name as text (pandas allows any hashable)."""
    return _args.check_unicode(column if isinstance(column, str) else str(column), "a column name")


def _q(name: str) -> str:
    return str(_gdprkit.quote_untrusted(name))


def _labels(uniques: Any, name: str) -> List[str]:
    """The distinct values of a text column as str; bytes must be UTF-8."""
    out: List[str] = []
    for u in uniques:
        if isinstance(u, str):
            out.append(u)
        elif isinstance(u, (bytes, bytearray)):
            try:
                out.append(bytes(u).decode("utf-8"))
            except UnicodeDecodeError:
                raise InvalidArgumentError(
                    f"column {_q(name)} holds bytes that are not UTF-8 text") from None
        else:
            raise ArgumentTypeError(
                f"column {_q(name)} holds a {type(u).__name__} among its texts; give the column "
                "one type (.astype(str) for text, a numeric or datetime dtype otherwise)")
    return out


def _add_text(out: Any, name: str, values: "pandas.Series") -> None:
    import pandas as pd

    if isinstance(values.dtype, pd.CategoricalDtype):
        labels = _labels(values.cat.categories, name)
        codes = values.cat.codes.to_numpy()
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        labels = _labels(uniques, name)
    if len(labels) > _MAX_LABELS:
        raise InvalidArgumentError(f"column {_q(name)} has more than {_MAX_LABELS} distinct values")
    out.add_labels(name, labels, np.asarray(codes, dtype=np.int32))


def _add_column(out: Any, column: Any, values: "pandas.Series") -> None:
    import pandas as pd

    name = _name(column)
    dtype = values.dtype
    types = pd.api.types
    if isinstance(dtype, pd.CategoricalDtype) or types.is_string_dtype(dtype):
        inferred = types.infer_dtype(values, skipna=True)
        if inferred in ("date", "datetime", "datetime64"):
            out.add_days(name, to_days(values, column=name))
        elif inferred == "boolean":
            _add_column(out, column, values.astype("boolean"))
        else:
            _add_text(out, name, values)
    elif types.is_bool_dtype(dtype):
        missing = values.isna().to_numpy(dtype=bool)
        codes = values.to_numpy(dtype=bool, na_value=False).astype(np.int32)
        codes[missing] = -1
        out.add_labels(name, ["false", "true"], codes)
    elif types.is_datetime64_any_dtype(dtype):
        out.add_days(name, to_days(values, column=name))
    elif types.is_numeric_dtype(dtype) and not types.is_complex_dtype(dtype):
        if types.is_integer_dtype(dtype) and len(values) and bool(
                (values.abs() > _EXACT_INTEGERS).any()):
            raise InvalidArgumentError(
                f"column {_q(name)} holds integers beyond 2**53, which a float64 cannot hold "
                "exactly; give identifiers as text (.astype(str))")
        out.add_numbers(name, values.to_numpy(dtype="float64", na_value=np.nan))
    else:
        raise ArgumentTypeError(
            f"column {_q(name)} has dtype {dtype}, which the gate does not take: give text, "
            "numbers, booleans or dates")


def _frame(data: Any, what: str, read: Optional[Iterable[str]] = None) -> Any:
    """`data` (a DataFrame or a mapping of column name to a Series, NumPy
    array or list) as the core's frame (_gdprkit.ReleaseFrame), column by
    column. With `read` (the names whose values the core reads), the other
    columns cross empty: named, every row missing, never converted."""
    if isinstance(data, _gdprkit.ReleaseFrame):
        return data
    pd = _optional.pandas(f"gdprkit.release.{what}")
    if isinstance(data, pd.DataFrame):
        if not data.columns.is_unique:
            raise InvalidArgumentError(f"the frame names a column twice: {what} needs unique names")
        items: Iterable[Tuple[Any, Any]] = ((c, data.iloc[:, i]) for i, c in
                                           enumerate(data.columns))
    elif isinstance(data, Mapping):
        items = ((c, v if isinstance(v, pd.Series) else pd.Series(v, copy=False))
                 for c, v in data.items())
    else:
        raise ArgumentTypeError(
            f"{what} takes a pandas DataFrame or a dict of columns, not {type(data).__name__}")
    out = _gdprkit.ReleaseFrame()
    needed = None if read is None else set(read)
    for column, values in items:
        if needed is None or _name(column) in needed:
            _add_column(out, column, values)
        else:
            out.add_labels(_name(column), [], np.full(len(values), -1, dtype=np.int32))
    return out


def _to_pandas(handle: Any) -> "pandas.DataFrame":
    """The core's frame as a DataFrame: text as object columns (None where
    missing), numbers as float64, dates as datetime64."""
    import pandas as pd

    data: Dict[str, Any] = {}
    for name, kind, payload in handle.columns():
        if kind == "text":
            labels, codes = payload
            table = np.empty(len(labels) + 1, dtype=object)
            table[:-1] = labels
            table[-1] = None
            data[name] = table[np.where(codes < 0, len(labels), codes)]
        elif kind == "date":
            days = payload.astype(np.int64)
            days[payload == NO_DATE] = np.iinfo(np.int64).min
            data[name] = days.view("datetime64[D]")
        else:
            data[name] = payload
    frame: pandas.DataFrame = pd.DataFrame(data)
    return frame


def content_digest(frame: Any) -> str:
    """The digest of `frame`'s content in the canonical form of docs/release.md
    (``"blake2b-256:"`` and 64 hex digits): the column names and each value's
    canonical text, in order; how a column is typed or encoded does not
    count, so a CSV written by :meth:`PreparedRelease.to_csv` and read back
    as text (``pd.read_csv(path, dtype=str, keep_default_na=False)``) has the
    digest of the frame it was written from."""
    return str(_gdprkit.release_content_digest(_frame(frame, "content_digest")))


def group_sizes(frame: Any,
                columns: Union[str, Iterable[str]]) -> "np.ndarray[Any, np.dtype[np.int64]]":
    """Per row, the number of rows with equal values in `columns` (missing
    equals missing): the k of the frame over these quasi-identifiers is the
    smallest. An int64 NumPy array."""
    names = [columns] if isinstance(columns, str) else list(columns)
    cols = [_args.text(c, "columns") for c in names]
    records = _frame(frame, "group_sizes")
    sizes: "np.ndarray[Any, np.dtype[np.int64]]" = _gdprkit.release_group_sizes(records, cols)
    return sizes


# ---------------------------------------------------------------------------
# Arguments
# ---------------------------------------------------------------------------


def _policy(policy: Any) -> Policy:
    if isinstance(policy, Policy):
        return policy
    if isinstance(policy, (str, bytes, os.PathLike)):
        return Policy.load(policy)
    raise ArgumentTypeError(
        "policy must be a gdprkit.Policy or the path of a policy file, not "
        f"{type(policy).__name__}")


def _release_id(release: Any) -> str:
    if isinstance(release, Release):
        return release.id
    return _args.text(release, "release", empty=False)


def _on(on: Any) -> int:
    """The release date as a day number; NO_DATE (today) for None."""
    if on is None:
        return NO_DATE
    day = int(to_days([on], column="on")[0])
    if day == NO_DATE:
        raise InvalidArgumentError("on is missing (NaT or empty); leave it out (None) for today")
    return day


def _kinds(kinds: Union[None, str, Iterable[Union[str, int]]]) -> int:
    if kinds is None:
        return 0
    bits = 0
    for k in [kinds] if isinstance(kinds, (str, int)) else kinds:
        bits |= 1 << _kind_number(k)
    if bits == 0:
        raise InvalidArgumentError("kinds is empty; leave it out (None) for the default kinds")
    return bits


def _base_dir(base_dir: Optional[PathArg]) -> bytes:
    return b"" if base_dir is None else _args.path(base_dir, "base_dir")


def _date(day: Optional[int]) -> Optional[_dt.date]:
    return None if day is None else _EPOCH + _dt.timedelta(days=int(day))


# ---------------------------------------------------------------------------
# Check
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseFinding:
    """One finding of :func:`check`: a code (:data:`PROBLEMS`), the column
    (``""`` for the table or extract as a whole), the identifier kind found
    (for ``"identifier-in-clear"``), the rows concerned, the cells or groups
    (``"small-cell"``, ``"small-group"``) and the finding in words. Never a
    value."""

    problem: str
    column: str
    kind: str
    rows: int
    cells: int
    message: str

    def title(self, lang: str = "en") -> str:
        """The problem in a few words, in ``lang`` ("en" or "da")."""
        return str(_gdprkit.release_problem_title(self.problem, _args.language(lang)))


@dataclass(frozen=True)
class ReleaseCheck:
    """The verdict of :func:`check`: ``passed`` when there is no finding.
    ``bool(result)`` is ``passed``."""

    release: str
    passed: bool
    rows: int
    findings: Tuple[ReleaseFinding, ...]

    def __bool__(self) -> bool:
        return self.passed

    def findings_frame(self, *, lang: str = "en") -> "pandas.DataFrame":
        """The findings as a DataFrame: problem, title (in ``lang``), column,
        kind, rows, cells, message."""
        pd = _optional.pandas("ReleaseCheck.findings_frame")
        language = _args.language(lang)
        frame: pandas.DataFrame = pd.DataFrame(
            [(f.problem, f.title(language), f.column, f.kind, f.rows, f.cells, f.message)
             for f in self.findings],
            columns=["problem", "title", "column", "kind", "rows", "cells", "message"])
        return frame

    def __repr__(self) -> str:
        return _display.one_line("ReleaseCheck", release=self.release, passed=self.passed,
                                 rows=self.rows, findings=len(self.findings))

    def to_html(self, *, lang: str = "en") -> str:
        """The verdict and the findings as HTML (titles in ``lang``). Counts only."""
        language = _args.language(lang)
        summary = (f"{self.release}: {_display.plural(self.rows, 'row')}, "
                   + ("passed" if self.passed else
                      f"{_display.plural(len(self.findings), 'finding')}"))
        rows = [(f.title(language), f.problem, f.column, f.kind, f.rows, f.cells)
                for f in self.findings]
        body = _display.table(["", "code", "column", "kind", "rows", "cells"], rows) if rows else ""
        return _display.block("Release check", summary, body)

    def _repr_html_(self) -> str:
        return self.to_html()


def _check_from(d: Mapping[str, Any]) -> ReleaseCheck:
    return ReleaseCheck(str(d["release"]), bool(d["passed"]), int(d["rows"]),
                        tuple(ReleaseFinding(*f) for f in d["findings"]))


def check(
    frame: Any,
    *,
    policy: Any,
    release: Any,
    on: Any = None,
    kinds: Union[None, str, Iterable[Union[str, int]]] = None,
    base_dir: Optional[PathArg] = None,
    lang: str = "en",
    progress: _progress.ProgressArg = None,
) -> ReleaseCheck:
    """Checks `frame` against release `release` of `policy` and says, finding
    by finding, what would break the rules if it left as it is.

    Args:
        frame: a pandas DataFrame or a dict of columns (see the module's
            help for how each dtype is read).
        policy: a :class:`gdprkit.Policy` (or the path of a policy file).
        release: the release's id (or a :class:`gdprkit.policy.Release`).
        on: the release date (a date, datetime64 or ISO text; default
            today): the maximum age counts back from it, and CPR numbers
            born after it are none.
        kinds: the identifier kinds to look for in text (default: the
            scanner's, gdprkit.scan).
        base_dir: where the release's hierarchy files are read from
            (default: the policy file's folder).
        lang: the language of the findings' messages ("en" or "da").
        progress: True for a tqdm bar per stage, or a callable
            ``(stage, done, total)``.

    A finding is not an error. Raises :class:`gdprkit.NotFoundError` for an
    unknown release (naming the nearest ids),
    :class:`gdprkit.FailedPreconditionError` when the policy's own findings
    on the release are errors, :class:`gdprkit.InvalidArgumentError` for a
    frame the gate cannot read (naming the column).
    """
    pol = _policy(policy)
    rid = _release_id(release)
    args = (_on(on), _kinds(kinds), _args.language(lang), _base_dir(base_dir))
    records = _frame(frame, "check")
    with _log.timed("release check") as entry, _progress.callback(
            progress, "release check") as callback:
        d = _gdprkit.release_check(pol._handle, rid, records, *args, callback)
        result = _check_from(d)
        entry.update(rows=result.rows, findings=len(result.findings), passed=result.passed)
    return result


# ---------------------------------------------------------------------------
# Prepare
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseReport:
    """What :func:`prepare` did: counts and digests, never a value.

    ``table`` says whether a table (cells, ``cells_primary`` and
    ``cells_secondary`` suppressed, the audit) or an extract (``k``,
    ``values_suppressed`` set to ``"*"``, ``rows_withheld``,
    ``smallest_group``) was released. ``content_digest`` is the digest of
    the released frame (:func:`content_digest`), ``policy_digest`` that of
    the rules; ``log_seq`` and ``log_hash`` name the log entry (0 and ""
    without a log)."""

    release: str
    title: str
    purpose: str
    policy_digest: str
    on: Optional[_dt.date]
    table: bool
    rows_in: int
    rows_too_old: int
    rows_missing_date: int
    columns_dropped: Tuple[str, ...]
    values_pseudonymised: int
    values_generalised: int
    identifiers_redacted: int
    cells: int
    cells_primary: int
    cells_secondary: int
    audit_passed: bool
    audit_text: str
    k: int
    values_suppressed: int
    rows_withheld: int
    smallest_group: int
    rows_out: int
    content_digest: str
    check: ReleaseCheck
    log_seq: int
    log_hash: str

    def __repr__(self) -> str:
        shape = ({"cells": self.cells, "suppressed": self.cells_primary + self.cells_secondary}
                 if self.table else {"k": self.k, "values_suppressed": self.values_suppressed})
        return _display.one_line("ReleaseReport", release=self.release, rows_in=self.rows_in,
                                 rows_out=self.rows_out, **shape, audit_passed=self.audit_passed,
                                 log_seq=self.log_seq)

    def to_html(self) -> str:
        """The report as HTML: one row per figure. Counts and digests only."""
        rows = [(f.name, ", ".join(v) if isinstance(v, tuple) else v)
                for f in fields(self) if f.name not in ("check", "title")
                for v in [getattr(self, f.name)]]
        summary = f"{self.release} ({self.title}): " + (
            "audit passed" if self.audit_passed else "audit FAILED")
        return _display.block("Release report", summary, _display.table(["", ""], rows))

    def _repr_html_(self) -> str:
        return self.to_html()


def _report_from(d: Mapping[str, Any]) -> ReleaseReport:
    values = dict(d)
    values["on"] = _date(values["on"])
    values["columns_dropped"] = tuple(values["columns_dropped"])
    values["check"] = _check_from(values["check"])
    return ReleaseReport(**values)


@dataclass(frozen=True, repr=False)
class PreparedRelease:
    """What leaves, and the report of how it was made.

    ``frame``: for a table, its dimension columns (totals included), the
    value column (NaN where suppressed: the suppressed values never reach
    Python) and ``status`` ("published" or "suppressed"), one row per cell;
    for an extract, the released columns, ``"*"`` where local suppression
    removed a value. Every display (``repr``, the notebook's HTML,
    :meth:`published_frame`) shows a suppressed cell as a marker (``x``).
    ``report``: :class:`ReleaseReport`."""

    frame: "pandas.DataFrame"
    report: ReleaseReport
    _handle: Any

    def published_frame(self, marker: str = "x") -> "pandas.DataFrame":
        """The released frame for people: in a table, the value column with
        whole numbers as int and `marker` instead of NaN where a cell is
        suppressed (an extract is shown as it is)."""
        marker = _args.text(marker, "marker")
        out: pandas.DataFrame = self.frame.copy()
        if self.report.table and "status" in out.columns:
            value = [c for c in out.columns if out[c].dtype.kind == "f"]
            hidden = (out["status"] != "published").to_numpy(dtype=bool)
            for c in value:
                numbers = out[c].to_numpy(dtype="float64")
                shown = np.array([int(v) if v.is_integer() else v for v in numbers.tolist()]
                                 if len(numbers) else [], dtype=object)
                shown[hidden] = marker
                out[c] = shown
        return out

    def to_csv(self, path: PathArg) -> None:
        """Writes the released frame as CSV (RFC 4180, UTF-8, a header of
        column names): each value in its canonical text (docs/release.md,
        "Canonical form"; integers without a decimal point, dates as
        YYYY-MM-DD), an empty field where missing or suppressed. Its digest
        (``gdprkit release digest FILE``, or :func:`content_digest` of the
        file read back as text) is ``report.content_digest``."""
        raw = _args.path(path, "path")
        names = [str(c[0]) for c in self._handle.columns()]
        columns = [self._handle.canonical_texts(i) for i in range(len(names))]
        with open(raw, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\r\n")
            writer.writerow(names)
            writer.writerows(zip(*columns))

    def __repr__(self) -> str:
        r = self.report
        return _display.one_line(
            "PreparedRelease", release=r.release, shape="table" if r.table else "extract",
            rows=len(self.frame), suppressed=(r.cells_primary + r.cells_secondary) if r.table
            else r.values_suppressed, audit_passed=r.audit_passed,
            content_digest=r.content_digest)

    def _repr_html_(self) -> str:
        r = self.report
        shown = self.published_frame("x")
        rows = [tuple(row) for row in shown.itertuples(index=False)]
        summary = (f"{r.release}: {_display.plural(len(self.frame), 'row')}"
                   + (f", {r.cells_primary + r.cells_secondary} suppressed cells (shown as x)"
                      if r.table else f", {r.values_suppressed} values suppressed (shown as *)")
                   + f", audit {'passed' if r.audit_passed else 'FAILED'}")
        return _display.block("Prepared release", summary,
                              _display.table([str(c) for c in shown.columns], rows))


class ReleaseLog:
    """An append-only, hash-chained record of prepared releases
    (``gdprkit/release.h``, the deletion log's mechanism): give it to
    :func:`prepare` as ``log=``, which appends an entry only for a release
    that passed.

    Opening verifies the whole chain (:class:`gdprkit.DataLossError` naming
    the first broken entry); the file is created (mode 0600) when missing.
    With a ``key`` (16-64 secret bytes) the hashes are keyed. Close it with
    :meth:`close` or a ``with`` block."""

    def __init__(self, path: PathArg, *, key: Optional[bytes] = None, sync: bool = True) -> None:
        self._raw = _args.path(path, "path")
        self._key = _key_bytes(key)
        self._handle: Any = _gdprkit.ReleaseLogHandle(self._raw, self._key,
                                                      _args.flag(sync, "sync"))

    def __enter__(self) -> "ReleaseLog":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Closes the file, wipes the core's copy of the key (guarded memory)
        and drops this object's reference to the caller's ``bytes`` (which
        Python cannot wipe); further use raises
        :class:`gdprkit.FailedPreconditionError`."""
        self._handle.close()
        self._key = None

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
        """Hash of the last entry (64 hex digits): keep it elsewhere to notice
        a log cut short."""
        return str(self._handle.head())

    def read(self) -> Tuple["ReleaseLogEntry", ...]:
        """Every entry, verified (:func:`read_log`)."""
        return read_log(self._raw, key=self._key)

    def entries_frame(self) -> "pandas.DataFrame":
        """Every entry as a DataFrame, one row per release."""
        return _entries_frame(self.read())

    def verify(self, expected_head: Optional[str] = None) -> "ReleaseLogVerification":
        """:func:`verify_log` of this log's file."""
        return verify_log(self._raw, key=self._key, expected_head=expected_head)

    def __repr__(self) -> str:
        if self._handle.closed:
            return _display.one_line("ReleaseLog", closed=True)
        return _display.one_line("ReleaseLog", entries=self.entries, head=self.head[:12])


def _key_bytes(key: Any) -> Optional[bytes]:
    if key is None or isinstance(key, bytes):
        return key
    if isinstance(key, (bytearray, memoryview)):
        return bytes(key)
    raise ArgumentTypeError(
        f"key must be bytes (16-64 secret bytes) or None, not {type(key).__name__}")


def prepare(
    records: Any,
    *,
    policy: Any,
    release: Any,
    on: Any = None,
    vault: Optional[Vault] = None,
    log: Union[None, ReleaseLog, PathArg] = None,
    kinds: Union[None, str, Iterable[Union[str, int]]] = None,
    base_dir: Optional[PathArg] = None,
    method: str = "auto",
    cost: str = "cells",
    time_limit: float = 60.0,
    effort: int = 1,
    released_at: Optional[int] = None,
    lang: str = "en",
    progress: _progress.ProgressArg = None,
) -> PreparedRelease:
    """Prepares release `release` of `policy` from `records`: drops the rows
    older than the maximum age (and those without a date), drops the columns
    the release drops, pseudonymises in `vault`, generalises, redacts
    identifiers in free text, then tabulates and suppresses the table
    (primary and secondary, with the audit) or applies local suppression to
    the extract until every group has k rows; checks the result, and returns
    it only when it passes. Nothing half-prepared is returned.

    Args: as :func:`check`, and
        vault: a :class:`gdprkit.Vault` for pseudonymised columns (never
            written to).
        log: a :class:`ReleaseLog` (or a log file's path, opened for the
            call): the proof is appended before the call returns; a release
            that fails is never logged.
        method, cost, time_limit, effort: the table's secondary suppression
            (as :func:`gdprkit.suppress`).
        released_at: the time the log records (seconds since 1970-01-01 UTC;
            default now).

    Raises the errors of :func:`check`, and :class:`gdprkit.InvalidArgumentError`
    for a column the release needs that the records lack (naming it),
    :class:`gdprkit.FailedPreconditionError` for a release that pseudonymises
    without a vault or whose result cannot pass its check, the vault's and
    the log's errors.
    """
    pol = _policy(policy)
    rid = _release_id(release)
    args = (_on(on), _kinds(kinds), _args.language(lang), _base_dir(base_dir))
    if vault is not None and not isinstance(vault, Vault):
        raise ArgumentTypeError(
            f"vault must be a gdprkit.Vault or None, not {type(vault).__name__}")
    suppress = (_args.text(method, "method"), _args.text(cost, "cost"),
                _args.number(time_limit, "time_limit", 0.0, lo_open=True),
                _args.integer(effort, "effort", 0, 2))
    when = 0 if released_at is None else _args.integer(released_at, "released_at", 1,
                                                         _args.INT64_MAX)
    # Only the columns the preparation reads are converted (the others are
    # dropped unread: gdprkit/release.h, PrepareInputColumns).
    records_frame = _frame(records, "prepare",
                           _gdprkit.release_prepare_input_columns(pol._handle, rid))
    opened = None if log is None or isinstance(log, ReleaseLog) else ReleaseLog(log)
    the_log = log if isinstance(log, ReleaseLog) else opened
    try:
        with _log.timed("release prepare") as entry, _progress.callback(
                progress, "release prepare") as callback:
            handle, report = _gdprkit.release_prepare(
                pol._handle, rid, records_frame, *args,
                None if vault is None else vault._h,
                None if the_log is None else the_log._handle,
                *suppress, when, callback)
            result = PreparedRelease(_to_pandas(handle), _report_from(report), handle)
            entry.update(rows_in=result.report.rows_in, rows_out=result.report.rows_out,
                         table=result.report.table, logged=result.report.log_seq > 0)
    finally:
        if opened is not None:
            opened.close()
    return result


# ---------------------------------------------------------------------------
# The log, read back
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseLogEntry:
    """One entry of a release log: when (``released_at``, UTC), which release
    under which rules (``policy_digest``), the digest of what left, the
    audit's verdict and the counts."""

    seq: int
    released_at: _dt.datetime
    release: str
    policy_digest: str
    content_digest: str
    on: Optional[_dt.date]
    table: bool
    audit_passed: bool
    rows_in: int
    rows_dropped: int
    rows_out: int
    cells_suppressed: int
    values_suppressed: int
    rows_withheld: int
    hash: str
    line: int


@dataclass(frozen=True)
class ReleaseLogVerification:
    """The result of :func:`verify_log`: ``intact`` (also ``bool(result)``),
    or the entry and line where the chain breaks and why."""

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
        return _display.one_line("ReleaseLogVerification", intact=self.intact,
                                 entries=self.entries, first_broken_line=self.first_broken_line)


def _log_entry(d: Mapping[str, Any]) -> ReleaseLogEntry:
    values = dict(d)
    values["released_at"] = _dt.datetime.fromtimestamp(int(d["released_at"]), tz=_dt.timezone.utc)
    values["on"] = _date(d["on"])
    return ReleaseLogEntry(**values)


def _entries_frame(entries: Tuple[ReleaseLogEntry, ...]) -> "pandas.DataFrame":
    pd = _optional.pandas("ReleaseLog.entries_frame")
    frame: pandas.DataFrame = pd.DataFrame(
        [e.__dict__ for e in entries], columns=[f.name for f in fields(ReleaseLogEntry)])
    return frame


def read_log(path: PathArg, *, key: Optional[bytes] = None) -> Tuple[ReleaseLogEntry, ...]:
    """Reads and verifies every entry of the release log at `path`
    (:class:`gdprkit.DataLossError` naming the first broken entry)."""
    raw = _args.path(path, "path")
    return tuple(_log_entry(d) for d in _gdprkit.release_log_read(raw, _key_bytes(key)))


def verify_log(path: PathArg, *, key: Optional[bytes] = None,
               expected_head: Optional[str] = None) -> ReleaseLogVerification:
    """Verifies the release log at `path` without changing it. A broken chain
    is not an error: the result says where it breaks. `expected_head`, if
    given, must be the hash of some entry (else the log was cut short or
    replaced)."""
    raw = _args.path(path, "path")
    head = "" if expected_head is None else _args.text(expected_head, "expected_head")
    return ReleaseLogVerification(**_gdprkit.release_log_verify(raw, _key_bytes(key), head))
