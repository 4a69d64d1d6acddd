#!/usr/bin/env python3
"""Pseudonymising a pandas column of 1 million CPR numbers from Python, side by
side in one run with

  * a list comprehension over Python's own keyed ``hashlib.blake2b`` (what a
    consultant would write without gdprkit), and
  * the C++ loop (``benchmarks/vault_benchmark``'s BM_Pseudonymize at 1 M,
    one thread and automatic threads, run as a subprocess when its path is
    given or found under build/),

for both pseudonym schemes: chacha20 (the default for new domains) and
blake2b.

Targets (issue #5): at least 3x faster than the list comprehension, and within
1.5x of the C++ loop. Prints wall and CPU time (the machine may be shared:
CPU time of this process is the fairer per-core figure), the load average and
the date. Usage:

  PYTHONPATH=build/vault/pystage .venv/bin/python benchmarks/vault_python.py \
      [--n 1000000] [--repeat 3] [--cxx build/vault/benchmarks/vault_benchmark]
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import io
import json
import os
import random
import subprocess
import tempfile
import time
from typing import Callable, List, Optional, Tuple

import pandas as pd

import gdprkit


def make_cpr_numbers(n: int, seed: int = 5) -> List[str]:
    """n distinct synthetic CPR numbers DDMMYY-SSSS (valid by the rules)."""
    r = random.Random(seed)
    out: dict = {}  # insertion-ordered, like rows read from a file
    while len(out) < n:
        d, m, y, s = r.randint(1, 28), r.randint(1, 12), r.randint(0, 99), r.randint(0, 3999)
        out[f"{d:02d}{m:02d}{y:02d}-{s:04d}"] = None  # 7th digit 0-3: born 1900-1999
    # Round-trip through CSV text as pandas.read_csv would, so the str objects
    # lie in memory in row order (as in a real column), not in creation order.
    text = "cpr\n" + "\n".join(out) + "\n"
    return pd.read_csv(io.StringIO(text), dtype={"cpr": str})["cpr"].tolist()


def timed(fn: Callable[[], object], repeat: int) -> Tuple[float, float, object]:
    """Best (wall, cpu) of `repeat` runs, and the last result."""
    best_wall, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        result = None  # free the previous result outside the timed region
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        w1, c1 = time.perf_counter(), time.process_time()
        best_wall, best_cpu = min(best_wall, w1 - w0), min(best_cpu, c1 - c0)
    return best_wall, best_cpu, result


def cxx_figure(path: Optional[str], scheme: int,
               threads: int) -> Optional[Tuple[float, float]]:
    """(wall, cpu) seconds per 1M pseudonyms from the C++ benchmark, or None.
    scheme: 1 blake2b, 2 chacha20; threads: 1 (one core) or 0 (automatic)."""
    if path is None:
        found = sorted(glob.glob("build/*/benchmarks/vault_benchmark"))
        path = found[0] if found else None
    if path is None or not os.path.exists(path):
        return None
    name = f"BM_Pseudonymize/n:1000000/threads:{threads}/scheme:{scheme}"
    out = subprocess.run(
        [path, f"--benchmark_filter=^{name}", "--benchmark_format=json",
         "--benchmark_repetitions=3"],
        check=True, capture_output=True, text=True,
    ).stdout
    runs = [b for b in json.loads(out)["benchmarks"]
            if b.get("run_type") == "iteration" and b["run_name"].startswith(name)]
    if not runs:
        return None
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    wall = min(b["real_time"] * scale[b["time_unit"]] for b in runs)
    cpu = min(b["cpu_time"] * scale[b["time_unit"]] for b in runs)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cxx", default=None, help="path of vault_benchmark (C++)")
    args = ap.parse_args()

    values = make_cpr_numbers(args.n)
    series = pd.Series(values, name="cpr")
    key = os.urandom(32)
    domain = "klynge-aarhus-2026"

    with tempfile.TemporaryDirectory() as tmp:
        vault = gdprkit.Vault.create(os.path.join(tmp, "bench.vault"),
                                     passphrase="benchmark", kdf="tests_only")
        vault.create_domain(domain)  # the default scheme, chacha20
        vault.create_domain("legacy", scheme="blake2b")

        def ours() -> object:
            return vault.pseudonymise(series, domain=domain)

        def ours_list() -> object:
            return vault.pseudonymise(values, domain=domain)

        def ours_blake2b() -> object:
            return vault.pseudonymise(series, domain="legacy")

        def hashlib_listcomp() -> object:
            b2 = hashlib.blake2b
            return [b2(v.encode(), key=key, digest_size=16).hexdigest() for v in values]

        w_ours, c_ours, res = timed(ours, args.repeat)
        assert isinstance(res, pd.Series) and len(res) == args.n
        w_list, c_list, _ = timed(ours_list, args.repeat)
        w_b2, c_b2, _ = timed(ours_blake2b, args.repeat)
        w_hash, c_hash, _ = timed(hashlib_listcomp, args.repeat)
        vault.close()

    cxx = {(scheme, threads): cxx_figure(args.cxx, scheme, threads)
           for scheme in (2, 1) for threads in (1, 0)}
    load = os.getloadavg()
    n_m = args.n / 1e6
    print(f"date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}; load average {load[0]:.2f} "
          f"{load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    print(f"{args.n:,} CPR numbers, best of {args.repeat}; wall / CPU seconds (CPU of every "
          f"thread), rate by wall")
    rows = [
        ("gdprkit pseudonymise(pandas Series), chacha20", w_ours, c_ours),
        ("gdprkit pseudonymise(list), chacha20", w_list, c_list),
        ("gdprkit pseudonymise(pandas Series), blake2b", w_b2, c_b2),
        ("[hashlib.blake2b(key=...) for v in values]", w_hash, c_hash),
    ]
    for (scheme, threads), fig in cxx.items():
        if fig is not None:
            rows.append((f"C++ Pseudonymizer, {'chacha20' if scheme == 2 else 'blake2b'}, "
                         f"{'1 thread' if threads == 1 else 'auto threads'}", fig[0], fig[1]))
    for name, w, c in rows:
        print(f"  {name:50s} {w:7.3f} s / {c:7.3f} s  {n_m / w:6.2f} M/s")
    print(f"pandas column (chacha20) vs hashlib list comprehension: {w_hash / w_ours:.2f}x "
          f"faster by wall, {c_hash / c_ours:.2f}x by CPU (target >= 3x)")
    print(f"pandas column (blake2b) vs hashlib list comprehension: {w_hash / w_b2:.2f}x "
          f"faster by wall, {c_hash / c_b2:.2f}x by CPU")
    one, auto = cxx[(2, 1)], cxx[(2, 0)]
    if one is not None and auto is not None:
        print(f"pandas column vs the C++ loop (chacha20): {c_ours / one[1]:.2f}x its CPU time "
              f"(one thread), {w_ours / auto[0]:.2f}x its wall time (both automatic threads) "
              f"(target <= 1.5x)")


if __name__ == "__main__":
    main()
