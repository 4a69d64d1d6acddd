#!/usr/bin/env python3
"""Careless input at the command line (issue #9, item 13), run as a user runs it.

Every command reads CSV through one RFC 4180 reader (tools/cli_csv.h): a UTF-8
byte-order mark (Excel's "CSV UTF-8") is skipped, the delimiter is detected
from the header line (comma, semicolon as Danish Excel writes it, tab) or given
by --delimiter, the delimiter may be quoted inside a field, and a ragged row is
an error naming the file, the line and both field counts (never a value).
Secret files (--passphrase-file, --key-file, --exported-key) that are missing,
directories, unreadable or empty each get their own message.

Environment (set by tests/cli/CMakeLists.txt; by hand:
  GDPRKIT_CLI=build/gdprkit GDPRKIT_EXAMPLES_DIR=examples python3 tests/cli/input_cli_test.py):
  GDPRKIT_CLI           path of the gdprkit executable
  GDPRKIT_EXAMPLES_DIR  the repository's examples/ folder

Standard library only. The identifiers are the synthetic ones of
examples/identifiers/ (made up, valid by the rules)."""

import csv
import io
import os
import shutil
import subprocess
import tempfile
import unittest

CLI = os.environ.get("GDPRKIT_CLI", "")
EXAMPLES = os.environ.get("GDPRKIT_EXAMPLES_DIR", "")
PATIENTS = os.path.join(EXAMPLES, "identifiers", "patients.csv")
CLUSTER = os.path.join(EXAMPLES, "tables", "cluster_age.csv")
HRC = os.path.join(EXAMPLES, "tables", "practice.hrc")
HIER_CSV = os.path.join(EXAMPLES, "tables", "practice_hierarchy.csv")
KAPSEL = os.path.join(EXAMPLES, "policies", "kapsel.textproto")
KAPSEL_RECORDS = os.path.join(EXAMPLES, "records", "kapsel_records.csv")
PASS = "synthetic passphrase for the input test"
DOMAIN = "klynge-aarhus-2026"
BOM = "\ufeff"

# patients.csv's rows: (cpr, ydernummer, visits).
with open(PATIENTS, encoding="utf-8") as _f:
    ROWS = list(csv.reader(_f))
HEADER, DATA = ROWS[0], ROWS[1:]


