#!/usr/bin/env bash
# Installs the built wheel (dist/, scripts/build_wheel.sh) into a fresh virtual
# environment and runs the Python test suite against it where the system's
# copies of gdprkit's dependencies cannot be found:
#   1. the extension and the CLI in the installed wheel need, by their ELF
#      dynamic section, nothing beyond glibc and libgcc_s, and import no
#      symbol that is not versioned by glibc or libgcc (a dependency's symbol
#      would be unversioned: sqlite3_open, sodium_init, ...);
#   2. in a mount namespace (unshare -m) each shared library of Abseil,
#      protobuf, libsodium, COIN-OR, LAPACK/BLAS and the Fortran runtime in the
#      system's library directories is replaced by an empty file, and
#      LD_LIBRARY_PATH is empty; there `import gdprkit`, the CLI and the whole
#      Python suite run. SQLite's libsqlite3.so.0 stays visible, because the
#      Python interpreter's own sqlite3 module (which the vault tests use to
#      damage vault files) needs it; check 1 shows the extension does not.
#   3. `import gdprkit` needs no pandas (tests/python/test_optional_deps.py,
#      part of the suite).
# Prints the figures benchmarks/RESULTS.md records: wheel size, the time from
# `pip install` of the wheel to a working import in a fresh venv, import time.
#   scripts/test_wheel.sh [pytest arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PYTHON:-python3}
wheels=(dist/gdprkit-*.whl)
[ -f "${wheels[0]}" ] || { echo "test_wheel: no wheel in dist/ (run scripts/build_wheel.sh)" >&2; exit 1; }
WHEEL=$ROOT/${wheels[0]}
VENV=$ROOT/build/wheel-venv
fail() { echo "test_wheel: $*" >&2; exit 1; }

# --- A fresh venv; the wheel with its one dependency (numpy) -----------------
rm -rf "$VENV"
t0=$(date +%s%N)
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check "$WHEEL"
"$VENV/bin/python" -c "import gdprkit" || fail "import gdprkit failed in a fresh venv"
t1=$(date +%s%N)
echo "test_wheel: $(basename "$WHEEL"): $(du -k "$WHEEL" | cut -f1) KiB; fresh venv + pip install + import: $(( (t1 - t0) / 1000000000 )).$(( (t1 - t0) / 100000000 % 10 )) s"
"$VENV/bin/python" - <<'PY'
import subprocess, sys
code = "import time; t = time.perf_counter(); import gdprkit; print(time.perf_counter() - t)"
runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout) for _ in range(7)]
print(f"test_wheel: import gdprkit: {min(runs) * 1000:.0f} ms (best of 7, no pandas installed)")
PY
# Everything the test suite uses (the same pins as scripts/setup.sh); polars
# and duckdb only to hand their Arrow columns to the package.
"$VENV/bin/python" -m pip install -q --disable-pip-version-check "$WHEEL[test,pandas,progress,excel,plot,arrow,spark]" \
  "polars>=1.0" "duckdb>=1.1" "nbclient>=0.7" "nbconvert>=7" ipykernel "mypy==2.4.1" "pandas-stubs==3.1.0.261029" \
  "types-tqdm==4.70.0.20261106" "types-openpyxl==3.1.5.20261017"

SITE=$("$VENV/bin/python" -c "import gdprkit, os; print(os.path.dirname(gdprkit.__file__))")
case "$SITE" in "$VENV"/*) ;; *) fail "gdprkit imports from $SITE, not from the fresh venv" ;; esac

# --- 1. What the installed binaries ask of the system ------------------------
ALLOWED_NEEDED='^(libc\.so\.6|libm\.so\.6|libgcc_s\.so\.1|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|ld-linux-x86-64\.so\.2)$'
check_binary() {
  local f=$1 needed bad
  needed=$(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  bad=$(echo "$needed" | grep -Ev "$ALLOWED_NEEDED" || true)
  [ -z "$bad" ] || fail "$(basename "$f") needs $(echo "$bad" | tr '\n' ' ')beyond glibc and libgcc_s"
  # Undefined dynamic symbols: every one versioned by glibc or libgcc.
  # (Weak references - libstdc++'s to libitm, say - may stay unresolved.)
  bad=$(nm -D --undefined-only "$f" | awk '$(NF-1) == "U" {print $NF}' | grep -Ev '@(GLIBC|GCC)_' \
        | grep -Ev '^(_Py|Py)' || true)
  [ -z "$bad" ] || fail "$(basename "$f") imports symbols no system library versions: $(echo "$bad" | tr '\n' ' ' | cut -c1-300)"
  echo "test_wheel: $(basename "$f") needs only: $(echo "$needed" | tr '\n' ' ')"
}
ext=("$SITE"/_gdprkit*.so)
check_binary "${ext[0]}"
check_binary "$VENV/bin/gdprkit"

# --- 2. The suite with the system's dependency libraries hidden ---------------
HIDE_PATTERNS='libabsl_|libprotobuf|libprotoc|libsodium|libCbc|libClp|libCgl|libOsi|libCoinUtils|liblapack|libblas|libopenblas|libgfortran|libquadmath'
hidden=$(find /lib /usr/lib /lib64 /usr/lib64 /usr/local/lib -maxdepth 3 \( -type f -o -type l \) -name 'lib*.so*' 2>/dev/null \
         | grep -E "/($HIDE_PATTERNS)[^/]*$" | while read -r f; do readlink -f "$f"; done | sort -u || true)
[ -n "$hidden" ] || echo "test_wheel: no system copy of a dependency found to hide (a machine without the -dev packages)"
echo "test_wheel: hiding $(echo "$hidden" | grep -c . || true) shared libraries of the dependencies"
first_hidden=${hidden%%$'\n'*}
EMPTY=$(mktemp); trap 'rm -f "$EMPTY"' EXIT
# The release build's CLI and C library (scripts/build.sh with
# GDPRKIT_DEPS_PREFIX) are self-contained too: the door-parity tests drive them.
CLI=${GDPRKIT_CLI:-$ROOT/build/release/gdprkit}
unshare -m --propagation private bash -s -- "$EMPTY" "$VENV" "$CLI" "$@" <<EOF
set -euo pipefail
empty=\$1 venv=\$2 cli=\$3; shift 3
while read -r f; do [ -n "\$f" ] && mount --bind "\$empty" "\$f"; done <<'LIST'
$hidden
LIST
# GDPRKIT_REQUIRE_SPARK: the Spark tests fail, not skip, without pyspark or Java.
export LD_LIBRARY_PATH= GDPRKIT_CLI=\$cli GDPRKIT_REQUIRE_SPARK=1
# The check is only as good as the hiding: a hidden library must not load.
if [ -n "$first_hidden" ]; then
  "\$venv/bin/python" -c "import ctypes, sys
try:
    ctypes.CDLL('$first_hidden')
except OSError:
    sys.exit(0)
sys.exit('a hidden library still loads')"
fi
"\$venv/bin/gdprkit" version
cd "$ROOT/tests/python"
"\$venv/bin/python" -m pytest -q -p no:cacheprovider "\$@" .
EOF
echo "test_wheel: the suite passed against the installed wheel with the dependencies hidden"
