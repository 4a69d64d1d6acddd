#!/usr/bin/env bash
# Builds the C++ dependencies that gdprkit links *into* its shipped binaries
# (libgdprkit.so.0, the Python wheel's extension, the gdprkit CLI), so that
# those binaries need nothing beyond glibc:
#
#   Abseil 20220623, Protocol Buffers 3.21.12, COIN-OR CoinUtils/Osi/Clp/Cgl/Cbc
#       from Debian 12's own source packages (apt-get source: the same version
#       and security patches as the -dev packages the rest of the build uses),
#       static, position-independent (-fPIC). Debian's own .a archives cannot
#       go into a shared library: they are built as PIE, and Abseil's and
#       protobuf's use local-exec TLS, COIN-OR's refer to libc's stdout.
#       COIN-OR is configured without LAPACK/BLAS, zlib and bzip2: the solver
#       does its own dense factorisation, gdprkit never reads compressed MPS,
#       and so no Fortran runtime (libgfortran, LGPL libquadmath) comes along.
#   libsodium 1.0.18 and SQLite 3.40 need no rebuild: Debian's libsodium.a and
#       libsqlite3.a link into a shared library once their symbols are hidden
#       (-Wl,--exclude-libs,ALL), which every shipped gdprkit binary does.
#
# Installs into build/deps (or $GDPRKIT_DEPS_PREFIX), with each dependency's
# licence under share/licenses/<name>/. A stamp records what was built from
# what; a second run with the same sources does nothing. Configure with
# -DGDPRKIT_DEPS_PREFIX=<that prefix> to link them (scripts/build_wheel.sh,
# scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PREFIX=${GDPRKIT_DEPS_PREFIX:-$ROOT/build/deps}
WORK=${GDPRKIT_DEPS_WORK:-$ROOT/build/deps-src}
JOBS=$(nproc)
# Source packages, built in this order (each needs the ones before it).
COIN_PACKAGES=(coinutils coinor-osi clp coinor-cgl coinor-cbc)
PACKAGES=(abseil protobuf "${COIN_PACKAGES[@]}")
# Debian binary packages whose static archives are linked as they are.
DEBIAN_ARCHIVES=(libsodium-dev libsqlite3-dev)
FLAGS="-O2 -fPIC -fvisibility=hidden -fvisibility-inlines-hidden"

log() { echo "build_deps: $*"; }

# --- Sources: apt-get source with a private list that adds deb-src ---------
# The machine's own apt configuration is left as it is.
APT="$WORK/apt"
mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/parts" "$WORK/src"
: > "$APT/sources.list"
shopt -s nullglob
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  case "$f" in
    *.list) [ -f "$f" ] && { grep -E '^deb ' "$f" | sed 's/^deb /deb-src /' >> "$APT/sources.list" || true; } ;;
    *.sources)
      # deb822: keep each stanza with "Types: deb", as deb-src, in our own file.
      awk 'BEGIN{RS=""; ORS="\n\n"} /(^|\n)Types:.*deb/ {sub(/Types:[^\n]*/, "Types: deb-src"); print}' \
        "$f" > "$APT/parts/$(basename "$f")" ;;
  esac
done
shopt -u nullglob
APTOPTS=(-o "Dir::Etc::SourceList=$APT/sources.list" -o "Dir::Etc::SourceParts=$APT/parts"
         -o "Dir::State::Lists=$APT/lists" -o "Dir::Cache=$APT/cache" -o "APT::Sandbox::User=root"
         -o "Debug::NoLocking=1")

versions_file="$WORK/versions"
if [ ! -s "$versions_file" ] || [ "$(find "$versions_file" -mmin +1440 2>/dev/null)" ]; then
  log "reading Debian's source index"
  apt-get "${APTOPTS[@]}" update -qq
  : > "$versions_file"
  for p in "${PACKAGES[@]}"; do
    v=$(apt-cache "${APTOPTS[@]}" showsrc "$p" | awk '/^Version:/{print $2}' | sort -V | tail -1)
    [ -n "$v" ] || { echo "build_deps: no Debian source package '$p' (is deb-src reachable?)" >&2; exit 1; }
    echo "$p $v" >> "$versions_file"
  done
fi
for deb in "${DEBIAN_ARCHIVES[@]}"; do
  dpkg-query -W -f='${Package} ${Version}\n' "$deb" >> "$versions_file.now" 2>/dev/null \
    || { echo "build_deps: Debian package $deb is not installed (scripts/setup.sh)" >&2; exit 1; }
done
stamp="$(cat "$versions_file" "$versions_file.now"; echo "flags $FLAGS"; gcc -dumpfullversion)"
rm -f "$versions_file.now"
if [ -f "$PREFIX/.stamp" ] && [ "$(cat "$PREFIX/.stamp")" = "$stamp" ]; then
  log "up to date in $PREFIX"
  exit 0
fi
rm -rf "$PREFIX"
mkdir -p "$PREFIX/share/licenses"

