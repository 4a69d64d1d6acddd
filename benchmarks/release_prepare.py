#!/usr/bin/env python3
"""The cluster view from ten million records: gdprkit.release.prepare against pandas.

Builds N synthetic registrations (default 10 million) with
examples/records/make_cluster_records.py (patients x practices x age bands,
a note, about 8 % older than five years) as the pandas DataFrame a consultant
would have after read_csv (text columns as str, the date as datetime64), and
makes the cluster guide's table from it twice, each in a fresh process:

  gdprkit  gdprkit.release.prepare(df, policy=klyngeguide, release="cluster-view",
           on=2026-12-01): drops the old rows and those without a date, drops
           the CPR, provider-number and note columns, tabulates practice x age
           band with every total of practice.hrc, applies the threshold rule
           (5), the secondary suppression and the LP audit, checks the
           result (scanning it for identifiers) and digests it;
  gdprkit-3col  the same call on the three columns the table needs
           (practice, age, registered): what the door's conversion of the
           other columns (ten million distinct CPR numbers) costs;
  pandas   what a consultant would write: filter by date, groupby
           practice x age band .size(), mask the cells below 5. No totals, no
           secondary suppression (a suppressed cell can be recomputed from
           its row's total), no audit, no check, no proof.

Memory is measured by the kernel (tracemalloc does not see C++
allocations): after the DataFrame is built, the peak is reset
(/proc/self/clear_refs) and the resident set taken (VmRSS); after the call,
the peak since the reset (VmHWM) less that resident set is the call's own
peak. ru_maxrss (the process's peak, building the DataFrame included) is
printed too. The data are generated once and
handed to the workers as .npy files. The two tables are compared cell by
cell where both publish.

    PYTHONPATH=<staged package> python benchmarks/release_prepare.py [--rows N]

Speed is measured here, never asserted in tests; results go to
benchmarks/RESULTS.md ("Release").
"""

from __future__ import annotations

import argparse
import gc
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

REPO = pathlib.Path(__file__).resolve().parents[1]
POLICY = REPO / "examples" / "policies" / "klyngeguide.textproto"
ON = "2026-12-01"
CUTOFF = "2021-12-01"  # ON minus P5Y
THRESHOLD = 5
METHODS = ("gdprkit", "gdprkit-3col", "pandas")
sys.path.insert(0, str(REPO / "examples" / "records"))

import make_cluster_records  # noqa: E402


