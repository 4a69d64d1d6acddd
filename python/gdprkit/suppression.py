"""Small-cell suppression: protect aggregated tables before they are shared.

The cluster guide lets practices share statistics only where each cell has at
least five registrations. Blanking the small cells is not enough: a blanked
cell is recomputed from its row and column totals. :func:`suppress` blanks the
small cells (primary suppression), then further cells (secondary suppression)
so that no blanked cell can be recomputed, or narrowed below its protection,
from the published cells and the totals; it audits the result by linear
programming before returning it.

Tables are long-format pandas DataFrames: one row per cell, one column per
dimension (practice, age band, ...) and a value column (the count). Totals are
part of the table; give their rows, or pass ``compute_totals=True`` to have
the missing ones computed. Dimensions may be hierarchical (region > cluster >
practice): pass each hierarchy as a mapping from code to parent.

>>> import pandas as pd, gdprkit
>>> df = pd.DataFrame({
...     "practice": ["p1", "p1", "p2", "p2", "p3", "p3"],
...     "band": ["<140", ">=140"] * 3,
...     "n": [31, 3, 24, 9, 18, 11]})
>>> result = gdprkit.suppress(df, dims=["practice", "band"], value="n",
...                           threshold=5, compute_totals=True)
>>> result.num_primary, result.num_secondary
(1, 3)
>>> result.audit().passed
True
>>> result.table[result.table.status != "published"].shape[0]
4

``result.table`` is safe to publish (suppressed values are ``<NA>``), and so
is every default display of a result (``repr``, a notebook's HTML,
``result.cells``, ``result.audit().intervals``): none shows a suppressed
value. The detail (true values, protection levels, the attacker's intervals)
is reachable only by ``result.confidential_cells()`` and
``result.audit().confidential_intervals()``, which are not for publication.
``docs/suppression.md`` explains the rules, the methods and the audit.
"""

from __future__ import annotations

import collections.abc
import dataclasses
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Union,
    cast,
)

from . import _args, _display, _gdprkit, _log, _optional, _progress
from . import rules as _rule_objects
from ._errors import ArgumentTypeError, InvalidArgumentError

if TYPE_CHECKING:  # imported when a table is protected: `import gdprkit` stays light
    import os

    import numpy as np
    import pandas
    import pandas as pd
    from matplotlib.axes import Axes  # optional: only to plot

__all__ = [
    "suppress",
    "audit_suppression",
    "hierarchy_from_hrc",
    "plot_suppressed",
    "SuppressionResult",
    "SuppressionAudit",
    "STATUSES",
    "PUBLISHED_STATUSES",
]

#: The values of the ``status`` column of the confidential detail, in the
#: order of their codes (the core's names, gdprkit/suppression.h).
STATUSES: Tuple[str, str, str] = cast(
    Tuple[str, str, str], tuple(_gdprkit.suppression_status_names()))

#: The values of the ``status`` column of everything that may be published:
#: "published", "suppressed" (the core's PublishedStatus names).
PUBLISHED_STATUSES: Tuple[str, str] = cast(
    Tuple[str, str], tuple(_gdprkit.suppression_published_names()))

#: The ``interval`` column's value by the core's interval kind code; -1 (no
#: interval: a published cell) is "".
_INTERVAL_KINDS: Dict[int, str] = {
    -1: "", **dict(enumerate(_gdprkit.suppression_interval_kind_names()))}

#: A hierarchy: a mapping from each code to its parent (``None`` or ``""``
#: for the total), a sequence of ``(code, parent)`` pairs, a two-column
#: DataFrame (code, parent), or the tau-ARGUS ``.hrc`` text.
HierarchySpec = Union[
    Mapping[str, Optional[str]], Sequence[Tuple[str, Optional[str]]], "pd.DataFrame", str
]


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------

#: The numeric columns of the cell detail computed from a cell's true value:
#: ``<NA>`` on the suppressed rows of :attr:`SuppressionResult.cells` (so are
#: the value and ``reasons``). The attacker's interval is in the list because
#: an exact interval is the value.
_VALUE_DERIVED_CELL_COLUMNS: Tuple[str, ...] = (
    "upper", "lower", "sliding", "cost", "lower_bound", "upper_bound")

#: The columns of :meth:`SuppressionAudit.confidential_intervals` that
#: :attr:`SuppressionAudit.intervals` leaves out (besides the value column):
#: the attacker's interval and the required interval are computed from the
#: true value.
_VALUE_DERIVED_AUDIT_COLUMNS: Tuple[str, ...] = ("lower", "upper", "need_lower", "need_upper")

#: The rows a result's notebook display shows of the published table (its
#: to_html shows every row).
_HTML_MAX_ROWS = 60

#: The columns of :meth:`SuppressionAudit.confidential_intervals` that say
#: whether a cell is primary (only primary cells have a verdict), left out of
#: :attr:`SuppressionAudit.intervals` with the values.
_PRIMARY_AUDIT_COLUMNS: Tuple[str, ...] = ("kind", "safe", "reason")


def _published_status(detail: pd.Series) -> pd.Categorical:
    """published/suppressed (the core's PublishedStatus names) from the
    detail's published/primary/secondary."""
    import numpy as np
    import pandas as pd

    codes = (np.asarray(detail.astype(object)) != STATUSES[0]).astype(np.int8)
    return pd.Categorical.from_codes(codes, categories=pd.Index(PUBLISHED_STATUSES))


@dataclass(frozen=True, repr=False)
class SuppressionAudit:
    """What an attacker can derive about each suppressed cell.

    The attacker knows every published cell, every total relation and that
    counts are non-negative; linear programming gives the smallest and the
    largest value they can derive for each suppressed cell.

    Every default display (``repr``, ``str``, the notebook's HTML,
    :meth:`to_html`) shows the verdict and the counts only, and
    :attr:`intervals` holds no value and does not say which cells are
    primary: a notebook that shows them may be shared. The true values, the
    intervals and the verdict per primary cell are in
    :meth:`confidential_intervals`, which is not for publication.

    Attributes:
        passed: every primary cell keeps its protection.
        num_suppressed, num_determined, num_components, largest_component,
        lp_solves: figures of the audit run.
    """

    passed: bool
    _intervals: pd.DataFrame = field(repr=False)
    num_suppressed: int = 0
    num_determined: int = 0
    num_components: int = 0
    largest_component: int = 0
    lp_solves: int = 0
    _value: str = field(default="", repr=False)

    @property
    def intervals(self) -> pd.DataFrame:
        """One row per audited cell (every suppressed cell, then any primary
        cell left published), without values: the dimension columns and
        ``status`` ("suppressed", or "published" for a primary cell left
        published). The intervals, their kind and the verdicts (which tell
        the primary cells) are in :meth:`confidential_intervals`."""
        iv = self._intervals
        drop = [self._value] + list(_VALUE_DERIVED_AUDIT_COLUMNS) + list(_PRIMARY_AUDIT_COLUMNS)
        out: pd.DataFrame = iv.drop(columns=[c for c in drop if c in iv.columns])
        out["status"] = _published_status(iv["status"])
        return out

    def confidential_intervals(self) -> pd.DataFrame:
        """Not for publication: the audit's full detail, with the true values.

        The rows of :attr:`intervals` with, after the dimension columns, the
        value column (the true value), ``status`` (published, primary or
        secondary), ``lower`` and ``upper`` (the attacker's interval; for
        primary cells in large problems a proven part of it), ``kind``
        ("exact", "inner", "not computed"), ``need_lower``/``need_upper``
        (for primary cells: the interval must reach these), and for primary
        cells ``safe`` and ``reason`` (why not, when not). Do not show it in
        a notebook that is shared or exported."""
        out: pd.DataFrame = self._intervals.copy()
        return out

    @property
    def unsafe(self) -> pd.DataFrame:
        """The primary cells that are not protected, suppressed or (wrongly)
        published, as rows of :attr:`intervals` (no values; their detail is
        in :meth:`confidential_intervals`, same index); empty when passed."""
        unsafe = (self._intervals["safe"] == False).fillna(False).to_numpy(dtype=bool)  # noqa: E712
        out: pd.DataFrame = self.intervals[unsafe]
        return out

    def _num_unsafe(self) -> int:
        return int((self._intervals["safe"] == False).fillna(False).sum())  # noqa: E712

    def __repr__(self) -> str:
        return (f"SuppressionAudit(passed={self.passed}, suppressed={self.num_suppressed}, "
                f"unsafe={self._num_unsafe()}, determined={self.num_determined}, "
                f"components={self.num_components}, lp_solves={self.lp_solves})")

    __str__ = __repr__

    def to_html(self, *, lang: str = "en") -> str:
        """The verdict and the figures of the audit as HTML (no value, no
        interval), titled in ``lang`` ("en" or "da")."""
        language = _args.language(lang)
        heading = _gdprkit.suppression_titles(language)["text"]["audit"]
        verdict = _gdprkit.suppression_audit_verdict(self.passed, self._num_unsafe(), language)
        figures = _gdprkit.suppression_audit_figures(
            self.num_suppressed, self.num_determined, self.num_components,
            self.largest_component, self.lp_solves, language)
        return (f"<div class=\"gdprkit-suppression-audit\">"
                f"{_display.block(heading, verdict, f'<br>{_display.escape(figures)}.')}</div>")

    def _repr_html_(self) -> str:
        return self.to_html()


