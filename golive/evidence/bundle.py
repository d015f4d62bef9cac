"""evidence.json as a versioned bundle: the run's record (golive/plugin.py) completed with what a
reader needs without re-deriving it: whether the run was partial, every gate's state, every waiver
with what it matched (and whether it is stale), and what changed since the last whole run.

The bundle's shape is golive/schema/evidence.json (`schema_version` says which); summary.md, the
JUnit suite's notes and the terminal's notes are all read from it, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from golive.evidence.gates import GATES
from golive.evidence.redact import redact
from golive.evidence.waivers import Waiver, review

SCHEMA_VERSION = 1
BUNDLE = pytest.StashKey[dict[str, Any]]()
BLOCKING = ("failed", "could not see")
GATE_STATES = ("failed", "could not see", "not checked", "waived", "passed")


def complete(record: dict[str, Any], waivers: tuple[Waiver, ...], today: dt.date, latest: Path) -> dict[str, Any]:
    """The record as evidence.json holds it; `latest` is the environment's last whole run, before this one."""
    outcomes = {nodeid: check["outcome"] for nodeid, check in record["checks"].items()}
    outcomes |= {nodeid: "not run" for nodeid in record.get("not_run", {})}
    reviewed = redact(review(waivers, outcomes, today))
    return {
        "schema_version": SCHEMA_VERSION,
        **record,
        "partial": record["verdict"] == "PARTIAL" or bool(record["selection"]),
        "gates": gate_states(record),
        "waivers": reviewed,
        "changes": changes(previous_run(latest), record, reviewed),
    }


def checks_by_gate(record: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """Each gate's checks as (node id, outcome), a check of the suite that did not run as "not run"."""
    found: dict[str, list[tuple[str, str]]] = {}
    for nodeid, check in sorted(record["checks"].items()):
        found.setdefault(check["gate"], []).append((nodeid, check["outcome"]))
    for nodeid, gate in sorted(record.get("not_run", {}).items()):
        found.setdefault(gate, []).append((nodeid, "not run"))
    return found


def gate_states(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Every go-live gate, in the gate list's order, with its state and the outcomes it was decided on."""
    states = []
    by_gate = checks_by_gate(record)
    for gate in GATES:
        counts = Counter(outcome for _, outcome in by_gate.get(gate.id, []))
        state, why = _gate_state(counts)
        states.append(
            {
                "id": gate.id,
                "title": gate.title,
                "on_checklist": gate.on_checklist,
                "state": state,
                "why": why,
                "outcomes": {k: v for k, v in sorted(counts.items()) if v},
            }
        )
    return states


def _gate_state(counts: Counter[str]) -> tuple[str, str]:
    for state in BLOCKING:
        if counts[state]:
            return state, f"{counts[state]} check(s) {state}"
    if not sum(counts.values()):
        return "not checked", "no check of golive decides it in this environment"
    if counts["not run"]:
        return "not checked", f"{counts['not run']} of its checks did not run (a selection, or an interruption)"
    if counts["waived"]:
        return "waived", f"{counts['waived']} failing check(s) waived"
    advisory = f", {counts['advisory']} advisory finding(s)" if counts["advisory"] else ""
    return "passed", f"every check passed{advisory}"


def previous_run(latest: Path) -> dict[str, Any] | None:
    """The last whole run's evidence, or None where there is none or it cannot be read: never an error."""
    try:
        data = json.loads((latest / "evidence.json").read_text(encoding="utf-8"))
        checks = data["checks"]
        if not isinstance(checks, dict) or not all(isinstance(c, dict) and "outcome" in c for c in checks.values()):
            return None
        return {"run": latest.resolve().name, "checks": checks, "waivers": data.get("waivers")}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def changes(previous: dict[str, Any] | None, record: dict[str, Any], waivers: list[dict[str, Any]]) -> dict[str, Any]:
    """Newly failing and passing checks, new and removed ones, waivers added or expired, since `previous`."""
    if previous is None:
        return {"previous_run": None}
    before = {n: c["outcome"] for n, c in previous["checks"].items()}
    now = {n: c["outcome"] for n, c in record["checks"].items()}
    both = sorted(before.keys() & now.keys())
    found = {
        "previous_run": previous["run"],
        "newly_failing": [n for n in both if now[n] in BLOCKING and before[n] not in BLOCKING],
        "newly_passing": [n for n in both if before[n] in BLOCKING and now[n] not in BLOCKING],
        "new_checks": sorted(now.keys() - before.keys() - set(record.get("not_run", {}))),
        "removed_checks": sorted(before.keys() - now.keys() - set(record.get("not_run", {}))),
    }
    if isinstance(previous["waivers"], list):  # a run older than schema 1 did not list its waivers
        earlier = {
            (w.get("check"), w.get("ticket")): w.get("state") for w in previous["waivers"] if isinstance(w, dict)
        }
        found["waivers_added"] = [w["ticket"] for w in waivers if (w["check"], w["ticket"]) not in earlier]
        found["waivers_expired"] = [
            w["ticket"]
            for w in waivers
            if w["state"] == "expired" and earlier.get((w["check"], w["ticket"])) != "expired"
        ]
    return found


def terminal_notes(config: pytest.Config) -> list[str]:
    """The notes of the run's bundle, once its reports are written (none before, or without reports)."""
    written = config.stash.get(BUNDLE, None)
    return notes(written) if written is not None else []


def notes(bundle: dict[str, Any]) -> list[str]:
    """What the terminal and JUnit's suite say beside the verdict: stale and expired waivers, and changes."""
    lines = [f"waiver:   {note}" for note in map(waiver_note, bundle["waivers"]) if note]
    lines.append(f"changes:  {describe_changes(bundle['changes'])}")
    return lines


def waiver_note(waiver: dict[str, Any]) -> str | None:
    """A stale waiver (remove it) or an expired one (its checks count again); None for one that waives."""
    if waiver["stale"]:
        return f"{waiver['ticket']} ({waiver['check']}) is stale: {waiver['stale']}; remove it"
    if waiver["state"] == "expired":
        failing = [n for n, o in waiver["matches"].items() if o in (*BLOCKING, "advisory")]
        return (
            f"{waiver['ticket']} expired on {waiver['expires']}: "
            f"{len(failing)} check(s) it waived count again ({waiver['check']})"
        )
    return None


def html_notes(bundle: dict[str, Any]) -> str:
    """The waiver and change notes of report.html, beside its verdict."""
    lines = [f"Waiver {note}" for note in map(waiver_note, bundle["waivers"]) if note]
    lines.append(f"Changes {describe_changes(bundle['changes'])}")
    return "".join(f"<p class='golive-note'>{html.escape(line)}</p>" for line in lines)


def describe_changes(found: dict[str, Any]) -> str:
    if found["previous_run"] is None:
        return "no previous run of this environment to compare with"
    counts = [
        f"{len(found[key])} {words}"
        for key, words in (
            ("newly_failing", "newly failing"),
            ("newly_passing", "newly passing"),
            ("new_checks", "new checks"),
            ("removed_checks", "removed checks"),
            ("waivers_added", "waivers added"),
            ("waivers_expired", "waivers expired"),
        )
        if key in found
    ]
    return f"since {found['previous_run']}: {', '.join(counts)}"