def _maxrss_mib() -> float:
    """The process's peak resident set so far (ru_maxrss, KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _status_mib(field: str) -> float:
    """A field of /proc/self/status (VmRSS: now; VmHWM: peak since the last reset)."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> bool:
    """Resets VmHWM to the current RSS (Linux >= 4.0), so that the call's own
    peak is seen even when building the DataFrame peaked higher."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _save(data_dir: pathlib.Path, rows: int, seed: int) -> float:
    """Generates the columns and saves them as .npy; returns the seconds it took."""
    import pandas as pd

    t = time.perf_counter()
    cols = make_cluster_records.make_records(rows, seed)
    codes, uniques = pd.factorize(pd.Series(cols.pop("note"), dtype=object))
    np.save(data_dir / "note_codes.npy", codes.astype(np.int32))
    (data_dir / "note_labels.json").write_text(json.dumps([str(u) for u in uniques]))
    for name, values in cols.items():
        np.save(data_dir / f"{name}.npy", values)
    return time.perf_counter() - t


def _load(data_dir: pathlib.Path) -> Any:
    """The DataFrame as read_csv gives it: str columns, the date as datetime64."""
    import pandas as pd

    frame: Dict[str, Any] = {}
    for name in make_cluster_records.COLUMNS:
        if name == "note":
            labels = np.array(json.loads((data_dir / "note_labels.json").read_text()),
                              dtype=object)
            codes = np.load(data_dir / "note_codes.npy")
            note = labels[np.maximum(codes, 0)]
            note[codes < 0] = None
            frame[name] = pd.Series(note, dtype="str")
        elif name == "registered":
            frame[name] = np.load(data_dir / f"{name}.npy").astype("datetime64[s]")
        else:
            frame[name] = pd.Series(np.load(data_dir / f"{name}.npy"), dtype="str")
    return pd.DataFrame(frame)


def _worker(method: str, data_dir: pathlib.Path, out: pathlib.Path) -> None:
    import pandas as pd

    t = time.perf_counter()
    df = _load(data_dir)
    if method == "gdprkit-3col":  # only the columns the table needs
        df = df[["practice", "age", "registered"]]
    load_s = time.perf_counter() - t
    gc.collect()
    reset = _reset_peak()
    rss_data = _status_mib("VmRSS")
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    if method.startswith("gdprkit"):
        import gdprkit.release

        prepared = gdprkit.release.prepare(df, policy=str(POLICY), release="cluster-view", on=ON)
        wall = time.perf_counter() - t0
        report = prepared.report
        table = prepared.frame
        value = [c for c in table.columns if c not in ("practice", "age", "status")][0]
        published = table[table["status"] == "published"]
        cells = {f"{p}|{a}": float(v) for p, a, v in
                 zip(published["practice"], published["age"], published[value])}
        extra = {"rows_out": int(report.rows_out), "rows_too_old": int(report.rows_too_old),
                 "rows_missing_date": int(report.rows_missing_date),
                 "cells": int(report.cells), "cells_primary": int(report.cells_primary),
                 "cells_secondary": int(report.cells_secondary),
                 "audit_passed": bool(report.audit_passed)}
    else:
        recent = df[df["registered"] >= pd.Timestamp(CUTOFF)]
        counts = recent.groupby(["practice", "age"]).size()
        table = counts.mask(counts < THRESHOLD)
        wall = time.perf_counter() - t0
        cells = {f"{p}|{a}": float(v) for (p, a), v in table.dropna().items()}
        extra = {"cells": int(table.size), "cells_primary": int(table.isna().sum())}
    cpu = time.process_time() - cpu0
    result = {"method": method, "rows": len(df), "load_s": load_s, "wall_s": wall, "cpu_s": cpu,
              "rss_data_mib": rss_data,
              "rss_peak_mib": _status_mib("VmHWM") if reset else _maxrss_mib(),
              "maxrss_mib": _maxrss_mib(), "cells_published": cells,
              **extra}
    out.write_text(json.dumps(result))


def _run(method: str, data_dir: pathlib.Path) -> Dict[str, Any]:
    out = data_dir / f"{method}.json"
    subprocess.run([sys.executable, __file__, "--worker", method, "--data", str(data_dir)],
                   check=True)
    result: Dict[str, Any] = json.loads(out.read_text())
    return result


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=1, help="fresh processes per method")
    parser.add_argument("--worker", choices=METHODS, help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        data_dir = pathlib.Path(args.data)
        _worker(args.worker, data_dir, data_dir / f"{args.worker}.json")
        return 0

    with tempfile.TemporaryDirectory(prefix="release_prepare_") as tmp:
        data_dir = pathlib.Path(tmp)
        gen = _save(data_dir, args.rows, args.seed)
        print(f"{args.rows:,} records generated in {gen:.1f} s (seed {args.seed}); "
              f"nproc {os.cpu_count()}, load {os.getloadavg()[0]:.2f}", flush=True)
        best: Dict[str, Dict[str, Any]] = {}
        for _ in range(args.repeat):
            for method in METHODS:
                r = _run(method, data_dir)
                if method not in best or r["wall_s"] < best[method]["wall_s"]:
                    best[method] = r
    g, g3, p = best["gdprkit"], best["gdprkit-3col"], best["pandas"]
    print(f"\n{'method':12} {'wall s':>8} {'cpu s':>8} {'Mrows/s':>8} {'RSS data':>9} "
          f"{'call peak':>9} {'maxrss':>9}  cells (suppressed)")
    for r in (g, g3, p):
        print(f"{r['method']:12} {r['wall_s']:8.2f} {r['cpu_s']:8.2f} "
              f"{r['rows'] / r['wall_s'] / 1e6:8.2f} {r['rss_data_mib']:8.0f}M "
              f"{r['rss_peak_mib'] - r['rss_data_mib']:8.0f}M {r['maxrss_mib']:8.0f}M  "
              f"{r['cells']} ({r['cells_primary']}"
              + (f" + {r['cells_secondary']} secondary" if "cells_secondary" in r else "") + ")")
    g_peak = g["rss_peak_mib"] - g["rss_data_mib"]
    p_peak = max(1.0, p["rss_peak_mib"] - p["rss_data_mib"])
    print(f"\ngdprkit / pandas: time x{g['wall_s'] / p['wall_s']:.2f}, "
          f"call's peak memory x{g_peak / p_peak:.2f}; with the three columns the table needs "
          f"time x{g3['wall_s'] / p['wall_s']:.2f}")
    print(f"gdprkit: rows too old {g['rows_too_old']:,}, without a date "
          f"{g['rows_missing_date']:,}, audit passed {g['audit_passed']}")
    both = set(g["cells_published"]) & set(p["cells_published"])
    differ = [c for c in both if g["cells_published"][c] != p["cells_published"][c]]
    only_pandas = set(p["cells_published"]) - set(g["cells_published"])
    print(f"practice x age cells published by both: {len(both)}, with different counts: "
          f"{len(differ)}; published by pandas only (gdprkit's secondary suppression): "
          f"{len(only_pandas)}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
