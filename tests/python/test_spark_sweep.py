"""gdprkit.spark.sweep: a retention sweep on the executors, row for row as
gdprkit.sweep on the same records in pandas (100k generated rows with every
status and every reason), holds both ways, a purpose column and one rule for
every row, errors that name the row and never its values."""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import sys
from typing import Any, Dict, Optional

import numpy as np
import pandas as pd
import pytest

import gdprkit
from gdprkit import retention

pytest.importorskip("pyspark")
pa = pytest.importorskip("pyarrow")

import gdprkit.spark  # noqa: E402

# The Python workers must be this interpreter (with numpy and gdprkit), also
# when the virtual environment is not on PATH; only read where the session
# starts, so harmless when another test module started it.
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

# Every way a record can end up: an early end and an extension of a period
# from an event, retention then deletion, retention only, a rule that only
# describes, and no rule; holds on top.
POLICY = """
controller { name: "Spark sweep" }
purposes { id: "contact" retention: "contact-6-months" }
purposes { id: "journal" retention: "journal-10-years" }
purposes { id: "ledger" retention: "ledger-at-least-5-years" }
purposes { id: "case" retention: "while-the-case-runs" }
retention_rules {
  id: "contact-6-months"
  period: "P6M"
  anchor: "last_contact"
  ends_early { event: "consent_withdrawn" }
  extended_by { event: "consent_to_retain" period: "P1Y" }
}
retention_rules {
  id: "journal-10-years" period: "P10Y" anchor: "last_entry" action: RETAIN_THEN_DELETE
}
retention_rules { id: "ledger-at-least-5-years" period: "P5Y" action: RETAIN_AT_LEAST }
retention_rules { id: "while-the-case-runs" description: "as long as the case runs" }
"""
ON = "2026-01-01"
PURPOSES = ["contact", "journal", "ledger", "case", "contact+ledger", None]
ROWS = 100_000
RESULT = ["status", "due", "due_date", "next_due", "rule", "anchor", "reason", "hold"]
NAT = np.datetime64("NaT", "D")


def records(n: int, seed: int, invalid: float = 0.0) -> pd.DataFrame:
    """Records on dates all over the calendar (month ends included), each
    event missing for some; with `invalid`, that share of the rows has a
    last contact before collection or a hold released before it began."""
    rng = np.random.default_rng(seed)

    def some(p: float, base: Any, low: int, high: int) -> Any:
        days = base + rng.integers(low, high, n).astype("timedelta64[D]")
        return np.where(rng.random(n) < p, days, NAT)

    collection = np.datetime64("2008-01-01") + rng.integers(0, 6500, n).astype(
        "timedelta64[D]")
    last_contact = some(0.7, collection, 0, 6000)
    hold_start = some(0.04, np.datetime64("2024-06-01"), 0, 700)
    hold_end = np.where(rng.random(n) < 0.5, hold_start + rng.integers(1, 400, n).astype(
        "timedelta64[D]"), NAT)
    if invalid:
        bad = rng.random(n) < invalid
        last_contact = np.where(bad, collection - np.timedelta64(3, "D"), last_contact)
        held_bad = ~bad & (rng.random(n) < invalid)  # one problem per record is named
        hold_start = np.where(held_bad, np.datetime64("2025-05-01"), hold_start)
        hold_end = np.where(held_bad, np.datetime64("2025-04-01"), hold_end)
    purpose = np.asarray(PURPOSES, dtype=object)[rng.integers(0, len(PURPOSES), n)]
    frame: pd.DataFrame = pd.DataFrame({
        "id": np.char.add("r", np.arange(n).astype(str)).astype(object),
        "purpose": purpose,
        "collection": collection,
        "last_contact": last_contact,
        "consent_withdrawn": some(0.15, collection, 30, 5000),
        "consent_to_retain": some(0.15, collection, 30, 5000),
        "last_entry": some(0.8, collection, 0, 6000),
        "hold_start": hold_start,
        "hold_end": hold_end,
    })
    return frame


