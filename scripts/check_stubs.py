#!/usr/bin/env python3
"""Checks python/gdprkit/_gdprkit.pyi against the built extension _gdprkit.

Compares, and names each difference:

- every public name of the module (functions, classes, constants) is in the
  stub, and every name the stub declares exists in the module (type aliases
  of the stub, ``_Name = ...``, are the stub's own);
- the same for each class: methods, static methods, properties, and
  ``__init__`` (a class the extension gives no constructor has none in the
  stub either);
- functions and methods are of the same kind (function, method, static
  method, property, constant, class);
- parameters, read from the first line of pybind11's ``__doc__``: the same
  names in the same order, the same ones keyword-only, the same defaults
  (a stub default of ``...`` stands for any). A parameter pybind11 calls
  ``arg0``, ``arg1``, ... was bound without a name and cannot be passed by
  keyword, so the stub must make it positional-only (before ``/``).

Types are not compared: pybind11 writes C++-flavoured ones.

Usage:
    scripts/check_stubs.py                       # the installed gdprkit._gdprkit
    scripts/check_stubs.py --extension build/x   # a build dir or the .so itself
    scripts/check_stubs.py --stub path/to/_gdprkit.pyi

Exits 1 when anything differs, 2 when the extension cannot be loaded.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import importlib.util
import inspect
import pathlib
import re
import sys
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Dict, Iterator, List, Optional, Tuple

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_STUB = ROOT / "python" / "gdprkit" / "_gdprkit.pyi"

# Members pybind11 gives every class; not part of the stub.
PYBIND_INTERNALS = {"_pybind11_conduit_v1_", "__doc__", "__module__", "__dict__", "__weakref__"}
UNNAMED = re.compile(r"^arg\d+$")
ANY_DEFAULT = "..."


@dataclass
class Param:
    name: str
    kind: str  # "positional", "positional-only", "keyword-only", "*args", "**kwargs"
    default: Optional[str]  # source text, None when there is none


@dataclass
class Member:
    kind: str  # "function", "method", "static method", "property", "constant", "class"
    params: Optional[List[Param]] = None  # for callables, without self
    members: Dict[str, "Member"] = field(default_factory=dict)  # for classes


# ---- The stub ------------------------------------------------------------------


def _stub_params(args: ast.arguments, drop_self: bool) -> List[Param]:
    params: List[Param] = []
    positional = list(args.posonlyargs) + list(args.args)
    defaults: List[Optional[ast.expr]] = [None] * (len(positional) - len(args.defaults))
    defaults += list(args.defaults)
    for index, (arg, default) in enumerate(zip(positional, defaults)):
        posonly = index < len(args.posonlyargs) or (
            arg.arg.startswith("__") and not arg.arg.endswith("__")
        )
        params.append(
            Param(
                arg.arg,
                "positional-only" if posonly else "positional",
                None if default is None else ast.unparse(default),
            )
        )
    if args.vararg is not None:
        params.append(Param(args.vararg.arg, "*args", None))
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults):
        default_text = None if kw_default is None else ast.unparse(kw_default)
        params.append(Param(arg.arg, "keyword-only", default_text))
    if args.kwarg is not None:
        params.append(Param(args.kwarg.arg, "**kwargs", None))
    if drop_self and params and params[0].kind in ("positional", "positional-only"):
        params = params[1:]
    return params


def _decorators(node: ast.FunctionDef) -> List[str]:
    names = []
    for d in node.decorator_list:
        names.append(ast.unparse(d))
    return names


def _stub_members(body: List[ast.stmt], in_class: bool) -> Dict[str, Member]:
    members: Dict[str, Member] = {}
    for node in body:
        if isinstance(node, ast.FunctionDef):
            decorators = _decorators(node)
            if any(d.endswith(".setter") or d.endswith(".deleter") for d in decorators):
                continue
            if "property" in decorators:
                members[node.name] = Member("property")
            elif "staticmethod" in decorators:
                members[node.name] = Member("static method", _stub_params(node.args, False))
            elif in_class:
                members[node.name] = Member("method", _stub_params(node.args, True))
            else:
                members[node.name] = Member("function", _stub_params(node.args, False))
        elif isinstance(node, ast.ClassDef):
            members[node.name] = Member("class", members=_stub_members(node.body, True))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            members[node.target.id] = Member("constant")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                # `_Name = ...` is the stub's own type alias; anything else
                # names something of the module.
                if isinstance(target, ast.Name) and not target.id.startswith("_"):
                    members[target.id] = Member("constant")
    return members


def read_stub(path: pathlib.Path) -> Dict[str, Member]:
    return _stub_members(ast.parse(path.read_text(encoding="utf-8"), str(path)).body, False)


# ---- The extension ------------------------------------------------------------


def _top_level(text: str) -> Iterator[Tuple[int, str, int]]:
    """(index, character, bracket depth) of each character outside quotes."""
    depth = 0
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
            continue
        if ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        yield i, ch, depth


def _split_top_level(text: str) -> List[str]:
    """Splits a parameter list at the commas outside brackets and quotes."""
    cuts = [i for i, ch, depth in _top_level(text) if ch == "," and depth == 0]
    bounds = zip([-1] + cuts, cuts + [len(text)])
    return [text[a + 1 : b].strip() for a, b in bounds if text[a + 1 : b].strip()]


def _default_of(part: str) -> Tuple[str, Optional[str]]:
    """'name: type = default' -> ('name: type', 'default')."""
    for i, ch, depth in _top_level(part):
        if ch == "=" and depth == 0 and part[i - 1 : i] == " ":
            return part[:i].strip(), part[i + 1 :].strip()
    return part, None


def pybind_params(doc: Optional[str], name: str, drop_self: bool) -> Optional[List[Param]]:
    """The parameters of the first line of a pybind11 docstring, or None."""
    if not doc:
        return None
    first = doc.strip().splitlines()[0]
    if not first.startswith(name + "("):
        return None
    rest = first[len(name) :]
    end = next((i for i, ch, depth in _top_level(rest) if ch == ")" and depth == 0), -1)
    if end < 0:
        return None
    params: List[Param] = []
    kind = "positional"
    for part in _split_top_level(rest[1:end]):
        if part == "/":
            for p in params:
                p.kind = "positional-only"
            continue
        if part == "*":
            kind = "keyword-only"
            continue
        head, default = _default_of(part)
        pname = head.split(":", 1)[0].strip()
        if pname.startswith("**"):
            params.append(Param(pname[2:], "**kwargs", None))
        elif pname.startswith("*"):
            params.append(Param(pname[1:], "*args", None))
            kind = "keyword-only"
        else:
            params.append(Param(pname, kind, default))
    if drop_self and params and params[0].name == "self":
        params = params[1:]
    return params


def _is_overloaded(doc: Optional[str]) -> bool:
    return bool(doc) and "\nOverloaded function." in (doc or "")


def _extension_member(name: str, value: Any, owner: Optional[type]) -> Optional[Member]:
    doc = getattr(value, "__doc__", None)
    if isinstance(value, property):
        return Member("property")
    if isinstance(value, staticmethod):
        func = value.__func__
        return Member("static method", pybind_params(func.__doc__, name, False))
    if inspect.isclass(value):
        return Member("class", members=_extension_class_members(value))
    if callable(value):
        if owner is not None:
            return Member("method", pybind_params(doc, name, True))
        return Member("function", pybind_params(doc, name, False))
    return Member("constant")


def _extension_class_members(cls: type) -> Dict[str, Member]:
    members: Dict[str, Member] = {}
    for name, value in vars(cls).items():
        if name in PYBIND_INTERNALS:
            continue
        if name == "__init__" and type(value).__name__ == "wrapper_descriptor":
            continue  # no constructor: pybind11 leaves object's
        if name.startswith("_") and not (name.startswith("__") and name.endswith("__")):
            continue
        if name.startswith("__") and not callable(value):
            continue
        member = _extension_member(name, value, cls)
        if member is not None:
            members[name] = member
    return members


def read_extension(module: ModuleType) -> Dict[str, Member]:
    members: Dict[str, Member] = {}
    for name in dir(module):
        if name.startswith("__") and name != "__version__":
            continue
        member = _extension_member(name, getattr(module, name), None)
        if member is not None:
            members[name] = member
    return members


def load_extension(where: Optional[str]) -> ModuleType:
    if where is None:
        return importlib.import_module("gdprkit._gdprkit")
    path = pathlib.Path(where)
    if path.is_dir():
        found = sorted(path.glob("_gdprkit*.so")) + sorted(path.glob("_gdprkit*.pyd"))
        if not found:
            raise FileNotFoundError(f"no _gdprkit*.so in {path}")
        path = found[0]
    spec = importlib.util.spec_from_file_location("_gdprkit", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---- The comparison ------------------------------------------------------------


def _same_default(stub: Optional[str], ext: Optional[str]) -> bool:
    if stub is None or ext is None:
        return stub is None and ext is None
    if stub == ANY_DEFAULT or stub == ext:
        return True
    try:
        return bool(ast.literal_eval(stub) == ast.literal_eval(ext))
    except (ValueError, SyntaxError):
        # Not a literal on the extension's side (an object's repr): any will do.
        try:
            ast.literal_eval(ext)
        except (ValueError, SyntaxError):
            return True
        return False


def _listed(params: List[Param]) -> str:
    return ", ".join(p.name if p.default is None else f"{p.name}={p.default}" for p in params)


def _compare_params(what: str, stub: List[Param], ext: List[Param]) -> List[str]:
    problems: List[str] = []
    if len(stub) != len(ext) or any(
        s.name != e.name and not UNNAMED.match(e.name) for s, e in zip(stub, ext)
    ):
        return [f"{what}: ({_listed(stub)}) in the stub, ({_listed(ext)}) in the extension"]
    unnamed: List[str] = []
    for s, e in zip(stub, ext):
        if UNNAMED.match(e.name) and e.kind in ("positional", "positional-only"):
            if s.kind != "positional-only":
                unnamed.append(s.name)
        elif s.name != e.name:
            problems.append(
                f"{what}: parameter {s.name!r} in the stub is {e.name!r} in the extension"
            )
        elif s.kind != e.kind and not (s.kind == "positional-only" and e.kind == "positional"):
            problems.append(
                f"{what}: parameter {s.name!r} is {s.kind} in the stub, {e.kind} in the extension"
            )
        if not _same_default(s.default, e.default):
            problems.append(
                f"{what}: parameter {s.name!r} defaults to "
                f"{s.default if s.default is not None else '(none)'} in the stub, "
                f"{e.default if e.default is not None else '(none)'} in the extension"
            )
    if unnamed:
        problems.append(
            f"{what}: {', '.join(unnamed)} bound without a name (arg0, ...), so not "
            "by keyword: positional-only (before '/') in the stub"
        )
    return problems


def compare(stub: Dict[str, Member], ext: Dict[str, Member], prefix: str = "") -> List[str]:
    problems: List[str] = []
    for name in sorted(set(stub) | set(ext)):
        what = f"{prefix}{name}"
        s, e = stub.get(name), ext.get(name)
        if s is None and e is not None:
            if name.startswith("_") and not name.startswith("__"):
                continue  # a private name the stub need not show
            problems.append(f"{what}: {e.kind} of the extension, not in the stub")
            continue
        if e is None:
            problems.append(f"{what}: {s.kind if s else '?'} in the stub, not in the extension")
            continue
        assert s is not None
        if s.kind != e.kind:
            problems.append(f"{what}: a {s.kind} in the stub, a {e.kind} in the extension")
            continue
        if s.kind == "class":
            problems += compare(s.members, e.members, what + ".")
        elif s.params is not None:
            if e.params is None:
                problems.append(f"{what}: the extension's signature cannot be read")
            else:
                problems += _compare_params(what, s.params, e.params)
    return problems


def overloaded(module: ModuleType) -> List[str]:
    found = []
    for name in dir(module):
        value = getattr(module, name)
        if callable(value) and _is_overloaded(getattr(value, "__doc__", None)):
            found.append(f"{name}: overloaded in the extension; the check reads only one signature")
    return found


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extension", help="a build dir holding _gdprkit*.so, or the file")
    parser.add_argument("--stub", default=str(DEFAULT_STUB), help="the .pyi to check")
    args = parser.parse_args(argv)
    stub_path = pathlib.Path(args.stub)
    try:
        module = load_extension(args.extension)
    except (ImportError, OSError) as e:
        print(f"check_stubs: cannot load the extension: {e}", file=sys.stderr)
        return 2
    problems = compare(read_stub(stub_path), read_extension(module))
    problems += overloaded(module)
    try:
        shown = stub_path.resolve().relative_to(ROOT)
    except ValueError:
        shown = stub_path
    for p in problems:
        print(f"{shown}: {p}")
    origin = getattr(module, "__file__", "?")
    if problems:
        print(f"check_stubs: {len(problems)} difference(s) between {shown} and {origin}")
        return 1
    print(f"check_stubs: {shown} matches {origin}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
