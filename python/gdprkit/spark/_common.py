"""What the modules of gdprkit.spark share: the pyspark check, argument checks
on Spark DataFrames and their columns, and how an executor names a row.

Messages follow the package's rule: they name columns, arguments and row
positions, never a value of a row (which may be an identifier) or a key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, List

from .. import _args, _gdprkit, _optional
from .._errors import ArgumentTypeError, InvalidArgumentError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

EXTRA = "spark"


def require_pyspark(what: str) -> None:
    """MissingDependencyError naming the extra unless pyspark (with the
    pyarrow and pandas its Arrow-based UDFs need) can be imported."""
    _optional.require("pyspark", extra=EXTRA, what=what)
    _optional.require("pyarrow", extra=EXTRA, what=what)
    _optional.pandas(what)


def dataframe(sdf: Any, name: str = "sdf") -> "DataFrame":
    """`sdf` if it is a pyspark.sql.DataFrame (classic or Spark Connect);
    ArgumentTypeError naming the argument otherwise."""
    from pyspark.sql import DataFrame

    try:
        from pyspark.sql.connect.dataframe import DataFrame as ConnectDataFrame
    except ImportError:  # Spark Connect's extra dependencies (grpc) are absent
        if isinstance(sdf, DataFrame):
            return sdf
    else:
        if isinstance(sdf, (DataFrame, ConnectDataFrame)):
            return sdf
    raise ArgumentTypeError(
        f"{name} must be a pyspark.sql.DataFrame, not {type(sdf).__name__}")


def session(sdf: "DataFrame") -> "SparkSession":
    """The Spark session of a DataFrame."""
    return sdf.sparkSession


def column(sdf: "DataFrame", value: Any, name: str) -> str:
    """The name of an existing column of `sdf` given as argument `name`:
    ArgumentTypeError for a non-str, NotFoundError (a KeyError) naming the
    argument and the closest columns otherwise. Spark's own resolution is
    case-insensitive by default; this check is exact, as pandas is."""
    from .._errors import NotFoundError

    checked = _args.text(value, name, empty=False)
    columns: List[str] = list(sdf.columns)
    if checked not in columns:
        raise NotFoundError(
            f"{name}: the DataFrame has no column {_gdprkit.quote_untrusted(checked)}"
            f"{_gdprkit.did_you_mean(checked, columns, 1)}")
    return checked


def new_column(sdf: "DataFrame", value: Any, name: str) -> str:
    """The name of a column the call adds, given as argument `name`: it must
    not exist yet (InvalidArgumentError naming it otherwise)."""
    checked = _args.text(value, name, empty=False)
    if checked in sdf.columns:
        raise InvalidArgumentError(
            f"{name}: the DataFrame already has a column "
            f"{_gdprkit.quote_untrusted(checked)}; choose another name")
    return checked


def row_position(partition: int, row: int) -> str:
    """How an executor names a row in a message: its partition and its
    position there (0-based), which locate it without showing it
    (``sdf.rdd.zipWithIndex`` or ``spark_partition_id()`` find it again)."""
    return f"partition {partition}, row {row}"
