#!/usr/bin/env python3
"""Side by side: gdprkit's secondary suppression against the alternatives a
data consultant has, on the same hierarchical frequency tables in one run.

Methods:
  gdprkit-heuristic  gdprkit.suppress(method="heuristic"), audit included
  gdprkit-optimal    gdprkit.suppress(method="optimal") (CBC MIP; small tables):
                     the exact optimum when `proven` is yes
  naive-pandas       what a consultant writes in pandas: blank the small cells,
                     then in every relation (a practice's row; a parent and its
                     children in one age/diagnosis column) that has exactly one
                     blank cell, blank its smallest other cell; repeat until
                     stable
  tau-OPT, tau-MOD   pytauargus (tau-ARGUS engine with HiGHS, headless) with
                     its optimal and modular (HITAS) methods, run in another
                     interpreter (--tau-python) that has pytauargus installed;
                     its input is the table expanded to one record per
                     registration, rules FREQ(5,30) (protection 30% of the
                     value) and FREQ(5,100), unity cost (-2)

Every pattern is then audited by gdprkit's audit (threshold rule, k = 5: an
attacker must not be able to prove that a small cell is below 5) so the
table says which patterns actually protect the small cells.

Usage (the package from a build dir, pytauargus in a scratch venv):
  PYTHONPATH=<staged gdprkit> .venv/bin/python benchmarks/suppression_compare.py \
      --tau-python /tmp/tauvenv/bin/python [--sizes cluster,small,medium,large]

Prints a Markdown table (times in seconds: wall and CPU, the CPU of the
process doing the work) to paste into benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional, Tuple

import numpy as np
import pandas as pd

import gdprkit

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

# ---------------------------------------------------------------------------
# Tables: practice hierarchy (region > cluster > practice) x a column
# dimension (chapter > group, or flat age bands); leaf counts >= 1.
# ---------------------------------------------------------------------------

Table = Tuple[pd.DataFrame, Dict[str, str], Dict[str, str]]  # leaves, row hier, col hier


def tree(prefix: str, total: str, fanout: List[int]) -> Tuple[Dict[str, str], List[str]]:
    parent = {total: ""}
    level = [total]
    for depth, k in enumerate(fanout):
        nxt = []
        for p in level:
            for i in range(k):
                code = f"{prefix}{i}" if depth == 0 else f"{p}.{i}"
                parent[code] = p
                nxt.append(code)
        level = nxt
    return parent, level


def synthetic(regions: int, clusters: int, practices: int, chapters: int, groups: int,
              mean: float, seed: int) -> Table:
    rows, row_leaves = tree("r", "Total", [regions, clusters, practices])
    cols, col_leaves = tree("g", "Total", [chapters, groups] if chapters > 1 else [groups])
    rng = np.random.default_rng(seed)
    pe = rng.lognormal(0, 0.8, len(row_leaves))
    ge = rng.lognormal(0, 0.8, len(col_leaves))
    lam = mean * np.outer(pe, ge)
    counts = 1 + rng.poisson(lam)  # >= 1: no empty cells (tau-ARGUS drops them)
    df = pd.DataFrame({
        "practice": np.repeat(row_leaves, len(col_leaves)),
        "group": np.tile(col_leaves, len(row_leaves)),
        "n": counts.ravel().astype(np.int64),
    })
    return df, rows, cols


def cluster_example() -> Table:
    df = pd.read_csv(os.path.join(REPO, "examples", "tables", "cluster_age.csv"))
    h = pd.read_csv(os.path.join(REPO, "examples", "tables", "practice_hierarchy.csv"),
                    keep_default_na=False)
    rows = dict(zip(h.code, h.parent))
    leaves = set(rows) - set(rows.values())
    ages = sorted(set(df.age) - {"Total"})
    leaf = df[df.practice.isin(leaves) & (df.age != "Total")].rename(columns={"age": "group"})
    leaf = leaf.reset_index(drop=True)
    cols = {"Total": "", **{a: "Total" for a in ages}}
    return leaf, rows, cols


SIZES = {
    # name: (maker, run the exact method?, run tau-OPT?)
    "cluster": (cluster_example, True, True),
    "small": (lambda: synthetic(2, 3, 4, 2, 4, 6.0, 1), True, True),
    "medium": (lambda: synthetic(3, 5, 8, 4, 5, 6.0, 2), False, True),
    "large": (lambda: synthetic(5, 10, 20, 10, 10, 6.0, 3), False, False),
}

# ---------------------------------------------------------------------------
# The full table (every cell, totals included) and its relations.
# ---------------------------------------------------------------------------


def children_of(parent: Dict[str, str]) -> Dict[str, List[str]]:
    out: Dict[str, List[str]] = {}
    for c, p in parent.items():
        if p:
            out.setdefault(p, []).append(c)
    return out


def full_table(leaf: pd.DataFrame, rows: Dict[str, str], cols: Dict[str, str]) -> pd.DataFrame:
    """All cells with totals, computed by aggregating leaves up both trees."""
    def ancestors(parent: Dict[str, str]) -> Dict[str, List[str]]:
        out = {}
        for c in parent:
            chain, x = [], c
            while x:
                chain.append(x)
                x = parent[x]
            out[c] = chain
        return out
    ra, ca = ancestors(rows), ancestors(cols)
    r_idx = {c: i for i, c in enumerate(rows)}
    c_idx = {c: i for i, c in enumerate(cols)}
    m = np.zeros((len(rows), len(cols)), dtype=np.int64)
    for p, g, n in zip(leaf.practice, leaf.group, leaf.n):
        for a in ra[p]:
            for b in ca[g]:
                m[r_idx[a], c_idx[b]] += n
    return pd.DataFrame({
        "practice": np.repeat(list(rows), len(cols)),
        "group": np.tile(list(cols), len(rows)),
        "n": m.ravel(),
    })


# ---------------------------------------------------------------------------
# Methods
# ---------------------------------------------------------------------------


def run_gdprkit(full: pd.DataFrame, rows: Dict[str, str], cols: Dict[str, str],
                method: str) -> Tuple[np.ndarray, float, float, str]:
    w, c = time.perf_counter(), time.process_time()
    r = gdprkit.suppress(full, ["practice", "group"], "n", threshold=5, method=method,
                         hierarchies={"practice": rows, "group": cols}, time_limit=120)
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    assert r.audit().passed
    hidden = (r.table["status"] != "published").to_numpy()
    note = "proven" if r.proven_optimal else ""
    return hidden, wall, cpu, note


def run_naive(full: pd.DataFrame, rows: Dict[str, str], cols: Dict[str, str]
              ) -> Tuple[np.ndarray, float, float, str]:
    """The consultant's pandas loop."""
    w, c = time.perf_counter(), time.process_time()
    df = full.set_index(["practice", "group"])
    hidden = ((df.n > 0) & (df.n < 5)).to_dict()
    value = df.n.to_dict()
    groups: List[List[Tuple[str, str]]] = []
    for p in rows:  # each practice's row: total and parts
        for parent, kids in children_of(cols).items():
            groups.append([(p, parent)] + [(p, k) for k in kids])
    for g in cols:  # each column: a parent and its children
        for parent, kids in children_of(rows).items():
            groups.append([(parent, g)] + [(k, g) for k in kids])
    changed = True
    while changed:
        changed = False
        for cells in groups:
            blanks = [x for x in cells if hidden[x]]
            if len(blanks) == 1:
                rest = [x for x in cells if not hidden[x]]
                if rest:
                    pick = min(rest, key=lambda x: (value[x], x))
                    hidden[pick] = True
                    changed = True
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    mask = np.array([hidden[(p, g)] for p, g in zip(full.practice, full.group)])
    return mask, wall, cpu, ""


