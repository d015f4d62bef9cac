"""Every check in checks/ is a rule card: a docstring with the rule, the risk and the fix,
a gate and a severity on its marker, and stable, unique ids."""

from __future__ import annotations

import importlib.util
import inspect

import pytest
from runs import run_in_process, run_subprocess
from workspace import ROOT

from golive.config import load_config
from golive.plugin import SEVERITIES


def _check_functions():
    return list(_walk_checks())


def _walk_checks():
    for path in sorted((ROOT / "checks").glob("test_*.py")):
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
    assert marker.kwargs["gate"]
    assert marker.kwargs["severity"] in SEVERITIES


@pytest.mark.parametrize("env", ["demo", "seed-permissions"])
def test_ids_are_unique_and_stable(env):
    def collect(runner):
        exit_code, output = runner(["verify", env, "--collect-only", "-q"], {})
        assert exit_code == 0, output
        return [line for line in output.splitlines() if "::" in line]

    # two processes, so two string hash seeds: an id must not depend on the order of a set
    first, second = collect(run_subprocess), collect(run_in_process)
    assert first and first == second
    assert len(first) == len(set(first))


@pytest.mark.parametrize("env", ["demo", "seed-permissions", "prod", "staging"])
def test_the_shipped_environments_are_valid(env):
    config = load_config(env, ROOT / "config")
    assert config.env == env and config.principals


def test_configured_sections_no_check_reads_yet_are_named_not_implied():
    assert load_config("prod", ROOT / "config").unchecked_keys() == (
        "env_matrix",
        "backend.rds_instance",
        "backend.iam_db_auth",
    )
    assert load_config("seed-permissions", ROOT / "config").unchecked_keys() == ()