# ---------------------------------------------------------------------------
# Plots
# ---------------------------------------------------------------------------


def plot_suppressed(
    result: SuppressionResult,
    rows: Optional[str] = None,
    cols: Optional[str] = None,
    *,
    fixed: Optional[Mapping[str, str]] = None,
    ax: Optional["Axes"] = None,
    annotate: bool = True,
    cmap: str = "Blues",
    title: Optional[str] = None,
    marker: str = "x",
    detail: bool = False,
    lang: str = "en",
) -> "Axes":
    """Draws a 2-D slice of a protected table as a heatmap of the published
    values, with every suppressed cell marked ``marker`` (grey). The figure
    shows no suppressed value and does not say why a cell is suppressed, so
    it may be shared.

    Args:
        result: what :func:`suppress` returned.
        rows, cols: the dimensions on the axes (default: the first two; a
            1-D table is drawn as one row).
        fixed: for tables of more than two dimensions, the code of each
            other dimension (default: its total).
        ax: the matplotlib Axes to draw on (default: a new figure's).
        annotate: write the published values in the cells.
        cmap: the colour map of the published values.
        title: the title (default: the value column).
        marker: the text of a suppressed cell.
        detail: not for publication: mark primary cells "P" (red) and
            secondary cells "S" (orange) instead, which tells a reader which
            cells broke a rule.
        lang: the language of the legend ("en" or "da").

    Returns the Axes. matplotlib is an optional dependency (the ``plot``
    extra), imported here; without it this raises
    :class:`gdprkit.MissingDependencyError` (an ImportError).
    """
    import numpy as np

    plt = _optional.require("matplotlib.pyplot", extra="plot", what="plot_suppressed")
    patches = _optional.require("matplotlib.patches", extra="plot", what="plot_suppressed")
    if not isinstance(result, SuppressionResult):
        raise ArgumentTypeError(
            f"result must be a SuppressionResult, not {type(result).__name__}")
    marker = _args.text(marker, "marker")
    titles = _gdprkit.suppression_titles(_args.language(lang))
    dims = list(result.dims)
    rows = rows if rows is not None else dims[0]
    if cols is None:
        cols = dims[1] if len(dims) > 1 and dims[1] != rows else None
    for d in (rows, cols):
        if d is not None and d not in dims:
            raise InvalidArgumentError(f"{d!r} is not a dimension; dimensions: {dims}")
    if cols == rows:
        raise InvalidArgumentError("rows and cols must be different dimensions")
    fixed = dict(fixed or {})
    cells = result._cells  # the statuses; no suppressed value is drawn
    sel = np.ones(len(cells), dtype=bool)
    for d in dims:
        if d in (rows, cols):
            continue
        code = fixed.get(d, result.hierarchies[d][0][0])
        if code not in {c for c, _ in result.hierarchies[d]}:
            raise InvalidArgumentError(f"code {code!r} is not in dimension {d!r}")
        sel &= (cells[d] == code).to_numpy()
    part = cells[sel]
    row_codes = [c for c, _ in result.hierarchies[rows]]
    col_codes = [c for c, _ in result.hierarchies[cols]] if cols is not None else [result.value]
    ri = {c: i for i, c in enumerate(row_codes)}
    ci = {c: i for i, c in enumerate(col_codes)}
    shape = (len(row_codes), len(col_codes))
    values = np.full(shape, np.nan)
    status = np.zeros(shape, dtype=np.int8)
    for r, c, v, s in zip(
        part[rows],
        part[cols] if cols is not None else [result.value] * len(part),
        part[result.value].to_numpy(),
        part["status"].cat.codes.to_numpy(),
    ):
        status[ri[r], ci[c]] = s if detail else min(int(s), 1)
        values[ri[r], ci[c]] = v if s == 0 else np.nan
    if ax is None:
        _, ax = plt.subplots(
            figsize=(max(4.0, 0.9 * shape[1] + 2), max(3.0, 0.4 * shape[0] + 1.5))
        )
    ax.imshow(np.ma.masked_invalid(values), cmap=cmap, aspect="auto")
    # Without the detail every suppressed cell looks the same (code 1).
    colors = {1: "#d62728", 2: "#ff7f0e"} if detail else {1: "#7f7f7f"}
    texts = {1: "P", 2: "S"} if detail else {1: marker}
    for i in range(shape[0]):
        for j in range(shape[1]):
            s = int(status[i, j])
            if s:
                ax.add_patch(
                    patches.Rectangle(
                        (j - 0.5, i - 0.5), 1, 1, facecolor=colors[s], edgecolor="white",
                        hatch="//" if detail and s == 1 else None, alpha=0.85,
                    )
                )
                ax.text(j, i, texts[s], ha="center", va="center",
                        color="white", fontweight="bold")
            elif annotate and not np.isnan(values[i, j]):
                ax.text(j, i, f"{values[i, j]:g}", ha="center", va="center", fontsize=8)
    ax.set_xticks(range(shape[1]))
    ax.set_xticklabels(col_codes, rotation=45 if shape[1] > 6 else 0, ha="right"
                       if shape[1] > 6 else "center")
    ax.set_yticks(range(shape[0]))
    ax.set_yticklabels(row_codes)
    ax.set_ylabel(rows)
    if cols is not None:
        ax.set_xlabel(cols)
    suppressed = result.num_primary + result.num_secondary
    ax.set_title(title if title is not None else
                 f"{result.value}: {suppressed} {titles['published']['suppressed']}")
    if detail:
        handles = [
            patches.Patch(facecolor=colors[1], hatch="//",
                          label=f"{titles['status']['primary']} (P)"),
            patches.Patch(facecolor=colors[2], label=f"{titles['status']['secondary']} (S)"),
        ]
    else:
        handles = [patches.Patch(facecolor=colors[1],
                                 label=f"{titles['published']['suppressed']} ({marker})")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return ax


@dataclass(frozen=True, repr=False)
class SuppressionResult:
    """A protected table.

    Every default display (``repr``, ``str``, the notebook's HTML) and
    every attribute hold published values only, and say of a hidden cell
    that it is "suppressed", never whether by a primary rule (in a threshold
    table: a count of 1 to 4) or to protect another cell: a notebook that
    shows them may be shared. The publishable forms are :meth:`to_html`,
    :meth:`to_excel`, :meth:`crosstab` and :meth:`published_frame` (the
    hidden cells as a marker, ``x`` by default). The true values and the kind
    of each suppression are in :meth:`confidential_cells`, which is not for
    publication.

    Attributes:
        table: the input frame with the value column replaced by the
            published value (``<NA>`` where suppressed) and a ``status``
            column ("published" or "suppressed"); with
            ``compute_totals=True`` the computed total rows are appended (and
            the index is renumbered). Contributor and largest-contribution
            columns of magnitude tables are left out. Safe to publish.
        dims, value: the dimension and value column names.
        num_primary, num_secondary: cells suppressed by each kind.
        total_cost: the cost of the secondary cells under the cost model.
        method: the method used ("heuristic" or "optimal").
        proven_optimal: the optimal method finished within its time limit.
        lower_bound: for the optimal method, a proven lower bound on the
            secondary cost.
        seconds: wall time of the suppression (build excluded).
        hierarchies: each dimension's codes in hierarchy order, as
            ``(code, parent)`` pairs.
        linked: the results of the frames given as ``linked=`` (linked
            tables, protected together with this one), in order.
    """

    table: pd.DataFrame
    _cells: pd.DataFrame
    dims: Tuple[str, ...]
    value: str
    num_primary: int
    num_secondary: int
    total_cost: float
    method: str
    proven_optimal: bool
    lower_bound: float
    seconds: float
    hierarchies: Dict[str, List[Tuple[str, str]]] = field(repr=False)
    _audit: SuppressionAudit = field(repr=False)
    linked: Tuple["SuppressionResult", ...] = field(default=(), repr=False)
    _safe_cells: Optional[pd.DataFrame] = field(
        default=None, init=False, repr=False, compare=False)

    def audit(self) -> SuppressionAudit:
        """The audit of this pattern: the attacker's interval for every
        suppressed cell and a verdict per primary cell. Every result
        :func:`suppress` returns has passed it."""
        return self._audit

    @property
    def cells(self) -> pd.DataFrame:
        """Every cell of the table in hierarchy order, without the suppressed
        values and without saying why a cell is suppressed: the dimension
        columns, the value column, ``status`` ("published" or "suppressed"),
        ``reasons`` (why primary), ``upper``/``lower``/``sliding``
        (required protection), ``cost``, ``lower_bound``/``upper_bound``
        (the attacker's interval), ``interval`` (how it was computed) and
        ``given`` (the row came from the input). On the suppressed rows
        the value and every column that tells something of it (the reasons:
        "zero" is a value; the protection levels, the cost, the attacker's
        interval, which is the value when it is exact, and how it was
        computed; ``given``, since a leaf cell filled in by
        ``missing="zero"`` is a zero) are ``<NA>``. Safe to show; the detail is in
        :meth:`confidential_cells`."""
        if self._safe_cells is None:
            object.__setattr__(self, "_safe_cells", _safe_cells_frame(
                self._cells, self.value, self.table[self.value].dtype))
        assert self._safe_cells is not None
        return self._safe_cells

    def confidential_cells(self) -> pd.DataFrame:
        """Not for publication: every cell with the detail, the true values
        of the suppressed cells included.

        A copy of :attr:`cells` (same rows, columns and order) where nothing
        is masked: ``value`` is the true value, ``status`` says "primary" or
        "secondary", ``reasons`` why primary, ``upper``/``lower``/``sliding``
        the required protection, ``lower_bound``/``upper_bound`` the
        attacker's interval for suppressed cells. For the person who runs the
        suppression; do not show it in a notebook that is shared or
        exported."""
        out: pd.DataFrame = self._cells.copy()
        return out

    @property
    def suppressed(self) -> pd.DataFrame:
        """The suppressed cells of :attr:`cells` (no values)."""
        c = self.cells
        out: pd.DataFrame = c[(c["status"] != "published").to_numpy(dtype=bool)]
        return out

    def published_frame(self, marker: Optional[str] = "x") -> pd.DataFrame:
        """The published table in long form and hierarchy order: the
        dimension columns, the value column (the published value, or
        ``marker`` where suppressed; with ``marker=None`` a nullable column
        with ``<NA>``) and ``status`` ("published" or "suppressed"). Safe
        to publish."""
        c = self.cells
        out: pd.DataFrame = c[list(self.dims)].copy()
        out[self.value] = self._shown(marker)
        out["status"] = c["status"]
        return out

    def crosstab(self, marker: Optional[str] = "x") -> pd.DataFrame:
        """The published table as a cross table for publication: every
        dimension but the last down (a MultiIndex for more than two), the
        last across, both in hierarchy order with their totals; the values
        as published, ``marker`` where suppressed (``marker=None``: a
        nullable ``<NA>``). A one-dimensional table is one column."""
        import pandas as pd

        c = self.cells
        dims = list(self.dims)
        shown = self._shown(marker)
        if len(dims) == 1:
            frame: pd.DataFrame = pd.DataFrame(
                {self.value: shown.to_numpy()},
                index=pd.Index(c[dims[0]].to_numpy(), name=dims[0]))
            return frame
        down, across = dims[:-1], dims[-1]
        columns = [code for code, _ in self.hierarchies[across]]
        width = len(columns)
        first = c.iloc[::width]
        index: pd.Index
        if len(down) == 1:
            index = pd.Index(first[down[0]].to_numpy(), name=down[0])
        else:
            index = pd.MultiIndex.from_frame(first[down].reset_index(drop=True))
        values = shown.to_numpy().reshape(-1, width)
        out: pd.DataFrame = pd.DataFrame(values, index=index,
                                         columns=pd.Index(columns, name=across))
        if marker is None:
            out = out.astype(shown.dtype)
        return out

    def _shown(self, marker: Optional[str]) -> pd.Series:
        """The published values of :attr:`cells` in order, the marker where
        suppressed (object dtype), or nullable with <NA> for marker=None."""
        import numpy as np

        values = self.cells[self.value]
        if marker is None:
            return values.reset_index(drop=True)
        marker = _args.text(marker, "marker")
        hidden = values.isna().to_numpy()
        out = values.astype(object).reset_index(drop=True)
        out[np.flatnonzero(hidden)] = marker
        return out

    def to_html(self, marker: str = "x", *, lang: str = "en") -> str:
        """The published table as a standalone HTML document fragment for
        publication: a heading, a summary line (cells and how many are
        suppressed), the cross table of :meth:`crosstab` (every row, codes
        indented by their depth in the hierarchy) and a note saying what
        ``marker`` stands for; titles in ``lang`` ("en" or "da"). Everything
        is escaped; no suppressed value, and no primary/secondary, appears."""
        language = _args.language(lang)
        heading, summary, note, _ = self._publication(marker, language)
        table = _crosstab_html(self, self.crosstab(marker), max_rows=None)
        return (f"<div class=\"gdprkit-published-table\">"
                f"{_display.block(heading, summary, table, f'<p>{_display.escape(note)}</p>')}"
                "</div>")

    def to_excel(self, path: Union[str, "os.PathLike[str]"], marker: str = "x", *,
                 lang: str = "en") -> None:
        """Writes the published table to an Excel workbook (one sheet): the
        heading and the summary line, the cross table of :meth:`crosstab`
        with ``marker`` as text in every suppressed cell, and a note row
        saying what the marker means; titles in ``lang``. No suppressed value
        is written anywhere in the workbook. Needs openpyxl (``pip install
        'gdprkit[excel]'``; :class:`gdprkit.MissingDependencyError`
        otherwise)."""
        openpyxl = _optional.require("openpyxl", extra="excel", what="to_excel")
        language = _args.language(lang)
        heading, summary, note, sheet = self._publication(marker, language)
        ct = self.crosstab(marker)
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = sheet[:31]
        ws.append([heading])
        ws.append([summary])
        ws.append([])
        names = [str(n) for n in ct.index.names]
        ws.append(names + [_code_str(c) for c in ct.columns])
        for label, row in zip(ct.index, ct.itertuples(index=False)):
            codes = list(label) if isinstance(label, tuple) else [label]
            ws.append([_code_str(x) for x in codes] + [_excel_value(v) for v in row])
        ws.append([])
        ws.append([note])
        wb.save(path)

    def _publication(self, marker: str, language: str) -> Tuple[str, str, str, str]:
        """(heading, summary, marker note, sheet name) from the core."""
        marker = _args.text(marker, "marker")
        titles = _gdprkit.suppression_titles(language)
        suppressed = int((self.cells["status"] != "published").sum())
        summary = _gdprkit.suppression_published_summary(
            len(self._cells), suppressed, marker, language)
        note = _gdprkit.suppression_marker_note(marker, language)
        heading = titles["text"]["published table"]
        return (f"{heading}: {self.value}", summary, note, heading)

    #: Draws the table as a heatmap with the suppressed cells marked; see
    #: :func:`plot_suppressed`.
    plot = plot_suppressed

    def __repr__(self) -> str:
        return (f"SuppressionResult(dims={self.dims!r}, value={self.value!r}, "
                f"cells={len(self._cells)}, primary={self.num_primary}, "
                f"secondary={self.num_secondary}, method={self.method!r}, "
                f"audit={'passed' if self._audit.passed else 'FAILED'!r})")

    __str__ = __repr__

    def _repr_html_(self) -> str:
        # The runner's view: the counts of each kind (counts only), then the
        # published table as to_html shows it, cut after _HTML_MAX_ROWS rows.
        summary = (
            f"{self.value} by {', '.join(self.dims)}: {_display.plural(len(self._cells), 'cell')}, "
            f"{self.num_primary} primary and {self.num_secondary} secondary suppressed "
            f"(shown as x), method {self.method}, audit "
            f"{'passed' if self._audit.passed else 'FAILED'}.")
        table = _crosstab_html(self, self.crosstab("x"), max_rows=_HTML_MAX_ROWS)
        note = f"<p>{_display.escape(_gdprkit.suppression_marker_note('x', 'en'))}</p>"
        return (f"<div class=\"gdprkit-suppression-result\">"
                f"{_display.block('Suppressed table', summary, table, note)}</div>")


def _excel_value(v: Any) -> Any:
    """A published value for a worksheet cell: a number, or the marker text."""
    if isinstance(v, str):
        return v
    if _optional.is_na(v):
        return None
    f = float(v)
    return int(f) if f.is_integer() else f


def _safe_cells_frame(cells: pd.DataFrame, value: str, dtype: Any) -> pd.DataFrame:
    """The cell detail with the value and the columns computed from it
    ``<NA>`` on the suppressed rows, and the status published/suppressed;
    nullable dtypes."""
    import pandas as pd

    hidden = (cells["status"] != "published").to_numpy(dtype=bool)
    out = cells.copy()
    v = pd.array(cells[value].to_numpy(), dtype=dtype)
    v[hidden] = pd.NA
    out[value] = v
    out["status"] = _published_status(cells["status"])
    for col in _VALUE_DERIVED_CELL_COLUMNS:
        c = pd.array(cells[col].to_numpy(dtype="float64"), dtype="Float64")
        c[hidden] = pd.NA
        out[col] = c
    # "zero" says the value, "threshold" that it is below the threshold, and
    # an interval's kind whether the cell is primary.
    for col in ("reasons", "interval"):
        text = pd.array(cells[col].to_numpy(dtype=object), dtype="string")
        text[hidden] = pd.NA
        out[col] = text
    # A cell the input did not have is, unless it is a total, a zero filled
    # in (missing="zero"): "given" is the value too.
    given = pd.array(cells["given"].to_numpy(dtype=bool), dtype="boolean")
    given[hidden] = pd.NA
    out["given"] = given
    frame: pd.DataFrame = out
    return frame


def _crosstab_html(result: SuppressionResult, ct: pd.DataFrame, max_rows: Optional[int]) -> str:
    """A cross table as an HTML table (escaped by _display.table): the row
    codes first, indented by their depth in the hierarchy."""
    depth = {d: _depths(result.hierarchies[d]) for d in result.dims}
    names = [str(n) for n in ct.index.names]
    rows: List[List[Any]] = []
    for label, values in zip(ct.index, ct.itertuples(index=False)):
        codes = list(label) if isinstance(label, tuple) else [label]
        shown = ["\u00a0\u00a0" * depth[d].get(_code_str(c), 0) + _code_str(c)
                 for d, c in zip(names, codes)]
        rows.append(shown + ["" if _optional.is_na(v) else _number_text(v) for v in values])
    columns = names + [_code_str(c) for c in ct.columns]
    return _display.table(columns, rows, max_rows=max_rows if max_rows is not None else len(rows))


def _depths(pairs: Sequence[Tuple[str, str]]) -> Dict[str, int]:
    """Each code's depth in a hierarchy given as (code, parent) pairs in
    hierarchy order (parents before children)."""
    depth: Dict[str, int] = {}
    for code, parent in pairs:
        depth[code] = depth[parent] + 1 if parent else 0
    return depth


def _number_text(v: Any) -> str:
    if isinstance(v, str):
        return v
    f = float(v)
    return str(int(f)) if f.is_integer() else f"{f:.10g}"


# ---------------------------------------------------------------------------
# Hierarchies
# ---------------------------------------------------------------------------


def hierarchy_from_hrc(text: str, total: str = "Total") -> Dict[str, str]:
    """Reads a hierarchy in the tau-ARGUS ``.hrc`` form: one code per line,
    each leading ``@`` one level deeper below the implicit total ``total``.

    >>> hierarchy_from_hrc("North\\n@N1\\n@N2\\nSouth\\n@S1\\n")["N2"]
    'North'

    Raises :class:`gdprkit.InvalidArgumentError` naming the line for a line
    more than one level deeper than the one before it, an empty or
    duplicated code (and for text without codes). The text is read by the
    core, as the command line reads a ``.hrc`` file.
    """
    if not isinstance(text, str):
        raise ArgumentTypeError(f"text must be a str, not {type(text).__name__}")
    return dict(_hrc_pairs(text, total, ""))


def _hrc_pairs(text: str, total: Any, name: str) -> List[Tuple[str, str]]:
    """The (code, parent) pairs of ``.hrc`` text, the total first."""
    total = _args.text(total, "total")
    text = _args.check_unicode(text, "text")
    return _gdprkit.hierarchy_from_hrc(text, total, name)


def _hierarchy_pairs(dim: str, spec: HierarchySpec, total: str) -> List[Tuple[str, str]]:
    """The (code, parent) pairs of a dimension's hierarchy."""
    import pandas as pd

    if isinstance(spec, str):
        return _hrc_pairs(spec, total, dim)
    pairs: List[Tuple[Any, Any]]
    if isinstance(spec, pd.DataFrame):
        if spec.shape[1] < 2:
            raise InvalidArgumentError(
                f"the hierarchy of {dim!r} must have two columns (code, parent)"
            )
        pairs = list(zip(spec.iloc[:, 0], spec.iloc[:, 1]))
    elif isinstance(spec, Mapping):
        pairs = list(spec.items())
    else:
        try:
            pairs = [tuple(p) for p in spec]  # type: ignore[misc]
        except TypeError:
            raise ArgumentTypeError(
                f"the hierarchy of {dim!r} must be a mapping code -> parent, (code, parent) "
                f"pairs, a DataFrame or .hrc text, not {type(spec).__name__}"
            ) from None
    out: List[Tuple[str, str]] = []
    for i, pair in enumerate(pairs):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise InvalidArgumentError(
                f"the hierarchy of {dim!r}: entry {i} is not a (code, parent) pair"
            )
        code, parent = pair
        code = _args.check_unicode(_code_str(code), f"a code of dimension {dim!r}")
        parent = "" if _optional.is_na(parent) else _args.check_unicode(
            _code_str(parent), f"a parent code of dimension {dim!r}")
        out.append((code, parent))
    return out


def _code_str(v: Any) -> str:
    return v if isinstance(v, str) else str(v)


# ---------------------------------------------------------------------------
# Input checks: each names the row (index label) and the cell.
# ---------------------------------------------------------------------------


def _row_cell(df: pd.DataFrame, dims: Sequence[str], i: int) -> str:
    codes = ", ".join(f"{d}={_code_str(df[d].iloc[i])!r}" for d in dims)
    return f"row {df.index[i]!r} ({codes})"


def _check_frame(df: Any, dims: Any, value: Any) -> Tuple[List[str], str]:
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise ArgumentTypeError(f"df must be a pandas DataFrame, not {type(df).__name__}")
    if isinstance(dims, str):
        dims = [dims]
    try:
        dims = list(dims)
        unique = len(set(dims)) == len(dims)
        hash(value)
    except TypeError:
        raise ArgumentTypeError(
            "dims must be a list of column names and value a column name") from None
    if not dims:
        raise InvalidArgumentError("dims is empty: name at least one dimension column")
    if not unique:
        raise InvalidArgumentError(f"dims names a column twice: {dims}")
    for d in list(dims) + [value]:
        _column(df, d, "dimension" if d in dims else "value")
    if value in dims:
        raise InvalidArgumentError(f"column {value!r} is both a dimension and the value")
    if len(df) == 0:
        raise InvalidArgumentError("the frame has no rows")
    return dims, value


def _column(df: pd.DataFrame, name: Any, what: str) -> Any:
    """`name` if it is a column of `df`; InvalidArgumentError naming the
    argument otherwise (ArgumentTypeError for a name that cannot be one)."""
    try:
        found = name in df.columns
    except TypeError:
        raise ArgumentTypeError(
            f"the {what} column must be a column name, not {type(name).__name__}") from None
    if not found:
        shown = name if not isinstance(name, str) else _args.check_unicode(name, f"{what} column")
        raise InvalidArgumentError(
            f"no column {shown!r} in the frame (the {what} column); columns: "
            f"{', '.join(map(str, df.columns))}"
        )
    return name


def _names(columns: Any) -> List[Any]:
    """One column name, or a sequence of them, as a list."""
    if isinstance(columns, (str, bytes)) or not isinstance(columns, collections.abc.Iterable):
        return [columns]
    return list(columns)


def _numbers(column: Any, values: pd.Series, what: str) -> Tuple[str, np.ndarray]:
    """A numeric column as the core takes it: (name, float64 with NaN for a
    missing value). The core checks the values and names the row."""
    import numpy as np
    import pandas as pd

    if not (pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)):
        raise InvalidArgumentError(
            f"{what} column {column!r} is not numeric (dtype {values.dtype})")
    return str(column), values.to_numpy(dtype="float64", na_value=np.nan)


