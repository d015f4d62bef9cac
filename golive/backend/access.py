"""What the backend principal may do with the backend: connect to the database as its user,
read each secret, write to the log group.

Each is a permission question like the IAM checks', asked through the same PermissionInventory
(AWS's simulator, or golive's local engine): never a trial of the action. The resources are
the ones the service uses: `arn:aws:rds-db:REGION:ACCOUNT:dbuser:DbiResourceId/USER`, the
secret's ARN, the log group's log-stream ARNs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from golive.aws import partition
from golive.backend.cases import UseCase
from golive.backend.inventory import BackendInventory
from golive.config import Config
from golive.iam import scope
from golive.iam.inventory import PermissionInventory, ResourceDecision

CONNECT = ("rds-db:connect",)
READ_SECRET = ("secretsmanager:GetSecretValue",)
WRITE_LOGS = ("logs:CreateLogStream", "logs:PutLogEvents")


@dataclass(frozen=True)
class BackendUse:
    """The decisions for the actions one use of a backend resource needs."""

    case: UseCase
    what: str  # "connect to the RDS instance bizassist-demo as bizassist_api", in words
    principal_arn: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    decisions: dict[str, tuple[ResourceDecision, ...]]
    engine: str
    nothing_to_judge: str = ""  # why no question was asked (the resource does not exist)

    @property
    def allowed(self) -> bool:
        return all(d.allowed for rows in self.decisions.values() for d in rows)

    def evidence(self) -> dict[str, Any]:
        return {
            "principal": self.case.principal.name,
            "principal_arn": self.principal_arn,
            "region": self.case.region,
            "use": self.what,
            "actions": list(self.actions),
            "resources": list(self.resources),
            "engine": self.engine,
            "decisions": {a: [d.evidence() for d in rows] for a, rows in self.decisions.items()},
            **({"nothing_to_judge": self.nothing_to_judge} if self.nothing_to_judge else {}),
        }

    def explain(self) -> str:
        lines = [f"{self.case.principal.name} ({self.principal_arn}) may not {self.what}:"]
        for action, rows in self.decisions.items():
            for d in rows:
                if d.decision == "explicitDeny":
                    lines.append(f"  {action} on {d.resource}: explicitly denied by {'; '.join(d.statements)}")
                elif not d.allowed:
                    lines.append(f"  {action} on {d.resource}: the {d.layer} allows it nowhere (implicit deny)")
        lines.append(f"  (asked with aws:RequestedRegion {self.case.region}; answered by {self.engine})")
        fix = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": list(self.actions) if len(self.actions) > 1 else self.actions[0],
                    "Resource": list(self.resources) if len(self.resources) > 1 else self.resources[0],
                }
            ],
        }
        lines.append(f"Fix: attach this statement to {self.principal_arn}, and remove any Deny named above:")
        lines.append(json.dumps(fix, indent=2))
        return "\n".join(lines)


def _ask(
    case: UseCase, permissions: PermissionInventory, what: str, actions: tuple[str, ...], resources: tuple[str, ...]
) -> BackendUse:
    context = {"aws:RequestedRegion": case.region}
    decided, engine = permissions.decide(case.principal, actions, resources, context)
    arn = permissions.principal_arn(case.principal)
    return BackendUse(case, what, arn, actions, resources, {a: decided[a] for a in actions}, engine)


def db_connect(
    case: UseCase, config: Config, permissions: PermissionInventory, backend: BackendInventory
) -> BackendUse:
    """rds-db:connect as the configured user, on the instance's DbiResourceId."""
    what = f"connect to the RDS instance {case.name} as {case.user} (IAM database authentication)"
    instance = backend.db_instance(case.region, case.name)
    if not instance.exists or not instance.resource_id:
        arn = permissions.principal_arn(case.principal)
        reason = f"the instance {case.name} does not exist in {case.region}: test_rds_instance_exists fails for it"
        return BackendUse(case, what, arn, CONNECT, (), {}, "none", nothing_to_judge=reason)
    user = f"dbuser:{instance.resource_id}/{case.user}"
    resource = f"arn:{partition(case.region)}:rds-db:{case.region}:{config.account_id}:{user}"
    return _ask(case, permissions, what, CONNECT, (resource,))


def secret_read(case: UseCase, permissions: PermissionInventory) -> BackendUse:
    """secretsmanager:GetSecretValue on the secret's ARN, asked in the secret's region."""
    return _ask(case, permissions, f"read the secret {case.name}", READ_SECRET, (case.name,))


def log_write(case: UseCase, config: Config, permissions: PermissionInventory) -> BackendUse:
    """logs:CreateLogStream and logs:PutLogEvents on the log group's log-stream ARNs (as IAM scopes them)."""
    resources = tuple(
        sorted({r for action in WRITE_LOGS for r in scope.resources(action, case.region, config, case.principal)})
    )
    return _ask(case, permissions, f"write to the log group {case.name} in {case.region}", WRITE_LOGS, resources)
