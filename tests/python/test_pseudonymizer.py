"""gdprkit.Pseudonymizer and Vault.export_pseudonym_key: a domain's pseudonyms
computed from its exported key alone, without the vault file (issue #5).

The numbers are made up: valid by the rules, not real people."""

from __future__ import annotations

import base64
import copy
import hashlib
import pickle
import threading

import numpy as np
import pandas as pd
import pytest

import gdprkit
from gdprkit import Pseudonymizer, Vault

PW = "correct horse battery staple"
CHACHA = "klynge-aarhus-2026"
BLAKE = "legacy-blake"
CPR = ["010203-1234", "0102031234", "311299-1234", "290200-4002"]
REASON = "Spark job for the cluster report (ticket 42)"


@pytest.fixture
def vault(tmp_path):
    v = Vault.create(str(tmp_path / "vault.db"), passphrase=PW, kdf="tests_only", actor="pytest")
    v.create_domain(CHACHA, "cluster report")
    v.create_domain(BLAKE, "made before 0.2", scheme="blake2b")
    yield v
    v.close()


def _key_part(text: str) -> str:
    return text.rsplit(":", 1)[1]


def _b32(b: bytes) -> str:
    return base64.b32encode(b).decode().lower().rstrip("=")


def _b32decode(s: str) -> bytes:
    s = s.upper()
    return base64.b32decode(s + "=" * (-len(s) % 8))


@pytest.mark.parametrize("domain,scheme", [(CHACHA, "chacha20"), (BLAKE, "blake2b")])
def test_same_pseudonyms_as_the_vault_in_every_container(vault, domain, scheme):
    text = vault.export_pseudonym_key(domain, reason=REASON)
    assert isinstance(text, str)
    assert text.startswith(f"gdprkit-pseudonym-key-v2:{domain}:1:{scheme}:")
    p = Pseudonymizer.from_exported_key(text)
    assert (p.domain, p.key_version, p.scheme) == (domain, 1, scheme)

    want = vault.pseudonymise(CPR, domain=domain)
    got = p.pseudonymise(CPR)
    assert isinstance(got, list) and got == want
    assert got[0] == got[1] and got[0].startswith("ps1_") and len(got[0]) == 30
    assert p.pseudonymize(CPR[:1]) == want[:1]
    assert p.pseudonymise("010203-1234") == want[0]
    assert p.pseudonymise(tuple(CPR)) == want

    arr = p.pseudonymise(np.array(CPR, dtype=object))
    assert isinstance(arr, np.ndarray) and arr.dtype == object and list(arr) == want
    assert list(p.pseudonymise(np.array(CPR))) == want  # a "<U11" array
    strided = np.array(CPR, dtype=object)[::2]
    assert list(p.pseudonymise(strided)) == want[::2]

    s = pd.Series(CPR, index=[10, 20, 30, 40], name="cpr")
    out = p.pseudonymise(s)
    assert isinstance(out, pd.Series)
    assert list(out.index) == [10, 20, 30, 40] and out.name == "cpr"
    assert out.tolist() == want
    pd.testing.assert_series_equal(out, vault.pseudonymise(s, domain=domain))

    # Other kinds and options: the same as the vault too.
    for kind, values in (("other", ["MRN-1", "  MRN-1 ", "x"]), ("cvr", ["DK10000009"]),
                         ("ydernummer", ["12345", "012345"])):
        assert p.pseudonymise(values, kind=kind) == vault.pseudonymise(values, domain=domain,
                                                                        kind=kind)
    replacement = ["610203-1234"]  # day + 60
    with pytest.raises(gdprkit.InvalidArgumentError):
        p.pseudonymise(replacement, allow_replacement=False)
    assert p.pseudonymise(replacement) == vault.pseudonymise(replacement, domain=domain)
    with pytest.raises(gdprkit.InvalidArgumentError):
        p.pseudonymise(["0102031234"], require_modulus11=True)


def test_pseudonyms_differ_across_domains(vault):
    a = Pseudonymizer.from_exported_key(vault.export_pseudonym_key(CHACHA, reason=REASON))
    b = Pseudonymizer.from_exported_key(vault.export_pseudonym_key(BLAKE, reason=REASON))
    assert a.pseudonymise(CPR[:1]) != b.pseudonymise(CPR[:1])