def _labels(values: pd.Series) -> Tuple[List[str], np.ndarray]:
    """A column dictionary-encoded as the core takes it: its distinct values
    as text and, per row, the index of its value (-1 where missing)."""
    import numpy as np
    import pandas as pd

    rows, uniques = pd.factorize(values, use_na_sentinel=True)
    return [_code_str(u) for u in uniques], rows.astype(np.int32, copy=False)


class _Table:
    """A frame as the columns the core's loader takes (TableFromColumns in
    gdprkit/suppression.h), which checks them and names the row of each
    problem through :func:`_row_cell`."""

    def __init__(
        self,
        df: pd.DataFrame,
        dims: Sequence[str],
        value: str,
        hierarchies: Optional[Mapping[str, HierarchySpec]],
        total: Union[str, Mapping[str, str]],
        compute_totals: bool,
        kind: str,
        contributors: Optional[str],
        largest: Optional[Sequence[str]],
        cost_column: Optional[str],
        mark: Optional[str],
    ) -> None:
        self.kind = _args.text(kind, "kind")
        if hierarchies is not None and not isinstance(hierarchies, Mapping):
            raise ArgumentTypeError(
                f"hierarchies must be a mapping from dimension to hierarchy, not "
                f"{type(hierarchies).__name__}")
        if not isinstance(total, (str, Mapping)):
            raise ArgumentTypeError(
                f"total must be a str or a mapping from dimension to str, not "
                f"{type(total).__name__}")
        for what, col in (("contributors", contributors), ("cost", cost_column), ("mark", mark)):
            if col is not None:
                _column(df, col, what)
        if largest is not None:
            if not _names(largest):
                raise InvalidArgumentError("largest names no column; give None or column names")
            for col in _names(largest):
                _column(df, col, "largest contribution")
        hierarchies = dict(hierarchies or {})
        unknown = set(hierarchies) - set(dims)
        if unknown:
            raise InvalidArgumentError(
                f"hierarchies given for columns that are not dims: {sorted(map(str, unknown))}"
            )
        self.compute_totals = bool(compute_totals)
        self.value = _numbers(value, df[value], "value")
        self.dims: List[Tuple[str, List[str], np.ndarray, Optional[List[Tuple[str, str]]], str]]
        self.dims = [self._dimension(df, d, hierarchies.get(d), total) for d in dims]
        self.contributors = (None if contributors is None else
                             _numbers(contributors, df[contributors], "contributors"))
        self.largest = (None if largest is None else
                        [_numbers(c, df[c], "largest contribution") for c in _names(largest)])
        self.cost = None if cost_column is None else _numbers(
            cost_column, df[cost_column], "cost")
        self.mark: Optional[Tuple[str, List[str], np.ndarray]] = None
        if mark is not None:
            labels, rows = _labels(df[mark])
            # Marks are read case-insensitively; a missing one is no mark.
            labels = [_args.check_unicode(m, "a mark").lower() for m in labels] + [""]
            rows[rows < 0] = len(labels) - 1
            self.mark = (str(mark), labels, rows)
        self.describe = lambda i, where: (
            _row_cell(df, dims, i) if where else f"row {df.index[i]!r}")

    @staticmethod
    def _dimension(
        df: pd.DataFrame, d: str, spec: Optional[HierarchySpec],
        total: Union[str, Mapping[str, str]],
    ) -> Tuple[str, List[str], np.ndarray, Optional[List[Tuple[str, str]]], str]:
        """(name, distinct codes, code index per row, hierarchy or None, total)."""
        import numpy as np

        labels, rows = _labels(df[d])
        missing = np.flatnonzero(rows < 0)
        if missing.size:
            raise InvalidArgumentError(
                f"row {df.index[int(missing[0])]!r}: dimension {d!r} is missing (NaN/None)"
            )
        for code in labels:  # the codes cross to C++ as UTF-8
            _args.check_unicode(code, f"a code of dimension {d!r}")
        tot = total.get(d, "Total") if isinstance(total, Mapping) else total
        tot = _args.text(tot, f"total of {d!r}")
        pairs = None if spec is None else _hierarchy_pairs(str(d), spec, tot)
        return str(d), labels, rows, pairs, tot

    def spec(self, name: str) -> Tuple[Any, ...]:
        """The table as the extension's suppression_run takes it."""
        return (name, self.kind, self.dims, self.value, self.contributors, self.largest,
                self.cost, self.mark, self.describe)


