"""gdprkit.identifiers: whole columns of Danish identifiers, every container.

The numbers are made up: valid by the rules, not real people."""

from __future__ import annotations

import datetime
import random
import types
from typing import List, Tuple

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gdprkit
from gdprkit import identifiers as ids

CPR = ["010203-1234", " 3112991234 ", "300200-1234", "01020312345", "", "abc"]
CODES = ["ok", "ok", "bad_date", "bad_length", "empty", "bad_character"]



def plain(values) -> list:
    """The values with every missing value as None: a Series of pandas 3's
    default str dtype (Arrow-backed when pyarrow is installed) gives NaN where
    an object Series gives None, and the package keeps each column's own
    missing value."""
    return [None if pd.isna(v) else v for v in values]

def test_check_list_gives_codes_per_row():
    assert ids.check(CPR, kind="cpr") == CODES


def test_check_numpy_and_series_keep_their_shape():
    arr = np.array(CPR, dtype=object)
    out = ids.check(arr)
    assert isinstance(out, np.ndarray) and list(out) == CODES
    s = pd.Series(CPR, index=list("abcdef"), name="cpr")
    out = ids.check(s)
    assert isinstance(out, pd.Series)
    assert list(out.index) == list("abcdef") and out.name == "cpr"
    assert list(out) == CODES
    # Fixed-width unicode arrays and pandas' string dtype too.
    assert list(ids.check(np.array(CPR))) == CODES
    assert list(ids.check(pd.Series(CPR, dtype="string"))) == CODES


def test_is_valid_containers():
    assert ids.is_valid("010203-1234") is True
    assert ids.is_valid("300200-1234") is False
    assert ids.is_valid(CPR) == [True, True, False, False, False, False]
    v = ids.is_valid(pd.Series(CPR, index=range(10, 16)))
    assert v.dtype == bool and list(v.index) == list(range(10, 16))
    assert v.sum() == 2
    assert gdprkit.validate_cpr(np.array(CPR, dtype=object)).tolist() == [
        True, True, False, False, False, False]


def test_missing_values_are_rejected_as_empty():
    s = pd.Series(["010203-1234", None, np.nan])
    assert list(ids.check(s)) == ["ok", "empty", "empty"]
    with pytest.raises(gdprkit.InvalidArgumentError, match="row 1"):
        ids.normalise(s)
    out = ids.normalise(s, errors="coerce")
    assert plain(out) == ["0102031234", None, None]


def test_normalise_every_kind():
    assert ids.normalise(["010203-1234", "0102031234"]) == ["0102031234"] * 2
    assert ids.normalise(["DK 10 00 00 17"], kind="cvr") == ["10000017"]
    assert ids.normalise(["5790000000005"], kind="gln") == ["5790000000005"]
    assert ids.normalise(["12345"], kind="ydernummer") == ["012345"]
    assert ids.normalise(["12345678902"], kind="sor") == ["12345678902"]
    assert ids.normalise(["  free text "], kind="other") == ["free text"]
    assert ids.normalise("010203-1234") == "0102031234"


def test_bad_check_digits_and_options():
    assert ids.check(["10000010", "01234567"], kind="cvr") == ["bad_check_digit", "leading_zero"]
    assert ids.check(["5790000000006"], kind="gln") == ["bad_check_digit"]
    assert ids.check(["12345678903"], kind="sor") == ["bad_check_digit"]
    assert ids.check(["000000", "1234567"], kind="provider_number") == ["all_zeros", "too_long"] \
        or ids.check(["000000", "1234567"], kind="provider_number")[0] == "all_zeros"
    assert ids.check(["010203-1234"], require_modulus11=True) == ["bad_check_digit"]
    assert ids.check(["610203-1234"], allow_replacement=False) == ["replacement_number"]
    assert ids.check(["12345"], kind="provider_number", pad_provider_number=False) == [
        "bad_length"]


