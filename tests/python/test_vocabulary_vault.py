"""Door parity for the vocabularies of identifiers and the vault.

Each vocabulary is read from the core (through the extension, which lists the
core's tables: gdprkit/identifiers.h, src/vault/vocabulary.cc), and every name
must be accepted and printed back by every door that has it: the Python
package, the command line and the C ABI (through ctypes), found by
doors.py. A name added to a core table and missing at a door fails here.
"""

from __future__ import annotations

import json
import pathlib
from typing import Any, Dict, Iterator, List

import pytest

import gdprkit
from doors import needs_c, needs_cli, run_c_probe, run_cli
from gdprkit import _gdprkit, identifiers

PW = "correct horse battery staple"
CPR = "010203-1234"  # a valid CPR number for tests (no modulus 11 needed)
SAMPLE = {  # one accepted value per kind
    "cpr": CPR,
    "cvr": "10000009",
    "gln": "5790000000005",
    "provider_number": "12345",
    "sor": "12345678902",
    "other": "MRN-1",
}


def run(*args: str, stdin: str = "", code: int = 0) -> str:
    return run_cli(*args, stdin=stdin, code=code, env={"VAULT_PASS": PW})


# The C ABI through ctypes in a process of its own: libgdprkit.so carries its
# own protobuf, which must not meet the extension's in one process.
_C_PROBE = """
import ctypes, json, sys
lib = ctypes.CDLL(sys.argv[1])
lib.gdprkit_id_kind_name.restype = ctypes.c_char_p
lib.gdprkit_id_problem_code.restype = ctypes.c_char_p
names = json.loads(sys.argv[2])
parsed = {}
for name in names:
    out = ctypes.c_int(0)
    status = lib.gdprkit_id_kind_parse(ctypes.byref(out), name.encode())
    parsed[name] = out.value if status == 0 else -status
print(json.dumps({
    "kind_names": [lib.gdprkit_id_kind_name(k).decode() for k in range(1, len(names) + 1)],
    "kind_parse": parsed,
    "problem_codes": [lib.gdprkit_id_problem_code(p).decode() for p in range(int(sys.argv[3]))],
}))
"""


def c_probe() -> Dict[str, Any]:
    result: Dict[str, Any] = json.loads(
        run_c_probe(_C_PROBE, json.dumps(kind_names()), str(len(problem_codes()))))
    return result


@pytest.fixture
def vault(tmp_path: pathlib.Path) -> Iterator[gdprkit.Vault]:
    with gdprkit.Vault.create(str(tmp_path / "v.vault"), passphrase=PW, kdf="tests_only",
                              actor="pytest") as v:
        yield v


# ---- identifier kinds ----------------------------------------------------------


def kind_names() -> List[str]:
    return list(_gdprkit.id_kind_names())


def test_every_kind_has_a_sample() -> None:
    assert set(kind_names()) == set(SAMPLE)


@pytest.mark.parametrize("name", kind_names())
def test_python_accepts_and_prints_each_kind(name: str) -> None:
    assert name in identifiers.KINDS
    assert identifiers.kind_name(name) == name
    assert identifiers.check([SAMPLE[name]], kind=name) == ["ok"]


@needs_cli
@pytest.mark.parametrize("name", kind_names())
def test_cli_accepts_and_prints_each_kind(name: str) -> None:
    out = run("id", "check", "--type", name, "--format", "json", stdin=SAMPLE[name] + "\n")
    report = json.loads(out)
    assert report["type"] == name and report["rejected"] == 0
    assert name in run("id", "check", "--help")


@needs_c
def test_c_round_trips_each_kind() -> None:
    probe = c_probe()
    assert probe["kind_names"] == kind_names()
    assert probe["kind_parse"] == {name: n for n, name in enumerate(kind_names(), start=1)}


def test_unknown_kind_names_the_choices() -> None:
    with pytest.raises(gdprkit.InvalidArgumentError) as e:
        identifiers.check(["x"], kind="pasport")
    for name in kind_names():
        assert f'"{name}"' in str(e.value)


# ---- identifier problems -------------------------------------------------------


def problem_codes() -> List[str]:
    return list(_gdprkit.id_problem_codes())


