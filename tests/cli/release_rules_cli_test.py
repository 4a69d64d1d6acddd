#!/usr/bin/env python3
"""Tests of `gdprkit policy releases` and of release findings in `gdprkit policy check`.

Environment as tests/cli/cli_test.py (GDPRKIT_CLI, GDPRKIT_EXAMPLES_DIR); standard library only.
"""

import csv
import io
import json
import os
import subprocess
import tempfile
import unittest

CLI = os.environ.get("GDPRKIT_CLI", "")
EXAMPLES = os.environ.get("GDPRKIT_EXAMPLES_DIR", "")
KLYNGE = os.path.join(EXAMPLES, "policies", "klyngeguide.textproto")

POLICY = """schema: "gdprkit.v1"
controller { name: "Klyngen" }
purposes {
  id: "research"
  categories: "identity.cpr"
  data_subjects: "patients"
  basis: "A6-1-e"
  basis: "DK-DBL-11-2-1"
}
releases {
  id: "extract"
  purpose: "research"
  columns { name: "cpr" treatment: KEEP kind: "cpr" }
  columns { name: "age" treatment: GENERALIZE hierarchy: "ages" level: 1 }
  columns { name: "note" treatment: KEEP free_text: true }
  hierarchies { name: "ages" codes { code: "Total" } codes { code: "0-17" parent: "Total" } }
  extract { quasi_identifiers: "age" k: 3 }
  max_age: "P5Y"
}
"""


def run(*args):
    proc = subprocess.run([CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=60)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


class PolicyReleasesTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.policy = os.path.join(self.tmp.name, "research.textproto")
        with open(self.policy, "w", encoding="utf-8") as f:
            f.write(POLICY)

    def tearDown(self):
        self.tmp.cleanup()

    def test_the_cluster_guides_release(self):
        rc, out, err = run("policy", "releases", KLYNGE)
        self.assertEqual(rc, 0, err)
        self.assertIn("cluster-view (table; purpose provider-level-statistics; line ", out)
        self.assertRegex(out, r"patient_cpr +drop +kind=cpr")
        self.assertRegex(out, r"practice +keep")
        self.assertIn("table: practice by practice (../tables/practice.hrc) x age; "
                      "value: count of rows", out)
        self.assertIn("rules: threshold=5", out)
        self.assertIn("max_age: P5Y over registered", out)
        # ... and the research extract beside it.
        self.assertIn("cluster-quality-extract (extract; purpose ", out)
        self.assertTrue(out.endswith("\n2 releases\n"), out)

    def test_danish_titles(self):
        rc, out, _ = run("policy", "releases", KLYNGE, "--lang", "da")
        self.assertEqual(rc, 0)
        self.assertRegex(out, r"patient_cpr +udelades")
        self.assertRegex(out, r"practice +bevares uændret")

    def test_json_and_csv(self):
        rc, out, _ = run("policy", "releases", KLYNGE, "--format", "json", "--lang", "da")
        self.assertEqual(rc, 0)
        doc = json.loads(out)
        release = doc["releases"][0]
        self.assertEqual(release["id"], "cluster-view")
        self.assertEqual(release["shape"], "table")
        self.assertEqual(release["rules"], "threshold=5")
        self.assertEqual(release["columns"][0],
                         {"name": "patient_cpr", "treatment": "drop",
                          "treatment_title": "udelades", "details": "kind=cpr"})
        rc, out, _ = run("policy", "releases", self.policy, "--format", "csv")
        self.assertEqual(rc, 0)
        rows = list(csv.DictReader(io.StringIO(out)))
        self.assertEqual([r["column"] for r in rows], ["cpr", "age", "note"])
        self.assertEqual(rows[1]["treatment"], "generalise")
        self.assertEqual(rows[1]["details"], "hierarchy=ages level=1")
        self.assertEqual(rows[2]["details"], "free_text")
        self.assertEqual({r["shape"] for r in rows}, {"extract"})

    def test_an_extract(self):
        rc, out, _ = run("policy", "releases", self.policy)
        self.assertEqual(rc, 0)
        self.assertIn("extract: quasi-identifiers age; k=3", out)
        self.assertIn("max_age: P5Y over \n", out)

    def test_check_reports_the_release_findings_with_their_lines(self):
        rc, out, _ = run("policy", "check", self.policy)
        self.assertEqual(rc, 1)
        lines = out.splitlines()
        def line_of(code):
            return [ln for ln in lines if f"[{code}]" in ln]
        [clear] = line_of("release-identifier-in-clear")
        self.assertIn("research.textproto:13: error", clear)
        self.assertIn('column "cpr"', clear)
        [age] = line_of("release-max-age-without-date-column")
        self.assertIn(":18: error", age)
        [k] = line_of("release-k-below-five")
        self.assertIn(":17: warning", k)
        rc, out, _ = run("policy", "check", self.policy, "--lang", "da")
        self.assertIn("Identifikatorkolonne udleveres i klartekst", out)

    def test_the_cluster_policy_has_no_release_finding(self):
        rc, out, _ = run("policy", "check", KLYNGE)
        self.assertEqual(rc, 1)  # the guide's gaps in bases, as before
        self.assertNotIn("[release-", out)

    def test_usage_errors(self):
        rc, _, err = run("policy", "releases")
        self.assertEqual(rc, 2)
        self.assertIn("gdprkit: error: ", err)
        rc, _, err = run("policy", "releases", KLYNGE, "--lang", "de")
        self.assertEqual(rc, 2)
        rc, _, err = run("policy", "releses", KLYNGE)
        self.assertEqual(rc, 2)
        self.assertIn("releases", err)
        rc, _, err = run("policy", "releases", os.path.join(self.tmp.name, "missing.textproto"))
        self.assertEqual(rc, 2)
        self.assertIn("missing.textproto", err)


if __name__ == "__main__":
    if not CLI:
        raise SystemExit("set GDPRKIT_CLI to the gdprkit executable")
    unittest.main()
