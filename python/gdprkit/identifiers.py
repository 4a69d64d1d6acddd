"""Danish identifiers, checked and normalised a whole column at a time.

The kinds (``kind=`` everywhere; ``docs/vault.md`` has the rules):

=======================  ===================================  =====================
kind                     accepted input                       normal form
=======================  ===================================  =====================
``"cpr"``                ``DDMMYY-SSSS`` or ``DDMMYYSSSS``    10 digits
``"cvr"``                ``12345678``, ``"DK12345678"``       8 digits
``"gln"``                13 digits (GS1 check digit)          13 digits
``"provider_number"``    ydernummer, 1-6 digits               6 digits, zero-padded
``"sor"``                11-18 digits (Verhoeff check digit)  as given
``"other"``              any text up to 256 bytes             trimmed text
=======================  ===================================  =====================

CPR numbers: the date and the century rule of the 7th digit are checked; the
modulus-11 check is not required (numbers issued since 2007 need not pass it)
unless ``require_modulus11=True``; replacement numbers (day + 60) are accepted
unless ``allow_replacement=False``. A number whose birth date lies in the
future cannot have been issued: ``"future_birth_date"``, unless
``allow_future=True``. "Future" is after ``as_of`` (a date: ``"2026-12-02"``,
``datetime.date``, ``datetime``, pandas ``Timestamp``, ``numpy.datetime64``;
times with a zone are read as their date in Europe/Copenhagen), by default
today's date in Denmark, read once per call.

Every function takes a list, a tuple, a NumPy array or a pandas Series (or a
single ``str``) and returns the same kind of container (a Series keeps its
index and name). The loop runs in C++ with the GIL released, never one Python
call per row. Missing values (``None``, ``NaN``) are rejected as empty.

Arrow columns are read from their buffers, without a Python object per row
(the Arrow PyCapsule interface; ``docs/spark.md``, "Arrow in and out"): a
``pyarrow`` Array or ChunkedArray (``string``, ``large_string``,
``string_view``, binaries, dictionaries of them), a pandas Series whose dtype
is Arrow-backed (``ArrowDtype``, ``string[pyarrow]``, pandas 3's default
``str``; an ``object`` Series keeps the path above), a Polars Series, a
one-column DuckDB result. Results are Arrow-backed of the same kind (a Series
keeps its kind of dtype, index and name; a Polars Series its name; otherwise a
``pyarrow`` Array); a null row is a missing value, as ``None`` is.

>>> from gdprkit import identifiers
>>> identifiers.check(["010203-1234", "300200-1234", "12"], kind="cpr")
['ok', 'bad_date', 'bad_length']
>>> identifiers.normalise(["010203-1234", " 0102031234 "])
['0102031234', '0102031234']
>>> identifiers.normalise(["12345"], kind="ydernummer")
['012345']
>>> identifiers.is_valid("10000009", kind="cvr")
True
>>> identifiers.check(["240135-7665"], as_of="2026-12-02")  # born 24-01-2035
['future_birth_date']
>>> identifiers.is_valid("240135-7665", allow_future=True)
True

Rejections name the row and the reason, never the value: messages must not
carry the identifiers they protect.

``errors=`` has one meaning in every batch call of the package (the
identifiers' :func:`normalise` and the vault's pseudonymise, tokenise,
lookup_tokens, reidentify and translate):

* ``"raise"`` (default): :class:`gdprkit.InvalidArgumentError` naming the
  first rejected row and why (never the value); nothing is returned;
* ``"coerce"``: a rejected row's result is ``None``;
* ``"report"``: as ``"coerce"``, and the call returns a pair
  ``(values, rejected)``: the same container, and a :class:`RejectedRows`
  listing each rejected row (its position, its index label for a Series, and
  the reason's code and title; ``rejected.frame(lang="da")`` as a DataFrame).

>>> values, rejected = identifiers.normalise(["010203-1234", "12"], errors="report")
>>> values, list(rejected)
(['0102031234', None], [(1, 'bad_length')])
>>> identifiers.explain("bad_length", "cpr", lang="da")
'et CPR-nummer har 10 cifre (DDMMÅÅ-SSSS)'
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterator,
    List,
    Literal,
    Optional,
    Sequence,
    Tuple,
    TypedDict,
    Union,
    overload,
)

from . import _args, _display, _gdprkit, _log, _optional
from ._errors import ArgumentTypeError, InvalidArgumentError

if TYPE_CHECKING:
    import numpy
    import pandas
    from typing_extensions import Unpack

__all__ = [
    "KINDS",
    "PROBLEMS",
    "TOKEN_PROBLEMS",
    "CprInfo",
    "IdOptions",
    "RejectedRows",
    "check",
    "cpr_info",
    "explain",
    "is_valid",
    "kind_name",
    "kind_title",
    "normalise",
    "normalize",
    "validate_cpr",
]

#: The identifier kinds, by their canonical names (the core's table, in the
#: order of their numbers: "cpr" is 1).
KINDS: Tuple[str, ...] = tuple(_gdprkit.id_kind_names())

#: The problem codes, by number (0 = "ok"), from the core's table.
PROBLEMS: Tuple[str, ...] = tuple(_gdprkit.id_problem_codes())

#: Why a token was rejected (reidentify, translate), by number (0 = "ok").
TOKEN_PROBLEMS: Tuple[str, ...] = tuple(_gdprkit.token_problem_names())

#: The modes of ``errors=`` in a batch call.
ERROR_MODES: Tuple[str, ...] = ("raise", "coerce", "report")

#: ``errors=`` as the type checker sees it; "report" changes the result.
Errors = Literal["raise", "coerce"]


class IdOptions(TypedDict, total=False):
    """The keyword arguments of how identifiers are checked, shared by every
    call that checks them (for the type checker: ``**options:
    Unpack[IdOptions]``)."""

    require_modulus11: bool
    allow_replacement: bool
    pad_provider_number: bool
    allow_future: bool
    as_of: Any


#: Where times with a zone given as ``as_of`` are read.
_ZONE = "Europe/Copenhagen"

# (require_modulus11, allow_replacement, pad_provider_number, allow_future,
#  (year, month, day) of as_of or (0, 0, 0) for today in Denmark)
_Options = Tuple[bool, bool, bool, bool, Tuple[int, int, int]]


def _kind_number(kind: Union[str, int]) -> int:
    if isinstance(kind, str):
        return int(_gdprkit.id_kind_parse(_args.text(kind, "kind")))
    if isinstance(kind, bool) or not hasattr(kind, "__index__"):
        raise ArgumentTypeError(f"kind must be a str such as 'cpr', not {type(kind).__name__}")
    number = _args.integer(kind, "kind", 1, len(KINDS))
    _gdprkit.id_kind_name(number)  # raises for an unknown number
    return number


def kind_name(kind: Union[str, int]) -> str:
    """The canonical name of a kind or alias (``"ydernummer"`` ->
    ``"provider_number"``). :class:`InvalidArgumentError` for an unknown one."""
    return str(_gdprkit.id_kind_name(_kind_number(kind)))


def _day_to_date(day: int) -> Tuple[int, int, int]:
    d = datetime.date(1970, 1, 1) + datetime.timedelta(days=day)
    return (d.year, d.month, d.day)


def _as_of(value: Any) -> Tuple[int, int, int]:
    """The (year, month, day) of an ``as_of=`` argument; (0, 0, 0), today in
    Denmark, for None."""
    if value is None:
        return (0, 0, 0)
    if isinstance(value, str):
        text = _args.text(value, "as_of", empty=False)
        try:
            return _day_to_date(int(_gdprkit.parse_datetime(text, _ZONE)))
        except InvalidArgumentError as e:
            raise InvalidArgumentError(f"as_of: {e}") from None
    if isinstance(value, bool) or not isinstance(value, (datetime.date, _datetime64_type())):
        raise ArgumentTypeError(
            "as_of must be a date (str 'YYYY-MM-DD', datetime.date, datetime, pandas "
            f"Timestamp or numpy.datetime64), not {type(value).__name__}")
    if value != value:  # NaT
        raise InvalidArgumentError("as_of is NaT; leave it out (None) for today")
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            # An instant: its date in Denmark, as the C++ core reads texts.
            return _day_to_date(int(_gdprkit.parse_datetime(value.isoformat(), _ZONE)))
        return (value.year, value.month, value.day)
    if isinstance(value, datetime.date):
        return (value.year, value.month, value.day)
    import numpy as np

    days = int(np.asarray(value).astype("datetime64[D]").astype(np.int64))
    try:
        return _day_to_date(days)
    except OverflowError:
        raise InvalidArgumentError("as_of is not a date of the years 1-9999") from None


def _datetime64_type() -> type:
    """numpy.datetime64 when NumPy is loaded (a pandas or NumPy user's value
    can only be one then); a type nothing is an instance of otherwise."""
    import sys

    np = sys.modules.get("numpy")
    return np.datetime64 if np is not None else type(None)


def _options(
    require_modulus11: bool,
    allow_replacement: bool,
    pad_provider_number: bool,
    allow_future: bool = False,
    as_of: Any = None,
) -> _Options:
    return (bool(require_modulus11), bool(allow_replacement), bool(pad_provider_number),
            bool(allow_future), _as_of(as_of))


def _arrow_kind(values: Any) -> Optional[str]:
    """How an Arrow column came (``"pyarrow"``, ``"chunked"``, ``"pandas"``,
    ``"polars"``, ``"other"``: anything else with the Arrow PyCapsule
    interface, a DuckDB result), or None for a column that is not Arrow.
    A pandas Series counts only when its dtype is Arrow-backed (``ArrowDtype``
    or ``StringDtype("pyarrow")``): pandas 3 gives every Series
    ``__arrow_c_stream__``, and an object column must not be converted."""
    module = type(values).__module__
    if module.startswith("pandas"):
        import pandas as pd

        if not isinstance(values, pd.Series):
            return None
        dt = values.dtype
        if isinstance(dt, pd.ArrowDtype) or (
            isinstance(dt, pd.StringDtype) and dt.storage == "pyarrow"
        ):
            return "pandas"
        return None
    if module.startswith("numpy"):
        return None
    if module.startswith("pyarrow"):
        import pyarrow as pa

        if isinstance(values, pa.ChunkedArray):
            return "chunked"
        if isinstance(values, pa.Array):
            return "pyarrow"
    elif module.startswith("polars"):
        import polars as pl

        if isinstance(values, pl.Series):
            return "polars"
    if hasattr(values, "__arrow_c_array__") or hasattr(values, "__arrow_c_stream__"):
        return "other"
    return None


def _pd_string_dtype() -> Any:
    """pandas.StringDtype (pandas is imported: an Arrow-backed Series came)."""
    import pandas as pd

    return pd.StringDtype


def _arrow_text_type(t: Any) -> bool:
    """True for the pyarrow types the extension reads as text (text, binary,
    their large and view forms, and dictionaries of them)."""
    import pyarrow as pa

    if t is None:
        return False
    if pa.types.is_dictionary(t):
        t = t.value_type
    return bool(pa.types.is_string(t) or pa.types.is_large_string(t)
                or pa.types.is_string_view(t) or pa.types.is_binary(t)
                or pa.types.is_large_binary(t) or pa.types.is_binary_view(t))


def _pyarrow() -> Any:
    """pyarrow, or None when it is not installed."""
    try:
        import pyarrow
    except ImportError:
        return None
    return pyarrow


class _Column:
    """A column read from a list, tuple, NumPy array, pandas Series, str or
    an Arrow column, as a list (or a 1-D object array, or the Arrow column
    itself) for the extension, with the means to give results back in the
    caller's container (Arrow-backed for an Arrow column)."""

    __slots__ = ("items", "_kind", "_ref", "_arrow")

    def __init__(self, values: Any, kind: int, what: str = "values", *,
                 arrow: bool = False) -> None:
        self._ref = values
        self._arrow: Optional[str] = _arrow_kind(values)
        # An Arrow-backed pandas Series of text goes to the extension as
        # Arrow only for callers whose binding reads Arrow text (arrow=True);
        # for the others, and for numbers in an ArrowDtype, it keeps the path
        # of pandas columns. Other Arrow objects had no path before: they
        # always go as Arrow.
        if self._arrow is not None and (self._arrow != "pandas" or (
                arrow and (isinstance(values.dtype, _pd_string_dtype())
                           or _arrow_text_type(getattr(values.dtype, "pyarrow_dtype", None))))):
            self._kind = "arrow"
            # A pandas Series gives its ChunkedArray (no copy); the others go
            # to the extension as they are (__arrow_c_array__/_stream__).
            self.items: Any = (values.array.__arrow_array__() if self._arrow == "pandas"
                               else values)
            return
        if isinstance(values, (str, bytes)):
            self._kind = "scalar"
            self.items = [values]
            return
        if isinstance(values, list):
            self._kind = "list"
            self.items = values
            return
        if isinstance(values, tuple):
            self._kind = "list"
            self.items = values
            return
        module = type(values).__module__
        if module.startswith("pandas"):
            import pandas as pd

            if not isinstance(values, pd.Series):
                raise ArgumentTypeError(
                    f"{what} must be a list, a NumPy array or a pandas Series, "
                    f"not {type(values).__name__}"
                )
            self._kind = "series"
            # Object columns, and string columns whose missing value is NaN
            # (pandas 3's default "str"), as they are: None/NaN are handled in
            # C++, and na_value= would copy the column (34 ms per million).
            # Other extension dtypes map pd.NA to None.
            dt = values.dtype
            if pd.api.types.is_object_dtype(dt) or (
                isinstance(dt, pd.StringDtype) and getattr(dt, "na_value", pd.NA) is not pd.NA
            ):
                arr = values.to_numpy(dtype=object)
            else:
                arr = values.to_numpy(dtype=object, na_value=None)  # type: ignore[call-overload]
            self.items = self._from_array(arr, values.dtype, kind, what)
            return
        if module == "numpy":
            import numpy as np

            if not isinstance(values, np.ndarray):
                raise ArgumentTypeError(
                    f"{what} must be a 1-D array, not {type(values).__name__}")
            if values.ndim != 1:
                raise InvalidArgumentError(f"{what} must be 1-D, not {values.ndim}-D")
            self._kind = "numpy"
            self.items = self._from_array(values, values.dtype, kind, what)
            return
        if isinstance(values, (dict, set, frozenset)) or not hasattr(values, "__iter__"):
            raise ArgumentTypeError(
                f"{what} must be a list, a NumPy array or a pandas Series, "
                f"not {type(values).__name__}"
            )
        self._kind = "list"
        try:
            self.items = list(values)
        except TypeError:
            raise ArgumentTypeError(
                f"{what} must be a list, a NumPy array or a pandas Series, "
                f"not {type(values).__name__}"
            ) from None

    @staticmethod
    def _from_array(arr: Any, dtype: Any, kind: int, what: str) -> Any:
        import numpy as np

        dkind = getattr(dtype, "kind", "O")
        if dkind in ("i", "u"):
            if kind == 1:
                raise ArgumentTypeError(
                    f"{what} holds integers: CPR numbers must be text, since a number "
                    "loses the leading zero of days 01-09 (read the column with dtype=str)"
                )
            return [str(v) for v in np.asarray(arr).tolist()]
        if dkind == "f" and kind == 1:
            raise ArgumentTypeError(f"{what} holds floats: CPR numbers must be text")
        if dkind in ("U", "S"):
            return np.asarray(arr).tolist()
        # An object array goes to C++ as it is (no list of a million
        # references); results then come back as an object array too.
        return np.asarray(arr, dtype=object)

    def labels(self) -> Optional[Sequence[Any]]:
        """The index labels of a Series (None for other containers)."""
        if self._kind != "series" and self._arrow != "pandas":
            return None
        return list(self._ref.index)

    def _wrap_arrow(self, result: Any, pandas_dtype: Any = None) -> Any:
        """An Arrow result (an ArrowColumn or a pyarrow Array) in the kind of
        Arrow column that came in: the same pyarrow kind, a Series with the
        same kind of dtype (`pandas_dtype`; None: the input's for text, and
        ArrowDtype for ArrowDtype input), index and name, a Polars Series with
        the name; else a pyarrow Array, or the ArrowColumn without pyarrow."""
        pa = _pyarrow()
        if pa is None:
            if self._arrow == "polars":
                import polars as pl

                return pl.Series(self._ref.name, result)
            return result
        arr = result if isinstance(result, pa.Array) else pa.array(result)
        if self._arrow == "chunked":
            return pa.chunked_array([arr], type=arr.type)
        if self._arrow == "polars":
            import polars as pl

            return pl.Series(self._ref.name, arr)
        if self._arrow == "pandas":
            import pandas as pd

            ref = self._ref
            dt = pandas_dtype
            if dt is None:
                dt = (ref.dtype if isinstance(ref.dtype, pd.StringDtype)
                      else pd.ArrowDtype(arr.type))
            return pd.Series(pd.array(arr, dtype=dt), index=ref.index, name=ref.name,
                             copy=False)
        return arr

    def wrap(self, result: Any, dtype: Optional[Any] = None) -> Any:
        """`result` (one value per row) in the caller's kind of container."""
        if self._kind == "arrow":
            return self._wrap_arrow(result)
        if self._kind == "scalar":
            return result[0]
        if self._kind == "list":
            return result
        import numpy as np

        if self._kind == "numpy":
            if isinstance(result, np.ndarray) and dtype in (None, object):
                return result
            return np.array(result, dtype=dtype or object)
        import pandas as pd

        ref = self._ref
        if isinstance(result, np.ndarray) and dtype in (None, object) and result.dtype == object:
            return pd.Series(result, index=ref.index, name=ref.name, dtype=object, copy=False)
        if dtype is None and isinstance(result, list):
            # Filling an object array and wrapping it without a copy is about
            # twice as fast as letting pandas convert the list.
            arr = np.empty(len(result), dtype=object)
            arr[:] = result
            return pd.Series(arr, index=ref.index, name=ref.name, dtype=object, copy=False)
        return pd.Series(result, index=ref.index, name=ref.name, dtype=dtype or object)

    def wrap_problems(self, problems: bytes, to: Callable[[int], Any], dtype: str) -> Any:
        if self._kind == "arrow" and _pyarrow() is not None:
            import numpy as np
            import pyarrow as pa

            codes = np.frombuffer(problems, dtype=np.uint8)
            if dtype == "bool":
                arr = pa.array(codes == 0)
                pandas_dtype: Any = "bool"
                if self._arrow == "pandas":
                    import pandas as pd

                    if isinstance(self._ref.dtype, pd.ArrowDtype):
                        pandas_dtype = pd.ArrowDtype(pa.bool_())
                return self._wrap_arrow(arr, pandas_dtype)
            table = pa.array([to(i) for i in range(len(PROBLEMS))], type=pa.string())
            return self._wrap_arrow(table.take(pa.array(codes)))
        if self._kind == "arrow":  # Polars or a DuckDB result without pyarrow: a list
            values = [to(b) for b in problems]
            if self._arrow == "polars":
                import polars as pl

                return pl.Series(self._ref.name, values)
            return values
        if self._kind in ("numpy", "series"):
            import numpy as np

            codes = np.frombuffer(problems, dtype=np.uint8)
            if dtype == "bool":
                return self.wrap(codes == 0, dtype="bool")
            table = np.array([to(i) for i in range(len(PROBLEMS))], dtype=object)
            return self.wrap(table[codes], dtype=object)
        return self.wrap([to(b) for b in problems])


