"""The `golive` command: its help, its version, its check listing, where it reads environments and
writes reports, and its usage errors (one line, exit 4, no traceback, nothing written)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys

import pytest
from expect import assert_usage_error
from runs import ROOT, run_in_process, run_subprocess
from workspace import Workspace, verify_in

from golive import cli
from golive.config import load_config
from golive.suite import catalogue, expected_checks


def golive(*argv: str) -> tuple[int, str, str]:
    """`golive ARGV` in this process (no run): exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_help_names_every_command_and_the_exit_statuses():
    code, out, _ = golive("--help")
    assert code == 0
    for command in ("verify", "checks", "init", "auditor-policy"):
        assert f"\n  {command} " in out
    assert "0 GO, 1 NO-GO, 2 INTERRUPTED, 4 bad config or usage, 6 PARTIAL" in out


def test_verify_help_puts_golive_options_first_then_points_at_pytest():
    code, out, _ = golive("verify", "--help")
    assert code == 0 and out.startswith("usage: golive verify")
    options = ["--config-dir", "--reports-dir", "--region", "--severity", "--gate", "--profile", "--role-arn"]
    assert all(option in out for option in options)
    assert out.index("--role-arn") < out.index("Every other option goes to pytest") < out.index("pytest --help")


def test_version_names_golive_and_the_libraries_it_audits_with(monkeypatch):
    code, out, _ = golive("--version")
    assert code == 0
    assert out.splitlines()[0] == f"golive {cli.golive.__version__}"
    assert {line.split()[0] for line in out.splitlines()[1:]} >= {"boto3", "moto", "checkdmarc"}
    real = cli.metadata.version
    monkeypatch.setattr(cli.metadata, "version", lambda n: real(n) if n != "moto" else real("not-a-package-x"))
    assert "moto not installed (the embedded account: pip install 'golive[embedded]')" in golive("--version")[1]


XDIST_FORMS = (["-n", "2"], ["-nauto"], ["--numprocesses=4"], ["--dist", "load"], ["--maxprocesses=2"])


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        ([], "golive: a command is needed: verify, checks, init, auditor-policy"),
        (["deploy"], "golive: unknown command 'deploy'"),
        (["verify"], "the environment comes first: golive verify ENV"),
        (["verify", "--region", "x", "demo"], "the environment comes first"),
        (["verify", "demo", "--config-dir"], "golive verify: argument --config-dir: expected one argument"),
        (["checks", "--format", "yaml"], "golive checks: argument --format: invalid choice: 'yaml'"),
        (["checks", "--env", "nowhere"], "nowhere.yaml: no such environment file"),
        (["init", "x"], "golive init: the following arguments are required: --sender"),
        (["init", "x", "--sender=a@b.example"], "golive init: --region and --account-id are needed (or --from-account"),
        *((["verify", "demo", *workers], "golive verify runs in one process") for workers in XDIST_FORMS),
    ],
)
def test_a_usage_error_is_one_line_and_exit_4(argv, said):
    code, out, err = golive(*argv)
    assert code == 4 and out == ""
    assert err.startswith("ERROR: ") and err.count("\n") == 1 and said in err, err


def test_the_command_itself_exits_4_without_a_traceback():
    code, output = run_subprocess(["verify", "demo", "--severity"], {})
    assert code == 4 and output.strip() == "ERROR: golive verify: argument --severity: expected one argument " + (
        "(see golive verify --help)"
    )


def _listed(*argv: str) -> dict:
    code, out, _ = golive("checks", *argv, "--format", "json")
    assert code == 0
    return json.loads(out)


def test_checks_lists_each_check_with_its_gate_severity_rule_and_the_ids_a_run_reports(workspace):
    listed = _listed("--env", "demo", f"--config-dir={workspace.config_dir}")
    result = workspace.verify("demo")
    tests = {test: entry for entry in listed["checks"] for test in entry["tests"]}
    assert set(tests) == set(result.evidence["checks"])  # the same suite, the same ids
    for nodeid, check in result.evidence["checks"].items():
        assert (tests[nodeid]["gate"], tests[nodeid]["severity"]) == (check["gate"], check["severity"])
        assert tests[nodeid]["rule"] == check["rule"] != ""


def test_checks_without_an_environment_lists_every_check_and_no_ids():
    listed = _listed()
    assert listed["environment"] is None and all(entry["tests"] is None for entry in listed["checks"])
    assert len(listed["checks"]) == len({entry["check"] for entry in listed["checks"]}) >= 30
    code, text, _ = golive("checks")
    assert code == 0 and "checks/test_dns.py::test_dkim_cnames_point_to_ses  [critical, gate dkim]" in text


