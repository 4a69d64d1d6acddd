"""Odd arguments raise gdprkit errors (issue #9, item 11).

Every public function of the package is called with its arguments valid but
one, which is replaced by an odd value: a negative or huge int, a lone
surrogate, a NUL character, a float (NaN, infinite, fractional), None, bytes.
The call must either work (some odd values are fine: bytes where bytes are
accepted) or raise a :class:`gdprkit.Error`: :class:`gdprkit.ArgumentTypeError`
(an InvalidArgumentError and a TypeError) for a wrong type,
:class:`gdprkit.InvalidArgumentError` for a value out of range. Never pybind11's
``TypeError: incompatible function arguments`` (which shows the arguments'
values), ``RuntimeError: Unable to cast``, ``UnicodeEncodeError`` or
``OverflowError``.

Retention (add_period, sweep, RetentionSchedule, DeletionLog) is covered by
its own module and is not called here.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pandas as pd
import pytest

import gdprkit
from gdprkit import Vault
from conftest import POLICIES, SAMPLE

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PW = "correct horse battery staple"
DOMAIN = "klynge-aarhus-2026"
OTHER = "kapsel-datakonsulenter"
CPR = ["010203-1234", "311299-1234"]

_surrogate = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
ODD: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from([-1, -(2**31) - 1, 2**31, 2**32, 2**63, 2**64, 10**18, 10**30, -(10**30)]),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.builds(lambda a, s, b: a + s + b, st.text(max_size=4), _surrogate, st.text(max_size=4)),
    st.builds(lambda a, b: a + "\0" + b, st.text(max_size=4), st.text(max_size=4)),
    st.sampled_from([0.5, -1.0, 5.0, float("nan"), float("inf"), float("-inf"), 1e308]),
    st.none(),
    st.binary(max_size=6),
    st.sampled_from([b"\0", b"\xff\xfe", True, [], {}, object()]),
)
FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@contextlib.contextmanager
def in_temp_dir() -> Iterator[str]:
    """Relative paths (bytes or str from the strategy) land in a new folder."""
    old = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="gdprkit_args_") as d:
        os.chdir(d)
        try:
            yield d
        finally:
            os.chdir(old)


def expect_gdprkit_error_or_success(call: Callable[[], Any], what: str) -> None:
    try:
        call()
    except gdprkit.Error as e:
        message = str(e)
        assert "Invoked with" not in message, what  # pybind11's dump of the arguments
        assert "incompatible function arguments" not in message, what
        if isinstance(e, TypeError):
            assert isinstance(e, gdprkit.ArgumentTypeError), what
    except BaseException as e:  # noqa: B902 - anything else fails the test
        pytest.fail(f"{what} raised {type(e).__module__}.{type(e).__name__}: {e}")


# ---------------------------------------------------------------------------
# The shared objects and the cases: (name, function, valid keyword arguments).
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("args") / "v.vault")
    v = Vault.create(path, passphrase=PW, kdf="tests_only", actor="pytest")
    v.create_domain(DOMAIN)
    v.create_domain(OTHER)
    tokens = v.tokenise(CPR, domain=DOMAIN)
    key = v.export_pseudonym_key(DOMAIN, reason="tests")
    policy = gdprkit.Policy.from_text(SAMPLE)
    df = pd.DataFrame({"practice": ["p1", "p1", "p2", "p2", "p3", "p3"],
                       "band": ["a", "b"] * 3, "n": [31, 3, 24, 9, 18, 11],
                       "c": [3, 2, 4, 3, 5, 4], "l": [20, 2, 10, 5, 9, 6],
                       "m": ["", "", "", "safe", "", ""]})
    yield {"vault": v, "path": path, "tokens": tokens, "key": key, "policy": policy, "df": df,
           "dir": os.path.dirname(path)}
    v.close()


Case = Tuple[str, Callable[..., Any], Callable[[Dict[str, Any]], Dict[str, Any]]]


def _cases() -> List[Case]:
    ids = gdprkit.identifiers
    return [
        # Identifiers.
        ("identifiers.check", ids.check,
         lambda w: dict(values=CPR, kind="cpr", require_modulus11=False)),
        ("identifiers.is_valid", ids.is_valid, lambda w: dict(values=CPR, kind="cpr")),
        ("identifiers.normalise", ids.normalise,
         lambda w: dict(values=CPR, kind="cpr", errors="raise")),
        ("identifiers.explain", ids.explain, lambda w: dict(problem="bad_date", kind="cpr")),
        ("identifiers.cpr_info", ids.cpr_info, lambda w: dict(value=CPR[0])),
        ("identifiers.kind_name", ids.kind_name, lambda w: dict(kind="ydernummer")),
        ("validate_cpr", gdprkit.validate_cpr, lambda w: dict(values=CPR)),
        # The vocabulary of the law.
        ("legal_basis", gdprkit.legal_basis, lambda w: dict(code="A6-1-a")),
        ("basis_title", gdprkit.basis_title, lambda w: dict(code="A6-1-a")),
        ("right_title", gdprkit.right_title, lambda w: dict(code="A15")),
        # Policies.
        ("Policy.load", gdprkit.Policy.load,
         lambda w: dict(path=str(POLICIES / "kapsel.textproto"), format="textproto")),
        ("Policy.from_text", gdprkit.Policy.from_text,
         lambda w: dict(text=SAMPLE, format=None, source_name="s.textproto")),
        ("Policy.purpose", lambda **k: k.pop("self").purpose(**k),
         lambda w: dict(self=w["policy"], purpose_id="p1")),
        ("Policy.category", lambda **k: k.pop("self").category(**k),
         lambda w: dict(self=w["policy"], key="contact")),
        ("Policy.retention_rule", lambda **k: k.pop("self").retention_rule(**k),
         lambda w: dict(self=w["policy"], rule_id="r1")),
        ("Policy.basis_title", lambda **k: k.pop("self").basis_title(**k),
         lambda w: dict(self=w["policy"], code="A6-1-b")),
        ("Policy.basis_effects", lambda **k: k.pop("self").basis_effects(**k),
         lambda w: dict(self=w["policy"], code="A6-1-b")),
        ("Policy.rights", lambda **k: k.pop("self").rights(**k),
         lambda w: dict(self=w["policy"], purpose_id="p1")),
        ("Policy.may_access", lambda **k: k.pop("self").may_access(**k),
         lambda w: dict(self=w["policy"], purpose_id="p1", team="data", role=None)),
        ("Policy.visible_purposes", lambda **k: k.pop("self").visible_purposes(**k),
         lambda w: dict(self=w["policy"], team="data", role=None)),
        ("Policy.purposes_using", lambda **k: k.pop("self").purposes_using(**k),
         lambda w: dict(self=w["policy"], category="contact")),
        # The vault.
        ("Vault.create", lambda **k: Vault.create(**k).close(),
         lambda w: dict(path=os.path.join(tempfile.mkdtemp(dir=w["dir"]), "n.vault"),
                        passphrase=PW, kdf="tests_only", actor="a", busy_timeout_ms=100)),
        ("Vault.open", lambda **k: Vault.open(**k).close(),
         lambda w: dict(path=w["path"], passphrase=PW, actor="a", create_if_missing=False,
                        kdf="tests_only", busy_timeout_ms=100)),
        ("Vault.create_domain", lambda **k: k.pop("self").create_domain(**k),
         lambda w: dict(self=w["vault"], name=f"d-{os.urandom(4).hex()}", description="x",
                        scheme="blake2b")),
        ("Vault.pseudonymise", lambda **k: k.pop("self").pseudonymise(**k),
         lambda w: dict(self=w["vault"], values=CPR, domain=DOMAIN, kind="cpr",
                        errors="coerce", key_version=0)),
        ("Vault.export_pseudonym_key", lambda **k: k.pop("self").export_pseudonym_key(**k),
         lambda w: dict(self=w["vault"], domain=DOMAIN, reason="tests")),
        ("Vault.tokenise", lambda **k: k.pop("self").tokenise(**k),
         lambda w: dict(self=w["vault"], values=CPR, domain=DOMAIN, kind="cpr",
                        errors="raise")),
        ("Vault.lookup_tokens", lambda **k: k.pop("self").lookup_tokens(**k),
         lambda w: dict(self=w["vault"], values=CPR, domain=DOMAIN, kind="cpr")),
        ("Vault.reidentify", lambda **k: k.pop("self").reidentify(**k),
         lambda w: dict(self=w["vault"], tokens=w["tokens"], domain=DOMAIN, reason="tests")),
        ("Vault.translate", lambda **k: k.pop("self").translate(**k),
         lambda w: dict(self=w["vault"], tokens=w["tokens"], from_domain=DOMAIN,
                        to_domain=OTHER, reason="tests", to="pseudonym")),
        ("Vault.erase", lambda **k: k.pop("self").erase(**k),
         lambda w: dict(self=w["vault"], identifier="020304-1234", kind="cpr",
                        reason="tests")),
        ("Vault.rekey", lambda **k: k.pop("self").rekey(**k),
         lambda w: dict(self=w["vault"], reason="tests")),
        ("Vault.checkpoint", lambda **k: k.pop("self").checkpoint(**k),
         lambda w: dict(self=w["vault"], wait=0.01)),
        ("Vault.audit_frame", lambda **k: k.pop("self").audit_frame(**k),
         lambda w: dict(self=w["vault"], from_seq=1, limit=5)),
        ("Vault.backup", lambda **k: k.pop("self").backup(**k),
         lambda w: dict(self=w["vault"],
                        path=os.path.join(tempfile.mkdtemp(dir=w["dir"]), "b.vault"))),
        ("Pseudonymizer.from_exported_key", gdprkit.Pseudonymizer.from_exported_key,
         lambda w: dict(text=w["key"])),
        ("Pseudonymizer.pseudonymise",
         lambda **k: gdprkit.Pseudonymizer.from_exported_key(k.pop("_key")).pseudonymise(**k),
         lambda w: dict(_key=w["key"], values=CPR, kind="cpr", errors="raise")),
        # Small-cell suppression.
        ("suppress", gdprkit.suppress,
         lambda w: dict(df=w["df"], dims=["practice", "band"], value="n", threshold=5,
                        compute_totals=True, method="heuristic", cost="cells",
                        kind="frequency", time_limit=10.0, effort=1, optimal_max_cells=100,
                        audit="auto", name="t", total="Total", p_percent=0.0,
                        q_percent=100.0, missing="error", mark="m")),
        ("suppress (magnitude)", gdprkit.suppress,
         lambda w: dict(df=w["df"], dims=["practice", "band"], value="n", kind="magnitude",
                        contributors="c", largest="l", dominance=[(1, 80.0)],
                        compute_totals=True, p_percent=0.0,
                        cost_column=None, threshold=3)),
        ("audit_suppression", gdprkit.audit_suppression,
         lambda w: dict(df=w["df"], dims=["practice", "band"], value="n",
                        suppressed=[False, True, False, True, False, False], threshold=5,
                        compute_totals=True, name="t")),
        ("hierarchy_from_hrc", gdprkit.hierarchy_from_hrc,
         lambda w: dict(text="North\n@N1\nSouth\n", total="Total")),
    ]


CASES = _cases()


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
@FAST
@given(data=st.data())
def test_odd_arguments_raise_gdprkit_errors(world, case: Case, data) -> None:
    name, fn, valid = case
    kwargs = valid(world)
    slots = [k for k in kwargs if k not in ("self", "_key")]
    arg = data.draw(st.sampled_from(slots), label="argument")
    odd = data.draw(ODD, label="value")
    kwargs[arg] = odd
    with in_temp_dir():
        expect_gdprkit_error_or_success(lambda: fn(**kwargs), f"{name}({arg}={odd!r})")


# One of each kind, for every argument of every function (the sweep the
# random test samples from).
REPRESENTATIVE = [-1, 2**31, 2**64, 10**18, "\ud800", "a\0b", 0.5, float("nan"), float("inf"),
                  None, b"x", b"", [], object()]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_every_argument_with_each_kind_of_odd_value(world, case: Case) -> None:
    name, fn, valid = case
    for arg in [k for k in valid(world) if k not in ("self", "_key")]:
        for odd in REPRESENTATIVE:
            kwargs = valid(world)
            kwargs[arg] = odd
            with in_temp_dir():
                expect_gdprkit_error_or_success(lambda: fn(**kwargs), f"{name}({arg}={odd!r})")


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_the_valid_arguments_work(world, case: Case) -> None:
    name, fn, valid = case
    fn(**valid(world))


# ---------------------------------------------------------------------------
# The examples of the issue, and what each kind of odd value raises.
# ---------------------------------------------------------------------------


def test_the_issues_examples(world, tmp_path) -> None:
    v: Vault = world["vault"]
    with pytest.raises(gdprkit.InvalidArgumentError, match="threshold"):
        gdprkit.suppress(world["df"], ["practice", "band"], threshold=10**18, compute_totals=True)
    with pytest.raises(gdprkit.InvalidArgumentError, match="key_version"):
        v.pseudonymise(CPR, domain=DOMAIN, key_version=-1)
    with pytest.raises(gdprkit.InvalidArgumentError, match="key_version"):
        v.pseudonymise(CPR, domain=DOMAIN, key_version=2**32)
    with pytest.raises(gdprkit.InvalidArgumentError, match="busy_timeout_ms"):
        Vault.open(world["path"], passphrase=PW, busy_timeout_ms=2**31)
    with pytest.raises(gdprkit.InvalidArgumentError, match="NUL"):
        Vault.create(str(tmp_path / "a.vault\0.bak"), passphrase=PW, kdf="tests_only")
    assert not (tmp_path / "a.vault").exists()
    for call, arg in ((lambda: v.tokenise(CPR, domain="\ud800"), "domain"),
                      (lambda: v.reidentify(world["tokens"], domain=DOMAIN, reason="a\udc80"),
                       "reason"),
                      (lambda: v.erase("010203-1234\ud800"), "identifier"),
                      (lambda: Vault.open(world["path"], passphrase="pw\ud800"), "passphrase"),
                      (lambda: gdprkit.identifiers.check(["0102031234", "\ud800"]), r"values\[1\]"),
                      (lambda: gdprkit.suppress(world["df"], ["practice", "band"], name="t\ud800",
                                                compute_totals=True), "name")):
        with pytest.raises(gdprkit.InvalidArgumentError, match=arg) as e:
            call()
        assert "surrogate" in str(e.value)
        str(e.value).encode("utf-8")  # the message itself prints


def test_wrong_types_are_argument_type_errors(world) -> None:
    v: Vault = world["vault"]
    for call in (lambda: v.tokenise(CPR, domain=None),
                 lambda: v.tokenise(CPR, domain=b"klynge"),
                 lambda: v.pseudonymise(CPR, domain=DOMAIN, key_version=1.0),
                 lambda: v.tokenise([1.5], domain=DOMAIN),
                 lambda: v.tokenise(None, domain=DOMAIN),
                 lambda: gdprkit.suppress(world["df"], ["practice", "band"], threshold=5.0),
                 lambda: gdprkit.suppress(world["df"], ["practice", "band"], effort=None),
                 lambda: gdprkit.identifiers.check(CPR, kind=None),
                 lambda: gdprkit.Policy.load(None)):
        with pytest.raises(gdprkit.ArgumentTypeError) as e:
            call()
        # One class, three ways to catch it.
        assert isinstance(e.value, gdprkit.InvalidArgumentError)
        assert isinstance(e.value, ValueError) and isinstance(e.value, TypeError)
        assert e.value.status_code == "INVALID_ARGUMENT"


def test_messages_never_repeat_the_value(world) -> None:
    v: Vault = world["vault"]
    secret = "0102031234\ud800"
    for call in (lambda: v.erase(secret),
                 lambda: v.tokenise([secret], domain=DOMAIN),
                 lambda: Vault.open(world["path"], passphrase=secret),
                 lambda: gdprkit.identifiers.cpr_info(secret)):
        with pytest.raises(gdprkit.InvalidArgumentError) as e:
            call()
        assert "0102031234" not in str(e.value)


def test_argument_type_error_is_exported_and_documented() -> None:
    assert gdprkit.ArgumentTypeError.__module__ == "gdprkit"
    assert "ArgumentTypeError" in gdprkit.__all__
    assert gdprkit.error_class(3) is gdprkit.InvalidArgumentError
    assert gdprkit.ArgumentTypeError.__doc__


def test_the_extension_casts_raise_argument_type_errors(world, monkeypatch) -> None:
    # Under the package's checks, the extension itself turns a value C++
    # cannot take (pybind11's cast_error, a RuntimeError) into the same
    # error: here a threshold past the package's own check.
    import gdprkit.suppression as sup

    real = sup._rules
    monkeypatch.setattr(sup, "_rules", lambda *a: {**real(*a), "threshold": 10**18})
    with pytest.raises(gdprkit.ArgumentTypeError, match="cannot take"):
        gdprkit.suppress(world["df"], ["practice", "band"], compute_totals=True)
