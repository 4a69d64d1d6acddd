"""Issue #11 for policies: displays in Jupyter (HTML and one-line reprs),
titles in Danish, the DataFrame getters' names, and the log of what loading
and validation decided."""

from __future__ import annotations

import copy
import logging
import pickle

import pandas as pd
import pytest

import gdprkit
from gdprkit.basis import finding_title

# A policy with caller text that HTML must escape, a declared reference, and
# an error, a warning and an info.
POLICY = """\
schema: "gdprkit.v1"
controller { name: "Klinik <b>Øst</b> & co" }
references { code: "DK-SUL-42D" title: "Sundhedsloven § 42 d" effects: LEGAL_OBLIGATION }
teams { id: "clinic" }
retention_rules { id: "r" period: "P10Y" }
purposes {
  id: "patient-record"
  title: "Patient <script>alert(1)</script> record"
  categories: "health.record"
  data_subjects: "patients"
  basis: "A6-1-c"
  basis: "DK-SUL-42D"
  basis: "A9-2-h"
  access { team: "clinic" }
  retention: "r"
  erasure_exceptions: LEGAL_CLAIMS
}
purposes {
  id: "newsletter"
  categories: "contact.email"
  data_subjects: "patients"
  basis: "A6-1-a"
  consent { record: "form" withdrawal: "link" }
  retention: "r"
}
purposes {
  id: "no-basis"
  categories: "contact"
  data_subjects: "patients"
  access { team: "clinic" }
  retention: "r"
}
"""


@pytest.fixture(scope="module")
def policy() -> gdprkit.Policy:
    return gdprkit.Policy.from_text(POLICY, source_name="klinik.textproto")


# -- Displays -------------------------------------------------------------------


def test_policy_html_shows_purposes_bases_rights_and_findings(policy: gdprkit.Policy) -> None:
    html = policy._repr_html_()
    assert html == policy.to_html()
    # Caller text is escaped; nothing of it runs.
    assert "<script>" not in html and "<b>Øst" not in html
    assert "&lt;script&gt;" in html and "Klinik &lt;b&gt;Øst&lt;/b&gt; &amp; co" in html
    assert "3 purposes" in html and "1 error" in html
    # Purposes x bases x rights: the newsletter rests on consent (A7-3 applies).
    row = html[html.index("<td>newsletter</td>"):]
    row = row[:row.index("</tr>")]
    assert "A6-1-a" in row and "A7-3" in row and "A21" not in row
    # The titles of the bases used, declared ones as written.
    assert "Art. 6(1)(c) GDPR: compliance with a legal obligation" in html
    assert "Sundhedsloven § 42 d" in html
    # Findings, errors first, with code and title.
    assert "missing-art6-basis" in html and "No Art. 6(1) basis" in html
    assert html.index("missing-art6-basis") < html.index("no-access-grant")


def test_policy_display_in_danish(policy: gdprkit.Policy) -> None:
    html = policy.to_html(lang="da")
    assert "Art. 6, stk. 1, litra c: retlig forpligtelse" in html
    assert "Intet behandlingsgrundlag efter art. 6, stk. 1" in html
    assert "<td>fejl</td>" in html
    assert "Sundhedsloven § 42 d" in html  # declared: as written
    shown = policy.display(lang="da")
    assert shown._repr_html_() == html
    assert repr(shown) == repr(policy)
    with pytest.raises(gdprkit.InvalidArgumentError):
        policy.to_html(lang="sv")