unpack() {  # unpack <package>: prints the unpacked source directory
  local p=$1 v dir
  v=$(awk -v p="$p" '$1 == p {print $2}' "$versions_file")
  dir="$WORK/src/$p-$v"
  if [ ! -f "$dir/.unpacked" ]; then
    rm -rf "$dir" "$WORK/dl-$p"
    mkdir -p "$WORK/dl-$p"
    (cd "$WORK/dl-$p" && apt-get "${APTOPTS[@]}" source -qq --download-only "$p=$v" >/dev/null 2>&1) \
      || { echo "build_deps: apt-get source $p=$v failed" >&2; exit 1; }
    dpkg-source -x --no-check "$WORK/dl-$p"/*.dsc "$dir" >/dev/null
    touch "$dir/.unpacked"
  fi
  echo "$dir"
}

licence() {  # licence <name> <files...>: the licence texts a binary build must carry
  local name=$1; shift
  mkdir -p "$PREFIX/share/licenses/$name"
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "$PREFIX/share/licenses/$name/"
  done
  return 0
}

cmake_dep() {  # cmake_dep <package> <cmake options...>
  local p=$1 src t0; shift
  t0=$(date +%s)
  src=$(unpack "$p")
  log "building $p ($(basename "$src")) with CMake"
  cmake -S "$src" -B "$WORK/build-$p" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$PREFIX" -DCMAKE_INSTALL_LIBDIR=lib -DCMAKE_PREFIX_PATH="$PREFIX" \
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DBUILD_SHARED_LIBS=OFF \
    -DCMAKE_C_FLAGS="$FLAGS" -DCMAKE_CXX_FLAGS="$FLAGS" "$@" >"$WORK/$p.configure.log" 2>&1 \
    || { tail -40 "$WORK/$p.configure.log"; exit 1; }
  cmake --build "$WORK/build-$p" -j"$JOBS" >"$WORK/$p.build.log" 2>&1 \
    || { tail -40 "$WORK/$p.build.log"; exit 1; }
  cmake --install "$WORK/build-$p" >/dev/null
  log "built $p in $(( $(date +%s) - t0 ))s"
}

autotools_dep() {  # autotools_dep <package> <configure options...>
  local p=$1 src t0; shift
  t0=$(date +%s)
  src=$(unpack "$p")
  log "building $p ($(basename "$src")) with configure"
  rm -rf "$WORK/build-$p"; mkdir -p "$WORK/build-$p"
  (cd "$WORK/build-$p" && PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig" PKG_CONFIG_LIBDIR="$PREFIX/lib/pkgconfig" \
     CFLAGS="$FLAGS" CXXFLAGS="$FLAGS -std=c++17" \
     "$src/configure" --prefix="$PREFIX" --libdir="$PREFIX/lib" --disable-shared --enable-static \
       --with-pic --disable-dependency-tracking "$@" >"$WORK/$p.configure.log" 2>&1) \
    || { tail -40 "$WORK/$p.configure.log"; exit 1; }
  make -C "$WORK/build-$p" -j"$JOBS" >"$WORK/$p.build.log" 2>&1 || { tail -40 "$WORK/$p.build.log"; exit 1; }
  make -C "$WORK/build-$p" install >/dev/null 2>&1
  log "built $p in $(( $(date +%s) - t0 ))s"
}

start=$(date +%s)
# COIN-OR's chain (configure scripts, mostly one core) runs beside Abseil and
# protobuf (ninja on every core): on two cores that saves minutes.
# Sources are fetched first, one at a time (apt-get shares its lists).
for p in "${PACKAGES[@]}"; do unpack "$p" >/dev/null; done
(
  # COIN-OR: no LAPACK/BLAS, zlib, bzip2, readline, GLPK, ASL, MUMPS, nauty.
  COIN_OFF=(--without-lapack --without-blas --disable-zlib --disable-bzlib --disable-readline
            --without-glpk --without-asl --without-mumps --without-nauty --without-sample
            --without-netlib --without-miplib3 --without-data --disable-cplex-libcheck)
  for p in "${COIN_PACKAGES[@]}"; do
    src=$(unpack "$p")
    autotools_dep "$p" "${COIN_OFF[@]}"
    licence "$p" "$src"/LICENSE "$src"/*/LICENSE "$src/debian/copyright"
  done
) > "$WORK/coin.log" 2>&1 &
coin_pid=$!

src=$(unpack abseil)
cmake_dep abseil -DCMAKE_CXX_STANDARD=17 -DABSL_PROPAGATE_CXX_STD=ON -DBUILD_TESTING=OFF \
  -DABSL_ENABLE_INSTALL=ON
licence abseil "$src/LICENSE" "$src/debian/copyright"

src=$(unpack protobuf)
# The library only: protoc is Debian's (the same 3.21.12), so the generated
# code and the runtime agree.
cmake_dep protobuf -S "$src/cmake" -Dprotobuf_BUILD_TESTS=OFF -Dprotobuf_BUILD_PROTOC_BINARIES=OFF \
  -Dprotobuf_BUILD_LIBPROTOC=OFF -Dprotobuf_WITH_ZLIB=OFF -Dprotobuf_BUILD_SHARED_LIBS=OFF \
  -Dprotobuf_INSTALL=ON
licence protobuf "$src/LICENSE" "$src/debian/copyright"

coin_status=0
wait "$coin_pid" || coin_status=$?
cat "$WORK/coin.log"
[ "$coin_status" -eq 0 ] || { echo "build_deps: COIN-OR failed" >&2; exit 1; }

# The Debian archives linked as they are, and the runtime GCC links in
# statically (-static-libstdc++ -static-libgcc): their copyright files.
licence libsodium /usr/share/doc/libsodium-dev/copyright /usr/share/doc/libsodium23/copyright
licence sqlite /usr/share/doc/libsqlite3-dev/copyright /usr/share/doc/libsqlite3-0/copyright
licence libstdc++ /usr/share/doc/libstdc++6/copyright /usr/share/doc/gcc-12-base/copyright

echo "$stamp" > "$PREFIX/.stamp"
log "built into $PREFIX in $(( $(date +%s) - start ))s"
