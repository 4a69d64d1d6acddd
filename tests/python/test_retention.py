"""Retention from Python: add_period, schedules, sweeps on DataFrames, the deletion log."""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import unicodedata

import numpy as np
import pandas as pd
import pytest

import gdprkit
from conftest import POLICIES
from gdprkit import _gdprkit, retention

KAPSEL = POLICIES / "kapsel.textproto"
PRACTIO = POLICIES / "practio.textproto"
MEDCOM = POLICIES / "medcom.textproto"


@pytest.fixture(scope="module")
def kapsel() -> gdprkit.RetentionSchedule:
    return gdprkit.RetentionSchedule.from_policy(gdprkit.Policy.load(KAPSEL))


@pytest.fixture(scope="module")
def practio() -> gdprkit.RetentionSchedule:
    return gdprkit.RetentionSchedule.from_policy(PRACTIO)


# ---------------------------------------------------------------------------
# add_period
# ---------------------------------------------------------------------------

MONTH_ENDS = [
    ("2025-11-30", "P15M", "2027-02-28"),
    ("2024-02-29", "P10Y", "2034-02-28"),
    ("2024-02-29", "P4Y", "2028-02-29"),
    ("2025-01-31", "P1M1D", "2025-03-01"),
    ("2025-12-25", "P14D", "2026-01-08"),
    ("2000-02-29", "P100Y", "2100-02-28"),
    ("2025-08-31", "P3M", "2025-11-30"),
]


@pytest.mark.parametrize("date,period,expected", MONTH_ENDS)
def test_add_period_text(date: str, period: str, expected: str) -> None:
    assert gdprkit.add_period(date, period) == expected


def test_add_period_keeps_the_kind_of_date() -> None:
    assert gdprkit.add_period(dt.date(2025, 11, 30), "P15M") == dt.date(2027, 2, 28)
    assert gdprkit.add_period(dt.datetime(2024, 2, 29, 12, 0), "P10Y") == dt.date(2034, 2, 28)
    assert gdprkit.add_period(np.datetime64("2025-11-30"), "P15M") == np.datetime64("2027-02-28")
    assert gdprkit.add_period(pd.Timestamp("2025-11-30"), "P15M") == pd.Timestamp("2027-02-28")
    # An instant is read in Copenhagen: 22:30 UTC on 30 November is 1 December there.
    assert gdprkit.add_period("2025-11-30T23:30:00Z", "P1D") == "2025-12-02"
    assert gdprkit.add_period("2025-11-30T23:30:00Z", "P1D", zone="UTC") == "2025-12-01"


def test_add_period_vectorised() -> None:
    s = pd.Series(pd.to_datetime(["2025-11-30", None, "2024-02-29"]), index=["a", "b", "c"])
    out = gdprkit.add_period(s, "P15M")
    assert list(out.index) == ["a", "b", "c"]
    assert out["a"] == pd.Timestamp("2027-02-28")
    assert pd.isna(out["b"])
    assert out["c"] == pd.Timestamp("2025-05-29")
    arr = gdprkit.add_period(np.array(["2024-02-29", "NaT"], dtype="datetime64[D]"), "P10Y")
    assert arr[0] == np.datetime64("2034-02-28") and np.isnat(arr[1])
    texts = gdprkit.add_period(pd.Series(["2025-11-30", "", None]), "P15M")
    assert texts[0] == pd.Timestamp("2027-02-28") and texts[1:].isna().all()
    aware = pd.Series(pd.to_datetime(["2025-06-30T22:30:00Z"], utc=True))
    assert gdprkit.add_period(aware, "P0D")[0] == pd.Timestamp("2025-07-01")
    dates = gdprkit.add_period([dt.date(2025, 1, 31), None], "P1M")
    assert dates[0] == np.datetime64("2025-02-28") and np.isnat(dates[1])


