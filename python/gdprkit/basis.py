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

Every title comes in English (the default) and in Danish, from the core's one
table of titles, as every other door prints them; the codes are the same in
both:

>>> gdprkit.basis_title("A6-1-c", lang="da")
'Art. 6, stk. 1, litra c: retlig forpligtelse'
>>> gdprkit.right_title("A17", lang="da")
'Art. 17: Ret til sletning'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, NamedTuple, Tuple

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
    "FindingCode",
    "finding_codes",
    "finding_title",
    "builtin_categories",
]

_Row = Tuple[Any, ...]

# The core's tables, with their titles in each language, read once per
# language: (code, title, kind, effects) of the legal bases, (code, title) of
# the rights, (code, severity, title) of the finding codes.
_FETCH: Dict[str, Callable[[str], List[Any]]] = {
    "bases": _gdprkit.legal_bases,
    "rights": _gdprkit.right_catalogue,
    "findings": _gdprkit.finding_codes,
}
_TABLES: Dict[Tuple[str, str], Tuple[_Row, ...]] = {}
_TITLES_BY_LANG: Dict[str, Dict[str, Dict[str, str]]] = {}


def _table(name: str, lang: str = "en") -> Tuple[_Row, ...]:
    """The core's table `name` with titles in the canonical language `lang`."""
    key = (name, lang)
    if key not in _TABLES:
        _TABLES[key] = tuple(
            tuple(tuple(v) if isinstance(v, list) else v for v in row)
            for row in _FETCH[name](lang))
    return _TABLES[key]


def _titles(vocabulary: str, lang: str = "en") -> Dict[str, str]:
    """{name: title} of a policy vocabulary with titles ("severity",
    "erasure_exception") in the canonical language `lang`."""
    if lang not in _TITLES_BY_LANG:
        _TITLES_BY_LANG[lang] = _gdprkit.policy_titles(lang)
    return _TITLES_BY_LANG[lang][vocabulary]


def _bases(lang: str = "en") -> Tuple[_Row, ...]:
    return _table("bases", lang)


# Positions of the codes in each table (the same in every language).
_INDEX: Dict[str, Dict[str, int]] = {
    name: {row[0]: i for i, row in enumerate(_table(name))} for name in _FETCH
}
_BASIS_BY_CODE: Dict[str, _Row] = {b[0]: b for b in _bases()}


def _row(name: str, code: object, what: str, lang: str, core_index: Callable[[bytes], int]) -> _Row:
    """The row of `code` in table `name` with titles in `lang`; the core's
    NotFoundError (naming the nearest codes) for an unknown code."""
    if not isinstance(code, str):
        raise ArgumentTypeError(f"{what} must be a str, not {type(code).__name__}")
    rows = _table(name, _args.language(lang))
    index = _INDEX[name].get(code)
    if index is None:
        index = int(core_index(_args.encode_name(code)))
    return rows[index]


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
        return str(_BASIS_BY_CODE[self.code][2])

    @property
    def effects(self) -> Tuple[str, ...]:
        """What the basis grounds, as names: "lawful" (an Art. 6(1) basis),
        "special_condition", "criminal", "national_id", "consent", "contract",
        "legal_obligation", "public_task", "legitimate_interest",
        "vital_interest", "public_health", "archiving", "legal_claims",
        "safeguard"."""
        return tuple(_BASIS_BY_CODE[self.code][3])


class RightInfo(NamedTuple):
    """A data-subject right: unpacks as a ``(code, title)`` pair ("A17",
    "Art. 17: right to erasure")."""

    code: str
    title: str


class FindingCode(NamedTuple):
    """A kind of finding :meth:`gdprkit.Policy.validate` reports: its stable
    code, the severity it always has, and a short title ("missing-art6-basis",
    "error", "No Art. 6(1) basis")."""

    code: str
    severity: str
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