def test_normalise_raise_names_row_and_reason_not_value():
    with pytest.raises(gdprkit.InvalidArgumentError) as e:
        ids.normalise(["010203-1234", "300200-1234"])
    msg = str(e.value)
    assert "row 1" in msg and "date" in msg
    assert "300200" not in msg
    assert isinstance(e.value, ValueError)


def test_explain_and_kinds():
    assert "10 digits" in ids.explain("bad_length", "cpr")
    assert ids.explain(0) == "accepted"
    assert ids.kind_name("Ydernummer") == "provider_number"
    assert ids.PROBLEMS[0] == "ok" and len(ids.PROBLEMS) == 12
    assert ids.PROBLEMS[11] == "future_birth_date"  # stable numbers: appended
    with pytest.raises(gdprkit.InvalidArgumentError, match="passport"):
        ids.check(["x"], kind="passport")
    with pytest.raises(gdprkit.InvalidArgumentError):
        ids.explain("no_such_code")
    with pytest.raises(TypeError):
        ids.check(["x"], kind=1.5)  # type: ignore[arg-type]


def test_cpr_info():
    info = ids.cpr_info("010203-1234")
    assert (info.year, info.month, info.day) == (1903, 2, 1)
    assert info.female is True and info.replacement is False
    r = ids.cpr_info("610203-4234")
    assert r.replacement and r.day == 1 and r.year == 2003
    with pytest.raises(gdprkit.InvalidArgumentError) as e:
        ids.cpr_info("300200-1234")
    assert "300200" not in str(e.value)


def test_bad_inputs_are_type_errors_with_the_row():
    with pytest.raises(TypeError, match=r"values\[1\]"):
        ids.check(["010203-1234", 102031234])
    with pytest.raises(TypeError, match="leading zero"):
        ids.check(np.array([102031234]))
    with pytest.raises(TypeError):
        ids.check({"a": 1})
    with pytest.raises(gdprkit.InvalidArgumentError, match="1-D"):
        ids.check(np.array([["010203-1234"]], dtype=object))
    with pytest.raises(gdprkit.InvalidArgumentError, match="errors"):
        ids.normalise(["x"], errors="ignore")
    # Provider numbers as integers are fine (padded).
    assert ids.normalise(np.array([12345, 7]), kind="provider_number").tolist() == [
        "012345", "000007"]


def test_empty_columns():
    assert ids.check([]) == []
    assert len(ids.check(pd.Series([], dtype=object))) == 0
    assert ids.normalise(np.array([], dtype=object)).tolist() == []


@given(st.lists(st.text(max_size=30), max_size=30))
def test_random_text_never_crashes_and_normal_forms_are_fixed_points(values):
    codes = ids.check(values)
    assert len(codes) == len(values)
    norm = ids.normalise(values, errors="coerce")
    for code, n in zip(codes, norm):
        assert (code == "ok") == (n is not None)
        if n is not None:
            assert ids.normalise(n) == n


def test_docstring_examples():
    import doctest

    for module in (gdprkit.identifiers, gdprkit.vault):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def test_pandas_na_in_object_and_string_columns():
    s = pd.Series(["010203-1234", pd.NA], dtype=object)
    assert list(ids.check(s)) == ["ok", "empty"]
    s = pd.Series(["010203-1234", None], dtype="string")
    assert plain(ids.normalise(s, errors="coerce")) == ["0102031234", None]


