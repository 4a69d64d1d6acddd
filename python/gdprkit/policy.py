"""Policies: the controller's record of processing activities (GDPR Art. 30).

A policy file lists the controller's purposes, each with its data categories,
data subjects, legal bases, recipients, the teams that may see its data and
its retention rule (``proto/gdprkit/v1/policy.proto``; protobuf text format or
JSON). A :class:`Policy` answers what follows from the bases:

* :meth:`Policy.validate`: what a data-protection officer would flag;
* :meth:`Policy.rights`, :meth:`Policy.rights_detail`,
  :meth:`Policy.rights_frame`: which data-subject rights apply, and why not;
* :meth:`Policy.may_access`: team and role isolation;
* :meth:`Policy.purposes_frame`, :meth:`Policy.findings_frame`,
  :meth:`Policy.rights_frame`: the record, the findings and the rights as
  pandas DataFrames;
* in Jupyter a policy, a purpose, a finding and a purpose's rights show as
  tables (:meth:`Policy.to_html` and :meth:`Policy.display` in Danish with
  ``lang="da"``).

Titles (of legal bases, rights, findings and severities) are English by
default and Danish with ``lang="da"``, from the core's one table of titles;
codes are the same in both, and messages and reasons stay English.

>>> import gdprkit
>>> policy = gdprkit.Policy.load("examples/policies/kontakt_laege.textproto")
>>> "A21" in policy.rights("troubleshooting-and-improvement")   # Art. 6(1)(f)
True
>>> "A20" in policy.rights("troubleshooting-and-improvement")
False

Everything is computed by the C++ core; this module converts its answers into
Python objects.
"""

from __future__ import annotations

import os
import weakref
from dataclasses import dataclass
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterable,
    List,
    Mapping,
    NoReturn,
    Optional,
    Tuple,
    TypeVar,
    Union,
    cast,
)

from . import _args, _gdprkit, _log, _optional, _policy_display
from ._errors import ArgumentTypeError
from .basis import _EXT, DataCategory, data_subject_rights, finding_title

if TYPE_CHECKING:  # pandas is imported only when a frame is asked for.
    import pandas

__all__ = [
    "Policy",
    "Controller",
    "Purpose",
    "Recipient",
    "AccessGrant",
    "Source",
    "BalancingTest",
    "ConsentMechanism",
    "Team",
    "LegalReference",
    "RetentionEvent",
    "RetentionRule",
    "Finding",
    "RightAssessment",
    "PurposeRights",
    "Release",
    "ReleaseColumn",
    "ReleaseHierarchy",
    "ReleaseTable",
    "ReleaseExtract",
    "ReleaseRules",
    "MAX_POLICY_BYTES",
]

#: The largest policy gdprkit reads, in bytes (16 MiB); larger input raises
#: :class:`gdprkit.ResourceExhaustedError`.
MAX_POLICY_BYTES: int = _gdprkit.MAX_POLICY_BYTES

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]
TextLike = Union[str, bytes, bytearray, memoryview]

def _format_code(format: Optional[str]) -> int:
    """The core's number of a format name ("auto", "textproto", "json"; any
    case); None is "auto"."""
    if format is None:
        return _gdprkit.FORMAT_AUTO
    if not isinstance(format, str):
        raise ArgumentTypeError(f"format must be a str or None, not {type(format).__name__}")
    return int(_EXT.policy_format(_args.encode_name(format.lower())))


# ---------------------------------------------------------------------------
# Records. All frozen: a policy and everything read from it are immutable.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Controller:
    """The controller (Art. 4(7)) the policy is for.

    Attributes:
        name, cvr, address, contact: as written in the policy ("" if not).
        dpo_contact: the data-protection officer, where one is designated.
        source: where the policy was taken from (a URL, document, date).
    """

    name: str = ""
    cvr: str = ""
    address: str = ""
    contact: str = ""
    dpo_contact: str = ""
    source: str = ""


@dataclass(frozen=True)
class Recipient:
    """Someone who receives data of a purpose.

    Attributes:
        name: as written.
        kind: "controller" (own purposes, Art. 4(10)), "processor" (on the
            controller's behalf, Art. 28), "public_authority", "public" (published:
            a website, social media, an open statistics database) or "unspecified".
        country: ISO 3166-1 alpha-2 code as written; "" means Denmark.
        transfer_basis: the Art. 45-49 basis of a transfer outside the EU/EEA.
        purpose: what the recipient receives the data for.
    """

    name: str
    kind: str = "unspecified"
    country: str = ""
    transfer_basis: str = ""
    purpose: str = ""


@dataclass(frozen=True)
class AccessGrant:
    """A team (and, if ``roles`` is not empty, only those roles of it) may see
    the data of a purpose."""

    team: str
    roles: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """Where data of a purpose come from; ``from_data_subject`` decides between
    Art. 13 (True) and Art. 14 (False)."""

    name: str
    from_data_subject: bool = False


@dataclass(frozen=True)
class BalancingTest:
    """The recorded balancing test of a purpose on legitimate interest
    (Art. 6(1)(f)): the interest, the assessment and its safeguards."""

    interest: str = ""
    assessment: str = ""
    safeguards: Tuple[str, ...] = ()


@dataclass(frozen=True)
class ConsentMechanism:
    """How consent is recorded (Art. 7(1)) and withdrawn (Art. 7(3))."""

    record: str = ""
    withdrawal: str = ""