TAU_SCRIPT = r"""
import json, resource, sys, time
import pandas as pd
from pytauargus import protect
leaf_csv, hrc, workdir, method, rng = sys.argv[1:6]
hrc = json.loads(hrc)
leaf = pd.read_csv(leaf_csv, dtype={"practice": str, "group": str})
micro = leaf.loc[leaf.index.repeat(leaf.n)][["practice", "group"]].reset_index(drop=True)
micro["one"] = 1.0
w, c = time.perf_counter(), time.process_time()
res = protect(micro, ["practice", "group"], response="one",
              safety_rules="FREQ(5,%s)" % rng, suppress=method + "(1)", cost_var="-2",
              hrc=hrc or None, hierleadstring="@", totcode="Total", workdir=workdir)
wall, cpu = time.perf_counter() - w, time.process_time() - c
ch = resource.getrusage(resource.RUSAGE_CHILDREN)
d = res.tables[0].dataframe()
json.dump({"wall": wall, "cpu": cpu + ch.ru_utime + ch.ru_stime, "records": len(micro),
           "cells": [[str(p).strip(), str(g).strip(), str(s)]
                     for p, g, s in zip(d.practice, d.group, d.status)]},
          sys.stdout)
"""


def write_hrc(parent: Dict[str, str], path: str) -> None:
    kids = children_of(parent)
    lines: List[str] = []

    def walk(code: str, depth: int) -> None:
        for k in kids.get(code, []):
            lines.append("@" * depth + k)
            walk(k, depth + 1)

    walk("Total", 0)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def depth(parent: Dict[str, str]) -> int:
    def d(c: str) -> int:
        return 0 if not parent[c] else 1 + d(parent[c])
    return max(d(c) for c in parent)


