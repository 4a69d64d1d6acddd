"""Door parity for the vocabularies of small-cell suppression.

Each vocabulary is read from the core (through the extension, which lists the
core's tables: src/suppression/vocabulary.cc), and every name must be
accepted and printed back by every door that has it: the Python package, the
command line and the C ABI (the built ones tests/python/doors.py finds; C
through ctypes;
its requests spell each name as the proto enum value, SECONDARY_METHOD_
HEURISTIC for "heuristic"). A name added to a core table and missing at a
door fails here. Also: the doors agree on missing="zero" without computed
totals, and hierarchy_from_hrc reads .hrc text as the command line does.
"""

from __future__ import annotations

import csv
import io
import json
import pathlib
import subprocess
from typing import Any, Dict, List

import pandas as pd
import pytest

import gdprkit
from doors import CLI, needs_c, needs_cli, run_c_probe
from gdprkit import _gdprkit, suppression

# Six leaves, practice x band; (p1, >=140) = 3 is primary under threshold 5.
LEAVES = [("p1", "<140", 31), ("p1", ">=140", 3), ("p2", "<140", 24), ("p2", ">=140", 9),
          ("p3", "<140", 18), ("p3", ">=140", 11)]


def frame(rows: List[Any] = LEAVES) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["practice", "band", "n"])


