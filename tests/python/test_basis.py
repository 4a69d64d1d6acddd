"""The registries of the law: legal bases, rights, built-in categories."""

from __future__ import annotations

import pytest

import gdprkit

ART6 = ["A6-1-a", "A6-1-b", "A6-1-c", "A6-1-d", "A6-1-e", "A6-1-f"]
RIGHT_CODES = ["A13", "A14", "A15", "A16", "A17", "A18", "A19", "A20", "A21", "A22", "A7-3"]


def test_legal_bases_are_code_title_pairs() -> None:
    bases = gdprkit.legal_bases()
    assert [code for code, _ in bases][:6] == ART6
    titles = dict(bases)
    assert titles["A6-1-b"] == "Art. 6(1)(b) GDPR: performance of a contract with the data subject"
    assert "DBL § 11, stk. 2, nr. 1" in titles["DK-DBL-11-2-1"]
    assert len(titles) == len(bases), "codes are unique"
    for code, title in bases:
        assert code and title


def test_legal_bases_cover_articles_6_9_10_and_the_danish_act() -> None:
    codes = {b.code for b in gdprkit.legal_bases()}
    assert set(ART6) <= codes
    assert {f"A9-2-{c}" for c in "abcdefghij"} <= codes
    assert {"A9-3", "A10", "DK-DBL-7-3", "DK-DBL-8-3", "DK-DBL-11-1", "DK-DBL-12-2"} <= codes


def test_kind_and_effects() -> None:
    f = gdprkit.legal_basis("A6-1-f")
    assert f == ("A6-1-f", gdprkit.basis_title("A6-1-f"))
    assert f.kind == "art6"
    assert f.effects == ("lawful", "legitimate_interest")
    assert gdprkit.legal_basis("A9-2-i").kind == "art9"
    assert "public_health" in gdprkit.legal_basis("A9-2-i").effects
    assert gdprkit.legal_basis("A10").kind == "art10"
    assert gdprkit.legal_basis("DK-DBL-11-2-2").kind == "national"
    assert set(gdprkit.legal_basis("DK-DBL-11-2-2").effects) == {"national_id", "consent"}
    assert gdprkit.legal_basis("DK-DBL-11-3").effects == ()
    assert gdprkit.legal_basis("A9-3").effects == ("safeguard",)


def test_basis_title() -> None:
    assert gdprkit.basis_title("A6-1-a") == "Art. 6(1)(a) GDPR: consent of the data subject"
    assert gdprkit.basis_title("A9-2-h").startswith("Art. 9(2)(h) GDPR")


@pytest.mark.parametrize("code", ["A6-1-g", "a6-1-b", "", " A6-1-b", "DK-SUL-42d"])
def test_unknown_basis_code_is_not_found_with_suggestions(code: str) -> None:
    with pytest.raises(gdprkit.NotFoundError) as info:
        gdprkit.basis_title(code)
    assert isinstance(info.value, KeyError)
    assert f'"{code}"' in str(info.value)
    # Near codes are suggested; nothing is near an empty code.
    assert ("; did you mean " in str(info.value)) == (code != "")


def test_unknown_basis_suggests_the_nearest() -> None:
    with pytest.raises(KeyError, match=r'did you mean "DK-DBL-7-3"'):
        gdprkit.basis_title("DK-DBL-7-33")


@pytest.mark.parametrize("bad", [None, 6, b"A6-1-b", ["A6-1-b"]])
def test_basis_title_wants_a_str(bad: object) -> None:
    with pytest.raises(TypeError):
        gdprkit.basis_title(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        gdprkit.legal_basis(bad)  # type: ignore[arg-type]


def test_rights_catalogue() -> None:
    rights = gdprkit.data_subject_rights()
    assert [code for code, _ in rights] == RIGHT_CODES
    assert gdprkit.right_title("A17") == "Art. 17: right to erasure"
    assert gdprkit.right_title("A7-3") == "Art. 7(3): right to withdraw consent"
    with pytest.raises(gdprkit.NotFoundError, match='unknown right code "A23"'):
        gdprkit.right_title("A23")
    with pytest.raises(TypeError):
        gdprkit.right_title(17)  # type: ignore[arg-type]


def test_builtin_categories() -> None:
    cats = {c.key: c for c in gdprkit.builtin_categories()}
    assert cats["health"].special and not cats["health"].national_id
    assert cats["health.diagnosis"].special
    assert cats["identity.cpr"].national_id and not cats["identity.cpr"].special
    assert cats["criminal.record_extract"].criminal
    assert not any((cats["contact"].special, cats["contact"].criminal, cats["contact"].national_id))
    assert all(c.builtin for c in cats.values())
    # Parents come before their children.
    keys = list(cats)
    for key in keys:
        if "." in key:
            assert keys.index(key.rsplit(".", 1)[0]) < keys.index(key)


def test_records_are_immutable() -> None:
    c = gdprkit.builtin_categories()[0]
    with pytest.raises(AttributeError):
        c.key = "x"  # type: ignore[misc]
