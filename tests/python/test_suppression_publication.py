"""Publishing a protected table (issue #11, items 2-8, suppression).

The publishable forms (``crosstab``, ``published_frame``, ``to_html``,
``to_excel``) say "suppressed" with a configurable marker and never primary
or secondary; titles in English and Danish come from the core and agree with
the command line; rules as objects (``gdprkit.rules``) and their conflicts
with the flat arguments; linked tables from Python (a shared cell has one
status in both tables, ``suppress(df, ..., linked=[...])``); ``progress=True``
draws tqdm bars that end at their totals; the "gdprkit" logger records counts and never values.
"""

from __future__ import annotations

import logging
import pathlib
from typing import Any, Dict, List, Tuple

import pandas as pd
import pytest

import gdprkit
from doors import needs_cli, run_cli
from gdprkit import rules

REPO = pathlib.Path(__file__).resolve().parents[2]
TABLES = REPO / "examples" / "tables"


def cluster() -> gdprkit.SuppressionResult:
    table = pd.read_csv(TABLES / "cluster_age.csv")
    hier = pd.read_csv(TABLES / "practice_hierarchy.csv", keep_default_na=False)
    return gdprkit.suppress(table, dims=["practice", "age"], value="n",
                            hierarchies={"practice": hier}, method="heuristic")


@pytest.fixture(scope="module")
def result() -> gdprkit.SuppressionResult:
    return cluster()


# ---------------------------------------------------------------------------
# The publishable forms
# ---------------------------------------------------------------------------


def test_crosstab_in_hierarchy_order_with_the_marker(result: gdprkit.SuppressionResult) -> None:
    ct = result.crosstab(marker="<5")
    assert list(ct.index) == [c for c, _ in result.hierarchies["practice"]]
    assert list(ct.columns) == [c for c, _ in result.hierarchies["age"]]
    detail = result.confidential_cells().set_index(["practice", "age"])
    for (p, a), row in detail.iterrows():
        shown = ct.loc[p, a]
        if row["status"] == "published":
            assert shown == row["n"]
        else:
            assert shown == "<5"
    assert (ct == "<5").to_numpy().sum() == result.num_primary + result.num_secondary
    na = result.crosstab(marker=None)
    assert int(na.isna().to_numpy().sum()) == result.num_primary + result.num_secondary
    assert str(na.dtypes.iloc[0]) == "Int64"


def test_published_frame_and_table_say_suppressed(result: gdprkit.SuppressionResult) -> None:
    pf = result.published_frame("x")
    assert list(pf.columns) == ["practice", "age", "n", "status"]
    assert set(pf["status"]) == {"published", "suppressed"}
    assert set(pf.loc[pf.status == "suppressed", "n"]) == {"x"}
    for frame in (result.table, result.cells, result.suppressed, result.audit().intervals):
        assert not {"primary", "secondary"} & set(frame["status"].astype(str))


def test_to_html_is_a_standalone_publishable_table(result: gdprkit.SuppressionResult) -> None:
    page = result.to_html(marker="<5")
    assert page.count("<tr>") == 1 + len(result.hierarchies["practice"])  # every row, no cut
    assert "Published table: n" in page
    assert "168 cells, 24 suppressed (shown as &lt;5)" in page
    assert "&lt;5: value suppressed to protect confidentiality" in page
    assert "primary" not in page and "secondary" not in page
    da = result.to_html(lang="da")
    assert "Offentliggjort tabel" in da and "168 celler, 24 undertrykt (vist som x)" in da
    assert "værdien er undertrykt" in da
    with pytest.raises(gdprkit.InvalidArgumentError, match="lang"):
        result.to_html(lang="fr")


def test_to_excel_holds_the_marker_and_a_note(result: gdprkit.SuppressionResult,
                                            tmp_path: pathlib.Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "published.xlsx"
    result.to_excel(path, marker="<5", lang="da")
    ws = openpyxl.load_workbook(path).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert sum(v == "<5" for v in values) == result.num_primary + result.num_secondary
    assert "<5: værdien er undertrykt af hensyn til fortroligheden" in values
    assert ws.title == "Offentliggjort tabel"
    assert not any(isinstance(v, str) and ("primær" in v or "sekundær" in v) for v in values)


def test_to_excel_without_openpyxl_names_the_extra(result: gdprkit.SuppressionResult,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: pathlib.Path) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "openpyxl", None)
    from gdprkit._errors import MissingDependencyError  # exported by the lead's __init__

    with pytest.raises(MissingDependencyError, match=r"gdprkit\[excel\]"):
        result.to_excel(tmp_path / "x.xlsx")


