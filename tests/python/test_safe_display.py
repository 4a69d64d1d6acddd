"""No default display of a result shows what was suppressed (issue #11, item 1).

For several tables (a count table with a hierarchy, computed totals, a
magnitude table with dominance, protected zeros, three dimensions, a larger
heuristic table, an audit that fails) every default display of the result and
its audit — ``repr``, ``str``, ``_repr_html_``, ``result.cells``,
``result.suppressed``, ``audit.intervals``/``unsafe``, and pandas' displays of
those frames and of ``result.table`` — is searched for the true value of each
suppressed cell *on that cell's row*: after the cell's codes in a long table,
or under its column in a cross table. The true values come from
``confidential_cells()``, and the same detector finds every one of them in
that frame's displays, so the test can fail.

The detector (:func:`leaks`, :func:`html_rows`, :func:`text_rows`) is also
used by ``test_notebook.py`` on the HTML export of the example notebook.
"""

from __future__ import annotations

import html.parser
import pathlib
from typing import Iterable, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd
import pytest

import gdprkit

REPO = pathlib.Path(__file__).resolve().parents[2]
TABLES = REPO / "examples" / "tables"

#: A suppressed cell: its codes (one per dimension) and its true value.
Cell = Tuple[Tuple[str, ...], float]


# ---------------------------------------------------------------------------
# The detector
# ---------------------------------------------------------------------------