def _run(
    tables: Sequence[Tuple[_Table, str]],
    rules: Dict[str, Any],
    options: Dict[str, Any],
    suppressed: Optional[List[np.ndarray]],
    progress: _progress.ProgressArg,
    event: str,
) -> List[Dict[str, Any]]:
    """Loads the (linked) tables and protects or audits them in the core;
    logs the event with its counts (never a value)."""
    options = dict(options, compute_totals=tables[0][0].compute_totals,
                   compute_totals_option="compute_totals=True",
                   missing_zero_option='missing="zero"')
    specs = [t.spec(name) for t, name in tables]
    with _log.timed(event) as entry, _progress.callback(progress, event) as callback:
        out = _gdprkit.suppression_run(specs, rules, options, suppressed, callback)
        entry.update(tables=len(out), cells=sum(len(o["status"]) for o in out),
                     primary=int(out[0]["num_primary"]),
                     secondary=int(out[0]["num_secondary"]), method=str(out[0]["method"]),
                     passed=bool(out[0]["audit"]["passed"]))
    return out


def _rules(
    rules: Optional[_rule_objects.RulesArg],
    threshold: Optional[int],
    dominance: Optional[Sequence[Tuple[int, float]]],
    p_percent: Optional[float],
    q_percent: Optional[float],
    protect_zeros: Optional[bool],
    threshold_hides_presence: Optional[bool],
) -> Dict[str, Any]:
    """The core's rule fields from ``rules=`` and the flat arguments given
    (not None). Without ``rules=`` the flat arguments fill the defaults
    (threshold 5); with it, a flat argument must agree with what the rules
    say, or add what they do not."""
    flat: Dict[str, Any] = {}
    if threshold is not None:
        flat["threshold"] = _args.integer(threshold, "threshold", 0, _args.INT32_MAX)
    if dominance is not None:
        flat["dominance"] = _dominance_pairs(dominance)
    if p_percent is not None:
        flat["p_percent"] = _args.number(p_percent, "p_percent", 0.0)
    if q_percent is not None:
        flat["q_percent"] = _args.number(q_percent, "q_percent", 0.0)
    if protect_zeros is not None:
        flat["protect_zeros"] = bool(protect_zeros)
    if threshold_hides_presence is not None:
        flat["threshold_hides_presence"] = bool(threshold_hides_presence)
    if rules is None:
        return dict({"threshold": 5}, **flat)
    fields = _rule_objects.fields_of(rules)
    for key, v in flat.items():
        if key in fields and fields[key] != v:
            raise InvalidArgumentError(
                f"{key}={v!r} and rules={rules!r} say different things; give the rule one way")
        fields[key] = v
    fields.setdefault("threshold", 0)  # rules without a threshold rule have none
    return fields


