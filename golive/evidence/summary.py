"""summary.md: the go-live gate list of the rollout checklist, ticked from the run's evidence,
for a release ticket.

A gate is ticked only when golive checked it and every check of it passed (or was waived,
which the line says); a gate with a failure or a could-not-see lists those checks; a gate no
check decides says so, and is never ticked. Then each failure with its one-line finding and
its fix, the waivers (ticket, reason, expiry; stale and expired ones said so), what was not
checked and why, and what changed since the last whole run.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from golive.evidence.bundle import checks_by_gate, describe_changes, waiver_note
from golive.evidence.gates import GATES

BLOCKING = {"failed", "could not see", "not run"}


def render(record: dict[str, Any]) -> str:
    """summary.md from evidence.json's record: a check of the suite that did not run unticks its gate."""
    verdict, detail, metadata = record["verdict"], record["summary"], record["metadata"]
    by_gate = {
        gate: [(nodeid.split("::", 1)[-1], outcome) for nodeid, outcome in checks]
        for gate, checks in checks_by_gate(record).items()
    }
    lines = [
        f"# golive {metadata.get('Environment', '')}: {verdict}",
        "",
        f"{detail}. Account {metadata.get('Account')}, regions {metadata.get('Regions')}, "
        f"started {metadata.get('Started (UTC)')}, config {metadata.get('Config')}, golive {metadata.get('golive')} "
        f"at {metadata.get('Git commit')}. Evidence: report.html, junit.xml, evidence.json beside this file.",
        "",
        "## SES go-live gate list",
        "",
    ]
    for gate in GATES:
        if gate.on_checklist:
            lines += _gate_lines(gate.title, by_gate.get(gate.id, []))
    others = [gate.id for gate in GATES if not gate.on_checklist and gate.id in by_gate]
    if others:
        lines += ["", "## Other gates golive checked", ""]
        for gate in others:
            lines += _gate_lines(gate, by_gate[gate])
    lines += _failures(record) + _waivers(record) + _not_checked(record)
    return "\n".join(lines + _changes(record["changes"])) + "\n"


def _changes(found: dict[str, Any]) -> list[str]:
    changed = describe_changes(found)
    lines = ["", "## Since the last run", "", f"{changed[0].upper()}{changed[1:]}."]
    for key in ("newly_failing", "newly_passing", "new_checks", "removed_checks"):
        said = key.replace("_", " ").replace(" checks", "")
        lines += [f"- {said}: `{nodeid.split('::', 1)[-1]}`" for nodeid in found.get(key, [])]
    return lines


def failures_by_fix(record: dict[str, Any]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Each blocking check (node id, evidence entry) under its fix (the finding's `Fix:` line, "" for
    none): checks that share a fix (one policy for a principal's missing actions) share one entry."""
    by_fix: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for nodeid, check in sorted(record["checks"].items()):
        if check["outcome"] in ("failed", "could not see"):
            by_fix[fix_line(check)].append((nodeid, check))
    return by_fix


def finding_lines(check: dict[str, Any]) -> list[str]:
    return check["facts"].get("failure", "").strip().splitlines() or [check["outcome"]]


def fix_line(check: dict[str, Any]) -> str:
    return next((line.strip().rstrip(":") for line in finding_lines(check) if line.strip().startswith("Fix:")), "")


def _failures(record: dict[str, Any]) -> list[str]:
    """Each blocking check with its finding's first line, under its fix, shown once."""
    by_fix = failures_by_fix(record)
    if not by_fix:
        return []
    lines = ["", "## Failures", ""]
    for fix, checks in by_fix.items():
        failures = [
            f"{check['outcome']}: `{nodeid.split('::', 1)[-1]}` ({check['gate']}): {finding_lines(check)[0].rstrip(':')}"
            for nodeid, check in checks
        ]
        if fix:
            lines += [f"- {fix} — for {_checks(len(failures))}:"] + [f"  - {f}" for f in failures]
        else:
            lines += [f"- {f}" for f in failures]
    return lines


def _waivers(record: dict[str, Any]) -> list[str]:
    if not record["waivers"]:
        return []
    lines = ["", "## Waivers", ""]
    for waiver in record["waivers"]:
        waived = sum(1 for outcome in waiver["matches"].values() if outcome == "waived")
        state = f"waives {_checks(waived)}" if waiver["state"] == "active" else "expired: its checks count again"
        lines.append(
            f"- {waiver['ticket']} until {waiver['expires']}: {waiver['reason']} — `{waiver['check']}` ({state})"
        )
    stale = [note for note in map(waiver_note, record["waivers"]) if note and "is stale" in note]
    if stale:
        lines += ["", "### Stale waivers", ""] + [f"- {note}" for note in stale]
    return lines


def _not_checked(record: dict[str, Any]) -> list[str]:
    gaps = [gate for gate in record["gates"] if gate["state"] == "not checked"]
    lines = ["", "## Not checked", ""] + [f"- {gate['title']}: {gate['why']}" for gate in gaps]
    if record["selection"]:
        lines.append(f"- the run was narrowed ({'; '.join(record['selection'])}): a partial run is never GO")
    return lines if len(lines) > 3 else []


def _gate_lines(title: str, results: list[tuple[str, str]]) -> list[str]:
    if not results:
        return [f"- [ ] {title} — not checked by golive in this environment"]
    bad = [(test, outcome) for test, outcome in results if outcome in BLOCKING]
    notes = [
        f"{sum(1 for _, o in results if o == kind)} {kind}"
        for kind in ("waived", "advisory")
        if any(o == kind for _, o in results)
    ]
    suffix = f" ({', '.join(notes)})" if notes else ""
    if not bad:
        return [f"- [x] {title} — {_checks(len(results))} passed{suffix}"]
    return [f"- [ ] {title} — {len(bad)} of {_checks(len(results))} did not pass{suffix}:"] + [
        f"  - {outcome}: `{test}`" for test, outcome in bad
    ]


def _checks(n: int) -> str:
    return f"{n} check{'s' if n != 1 else ''}"
