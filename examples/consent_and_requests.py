"""Consent that can be proven, and a data subject's request answered on time.

Two workflows of the source documents, end to end, on synthetic data:

1. Practio's research contact ("indtil du trækker dit samtykke tilbage"):
   patients' consents are recorded in a keyed consent ledger under vault
   tokens, some are withdrawn, the ledger answers the state of every patient
   as of two dates, and its withdrawals drive the retention sweep of the
   research-contact records (rule research-contact-10-years-or-withdrawal):
   a withdrawn patient's contact data are due on the day of withdrawal. One
   consent's signed receipt is exported and verified on its own.
2. MedCom's rejected applicant asks for erasure: the request is registered
   with its Art. 12(3) deadline (received 31 January: due 28 February), the
   identity checked, the decision taken per purpose from the policy, carried
   out in the vault, the request answered; a second request left unanswered
   is listed as overdue.

    .venv/bin/python examples/consent_and_requests.py

Run by scripts/run_example.sh (section 7) and tests/python/test_examples_consent.py.
"""

from __future__ import annotations

import csv
import json
import os
import pathlib
import secrets
import tempfile
from typing import Dict, List

import pandas as pd

import gdprkit
from gdprkit import requests as rq

HERE = pathlib.Path(__file__).resolve().parent
PRACTIO = HERE / "policies" / "practio.textproto"
MEDCOM = HERE / "policies" / "medcom.textproto"
RECORDS = HERE / "records" / "cluster_records.csv"

NOTICE_V3 = ("Forskere ved konkrete almennyttige forskningsprojekter kan kontakte dig. "
             "Vi deler kun dine kontaktdata, ikke sundhedsdata. Du kan altid trække din "
             "tilladelse tilbage (version 3).")


def synthetic_cprs(n: int) -> List[str]:
    """The first n (synthetic) CPR numbers of the bundled cluster records."""
    with open(RECORDS, newline="", encoding="utf-8") as f:
        return [row["patient_cpr"] for row, _ in zip(csv.DictReader(f), range(n))]


def research_contact(tmp: str, vault: gdprkit.Vault) -> Dict[str, object]:
    policy = gdprkit.Policy.load(PRACTIO)
    cprs = synthetic_cprs(200)
    # The ledger never holds a CPR number: subjects are the vault's tokens.
    vault.create_domain("practio-forskning")
    subjects = [str(t) for t in vault.tokenise(cprs, domain="practio-forskning")]
    host_key = secrets.token_bytes(32)  # kept by the host; signs the receipts
    ledger_path = os.path.join(tmp, "practio-consent.ledger")
    with gdprkit.ConsentLedger.create(ledger_path, policy=policy, key=host_key) as ledger:
        ledger.record(subjects, "research-contact", "given",
                              at="2025-03-01T10:15:00+01:00", notice_version="3",
                              notice_text=NOTICE_V3, channel="app",
                              recorded_by="practio-booking")
        # Twenty patients withdraw in May 2026 ("du kan altid kontakte os").
        withdrawn = subjects[:20]
        ledger.record(withdrawn, "research-contact", "withdrawn",
                      at="2026-05-10T14:00:00+02:00", notice_version="3",
                      notice_text=NOTICE_V3, channel="phone", recorded_by="practio-support",
                      evidence="support-ticket-4711")
        states_before = pd.Series(ledger.states(subjects, purpose="research-contact",
                                                on="2026-01-01")).value_counts()
        states_after = pd.Series(ledger.states(subjects, purpose="research-contact",
                                               on="2026-12-01")).value_counts()
        print(f"   {ledger!r}")
        print(f"   states on 2026-01-01: {({k: int(v) for k, v in states_before.items()})}")
        print(f"   states on 2026-12-01: {({k: int(v) for k, v in states_after.items()})}")

        # The withdrawals are the sweep's consent_withdrawn event.
        contacts = pd.DataFrame({
            "id": [f"contact-{i:04d}" for i in range(len(subjects))],
            "subject": subjects,
            "purpose": "research-contact",
            "collection": pd.Timestamp("2025-03-01"),
        })
        events = contacts.merge(ledger.withdrawals(purpose="research-contact", on="2026-12-01"),
                                on="subject", how="left")
        swept = gdprkit.sweep(events, policy=policy, on="2026-12-01", id="id",
                              purpose="purpose")
        due = swept[swept["status"] == "due"]
        pending = swept[swept["status"] == "pending"]
        print(f"   sweep on 2026-12-01: {len(due)} research contacts due "
              f"(reason {sorted(set(due['reason']))}), {len(pending)} kept until "
              f"{pending['next_due'].min():%Y-%m-%d} unless withdrawn")

        verification = ledger.verify()
        print(f"   ledger verified: intact={verification.intact}, "
              f"{verification.entries} entries")
        # The proof for one consent, checked on its own with the ledger's public key.
        receipt = ledger.export_receipt(1)
        public_key = ledger.receipt_public_key
        check = gdprkit.consent.verify_receipt(receipt, public_key=public_key)
        print(f"   receipt of entry 1: valid={check.valid}, signed={check.signed}")
        return {
            "given_on_2026_01_01": int(states_before.get("given", 0)),
            "withdrawn_on_2026_12_01": int(states_after.get("withdrawn", 0)),
            "due": len(due),
            "pending": len(pending),
            "intact": verification.intact,
            "receipt_valid": check.valid and check.signed,
        }


