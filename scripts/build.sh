#!/usr/bin/env bash
# Configures and builds gdprkit into build/release (library, C library, CLI, tests).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD_DIR:-build/release}
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
fi
cmake --build "$BUILD" -j"$(nproc)"
