#!/usr/bin/env python3
"""Tests of `gdprkit request`: deadline, create, receive, identity, extend,
close, show, list, overdue, verify and decide.

A MedCom rejected applicant's erasure request received 2026-01-31 is due
2026-02-28 (2026-04-30 extended); it is listed overdue after its deadline;
the decision for Practio's patient record keeps it until 2035-05-01 while
the research contact is erased; an edited register is named broken; errors
exit 2 and name the option, never the subject.

Environment (set by tests/cli/CMakeLists.txt; by hand:
  GDPRKIT_CLI=build/gdprkit GDPRKIT_EXAMPLES_DIR=examples python3 tests/cli/request_cli_test.py)."""

import json
import os
import sqlite3
import stat
import subprocess
import tempfile
import unittest

CLI = os.environ.get("GDPRKIT_CLI", "")
EXAMPLES = os.environ.get("GDPRKIT_EXAMPLES_DIR", "examples")
MEDCOM = os.path.join(EXAMPLES, "policies", "medcom.textproto")
PRACTIO = os.path.join(EXAMPLES, "policies", "practio.textproto")
SUBJECT = "tk_abcdefghijklmnopqrstuvwxyz234567"


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60)


class RequestCliTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.reg = os.path.join(self.dir.name, "requests.db")

    def tearDown(self):
        self.dir.cleanup()

    def ok(self, *args):
        r = run(*args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def receive(self, id_="case-1", received="2026-01-31", *more):
        return self.ok("request", "receive", self.reg, "--policy", MEDCOM, "--kind", "erasure",
                       "--subject", SUBJECT, "--purpose", "recruitment", "--purpose",
                       "communication-with-consent", "--received", received, "--channel", "email",
                       "--recorded-by", "hr", "--id", id_, *more)

    def test_deadline(self):
        self.assertEqual(self.ok("request", "deadline", "2026-01-31"), "2026-02-28\n")
        self.assertEqual(self.ok("request", "deadline", "2026-01-31", "--extended"), "2026-04-30\n")
        j = json.loads(self.ok("request", "deadline", "2026-03-15", "--format", "json"))
        self.assertEqual(j, {"received": "2026-03-15", "extended": False, "due": "2026-04-15"})
        r = run("request", "deadline", "2026-02-30")
        self.assertEqual(r.returncode, 2)
        self.assertIn("gdprkit: error:", r.stderr)

    def test_lifecycle(self):
        self.ok("request", "create", self.reg, "--policy", MEDCOM)
        self.assertEqual(stat.S_IMODE(os.stat(self.reg).st_mode), 0o600)
        j = json.loads(self.receive("case-1", "2026-01-31", "--format", "json"))
        self.assertEqual(j["due"], "2026-02-28")
        self.assertEqual(j["purposes"], ["recruitment", "communication-with-consent"])
        self.assertEqual(j["status"], "open")
        self.assertEqual(j["identity"], "not_checked")
        out = self.ok("request", "identity", self.reg, "--policy", MEDCOM, "--id", "case-1",
                      "--result", "verified", "--method", "MitID", "--on", "2026-02-02",
                      "--recorded-by", "hr")
        self.assertIn("identity verified (MitID)", out)
        out = self.ok("request", "extend", self.reg, "--policy", MEDCOM, "--id", "case-1",
                      "--reason", "many archives", "--on", "2026-02-03", "--recorded-by", "hr")
        self.assertIn("due 2026-04-30 (extended: many archives)", out)
        r = run("request", "extend", self.reg, "--policy", MEDCOM, "--id", "case-1", "--reason",
                "again", "--on", "2026-02-04", "--recorded-by", "hr")
        self.assertEqual(r.returncode, 2)
        self.assertIn("gdprkit: error:", r.stderr)
        # A second request, not extended: overdue on 2026-03-01.
        self.receive("case-2", "2026-01-10")
        r = run("request", "overdue", self.reg, "--policy", MEDCOM, "--on", "2026-03-01")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("case-2", r.stdout)
        self.assertNotIn("case-1", r.stdout)
        r = run("request", "overdue", self.reg, "--policy", MEDCOM, "--on", "2026-02-10")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "no requests\n")
        out = self.ok("request", "close", self.reg, "--policy", MEDCOM, "--id", "case-1",
                      "--status", "answered", "--outcome", "erased", "--on", "2026-03-01",
                      "--recorded-by", "hr")
        self.assertIn("closed 2026-03-01: erased", out)
        listing = self.ok("request", "list", self.reg, "--policy", MEDCOM, "--format", "csv")
        lines = listing.splitlines()
        self.assertEqual(lines[0], "id,kind,status,received,due,extended,identity,closed_on")
        self.assertTrue(lines[1].startswith("case-2,erasure,open,2026-01-10,2026-02-10"))
        self.assertTrue(lines[2].startswith("case-1,erasure,answered,2026-01-31,2026-04-30,true"))
        j = json.loads(self.ok("request", "show", self.reg, "--policy", MEDCOM, "--id", "case-1",
                               "--format", "json"))
        self.assertEqual([e["event"] for e in j["trail"]],
                         ["received", "identity_verified", "extended", "answered"])
        out = self.ok("request", "verify", self.reg, "--policy", MEDCOM)
        self.assertIn("intact: 5 entries", out)
        # Tampering: an edited entry is named.
        db = sqlite3.connect(self.reg)
        db.execute("UPDATE entries SET secret = 'few archives' WHERE seq = 3")
        db.commit()
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        r = run("request", "verify", self.reg, "--policy", MEDCOM)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("broken", r.stdout)
        self.assertIn("entry 3", r.stdout)

    def test_errors(self):
        self.ok("request", "create", self.reg, "--policy", MEDCOM)
        r = run("request", "create", self.reg, "--policy", MEDCOM)
        self.assertEqual(r.returncode, 2)
        r = run("request", "receive", self.reg, "--policy", MEDCOM, "--kind", "erasur",
                "--subject", SUBJECT, "--received", "2026-01-31", "--channel", "email",
                "--recorded-by", "hr")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--kind", r.stderr)
        self.assertIn("erasure", r.stderr)
        r = run("request", "receive", self.reg, "--policy", MEDCOM, "--kind", "access",
                "--subject", "010190-1234", "--received", "2026-01-31", "--channel", "email",
                "--recorded-by", "hr")
        self.assertEqual(r.returncode, 2)
        self.assertNotIn("010190", r.stderr)
        r = run("request", "receive", self.reg, "--policy", MEDCOM, "--kind", "access",
                "--subject", SUBJECT, "--purpose", "recruitmnt", "--received", "2026-01-31",
                "--channel", "email", "--recorded-by", "hr")
        self.assertEqual(r.returncode, 2)
        self.assertIn("recruitment", r.stderr)
        r = run("request", "receive", self.reg, "--policy", MEDCOM, "--kind", "access",
                "--subject", SUBJECT, "--channel", "email", "--recorded-by", "hr")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--received is required", r.stderr)
        r = run("request", "show", self.reg, "--policy", MEDCOM, "--id", "nope")
        self.assertEqual(r.returncode, 2)
        r = run("request", "list", os.path.join(self.dir.name, "missing.db"), "--policy", MEDCOM)
        self.assertEqual(r.returncode, 2)
        r = run("request", "list", self.reg)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--policy is required", r.stderr)
        r = run("request", "identity", self.reg, "--policy", MEDCOM, "--id", "x", "--result",
                "not_checked", "--method", "m", "--on", "2026-01-01", "--recorded-by", "hr")
        self.assertEqual(r.returncode, 2)
        r = run("request", "list", self.reg, "--policy", MEDCOM, "--kind", "x")
        self.assertEqual(r.returncode, 2)
        self.assertIn("has no option", r.stderr)

    def test_keyed_register(self):
        key = os.path.join(self.dir.name, "key")
        with open(key, "wb") as f:
            f.write(bytes(range(32)))
        self.ok("request", "create", self.reg, "--policy", MEDCOM, "--key-file", key)
        r = run("request", "list", self.reg, "--policy", MEDCOM)
        self.assertEqual(r.returncode, 2)
        out = self.ok("request", "verify", self.reg, "--policy", MEDCOM, "--key-file", key)
        self.assertIn("keyed", out)
        with open(key, "wb") as f:
            f.write(b"short")
        r = run("request", "list", self.reg, "--policy", MEDCOM, "--key-file", key)
        self.assertEqual(r.returncode, 2)
        self.assertIn("16-64 bytes", r.stderr)
        self.assertNotIn("short", r.stderr)

    def test_decide(self):
        out = self.ok("request", "decide", "--policy", PRACTIO, "--kind", "erasure", "--purpose",
                      "patient-record", "--purpose", "research-contact", "--date",
                      "patient-record:last_entry=2025-05-01", "--on", "2026-02-02")
        self.assertIn("patient-record: keep", out)
        self.assertIn("until 2035-05-01", out)
        self.assertIn("research-contact: erase", out)
        self.assertIn("Art. 17(3)", out)
        j = json.loads(self.ok("request", "decide", "--policy", PRACTIO, "--kind", "erasure",
                               "--purpose", "patient-record", "--purpose", "research-contact",
                               "--date", "patient-record:last_entry=2025-05-01", "--on",
                               "2026-02-02", "--format", "json", "--lang", "da"))
        self.assertEqual([p["action"] for p in j["purposes"]], ["keep", "erase"])
        self.assertEqual(j["purposes"][0]["right"], "A17")
        self.assertEqual(j["purposes"][0]["keep_until"], "2035-05-01")
        self.assertIn("Opbevar", j["purposes"][0]["action_title"])
        r = run("request", "decide", "--policy", PRACTIO, "--kind", "erasure", "--purpose",
                "research-contakt", "--on", "2026-02-02")
        self.assertEqual(r.returncode, 2)
        self.assertIn("research-contact", r.stderr)
        r = run("request", "decide", "--policy", PRACTIO, "--kind", "erasure", "--on", "2026-02-02")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--purpose", r.stderr)
        r = run("request", "decide", "--policy", PRACTIO, "--kind", "erasure", "--purpose",
                "research-contact", "--date", "nonsense", "--on", "2026-02-02")
        self.assertEqual(r.returncode, 2)
        self.assertIn("PURPOSE:EVENT=DATE", r.stderr)
        r = run("request", "decide", "--policy", PRACTIO, "--kind", "erasure", "--purpose",
                "research-contact", "--hold", "patient-record", "--on", "2026-02-02")
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    if not CLI:
        raise SystemExit("set GDPRKIT_CLI to the gdprkit executable")
    unittest.main()
