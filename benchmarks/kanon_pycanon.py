#!/usr/bin/env python3
"""k-anonymity: gdprkit.release.group_sizes against pycanon on the same data.

pycanon (PyPI, an independent implementation: pandas groupby into
equivalence classes) is the reference. For each data set below, the size of
every row's group over the quasi-identifiers is computed by both tools and
compared row by row (not only k, the smallest):

  extract   the cluster guide's extract "cluster-quality-extract", prepared
            by gdprkit.release.prepare from examples/records/cluster_records.csv
            (CPR numbers pseudonymised in a throw-away vault, practices
            generalised to their cluster, local suppression to k = 5):
            quasi-identifiers practice, age;
  records   the same records before the gate: practice, age (small
            practices make groups below 5);
  large     N synthetic records (make_cluster_records.py, default 1 million):
            practice, age, registered (a date: many small groups), timed.

pycanon drops rows with a missing quasi-identifier from its classes (pandas
groupby's dropna), gdprkit counts missing as a value: the data sets have no
missing quasi-identifier, and the script says so if one appears.

    PYTHONPATH=<staged package> python benchmarks/kanon_pycanon.py [--rows N]

Needs pycanon (pip install pycanon; a benchmark-only dependency). Exit 1 if
the tools disagree. Results go to benchmarks/RESULTS.md ("Release").
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import tempfile
import time
from typing import Any, List, Sequence, Tuple

import numpy as np
import pandas as pd

import gdprkit
import gdprkit.release

REPO = pathlib.Path(__file__).resolve().parents[1]
POLICY = REPO / "examples" / "policies" / "klyngeguide.textproto"
RECORDS = REPO / "examples" / "records" / "cluster_records.csv"
ON = "2026-12-01"
sys.path.insert(0, str(REPO / "examples" / "records"))

import make_cluster_records  # noqa: E402


def pycanon_sizes(df: pd.DataFrame, qi: Sequence[str]) -> Tuple[int, "np.ndarray[Any, Any]", float]:
    """pycanon's k and, from its equivalence classes, each row's group size."""
    from pycanon import anonymity
    from pycanon.anonymity.utils import aux_anonymity

    data = df.reset_index(drop=True)
    t = time.perf_counter()
    k = int(anonymity.k_anonymity(data, list(qi)))
    seconds = time.perf_counter() - t
    sizes = np.zeros(len(data), dtype=np.int64)
    for members in aux_anonymity.get_equiv_class(data, list(qi)):
        sizes[members] = len(members)
    return k, sizes, seconds


def gdprkit_sizes(df: pd.DataFrame, qi: Sequence[str]) -> Tuple[int, "np.ndarray[Any, Any]", float]:
    t = time.perf_counter()
    sizes = np.asarray(gdprkit.release.group_sizes(df, list(qi)))
    k = int(sizes.min())
    return k, sizes, time.perf_counter() - t


def compare(name: str, df: pd.DataFrame, qi: Sequence[str], repeat: int) -> bool:
    missing = int(df[list(qi)].isna().any(axis=1).sum())
    if missing:
        print(f"{name}: {missing} rows with a missing quasi-identifier (pycanon drops them)")
    best_g = best_p = float("inf")
    for _ in range(repeat):
        kg, sg, tg = gdprkit_sizes(df, qi)
        kp, sp, tp = pycanon_sizes(df, qi)
        best_g, best_p = min(best_g, tg), min(best_p, tp)
    same = kg == kp and bool(np.array_equal(sg, sp))
    groups = len(df.groupby(list(qi)).size())
    print(f"| {name} | {len(df):,} | {', '.join(qi)} | {groups:,} | {kg} | {kp} | "
          f"{'yes' if same else 'NO'} | {best_g:.3f} | {best_p:.3f} | x{best_p / best_g:.1f} |")
    return same


def prepared_extract(records: pd.DataFrame, tmp: str) -> pd.DataFrame:
    passphrase = os.urandom(24).hex()
    with gdprkit.Vault.create(os.path.join(tmp, "k.vault"), passphrase=passphrase,
                              kdf="interactive") as vault:
        vault.create_domain("klynge-kvalitet")
        prepared = gdprkit.release.prepare(records, policy=str(POLICY),
                                           release="cluster-quality-extract", on=ON, vault=vault)
    r = prepared.report
    print(f"extract: {r.rows_in:,} rows in, {r.rows_too_old + r.rows_missing_date:,} too old or "
          f"without a date, {r.values_suppressed} values suppressed, {r.rows_withheld} rows "
          f"withheld, k={r.k}, smallest group {r.smallest_group}")
    frame: pd.DataFrame = prepared.frame
    return frame


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--extract", help="the extract as a CSV written by `gdprkit release "
                        "prepare` (default: prepared here with gdprkit.release.prepare)")
    args = parser.parse_args(argv)
    import pycanon

    print(f"gdprkit {gdprkit.__version__}, pycanon {getattr(pycanon, '__version__', '?')}, "
          f"pandas {pd.__version__}; nproc {os.cpu_count()}, load {os.getloadavg()[0]:.2f}")
    records = pd.read_csv(RECORDS, dtype=str, keep_default_na=False)
    if args.extract:
        extract = pd.read_csv(args.extract, dtype=str, keep_default_na=False)
        print(f"extract: {args.extract} ({len(extract):,} rows, digest "
              f"{gdprkit.release.content_digest(extract)})")
    else:
        with tempfile.TemporaryDirectory(prefix="kanon_") as tmp:
            extract = prepared_extract(records, tmp)
    cols = make_cluster_records.make_records(args.rows)
    large = pd.DataFrame({"practice": cols["practice"], "age": cols["age"],
                          "registered": np.datetime_as_string(cols["registered"], unit="D")})
    print("\n| data | rows | quasi-identifiers | groups | k gdprkit | k pycanon | "
          "row sizes equal | gdprkit s | pycanon s | ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    ok = compare("extract", extract, ["practice", "age"], args.repeat)
    ok &= compare("records", records, ["practice", "age"], args.repeat)
    ok &= compare("large", large, ["practice", "age", "registered"], args.repeat)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
