#!/usr/bin/env bash
# The main job on the bundled example data: the cluster report of the cluster
# data guide, end to end, with the seed organisations' policies.
#   1. lawful basis: the example policies (examples/policies/) are checked and
#      their rights tables printed;
#   2. retention: which of KAPsel's records are due for deletion on a date;
#   3. pseudonymisation: the cluster report's provider numbers are replaced by
#      keyed pseudonyms of a cluster domain, in a throw-away vault;
#   4. small-cell suppression: the cluster table is protected (primary and
#      secondary suppression) and audited;
#   5. release: the cluster view goes through the release gate from
#      record-level data (checked, prepared, logged in a hash-chained release
#      log, verified);
#   6. Spark: the same cluster report on a local Apache Spark (pseudonyms on
#      the executors, tokens from the vault, the table counted by Spark and
#      protected on the driver, a retention sweep checked against pandas),
#      through the Python package (examples/spark_cluster_report.py);
#   7. consent and requests: Practio's research-contact consents recorded,
#      withdrawn and swept, a receipt verified; MedCom's rejected applicant's
#      erasure request on time (examples/consent_and_requests.py).
# Installs what it needs (scripts/setup.sh) and builds first. No server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The Python extension too, for section 6 (staged below, not installed).
bash scripts/build.sh -DGDPRKIT_BUILD_PYTHON=ON -DPython_EXECUTABLE="$PWD/.venv/bin/python" >/dev/null
GDPRKIT=build/release/gdprkit
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

shopt -s nullglob
policies=(examples/policies/*.textproto)
echo "== gdprkit $($GDPRKIT version) =="
echo
echo "== 1. Lawful basis: checking ${#policies[@]} example policies =="
status=0
$GDPRKIT policy check "${policies[@]}" || status=$?
# Exit status 1 from `policy check` means a seed policy has errors a DPO would
# flag (that is the finding, not a failure of this job); 2 would be a failure.
[ "$status" -le 1 ]
echo
for p in "${policies[@]}"; do
  echo "== Rights of the data subjects: $p =="
  $GDPRKIT policy rights "$p"
  echo
done

echo "== 2. Retention: KAPsel's records on 2027-03-01 =="
$GDPRKIT retention sweep --policy examples/policies/kapsel.textproto \
  --records examples/records/kapsel_records.csv --on 2027-03-01
echo
echo "2025-11-30 + P15M = $($GDPRKIT retention add-period 2025-11-30 P15M)"
echo

echo "== 3. Pseudonymisation: the cluster report's provider numbers =="
# A throw-away vault under a random passphrase, passed by environment
# variable (never on the command line).
VAULT_PASS=$(head -c 24 /dev/urandom | base64)
export VAULT_PASS
$GDPRKIT vault create "$WORK/klynge.vault" --passphrase-env VAULT_PASS \
  --domain klynge-aarhus-2026
$GDPRKIT vault pseudonymise "$WORK/klynge.vault" examples/identifiers/cluster_report.csv \
  --domain klynge-aarhus-2026 --type ydernummer --column ydernummer \
  --passphrase-env VAULT_PASS | head -8
echo "..."
$GDPRKIT id check --type cpr examples/identifiers/cpr_with_errors.txt || true
echo

echo "== 4. Small-cell suppression: the cluster table (threshold 5), audited =="
echo "(the suppressed cells with the interval an attacker can derive; all other cells are published)"
$GDPRKIT suppress examples/tables/cluster_age.csv --dims practice,age --value n \
  --hierarchy practice=examples/tables/practice.hrc --audit > "$WORK/cluster_age.txt"
awk 'NR == 1 || / (primary|secondary) / || /^[0-9]+ cells:/' "$WORK/cluster_age.txt"
echo

echo "== 5. Release: the cluster view through the gate, from record-level data =="
# examples/records/cluster_records.csv: 3,000 synthetic registrations
# (patients x practices x age bands) with CPR numbers hidden in a few notes
# and registrations older than five years. The cluster guide's release rule
# (klyngeguide.textproto, "cluster-view") says what may leave.
KLYNGE=examples/policies/klyngeguide.textproto
RECORDS=examples/records/cluster_records.csv
echo "-- release check: what would break the rules if the records left as they are"
status=0
$GDPRKIT release check --policy "$KLYNGE" --release cluster-view "$RECORDS" \
  --on 2026-12-01 || status=$?
# Exit status 1 means findings (expected on raw records); 2 would be a failure.
[ "$status" -le 1 ]
echo
echo "-- release prepare: drop the old rows and the identifiers, tabulate, suppress, audit, log"
$GDPRKIT release prepare --policy "$KLYNGE" --release cluster-view "$RECORDS" \
  --on 2026-12-01 --out "$WORK/cluster_view.csv" --log "$WORK/releases.log"
echo
echo "-- the released table ($(($(wc -l < "$WORK/cluster_view.csv") - 1)) cells): its first lines and suppressed cells"
head -4 "$WORK/cluster_view.csv"
echo "..."
# (CSV lines end in CRLF; awk reads the whole file, so no SIGPIPE under pipefail)
awk -F, '$4 ~ /^suppressed/ && n++ < 6' "$WORK/cluster_view.csv"
echo "..."
echo
echo "-- release verify: the hash chain of the release log, and its last entry"
$GDPRKIT release verify "$WORK/releases.log"
$GDPRKIT release show "$WORK/releases.log" --last
echo "-- release digest of the file: the content digest the log recorded"
digest=$($GDPRKIT release digest "$WORK/cluster_view.csv" | cut -d' ' -f1)
last_entry=$($GDPRKIT release show "$WORK/releases.log" --last)
grep -qF "$digest" <<< "$last_entry"
echo "$digest"
echo

echo "== 6. Spark: the cluster report on a local Apache Spark (examples/spark_cluster_report.py) =="
# The package from the sources with the extension just built, staged as
# scripts/dev_pytest.sh does (nothing is installed into .venv).
STAGE="$WORK/pystage/gdprkit"
mkdir -p "$STAGE"
for f in python/gdprkit/*; do ln -s "$PWD/$f" "$STAGE/"; done
ln -s "$PWD/$(ls build/release/_gdprkit*.so | head -n 1)" "$STAGE/"
PYTHONPATH="$WORK/pystage" .venv/bin/python examples/spark_cluster_report.py 2> "$WORK/spark.log" \
  || { tail -n 40 "$WORK/spark.log"; exit 1; }
echo

echo "== 7. Consent and requests: Practio's research contact, MedCom's rejected applicant =="
# examples/consent_and_requests.py: consents recorded under vault tokens in a
# keyed ledger, withdrawn, swept ("until you withdraw"), a signed receipt
# verified; an erasure request registered with its Art. 12(3) deadline,
# decided per purpose, carried out in the vault, answered; an overdue one listed.
PYTHONPATH="$WORK/pystage" .venv/bin/python examples/consent_and_requests.py
echo "-- the deadline of a request received on 31 January, and extended:"
$GDPRKIT request deadline 2026-01-31
$GDPRKIT request deadline 2026-01-31 --extended
