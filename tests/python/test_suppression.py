"""gdprkit.suppress, audit_suppression and plot_suppressed on pandas frames:
good paths on hierarchical tables, every published pattern audited, bad input
with errors that name the row or cell, determinism, the plot (Agg)."""

from __future__ import annotations

import itertools
import threading
from typing import Dict, List

import numpy as np
import pandas as pd
import pytest

import gdprkit

# Region > clusters N, S > practices, by age band; leaf counts.
LEAVES = {
    ("p1", "0-17"): 3, ("p1", "18-64"): 40, ("p1", "65+"): 22,
    ("p2", "0-17"): 12, ("p2", "18-64"): 35, ("p2", "65+"): 18,
    ("p3", "0-17"): 9, ("p3", "18-64"): 2, ("p3", "65+"): 30,
    ("p4", "0-17"): 15, ("p4", "18-64"): 28, ("p4", "65+"): 25,
}  # fmt: skip
PRACTICE = {"Total": None, "N": "Total", "p1": "N", "p2": "N", "S": "Total", "p3": "S", "p4": "S"}
AGE = {"Total": None, "0-17": "Total", "18-64": "Total", "65+": "Total"}
HIER = {"practice": PRACTICE, "age": AGE}


def leaf_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [(p, a, n) for (p, a), n in LEAVES.items()], columns=["practice", "age", "n"]
    )


def full_frame() -> pd.DataFrame:
    """Every cell, totals included, computed here."""
    children: Dict[str, List[str]] = {}
    for c, p in PRACTICE.items():
        if p:
            children.setdefault(p, []).append(c)

    def leaves_of(code: str) -> List[str]:
        if code not in children:
            return [code]
        return [leaf for c in children[code] for leaf in leaves_of(c)]

    rows = []
    for p in PRACTICE:
        for a in AGE:
            ages = [a] if a != "Total" else ["0-17", "18-64", "65+"]
            rows.append((p, a, sum(LEAVES[(q, b)] for q in leaves_of(p) for b in ages)))
    return pd.DataFrame(rows, columns=["practice", "age", "n"])


def pattern(result: gdprkit.SuppressionResult) -> Dict[tuple, str]:
    """Each cell's status in the detail (published, primary, secondary)."""
    c = result.confidential_cells()
    return {(p, a): str(s) for p, a, s in zip(c["practice"], c["age"], c["status"])}


def check_no_lonely_suppression(result: gdprkit.SuppressionResult) -> None:
    """No total relation has exactly one suppressed cell."""
    pat = pattern(result)
    groups = [("Total", ["N", "S"]), ("N", ["p1", "p2"]), ("S", ["p3", "p4"])]
    for a in AGE:
        for parent, kids in groups:
            n = sum(pat[(x, a)] != "published" for x in [parent] + kids)
            assert n != 1, (a, parent)
    for p in PRACTICE:
        n = sum(pat[(p, a)] != "published" for a in AGE)
        assert n != 1, p


# ---------------------------------------------------------------------------
# Good paths
# ---------------------------------------------------------------------------


