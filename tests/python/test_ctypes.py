"""The C ABI from Python's ctypes, with no binding in between (docs/ffi.md).

These tests load libgdprkit.so.0 itself, not the gdprkit package: the one
named by GDPRKIT_C_LIBRARY. CTest's c_ctypes test sets it to the library it
built; under pytest they are skipped without it (a stale build would only
mislead).
The checks run in a process of their own, as a plain script with any Python 3
(`python3 tests/python/test_ctypes.py [check ...]`; CTest's c_ctypes runs them
all), never inside pytest's process: that one has imported the gdprkit
package, whose extension registers the gdprkit.v1 protobuf schemas with the
same shared libprotobuf as libgdprkit.so.0 does, and protobuf aborts the
process on the second registration (docs/ffi.md). Under pytest, one test per
check starts that script.
"""

from __future__ import annotations

import ctypes
import os
import pathlib
import re
import subprocess
import sys
import tempfile
from ctypes import (
    POINTER,
    byref,
    c_char_p,
    c_int,
    c_int32,
    c_int64,
    c_size_t,
    c_uint,
    c_uint8,
    c_void_p,
)
from typing import Any, Callable, Dict, List

REPO = pathlib.Path(__file__).resolve().parents[2]
POLICY = REPO / "examples" / "policies" / "kontakt_laege.textproto"
PRACTIO = REPO / "examples" / "policies" / "practio.textproto"
OK, INVALID_ARGUMENT, NOT_FOUND = 0, 3, 5


def library_path() -> str:
    path = os.environ.get("GDPRKIT_C_LIBRARY")
    if path:
        return path
    message = "GDPRKIT_C_LIBRARY is not set (CTest's c_ctypes sets it to the library it built)"
    if __name__ == "__main__":
        raise SystemExit(message)
    import pytest

    pytest.skip(message)
    raise AssertionError("unreachable")


class RightInfo(ctypes.Structure):
    VERSION = 1  # GDPRKIT_RIGHT_INFO_VERSION: the layout below
    _fields_ = [("version", c_uint), ("code", c_char_p), ("title", c_char_p), ("applies", c_int),
        ("reason", c_char_p)]


class VaultOptions(ctypes.Structure):
    VERSION = 1  # GDPRKIT_VAULT_OPTIONS_VERSION: the layout below
    _fields_ = [("version", c_uint), ("actor", c_char_p), ("kdf_cost", c_int),
        ("create_if_missing", c_int), ("busy_timeout_ms", c_int)]


class IdOptions(ctypes.Structure):
    VERSION = 2  # GDPRKIT_ID_OPTIONS_VERSION: the layout below
    _fields_ = [("version", c_uint), ("cpr_require_modulus11", c_int),
        ("cpr_allow_replacement", c_int), ("pad_provider_number", c_int),
        ("cpr_allow_future", c_int), ("cpr_as_of", c_int32)]


ProgressFn = ctypes.CFUNCTYPE(c_int, c_void_p, c_char_p, c_int64, c_int64)


class BatchOptions(ctypes.Structure):
    VERSION = 3  # GDPRKIT_BATCH_OPTIONS_VERSION: the layout below
    _fields_ = [("version", c_uint), ("id_options", IdOptions), ("skip_invalid", c_int),
        ("key_version", c_uint), ("errors", c_int), ("progress", ProgressFn),
        ("progress_context", c_void_p)]


Texts = POINTER(c_char_p)


class ConsentRecords(ctypes.Structure):
    VERSION = 1  # GDPRKIT_CONSENT_RECORDS_VERSION: the layout below (columns of `count` rows)
    _fields_ = [("version", c_uint), ("count", c_size_t), ("subjects", Texts),
        ("purposes", Texts), ("states", POINTER(c_uint8)), ("at", POINTER(c_int64)),
        ("valid_until", POINTER(c_int32)), ("notice_versions", Texts), ("notice_texts", Texts),
        ("notice_digests", Texts), ("channels", Texts), ("recorded_by", Texts),
        ("evidence", Texts)]


class ConsentCheck(ctypes.Structure):
    VERSION = 1  # GDPRKIT_CONSENT_CHECK_VERSION: the layout below
    _fields_ = [("version", c_uint), ("intact", c_int), ("entries", c_int64), ("head", c_char_p),
        ("first_broken_entry", c_int64), ("problem", c_char_p), ("ledger_id", c_char_p),
        ("keyed", c_int)]


