"""Loading policies: Policy.load, Policy.from_text, formats and bad input."""

from __future__ import annotations

import json
import os
import pathlib
import re

import pytest

import gdprkit
from conftest import SAMPLE

SAMPLE_JSON = {
    "schema": "gdprkit.v1",
    "controller": {"name": "Example"},
    "teams": [{"id": "data", "title": "Data consultants"}],
    "retentionRules": [{"id": "r1", "description": "15 months after the provider number ends"}],
    "purposes": [
        {
            "id": "p1",
            "title": "Case handling",
            "categories": ["contact", "professional.provider_number"],
            "dataSubjects": ["general practitioners"],
            "basis": ["A6-1-b"],
            "access": [{"team": "data"}],
            "retention": "r1",
        }
    ],
}


def write(tmp_path: pathlib.Path, name: str, content) -> pathlib.Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


# -- Good input ----------------------------------------------------------------


def test_from_text_parses_the_sample() -> None:
    p = gdprkit.Policy.from_text(SAMPLE)
    assert p.source_name == "<memory>"
    assert p.purpose_ids == ("p1",)
    assert p.controller.name == "Example"
    assert p.is_valid
    assert p.validate() == []


@pytest.mark.parametrize("fmt", [None, "auto", "textproto", "text", "txtpb", "pbtxt", "TextProto"])
def test_text_format_names(fmt) -> None:
    assert gdprkit.Policy.from_text(SAMPLE, format=fmt).purpose_ids == ("p1",)


@pytest.mark.parametrize("fmt", [None, "auto", "json", "JSON"])
def test_json_from_text(fmt) -> None:
    p = gdprkit.Policy.from_text(json.dumps(SAMPLE_JSON), format=fmt, source_name="s.json")
    assert p.source_name == "s.json"
    assert p.purpose("p1").data_subjects == ("general practitioners",)
    assert p.is_valid


def test_json_and_text_give_the_same_purposes() -> None:
    a = gdprkit.Policy.from_text(SAMPLE)
    b = gdprkit.Policy.from_text(json.dumps(SAMPLE_JSON))
    assert [p.__class__(**{**p.__dict__, "line": None}) for p in a.purposes] == [
        p.__class__(**{**p.__dict__, "line": None}) for p in b.purposes
    ]
    assert a.retention_rules == b.retention_rules
    assert a.teams == b.teams


@pytest.mark.parametrize("kind", [bytes, bytearray, memoryview])
def test_from_text_takes_bytes_like(kind) -> None:
    p = gdprkit.Policy.from_text(kind(SAMPLE.encode("utf-8")))
    assert p.purpose_ids == ("p1",)


def test_from_text_with_non_ascii() -> None:
    p = gdprkit.Policy.from_text('purposes { id: "læge" title: "Kontakt Læge – ÆØÅ" }')
    assert p.purpose("læge").title == "Kontakt Læge – ÆØÅ"
    p2 = gdprkit.Policy.from_text('purposes { id: "læge" }'.encode("utf-8"))
    assert "læge" in p2


def test_load_by_str_path_and_bytes(tmp_path) -> None:
    path = write(tmp_path, "sample.textproto", SAMPLE)
    for arg in (path, str(path), os.fsencode(path)):
        p = gdprkit.Policy.load(arg)
        assert p.source_name == str(path)
        assert p.purpose_ids == ("p1",)


def test_load_json_by_extension_and_content(tmp_path) -> None:
    text = json.dumps(SAMPLE_JSON, indent=2)
    by_ext = gdprkit.Policy.load(write(tmp_path, "policy.json", text))
    by_content = gdprkit.Policy.load(write(tmp_path, "policy.policy", text))
    forced = gdprkit.Policy.load(write(tmp_path, "policy.textproto", text), format="json")
    for p in (by_ext, by_content, forced):
        assert p.purpose_ids == ("p1",)


def test_load_non_ascii_file_name(tmp_path) -> None:
    path = write(tmp_path, "kontakt_læge.textproto", SAMPLE)
    p = gdprkit.Policy.load(path)
    assert p.source_name == str(path)


