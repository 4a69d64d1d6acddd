"""gdprkit.ConsentLedger: recording, states as of dates, withdrawals read by
the sweep, tampering, receipts, erasure, errors and safe displays."""

from __future__ import annotations

import datetime as dt
import json
import os
import pathlib
import sqlite3
import stat

import numpy as np
import pandas as pd
import pytest

import gdprkit
from gdprkit import consent

ROOT = pathlib.Path(__file__).resolve().parents[2]
PRACTIO = ROOT / "examples" / "policies" / "practio.textproto"
NOTICE = "Du kan blive kontaktet af forskere (version 3)."
KEY = b"k" * 32
UTC = dt.timezone.utc


def tk(i: int) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz234567"
    return "tk_" + "".join(alphabet[(i * 7 + k * 13 + (i >> 5) * k) % 32] for k in range(32))


@pytest.fixture(scope="module")
def policy() -> gdprkit.Policy:
    return gdprkit.Policy.load(PRACTIO)


@pytest.fixture
def ledger(tmp_path: pathlib.Path, policy: gdprkit.Policy) -> consent.ConsentLedger:
    with gdprkit.ConsentLedger.create(tmp_path / "consent.db", policy=policy, sync=False) as led:
        yield led


def give(led: consent.ConsentLedger, subject: str, state: str = "given",
         at: object = "2026-01-10T10:00:00Z", **kw: object) -> consent.ConsentEntry:
    purpose = kw.pop("purpose", "research-contact")
    args: dict = dict(at=at, notice_version="v3", notice_text=NOTICE, channel="web",
                      recorded_by="system:booking", evidence="form-4711")
    args.update(kw)
    e = led.record(subject, purpose, state, **args)
    assert isinstance(e, consent.ConsentEntry)
    return e


def test_states_vocabulary() -> None:
    assert consent.STATES == ("none", "given", "refused", "withdrawn", "expired")
    assert consent.state_info("withdrawn") == ("dpv:ConsentWithdrawn", "consent withdrawn")
    assert consent.state_info("given", "da")[1] == "samtykke givet"
    with pytest.raises(gdprkit.InvalidArgumentError, match="did you mean"):
        consent.state_info("givne")


def test_notice_digest() -> None:
    d = consent.notice_digest(NOTICE)
    assert d.startswith("blake2b-256:") and len(d) == 12 + 64
    assert d != consent.notice_digest(NOTICE + " ")


def test_create_file_mode_and_repr(tmp_path: pathlib.Path, policy: gdprkit.Policy) -> None:
    path = tmp_path / "c.db"
    led = gdprkit.ConsentLedger.create(path, policy=policy, sync=False)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    give(led, tk(1))
    r = repr(led)
    assert "c.db" in r and "entries=1" in r and "keyed=False" in r
    assert tk(1) not in r and str(tmp_path) not in r
    led.close()
    assert "closed" in repr(led)
    with pytest.raises(gdprkit.FailedPreconditionError):
        _ = led.entries


def test_create_refuses_existing(tmp_path: pathlib.Path, policy: gdprkit.Policy) -> None:
    path = tmp_path / "c.db"
    gdprkit.ConsentLedger.create(path, policy=policy).close()
    with pytest.raises(gdprkit.AlreadyExistsError):
        gdprkit.ConsentLedger.create(path, policy=policy)


def test_open_missing(tmp_path: pathlib.Path, policy: gdprkit.Policy) -> None:
    with pytest.raises(gdprkit.NotFoundError):
        gdprkit.ConsentLedger.open(tmp_path / "none.db", policy=policy)


def test_policy_by_path(tmp_path: pathlib.Path) -> None:
    with gdprkit.ConsentLedger.create(tmp_path / "c.db", policy=str(PRACTIO)) as led:
        give(led, tk(1))
        assert led.entries == 1


def test_record_one_returns_entry(ledger: consent.ConsentLedger) -> None:
    e = give(ledger, tk(1))
    assert e.seq == 1 and e.state == "given" and e.purpose == "research-contact"
    assert e.at == dt.datetime(2026, 1, 10, 10, tzinfo=UTC)
    assert e.notice_digest == consent.notice_digest(NOTICE)
    assert ledger.notice(e.notice_digest) == NOTICE
    assert len(e.hash) == 64
    assert tk(1) not in repr(e) and "form-4711" not in repr(e)


