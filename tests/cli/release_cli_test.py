#!/usr/bin/env python3
"""Tests of `gdprkit release`: check, prepare, verify, show, digest.

check names the findings (a CPR number in a note, rows older than the maximum
age) by code, column and counts; prepare writes a file whose `release digest`
is the content digest the log recorded; verify names the entry of an edited
log; no CPR number of the input reaches any output, file or error.

Environment (set by tests/cli/CMakeLists.txt; by hand:
  GDPRKIT_CLI=build/gdprkit GDPRKIT_EXAMPLES_DIR=examples python3 tests/cli/release_cli_test.py):
  GDPRKIT_CLI           path of the gdprkit executable
  GDPRKIT_EXAMPLES_DIR  examples/ (the cluster guide's policy and practice.hrc)

Only the standard library. The numbers are made up."""

import hashlib
import json
import os
import stat
import subprocess
import tempfile
import unittest

CLI = os.environ.get("GDPRKIT_CLI", "")
EXAMPLES = os.environ.get("GDPRKIT_EXAMPLES_DIR", "examples")
POLICY = os.path.join(EXAMPLES, "policies", "klyngeguide.textproto")
ON = "2025-06-30"
HEADER = "patient_cpr,provider_number,practice,age,registered,note\n"
# Valid dates, so the scanner counts them (modulus 11 is not required).
CPRS = ["0101901234", "020285-4321", "150372-1111", "241299-2468"]
HIDDEN = "131180-2469"  # only in a note


def cpr_of(i):
    d = (i % 28) + 1
    return f"{d:02d}{(i % 12) + 1:02d}8{i % 10}-{1000 + i}"


def records(old=0, hidden=True, small=True):
    """Practices P01-P03 x two age bands, 6 rows per cell; one row of P04 (a
    small cell) when `small`; `old` rows registered in 2015."""
    lines = [HEADER]
    i = 0
    for practice in ("P01", "P02", "P03"):
        for age in ("18-39", "40-64"):
            for _ in range(6):
                lines.append(f"{cpr_of(i)},123456,{practice},{age},2024-0{1 + i % 9}-15,\n")
                i += 1
    if small:
        lines.append(f"{CPRS[0]},123456,P04,65-79,2023-05-01,\n")
    for k in range(old):
        lines.append(f"{CPRS[1 + k % 3]},654321,P01,18-39,2015-01-0{1 + k},\n")
    if hidden:
        lines.append(f"{CPRS[2]},123456,P02,18-39,2024-02-02,Ring til pt. {HIDDEN} i morgen\n")
    return "".join(lines)


def all_cprs(text):
    every = CPRS + [HIDDEN] + [cpr_of(i) for i in range(36)]
    return [c for c in every if c in text or c.replace("-", "") in text]


