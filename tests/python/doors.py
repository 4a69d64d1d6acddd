"""The built doors the door-parity tests (test_vocabulary_*.py) drive beside
the Python package: the ``gdprkit`` command line ($GDPRKIT_CLI, else the
newest build/*/gdprkit) and the C library libgdprkit.so.0 beside it (driven
through ctypes in a process of its own: it carries its own protobuf, which
must not meet the extension's in one process)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
from typing import Dict, Optional

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


def _cli() -> Optional[pathlib.Path]:
    given = os.environ.get("GDPRKIT_CLI")
    if given:
        return pathlib.Path(given)
    built = [p for p in REPO.glob("build/*/gdprkit") if p.is_file() and os.access(p, os.X_OK)]
    return max(built, key=lambda p: p.stat().st_mtime) if built else None


CLI = _cli()
LIB = CLI.parent / "libgdprkit.so.0" if CLI is not None else None
needs_cli = pytest.mark.skipif(CLI is None, reason="no built gdprkit command line")
needs_c = pytest.mark.skipif(LIB is None or not LIB.exists(),
                             reason="no built libgdprkit.so.0 beside the CLI")


def run_cli(*args: str, code: int = 0, stdin: str = "",
            env: Optional[Dict[str, str]] = None) -> str:
    """The standard output of ``gdprkit ARGS``, which must exit with `code`."""
    assert CLI is not None
    proc = subprocess.run([str(CLI), *args], input=stdin, capture_output=True, text=True,
                          env=dict(os.environ, **(env or {})), timeout=120, check=False)
    assert proc.returncode == code, f"gdprkit {' '.join(args)}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def run_c_probe(probe: str, *args: str) -> str:
    """The standard output of the Python program `probe`, run in a process of
    its own with sys.argv[1] the C library and then `args`."""
    assert LIB is not None
    proc = subprocess.run([sys.executable, "-c", probe, str(LIB), *args],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout
