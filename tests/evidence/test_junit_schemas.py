"""junit.xml as CI reads it: valid against Jenkins xunit's junit-10.xsd and the Apache Ant JUnit
schema (tests/data/junit/, with their origin), and counted the way GitLab and Jenkins count it:
a GO run has no failure and no error, whatever it found that was advisory or waived."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from workspace import ROOT, RunResult, Workspace

SCHEMAS = ROOT / "tests" / "data" / "junit"
REGION = "ap-southeast-1"
ALARMS = f"test_reputation_alarms_exist[{REGION}]"
WAIVED = f"test_principal_is_denied[api-{REGION}-ses:CreateEmailIdentity]"
PRODUCTION = f"test_production_access_is_granted[{REGION}]"
TOPICS = f"test_notification_topics_are_subscribed[{REGION}]"
REASON = "identity bootstrap runs from the API until OPS-7 moves it"


def ci_counts(path: Path) -> dict[str, Any]:
    """What GitLab's and Jenkins' JUnit readers count: every test case, by the element it holds."""
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for case in ET.parse(path).getroot().iter("testcase"):
        counts["tests"] += 1
        for tag, counter in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
            counts[counter] += case.find(tag) is not None
    return counts


def suite_counts(path: Path) -> dict[str, int]:
    suite = ET.parse(path).getroot().find("testsuite")
    return {key: int(suite.get(key)) for key in ("tests", "failures", "errors", "skipped")}


def element(result: RunResult, name: str) -> ET.Element:
    [case] = [c for c in ET.parse(result.report_dir / "junit.xml").getroot().iter("testcase") if c.get("name") == name]
    [found] = [child for child in case if child.tag in ("failure", "error", "skipped")]
    return found


def waive_and_find_an_advisory(workspace: Workspace) -> None:
    """The demo with an advisory finding (an alarm gone) and a waived failure (an allow it must not have)."""

    def scenario(data: dict[str, Any]) -> None:
        del data["regions"][REGION]["cloudwatch"]["alarms"]["bizassist-ses-bounce-rate"]
        statements = data["iam"]["roles"]["bizassist-api"]["inline"]["bizassist-api-least-privilege"]["Statement"]
        identity = f"arn:aws:ses:{REGION}:123456789012:identity/bizassist.example"
        statements.append({"Effect": "Allow", "Action": "ses:CreateEmailIdentity", "Resource": identity})

    expires = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30)).isoformat()
    waiver = {"check": "test_principal_is_denied[api-*-ses:CreateEmailIdentity]", "reason": REASON}
    workspace.edit("scenarios/demo.yaml", scenario)
    workspace.edit("demo.yaml", lambda d: d.update(waivers=[{**waiver, "ticket": "OPS-7", "expires": expires}]))


@pytest.fixture(scope="module")
def mixed_go(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    workspace = Workspace(tmp_path_factory.mktemp("junit-go"))
    waive_and_find_an_advisory(workspace)
    return workspace.verify("demo")


@pytest.fixture(scope="module")
def mixed_no_go(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """Advisory, waived, failed and could-not-see in one run: no production access, and an auditor
    that may not list a topic's subscriptions."""
    workspace = Workspace(tmp_path_factory.mktemp("junit-no-go"))
    waive_and_find_an_advisory(workspace)

    def scenario(data: dict[str, Any]) -> None:
        data["regions"][REGION]["ses"]["account"]["production_access"] = False
        from golive.areas import auditor_policy

        policy = auditor_policy()
        policy["Statement"][0]["Action"].remove("sns:ListSubscriptionsByTopic")
        data["auditor"] = {"inline": {"audit": policy}}

    workspace.edit("scenarios/demo.yaml", scenario)
    return workspace.verify("demo")


@pytest.mark.parametrize("xsd", ["jenkins-xunit-junit-10.xsd", "ant-junit.xsd"])
@pytest.mark.parametrize("run", ["demo", "mixed_go", "mixed_no_go"])
def test_junit_validates_against_the_schemas_ci_uses(request, run, xsd):
    result = request.getfixturevalue(run)
    path = (result[1] if isinstance(result, tuple) else result).report_dir / "junit.xml"
    errors = list(xmlschema.XMLSchema(SCHEMAS / xsd).iter_errors(str(path)))
    assert not errors, f"{xsd}: {len(errors)} errors, the first: {errors[0]}"


