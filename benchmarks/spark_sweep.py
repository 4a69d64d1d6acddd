#!/usr/bin/env python3
"""Retention sweep on Spark: gdprkit.spark.sweep against the same rules in Spark SQL.

Sweeps N records (default 20 million) read from Parquet (written once, cached
under build/spark_sweep/) in Spark local[2], side by side in one run:

* ``gdprkit.spark.sweep``: the policy's rules, on the executors, through the
  core (mapInArrow, one gdprkit.sweep per Arrow batch);
* the same rules written by hand with Spark SQL functions (``add_months``,
  ``least``, ``when``), the way a data consultant would write them.

Both go to the ``noop`` sink (everything is computed, nothing is written).
Before timing, both run on a sample and must agree row by row (the status
everywhere, the date wherever the record is not held).

The rules are three of Practio's (examples/policies/practio.textproto), as in
benchmarks/retention_pandas.py:
  website-security-logs   P2M from collection
  direct-contact          P6M from last_contact (kept while there was none)
  research-contact        P10Y from collection, or until consent_withdrawn
and one hold on 0.5 % of the rows (half of them open-ended).

What the hand-written SQL leaves out is listed in benchmarks/RESULTS.md and
docs/spark.md (reasons, rule and anchor, invalid input, several rules per
record, minimum retention, extensions, several holds per record, and every
policy change means rewriting it).

    PYSPARK_PYTHON=.venv/bin/python PYTHONPATH=<staged package> \\
        .venv/bin/python benchmarks/spark_sweep.py [--rows N] [--batch ROWS]

Speed is measured here, never asserted in tests; results go to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import time
from typing import Any, Callable, Dict, Tuple

import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[1]
POLICY = REPO / "examples" / "policies" / "practio.textproto"
CACHE = REPO / "build" / "spark_sweep"
ON = "2026-01-01"
PURPOSES = ["website-security-logs", "direct-contact", "research-contact"]
ROW_GROUP = 1_000_000
NO_DATE = np.iinfo(np.int32).min


def day(text: str) -> int:
    return int(np.datetime64(text, "D").astype(np.int64))


def make_table(n: int, rng: np.random.Generator) -> Any:
    """n records as an Arrow table: dates as date32 (null: the event has not
    happened), purposes dictionary-encoded (strings in Spark)."""
    import pyarrow as pa

    collected = day("2012-01-01") + rng.integers(0, 5000, n)
    purpose = rng.integers(0, 3, n)
    after = rng.integers(0, 2000, n)
    last_contact = np.where((purpose == 1) & (rng.random(n) < 0.7), collected + after, NO_DATE)
    withdrawn = np.where((purpose == 2) & (rng.random(n) < 0.3), collected + after, NO_DATE)
    held = rng.random(n) < 0.005
    hold_start = np.where(held, day("2025-06-01") + rng.integers(0, 365, n), NO_DATE)
    hold_end = np.where(held & (rng.random(n) < 0.5), hold_start + rng.integers(30, 400, n),
                        NO_DATE)

    def dates(days: Any) -> Any:
        days = days.astype(np.int32)
        return pa.array(days, pa.int32(), mask=days == NO_DATE).cast(pa.date32())

    return pa.table({
        "id": pa.array(np.arange(n, dtype=np.int64)),
        "purpose": pa.DictionaryArray.from_arrays(pa.array(purpose.astype(np.int8)),
                                                  pa.array(PURPOSES)),
        "collection": dates(collected),
        "last_contact": dates(last_contact),
        "consent_withdrawn": dates(withdrawn),
        "hold_start": dates(hold_start),
        "hold_end": dates(hold_end),
    })


def parquet(rows: int) -> pathlib.Path:
    """The records' Parquet file, written once per row count."""
    import pyarrow.parquet as pq

    path = CACHE / f"records-v2-{rows}.parquet"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        pq.write_table(make_table(rows, np.random.default_rng(2026)), partial,
                       row_group_size=ROW_GROUP)
        partial.rename(path)
    return path


def sql_sweep(sdf: Any) -> Any:
    """The same rules in Spark SQL, as a consultant would write them: one
    end date per purpose, the hold moves a date that falls under it to its
    release, then the status."""
    from pyspark.sql import functions as F

    on = F.lit(ON).cast("date")
    purpose = F.col("purpose")
    end = (F.when(purpose == "website-security-logs", F.add_months("collection", 2))
           .when(purpose == "direct-contact", F.add_months("last_contact", 6))
           .when(purpose == "research-contact",
                 F.least(F.add_months("collection", 120), F.col("consent_withdrawn"))))
    hs, he = F.col("hold_start"), F.col("hold_end")
    held_today = hs.isNotNull() & (hs <= on) & (he.isNull() | (on < he))
    falls_in_hold = hs.isNotNull() & end.isNotNull() & (end >= hs) & (he.isNull() | (end < he))
    date = F.when(falls_in_hold, he).otherwise(end)
    status = (F.when(held_today, "held").when(date.isNull(), "kept")
              .when(date <= on, "due").otherwise("pending"))
    return sdf.select("id", status.alias("status"), (status == "due").alias("due"),
                      date.alias("date"))


