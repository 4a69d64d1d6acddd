"""Arrow date columns in gdprkit.add_period and gdprkit.sweep (src/common/arrow_dates.h).

Every Arrow input kind (pyarrow Array and ChunkedArray of date32, date64,
timestamps in s/ms/us/ns with and without a zone, ISO texts; pandas ArrowDtype
and pandas 3 ``str`` columns; Polars; DuckDB) against the NumPy path on the same
dates: the same days row for row, including dates before 1970, nulls and
zone-aware times across the DST changes; results of the same kind, Arrow-backed;
errors naming column and row, never the value.
"""

from __future__ import annotations

import datetime as dt
import pathlib
from typing import Any, Dict, List, Optional

import numpy as np
import pandas as pd
import pytest

import gdprkit
from gdprkit import _gdprkit
from gdprkit.retention import RetentionInputError, to_days

pa = pytest.importorskip("pyarrow")

POLICY = pathlib.Path(__file__).resolve().parents[2] / "examples" / "policies" / "practio.textproto"
ZONE = "Europe/Copenhagen"

# Instants every 50 minutes over both DST changes of 2025 in Copenhagen, around
# midnight, before 1970, the first year gdprkit reads and a late one.
_BASE = [np.datetime64("2025-03-29T20:00", "s") + np.timedelta64(50 * k, "m") for k in range(12)]
_BASE += [np.datetime64("2025-10-25T20:00", "s") + np.timedelta64(50 * k, "m") for k in range(12)]
_BASE += [np.datetime64("1969-12-31T23:59:59", "s"), np.datetime64("1900-02-28T23:30", "s"),
          np.datetime64("0001-01-01T12:00", "s"), np.datetime64("9000-12-30T12:00", "s")]
INSTANTS = np.array(_BASE + [np.datetime64("NaT", "s")], dtype="datetime64[s]")
UNITS = ["s", "ms", "us", "ns"]


def _days_of(result: Any) -> List[Optional[dt.date]]:
    """The dates of an add_period result of any kind, as datetime.date / None."""
    if isinstance(result, pd.Series) and not isinstance(result.dtype, pd.ArrowDtype):
        return [None if pd.isna(v) else v.date() for v in result]
    if isinstance(result, np.ndarray):
        return [None if np.isnat(v) else v.astype("datetime64[D]").astype(object)
                for v in result]
    arr = result if isinstance(result, (pa.Array, pa.ChunkedArray)) else pa.array(result)
    return arr.cast(pa.date32()).to_pylist()  # type: ignore[no-any-return]


def _in_range(unit: str) -> "np.ndarray[Any, Any]":
    """The instants a unit can hold (ns: 1677 ... 2262)."""
    if unit != "ns":
        return INSTANTS
    keep = np.isnat(INSTANTS) | ((INSTANTS > np.datetime64("1678-01-01"))
                                 & (INSTANTS < np.datetime64("2262-01-01")))
    return INSTANTS[keep]


# ---------------------------------------------------------------------------
# add_period
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("unit", UNITS)
def test_naive_timestamps_equal_the_numpy_path(unit: str) -> None:
    values = _in_range(unit).astype(f"datetime64[{unit}]")
    expected = _days_of(gdprkit.add_period(pd.Series(values), "P15M"))
    arrow = pa.array(values, pa.timestamp(unit))
    out = gdprkit.add_period(arrow, "P15M")
    assert isinstance(out, pa.Array) and out.type == pa.timestamp("s")  # as pandas: datetime64
    assert _days_of(out) == expected
    chunked = gdprkit.add_period(pa.chunked_array([arrow[:5], arrow[5:]]), "P15M")
    assert isinstance(chunked, pa.ChunkedArray) and _days_of(chunked) == expected


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("zone", [ZONE, "UTC", "America/New_York"])
def test_zoned_timestamps_are_read_in_the_zone_as_pandas_reads_them(unit: str, zone: str) -> None:
    # Drop the first year: in another zone it may leave 0001-9999.
    values = _in_range(unit).astype(f"datetime64[{unit}]")
    aware = pd.Series(values).dt.tz_localize("UTC")
    expected = _days_of(gdprkit.add_period(aware, "P1D", zone=zone))
    for tz in ("UTC", "Asia/Tokyo"):  # the column's own zone does not matter: an instant is one
        arrow = pa.array(aware.dt.tz_convert(tz), pa.timestamp(unit, tz=tz))
        assert _days_of(gdprkit.add_period(arrow, "P1D", zone=zone)) == expected
        assert list(to_days(arrow, zone=zone)) == list(to_days(aware, zone=zone))