class RejectedRows:
    """The rows a batch call rejected under ``errors="report"``: for each its
    position (``rows``), its index label when the input was a Series
    (``labels``), and why (``reasons``: codes of :data:`PROBLEMS` or, for
    tokens, :data:`TOKEN_PROBLEMS`). Never a value. Iterating gives
    ``(row, reason)`` pairs; :meth:`frame` a DataFrame with the reasons'
    titles in English or Danish."""

    __slots__ = ("_kind", "_tokens", "rows", "labels", "reasons")

    def __init__(self, problems: bytes, *, kind: int, tokens: bool = False,
                 labels: Optional[Sequence[Any]] = None) -> None:
        codes = TOKEN_PROBLEMS if tokens else PROBLEMS
        self._kind = kind
        self._tokens = tokens
        self.rows: Tuple[int, ...] = tuple(i for i, p in enumerate(problems) if p)
        self.reasons: Tuple[str, ...] = tuple(codes[problems[i]] for i in self.rows)
        self.labels: Optional[Tuple[Any, ...]] = (
            None if labels is None else tuple(labels[i] for i in self.rows))

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Tuple[int, str]]:
        return iter(zip(self.rows, self.reasons))

    def __bool__(self) -> bool:
        return bool(self.rows)

    def title(self, reason: str, lang: str = "en") -> str:
        """The reason's sentence for people, in English or Danish."""
        language = _args.language(lang)
        if self._tokens:
            return str(_gdprkit.token_problem_title(reason, language))
        return str(_gdprkit.id_problem_text(self._kind, PROBLEMS.index(reason), language))

    def counts(self) -> Dict[str, int]:
        """How many rows each reason rejected, most first."""
        out: Dict[str, int] = {}
        for r in self.reasons:
            out[r] = out.get(r, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: -kv[1]))

    def frame(self, lang: str = "en") -> "pandas.DataFrame":
        """One row per rejected row: ``row`` (position), ``label`` (the
        Series' index label, when there was one), ``reason`` (the code) and
        ``title`` (why, in `lang`)."""
        pd = _optional.pandas("RejectedRows.frame")

        data: Dict[str, Any] = {"row": list(self.rows)}
        if self.labels is not None:
            data["label"] = list(self.labels)
        data["reason"] = list(self.reasons)
        data["title"] = [self.title(r, lang) for r in self.reasons]
        df: pandas.DataFrame = pd.DataFrame(data)
        return df

    def __repr__(self) -> str:
        return _display.one_line("RejectedRows", rows=len(self), reasons=self.counts())

    def to_html(self, lang: str = "en") -> str:
        """The display: the count, then one line per reason (code, title,
        rows), and the first rows."""
        counts = self.counts()
        return _display.block(
            "Rejected rows", _display.plural(len(self), "row"),
            _display.table(["reason", "why", "rows"],
                           [(r, self.title(r, lang), n) for r, n in counts.items()]),
            _display.table(["row", "reason"], list(self), max_rows=20))

    def _repr_html_(self) -> str:
        return self.to_html()


