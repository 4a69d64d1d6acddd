"""examples/spark_cluster_report.py runs on the tests' Spark session and
says what it should: the Spark sweep agrees with the pandas sweep, the table's
audit passes, and no CPR number of the records reaches the output."""

from __future__ import annotations

import csv
import importlib.util
import pathlib
from typing import Any

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "spark_cluster_report.py"


def test_spark_example_runs(spark: Any, capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("spark_cluster_report", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(spark)
    out = capsys.readouterr().out
    assert "3000 registrations" in out
    assert "audit passed: True" in out
    assert "the same statuses as gdprkit.sweep on pandas: True" in out
    assert "ps1_" in out and "tk_" in out  # pseudonyms and tokens shown
    with open(REPO / "examples" / "records" / "cluster_records.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        assert row["patient_cpr"] not in out
