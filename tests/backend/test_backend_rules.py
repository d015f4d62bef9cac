"""What the backend area must never do (read a secret's value) and what its config must say."""

from __future__ import annotations

import boto3
import pytest
from workspace import Workspace

from golive.areas import auditor_policy, reads
from golive.aws import AwsAccess, ReadOnlyViolation
from golive.config import load_config
from golive.errors import ConfigError
from golive.iam.engine import Policy
from golive.iam.hygiene import escalation

NOWHERE = "http://127.0.0.1:9"  # a closed port: a call the guard let through would fail to connect
SECRET = "arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:bizassist/db-AbCdEf"


def test_the_guard_refuses_to_read_a_secrets_value_before_anything_is_sent():
    access = AwsAccess(boto3.Session(), endpoint_url=NOWHERE, max_attempts=1)
    client = access.client("secretsmanager", "ap-southeast-1")
    with pytest.raises(ReadOnlyViolation, match="golive refused"):
        client.get_secret_value(SecretId=SECRET)
    with pytest.raises(ReadOnlyViolation):
        client.batch_get_secret_value(SecretIdList=[SECRET])
    assert access.recorder.total() == 0
    with pytest.raises(Exception) as raised:  # the metadata read passes the guard (and finds nothing listening)
        client.describe_secret(SecretId=SECRET)
    assert not isinstance(raised.value, ReadOnlyViolation)
    assert access.recorder.by_operation() == {"secretsmanager:DescribeSecret": 1}


def test_the_auditor_policy_grows_by_the_backends_metadata_reads_only():
    actions = set(auditor_policy()["Statement"][0]["Action"])
    assert {"rds:DescribeDBInstances", "secretsmanager:DescribeSecret", "logs:DescribeLogGroups"} <= actions
    backend = {a for a in actions if a.split(":")[0] in ("rds", "rds-db", "secretsmanager", "logs")}
    assert backend == {"rds:DescribeDBInstances", "secretsmanager:DescribeSecret", "logs:DescribeLogGroups"}
    assert ("secretsmanager", "GetSecretValue") not in reads()


def _policy(*resources):
    statement = {"Effect": "Allow", "Action": "rds-db:connect", "Resource": list(resources)}
    return [Policy("inline:db", "role", {"Version": "2012-10-17", "Statement": [statement]})]


def test_connecting_as_one_named_database_user_is_no_escalation_but_any_user_is():
    own = "arn:aws:rds-db:ap-southeast-1:123456789012:dbuser:db-BIZASSISTDEMO0000000000000/bizassist_api"
    assert escalation(_policy(own)) == []
    found = escalation(_policy("arn:aws:rds-db:ap-southeast-1:123456789012:dbuser:*/*"))
    assert {f.statement for f in found} >= {"CREDENTIALS_EXPOSURE"}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"region": "us-west-2"},
            "key 'backend.region': 'us-west-2' is not one of the configured regions (ap-southeast-1)",
        ),
        ({"principal": "worker"}, "key 'backend.principal': no principal 'worker' in principals"),
        ({"db_user": "bad user"}, "key 'backend.db_user'"),
        ({"secrets": ["arn:aws:s3:::bucket"]}, "key 'backend.secrets.0': expected a Secrets Manager secret ARN"),
    ],
)
def test_a_backend_config_mistake_names_its_key(tmp_path, change, expected):
    workspace = Workspace(tmp_path)
    workspace.edit("demo.yaml", lambda d: d["backend"].update(change))
    with pytest.raises(ConfigError, match=r"demo\.yaml") as raised:
        load_config("demo", workspace.config_dir)
    assert expected in str(raised.value)


def test_the_backend_region_and_principal_default_to_the_first_region_and_api(tmp_path):
    config = load_config("demo", Workspace(tmp_path).config_dir)
    assert (config.backend.region, config.backend.principal, config.backend.iam_db_auth) == (None, "api", "required")
    prod = load_config("prod", Workspace(tmp_path / "prod").config_dir)
    assert (prod.backend.db_user, prod.backend.iam_db_auth) == ("bizassist_api", "advisory")
