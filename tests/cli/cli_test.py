#!/usr/bin/env python3
"""Tests of the gdprkit command-line tool, run as a user runs it.

Environment (set by tests/cli/CMakeLists.txt; run by hand as
  GDPRKIT_CLI=build/gdprkit GDPRKIT_EXAMPLES_DIR=examples python3 tests/cli/cli_test.py):
  GDPRKIT_CLI               path of the gdprkit executable
  GDPRKIT_EXAMPLES_DIR      the repository's examples/ folder
  GDPRKIT_EXPECTED_VERSION  optional: the project version `gdprkit version` must print

Only the standard library is used, so any Python 3.8+ runs it (also under pytest).
"""

import csv
import io
import json
import os
import re
import subprocess
import tempfile
import unittest

CLI = os.environ.get("GDPRKIT_CLI", "")
EXAMPLES = os.environ.get("GDPRKIT_EXAMPLES_DIR", "")
POLICIES = os.path.join(EXAMPLES, "policies")

KAPSEL = os.path.join(POLICIES, "kapsel.textproto")
KONTAKT = os.path.join(POLICIES, "kontakt_laege.textproto")
KONTAKT_JSON = os.path.join(POLICIES, "kontakt_laege.json")
MEDCOM = os.path.join(POLICIES, "medcom.textproto")
PRACTIO = os.path.join(POLICIES, "practio.textproto")
KLYNGE = os.path.join(POLICIES, "klyngeguide.textproto")

RIGHT_CODES = ["A13", "A14", "A15", "A16", "A17", "A18", "A19", "A20", "A21", "A22", "A7-3"]
FINDING_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<sev>error|warning|info) "
                          r"\[(?P<code>[a-z0-9-]+)\] (?P<msg>.+)$")


def run(*args, stdin=None, stdout=subprocess.PIPE):
    """Runs gdprkit; returns (exit code, stdout, stderr) as text."""
    proc = subprocess.run([CLI, *args], input=stdin, stdout=stdout, stderr=subprocess.PIPE,
                          timeout=60)
    out = proc.stdout.decode("utf-8") if proc.stdout is not None else ""
    return proc.returncode, out, proc.stderr.decode("utf-8")


