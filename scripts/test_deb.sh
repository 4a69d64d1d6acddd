#!/usr/bin/env bash
# Builds gdprkit's Debian packages with CPack from a build dir and tests them
# as a user meets them on Debian 12:
#
#   scripts/test_deb.sh <build dir>
#
#  1. cpack: gdprkit_<version>_<arch>.deb (library + CLI), gdprkit-dev_... (C
#     headers, gdprkit.pc, CMake component c) and gdprkit-cpp-dev_... (the C++
#     library; cmake/install.cmake says why it is a package of its own);
#  2. their control data and contents (dpkg-deb -I/-c): names, versions,
#     Depends, the ldconfig trigger and shlibs, files in /usr and the
#     multiarch library directory only, owned by root, none world-writable,
#     no file in two packages;
#  3. dpkg -i gdprkit and gdprkit-dev into this machine; the library is in
#     ldconfig's cache and ldd finds only system libraries for it; the CLI runs;
#     a C program built with nothing but
#       gcc -std=c99 -Wall -Wextra -Werror rights_row.c $(pkg-config --cflags --libs gdprkit)
#     loads examples/policies/kontakt_laege.textproto and prints a purpose's
#     rights; a CMake project with find_package(gdprkit REQUIRED COMPONENTS c)
#     builds and runs while Abseil, protobuf, SQLite and pkg-config are hidden
#     from CMake, and asking for component cpp says which package is missing;
#  4. dpkg -i gdprkit-cpp-dev; the C and C++ consumer of tests/install builds
#     and runs against it;
#  5. dpkg -P all three; nothing of them is left (files, dpkg's records,
#     ldconfig's cache).
#
# This installs into the running system, so it must run as root on a machine
# that may be changed (CI); it is the stronger test than a scratch root
# (dpkg --root): the packages' Depends are checked against the machine's own
# packages, and the ldconfig trigger runs as it does for a user. The three
# packages, when installed before, are purged first, and again at the end,
# whatever the outcome. Runs of this script on one machine take turns (flock).
# The .deb files stay in <build dir>/deb-packages.
#
# The build dir should be configured with -DCMAKE_INSTALL_PREFIX=/usr, so that
# GNUInstallDirs chooses Debian's multiarch library directory; when it is not,
# this script reconfigures it so (nothing is recompiled) and says so.
set -euo pipefail
start=$(date +%s)
if [ $# -ne 1 ]; then
  echo "usage: scripts/test_deb.sh <build dir>" >&2
  exit 2
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$1" 2>/dev/null && pwd) || { echo "test_deb: no build dir $1" >&2; exit 2; }
OUT="$BUILD/deb-packages"
PACKAGES=(gdprkit gdprkit-dev gdprkit-cpp-dev)
POLICY="$ROOT/examples/policies/kontakt_laege.textproto"
PURPOSE=video-consultation

fail() { echo "test_deb: FAILED: $*" >&2; exit 1; }
step() { echo "test_deb: [$(( $(date +%s) - start ))s] $*"; }

[ "$(id -u)" -eq 0 ] || fail "must run as root: it installs and removes Debian packages"
[ -f "$BUILD/CMakeCache.txt" ] || fail "$BUILD is not a configured CMake build dir"
for tool in cmake cpack dpkg dpkg-deb dpkg-architecture dpkg-shlibdeps gcc pkg-config ldconfig ldd flock; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/setup.sh)"
done

exec 9>/tmp/gdprkit-test-deb.lock
flock -w 1800 9 || fail "another scripts/test_deb.sh held its lock for 30 minutes"

