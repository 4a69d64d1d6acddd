#!/usr/bin/env python3
"""Tests of CPR numbers born in the future at the command line (issue #10, item 8):
`gdprkit id check`, `vault pseudonymise|tokenise|erase` and `pseudonymise
--exported-key` refuse them as future_birth_date, judged on --as-of DATE
(default: today in Denmark), unless --allow-future.

Environment (set by tests/cli/CMakeLists.txt; by hand:
  GDPRKIT_CLI=build/gdprkit GDPRKIT_EXAMPLES_DIR=examples python3 tests/cli/id_cli_test.py):
  GDPRKIT_CLI  path of the gdprkit executable

Only the standard library. The numbers are made up: 240135-7665 is born
24-01-2035 (7th digit 7, YY 35 <= 57: the 2000s)."""

import csv
import io
import json
import os
import shutil
import subprocess
import tempfile
import unittest

CLI = os.environ.get("GDPRKIT_CLI", "")
PASS = "synthetic passphrase for the id cli test"
DOMAIN = "klynge"
FUTURE = "240135-7665"
# Born 1980; born on 2026-12-02; born the day after; a replacement number of
# 24-01-2035; the number.
VALUES = "010180-1004\n0212264000\n0312264000\n8401357665\n" + FUTURE + "\n"


def run(*args, stdin=None):
    env = dict(os.environ, ID_TEST_PASS=PASS)
    proc = subprocess.run([CLI, *args], input=stdin.encode() if stdin is not None else None,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=120,
                          start_new_session=True)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


class IdCliTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="gdprkit_id_cli_")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def ok(self, *args, code=0, stdin=None):
        rc, out, err = run(*args, stdin=stdin)
        self.assertEqual(rc, code, f"gdprkit {' '.join(args)}\nstdout:\n{out}\nstderr:\n{err}")
        self.no_number(out + err)
        return out, err

    def fails(self, *args, code=2, stdin=None):
        rc, out, err = run(*args, stdin=stdin)
        self.assertEqual(rc, code, f"gdprkit {' '.join(args)}\nstdout:\n{out}\nstderr:\n{err}")
        self.assertIn("gdprkit: error: ", err)
        self.no_number(err)
        return out, err

    def no_number(self, text):
        for part in ("240135", "7665", "8401357665", "0312264000"):
            self.assertNotIn(part, text)

    def vault(self):
        path = os.path.join(self.dir, "v.vault")
        self.ok("vault", "create", path, "--passphrase-env", "ID_TEST_PASS", "--kdf",
                "tests_only", "--domain", DOMAIN)
        return path, ("--passphrase-env", "ID_TEST_PASS")

    # ---- id check --------------------------------------------------------------

    def test_id_check_refuses_future_birth_dates_on_a_given_date(self):
        out, _ = self.ok("id", "check", "--as-of", "2026-12-02", "-", stdin=VALUES, code=1)
        lines = out.strip().splitlines()
        self.assertEqual(lines[-1], "<stdin>: 5 cpr values, 3 rejected")
        self.assertEqual([ln.split(": ")[1] for ln in lines[:-1]], ["future_birth_date"] * 3)
        self.assertEqual([ln.split(":")[1] for ln in lines[:-1]], ["3", "4", "5"])
        self.assertIn("lies in the future", lines[0])
        # As of the day the number is born, only its replacement twin
        # and it are fine too.
        out, _ = self.ok("id", "check", "--as-of", "2035-01-24", "-", stdin=VALUES)
        self.assertIn("5 cpr values, 0 rejected", out)
        out, _ = self.ok("id", "check", "--as-of", "2035-01-23", "-", stdin=VALUES, code=1)
        self.assertIn("5 cpr values, 2 rejected", out)

    def test_id_check_default_is_today_and_allow_future_accepts(self):
        # 2035 lies in the future until 2035: refused today by default.
        out, _ = self.ok("id", "check", "-", stdin=FUTURE + "\n", code=1)
        self.assertIn("future_birth_date", out)
        out, _ = self.ok("id", "check", "--allow-future", "-", stdin=VALUES)
        self.assertIn("5 cpr values, 0 rejected", out)
        out, _ = self.ok("id", "check", "--allow-future", "--as-of", "2026-12-02", "-",
                         stdin=VALUES)
        self.assertIn("0 rejected", out)

    def test_id_check_json_and_csv_give_the_code(self):
        out, _ = self.ok("id", "check", "--as-of", "2026-12-02", "--format", "json", "-",
                         stdin=VALUES, code=1)
        doc = json.loads(out)
        self.assertEqual([r["problem"] for r in doc["rows"]],
                         ["ok", "ok", "future_birth_date", "future_birth_date",
                          "future_birth_date"])
        out, _ = self.ok("id", "check", "--as-of", "2026-12-02", "--format", "csv", "-",
                         stdin=VALUES, code=1)
        rows = list(csv.reader(io.StringIO(out)))
        self.assertEqual(rows[3][:3], ["3", "false", "future_birth_date"])

    def test_as_of_takes_a_time_read_in_copenhagen(self):
        # 23:30 UTC on 23 January 2035 is 00:30 on the 24th in Copenhagen.
        self.ok("id", "check", "--as-of", "2035-01-23T23:30:00Z", "-", stdin=FUTURE + "\n")
        self.ok("id", "check", "--as-of", "2035-01-23T22:59:00Z", "-", stdin=FUTURE + "\n",
                code=1)

    def test_bad_as_of_is_a_usage_error(self):
        for bad in ("2026-02-30", "tomorrow", "", "02-12-2026"):
            _, err = self.fails("id", "check", "--as-of", bad, "-", stdin=VALUES)
            self.assertIn("--as-of", err)
        # A value that looks like a CPR number is not repeated.
        _, err = self.fails("id", "check", "--as-of", FUTURE, "-", stdin=VALUES)
        self.assertIn("--as-of", err)

    def test_other_kinds_ignore_the_date(self):
        self.ok("id", "check", "--type", "other", "--as-of", "2026-12-02", "-", stdin=VALUES)

    def test_help_lists_the_options(self):
        for cmd in (("id", "check"), ("vault", "pseudonymise"), ("vault", "tokenise"),
                    ("vault", "erase"), ("pseudonymise",)):
            out, _ = self.ok("help", *cmd)
            self.assertIn("--as-of", out, cmd)
            self.assertIn("--allow-future", out, cmd)

    # ---- the vault ---------------------------------------------------------------

    def test_pseudonymise_and_tokenise_refuse_or_skip_or_accept(self):
        path, pw = self.vault()
        for cmd in ("pseudonymise", "tokenise"):
            _, err = self.fails("vault", cmd, path, "--domain", DOMAIN, *pw, "--as-of",
                                "2026-12-02", stdin=VALUES)
            self.assertIn("<stdin>:3:", err)
            self.assertIn("future", err)
            # skip, the older name of coerce: empty output, the count on stderr.
            out, err = self.ok("vault", cmd, path, "--domain", DOMAIN, *pw, "--as-of",
                               "2026-12-02", "--errors", "skip", stdin=VALUES)
            lines = out.split("\n")
            self.assertTrue(lines[0] and lines[1] and not lines[2] and not lines[4], out)
            self.assertIn("rows rejected", err)
            self.assertIn("--errors coerce", err)
            self.assertNotIn("<stdin>:5:", err)
            # report: the same output, and each rejected row named.
            got, err = self.ok("vault", cmd, path, "--domain", DOMAIN, *pw, "--as-of",
                               "2026-12-02", "--errors", "report", stdin=VALUES)
            if cmd == "pseudonymise":
                self.assertEqual(got, out)
            self.assertIn("<stdin>:5:", err)
            self.assertIn("[future_birth_date]", err)
            self.assertIn("--errors report", err)
            out, _ = self.ok("vault", cmd, path, "--domain", DOMAIN, *pw, "--allow-future",
                             stdin=VALUES)
            self.assertEqual(len([x for x in out.splitlines() if x]), 5)
        # By default (today) the number is refused.
        self.fails("vault", "tokenise", path, "--domain", DOMAIN, *pw, stdin=FUTURE + "\n")

    def test_erase_takes_the_options_too(self):
        path, pw = self.vault()
        self.ok("vault", "tokenise", path, "--domain", DOMAIN, *pw, "--allow-future",
                stdin=FUTURE + "\n")
        _, err = self.fails("vault", "erase", path, *pw, "--reason", "request 2026-41",
                            stdin=FUTURE + "\n")
        self.assertIn("future", err)
        out, _ = self.ok("vault", "erase", path, *pw, "--reason", "request 2026-41",
                         "--allow-future", stdin=FUTURE + "\n")
        self.assertIn("1 token record removed", out)

    def test_pseudonymise_with_an_exported_key(self):
        path, pw = self.vault()
        key = os.path.join(self.dir, "key.txt")
        self.ok("vault", "export-key", path, "--domain", DOMAIN, "--reason", "spark job",
                "--output", key, *pw)
        self.fails("pseudonymise", "--exported-key", key, "--as-of", "2026-12-02", "-",
                   stdin=VALUES)
        out, _ = self.ok("pseudonymise", "--exported-key", key, "--allow-future", "-",
                         stdin=VALUES)
        self.assertEqual(len(out.splitlines()), 5)


if __name__ == "__main__":
    if not CLI:
        raise SystemExit("GDPRKIT_CLI is not set")
    unittest.main()
