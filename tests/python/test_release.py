"""The release gate from Python (gdprkit.release): frames in without a
Python object per row, check with findings that carry codes and counts,
prepare of the cluster guide's "cluster-view" with the log, the safe
displays, the canonical CSV, and errors that name the column, never a
value."""

from __future__ import annotations

import pathlib
import re
from typing import Any, List, Optional, Tuple

import numpy as np
import pandas as pd
import pytest

import gdprkit
from doors import needs_cli, run_cli
from gdprkit import _gdprkit
from gdprkit import release as gate
from test_policy_release import POLICY as RESEARCH_POLICY
from test_safe_display import leaks

REPO = pathlib.Path(__file__).resolve().parents[2]
KLYNGE = REPO / "examples" / "policies" / "klyngeguide.textproto"
ON = "2026-12-03"
CPR = "010190-1234"  # a valid date: a CPR number the scanner finds
AGES = ("0-17", "18-39", "40-64", "65-79", "80+")
RELEASED_AT = 1796284800  # 2026-12-03T00:00:00Z


@pytest.fixture(scope="module")
def policy() -> gdprkit.Policy:
    return gdprkit.Policy.load(KLYNGE)


def records(old: int = 7, note: bool = True) -> pd.DataFrame:
    """Per practice P01..P19 and age band 1 to 12 rows registered in 2025
    (so some cells are below the threshold of 5), `old` rows from 2019; a
    free-text note that names a CPR number in the first row."""
    rows: List[Tuple[str, str, pd.Timestamp, Optional[str]]] = []
    for p in range(19):
        for a, age in enumerate(AGES):
            rows += [(f"P{p + 1:02d}", age, pd.Timestamp("2025-06-01"), "kontrol ok")] * (
                1 + (p * 7 + a * 3) % 12)
    for i in range(old):
        rows.append((f"P{i % 19 + 1:02d}", AGES[i % 5], pd.Timestamp("2019-01-01"), None))
    frame = pd.DataFrame(rows, columns=["practice", "age", "registered", "note"])
    frame.loc[0, "note"] = f"ringede fra {CPR} i dag"
    return frame if note else frame.drop(columns="note")


def true_counts(frame: pd.DataFrame) -> dict[Tuple[str, str], int]:
    """Rows per (practice code, age code) of the records not too old, totals
    included, the practices under their clusters and regions as in
    examples/tables/practice.hrc."""
    ancestors: dict[str, List[str]] = {}
    path: List[str] = []
    for line in (REPO / "examples" / "tables" / "practice.hrc").read_text().split():
        depth = len(line) - len(line.lstrip("@"))
        path = path[:depth] + [line.lstrip("@")]
        ancestors[path[-1]] = ["Total"] + path
    recent = frame[frame["registered"] >= pd.Timestamp("2021-12-03")]
    counts: dict[Tuple[str, str], int] = {}
    for practice, age in zip(recent["practice"], recent["age"]):
        for p in ancestors[practice]:
            for a in ("Total", age):
                counts[(p, a)] = counts.get((p, a), 0) + 1
    return counts


def findings(check: gate.ReleaseCheck) -> dict[Tuple[str, str], gate.ReleaseFinding]:
    return {(f.problem, f.column): f for f in check.findings}


# ---------------------------------------------------------------------------
# Check
# ---------------------------------------------------------------------------


