"""The exceptions of gdprkit, one per status code of the core.

Every error gdprkit raises is a :class:`gdprkit.Error`. Each subclass also
derives from the built-in exception a Python programmer would expect, so code
that knows nothing of gdprkit still catches it: an unparsable policy is a
:class:`ValueError`, an unknown purpose id a :class:`KeyError`, a missing
policy file a :class:`FileNotFoundError`.

The classes correspond to the ``absl::StatusCode`` numbers the C++ core and the
C ABI use (``docs/conventions.md``); this module is the only place where the
mapping is written down. The extension ``_gdprkit`` calls :func:`_from_status`
for every failed call.
"""

from __future__ import annotations

import errno as _errno
from typing import Dict, Optional, Type

__all__ = [
    "Error",
    "CancelledError",
    "UnknownError",
    "InvalidArgumentError",
    "ArgumentTypeError",
    "DeadlineExceededError",
    "NotFoundError",
    "NoSuchFileError",
    "AlreadyExistsError",
    "PermissionDeniedError",
    "ResourceExhaustedError",
    "FailedPreconditionError",
    "AbortedError",
    "OutOfRangeError",
    "InternalError",
    "UnavailableError",
    "MissingDependencyError",
    "DataLossError",
    "UnauthenticatedError",
]


class Error(Exception):
    """Base class of every exception gdprkit raises.

    Attributes:
        message: the message for people. It names the input that was wrong
            (file, line, field, value) but never a secret.
        status_code: the name of the status code ("NOT_FOUND", ...), the same
            as ``gdprkit_status_name()`` gives in the C ABI.
        status_number: the number of the status code (``absl::StatusCode``,
            also the C ABI's ``gdprkit_status``).
    """

    status_code: str = "UNKNOWN"
    status_number: int = 2

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        # KeyError would repr-quote the message; OSError would prefix an errno.
        return self.message


class CancelledError(Error):
    """The operation was cancelled (status CANCELLED)."""

    status_code = "CANCELLED"
    status_number = 1


class UnknownError(Error, RuntimeError):
    """An error the core could not classify (status UNKNOWN)."""

    status_code = "UNKNOWN"
    status_number = 2


class InvalidArgumentError(Error, ValueError):
    """Input that is not acceptable: text that does not parse (with file, line
    and column), an empty or binary input, an unknown format name, an empty
    team (status INVALID_ARGUMENT)."""

    status_code = "INVALID_ARGUMENT"
    status_number = 3


class ArgumentTypeError(InvalidArgumentError, TypeError):
    """An argument of the wrong type: ``None`` or bytes where a str is
    expected, a float where an int is. An :class:`InvalidArgumentError` (so a
    ``ValueError``, status INVALID_ARGUMENT) and also a ``TypeError``, so that
    code catching either still catches it. Out-of-range ints, text that is not
    valid Unicode (a lone surrogate) and NUL characters raise
    :class:`InvalidArgumentError` itself. The message names the argument,
    never its value."""


class DeadlineExceededError(Error, TimeoutError):
    """The operation ran out of time (status DEADLINE_EXCEEDED)."""

    status_code = "DEADLINE_EXCEEDED"
    status_number = 4


class NotFoundError(Error, KeyError):
    """Something named does not exist: a purpose id, a legal-basis code, a
    file (status NOT_FOUND). The message names the nearest valid names where
    there are any."""

    status_code = "NOT_FOUND"
    status_number = 5


class NoSuchFileError(NotFoundError, FileNotFoundError):
    """A file gdprkit was asked to read does not exist.

    Both a :class:`NotFoundError` and a :class:`FileNotFoundError`; ``errno``
    is ``ENOENT`` and ``filename`` the path as given.
    """


class AlreadyExistsError(Error, ValueError):
    """Something to be created exists already (status ALREADY_EXISTS)."""

    status_code = "ALREADY_EXISTS"
    status_number = 6


