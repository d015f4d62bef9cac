"""Waivers: a failing check accepted for a while, with a reason, a ticket and an expiry.

A waiver names checks by pattern over the whole test name or node id
(`test_principal_is_denied[api-ap-southeast-1-ses:CreateEmailIdentity]`, or with `*`),
never by substring. An expired waiver waives nothing: the check fails again.

What a pattern may name is decided at config time (`refusal`): one check function, in full,
and which of its cases — never every check, an area, or every case of a check.
"""

from __future__ import annotations

import ast
import datetime as dt
import difflib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from golive import CHECKS

CHECKS_DIR = CHECKS
EXAMPLE = "test_principal_is_denied[api-*-iam:PassRole]"
# inside the brackets, this much must be written out: a principal, a region, an action, a domain
_LITERAL_WORD = re.compile(r"[A-Za-z0-9]{2}")


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

    def label(self) -> str:
        """How JUnit's skipped message and summary.md name it: `TICKET until DATE: reason`."""
        return f"{self.ticket} until {self.expires.isoformat()}: {self.reason}"


def waivers_of(config_data: dict[str, Any]) -> tuple[Waiver, ...]:
    return tuple(
        Waiver(w["check"], w["reason"], w["ticket"], dt.date.fromisoformat(w["expires"]))
        for w in config_data.get("waivers") or ()
    )


def review(waivers: tuple[Waiver, ...], outcomes: dict[str, str], today: dt.date) -> list[dict[str, Any]]:
    """Each waiver, the checks of the suite it matches (`outcomes`: node id -> outcome, "not run" for a
    check that did not run) and whether it is stale: it matches no check, or only checks that pass."""
    reviewed = []
    for waiver in waivers:
        matched = {n: o for n, o in outcomes.items() if waiver.matches(n.split("::", 1)[-1], n)}
        stale = None
        if not matched:
            stale = "it matches no check of this environment"
        elif all(o == "passed" for o in matched.values()):
            stale = f"the {len(matched)} check(s) it matches pass"
        reviewed.append(
            {
                "check": waiver.check,
                "ticket": waiver.ticket,
                "reason": waiver.reason,
                "expires": waiver.expires.isoformat(),
                "state": "active" if waiver.active(today) else "expired",
                "matches": dict(sorted(matched.items())),
                "stale": stale,
            }
        )
    return reviewed


def find(waivers: tuple[Waiver, ...], name: str, nodeid: str) -> Waiver | None:
    return next((w for w in waivers if w.matches(name, nodeid)), None)


@cache
def check_functions(checks_dir: Path = CHECKS_DIR) -> dict[str, str]:
    """Every check function of golive, with the node-id path of its file (checks/test_x.py)."""
    found = {}
    for file in sorted(checks_dir.glob("test_*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"), str(file))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                found[node.name] = f"{checks_dir.name}/{file.name}"
    return found


def refusal(pattern: str, checks: dict[str, str] | None = None) -> str | None:
    """Why a waiver's `check` pattern is refused, or None when it names cases of one check.

    The pattern is `[PATH::]FUNCTION[CASE]`: FUNCTION is a check function's full name with no
    wildcard; CASE, in brackets, holds at least two consecutive letters or digits that are not
    wildcards; PATH, if given, is the check's file. So `*`, `test_*`, `checks/*`, `*[*]`,
    `test_principal_is_denied[*]` and `test_principal_is_denied[*-*:*]` are all refused.
    """
    checks = check_functions() if checks is None else checks
    shown = repr(pattern) if len(pattern) <= 80 else repr(pattern[:79] + "…")
    expected = f"expected one check function by its full name and its cases in brackets, e.g. {EXAMPLE}"
    head, bracket, case = pattern.partition("[")
    path, _, function = head.rpartition("::")
    if not function:
        return f"{shown} names no check function; {expected}"
    if "*" in function or "?" in function:
        return f"{shown} has a wildcard in the check's name, so it would waive several checks or an area; {expected}"
    if checks and function not in checks:
        hint = difflib.get_close_matches(function, list(checks), n=2)
        close = f" (did you mean {' or '.join(hint)}?)" if hint else ""
        return f"{shown} names no check of golive: there is no check function {function!r}{close}; {expected}"
    if path and "*" not in path and "?" not in path and checks and path != checks[function]:
        return f"{shown} names the wrong file: {function} is in {checks[function]}; {expected}"
    if not bracket:
        return f"{shown} names no case: it would waive every case of {function}; {expected}"
    if not case.endswith("]"):
        return f"{shown} opens '[' but does not end with ']'; {expected}"
    literal = "".join(" " if c in "*?" else c for c in case[:-1])
    if not _LITERAL_WORD.search(literal):
        return (
            f"{shown} writes out no principal, region, action or domain in brackets, so it would waive "
            f"every case of {function}; {expected}"
        )
    return None
