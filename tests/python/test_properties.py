"""Property tests: any input gives a policy or an InvalidArgumentError, never
a crash or another exception; whatever parses can be queried."""

from __future__ import annotations

import string

import pytest

import gdprkit
from conftest import SAMPLE

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FAST = settings(max_examples=300, deadline=None)


def check(data) -> None:
    try:
        p = gdprkit.Policy.from_text(data)
    except gdprkit.InvalidArgumentError as e:
        assert str(e)
        return
    findings = p.validate()
    assert all(f.severity in ("error", "warning", "info") for f in findings)
    assert p.is_valid == all(f.severity != "error" for f in findings)
    for pid in p.purpose_ids:
        detail = p.rights_detail(pid)
        assert len(detail) == 11
    p.to_frame()
    p.rights_frame()


@FAST
@given(st.binary(max_size=400))
def test_any_bytes(data: bytes) -> None:
    check(data)


@FAST
@given(st.text(max_size=400))
def test_any_text(text: str) -> None:
    check(text)


@FAST
@given(st.text(alphabet=string.ascii_letters + string.digits + '{}[]:,"#\n -._', max_size=400))
def test_policy_like_text(text: str) -> None:
    check(text)
    check("{" + text)  # the JSON parser too


@FAST
@given(st.integers(0, len(SAMPLE)), st.integers(0, len(SAMPLE)), st.text(max_size=20))
def test_spliced_sample(start: int, stop: int, insert: str) -> None:
    check(SAMPLE[:start] + insert + SAMPLE[stop:])


@FAST
@given(st.text(max_size=40), st.one_of(st.none(), st.text(max_size=10)))
def test_queries_with_any_names(name: str, role) -> None:
    p = gdprkit.Policy.from_text(SAMPLE)
    try:
        p.rights(name)
    except gdprkit.NotFoundError as e:
        assert name not in p
        assert str(e).startswith(f'no purpose "{name}"')
    else:
        assert name in p
    try:
        allowed = p.may_access("p1", team=name, role=role)
    except gdprkit.InvalidArgumentError:
        assert name == ""
    else:
        assert allowed == (name == "data")
