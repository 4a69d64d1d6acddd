"""The cluster report on Apache Spark: what examples/cluster_report.py does
with pandas, written for data that has outgrown a notebook. The same code
runs on a cluster; here it runs in local mode on the bundled records.

    pip install 'gdprkit[spark]'    # and Java 17+
    python examples/spark_cluster_report.py

1. pseudonyms of the patients' CPR numbers, computed on the executors from
   the vault domain's exported key (shipped as a broadcast, never in a plan);
2. tokens of the provider numbers, made in the vault on the driver and joined
   back;
3. the cluster table counted by Spark with every total of the practice
   hierarchy, protected (primary and secondary suppression) and audited on
   the driver;
4. KAPsel's retention sweep on the executors, row for row as gdprkit.sweep.
"""

from __future__ import annotations

import os
import pathlib
import sys
import tempfile
from typing import Optional

import pandas as pd
from pyspark.sql import SparkSession

import gdprkit
import gdprkit.spark

HERE = pathlib.Path(__file__).resolve().parent


def main(spark: SparkSession) -> None:
    # Every column as text: a CPR number read as a number loses its leading 0.
    records = spark.read.csv(str(HERE / "records" / "cluster_records.csv"), header=True)

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "klynge.vault")
        with gdprkit.Vault.create(path, passphrase="a long synthetic passphrase",
                                  kdf="interactive") as vault:
            vault.create_domain("klynge-kvalitet")
            vault.create_domain("klynge-ydere")
            # 1. Pseudonyms on the executors: the key goes out as a broadcast.
            key = vault.export_pseudonym_key("klynge-kvalitet",
                                             reason="cluster report on Spark")
            pseudonymised = gdprkit.spark.pseudonymise(records, "patient_cpr", key=key)
            # 2. Tokens where the vault lives: the distinct provider numbers are
            #    tokenised on the driver in one transaction and joined back.
            tokenised = gdprkit.spark.tokenise(pseudonymised, "provider_number",
                                               vault=vault, domain="klynge-ydere",
                                               kind="provider_number")
            extract = tokenised.drop("note").cache()
            print(f"1-2. {extract.count()} registrations, the CPR numbers pseudonymised "
                  "and the provider numbers tokenised:")
            extract.show(3, truncate=False)

    # 3. The cluster table: Spark counts registrations per practice and age
    #    band with every total of the hierarchy; the driver protects it.
    hierarchy = pd.read_csv(HERE / "tables" / "practice_hierarchy.csv", keep_default_na=False)
    table = gdprkit.spark.suppress(records, dims=["practice", "age"], threshold=5,
                                   hierarchies={"practice": hierarchy})
    print("3. the cluster table:", table)
    print("   audit passed:", table.audit().passed)
    table.sdf.groupBy("status").count().orderBy("status").show()

    # 4. KAPsel's retention sweep on the executors, and the same on pandas.
    policy = gdprkit.Policy.load(HERE / "policies" / "kapsel.textproto")
    kapsel_csv = HERE / "records" / "kapsel_records.csv"
    kapsel = spark.read.csv(str(kapsel_csv), header=True)
    swept = gdprkit.spark.sweep(kapsel, policy=policy, on="2027-03-01", id="id",
                                purpose="purpose", holds=("hold_start", "hold_end"))
    print("4. KAPsel's records on 2027-03-01:")
    swept.select("id", "status", "due_date", "reason").orderBy("id").show(truncate=False)
    on_spark = swept.select("id", "status", "due_date").orderBy("id").toPandas()
    on_pandas = gdprkit.sweep(pd.read_csv(kapsel_csv), policy=policy, on="2027-03-01", id="id",
                              purpose="purpose", holds=("hold_start", "hold_end"))
    same = (list(on_spark["status"]) == list(on_pandas.sort_values("id")["status"]))
    print("   the same statuses as gdprkit.sweep on pandas:", same)
    if not same:
        raise SystemExit("the Spark sweep differs from the pandas sweep")


def local_session(name: Optional[str] = None) -> SparkSession:
    """A local Spark session on every core of this machine, without the web UI."""
    # The Python workers run this interpreter (the one with gdprkit), not
    # whatever "python3" comes first on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return (SparkSession.builder.master("local[*]")
            .appName(name or "gdprkit cluster report")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "Europe/Copenhagen")
            .getOrCreate())


if __name__ == "__main__":
    session = local_session()
    session.sparkContext.setLogLevel("ERROR")
    try:
        main(session)
    finally:
        session.stop()
