"""The Policy API on small policies written for each question."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import threading

import pandas as pd
import pytest

import gdprkit

RIGHT_CODES = ["A13", "A14", "A15", "A16", "A17", "A18", "A19", "A20", "A21", "A22", "A7-3"]

CLINIC = """\
schema: "gdprkit.v1"
controller { name: "Klinik" cvr: "12345678" dpo_contact: "dpo@klinik.dk" source: "test" }
categories { key: "health.blood_pressure" title: "Blood pressure" }
references {
  code: "DK-BEK-530-2018"
  title: "Journalføringsbekendtgørelsen"
  effects: LEGAL_OBLIGATION
}
references { code: "DK-NOTE" title: "A note" }
teams { id: "clinic" title: "Clinic" roles: "doctor" roles: "secretary" }
teams { id: "it" }
retention_rules {
  id: "ten-years"
  description: "Kept 10 years after the last entry"
  period: "P10Y"
  anchor: "last_entry"
  action: RETAIN_THEN_DELETE
}
retention_rules {
  id: "until-withdrawn"
  description: "Five years, or until consent is withdrawn"
  period: "P5Y"
  ends_early { event: "consent_withdrawn" }
  extended_by { event: "last_contact" period: "P1Y" }
}
purposes {
  id: "patient-record"
  title: "Patient record"
  categories: "identity.cpr"
  categories: "health.blood_pressure"
  data_subjects: "patients"
  basis: "A6-1-c"
  basis: "DK-BEK-530-2018"
  basis: "A9-2-h"
  basis: "A9-3"
  basis: "DK-DBL-11-2-1"
  recipients { name: "Journal supplier" kind: PROCESSOR }
  recipients { name: "Hospital" kind: CONTROLLER purpose: "referral" }
  access { team: "clinic" roles: "doctor" }
  retention: "ten-years"
  sources { name: "the patient" from_data_subject: true }
}
purposes {
  id: "newsletter"
  title: "Newsletter"
  categories: "contact.email"
  data_subjects: "patients"
  basis: "A6-1-a"
  consent { record: "double opt-in log" withdrawal: "link in every mail" }
  recipients { name: "Mail service" kind: PROCESSOR country: "US" transfer_basis: "DPF" }
  access { team: "clinic" }
  access { team: "it" }
  retention: "until-withdrawn"
}
purposes {
  id: "usage"
  title: "App usage metadata"
  categories: "online.usage"
  data_subjects: "app users"
  basis: "A6-1-f"
  legitimate_interest {
    interest: "fixing bugs" assessment: "DPIA 2024" safeguards: "short retention"
  }
  sources { name: "the app" from_data_subject: true }
  sources { name: "crash reporter" }
  automated_processing: false
}
"""


@pytest.fixture(scope="module")
def clinic() -> gdprkit.Policy:
    return gdprkit.Policy.from_text(CLINIC, source_name="clinic.textproto")


# -- What the policy says ---------------------------------------------------------


def test_controller(clinic) -> None:
    assert clinic.controller == gdprkit.Controller(
        name="Klinik", cvr="12345678", dpo_contact="dpo@klinik.dk", source="test"
    )


def test_purposes_in_file_order(clinic) -> None:
    assert clinic.purpose_ids == ("patient-record", "newsletter", "usage")
    assert all(isinstance(p, gdprkit.Purpose) for p in clinic.purposes)
    assert clinic.purposes is clinic.purposes  # computed once


def test_purpose_fields(clinic) -> None:
    record = clinic.purpose("patient-record")
    assert record.title == "Patient record"
    assert record.categories == ("identity.cpr", "health.blood_pressure")
    assert record.basis == ("A6-1-c", "DK-BEK-530-2018", "A9-2-h", "A9-3", "DK-DBL-11-2-1")
    assert record.recipients == (
        gdprkit.Recipient(name="Journal supplier", kind="processor"),
        gdprkit.Recipient(name="Hospital", kind="controller", purpose="referral"),
    )
    assert record.processors == ("Journal supplier",)
    assert record.access == (gdprkit.AccessGrant(team="clinic", roles=("doctor",)),)
    assert record.teams == ("clinic",)
    assert record.retention == "ten-years"
    assert record.sources == (gdprkit.Source("the patient", True),)
    assert record.legitimate_interest is None and record.consent is None
    assert record.automated_processing is True
    assert record.automated_decision_making is False
    assert record.line == CLINIC.splitlines().index("purposes {") + 1

    newsletter = clinic.purpose("newsletter")
    assert newsletter.consent == gdprkit.ConsentMechanism("double opt-in log", "link in every mail")
    assert newsletter.recipients[0].country == "US"
    assert newsletter.recipients[0].transfer_basis == "DPF"
    assert newsletter.teams == ("clinic", "it")

    usage = clinic.purpose("usage")
    assert usage.legitimate_interest == gdprkit.BalancingTest(
        "fixing bugs", "DPIA 2024", ("short retention",)
    )
    assert usage.retention is None
    assert usage.automated_processing is False


def test_records_are_frozen_and_hashable(clinic) -> None:
    record = clinic.purpose("patient-record")
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.title = "x"  # type: ignore[misc]
    assert hash(record) == hash(clinic.purpose("patient-record"))
    assert len({*clinic.purposes}) == 3


def test_unknown_purpose(clinic) -> None:
    with pytest.raises(gdprkit.NotFoundError) as info:
        clinic.purpose("patient-recrd")
    e = info.value
    assert isinstance(e, KeyError)
    assert str(e) == (
        # Only near names are suggested (not the nearest of unrelated ones).
        'no purpose "patient-recrd" in policy clinic.textproto; did you mean '
        '"patient-record"?'
    )
    with pytest.raises(TypeError):
        clinic.purpose(1)  # type: ignore[arg-type]


def test_contains(clinic) -> None:
    assert "usage" in clinic
    assert "use" not in clinic
    assert 3 not in clinic


def test_teams_categories_references(clinic) -> None:
    assert clinic.teams == (
        gdprkit.Team("clinic", "Clinic", ("doctor", "secretary")),
        gdprkit.Team("it"),
    )
    bp = clinic.category("health.blood_pressure")
    assert bp.special and not bp.builtin  # inherits the parent's marking
    assert clinic.category("identity.cpr").national_id
    assert clinic.categories[-1] == bp
    with pytest.raises(gdprkit.NotFoundError, match='did you mean "health.blood_pressure"'):
        clinic.category("health.blod_pressure")
    assert clinic.references == (
        gdprkit.LegalReference(
            code="DK-BEK-530-2018",
            title="Journalføringsbekendtgørelsen",
            effects=("legal_obligation",),
        ),
        gdprkit.LegalReference(code="DK-NOTE", title="A note"),
    )


def test_basis_title_and_effects(clinic) -> None:
    assert clinic.basis_title("DK-BEK-530-2018") == "Journalføringsbekendtgørelsen"
    assert clinic.basis_title("A6-1-c") == gdprkit.basis_title("A6-1-c")
    assert clinic.basis_effects("DK-BEK-530-2018") == ("legal_obligation",)
    assert clinic.basis_effects("DK-NOTE") == ()
    assert clinic.basis_effects("A6-1-a") == ("lawful", "consent")
    with pytest.raises(gdprkit.NotFoundError, match='did you mean .*"DK-NOTE"'):
        clinic.basis_title("DK-NOTES")
    with pytest.raises(KeyError):
        clinic.basis_effects("DK-NOPE")
    with pytest.raises(TypeError):
        clinic.basis_title(None)  # type: ignore[arg-type]


def test_retention_rules(clinic) -> None:
    ten, until = clinic.retention_rules
    assert ten == gdprkit.RetentionRule(
        id="ten-years",
        description="Kept 10 years after the last entry",
        period="P10Y",
        anchor="last_entry",
        action="retain_then_delete",
    )
    assert until.action == "delete_after"
    assert until.ends_early == (gdprkit.RetentionEvent("consent_withdrawn"),)
    assert until.extended_by == (gdprkit.RetentionEvent("last_contact", "P1Y"),)
    assert until.period == "P5Y" and until.anchor == ""
    assert clinic.retention_rule("ten-years") is ten
    with pytest.raises(gdprkit.NotFoundError, match='did you mean "ten-years"'):
        clinic.retention_rule("ten-year")


# -- Validation ------------------------------------------------------------------


def test_valid_policy_has_only_infos_or_warnings(clinic) -> None:
    findings = clinic.validate()
    assert clinic.is_valid
    assert all(f.severity != "error" for f in findings)
    # The newsletter goes to the US with a transfer basis: no transfer warning.
    assert "transfer-without-basis" not in {f.code for f in findings}
    # "usage" grants nobody access.
    assert [(f.severity, f.code, f.purpose_id) for f in findings] == [
        ("warning", "missing-retention", "usage"),
        ("info", "no-access-grant", "usage"),
    ]


def test_findings_of_an_invalid_policy() -> None:
    text = """\
