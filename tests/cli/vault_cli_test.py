#!/usr/bin/env python3
"""Tests of `gdprkit id ...` and `gdprkit vault ...`, run as a user runs them.

Environment (set by tests/cli/CMakeLists.txt; by hand:
  GDPRKIT_CLI=build/gdprkit GDPRKIT_EXAMPLES_DIR=examples python3 tests/cli/vault_cli_test.py):
  GDPRKIT_CLI           path of the gdprkit executable
  GDPRKIT_EXAMPLES_DIR  the repository's examples/ folder

Only the standard library. The identifiers are the synthetic ones of
examples/identifiers/ (made up, valid by the rules)."""

import csv
import io
import json
import os
import shutil
import stat
import subprocess
import tempfile
import unittest

CLI = os.environ.get("GDPRKIT_CLI", "")
EXAMPLES = os.path.join(os.environ.get("GDPRKIT_EXAMPLES_DIR", ""), "identifiers")
CPRS = os.path.join(EXAMPLES, "cpr_numbers.txt")
CPR_ERRORS = os.path.join(EXAMPLES, "cpr_with_errors.txt")
REPORT = os.path.join(EXAMPLES, "cluster_report.csv")
PATIENTS = os.path.join(EXAMPLES, "patients.csv")
PASS = "synthetic passphrase for the cli test"
DOMAIN = "klynge-aarhus-2026"


def read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def run(*args, stdin=None, env_pass=True):
    env = dict(os.environ)
    if env_pass:
        env["VAULT_TEST_PASS"] = PASS
    proc = subprocess.run([CLI, *args], input=stdin.encode() if isinstance(stdin, str) else stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=120,
                          start_new_session=True)  # no controlling terminal: no prompt
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


class VaultCliTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="gdprkit_vault_cli_")
        self.vault = os.path.join(self.dir, "v.vault")
        self.ok("vault", "create", self.vault, "--passphrase-env", "VAULT_TEST_PASS",
                "--kdf", "tests_only", "--domain", f"{DOMAIN},kapsel-datakonsulenter")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def ok(self, *args, code=0, stdin=None):
        rc, out, err = run(*args, stdin=stdin)
        self.assertEqual(rc, code, f"gdprkit {' '.join(args)}\nstdout:\n{out}\nstderr:\n{err}")
        self.assertNotIn(PASS, out + err)
        return out, err

    def fails(self, *args, code=2, stdin=None, env_pass=True):
        rc, out, err = run(*args, stdin=stdin, env_pass=env_pass)
        self.assertEqual(rc, code, f"gdprkit {' '.join(args)}\nstdout:\n{out}\nstderr:\n{err}")
        self.assertIn("gdprkit: error: ", err)
        self.assertNotIn(PASS, out + err)
        return out, err

    def pw(self):
        return ("--passphrase-env", "VAULT_TEST_PASS")

    # ---- id check ------------------------------------------------------------

    def test_id_check_names_lines_not_values(self):
        out, _ = self.ok("id", "check", "--type", "cpr", CPR_ERRORS, code=1)
        lines = out.strip().splitlines()
        self.assertEqual([ln.split(":")[1] for ln in lines[:-1]], ["6", "7", "8", "9"])
        self.assertIn("bad_date", lines[0])
        self.assertIn("10 cpr values, 4 rejected", lines[-1])
        self.assertNotIn("300299", out)
        out, _ = self.ok("id", "check", CPRS)
        self.assertIn("40 cpr values, 0 rejected", out)

    def test_id_check_formats_and_stdin_and_columns(self):
        out, _ = self.ok("id", "check", "--format", "json", CPR_ERRORS, code=1)
        doc = json.loads(out)
        self.assertEqual(doc["rejected"], 4)
        self.assertEqual(doc["rows"][5]["problem"], "bad_date")
        out, _ = self.ok("id", "check", "--format", "csv", "-", stdin="010203-1234\n12\n", code=1)
        rows = list(csv.reader(io.StringIO(out)))
        self.assertEqual(rows[0], ["line", "valid", "problem", "reason"])
        self.assertEqual(rows[2][:3], ["2", "false", "bad_length"])
        self.ok("id", "check", "--type", "ydernummer", "--column", "ydernummer", REPORT)
        self.ok("id", "check", "--column", "1", PATIENTS)
        _, err = self.fails("id", "check", "--column", "cprnr", PATIENTS)
        self.assertIn("no column", err)
        _, err = self.fails("id", "check", "--type", "passport", CPRS)
        self.assertIn("passport", err)
        self.fails("id", "check", os.path.join(self.dir, "missing.txt"))

    # ---- vault ---------------------------------------------------------------

    def test_pseudonymise_lines_and_csv_column(self):
        out, _ = self.ok("vault", "pseudonymise", self.vault, CPRS, "--domain", DOMAIN, *self.pw())
        ps = out.splitlines()
        self.assertEqual(len(ps), 40)
        self.assertTrue(all(p.startswith("ps1_") and len(p) == 30 for p in ps))
        self.assertEqual(len(set(ps)), 40)
        # Same identifier without the dash, from stdin: same pseudonym.
        first = read(CPRS).splitlines()[0].strip()
        out, _ = self.ok("vault", "pseudonymise", self.vault, "--domain", DOMAIN, *self.pw(),
                         stdin=first.replace("-", "") + "\n")
        self.assertEqual(out.strip(), ps[0])
        # Another domain: another pseudonym.
        out, _ = self.ok("vault", "pseudonymise", self.vault, "--domain",
                         "kapsel-datakonsulenter", *self.pw(), stdin=first + "\n")
        self.assertNotEqual(out.strip(), ps[0])
        # The cluster report with its provider-number column replaced.
        out, _ = self.ok("vault", "pseudonymise", self.vault, REPORT, "--domain", DOMAIN,
                         "--type", "ydernummer", "--column", "ydernummer", *self.pw())
        rows = list(csv.reader(io.StringIO(out)))
        src = list(csv.reader(io.StringIO(read(REPORT))))
        self.assertEqual(rows[0], src[0])
        self.assertEqual(len(rows), len(src))
        for a, b in zip(rows[1:], src[1:]):
            self.assertTrue(a[0].startswith("ps1_"))
            self.assertEqual(a[1:], b[1:])
        out, _ = self.ok("vault", "pseudonymise", self.vault, CPRS, "--domain", DOMAIN,
                         "--format", "json", *self.pw())
        self.assertEqual(json.loads(out), ps)

    def test_one_vocabulary_kind_errors_lang_and_both_spellings(self):
        # --kind, and --type as its older name, give the same.
        want, _ = self.ok("vault", "pseudonymise", self.vault, CPRS, "--domain", DOMAIN,
                          "--kind", "cpr", *self.pw())
        got, _ = self.ok("vault", "pseudonymise", self.vault, CPRS, "--domain", DOMAIN,
                         "--type", "cpr", *self.pw())
        self.assertEqual(got, want)
        # The -ize spellings of the commands.
        got, _ = self.ok("vault", "pseudonymize", self.vault, CPRS, "--domain", DOMAIN,
                         *self.pw())
        self.assertEqual(got, want)
        toks, _ = self.ok("vault", "tokenise", self.vault, CPRS, "--domain", DOMAIN, *self.pw())
        got, _ = self.ok("vault", "tokenize", self.vault, CPRS, "--domain", DOMAIN, *self.pw())
        self.assertEqual(got, toks)
        # --errors: raise, coerce, report (fail and skip as older names); an
        # unknown mode names the valid ones.
        _, err = self.fails("vault", "tokenise", self.vault, CPR_ERRORS, "--domain", DOMAIN,
                            "--errors", "ignore", *self.pw())
        for mode in ("raise", "coerce", "report"):
            self.assertIn(mode, err)
        coerce, err = self.ok("vault", "pseudonymise", self.vault, CPR_ERRORS, "--domain",
                              DOMAIN, "--errors", "coerce", *self.pw())
        self.assertIn("4 of 10 rows rejected", err)
        self.assertNotIn("cpr_with_errors.txt:6:", err)
        report, err = self.ok("vault", "pseudonymise", self.vault, CPR_ERRORS, "--domain",
                              DOMAIN, "--errors", "report", "--lang", "da", *self.pw())
        self.assertEqual(report, coerce)
        self.assertIn("cpr_with_errors.txt:6: CPR-nummer:", err)
        self.assertNotIn("300299", err)
        # Tokens: report names the rejected ones by line and reason.
        bad = os.path.join(self.dir, "tokens.txt")
        with open(bad, "w", encoding="utf-8") as f:
            f.write(toks.splitlines()[0] + "\ntk_nonsense\n")
        out, err = self.ok("vault", "reidentify", self.vault, bad, "--domain", DOMAIN,
                           "--reason", "audit 2026-3", "--errors", "report", *self.pw())
        self.assertEqual(out.split("\n")[1], "")
        self.assertIn("tokens.txt:2:", err)
        self.assertIn("[malformed]", err)
        self.fails("vault", "reidentify", self.vault, bad, "--domain", DOMAIN, "--reason",
                   "audit 2026-3", *self.pw())

    def test_id_check_in_danish(self):
        out, _ = self.ok("id", "check", "--kind", "cpr", "--lang", "da", CPR_ERRORS, code=1)
        self.assertIn("bad_date: de første seks cifre i et CPR-nummer er ikke en dato", out)
        en, _ = self.ok("id", "check", "--kind", "cpr", CPR_ERRORS, code=1)
        self.assertIn("bad_date: the first six digits", en)
        _, err = self.fails("id", "check", "--lang", "fr", CPR_ERRORS)
        self.assertIn("--lang", err)

    def test_invalid_rows_fail_naming_lines_or_are_skipped(self):
        out, err = self.fails("vault", "tokenise", self.vault, CPR_ERRORS, "--domain", DOMAIN,
                              *self.pw())
        self.assertEqual(out, "")
        self.assertIn("cpr_with_errors.txt:6:", err)
        self.assertNotIn("300299", err)
        out, err = self.ok("vault", "tokenise", self.vault, CPR_ERRORS, "--domain", DOMAIN,
                           "--errors", "skip", *self.pw())
        toks = out.split("\n")[:-1]
        self.assertEqual(len(toks), 10)
        self.assertEqual([t == "" for t in toks[5:9]], [True] * 4)
        self.assertTrue(toks[0].startswith("tk_"))

    def test_tokenise_reidentify_erase_rotate_verify(self):
        out, _ = self.ok("vault", "tokenise", self.vault, CPRS, "--domain", DOMAIN, *self.pw())
        toks = out.splitlines()
        again, _ = self.ok("vault", "tokenise", self.vault, CPRS, "--domain", DOMAIN, *self.pw())
        self.assertEqual(again.splitlines(), toks)
        tokfile = os.path.join(self.dir, "tokens.txt")
        with open(tokfile, "w") as f:
            f.write(out)
        _, err = self.fails("vault", "reidentify", self.vault, tokfile, "--domain", DOMAIN,
                            *self.pw())
        self.assertIn("--reason", err)
        back, _ = self.ok("vault", "reidentify", self.vault, tokfile, "--domain", DOMAIN,
                          "--reason", "data quality check", *self.pw())
        want = [c.strip().replace("-", "") for c in read(CPRS).splitlines()]
        self.assertEqual(back.splitlines(), want)
        # A tampered token fails the whole batch.
        bad = toks[0][:5] + ("b" if toks[0][5] == "a" else "a") + toks[0][6:]
        self.fails("vault", "reidentify", self.vault, "--domain", DOMAIN, "--reason", "x",
                   *self.pw(), stdin=bad + "\n")
        # Erase the first person (identifier from stdin, never argv).
        out, _ = self.ok("vault", "erase", self.vault, "--reason", "art. 17", *self.pw(),
                         stdin=want[0] + "\n")
        self.assertIn("1 token record removed", out)
        self.fails("vault", "reidentify", self.vault, "--domain", DOMAIN, "--reason", "x",
                   *self.pw(), stdin=toks[0] + "\n")
        out, err = self.ok("vault", "rotate", self.vault, "--reason", "yearly", "--progress",
                           *self.pw())
        self.assertIn("key version 2", out)
        # --progress: the stage's start and its end, at the count of records re-keyed.
        lines = err.splitlines()
        self.assertEqual(len(lines), 2, err)
        self.assertEqual(lines[0], "gdprkit: rotate 0/" + lines[1].rsplit("/", 1)[1])
        self.assertRegex(lines[1], r"^gdprkit: rotate ([1-9][0-9]*)/\1$")
        out, _ = self.ok("vault", "pseudonymise", self.vault, "--domain", DOMAIN, *self.pw(),
                         stdin=want[1] + "\n")
        self.assertTrue(out.startswith("ps2_"))
        out, _ = self.ok("vault", "verify-audit", self.vault, "--format", "json", *self.pw())
        doc = json.loads(out)
        self.assertTrue(doc["valid"])
        self.assertGreaterEqual(doc["entries"], 6)
        # No identifier in clear in the vault file.
        data = read(self.vault, "rb")
        for cpr in want[:10]:
            self.assertNotIn(cpr.encode(), data)

    def audit_entries(self):
        out, _ = self.ok("vault", "verify-audit", self.vault, "--format", "json", *self.pw())
        return json.loads(out)["entries"]

    def token_counts(self):
        import sqlite3
        db = sqlite3.connect(f"file:{self.vault}?mode=ro", uri=True)
        try:
            return dict(db.execute("SELECT name, token_count FROM domains"))
        finally:
            db.close()

    def test_translate_tokens_and_pseudonyms(self):
        other = "kapsel-datakonsulenter"
        out, _ = self.ok("vault", "tokenise", self.vault, CPRS, "--domain", DOMAIN, *self.pw())
        toks = out.splitlines()
        tokfile = os.path.join(self.dir, "tokens.txt")
        with open(tokfile, "w") as f:
            f.write(out)
        before = self.audit_entries()
        # Into tokens of the other domain (the default): the tokens tokenising there gives.
        got, err = self.ok("vault", "translate", self.vault, tokfile, "--from", DOMAIN,
                           "--to", other, "--reason", "hand-over to the data team", *self.pw())
        self.assertEqual(err, "")
        self.assertEqual(self.audit_entries(), before + 1)
        want, _ = self.ok("vault", "tokenise", self.vault, CPRS, "--domain", other, *self.pw())
        self.assertEqual(got.splitlines(), want.splitlines())
        self.assertEqual(len(got.splitlines()), 40)
        self.assertFalse(set(got.splitlines()) & set(toks))
        # And back, from standard input.
        back, _ = self.ok("vault", "translate", self.vault, "--from", other, "--to", DOMAIN,
                          "--reason", "back", "--target", "token", *self.pw(), stdin=got)
        self.assertEqual(back.splitlines(), toks)
        # Into pseudonyms of the other domain.
        got, _ = self.ok("vault", "translate", self.vault, tokfile, "--from", DOMAIN, "--to",
                         other, "--reason", "statistics", "--target", "pseudonym", *self.pw())
        want, _ = self.ok("vault", "pseudonymise", self.vault, CPRS, "--domain", other,
                          *self.pw())
        self.assertEqual(got.splitlines(), want.splitlines())
        out, _ = self.ok("vault", "translate", self.vault, tokfile, "--from", DOMAIN, "--to",
                         other, "--reason", "statistics", "--target", "pseudonym", "--format",
                         "json", *self.pw())
        self.assertEqual(json.loads(out), want.splitlines())
        out, _ = self.ok("vault", "translate", self.vault, tokfile, "--from", DOMAIN, "--to",
                         other, "--reason", "statistics", "--target", "pseudonym", "--format",
                         "csv", *self.pw())
        rows = list(csv.reader(io.StringIO(out)))
        self.assertEqual(rows[0], ["line", "pseudonym"])
        self.assertEqual(rows[1], ["1", want.splitlines()[0]])
        # A CSV column, replaced in place.
        csvfile = os.path.join(self.dir, "tokens.csv")
        with open(csvfile, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["visit", "token"])
            for i, t in enumerate(toks[:5]):
                w.writerow([f"v{i}", t])
        out, _ = self.ok("vault", "translate", self.vault, csvfile, "--column", "token",
                         "--from", DOMAIN, "--to", other, "--reason", "statistics",
                         "--target", "pseudonym", *self.pw())
        rows = list(csv.reader(io.StringIO(out)))
        self.assertEqual(rows[0], ["visit", "token"])
        self.assertEqual([r[0] for r in rows[1:]], [f"v{i}" for i in range(5)])
        self.assertEqual([r[1] for r in rows[1:]], want.splitlines()[:5])
        # Nothing of the identifiers in clear in the vault file.
        data = read(self.vault, "rb")
        for cpr in [c.strip().replace("-", "") for c in read(CPRS).splitlines()[:10]]:
            self.assertNotIn(cpr.encode(), data)

    def test_translate_errors_write_nothing(self):
        other = "kapsel-datakonsulenter"
        out, _ = self.ok("vault", "tokenise", self.vault, CPRS, "--domain", DOMAIN, *self.pw())
        toks = out.splitlines()
        first = read(CPRS).splitlines()[0].strip()
        foreign, _ = self.ok("vault", "tokenise", self.vault, "--domain", "kapsel-datakonsulenter",
                             *self.pw(), stdin=first + "\n")
        before, counts = self.audit_entries(), self.token_counts()
        base = ("vault", "translate", self.vault, "--from", DOMAIN, "--to", other,
                "--reason", "x", *self.pw())
        # A bad --target: a usage error naming the choices.
        for bad in ("tokens", "Pseudonym", "ps"):
            out, err = self.fails(*base, "--target", bad, stdin=toks[1] + "\n")
            self.assertEqual(out, "")
            self.assertIn("--target", err)
            self.assertIn("token, pseudonym", err)
        # Missing options; the same domain twice; an unknown domain.
        for drop in ("--from", "--to", "--reason"):
            args = list(base)
            i = args.index(drop)
            del args[i:i + 2]
            _, err = self.fails(*args, stdin=toks[1] + "\n")
            self.assertIn(f"{drop} is required", err)
        _, err = self.fails("vault", "translate", self.vault, "--from", DOMAIN, "--to", DOMAIN,
                            "--reason", "x", *self.pw(), stdin=toks[1] + "\n")
        self.assertIn("two different domains", err)
        self.fails("vault", "translate", self.vault, "--from", DOMAIN, "--to", "no-such",
                   "--reason", "x", *self.pw(), stdin=toks[1] + "\n")
        # A token of the other domain on line 2: a clear error naming the line, not
        # the token, and nothing written (the person on line 1 gets no token).
        tokfile = os.path.join(self.dir, "mixed.txt")
        with open(tokfile, "w") as f:
            f.write(toks[1] + "\n" + foreign)
        for target in ("token", "pseudonym"):
            out, err = self.fails("vault", "translate", self.vault, tokfile, "--from", DOMAIN,
                                  "--to", other, "--reason", "x", "--target", target,
                                  *self.pw())
            self.assertEqual(out, "")
            self.assertIn("mixed.txt:2: ", err)
            self.assertIn("another domain", err)
            self.assertNotIn(foreign.strip(), err)
            self.assertNotIn(first, err)
            self.assertNotIn(first.replace("-", ""), err)
        # A tampered token and one that is no token at all, named by line.
        bad = toks[0][:5] + ("b" if toks[0][5] == "a" else "a") + toks[0][6:]
        _, err = self.fails(*base, stdin=toks[1] + "\n" + toks[2] + "\n" + bad + "\n")
        self.assertIn("<stdin>:3: ", err)
        _, err = self.fails(*base, stdin="tk_nonsense\n")
        self.assertIn("<stdin>:1: not a gdprkit token", err)
        self.assertEqual(self.audit_entries(), before)
        self.assertEqual(self.token_counts(), counts)
        # reidentify names the line the same way.
        _, err = self.fails("vault", "reidentify", self.vault, "--domain", DOMAIN,
                            "--reason", "x", *self.pw(), stdin=toks[0] + "\n" + bad + "\n")
        self.assertIn("<stdin>:2: ", err)

    def test_translate_help(self):
        rc, out, _ = run("help", "vault", "translate")
        self.assertEqual(rc, 0)
        for text in ("--from DOMAIN", "--to DOMAIN", "--reason TEXT", "--target token|pseudonym",
                     "--column", "--passphrase-env", "audit"):
            self.assertIn(text, out)
        rc, out, _ = run("help")
        self.assertEqual(rc, 0)
        self.assertIn("translate", out)

    def test_passphrase_sources_and_errors(self):
        pfile = os.path.join(self.dir, "pass.txt")
        with open(pfile, "w") as f:
            f.write(PASS + "\n")
        self.ok("vault", "verify-audit", self.vault, "--passphrase-file", pfile)
        with open(pfile, "w") as f:
            f.write("not-the-pass-xyz\n")
        _, err = self.fails("vault", "verify-audit", self.vault, "--passphrase-file", pfile)
        self.assertNotIn("not-the-pass-xyz", err)
        self.assertIn("wrong passphrase", err)
        # No passphrase source and no terminal: a clear error, not a hang.
        _, err = self.fails("vault", "verify-audit", self.vault)
        self.assertIn("--passphrase-env", err)
        _, err = self.fails("vault", "verify-audit", self.vault, "--passphrase-env", "NO_SUCH_VAR")
        self.assertIn("NO_SUCH_VAR", err)
        # There is no --passphrase option at all.
        self.fails("vault", "verify-audit", self.vault, "--passphrase", PASS)
        # Existing file; damaged file.
        self.fails("vault", "create", self.vault, *self.pw(), "--kdf", "tests_only")
        with open(self.vault, "r+b") as f:
            f.write(b"Z" * 100)
        self.fails("vault", "verify-audit", self.vault, *self.pw())

    @unittest.skipUnless(os.name == "posix", "needs a pseudo-terminal")
    def test_prompt_on_the_terminal_without_echo(self):
        import pty

        def session(answer):
            pid, fd = pty.fork()
            if pid == 0:  # the child: gdprkit with the pty as its terminal
                os.execv(CLI, [CLI, "vault", "verify-audit", self.vault])
            out = b""
            while b"passphrase:" not in out:
                out += os.read(fd, 1024)
            os.write(fd, answer.encode() + b"\n")
            while True:
                try:
                    chunk = os.read(fd, 1024)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                out += chunk
            _, status = os.waitpid(pid, 0)
            os.close(fd)
            return os.WEXITSTATUS(status), out.decode(errors="replace")

        rc, out = session(PASS)
        self.assertEqual(rc, 0, out)
        self.assertIn("audit trail intact", out)
        self.assertNotIn(PASS, out)  # not echoed
        rc, out = session("not-the-pass-xyz")
        self.assertEqual(rc, 2, out)
        self.assertIn("wrong passphrase", out)
        self.assertNotIn("not-the-pass-xyz", out)

    def test_host_key_file(self):
        kfile = os.path.join(self.dir, "host.key")
        with open(kfile, "w") as f:
            f.write("ab" * 32 + "\n")
        path = os.path.join(self.dir, "h.vault")
        self.ok("vault", "create", path, "--key-file", kfile, "--domain", DOMAIN)
        out, _ = self.ok("vault", "tokenise", path, "--domain", DOMAIN, "--key-file", kfile,
                         stdin="010203-1234\n")
        self.assertTrue(out.startswith("tk_"))
        with open(kfile, "w") as f:
            f.write("cd" * 32)
        self.fails("vault", "tokenise", path, "--domain", DOMAIN, "--key-file", kfile,
                   stdin="010203-1234\n")
        with open(kfile, "w") as f:
            f.write("short")
        self.fails("vault", "tokenise", path, "--domain", DOMAIN, "--key-file", kfile,
                   stdin="010203-1234\n")

    def stored_schemes(self, path):
        """{domain: pseudonym_scheme} as stored in the vault file (read from the
        file itself, not through 'vault domains'): 1 = blake2b, 2 = chacha20."""
        import sqlite3
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return dict(db.execute("SELECT name, pseudonym_scheme FROM domains"))
        finally:
            db.close()

    def test_domain_schemes(self):
        # setUp's domains take the default; add-domain and create choose.
        out, _ = self.ok("vault", "add-domain", self.vault, "legacy", "--scheme", "blake2b",
                         *self.pw())
        self.assertIn("legacy (blake2b pseudonyms)", out)
        out, _ = self.ok("vault", "add-domain", self.vault, "fast", "--scheme", "chacha20",
                         "--description", "explicit default", *self.pw())
        self.assertIn("fast (chacha20 pseudonyms)", out)
        out, _ = self.ok("vault", "add-domain", self.vault, "plain", *self.pw())
        self.assertIn("plain (chacha20 pseudonyms)", out)
        self.assertEqual(self.stored_schemes(self.vault),
                         {DOMAIN: 2, "kapsel-datakonsulenter": 2, "legacy": 1, "fast": 2,
                          "plain": 2})
        path = os.path.join(self.dir, "b.vault")
        out, _ = self.ok("vault", "create", path, *self.pw(), "--kdf", "tests_only",
                         "--domain", "x,y", "--scheme", "blake2b")
        self.assertIn("with 2 domains (blake2b pseudonyms)", out)
        self.assertEqual(self.stored_schemes(path), {"x": 1, "y": 1})
        path = os.path.join(self.dir, "c.vault")
        out, _ = self.ok("vault", "create", path, *self.pw(), "--kdf", "tests_only",
                         "--domain", "x")
        self.assertIn("with 1 domain (chacha20 pseudonyms)", out)
        self.assertEqual(self.stored_schemes(path), {"x": 2})
        # Same identifiers in both schemes: same format, other values, each stable.
        cprs = read(CPRS)
        a, _ = self.ok("vault", "pseudonymise", self.vault, "--domain", DOMAIN, *self.pw(),
                       stdin=cprs)
        b, _ = self.ok("vault", "pseudonymise", self.vault, "--domain", "legacy", *self.pw(),
                       stdin=cprs)
        a, b = a.splitlines(), b.splitlines()
        self.assertEqual(len(a), 40)
        self.assertEqual(len(b), 40)
        for p in a + b:
            self.assertRegex(p, r"^ps1_[a-z2-7]{26}$")
        self.assertEqual(len(set(b)), 40)
        self.assertFalse(set(a) & set(b))
        again, _ = self.ok("vault", "pseudonymise", self.vault, "--domain", "legacy", *self.pw(),
                           stdin=cprs)
        self.assertEqual(again.splitlines(), b)

    def test_bad_scheme_is_a_usage_error(self):
        for bad in ("sha256", "BLAKE2B", "blake2", "1", ""):
            _, err = self.fails("vault", "add-domain", self.vault, "d", "--scheme", bad,
                                *self.pw())
            self.assertIn("--scheme", err)
            self.assertIn("chacha20", err)
            self.assertIn("blake2b", err)
        self.assertNotIn("d", self.stored_schemes(self.vault))  # nothing created
        path = os.path.join(self.dir, "bad.vault")
        _, err = self.fails("vault", "create", path, *self.pw(), "--kdf", "tests_only",
                            "--domain", "x", "--scheme", "aes")
        self.assertIn("chacha20, blake2b", err)
        self.assertFalse(os.path.exists(path))
        # --scheme without --domain has nothing to apply to.
        _, err = self.fails("vault", "create", path, *self.pw(), "--kdf", "tests_only",
                            "--scheme", "blake2b")
        self.assertIn("--domain", err)
        self.assertFalse(os.path.exists(path))
        # The domain name is still free.
        self.ok("vault", "add-domain", self.vault, "d", "--scheme", "blake2b", *self.pw())

    def test_scheme_help(self):
        rc, out, _ = run("help", "vault", "pseudonymise")
        self.assertEqual(rc, 0)
        self.assertIn("scheme", out)
        self.assertIn("ChaCha20 by default", out)
        self.assertIn("BLAKE2b for blake2b domains", out)
        for cmd in ("create", "add-domain"):
            rc, out, _ = run("help", "vault", cmd)
            self.assertEqual(rc, 0)
            self.assertIn("--scheme chacha20|blake2b", out)
            self.assertIn("chacha20 (default)", out)

    def test_usage_errors(self):
        self.fails("vault", "pseudonymise", self.vault, CPRS, *self.pw())  # no --domain
        self.fails("vault", "pseudonymise", self.vault, CPRS, "--domain", "no-such", *self.pw())
        self.fails("vault", "rotate", self.vault, *self.pw())  # no --reason
        self.fails("vault", "erase", self.vault, "--reason", "x", *self.pw(),
                   stdin="300299-9123\n")
        self.fails("vault", "frobnicate", self.vault)
        rc, out, _ = run("help", "vault", "pseudonymise")
        self.assertEqual(rc, 0)
        self.assertIn("--passphrase-env", out)

    # ---- vault export-key, pseudonymise --exported-key ---------------------------

    def export(self, domain=DOMAIN, name="key.txt", *extra):
        path = os.path.join(self.dir, name)
        out, _ = self.ok("vault", "export-key", self.vault, "--domain", domain, "--reason",
                         "Spark job, ticket 42", "--output", path, *self.pw(), *extra)
        return path, out

    def key_of(self, path):
        text = read(path)
        self.assertTrue(text.endswith("\n") and text.count("\n") == 1)
        return text.strip().rsplit(":", 1)[1]

    def test_export_key_round_trip(self):
        self.ok("vault", "add-domain", self.vault, "legacy", "--scheme", "blake2b", *self.pw())
        for domain, scheme in ((DOMAIN, "chacha20"), ("legacy", "blake2b")):
            path, out = self.export(domain, f"{domain}.key")
            text = read(path)
            self.assertTrue(text.startswith(f"gdprkit-pseudonym-key-v2:{domain}:1:{scheme}:"))
            key = self.key_of(path)
            self.assertNotIn(key, out)
            self.assertIn(domain, out)
            self.assertIn("key version 1", out)
            self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
            # Lines, stdin, CSV column, JSON, other kinds: the same as the vault gives.
            want, _ = self.ok("vault", "pseudonymise", self.vault, CPRS, "--domain", domain,
                              *self.pw())
            got, err = self.ok("pseudonymise", CPRS, "--exported-key", path)
            self.assertEqual(got, want)
            self.assertEqual(len(got.splitlines()), 40)
            self.assertNotIn(key, got + err)
            got, _ = self.ok("pseudonymise", "--exported-key", path, stdin=read(CPRS))
            self.assertEqual(got, want)
            args = (REPORT, "--type", "ydernummer", "--column", "ydernummer")
            want, _ = self.ok("vault", "pseudonymise", self.vault, *args, "--domain", domain,
                              *self.pw())
            got, _ = self.ok("pseudonymise", *args, "--exported-key", path)
            self.assertEqual(got, want)
            got, _ = self.ok("pseudonymise", CPRS, "--exported-key", path, "--format", "json")
            self.assertEqual(len(json.loads(got)), 40)
            # Rejected rows: named by line, or skipped, as with the vault.
            out, err = self.fails("pseudonymise", CPR_ERRORS, "--exported-key", path)
            self.assertEqual(out, "")
            self.assertIn("cpr_with_errors.txt:6:", err)
            self.assertNotIn("300299", err)
            want, _ = self.ok("vault", "pseudonymise", self.vault, CPR_ERRORS, "--domain",
                              domain, "--errors", "skip", *self.pw())
            got, err = self.ok("pseudonymise", CPR_ERRORS, "--exported-key", path,
                               "--errors", "report")
            self.assertEqual(got, want)
            self.assertIn("cpr_with_errors.txt:6:", err)
        # Works with the vault gone.
        path = os.path.join(self.dir, f"{DOMAIN}.key")
        want, _ = self.ok("vault", "pseudonymise", self.vault, CPRS, "--domain", DOMAIN,
                          *self.pw())
        os.remove(self.vault)
        got, _ = self.ok("pseudonymise", CPRS, "--exported-key", path)
        self.assertEqual(got, want)

    def test_export_key_is_audited(self):
        before = self.audit_entries()
        path, _ = self.export()
        self.assertEqual(self.audit_entries(), before + 1)
        key = self.key_of(path)
        import sqlite3
        con = sqlite3.connect(f"file:{self.vault}?mode=ro", uri=True)
        try:
            dump = "\n".join(con.iterdump())
        finally:
            con.close()
        # Audit entries are protobuf blobs: the reason is in the last one, the
        # key (its text or its bytes) nowhere.
        self.assertIn("Spark job, ticket 42".encode().hex().upper(), dump)
        self.assertNotIn(key, dump)
        import base64
        raw = base64.b32decode(key.upper() + "=" * (-len(key) % 8))
        self.assertNotIn(raw.hex().upper()[:24], dump)
        self.ok("vault", "verify-audit", self.vault, *self.pw())

    def test_export_key_refuses_to_overwrite_and_stdout(self):
        path = os.path.join(self.dir, "key.txt")
        with open(path, "w") as f:
            f.write("precious\n")
        before = self.audit_entries()
        out, err = self.fails("vault", "export-key", self.vault, "--domain", DOMAIN, "--reason",
                              "x", "--output", path, *self.pw())
        self.assertIn("already exists", err)
        self.assertIn("key.txt", err)
        self.assertEqual(read(path), "precious\n")
        self.assertEqual(out, "")
        # A symbolic link (even a dangling one) is not followed.
        link = os.path.join(self.dir, "link.txt")
        os.symlink(os.path.join(self.dir, "target.txt"), link)
        self.fails("vault", "export-key", self.vault, "--domain", DOMAIN, "--reason", "x",
                   "--output", link, *self.pw())
        self.assertFalse(os.path.exists(os.path.join(self.dir, "target.txt")))
        for bad in (("--output", "-"), ()):
            out, err = self.fails("vault", "export-key", self.vault, "--domain", DOMAIN,
                                  "--reason", "x", *bad, *self.pw())
            self.assertIn("--output", err)
            self.assertIn("never written to standard output", err)
            self.assertEqual(out, "")
        self.assertEqual(self.audit_entries(), before)  # nothing exported

    def test_export_key_usage_errors_leave_no_file(self):
        path = os.path.join(self.dir, "key.txt")
        before = self.audit_entries()
        _, err = self.fails("vault", "export-key", self.vault, "--domain", DOMAIN,
                            "--output", path, *self.pw())
        self.assertIn("--reason is required", err)
        _, err = self.fails("vault", "export-key", self.vault, "--reason", "x",
                            "--output", path, *self.pw())
        self.assertIn("--domain is required", err)
        _, err = self.fails("vault", "export-key", self.vault, "--domain", "no-such",
                            "--reason", "x", "--output", path, *self.pw())
        self.assertIn("no-such", err)
        _, err = self.fails("vault", "export-key", self.vault, "--domain", DOMAIN,
                            "--reason", "", "--output", path, *self.pw())
        self.assertIn("reason", err)
        rc, _, _ = run("vault", "export-key", self.vault, "--domain", DOMAIN, "--reason", "x",
                       "--output", path, "--passphrase-env", "WRONG_PASS_VAR")
        self.assertEqual(rc, 2)
        self.fails("vault", "export-key", self.vault, "--domain", DOMAIN, "--reason", "x",
                   "--output", os.path.join(self.dir, "no", "such", "dir.key"), *self.pw())
        self.assertFalse(os.path.exists(path))
        self.assertEqual(self.audit_entries(), before)

    def test_malformed_key_file_is_a_clear_error_without_its_content(self):
        path, _ = self.export()
        text = read(path).strip()
        key = text.rsplit(":", 1)[1]
        cases = {
            "empty.key": "",
            "truncated.key": text[:-5] + "\n",
            "v3.key": text.replace("-v2:", "-v3:") + "\n",
            "scheme.key": text.replace(":chacha20:", ":sha256:") + "\n",
            "two-lines.key": text + "\n" + text + "\n",
            "host.key": "00" * 32 + "\n",
        }
        for name, content in cases.items():
            bad = os.path.join(self.dir, name)
            with open(bad, "w") as f:
                f.write(content)
            os.chmod(bad, 0o600)
            out, err = self.fails("pseudonymise", CPRS, "--exported-key", bad)
            self.assertEqual(out, "")
            self.assertIn(name + ": not an exported pseudonym key", err)
            self.assertNotIn(key[:16], err)
            self.assertNotIn(key[-16:], err)
            self.assertNotIn("00" * 8, err)
        big = os.path.join(self.dir, "big.key")
        with open(big, "w") as f:
            f.write(text + "\n" + "x" * 5000)
        _, err = self.fails("pseudonymise", CPRS, "--exported-key", big)
        self.assertIn("not an exported pseudonym key", err)
        self.assertNotIn(key[:16], err)
        _, err = self.fails("pseudonymise", CPRS, "--exported-key",
                            os.path.join(self.dir, "missing.key"))
        self.assertIn("missing.key", err)
        _, err = self.fails("pseudonymise", CPRS)
        self.assertIn("--exported-key FILE is required", err)
        # A key file others can read works, with a note.
        os.chmod(path, 0o644)
        out, err = self.ok("pseudonymise", CPRS, "--exported-key", path)
        self.assertIn("can be read by other users", err)
        self.assertNotIn(key, out + err)

    def test_export_key_help(self):
        rc, out, _ = run("help", "vault", "export-key")
        self.assertEqual(rc, 0)
        for text in ("--domain NAME", "--reason TEXT", "--output FILE", "0600", "secret",
                     "audit", "--passphrase-env"):
            self.assertIn(text, out)
        rc, out, _ = run("help", "pseudonymise")
        self.assertEqual(rc, 0)
        for text in ("--exported-key KEYFILE", "--kind KIND", "(also --type)", "--column",
                     "--errors MODE", "raise", "coerce", "report", "no vault"):
            self.assertIn(text, out)
        self.assertNotIn("--passphrase-env", out)
        rc, out, _ = run("help")
        self.assertEqual(rc, 0)
        self.assertIn("vault export-key", out)
        self.assertIn("pseudonymise [FILE]", out)

    # ---- vault domains -----------------------------------------------------------

    def test_domains_lists_every_domain_in_three_formats(self):
        import datetime
        self.ok("vault", "add-domain", self.vault, "legacy", "--scheme", "blake2b",
                "--description", "hashlib, \"ticket\" 7", *self.pw())
        self.ok("vault", "tokenise", self.vault, "--domain", DOMAIN, *self.pw(), stdin=read(CPRS))
        tokens = self.token_counts()
        self.assertGreater(tokens[DOMAIN], 0)
        before = self.audit_entries()

        # Text: a header and one aligned row per domain, by name.
        out, err = self.ok("vault", "domains", self.vault, *self.pw())
        self.assertEqual(err, "")
        lines = out.splitlines()
        self.assertEqual(lines[0].split("  ")[0], "domain")
        for word in ("scheme", "key version", "tokens", "created (UTC)", "description"):
            self.assertIn(word, lines[0])
        rows = {line.split()[0]: line.split() for line in lines[1:]}
        self.assertEqual(list(rows), sorted([DOMAIN, "kapsel-datakonsulenter", "legacy"]))
        self.assertEqual(rows["legacy"][1:4], ["blake2b", "1", "0"])
        self.assertEqual(rows[DOMAIN][1:4], ["chacha20", "1", str(tokens[DOMAIN])])
        self.assertEqual(rows["kapsel-datakonsulenter"][1], "chacha20")
        self.assertIn('hashlib, "ticket" 7', out)
        scheme_col = lines[0].index("scheme")
        for line in lines[1:]:
            self.assertIn(line[scheme_col:scheme_col + 8], ("chacha20", "blake2b "))

        # JSON parses and carries the same.
        out, _ = self.ok("vault", "domains", self.vault, "--format", "json", *self.pw())
        data = json.loads(out)
        self.assertEqual(data["vault"], self.vault)
        domains = {d["name"]: d for d in data["domains"]}
        self.assertEqual([d["name"] for d in data["domains"]],
                         sorted([DOMAIN, "kapsel-datakonsulenter", "legacy"]))
        self.assertEqual(domains["legacy"]["scheme"], "blake2b")
        self.assertEqual(domains["legacy"]["description"], 'hashlib, "ticket" 7')
        self.assertEqual(domains["legacy"]["tokens"], 0)
        self.assertEqual(domains[DOMAIN]["scheme"], "chacha20")
        self.assertEqual(domains[DOMAIN]["tokens"], tokens[DOMAIN])
        self.assertEqual(domains[DOMAIN]["description"], "")
        now = datetime.datetime.now(datetime.timezone.utc)
        for d in data["domains"]:
            self.assertEqual(d["key_version"], 1)
            self.assertRegex(d["created"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            created = datetime.datetime.strptime(d["created"], "%Y-%m-%dT%H:%M:%SZ").replace(
                tzinfo=datetime.timezone.utc)
            self.assertLess(abs((now - created).total_seconds()), 3600)

        # CSV: a header and the same values (the description quoted).
        out, _ = self.ok("vault", "domains", self.vault, "--format", "csv", *self.pw())
        rows = list(csv.DictReader(io.StringIO(out)))
        self.assertEqual(list(rows[0]), ["domain", "scheme", "key_version", "tokens", "created",
                                         "description"])
        by_name = {r["domain"]: r for r in rows}
        self.assertEqual(by_name["legacy"]["scheme"], "blake2b")
        self.assertEqual(by_name["legacy"]["description"], 'hashlib, "ticket" 7')
        self.assertEqual(by_name[DOMAIN]["tokens"], str(tokens[DOMAIN]))
        self.assertEqual(by_name[DOMAIN]["created"], domains[DOMAIN]["created"])

        # Read-only: no audit entry.
        self.assertEqual(self.audit_entries(), before)

        # After a rotation every domain is on key version 2.
        self.ok("vault", "rotate", self.vault, "--reason", "yearly", *self.pw())
        out, _ = self.ok("vault", "domains", self.vault, "--format", "json", *self.pw())
        self.assertEqual({d["key_version"] for d in json.loads(out)["domains"]}, {2})

    def test_domains_of_an_empty_vault(self):
        path = os.path.join(self.dir, "empty.vault")
        self.ok("vault", "create", path, *self.pw(), "--kdf", "tests_only")
        out, _ = self.ok("vault", "domains", path, *self.pw())
        self.assertIn("no domains", out)
        out, _ = self.ok("vault", "domains", path, "--format", "json", *self.pw())
        self.assertEqual(json.loads(out)["domains"], [])
        out, _ = self.ok("vault", "domains", path, "--format", "csv", *self.pw())
        self.assertEqual(out.splitlines(), ["domain,scheme,key_version,tokens,created,description"])

    def test_domains_errors(self):
        pfile = os.path.join(self.dir, "pass.txt")
        with open(pfile, "w") as f:
            f.write("not-the-pass-xyz\n")
        out, err = self.fails("vault", "domains", self.vault, "--passphrase-file", pfile)
        self.assertEqual(out, "")
        self.assertIn("wrong passphrase", err)
        self.assertNotIn("not-the-pass-xyz", err)
        self.assertNotIn(DOMAIN, out + err)
        out, err = self.fails("vault", "domains", os.path.join(self.dir, "missing.vault"),
                              *self.pw())
        self.assertEqual(out, "")
        self.assertIn("missing.vault", err)
        _, err = self.fails("vault", "domains", self.vault, "--format", "xml", *self.pw())
        self.assertIn("--format", err)
        self.fails("vault", "domains", *self.pw())  # no VAULT
        self.fails("vault", "domains", self.vault, "extra", *self.pw())

    def test_domains_help(self):
        rc, out, _ = run("help", "vault", "domains")
        self.assertEqual(rc, 0)
        for text in ("--format text|json|csv", "scheme", "key version", "tokens", "UTC",
                     "ISO 8601", "description", "Read-only", "audit", "--passphrase-env"):
            self.assertIn(text, out)
        rc, out, _ = run("help")
        self.assertEqual(rc, 0)
        self.assertIn("vault domains", out)

    # ---- backup --------------------------------------------------------------

    def test_backup_round_trip_while_the_vault_is_in_use(self):
        import sqlite3

        # Another program has the vault open (read-only), so the tokens below
        # stay in the -wal file: a plain copy of the vault file misses them.
        other = sqlite3.connect(f"file:{self.vault}?mode=ro", uri=True)
        try:
            other.execute("SELECT count(*) FROM sqlite_master").fetchone()
            toks, _ = self.ok("vault", "tokenise", self.vault, CPRS, "--domain", DOMAIN,
                              *self.pw())
            self.assertTrue(os.path.exists(self.vault + "-wal"))
            dest = os.path.join(self.dir, "backup", "copy.vault")
            os.mkdir(os.path.dirname(dest))
            out, err = self.ok("vault", "backup", self.vault, dest, *self.pw())
        finally:
            other.close()
        self.assertIn(f"backed up {self.vault} to {dest}", out)
        self.assertEqual(err, "")
        self.assertEqual(stat.S_IMODE(os.stat(dest).st_mode), 0o600)
        self.assertFalse(os.path.exists(dest + "-wal"))
        # The backup holds every token: they re-identify there, and it verifies.
        back, _ = self.ok("vault", "reidentify", dest, "--domain", DOMAIN, "--reason",
                          "restore test", *self.pw(), stdin=toks)
        self.assertEqual(back.splitlines(), [ln.strip().replace("-", "")
                                             for ln in read(CPRS).splitlines()])
        out, _ = self.ok("vault", "verify-audit", dest, *self.pw())
        self.assertIn("audit trail intact", out)
        # The same person gets the same token from the backup.
        again, _ = self.ok("vault", "tokenise", dest, CPRS, "--domain", DOMAIN, *self.pw())
        self.assertEqual(again, toks)
        # The backup is not audited in the source.
        before = self.audit_entries()
        self.ok("vault", "backup", self.vault, os.path.join(self.dir, "b2.vault"), *self.pw())
        self.assertEqual(self.audit_entries(), before)

    def test_backup_refuses_existing_files_and_standard_output(self):
        dest = os.path.join(self.dir, "existing.vault")
        with open(dest, "w") as f:
            f.write("keep me\n")
        _, err = self.fails("vault", "backup", self.vault, dest, *self.pw())
        self.assertIn("already exists", err)
        self.assertEqual(read(dest), "keep me\n")
        link = os.path.join(self.dir, "link.vault")
        os.symlink(os.path.join(self.dir, "nowhere"), link)
        self.fails("vault", "backup", self.vault, link, *self.pw())
        self.assertFalse(os.path.exists(os.path.join(self.dir, "nowhere")))
        _, err = self.fails("vault", "backup", self.vault, self.vault, *self.pw())
        self.assertIn("already exists", err)
        _, err = self.fails("vault", "backup", self.vault, "-", *self.pw())
        self.assertIn("standard output", err)
        missing_dir = os.path.join(self.dir, "no", "such", "dir.vault")
        self.fails("vault", "backup", self.vault, missing_dir, *self.pw())
        self.assertFalse(os.path.exists(missing_dir))
        # A wrong passphrase writes nothing.
        dest = os.path.join(self.dir, "b.vault")
        _, err = self.fails("vault", "backup", self.vault, dest, "--passphrase-env", "NO_VAR")
        self.assertFalse(os.path.exists(dest))
        self.fails("vault", "backup", self.vault, *self.pw())  # no DEST

    def test_backup_help(self):
        rc, out, _ = run("help", "vault", "backup")
        self.assertEqual(rc, 0)
        for text in ("VAULT DEST", "0600", "online", "-wal", "To restore", "verify-audit",
                     "--passphrase-env"):
            self.assertIn(text, out)
        rc, out, _ = run("help")
        self.assertEqual(rc, 0)
        self.assertIn("vault backup", out)

    # ---- rekey ---------------------------------------------------------------

    def test_rekey_on_a_healthy_vault(self):
        toks, _ = self.ok("vault", "tokenise", self.vault, CPRS, "--domain", DOMAIN, *self.pw())
        out, _ = self.ok("vault", "rekey", self.vault, "--reason", "check", *self.pw())
        self.assertEqual(out, "re-keyed 0 domains: every domain is on the primary key version 1\n")
        # After a rotation (which re-keys every domain) there is nothing left.
        self.ok("vault", "rotate", self.vault, "--reason", "yearly", *self.pw())
        before = self.audit_entries()
        out, _ = self.ok("vault", "rekey", self.vault, "--reason", "check", *self.pw())
        self.assertIn("re-keyed 0 domains", out)
        self.assertIn("primary key version 2", out)
        self.assertEqual(self.audit_entries(), before)  # nothing re-keyed: nothing audited
        # The tokens still re-identify.
        back, _ = self.ok("vault", "reidentify", self.vault, "--domain", DOMAIN, "--reason",
                          "check", *self.pw(), stdin=toks)
        self.assertEqual(len(back.splitlines()), 40)
        _, err = self.fails("vault", "rekey", self.vault, *self.pw())
        self.assertIn("--reason is required", err)
        self.fails("vault", "rekey", self.vault, "--reason", "x", "--passphrase-env", "NOPE_VAR")

    def test_rekey_help(self):
        rc, out, _ = run("help", "vault", "rekey")
        self.assertEqual(rc, 0)
        for text in ("--reason TEXT", "interrupted", "primary", "--passphrase-env"):
            self.assertIn(text, out)
        rc, out, _ = run("help")
        self.assertEqual(rc, 0)
        self.assertIn("vault rekey", out)


if __name__ == "__main__":
    unittest.main()
