"""The examples in the package's docstrings run and give what they show."""

from __future__ import annotations

import doctest
import pathlib

import pytest

import gdprkit
import gdprkit.basis
import gdprkit.policy


@pytest.mark.parametrize("module", [gdprkit, gdprkit.basis, gdprkit.policy])
def test_docstring_examples(module, repo: pathlib.Path, monkeypatch) -> None:
    monkeypatch.chdir(repo)  # the examples load examples/policies/...
    result = doctest.testmod(module, extraglobs={"gdprkit": gdprkit}, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0


def test_readme_python_example(repo: pathlib.Path, monkeypatch) -> None:
    monkeypatch.chdir(repo)
    policy = gdprkit.Policy.load("examples/policies/practio.textproto")
    assert all(f.severity and f.code and f.message for f in policy.validate())
    assert "A17" not in policy.rights("patient-record")
    assert len(policy.to_frame()) == len(policy.purposes)
