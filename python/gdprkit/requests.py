"""Data subjects' requests answered on time (gdprkit/requests.h)."""

from __future__ import annotations

__all__: list[str] = []