def test_check_finds_the_cpr_in_free_text_and_the_old_rows(policy: gdprkit.Policy) -> None:
    result = gate.check(records(), policy=policy, release="cluster-view", on=ON)
    assert not result.passed and not result
    assert result.rows == len(records())
    found = findings(result)
    cpr = found[("identifier-in-clear", "note")]
    assert (cpr.rows, cpr.kind) == (1, "cpr")
    assert found[("too-old", "registered")].rows == 7
    # The example policy may declare the note (to drop it) or not.
    assert ("undeclared-column", "note") in found or ("dropped-column", "note") in found
    small = found[("small-cell", "")]
    assert small.cells > 0 and small.rows > 0
    assert {f.problem for f in result.findings} <= set(gate.PROBLEMS)
    frame = result.findings_frame()
    assert list(frame.columns) == ["problem", "title", "column", "kind", "rows", "cells",
                                   "message"]
    assert frame.set_index(["problem", "column"]).loc[("too-old", "registered"), "rows"] == 7
    shown = repr(result) + result._repr_html_() + frame.to_string() + result.to_html(lang="da")
    assert CPR not in shown and "010190" not in shown


def test_check_titles_follow_lang(policy: gdprkit.Policy) -> None:
    result = gate.check(records(), policy=policy, release="cluster-view", on=ON)
    old = findings(result)[("too-old", "registered")]
    assert old.title("da") != old.title("en")
    assert old.title("da") == _gdprkit.release_problem_title("too-old", "da")
    da = result.findings_frame(lang="da")
    assert old.title("da") in set(da["title"])


def test_a_clean_frame_has_only_the_date_column_to_drop(policy: gdprkit.Policy) -> None:
    frame = records(old=0, note=False)
    big = frame.loc[frame.index.repeat(5)].reset_index(drop=True)  # every cell >= 5
    result = gate.check(big, policy=policy, release="cluster-view", on=ON)
    # The records are fine but for the date, which is counted over, never released.
    assert [(f.problem, f.column) for f in result.findings] == [("dropped-column", "registered")]
    assert result.findings[0].rows == len(big)
    small = gate.check(frame, policy=policy, release="cluster-view", on=ON)
    assert ("small-cell", "") in findings(small)


def test_categorical_and_string_dtypes_give_the_same_result(policy: gdprkit.Policy) -> None:
    plain = records()
    as_category = plain.astype({"practice": "category", "age": "category", "note": "category"})
    as_string = plain.astype({"practice": "string", "age": "string", "note": "string"})
    as_dict = {c: plain[c].to_numpy() for c in plain.columns}
    digests = {gate.content_digest(f) for f in (plain, as_category, as_string, as_dict)}
    assert len(digests) == 1
    results = [gate.check(f, policy=policy, release="cluster-view", on=ON)
               for f in (plain, as_category, as_string, as_dict)]
    assert all(r.findings == results[0].findings for r in results)
    prepared = [gate.prepare(f.drop(columns="note"), policy=policy, release="cluster-view",
                             on=ON) for f in (plain, as_category, as_string)]
    assert len({p.report.content_digest for p in prepared}) == 1


def test_progress_reports_stages_and_can_cancel(policy: gdprkit.Policy) -> None:
    seen: List[Tuple[str, int, int]] = []
    gate.check(records(), policy=policy, release="cluster-view", on=ON,
               progress=lambda s, d, t: seen.append((s, d, t)))
    assert seen and all(d <= t for _, d, t in seen)
    with pytest.raises(gdprkit.CancelledError):
        gate.check(records(), policy=policy, release="cluster-view", on=ON,
                   progress=lambda s, d, t: False)


# ---------------------------------------------------------------------------
# Prepare
# ---------------------------------------------------------------------------


def _html_rows(html: str) -> List[List[str]]:
    return [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", html)
            if "<td>" in row]