def _dominance_pairs(dominance: Any) -> List[Tuple[int, float]]:
    pairs: List[Tuple[int, float]] = []
    try:
        items = list(dominance)
    except TypeError:
        raise ArgumentTypeError(
            f"dominance must be a list of (n, k) pairs, not {type(dominance).__name__}") from None
    for i, rule in enumerate(items):
        if not isinstance(rule, (tuple, list)) or len(rule) != 2:
            raise ArgumentTypeError(f"dominance[{i}] must be an (n, k) pair")
        pairs.append((_args.integer(rule[0], f"dominance[{i}] n", 1, _args.INT32_MAX),
                      _args.number(rule[1], f"dominance[{i}] k", 0.0, 100.0)))
    return pairs


def _options(
    method: str,
    cost: str,
    time_limit: float,
    effort: int,
    optimal_max_cells: int,
    audit: str,
    missing: str,
) -> Dict[str, Any]:
    # The names are parsed by the core (gdprkit/suppression.h), which names
    # the valid ones.
    return {
        "method": _args.text(method, "method"),
        "cost": _args.text(cost, "cost"),
        "time_limit_seconds": _args.number(time_limit, "time_limit", 0.0, lo_open=True),
        "effort": _args.integer(effort, "effort", 0, 2),
        "optimal_max_cells": _args.integer(optimal_max_cells, "optimal_max_cells", 0,
                                           _args.INT32_MAX),
        "audit_mode": _args.text(audit, "audit"),
        "missing": _args.text(missing, "missing"),
    }


