#!/usr/bin/env python3
"""Pseudonymising 1 million CPR numbers held in a pyarrow string array
(issue #15: Arrow in and out, no Python object per row), side by side in one
run with

  * the same numbers as a Python list through gdprkit (the list path),
  * a list comprehension over keyed ``hashlib.blake2b`` (what a consultant
    would write without gdprkit),
  * the C++ loop (``benchmarks/vault_benchmark``'s BM_Pseudonymize at 1 M,
    chacha20, one thread and automatic threads) and the primitives under it
    (one ``crypto_stream_chacha20_ietf`` block, ``crypto_core_hchacha20``,
    base32 of 16 bytes, the checks and normal form of one CPR number), run as
    a subprocess.

Target: the Arrow path within 1.2x of the C++ loop's CPU time (the door adds
almost nothing). CPU time (``time.process_time``: every thread of this
process) is the fair figure on a shared machine; wall time is printed too,
with the load average and the date. Usage:

  PYTHONPATH=<staged package> .venv/bin/python benchmarks/arrow_pseudonymise.py \\
      [--n 1000000] [--repeat 3] [--cxx build/<dir>/benchmarks/vault_benchmark]
"""

from __future__ import annotations

import argparse
import datetime
import glob
import hashlib
import json
import os
import subprocess
import tempfile
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

import numpy as np
import pyarrow as pa

from gdprkit.vault import Pseudonymizer, Vault


def cpr_numbers(n: int, seed: int = 15) -> List[str]:
    """n synthetic valid CPR numbers DDMMYYSSSS (born 1900-1999), made with
    NumPy and joined into one str each."""
    rng = np.random.default_rng(seed)
    d, m, y, s = (rng.integers(1, 29, n), rng.integers(1, 13, n), rng.integers(0, 100, n),
                  rng.integers(0, 4000, n))
    number = ((d * 100 + m) * 100 + y) * 10000 + s
    return np.char.zfill(number.astype(str), 10).tolist()


