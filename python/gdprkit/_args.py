"""Argument checks shared by the public functions of the package.

Every public function converts its arguments here before they reach the
extension, so that an odd value raises a :class:`gdprkit.Error` naming the
argument instead of whatever pybind11 or the codec would raise
(``TypeError: incompatible function arguments`` with the arguments' values in
the message, ``RuntimeError: Unable to cast``, ``UnicodeEncodeError``,
``OverflowError``):

* a value of the wrong type (``None`` for a str, a float for an int, bytes for
  a domain): :class:`gdprkit.ArgumentTypeError`, which is a
  :class:`gdprkit.InvalidArgumentError` (so a ``ValueError``) and also a
  ``TypeError``;
* an int out of range (negative, or too large for the C++ type behind it),
  text that is not valid Unicode (a lone surrogate such as ``"\\ud800"``), a
  NUL character, a float that is not finite: :class:`gdprkit.InvalidArgumentError`.

Messages name the argument and what is wrong with it, never its value: the
value may be an identifier, a passphrase or a key.
"""

from __future__ import annotations

import datetime as _dt
import math
import operator
import os
from typing import Any, Iterable, Optional, Union

import numpy as np

from ._errors import ArgumentTypeError, InvalidArgumentError

# Limits of the C++ integer types behind the arguments.
INT32_MAX = 2**31 - 1
UINT32_MAX = 2**32 - 1
INT64_MAX = 2**63 - 1
UINT64_MAX = 2**64 - 1

PathArg = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]


def _type_name(value: Any) -> str:
    return type(value).__name__