def to_spark(spark: Any, df: pd.DataFrame) -> Any:
    """A Spark DataFrame of the records through Arrow: dates as dates,
    missing as null (pandas' own conversion would write "nan" for None)."""
    columns = {c: pa.array(df[c].to_numpy(), pa.date32(), from_pandas=True)
               if df[c].dtype.kind == "M" else pa.array(df[c].to_numpy(), from_pandas=True)
               for c in df.columns}
    return spark.createDataFrame(pa.table(columns))


def comparable(result: pd.DataFrame) -> pd.DataFrame:
    """The result columns with plain values: names as objects (None for
    none), dates as datetime64[D], by record id."""
    out = pd.DataFrame(index=pd.Index(result["id"].to_numpy(), name="id"))
    for c in RESULT:
        values = result[c]
        if isinstance(values.dtype, pd.CategoricalDtype) or values.dtype == object or (
                pd.api.types.is_string_dtype(values.dtype)):
            out[c] = values.astype(object).where(values.notna(), None).to_numpy()
        elif values.dtype.kind == "M":
            out[c] = values.to_numpy().astype("datetime64[D]")
        else:
            out[c] = values.to_numpy()
    ordered: pd.DataFrame = out.sort_index()
    return ordered


def spark_result(sdf: Any) -> pd.DataFrame:
    frame: pd.DataFrame = sdf.toArrow().to_pandas(date_as_object=False)
    return frame


def assert_same(spark_out: Any, pandas_out: pd.DataFrame, own_holds: bool = False
                ) -> pd.DataFrame:
    """Spark's answer is pandas', row for row. With `own_holds` (a column
    pair), pandas numbers the holds across the frame, Spark within the row
    (0): the same hold."""
    got = comparable(spark_result(spark_out))
    want = comparable(pandas_out)
    if own_holds:
        want["hold"] = np.where(want["hold"] >= 0, 0, -1)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    return got


