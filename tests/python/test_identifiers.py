"""gdprkit.identifiers: whole columns of Danish identifiers, every container.

The numbers are made up: valid by the rules, not real people."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gdprkit
from gdprkit import identifiers as ids

CPR = ["010203-1234", " 3112991234 ", "300200-1234", "01020312345", "", "abc"]
CODES = ["ok", "ok", "bad_date", "bad_length", "empty", "bad_character"]


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
    assert out.tolist() == ["0102031234", None, None]


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
    assert ids.PROBLEMS[0] == "ok" and len(ids.PROBLEMS) == 11
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
    assert ids.normalise(s, errors="coerce").tolist() == ["0102031234", None]


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