purposes {
  id: "a"
  categories: "health.diagnosis"
  categories: "identity.cpr"
  data_subjects: "patients"
  basis: "A9-2-h"
  basis: "A6-1-g"
}
"""
    p = gdprkit.Policy.from_text(text, source_name="bad.textproto")
    findings = p.validate()
    assert not p.is_valid
    codes = {(f.code, f.purpose_id) for f in findings}
    assert ("missing-art6-basis", "a") in codes
    assert ("cpr-without-dbl-11", "a") in codes
    assert ("unknown-basis", "a") in codes
    (unknown,) = [f for f in findings if f.code == "unknown-basis"]
    assert unknown == gdprkit.Finding(
        severity="error",
        code="unknown-basis",
        purpose_id="a",
        field="purposes[0].basis[1]",
        message=unknown.message,
        file="bad.textproto",
        line=7,
    )
    assert '"A6-1-g"' in unknown.message and '"A6-1-a"' in unknown.message
    assert str(unknown).startswith("bad.textproto:7: error [unknown-basis] ")
    # Errors first, then warnings, then infos.
    order = {"error": 0, "warning": 1, "info": 2}
    ranks = [order[f.severity] for f in findings]
    assert ranks == sorted(ranks)
    # The whole policy has a finding without purpose: no controller.
    assert any(f.purpose_id is None and f.code == "missing-controller" for f in findings)


def test_validate_returns_a_new_list_each_time(clinic) -> None:
    a = clinic.validate()
    a.clear()
    assert len(clinic.validate()) == 2


def test_findings_frame() -> None:
    p = gdprkit.Policy.from_text('purposes { id: "a" basis: "A6-1-b" }', source_name="f.textproto")
    frame = p.findings_frame()
    assert list(frame.columns) == [
        "severity",
        "code",
        "title",
        "purpose_id",
        "field",
        "message",
        "file",
        "line",
    ]
    assert len(frame) == len(p.validate())
    assert set(frame["file"]) == {"f.textproto"}
    assert str(frame["line"].dtype) == "Int64"


def test_no_purposes() -> None:
    p = gdprkit.Policy.from_text('controller { name: "x" }')
    assert p.purposes == ()
    assert "no-purposes" in {f.code for f in p.validate()}
    assert not p.is_valid
    assert p.to_frame().empty
    assert list(p.rights_frame().columns) == RIGHT_CODES
    assert p.rights_frame().empty
    assert p.rights_frame(detail=True).empty


# -- Rights ----------------------------------------------------------------------


def test_rights_of_a_legal_obligation(clinic) -> None:
    assert clinic.rights("patient-record") == ["A13", "A15", "A16", "A18", "A19"]
    detail = {a.code: a for a in clinic.rights_detail("patient-record")}
    assert list(detail) == RIGHT_CODES
    assert not detail["A17"].applies
    assert "Art. 17(3)(b)" in detail["A17"].reason
    assert detail["A17"].title == "Art. 17: right to erasure"
    assert not detail["A14"].applies  # all data from the patient


def test_rights_of_consent(clinic) -> None:
    rights = clinic.rights("newsletter")
    assert "A7-3" in rights and "A20" in rights and "A17" in rights
    assert "A21" not in rights


def test_rights_of_legitimate_interest(clinic) -> None:
    rights = clinic.rights("usage")
    assert "A21" in rights
    assert "A20" not in rights and "A7-3" not in rights
    assert {"A13", "A14"} <= set(rights)  # from the user and from elsewhere


def test_rights_of_unknown_purpose(clinic) -> None:
    with pytest.raises(gdprkit.NotFoundError, match=r'^no purpose "x" in policy clinic\.textproto'):
        clinic.rights("x")
    with pytest.raises(KeyError):
        clinic.rights_detail("")
    with pytest.raises(TypeError):
        clinic.rights(None)  # type: ignore[arg-type]


def test_rights_frame(clinic) -> None:
    frame = clinic.rights_frame()
    assert list(frame.index) == list(clinic.purpose_ids)
    assert frame.index.name == "purpose"
    assert list(frame.columns) == RIGHT_CODES
    assert all(pd.api.types.is_bool_dtype(t) for t in frame.dtypes)
    for pid in clinic.purpose_ids:
        assert [c for c in RIGHT_CODES if frame.loc[pid, c]] == clinic.rights(pid)


def test_rights_frame_detail(clinic) -> None:
    frame = clinic.rights_frame(detail=True)
    assert list(frame.columns) == ["purpose", "right", "title", "applies", "reason"]
    assert len(frame) == 3 * len(RIGHT_CODES)
    row = frame[(frame.purpose == "patient-record") & (frame.right == "A17")].iloc[0]
    assert not row.applies
    assert "Art. 17(3)(b)" in row.reason


# -- Access ----------------------------------------------------------------------


def test_may_access(clinic) -> None:
    assert clinic.may_access("patient-record", team="clinic", role="doctor")
    assert not clinic.may_access("patient-record", team="clinic", role="secretary")
    assert not clinic.may_access("patient-record", team="clinic")  # the grant names roles
    assert not clinic.may_access("patient-record", team="it", role="doctor")
    assert clinic.may_access("newsletter", team="it")
    assert clinic.may_access("newsletter", team="clinic", role="secretary")
    assert not clinic.may_access("usage", team="clinic", role="doctor")  # nobody granted
    assert not clinic.may_access("usage", team="nobody")


def test_may_access_errors(clinic) -> None:
    with pytest.raises(gdprkit.NotFoundError):
        clinic.may_access("nope", team="clinic")
    with pytest.raises(gdprkit.InvalidArgumentError) as info:
        clinic.may_access("newsletter", team="")
    assert isinstance(info.value, ValueError)
    with pytest.raises(TypeError):
        clinic.may_access("newsletter", "clinic")  # type: ignore[misc]  # team is keyword-only
    with pytest.raises(TypeError):
        clinic.may_access("newsletter", team=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        clinic.may_access("newsletter", team="clinic", role=1)  # type: ignore[arg-type]


def test_visible_purposes(clinic) -> None:
    ids = lambda ps: [p.id for p in ps]  # noqa: E731
    assert ids(clinic.visible_purposes(team="clinic", role="doctor")) == [
        "patient-record",
        "newsletter",
    ]
    assert ids(clinic.visible_purposes(team="clinic", role="secretary")) == ["newsletter"]
    assert ids(clinic.visible_purposes(team="it")) == ["newsletter"]
    assert clinic.visible_purposes(team="nobody") == ()


def test_purposes_using(clinic) -> None:
    # A purpose listing a category uses its children too, not its parent.
    assert [p.id for p in clinic.purposes_using("health.blood_pressure")] == ["patient-record"]
    assert [p.id for p in clinic.purposes_using("contact.email")] == ["newsletter"]
    # A purpose listing a child category uses the parent's data too.
    assert [p.id for p in clinic.purposes_using("contact")] == ["newsletter"]
    assert [p.id for p in clinic.purposes_using("online.usage.crash")] == ["usage"]
    assert clinic.purposes_using("genetic") == ()
    with pytest.raises(TypeError):
        clinic.purposes_using(None)  # type: ignore[arg-type]


# -- The record of processing ----------------------------------------------------


def test_to_frame(clinic) -> None:
    frame = clinic.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame["id"]) == list(clinic.purpose_ids)
    assert list(frame.columns) == [
        "id",
        "title",
        "description",
        "basis",
        "basis_titles",
        "categories",
        "special_categories",
        "criminal_data",
        "national_id",
        "data_subjects",
        "recipients",
        "processors",
        "teams",
        "retention",
        "retention_description",
        "line",
    ]
    record = frame.set_index("id").loc["patient-record"]
    assert record["basis"] == ("A6-1-c", "DK-BEK-530-2018", "A9-2-h", "A9-3", "DK-DBL-11-2-1")
    assert record["basis_titles"][1] == "Journalføringsbekendtgørelsen"
    assert record["basis_titles"][0] == gdprkit.basis_title("A6-1-c")
    assert record["special_categories"] and record["national_id"] and not record["criminal_data"]
    assert record["recipients"] == ("Journal supplier", "Hospital")
    assert record["processors"] == ("Journal supplier",)
    assert record["teams"] == ("clinic",)
    assert record["retention"] == "ten-years"
    assert record["retention_description"] == "Kept 10 years after the last entry"
    usage = frame.set_index("id").loc["usage"]
    assert pd.isna(usage["retention"]) and pd.isna(usage["retention_description"])
    assert usage["teams"] == ()
    assert not usage["special_categories"]
    assert frame["special_categories"].dtype == bool
    assert str(frame["line"].dtype) == "Int64"


def test_to_frame_with_unknown_codes() -> None:
    p = gdprkit.Policy.from_text(
        'purposes { id: "a" basis: "A6-1-x" categories: "nonsense" retention: "nope" }'
    )
    row = p.to_frame().iloc[0]
    assert row["basis_titles"] == ("",)
    assert not row["special_categories"]
    assert row["retention"] == "nope" and pd.isna(row["retention_description"])


# -- Immutability, copying, pickling, threads ------------------------------------


def test_policy_is_immutable(clinic) -> None:
    with pytest.raises(AttributeError):
        clinic.purposes = ()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        clinic.anything = 1  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        del clinic._handle


def test_policy_does_not_pickle(clinic) -> None:
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(clinic)
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(clinic, protocol=0)


def test_copy_is_the_same_object(clinic) -> None:
    assert copy.copy(clinic) is clinic
    assert copy.deepcopy(clinic) is clinic
    assert copy.deepcopy({"p": clinic})["p"] is clinic


def test_repr(clinic) -> None:
    assert repr(clinic) == "<gdprkit.Policy 'clinic.textproto': 3 purposes>"


def test_results_pickle(clinic) -> None:
    # The records themselves are plain dataclasses.
    for obj in (clinic.purpose("patient-record"), clinic.validate(), clinic.rights_detail("usage")):
        assert pickle.loads(pickle.dumps(obj)) == obj


def test_threads_share_one_policy_and_load_in_parallel(clinic) -> None:
    expected = {pid: clinic.rights(pid) for pid in clinic.purpose_ids}
    errors = []

    def work() -> None:
        try:
            for _ in range(50):
                mine = gdprkit.Policy.from_text(CLINIC)
                for pid, rights in expected.items():
                    assert clinic.rights(pid) == rights
                    assert mine.rights(pid) == rights
                assert clinic.may_access("newsletter", team="it")
                assert len(mine.validate()) == 2
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_policy_outlives_its_text() -> None:
    buf = bytearray(CLINIC.encode())
    p = gdprkit.Policy.from_text(buf)
    buf[:] = b"x" * len(buf)  # the policy keeps its own copy
    del buf
    assert p.purpose("usage").title == "App usage metadata"


def test_names_with_lone_surrogates_are_simply_unknown(clinic) -> None:
    for call in (
        lambda: clinic.rights("\ud800"),
        lambda: clinic.purpose("\udc80"),
        lambda: clinic.may_access("\ud800", team="clinic"),
        lambda: clinic.basis_title("\ud800"),
        lambda: clinic.category("\udcff"),
        lambda: clinic.retention_rule("\ud800"),
    ):
        with pytest.raises(gdprkit.NotFoundError):
            call()
    assert not clinic.may_access("newsletter", team="\ud800", role="\udc80")
    assert clinic.visible_purposes(team="\ud800") == ()
    assert clinic.purposes_using("\udc80") == ()