def test_prepare_suppresses_small_cells_and_never_shows_them(policy: gdprkit.Policy) -> None:
    out = gate.prepare(records(note=False), policy=policy, release="cluster-view", on=ON)
    r = out.report
    assert r.table and r.audit_passed and r.check.passed
    assert (r.rows_in, r.rows_too_old) == (len(records()), 7)
    assert r.cells_primary > 0 and r.rows_out == len(out.frame) == r.cells
    assert r.content_digest.startswith("blake2b-256:") and r.log_seq == 0
    frame = out.frame
    assert list(frame.columns[:2]) == ["practice", "age"] and frame.columns[-1] == "status"
    value = frame.columns[2]
    hidden = (frame["status"] == "suppressed").to_numpy()
    assert hidden.sum() == r.cells_primary + r.cells_secondary
    assert frame.loc[hidden, value].isna().all()  # the values never reach Python
    assert frame.loc[~hidden, value].notna().all()
    # The display: "x" for each suppressed cell, its published value otherwise.
    html = out._repr_html_()
    rows = _html_rows(html)
    assert len(rows) == min(len(frame), 60)
    for cells, (_, row) in zip(rows, frame.iterrows()):
        assert cells[0] == row["practice"] and cells[1] == row["age"]
        if row["status"] == "suppressed":
            assert cells[2] == "x"
        else:
            assert float(cells[2]) == row[value]
    published = out.published_frame()
    assert (published.loc[hidden, value] == "x").all()
    # No display shows a suppressed cell's true value (counted here from the
    # records and the practice hierarchy).
    truth = true_counts(records(note=False))
    cells = [((p, a), float(truth[(p, a)])) for p, a in
             zip(frame.loc[hidden, "practice"], frame.loc[hidden, "age"])]
    assert cells and all(v > 0 for _, v in cells)
    assert all(truth[(p, a)] == v for p, a, v in
               zip(frame.loc[~hidden, "practice"], frame.loc[~hidden, "age"],
                   frame.loc[~hidden, value]))
    every = [truth[(p, a)] for p, a in zip(frame["practice"], frame["age"])]
    assert leaks(published.assign(**{value: every}).to_string(), cells, is_html=False)
    assert leaks(html, cells, is_html=True) == []
    assert leaks(published.to_string(), cells, is_html=False) == []
    assert leaks(repr(out) + repr(r), cells, is_html=False) == []
    assert "suppressed" in repr(out) and "nan" not in repr(out).lower()
    assert "audit passed" in html
    report_html = r._repr_html_()
    assert r.content_digest in report_html and CPR not in report_html
    assert str(r.cells_primary) in repr(r) or "suppressed" in repr(r)


def test_to_csv_writes_the_canonical_text_whose_digest_is_the_report(
        policy: gdprkit.Policy, tmp_path: pathlib.Path) -> None:
    out = gate.prepare(records(note=False), policy=policy, release="cluster-view", on=ON)
    path = tmp_path / "cluster_view.csv"
    out.to_csv(path)
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(back.columns) == list(out.frame.columns)
    assert gate.content_digest(back) == out.report.content_digest
    text = path.read_text(encoding="utf-8")
    assert ".0," not in text  # whole numbers without a decimal point
    hidden = out.frame["status"] == "suppressed"
    assert (back.loc[hidden.to_numpy(), out.frame.columns[2]] == "").all()


def test_prepare_appends_the_proof_to_the_log(policy: gdprkit.Policy,
                                              tmp_path: pathlib.Path) -> None:
    path = tmp_path / "releases.log"
    with gate.ReleaseLog(path) as log:
        assert log.entries == 0
        out = gate.prepare(records(note=False), policy=policy, release="cluster-view", on=ON,
                           log=log, released_at=RELEASED_AT)
        assert (out.report.log_seq, log.entries) == (1, 1)
        assert log.head == out.report.log_hash
        head = log.head
        # A release that fails is never logged: the records lack the date column.
        with pytest.raises(gdprkit.InvalidArgumentError, match="registered"):
            gate.prepare(records(note=False).drop(columns="registered"), policy=policy,
                         release="cluster-view", on=ON, log=log)
        assert log.entries == 1
        assert log.verify(expected_head=head).intact
        frame = log.entries_frame()
        assert frame.loc[0, "content_digest"] == out.report.content_digest
    # A path opens the log for the call.
    second = gate.prepare(records(note=False), policy=policy, release="cluster-view", on=ON,
                          log=path, released_at=RELEASED_AT + 60)
    assert second.report.log_seq == 2
    entries = gate.read_log(path)
    assert [e.seq for e in entries] == [1, 2]
    first = entries[0]
    assert (first.release, first.table, first.audit_passed) == ("cluster-view", True, True)
    assert first.policy_digest == out.report.policy_digest
    assert first.rows_in == len(records()) and first.rows_dropped == 7
    assert first.released_at.timestamp() == RELEASED_AT and str(first.on) == ON
    verified = gate.verify_log(path, expected_head=second.report.log_hash)
    assert verified and verified.entries == 2
    # A cut log no longer has the head.
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    assert not gate.verify_log(path, expected_head=second.report.log_hash).intact


