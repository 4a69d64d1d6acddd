"""The pseudonym schemes recomputed from their specification, without gdprkit.

docs/vault.md specifies both schemes byte for byte. This file implements them
in plain Python (hashlib for BLAKE2b; ChaCha20 written out from RFC 8439, as
the standard library has none) and pins the golden values that
tests/cpp/vault_keys_test.cc expects gdprkit to produce for the same key. A
change to the C++ kernel that alters a pseudonym fails there; a mistake in
this reference fails the RFC test vectors here.
"""

import base64
import ctypes
import ctypes.util
import hashlib
import struct

import pytest

KEY = bytes(range(32))  # the exported test key of vault_keys_test.cc
KIND = {"cpr": 1, "cvr": 2, "gln": 3, "provider": 4, "sor": 5, "other": 6}


def _rotl(v, n):
    return ((v << n) & 0xFFFFFFFF) | (v >> (32 - n))


def chacha20_block(key: bytes, counter: int, nonce: bytes) -> bytes:
    """RFC 8439 section 2.3: one 64-byte ChaCha20 block."""
    const = b"expand 32-byte k"
    state = list(struct.unpack("<4I", const) + struct.unpack("<8I", key) + (counter,)
                 + struct.unpack("<3I", nonce))
    x = state[:]

    def qr(a, b, c, d):
        x[a] = (x[a] + x[b]) & 0xFFFFFFFF
        x[d] = _rotl(x[d] ^ x[a], 16)
        x[c] = (x[c] + x[d]) & 0xFFFFFFFF
        x[b] = _rotl(x[b] ^ x[c], 12)
        x[a] = (x[a] + x[b]) & 0xFFFFFFFF
        x[d] = _rotl(x[d] ^ x[a], 8)
        x[c] = (x[c] + x[d]) & 0xFFFFFFFF
        x[b] = _rotl(x[b] ^ x[c], 7)

    for _ in range(10):
        for a, b, c, d in ((0, 4, 8, 12), (1, 5, 9, 13), (2, 6, 10, 14), (3, 7, 11, 15),
                           (0, 5, 10, 15), (1, 6, 11, 12), (2, 7, 8, 13), (3, 4, 9, 14)):
            qr(a, b, c, d)
    return struct.pack("<16I", *[(a + b) & 0xFFFFFFFF for a, b in zip(x, state)])


def kdf(key: bytes, subkey_id: int, context: bytes) -> bytes:
    """libsodium's crypto_kdf_derive_from_key (BLAKE2b with salt and person)."""
    return hashlib.blake2b(b"", key=key, digest_size=32,
                           salt=struct.pack("<Q", subkey_id) + bytes(8),
                           person=context + bytes(8)).digest()


def b32(raw: bytes) -> str:
    return base64.b32encode(raw).decode().rstrip("=").lower()


def pseudonym_blake2b(key: bytes, kind: str, normal: str, version: int = 1) -> str:
    h = hashlib.blake2b(bytes([KIND[kind]]) + normal.encode(), key=key, digest_size=16)
    return f"ps{version}_{b32(h.digest())}"


def pseudonym_chacha20(key: bytes, kind: str, normal: str, version: int = 1) -> str:
    if kind == "other":
        text_key = kdf(key, 2, b"gdkpsch2")
        h = hashlib.blake2b(bytes([KIND[kind]]) + normal.encode(), key=text_key, digest_size=16)
        return f"ps{version}_{b32(h.digest())}"
    nonce = bytes([KIND[kind], len(normal)]) + struct.pack("<Q", int(normal)) + bytes(2)
    block = chacha20_block(kdf(key, 1, b"gdkpsch2"), 0, nonce)
    return f"ps{version}_{b32(block[:16])}"


def test_chacha20_block_matches_rfc8439_test_vector():
    # RFC 8439, section 2.3.2.
    key = bytes(range(32))
    nonce = bytes.fromhex("000000090000004a00000000")
    block = chacha20_block(key, 1, nonce)
    assert block.hex() == (
        "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
        "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e")


def test_kdf_matches_libsodium():
    # This reading of crypto_kdf_derive_from_key against libsodium itself
    # (the system library, through ctypes), for a few ids and contexts.
    lib = ctypes.util.find_library("sodium")
    if lib is None:
        pytest.skip("libsodium is not installed as a shared library")
    try:
        sodium = ctypes.CDLL(lib)
    except OSError as e:  # scripts/test_wheel.sh hides the system's copy
        pytest.skip(f"libsodium cannot be loaded: {e}")
    assert sodium.sodium_init() >= 0
    for subkey_id, context in [(0, b"KDF test"), (1, b"gdkpsch2"), (2, b"gdkpsch2"),
                               (2**64 - 1, b"\x00\x01zz\xffabc")]:
        out = ctypes.create_string_buffer(32)
        rc = sodium.crypto_kdf_derive_from_key(out, ctypes.c_size_t(32),
                                               ctypes.c_uint64(subkey_id),
                                               ctypes.c_char_p(context), ctypes.c_char_p(KEY))
        assert rc == 0
        assert out.raw == kdf(KEY, subkey_id, context)


# The golden values tests/cpp/vault_keys_test.cc checks gdprkit against.
GOLDEN = [
    ("blake2b", "cpr", "0102031234", "ps1_rsq5ldwuuggrqp4lcr4sfjnf2y"),
    ("blake2b", "provider", "012345", "ps1_lh4kzin623oma2tgycxzvqcnp4"),
    ("chacha20", "cpr", "0102031234", "ps1_twetpfwzqirqedtbisqxeu5ppe"),
    ("chacha20", "provider", "012345", "ps1_6szhxjircoxskcc2anxwd5l4me"),
    ("chacha20", "sor", "1395371000016000", "ps1_4mkaekl7usn5cusfc3bc7z7ch4"),
    ("chacha20", "other", "MRN-77", "ps1_qzn2c4o7nok6255dc3p3mc3q2a"),
]


def test_golden_values():
    for scheme, kind, normal, expected in GOLDEN:
        fn = pseudonym_blake2b if scheme == "blake2b" else pseudonym_chacha20
        assert fn(KEY, kind, normal) == expected, (scheme, kind, normal)
