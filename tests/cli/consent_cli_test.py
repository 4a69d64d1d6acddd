#!/usr/bin/env python3
"""Tests of `gdprkit consent`: create, record (options and --csv), states,
withdrawals, verify, receipt and verify-receipt.

Practio's research-contact consent given and withdrawn; the states as of two
days; the withdrawals as the CSV a retention sweep reads; a tampered ledger
(edited, deleted, reordered) named broken with exit 1; a receipt verified on
its own (and signed with --key-file), an edited one refused; errors exit 2
and never show a subject or key.

Environment (set by tests/cli/CMakeLists.txt; by hand:
  GDPRKIT_CLI=build/gdprkit GDPRKIT_EXAMPLES_DIR=examples python3 tests/cli/consent_cli_test.py)."""

import json
import os
import sqlite3
import stat
import subprocess
import tempfile
import unittest

CLI = os.environ.get("GDPRKIT_CLI", "")
EXAMPLES = os.environ.get("GDPRKIT_EXAMPLES_DIR", "examples")
PRACTIO = os.path.join(EXAMPLES, "policies", "practio.textproto")
A = "tk_abcdefghijklmnopqrstuvwxyz234567"
B = "tk_bbcdefghijklmnopqrstuvwxyz234567"
C = "tk_cbcdefghijklmnopqrstuvwxyz234567"


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60)


class ConsentCliTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.ledger = os.path.join(self.dir.name, "consent.db")
        self.notice = os.path.join(self.dir.name, "notice.txt")
        with open(self.notice, "w", encoding="utf-8") as f:
            f.write("Du kan til enhver tid trække dit samtykke tilbage.\n")

    def tearDown(self):
        self.dir.cleanup()

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def ok(self, *args):
        r = run(*args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def populate(self, *key):
        self.ok("consent", "create", self.ledger, "--policy", PRACTIO, *key)
        self.ok("consent", "record", self.ledger, "--policy", PRACTIO, "--subject", A,
                "--purpose", "research-contact", "--state", "given", "--at",
                "2026-01-05T10:00:00Z", "--notice-version", "v3", "--notice-file", self.notice,
                "--channel", "web", "--recorded-by", "web", "--evidence", "form-1", *key)
        csv = self.path("more.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write("subject,state,at\n")
            f.write(f"{B},given,2026-01-05T11:00:00Z\n")
            f.write(f"{C},refused,2026-01-06T11:00:00Z\n")
            f.write(f"{A},withdrawn,2026-03-02T09:00:00Z\n")
        out = self.ok("consent", "record", self.ledger, "--policy", PRACTIO, "--csv", csv,
                      "--purpose", "research-contact", "--notice-version", "v3",
                      "--notice-file", self.notice, "--channel", "web", "--recorded-by", "web",
                      "--format", "json", *key)
        return json.loads(out)

    def test_record_states_withdrawals(self):
        j = self.populate()
        self.assertEqual(j["recorded"], 3)
        self.assertEqual(j["entries"], 4)
        self.assertEqual(stat.S_IMODE(os.stat(self.ledger).st_mode), 0o600)
        out = self.ok("consent", "states", self.ledger, "--policy", PRACTIO, "--purpose",
                      "research-contact", "--on", "2026-02-01", A, B, C,
                      "tk_dbcdefghijklmnopqrstuvwxyz234567", "--format", "csv")
        self.assertEqual(out.replace("\r", "").splitlines(),
                         ["subject,state", f"{A},given", f"{B},given", f"{C},refused",
                          "tk_dbcdefghijklmnopqrstuvwxyz234567,none"])
        subjects = self.path("subjects.csv")
        with open(subjects, "w", encoding="utf-8") as f:
            f.write(f"id,token\n1,{A}\n2,{B}\n")
        j = json.loads(self.ok("consent", "states", self.ledger, "--policy", PRACTIO,
                               "--purpose", "research-contact", "--on", "2026-03-02",
                               "--subjects-csv", subjects, "--column", "token", "--format",
                               "json"))
        self.assertEqual([s["state"] for s in j["states"]], ["withdrawn", "given"])
        out = self.ok("consent", "withdrawals", self.ledger, "--policy", PRACTIO, "--purpose",
                      "research-contact", "--as-of", "2026-03-03T00:00:00Z")
        self.assertEqual(out.replace("\r", "").splitlines(),
                         ["subject,consent_withdrawn", f"{A},2026-03-02"])
        out = self.ok("consent", "withdrawals", self.ledger, "--policy", PRACTIO, "--purpose",
                      "research-contact", "--as-of", "2026-02-01T00:00:00Z")
        self.assertEqual(out.replace("\r", "").splitlines(), ["subject,consent_withdrawn"])

    def test_record_errors_record_nothing(self):
        self.ok("consent", "create", self.ledger, "--policy", PRACTIO)
        base = ["consent", "record", self.ledger, "--policy", PRACTIO, "--state", "given",
                "--at", "2026-01-05T10:00:00Z", "--notice-version", "v3", "--notice-file",
                self.notice, "--channel", "web", "--recorded-by", "web"]
        r = run(*base, "--subject", A, "--purpose", "patient-record")
        self.assertEqual(r.returncode, 2)
        self.assertIn("consent", r.stderr)
        r = run(*base, "--subject", A, "--purpose", "research-contakt")
        self.assertEqual(r.returncode, 2)
        self.assertIn("research-contact", r.stderr)
        r = run(*base, "--subject", "0101901234", "--purpose", "research-contact")
        self.assertEqual(r.returncode, 2)
        self.assertNotIn("0101901234", r.stderr)
        r = run(*[a if a != "given" else "gven" for a in base], "--subject", A, "--purpose",
                "research-contact")
        self.assertEqual(r.returncode, 2)
        self.assertIn("given", r.stderr)
        r = run(*[a if a != "2026-01-05T10:00:00Z" else "2026-01-05" for a in base], "--subject",
                A, "--purpose", "research-contact")
        self.assertEqual(r.returncode, 2)
        self.assertIn("YYYY-MM-DDTHH:MM:SSZ", r.stderr)
        r = run(*base, "--purpose", "research-contact")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--subject is required", r.stderr)
        csv = self.path("bad.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write(f"subject,purpose\n{A},research-contact\n{B},patient-record\n")
        r = run(*base, "--csv", csv)
        self.assertEqual(r.returncode, 2)
        with open(csv, "w", encoding="utf-8") as f:
            f.write(f"subject,colour\n{A},red\n")
        r = run(*base, "--csv", csv)
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown column 'colour'", r.stderr)
        out = self.ok("consent", "verify", self.ledger, "--policy", PRACTIO)
        self.assertIn("intact: 0 entries", out)
        r = run("consent", "create", self.ledger, "--policy", PRACTIO)
        self.assertEqual(r.returncode, 2)
        r = run("consent", "states", self.ledger, "--policy", PRACTIO, "--purpose",
                "research-contact", "--on", "2026-01-01")
        self.assertEqual(r.returncode, 2)
        r = run("consent", "states", self.ledger, "--policy", PRACTIO, "--purpose",
                "research-contact", "--on", "2026-01-01", "bob")
        self.assertEqual(r.returncode, 2)
        self.assertNotIn("bob", r.stderr)

    def tamper(self, sql):
        db = sqlite3.connect(self.ledger)
        for statement in sql:
            db.execute(statement)
        db.commit()
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        return run("consent", "verify", self.ledger, "--policy", PRACTIO)

    def test_verify_names_tampering(self):
        cases = {
            "edited": ["UPDATE entries SET recorded_at = recorded_at + 1 WHERE seq = 2"],
            "deleted": ["DELETE FROM entries WHERE seq = 2"],
            "reordered": ["UPDATE entries SET seq = 100 WHERE seq = 2",
                          "UPDATE entries SET seq = 2 WHERE seq = 3",
                          "UPDATE entries SET seq = 3 WHERE seq = 100"],
        }
        for name, sql in cases.items():
            with self.subTest(name):
                if os.path.exists(self.ledger):
                    os.unlink(self.ledger)
                self.populate()
                head = self.ok("consent", "verify", self.ledger, "--policy", PRACTIO,
                               "--format", "json")
                self.assertTrue(json.loads(head)["intact"])
                r = self.tamper(sql)
                self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
                self.assertIn("broken", r.stdout)
                self.assertIn("2", r.stdout)
                self.assertNotIn(A, r.stdout + r.stderr)
        # Truncated: the last entry removed; the kept head notices it.
        os.unlink(self.ledger)
        self.populate()
        head = json.loads(self.ok("consent", "verify", self.ledger, "--policy", PRACTIO,
                                  "--format", "json"))["head"]
        r = self.tamper(["DELETE FROM entries WHERE seq = 4"])
        if r.returncode == 0:
            r = run("consent", "verify", self.ledger, "--policy", PRACTIO, "--expected-head", head)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)

    def test_receipts(self):
        self.populate()
        receipt = self.ok("consent", "receipt", self.ledger, "--policy", PRACTIO, "--seq", "1")
        j = json.loads(receipt)
        self.assertEqual(j["purpose"], "research-contact")
        path = self.path("receipt.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(receipt)
        out = self.ok("consent", "verify-receipt", path)
        self.assertIn("valid (unsigned)", out)
        with open(path, "w", encoding="utf-8") as f:
            f.write(receipt.replace('"v3"', '"v4"'))
        r = run("consent", "verify-receipt", path)
        self.assertEqual(r.returncode, 1)
        self.assertIn("does not verify", r.stdout)
        r = run("consent", "receipt", self.ledger, "--policy", PRACTIO, "--seq", "99")
        self.assertEqual(r.returncode, 2)
        r = run("consent", "receipt", self.ledger, "--policy", PRACTIO, "--seq", "zero")
        self.assertEqual(r.returncode, 2)
        r = run("consent", "verify-receipt", path, "--public-key", "xyz")
        self.assertEqual(r.returncode, 2)

    def test_keyed_ledger(self):
        key = self.path("key")
        secret = b"k3y-" + bytes(range(48, 76))
        with open(key, "wb") as f:
            f.write(secret)
        self.populate("--key-file", key)
        receipt = self.ok("consent", "receipt", self.ledger, "--policy", PRACTIO, "--seq", "2",
                          "--key-file", key)
        public_key = json.loads(receipt)["public_key"]
        self.assertEqual(len(public_key), 64)
        path = self.path("receipt.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(receipt)
        out = self.ok("consent", "verify-receipt", path, "--public-key", public_key)
        self.assertIn("valid (signed)", out)
        r = run("consent", "verify-receipt", path, "--public-key", "0" * 64)
        self.assertEqual(r.returncode, 1)
        r = run("consent", "verify", self.ledger, "--policy", PRACTIO)
        self.assertEqual(r.returncode, 2)
        self.assertIn("key", r.stderr)
        out = self.ok("consent", "verify", self.ledger, "--policy", PRACTIO, "--key-file", key)
        self.assertIn("keyed chain", out)
        for text in (out, receipt):
            self.assertNotIn(secret.decode(), text)


if __name__ == "__main__":
    if not CLI:
        raise SystemExit("set GDPRKIT_CLI to the gdprkit executable")
    unittest.main()
