"""gdprkit without its optional dependencies (#13, item 2).

pandas, matplotlib, tqdm, openpyxl and ipywidgets are extras. ``import gdprkit``
and every call that neither takes nor gives a DataFrame or Series work with
NumPy alone, and do not import pandas when it is installed; a call that needs
an extra raises :class:`gdprkit.MissingDependencyError` (also an
``ImportError``) naming the call and ``pip install 'gdprkit[<extra>]'``.

Each check runs in a fresh interpreter. There a meta-path finder makes the
extras fail to import as if they were not installed (this test process has
imported pandas already, so it cannot be the one without it).
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import textwrap
from typing import Any, Dict, List, Sequence

import pytest

POLICIES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "policies"

#: The optional dependencies, as the top-level names they are imported by.
OPTIONAL = ("pandas", "matplotlib", "tqdm", "openpyxl", "ipywidgets")

# Put first in the child: from here on, importing one of BLOCKED fails as it
# does when the package is not installed.
_NOT_INSTALLED = """\
import importlib.abc
import sys

BLOCKED = {blocked!r}


class _NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None


sys.meta_path.insert(0, _NotInstalled())
for _name in [m for m in sys.modules if m.partition(".")[0] in BLOCKED]:
    del sys.modules[_name]
"""

# What the children print last: the optional packages they imported.
_LOADED = f"""
import json as _json
print(_json.dumps(sorted(m for m in {OPTIONAL!r} if m in sys.modules)))
"""


def run(code: str, tmp_path: pathlib.Path, blocked: Sequence[str] = ()) -> List[Any]:
    """Runs `code` in a fresh interpreter with the packages `blocked` not
    importable; its printed lines, each read as JSON (the last one: the
    optional packages it imported)."""
    script = (_NOT_INSTALLED.format(blocked=tuple(blocked)) + "\nimport sys\n"
              + textwrap.dedent(code) + _LOADED)
    proc = subprocess.run([sys.executable, "-c", script, str(POLICIES), str(tmp_path)],
                          capture_output=True, text=True, cwd=tmp_path, env=dict(os.environ),
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_the_finder_hides_the_packages(tmp_path: pathlib.Path) -> None:
    # The tests below would prove nothing if pandas could still be imported.
    out = run("""
        import json
        for name in ("pandas", "pandas.api", "matplotlib.pyplot", "tqdm.auto", "openpyxl"):
            try:
                __import__(name)
            except ModuleNotFoundError as e:
                print(json.dumps(e.name))
        import numpy
    """, tmp_path, OPTIONAL)
    assert out == ["pandas", "pandas", "matplotlib", "tqdm", "openpyxl", []]


def test_import_gdprkit_needs_no_optional_package(tmp_path: pathlib.Path) -> None:
    out = run("""
        import json
        import gdprkit
        import gdprkit.identifiers, gdprkit.retention, gdprkit.rules, gdprkit.suppression
        print(json.dumps(gdprkit.__version__))
    """, tmp_path, OPTIONAL)
    assert out[0] and out[-1] == []


# Calls that neither take nor give a DataFrame: what a user without pandas
# does (a script, a service, a notebook of lists). Prints its results.
_WITHOUT_PANDAS = """
    import datetime as dt
    import json
    import os

    import numpy as np

    import gdprkit
    from gdprkit import identifiers, retention, rules

    policies, tmp = sys.argv[1], sys.argv[2]

    def show(*values):
        print(json.dumps([str(v) for v in values]))

    # The vocabulary of the law.
    show(len(gdprkit.legal_bases()), len(gdprkit.data_subject_rights()),
         gdprkit.basis_title("A6-1-b", lang="da"), gdprkit.right_title("A17", lang="da"),
         len(gdprkit.finding_codes()), len(gdprkit.builtin_categories()))

    # Policies: load, validate, rights, access, displays.
    policy = gdprkit.Policy.load(os.path.join(policies, "practio.textproto"))
    show(policy.rights("patient-record"), policy.is_valid,
         sorted({f.code for f in policy.validate()}),
         [a.code for a in policy.rights_detail("patient-record", lang="da")])
    for shown in (repr(policy), policy._repr_html_(), policy.to_html(lang="da"),
                  policy.rights_detail("patient-record")._repr_html_(),
                  [repr(f) for f in policy.validate()]):
        assert shown
    try:
        gdprkit.Policy.load(os.path.join(tmp, "missing.textproto"))
    except gdprkit.NoSuchFileError as e:
        show(type(e).__name__)

    # Identifiers: lists, NumPy arrays and str.
    show(gdprkit.validate_cpr(["010203-1234", "12"]), gdprkit.validate_cpr("010203-1234"),
         identifiers.check(np.array(["010203-1234", "300200-1234"], dtype=object)).tolist(),
         identifiers.normalise(["010203-1234"], as_of=np.datetime64("2026-12-02")),
         identifiers.cpr_info("010203-1234"))
    values, rejected = identifiers.normalise(["010203-1234", "12"], errors="report")
    show(values, list(rejected), rejected.counts(), repr(rejected))
    assert rejected._repr_html_()

    # The vault: create, pseudonymise, tokenise, the exported key, displays.
    path = os.path.join(tmp, "vault.db")
    with gdprkit.Vault.create(path, passphrase="correct horse", kdf="tests_only") as vault:
        vault.create_domain("klynge")
        pseudonyms = vault.pseudonymise(["010203-1234", "0102031234"], domain="klynge")
        tokens = vault.tokenise(np.array(["010203-1234"], dtype=object), domain="klynge")
        back = vault.reidentify(tokens, domain="klynge", reason="a test")
        key = vault.export_pseudonym_key("klynge", reason="a test")
        again = gdprkit.Pseudonymizer.from_exported_key(key).pseudonymise(["010203-1234"])
        show(pseudonyms[0] == pseudonyms[1] == again[0], back.tolist(),
             [d.name for d in vault.domains()], vault.verify_audit().entries > 0)
        for shown in (repr(vault), vault._repr_html_(), vault.domains()[0]._repr_html_(),
                      vault.verify_audit()._repr_html_()):
            assert shown and "correct horse" not in shown
    with gdprkit.Vault.open(path, passphrase="correct horse") as vault:
        show(vault.pseudonymise("010203-1234", domain="klynge") == pseudonyms[0])

    # Retention: dates, periods, schedules, the deletion log.
    show(gdprkit.add_period("2025-11-30", "P15M"),
         gdprkit.add_period("2025-03-29T23:30:00Z", "P1D"),
         gdprkit.add_period(dt.date(2024, 2, 29), "P10Y"),
         gdprkit.add_period(dt.datetime(2025, 11, 30, 10, 0), "P15M"),
         gdprkit.add_period(np.datetime64("2025-11-30"), "P15M"),
         gdprkit.add_period(["2025-11-30", None, ""], "P15M").tolist(),
         retention.titles("retention_status", lang="da")["due"])
    schedule = gdprkit.RetentionSchedule.from_policy(os.path.join(policies, "kapsel.textproto"))
    show(schedule.events, schedule.rule_ids, repr(schedule))
    assert schedule._repr_html_()
    log_path = os.path.join(tmp, "deletions.log")
    with gdprkit.DeletionLog(log_path) as log:
        first = log.append("app-1", rule="r", due_date="2026-01-08",
                           deleted_at="2026-01-09T10:00:00")
        more = log.append_all([
            {"record_id": "app-2", "due_date": dt.date(2026, 1, 8),
             "deleted_at": dt.datetime(2026, 1, 9, 10, 0)},
            {"record_id": 17, "rule": None, "deleted_at": np.datetime64("2026-01-09T10:00:00")},
            {"record_id": "app-3", "deleted_at": 1767949200},
        ])
        head = log.head
    check = gdprkit.DeletionLog.verify(log_path, expected_head=head)
    show(first.deleted_at, [(e.record_id, e.due_date, e.deleted_at) for e in more], check.intact)
    assert check._repr_html_()

    # Suppression's parts that need no table.
    show(gdprkit.hierarchy_from_hrc("North\\n@N1\\n@N2\\nSouth\\n@S1\\n"),
         rules.fields_of(rules.threshold(5) & rules.dominance(n=2, k=85)),
         gdprkit.STATUSES, gdprkit.PUBLISHED_STATUSES)
