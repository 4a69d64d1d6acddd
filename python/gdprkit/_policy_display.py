"""The displays of the policy area: one-line ``repr`` and the HTML Jupyter
shows for a :class:`gdprkit.Policy`, a purpose, a finding and a purpose's
rights.

A policy holds nothing secret, but its file is caller text: everything from
it goes through ``_display.escape`` (inside ``_display.table`` and
``_display.block``). Titles come from the core's tables in the language asked
for; the words around them (column heads) are the package's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from . import _display
from .basis import _bases, _titles, finding_title

if TYPE_CHECKING:  # the displayed classes import this module
    from .policy import Finding, Policy, Purpose, Release, RightAssessment


class Html:
    """What :meth:`gdprkit.Policy.display` returns: shown as `html` by
    Jupyter, as `text` elsewhere."""

    __slots__ = ("html", "text")

    def __init__(self, html: str, text: str) -> None:
        self.html = html
        self.text = text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


# -- One-line reprs (counts and codes; ids and file names are the policy's) --


def purpose_repr(p: "Purpose") -> str:
    return _display.one_line(
        "Purpose", id=p.id, basis=p.basis, categories=len(p.categories),
        retention=p.retention)


def finding_repr(f: "Finding") -> str:
    return _display.one_line(
        "Finding", severity=f.severity, code=f.code, purpose=f.purpose_id, line=f.line)


def assessment_repr(a: "RightAssessment") -> str:
    return _display.one_line("RightAssessment", code=a.code, applies=a.applies)


def purpose_rights_repr(purpose_id: str, rights: Sequence["RightAssessment"]) -> str:
    return _display.one_line(
        "PurposeRights", purpose=purpose_id, applies=tuple(a.code for a in rights if a.applies))


def release_repr(r: "Release") -> str:
    return _display.one_line(
        "Release", id=r.id, purpose=r.purpose, shape=r.shape, columns=len(r.columns),
        max_age=r.max_age)


# -- HTML ---------------------------------------------------------------------


def _builtin_title(lang: str) -> Callable[[str], str]:
    titles = {code: title for code, title, _, _ in _bases(lang)}
    return lambda code: titles.get(code, "")


def _where(f: "Finding") -> str:
    where = f"{f.file}:{f.line}" if f.line else f.file
    return f"{where} (purpose {f.purpose_id})" if f.purpose_id else where


def findings_html(findings: Sequence["Finding"], lang: str) -> str:
    """The findings as a table, in the order given (validation's: errors
    first), severity and title in `lang`."""
    if not findings:
        return "<p>No findings.</p>"
    severity = _titles("severity", lang)
    rows = [
        (severity.get(f.severity, f.severity), f.code, finding_title(f.code, lang=lang),
         _where(f), f.message)
        for f in findings
    ]
    return _display.table(["severity", "code", "title", "where", "message"], rows)


def rights_html(rights: Sequence["RightAssessment"], purpose_id: Optional[str]) -> str:
    """The assessments as a table (their titles are in the language they
    were made in)."""
    rows = [(a.code, a.title, "yes" if a.applies else "no", a.reason) for a in rights]
    table = _display.table(["right", "title", "applies", "reason"], rows)
    if purpose_id is None:
        return table
    applying = sum(a.applies for a in rights)
    return _display.block(
        "Rights", f"of purpose {purpose_id}: {applying} of {len(rights)} apply", table)


def purpose_html(p: "Purpose", policy: "Optional[Policy]", lang: str) -> str:
    """One purpose: its fields and, when it was read from `policy`, the titles
    of the references it declares and the rights that apply."""
    title_of = policy._basis_titles(lang) if policy is not None else _builtin_title(lang)
    rows: List[Tuple[str, str]] = [
        ("basis", "; ".join(f"{c}: {title_of(c)}" if title_of(c) else c for c in p.basis)),
        ("categories", ", ".join(p.categories)),
        ("data subjects", ", ".join(p.data_subjects)),
        ("retention", p.retention or ""),
        ("recipients", ", ".join(r.name for r in p.recipients)),
        ("teams", ", ".join(p.teams)),
    ]
    if p.role != "controller":
        rows.append(("role", f"{p.role} (controller: {p.controller_of_data})"))
    if p.erasure_exceptions:
        exceptions = _titles("erasure_exception", lang)
        rows.append(("erasure exceptions",
                     "; ".join(exceptions.get(e, e) for e in p.erasure_exceptions)))
    if policy is not None and p.id in policy:
        rows.append(("rights", ", ".join(policy.rights_detail(p.id, lang=lang).applying)))
    summary = f"{p.id}: {p.title}" if p.title else p.id
    return _display.block("Purpose", summary, _display.table(["", ""], rows))


def policy_html(policy: "Policy", lang: str) -> str:
    """The policy: controller and counts, purposes x bases x rights, the
    titles of the bases used, and the findings (errors first)."""
    purposes = policy.purposes
    findings = policy.validate()
    counts: Dict[str, int] = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    controller = policy.controller.name
    summary = "; ".join(
        part for part in (
            policy.source_name,
            f"controller {controller}" if controller else "",
            _display.plural(len(purposes), "purpose"),
            ", ".join(_display.plural(counts[s], s) for s in ("error", "warning", "info")),
        ) if part)

    applying = {pid: [a[0] for a in assessments if a[2]]
                for pid, assessments in policy._handle.rights_matrix(lang)}
    rows = [(p.id, p.title, ", ".join(p.basis), ", ".join(applying.get(p.id, ())))
            for p in purposes]
    parts = [_display.table(["purpose", "title", "basis", "rights that apply"], rows,
                            caption="Purposes")]

    title_of = policy._basis_titles(lang)
    used: Iterable[str] = dict.fromkeys(c for p in purposes for c in p.basis)
    parts.append(_display.table(["basis", "title"], [(c, title_of(c)) for c in used],
                                caption="Legal bases"))
    parts.append(findings_html(findings, lang))
    return _display.block("gdprkit.Policy", summary, *parts)


def treatment_titles(lang: str) -> Dict[str, str]:
    """{treatment name: title} in `lang`, from the core's table."""
    return _titles("column_treatment", lang)