def test_object_arrays_of_mixed_values_strided_and_empty():
    # Object arrays go to C++ without a list in between: every kind of slot
    # must read right (None, NaN, pd.NA, bytes, str subclasses, non-ASCII),
    # strided views too, and nothing may be read from a non-str as text.
    class Sub(str):
        pass

    values = np.array(["010203-1234", None, np.nan, pd.NA, b"0102031234",
                       Sub("010203-1234"), "01020З-1234", "", 12], dtype=object)
    with pytest.raises(TypeError, match=r"values\[8\] is a int"):
        ids.check(values)
    got = ids.check(values[:8])
    assert list(got) == ["ok", "empty", "empty", "empty", "ok", "ok", "bad_character", "empty"]
    assert isinstance(got, np.ndarray)
    strided = np.array(["010203-1234", None] * 50, dtype=object)[::2]
    assert list(ids.normalise(strided)) == ["0102031234"] * 50
    assert list(ids.normalise(np.array([], dtype=object))) == []
    s = pd.Series(values[:6], index=list("abcdef"))
    out = ids.normalise(s, errors="coerce")
    assert list(out.index) == list("abcdef")
    assert out.tolist() == ["0102031234", None, None, None, "0102031234", "0102031234"]


# ---- Future birth dates (issue #10, item 8) --------------------------------
#
# 240135-7665 is born 24-01-2035 (7th digit 7, YY 35 <= 57: the 2000s); it
# cannot have been issued on 2026-12-02.

AS_OF = datetime.date(2026, 12, 2)
FUTURE = "240135-7665"


def test_future_birth_date_is_its_own_problem():
    assert ids.check([FUTURE, "0212264000", "0312264000"], as_of="2026-12-02") == [
        "future_birth_date", "ok", "future_birth_date"]
    # By default the date is today in Denmark: 2035 is in the future until 2035.
    assert ids.is_valid(FUTURE) is False
    assert ids.check(FUTURE) == "future_birth_date"
    assert gdprkit.validate_cpr([FUTURE, "010203-1234"]) == [False, True]
    # Accepted when asked, with any date.
    assert ids.is_valid(FUTURE, allow_future=True) is True
    assert ids.check([FUTURE], allow_future=True, as_of="2026-12-02") == ["ok"]
    assert ids.normalise([FUTURE], allow_future=True) == ["2401357665"]
    assert gdprkit.validate_cpr(FUTURE, allow_future=True) is True
    # On the day of birth it exists, not the day before.
    assert ids.is_valid(FUTURE, as_of="2035-01-24") is True
    assert ids.is_valid(FUTURE, as_of="2035-01-23") is False
    assert "future" in ids.explain("future_birth_date")


def test_future_birth_date_at_every_container_and_with_normalise():
    s = pd.Series([FUTURE, "010203-1234", None], index=list("abc"))
    assert list(ids.check(s, as_of=AS_OF)) == ["future_birth_date", "ok", "empty"]
    v = ids.is_valid(np.array([FUTURE, "010203-1234"], dtype=object), as_of=AS_OF)
    assert v.dtype == bool and v.tolist() == [False, True]
    with pytest.raises(gdprkit.InvalidArgumentError) as e:
        ids.normalise(["010203-1234", FUTURE])
    msg = str(e.value)
    assert "row 1" in msg and "[future_birth_date]" in msg
    for part in ("240135", "7665", "2035"):
        assert part not in msg
    assert plain(ids.normalise(s, errors="coerce", as_of=AS_OF)) == [None, "0102031234", None]


def test_replacement_numbers_are_judged_on_their_real_day():
    # Day 84 = 24 + 60.
    assert ids.check(["8401357665"], as_of=AS_OF) == ["future_birth_date"]
    assert ids.check(["8401357665"], as_of="2035-01-24") == ["ok"]
    assert ids.check(["6212264000", "6312264000"], as_of=AS_OF) == ["ok", "future_birth_date"]
    # A future number says so before it is refused as a replacement number.
    assert ids.check(["8401357665"], as_of=AS_OF, allow_replacement=False) == [
        "future_birth_date"]
    assert ids.check(["8401357665"], as_of=AS_OF, allow_replacement=False,
                     allow_future=True) == ["replacement_number"]


def test_cpr_info_of_a_future_number():
    with pytest.raises(gdprkit.InvalidArgumentError) as e:
        ids.cpr_info(FUTURE)
    assert "future_birth_date" in str(e.value) and "240135" not in str(e.value)
    info = ids.cpr_info(FUTURE, allow_future=True)
    assert (info.year, info.month, info.day) == (2035, 1, 24)
    assert ids.cpr_info(FUTURE, as_of="2035-06-01").year == 2035


