"""gdprkit.scan: identifiers in free text, counted per row and redacted.

The numbers are made up: valid by the rules, not real people."""

from __future__ import annotations

import datetime
import re

import numpy as np
import pandas as pd
import pytest

from gdprkit import scan
from gdprkit._errors import ArgumentTypeError, InvalidArgumentError

AS_OF = "2026-12-03"
NOTES = [
    "Pt. 010190-1234 ringede, tlf. 87654300.",
    "intet her",
    "CVR DK12345674 og ydernr. 123456, ikke 320199-1234",
    "GLN 5790000000012; 0101904008 og 010190 1234",
]


def test_counts_per_row_and_kind() -> None:
    r = scan.scan_identifiers(NOTES, as_of=AS_OF)
    assert r.counts["cpr"].tolist() == [1, 0, 0, 2]
    assert r.counts["cvr"].tolist() == [0, 0, 1, 0]
    assert r.counts["gln"].tolist() == [0, 0, 0, 1]
    assert r.counts["provider_number"].tolist() == [0, 0, 1, 0]
    assert "sor" not in r.counts
    assert r.totals == {"cpr": 3, "cvr": 1, "gln": 1, "provider_number": 1}
    assert r.rows().tolist() == [0, 2, 3]
    assert r.rows("ydernummer").tolist() == [2]
    assert len(r) == 4 and bool(r)


def test_a_cpr_shaped_number_that_is_no_date_is_not_found() -> None:
    texts = ["320199-1234", "011390-1234", "pt0101901234", "Ordre 2026-0101901234"]
    r = scan.scan_identifiers(texts, as_of=AS_OF)
    assert not r
    # The regular expression a consultant would write finds all but the word.
    assert sum(1 for t in texts for _ in re.finditer(r"\b\d{6}-?\d{4}\b", t)) == 3


def test_as_of_decides_future_birth_dates() -> None:
    text = ["240135-7665"]  # 24 January 2035
    assert scan.scan_identifiers(text, as_of=AS_OF).totals["cpr"] == 0
    later = scan.scan_identifiers(text, as_of=datetime.date(2040, 1, 1))
    assert later.totals["cpr"] == 1


def test_kinds_and_modulus11() -> None:
    r = scan.scan_identifiers(NOTES, kinds=["cvr", "sor"], as_of=AS_OF)
    assert set(r.counts) == {"cvr", "sor"}
    m = scan.scan_identifiers(["0101901234 0101904008"], as_of=AS_OF, require_modulus11=True)
    assert m.totals["cpr"] == 1
    assert scan.scan_identifiers("x 12345678902", kinds="sor").totals == {"sor": 1}


def test_redact_keeps_the_container() -> None:
    out = scan.redact_identifiers(NOTES, as_of=AS_OF)
    assert out == [
        "Pt. [CPR] ringede, tlf. 87654300.",
        "intet her",
        "CVR [CVR] og ydernr. [YDERNR], ikke 320199-1234",
        "GLN [GLN]; [CPR] og [CPR]",
    ]
    assert scan.redact_identifiers("a 0101901234", as_of=AS_OF) == "a [CPR]"
    arr = scan.redact_identifiers(np.array(["a 0101901234", None], dtype=object), as_of=AS_OF)
    assert isinstance(arr, np.ndarray) and arr.tolist() == ["a [CPR]", None]
    s = pd.Series(["a 0101901234", None, "b"], index=[7, 8, 9], name="note")
    red = scan.redact_identifiers(s, as_of=AS_OF)
    assert isinstance(red, pd.Series) and red.name == "note" and list(red.index) == [7, 8, 9]
    assert red[7] == "a [CPR]" and pd.isna(red[8]) and red[9] == "b"


def test_missing_values_have_nothing() -> None:
    r = scan.scan_identifiers([None, float("nan"), "", "0101901234"], as_of=AS_OF)
    assert r.counts["cpr"].tolist() == [0, 0, 0, 1]
    assert r.frame().shape == (4, 4)


def test_series_index_carries_to_the_frame() -> None:
    s = pd.Series(["0101901234", "x"], index=["a", "b"])
    f = scan.scan_identifiers(s, as_of=AS_OF).frame()
    assert list(f.index) == ["a", "b"] and f.loc["a", "cpr"] == 1


def test_displays_never_show_a_value() -> None:
    r = scan.scan_identifiers(NOTES, as_of=AS_OF)
    shown = repr(r) + r._repr_html_() + r.to_html("da")
    for value in ("010190", "1234", "12345674", "5790000000012", "123456"):
        assert value not in shown
    assert "CPR-nummer" in r.to_html("da")


def test_bad_arguments_say_why() -> None:
    with pytest.raises(InvalidArgumentError, match="other"):
        scan.scan_identifiers(NOTES, kinds="other")
    with pytest.raises(InvalidArgumentError, match="identifier kind"):
        scan.scan_identifiers(NOTES, kinds="cprr")
    with pytest.raises(InvalidArgumentError, match="empty"):
        scan.scan_identifiers(NOTES, kinds=[])
    with pytest.raises(ArgumentTypeError):
        scan.scan_identifiers({"a": "b"})
    with pytest.raises(ArgumentTypeError, match=r"texts\[1\]"):
        scan.scan_identifiers(["x", 3])
    with pytest.raises(InvalidArgumentError, match="as_of"):
        scan.scan_identifiers(NOTES, as_of="2026-02-30")
    with pytest.raises(InvalidArgumentError, match="not scanned"):
        scan.scan_identifiers(NOTES, kinds="cpr").rows("cvr")


def test_many_rows_in_one_call() -> None:
    texts = ["note 0101901234 og 12345674"] * 100_000
    r = scan.scan_identifiers(texts, as_of=AS_OF)
    assert r.totals["cpr"] == 100_000 and r.totals["cvr"] == 100_000
