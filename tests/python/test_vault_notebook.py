"""The vault and identifiers in a notebook (issue #11): one errors= vocabulary
with a report, progress that finishes (and cancels without writing), the
'gdprkit' logger without values, displays without secrets, the DataFrame
getters and both spellings."""

from __future__ import annotations

import logging
import os
import pathlib
from typing import Any, Iterator, List, Tuple

import numpy as np
import pandas as pd
import pytest

import gdprkit
from gdprkit import identifiers
from gdprkit.identifiers import RejectedRows
from gdprkit.vault import Pseudonymiser, Pseudonymizer, Vault

PW = "correct horse battery staple"
DOMAIN = "klynge-aarhus-2026"
GOOD = ["010180-1004", "290200-4002"]
BAD = "300200-1234"  # not a date
VALUES = [GOOD[0], BAD, GOOD[1], "12"]


@pytest.fixture
def vault(tmp_path: pathlib.Path) -> Iterator[Vault]:
    with Vault.create(str(tmp_path / "notebook.vault"), passphrase=PW, kdf="tests_only",
                      actor="pytest") as v:
        v.create_domain(DOMAIN, "cluster report")
        v.create_domain("kapsel-datakonsulenter")
        yield v


# ---- errors= ------------------------------------------------------------------


def test_errors_have_one_meaning_in_every_batch_call(vault: Vault) -> None:
    calls = {
        "normalise": lambda **kw: identifiers.normalise(VALUES, **kw),
        "pseudonymise": lambda **kw: vault.pseudonymise(VALUES, domain=DOMAIN, **kw),
        "tokenise": lambda **kw: vault.tokenise(VALUES, domain=DOMAIN, **kw),
        "lookup_tokens": lambda **kw: vault.lookup_tokens(VALUES, domain=DOMAIN, **kw),
    }
    for name, call in calls.items():
        with pytest.raises(gdprkit.InvalidArgumentError, match="row 1") as e:
            call()
        assert BAD not in str(e.value), name
        coerced = call(errors="coerce")
        assert coerced[1] is None and coerced[3] is None, name
        assert call(errors="skip") == coerced, name  # the CLI's older name
        values, rejected = call(errors="report")
        assert values == coerced, name
        assert isinstance(rejected, RejectedRows)
        assert list(rejected) == [(1, "bad_date"), (3, "bad_length")], name
        with pytest.raises(gdprkit.InvalidArgumentError, match="error mode"):
            call(errors="ignore")


def test_the_report_of_a_series_names_its_labels_and_reasons_never_values(vault: Vault) -> None:
    s = pd.Series(VALUES, index=["a", "b", "c", "d"], name="cpr")
    ps, rejected = vault.pseudonymise(s, domain=DOMAIN, errors="report")
    assert isinstance(ps, pd.Series) and list(ps.index) == ["a", "b", "c", "d"]
    assert rejected.labels == ("b", "d")
    frame = rejected.frame(lang="da")
    assert list(frame.columns) == ["row", "label", "reason", "title"]
    assert frame["title"][1] == "et CPR-nummer har 10 cifre (DDMMÅÅ-SSSS)"
    assert rejected.counts() == {"bad_date": 1, "bad_length": 1}
    shown = repr(rejected) + rejected._repr_html_() + rejected.to_html(lang="da")
    assert BAD not in shown and "300200" not in shown


def test_rejected_tokens_are_coerced_or_reported(vault: Vault) -> None:
    tokens = vault.tokenise(GOOD, domain=DOMAIN)
    given = [tokens[0], "tk_nonsense", tokens[1]]
    with pytest.raises(gdprkit.InvalidArgumentError, match="row 1"):
        vault.reidentify(given, domain=DOMAIN, reason="audit 2026-3")
    ids = vault.reidentify(given, domain=DOMAIN, reason="audit 2026-3", errors="coerce")
    assert ids == ["0101801004", None, "2902004002"]
    out, rejected = vault.translate(given, from_domain=DOMAIN, to_domain="kapsel-datakonsulenter",
                                    reason="audit 2026-3", to="pseudonym", errors="report")
    assert out[1] is None and out[0].startswith("ps1_")
    assert list(rejected) == [(1, "malformed")]
    assert "tk_nonsense" not in repr(rejected) + rejected._repr_html_()
    assert rejected.title("malformed", lang="da").startswith("ikke et gdprkit-token")


# ---- progress -----------------------------------------------------------------


def _recorder() -> Tuple[List[Tuple[str, int, int]], Any]:
    calls: List[Tuple[str, int, int]] = []

    def progress(stage: str, done: int, total: int) -> None:
        calls.append((stage, done, total))

    return calls, progress


