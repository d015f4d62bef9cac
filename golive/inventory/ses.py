"""SES facts (stub: filled in by the SES gates)."""

from __future__ import annotations

READ_PERMISSIONS: tuple[str, ...] = ()
CASES: dict = {}
