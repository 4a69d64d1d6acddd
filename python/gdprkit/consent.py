"""Consent that can be proven: the consent ledger (gdprkit/consent.h)."""

from __future__ import annotations

__all__: list[str] = []
