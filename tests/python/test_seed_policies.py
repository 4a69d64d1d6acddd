"""The seed organisations' policies (examples/policies/) answer, through
Python, what their source documents answer (shared/seeds/; the README of
examples/policies/ gives the section behind each expectation)."""

from __future__ import annotations

import dataclasses

import pytest

SEEDS = [
    ("kapsel.textproto", 3),
    ("kontakt_laege.textproto", 4),
    ("kontakt_laege.json", 4),
    ("medcom.textproto", 8),
    ("practio.textproto", 19),
    ("klyngeguide.textproto", 5),
]


@pytest.mark.parametrize("name,count", SEEDS)
def test_every_seed_loads(seed, policies_dir, name: str, count: int) -> None:
    p = seed(name)
    assert p.source_name == str(policies_dir / name)
    assert len(p.purposes) == count
    assert p.controller.name and p.controller.source
    for purpose in p.purposes:
        assert purpose.line and purpose.line > 0
        assert purpose.title and purpose.source_text
    frame = p.to_frame()
    assert list(frame["id"]) == list(p.purpose_ids)
    rights = p.rights_frame()
    assert rights.shape == (count, 11)
    # Every right of access etc. applies to every purpose the organisation is
    # the controller of (Art. 15, 16, 18, 19).
    own = [x.id for x in p.purposes if x.role == "controller"]
    assert rights.loc[own, ["A15", "A16", "A18", "A19"]].all().all()


@pytest.mark.parametrize("name", [n for n, _ in SEEDS if n != "kapsel.textproto"])
def test_every_finding_names_file_line_and_purpose(seed, policies_dir, name: str) -> None:
    for f in seed(name).validate():
        assert f.file == str(policies_dir / name)
        assert f.line and f.line > 0, f
        assert f.purpose_id and f.purpose_id in f.message


# -- 000 KAPsel ----------------------------------------------------------------


def test_kapsel_is_clean_and_rests_on_contract(seed) -> None:
    p = seed("kapsel.textproto")
    assert p.validate() == []
    assert p.is_valid
    assert p.controller.cvr == "29190925"
    for purpose in p.purposes:
        assert purpose.basis == ("A6-1-b",)
        assert "artikel 6, stk. 1, litra b" in purpose.source_text


def test_kapsel_teams_cannot_see_each_others_records(seed) -> None:
    p = seed("kapsel.textproto")
    teams = {
        "data-consultants": "quality-advice-data",
        "medicine-consultants": "quality-advice-medicine",
        "it-consultants": "quality-advice-it",
    }
    for team, own in teams.items():
        for purpose in teams.values():
            assert p.may_access(purpose, team=team, role="consultant") == (purpose == own)
        assert [x.id for x in p.visible_purposes(team=team, role="consultant")] == [own]
    assert p.visible_purposes(team="region-it", role="admin") == ()
    with pytest.raises(ValueError):
        p.may_access("quality-advice-data", team="")


def test_kapsel_contract_gives_portability_not_objection(seed) -> None:
    rights = seed("kapsel.textproto").rights("quality-advice-data")
    assert "A20" in rights and "A17" in rights
    assert "A21" not in rights
    assert "A13" in rights and "A14" in rights  # from the practice and from registers


def test_kapsel_retention_and_processors(seed) -> None:
    p = seed("kapsel.textproto")
    rule = p.retention_rule("provider-number-plus-15-months")
    assert rule.period == "P15M"
    assert rule.anchor == "provider_number_ended"
    assert "15 måneder efter ophør" in rule.description
    assert set(p.to_frame()["retention"]) == {rule.id}
    assert sorted(p.purpose("quality-advice-medicine").processors) == [
        "MedWare ApS (leverandør af KAPsel)",
        "Region Syddanmark (driftsansvarlig organisation)",
    ]


# -- 001 Kontakt Læge ----------------------------------------------------------


@pytest.mark.parametrize("name", ["kontakt_laege.textproto", "kontakt_laege.json"])
def test_kontakt_laege_usage_metadata_objection_not_portability(seed, name: str) -> None:
    p = seed(name)
    usage = p.purpose("troubleshooting-and-improvement")
    assert usage.basis == ("A6-1-f",)
    assert "online.usage" in usage.categories
    rights = p.rights(usage.id)
    assert "A21" in rights
    assert "A20" not in rights
    assert "A7-3" not in rights
    detail = {a.code: a for a in p.rights_detail(usage.id)}
    assert "Art. 21(1)" in detail["A21"].reason
    assert "Art. 20(1)(a)" in detail["A20"].reason
    frame = p.rights_frame()
    assert frame.loc[usage.id, "A21"] and not frame.loc[usage.id, "A20"]


