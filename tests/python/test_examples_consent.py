"""examples/consent_and_requests.py runs and shows what its docstring says."""

from __future__ import annotations

import importlib.util
import pathlib
import re
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _example() -> Any:
    spec = importlib.util.spec_from_file_location(
        "consent_and_requests", ROOT / "examples" / "consent_and_requests.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_runs_both_workflows(capsys: Any) -> None:
    result = _example().main()
    research = result["research_contact"]
    assert research == {
        "given_on_2026_01_01": 200,
        "withdrawn_on_2026_12_01": 20,
        "due": 20,
        "pending": 180,
        "intact": True,
        "receipt_valid": True,
    }
    applicant = result["rejected_applicant"]
    assert applicant["due"] == "2026-02-28"
    assert applicant["actions"] == ["erase"]
    assert applicant["tokens_erased"] >= 1
    assert applicant["overdue"] is True
    assert applicant["intact"] is True
    assert applicant["access_report_requests"] == 1
    out = capsys.readouterr().out
    # What the example prints never holds a CPR number or a token.
    assert "tk_" not in out
    assert not re.search(r"\b\d{6}-?\d{4}\b", out)
