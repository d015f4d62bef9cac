"""Backend facts: the RDS instance, the secrets and the log group the service uses, read as
metadata only. Each is read once, on first use, and cached (failures too).

Calls per run, however many checks read them:
- 1 rds DescribeDBInstances for the configured instance;
- 1 secretsmanager DescribeSecret per configured secret, in the region its ARN names
  (DescribeSecret never returns the value; golive never calls GetSecretValue, and the guard
  refuses it);
- 1 logs DescribeLogGroups page per 50 groups whose names start with the configured name.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from golive.aws import AwsAccess
from golive.backend.facts import DbInstance, LogGroup, Secret
from golive.errors import could_not_see
from golive.memo import Memo

# Every call this inventory makes, with the fields of the answer it reads (golive.aws.check_answer).
READS = {
    ("rds", "DescribeDBInstances"): ("DBInstances",),
    ("secretsmanager", "DescribeSecret"): ("ARN",),
    ("logs", "DescribeLogGroups"): ("logGroups",),
}
# the codes with which each service says explicitly that the thing does not exist
NOT_FOUND = {"DBInstanceNotFound", "DBInstanceNotFoundFault", "ResourceNotFoundException"}


def _absent(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") in NOT_FOUND


class BackendInventory:
    """Session-scoped and thread-safe (golive/memo.py): each fact is read once, on first use, and kept
    for every check that asks, whichever thread asks first (golive/prefetch.py)."""

    def __init__(self, access: AwsAccess) -> None:
        self._access = access
        self._cached = Memo()

    def db_instance(self, region: str, name: str) -> DbInstance:
        return self._cached(("rds", region, name), lambda: self._db_instance(region, name))

    def secret(self, arn: str) -> Secret:
        return self._cached(("secret", arn), lambda: self._secret(arn))

    def log_group(self, region: str, name: str) -> LogGroup:
        return self._cached(("logs", region, name), lambda: self._log_group(region, name))

    def _db_instance(self, region: str, name: str) -> DbInstance:
        rds = self._access.client("rds", region)
        with could_not_see("rds:DescribeDBInstances", f"describe the RDS instance {name} in {region}"):
            try:
                found = rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"]
            except ClientError as exc:
                if not _absent(exc):
                    raise
                found = []
            match = [i for i in found if i["DBInstanceIdentifier"].lower() == name.lower()]
            if not match:
                return DbInstance(name, region, exists=False)
            return _instance_from(match[0], region)

    def _secret(self, arn: str) -> Secret:
        region = arn.split(":")[3]
        client = self._access.client("secretsmanager", region)
        with could_not_see("secretsmanager:DescribeSecret", f"describe the secret {arn}"):
            try:
                found = client.describe_secret(SecretId=arn)
            except ClientError as exc:
                if not _absent(exc):
                    raise
                return Secret(arn, region, exists=False)
            rules = found.get("RotationRules") or {}
            return Secret(
                arn=arn,
                region=region,
                exists=True,
                name=found.get("Name"),
                deleted=found.get("DeletedDate") is not None,
                rotation_enabled=bool(found.get("RotationEnabled", False)),
                rotation_days=rules.get("AutomaticallyAfterDays"),
            )

    def _log_group(self, region: str, name: str) -> LogGroup:
        logs = self._access.client("logs", region)
        with could_not_see("logs:DescribeLogGroups", f"describe the log group {name} in {region}"):
            for page in logs.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=name):
                for group in page["logGroups"]:
                    if group["logGroupName"] == name:
                        return LogGroup(
                            name,
                            region,
                            exists=True,
                            arn=group.get("logGroupArn") or group.get("arn"),
                            retention_days=group.get("retentionInDays"),
                        )
        return LogGroup(name, region, exists=False)


def _instance_from(found: dict[str, Any], region: str) -> DbInstance:
    endpoint = found.get("Endpoint") or {}
    return DbInstance(
        name=found["DBInstanceIdentifier"],
        region=region,
        exists=True,
        arn=found.get("DBInstanceArn"),
        resource_id=found.get("DbiResourceId"),
        status=found.get("DBInstanceStatus"),
        engine=found.get("Engine"),
        endpoint=endpoint.get("Address"),
        iam_auth_enabled=bool(found.get("IAMDatabaseAuthenticationEnabled", False)),
    )
