"""gdprkit.requests: deadlines, the request register, decisions, erasure and
access reports (gdprkit/requests.h through the Python door)."""

import datetime as dt
import json
import os
import sqlite3

import numpy as np
import pandas as pd
import pytest

import gdprkit
from gdprkit import requests as rq
from gdprkit.requests import RequestRegister, SubjectPurpose

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "policies")
SUBJECT = "tk_abcdefghijklmnopqrstuvwxyz234567"
OTHER = "ps1_abcdefghijklmnopqrstuvwxya"
CPR = "010180-1004"


def policy(name):
    return gdprkit.Policy.load(os.path.join(EXAMPLES, name))


@pytest.fixture
def medcom():
    return policy("medcom.textproto")


@pytest.fixture
def practio():
    return policy("practio.textproto")


@pytest.fixture
def reg(tmp_path, medcom):
    r = RequestRegister.create(tmp_path / "register.db", policy=medcom)
    yield r
    r.close()


def receive(reg, id="case-1", received="2026-01-31", subject=SUBJECT, kind="erasure"):
    return reg.receive(kind, subject, received=received, channel="email", recorded_by="hr",
                       purposes=["recruitment"], id=id)


# ---- deadline -------------------------------------------------------------


def test_deadline_text_month_end():
    assert rq.deadline("2026-01-31") == "2026-02-28"
    assert rq.deadline("2028-01-31") == "2028-02-29"
    assert rq.deadline("2026-03-15") == "2026-04-15"


def test_deadline_extended_is_three_months_from_receipt():
    assert rq.deadline("2026-01-31", extended=True) == "2026-04-30"
    # not the first deadline + 2 months
    assert gdprkit.add_period("2026-02-28", "P2M") == "2026-04-28"


def test_deadline_keeps_the_shape():
    assert rq.deadline(dt.date(2026, 1, 31)) == dt.date(2026, 2, 28)
    assert rq.deadline(pd.Timestamp("2026-01-31")) == pd.Timestamp("2026-02-28")
    assert rq.deadline(np.datetime64("2026-01-31")) == np.datetime64("2026-02-28")
    s = pd.Series(pd.to_datetime(["2026-01-31", None, "2026-11-30"]), index=[7, 8, 9],
                  name="received")
    out = rq.deadline(s, extended=True)
    assert isinstance(out, pd.Series)
    assert list(out.index) == [7, 8, 9]
    assert out.name == "received"
    assert out[7] == pd.Timestamp("2026-04-30")
    assert pd.isna(out[8])
    assert out[9] == pd.Timestamp("2027-02-28")
    arr = rq.deadline(["2026-01-31", "2026-05-31"])
    assert list(arr) == [np.datetime64("2026-02-28"), np.datetime64("2026-06-30")]


def test_deadline_errors():
    with pytest.raises(gdprkit.InvalidArgumentError):
        rq.deadline("2026-02-30")
    with pytest.raises(gdprkit.ArgumentTypeError):
        rq.deadline(20260131)
    with pytest.raises(gdprkit.ArgumentTypeError):
        rq.deadline("2026-01-31", extended="yes")


def test_vocabulary_from_the_core():
    assert rq.KINDS == ("access", "rectification", "erasure", "restriction", "portability",
                        "objection", "withdrawal")
    assert rq.STATUSES == ("open", "answered", "refused", "cancelled")
    assert "not_applicable" in rq.ACTIONS
    assert rq.kind_title("erasure", lang="da") == "Anmodning om sletning (art. 17)"
    with pytest.raises(gdprkit.InvalidArgumentError, match='did you mean "erasure"'):
        rq.kind_title("erasur")


# ---- the register ---------------------------------------------------------


def test_receive_gives_the_deadline(reg):
    r = receive(reg)
    assert r.id == "case-1"
    assert r.kind == "erasure"
    assert r.received == dt.date(2026, 1, 31)
    assert r.due == dt.date(2026, 2, 28)
    assert r.status == "open" and r.open
    assert r.identity == "not_checked"
    assert r.subject == SUBJECT
    assert r.purposes == ("recruitment",)
    assert SUBJECT not in repr(r)
    assert oct(os.stat(reg.path).st_mode & 0o777) == "0o600"


