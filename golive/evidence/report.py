"""What a run leaves beside report.html and junit.xml: each test's evidence record, the HTML
blocks of its finding and facts, evidence.json, summary.md, and `latest`."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any

from pytest_html import extras

from golive.evidence import summary


def evidence_extras(facts: dict[str, Any]) -> list[dict[str, Any]]:
    """The finding (what is wrong and how to fix it) first, then the facts it was decided on."""
    blocks = []
    if facts.get("failure"):
        blocks.append(("Finding", facts["failure"]))
    if facts.get("waiver"):
        blocks.append(("Waiver", facts["waiver"]))
    # the remediation policy is part of the finding's text; evidence.json keeps it as data
    rest = {k: v for k, v in facts.items() if k not in ("failure", "waiver", "remediation")}
    if rest:
        blocks.append(("Evidence", json.dumps(rest, indent=2, sort_keys=True)))
    return [extras.html(_block(title, text)) for title, text in blocks]


def _block(title: str, text: str) -> str:
    return (
        f"<div class='golive'><h4>{html.escape(title)}</h4>"
        f"<pre style='white-space: pre-wrap'>{html.escape(text)}</pre></div>"
    )


def write_files(report_dir: Path, record: dict[str, Any], move_latest: bool) -> None:
    """evidence.json and summary.md; then, for a whole run (GO or NO-GO, never PARTIAL or INTERRUPTED),
    `latest` moved to it, atomically: it always names a complete run."""
    (report_dir / "evidence.json").write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    (report_dir / "summary.md").write_text(summary.render(record))
    if not move_latest:
        return
    latest = report_dir.parent / "latest"
    temporary = latest.with_name(f".latest-{report_dir.name}.tmp")  # a name of its own: runs may finish together
    temporary.unlink(missing_ok=True)
    os.symlink(report_dir.name, temporary)
    os.replace(temporary, latest)