Handle = POINTER(c_void_p)
Bytes = POINTER(ctypes.c_ubyte)


def load() -> ctypes.CDLL:
    """The library with the prototypes these tests use."""
    lib = ctypes.CDLL(library_path())
    protos = {
        "gdprkit_version": ([], c_char_p),
        "gdprkit_last_error": ([], c_char_p),
        "gdprkit_status_name": ([c_int], c_char_p),
        "gdprkit_policy_load_file": ([Handle, c_char_p, c_int], c_int),
        "gdprkit_policy_free": ([c_void_p], None),
        "gdprkit_policy_rights": ([Handle, c_void_p, c_char_p], c_int),
        "gdprkit_rights_count": ([c_void_p], c_size_t),
        "gdprkit_rights_get": ([POINTER(RightInfo), c_void_p, c_size_t], c_int),
        "gdprkit_rights_free": ([c_void_p], None),
        "gdprkit_right_info_init": ([POINTER(RightInfo), c_uint], c_int),
        "gdprkit_vault_options_init": ([POINTER(VaultOptions), c_uint], c_int),
        "gdprkit_batch_options_init": ([POINTER(BatchOptions), c_uint], c_int),
        "gdprkit_vault_create_with_key": (
            [Handle, c_char_p, c_char_p, c_size_t, POINTER(VaultOptions)],
            c_int,
        ),
        "gdprkit_vault_close": ([c_void_p], None),
        "gdprkit_vault_create_domain": ([c_void_p, c_char_p, c_char_p], c_int),
        "gdprkit_vault_export_pseudonym_key": (
            [Handle, POINTER(c_size_t), c_void_p, c_char_p, c_char_p],
            c_int,
        ),
        "gdprkit_vault_pseudonymize": (
            [Handle, Bytes, c_void_p, c_char_p, c_int, POINTER(c_char_p), c_size_t,
             POINTER(BatchOptions)],
            c_int,
        ),
        "gdprkit_secret_free": ([c_void_p], None),
        "gdprkit_pseudonymizer_from_exported_key": ([Handle, c_void_p, c_size_t], c_int),
        "gdprkit_pseudonymizer_domain": ([c_void_p], c_char_p),
        "gdprkit_pseudonymizer_free": ([c_void_p], None),
        "gdprkit_pseudonymizer_pseudonymize": (
            [Handle, Bytes, c_void_p, c_int, POINTER(c_char_p), c_size_t, POINTER(BatchOptions)],
            c_int,
        ),
        "gdprkit_id_kind_parse": ([POINTER(c_int), c_char_p], c_int),
        "gdprkit_errors_parse": ([c_char_p, POINTER(c_int)], c_int),
        "gdprkit_id_problem_code": ([c_int], c_char_p),
        "gdprkit_id_column_count": ([c_void_p], c_size_t),
        "gdprkit_id_column_values": ([c_void_p], POINTER(c_char_p)),
        "gdprkit_id_column_free": ([c_void_p], None),
        "gdprkit_date_parse": ([POINTER(c_int32), c_char_p], c_int),
        "gdprkit_date_format": ([c_char_p, c_size_t, c_int32], c_int),
        "gdprkit_consent_state_name": ([c_int], c_char_p),
        "gdprkit_consent_state_parse": ([POINTER(c_int), c_char_p], c_int),
        "gdprkit_consent_records_init": ([POINTER(ConsentRecords), c_uint], c_int),
        "gdprkit_consent_check_init": ([POINTER(ConsentCheck), c_uint], c_int),
        "gdprkit_consent_ledger_create": ([Handle, c_char_p, c_void_p, c_void_p], c_int),
        "gdprkit_consent_ledger_free": ([c_void_p], None),
        "gdprkit_consent_ledger_entries": ([c_void_p], c_int64),
        "gdprkit_consent_ledger_record": (
            [POINTER(c_int64), c_void_p, POINTER(ConsentRecords)],
            c_int,
        ),
        "gdprkit_consent_ledger_states": (
            [POINTER(c_uint8), c_void_p, Texts, c_size_t, c_char_p, c_int32],
            c_int,
        ),
        "gdprkit_consent_ledger_withdrawals": (
            [POINTER(POINTER(c_char_p)), POINTER(POINTER(c_int32)), POINTER(c_size_t), c_void_p,
             c_char_p, c_int64],
            c_int,
        ),
        "gdprkit_consent_withdrawals_free": ([POINTER(c_char_p), POINTER(c_int32)], None),
        "gdprkit_consent_ledger_verify": ([Handle, c_void_p, c_char_p], c_int),
        "gdprkit_consent_verification_get": ([POINTER(ConsentCheck), c_void_p], c_int),
        "gdprkit_consent_verification_free": ([c_void_p], None),
        "gdprkit_request_deadline": ([POINTER(c_int32), c_int32, c_int], c_int),
    }
    for name, (argtypes, restype) in protos.items():
        fn = getattr(lib, name)
        fn.argtypes = argtypes
        fn.restype = restype
    return lib


