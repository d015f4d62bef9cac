"""Every check in checks/ is a rule card: a docstring with the rule, the risk and the fix,
a gate and a severity on its marker, and stable, unique ids."""

from __future__ import annotations

import importlib.util
import inspect

import pytest
from workspace import ROOT

from golive import areas
from golive.config import load_config
from golive.evidence.gates import BY_ID, GATES, SEVERITIES


def _check_functions():
    return list(_walk_checks())


def _walk_checks():
    for path in sorted((ROOT / "golive" / "checks").glob("test_*.py")):
        spec = importlib.util.spec_from_file_location(f"golive_checks_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("test_"):
                yield pytest.param(function, id=f"{path.stem}.{name}")


@pytest.mark.parametrize("check", _check_functions())
def test_a_check_states_its_rule_risk_and_fix(check):
    doc = inspect.getdoc(check) or ""
    rule = doc.split("\n\n")[0]
    assert rule.endswith("."), "the first paragraph is the rule, one sentence"
    assert "Risk:" in doc and "Fix:" in doc


@pytest.mark.parametrize("check", _check_functions())
def test_a_check_names_its_gate_and_severity(check):
    [marker] = [m for m in getattr(check, "pytestmark", []) if m.name == "golive"]
    assert marker.kwargs["gate"] in BY_ID, f"{marker.kwargs['gate']!r} is not in golive/evidence/gates.py"
    assert marker.kwargs["severity"] in SEVERITIES


def test_every_gate_is_decided_by_a_check():
    decided = {m.kwargs["gate"] for p in _check_functions() for m in p.values[0].pytestmark if m.name == "golive"}
    assert decided == set(BY_ID)
    assert len(BY_ID) == len(GATES)


def _declared_ids(check, config):
    """The ids a check's fact fixtures declare for this environment, before pytest renames any duplicate."""
    facts = [name for name in inspect.signature(check).parameters if name in areas.facts()]
    return [case.id for fact in facts for case in areas.cases_for(fact, config)]


@pytest.mark.parametrize("env", ["demo", "seed-permissions", "prod", "staging"])
def test_ids_are_unique_and_stable(env):
    config = load_config(env, ROOT / "config")
    for param in _check_functions():
        first, second = _declared_ids(param.values[0], config), _declared_ids(param.values[0], config)
        assert first == second, f"{param.id}: ids change from one listing to the next"
        assert len(first) == len(set(first)), f"{param.id}: duplicate ids {sorted(first)}"


def test_the_demo_declares_a_case_for_every_check_but_those_it_has_nothing_for():
    config = load_config("demo", ROOT / "config")
    empty = {param.id for param in _check_functions() if not _declared_ids(param.values[0], config)}
    assert empty == {
        "test_backend.test_rds_iam_authentication_is_recommended",  # the demo requires it: the critical check
        "test_env_matrix.test_no_static_aws_keys_in_production",
        "test_iam_least_privilege.test_no_long_lived_access_keys",
        "test_iam_permissions.test_aws_weighed_every_permission",
        "test_ses_send_flow.test_a_test_send_is_accepted",  # opt-in: --send-test
        "test_ses_send_flow.test_the_feedback_notification_arrives",  # with the test send
        "test_ses_identities.test_identity_belongs_to_tenant",
    }


@pytest.mark.parametrize("env", ["demo", "seed-permissions", "prod", "staging"])
def test_the_shipped_environments_are_valid(env):
    config = load_config(env, ROOT / "config")
    assert config.env == env and config.principals
