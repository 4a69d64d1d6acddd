#!/usr/bin/env python3
"""Tests of `gdprkit suppress`, run as a user runs it.

Environment (set by tests/cli/CMakeLists.txt; by hand:
  GDPRKIT_CLI=build/gdprkit GDPRKIT_EXAMPLES_DIR=examples \
      python3 tests/cli/suppression_cli_test.py):
  GDPRKIT_CLI           path of the gdprkit executable
  GDPRKIT_EXAMPLES_DIR  the repository's examples/ folder (examples/tables/ is used)

Standard library only.
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
TABLES = os.path.join(EXAMPLES, "tables")
CLUSTER = os.path.join(TABLES, "cluster_age.csv")
HRC = os.path.join(TABLES, "practice.hrc")
HIER_CSV = os.path.join(TABLES, "practice_hierarchy.csv")

SMALL = "practice,band,n\np1,<140,31\np1,>=140,3\np2,<140,24\np2,>=140,9\np3,<140,18\np3,>=140,11\n"


def run(*args, stdin=None):
    proc = subprocess.run([CLI, *args], input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=120)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def read_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


class SuppressCliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return path

    def ok(self, *args, code=0, stdin=None):
        rc, out, err = run(*args, stdin=stdin)
        self.assertEqual(rc, code, f"gdprkit {' '.join(args)}\nstdout:\n{out}\nstderr:\n{err}")
        return out, err

    def error(self, *args, code=2, needles=(), stdin=None):
        rc, out, err = run(*args, stdin=stdin)
        self.assertEqual(rc, code, f"gdprkit {' '.join(args)}\nstdout:\n{out}\nstderr:\n{err}")
        self.assertEqual(out, "", "nothing on standard output on errors")
        self.assertIn("gdprkit: error: ", err)
        for n in needles:
            self.assertIn(n, err)
        return err

    # ---- The example table ------------------------------------------------------

    def cluster_csv(self, *extra):
        out, _ = self.ok("suppress", CLUSTER, "--dims", "practice,age", "--value", "n",
                         "--hierarchy", f"practice={HRC}", "--format", "csv", *extra)
        return read_csv(out)

    def test_example_table_is_protected(self):
        rows = self.cluster_csv("--audit")
        self.assertEqual(len(rows), 168)
        self.assertEqual(list(rows[0].keys()), ["practice", "age", "n", "status",
                                                "attacker_lower", "attacker_upper",
                                                "protected"])
        with open(CLUSTER, encoding="utf-8") as f:
            truth = {(r["practice"], r["age"]): int(r["n"]) for r in csv.DictReader(f)}
        primaries = [r for r in rows if r["status"] == "primary"]
        self.assertEqual(len(primaries), sum(1 for v in truth.values() if 0 < v < 5))
        for r in rows:
            key = (r["practice"], r["age"])
            if r["status"] == "published":
                self.assertEqual(int(r["n"]), truth[key])
            else:
                self.assertEqual(r["n"], "", "a suppressed value must not be printed")
                lo, hi = float(r["attacker_lower"]), float(r["attacker_upper"])
                self.assertLessEqual(lo, truth[key])
                self.assertGreaterEqual(hi, truth[key])
            if r["status"] == "primary":
                self.assertEqual(r["protected"], "yes")
                self.assertGreaterEqual(float(r["attacker_upper"]), 5)
        # Nord-C has one practice, P08: its small cells are the cluster's too.
        st = {(r["practice"], r["age"]): r["status"] for r in rows}
        self.assertNotEqual(st[("Nord-C", "80+")], "published")
        self.assertNotEqual(st[("P08", "80+")], "published")
        # No row of a practice has a single suppressed cell.
        by_practice = {}
        for (p, _a), s in st.items():
            by_practice.setdefault(p, []).append(s != "published")
        for p, flags in by_practice.items():
            self.assertNotEqual(sum(flags), 1, p)

    def test_hierarchy_forms_and_methods_agree_on_safety(self):
        hrc = self.cluster_csv()
        csvh = read_csv(self.ok("suppress", CLUSTER, "--dims", "practice,age",
                                "--hierarchy", f"practice={HIER_CSV}", "--format", "csv")[0])
        self.assertEqual([r["status"] for r in hrc], [r["status"] for r in csvh])
        heur = self.cluster_csv("--method", "heuristic", "--audit")
        hrc = self.cluster_csv("--audit")
        self.assertEqual(sum(r["status"] == "primary" for r in heur),
                         sum(r["status"] == "primary" for r in hrc))
        # The optimum suppresses no more than the heuristic.
        self.assertLessEqual(sum(r["status"] == "secondary" for r in hrc),
                             sum(r["status"] == "secondary" for r in heur))

    def test_same_input_same_output(self):
        a = self.ok("suppress", CLUSTER, "--dims", "practice,age", "--hierarchy",
                    f"practice={HRC}", "--method", "heuristic", "--format", "csv")[0]
        b = self.ok("suppress", CLUSTER, "--dims", "practice,age", "--hierarchy",
                    f"practice={HRC}", "--method", "heuristic", "--format", "csv")[0]
        self.assertEqual(a, b)

    def test_text_and_json(self):
        out, _ = self.ok("suppress", CLUSTER, "--dims", "practice,age", "--hierarchy",
                         f"practice={HRC}")
        # The published table says "suppressed", never why.
        self.assertIn("audit passed: every primary cell keeps its protection", out)
        self.assertIn("168 cells, 24 suppressed (shown as x); method optimal", out)
        self.assertIn("x: value suppressed to protect confidentiality", out)
        statuses = {line.split()[-1] for line in out.splitlines()[1:169]}
        self.assertEqual(statuses, {"published", "suppressed"})
        out, _ = self.ok("suppress", CLUSTER, "--dims", "practice,age", "--hierarchy",
                         f"practice={HRC}", "--audit")
        self.assertRegex(out, r"168 cells: 11 primary, \d+ secondary suppressed")
        out, _ = self.ok("suppress", CLUSTER, "--dims", "practice,age", "--hierarchy",
                         f"practice={HRC}", "--format", "json")
        doc = json.loads(out)
        self.assertNotIn("num_primary", doc)
        self.assertEqual(doc["num_suppressed"], 24)
        self.assertEqual({c["status"] for c in doc["cells"]}, {"published", "suppressed"})
        self.assertFalse(any("attacker_lower" in c or "protected" in c for c in doc["cells"]))
        out, _ = self.ok("suppress", CLUSTER, "--dims", "practice,age", "--hierarchy",
                         f"practice={HRC}", "--format", "json", "--audit")
        doc = json.loads(out)
        self.assertEqual(doc["num_cells"], 168)
        self.assertEqual(doc["num_primary"], 11)
        self.assertTrue(doc["audit"]["passed"])
        self.assertEqual(doc["dims"], ["practice", "age"])
        hidden = [c for c in doc["cells"] if c["status"] != "published"]
        self.assertTrue(all(c["value"] is None for c in hidden))
        self.assertTrue(all(c["attacker_upper"] is None  # unbounded
                            or c["attacker_upper"] >= c["attacker_lower"] for c in hidden))
        self.assertTrue(all(c["protected"] for c in hidden if c["status"] == "primary"))

    def test_flat_table_from_stdin_with_computed_totals(self):
        out, _ = self.ok("suppress", "-", "--dims", "practice,band", "--format", "csv",
                         "--audit", stdin=SMALL.encode())
        rows = read_csv(out)
        self.assertEqual(len(rows), 12)  # 4 practices (with Total) x 3 bands
        st = {(r["practice"], r["band"]): r["status"] for r in rows}
        self.assertEqual(st[("p1", ">=140")], "primary")
        self.assertEqual(sum(s == "secondary" for s in st.values()), 3)
        self.assertIn(("Total", "Total"), st)  # computed
        p3 = [r for r in rows if r["practice"] == "p3" and r["band"] == "Total"][0]
        self.assertEqual(p3["n"], "29")
        # A higher threshold, and threshold 0 (no rule).
        rows = read_csv(self.ok("suppress", "-", "--dims", "practice,band", "--threshold", "10",
                                "--format", "csv", "--audit", stdin=SMALL.encode())[0])
        self.assertEqual(sum(r["status"] == "primary" for r in rows), 2)
        rows = read_csv(self.ok("suppress", "-", "--dims", "practice,band", "--threshold", "0",
                                "--format", "csv", stdin=SMALL.encode())[0])
        self.assertTrue(all(r["status"] == "published" for r in rows))

    # ---- --check: audit a given pattern -----------------------------------------

    def test_check_of_naive_and_of_protected_patterns(self):
        naive = self.write("naive.csv", "practice,band,n,s\n" + "".join(
            line + ("," + ("x" if line.endswith(",3") else "") + "\n")
            for line in SMALL.splitlines()[1:]))
        out, _ = self.ok("suppress", naive, "--dims", "practice,band", "--check", "s", code=1)
        self.assertIn("audit FAILED", out)
        self.assertIn("practice=p1, band=>=140", out)
        # The pattern the tool chose passes the check.
        rows = read_csv(self.ok("suppress", "-", "--dims", "practice,band", "--format", "csv",
                                stdin=SMALL.encode())[0])
        truth = {}
        for line in SMALL.splitlines()[1:]:
            p, b, n = line.split(",")
            for key in ((p, b), (p, "Total"), ("Total", b), ("Total", "Total")):
                truth[key] = truth.get(key, 0) + int(n)
        lines = ["practice,band,n,s"]
        for r in rows:  # every cell, totals included, with the tool's pattern
            key = (r["practice"], r["band"])
            lines.append(f"{key[0]},{key[1]},{truth[key]},{int(r['status'] != 'published')}")
        self.assertEqual(len(lines), 13)
        checked = self.write("checked.csv", "\n".join(lines) + "\n")
        out, _ = self.ok("suppress", checked, "--dims", "practice,band", "--check", "s",
                         "--format", "json")
        self.assertTrue(json.loads(out)["audit"]["passed"])

    # ---- Bad input ---------------------------------------------------------------

    def test_bad_tables_name_the_line_or_cell(self):
        bad_total = self.write("t.csv", SMALL + "p1,Total,35\n")
        self.error("suppress", bad_total, "--dims", "practice,band",
                   needles=["do not add up", "p1"])
        neg = self.write("neg.csv", SMALL.replace("p2,>=140,9", "p2,>=140,-9"))
        self.error("suppress", neg, "--dims", "practice,band", needles=[":5:", "-9"])
        frac = self.write("frac.csv", SMALL.replace("p2,>=140,9", "p2,>=140,9.5"))
        self.error("suppress", frac, "--dims", "practice,band", needles=[":5:", "not a count"])
        nan = self.write("nan.csv", SMALL.replace("p2,>=140,9", "p2,>=140,nan"))
        self.error("suppress", nan, "--dims", "practice,band", needles=[":5:", "not a number"])
        empty = self.write("empty.csv", SMALL.replace("p2,>=140,9", "p2,>=140,"))
        self.error("suppress", empty, "--dims", "practice,band", needles=[":5:"])
        dup = self.write("dup.csv", SMALL + "p2,<140,24\n")
        self.error("suppress", dup, "--dims", "practice,band",
                   needles=[":8:", "duplicated cell", "first on line 4"])
        missing = self.write("missing.csv", "".join(SMALL.splitlines(True)[:-1]))
        self.error("suppress", missing, "--dims", "practice,band", needles=["missing", "p3"])
        self.ok("suppress", missing, "--dims", "practice,band", "--missing-zero")
        short = self.write("short.csv", SMALL + "p4,<140\n")
        self.error("suppress", short, "--dims", "practice,band", needles=[":8:", "2 fields"])
        quote = self.write("quote.csv", SMALL + "\"p4,<140,3\n")
        self.error("suppress", quote, "--dims", "practice,band", needles=["not closed"])

    def test_missing_zero_with_given_totals(self):
        # A missing leaf is a zero cell under --missing zero (or --missing-zero)
        # whether the totals are given (and checked against it) or computed;
        # the Python package reads missing="zero" the same way.
        totals = "p1,Total,34\np2,Total,33\np3,Total,18\nTotal,<140,73\nTotal,>=140,12\n"
        given = self.write("given.csv", "".join(SMALL.splitlines(True)[:-1]) + totals)
        self.error("suppress", given, "--dims", "practice,band",
                   needles=["missing cell (practice=p3, band=>=140)", "--missing zero"])
        for flag in (["--missing", "zero"], ["--missing-zero"]):
            out, _ = self.ok("suppress", given, "--dims", "practice,band", *flag,
                             "--format", "csv")
            rows = {(r["practice"], r["band"]): r for r in read_csv(out)}
            self.assertEqual(rows[("p3", ">=140")]["n"], "0")
            self.assertEqual(rows[("p3", ">=140")]["status"], "published")
        wrong = self.write("wrong.csv", "".join(SMALL.splitlines(True)[:-1])
                           + totals.replace("p3,Total,18", "p3,Total,20"))
        self.error("suppress", wrong, "--dims", "practice,band", "--missing", "zero",
                   needles=["do not add up"])

    def test_bad_hierarchies(self):
        orphan = self.write("orphan.csv", SMALL.replace("p3", "p9"))
        hrc = self.write("h.hrc", "N\n@p1\n@p2\nS\n@p3\n")
        self.error("suppress", orphan, "--dims", "practice,band", "--hierarchy",
                   f"practice={hrc}", needles=["p9", "orphan", ":6:"])
        cycle = self.write("cycle.csv", "code,parent\nTotal,\np1,Total\np2,Total\np3,x\nx,p3\n")
        self.error("suppress", self.write("t.csv", SMALL), "--dims", "practice,band",
                   "--hierarchy", f"practice={cycle}", needles=["cycle"])
        jump = self.write("jump.hrc", "N\n@@p1\n")
        self.error("suppress", self.write("t2.csv", SMALL), "--dims", "practice,band",
                   "--hierarchy", f"practice={jump}", needles=["line 2"])
        self.error("suppress", self.write("t3.csv", SMALL), "--dims", "practice,band",
                   "--hierarchy", "practice=/nonexistent/h.hrc", needles=["/nonexistent/h.hrc"])
        self.error("suppress", self.write("t4.csv", SMALL), "--dims", "practice,band",
                   "--hierarchy", f"region={hrc}", needles=["region"])

    def test_usage_errors(self):
        t = self.write("t.csv", SMALL)
        self.error("suppress", t, needles=["--dims"])
        self.error("suppress", t, "--dims", "practice,age", needles=["age", "columns"])
        self.error("suppress", t, "--dims", "practice,band", "--value", "count",
                   needles=["count"])
        self.error("suppress", t, "--dims", "practice,band", "--method", "fast",
                   needles=["fast"])
        self.error("suppress", t, "--dims", "practice,band", "--threshold", "five",
                   needles=["five"])
        self.error("suppress", t, "--dims", "practice,practice", needles=["twice"])
        self.error("suppress", t, "--dims", "practice,band", "--check", "s",
                   needles=["s"])
        self.error("suppress", os.path.join(self.tmp.name, "none.csv"), "--dims", "a",
                   needles=["none.csv"])
        self.error("suppress", self.write("e.csv", ""), "--dims", "a", needles=["empty"])
        self.error("suppress", "--dims", "a", needles=["FILE"])

    def test_marker_language_and_progress(self):
        out, err = self.ok("suppress", "-", "--dims", "practice,band", "--marker", "<5",
                           "--lang", "da", "--progress", stdin=SMALL.encode())
        rows = [line.split() for line in out.splitlines()[1:13]]
        self.assertEqual({r[3] for r in rows}, {"offentliggjort", "undertrykt"})
        self.assertEqual(sum(r[2] == "<5" for r in rows), 4)
        self.assertIn("12 celler, 4 undertrykt (vist som <5)", out)
        self.assertIn("<5: værdien er undertrykt af hensyn til fortroligheden", out)
        self.assertNotIn("3 ", " ".join(r[2] + " " for r in rows if r[3] == "undertrykt"))
        # Every stage's start and end, once each, in order.
        lines = err.splitlines()
        stages = [line.split()[1] for line in lines]
        self.assertEqual(list(dict.fromkeys(stages)),
                         ["primary", "secondary", "cleanup", "improve", "optimal", "audit"])
        for stage in dict.fromkeys(stages):
            mine = [line.split()[2] for line in lines if line.split()[1] == stage]
            done, total = mine[-1].split("/")
            self.assertEqual(mine[0].split("/")[0], "0")
            self.assertEqual(done, total)
        self.error("suppress", "-", "--dims", "practice,band", "--lang", "fr",
                   needles=["--lang", "da"], stdin=SMALL.encode())

    def test_linked_tables_share_their_cells(self):
        # Visits per practice, and the same patients by blood pressure: the
        # practice totals are shared. p1's 3 is primary in both tables, and
        # the partner that protects it in the visits table is hidden in the
        # blood-pressure table too.
        visits = self.write("visits.csv", "practice,n\np1,3\np2,25\np3,39\n")
        bp = self.write("bp.csv", "practice,bp,n\np1,low,1\np1,high,2\np2,low,15\n"
                        "p2,high,10\np3,low,20\np3,high,19\n")
        out, _ = self.ok("suppress", visits, bp, "--dims", "practice,bp", "--format", "csv",
                         "--audit")
        rows = read_csv(out)
        self.assertEqual(list(rows[0]), ["table", "practice", "bp", "n", "status",
                                         "attacker_lower", "attacker_upper", "protected"])
        st = {(r["table"], r["practice"], r["bp"]): r["status"] for r in rows}
        for p in ["p1", "p2", "p3", "Total"]:
            self.assertEqual(st[(visits, p, "")], st[(bp, p, "Total")], p)
        self.assertEqual(st[(visits, "p1", "")], "primary")
        self.assertTrue(any(st[(visits, p, "")] == "secondary" for p in ["p2", "p3", "Total"]))
        out, _ = self.ok("suppress", visits, bp, "--dims", "practice,bp")
        self.assertIn(f"# {visits}", out)
        self.assertIn(f"# {bp}", out)
        bad = self.write("bad.csv", "practice,bp,n\np1,low,1\np1,high,2\np2,low,15\n"
                         "p2,high,10\np3,low,20\np3,high,18\n")
        self.error("suppress", visits, bad, "--dims", "practice,bp", needles=["disagree"])

    def test_help(self):
        out, _ = self.ok("help", "suppress")
        self.assertIn("--hierarchy", out)
        self.assertIn("--check", out)
        out, _ = self.ok("suppress", "--help")
        self.assertIn("Exit status", out)


if __name__ == "__main__":
    if not CLI:
        raise SystemExit("set GDPRKIT_CLI to the gdprkit executable")
    unittest.main()