def test_as_of_takes_every_kind_of_date():
    born = "2401357665"  # 24-01-2035
    on_day = [
        "2035-01-24",
        datetime.date(2035, 1, 24),
        datetime.datetime(2035, 1, 24, 0, 0),
        pd.Timestamp("2035-01-24"),
        np.datetime64("2035-01-24"),
        np.datetime64("2035-01-24T12:00:00.123456789"),
        # Instants are read as their date in Copenhagen: 23:30 UTC on the
        # 23rd is 00:30 on the 24th there.
        "2035-01-23T23:30:00Z",
        datetime.datetime(2035, 1, 23, 23, 30, tzinfo=datetime.timezone.utc),
        pd.Timestamp("2035-01-23 23:30:00.000000001", tz="UTC"),
    ]
    for as_of in on_day:
        assert ids.is_valid(born, as_of=as_of) is True, repr(as_of)
    day_before = [
        "2035-01-23",
        datetime.date(2035, 1, 23),
        pd.Timestamp("2035-01-23 23:59"),
        np.datetime64("2035-01-23"),
        "2035-01-23T22:59:59Z",
        # 00:30 at UTC+5 on the 24th is 20:30 on the 23rd in Copenhagen.
        datetime.datetime(2035, 1, 24, 0, 30,
                          tzinfo=datetime.timezone(datetime.timedelta(hours=5))),
    ]
    for as_of in day_before:
        assert ids.is_valid(born, as_of=as_of) is False, repr(as_of)


def test_bad_as_of_names_the_argument():
    with pytest.raises(gdprkit.InvalidArgumentError, match="as_of"):
        ids.check([FUTURE], as_of="2026-02-30")
    with pytest.raises(gdprkit.InvalidArgumentError, match="as_of"):
        ids.check([FUTURE], as_of="yesterday")
    with pytest.raises(gdprkit.InvalidArgumentError, match="as_of"):
        ids.check([FUTURE], as_of="")
    with pytest.raises(gdprkit.InvalidArgumentError, match="as_of is NaT"):
        ids.check([FUTURE], as_of=pd.NaT)
    with pytest.raises(gdprkit.InvalidArgumentError, match="as_of is NaT"):
        ids.check([FUTURE], as_of=np.datetime64("NaT"))
    for bad in (20261202, 2026.5, True, b"2026-12-02", [2026, 12, 2]):
        with pytest.raises(gdprkit.ArgumentTypeError, match="as_of must be a date"):
            ids.is_valid([FUTURE], as_of=bad)
    # Nothing is checked before the arguments are.
    with pytest.raises(gdprkit.InvalidArgumentError, match="as_of"):
        ids.normalise(["010203-1234"], as_of="2026-13-01")


# ---- Agreement with python-stdnum's stdnum.dk.cpr ---------------------------
#
# python-stdnum (an independent implementation, LGPL) is not a dependency of
# gdprkit. Its verdicts are recorded here from reading and running
# stdnum/dk/cpr.py of python-stdnum 2.2 (`validate`: digits after removing
# spaces and dashes anywhere, 10 of them, the birth date with the same
# century rule, refused when it lies after datetime.date.today(); no modulus
# 11; no replacement numbers). The tests below compare gdprkit with those
# verdicts on a generated set; when stdnum is installed they also compare with
# it directly (today fixed to AS_OF), which keeps the record honest.
# The disagreements, each on purpose (docs/vault.md section 1):
#   - replacement numbers (day + 60): gdprkit accepts them (CPR-kontoret's
#     erstatningspersonnumre), stdnum refuses them as no date; with
#     allow_replacement=False gdprkit refuses them too;
#   - spellings: stdnum removes every space and dash (also Unicode dashes and
#     no-break spaces) anywhere; gdprkit takes only DDMMYY-SSSS or DDMMYYSSSS;
#   - "today": stdnum's is the machine's local date, gdprkit's the date in
#     Denmark (or as_of); they differ only around midnight on a machine set to
#     another zone, so the comparison fixes the date.


