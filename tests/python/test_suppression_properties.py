"""Properties of gdprkit.suppress on random hierarchical tables (hypothesis):
every result passes its own audit and an independent audit, no total relation
is left with a single suppressed cell, every small cell is suppressed, and the
same frame (in any row order) gives the same pattern."""

from __future__ import annotations

from typing import Dict, List, Tuple

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gdprkit


@st.composite
def tables(draw: st.DrawFn) -> Tuple[pd.DataFrame, Dict[str, str]]:
    clusters = draw(st.integers(1, 3))
    per = draw(st.lists(st.integers(1, 3), min_size=clusters, max_size=clusters))
    hier: Dict[str, str] = {"Total": ""}
    practices: List[str] = []
    for c, k in enumerate(per):
        hier[f"c{c}"] = "Total"
        for j in range(k):
            hier[f"p{c}{j}"] = f"c{c}"
            practices.append(f"p{c}{j}")
    bands = [f"b{k}" for k in range(draw(st.integers(2, 4)))]
    counts = draw(st.lists(st.integers(0, 30), min_size=len(practices) * len(bands),
                           max_size=len(practices) * len(bands)))
    rows = [(p, b, counts[i * len(bands) + j])
            for i, p in enumerate(practices) for j, b in enumerate(bands)]
    return pd.DataFrame(rows, columns=["practice", "band", "n"]), hier


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from(["heuristic", "optimal"]))
def test_every_pattern_is_safe_and_stable(table: Tuple[pd.DataFrame, Dict[str, str]],
                                          method: str) -> None:
    df, hier = table
    kw = dict(hierarchies={"practice": hier}, compute_totals=True, method=method)
    r = gdprkit.suppress(df, ["practice", "band"], "n", **kw)  # type: ignore[arg-type]
    assert r.audit().passed
    cells = r.confidential_cells()
    small = (cells.n > 0) & (cells.n < 5)
    assert (cells.status[small] == "primary").all()
    assert r.num_primary == int(small.sum())
    # An independent audit of the published pattern.
    a = gdprkit.audit_suppression(cells, ["practice", "band"], "n",
                                  (cells.status != "published").to_numpy(),
                                  hierarchies={"practice": hier})
    assert a.passed
    # No relation with exactly one suppressed cell.
    hidden = {(p, b) for p, b, s in zip(cells.practice, cells.band, cells.status)
              if s != "published"}
    bands = ["Total"] + sorted(set(df.band))
    kids: Dict[str, List[str]] = {}
    for c, p in hier.items():
        if p:
            kids.setdefault(p, []).append(c)
    for b in bands:
        for parent, ch in kids.items():
            n = sum((x, b) in hidden for x in [parent] + ch)
            assert n != 1
    for p in hier:
        assert sum((p, b) in hidden for b in bands) != 1
    # Same frame, any row order: same pattern.
    again = gdprkit.suppress(df.iloc[np.random.default_rng(0).permutation(len(df))],
                             ["practice", "band"], "n", **kw)  # type: ignore[arg-type]
    assert list(again.confidential_cells().status) == list(cells.status)