def last_error(lib: ctypes.CDLL) -> str:
    return str(lib.gdprkit_last_error().decode("utf-8"))


def expect(lib: ctypes.CDLL, status: int, want: int = OK) -> None:
    assert status == want, (
        f"{lib.gdprkit_status_name(status).decode()} (want "
        f"{lib.gdprkit_status_name(want).decode()}): {last_error(lib)}"
    )


def rights_table(lib: ctypes.CDLL, purpose: bytes) -> List[tuple[str, bool, str]]:
    policy = c_void_p()
    expect(lib, lib.gdprkit_policy_load_file(byref(policy), str(POLICY).encode(), 0))
    try:
        rights = c_void_p()
        expect(lib, lib.gdprkit_policy_rights(byref(rights), policy, purpose))
    finally:
        lib.gdprkit_policy_free(policy)  # the rights outlive their policy
    try:
        info = RightInfo()
        expect(lib, lib.gdprkit_right_info_init(byref(info), info.VERSION))
        table = []
        for i in range(lib.gdprkit_rights_count(rights)):
            expect(lib, lib.gdprkit_rights_get(byref(info), rights, i))
            table.append((info.code.decode(), bool(info.applies), info.reason.decode()))
        return table
    finally:
        lib.gdprkit_rights_free(rights)


def check_rights_table_of_a_purpose() -> None:
    lib = load()
    table = rights_table(lib, b"video-consultation")
    codes = [code for code, _, _ in table]
    assert codes[:2] == ["A13", "A14"] and codes[-1] == "A7-3" and len(codes) == 11
    applies = {code for code, yes, _ in table if yes}
    assert applies == {"A13", "A15", "A16", "A17", "A18", "A19"}
    assert all(reason for _, _, reason in table)
    assert last_error(lib) == ""  # cleared by every successful call


def check_errors_reach_ctypes_with_their_status_and_message() -> None:
    lib = load()
    policy = c_void_p(1234)  # a failed call sets it to NULL, never leaves it half-set
    missing = str(REPO / "no-such-policy.textproto").encode()
    expect(lib, lib.gdprkit_policy_load_file(byref(policy), missing, 0), NOT_FOUND)
    assert policy.value is None
    message = last_error(lib)
    assert message.startswith("gdprkit_policy_load_file: ") and "no-such-policy" in message

    expect(lib, lib.gdprkit_policy_load_file(byref(policy), str(POLICY).encode(), 0))
    try:
        rights = c_void_p()
        typo = b"video-consultaton"
        expect(lib, lib.gdprkit_policy_rights(byref(rights), policy, typo), NOT_FOUND)
        assert rights.value is None
        assert 'did you mean "video-consultation"' in last_error(lib)
        expect(lib, lib.gdprkit_policy_rights(None, policy, typo), INVALID_ARGUMENT)
        assert last_error(lib) == "gdprkit_policy_rights: argument out is NULL"
    finally:
        lib.gdprkit_policy_free(policy)
    for free in ("policy", "rights", "vault_close", "id_column", "pseudonymizer", "secret"):
        name = f"gdprkit_{free}" if free == "vault_close" else f"gdprkit_{free}_free"
        getattr(lib, name)(None)  # every free function accepts NULL