def _reason_names(bits: np.ndarray) -> List[str]:
    """The reasons column: each distinct bit set named once by the core."""
    import numpy as np

    distinct, inverse = np.unique(bits, return_inverse=True)
    names = [_gdprkit.suppression_reasons_text(int(b)) for b in distinct.tolist()]
    return [names[i] for i in inverse.reshape(-1).tolist()]


def _cells_frame(out: Dict[str, Any], value: str) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    pc = out["position_codes"]
    data: Dict[str, Any] = {}
    for j, d in enumerate(out["dims"]):
        codes = np.asarray(out["codes"][j], dtype=object)
        data[d] = codes[pc[:, j]]
    data[value] = out["value"]
    data["status"] = pd.Categorical.from_codes(out["status"].astype(np.int8),
                                               categories=pd.Index(STATUSES))
    data["reasons"] = _reason_names(out["reasons"])
    data["upper"] = out["upper"]
    data["lower"] = out["lower"]
    data["sliding"] = out["sliding"]
    data["cost"] = out["cost"]
    data["lower_bound"] = out["interval_lower"]
    data["upper_bound"] = out["interval_upper"]
    data["interval"] = [_INTERVAL_KINDS[k] for k in out["interval_kind"].tolist()]
    given = np.zeros(len(pc), dtype=bool)
    given[out["row_position"]] = True
    data["given"] = given
    frame: pd.DataFrame = pd.DataFrame(data)
    return frame


def _audit_from(out: Dict[str, Any], cells: pd.DataFrame, value: str) -> SuppressionAudit:
    import numpy as np
    import pandas as pd

    a = out["audit"]
    dims = list(out["dims"])
    status = out["status"]
    # The rows: every suppressed cell, then primary cells left published (an
    # audit of a given pattern), in table order. Whole columns at once: a
    # table may have hundreds of thousands of primary cells.
    verdicts = a["verdicts"]
    vpos = np.array([v[0] for v in verdicts], dtype=np.int64)
    exposed = vpos[status[vpos] == 0] if vpos.size else vpos
    rows = np.concatenate([np.flatnonzero(status != 0), np.sort(exposed)])
    iv = cells.iloc[rows][dims + [value]].reset_index(drop=True)
    st = np.asarray(STATUSES, dtype=object)[status[rows]]
    iv["status"] = st
    lower = out["interval_lower"][rows].copy()
    upper = out["interval_upper"][rows].copy()
    kind = np.asarray([_INTERVAL_KINDS[k] for k in out["interval_kind"][rows].tolist()],
                      dtype=object)
    need_lower = np.full(len(rows), np.nan)
    need_upper = np.full(len(rows), np.nan)
    safe = pd.array([pd.NA] * len(rows), dtype="boolean")
    reason = np.full(len(rows), "", dtype=object)
    if vpos.size:
        where = np.full(len(status), -1, dtype=np.int64)
        where[rows] = np.arange(len(rows))
        at = where[vpos]
        need_lower[at] = [v[2] for v in verdicts]
        need_upper[at] = [v[3] for v in verdicts]
        lower[at] = [v[5] for v in verdicts]
        upper[at] = [v[6] for v in verdicts]
        kind[at] = ["exact" if v[7] else "inner" for v in verdicts]
        safe[at] = np.array([bool(v[8]) for v in verdicts])
        reason[at] = [v[9] for v in verdicts]
    iv["lower"] = lower
    iv["upper"] = upper
    iv["kind"] = kind
    iv["need_lower"] = need_lower
    iv["need_upper"] = need_upper
    iv["safe"] = safe
    iv["reason"] = reason
    return SuppressionAudit(
        passed=bool(a["passed"]),
        _intervals=iv,
        num_suppressed=int(a["num_suppressed"]),
        num_determined=int(a["num_determined"]),
        num_components=int(a["num_components"]),
        largest_component=int(a["largest_component"]),
        lp_solves=int(a["lp_solves"]),
        _value=value,
    )