def test_progress_starts_at_zero_and_ends_at_the_total(vault: Vault) -> None:
    values = [f"patient-{i}" for i in range(2500)]
    for name, call, stages in [
        ("pseudonymise", lambda p: vault.pseudonymise(values, domain=DOMAIN, kind="other",
                                                      progress=p), ["pseudonymise"]),
        ("tokenise", lambda p: vault.tokenise(values, domain=DOMAIN, kind="other", progress=p),
         ["tokenise"]),
        ("lookup", lambda p: vault.lookup_tokens(values, domain=DOMAIN, kind="other",
                                                 progress=p), ["lookup"]),
    ]:
        calls, progress = _recorder()
        call(progress)
        assert [c[0] for c in calls if c[1] == 0] == stages, name
        assert calls[0][1] == 0 and calls[-1][1] == calls[-1][2] == len(values), name
        assert all(a[1] <= b[1] for a, b in zip(calls, calls[1:])), name
    tokens = vault.tokenise(values, domain=DOMAIN, kind="other")
    calls, progress = _recorder()
    vault.translate(tokens, from_domain=DOMAIN, to_domain="kapsel-datakonsulenter",
                    reason="audit 2026-3", progress=progress)
    assert [c[0] for c in calls if c[1] == 0] == ["translate", "tokenise"]
    assert calls[-1] == ("tokenise", len(values), len(values))


def test_a_cancelled_tokenise_issues_no_token(vault: Vault) -> None:
    values = [f"patient-{i}" for i in range(2000)]

    def stop_half_way(stage: str, done: int, total: int) -> bool:
        return done < total // 2

    with pytest.raises(gdprkit.CancelledError, match="tokenise"):
        vault.tokenise(values, domain=DOMAIN, kind="other", progress=stop_half_way)
    assert vault.lookup_tokens(values, domain=DOMAIN, kind="other") == [None] * len(values)
    assert vault.domains()[1].tokens == 0

    class Stop(Exception):
        pass

    def raises(stage: str, done: int, total: int) -> None:
        if done:
            raise Stop()

    with pytest.raises(Stop):
        vault.tokenise(values, domain=DOMAIN, kind="other", progress=raises)
    assert vault.domains()[1].tokens == 0


def test_rotate_and_rekey_report_progress_and_a_cancelled_rotation_changes_nothing(
        vault: Vault) -> None:
    values = [f"patient-{i}" for i in range(1200)]
    tokens = vault.tokenise(values, domain=DOMAIN, kind="other")
    other = vault.tokenise(GOOD, domain="kapsel-datakonsulenter")
    pseudonyms = vault.pseudonymise(GOOD, domain=DOMAIN)
    entries = vault.verify_audit().entries
    total = len(values) + len(GOOD)

    def stop_half_way(stage: str, done: int, total: int) -> bool:
        return done < total // 2

    with pytest.raises(gdprkit.CancelledError, match="rotate"):
        vault.rotate(reason="yearly", progress=stop_half_way)
    # Nothing changed: the old key version is still primary, pseudonyms are
    # the same, every token re-identifies, no audit entry was written.
    assert all(d.key_version == 1 for d in vault.domains())
    assert vault.pseudonymise(GOOD, domain=DOMAIN) == pseudonyms  # ps1_: version 1 is primary
    assert str(pseudonyms[0]).startswith("ps1_")
    assert vault.verify_audit().entries == entries
    assert vault.reidentify(tokens, domain=DOMAIN, reason="check") == values
    assert vault.reidentify(other, domain="kapsel-datakonsulenter",
                            reason="check") == ["0101801004", "2902004002"]

    calls, progress = _recorder()
    assert vault.rotate(reason="yearly", progress=progress) == 2
    assert calls[0] == ("rotate", 0, total) and calls[-1] == ("rotate", total, total)
    assert all(a[1] <= b[1] for a, b in zip(calls, calls[1:]))
    assert all(d.key_version == 2 for d in vault.domains())
    assert str(vault.pseudonymise(GOOD, domain=DOMAIN)[0]).startswith("ps2_")
    assert vault.reidentify(tokens, domain=DOMAIN, reason="check") == values
    calls, progress = _recorder()
    assert vault.rekey(reason="check", progress=progress) == 0
    assert calls[0] == ("rekey", 0, 0) and calls[-1] == ("rekey", 0, 0)


