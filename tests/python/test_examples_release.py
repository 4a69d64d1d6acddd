"""The cluster guide's releases over the bundled record-level data
(examples/records/cluster_records.csv, examples/policies/klyngeguide.textproto):
the data are what docs/release.md section 8 says, and the gate finds and does
what it should with them."""

from __future__ import annotations

import importlib.util
import pathlib
import sys
import types
from typing import Any, Dict

import numpy as np
import pandas as pd
import pytest

import gdprkit
import gdprkit.identifiers
import gdprkit.scan
from gdprkit import release

REPO = pathlib.Path(__file__).resolve().parents[2]
KLYNGE = REPO / "examples" / "policies" / "klyngeguide.textproto"
RECORDS = REPO / "examples" / "records" / "cluster_records.csv"
GENERATOR = REPO / "examples" / "records" / "make_cluster_records.py"
ON = "2026-12-01"


def _generator() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("make_cluster_records", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    return pd.read_csv(RECORDS, dtype=str, keep_default_na=False)


def _findings(check: Any) -> Dict[Any, Any]:
    return {(f.problem, f.column, f.kind): f for f in check.findings}


def test_the_bundled_file_is_what_the_generator_writes(tmp_path: pathlib.Path) -> None:
    gen = _generator()
    out = tmp_path / "records.csv"
    gen.write_csv(gen.make_records(3000, 16), str(out))
    assert out.read_bytes() == RECORDS.read_bytes()


def test_the_generator_is_vectorised_and_valid_for_large_data() -> None:
    cols = _generator().make_records(200_000, 3)
    assert {len(v) for v in cols.values()} == {200_000}
    valid = gdprkit.identifiers.is_valid(list(cols["patient_cpr"][:5000]), "cpr", as_of=ON)
    assert all(valid)
    old = cols["registered"] < np.datetime64("2021-12-01")
    assert 0.06 < old.mean() < 0.10


def test_the_records_hold_what_the_docs_say(records: pd.DataFrame) -> None:
    assert list(records.columns) == ["patient_cpr", "provider_number", "practice", "age",
                                     "registered", "note"]
    assert len(records) == 3000
    assert records["patient_cpr"].is_unique
    assert all(gdprkit.identifiers.is_valid(list(records["patient_cpr"]), "cpr", as_of=ON))
    assert set(records["practice"]) == {f"P{i:02d}" for i in range(1, 20)}
    assert set(records["age"]) == {"0-17", "18-39", "40-64", "65-79", "80+"}
    registered = records["registered"]
    assert (registered == "").sum() == 2
    assert ((registered != "") & (registered < "2021-12-01")).sum() == 235
    counts = gdprkit.scan.scan_identifiers(list(records["note"]), as_of=ON).frame()
    assert counts.sum().to_dict() == {"cpr": 7, "cvr": 0, "gln": 0, "provider_number": 2}
    # The CPR-shaped numbers that are no CPR number are not found.
    for fake in ("320187-1234", "311387-2231", "290223-1234", "000185-5511", "010130-4123",
                 "1513781234"):
        [row] = records.index[records["note"].str.contains(fake, regex=False)]
        assert counts.loc[row].sum() == 0
    recent = records[registered >= "2021-12-01"]
    cells = recent.groupby(["practice", "age"]).size()
    assert ((cells > 0) & (cells < 5)).sum() == 9


def test_the_policy_has_both_releases_without_findings() -> None:
    policy = gdprkit.Policy.load(KLYNGE)
    assert [r.id for r in policy.releases] == ["cluster-view", "cluster-quality-extract"]
    assert not [f.code for f in policy.validate() if f.code.startswith("release-")]
    extract = policy.release("cluster-quality-extract")
    assert extract.purpose == "identifiable-disclosure-sul-42d"
    assert extract.extract is not None and extract.extract.k == 5


def test_check_finds_the_hidden_numbers_and_the_old_rows(records: pd.DataFrame) -> None:
    verdict = release.check(records, policy=str(KLYNGE), release="cluster-view", on=ON)
    assert not verdict.passed
    found = _findings(verdict)
    assert found[("identifier-in-clear", "note", "cpr")].rows == 7
    assert found[("identifier-in-clear", "note", "provider_number")].rows == 2
    assert found[("identifier-in-clear", "patient_cpr", "cpr")].rows == 3000
    assert {c for p, c, _ in found if p == "dropped-column"} == {
        "patient_cpr", "provider_number", "registered", "note"}
    assert found[("too-old", "registered", found_kind(found, "too-old"))].rows == 235
    assert found[("missing-date", "registered", found_kind(found, "missing-date"))].rows == 2
    small = [f for f in verdict.findings if f.problem == "small-cell"]
    # Every row is tabulated (old ones too): 8 practice x age cells and, above
    # P08, its cluster Nord-C's two, 23 rows in all.
    assert len(small) == 1 and (small[0].cells, small[0].rows) == (10, 23)
    # A CPR-shaped number that is no date is not an identifier: no cvr/gln found in the notes.
    assert not [k for p, c, k in found if p == "identifier-in-clear" and c == "note"
                and k not in ("cpr", "provider_number")]


def found_kind(found: Dict[Any, Any], problem: str) -> Any:
    [kind] = [k for p, _, k in found if p == problem]
    return kind


def test_prepare_the_cluster_view(records: pd.DataFrame, tmp_path: pathlib.Path) -> None:
    log = tmp_path / "releases.log"
    out = release.prepare(records, policy=str(KLYNGE), release="cluster-view", on=ON,
                          log=str(log))
    report = out.report
    assert (report.rows_in, report.rows_too_old, report.rows_missing_date) == (3000, 235, 2)
    assert report.audit_passed and report.cells == 168
    assert report.cells_primary >= 9 and report.cells_secondary > 0
    assert report.log_seq == 1
    table = out.frame
    assert set(table["status"]) == {"published", "suppressed"}
    total = table[(table["practice"] == "Total") & (table["age"] == "Total")]
    value = [c for c in table.columns if c not in ("practice", "age", "status")][0]
    assert float(total[value].iloc[0]) == 3000 - 237
    path = tmp_path / "view.csv"
    out.to_csv(path)
    assert release.content_digest(pd.read_csv(path, dtype=str, keep_default_na=False)) == \
        report.content_digest
    assert release.verify_log(log).intact


def test_prepare_the_extract_reaches_k(records: pd.DataFrame, tmp_path: pathlib.Path) -> None:
    with gdprkit.Vault.create(tmp_path / "k.vault", passphrase="a synthetic test passphrase",
                              kdf="interactive") as vault:
        vault.create_domain("klynge-kvalitet")
        out = release.prepare(records, policy=str(KLYNGE), release="cluster-quality-extract",
                              on=ON, vault=vault)
    extract = out.frame
    assert list(extract.columns) == ["patient_cpr", "practice", "age", "note"]
    assert extract["patient_cpr"].str.startswith("ps").all()
    assert set(extract["practice"]) <= {"Nord-A", "Nord-B", "Nord-C", "Syd-A", "Syd-B",
                                        "Syd-C", "*"}
    sizes = release.group_sizes(extract, ["practice", "age"])
    assert sizes.min() >= 5 and out.report.smallest_group >= 5
    # Nord-C's 65-79 and 80+ groups have three rows each: "*" for the
    # practice, then for the age band, merges them into one group of six.
    assert (out.report.values_suppressed, out.report.rows_withheld) == (12, 0)
    starred = extract[extract["practice"] == "*"]
    assert len(starred) == 6 and set(starred["age"]) == {"*"}
    assert out.report.identifiers_redacted == 9
    notes = gdprkit.scan.scan_identifiers(list(extract["note"].fillna("")), as_of=ON).frame()
    assert int(notes.to_numpy().sum()) == 0
    cprs = set(records["patient_cpr"])
    shown = repr(out) + out._repr_html_() + repr(out.report)
    assert not any(c in shown for c in cprs)