def _published_table(
    df: pd.DataFrame,
    out: Dict[str, Any],
    cells: pd.DataFrame,
    dims: Sequence[str],
    value: str,
    kind: str,
    drop: Sequence[str],
) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    dtype = "Int64" if kind == "frequency" else "Float64"
    status = out["status"]
    rp = out["row_position"]
    table = df.drop(columns=[c for c in drop if c in df.columns and c not in dims and c != value])
    table = table.copy()
    pub = pd.array(out["value"][rp], dtype=dtype)
    pub[status[rp] != 0] = pd.NA
    table[value] = pub
    table["status"] = pd.Categorical.from_codes((status[rp] != 0).astype(np.int8),
                                                categories=pd.Index(PUBLISHED_STATUSES))
    extra = np.flatnonzero(~cells["given"].to_numpy())
    if extra.size:
        add = cells.iloc[extra][list(dims)].copy()
        v = pd.array(out["value"][extra], dtype=dtype)
        v[status[extra] != 0] = pd.NA
        add[value] = v
        add["status"] = pd.Categorical.from_codes(
            (status[extra] != 0).astype(np.int8), categories=pd.Index(PUBLISHED_STATUSES)
        )
        table = pd.concat([table, add], ignore_index=True)
        table["status"] = pd.Categorical(table["status"],
                                         categories=pd.Index(PUBLISHED_STATUSES))
    published: pd.DataFrame = table
    return published


# ---------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------


def suppress(
    df: pd.DataFrame,
    dims: Sequence[str],
    value: str = "n",
    *,
    rules: Optional[_rule_objects.RulesArg] = None,
    threshold: Optional[int] = None,
    hierarchies: Optional[Mapping[str, HierarchySpec]] = None,
    total: Union[str, Mapping[str, str]] = "Total",
    compute_totals: bool = False,
    missing: str = "error",
    method: str = "auto",
    cost: str = "cells",
    kind: str = "frequency",
    contributors: Optional[str] = None,
    largest: Optional[Sequence[str]] = None,
    dominance: Optional[Sequence[Tuple[int, float]]] = None,
    p_percent: Optional[float] = None,
    q_percent: Optional[float] = None,
    protect_zeros: Optional[bool] = None,
    threshold_hides_presence: Optional[bool] = None,
    mark: Optional[str] = None,
    cost_column: Optional[str] = None,
    time_limit: float = 60.0,
    effort: int = 1,
    optimal_max_cells: int = 400,
    audit: str = "auto",
    name: str = "table",
    linked: Sequence[pd.DataFrame] = (),
    progress: _progress.ProgressArg = None,
) -> SuppressionResult:
    """Protects a long-format table by primary and secondary suppression.

    Args:
        df: one row per cell: a column per dimension and the value column.
        dims: the dimension columns, in order (rows, then columns for a
            2-D table).
        value: the value column: counts (``kind="frequency"``) or sums of
            non-negative contributions (``kind="magnitude"``).
        rules: the primary rules as objects of :mod:`gdprkit.rules`
            (``rules.threshold(5) & rules.dominance(n=2, k=85)``, or a list);
            without it the flat arguments below say which rules apply (by
            default the threshold rule with 5). A flat argument given beside
            ``rules`` must agree with them (InvalidArgumentError otherwise).
        threshold: a cell with 0 < value (contributors) < threshold is
            primary (the cluster guide's "at least five registrations"); 0
            disables the rule. The cell is protected when an attacker cannot
            prove that it is below the threshold. Default 5 (0 when
            ``rules`` has no threshold rule).
        hierarchies: per dimension, its codes and their parents, as a mapping
            ``{code: parent}`` (``None`` or ``""`` for the total), a sequence of
            ``(code, parent)`` pairs, a two-column DataFrame or ``.hrc`` text
            (:func:`hierarchy_from_hrc`). A dimension without one is flat:
            its total plus the other codes in the column, sorted.
        total: the total code of flat dimensions (one for all, or per
            dimension): "Total" by default.
        compute_totals: total rows may be left out and are computed; without
            it every cell, totals included, must have a row.
        missing: "error" (default): a missing non-total cell is an error;
            "zero": it is a zero cell.
        method: "auto" (optimal for small tables, else heuristic),
            "heuristic" (fast, for large tables) or "optimal" (minimum cost,
            a MIP with CBC, for small and medium tables).
        cost: what the secondary suppression minimises: "cells" (the number
            of cells), "value" (the total value) or "contributors".
        kind, contributors, largest, dominance, p_percent, q_percent:
            magnitude tables: the contributor-count column, the columns of
            the largest contributions (largest first), (n, k)-dominance rules
            and the p% rule (q: 100 by default).
        protect_zeros: zero cells are primary too (nobody may learn that a
            cell is empty).
        threshold_hides_presence: threshold cells must also not be proven
            non-empty.
        mark: a column of manual marks: "unsafe" (primary), "safe" (must be
            published) or empty.
        cost_column: a column of per-cell costs overriding the cost model
            (NaN: none).
        time_limit: seconds for the optimal method; then the best pattern
            found (still audited).
        effort: heuristic effort 0, 1 or 2.
        optimal_max_cells: the size up to which "auto" uses the optimal
            method.
        audit: the audit mode: "auto", "exact" or "certified".
        name: the table's name in messages (linked tables: ``name`` with
            "_linked1", "_linked2", ... appended).
        linked: further long-format frames that share cells with ``df``
            (practice x age and practice x blood pressure share the practice
            totals), protected together with it: no cell can be recomputed
            from any of them, and a shared cell has one status in every
            table. Each frame (``df`` too) then uses the columns of ``dims``
            it has; frames with a dimension of one name share its hierarchy,
            and a cell whose codes are the total in every dimension a frame
            lacks is the same cell in both (its values must agree). Their
            results are ``result.linked``, in order; the audit is that of the
            linked set.
        progress: ``True`` shows a ``tqdm.auto`` bar per stage ("primary",
            "secondary", "cleanup", "improve", "optimal", "audit"; tqdm is
            the ``progress`` extra); a callable is called as
            ``progress(stage, done, total)``, from 0 to the total of each
            stage; returning False (or raising) cancels the run
            (:class:`gdprkit.CancelledError`, or the callback's exception).

    Returns:
        a :class:`SuppressionResult`; its audit has passed.

    Raises:
        gdprkit.InvalidArgumentError (a ValueError) naming the row or cell:
            NaN, negative or non-integer counts, missing or duplicated cells,
            codes not in their hierarchy (orphans), hierarchy cycles, totals
            that do not add up, unknown option values, rules given two ways
            that disagree.
        gdprkit.FailedPreconditionError: a primary cell cannot be protected
            (for instance all its partners are marked safe).
        gdprkit.ArgumentTypeError (an InvalidArgumentError and a TypeError):
            arguments of the wrong type. Ints out of range (``threshold``
            beyond 2**31 - 1, a negative ``effort``), floats that are not
            finite and text with a lone surrogate raise
            gdprkit.InvalidArgumentError naming the argument.

    The GIL is released while the table is built, protected and audited;
    the "gdprkit" logger records the counts and the time at INFO. The same
    frame gives the same pattern on every run (row order does not matter).
    """
    pd = _optional.pandas("suppress")

    if isinstance(linked, pd.DataFrame) or not isinstance(linked, collections.abc.Sequence):
        raise ArgumentTypeError(
            f"linked must be a sequence of DataFrames, not {type(linked).__name__}")
    name = _args.text(name, "name")
    names = [name] + [f"{name}_linked{i + 1}" for i in range(len(linked))]
    fields = _rules(rules, threshold, dominance, p_percent, q_percent, protect_zeros,
                          threshold_hides_presence)
    options = _options(method, cost, time_limit, effort, optimal_max_cells, audit, missing)
    all_dims = _all_dims(dims)

    def table_of(frame: pandas.DataFrame, d: List[str], v: str) -> _Table:
        # A frame's hierarchies: those of its dimensions (and any that name
        # no dimension at all, which _Table refuses by name).
        hier = None if hierarchies is None else {
            k: h for k, h in dict(hierarchies).items() if k in d or k not in all_dims}
        return _Table(frame, d, v, hier, total, compute_totals, kind, contributors, largest,
                      cost_column, mark)

    first, *others = [
        _result(frame, out, d, value, kind, contributors, largest, cost_column)
        for frame, (out, d) in zip([df, *linked], _suppress_tables(
            [df, *linked], names, dims, value, fields, options, table_of, progress))]
    if not others:
        return first
    return dataclasses.replace(first, linked=tuple(others))


