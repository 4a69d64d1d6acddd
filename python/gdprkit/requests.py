"""Data subjects' requests answered on time (``gdprkit/requests.h``).

All five seed documents promise the rights of Art. 15-22 and the withdrawal
of consent (Art. 7(3)). Art. 12(3) asks for an answer within one month of
receipt, extendable once by two further months with the reasons told to the
data subject within the first month. This module gives:

- :func:`deadline`: the day by which a request must be answered (one month
  by the month-end rule: received 2026-01-31 is due 2026-02-28; extended:
  three months from receipt, 2026-04-30);
- :class:`RequestRegister`: each request, its identity check, extension and
  outcome, every state change an entry of a hash chain (``verify`` names the
  first bad entry), the overdue list;
- :func:`decide`: what a request means per purpose, with the legal reason,
  from the policy's rights matrix, its retention rules and legal holds;
- :func:`carry_out_erasure`: the library's part of an erasure (the vault's
  tokens, the consent ledger's entries) and what the calling system must
  still delete;
- :func:`access_report`: what the library holds about a subject, as JSON.

The core owns every rule and every name; this module converts types. No
display (``repr``) shows a data subject, a reason or an outcome: those are
fields to read explicitly.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass
from typing import (
    TYPE_CHECKING,
    Any,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Union,
)

import numpy as np

from . import _args, _display, _gdprkit, _optional
from ._args import PathArg
from ._args import date_of_day as _day_date
from ._errors import ArgumentTypeError, InvalidArgumentError
from .identifiers import _kind_number
from .policy import Policy
from .retention import DEFAULT_ZONE, NO_DATE, _days_to_datetime64, _scalar_day, to_days
from .vault import Vault

if TYPE_CHECKING:
    import pandas

__all__ = [
    "KINDS",
    "STATUSES",
    "IDENTITY_CHECKS",
    "ACTIONS",
    "Request",
    "RequestEvent",
    "RequestRegister",
    "RegisterVerification",
    "SubjectPurpose",
    "PurposeDecision",
    "Decision",
    "ErasureOutcome",
    "deadline",
    "decide",
    "carry_out_erasure",
    "access_report",
    "kind_title",
    "action_title",
]

_NAMES: Dict[str, List[str]] = _gdprkit.requests_names()
#: The request kinds, as the core names them ("access", "erasure", ...).
KINDS: Tuple[str, ...] = tuple(_NAMES["kinds"])
#: A request's statuses ("open", "answered", "refused", "cancelled").
STATUSES: Tuple[str, ...] = tuple(_NAMES["statuses"])
#: The results of an identity check ("not_checked", "verified", "failed").
IDENTITY_CHECKS: Tuple[str, ...] = tuple(_NAMES["identity_checks"])
#: What a decision asks per purpose ("erase", "keep", "provide", ...).
ACTIONS: Tuple[str, ...] = tuple(_NAMES["actions"])

_EPOCH = _dt.date(1970, 1, 1)


def _day(value: Any, what: str) -> int:
    """One date-like value (ISO text, date, datetime, datetime64, Timestamp)
    as a day number; a datetime with a zone is read in Europe/Copenhagen."""
    return _scalar_day(value, DEFAULT_ZONE, what)


def _kind(kind: Any) -> str:
    return _args.choice(kind, "kind", KINDS)


def kind_title(kind: str, *, lang: str = "en") -> str:
    """The title of a request kind for people ("Erasure request (Art. 17)" /
    "Anmodning om sletning (art. 17)")."""
    return str(_gdprkit.request_kind_title(_kind(kind), _args.language(lang)))


def action_title(action: str, *, lang: str = "en") -> str:
    """The title of a decision's action for people."""
    return str(_gdprkit.request_action_title(_args.choice(action, "action", ACTIONS),
                                             _args.language(lang)))


# ---------------------------------------------------------------------------
# Deadlines
# ---------------------------------------------------------------------------