@dataclass(frozen=True, repr=False)
class Purpose:
    """One processing purpose of the record (Art. 30(1)(b)-(g)).

    Attributes:
        id: stable identifier, unique within the policy ("patient-record").
        title, description: as written.
        categories: data-category keys ("health.record", "identity.cpr").
        data_subjects: who the data are about ("patients").
        basis: legal-basis codes as written ("A6-1-c", "DK-BEK-530-2018").
        recipients: who receives the data.
        access: the teams (and roles) that may see the data.
        retention: id of the retention rule, or None.
        legitimate_interest: the balancing test, where recorded.
        consent: the consent mechanism, where recorded.
        sources: where the data come from (empty: not recorded).
        automated_decision_making: solely automated decisions (Art. 22).
        automated_processing: processed by automated means (Art. 20(1)(b)).
        source_text: the purpose's own words in the source document.
        erasure_exceptions: the Art. 17(3) exceptions stated for the purpose,
            whatever its bases ("legal_claims", "public_health", ...).
        role: "controller" (the organisation's own data, the default),
            "processor" or "not_controller" (another controller's data, only
            shown or passed on: every right goes to `controller_of_data`).
        controller_of_data: who the controller is when `role` is not
            "controller".
        direct_marketing: processing for direct marketing (Art. 21(2)-(3)).
        line: the line of the purpose in its file, or None when unknown.
    """

    id: str
    title: str = ""
    description: str = ""
    categories: Tuple[str, ...] = ()
    data_subjects: Tuple[str, ...] = ()
    basis: Tuple[str, ...] = ()
    recipients: Tuple[Recipient, ...] = ()
    access: Tuple[AccessGrant, ...] = ()
    retention: Optional[str] = None
    legitimate_interest: Optional[BalancingTest] = None
    consent: Optional[ConsentMechanism] = None
    sources: Tuple[Source, ...] = ()
    automated_decision_making: bool = False
    automated_processing: bool = True
    source_text: str = ""
    erasure_exceptions: Tuple[str, ...] = ()
    role: str = "controller"
    controller_of_data: str = ""
    direct_marketing: bool = False
    line: Optional[int] = None

    @property
    def teams(self) -> Tuple[str, ...]:
        """The teams granted access, in the order of the grants, each once."""
        return tuple(dict.fromkeys(g.team for g in self.access))

    @property
    def processors(self) -> Tuple[str, ...]:
        """Names of the recipients that are processors (Art. 28)."""
        return tuple(r.name for r in self.recipients if r.kind == "processor")

    def _policy(self) -> "Optional[Policy]":
        ref = _POLICY_OF.get(id(self))
        return ref() if ref is not None else None

    def __repr__(self) -> str:
        return _policy_display.purpose_repr(self)

    def to_html(self, *, lang: str = "en") -> str:
        """The purpose as an HTML table (its bases with their titles in
        `lang`, categories, data subjects, retention and, for a purpose read
        from a policy, the rights that apply), as Jupyter shows it."""
        return _policy_display.purpose_html(self, self._policy(), _args.language(lang))

    def _repr_html_(self) -> str:
        return self.to_html()


@dataclass(frozen=True)
class Team:
    """A team of the controller; ``roles`` empty means any role."""

    id: str
    title: str = ""
    roles: Tuple[str, ...] = ()


@dataclass(frozen=True)
class LegalReference:
    """Sector law or another reference a policy declares as a basis code.

    Attributes:
        code: its own code ("DK-BEK-530-2018"), starting "DK-" or "EU-".
        title, text, url: as written.
        effects: what it grounds, as names ("legal_obligation", "public_task",
            "special_condition", "national_id", "criminal"); empty: nothing by
            itself.
    """

    code: str
    title: str = ""
    text: str = ""
    url: str = ""
    effects: Tuple[str, ...] = ()


@dataclass(frozen=True)
class RetentionEvent:
    """An event that ends or lengthens a retention period, with its ISO 8601
    period ("" when none is given)."""

    event: str
    period: str = ""


@dataclass(frozen=True)
class RetentionRule:
    """A retention rule as the policy writes it (``docs/retention.md``).

    Attributes:
        id, title: as written.
        description: the rule in the source document's words.
        period: ISO 8601 period ("P15M"), or "" when the rule only describes.
        anchor: where the period starts: "" (collection) or an event name.
        action: "delete_after", "retain_at_least", "retain_then_delete", or
            "unknown" for a value this version does not know.
        ends_early, extended_by: events that end or lengthen the period.
    """

    id: str
    title: str = ""
    description: str = ""
    period: str = ""
    anchor: str = ""
    action: str = "delete_after"
    ends_early: Tuple[RetentionEvent, ...] = ()
    extended_by: Tuple[RetentionEvent, ...] = ()


@dataclass(frozen=True)
class ReleaseColumn:
    """One column of a release and what happens to it on its way out
    (``docs/policy.md``, "Release rules").

    Attributes:
        name: the column's name in the data.
        treatment: "drop", "keep", "pseudonymise", "generalise", or
            "unspecified"/"unknown" (a finding of :meth:`Policy.validate`).
        kind: the identifier kind the column holds ("cpr", "provider_number",
            ...), as written; "" when it holds none.
        domain: for "pseudonymise", the vault domain.
        hierarchy, level: for "generalise", the hierarchy's name and the
            level (1 = just below the total); level None when not given.
        free_text: the column is free text, scanned for identifiers.
    """

    name: str
    treatment: str
    kind: str = ""
    domain: str = ""
    hierarchy: str = ""
    level: Optional[int] = None
    free_text: bool = False


@dataclass(frozen=True)
class ReleaseHierarchy:
    """A classification of a release: a file (``.hrc`` or code,parent CSV,
    relative to the policy file) or inline ``codes`` ((code, parent) pairs,
    parent "" for the total)."""

    name: str
    file: str = ""
    codes: Tuple[Tuple[str, str], ...] = ()
    total: str = ""