def test_hierarchical_table_with_given_totals() -> None:
    df = full_frame()
    r = gdprkit.suppress(df, dims=["practice", "age"], value="n", threshold=5,
                         hierarchies=HIER, method="optimal")
    assert r.num_primary == 2
    assert r.num_secondary >= 4
    assert r.method == "optimal" and r.proven_optimal
    pat = pattern(r)
    assert pat[("p1", "0-17")] == "primary"
    assert pat[("p3", "18-64")] == "primary"
    check_no_lonely_suppression(r)
    # The published table: same rows and order, suppressed values are NA.
    t = r.table
    assert list(t.columns) == ["practice", "age", "n", "status"]
    assert len(t) == len(df) and list(t.index) == list(df.index)
    assert str(t["n"].dtype) == "Int64"
    hidden = t["status"] != "published"
    assert t.loc[hidden, "n"].isna().all()
    assert (t.loc[~hidden, "n"] == df.loc[~hidden, "n"]).all()
    assert int(hidden.sum()) == r.num_primary + r.num_secondary
    # The audit.
    a = r.audit()
    assert a.passed
    assert a.unsafe.empty
    # The safe frame says "suppressed" and nothing that tells the primary cells.
    assert list(a.intervals.columns) == ["practice", "age", "status"]
    assert set(a.intervals["status"]) == {"suppressed"}
    assert set(r.cells["status"]) == set(r.table["status"]) == {"published", "suppressed"}
    iv = a.confidential_intervals()
    assert len(iv) == r.num_primary + r.num_secondary
    small = iv[(iv.practice == "p1") & (iv.age == "0-17")].iloc[0]
    assert small["status"] == "primary" and bool(small["safe"])
    assert small["upper"] >= 5  # the attacker cannot prove it is below 5
    assert small["lower"] <= 3 <= small["upper"]
    assert small["need_upper"] == 5
    assert (iv["lower"] <= iv["n"]).all() and (iv["upper"] >= iv["n"]).all()


def test_computed_totals_match_given_totals() -> None:
    given = gdprkit.suppress(full_frame(), ["practice", "age"], "n", hierarchies=HIER,
                             method="optimal")
    computed = gdprkit.suppress(leaf_frame(), ["practice", "age"], "n", hierarchies=HIER,
                                method="optimal", compute_totals=True)
    assert pattern(given) == pattern(computed)
    t = computed.table
    assert len(t) == 28  # 12 leaves + 16 computed totals
    total = t[(t.practice == "Total") & (t.age == "Total")].iloc[0]
    assert total["n"] == sum(LEAVES.values()) and total["status"] == "published"
    assert computed.confidential_cells()["given"].sum() == 12
    # On the suppressed rows of the safe frame "given" is masked: a leaf the
    # input lacked is a zero under missing="zero".
    cells = computed.cells
    hidden = (cells["status"] == "suppressed").to_numpy(dtype=bool)
    assert hidden.any() and cells["given"][hidden].isna().all()
    assert cells["given"][~hidden].notna().all()


def test_flat_dimensions_and_defaults() -> None:
    df = pd.DataFrame({"practice": ["p1", "p1", "p2", "p2", "p3", "p3"],
                       "band": ["<140", ">=140"] * 3, "n": [31, 3, 24, 9, 18, 11]})
    r = gdprkit.suppress(df, dims=["practice", "band"], compute_totals=True)
    assert (r.num_primary, r.num_secondary) == (1, 3)
    assert r.audit().passed
    assert r.hierarchies["practice"][0] == ("Total", "")
    # Integer codes are fine; they become strings.
    df2 = df.assign(practice=[101, 101, 102, 102, 103, 103])
    r2 = gdprkit.suppress(df2, dims=["practice", "band"], compute_totals=True)
    assert r2.num_secondary == 3


def test_heuristic_on_a_larger_table_passes_its_audit() -> None:
    rng = np.random.default_rng(7)
    practices = {f"p{i}": f"c{i % 6}" for i in range(60)}
    hier = {"Total": None, **{f"c{k}": "Total" for k in range(6)}, **practices}
    ages = [f"a{k}" for k in range(8)]
    rows = [(p, a, int(rng.integers(0, 40))) for p in practices for a in ages]
    df = pd.DataFrame(rows, columns=["practice", "age", "n"])
    r = gdprkit.suppress(df, ["practice", "age"], hierarchies={"practice": hier},
                         compute_totals=True, method="heuristic")
    assert r.method == "heuristic"
    assert r.num_primary == int(((df.n > 0) & (df.n < 5)).sum())
    assert r.audit().passed
    # And an independent audit of the same pattern through audit_suppression.
    t = r.table
    again = gdprkit.audit_suppression(
        t.assign(n=r.confidential_cells().set_index(["practice", "age"]).loc[
            list(zip(t.practice, t.age)), "n"].to_numpy()),
        ["practice", "age"], "n", suppressed=(t.status != "published").to_numpy(),
        hierarchies={"practice": hier})
    assert again.passed