def test_add_period_bad_input() -> None:
    with pytest.raises(gdprkit.InvalidArgumentError, match="February 2025 has 28 days"):
        gdprkit.add_period("2025-02-30", "P1M")
    with pytest.raises(ValueError, match="time components"):
        gdprkit.add_period("2025-01-01", "PT12H")
    with pytest.raises(gdprkit.InvalidArgumentError, match="fractions"):
        gdprkit.add_period("2025-01-01", "P1.5Y")
    with pytest.raises(gdprkit.InvalidArgumentError, match="period must be a str"):
        gdprkit.add_period("2025-01-01", 15)  # type: ignore[arg-type]
    with pytest.raises(gdprkit.RetentionInputError) as e:
        gdprkit.add_period(pd.Series(["2025-01-01", "2025-02-30"], index=["x", "y"]), "P1D")
    assert e.value.row == "y" and e.value.position == 1
    assert "February 2025 has 28 days" in str(e.value)


# ---------------------------------------------------------------------------
# Schedules
# ---------------------------------------------------------------------------


def test_schedule(kapsel: gdprkit.RetentionSchedule) -> None:
    assert kapsel.rule_ids == ("provider-number-plus-15-months",)
    assert kapsel.events == ("collection", "provider_number_ended")
    assert kapsel.rules[0].period == "P15M" and kapsel.rules[0].anchor == "provider_number_ended"
    assert kapsel.resolve("quality-advice-data") == ("provider-number-plus-15-months",)
    with pytest.raises(gdprkit.NotFoundError, match="quality-advice-data"):
        kapsel.resolve("quality-advice-dat")
    assert "RetentionSchedule" in repr(kapsel)


def test_schedule_refuses_an_unreadable_rule() -> None:
    policy = gdprkit.Policy.from_text(
        'controller { name: "x" }\nretention_rules { id: "r" period: "P1.5Y" }\n'
    )
    with pytest.raises(gdprkit.InvalidArgumentError, match='"r"'):
        gdprkit.RetentionSchedule(policy)
    with pytest.raises(TypeError):
        gdprkit.RetentionSchedule("not a policy")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Sweeps
# ---------------------------------------------------------------------------


def kapsel_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["practice-active", "practice-ended", "practice-leap"],
            "purpose": ["quality-advice-data", "quality-advice-medicine", "quality-advice-it"],
            "collection": pd.to_datetime(["2019-03-01"] * 3),
            "provider_number_ended": pd.to_datetime([None, "2025-11-30", "2024-02-29"]),
        }
    )


def test_sweep_kapsel_month_end(kapsel: gdprkit.RetentionSchedule) -> None:
    df = kapsel_frame()
    before = gdprkit.sweep(df, policy=kapsel, on="2027-02-27", id="id", purpose="purpose")
    assert list(before.columns) == [
        "id", "status", "due", "due_date", "next_due", "rule", "anchor", "reason", "hold"]
    assert list(before["status"]) == ["kept", "pending", "due"]
    assert list(before["due"]) == [False, False, True]
    assert before.loc[1, "next_due"] == pd.Timestamp("2027-02-28")
    assert pd.isna(before.loc[1, "due_date"])
    assert before.loc[2, "due_date"] == pd.Timestamp("2025-05-29")
    assert list(before["reason"]) == ["anchor-pending", "period", "period"]
    assert before.loc[0, "anchor"] == "provider_number_ended"
    assert (before["rule"] == "provider-number-plus-15-months").all()
    assert before.attrs["complete"] is True
    assert before.attrs["counts"]["due"] == 1
    on_day = gdprkit.sweep(df, policy=kapsel, on=dt.date(2027, 2, 28), id="id", purpose="purpose")
    assert on_day.loc[1, "status"] == "due"
    assert on_day.loc[1, "due_date"] == pd.Timestamp("2027-02-28")


