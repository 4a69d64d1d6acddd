#!/usr/bin/env python3
"""Retention sweep on a pandas DataFrame: gdprkit.sweep against plain pandas.

Times, in one run, gdprkit.sweep on N rows (default 10 million) and a
straightforward vectorised pandas implementation of the same rules, the way a
data consultant would write it (masks per purpose, pd.DateOffset arithmetic,
Series.where for holds), checks that both give the same answer row by row, and
prints rows/s (by wall and by CPU time) and the ratio.

The rules are three of Practio's (examples/policies/practio.textproto):
  website-security-logs   P2M from collection
  direct-contact          P6M from last_contact (kept while there was none)
  research-contact        P10Y from collection, or until consent_withdrawn
and holds on 0.5 % of the rows (half of them open-ended).

    PYTHONPATH=<staged package> python benchmarks/retention_pandas.py [--rows N] [--threads T]

Speed is measured here, never asserted in tests; results go to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import time
from typing import Any, Callable, Dict, Tuple

import numpy as np
import pandas as pd

import gdprkit

REPO = pathlib.Path(__file__).resolve().parents[1]
POLICY = REPO / "examples" / "policies" / "practio.textproto"
ON = pd.Timestamp("2026-01-01")
PURPOSES = ["website-security-logs", "direct-contact", "research-contact"]


def make_records(n: int, seed: int = 2026) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = np.datetime64("2012-01-01")
    collected = start + rng.integers(0, 5000, n).astype("timedelta64[D]")
    purpose = rng.integers(0, 3, n)
    # Later events happen for some records, on or after collection.
    after = rng.integers(0, 2000, n).astype("timedelta64[D]")
    last_contact = np.where((purpose == 1) & (rng.random(n) < 0.7), collected + after,
                            np.datetime64("NaT"))
    withdrawn = np.where((purpose == 2) & (rng.random(n) < 0.3), collected + after,
                         np.datetime64("NaT"))
    held = rng.random(n) < 0.005
    hold_start = np.where(held, np.datetime64("2025-06-01")
                          + rng.integers(0, 365, n).astype("timedelta64[D]"),
                          np.datetime64("NaT"))
    hold_end = np.where(held & (rng.random(n) < 0.5),
                        hold_start + rng.integers(30, 400, n).astype("timedelta64[D]"),
                        np.datetime64("NaT"))
    return pd.DataFrame({
        "id": pd.RangeIndex(n),
        "purpose": pd.Categorical.from_codes(purpose, PURPOSES),
        "collection": collected.astype("datetime64[s]"),
        "last_contact": last_contact.astype("datetime64[s]"),
        "consent_withdrawn": withdrawn.astype("datetime64[s]"),
        "hold_start": hold_start.astype("datetime64[s]"),
        "hold_end": hold_end.astype("datetime64[s]"),
    })


def pandas_sweep(df: pd.DataFrame, on: pd.Timestamp) -> pd.DataFrame:
    """The same rules in plain vectorised pandas, as a consultant would write them."""
    purpose = df["purpose"]
    end = pd.Series(pd.NaT, index=df.index, dtype="datetime64[s]")
    logs = purpose == "website-security-logs"
    end[logs] = df.loc[logs, "collection"] + pd.DateOffset(months=2)
    contact = purpose == "direct-contact"
    end[contact] = df.loc[contact, "last_contact"] + pd.DateOffset(months=6)
    research = purpose == "research-contact"
    ten_years = df.loc[research, "collection"] + pd.DateOffset(years=10)
    withdrawn = df.loc[research, "consent_withdrawn"]
    end[research] = ten_years.where(withdrawn.isna() | (withdrawn > ten_years), withdrawn)
    # Holds: under a hold on the day -> held; a due date under a hold moves to its release.
    hs, he = df["hold_start"], df["hold_end"]
    under_today = hs.notna() & (hs <= on) & (he.isna() | (on < he))
    falls_in_hold = hs.notna() & end.notna() & (end >= hs) & (he.isna() | (end < he))
    date = end.where(~falls_in_hold, he)
    status = pd.Series("kept", index=df.index, dtype=object)
    status[date.notna() & (date <= on)] = "due"
    status[date.notna() & (date > on)] = "pending"
    status[under_today] = "held"
    return pd.DataFrame({"status": status, "date": date, "due": status == "due"})


def timed(fn: Callable[[], Any]) -> Tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    print(f"gdprkit {gdprkit.__version__}, pandas {pd.__version__}, numpy {np.__version__}; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    df, wall, _ = timed(lambda: make_records(args.rows))
    print(f"{args.rows:,} records made in {wall:.1f} s")
    schedule = gdprkit.RetentionSchedule.from_policy(POLICY)

    def ours() -> pd.DataFrame:
        return gdprkit.sweep(df, policy=schedule, on=ON, id="id", purpose="purpose",
                             holds=("hold_start", "hold_end"), threads=args.threads)

    best: Dict[str, Tuple[float, float]] = {}
    results: Dict[str, pd.DataFrame] = {}
    for _ in range(args.repeat):
        for name, fn in (("gdprkit.sweep", ours), ("pandas", lambda: pandas_sweep(df, ON))):
            result, wall, cpu = timed(fn)
            results[name] = result
            if name not in best or wall < best[name][0]:
                best[name] = (wall, cpu)

    # Same answer, row by row: status everywhere; the date wherever it is not held.
    mine, theirs = results["gdprkit.sweep"], results["pandas"]
    status = mine["status"].astype(object).to_numpy()
    assert (status == theirs["status"].to_numpy()).all(), "statuses differ"
    date = mine["due_date"].fillna(mine["next_due"]).to_numpy().astype("datetime64[D]")
    other = theirs["date"].to_numpy().astype("datetime64[D]")
    not_held = status != "held"
    same = (date == other) | (np.isnat(date) & np.isnat(other))
    assert same[not_held].all(), f"{(~same[not_held]).sum()} dates differ"
    assert (mine["due"].to_numpy() == theirs["due"].to_numpy()).all()
    counts = mine.attrs["counts"]
    print(f"same answer on all {args.rows:,} rows: " + ", ".join(
        f"{k} {v:,}" for k, v in counts.items() if k != "records"))

    print(f"\n{'implementation':<16}{'wall (best of ' + str(args.repeat) + ')':>20}"
          f"{'CPU':>10}{'rows/s (wall)':>16}{'rows/s (CPU)':>16}")
    for name, (wall, cpu) in best.items():
        print(f"{name:<16}{wall:>18.3f} s{cpu:>8.3f} s{args.rows / wall / 1e6:>14.1f} M"
              f"{args.rows / cpu / 1e6:>14.1f} M")
    ratio_wall = best["pandas"][0] / best["gdprkit.sweep"][0]
    ratio_cpu = best["pandas"][1] / best["gdprkit.sweep"][1]
    print(f"\ngdprkit.sweep is {ratio_wall:.1f}x faster by wall time, {ratio_cpu:.1f}x by CPU time "
          f"(threads={args.threads}); load average now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
