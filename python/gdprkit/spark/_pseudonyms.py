"""Pseudonyms and tokens of a Spark DataFrame's identifier column.

* :func:`pseudonymise` runs on the executors: the domain's exported key
  travels to them as a broadcast variable (never a literal of the query plan,
  never a constant of the pickled function), each Python worker builds one
  :class:`gdprkit.Pseudonymizer` from it per broadcast, and Arrow batches go
  through it with ``mapInArrow``.
* :func:`tokenise` runs where the vault is, on the driver: the distinct
  identifiers are collected (Arrow), tokenised in one vault transaction, and
  the tokens joined back.

Both keep the DataFrame's rows and columns: the identifier column is replaced
in place (same name, same position) or, with ``output=``, a column is
appended. A null identifier gives a null result and no problem.

``errors=`` (the package's modes, :mod:`gdprkit.identifiers`):

* ``"raise"`` (default): a rejected identifier fails: for
  :func:`pseudonymise` the Spark job (when an action runs it), for
  :func:`tokenise` the call itself, before any token is issued; the message
  names the row (``partition P, row R``: Spark's partition id and the row's
  position in it) and the reason, never the value;
* ``"coerce"``: a rejected identifier gives null;
* ``"report"`` (also ``"null"``): as ``"coerce"``, plus a column of problem codes
  (:data:`gdprkit.identifiers.PROBLEMS`), null where the identifier was
  accepted (or null): ``problem_column=``, by default ``<output>_problem``
  with ``<output>`` the result's column.

docs/spark.md describes what runs where and how far :func:`tokenise` scales.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

import numpy as np

from .. import _args, _gdprkit, _log
from .._errors import ArgumentTypeError, InvalidArgumentError
from ..identifiers import (
    ERROR_MODES,
    PROBLEMS,
    IdOptions,
    _kind_number,
    _Options,
    _options,
)
from ..vault import Pseudonymizer, Vault
from . import _common

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark import Broadcast
    from pyspark.sql import DataFrame
    from pyspark.sql.types import StructType
    from typing_extensions import Unpack

__all__ = ["pseudonymise", "pseudonymize", "tokenise", "tokenize"]

_KeyText = Union[str, bytes, bytearray, memoryview]

#: Up to this many distinct identifiers, :func:`tokenise` joins the tokens
#: back with a broadcast join (each executor holds the whole table; the rows
#: keep their partitions and order); above it, with a shuffle join after which
#: the rows are put back in their order.
BROADCAST_ROWS = 2_000_000


# ---- Arguments --------------------------------------------------------------


def _string_column(sdf: "DataFrame", value: Any, name: str) -> str:
    """An existing column of Spark type string (identifiers are text: a
    number column has lost its leading zeros)."""
    from pyspark.sql.types import StringType

    checked = _common.column(sdf, value, name)
    data_type = sdf.schema[checked].dataType
    if not isinstance(data_type, StringType):
        raise ArgumentTypeError(
            f"{name}: column {_gdprkit.quote_untrusted(checked)} is of type "
            f"{data_type.simpleString()}, not string (identifiers are text: a number "
            "column has lost their leading zeros)")
    return checked


def _targets(sdf: "DataFrame", source: str, output: Any, problem_column: Any,
             mode: str) -> Tuple[str, Optional[str]]:
    """The result's column (the source itself when `output` is None) and the
    problem column (``errors="report"`` only)."""
    target = source if output is None else _common.new_column(sdf, output, "output")
    if mode != "report":
        if problem_column is not None:
            raise InvalidArgumentError(
                f'problem_column is given but errors="{mode}" writes no problem column; '
                'use errors="report"')
        return target, None
    problem = _common.new_column(
        sdf, f"{target}_problem" if problem_column is None else problem_column,
        "problem_column")
    if problem == target:
        raise InvalidArgumentError("problem_column must differ from output")
    return target, problem


def _result_schema(schema: "StructType", source: str, target: str,
                   problem: Optional[str]) -> "StructType":
    """The DataFrame's schema with the result in place of `source` (or
    appended as `target`) and the problem column appended."""
    from pyspark.sql.types import StringType, StructField, StructType

    fields = [StructField(f.name, StringType(), True) if f.name == target else f
              for f in schema.fields]
    if target != source:
        fields.append(StructField(target, StringType(), True))
    if problem is not None:
        fields.append(StructField(problem, StringType(), True))
    return StructType(fields)


def _key_bytes(key: Any) -> bytes:
    """The exported key's text as bytes, checked on the driver (a bad key is
    refused here, with the message of :meth:`Pseudonymizer.from_exported_key`,
    which never repeats the text)."""
    if not isinstance(key, (str, bytes, bytearray, memoryview)):
        raise ArgumentTypeError(
            "key must be the text of Vault.export_pseudonym_key (str or bytes), "
            f"not {type(key).__name__}")
    if isinstance(key, str):
        _args.check_unicode(key, "key")
        data = key.encode("utf-8")
    else:
        data = bytes(key)
    Pseudonymizer.from_exported_key(data)
    return data


class _Call:
    """The checked arguments both calls share."""

    __slots__ = ("source", "mode", "kind", "target", "problem", "options")

    def __init__(self, sdf: "DataFrame", column: Any, kind: Union[str, int], errors: Any,
                 output: Any, problem_column: Any, options: "IdOptions") -> None:
        self.source = _string_column(sdf, column, "column")
        self.mode = _args.errors_mode(errors, ERROR_MODES)
        self.kind = _kind_number(kind)
        self.target, self.problem = _targets(sdf, self.source, output, problem_column,
                                             self.mode)
        unknown = sorted(set(options) - set(IdOptions.__annotations__))
        if unknown:
            raise ArgumentTypeError(
                f"unexpected keyword argument {_gdprkit.quote_untrusted(unknown[0])}")
        self.options = _fixed_day(_options(
            options.get("require_modulus11", False), options.get("allow_replacement", True),
            options.get("pad_provider_number", True), options.get("allow_future", False),
            options.get("as_of")))


# ---- On the executors -------------------------------------------------------

#: The Pseudonymizer of each broadcast key this Python worker has seen, by
#: the name the call gave its broadcast: built once per worker (Spark reuses
#: Python workers across tasks), not once per batch or task. Only the latest
#: few are kept: a long-lived worker must not hold every key it was ever sent.
_PSEUDONYMIZERS: Dict[str, Pseudonymizer] = {}
_KEEP_PSEUDONYMIZERS = 4

#: The problem codes as an object array, None for "ok": the codes of a batch
#: are one take.
_CODES = np.array([None, *PROBLEMS[1:]], dtype=object)


def _pseudonymizer(key: "Broadcast[bytes]", name: str) -> Pseudonymizer:
    made = _PSEUDONYMIZERS.get(name)
    if made is None:
        while len(_PSEUDONYMIZERS) >= _KEEP_PSEUDONYMIZERS:  # the oldest first
            del _PSEUDONYMIZERS[next(iter(_PSEUDONYMIZERS))]
        made = _PSEUDONYMIZERS[name] = Pseudonymizer.from_exported_key(key.value)
    return made


def _partition() -> int:
    from pyspark import TaskContext

    context = TaskContext.get()
    return context.partitionId() if context is not None else 0


def _problems(problems: bytes, column: "pa.Array") -> "np.ndarray[Any, Any]":
    """The problem numbers of a batch, 0 (none) for null identifiers."""
    codes = np.frombuffer(problems, dtype=np.uint8)
    if column.null_count:
        codes = codes.copy()
        codes[column.is_null().to_numpy(zero_copy_only=False)] = 0
    return codes


def _as_type(result: Any, arrow_type: "pa.DataType") -> "pa.Array":
    """A result column of the extension (Arrow) as a pyarrow Array of
    `arrow_type`, the text type Spark sent (string or large_string)."""
    import pyarrow as pa

    arr = result if isinstance(result, pa.Array) else pa.array(result)
    return arr if arr.type == arrow_type else arr.cast(arrow_type)


def _rejected(call: str, column: str, kind: int, partition: int, row: int,
              problem: int) -> InvalidArgumentError:
    """The error of a rejected identifier: where and why, never the value."""
    return InvalidArgumentError(
        f"{call}: column {_gdprkit.quote_untrusted(column)}: "
        f"{_common.row_position(partition, row)} is rejected ({PROBLEMS[problem]}: "
        f"{_gdprkit.id_problem_text(kind, problem, 'en')})")


class _PseudonymiseBatches:
    """The function ``mapInArrow`` runs on the executors: what it needs to
    pseudonymise the batches of a partition, and no secret (the key is the
    broadcast's, read on the executor)."""

    __slots__ = ("key", "name", "kind", "options", "mode", "source", "index", "target",
                 "problem")

    def __init__(self, key: "Broadcast[bytes]", kind: int, options: _Options, mode: str,
                 source: str, index: int, target: str, problem: Optional[str]) -> None:
        self.key = key
        self.name = uuid.uuid4().hex  # names the broadcast in the workers' cache
        self.kind = kind
        self.options = options
        self.mode = mode
        self.source = source
        self.index = index
        self.target = target
        self.problem = problem

    def __call__(self, batches: Iterable["pa.RecordBatch"]) -> Iterator["pa.RecordBatch"]:
        import pyarrow as pa

        pseudonymizer = _pseudonymizer(self.key, self.name)
        partition = _partition()
        row = 0
        for batch in batches:
            column = batch.column(self.index)
            # The Arrow column straight into the core; the pseudonyms come
            # back as an Arrow array written in place (no Python str per row).
            out, problems = pseudonymizer._h.pseudonymize(
                self.kind, column, "coerce", self.options, None)
            codes = _problems(problems, column)
            if self.mode == "raise" and codes.any():
                first = int(np.flatnonzero(codes)[0])
                raise _rejected("pseudonymise", self.source, self.kind, partition, row + first,
                                int(codes[first]))
            result = _as_type(out, column.type)
            arrays = list(batch.columns)
            names = list(batch.schema.names)
            if self.target == names[self.index]:
                arrays[self.index] = result
            else:
                arrays.append(result)
                names.append(self.target)
            if self.problem is not None:
                arrays.append(pa.array(_CODES[codes], type=column.type))
                names.append(self.problem)
            row += batch.num_rows
            yield pa.RecordBatch.from_arrays(arrays, names=names)


class _FirstRejected:
    """The function ``mapInArrow`` runs to find where the first rejected
    identifier of each partition is (partition, row, problem): at most one row
    per partition, never a value."""

    __slots__ = ("kind", "options", "index")

    def __init__(self, kind: int, options: _Options, index: int) -> None:
        self.kind = kind
        self.options = options
        self.index = index

    def __call__(self, batches: Iterable["pa.RecordBatch"]) -> Iterator["pa.RecordBatch"]:
        import pyarrow as pa

        partition = _partition()
        row = 0
        for batch in batches:
            column = batch.column(self.index)
            codes = _problems(_gdprkit.ids_check(self.kind, column, self.options), column)
            if codes.any():
                first = int(np.flatnonzero(codes)[0])
                yield pa.RecordBatch.from_pydict({
                    "partition": pa.array([partition], pa.int32()),
                    "row": pa.array([row + first], pa.int64()),
                    "problem": pa.array([int(codes[first])], pa.int32())})
                return
            row += batch.num_rows


# ---- The calls --------------------------------------------------------------


def pseudonymise(
    sdf: "DataFrame",
    column: str,
    *,
    key: _KeyText,
    kind: Union[str, int] = "cpr",
    errors: str = "raise",
    output: Optional[str] = None,
    problem_column: Optional[str] = None,
    **options: "Unpack[IdOptions]",
) -> "DataFrame":
    """The DataFrame with the pseudonyms of `column` (identifiers of `kind`)
    computed on the executors from `key`, the text of
    :meth:`gdprkit.Vault.export_pseudonym_key`: row for row the pseudonyms
    :meth:`gdprkit.Vault.pseudonymise` gives in that domain. Lazy, as Spark
    is: nothing runs until an action.

    `key` is checked here (:class:`gdprkit.InvalidArgumentError` for a text
    that is not an exported key, without the text) and sent to the executors
    as a broadcast variable, so it appears in no query plan, UI page, event
    log or error; it needs the classic SparkContext (not Spark Connect).

    ``output=None`` replaces `column` in place (same name, same position);
    otherwise the pseudonyms are appended as column `output` (which must not
    exist). ``errors``, ``problem_column`` and null identifiers as in the
    module's notes; with ``errors="raise"`` the failing action raises Spark's
    error, whose message holds gdprkit's (``partition P, row R is rejected
    (reason)``). The identifier options (``require_modulus11`` ...) are those
    of :func:`gdprkit.identifiers.check`; ``as_of=None`` is fixed to today in
    Denmark when the call is made, so every executor checks against the same
    day.
    """
    sdf = _common.dataframe(sdf)
    call = _Call(sdf, column, kind, errors, output, problem_column, options)
    data = _key_bytes(key)
    context = _spark_context(sdf, "pseudonymise")
    shipped: "Broadcast[bytes]" = context.broadcast(data)
    del data
    # PySpark's mapInArrow reads the columns by name, which breaks on dots:
    # the function sees the columns as _0, _1, ..., renamed back after.
    plain = _plain(sdf)
    index = sdf.columns.index(call.source)
    names = list(sdf.columns)
    target = plain.columns[index]
    if call.target != call.source:
        target = f"_{len(names)}"
        names.append(call.target)
    problem = None
    if call.problem is not None:
        problem = f"_{len(names)}"
        names.append(call.problem)
    batches = _PseudonymiseBatches(shipped, call.kind, call.options, call.mode, call.source,
                                   index, target, problem)
    _log.decided("spark.pseudonymise", kind=_gdprkit.id_kind_name(call.kind), errors=call.mode,
                 appended=call.target != call.source)
    return plain.mapInArrow(
        batches, _result_schema(plain.schema, plain.columns[index], target, problem)
    ).toDF(*names)


pseudonymize = pseudonymise


def _fixed_day(options: _Options) -> _Options:
    """`options` with ``as_of`` today in Denmark when it was left for the
    core to decide (0, 0, 0): executors may run tomorrow."""
    if options[4] != (0, 0, 0):
        return options
    import datetime
    import zoneinfo

    today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Copenhagen")).date()
    return options[:4] + ((today.year, today.month, today.day),)


def _spark_context(sdf: "DataFrame", call: str) -> Any:
    """The classic SparkContext of `sdf` (broadcast variables need it)."""
    try:
        return sdf.sparkSession.sparkContext
    except Exception:  # Spark Connect: no SparkContext on the client
        raise InvalidArgumentError(
            f"gdprkit.spark.{call} needs the classic SparkContext to broadcast the key; "
            "Spark Connect has none") from None


def tokenise(
    sdf: "DataFrame",
    column: str,
    *,
    vault: Vault,
    domain: str,
    kind: Union[str, int] = "cpr",
    errors: str = "raise",
    output: Optional[str] = None,
    problem_column: Optional[str] = None,
    **options: "Unpack[IdOptions]",
) -> "DataFrame":
    """The DataFrame with the vault's reversible tokens of `column`
    (identifiers of `kind`) in `domain`: the distinct identifiers are
    collected to the driver (Arrow), tokenised in one vault transaction (as
    :meth:`gdprkit.Vault.tokenise`: existing tokens are kept, new ones
    issued; all or none), and joined back. Runs a Spark job now (to collect);
    the DataFrame returned is lazy.

    ``output``, ``errors``, ``problem_column`` and nulls as in
    :func:`pseudonymise`; with ``errors="raise"`` a rejected identifier fails
    this call before any token is issued, naming its row (one more Spark job
    finds it). The driver holds the distinct identifiers and their tokens:
    docs/spark.md says how many fit per GB.
    """
    sdf = _common.dataframe(sdf)
    if not isinstance(vault, Vault):
        raise ArgumentTypeError(f"vault must be a gdprkit.Vault, not {type(vault).__name__}")
    checked_domain = _args.text(domain, "domain")
    call = _Call(sdf, column, kind, errors, output, problem_column, options)
    source, k, opts, mode = call.source, call.kind, call.options, call.mode
    from pyspark.sql import functions as F

    with _log.timed("spark.tokenise") as entry:
        ids = sdf.select(sdf[_quoted(source)].alias("id")).where(F.col("id").isNotNull())
        distinct = ids.distinct().toArrow().column(0).combine_chunks()
        if mode == "raise" and any(_gdprkit.ids_check(k, distinct, opts)):
            raise _first_rejected(sdf, source, k, opts)
        tokens, problems = vault._h.tokenize(checked_domain, k, distinct, "coerce", opts, None)
        codes = np.frombuffer(problems, dtype=np.uint8)
        entry.update(kind=_gdprkit.id_kind_name(k), distinct=len(distinct),
                     rejected=int(np.count_nonzero(codes)))
        return _join_back(sdf, source, call.target, call.problem, distinct, tokens, codes)


tokenize = tokenise


def _first_rejected(sdf: "DataFrame", source: str, kind: int,
                    options: _Options) -> InvalidArgumentError:
    """The error naming the first rejected row of `sdf` (a Spark job that
    returns positions and reasons only)."""
    found = _plain(sdf).mapInArrow(_FirstRejected(kind, options, sdf.columns.index(source)),
                                   "partition int, row long, problem int").collect()
    partition, row, problem = min((r["partition"], r["row"], r["problem"]) for r in found)
    return _rejected("tokenise", source, kind, partition, row, problem)


def _join_back(sdf: "DataFrame", source: str, target: str, problem: Optional[str],
               distinct: "pa.Array", tokens: Any, codes: "np.ndarray[Any, Any]") -> "DataFrame":
    """`sdf` with the tokens of its distinct identifiers joined on, the
    columns in their order (the token in place of `source` or appended), the
    rows in theirs."""
    import pyarrow as pa
    from pyspark.sql import functions as F

    taken = set(sdf.columns)
    id_name, token_name, problem_name, order_name = (
        _fresh(taken, f"__gdprkit_{what}") for what in ("id", "token", "problem", "row"))
    mapping = {id_name: distinct, token_name: _as_type(tokens, distinct.type)}
    if problem is not None:
        mapping[problem_name] = pa.array(_CODES[codes], pa.string())
    table = sdf.sparkSession.createDataFrame(pa.table(mapping))
    small = len(distinct) <= BROADCAST_ROWS
    left = sdf if small else sdf.withColumn(order_name, F.monotonically_increasing_id())
    right = F.broadcast(table) if small else table
    joined = left.join(right, left[_quoted(source)] == right[_quoted(id_name)], "left")
    if not small:
        joined = joined.orderBy(_quoted(order_name))
    token = joined[_quoted(token_name)].alias(target)
    columns: List[Any] = [token if name == target else left[_quoted(name)]
                          for name in sdf.columns]
    if target != source:
        columns.append(token)
    if problem is not None:
        columns.append(joined[_quoted(problem_name)].alias(problem))
    return joined.select(*columns)


def _plain(sdf: "DataFrame") -> "DataFrame":
    """`sdf` with its columns named _0, _1, ... (same order)."""
    return sdf.toDF(*(f"_{i}" for i in range(len(sdf.columns))))


def _quoted(name: str) -> str:
    """A column name as Spark reads it literally (dots and spaces included)."""
    return "`" + name.replace("`", "``") + "`"


def _fresh(taken: "set[str]", name: str) -> str:
    while name in taken:
        name += "_"
    taken.add(name)
    return name