@dataclass(frozen=True)
class ReleaseTable:
    """A published table: its ``dimensions`` as (column, hierarchy name or
    "" for flat) pairs and ``value``, the column summed per cell ("":
    rows are counted)."""

    dimensions: Tuple[Tuple[str, str], ...] = ()
    value: str = ""


@dataclass(frozen=True)
class ReleaseExtract:
    """A microdata extract: every combination of ``quasi_identifiers`` is
    shared by at least ``k`` rows (None when not given)."""

    quasi_identifiers: Tuple[str, ...] = ()
    k: Optional[int] = None


@dataclass(frozen=True)
class ReleaseRules:
    """The primary suppression rules of a release's table, as written;
    None fields take the suppression defaults (threshold 5, ...).
    ``dominance`` is a tuple of (n, k percent) pairs."""

    threshold: Optional[int] = None
    threshold_hides_presence: bool = False
    threshold_range_percent: Optional[float] = None
    dominance: Tuple[Tuple[int, float], ...] = ()
    p_percent: float = 0.0
    q_percent: Optional[float] = None
    protect_zeros: bool = False
    zero_upper: Optional[float] = None
    manual_percent: Optional[float] = None


@dataclass(frozen=True)
class Release:
    """What a policy lets leave the organisation for a purpose
    (``docs/policy.md``, "Release rules"): every column with its treatment,
    a published ``table`` or a microdata ``extract`` (exactly one, else
    :meth:`Policy.validate` says so), the table's primary ``rules`` and the
    maximum age of the rows (``max_age``, an ISO 8601 period, over
    ``date_column``). Read-only; a release holds no data values.
    """

    id: str
    title: str = ""
    description: str = ""
    purpose: str = ""
    columns: Tuple[ReleaseColumn, ...] = ()
    hierarchies: Tuple[ReleaseHierarchy, ...] = ()
    table: Optional[ReleaseTable] = None
    extract: Optional[ReleaseExtract] = None
    rules: Optional[ReleaseRules] = None
    max_age: str = ""
    date_column: str = ""
    source_text: str = ""
    line: Optional[int] = None

    @property
    def shape(self) -> str:
        """"table", "extract", or "invalid" (both or neither)."""
        if (self.table is None) == (self.extract is None):
            return "invalid"
        return "table" if self.table is not None else "extract"

    def column(self, name: str) -> ReleaseColumn:
        """The first column named `name`.

        Raises:
            KeyError: no such column.
        """
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def __repr__(self) -> str:
        return _policy_display.release_repr(self)

    def to_html(self, *, lang: str = "en") -> str:
        """The release as an HTML table (its columns with their treatments'
        titles in `lang`, the table or extract, the rules and the maximum
        age), as Jupyter shows it. Everything from the policy is escaped."""
        return _policy_display.release_html(self, _args.language(lang))

    def _repr_html_(self) -> str:
        return self.to_html()


@dataclass(frozen=True)
class Finding:
    """One thing validation flags (``docs/policy.md`` lists the codes).

    Attributes:
        severity: "error" (unlawful as recorded), "warning" (a documentation
            gap) or "info".
        code: stable kebab-case kind of finding ("missing-art6-basis"); match
            on this, not on ``message``.
        purpose_id: the purpose concerned, or None for the whole policy.
        field: path of the field concerned ("purposes[2].basis[1]").
        message: for people.
        file: the policy's source name.
        line: 1-based line in the file, or None when unknown.
    """

    severity: str
    code: str
    purpose_id: Optional[str]
    field: str
    message: str
    file: str
    line: Optional[int]

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity} [{self.code}] {self.message}"

    @property
    def title(self) -> str:
        """The short title of :attr:`code` in English
        (:func:`gdprkit.finding_title` gives it in Danish)."""
        return finding_title(self.code)

    def __repr__(self) -> str:
        return _policy_display.finding_repr(self)

    def to_html(self, *, lang: str = "en") -> str:
        """The finding as a one-row HTML table, its severity and title in
        `lang` (the message stays English)."""
        return _policy_display.findings_html([self], _args.language(lang))

    def _repr_html_(self) -> str:
        return self.to_html()


@dataclass(frozen=True, repr=False)
class RightAssessment:
    """Whether one data-subject right applies to a purpose, and why (not).

    Attributes:
        code: the right ("A17").
        title: its title ("Art. 17: right to erasure").
        applies: True when the data subject has the right for this purpose.
        reason: the legal reasoning, with the article ("Art. 17(3)(b): ...").
    """

    code: str
    title: str
    applies: bool
    reason: str

    def __repr__(self) -> str:
        return _policy_display.assessment_repr(self)

    def _repr_html_(self) -> str:
        return _policy_display.rights_html([self], None)


class PurposeRights(List[RightAssessment]):
    """The rights of one purpose (:meth:`Policy.rights_detail`): a list of
    :class:`RightAssessment` in the order of the Regulation, which Jupyter
    shows as a table (the titles in the language it was made with)."""

    purpose_id: str

    def __init__(self, purpose_id: str, assessments: Iterable[RightAssessment]) -> None:
        super().__init__(assessments)
        self.purpose_id = purpose_id

    @property
    def applying(self) -> List[str]:
        """The codes of the rights that apply."""
        return [a.code for a in self if a.applies]

    def __repr__(self) -> str:
        return _policy_display.purpose_rights_repr(self.purpose_id, self)

    def _repr_html_(self) -> str:
        return _policy_display.rights_html(self, self.purpose_id)


