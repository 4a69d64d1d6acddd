"""What a progress callback costs (issue #11): a 1 M-record sweep and 1 M
pseudonyms with ``progress=False`` and with a Python callable, interleaved,
median of 5 runs each. From the repository root:

    .venv/bin/python benchmarks/progress_overhead.py
"""

from __future__ import annotations

import pathlib
import statistics
import tempfile
import time
from typing import Callable, List, Union

import numpy as np
import pandas as pd

import gdprkit

N = 1_000_000
RUNS = 5
calls = [0]


def callback(stage: str, done: int, total: int) -> bool:
    calls[0] += 1
    return True


Progress = Union[bool, Callable[[str, int, int], bool]]


def compare(name: str, run: Callable[[Progress], None]) -> None:
    def timed(progress: Progress) -> float:
        start = time.perf_counter()
        run(progress)
        return time.perf_counter() - start

    plain: List[float] = []
    followed: List[float] = []
    calls[0] = 0
    for _ in range(RUNS):
        plain.append(timed(False))
        followed.append(timed(callback))
    a, b = statistics.median(plain), statistics.median(followed)
    print(f"{name}: progress=False {a:.3f} s, callable {b:.3f} s, ratio {b / a:.3f}, "
          f"{calls[0] // RUNS} calls per run")


def main() -> None:
    policy = gdprkit.Policy.load("examples/policies/kapsel.textproto")
    records = pd.read_csv("examples/records/kapsel_records.csv")
    df = records.sample(N, replace=True, random_state=1).reset_index(drop=True)
    df["id"] = np.arange(N).astype(str)

    def sweep(progress: Progress) -> None:
        gdprkit.sweep(df, policy=policy, on="2027-03-01", id="id", purpose="purpose",
                      holds=("hold_start", "hold_end"), progress=progress)

    compare("sweep 1M records", sweep)

    with tempfile.TemporaryDirectory() as tmp:
        vault = gdprkit.Vault.create(pathlib.Path(tmp) / "bench.vault",
                                     passphrase="a long passphrase for the benchmark",
                                     kdf="interactive")
        vault.create_domain("bench")
        ids = [f"{i % 28 + 1:02d}0190{i % 10000:04d}" for i in range(N)]

        def pseudonymise(progress: Progress) -> None:
            vault.pseudonymise(ids, domain="bench", kind="cpr", errors="coerce",
                               progress=progress)

        compare("pseudonymise 1M CPR numbers", pseudonymise)
        vault.close()


if __name__ == "__main__":
    main()