def test_purpose_display(policy: gdprkit.Policy) -> None:
    p = policy.purpose("patient-record")
    assert repr(p) == ("<gdprkit.Purpose id='patient-record' basis=('A6-1-c', 'DK-SUL-42D', "
                       "'A9-2-h') categories=1 retention='r'>")
    html = p._repr_html_()
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "A6-1-c: Art. 6(1)(c) GDPR" in html and "DK-SUL-42D: Sundhedsloven § 42 d" in html
    # Rights (A17 excluded by the stated legal-claims exception).
    rights_row = html[html.index("<td>rights</td>"):]
    assert "A15" in rights_row[:rights_row.index("</tr>")]
    assert "A17" not in rights_row[:rights_row.index("</tr>")]
    danish = p.to_html(lang="da")
    assert "Art. 17, stk. 3, litra e" in danish and "Art. 9, stk. 2, litra h" in danish
    # The policy a purpose came from is not part of it: equality and pickling
    # are those of its fields, and a pickled purpose still displays.
    again = pickle.loads(pickle.dumps(p))
    assert again == p and copy.copy(p) == p
    assert "A6-1-c: Art. 6(1)(c) GDPR" in again._repr_html_()
    assert "<td>rights</td>" not in again._repr_html_()


def test_finding_and_rights_displays(policy: gdprkit.Policy) -> None:
    finding = policy.validate()[0]
    assert finding.code == "missing-art6-basis" and finding.title == "No Art. 6(1) basis"
    assert repr(finding) == (f"<gdprkit.Finding severity='error' code='missing-art6-basis' "
                             f"purpose='no-basis' line={finding.line}>")
    assert "<td>missing-art6-basis</td>" in finding._repr_html_()
    assert "<td>fejl</td>" in finding.to_html(lang="da")

    rights = policy.rights_detail("newsletter", lang="da")
    assert isinstance(rights, list) and rights.purpose_id == "newsletter"
    assert rights.applying == policy.rights("newsletter")
    assert repr(rights).startswith("<gdprkit.PurposeRights purpose='newsletter' applies=(")
    html = rights._repr_html_()
    assert "Art. 17: Ret til sletning" in html and "Art. 20: Ret til dataportabilitet" in html
    assert repr(rights[0]) == "<gdprkit.RightAssessment code='A13' applies=True>"
    assert "<td>A13</td>" in rights[0]._repr_html_()


# -- Danish titles in the frames and lookups -----------------------------------------


def test_frames_give_titles_in_the_language_asked(policy: gdprkit.Policy) -> None:
    findings = policy.findings_frame(lang="da")
    assert list(findings["title"]) == [
        finding_title(c, lang="da") for c in findings["code"]]
    assert set(findings["severity"]) == {"error", "warning", "info"}  # names stay
    detail = policy.rights_frame(detail=True, lang="da")
    assert "Art. 17: Ret til sletning" in set(detail["title"])
    purposes = policy.purposes_frame(lang="da")
    assert purposes.loc[0, "basis_titles"] == (
        "Art. 6, stk. 1, litra c: retlig forpligtelse", "Sundhedsloven § 42 d",
        gdprkit.basis_title("A9-2-h", lang="da"))
    assert policy.basis_title("A6-1-c", lang="da") == purposes.loc[0, "basis_titles"][0]
    # to_frame is the older name of purposes_frame.
    pd.testing.assert_frame_equal(policy.to_frame(), policy.purposes_frame())
    assert policy.rights_detail("newsletter")[4].title == "Art. 17: right to erasure"


def test_policy_cannot_be_constructed_with_arguments() -> None:
    with pytest.raises(TypeError):
        gdprkit.Policy("x.textproto")  # type: ignore[call-arg]


# -- The log ----------------------------------------------------------------------


def test_loading_and_validation_are_logged_without_contents(
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="gdprkit"):
        p = gdprkit.Policy.from_text(POLICY, source_name="secret-name.textproto")
        p.validate()
        p.validate()  # cached: logged once
    messages = [r.getMessage() for r in caplog.records if r.name == "gdprkit"]
    loads = [m for m in messages if m.startswith("policy from_text:")]
    validations = [m for m in messages if m.startswith("policy validate:")]
    assert len(loads) == 1 and "purposes=3" in loads[0]
    assert len(validations) == 1
    assert "errors=1" in validations[0] and "purposes=3" in validations[0]
    for m in messages:
        assert "secret-name" not in m and "patient-record" not in m and "Klinik" not in m
