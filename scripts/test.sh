#!/usr/bin/env bash
# Every test of gdprkit, on a fresh machine: installs what it needs, then
#  0. the static checks (scripts/lint.sh): ruff, mypy --strict, clang-format,
#     the include graph of the areas, no block copied between doors;
#  1. builds (RelWithDebInfo, benchmarks included) and runs the C++
#     (GoogleTest), C ABI, CLI and install/consumer tests with CTest;
#  2. pip-installs the Python package into a fresh virtual environment, checks
#     python/gdprkit/_gdprkit.pyi against the installed extension
#     (scripts/check_stubs.py) and runs pytest against the installed package;
#  3. builds with clang, AddressSanitizer + UndefinedBehaviorSanitizer and
#     runs the C++ and C tests again, then runs each libFuzzer target briefly.
# Every build is -Wall -Wextra -Werror on every target of ours (GDPRKIT_WERROR).
# Exits non-zero when any check or test fails; a failed static check lets the
# builds and tests run first, so one run shows everything.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=$(nproc)
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
start=$(date +%s)
step() { echo; echo "=== [$(( $(date +%s) - start ))s] $* ==="; }

step "setup"
bash scripts/setup.sh

failed_checks=()
step "0/3 static checks: ruff, mypy --strict, clang-format, architecture, duplicates"
bash scripts/lint.sh || failed_checks+=("static checks (scripts/lint.sh)")

step "1/3 build (-Werror) and CTest (C++, C ABI, CLI, install)"
bash scripts/build.sh -DGDPRKIT_BUILD_BENCHMARKS=ON
ctest --test-dir build/release --output-on-failure -j"$JOBS"

step "2/3 pip install . into the virtual environment, then pytest against it"
# .venv is made by setup.sh with the build backend, so the build needs no
# download; the package is reinstalled from this checkout each run.
# Warnings are errors here too: the extension, the core and the CLI as pip
# builds them (scikit-build-core takes -C cmake.define.X=Y like -DX=Y).
.venv/bin/python -m pip install -q --no-build-isolation --no-deps --force-reinstall \
  --config-settings=build-dir=build/pip --config-settings=cmake.define.GDPRKIT_WERROR=ON . \
  || { echo "pip install . failed"; exit 1; }
bash scripts/lint.sh stubs || failed_checks+=("stub check (scripts/check_stubs.py)")
(cd "$ROOT/tests/python" && "$ROOT/.venv/bin/python" -m pytest -q -p no:cacheprovider .)

step "3/3 ASan + UBSan build (clang), CTest, fuzzers"
SAN=build/asan
if [ ! -f "$SAN/build.ninja" ]; then
  # Debug keeps assertions; -O1 (as the ASan documentation advises) makes the
  # instrumented tests several times faster than -O0.
  CC=clang CXX=clang++ cmake -S . -B "$SAN" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_C_FLAGS_DEBUG="-g -O1 -fno-omit-frame-pointer" \
    -DCMAKE_CXX_FLAGS_DEBUG="-g -O1 -fno-omit-frame-pointer" \
    -DGDPRKIT_SANITIZE=address,undefined -DGDPRKIT_BUILD_FUZZERS=ON -DGDPRKIT_BUILD_TOOLS=ON >/dev/null
fi
# clang's warnings, as errors, on every target (fuzzers included); set on
# every run so that a build dir made before the option gets it too.
cmake -S . -B "$SAN" -DGDPRKIT_WERROR=ON >/dev/null
cmake --build "$SAN" -j"$JOBS"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$SAN" --output-on-failure -j"$JOBS" -LE install
for fuzzer in "$SAN"/tests/fuzz/*_fuzzer; do
  [ -x "$fuzzer" ] || continue
  name=$(basename "$fuzzer")
  corpus="$SAN/fuzz-corpus/$name"; mkdir -p "$corpus"
  seeds="tests/fuzz/corpus/${name%_fuzzer}"
  echo "fuzzing $name for ${FUZZ_SECONDS}s"
  "$fuzzer" -max_total_time="$FUZZ_SECONDS" -max_len=65536 -print_final_stats=0 \
     "$corpus" $( [ -d "$seeds" ] && echo "$seeds" ) > "$SAN/$name.log" 2>&1 \
    || { tail -n 60 "$SAN/$name.log"; echo "fuzzer $name found a crash"; exit 1; }
done

if [ ${#failed_checks[@]} -gt 0 ]; then
  step "the tests passed, but these checks failed (see above): ${failed_checks[*]}"
  exit 1
fi
step "all checks and tests passed in $(( $(date +%s) - start ))s"