def run(*args, env=None):
    proc = subprocess.run([CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=300, env={**os.environ, **(env or {})})
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def chain_log(path, entries, key=b""):
    """Writes a release log as docs/release.md describes it, hashed here."""
    def h(prev, body):
        b = hashlib.blake2b(digest_size=32, key=key)
        b.update(prev + body.encode())
        return b.digest()
    mode = "plain"
    if key:
        kid = hashlib.blake2b(b"gdprkit release log key id v1", digest_size=8, key=key)
        mode = "keyed:" + kid.hexdigest()
    header = "gdprkit-release-log\t1\t" + "ab" * 16 + "\t" + mode
    head = h(b"", header)
    lines = [header]
    for seq, fields in enumerate(entries, 1):
        body = "\t".join([str(seq)] + fields)
        head = h(head, body)
        lines.append(body + "\t" + head.hex())
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return head.hex()


DIGEST = "blake2b-256:" + "c" * 64


def entry(release="cluster-view", rows_in=1000):
    return ["2025-06-30T10:00:00Z", release, DIGEST, DIGEST, ON, "table", "passed",
            str(rows_in), "32", "24", "7", "0", "0"]


class ReleaseCliTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.d = self.dir.name

    def tearDown(self):
        self.dir.cleanup()

    def write(self, name, text):
        path = os.path.join(self.d, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def read(self, name):
        with open(os.path.join(self.d, name), encoding="utf-8") as f:
            return f.read()

    def gate(self, command, data, *more):
        return run("release", command, "--policy", POLICY, "--release", "cluster-view",
                   "--on", ON, data, *more)

    # --- check -----------------------------------------------------------

    def test_check_finds_the_cpr_in_a_note_and_the_old_rows(self):
        data = self.write("raw.csv", records(old=3))
        rc, out, err = self.gate("check", data, "--format", "json")
        self.assertEqual(rc, 1, err)
        doc = json.loads(out)
        self.assertFalse(doc["passed"])
        by_code = {}
        for f in doc["findings"]:
            by_code.setdefault(f["code"], []).append(f)
        notes = [f for f in by_code["identifier-in-clear"] if f["column"] == "note"]
        self.assertEqual(len(notes), 1, by_code)
        self.assertEqual(notes[0]["kind"], "cpr")
        self.assertEqual(notes[0]["rows"], 1)
        self.assertEqual(by_code["too-old"][0]["column"], "registered")
        self.assertEqual(by_code["too-old"][0]["rows"], 3)
        self.assertEqual(all_cprs(out + err), [])
        # Text, with Danish titles.
        rc, out, err = self.gate("check", data, "--lang", "da")
        self.assertEqual(rc, 1, err)
        self.assertIn("does not pass", out)
        self.assertIn("identifier-in-clear", out)
        self.assertIn("column note kind cpr: rows 1", out)
        self.assertIn("too-old", out)
        self.assertEqual(all_cprs(out + err), [])

    def test_check_errors_exit_2(self):
        data = self.write("raw.csv", records())
        rc, _, err = run("release", "check", "--policy", POLICY, "--release", "cluster-veiw",
                         data)
        self.assertEqual(rc, 2)
        self.assertIn("cluster-view", err)  # the nearest id
        rc, _, err = run("release", "check", "--release", "cluster-view", data)
        self.assertEqual(rc, 2)
        self.assertIn("--policy is required", err)
        rc, _, err = self.gate("check", data, "--lang", "fr")
        self.assertEqual(rc, 2)
        self.assertIn("--lang", err)
        rc, _, err = self.gate("check", os.path.join(self.d, "missing.csv"))
        self.assertEqual(rc, 2)

    # --- prepare, digest, show, verify ------------------------------------

    def test_prepare_writes_the_file_the_log_names(self):
        data = self.write("raw.csv", records(old=2, hidden=True))
        out_csv = os.path.join(self.d, "out.csv")
        log = os.path.join(self.d, "releases.log")
        rc, out, err = self.gate("prepare", data, "--out", out_csv, "--log", log,
                                 "--format", "json")
        self.assertEqual(rc, 0, err)
        report = json.loads(out)
        self.assertTrue(report["audit_passed"])
        self.assertEqual(report["rows_too_old"], 2)
        self.assertEqual(report["log_seq"], 1)
        self.assertEqual(stat.S_IMODE(os.stat(out_csv).st_mode), 0o600)
        # The digest of the file written is the one the log recorded.
        rc, dig, err = run("release", "digest", out_csv)
        self.assertEqual(rc, 0, err)
        digest = dig.split()[0]
        self.assertEqual(digest, report["content_digest"])
        rc, shown, err = run("release", "show", log, "--last", "--format", "json")
        self.assertEqual(rc, 0, err)
        e = json.loads(shown)["entries"][0]
        self.assertEqual(e["content_digest"], digest)
        self.assertEqual(e["policy_digest"], report["policy_digest"])
        self.assertEqual(e["rows_dropped"], 2)
        self.assertEqual(e["release"], "cluster-view")
        self.assertEqual(e["hash"], report["log_hash"])
        rc, out2, err = run("release", "verify", log, "--expect-head", report["log_hash"])
        self.assertEqual(rc, 0, err)
        self.assertIn("intact: 1 entry", out2)
        # Nothing of the input's identifiers anywhere.
        self.assertEqual(all_cprs(out + err + shown + out2 + self.read("out.csv") +
                                  self.read("releases.log")), [])
        # The text report.
        out_csv2 = os.path.join(self.d, "out2.csv")
        rc, text, err = self.gate("prepare", data, "--out", out_csv2, "--log", log)
        self.assertEqual(rc, 0, err)
        self.assertIn("logged in", text)
        self.assertIn("as entry 2", text)
        self.assertIn("content digest " + digest, text)
        self.assertEqual(all_cprs(text + err), [])

    def test_prepare_an_extract_with_the_vault(self):
        data = self.write("raw.csv", records(old=2))
        vault = os.path.join(self.d, "v.vault")
        env = {"VAULT_PW": "a test passphrase"}
        for args in (("create", vault, "--kdf", "tests_only"),
                     ("add-domain", vault, "klynge-kvalitet")):
            rc, _, err = run("vault", *args, "--passphrase-env", "VAULT_PW", env=env)
            self.assertEqual(rc, 0, err)
        out_csv = os.path.join(self.d, "extract.csv")
        log = os.path.join(self.d, "releases.log")
        rc, out, err = run("release", "prepare", "--policy", POLICY, "--release",
                           "cluster-quality-extract", "--on", ON, data, "--out", out_csv,
                           "--vault", vault, "--passphrase-env", "VAULT_PW", "--log", log,
                           "--format", "json", env=env)
        self.assertEqual(rc, 0, err)
        report = json.loads(out)
        self.assertEqual(report["shape"], "extract")
        self.assertGreater(report["values_pseudonymised"], 0)
        self.assertEqual(report["identifiers_redacted"], 1)
        written = self.read("extract.csv")
        self.assertTrue(written.startswith("patient_cpr,practice,age,note\n"), written[:80])
        self.assertIn("ps1_", written)
        self.assertEqual(run("release", "digest", out_csv)[1].split()[0],
                         report["content_digest"])
        rc, shown, err = run("release", "show", log, "--format", "json")
        self.assertEqual(json.loads(shown)["entries"][0]["content_digest"],
                         report["content_digest"])
        self.assertEqual(all_cprs(out + err + written + self.read("releases.log")), [])

    def test_a_failed_prepare_writes_nothing(self):
        data = self.write("raw.csv", records())
        out_csv = os.path.join(self.d, "out.csv")
        log = os.path.join(self.d, "releases.log")
        rc, out, err = run("release", "prepare", "--policy", POLICY, "--release", "cluster-view",
                           "--on", ON, data, "--out", out_csv, "--log", log, "--vault",
                           os.path.join(self.d, "none.db"))
        self.assertEqual(rc, 2)
        self.assertIn("--passphrase-env", err)
        self.assertFalse(os.path.exists(out_csv))
        rc, out, err = self.gate("prepare", data, "--out", out_csv, "--log", log,
                                 "--log-key-env", "GDPRKIT_TEST_NO_SUCH_VARIABLE")
        self.assertEqual(rc, 2)
        self.assertIn("GDPRKIT_TEST_NO_SUCH_VARIABLE", err)
        self.assertFalse(os.path.exists(out_csv))
        # A log that is not a release log: refused before anything is prepared.
        other = self.write("deletions.log", "gdprkit-deletion-log\t1\t" + "ab" * 16 + "\tplain\n")
        rc, out, err = self.gate("prepare", data, "--out", out_csv, "--log", other)
        self.assertEqual(rc, 2)
        self.assertIn("not a gdprkit release log (it is a gdprkit deletion log)", err)
        self.assertFalse(os.path.exists(out_csv))
        self.assertEqual(sorted(os.listdir(self.d)), ["deletions.log", "raw.csv"])
        rc, _, err = self.gate("prepare", data)
        self.assertEqual(rc, 2)
        self.assertIn("--out is required", err)

    def test_digest_of_a_csv(self):
        a = self.write("a.csv", "x,y\n1,b\n2,\n")
        b = self.write("b.csv", "x;y\r\n1;b\r\n2;\r\n")  # same content, other spelling
        c = self.write("c.csv", "x,y\n1,b\n3,\n")
        da, db, dc = (run("release", "digest", p)[1].split()[0] for p in (a, b, c))
        self.assertTrue(da.startswith("blake2b-256:") and len(da) == 12 + 64, da)
        self.assertEqual(da, db)
        self.assertNotEqual(da, dc)
        rc, _, err = run("release", "digest", self.write("d.csv", "x,x\n1,2\n"))
        self.assertEqual(rc, 2)
        self.assertIn("x", err)

    def test_verify_names_the_edited_entry(self):
        log = os.path.join(self.d, "r.log")
        head = chain_log(log, [entry(rows_in=1000), entry(rows_in=2000), entry(rows_in=3000)])
        rc, out, err = run("release", "verify", log, "--expect-head", head)
        self.assertEqual(rc, 0, err)
        self.assertIn("intact: 3 entries, plain chain", out)
        with open(log, encoding="utf-8") as f:
            lines = f.read().split("\n")
        lines[2] = lines[2].replace("\t2000\t", "\t2001\t")  # one digit of entry 2
        with open(log, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        rc, out, err = run("release", "verify", log)
        self.assertEqual(rc, 1, err)
        self.assertIn("broken at entry 2 (line 3)", out)
        self.assertIn("hash does not match", out)
        rc, out, err = run("release", "verify", log, "--format", "json")
        self.assertEqual(rc, 1)
        doc = json.loads(out)
        self.assertEqual((doc["first_broken_entry"], doc["first_broken_line"]), (2, 3))
        # show refuses a broken log, naming the entry.
        rc, out, err = run("release", "show", log)
        self.assertEqual(rc, 2)
        self.assertIn("entry 2 (line 3) is broken", err)

    def test_keyed_log_and_show(self):
        log = os.path.join(self.d, "k.log")
        key = b"a release log key of 32 bytes!!!"
        chain_log(log, [entry(), entry("other-release", 5)], key=key)
        env = {"RELEASE_LOG_KEY": key.decode()}
        rc, out, err = run("release", "verify", log)
        self.assertEqual(rc, 2)
        self.assertIn("keyed", err)
        rc, out, err = run("release", "verify", log, "--log-key-env", "RELEASE_LOG_KEY", env=env)
        self.assertEqual(rc, 0, err)
        self.assertIn("keyed chain", out)
        rc, out, err = run("release", "show", log, "--log-key-env", "RELEASE_LOG_KEY", env=env)
        self.assertEqual(rc, 0, err)
        self.assertIn("entry 1 (line 2): release cluster-view on 2025-06-30 (table)", out)
        self.assertIn("entry 2 (line 3): release other-release", out)
        rc, out, err = run("release", "show", log, "--entry", "2", "--format", "json",
                           "--log-key-env", "RELEASE_LOG_KEY", env=env)
        self.assertEqual(rc, 0, err)
        entries = json.loads(out)["entries"]
        self.assertEqual([e["seq"] for e in entries], [2])
        self.assertEqual(entries[0]["rows_in"], 5)
        rc, out, err = run("release", "show", log, "--entry", "3",
                           "--log-key-env", "RELEASE_LOG_KEY", env=env)
        self.assertEqual(rc, 2)
        self.assertIn("no entry 3 (the log has 2 entries)", err)
        rc, out, err = run("release", "show", log, "--entry", "x")
        self.assertEqual(rc, 2)

    def test_a_deletion_log_is_not_a_release_log(self):
        log = self.write("d.log", "gdprkit-deletion-log\t1\t" + "ab" * 16 + "\tplain\n")
        rc, _, err = run("release", "verify", log)
        self.assertEqual(rc, 2)
        self.assertIn("not a gdprkit release log (it is a gdprkit deletion log)", err)

    def test_help_lists_the_family(self):
        rc, out, _ = run("help")
        self.assertEqual(rc, 0)
        self.assertIn("release", out)
        rc, out, _ = run("release", "--help")
        self.assertEqual(rc, 0)
        for name in ("check", "prepare", "verify", "show", "digest"):
            self.assertIn(name, out)


if __name__ == "__main__":
    unittest.main()