def check_a_struct_without_its_version_is_refused_naming_the_init_function() -> None:
    lib = load()
    policy, rights = c_void_p(), c_void_p()
    expect(lib, lib.gdprkit_policy_load_file(byref(policy), str(POLICY).encode(), 0))
    try:
        expect(lib, lib.gdprkit_policy_rights(byref(rights), policy, b"video-consultation"))
        info = RightInfo()  # ctypes zeroes it: version 0, as a caller without the macro had
        expect(lib, lib.gdprkit_rights_get(byref(info), rights, 0), INVALID_ARGUMENT)
        assert "gdprkit_right_info.version is 0" in last_error(lib)
        hint = "GDPRKIT_RIGHT_INFO_INIT, or gdprkit_right_info_init(&s, GDPRKIT_RIGHT_INFO_VERSION)"
        assert hint in last_error(lib)
        # A layout this library does not know: refused, and nothing written.
        expect(lib, lib.gdprkit_right_info_init(byref(info), 99), INVALID_ARGUMENT)
        assert info.version == 0 and "gdprkit_right_info_init: version 99" in last_error(lib)
        expect(lib, lib.gdprkit_right_info_init(byref(info), info.VERSION))
        assert info.version >= 1 and info.code is None
        expect(lib, lib.gdprkit_rights_get(byref(info), rights, 0))
        assert info.code == b"A13"
    finally:
        lib.gdprkit_rights_free(rights)
        lib.gdprkit_policy_free(policy)


def column_values(lib: ctypes.CDLL, column: c_void_p) -> List[str]:
    values = lib.gdprkit_id_column_values(column)
    return [values[i].decode() for i in range(lib.gdprkit_id_column_count(column))]


def check_pseudonymise_a_column_with_an_exported_key() -> None:
    lib = load()
    kind, coerce = c_int(), c_int()
    expect(lib, lib.gdprkit_id_kind_parse(byref(kind), b"provider_number"))
    expect(lib, lib.gdprkit_errors_parse(b"coerce", byref(coerce)))
    rows = [b"012345", b"12A45", b"54321"]
    values = (c_char_p * len(rows))(*rows)

    with tempfile.TemporaryDirectory() as folder:
        options = VaultOptions()
        expect(lib, lib.gdprkit_vault_options_init(byref(options), options.VERSION))
        options.actor = b"test_ctypes"
        vault = c_void_p()
        path = os.path.join(folder, "v.gdprkit").encode()
        expect(lib, lib.gdprkit_vault_create_with_key(byref(vault), path, b"k" * 32, 32,
                                                      byref(options)))
        key, key_len = c_void_p(), c_size_t()
        from_vault = c_void_p()
        try:
            expect(lib, lib.gdprkit_vault_create_domain(vault, b"cluster-report", None))
            expect(lib, lib.gdprkit_vault_export_pseudonym_key(
                byref(key), byref(key_len), vault, b"cluster-report", b"test_ctypes"))
            assert ctypes.string_at(key, 25) == b"gdprkit-pseudonym-key-v2:"
            assert ctypes.string_at(key, key_len.value + 1)[-1:] == b"\0"
            batch = BatchOptions()
            expect(lib, lib.gdprkit_batch_options_init(byref(batch), batch.VERSION))
            batch.errors = coerce.value
            expect(lib, lib.gdprkit_vault_pseudonymize(
                byref(from_vault), None, vault, b"cluster-report", kind, values, len(rows),
                byref(batch)))
            in_vault = column_values(lib, from_vault)
        finally:
            lib.gdprkit_id_column_free(from_vault)
            lib.gdprkit_vault_close(vault)

    pseudonymizer = c_void_p()
    try:
        expect(lib, lib.gdprkit_pseudonymizer_from_exported_key(byref(pseudonymizer), key,
                                                                key_len))
    finally:
        lib.gdprkit_secret_free(key)
    try:
        assert lib.gdprkit_pseudonymizer_domain(pseudonymizer) == b"cluster-report"
        batch = BatchOptions()
        expect(lib, lib.gdprkit_batch_options_init(byref(batch), batch.VERSION))
        column = c_void_p()
        # errors RAISE (the default the init function sets): the bad row fails the batch,
        # named by its index and never by its value.
        expect(lib, lib.gdprkit_pseudonymizer_pseudonymize(
            byref(column), None, pseudonymizer, kind, values, len(rows), byref(batch)),
            INVALID_ARGUMENT)
        assert column.value is None
        assert "row 1" in last_error(lib) and "12A45" not in last_error(lib)

        batch.errors = coerce.value
        problems = (ctypes.c_ubyte * len(rows))()
        expect(lib, lib.gdprkit_pseudonymizer_pseudonymize(
            byref(column), problems, pseudonymizer, kind, values, len(rows), byref(batch)))
        try:
            out = column_values(lib, column)
        finally:
            lib.gdprkit_id_column_free(column)
    finally:
        lib.gdprkit_pseudonymizer_free(pseudonymizer)

    assert out == in_vault  # the exported key gives the vault's pseudonyms
    assert re.fullmatch(r"ps1_[a-z2-7]{26}", out[0]) and out[1] == "" and out[2] != out[0]
    assert [lib.gdprkit_id_problem_code(p).decode() for p in problems] == [
        "ok", "bad_character", "ok"]