def test_rejected_rows_name_the_row_not_the_value_and_coerce(vault):
    p = Pseudonymizer.from_exported_key(vault.export_pseudonym_key(CHACHA, reason=REASON))
    with pytest.raises(gdprkit.InvalidArgumentError) as e:
        p.pseudonymise(["010203-1234", "300200-1234"])
    assert "row 1" in str(e.value) and "300200" not in str(e.value)
    with pytest.raises(gdprkit.InvalidArgumentError, match="unknown error mode"):
        p.pseudonymise(CPR, errors="ignore")
    holes = pd.Series([CPR[0], None, np.nan, "300200-1234", CPR[2]], index=list("abcde"))
    out = p.pseudonymise(holes, errors="coerce")
    want = vault.pseudonymise(holes, domain=CHACHA, errors="coerce")
    assert out.tolist() == want.tolist()
    assert out.iloc[1:4].isna().all()  # NaN in a str Series, None in an object one
    assert list(out.index) == list("abcde")
    assert p.pseudonymise([None, "12"], errors="coerce") == [None, None]
    with pytest.raises(TypeError, match="not str"):
        p.pseudonymise([1234])
    with pytest.raises(TypeError, match="integers"):
        p.pseudonymise(np.array([102031234]))
    with pytest.raises(gdprkit.InvalidArgumentError):
        p.pseudonymise(CPR, kind="passport")
    # Empty batches (the vault's too: they used to crash in PseudonymizeInto).
    assert p.pseudonymise([]) == [] and vault.pseudonymise([], domain=CHACHA) == []
    empty = p.pseudonymise(np.array([], dtype=object))
    assert isinstance(empty, np.ndarray) and len(empty) == 0
    assert len(p.pseudonymise(pd.Series([], dtype=object))) == 0
    assert len(vault.pseudonymise(pd.Series([], dtype=object), domain=CHACHA)) == 0


def test_export_is_audited_and_needs_a_reason(vault):
    before = len(vault.audit_frame())
    text = vault.export_pseudonym_key(BLAKE, reason=REASON)
    audit = vault.audit_frame()
    assert len(audit) == before + 1
    last = audit.iloc[-1]
    assert last["op"] == "export_key" and last["domain"] == BLAKE
    assert last["reason"] == REASON and last["key_version"] == 1 and last["actor"] == "pytest"
    assert _key_part(text) not in audit.to_csv()
    vault.verify_audit()

    with pytest.raises(TypeError):
        vault.export_pseudonym_key(BLAKE)  # reason is keyword-only and required
    with pytest.raises(gdprkit.InvalidArgumentError, match="reason"):
        vault.export_pseudonym_key(BLAKE, reason="")
    with pytest.raises(gdprkit.InvalidArgumentError) as e:
        vault.export_pseudonym_key(BLAKE, reason="patient 010203-1234 asked")
    assert "010203" not in str(e.value)
    with pytest.raises(TypeError):
        vault.export_pseudonym_key(BLAKE, reason=None)
    with pytest.raises(gdprkit.NotFoundError):
        vault.export_pseudonym_key("no-such-domain", reason=REASON)
    assert len(vault.audit_frame()) == before + 1  # the failures wrote nothing
    vault.close()
    with pytest.raises(gdprkit.FailedPreconditionError, match="closed"):
        vault.export_pseudonym_key(BLAKE, reason=REASON)


def test_blake2b_key_reproduces_a_pseudonym_with_hashlib(vault):
    text = vault.export_pseudonym_key(BLAKE, reason=REASON)
    key = _b32decode(_key_part(text))
    assert len(key) == 32
    h = hashlib.blake2b(bytes([1]) + b"0102031234", key=key, digest_size=16).digest()
    want = "ps1_" + _b32(h)
    assert vault.pseudonymise(["010203-1234"], domain=BLAKE) == [want]
    assert Pseudonymizer.from_exported_key(text).pseudonymise("010203-1234") == want


def test_v1_text_is_blake2b_and_bytes_and_whitespace_are_accepted(vault):
    text = vault.export_pseudonym_key(BLAKE, reason=REASON)
    _, domain, version, scheme, key = text.split(":")
    assert scheme == "blake2b"
    v1 = f"gdprkit-pseudonym-key-v1:{domain}:{version}:{key}"
    p1 = Pseudonymizer.from_exported_key(v1)
    assert p1.scheme == "blake2b" and p1.domain == BLAKE and p1.key_version == 1
    want = vault.pseudonymise(CPR, domain=BLAKE)
    assert p1.pseudonymise(CPR) == want
    for form in (text.encode(), bytearray(text.encode()), memoryview(text.encode()),
                 text + "\n", "  " + text + "\r\n"):
        assert Pseudonymizer.from_exported_key(form).pseudonymise(CPR) == want


