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

Retention (add_period, to_days, sweep, RetentionSchedule, DeletionLog) is
called here like the rest; tests/python/test_retention.py covers what its
functions answer to valid input.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import tempfile
from typing import Any, Callable, Dict, Iterator, List, Tuple

import numpy as np
import pandas as pd
import pytest

import gdprkit
from conftest import POLICIES, SAMPLE
from gdprkit import Vault

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
    kapsel = gdprkit.Policy.load(POLICIES / "kapsel.textproto")
    records = pd.DataFrame({
        "id": ["practice-active", "practice-ended", "practice-leap"],
        "purpose": ["quality-advice-data", "quality-advice-medicine", "quality-advice-it"],
        "collection": pd.to_datetime(["2019-03-01"] * 3),
        "provider_number_ended": pd.to_datetime([None, "2025-11-30", "2024-02-29"]),
        "hold_start": pd.to_datetime([None, "2026-10-01", None]),
        "hold_end": pd.to_datetime([None, "2027-06-15", None]),
    })
    log_path = os.path.join(os.path.dirname(path), "deletions.log")
    log = gdprkit.DeletionLog(log_path, sync=False)
    log.append("app-1", rule="r", due_date="2026-01-08", deleted_at=0)
    yield {"vault": v, "path": path, "tokens": tokens, "key": key, "policy": policy, "df": df,
           "dir": os.path.dirname(path), "kapsel": kapsel,
           "schedule": gdprkit.RetentionSchedule(kapsel), "records": records,
           "log": log, "log_path": log_path}
    log.close()
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
        # Retention.
        ("add_period", gdprkit.add_period,
         lambda w: dict(date="2025-11-30", period="P15M", zone="Europe/Copenhagen")),
        ("add_period (a Series)", gdprkit.add_period,
         lambda w: dict(date=pd.Series(["2025-11-30T23:30:00Z", None]), period="P1D",
                        zone="UTC")),
        ("to_days", gdprkit.retention.to_days,
         lambda w: dict(values=["2025-01-01", None], zone="Europe/Copenhagen", column="c",
                        labels=["a", "b"])),
        ("RetentionSchedule", gdprkit.RetentionSchedule, lambda w: dict(policy=w["kapsel"])),
        ("RetentionSchedule.from_policy", gdprkit.RetentionSchedule.from_policy,
         lambda w: dict(policy=str(POLICIES / "kapsel.textproto"))),
        ("RetentionSchedule.resolve", lambda **k: k.pop("self").resolve(**k),
         lambda w: dict(self=w["schedule"], selector="quality-advice-data")),
        ("sweep", gdprkit.sweep,
         lambda w: dict(df=w["records"], policy=w["schedule"], on="2027-03-01", id="id",
                        purpose="purpose",
                        events={"provider_number_ended": "provider_number_ended"},
                        holds=("hold_start", "hold_end"), zone="Europe/Copenhagen",
                        errors="report", threads=1, max_errors=10)),
        ("sweep (rule, a holds frame)", gdprkit.sweep,
         lambda w: dict(df=w["records"], policy=w["kapsel"], on=dt.date(2027, 3, 1),
                        rule="provider-number-plus-15-months",
                        holds=pd.DataFrame({"record": [1], "start": ["2026-10-01"],
                                            "end": [None]}))),
        ("RetentionSchedule.sweep", lambda **k: k.pop("self").sweep(**k),
         lambda w: dict(self=w["schedule"], df=w["records"], on=np.datetime64("2027-03-01"),
                        purpose="purpose")),
        ("RetentionSchedule.explain", lambda **k: k.pop("self").explain(**k),
         lambda w: dict(self=w["schedule"], df=w["records"], row=1,
                        on=pd.Timestamp("2027-03-01"), id="id", purpose="purpose")),
        ("DeletionLog", lambda **k: gdprkit.DeletionLog(**k).close(),
         lambda w: dict(path=os.path.join(tempfile.mkdtemp(dir=w["dir"]), "d.log"),
                       key=b"k" * 32, sync=False, zone="Europe/Copenhagen")),
        ("DeletionLog.open", lambda **k: gdprkit.DeletionLog.open(**k).close(),
         lambda w: dict(path=os.path.join(tempfile.mkdtemp(dir=w["dir"]), "d.log"),
                        key=None, sync=False)),
        ("DeletionLog.append", lambda **k: k.pop("self").append(**k),
         lambda w: dict(self=w["log"], record_id=f"app-{os.urandom(4).hex()}", rule="r",
                        due_date="2026-01-08", deleted_at=1772323200)),
        ("DeletionLog.append_all", lambda **k: k.pop("self").append_all(**k),
         lambda w: dict(self=w["log"], deletions=[
             {"record_id": f"app-{os.urandom(4).hex()}", "rule": "r",
              "due_date": dt.date(2026, 1, 8), "deleted_at": "2026-01-09T10:00:00"}])),
        ("DeletionLog.verify", gdprkit.DeletionLog.verify,
         lambda w: dict(path=w["log_path"], key=None, expected_head=None)),
        ("DeletionLog.read", gdprkit.DeletionLog.read,
         lambda w: dict(path=w["log_path"], key=None)),
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
                call = functools.partial(fn, **kwargs)
                expect_gdprkit_error_or_success(call, f"{name}({arg}={odd!r})")


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