def test_sweep_holds(kapsel: gdprkit.RetentionSchedule) -> None:
    df = kapsel_frame()
    df["hold_start"] = pd.to_datetime([None, "2026-10-01", None])
    df["hold_end"] = pd.to_datetime([None, "2027-06-15", None])
    held = gdprkit.sweep(
        df, policy=kapsel, on="2027-03-01", id="id", purpose="purpose",
        holds=("hold_start", "hold_end"))
    assert held.loc[1, "status"] == "held"
    assert held.loc[1, "next_due"] == pd.Timestamp("2027-06-15")
    assert held.loc[1, "reason"] == "hold"
    assert held.loc[1, "hold"] == 0 and held.loc[0, "hold"] == -1
    released = gdprkit.sweep(
        df, policy=kapsel, on="2027-06-15", id="id", purpose="purpose",
        holds=("hold_start", "hold_end"))
    assert released.loc[1, "status"] == "due"
    assert released.loc[1, "reason"] == "hold-released"
    # The same hold as a frame of holds, naming the record by id.
    holds = pd.DataFrame({"record": ["practice-ended"], "start": ["2026-10-01"], "end": [None]})
    open_ended = gdprkit.sweep(df.drop(columns=["hold_start", "hold_end"]), policy=kapsel,
                               on="2030-01-01", id="id", purpose="purpose", holds=holds)
    assert open_ended.loc[1, "status"] == "held"
    assert pd.isna(open_ended.loc[1, "next_due"])
    with pytest.raises(gdprkit.RetentionInputError, match="'nobody' is not in the DataFrame"):
        gdprkit.sweep(df, policy=kapsel, on="2030-01-01", id="id", purpose="purpose",
                      holds=pd.DataFrame({"record": ["nobody"], "start": ["2026-01-01"],
                                          "end": [None]}))


def test_sweep_hold_released_before_it_began(kapsel: gdprkit.RetentionSchedule) -> None:
    df = kapsel_frame()
    df["hold_start"] = pd.to_datetime([None, "2026-10-01", None])
    df["hold_end"] = pd.to_datetime([None, "2026-09-01", None])
    with pytest.raises(gdprkit.RetentionInputError) as e:
        gdprkit.sweep(df, policy=kapsel, on="2027-03-01", id="id", purpose="purpose",
                      holds=("hold_start", "hold_end"))
    assert e.value.position == 1 and e.value.row == 1
    assert e.value.column == "hold_start/hold_end"
    assert "record 'practice-ended'" in str(e.value)
    assert "no result was returned" in str(e.value)


def test_sweep_practio_precedence(practio: gdprkit.RetentionSchedule) -> None:
    df = pd.DataFrame(
        {
            "purpose": pd.Categorical(["patient-record+legal-claims", "legal-claims",
                                       "research-contact", "newsletter"]),
            "collection": pd.to_datetime(["2015-01-01", "2018-01-01", "2019-05-05", "2022-01-01"]),
            "last_entry": pd.to_datetime(["2019-03-01", None, None, None]),
            "last_processing": pd.to_datetime(["2020-06-15", "2020-06-15", None, None]),
            "consent_withdrawn": pd.to_datetime([None, None, "2021-09-14", None]),
            "sending_stopped": pd.NaT,
            "subscription_ended": pd.NaT,
        },
        index=pd.Index(["j-1", "c-1", "r-1", "n-1"], name="record"),
    )
    out = gdprkit.sweep(df, policy=practio, on="2026-01-01", purpose="purpose", threads=0)
    assert "id" not in out.columns and list(out.index) == list(df.index)
    # Retention beats deletion: the journal keeps the claim's data until 2029-03-01.
    assert out.loc["j-1", "status"] == "pending"
    assert out.loc["j-1", "next_due"] == pd.Timestamp("2029-03-01")
    assert out.loc["j-1", "rule"] == "patient-record-and-treatment-contact-10-years"
    assert out.loc["j-1", "anchor"] == "last_entry"
    assert out.loc["c-1", "due_date"] == pd.Timestamp("2025-06-15")
    assert out.loc["r-1", "reason"] == "ended-early"
    assert out.loc["r-1", "due_date"] == pd.Timestamp("2021-09-14")
    assert out.loc["n-1", "status"] == "kept" and out.loc["n-1", "reason"] == "anchor-pending"
    # A hold beats everything.
    holds = pd.DataFrame({"record": ["j-1"], "start": pd.to_datetime(["2028-01-01"]),
                          "end": pd.NaT})
    held = practio.sweep(df, on="2029-03-01", purpose="purpose", holds=holds)
    assert held.loc["j-1", "status"] == "held"
    text = practio.explain(df, "j-1", on="2026-01-01", purpose="purpose")
    assert "=> pending 2029-03-01" in text


