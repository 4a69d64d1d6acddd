"""Consent that can be proven: the consent ledger (gdprkit/consent.h).

A :class:`ConsentLedger` records, per data subject (a vault token ``tk_...``
or pseudonym ``ps<n>_...``, never an identifier in clear) and purpose (one of
the policy's purposes that rests on consent), each consent given, refused,
withdrawn or expired, with the notice shown (its version and the digest of
its text), the channel, the time, who recorded it and a reference to the
evidence. The file is an SQLite database whose entries form a BLAKE2b hash
chain (keyed when a ``key`` is given; receipts are then Ed25519-signed).

Times (``at``, ``on``): ``datetime``, ``pandas.Timestamp``, ``numpy.datetime64``,
ISO 8601 text or whole seconds since 1970 (int). A time without a zone is read
in Europe/Copenhagen (where the library's dates live); an aware time is
converted. Dates (``valid_until``, ``on=``) are civil dates in Copenhagen.

States are the core's names: ``"given"``, ``"refused"``, ``"withdrawn"``,
``"expired"`` and ``"none"`` (nothing recorded) - the W3C DPV terms
dpv:ConsentGiven ... dpv:ConsentUnknown (:func:`state_info`).
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _args, _display, _gdprkit, _log, _optional
from ._args import date_of_day as _day_date
from ._errors import ArgumentTypeError, InvalidArgumentError
from .policy import Policy

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ConsentLedger",
    "ConsentEntry",
    "ConsentVerification",
    "ReceiptVerification",
    "STATES",
    "notice_digest",
    "state_info",
    "verify_receipt",
]

PathArg = Union[str, "os.PathLike[str]"]

#: The consent states, as the core names them.
STATES: Tuple[str, ...] = tuple(_gdprkit.consent_state_names())

_ZONE = "Europe/Copenhagen"
_EPOCH_DAY = _dt.date(1970, 1, 1).toordinal()


def notice_digest(text: str) -> str:
    """The digest the ledger keeps of a notice's text:
    ``"blake2b-256:"`` + 64 hex digits."""
    return str(_gdprkit.notice_digest(_args.text(text, "text")))


def state_info(state: str, lang: str = "en") -> Tuple[str, str]:
    """``(dpv term, title)`` of a state name, e.g. ``("dpv:ConsentWithdrawn",
    "consent withdrawn")``; ``lang="da"`` for Danish titles."""
    dpv, title = _gdprkit.consent_state_info(_args.text(state, "state"), _args.language(lang))
    return str(dpv), str(title)


@dataclass(frozen=True)
class ConsentEntry:
    """One entry of the ledger. ``erasure`` entries name no subject;
    ``erased`` entries had their subject and evidence erased."""

    seq: int
    recorded_at: _dt.datetime
    erasure: bool
    erased_entries: int
    erased: bool
    subject: str
    purpose: str
    state: str
    at: Optional[_dt.datetime]
    valid_until: Optional[_dt.date]
    notice_version: str
    notice_digest: str
    channel: str
    recorded_by: str
    evidence: str
    hash: str

    def __repr__(self) -> str:  # no subject, no evidence
        return _display.one_line("ConsentEntry", seq=self.seq, state=self.state,
                                 purpose=self.purpose, erased=self.erased)


@dataclass(frozen=True)
class ConsentVerification:
    """The result of :meth:`ConsentLedger.verify`: ``intact``, or the first
    bad entry (``first_broken_entry``, 0 for the header) and the problem."""

    intact: bool
    entries: int
    head: str
    first_broken_entry: int
    problem: str
    ledger_id: str
    keyed: bool

    def __bool__(self) -> bool:
        return self.intact


@dataclass(frozen=True)
class ReceiptVerification:
    """The result of checking a consent receipt."""

    valid: bool
    signed: bool
    problem: str
    ledger_id: str
    seq: int
    hash: str
    subject: str
    purpose: str
    state: str
    at: Optional[_dt.datetime]
    valid_until: Optional[_dt.date]
    notice_version: str
    notice_digest: str
    channel: str
    recorded_by: str
    evidence: str

    def __bool__(self) -> bool:
        return self.valid

    def __repr__(self) -> str:
        return _display.one_line("ReceiptVerification", valid=self.valid, signed=self.signed,
                                 seq=self.seq)


def _utc(seconds: int) -> _dt.datetime:
    return _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc) + _dt.timedelta(seconds=seconds)


def _entry(t: Sequence[Any]) -> ConsentEntry:
    (seq, recorded_at, erasure, erased_entries, erased, subject, purpose, state, at, until,
     version, digest, channel, recorded_by, evidence, hash_) = t
    return ConsentEntry(int(seq), _utc(recorded_at), bool(erasure), int(erased_entries),
                        bool(erased), subject, purpose, state,
                        None if erasure else _utc(at), _day_date(until), version, digest, channel,
                        recorded_by, evidence, hash_)


def _receipt(d: Dict[str, Any]) -> ReceiptVerification:
    ok_fields = d["valid"]
    return ReceiptVerification(
        valid=bool(d["valid"]), signed=bool(d["signed"]), problem=d["problem"],
        ledger_id=d["ledger_id"], seq=int(d["seq"]), hash=d["hash"], subject=d["subject"],
        purpose=d["purpose"], state=d["state"], at=_utc(d["at"]) if ok_fields else None,
        valid_until=_day_date(d["valid_until"]), notice_version=d["notice_version"],
        notice_digest=d["notice_digest"], channel=d["channel"], recorded_by=d["recorded_by"],
        evidence=d["evidence"])


def verify_receipt(receipt: str, public_key: Optional[str] = None) -> ReceiptVerification:
    """Checks a receipt on its own (:meth:`ConsentLedger.export_receipt`): well
    formed, its hash recomputes (plain ledgers) or its Ed25519 signature
    verifies (keyed ledgers; with `public_key` (64 hex) given, it must be that
    key). A bad receipt is a result with ``valid=False`` and a ``problem``."""
    text = _args.text(receipt, "receipt")
    key = "" if public_key is None else _args.text(public_key, "public_key")
    return _receipt(_gdprkit.verify_consent_receipt(text, key))


# ---- Converting arguments -------------------------------------------------------


def _seconds(value: Any, what: str) -> int:
    """Seconds since 1970 of one time (naive: Europe/Copenhagen)."""
    from .retention import _seconds as seconds_of

    if value is None:
        raise InvalidArgumentError(f"{what}: no time given")
    pd = _optional.loaded("pandas")
    if pd is not None and isinstance(value, pd.Timestamp) and value.tzinfo is None:
        value = value.to_pydatetime()
    return seconds_of(value, _ZONE, what)


def _is_column(value: Any) -> bool:
    pd = _optional.loaded("pandas")
    return isinstance(value, (list, tuple, np.ndarray)) or (
        pd is not None and isinstance(value, (pd.Series, pd.Index)))


def _seconds_column(value: Any, n: int, what: str) -> List[int]:
    pd = _optional.loaded("pandas")
    if isinstance(value, np.ndarray) or (pd is not None and isinstance(value, (pd.Series,
                                                                             pd.Index))):
        arr = np.asarray(value)
        if arr.dtype.kind in "iu":
            return [int(x) for x in arr.tolist()]
        if arr.dtype.kind == "M" or (pd is not None and isinstance(
                getattr(value, "dtype", None), pd.DatetimeTZDtype)):
            pd = _optional.pandas("ConsentLedger.record with a column of times")
            s = pd.Series(value)
            if s.isna().any():
                raise InvalidArgumentError(f"{what}: row {int(s.isna().to_numpy().argmax())} "
                                           "has no time")
            if s.dt.tz is None:
                s = s.dt.tz_localize(_ZONE, ambiguous="raise", nonexistent="raise")
            secs = (s.dt.tz_convert("UTC") - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)
            return [int(x) for x in secs.to_numpy(dtype="int64").tolist()]
    return [_seconds(v, f"{what} (row {i})") for i, v in enumerate(value)]


def _naive_datetime(value: "np.datetime64") -> _dt.datetime:
    """A datetime64 as a naive datetime (to the second)."""
    seconds = int(value.astype("datetime64[s]").astype("int64"))
    return _dt.datetime(1970, 1, 1) + _dt.timedelta(seconds=seconds)


def _day(value: Any, what: str) -> int:
    """A civil date as a day number (a time: its date in Copenhagen)."""
    if isinstance(value, str):
        return int(_gdprkit.parse_datetime(_args.text(value, what), _ZONE))
    pd = _optional.loaded("pandas")
    if pd is not None and isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise InvalidArgumentError(f"{what}: no date given")
        value = _naive_datetime(value)
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            import zoneinfo

            value = value.astimezone(zoneinfo.ZoneInfo(_ZONE))
        return int(value.date().toordinal() - _EPOCH_DAY)
    if isinstance(value, _dt.date):
        return value.toordinal() - _EPOCH_DAY
    raise ArgumentTypeError(
        f"{what} must be a date (date, datetime, Timestamp, ISO text), not {type(value).__name__}")


def _column(value: Any, n: int, what: str) -> List[Any]:
    """A column of n values from a scalar (broadcast) or a list / array / Series."""
    if _is_column(value):
        col = list(value.tolist() if hasattr(value, "tolist") else value)
        if len(col) != n:
            raise InvalidArgumentError(f"{what} has {len(col)} values for {n} records")
        return col
    return [value] * n


def _texts(value: Any, n: int, what: str, *, optional: bool = False) -> List[str]:
    out = _column(value, n, what)
    for i, v in enumerate(out):
        if v is None and optional:
            out[i] = ""
        elif not isinstance(v, str):
            raise ArgumentTypeError(f"{what} (row {i}) must be str, not {type(v).__name__}")
    return out


# ---- The ledger -------------------------------------------------------------------


class ConsentLedger:
    """An open consent ledger. Use :meth:`create` or :meth:`open`; close it
    with :meth:`close` or a ``with`` block. Safe to share between threads;
    several processes may write the same file (each sees the others'
    entries, verified, before it answers)."""

    __slots__ = ("_h", "__weakref__")

    def __init__(self, handle: Any) -> None:
        if not isinstance(handle, _gdprkit.ConsentLedgerHandle):
            raise ArgumentTypeError("use ConsentLedger.create() or ConsentLedger.open()")
        self._h = handle

    @classmethod
    def create(cls, path: PathArg, *, policy: Any, key: Optional[bytes] = None,
               sync: bool = True) -> "ConsentLedger":
        """Creates a ledger file (mode 0600). `policy` is a
        :class:`gdprkit.Policy` or a policy file path; `key` 16-64 secret bytes
        for keyed hashes and signed receipts (keep it in your key store).
        AlreadyExistsError when the file exists."""
        return cls._open(True, path, policy, key, sync)

    @classmethod
    def open(cls, path: PathArg, *, policy: Any, key: Optional[bytes] = None,
             sync: bool = True) -> "ConsentLedger":
        """Opens a ledger and verifies its whole chain: DataLossError naming the
        first bad entry (a damaged file reads as damage),
        FailedPreconditionError for a keyed ledger without its key or with
        another, NoSuchFileError when there is no file."""
        return cls._open(False, path, policy, key, sync)

    @classmethod
    def _open(cls, create: bool, path: PathArg, policy: Any, key: Any,
              sync: bool) -> "ConsentLedger":
        raw = os.fsdecode(_args.path(path))
        if isinstance(policy, (str, bytes, os.PathLike)):
            policy = Policy.load(policy)
        if not isinstance(policy, Policy):
            raise ArgumentTypeError(
                f"policy must be a gdprkit.Policy or a path, not {type(policy).__name__}")
        secret = _args.secret_key(key)
        flush = _args.flag(sync, "sync")
        with _log.timed("consent ledger create" if create else "consent ledger open") as log:
            handle = _gdprkit.ConsentLedgerHandle
            h = (handle.create if create else handle.open)(raw, policy._handle, secret, flush)
            log.update(entries=h.entries, keyed=bool(h.receipt_public_key))
        return cls(h)

    def __enter__(self) -> "ConsentLedger":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Closes the file and wipes the key. Further calls raise an error."""
        self._h.close()

    @property
    def closed(self) -> bool:
        return bool(self._h.closed)

    @property
    def path(self) -> str:
        return str(self._h.path)

    @property
    def ledger_id(self) -> str:
        return str(self._h.ledger_id)

    @property
    def entries(self) -> int:
        """Entries in the chain (as of the last read)."""
        return int(self._h.entries)

    @property
    def head(self) -> str:
        """The hash of the last entry (64 hex): keep it elsewhere to detect
        entries removed from the end later (:meth:`verify`)."""
        return str(self._h.head)

    @property
    def receipt_public_key(self) -> str:
        """The Ed25519 public key receipts are signed with (64 hex); "" for a
        plain ledger."""
        return str(self._h.receipt_public_key)

    def __repr__(self) -> str:
        if self.closed:
            return "<gdprkit.ConsentLedger closed>"
        return _display.one_line("ConsentLedger", file=os.path.basename(self.path),
                                 entries=self.entries, keyed=bool(self.receipt_public_key))

    # ---- Writing -------------------------------------------------------------

    def record(self, subject: Any, purpose: Any, state: Any, *, at: Any, notice_version: Any,
               notice_text: Any = None, notice_digest: Any = None, channel: Any,
               recorded_by: Any, evidence: Any = None, valid_until: Any = None
               ) -> Union[ConsentEntry, int]:
        """Records consent events: all or none, in one transaction.

        One record (scalars) returns its :class:`ConsentEntry`; columns (a
        list, NumPy array or pandas Series for `subject`; the other arguments
        a column of the same length or one value for every row) return the
        number recorded. Give `notice_text` (the ledger computes its digest
        and stores the text) or `notice_digest` (:func:`notice_digest`).
        `valid_until` (given consents only): the last day the consent holds.

        Raises InvalidArgumentError naming the record and field (never a
        value), NotFoundError for an unknown purpose (with the nearest ids),
        FailedPreconditionError for a purpose that does not rest on consent.
        """
        single = not _is_column(subject)
        subjects = [subject] if single else _column(subject, len(subject), "subject")
        n = len(subjects)
        subjects = _texts(subjects, n, "subject")
        purposes = _texts(purpose, n, "purpose")
        states = _texts(state, n, "state")
        if _is_column(at):
            times = _seconds_column(at, n, "at")
            if len(times) != n:
                raise InvalidArgumentError(f"at has {len(times)} values for {n} records")
        else:
            times = [_seconds(at, "at")] * n
        untils: List[Optional[int]] = [
            None if v is None or (not isinstance(v, str) and _optional.is_na(v))
            else _day(v, f"valid_until (row {i})")
            for i, v in enumerate(_column(valid_until, n, "valid_until"))]
        versions = _texts(notice_version, n, "notice_version")
        if (notice_text is None) == (notice_digest is None):
            raise InvalidArgumentError("give exactly one of notice_text= and notice_digest=")
        texts = None if notice_text is None else _texts(notice_text, n, "notice_text")
        digests = _texts(notice_digest if notice_digest is not None else "", n, "notice_digest")
        channels = _texts(channel, n, "channel")
        by = _texts(recorded_by, n, "recorded_by")
        ev = _texts(evidence, n, "evidence", optional=True)
        with _log.timed("consent record") as log:
            out = self._h.record(subjects, purposes, states, times, untils, versions, texts,
                                 digests, channels, by, ev, single)
            log.update(records=n)
        if single:
            return _entry(out[0])
        return int(out)

    def store_notice(self, version: str, text: str) -> str:
        """Stores the text of a notice (not personal data) so that the ledger
        can show later what was shown; returns its digest."""
        self._h.store_notice(_args.text(version, "version"), _args.text(text, "text"))
        return notice_digest(text)

    def notice(self, digest: str) -> str:
        """The text of a stored notice by its digest (NotFoundError if never stored)."""
        return str(self._h.notice(_args.text(digest, "digest")))

    def erase_subject(self, subject: str, *, recorded_by: str) -> int:
        """Erases the subject's texts (subject, evidence) from all of its
        entries - the chain still verifies - and appends an erasure entry
        naming no subject. Returns the number of entries erased."""
        with _log.timed("consent erase subject") as log:
            n = int(self._h.erase_subject(_args.text(subject, "subject"),
                                          _args.text(recorded_by, "recorded_by")))
            log.update(erased=n)
        return n

    # ---- Reading -------------------------------------------------------------

    def states(self, subjects: Any, *, purpose: str, on: Any) -> Any:
        """The state of each subject in `purpose` as of `on`: a time (the
        latest record at or before it, by the record's own time) or a date
        (as of the end of that day in Copenhagen). A consent given with a
        ``valid_until`` reads "expired" after that day.

        A pandas Series in gives a Series out (same index, named "consent");
        a list (or array) gives a list of state names."""
        purpose = _args.text(purpose, "purpose")
        if isinstance(on, _dt.date) and not isinstance(on, _dt.datetime):
            as_of, is_day = _day(on, "on"), True
        elif isinstance(on, str) and len(on) == 10:
            as_of, is_day = _day(on, "on"), True
        else:
            as_of, is_day = _seconds(on, "on"), False
        if isinstance(subjects, str):
            raise ArgumentTypeError("subjects must be a column (list, array, Series), not str")
        values = subjects.tolist() if hasattr(subjects, "tolist") else list(subjects)
        for i, v in enumerate(values):
            if not isinstance(v, str):
                raise ArgumentTypeError(
                    f"subjects (row {i}) must be str, not {type(v).__name__}")
        with _log.timed("consent states") as log:
            out = self._h.states(values, purpose, as_of, is_day)
            log.update(subjects=len(values))
        pd = _optional.loaded("pandas")
        if pd is not None and isinstance(subjects, pd.Series):
            return pd.Series(out, index=subjects.index, name="consent", dtype=object)
        return out

    def withdrawals(self, *, purpose: str, on: Any = None) -> pd.DataFrame:
        """The subjects whose consent to `purpose` is withdrawn as of `on`
        (default: now), with the day of that withdrawal: a DataFrame with
        columns ``subject`` and ``consent_withdrawn`` (datetime64 dates), the
        event column :func:`gdprkit.sweep` reads for rules that end early on
        ``consent_withdrawn``. Merge it into your records on the subject."""
        purpose = _args.text(purpose, "purpose")
        if on is None:
            as_of = int(_dt.datetime.now(tz=_dt.timezone.utc).timestamp())
        elif isinstance(on, _dt.date) and not isinstance(on, _dt.datetime):
            as_of = _seconds(_dt.datetime.combine(on, _dt.time(23, 59, 59)), "on")
        else:
            as_of = _seconds(on, "on")
        pandas = _optional.pandas("ConsentLedger.withdrawals")
        subjects, days = self._h.withdrawals(purpose, as_of)
        dates = (np.asarray(days, dtype="int64").astype("datetime64[D]")
                 .astype("datetime64[s]"))
        frame: pd.DataFrame = pandas.DataFrame({
            "subject": pandas.Series(subjects, dtype=object),
            "consent_withdrawn": pandas.Series(dates)})
        return frame

    def entries_of(self, subject: str) -> List[ConsentEntry]:
        """Every entry of one subject, in chain order (for access requests)."""
        return [_entry(t) for t in self._h.entries_of(_args.text(subject, "subject"))]

    def verify(self, expected_head: Optional[str] = None) -> ConsentVerification:
        """Verifies the whole chain now; a break is a result (``intact`` False,
        ``first_broken_entry``, ``problem``). With `expected_head` (a
        :attr:`head` kept elsewhere), entries removed from the end are found."""
        head = "" if expected_head is None else _args.text(expected_head, "expected_head")
        d = self._h.verify(head)
        return ConsentVerification(**d)

    def export_receipt(self, seq: int) -> str:
        """A receipt (JSON text) for one consent entry, signed for a keyed ledger."""
        return str(self._h.export_receipt(_args.integer(seq, "seq", 1, _args.INT64_MAX)))

    def verify_receipt(self, receipt: str) -> ReceiptVerification:
        """Checks a receipt on its own and against this ledger's entry."""
        return _receipt(self._h.verify_receipt(_args.text(receipt, "receipt")))
