"""gdprkit's primitives over Apache Spark DataFrames (``pip install 'gdprkit[spark]'``).

The same rules as the pandas calls, run where the data already is:

* :func:`pseudonymise` computes a vault domain's pseudonyms on the executors
  from the domain's exported key (``Vault.export_pseudonym_key``), shipped as a
  broadcast, never as a literal of the query plan;
* :func:`tokenise` tokenises the distinct identifiers on the driver, in the
  vault, and joins the tokens back;
* :func:`sweep` runs a retention sweep on the executors, row for row as
  :func:`gdprkit.sweep`;
* :func:`suppress` lets Spark count the table with every total the
  hierarchies need, and protects it on the driver with the engine of
  :func:`gdprkit.suppress`.

``import gdprkit`` never imports pyspark; ``import gdprkit.spark`` does, and
raises :class:`gdprkit.MissingDependencyError` naming the extra when it is
missing. ``docs/spark.md`` says what runs where and how to size a cluster.
"""

from __future__ import annotations

from . import _common

_common.require_pyspark("gdprkit.spark")

from ._pseudonyms import pseudonymise, pseudonymize, tokenise, tokenize  # noqa: E402
from ._suppress import SparkSuppressionResult, suppress  # noqa: E402
from ._sweep import sweep  # noqa: E402

__all__ = [
    "SparkSuppressionResult",
    "pseudonymise",
    "pseudonymize",
    "suppress",
    "sweep",
    "tokenise",
    "tokenize",
]
