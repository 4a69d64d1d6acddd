"""Primary suppression rules as objects, for :func:`gdprkit.suppress`.

>>> from gdprkit import rules
>>> rules.threshold(5)
threshold(5)
>>> rules.threshold(5) & rules.dominance(n=2, k=85)
threshold(5) & dominance(n=2, k=85)

A rule is a small frozen value; ``&`` (or a list) combines rules, and
``suppress(df, ..., rules=...)`` takes one rule, a combination or a list.
Without ``rules=`` the flat arguments (``threshold=``, ``dominance=``,
``p_percent=``, ...) say the same. A rule given both ways must say the same
thing both ways; a conflict is an :class:`gdprkit.InvalidArgumentError`.
The core checks the parameters (a k outside (0, 100], a negative threshold)
and names the one at fault.

The rules (``docs/suppression.md`` has the protection each asks for):

* :func:`threshold` ``(k)``: a cell with 0 < count (contributors) < k is
  primary; with ``hides_presence=True`` the attacker must not be able to
  prove it is non-empty either.
* :func:`dominance` ``(n, k)``: magnitude tables; the n largest
  contributions make up more than k % of the cell.
* :func:`p_percent` ``(p, q=100)``: magnitude tables; the p% rule.
* :func:`zero` ``(upper=1)``: zero cells are primary (nobody may learn that
  a cell is empty).
* :func:`manual` ``(percent=10)``: the protection of cells marked "unsafe"
  in the ``mark=`` column that give no levels of their own.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Tuple, Union

from . import _args
from ._errors import ArgumentTypeError, InvalidArgumentError

__all__ = [
    "Rule",
    "Rules",
    "RulesArg",
    "threshold",
    "dominance",
    "p_percent",
    "zero",
    "manual",
]


class Rule(ABC):
    """A primary suppression rule; combine rules with ``&``. Each rule says
    which of ``suppress``'s rule fields it sets (:meth:`_apply`)."""

    def __and__(self, other: "RulesArg") -> "Rules":
        return Rules(tuple(_flatten(self) + _flatten(other)))

    def __rand__(self, other: "RulesArg") -> "Rules":
        return Rules(tuple(_flatten(other) + _flatten(self)))

    @abstractmethod
    def _apply(self, fields: Dict[str, Any]) -> None:
        """Sets this rule's fields of ``suppress`` in `fields`."""


@dataclass(frozen=True, repr=False)
class Threshold(Rule):
    """A cell with 0 < count < ``k`` is primary."""

    k: int
    hides_presence: bool = False

    def __repr__(self) -> str:
        return f"threshold({self.k}{', hides_presence=True' if self.hides_presence else ''})"

    def _apply(self, fields: Dict[str, Any]) -> None:
        fields["threshold"] = self.k
        fields["threshold_hides_presence"] = self.hides_presence


@dataclass(frozen=True, repr=False)
class Dominance(Rule):
    """(n, k)-dominance: the ``n`` largest contributions exceed ``k`` %."""

    n: int
    k: float

    def __repr__(self) -> str:
        return f"dominance(n={self.n}, k={self.k:g})"

    def _apply(self, fields: Dict[str, Any]) -> None:
        fields["dominance"] = list(fields.get("dominance", [])) + [(self.n, self.k)]


@dataclass(frozen=True, repr=False)
class PPercent(Rule):
    """The p% rule (with prior knowledge q %)."""

    p: float
    q: float = 100.0

    def __repr__(self) -> str:
        return f"p_percent({self.p:g}{'' if self.q == 100 else f', q={self.q:g}'})"

    def _apply(self, fields: Dict[str, Any]) -> None:
        fields["p_percent"] = self.p
        fields["q_percent"] = self.q


@dataclass(frozen=True, repr=False)
class Zero(Rule):
    """Zero cells are primary, with upper protection ``upper``."""

    upper: float = 1.0

    def __repr__(self) -> str:
        return "zero()" if self.upper == 1 else f"zero(upper={self.upper:g})"

    def _apply(self, fields: Dict[str, Any]) -> None:
        fields["protect_zeros"] = True
        fields["zero_upper"] = self.upper