def test_receive_assigns_ids(reg):
    a = reg.receive("access", SUBJECT, received="2026-01-02", channel="web", recorded_by="x")
    b = reg.receive("access", SUBJECT, received="2026-01-02", channel="web", recorded_by="x")
    assert a.id.startswith("rq_") and len(a.id) == 19
    assert a.id != b.id
    assert a.purposes == ()


def test_receive_errors(reg):
    receive(reg)
    with pytest.raises(gdprkit.AlreadyExistsError):
        receive(reg)
    with pytest.raises(gdprkit.InvalidArgumentError, match="subject") as e:
        receive(reg, id="case-2", subject=CPR)
    assert CPR not in str(e.value) and "0101801004" not in str(e.value)
    with pytest.raises(gdprkit.NotFoundError, match="recruitment"):
        reg.receive("erasure", SUBJECT, received="2026-01-31", channel="email",
                    recorded_by="hr", purposes=["recruitmnt"])
    with pytest.raises(gdprkit.InvalidArgumentError, match="kind"):
        reg.receive("erase", SUBJECT, received="2026-01-31", channel="email", recorded_by="hr")
    with pytest.raises(gdprkit.InvalidArgumentError, match="channel"):
        reg.receive("access", SUBJECT, received="2026-01-31", channel="", recorded_by="hr")
    with pytest.raises(gdprkit.InvalidArgumentError, match="received"):
        reg.receive("access", SUBJECT, received="2026-13-01", channel="x", recorded_by="hr")


def test_identity_check(reg):
    receive(reg)
    r = reg.check_identity("case-1", verified=True, method="MitID", on="2026-02-01",
                           recorded_by="hr")
    assert r.identity == "verified" and r.identity_method == "MitID"
    with pytest.raises(gdprkit.InvalidArgumentError, match="before the request was received"):
        reg.check_identity("case-1", verified=False, method="letter", on="2026-01-30",
                           recorded_by="hr")


def test_extend_once_before_the_first_deadline(reg):
    receive(reg)
    r = reg.extend("case-1", reason="records in three systems", on="2026-02-20",
                   recorded_by="dpo")
    assert r.extended and r.due == dt.date(2026, 4, 30)
    assert r.extension_reason == "records in three systems"
    assert "three systems" not in repr(r)
    with pytest.raises(gdprkit.FailedPreconditionError, match="once"):
        reg.extend("case-1", reason="again", on="2026-02-21", recorded_by="dpo")
    receive(reg, id="case-2")
    with pytest.raises(gdprkit.FailedPreconditionError, match="2026-02-28"):
        reg.extend("case-2", reason="late", on="2026-03-01", recorded_by="dpo")
    with pytest.raises(gdprkit.InvalidArgumentError, match="reason"):
        reg.extend("case-2", reason="", on="2026-02-01", recorded_by="dpo")


def test_answer_refuse_cancel(reg):
    receive(reg, id="a")
    receive(reg, id="b")
    receive(reg, id="c")
    a = reg.answer("a", on="2026-02-10", recorded_by="hr", outcome="erased")
    assert a.status == "answered" and a.closed_on == dt.date(2026, 2, 10)
    b = reg.refuse("b", reason="identity not verified", on="2026-02-11", recorded_by="dpo")
    assert b.status == "refused" and b.outcome == "identity not verified"
    c = reg.cancel("c", on="2026-02-12", recorded_by="hr")
    assert c.status == "cancelled"
    with pytest.raises(gdprkit.FailedPreconditionError, match="closed"):
        reg.cancel("a", on="2026-02-13", recorded_by="hr")
    with pytest.raises(gdprkit.FailedPreconditionError):
        reg.extend("b", reason="x", on="2026-02-13", recorded_by="hr")