def test_findings_carry_the_source_name(tmp_path) -> None:
    text = SAMPLE.replace('basis: "A6-1-b"', 'basis: "A6-1-x"')
    p = gdprkit.Policy.from_text(text, source_name="clinic.textproto")
    (f,) = [f for f in p.validate() if f.code == "unknown-basis"]
    assert f.file == "clinic.textproto"
    assert f.line == 11
    path = write(tmp_path, "clinic.textproto", text)
    (g,) = [f for f in gdprkit.Policy.load(path).validate() if f.code == "unknown-basis"]
    assert g.file == str(path)
    assert g.line == 11


@pytest.mark.parametrize("name,text", [
    ("bom.textproto", SAMPLE), ("bom.json", json.dumps(SAMPLE_JSON, indent=2)),
    ("bom.policy", SAMPLE), ("bom.policy", json.dumps(SAMPLE_JSON))])
def test_a_leading_byte_order_mark_is_skipped(tmp_path, name, text) -> None:
    # Notepad's and Excel's "UTF-8" starts the file with EF BB BF; the core
    # skips one such mark, from a file, from bytes and from a str.
    text = text.replace('basis: "A6-1-b"', 'basis: "A6-1-x"').replace('"A6-1-b"', '"A6-1-x"')
    plain = gdprkit.Policy.from_text(text, source_name=name)
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    for p in (gdprkit.Policy.load(path),
              gdprkit.Policy.from_text(path.read_bytes(), source_name=name),
              gdprkit.Policy.from_text("\ufeff" + text, source_name=name)):
        assert p.purpose_ids == ("p1",)
        assert [(f.code, f.line, f.field) for f in p.validate()] == [
            (f.code, f.line, f.field) for f in plain.validate()]
        assert any(f.code == "unknown-basis" for f in p.validate())


def test_only_one_leading_byte_order_mark_is_skipped() -> None:
    with pytest.raises(gdprkit.InvalidArgumentError, match="twice.textproto"):
        gdprkit.Policy.from_text("\ufeff\ufeff" + SAMPLE, source_name="twice.textproto")
    with pytest.raises(gdprkit.InvalidArgumentError):
        gdprkit.Policy.from_text(SAMPLE + "\ufeff")


# -- Missing and unreadable files ------------------------------------------------


def test_missing_file(tmp_path) -> None:
    path = tmp_path / "missing.textproto"
    with pytest.raises(gdprkit.NoSuchFileError) as info:
        gdprkit.Policy.load(path)
    e = info.value
    assert isinstance(e, gdprkit.NotFoundError)
    assert isinstance(e, KeyError)
    assert isinstance(e, FileNotFoundError)
    assert e.errno == 2
    assert e.filename == str(path)
    assert str(e) == f"policy file {path} does not exist"


def test_missing_directory_in_path(tmp_path) -> None:
    with pytest.raises(FileNotFoundError):
        gdprkit.Policy.load(tmp_path / "no" / "such" / "dir.textproto")


def test_file_below_a_regular_file(tmp_path) -> None:
    path = write(tmp_path, "file", SAMPLE)
    with pytest.raises(gdprkit.NotFoundError):
        gdprkit.Policy.load(path / "policy.textproto")


def test_directory_is_refused(tmp_path) -> None:
    with pytest.raises(gdprkit.InvalidArgumentError, match="is a directory"):
        gdprkit.Policy.load(tmp_path)


def test_empty_path() -> None:
    with pytest.raises(gdprkit.InvalidArgumentError, match="path is empty"):
        gdprkit.Policy.load("")


def test_path_with_nul_byte() -> None:
    with pytest.raises(gdprkit.InvalidArgumentError, match="NUL"):
        gdprkit.Policy.load("examples/policies/kapsel.textproto\0.json")
    with pytest.raises(ValueError):
        gdprkit.Policy.load(b"a\0b")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path) -> None:
    path = write(tmp_path, "secret.textproto", SAMPLE)
    path.chmod(0)
    try:
        with pytest.raises(gdprkit.PermissionDeniedError) as info:
            gdprkit.Policy.load(path)
        assert isinstance(info.value, PermissionError)
        assert info.value.filename == str(path)
    finally:
        path.chmod(0o600)


# -- Malformed text ----------------------------------------------------------------