"""


@pytest.mark.parametrize("installed", [False, True], ids=["without-extras", "with-extras"])
def test_calls_without_a_dataframe_need_no_pandas(tmp_path: pathlib.Path,
                                                  installed: bool) -> None:
    """Without the extras these calls work; with them they do not import
    pandas (nor matplotlib, tqdm, openpyxl): ``import gdprkit`` stays light
    for everyone."""
    out = run(_WITHOUT_PANDAS, tmp_path, () if installed else OPTIONAL)
    assert out[-1] == [], f"imported {out[-1]}"
    assert out[0][2].startswith("Art. 6, stk. 1, litra b: opfyldelse af en kontrakt")
    assert out[0][3] == "Art. 17: Ret til sletning"
    assert out[1][0] == "['A13', 'A15', 'A16', 'A18', 'A19']"  # no erasure: Art. 17(3)(b)
    assert "special-category-without-condition" in out[1][2]
    assert out[2] == ["NoSuchFileError"]
    assert out[3][:4] == ["[True, False]", "True", "['ok', 'bad_date']", "['0102031234']"]
    assert out[4][:3] == ["['0102031234', None]", "[(1, 'bad_length')]", "{'bad_length': 1}"]
    assert out[5] == ["True", "['0102031234']", "['klynge']", "True"]
    assert out[6] == ["True"]
    assert out[7] == ["2027-02-28", "2025-03-31", "2034-02-28", "2027-02-28", "2027-02-28",
                      "[datetime.date(2027, 2, 28), None, None]", "Skal slettes"]
    assert out[8][0] == "('collection', 'provider_number_ended')"
    # Naive times are read in Copenhagen (10:00 is 09:00 UTC in winter).
    utc_9 = "datetime.datetime(2026, 1, 9, 9, 0, tzinfo=datetime.timezone.utc)"
    assert out[9] == ["2026-01-09 09:00:00+00:00",
                      f"[('app-2', datetime.date(2026, 1, 8), {utc_9}), ('17', None, {utc_9}), "
                      f"('app-3', None, {utc_9})]", "True"]
    assert out[10][0].startswith("{'Total': '', 'North': 'Total', 'N1': 'North'")


def test_results_do_not_depend_on_pandas(tmp_path: pathlib.Path) -> None:
    """Without pandas the dates of lists and arrays are read by gdprkit's own
    code; with pandas loaded, by pandas where that is faster. Both give the
    same days and the same errors."""
    code = """
        import datetime as dt
        import json
        import numpy as np
        import gdprkit
        from gdprkit import retention

        cet = dt.timezone(dt.timedelta(hours=1))
        inputs = [
            ["2025-11-30", None, "", "2025-03-29T23:30:00Z", "2025-03-30T01:30:00+05:00"],
            [dt.date(2024, 2, 29), None, dt.date(1, 1, 1), dt.date(9999, 12, 31)],
            [dt.datetime(2025, 3, 29, 23, 30), dt.datetime(1969, 12, 31, 23, 59), None],
            [dt.datetime(2025, 3, 29, 23, 30, tzinfo=dt.timezone.utc),
             dt.datetime(2025, 3, 30, 0, 30, tzinfo=cet), float("nan")],
            [np.datetime64("2025-03-29T23:30"), np.datetime64("NaT"),
             np.datetime64("1969-12-31T23:00")],
            ["2025-11-30", dt.date(2025, 1, 1), None, np.datetime64("2025-01-02"),
             dt.datetime(2025, 3, 29, 23, 30, tzinfo=dt.timezone.utc)],
            np.array(["2025-11-30", "2024-02-29"]),
            np.array(["2025-11-30", "2024-02-29"], dtype="datetime64[D]"),
            ["2025-11-30", "2025-02-30"],
            ["2025-11-30", None, 20251130],
            ["2025-11-30", dt.date(2025, 1, 1), "2025-02-30"],
            # Civil times among times with a zone: each its own date.
            [dt.datetime(2025, 3, 29, 23, 30),
             dt.datetime(2025, 3, 29, 23, 30, tzinfo=dt.timezone.utc)],
            [np.datetime64("2025-03-29T23:30"), dt.datetime(2025, 3, 29, 23, 30)],
        ]
        for values in inputs:
            try:
                days = retention.to_days(values, column="when").tolist()
                print(json.dumps([days, gdprkit.add_period(values, "P1M").astype(str).tolist()]))
            except gdprkit.Error as e:
                print(json.dumps([type(e).__name__, str(e), getattr(e, "position", None)]))
    """
    without = run(code, tmp_path, ("pandas",))
    with_pandas = run("import pandas\n" + textwrap.dedent(code), tmp_path)
    assert without[-1] == [] and with_pandas[-1] == ["pandas"]
    assert without[:-1] == with_pandas[:-1]
    assert without[0][0] == [20422, -2147483648, -2147483648, 20177, 20176]
    assert without[3][0] == [20177, 20177, -2147483648]
    assert without[8][:2] == ["RetentionInputError",
                              "row 1, column 'when': impossible date \"2025-02-30\": "
                              "February 2025 has 28 days"]
    assert without[9][0] == "RetentionInputError" and "type int is not a date" in without[9][1]
    assert without[10][2] == 2  # the row of the whole column, also among mixed kinds
    assert without[11][0] == [20176, 20177]  # 23:30 in Copenhagen; 23:30Z is 00:30 there
    assert without[12][0] == [20176, 20176]


# Every public call that takes or gives a DataFrame, by the name its error
# gives; each is called as a user without pandas would.
_NEEDS_PANDAS = """
    import json
    import os

    import gdprkit
    from gdprkit import identifiers, retention

    policies, tmp = sys.argv[1], sys.argv[2]
    policy = gdprkit.Policy.load(os.path.join(policies, "kapsel.textproto"))
    schedule = gdprkit.RetentionSchedule.from_policy(policy)
    _, rejected = identifiers.normalise(["12"], errors="report")
    vault = gdprkit.Vault.create(os.path.join(tmp, "vault.db"), passphrase="p", kdf="tests_only")
    log_path = os.path.join(tmp, "deletions.log")
    with gdprkit.DeletionLog(log_path) as log:
        log.append("app-1")
    report = retention.SweepReport(on="2027-02-28", records=0, counts={})
    records = {"id": ["practice-1"], "purpose": ["quality-advice-data"]}
    table = {"practice": ["p1"], "n": [3]}

    calls = {
        "Policy.findings_frame": lambda: policy.findings_frame(),
        "Policy.rights_frame": lambda: policy.rights_frame(detail=True),
        "Policy.purposes_frame": lambda: policy.purposes_frame(lang="da"),
        "RejectedRows.frame": lambda: rejected.frame(),
        "Vault.domains_frame": lambda: vault.domains_frame(),
        "Vault.audit_frame": lambda: vault.audit_frame(),
        "RetentionSchedule.rules_frame": lambda: schedule.rules_frame(),
        "sweep": lambda: gdprkit.sweep(records, policy=policy, on="2027-02-28",
                                       purpose="purpose"),
        "RetentionSchedule.sweep": lambda: schedule.sweep(records, on="2027-02-28",
                                                          purpose="purpose"),
        "RetentionSchedule.explain": lambda: schedule.explain(records, 0, on="2027-02-28",
                                                              purpose="purpose"),
        "sweep_report": lambda: gdprkit.sweep_report(records),
        "SweepReport.counts_frame": lambda: report.counts_frame(),
        "SweepReport.invalid_frame": lambda: report.invalid_frame(),
        "DeletionLog.read": lambda: gdprkit.DeletionLog.read(log_path),
        "suppress": lambda: gdprkit.suppress(table, dims=["practice"], value="n"),
        "audit_suppression": lambda: gdprkit.audit_suppression(table, dims=["practice"],
                                                               value="n", suppressed=[True]),
        "progress=True": lambda: vault.pseudonymise(["010203-1234"], domain="x", progress=True),
    }
    vault.create_domain("x")
    for name, call in calls.items():
        try:
            call()
        except gdprkit.MissingDependencyError as e:
            assert isinstance(e, ImportError) and isinstance(e, gdprkit.Error), name
            print(json.dumps([name, str(e)]))
        else:
            print(json.dumps([name, "no error"]))