def test_audit_display_in_both_languages(result: gdprkit.SuppressionResult) -> None:
    a = result.audit()
    assert "passed: every primary cell keeps its protection" in a._repr_html_()
    da = a.to_html(lang="da")
    assert "Kontrol af undertrykkelsen" in da and "bestået" in da
    assert "24 undertrykte celler" in da


@needs_cli
def test_titles_agree_at_python_and_the_cli(tmp_path: pathlib.Path) -> None:
    """The CLI's --lang da prints the core's Danish status title, as Python's
    displays do; neither prints primary or secondary by default."""
    titles = gdprkit._gdprkit.suppression_titles("da")
    suppressed = titles["published"]["suppressed"]
    assert suppressed == "undertrykt"
    out = run_cli("suppress", str(TABLES / "cluster_age.csv"), "--dims", "practice,age",
                  "--hierarchy", f"practice={TABLES / 'practice.hrc'}", "--method", "heuristic",
                  "--lang", "da", "--marker", "<5")
    statuses = {line.split()[-1] for line in out.splitlines()[1:169]}
    assert statuses == {"offentliggjort", suppressed}
    assert gdprkit._gdprkit.suppression_marker_note("<5", "da") in out
    assert gdprkit._gdprkit.suppression_published_summary(168, 24, "<5", "da") in out
    page = cluster().to_html(marker="<5", lang="da")
    assert gdprkit._gdprkit.suppression_published_summary(168, 24, "<5", "da").replace(
        "<", "&lt;") in page


# ---------------------------------------------------------------------------
# Rules as objects
# ---------------------------------------------------------------------------


def small_frame() -> pd.DataFrame:
    return pd.DataFrame({"practice": ["p1", "p1", "p2", "p2", "p3", "p3"],
                         "band": ["<140", ">=140"] * 3, "n": [31, 3, 24, 9, 18, 11]})


def test_rules_read_and_combine() -> None:
    assert repr(rules.threshold(5)) == "threshold(5)"
    both = rules.threshold(5) & rules.dominance(n=2, k=85)
    assert repr(both) == "threshold(5) & dominance(n=2, k=85)"
    assert repr(both & rules.p_percent(10)) == "threshold(5) & dominance(n=2, k=85) & p_percent(10)"
    assert rules.threshold(5) == rules.threshold(5)
    with pytest.raises(AttributeError):
        rules.threshold(5).k = 3  # type: ignore[misc]


def test_rules_objects_give_the_flat_arguments_pattern() -> None:
    df = small_frame()
    flat = gdprkit.suppress(df, ["practice", "band"], threshold=10, compute_totals=True)
    objects = gdprkit.suppress(df, ["practice", "band"], rules=rules.threshold(10),
                               compute_totals=True)
    listed = gdprkit.suppress(df, ["practice", "band"], rules=[rules.threshold(10)],
                              compute_totals=True)
    for r in (objects, listed):
        assert (r.confidential_cells()["status"] == flat.confidential_cells()["status"]).all()
    # Same thing both ways is fine; a different thing is an error naming both.
    gdprkit.suppress(df, ["practice", "band"], rules=rules.threshold(10), threshold=10,
                     compute_totals=True)
    conflict = r"threshold=5 and rules=threshold\(10\)"
    with pytest.raises(gdprkit.InvalidArgumentError, match=conflict):
        gdprkit.suppress(df, ["practice", "band"], rules=rules.threshold(10), threshold=5,
                         compute_totals=True)
    with pytest.raises(gdprkit.InvalidArgumentError, match="give one"):
        gdprkit.suppress(df, ["practice", "band"], rules=[rules.threshold(3), rules.threshold(4)],
                         compute_totals=True)
    # Without a threshold rule there is none: zero() alone protects only zeros.
    zeros = gdprkit.suppress(df.assign(n=[31, 0, 24, 9, 18, 11]), ["practice", "band"],
                             rules=rules.zero(), compute_totals=True)
    assert zeros.num_primary == 1
    with pytest.raises(gdprkit.ArgumentTypeError):
        gdprkit.suppress(df, ["practice", "band"], rules="threshold")  # type: ignore[arg-type]


def test_rule_parameters_are_checked() -> None:
    with pytest.raises(gdprkit.InvalidArgumentError, match="dominance k"):
        rules.dominance(n=2, k=120)
    with pytest.raises(gdprkit.InvalidArgumentError, match="threshold k"):
        rules.threshold(-1)


def test_magnitude_rules_as_objects() -> None:
    df = pd.DataFrame({"region": ["r1", "r2", "r3", "r4"], "turnover": [100.0, 80, 60, 90],
                       "contributors": [5, 6, 7, 8], "x1": [90.0, 20, 15, 20],
                       "x2": [5.0, 15, 10, 20]})
    r = gdprkit.suppress(df, ["region"], "turnover", kind="magnitude",
                         contributors="contributors", largest=["x1", "x2"],
                         rules=rules.dominance(n=1, k=80) & rules.p_percent(10),
                         compute_totals=True)
    c = r.confidential_cells().set_index("region")
    assert c.loc["r1", "status"] == "primary"