def deadline(received: Any, *, extended: bool = False) -> Any:
    """The day by which a request received on ``received`` must be answered
    (Art. 12(3)): one month later, or three months later when ``extended``,
    ending on the same day number or on the month's last day where it does
    not exist (received 2026-01-31: due 2026-02-28, extended 2026-04-30).

    Three months from receipt, not two from the first deadline: the one
    period of one month is "extended by two further months"; counting from
    the first deadline would end 2026-04-28 for the example and shorten it.

    Args:
        received: an ISO text ("2026-01-31"), a ``datetime.date`` or
            ``datetime``, a ``numpy.datetime64``, a ``pandas.Timestamp``, or
            a Series, array or list of them.
        extended: whether the period was extended.

    Returns:
        The same shape: a text for a text, a date for a date, a datetime64
        for a datetime64, a Timestamp for a Timestamp, a datetime64 Series
        (same index) for a Series, a ``datetime64[D]`` array otherwise.
        Missing values stay missing.

    Raises:
        RetentionInputError: an impossible date or a value that is no date.
        ArgumentTypeError: ``received`` or ``extended`` of the wrong type.
    """
    ext = _args.flag(extended, "extended")
    pd = _optional.loaded("pandas")

    def run(days: "np.ndarray[Any, Any]") -> "np.ndarray[Any, Any]":
        out = np.empty(len(days), dtype=np.int32)
        _gdprkit.requests_deadline(np.ascontiguousarray(days, dtype=np.int32), out, ext)
        return out

    if received is None:
        raise InvalidArgumentError("received: no date given")
    if isinstance(received, str):
        day = run(np.array([_day(received, "received")], dtype=np.int32))[0]
        return str(_gdprkit.format_date(int(day)))
    if pd is not None and isinstance(received, pd.Timestamp):
        day = run(np.array([_day(received, "received")], dtype=np.int32))
        return pd.Timestamp(_days_to_datetime64(day)[0])
    if isinstance(received, (_dt.date, np.datetime64)):
        out64 = _days_to_datetime64(run(np.array([_day(received, "received")], dtype=np.int32)))
        return out64[0] if isinstance(received, np.datetime64) else out64[0].astype(object)
    if pd is not None and isinstance(received, pd.Series):
        days = to_days(received, column=str(received.name) if received.name is not None else None)
        return pd.Series(_days_to_datetime64(run(days)), index=received.index, name=received.name)
    if isinstance(received, (list, tuple, np.ndarray)) or (
            pd is not None and isinstance(received, pd.Index)):
        return _days_to_datetime64(run(to_days(received, column="received")))
    raise ArgumentTypeError(
        "received must be a date (ISO text, datetime.date, datetime64, Timestamp) or a Series, "
        f"array or list of them, not {type(received).__name__}")


# ---------------------------------------------------------------------------
# The register
# ---------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Request:
    """A request as it stands, rebuilt from its entries of the register.
    ``subject`` (a vault token or pseudonym; "" once erased), the extension's
    reason, the identity method and the outcome are fields to read; the
    ``repr`` shows none of them."""

    id: str
    kind: str
    subject: str
    purposes: Tuple[str, ...]
    received: _dt.date
    due: _dt.date
    extended: bool
    extension_reason: str
    identity: str
    identity_method: str
    status: str
    closed_on: Optional[_dt.date]
    outcome: str
    channel: str

    @property
    def open(self) -> bool:
        return self.status == "open"

    def __repr__(self) -> str:
        # one_line's first parameter is named kind: the fields go as a dict.
        fields = dict(id=self.id, kind=self.kind, status=self.status,
                      received=str(self.received), due=str(self.due),
                      extended=self.extended, identity=self.identity)
        return "<gdprkit.Request " + " ".join(f"{k}={v!r}" for k, v in fields.items()) + ">"


