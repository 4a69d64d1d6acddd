#!/usr/bin/env bash
# Every test of gdprkit, on a fresh machine: installs what it needs, then
#  0. the static checks (scripts/lint.sh): ruff, mypy --strict, clang-format,
#     the include graph of the areas, no block copied between doors;
#  1. builds with clang, AddressSanitizer + UndefinedBehaviorSanitizer (against
#     the system's shared dependencies) and runs the C++ and C tests, then runs
#     each libFuzzer target briefly;
#  2. builds the dependencies the shipped binaries carry (scripts/build_deps.sh:
#     Abseil, protobuf, COIN-OR from Debian's sources, static and PIC; started
#     in the background at the beginning), then gdprkit with them
#     (RelWithDebInfo, benchmarks included), and runs the C++ (GoogleTest), C
#     ABI (C, ctypes, Java FFM), CLI and install/consumer tests with CTest; then
#     the Debian packages (scripts/test_deb.sh: built with CPack, installed with
#     dpkg, a C program and a CMake consumer built against them, removed), and
#     the C library (through ctypes) and the CLI in a Debian 11 root made by
#     debootstrap: glibc 2.31, older than this machine's (scripts/test_old_glibc.sh);
#  3. builds the sdist and the manylinux wheel (scripts/build_wheel.sh, in the
#     background once the dependencies are there), installs
#     the wheel into a fresh virtual environment and runs pytest against it with
#     the system's copies of the dependencies hidden (scripts/test_wheel.sh;
#     the gdprkit.spark tests on a local Spark session, Java 17, among them),
#     and checks python/gdprkit/_gdprkit.pyi against the installed extension.
# Every build is -Wall -Wextra -Werror on every target of ours (GDPRKIT_WERROR).
# Exits non-zero when any check or test fails; a failed static check lets the
# builds and tests run first, so one run shows everything.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=$(nproc)
FUZZ_SECONDS=${FUZZ_SECONDS:-12}
start=$(date +%s)
step() { echo; echo "=== [$(( $(date +%s) - start ))s] $* ==="; }

step "setup"
bash scripts/setup.sh

failed_checks=()
# Beside steps 0 and 1, which do not need them: the static dependencies
# (scripts/build_deps.sh; its configure scripts use one core), then the sdist
# and the wheel (scripts/build_wheel.sh, which needs them; the fuzzers of step
# 1 leave a core free), and the Debian 11 root of scripts/test_old_glibc.sh
# (network and disk). Their output is shown when they are waited for.
mkdir -p build
rm -f build/test-deps.status
(
  status=0
  bash scripts/build_deps.sh > build/test-deps.log 2>&1 || status=$?
  echo "$status" > build/test-deps.status
  [ "$status" -eq 0 ] && bash scripts/build_wheel.sh > build/test-wheel.log 2>&1
) & ship_pid=$!
bash scripts/test_old_glibc.sh --prepare > build/test-bullseye.log 2>&1 & root_pid=$!
trap 'pkill -P "$ship_pid" 2>/dev/null || true; kill "$ship_pid" "$root_pid" 2>/dev/null || true' EXIT
wait_for() {  # wait_for <pid> <log> <what>
  local status=0
  wait "$1" || status=$?
  cat "$2"
  [ "$status" -eq 0 ] || { echo "$3 failed (exit $status)"; exit 1; }
}
wait_for_deps() {  # the first half of the background build: the dependencies
  while [ ! -s build/test-deps.status ] && kill -0 "$ship_pid" 2>/dev/null; do sleep 5; done
  cat build/test-deps.log
  [ "$(cat build/test-deps.status 2>/dev/null)" = 0 ] || { echo "scripts/build_deps.sh failed"; exit 1; }
}

step "0/3 static checks: ruff, mypy --strict, clang-format, architecture, duplicates"
bash scripts/lint.sh || failed_checks+=("static checks (scripts/lint.sh)")

step "1/3 ASan + UBSan build (clang, the system's shared dependencies), CTest, fuzzers"
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


step "2/3 dependencies, build (-Werror), CTest (C++, C ABI, CLI, install), Debian packages, glibc 2.31"
wait_for_deps
bash scripts/build.sh -DGDPRKIT_BUILD_BENCHMARKS=ON -DGDPRKIT_DEPS_PREFIX="$ROOT/build/deps"
ctest --test-dir build/release --output-on-failure -j"$JOBS"
bash scripts/test_deb.sh build/release
wait_for "$root_pid" build/test-bullseye.log "the Debian 11 root (scripts/test_old_glibc.sh --prepare)"
bash scripts/test_old_glibc.sh build/release

step "3/3 sdist and wheel, installed into a fresh venv, pytest with the dependencies hidden"
wait_for "$ship_pid" build/test-wheel.log "scripts/build_wheel.sh (after scripts/build_deps.sh)"
bash scripts/test_wheel.sh
bash scripts/lint.sh stubs build/wheel-venv/lib/python3*/site-packages/gdprkit/_gdprkit*.so \
  || failed_checks+=("stub check (scripts/check_stubs.py)")

if [ ${#failed_checks[@]} -gt 0 ]; then
  step "the tests passed, but these checks failed (see above): ${failed_checks[*]}"
  exit 1
fi
step "all checks and tests passed in $(( $(date +%s) - start ))s"