def _rejections(problems: bytes, kind: int, col: "_Column", tokens: bool = False) -> RejectedRows:
    return RejectedRows(problems, kind=kind, tokens=tokens, labels=col.labels())


def _result(values: Any, problems: bytes, errors: str, kind: int, col: "_Column",
            tokens: bool = False) -> Any:
    """What a batch call returns: `values`, or (values, rejected rows) under
    ``errors="report"``."""
    if errors == "report":
        return values, _rejections(problems, kind, col, tokens)
    return values


def _logged(entry: Dict[str, _log.Count], kind: int, rows: int, problems: bytes) -> None:
    entry.update(kind=KINDS[kind - 1] if 0 < kind <= len(KINDS) else "token", rows=rows,
                 rejected=sum(1 for p in problems if p))


def check(
    values: Any,
    kind: Union[str, int] = "cpr",
    *,
    require_modulus11: bool = False,
    allow_replacement: bool = True,
    pad_provider_number: bool = True,
    allow_future: bool = False,
    as_of: Any = None,
) -> Any:
    """The problem code of every value (``"ok"`` when accepted; see
    :data:`PROBLEMS` and :func:`explain`), in the caller's container.

    CPR numbers born after ``as_of`` (default: today in Denmark) are
    ``"future_birth_date"`` unless ``allow_future=True``."""
    k = _kind_number(kind)
    options = _options(require_modulus11, allow_replacement, pad_provider_number, allow_future,
                       as_of)
    col = _Column(values, k, arrow=True)
    problems = _gdprkit.ids_check(k, col.items, options)
    return col.wrap_problems(problems, lambda p: PROBLEMS[p], "object")