def _suppress_tables(
    frames: Sequence[pd.DataFrame],
    names: Sequence[str],
    dims: Sequence[str],
    value: str,
    fields: Dict[str, Any],
    options: Dict[str, Any],
    table_of: Callable[[pd.DataFrame, List[str], str], _Table],
    progress: _progress.ProgressArg,
) -> List[Tuple[Dict[str, Any], List[str]]]:
    """Protects one table or linked tables (each frame with the columns of
    ``dims`` it has, made a _Table by `table_of`): per frame the core's
    output and the frame's dimensions."""
    tables: List[Tuple[_Table, str]] = []
    frame_dims: List[List[str]] = []
    for df, table_name in zip(frames, names):
        d, v = _check_frame(df, _frame_dims(df, dims, table_name, len(frames)), value)
        frame_dims.append(d)
        tables.append((table_of(df, d, v), table_name))
    out = _run(tables, fields, options, None, progress, "suppress")
    return list(zip(out, frame_dims))


def _all_dims(dims: Any) -> List[Any]:
    """`dims` as a list (a name, or anything that is not a sequence of names,
    as a list of one: _check_frame names the problem)."""
    if isinstance(dims, str) or not isinstance(dims, collections.abc.Iterable):
        return [dims]
    return list(dims)


def _frame_dims(df: Any, dims: Any, name: str, count: int) -> Any:
    """The dimensions of one of several linked frames: the columns of
    ``dims`` it has. A single frame takes ``dims`` as given."""
    import pandas as pd

    if count == 1 or not isinstance(df, pd.DataFrame):
        return dims
    try:
        own = [d for d in _all_dims(dims) if d in df.columns]
    except TypeError:
        return dims  # _check_frame names the problem
    if not own:
        raise InvalidArgumentError(
            f"table {name!r} has none of the dimension columns {_all_dims(dims)}")
    return own


def _result(
    df: pd.DataFrame,
    out: Dict[str, Any],
    dims: Sequence[str],
    value: str,
    kind: str,
    contributors: Optional[str],
    largest: Optional[Sequence[str]],
    cost_column: Optional[str],
) -> SuppressionResult:
    cells = _cells_frame(out, value)
    drop: List[str] = []
    if contributors is not None:
        drop.append(contributors)
    if largest is not None:
        drop.extend(_names(largest))
    table = _published_table(df, out, cells, dims, value, kind, drop)
    hier = {
        d: [
            (c, out["codes"][j][p] if p >= 0 else "")
            for c, p in zip(out["codes"][j], out["parents"][j])
        ]
        for j, d in enumerate(out["dims"])
    }
    status = out["status"]
    return SuppressionResult(
        table=table,
        _cells=cells,
        dims=tuple(dims),
        value=value,
        num_primary=int((status == 1).sum()),
        num_secondary=int((status == 2).sum()),
        total_cost=float(out["total_cost"]),
        method=str(out["method"]),
        proven_optimal=bool(out["proven_optimal"]),
        lower_bound=float(out["lower_bound"]),
        seconds=float(out["seconds"]),
        hierarchies=hier,
        _audit=_audit_from(out, cells, value),
    )


def audit_suppression(
    df: pd.DataFrame,
    dims: Sequence[str],
    value: str = "n",
    suppressed: Union[str, Sequence[bool], "pd.Series[bool]", np.ndarray] = "suppressed",
    *,
    rules: Optional[_rule_objects.RulesArg] = None,
    threshold: Optional[int] = None,
    hierarchies: Optional[Mapping[str, HierarchySpec]] = None,
    total: Union[str, Mapping[str, str]] = "Total",
    compute_totals: bool = False,
    missing: str = "error",
    kind: str = "frequency",
    contributors: Optional[str] = None,
    largest: Optional[Sequence[str]] = None,
    dominance: Optional[Sequence[Tuple[int, float]]] = None,
    p_percent: Optional[float] = None,
    q_percent: Optional[float] = None,
    protect_zeros: Optional[bool] = None,
    threshold_hides_presence: Optional[bool] = None,
    mark: Optional[str] = None,
    audit: str = "auto",
    name: str = "table",
    progress: _progress.ProgressArg = None,
) -> SuppressionAudit:
    """Audits a suppression pattern someone else made (by hand, by another
    tool): what an attacker can derive about each suppressed cell, and
    whether every primary cell (by the same rules as :func:`suppress`) keeps
    its protection. A pattern that fails is a result (``passed`` is False,
    :attr:`SuppressionAudit.unsafe` lists the cells), not an error.

    ``suppressed`` is a boolean column name or a boolean sequence with one
    entry per row. Computed totals (``compute_totals=True``) count as
    published. ``progress`` as :func:`suppress` (stages "primary" and
    "audit"). Other arguments and errors as :func:`suppress`.
    """
    import numpy as np
    pd = _optional.pandas("audit_suppression")

    dims, value = _check_frame(df, dims, value)
    if isinstance(suppressed, str):
        if suppressed not in df.columns:
            raise InvalidArgumentError(f"no column {suppressed!r} in the frame")
        mask_series = df[suppressed]
    else:
        try:
            mask_series = pd.Series(list(suppressed) if not isinstance(suppressed, np.ndarray)
                                    else suppressed)
        except TypeError:
            raise ArgumentTypeError(
                f"suppressed must be a column name or a sequence of booleans, not "
                f"{type(suppressed).__name__}") from None
    if len(mask_series) != len(df):
        raise InvalidArgumentError(
            f"suppressed has {len(mask_series)} entries for {len(df)} rows"
        )
    if mask_series.isna().any():
        raise InvalidArgumentError("suppressed has missing entries; use True or False")
    mask = np.asarray(mask_series, dtype=bool).astype(np.uint8)
    fields = _rules(rules, threshold, dominance, p_percent, q_percent, protect_zeros,
                          threshold_hides_presence)
    options = _options("auto", "cells", 60.0, 1, 400, audit, missing)
    t = _Table(df, dims, value, hierarchies, total, compute_totals, kind, contributors, largest,
               None, mark)
    out = _run([(t, _args.text(name, "name"))], fields, options, [mask], progress, "audit")[0]
    cells = _cells_frame(out, value)
    return _audit_from(out, cells, value)
