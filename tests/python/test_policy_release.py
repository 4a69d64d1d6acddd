"""Release rules in the policy, from Python: Policy.releases, Policy.release,
Policy.releases_frame, the records' reprs and HTML, and the findings."""

from __future__ import annotations

import pathlib

import pytest

import gdprkit
from gdprkit import _gdprkit
from gdprkit.policy import Release, ReleaseColumn, ReleaseExtract, ReleaseRules, ReleaseTable

REPO = pathlib.Path(__file__).resolve().parents[2]
KLYNGE = REPO / "examples" / "policies" / "klyngeguide.textproto"

POLICY = """schema: "gdprkit.v1"
controller { name: "Klyngen" }
purposes {
  id: "research"
  categories: "identity.cpr"
  data_subjects: "patients"
  basis: "A6-1-e"
  basis: "DK-DBL-11-2-1"
  access { team: "t" }
  retention: "r"
}
teams { id: "t" }
retention_rules { id: "r" period: "P5Y" }
releases {
  id: "extract"
  title: "Forskning <udtræk>"
  purpose: "research"
  columns { name: "cpr" treatment: PSEUDONYMIZE kind: "cpr" domain: "research" }
  columns { name: "age" treatment: GENERALISE hierarchy: "ages" level: 1 }
  columns { name: "note" treatment: KEEP free_text: true }
  hierarchies { name: "ages" codes { code: "Total" } codes { code: "0-17" parent: "Total" } }
  extract { quasi_identifiers: "age" k: 5 }
}
releases {
  id: "table"
  purpose: "research"
  columns { name: "cpr" treatment: DROP kind: "cpr" }
  columns { name: "region" treatment: KEEP }
  columns { name: "cost" treatment: KEEP }
  columns { name: "seen" treatment: DROP }
  table { dimensions { column: "region" } value: "cost" }
  rules { threshold: 3 dominance { n: 2 k: 85 } p_percent: 10 q_percent: 50 }
  max_age: "P5Y"
  date_column: "seen"
}
"""


@pytest.fixture(scope="module")
def policy() -> gdprkit.Policy:
    return gdprkit.Policy.from_text(POLICY, source_name="research.textproto")


def test_releases_are_read_as_written(policy: gdprkit.Policy) -> None:
    extract, table = policy.releases
    assert isinstance(extract, Release)
    assert extract.id == "extract" and extract.purpose == "research"
    assert extract.shape == "extract"
    assert extract.columns[0] == ReleaseColumn("cpr", "pseudonymise", kind="cpr",
                                               domain="research")
    assert extract.column("age") == ReleaseColumn("age", "generalise", hierarchy="ages", level=1)
    assert extract.column("note").free_text
    assert extract.hierarchies[0].codes == (("Total", ""), ("0-17", "Total"))
    assert extract.extract == ReleaseExtract(("age",), 5)
    assert extract.table is None and extract.rules is None
    assert extract.line == 14
    assert table.shape == "table"
    assert table.table == ReleaseTable((("region", ""),), "cost")
    assert table.rules == ReleaseRules(threshold=3, dominance=((2, 85.0),), p_percent=10.0,
                                       q_percent=50.0)
    assert (table.max_age, table.date_column) == ("P5Y", "seen")
    with pytest.raises(KeyError):
        table.column("nope")


def test_the_policy_with_releases_is_valid(policy: gdprkit.Policy) -> None:
    assert policy.validate() == []


def test_release_lookup_names_the_nearest(policy: gdprkit.Policy) -> None:
    assert policy.release("table") is policy.releases[1]
    with pytest.raises(gdprkit.NotFoundError, match='did you mean "extract"') as e:
        policy.release("extrac")
    assert isinstance(e.value, KeyError)
    with pytest.raises(TypeError):
        policy.release(3)  # type: ignore[arg-type]


def test_repr_and_html_escape_and_translate(policy: gdprkit.Policy) -> None:
    r = policy.release("extract")
    assert repr(r) == ("<gdprkit.Release id='extract' purpose='research' shape='extract' "
                       "columns=3 max_age=''>")
    html = r._repr_html_()
    assert "Forskning &lt;udtræk&gt;" in html and "<udtræk>" not in html
    assert "pseudonymised" in html
    danish = r.to_html(lang="da")
    assert "pseudonymiseres" in danish and "generaliseres" in danish
    assert _gdprkit.policy_titles("da")["column_treatment"]["drop"] == "udelades"


def test_releases_frame(policy: gdprkit.Policy) -> None:
    pytest.importorskip("pandas")
    frame = policy.releases_frame(lang="da")
    assert list(frame["release"]) == ["extract"] * 3 + ["table"] * 4
    assert list(frame.columns[:6]) == ["release", "purpose", "shape", "column", "treatment",
                                       "treatment_title"]
    row = frame[(frame["release"] == "extract") & (frame["column"] == "age")].iloc[0]
    assert row["treatment"] == "generalise" and row["treatment_title"] == "generaliseres"
    assert row["level"] == 1 and bool(row["quasi_identifier"])
    assert str(frame["level"].dtype) == "Int64"
    dims = frame[frame["dimension"]]
    assert list(dims["column"]) == ["region"]
    assert frame["line"].notna().all()


def test_the_cluster_guide_releases_its_view() -> None:
    policy = gdprkit.Policy.load(KLYNGE)
    view, extract = policy.releases
    assert view.id == "cluster-view"
    assert extract.id == "cluster-quality-extract" and extract.extract is not None
    assert view.purpose == "provider-level-statistics"
    assert view.table is not None
    assert view.table.dimensions == (("practice", "practice"), ("age", ""))
    assert view.rules is not None and view.rules.threshold == 5
    assert view.max_age == "P5Y"
    assert view.column("patient_cpr").treatment == "drop"
    assert not any(f.code.startswith("release-") for f in policy.validate())


@pytest.mark.parametrize(
    "old, new, code",
    [
        ('kind: "cpr" domain: "research"', 'domain: "research"',
         "release-pseudonymise-incomplete"),
        ("k: 5", "k: 3", "release-k-below-five"),
        ('quasi_identifiers: "age"', 'quasi_identifiers: "sex"', "release-undeclared-column"),
        ('max_age: "P5Y"', 'max_age: "5 years"', "release-invalid-max-age"),
        ("threshold: 3", "threshold: 0", "release-invalid-threshold"),
        ('treatment: DROP kind: "cpr"', 'treatment: KEEP kind: "cpr"',
         "release-identifier-in-clear"),
    ],
)
def test_findings_name_the_release_and_its_line(old: str, new: str, code: str) -> None:
    assert old in POLICY
    policy = gdprkit.Policy.from_text(POLICY.replace(old, new, 1),
                                      source_name="research.textproto")
    findings = policy.validate()
    # Taking the kind off the CPR column, or keeping it, also leaves the CPR
    # numbers of the purpose in the release.
    also = {"release-national-id-not-removed"} if "cpr" in old else set()
    assert {f.code for f in findings} == {code} | also
    [finding] = [f for f in findings if f.code == code]
    assert finding.purpose_id == "research"
    assert finding.field.startswith("releases[")
    assert finding.line is not None
    text = POLICY.replace(old, new, 1).splitlines()
    assert new.split()[0] in text[finding.line - 1]
    assert gdprkit.finding_title(code, lang="da")