def test_sweep_event_mapping_and_dtypes(kapsel: gdprkit.RetentionSchedule) -> None:
    df = pd.DataFrame(
        {
            "rule": ["provider-number-plus-15-months"] * 4,
            "created": [dt.date(2019, 3, 1)] * 4,
            "ended": ["2025-11-30", "", None, "2025-11-30T23:30:00+00:00"],
        }
    )
    out = gdprkit.sweep(df, policy=kapsel, on="2027-02-28", rule="rule",
                        events={"collection": "created", "provider_number_ended": "ended"})
    assert list(out["status"]) == ["due", "kept", "kept", "pending"]
    # 23:30 UTC on 30 November is 1 December in Copenhagen: due 2027-03-01.
    assert out.loc[3, "next_due"] == pd.Timestamp("2027-03-01")
    utc = gdprkit.sweep(df, policy=kapsel, on="2027-02-28", rule="rule", zone="UTC",
                        events={"collection": "created", "provider_number_ended": "ended"})
    assert utc.loc[3, "status"] == "due"
    # Time-zone-aware datetime64 columns, and one rule id for every row.
    aware = pd.DataFrame({
        "collection": pd.to_datetime(["2019-03-01T00:00:00Z"], utc=True),
        "provider_number_ended": pd.to_datetime(["2025-11-30T23:30:00Z"], utc=True),
    })
    one = gdprkit.sweep(aware, policy=kapsel, on="2027-02-28",
                        rule="provider-number-plus-15-months")
    assert one.loc[0, "status"] == "pending"


def test_sweep_bad_input(kapsel: gdprkit.RetentionSchedule, practio: gdprkit.RetentionSchedule
                         ) -> None:
    df = kapsel_frame()
    # An impossible date in a text column names the row and the column.
    bad = df.assign(provider_number_ended=["", "2025-02-30", ""])
    with pytest.raises(gdprkit.RetentionInputError) as e:
        gdprkit.sweep(bad, policy=kapsel, on="2027-01-01", id="id", purpose="purpose")
    assert e.value.column == "provider_number_ended" and e.value.position == 1
    assert "February 2025 has 28 days" in str(e.value)
    # An unknown event column.
    with pytest.raises(gdprkit.RetentionInputError, match='did you mean "provider_number_ended"'):
        gdprkit.sweep(df, policy=kapsel, on="2027-01-01", purpose="purpose",
                      events={"provider_number_end": "provider_number_ended"})
    with pytest.raises(gdprkit.RetentionInputError, match="not a column"):
        gdprkit.sweep(df, policy=kapsel, on="2027-01-01", purpose="purpose",
                      events={"provider_number_ended": "ended_on"})
    # An event before collection.
    early = df.assign(provider_number_ended=pd.to_datetime([None, "2018-01-01", None]))
    with pytest.raises(gdprkit.RetentionInputError) as e:
        gdprkit.sweep(early, policy=kapsel, on="2027-01-01", id="id", purpose="purpose")
    assert e.value.column == "provider_number_ended" and e.value.row == 1
    assert "before collection" in str(e.value)
    # ... or reported, with the other rows answered.
    report = gdprkit.sweep(early, policy=kapsel, on="2027-01-01", id="id", purpose="purpose",
                           errors="report")
    assert report.attrs["complete"] is False
    assert list(report["status"]) == ["kept", "invalid", "kept"]
    assert report.attrs["errors"][0]["field"] == "provider_number_ended"
    # Unknown purposes name the row and the nearest ids.
    typo = df.assign(purpose=["quality-advice-data", "quality-advice-medicne", "quality-advice-it"])
    with pytest.raises(gdprkit.NotFoundError, match="quality-advice-medicine") as nf:
        gdprkit.sweep(typo, policy=kapsel, on="2027-01-01", purpose="purpose")
    assert "row 1" in str(nf.value)
    # A column a rule needs is missing.
    with pytest.raises(gdprkit.InvalidArgumentError, match="provider_number_ended"):
        gdprkit.sweep(df.drop(columns=["provider_number_ended"]), policy=kapsel,
                      on="2027-01-01", purpose="purpose")
    # Arguments.
    with pytest.raises(TypeError, match="exactly one"):
        gdprkit.sweep(df, policy=kapsel, on="2027-01-01")
    with pytest.raises(gdprkit.InvalidArgumentError, match="unknown error mode"):
        gdprkit.sweep(df, policy=kapsel, on="2027-01-01", purpose="purpose", errors="ignore")
    with pytest.raises(gdprkit.RetentionInputError, match="on"):
        gdprkit.sweep(df, policy=kapsel, on="2027-02-30", purpose="purpose")
    with pytest.raises(gdprkit.RetentionInputError, match="not dates"):
        gdprkit.sweep(df.assign(collection=[1, 2, 3]), policy=kapsel, on="2027-01-01",
                      purpose="purpose")
    with pytest.raises(gdprkit.NotFoundError, match="id='ident'"):
        gdprkit.sweep(df, policy=kapsel, on="2027-01-01", purpose="purpose", id="ident")


