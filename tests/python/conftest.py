"""Fixtures of the gdprkit Python tests.

The tests exercise the *installed* package (``pip install .`` into a virtual
environment, then ``pytest tests/python``); they find the repository's example
policies relative to this file, so they run from any working directory.
"""

from __future__ import annotations

import os
import pathlib
import sys
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


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One local Spark session (``local[2]``) for every Spark test, with an
    event log in a temporary folder (``spark.conf.get("spark.eventLog.dir")``)
    so tests can read what Spark recorded. Skipped where pyspark or Java is
    missing, unless GDPRKIT_REQUIRE_SPARK=1 (scripts/test_wheel.sh sets it),
    where that fails instead."""
    import shutil

    required = os.environ.get("GDPRKIT_REQUIRE_SPARK") == "1"
    problem = None
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        problem = "pyspark is not installed (pip install 'gdprkit[spark]')"
    if problem is None and shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        problem = "no Java runtime (apt-get install openjdk-17-jre-headless)"
    if problem is not None:
        if required:
            pytest.fail(f"GDPRKIT_REQUIRE_SPARK=1 but {problem}")
        pytest.skip(problem)
    events = tmp_path_factory.mktemp("spark-events")
    # The Python workers run this interpreter (the one with gdprkit), not
    # whatever "python3" is first on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("gdprkit-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.pyspark.python", sys.executable)
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "Europe/Copenhagen")
        .config("spark.eventLog.enabled", "true")
        .config("spark.eventLog.dir", events.as_uri())
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
