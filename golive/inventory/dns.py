"""DNS facts (stub: filled in by the DNS gates)."""

from __future__ import annotations

READ_PERMISSIONS: tuple[str, ...] = ()
CASES: dict = {}
