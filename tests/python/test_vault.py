"""gdprkit.Vault: create/open, pseudonyms, tokens, re-identification, erasure,
rotation, audit; lists, NumPy arrays and pandas Series; the bad paths.

The numbers are made up: valid by the rules, not real people."""

from __future__ import annotations

import hashlib
import os
import pickle
import threading

import numpy as np
import pandas as pd
import pytest

import gdprkit
from gdprkit import Vault

PW = "correct horse battery staple"
DOMAIN = "klynge-aarhus-2026"
CPR = ["010203-1234", "0102031234", "311299-1234"]


@pytest.fixture
def path(tmp_path):
    return str(tmp_path / "vault.db")


@pytest.fixture
def vault(path):
    v = Vault.create(path, passphrase=PW, kdf="tests_only", actor="pytest")
    v.create_domain(DOMAIN, "cluster report")
    v.create_domain("kapsel-datakonsulenter")
    yield v
    v.close()


def _b32(b: bytes) -> str:
    import base64

    return base64.b32encode(b).decode().lower().rstrip("=")


def test_pseudonyms_same_within_domain_unlinkable_across(vault):
    ps = vault.pseudonymise(CPR, domain=DOMAIN)
    assert isinstance(ps, list) and len(ps) == 3
    assert ps[0] == ps[1] != ps[2]
    assert ps[0].startswith("ps1_") and len(ps[0]) == 30
    other = vault.pseudonymise(CPR, domain="kapsel-datakonsulenter")
    assert other[0] != ps[0]
    assert vault.pseudonymize(CPR[:1], domain=DOMAIN) == ps[:1]


def test_each_domain_has_a_pseudonym_scheme(vault):
    vault.create_domain("legacy", scheme="blake2b")
    schemes = {d.name: d.scheme for d in vault.domains()}
    assert schemes == {DOMAIN: "chacha20", "kapsel-datakonsulenter": "chacha20",
                       "legacy": "blake2b"}
    for domain in (DOMAIN, "legacy"):
        ps = vault.pseudonymise(CPR + ["MRN-1"], domain=domain, kind="other")
        assert all(p.startswith("ps1_") and len(p) == 30 for p in ps)
    a = vault.pseudonymise(CPR, domain=DOMAIN)
    b = vault.pseudonymise(CPR, domain="legacy")
    assert a[0] == a[1] and b[0] == b[1] and a[0] != b[0]
    for bad in ("sha256", "ChaCha20", ""):
        with pytest.raises(gdprkit.InvalidArgumentError, match='valid: "chacha20" and "blake2b"'):
            vault.create_domain("x" + str(len(bad)), scheme=bad)
    with pytest.raises(TypeError):
        vault.create_domain("y", scheme=2)
    assert len(vault.domains()) == 3  # nothing made by the bad calls


def test_containers_round_trip(vault):
    s = pd.Series(CPR, index=["x", "y", "z"], name="cpr")
    out = vault.pseudonymise(s, domain=DOMAIN)
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["x", "y", "z"] and out.name == "cpr"
    arr = vault.pseudonymise(np.array(CPR, dtype=object), domain=DOMAIN)
    assert isinstance(arr, np.ndarray) and arr.dtype == object
    assert list(arr) == list(out) == vault.pseudonymise(CPR, domain=DOMAIN)
    assert vault.pseudonymise("010203-1234", domain=DOMAIN) == out["x"]
    assert vault.pseudonymise((c for c in CPR), domain=DOMAIN) == list(out)
    # Object arrays (and Series) cross without a list: strided views, missing
    # values with errors="coerce", tokens and look-ups come back the same way.
    strided = np.array([CPR[0], "x", CPR[2], "y"], dtype=object)[::2]
    assert list(vault.pseudonymise(strided, domain=DOMAIN)) == [out["x"], out["z"]]
    holes = pd.Series([CPR[0], None, np.nan, CPR[2]], index=list("abcd"))
    ps = vault.pseudonymise(holes, domain=DOMAIN, errors="coerce")
    # (missing: NaN in a str Series, None in an object one)
    assert [None if pd.isna(v) else v for v in ps] == [out["x"], None, None, out["z"]]
    assert list(ps.index) == list("abcd")
    tk = vault.tokenise(holes, domain=DOMAIN, errors="coerce")
    assert pd.isna(tk.iloc[1]) and tk.iloc[0].startswith("tk_")
    found = vault.lookup_tokens(pd.Series([CPR[0], "290200-4002"]), domain=DOMAIN)
    assert found.iloc[0] == tk.iloc[0] and pd.isna(found.iloc[1])