def test_states_given_withdrawn_given_again(ledger: consent.ConsentLedger) -> None:
    a = tk(1)
    give(ledger, a, "given", "2026-01-10T10:00:00Z")
    give(ledger, a, "withdrawn", "2026-03-01T09:00:00Z")
    give(ledger, a, "given", "2026-05-01T09:00:00Z")
    on = {"2026-01-01": "none", "2026-02-01": "given", "2026-03-01": "withdrawn",
          "2026-06-01": "given"}
    for day, want in on.items():
        assert ledger.states([a], purpose="research-contact", on=day) == [want], day


def test_states_naive_time_is_copenhagen(ledger: consent.ConsentLedger) -> None:
    a = tk(1)
    give(ledger, a, "given", dt.datetime(2026, 1, 10, 10, 0))  # 09:00 UTC
    assert ledger.states([a], purpose="research-contact",
                         on=dt.datetime(2026, 1, 10, 9, 30, tzinfo=UTC)) == ["given"]
    assert ledger.states([a], purpose="research-contact",
                         on=dt.datetime(2026, 1, 10, 8, 59, tzinfo=UTC)) == ["none"]


def test_backdated_entries_count_by_time(ledger: consent.ConsentLedger) -> None:
    a = tk(1)
    give(ledger, a, "given", "2026-01-10T10:00:00Z")
    give(ledger, a, "given", "2026-04-01T10:00:00Z")
    give(ledger, a, "withdrawn", "2026-02-01T10:00:00Z")  # typed in late
    assert ledger.states([a], purpose="research-contact", on="2026-03-01") == ["withdrawn"]
    assert ledger.states([a], purpose="research-contact", on="2026-05-01") == ["given"]


def test_expiry(ledger: consent.ConsentLedger) -> None:
    a = tk(1)
    give(ledger, a, valid_until=dt.date(2026, 6, 30))
    assert ledger.states([a], purpose="research-contact", on=dt.date(2026, 6, 30)) == ["given"]
    assert ledger.states([a], purpose="research-contact", on=dt.date(2026, 7, 1)) == ["expired"]
    with pytest.raises(gdprkit.InvalidArgumentError, match="valid_until"):
        give(ledger, a, "withdrawn", valid_until="2026-12-01")


def test_bulk_columns_series_in_series_out(ledger: consent.ConsentLedger) -> None:
    n = 300
    subjects = pd.Series([tk(i) for i in range(n)], index=range(100, 100 + n))
    times = pd.Series(pd.to_datetime(["2026-01-10 10:00"] * n))  # naive: Copenhagen
    count = ledger.record(subjects, "research-contact", "given", at=times, notice_version="v3",
                          notice_text=NOTICE, channel="web", recorded_by="import")
    assert count == n
    states = ["withdrawn" if i % 3 == 0 else "given" for i in range(n)]
    ledger.record(subjects.to_numpy(), "research-contact", states,
                  at=np.full(n, int(dt.datetime(2026, 2, 1, tzinfo=UTC).timestamp())),
                  notice_version="v3", notice_digest=consent.notice_digest(NOTICE),
                  channel="web", recorded_by="import")
    query = pd.concat([subjects, pd.Series([tk(9999)], index=[7])])
    out = ledger.states(query, purpose="research-contact", on="2026-03-01")
    assert isinstance(out, pd.Series) and list(out.index) == list(query.index)
    assert out.name == "consent"
    assert out.iloc[-1] == "none"
    assert (out.iloc[:n].to_numpy() == np.array(states, dtype=object)).all()
    assert ledger.states(list(subjects[:2]), purpose="research-contact",
                         on="2026-01-01") == ["none", "none"]


def test_record_is_all_or_none(ledger: consent.ConsentLedger) -> None:
    with pytest.raises(gdprkit.InvalidArgumentError, match="record 1: subject") as e:
        ledger.record([tk(1), "0101701234"], "research-contact", "given",
                      at="2026-01-10T10:00:00Z", notice_version="v3", notice_text=NOTICE,
                      channel="web", recorded_by="x")
    assert "0101701234" not in str(e.value)
    assert ledger.entries == 0


