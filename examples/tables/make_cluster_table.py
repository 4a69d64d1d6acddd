#!/usr/bin/env python3
"""Writes the synthetic cluster table of this folder (standard library only).

    python3 examples/tables/make_cluster_table.py   # rewrites the files below

cluster_age.csv: enrolled patients per practice and age band, with every total
(practice, cluster, region and the whole; the "Total" age band); the counts
are random but fixed (seed 4), with small cells as real cluster data have.
practice.hrc: the hierarchy Total > region > cluster > practice (tau-ARGUS
.hrc form). practice_hierarchy.csv: the same as code,parent rows.
"""

import csv
import os
import random
from typing import Dict, List, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
AGES = ["0-17", "18-39", "40-64", "65-79", "80+"]
# region -> cluster -> number of practices
LAYOUT = {
    "Nord": {"Nord-A": 4, "Nord-B": 3, "Nord-C": 1},
    "Syd": {"Syd-A": 5, "Syd-B": 4, "Syd-C": 2},
}
# Typical share of each age band in a practice's list.
SHARE = [0.19, 0.27, 0.33, 0.14, 0.07]


def main() -> None:
    rng = random.Random(4)
    parent: Dict[str, str] = {"Total": ""}
    leaves: Dict[Tuple[str, str], int] = {}
    number = 0
    for region, clusters in LAYOUT.items():
        parent[region] = "Total"
        for cluster, n in clusters.items():
            parent[cluster] = region
            for _ in range(n):
                number += 1
                practice = f"P{number:02d}"
                parent[practice] = cluster
                # Small single-handed practices have small cells.
                size = rng.choice([25, 40, 60, 300, 900, 1600])
                for age, share in zip(AGES, SHARE):
                    leaves[(practice, age)] = max(0, int(rng.gauss(size * share, size * share / 4)))
    children: Dict[str, List[str]] = {}
    for code, p in parent.items():
        if p:
            children.setdefault(p, []).append(code)

    def practices(code: str) -> List[str]:
        if code not in children:
            return [code]
        return [x for c in children[code] for x in practices(c)]

    rows = []
    for code in parent:  # pre-order: Total, region, cluster, practices
        for age in ["Total"] + AGES:
            bands = AGES if age == "Total" else [age]
            rows.append((code, age, sum(leaves[(p, b)] for p in practices(code) for b in bands)))
    with open(os.path.join(HERE, "cluster_age.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["practice", "age", "n"])
        w.writerows(rows)

    def depth(code: str) -> int:
        return 0 if not parent[code] else 1 + depth(parent[code])

    with open(os.path.join(HERE, "practice.hrc"), "w") as f:
        for code in parent:
            if code != "Total":
                f.write("@" * (depth(code) - 1) + code + "\n")
    with open(os.path.join(HERE, "practice_hierarchy.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "parent"])
        w.writerows(parent.items())


if __name__ == "__main__":
    main()