def _request(d: Mapping[str, Any]) -> Request:
    received = _day_date(d["received"])
    due = _day_date(d["due"])
    assert received is not None and due is not None
    return Request(id=d["id"], kind=d["kind"], subject=d["subject"],
                   purposes=tuple(d["purposes"]), received=received, due=due,
                   extended=bool(d["extended"]), extension_reason=d["extension_reason"],
                   identity=d["identity"], identity_method=d["identity_method"],
                   status=d["status"], closed_on=_day_date(d["closed_on"]), outcome=d["outcome"],
                   channel=d["channel"])


@dataclass(frozen=True, repr=False)
class RequestEvent:
    """One state change of the register's trail: "received",
    "identity_verified", "identity_failed", "extended", "answered",
    "refused", "cancelled" or "erased" (a subject's texts erased). ``detail``
    (the reason, method or outcome) is not shown by ``repr``."""

    seq: int
    recorded_at: _dt.datetime
    request_id: str
    event: str
    on: Optional[_dt.date]
    detail: str
    recorded_by: str
    hash: str

    def __repr__(self) -> str:
        return _display.one_line("RequestEvent", seq=self.seq, request_id=self.request_id,
                                 event=self.event, on=str(self.on))


def _event(d: Mapping[str, Any]) -> RequestEvent:
    return RequestEvent(
        seq=int(d["seq"]),
        recorded_at=_dt.datetime.fromtimestamp(int(d["recorded_at"]), tz=_dt.timezone.utc),
        request_id=d["request_id"], event=d["event"], on=_day_date(d["on"]), detail=d["detail"],
        recorded_by=d["recorded_by"], hash=d["hash"])


@dataclass(frozen=True)
class RegisterVerification:
    """What :meth:`RequestRegister.verify` found: ``intact``, or the first
    bad entry (``first_broken_entry``, 1-based) and what is wrong there."""

    intact: bool
    entries: int
    head: str
    first_broken_entry: int
    problem: str
    register_id: str
    keyed: bool

    def __bool__(self) -> bool:
        return self.intact


_REQUEST_COLUMNS = ("id", "kind", "purposes", "received", "due", "extended", "identity",
                    "status", "closed_on", "channel")


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:  # pragma: no cover - pandas is optional
        return None
    return pandas


def _requests_frame(requests: Sequence[Request], include_subject: bool) -> Any:
    pd = _pandas()
    if pd is None:
        return list(requests)
    cols = list(_REQUEST_COLUMNS) + (["subject"] if include_subject else [])
    data: Dict[str, List[Any]] = {c: [] for c in cols}
    for r in requests:
        for c in cols:
            v = getattr(r, c)
            data[c].append(list(v) if c == "purposes" else v)
    frame = pd.DataFrame(data, columns=cols)
    for c in ("received", "due", "closed_on"):
        frame[c] = pd.to_datetime(frame[c])
    return frame


def _events_frame(events: Sequence[RequestEvent]) -> Any:
    pd = _pandas()
    if pd is None:
        return list(events)
    cols = ["seq", "recorded_at", "request_id", "event", "on", "recorded_by", "hash"]
    frame = pd.DataFrame({c: [getattr(e, c) for e in events] for c in cols}, columns=cols)
    frame["on"] = pd.to_datetime(frame["on"])
    return frame


def _policy(policy: Any) -> Policy:
    if isinstance(policy, Policy):
        return policy
    if isinstance(policy, (str, bytes, os.PathLike)):
        return Policy.load(policy)
    raise ArgumentTypeError("policy must be a gdprkit.Policy or the path of a policy file, not "
                            f"{type(policy).__name__}")