def test_refuse_needs_its_reason(reg):
    receive(reg)
    with pytest.raises(gdprkit.InvalidArgumentError, match="outcome"):
        reg.refuse("case-1", reason="", on="2026-02-10", recorded_by="dpo")


def test_get_unknown_suggests(reg):
    receive(reg, id="case-17")
    with pytest.raises(gdprkit.NotFoundError, match="case-17"):
        reg.get("case-71")
    assert reg.get("case-17").id == "case-17"


def test_list_and_overdue_frames(reg):
    receive(reg, id="a", received="2026-01-05")
    receive(reg, id="b", received="2026-01-02")
    receive(reg, id="c", received="2026-02-20")
    receive(reg, id="d", received="2026-01-01")
    reg.answer("d", on="2026-01-03", recorded_by="x")
    frame = reg.list()
    assert list(frame["id"]) == ["d", "b", "a", "c"]
    assert "subject" not in frame.columns
    assert frame["due"].iloc[0] == pd.Timestamp("2026-02-01")
    over = reg.overdue("2026-02-06")
    assert list(over["id"]) == ["b", "a"]
    assert list(reg.overdue("2026-02-05")["id"]) == ["b"]
    assert list(reg.overdue(dt.date(2026, 2, 6), include_subject=True)["subject"]) == [SUBJECT] * 2
    assert len(reg.requests()) == 4


def test_trail(reg):
    receive(reg)
    reg.check_identity("case-1", verified=True, method="MitID", on="2026-02-01", recorded_by="hr")
    reg.answer("case-1", on="2026-02-02", recorded_by="hr", outcome="done\nby post")
    receive(reg, id="case-2", subject=OTHER)
    events = reg.events("case-1")
    assert [e.event for e in events] == ["received", "identity_verified", "answered"]
    assert events[2].detail == "done\nby post"
    assert "done" not in repr(events[2])
    assert len(events[0].hash) == 64
    assert events[1].on == dt.date(2026, 2, 1)
    frame = reg.trail()
    assert len(frame) == 4
    assert "detail" not in frame.columns
    with pytest.raises(gdprkit.NotFoundError):
        reg.trail("nope")


def test_reopen_rebuilds_the_state(tmp_path, medcom):
    path = tmp_path / "r.db"
    with RequestRegister.create(path, policy=medcom) as reg:
        receive(reg)
        reg.extend("case-1", reason="backlog", on="2026-02-01", recorded_by="dpo")
        rid = reg.register_id
    with RequestRegister.open(path, policy=medcom) as again:
        r = again.get("case-1")
        assert r.extended and r.due == dt.date(2026, 4, 30)
        assert again.register_id == rid
        v = again.verify()
        assert v.intact and bool(v) and v.entries == 2 and v.first_broken_entry == -1
        assert "r.db" in repr(again) and "requests=1" in repr(again)


def test_create_refuses_an_existing_file(tmp_path, medcom):
    path = tmp_path / "r.db"
    RequestRegister.create(path, policy=medcom).close()
    with pytest.raises(gdprkit.AlreadyExistsError):
        RequestRegister.create(path, policy=medcom)
    with pytest.raises(gdprkit.NotFoundError):
        RequestRegister.open(tmp_path / "missing.db", policy=medcom)


def _tampered(tmp_path, medcom, sql):
    path = tmp_path / "t.db"
    with RequestRegister.create(path, policy=medcom) as reg:
        receive(reg, id="a")
        reg.extend("a", reason="backlog", on="2026-02-01", recorded_by="dpo")
        receive(reg, id="b", subject=OTHER)
        reg.answer("a", on="2026-02-10", recorded_by="x")
        head = reg.verify().head
    db = sqlite3.connect(path)
    db.executescript(sql)
    db.commit()
    db.close()
    return path, head


