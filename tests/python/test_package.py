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


def test_version_matches_pyproject_and_cmake(repo: pathlib.Path) -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", gdprkit.__version__)
    if not os.environ.get("GDPRKIT_DEV_STAGE"):  # scripts/dev_pytest.sh: no metadata
        assert importlib.metadata.version("gdprkit") == gdprkit.__version__
    import tomllib

    with open(repo / "pyproject.toml", "rb") as f:
        assert tomllib.load(f)["project"]["version"] == gdprkit.__version__
    cmake = (repo / "CMakeLists.txt").read_text(encoding="utf-8")
    assert re.search(r"project\(gdprkit VERSION (\S+)", cmake).group(1) == gdprkit.__version__


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
