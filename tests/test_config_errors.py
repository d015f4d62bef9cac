"""Bad input stops the run before any check: one clear message naming the file, the key and
what was expected; exit status 4; no traceback; no report that could pass for a verdict."""

from __future__ import annotations

import subprocess

import pytest
from moto.server import ThreadedMotoServer
from workspace import ROOT


def assert_usage_error(result, *fragments: str) -> None:
    assert result.exit_code == 4, result.output
    assert "Traceback" not in result.output and "INTERNALERROR" not in result.output, result.output
    for fragment in fragments:
        assert fragment in result.output, result.output
    assert result.report_dir is None, "a run stopped by bad input leaves no report"


def test_no_environment(workspace):
    # the command itself, once: its exit status, and no traceback when the interpreter ends
    result = workspace.verify("", in_subprocess=True)
    assert_usage_error(result, "no environment given", "make verify ENV=<name>", "demo")


def test_unknown_environment(workspace):
    assert_usage_error(workspace.verify("prdo"), "prdo.yaml: no such environment file", "prod", "staging")


def test_yaml_syntax_error(workspace):
    workspace.write("broken.yaml", "account_id: '123456789012'\nregions: [us-east-1\naws: {mode: moto}\n")
    assert_usage_error(workspace.verify("broken"), "broken.yaml:3:", "YAML syntax error")


def test_unknown_key(workspace):
    workspace.edit("demo.yaml", lambda d: d["ses"].update(from_adress="no-reply@bizassist.example"))
    assert_usage_error(workspace.verify("demo"), "demo.yaml: key 'ses.from_adress': unknown key", "from_address")


def test_malformed_region(workspace):
    workspace.edit("demo.yaml", lambda d: d.update(regions=["ap-southeast1"]))
    assert_usage_error(workspace.verify("demo"), "key 'regions.0': expected an AWS region name", "'ap-southeast1'")


def test_region_without_ses(workspace):
    workspace.edit("demo.yaml", lambda d: d.update(regions=["ap-east-1"]))
    assert_usage_error(workspace.verify("demo"), "key 'regions[0]': Amazon SES is not offered in region 'ap-east-1'")


def test_malformed_principal_arn(workspace):
    workspace.edit(
        "demo.yaml", lambda d: d["principals"]["api"].update(arn="arn:aws:iam:123456789012:role/bizassist-api")
    )
    assert_usage_error(workspace.verify("demo"), "key 'principals.api.arn': expected an IAM role or user ARN")


def test_malformed_sender_address(workspace):
    workspace.edit("demo.yaml", lambda d: d["ses"].update(from_address="no-reply.bizassist.example"))
    assert_usage_error(workspace.verify("demo"), "key 'ses.from_address': expected an email address")


def test_account_id_must_be_quoted_digits(workspace):
    workspace.edit("demo.yaml", lambda d: d.update(account_id=123456789012))
    assert_usage_error(workspace.verify("demo"), "key 'account_id': expected a 12-digit AWS account id in quotes")


def test_an_invented_action_is_named_with_the_real_ones(workspace):
    workspace.edit(
        "seed-permissions.yaml",
        lambda d: d["principals"]["glassdome-app"]["must_allow"].append("ses:PutIdentityMailFromDomain"),
    )
    assert_usage_error(
        workspace.verify("seed-permissions"),
        "key 'principals.glassdome-app.must_allow[9]': 'ses:PutIdentityMailFromDomain' is not an IAM action",
        "ses:SetIdentityMailFromDomain",
        "ses:PutEmailIdentityMailFromAttributes",
    )


def test_an_error_in_a_base_file_names_the_base_file(workspace):
    workspace.edit("base.yaml", lambda d: d["dns"].update(timeout="three seconds"))
    assert_usage_error(workspace.verify("demo"), "base.yaml: key 'dns.timeout': expected a number")


def test_a_missing_base_file(workspace):
    workspace.edit("demo.yaml", lambda d: d.update(extends="bsae.yaml"))
    assert_usage_error(workspace.verify("demo"), "demo.yaml: key 'extends': no such file")


def test_a_missing_scenario(workspace):
    workspace.edit("demo.yaml", lambda d: d["aws"].update(scenario="scenarios/nope.yaml"))
    assert_usage_error(workspace.verify("demo"), "nope.yaml: no such scenario file")


def test_a_bad_scenario_names_its_file_and_key(workspace):
    workspace.edit(
        "scenarios/demo.yaml",
        lambda d: d["regions"]["ap-southeast-1"]["ses"]["identities"]["bizassist.example"].update(dkim="OK"),
    )
    assert_usage_error(
        workspace.verify("demo"),
        "demo.yaml: key 'regions.ap-southeast-1.ses.identities.bizassist.example.dkim': expected one of 'SUCCESS'",
    )


def test_moto_mode_needs_a_scenario(workspace):
    workspace.edit("demo.yaml", lambda d: d["aws"].pop("scenario"))
    assert_usage_error(workspace.verify("demo"), "key 'aws': 'scenario' is a required property")


def test_config_for_another_account_than_the_scenario(workspace):
    workspace.edit("demo.yaml", lambda d: d.update(account_id="111122223333"))
    assert_usage_error(workspace.verify("demo"), "key 'account_id': expected the scenario's account 123456789012")


def test_live_mode_without_credentials(workspace, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    assert_usage_error(workspace.verify("prod"), "prod.yaml: key 'aws':", "profile 'bizassist-prod' is not configured")
    workspace.edit("prod.yaml", lambda d: (d["aws"].pop("profile"), d["aws"].pop("role_arn")))
    assert_usage_error(workspace.verify("prod"), "no AWS credentials found in the default credentials chain")


@pytest.fixture
def fake_aws_endpoint():
    """A moto server standing in for AWS's endpoints, for live mode with aws.endpoint_url."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def test_live_credentials_of_another_account(workspace, fake_aws_endpoint):
    def live_at_fake_endpoint(d):
        d["aws"] = {"mode": "live", "endpoint_url": fake_aws_endpoint}

    workspace.edit("prod.yaml", live_at_fake_endpoint)
    assert_usage_error(
        workspace.verify("prod"),
        "prod.yaml: key 'account_id': expected the credentials of account 111122223333",
        "belong to account 123456789012",
    )


def test_make_verify_without_env_stops_with_the_usage_message():
    completed = subprocess.run(["make", "-s", "verify"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    output = completed.stdout + completed.stderr
    assert completed.returncode != 0
    assert "no environment given" in output and "Error 4" in output, output
    assert "Traceback" not in output