class _Tables(html.parser.HTMLParser):
    """The rows of every <table> (cell texts; ``header`` when all are <th>)
    and the text of every <pre> block of an HTML document. Attributes (an
    image's base64 data) are not text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: List[List[Tuple[bool, List[str]]]] = []
        self.pres: List[str] = []
        self._stack: List[List[Tuple[bool, List[str]]]] = []
        self._row: Optional[List[str]] = None
        self._all_th = True
        self._cell: Optional[List[str]] = None
        self._pre: Optional[List[str]] = None
        self._pre_depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self._stack.append([])
        elif tag == "tr":
            self._row, self._all_th = [], True
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            self._all_th &= tag == "th"
        elif tag == "pre":
            self._pre_depth += 1
            if self._pre is None:
                self._pre = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._stack:
                self._stack[-1].append((self._all_th, self._row))
            self._row = None
        elif tag == "table" and self._stack:
            self.tables.append(self._stack.pop())
        elif tag == "pre" and self._pre is not None:
            self._pre_depth -= 1
            if self._pre_depth == 0:
                self.pres.append("".join(self._pre))
                self._pre = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._pre is not None:
            self._pre.append(data)


def html_rows(document: str) -> Tuple[List[List[Tuple[bool, List[str]]]], List[str]]:
    """The tables of an HTML document (rows of cell texts, each flagged
    header or not) and the text of its <pre> blocks."""
    p = _Tables()
    p.feed(document)
    p.close()
    return p.tables, p.pres


def text_rows(text: str) -> List[List[str]]:
    """A plain-text display (a DataFrame's repr or to_string, a print) as
    rows of whitespace-separated tokens, one row a line."""
    return [line.split() for line in text.splitlines() if line.strip()]


def _number(token: str) -> Optional[float]:
    try:
        return float(token.replace(",", ""))
    except ValueError:
        return None


def _same(token: str, value: float) -> bool:
    x = _number(token)
    return x is not None and abs(x - value) <= 1e-9 * max(1.0, abs(value))


def _find(row: Sequence[str], codes: Sequence[str]) -> int:
    """Where `codes` start as consecutive entries of `row`; -1 if nowhere."""
    k = len(codes)
    for i in range(len(row) - k + 1):
        if list(row[i:i + k]) == list(codes):
            return i
    return -1


def long_leaks(rows: Iterable[Sequence[str]], cells: Sequence[Cell]) -> List[str]:
    """The rows of a long display (codes, then value and detail) that show a
    suppressed cell's codes followed, anywhere on the row, by its true value."""
    found = []
    for row in rows:
        for codes, value in cells:
            at = _find(row, codes)
            if at >= 0 and any(_same(t, value) for t in row[at + len(codes):]):
                found.append(f"{' '.join(codes)} {value:g}: {' '.join(row)}")
    return found


def cross_leaks(table: Sequence[Tuple[bool, List[str]]], cells: Sequence[Cell]) -> List[str]:
    """The cells of a cross table (every code but the last down, the last
    across; header rows of <th>) that show a suppressed cell's true value."""
    headers = [r for is_header, r in table if is_header]
    found = []
    for is_header, row in table:
        if is_header or not row:
            continue
        for codes, value in cells:
            down = len(codes) - 1
            if down < 1 or list(row[:down]) != list(codes[:down]):
                continue
            for h in headers:
                if len(h) == len(row) and codes[-1] in h[down:]:
                    j = h.index(codes[-1], down)
                    if _same(row[j], value):
                        found.append(f"{' '.join(codes)} {value:g}: {' '.join(row)}")
    return found


def leaks(display: str, cells: Sequence[Cell], *, is_html: bool) -> List[str]:
    """Every place where `display` (HTML or plain text) shows the true value
    of one of `cells` in that cell's row or column."""
    if not is_html:
        return long_leaks(text_rows(display), cells)
    tables, pres = html_rows(display)
    found: List[str] = []
    for t in tables:
        found += long_leaks([r for _, r in t], cells)
        found += cross_leaks(t, cells)
    for text in pres:
        found += long_leaks(text_rows(text), cells)
    return found


def suppressed_cells(result: gdprkit.SuppressionResult) -> List[Cell]:
    """The suppressed cells and their true values, from the confidential
    detail."""
    c = result.confidential_cells()
    c = c[c["status"] != "published"]
    return [(tuple(str(x) for x in codes), float(v))
            for codes, v in zip(zip(*(c[d] for d in result.dims)), c[result.value])]


# ---------------------------------------------------------------------------
# The tables
# ---------------------------------------------------------------------------


def cluster_table(method: str) -> gdprkit.SuppressionResult:
    df = pd.read_csv(TABLES / "cluster_age.csv")
    hier = pd.read_csv(TABLES / "practice_hierarchy.csv", keep_default_na=False)
    return gdprkit.suppress(df, dims=["practice", "age"], value="n", threshold=5,
                            hierarchies={"practice": hier}, method=method)


def computed_totals() -> gdprkit.SuppressionResult:
    df = pd.DataFrame({"practice": ["p1", "p1", "p1", "p2", "p2", "p2", "p3", "p3", "p3"],
                       "band": ["a", "b", "c"] * 3, "n": [3, 40, 22, 12, 35, 2, 9, 2, 30]})
    hier = {"Total": None, "N": "Total", "p1": "N", "p2": "N", "S": "Total", "p3": "S"}
    return gdprkit.suppress(df, ["practice", "band"], "n", hierarchies={"practice": hier},
                            compute_totals=True)


def magnitude() -> gdprkit.SuppressionResult:
    df = pd.DataFrame({
        "region": ["r1", "r2", "r3", "r4", "Total"],
        "turnover": [100.0, 513.5, 300.0, 41.25, 954.75],
        "firms": [10, 12, 9, 7, 38],
        "x1": [90.0, 50.0, 40.0, 9.0, 90.0],
        "x2": [2.0, 40.0, 30.0, 8.0, 50.0],
    })
    return gdprkit.suppress(df, ["region"], "turnover", kind="magnitude", contributors="firms",
                            largest=["x1", "x2"], dominance=[(1, 80)], cost="value")


def zeros() -> gdprkit.SuppressionResult:
    df = pd.DataFrame({"a": ["x", "x", "y", "y", "z", "z"], "b": ["u", "v"] * 3,
                       "n": [0, 31, 17, 12, 20, 14]})
    return gdprkit.suppress(df, ["a", "b"], compute_totals=True, protect_zeros=True)


def three_dims() -> gdprkit.SuppressionResult:
    rng = np.random.default_rng(5)
    rows = [(p, s, a, int(rng.integers(0, 25)))
            for p in ["p1", "p2", "p3"] for s in ["F", "M"] for a in ["young", "old"]]
    df = pd.DataFrame(rows, columns=["practice", "sex", "age", "n"])
    return gdprkit.suppress(df, ["practice", "sex", "age"], compute_totals=True)


def larger() -> gdprkit.SuppressionResult:
    rng = np.random.default_rng(7)
    practices = {f"p{i}": f"c{i % 6}" for i in range(60)}
    hier = {"Total": None, **{f"c{k}": "Total" for k in range(6)}, **practices}
    rows = [(p, f"a{k}", int(rng.integers(0, 40))) for p in practices for k in range(8)]
    df = pd.DataFrame(rows, columns=["practice", "age", "n"])
    return gdprkit.suppress(df, ["practice", "age"], hierarchies={"practice": hier},
                            compute_totals=True, method="heuristic")


TABLE_MAKERS = {
    "cluster-heuristic": lambda: cluster_table("heuristic"),
    "cluster-optimal": lambda: cluster_table("optimal"),
    "computed-totals": computed_totals,
    "magnitude": magnitude,
    "zeros": zeros,
    "three-dims": three_dims,
    "larger": larger,
}


@pytest.fixture(scope="module", params=sorted(TABLE_MAKERS))
def result(request) -> gdprkit.SuppressionResult:
    return TABLE_MAKERS[request.param]()


def frame_displays(df: pd.DataFrame) -> List[Tuple[str, str, bool]]:
    """What pandas shows of a frame: (what, text, is_html)."""
    with pd.option_context("display.max_rows", 10_000, "display.max_columns", 100,
                           "display.width", 10_000):
        full = [("repr (all rows)", repr(df), False), ("html (all rows)", df._repr_html_(), True)]
    return [("repr", repr(df), False), ("str", str(df), False),
            ("to_string", df.to_string(), False), ("html", df._repr_html_(), True),
            ("to_html", df.to_html(), True)] + full


def excel_text(result: gdprkit.SuppressionResult, marker: str, lang: str) -> str:
    """Every cell of the workbook ``to_excel`` writes, read back, as plain
    text: one line per worksheet row (the detector reads its columns by the
    header row, as in a cross table)."""
    import io

    openpyxl = pytest.importorskip("openpyxl")
    buf = io.BytesIO()
    result.to_excel(buf, marker=marker, lang=lang)  # type: ignore[arg-type]
    wb = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    lines = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            lines.append("\t".join("" if v is None else str(v) for v in row))
    return "\n".join(lines)


def excel_html(text: str, dims: Sequence[str]) -> str:
    """The workbook's rows as an HTML table for the cross-table detector: the
    row that starts with the dimension names (the header) as <th>."""
    import html

    rows = [line.split("\t") for line in text.splitlines()]
    body = ""
    for r in rows:
        tag = "th" if len(dims) > 1 and r[:len(dims) - 1] == list(dims[:-1]) else "td"
        body += "<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in r) + "</tr>"
    return f"<table>{body}</table>"


def all_displays(result: gdprkit.SuppressionResult) -> List[Tuple[str, str, bool]]:
    a = result.audit()
    out = [
        ("repr(result)", repr(result), False),
        ("str(result)", str(result), False),
        ("format(result)", f"{result}", False),
        ("result._repr_html_()", result._repr_html_(), True),
        ("result.to_html()", result.to_html(), True),
        ("result.to_html(<5, da)", result.to_html(marker="<5", lang="da"), True),
        ("repr(audit)", repr(a), False),
        ("str(audit)", str(a), False),
        ("audit._repr_html_()", a._repr_html_(), True),
        ("audit.to_html(da)", a.to_html(lang="da"), True),
    ]
    out.append(("crosstab to_html(sparsify=False)",
                result.crosstab().to_html(sparsify=False), True))
    for marker, lang in (("x", "en"), ("<5", "da")):
        out.append((f"to_excel({marker}, {lang})",
                    excel_html(excel_text(result, marker, lang), result.dims), True))
    for name, df in (("table", result.table), ("cells", result.cells),
                     ("suppressed", result.suppressed), ("intervals", a.intervals),
                     ("unsafe", a.unsafe), ("crosstab", result.crosstab()),
                     ("crosstab(None)", result.crosstab(marker=None)),
                     ("published_frame", result.published_frame())):
        out += [(f"{name} {what}", text, h) for what, text, h in frame_displays(df)]
    return out


# ---------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------


def test_no_display_shows_a_suppressed_value(result) -> None:
    cells = suppressed_cells(result)
    assert cells, "every table here has suppressed cells"
    for what, text, is_html in all_displays(result):
        found = leaks(text, cells, is_html=is_html)
        assert not found, f"{what} shows suppressed values: {found[:3]}"


def test_the_detector_finds_every_value_in_the_confidential_detail(result) -> None:
    # Negative control: the same search over the displays of the detail
    # (what `repr(result)` used to show, since it included `cells`) finds the
    # true value of every suppressed cell.
    cells = suppressed_cells(result)
    conf = result.confidential_cells()
    for what, text, is_html in frame_displays(conf):
        if what in ("to_string", "to_html", "repr (all rows)", "html (all rows)"):
            found = leaks(text, cells, is_html=is_html)
            assert len(found) >= len(cells), (what, len(found), len(cells))
    iv = result.audit().confidential_intervals()
    assert len(leaks(iv.to_string(), cells, is_html=False)) >= len(cells)
    if len(result.dims) == 2:  # a cross table of the true values
        wide = conf.pivot(index=result.dims[0], columns=result.dims[1], values=result.value)
        assert len(leaks(wide.to_html(), cells, is_html=True)) >= len(cells)


def test_the_detector_finds_values_in_the_publishable_forms(
        result, monkeypatch: pytest.MonkeyPatch) -> None:
    # Negative control for to_html, to_excel and crosstab: the same code
    # given the true values (cells replaced by the detail, "suppressed" as
    # its status) shows them, and the detector finds every one.
    cells = suppressed_cells(result)
    conf = result.confidential_cells()
    conf[result.value] = conf[result.value].astype(result.table[result.value].dtype)
    conf["status"] = "published"
    monkeypatch.setattr(type(result), "cells", property(lambda self: conf))
    for what, text, is_html in [("to_html", result.to_html(), True),
                                ("to_excel",
                                 excel_html(excel_text(result, "x", "en"), result.dims), True),
                                ("crosstab", result.crosstab().to_html(sparsify=False), True)]:
        assert len(leaks(text, cells, is_html=is_html)) >= len(cells), what


def test_safe_frames_hold_na_exactly_on_suppressed_rows(result) -> None:
    v = result.value
    conf = result.confidential_cells()
    cells = result.cells
    hidden = (conf["status"] != "published").to_numpy()
    assert hidden.sum() == result.num_primary + result.num_secondary > 0
    assert list(cells.columns) == list(conf.columns)
    # The safe frame says "suppressed", never primary or secondary.
    assert list(cells["status"]) == ["suppressed" if h else "published" for h in hidden]
    assert (cells[result.dims[0]].to_numpy() == conf[result.dims[0]].to_numpy()).all()
    assert str(cells[v].dtype) == str(result.table[v].dtype) in ("Int64", "Float64")
    assert (cells[v].isna().to_numpy() == hidden).all()
    assert (cells.loc[~hidden, v].to_numpy(dtype=float) == conf.loc[~hidden, v]).all()
    assert not conf[v].isna().any()
    for col in ("reasons", "upper", "lower", "sliding", "cost", "lower_bound", "upper_bound",
                "interval"):
        assert cells.loc[hidden, col].isna().all(), col
    assert (cells.loc[~hidden, "cost"].to_numpy(dtype=float) == conf.loc[~hidden, "cost"]).all()
    sup = result.suppressed
    assert len(sup) == hidden.sum() and sup[v].isna().all()
    assert list(sup.index) == list(conf.index[hidden])
    t = result.table
    assert (t[v].isna() == (t["status"] != "published")).all()
    # The confidential frame is a copy: changing it changes nothing.
    conf[v] = -1
    assert not (result.confidential_cells()[v] == -1).any()


def test_audit_frames_hold_no_value(result) -> None:
    a = result.audit()
    detail = a.confidential_intervals()
    iv = a.intervals
    # Nothing that tells the primary cells (only they have a verdict).
    assert list(iv.columns) == list(result.dims) + ["status"]
    assert set(iv["status"]) == {"suppressed"}
    assert len(iv) == len(detail) == a.num_suppressed
    assert list(iv.index) == list(detail.index)
    for col in (result.value, "lower", "upper", "need_lower", "need_upper", "kind", "safe",
                "reason"):
        assert col in detail.columns and col not in iv.columns
    assert a.unsafe.empty and a.passed


def test_reprs_are_short_summaries() -> None:
    r = cluster_table("optimal")
    assert repr(r) == str(r) == (
        f"SuppressionResult(dims=('practice', 'age'), value='n', cells=168, "
        f"primary={r.num_primary}, secondary={r.num_secondary}, method='optimal', "
        f"audit='passed')")
    a = r.audit()
    assert repr(a).startswith("SuppressionAudit(passed=True, suppressed=24, unsafe=0, ")
    h = r._repr_html_()
    tables, _ = html_rows(h)
    assert len(tables) == 1
    header, rows = tables[0][0][1], tables[0][1:]
    assert header == ["practice", "Total", "0-17", "18-39", "40-64", "65-79", "80+"]
    assert [row[0].split()[0] for _, row in rows] == [c for c, _ in r.hierarchies["practice"]]
    shown_x = sum(row.count("x") for _, row in rows)
    assert shown_x == r.num_primary + r.num_secondary
    assert "passed" in a._repr_html_() and "<table" not in a._repr_html_()


def test_a_failing_audit_shows_no_value() -> None:
    df = pd.DataFrame({"a": ["x", "x", "y", "y"], "b": ["u", "v", "u", "v"], "n": [2, 30, 13, 40]})
    naive = (df.n < 5).to_numpy()
    a = gdprkit.audit_suppression(df, ["a", "b"], "n", naive, compute_totals=True)
    assert not a.passed
    assert "FAILED" in a._repr_html_() and "unsafe=1" in repr(a)
    cells: List[Cell] = [(("x", "u"), 2.0)]
    assert list(a.unsafe[["a", "b"]].itertuples(index=False, name=None)) == [("x", "u")]
    for df_ in (a.intervals, a.unsafe):
        for what, text, is_html in frame_displays(df_):
            assert not leaks(text, cells, is_html=is_html), what
    detail = a.confidential_intervals().loc[a.unsafe.index]
    assert detail["lower"].tolist() == detail["upper"].tolist() == [2.0]  # recomputed
    assert leaks(a.confidential_intervals().to_string(), cells, is_html=False)


def test_magnitude_detail_stays_out_of_the_displays() -> None:
    r = magnitude()
    conf = r.confidential_cells().set_index("region")
    assert conf.loc["r1", "status"] == "primary" and "dominance" in conf.loc["r1", "reasons"]
    row_r1 = [row for row in text_rows(r.cells.to_string()) if "r1" in row]
    assert len(row_r1) == 1
    # The value, the largest contributions, the contributors: none on r1's row.
    assert not [t for t in row_r1[0] if _number(t) is not None and t != row_r1[0][0]], row_r1
    assert "firms" not in r.table.columns and "x1" not in r.table.columns


def test_zero_cells_are_not_shown_as_zero() -> None:
    r = zeros()
    conf = r.confidential_cells().set_index(["a", "b"])
    assert conf.loc[("x", "u"), "reasons"] == "zero"
    safe = r.cells.set_index(["a", "b"])
    assert pd.isna(safe.loc[("x", "u"), "reasons"]) and pd.isna(safe.loc[("x", "u"), "n"])
    assert "zero" not in r.cells.to_string() and "zero" not in r.suppressed._repr_html_()


# ---------------------------------------------------------------------------
# Keys and identifiers
# ---------------------------------------------------------------------------


def test_vault_pseudonymizer_and_cpr_info_show_no_key_or_number(tmp_path) -> None:
    secret = "correct horse battery staple 42"
    with gdprkit.Vault.create(tmp_path / "v.vault", passphrase=secret, kdf="tests_only") as v:
        v.create_domain("klynge")
        text = v.export_pseudonym_key("klynge", reason="test of the displays")
        key = text.rsplit(":", 1)[1]
        p = gdprkit.Pseudonymizer.from_exported_key(text)
        cpr = "170652-9974"
        tokens = v.tokenise(pd.Series([cpr]), domain="klynge")
        info = gdprkit.identifiers.cpr_info(cpr)
        shown = [repr(v), str(v), repr(p), str(p), repr(v.domains()), repr(info), str(info),
                 repr(tokens), repr(v.audit_frame()), v.audit_frame()._repr_html_()]
    for text_ in shown:
        assert key not in text_ and secret not in text_
        assert cpr not in text_ and cpr.replace("-", "") not in text_