def test_sweep_withholds_cpr_shaped_ids(kapsel: gdprkit.RetentionSchedule) -> None:
    df = kapsel_frame()
    df["id"] = ["0101901234", "010190-1235", "x"]
    df["provider_number_ended"] = pd.to_datetime(["2018-01-01", None, None])
    with pytest.raises(gdprkit.RetentionInputError) as e:
        gdprkit.sweep(df, policy=kapsel, on="2027-01-01", id="id", purpose="purpose")
    assert "0101901234" not in str(e.value) and "withheld" in str(e.value)


# Issue #9, item 5: the package asks the core's one CPR test
# (_gdprkit.contains_cpr_like, src/common/redact.h) instead of its own copy.
CPR_SPELLINGS = [
    "0101901234",
    "010190-1234",
    "010190 1234",
    "010190\u20131234",  # en dash
    "010190\u22121234",  # minus sign
    "010190/1234",
    "010190.1234",
    "010190\u00a01234",  # no-break space
    "010190\u202f1234",  # narrow no-break space
    "010190\u20091234",  # thin space
    "\uff10\uff11\uff10\uff11\uff19\uff10\uff11\uff12\uff13\uff14",  # full-width
    "\u0660\u0661\u0660\u0661\u0669\u0660-\u0661\u0662\u0663\u0664",  # Arabic-Indic
    "patient-0101901234",
    "pt-0101901234",
    "pt0101901234",
    "01.01.90-1234",
    "01 01 90 1234",
]

CPR_LOOK_ALIKES = [
    "",
    "ticket 42",
    "patient-17",
    "3201901234",  # no 32nd day
    "01019012345",  # eleven digits
    "2026-01-05",
    "2026-01-05T10:20:30Z",
    "25313763",  # a CVR number
    "+45 12 34 56 78",
    "123e4567-e89b-42d3-a456-0101901234ab",
]


@pytest.mark.parametrize("text", CPR_SPELLINGS)
def test_contains_cpr_like_spellings(text: str) -> None:
    assert _gdprkit.contains_cpr_like(text)
    assert retention._looks_like_cpr(text)


@pytest.mark.parametrize("text", CPR_LOOK_ALIKES)
def test_contains_cpr_like_look_alikes(text: str) -> None:
    assert not _gdprkit.contains_cpr_like(text)
    assert not retention._looks_like_cpr(text)


def test_contains_cpr_like_edges() -> None:
    # Lone surrogates are other characters, never an error.
    assert not _gdprkit.contains_cpr_like("\ud800")
    assert _gdprkit.contains_cpr_like("x\udc00-0101901234")
    with pytest.raises(TypeError):
        _gdprkit.contains_cpr_like(b"0101901234")  # type: ignore[arg-type]
    # Labels that are numbers: a CPR number read as an int lost its leading zero.
    assert retention._looks_like_cpr(101901234)
    assert retention._looks_like_cpr(np.int64(1501901234))
    assert not retention._looks_like_cpr(42)
    assert not retention._looks_like_cpr(True)
    assert _gdprkit.WITHHELD_IDENTIFIER == "<withheld: looks like a CPR number>"


