"""What a pipeline asks of `golive verify`: evidence.json on stdout (`--output json`), and its own
paths for the JUnit and HTML reports (`--junitxml`, `--html`) as copies of the run's files."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from expect import assert_usage_error
from runs import ROOT
from workspace import Workspace


def test_output_json_puts_evidence_on_stdout_and_the_rest_on_stderr_and_copies_the_reports(tmp_path):
    workspace = Workspace(tmp_path)
    completed = subprocess.run(  # the command itself: only a process of its own has a stdout of its own
        [sys.executable, "-m", "golive", "verify", "demo", f"--config-dir={workspace.config_dir}", "--output", "json",
         "--junitxml=ci/junit.xml", "--html", "ci/report.html"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, env=dict(os.environ),
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    evidence = json.loads(completed.stdout)  # nothing but the evidence
    assert evidence["verdict"] == "GO" and evidence["checks"]
    assert "golive demo: GO" in completed.stderr
    latest = tmp_path / "reports" / "demo" / "latest"
    assert evidence == json.loads((latest / "evidence.json").read_text())
    for name in ("junit.xml", "report.html"):  # relative to the folder the command ran in
        assert (tmp_path / "ci" / name).read_bytes() == (latest / name).read_bytes()


def test_a_report_copy_that_cannot_be_written_stops_the_run_before_any_check(workspace):
    blocker = workspace.config_dir.parent / "a-file"
    blocker.write_text("")
    result = workspace.verify("demo", f"--junitxml={blocker}/junit.xml")
    assert_usage_error(result, f"cannot write a report copy to {blocker}/junit.xml")


def test_output_json_of_bad_input_is_an_empty_stdout(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "golive", "verify", "nowhere", "--output=json"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=dict(os.environ),
    )  # fmt: skip
    assert completed.returncode == 4 and completed.stdout == "", completed.stdout
    assert "no such environment file" in completed.stderr


def test_quiet_is_one_line_per_failure_and_the_verdict(workspace):
    result = workspace.verify("seed-policy", "-q", env_vars={"COLUMNS": "250"})  # room for the finding
    assert result.exit_code == 1, result.output
    failed = sorted(name for name, o in result.outcomes.items() if o.status == "failed")
    lines = [line for line in result.output.splitlines() if line.startswith("FAILED ")]
    assert len(lines) == len(failed) == 6, result.output
    assert all(" - glassdome-app (arn:aws:iam::123456789012:user/glassdome-app) " in line for line in lines), lines
    assert "= FAILURES =" not in result.output and "golive seed-policy: NO-GO (" in result.output