def is_valid(
    values: Any,
    kind: Union[str, int] = "cpr",
    *,
    require_modulus11: bool = False,
    allow_replacement: bool = True,
    pad_provider_number: bool = True,
    allow_future: bool = False,
    as_of: Any = None,
) -> Any:
    """True for every accepted value: a bool for a str, a list of bools, a
    bool NumPy array or a bool Series (same index). A CPR number born after
    ``as_of`` (default: today in Denmark) is not valid unless
    ``allow_future=True``."""
    k = _kind_number(kind)
    options = _options(require_modulus11, allow_replacement, pad_provider_number, allow_future,
                       as_of)
    col = _Column(values, k, arrow=True)
    problems = _gdprkit.ids_check(k, col.items, options)
    return col.wrap_problems(problems, lambda p: p == 0, "bool")


def validate_cpr(values: Any, *, require_modulus11: bool = False,
                 allow_replacement: bool = True, allow_future: bool = False,
                 as_of: Any = None) -> Any:
    """:func:`is_valid` for CPR numbers."""
    return is_valid(values, "cpr", require_modulus11=require_modulus11,
                    allow_replacement=allow_replacement, allow_future=allow_future,
                    as_of=as_of)


@overload
def normalise(values: str, kind: Union[str, int] = ..., *,  # type: ignore[overload-overlap]
              errors: Errors = ..., **options: Unpack[IdOptions]) -> Optional[str]: ...
