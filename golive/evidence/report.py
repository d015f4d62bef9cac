"""What a run leaves beside report.html and junit.xml: each test's evidence record, the HTML
blocks of its finding and facts, evidence.json, summary.md; the folder renamed into place, and `latest`."""

from __future__ import annotations

import html
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from _pytest.junitxml import xml_key
from pytest_html import extras
from pytest_html.basereport import BaseReport

from golive.evidence import bundle, jira, junit, summary
from golive.run import Run


def evidence_extras(facts: dict[str, Any]) -> list[dict[str, Any]]:
    """The finding (what is wrong and how to fix it) first, then the facts it was decided on."""
    blocks = []
    if facts.get("failure"):
        blocks.append(("Finding", facts["failure"]))
    if facts.get("waiver"):
        blocks.append(("Waiver", facts["waiver"]))
    rest = evidence_of(facts)
    if rest:
        blocks.append(("Evidence", json.dumps(rest, indent=2, sort_keys=True)))
    return [extras.html(_block(title, text)) for title, text in blocks]


def evidence_of(facts: dict[str, Any]) -> dict[str, Any]:
    """The facts a check was decided on, without its finding and waiver (shown on their own) and the
    remediation policy (part of the finding's text; evidence.json keeps it as data)."""
    return {k: v for k, v in facts.items() if k not in ("failure", "waiver", "remediation")}


def _block(title: str, text: str) -> str:
    return (
        f"<div class='golive'><h4>{html.escape(title)}</h4>"
        f"<pre style='white-space: pre-wrap'>{html.escape(text)}</pre></div>"
    )


def publish(config: pytest.Config, run: Run, record: dict[str, Any], whole: bool) -> None:
    """Write the run's reports (`record`: the completed bundle) beside report.html and junit.xml, rename their folder into place,
    and, for a whole run (GO or NO-GO, never PARTIAL or INTERRUPTED), move `latest` to it."""
    if (run.writing / "junit.xml").exists():
        said = f"golive {run.config.env}: {record['verdict']} ({record['summary']})"
        junit.rewrite(run.writing / "junit.xml", record, run.waivers, [said, *bundle.notes(record)])
    (run.writing / "evidence.json").write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    markdown = summary.render(record)
    (run.writing / "summary.md").write_text(markdown)
    if config.getoption("summary_format", "markdown") == "jira":
        (run.writing / "summary.jira.txt").write_text(jira.from_markdown(markdown))
    report_dir = run.publish_report_dir()
    if whole:
        _move_latest(report_dir)
    for name, target in run.copies.items():
        shutil.copyfile(report_dir / name, target)
    # the JUnit and HTML writers print where they wrote after this: the folder's final name
    xml = config.stash.get(xml_key, None)
    if xml is not None:
        xml.logfile = str(report_dir / "junit.xml")
    for plugin in config.pluginmanager.get_plugins():
        if isinstance(plugin, BaseReport):
            plugin._report_path = report_dir / "report.html"


def asked_copies(config: pytest.Config) -> dict[str, Path]:
    """The paths a user gave --junitxml and --html: golive decides where a run's reports go, and
    copies them there as well once they are complete (a CI job's test-report path keeps working)."""
    given = (("junit.xml", config.option.xmlpath), ("report.html", getattr(config.option, "htmlpath", None)))
    copies = {name: config.invocation_params.dir / Path(path).expanduser() for name, path in given if path}
    for target in copies.values():
        try:  # before any check: a path that cannot take the copy is bad usage, not a surprise at the end
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise pytest.UsageError(f"cannot write a report copy to {target}: {exc.strerror or exc}") from None
        if target.is_dir():
            raise pytest.UsageError(f"cannot write a report copy to {target}: it is a folder; name a file")
    return copies


def _move_latest(report_dir: Path) -> None:
    """Atomically: `latest` always names a complete run."""
    latest = report_dir.parent / "latest"
    temporary = latest.with_name(f".latest-{report_dir.name}.tmp")  # a name of its own: runs may finish together
    temporary.unlink(missing_ok=True)
    os.symlink(report_dir.name, temporary)
    os.replace(temporary, latest)