def test_syntax_error_names_source_line_and_column() -> None:
    text = SAMPLE.replace('title: "Case handling"', 'title: "Case handling')
    with pytest.raises(gdprkit.InvalidArgumentError) as info:
        gdprkit.Policy.from_text(text, source_name="clinic.textproto")
    assert isinstance(info.value, ValueError)
    assert re.match(r"^clinic\.textproto:7:\d+: ", str(info.value)), str(info.value)


def test_syntax_error_in_a_file_names_the_file(tmp_path) -> None:
    path = write(tmp_path, "broken.textproto", SAMPLE + "purposes {\n  id: \n")
    with pytest.raises(gdprkit.InvalidArgumentError, match=re.escape(str(path)) + r":\d+:\d+: "):
        gdprkit.Policy.load(path)


def test_unknown_field_is_named() -> None:
    with pytest.raises(gdprkit.InvalidArgumentError) as info:
        gdprkit.Policy.from_text('purposes {\n  id: "a"\n  bases: "A6-1-b"\n}\n')
    msg = str(info.value)
    assert msg.startswith("<memory>:3:")
    assert "bases" in msg


def test_malformed_json_names_the_line() -> None:
    text = '{\n  "purposes": [\n    {"id": "a",}\n  ]\n}\n'
    with pytest.raises(gdprkit.InvalidArgumentError) as info:
        gdprkit.Policy.from_text(text, format="json", source_name="p.json")
    assert re.match(r"^p\.json:3:", str(info.value)), str(info.value)


def test_json_with_unknown_field() -> None:
    with pytest.raises(gdprkit.InvalidArgumentError, match="purpos"):
        gdprkit.Policy.from_text('{"purpos": []}', format="json")


def test_json_given_as_text_format_fails() -> None:
    with pytest.raises(gdprkit.InvalidArgumentError):
        gdprkit.Policy.from_text(json.dumps(SAMPLE_JSON), format="textproto")


def test_text_given_as_json_fails() -> None:
    with pytest.raises(gdprkit.InvalidArgumentError):
        gdprkit.Policy.from_text(SAMPLE, format="json")