def test_pseudonym_is_not_a_plain_hash(vault):
    # A plain hash of a CPR number is guessable (fewer than 2^25 plausible
    # values); the pseudonym is keyed. (The keyed construction itself is pinned
    # by golden values computed with hashlib in tests/cpp/vault_keys_test.cc.)
    ps = vault.pseudonymise(["010203-1234"], domain=DOMAIN)[0]
    for msg in (b"\x010102031234", b"0102031234"):
        assert ps != "ps1_" + _b32(hashlib.blake2b(msg, digest_size=16).digest())


def test_invalid_row_fails_the_batch_naming_the_row_not_the_value(vault):
    with pytest.raises(gdprkit.InvalidArgumentError) as e:
        vault.pseudonymise(["010203-1234", "300200-1234"], domain=DOMAIN)
    assert "row 1" in str(e.value) and "300200" not in str(e.value)
    out = vault.pseudonymise(["010203-1234", "300200-1234", None], domain=DOMAIN,
                             errors="coerce")
    assert out[0].startswith("ps1_") and out[1] is None and out[2] is None
    s = vault.tokenise(pd.Series(["010203-1234", np.nan]), domain=DOMAIN, errors="coerce")
    assert s.iloc[0].startswith("tk_") and pd.isna(s.iloc[1])


def test_tokens_reidentify_with_reason_and_are_stable(vault):
    tk = vault.tokenise(CPR, domain="kapsel-datakonsulenter")
    assert tk[0] == tk[1] and tk[0].startswith("tk_")
    assert vault.tokenise(CPR, domain="kapsel-datakonsulenter") == tk
    back = vault.reidentify(tk, domain="kapsel-datakonsulenter", reason="case 2026-17")
    assert back == ["0102031234", "0102031234", "3112991234"]
    s = vault.reidentify(pd.Series(tk, index=[5, 6, 7]), domain="kapsel-datakonsulenter",
                         reason="case 2026-17")
    assert list(s.index) == [5, 6, 7]
    assert vault.lookup_tokens(["010203-1234", "020203-1234"],
                               domain="kapsel-datakonsulenter") == [tk[0], None]


def test_reidentify_bad_paths(vault):
    tk = vault.tokenise(CPR[:1], domain=DOMAIN)[0]
    with pytest.raises(gdprkit.InvalidArgumentError, match="reason"):
        vault.reidentify([tk], domain=DOMAIN, reason="")
    tampered = tk[:5] + ("b" if tk[5] == "a" else "a") + tk[6:]
    with pytest.raises(gdprkit.InvalidArgumentError):
        vault.reidentify([tampered], domain=DOMAIN, reason="audit")
    with pytest.raises(gdprkit.Error):
        vault.reidentify([tk], domain="kapsel-datakonsulenter", reason="audit")
    with pytest.raises(gdprkit.NotFoundError):
        vault.reidentify([tk], domain="no-such-domain", reason="audit")
    with pytest.raises(TypeError):
        vault.reidentify([tk], domain=DOMAIN, reason=None)  # type: ignore[arg-type]


OTHER = "kapsel-datakonsulenter"
IDENTIFIERS = ("0102031234", "010203-1234", "3112991234", "311299-1234")


def _assert_clean(message: str) -> None:
    for ident in IDENTIFIERS:
        assert ident not in message


