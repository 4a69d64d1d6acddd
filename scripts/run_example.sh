#!/usr/bin/env bash
# The main job on the bundled example data: the seed organisations' policies
# (examples/policies/) are checked and their rights tables printed.
# Installs what it needs (scripts/setup.sh) and builds first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh >/dev/null
GDPRKIT=build/release/gdprkit

shopt -s nullglob
policies=(examples/policies/*.textproto)
echo "== gdprkit $($GDPRKIT version) =="
echo
echo "== 1. Lawful basis: checking ${#policies[@]} example policies =="
status=0
$GDPRKIT policy check "${policies[@]}" || status=$?
echo
for p in "${policies[@]}"; do
  echo "== Rights of the data subjects: $p =="
  $GDPRKIT policy rights "$p"
  echo
done
# Exit status 1 from `policy check` means a seed policy has errors a DPO would
# flag (that is the finding, not a failure of this job); 2 would be a failure.
[ "$status" -le 1 ]