WORK=$(mktemp -d /tmp/gdprkit-test-deb.XXXXXX)
# dpkg, waiting a while for the lock when another dpkg or apt-get holds it.
dpkg_run() {
  local i out
  for i in $(seq 1 60); do
    if out=$(dpkg "$@" 2>&1); then
      printf '%s\n' "$out"
      return 0
    fi
    case "$out" in
      *"lock"*) sleep 2 ;;
      *) printf '%s\n' "$out" >&2; return 1 ;;
    esac
  done
  printf '%s\n' "$out" >&2
  return 1
}
installed() { dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -v '^not-installed$' >/dev/null; }
purge_all() {
  local p present=()
  for p in "${PACKAGES[@]}"; do
    if installed "$p"; then present+=("$p"); fi
  done
  if [ ${#present[@]} -gt 0 ]; then
    dpkg_run -P "${present[@]}" >/dev/null
  fi
}
cleanup() {
  local rc=$?
  purge_all || echo "test_deb: could not purge ${PACKAGES[*]}; remove them with dpkg -P" >&2
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT

cache() { sed -n "s/^$1:[A-Z]*=//p" "$BUILD/CMakeCache.txt"; }
VERSION=$(cache CMAKE_PROJECT_VERSION)
[ -n "$VERSION" ] || fail "no CMAKE_PROJECT_VERSION in $BUILD/CMakeCache.txt"
ARCH=$(dpkg --print-architecture)
MULTIARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)
LIBDIR=usr/lib/$MULTIARCH

step "gdprkit $VERSION for $ARCH, build dir $BUILD"
if [ "$(cache CMAKE_INSTALL_PREFIX)" != /usr ]; then
  step "reconfiguring $BUILD with -DCMAKE_INSTALL_PREFIX=/usr (Debian's layout; nothing is recompiled)"
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_INSTALL_PREFIX=/usr >/dev/null || fail "reconfiguring $BUILD"
fi
[ "$(cache CMAKE_INSTALL_LIBDIR)" = "lib/$MULTIARCH" ] \
  || fail "$BUILD installs libraries into $(cache CMAKE_INSTALL_LIBDIR), not Debian's lib/$MULTIARCH: configure it with -DCMAKE_INSTALL_LIBDIR=lib/$MULTIARCH"
targets=(gdprkit_c gdprkit_core)
[ "$(cache GDPRKIT_BUILD_TOOLS)" = OFF ] || targets+=(gdprkit_cli)
cmake --build "$BUILD" --target "${targets[@]}" >/dev/null || fail "building ${targets[*]} in $BUILD"

step "purging gdprkit packages installed before"
purge_all

# --- 1. cpack -----------------------------------------------------------------
step "cpack"
rm -rf "$OUT"
(cd "$BUILD" && cpack -G DEB -B "$OUT") > "$WORK/cpack.log" 2>&1 \
  || { cat "$WORK/cpack.log" >&2; fail "cpack in $BUILD"; }
declare -A DEB
for p in "${PACKAGES[@]}"; do
  DEB[$p]="$OUT/${p}_${VERSION}_${ARCH}.deb"
  [ -f "${DEB[$p]}" ] || fail "cpack made no ${p}_${VERSION}_${ARCH}.deb; it made: $(cd "$OUT" && ls ./*.deb 2>/dev/null | tr '\n' ' ')"
done
made=$(cd "$OUT" && ls ./*.deb | wc -l)
[ "$made" -eq ${#PACKAGES[@]} ] || fail "cpack made $made packages, not ${#PACKAGES[@]}: $(ls "$OUT"/*.deb)"

# --- 2. control data and contents -----------------------------------------------
step "dpkg-deb -I / -c"
field() { dpkg-deb -f "${DEB[$1]}" "$2"; }
for p in "${PACKAGES[@]}"; do
  [ "$(field "$p" Package)" = "$p" ] || fail "${DEB[$p]}: Package is '$(field "$p" Package)'"
  [ "$(field "$p" Version)" = "$VERSION" ] || fail "$p: Version is '$(field "$p" Version)', not $VERSION"
  [ "$(field "$p" Architecture)" = "$ARCH" ] || fail "$p: Architecture is '$(field "$p" Architecture)'"
  for f in Maintainer Section Description; do
    [ -n "$(field "$p" "$f")" ] || fail "$p has no $f field"
  done
done
depends_on() {  # depends_on <package> <regex of one Depends entry>
  field "$1" Depends | tr ',' '\n' | sed 's/^ *//; s/ *$//' | grep -Ex "$2" >/dev/null
}
depends_on gdprkit 'libc6( \(.*\))?' || fail "gdprkit does not depend on libc6 (was dpkg-shlibdeps run?): $(field gdprkit Depends)"
depends_on gdprkit-dev "gdprkit \(= ${VERSION//./\\.}\)" || fail "gdprkit-dev does not depend on gdprkit (= $VERSION): $(field gdprkit-dev Depends)"
depends_on gdprkit-cpp-dev "gdprkit-dev \(= ${VERSION//./\\.}\)" || fail "gdprkit-cpp-dev does not depend on gdprkit-dev (= $VERSION)"
depends_on gdprkit-cpp-dev 'libabsl-dev \(>= .*\)' || fail "gdprkit-cpp-dev does not depend on libabsl-dev"
echo "  gdprkit Depends: $(field gdprkit Depends)"
echo "  gdprkit-cpp-dev Depends: $(field gdprkit-cpp-dev Depends)"
# Built with the dependencies linked in (GDPRKIT_DEPS_PREFIX), the binaries
# need glibc and libgcc_s alone.
BUNDLED=$(cache GDPRKIT_DEPS_PREFIX)
if [ -n "$BUNDLED" ]; then
  others=$(field gdprkit Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep -Evx 'libc6|libgcc-s1' || true)
  [ -z "$others" ] || fail "built with GDPRKIT_DEPS_PREFIX, gdprkit still depends on: $others"
fi
if depends_on gdprkit-dev '(lib(absl|protobuf|sodium|sqlite)|coinor).*'; then
  fail "gdprkit-dev, for C programs, depends on a C++ dependency's package: $(field gdprkit-dev Depends)"
fi
mkdir -p "$WORK/control"
dpkg-deb -e "${DEB[gdprkit]}" "$WORK/control"
grep -qx 'activate-noawait ldconfig' "$WORK/control/triggers" 2>/dev/null \
  || fail "gdprkit has no 'activate-noawait ldconfig' trigger"
grep -qx "libgdprkit 0 gdprkit (>= $VERSION)" "$WORK/control/shlibs" 2>/dev/null \
  || fail "gdprkit's shlibs is not 'libgdprkit 0 gdprkit (>= $VERSION)': $(cat "$WORK/control/shlibs" 2>/dev/null)"
if cat "$WORK/control/postinst" "$WORK/control/postrm" 2>/dev/null | grep -v '^#' | grep ldconfig >/dev/null; then
  fail "a maintainer script calls ldconfig itself; the trigger does that"
fi

# Contents: "<mode> <owner/group> <size> <date> <time> <path>[ -> <target>]".
for p in "${PACKAGES[@]}"; do
  dpkg-deb -c "${DEB[$p]}" > "$WORK/$p.contents"
  awk -v p="$p" '
    $2 != "root/root" { print p ": " $6 " is owned by " $2; bad = 1 }
    substr($1, 1, 1) != "l" && substr($1, 9, 1) == "w" { print p ": " $6 " is world-writable (" $1 ")"; bad = 1 }
    $6 !~ /^\.\/usr\// { print p ": " $6 " is outside /usr"; bad = 1 }
    END { exit bad }' "$WORK/$p.contents" || fail "$p: ownership, modes or paths (above)"
  # Under /usr/lib only the multiarch directory.
  outside=$(awk '{print $6}' "$WORK/$p.contents" | grep '^\./usr/lib/.' | grep -v "^\./$LIBDIR/" || true)
  [ -z "$outside" ] || fail "$p puts files in /usr/lib outside /$LIBDIR: $outside"
done
has() {  # has <package> <path> [<type char>]
  awk -v f="./$2" -v t="${3:-}" '$6 == f && (t == "" || substr($1, 1, 1) == t) {found = 1} END {exit !found}' \
    "$WORK/$1.contents" || fail "$1 has no ${3:+($3) }/$2"
}
has gdprkit "$LIBDIR/libgdprkit.so.$VERSION" -
has gdprkit "$LIBDIR/libgdprkit.so.0" l
has gdprkit usr/share/doc/gdprkit/copyright -
[ "$(cache GDPRKIT_BUILD_TOOLS)" = OFF ] || has gdprkit usr/bin/gdprkit -
has gdprkit-dev usr/include/gdprkit.h -
has gdprkit-dev usr/include/gdprkit/c/policy.h -
has gdprkit-dev "$LIBDIR/libgdprkit.so" l
has gdprkit-dev "$LIBDIR/pkgconfig/gdprkit.pc" -
has gdprkit-dev "$LIBDIR/cmake/gdprkit/gdprkitConfig.cmake" -
has gdprkit-dev usr/share/doc/gdprkit-dev/copyright -
has gdprkit-cpp-dev usr/include/gdprkit/policy.h -
has gdprkit-cpp-dev "$LIBDIR/libgdprkit_cpp.a" -
has gdprkit-cpp-dev "$LIBDIR/cmake/gdprkit/gdprkit-cpp-targets.cmake" -
# No file in two packages (directories may be shared).
dups=$(for p in "${PACKAGES[@]}"; do awk 'substr($1, 1, 1) != "d" {print $6}' "$WORK/$p.contents"; done \
       | sort | uniq -d)
[ -z "$dups" ] || fail "files in more than one package: $dups"
# The runtime and the C development package hold no C++ API.
if grep -E '\./usr/include/gdprkit/[a-z_]+\.h$|libgdprkit_cpp' "$WORK/gdprkit.contents" "$WORK/gdprkit-dev.contents"; then
  fail "gdprkit or gdprkit-dev holds the C++ API (above)"
fi

# --- 3. gdprkit and gdprkit-dev installed ----------------------------------------
step "dpkg -i gdprkit gdprkit-dev"
dpkg_run -i "${DEB[gdprkit]}" "${DEB[gdprkit-dev]}" > "$WORK/dpkg-i.log" \
  || fail "dpkg -i gdprkit gdprkit-dev"
for p in gdprkit gdprkit-dev; do
  [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p")" = "ii " ] \
    || fail "$p is not installed and configured: $(dpkg-query -W -f='${db:Status-Abbrev}' "$p")"
done
SO="/$LIBDIR/libgdprkit.so.0"
[ -f "$SO" ] || fail "$SO is not there after dpkg -i"
# The file a name resolves to (/lib is /usr/lib on a merged-/usr system).
same_file() { [ -n "$1" ] && [ "$(readlink -f "$1")" = "$(readlink -f "$2")" ]; }
cached=$(ldconfig -p | awk '$1 == "libgdprkit.so.0" {print $NF}' | head -n 1)
same_file "$cached" "$SO" \
  || fail "ldconfig's cache has no libgdprkit.so.0 => $SO after dpkg -i (the ldconfig trigger did not run): '$cached'"
ldd "$SO" > "$WORK/ldd.txt" || fail "ldd $SO"
echo "  ldd $SO:"; sed 's/^/    /' "$WORK/ldd.txt"
# Each needed library resolves, to a system directory.
if grep -q 'not found' "$WORK/ldd.txt"; then fail "$SO needs a library that is not there (above)"; fi
awk '$2 == "=>" && $3 !~ /^\/(usr\/)?lib(64|32|x32)?\// {print; bad = 1} END {exit bad}' "$WORK/ldd.txt" \
  || fail "$SO loads a library from outside the system's library directories (above)"
if [ -n "$BUNDLED" ]; then
  awk '$1 !~ /^(linux-vdso|libc|libm|libgcc_s|libpthread|libdl|\/lib64\/ld-linux-x86-64)\.so/ {print; bad = 1}
       END {exit bad}' "$WORK/ldd.txt" || fail "built with GDPRKIT_DEPS_PREFIX, $SO needs more than glibc and libgcc_s (above)"
fi
if [ "$(cache GDPRKIT_BUILD_TOOLS)" != OFF ]; then
  [ "$(command -v gdprkit)" = /usr/bin/gdprkit ] || fail "gdprkit on PATH is $(command -v gdprkit), not /usr/bin/gdprkit"
  gdprkit version | grep -F "$VERSION" >/dev/null || fail "/usr/bin/gdprkit version does not say $VERSION"
  gdprkit policy rights "$POLICY" > "$WORK/cli-rights.txt" 2>&1 || fail "/usr/bin/gdprkit policy rights $POLICY"
  grep -q "$PURPOSE" "$WORK/cli-rights.txt" || fail "gdprkit policy rights does not name $PURPOSE"
fi

step "a C program with \$(pkg-config --cflags --libs gdprkit)"
# The machine's own pkg-config search path, nothing of the build tree.
unset PKG_CONFIG_PATH PKG_CONFIG_LIBDIR LD_LIBRARY_PATH LIBRARY_PATH CPATH C_INCLUDE_PATH
pcdir=$(pkg-config --variable=pcfiledir gdprkit) || fail "pkg-config does not find gdprkit"
[ "$pcdir" = "/$LIBDIR/pkgconfig" ] || fail "pkg-config finds gdprkit.pc in $pcdir, not /$LIBDIR/pkgconfig"
[ "$(pkg-config --modversion gdprkit)" = "$VERSION" ] || fail "pkg-config --modversion gdprkit is not $VERSION"
# In /usr, pkg-config drops the system directories: what is left is the library.
for flags in --libs "--static --libs" --cflags; do
  # shellcheck disable=SC2086  # $flags holds one or two options
  out=$(pkg-config $flags gdprkit | xargs)
  want=-lgdprkit
  [ "$flags" != --cflags ] || want=
  echo "  pkg-config $flags gdprkit: '$out'"
  [ "$out" = "$want" ] || fail "pkg-config $flags gdprkit says '$out', not '$want'"
done
cp "$ROOT/tests/install/rights_row.c" "$WORK/"
# shellcheck disable=SC2046  # pkg-config's output is meant to be split
(cd "$WORK" && gcc -std=c99 -Wall -Wextra -Werror rights_row.c $(pkg-config --cflags --libs gdprkit) -o rights_row) \
  || fail "gcc rights_row.c \$(pkg-config --cflags --libs gdprkit)"
loaded=$(ldd "$WORK/rights_row" | awk '$1 == "libgdprkit.so.0" {print $3}')
same_file "$loaded" "$SO" || fail "rights_row does not load $SO: $(ldd "$WORK/rights_row")"
"$WORK/rights_row" "$POLICY" "$PURPOSE" > "$WORK/rights_row.txt" || fail "rights_row $POLICY $PURPOSE"
sed 's/^/  /' "$WORK/rights_row.txt"
grep -Eq '^ +A17 +(yes|no) +Art\. 17' "$WORK/rights_row.txt" || fail "rights_row printed no A17 row"

step "a CMake project with find_package(gdprkit REQUIRED COMPONENTS c), dependencies hidden"
hidden=(-DCMAKE_DISABLE_FIND_PACKAGE_absl=ON -DCMAKE_DISABLE_FIND_PACKAGE_Protobuf=ON
        -DCMAKE_DISABLE_FIND_PACKAGE_SQLite3=ON -DCMAKE_DISABLE_FIND_PACKAGE_PkgConfig=ON)
cmake -S "$ROOT/tests/install/c_only" -B "$WORK/c_only" -G Ninja "${hidden[@]}" \
  -DGDPRKIT_COMPONENTS=c -DGDPRKIT_EXPECT_CPP=OFF -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  > "$WORK/c_only.log" 2>&1 || { cat "$WORK/c_only.log" >&2; fail "configuring the C-only CMake consumer"; }
found=$(sed -n 's/^gdprkit_DIR:PATH=//p' "$WORK/c_only/CMakeCache.txt")
[ "$found" = "/$LIBDIR/cmake/gdprkit" ] || fail "find_package(gdprkit) found $found, not /$LIBDIR/cmake/gdprkit"
cmake --build "$WORK/c_only" > "$WORK/c_only.log" 2>&1 || { cat "$WORK/c_only.log" >&2; fail "building the C-only CMake consumer"; }
"$WORK/c_only/rights_row" "$POLICY" "$PURPOSE" > /dev/null || fail "the C-only CMake consumer's rights_row"
if cmake -S "$ROOT/tests/install/c_only" -B "$WORK/cpp_missing" -G Ninja -DGDPRKIT_COMPONENTS=cpp \
     > "$WORK/cpp_missing.log" 2>&1; then
  fail "find_package(gdprkit REQUIRED COMPONENTS cpp) succeeded without gdprkit-cpp-dev"
fi
tr -s ' \n' '  ' < "$WORK/cpp_missing.log" | grep -F "package gdprkit-cpp-dev" >/dev/null \
  || { cat "$WORK/cpp_missing.log" >&2; fail "find_package(gdprkit COMPONENTS cpp) without gdprkit-cpp-dev does not name the package"; }

# --- 4. gdprkit-cpp-dev -------------------------------------------------------------
step "dpkg -i gdprkit-cpp-dev; the C and C++ consumer of tests/install"
dpkg_run -i "${DEB[gdprkit-cpp-dev]}" > "$WORK/dpkg-i-cpp.log" || fail "dpkg -i gdprkit-cpp-dev"
cmake -S "$ROOT/tests/install" -B "$WORK/consumer" -G Ninja -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  > "$WORK/consumer.log" 2>&1 || { cat "$WORK/consumer.log" >&2; fail "configuring the C++ consumer"; }
cmake --build "$WORK/consumer" -j2 > "$WORK/consumer.log" 2>&1 \
  || { cat "$WORK/consumer.log" >&2; fail "building the C++ consumer against gdprkit-cpp-dev"; }
"$WORK/consumer/consumer_c" | sed 's/^/  /' || fail "consumer_c"
"$WORK/consumer/consumer_cpp" | sed 's/^/  /' || fail "consumer_cpp"

# --- 5. removal ------------------------------------------------------------------
step "dpkg -P; nothing left"
for p in "${PACKAGES[@]}"; do dpkg-query -L "$p" >> "$WORK/files.txt"; done
dpkg_run -P "${PACKAGES[@]}" > "$WORK/dpkg-P.log" || fail "dpkg -P ${PACKAGES[*]}"
for p in "${PACKAGES[@]}"; do
  if installed "$p"; then fail "$p is still known to dpkg after dpkg -P"; fi
  if dpkg-query -L "$p" 2>/dev/null | grep . >/dev/null; then fail "dpkg -L $p still lists files"; fi
done
left=$(sort -u "$WORK/files.txt" | while read -r f; do
         if [ -L "$f" ] || { [ -e "$f" ] && [ ! -d "$f" ]; }; then echo "$f"; fi
       done)
[ -z "$left" ] || fail "files left after dpkg -P: $left"
for d in /usr/include/gdprkit "/$LIBDIR/cmake/gdprkit" /usr/share/gdprkit /usr/share/doc/gdprkit \
         /usr/share/doc/gdprkit-dev /usr/share/doc/gdprkit-cpp-dev; do
  [ ! -e "$d" ] || fail "$d is left after dpkg -P"
done
if ldconfig -p | grep libgdprkit >/dev/null; then fail "ldconfig's cache still has libgdprkit after dpkg -P"; fi

step "passed: the packages are in $OUT"