def test_translate_round_trip_in_every_container(vault):
    vault.create_domain("legacy", scheme="blake2b")
    ta = vault.tokenise(CPR, domain=DOMAIN)
    # The second person already has a token in OTHER; the others get theirs now.
    vault.tokenise(CPR[2:], domain=OTHER)
    out = vault.translate(ta, from_domain=DOMAIN, to_domain=OTHER, reason="hand-over")
    assert isinstance(out, list)
    assert out == vault.tokenise(CPR, domain=OTHER)
    assert out[0] == out[1] != ta[0] and out[0].startswith("tk_")
    assert vault.translate(out, from_domain=OTHER, to_domain=DOMAIN, reason="back") == ta
    for target in (OTHER, "legacy"):
        ps = vault.translate(ta, from_domain=DOMAIN, to_domain=target, reason="statistics",
                             to="pseudonym")
        assert ps == vault.pseudonymise(CPR, domain=target)
    # NumPy in, NumPy out; a Series keeps its index and name; a str gives a str.
    arr = vault.translate(np.array(ta, dtype=object), from_domain=DOMAIN, to_domain=OTHER,
                          reason="r")
    assert isinstance(arr, np.ndarray) and arr.dtype == object and list(arr) == out
    arr = vault.translate(np.array(ta), from_domain=DOMAIN, to_domain=OTHER, reason="r")
    assert isinstance(arr, np.ndarray) and list(arr) == out
    s = pd.Series(ta, index=[10, 20, 30], name="token")
    got = vault.translate(s, from_domain=DOMAIN, to_domain=OTHER, reason="r", to="pseudonym")
    assert isinstance(got, pd.Series)
    assert list(got.index) == [10, 20, 30] and got.name == "token"
    assert got.tolist() == vault.pseudonymise(CPR, domain=OTHER)
    s = pd.Series(ta, dtype="string")
    assert vault.translate(s, from_domain=DOMAIN, to_domain=OTHER, reason="r").tolist() == out
    assert vault.translate(ta[2], from_domain=DOMAIN, to_domain=OTHER, reason="r") == out[2]
    # An empty batch gives an empty container.
    assert vault.translate([], from_domain=DOMAIN, to_domain=OTHER, reason="r") == []
    empty = vault.translate(pd.Series([], dtype=object), from_domain=DOMAIN, to_domain=OTHER,
                            reason="r")
    assert isinstance(empty, pd.Series) and len(empty) == 0


def test_translate_is_audited_without_identifiers(vault):
    ta = vault.tokenise(CPR, domain=DOMAIN)
    before = vault.verify_audit().entries
    vault.translate(ta, from_domain=DOMAIN, to_domain=OTHER, reason="hand-over to the data team",
                    to="pseudonym")
    assert vault.verify_audit().entries == before + 1
    df = vault.audit_frame()
    last = df.iloc[-1]
    assert last["op"] == "translate"
    assert last["domain"] == DOMAIN and last["target_domain"] == OTHER
    assert last["reason"] == "hand-over to the data team" and last["count"] == 3
    cells = df.astype(str)
    for ident in IDENTIFIERS:
        found = cells.apply(lambda c, ident=ident: c.str.contains(ident, regex=False))
        assert not found.any().any()


