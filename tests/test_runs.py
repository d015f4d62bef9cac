"""The harness of golive's own tests: a run in this process is the command's run, and leaves
nothing behind for the next; runs of the same inputs are shared, other inputs are not."""

from __future__ import annotations

import sys

from runs import CHECKS
from workspace import RunResult, Workspace, names

PENDING_DKIM = "test_dkim_is_enabled_and_verified[ap-southeast-1-bizassist.example]"


def _pending_dkim(d):
    d["regions"]["ap-southeast-1"]["ses"]["identities"]["bizassist.example"]["dkim"] = "PENDING"


def _verdicts(result: RunResult) -> dict[str, tuple[str, str]]:
    return {name: (o.status, o.message) for name, o in result.outcomes.items()}


def test_runs_in_a_row_in_this_process_agree_with_the_command_run_twice(tmp_path):
    # seed-permissions, then the demo with a defect: moto's process-wide backends must not
    # carry the first world's users and identities into the second
    here = Workspace(tmp_path / "here")
    here.edit("scenarios/demo.yaml", _pending_dkim)
    there = Workspace(tmp_path / "there")
    there.edit("scenarios/demo.yaml", _pending_dkim)
    first = here.verify("seed-permissions")
    assert first.exit_code == 1 and len(names(first, "failed")) == 18, first.output
    # the second run in this process must be the command's run, as if the first had never been
    in_process, command = here.verify("demo"), there.verify("demo", in_subprocess=True)
    assert in_process.exit_code == command.exit_code == 1, in_process.output
    assert _verdicts(in_process) == _verdicts(command)
    assert in_process.evidence["aws_calls"] == command.evidence["aws_calls"]
    assert names(in_process, "failed") == {PENDING_DKIM}
    assert f"golive demo: NO-GO ({len(in_process.outcomes) - 1} passed, 1 failed" in in_process.output


def test_a_run_in_this_process_leaves_the_checks_to_be_imported_afresh(tmp_path):
    outer = {check.stem: sys.modules.get(check.stem) for check in CHECKS.glob("test_*.py")}
    result = Workspace(tmp_path).verify("demo")
    assert result.exit_code == 0, result.output
    # what this process held under the checks' bare names before the run, it holds after it
    assert {check.stem: sys.modules.get(check.stem) for check in CHECKS.glob("test_*.py")} == outer
    assert not [m for m in list(sys.modules.values()) if str(getattr(m, "__file__", "")).startswith(str(CHECKS))]


def test_a_failing_check_carries_its_own_message_not_the_rewritten_assert(workspace):
    workspace.edit("scenarios/demo.yaml", _pending_dkim)
    message = workspace.verify("demo").outcomes[PENDING_DKIM].message
    assert "DKIM for bizassist.example in ap-southeast-1 is Pending (PENDING)" in message
    assert "assert " not in message and "where " not in message


def test_the_same_inputs_share_one_run_and_other_inputs_do_not(shared_runs, tmp_path):
    first = Workspace(tmp_path / "a", shared=shared_runs)
    second = Workspace(tmp_path / "b", shared=shared_runs)
    assert first.verify("demo", "-k", "dkim") is second.verify("demo", "-k", "dkim")
    assert first.verify("demo", "-k", "dkim", env_vars={"GOLIVE_GIT_COMMIT": "x"}) is not second.verify(
        "demo", "-k", "dkim"
    )
    second.edit("scenarios/demo.yaml", _pending_dkim)
    changed = second.verify("demo", "-k", "dkim")
    assert names(changed, "failed") == {PENDING_DKIM}
    assert names(first.verify("demo", "-k", "dkim"), "failed") == set()
