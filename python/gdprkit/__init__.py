"""gdprkit: GDPR primitives for Danish health-sector software.

Lawful-basis tagging for data consultants working in Python: load a policy
(the controller's record of processing activities), validate its legal bases,
ask which data-subject rights apply and who may see what, and get the record as
pandas DataFrames.

>>> import gdprkit
>>> policy = gdprkit.Policy.load("examples/policies/practio.textproto")
>>> [f.code for f in policy.validate() if f.severity == "error"][:1]
['special-category-without-condition']
>>> "A17" in policy.rights("patient-record")   # Art. 17(3)(b): record-keeping law
False
>>> policy.purposes_frame()[["id", "basis"]].head(2)  # doctest: +SKIP

Errors are :class:`gdprkit.Error` subclasses that are also the matching
built-in exceptions (:class:`InvalidArgumentError` is a :class:`ValueError`,
:class:`NotFoundError` a :class:`KeyError`, ...). Every public function checks
its arguments first: a value of the wrong type raises
:class:`ArgumentTypeError` (an :class:`InvalidArgumentError` and a
``TypeError``); an int out of range, text with a lone surrogate or a NUL
character, a path with a NUL byte raise :class:`InvalidArgumentError` naming
the argument. The C++ core does the work; see ``docs/policy.md`` for the
rules.
"""

from . import _gdprkit
from ._errors import (
    AbortedError,
    AlreadyExistsError,
    ArgumentTypeError,
    CancelledError,
    DataLossError,
    DeadlineExceededError,
    Error,
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    MissingDependencyError,
    NoSuchFileError,
    NotFoundError,
    OutOfRangeError,
    PermissionDeniedError,
    ResourceExhaustedError,
    UnauthenticatedError,
    UnavailableError,
    UnknownError,
    _from_status,
    error_class,
)

# Every failed status of the extension becomes one of the classes above, and
# an argument of the wrong type an ArgumentTypeError.
_gdprkit._register_errors(_from_status, ArgumentTypeError)

from . import consent, identifiers, release, requests, rules, scan  # noqa: E402
from .basis import (  # noqa: E402 - after the errors are registered
    DataCategory,
    FindingCode,
    LegalBasis,
    RightInfo,
    basis_title,
    builtin_categories,
    data_subject_rights,
    finding_codes,
    finding_title,
    legal_bases,
    legal_basis,
    right_title,
)
from .consent import ConsentLedger  # noqa: E402
from .identifiers import RejectedRows, validate_cpr  # noqa: E402
from .policy import (  # noqa: E402
    MAX_POLICY_BYTES,
    AccessGrant,
    BalancingTest,
    ConsentMechanism,
    Controller,
    Finding,
    LegalReference,
    Policy,
    Purpose,
    PurposeRights,
    Recipient,
    Release,
    ReleaseColumn,
    ReleaseExtract,
    ReleaseHierarchy,
    ReleaseRules,
    ReleaseTable,
    RetentionEvent,
    RetentionRule,
    RightAssessment,
    Source,
    Team,
)
from .release import (  # noqa: E402
    PreparedRelease,
    ReleaseCheck,
    ReleaseFinding,
    ReleaseLog,
    ReleaseLogEntry,
    ReleaseLogVerification,
    ReleaseReport,
)
from .requests import RequestRegister  # noqa: E402
from .retention import (  # noqa: E402
    DeletionLog,
    DeletionLogEntry,
    DeletionLogVerification,
    RetentionInputError,
    RetentionSchedule,
    SweepReport,
    add_period,
    sweep,
)
from .retention import report as sweep_report  # noqa: E402
from .scan import SCAN_KINDS, ScanCounts, redact_identifiers, scan_identifiers  # noqa: E402
from .suppression import (  # noqa: E402
    PUBLISHED_STATUSES,
    STATUSES,
    SuppressionAudit,
    SuppressionResult,
    audit_suppression,
    hierarchy_from_hrc,
    plot_suppressed,
    suppress,
)
from .vault import (  # noqa: E402
    AuditVerification,
    DomainInfo,
    ErasureReport,
    Pseudonymiser,
    Pseudonymizer,
    Vault,
    WrongPassphraseError,
)

#: The version of the gdprkit core this package was built from ("0.3.0").
__version__: str = _gdprkit.__version__

__all__ = [
    "__version__",
    # Errors.
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
    "DataLossError",
    "UnauthenticatedError",
    "MissingDependencyError",
    "error_class",
    # The vocabulary of the law.
    "LegalBasis",
    "RightInfo",
    "DataCategory",
    "legal_bases",
    "legal_basis",
    "basis_title",
    "data_subject_rights",
    "right_title",
    "builtin_categories",
    "FindingCode",
    "finding_codes",
    "finding_title",
    # Identifiers and the pseudonymisation vault.
    "identifiers",
    "validate_cpr",
    "RejectedRows",
    "Vault",
    "Pseudonymizer",
    "Pseudonymiser",
    "WrongPassphraseError",
    "DomainInfo",
    "ErasureReport",
    "AuditVerification",
    # Policies.
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
    "MAX_POLICY_BYTES",
    # What a policy lets leave (release rules).
    "Release",
    "ReleaseColumn",
    "ReleaseHierarchy",
    "ReleaseTable",
    "ReleaseExtract",
    "ReleaseRules",
    "release",
    "consent",
    "ConsentLedger",
    "requests",
    "RequestRegister",
    "ReleaseCheck",
    "ReleaseFinding",
    "PreparedRelease",
    "ReleaseReport",
    "ReleaseLog",
    "ReleaseLogEntry",
    "ReleaseLogVerification",
    # Identifiers in free text.
    "scan",
    "scan_identifiers",
    "redact_identifiers",
    "ScanCounts",
    "SCAN_KINDS",
    # Small-cell suppression.
    "suppress",
    "audit_suppression",
    "hierarchy_from_hrc",
    "plot_suppressed",
    "SuppressionResult",
    "SuppressionAudit",
    "STATUSES",
    "PUBLISHED_STATUSES",
    "rules",
    # Retention.
    "add_period",
    "sweep",
    "sweep_report",
    "SweepReport",
    "RetentionSchedule",
    "RetentionInputError",
    "DeletionLog",
    "DeletionLogEntry",
    "DeletionLogVerification",
]