def timed(fn: Callable[[], Any], repeat: int) -> Tuple[float, float, Any]:
    """Best (wall, cpu) of `repeat` runs, and the last result."""
    best_wall, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        result = None
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        best_wall = min(best_wall, time.perf_counter() - w0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return best_wall, best_cpu, result


def cxx_figures(path: Optional[str]) -> Dict[str, Tuple[float, float]]:
    """(wall, cpu) seconds per run of the C++ benchmarks, by name."""
    if path is None:
        found = sorted(glob.glob("build/*/benchmarks/vault_benchmark"), key=os.path.getmtime)
        path = found[-1] if found else None
    if path is None:
        return {}
    pattern = ("^(BM_Pseudonymize/n:1000000/threads:[01]/scheme:2|BM_ChaCha20OneBlock|"
               "BM_HChaCha20|BM_Base32Pseudonym|BM_NormalizeOneCpr)")
    out = subprocess.run([path, f"--benchmark_filter={pattern}", "--benchmark_format=json"],
                         check=True, capture_output=True, text=True).stdout
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    figures: Dict[str, Tuple[float, float]] = {}
    for b in json.loads(out)["benchmarks"]:
        unit = scale[b.get("time_unit", "ns")]
        figures[b["name"].split("/real_time")[0].split("/process_time")[0]] = (
            b["real_time"] * unit, b["cpu_time"] * unit)
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cxx", default=None, help="path of vault_benchmark (C++)")
    args = ap.parse_args()
    n = args.n

    values = cpr_numbers(n)
    arr = pa.array(values, type=pa.string())
    with tempfile.TemporaryDirectory() as tmp:
        vault = Vault.create(os.path.join(tmp, "bench.db"), passphrase="benchmark passphrase",
                             kdf="tests_only", actor="benchmark")
        vault.create_domain("klynge-aarhus-2026")
        key_text = vault.export_pseudonym_key("klynge-aarhus-2026", reason="benchmark")
        vault.close()
    p = Pseudonymizer.from_exported_key(key_text)
    blake_key = hashlib.blake2b(b"benchmark key").digest()

    rows: List[Tuple[str, float, float]] = []
    wall, cpu, out_arrow = timed(lambda: p.pseudonymise(arr, kind="cpr"), args.repeat)
    rows.append(("gdprkit, pyarrow array in and out", wall, cpu))
    wall, cpu, out_list = timed(lambda: p.pseudonymise(values, kind="cpr"), args.repeat)
    rows.append(("gdprkit, list in and out", wall, cpu))
    assert isinstance(out_arrow, pa.Array) and out_arrow.to_pylist()[:1000] == out_list[:1000]
    wall, cpu, _ = timed(lambda: [hashlib.blake2b(v.encode(), key=blake_key, digest_size=16)
                                  .hexdigest() for v in values], args.repeat)
    rows.append(("hashlib.blake2b list comprehension", wall, cpu))

    cxx = cxx_figures(args.cxx)
    print(f"# {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, "
          f"load average {os.getloadavg()[0]:.1f} / {os.getloadavg()[1]:.1f} "
          f"(1 / 5 min), {os.cpu_count()} CPUs, n = {n:,}")
    print(f"{'what':46s} {'wall s':>8s} {'CPU s':>8s} {'ns/row CPU':>10s}")
    for name, wall, cpu in rows:
        print(f"{name:46s} {wall:8.3f} {cpu:8.3f} {cpu / n * 1e9:10.0f}")
    loops = {1: "BM_Pseudonymize/n:1000000/threads:1/scheme:2",
             0: "BM_Pseudonymize/n:1000000/threads:0/scheme:2"}
    for threads, name in loops.items():
        if name in cxx:
            w, c = cxx[name]
            label = "C++ loop, " + ("one thread" if threads == 1 else "automatic threads")
            print(f"{label:46s} {w * n / 1e6:8.3f} {c * n / 1e6:8.3f} {c / 1e6 * 1e9:10.0f}")
    for name in ("BM_ChaCha20OneBlock", "BM_HChaCha20", "BM_Base32Pseudonym",
                 "BM_NormalizeOneCpr"):
        if name in cxx:
            print(f"  primitive {name[3:]:35s} {'':8s} {'':8s} {cxx[name][1] * 1e9:10.1f}")

    arrow_wall, arrow_cpu = rows[0][1], rows[0][2]
    list_wall, list_cpu = rows[1][1], rows[1][2]
    hash_wall, hash_cpu = rows[2][1], rows[2][2]
    print(f"arrow vs list path: x{list_wall / arrow_wall:.2f} wall, "
          f"x{list_cpu / arrow_cpu:.2f} CPU")
    print(f"arrow vs hashlib: x{hash_wall / arrow_wall:.2f} wall, x{hash_cpu / arrow_cpu:.2f} CPU")
    if loops[0] in cxx:
        auto_cpu = cxx[loops[0]][1] * n / 1e6
        print(f"arrow CPU / C++ loop CPU (automatic threads): {arrow_cpu / auto_cpu:.2f} "
              "(target <= 1.2)")
    if loops[1] in cxx:
        one_cpu = cxx[loops[1]][1] * n / 1e6
        print(f"arrow CPU / C++ loop CPU (one thread): {arrow_cpu / one_cpu:.2f}")
        floor = sum(cxx[k][1] for k in ("BM_ChaCha20OneBlock", "BM_Base32Pseudonym",
                                        "BM_NormalizeOneCpr") if k in cxx)
        if floor:
            print(f"C++ loop per row {one_cpu / n * 1e9:.0f} ns CPU; its primitives "
                  f"(chacha20 block + base32 + CPR checks) {floor * 1e9:.0f} ns: "
                  f"{floor / (one_cpu / n):.0%} of the loop")


if __name__ == "__main__":
    main()
