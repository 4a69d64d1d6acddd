"""Placeholder until the suppression of gdprkit.spark lands (issue 15)."""

from typing import Any


class SparkSuppressionResult:
    pass


def suppress(*args: Any, **kwargs: Any) -> Any:
    raise NotImplementedError("gdprkit.spark.suppress")
