"""summary.md for the release ticket, and waivers told honestly: a waiver that matches no check, or
only checks that pass, is stale (the terminal, report.html and summary.md say so); an expired one
makes its checks count again, and says so with its ticket."""

from __future__ import annotations

import datetime as dt
from typing import Any

from workspace import RunResult, Workspace

REGION = "ap-southeast-1"
IDENTITY = f"arn:aws:ses:{REGION}:123456789012:identity/bizassist.example"
DENIED = "test_principal_is_denied[api-*-ses:CreateEmailIdentity]"
PASSING = "test_principal_is_allowed[api-*-ses:SendEmail]"
NOBODY = "test_principal_is_allowed[nobody-*-ses:SendEmail]"


def _too_broad(data: dict[str, Any]) -> None:
    """The API role allowed an action it must not have: test_principal_is_denied fails."""
    role = data["iam"]["roles"]["bizassist-api"]["inline"]["bizassist-api-least-privilege"]
    role["Statement"].append({"Effect": "Allow", "Action": "ses:CreateEmailIdentity", "Resource": IDENTITY})


def _waivers(workspace: Workspace, *waivers: tuple[str, str, dt.date]) -> None:
    entries = [
        {"check": check, "ticket": ticket, "reason": f"reason of {ticket}", "expires": expires.isoformat()}
        for check, ticket, expires in waivers
    ]
    workspace.edit("demo.yaml", lambda d: d.update(waivers=entries))


def _summary(result: RunResult) -> str:
    return (result.report_dir / "summary.md").read_text()


def test_stale_waivers_are_named_everywhere_and_the_run_stays_go(workspace):
    soon = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30)
    workspace.edit("scenarios/demo.yaml", _too_broad)
    _waivers(workspace, (DENIED, "OPS-1", soon), (PASSING, "OPS-2", soon), (NOBODY, "OPS-3", soon))
    result = workspace.verify("demo")
    assert result.exit_code == 0, result.output
    assert "waiver:   OPS-1" not in result.output, "a waiver that waives a failure is not stale"
    assert f"waiver:   OPS-2 ({PASSING}) is stale: the 1 check(s) it matches pass; remove it" in result.output
    assert f"waiver:   OPS-3 ({NOBODY}) is stale: it matches no check of this environment" in result.output
    stale = {w["ticket"]: w["stale"] for w in result.evidence["waivers"]}
    assert stale["OPS-1"] is None and stale["OPS-2"] and stale["OPS-3"]
    page = (result.report_dir / "report.html").read_text()
    assert "Waiver OPS-2" in page and "is stale" in page and "Waiver OPS-1" not in page
    summary = _summary(result)
    assert f"- OPS-1 until {soon}: reason of OPS-1 — `{DENIED}` (waives 1 check)" in summary
    assert "### Stale waivers" in summary and f"- OPS-3 ({NOBODY}) is stale" in summary


def test_an_expired_waiver_says_its_checks_count_again_with_its_ticket(workspace):
    workspace.edit("scenarios/demo.yaml", _too_broad)
    _waivers(workspace, (DENIED, "OPS-8", dt.date(2020, 1, 31)))
    result = workspace.verify("demo")
    assert result.exit_code == 1, result.output
    assert f"waiver:   OPS-8 expired on 2020-01-31: 1 check(s) it waived count again ({DENIED})" in result.output
    summary = _summary(result)
    assert f"- OPS-8 until 2020-01-31: reason of OPS-8 — `{DENIED}` (expired: its checks count again)" in summary
    assert "## Failures" in summary and "is allowed ses:CreateEmailIdentity" in summary


def test_the_summary_gives_each_failure_its_finding_under_its_fix_once(workspace):
    result = workspace.verify("seed-permissions")
    summary = _summary(result)
    failures = summary.split("## Failures", 1)[1].split("\n## ", 1)[0]
    fix = "- Fix: attach this least-privilege policy to arn:aws:iam::123456789012:user/glassdome-app"
    assert failures.count(fix) == 1 and "— for 18 checks:" in failures, "one policy fixes all 18: shown once"
    assert (
        "  - failed: `test_principal_is_allowed[glassdome-app-us-east-1-ses:GetAccount]` (iam-permissions): "
        "glassdome-app (arn:aws:iam::123456789012:user/glassdome-app) is not allowed ses:GetAccount in us-east-1\n"
    ) in failures
    not_checked = summary.split("## Not checked", 1)[1].split("\n## ", 1)[0]
    assert (
        "- Test send flows validated (sandbox first; production after access is approved): "
        "no check of golive decides it in this environment"
    ) in not_checked


def test_a_go_summary_says_what_was_not_checked_and_what_changed(demo):
    workspace, whole = demo
    assert "## Failures" not in _summary(whole) and "## Waivers" not in _summary(whole)
    assert "configured, but read by no check" not in _summary(whole)  # every configured section has its checks
    assert "## Since the last run\n\nNo previous run of this environment to compare with." in _summary(whole)
    partial = workspace.verify("demo", "-k", "dkim")
    summary = _summary(partial)
    assert "- the run was narrowed (-k 'dkim'): a partial run is never GO" in summary
    assert f"Since {whole.report_dir.name}: 0 newly failing, 0 newly passing, 0 new checks" in summary