class PermissionDeniedError(Error, PermissionError):
    """A file that cannot be read or written (status PERMISSION_DENIED); for
    a file, ``errno`` is ``EACCES`` and ``filename`` the path."""

    status_code = "PERMISSION_DENIED"
    status_number = 7


class ResourceExhaustedError(Error, MemoryError):
    """An input over a size limit (policies: 16 MiB) or memory that could not
    be had (status RESOURCE_EXHAUSTED)."""

    status_code = "RESOURCE_EXHAUSTED"
    status_number = 8


class FailedPreconditionError(Error, RuntimeError):
    """The system is not in a state the operation needs (status
    FAILED_PRECONDITION)."""

    status_code = "FAILED_PRECONDITION"
    status_number = 9


class MissingDependencyError(FailedPreconditionError, ImportError):
    """An optional dependency a call needs is not installed (pandas for a
    call that takes or gives a DataFrame, tqdm for ``progress=True``,
    openpyxl for ``to_excel``, matplotlib to plot). The message names the
    call, the package and the extra that installs it
    (``pip install 'gdprkit[pandas]'``). Also an ``ImportError``."""


class AbortedError(Error, RuntimeError):
    """The operation was aborted, e.g. by a concurrent change (status
    ABORTED)."""

    status_code = "ABORTED"
    status_number = 10


class OutOfRangeError(Error, IndexError):
    """An index or value past the valid range (status OUT_OF_RANGE)."""

    status_code = "OUT_OF_RANGE"
    status_number = 11


class InternalError(Error, RuntimeError):
    """A bug in gdprkit; please report it with the message (status
    INTERNAL)."""

    status_code = "INTERNAL"
    status_number = 13


class UnavailableError(Error, RuntimeError):
    """A resource is temporarily unavailable, e.g. a locked file (status
    UNAVAILABLE)."""

    status_code = "UNAVAILABLE"
    status_number = 14


class DataLossError(Error, RuntimeError):
    """Stored data are damaged or were altered (status DATA_LOSS)."""

    status_code = "DATA_LOSS"
    status_number = 15


class UnauthenticatedError(Error, PermissionError):
    """Missing or wrong credentials, e.g. a wrong passphrase (status
    UNAUTHENTICATED)."""

    status_code = "UNAUTHENTICATED"
    status_number = 16


_BY_NUMBER: Dict[int, Type[Error]] = {
    cls.status_number: cls
    for cls in (
        CancelledError,
        UnknownError,
        InvalidArgumentError,
        DeadlineExceededError,
        NotFoundError,
        AlreadyExistsError,
        PermissionDeniedError,
        ResourceExhaustedError,
        FailedPreconditionError,
        AbortedError,
        OutOfRangeError,
        InternalError,
        UnavailableError,
        DataLossError,
        UnauthenticatedError,
    )
}

# Shown as gdprkit.NotFoundError etc. in tracebacks, where users import them.
for _cls in (Error, NoSuchFileError, ArgumentTypeError, MissingDependencyError,
             *_BY_NUMBER.values()):
    _cls.__module__ = "gdprkit"
del _cls


def error_class(status_number: int) -> Type[Error]:
    """The exception class for a status number; :class:`UnknownError` for a
    number without its own class (0 is not an error and also gives it; so
    does UNIMPLEMENTED, 12, which no operation reports: every entry point is
    implemented)."""
    return _BY_NUMBER.get(status_number, UnknownError)


def _from_status(status_number: int, message: str, filename: Optional[str] = None) -> Error:
    """The exception for a failed status; called by the extension.

    ``filename`` is given by calls that open a file: NOT_FOUND then becomes a
    :class:`NoSuchFileError` and PERMISSION_DENIED carries the file's errno and
    name, as Python's own ``open()`` would.
    """
    cls = error_class(status_number)
    if filename is not None and cls is NotFoundError:
        cls = NoSuchFileError
    exc = cls(message)
    if filename is not None and isinstance(exc, (NoSuchFileError, PermissionDeniedError)):
        exc.errno = _errno.ENOENT if cls is NoSuchFileError else _errno.EACCES
        exc.strerror = message
        exc.filename = filename
    return exc
