"""Door parity for the vocabularies of retention.

Each vocabulary is read from the core (through the extension, which lists the
core's tables: src/retention/names.cc and rules.cc), and every name must be
accepted and printed back by every door that has it: the Python package, the
command line (the built ``gdprkit``: $GDPRKIT_CLI, else the newest
build/*/gdprkit) and the C ABI (libgdprkit.so beside it, through ctypes, and
the enums of include/gdprkit/c/retention.h). A name added to a core table and
missing at a door fails here. Also: both doors load the same records alike
(gdprkit::LoadRecords), row by row.
"""

from __future__ import annotations

import json
import pathlib
import re
import subprocess
from typing import Dict, List

import pandas as pd
import pytest

import gdprkit
from doors import CLI, REPO, needs_c, needs_cli, run_c_probe, run_cli
from gdprkit import _gdprkit, retention

NAMES: Dict[str, List[str]] = _gdprkit.retention_names()
MODES: List[str] = _gdprkit.error_mode_names()
LANGS: List[str] = _gdprkit.language_names()


# One rule per way a record can end up, so that a sweep on 2026-01-01 gives
# every status and every reason but "invalid"/"invalid-input" (the row that
# does is added where a door reports invalid rows).
POLICY = """
controller { name: "Parity" }
purposes { id: "contact" retention: "contact-1-year" }
purposes { id: "study" retention: "study" }
purposes { id: "ledger" retention: "ledger-5-years" }
purposes { id: "notes" retention: "notes" }
retention_rules {
  id: "contact-1-year"
  period: "P1Y"
  anchor: "last_contact"
  ends_early { event: "consent_withdrawn" }
  extended_by { event: "consent_to_retain" period: "P2Y" }
}
retention_rules { id: "study" period: "P10Y" action: RETAIN_THEN_DELETE }
retention_rules { id: "ledger-5-years" period: "P5Y" action: RETAIN_AT_LEAST }
retention_rules { id: "notes" description: "kept as long as the case" }
"""

HEADER = ["id", "purpose", "collection", "last_contact", "consent_withdrawn",
          "consent_to_retain", "hold_start", "hold_end"]
# id, purpose, collection, last_contact, consent_withdrawn, consent_to_retain,
# hold_start, hold_end -> (status, reason) on ON.
ON = "2026-01-01"
ROWS = [
    (["due-period", "contact", "2020-01-01", "2023-05-01", "", "", "", ""], ("due", "period")),
    (["pending-period", "contact", "2020-01-01", "2025-06-01", "", "", "", ""],
     ("pending", "period")),
    (["due-early", "contact", "2020-01-01", "2025-06-01", "2025-07-01", "", "", ""],
     ("due", "ended-early")),
    (["pending-extended", "contact", "2020-01-01", "2023-05-01", "", "2024-03-01", "", ""],
     ("pending", "extended")),
    (["kept-waiting", "contact", "2020-01-01", "", "", "", "", ""], ("kept", "anchor-pending")),
    (["kept-descriptive", "notes", "2020-01-01", "", "", "", "", ""], ("kept", "no-period")),
    (["kept-no-rule", "", "2020-01-01", "", "", "", "", ""], ("kept", "no-rule")),
    (["held", "contact", "2020-01-01", "2023-05-01", "", "", "2025-01-01", ""],
     ("held", "hold")),
    (["due-released", "contact", "2020-01-01", "2023-05-01", "", "", "2024-01-01",
      "2025-02-01"], ("due", "hold-released")),
    (["may-delete", "ledger", "2015-01-01", "", "", "", "", ""], ("may-delete", "period")),
    (["kept-retained", "study", "2020-01-01", "", "", "", "", ""], ("pending", "period")),
]
INVALID = (["invalid", "contact", "2020-01-01", "2019-01-01", "", "", "", ""],
           ("invalid", "invalid-input"))


