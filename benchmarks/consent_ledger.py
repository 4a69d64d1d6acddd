"""Consent ledger: 1 M consent records written (in batches) and 1 M states
looked up as of a date, beside a plain sqlite3 table (what a consultant would
write: one row per event, an index on (purpose, subject, at), the latest row
at or before the date by a correlated query).

    PYTHONPATH=build/<name>/pystage .venv/bin/python benchmarks/consent_ledger.py [N] [BATCH]
"""

from __future__ import annotations

import os
import pathlib
import sqlite3
import sys
import tempfile
import time

import numpy as np

import gdprkit

ROOT = pathlib.Path(__file__).resolve().parents[1]
ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
NOTICE = "Du kan blive kontaktet af forskere (version 3)."
T0 = 1767225600  # 2026-01-01T00:00:00Z


def tokens(n: int, seed: int = 7) -> list[str]:
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, 32, size=(n, 32))
    table = np.array(list(ALPHABET))
    return ["tk_" + "".join(row) for row in table[idx]]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    subjects = tokens(n)
    rng = np.random.default_rng(11)
    # One record per subject: 80 % given, 20 % withdrawn (n records in all).
    withdrawn = rng.random(n) < 0.2
    states = np.where(withdrawn, "withdrawn", "given")
    at = T0 + rng.integers(0, 300 * 86400, size=n)
    digest = gdprkit.consent.notice_digest(NOTICE)
    policy = gdprkit.Policy.load(ROOT / "examples" / "policies" / "practio.textproto")
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ledger.db")
        led = gdprkit.ConsentLedger.create(path, policy=policy, key=b"k" * 32, sync=True)
        led.store_notice("v3", NOTICE)
        start = time.perf_counter()
        for lo in range(0, n, batch):
            hi = min(n, lo + batch)
            led.record(subjects[lo:hi], "research-contact", list(states[lo:hi]),
                       at=at[lo:hi], notice_version="v3", notice_digest=digest,
                       channel="web", recorded_by="import", evidence="form")
        out["gdprkit write"] = time.perf_counter() - start
        led.close()
        start = time.perf_counter()
        led = gdprkit.ConsentLedger.open(path, policy=policy, key=b"k" * 32)
        out["gdprkit open+verify"] = time.perf_counter() - start
        query = subjects[:]
        rng.shuffle(query)
        start = time.perf_counter()
        got = led.states(query, purpose="research-contact", on="2026-12-31")
        out["gdprkit states"] = time.perf_counter() - start
        start = time.perf_counter()
        v = led.verify()
        out["gdprkit verify"] = time.perf_counter() - start
        assert v.intact
        size = os.path.getsize(path)
        led.close()

        # The plain table.
        plain = os.path.join(tmp, "plain.db")
        con = sqlite3.connect(plain)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        con.execute("CREATE TABLE consent (subject TEXT, purpose TEXT, state TEXT, at INTEGER,"
                    " notice_version TEXT, notice_digest TEXT, channel TEXT, recorded_by TEXT,"
                    " evidence TEXT)")
        con.execute("CREATE INDEX consent_key ON consent(purpose, subject, at)")
        start = time.perf_counter()
        for lo in range(0, n, batch):
            hi = min(n, lo + batch)
            rows = [(subjects[i], "research-contact", str(states[i]), int(at[i]), "v3", digest,
                     "web", "import", "form") for i in range(lo, hi)]
            with con:
                con.executemany("INSERT INTO consent VALUES (?,?,?,?,?,?,?,?,?)", rows)
        out["sqlite3 write"] = time.perf_counter() - start
        as_of = 1798761599  # 2026-12-31T22:59:59Z (end of the day in Copenhagen)
        start = time.perf_counter()
        cur = con.cursor()
        plain_states = []
        for s in query:
            row = cur.execute(
                "SELECT state FROM consent WHERE purpose = ? AND subject = ? AND at <= ? "
                "ORDER BY at DESC LIMIT 1", ("research-contact", s, as_of)).fetchone()
            plain_states.append(row[0] if row else "none")
        out["sqlite3 states"] = time.perf_counter() - start
        plain_size = os.path.getsize(plain)
        con.close()
        assert plain_states == got, "the two disagree"

    print(f"records: {n}, batch {batch}; ledger file {size / 1e6:.0f} MB, "
          f"plain table {plain_size / 1e6:.0f} MB")
    for k, s in out.items():
        print(f"{k:22s} {s:8.2f} s   {s / n * 1e6:7.2f} us/record")


if __name__ == "__main__":
    main()