SUBJECT = b"tk_" + b"abcdefghijklmnopqrstuvwxyz234567"  # a vault token: "tk_" + 32 base32
GIVEN_AT, WITHDRAWN_AT = 1767607200, 1772442000  # 2026-01-05T10:00Z, 2026-03-02T09:00Z


def day(lib: ctypes.CDLL, text: bytes) -> int:
    out = c_int32()
    expect(lib, lib.gdprkit_date_parse(byref(out), text))
    return out.value


def date_text(lib: ctypes.CDLL, number: int) -> str:
    text = ctypes.create_string_buffer(16)  # GDPRKIT_DATE_TEXT_SIZE
    expect(lib, lib.gdprkit_date_format(text, len(text), number))
    return text.value.decode()


def texts(values: List[bytes]) -> ctypes.Array[c_char_p]:
    return (c_char_p * len(values))(*values)


def check_consent_given_withdrawn_and_a_request_deadline() -> None:
    lib = load()
    policy, ledger = c_void_p(), c_void_p()
    expect(lib, lib.gdprkit_policy_load_file(byref(policy), str(PRACTIO).encode(), 0))
    with tempfile.TemporaryDirectory() as folder:
        try:
            path = os.path.join(folder, "consent.db").encode()
            expect(lib, lib.gdprkit_consent_ledger_create(byref(ledger), path, policy, None))
            assert os.stat(path).st_mode & 0o777 == 0o600

            # Two records as columns: given, then withdrawn, for one subject. The state codes
            # come from the library's names, not from copied numbers.
            given, withdrawn = c_int(), c_int()
            expect(lib, lib.gdprkit_consent_state_parse(byref(given), b"given"))
            expect(lib, lib.gdprkit_consent_state_parse(byref(withdrawn), b"withdrawn"))
            rows = 2
            records = ConsentRecords()
            expect(lib, lib.gdprkit_consent_records_init(byref(records), records.VERSION))
            assert records.count == 0 and not records.subjects  # the macro's values
            columns: Dict[str, ctypes.Array[Any]] = {  # alive as long as the call runs
                "subjects": texts([SUBJECT] * rows),
                "purposes": texts([b"research-contact"] * rows),
                "states": (c_uint8 * rows)(given.value, withdrawn.value),
                "at": (c_int64 * rows)(GIVEN_AT, WITHDRAWN_AT),
                "notice_versions": texts([b"research-v3"] * rows),
                "notice_texts": texts(
                    ["Du kan til enhver tid trække dit samtykke tilbage.".encode()] * rows),
                "channels": texts([b"web"] * rows),
                "recorded_by": texts([b"test_ctypes"] * rows),
            }
            records.count = rows
            for name, column in columns.items():
                setattr(records, name, ctypes.cast(column, type(getattr(records, name))))
            appended = c_int64(-1)
            expect(lib, lib.gdprkit_consent_ledger_record(byref(appended), ledger,
                                                          byref(records)))
            assert appended.value == 2 and lib.gdprkit_consent_ledger_entries(ledger) == 2

            # The subject's state as of two days: a column in, a column of codes out.
            subjects = texts([SUBJECT])
            states = (c_uint8 * 1)()
            seen = []
            for on in (b"2026-02-01", b"2026-03-02"):
                expect(lib, lib.gdprkit_consent_ledger_states(
                    states, ledger, subjects, 1, b"research-contact", day(lib, on)))
                seen.append(lib.gdprkit_consent_state_name(states[0]).decode())
            assert seen == ["given", "withdrawn"], seen

            # The withdrawals, as a sweep's consent_withdrawn: arrays the caller gives back.
            names, days, count = POINTER(c_char_p)(), POINTER(c_int32)(), c_size_t(99)
            expect(lib, lib.gdprkit_consent_ledger_withdrawals(
                byref(names), byref(days), byref(count), ledger, b"research-contact",
                WITHDRAWN_AT + 60))
            try:
                assert count.value == 1 and names[0] == SUBJECT and names[1] is None
                assert date_text(lib, days[0]) == "2026-03-02"
            finally:
                lib.gdprkit_consent_withdrawals_free(names, days)

            # The chain verifies.
            verification = c_void_p()
            expect(lib, lib.gdprkit_consent_ledger_verify(byref(verification), ledger, None))
            try:
                check = ConsentCheck()
                expect(lib, lib.gdprkit_consent_check_init(byref(check), check.VERSION))
                assert check.first_broken_entry == -1  # the macro's value
                expect(lib, lib.gdprkit_consent_verification_get(byref(check), verification))
                assert check.intact == 1 and check.entries == 2 and check.problem == b""
                assert re.fullmatch(r"[0-9a-f]{64}", check.head.decode())
            finally:
                lib.gdprkit_consent_verification_free(verification)

            # A purpose with a typo: NOT_FOUND naming the nearest id; nothing written.
            states[0] = 0xEE
            expect(lib, lib.gdprkit_consent_ledger_states(
                states, ledger, subjects, 1, b"research-contakt", day(lib, b"2026-03-02")),
                NOT_FOUND)
            message = last_error(lib)
            assert message.startswith("gdprkit_consent_ledger_states: ") and (
                '"research-contact"' in message), message
            assert SUBJECT.decode() not in message and states[0] == 0xEE
        finally:
            lib.gdprkit_consent_ledger_free(ledger)
            lib.gdprkit_policy_free(policy)

    # The Art. 12(3) deadline of a request received 2026-01-31, by the month-end rule.
    due = c_int32()
    received = day(lib, b"2026-01-31")
    expect(lib, lib.gdprkit_request_deadline(byref(due), received, 0))
    assert date_text(lib, due.value) == "2026-02-28"
    expect(lib, lib.gdprkit_request_deadline(byref(due), received, 1))
    assert date_text(lib, due.value) == "2026-04-30"
    expect(lib, lib.gdprkit_request_deadline(None, received, 0), INVALID_ARGUMENT)
    for free in ("consent_ledger", "consent_verification"):
        getattr(lib, f"gdprkit_{free}_free")(None)  # accept NULL
    lib.gdprkit_consent_withdrawals_free(None, None)


