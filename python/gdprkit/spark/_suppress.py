"""Small-cell suppression of a table that Spark aggregates from records.

Spark counts (or sums) the records of a DataFrame with every total the
hierarchies need, in one pass of grouping sets; the table it returns (one row
per cell, small) is collected to the driver through Arrow and protected there
by the engine of :func:`gdprkit.suppress`. The pattern is the one
:func:`gdprkit.suppress` finds on the same aggregated table in pandas.

Each dimension with a hierarchy of depth D (the total at depth 0) is grouped
at D+1 levels: its total, then one column per depth holding each record's
ancestor at that depth (from a small broadcast mapping built from the
hierarchy: leaf code -> ancestors), the record's own code the deepest. The
grouping sets are the product of the dimensions' levels, so every total of
every hierarchy, and every combination of totals, is one group of the same
aggregation.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from .. import _args, _gdprkit, _log, _progress
from .. import rules as _rule_objects
from .. import suppression as _suppression
from .._errors import ArgumentTypeError, CancelledError, InvalidArgumentError
from . import _common

if TYPE_CHECKING:
    import os

    import pandas as pd
    from pyspark.sql import Column, DataFrame

__all__ = ["SparkSuppressionResult", "suppress"]

#: The prefix of the internal columns of the aggregation (dimension levels,
#: grouping flags, checks): positional names, so no column name of the
#: caller's DataFrame can clash with them.
_INTERNAL = "__gdprkit_"


@dataclass(frozen=True)
class _Dimension:
    """A dimension as the aggregation groups it."""

    name: str
    depth: int  # D: the levels are 0 (the total) .. D (the record's own code)
    total: str
    leaves: Optional[List[Tuple[str, List[Optional[str]]]]]  # leaf -> ancestors at 1..D-1
    codes: Optional[Dict[str, bool]]  # code -> is a leaf (None: a flat dimension)


@dataclass(frozen=True, repr=False)
class SparkSuppressionResult:
    """A table aggregated by Spark and protected on the driver.

    It shows what the :class:`gdprkit.SuppressionResult` of the aggregated
    table shows: ``repr``, ``str`` and the notebook's HTML are those of the
    pandas result (counts, the published table with ``x`` for every
    suppressed cell), so they never show a suppressed value and never say
    which cells are primary. The pandas result itself is not exposed: its
    ``table`` lists the cells without records (zeros) after the others, and
    its ``cells`` say which had records, which would tell a suppressed zero.

    Attributes:
        aggregate_seconds: wall time of the Spark aggregation and the
            collection of the table to the driver.
        protect_seconds: wall time of the protection on the driver (loading,
            primary and secondary suppression, audit).
    """

    _result: _suppression.SuppressionResult
    _session: Any = field(repr=False)
    aggregate_seconds: float = 0.0
    protect_seconds: float = 0.0
    _safe: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    # -- what the pandas result says ------------------------------------

    @property
    def dims(self) -> Tuple[str, ...]:
        """The dimension columns."""
        return self._result.dims

    @property
    def value(self) -> str:
        """The value column of the table (the count column for counts)."""
        return self._result.value

    @property
    def num_primary(self) -> int:
        """Cells suppressed by a primary rule."""
        return self._result.num_primary

    @property
    def num_secondary(self) -> int:
        """Cells suppressed to protect the primary cells."""
        return self._result.num_secondary

    @property
    def method(self) -> str:
        """The secondary method used ("heuristic" or "optimal")."""
        return self._result.method

    @property
    def total_cost(self) -> float:
        """The cost of the secondary cells under the cost model."""
        return self._result.total_cost

    @property
    def proven_optimal(self) -> bool:
        """The optimal method proved its pattern optimal."""
        return self._result.proven_optimal

    @property
    def hierarchies(self) -> Dict[str, List[Tuple[str, str]]]:
        """Each dimension's codes in hierarchy order, as (code, parent)."""
        return self._result.hierarchies

    def audit(self) -> _suppression.SuppressionAudit:
        """The audit of the pattern (as :meth:`gdprkit.SuppressionResult.audit`);
        it has passed."""
        return self._result.audit()

    @property
    def cells(self) -> pd.DataFrame:
        """Every cell in hierarchy order, safe to show, as
        :attr:`gdprkit.SuppressionResult.cells` (the suppressed values and
        everything computed from them are ``<NA>``, the status is
        "published" or "suppressed"). ``given`` says whether at least one
        record fell in the cell; it is ``<NA>`` on the suppressed rows,
        where "no record" would say that the value is 0."""
        cached = self._safe.get("cells")
        if cached is None:
            cached = self._result.cells.copy()
            given = cached["given"].astype("boolean")
            given[(cached["status"] != "published").to_numpy(dtype=bool)] = None
            cached["given"] = given
            self._safe["cells"] = cached
        out: pd.DataFrame = cached.copy()
        return out

    @property
    def sdf(self) -> DataFrame:
        """:attr:`cells` as a Spark DataFrame (same columns and order; the
        value is null where suppressed), in the session of the input. Safe
        to show and to write out as :attr:`cells` is."""
        cached = self._safe.get("sdf")
        if cached is None:
            cached = _spark_cells(self._session, self.cells, self.value)
            self._safe["sdf"] = cached
        frame: DataFrame = cached
        return frame

    #: The same as :attr:`sdf`.
    dataframe = sdf

    def confidential_cells(self) -> pd.DataFrame:
        """Not for publication: every cell with the true values and whether
        it is primary or secondary (:meth:`gdprkit.SuppressionResult.confidential_cells`)."""
        return self._result.confidential_cells()

    def published_frame(self, marker: Optional[str] = "x") -> pd.DataFrame:
        """The published table in long form (as the pandas result's)."""
        return self._result.published_frame(marker)

    def crosstab(self, marker: Optional[str] = "x") -> pd.DataFrame:
        """The published table as a cross table (as the pandas result's)."""
        return self._result.crosstab(marker)

    def to_html(self, marker: str = "x", *, lang: str = "en") -> str:
        """The published table as HTML for publication (as the pandas result's)."""
        return self._result.to_html(marker, lang=lang)

    def to_excel(self, path: Union[str, "os.PathLike[str]"], marker: str = "x", *,
                 lang: str = "en") -> None:
        """The published table in an Excel workbook (as the pandas result's)."""
        self._result.to_excel(path, marker, lang=lang)

    def plot(self, *args: Any, **kwargs: Any) -> Any:
        """A heatmap of the published table (:func:`gdprkit.plot_suppressed`)."""
        return _suppression.plot_suppressed(self._result, *args, **kwargs)

    def __repr__(self) -> str:
        return f"Spark{self._result!r}"

    __str__ = __repr__

    def _repr_html_(self) -> str:
        return self._result._repr_html_()


