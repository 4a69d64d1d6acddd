"""Fixtures of the gdprkit Python tests.

The tests exercise the *installed* package (``pip install .`` into a virtual
environment, then ``pytest tests/python``); they find the repository's example
policies relative to this file, so they run from any working directory.
"""

from __future__ import annotations

import os
import pathlib
from typing import Callable, Dict

import pytest

import gdprkit

REPO = pathlib.Path(__file__).resolve().parents[2]
POLICIES = REPO / "examples" / "policies"

# A small, complete policy (the sample of the issue), valid as written.
SAMPLE = """\
schema: "gdprkit.v1"
controller { name: "Example" }
teams { id: "data" title: "Data consultants" }
retention_rules { id: "r1" description: "15 months after the provider number ends" }
purposes {
  id: "p1"
  title: "Case handling"
  categories: "contact"
  categories: "professional.provider_number"
  data_subjects: "general practitioners"
  basis: "A6-1-b"
  access { team: "data" }
  retention: "r1"
}
"""


def pytest_report_header(config: pytest.Config) -> str:
    return f"gdprkit {gdprkit.__version__} from {pathlib.Path(gdprkit.__file__).parent}"


@pytest.fixture(scope="session", autouse=True)
def _installed_package() -> None:
    """The package under test is the installed one (or the staged one of
    scripts/dev_pytest.sh, whose files link to the sources), not the source
    folder, which has no extension module."""
    here = pathlib.Path(os.path.abspath(gdprkit.__file__)).parent
    assert here != (REPO / "python" / "gdprkit").resolve(), (
        "tests must run against the installed package: pip install . first"
    )


@pytest.fixture(scope="session")
def repo() -> pathlib.Path:
    """The repository's root folder."""
    return REPO


@pytest.fixture(scope="session")
def policies_dir() -> pathlib.Path:
    """examples/policies/ of the repository."""
    return POLICIES


@pytest.fixture
def sample() -> gdprkit.Policy:
    """The sample policy, parsed from text."""
    return gdprkit.Policy.from_text(SAMPLE, source_name="sample.textproto")


_SEEDS: Dict[str, gdprkit.Policy] = {}


@pytest.fixture(scope="session")
def seed() -> Callable[[str], gdprkit.Policy]:
    """seed("practio.textproto"): a seed policy of examples/policies/, loaded once."""

    def load(name: str) -> gdprkit.Policy:
        path = POLICIES / name
        assert path.is_file(), f"seed policy {path} is missing"
        if name not in _SEEDS:
            _SEEDS[name] = gdprkit.Policy.load(path)
        return _SEEDS[name]

    return load
