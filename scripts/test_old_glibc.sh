#!/usr/bin/env bash
# Runs the shipped C library and CLI on an older glibc than the build
# machine's: Debian 11 (bullseye, glibc 2.31, the glibc of Ubuntu 20.04 too),
# unpacked by debootstrap into build/bullseye (once; a second run reuses it).
# The symbol versions of every shipped binary are checked against glibc 2.28
# at link time (cmake/check_glibc_floor.cmake); this runs them where the
# newer versions do not exist:
#   - tests/python/test_ctypes.py with bullseye's own Python 3.9, driving
#     libgdprkit.so.0 through ctypes (policy, rights, exported-key pseudonyms,
#     errors, the docs/ffi.md example);
#   - the CLI: version, policy check and rights, a vault with pseudonyms and a
#     check against the identifiers, suppression of the example table.
#   scripts/test_old_glibc.sh [build dir, default build/release]
#   scripts/test_old_glibc.sh --prepare    only make the Debian 11 root (the
#                                          test command does it in the background)
# Needs root (chroot, mount) and debootstrap (apt-get install debootstrap).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CHROOT=${GDPRKIT_OLD_GLIBC_ROOT:-$ROOT/build/bullseye}
prepare() {
  command -v debootstrap >/dev/null || {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; }
  if [ ! -f "$CHROOT/.complete" ]; then
    echo "test_old_glibc: debootstrap bullseye into $CHROOT"
    rm -rf "$CHROOT"
    mkdir -p "$(dirname "$CHROOT")"
    debootstrap --variant=minbase --include=python3 bullseye "$CHROOT" http://deb.debian.org/debian \
      >"$CHROOT.log" 2>&1 || { tail -20 "$CHROOT.log"; exit 1; }
    touch "$CHROOT/.complete"
  fi
}
if [ "${1:-}" = --prepare ]; then
  prepare
  exit 0
fi
BUILD=$(cd "${1:-build/release}" && pwd)
for f in "$BUILD/libgdprkit.so.0" "$BUILD/gdprkit"; do
  [ -e "$f" ] || { echo "test_old_glibc: $f is missing (scripts/build.sh)" >&2; exit 1; }
done
# (grep without -q, here and below: with pipefail, a grep that stops reading
# early would fail the pipeline through SIGPIPE.)
needed=$(readelf -d "$BUILD/libgdprkit.so.0")
if ! grep 'libgcc_s' <<<"$needed" >/dev/null || grep 'libprotobuf' <<<"$needed" >/dev/null; then
  echo "test_old_glibc: $BUILD was not built with -DGDPRKIT_DEPS_PREFIX (its library needs shared dependencies)" >&2
  exit 1
fi
prepare
glibc=$(chroot "$CHROOT" /usr/bin/ldd --version | awk 'NR == 1 {print $NF}')
echo "test_old_glibc: running on glibc $glibc (Debian $(cat "$CHROOT/etc/debian_version"))"

# The repository at the same path inside the chroot (read-only), so the
# tests find their files; /proc for Python; a scratch /tmp.
unshare -m --propagation private bash -s -- "$CHROOT" "$ROOT" "$BUILD" <<'EOF'
set -euo pipefail
chroot_dir=$1 root=$2 build=$3
# The scratch /tmp first: a repository under /tmp (a CI clone) is bound inside it.
mkdir -p "$chroot_dir/proc"
mount -t proc proc "$chroot_dir/proc"
mount -t tmpfs tmpfs "$chroot_dir/tmp"
mkdir -p "$chroot_dir$root"
mount --bind "$root" "$chroot_dir$root"
mount -o remount,bind,ro "$chroot_dir$root"
run() { chroot "$chroot_dir" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 "$@"; }
run env GDPRKIT_C_LIBRARY="$build/libgdprkit.so.0" python3 "$root/tests/python/test_ctypes.py"
cli=$build/gdprkit
run "$cli" version
# Exit status 1: the seed policy has findings (the result, not a failure).
run "$cli" policy check "$root/examples/policies/kontakt_laege.textproto" >/dev/null || [ $? -eq 1 ]
run "$cli" policy rights "$root/examples/policies/kontakt_laege.textproto" >/dev/null
pass=(env GDPRKIT_TEST_PASSPHRASE=old-glibc-test-passphrase)
run "${pass[@]}" "$cli" vault create --domain cluster --kdf tests_only \
  --passphrase-env GDPRKIT_TEST_PASSPHRASE /tmp/v.gdprkit >/dev/null
printf 'provider\n123456\n654321\n' > "$chroot_dir/tmp/ids.csv"
run "${pass[@]}" "$cli" vault pseudonymise --domain cluster --kind provider_number --column provider \
  --passphrase-env GDPRKIT_TEST_PASSPHRASE /tmp/v.gdprkit /tmp/ids.csv > "$chroot_dir/tmp/out.csv"
[ "$(grep -c '^ps[0-9]*_' "$chroot_dir/tmp/out.csv")" = 2 ] \
  || { echo "vault pseudonymise gave:"; cat "$chroot_dir/tmp/out.csv"; exit 1; }
! grep -q 123456 "$chroot_dir/tmp/out.csv" || { echo "vault pseudonymise left an identifier"; exit 1; }
# Suppression with the LP audit: COIN-OR's solver on the old glibc.
run "$cli" suppress "$root/examples/tables/cluster_age.csv" --dims practice,age --value n \
  --hierarchy "practice=$root/examples/tables/practice.hrc" --audit > "$chroot_dir/tmp/supp.txt"
grep -q 'suppressed' "$chroot_dir/tmp/supp.txt" || { echo "suppress gave:"; cat "$chroot_dir/tmp/supp.txt"; exit 1; }
EOF
echo "test_old_glibc: libgdprkit.so.0 (ctypes) and the CLI ran on glibc $glibc"
