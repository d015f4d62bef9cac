"""Edits of the demo scenario for IAM's scenario tests: each makes one defect in the API role's
policies, or in what the auditor may read. Pass them to `workspace.edit(DEMO, ...)`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DEMO = "scenarios/demo.yaml"
IDENTITY = "arn:aws:ses:ap-southeast-1:123456789012:identity/bizassist.example"  # the demo's sending domain
Edit = Callable[[dict[str, Any]], None]


def allow(sid: str, action: str, resource: str = IDENTITY, **extra: Any) -> dict[str, Any]:
    """An Allow statement, for `adding` to the API role's policy."""
    return {"Sid": sid, "Effect": "Allow", "Action": action, "Resource": resource, **extra}


def statements(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The statements of the API role's least-privilege policy."""
    return data["iam"]["roles"]["bizassist-api"]["inline"]["bizassist-api-least-privilege"]["Statement"]


def statement(data: dict[str, Any], sid: str) -> dict[str, Any]:
    return next(s for s in statements(data) if s.get("Sid") == sid)


def adding(*extra: dict[str, Any]) -> Edit:
    """The API role's policy with these statements as well."""
    return lambda data: statements(data).extend(extra)


def with_boundary(*boundary: dict[str, Any]) -> Edit:
    """The API role with a permissions boundary made of these statements."""

    def edit(data: dict[str, Any]) -> None:
        data["iam"]["policies"] = {"api-boundary": {"Version": "2012-10-17", "Statement": list(boundary)}}
        data["iam"]["roles"]["bizassist-api"]["boundary"] = "api-boundary"

    return edit


def auditor_allowed(*actions: str) -> Edit:
    """An auditor allowed these actions only, instead of golive's auditor policy."""
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}]}
    return lambda data: data.update(auditor={"inline": {"audit": policy}})