@pytest.mark.parametrize("name", ["kontakt_laege.textproto", "kontakt_laege.json"])
def test_kontakt_laege_cpr_and_health_note(seed, name: str) -> None:
    p = seed(name)
    assert [x.id for x in p.purposes_using("identity.cpr")] == ["video-consultation"]
    # Issue #10, item 6: "CPR-nummeret bruges i den forbindelse til at fremsøge
    # den læge som er tilknyttet borgeren" cites no § 11 ground: none recorded.
    assert "DK-DBL-11-1" not in p.purpose("video-consultation").basis
    assert ("error", "cpr-without-dbl-11", "video-consultation") in {
        (f.severity, f.code, f.purpose_id) for f in p.validate()
    }
    assert [x.id for x in p.purposes_using("health.note")] == ["video-consultation"]
    video = p.to_frame().set_index("id").loc["video-consultation"]
    assert video["national_id"] and video["special_categories"]
    controllers = [
        r.name for r in p.purpose("video-consultation").recipients if r.kind == "controller"
    ]
    assert controllers == ["Borgerens praktiserende læge"]


@pytest.mark.parametrize("name", ["kontakt_laege.textproto", "kontakt_laege.json"])
def test_kontakt_laege_fetched_data_are_another_controllers(seed, name: str) -> None:
    # Issue #10, item 7, section 2: "Kommunen er ikke dataansvarlig for disse
    # oplysninger".
    p = seed(name)
    fetch = p.purpose("fetch-from-other-controllers")
    assert fetch.role == "not_controller"
    assert "Sundhedsdatastyrelsen" in fetch.controller_of_data
    detail = p.rights_detail("fetch-from-other-controllers")
    assert detail and not any(a.applies for a in detail)
    assert all("not the controller" in a.reason for a in detail)


@pytest.mark.parametrize("name", ["kontakt_laege.textproto", "kontakt_laege.json"])
def test_kontakt_laege_findings(seed, name: str) -> None:
    p = seed(name)
    assert sorted((f.severity, f.code, f.purpose_id) for f in p.validate()) == sorted(
        [
            ("error", "missing-art6-basis", "video-consultation"),
            ("error", "special-category-without-condition", "video-consultation"),
            ("error", "cpr-without-dbl-11", "video-consultation"),
            ("error", "missing-art6-basis", "compliance-and-documentation"),
            (
                "warning",
                "legitimate-interest-without-balancing-test",
                "troubleshooting-and-improvement",
            ),
            ("info", "no-access-grant", "troubleshooting-and-improvement"),
            ("info", "no-access-grant", "compliance-and-documentation"),
        ]
    )
    assert not p.is_valid


def test_kontakt_laege_json_and_text_agree(seed) -> None:
    text = seed("kontakt_laege.textproto")
    js = seed("kontakt_laege.json")
    strip = lambda p: dataclasses.replace(p, line=None)  # noqa: E731
    assert [strip(p) for p in text.purposes] == [strip(p) for p in js.purposes]
    assert text.controller == js.controller
    assert text.retention_rules == js.retention_rules
    assert text.rights_frame().equals(js.rights_frame())
    assert [(f.code, f.purpose_id, f.field, f.message) for f in text.validate()] == [
        (f.code, f.purpose_id, f.field, f.message) for f in js.validate()
    ]
    a, b = text.to_frame().drop(columns="line"), js.to_frame().drop(columns="line")
    assert a.equals(b)


def test_kontakt_laege_processors(seed) -> None:
    p = seed("kontakt_laege.textproto")
    processors = sorted({name for x in p.purposes for name in x.processors})
    assert len(processors) == 3
    assert "Lægernes IT-leverandører" in processors[0]
    assert "PLSP A/S" in processors[1]
    assert "Trifork Public A/S" in processors[2]


# -- 002 MedCom ----------------------------------------------------------------


def test_medcom_balancing_test_and_consent_for_children(seed) -> None:
    p = seed("medcom.textproto")
    comm = p.purpose("communication-knowledge-sharing")
    assert comm.basis == ("A6-1-f",)
    assert "helhedsvurdering" in comm.legitimate_interest.assessment
    assert len(comm.legitimate_interest.safeguards) == 6
    assert "børn" in comm.legitimate_interest.safeguards[-1]
    consent = p.purpose("communication-with-consent")
    # Issue #10, item 4: "skal samtykke anvendes til behandlingsgrundlag" is
    # read as the cluster guide's "samtykke": Art. 6(1)(a) with Art. 9(2)(a)
    # where health data are involved (examples/policies/README.md).
    assert consent.basis == ("A6-1-a", "A9-2-a")
    assert p.purpose("communication-with-consent").basis[1:] == seed(
        "klyngeguide.textproto"
    ).purpose("patient-level-with-consent").basis[1:]
    assert "børn" in consent.data_subjects
    assert "A7-3" in p.rights(consent.id)
    assert "A21" not in p.rights(consent.id)
    flagged = {
        f.purpose_id for f in p.validate() if f.code == "legitimate-interest-without-balancing-test"
    }
    assert comm.id not in flagged
    assert len(flagged) == 4


