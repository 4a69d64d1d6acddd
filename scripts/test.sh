#!/usr/bin/env bash
# Every test of gdprkit, on a fresh machine: installs what it needs, then
#  1. builds (RelWithDebInfo) and runs the C++ (GoogleTest), C ABI, CLI and
#     install/consumer tests with CTest;
#  2. pip-installs the Python package into a fresh virtual environment and runs
#     pytest against the installed package;
#  3. builds with clang, AddressSanitizer + UndefinedBehaviorSanitizer and
#     runs the C++ and C tests again, then runs each libFuzzer target briefly.
# Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=$(nproc)
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
start=$(date +%s)
step() { echo; echo "=== [$(( $(date +%s) - start ))s] $* ==="; }

step "setup"
bash scripts/setup.sh

step "1/3 build and CTest (C++, C ABI, CLI, install)"
bash scripts/build.sh
ctest --test-dir build/release --output-on-failure -j"$JOBS"

step "2/3 pip install . into the virtual environment, then pytest against it"
# .venv is made by setup.sh with the build backend, so the build needs no
# download; the package is reinstalled from this checkout each run.
.venv/bin/python -m pip install -q --no-build-isolation --no-deps --force-reinstall \
  --config-settings=build-dir=build/pip . \
  || { echo "pip install . failed"; exit 1; }
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

step "all tests passed in $(( $(date +%s) - start ))s"
