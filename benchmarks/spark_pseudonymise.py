"""gdprkit.spark.pseudonymise against what a data consultant would write, on
Spark local[2], side by side in one session:

* ``gdprkit``: ``gdprkit.spark.pseudonymise(sdf, "cpr", key=exported_key)``
  (mapInArrow; Arrow batches into the core; the key a broadcast);
* ``hashlib udf``: a Python ``@udf`` returning
  ``hashlib.blake2b(v.encode(), key=secret, digest_size=16).hexdigest()``;
* ``sha2``: Spark's built-in ``sha2(concat(lit(secret), cpr), 256)`` (runs
  in the JVM, no Python; weaker: see benchmarks/RESULTS.md).

Each writes the whole column to the ``noop`` sink (every row computed,
nothing stored). The CPR numbers (valid, made up: born 1900-1999, serials
0000-3999, a third with the hyphen) are generated with NumPy and written
once to Parquet under build/bench-data/ (reused by later runs).

    .venv/bin/python benchmarks/spark_pseudonymise.py [--rows 20000000] [--repeat 2]

Prints one line per method and repetition (seconds, rows/s) and the ratios
to gdprkit's best time.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pathlib
import sys
import tempfile
import time
import warnings
from typing import Any, Callable, Dict, List

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]


def cpr_text(day: Any, month: Any, year: Any, serial: Any) -> Any:
    """CPR numbers from NumPy arrays of their fields as a pyarrow string
    array: DDMMYY-SSSS when the serial is a multiple of 3, else DDMMYYSSSS."""
    import pyarrow as pa

    n = len(day)
    digits = np.zeros((n, 10), dtype=np.uint8)
    at = 0
    for value, width in zip((day, month, year, serial), (2, 2, 2, 4)):
        for d in range(width):
            digits[:, at + d] = (value // 10 ** (width - 1 - d)) % 10 + ord("0")
        at += width
    hyphen = serial % 3 == 0
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.where(hyphen, 11, 10).astype(np.int32), out=offsets[1:])
    data = np.empty(int(offsets[-1]), dtype=np.uint8)
    starts = offsets[:-1]
    for j in range(10):
        data[starts + j + np.where(hyphen & (j >= 6), 1, 0)] = digits[:, j]
    data[starts[hyphen] + 6] = ord("-")
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets),
                                                 pa.py_buffer(data)])


def cpr_parquet(rows: int) -> pathlib.Path:
    """build/bench-data/cpr_<rows>.parquet, made once."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = ROOT / "build" / "bench-data" / f"cpr_{rows}.parquet"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(15)
    writer = None
    chunk = 1_000_000
    tmp = path.with_suffix(".tmp")
    for start in range(0, rows, chunk):
        n = min(chunk, rows - start)
        fields = [rng.integers(1, 29, n), rng.integers(1, 13, n), rng.integers(0, 100, n),
                  rng.integers(0, 4000, n)]
        arr = cpr_text(*fields)
        table = pa.table({"cpr": arr})
        if writer is None:
            writer = pq.ParquetWriter(tmp, table.schema)
        writer.write_table(table, row_group_size=chunk)
    assert writer is not None
    writer.close()
    tmp.rename(path)
    return path


def _identity(batches: Any) -> Any:
    """mapInArrow's function that changes nothing (the transfer's floor)."""
    yield from batches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--batch", type=int, default=10_000,
                        help="spark.sql.execution.arrow.maxRecordsPerBatch (Spark's default)")
    parser.add_argument("--only", nargs="*", default=None,
                        help="methods to run (gdprkit, hashlib udf, sha2, identity)")
    args = parser.parse_args()

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    warnings.filterwarnings("ignore", "Cannot infer the eval type")
    started = time.perf_counter()
    data = cpr_parquet(args.rows)
    print(f"data: {data.name} ({data.stat().st_size / 1e6:.0f} MB, "
          f"{time.perf_counter() - started:.1f} s to have it)", flush=True)

    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    import gdprkit
    import gdprkit.spark

    spark = (SparkSession.builder.master("local[2]").appName("gdprkit-bench-pseudonymise")
             .config("spark.ui.enabled", "false")
             .config("spark.driver.memory", "2g")
             .config("spark.pyspark.python", sys.executable)
             .config("spark.sql.shuffle.partitions", "4")
             .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(args.batch))
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")

    with tempfile.TemporaryDirectory() as tmp:
        vault = gdprkit.Vault.create(os.path.join(tmp, "v.db"), passphrase="bench",
                                     kdf="tests_only")
        vault.create_domain("bench")
        key = vault.export_pseudonym_key("bench", reason="benchmark")
        secret = os.urandom(32)
        secret_hex = secret.hex()

        @F.udf("string")
        def blake(value: Any) -> Any:
            if value is None:
                return None
            return hashlib.blake2b(value.encode(), key=secret, digest_size=16).hexdigest()

        sdf = spark.read.parquet(str(data))
        print(f"partitions: {sdf.rdd.getNumPartitions()}", flush=True)
        methods: Dict[str, Callable[[], Any]] = {
            "gdprkit": lambda: gdprkit.spark.pseudonymise(sdf, "cpr", key=key),
            "hashlib udf": lambda: sdf.select(blake("cpr").alias("cpr")),
            "sha2": lambda: sdf.select(
                F.sha2(F.concat(F.lit(secret_hex), F.col("cpr")), 256).alias("cpr")),
            # The floor of any Python-worker path: the batches to a Python
            # worker and back through mapInArrow, unchanged.
            "identity": lambda: sdf.mapInArrow(_identity, sdf.schema),
        }
        # Warm-up: Python workers started, the Parquet footer read.
        gdprkit.spark.pseudonymise(sdf.limit(1000), "cpr", key=key).write.format(
            "noop").mode("overwrite").save()
        times: Dict[str, List[float]] = {}
        for rep in range(args.repeat):
            for name, make in methods.items():
                if args.only and name not in args.only:
                    continue
                t0 = time.perf_counter()
                make().write.format("noop").mode("overwrite").save()
                dt = time.perf_counter() - t0
                times.setdefault(name, []).append(dt)
                print(f"{name:12s} rep {rep + 1}: {dt:7.2f} s  "
                      f"{args.rows / dt / 1e6:6.2f} M rows/s", flush=True)
        vault.close()
    spark.stop()

    best = {name: min(ts) for name, ts in times.items()}
    print(f"\nbest of {args.repeat}, {args.rows:,} rows:")
    for name, t in best.items():
        ratio = t / best["gdprkit"] if "gdprkit" in best else float("nan")
        print(f"  {name:12s} {t:7.2f} s  {args.rows / t / 1e6:6.2f} M rows/s  "
              f"x{ratio:.2f} gdprkit's time")


if __name__ == "__main__":
    main()