def rejected_applicant(tmp: str, vault: gdprkit.Vault) -> Dict[str, object]:
    policy = gdprkit.Policy.load(MEDCOM)
    vault.create_domain("medcom-rekruttering")
    applicant_cpr, other_cpr = synthetic_cprs(2)
    applicant, other = (str(t) for t in vault.tokenise([applicant_cpr, other_cpr],
                                                       domain="medcom-rekruttering"))
    register_path = os.path.join(tmp, "medcom-requests.register")
    with gdprkit.RequestRegister.create(register_path, policy=policy) as register:
        request = register.receive("erasure", applicant, received="2026-01-31",
                                   channel="email", recorded_by="medcom-hr",
                                   purposes=["recruitment"])
        print(f"   {request!r}")
        print(f"   received 2026-01-31, due {request.due} "
              f"(extended it would be {rq.deadline('2026-01-31', extended=True)})")
        register.check_identity(request.id, verified=True, method="MitID", on="2026-02-02",
                                recorded_by="medcom-hr")
        decision = rq.decide(policy, "erasure",
                             [{"purpose": "recruitment",
                               "dates": {"application_rejected": "2026-01-20"}}],
                             on="2026-02-03")
        print(decision.frame().drop(columns=["reason"]).to_string(index=False))
        outcome = rq.carry_out_erasure(decision, recorded_by="medcom-hr", vault=vault,
                                       identifier=applicant_cpr)
        print(f"   carried out: {outcome.vault_tokens_erased} vault token(s) erased; the HR "
              f"system must still delete: {[p.purpose for p in outcome.caller_must_delete]}")
        register.answer(request.id, on="2026-02-04", recorded_by="medcom-hr",
                        outcome="application data erased; the applicant told")
        # Another applicant's access request, never answered.
        late = register.receive("access", other, received="2026-01-05", channel="letter",
                                recorded_by="medcom-hr")
        overdue = register.overdue("2026-03-01")
        print(f"   overdue on 2026-03-01: {list(overdue['id'])}")
        verification = register.verify()
        report = json.loads(rq.access_report(other, requests=register))
        return {
            "due": str(request.due),
            "actions": list(decision.frame()["action"]),
            "tokens_erased": outcome.vault_tokens_erased,
            "overdue": list(overdue["id"]) == [late.id],
            "intact": verification.intact,
            "access_report_requests": len(report.get("requests", [])),
        }


def main() -> Dict[str, Dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        with gdprkit.Vault.create(os.path.join(tmp, "example.vault"),
                                  passphrase="a long synthetic passphrase",
                                  kdf="interactive") as vault:
            print("1. Practio: research contact, consent given, withdrawn, swept")
            a = research_contact(tmp, vault)
            print("2. MedCom: a rejected applicant's erasure request, on time")
            b = rejected_applicant(tmp, vault)
    return {"research_contact": a, "rejected_applicant": b}


if __name__ == "__main__":
    main()