def test_python_accepts_and_prints_each_problem() -> None:
    assert identifiers.PROBLEMS == tuple(problem_codes())
    for number, code in enumerate(problem_codes()):
        assert _gdprkit.id_problem_parse(code) == number
        assert identifiers.explain(code) == identifiers.explain(number)


@needs_c
def test_c_prints_each_problem() -> None:
    assert c_probe()["problem_codes"] == problem_codes()


# ---- pseudonym schemes ---------------------------------------------------------


def scheme_names() -> List[str]:
    return list(_gdprkit.pseudonym_scheme_names())


@pytest.mark.parametrize("name", scheme_names())
def test_python_accepts_and_prints_each_scheme(vault: gdprkit.Vault, name: str) -> None:
    vault.create_domain("d", scheme=name)
    assert [d.scheme for d in vault.domains()] == [name]
    key = vault.export_pseudonym_key("d", reason="parity test")
    assert gdprkit.Pseudonymizer.from_exported_key(key).scheme == name


@needs_cli
@pytest.mark.parametrize("name", scheme_names())
def test_cli_accepts_and_prints_each_scheme(tmp_path: pathlib.Path, name: str) -> None:
    path = str(tmp_path / "v.vault")
    secret = ("--passphrase-env", "VAULT_PASS")
    run("vault", "create", path, *secret, "--kdf", "tests_only")
    assert name in run("vault", "add-domain", path, "d", "--scheme", name, *secret)
    domains = json.loads(run("vault", "domains", path, "--format", "json", *secret))
    assert [d["scheme"] for d in domains["domains"]] == [name]
    assert name in run("vault", "add-domain", "--help")


# ---- translate targets -----------------------------------------------------------


def target_names() -> List[str]:
    return list(_gdprkit.translate_target_names())


@pytest.mark.parametrize("name", target_names())
def test_python_accepts_each_target(vault: gdprkit.Vault, name: str) -> None:
    vault.create_domain("a")
    vault.create_domain("b")
    tokens = vault.tokenise([CPR], domain="a")
    out = vault.translate(tokens, from_domain="a", to_domain="b", reason="parity test", to=name)
    prefix = {"token": "tk_", "pseudonym": "ps1_"}[name]
    assert out[0].startswith(prefix)


@needs_cli
@pytest.mark.parametrize("name", target_names())
def test_cli_accepts_and_prints_each_target(tmp_path: pathlib.Path, name: str) -> None:
    path = str(tmp_path / "v.vault")
    secret = ("--passphrase-env", "VAULT_PASS")
    run("vault", "create", path, *secret, "--kdf", "tests_only", "--domain", "a,b")
    token = run("vault", "tokenise", path, "--domain", "a", *secret, stdin=CPR + "\n").strip()
    out = run("vault", "translate", path, "--from", "a", "--to", "b", "--reason", "parity",
              "--target", name, "--format", "csv", *secret, stdin=token + "\n")
    assert out.splitlines()[0] == f"line,{name}"
    assert name in run("vault", "translate", "--help")


# ---- KDF costs ---------------------------------------------------------------------


def kdf_names() -> List[str]:
    return list(_gdprkit.kdf_cost_names())


@pytest.mark.parametrize("name", kdf_names())
def test_python_accepts_each_kdf_cost(tmp_path: pathlib.Path, name: str) -> None:
    with gdprkit.Vault.create(str(tmp_path / "v.vault"), passphrase=PW, kdf=name) as v:
        assert v.domains() == []


@needs_cli
@pytest.mark.parametrize("name", kdf_names())
def test_cli_accepts_each_kdf_cost(tmp_path: pathlib.Path, name: str) -> None:
    path = str(tmp_path / "v.vault")
    run("vault", "create", path, "--passphrase-env", "VAULT_PASS", "--kdf", name)
    assert name in run("vault", "create", "--help")


# ---- audit operations ----------------------------------------------------------------


def test_python_prints_audit_operations_by_the_core_names(vault: gdprkit.Vault) -> None:
    names = list(_gdprkit.audit_op_names())
    vault.create_domain("a")
    vault.create_domain("b")
    tokens = vault.tokenise([CPR], domain="a")
    vault.reidentify(tokens, domain="a", reason="parity test")
    vault.translate(tokens, from_domain="a", to_domain="b", reason="parity test")
    vault.export_pseudonym_key("a", reason="parity test")
    vault.erase(CPR, reason="parity test")
    vault.rotate(reason="parity test")
    ops = list(vault.audit_frame()["op"])
    assert set(ops) <= set(names)
    assert {"vault_created", "domain_created", "reidentify", "translate", "export_key", "erase",
            "rotate", "rekey"} <= set(ops)