def test_medcom_recruitment_retention_and_statistics(seed) -> None:
    p = seed("medcom.textproto")
    rejected = p.retention_rule("rejected-applicants-3-months")
    unsolicited = p.retention_rule("unsolicited-14-days")
    assert (rejected.period, rejected.anchor) == ("P3M", "application_rejected")
    assert (unsolicited.period, unsolicited.anchor) == ("P14D", "")
    assert p.purpose("recruitment").retention == rejected.id
    assert p.purpose("unsolicited-applications").retention == unsolicited.id
    stats = "activity-information-statistics"
    assert stats in [x.id for x in p.purposes_using("professional.provider_number")]
    assert stats in [x.id for x in p.purposes_using("professional.location_number")]


def test_medcom_declared_paragraph_grounds_nothing(seed) -> None:
    p = seed("medcom.textproto")
    assert p.basis_effects("DK-DBL-12") == ()
    assert "§ 12" in p.basis_title("DK-DBL-12")
    # Issue #10, item 3, section 3: "Retsgrundlaget herfor er hhv. ... litra b
    # og f": one basis per use, in the order the uses are listed.
    assert p.purpose("recruitment").basis == ("A6-1-b", "DK-DBL-12")
    assert p.purpose("external-consultant-contracts").basis == ("A6-1-f", "DK-DBL-12")
    assert "A21" not in p.rights("recruitment")
    stats = p.purpose("activity-information-statistics")
    assert [r.kind for r in stats.recipients] == ["public"]
    erasure = {a.code: a for a in p.rights_detail(stats.id)}["A17"]
    assert "Art. 17(2)" in erasure.reason
    titles = p.to_frame().set_index("id").loc["recruitment", "basis_titles"]
    assert titles[1] == p.basis_title("DK-DBL-12")


# -- 003 Practio ---------------------------------------------------------------


def test_practio_patient_record_has_no_erasure(seed) -> None:
    p = seed("practio.textproto")
    record = p.purpose("patient-record")
    assert record.basis == ("A6-1-c", "DK-BEK-530-2018", "DK-DBL-11-2-1", "A9-2-h", "A9-3")
    assert "legal_obligation" in p.basis_effects("DK-BEK-530-2018")
    rights = p.rights("patient-record")
    assert "A17" not in rights
    assert "A16" in rights  # corrections, kept with their history
    assert "A20" not in rights
    erasure = {a.code: a for a in p.rights_detail("patient-record")}["A17"]
    assert not erasure.applies and "Art. 17(3)" in erasure.reason
    assert not p.rights_frame().loc["patient-record", "A17"]


def test_practio_consent_public_task_and_legitimate_interest(seed) -> None:
    p = seed("practio.textproto")
    research = p.rights("research-contact")
    assert {"A7-3", "A20", "A17"} <= set(research) and "A21" not in research
    antigen = {a.code: a for a in p.rights_detail("antigen-test")}
    assert antigen["A21"].applies and not antigen["A20"].applies
    assert not antigen["A17"].applies and "Art. 17(3)(c)" in antigen["A17"].reason
    for pid in ("website-security-logs", "legal-claims", "direct-contact", "former-employees"):
        assert "A21" in p.rights(pid) and "A20" not in p.rights(pid), pid


def test_practio_criminal_record_and_cpr(seed) -> None:
    # 3.10: "Retsgrundlaget for vores indhentning af dine særlige persondata,
    # herunder straffeoplysninger, [...] er dit udtrykkelige samtykke afgivet
    # på indhentningstidspunktet (databeskyttelsesloven §8.3)": explicit
    # consent under DBL § 8, stk. 3, 1. pkt. is consent (issue #10, item 2).
    p = seed("practio.textproto")
    assert [x.id for x in p.purposes_using("criminal.record_extract")] == [
        "recruitment-criminal-record"
    ]
    assert p.purpose("recruitment-criminal-record").basis == ("A6-1-a", "DK-DBL-8-3-1")
    assert p.purpose("recruitment").basis == ("A6-1-b",)
    withdraw = {a.code: a for a in p.rights_detail("recruitment-criminal-record")}["A7-3"]
    assert withdraw.applies and "Art. 7(3)" in withdraw.reason
    assert "consent" in p.basis_effects("DK-DBL-8-3-1")
    assert "consent" not in p.basis_effects("DK-DBL-8-3-2")
    assert [x.id for x in p.purposes_using("identity.cpr")] == ["patient-record", "employment"]
    frame = p.to_frame().set_index("id")
    assert frame.loc["recruitment-criminal-record", "criminal_data"]
    assert frame.loc["employment", "national_id"]
    errors = {(f.code, f.purpose_id) for f in p.validate() if f.severity == "error"}
    assert errors == {
        ("special-category-without-condition", "anonymisation-for-research-and-statistics"),
        ("cpr-without-dbl-11", "employment"),
    }