def test_translate_bad_paths_write_nothing(vault):
    ta = vault.tokenise(CPR, domain=DOMAIN)
    tb = vault.tokenise(["020304-1234"], domain=OTHER)[0]
    tokens_before = {d.name: d.tokens for d in vault.domains()}
    audit_before = vault.verify_audit().entries

    def fails(exc, tokens, match=None, **kw):
        args = dict(from_domain=DOMAIN, to_domain=OTHER, reason="r")
        args.update(kw)
        with pytest.raises(exc, match=match) as e:
            vault.translate(tokens, **args)
        _assert_clean(str(e.value))
        return e.value

    # `to` is "token" or "pseudonym".
    for bad in ("tokens", "Pseudonym", "", "ps"):
        fails(gdprkit.InvalidArgumentError, ta, 'valid: "token" and "pseudonym"', to=bad)
    fails(TypeError, ta, to=1)
    # The same domain twice; no reason; unknown domains.
    fails(gdprkit.InvalidArgumentError, ta, "two different domains", to_domain=DOMAIN)
    fails(gdprkit.InvalidArgumentError, ta, "reason", reason="")
    fails(TypeError, ta, reason=None)
    fails(gdprkit.NotFoundError, ta, to_domain="no-such-domain")
    fails(gdprkit.NotFoundError, ta, from_domain="no-such-domain")
    # A token of OTHER at row 1 fails the batch, naming the row: the first
    # person, who has no token in OTHER yet, does not get one.
    e = fails(gdprkit.InvalidArgumentError, [ta[0], tb], "row 1")
    assert "another domain" in str(e)
    fails(gdprkit.InvalidArgumentError, [ta[2], tb], "row 1", to="pseudonym")
    tampered = ta[0][:5] + ("b" if ta[0][5] == "a" else "a") + ta[0][6:]
    fails(gdprkit.InvalidArgumentError, [ta[2], tampered], "row 1")
    fails(gdprkit.InvalidArgumentError, [ta[2], None], "row 1")
    fails(gdprkit.InvalidArgumentError, pd.Series(["CPR 010203-1234"]), "row 0")
    assert {d.name: d.tokens for d in vault.domains()} == tokens_before
    assert vault.verify_audit().entries == audit_before
    # An erased person's token: NotFoundError.
    vault.erase("311299-1234", reason="art. 17 request")
    audit_before = vault.verify_audit().entries
    fails(gdprkit.NotFoundError, ta[2:], to="pseudonym")
    assert vault.verify_audit().entries == audit_before


def test_erase_rotate_audit(vault):
    tk = vault.tokenise(CPR, domain="kapsel-datakonsulenter")
    vault.tokenise(CPR[:1], domain=DOMAIN)
    r = vault.erase("010203-1234", reason="art. 17 request")
    assert r.tokens_erased == 2 and r.domains_searched >= 2
    with pytest.raises(gdprkit.NotFoundError):
        vault.reidentify(tk[:1], domain="kapsel-datakonsulenter", reason="audit")
    assert vault.erase("010203-1234").tokens_erased == 0
    with pytest.raises(gdprkit.InvalidArgumentError):
        vault.erase("300200-1234")
    assert vault.rotate(reason="yearly") == 2
    assert vault.pseudonymise(CPR[:1], domain=DOMAIN)[0].startswith("ps2_")
    old = vault.pseudonymise(CPR[:1], domain=DOMAIN, key_version=1)[0]
    assert old.startswith("ps1_")
    assert vault.reidentify(tk[2:], domain="kapsel-datakonsulenter", reason="x") == ["3112991234"]
    a = vault.verify_audit()
    assert a.entries >= 6 and len(a.head) == 64
    df = vault.audit_frame()
    assert {"vault_created", "domain_created", "erase", "rotate", "reidentify"} <= set(df["op"])
    assert not df.astype(str).apply(lambda c: c.str.contains("0102031234")).any().any()
    assert [d.name for d in vault.domains()] == sorted([DOMAIN, "kapsel-datakonsulenter"])


