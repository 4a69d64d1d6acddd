#!/usr/bin/env bash
# Developer loop for the Python package without `pip install`: builds the
# _gdprkit extension in BUILD_DIR (default build/release), stages it with
# symlinks to python/gdprkit/* in BUILD_DIR/pystage, and runs pytest from .venv
# on it. Several developers (or agents) can use separate build directories at
# once without touching .venv's site-packages.
#   scripts/dev_pytest.sh [BUILD_DIR] [pytest args...]
# scripts/test.sh remains the reference: it tests the pip-installed package.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
shift || true
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGDPRKIT_BUILD_PYTHON=ON \
    -DPython_EXECUTABLE="$PWD/.venv/bin/python" >/dev/null
fi
cmake --build "$BUILD" --target _gdprkit gdprkit_cli
STAGE="$BUILD/pystage/gdprkit"
rm -rf "$BUILD/pystage"
mkdir -p "$STAGE"
for f in python/gdprkit/*; do ln -s "$PWD/$f" "$STAGE/"; done
ln -s "$PWD/$(ls "$BUILD"/_gdprkit*.so | head -1)" "$STAGE/"
export GDPRKIT_DEV_STAGE=1   # tests skip the installed-metadata check
export PATH="$PWD/$BUILD:$PATH"   # the gdprkit command, for tests that call it
PYTHONPATH="$PWD/$BUILD/pystage" exec .venv/bin/python -m pytest -q "${@:-tests/python}"