# ---------------------------------------------------------------------------
# Frames, digests, group sizes
# ---------------------------------------------------------------------------


def test_the_digest_counts_content_not_types() -> None:
    as_types = pd.DataFrame({"n": [1, 2.5, np.nan], "d": pd.to_datetime(
        ["2026-01-02", None, "1999-12-31"]), "b": [True, False, None]})
    as_text = pd.DataFrame({"n": ["1", "2.5", None], "d": ["2026-01-02", "", "1999-12-31"],
                            "b": ["true", "false", ""]})
    assert gate.content_digest(as_types) == gate.content_digest(as_text)
    other = as_text.assign(n=["1", "2.5", "3"])
    assert gate.content_digest(other) != gate.content_digest(as_text)


def test_group_sizes() -> None:
    frame = pd.DataFrame({"a": ["x", "x", "y", None, None], "b": [1, 1, 1, 2, 2]})
    sizes = gate.group_sizes(frame, ["a", "b"])
    assert sizes.dtype == np.int64 and sizes.tolist() == [2, 2, 1, 2, 2]
    assert gate.group_sizes(frame, "b").tolist() == [3, 3, 3, 2, 2]
    with pytest.raises(gdprkit.InvalidArgumentError, match="c"):
        gate.group_sizes(frame, ["c"])


def test_bad_frames_raise_typed_errors_naming_the_column_never_the_value(
        policy: gdprkit.Policy) -> None:
    mixed = pd.DataFrame({"note": [CPR, 17]})
    with pytest.raises(gdprkit.ArgumentTypeError, match="note") as e:
        gate.content_digest(mixed)
    assert CPR not in str(e.value)
    broken = pd.DataFrame({"note": pd.Series([CPR + "\ud800"], dtype=object)})
    with pytest.raises(gdprkit.InvalidArgumentError, match="note") as e:
        gate.content_digest(broken)
    assert "010190" not in str(e.value)
    huge = pd.DataFrame({"id": np.array([10**17], dtype=np.int64)})
    with pytest.raises(gdprkit.InvalidArgumentError, match="id") as e:
        gate.content_digest(huge)
    assert str(10**17) not in str(e.value)
    with pytest.raises(gdprkit.ArgumentTypeError, match="span"):
        gate.content_digest(pd.DataFrame({"span": pd.to_timedelta([1], unit="D")}))
    with pytest.raises(gdprkit.ArgumentTypeError):
        gate.content_digest([CPR])
    with pytest.raises(gdprkit.InvalidArgumentError, match="length|rows|lengths"):
        gate.content_digest({"a": ["x"], "b": ["x", "y"]})
    with pytest.raises(gdprkit.NotFoundError, match="cluster-view"):
        gate.check(records(), policy=policy, release="cluster-veiw", on=ON)
    with pytest.raises(gdprkit.InvalidArgumentError, match="registered") as e:
        gate.check(records().assign(registered=[CPR] * len(records())), policy=policy,
                   release="cluster-view", on=ON)
    assert CPR not in str(e.value)