# ---------------------------------------------------------------------------
# The aggregation
# ---------------------------------------------------------------------------


def _ref(name: str) -> Column:
    """A column by its exact name (dots and backticks taken literally)."""
    from pyspark.sql import functions as F

    return F.col("`" + name.replace("`", "``") + "`")


def _dimension(name: str, spec: Optional[_suppression.HierarchySpec],
               total: Union[str, Mapping[str, str]]) -> _Dimension:
    """The levels of a dimension. A hierarchy is read and checked by the core
    (the engine of gdprkit.suppress on a one-dimensional table of its codes),
    before Spark runs: its errors are those of gdprkit.suppress."""
    import pandas as pd

    tot = total.get(name, "Total") if isinstance(total, Mapping) else total
    tot = _args.text(tot, f"total of {name!r}")
    if spec is None:
        return _Dimension(name, 1, tot, None, None)
    pairs = _suppression._hierarchy_pairs(name, spec, tot)
    codes = list(dict.fromkeys(code for code, _ in pairs)) or [tot]
    zero = "n" if name != "n" else "count"
    checked = _suppression.suppress(
        pd.DataFrame({name: codes, zero: [0] * len(codes)}), [name], zero,
        hierarchies={name: spec}, total=total, compute_totals=True, missing="zero",
        threshold=0, name=name)
    order = checked.hierarchies[name]  # (code, parent), parents first
    depth: Dict[str, int] = {}
    parent_of: Dict[str, str] = {}
    children: Dict[str, int] = {}
    for code, parent in order:
        depth[code] = depth[parent] + 1 if parent else 0
        parent_of[code] = parent
        children[parent] = children.get(parent, 0) + 1
    leaves = [code for code, _ in order if code not in children]
    d = max(1, max(depth[c] for c in leaves))  # 1: a hierarchy of its total alone
    mapping: List[Tuple[str, List[Optional[str]]]] = []
    for leaf in leaves:
        path = [leaf]
        while parent_of[path[-1]]:
            path.append(parent_of[path[-1]])
        path.reverse()  # the total, then depth 1, ..., the leaf
        # Ancestors at depths 1..D-1; a leaf shallower than D is its own
        # ancestor at its depth and has none deeper (its cell at level D is
        # the same cell as at its depth: the driver keeps one).
        mapping.append((leaf, [path[j] if j < len(path) else None for j in range(1, d)]))
    return _Dimension(name, d, order[0][0], mapping,
                      {code: code not in children for code, _ in order if parent_of[code]})