@pytest.fixture(scope="module")
def policy_file(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    path = tmp_path_factory.mktemp("parity") / "parity.textproto"
    path.write_text(POLICY)
    return path


def sweep(policy_file: pathlib.Path, rows: List[List[str]], errors: str = "raise"
          ) -> pd.DataFrame:
    df = pd.DataFrame([[v or None for v in r] for r in rows], columns=HEADER)
    return gdprkit.sweep(df, policy=str(policy_file), on=ON, id="id", purpose="purpose",
                         holds=("hold_start", "hold_end"), errors=errors)


def write_csv(path: pathlib.Path, rows: List[List[str]]) -> pathlib.Path:
    path.write_text("\n".join(",".join(r) for r in [HEADER] + rows) + "\n")
    return path


def cli_error(*args: str) -> str:
    """The standard error of ``gdprkit ARGS``, which must exit with 2."""
    assert CLI is not None
    proc = subprocess.run([str(CLI), *args], capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 2, f"{args}\n{proc.stdout}\n{proc.stderr}"
    return proc.stderr


def test_the_rows_cover_every_name() -> None:
    statuses = {s for _, (s, _) in ROWS + [INVALID]}
    reasons = {r for _, (_, r) in ROWS + [INVALID]}
    assert statuses == set(NAMES["retention_status"])
    assert reasons == set(NAMES["retention_reason"])


# ---- Python ----------------------------------------------------------------------------------


def test_python_prints_each_status_and_reason(policy_file: pathlib.Path) -> None:
    assert retention.STATUSES == tuple(NAMES["retention_status"])
    assert retention.REASONS == tuple(NAMES["retention_reason"])
    out = sweep(policy_file, [r for r, _ in ROWS + [INVALID]], errors="report")
    assert list(out["status"].cat.categories) == NAMES["retention_status"]
    assert list(out["reason"].cat.categories) == NAMES["retention_reason"]
    got = list(zip(out["status"].astype(str), out["reason"].astype(str)))
    assert got == [want for _, want in ROWS + [INVALID]]


def test_python_accepts_each_errors_mode(policy_file: pathlib.Path) -> None:
    """The common error modes (gdprkit/common.h), each with its one meaning,
    and the older spellings "fail" and "skip"."""
    assert retention.ERRORS_MODES == tuple(MODES)
    assert set(MODES) == {"raise", "coerce", "report"}
    rows = [r for r, _ in ROWS]
    for mode in MODES + ["fail", "skip"]:
        assert len(sweep(policy_file, rows, errors=mode)) == len(rows)
    for mode in ("raise", "fail"):
        with pytest.raises(gdprkit.RetentionInputError):
            sweep(policy_file, [INVALID[0]], errors=mode)
    for mode in ("coerce", "skip", "report"):
        out = sweep(policy_file, rows + [INVALID[0]], errors=mode)
        assert out.attrs["complete"] is False and out["status"].iloc[-1] == "invalid"
        listed = gdprkit.retention.report(out).invalid_records
        assert len(listed) == (1 if mode == "report" else 0)
        assert len(out.attrs["errors"]) == len(listed)


def test_python_titles_are_the_core_tables() -> None:
    """Every name has an English and a Danish title, from the core."""
    for lang in LANGS:
        got = _gdprkit.retention_titles(lang)
        for vocabulary in ("retention_status", "retention_reason", "retention_action",
                           "record_problem"):
            by_name = retention.titles(vocabulary, lang=lang)
            assert list(by_name) == NAMES[vocabulary]
            assert list(by_name.values()) == got[vocabulary]
            assert all(by_name.values())
    en = retention.titles("retention_status")
    da = retention.titles("retention_status", lang="da")
    assert all(en[n] != da[n] for n in NAMES["retention_status"])
    assert da["due"] == "Skal slettes"


def test_python_prints_each_action(policy_file: pathlib.Path) -> None:
    actions = {r.id: r.action for r in gdprkit.Policy.load(str(policy_file)).retention_rules}
    assert set(NAMES["retention_action"]) <= set(actions.values())
    assert actions["contact-1-year"] == NAMES["retention_action"][0]  # the default


# ---- The command line --------------------------------------------------------------------


@needs_cli
def test_cli_prints_each_status_and_reason_as_python_does(
        policy_file: pathlib.Path, tmp_path: pathlib.Path) -> None:
    rows = [r for r, _ in ROWS]
    records = write_csv(tmp_path / "r.csv", rows)
    out = json.loads(run_cli("retention", "sweep", "--policy", str(policy_file), "--records",
                             str(records), "--on", ON, "--format", "json"))
    got = [(r["status"], r["reason"]) for r in out["records"]]
    assert got == [want for _, want in ROWS]
    py = sweep(policy_file, rows)
    assert got == list(zip(py["status"].astype(str), py["reason"].astype(str)))
    assert [r["rule"] for r in out["records"]] == [
        None if pd.isna(x) else x for x in py["rule"].astype(object)]


@needs_cli
def test_cli_prints_the_titles_python_prints(policy_file: pathlib.Path,
                                            tmp_path: pathlib.Path) -> None:
    rows = [r for r, _ in ROWS]
    records = write_csv(tmp_path / "r.csv", rows)
    for lang in LANGS:
        out = json.loads(run_cli("retention", "sweep", "--policy", str(policy_file), "--records",
                                 str(records), "--on", ON, "--format", "json", "--lang", lang))
        statuses = retention.titles("retention_status", lang=lang)
        reasons = retention.titles("retention_reason", lang=lang)
        assert out["lang"] == lang
        assert [r["status_title"] for r in out["records"]] == [
            statuses[s] for _, (s, _) in ROWS]
        assert [r["reason_title"] for r in out["records"]] == [
            reasons[r] for _, (_, r) in ROWS]
        text = run_cli("retention", "sweep", "--policy", str(policy_file), "--records",
                       str(records), "--on", ON, "--lang", lang)
        assert all(statuses[s] in text for _, (s, _) in ROWS)


@needs_cli
def test_cli_accepts_each_errors_mode(policy_file: pathlib.Path, tmp_path: pathlib.Path) -> None:
    rows = [r for r, _ in ROWS]
    good = write_csv(tmp_path / "good.csv", rows)
    bad = write_csv(tmp_path / "bad.csv", rows + [INVALID[0]])
    args = ["retention", "sweep", "--policy", str(policy_file), "--on", ON, "--format", "json"]
    for mode in MODES + ["fail", "skip"]:
        out = json.loads(run_cli(*args, "--records", str(good), "--errors", mode))
        assert out["complete"] is True
    for mode in ("raise", "fail"):
        assert "before collection" in cli_error(*args, "--records", str(bad), "--errors", mode)
    for mode in ("coerce", "skip", "report"):
        out = json.loads(run_cli(*args, "--records", str(bad), "--errors", mode))
        assert out["complete"] is False and out["counts"]["invalid"] == 1
        assert out["records"][-1]["status"] == "invalid"
        assert ("errors" in out) == (mode == "report")
    out = json.loads(run_cli(*args, "--records", str(bad), "--errors", "report"))
    py = gdprkit.retention.report(sweep(policy_file, rows + [INVALID[0]], errors="report"))
    assert [e["problem"] for e in out["errors"]] == [e.problem for e in py.invalid_records]
    assert [e["column"] for e in out["errors"]] == [e.column for e in py.invalid_records]
    assert "valid:" in cli_error(*args, "--records", str(good), "--errors", "ignore")


@needs_cli
def test_cli_help_lists_the_core_names() -> None:
    text = " ".join(run_cli("retention", "sweep", "--help").split())
    for name in NAMES["retention_status"]:
        if name != "invalid":  # the command line refuses invalid records
            assert name in text, name
    for name in NAMES["retention_reason"]:
        assert name in text, name


@needs_cli
def test_both_doors_name_the_same_bad_record(policy_file: pathlib.Path,
                                             tmp_path: pathlib.Path) -> None:
    """The records are loaded by the core for both doors: the same first bad
    record, column and message."""
    rows = [r for r, _ in ROWS]
    bad = [list(r) for r in rows]
    bad[3][5] = "2024-02-30"
    bad[5][1] = "contcat"
    err = cli_error("retention", "sweep", "--policy", str(policy_file), "--records",
                    str(write_csv(tmp_path / "bad.csv", bad)), "--on", ON)
    assert 'record "pending-extended", column "consent_to_retain"' in err
    assert "February 2024 has 29 days" in err
    bad[3][5] = ""
    err = cli_error("retention", "sweep", "--policy", str(policy_file), "--records",
                    str(write_csv(tmp_path / "bad.csv", bad)), "--on", ON)
    with pytest.raises(gdprkit.NotFoundError) as e:
        sweep(policy_file, bad)
    core = str(e.value).split(": ", 1)[1]
    assert 'column "purpose"' in err and core in err
    assert 'did you mean "contact"' in core


# ---- The C ABI ---------------------------------------------------------------------------------

_C_PROBE = """
import ctypes, json, sys
lib = ctypes.CDLL(sys.argv[1])
out = {}
for fn in ("gdprkit_retention_status_name", "gdprkit_retention_reason_name"):
    f = getattr(lib, fn)
    f.restype = ctypes.c_char_p
    f.argtypes = [ctypes.c_int]
    out[fn] = [f(i).decode() for i in range(-1, 12)]
for fn in ("gdprkit_retention_status_title", "gdprkit_retention_reason_title"):
    f = getattr(lib, fn)
    f.restype = ctypes.c_char_p
    f.argtypes = [ctypes.c_int, ctypes.c_int]
    out[fn] = [[f(i, lang).decode() for i in range(-1, 12)] for lang in range(-1, 3)]
errors_name = lib.gdprkit_errors_name
errors_name.restype = ctypes.c_char_p
errors_name.argtypes = [ctypes.c_int]
out["errors"] = [errors_name(i).decode() for i in range(3)]
print(json.dumps(out))
"""


@needs_c
def test_c_abi_prints_each_name_by_its_number() -> None:
    got = json.loads(run_c_probe(_C_PROBE))
    for fn, names in (("gdprkit_retention_status_name", NAMES["retention_status"]),
                      ("gdprkit_retention_reason_name", NAMES["retention_reason"])):
        printed = got[fn]
        assert printed[1:1 + len(names)] == names, fn
        assert printed[0] == "" and all(p == "" for p in printed[1 + len(names):]), fn
    # Titles by language number (-1 and 2 are no language: "").
    for fn, vocabulary in (("gdprkit_retention_status_title", "retention_status"),
                           ("gdprkit_retention_reason_title", "retention_reason")):
        by_lang = got[fn]
        assert all(t == "" for t in by_lang[0] + by_lang[-1]), fn
        for number, lang in enumerate(LANGS):
            want = list(retention.titles(vocabulary, lang=lang).values())
            printed = by_lang[1 + number]
            assert printed[1:1 + len(want)] == want, (fn, lang)
            assert printed[0] == "" and all(p == "" for p in printed[1 + len(want):]), fn
    # options.on_invalid takes the common error modes by number, GDPRKIT_ON_INVALID_FAIL
    # (0) and _REPORT (1) among them.
    assert sorted(got["errors"]) == sorted(MODES)
    assert got["errors"][:2] == ["raise", "report"]


def test_c_header_enums_are_the_core_names() -> None:
    """include/gdprkit/c/retention.h numbers the same names in the same order."""
    header = (REPO / "include" / "gdprkit" / "c" / "retention.h").read_text()

    def enum(prefix: str) -> List[str]:
        found = re.findall(rf"\b{prefix}(\w+) = (\d+)", header)
        assert [int(v) for _, v in found] == list(range(len(found))), prefix
        return [name.lower().replace("_", "-") for name, _ in found]

    assert enum("GDPRKIT_RETENTION_") == NAMES["retention_status"]
    assert enum("GDPRKIT_REASON_") == NAMES["retention_reason"]
    # The older names of two error modes: GDPRKIT_ON_INVALID_FAIL is "fail" (an
    # alias of "raise") and GDPRKIT_ON_INVALID_REPORT "report", by number.
    older = enum("GDPRKIT_ON_INVALID_")
    assert [_gdprkit.parse_error_mode(name) for name in older] == ["raise", "report"]
