"""A scenario region's backend: RDS instances, Secrets Manager secrets and CloudWatch Logs log
groups, all created through the API (moto implements what golive reads of them), but for an
instance's DbiResourceId, which the API cannot choose: it is written to moto's backend.

A secret's ARN ends in six characters AWS picks; a scenario fixes them (`suffix`) so that the
config can name the secret by its full ARN, as a real config does. moto takes a custom id from
the `_custom_id_` tag at creation, which is removed again. docs/scenarios.md documents each key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.rds.models import rds_backends

from golive.embedded.ses_seed import refused_key

Client = Callable[[str, str], Any]
CUSTOM_ID_TAG = "_custom_id_"  # moto.utilities.id_generator.TAG_KEY_CUSTOM_ID


def seed_backend(client: Client, account_id: str, region: str, spec: dict[str, Any], source: str) -> None:
    """Seed the backend of one region of the scenario file `source`."""
    for name, instance in ((spec.get("rds") or {}).get("instances") or {}).items():
        with refused_key(source, region, f"rds.instances.{name}"):
            _instance(client("rds", region), name, instance or {})
        if (instance or {}).get("resource_id"):
            # the API cannot choose an instance's DbiResourceId; a policy naming it needs a fixed one
            rds_backends[account_id][region].databases[name].dbi_resource_id = instance["resource_id"]
    for name, secret in ((spec.get("secretsmanager") or {}).get("secrets") or {}).items():
        with refused_key(source, region, f"secretsmanager.secrets.{name}"):
            _secret(client("secretsmanager", region), name, secret or {})
    for name, group in ((spec.get("logs") or {}).get("groups") or {}).items():
        with refused_key(source, region, f"logs.groups.{name}"):
            logs = client("logs", region)
            logs.create_log_group(logGroupName=name)
            if (group or {}).get("retention_days"):
                logs.put_retention_policy(logGroupName=name, retentionInDays=group["retention_days"])


def _instance(rds: Any, name: str, spec: dict[str, Any]) -> None:
    rds.create_db_instance(
        DBInstanceIdentifier=name,
        DBInstanceClass=spec.get("instance_class", "db.t3.micro"),
        Engine=spec.get("engine", "postgres"),
        MasterUsername="golive_seed",
        MasterUserPassword="embedded-account-only",  # the embedded account's; never read back
        AllocatedStorage=20,
        EnableIAMDatabaseAuthentication=spec.get("iam_auth", False),
    )


def _secret(secrets: Any, name: str, spec: dict[str, Any]) -> None:
    params: dict[str, Any] = {"Name": name, "SecretString": "{}"}  # an empty value: nothing in it to leak
    if spec.get("suffix"):
        params["Tags"] = [{"Key": CUSTOM_ID_TAG, "Value": spec["suffix"]}]
    arn = secrets.create_secret(**params)["ARN"]
    if spec.get("suffix"):
        secrets.untag_resource(SecretId=arn, TagKeys=[CUSTOM_ID_TAG])
    if spec.get("rotation_days"):
        secrets.rotate_secret(
            SecretId=arn, RotationRules={"AutomaticallyAfterDays": spec["rotation_days"]}, RotateImmediately=False
        )
    if spec.get("deleted"):
        secrets.delete_secret(SecretId=arn, RecoveryWindowInDays=7)
