"""Optional dependencies, imported when a call needs them.

``require("tqdm.auto", extra="progress", what="progress=True")`` returns the
module or raises :class:`gdprkit.MissingDependencyError` (also an
``ImportError``) naming the package and the extra that installs it.

pandas is one of them (``pip install 'gdprkit[pandas]'``): ``import gdprkit``
and every call that neither takes nor gives a DataFrame or Series work
without it. A call that needs it starts with ``pandas("Policy.rights_frame")``.
Code that only has to recognise pandas' objects asks :func:`loaded` instead:
a value can be a pandas object only if pandas has been imported, so nothing
is imported for a list or a NumPy array.
"""

from __future__ import annotations

import decimal
import importlib
import sys
from types import ModuleType
from typing import Any, Optional

import numpy as np

from ._errors import MissingDependencyError


def require(module: str, *, extra: str, what: str) -> ModuleType:
    """The module `module`, or MissingDependencyError saying that `what` needs
    it and how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.split(".")[0]
        raise MissingDependencyError(
            f"{what} needs {package}, an optional dependency that is not installed: "
            f"pip install 'gdprkit[{extra}]' (or pip install {package})"
        ) from None


def pandas(what: str) -> ModuleType:
    """pandas, or MissingDependencyError saying that `what` (the public call,
    "Policy.rights_frame") needs it: pip install 'gdprkit[pandas]'."""
    return require("pandas", extra="pandas", what=what)


def loaded(module: str) -> Optional[ModuleType]:
    """The module if it has been imported already, else None; never imports.
    ``isinstance(x, pd.Series)`` is written
    ``pd is not None and isinstance(x, pd.Series)`` with ``pd = loaded("pandas")``."""
    return sys.modules.get(module)


# Missing values that can exist without pandas: NaN of any float, and NaT.
_NAN_TYPES = (float, complex, decimal.Decimal, np.floating, np.complexfloating, np.datetime64,
              np.timedelta64)


def is_na(value: Any) -> bool:
    """True for one missing value as pandas' ``isna`` sees a scalar: None,
    NaN, NaT, and pandas' NA and NaT; without importing pandas."""
    if value is None:
        return True
    pd = loaded("pandas")
    if pd is not None and (value is pd.NA or value is pd.NaT):
        return True
    if isinstance(value, decimal.Decimal):
        return value.is_nan()
    return isinstance(value, _NAN_TYPES) and bool(value != value)