@pytest.mark.parametrize("sql,seq", [
    ("UPDATE entries SET body = replace(body, '2026-02-01', '2026-02-02') WHERE seq = 2", 2),
    ("DELETE FROM entries WHERE seq = 2", 2),
    ("UPDATE entries SET seq = 100 WHERE seq = 2; UPDATE entries SET seq = 2 WHERE seq = 3;"
     "UPDATE entries SET seq = 3 WHERE seq = 100", 2),
    (f"UPDATE entries SET subject = '{OTHER}' WHERE seq = 1", 1),
    ("UPDATE entries SET kind = 'refused' WHERE seq = 4", 4),
])
def test_tampering_is_detected(tmp_path, medcom, sql, seq):
    path, _ = _tampered(tmp_path, medcom, sql)
    with pytest.raises(gdprkit.DataLossError, match=f"entry {seq}"):
        RequestRegister.open(path, policy=medcom)


def test_truncation_found_with_the_head(tmp_path, medcom):
    path, head = _tampered(tmp_path, medcom, "DELETE FROM entries WHERE seq = 4")
    with RequestRegister.open(path, policy=medcom) as reg:
        v = reg.verify(head)
        assert not v.intact and not v


def test_keyed_register(tmp_path, medcom):
    path = tmp_path / "k.db"
    key = b"0123456789abcdef0123"
    with RequestRegister.create(path, policy=medcom, key=key) as reg:
        receive(reg)
        assert reg.verify().keyed
    with pytest.raises(gdprkit.FailedPreconditionError):
        RequestRegister.open(path, policy=medcom)
    with pytest.raises(gdprkit.FailedPreconditionError):
        RequestRegister.open(path, policy=medcom, key=b"another key of 20 by")
    with pytest.raises(gdprkit.ArgumentTypeError):
        RequestRegister.open(path, policy=medcom, key="text")
    with RequestRegister.open(path, policy=medcom, key=key) as reg:
        assert reg.get("case-1").due == dt.date(2026, 2, 28)


def test_erase_subject(tmp_path, medcom):
    path = tmp_path / "e.db"
    with RequestRegister.create(path, policy=medcom) as reg:
        receive(reg)
        reg.extend("case-1", reason="a reason naming Jens", on="2026-02-01", recorded_by="dpo")
        receive(reg, id="case-2", subject=OTHER)
        assert reg.erase_subject(SUBJECT, recorded_by="dpo") == 2
        r = reg.get("case-1")
        assert r.subject == "" and r.extension_reason == "" and r.extended
        assert reg.get("case-2").subject == OTHER
        assert reg.events("case-1")[-1].event == "erased"
        assert reg.verify().intact
    data = open(path, "rb").read()
    assert SUBJECT.encode() not in data and b"Jens" not in data


def test_closed_register(tmp_path, medcom):
    reg = RequestRegister.create(tmp_path / "c.db", policy=medcom)
    reg.close()
    assert "closed=True" in repr(reg)
    with pytest.raises(gdprkit.FailedPreconditionError):
        reg.get("x")


# ---- decisions -------------------------------------------------------------


def test_medcom_rejected_applicant_erasure_decided_with_its_deadline(reg, medcom):
    r = reg.receive("erasure", SUBJECT, received="2026-01-31", channel="email", recorded_by="hr",
                    purposes=["recruitment"])
    assert r.due == dt.date(2026, 2, 28)
    d = rq.decide(medcom, "erasure",
                  [SubjectPurpose("recruitment", {"application_rejected": "2026-01-20"})],
                  on="2026-02-02")
    assert d.kind == "erasure" and d.on == dt.date(2026, 2, 2)
    (p,) = d.purposes
    assert p.action == "erase" and p.right == "A17"
    assert "Art. 17(1)" in p.reason
    assert p.retention_rule == "rejected-applicants-3-months"
    reg.answer(r.id, on="2026-02-03", recorded_by="hr", outcome="erased")
    assert len(reg.overdue("2026-03-31")) == 0