@dataclass(frozen=True, repr=False)
class Manual(Rule):
    """The protection of cells marked "unsafe" without levels of their own:
    ``percent`` % of the value both ways."""

    percent: float = 10.0

    def __repr__(self) -> str:
        return "manual()" if self.percent == 10 else f"manual(percent={self.percent:g})"

    def _apply(self, fields: Dict[str, Any]) -> None:
        fields["manual_percent"] = self.percent


@dataclass(frozen=True, repr=False)
class Rules(Rule):
    """Several rules, applied together (a cell is primary when any rule says
    so; its protection is the largest each asks for)."""

    rules: Tuple[Rule, ...]

    def __repr__(self) -> str:
        return " & ".join(repr(r) for r in self.rules) if self.rules else "Rules(())"

    def _apply(self, fields: Dict[str, Any]) -> None:
        for r in self.rules:
            r._apply(fields)


#: What ``rules=`` accepts: a rule, a combination, or a sequence of them.
RulesArg = Union[Rule, Iterable[Rule]]


def _flatten(rules: Any) -> List[Rule]:
    if isinstance(rules, Rules):
        return list(rules.rules)
    if isinstance(rules, Rule):
        return [rules]
    if isinstance(rules, (str, bytes)) or not isinstance(rules, Iterable):
        raise ArgumentTypeError(
            f"rules must be a rule of gdprkit.rules, a combination (&) or a list of them, not "
            f"{type(rules).__name__}")
    out: List[Rule] = []
    for r in rules:
        out.extend(_flatten(r))
    return out


def fields_of(rules: RulesArg) -> Dict[str, Any]:
    """The rules as the core's rule fields (gdprkit/suppression.h's
    PrimaryRules): only what the rules say (no "threshold" without a
    threshold rule). A rule given twice with different parameters (two
    thresholds) is an InvalidArgumentError."""
    fields: Dict[str, Any] = {}
    seen: Dict[type, Rule] = {}
    for r in _flatten(rules):
        if not isinstance(r, Dominance):
            other = seen.setdefault(type(r), r)
            if other != r:
                raise InvalidArgumentError(f"rules give {other!r} and {r!r}; give one")
        r._apply(fields)
    return fields


def threshold(k: int = 5, *, hides_presence: bool = False) -> Threshold:
    """The threshold rule: a cell with 0 < count (contributors) < ``k`` is
    primary, protected when the attacker cannot prove it is below ``k``."""
    return Threshold(_args.integer(k, "threshold k", 0, _args.INT32_MAX),
                     _args.flag(hides_presence, "hides_presence"))


def dominance(n: int = 1, k: float = 80.0) -> Dominance:
    """(n, k)-dominance (magnitude tables): primary when the ``n`` largest
    contributions are more than ``k`` % of the cell."""
    return Dominance(_args.integer(n, "dominance n", 1, _args.INT32_MAX),
                     _args.number(k, "dominance k", 0.0, 100.0))


def p_percent(p: float, q: float = 100.0) -> PPercent:
    """The p% rule (magnitude tables): primary when the second largest
    contributor could estimate the largest to within ``p`` %; ``q`` is the
    prior knowledge (100: none)."""
    return PPercent(_args.number(p, "p_percent p", 0.0), _args.number(q, "p_percent q", 0.0))


def zero(upper: float = 1.0) -> Zero:
    """Zero cells are primary: the attacker must not be able to prove a cell
    is empty (it could hold ``upper``)."""
    return Zero(_args.number(upper, "zero upper", 0.0))


def manual(percent: float = 10.0) -> Manual:
    """Cells marked "unsafe" (``mark=`` column) are primary; without levels
    of their own they need ``percent`` % of their value both ways."""
    return Manual(_args.number(percent, "manual percent", 0.0))