@pytest.fixture(scope="module")
def policy_file(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    path = tmp_path_factory.mktemp("spark-sweep") / "policy.textproto"
    path.write_text(POLICY)
    return path


@pytest.fixture(scope="module")
def recs() -> pd.DataFrame:
    return records(ROWS, 15, invalid=0.01)


@pytest.fixture(scope="module")
def sdf(spark: Any, recs: pd.DataFrame) -> Any:
    return to_spark(spark, recs)


@pytest.fixture(scope="module")
def valid(spark: Any) -> Dict[str, Any]:
    df = records(20_000, 16)
    return {"df": df, "sdf": to_spark(spark, df)}


SWEEP: Dict[str, Any] = {"on": ON, "id": "id", "purpose": "purpose",
                         "holds": ("hold_start", "hold_end")}


def test_every_status_and_reason_row_for_row(
        policy_file: pathlib.Path, recs: pd.DataFrame, sdf: Any) -> None:
    """errors="coerce" on 100k rows: every status and reason occurs, and
    Spark's answer is the pandas path's, row for row."""
    want = gdprkit.sweep(recs, policy=str(policy_file), errors="coerce", **SWEEP)
    got = assert_same(gdprkit.spark.sweep(sdf, policy=str(policy_file), errors="coerce",
                                          keep_input=False, **SWEEP), want, own_holds=True)
    assert set(got["status"]) == set(retention.STATUSES)
    assert set(got["reason"]) == set(retention.REASONS)
    assert got["due_date"].notna().any() and got["next_due"].notna().any()
    assert (got["hold"] >= 0).any()


def test_keeps_the_input_columns_first(policy_file: pathlib.Path, valid: Dict[str, Any]
                                       ) -> None:
    """errors="raise" (the default) on valid rows; with keep_input (the
    default) the input's columns come first, unchanged, then the sweep's."""
    out = gdprkit.spark.sweep(valid["sdf"], policy=str(policy_file), **SWEEP)
    assert out.columns == list(valid["df"].columns) + RESULT
    types = dict(out.dtypes)
    assert [types[c] for c in RESULT] == [
        "string", "boolean", "date", "date", "string", "string", "string", "int"]
    want = gdprkit.sweep(valid["df"], policy=str(policy_file), **SWEEP)
    got = spark_result(out)
    assert_same(out, want, own_holds=True)
    pd.testing.assert_frame_equal(
        got[list(valid["df"].columns)].set_index("id").sort_index(),
        spark_result(valid["sdf"]).set_index("id").sort_index())


def test_report_lists_each_invalid_row_with_its_problem(
        policy_file: pathlib.Path, recs: pd.DataFrame, sdf: Any) -> None:
    want = gdprkit.sweep(recs, policy=str(policy_file), errors="report",
                         max_errors=len(recs), **SWEEP)
    out = gdprkit.spark.sweep(sdf, policy=str(policy_file), errors="report",
                              keep_input=False, **SWEEP)
    assert out.columns == ["id"] + RESULT + ["problem", "problem_column"]
    got = spark_result(out).set_index("id").sort_index()
    listed = want.attrs["report"].invalid_frame()
    expected = pd.DataFrame({"problem": listed["problem"].to_numpy(),
                             "problem_column": listed["column"].to_numpy()},
                            index=pd.Index(recs["id"].to_numpy()[listed["position"]]))
    invalid = got[got["status"] == "invalid"]
    assert len(invalid) == want.attrs["report"].invalid > 0
    assert set(invalid["problem"]) == {"before-collection", "hold-released-early"}
    pd.testing.assert_frame_equal(invalid[["problem", "problem_column"]],
                                  expected.sort_index(), check_names=False)
    assert got.loc[got["status"] != "invalid", "problem"].isna().all()


def holds_table(df: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Holds for some records, a few with two (one open-ended)."""
    rng = np.random.default_rng(seed)
    ids = df["id"].to_numpy()[rng.choice(len(df), 600, replace=False)]
    ids = np.concatenate([ids, ids[:50]])
    start = np.datetime64("2024-01-01") + rng.integers(0, 900, len(ids)).astype(
        "timedelta64[D]")
    end = np.where(rng.random(len(ids)) < 0.4, NAT,
                   start + rng.integers(1, 500, len(ids)).astype("timedelta64[D]"))
    frame: pd.DataFrame = pd.DataFrame({"record": ids, "start": start, "end": end})
    return frame


@pytest.mark.parametrize("kind", ["pandas", "spark"])
def test_a_holds_table(spark: Any, policy_file: pathlib.Path, valid: Dict[str, Any],
                       kind: str) -> None:
    """A holds DataFrame (pandas, or Spark collected to the driver) gives
    the pandas path's answer; ``hold`` is the position in that table."""
    holds = holds_table(valid["df"], 3)
    want = gdprkit.sweep(valid["df"], policy=str(policy_file), on=ON, id="id",
                         purpose="purpose", holds=holds)
    given = holds if kind == "pandas" else to_spark(spark, holds)
    got = assert_same(gdprkit.spark.sweep(valid["sdf"], policy=str(policy_file), on=ON,
                                          id="id", purpose="purpose", holds=given,
                                          keep_input=False), want)
    assert (got["status"] == "held").any() and (got["reason"] == "hold-released").any()
    assert got["hold"].max() >= 600  # a second hold of a record matters somewhere


def test_one_rule_for_every_row_and_a_policy_object(
        policy_file: pathlib.Path, valid: Dict[str, Any]) -> None:
    """rule= one id for every row; the policy as a RetentionSchedule (its
    file is read again on the driver and shipped as text)."""
    schedule = gdprkit.RetentionSchedule.from_policy(str(policy_file))
    want = gdprkit.sweep(valid["df"], policy=schedule, on=ON, id="id",
                         rule="contact-6-months")
    got = assert_same(gdprkit.spark.sweep(valid["sdf"], policy=schedule, on=ON, id="id",
                                          rule="contact-6-months", keep_input=False), want)
    assert set(got["rule"].dropna()) == {"contact-6-months"}


def test_a_column_of_nulls_selects_no_rule(policy_file: pathlib.Path, valid: Dict[str, Any]
                                          ) -> None:
    from pyspark.sql import functions as F

    sdf = valid["sdf"].limit(50).withColumn("purpose", F.lit(None))
    got = spark_result(gdprkit.spark.sweep(sdf, policy=str(policy_file), on=ON,
                                           purpose="purpose", keep_input=False))
    assert set(got["reason"]) == {"no-rule"} and len(got) == 50


def test_times_with_a_zone_are_civil_dates_in_the_zone(
        spark: Any, policy_file: pathlib.Path) -> None:
    """A timestamp is read as the date it falls on in ``zone``: 22:30 UTC on
    30 June is 1 July in Copenhagen, still 30 June in UTC."""
    instant = dt.datetime(2025, 6, 30, 22, 30, tzinfo=dt.timezone.utc)
    sdf = spark.createDataFrame(pa.table({
        "id": ["a"], "collection": pa.array([instant], pa.timestamp("us", tz="UTC"))}))
    due: Dict[str, Optional[dt.date]] = {}
    for zone in ("Europe/Copenhagen", "UTC"):
        row = gdprkit.spark.sweep(sdf, policy=str(policy_file), on=ON, id="id",
                                  rule="ledger-at-least-5-years", zone=zone).collect()[0]
        due[zone] = row["next_due"]
    assert due == {"Europe/Copenhagen": dt.date(2030, 7, 1),
                   "UTC": dt.date(2030, 6, 30)}


# ---- errors ----------------------------------------------------------------------------------

CPR = "0101901234"


def failure(sdf: Any) -> str:
    """The message with which a Spark job fails."""
    with pytest.raises(Exception) as caught:
        sdf.collect()
    return str(caught.value)


def test_raise_names_partition_row_column_and_problem_not_values(
        spark: Any, policy_file: pathlib.Path) -> None:
    df = records(300, 17)
    df["id"] = df["id"].astype(object)
    df.loc[123, "id"] = CPR
    df.loc[123, "purpose"] = "contact"
    df.loc[123, "collection"] = np.datetime64("2021-03-04")
    df.loc[123, "last_contact"] = np.datetime64("2020-11-12")
    sdf = to_spark(spark, df).coalesce(1)  # one partition, in order
    message = failure(gdprkit.spark.sweep(sdf, policy=str(policy_file), **SWEEP))
    assert 'RetentionInputError: partition 0, row 123, column "last_contact": ' \
           "before-collection" in message
    for value in (CPR, "2021-03-04", "2020-11-12", "18692", "18578"):
        assert value not in message


def test_rows_are_counted_across_batches(spark: Any, policy_file: pathlib.Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Spark's Arrow batches of 64 rows, joined to chunks of 128 for the
    sweep: row 250 of the partition is row 122 of the second chunk, and the
    message counts from the partition's start."""
    from gdprkit.spark import _sweep

    df = records(300, 18)
    df.loc[250, "purpose"] = "contact"
    df.loc[250, "collection"] = np.datetime64("2021-03-04")
    df.loc[250, "last_contact"] = np.datetime64("2021-03-03")
    sdf = to_spark(spark, df).coalesce(1)
    monkeypatch.setattr(_sweep, "_CHUNK_ROWS", 100)
    key = "spark.sql.execution.arrow.maxRecordsPerBatch"
    before = spark.conf.get(key)
    spark.conf.set(key, "64")
    try:
        message = failure(gdprkit.spark.sweep(sdf, policy=str(policy_file), **SWEEP))
    finally:
        spark.conf.set(key, before)
    assert 'partition 0, row 250, column "last_contact": before-collection' in message


def test_an_unknown_id_or_unreadable_date_fails_without_the_value(
        spark: Any, policy_file: pathlib.Path) -> None:
    """Unknown ids and text that is no date fail the job in every mode."""
    def frame(purpose: str, collection: str) -> Any:
        df = pd.DataFrame({"purpose": ["contact", purpose, "case"],
                           "collection": ["2020-01-01", "2020-01-01", collection]})
        return spark.createDataFrame(pa.Table.from_pandas(df.astype(object))).coalesce(1)

    message = failure(gdprkit.spark.sweep(frame(CPR, "2020-01-01"), policy=str(policy_file),
                                          on=ON, purpose="purpose", errors="coerce"))
    assert 'NotFoundError: partition 0, row 1, column "purpose": not a purpose id' in message
    assert CPR not in message
    message = failure(gdprkit.spark.sweep(frame("case", "2025-02-30"), policy=str(policy_file),
                                          on=ON, purpose="purpose", errors="coerce"))
    assert 'partition 0, row 2, column "collection": a value that cannot be read as a date' \
        in message
    assert "2025-02-30" not in message


def test_missing_columns_are_not_found(policy_file: pathlib.Path, valid: Dict[str, Any]
                                       ) -> None:
    sdf = valid["sdf"]
    for kwargs in ({"id": "ids"}, {"events": {"last_contact": "last_contacts"}},
                   {"holds": ("hold_start", "hold_stop")}):
        args = {**SWEEP, **kwargs}
        with pytest.raises(gdprkit.NotFoundError, match="did you mean"):
            gdprkit.spark.sweep(sdf, policy=str(policy_file), **args)
    with pytest.raises(gdprkit.NotFoundError, match="neither a column"):
        gdprkit.spark.sweep(sdf, policy=str(policy_file), on=ON, purpose="purposes")


def test_refusals_on_the_driver(spark: Any, policy_file: pathlib.Path,
                                valid: Dict[str, Any]) -> None:
    from pyspark.sql import functions as F

    sdf = valid["sdf"]
    policy = str(policy_file)
    with pytest.raises(gdprkit.InvalidArgumentError, match="\"Status\".*keep_input=False"):
        gdprkit.spark.sweep(sdf.withColumn("Status", sdf["id"]), policy=policy, **SWEEP)
    renamed = sdf.withColumnRenamed("purpose", "rule")
    assert "rule" in gdprkit.spark.sweep(renamed, policy=policy, on=ON, id="id", rule="rule",
                                         keep_input=False).columns
    with pytest.raises(gdprkit.InvalidArgumentError, match="errors"):
        gdprkit.spark.sweep(sdf, policy=policy, errors="ignore", **SWEEP)
    with pytest.raises(gdprkit.ArgumentTypeError, match="pyspark.sql.DataFrame"):
        gdprkit.spark.sweep(valid["df"], policy=policy, **SWEEP)
    with pytest.raises(gdprkit.ArgumentTypeError, match="exactly one"):
        gdprkit.spark.sweep(sdf, policy=policy, on=ON, purpose="purpose", rule="x")
    with pytest.raises(retention.RetentionInputError, match="unknown event"):
        gdprkit.spark.sweep(sdf, policy=policy, on=ON, purpose="purpose",
                            events={"last_contacts": "last_contact"})
    with pytest.raises(retention.RetentionInputError, match="not dates"):
        gdprkit.spark.sweep(sdf.withColumn("collection", F.lit(1)), policy=policy, on=ON,
                            purpose="purpose")
    with pytest.raises(gdprkit.ArgumentTypeError, match="holds must be"):
        gdprkit.spark.sweep(sdf, policy=policy, on=ON, id="id", purpose="purpose", holds=42)
    with pytest.raises(gdprkit.InvalidArgumentError, match="id="):
        gdprkit.spark.sweep(sdf, policy=policy, on=ON, purpose="purpose",
                            holds=holds_table(valid["df"], 1))
    # A policy that is not in a file cannot be shipped to the executors.
    with pytest.raises(gdprkit.InvalidArgumentError, match="give the policy file's path"):
        gdprkit.spark.sweep(sdf, policy=gdprkit.Policy.from_text(POLICY), **SWEEP)


def test_a_policy_file_changed_since_it_was_loaded_is_refused(
        tmp_path: pathlib.Path, valid: Dict[str, Any]) -> None:
    path = tmp_path / "policy.textproto"
    path.write_text(POLICY)
    policy = gdprkit.Policy.load(str(path))
    path.write_text(POLICY.replace('period: "P6M"', 'period: "P7M"'))
    with pytest.raises(gdprkit.InvalidArgumentError, match="changed since it was loaded"):
        gdprkit.spark.sweep(valid["sdf"], policy=policy, **SWEEP)
