"""How far gdprkit.spark.tokenise scales: the driver's memory for N distinct
identifiers (Spark local[2]).

For each N (default 1 M and 5 M distinct valid CPR numbers, made up, written
once to Parquet under build/bench-data/), a fresh process opens a Spark
session and a vault, then measures:

* the driver's Python process: resident memory before the call and its peak
  during ``tokenise`` (collect of the distinct identifiers as Arrow, the one
  vault transaction, the token table handed to Spark) and the join-back
  written to the ``noop`` sink;
* the JVM's peak resident memory (in local mode it is driver and executors
  at once, so an upper bound for the driver's JVM);
* the time of the call and of the join.

    .venv/bin/python benchmarks/spark_tokenise.py [--distinct 1000000 5000000]

Prints one line per N and the bytes per distinct identifier (the slope
between the two largest N, which cancels the fixed cost of Spark and the
interpreter).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time
from typing import Any, Dict, List

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from spark_pseudonymise import cpr_text  # noqa: E402

#: Days 1-28 x 12 months x 100 years x serials 0000-3999: the CPR numbers the
#: generator can make, all valid and born before today.
SPACE = 28 * 12 * 100 * 4000


def distinct_parquet(n: int) -> pathlib.Path:
    """build/bench-data/cpr_distinct_<n>.parquet: n distinct CPR numbers."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = ROOT / "build" / "bench-data" / f"cpr_distinct_{n}.parquet"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        idx = np.random.default_rng(n).choice(SPACE, n, replace=False)
        serial = idx % 4000
        idx //= 4000
        year = idx % 100
        idx //= 100
        arr = cpr_text(idx // 12 + 1, idx % 12 + 1, year, serial)
        tmp = path.with_suffix(".tmp")
        pq.write_table(pa.table({"cpr": arr}), tmp, row_group_size=1_000_000)
        tmp.rename(path)
    return path


def _rss_kb(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def measure(n: int) -> Dict[str, Any]:
    """One N in this process (call it in a fresh one)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    path = distinct_parquet(n)
    from pyspark.sql import SparkSession

    import gdprkit
    import gdprkit.spark

    spark = (SparkSession.builder.master("local[2]").appName("gdprkit-bench-tokenise")
             .config("spark.ui.enabled", "false")
             .config("spark.driver.memory", "3g")
             .config("spark.driver.maxResultSize", "4g")
             .config("spark.pyspark.python", sys.executable)
             .config("spark.sql.shuffle.partitions", "4")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    jvm_pid = spark.sparkContext._gateway.proc.pid
    with tempfile.TemporaryDirectory() as tmp:
        vault = gdprkit.Vault.create(os.path.join(tmp, "v.db"), passphrase="bench",
                                     kdf="tests_only")
        vault.create_domain("bench")
        sdf = spark.read.parquet(str(path))
        sdf.limit(10).collect()  # the session warm
        before = _rss_kb(os.getpid(), "VmRSS")
        t0 = time.perf_counter()
        out = gdprkit.spark.tokenise(sdf, "cpr", vault=vault, domain="bench")
        call = time.perf_counter() - t0
        after_call = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        out.write.format("noop").mode("overwrite").save()
        join = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tokens = vault.domains()[0].tokens
        vault.close()
    result = {"distinct": n, "tokens": tokens, "python_before_kb": before,
              "python_peak_call_kb": after_call, "python_peak_kb": peak,
              "jvm_peak_kb": _rss_kb(jvm_pid, "VmHWM"), "call_s": call, "join_s": join}
    spark.stop()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--distinct", type=int, nargs="*", default=[1_000_000, 5_000_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    rows: List[Dict[str, Any]] = []
    for n in args.distinct:
        done = subprocess.run([sys.executable, __file__, "--one", str(n)], check=True,
                              capture_output=True, text=True)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(row)
        grew = (row["python_peak_kb"] - row["python_before_kb"]) / 1024
        print(f"{n:>10,} distinct: tokenise {row['call_s']:6.1f} s, join back "
              f"{row['join_s']:5.1f} s; driver Python {row['python_before_kb'] / 1024:6.0f} MB "
              f"before, peak +{grew:6.0f} MB ({grew * 2**20 / n:5.0f} B/id); JVM peak "
              f"{row['jvm_peak_kb'] / 1024:6.0f} MB", flush=True)
    if len(rows) >= 2:
        a, b = rows[-2], rows[-1]
        per_id = ((b["python_peak_kb"] - b["python_before_kb"])
                  - (a["python_peak_kb"] - a["python_before_kb"])) * 1024 / (
                      b["distinct"] - a["distinct"])
        jvm_per_id = (b["jvm_peak_kb"] - a["jvm_peak_kb"]) * 1024 / (
            b["distinct"] - a["distinct"])
        print(f"slope: driver Python {per_id:.0f} B per distinct identifier "
              f"({2**30 / per_id / 1e6:.1f} M per GB); JVM {jvm_per_id:.0f} B per distinct "
              f"identifier")


if __name__ == "__main__":
    main()