def _birth_year(c7: int, yy: int) -> int:
    """CPR-kontoret's century table (docs/vault.md section 1)."""
    if c7 <= 3:
        return 1900 + yy
    if c7 in (4, 9):
        return 2000 + yy if yy <= 36 else 1900 + yy
    return 2000 + yy if yy <= 57 else 1800 + yy


def _generated_set() -> List[Tuple[str, str]]:
    """(CPR number, category): for every 7th digit and two-digit year a real
    date in the past or future of AS_OF, an impossible date, and a replacement
    number; the day of AS_OF and the day after; leap days of every century."""
    r = random.Random(20261202)
    out: List[Tuple[str, str]] = []

    def serial(c7: int) -> str:
        return f"{c7}{r.randint(0, 999):03d}"

    def when(d: datetime.date) -> str:
        return "past" if d <= AS_OF else "future"

    for c7 in range(10):
        for yy in range(100):
            year = _birth_year(c7, yy)
            d = datetime.date(year, 1, 1) + datetime.timedelta(days=r.randint(0, 364))
            out.append((f"{d:%d%m}{yy:02d}{serial(c7)}", when(d)))
            bad = r.choice(["0001", "3201", "0013", "0100", "3104", "3106", "3202", "0000"])
            out.append((f"{bad}{yy:02d}{serial(c7)}", "bad_date"))
            e = datetime.date(year, 1, 1) + datetime.timedelta(days=r.randint(0, 364))
            out.append((f"{e.day + 60:02d}{e:%m}{yy:02d}{serial(c7)}", "replacement_" + when(e)))
            feb29 = f"2902{yy:02d}{serial(c7)}"
            leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
            out.append((feb29, when(datetime.date(year, 2, 29)) if leap else "bad_date"))
    for c7 in (4, 5, 6, 7, 8, 9):
        out.append((f"{AS_OF:%d%m%y}{serial(c7)}", "past"))  # born on the day: issued
        nxt = AS_OF + datetime.timedelta(days=1)
        out.append((f"{nxt:%d%m%y}{serial(c7)}", "future"))
    out.append((FUTURE.replace("-", ""), "future"))
    return out


# stdnum 2.2's verdict per category (True: validate() accepts).
STDNUM_VALID = {"past": True, "future": False, "bad_date": False,
                "replacement_past": False, "replacement_future": False}
# gdprkit's problem per category: defaults, and allow_replacement=False.
GDPRKIT_CODE = {"past": "ok", "future": "future_birth_date", "bad_date": "bad_date",
                "replacement_past": "ok", "replacement_future": "future_birth_date"}
GDPRKIT_CODE_NO_REPLACEMENT = dict(GDPRKIT_CODE, replacement_past="replacement_number")

# Spellings: (text, stdnum 2.2 accepts, gdprkit's problem).
SPELLINGS = [
    ("010180-1004", True, "ok"),
    ("0101801004", True, "ok"),
    (" 0101801004\t\n", True, "ok"),
    ("0101801000", True, "ok"),  # fails modulus 11: neither requires it
    ("010180 1004", True, "bad_separator"),
    ("01-01-80-1004", True, "bad_separator"),
    ("010180--1004", True, "bad_separator"),
    ("010180\u20131004", True, "bad_character"),  # en dash
    ("\u00a00101801004", True, "bad_character"),  # no-break space
    ("010180/1004", False, "bad_character"),
    ("\u0660\u0661\u0660\u0661\u0668\u0660\u0661\u0660\u0660\u0664", False,
     "bad_character"),  # Arabic-Indic digits
    ("010180100", False, "bad_length"),
    ("01018010044", False, "bad_length"),
    ("", False, "empty"),
]