_T = TypeVar("_T")

# The policy each purpose read from one came from, by the purpose's id(), for
# the titles of declared references and the rights in its display. Kept
# outside the purpose, so that it takes no part in its fields, equality or
# pickling; weak both ways, and an entry goes with its purpose.
_POLICY_OF: Dict[int, "weakref.ref[Policy]"] = {}


def _remember_policy(purpose: Purpose, policy: "Policy") -> None:
    key = id(purpose)
    _POLICY_OF[key] = weakref.ref(policy)
    weakref.finalize(purpose, _POLICY_OF.pop, key, None)


def _purpose(d: Mapping[str, Any]) -> Purpose:
    li = d["legitimate_interest"]
    consent = d["consent"]
    return Purpose(
        id=d["id"],
        title=d["title"],
        description=d["description"],
        categories=d["categories"],
        data_subjects=d["data_subjects"],
        basis=d["basis"],
        recipients=tuple(Recipient(**r) for r in d["recipients"]),
        access=tuple(AccessGrant(**g) for g in d["access"]),
        retention=d["retention"] or None,
        legitimate_interest=None if li is None else BalancingTest(**li),
        consent=None if consent is None else ConsentMechanism(**consent),
        sources=tuple(Source(**s) for s in d["sources"]),
        automated_decision_making=d["automated_decision_making"],
        automated_processing=d["automated_processing"],
        source_text=d["source_text"],
        erasure_exceptions=tuple(d["erasure_exceptions"]),
        role=d["role"],
        controller_of_data=d["controller_of_data"],
        direct_marketing=d["direct_marketing"],
        line=d["line"] or None,
    )


def _rule(d: Mapping[str, Any]) -> RetentionRule:
    return RetentionRule(
        id=d["id"],
        title=d["title"],
        description=d["description"],
        period=d["period"],
        anchor=d["anchor"],
        action=d["action"],
        ends_early=tuple(RetentionEvent(*e) for e in d["ends_early"]),
        extended_by=tuple(RetentionEvent(*e) for e in d["extended_by"]),
    )


def _release(d: Mapping[str, Any]) -> Release:
    table = d["table"]
    extract = d["extract"]
    rules = d["rules"]
    return Release(
        id=d["id"],
        title=d["title"],
        description=d["description"],
        purpose=d["purpose"],
        columns=tuple(ReleaseColumn(**c) for c in d["columns"]),
        hierarchies=tuple(
            ReleaseHierarchy(h["name"], h["file"], tuple(tuple(c) for c in h["codes"]), h["total"])
            for h in d["hierarchies"]
        ),
        table=None if table is None else ReleaseTable(
            tuple(tuple(x) for x in table["dimensions"]), table["value"]),
        extract=None if extract is None else ReleaseExtract(
            tuple(extract["quasi_identifiers"]), extract["k"]),
        rules=None if rules is None else ReleaseRules(
            **{**rules, "dominance": tuple(tuple(x) for x in rules["dominance"])}),
        max_age=d["max_age"],
        date_column=d["date_column"],
        source_text=d["source_text"],
        line=d["line"] or None,
    )


def _finding(t: Tuple[Any, ...]) -> Finding:
    severity, code, purpose_id, field, message, file, line = t
    return Finding(severity, code, purpose_id or None, field, message, file, line or None)


def _assessment(t: Tuple[Any, ...]) -> RightAssessment:
    return RightAssessment(*t)


def _first_by(items: Iterable[_T], key: str) -> Dict[str, _T]:
    """Items by their id, the first one winning (as the core's lookups do)."""
    out: Dict[str, _T] = {}
    for item in items:
        out.setdefault(getattr(item, key), item)
    return out


_UNSET = object()


