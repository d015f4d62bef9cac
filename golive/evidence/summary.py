"""summary.md: the go-live gate list of the rollout checklist, ticked from the run's evidence,
for a release ticket.

A gate is ticked only when golive checked it and every check of it passed (or was waived,
which the line says); a gate with a failure or a could-not-see lists those checks; a gate no
check decides says so, and is never ticked.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from golive.evidence.gates import GATES

BLOCKING = {"failed", "could not see", "not run"}


def render(record: dict[str, Any]) -> str:
    """summary.md from evidence.json's record: a check of the suite that did not run unticks its gate."""
    verdict, detail, metadata = record["verdict"], record["summary"], record["metadata"]
    by_gate: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for nodeid, check in sorted(record["checks"].items()):
        by_gate[check["gate"]].append((nodeid.split("::", 1)[-1], check["outcome"]))
    for nodeid, gate in sorted(record.get("not_run", {}).items()):
        by_gate[gate].append((nodeid.split("::", 1)[-1], "not run"))
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
    if metadata.get("Not checked yet", "none") != "none":
        lines[-2:-2] = [f"Configured but not checked by this version of golive: {metadata['Not checked yet']}.", ""]
    for gate in GATES:
        if gate.on_checklist:
            lines += _gate_lines(gate.title, by_gate.get(gate.id, []))
    others = [gate.id for gate in GATES if not gate.on_checklist and gate.id in by_gate]
    if others:
        lines += ["", "## Other gates golive checked", ""]
        for gate in others:
            lines += _gate_lines(gate, by_gate[gate])
    return "\n".join(lines) + "\n"


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
