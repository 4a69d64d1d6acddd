"""What the self-contained distribution costs and weighs (issue #13).

Side by side, in one run: the manylinux wheel (dependencies linked in, installed
into build/wheel-venv by scripts/test_wheel.sh) and the development install
against Debian's shared libraries (`pip install .` into .venv), each in a
process of its own:

* the wheel's size, and the time from an empty directory to a working
  ``import gdprkit``: ``python -m venv`` + ``pip install <wheel>`` (NumPy from
  pip's cache) + the import, median of 3;
* ``import gdprkit`` in a warm process, best of 15;
* the size of the stripped libgdprkit.so.0 of both builds;
* two calls where linking could matter: 1 M pseudonyms (libsodium) and the
  cluster table's suppression with the LP audit (COIN-OR), median of 5, as
  the ratio wheel / shared.

    python benchmarks/distribution.py [--shared-lib build/lead/libgdprkit.so.0]
                                      [--static-lib build/release/libgdprkit.so.0]
"""

from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
WHEEL_VENV = REPO / "build" / "wheel-venv" / "bin" / "python"
DEV_VENV = REPO / ".venv" / "bin" / "python"

IMPORT = "import time; t = time.perf_counter(); import gdprkit; print(time.perf_counter() - t)"
CALLS = """
import statistics, sys, tempfile, time, os
import numpy as np
import gdprkit
what = sys.argv[1]
repo = sys.argv[2]
if what == "pseudonymise":
    rng = np.random.default_rng(7)
    days = rng.integers(1, 29, 1_000_000); months = rng.integers(1, 13, 1_000_000)
    years = rng.integers(0, 100, 1_000_000); seq = rng.integers(0, 10000, 1_000_000)
    ids = np.array([f"{d:02d}{m:02d}{y:02d}{s:04d}"
                    for d, m, y, s in zip(days, months, years, seq)])
    with tempfile.TemporaryDirectory() as tmp:
        v = gdprkit.Vault.create(os.path.join(tmp, "v.gdprkit"), passphrase="benchmark passphrase",
                                 kdf="tests_only")
        v.create_domain("bench")
        runs = []
        for _ in range(5):
            t = time.perf_counter()
            v.pseudonymise(ids, domain="bench", kind="cpr", errors="coerce")
            runs.append(time.perf_counter() - t)
        v.close()
else:
    import pandas as pd
    table = pd.read_csv(os.path.join(repo, "examples", "tables", "cluster_age.csv"))
    with open(os.path.join(repo, "examples", "tables", "practice.hrc"), encoding="utf-8") as f:
        hierarchy = gdprkit.hierarchy_from_hrc(f.read())
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        gdprkit.suppress(table, dims=["practice", "age"], value="n", threshold=5,
                         hierarchies={"practice": hierarchy}, audit="exact")
        runs.append(time.perf_counter() - t)
print(statistics.median(runs))
"""


def run(python: pathlib.Path, *args: str) -> str:
    out = subprocess.run([str(python), *args], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.exit(f"{python} {' '.join(args[:1])} failed:\n{out.stderr}")
    return out.stdout.strip()


def install_to_import(wheel: pathlib.Path) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "venv", f"{tmp}/venv"], check=True)
        subprocess.run([f"{tmp}/venv/bin/python", "-m", "pip", "install", "-q",
                        "--disable-pip-version-check", str(wheel)], check=True)
        subprocess.run([f"{tmp}/venv/bin/python", "-c", "import gdprkit"], check=True)
        return time.perf_counter() - t


def stripped_size(lib: pathlib.Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "lib.so"
        subprocess.run(["strip", "-o", str(out), str(lib)], check=True)
        return out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared-lib", default=str(REPO / "build" / "lead" / "libgdprkit.so.0"))
    parser.add_argument("--static-lib", default=str(REPO / "build" / "release" / "libgdprkit.so.0"))
    args = parser.parse_args()
    wheels = sorted((REPO / "dist").glob("gdprkit-*.whl"))
    if not wheels or not WHEEL_VENV.exists() or not DEV_VENV.exists():
        sys.exit("needs dist/*.whl and build/wheel-venv (scripts/build_wheel.sh, "
                 "scripts/test_wheel.sh) and .venv with `pip install .`")
    wheel = wheels[-1]
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    print(f"wheel {wheel.name}: {wheel.stat().st_size / 2**20:.1f} MiB")
    install = statistics.median(install_to_import(wheel) for _ in range(3))
    print(f"venv + pip install + import: {install:.1f} s (median of 3)")
    # Interleaved, so that a change of load hits both alike.
    imports: dict[str, list[float]] = {"wheel": [], "shared": []}
    for _ in range(15):
        for name, python in (("wheel", WHEEL_VENV), ("shared", DEV_VENV)):
            imports[name].append(float(run(python, "-c", IMPORT)))
    for name, times in imports.items():
        print(f"import gdprkit ({name}): {min(times) * 1000:.0f} ms (best of 15, interleaved)")
    libs = (("static (linked-in deps)", args.static_lib), ("shared deps", args.shared_lib))
    for name, lib in libs:
        path = pathlib.Path(lib)
        if path.exists() and shutil.which("strip"):
            print(f"libgdprkit.so.0, {name}: {stripped_size(path) / 2**20:.1f} MiB stripped")
    for what in ("pseudonymise", "suppress"):
        wheel_runs, shared_runs = [], []
        for _ in range(3):  # each a median of 5 calls; processes interleaved
            wheel_runs.append(float(run(WHEEL_VENV, "-c", CALLS, what, str(REPO))))
            shared_runs.append(float(run(DEV_VENV, "-c", CALLS, what, str(REPO))))
        wheel_s, shared_s = min(wheel_runs), min(shared_runs)
        print(f"{what}: wheel {wheel_s:.3f} s, shared {shared_s:.3f} s, "
              f"ratio {wheel_s / shared_s:.2f} (best of 3 processes x median of 5 calls)")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
