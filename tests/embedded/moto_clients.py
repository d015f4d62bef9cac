"""Clients of the embedded account, and botocore's model as the judge of its responses."""

from __future__ import annotations

from typing import Any

import boto3
import botocore.session

from golive.embedded.account import EmbeddedAccount


def shape_errors(value: Any, shape: Any, path: str = "$") -> list[str]:
    """Everything in `value` that botocore's `shape` does not allow: unknown or missing keys, bad enums."""
    errors = []
    if shape.type_name == "structure":
        if not isinstance(value, dict):
            return [f"{path}: expected a structure"]
        for name in shape.required_members:
            if name not in value:
                errors.append(f"{path}.{name}: required, missing")
        for name, item in value.items():
            if name == "ResponseMetadata":
                continue
            if name not in shape.members:
                errors.append(f"{path}.{name}: not in the model")
            else:
                errors += shape_errors(item, shape.members[name], f"{path}.{name}")
    elif shape.type_name == "list":
        errors += [e for i, item in enumerate(value) for e in shape_errors(item, shape.member, f"{path}[{i}]")]
    elif shape.type_name == "map":
        errors += [e for k, item in value.items() for e in shape_errors(item, shape.value, f"{path}.{k}")]
    elif shape.type_name == "string" and shape.enum and value not in shape.enum:
        errors.append(f"{path}: {value!r} is not one of {shape.enum}")
    return errors


def output_shape(service: str, operation: str) -> Any:
    return botocore.session.get_session().get_service_model(service).operation_model(operation).output_shape


def auditor_client(account: EmbeddedAccount, service: str, region: str = "us-east-1") -> Any:
    creds = account.auditor
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=account.endpoint_url,
        aws_access_key_id=creds.access_key_id,
        aws_secret_access_key=creds.secret_access_key,
    )
