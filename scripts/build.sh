#!/usr/bin/env bash
# Configures and builds gdprkit into build/release (library, C library, CLI,
# tests), with -Wall -Wextra -Werror on every target of ours.
#   scripts/build.sh [-DOPTION=VALUE ...]     e.g. -DGDPRKIT_BUILD_BENCHMARKS=ON
# GDPRKIT_WERROR=OFF in the environment builds without -Werror (a compiler
# newer than Debian 12's may warn where these do not); BUILD_DIR another dir.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD_DIR:-build/release}
first=()
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  first=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo)
fi
# Configured on every run (quick when nothing changed), so that the options
# reach a build dir made before them too.
cmake -S . -B "$BUILD" "${first[@]}" -DGDPRKIT_WERROR="${GDPRKIT_WERROR:-ON}" "$@" >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
