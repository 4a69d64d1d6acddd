"""Door parity for the vocabularies of policies, lawful bases and status codes.

Each vocabulary is read from the core (through the extension, which lists the
tables of src/policy/vocabulary.cc and src/common/status_names.cc), and every
name must be accepted and printed back by every door that has it: the policy
file (its proto enum spelling), the Python package, the command line (the
built ``gdprkit``) and the C ABI (libgdprkit.so beside it, through ctypes);
tests/python/doors.py finds both. A name added to a core table and
missing at a door fails here.
"""

from __future__ import annotations

import json
import pathlib
import re
from typing import Any, Dict, List, Tuple

import pytest

import gdprkit
from doors import needs_c, needs_cli, run_c_probe, run_cli
from gdprkit import _gdprkit
from gdprkit.basis import finding_codes, finding_title

NAMES: Dict[str, List[str]] = _gdprkit.policy_names()


def test_the_core_lists_every_vocabulary() -> None:
    assert sorted(NAMES) == sorted([
        "policy_format", "severity", "recipient_kind", "erasure_exception", "controller_role",
        "retention_action", "basis_kind", "basis_effect", "category_flag",
    ])
    for vocabulary, names in NAMES.items():
        assert names, vocabulary
        assert len(set(names)) == len(names), vocabulary
        assert "unknown" not in names, vocabulary  # what a value outside a table prints as


# -- A policy that uses every name: each enum written as the policy file spells it.


def _proto_name(vocabulary: str, name: str) -> str:
    """The enum value of proto/gdprkit/v1/policy.proto for a core name."""
    if name == "unspecified":
        return {"recipient_kind": "RECIPIENT_KIND_UNSPECIFIED",
                "erasure_exception": "ERASURE_EXCEPTION_UNSPECIFIED"}[vocabulary]
    if vocabulary == "controller_role":
        return "ROLE_" + name.upper()
    return name.upper()


def _policy_text() -> str:
    rules = "\n".join(
        f'retention_rules {{ id: "r-{a}" period: "P1Y" '
        f'action: {_proto_name("retention_action", a)} }}'
        for a in NAMES["retention_action"])
    recipients = "\n".join(
        f'  recipients {{ name: "to-{k}" kind: {_proto_name("recipient_kind", k)} }}'
        for k in NAMES["recipient_kind"])
    exceptions = "\n".join(
        f'  erasure_exceptions: {_proto_name("erasure_exception", e)}'
        for e in NAMES["erasure_exception"])
    roles = "\n".join(
        f'purposes {{ id: "role-{r}" categories: "contact" data_subjects: "patients" '
        f'basis: "A6-1-b" retention: "r-delete_after" role: {_proto_name("controller_role", r)} '
        f'controller_of_data: "X" }}'
        for r in NAMES["controller_role"])
    return f"""
schema: "gdprkit.v1"
controller {{ name: "Klinik" }}
teams {{ id: "clinic" }}
{rules}
purposes {{
  id: "everything"
  categories: "contact"
  data_subjects: "patients"
  basis: "A6-1-b"
  basis: "A9-2-h"
  retention: "r-delete_after"
{recipients}
{exceptions}
}}
{roles}
"""


@pytest.fixture(scope="module")
def policy() -> gdprkit.Policy:
    return gdprkit.Policy.from_text(_policy_text(), source_name="vocabulary.textproto")


def test_python_prints_every_recipient_kind(policy: gdprkit.Policy) -> None:
    kinds = [r.kind for r in policy.purpose("everything").recipients]
    assert kinds == NAMES["recipient_kind"]


def test_python_prints_every_erasure_exception(policy: gdprkit.Policy) -> None:
    assert list(policy.purpose("everything").erasure_exceptions) == NAMES["erasure_exception"]


def test_python_prints_every_controller_role(policy: gdprkit.Policy) -> None:
    roles = [policy.purpose(f"role-{r}").role for r in NAMES["controller_role"]]
    assert roles == NAMES["controller_role"]


def test_python_prints_every_retention_action(policy: gdprkit.Policy) -> None:
    assert [r.action for r in policy.retention_rules] == NAMES["retention_action"]


