"""Retention in a notebook (issue #11): the sweep's report and its display,
titles in English and Danish, progress, the log line, the error modes and
the typed add_period.

The displays show counts, the library's names and titles, row labels and
column names; never a record id that looks like a CPR number, nor a record's
dates.
"""

from __future__ import annotations

import datetime as dt
import logging
import pathlib
import subprocess
import sys
from html import escape as html_escape
from typing import Any, List, Tuple

import numpy as np
import pandas as pd
import pytest

import gdprkit
from gdprkit import retention

REPO = pathlib.Path(__file__).resolve().parents[2]
KAPSEL = str(REPO / "examples" / "policies" / "kapsel.textproto")
CPR = "0101901234"  # CPR-shaped: never shown


@pytest.fixture(scope="module")
def schedule() -> gdprkit.RetentionSchedule:
    return gdprkit.RetentionSchedule.from_policy(KAPSEL)


def records(n: int = 3) -> pd.DataFrame:
    ended = ["2025-11-30", None, "2018-01-01"] * (n // 3) + ["2025-11-30"] * (n % 3)
    ids = [f"p-{i}" for i in range(n)]
    ids[0] = CPR
    frame: pd.DataFrame = pd.DataFrame(
        {"id": ids, "purpose": "quality-advice-data",
         "collection": pd.to_datetime(["2019-03-01"] * n), "provider_number_ended": ended},
        index=pd.Index(ids, name="record"))
    return frame


def test_the_report_is_in_attrs_and_by_report(schedule: gdprkit.RetentionSchedule) -> None:
    out = schedule.sweep(records(), on="2027-03-01", id="id", purpose="purpose", errors="report")
    rep = retention.report(out)
    assert rep is out.attrs["report"]
    assert (rep.records, rep.due, rep.invalid, rep.complete) == (3, 1, 1, False)
    assert rep.counts == {"due": 1, "pending": 0, "kept": 1, "held": 0, "may-delete": 0,
                          "invalid": 1}
    assert repr(rep) == "<gdprkit.SweepReport records=3 due=1 invalid=1 complete=False>"
    assert [(e.row, e.column, e.problem) for e in rep.invalid_records] == [
        ("p-2", "provider_number_ended", "before-collection")]
    assert list(rep.counts_frame()["records"]) == [1, 0, 1, 0, 0, 1]
    assert list(rep.invalid_frame(lang="da")["title"]) == [
        retention.titles("record_problem", lang="da")["before-collection"]]
    # Filtering keeps the report of the whole sweep.
    assert retention.report(out[out["due"]]).records == 3
    with pytest.raises(gdprkit.InvalidArgumentError, match="no sweep report"):
        retention.report(pd.DataFrame())
    with pytest.raises(gdprkit.ArgumentTypeError):
        retention.report("result")  # type: ignore[arg-type]


def test_the_display_shows_titles_and_never_ids_or_dates(
        schedule: gdprkit.RetentionSchedule) -> None:
    df = records()
    df.loc[CPR, "provider_number_ended"] = "2018-01-01"  # the CPR-labelled row is invalid too
    out = schedule.sweep(df, on="2027-03-01", id="id", purpose="purpose", errors="report",
                         lang="da")
    html = out.attrs["report"]._repr_html_()
    for title in ("Skal slettes", "Opbevares", "Ugyldige oplysninger"):
        assert title in html
    assert "En hændelse dateret før indsamlingen" in html
    assert CPR not in html
    assert html_escape(gdprkit._gdprkit.WITHHELD_IDENTIFIER) in html
    for value in ("2018-01-01", "2019-03-01", "2025-11-30", "p-1"):
        assert value not in html
    english = out.attrs["report"].to_html(lang="en")
    assert "Due for deletion" in english and "Skal slettes" not in english
    assert CPR not in repr(out.attrs["report"])


def test_coerce_counts_and_report_lists(schedule: gdprkit.RetentionSchedule) -> None:
    for mode, listed in (("coerce", 0), ("skip", 0), ("report", 1)):
        out = schedule.sweep(records(), on="2027-03-01", purpose="purpose", errors=mode)
        assert out.attrs["complete"] is False and list(out["status"])[2] == "invalid"
        assert len(out.attrs["report"].invalid_records) == listed == len(out.attrs["errors"])
    for mode in ("raise", "fail"):
        with pytest.raises(gdprkit.RetentionInputError, match="before collection"):
            schedule.sweep(records(), on="2027-03-01", purpose="purpose", errors=mode)


class Recorder:
    """A progress callback that keeps every call."""

    def __init__(self, calls: List[Tuple[str, int, int]]) -> None:
        self.calls = calls

    def __call__(self, stage: str, done: int, total: int) -> bool:
        self.calls.append((stage, done, total))
        return True


def test_progress_reaches_the_total_and_cancels(schedule: gdprkit.RetentionSchedule) -> None:
    for n, threads in ((3, 1), (200_000, 2)):
        df = records(n)
        calls: List[Tuple[str, int, int]] = []
        schedule.sweep(df, on="2027-03-01", purpose="purpose", errors="coerce", threads=threads,
                       progress=Recorder(calls))
        assert calls[0] == ("sweep", 0, n) and calls[-1] == ("sweep", n, n), threads
        assert [d for _, d, _ in calls] == sorted(d for _, d, _ in calls)
    with pytest.raises(gdprkit.CancelledError, match="sweep"):
        schedule.sweep(records(), on="2027-03-01", purpose="purpose",
                       progress=lambda stage, done, total: False)

    class Stop(Exception):
        pass

    def raising(stage: str, done: int, total: int) -> bool:
        raise Stop()

    with pytest.raises(Stop):
        schedule.sweep(records(), on="2027-03-01", purpose="purpose", progress=raising)
    # A bar (tqdm) for progress=True.
    out = schedule.sweep(records(), on="2027-03-01", purpose="purpose", errors="coerce",
                         progress=True)
    assert len(out) == 3


def test_the_log_line_has_counts_and_no_values(schedule: gdprkit.RetentionSchedule,
                                               caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="gdprkit"):
        schedule.sweep(records(), on="2027-03-01", id="id", purpose="purpose", errors="coerce")
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("sweep")]
    assert len(lines) == 1
    line = lines[0]
    for field in ("records=3", "due=1", "kept=1", "invalid=1", "errors=coerce", "threads=1"):
        assert field in line
    for value in (CPR, "p-1", "2018-01-01", "2025-11-30", "2027"):
        assert value not in line