def test_truncated_policy() -> None:
    for cut in (10, len(SAMPLE) // 2, len(SAMPLE) - 3):
        with pytest.raises(gdprkit.InvalidArgumentError):
            gdprkit.Policy.from_text(SAMPLE[:cut])
    text = json.dumps(SAMPLE_JSON)
    for cut in (1, len(text) // 2, len(text) - 1):
        with pytest.raises(gdprkit.InvalidArgumentError):
            gdprkit.Policy.from_text(text[:cut], format="json")


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t ", b"", bytearray()])
def test_empty_input(text) -> None:
    with pytest.raises(gdprkit.InvalidArgumentError, match="empty"):
        gdprkit.Policy.from_text(text)


def test_empty_file(tmp_path) -> None:
    with pytest.raises(gdprkit.InvalidArgumentError, match="empty"):
        gdprkit.Policy.load(write(tmp_path, "empty.textproto", b""))


@pytest.mark.parametrize(
    "garbage",
    [
        b"\x00\x01\x02\x03",
        b"\xff\xfe\xfd",
        bytes(range(256)),
        b'purposes { id: "a" }\n\x89PNG\r\n\x1a\n',
        b"\x1f\x8b\x08\x00" + os.urandom(64),
    ],
)
def test_binary_garbage(garbage: bytes, tmp_path) -> None:
    with pytest.raises(gdprkit.InvalidArgumentError):
        gdprkit.Policy.from_text(garbage)
    with pytest.raises(gdprkit.InvalidArgumentError):
        gdprkit.Policy.load(write(tmp_path, "garbage.textproto", garbage))


def test_binary_garbage_message_names_line_and_column() -> None:
    with pytest.raises(gdprkit.InvalidArgumentError) as info:
        gdprkit.Policy.from_text(b'purposes { id: "a" }\nxx\xff', source_name="g.bin")
    assert str(info.value).startswith("g.bin:2:3: not UTF-8 text")


def test_nul_byte_in_text() -> None:
    with pytest.raises(gdprkit.InvalidArgumentError):
        gdprkit.Policy.from_text('purposes { id: "a\0" }')


def test_lone_surrogate_in_str() -> None:
    with pytest.raises(gdprkit.InvalidArgumentError, match="not UTF-8"):
        gdprkit.Policy.from_text('purposes { id: "\ud800" }')


def test_random_bytes_never_crash() -> None:
    import random

    rng = random.Random(1234)
    for _ in range(300):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
        try:
            gdprkit.Policy.from_text(data)
        except gdprkit.InvalidArgumentError:
            pass


def test_mutated_sample_never_crashes() -> None:
    import random

    rng = random.Random(99)
    base = SAMPLE.encode()
    for _ in range(300):
        data = bytearray(base)
        for _ in range(rng.randrange(1, 6)):
            i = rng.randrange(len(data))
            data[i] = rng.choice(b'{}":#\n ab\\')
        try:
            p = gdprkit.Policy.from_text(bytes(data))
        except gdprkit.InvalidArgumentError:
            continue
        p.validate()  # parses: validation describes, never raises
        for pid in p.purpose_ids:
            p.rights_detail(pid)


# -- Huge input --------------------------------------------------------------------


def test_huge_text_is_refused() -> None:
    big = "# " + "x" * (gdprkit.MAX_POLICY_BYTES + 10) + "\n"
    with pytest.raises(gdprkit.ResourceExhaustedError) as info:
        gdprkit.Policy.from_text(big, source_name="big.textproto")
    assert "big.textproto" in str(info.value)
    assert str(gdprkit.MAX_POLICY_BYTES) in str(info.value)


def test_huge_file_is_refused(tmp_path) -> None:
    path = tmp_path / "big.textproto"
    with open(path, "wb") as f:
        f.truncate(gdprkit.MAX_POLICY_BYTES + 1)
    with pytest.raises(gdprkit.ResourceExhaustedError, match="limit"):
        gdprkit.Policy.load(path)


def test_policy_with_two_thousand_purposes() -> None:
    purposes = "".join(
        f'purposes {{ id: "p{i}" title: "Purpose {i}" categories: "contact" '
        f'data_subjects: "patients" basis: "A6-1-b" access {{ team: "data" }} retention: "r1" }}\n'
        for i in range(2000)
    )
    text = SAMPLE.replace('purposes {\n  id: "p1"', 'purposes {\n  id: "p"') + purposes
    p = gdprkit.Policy.from_text(text)
    assert len(p.purposes) == 2001
    assert p.purpose("p1999").title == "Purpose 1999"
    assert p.is_valid
    frame = p.to_frame()
    assert len(frame) == 2001


# -- Wrong arguments ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["yaml", "", "proto", "jsonl", "textproto "])
def test_unknown_format_name(fmt: str) -> None:
    with pytest.raises(gdprkit.InvalidArgumentError) as info:
        gdprkit.Policy.from_text(SAMPLE, format=fmt)
    assert isinstance(info.value, ValueError)
    assert f'"{fmt}"' in str(info.value)
    assert '"textproto"' in str(info.value) and '"json"' in str(info.value)
    with pytest.raises(ValueError):
        gdprkit.Policy.load("examples/policies/kapsel.textproto", format=fmt)


@pytest.mark.parametrize("fmt", [1, b"json", ["json"]])
def test_format_of_wrong_type(fmt) -> None:
    with pytest.raises(TypeError):
        gdprkit.Policy.from_text(SAMPLE, format=fmt)


@pytest.mark.parametrize("text", [None, 42, ["purposes {}"], pathlib.Path("x")])
def test_text_of_wrong_type(text) -> None:
    with pytest.raises(TypeError):
        gdprkit.Policy.from_text(text)


@pytest.mark.parametrize("path", [None, 42, ["a.textproto"]])
def test_path_of_wrong_type(path) -> None:
    with pytest.raises(TypeError):
        gdprkit.Policy.load(path)


def test_source_name_of_wrong_type() -> None:
    with pytest.raises(TypeError):
        gdprkit.Policy.from_text(SAMPLE, source_name=None)  # type: ignore[arg-type]


def test_empty_source_name_is_memory() -> None:
    assert gdprkit.Policy.from_text(SAMPLE, source_name="").source_name == "<memory>"


def test_policy_cannot_be_constructed_directly() -> None:
    with pytest.raises(TypeError, match="Policy.load"):
        gdprkit.Policy()