def test_dates_date32_and_date64_before_1970_and_nulls() -> None:
    dates = [dt.date(2024, 2, 29), None, dt.date(1969, 12, 31), dt.date(1, 1, 1),
             dt.date(1850, 6, 30)]
    expected = _days_of(gdprkit.add_period(dates, "P1Y"))
    for typ in (pa.date32(), pa.date64()):
        out = gdprkit.add_period(pa.array(dates, typ), "P1Y")
        assert out.type == pa.date32()
        assert _days_of(out) == expected
    assert expected[0] == dt.date(2025, 2, 28)


def test_texts_are_read_by_the_cores_parser() -> None:
    texts = ["2025-11-30", None, "", "2025-03-29T23:30:00Z", "0999-01-01T10:00", "1969-12-31"]
    expected = _days_of(gdprkit.add_period(pd.Series(texts, dtype=object), "P15M"))
    for typ in (pa.string(), pa.large_string(), pa.string_view()):
        out = gdprkit.add_period(pa.array(texts, typ), "P15M")
        assert out.type == pa.date32() and _days_of(out) == expected
    dictionary = pa.array(texts).dictionary_encode()
    assert _days_of(gdprkit.add_period(dictionary, "P15M")) == expected


def test_pandas_arrow_columns_keep_index_name_and_arrow_dtype() -> None:
    dates = pd.Series([dt.date(2025, 1, 31), None, dt.date(1960, 2, 29)],
                      dtype=pd.ArrowDtype(pa.date32()), index=["a", "b", "c"], name="seen")
    out = gdprkit.add_period(dates, "P1M")
    assert isinstance(out.dtype, pd.ArrowDtype) and out.dtype.pyarrow_dtype == pa.date32()
    assert list(out.index) == ["a", "b", "c"] and out.name == "seen"
    assert _days_of(out) == [dt.date(2025, 2, 28), None, dt.date(1960, 3, 29)]
    ts = pd.Series(pd.to_datetime(["2025-01-31 23:00", None]).astype(
        pd.ArrowDtype(pa.timestamp("us"))), index=[7, 9])
    out = gdprkit.add_period(ts, "P1M")
    assert out.dtype == pd.ArrowDtype(pa.timestamp("s")) and list(out.index) == [7, 9]
    assert _days_of(out) == [dt.date(2025, 2, 28), None]
    # pandas 3's str (Arrow-backed): read from the buffers, a datetime64 Series as before.
    texts = pd.Series(["2025-01-31", None], dtype="str", index=["x", "y"])
    out = gdprkit.add_period(texts, "P1M")
    assert out.dtype.kind == "M" and list(out.index) == ["x", "y"]
    assert _days_of(out) == [dt.date(2025, 2, 28), None]


def test_polars_and_duckdb() -> None:
    pl = pytest.importorskip("polars")
    s = pl.Series("d", [dt.date(2025, 1, 31), None, dt.date(1901, 1, 1)])
    out = gdprkit.add_period(s, "P1M")
    assert isinstance(out, pl.Series) and out.name == "d" and out.dtype == pl.Date
    assert out.to_list() == [dt.date(2025, 2, 28), None, dt.date(1901, 2, 1)]
    zoned = pl.Series("t", [dt.datetime(2025, 3, 29, 23, 30)]).dt.replace_time_zone("UTC")
    assert gdprkit.add_period(zoned, "P0D").cast(pl.Date).to_list() == [dt.date(2025, 3, 30)]
    duckdb = pytest.importorskip("duckdb")
    rel = duckdb.sql("select DATE '2024-02-29' + CAST(i * 365 AS INTEGER) as d from range(3) t(i)")
    assert _days_of(gdprkit.add_period(rel, "P1Y")) == _days_of(
        gdprkit.add_period(rel.df()["d"], "P1Y"))


