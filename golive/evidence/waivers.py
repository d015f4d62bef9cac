"""Waivers: a failing check accepted for a while, with a reason, a ticket and an expiry.

A waiver names checks by pattern over the whole test name or node id
(`test_principal_is_denied[api-ap-southeast-1-ses:CreateEmailIdentity]`, or with `*`),
never by substring. An expired waiver waives nothing: the check fails again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Waiver:
    check: str
    reason: str
    ticket: str
    expires: dt.date

    def matches(self, name: str, nodeid: str) -> bool:
        # `*` and `?` are the only wildcards: brackets are part of test ids, not character classes
        pattern = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in self.check)
        return any(re.fullmatch(pattern, candidate) for candidate in (name, nodeid))

    def active(self, today: dt.date) -> bool:
        return today <= self.expires

    def describe(self) -> str:
        return f"{self.ticket}, until {self.expires.isoformat()}: {self.reason}"


def waivers_of(config_data: dict[str, Any]) -> tuple[Waiver, ...]:
    return tuple(
        Waiver(w["check"], w["reason"], w["ticket"], dt.date.fromisoformat(w["expires"]))
        for w in config_data.get("waivers") or ()
    )


def find(waivers: tuple[Waiver, ...], name: str, nodeid: str) -> Waiver | None:
    return next((w for w in waivers if w.matches(name, nodeid)), None)