@overload
def normalise(values: "pandas.Series[Any]", kind: Union[str, int] = ..., *,
              errors: Errors = ..., **options: Unpack[IdOptions]) -> "pandas.Series[Any]": ...
@overload
def normalise(values: "numpy.ndarray[Any, Any]", kind: Union[str, int] = ..., *,
              errors: Errors = ..., **options: Unpack[IdOptions]) -> "numpy.ndarray[Any, Any]": ...
@overload
def normalise(values: Sequence[Optional[str]], kind: Union[str, int] = ..., *,
              errors: Errors = ..., **options: Unpack[IdOptions]) -> List[Optional[str]]: ...
@overload
def normalise(values: Any, kind: Union[str, int] = ..., *, errors: Literal["report"],
              **options: Unpack[IdOptions]) -> Tuple[Any, RejectedRows]: ...
def normalise(
    values: Any,
    kind: Union[str, int] = "cpr",
    *,
    errors: str = "raise",
    require_modulus11: bool = False,
    allow_replacement: bool = True,
    pad_provider_number: bool = True,
    allow_future: bool = False,
    as_of: Any = None,
) -> Any:
    """The normal form of every value (what the vault pseudonymises), in the
    caller's container.

    Args:
        errors: ``"raise"`` (default): :class:`InvalidArgumentError` naming the
            first rejected row and why (never the value); ``"coerce"``:
            rejected rows become ``None``; ``"report"``: as ``"coerce"``, and
            the result is ``(values, rejected)`` with a :class:`RejectedRows`.
        allow_future, as_of: CPR numbers born after ``as_of`` (default: today
            in Denmark) are rejected (``"future_birth_date"``) unless
            ``allow_future=True``.
    """
    mode = _args.errors_mode(errors, ERROR_MODES)
    k = _kind_number(kind)
    options = _options(require_modulus11, allow_replacement, pad_provider_number, allow_future,
                       as_of)
    col = _Column(values, k, arrow=True)
    with _log.timed("identifiers.normalise") as entry:
        out, problems = _gdprkit.ids_normalize(k, col.items, options, mode)
        _logged(entry, k, len(problems), problems)
    return _result(col.wrap(out), problems, mode, k, col)