def test_wrong_passphrase_damaged_file_and_no_secret_in_messages(path):
    v = Vault.create(path, passphrase=PW.encode(), kdf="tests_only")
    v.create_domain(DOMAIN)
    v.tokenise(CPR, domain=DOMAIN)
    v.close()
    with pytest.raises(gdprkit.WrongPassphraseError) as e:
        Vault.open(path, passphrase="wrong horse")
    assert isinstance(e.value, gdprkit.UnauthenticatedError)
    assert isinstance(e.value, PermissionError)
    assert "wrong horse" not in str(e.value) and PW not in repr(e.value)
    with Vault.open(path, passphrase=bytearray(PW, "utf-8")) as v2:
        assert PW not in repr(v2)
        assert len(v2.pseudonymise(CPR, domain=DOMAIN)) == 3
    assert v2.closed
    with pytest.raises(gdprkit.FailedPreconditionError, match="closed"):
        v2.pseudonymise(CPR, domain=DOMAIN)
    with pytest.raises(gdprkit.AlreadyExistsError):
        Vault.create(path, passphrase=PW, kdf="tests_only")
    with pytest.raises(gdprkit.NotFoundError):
        Vault.open(path + ".missing", passphrase=PW)
    # Damage the SQLite header.
    with open(path, "r+b") as f:
        f.write(b"\x5a" * 100)
    with pytest.raises(gdprkit.DataLossError) as e2:
        Vault.open(path, passphrase=PW)
    assert PW not in str(e2.value)
    # Nothing in the file is an identifier in clear.
    with open(path, "rb") as f:
        data = f.read()
    assert b"0102031234" not in data and b"3112991234" not in data


def test_secret_arguments(path):
    with pytest.raises(gdprkit.InvalidArgumentError, match="exactly one"):
        Vault.create(path)
    with pytest.raises(gdprkit.InvalidArgumentError, match="exactly one"):
        Vault.create(path, passphrase="a", host_key=b"k" * 32)
    with pytest.raises(gdprkit.InvalidArgumentError, match="empty"):
        Vault.create(path, passphrase="")
    with pytest.raises(gdprkit.InvalidArgumentError, match="32 bytes"):
        Vault.create(path, host_key=b"short")
    with pytest.raises(TypeError):
        Vault.create(path, passphrase=1234)  # type: ignore[arg-type]
    with pytest.raises(gdprkit.InvalidArgumentError, match="kdf"):
        Vault.create(path, passphrase="x", kdf="cheap")
    key = os.urandom(32)
    with Vault.create(path, host_key=key, kdf="tests_only") as v:
        v.create_domain(DOMAIN)
    with pytest.raises(gdprkit.WrongPassphraseError):
        Vault.open(path, host_key=bytes(32))
    with pytest.raises(gdprkit.FailedPreconditionError):
        Vault.open(path, passphrase="x")
    with Vault.open(path, host_key=key) as v:
        assert v.domains()[0].name == DOMAIN


def test_not_picklable_and_private_constructor(vault):
    with pytest.raises(TypeError):
        pickle.dumps(vault)
    with pytest.raises(TypeError):
        Vault(object())


def test_threads_share_a_vault(vault):
    ids = [f"{d:02d}0203-{s:04d}" for d in range(1, 29) for s in range(20)]
    results = []

    def work():
        results.append(vault.tokenise(ids, domain=DOMAIN))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and all(r == results[0] for r in results)
    assert len(set(results[0])) == len(ids)


def test_docs_python_example_runs(tmp_path, monkeypatch, capsys):
    import pathlib
    import re

    repo = pathlib.Path(__file__).resolve().parents[2]
    doc = (repo / "docs" / "vault.md").read_text()
    block = re.search(r"```python\nimport pandas as pd, gdprkit\n(.*?)```", doc, re.S)
    assert block is not None
    code = "import pandas as pd, gdprkit\n" + block.group(1)
    code = code.replace('"klynge.vault"', repr(str(tmp_path / "klynge.vault")))
    code = code.replace("create_if_missing=True)", 'create_if_missing=True, kdf="tests_only")')
    monkeypatch.chdir(repo)
    exec(compile(code, "docs/vault.md", "exec"), {})
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "{'ok': 8}"
    assert out[1] == "1"
    assert out[2] == "2 8"
    assert "ps1_" in out[4]


# ---- Backup, rekey, the erasure report (issue #9) -----------------------------


