#!/usr/bin/env python3
"""Side by side: gdprkit's identifier scanner against the regular expression a
data consultant would write for CPR numbers, ``re.finditer(r"\\b\\d{6}-?\\d{4}\\b")``,
on the same generated Danish clinical notes (fixed seed).

The notes carry planted identifiers (valid CPR numbers as DDMMYY-SSSS,
DDMMYYSSSS and DDMMYY SSSS; CVR numbers, some as DK12345678; GLN numbers;
provider numbers after "ydernr.") and decoys a scanner must pass over: dates
(05.01.2026, 2026-01-05), times, 8-digit phone numbers (also as 12 34 56 78),
blood pressures, amounts (1.234,50 kr), 10-digit amounts and account numbers,
order numbers (2026-0101901234), CPR-shaped numbers whose first six digits
are no date (320199-1234, 011390-1234) and with a letter glued on.

Speed: MB/s of each on the joined text (one string, newline-separated notes)
and of gdprkit on the notes as a list (its batch call, one count per row and
kind). Accuracy: per row, found against planted (true positives, false
positives, false negatives), for CPR (both) and the other kinds (gdprkit).
Phone numbers and 10-digit amounts are random, so some pass a check by
chance (a phone number the CVR modulus 11, about 1 in 11; an amount a CPR
date, about 1 in 25): those are counted as false positives, as they are.

Usage: PYTHONPATH=... .venv/bin/python benchmarks/scan_compare.py [--mb 100] [--seed 14]
Prints a Markdown table for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import re
import time
from typing import Dict, List, Tuple

from gdprkit.scan import scan_identifiers

AS_OF = datetime.date(2026, 12, 3)
KINDS = ("cpr", "cvr", "gln", "provider_number")


def _cpr(rng: random.Random) -> Tuple[str, str]:
    """A valid CPR number (date with the century of the 7th digit)."""
    while True:
        year = rng.randint(1920, 2025)
        born = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randint(0, 364))
        if born > AS_OF:
            continue
        yy = born.year % 100
        if born.year < 2000:
            d7 = rng.choice("0123") if born.year >= 1937 or rng.random() < 0.5 else "0"
        else:
            d7 = "4" if yy <= 36 else "5"
        rest = d7 + "".join(rng.choice("0123456789") for _ in range(3))
        return f"{born.day:02d}{born.month:02d}{yy:02d}", rest


def _cvr(rng: random.Random) -> str:
    while True:
        s = str(rng.randint(10000000, 99999999))
        if sum(int(c) * w for c, w in zip(s, (2, 7, 6, 5, 4, 3, 2, 1))) % 11 == 0:
            return s


def _gln(rng: random.Random) -> str:
    body = "57" + "".join(rng.choice("0123456789") for _ in range(10))
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def _bad_cpr(rng: random.Random) -> str:
    """CPR-shaped, first six digits no date: day 32-39 or month 13-19."""
    if rng.random() < 0.5:
        dd, mm = rng.randint(32, 39), rng.randint(1, 12)
    else:
        dd, mm = rng.randint(1, 28), rng.randint(13, 19)
    return f"{dd:02d}{mm:02d}{rng.randint(0, 99):02d}-{rng.randint(0, 9999):04d}"


WORDS = ("patienten klager over hoste og feber siden i går ordineret penicillin kontrol om "
         "to uger henvist til øre-næse-hals blodprøver viser let forhøjet CRP ingen "
         "allergi kendt ryger ca ti cigaretter dagligt aftalt opfølgning telefonisk "
         "pårørende informeret smerter i højre knæ efter fald røntgen uden fraktur").split()


def note(rng: random.Random, planted: Dict[str, int]) -> str:
    parts: List[str] = []
    for _ in range(rng.randint(3, 6)):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 10)))
        parts.append(words.capitalize() + ".")
        r = rng.random()
        if r < 0.30:
            parts.append(f"Set d. {rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.2026 kl. "
                         f"{rng.randint(7, 16):02d}:{rng.randint(0, 59):02d}.")
        elif r < 0.40:
            parts.append(f"Prøve taget 2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}.")
        elif r < 0.50:
            parts.append(f"BT {rng.randint(100, 180)}/{rng.randint(60, 110)}, "
                         f"puls {rng.randint(50, 110)}.")
        elif r < 0.58:
            p = str(rng.randint(20000000, 99999999))
            parts.append(f"Tlf. {p}." if rng.random() < 0.5 else
                         f"Mobil {p[:2]} {p[2:4]} {p[4:6]} {p[6:]}.")
        elif r < 0.63:
            parts.append(f"Egenbetaling {rng.randint(1, 9)}.{rng.randint(0, 999):03d},"
                         f"{rng.randint(0, 99):02d} kr.")
        elif r < 0.66:
            parts.append(f"Konto {rng.randint(1000000000, 9999999999)}.")
        elif r < 0.68:
            parts.append(f"Ordre 2026-{rng.randint(1000000000, 9999999999)}.")
        elif r < 0.70:
            parts.append(f"Ref. {_bad_cpr(rng)} (fejl).")
        elif r < 0.71:
            a, b = _cpr(rng)
            parts.append(f"Journal pt{a}{b} arkiveret.")  # glued to a word: not an identifier
        elif r < 0.75:
            a, b = _cpr(rng)
            sep = rng.choice(["-", "", " "])
            parts.append(f"CPR {a}{sep}{b}.")
            planted["cpr"] += 1
            planted["cpr_regex"] += 1 if sep != " " else 0
        elif r < 0.765:
            c = _cvr(rng)
            parts.append(f"Klinikkens CVR {c}." if rng.random() < 0.5 else f"Moms DK{c}.")
            planted["cvr"] += 1
        elif r < 0.775:
            parts.append(f"Lokationsnummer {_gln(rng)}.")
            planted["gln"] += 1
        elif r < 0.785:
            parts.append(f"Ydernr. {rng.randint(1, 999999):06d}.")
            planted["provider_number"] += 1
    return " ".join(parts)


def generate(mb: float, seed: int) -> Tuple[List[str], List[Dict[str, int]]]:
    rng = random.Random(seed)
    notes: List[str] = []
    truth: List[Dict[str, int]] = []
    size = 0
    target = int(mb * 1e6)
    while size < target:
        planted = {"cpr": 0, "cpr_regex": 0, "cvr": 0, "gln": 0, "provider_number": 0}
        n = note(rng, planted)
        notes.append(n)
        truth.append(planted)
        size += len(n.encode()) + 1
    return notes, truth


def score(found: List[int], planted: List[int]) -> Tuple[int, int, int]:
    tp = fp = fn = 0
    for f, p in zip(found, planted):
        tp += min(f, p)
        fp += max(0, f - p)
        fn += max(0, p - f)
    return tp, fp, fn


def best_of(n: int, fn):  # type: ignore[no-untyped-def]
    best = float("inf")
    out = None
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=100.0)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    t0 = time.perf_counter()
    notes, truth = generate(args.mb, args.seed)
    text = "\n".join(notes)
    nbytes = len(text.encode())
    gen_s = time.perf_counter() - t0
    mb = nbytes / 1e6
    print(f"# {len(notes)} notes, {mb:.1f} MB (generated in {gen_s:.0f} s), seed {args.seed}; "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}")

    pattern = re.compile(r"\b\d{6}-?\d{4}\b")
    t_re, n_re = best_of(args.repeat, lambda: sum(1 for _ in pattern.finditer(text)))
    t_gk, found_all = best_of(
        args.repeat, lambda: scan_identifiers(text, as_of=AS_OF).totals)
    t_batch, batch = best_of(
        args.repeat, lambda: scan_identifiers(notes, as_of=AS_OF))

    print()
    print("| scanner | input | MB/s | seconds | found |")
    print("|---|---|---|---|---|")
    print(f"| `re.finditer(r\"\\b\\d{{6}}-?\\d{{4}}\\b\")` | joined text | {mb / t_re:.0f} | "
          f"{t_re:.3f} | {n_re} CPR-shaped |")
    print(f"| gdprkit scan_identifiers | joined text | {mb / t_gk:.0f} | {t_gk:.3f} | "
          + ", ".join(f"{k} {v}" for k, v in found_all.items()) + " |")
    print(f"| gdprkit scan_identifiers | {len(notes)} notes (list) | {mb / t_batch:.0f} | "
          f"{t_batch:.3f} | " + ", ".join(f"{k} {v}" for k, v in batch.totals.items()) + " |")
    print(f"\nspeed ratio gdprkit / re (joined text): {t_re / t_gk:.1f}x")

    # Accuracy, per note.
    re_found = [sum(1 for _ in pattern.finditer(n)) for n in notes]
    print()
    print("| scanner | kind | planted | true pos. | false pos. | false neg. |")
    print("|---|---|---|---|---|---|")
    planted_cpr = [t["cpr"] for t in truth]
    tp, fp, fn = score(re_found, planted_cpr)
    print(f"| re | cpr | {sum(planted_cpr)} | {tp} | {fp} | {fn} |")
    for kind in KINDS:
        planted = [t[kind] for t in truth]
        tp, fp, fn = score(batch.counts[kind].tolist(), planted)
        print(f"| gdprkit | {kind} | {sum(planted)} | {tp} | {fp} | {fn} |")


if __name__ == "__main__":
    main()