normalize = normalise


def explain(problem: Union[str, int], kind: Union[str, int] = "cpr", *,
            lang: str = "en") -> str:
    """Why a value of `kind` was rejected with `problem` (a code from
    :func:`check` or its number), in a sentence that never repeats the value;
    in Danish with ``lang="da"`` (the core's table of both)."""
    k = _kind_number(kind)
    if isinstance(problem, str):
        number = int(_gdprkit.id_problem_parse(_args.text(problem, "problem")))
    else:
        number = _args.integer(problem, "problem", 0, len(PROBLEMS) - 1)
    return str(_gdprkit.id_problem_text(k, number, _args.language(lang)))


def kind_title(kind: Union[str, int], *, lang: str = "en") -> str:
    """The title of a kind for people: ``"CPR number"``, in Danish
    ``"CPR-nummer"``."""
    return str(_gdprkit.id_kind_title(_kind_number(kind), _args.language(lang)))


@dataclass(frozen=True)
class CprInfo:
    """What a CPR number says (:func:`cpr_info`)."""

    year: int
    month: int
    day: int
    replacement: bool  #: an erstatningspersonnummer (day + 60)
    modulus11: bool  #: passes the pre-2007 modulus-11 check
    female: bool  #: last digit even


def cpr_info(value: str, *, require_modulus11: bool = False,
             allow_replacement: bool = True, allow_future: bool = False,
             as_of: Any = None) -> CprInfo:
    """The date of birth and flags of one CPR number; :class:`InvalidArgumentError`
    (saying why, not repeating it) when it is rejected, also when it was born
    after ``as_of`` (default: today in Denmark) unless ``allow_future=True``."""
    r = _gdprkit.cpr_info(_args.text(value, "value"),
                          _options(require_modulus11, allow_replacement, True, allow_future,
                                   as_of))
    if isinstance(r, int):
        raise InvalidArgumentError(
            f"CPR number rejected: {_gdprkit.id_problem_text(1, r, 'en')} [{PROBLEMS[r]}]"
        )
    return CprInfo(*r)