def check_unicode(value: str, name: str) -> str:
    """`value` if it encodes as UTF-8; InvalidArgumentError naming `name` and
    the position of the first lone surrogate otherwise."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise InvalidArgumentError(
            f"{name} is not valid text: it holds a lone surrogate (U+{ord(value[e.start]):04X}) "
            f"at position {e.start}, which cannot be encoded as UTF-8"
        ) from None
    return value


def text(value: Any, name: str, *, nul: bool = False, empty: bool = True) -> str:
    """A str argument: of type str, valid Unicode, without NUL characters
    (unless `nul`), not empty (unless `empty`)."""
    if not isinstance(value, str):
        raise ArgumentTypeError(f"{name} must be a str, not {_type_name(value)}")
    check_unicode(value, name)
    if not nul and "\0" in value:
        raise InvalidArgumentError(
            f"{name} holds a NUL character (at position {value.index(chr(0))})"
        )
    if not empty and not value:
        raise InvalidArgumentError(f"{name} is empty")
    return value


def encode_name(name: str) -> bytes:
    """A str name (file, source, id, code) as UTF-8 bytes for the core, which
    looks it up and, when it is unknown, writes the message.

    Lone surrogates (os.fsdecode'd file names, odd input) must not make the
    call fail with a TypeError: they round-trip through surrogateescape where
    they can and become invalid UTF-8 that matches nothing otherwise.
    """
    try:
        return name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return name.encode("utf-8", "backslashreplace")


def optional_text(value: Any, name: str) -> Optional[str]:
    """None, or a str argument as :func:`text` checks it."""
    return None if value is None else text(value, name)


def quoted_list(names: Iterable[str]) -> str:
    """'"a", "b" and "c"': valid choices as the core's messages list them."""
    quoted = [f'"{n}"' for n in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def choice(value: Any, name: str, choices: Iterable[str]) -> str:
    """One of `choices` (names, so they may be shown), in the core's words
    when it is not: ``unknown <name> "x"; valid: "a" and "b"; did you mean
    "a"?`` (the value withheld when it looks like an identifier)."""
    from . import _gdprkit

    options = tuple(choices)
    checked = text(value, name)
    if checked not in options:
        raise InvalidArgumentError(
            f"unknown {name} {_gdprkit.quote_untrusted(checked)}; valid: {quoted_list(options)}"
            f"{_gdprkit.did_you_mean(checked, list(options), 1)}")
    return checked


def flag(value: Any, name: str) -> bool:
    """A bool argument: True or False (or a NumPy bool), not a truthy value
    of another type ("no" would be True)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise ArgumentTypeError(f"{name} must be a bool, not {_type_name(value)}")


def integer(value: Any, name: str, lo: int, hi: int) -> int:
    """An int argument (a Python or NumPy integer; not a bool or a float)
    within [lo, hi], the range of the C++ type behind it."""
    if isinstance(value, bool) or value is None:
        raise ArgumentTypeError(f"{name} must be an int, not {_type_name(value)}")
    try:
        number = operator.index(value)
    except TypeError:
        raise ArgumentTypeError(f"{name} must be an int, not {_type_name(value)}") from None
    if not lo <= number <= hi:
        raise InvalidArgumentError(
            f"{name} must be an integer from {lo} to {hi}; the value given is "
            f"{'below' if number < lo else 'above'} that"
        )
    return number


def number(value: Any, name: str, lo: float = -math.inf, hi: float = math.inf,
           *, lo_open: bool = False) -> float:
    """A finite real argument (an int or a float, not a bool or a str) within
    [lo, hi], or (lo, hi] with `lo_open`."""
    if isinstance(value, (bool, str, bytes, bytearray)) or value is None:
        raise ArgumentTypeError(f"{name} must be a number, not {_type_name(value)}")
    try:
        whole = operator.index(value)
    except TypeError:
        try:
            f = float(value)  # a float, a NumPy float, a Decimal, ...
        except (TypeError, ValueError, OverflowError):
            raise ArgumentTypeError(
                f"{name} must be a number, not {_type_name(value)}") from None
    else:
        try:
            f = float(whole)
        except OverflowError:
            raise InvalidArgumentError(f"{name} is too large") from None
    if not math.isfinite(f):
        raise InvalidArgumentError(f"{name} must be a finite number")
    if f < lo or f > hi or (lo_open and f == lo):
        low = f"more than {lo:g}" if lo_open else f"at least {lo:g}"
        raise InvalidArgumentError(
            f"{name} must be {low}" + ("" if hi == math.inf else f" and at most {hi:g}"))
    return f


def path(value: Any, name: str = "path") -> bytes:
    """A file-system path (str, bytes or os.PathLike) as the bytes the OS
    takes: str through os.fsencode (so undecodable names read from the disk,
    which Python holds as surrogate escapes, round-trip). Never altered
    otherwise: the core decides what a path may be (a vault refuses
    ":memory:" and "file:" URIs). InvalidArgumentError for an empty path, a
    NUL byte (the OS would cut the name there: "a.vault\\0.bak" would become
    "a.vault") or a str that cannot be encoded."""
    try:
        raw: Union[str, bytes] = os.fspath(value)
    except TypeError:
        raise ArgumentTypeError(
            f"{name} must be a str, bytes or os.PathLike, not {_type_name(value)}") from None
    if isinstance(raw, str):
        text_path = raw
        try:
            raw = os.fsencode(text_path)
        except UnicodeEncodeError as e:
            raise InvalidArgumentError(
                f"{name} cannot be encoded as a file name: it holds a lone surrogate "
                f"(U+{ord(text_path[e.start]):04X}) at position {e.start}"
            ) from None
    if not raw:
        raise InvalidArgumentError(f"{name} is empty")
    if b"\0" in raw:
        raise InvalidArgumentError(
            f"{name} holds a NUL byte (at position {raw.index(0)}); a file name cannot"
        )
    return raw


def language(value: Any, name: str = "lang") -> str:
    """The canonical name ("en" or "da") of a language argument (the core's
    names and spellings, gdprkit/common.h); InvalidArgumentError naming the
    valid ones otherwise."""
    from . import _gdprkit

    try:
        return str(_gdprkit.parse_language(text(value, name)))
    except InvalidArgumentError as e:
        raise InvalidArgumentError(f"{name}: {e}") from None


def errors_mode(value: Any, allowed: Iterable[str], name: str = "errors") -> str:
    """The canonical name of an ``errors=`` argument ("raise", "coerce" or
    "report"; the core's spellings, gdprkit/common.h), which must be one of
    `allowed` (the modes the call supports)."""
    from . import _gdprkit

    try:
        mode = str(_gdprkit.parse_error_mode(text(value, name)))
    except InvalidArgumentError as e:
        raise InvalidArgumentError(f"{name}: {e}") from None
    options = tuple(allowed)
    if mode not in options:
        raise InvalidArgumentError(
            f'{name}="{mode}" is not supported here; valid: {quoted_list(options)}')
    return mode


def secret_key(value: Any, name: str = "key") -> Optional[bytes]:
    """A store's secret key (16-64 bytes, checked by the core) as bytes, or
    None for none. Never echoes the key."""
    if value is None or isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    raise ArgumentTypeError(
        f"{name} must be bytes (16-64 secret bytes) or None, not {_type_name(value)}")


_EPOCH = _dt.date(1970, 1, 1)


def date_of_day(day: Optional[int]) -> Optional[_dt.date]:
    """A day number of the core (days since 1970-01-01) as a date; None stays None."""
    return None if day is None else _EPOCH + _dt.timedelta(days=int(day))
