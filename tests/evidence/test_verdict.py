"""The verdict is a contract: GO only for the whole suite of the environment, run to the end.

A narrowed run is PARTIAL (exit 6), an interrupted one INTERRUPTED (exit 2); neither moves
`latest`, and both say so on the terminal, in evidence.json and in summary.md.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from workspace import ROOT, Workspace, junit_verdict

from golive.selection import narrowing, refuse_workers

HERE = Path(__file__).parent


def _command(workspace: Workspace, *extra: str) -> list[str]:
    """The command itself, for what only a process of its own shows: signals, runs at once."""
    config, reports = f"--config-dir={workspace.config_dir}", f"--reports-dir={workspace.reports_dir}"
    return [sys.executable, "-m", "golive", "verify", "demo", config, reports, *extra]


def latest(workspace: Workspace) -> Path:
    return (workspace.reports_dir / "demo" / "latest").resolve()


@pytest.mark.parametrize(
    ("args", "env_vars", "said"),
    [
        (["-k", "dkim"], {}, "-k 'dkim'"),
        (["--ignore=checks/test_dns.py"], {}, "--ignore checks/test_dns.py"),
        ([], {"PYTEST_ADDOPTS": "-k spf"}, "-k 'spf'"),
    ],
    ids=["keyword", "ignore", "addopts"],
)
def test_a_narrowed_run_is_partial_and_leaves_latest(demo, args, env_vars, said):
    workspace, whole = demo
    result = workspace.verify("demo", *args, env_vars=env_vars)
    evidence = result.evidence
    assert result.exit_code == 6, result.output
    assert "golive demo: PARTIAL" in result.output and said in result.output
    assert evidence["verdict"] == "PARTIAL" and said in "; ".join(evidence["selection"])
    assert evidence["not_run"], "the checks the selection left out are named"
    assert "# golive demo: PARTIAL" in (result.report_dir / "summary.md").read_text()
    assert junit_verdict(result.report_dir) == "PARTIAL"
    assert latest(workspace) == whole.report_dir.resolve()


@pytest.mark.parametrize(
    ("args", "option", "value", "said"),
    [
        ([], "markexpr", "not golive", "-m 'not golive'"),
        ([], "deselect", ["checks/test_dns.py"], "--deselect checks/test_dns.py"),
        ([], "ignore_glob", ["checks/*dns*"], "--ignore-glob checks/*dns*"),
        (["checks/test_ses_account.py"], None, None, "paths checks/test_ses_account.py"),
        (["checks"], None, None, None),
        ([str(ROOT / "golive" / "checks")], None, None, None),
        ([], "region", ["us-east-1", "us-west-2"], "--region us-east-1 us-west-2"),
        ([], "severity", ["critical"], "--severity critical"),
        ([], "gate", ["dkim"], "--gate dkim"),
    ],
)
def test_every_way_of_narrowing_the_suite_is_named(args, option, value, said, monkeypatch):
    """The same words each selection gets in a run (as -k, --ignore and PYTEST_ADDOPTS do above)."""
    monkeypatch.chdir(ROOT / "golive")  # where `golive verify` runs pytest: `checks` is the suite
    options = {"keyword": "", "markexpr": "", "deselect": None, "ignore": None, "ignore_glob": None}
    options |= {"region": [], "severity": [], "gate": []}
    if option:
        options[option] = value
    config = SimpleNamespace(args=args, option=SimpleNamespace(**options))
    assert narrowing(config) == ([said] if said else [])


def test_a_selection_that_finds_a_failure_is_no_go(workspace):
    workspace.edit(
        "scenarios/demo.yaml",
        lambda d: d["regions"]["ap-southeast-1"]["ses"]["account"].update(production_access=False),
    )
    result = workspace.verify("demo", "-k", "production_access")
    assert result.exit_code == 1, result.output
    assert result.evidence["verdict"] == "NO-GO"


def test_parallel_workers_are_refused(workspace):
    result = workspace.verify("demo", "-n", "2", in_subprocess=True)  # with pytest-xdist loaded, as a user has it
    assert result.exit_code == 4, result.output
    assert "ERROR: golive verify runs in one process: -n/--numprocesses would start a session per worker" in (
        result.output
    )
    assert result.report_dir is None


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"numprocesses": 2, "dist": "load", "tx": ["popen", "popen"]}, "-n/--numprocesses"),  # -n 2, as xdist reads it
        ({"numprocesses": None, "dist": "loadfile", "tx": []}, "--dist"),
        ({"numprocesses": None, "dist": "no", "tx": ["popen"]}, "--tx"),
        ({"numprocesses": 0, "dist": "no", "tx": []}, None),  # -n 0 starts no worker
        ({}, None),  # xdist not installed, or -p no:xdist
    ],
)
def test_every_way_of_asking_for_workers_is_refused(options, named):
    config = SimpleNamespace(option=SimpleNamespace(**options))
    if named is None:
        refuse_workers(config)
        return
    with pytest.raises(pytest.UsageError, match=f"golive verify runs in one process: {named} would start"):
        refuse_workers(config)


def test_pytest_with_workers_is_refused_for_a_gate_run_only(tmp_path, workspace):
    """`pytest --env` with -n is refused before any AWS call; golive's own tests (`make test`) run
    with -n and the plugin loaded, which is no gate run."""
    checkout = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's golive, from any folder
    gate = subprocess.run(
        [sys.executable, "-m", "pytest", "--env", "demo", f"--config-dir={workspace.config_dir}", "-n", "2"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, env=checkout,
    )  # fmt: skip
    assert gate.returncode == 4, gate.stdout + gate.stderr
    assert "golive verify runs in one process: -n/--numprocesses would start a session per worker" in gate.stderr
    assert not (tmp_path / "reports").exists()
    (tmp_path / "test_itself.py").write_text("def test_in_a_worker():\n    assert True\n")
    own = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "golive.plugin", "-n", "2", "-q", "test_itself.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, env=checkout,
    )  # fmt: skip
    assert own.returncode == 0, own.stdout + own.stderr
    assert "1 passed" in own.stdout


def test_a_gate_whose_checks_did_not_run_is_not_ticked(demo):
    workspace, _ = demo
    result = workspace.verify("demo", "-k", "not dkim")
    summary = (result.report_dir / "summary.md").read_text()
    assert "- [ ] SES Easy DKIM CNAME records published and validated — 2 of 2 checks did not pass" in summary
    assert "  - not run: `test_dkim_cnames_point_to_ses[ap-southeast-1-bizassist.example]`" in summary
    assert "- [x] SPF includes SES sender path" in summary


def _signalled_run(workspace: Workspace, when: str) -> tuple[int, str]:
    """The command, sent a signal by the interrupter plugin (GOLIVE_TEST_SIGNAL, e.g. INT:10)."""
    completed = subprocess.run(
        _command(workspace, "-p", "interrupter"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(HERE), "GOLIVE_TEST_SIGNAL": when},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.default_int_handler),
    )
    return completed.returncode, completed.stdout + completed.stderr


def _report_folders(workspace: Workspace) -> set[str]:
    return {p.name for p in (workspace.reports_dir / "demo").iterdir()}


@pytest.mark.parametrize("name", ["INT", "TERM"])
def test_an_interrupted_run_is_never_go_and_leaves_latest(demo, name):
    workspace, whole = demo
    returncode, output = _signalled_run(workspace, f"{name}:10")
    assert returncode == 2, output
    assert "golive demo: INTERRUPTED (9 passed" in output
    assert "`latest` still names the last whole run" in output
    assert latest(workspace) == whole.report_dir.resolve()
    newest = max((p for p in (workspace.reports_dir / "demo").iterdir() if p.name != "latest"), key=lambda p: p.name)
    assert json.loads((newest / "evidence.json").read_text())["verdict"] == "INTERRUPTED"
    assert junit_verdict(newest) == "INTERRUPTED"


def test_ctrl_c_while_starting_says_so_and_leaves_nothing(demo):
    """After the embedded account started and the report folder was made, before any check."""
    workspace, whole = demo
    before = _report_folders(workspace)
    returncode, output = _signalled_run(workspace, "INT:configure")
    assert returncode == 2, output
    assert "golive: INTERRUPTED while starting: no check ran, no report was written" in output
    assert "Traceback" not in output
    assert _report_folders(workspace) == before
    assert latest(workspace) == whole.report_dir.resolve()


def test_a_killed_run_leaves_no_report_only_its_hidden_unfinished_folder(demo):
    """Reports are written into a hidden folder and renamed into place at the end: a run killed
    outright (no handler can run) leaves nothing that looks like a report, and `latest` as it was."""
    workspace, whole = demo
    before = _report_folders(workspace)
    returncode, output = _signalled_run(workspace, "KILL:10")
    assert returncode == -signal.SIGKILL, output
    left = _report_folders(workspace) - before
    assert len(left) == 1 and all(name.startswith(".") and name.endswith(".writing") for name in left), left
    assert latest(workspace) == whole.report_dir.resolve()


def test_two_runs_at_once_keep_both_reports_and_a_valid_latest(tmp_path):
    workspace = Workspace(tmp_path)
    command = _command(workspace)
    runs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(2)]
    assert [run.wait(timeout=300) for run in runs] == [0, 0]
    folders = sorted(p for p in (workspace.reports_dir / "demo").iterdir() if p.name != "latest")
    assert len(folders) == 2, folders
    for folder in folders:
        assert json.loads((folder / "evidence.json").read_text())["verdict"] == "GO"
        assert sorted(p.name for p in folder.iterdir()) == ["evidence.json", "junit.xml", "report.html", "summary.md"]
    assert latest(workspace) in folders