def test_practio_patient_record_kept_ten_years(practio):
    d = rq.decide(practio, "erasure",
                  [{"purpose": "patient-record", "dates": {"last_entry": dt.date(2024, 3, 15)}},
                   "newsletter"], on=dt.date(2026, 2, 1))
    assert d.actions() == {"patient-record": "keep", "newsletter": "erase"}
    kept = d.purposes[0]
    assert kept.keep_until == dt.date(2034, 3, 15)
    assert "Art. 17(3)(b)" in kept.reason
    frame = d.frame()
    assert list(frame.columns) == ["purpose", "action", "right", "keep_until", "retention_rule",
                                   "reason"]
    assert frame["keep_until"].iloc[0] == pd.Timestamp("2034-03-15")
    assert pd.isna(frame["keep_until"].iloc[1])
    assert "patient-record" in d._repr_html_()


def test_hold_keeps(medcom):
    d = rq.decide(medcom, "erasure", [SubjectPurpose("recruitment", on_hold=True)],
                  on="2026-02-02")
    assert d.purposes[0].action == "keep" and "hold" in d.purposes[0].reason


def test_other_kinds(practio):
    ps = ["research-contact", "patient-record", "website-security-logs"]
    assert set(rq.decide(practio, "access", ps, on="2026-02-01").actions().values()) == {"provide"}
    w = rq.decide(practio, "withdrawal", ps, on="2026-02-01").actions()
    assert w["research-contact"] == "stop" and w["patient-record"] == "not_applicable"
    o = rq.decide(practio, "objection", ps, on="2026-02-01").actions()
    assert o["website-security-logs"] == "stop"
    assert rq.decide(practio, "portability", ps, on="2026-02-01").actions()["research-contact"] \
        == "export"


def test_kontakt_laege_portability():
    d = rq.decide(policy("kontakt_laege.textproto"), "portability",
                  ["troubleshooting-and-improvement", "fetch-from-other-controllers"],
                  on="2026-02-01")
    assert [p.action for p in d.purposes] == ["not_applicable", "not_applicable"]
    assert "Art. 20(1)(a)" in d.purposes[0].reason


def test_decide_errors(practio):
    with pytest.raises(gdprkit.NotFoundError, match="patient-record"):
        rq.decide(practio, "erasure", ["patient-recrd"], on="2026-02-01")
    with pytest.raises(gdprkit.InvalidArgumentError, match="last_entry"):
        rq.decide(practio, "erasure",
                  [SubjectPurpose("patient-record", {"last_entyr": "2024-01-01"})],
                  on="2026-02-01")
    with pytest.raises(gdprkit.InvalidArgumentError):
        rq.decide(practio, "erase", ["newsletter"], on="2026-02-01")
    with pytest.raises(gdprkit.ArgumentTypeError):
        rq.decide(practio, "erasure", [42], on="2026-02-01")


# ---- erasure and access ---------------------------------------------------


@pytest.fixture
def vault(tmp_path):
    v = gdprkit.Vault.create(tmp_path / "vault.db", passphrase="pw", kdf="tests_only",
                             actor="pytest")
    v.create_domain("applicants")
    v.create_domain("other")
    yield v
    v.close()


def test_carry_out_erasure_with_the_vault(vault, medcom):
    token = vault.tokenise(CPR, domain="applicants")
    vault.tokenise(CPR, domain="other")
    d = rq.decide(medcom, "erasure", ["recruitment"], on="2026-02-02")
    out = rq.carry_out_erasure(d, vault=vault, identifier=CPR, recorded_by="hr")
    assert out.vault_tokens_erased == 2
    assert [p.purpose for p in out.caller_must_delete] == ["recruitment"]
    assert out.kept == ()
    assert vault.tokenise(CPR, domain="applicants") != token


def test_carry_out_erasure_refuses_the_vault_while_data_are_kept(vault, practio):
    d = rq.decide(practio, "erasure",
                  [SubjectPurpose("patient-record", {"last_entry": "2025-05-01"}), "newsletter"],
                  on="2026-02-02")
    with pytest.raises(gdprkit.FailedPreconditionError, match="patient-record") as e:
        rq.carry_out_erasure(d, vault=vault, identifier=CPR, recorded_by="dpo")
    assert "010180" not in str(e.value)
    out = rq.carry_out_erasure(d, recorded_by="dpo")
    assert [p.purpose for p in out.kept] == ["patient-record"]
    assert out.kept[0].keep_until == dt.date(2035, 5, 1)