def test_cost_models_and_methods_agree_on_safety() -> None:
    df = full_frame()
    for method, cost in itertools.product(["heuristic", "optimal", "auto"],
                                          ["cells", "value"]):
        r = gdprkit.suppress(df, ["practice", "age"], hierarchies=HIER, method=method, cost=cost)
        assert r.audit().passed, (method, cost)
        check_no_lonely_suppression(r)
    by_value = gdprkit.suppress(df, ["practice", "age"], hierarchies=HIER, method="optimal",
                                cost="value")
    by_cells = gdprkit.suppress(df, ["practice", "age"], hierarchies=HIER, method="optimal")
    cv, cc = by_value.confidential_cells(), by_cells.confidential_cells()
    hidden = cv[cv.status == "secondary"]["n"].sum()
    hidden_cells = cc[cc.status == "secondary"]["n"].sum()
    assert hidden <= hidden_cells
    assert by_cells.num_secondary <= by_value.num_secondary


def test_hierarchy_forms_give_the_same_pattern() -> None:
    hrc = "N\n@p1\n@p2\nS\n@p3\n@p4\n"
    pairs = [(c, p) for c, p in PRACTICE.items()]
    frame = pd.DataFrame(pairs, columns=["code", "parent"])
    results = [
        gdprkit.suppress(full_frame(), ["practice", "age"], hierarchies={"practice": h,
                                                                        "age": AGE})
        for h in (PRACTICE, pairs, frame, hrc)
    ]
    for r in results[1:]:
        assert pattern(r) == pattern(results[0])
    assert gdprkit.hierarchy_from_hrc(hrc)["p3"] == "S"


def test_magnitude_table_with_dominance() -> None:
    df = pd.DataFrame({
        "region": ["r1", "r2", "r3", "Total"],
        "turnover": [100.0, 500.0, 300.0, 900.0],
        "firms": [10, 12, 9, 31],
        "x1": [90.0, 50.0, 40.0, 90.0],
        "x2": [2.0, 40.0, 30.0, 50.0],
    })
    r = gdprkit.suppress(df, ["region"], "turnover", kind="magnitude", contributors="firms",
                         largest=["x1", "x2"], dominance=[(1, 80)])
    c = r.confidential_cells().set_index("region")
    assert c.loc["r1", "status"] == "primary"
    assert "dominance" in c.loc["r1", "reasons"]
    assert r.num_secondary == 1
    assert r.audit().passed
    assert "firms" not in r.table.columns and "x1" not in r.table.columns
    assert str(r.table["turnover"].dtype) == "Float64"


def test_manual_marks_and_protected_zeros() -> None:
    df = full_frame()
    df["mark"] = ""
    df.loc[(df.practice == "p2") & (df.age == "65+"), "mark"] = "unsafe"
    r = gdprkit.suppress(df, ["practice", "age"], hierarchies=HIER, mark="mark")
    c = r.confidential_cells().set_index(["practice", "age"])
    assert c.loc[("p2", "65+"), "status"] == "primary"
    assert c.loc[("p2", "65+"), "reasons"] == "manual"
    assert r.audit().passed
    z = leaf_frame()
    z.loc[z.n == 9, "n"] = 0
    r0 = gdprkit.suppress(z, ["practice", "age"], hierarchies=HIER, compute_totals=True,
                          protect_zeros=True)
    c0 = r0.confidential_cells().set_index(["practice", "age"])
    assert c0.loc[("p3", "0-17"), "status"] == "primary"
    assert "zero" in c0.loc[("p3", "0-17"), "reasons"]


