"""The pseudonymisation vault: keyed pseudonyms, reversible tokens, erasure.

>>> import gdprkit, tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "vault.db")
>>> with gdprkit.Vault.create(path, passphrase="correct horse", kdf="tests_only") as v:
...     v.create_domain("klynge-aarhus-2026")
...     ps = v.pseudonymise(["010203-1234", "0102031234"], domain="klynge-aarhus-2026")
...     ps[0] == ps[1], ps[0][:4]
(True, 'ps1_')

Two ways to replace an identifier, per *domain* (a purpose, team or recipient):

* :meth:`Vault.pseudonymise`: one-way pseudonyms, a keyed pseudorandom
  function of the normalised identifier under the domain's key ("ps1_" + 26
  characters): one ChaCha20 block, or keyed BLAKE2b for domains created with
  ``scheme="blake2b"``. The same identifier gives the same pseudonym within a
  domain, unlinkable ones across domains. Nothing is stored.
* :meth:`Vault.tokenise`: reversible tokens ("tk_" + 32 characters) kept in the
  vault; :meth:`Vault.reidentify` turns them back, with a reason written to the
  hash-chained audit trail.

:meth:`Vault.export_pseudonym_key` hands a domain's pseudonym key to a process
without the vault (a Spark job, a second notebook): there
:class:`Pseudonymizer` computes the same pseudonyms from it alone.

:meth:`Vault.translate` turns tokens of one domain into the tokens or
pseudonyms the same people have in another, with a reason in the audit
trail, and without the identifiers leaving the C++ core.

Columns go in as lists, NumPy arrays or pandas Series and come back as the same
(a Series keeps its index and name); the batch runs in C++ with the GIL
released. Arrow columns (a ``pyarrow`` Array or ChunkedArray, a pandas Series
of an Arrow-backed dtype such as pandas 3's ``str``, a Polars Series, a
one-column DuckDB result) are read from their buffers, with no Python object
per row, and come back Arrow-backed of the same kind; a null row is a missing
value, as ``None`` is (see :mod:`gdprkit.identifiers`). Identifiers are
checked first (:mod:`gdprkit.identifiers`); with ``errors="raise"``
(default) a rejected row fails the batch with
:class:`gdprkit.InvalidArgumentError` naming the row and the reason, with
``errors="coerce"`` its result is ``None``, and with ``errors="report"`` the
call returns ``(values, rejected)``, a :class:`gdprkit.identifiers.RejectedRows`
beside the values (the same in every batch call: pseudonymise, tokenise,
lookup_tokens, reidentify, translate). ``progress=True`` shows a tqdm bar per
stage (``pip install 'gdprkit[progress]'``), a callable
``progress(stage, done, total)`` gets the counts (return ``False`` to cancel:
:class:`gdprkit.CancelledError`, nothing written). The ``gdprkit`` logger
records each batch's kind, rows, rejected rows and duration, never a value.

Every -ise name has its -ize twin (``pseudonymize``, ``tokenize``,
``Pseudonymiser``).

Secrets: the passphrase (str or bytes) or host key (32 bytes) is copied into
libsodium's guarded memory in the C++ core and wiped there; this module keeps
no reference to it, wipes the bytearray copy it hands over, and never shows
it in a message or a repr. Python's own ``str``/``bytes`` objects are
immutable and cannot be wiped: pass a ``bytearray`` and clear it yourself if
that matters. A wrong passphrase or key raises :class:`WrongPassphraseError`.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, List, Literal, Optional, Sequence, Tuple, Union, overload

from . import _args, _display, _gdprkit, _log, _optional, _progress
from ._errors import ArgumentTypeError, InvalidArgumentError, UnauthenticatedError
from .identifiers import (
    ERROR_MODES,
    Errors,
    IdOptions,
    RejectedRows,
    _Column,
    _kind_number,
    _logged,
    _options,
    _result,
)

if TYPE_CHECKING:
    import numpy
    import pandas
    from typing_extensions import Unpack

    _Series = pandas.Series[Any]
    _Array = numpy.ndarray[Any, Any]

__all__ = [
    "AuditVerification",
    "DomainInfo",
    "ErasureReport",
    "Pseudonymiser",
    "Pseudonymizer",
    "Vault",
    "WrongPassphraseError",
]

_Secret = Union[str, bytes, bytearray, memoryview]


class WrongPassphraseError(UnauthenticatedError):
    """The passphrase or host key does not unlock the vault (status
    UNAUTHENTICATED). Also a :class:`gdprkit.UnauthenticatedError` and a
    :class:`PermissionError`."""


@dataclass(frozen=True)
class DomainInfo:
    """A domain of the vault. ``scheme`` is how its pseudonyms are computed:
    ``"chacha20"`` (the default for new domains) or ``"blake2b"``."""

    name: str
    description: str
    scheme: str
    key_version: int
    created_unix: int
    tokens: int

    @property
    def created(self) -> datetime.datetime:
        """When the domain was created (UTC)."""
        return datetime.datetime.fromtimestamp(self.created_unix, datetime.timezone.utc)

    def _row(self) -> Tuple[Any, ...]:
        return (self.name, self.scheme, self.key_version, self.tokens,
                self.created.strftime("%Y-%m-%d %H:%M UTC"), self.description)

    def __repr__(self) -> str:
        return _display.one_line("DomainInfo", name=self.name, scheme=self.scheme,
                                 key_version=self.key_version, tokens=self.tokens)

    def _repr_html_(self) -> str:
        return _display.block("Domain", self.name, _display.table(_DOMAIN_COLUMNS, [self._row()]))


@dataclass(frozen=True)
class ErasureReport:
    """What :meth:`Vault.erase` did."""

    tokens_erased: int  #: records removed (one per domain that held the person)
    domains_searched: int
    wal_truncated: bool  #: no old copy of the records remains in the -wal file

    def _summary(self) -> str:
        wal = ("the write-ahead log is truncated" if self.wal_truncated else
               "older copies remain in the -wal file until Vault.checkpoint() succeeds")
        return (f"{_display.plural(self.tokens_erased, 'token record')} removed from "
                f"{_display.plural(self.domains_searched, 'domain')} searched; {wal}")

    def _repr_html_(self) -> str:
        return _display.block("Erasure", self._summary())


@dataclass(frozen=True)
class AuditVerification:
    """The result of :meth:`Vault.verify_audit`."""

    entries: int
    head: str  #: hex chain value of the last entry; anchor it elsewhere

    def _repr_html_(self) -> str:
        return _display.block(
            "Audit trail intact", f"{_display.plural(self.entries, 'entry', 'entries')}, "
            f"head {self.head[:16]}...")


def _secret_copy(value: Optional[_Secret], what: str) -> bytearray:
    if isinstance(value, str):
        _args.check_unicode(value, what)  # the message names the position, never the text
        return bytearray(value, "utf-8")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytearray(value)
    raise ArgumentTypeError(f"{what} must be str or bytes, not {type(value).__name__}")


def _wipe(buf: bytearray) -> None:
    buf[:] = b"\0" * len(buf)


def _errors(errors: Any) -> str:
    return _args.errors_mode(errors, ERROR_MODES)


_check_text = _args.text

#: The columns of the domains' table (displays, :meth:`Vault.domains_frame`).
_DOMAIN_COLUMNS = ("domain", "scheme", "key version", "tokens", "created", "description")

# The vault's vocabularies, from the core's tables (src/vault/vocabulary.cc).
_KDF_COSTS = tuple(_gdprkit.kdf_cost_names())
_SCHEMES = tuple(_gdprkit.pseudonym_scheme_names())
_TARGETS = tuple(_gdprkit.translate_target_names())


class Vault:
    """An open vault file. Use :meth:`create` or :meth:`open`; close it with
    :meth:`close` or a ``with`` block. Safe to share between threads; several
    processes may open the same file."""

    __slots__ = ("_h", "__weakref__")

    def __init__(self, handle: Any) -> None:
        if not isinstance(handle, _gdprkit.VaultHandle):
            raise ArgumentTypeError("use Vault.create() or Vault.open()")
        self._h = handle

    # ---- Opening ----------------------------------------------------------

    @staticmethod
    def _secret(
        passphrase: Optional[_Secret], host_key: Optional[_Secret]
    ) -> Tuple[bytearray, bool]:
        if (passphrase is None) == (host_key is None):
            raise InvalidArgumentError("give exactly one of passphrase= and host_key=")
        if passphrase is not None:
            buf = _secret_copy(passphrase, "passphrase")
            if not buf:
                raise InvalidArgumentError("the passphrase is empty")
            return buf, False
        buf = _secret_copy(host_key, "host_key")
        if len(buf) != 32:
            n = len(buf)
            _wipe(buf)
            raise InvalidArgumentError(f"a host key has 32 bytes, not {n}")
        return buf, True

    @classmethod
    def create(
        cls,
        path: Union[str, "os.PathLike[str]"],
        *,
        passphrase: Optional[_Secret] = None,
        host_key: Optional[_Secret] = None,
        kdf: str = "moderate",
        actor: Optional[str] = None,
        busy_timeout_ms: int = 0,
    ) -> "Vault":
        """Creates a new vault file with a fresh master key, protected by a
        passphrase (Argon2id; `kdf` is ``"moderate"``, ``"interactive"`` or
        ``"tests_only"``) or by a 32-byte `host_key` from your key store.

        Raises :class:`gdprkit.AlreadyExistsError` when the file exists,
        :class:`gdprkit.InvalidArgumentError` for a path with a NUL byte, an
        in-memory database (``":memory:"``) or a ``"file:"`` URI: a vault is a
        file."""
        raw_path = _args.path(path)
        kdf = _args.choice(kdf, "kdf", _KDF_COSTS)
        actor = _args.optional_text(actor, "actor") or "unknown"
        timeout = _args.integer(busy_timeout_ms, "busy_timeout_ms", 0, _args.INT32_MAX)
        buf, is_key = cls._secret(passphrase, host_key)
        try:
            h = _gdprkit.VaultHandle.create(raw_path, buf, is_key, kdf, actor, timeout)
        finally:
            _wipe(buf)
        return cls(h)

    @classmethod
    def open(
        cls,
        path: Union[str, "os.PathLike[str]"],
        *,
        passphrase: Optional[_Secret] = None,
        host_key: Optional[_Secret] = None,
        actor: Optional[str] = None,
        create_if_missing: bool = False,
        kdf: str = "moderate",
        busy_timeout_ms: int = 0,
    ) -> "Vault":
        """Opens a vault file. Raises :class:`WrongPassphraseError` for a wrong
        passphrase or key, :class:`gdprkit.NoSuchFileError` when there is no
        file (unless `create_if_missing`), :class:`gdprkit.DataLossError` for a
        file that is not a vault, truncated or damaged. Nothing is written
        when it fails."""
        raw_path = _args.path(path)
        kdf = _args.choice(kdf, "kdf", _KDF_COSTS)
        actor = _args.optional_text(actor, "actor") or "unknown"
        timeout = _args.integer(busy_timeout_ms, "busy_timeout_ms", 0, _args.INT32_MAX)
        buf, is_key = cls._secret(passphrase, host_key)
        try:
            h = _gdprkit.VaultHandle.open(
                raw_path, buf, is_key, kdf, actor, bool(create_if_missing), timeout
            )
        except UnauthenticatedError as e:
            raise WrongPassphraseError(e.message) from None
        finally:
            _wipe(buf)
        return cls(h)

    def close(self) -> None:
        """Closes the vault and wipes its keys. Idempotent."""
        self._h.close()

    @property
    def closed(self) -> bool:
        return bool(self._h.closed)

    @property
    def path(self) -> str:
        return str(self._h.path)

    def __enter__(self) -> "Vault":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        if self.closed:
            return _display.one_line("Vault", file=os.path.basename(self.path), closed=True)
        domains = self.domains()
        return _display.one_line(
            "Vault", file=os.path.basename(self.path), protection=self._h.protection,
            domains=len(domains), tokens=sum(d.tokens for d in domains))

    def _created(self) -> Optional[datetime.datetime]:
        """When the vault was created: the time of its first audit entry."""
        first = self._h.read_audit(1, 1)
        if not first:
            return None
        return datetime.datetime.fromtimestamp(first[0][1] / 1e6, datetime.timezone.utc)

    def to_html(self) -> str:
        """The display: the file's name, how the keys are protected, when the
        vault was created, and its domains (scheme, key version, tokens).
        Never a key, passphrase, token or identifier."""
        name = os.path.basename(self.path)
        if self.closed:
            return _display.block("Vault", f"{name} (closed)")
        domains = self.domains()
        created = self._created()
        summary = (f"{name}: keys under a {self._h.protection.replace('_', ' ')}, "
                   f"{_display.plural(len(domains), 'domain')}, "
                   f"{_display.plural(sum(d.tokens for d in domains), 'token')}"
                   + (f", created {created:%Y-%m-%d %H:%M} UTC" if created else ""))
        return _display.block("Vault", summary,
                              _display.table(_DOMAIN_COLUMNS, [d._row() for d in domains]))

    def _repr_html_(self) -> str:
        return self.to_html()

    def __reduce__(self) -> Any:
        raise TypeError("a Vault cannot be pickled (it holds keys); open it in each process")

    # ---- Domains ----------------------------------------------------------

    def create_domain(self, name: str, description: str = "", *,
                      scheme: str = "chacha20") -> None:
        """Creates a domain: 1-64 characters a-z, 0-9, '.', '_', '-'. Audited.
        :class:`gdprkit.AlreadyExistsError` when it exists.

        ``scheme`` fixes how the domain's pseudonyms are computed, for good:
        ``"chacha20"`` (default; one ChaCha20 block per numeric identifier,
        about twice as fast) or ``"blake2b"`` (keyed BLAKE2b, which anything
        with ``hashlib.blake2b`` can recompute from the exported key). Both
        are keyed with the domain's 256-bit key; docs/vault.md gives them
        byte for byte. :class:`gdprkit.InvalidArgumentError` for another
        name."""
        scheme = _args.choice(scheme, "scheme", _SCHEMES)
        self._h.create_domain(_check_text(name, "name"), _check_text(description, "description"),
                              scheme)

    def domains(self) -> List[DomainInfo]:
        """All domains, by name."""
        return [DomainInfo(*d) for d in self._h.list_domains()]

    def domains_frame(self) -> "pandas.DataFrame":
        """The domains as a pandas DataFrame, one row per domain: ``name``,
        ``description``, ``scheme``, ``key_version``, ``created`` (UTC) and
        ``tokens``. Read-only."""
        pd = _optional.pandas("Vault.domains_frame")

        df: pandas.DataFrame = pd.DataFrame(
            self._h.list_domains(),
            columns=["name", "description", "scheme", "key_version", "created", "tokens"])
        df["created"] = pd.to_datetime(df["created"], unit="s", utc=True)
        return df

    # ---- Batches ----------------------------------------------------------

    @overload
    def pseudonymise(self, values: str, *, domain: str,  # type: ignore[overload-overlap]
                     kind: Union[str, int] = ..., errors: Errors = ..., key_version: int = ...,
                     progress: _progress.ProgressArg = ...,
                     **options: Unpack[IdOptions]) -> Optional[str]: ...
    @overload
    def pseudonymise(self, values: "_Series", *, domain: str, kind: Union[str, int] = ...,
                     errors: Errors = ..., key_version: int = ...,
                     progress: _progress.ProgressArg = ...,
                     **options: Unpack[IdOptions]) -> "_Series": ...
    @overload
    def pseudonymise(self, values: "_Array", *, domain: str, kind: Union[str, int] = ...,
                     errors: Errors = ..., key_version: int = ...,
                     progress: _progress.ProgressArg = ...,
                     **options: Unpack[IdOptions]) -> "_Array": ...
    @overload
    def pseudonymise(self, values: Sequence[Optional[str]], *, domain: str,
                     kind: Union[str, int] = ..., errors: Errors = ..., key_version: int = ...,
                     progress: _progress.ProgressArg = ...,
                     **options: Unpack[IdOptions]) -> List[Optional[str]]: ...
    @overload
    def pseudonymise(self, values: Any, *, domain: str, kind: Union[str, int] = ...,
                     errors: Literal["report"], key_version: int = ...,
                     progress: _progress.ProgressArg = ...,
                     **options: Unpack[IdOptions]) -> Tuple[Any, RejectedRows]: ...
    def pseudonymise(
        self,
        values: Any,
        *,
        domain: str,
        kind: Union[str, int] = "cpr",
        errors: str = "raise",
        key_version: int = 0,
        progress: _progress.ProgressArg = None,
        require_modulus11: bool = False,
        allow_replacement: bool = True,
        pad_provider_number: bool = True,
        allow_future: bool = False,
        as_of: Any = None,
    ) -> Any:
        """One-way pseudonyms of `values` (identifiers of `kind`) in `domain`,
        in the caller's container. `key_version` recomputes pseudonyms of an
        older, not destroyed key version. Nothing is written. ``errors`` and
        ``progress`` as in the module's notes."""
        mode = _errors(errors)
        k = _kind_number(kind)
        col = _Column(values, k, arrow=True)
        opts = _options(require_modulus11, allow_replacement, pad_provider_number, allow_future,
                        as_of)
        version = _args.integer(key_version, "key_version", 0, _args.UINT32_MAX)
        with _log.timed("vault.pseudonymise") as entry, \
                _progress.callback(progress, "pseudonymise") as cb:
            out, problems = self._h.pseudonymize(_check_text(domain, "domain"), k, col.items,
                                                 mode, opts, version, cb)
            _logged(entry, k, len(problems), problems)
        return _result(col.wrap(out), problems, mode, k, col)

    pseudonymize = pseudonymise

    def export_pseudonym_key(self, domain: str, *, reason: str) -> str:
        """The pseudonym key of `domain` as text
        (``"gdprkit-pseudonym-key-v2:<domain>:<version>:<scheme>:<key>"``), for
        :meth:`Pseudonymizer.from_exported_key` in a process that has no
        vault: a Spark executor, a second notebook, another machine.

        **The text is a secret.** Anyone holding it can recompute the
        domain's pseudonyms for identifiers they guess, and CPR numbers are
        few enough to try them all: with the key, every pseudonym of the
        domain can be traced back to its CPR number. Hand it over as you
        would a password (a file readable only by the job, a secret store),
        keep it out of notebooks' output, logs, version control and
        command lines, and do not print or display it.

        `reason` is required (no CPR number in it) and the export is written
        to the audit trail (op ``"export_key"``, the domain and its key
        version). The key is the domain's current key version; after
        :meth:`rotate`, export again. :class:`gdprkit.NotFoundError` for an
        unknown domain, :class:`gdprkit.InvalidArgumentError` for an empty
        reason."""
        return str(self._h.export_pseudonym_key(
            _check_text(domain, "domain"), _check_text(reason, "reason")))

    @overload
    def tokenise(self, values: str, *, domain: str,  # type: ignore[overload-overlap]
                 kind: Union[str, int] = ..., errors: Errors = ...,
                 progress: _progress.ProgressArg = ...,
                 **options: Unpack[IdOptions]) -> Optional[str]: ...
    @overload
    def tokenise(self, values: "_Series", *, domain: str, kind: Union[str, int] = ...,
                 errors: Errors = ..., progress: _progress.ProgressArg = ...,
                 **options: Unpack[IdOptions]) -> "_Series": ...
    @overload
    def tokenise(self, values: "_Array", *, domain: str, kind: Union[str, int] = ...,
                 errors: Errors = ..., progress: _progress.ProgressArg = ...,
                 **options: Unpack[IdOptions]) -> "_Array": ...
    @overload
    def tokenise(self, values: Sequence[Optional[str]], *, domain: str,
                 kind: Union[str, int] = ..., errors: Errors = ...,
                 progress: _progress.ProgressArg = ...,
                 **options: Unpack[IdOptions]) -> List[Optional[str]]: ...
    @overload
    def tokenise(self, values: Any, *, domain: str, kind: Union[str, int] = ...,
                 errors: Literal["report"], progress: _progress.ProgressArg = ...,
                 **options: Unpack[IdOptions]) -> Tuple[Any, RejectedRows]: ...
    def tokenise(
        self,
        values: Any,
        *,
        domain: str,
        kind: Union[str, int] = "cpr",
        errors: str = "raise",
        progress: _progress.ProgressArg = None,
        require_modulus11: bool = False,
        allow_replacement: bool = True,
        pad_provider_number: bool = True,
        allow_future: bool = False,
        as_of: Any = None,
    ) -> Any:
        """Reversible tokens of `values` in `domain`: the existing token of each
        identifier or a new one, in one transaction (all rows or none; a
        cancelled ``progress`` issues none)."""
        mode = _errors(errors)
        k = _kind_number(kind)
        col = _Column(values, k, arrow=True)
        opts = _options(require_modulus11, allow_replacement, pad_provider_number, allow_future,
                        as_of)
        with _log.timed("vault.tokenise") as entry, \
                _progress.callback(progress, "tokenise") as cb:
            out, problems = self._h.tokenize(_check_text(domain, "domain"), k, col.items, mode,
                                             opts, cb)
            _logged(entry, k, len(problems), problems)
        return _result(col.wrap(out), problems, mode, k, col)

    tokenize = tokenise

    def lookup_tokens(
        self, values: Any, *, domain: str, kind: Union[str, int] = "cpr", errors: str = "raise",
        progress: _progress.ProgressArg = None,
    ) -> Any:
        """Like :meth:`tokenise` but never issues a token: identifiers without
        one give ``None``. Read-only. Returns the caller's container (with
        ``errors="report"``: ``(values, rejected)``)."""
        mode = _errors(errors)
        k = _kind_number(kind)
        col = _Column(values, k, arrow=True)
        with _log.timed("vault.lookup_tokens") as entry, \
                _progress.callback(progress, "lookup") as cb:
            out, problems = self._h.lookup_tokens(_check_text(domain, "domain"), k, col.items,
                                                  mode, _options(False, True, True), cb)
            _logged(entry, k, len(problems), problems)
        return _result(col.wrap(out), problems, mode, k, col)

    @overload
    def reidentify(self, tokens: "_Series", *, domain: str, reason: str, errors: Errors = ...,
                   progress: _progress.ProgressArg = ...) -> "_Series": ...
    @overload
    def reidentify(self, tokens: "_Array", *, domain: str, reason: str, errors: Errors = ...,
                   progress: _progress.ProgressArg = ...) -> "_Array": ...
    @overload
    def reidentify(self, tokens: Sequence[Optional[str]], *, domain: str, reason: str,
                   errors: Errors = ...,
                   progress: _progress.ProgressArg = ...) -> List[Optional[str]]: ...
    @overload
    def reidentify(self, tokens: Any, *, domain: str, reason: str, errors: Literal["report"],
                   progress: _progress.ProgressArg = ...) -> Tuple[Any, RejectedRows]: ...
    def reidentify(self, tokens: Any, *, domain: str, reason: str, errors: str = "raise",
                   progress: _progress.ProgressArg = None) -> Any:
        """The identifiers (normal form) behind `tokens` of `domain`. `reason`
        is required and written to the audit trail. With ``errors="raise"``
        (default) the batch fails as a whole:
        :class:`gdprkit.InvalidArgumentError` for a malformed, altered or
        foreign token, :class:`gdprkit.NotFoundError` for one never issued or
        erased; with ``"coerce"`` such a token gives ``None`` (and
        ``"report"`` lists it: :data:`gdprkit.identifiers.TOKEN_PROBLEMS`)."""
        mode = _errors(errors)
        col = _Column(tokens, 6, "tokens", arrow=True)
        with _log.timed("vault.reidentify") as entry, \
                _progress.callback(progress, "reidentify") as cb:
            out, problems = self._h.reidentify(_check_text(domain, "domain"), col.items,
                                               _check_text(reason, "reason"), mode, cb)
            _logged(entry, 0, len(problems), problems)
        return _result(col.wrap(out), problems, mode, 0, col, tokens=True)

    def translate(
        self, tokens: Any, *, from_domain: str, to_domain: str, reason: str, to: str = "token",
        errors: str = "raise", progress: _progress.ProgressArg = None,
    ) -> Any:
        """The tokens of `from_domain` as tokens (``to="token"``, default: the
        existing token of each person in `to_domain`, or a new one) or
        pseudonyms (``to="pseudonym"``) of `to_domain`, in the caller's
        container, without the identifiers leaving the C++ core. `reason` is
        required and written to the audit trail (op ``"translate"``, both
        domains, the count). With ``errors="raise"`` (default) the batch fails
        as a whole and then nothing is written:
        :class:`gdprkit.InvalidArgumentError` for a malformed, altered or
        foreign token, the same domain twice or another `to`,
        :class:`gdprkit.NotFoundError` for a token never issued or erased, or
        an unknown domain; ``"coerce"`` and ``"report"`` as in
        :meth:`reidentify`."""
        to = _args.choice(to, "to", _TARGETS)
        mode = _errors(errors)
        col = _Column(tokens, 6, "tokens", arrow=True)
        with _log.timed("vault.translate") as entry, \
                _progress.callback(progress, "translate") as cb:
            out, problems = self._h.translate(
                _check_text(from_domain, "from_domain"), _check_text(to_domain, "to_domain"),
                col.items, _check_text(reason, "reason"), to, mode, cb)
            _logged(entry, 0, len(problems), problems)
            entry.update(to=to)
        return _result(col.wrap(out), problems, mode, 0, col, tokens=True)

    def erase(
        self,
        identifier: str,
        *,
        kind: Union[str, int] = "cpr",
        reason: str = "erasure request (GDPR Art. 17)",
    ) -> ErasureReport:
        """Erases one person from every domain: their tokens no longer
        re-identify. Audited (counts only). No tokens is not an error.

        The report's ``wal_truncated`` is False when another connection (a
        second process or Vault object) kept the vault open, so that SQLite's
        write-ahead log could not be checkpointed and truncated: older copies
        of the erased records may then remain in the ``-wal`` file until the
        last connection closes the vault: :meth:`checkpoint` waits for the
        readers and truncates it."""
        k = _kind_number(kind)
        r = self._h.erase(
            k, _check_text(identifier, "identifier"), _check_text(reason, "reason"),
            _options(False, True, True),
        )
        return ErasureReport(*r)

    def rotate(self, *, reason: str, progress: _progress.ProgressArg = None) -> int:
        """Makes a new master-key version primary and re-keys every domain
        (tokens stay the same; new pseudonyms carry the new version). Returns
        the new version. Audited. One transaction: if it fails or
        ``progress`` cancels it (:class:`gdprkit.CancelledError`), the vault
        is as it was and the old version stays primary. ``progress`` as in
        the module's notes: one stage, ``"rotate"``, counting the token
        records re-keyed."""
        with _log.timed("vault.rotate") as entry, _progress.callback(progress, "rotate") as cb:
            version = int(self._h.rotate(_check_text(reason, "reason"), cb))
            entry["key_version"] = version
        return version

    def rekey(self, *, reason: str, progress: _progress.ProgressArg = None) -> int:
        """Re-keys the domains that are not on the primary key version and
        returns how many it re-keyed: it finishes a :meth:`rotate` that an
        earlier gdprkit (one transaction per domain) left interrupted, with
        the new version primary and some domains on older ones. 0 on a
        healthy vault. Tokens stay the same. Each re-keyed domain is audited
        with `reason` (required; no CPR number in it). One transaction;
        ``progress`` as for :meth:`rotate`, its stage ``"rekey"``."""
        with _log.timed("vault.rekey") as entry, _progress.callback(progress, "rekey") as cb:
            domains = int(self._h.rekey(_check_text(reason, "reason"), cb))
            entry["domains"] = domains
        return domains

    def checkpoint(self, *, wait: float = 0.0) -> bool:
        """Folds SQLite's write-ahead log into the vault file and truncates
        it, waiting up to `wait` seconds for other connections' readers.
        True when the log was truncated (no older copy of an erased record is
        left in the ``-wal`` file), False when readers still held it: call it
        after an :meth:`erase` whose report says ``wal_truncated=False``.
        Not audited; it changes no data. The GIL is released while it
        waits."""
        seconds = _args.number(wait, "wait", 0.0, 86400.0)
        return bool(self._h.checkpoint(int(seconds * 1000)))

    def backup(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Writes a consistent copy of the vault, as of one moment, to the new
        file `path` while the vault stays in use (SQLite's online backup), and
        checks it before returning: it opens with the same passphrase or host
        key and gives the same tokens. The file is made with mode 0600 and is
        one file, without a ``-wal``. Not audited (the copy holds the same
        audit trail).

        A plain file copy of a vault in use can miss committed batches that
        are still in its ``-wal`` file: back up with this. To restore, stop
        every program using the vault, move the vault and its ``-wal`` and
        ``-shm`` files aside (a ``-wal`` left beside the restored copy would be
        applied to it) and copy the backup to the vault's path.

        :class:`gdprkit.AlreadyExistsError` when anything exists at `path`
        (it is never written over); :class:`gdprkit.InvalidArgumentError` for
        a path with a NUL byte, ``":memory:"`` or a ``"file:"`` URI. On a
        failure the partial copy is removed."""
        self._h.backup(_args.path(path))

    def verify_audit(self) -> AuditVerification:
        """Checks the hash-chained audit trail; :class:`gdprkit.DataLossError`
        naming the first bad entry."""
        entries, head = self._h.verify_audit()
        return AuditVerification(int(entries), str(head))

    def audit_frame(self, from_seq: int = 1, limit: Optional[int] = None, *,
                    lang: str = "en") -> "pandas.DataFrame":
        """The audit trail as a pandas DataFrame (no identifier is ever in it):
        ``seq``, ``time`` (UTC), ``op`` (the code), ``title`` (the operation
        for people, in `lang`: ``"re-identification"`` /
        ``"genidentifikation"``), ``actor``, ``domain``, ``target_domain``,
        ``reason``, ``count``, ``key_version``, ``chain``."""
        language = _args.language(lang)
        pd = _optional.pandas("Vault.audit_frame")

        rows = self._h.read_audit(
            _args.integer(from_seq, "from_seq", 0, _args.INT64_MAX),
            _args.INT64_MAX if limit is None else _args.integer(limit, "limit", 0, _args.INT64_MAX))
        cols = ["seq", "time", "op", "actor", "domain", "target_domain", "reason", "count",
                "key_version", "chain"]
        df: pandas.DataFrame = pd.DataFrame(rows, columns=cols)
        df["time"] = pd.to_datetime(df["time"], unit="us", utc=True)
        titles = {op: _gdprkit.audit_op_title(op, language) for op in set(df["op"])}
        df.insert(3, "title", [titles[op] for op in df["op"]])
        return df



class Pseudonymizer:
    """One domain's pseudonyms computed from its exported key alone: no vault
    file, no passphrase, nothing stored. Make it with
    :meth:`from_exported_key` from the text of
    :meth:`Vault.export_pseudonym_key`; it gives exactly the pseudonyms the
    vault gives for that domain and key version.

    >>> p = gdprkit.Pseudonymizer.from_exported_key(key_text)  # doctest: +SKIP
    >>> p.pseudonymise(df["cpr"])                                # doctest: +SKIP

    Safe to share between threads (the batch runs in C++ with the GIL
    released). It cannot be pickled: to use it in several processes (Spark
    executors, multiprocessing), ship the key text to each of them as a
    secret and call :meth:`from_exported_key` there. The key lives in
    libsodium's guarded memory in the C++ core and never appears in a repr or
    a message."""

    __slots__ = ("_h", "__weakref__")

    def __init__(self, handle: Any) -> None:
        if not isinstance(handle, _gdprkit.PseudonymizerHandle):
            raise ArgumentTypeError("use Pseudonymizer.from_exported_key()")
        self._h = handle

    @classmethod
    def from_exported_key(cls, text: Union[str, bytes, bytearray, memoryview]) -> "Pseudonymizer":
        """The Pseudonymizer of an exported key: the text of
        :meth:`Vault.export_pseudonym_key` (str or bytes; surrounding
        whitespace, such as the newline at the end of a key file, is
        ignored). The v1 text of gdprkit 0.1 is accepted too (its domains are
        all BLAKE2b). :class:`gdprkit.InvalidArgumentError` when the text is
        not an exported key; the message does not repeat the text."""
        if not isinstance(text, (str, bytes, bytearray, memoryview)):
            raise ArgumentTypeError(
                f"text must be the exported key as str or bytes, not {type(text).__name__}")
        buf = _secret_copy(text, "text")
        try:
            h = _gdprkit.PseudonymizerHandle.from_exported_key(buf)
        finally:
            _wipe(buf)
        return cls(h)

    @property
    def domain(self) -> str:
        """The domain whose key this is."""
        return str(self._h.domain)

    @property
    def key_version(self) -> int:
        """The key version: pseudonyms start with ``"ps<key_version>_"``."""
        return int(self._h.key_version)

    @property
    def scheme(self) -> str:
        """How the domain's pseudonyms are computed: ``"chacha20"`` or
        ``"blake2b"``."""
        return str(self._h.scheme)

    @overload
    def pseudonymise(self, values: str, *,  # type: ignore[overload-overlap]
                     kind: Union[str, int] = ..., errors: Errors = ...,
                     progress: _progress.ProgressArg = ...,
                     **options: Unpack[IdOptions]) -> Optional[str]: ...
    @overload
    def pseudonymise(self, values: "_Series", *, kind: Union[str, int] = ...,
                     errors: Errors = ..., progress: _progress.ProgressArg = ...,
                     **options: Unpack[IdOptions]) -> "_Series": ...
    @overload
    def pseudonymise(self, values: "_Array", *, kind: Union[str, int] = ...,
                     errors: Errors = ..., progress: _progress.ProgressArg = ...,
                     **options: Unpack[IdOptions]) -> "_Array": ...
    @overload
    def pseudonymise(self, values: Sequence[Optional[str]], *, kind: Union[str, int] = ...,
                     errors: Errors = ..., progress: _progress.ProgressArg = ...,
                     **options: Unpack[IdOptions]) -> List[Optional[str]]: ...
    @overload
    def pseudonymise(self, values: Any, *, kind: Union[str, int] = ...,
                     errors: Literal["report"], progress: _progress.ProgressArg = ...,
                     **options: Unpack[IdOptions]) -> Tuple[Any, RejectedRows]: ...
    def pseudonymise(
        self,
        values: Any,
        *,
        kind: Union[str, int] = "cpr",
        errors: str = "raise",
        progress: _progress.ProgressArg = None,
        require_modulus11: bool = False,
        allow_replacement: bool = True,
        pad_provider_number: bool = True,
        allow_future: bool = False,
        as_of: Any = None,
    ) -> Any:
        """One-way pseudonyms of `values` (identifiers of `kind`), the same as
        :meth:`Vault.pseudonymise` gives in this domain at this key version,
        in the caller's container (list, NumPy array, pandas Series with its
        index and name, or an Arrow column: a ``pyarrow`` Array in, a
        ``pyarrow`` Array out, the pseudonyms written by C++ straight into its
        buffer; what runs per Arrow batch in ``gdprkit.spark``). With
        ``errors="raise"`` (default) a rejected row
        fails the batch with :class:`gdprkit.InvalidArgumentError` naming the
        row and the reason (never the value); with ``errors="coerce"`` its
        result is ``None``; ``errors="report"`` gives ``(values, rejected)``."""
        mode = _errors(errors)
        k = _kind_number(kind)
        col = _Column(values, k, arrow=True)
        opts = _options(require_modulus11, allow_replacement, pad_provider_number, allow_future,
                        as_of)
        with _log.timed("pseudonymizer.pseudonymise") as entry, \
                _progress.callback(progress, "pseudonymise") as cb:
            out, problems = self._h.pseudonymize(k, col.items, mode, opts, cb)
            _logged(entry, k, len(problems), problems)
        return _result(col.wrap(out), problems, mode, k, col)

    pseudonymize = pseudonymise

    def __repr__(self) -> str:
        return (f"<gdprkit.Pseudonymizer domain={self.domain!r} "
                f"key_version={self.key_version} scheme={self.scheme!r}>")

    def _repr_html_(self) -> str:
        """The domain, key version and scheme; never the key."""
        return _display.block(
            "Pseudonymizer", f"domain {self.domain}",
            _display.table(["domain", "key version", "scheme", "pseudonyms look like"],
                           [(self.domain, self.key_version, self.scheme,
                             f"ps{self.key_version}_ + 26 characters")]))

    def __reduce__(self) -> Any:
        raise TypeError(
            "a Pseudonymizer cannot be pickled (it holds a secret key); ship the exported key "
            "text to each process as a secret and call Pseudonymizer.from_exported_key() there")


#: The -ise spelling of :class:`Pseudonymizer` (gdprkit accepts both).
Pseudonymiser = Pseudonymizer
