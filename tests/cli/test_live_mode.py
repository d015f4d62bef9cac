"""Live mode's credential sources (named profile, assumed audit role), against a moto server
standing in for AWS's endpoints through `aws.endpoint_url`."""

from __future__ import annotations

import json

import boto3
import pytest
import requests
from moto.server import ThreadedMotoServer

from golive.embedded import install

API_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["ses:GetSendQuota"], "Resource": "*"}],
}
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}
    ],
}


@pytest.fixture
def fake_aws():
    """A moto server with the golive auditor role (under a path) and the service's role."""
    install()  # the endpoint must answer iam:SimulatePrincipalPolicy, as AWS does
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    requests.post(f"{url}/moto-api/reset", timeout=10)  # moto's state is process-wide
    iam = boto3.client("iam", region_name="us-east-1", endpoint_url=url)
    iam.create_role(RoleName="golive-auditor", Path="/audit/", AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.create_role(RoleName="bizassist-api", AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.put_role_policy(RoleName="bizassist-api", PolicyName="p", PolicyDocument=json.dumps(API_POLICY))
    yield url
    server.stop()


def _live(workspace, url, **aws):
    def change(d):
        d["account_id"] = "123456789012"
        d["aws"] = {"mode": "live", "endpoint_url": url, **aws}
        d["principals"] = {
            "api": {"arn": "arn:aws:iam::123456789012:role/bizassist-api", "must_allow": ["ses:GetSendQuota"]},
            "auditor": {"arn": "caller", "must_deny": ["ses:SendEmail"]},
        }
        d["ses"]["from_address"] = "no-reply@bizassist.example"

    workspace.edit("prod.yaml", change)


def test_an_assumed_audit_role_is_used_and_the_caller_is_checked_as_that_role(workspace, fake_aws):
    _live(workspace, fake_aws, role_arn="arn:aws:iam::123456789012:role/audit/golive-auditor")
    result = workspace.verify("prod", "-k", "test_principal_is")
    assert result.exit_code == 6, result.output  # every selected check passed; a selection is PARTIAL, never GO
    metadata = result.evidence["metadata"]
    assert metadata["Caller"].startswith("arn:aws:sts::123456789012:assumed-role/golive-auditor/golive-audit")
    assert metadata["Mode"] == "live AWS"
    arns = {c["facts"]["permission"]["principal_arn"] for c in result.evidence["checks"].values()}
    # the assumed-role session is checked as its role, path included
    assert "arn:aws:iam::123456789012:role/audit/golive-auditor" in arns
    engines = {c["facts"]["permission"]["engine"] for c in result.evidence["checks"].values()}
    assert engines == {"aws-iam-simulator"}


def test_a_named_profile_supplies_the_credentials(workspace, fake_aws, tmp_path, monkeypatch):
    credentials = tmp_path / "credentials"
    credentials.write_text("[bizassist-prod]\naws_access_key_id = testing\naws_secret_access_key = testing\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    _live(workspace, fake_aws, profile="bizassist-prod")
    # moto's default identity is no IAM user, so the caller is not a principal here
    workspace.edit("prod.yaml", lambda d: d["principals"].pop("auditor"))
    result = workspace.verify("prod", "-k", "test_principal_is")
    assert result.exit_code == 6, result.output  # every selected check passed; a selection is PARTIAL, never GO
    assert result.ids("passed") == {"api-ap-southeast-1-ses:GetSendQuota"}
    assert "profile 'bizassist-prod'" in result.evidence["metadata"]["Credentials"]
