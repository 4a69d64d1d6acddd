"""The exception classes: one per status code, each also a built-in."""

from __future__ import annotations

import errno
import pickle

import pytest

import gdprkit
from gdprkit import _errors

BUILTIN_OF = {
    gdprkit.CancelledError: Exception,
    gdprkit.UnknownError: RuntimeError,
    gdprkit.InvalidArgumentError: ValueError,
    gdprkit.DeadlineExceededError: TimeoutError,
    gdprkit.NotFoundError: KeyError,
    gdprkit.AlreadyExistsError: ValueError,
    gdprkit.PermissionDeniedError: PermissionError,
    gdprkit.ResourceExhaustedError: MemoryError,
    gdprkit.FailedPreconditionError: RuntimeError,
    gdprkit.AbortedError: RuntimeError,
    gdprkit.OutOfRangeError: IndexError,
    gdprkit.InternalError: RuntimeError,
    gdprkit.UnavailableError: RuntimeError,
    gdprkit.DataLossError: RuntimeError,
    gdprkit.UnauthenticatedError: PermissionError,
}

# absl::StatusCode numbers (also the C ABI's gdprkit_status).
NUMBERS = {
    "CANCELLED": 1,
    "UNKNOWN": 2,
    "INVALID_ARGUMENT": 3,
    "DEADLINE_EXCEEDED": 4,
    "NOT_FOUND": 5,
    "ALREADY_EXISTS": 6,
    "PERMISSION_DENIED": 7,
    "RESOURCE_EXHAUSTED": 8,
    "FAILED_PRECONDITION": 9,
    "ABORTED": 10,
    "OUT_OF_RANGE": 11,
    "UNIMPLEMENTED": 12,
    "INTERNAL": 13,
    "UNAVAILABLE": 14,
    "DATA_LOSS": 15,
    "UNAUTHENTICATED": 16,
}


@pytest.mark.parametrize("cls,builtin", sorted(BUILTIN_OF.items(), key=lambda kv: kv[0].__name__))
def test_every_class_is_an_error_and_its_builtin(cls: type, builtin: type) -> None:
    assert issubclass(cls, gdprkit.Error)
    assert issubclass(cls, builtin)
    assert cls.__module__ == "gdprkit"
    assert getattr(gdprkit, cls.__name__) is cls
    assert NUMBERS[cls.status_code] == cls.status_number
    assert gdprkit.error_class(cls.status_number) is cls


def test_every_reported_status_code_has_its_class() -> None:
    assert {c.status_number for c in BUILTIN_OF} == set(range(1, 17)) - {12}
    assert gdprkit.error_class(0) is gdprkit.UnknownError
    assert gdprkit.error_class(99) is gdprkit.UnknownError
    assert gdprkit.error_class(12) is gdprkit.UnknownError  # UNIMPLEMENTED: nothing reports it


def test_message_is_not_quoted_by_keyerror() -> None:
    e = gdprkit.NotFoundError('no purpose "x" in policy p')
    assert str(e) == 'no purpose "x" in policy p'
    assert e.message == str(e)
    assert isinstance(e, KeyError)


def test_no_such_file_error_is_also_file_not_found() -> None:
    e = _errors._from_status(5, "policy file /x does not exist", "/x")
    assert type(e) is gdprkit.NoSuchFileError
    assert isinstance(e, gdprkit.NotFoundError)
    assert isinstance(e, KeyError)
    assert isinstance(e, FileNotFoundError)
    assert e.errno == errno.ENOENT
    assert e.filename == "/x"
    assert str(e) == "policy file /x does not exist"


def test_permission_denied_with_a_file_carries_errno() -> None:
    e = _errors._from_status(7, "policy file /x: permission denied", "/x")
    assert type(e) is gdprkit.PermissionDeniedError
    assert isinstance(e, PermissionError)
    assert e.errno == errno.EACCES
    assert e.filename == "/x"
    assert str(e) == "policy file /x: permission denied"


def test_not_found_without_a_file_is_not_an_oserror() -> None:
    e = _errors._from_status(5, "no purpose", None)
    assert type(e) is gdprkit.NotFoundError
    assert not isinstance(e, OSError)


def test_unknown_status_numbers_give_unknown_error() -> None:
    e = _errors._from_status(42, "what", None)
    assert type(e) is gdprkit.UnknownError
    assert str(e) == "what"


@pytest.mark.parametrize("cls", sorted(BUILTIN_OF, key=lambda c: c.__name__))
def test_errors_pickle(cls: type) -> None:
    e = cls("a message")
    again = pickle.loads(pickle.dumps(e))
    assert type(again) is cls
    assert str(again) == "a message"


def test_catching_by_builtin_works_for_real_calls(policies_dir) -> None:
    with pytest.raises(KeyError):
        gdprkit.Policy.from_text('purposes { id: "a" }').rights("b")
    with pytest.raises(ValueError):
        gdprkit.Policy.from_text("purposes {")
    with pytest.raises(FileNotFoundError):
        gdprkit.Policy.load(policies_dir / "no-such-policy.textproto")
    with pytest.raises(gdprkit.Error):
        gdprkit.Policy.from_text("")