def test_explain_gives_the_verdict_in_the_language(schedule: gdprkit.RetentionSchedule) -> None:
    df = records()
    da = schedule.explain(df, "p-1", on="2027-03-01", purpose="purpose", lang="da")
    assert da.splitlines()[-2].startswith("verdict: Opbevares (")
    assert da.splitlines()[-1].startswith("=> kept")
    en = schedule.explain(df, "p-1", on="2027-03-01", purpose="purpose")
    assert en.splitlines()[-2].startswith("verdict: Kept (")
    with pytest.raises(gdprkit.InvalidArgumentError, match="lang"):
        schedule.explain(df, "p-1", on="2027-03-01", purpose="purpose", lang="de")


def test_the_schedule_and_the_log_display_themselves(schedule: gdprkit.RetentionSchedule,
                                                     tmp_path: pathlib.Path) -> None:
    assert repr(schedule) == "<gdprkit.RetentionSchedule rules=1 events=2>"
    html = schedule.to_html(lang="da")
    assert "provider-number-plus-15-months" in html and "Slet efter perioden" in html
    assert "Delete after the period" in schedule._repr_html_()
    frame = schedule.rules_frame()
    assert frame.loc["provider-number-plus-15-months", "action"] == "delete_after"
    assert frame.loc["provider-number-plus-15-months", "period"] == "P15M"
    key = bytes(range(32))
    path = tmp_path / "deletions.log"
    with gdprkit.DeletionLog(path, key=key) as log:
        log.append("p-1", rule="provider-number-plus-15-months", due_date="2027-02-28")
    v = gdprkit.DeletionLog.verify(path, key=key)
    assert repr(v) == "<gdprkit.DeletionLogVerification intact=True entries=1 keyed=True>"
    shown = v._repr_html_()
    assert "intact" in shown and v.head in shown
    assert key.hex() not in shown and "p-1" not in shown


def test_add_period_returns_its_input_s_kind() -> None:
    assert retention.add_period("2025-11-30", "P15M") == "2027-02-28"
    assert retention.add_period(dt.date(2025, 11, 30), "P15M") == dt.date(2027, 2, 28)
    assert retention.add_period(pd.Timestamp("2025-11-30"), "P15M") == pd.Timestamp("2027-02-28")
    assert retention.add_period(np.datetime64("2025-11-30"), "P15M") == np.datetime64(
        "2027-02-28")
    series = retention.add_period(pd.Series(["2025-11-30"], index=["a"]), "P15M")
    assert isinstance(series, pd.Series) and list(series.index) == ["a"]
    array = retention.add_period(["2025-11-30", None], "P15M")
    assert isinstance(array, np.ndarray) and np.isnat(array[1])


_TYPED = """
import datetime as dt
from typing import Any
import numpy as np
import pandas as pd
from typing_extensions import assert_type
from gdprkit import retention

assert_type(retention.add_period("2025-11-30", "P15M"), str)
assert_type(retention.add_period(dt.date(2025, 11, 30), "P15M"), dt.date)
assert_type(retention.add_period(pd.Timestamp("2025-11-30"), "P15M"), pd.Timestamp)
assert_type(retention.add_period(np.datetime64("2025-11-30"), "P15M"), np.datetime64)
assert_type(retention.add_period(pd.Series(["2025-11-30"]), "P15M"), "pd.Series[Any]")
"""


def test_add_period_is_typed_by_its_overloads(tmp_path: pathlib.Path) -> None:
    """mypy --strict reads the container type from the overloads."""
    pytest.importorskip("mypy")
    snippet = tmp_path / "typed.py"
    snippet.write_text(_TYPED)
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(snippet)],
        capture_output=True, text=True, check=False, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_signatures_are_keywords_not_kwargs() -> None:
    import inspect
    for fn in (gdprkit.RetentionSchedule.sweep, gdprkit.RetentionSchedule.explain):
        kinds = {p.kind for p in inspect.signature(fn).parameters.values()}
        assert inspect.Parameter.VAR_KEYWORD not in kinds, fn
    names: Any = inspect.signature(gdprkit.RetentionSchedule.sweep).parameters
    assert {"on", "errors", "progress", "lang"} <= set(names)
