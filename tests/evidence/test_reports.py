"""What a run leaves behind: one self-contained report.html, junit.xml, evidence.json, and `latest`."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET

import pytest
from workspace import junit_verdict

HEADER = ("Environment", "Account", "Caller", "Regions", "Config", "golive", "Git commit", "Started (UTC)")


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    from workspace import Workspace

    workspace = Workspace(tmp_path_factory.mktemp("reports"))
    first = workspace.verify("seed-permissions")
    second = workspace.verify("seed-permissions")
    return workspace, first, second


def test_each_run_has_its_own_folder_and_latest_names_the_newest(seed_run):
    workspace, first, second = seed_run
    assert first.report_dir != second.report_dir
    assert re.fullmatch(r"\d{8}T\d{6}Z(-\d+)?", second.report_dir.name)
    latest = workspace.reports_dir / "seed-permissions" / "latest"
    assert latest.is_symlink() and latest.resolve() == second.report_dir.resolve()
    assert sorted(p.name for p in second.report_dir.iterdir()) == [
        "evidence.json",
        "junit.xml",
        "report.html",
        "summary.md",
    ]


def test_the_html_report_is_one_file_with_the_header_and_the_verdict(seed_run):
    _, _, run = seed_run
    page = (run.report_dir / "report.html").read_text()
    assert "<link" not in page or 'href="assets' not in page, "self-contained: no external stylesheet"
    assert 'src="assets' not in page
    header = _report_data(page)["environment"]
    assert [key for key in HEADER if not header.get(key)] == [], "every header field is there, with a value"
    assert header["Environment"] == "seed-permissions" and header["Account"] == "123456789012"
    assert "123456789012" in page and "us-east-1, us-west-2" in page
    assert "Verdict: NO-GO" in page
    assert "arn:aws:iam::123456789012:user/golive-auditor" in page


def test_the_html_report_shows_each_failure_with_its_rule_evidence_and_fix(seed_run):
    _, _, run = seed_run
    page = (run.report_dir / "report.html").read_text()
    assert "The principal is allowed the action in the region" in page  # the rule, from the docstring
    assert "Finding" in page and "Fix: attach this least-privilege policy" in page and "SesInConfiguredRegions" in page
    assert "implicitDeny" in page  # the evidence


def test_junit_carries_outcomes_and_evidence_json_their_gate_and_facts(seed_run):
    _, _, run = seed_run
    suite = ET.parse(run.report_dir / "junit.xml").getroot().find("testsuite")
    assert suite.get("name") == "golive"
    assert int(suite.get("failures")) == 18 and int(suite.get("errors")) == 0
    case = next(c for c in suite.iter("testcase") if c.get("name").startswith("test_principal_is_allowed["))
    assert case.find("properties") is None, "neither CI schema allows a test case's properties"
    check = run.evidence["checks"][f"checks/test_iam_permissions.py::{case.get('name')}"]
    assert check["gate"] == "iam-permissions" and check["severity"] == "critical"
    assert check["facts"]["permission"]["engine"]


def test_every_output_carries_the_same_verdict(seed_run):
    _, _, run = seed_run
    assert "golive seed-permissions: NO-GO (" in run.output
    assert "Verdict: NO-GO" in (run.report_dir / "report.html").read_text()
    assert junit_verdict(run.report_dir) == "NO-GO"
    assert run.evidence["verdict"] == "NO-GO"
    assert (run.report_dir / "summary.md").read_text().startswith("# golive seed-permissions: NO-GO")


def test_evidence_json_holds_the_verdict_the_header_and_the_calls_made(seed_run):
    _, _, run = seed_run
    evidence = run.evidence
    assert evidence["verdict"] == "NO-GO"
    assert set(HEADER) <= set(evidence["metadata"])
    calls = evidence["aws_calls"]
    # one simulation per region and scope (identity-scoped, and "*"); the caller once
    assert calls["iam:SimulatePrincipalPolicy"] == 4 and calls["sts:GetCallerIdentity"] == 1
    # everything SES says about identities comes in one batch per region, whatever the checks
    assert calls["ses:GetIdentityVerificationAttributes"] == 2 and calls["ses:ListIdentities"] == 2


def test_no_secret_reaches_a_report(seed_run):
    _, _, run = seed_run
    for name in ("report.html", "junit.xml", "evidence.json"):
        text = (run.report_dir / name).read_text()
        assert not re.search(r"(AKIA|ASIA)[0-9A-Z]{16}", text), name
        assert "SecretAccessKey" not in text and "aws_secret_access_key" not in text, name


def test_summary_ticks_the_gate_list_from_evidence(seed_run):
    _, _, run = seed_run
    summary = (run.report_dir / "summary.md").read_text()
    assert summary.startswith("# golive seed-permissions: NO-GO")
    assert "- [ ] iam-permissions — 18 of " in summary
    assert "  - failed: `test_principal_is_allowed[glassdome-app-us-east-1-ses:GetAccount]`" in summary
    assert (
        "- [ ] Test send flows validated (sandbox first; production after access is approved) — not checked" in summary
    )


def test_every_call_a_run_made_is_a_declared_read(seed_run):
    from golive.aws import declared_reads

    _, _, run = seed_run
    made = set(run.evidence["aws_calls"])
    assert made and made <= {f"{service}:{operation}" for service, operation in declared_reads()}


def _report_data(page: str) -> dict:
    """The data pytest-html renders its tables from (a JSON blob in the page)."""
    blob = re.search(r'data-jsonblob="(.*?)"', page, re.S)
    assert blob, "pytest-html's data is in the page"
    return json.loads(html.unescape(blob.group(1)))
