"""Selections by golive's own words (--region, --severity, --gate, -m with the severity and gate
markers): exactly the checks asked for run, the verdict is PARTIAL (never GO), the report and
evidence name the selection, and `latest` keeps naming the last whole run."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from expect import assert_usage_error
from workspace import Workspace

from golive import HOME
from golive.config import load_config
from golive.evidence.gates import BY_ID
from golive.selection import Selection, override_credentials
from golive.suite import catalogue, expected_checks


def _expected(workspace: Workspace, env: str, keep) -> set[str]:
    """Node ids of the environment's suite whose check (gate, severity) and id `keep` accepts."""
    config = load_config(env, workspace.config_dir)
    return {nodeid for nodeid, check in expected_checks(config, HOME).items() if keep(check, nodeid)}


def _latest(workspace: Workspace, env: str = "demo"):
    return (workspace.reports_dir / env / "latest").resolve()


@pytest.mark.parametrize(
    ("args", "keep", "said"),
    [
        (["--severity", "advisory"], lambda c, n: c.severity == "advisory", "--severity advisory"),
        (["--gate=dkim", "--gate", "spf"], lambda c, n: c.gate in ("dkim", "spf"), "--gate dkim spf"),
        (["-m", "critical and not dkim"], lambda c, n: c.severity == "critical" and c.gate != "dkim", "-m 'critical"),
        (["--severity=critical", "--gate=dmarc"], lambda c, n: c.gate == "dmarc", "--severity critical; --gate dmarc"),
    ],
    ids=["severity", "gates", "markers", "both"],
)
def test_a_selection_runs_exactly_its_checks_and_is_partial(demo, args, keep, said):
    workspace, whole = demo
    result = workspace.verify("demo", *args)
    evidence = result.evidence
    assert result.exit_code == 6, result.output
    assert set(evidence["checks"]) == _expected(workspace, "demo", keep) != set()
    assert evidence["verdict"] == "PARTIAL" and said in "; ".join(evidence["selection"])
    assert "golive demo: PARTIAL" in result.output and said in result.output
    assert set(evidence["not_run"]) == set(whole.evidence["checks"]) - set(evidence["checks"])
    assert _latest(workspace) == whole.report_dir.resolve()


def test_one_region_runs_its_checks_and_the_region_less_ones(tmp_path):
    workspace = Workspace(tmp_path)  # seed-permissions: us-east-1 and us-west-2
    whole = workspace.verify("seed-permissions")
    result = workspace.verify("seed-permissions", "--region", "us-west-2")
    ran = set(result.evidence["checks"])
    assert ran == _expected(workspace, "seed-permissions", lambda c, n: "us-east-1" not in n)
    assert any("us-west-2" in n for n in ran) and any("us-" not in n.split("[")[-1] for n in ran)
    # its failures are found (NO-GO), but a selected run is not a whole one: `latest` stays
    assert result.exit_code == 1 and result.evidence["verdict"] == "NO-GO", result.output
    assert result.evidence["selection"] == ["--region us-west-2"]
    assert _latest(workspace, "seed-permissions") == whole.report_dir.resolve()


def test_a_selection_that_leaves_nothing_out_is_still_partial(demo):
    workspace, whole = demo
    result = workspace.verify("demo", "-m", "critical or high or advisory")
    assert set(result.evidence["checks"]) == set(whole.evidence["checks"])
    assert result.exit_code == 6 and result.evidence["verdict"] == "PARTIAL", result.output
    assert _latest(workspace) == whole.report_dir.resolve()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--region", "us-east-1"], "--region us-east-1: not a region of demo; expected one of ap-southeast-1"),
        (["--gate", "dkimm"], "--gate dkimm: not a gate of golive; expected one of region-consistent"),
        (["--severity", "low"], "argument --severity: invalid choice: 'low'"),
        (["-m", "critcal or dkim"], "-m 'critcal or dkim': critcal is not a marker of golive's checks"),
        (["-m", "critical and"], "-m 'critical and': expected not OR left parenthesis OR identifier"),
        (["--region"], "argument --region: expected one argument"),
    ],
)
def test_a_selection_of_nothing_that_exists_is_a_usage_error(workspace, args, said):
    assert_usage_error(workspace.verify("demo", *args), said)


def test_every_gate_and_severity_is_a_marker():
    config = SimpleNamespace(option=SimpleNamespace(region=[], severity=[], gate=[]))
    item = SimpleNamespace(markers=[], get_closest_marker=lambda name: SimpleNamespace(kwargs=kwargs))
    item.add_marker = item.markers.append
    for check in catalogue():
        kwargs = {"gate": check.gate, "severity": check.severity}
        item.markers.clear()
        Selection(config.option).pytest_collection_modifyitems(config, [item])
        assert item.markers == [check.severity, check.gate] and check.gate in BY_ID


ROLE_A, ROLE_B = "arn:aws:iam::111122223333:role/a", "arn:aws:iam::111122223333:role/b"


@pytest.mark.parametrize(
    ("mode", "profile", "role_arn", "expected"),
    [
        ("live", "ci", None, ("ci", ROLE_A)),
        ("live", None, ROLE_B, ("laptop", ROLE_B)),
        ("live", "ci", ROLE_B, ("ci", ROLE_B)),
        ("moto", "ci", ROLE_B, ("laptop", ROLE_A)),  # the embedded account reads no AWS setup
    ],
)
def test_profile_and_role_override_the_config_in_live_mode(mode, profile, role_arn, expected):
    golive_config = SimpleNamespace(data={"aws": {"mode": mode, "profile": "laptop", "role_arn": ROLE_A}})
    options = {"profile": profile, "role_arn": role_arn}
    override_credentials(SimpleNamespace(getoption=options.get), golive_config)
    aws = golive_config.data["aws"]
    assert (aws["profile"], aws["role_arn"]) == expected