def _level_columns(sdf: DataFrame, dims: List[_Dimension]) -> Tuple[DataFrame, List[List[str]]]:
    """`sdf` (one row per leaf cell, each dimension's code as text in the
    column of its deepest level) with each dimension's other level columns,
    and the level columns per dimension, shallow to deep: the hierarchies'
    ancestors joined from broadcast mappings."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    levels: List[List[str]] = []
    for i, dim in enumerate(dims):
        own = f"{_INTERNAL}d{i}_l{dim.depth}"
        names = [f"{_INTERNAL}d{i}_l{j}" for j in range(1, dim.depth)]
        if dim.leaves is not None and names:
            schema = T.StructType(
                [T.StructField(f"{_INTERNAL}d{i}_leaf", T.StringType(), False)]
                + [T.StructField(n, T.StringType(), True) for n in names])
            mapping = _common.session(sdf).createDataFrame(
                [(leaf, *anc) for leaf, anc in dim.leaves], schema)
            sdf = sdf.join(F.broadcast(mapping), sdf[own] == mapping[schema.names[0]], "left")
            sdf = sdf.drop(schema.names[0])
        levels.append(names + [own])
    return sdf, levels


def _aggregate(
    sdf: DataFrame, dims: List[_Dimension], value: Optional[str], num_largest: int,
) -> pd.DataFrame:
    """The table: one row per (cell, grouping level) with the number of
    records, the sum of the value column and its checks (nulls, minimum),
    and the largest contributions when the rules need them; the grouping
    flags say each row's level per dimension.

    The records are first aggregated to their leaf cells (one shuffle; the
    leaf cells are at most the table's size), then the leaf cells to every
    total by the grouping sets, so the grouping sets expand leaf cells, not
    records."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    v, top = f"{_INTERNAL}v", f"{_INTERNAL}top"
    keys = [f"{_INTERNAL}d{i}_l{d.depth}" for i, d in enumerate(dims)]
    work = sdf.select(*[_ref(d.name).cast("string").alias(k) for d, k in zip(dims, keys)],
                      *([] if value is None else [_ref(value).cast("double").alias(v)]))
    if num_largest:
        # A contribution among the n largest of a total cell is among the n
        # largest of its leaf cell: only those are kept.
        rank = F.row_number().over(Window.partitionBy(*keys).orderBy(F.col(v).desc_nulls_last()))
        work = work.withColumn(top, F.when(rank <= num_largest, F.col(v)))
    leaf: List[Column] = [F.count(F.lit(1)).alias(f"{_INTERNAL}records")]
    total: List[Column] = [F.sum(f"{_INTERNAL}records").alias(f"{_INTERNAL}records")]
    if value is not None:
        for name, part, whole in (("value", F.sum(v), F.sum),
                                  ("nulls", F.count_if(F.col(v).isNull()), F.sum),
                                  ("min", F.min(v), F.min)):
            leaf.append(part.alias(f"{_INTERNAL}{name}"))
            total.append(whole(f"{_INTERNAL}{name}").alias(f"{_INTERNAL}{name}"))
    if num_largest:
        leaf.append(F.collect_list(top).alias(top))
        total.append(F.slice(F.sort_array(F.flatten(F.collect_list(top)), asc=False),
                             1, num_largest).alias(top))
    cells, levels = _level_columns(work.groupBy(*keys).agg(*leaf), dims)
    columns = [c for names in levels for c in names]
    sets = [list(itertools.chain.from_iterable(choice)) for choice in itertools.product(
        *[[[]] + [[n] for n in names] for names in levels])]
    flags = [F.grouping(c).alias(f"{_INTERNAL}g_{c}") for c in columns]
    table = cells.groupingSets(sets, *columns).agg(*flags, *total)
    out: pd.DataFrame = table.toArrow().to_pandas()
    return out


def _table(
    raw: pd.DataFrame, dims: List[_Dimension], value: Optional[str], column: str,
    magnitude: bool, num_largest: int, extra: Tuple[str, List[str]],
) -> pd.DataFrame:
    """The long-format table gdprkit.suppress takes, from the aggregation:
    each row's codes from its grouping level, the checks of the records
    (null codes, codes that are no leaf of their hierarchy, null or negative
    values), one row per cell."""
    import numpy as np
    import pandas as pd

    if len(raw) == 0 or int(raw[f"{_INTERNAL}records"].max()) == 0:
        raise InvalidArgumentError("the DataFrame has no records")
    if value is not None:
        nulls = int(raw[f"{_INTERNAL}nulls"].max())
        if nulls:
            raise InvalidArgumentError(
                f"value column {value!r} is null in {nulls} records; drop or fill them first")
        low = raw[f"{_INTERNAL}min"].min()
        if low < 0:
            raise InvalidArgumentError(
                f"value column {value!r} has negative values; contributions must be "
                f"non-negative")
    data: Dict[str, Any] = {}
    keep = np.ones(len(raw), dtype=bool)
    for i, dim in enumerate(dims):
        code = np.full(len(raw), dim.total, dtype=object)
        names = [f"{_INTERNAL}d{i}_l{j}" for j in range(1, dim.depth + 1)]
        for n in names:
            grouped = raw[f"{_INTERNAL}g_{n}"].to_numpy() == 0
            level = raw[n].to_numpy(dtype=object)
            code[grouped] = level[grouped]
        own = raw[f"{_INTERNAL}g_{names[-1]}"].to_numpy() == 0
        missing = pd.isna(code)
        if (missing & own).any():
            raise InvalidArgumentError(
                f"dimension {dim.name!r} is missing (null) in some records; drop or fill "
                f"them first (sdf.dropna(subset=[...]) or sdf.fillna(...))")
        _check_leaves(dim, pd.unique(code[own]))
        keep &= ~missing  # levels above a shallow leaf
        data[dim.name] = code
    data[column] = (raw[f"{_INTERNAL}records"].to_numpy(dtype="int64") if value is None else
                    raw[f"{_INTERNAL}value"].to_numpy(dtype="float64"))
    if magnitude:  # each record one contributor
        data[extra[0]] = raw[f"{_INTERNAL}records"].to_numpy(dtype="float64")
    if num_largest:
        top = np.zeros((len(raw), num_largest))
        for r, values in enumerate(raw[f"{_INTERNAL}top"].tolist()):
            top[r, :len(values)] = values
        for j, n in enumerate(extra[1]):
            data[n] = top[:, j]
    table = pd.DataFrame(data)[keep]
    # A leaf shallower than its hierarchy is grouped at its depth and again
    # at the deepest level: the same cell from the same records.
    out: pd.DataFrame = table.drop_duplicates(subset=[d.name for d in dims]).reset_index(
        drop=True)
    return out


def _check_leaves(dim: _Dimension, codes: Any) -> None:
    """InvalidArgumentError for a record's code that is not a leaf of the
    dimension's hierarchy (the code quoted as untrusted text)."""
    for code in codes:
        if code != dim.total and (dim.codes is None or dim.codes.get(code, False)):
            continue
        shown = _gdprkit.quote_untrusted(str(code))
        if dim.codes is None or code in dim.codes or code == dim.total:
            raise InvalidArgumentError(
                f"records of dimension {dim.name!r}: code {shown} is a total"
                f"{' of its hierarchy' if dim.codes is not None else ''}; records must "
                f"carry leaf codes")
        raise InvalidArgumentError(
            f"records of dimension {dim.name!r}: code {shown} is not in its hierarchy"
            f"{_gdprkit.did_you_mean(str(code), list(dim.codes), 3)}")


def _spark_cells(session: Any, cells: pd.DataFrame, value: str) -> DataFrame:
    """The safe cells as a Spark DataFrame, through Arrow, with an explicit
    schema: the codes as strings, nullable numbers, status as text."""
    import pyarrow as pa
    from pyspark.sql import types as T

    fields: List[Any] = []
    arrays: List[Any] = []
    for name in cells.columns:
        col = cells[name]
        if name == "given" or str(col.dtype) == "boolean":
            kind: Any = (pa.bool_(), T.BooleanType())
        elif name == value and str(col.dtype) == "Int64":
            kind = (pa.int64(), T.LongType())
        elif col.dtype.kind in "fiu" or str(col.dtype) in ("Float64", "Int64"):
            kind = (pa.float64(), T.DoubleType())
        else:
            kind = (pa.string(), T.StringType())
        values = col.astype(object) if kind[1] == T.StringType() else col
        arrays.append(pa.array(values.where(values.notna(), None).tolist()
                               if kind[1] == T.StringType() else values, type=kind[0],
                               from_pandas=True))
        fields.append(T.StructField(str(name), kind[1], True))
    table = pa.Table.from_arrays(arrays, names=[str(n) for n in cells.columns])
    frame: DataFrame = session.createDataFrame(table, schema=T.StructType(fields))
    return frame


def _largest_needed(fields: Dict[str, Any]) -> int:
    """How many of each cell's largest contributions the rules read: the
    largest n of the dominance rules, 2 for the p% rule."""
    n = max([int(pair[0]) for pair in fields.get("dominance") or []], default=0)
    if fields.get("p_percent"):
        n = max(n, 2)
    return n


# ---------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------


def suppress(
    sdf: DataFrame,
    *,
    dims: Sequence[str],
    value: Optional[str] = None,
    threshold: Optional[int] = None,
    hierarchies: Optional[Mapping[str, _suppression.HierarchySpec]] = None,
    total: Union[str, Mapping[str, str]] = "Total",
    count: str = "n",
    kind: Optional[str] = None,
    rules: Optional[_rule_objects.RulesArg] = None,
    dominance: Optional[Sequence[Tuple[int, float]]] = None,
    p_percent: Optional[float] = None,
    q_percent: Optional[float] = None,
    protect_zeros: Optional[bool] = None,
    threshold_hides_presence: Optional[bool] = None,
    missing: str = "zero",
    method: str = "auto",
    cost: str = "cells",
    time_limit: float = 60.0,
    effort: int = 1,
    optimal_max_cells: int = 400,
    audit: str = "auto",
    name: str = "table",
    progress: _progress.ProgressArg = None,
) -> SparkSuppressionResult:
    """Counts (or sums) records in Spark and protects the table on the driver.

    Args:
        sdf: a Spark DataFrame of records (one row per contact, person,
            prescription, ...).
        dims: the dimension columns. A record's code is its column's value as
            Spark casts it to text; a code of a hierarchy must be a leaf.
        value: None (default): the table counts the records (a frequency
            table). A numeric column: the table sums it (a magnitude table,
            each record one contributor: sum to one row per contributor and
            cell first when a person has several records), with each cell's
            number of contributors (the threshold rule counts them) and, when
            the rules need them, its largest contributions. Null or negative
            values are refused.
        threshold, rules, dominance, p_percent, q_percent, protect_zeros,
        threshold_hides_presence: the primary rules, as in
            :func:`gdprkit.suppress` (threshold 5 by default).
        hierarchies, total: as in :func:`gdprkit.suppress`: per dimension its
            hierarchy; a dimension without one is flat under ``total``.
        count: the name of the count column of the result (``value=None``).
        kind: "frequency" or "magnitude"; by default frequency for counts
            and magnitude for sums (``kind="frequency"`` with ``value``
            sums a column of counts).
        missing: "zero" (default): a combination of leaf codes without a
            record is a cell of count 0 (it is one); "error": it is an error,
            as in :func:`gdprkit.suppress`.
        method, cost, time_limit, effort, optimal_max_cells, audit, name,
        progress: as in :func:`gdprkit.suppress` (``progress`` reports the
            stage "aggregate" for the Spark job, then the engine's stages).

    Returns:
        a :class:`SparkSuppressionResult`: ``.sdf`` the cells with their
        status as a Spark DataFrame, ``.cells`` the same in pandas,
        ``.audit()`` and the displays of :class:`gdprkit.SuppressionResult`;
        the pattern is that of
        :func:`gdprkit.suppress` on the same table.

    Raises:
        gdprkit.InvalidArgumentError: a record with a null dimension or
            value, a code that is not a leaf of its hierarchy (quoted as
            untrusted text), a negative value, and everything
            :func:`gdprkit.suppress` refuses (bad hierarchies, rules,
            options), before Spark runs where the arguments alone tell.
        gdprkit.NotFoundError (a KeyError): a column that is not in `sdf`.
        gdprkit.FailedPreconditionError: a primary cell cannot be protected.
    """
    sdf = _common.dataframe(sdf)
    if isinstance(dims, str):
        dims = [dims]
    try:
        dim_names = [_common.column(sdf, d, "dims") for d in dims]
    except TypeError:
        raise ArgumentTypeError("dims must be a list of column names") from None
    if not dim_names:
        raise InvalidArgumentError("dims is empty: name at least one dimension column")
    if len(set(dim_names)) != len(dim_names):
        raise InvalidArgumentError(f"dims names a column twice: {dim_names}")
    column = count if value is None else value
    column = _args.text(column, "count" if value is None else "value", empty=False)
    if value is not None:
        value = _common.column(sdf, value, "value")
        if value in dim_names:
            raise InvalidArgumentError(f"column {value!r} is both a dimension and the value")
        from pyspark.sql import types as T

        dtype = sdf.schema[value].dataType
        if not isinstance(dtype, T.NumericType):
            raise InvalidArgumentError(
                f"value column {value!r} is not numeric (Spark type {dtype.simpleString()})")
    elif column in dim_names:
        raise InvalidArgumentError(f"count={column!r} is a dimension; choose another name")
    kind = ("frequency" if value is None else "magnitude") if kind is None else kind
    kind = _args.text(kind, "kind")
    if kind not in _gdprkit.suppression_kind_names():
        raise InvalidArgumentError(
            f"kind {_gdprkit.quote_untrusted(kind)} is not one of "
            f"{', '.join(_gdprkit.suppression_kind_names())}"
            f"{_gdprkit.did_you_mean(kind, _gdprkit.suppression_kind_names(), 1)}")
    magnitude = kind == _gdprkit.suppression_kind_names()[1]
    if magnitude and value is None:
        raise InvalidArgumentError(
            "kind='magnitude' needs value=: the column whose sums the table holds")
    if hierarchies is not None and not isinstance(hierarchies, Mapping):
        raise ArgumentTypeError(
            f"hierarchies must be a mapping from dimension to hierarchy, not "
            f"{type(hierarchies).__name__}")
    unknown = set(hierarchies or {}) - set(dim_names)
    if unknown:
        raise InvalidArgumentError(
            f"hierarchies given for columns that are not dims: {sorted(map(str, unknown))}")
    fields = _suppression._rules(rules, threshold, dominance, p_percent, q_percent,
                                 protect_zeros, threshold_hides_presence)
    _suppression._options(method, cost, time_limit, effort, optimal_max_cells, audit, missing)
    num_largest = _largest_needed(fields) if magnitude else 0
    taken = set(dim_names) | {column}
    contributors = _free(f"{column}_contributors", taken)
    largest = [_free(f"{column}_largest{j + 1}", taken) for j in range(num_largest)]
    levels = [_dimension(d, (hierarchies or {}).get(d), total) for d in dim_names]

    with _progress.callback(progress, "suppress") as callback:
        _report(callback, "aggregate", 0)
        start = time.perf_counter()
        with _log.timed("spark.suppress.aggregate") as entry:
            raw = _aggregate(sdf, levels, value, num_largest)
            table = _table(raw, levels, value, column, magnitude, num_largest,
                           (contributors, largest))
            entry.update(groups=len(raw), cells=len(table), kind=kind)
        aggregated = time.perf_counter() - start
        _report(callback, "aggregate", 1)
        start = time.perf_counter()
        result = _suppression.suppress(
            table, dim_names, column, rules=rules, threshold=threshold,
            hierarchies=hierarchies, total=total, compute_totals=True, missing=missing,
            method=method, cost=cost, kind=kind,
            contributors=contributors if magnitude else None,
            largest=largest or None, dominance=dominance, p_percent=p_percent,
            q_percent=q_percent, protect_zeros=protect_zeros,
            threshold_hides_presence=threshold_hides_presence, time_limit=time_limit,
            effort=effort, optimal_max_cells=optimal_max_cells, audit=audit, name=name,
            progress=callback)
        protected = time.perf_counter() - start
    return SparkSuppressionResult(result, _common.session(sdf), aggregated, protected)


def _free(wanted: str, taken: set[str]) -> str:
    """`wanted`, or with underscores prepended until no column has the name."""
    while wanted in taken:
        wanted = "_" + wanted
    taken.add(wanted)
    return wanted


def _report(callback: Optional[_progress.Callback], stage: str, done: int) -> None:
    """Reports the Spark stage (one step); False from the callback cancels."""
    if callback is not None and callback(stage, done, 1) is False:
        raise CancelledError(f"cancelled in stage {stage!r}")
