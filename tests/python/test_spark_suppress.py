"""gdprkit.spark.suppress: Spark aggregates records with every total the
hierarchies need, the driver protects the table; the pattern is that of
gdprkit.suppress on the same table made in pandas, cell for cell."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import pandas as pd
import pytest

import gdprkit

pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")

import gdprkit.spark  # noqa: E402

# region > cluster > practice, with a practice directly under a region (a
# leaf shallower than the others) and a cluster of one practice.
PRACTICE: Dict[str, Optional[str]] = {
    "DK": None, "North": "DK", "South": "DK",
    "N1": "North", "N2": "North", "S1": "South",
    "p01": "N1", "p02": "N1", "p03": "N1", "p04": "N2", "p05": "N2",
    "p06": "S1", "p07": "S1", "p08": "S1", "p09": "South",
}
LEAVES = [c for c in PRACTICE if c.startswith("p")]  # 9 practices
DIMS = ["practice", "age.band", "sex"]  # a dot: column names are taken literally


def records(n: int, seed: int) -> pd.DataFrame:
    """Records with skewed practices and age bands, so that some cells are
    small and some combinations have no record at all."""
    rng = np.random.default_rng(seed)
    weights = np.array([40, 25, 3, 30, 12, 20, 2, 18, 6], dtype=float)
    ages = np.array(["0-17", "18-39", "40-64", "65-79", "80+"])
    age_w = np.array([8, 30, 40, 18, 4], dtype=float)
    return pd.DataFrame({
        "practice": np.asarray(LEAVES, dtype=object)[
            rng.choice(len(LEAVES), n, p=weights / weights.sum())],
        "age.band": ages[rng.choice(len(ages), n, p=age_w / age_w.sum())].astype(object),
        "sex": np.where(rng.random(n) < 0.5, "F", "M").astype(object),
        # whole kroner, so sums are exact in every order
        "amount": np.floor(rng.lognormal(5.0, 1.2, n)),
    })


@pytest.fixture(scope="module")
def recs() -> pd.DataFrame:
    return records(4000, 15)


@pytest.fixture(scope="module")
def sdf(spark: Any, recs: pd.DataFrame) -> Any:
    return spark.createDataFrame(recs)


@pytest.fixture(scope="module")
def counted(sdf: Any) -> Any:
    return gdprkit.spark.suppress(sdf, dims=DIMS, threshold=5,
                                  hierarchies={"practice": PRACTICE})


def detail(cells: pd.DataFrame, value: str) -> pd.DataFrame:
    """Codes, true value and status of every cell, comparable across paths."""
    out = cells[DIMS + [value, "status"]].copy()
    out[value] = out[value].astype("float64")
    out["status"] = out["status"].astype(str)
    return out.reset_index(drop=True)


def test_counts_identical_to_pandas(counted: Any, recs: pd.DataFrame) -> None:
    r = counted
    # What a consultant does in pandas: count the leaf cells, let the engine
    # compute the totals; an empty combination is a zero cell.
    leaf = recs.groupby(DIMS).size().rename("n").reset_index()
    expected = gdprkit.suppress(leaf, DIMS, "n", threshold=5,
                                hierarchies={"practice": PRACTICE},
                                compute_totals=True, missing="zero")
    # 15 practice codes x 6 age codes x 3 sex codes
    assert len(r.cells) == len(expected.cells) == 15 * 6 * 3
    pd.testing.assert_frame_equal(detail(r.confidential_cells(), "n"),
                                  detail(expected.confidential_cells(), "n"))
    assert r.num_primary > 0 and r.num_secondary > 0
    assert (r.num_primary, r.num_secondary) == (expected.num_primary, expected.num_secondary)
    assert r.audit().passed
    # the published values and statuses too
    pd.testing.assert_frame_equal(r.cells[DIMS + ["n", "status"]],
                                  expected.cells[DIMS + ["n", "status"]])
    # the totals with records are rows of Spark's aggregation (pandas
    # computed them from the leaves)
    totals = ~r.cells["practice"].isin(LEAVES) | r.cells[DIMS[1:]].eq("Total").any(axis=1)
    shown = totals & (r.cells["status"] == "published") & (r.cells["n"] > 0)
    assert r.cells.loc[shown, "given"].all()
    assert not expected.cells.loc[shown, "given"].any()
    # the grand total is every record
    top = r.cells[(r.cells[DIMS] == ["DK", "Total", "Total"]).all(axis=1)]
    assert int(top["n"].iloc[0]) == len(recs)


def test_result_as_spark_dataframe(counted: Any) -> None:
    r = counted
    cells = r.cells
    out = r.sdf.toArrow().to_pandas()
    assert list(r.sdf.columns) == list(cells.columns)
    assert r.dataframe is r.sdf or list(r.dataframe.columns) == list(r.sdf.columns)
    assert len(out) == len(cells)
    assert out["status"].tolist() == cells["status"].astype(str).tolist()
    hidden = out["status"] == "suppressed"
    assert hidden.sum() == r.num_primary + r.num_secondary
    assert out.loc[hidden, "n"].isna().all()
    assert out.loc[~hidden, "n"].tolist() == cells.loc[~hidden.to_numpy(), "n"].tolist()
    assert dict(r.sdf.dtypes)["n"] == "bigint"
    # `given` (the cell had records) would tell a suppressed zero: hidden
    assert cells.loc[hidden.to_numpy(), "given"].isna().all()
    assert out.loc[hidden, "given"].isna().all()
    assert out.loc[~hidden, "given"].notna().all()


def test_displays_are_the_safe_ones(counted: Any) -> None:
    r = counted
    assert repr(r) == "Spark" + repr(r._result)
    assert str(r) == repr(r)
    assert r._repr_html_() == r._result._repr_html_()
    assert r.crosstab().equals(r._result.crosstab())
    assert "primary" not in r.to_html()
    assert "n by practice" in r._repr_html_()
    assert r.aggregate_seconds > 0 and r.protect_seconds > 0


RULES = gdprkit.rules.threshold(3) & gdprkit.rules.dominance(n=2, k=85) & \
    gdprkit.rules.p_percent(10)


def test_sums_with_dominance_and_p_percent(spark: Any, recs: pd.DataFrame) -> None:
    # The engine takes the 2 largest contributions of every cell, so every
    # cell with records has 2 or more (see the next test).
    recs = recs[recs.groupby(DIMS)["amount"].transform("size") >= 2]
    rules = RULES
    r = gdprkit.spark.suppress(spark.createDataFrame(recs), dims=DIMS, value="amount",
                               rules=rules, hierarchies={"practice": PRACTICE})
    g = recs.groupby(DIMS)["amount"]
    leaf = g.sum().reset_index()
    leaf["contributors"] = g.size().to_numpy()
    top = g.apply(lambda s: sorted(s, reverse=True)[:2] + [0.0] * max(0, 2 - len(s)))
    leaf["x1"] = [t[0] for t in top]
    leaf["x2"] = [t[1] for t in top]
    expected = gdprkit.suppress(leaf, DIMS, "amount", rules=rules, kind="magnitude",
                                contributors="contributors", largest=["x1", "x2"],
                                hierarchies={"practice": PRACTICE},
                                compute_totals=True, missing="zero")
    got = r.confidential_cells()
    pd.testing.assert_frame_equal(detail(got, "amount"),
                                  detail(expected.confidential_cells(), "amount"))
    reasons = set(got["reasons"])
    assert {"dominance", "p%"} & {x for s in reasons for x in str(s).split("|")}
    assert r.num_secondary > 0 and r.audit().passed
    assert dict(r.sdf.dtypes)["amount"] == "double"


def test_fewer_contributors_than_largest_is_refused_as_in_pandas(
        spark: Any, recs: pd.DataFrame) -> None:
    # A cell of one record cannot list its two largest contributions: the
    # engine refuses the table, from Spark as from pandas, naming the cell.
    one = recs.head(300)
    with pytest.raises(gdprkit.InvalidArgumentError, match="largest contributions but has only"):
        gdprkit.spark.suppress(spark.createDataFrame(one), dims=DIMS, value="amount",
                               rules=RULES, hierarchies={"practice": PRACTICE})


def test_magnitude_threshold_counts_records(spark: Any) -> None:
    # the threshold rule of a magnitude table counts contributors (records)
    df = pd.DataFrame({"practice": ["p01"] * 2 + ["p02"] * 6 + ["p04"] * 7 + ["p06"] * 9,
                       "sex": ["F"] * 24, "amount": [10.0] * 24})
    r = gdprkit.spark.suppress(spark.createDataFrame(df), dims=["practice", "sex"],
                               value="amount", threshold=3,
                               hierarchies={"practice": PRACTICE})
    c = r.confidential_cells().set_index(["practice", "sex"])
    assert c.loc[("p01", "F"), "status"] == "primary"  # 2 contributors, sum 20
    assert c.loc[("p02", "F"), "status"] != "primary"
    assert c.loc[("DK", "Total"), "amount"] == 240.0


def test_kind_frequency_sums_a_count_column(spark: Any) -> None:
    df = pd.DataFrame({"sex": ["F", "F", "M"], "n": [3, 30, 40]})
    r = gdprkit.spark.suppress(spark.createDataFrame(df), dims=["sex"], value="n",
                               kind="frequency", threshold=5)
    c = r.confidential_cells().set_index("sex")
    assert c.loc["F", "n"] == 33 and c.loc["Total", "n"] == 73
    assert r.num_primary == 0


def test_unknown_code_is_refused_quoted(spark: Any, recs: pd.DataFrame) -> None:
    bad = recs.head(50).copy()
    bad.loc[bad.index[7], "practice"] = "p99\x1b"
    with pytest.raises(gdprkit.InvalidArgumentError) as e:
        gdprkit.spark.suppress(spark.createDataFrame(bad), dims=DIMS,
                               hierarchies={"practice": PRACTICE})
    text = str(e.value)
    assert "not in its hierarchy" in text and "'practice'" in text
    assert "\x1b" not in text  # caller text is quoted as untrusted
    assert gdprkit._gdprkit.quote_untrusted("p99\x1b") in text


def test_total_code_in_records_is_refused(spark: Any, recs: pd.DataFrame) -> None:
    bad = recs.head(50).copy()
    bad.loc[bad.index[3], "practice"] = "N1"
    with pytest.raises(gdprkit.InvalidArgumentError, match="is a total of its hierarchy"):
        gdprkit.spark.suppress(spark.createDataFrame(bad), dims=DIMS,
                               hierarchies={"practice": PRACTICE})
    flat = recs.head(50).copy()
    flat.loc[flat.index[3], "sex"] = "Total"
    with pytest.raises(gdprkit.InvalidArgumentError, match="is a total"):
        gdprkit.spark.suppress(spark.createDataFrame(flat), dims=DIMS,
                               hierarchies={"practice": PRACTICE})


def test_null_dimension_and_value_are_refused(spark: Any, recs: pd.DataFrame) -> None:
    from pyspark.sql import functions as F

    base = spark.createDataFrame(recs.head(60))
    nulls = base.withColumn("sex", F.when(F.monotonically_increasing_id() == 5, None)
                            .otherwise(F.col("sex")))
    with pytest.raises(gdprkit.InvalidArgumentError, match="dimension 'sex' is missing"):
        gdprkit.spark.suppress(nulls, dims=DIMS, hierarchies={"practice": PRACTICE})
    nullv = base.withColumn("amount", F.when(F.monotonically_increasing_id() == 5, None)
                            .otherwise(F.col("amount")))
    with pytest.raises(gdprkit.InvalidArgumentError, match="null in 1 records"):
        gdprkit.spark.suppress(nullv, dims=DIMS, value="amount",
                               hierarchies={"practice": PRACTICE})
    negative = base.withColumn("amount", F.col("amount") - 1e6)
    with pytest.raises(gdprkit.InvalidArgumentError, match="negative"):
        gdprkit.spark.suppress(negative, dims=DIMS, value="amount",
                               hierarchies={"practice": PRACTICE})


def test_missing_error_names_the_missing_cell(spark: Any) -> None:
    df = pd.DataFrame({"practice": ["p01", "p02", "p02"], "sex": ["F", "F", "M"]})
    with pytest.raises(gdprkit.InvalidArgumentError, match="missing cell"):
        gdprkit.spark.suppress(spark.createDataFrame(df), dims=["practice", "sex"],
                               missing="error")


def test_argument_errors_before_spark_runs(sdf: Any) -> None:
    with pytest.raises(gdprkit.NotFoundError):
        gdprkit.spark.suppress(sdf, dims=["practise"])
    with pytest.raises(gdprkit.InvalidArgumentError, match="not numeric"):
        gdprkit.spark.suppress(sdf, dims=["practice"], value="sex")
    with pytest.raises(gdprkit.InvalidArgumentError, match="not dims"):
        gdprkit.spark.suppress(sdf, dims=["sex"], hierarchies={"practice": PRACTICE})
    with pytest.raises(gdprkit.InvalidArgumentError):  # the core's cycle check
        gdprkit.spark.suppress(sdf, dims=["practice"],
                               hierarchies={"practice": {"a": "b", "b": "a"}})
    with pytest.raises(gdprkit.InvalidArgumentError, match="method"):
        gdprkit.spark.suppress(sdf, dims=["practice"], method="fastest")
    with pytest.raises(gdprkit.ArgumentTypeError):
        gdprkit.spark.suppress(recs_frame(), dims=["practice"])


def recs_frame() -> pd.DataFrame:
    return pd.DataFrame({"practice": ["p01"]})


def test_progress_reports_the_aggregation(sdf: Any) -> None:
    seen: List[Tuple[str, int, int]] = []
    gdprkit.spark.suppress(sdf, dims=["sex"], threshold=5,
                           progress=lambda s, d, t: seen.append((s, d, t)) or True)
    assert seen[:2] == [("aggregate", 0, 1), ("aggregate", 1, 1)]
    assert {s for s, _, _ in seen} >= {"aggregate", "primary", "audit"}
    with pytest.raises(gdprkit.CancelledError):
        gdprkit.spark.suppress(sdf, dims=["sex"], progress=lambda s, d, t: False)