def test_key_states_come_from_the_core() -> None:
    assert list(_gdprkit.key_state_names()) == ["primary", "enabled", "destroyed"]


# ---- titles in English and Danish (issue #11) ----------------------------------

_C_TITLES = """
import ctypes, json, sys
lib = ctypes.CDLL(sys.argv[1])
lib.gdprkit_id_problem_title.restype = ctypes.c_char_p
lib.gdprkit_id_kind_title.restype = ctypes.c_char_p
lib.gdprkit_token_problem_name.restype = ctypes.c_char_p
lib.gdprkit_token_problem_title.restype = ctypes.c_char_p
kinds, problems, tokens = (int(a) for a in sys.argv[2:5])
out = {}
for lang in (0, 1):
    out[lang] = {
        "problems": [[lib.gdprkit_id_problem_title(k, p, lang).decode()
                      for p in range(problems)] for k in range(1, kinds + 1)],
        "kinds": [lib.gdprkit_id_kind_title(k, lang).decode() for k in range(1, kinds + 1)],
        "tokens": [lib.gdprkit_token_problem_title(t, lang).decode() for t in range(tokens)],
    }
out["token_names"] = [lib.gdprkit_token_problem_name(t).decode() for t in range(tokens)]
print(json.dumps(out))
"""


@pytest.mark.parametrize("lang", ["en", "da"])
def test_python_explains_every_problem_in_both_languages(lang: str) -> None:
    for kind in identifiers.KINDS:
        for problem in identifiers.PROBLEMS:
            text = identifiers.explain(problem, kind, lang=lang)
            assert text and text == _gdprkit.id_problem_text(
                identifiers.KINDS.index(kind) + 1, identifiers.PROBLEMS.index(problem), lang)
        assert identifiers.kind_title(kind, lang=lang)
    # Danish differs from English, and "dansk" is Danish too.
    assert identifiers.explain("bad_length", lang="da") != identifiers.explain("bad_length")
    assert identifiers.explain("bad_length", lang="dansk") == identifiers.explain(
        "bad_length", lang="da")
    with pytest.raises(gdprkit.InvalidArgumentError, match="lang"):
        identifiers.explain("bad_length", lang="fr")


@needs_c
def test_c_titles_match_python() -> None:
    kinds, problems, tokens = identifiers.KINDS, identifiers.PROBLEMS, identifiers.TOKEN_PROBLEMS
    got = json.loads(run_c_probe(_C_TITLES, str(len(kinds)), str(len(problems)),
                                 str(len(tokens))))
    assert got["token_names"] == list(tokens)
    for number, lang in ((0, "en"), (1, "da")):
        c = got[str(number)]
        assert c["problems"] == [[identifiers.explain(p, k, lang=lang) for p in problems]
                                 for k in kinds]
        assert c["kinds"] == [identifiers.kind_title(k, lang=lang) for k in kinds]
        assert c["tokens"] == [_gdprkit.token_problem_title(t, lang) for t in tokens]


@needs_cli
@pytest.mark.parametrize("lang", ["en", "da"])
def test_cli_id_check_explains_as_python(lang: str) -> None:
    values = ["010203-1234", "12", "300200-1234", "x1"]
    out = run("id", "check", "--kind", "cpr", "--lang", lang, "--format", "csv",
              stdin="\n".join(values) + "\n", code=1)
    rows = [line.split(",", 3) for line in out.splitlines()[1:]]
    codes = identifiers.check(values, kind="cpr")
    for row, code in zip(rows, codes):
        assert row[2] == code
        reason = row[3].strip('"')
        assert reason == ("" if code == "ok" else identifiers.explain(code, "cpr", lang=lang))


def test_audit_ops_and_key_states_have_titles_in_both_languages() -> None:
    for op in _gdprkit.audit_op_names():
        assert _gdprkit.audit_op_title(op, "da") != _gdprkit.audit_op_title(op, "en")
    for state in _gdprkit.key_state_names():
        assert _gdprkit.key_state_title(state, "da") != _gdprkit.key_state_title(state, "en")