def test_contains_cpr_like_knows_every_decimal_digit() -> None:
    if tuple(int(p) for p in unicodedata.unidata_version.split(".")) >= (16, 0, 0):
        pytest.skip("src/common/redact.cc lists the digits of Unicode 15")
    for cp in range(0x110000):
        ch = chr(cp)
        if unicodedata.category(ch) != "Nd" or unicodedata.decimal(ch) != 0:
            continue
        digits = "".join(chr(cp + d) for d in (0, 1, 0, 1, 9, 0, 1, 2, 3, 4))
        assert _gdprkit.contains_cpr_like(digits), hex(cp)
        assert not _gdprkit.contains_cpr_like(digits + ch), hex(cp)  # eleven digits


def test_sweep_withholds_cpr_numbers_in_any_spelling(kapsel: gdprkit.RetentionSchedule) -> None:
    for rid in ("pt-0101901234", "010190\u20131234", "patient 010190\u00a01234"):
        df = kapsel_frame()
        df["id"] = [rid, "b", "c"]
        df["provider_number_ended"] = pd.to_datetime(["2018-01-01", None, None])
        with pytest.raises(gdprkit.RetentionInputError) as e:
            gdprkit.sweep(df, policy=kapsel, on="2027-01-01", id="id", purpose="purpose")
        assert "1234" not in str(e.value) and "withheld" in str(e.value)
    # Row labels too, also a CPR number that became a number.
    df = kapsel_frame()
    df.index = pd.Index([101901234, 7, 8])
    df["provider_number_ended"] = pd.to_datetime(["2018-01-01", None, None])
    with pytest.raises(gdprkit.RetentionInputError) as e:
        gdprkit.sweep(df, policy=kapsel, on="2027-01-01", purpose="purpose")
    assert "101901234" not in str(e.value) and "withheld" in str(e.value)
    out = gdprkit.sweep(df, policy=kapsel, on="2027-01-01", purpose="purpose", errors="report")
    assert out.attrs["errors"][0]["row"] == _gdprkit.WITHHELD_IDENTIFIER


def test_sweep_is_columnar_on_many_rows(practio: gdprkit.RetentionSchedule) -> None:
    n = 200_000
    rng = np.random.default_rng(7)
    collected = np.datetime64("2010-01-01") + rng.integers(0, 5000, n).astype("timedelta64[D]")
    df = pd.DataFrame({
        "purpose": pd.Categorical.from_codes(rng.integers(0, 2, n),
                                             ["website-security-logs", "policy-update-notice"]),
        "collection": collected,
    })
    out = gdprkit.sweep(df, policy=practio, on="2024-06-30", purpose="purpose", threads=2)
    logs = df["purpose"] == "website-security-logs"
    expected = np.where(logs, gdprkit.add_period(df["collection"], "P2M"),
                        gdprkit.add_period(df["collection"], "P1Y"))
    date = out["due_date"].fillna(out["next_due"]).to_numpy()
    assert (date == expected).all()
    assert (out["due"].to_numpy() == (expected <= np.datetime64("2024-06-30"))).all()


# ---------------------------------------------------------------------------
# The deletion log
# ---------------------------------------------------------------------------


def test_deletion_log(tmp_path: pathlib.Path, kapsel: gdprkit.RetentionSchedule) -> None:
    path = tmp_path / "deletions.log"
    swept = gdprkit.sweep(kapsel_frame(), policy=kapsel, on="2027-03-01", id="id",
                          purpose="purpose")
    with gdprkit.DeletionLog(path) as log:
        entries = log.append_all(swept[swept["due"]].assign(deleted_at=1772323200))
        assert [e.record_id for e in entries] == ["practice-ended", "practice-leap"]
        assert entries[0].rule_id == "provider-number-plus-15-months"
        assert entries[0].due_date == dt.date(2027, 2, 28)
        one = log.append("app-1", due_date=None)
        assert one.seq == 3 and one.rule_id == "" and one.due_date is None
        head = log.head
        assert log.entries == 3 and len(head) == 64 and len(log.log_id) == 32
        with pytest.raises(gdprkit.InvalidArgumentError, match="CPR"):
            log.append("010190-1234")
        # In any spelling, inside longer ids, and in the rule id (issue #9, item 5).
        for rid in ("patient-0101901234", "pt-010190\u20131234", "010190/1234",
                    "\uff10\uff11\uff10\uff11\uff19\uff10\uff11\uff12\uff13\uff14"):
            with pytest.raises(gdprkit.InvalidArgumentError, match="CPR") as e:
                log.append(rid)
            assert "1234" not in str(e.value)
        with pytest.raises(gdprkit.InvalidArgumentError, match="rule_id"):
            log.append("app-2", rule="patient-010190-1234")
        with pytest.raises(gdprkit.InvalidArgumentError):
            log.append("")
        assert log.entries == 3
    with pytest.raises(ValueError, match="closed"):
        _ = log.head
    check = gdprkit.DeletionLog.verify(path, expected_head=head)
    assert check.intact and check.entries == 3 and bool(check)
    frame = gdprkit.DeletionLog.read(path)
    assert list(frame["record_id"]) == ["practice-ended", "practice-leap", "app-1"]
    assert frame["deleted_at"].iloc[0] == pd.Timestamp(1772323200, unit="s", tz="UTC")
    # Tampering is noticed and named.
    path.write_text(path.read_text(encoding="utf-8").replace("practice-leap", "practice-lea9"),
                    encoding="utf-8")
    broken = gdprkit.DeletionLog.verify(path)
    assert not broken.intact and broken.first_broken_entry == 2 and broken.entries == 1
    with pytest.raises(gdprkit.DataLossError):
        gdprkit.DeletionLog(path)
    with pytest.raises(gdprkit.DataLossError):
        gdprkit.DeletionLog.read(path)


