"""The vocabulary of the law: legal bases, data-subject rights, data categories.

Codes follow the W3C Data Privacy Vocabulary's GDPR identifiers (``A6-1-a`` ...
``A6-1-f``, ``A9-2-a`` ... ``A9-2-j``, ``A9-3``, ``A10``; rights ``A13`` ...
``A22`` and ``A7-3``), extended with Danish codes for the
Databeskyttelsesloven (``DK-DBL-<paragraf>-<stk.>[-<nr.>]``). The registries
are those of the C++ core (``include/gdprkit/basis.h``); nothing here is
re-implemented.

>>> import gdprkit
>>> gdprkit.basis_title("A6-1-f")
'Art. 6(1)(f) GDPR: legitimate interests of the controller or a third party'
>>> titles = dict(gdprkit.legal_bases())
>>> titles["A10"].split(":")[0]
'Art. 10 GDPR'
>>> gdprkit.legal_basis("A6-1-f").effects
('lawful', 'legitimate_interest')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, NamedTuple, Tuple

from . import _args, _gdprkit
from ._errors import ArgumentTypeError

__all__ = [
    "LegalBasis",
    "RightInfo",
    "DataCategory",
    "legal_bases",
    "legal_basis",
    "basis_title",
    "data_subject_rights",
    "right_title",
    "builtin_categories",
]

# The registries, read once from the core: (code, title, kind, effects).
_BASES: Tuple[Tuple[str, str, str, Tuple[str, ...]], ...] = tuple(
    (code, title, kind, tuple(effects)) for code, title, kind, effects in _gdprkit.legal_bases()
)
_BASIS_BY_CODE: Dict[str, Tuple[str, str, str, Tuple[str, ...]]] = {b[0]: b for b in _BASES}
_RIGHTS: Tuple[Tuple[str, str], ...] = tuple(
    (code, title) for code, title in _gdprkit.right_catalogue()
)
_RIGHT_BY_CODE: Dict[str, str] = dict(_RIGHTS)

# The extension, for the functions of bindings/python/module.cc that
# _gdprkit.pyi does not list yet (the core's lookups and names).
_EXT: Any = _gdprkit

# The names of every vocabulary of the policy area, from the core
# (``include/gdprkit/basis.h``, ``include/gdprkit/policy.h``): severities,
# recipient kinds, erasure exceptions, controller roles, retention actions,
# basis kinds and effects, category markings and policy formats.
_VOCABULARIES: Dict[str, Tuple[str, ...]] = {
    name: tuple(names) for name, names in _EXT.policy_names().items()
}


class LegalBasis(NamedTuple):
    """A built-in legal basis: unpacks as a ``(code, title)`` pair.

    Attributes:
        code: the stable code ("A6-1-b", "DK-DBL-11-2-1").
        title: the provision, paraphrased, with its article.
    """

    code: str
    title: str

    @property
    def kind(self) -> str:
        """What the code is: "art6", "art9", "art10" or "national"."""
        return _BASIS_BY_CODE[self.code][2]

    @property
    def effects(self) -> Tuple[str, ...]:
        """What the basis grounds, as names: "lawful" (an Art. 6(1) basis),
        "special_condition", "criminal", "national_id", "consent", "contract",
        "legal_obligation", "public_task", "legitimate_interest",
        "vital_interest", "public_health", "archiving", "legal_claims",
        "safeguard"."""
        return _BASIS_BY_CODE[self.code][3]


class RightInfo(NamedTuple):
    """A data-subject right: unpacks as a ``(code, title)`` pair ("A17",
    "Art. 17: right to erasure")."""

    code: str
    title: str


@dataclass(frozen=True)
class DataCategory:
    """A data category: built in or declared by a policy.

    Attributes:
        key: dotted path ("health.diagnosis"); a parent key covers its children.
        title: human title.
        description: description (declared categories only; else "").
        special: an Art. 9(1) special category (health, genetic, ...).
        criminal: Art. 10 data on criminal convictions and offences.
        national_id: a national identification number (CPR, DBL § 11).
        builtin: True for the categories of gdprkit itself.
    """

    key: str
    title: str
    description: str = ""
    special: bool = False
    criminal: bool = False
    national_id: bool = False
    builtin: bool = False


def legal_bases() -> List[LegalBasis]:
    """Every built-in legal basis, in the order of the Regulation and then the
    Databeskyttelsesloven.

    Each item unpacks as ``(code, title)``, so ``dict(gdprkit.legal_bases())``
    maps codes to titles; ``.kind`` and ``.effects`` say more. Sector law
    (Sundhedsloven § 42 d, BEK 530/2018, ...) is not built in: policies declare
    it in ``references`` (see :attr:`gdprkit.Policy.references`).
    """
    return [LegalBasis(code, title) for code, title, _, _ in _BASES]


def legal_basis(code: str) -> LegalBasis:
    """The built-in legal basis with this code (exact match).

    Raises:
        ArgumentTypeError: ``code`` is not a str (also a :class:`TypeError`).
        NotFoundError: no built-in basis has the code; the message names the
            nearest codes. (Also a :class:`KeyError`.)
    """
    if not isinstance(code, str):
        raise ArgumentTypeError(f"legal-basis code must be a str, not {type(code).__name__}")
    b = _BASIS_BY_CODE.get(code)
    if b is None:  # the core raises NotFoundError, naming the nearest codes
        b = _BASES[int(_EXT.legal_basis_index(_args.encode_name(code)))]
    return LegalBasis(b[0], b[1])


def basis_title(code: str) -> str:
    """The title of a built-in legal-basis code.

    >>> gdprkit.basis_title("A6-1-b")
    'Art. 6(1)(b) GDPR: performance of a contract with the data subject'

    For codes a policy declares, use :meth:`gdprkit.Policy.basis_title`.

    Raises:
        ArgumentTypeError: ``code`` is not a str (also a :class:`TypeError`).
        NotFoundError: the code is not built in (also a :class:`KeyError`).
    """
    return legal_basis(code).title


def data_subject_rights() -> List[RightInfo]:
    """The data-subject rights gdprkit assesses, in the order of the
    Regulation: A13, A14, A15, A16, A17, A18, A19, A20, A21, A22, A7-3. Each
    unpacks as ``(code, title)``."""
    return [RightInfo(code, title) for code, title in _RIGHTS]


def right_title(code: str) -> str:
    """The title of a right code ("A20" -> "Art. 20: right to data portability").

    Raises:
        ArgumentTypeError: ``code`` is not a str (also a :class:`TypeError`).
        NotFoundError: unknown right code (also a :class:`KeyError`).
    """
    if not isinstance(code, str):
        raise ArgumentTypeError(f"right code must be a str, not {type(code).__name__}")
    title = _RIGHT_BY_CODE.get(code)
    if title is None:  # the core raises NotFoundError, naming the nearest codes
        title = _RIGHTS[int(_EXT.right_index(_args.encode_name(code)))][1]
    return title


def builtin_categories() -> Tuple[DataCategory, ...]:
    """The built-in data categories, parents before children, with their
    markings (special, criminal, national_id). Policies may declare children
    ("health.blood_pressure") and new roots."""
    return tuple(
        DataCategory(
            key=key,
            title=title,
            special=special,
            criminal=criminal,
            national_id=national_id,
            builtin=True,
        )
        for key, title, special, criminal, national_id in _gdprkit.builtin_categories()
    )