def gdprkit_sweep(sdf: Any) -> Any:
    import gdprkit.spark

    return gdprkit.spark.sweep(sdf, policy=str(POLICY), on=ON, id="id", purpose="purpose",
                               holds=("hold_start", "hold_end"), keep_input=False)


def check_same(sample: Any) -> Tuple[int, Dict[str, int]]:
    """Both on a sample, row by row: statuses everywhere, dates where not held."""
    mine = gdprkit_sweep(sample).toArrow().to_pandas(date_as_object=False).sort_values("id")
    theirs = sql_sweep(sample).toArrow().to_pandas(date_as_object=False).sort_values("id")
    status = mine["status"].to_numpy(dtype=object)
    assert (status == theirs["status"].to_numpy(dtype=object)).all(), "statuses differ"
    date = mine["due_date"].fillna(mine["next_due"]).to_numpy().astype("datetime64[D]")
    other = theirs["date"].to_numpy().astype("datetime64[D]")
    same = (date == other) | (np.isnat(date) & np.isnat(other))
    assert same[status != "held"].all(), f"{(~same[status != 'held']).sum()} dates differ"
    assert (mine["due"].to_numpy() == theirs["due"].to_numpy()).all()
    values, counts = np.unique(status, return_counts=True)
    return len(status), dict(zip(values.tolist(), counts.tolist()))


def cpu_seconds() -> float:
    """CPU time of this process and all its descendants (the JVM, its
    Python workers), alive ones included."""
    import psutil  # type: ignore[import-untyped]

    me = psutil.Process()
    total = 0.0
    for p in [me] + me.children(recursive=True):
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def timed(fn: Callable[[], Any]) -> Tuple[float, float]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    fn()
    return time.perf_counter() - wall, cpu_seconds() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--sample", type=int, default=500_000)
    parser.add_argument("--batch", type=int, default=10_000,
                        help="spark.sql.execution.arrow.maxRecordsPerBatch (Spark's default)")
    args = parser.parse_args()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    import gdprkit

    started = time.perf_counter()
    path = parquet(args.rows)
    print(f"{args.rows:,} records in {path.relative_to(REPO)} "
          f"({path.stat().st_size / 2**20:.0f} MiB, {time.perf_counter() - started:.1f} s)")
    spark = (SparkSession.builder.master("local[2]").appName("spark_sweep benchmark")
             .config("spark.ui.enabled", "false")
             .config("spark.driver.host", "127.0.0.1")
             .config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.driver.memory", "2g")
             .config("spark.sql.session.timeZone", "Europe/Copenhagen")
             .config("spark.sql.files.maxPartitionBytes", str(32 * 2**20))
             .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(args.batch))
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    import pyspark

    print(f"gdprkit {gdprkit.__version__}, pyspark {pyspark.__version__}; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}; Arrow batches of {args.batch:,} rows")
    sdf = spark.read.parquet(str(path))
    print(f"{sdf.rdd.getNumPartitions()} partitions")
    n, counts = check_same(sdf.limit(args.sample))
    print(f"same answer on a sample of {n:,} rows: "
          + ", ".join(f"{k} {v:,}" for k, v in counts.items()))

    def noop(make: Callable[[Any], Any]) -> Callable[[], None]:
        return lambda: make(sdf).write.format("noop").mode("overwrite").save()

    results: Dict[str, Tuple[float, float]] = {}
    def identity(s: Any) -> Any:  # Spark's cost of moving the rows to Python and back
        return s.select("id", "purpose", "collection", "last_contact", "consent_withdrawn",
                        "hold_start", "hold_end").mapInArrow(lambda batches: batches, s.schema)

    for name, fn in (("read only", noop(lambda s: s)),
                     ("mapInArrow identity", noop(identity)),
                     ("gdprkit.spark.sweep", noop(gdprkit_sweep)),
                     ("Spark SQL", noop(sql_sweep))):
        results[name] = timed(fn)
        print(f"  {name}: {results[name][0]:.1f} s", flush=True)

    print(f"\n{'implementation':<22}{'wall':>10}{'CPU':>10}{'rows/s (wall)':>16}")
    for name, (wall, cpu) in results.items():
        print(f"{name:<22}{wall:>8.1f} s{cpu:>8.1f} s{args.rows / wall / 1e6:>14.2f} M")
    ours, theirs = results["gdprkit.spark.sweep"], results["Spark SQL"]
    print(f"\ngdprkit.spark.sweep takes {ours[0] / theirs[0]:.2f}x the wall time of Spark SQL, "
          f"{ours[1] / theirs[1]:.2f}x its CPU time; load average now "
          f"{os.getloadavg()[0]:.2f}")
    spark.stop()


if __name__ == "__main__":
    main()