def test_purpose_checks(ledger: consent.ConsentLedger) -> None:
    with pytest.raises(gdprkit.NotFoundError, match="research-contact"):
        give(ledger, tk(1), purpose="research-contakt")
    with pytest.raises(gdprkit.FailedPreconditionError, match="patient-record"):
        give(ledger, tk(1), purpose="patient-record")
    with pytest.raises(gdprkit.FailedPreconditionError):
        ledger.states([tk(1)], purpose="patient-record", on="2026-01-01")


def test_field_errors(ledger: consent.ConsentLedger) -> None:
    with pytest.raises(gdprkit.InvalidArgumentError, match="none"):
        give(ledger, tk(1), "none")
    with pytest.raises(gdprkit.InvalidArgumentError, match="unknown consent state"):
        give(ledger, tk(1), "gvien")
    with pytest.raises(gdprkit.InvalidArgumentError, match="channel"):
        give(ledger, tk(1), channel="")
    with pytest.raises(gdprkit.InvalidArgumentError, match="exactly one"):
        ledger.record(tk(1), "research-contact", "given", at="2026-01-01", notice_version="v",
                      channel="web", recorded_by="x")
    with pytest.raises(gdprkit.InvalidArgumentError, match="notice_digest"):
        ledger.record(tk(1), "research-contact", "given", at="2026-01-01", notice_version="v",
                      notice_digest="md5:x", channel="web", recorded_by="x")
    with pytest.raises(gdprkit.InvalidArgumentError, match="2 values for 3"):
        ledger.record([tk(1), tk(2), tk(3)], "research-contact", ["given", "given"],
                      at="2026-01-01", notice_version="v", notice_text=NOTICE, channel="web",
                      recorded_by="x")
    with pytest.raises(gdprkit.ArgumentTypeError):
        ledger.states(tk(1), purpose="research-contact", on="2026-01-01")
    with pytest.raises(gdprkit.ArgumentTypeError):
        gdprkit.ConsentLedger(object())


def test_states_subject_error_names_row(ledger: consent.ConsentLedger) -> None:
    with pytest.raises(gdprkit.InvalidArgumentError, match="subject 1") as e:
        ledger.states([tk(1), "Jens Hansen"], purpose="research-contact", on="2026-01-01")
    assert "Jens" not in str(e.value)


def test_pseudonym_subjects(ledger: consent.ConsentLedger) -> None:
    ps = "ps1_abcdefghijklmnopqrstuvwxya"
    give(ledger, ps)
    assert ledger.states([ps], purpose="research-contact", on="2026-02-01") == ["given"]


def test_withdrawals_frame(ledger: consent.ConsentLedger) -> None:
    give(ledger, tk(2), "given", "2026-01-10T10:00:00Z")
    give(ledger, tk(1), "given", "2026-01-10T10:00:00Z")
    give(ledger, tk(1), "withdrawn", "2026-02-03T23:30:00Z")  # 4 Feb in Copenhagen
    w = ledger.withdrawals(purpose="research-contact", on="2026-03-01")
    assert list(w.columns) == ["subject", "consent_withdrawn"]
    assert list(w["subject"]) == [tk(1)]
    assert w["consent_withdrawn"].iloc[0] == pd.Timestamp("2026-02-04")
    assert ledger.withdrawals(purpose="research-contact", on="2026-01-20").empty
    assert len(ledger.withdrawals(purpose="research-contact")) == 1


def test_sweep_end_to_end(ledger: consent.ConsentLedger, policy: gdprkit.Policy) -> None:
    """Practio: "kept until you withdraw": research contact data of a withdrawn
    consent are due on the day of withdrawal; the others wait for their period."""
    a, b = tk(1), tk(2)
    give(ledger, a, "given", "2026-01-10T10:00:00Z")
    give(ledger, b, "given", "2026-01-10T10:00:00Z")
    give(ledger, a, "withdrawn", "2026-03-01T09:00:00Z")
    records = pd.DataFrame({
        "id": ["contact-1", "contact-2"],
        "subject": [a, b],
        "purpose": ["research-contact", "research-contact"],
        "collection": pd.to_datetime(["2026-01-10", "2026-01-10"]),
    })
    events = records.merge(ledger.withdrawals(purpose="research-contact", on="2026-04-01"),
                           on="subject", how="left")
    result = gdprkit.sweep(events, policy=policy, on="2026-04-01", id="id", purpose="purpose")
    assert list(result["status"]) == ["due", "pending"]
    assert result.loc[1, "next_due"] == pd.Timestamp("2036-01-10")
    assert result.loc[0, "due_date"] == pd.Timestamp("2026-03-01")
    assert result.loc[0, "reason"] == "ended-early"