def run(*args, stdin=None, env=None):
    e = dict(os.environ)
    e["VAULT_TEST_PASS"] = PASS
    e.update(env or {})
    proc = subprocess.run([CLI, *args], input=stdin.encode() if isinstance(stdin, str) else stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e, timeout=240,
                          start_new_session=True)  # no controlling terminal: no prompt
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def table(rows, delimiter=",", bom=False, eol="\r\n"):
    """CSV text of `rows` as Excel writes it with `delimiter`."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=eol).writerows(rows)
    return (BOM if bom else "") + buf.getvalue()


class InputCliTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="gdprkit_input_cli_")
        self.vault = os.path.join(self.dir, "v.vault")
        self.ok("vault", "create", self.vault, *self.pw(), "--kdf", "tests_only", "--domain",
                DOMAIN)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def pw(self):
        return ("--passphrase-env", "VAULT_TEST_PASS")

    def write(self, name, text, mode=0o600):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def ok(self, *args, code=0, stdin=None, env=None):
        """Runs gdprkit; `code` None accepts 0 and 1 (a negative answer)."""
        rc, out, err = run(*args, stdin=stdin, env=env)
        self.assertIn(rc, (0, 1) if code is None else (code,),
                      f"gdprkit {' '.join(args)}\nstdout:\n{out}\nstderr:\n{err}")
        self.assertNotIn(PASS, out + err)
        return out, err

    def fails(self, *args, code=2, stdin=None, env=None):
        rc, out, err = run(*args, stdin=stdin, env=env)
        self.assertEqual(rc, code, f"gdprkit {' '.join(args)}\nstdout:\n{out}\nstderr:\n{err}")
        self.assertIn("gdprkit: error: ", err)
        self.assertEqual(out, "", "nothing on standard output on errors")
        self.assertNotIn(PASS, err)
        return err

    def no_identifier_in(self, text):
        for row in DATA:
            self.assertNotIn(row[0], text)
            self.assertNotIn(row[0].replace("-", ""), text)

    def pseudonymise(self, path, *extra):
        out, _ = self.ok("vault", "pseudonymise", self.vault, path, "--domain", DOMAIN,
                         "--column", "cpr", *self.pw(), *extra)
        return out

    def reference(self):
        """The pseudonyms of patients.csv's CPR column, one per line."""
        lines = "".join(r[0] + "\n" for r in DATA)
        out, _ = self.ok("vault", "pseudonymise", self.vault, "--domain", DOMAIN, *self.pw(),
                         stdin=lines)
        return out.splitlines()

    # ---- Byte-order mark ---------------------------------------------------------

    def test_bom_is_skipped_in_csv_and_kept_in_the_output(self):
        path = self.write("bom.csv", table(ROWS, bom=True))
        out = self.pseudonymise(path)
        self.assertTrue(out.startswith(BOM), "the output keeps the input's byte-order mark")
        rows = list(csv.reader(io.StringIO(out[1:])))
        self.assertEqual(rows[0], HEADER)
        self.assertEqual([r[0] for r in rows[1:]], self.reference())
        self.assertEqual([r[1:] for r in rows[1:]], [r[1:] for r in DATA])
        # id check over a BOM'd column and a BOM'd list of values.
        self.ok("id", "check", "--column", "cpr", path)
        lines = self.write("bom.txt", BOM + "".join(r[0] + "\n" for r in DATA))
        out, _ = self.ok("id", "check", lines)
        self.assertIn(f"{len(DATA)} cpr values, 0 rejected", out)

    def test_bom_in_suppress_tables_and_hierarchies(self):
        with open(CLUSTER, encoding="utf-8") as f:
            text = f.read()
        with open(HIER_CSV, encoding="utf-8") as f:
            hier = f.read()
        with open(HRC, encoding="utf-8") as f:
            hrc = f.read()
        plain, _ = self.ok("suppress", CLUSTER, "--dims", "practice,age", "--hierarchy",
                           f"practice={HIER_CSV}", "--format", "csv")
        for name, body, h_name, h_body in (("t.csv", BOM + text, "h.csv", BOM + hier),
                                           ("t2.csv", BOM + text, "h.hrc", BOM + hrc)):
            out, _ = self.ok("suppress", self.write(name, body), "--dims", "practice,age",
                             "--hierarchy", f"practice={self.write(h_name, h_body)}",
                             "--format", "csv")
            self.assertEqual(out, plain)

    def test_bom_in_policy_files(self):
        policies = os.path.join(EXAMPLES, "policies")
        for name in ("kapsel.textproto", "kontakt_laege.json", "medcom.textproto"):
            with open(os.path.join(policies, name), encoding="utf-8") as f:
                text = f.read()
            plain, _ = self.ok("policy", "check", "--format", "json",
                               os.path.join(policies, name), code=None)
            path = self.write(name, BOM + text)
            out, _ = self.ok("policy", "check", "--format", "json", path, code=None)
            self.assertEqual(out.replace(path, "P"),
                             plain.replace(os.path.join(policies, name), "P"), name)
            out, _ = self.ok("policy", "check", "--format", "json", "-", code=None,
                             stdin=BOM + text)
            self.assertEqual(out.replace("<stdin>", "P"),
                             plain.replace(os.path.join(policies, name), "P"), name)
        # retention sweep --policy reads it the same way.
        with open(KAPSEL, encoding="utf-8") as f:
            policy = self.write("kapsel.textproto", BOM + f.read())
        plain, _ = self.ok("retention", "sweep", "--policy", KAPSEL, "--records",
                           KAPSEL_RECORDS, "--on", "2027-03-01", "--format", "csv")
        out, _ = self.ok("retention", "sweep", "--policy", policy, "--records",
                         KAPSEL_RECORDS, "--on", "2027-03-01", "--format", "csv")
        self.assertEqual(out, plain)

    # ---- Delimiters ----------------------------------------------------------------

    def test_semicolon_and_tab_files_give_the_same_result(self):
        ref = self.reference()
        for delimiter, name in ((";", "semi.csv"), ("\t", "tab.tsv"), (",", "comma.csv")):
            for bom in (False, True):
                path = self.write(name, table(ROWS, delimiter, bom=bom))
                out = self.pseudonymise(path)
                if bom:
                    out = out[1:]
                rows = list(csv.reader(io.StringIO(out), delimiter=delimiter))
                self.assertEqual(rows[0], HEADER, f"{name} bom={bom}")
                self.assertEqual([r[0] for r in rows[1:]], ref, f"{name} bom={bom}")
                self.assertEqual([r[1:] for r in rows[1:]], [r[1:] for r in DATA])
                # The output is in the input's delimiter.
                self.assertIn(delimiter, out.splitlines()[0])

    def test_explicit_delimiter(self):
        # A header with more commas than semicolons, in a semicolon file: only
        # --delimiter can say so.
        rows = [["cpr", "note, free text, with commas"]] + [[r[0], "x"] for r in DATA]
        path = self.write("odd.csv", table(rows, ";"))
        err = self.fails("vault", "pseudonymise", self.vault, path, "--domain", DOMAIN,
                         "--column", "cpr", *self.pw())
        self.assertIn("odd.csv:2: 1 field; the header has 3 (comma-separated)", err)
        self.no_identifier_in(err)
        for value in ("semicolon", ";"):
            out = self.pseudonymise(path, "--delimiter", value)
            got = list(csv.reader(io.StringIO(out), delimiter=";"))
            self.assertEqual([r[0] for r in got[1:]], self.reference())
            self.assertEqual(got[0], rows[0])
        # auto is the default; an unknown value and --delimiter without --column
        # are usage errors.
        self.pseudonymise(self.write("plain.csv", table(ROWS)), "--delimiter", "auto")
        self.fails("vault", "pseudonymise", self.vault, path, "--domain", DOMAIN, "--column",
                   "cpr", "--delimiter", "pipe", *self.pw())
        err = self.fails("vault", "pseudonymise", self.vault, path, "--domain", DOMAIN,
                         "--delimiter", ";", *self.pw())
        self.assertIn("--column", err)

    def test_missing_column_names_no_value(self):
        # A file without a header: its first line is data, not column names.
        path = self.write("headerless.csv", table(DATA, ";"))
        err = self.fails("vault", "tokenise", self.vault, path, "--domain", DOMAIN, "--column",
                         "cpr", *self.pw())
        self.assertIn('no column "cpr"', err)
        self.assertIn("semicolon-separated", err)
        self.no_identifier_in(err)

    def test_quoted_fields_hold_the_delimiter(self):
        for delimiter in (",", ";", "\t"):
            rows = [["name" + delimiter + "first", "cpr", "visits"]]
            rows += [[f"Hansen{delimiter} Jens \"J\"", r[0], r[2]] for r in DATA]
            path = self.write("quoted.csv", table(rows, delimiter))
            out = self.pseudonymise(path)
            got = list(csv.reader(io.StringIO(out), delimiter=delimiter))
            self.assertEqual(got[0], rows[0])
            self.assertEqual([r[1] for r in got[1:]], self.reference())
            self.assertEqual([r[0] for r in got[1:]], [r[0] for r in rows[1:]])
            self.assertEqual([r[2] for r in got[1:]], [r[2] for r in rows[1:]])

    def test_suppress_reads_semicolon_and_tab_tables(self):
        with open(CLUSTER, encoding="utf-8") as f:
            rows = list(csv.reader(f))
        plain, _ = self.ok("suppress", CLUSTER, "--dims", "practice,age", "--hierarchy",
                           f"practice={HRC}", "--format", "csv")
        for delimiter in (";", "\t"):
            path = self.write("t.csv", table(rows, delimiter, bom=True))
            out, _ = self.ok("suppress", path, "--dims", "practice,age", "--hierarchy",
                             f"practice={HRC}", "--format", "csv")
            self.assertEqual(out, plain)
        with open(HIER_CSV, encoding="utf-8") as f:
            pairs = list(csv.reader(f))[2:]
        hier = self.write("h.csv", "code;parent\r\nTotal;\r\n" + "".join(
            f"{code};{parent}\r\n" for code, parent in pairs))
        with_csv_hier, _ = self.ok("suppress", CLUSTER, "--dims", "practice,age", "--hierarchy",
                                   f"practice={HIER_CSV}", "--format", "csv")
        out, _ = self.ok("suppress", path, "--delimiter", "tab", "--dims", "practice,age",
                         "--hierarchy", f"practice={hier}", "--format", "csv")
        self.assertEqual(out, with_csv_hier)

    def test_retention_sweep_reads_semicolons(self):
        with open(KAPSEL_RECORDS, encoding="utf-8") as f:
            rows = list(csv.reader(f))
        plain, _ = self.ok("retention", "sweep", "--policy", KAPSEL, "--records",
                           KAPSEL_RECORDS, "--on", "2027-03-01", "--format", "csv")
        path = self.write("records.csv", table(rows, ";", bom=True))
        out, _ = self.ok("retention", "sweep", "--policy", KAPSEL, "--records", path, "--on",
                         "2027-03-01", "--format", "csv")
        self.assertEqual(out, plain)

    # ---- Ragged rows ---------------------------------------------------------------

    def test_ragged_rows_are_errors_naming_file_line_and_counts(self):
        for delimiter in (",", ";"):
            longer = [list(r) for r in ROWS]
            longer[3] = longer[3] + ["extra"]
            path = self.write("long.csv", table(longer, delimiter))
            for cmd in (("vault", "pseudonymise", self.vault, path, "--domain", DOMAIN,
                         "--column", "cpr", *self.pw()),
                        ("id", "check", "--column", "cpr", path)):
                err = self.fails(*cmd)
                self.assertIn("long.csv:4: 4 fields; the header has 3", err)
                self.no_identifier_in(err)
                self.assertNotIn("extra", err)
            shorter = [list(r) for r in ROWS]
            shorter[2] = shorter[2][:1]
            path = self.write("short.csv", table(shorter, delimiter))
            err = self.fails("vault", "tokenise", self.vault, path, "--domain", DOMAIN,
                             "--column", "cpr", *self.pw())
            self.assertIn("short.csv:3: 1 field; the header has 3", err)
            self.no_identifier_in(err)
        # Nothing was issued by the failed tokenise.
        out, _ = self.ok("vault", "domains", self.vault, "--format", "csv", *self.pw())
        self.assertEqual(list(csv.DictReader(io.StringIO(out)))[0]["tokens"], "0")
        # A quoted field over two lines counts its lines.
        path = self.write("multi.csv", 'note,cpr\r\n"a\r\nb",' + DATA[0][0] + "\r\nx\r\n")
        err = self.fails("id", "check", "--column", "cpr", path)
        self.assertIn("multi.csv:4: 1 field; the header has 2", err)
        # suppress: a ragged table row.
        with open(CLUSTER, encoding="utf-8") as f:
            text = f.read().splitlines()
        text[5] += ";1"
        err = self.fails("suppress", self.write("t.csv", "\n".join(text) + "\n"), "--dims",
                         "practice,age")
        self.assertIn("t.csv:6:", err)

    def test_blank_lines(self):
        # Blank lines are skipped in multi-column files...
        path = self.write("blank.csv", table(ROWS[:3]) + "\r\n" + table(ROWS[3:]) + "\r\n")
        out = self.pseudonymise(path)
        self.assertEqual([r[0] for r in list(csv.reader(io.StringIO(out)))[1:]],
                         self.reference())
        # ...but in a one-column file a blank line is a missing value, named by
        # its line as in a plain list of values.
        one = self.write("one.csv", "cpr\r\n" + DATA[0][0] + "\r\n\r\n" + DATA[1][0] + "\r\n")
        out, _ = self.ok("id", "check", "--column", "cpr", one, code=1)
        self.assertIn("one.csv:3: empty", out)

    # ---- Secret files ----------------------------------------------------------------

    def test_passphrase_file_problems_each_have_their_message(self):
        args = ("vault", "verify-audit", self.vault, "--passphrase-file")
        err = self.fails(*args, self.dir)
        self.assertIn("is a directory", err)
        self.assertNotIn("empty", err)
        err = self.fails(*args, os.path.join(self.dir, "missing.txt"))
        self.assertIn("no such passphrase file", err)
        err = self.fails(*args, self.write("empty.txt", ""))
        self.assertIn("the passphrase file is empty", err)
        err = self.fails(*args, self.write("blank.txt", "\n" + PASS + "\n"))
        self.assertIn("first line of the passphrase file is empty", err)
        err = self.fails(*args, self.write("long.txt", "x" * 5000 + "\n"))
        self.assertIn("longer than 4096 bytes", err)
        if os.geteuid() != 0:  # root reads any file
            path = self.write("locked.txt", PASS + "\n", mode=0o000)
            err = self.fails(*args, path)
            self.assertIn("cannot be read", err)
        # A BOM and CRLF (Notepad) around the passphrase are not part of it.
        out, err = self.ok(*args, self.write("notepad.txt", BOM + PASS + "\r\nmore\r\n"))
        self.assertIn("audit trail intact", out)
        self.assertEqual(err, "")
        # Readable by others: it works, with a warning.
        out, err = self.ok(*args, self.write("shared.txt", PASS + "\n", mode=0o644))
        self.assertIn("audit trail intact", out)
        self.assertIn("gdprkit: warning: ", err)
        self.assertIn("can be read by other users", err)

    def test_key_file_problems(self):
        path = os.path.join(self.dir, "k.vault")
        key = self.write("host.key", "ab" * 32 + "\n")
        self.ok("vault", "create", path, "--key-file", key, "--domain", DOMAIN)
        bom_key = self.write("bom.key", BOM + "ab" * 32 + "\r\n")
        self.ok("vault", "verify-audit", path, "--key-file", bom_key)
        self.assertIn("is a directory",
                      self.fails("vault", "verify-audit", path, "--key-file", self.dir))
        self.assertIn("no such key file",
                      self.fails("vault", "verify-audit", path, "--key-file",
                                 os.path.join(self.dir, "nokey")))
        _, err = self.ok("vault", "verify-audit", path, "--key-file",
                         self.write("shared.key", "ab" * 32, mode=0o640))
        self.assertIn("can be read by other users", err)

    def test_exported_key_file_problems(self):
        self.assertIn("is a directory", self.fails("pseudonymise", "--exported-key", self.dir,
                                                   stdin=DATA[0][0] + "\n"))
        key = os.path.join(self.dir, "exported.key")
        self.ok("vault", "export-key", self.vault, "--domain", DOMAIN, "--reason", "test",
                "--output", key, *self.pw())
        with open(key, encoding="utf-8") as f:
            text = f.read()
        bom_key = self.write("bom.key", BOM + text)
        out, _ = self.ok("pseudonymise", "--exported-key", bom_key, stdin=DATA[0][0] + "\n")
        self.assertEqual(out.splitlines(), self.reference()[:1])

    # ---- Erasure while another program holds the vault ------------------------------

    def test_erase_warns_when_the_wal_is_not_truncated(self):
        import sqlite3

        self.ok("vault", "tokenise", self.vault, "--domain", DOMAIN, *self.pw(),
                stdin=DATA[0][0] + "\n")
        # Another program reading the vault holds the write-ahead log up.
        # (Read-only: a plain SQLite connection that could write would
        # checkpoint the log itself when it closes last.)
        reader = sqlite3.connect(f"file:{self.vault}?mode=ro", uri=True, isolation_level=None)
        try:
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
            out, err = self.ok("vault", "erase", self.vault, "--reason", "art. 17 request",
                               "--wait", "0.2", *self.pw(), stdin=DATA[0][0] + "\n")
            self.assertIn("erased 1 identifier: 1 token record removed", out)
            self.assertIn("gdprkit: warning: ", err)
            self.assertIn("write-ahead log", err)
            self.assertIn("gdprkit vault checkpoint", err)
            self.no_identifier_in(err)
            self.assertGreater(os.path.getsize(self.vault + "-wal"), 0)
            # While the reader goes on, checkpoint cannot truncate it: exit 1.
            err = self.fails("vault", "checkpoint", self.vault, "--wait", "0.1", *self.pw(),
                             code=1)
            self.assertIn("still reading", err)
        finally:
            reader.close()
        # What the warning advises truncates the log.
        out, _ = self.ok("vault", "checkpoint", self.vault, "--wait", "1", *self.pw())
        self.assertIn("checkpointed and truncated", out)
        self.assertFalse(os.path.exists(self.vault + "-wal") and
                         os.path.getsize(self.vault + "-wal") > 0)
        # A reader that finishes within --wait: erase truncates the log itself.
        self.ok("vault", "tokenise", self.vault, "--domain", DOMAIN, *self.pw(),
                stdin=DATA[1][0] + "\n")
        reader = sqlite3.connect(f"file:{self.vault}?mode=ro", uri=True, isolation_level=None,
                                 check_same_thread=False)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
        import threading

        timer = threading.Timer(0.5, reader.rollback)
        timer.start()
        try:
            out, err = self.ok("vault", "erase", self.vault, "--reason", "art. 17 request",
                               "--wait", "10", *self.pw(), stdin=DATA[1][0] + "\n")
        finally:
            timer.join()
            reader.close()
        self.assertIn("1 token record removed", out)
        self.assertNotIn("warning", err)
        # Alone, the erasure truncates the log: no warning.
        self.ok("vault", "tokenise", self.vault, "--domain", DOMAIN, *self.pw(),
                stdin=DATA[2][0] + "\n")
        out, err = self.ok("vault", "erase", self.vault, "--reason", "art. 17 request",
                           *self.pw(), stdin=DATA[2][0] + "\n")
        self.assertNotIn("warning", err)
        for bad in ("-1", "x", "nan", "1e9"):
            self.fails("vault", "erase", self.vault, "--reason", "x", "--wait", bad,
                       *self.pw(), stdin=DATA[2][0] + "\n")
        self.fails("vault", "erase", self.vault, "--reason", "x", "--busy-timeout", "-1",
                   *self.pw(), stdin=DATA[2][0] + "\n")

    def test_help_documents_the_delimiter(self):
        out, _ = self.ok("help")
        self.assertIn("semicolon", out)
        self.assertIn("--delimiter", out)
        for cmd in (("vault", "pseudonymise"), ("id", "check"), ("suppress",),
                    ("vault", "erase"), ("pseudonymise",)):
            out, _ = self.ok("help", *cmd)
            self.assertIn("--delimiter", out, cmd)
        out, _ = self.ok("help", "vault", "checkpoint")
        for text in ("--wait SECONDS", "write-ahead log", "vault erase", "Exits 1"):
            self.assertIn(text, out)
        out, _ = self.ok("help", "vault", "erase")
        self.assertIn("vault checkpoint", out)


if __name__ == "__main__":
    if not CLI:
        raise SystemExit("set GDPRKIT_CLI to the gdprkit executable")
    unittest.main()