class CliTestCase(unittest.TestCase):
    """Every invocation must end with a documented exit code, never a signal."""

    def run_ok(self, *args, code=0, stdin=None):
        rc, out, err = run(*args, stdin=stdin)
        self.assertEqual(rc, code, f"gdprkit {' '.join(args)}\nstdout:\n{out}\nstderr:\n{err}")
        return out, err

    def usage_error(self, *args, stdin=None):
        """Runs a command that must fail with exit 2 and a message on stderr."""
        rc, out, err = run(*args, stdin=stdin)
        self.assertEqual(rc, 2, f"gdprkit {' '.join(args)}\nstdout:\n{out}\nstderr:\n{err}")
        self.assertIn("gdprkit: error: ", err)
        return out, err

    def write(self, name, content):
        path = os.path.join(self.tmp.name, name)
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(path, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as f:
            f.write(content)
        return path

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()


class VersionAndHelp(CliTestCase):
    def test_version(self):
        for args in (["version"], ["--version"]):
            out, _ = self.run_ok(*args)
            self.assertRegex(out, r"^gdprkit \d+\.\d+\.\d+\n$")
            expected = os.environ.get("GDPRKIT_EXPECTED_VERSION")
            if expected:
                self.assertEqual(out, f"gdprkit {expected}\n")

    def test_version_takes_no_arguments(self):
        _, err = self.usage_error("version", "extra")
        self.assertIn("no arguments", err)

    def test_general_help_lists_every_command(self):
        for args in (["help"], ["--help"], ["-h"]):
            out, _ = self.run_ok(*args)
            for command in ("policy check FILE...", "policy rights FILE", "policy purposes FILE",
                            "version", "help"):
                self.assertIn(command, out)
            self.assertIn("Exit status", out)

    def test_help_per_command(self):
        for args in (["help", "policy", "check"], ["policy", "check", "--help"],
                     ["policy", "check", "-h"]):
            out, _ = self.run_ok(*args)
            self.assertIn("Usage: gdprkit policy check [--format text|json|csv] [--lang LANG] FILE...",
                          out)
        out, _ = self.run_ok("help", "policy", "rights")
        self.assertIn("--purpose ID", out)
        out, _ = self.run_ok("policy", "--help")
        self.assertIn("policy purposes", out)
        out, _ = self.run_ok("help", "policy")
        self.assertIn("policy rights", out)

    def test_help_for_unknown_command(self):
        self.usage_error("help", "nosuch")
        self.usage_error("help", "policy", "nosuch")

    def test_no_arguments_prints_usage_to_stderr(self):
        rc, out, err = run()
        self.assertEqual(rc, 2)
        self.assertEqual(out, "")
        self.assertIn("Usage: gdprkit", err)


class UsageErrors(CliTestCase):
    def test_unknown_command_suggests_the_nearest(self):
        _, err = self.usage_error("polcy", "check", KAPSEL)
        self.assertIn('unknown command \'polcy\'; did you mean "policy"?', err)
        _, err = self.usage_error("policy", "chek", KAPSEL)
        self.assertIn('unknown command \'gdprkit policy chek\'; did you mean "check"?', err)
        _, err = self.usage_error("frobnicate")
        self.assertNotIn("did you mean", err)

    def test_family_without_command(self):
        _, err = self.usage_error("policy")
        self.assertIn("'gdprkit policy' needs a command", err)
        self.assertIn("policy check", err)

    def test_missing_file_argument(self):
        _, err = self.usage_error("policy", "check")
        self.assertIn("needs FILE...", err)
        _, err = self.usage_error("policy", "rights")
        self.assertIn("needs FILE", err)
        _, err = self.usage_error("policy", "purposes")
        self.assertIn("needs FILE", err)

    def test_too_many_files(self):
        _, err = self.usage_error("policy", "rights", KAPSEL, PRACTIO)
        self.assertIn("at most 1", err)

    def test_bad_options(self):
        _, err = self.usage_error("policy", "check", "--format", "xml", KAPSEL)
        self.assertIn("'xml' is not one of text, json, csv", err)
        _, err = self.usage_error("policy", "check", KAPSEL, "--format")
        self.assertIn("needs a value", err)
        _, err = self.usage_error("policy", "check", "--formt", "json", KAPSEL)
        self.assertIn('did you mean "--format"?', err)
        _, err = self.usage_error("policy", "check", "--format=json", "--format=csv", KAPSEL)
        self.assertIn("more than once", err)
        _, err = self.usage_error("policy", "check", "--format=", KAPSEL)
        _, err = self.usage_error("policy", "purposes", "--purpose", "x", KAPSEL)
        self.assertIn("has no option '--purpose'", err)
        _, err = self.usage_error("version", "--format", "json")

    def test_double_dash_ends_options(self):
        _, err = self.usage_error("policy", "check", "--", "--format")
        self.assertIn("--format does not exist", err)

    def test_garbage_arguments_never_crash(self):
        weird = ["", "-", "--", "---", "-x", "--format=", "=", "policy", "\x01", "ü", "help",
                 "version", "check", "rights", "--purpose", "--help", "/", ".", KAPSEL]
        # Every word in both places, a quarter of the pairs (each launch costs
        # ~0.3 s under the sanitizers).
        pairs = [(a, b) for i, a in enumerate(weird) for j, b in enumerate(weird)
                 if (i + 3 * j) % 4 == 0]
        for a, b in pairs:
            with self.subTest(a=a, b=b):
                rc, _, _ = run("policy", a, b, stdin=b"")
                self.assertIn(rc, (0, 1, 2), f"policy {a!r} {b!r}")
                rc, _, _ = run(a, b, stdin=b"")
                self.assertIn(rc, (0, 1, 2), f"{a!r} {b!r}")


class PolicyCheck(CliTestCase):
    def test_clean_policy_exits_zero(self):
        out, err = self.run_ok("policy", "check", KAPSEL)
        self.assertEqual(out, f"{KAPSEL}: 0 errors, 0 warnings, 0 infos (valid)\n")
        self.assertEqual(err, "")

    def test_findings_are_printed_with_file_line_severity_code(self):
        out, _ = self.run_ok("policy", "check", KONTAKT, code=1)
        lines = out.splitlines()
        findings = [FINDING_LINE.match(line) for line in lines[:-1]]
        self.assertTrue(all(findings), out)
        self.assertEqual([(m["sev"], m["code"]) for m in findings], [
            ("error", "missing-art6-basis"),
            ("error", "special-category-without-condition"),
            ("error", "cpr-without-dbl-11"),
            ("error", "missing-art6-basis"),
            ("warning", "legitimate-interest-without-balancing-test"),
            ("info", "no-access-grant"),
            ("info", "no-access-grant"),
        ])
        for m in findings:
            self.assertEqual(m["file"], KONTAKT)
            self.assertGreater(int(m["line"]), 0)
        # The purpose is named in the message.
        self.assertIn('purpose "video-consultation"', findings[0]["msg"])
        # Lines point into the file: the first finding is at the video-consultation purpose.
        with open(KONTAKT, encoding="utf-8") as f:
            text = f.read().splitlines()
        self.assertIn("purposes {", text[int(findings[0]["line"]) - 1])
        self.assertEqual(lines[-1], f"{KONTAKT}: 4 errors, 1 warning, 2 infos (invalid)")

    def test_warnings_alone_exit_zero(self):
        path = self.write("warn.textproto", """
            controller { name: "C" }
            teams { id: "t" }
            purposes { id: "p" title: "P" categories: "contact" data_subjects: "patients"
                       basis: "A6-1-f" access { team: "t" } }
        """)
        out, _ = self.run_ok("policy", "check", path)
        self.assertIn("warning [legitimate-interest-without-balancing-test]", out)
        self.assertIn("warning [missing-retention]", out)
        self.assertIn("0 errors, 2 warnings, 0 infos (valid)", out)

    def test_several_files_and_summary(self):
        out, _ = self.run_ok("policy", "check", KAPSEL, KONTAKT, MEDCOM, PRACTIO, KLYNGE,
                             KONTAKT_JSON, code=1)
        self.assertIn(f"{KAPSEL}: 0 errors, 0 warnings, 0 infos (valid)", out)
        self.assertIn(f"{MEDCOM}: 3 errors, 6 warnings, 8 infos (invalid)", out)
        self.assertIn(f"{PRACTIO}: 2 errors, 7 warnings, 15 infos (invalid)", out)
        self.assertIn(f"{KLYNGE}: 6 errors, 4 warnings, 1 info (invalid)", out)
        self.assertIn(f"{KONTAKT_JSON}: 4 errors, 1 warning, 2 infos (invalid)", out)
        self.assertTrue(out.endswith("checked 6 files: 19 errors, 19 warnings, 28 infos\n"), out)

    def test_missing_file(self):
        missing = os.path.join(self.tmp.name, "nope.textproto")
        out, err = self.usage_error("policy", "check", missing)
        self.assertIn(missing, err)
        self.assertIn("does not exist", err)
        self.assertIn("not checked", out)

    def test_unreadable_file_wins_over_findings_but_others_are_checked(self):
        missing = os.path.join(self.tmp.name, "nope.textproto")
        out, err = self.usage_error("policy", "check", KONTAKT, missing, KAPSEL)
        self.assertIn(f"{KONTAKT}: 4 errors", out)
        self.assertIn(f"{KAPSEL}: 0 errors", out)
        self.assertIn("1 could not be read or parsed", out)

    def test_malformed_textproto_names_file_and_line(self):
        path = self.write("bad.textproto", 'controller { name: "C" }\npurposes {\n  id: "p"\n'
                                           '  bassis: "A6-1-a"\n}\n')
        out, err = self.usage_error("policy", "check", path)
        self.assertIn(f"{path}:4:", err)
        self.assertIn("bassis", err)
        self.assertIn("did you mean: basis", err)

    def test_malformed_json_names_file_and_line(self):
        path = self.write("bad.json", '{\n  "purposes": [\n    {"id": "p",}\n  ]\n}\n')
        _, err = self.usage_error("policy", "check", path)
        self.assertIn(f"{path}:3:", err)

    def test_truncated_empty_binary_and_directory_inputs(self):
        with open(PRACTIO, encoding="utf-8") as f:
            practio = f.read()
        cases = {
            # Cut inside the first purpose, so a brace stays open.
            "truncated.textproto": practio[: practio.index("purposes {") + 30],
            "empty.textproto": "",
            "blank.json": "  \n\t\n",
            "binary.textproto": b"\x00\x01\x02\xff\xfe garbage",
            "latin1.textproto": 'controller { name: "K\xf8ge" }'.encode("latin-1"),
        }
        for name, content in cases.items():
            with self.subTest(name=name):
                path = self.write(name, content)
                _, err = self.usage_error("policy", "check", path)
                self.assertIn(path, err)
        _, err = self.usage_error("policy", "check", self.tmp.name)
        self.assertIn("directory", err)

    def test_json_output(self):
        missing = os.path.join(self.tmp.name, "nope.json")
        rc, out, _ = run("policy", "check", "--format", "json", KAPSEL, KONTAKT, missing)
        self.assertEqual(rc, 2)
        doc = json.loads(out)
        files = doc["files"]
        self.assertEqual([f["file"] for f in files], [KAPSEL, KONTAKT, missing])
        self.assertEqual(files[0]["findings"], [])
        self.assertTrue(files[0]["valid"])
        self.assertFalse(files[1]["valid"])
        self.assertEqual(files[1]["errors"], 4)
        self.assertEqual(len(files[1]["findings"]), 7)
        first = files[1]["findings"][0]
        self.assertEqual(set(first), {"severity", "severity_title", "code", "title", "purpose",
                                      "field", "file", "line", "message"})
        self.assertEqual((first["severity_title"], first["title"]), ("error", "No Art. 6(1) basis"))
        self.assertEqual(first["purpose"], "video-consultation")
        self.assertEqual(first["field"], "purposes[0].basis")
        self.assertFalse(files[2]["loaded"])
        self.assertIn("does not exist", files[2]["load_error"])
        self.assertEqual(doc["summary"], {"files": 3, "unreadable": 1, "errors": 4,
                                          "warnings": 1, "infos": 2})

    def test_json_output_escapes(self):
        path = self.write("esc.textproto",
                          'purposes { id: "q\\"uote\\\\back\\tslash\\001" title: "T" }')
        rc, out, _ = run("policy", "check", "--format=json", path)
        self.assertEqual(rc, 1)
        doc = json.loads(out)
        purposes = {f["purpose"] for f in doc["files"][0]["findings"]}
        self.assertIn('q"uote\\back\tslash\x01', purposes)

    def test_csv_output(self):
        rc, out, _ = run("policy", "check", "--format", "csv", KONTAKT, KAPSEL)
        self.assertEqual(rc, 1)
        rows = list(csv.reader(io.StringIO(out, newline="")))
        self.assertEqual(rows[0], ["file", "line", "severity", "code", "purpose", "field",
                                   "message", "title"])
        self.assertEqual(len(rows), 1 + 7)
        self.assertEqual(rows[1][:5], [KONTAKT, rows[1][1], "error", "missing-art6-basis",
                                       "video-consultation"])
        self.assertIn('purpose "video-consultation"', rows[1][6])  # quotes survive
        missing = os.path.join(self.tmp.name, "nope.textproto")
        rc, out, _ = run("policy", "check", "--format", "csv", missing)
        self.assertEqual(rc, 2)
        rows = list(csv.reader(io.StringIO(out, newline="")))
        self.assertEqual(rows[1][:4], [missing, "", "fatal", "load-error"])

    def test_stdin(self):
        with open(KAPSEL, "rb") as f:
            out, _ = self.run_ok("policy", "check", "-", stdin=f.read())
        self.assertEqual(out, "<stdin>: 0 errors, 0 warnings, 0 infos (valid)\n")
        with open(KONTAKT_JSON, "rb") as f:
            out, _ = self.run_ok("policy", "check", "-", stdin=f.read(), code=1)
        self.assertIn("<stdin>:", out)
        self.assertIn("4 errors", out)
        _, err = self.usage_error("policy", "check", "-", stdin=b"")
        self.assertIn("<stdin>", err)

    def test_json_and_textproto_give_the_same_findings(self):
        def findings(path):
            rc, out, _ = run("policy", "check", "--format", "json", path)
            self.assertEqual(rc, 1)
            return [(f["severity"], f["code"], f["purpose"], f["field"], f["message"])
                    for f in json.loads(out)["files"][0]["findings"]]
        self.assertEqual(findings(KONTAKT), findings(KONTAKT_JSON))

    @unittest.skipUnless(os.path.exists("/dev/full"), "needs /dev/full")
    def test_write_error_is_reported(self):
        with open("/dev/full", "wb") as full:
            rc, _, err = run("policy", "check", KAPSEL, stdout=full)
        self.assertEqual(rc, 2)
        self.assertIn("cannot write to standard output", err)


class PolicyRights(CliTestCase):
    def table(self, out):
        """Parses the text table: {purpose: {right: 'yes'|'no'}}."""
        lines = out.splitlines()
        header_at = next(i for i, line in enumerate(lines) if line.startswith("purpose "))
        header = lines[header_at].split()
        self.assertEqual(header, ["purpose"] + RIGHT_CODES)
        rows = {}
        for line in lines[header_at + 1:]:
            if not line.strip():
                break
            cells = line.split()
            rows[cells[0]] = dict(zip(RIGHT_CODES, cells[1:]))
        return rows

    def test_text_table_and_reasons(self):
        out, err = self.run_ok("policy", "rights", KONTAKT)
        rows = self.table(out)
        self.assertEqual(list(rows), ["video-consultation", "troubleshooting-and-improvement",
                                      "fetch-from-other-controllers",
                                      "compliance-and-documentation"])
        usage = rows["troubleshooting-and-improvement"]
        self.assertEqual(usage["A21"], "yes")
        self.assertEqual(usage["A20"], "no")
        self.assertIn("Where a right does not apply:", out)
        self.assertRegex(out, r"troubleshooting-and-improvement \(basis: A6-1-f\)\n"
                              r"(    .*\n)*    A20  Art\. 20\(1\)\(a\)")
        self.assertIn("fetch-from-other-controllers (basis: none recorded)", out)
        # The policy has errors: a note says so, on stderr.
        self.assertIn("gdprkit: note:", err)
        self.assertIn("4 validation errors", err)
        self.assertNotIn(" \n", out)  # no trailing blanks

    def test_every_no_has_a_reason(self):
        out, _ = self.run_ok("policy", "rights", PRACTIO)
        rows = self.table(out)
        self.assertEqual(len(rows), 19)
        reasons = out.split("Where a right does not apply:\n", 1)[1]
        blocks = re.split(r"^  (?=\S)", reasons, flags=re.M)
        listed = {}
        for block in blocks:
            if not block.strip():
                continue
            purpose = block.split(" ", 1)[0]
            listed[purpose] = re.findall(r"^    (A\d+|A7-3)\s", block, flags=re.M)
        for purpose, cells in rows.items():
            nos = [code for code in RIGHT_CODES if cells[code] == "no"]
            self.assertEqual(listed.get(purpose, []), nos, purpose)

    def test_single_purpose_json(self):
        out, err = self.run_ok("policy", "rights", "--purpose", "patient-record", "--format",
                               "json", PRACTIO)
        doc = json.loads(out)
        self.assertEqual(doc["file"], PRACTIO)
        self.assertEqual(len(doc["purposes"]), 1)
        p = doc["purposes"][0]
        self.assertEqual(p["id"], "patient-record")
        self.assertIn("DK-BEK-530-2018", p["basis"])
        rights = {r["right"]: r for r in p["rights"]}
        self.assertEqual(list(rights), RIGHT_CODES)
        self.assertFalse(rights["A17"]["applies"])
        self.assertIn("Art. 17(3)", rights["A17"]["reason"])
        self.assertTrue(rights["A16"]["applies"])

    def test_research_contact_consent(self):
        out, _ = self.run_ok("policy", "rights", "--purpose=research-contact", PRACTIO)
        rows = self.table(out)
        self.assertEqual(rows["research-contact"]["A7-3"], "yes")
        self.assertEqual(rows["research-contact"]["A20"], "yes")

    def test_csv(self):
        out, _ = self.run_ok("policy", "rights", "--format", "csv", KAPSEL)
        rows = list(csv.DictReader(io.StringIO(out, newline="")))
        self.assertEqual(len(rows), 3 * len(RIGHT_CODES))
        by = {(r["purpose"], r["right"]): r for r in rows}
        self.assertEqual(by[("quality-advice-data", "A20")]["applies"], "yes")
        self.assertEqual(by[("quality-advice-data", "A21")]["applies"], "no")
        self.assertIn("Art. 21(1)", by[("quality-advice-data", "A21")]["reason"])

    def test_unknown_purpose(self):
        _, err = self.usage_error("policy", "rights", "--purpose", "patient-recrd", PRACTIO)
        self.assertIn('no purpose "patient-recrd"', err)
        self.assertIn('"patient-record"', err)

    def test_unreadable(self):
        _, err = self.usage_error("policy", "rights", os.path.join(self.tmp.name, "x.json"))
        self.assertIn("does not exist", err)


class PolicyPurposes(CliTestCase):
    def test_text(self):
        out, err = self.run_ok("policy", "purposes", KONTAKT)
        self.assertEqual(err, "")
        self.assertIn("video-consultation               (none)  Udbyde", out)
        self.assertIn("fetch-from-other-controllers     (none)", out)
        self.assertTrue(out.endswith("\n4 purposes\n"))

    def test_json_and_csv(self):
        out, _ = self.run_ok("policy", "purposes", "--format", "json", PRACTIO)
        doc = json.loads(out)
        self.assertEqual(doc["controller"], "Practio ApS")
        self.assertEqual(len(doc["purposes"]), 19)
        record = next(p for p in doc["purposes"] if p["id"] == "patient-record")
        self.assertEqual(record["retention"], "patient-record-and-treatment-contact-10-years")
        self.assertEqual(len(record["basis"]), len(record["basis_titles"]))
        self.assertIn("BEK nr 530", record["basis_titles"][1])
        out, _ = self.run_ok("policy", "purposes", "--format", "csv", MEDCOM)
        rows = list(csv.DictReader(io.StringIO(out, newline="")))
        self.assertEqual(len(rows), 8)
        self.assertEqual(rows[0]["basis"], "A6-1-b A6-1-f")

    def test_control_characters_do_not_reach_the_terminal(self):
        path = self.write("ctl.textproto",
                          'purposes { id: "p" title: "red \\033[31m text\\nnext" basis: "A6-1-a" }')
        out, _ = self.run_ok("policy", "purposes", path)
        self.assertNotIn("\x1b", out)
        self.assertIn("red ?[31m text next", out)


class Danish(CliTestCase):
    """--lang da (issue #11): titles in Danish at every policy command; codes,
    messages and reasons as in English; text output shows titles only when
    --lang is given."""

    def test_check(self):
        default, _ = self.run_ok("policy", "check", KONTAKT, code=1)
        out, _ = self.run_ok("policy", "check", "--lang", "da", KONTAKT, code=1)
        self.assertIn(": fejl [missing-art6-basis] Intet behandlingsgrundlag efter art. 6, stk. 1: ",
                      out)
        self.assertNotIn("Intet behandlingsgrundlag", default)
        for line in default.splitlines():  # the English default is unchanged
            if FINDING_LINE.match(line):
                self.assertNotIn("No Art. 6(1) basis", line)
        english, _ = self.run_ok("policy", "check", "--lang", "en", KONTAKT, code=1)
        self.assertIn(": error [missing-art6-basis] No Art. 6(1) basis: ", english)
        doc = json.loads(self.run_ok("policy", "check", "--lang=da", "--format", "json", KONTAKT,
                                     code=1)[0])
        finding = next(f for f in doc["files"][0]["findings"] if f["code"] == "missing-art6-basis")
        self.assertEqual((finding["severity"], finding["severity_title"], finding["title"]),
                         ("error", "fejl", "Intet behandlingsgrundlag efter art. 6, stk. 1"))
        out, _ = self.run_ok("policy", "check", "--lang", "da", "--format", "csv", KONTAKT, code=1)
        rows = list(csv.DictReader(io.StringIO(out, newline="")))
        row = next(r for r in rows if r["code"] == "missing-art6-basis")
        self.assertEqual((row["severity"], row["title"]),
                         ("error", "Intet behandlingsgrundlag efter art. 6, stk. 1"))

    def test_rights(self):
        out, _ = self.run_ok("policy", "rights", "--lang", "da", PRACTIO)
        self.assertIn("  A17  Art. 17: Ret til sletning\n", out)
        self.assertIn("Art. 17(3)(b)", out)  # reasons stay English
        default, _ = self.run_ok("policy", "rights", PRACTIO)
        self.assertNotIn("Art. 17: right to erasure", default)
        doc = json.loads(self.run_ok("policy", "rights", "--lang", "da", "--format", "json",
                                     "--purpose", "patient-record", PRACTIO)[0])
        erasure = doc["purposes"][0]["rights"][4]
        self.assertEqual((erasure["right"], erasure["title"]), ("A17", "Art. 17: Ret til sletning"))
        out, _ = self.run_ok("policy", "rights", "--lang", "da", "--format", "csv", PRACTIO)
        rows = list(csv.DictReader(io.StringIO(out, newline="")))
        self.assertEqual({r["title"] for r in rows if r["right"] == "A20"},
                         {"Art. 20: Ret til dataportabilitet"})

    def test_purposes(self):
        out, _ = self.run_ok("policy", "purposes", "--lang", "da", PRACTIO)
        self.assertIn("    A6-1-c: Art. 6, stk. 1, litra c: retlig forpligtelse\n", out)
        doc = json.loads(self.run_ok("policy", "purposes", "--lang", "da", "--format", "json",
                                     PRACTIO)[0])
        record = next(p for p in doc["purposes"] if p["id"] == "patient-record")
        self.assertEqual(record["basis"][0], "A6-1-c")
        self.assertEqual(record["basis_titles"][0], "Art. 6, stk. 1, litra c: retlig forpligtelse")
        self.assertIn("BEK nr 530", record["basis_titles"][1])  # declared: as written
        out, _ = self.run_ok("policy", "purposes", "--lang", "da", "--format", "csv", PRACTIO)
        rows = list(csv.DictReader(io.StringIO(out, newline="")))
        row = next(r for r in rows if r["purpose"] == "patient-record")
        self.assertTrue(row["basis_titles"].startswith("Art. 6, stk. 1, litra c: "))

    def test_unknown_language_is_a_usage_error(self):
        for command in ("check", "rights", "purposes"):
            _, err = self.usage_error("policy", command, "--lang", "sv", KAPSEL)
            self.assertIn("--lang", err)
            self.assertIn('"da"', err)
        out, _ = self.run_ok("policy", "rights", "--help")
        self.assertIn("--lang LANG", out)


if __name__ == "__main__":
    if not CLI or not EXAMPLES:
        raise SystemExit("set GDPRKIT_CLI and GDPRKIT_EXAMPLES_DIR (see the module docstring)")
    unittest.main(verbosity=2)