def test_checks_as_text_lists_the_tests_of_an_environment(workspace):
    code, text, _ = golive("checks", "--env", "seed-permissions", "--config-dir", str(workspace.config_dir))
    expected = expected_checks(load_config("seed-permissions", workspace.config_dir), ROOT)
    assert (
        code == 0 and text.splitlines()[-1] == f"{len(catalogue())} checks, {len(expected)} tests for seed-permissions"
    )
    assert "      test_principal_is_allowed[glassdome-app-us-west-2-ses:CreateEmailIdentity]" in text


def test_config_and_reports_default_to_the_directory_golive_runs_in(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "config", tmp_path / "config")
    monkeypatch.chdir(tmp_path)
    code, output = run_in_process(["verify", "demo", "--gate", "spf"], {})
    assert code == 6, output
    assert len(list((tmp_path / "reports" / "demo").glob("2*/evidence.json"))) == 1


def test_environment_variables_name_the_folders(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "config", tmp_path / "mine")
    (tmp_path / "mine" / "demo.yaml").rename(tmp_path / "mine" / "rehearsal.yaml")
    monkeypatch.chdir(tmp_path)
    env_vars = {"GOLIVE_CONFIG_DIR": "mine", "GOLIVE_REPORTS_DIR": str(tmp_path / "out")}
    code, output = run_in_process(["verify", "rehearsal", "--gate=spf"], env_vars)
    assert code == 6, output
    assert len(list((tmp_path / "out" / "rehearsal").glob("2*/evidence.json"))) == 1
    assert not (tmp_path / "reports").exists()


def test_both_forms_of_the_folder_options(tmp_path):
    workspace = Workspace(tmp_path)
    code, output = run_in_process(
        [
            "verify",
            "demo",
            "--config-dir",
            str(workspace.config_dir),
            "--reports-dir",
            str(tmp_path / "r"),
            "--gate=spf",
        ],
        {},
    )
    assert code == 6, output
    assert list((tmp_path / "r" / "demo").glob("2*/summary.md"))


def test_without_a_config_folder_the_shipped_examples_stand_in(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, output = run_in_process(["verify", "demo", "--gate=spf"], {})
    assert code == 6, output
    assert "golive: no ./config here: using the example environments shipped with golive" in output
    assert list((tmp_path / "reports" / "demo").glob("2*/report.html"))


def test_a_config_folder_that_lacks_the_environment_is_not_mixed_with_the_examples(tmp_path, monkeypatch):
    (tmp_path / "config").mkdir()
    monkeypatch.chdir(tmp_path)
    code, output = run_in_process(["verify", "demo"], {})
    assert code == 4 and f"{tmp_path}/config/demo.yaml: no such environment file" in output, output


def _live_config(workspace: Workspace) -> None:
    workspace.edit("prod.yaml", lambda d: d["aws"].update(profile="laptop"))


@pytest.mark.parametrize("given", ["option", "variable"])
def test_profile_overrides_the_config_s_profile(workspace, given):
    _live_config(workspace)
    extra, env_vars = (["--profile", "ci-audit"], {}) if given == "option" else ([], {"GOLIVE_PROFILE": "ci-audit"})
    result = workspace.verify("prod", *extra, env_vars=env_vars)
    assert_usage_error(result, "AWS profile 'ci-audit' is not configured")
    assert "laptop" not in result.output


def test_a_malformed_role_arn_is_a_usage_error(workspace):
    _live_config(workspace)
    result = verify_in(
        workspace.config_dir, workspace.reports_dir, "prod", (), {"GOLIVE_ROLE_ARN": "golive"}, run_in_process
    )
    assert_usage_error(result, "--role-arn 'golive': not an IAM role ARN")


def test_the_gate_loads_no_plugin_it_was_not_given(workspace):
    """hypothesis's pytest plugin is installed here (a dev extra) and pytest would load it, like any
    plugin installed beside golive (reruns, random order): `golive verify` loads only its own."""
    result = workspace.verify("demo", "--hypothesis-show-statistics")
    assert_usage_error(result, "unrecognized arguments: --hypothesis-show-statistics")


# What a demo run has no use for and once imported: dnspython's DNS-over-HTTPS stack (golive asks
# DNS over UDP and TCP), and setuptools' pkg_resources, which parliament asked where its files are
UNUSED_BY_A_DEMO = ("httpx2", "httpcore2", "h2", "hpack", "trio", "pkg_resources")


def test_a_demo_run_imports_nothing_it_has_no_use_for(tmp_path):
    # a process of its own: this one has imported whatever the tests before this one needed
    script = (
        "import sys\nfrom golive.__main__ import main\ncode = main(sys.argv[1:])\n"
        f"print(code, sorted(m for m in sys.modules if m.split('.')[0] in {UNUSED_BY_A_DEMO!r}))"
    )
    # -P: golive runs from its package folder, where a path of "" would find golive.dns as `dns`
    argv = [sys.executable, "-P", "-c", script, "verify", "demo", f"--reports-dir={tmp_path}", "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's golive, as bin/golive runs it
    completed = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert completed.stdout.splitlines()[-1] == "0 []", completed.stdout + completed.stderr
