#!/usr/bin/env python3
"""Writes synthetic record-level data for the cluster guide's releases.

    python3 examples/records/make_cluster_records.py          # cluster_records.csv (3,000 rows)
    python3 examples/records/make_cluster_records.py --rows 10000000 --out /tmp/big.csv

One row per registration of a patient with a general practice: the
patient's CPR number, the practice's provider number (ydernummer) and its
code in the cluster (P01 ... P19 of examples/tables/practice.hrc), the age
band on 2026-12-01 (0-17, 18-39, 40-64, 65-79, 80+, the bands of
examples/tables/cluster_age.csv), the date of the registration (ISO) and a
free-text note. Everything is made up, drawn from a fixed seed: the CPR
numbers are valid by the rules (a real date, the century rule of the 7th
digit, born before the release date) and belong to no one we know of.

What the data hold on purpose (docs/release.md, section 8, gives the counts
of the bundled file, written with the default seed 16):
  * practices of very different sizes, so that some cells of practice x age
    band have fewer than five registrations and must be suppressed;
  * about 8 % of the registrations older than five years before 2026-12-01
    (the cluster guide's "ikke mere end fem år gamle"), and two without a
    date;
  * notes in Danish, most without identifiers; 7 hide a valid CPR number
    (written DDMMYY-SSSS, DDMMYYSSSS or DDMMYY SSSS) and 2 a provider number
    after "ydernr."; 6 hold CPR-shaped numbers that are not CPR numbers (no
    such date, or born after the release date) and must not be found; phone
    numbers are written in groups (21 43 65 87), dates as 05.01.2026 or
    2026-01-05.

With seed 16 the extract "cluster-quality-extract" of the cluster guide
shows local suppression at work: cluster Nord-C (one small practice) has two
age bands with three rows each, which "*" merges into one group of six.

make_records() returns the columns as NumPy arrays (vectorised: ten million
rows take seconds), so a benchmark can build its DataFrame in memory.
Needs NumPy only.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from typing import Any, Dict, List, Sequence

import numpy as np
from numpy.typing import NDArray

Array = NDArray[Any]

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "cluster_records.csv")
COLUMNS = ["patient_cpr", "provider_number", "practice", "age", "registered", "note"]
RELEASE_DATE = np.datetime64("2026-12-01", "D")
FIVE_YEARS_BEFORE = np.datetime64("2021-12-01", "D")  # the release date minus P5Y

# The practices of examples/tables/practice.hrc and their relative list sizes:
# single-handed practices (P02, P06, P08, P13, P18) next to large ones.
PRACTICES = [f"P{i:02d}" for i in range(1, 20)]
SIZES = np.array(
    [300, 40, 220, 180, 260, 35, 150, 45, 330, 120, 200, 170, 30, 90, 240, 140, 190, 38, 230],
    dtype=np.float64,
)
AGES = ["0-17", "18-39", "40-64", "65-79", "80+"]
AGE_SHARE = np.array([0.19, 0.27, 0.33, 0.14, 0.07])
AGE_YEARS = [(0, 17), (18, 39), (40, 64), (65, 79), (80, 99)]
OLD_SHARE = 0.08
NOTE_SHARE = 0.6  # rows with a note; the others have none (an empty field)

# Notes without identifiers. {d} a date, {p} a phone number, {n} a small number.
NOTE_TEMPLATES = [
    "Årskontrol, BT {n}/84. Næste kontrol om 12 mdr.",
    "Telefonkonsultation; pt. ringer tilbage på {p}.",
    "Recept fornyet. Kontrol {d}.",
    "HbA1c {n} mmol/mol, uændret. Fortsat livsstilsvejledning.",
    "Henvist til fysioterapi, 6 behandlinger.",
    "Pt. udebleven fra aftale {d}; sms sendt.",
    "Blodprøver taget {d}, svar følger.",
    "Kontakt til pårørende på tlf. {p}.",
    "Vaccination givet. Ingen reaktion efter 20 min.",
    "Vægt {n} kg. Drøftet motion og kost.",
    "Samtale om søvn; ses igen om 3 uger.",
    "Spirometri normal. Ingen rygning.",
    "Sår tilset, pæn heling. Kontrol {d}.",
    "Svar på røntgen: ingen fraktur. Pt. informeret på {p}.",
    "Fornyet henvisning til øjenlæge, ventetid ca. {n} uger.",
]
# Valid CPR numbers in the three spellings the scanner accepts; {c} is the
# number as DDMMYY-SSSS, {c10} without the dash, {cs} with a space.
CPR_NOTES = [
    "Pt. ringede fra datterens telefon, oplyste CPR {c}.",
    "Journal fejlført på {c10}, rettet.",
    "Mor (cpr {cs}) deltog i konsultationen.",
    "Attest til kommunen vedr. {c}.",
    "Dobbeltregistrering? Se også {c10}.",
    "Ægtefælle {cs} tilmeldt samme praksis.",
    "Indlæggelsesseddel sendt, CPR {c}, modtaget.",
]
PROVIDER_NOTES = [
    "Henvist fra ydernr. {y} ved flytning.",
    "Epikrise fra vagtlæge, ydernr. {y}.",
]
# CPR-shaped numbers that are not CPR numbers: day 32, month 13, 29 February
# in a year that is no leap year, day 00, born in 2030 (7th digit 4, year
# 30: after the release date), month 15 without a dash.
NOT_CPR_NOTES = [
    "Labnr. 320187-1234 fra sygehuset.",
    "Sagsnr. 311387-2231 i kommunen.",
    "Prøvesvar 290223-1234 afventes.",
    "Bestillingsnr. 000185-5511 hos leverandøren.",
    "Kvittering 010130-4123 for hjælpemiddel.",
    "Ref. 1513781234 fra apoteket.",
]


def _split(total: int, weights: Array) -> Array:
    """Whole counts in proportion to `weights` that add up to `total`."""
    exact: Array = weights / weights.sum() * total
    counts: Array = np.floor(exact).astype(np.int64)
    rest = np.argsort(-(exact - counts), kind="stable")[: total - int(counts.sum())]
    counts[rest] += 1
    return counts


def _century_digit(rng: np.random.Generator, year: Array) -> Array:
    """A 7th digit that gives `year` under the CPR century rule (gdprkit/identifiers.h)."""
    yy = year % 100
    pick = rng.integers(0, 6, size=year.shape)
    digit = np.empty(year.shape, dtype=np.int64)
    old = year < 1937  # 0-3 only
    digit[old] = rng.integers(0, 4, size=int(old.sum()))
    mid = (year >= 1937) & (year < 2000)  # 0-3, 4, 9
    digit[mid] = np.array([0, 1, 2, 3, 4, 9])[pick[mid]]
    new = year >= 2000  # 4, 9 (year <= 2036), 5-8 (year <= 2057)
    digit[new] = np.array([4, 9, 5, 6, 7, 8])[pick[new]]
    assert not np.any(new & (yy > 36)), "the generator draws no birth after 2036"
    return digit


def _cpr_texts(days: Array, digit7: Array, serial: Array) -> Array:
    """DDMMYY-SSSS for birth dates `days` (datetime64[D]), as an 'S11' array."""
    years = days.astype("datetime64[Y]")
    months = days.astype("datetime64[M]")
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    month = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
    yy = years.astype(np.int64) % 100  # years since 1970, and 1970 % 100 == 70
    yy = (yy + 70) % 100
    parts = [day // 10, day % 10, month // 10, month % 10, yy // 10, yy % 10]
    out = np.empty((days.shape[0], 11), dtype=np.uint8)
    for i, part in enumerate(parts):
        out[:, i] = ord("0") + part
    out[:, 6] = ord("-")
    out[:, 7] = ord("0") + digit7
    for i, div in enumerate((100, 10, 1)):
        out[:, 8 + i] = ord("0") + (serial // div) % 10
    return out.view("S11").reshape(-1)


def _filled(template: str, rng: np.random.Generator) -> str:
    day = np.datetime64("2021-12-02") + int(rng.integers(0, 1825))
    date = str(day)
    fields = {
        "d": f"{date[8:10]}.{date[5:7]}.{date[0:4]}" if rng.random() < 0.5 else date,
        "p": " ".join(f"{int(x):02d}" for x in rng.integers(10, 100, size=4)),
        "n": str(int(rng.integers(40, 140))),
    }
    return template.format(**{k: v for k, v in fields.items() if "{" + k + "}" in template})


def make_records(rows: int = 3000, seed: int = 16) -> Dict[str, Array]:
    """The columns of `rows` synthetic registrations (see the module's docstring).

    Text columns are NumPy 'U' arrays or object arrays of str (note: None
    where a row has no note); `registered` is datetime64[D] (NaT: no date).
    """
    if rows < 100:
        raise ValueError("rows must be at least 100")
    rng = np.random.default_rng(seed)

    counts = _split(rows, SIZES)
    practice_idx = np.repeat(np.arange(len(PRACTICES)), counts)
    rng.shuffle(practice_idx)
    # One provider number per practice: six digits, the leading one 0-9.
    providers = rng.choice(np.arange(1, 999999), size=len(PRACTICES), replace=False)
    provider_text = np.array([f"{p:06d}" for p in providers])

    age_idx = rng.choice(len(AGES), size=rows, p=AGE_SHARE)
    low = np.array([a for a, _ in AGE_YEARS])[age_idx]
    high = np.array([b for _, b in AGE_YEARS])[age_idx]
    age_years = rng.integers(low, high + 1)
    # Born age_years (of 365.25 days) and one to eleven months before the
    # release date: the age on 2026-12-01 is age_years, and the youngest are
    # a month old.
    birth = (RELEASE_DATE - (age_years * 36525) // 100 - rng.integers(30, 335, size=rows)).astype(
        "datetime64[D]"
    )

    old = rng.random(rows) < OLD_SHARE
    # Recent registrations lie strictly after the cut-off.
    recent_days = int((RELEASE_DATE - FIVE_YEARS_BEFORE).astype(np.int64)) - 1
    registered = np.where(
        old,
        FIVE_YEARS_BEFORE - rng.integers(1, 3650, size=rows),
        FIVE_YEARS_BEFORE + rng.integers(1, recent_days + 1, size=rows),
    ).astype("datetime64[D]")
    # Nobody registers before birth: a newborn is registered two weeks in.
    registered = np.maximum(registered, birth + 14)
    registered[registered == FIVE_YEARS_BEFORE] += 1  # nothing on the boundary

    years = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    digit7 = _century_digit(rng, years)
    serial = rng.integers(0, 1000, size=rows)
    # CPR numbers repeat only by chance in very large data; keep a small file
    # free of them (found on a number that stands for the text: the century
    # rule makes the text and (birth date, 7th digit, serial) one-to-one).
    if rows <= 1_000_000:
        while True:
            key = (birth.astype(np.int64) * 10 + digit7) * 1000 + serial
            _, first = np.unique(key, return_index=True)
            repeated = np.ones(rows, dtype=bool)
            repeated[first] = False
            dup = np.flatnonzero(repeated)
            if dup.size == 0:
                break
            digit7[dup] = _century_digit(rng, years[dup])
            serial[dup] = rng.integers(0, 1000, size=dup.size)
    cpr = _cpr_texts(birth, digit7, serial)

    # Notes: a pool of distinct texts (so that ten million rows cost a pool's
    # worth of Python strings), then the special notes on chosen rows.
    pool = np.array(
        [_filled(NOTE_TEMPLATES[i % len(NOTE_TEMPLATES)], rng) for i in range(min(rows, 2000))],
        dtype=object,
    )
    note = np.full(rows, None, dtype=object)
    has_note = rng.random(rows) < NOTE_SHARE
    note[has_note] = pool[rng.integers(0, pool.size, size=int(has_note.sum()))]

    scale = max(1, rows // 3000)
    recent_rows = np.flatnonzero(~old)
    special = rng.choice(
        recent_rows, size=scale * (len(CPR_NOTES) + len(PROVIDER_NOTES) + len(NOT_CPR_NOTES) + 2),
        replace=False,
    )
    at = 0
    for template in CPR_NOTES * scale:
        row = special[at]
        other = cpr[special[-1 - at]].decode()  # a relative's number, valid too
        note[row] = template.format(c=other, c10=other.replace("-", ""), cs=other.replace("-", " "))
        at += 1
    for template in PROVIDER_NOTES * scale:
        note[special[at]] = template.format(y=provider_text[int(rng.integers(0, len(PRACTICES)))])
        at += 1
    for template in NOT_CPR_NOTES * scale:
        note[special[at]] = template
        at += 1
    # Two registrations without a date (picked among the rows not yet used).
    missing_date = special[at : at + 2 * scale]
    registered[missing_date] = np.datetime64("NaT")

    return {
        "patient_cpr": cpr.astype("U11"),
        "provider_number": provider_text[practice_idx],
        "practice": np.array(PRACTICES)[practice_idx],
        "age": np.array(AGES)[age_idx],
        "registered": registered,
        "note": note,
    }


def _csv_field(text: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow([text])
    return buf.getvalue()


def write_csv(columns: Dict[str, Array], path: str, chunk: int = 1_000_000) -> None:
    """Writes the columns as CSV (header first; an empty field for a missing value)."""
    rows = columns["patient_cpr"].shape[0]
    registered = np.datetime_as_string(columns["registered"], unit="D")
    registered[np.isnat(columns["registered"])] = ""
    # Quote each distinct note once.
    notes = columns["note"]
    quoted: Dict[object, str] = {None: ""}
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(COLUMNS) + "\n")
        for start in range(0, rows, chunk):
            stop = min(rows, start + chunk)
            note_field: List[str] = []
            for text in notes[start:stop]:
                field = quoted.get(text)
                if field is None:
                    field = quoted[text] = _csv_field(text)
                note_field.append(field)
            lines = zip(
                columns["patient_cpr"][start:stop].tolist(),
                columns["provider_number"][start:stop].tolist(),
                columns["practice"][start:stop].tolist(),
                columns["age"][start:stop].tolist(),
                registered[start:stop].tolist(),
                note_field,
            )
            f.write("\n".join(",".join(line) for line in lines) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    write_csv(make_records(args.rows, args.seed), args.out)
    print(f"{args.rows} rows -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