class RequestRegister:
    """The register of data subjects' requests: an SQLite file (mode 0600)
    whose every state change is an entry of a hash chain (BLAKE2b-256, keyed
    when a ``key`` of 16-64 secret bytes is given). Opening verifies the
    chain (:class:`gdprkit.DataLossError` naming the first bad entry). Safe
    to share between threads; several processes may open the same file.

    Use :meth:`create` or :meth:`open`; close with :meth:`close` or ``with``.
    """

    __slots__ = ("_h", "_policy")

    def __init__(self, handle: Any, policy: Policy) -> None:
        if not isinstance(handle, _gdprkit.RequestRegisterHandle):
            raise ArgumentTypeError("use RequestRegister.create() or RequestRegister.open()")
        self._h = handle
        self._policy = policy

    @classmethod
    def _make(cls, path: PathArg, policy: Any, key: Any, sync: bool, create: bool
              ) -> "RequestRegister":
        p = _policy(policy)
        raw = os.fsdecode(_args.path(path, "path"))
        handle = _gdprkit.RequestRegisterHandle(raw, p._handle, _args.secret_key(key),
                                                _args.flag(sync, "sync"), create)
        return cls(handle, p)

    @classmethod
    def create(cls, path: PathArg, *, policy: Any, key: Optional[bytes] = None,
               sync: bool = True) -> "RequestRegister":
        """Creates a register file (:class:`gdprkit.AlreadyExistsError` when
        ``path`` exists). ``policy``: a :class:`gdprkit.Policy` or its file,
        against which requests' purposes are checked."""
        return cls._make(path, policy, key, sync, True)

    @classmethod
    def open(cls, path: PathArg, *, policy: Any, key: Optional[bytes] = None,
             sync: bool = True) -> "RequestRegister":
        """Opens and verifies a register (:class:`gdprkit.NotFoundError`,
        :class:`gdprkit.DataLossError` for a damaged or edited file,
        :class:`gdprkit.FailedPreconditionError` for a missing or wrong key)."""
        return cls._make(path, policy, key, sync, False)

    def __enter__(self) -> "RequestRegister":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Closes the file and wipes the core's copy of the key; further use
        raises :class:`gdprkit.FailedPreconditionError`."""
        self._h.close()

    @property
    def path(self) -> str:
        return str(self._h.path())

    @property
    def register_id(self) -> str:
        return str(self._h.register_id())

    # ---- Changes -----------------------------------------------------------

    def receive(self, kind: str, subject: str, *, received: Any, channel: str,
                recorded_by: str, purposes: Optional[Iterable[str]] = None,
                id: Optional[str] = None) -> Request:
        """Records a request received on ``received``; its deadline follows
        (:func:`deadline`). ``subject`` is a vault token or pseudonym, never
        an identifier in clear. ``purposes``: the purposes the request names
        (checked against the policy), or None for all of the subject's.
        ``id``: your reference, or None for "rq_" + random characters.

        Raises:
            InvalidArgumentError: a field that is missing or malformed (named;
                the subject is never repeated).
            NotFoundError: an unknown purpose (with the nearest).
            AlreadyExistsError: an id already used.
        """
        ids = [] if purposes is None else [_args.text(p, "purposes") for p in (
            [purposes] if isinstance(purposes, str) else purposes)]
        return _request(self._h.receive(
            "" if id is None else _args.text(id, "id"), _kind(kind), _args.text(subject, "subject"),
            ids, _day(received, "received"), _args.text(channel, "channel"),
            _args.text(recorded_by, "recorded_by")))

    def check_identity(self, id: str, *, verified: bool, method: str, on: Any,
                       recorded_by: str) -> Request:
        """Records an identity check (``method``: "MitID", "in person", ...)."""
        return _request(self._h.check_identity(
            _args.text(id, "id"), _args.flag(verified, "verified"), _args.text(method, "method"),
            _day(on, "on"), _args.text(recorded_by, "recorded_by")))

    def extend(self, id: str, *, reason: str, on: Any, recorded_by: str) -> Request:
        """Extends the deadline by two further months (three from receipt),
        once, with the reason, no later than the first deadline
        (:class:`gdprkit.FailedPreconditionError` otherwise)."""
        return _request(self._h.extend(_args.text(id, "id"), _args.text(reason, "reason"),
                                       _day(on, "on"), _args.text(recorded_by, "recorded_by")))

    def _close(self, id: str, status: str, outcome: str, on: Any, recorded_by: str) -> Request:
        return _request(self._h.close_request(_args.text(id, "id"), status,
                                              _args.text(outcome, "outcome"), _day(on, "on"),
                                              _args.text(recorded_by, "recorded_by")))

    def answer(self, id: str, *, on: Any, recorded_by: str, outcome: str = "") -> Request:
        """Closes the request as answered (the decision carried out and the
        subject told). A closed request cannot change."""
        return self._close(id, "answered", outcome, on, recorded_by)

    def refuse(self, id: str, *, reason: str, on: Any, recorded_by: str) -> Request:
        """Closes the request as refused, with the reason (Art. 12(5), 17(3),
        identity not verified)."""
        return self._close(id, "refused", reason, on, recorded_by)

    def cancel(self, id: str, *, on: Any, recorded_by: str, note: str = "") -> Request:
        """Closes the request as cancelled (withdrawn by the data subject)."""
        return self._close(id, "cancelled", note, on, recorded_by)

    def erase_subject(self, subject: str, *, recorded_by: str) -> int:
        """Erases the subject and the free texts (reasons, methods,
        outcomes) from every entry of the subject's requests; the chain still
        verifies. Returns the number of entries erased."""
        return int(self._h.erase_subject(_args.text(subject, "subject"),
                                         _args.text(recorded_by, "recorded_by")))

    # ---- Reading -----------------------------------------------------------

    def get(self, id: str) -> Request:
        """The request (:class:`gdprkit.NotFoundError` with the nearest ids)."""
        return _request(self._h.get(_args.text(id, "id")))

    def requests(self) -> Tuple[Request, ...]:
        """Every request, by received date, then id."""
        return tuple(_request(d) for d in self._h.list(NO_DATE))

    def list(self, *, include_subject: bool = False) -> Any:
        """Every request as a pandas DataFrame (one row per request, by
        received date, then id; without pandas: a list of :class:`Request`).
        The subject column only with ``include_subject=True``."""
        return _requests_frame(self.requests(), _args.flag(include_subject, "include_subject"))

    def overdue(self, on: Any, *, include_subject: bool = False) -> Any:
        """The open requests whose deadline is before ``on``, most overdue
        first, as :meth:`list` gives them."""
        rows = tuple(_request(d) for d in self._h.list(_day(on, "on")))
        return _requests_frame(rows, _args.flag(include_subject, "include_subject"))

    def events(self, id: Optional[str] = None) -> Tuple[RequestEvent, ...]:
        """The trail (of one request, or of all) in the order recorded."""
        return tuple(_event(d) for d in self._h.trail("" if id is None else _args.text(id, "id")))

    def trail(self, id: Optional[str] = None) -> Any:
        """:meth:`events` as a pandas DataFrame (without pandas: the list);
        details (reasons, outcomes) are in :meth:`events`."""
        return _events_frame(self.events(id))

    def verify(self, expected_head: Optional[str] = None) -> RegisterVerification:
        """Verifies the whole chain now; a break is a result, naming the
        first bad entry. With ``expected_head`` (a head kept elsewhere),
        entries cut from the end are found too."""
        d = self._h.verify("" if expected_head is None else _args.text(expected_head,
                                                                        "expected_head"))
        return RegisterVerification(**d)

    def __repr__(self) -> str:
        if self._h.closed:
            return _display.one_line("RequestRegister", closed=True)
        return _display.one_line("RequestRegister", file=os.path.basename(self.path),
                                 requests=len(self._h.list(NO_DATE)))


# ---------------------------------------------------------------------------
# Decisions
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectPurpose:
    """A purpose the subject's data serve, with what the retention rules
    need: ``dates`` by event name ("start" for the record's date,
    "last_entry", "consent_withdrawn", ...) and whether a legal hold covers
    them."""

    purpose: str
    dates: Mapping[str, Any] = None  # type: ignore[assignment]
    on_hold: bool = False


@dataclass(frozen=True)
class PurposeDecision:
    """What a request asks for one purpose: ``action`` (:data:`ACTIONS`),
    the ``right`` exercised (its code, "A17"), the legal ``reason``, and for
    "keep" the first day the data may be deleted (``keep_until``, when known)
    and the retention rule that decided it."""

    purpose: str
    action: str
    right: str
    reason: str
    keep_until: Optional[_dt.date]
    retention_rule: str


def _purpose_decision(d: Mapping[str, Any]) -> PurposeDecision:
    return PurposeDecision(purpose=d["purpose"], action=d["action"], right=d["right"],
                           reason=d["reason"], keep_until=_day_date(d["keep_until"]),
                           retention_rule=d["retention_rule"])


@dataclass(frozen=True)
class Decision:
    """The decision for a request of ``kind`` as of ``on``: one
    :class:`PurposeDecision` per purpose, in the order given."""

    kind: str
    on: _dt.date
    purposes: Tuple[PurposeDecision, ...]

    def frame(self) -> "pandas.DataFrame":
        """One row per purpose: purpose, action, right, keep_until,
        retention_rule, reason."""
        import pandas as pd

        cols = ["purpose", "action", "right", "keep_until", "retention_rule", "reason"]
        data = {c: [getattr(p, c) for p in self.purposes] for c in cols}
        frame: pd.DataFrame = pd.DataFrame(data, columns=cols)
        frame["keep_until"] = pd.to_datetime(frame["keep_until"])
        return frame

    def actions(self) -> Dict[str, str]:
        """``{purpose: action}``."""
        return {p.purpose: p.action for p in self.purposes}

    def _repr_html_(self) -> str:
        rows = [(p.purpose, p.action, p.right, "" if p.keep_until is None else str(p.keep_until),
                 p.reason) for p in self.purposes]
        return _display.block(
            "Decision", f"{self.kind} request as of {self.on}: "
            f"{_display.plural(len(self.purposes), 'purpose')}",
            _display.table(["purpose", "action", "right", "keep until", "reason"], rows))


def _subject_purposes(purposes: Any) -> List[Tuple[str, List[Tuple[str, int]], bool]]:
    if isinstance(purposes, (str, SubjectPurpose)) or isinstance(purposes, Mapping):
        purposes = [purposes]
    out: List[Tuple[str, List[Tuple[str, int]], bool]] = []
    for i, p in enumerate(purposes):
        if isinstance(p, str):
            out.append((_args.text(p, f"purposes[{i}]"), [], False))
            continue
        if isinstance(p, Mapping):
            p = SubjectPurpose(purpose=p.get("purpose"), dates=p.get("dates"),  # type: ignore
                               on_hold=p.get("on_hold", False))
        if not isinstance(p, SubjectPurpose):
            raise ArgumentTypeError(
                f"purposes[{i}] must be a purpose id, a SubjectPurpose or a mapping with "
                f"'purpose', 'dates' and 'on_hold', not {type(p).__name__}")
        dates = [] if p.dates is None else [
            (_args.text(name, f"purposes[{i}].dates"), _day(value, f"purposes[{i}].dates.{name}"))
            for name, value in p.dates.items() if not _optional.is_na(value)]
        out.append((_args.text(p.purpose, f"purposes[{i}].purpose"), dates,
                    _args.flag(p.on_hold, f"purposes[{i}].on_hold")))
    return out


def decide(policy: Any, kind: str, purposes: Any, *, on: Any) -> Decision:
    """What a request of ``kind`` means for each purpose as of ``on``, from
    the policy's rights matrix (Art. 17(3) exceptions, the purpose's
    bases), its retention rules (a minimum such as a patient record's 10
    years keeps the data until then) and legal holds.

    Args:
        policy: a :class:`gdprkit.Policy` or its file.
        kind: one of :data:`KINDS`.
        purposes: purpose ids, :class:`SubjectPurpose` objects or mappings
            ``{"purpose": ..., "dates": {"last_entry": ...}, "on_hold": ...}``.
        on: the day of the decision.

    Raises:
        NotFoundError: an unknown purpose (named by index, with the nearest).
        InvalidArgumentError: an unknown kind, a bad or unknown date name.
    """
    p = _policy(policy)
    d = _gdprkit.requests_decide(p._handle, _kind(kind), _subject_purposes(purposes),
                                 _day(on, "on"))
    on_date = _day_date(d["on"])
    assert on_date is not None
    return Decision(kind=d["kind"], on=on_date,
                    purposes=tuple(_purpose_decision(x) for x in d["purposes"]))


@dataclass(frozen=True)
class ErasureOutcome:
    """What :func:`carry_out_erasure` did (tokens erased from the vault,
    consent entries erased) and what it left: the purposes whose data the
    calling system must delete, and those kept with their reasons."""

    vault_tokens_erased: int
    consent_entries_erased: int
    caller_must_delete: Tuple[PurposeDecision, ...]
    kept: Tuple[PurposeDecision, ...]


def _ledger_handle(ledger: Any) -> Any:
    if ledger is None:
        return None
    from .consent import ConsentLedger

    if not isinstance(ledger, ConsentLedger):
        raise ArgumentTypeError(
            f"ledger must be a gdprkit.ConsentLedger or None, not {type(ledger).__name__}")
    return ledger._h


def carry_out_erasure(decision: Decision, *, recorded_by: str, vault: Optional[Vault] = None,
                      identifier: Optional[str] = None, id_kind: Union[str, int] = "cpr",
                      ledger: Any = None, subject: Optional[str] = None) -> ErasureOutcome:
    """Carries out an erasure decision for what the library holds: the
    identifier's tokens erased from every domain of ``vault`` (refused with
    :class:`gdprkit.FailedPreconditionError` while the decision keeps a
    purpose's data: the kept data would lose their identifier), the
    subject's consent entries erased from ``ledger``. Returns what the
    calling system must still delete, and what is kept and why."""
    if not isinstance(decision, Decision):
        raise ArgumentTypeError(f"decision must be a gdprkit.requests.Decision, not "
                                f"{type(decision).__name__}")
    if vault is not None and not isinstance(vault, Vault):
        raise ArgumentTypeError(
            f"vault must be a gdprkit.Vault or None, not {type(vault).__name__}")
    rows = [(p.purpose, p.action, p.right, p.reason,
             NO_DATE if p.keep_until is None else (p.keep_until - _EPOCH).days, p.retention_rule)
            for p in decision.purposes]
    d = _gdprkit.requests_carry_out_erasure(
        decision.kind, (decision.on - _EPOCH).days, rows, None if vault is None else vault._h,
        _kind_number(id_kind), "" if identifier is None else _args.text(identifier, "identifier"),
        _ledger_handle(ledger), "" if subject is None else _args.text(subject, "subject"),
        _args.text(recorded_by, "recorded_by"))
    return ErasureOutcome(
        vault_tokens_erased=int(d["vault_tokens_erased"]),
        consent_entries_erased=int(d["consent_entries_erased"]),
        caller_must_delete=tuple(_purpose_decision(x) for x in d["caller_must_delete"]),
        kept=tuple(_purpose_decision(x) for x in d["kept"]))


def access_report(subject: str, *, ledger: Any = None,
                  requests: Optional[RequestRegister] = None) -> str:
    """What the library holds about ``subject`` (Art. 15, 20), as JSON text:
    the consent entries (with the notices' versions and digests), the
    requests and their trails. ``json.loads`` reads it."""
    if requests is not None and not isinstance(requests, RequestRegister):
        raise ArgumentTypeError(
            f"requests must be a gdprkit.RequestRegister or None, not {type(requests).__name__}")
    return str(_gdprkit.requests_access_report(
        _args.text(subject, "subject"), _ledger_handle(ledger),
        None if requests is None else requests._h))