def test_prepare_arguments_are_checked(policy: gdprkit.Policy) -> None:
    with pytest.raises(gdprkit.InvalidArgumentError, match="fastest"):
        gate.prepare(records(note=False), policy=policy, release="cluster-view", on=ON,
                     method="fastest")
    with pytest.raises(gdprkit.ArgumentTypeError, match="vault"):
        gate.prepare(records(note=False), policy=policy, release="cluster-view", on=ON,
                     vault="secret.vault")  # type: ignore[arg-type]
    with pytest.raises(gdprkit.InvalidArgumentError, match="lang"):
        gate.check(records(), policy=policy, release="cluster-view", lang="fr")
    release = policy.release("cluster-view")
    result = gate.check(records(), policy=str(KLYNGE), release=release, on=ON)
    assert not result.passed


def test_the_prepared_frame_has_no_python_object_per_input_row(policy: gdprkit.Policy) -> None:
    """The text columns cross as labels and codes: a frame of many rows and
    few distinct values gives the same table as the same rows repeated."""
    frame = records(note=False)
    tenfold = pd.concat([frame] * 10, ignore_index=True)
    out = gate.prepare(tenfold, policy=policy, release="cluster-view", on=ON)
    assert out.report.rows_in == 10 * len(frame)
    value: Any = out.frame.columns[2]
    assert out.frame[value].max() >= 50


# ---------------------------------------------------------------------------
# An extract: generalisation, redaction, local suppression to k
# ---------------------------------------------------------------------------

# The research policy of test_policy_release.py, with releases of its own.
EXTRACT_POLICY = RESEARCH_POLICY[:RESEARCH_POLICY.index("releases {")] + """releases {
  id: "extract"
  purpose: "research"
  columns { name: "cpr" treatment: DROP kind: "cpr" }
  columns { name: "region" treatment: KEEP }
  columns { name: "age" treatment: GENERALISE hierarchy: "ages" level: 1 }
  columns { name: "note" treatment: KEEP free_text: true }
  hierarchies {
    name: "ages"
    codes { code: "Total" }
    codes { code: "0-39" parent: "Total" }
    codes { code: "0-17" parent: "0-39" }
    codes { code: "18-39" parent: "0-39" }
    codes { code: "40+" parent: "Total" }
    codes { code: "40-64" parent: "40+" }
    codes { code: "65+" parent: "40+" }
  }
  extract { quasi_identifiers: "region" quasi_identifiers: "age" k: 3 }
}
releases {
  id: "pseudonymised"
  purpose: "research"
  columns { name: "cpr" treatment: PSEUDONYMISE kind: "cpr" domain: "research" }
  columns { name: "region" treatment: KEEP }
  extract { quasi_identifiers: "region" k: 2 }
}
"""


def extract_records() -> pd.DataFrame:
    rows = [("Nord", "0-17"), ("Nord", "18-39"), ("Nord", "18-39"), ("Nord", "40-64"),
            ("Nord", "65+"), ("Nord", "65+"), ("Syd", "0-17"), ("Syd", "0-17"),
            ("Syd", "18-39"), ("Syd", "65+"), ("Vest", "40-64")]
    frame = pd.DataFrame(rows, columns=["region", "age"])
    frame["note"] = ["ok"] * len(frame)
    frame.loc[3, "note"] = f"se {CPR}"
    return frame


def test_prepare_an_extract_to_k(tmp_path: pathlib.Path) -> None:
    policy = gdprkit.Policy.from_text(EXTRACT_POLICY, source_name="research.textproto")
    records_ = extract_records()
    check = gate.check(records_, policy=policy, release="extract", on=ON)
    assert ("identifier-in-clear", "note") in findings(check)
    assert ("not-generalised", "age") in findings(check)
    out = gate.prepare(records_, policy=policy, release="extract", on=ON)
    r = out.report
    assert not r.table and r.k == 3 and r.audit_passed and r.smallest_group >= 3
    assert r.identifiers_redacted == 1 and r.values_generalised == len(records_)
    frame = out.frame
    assert list(frame.columns) == ["region", "age", "note"]
    assert len(frame) == r.rows_out == len(records_) - r.rows_withheld
    assert set(frame["age"]) <= {"0-39", "40+", "*"}
    assert gate.group_sizes(frame, ["region", "age"]).min() >= 3
    shown = out._repr_html_() + repr(out) + frame.to_string()
    assert CPR not in shown and "010190" not in shown
    if r.values_suppressed:
        assert "*" in out._repr_html_()
    path = tmp_path / "extract.csv"
    out.to_csv(path)
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert gate.content_digest(back) == r.content_digest


