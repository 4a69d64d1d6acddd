"""Placeholder until the pseudonyms of gdprkit.spark land (issue 15)."""

from typing import Any


def pseudonymise(*args: Any, **kwargs: Any) -> Any:
    raise NotImplementedError("gdprkit.spark.pseudonymise")


def tokenise(*args: Any, **kwargs: Any) -> Any:
    raise NotImplementedError("gdprkit.spark.tokenise")


pseudonymize = pseudonymise
tokenize = tokenise