# ---------------------------------------------------------------------------
# Linked tables
# ---------------------------------------------------------------------------


def linked_frames() -> Tuple[pd.DataFrame, pd.DataFrame]:
    """Visits per practice, and the same patients by blood pressure: the
    practice totals are shared cells."""
    visits = pd.DataFrame({"practice": ["p1", "p2", "p3"], "n": [3, 25, 39]})
    bp = pd.DataFrame({"practice": ["p1", "p1", "p2", "p2", "p3", "p3"],
                       "bp": ["low", "high"] * 3, "n": [1, 2, 15, 10, 20, 19]})
    return visits, bp


def test_a_shared_cell_has_one_status_in_both_tables() -> None:
    visits, bp = linked_frames()
    a = gdprkit.suppress(visits, ["practice", "bp"], linked=[bp], compute_totals=True)
    (b,) = a.linked
    sa = a.confidential_cells().set_index("practice")["status"]
    sb = b.confidential_cells().set_index(["practice", "bp"])["status"]
    for p in ["p1", "p2", "p3", "Total"]:
        assert sa[p] == sb[(p, "Total")], p
    assert sa["p1"] == "primary"
    # The partner protecting p1 in the visits table is hidden in bp too.
    assert any(sa[p] == "secondary" for p in ["p2", "p3", "Total"])
    assert a.audit().passed and b.audit().passed
    assert a.num_primary == 1 and b.num_primary == 3  # p1, and p1's low and high


def test_linked_tables_that_disagree_are_refused() -> None:
    visits, bp = linked_frames()
    bp = bp.assign(n=[1, 2, 15, 10, 20, 18])  # p3's total: 39 in visits, 38 in bp
    with pytest.raises(gdprkit.InvalidArgumentError, match="linked tables disagree"):
        gdprkit.suppress(visits, ["practice", "bp"], linked=[bp], compute_totals=True)
    with pytest.raises(gdprkit.InvalidArgumentError, match="none of the dimension columns"):
        gdprkit.suppress(visits, ["practice", "bp"], compute_totals=True,
                         linked=[bp.rename(columns={"practice": "x", "bp": "y"})])
    with pytest.raises(gdprkit.ArgumentTypeError):
        gdprkit.suppress(visits, ["practice"], linked=bp)  # type: ignore[arg-type]
    # Without linked tables the result has none.
    assert gdprkit.suppress(bp, ["practice", "bp"], compute_totals=True).linked == ()


# ---------------------------------------------------------------------------
# Progress bars and the logger
# ---------------------------------------------------------------------------


def test_progress_true_draws_bars_that_end_at_their_totals(monkeypatch: pytest.MonkeyPatch) -> None:
    tqdm_auto = pytest.importorskip("tqdm.auto")
    bars: List[Any] = []
    real = tqdm_auto.tqdm

    def make(*args: Any, **kwargs: Any) -> Any:
        kwargs["disable"] = False
        bar = real(*args, file=open("/dev/null", "w"), **kwargs)  # noqa: SIM115
        bars.append(bar)
        return bar

    monkeypatch.setattr(tqdm_auto, "tqdm", make)
    r = gdprkit.suppress(small_frame(), ["practice", "band"], compute_totals=True,
                         method="heuristic", progress=True)
    assert r.audit().passed
    descs = [b.desc for b in bars]
    assert descs == [f"suppress: {s}" for s in ("primary", "secondary", "cleanup", "improve",
                                                "audit")]
    assert all(b.n == b.total for b in bars)


def test_the_logger_records_counts_never_values(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="gdprkit"):
        r = gdprkit.suppress(small_frame(), ["practice", "band"], compute_totals=True)
    records = [rec.getMessage() for rec in caplog.records if rec.name == "gdprkit"]
    assert any(m.startswith("suppress: tables=1 cells=12 primary=1 secondary=3") for m in records)
    detail = r.confidential_cells()
    secret = detail.loc[detail.status != "published", "n"]
    for m in records:
        numbers = {t.strip("(),=s") for t in m.replace("=", " ").split()}
        assert not numbers & {str(int(v)) for v in secret if int(v) > 3}, m


def test_stub_names_of_the_area() -> None:
    titles: Dict[str, Dict[str, str]] = gdprkit._gdprkit.suppression_titles("en")
    assert titles["published"] == {"published": "published", "suppressed": "suppressed"}
    assert set(titles) == {"published", "status", "reason", "interval_kind", "text"}
