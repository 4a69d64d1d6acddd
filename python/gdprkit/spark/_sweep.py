"""Placeholder until the sweep of gdprkit.spark lands (issue 15)."""

from typing import Any


def sweep(*args: Any, **kwargs: Any) -> Any:
    raise NotImplementedError("gdprkit.spark.sweep")