def test_progress_true_shows_a_tqdm_bar(vault: Vault, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    out = vault.pseudonymise(GOOD, domain=DOMAIN, progress=True)
    assert len(out) == 2
    err = capsys.readouterr().err
    assert "pseudonymise" in err and "2/2" in err
    assert GOOD[0] not in err


# ---- logging ------------------------------------------------------------------


def test_the_logger_records_counts_never_values(vault: Vault,
                                                caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="gdprkit"):
        vault.pseudonymise(VALUES, domain=DOMAIN, errors="coerce")
        tokens = vault.tokenise(GOOD, domain=DOMAIN)
        vault.reidentify(tokens, domain=DOMAIN, reason="audit 2026-3")
        identifiers.normalise(VALUES, errors="coerce")
    text = "\n".join(r.getMessage() for r in caplog.records if r.name == "gdprkit")
    assert "vault.pseudonymise: kind=cpr rows=4 rejected=2" in text
    assert "vault.tokenise" in text and "vault.reidentify" in text
    assert "identifiers.normalise" in text
    for secret in [*GOOD, BAD, "0101801004", *tokens, DOMAIN, PW, "audit 2026-3"]:
        assert secret not in text


# ---- displays and frames -------------------------------------------------------


def test_displays_show_no_key_passphrase_token_or_identifier(vault: Vault,
                                                             tmp_path: pathlib.Path) -> None:
    tokens = vault.tokenise(GOOD, domain=DOMAIN)
    key = vault.export_pseudonym_key(DOMAIN, reason="spark job 2026-7")
    p = Pseudonymizer.from_exported_key(key)
    erased = vault.erase(GOOD[0], reason="request 2026-41")
    verified = vault.verify_audit()
    shown = [repr(vault), vault._repr_html_(), vault.to_html(), repr(p), p._repr_html_(),
             repr(erased), erased._repr_html_(), repr(verified), verified._repr_html_()]
    for d in vault.domains():
        shown += [repr(d), d._repr_html_()]
    text = "\n".join(shown)
    secret = key.rsplit(":", 1)[1]
    for forbidden in [PW, key, secret, *GOOD, "0101801004", *tokens]:
        assert forbidden not in text
    html = vault._repr_html_()
    assert "notebook.vault" in html and "passphrase" in html and DOMAIN in html
    assert "2 domains" in html and "chacha20" in html
    assert "protection='passphrase'" in repr(vault) and "domains=2" in repr(vault)
    assert "1 token record" in erased._repr_html_()
    vault.close()
    assert "closed" in repr(vault) and "closed" in vault._repr_html_()


def test_domains_frame_and_audit_frame_in_danish(vault: Vault) -> None:
    vault.tokenise(GOOD, domain=DOMAIN)
    df = vault.domains_frame()
    assert list(df.columns) == ["name", "description", "scheme", "key_version", "created",
                                "tokens"]
    assert df.set_index("name")["tokens"].to_dict() == {DOMAIN: 2, "kapsel-datakonsulenter": 0}
    assert str(df["created"].dt.tz) == "UTC"
    audit = vault.audit_frame(lang="da")
    assert list(audit.columns[:4]) == ["seq", "time", "op", "title"]
    assert audit["title"][0] == "boks oprettet"
    assert vault.audit_frame()["title"][0] == "vault created"


# ---- both spellings and container types ----------------------------------------


def test_every_ise_name_has_its_ize_twin(vault: Vault) -> None:
    assert Pseudonymiser is Pseudonymizer
    assert identifiers.normalize is identifiers.normalise
    assert Vault.pseudonymize is Vault.pseudonymise
    assert Vault.tokenize is Vault.tokenise
    assert Pseudonymizer.pseudonymize is Pseudonymizer.pseudonymise
    for module in (gdprkit.vault, identifiers):
        names = set(dir(module))
        for name in names:
            if name.startswith("_"):
                continue
            for ise, ize in (("ise", "ize"), ("iser", "izer")):
                if name.endswith(ise):
                    assert name[: -len(ise)] + ize in names, name
                if name.endswith(ize):
                    assert name[: -len(ize)] + ise in names, name


def test_results_come_back_in_the_callers_container(vault: Vault) -> None:
    assert isinstance(vault.pseudonymise(GOOD[0], domain=DOMAIN), str)
    assert isinstance(vault.pseudonymise(np.array(GOOD, dtype=object), domain=DOMAIN),
                      np.ndarray)
    assert isinstance(vault.tokenise(tuple(GOOD), domain=DOMAIN), list)
    assert isinstance(identifiers.normalise(pd.Series(GOOD)), pd.Series)
    tokens = vault.tokenise(np.array(GOOD, dtype=object), domain=DOMAIN)
    assert isinstance(vault.reidentify(tokens, domain=DOMAIN, reason="audit 2026-3"),
                      np.ndarray)
    assert os.path.basename(vault.path) == "notebook.vault"