def test_prepare_pseudonymises_in_the_vault(tmp_path: pathlib.Path) -> None:
    policy = gdprkit.Policy.from_text(EXTRACT_POLICY, source_name="research.textproto")
    records_ = pd.DataFrame({"cpr": [CPR, "0101901234", "020202-2020", "020202-2020"],
                             "region": ["Nord", "Nord", "Syd", "Syd"]})
    with pytest.raises(gdprkit.FailedPreconditionError, match="vault"):
        gate.prepare(records_, policy=policy, release="pseudonymised", on=ON)
    with gdprkit.Vault.create(tmp_path / "v.vault", passphrase="pw", kdf="tests_only") as v:
        v.create_domain("research")
        out = gate.prepare(records_, policy=policy, release="pseudonymised", on=ON, vault=v)
    assert out.report.values_pseudonymised == 4
    assert all(str(p).startswith("ps") for p in out.frame["cpr"])
    assert out.frame["cpr"][0] == out.frame["cpr"][1]  # one person, two spellings
    assert CPR not in repr(out) + out._repr_html_()


# ---------------------------------------------------------------------------
# The doors agree
# ---------------------------------------------------------------------------


@needs_cli
def test_the_command_line_digests_the_csv_and_prepares_the_same_table(
        policy: gdprkit.Policy, tmp_path: pathlib.Path) -> None:
    frame = records(note=False)
    out = gate.prepare(frame, policy=policy, release="cluster-view", on=ON)
    written = tmp_path / "python.csv"
    out.to_csv(written)
    assert out.report.content_digest in run_cli("release", "digest", str(written))
    # The same records as a CSV file (dates as ISO text), through the CLI.
    data = tmp_path / "records.csv"
    frame.assign(registered=frame["registered"].dt.strftime("%Y-%m-%d")).to_csv(data, index=False)
    cli_out = tmp_path / "cli.csv"
    report = run_cli("release", "prepare", "--policy", str(KLYNGE), "--release", "cluster-view",
                     "--on", ON, "--out", str(cli_out), str(data))
    assert out.report.content_digest in report
    assert cli_out.read_bytes() == written.read_bytes()


def test_prepare_converts_only_the_columns_it_reads(policy: gdprkit.Policy) -> None:
    """A column the release drops is passed unread: even values the gate could
    not convert (check refuses them) do not stop prepare."""
    plain = records(note=False)
    odd = plain.assign(note=[17] + ["x"] * (len(plain) - 1))
    with pytest.raises(gdprkit.ArgumentTypeError, match="note"):
        gate.check(odd, policy=policy, release="cluster-view", on=ON)
    with_note = gate.prepare(odd, policy=policy, release="cluster-view", on=ON)
    without = gate.prepare(plain, policy=policy, release="cluster-view", on=ON)
    assert with_note.report.content_digest == without.report.content_digest


def test_a_closed_keyed_log_keeps_no_reference_to_its_key(tmp_path: pathlib.Path) -> None:
    key = b"k" * 32
    log = gate.ReleaseLog(tmp_path / "r.log", key=key)
    assert log.verify().intact and log.verify().keyed
    assert key not in repr(log).encode()
    log.close()
    # Python cannot wipe the caller's bytes; the closed log at least no longer holds them.
    assert all(v is not key for v in vars(log).values())
    with pytest.raises(gdprkit.FailedPreconditionError):
        _ = log.head