def run_cli(tmp_path: pathlib.Path, df: pd.DataFrame, *args: str, code: int = 0) -> str:
    """``gdprkit suppress`` on `df` as a CSV file: its standard output, or its
    standard error when `code` is not 0."""
    assert CLI is not None
    path = tmp_path / "t.csv"
    df.to_csv(path, index=False)
    proc = subprocess.run([str(CLI), "suppress", str(path), "--dims", "practice,band", *args],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == code, f"{args}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout if code == 0 else proc.stderr


def cli_json(tmp_path: pathlib.Path, df: pd.DataFrame, *args: str) -> Dict[str, Any]:
    result: Dict[str, Any] = json.loads(run_cli(tmp_path, df, *args, "--format", "json"))
    return result


def methods() -> List[str]:
    return list(_gdprkit.suppression_method_names())


def costs() -> List[str]:
    return list(_gdprkit.suppression_cost_names())


def audit_modes() -> List[str]:
    return list(_gdprkit.suppression_audit_mode_names())


def missing_rules() -> List[str]:
    return list(_gdprkit.suppression_missing_names())


# ---- The vocabularies are the core's -----------------------------------------------


def test_the_core_lists_every_vocabulary() -> None:
    assert methods() == ["auto", "heuristic", "optimal"]
    assert costs() == ["cells", "value", "contributors"]
    assert audit_modes() == ["auto", "exact", "certified"]
    assert missing_rules() == ["error", "zero"]
    assert list(_gdprkit.suppression_kind_names()) == ["frequency", "magnitude"]
    assert list(_gdprkit.suppression_mark_names()) == ["none", "unsafe", "safe"]
    assert list(_gdprkit.suppression_reason_names()) == [
        "threshold", "dominance", "p%", "zero", "manual"]
    assert list(_gdprkit.suppression_interval_kind_names()) == [
        "exact", "inner", "not computed"]
    assert suppression.STATUSES == tuple(_gdprkit.suppression_status_names())


def test_unknown_names_are_refused_by_the_core_at_every_door(tmp_path: pathlib.Path) -> None:
    for arg, bad in (("method", "heuristc"), ("cost", "cels"), ("audit", "exct"),
                     ("missing", "zer"), ("kind", "frequncy")):
        with pytest.raises(gdprkit.InvalidArgumentError, match="; valid: .*did you mean"):
            gdprkit.suppress(frame(), ["practice", "band"], compute_totals=True,
                             **{arg: bad})  # type: ignore[arg-type]
    if CLI is not None:
        for option in ("--method", "--cost", "--audit-mode", "--missing"):
            err = run_cli(tmp_path, frame(), option, "nonsense", code=2)
            assert "nonsense" in err


# ---- Python --------------------------------------------------------------------------


@pytest.mark.parametrize("name", methods())
def test_python_accepts_and_prints_each_method(name: str) -> None:
    r = gdprkit.suppress(frame(), ["practice", "band"], compute_totals=True, method=name)
    assert r.method in methods()
    assert r.method == ("optimal" if name == "auto" else name)  # auto: a small table


@pytest.mark.parametrize("name", costs())
def test_python_accepts_each_cost(name: str) -> None:
    assert gdprkit.suppress(frame(), ["practice", "band"], compute_totals=True,
                            cost=name).audit().passed


@pytest.mark.parametrize("name", audit_modes())
def test_python_accepts_each_audit_mode_and_prints_interval_kinds(name: str) -> None:
    r = gdprkit.suppress(frame(), ["practice", "band"], compute_totals=True, audit=name)
    kinds = set(r.confidential_cells()["interval"]) - {""}
    assert kinds and kinds <= set(_gdprkit.suppression_interval_kind_names())


def test_python_prints_statuses_reasons_and_accepts_marks() -> None:
    df = frame()
    df["mark"] = ["", "", "unsafe", "", "", "none"]
    r = gdprkit.suppress(df, ["practice", "band"], compute_totals=True, mark="mark",
                         protect_zeros=True)
    # What may be published says "published" or "suppressed"; the detail
    # says why.
    assert set(r.table["status"].cat.categories) == set(_gdprkit.suppression_published_names())
    assert set(r.confidential_cells()["status"].cat.categories) == set(
        _gdprkit.suppression_status_names())
    reasons = set(r.confidential_cells()["reasons"]) - {""}
    assert {"threshold", "manual"} <= reasons
    for name in _gdprkit.suppression_reason_names():
        assert _gdprkit.suppression_reasons_text(
            1 << list(_gdprkit.suppression_reason_names()).index(name)) == name


@pytest.mark.parametrize("name", list(_gdprkit.suppression_kind_names()))
def test_python_accepts_each_table_kind(name: str) -> None:
    df = frame()
    df["c"] = df["n"]  # contributors, for a magnitude table's threshold rule
    r = gdprkit.suppress(df, ["practice", "band"], compute_totals=True, kind=name,
                         contributors=None if name == "frequency" else "c")
    assert r.audit().passed and r.num_primary == 1


# ---- The command line ----------------------------------------------------------------


@needs_cli
@pytest.mark.parametrize("name", methods())
def test_cli_accepts_and_prints_each_method(tmp_path: pathlib.Path, name: str) -> None:
    out = cli_json(tmp_path, frame(), "--method", name)
    assert out["method"] == ("optimal" if name == "auto" else name)
    assert {c["status"] for c in out["cells"]} <= set(_gdprkit.suppression_published_names())


@needs_cli
@pytest.mark.parametrize("name", costs())
def test_cli_accepts_each_cost(tmp_path: pathlib.Path, name: str) -> None:
    assert cli_json(tmp_path, frame(), "--cost", name)["audit"]["passed"]


@needs_cli
@pytest.mark.parametrize("name", audit_modes())
def test_cli_accepts_each_audit_mode(tmp_path: pathlib.Path, name: str) -> None:
    assert cli_json(tmp_path, frame(), "--audit-mode", name)["audit"]["passed"]


@needs_cli
def test_cli_help_lists_the_core_names() -> None:
    assert CLI is not None
    out = subprocess.run([str(CLI), "suppress", "--help"], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    for names in (methods(), costs(), audit_modes(), missing_rules()):
        assert "|".join(names) in out


# ---- missing="zero" without computed totals: the doors agree ---------------------------


def with_totals_but_one_leaf_missing() -> pd.DataFrame:
    rows = LEAVES[:-1] + [("p3", "Total", 18), ("p1", "Total", 34), ("p2", "Total", 33),
                          ("Total", "<140", 73), ("Total", ">=140", 12), ("Total", "Total", 85)]
    return frame(rows)


def test_python_missing_zero_without_computed_totals() -> None:
    df = with_totals_but_one_leaf_missing()
    r = gdprkit.suppress(df, ["practice", "band"], missing="zero")
    cells = r.confidential_cells()
    zero = cells[(cells["practice"] == "p3") & (cells["band"] == ">=140")]
    assert list(zero["n"]) == [0] and not bool(zero["given"].iloc[0])
    with pytest.raises(gdprkit.InvalidArgumentError,
                       match=r'missing cell \(practice=p3, band=>=140\).*missing="zero"'):
        gdprkit.suppress(df, ["practice", "band"])
    # Totals stay required without compute_totals, zeros or not.
    with pytest.raises(gdprkit.InvalidArgumentError, match="compute_totals=True"):
        gdprkit.suppress(frame(LEAVES[:-1]), ["practice", "band"], missing="zero")


@needs_cli
def test_cli_and_python_agree_on_missing_zero(tmp_path: pathlib.Path) -> None:
    df = with_totals_but_one_leaf_missing()
    r = gdprkit.suppress(df, ["practice", "band"], missing="zero")
    python = {(str(p), str(b)): str(s) for p, b, s in
              zip(r.cells["practice"], r.cells["band"], r.cells["status"])}
    for flag in (["--missing", "zero"], ["--missing-zero"]):
        out = run_cli(tmp_path, df, *flag, "--format", "csv")
        cli = {(row["practice"], row["band"]): row["status"]
               for row in csv.DictReader(io.StringIO(out))}
        assert cli == python
    err = run_cli(tmp_path, df, code=2)
    assert "missing cell (practice=p3, band=>=140)" in err and "--missing zero" in err


# ---- .hrc text: one reader -----------------------------------------------------------------


@needs_cli
def test_hrc_errors_are_the_cores_at_both_doors(tmp_path: pathlib.Path) -> None:
    text = "N\n@p1\n@p2\nS\n@p1\n"
    with pytest.raises(gdprkit.InvalidArgumentError) as info:
        gdprkit.hierarchy_from_hrc(text)
    assert str(info.value) == 'hierarchy line 5: duplicated code "p1" (first on line 2)'
    hrc = tmp_path / "h.hrc"
    hrc.write_text(text)
    err = run_cli(tmp_path, frame(), "--hierarchy", f"practice={hrc}", code=2)
    assert 'hierarchy "practice" line 5: duplicated code "p1" (first on line 2)' in err


# ---- The C ABI (serialized requests) ---------------------------------------------------------

# In a process of its own: libgdprkit.so carries its own protobuf, which must
# not meet the extension's in one process.
_C_PROBE = """
import ctypes, json, sys
lib = ctypes.CDLL(sys.argv[1])
lib.gdprkit_suppression_run.argtypes = [ctypes.POINTER(ctypes.c_char_p),
    ctypes.POINTER(ctypes.c_size_t), ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int]
out = {}
for options in json.loads(sys.argv[3]):
    request = json.loads(sys.argv[2])
    request["options"] = options
    body = json.dumps(request).encode()
    buf, size = ctypes.c_char_p(), ctypes.c_size_t()
    status = lib.gdprkit_suppression_run(ctypes.byref(buf), ctypes.byref(size), body, len(body), 1)
    key = json.dumps(options, sort_keys=True)
    if status != 0:
        out[key] = {"status": status}
        continue
    response = json.loads(buf.value.decode())
    lib.gdprkit_suppression_bytes_free(buf)
    out[key] = {"method": response.get("method", "SECONDARY_METHOD_AUTO"),
                "statuses": sorted({c.get("status", "CELL_STATUS_PUBLISHED")
                                    for c in response["cells"]}),
                "passed": response["audit"].get("passed", False)}
print(json.dumps(out))
"""


def _proto(prefix: str, name: str) -> str:
    return prefix + name.upper().replace(" ", "_")


@needs_c
def test_c_abi_accepts_and_prints_each_name() -> None:
    table = {"name": "t", "dimensions": [
        {"name": "practice", "codes": [{"code": "Total"}] + [
            {"code": p, "parent": "Total"} for p in ("p1", "p2", "p3")]},
        {"name": "band", "codes": [{"code": "Total"}] + [
            {"code": b, "parent": "Total"} for b in ("<140", ">=140")]}],
        "cells": [{"codes": [p, b], "value": n} for p, b, n in LEAVES]}
    request = {"tables": {"tables": [table]}}
    options = ([{"method": _proto("SECONDARY_METHOD_", m)} for m in methods()]
               + [{"cost": _proto("COST_MODEL_", c)} for c in costs()]
               + [{"audit": {"mode": _proto("AUDIT_MODE_", a)}} for a in audit_modes()])
    results: Dict[str, Any] = json.loads(
        run_c_probe(_C_PROBE, json.dumps(request), json.dumps(options)))
    statuses = {_proto("CELL_STATUS_", s) for s in _gdprkit.suppression_status_names()}
    for o in options:
        got = results[json.dumps(o, sort_keys=True)]
        assert "status" not in got, (o, got)
        assert got["passed"] and set(got["statuses"]) <= statuses, (o, got)
        if "method" in o and o["method"] != "SECONDARY_METHOD_AUTO":
            assert got["method"] == o["method"]