def test_backup_round_trip(vault, tmp_path):
    tokens = vault.tokenise(CPR, domain=DOMAIN)
    ps = vault.pseudonymise(CPR, domain=DOMAIN)
    dest = tmp_path / "backup" / "copy.vault"
    dest.parent.mkdir()
    assert vault.backup(dest) is None
    assert os.stat(dest).st_mode & 0o777 == 0o600
    assert not os.path.exists(str(dest) + "-wal")
    entries = vault.verify_audit().entries
    with Vault.open(dest, passphrase=PW) as copy:
        # The backup's tokens re-identify; the same people get the same tokens
        # and pseudonyms there; the audit trail came along (the backup itself
        # is not audited).
        assert copy.reidentify(tokens, domain=DOMAIN, reason="restore test") == [
            "0102031234", "0102031234", "3112991234"]
        assert copy.tokenise(CPR, domain=DOMAIN) == tokens
        assert copy.pseudonymise(CPR, domain=DOMAIN) == ps
        assert copy.verify_audit().entries == entries + 1  # + the re-identification
    assert vault.verify_audit().entries == entries
    # The source goes on working; a str and a bytes path work too.
    vault.tokenise(["311299-1234"], domain=DOMAIN)
    vault.backup(str(tmp_path / "b2.vault"))
    vault.backup(os.fsencode(str(tmp_path / "b3.vault")))
    assert os.path.exists(tmp_path / "b2.vault") and os.path.exists(tmp_path / "b3.vault")


def test_backup_never_writes_over_a_file(vault, tmp_path, path):
    dest = tmp_path / "existing.vault"
    dest.write_bytes(b"keep me")
    with pytest.raises(gdprkit.AlreadyExistsError):
        vault.backup(dest)
    assert dest.read_bytes() == b"keep me"
    with pytest.raises(gdprkit.AlreadyExistsError):
        vault.backup(path)  # the vault itself
    link = tmp_path / "link.vault"
    link.symlink_to(tmp_path / "nowhere.vault")
    with pytest.raises(gdprkit.AlreadyExistsError):
        vault.backup(link)
    assert not (tmp_path / "nowhere.vault").exists()
    with pytest.raises(gdprkit.Error):
        vault.backup(tmp_path / "no" / "such" / "dir.vault")
    for bad in (str(tmp_path / "b.vault\0.bak"), "", ":memory:", "file:b.vault?mode=memory"):
        with pytest.raises(gdprkit.InvalidArgumentError):
            vault.backup(bad)
    assert not (tmp_path / "b.vault").exists()  # not made by the NUL path
    with pytest.raises(gdprkit.ArgumentTypeError):
        vault.backup(None)  # type: ignore[arg-type]
    vault.close()
    with pytest.raises(gdprkit.FailedPreconditionError, match="closed"):
        vault.backup(tmp_path / "after-close.vault")


