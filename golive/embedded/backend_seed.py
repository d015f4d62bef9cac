"""A scenario region's backend: RDS instances, Secrets Manager secrets, CloudWatch Logs log
groups, the service's own deployment (ECS task definitions, Lambda functions: the environment
matrix's source) and SQS queues (a feedback queue subscribed to a notification topic).

Instances and deployments are created through the API (moto implements what golive reads of
them), but for an instance's DbiResourceId, which the API cannot choose: it is written to moto's
backend. Secrets, log groups and queues are written to moto's backends with the calls moto's own
responses make (their HTTP round trips and clients were about 0.1 s of a demo); one so seeded
reads back as one created through the API (tests/embedded/test_direct_backend_seeding.py).

A secret's ARN ends in six characters AWS picks; a scenario fixes them (`suffix`) so that the
config can name the secret by its full ARN, as a real config does. moto takes a custom id from
the `_custom_id_` tag at creation, which is removed again. docs/scenarios.md documents each key.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

from moto.logs.models import logs_backends
from moto.rds.models import rds_backends
from moto.secretsmanager.models import SecretsManagerBackend, secretsmanager_backends
from moto.sqs.models import sqs_backends

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
            _secret(secretsmanager_backends[account_id][region], name, secret or {})
    for name, group in ((spec.get("logs") or {}).get("groups") or {}).items():
        with refused_key(source, region, f"logs.groups.{name}"):
            logs = logs_backends[account_id][region]
            logs.create_log_group(name, None, kmsKeyId=None)  # CreateLogGroup's call, without tags or key
            if (group or {}).get("retention_days"):
                logs.put_retention_policy(name, group["retention_days"])
    for family, definition in ((spec.get("ecs") or {}).get("task_definitions") or {}).items():
        with refused_key(source, region, f"ecs.task_definitions.{family}"):
            _task_definition(client("ecs", region), family, definition)
    for name, function in ((spec.get("lambda") or {}).get("functions") or {}).items():
        with refused_key(source, region, f"lambda.functions.{name}"):
            _function(client("lambda", region), client("iam", region), name, function)
    for name in (spec.get("sqs") or {}).get("queues") or {}:
        with refused_key(source, region, f"sqs.queues.{name}"):
            sqs_backends[account_id][region].create_queue(name, {})  # CreateQueue's, without attributes or tags


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


def _secret(secrets: SecretsManagerBackend, name: str, spec: dict[str, Any]) -> None:
    # CreateSecret's call with an empty value (nothing in it to leak) and what the scenario leaves out
    # as the API does; a fixed suffix rides on moto's custom-id tag, which is removed again
    tags = [{"Key": CUSTOM_ID_TAG, "Value": spec["suffix"]}] if spec.get("suffix") else []
    created = secrets.create_secret(
        name=name,
        secret_string="{}",
        secret_binary=None,
        description="",
        tags=tags,
        kms_key_id=None,
        client_request_token=None,
        replica_regions=[],
        force_overwrite=False,
    )
    arn = json.loads(created)["ARN"]
    if tags:
        secrets.untag_resource(arn, [CUSTOM_ID_TAG])
    if spec.get("rotation_days"):
        secrets.rotate_secret(
            arn, rotation_rules={"AutomaticallyAfterDays": spec["rotation_days"]}, rotate_immediately=False
        )
    if spec.get("deleted"):
        secrets.delete_secret(arn, recovery_window_in_days=7, force_delete_without_recovery=False)


def _task_definition(ecs: Any, family: str, spec: dict[str, Any]) -> None:
    containers = [
        {
            "name": name,
            "image": container.get("image", "public.ecr.aws/docker/library/node:20"),
            "memory": 512,
            "environment": [{"name": k, "value": str(v)} for k, v in (container.get("environment") or {}).items()],
            "secrets": [{"name": k, "valueFrom": v} for k, v in (container.get("secrets") or {}).items()],
        }
        for name, container in spec["containers"].items()
    ]
    ecs.register_task_definition(family=family, containerDefinitions=containers)


def _function(lambda_: Any, iam: Any, name: str, spec: dict[str, Any]) -> None:
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:  # a handler nobody runs: golive reads the configuration only
        archive.writestr("index.js", "exports.handler = async () => ({});\n")
    lambda_.create_function(
        FunctionName=name,
        Runtime="nodejs20.x",
        Role=iam.get_role(RoleName=spec["role"])["Role"]["Arn"],
        Handler="index.handler",
        Code={"ZipFile": code.getvalue()},
        Environment={"Variables": {k: str(v) for k, v in (spec.get("environment") or {}).items()}},
    )
