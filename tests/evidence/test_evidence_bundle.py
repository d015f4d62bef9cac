"""evidence.json is a versioned bundle: golive/schema/evidence.json describes it, and it says whether
the run was partial, what narrowed it, every gate's state, every waiver (stale or expired) and what
changed since the last whole run, where a missing or corrupt previous run is "no previous run"."""

from __future__ import annotations

import copy
import datetime as dt
import json

import jsonschema
import pytest
from workspace import ROOT

from golive.evidence.bundle import changes, gate_states, previous_run
from golive.evidence.waivers import Waiver, review

SCHEMA = json.loads((ROOT / "golive" / "schema" / "evidence.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
REGION = "ap-southeast-1"
PRODUCTION = f"checks/test_ses_account.py::test_production_access_is_granted[{REGION}]"
TODAY = dt.date(2026, 12, 3)


def states(evidence: dict) -> dict[str, str]:
    return {gate["id"]: gate["state"] for gate in evidence["gates"]}


def test_the_schema_is_a_valid_json_schema_and_is_shipped():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"schema/*.json"' in pyproject, "the schema travels in the wheel"


def test_a_go_run_validates_and_every_gate_has_a_state(demo):
    _, result = demo
    evidence = result.evidence
    VALIDATOR.validate(evidence)
    assert evidence["schema_version"] == 1 and evidence["partial"] is False and evidence["selection"] == []
    gates = states(evidence)
    assert gates["dkim"] == gates["iam-permissions"] == "passed"
    assert gates["send-flow"] == "not checked", "no check of golive decides it"
    assert evidence["changes"] == {"previous_run": None}, "the module's first run has none"


def test_the_schema_refuses_what_golive_never_writes(demo):
    _, result = demo
    for breaking in (
        lambda e: e.pop("gates"),
        lambda e: e.update(schema_version=2),
        lambda e: e["gates"][0].update(state="ok"),
        lambda e: next(iter(e["checks"].values())).update(outcome="xfailed"),
    ):
        broken = copy.deepcopy(result.evidence)
        breaking(broken)
        assert not VALIDATOR.is_valid(broken)


def test_a_partial_run_says_so_with_its_selection_and_the_gates_it_left_unchecked(demo):
    workspace, _ = demo
    result = workspace.verify("demo", "-k", "dkim")
    evidence = result.evidence
    VALIDATOR.validate(evidence)
    assert evidence["partial"] is True and evidence["selection"] == ["-k 'dkim'"]
    gates = {gate["id"]: gate for gate in evidence["gates"]}
    assert gates["dkim"]["state"] == "passed"
    assert gates["spf"]["state"] == "not checked" and "did not run" in gates["spf"]["why"]


def test_a_no_go_run_validates_and_names_its_failed_gate_and_what_newly_fails(demo):
    workspace, _ = demo
    workspace.edit(
        "scenarios/demo.yaml", lambda d: d["regions"][REGION]["ses"]["account"].update(production_access=False)
    )
    result = workspace.verify("demo")
    evidence = result.evidence
    VALIDATOR.validate(evidence)
    assert states(evidence)["production-access"] == "failed"
    assert evidence["changes"]["newly_failing"] == [PRODUCTION], "compared with the module's GO run"
    assert evidence["changes"]["newly_passing"] == evidence["changes"]["new_checks"] == []
    assert "changes:  since " in result.output and "1 newly failing, 0 newly passing" in result.output
    assert "1 newly failing, 0 newly passing" in (result.report_dir / "report.html").read_text()
    summary = (result.report_dir / "summary.md").read_text()
    assert f"- newly failing: `{PRODUCTION.split('::')[1]}`" in summary


@pytest.mark.parametrize("content", [None, "{not json", '{"checks": []}', '{"checks": {"x": 1}}', "[]"])
def test_a_missing_or_corrupt_previous_run_is_no_previous_run(tmp_path, content):
    latest = tmp_path / "latest"
    latest.mkdir()
    if content is not None:
        (latest / "evidence.json").write_text(content)
    assert previous_run(latest) is None
    assert changes(None, {"checks": {}}, []) == {"previous_run": None}


def test_changes_name_new_and_removed_checks_and_waivers_added_or_expired(tmp_path):
    latest = tmp_path / "20261201T000000Z"
    latest.mkdir()
    before = {"a.py::test_a": {"outcome": "failed"}, "a.py::test_gone": {"outcome": "passed"}}
    waiver = {"check": "test_a[x]", "ticket": "OPS-1", "state": "active"}
    (latest / "evidence.json").write_text(json.dumps({"checks": before, "waivers": [waiver]}))
    now = {"a.py::test_a": {"outcome": "passed"}, "a.py::test_new": {"outcome": "failed"}}
    reviewed = [{**waiver, "state": "expired"}, {"check": "test_b[y]", "ticket": "OPS-2", "state": "active"}]
    found = changes(previous_run(latest), {"checks": now, "not_run": {}}, reviewed)
    assert found == {
        "previous_run": "20261201T000000Z",
        "newly_failing": [],
        "newly_passing": ["a.py::test_a"],
        "new_checks": ["a.py::test_new"],
        "removed_checks": ["a.py::test_gone"],
        "waivers_added": ["OPS-2"],
        "waivers_expired": ["OPS-1"],
    }


def test_a_waiver_is_stale_when_it_matches_no_check_or_only_passing_ones():
    def waiver(check: str, expires: dt.date = TODAY) -> Waiver:
        return Waiver(check, "why", "OPS-9", expires)

    outcomes = {
        "checks/t.py::test_a[x-1]": "passed",
        "checks/t.py::test_a[x-2]": "waived",
        "checks/t.py::test_b[y]": "not run",
    }
    reviewed = review(
        (
            waiver("test_a[x-1]"),
            waiver("test_a[x-*]"),
            waiver("test_a[zz]"),
            waiver("test_b[y]", TODAY - dt.timedelta(1)),
        ),
        outcomes,
        TODAY,
    )
    assert [w["stale"] for w in reviewed] == [
        "the 1 check(s) it matches pass",
        None,
        "it matches no check of this environment",
        None,  # its check did not run: nothing is known of it
    ]
    assert [w["state"] for w in reviewed] == ["active", "active", "active", "expired"]


def test_gate_states_put_a_failure_before_a_could_not_see_before_a_gap():
    record = {
        "checks": {
            "a::1": {"gate": "dkim", "outcome": "could not see"},
            "a::2": {"gate": "dkim", "outcome": "failed"},
            "a::3": {"gate": "spf", "outcome": "could not see"},
            "a::4": {"gate": "dmarc", "outcome": "waived"},
            "a::5": {"gate": "quotas", "outcome": "advisory"},
        },
        "not_run": {"a::6": "spf", "a::7": "notifications"},
    }
    found = {gate["id"]: (gate["state"], gate["why"]) for gate in gate_states(record)}
    assert found["dkim"][0] == "failed" and found["spf"][0] == "could not see"
    assert found["dmarc"][0] == "waived" and found["notifications"][0] == "not checked"
    assert found["quotas"] == ("passed", "every check passed, 1 advisory finding(s)")