class Policy:
    """A loaded policy: immutable, and safe to share between threads.

    Make one with :meth:`Policy.load` (a file) or :meth:`Policy.from_text`;
    the constructor is not public. A policy that does not parse raises
    :class:`gdprkit.InvalidArgumentError`; one that parses but is not lawful
    as recorded loads, and :meth:`validate` describes what is wrong.

    Long calls (parsing, validation, the rights matrix) run in C++ without the
    GIL, so threads can load and query policies in parallel.
    """

    __slots__ = (
        "_handle",
        "_purposes",
        "_by_id",
        "_findings",
        "_cache",
        "__weakref__",
    )
    _handle: _gdprkit.PolicyHandle
    _purposes: Optional[Tuple[Purpose, ...]]
    _by_id: Optional[Dict[str, Purpose]]
    _findings: Optional[Tuple[Finding, ...]]
    _cache: Dict[str, Any]

    def __init__(self) -> None:
        raise ArgumentTypeError("use gdprkit.Policy.load(path) or gdprkit.Policy.from_text(text)")

    @classmethod
    def _wrap(cls, handle: _gdprkit.PolicyHandle) -> "Policy":
        self = object.__new__(cls)
        object.__setattr__(self, "_handle", handle)
        object.__setattr__(self, "_purposes", None)
        object.__setattr__(self, "_by_id", None)
        object.__setattr__(self, "_findings", None)
        object.__setattr__(self, "_cache", {})
        return self

    # -- Loading -------------------------------------------------------------

    @classmethod
    def load(cls, path: PathLike, format: Optional[str] = None) -> "Policy":
        """Reads a policy file.

        Args:
            path: the file (str, bytes or path-like).
            format: "textproto" or "json"; None (or "auto") decides by the
                extension (.json; .textproto/.txtpb/.pbtxt/.txt), else by the
                content.

        Raises:
            NoSuchFileError: the file does not exist (a :class:`NotFoundError`,
                :class:`KeyError` and :class:`FileNotFoundError`).
            PermissionDeniedError: it cannot be read (a :class:`PermissionError`).
            InvalidArgumentError: it does not parse; the message names the file,
                line, column and field. Also for a directory, an empty or
                binary file, an unknown ``format`` name or a path with a NUL
                byte or a lone surrogate (a :class:`ValueError`).
            ResourceExhaustedError: the file is over 16 MiB.
            ArgumentTypeError: ``path`` or ``format`` has the wrong type (an
                :class:`InvalidArgumentError` and a :class:`TypeError`).
        """
        raw = _args.path(path, "policy file path")
        code = _format_code(format)
        with _log.timed("policy load") as entry:
            policy = cls._wrap(_gdprkit.policy_load(raw, code))
            entry.update(purposes=len(policy.purposes))
        return policy

    @classmethod
    def from_text(
        cls,
        text: TextLike,
        format: Optional[str] = None,
        source_name: str = "<memory>",
    ) -> "Policy":
        """Parses a policy from a string or bytes.

        Args:
            text: the policy, as str or as UTF-8 bytes (bytes, bytearray,
                memoryview; read without a copy).
            format: "textproto" or "json"; None (or "auto") decides by the
                content (JSON when it starts with "{").
            source_name: names the input in errors and findings, e.g. the file
                it came from.

        Raises:
            InvalidArgumentError: the text does not parse (the message names
                ``source_name``, line, column and field), is empty or blank, is
                not UTF-8 or holds NUL bytes; or ``format`` is unknown.
            ResourceExhaustedError: the text is over 16 MiB.
            ArgumentTypeError: ``text``, ``format`` or ``source_name`` has the
                wrong type (an :class:`InvalidArgumentError` and a
                :class:`TypeError`).
        """
        if isinstance(text, str):
            # Lone surrogates become invalid UTF-8, which the core refuses with
            # their line and column.
            data: Union[bytes, bytearray, memoryview] = text.encode("utf-8", "surrogatepass")
        elif isinstance(text, (bytes, bytearray, memoryview)):
            data = text
        else:
            raise ArgumentTypeError(
                f"policy text must be str or bytes-like, not {type(text).__name__}")
        if not isinstance(source_name, str):
            raise ArgumentTypeError(f"source_name must be a str, not {type(source_name).__name__}")
        code = _format_code(format)
        with _log.timed("policy from_text") as entry:
            policy = cls._wrap(
                _gdprkit.policy_from_text(data, code, _args.encode_name(source_name)))
            entry.update(bytes=len(data), purposes=len(policy.purposes))
        return policy

    # -- What it says --------------------------------------------------------

    def _cached(self, name: str, make: Callable[[], _T]) -> _T:
        value = self._cache.get(name, _UNSET)
        if value is _UNSET:
            value = make()
            self._cache[name] = value
        return cast(_T, value)

    @property
    def source_name(self) -> str:
        """The file the policy was loaded from, or the ``source_name`` given
        to :meth:`from_text`."""
        return self._cached("source_name", self._handle.source_name)

    @property
    def controller(self) -> Controller:
        """The controller the policy is for."""
        return self._cached("controller", lambda: Controller(**self._handle.controller()))

    def _load_purposes(self) -> None:
        purposes = tuple(_purpose(d) for d in self._handle.purposes())
        for p in purposes:
            _remember_policy(p, self)
        object.__setattr__(self, "_by_id", _first_by(purposes, "id"))
        object.__setattr__(self, "_purposes", purposes)

    @property
    def purposes(self) -> Tuple[Purpose, ...]:
        """Every purpose, in file order."""
        if self._purposes is None:
            self._load_purposes()
        return cast(Tuple[Purpose, ...], self._purposes)

    def _index(self) -> Dict[str, Purpose]:
        """Purposes by id, the first winning when ids repeat."""
        if self._by_id is None:
            self._load_purposes()
        return cast(Dict[str, Purpose], self._by_id)

    @property
    def purpose_ids(self) -> Tuple[str, ...]:
        """The ids of the purposes, in file order."""
        return tuple(p.id for p in self.purposes)

    def purpose(self, purpose_id: str) -> Purpose:
        """The purpose with this id (the first, should ids repeat).

        Raises:
            NotFoundError: no such purpose; the message names the nearest ids
                (also a :class:`KeyError`).
            TypeError: ``purpose_id`` is not a str.
        """
        if not isinstance(purpose_id, str):
            raise ArgumentTypeError(f"purpose id must be a str, not {type(purpose_id).__name__}")
        found = self._index().get(purpose_id)
        if found is None:  # the core raises NotFoundError, naming the nearest ids
            found = self.purposes[int(self._ext.purpose_index(_args.encode_name(purpose_id)))]
        return found

    @property
    def _ext(self) -> Any:
        """The handle, for the lookups _gdprkit.pyi does not list yet."""
        return self._handle

    def __contains__(self, purpose_id: object) -> bool:
        """``"patient-record" in policy``: whether a purpose has this id."""
        return isinstance(purpose_id, str) and purpose_id in self._index()

    @property
    def teams(self) -> Tuple[Team, ...]:
        """The teams the policy declares."""
        return self._cached("teams", lambda: tuple(Team(**t) for t in self._handle.teams()))

    @property
    def categories(self) -> Tuple[DataCategory, ...]:
        """The data categories: the built-in ones, then those the policy
        declares, with their markings (a declared child inherits its
        parent's)."""
        return self._cached(
            "categories", lambda: tuple(DataCategory(**c) for c in self._handle.categories())
        )

    def category(self, key: str) -> DataCategory:
        """The data category with this key, built in or declared.

        Raises:
            NotFoundError: unknown key, with the nearest keys (a :class:`KeyError`).
            TypeError: ``key`` is not a str.
        """
        if not isinstance(key, str):
            raise ArgumentTypeError(f"category key must be a str, not {type(key).__name__}")
        return DataCategory(**self._ext.category(_args.encode_name(key)))

    @property
    def references(self) -> Tuple[LegalReference, ...]:
        """The sector-law and other references the policy declares."""
        return self._cached(
            "references",
            lambda: tuple(LegalReference(**r) for r in self._handle.references()),
        )

    @property
    def retention_rules(self) -> Tuple[RetentionRule, ...]:
        """The retention rules, as written."""
        return self._cached(
            "retention_rules",
            lambda: tuple(_rule(r) for r in self._handle.retention_rules()),
        )

    def retention_rule(self, rule_id: str) -> RetentionRule:
        """The retention rule with this id (the first, should ids repeat).

        Raises:
            NotFoundError: unknown id, with the nearest ids (a :class:`KeyError`).
        """
        rules = self._cached("rules_by_id", lambda: _first_by(self.retention_rules, "id"))
        found = rules.get(rule_id) if isinstance(rule_id, str) else None
        if found is None:
            if not isinstance(rule_id, str):
                raise ArgumentTypeError(f"rule id must be a str, not {type(rule_id).__name__}")
            # The core raises NotFoundError, naming the nearest ids.
            index = int(self._ext.retention_rule_index(_args.encode_name(rule_id)))
            found = self.retention_rules[index]
        return found

    @property
    def releases(self) -> Tuple[Release, ...]:
        """What the policy lets leave the organisation (its release rules),
        in file order."""
        return self._cached(
            "releases", lambda: tuple(_release(r) for r in self._handle.releases())
        )

    def release(self, release_id: str) -> Release:
        """The release with this id (the first, should ids repeat).

        Raises:
            NotFoundError: unknown id, with the nearest ids (a :class:`KeyError`).
            TypeError: ``release_id`` is not a str.
        """
        if not isinstance(release_id, str):
            raise ArgumentTypeError(f"release id must be a str, not {type(release_id).__name__}")
        by_id = self._cached("releases_by_id", lambda: _first_by(self.releases, "id"))
        found = by_id.get(release_id)
        if found is None:  # the core raises NotFoundError, naming the nearest ids
            found = self.releases[int(self._handle.release_index(_args.encode_name(release_id)))]
        return found

    def releases_frame(self, *, lang: str = "en") -> "pandas.DataFrame":
        """The release rules as a pandas DataFrame, one row per column of
        each release, in file order.

        Columns: ``release``, ``purpose``, ``shape`` ("table", "extract" or
        "invalid"), ``column``, ``treatment`` (name), ``treatment_title`` (in
        `lang`, "en" or "da"), ``kind``, ``domain``, ``hierarchy``, ``level``
        (nullable integer), ``free_text``, ``dimension`` (the column is a
        table dimension), ``quasi_identifier`` (an extract's), ``max_age``,
        ``date_column``, ``line``. A release holds no data values, so
        neither does the frame.
        """
        pd = _optional.pandas("Policy.releases_frame")
        titles = _policy_display.treatment_titles(_args.language(lang))
        columns = [
            "release", "purpose", "shape", "column", "treatment", "treatment_title", "kind",
            "domain", "hierarchy", "level", "free_text", "dimension", "quasi_identifier",
            "max_age", "date_column", "line",
        ]
        rows = []
        for r in self.releases:
            dims = {c for c, _ in r.table.dimensions} if r.table is not None else set()
            qis = set(r.extract.quasi_identifiers) if r.extract is not None else set()
            for c in r.columns:
                rows.append([
                    r.id, r.purpose, r.shape, c.name, c.treatment,
                    titles.get(c.treatment, ""), c.kind, c.domain, c.hierarchy, c.level,
                    c.free_text, c.name in dims, c.name in qis, r.max_age, r.date_column, r.line,
                ])
        frame: pandas.DataFrame = pd.DataFrame(rows, columns=columns)
        for name in ("free_text", "dimension", "quasi_identifier"):
            frame[name] = frame[name].astype(bool)
        for name in ("level", "line"):
            frame[name] = frame[name].astype("Int64")
        return frame

    def basis_title(self, code: str, *, lang: str = "en") -> str:
        """The title of a legal-basis code: built in (in `lang`, "en" or
        "da"), or declared by this policy in ``references`` (as written,
        whatever `lang`).

        Raises:
            NotFoundError: the code is neither (a :class:`KeyError`), with the
                nearest codes.
            TypeError: ``code`` is not a str.
            InvalidArgumentError: `lang` is not a language gdprkit knows.
        """
        if not isinstance(code, str):
            raise ArgumentTypeError(f"legal-basis code must be a str, not {type(code).__name__}")
        # The core raises NotFoundError for an unknown code, naming the nearest.
        return self._handle.get_basis_title(_args.encode_name(code), _args.language(lang))

    def _basis_titles(self, lang: str) -> Callable[[str], str]:
        """code -> title in the canonical language `lang` ("" for an unknown
        code), memoised for one frame or display."""
        titles: Dict[str, str] = {}

        def title_of(code: str) -> str:
            if code not in titles:
                titles[code] = self._handle.basis_title(_args.encode_name(code), lang)
            return titles[code]

        return title_of

    def basis_effects(self, code: str) -> Tuple[str, ...]:
        """What a legal-basis code grounds in this policy, as names (see
        :attr:`gdprkit.LegalBasis.effects`); for a declared reference the
        effects it declares, possibly none.

        Raises:
            NotFoundError: the code is neither built in nor declared.
        """
        self.basis_title(code)
        return self._handle.basis_effects(_args.encode_name(code))

    # -- Validation ----------------------------------------------------------

    def validate(self) -> List[Finding]:
        """Everything a data-protection officer would flag: errors first, then
        warnings, then infos, each group in file order.

        Never raises for an invalid policy: it describes it. See
        ``docs/policy.md`` for the codes. Returns a new list each call.
        """
        if self._findings is None:
            with _log.timed("policy validate") as entry:
                findings = tuple(_finding(t) for t in self._handle.validate())
                for severity in ("error", "warning", "info"):
                    entry[severity + "s"] = sum(f.severity == severity for f in findings)
                entry["purposes"] = len(self.purposes)
            object.__setattr__(self, "_findings", findings)
        return list(cast(Tuple[Finding, ...], self._findings))

    @property
    def is_valid(self) -> bool:
        """True when :meth:`validate` finds no error (warnings and infos are
        allowed)."""
        return self._cached("is_valid", self._handle.is_valid)

    def findings_frame(self, *, lang: str = "en") -> "pandas.DataFrame":
        """:meth:`validate` as a pandas DataFrame, one row per finding, with
        the columns of :class:`Finding` and, after ``code``, ``title``: the
        finding's short title in `lang` ("en" or "da"; severities and codes
        stay as they are, messages stay English)."""
        pd = _optional.pandas("Policy.findings_frame")

        language = _args.language(lang)
        columns = ["severity", "code", "title", "purpose_id", "field", "message", "file", "line"]
        rows = [
            [f.severity, f.code, finding_title(f.code, lang=language), f.purpose_id, f.field,
             f.message, f.file, f.line]
            for f in self.validate()
        ]
        frame: pandas.DataFrame = pd.DataFrame(rows, columns=columns)
        frame["line"] = frame["line"].astype("Int64")
        return frame

    # -- Rights --------------------------------------------------------------

    def rights_detail(self, purpose_id: str, *, lang: str = "en") -> PurposeRights:
        """Every data-subject right for one purpose, in the order of the
        Regulation (A13 ... A22, A7-3), each with whether it applies and the
        legal reasoning; the titles in `lang` ("en" or "da"; the reasons stay
        English). A list, shown as a table in Jupyter.

        Raises:
            NotFoundError: unknown purpose, with the nearest ids (a
                :class:`KeyError`).
            TypeError: ``purpose_id`` is not a str.
            InvalidArgumentError: `lang` is not a language gdprkit knows.
        """
        if not isinstance(purpose_id, str):
            raise ArgumentTypeError(f"purpose id must be a str, not {type(purpose_id).__name__}")
        language = _args.language(lang)
        return PurposeRights(
            purpose_id,
            (_assessment(t) for t in self._handle.rights(_args.encode_name(purpose_id), language)))

    def rights(self, purpose_id: str) -> List[str]:
        """The codes of the rights that apply to a purpose, in the order of
        the Regulation, e.g. ``["A13", "A14", "A15", "A16", "A18", "A19"]``
        for Practio's patient record (no erasure: Art. 17(3)(b)).

        Raises:
            NotFoundError: unknown purpose (a :class:`KeyError`).
        """
        return [a.code for a in self.rights_detail(purpose_id) if a.applies]

    def rights_frame(self, *, detail: bool = False, lang: str = "en") -> "pandas.DataFrame":
        """The rights matrix of the whole policy as a pandas DataFrame.

        By default one row per purpose (index ``purpose``, its ids in file
        order) and one boolean column per right code, in the order of the
        Regulation. With ``detail=True`` one row per purpose and right, with
        the columns ``purpose``, ``right``, ``title`` (in `lang`, "en" or
        "da"), ``applies``, ``reason`` (English).
        """
        pd = _optional.pandas("Policy.rights_frame")

        matrix = self._handle.rights_matrix(_args.language(lang))
        if detail:
            columns = ["purpose", "right", "title", "applies", "reason"]
            rows = [[pid, *a] for pid, assessments in matrix for a in assessments]
            frame: pandas.DataFrame = pd.DataFrame(rows, columns=columns)
            frame["applies"] = frame["applies"].astype(bool)
            return frame
        codes = [r.code for r in data_subject_rights()]
        data = [[a[2] for a in assessments] for _, assessments in matrix]
        index = pd.Index([pid for pid, _ in matrix], name="purpose", dtype=object)
        table: pandas.DataFrame = pd.DataFrame(data, index=index, columns=codes, dtype=bool)
        table.columns.name = "right"
        return table

    # -- Access --------------------------------------------------------------

    def may_access(self, purpose_id: str, *, team: str, role: Optional[str] = None) -> bool:
        """Whether a team member may see data of a purpose.

        True when the purpose grants the team access and, where the grant
        names roles, ``role`` is one of them (a grant naming roles does not
        admit ``role=None``). Nothing is granted by default.

        Raises:
            NotFoundError: unknown purpose (a :class:`KeyError`).
            InvalidArgumentError: ``team`` is empty (a :class:`ValueError`).
            TypeError: an argument is not a str.
        """
        for name, value in (("purpose_id", purpose_id), ("team", team)):
            if not isinstance(value, str):
                raise ArgumentTypeError(f"{name} must be a str, not {type(value).__name__}")
        if role is not None and not isinstance(role, str):
            raise ArgumentTypeError(f"role must be a str or None, not {type(role).__name__}")
        return self._handle.may_access(
            _args.encode_name(purpose_id), _args.encode_name(team), _args.encode_name(role or "")
        )

    def visible_purposes(self, *, team: str, role: Optional[str] = None) -> Tuple[Purpose, ...]:
        """The purposes whose data a team member may see (see
        :meth:`may_access`), in file order."""
        if not isinstance(team, str) or not (role is None or isinstance(role, str)):
            raise ArgumentTypeError("team must be a str and role a str or None")
        return self._by_ids(
            self._handle.visible_purposes(_args.encode_name(team), _args.encode_name(role or ""))
        )

    def purposes_using(self, category: str) -> Tuple[Purpose, ...]:
        """The purposes that process data of a category: those listing the
        key itself, one of its ancestors or one of its descendants. A purpose
        listing "health" uses "health.diagnosis"; one listing only
        "health.diagnosis" uses "health" data too. In file order."""
        if not isinstance(category, str):
            raise ArgumentTypeError(f"category must be a str, not {type(category).__name__}")
        return self._by_ids(self._handle.purposes_using(_args.encode_name(category)))

    def _by_ids(self, ids: List[str]) -> Tuple[Purpose, ...]:
        index = self._index()
        return tuple(index[i] for i in ids)

    # -- The record of processing --------------------------------------------

    def purposes_frame(self, *, lang: str = "en") -> "pandas.DataFrame":
        """The record of processing activities (Art. 30(1)) as a pandas
        DataFrame, one row per purpose in file order.

        Columns: ``id``, ``title``, ``description``, ``basis`` (codes),
        ``basis_titles`` (built-in ones in `lang`, "en" or "da"; declared
        references as written), ``categories``, ``special_categories`` (Art. 9(1)
        data), ``criminal_data`` (Art. 10), ``national_id`` (CPR numbers),
        ``data_subjects``, ``recipients`` (every recipient's name),
        ``processors`` (those that are processors), ``teams`` (granted
        access), ``retention`` (rule id or None), ``retention_description``,
        ``line``. List-like cells are tuples of str; a missing retention
        rule is a missing value (``pandas.isna``). Unknown basis codes get an
        empty title, unknown categories no marking; :meth:`validate` reports
        both.
        """
        pd = _optional.pandas("Policy.purposes_frame")

        columns = [
            "id",
            "title",
            "description",
            "basis",
            "basis_titles",
            "categories",
            "special_categories",
            "criminal_data",
            "national_id",
            "data_subjects",
            "recipients",
            "processors",
            "teams",
            "retention",
            "retention_description",
            "line",
        ]
        categories = {c.key: c for c in self.categories}
        rules = self._cached("rules_by_id", lambda: _first_by(self.retention_rules, "id"))
        title_of = self._basis_titles(_args.language(lang))

        rows = []
        for p in self.purposes:
            marks = [categories[k] for k in p.categories if k in categories]
            rule = rules.get(p.retention) if p.retention else None
            rows.append(
                [
                    p.id,
                    p.title,
                    p.description,
                    p.basis,
                    tuple(title_of(c) for c in p.basis),
                    p.categories,
                    any(c.special for c in marks),
                    any(c.criminal for c in marks),
                    any(c.national_id for c in marks),
                    p.data_subjects,
                    tuple(r.name for r in p.recipients),
                    p.processors,
                    p.teams,
                    p.retention,
                    rule.description if rule is not None else None,
                    p.line,
                ]
            )
        frame: pandas.DataFrame = pd.DataFrame(rows, columns=columns)
        for c in ("special_categories", "criminal_data", "national_id"):
            frame[c] = frame[c].astype(bool)
        frame["line"] = frame["line"].astype("Int64")
        return frame

    def to_frame(self, *, lang: str = "en") -> "pandas.DataFrame":
        """The older name of :meth:`purposes_frame` (kept as an alias)."""
        return self.purposes_frame(lang=lang)

    # -- Displays ------------------------------------------------------------

    def to_html(self, *, lang: str = "en") -> str:
        """The policy as HTML, as Jupyter shows it: the controller and counts,
        a table of purposes with their legal bases and the rights that apply
        (codes), the titles of the bases used, then the findings (errors
        first) with severity, code, title and where. Titles in `lang` ("en"
        or "da"); messages stay English. Everything from the policy file is
        escaped."""
        return _policy_display.policy_html(self, _args.language(lang))

    def display(self, *, lang: str = "en") -> "_policy_display.Html":
        """An object Jupyter shows as :meth:`to_html` in `lang`:
        ``policy.display(lang="da")`` as a cell's last line."""
        return _policy_display.Html(self.to_html(lang=lang), repr(self))

    def _repr_html_(self) -> str:
        return self.to_html()

    # -- Immutability --------------------------------------------------------

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"gdprkit.Policy is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"gdprkit.Policy is immutable; cannot delete {name!r}")

    def __copy__(self) -> "Policy":
        return self  # immutable: a copy would be the same

    def __deepcopy__(self, memo: Dict[int, Any]) -> "Policy":
        return self

    def __reduce_ex__(self, protocol: Any) -> NoReturn:
        raise TypeError(
            "a gdprkit.Policy cannot be pickled; pickle its source text and call "
            "gdprkit.Policy.from_text() on the other side"
        )

    def __reduce__(self) -> NoReturn:
        self.__reduce_ex__(None)

    def __repr__(self) -> str:
        n = len(self.purposes)
        return f"<gdprkit.Policy {self.source_name!r}: {n} purpose{'s' if n != 1 else ''}>"