def test_pytest_s_own_junit_would_not_validate():
    """The rewrite is needed: pytest's junit.xml puts properties, file and line on each test case."""
    pytest_style = (
        '<testsuites name="pytest tests"><testsuite name="golive" errors="0" failures="0" skipped="0" tests="1" '
        'time="0.1" timestamp="2026-12-03T16:50:01.972936+00:00" hostname="vm"><testcase classname="checks.test_dns" '
        'name="test_x" file="checks/test_dns.py" line="10" time="0.1"><properties><property name="gate" value="dkim" />'
        "</properties></testcase></testsuite></testsuites>"
    )
    for xsd in ("jenkins-xunit-junit-10.xsd", "ant-junit.xsd"):
        assert not xmlschema.XMLSchema(SCHEMAS / xsd).is_valid(pytest_style), xsd


def test_a_go_run_has_nothing_failed(demo):
    _, result = demo
    path = result.report_dir / "junit.xml"
    whole = len(result.evidence["checks"])  # every check of the demo's suite ran
    assert ci_counts(path) == suite_counts(path) == {"tests": whole, "failures": 0, "errors": 0, "skipped": 0}


def test_advisory_and_waived_findings_are_skips_that_say_so(mixed_go):
    result, path = mixed_go, mixed_go.report_dir / "junit.xml"
    assert result.exit_code == 0, result.output
    whole = len(result.evidence["checks"])
    assert ci_counts(path) == suite_counts(path) == {"tests": whole, "failures": 0, "errors": 0, "skipped": 2}
    advisory, waived = element(result, ALARMS), element(result, WAIVED)
    assert advisory.get("message").startswith("advisory: ") and "Reputation.BounceRate" in advisory.text
    expires = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30)).isoformat()
    assert waived.get("message") == f"waived: OPS-7 until {expires}: {REASON}"
    assert "is allowed ses:CreateEmailIdentity" in waived.text, "the waived finding is still shown"
    assert result.ids("advisory") == {REGION} and result.ids("waived") == {f"api-{REGION}-ses:CreateEmailIdentity"}


def test_a_mixed_no_go_run_counts_each_outcome_as_ci_does(mixed_no_go):
    result, path = mixed_no_go, mixed_no_go.report_dir / "junit.xml"
    assert result.exit_code == 1, result.output
    counts = ci_counts(path)
    assert counts == suite_counts(path)
    assert (counts["failures"], counts["errors"], counts["skipped"]) == (1, 1, 2), result.output
    assert {name for name, o in result.outcomes.items() if o.status != "passed"} == {ALARMS, WAIVED, PRODUCTION, TOPICS}


def test_a_failure_says_its_finding_first_and_a_could_not_see_is_an_error(mixed_no_go):
    failure, error = element(mixed_no_go, PRODUCTION), element(mixed_no_go, TOPICS)
    assert failure.get("type") == "golive.failed"
    assert not failure.get("message").startswith(("checks/", "test_")), "the finding, not the node id"
    assert failure.text.startswith(failure.get("message"))
    assert failure.text.rstrip().endswith(f"check: checks/test_ses_account.py::{PRODUCTION}")
    assert error.get("type") == "golive.could-not-see" and error.get("message").startswith("could not see: ")
    assert "sns:ListSubscriptionsByTopic" in error.text


def test_the_suite_names_the_verdict_and_the_file_stays_short(demo):
    _, result = demo
    root = ET.parse(result.report_dir / "junit.xml").getroot()
    properties = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert properties["golive_verdict"] == "GO" and properties["golive_evidence"] == "evidence.json"
    passed = sum(entry["outcome"] == "passed" for entry in result.evidence["checks"].values())
    assert root.find("testsuite/system-out").text.startswith(f"golive demo: GO ({passed} passed")
    # the facts are evidence.json's: junit.xml holds a line a test, not every fact again
    assert (result.report_dir / "junit.xml").stat().st_size < 20_000