def release_html(r: "Release", lang: str) -> str:
    """One release: its columns (treatment titles in `lang`) and what leaves."""
    titles = treatment_titles(lang)
    rows: List[Tuple[str, ...]] = []
    for c in r.columns:
        details = [f"kind {c.kind}" if c.kind else "", f"domain {c.domain}" if c.domain else "",
                   f"hierarchy {c.hierarchy}" if c.hierarchy else "",
                   f"level {c.level}" if c.level is not None else "",
                   "free text" if c.free_text else ""]
        rows.append((c.name, titles.get(c.treatment, c.treatment),
                     ", ".join(d for d in details if d)))
    parts = [_display.table(["column", "treatment", ""], rows)]
    facts: List[Tuple[str, str]] = [("purpose", r.purpose)]
    if r.table is not None:
        facts.append(("table", " x ".join(
            f"{c} ({h})" if h else c for c, h in r.table.dimensions)))
        facts.append(("value", r.table.value or "count of rows"))
    if r.extract is not None:
        facts.append(("quasi-identifiers", ", ".join(r.extract.quasi_identifiers)))
        facts.append(("k", "" if r.extract.k is None else str(r.extract.k)))
    if r.rules is not None and r.rules.threshold is not None:
        facts.append(("threshold", str(r.rules.threshold)))
    if r.max_age or r.date_column:
        facts.append(("max age", f"{r.max_age} over {r.date_column}"))
    parts.append(_display.table(["", ""], facts))
    summary = f"{r.id}: {r.title}" if r.title else r.id
    return _display.block("Release", summary, *parts)