def test_verify_intact_and_head(ledger: consent.ConsentLedger) -> None:
    give(ledger, tk(1))
    v = ledger.verify(ledger.head)
    assert v and v.intact and v.entries == 1 and v.first_broken_entry == -1
    assert v.ledger_id == ledger.ledger_id and not v.keyed


def _tamper(path: str, sql: str) -> None:
    con = sqlite3.connect(path)
    con.executescript(sql)
    con.commit()
    con.close()


@pytest.mark.parametrize("sql", [
    "UPDATE entries SET body = replace(body, 'given', 'refused') WHERE seq = 3",
    "DELETE FROM entries WHERE seq = 3",
    "UPDATE entries SET seq = -1 WHERE seq = 3; UPDATE entries SET seq = 3 WHERE seq = 4;"
    "UPDATE entries SET seq = 4 WHERE seq = -1",
    "UPDATE entries SET recorded_at = recorded_at + 1 WHERE seq = 3",
])
def test_tampering_detected(tmp_path: pathlib.Path, policy: gdprkit.Policy, sql: str) -> None:
    path = str(tmp_path / "c.db")
    with gdprkit.ConsentLedger.create(path, policy=policy, sync=False) as led:
        for i in range(5):
            give(led, tk(i))
        _tamper(path, sql)
        v = led.verify()
        assert not v.intact and v.first_broken_entry == 3 and v.problem
    with pytest.raises(gdprkit.DataLossError, match="entry 3"):
        gdprkit.ConsentLedger.open(path, policy=policy)


def test_truncation_detected_with_head(tmp_path: pathlib.Path, policy: gdprkit.Policy) -> None:
    path = str(tmp_path / "c.db")
    with gdprkit.ConsentLedger.create(path, policy=policy, sync=False) as led:
        for i in range(4):
            give(led, tk(i))
        head = led.head
    _tamper(path, "DELETE FROM entries WHERE seq = 4")
    with gdprkit.ConsentLedger.open(path, policy=policy) as led:
        v = led.verify(head)
        assert not v.intact and v.first_broken_entry == 4


def test_damaged_file(tmp_path: pathlib.Path, policy: gdprkit.Policy) -> None:
    path = tmp_path / "c.db"
    with gdprkit.ConsentLedger.create(path, policy=policy, sync=False) as led:
        for i in range(50):
            give(led, tk(i))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])
    with pytest.raises(gdprkit.DataLossError, match="damaged"):
        gdprkit.ConsentLedger.open(path, policy=policy)


def test_keys(tmp_path: pathlib.Path, policy: gdprkit.Policy) -> None:
    path = tmp_path / "c.db"
    with gdprkit.ConsentLedger.create(path, policy=policy, key=KEY, sync=False) as led:
        give(led, tk(1))
        assert len(led.receipt_public_key) == 64
        assert "keyed=True" in repr(led)
    with pytest.raises(gdprkit.FailedPreconditionError, match="keyed"):
        gdprkit.ConsentLedger.open(path, policy=policy)
    with pytest.raises(gdprkit.FailedPreconditionError, match="not this"):
        gdprkit.ConsentLedger.open(path, policy=policy, key=b"x" * 32)
    with pytest.raises(gdprkit.InvalidArgumentError):
        gdprkit.ConsentLedger.create(tmp_path / "d.db", policy=policy, key=b"short")
    with pytest.raises(gdprkit.ArgumentTypeError):
        gdprkit.ConsentLedger.open(path, policy=policy, key="text key")  # type: ignore[arg-type]
    with gdprkit.ConsentLedger.open(path, policy=policy, key=KEY) as led:
        assert led.verify().keyed