def legal_bases(*, lang: str = "en") -> List[LegalBasis]:
    """Every built-in legal basis, in the order of the Regulation and then the
    Databeskyttelsesloven, with titles in `lang` ("en", the default, or "da").

    Each item unpacks as ``(code, title)``, so ``dict(gdprkit.legal_bases())``
    maps codes to titles; ``.kind`` and ``.effects`` say more. Sector law
    (Sundhedsloven § 42 d, BEK 530/2018, ...) is not built in: policies declare
    it in ``references`` (see :attr:`gdprkit.Policy.references`).

    Raises:
        InvalidArgumentError: `lang` is not a language gdprkit knows.
    """
    return [LegalBasis(code, title) for code, title, _, _ in _bases(_args.language(lang))]


def legal_basis(code: str, *, lang: str = "en") -> LegalBasis:
    """The built-in legal basis with this code (exact match), its title in
    `lang`.

    Raises:
        ArgumentTypeError: ``code`` is not a str (also a :class:`TypeError`).
        NotFoundError: no built-in basis has the code; the message names the
            nearest codes. (Also a :class:`KeyError`.)
        InvalidArgumentError: `lang` is not a language gdprkit knows.
    """
    b = _row("bases", code, "legal-basis code", lang, _EXT.legal_basis_index)
    return LegalBasis(b[0], b[1])


def basis_title(code: str, *, lang: str = "en") -> str:
    """The title of a built-in legal-basis code in `lang` ("en" or "da").

    >>> gdprkit.basis_title("A6-1-b")
    'Art. 6(1)(b) GDPR: performance of a contract with the data subject'

    For codes a policy declares, use :meth:`gdprkit.Policy.basis_title`.

    Raises:
        ArgumentTypeError: ``code`` is not a str (also a :class:`TypeError`).
        NotFoundError: the code is not built in (also a :class:`KeyError`).
        InvalidArgumentError: `lang` is not a language gdprkit knows.
    """
    return legal_basis(code, lang=lang).title


def data_subject_rights(*, lang: str = "en") -> List[RightInfo]:
    """The data-subject rights gdprkit assesses, in the order of the
    Regulation: A13, A14, A15, A16, A17, A18, A19, A20, A21, A22, A7-3. Each
    unpacks as ``(code, title)``, the title in `lang` ("en" or "da")."""
    return [RightInfo(code, title) for code, title in _table("rights", _args.language(lang))]


def right_title(code: str, *, lang: str = "en") -> str:
    """The title of a right code in `lang` ("A20" -> "Art. 20: right to data
    portability"; with ``lang="da"``: "Art. 20: Ret til dataportabilitet").

    Raises:
        ArgumentTypeError: ``code`` is not a str (also a :class:`TypeError`).
        NotFoundError: unknown right code (also a :class:`KeyError`).
        InvalidArgumentError: `lang` is not a language gdprkit knows.
    """
    return str(_row("rights", code, "right code", lang, _EXT.right_index)[1])


def finding_codes(*, lang: str = "en") -> List[FindingCode]:
    """Every kind of finding :meth:`gdprkit.Policy.validate` reports
    (``docs/policy.md``): code, severity and a short title in `lang`, errors
    first, then warnings, then infos."""
    return [FindingCode(*f) for f in _table("findings", _args.language(lang))]


def finding_title(code: str, *, lang: str = "en") -> str:
    """The short title of a finding code in `lang` ("missing-art6-basis" ->
    "No Art. 6(1) basis"; with ``lang="da"``: "Intet behandlingsgrundlag efter
    art. 6, stk. 1"). A finding's message stays English.

    Raises:
        ArgumentTypeError: ``code`` is not a str (also a :class:`TypeError`).
        NotFoundError: unknown finding code (also a :class:`KeyError`).
        InvalidArgumentError: `lang` is not a language gdprkit knows.
    """
    return str(_row("findings", code, "finding code", lang, _EXT.finding_code_index)[2])


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