def test_bad_rows_name_column_and_row_never_the_value() -> None:
    s = pd.Series(["2025-01-31", "2025-02-30"], dtype="str", index=["a", "b"], name="seen")
    with pytest.raises(RetentionInputError) as e:
        gdprkit.add_period(s, "P1M")
    assert e.value.row == "b" and e.value.column == "seen" and e.value.position == 1
    assert "2025-02-30" not in str(e.value) and "February 2025 has 28 days" in str(e.value)
    with pytest.raises(RetentionInputError) as e:
        gdprkit.add_period(pa.array(["2025-01-31", "0101901234"]), "P1M")
    assert e.value.position == 1 and "0101901234" not in str(e.value)
    with pytest.raises(RetentionInputError) as e:  # a day past 9999-12-31
        gdprkit.add_period(pa.array([0, 2932897], pa.int32()).cast(pa.date32()), "P1D")
    assert e.value.position == 1
    with pytest.raises(gdprkit.InvalidArgumentError, match="holds no dates"):
        gdprkit.add_period(pa.array([1, 2]), "P1D")
    with pytest.raises(gdprkit.FailedPreconditionError):
        gdprkit.add_period(pa.array([0], pa.timestamp("s", tz="UTC")), "P1D", zone="No/Where")


# ---------------------------------------------------------------------------
# sweep
# ---------------------------------------------------------------------------

PURPOSES = ["website-security-logs", "direct-contact", "research-contact"]
DATES = ["collection", "last_contact", "consent_withdrawn", "hold_start", "hold_end"]
ON = pd.Timestamp("2026-01-01")


def _records(n: int = 3000, seed: int = 15) -> pd.DataFrame:
    """Records with every status (due, pending, kept, held) of the Practio rules."""
    rng = np.random.default_rng(seed)
    collected = np.datetime64("1965-01-01") + rng.integers(0, 22000, n).astype("timedelta64[D]")
    purpose = rng.integers(0, 3, n)
    after = rng.integers(0, 3000, n).astype("timedelta64[D]")
    nat = np.datetime64("NaT")
    held = rng.random(n) < 0.1
    hold_start = np.where(held, np.datetime64("2024-06-01")
                          + rng.integers(0, 900, n).astype("timedelta64[D]"), nat)
    return pd.DataFrame({
        "id": [f"r{i}" for i in range(n)],
        "purpose": pd.Categorical.from_codes(purpose, PURPOSES),
        "collection": collected.astype("datetime64[s]"),
        "last_contact": np.where((purpose == 1) & (rng.random(n) < 0.7), collected + after,
                                 nat).astype("datetime64[s]"),
        "consent_withdrawn": np.where((purpose == 2) & (rng.random(n) < 0.3), collected + after,
                                      nat).astype("datetime64[s]"),
        "hold_start": hold_start.astype("datetime64[s]"),
        "hold_end": np.where(held & (rng.random(n) < 0.5), hold_start + rng.integers(
            30, 400, n).astype("timedelta64[D]"), nat).astype("datetime64[s]"),
    }, index=pd.RangeIndex(100, 100 + n))


def _sweep(df: pd.DataFrame, **kw: Any) -> pd.DataFrame:
    args: Dict[str, Any] = dict(policy=str(POLICY), on=ON, id="id", purpose="purpose",
                                holds=("hold_start", "hold_end"))
    args.update(kw)
    return gdprkit.sweep(df, **args)


RESULT = ["status", "due", "due_date", "next_due", "rule", "anchor", "reason", "hold"]


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a[RESULT], b[RESULT])
    assert list(a.index) == list(b.index)
    assert [str(v) for v in a["id"]] == [str(v) for v in b["id"]]


def _arrow_dates(df: pd.DataFrame, typ: Any) -> Dict[str, pd.Series]:
    out = {}
    for c in DATES:
        col = df[c]
        if pa.types.is_timestamp(typ) and typ.tz is not None:
            col = col.dt.tz_localize(ZONE)
        elif pa.types.is_date(typ):
            col = col.dt.date.astype(object).where(col.notna(), None)
        out[c] = pd.Series(pa.array(col, typ), dtype=pd.ArrowDtype(typ), index=df.index)
    return out