def check_the_ffi_doc_example_runs_as_written() -> None:
    text = (REPO / "docs" / "ffi.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) == 1
    env = dict(os.environ, GDPRKIT_C_LIBRARY=library_path())
    run = subprocess.run([sys.executable, "-c", blocks[0]], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "gdprkit " + load().gdprkit_version().decode()
    assert "A17   yes Art. 17: Ret til sletning" in lines
    assert "A20   no  Art. 20: Ret til dataportabilitet" in lines
    assert any(line.startswith("error: NOT_FOUND: gdprkit_policy_rights: ") and
               'did you mean "video-consultation"' in line for line in lines)
    assert re.fullmatch(r"row 0: ps1_[a-z2-7]{26} ok", lines[-3])
    assert lines[-2] == "row 1: (rejected) bad_character"
    # What the page shows is what the script prints, up to the key's pseudonyms and the "...".
    shown = re.search(r"It prints.*?```text\n(.*?)```", text, re.S)
    assert shown is not None
    for line in shown.group(1).splitlines():
        if line != "..." and not line.startswith(("row", "gdprkit ")):
            assert line in lines, line


CHECKS: Dict[str, Callable[[], None]] = {
    name[len("check_"):]: fn for name, fn in sorted(globals().items()) if name.startswith("check_")
}


def main(names: List[str]) -> int:
    failed = False
    for name in names or sorted(CHECKS):
        try:
            CHECKS[name]()
            print(f"ok   {name}")
        except Exception as e:  # report every check, then fail
            failed = True
            print(f"FAIL {name}: {type(e).__name__}: {e}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
else:
    import pytest

    @pytest.mark.parametrize("name", sorted(CHECKS))
    def test_c_abi_from_ctypes(name: str) -> None:
        env = dict(os.environ, GDPRKIT_C_LIBRARY=library_path())
        run = subprocess.run([sys.executable, __file__, name], env=env, capture_output=True,
                             text=True, timeout=600)
        assert run.returncode == 0, run.stdout + run.stderr
        assert run.stdout.strip() == f"ok   {name}"
