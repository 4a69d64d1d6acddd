#!/usr/bin/env bash
# The static checks of gdprkit. Each names what it found; the run fails when
# any check found something (all of them run first, so one run shows all).
#   scripts/lint.sh                  ruff, mypy, format, architecture, duplicates
#   scripts/lint.sh ruff mypy        only those
#   scripts/lint.sh stubs [EXT]      python/gdprkit/_gdprkit.pyi against the
#                                    extension: the installed one, or EXT (a
#                                    build dir or the .so)
# Checks:
#   ruff          ruff check: the package, tests/python, examples, scripts,
#                 benchmarks (rules in pyproject.toml)
#   mypy          mypy --strict on python/gdprkit and examples/ (pyproject.toml), with the
#                 stub python/gdprkit/_gdprkit.pyi
#   format        clang-format --dry-run --Werror on every tracked C/C++ file
#                 (.clang-format); `clang-format -i FILE` fixes one
#   architecture  tests/architecture_check.py: the include graph of the areas
#   duplicates    scripts/check_duplicates.py: no block copied between doors
#   stubs         scripts/check_stubs.py (needs the built extension)
# Needs scripts/setup.sh first (ruff, mypy, pandas-stubs in .venv; clang-format).
# GDPRKIT_CHECKS=advisory prints the findings but exits 0.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
CLANG_FORMAT=${CLANG_FORMAT:-clang-format}

check_ruff() {
  "$PY" -m ruff check --no-cache --output-format concise \
    python/gdprkit tests/python examples scripts benchmarks
}
check_mypy() {
  local out rc
  out=$("$PY" -m mypy --no-error-summary --show-error-codes 2>&1); rc=$?
  [ -n "$out" ] && grep -v ': note: ' <<<"$out"
  return $rc
}
check_format() {
  local files found
  mapfile -d '' files < <(git ls-files -z -- '*.c' '*.cc' '*.h' '*.cpp' '*.hpp')
  # One line a file: how many places differ, and the first lines.
  found=$("$CLANG_FORMAT" --dry-run --Werror "${files[@]}" 2>&1 \
    | sed -nE 's/^([^ :]+):([0-9]+):[0-9]+: error: .*/\1 \2/p' \
    | awk '{n[$1]++; if (n[$1] <= 5) at[$1] = at[$1] (n[$1] > 1 ? ", " : "") $2}
           END {for (f in n) printf "%s: %d place(s) clang-format would write otherwise (lines %s%s)\n",
                f, n[f], at[f], (n[f] > 5 ? ", ..." : "")}' | sort)
  [ -z "$found" ] && return 0
  echo "$found"
  echo "(clang-format -i FILE rewrites a file as .clang-format says)"
  return 1
}
check_architecture() { python3 tests/architecture_check.py; }
check_duplicates() { "$PY" scripts/check_duplicates.py; }
check_stubs() {
  if [ -n "${STUB_EXTENSION:-}" ]; then
    "$PY" scripts/check_stubs.py --extension "$STUB_EXTENSION"
  else
    "$PY" scripts/check_stubs.py
  fi
}

checks=("$@")
if [ ${#checks[@]} -eq 0 ]; then
  checks=(ruff mypy format architecture duplicates)
elif [ "${checks[0]}" = stubs ] && [ ${#checks[@]} -eq 2 ]; then
  STUB_EXTENSION=${checks[1]}
  checks=(stubs)
fi

failed=()
for c in "${checks[@]}"; do
  if ! declare -F "check_$c" >/dev/null; then
    echo "lint.sh: unknown check '$c' (ruff, mypy, format, architecture, duplicates, stubs)"
    exit 2
  fi
  t0=$(date +%s%N)
  echo "--- check: $c"
  if "check_$c"; then status=ok; else status=FAILED; failed+=("$c"); fi
  tenths=$(( ($(date +%s%N) - t0) / 100000000 ))
  echo "--- check: $c $status ($((tenths / 10)).$((tenths % 10))s)"
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "lint.sh: failed: ${failed[*]}"
  if [ "${GDPRKIT_CHECKS:-}" = advisory ]; then
    echo "lint.sh: GDPRKIT_CHECKS=advisory: not failing the run"
    exit 0
  fi
  exit 1
fi
echo "lint.sh: passed: ${checks[*]}"