def test_rekey_on_a_healthy_vault(vault):
    tokens = vault.tokenise(CPR, domain=DOMAIN)
    entries = vault.verify_audit().entries
    assert vault.rekey(reason="check") == 0
    assert vault.rotate(reason="yearly") == 2
    assert vault.rekey(reason="check") == 0  # rotate re-keyed every domain
    assert all(d.key_version == 2 for d in vault.domains())
    assert vault.reidentify(tokens, domain=DOMAIN, reason="x")[2] == "3112991234"
    assert vault.verify_audit().entries > entries
    with pytest.raises(gdprkit.ArgumentTypeError):
        vault.rekey(reason=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        vault.rekey("check")  # type: ignore[misc]  # keyword-only


# A reader of the vault file in another process, holding a read transaction
# (an old snapshot) until its standard input closes. Another *process*: SQLite
# coordinates connections through POSIX locks, which do not separate two
# copies of SQLite in one process (Python's sqlite3 module and the SQLite the
# wheel's extension carries; docs/vault.md).
_SNAPSHOT_READER = """
import sqlite3, sys
reader = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, isolation_level=None)
reader.execute("BEGIN")
reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
print("holding", flush=True)
sys.stdin.read()
reader.close()
"""


def test_erasure_report_says_whether_the_wal_was_truncated(path):
    import subprocess
    import sys

    with Vault.create(path, passphrase=PW, kdf="tests_only", busy_timeout_ms=200) as v:
        v.create_domain(DOMAIN)
        v.tokenise(CPR, domain=DOMAIN)
        r = v.erase(CPR[0])
        assert r.tokens_erased == 1 and r.wal_truncated is True
        v.tokenise(CPR, domain=DOMAIN)
        # A reader in another connection holds an old snapshot: the log
        # cannot be checkpointed and truncated after the erasure.
        reader = subprocess.Popen([sys.executable, "-c", _SNAPSHOT_READER, str(path)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            assert reader.stdout is not None and reader.stdout.readline().strip() == "holding"
            v.tokenise(["311299-1234"], domain="klynge-aarhus-2026")
            r = v.erase(CPR[2])
            assert r.tokens_erased == 1 and r.wal_truncated is False
            assert "wal_truncated=False" in repr(r)
            assert v.checkpoint(wait=0.05) is False  # the reader still holds the log
        finally:
            reader.communicate(input="", timeout=60)
        assert reader.returncode == 0
        assert v.checkpoint() is True
        assert not os.path.exists(path + "-wal") or os.path.getsize(path + "-wal") == 0
        with pytest.raises(gdprkit.InvalidArgumentError, match="wait"):
            v.checkpoint(wait=-1)
        with pytest.raises(gdprkit.ArgumentTypeError):
            v.checkpoint(wait="1")  # type: ignore[arg-type]


def test_paths_with_nul_bytes_are_refused_and_others_pass_unchanged(tmp_path):
    bad = str(tmp_path / "a.vault\0.bak")
    for call in (lambda: Vault.create(bad, passphrase=PW, kdf="tests_only"),
                 lambda: Vault.open(bad, passphrase=PW, create_if_missing=True,
                                    kdf="tests_only"),
                 lambda: Vault.create(bad.encode(), passphrase=PW, kdf="tests_only")):
        with pytest.raises(gdprkit.InvalidArgumentError, match="NUL"):
            call()
    assert os.listdir(tmp_path) == []  # "a.vault" was not made
    # ":memory:" and "file:" URIs reach the core, which refuses them.
    for name in (":memory:", "file:x.vault", "file::memory:?cache=shared"):
        with pytest.raises(gdprkit.InvalidArgumentError, match="file"):
            Vault.create(name, passphrase=PW, kdf="tests_only")
    # A lone surrogate cannot be a file name...
    with pytest.raises(gdprkit.InvalidArgumentError, match="surrogate"):
        Vault.create(str(tmp_path / "\ud800.vault"), passphrase=PW, kdf="tests_only")
    # ...but an undecodable name read from the disk (a surrogate escape) is
    # the bytes it came from, and so is a bytes path.
    odd = os.fsdecode(os.fsencode(str(tmp_path)) + b"/v\xff.vault")
    with Vault.create(odd, passphrase=PW, kdf="tests_only") as v:
        assert v.path == odd
    assert os.path.exists(os.fsencode(str(tmp_path)) + b"/v\xff.vault")
    with Vault.open(os.fsencode(odd), passphrase=PW) as v:
        assert v.domains() == []


def test_a_future_birth_date_is_refused_unless_allowed(vault):
    # 24-01-2035: refused as future_birth_date by default (issue #10, item 8);
    # allow_future= and as_of= reach the vault's batches as they reach
    # gdprkit.identifiers.check, and erasure always accepts such a number.
    domain = vault.domains()[0].name
    with pytest.raises(gdprkit.InvalidArgumentError, match="future_birth_date"):
        vault.tokenise(["2401357665"], domain=domain)
    tokens = vault.tokenise(["2401357665"], domain=domain, allow_future=True)
    assert tokens[0].startswith("tk_")
    assert vault.pseudonymise(["2401357665"], domain=domain, as_of="2036-01-01")[0].startswith("ps")
    assert vault.erase("2401357665", reason="art. 17").tokens_erased == 1