def test_audit_of_a_naive_pattern_fails_and_names_the_cells() -> None:
    df = full_frame()
    naive = (df.n > 0) & (df.n < 5)
    a = gdprkit.audit_suppression(df, ["practice", "age"], "n", naive.to_numpy(),
                                  hierarchies=HIER)
    assert not a.passed
    unsafe = a.unsafe
    assert set(zip(unsafe.practice, unsafe.age)) == {("p1", "0-17"), ("p3", "18-64")}
    detail = a.confidential_intervals().loc[unsafe.index]
    assert (detail["lower"] == detail["upper"]).all()  # recomputed exactly
    assert all(detail["reason"].str.len() > 0)
    # A pattern that leaves a primary published fails too.
    none = gdprkit.audit_suppression(df.assign(s=False), ["practice", "age"], "n", "s",
                                     hierarchies=HIER)
    assert not none.passed
    assert set(none.unsafe["status"]) == {"published"}


def test_classic_traps() -> None:
    # A row with a single small cell; its only partners are other small cells.
    df = pd.DataFrame({"a": ["x", "x", "y", "y"], "b": ["u", "v", "u", "v"],
                       "n": [2, 3, 1, 40]})
    r = gdprkit.suppress(df, ["a", "b"], compute_totals=True, method="optimal")
    assert r.audit().passed
    # The partner must be found one level up: a cluster with one practice.
    hier = {"Total": None, "N": "Total", "p1": "N", "S": "Total", "p2": "S", "p3": "S"}
    df2 = pd.DataFrame({"practice": ["p1", "p1", "p2", "p2", "p3", "p3"],
                        "sex": ["F", "M"] * 3, "n": [3, 20, 14, 11, 16, 12]})
    r2 = gdprkit.suppress(df2, ["practice", "sex"], hierarchies={"practice": hier},
                          compute_totals=True)
    assert r2.audit().passed
    c = r2.cells.set_index(["practice", "sex"])
    # N = p1 in every column: N's cell must be suppressed with p1's.
    assert c.loc[("N", "F"), "status"] != "published"


# ---------------------------------------------------------------------------
# Determinism and threads
# ---------------------------------------------------------------------------


def test_same_frame_same_pattern() -> None:
    rng = np.random.default_rng(3)
    rows = [(f"p{i}", f"a{j}", int(rng.integers(0, 30))) for i in range(30) for j in range(6)]
    df = pd.DataFrame(rows, columns=["practice", "age", "n"])
    first = gdprkit.suppress(df, ["practice", "age"], compute_totals=True, method="heuristic")
    for _ in range(3):
        again = gdprkit.suppress(df, ["practice", "age"], compute_totals=True,
                                 method="heuristic")
        assert pattern(again) == pattern(first)
    shuffled = df.sample(frac=1.0, random_state=11)
    r = gdprkit.suppress(shuffled, ["practice", "age"], compute_totals=True, method="heuristic")
    assert pattern(r) == pattern(first)
    # The published table follows the input's row order and index.
    assert list(r.table.index[: len(df)]) == list(range(len(df)))
    assert list(r.table.practice[: len(df)]) == list(shuffled.practice)


def test_threads_share_nothing() -> None:
    df = full_frame()
    expected = pattern(gdprkit.suppress(df, ["practice", "age"], hierarchies=HIER))
    got: List[Dict[tuple, str]] = []
    errors: List[BaseException] = []

    def work() -> None:
        try:
            got.append(pattern(gdprkit.suppress(df, ["practice", "age"], hierarchies=HIER)))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert got == [expected] * 4


# ---------------------------------------------------------------------------
# Bad input: typed errors naming the row or cell
# ---------------------------------------------------------------------------


def raises(match: str, df: pd.DataFrame, **kw: object) -> gdprkit.Error:
    args = {"dims": ["practice", "age"], "value": "n", "hierarchies": HIER, **kw}
    with pytest.raises(gdprkit.InvalidArgumentError, match=match) as info:
        gdprkit.suppress(df, **args)  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError)
    return info.value


