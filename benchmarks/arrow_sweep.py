#!/usr/bin/env python3
"""gdprkit.sweep of an Arrow-backed DataFrame against the same DataFrame with NumPy columns.

Times, in one run, ``gdprkit.sweep`` of N records (default 1 million; the
records, rules and holds of benchmarks/retention_pandas.py) given as:

  numpy        datetime64[s] date columns, a categorical purpose (the fastest NumPy form)
  numpy-str    the same with the purpose as an object column of str
  arrow-date   date32[pyarrow] date columns, the purpose as pandas 3's ``str``
               (Arrow-backed when pyarrow is installed)
  numpy-tz     datetime64[s, UTC] date columns (pandas converts them to Europe/Copenhagen)
  arrow-tz     timestamp[us, tz=UTC][pyarrow] date columns (the core reads them in
               Europe/Copenhagen)
  arrow-dict   date32 columns, the purpose a dictionary<int32, string>[pyarrow] column
  text-object  ISO date texts in object columns (the core parses them; a Python str per row)
  text-arrow   the same texts in ``str`` columns (the core parses them from the Arrow buffers)

checks that every variant gives the NumPy result row for row, and prints
seconds (wall and CPU, best of --repeat) and the ratio to ``numpy``.

    PYTHONPATH=<staged package> python benchmarks/arrow_sweep.py [--rows N] [--repeat R]

Speed is measured here, never asserted in tests; results go to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any, Callable, Dict, Tuple

import pandas as pd
import pyarrow as pa
from retention_pandas import ON, POLICY, make_records  # the same records and rules

import gdprkit

DATES = ["collection", "last_contact", "consent_withdrawn", "hold_start", "hold_end"]


def variants(df: pd.DataFrame) -> Dict[str, pd.DataFrame]:
    """The same records in each form of the module docstring."""
    purpose_obj = df["purpose"].astype(object)
    out: Dict[str, pd.DataFrame] = {"numpy": df}
    out["numpy-str"] = df.assign(purpose=purpose_obj)
    date32 = {c: pd.Series(pa.array(df[c].to_numpy().astype("datetime64[D]"), pa.date32()),
                           dtype=pd.ArrowDtype(pa.date32())) for c in DATES}
    out["arrow-date"] = df.assign(purpose=df["purpose"].astype("str"), **date32)
    aware = {c: df[c].dt.tz_localize("Europe/Copenhagen").dt.tz_convert("UTC") for c in DATES}
    out["numpy-tz"] = df.assign(**aware)
    tz = pa.timestamp("us", tz="UTC")
    out["arrow-tz"] = df.assign(
        purpose=df["purpose"].astype("str"),
        **{c: aware[c].astype(pd.ArrowDtype(tz)) for c in DATES})
    dictionary = pa.array(purpose_obj.to_numpy(), pa.string()).dictionary_encode()
    out["arrow-dict"] = df.assign(
        purpose=pd.Series(dictionary, dtype=pd.ArrowDtype(dictionary.type)), **date32)
    texts = {c: df[c].dt.strftime("%Y-%m-%d") for c in DATES}
    out["text-object"] = df.assign(
        purpose=purpose_obj, **{c: t.astype(object).where(t.notna(), None)
                                for c, t in texts.items()})
    out["text-arrow"] = df.assign(purpose=df["purpose"].astype("str"),
                                  **{c: t.astype("str") for c, t in texts.items()})
    return out


def timed(fn: Callable[[], Any]) -> Tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Row for row the same result (the id column compared by value)."""
    cols = ["status", "due", "due_date", "next_due", "rule", "anchor", "reason", "hold"]
    return bool(a[cols].equals(b[cols])) and bool(
        (a["id"].to_numpy() == b["id"].to_numpy()).all())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    print(f"gdprkit {gdprkit.__version__}, pandas {pd.__version__}, pyarrow {pa.__version__}; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    frames = variants(make_records(args.rows))
    schedule = gdprkit.RetentionSchedule.from_policy(POLICY)

    def sweep(df: pd.DataFrame) -> pd.DataFrame:
        # The zone is the default (Europe/Copenhagen) for every variant.
        return gdprkit.sweep(df, policy=schedule, on=ON, id="id", purpose="purpose",
                             holds=("hold_start", "hold_end"))

    best: Dict[str, Tuple[float, float]] = {}
    results: Dict[str, pd.DataFrame] = {}
    for _ in range(args.repeat):
        for name, df in frames.items():
            result, wall, cpu = timed(lambda df=df: sweep(df))
            results[name] = result
            old = best.get(name)
            best[name] = (min(wall, old[0]), min(cpu, old[1])) if old else (wall, cpu)
    base_wall, base_cpu = best["numpy"]
    print(f"{args.rows:,} records, best of {args.repeat}; load average now "
          f"{os.getloadavg()[0]:.2f}")
    print(f"{'variant':<12} {'wall s':>8} {'cpu s':>8} {'x numpy wall':>13} {'x numpy cpu':>12}"
          "  same as numpy")
    for name, (wall, cpu) in best.items():
        print(f"{name:<12} {wall:8.3f} {cpu:8.3f} {wall / base_wall:13.2f} "
              f"{cpu / base_cpu:12.2f}  {same(results[name], results['numpy'])}")


if __name__ == "__main__":
    main()