def test_deletion_log_keys(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "keyed.log"
    key = b"k" * 32
    with gdprkit.DeletionLog(path, key=key, sync=False) as log:
        log.append("app-1", rule="unsolicited-14-days", due_date="2026-01-08",
                   deleted_at=dt.datetime(2026, 1, 9, 10, 0, tzinfo=dt.timezone.utc))
    with pytest.raises(gdprkit.FailedPreconditionError) as e:
        gdprkit.DeletionLog(path)
    assert "kkkk" not in str(e.value)
    with pytest.raises(gdprkit.FailedPreconditionError):
        gdprkit.DeletionLog.verify(path, key=b"x" * 32)
    assert gdprkit.DeletionLog.verify(path, key=key).keyed
    with pytest.raises(gdprkit.InvalidArgumentError):
        gdprkit.DeletionLog(tmp_path / "short.log", key=b"short")
    with pytest.raises(TypeError):
        gdprkit.DeletionLog(tmp_path / "str.log", key="k" * 32)  # type: ignore[arg-type]
    with pytest.raises(gdprkit.NoSuchFileError):
        gdprkit.DeletionLog.verify(tmp_path / "missing.log")


def test_exports() -> None:
    for name in ("add_period", "sweep", "RetentionSchedule", "RetentionInputError", "DeletionLog"):
        assert name in gdprkit.__all__
    assert issubclass(gdprkit.RetentionInputError, ValueError)
    assert retention.NO_DATE == -(2**31)
    assert retention.STATUSES[0] == "due" and retention.REASONS[-1] == "invalid-input"


def test_docstring_examples(repo: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import doctest

    monkeypatch.chdir(repo)  # the examples load examples/policies/...
    result = doctest.testmod(retention, extraglobs={"gdprkit": gdprkit},
                             optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0


def test_docs_python_example_runs_and_prints_what_it_shows(
    repo: pathlib.Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import re

    text = (repo / "docs" / "retention.md").read_text(encoding="utf-8")
    section = text[text.index("### Python"):text.index("### Command line")]
    code = re.findall(r"```python\n(.*?)```", section, re.S)[0]
    shown = re.findall(r"prints\n\n```\n(.*?)```", section, re.S)[0]
    monkeypatch.chdir(repo)
    exec(compile(code, "docs/retention.md", "exec"), {})
    printed = capsys.readouterr().out
    assert [line.rstrip() for line in printed.splitlines()] == [
        line.rstrip() for line in shown.splitlines()]


def test_sweep_ignores_unused_categories(kapsel: gdprkit.RetentionSchedule) -> None:
    df = kapsel_frame()
    df["purpose"] = pd.Categorical(df["purpose"],
                                   categories=[*df["purpose"].unique(), "not-a-purpose"])
    out = gdprkit.sweep(df, policy=kapsel, on="2027-03-01", purpose="purpose")
    assert list(out["status"]) == ["kept", "due", "due"]
    df.loc[0, "purpose"] = "not-a-purpose"
    with pytest.raises(gdprkit.NotFoundError, match="row 0"):
        gdprkit.sweep(df, policy=kapsel, on="2027-03-01", purpose="purpose")
    # A missing purpose means "no rule".
    df.loc[0, "purpose"] = None
    out = gdprkit.sweep(df, policy=kapsel, on="2027-03-01", purpose="purpose")
    assert out.loc[0, "status"] == "kept" and out.loc[0, "reason"] == "no-rule"


@pytest.mark.parametrize("cpr", ["0101901234", "010190-1234", "01.01.90-1234", "pt0101901234"])
def test_cpr_numbers_typed_as_dates_or_periods_are_not_repeated(cpr: str) -> None:
    # The core's ParseDate (and ParsePeriod) withhold a text that looks like a
    # CPR number: the extension's parse_date, add_period's fast path for
    # "YYYY-MM-DD"-sized texts, periods and date columns.
    for call in (lambda: _gdprkit.parse_date(cpr),
                 lambda: _gdprkit.add_period(cpr, "P1D"),
                 lambda: gdprkit.add_period(cpr, "P1D"),
                 lambda: gdprkit.add_period("2025-01-01", "P" + cpr + "D"),
                 lambda: gdprkit.add_period("2025-01-01", cpr),
                 lambda: _gdprkit.parse_period(cpr),
                 lambda: retention.to_days([cpr])):
        with pytest.raises(gdprkit.InvalidArgumentError) as e:
            call()
        assert "1234" not in str(e.value) and "withheld" in str(e.value), str(e.value)
    with pytest.raises(gdprkit.InvalidArgumentError, match='"20250101"'):
        _gdprkit.parse_date("20250101")


# ---------------------------------------------------------------------------
# Paths (issue #9, item 11): every entry point that takes a file name goes
# through gdprkit._args.path, as the vault and Policy.load do.
# ---------------------------------------------------------------------------

PATH_TAKERS = [
    ("DeletionLog", lambda p: gdprkit.DeletionLog(p)),
    ("DeletionLog.open", lambda p: gdprkit.DeletionLog.open(p)),
    ("DeletionLog.verify", lambda p: gdprkit.DeletionLog.verify(p)),
    ("DeletionLog.read", lambda p: gdprkit.DeletionLog.read(p)),
    ("RetentionSchedule.from_policy", lambda p: gdprkit.RetentionSchedule.from_policy(p)),
    ("sweep(policy=path)",
     lambda p: gdprkit.sweep(kapsel_frame(), policy=p, on="2027-01-01", purpose="purpose")),
]


@pytest.mark.parametrize("call", [c[1] for c in PATH_TAKERS], ids=[c[0] for c in PATH_TAKERS])
def test_paths_with_a_nul_are_refused(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch,
                                      call) -> None:
    monkeypatch.chdir(tmp_path)
    for path in ("a\0b", b"a\0b", tmp_path / "a\0b", "a.log\0.bak"):
        with pytest.raises(gdprkit.InvalidArgumentError, match="NUL") as e:
            call(path)
        assert not isinstance(e.value, TypeError)
    for path in ("", b""):
        with pytest.raises(gdprkit.InvalidArgumentError, match="empty"):
            call(path)
    for path in (None, 5, ["a"]):
        with pytest.raises(gdprkit.ArgumentTypeError, match="str, bytes or os.PathLike"):
            call(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no "a", no "a.log"


def test_deletion_log_paths_as_bytes_and_undecodable_names(
        tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    # A name that is not UTF-8, as os.listdir gives it (surrogate escapes), and as bytes.
    name = os.fsdecode(b"log-\xff.log")
    with gdprkit.DeletionLog(name) as log:
        log.append("app-1", deleted_at=0)
        assert log.path == name
    assert os.listdir(b".") == [b"log-\xff.log"]
    assert gdprkit.DeletionLog.verify(b"log-\xff.log").entries == 1
    assert list(gdprkit.DeletionLog.read(pathlib.Path(name))["record_id"]) == ["app-1"]
    with gdprkit.DeletionLog.open(b"log-\xff.log", sync=False) as log:
        assert log.entries == 1