def test_practio_legal_claims_exclude_erasure_whatever_the_basis(seed) -> None:
    # 06: "Yderligere forbeholder Practio sig retten til altid at behandle dine
    # personoplysninger i forbindelse med at retskrav kan fastlægges, gøres
    # gældende eller forsvares." Art. 17(3)(e) does not depend on Art. 9
    # (issue #10, item 1).
    p = seed("practio.textproto")
    claims = p.purpose("legal-claims")
    assert claims.basis == ("A6-1-f",)
    assert claims.erasure_exceptions == ("legal_claims",)
    erasure = {a.code: a for a in p.rights_detail("legal-claims")}["A17"]
    assert not erasure.applies and "Art. 17(3)(e)" in erasure.reason


def test_practio_newsletter_is_direct_marketing(seed) -> None:
    # 3.4: "anvender vi din kontaktdata til at sende dig nyhedsbrevet eller
    # information om vores ydelser": direct marketing, which may always be
    # objected to (Art. 21(2)-(3); issue #10, item 7), although it rests on
    # consent.
    p = seed("practio.textproto")
    assert p.purpose("newsletter").direct_marketing
    rights = {a.code: a for a in p.rights_detail("newsletter")}
    assert rights["A21"].applies and "Art. 21(2)-(3)" in rights["A21"].reason
    assert rights["A7-3"].applies


def test_practio_retention_and_health_staff(seed) -> None:
    p = seed("practio.textproto")
    record_rule = p.retention_rule("patient-record-and-treatment-contact-10-years")
    assert (record_rule.period, record_rule.anchor, record_rule.action) == (
        "P10Y",
        "last_entry",
        "retain_then_delete",
    )
    research = p.retention_rule("research-contact-10-years-or-withdrawal")
    assert [e.event for e in research.ends_early] == ["consent_withdrawn"]
    assert p.purpose("website-security-logs").retention == "server-logs-2-months"
    assert [x.id for x in p.visible_purposes(team="health-professionals", role="delegate")] == [
        "vaccination-and-antibody-test",
        "patient-record",
        "antigen-test",
        "negative-result-notification",
    ]


# -- 004 Cluster data guide ----------------------------------------------------


def test_cluster_guide_sundhedsloven_42d_is_a_condition_only(seed) -> None:
    p = seed("klyngeguide.textproto")
    assert p.basis_effects("DK-SUL-42d") == ("special_condition",)
    disclosure = p.purpose("identifiable-disclosure-sul-42d")
    assert disclosure.basis == ("DK-SUL-42d",)
    codes = sorted(f.code for f in p.validate() if f.purpose_id == disclosure.id)
    assert codes == ["missing-art6-basis", "missing-retention"]


def test_cluster_guide_provider_statistics(seed) -> None:
    p = seed("klyngeguide.textproto")
    stats = p.category("professional.patient_population_statistics")
    assert not (stats.special or stats.criminal or stats.national_id)
    purpose = p.purpose("provider-level-statistics")
    assert "Mindst fem registreringer pr. celle" in purpose.description
    assert purpose.basis == ()
    assert p.may_access(purpose.id, team="cluster-coordinator")
    assert not p.may_access("practice-aggregation", team="cluster-coordinator")


def test_cluster_guide_42d_disclosures_reach_coordinator_and_members(seed) -> None:
    # Issue #10, item 5: "videregive elektroniske helbredsdata til en
    # klyngekoordinator eller et andet klyngemedlem".
    p = seed("klyngeguide.textproto")
    for team in ("cluster-coordinator", "cluster-members"):
        assert p.may_access("identifiable-disclosure-sul-42d", team=team)
    assert not p.may_access("identifiable-disclosure-sul-42d", team="practice-staff")


def test_cluster_guide_consent_can_be_withdrawn(seed) -> None:
    p = seed("klyngeguide.textproto")
    consent = p.purpose("patient-level-with-consent")
    assert "bevise" in consent.consent.record
    assert consent.consent.withdrawal == ""
    assert "A7-3" in p.rights(consent.id)
    assert ("warning", "consent-without-mechanism") in {
        (f.severity, f.code) for f in p.validate() if f.purpose_id == consent.id
    }
