"""golive's sections of report.html, written as static HTML into pytest-html's summary: the verdict
first, then the go-live gate list, then the failures under their fix; pytest-html's table of every
check follows, its outcomes relabelled in golive's words.

The sections need no script: with scripts blocked the page still says the verdict, every gate's state
and every failure's text. The one small script (page.js) only relabels pytest-html's filters and rows
(advisory, waived, could not see) and filters its table by gate, severity and region: a table
pytest-html renders with scripts anyway.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from html import escape
from importlib import resources
from typing import Any

from golive.evidence.bundle import checks_by_gate
from golive.evidence.report import evidence_of
from golive.evidence.summary import failures_by_fix, finding_lines

SHOWN = ("Environment", "Account", "Regions", "Started (UTC)", "Caller", "Config", "golive", "Git commit")
# the word pytest-html files each golive outcome under: its filters, colours and counts follow it
PYTEST_HTML = {
    "passed": "Passed",
    "failed": "Failed",
    "advisory": "Skipped",
    "waived": "XFailed",
    "could not see": "Error",
}
# golive's word for each of pytest-html's filter checkboxes (the page's script writes it in)
FILTERS = {"passed": "passed", "failed": "failed", "skipped": "advisory", "xfailed": "waived", "error": "could not see"}


def title(env: str, verdict: str) -> str:
    """The tab's title: the environment and the verdict."""
    return f"golive {env}: {verdict}"


def sections(record: dict[str, Any], notes: str) -> str:
    """The page's own sections from the run's record (verdict, summary, metadata, checks, not_run)."""
    counts = Counter(check["outcome"] for check in record["checks"].values())
    labels = {box: f"{counts[word]} {word}" for box, word in FILTERS.items()}
    return (
        f"<style>{resources.files('golive.evidence').joinpath('page.css').read_text()}</style>"
        f"{_verdict(record, notes)}{_gates(record)}{_failures(record)}"
        f"<h2 id='golive-every-check'>Every check</h2>{_filters(record)}"
        "<noscript><style>.controls, p.filter, .run-count, #results-table, #golive-filters { display: none }</style>"
        "<p>The table of every check needs scripts; the verdict, the gates and every failure are above, "
        "and evidence.json beside this page holds every check.</p></noscript>"
        f"<div id='golive-labels' hidden data-labels='{escape(json.dumps(labels))}'></div>"
        f"<script>{resources.files('golive.evidence').joinpath('page.js').read_text()}</script>"
    )


def row(check: dict[str, Any] | None, nodeid: str, cells: list[str], regions: tuple[str, ...]) -> None:
    """pytest-html's row of a check: golive's outcome (pytest-html's word stays underneath, for its
    filters), what golive's filters choose by, and the check's own node id, not the `::setup` of a
    could-not-see."""
    if check is None:
        return
    region = next((r for r in regions if r in nodeid), "none")
    cells[0] = (
        f'<td class="col-result" data-golive="{escape(check["outcome"])}" data-gate="{escape(check["gate"])}" '
        f'data-severity="{escape(check["severity"])}" data-region="{escape(region)}">{PYTEST_HTML[check["outcome"]]}</td>'
    )
    cells[1] = f'<td class="col-testId">{escape(nodeid)}</td>'


def _filters(record: dict[str, Any]) -> str:
    """Choices of gate, severity and region for the table of every check (page.js applies them)."""
    checks = record["checks"].values()
    choices = {
        "gate": sorted({c["gate"] for c in checks}),
        "severity": [s for s in ("critical", "high", "advisory") if any(c["severity"] == s for c in checks)],
        "region": [*str(record["metadata"].get("Regions", "")).split(", "), "none"],
    }
    selects = "".join(
        f"<label>{key} <select data-filter='{key}'><option value=''>all</option>"
        + "".join(f"<option>{escape(value)}</option>" for value in values if value)
        + "</select></label> "
        for key, values in choices.items()
    )
    return f"<form id='golive-filters'>{selects}</form>"


