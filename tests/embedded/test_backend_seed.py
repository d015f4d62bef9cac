"""The embedded account's backend: RDS instances, secrets and log groups as a scenario seeds them,
read back by the auditor and held to botocore's model."""

from __future__ import annotations

import pytest
from moto_clients import auditor_client, output_shape, shape_errors

REGION = "ap-southeast-1"
RESOURCE_ID = "db-BIZASSISTDEMO0000000000000"
BACKEND = {
    "rds": {"instances": {"bizassist-demo": {"iam_auth": True, "resource_id": RESOURCE_ID}, "plain": None}},
    "secretsmanager": {
        "secrets": {"bizassist/db": {"suffix": "AbCdEf", "rotation_days": 30}, "old": {"deleted": True}}
    },
    "logs": {"groups": {"/bizassist/api": {"retention_days": 30}, "/bizassist/forever": None}},
}
ARN = f"arn:aws:secretsmanager:{REGION}:123456789012:secret:bizassist/db-AbCdEf"


@pytest.fixture
def account(embedded):
    return embedded({"regions": {REGION: BACKEND}})


def test_instances_carry_their_iam_authentication_and_resource_id(account):
    rds = auditor_client(account, "rds", REGION)
    response = rds.describe_db_instances(DBInstanceIdentifier="bizassist-demo")
    assert shape_errors(response, output_shape("rds", "DescribeDBInstances")) == []
    found = response["DBInstances"][0]
    assert (found["IAMDatabaseAuthenticationEnabled"], found["DbiResourceId"]) == (True, RESOURCE_ID)
    plain = rds.describe_db_instances(DBInstanceIdentifier="plain")["DBInstances"][0]
    assert plain["IAMDatabaseAuthenticationEnabled"] is False


def test_a_secret_has_the_arn_the_scenario_names_without_the_seeding_tag(account):
    secrets = auditor_client(account, "secretsmanager", REGION)
    response = secrets.describe_secret(SecretId=ARN)
    assert shape_errors(response, output_shape("secretsmanager", "DescribeSecret")) == []
    assert (response["ARN"], response["RotationEnabled"], response["RotationRules"]["AutomaticallyAfterDays"]) == (
        ARN,
        True,
        30,
    )
    assert not response.get("Tags")
    assert "DeletedDate" in secrets.describe_secret(SecretId="old")


def test_log_groups_keep_their_retention(account):
    logs = auditor_client(account, "logs", REGION)
    response = logs.describe_log_groups(logGroupNamePrefix="/bizassist/")
    assert shape_errors(response, output_shape("logs", "DescribeLogGroups")) == []
    found = {g["logGroupName"]: g.get("retentionInDays") for g in response["logGroups"]}
    assert found == {"/bizassist/api": 30, "/bizassist/forever": None}


def test_the_auditor_is_refused_a_secrets_value(account):
    secrets = auditor_client(account, "secretsmanager", REGION)
    with pytest.raises(Exception, match="AccessDenied"):
        secrets.get_secret_value(SecretId=ARN)