def run_tau(tau_python: str, leaf: pd.DataFrame, full: pd.DataFrame, rows: Dict[str, str],
            cols: Dict[str, str], method: str, rng: int, timeout: float
            ) -> Tuple[Optional[np.ndarray], float, float, str]:
    with tempfile.TemporaryDirectory(prefix="tau_") as tmp:
        leaf.to_csv(os.path.join(tmp, "leaf.csv"), index=False)
        hrc = {}
        for dim, parent in (("practice", rows), ("group", cols)):
            if depth(parent) > 1:  # flat dimensions need no .hrc (tau refuses flat ones)
                hrc[dim] = os.path.join(tmp, f"{dim}.hrc")
                write_hrc(parent, hrc[dim])
        script = os.path.join(tmp, "run.py")
        with open(script, "w") as f:
            f.write(TAU_SCRIPT)
        try:
            p = subprocess.run([tau_python, script, os.path.join(tmp, "leaf.csv"),
                                json.dumps(hrc), os.path.join(tmp, "work"), method, str(rng)],
                               capture_output=True, text=True, timeout=timeout,
                               cwd=tmp)  # the engine writes its logs to the working directory
        except subprocess.TimeoutExpired:
            return None, timeout, float("nan"), f"no result in {timeout:.0f} s"
        if p.returncode != 0:
            why = p.stderr.strip().splitlines()[-1:] or [f"exit status {p.returncode}"]
            if p.returncode < 0:
                why = [f"crashed (signal {-p.returncode})"]
            return None, float("nan"), float("nan"), "failed: " + why[0][-160:]
        out = json.loads(p.stdout)
    status = {(pp, g): s for pp, g, s in out["cells"]}
    missing = [(pp, g) for pp, g in zip(full.practice, full.group) if (pp, g) not in status]
    if missing:
        return (None, out["wall"], out["cpu"],
                f"{len(missing)} cells missing in its output, e.g. {missing[:2]}")
    mask = np.array([status[(pp, g)] in ("U", "M") for pp, g in zip(full.practice, full.group)])
    return mask, out["wall"], out["cpu"], f"{out['records']} records"


# ---------------------------------------------------------------------------


def audit(full: pd.DataFrame, rows: Dict[str, str], cols: Dict[str, str],
          hidden: np.ndarray) -> Tuple[bool, int]:
    a = gdprkit.audit_suppression(full, ["practice", "group"], "n", hidden, threshold=5,
                                  hierarchies={"practice": rows, "group": cols})
    return a.passed, len(a.unsafe)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="cluster,small,medium,large")
    ap.add_argument("--tau-python", default="", help="interpreter with pytauargus installed")
    ap.add_argument("--tau-timeout", type=float, default=900)
    args = ap.parse_args()

    print(f"# suppression_compare: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, "
          f"{platform.machine()} {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, gdprkit {gdprkit.__version__}")
    print()
    print("| table | cells | small | method | wall s | CPU s | secondary | vs best | "
          "passes gdprkit audit | note |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---|---|")
    for name in args.sizes.split(","):
        maker, exact, tau_opt = SIZES[name]
        leaf, rows, cols = maker()
        full = full_table(leaf, rows, cols)
        small = int(((full.n > 0) & (full.n < 5)).sum())
        results = []
        results.append(("gdprkit-heuristic", *run_gdprkit(full, rows, cols, "heuristic")))
        if exact:
            results.append(("gdprkit-optimal", *run_gdprkit(full, rows, cols, "optimal")))
        results.append(("naive-pandas", *run_naive(full, rows, cols)))
        if args.tau_python:
            for m in (["OPT", "MOD"] if tau_opt else ["MOD"]):
                for rng in (30, 100):
                    results.append((f"tau-{m} FREQ(5,{rng})",
                                    *run_tau(args.tau_python, leaf, full, rows, cols, m, rng,
                                             args.tau_timeout)))
        rows_out = []
        for method, hidden, wall, cpu, note in results:
            if hidden is None:
                rows_out.append((method, None, wall, cpu, None, None, note))
                continue
            secondary = int(hidden.sum()) - small
            passed, unsafe = audit(full, rows, cols, hidden)
            rows_out.append((method, secondary, wall, cpu, passed, unsafe, note))
        safe = [r[1] for r in rows_out if r[1] is not None and r[4]]
        best = min(safe) if safe else None
        for method, secondary, wall, cpu, passed, unsafe, note in rows_out:
            ratio = f"{secondary / best:.2f}" if best and secondary is not None else "-"
            verdict = "-" if passed is None else ("yes" if passed else f"NO ({unsafe} exposed)")
            sec = "-" if secondary is None else str(secondary)
            print(f"| {name} | {len(full)} | {small} | {method} | {wall:.2f} | {cpu:.2f} | "
                  f"{sec} | {ratio} | {verdict} | {note} |", flush=True)
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print()
    print(f"# this process: {ru.ru_utime + ru.ru_stime:.1f} s CPU; peak RSS "
          f"{ru.ru_maxrss / 1024:.0f} MiB; load average now "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    sys.exit(main())