def anchor(nodeid: str) -> str:
    return "check-" + hashlib.sha1(nodeid.encode()).hexdigest()[:12]


def _verdict(record: dict[str, Any], notes: str) -> str:
    verdict, metadata = record["verdict"], record["metadata"]
    kind = "go" if verdict == "GO" else "no-go"
    facts = "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(metadata.get(k, '')))}</dd>" for k in SHOWN)
    partial = "".join(f"<p class='golive-note'>Partial: {escape(s)}: a selection is never GO</p>" for s in record["selection"])
    return (
        f"<section id='golive-verdict' class='golive-{kind}'><h1>Verdict: {escape(verdict)}</h1>"
        f"<p class='golive-detail'>{escape(record['summary'])}</p><dl>{facts}</dl>{partial}{notes}</section>"
    )


def _gates(record: dict[str, Any]) -> str:
    failing = {nodeid for checks in failures_by_fix(record).values() for nodeid, _ in checks}
    by_gate = checks_by_gate(record)
    rows = []
    for gate in record["gates"]:
        links = "".join(
            f"<li><a href='#{anchor(n) if n in failing else escape(n)}'>{escape(o)}: {escape(n.split('::', 1)[-1])}</a></li>"
            for n, o in by_gate.get(gate["id"], [])
        )
        count = len(by_gate.get(gate["id"], []))
        checks = f"<details><summary>{count} check{'s' if count != 1 else ''}</summary><ul>{links}</ul></details>"
        state = gate["state"]
        rows.append(
            f"<tr id='gate-{gate['id']}' data-state='{state}' class='golive-{state.replace(' ', '-')}'>"
            f"<td class='golive-state'>{state}</td><td>{escape(gate['title'])}<br><small>{escape(gate['why'])}"
            f"</small></td><td>{checks if links else ''}</td></tr>"
        )
    return (
        "<section id='golive-gates'><h2>Go-live gates</h2><table><thead><tr><th>State</th><th>Gate</th>"
        f"<th>Checks</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _failures(record: dict[str, Any]) -> str:
    by_fix = failures_by_fix(record)
    if not by_fix:
        return "<section id='golive-failures'><h2>Failures</h2><p>None: nothing failed or could not be seen.</p></section>"
    groups = []
    for fix, checks in by_fix.items():
        items = "".join(_failure(nodeid, check) for nodeid, check in checks)
        if fix:  # the fix once, from `Fix:` to the end of the finding (the policy), for every check it fixes
            lines = finding_lines(checks[0][1])
            text = "\n".join(lines[next(i for i, line in enumerate(lines) if line.strip().startswith("Fix:")) :])
            head = f"<h3>Fix, for {len(checks)} check{'s' if len(checks) != 1 else ''}</h3><pre class='golive-fix'>{escape(text)}</pre>"
        else:
            head = "<h3>Each finding says what to do</h3>"
        groups.append(f"<div class='golive-fix-group'>{head}<ol>{items}</ol></div>")
    return f"<section id='golive-failures'><h2>Failures</h2>{''.join(groups)}</section>"


def _failure(nodeid: str, check: dict[str, Any]) -> str:
    lines = finding_lines(check)
    cut = next((i for i, line in enumerate(lines) if line.strip().startswith("Fix:")), len(lines))
    evidence = json.dumps(evidence_of(check["facts"]), indent=2, sort_keys=True)
    return (
        f"<li id='{anchor(nodeid)}' class='golive-failure' data-gate='{escape(check['gate'])}' "
        f"data-severity='{escape(check['severity'])}' data-outcome='{escape(check['outcome'])}'>"
        f"<p><b class='golive-outcome'>{escape(check['outcome'])}</b> <code>{escape(nodeid)}</code> "
        f"({escape(check['gate'])}, {escape(check['severity'])})</p>"
        f"<pre class='golive-finding'>{escape(chr(10).join(lines[:cut]))}</pre>"
        f"<details class='golive-evidence' open><summary>Evidence</summary><pre>{escape(evidence)}</pre></details></li>"
    )
