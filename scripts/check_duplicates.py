#!/usr/bin/env python3
"""Fails when a block of logic stands copied between two doors, or a door and the core.

The doors only translate (docs/architecture.md): the C ABI (src/c_api), the
command line (tools), the pybind11 binding (bindings/python) and the Python
package (python/gdprkit). What they share belongs in the core (src/, through
include/gdprkit) once. This runs the `duplicates` tool over the tree and
names each pair of places that share six or more lines of the same logic
where the two sides lie in different doors, or in a door and the core.
Pairs inside one door or inside the core, and pairs `duplicates` marks as
boilerplate, are left to review.

Skipped (exit 0, with a note) where `duplicates` is not on PATH.

Usage: scripts/check_duplicates.py [--seconds N]
"""

from __future__ import annotations

import argparse
import pathlib
import re
import shutil
import subprocess
import sys
from typing import List, Optional

ROOT = pathlib.Path(__file__).resolve().parent.parent

DOORS = {
    "src/c_api/": "the C door",
    "tools/": "the CLI",
    "bindings/python/": "the Python binding",
    "python/gdprkit/": "the Python package",
}
CORE = ("src/", "include/gdprkit/")
ROW = re.compile(r"^(D\d+) (\S+):(\d+)-(\d+) ~ (\S+):(\d+)-(\d+)(.*)$")


def place_of(path: str) -> Optional[str]:
    for prefix, door in DOORS.items():
        if path.startswith(prefix):
            return door
    if path.startswith("include/gdprkit/c/"):
        return "the C door"
    if path.startswith(CORE):
        return "the core"
    return None


def offending(output: str) -> List[str]:
    found = []
    for line in output.splitlines():
        m = ROW.match(line.strip())
        if not m:
            continue
        a, b, rest = m.group(2), m.group(5), m.group(8)
        if "boilerplate" in rest:
            continue
        pa, pb = place_of(a), place_of(b)
        if pa is None or pb is None or pa == pb:
            continue
        found.append(f"{line.strip()}   [{pa} ~ {pb}]")
    return found


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=120)
    args = parser.parse_args(argv)
    tool = shutil.which("duplicates")
    if tool is None:
        print("check_duplicates: skipped: the duplicates tool is not on PATH")
        return 0
    run = subprocess.run(
        [tool, "--repo", str(ROOT), "--most", "200", "--seconds", str(args.seconds)],
        capture_output=True,
        text=True,
        check=False,
    )
    output = run.stdout
    for line in output.splitlines():
        if line.startswith(("incomplete:", "(+")):
            print(f"check_duplicates: {line}")
    found = offending(output)
    for f in found:
        print(f)
    if found:
        print(
            f"check_duplicates: {len(found)} block(s) copied between doors, or a door and the core"
        )
        return 1
    print("check_duplicates: no block copied between doors or between a door and the core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