"""


def test_calls_that_need_pandas_say_so(tmp_path: pathlib.Path) -> None:
    out = run(_NEEDS_PANDAS, tmp_path, OPTIONAL)
    assert out[-1] == []
    messages: Dict[str, str] = dict(out[:-1])
    assert len(messages) == 17
    for name, message in messages.items():
        extra = "progress" if name == "progress=True" else "pandas"
        package = "tqdm" if name == "progress=True" else "pandas"
        what = "sweep" if name == "RetentionSchedule.sweep" else name
        assert message == (
            f"{what} needs {package}, an optional dependency that is not installed: "
            f"pip install 'gdprkit[{extra}]' (or pip install {package})"), (name, message)


def test_plots_and_workbooks_need_their_extras(tmp_path: pathlib.Path) -> None:
    """With pandas but without matplotlib and openpyxl, a suppression works
    and its plot and workbook name their extras."""
    out = run("""
        import json
        import os
        import pandas as pd
        import gdprkit

        df = pd.DataFrame({"practice": ["p1", "p1", "p2", "p2", "p3", "p3"],
                           "band": ["<140", ">=140"] * 3, "n": [31, 3, 24, 9, 18, 11]})
        result = gdprkit.suppress(df, dims=["practice", "band"], value="n", threshold=5,
                                  compute_totals=True)
        print(json.dumps(result.audit().passed))
        for call in (lambda: gdprkit.plot_suppressed(result),
                     lambda: result.to_excel(os.path.join(sys.argv[2], "t.xlsx"))):
            try:
                call()
            except gdprkit.MissingDependencyError as e:
                print(json.dumps(str(e)))
    """, tmp_path, ("matplotlib", "openpyxl", "tqdm"))
    assert out[0] is True
    assert out[1].startswith("plot_suppressed needs matplotlib") and "gdprkit[plot]" in out[1]
    assert out[2].startswith("to_excel needs openpyxl") and "gdprkit[excel]" in out[2]
    assert out[-1] == ["pandas"]