# ---------------------------------------------------------------------------
# Retention (the leftovers of issue #9, item 11).
# ---------------------------------------------------------------------------


def test_retention_surrogates_name_the_argument(world) -> None:
    df, schedule = world["records"], world["schedule"]
    for call, arg in (
            (lambda: gdprkit.add_period("\ud800", "P1D"), "date"),
            (lambda: gdprkit.add_period("2025-01-01", "P1\ud800D"), "period"),
            (lambda: gdprkit.add_period("2025-01-01T00:00Z", "P1D", zone="UTC\ud800"), "zone"),
            (lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01\ud800",
                                   purpose="purpose"), "on"),
            (lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01",
                                   purpose="quality-\ud800"), "purpose"),
            (lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01", purpose="purpose",
                                   id="i\ud800d"), "id"),
            (lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01", purpose="purpose",
                                   holds=("hold_start", "x\ud800")), "holds"),
            (lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01", purpose="purpose",
                                   events={"provider_number_ended\ud800": "x"}), "events"),
            (lambda: schedule.resolve("quality\ud800"), "selector"),
            (lambda: world["log"].append("app-\ud800"), "record_id"),
            (lambda: world["log"].append("app-2", rule="r\ud800"), "rule"),
            (lambda: gdprkit.DeletionLog.verify(world["log_path"], expected_head="\ud800"),
             "expected_head"),
            (lambda: gdprkit.retention.to_days(pd.Series(["2025-01-01", "x\ud800"], dtype=object,
                                                         name="c")), "row 1")):
        with pytest.raises(gdprkit.InvalidArgumentError, match=arg) as e:
            call()
        assert not isinstance(e.value, TypeError), arg
        assert "surrogate" in str(e.value), arg
        str(e.value).encode("utf-8")  # the message itself prints


def test_retention_wrong_types_are_argument_type_errors(world, tmp_path) -> None:
    df, schedule = world["records"], world["schedule"]
    for call, arg in (
            (lambda: gdprkit.sweep(df.to_dict(), policy=schedule, on="2027-01-01",
                                   purpose="purpose"), "df"),
            (lambda: gdprkit.sweep(None, policy=schedule, on="2027-01-01", purpose="purpose"),
             "df"),
            (lambda: gdprkit.sweep(df, policy=None, on="2027-01-01", purpose="purpose"),
             "policy"),
            (lambda: gdprkit.sweep(df, policy=schedule, on=[], purpose="purpose"), "on"),
            (lambda: gdprkit.sweep(df, policy=schedule, on=20270101, purpose="purpose"), "on"),
            (lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01", purpose="purpose",
                                   id=["id"]), "id"),
            (lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01", purpose="purpose",
                                   id=1.5), "id"),
            (lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01", purpose="purpose",
                                   holds="hold_start"), "holds"),
            (lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01", purpose="purpose",
                                   holds=(1, 2)), "holds"),
            (lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01", purpose="purpose",
                                   events=["provider_number_ended"]), "events"),
            (lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01", purpose={}), "purpose"),
            (lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01"), "purpose"),
            (lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01", purpose="purpose",
                                   threads=1.0), "threads"),
            (lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01", purpose="purpose",
                                   max_errors=None), "max_errors"),
            (lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01", purpose="purpose",
                                   zone=None), "zone"),
            (lambda: schedule.explain(df, [1], on="2027-01-01", purpose="purpose"), "row"),
            (lambda: gdprkit.RetentionSchedule("not a policy"), "policy"),
            (lambda: gdprkit.add_period(None, 15), "period"),
            (lambda: gdprkit.add_period(20250101, "P1D"), "date"),
            (lambda: gdprkit.add_period({}, "P1D"), "date"),
            (lambda: gdprkit.retention.to_days(["2025-01-01"], labels=5), "labels"),
            (lambda: gdprkit.DeletionLog(tmp_path / "k.log", key=32), "key"),
            (lambda: gdprkit.DeletionLog(tmp_path / "k.log", key="k" * 32), "key"),
            (lambda: gdprkit.DeletionLog(tmp_path / "s.log", sync="no"), "sync"),
            (lambda: world["log"].append(None), "record_id"),
            (lambda: world["log"].append(b"app-3"), "record_id"),
            (lambda: world["log"].append("app-3", rule=5), "rule"),
            (lambda: world["log"].append("app-3", deleted_at=1.5e9), "deleted_at"),
            (lambda: world["log"].append_all(5), "deletions"),
            (lambda: world["log"].append_all(["app-3"]), "deletions"),
            (lambda: gdprkit.DeletionLog.verify(world["log_path"], expected_head=5),
             "expected_head")):
        with pytest.raises(gdprkit.ArgumentTypeError, match=arg) as e:
            call()
        assert "Invoked with" not in str(e.value)
    assert not (tmp_path / "k.log").exists() and not (tmp_path / "s.log").exists()


