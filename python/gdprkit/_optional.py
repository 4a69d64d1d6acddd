"""Optional dependencies, imported when a call needs them.

``require("tqdm.auto", extra="progress", what="progress=True")`` returns the
module or raises :class:`gdprkit.MissingDependencyError` (also an
``ImportError``) naming the package and the extra that installs it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

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
