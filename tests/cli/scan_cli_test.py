#!/usr/bin/env python3
"""Tests of `gdprkit id scan`: identifiers in free text at the command line.
Counts per kind and the line of each row with a finding, never a value; exit
1 when anything is found; --redact writes the text (or the CSV) with markers.

Environment (set by tests/cli/CMakeLists.txt; by hand:
  GDPRKIT_CLI=build/gdprkit python3 tests/cli/scan_cli_test.py):
  GDPRKIT_CLI  path of the gdprkit executable

Only the standard library. The numbers are made up."""

import json
import os
import subprocess
import tempfile
import unittest

CLI = os.environ.get("GDPRKIT_CLI", "")
TEXT = ("Pt. 010190-1234 ringede\n"
        "intet her, tlf. 87654300\n"
        "CVR DK12345674 og ydernr. 123456, ikke 320199-1234\n")
VALUES = ("010190", "1234", "12345674", "123456")


def run(*args, stdin=None):
    proc = subprocess.run([CLI, *args], input=stdin.encode() if stdin is not None else None,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


class ScanCliTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "notes.txt")
        with open(self.path, "w", encoding="utf-8") as f:
            f.write(TEXT)

    def tearDown(self):
        self.dir.cleanup()

    def test_counts_and_lines_never_values(self):
        rc, out, err = run("id", "scan", "--as-of", "2026-12-03", self.path)
        self.assertEqual(rc, 1, err)
        self.assertIn("notes.txt:1: cpr 1\n", out)
        self.assertIn("notes.txt:3: cvr 1, provider_number 1\n", out)
        self.assertNotIn(":2:", out)
        self.assertIn("3 lines, 2 with identifiers: cpr 1, cvr 1, gln 0, provider_number 1", out)
        for v in VALUES:
            self.assertNotIn(v, out + err)

    def test_nothing_found_exits_0(self):
        rc, out, err = run("id", "scan", "-", stdin="320199-1234 og 2026-0101901234\n")
        self.assertEqual(rc, 0, err)
        self.assertIn("1 lines, 0 with identifiers", out)

    def test_kinds_and_json(self):
        rc, out, _ = run("id", "scan", "--kind", "cpr,ydernummer", "--format", "json", self.path)
        self.assertEqual(rc, 1)
        doc = json.loads(out)
        self.assertEqual(doc["totals"], {"cpr": 1, "provider_number": 1})
        self.assertEqual(doc["findings"], [{"line": 1, "cpr": 1},
                                           {"line": 3, "provider_number": 1}])

    def test_redact_text(self):
        rc, out, err = run("id", "scan", "--redact", self.path)
        self.assertEqual(rc, 1)
        self.assertEqual(out, "Pt. [CPR] ringede\nintet her, tlf. 87654300\n"
                              "CVR [CVR] og ydernr. [YDERNR], ikke 320199-1234\n")
        self.assertIn("2 with identifiers", err)

    def test_redact_a_csv_column(self):
        path = os.path.join(self.dir.name, "notes.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write('id;note\n0101901234;"CPR 010190-1234; ok"\n2;nothing\n')
        rc, out, _ = run("id", "scan", "--column", "note", "--redact", path)
        self.assertEqual(rc, 1)
        # Only the column asked for is redacted; the delimiter is kept.
        lines = out.replace("\r\n", "\n").splitlines()
        self.assertEqual(lines[0], "id;note")
        self.assertEqual(lines[1], '0101901234;"CPR [CPR]; ok"')
        self.assertEqual(lines[2], "2;nothing")

    def test_errors_name_the_problem(self):
        rc, _, err = run("id", "scan", "--kind", "other", self.path)
        self.assertEqual(rc, 2)
        self.assertIn('"other"', err)
        rc, _, err = run("id", "scan", "--kind", "cprr", self.path)
        self.assertEqual(rc, 2)
        self.assertIn("--kind", err)
        rc, _, err = run("id", "scan", "--column", "0101901234", self.path)
        self.assertEqual(rc, 2)
        self.assertNotIn("0101901234", err)
        rc, _, err = run("id", "scan", "--as-of", "2026-02-30", self.path)
        self.assertEqual(rc, 2)
        self.assertIn("--as-of", err)


if __name__ == "__main__":
    unittest.main()