@pytest.mark.parametrize("key", [None, KEY])
def test_receipts(tmp_path: pathlib.Path, policy: gdprkit.Policy, key: object) -> None:
    with gdprkit.ConsentLedger.create(tmp_path / "c.db", policy=policy, key=key,
                                      sync=False) as led:
        give(led, tk(1))
        give(led, tk(2), evidence="scan/æøå.pdf")
        receipt = led.export_receipt(2)
        doc = json.loads(receipt)
        assert doc["type"] == "gdprkit-consent-receipt" and doc["seq"] == 2
        assert doc["subject"] == tk(2) and doc["evidence"] == "scan/æøå.pdf"
        v = consent.verify_receipt(receipt)
        assert v.valid and v.signed == (key is not None) and v.subject == tk(2)
        assert v.at == dt.datetime(2026, 1, 10, 10, tzinfo=UTC)
        assert led.verify_receipt(receipt).valid
        doc["state"] = "refused"
        assert not consent.verify_receipt(json.dumps(doc)).valid
        assert not consent.verify_receipt("{}").valid
        assert not consent.verify_receipt(receipt + " x").valid
        if key is not None:
            assert consent.verify_receipt(receipt, led.receipt_public_key).valid
            assert not consent.verify_receipt(receipt, "ab" * 32).valid
        with pytest.raises(gdprkit.NotFoundError):
            led.export_receipt(99)
        with pytest.raises(gdprkit.InvalidArgumentError):
            consent.verify_receipt(receipt, "zz")


def test_receipt_of_other_ledger(tmp_path: pathlib.Path, policy: gdprkit.Policy) -> None:
    with gdprkit.ConsentLedger.create(tmp_path / "a.db", policy=policy, sync=False) as a, \
         gdprkit.ConsentLedger.create(tmp_path / "b.db", policy=policy, sync=False) as b:
        give(a, tk(1))
        give(b, tk(1))
        r = a.export_receipt(1)
        v = b.verify_receipt(r)
        assert not v.valid and "another ledger" in v.problem


def test_erase_subject(tmp_path: pathlib.Path, policy: gdprkit.Policy) -> None:
    path = tmp_path / "c.db"
    with gdprkit.ConsentLedger.create(path, policy=policy, key=KEY, sync=False) as led:
        give(led, tk(1))
        give(led, tk(2))
        give(led, tk(1), "withdrawn", "2026-02-01T00:00:00Z")
        assert len(led.entries_of(tk(1))) == 2
        assert led.erase_subject(tk(1), recorded_by="dpo") == 2
        assert led.entries == 4
        assert led.entries_of(tk(1)) == []
        assert led.states([tk(1), tk(2)], purpose="research-contact",
                          on="2026-03-01") == ["none", "given"]
        assert led.verify().intact
        with pytest.raises(gdprkit.FailedPreconditionError, match="erased"):
            led.export_receipt(1)
    assert tk(1).encode() not in path.read_bytes()
    assert "form-4711".encode() in path.read_bytes()  # tk(2)'s evidence stays


def test_two_handles(tmp_path: pathlib.Path, policy: gdprkit.Policy) -> None:
    path = tmp_path / "c.db"
    with gdprkit.ConsentLedger.create(path, policy=policy, sync=False) as one, \
         gdprkit.ConsentLedger.open(path, policy=policy, sync=False) as two:
        give(one, tk(1))
        assert two.states([tk(1)], purpose="research-contact", on="2026-02-01") == ["given"]
        give(two, tk(1), "withdrawn", "2026-01-20T00:00:00Z")
        assert one.states([tk(1)], purpose="research-contact", on="2026-02-01") == ["withdrawn"]


def test_store_notice(ledger: consent.ConsentLedger) -> None:
    d = ledger.store_notice("v9", "Ny tekst")
    assert ledger.notice(d) == "Ny tekst"
    with pytest.raises(gdprkit.NotFoundError):
        ledger.notice(consent.notice_digest("never"))


def test_entries_of_fields(ledger: consent.ConsentLedger) -> None:
    give(ledger, tk(1), valid_until="2027-01-01")
    (e,) = ledger.entries_of(tk(1))
    assert e.subject == tk(1) and e.evidence == "form-4711"
    assert e.valid_until == dt.date(2027, 1, 1)
    assert e.recorded_by == "system:booking" and e.channel == "web"


def test_exports() -> None:
    assert gdprkit.ConsentLedger is consent.ConsentLedger
    for name in consent.__all__:
        assert hasattr(consent, name)