def test_python_prints_every_severity(policy: gdprkit.Policy) -> None:
    # error: the unspecified erasure exception; warning: A9-2-h without A9-3;
    # info: A9-2-h without a special category of data.
    severities = {f.severity for f in policy.validate()}
    assert severities == set(NAMES["severity"])
    frame = policy.findings_frame()
    assert set(frame["severity"]) == set(NAMES["severity"])


def test_python_accepts_every_policy_format() -> None:
    text = 'schema: "gdprkit.v1" purposes { id: "p" }'
    as_json = json.dumps({"schema": "gdprkit.v1", "purposes": [{"id": "p"}]})
    for name in NAMES["policy_format"]:
        source = as_json if name == "json" else text
        for spelling in (name, name.upper()):
            assert gdprkit.Policy.from_text(source, format=spelling).purpose_ids == ("p",)
    with pytest.raises(gdprkit.InvalidArgumentError) as info:
        gdprkit.Policy.from_text(text, format="jsn")
    for name in NAMES["policy_format"]:
        assert f'"{name}"' in str(info.value)
    assert 'did you mean "json"?' in str(info.value)


def test_python_prints_every_basis_kind_and_effect() -> None:
    kinds = {b.kind for b in gdprkit.legal_bases()}
    effects = {e for b in gdprkit.legal_bases() for e in b.effects}
    # "reference" is the kind of the codes a policy declares, never built in.
    assert kinds == set(NAMES["basis_kind"]) - {"reference"}
    assert effects == set(NAMES["basis_effect"])


def test_python_prints_every_category_flag() -> None:
    builtin = gdprkit.builtin_categories()
    for flag in NAMES["category_flag"]:
        assert any(getattr(c, flag) for c in builtin), flag
        assert not all(getattr(c, flag) for c in builtin), flag


def test_python_names_every_status_code() -> None:
    names = _gdprkit.status_code_names()
    assert names[0] == "OK" and len(names) == 17
    for number, name in enumerate(names):
        cls = gdprkit.error_class(number)
        if cls is not gdprkit.UnknownError:
            assert cls.status_code == name
            assert cls.status_number == number


# -- The command line ------------------------------------------------------------


