"""The package itself: version, exports, documentation, typing, imports."""

from __future__ import annotations

import importlib.metadata
import inspect
import os
import pathlib
import re
import subprocess
import sys

import gdprkit


def cmake_version(repo: pathlib.Path) -> str:
    cmake = (repo / "CMakeLists.txt").read_text(encoding="utf-8")
    match = re.search(r"^project\(gdprkit VERSION (\d+\.\d+\.\d+)", cmake, re.M)
    assert match, "CMakeLists.txt: no project(gdprkit VERSION X.Y.Z)"
    return match.group(1)


def test_version_is_written_once_in_cmake(repo: pathlib.Path) -> None:
    """CMakeLists.txt's project() holds the version; the package's metadata,
    the extension, the C header and the CHANGELOG all say the same."""
    import tomllib

    version = cmake_version(repo)
    assert gdprkit.__version__ == version
    if not os.environ.get("GDPRKIT_DEV_STAGE"):  # scripts/dev_pytest.sh: no metadata
        assert importlib.metadata.version("gdprkit") == version
    with open(repo / "pyproject.toml", "rb") as f:
        pyproject = tomllib.load(f)
    # pyproject.toml does not repeat it: scikit-build-core reads it from CMake.
    assert "version" not in pyproject["project"]
    assert pyproject["project"]["dynamic"] == ["version"]
    (provider,) = [
        entry for entry in pyproject["tool"]["dynamic-metadata"] if entry["field"] == "version"
    ]
    assert provider["provider"] == "scikit_build_core.metadata.regex"
    assert provider["input"] == "CMakeLists.txt"
    cmake = (repo / "CMakeLists.txt").read_text(encoding="utf-8")
    assert re.search(provider["regex"], cmake).group("value") == version
    # The C header spells it out (CMake also refuses to configure otherwise).
    header = (repo / "include" / "gdprkit.h").read_text(encoding="utf-8")
    defines = dict(re.findall(r"^#define (GDPRKIT_VERSION\w*) (\S+)", header, re.M))
    major, minor, patch = version.split(".")
    assert defines == {
        "GDPRKIT_VERSION": f'"{version}"',
        "GDPRKIT_VERSION_MAJOR": major,
        "GDPRKIT_VERSION_MINOR": minor,
        "GDPRKIT_VERSION_PATCH": patch,
    }
    # The newest numbered section of the CHANGELOG is this version (an
    # "## Unreleased" section may stand above it).
    changelog = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (\d+\.\d+\.\d+)\b", changelog, re.M)
    assert headings and headings[0] == version, headings[:2]


def test_package_metadata_a_registry_accepts(repo: pathlib.Path) -> None:
    """One minimum Python everywhere; a LICENSE file that exists and ships."""
    import tomllib

    with open(repo / "pyproject.toml", "rb") as f:
        pyproject = tomllib.load(f)
    project = pyproject["project"]
    minimum = re.fullmatch(r">=3\.(\d+)", project["requires-python"])
    assert minimum, project["requires-python"]
    minor = int(minimum.group(1))
    assert pyproject["tool"]["ruff"]["target-version"] == f"py3{minor}"
    cmake = (repo / "CMakeLists.txt").read_text(encoding="utf-8")
    assert re.search(r"find_package\(Python 3\.(\d+) ", cmake).group(1) == str(minor)
    assert "Programming Language :: Python :: 3 :: Only" in project["classifiers"]
    assert project["license"] == {"file": "LICENSE"}
    assert (repo / "LICENSE").read_text(encoding="utf-8").strip()
    if not os.environ.get("GDPRKIT_DEV_STAGE"):
        files = importlib.metadata.files("gdprkit") or []
        assert any(pathlib.PurePath(str(f)).name.startswith("LICENSE") for f in files)
        meta = importlib.metadata.metadata("gdprkit")
        assert meta["Requires-Python"] == project["requires-python"]
        assert set(meta.get_all("Classifier") or []) == set(project["classifiers"])


def test_everything_exported_exists_and_is_documented() -> None:
    for name in gdprkit.__all__:
        obj = getattr(gdprkit, name)
        if name.isupper() or name == "__version__":
            continue
        assert inspect.getdoc(obj), f"gdprkit.{name} has no docstring"


def test_public_methods_are_documented_and_annotated() -> None:
    for name, member in inspect.getmembers(gdprkit.Policy):
        if name.startswith("_"):
            continue
        assert inspect.getdoc(member), f"Policy.{name} has no docstring"
        func = member.fget if isinstance(member, property) else member
        func = getattr(func, "__func__", func)
        hints = inspect.get_annotations(func)
        assert "return" in hints, f"Policy.{name} has no return annotation"
    for fn in (
        gdprkit.legal_bases,
        gdprkit.basis_title,
        gdprkit.legal_basis,
        gdprkit.data_subject_rights,
        gdprkit.right_title,
        gdprkit.builtin_categories,
    ):
        assert inspect.getdoc(fn)
        assert "return" in inspect.get_annotations(fn)


def test_py_typed_marker_is_installed() -> None:
    assert (pathlib.Path(gdprkit.__file__).parent / "py.typed").is_file()


def test_import_does_not_load_pandas() -> None:
    code = (
        "import sys, gdprkit; gdprkit.Policy.from_text('purposes { id: \"a\" }'); "
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_extension_is_private_and_registered() -> None:
    from gdprkit import _gdprkit

    assert _gdprkit.__version__ == gdprkit.__version__
    handle_type = _gdprkit.PolicyHandle
    try:
        handle_type()
    except TypeError:
        pass
    else:  # pragma: no cover
        raise AssertionError("PolicyHandle must not be constructible")
    # Errors raised by the extension are the package's classes.
    try:
        _gdprkit.policy_from_text(b"", 0, b"x")
    except gdprkit.InvalidArgumentError as e:
        assert str(e) == "x: the input is empty"
    else:  # pragma: no cover
        raise AssertionError("expected InvalidArgumentError")


def test_extension_refuses_str_text_and_unknown_format_codes() -> None:
    import pytest

    from gdprkit import _gdprkit

    with pytest.raises(TypeError):
        _gdprkit.policy_from_text("purposes {}", 0, b"x")
    for code in (3, 255, 1000, -1):
        with pytest.raises(gdprkit.InvalidArgumentError, match="unknown format"):
            _gdprkit.policy_from_text(b'purposes { id: "a" }', code, b"x")