def test_totals_that_do_not_add_up() -> None:
    df = full_frame()
    df.loc[(df.practice == "N") & (df.age == "65+"), "n"] += 1
    e = raises("do not add up", df)
    assert "N" in str(e) and "65+" in str(e)


def test_negative_nan_and_fractional_counts() -> None:
    df = full_frame()
    df.loc[5, "n"] = -2
    e = raises("negative", df)
    assert "row 5" in str(e)
    df = full_frame().astype({"n": "float64"})
    df.loc[7, "n"] = np.nan
    e = raises("NaN", df)
    assert "row 7" in str(e) and "practice=" in str(e)
    df = full_frame().astype({"n": "float64"})
    df.loc[3, "n"] = 2.5
    raises("row 3.*whole count", df)
    df = full_frame()
    df["n"] = df["n"].astype(str)
    raises("not numeric", df)
    df = full_frame().astype({"n": "Int64"})
    df.loc[2, "n"] = pd.NA
    raises("row 2", df)


def test_missing_and_duplicated_cells() -> None:
    df = full_frame().drop(index=9)
    e = raises("missing cell", df)
    assert "compute_totals" in str(e)
    # Leaves stay required with compute_totals=True.
    leaves = leaf_frame().drop(index=4)
    raises("missing", leaves, compute_totals=True)
    # ... unless they are zeros.
    r = gdprkit.suppress(leaves, ["practice", "age"], hierarchies=HIER, compute_totals=True,
                         missing="zero")
    assert r.audit().passed
    dup = pd.concat([full_frame(), full_frame().iloc[[4]]], ignore_index=True)
    e = raises("duplicated cell", dup)
    assert "row 4" in str(e) and "row 28" in str(e)


def test_missing_zero_does_not_need_computed_totals() -> None:
    # A missing leaf is a zero cell under missing="zero" whether the totals
    # are computed or given (and then checked against it), as at the CLI.
    df = full_frame()
    counted = df["practice"].isin(["p1", "N", "Total"]) & df["age"].isin(["0-17", "Total"])
    df.loc[counted, "n"] -= 3  # (p1, 0-17) is now 0 in every total ...
    df = df.drop(index=9)  # ... and has no row
    r = gdprkit.suppress(df, ["practice", "age"], hierarchies=HIER, missing="zero")
    cells = r.confidential_cells()
    row = cells[(cells["practice"] == "p1") & (cells["age"] == "0-17")]
    assert list(row["n"]) == [0] and not bool(row["given"].iloc[0])
    raises("missing cell .practice=p1, age=0-17.", df)
    raises("do not add up", full_frame().drop(index=9), missing="zero")  # totals count the 3
    # Totals are still required without compute_totals.
    e = raises("missing cell", leaf_frame(), missing="zero")
    assert "compute_totals=True" in str(e)


def test_orphan_codes_and_cycles() -> None:
    df = full_frame()
    df.loc[0, "practice"] = "p9"
    e = raises("orphan", df)
    assert "'p9'" in str(e) and "row 0" in str(e)
    bad = dict(PRACTICE, p4="nowhere")
    e = raises("nowhere", full_frame(), hierarchies={"practice": bad, "age": AGE})
    cyc = dict(PRACTICE, N="p1")
    raises("cycle", full_frame(), hierarchies={"practice": cyc, "age": AGE})
    df = full_frame()
    df.loc[3, "age"] = None
    raises("row 3.*missing", df)


def test_bad_arguments() -> None:
    df = full_frame()
    raises("no column 'count'", df, value="count")
    raises("dims is empty", df, dims=[])
    raises("unknown method", df, method="fast")
    raises("unknown cost", df, cost="money")
    raises("not dims", df, hierarchies={"region": PRACTICE})
    raises("unknown kind", df, kind="sums")
    raises("threshold", df, threshold=-1)
    with pytest.raises(TypeError):
        gdprkit.suppress([1, 2], dims=["a"])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        gdprkit.suppress(df, ["practice", "age"], threshold="5")  # type: ignore[arg-type]
    with pytest.raises(gdprkit.InvalidArgumentError, match="no rows"):
        gdprkit.suppress(df.iloc[:0], ["practice", "age"])
    with pytest.raises(gdprkit.InvalidArgumentError, match="line 2"):
        gdprkit.hierarchy_from_hrc("a\n@@b\n")
    with pytest.raises(gdprkit.InvalidArgumentError, match="entries"):
        gdprkit.audit_suppression(df, ["practice", "age"], "n", [True], hierarchies=HIER)