def test_carry_out_erasure_only_for_erasure(medcom):
    d = rq.decide(medcom, "access", ["recruitment"], on="2026-02-02")
    with pytest.raises(gdprkit.FailedPreconditionError, match="erasure"):
        rq.carry_out_erasure(d, recorded_by="dpo")
    with pytest.raises(gdprkit.ArgumentTypeError):
        rq.carry_out_erasure("decision", recorded_by="dpo")
    with pytest.raises(gdprkit.ArgumentTypeError):
        rq.carry_out_erasure(d, recorded_by="dpo", ledger=object())


def test_access_report_json(reg):
    receive(reg, id="case-7", kind="access")
    reg.answer("case-7", on="2026-02-10", recorded_by="dpo", outcome='sent "copy"\nby post')
    receive(reg, id="case-8", subject=OTHER)
    report = json.loads(rq.access_report(SUBJECT, requests=reg))
    assert report["format"] == "gdprkit-access-report-v1"
    assert report["subject"] == SUBJECT
    assert "consent" not in report
    (r,) = report["requests"]
    assert r["id"] == "case-7" and r["kind"] == "access" and r["due"] == "2026-02-28"
    assert r["outcome"] == 'sent "copy"\nby post'
    assert [e["event"] for e in r["trail"]] == ["received", "answered"]
    assert r["trail"][1]["on"] == "2026-02-10"


def test_access_report_errors(reg):
    with pytest.raises(gdprkit.InvalidArgumentError, match="subject"):
        rq.access_report(CPR, requests=reg)
    with pytest.raises(gdprkit.InvalidArgumentError):
        rq.access_report(SUBJECT)
    with pytest.raises(gdprkit.ArgumentTypeError):
        rq.access_report(SUBJECT, requests="register.db")


# ---- with the consent ledger ----------------------------------------------


@pytest.fixture
def ledger(tmp_path, practio):
    led = gdprkit.ConsentLedger.create(tmp_path / "ledger.db", policy=practio)
    led.record(SUBJECT, "research-contact", "given", at="2026-01-05T10:00:00+01:00",
               notice_version="v3", notice_text="Vi kontakter dig om forskning ...",
               channel="web", recorded_by="site", evidence='form "17"')
    yield led
    led.close()


def test_access_report_with_the_ledger(tmp_path, practio, ledger):
    with RequestRegister.create(tmp_path / "r.db", policy=practio) as reg:
        reg.receive("access", SUBJECT, received="2026-01-31", channel="letter",
                    recorded_by="desk", id="case-1")
        report = json.loads(rq.access_report(SUBJECT, ledger=ledger, requests=reg))
    (c,) = report["consent"]
    assert c["purpose"] == "research-contact" and c["state"] == "given"
    assert c["dpv"] == "dpv:ConsentGiven"
    assert c["notice_version"] == "v3" and c["notice_digest"].startswith("blake2b-256:")
    assert c["evidence"] == 'form "17"'
    assert c["at"] == "2026-01-05T09:00:00Z"
    assert report["requests"][0]["due"] == "2026-02-28"


def test_practio_research_contact_erasure_with_the_ledger(practio, ledger):
    d = rq.decide(practio, "erasure",
                  [SubjectPurpose("patient-record", {"last_entry": "2025-05-01"}),
                   "research-contact"], on="2026-02-02")
    assert d.actions() == {"patient-record": "keep", "research-contact": "erase"}
    out = rq.carry_out_erasure(d, ledger=ledger, subject=SUBJECT, recorded_by="dpo")
    assert out.consent_entries_erased == 1
    assert list(ledger.states([SUBJECT], purpose="research-contact", on="2026-02-03")) == ["none"]
    assert ledger.verify().intact