def test_retention_values_out_of_range(world) -> None:
    df, schedule = world["records"], world["schedule"]
    for call, arg in (
            (lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01", purpose="purpose",
                                   threads=-1), "threads"),
            (lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01", purpose="purpose",
                                   threads=2**31), "threads"),
            (lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01", purpose="purpose",
                                   max_errors=2**64), "max_errors"),
            (lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01", purpose="purpose",
                                   zone=""), "zone"),
            (lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01\0", purpose="purpose"),
             "on"),
            (lambda: world["log"].append("app-3", deleted_at=2**63), "deleted_at"),
            (lambda: world["log"].append("a\0b"), "record_id"),
            (lambda: gdprkit.retention.to_days(["2025-01-01"], labels=["a", "b"]), "labels")):
        with pytest.raises(gdprkit.InvalidArgumentError, match=arg) as e:
            call()
        assert not isinstance(e.value, TypeError), arg


def test_retention_messages_never_repeat_the_value(world) -> None:
    secret = "0102031234"
    df, schedule, log = world["records"], world["schedule"], world["log"]
    for call in (lambda: gdprkit.sweep(df, policy=schedule, on=secret + "\ud800",
                                       purpose="purpose"),
                 lambda: gdprkit.sweep(df, policy=schedule, on=int(secret), purpose="purpose"),
                 lambda: gdprkit.sweep(df, policy=schedule, on="2027-01-01", purpose="purpose",
                                       id=secret),
                 lambda: schedule.explain(df, secret, on="2027-01-01", purpose="purpose"),
                 lambda: log.append(secret + "\ud800"),
                 lambda: log.append("app-4", deleted_at=secret),
                 lambda: log.append("app-4", deleted_at=secret + "\ud800"),
                 lambda: log.append_all([{"record_id": "app-4", "deleted_at": float(secret)}]),
                 lambda: gdprkit.add_period(int(secret), "P1D"),
                 lambda: gdprkit.retention.to_days(pd.Series([int(secret), object()],
                                                             dtype=object))):
        with pytest.raises(gdprkit.Error) as e:
            call()
        assert "102031234" not in str(e.value), str(e.value)


def test_the_deletion_log_keeps_no_stand_ins_for_odd_ids(world) -> None:
    # str(None) once went into the hash-chained log as the record id "None".
    log = world["log"]
    before = log.entries
    for deletions in ([{"record_id": None}], [{"record_id": float("nan")}],
                      pd.DataFrame({"record_id": ["app-5", None]}),
                      [{"record_id": "app-5", "rule": b"r"}]):
        with pytest.raises(gdprkit.InvalidArgumentError, match="record_id|rule"):
            log.append_all(deletions)
    assert log.entries == before
    # Whole numbers are ids (a column read as int).
    assert [e.record_id for e in log.append_all(pd.DataFrame({"id": [17, 18]}))] == ["17", "18"]
