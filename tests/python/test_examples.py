"""The example scripts under examples/ run and print what they promise."""

from __future__ import annotations

import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]


def test_cluster_report_example_runs() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "examples" / "cluster_report.py")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "2027-02-28" in out  # add_period's month-end rule
    assert "practice-0004" in out and "held" in out  # a hold keeps a due record
    assert "ps1_" in out  # provider numbers replaced by pseudonyms
    assert "audit passed: True" in out
