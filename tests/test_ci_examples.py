"""The CI pipelines of README's "Run it in CI" (examples/ci/): they parse as YAML, run the commands the
README gives, keep the report and junit.xml even when the gate fails, and the trust policy each one's
setup prints (`golive auditor-policy --trust …`) admits exactly the job it sits in."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shlex
import subprocess

import yaml
from workspace import ROOT

from golive import cli

EXAMPLES = ROOT / "examples" / "ci"
GITHUB, GITLAB = EXAMPLES / "github-actions.yml", EXAMPLES / "gitlab-ci.yml"
ROLE = re.compile(r"arn:aws:iam::(\d{12}):role/golive-auditor")


def readme_section() -> str:
    text = (ROOT / "README.md").read_text()
    return text.split("## Run it in CI\n", 1)[1].split("\n## ", 1)[0]


def trust_from_setup(path) -> dict:
    """The trust policy the example's own setup comment prints, run in this process."""
    line = next(line for line in path.read_text().splitlines() if "golive auditor-policy --trust" in line)
    argv = shlex.split(line.lstrip("# ").split(">", 1)[0])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(argv[1:]) == 0, line
    return json.loads(out.getvalue())["Statement"][0]


def github_steps() -> list[dict]:
    return yaml.safe_load(GITHUB.read_text())["jobs"]["golive"]["steps"]


def test_the_readme_points_at_both_examples_and_they_parse_as_yaml():
    section = readme_section()
    for path in (GITHUB, GITLAB):
        assert f"`examples/ci/{path.name}`" in section
        assert isinstance(yaml.safe_load(path.read_text()), dict), path


def test_both_examples_run_the_gate_and_keep_the_report_and_junit_the_readme_names():
    section = readme_section()
    for needed in ("golive verify prod", "reports/prod/latest", "junit.xml", "golive auditor-policy --trust"):
        assert needed in section
        for path in (GITHUB, GITLAB):
            assert needed in path.read_text(), (path.name, needed)


def test_github_assumes_the_role_with_oidc_then_gates_and_keeps_the_report_on_failure():
    workflow = yaml.safe_load(GITHUB.read_text())
    job = workflow["jobs"]["golive"]
    assert job["permissions"]["id-token"] == "write" and job["permissions"]["checks"] == "write"
    steps = github_steps()
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    credentials = steps[uses.index("aws-actions/configure-aws-credentials")]
    assert ROLE.fullmatch(credentials["with"]["role-to-assume"])
    gate = next(i for i, step in enumerate(steps) if step.get("run") == "golive verify prod")
    assert uses.index("aws-actions/configure-aws-credentials") < gate
    assert any("pip install" in step.get("run", "") for step in steps[:gate])
    after = steps[gate + 1 :]
    assert after and all(step.get("if") == "always()" for step in after), "the report is kept on NO-GO too"
    found = next(step for step in after if "reports/prod/latest" in step.get("run", ""))
    artifact = next(step for step in after if step.get("uses", "").startswith("actions/upload-artifact@"))
    junit = next(step for step in after if step.get("uses", "").startswith("mikepenz/action-junit-report@"))
    assert artifact["with"]["path"] == f"${{{{ steps.{found['id']}.outputs.dir }}}}"
    assert junit["with"]["report_paths"] == f"${{{{ steps.{found['id']}.outputs.dir }}}}/junit.xml"
    assert workflow["jobs"]["deploy"]["needs"] == "golive"


