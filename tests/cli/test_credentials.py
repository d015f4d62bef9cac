"""Credentials problems stop the run with one line naming the source that failed (exit 4), and the
embedded account never reads the user's AWS setup at all.

Fake AWS setups are written to tmp_path at run time; tests/conftest.py already points every test
at fake keys and empty AWS files, so nothing here can reach AWS.
"""

from __future__ import annotations

import sys

import pytest
from expect import assert_usage_error, one_line, open_error
from moto.server import ThreadedMotoServer
from timebox import within

from golive.aws import CredentialsProblem, live_session
from golive.config import load_config
from golive.run import Run, forget_user_aws_setup


def problem(*args: str | None) -> str:
    with within(30), pytest.raises(CredentialsProblem) as caught:
        live_session(*args)
    return one_line(caught.value)


@pytest.fixture
def no_keys(monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")


def aws_config(tmp_path, monkeypatch, text: str) -> None:
    path = tmp_path / "aws-config"
    path.write_text(text)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(path))


# --- the command line ------------------------------------------------------------------------


def test_a_credentials_problem_exits_4_with_one_line_and_no_report(workspace, no_keys):
    result = workspace.verify("prod", env_vars={"AWS_PROFILE": "nobody"})
    assert_usage_error(
        result,
        "prod.yaml: key 'aws': AWS profile 'nobody' is not configured (AWS_PROFILE; profiles are read from",
    )
    assert not workspace.reports_dir.exists()


# --- live mode, in-process -------------------------------------------------------------------


def test_a_profile_named_by_aws_profile_that_does_not_exist(no_keys, monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "nobody")
    assert problem(None, None, None).startswith("AWS profile 'nobody' is not configured (AWS_PROFILE; profiles are")


def test_a_profile_named_by_the_config_that_does_not_exist(no_keys):
    assert "AWS profile 'bizassist-prod' is not configured (aws.profile;" in problem("bizassist-prod", None, None)


def test_partial_credentials_in_the_environment(monkeypatch):
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    assert problem(None, None, None) == (
        "the environment holds only part of the AWS credentials: AWS_SECRET_ACCESS_KEY is missing "
        "(set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY together, or neither)"
    )


def test_a_malformed_aws_config_file(tmp_path, monkeypatch, no_keys):
    aws_config(tmp_path, monkeypatch, "this is not [an ini file\n = at all\n")
    assert problem(None, None, None) == (
        f"cannot parse the AWS config file {tmp_path / 'aws-config'}; expected an INI file of [profile] sections"
    )


def test_a_failing_credential_process(tmp_path, monkeypatch, no_keys):
    script = "import sys; sys.stderr.write('token expired\\nlog in again\\n'); sys.exit(3)"
    aws_config(tmp_path, monkeypatch, f'[profile sso]\ncredential_process = {sys.executable} -c "{script}"\n')
    assert problem("sso", None, None) == (
        "profile 'sso' (aws.profile): custom-process failed to return credentials: token expired log in again"
    )


def test_no_credentials_at_all(no_keys):
    assert problem(None, None, None).startswith("no AWS credentials found in the default credentials chain")


def test_a_credentials_problem_names_the_config_and_key_aws(workspace, no_keys):
    workspace.edit("prod.yaml", lambda d: d["aws"].update(profile="bizassist-prod"))
    assert open_error(workspace, "prod").startswith(
        f"{(workspace.config_dir / 'prod.yaml').resolve()}: key 'aws': AWS profile 'bizassist-prod' is not configured"
    )
    workspace.edit("prod.yaml", lambda d: d["aws"].pop("profile"))
    assert "key 'aws': no AWS credentials found in the default credentials chain" in open_error(workspace, "prod")


@pytest.fixture
def fake_aws_endpoint():
    """A moto server standing in for AWS's endpoints, for live mode with aws.endpoint_url."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def test_live_credentials_of_another_account(workspace, fake_aws_endpoint):
    workspace.edit("prod.yaml", lambda d: d.update(aws={"mode": "live", "endpoint_url": fake_aws_endpoint}))
    message = open_error(workspace, "prod")
    assert "prod.yaml: key 'account_id': expected the credentials of account 111122223333" in message
    assert "belong to account 123456789012" in message


def test_a_web_identity_token_as_ci_jobs_and_pods_have_it(tmp_path, monkeypatch, no_keys, fake_aws_endpoint):
    """AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE (GitLab's OIDC, EKS pods): botocore's own provider
    calls sts:AssumeRoleWithWebIdentity to get the credentials; the guard, on golive's clients, lets it."""
    from golive.aws import AwsAccess

    token = tmp_path / "token"
    token.write_text("a-token-from-the-ci-system")
    monkeypatch.setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/golive-auditor")
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(token))
    monkeypatch.setenv("AWS_ENDPOINT_URL", fake_aws_endpoint)  # for the provider's STS client too
    session, source = live_session(None, None, None)
    caller = AwsAccess(session, credential_source=source).caller_identity()
    assert caller.account == "123456789012" and ":assumed-role/golive-auditor/" in caller.arn


# --- the embedded account --------------------------------------------------------------------


@pytest.fixture
def broken_aws_setup(tmp_path, monkeypatch):
    """Everything of a user's AWS setup that can be wrong, at once."""
    aws_config(tmp_path, monkeypatch, "[profile broken\nregion = \n")
    monkeypatch.setenv("AWS_PROFILE", "nobody")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")  # AWS_ACCESS_KEY_ID stays: partial credentials


def test_the_demo_reads_nothing_of_the_users_aws_setup(workspace, broken_aws_setup):
    run = Run.plan(load_config("demo", workspace.config_dir), workspace.reports_dir)
    try:
        with within(60):
            run.open()
        assert run.caller.arn == "arn:aws:iam::123456789012:user/golive-auditor"
        account = run.access.client("sesv2", "ap-southeast-1").get_account()
        assert account["SendQuota"]["Max24HourSend"] == 50000
    finally:
        run.close()


def test_moto_is_shielded_from_the_users_aws_setup(broken_aws_setup):
    # moto's server builds a plain boto3 Session for its region lists, once per process: build a new one
    from moto.core.base_backend import AccountSpecificBackend

    with pytest.raises(Exception, match=r"could not be found|Unable to parse"):
        AccountSpecificBackend.get_session.__wrapped__(AccountSpecificBackend).get_available_regions("ses")
    forget_user_aws_setup()
    regions = AccountSpecificBackend.get_session.__wrapped__(AccountSpecificBackend).get_available_regions("ses")
    assert "ap-southeast-1" in regions