def test_generated_set_covers_every_category():
    cats = [c for _, c in _generated_set()]
    for c in STDNUM_VALID:
        assert cats.count(c) >= 50, c
    assert len(cats) > 4000


def test_agrees_with_stdnum_on_the_generated_set_but_for_replacement_numbers():
    data = _generated_set()
    numbers = [n for n, _ in data]
    got = ids.check(numbers, as_of=AS_OF)
    strict = ids.check(numbers, as_of=AS_OF, allow_replacement=False)
    for (number, cat), code, code_strict in zip(data, got, strict):
        assert code == GDPRKIT_CODE[cat], (number, cat)
        assert code_strict == GDPRKIT_CODE_NO_REPLACEMENT[cat], (number, cat)
        # Without replacement numbers gdprkit accepts exactly what stdnum does.
        assert (code_strict == "ok") == STDNUM_VALID[cat], (number, cat)
        # With them (the default) only replacement numbers of the past differ.
        if cat != "replacement_past":
            assert (code == "ok") == STDNUM_VALID[cat], (number, cat)


def test_spellings_against_stdnum():
    got = ids.check([t for t, _, _ in SPELLINGS])
    assert got == [code for _, _, code in SPELLINGS]


def _stdnum_cpr_on(monkeypatch: pytest.MonkeyPatch, today: datetime.date) -> types.ModuleType:
    """stdnum.dk.cpr with date.today() fixed (it calls datetime.date.today())."""
    cpr = pytest.importorskip("stdnum.dk.cpr")

    class FixedDate(datetime.date):
        @classmethod
        def today(cls) -> "FixedDate":
            return cls(today.year, today.month, today.day)

    monkeypatch.setattr(cpr, "datetime", types.SimpleNamespace(date=FixedDate))
    return cpr  # type: ignore[no-any-return]


def test_live_stdnum_gives_the_recorded_verdicts(monkeypatch: pytest.MonkeyPatch):
    cpr = _stdnum_cpr_on(monkeypatch, AS_OF)
    for number, cat in _generated_set():
        assert bool(cpr.is_valid(number)) == STDNUM_VALID[cat], (number, cat)
    for text, valid, _ in SPELLINGS:
        assert bool(cpr.is_valid(text)) == valid, repr(text)


def test_live_stdnum_agrees_on_every_third_day_of_two_centuries(monkeypatch: pytest.MonkeyPatch):
    # Every birth date 1858-2057 with each 7th digit, and the day after AS_OF
    # with its replacement number: gdprkit without replacement numbers says
    # what stdnum says, and with them differs only on past replacement numbers.
    cpr = _stdnum_cpr_on(monkeypatch, AS_OF)
    numbers = []
    d = datetime.date(1858, 1, 1)
    while d <= datetime.date(2057, 12, 31):
        for c7 in range(10):
            numbers.append(f"{d:%d%m%y}{c7}123")
        d += datetime.timedelta(days=3)
    numbers += [f"{d.day + 60:02d}{d:%m%y}4123" for d in (AS_OF, AS_OF + datetime.timedelta(1))]
    want = [bool(cpr.is_valid(n)) for n in numbers]
    strict = ids.is_valid(numbers, as_of=AS_OF, allow_replacement=False)
    assert strict == want
    lenient = ids.check(numbers, as_of=AS_OF)
    for n, code, ok in zip(numbers, lenient, want):
        if (code == "ok") != ok:
            assert int(n[:2]) > 60 and code == "ok" and not ok, n


def test_future_numbers_are_still_withheld_from_messages_and_logs():
    # The one CPR detector (src/common/redact.h) guards audit reasons,
    # deletion-log ids and messages: a number refused as future_birth_date is
    # still a number someone typed, and must never reach them.
    from gdprkit import _gdprkit

    for text in (FUTURE, "pt 2401357665", "8401357665", "01 01 57 5000"):
        assert _gdprkit.contains_cpr_like(text), text
