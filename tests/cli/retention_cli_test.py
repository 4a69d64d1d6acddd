#!/usr/bin/env python3
"""Tests of `gdprkit retention ...`, run as a user runs it.

Environment (set by tests/cli/CMakeLists.txt; run by hand as
  GDPRKIT_CLI=build/gdprkit GDPRKIT_EXAMPLES_DIR=examples python3 tests/cli/retention_cli_test.py):
  GDPRKIT_CLI           path of the gdprkit executable
  GDPRKIT_EXAMPLES_DIR  the repository's examples/ folder

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
KAPSEL = os.path.join(EXAMPLES, "policies", "kapsel.textproto")
PRACTIO = os.path.join(EXAMPLES, "policies", "practio.textproto")
KAPSEL_RECORDS = os.path.join(EXAMPLES, "records", "kapsel_records.csv")
PRACTIO_RECORDS = os.path.join(EXAMPLES, "records", "practio_records.csv")


def run(*args, stdin=None):
    proc = subprocess.run([CLI, *args], input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=60)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


class RetentionCliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, content):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(content)
        return path

    def ok(self, *args, code=0, stdin=None):
        rc, out, err = run(*args, stdin=stdin)
        self.assertEqual(rc, code, f"gdprkit {' '.join(args)}\nstdout:\n{out}\nstderr:\n{err}")
        return out, err

    def fails(self, *args, stdin=None):
        """A usage or input error: exit 2, a message, nothing on standard output."""
        rc, out, err = run(*args, stdin=stdin)
        self.assertEqual(rc, 2, f"gdprkit {' '.join(args)}\nstdout:\n{out}\nstderr:\n{err}")
        self.assertIn("gdprkit: error: ", err)
        self.assertEqual(out, "")
        return err

    def sweep_csv(self, records, on, policy=KAPSEL):
        out, _ = self.ok("retention", "sweep", "--policy", policy, "--records", records,
                         "--on", on, "--format", "csv")
        return {r["id"]: r for r in csv.DictReader(io.StringIO(out))}

    # -- add-period ------------------------------------------------------------

    def test_add_period_month_ends(self):
        for date, period, expected in [("2025-11-30", "P15M", "2027-02-28"),
                                       ("2024-02-29", "P10Y", "2034-02-28"),
                                       ("2024-02-29", "P4Y", "2028-02-29"),
                                       ("2025-12-25", "P14D", "2026-01-08"),
                                       ("2025-01-31", "P1M1D", "2025-03-01")]:
            out, _ = self.ok("retention", "add-period", date, period)
            self.assertEqual(out, expected + "\n")

    def test_add_period_formats_and_zone(self):
        out, _ = self.ok("retention", "add-period", "2025-11-30", "P15M", "--format", "json")
        self.assertEqual(json.loads(out),
                         {"date": "2025-11-30", "period": "P15M", "result": "2027-02-28"})
        out, _ = self.ok("retention", "add-period", "2025-11-30", "P15M", "--format", "csv")
        self.assertEqual(out, "date,period,result\r\n2025-11-30,P15M,2027-02-28\r\n")
        # 23:30 UTC on 30 November is already 1 December in Copenhagen.
        out, _ = self.ok("retention", "add-period", "2025-11-30T23:30:00Z", "P1D")
        self.assertEqual(out, "2025-12-02\n")
        out, _ = self.ok("retention", "add-period", "2025-11-30T23:30:00Z", "P1D", "--zone", "UTC")
        self.assertEqual(out, "2025-12-01\n")

    def test_add_period_bad_input(self):
        self.assertIn("February 2025 has 28 days",
                      self.fails("retention", "add-period", "2025-02-30", "P1M"))
        self.assertIn("time components", self.fails("retention", "add-period", "2025-01-01", "PT1H"))
        self.assertIn("fractions", self.fails("retention", "add-period", "2025-01-01", "P1.5Y"))
        self.fails("retention", "add-period", "2025-01-01")
        self.fails("retention", "add-period", "2025-01-01", "P1D", "--zone", "Mars/Base")

    def test_cpr_numbers_typed_as_dates_or_periods_are_not_repeated(self):
        log = os.path.join(self.tmp.name, "cpr.log")
        for cpr in ("0101901234", "010190-1234", "01.01.90-1234", "pt0101901234"):
            for args in (("retention", "add-period", cpr, "P1D"),
                         ("retention", "add-period", "2025-01-01", "P" + cpr + "D"),
                         ("retention", "add-period", "2025-01-01", cpr),
                         ("retention", "sweep", "--policy", KAPSEL, "--records",
                          KAPSEL_RECORDS, "--on", cpr),
                         ("retention", "log", "append", log, "--id", "x", "--due", cpr),
                         # Ten digits are a number of seconds; the other spellings are not.
                         ("retention", "log", "append", log, "--id", "x", "--deleted-at",
                          cpr if not cpr.isdigit() else "010190 1234")):
                err = self.fails(*args)
                self.assertIn("withheld", err, args)
                self.assertNotIn("1234", err, args)
        self.assertFalse(os.path.exists(log))
        # Other bad input is still shown.
        self.assertIn('"2025-13-01"', self.fails("retention", "add-period", "2025-13-01", "P1D"))
        self.assertIn('"yesterday"', self.fails("retention", "log", "append", log, "--id", "x",
                                                "--deleted-at", "yesterday"))

    # -- sweep ------------------------------------------------------------------

    def test_sweep_example_records(self):
        rows = self.sweep_csv(KAPSEL_RECORDS, "2027-03-01")
        self.assertEqual(rows["practice-0001"]["status"], "kept")
        self.assertEqual(rows["practice-0001"]["reason"], "anchor-pending")
        # 15 months after 2025-11-30 is 2027-02-28.
        self.assertEqual(rows["practice-0002"]["status"], "due")
        self.assertEqual(rows["practice-0002"]["due_date"], "2027-02-28")
        self.assertEqual(rows["practice-0002"]["rule"], "provider-number-plus-15-months")
        self.assertEqual(rows["practice-0002"]["anchor"], "provider_number_ended")
        self.assertEqual(rows["practice-0003"]["due_date"], "2025-05-29")
        # Held by a complaint case until 2027-06-15, then due that day.
        self.assertEqual(rows["practice-0004"]["status"], "held")
        self.assertEqual(rows["practice-0004"]["next_due"], "2027-06-15")
        # A time with an offset is read in Copenhagen: 2024-12-01 + P15M.
        self.assertEqual(rows["practice-0005"]["due_date"], "2026-03-01")
        self.assertEqual(rows["practice-0006"]["status"], "held")
        later = self.sweep_csv(KAPSEL_RECORDS, "2027-06-15")
        self.assertEqual(later["practice-0004"]["status"], "due")
        self.assertEqual(later["practice-0004"]["reason"], "hold-released")
        earlier = self.sweep_csv(KAPSEL_RECORDS, "2027-02-27")
        self.assertEqual(earlier["practice-0002"]["status"], "pending")
        self.assertEqual(earlier["practice-0002"]["next_due"], "2027-02-28")

    def test_sweep_text_and_json(self):
        out, _ = self.ok("retention", "sweep", "--policy", KAPSEL, "--records", KAPSEL_RECORDS,
                         "--on", "2027-03-01")
        self.assertIn("6 records: 3 due, 0 pending, 1 kept, 2 held", out)
        self.assertRegex(out, r"practice-0002 +due +2027-02-28 +- +provider-number-plus-15-months")
        out, _ = self.ok("retention", "sweep", "--policy", KAPSEL, "--records", KAPSEL_RECORDS,
                         "--on", "2027-03-01", "--format", "json")
        doc = json.loads(out)
        self.assertEqual(doc["on"], "2027-03-01")
        self.assertEqual(doc["counts"]["due"], 3)
        first = doc["records"][0]
        self.assertEqual(first["id"], "practice-0001")
        self.assertIsNone(first["due_date"])
        self.assertFalse(first["due"])
        self.assertTrue(doc["records"][1]["due"])

    def test_sweep_precedence_of_several_rules(self):
        self.assertTrue(os.path.exists(PRACTIO_RECORDS))
        rows = self.sweep_csv(PRACTIO_RECORDS, "2026-01-01", policy=PRACTIO)
        journal = rows["journal-0001"]
        # Retention beats deletion: the claim would be due 2025-06-15.
        self.assertEqual(journal["status"], "pending")
        self.assertEqual(journal["next_due"], "2029-03-01")
        self.assertEqual(journal["rule"], "patient-record-and-treatment-contact-10-years")
        self.assertEqual(rows["claim-0001"]["due_date"], "2025-06-15")
        self.assertEqual(rows["research-0001"]["reason"], "ended-early")
        # A hold beats everything.
        held = self.sweep_csv(PRACTIO_RECORDS, "2029-03-01", policy=PRACTIO)
        self.assertEqual(held["journal-0002"]["status"], "held")
        self.assertEqual(held["journal-0001"]["status"], "due")

    def test_sweep_in_danish(self):
        out, _ = self.ok("retention", "sweep", "--policy", KAPSEL, "--records", KAPSEL_RECORDS,
                         "--on", "2027-03-01", "--lang", "da")
        self.assertRegex(out, r"practice-0002 +due +2027-02-28 .* period +Skal slettes \(")
        self.assertIn("Tilbageholdt", out)
        out, _ = self.ok("retention", "sweep", "--policy", KAPSEL, "--records", KAPSEL_RECORDS,
                         "--on", "2027-03-01", "--format", "csv", "--lang", "da")
        head, first = out.splitlines()[:2]
        self.assertTrue(head.endswith(",reason,status_title,reason_title"))
        self.assertIn(',anchor-pending,Opbevares,"Afventer', first)
        out, _ = self.ok("retention", "sweep", "--policy", PRACTIO, "--records", PRACTIO_RECORDS,
                         "--on", "2026-01-01", "--explain", "journal-0001", "--lang", "da")
        self.assertEqual(out.splitlines()[-2],
                         "verdict: Skal slettes senere (Reglens periode regnet fra "
                         "starthændelsen)")
        self.assertIn("--lang", self.fails("retention", "sweep", "--policy", KAPSEL, "--records",
                                           KAPSEL_RECORDS, "--on", "2027-03-01", "--lang", "de"))

    def test_sweep_errors_modes(self):
        records = self.write("r.csv", "id,purpose,collection,provider_number_ended\n"
                                      "a,quality-advice-data,2019-03-01,2025-11-30\n"
                                      "b,quality-advice-data,2019-03-01,2018-01-01\n")
        args = ("retention", "sweep", "--policy", KAPSEL, "--records", records,
                "--on", "2027-03-01")
        for mode in ("raise", "fail"):
            self.assertIn("before collection", self.fails(*args, "--errors", mode))
        out, _ = self.ok(*args, "--errors", "coerce")
        self.assertIn("2 records: 1 due, 0 pending, 0 kept, 0 held, 0 may be deleted, 1 invalid",
                      out)
        self.assertRegex(out, r"\nb +invalid .* invalid-input")
        self.assertNotIn("Invalid records", out)
        out, _ = self.ok(*args, "--errors", "report", "--lang", "da")
        self.assertIn("Invalid records (1):\n", out)
        self.assertIn('r.csv:3: record "b", column "provider_number_ended": before-collection '
                      "(En hændelse dateret før indsamlingen)", out)
        self.assertNotIn("2018-01-01", out.split("Invalid records")[1])
        out, err = self.ok(*args, "--errors", "report", "--format", "csv")
        self.assertIn("b,invalid,no,,,", out)
        self.assertIn("gdprkit: note: ", err)
        self.assertIn("before-collection", err)
        self.assertIn("valid:", self.fails(*args, "--errors", "ignore"))

    def test_sweep_explain(self):
        out, _ = self.ok("retention", "sweep", "--policy", PRACTIO, "--records", PRACTIO_RECORDS,
                         "--on", "2026-01-01", "--explain", "journal-0001")
        lines = out.splitlines()
        self.assertEqual(lines[0], 'record "journal-0001" as of 2026-01-01:')
        self.assertIn("retention beats deletion", out)
        self.assertEqual(lines[-1], '=> pending 2029-03-01, rule '
                         '"patient-record-and-treatment-contact-10-years", anchor last_entry, '
                         'reason period')
        self.assertIn('no record with id "nobody"',
                      self.fails("retention", "sweep", "--policy", PRACTIO, "--records",
                                 PRACTIO_RECORDS, "--on", "2026-01-01", "--explain", "nobody"))

    def test_sweep_stdin_quotes_and_rule_column(self):
        records = ('\ufeffid,rule,collection,provider_number_ended\r\n'
                   '"a,1",provider-number-plus-15-months,2019-03-01,2025-11-30\r\n'
                   '\r\n'
                   '"b ""2""",provider-number-plus-15-months,2019-03-01,\r\n')
        out, _ = self.ok("retention", "sweep", "--policy", KAPSEL, "--records", "-", "--on",
                         "2027-02-28", "--format", "csv", stdin=records.encode("utf-8"))
        rows = list(csv.DictReader(io.StringIO(out)))
        self.assertEqual([r["id"] for r in rows], ["a,1", 'b "2"'])
        self.assertEqual([r["status"] for r in rows], ["due", "kept"])

    def test_sweep_delimiter(self):
        # --delimiter auto|comma|semicolon|tab, as the other CSV-reading commands have it.
        with open(KAPSEL_RECORDS, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        plain, _ = self.ok("retention", "sweep", "--policy", KAPSEL, "--records", KAPSEL_RECORDS,
                           "--on", "2027-03-01", "--format", "csv")

        def written(name, delimiter):
            buf = io.StringIO()
            csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
            return self.write(name, buf.getvalue())

        semi, tsv = written("semi.csv", ";"), written("records.tsv", "\t")
        for path, values in ((semi, ("semicolon", ";", "auto")), (tsv, ("tab", "auto")),
                             (KAPSEL_RECORDS, ("comma", ",", "auto"))):
            for value in values:
                out, _ = self.ok("retention", "sweep", "--policy", KAPSEL, "--records", path,
                                 "--on", "2027-03-01", "--format", "csv", "--delimiter", value)
                self.assertEqual(out, plain, (path, value))
        # From standard input too.
        with open(semi, "rb") as f:
            out, _ = self.ok("retention", "sweep", "--policy", KAPSEL, "--records", "-", "--on",
                             "2027-03-01", "--format", "csv", "--delimiter", "semicolon",
                             stdin=f.read())
        self.assertEqual(out, plain)
        # The delimiter given is the one used: the error says how the header was read.
        err = self.fails("retention", "sweep", "--policy", KAPSEL, "--records", semi,
                         "--on", "2027-03-01", "--delimiter", "comma")
        self.assertIn("read as comma-separated", err)
        self.assertIn("--delimiter", err)
        err = self.fails("retention", "sweep", "--policy", KAPSEL, "--records", semi,
                         "--on", "2027-03-01", "--delimiter", "pipe")
        self.assertIn("--delimiter", err)
        out, _ = self.ok("retention", "sweep", "--help")
        self.assertIn("--delimiter", out)
        self.assertIn("semicolon", out)

    def test_sweep_bad_records(self):
        head = "id,purpose,collection,provider_number_ended,hold_start,hold_end\n"
        cases = [
            ("r-1,quality-advice-data,2019-03-01,2025-02-30,,\n",
             ['.csv:2: record "r-1", column "provider_number_ended"', "February 2025 has 28 days"]),
            ("r-1,quality-advice-data,2019-03-01,2018-01-01,,\n"
             "r-2,quality-advice-data,2019-03-01,2018-01-01,,\n",
             ['record "r-1", column "provider_number_ended"', "before collection",
              "(and 1 more invalid records)", "no result was printed"]),
            ("r-1,quality-advice-data,2019-03-01,,2026-01-01,2025-01-01\n",
             ['column "hold_start/hold_end"', "released 2025-01-01 before it began 2026-01-01"]),
            ("r-1,quality-advice-dat,2019-03-01,,,\n",
             ['column "purpose"', '"quality-advice-data"']),
            ("r-1,quality-advice-data,2019-03-01,,\n", ["5 fields; the header has 6"]),
            (',quality-advice-data,2019-03-01,,,\n', ["the id is empty"]),
            ('r-1,quality-advice-data,"2019-03-01,,,\n', ["a quoted field is not closed"]),
        ]
        for body, needles in cases:
            err = self.fails("retention", "sweep", "--policy", KAPSEL, "--records",
                             self.write("r.csv", head + body), "--on", "2027-01-01")
            for needle in needles:
                self.assertIn(needle, err)

    def test_sweep_bad_headers_and_arguments(self):
        err = self.fails("retention", "sweep", "--policy", KAPSEL, "--records",
                         self.write("h.csv", "id,purpose,collection,provider_number_end\n"),
                         "--on", "2027-01-01")
        self.assertIn('unknown column "provider_number_end"', err)
        self.assertIn('did you mean "provider_number_ended"', err)
        err = self.fails("retention", "sweep", "--policy", KAPSEL, "--records",
                         self.write("h.csv", "purpose,collection\n"), "--on", "2027-01-01")
        self.assertIn('needs an "id" column', err)
        err = self.fails("retention", "sweep", "--policy", KAPSEL, "--records",
                         self.write("h.csv", "id,purpose,rule\n"), "--on", "2027-01-01")
        self.assertIn("conflicts", err)
        err = self.fails("retention", "sweep", "--policy", KAPSEL, "--records",
                         self.write("h.csv", ""), "--on", "2027-01-01")
        self.assertIn("empty", err)
        # A column a rule needs is missing.
        err = self.fails("retention", "sweep", "--policy", KAPSEL, "--records",
                         self.write("h.csv", "id,purpose,collection\nr,quality-advice-data,"
                                             "2019-01-01\n"), "--on", "2027-01-01")
        self.assertIn("provider_number_ended", err)
        self.assertIn("--on", self.fails("retention", "sweep", "--policy", KAPSEL, "--records",
                                         KAPSEL_RECORDS, "--on", "2027-13-01"))
        self.fails("retention", "sweep", "--policy", KAPSEL, "--records", KAPSEL_RECORDS)
        self.fails("retention", "sweep", "--policy", KAPSEL, "--records",
                   os.path.join(self.tmp.name, "missing.csv"), "--on", "2027-01-01")
        self.fails("retention", "sweep", "--policy", os.path.join(self.tmp.name, "none.textproto"),
                   "--records", KAPSEL_RECORDS, "--on", "2027-01-01")
        bad_rule = self.write("bad.textproto", 'retention_rules { id: "r" period: "P1.5Y" }\n')
        self.assertIn('"r"', self.fails("retention", "sweep", "--policy", bad_rule, "--records",
                                        KAPSEL_RECORDS, "--on", "2027-01-01"))
        self.fails("retention", "sweep", "--policy", KAPSEL, "--records", KAPSEL_RECORDS,
                   "--on", "2027-01-01", "--format", "xml")

    # -- log ---------------------------------------------------------------------

    def test_log_append_and_verify(self):
        log = os.path.join(self.tmp.name, "deletions.log")
        out, _ = self.ok("retention", "log", "append", log, "--id", "practice-0002", "--rule",
                         "provider-number-plus-15-months", "--due", "2027-02-28",
                         "--deleted-at", "1772323200", "--format", "json")
        first = json.loads(out)
        self.assertEqual(first["seq"], 1)
        self.assertEqual(first["due_date"], "2027-02-28")
        out, _ = self.ok("retention", "log", "append", log, "--id", "practice-0003")
        self.assertIn("entry 2 written", out)
        head = out.split("head ")[1].strip()
        out, _ = self.ok("retention", "log", "verify", log, "--head", head)
        self.assertIn("intact: 2 entries", out)
        # A CPR-shaped id is refused and nothing is written.
        err = self.fails("retention", "log", "append", log, "--id", "010190-1234")
        self.assertIn("CPR", err)
        self.assertNotIn("010190-1234", err)
        out, _ = self.ok("retention", "log", "verify", log, "--format", "csv")
        self.assertEqual(list(csv.DictReader(io.StringIO(out)))[0]["entries"], "2")
        # Tampering: exit 1, naming the entry and line.
        with open(log, encoding="utf-8") as f:
            text = f.read()
        with open(log, "w", encoding="utf-8", newline="") as f:
            f.write(text.replace("practice-0003", "practice-0009"))
        out, _ = self.ok("retention", "log", "verify", log, code=1)
        self.assertIn(":3: broken at entry 2", out)
        doc = json.loads(self.ok("retention", "log", "verify", log, "--format", "json", code=1)[0])
        self.assertFalse(doc["intact"])
        self.assertEqual(doc["first_broken_entry"], 2)
        err = self.fails("retention", "log", "append", log, "--id", "x")
        self.assertIn("entry 2", err)

    def test_log_keys_and_usage(self):
        log = os.path.join(self.tmp.name, "keyed.log")
        key = os.path.join(self.tmp.name, "key")
        with open(key, "wb") as f:
            f.write(b"s" * 32)
        self.ok("retention", "log", "append", log, "--id", "a", "--key-file", key)
        self.assertIn("key", self.fails("retention", "log", "verify", log))
        out, _ = self.ok("retention", "log", "verify", log, "--key-file", key)
        self.assertIn("keyed chain", out)
        short = self.write("short", "abc")
        self.assertIn("16-64 bytes", self.fails("retention", "log", "verify", log,
                                                "--key-file", short))
        self.assertIn("verify or append", self.fails("retention", "log", "check", log))
        self.fails("retention", "log", "append", log)
        self.fails("retention", "log", "verify", log, "--id", "a")
        self.fails("retention", "log", "verify", os.path.join(self.tmp.name, "none.log"))
        self.fails("retention", "log", "append", log, "--id", "b", "--key-file", key,
                   "--deleted-at", "yesterday")

    def test_help(self):
        out, _ = self.ok("retention", "--help")
        for name in ("sweep", "add-period", "log"):
            self.assertIn(name, out)
        out, _ = self.ok("retention", "sweep", "--help")
        self.assertIn("hold_start", out)


if __name__ == "__main__":
    if not CLI or not EXAMPLES:
        raise SystemExit("set GDPRKIT_CLI and GDPRKIT_EXAMPLES_DIR (see the module docstring)")
    unittest.main(verbosity=2)