@needs_cli
def test_cli_prints_every_severity(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "vocabulary.textproto"
    path.write_text(_policy_text(), encoding="utf-8")
    report = json.loads(run_cli("policy", "check", "--format", "json", str(path), code=1))
    severities = {f["severity"] for file in report["files"] for f in file["findings"]}
    assert severities == set(NAMES["severity"])
    text = run_cli("policy", "check", str(path), code=1)
    for name in NAMES["severity"]:
        assert f": {name} [" in text


@needs_cli
def test_cli_prints_every_right_and_basis_code(tmp_path: pathlib.Path) -> None:
    codes = [b.code for b in gdprkit.legal_bases()]
    path = tmp_path / "bases.textproto"
    path.write_text(
        'schema: "gdprkit.v1"\n'
        + "".join(f'purposes {{ id: "p{i}" basis: "{c}" }}\n' for i, c in enumerate(codes)),
        encoding="utf-8")
    purposes = json.loads(run_cli("policy", "purposes", "--format", "json", str(path)))
    assert [p["basis"] for p in purposes["purposes"]] == [[c] for c in codes]
    assert [p["basis_titles"] for p in purposes["purposes"]] == [
        [gdprkit.basis_title(c)] for c in codes]
    rights = json.loads(run_cli("policy", "rights", "--format", "json", str(path)))
    for purpose in rights["purposes"]:
        assert [(r["right"], r["title"]) for r in purpose["rights"]] == [
            (r.code, r.title) for r in gdprkit.data_subject_rights()]


# -- The C ABI -------------------------------------------------------------------


# The C ABI through ctypes (doors.run_c_probe runs it in a process of its own).
_C_PROBE = """
import ctypes, json, sys
lib = ctypes.CDLL(sys.argv[1])
lib.gdprkit_status_name.restype = ctypes.c_char_p
lib.gdprkit_last_error.restype = ctypes.c_char_p

class Finding(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("severity", ctypes.c_int),
                ("severity_name", ctypes.c_char_p), ("code", ctypes.c_char_p),
                ("purpose_id", ctypes.c_char_p), ("field", ctypes.c_char_p),
                ("message", ctypes.c_char_p), ("file", ctypes.c_char_p), ("line", ctypes.c_int)]

out = {"status": [lib.gdprkit_status_name(i).decode() for i in range(18)]}
text = sys.argv[2].encode()
json_text = sys.argv[3].encode()
formats = []
for number in range(4):
    policy = ctypes.c_void_p()
    data = json_text if number == 2 else text
    status = lib.gdprkit_policy_load_bytes(ctypes.byref(policy), data, len(data), number, None)
    formats.append(status)
    if status == 0 and number == 1:
        findings = ctypes.c_void_p()
        assert lib.gdprkit_policy_validate(ctypes.byref(findings), policy) == 0
        lib.gdprkit_findings_count.restype = ctypes.c_size_t
        seen = set()
        for i in range(lib.gdprkit_findings_count(findings)):
            f = Finding(1)
            assert lib.gdprkit_findings_get(ctypes.byref(f), findings, ctypes.c_size_t(i)) == 0
            seen.add((f.severity, f.severity_name.decode()))
        out["severities"] = sorted(seen)
        lib.gdprkit_findings_free(findings)
    lib.gdprkit_policy_free(policy)
out["formats"] = formats
print(json.dumps(out))
"""


@needs_c
def test_c_names_every_severity_status_and_format() -> None:
    as_json = json.dumps({"schema": "gdprkit.v1", "purposes": [{"id": "p"}]})
    seen: Dict[str, Any] = json.loads(run_c_probe(_C_PROBE, _policy_text(), as_json))
    # Severities: the C numbers are the positions of the core's names.
    expected: List[Tuple[int, str]] = list(enumerate(NAMES["severity"]))
    assert [tuple(s) for s in seen["severities"]] == expected
    # Status names: the core's, then "UNKNOWN_CODE" past the last code.
    assert seen["status"] == _gdprkit.status_code_names() + ["UNKNOWN_CODE"]
    # Formats: the C numbers 0, 1, 2 are the core's names in order (and the
    # extension's FORMAT_* constants); 3 is refused.
    assert NAMES["policy_format"] == ["auto", "textproto", "json"]
    assert [_gdprkit.FORMAT_AUTO, _gdprkit.FORMAT_TEXTPROTO, _gdprkit.FORMAT_JSON] == [0, 1, 2]
    assert seen["formats"] == [0, 0, 0, 3]


# -- Titles in each language (issue #11): one table in the core, the same title
# for the same code at every door.

REPO = pathlib.Path(__file__).resolve().parents[2]
LANGS: List[str] = _gdprkit.language_names()
BASIS_CODES = [b.code for b in gdprkit.legal_bases()]
RIGHT_CODES = [r.code for r in gdprkit.data_subject_rights()]
FINDING_CODES = [f.code for f in finding_codes()]


def test_every_finding_code_the_checks_report_is_in_the_core_table() -> None:
    # The codes written in the checks (src/policy/validate.cc and the retention
    # rule check) with their severity, against the core's table of codes.
    reported = set()
    for source in ("src/policy/validate.cc", "src/retention/rules.cc"):
        text = (REPO / source).read_text(encoding="utf-8")
        for severity, code in re.findall(
                r'(?:Add|add)\(\s*Severity::k(\w+),\s*"([a-z0-9]+(?:-[a-z0-9]+)+)"', text):
            reported.add((code, severity.lower()))
    assert len(reported) > 30
    table = {(f.code, f.severity) for f in finding_codes()}
    assert reported == table


def test_docs_list_every_finding_code() -> None:
    docs = (REPO / "docs/policy.md").read_text(encoding="utf-8")
    section = docs[docs.index("## 1."):docs.index("## 2.")]
    listed = set(re.findall(r"^\| (`[^|]*`) \|", section, re.M))
    codes = {c for cell in listed for c in re.findall(r"`([a-z0-9-]+)`", cell)}
    assert codes == set(FINDING_CODES)


def _titles(lang: str) -> Dict[str, Any]:
    """Every title Python prints in `lang`, by vocabulary and code."""
    return {
        "basis": {c: gdprkit.basis_title(c, lang=lang) for c in BASIS_CODES},
        "right": {c: gdprkit.right_title(c, lang=lang) for c in RIGHT_CODES},
        "finding": {c: finding_title(c, lang=lang) for c in FINDING_CODES},
        "severity": _gdprkit.policy_titles(lang)["severity"],
    }


def test_python_gives_every_title_in_each_language() -> None:
    assert LANGS == ["en", "da"]
    english, danish = _titles("en"), _titles("da")
    for vocabulary, titles in danish.items():
        for code, title in titles.items():
            assert title, (vocabulary, code)
            if vocabulary != "severity" or code != "info":
                assert title != english[vocabulary][code], (vocabulary, code)
    assert danish["basis"]["A6-1-c"] == "Art. 6, stk. 1, litra c: retlig forpligtelse"
    assert danish["right"]["A17"] == "Art. 17: Ret til sletning"
    # Every call that lists titles gives the same ones.
    assert dict(gdprkit.legal_bases(lang="da")) == danish["basis"]
    assert dict(gdprkit.data_subject_rights(lang="da")) == danish["right"]
    assert {f.code: f.title for f in finding_codes(lang="dansk")} == danish["finding"]
    assert gdprkit.legal_basis("A10", lang="da").title == danish["basis"]["A10"]
    with pytest.raises(gdprkit.InvalidArgumentError, match="lang"):
        gdprkit.right_title("A17", lang="de")


def _bases_policy(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "bases.textproto"
    path.write_text(
        'schema: "gdprkit.v1"\n'
        + "".join(f'purposes {{ id: "p{i}" basis: "{c}" }}\n' for i, c in enumerate(BASIS_CODES)),
        encoding="utf-8")
    return path


@needs_cli
@pytest.mark.parametrize("lang", ["en", "da"])
def test_cli_prints_the_same_titles(tmp_path: pathlib.Path, lang: str) -> None:
    titles = _titles(lang)
    path = _bases_policy(tmp_path)
    purposes = json.loads(run_cli("policy", "purposes", "--lang", lang, "--format", "json",
                                  str(path)))
    assert [p["basis_titles"] for p in purposes["purposes"]] == [
        [titles["basis"][c]] for c in BASIS_CODES]
    rights = json.loads(run_cli("policy", "rights", "--lang", lang, "--format", "json", str(path)))
    for purpose in rights["purposes"]:
        assert {r["right"]: r["title"] for r in purpose["rights"]} == titles["right"]
    text = run_cli("policy", "rights", "--lang", lang, str(path))
    for code, title in titles["right"].items():
        assert f"{code:5}{title}" in text
    # Findings: every one reported, with its severity's and its code's title.
    report = json.loads(run_cli("policy", "check", "--lang", lang, "--format", "json",
                                str(path), code=1))
    findings = [f for file in report["files"] for f in file["findings"]]
    assert {f["severity"] for f in findings} == set(NAMES["severity"])
    for f in findings:
        assert f["title"] == titles["finding"][f["code"]]
        assert f["severity_title"] == titles["severity"][f["severity"]]
    text = run_cli("policy", "check", "--lang", lang, str(path), code=1)
    for f in findings:
        assert f"{titles['severity'][f['severity']]} [{f['code']}] {f['title']}: " in text


_C_TITLES_PROBE = """
import ctypes, json, sys
lib = ctypes.CDLL(sys.argv[1])
codes = json.loads(sys.argv[2])
out = {}
for lang in (0, 1):
    titles = {}
    for vocabulary, function in (("basis", lib.gdprkit_legal_basis_title),
                                 ("right", lib.gdprkit_right_title),
                                 ("finding", lib.gdprkit_finding_title)):
        function.restype = ctypes.c_char_p
        titles[vocabulary] = {c: function(c.encode(), lang).decode() for c in codes[vocabulary]}
    lib.gdprkit_severity_title.restype = ctypes.c_char_p
    titles["severity"] = {name: lib.gdprkit_severity_title(number, lang).decode()
                          for number, name in enumerate(codes["severity"])}
    out[lang] = titles
print(json.dumps(out))
"""


@needs_c
def test_c_gives_the_same_titles() -> None:
    codes = {"basis": BASIS_CODES, "right": RIGHT_CODES, "finding": FINDING_CODES,
             "severity": NAMES["severity"]}
    seen = json.loads(run_c_probe(_C_TITLES_PROBE, json.dumps(codes)))
    assert seen["0"] == _titles("en")
    assert seen["1"] == _titles("da")