def test_githubs_trust_policy_admits_this_workflows_branch_and_role_account():
    workflow = yaml.safe_load(GITHUB.read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    statement = trust_from_setup(GITHUB)
    host = "token.actions.githubusercontent.com"
    subject = statement["Condition"]["StringEquals"][f"{host}:sub"]
    assert [f"refs/heads/{branch}" for branch in triggers["push"]["branches"]] == [subject.rsplit(":ref:", 1)[1]]
    assert statement["Condition"]["StringEquals"][f"{host}:aud"] == "sts.amazonaws.com"
    role = next(s for s in github_steps() if "role-to-assume" in s.get("with", {}))["with"]["role-to-assume"]
    assert statement["Principal"]["Federated"] == f"arn:aws:iam::{ROLE.fullmatch(role)[1]}:oidc-provider/{host}"


def test_gitlab_exchanges_its_id_token_then_gates_and_keeps_the_report_and_junit_always():
    pipeline = yaml.safe_load(GITLAB.read_text())
    job = pipeline["golive"]
    (token,) = job["id_tokens"]
    script = job["script"]
    exchange = next(line for line in script if "assume-role-with-web-identity" in line)
    assert f'--web-identity-token "${token}"' in exchange and "$GOLIVE_AUDITOR_ROLE_ARN" in exchange
    assert ROLE.fullmatch(job["variables"]["GOLIVE_AUDITOR_ROLE_ARN"])
    assert script.index(exchange) < script.index("golive verify prod")
    assert any("pip install" in line for line in job["before_script"])
    assert job["artifacts"]["when"] == "always"
    assert job["artifacts"]["reports"]["junit"] == "reports/prod/latest/junit.xml"
    assert "reports/prod/" in job["artifacts"]["paths"], "the folder latest links to travels with it"
    assert pipeline["deploy"]["needs"] == ["golive"]
    assert pipeline["stages"].index(job["stage"]) < pipeline["stages"].index(pipeline["deploy"]["stage"])


def test_gitlabs_trust_policy_admits_this_pipelines_token_audience_and_role_account():
    job = yaml.safe_load(GITLAB.read_text())["golive"]
    (audience,) = (claims["aud"] for claims in job["id_tokens"].values())
    statement = trust_from_setup(GITLAB)
    assert statement["Condition"]["StringEquals"]["gitlab.com:aud"] == audience
    assert statement["Condition"]["StringEquals"]["gitlab.com:sub"].endswith(":ref_type:branch:ref:main")
    account = ROLE.fullmatch(job["variables"]["GOLIVE_AUDITOR_ROLE_ARN"])[1]
    assert statement["Principal"]["Federated"] == f"arn:aws:iam::{account}:oidc-provider/gitlab.com"


def test_the_readmes_role_setup_commands_run():
    block = readme_section().split("```sh\n", 1)[1].split("```", 1)[0]
    for line in block.splitlines():
        if line.startswith("golive "):
            with contextlib.redirect_stdout(io.StringIO()):
                assert cli.main(shlex.split(line.split(">", 1)[0])[1:]) == 0, line


def test_githubs_report_step_names_the_folder_latest_links_to_and_falls_back_when_there_is_none(tmp_path):
    step = next(step for step in github_steps() if "reports/prod/latest" in step.get("run", ""))
    output = tmp_path / "github_output"
    shell = ["bash", "-e", "-c", step["run"]]
    env = {"PATH": os.environ["PATH"], "GITHUB_OUTPUT": str(output)}
    subprocess.run(shell, cwd=tmp_path, env=env, check=True, capture_output=True)
    assert output.read_text() == "dir=reports/prod/latest\n", "no run: the path as given (upload-artifact warns)"
    run = tmp_path / "reports" / "prod" / "20261203T101010Z"
    run.mkdir(parents=True)
    (run.parent / "latest").symlink_to(run.name)
    output.unlink()
    subprocess.run(shell, cwd=tmp_path, env=env, check=True, capture_output=True)
    assert output.read_text() == f"dir={run.resolve()}\n"


def test_gitlabs_exchange_exports_the_roles_keys_to_the_gate(tmp_path):
    """The script's first line, with a stand-in for the AWS CLI that answers as STS's --output text does."""
    exchange = yaml.safe_load(GITLAB.read_text())["golive"]["script"][0]
    aws = tmp_path / "aws"
    aws.write_text('#!/bin/sh\necho "$@" > "$(dirname "$0")/argv"\nprintf "ASIAEXAMPLE\\tsecret/key+1\\ttoken=2\\n"\n')
    aws.chmod(0o755)
    script = (
        exchange.replace("/opt/awscli/bin/aws", str(aws))
        + '\nprintf "%s|%s|%s" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN"'
    )
    env = {
        "PATH": os.environ["PATH"],
        "GOLIVE_ID_TOKEN": "eyJ.token",
        "GOLIVE_AUDITOR_ROLE_ARN": "arn:aws:iam::111122223333:role/golive-auditor",
        "CI_PIPELINE_ID": "42",
    }
    done = subprocess.run(["bash", "-e", "-c", script], env=env, check=True, capture_output=True, text=True)
    assert done.stdout == "ASIAEXAMPLE|secret/key+1|token=2"
    argv = (tmp_path / "argv").read_text().split()
    assert argv[:2] == ["sts", "assume-role-with-web-identity"]
    assert argv[argv.index("--web-identity-token") + 1] == "eyJ.token"
    assert argv[argv.index("--role-session-name") + 1] == "golive-42"
