#!/usr/bin/env python3
"""Checks the include graph against the architecture (docs/architecture.md).

- src/<area>/internal/ headers are included only from within <area>;
- an area includes the src/ headers and the public headers of the areas it
  may use, and no others (the same graph as the object libraries in
  CMakeLists.txt);
- the doors (src/c_api, bindings/python, tools) include from src/ only
  common/ and their own files: everything else they reach through the
  public headers in include/gdprkit.

Exits 1 and names each offending line.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# Which area may use which (besides itself). "identifiers" and "names" are
# header-only vocabularies every area may use.
USES = {
    "common": set(),
    "retention_rules": {"common", "policy_types"},
    "policy": {"common", "retention_rules"},
    "retention": {"common", "policy", "retention_rules"},
    "suppression": {"common"},
    "vault": {"common"},
    "scan": {"common"},
    "release": {"common", "policy", "retention_rules", "retention", "suppression", "vault", "scan"},
    "consent": {"common", "policy", "retention_rules", "retention", "vault"},
}
EVERYONE = {"identifiers", "names"}

# The area each public header belongs to. policy.h's types (not its code)
# are what a retention rule is checked against.
PUBLIC = {
    "gdprkit/basis.h": "policy",
    "gdprkit/policy.h": "policy",
    "gdprkit/release_rules.h": "policy",
    "gdprkit/scan.h": "scan",
    "gdprkit/release.h": "release",
    "gdprkit/consent.h": "consent",
    "gdprkit/requests.h": "consent",
    "gdprkit/retention.h": "retention",
    "gdprkit/deletion_log.h": "retention",
    "gdprkit/suppression.h": "suppression",
    "gdprkit/vault.h": "vault",
    "gdprkit/identifiers.h": "identifiers",
    "gdprkit/names.h": "names",
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def area_of(path: pathlib.Path) -> str:
    rel = path.relative_to(ROOT / "src").as_posix()
    top = rel.split("/")[0]
    if top == "retention" and path.name in ("dates.cc", "rules.cc"):
        return "retention_rules"
    return top


def allowed(area: str, target: str) -> bool:
    if target == area or target in EVERYONE:
        return True
    if area == "retention_rules" and target == "retention":
        return True
    uses = USES.get(area, set())
    if target == "retention" and "retention_rules" in uses:
        # retention.h declares the dates, periods and rule checks too.
        return True
    if target == "policy" and "policy_types" in uses:
        return True
    return target in uses


def main() -> int:
    problems = []
    for path in sorted((ROOT / "src").rglob("*")):
        if path.suffix not in (".h", ".cc"):
            continue
        area = area_of(path)
        for number, line in enumerate(path.read_text().splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            inc = m.group(1)
            where = f"{path.relative_to(ROOT)}:{number}: {inc}"
            parts = inc.split("/")
            if "internal" in parts[1:2] and parts[0] != path.relative_to(ROOT / "src").parts[0]:
                problems.append(f"{where}: another area's internal header")
                continue
            if area == "c_api":
                if parts[0] in USES and parts[0] != "common":
                    problems.append(f"{where}: the C door includes from src/ only common/")
                continue
            if parts[0] in USES or parts[0] == "retention":
                target = parts[0]
            elif inc in PUBLIC:
                target = PUBLIC[inc]
            else:
                continue  # Abseil, protobuf, generated code, system headers
            if target == "retention_rules":
                target = "retention"
            if area == "retention_rules" and target == "retention" and parts[0] == "retention":
                problems.append(f"{where}: the rule checks do not use the sweep's internals")
                continue
            if not allowed(area, target):
                problems.append(f"{where}: area {area!r} may not use {target!r}")
    for door in ("tools", "bindings/python"):
        for path in sorted((ROOT / door).rglob("*")):
            if path.suffix not in (".h", ".cc"):
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                m = INCLUDE.match(line)
                if m and m.group(1).split("/")[0] in set(USES) | {"c_api", "retention"} \
                        and not m.group(1).startswith("common/"):
                    problems.append(f"{path.relative_to(ROOT)}:{number}: {m.group(1)}: a door "
                                    "includes from src/ only common/")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} include(s) break the architecture (docs/architecture.md)")
        return 1
    print("architecture: every include keeps to its area")
    return 0


if __name__ == "__main__":
    sys.exit(main())