def test_unprotectable_cell_is_a_failed_precondition() -> None:
    df = pd.DataFrame({"a": ["x", "y", "Total"], "n": [3, 7, 10],
                       "m": ["", "safe", "safe"]})
    with pytest.raises(gdprkit.FailedPreconditionError):
        gdprkit.suppress(df, ["a"], mark="m")


# ---------------------------------------------------------------------------
# The plot
# ---------------------------------------------------------------------------


def test_plot_marks_suppressed_cells() -> None:
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    r = gdprkit.suppress(full_frame(), ["practice", "age"], hierarchies=HIER)
    ax = r.plot()
    texts = [t.get_text() for t in ax.texts]
    # By default every suppressed cell looks the same: the marker, no P or S.
    assert texts.count("x") == r.num_primary + r.num_secondary
    assert "P" not in texts and "S" not in texts
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["suppressed (x)"]
    # No suppressed value is written on the figure.
    assert "3" not in texts and "2" not in texts
    assert [t.get_text() for t in ax.get_yticklabels()] == list(PRACTICE)
    ax2 = gdprkit.plot_suppressed(r, rows="age", cols="practice", annotate=False, detail=True)
    assert [t.get_text() for t in ax2.texts].count("P") == 2
    ax3 = r.plot(marker="<5", lang="da")
    assert [t.get_text() for t in ax3.get_legend().get_texts()] == ["undertrykt (<5)"]
    with pytest.raises(gdprkit.InvalidArgumentError):
        gdprkit.plot_suppressed(r, rows="region")
    plt.close("all")


def test_docstring_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    import doctest

    import gdprkit.suppression

    result = doctest.testmod(gdprkit.suppression, extraglobs={"gdprkit": gdprkit})
    assert result.failed == 0
    assert result.attempted > 0


def test_progress_and_cancel() -> None:
    seen: List[tuple] = []

    def record(stage: str, done: int, total: int) -> None:
        seen.append((stage, done, total))

    r = gdprkit.suppress(full_frame(), ["practice", "age"], hierarchies=HIER,
                         method="heuristic", progress=record)
    assert r.audit().passed
    # Every stage starts at 0 and ends at its total, in order.
    stages = list(dict.fromkeys(s for s, _, _ in seen))
    assert stages == ["primary", "secondary", "cleanup", "improve", "audit"]
    for stage in stages:
        reports = [(d, t) for s, d, t in seen if s == stage]
        assert reports[0][0] == 0 and reports[-1][0] == reports[-1][1]
    seen.clear()
    gdprkit.audit_suppression(full_frame(), ["practice", "age"], "n",
                              (full_frame().n < 5).to_numpy(), hierarchies=HIER,
                              progress=record)
    assert list(dict.fromkeys(s for s, _, _ in seen)) == ["primary", "audit"]
    with pytest.raises(gdprkit.CancelledError):
        gdprkit.suppress(full_frame(), ["practice", "age"], hierarchies=HIER,
                         method="heuristic", progress=lambda *a: False)

    class Boom(Exception):
        pass

    def boom(*a: object) -> None:
        raise Boom()

    with pytest.raises(Boom):
        gdprkit.suppress(full_frame(), ["practice", "age"], hierarchies=HIER,
                         method="heuristic", progress=boom)
    with pytest.raises(TypeError):
        gdprkit.suppress(full_frame(), ["practice", "age"], hierarchies=HIER,
                         progress=3)  # type: ignore[arg-type]