def test_wrong_and_malformed_texts(vault):
    text = vault.export_pseudonym_key(CHACHA, reason=REASON)
    prefix, domain, version, scheme, key = text.split(":")
    bad = [
        "",
        "garbage",
        key,
        f"{prefix}:{domain}:{version}:{scheme}",
        f"{prefix}:{domain}:{version}:{scheme}:{key}:extra",
        f"gdprkit-pseudonym-key-v3:{domain}:{version}:{scheme}:{key}",
        f"{prefix}:{domain}:{version}:sha256:{key}",
        f"{prefix}:{domain}:0:{scheme}:{key}",
        f"{prefix}:{domain}:x1:{scheme}:{key}",
        f"{prefix}:Bad Domain:{version}:{scheme}:{key}",
        f"{prefix}:{domain}:{version}:{scheme}:{key[:-1]}",
        f"{prefix}:{domain}:{version}:{scheme}:{key}a",
        f"{prefix}:{domain}:{version}:{scheme}:{key[:-1]}1",  # not base32
        f"gdprkit-pseudonym-key-v1:{domain}:{version}:{scheme}:{key}",  # v1 has no scheme
        text.replace(":", " "),
        text + "\u00e6",
    ]
    for t in bad:
        with pytest.raises(gdprkit.InvalidArgumentError) as e:
            Pseudonymizer.from_exported_key(t)
        msg = str(e.value)
        assert "not an exported pseudonym key" in msg
        assert key[:20] not in msg and key[-20:] not in msg and key.upper()[:20] not in msg
        assert isinstance(e.value, ValueError)
    # Base32 is read in either case (the core's decoder); the key is the same.
    upper = Pseudonymizer.from_exported_key(f"{prefix}:{domain}:{version}:{scheme}:{key.upper()}")
    assert upper.pseudonymise(["010203-1234"]) == vault.pseudonymise(["010203-1234"],
                                                                      domain=CHACHA)
    for t in (None, 42, [text]):
        with pytest.raises(TypeError):
            Pseudonymizer.from_exported_key(t)
    with pytest.raises(TypeError):
        Pseudonymizer(object())


def test_not_picklable_and_repr_has_no_key(vault, capsys):
    text = vault.export_pseudonym_key(CHACHA, reason=REASON)
    key = _key_part(text)
    p = Pseudonymizer.from_exported_key(text)
    r = repr(p)
    assert r == f"<gdprkit.Pseudonymizer domain='{CHACHA}' key_version=1 scheme='chacha20'>"
    assert key not in r and key not in str(p)
    with pytest.raises(TypeError, match="from_exported_key") as e:
        pickle.dumps(p)
    assert key not in str(e.value)
    with pytest.raises(TypeError):
        copy.deepcopy(p)
    print(p, p.domain, p.scheme, p.key_version, p.pseudonymise(CPR))
    captured = capsys.readouterr()
    assert key not in captured.out and key not in captured.err
    assert key.upper() not in captured.out


def test_after_rotation_an_old_key_gives_the_old_version(vault):
    old = Pseudonymizer.from_exported_key(vault.export_pseudonym_key(CHACHA, reason=REASON))
    assert vault.rotate(reason="yearly rotation") == 2
    new = Pseudonymizer.from_exported_key(vault.export_pseudonym_key(CHACHA, reason=REASON))
    assert (old.key_version, new.key_version) == (1, 2)
    assert new.pseudonymise(CPR) == vault.pseudonymise(CPR, domain=CHACHA)
    assert new.pseudonymise(CPR)[0].startswith("ps2_")
    assert old.pseudonymise(CPR) == vault.pseudonymise(CPR, domain=CHACHA, key_version=1)


def test_works_without_the_vault_and_from_two_threads(vault):
    text = vault.export_pseudonym_key(CHACHA, reason=REASON)
    ids = [f"{d:02d}{m:02d}{y:02d}-{s:04d}" for d in range(1, 29) for m in (1, 6, 12)
           for y in (50, 99) for s in range(0, 400, 7)]
    want = vault.pseudonymise(ids, domain=CHACHA)
    vault.close()  # the Pseudonymizer does not need it
    p = Pseudonymizer.from_exported_key(text)
    arr = np.array(ids, dtype=object)
    results = {}
    errors = []

    def work(i):
        try:
            for _ in range(5):
                got = p.pseudonymise(ids) if i % 2 == 0 else list(p.pseudonymise(arr))
                results.setdefault(i, []).append(got)
        except BaseException as e:  # pragma: no cover
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 2
    assert all(r == want for rs in results.values() for r in rs)
