"""The cluster report of the cluster data guide, from Python: what
scripts/run_example.sh does from the command line, as a data consultant would
do it in Jupyter. Run it after `pip install .`:

    python examples/cluster_report.py
"""

import os
import pathlib
import tempfile

import pandas as pd

import gdprkit

HERE = pathlib.Path(__file__).resolve().parent

# 1. Lawful basis: the policy's findings and the rights of one purpose.
policy = gdprkit.Policy.load(HERE / "policies" / "kapsel.textproto")
print([f.code for f in policy.validate() if f.severity == "error"])
print(policy.rights(policy.purposes[0].id))

# 2. Retention: which records are due on a date (vectorised, no loop per row).
print(gdprkit.add_period("2025-11-30", "P15M"))  # 2027-02-28: the month-end rule
records = pd.read_csv(HERE / "records" / "kapsel_records.csv")
due = gdprkit.sweep(records, policy=policy, on="2027-03-01", id="id", purpose="purpose",
                    holds=("hold_start", "hold_end"))
print(due[["id", "status", "due_date", "next_due", "reason"]])

# 3. Pseudonyms of the provider numbers in a cluster domain (keyed ChaCha20).
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "klynge.vault")
    with gdprkit.Vault.create(path, passphrase="a long synthetic passphrase",
                              kdf="interactive") as vault:
        vault.create_domain("klynge-aarhus-2026")
        report = pd.read_csv(HERE / "identifiers" / "cluster_report.csv",
                             dtype={"ydernummer": str})
        report["ydernummer"] = vault.pseudonymise(report["ydernummer"],
                                                  domain="klynge-aarhus-2026",
                                                  kind="ydernummer")
        print(report.head(3))

# 4. Small-cell suppression with secondary suppression and an LP audit.
table = pd.read_csv(HERE / "tables" / "cluster_age.csv")
hier = pd.read_csv(HERE / "tables" / "practice_hierarchy.csv", keep_default_na=False)
result = gdprkit.suppress(table, dims=["practice", "age"], value="n", threshold=5,
                          hierarchies={"practice": hier})
print(result.table["status"].value_counts())
print("audit passed:", result.audit().passed)