def test_sweep_of_every_arrow_date_type_equals_the_numpy_path() -> None:
    df = _records()
    expected = _sweep(df)
    statuses = set(expected["status"].astype(str))
    assert {"due", "pending", "kept", "held"} <= statuses
    types = [pa.date32(), pa.date64()] + [pa.timestamp(u) for u in UNITS] + [
        pa.timestamp(u, tz="UTC") for u in ("s", "us")] + [pa.timestamp("ms", tz=ZONE)]
    for typ in types:
        arrow = df.assign(**_arrow_dates(df, typ))
        _same(_sweep(arrow), expected)


def test_sweep_of_pandas_str_columns_takes_the_arrow_path(monkeypatch: pytest.MonkeyPatch) -> None:
    df = _records()
    expected = _sweep(df)
    texts = {c: df[c].dt.strftime("%Y-%m-%d").astype("str") for c in DATES}
    arrow = df.assign(purpose=df["purpose"].astype("str"), id=df["id"].astype("str"), **texts)
    assert isinstance(arrow["collection"].dtype, pd.StringDtype)
    result = _sweep(arrow)
    _same(result, expected)
    assert isinstance(result["id"].dtype, pd.StringDtype)  # the id stays Arrow-backed
    # The dates are read from the Arrow buffers: no Python str per row.
    calls: List[Any] = []
    original = _gdprkit.parse_dates

    def spy(*a: Any) -> Any:
        calls.append(a)
        return original(*a)

    monkeypatch.setattr(_gdprkit, "parse_dates", spy)
    _sweep(arrow)
    assert calls == []
    _sweep(df.assign(collection=df["collection"].dt.strftime("%Y-%m-%d").astype(object)))
    assert len(calls) == 1  # (the spy sees the NumPy path's texts)


def test_sweep_with_dictionary_purposes_arrow_events_and_a_holds_frame() -> None:
    df = _records(1000)
    purpose = pa.array(df["purpose"].astype(str).to_numpy(), pa.string()).dictionary_encode()
    arrow = df.assign(purpose=pd.Series(purpose, dtype=pd.ArrowDtype(purpose.type),
                                        index=df.index))
    _same(_sweep(arrow), _sweep(df))
    # events={name: pyarrow array} and purpose= one id per row as an Arrow array.
    ev = {"collection": pa.array(df["collection"].to_numpy().astype("datetime64[D]")),
          "last_contact": pa.chunked_array([pa.array(df["last_contact"].to_numpy(),
                                                     pa.timestamp("s"))]),
          "consent_withdrawn": pa.array(df["consent_withdrawn"].dt.tz_localize("UTC"))}
    numpy_ev = {c: df[c] for c in ("collection", "last_contact", "consent_withdrawn")}
    _same(_sweep(df, events=ev, purpose=pa.array(df["purpose"].astype(str).to_numpy())),
          _sweep(df, events=numpy_ev))
    holds = pd.DataFrame({"record": ["r3", "r7"], "start": ["2025-01-01", "2025-02-01"],
                          "end": [None, "2026-06-01"]})
    arrow_holds = holds.astype({"record": "str", "start": "str", "end": "str"})
    _same(_sweep(df, holds=arrow_holds), _sweep(df, holds=holds.astype(object)))


def test_sweep_names_the_row_and_column_of_a_bad_arrow_date() -> None:
    df = _records(50)
    texts = df["collection"].dt.strftime("%Y-%m-%d").astype("str")
    texts.iloc[7] = "2025-13-01"
    with pytest.raises(RetentionInputError) as e:
        _sweep(df.assign(collection=texts))
    assert e.value.row == 107 and e.value.column == "collection"
    assert "2025-13-01" not in str(e.value) and "month 13 does not exist" in str(e.value)
    bad = pa.array([0] * 49 + [-800000], pa.int32()).cast(pa.date32())
    with pytest.raises(RetentionInputError) as e:
        _sweep(df, events={"collection": bad})
    assert e.value.position == 49 and "0001-01-01 ... 9999-12-31" in str(e.value)
