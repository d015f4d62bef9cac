"""Backend facts as AWS reports them: the RDS instance, each secret, the log group, each a small
frozen record built from one answer (metadata only: golive never reads a secret's value), that
says what is wrong with it and how to fix it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class DbInstance:
    """One RDS DB instance in one region (DescribeDBInstances)."""

    name: str
    region: str
    exists: bool
    arn: str | None = None
    resource_id: str | None = None  # DbiResourceId: the rds-db:connect resource names it
    status: str | None = None
    engine: str | None = None
    endpoint: str | None = None
    iam_auth_enabled: bool | None = None

    def evidence(self) -> dict[str, Any]:
        return asdict(self)

    def explain_missing(self) -> str:
        return (
            f"The RDS instance {self.name} does not exist in {self.region} (rds:DescribeDBInstances: "
            "DBInstanceNotFound).\n"
            f"Fix: create it there, or set backend.rds_instance (and backend.region) to the instance the "
            f"service connects to: `aws rds describe-db-instances --region {self.region} --query "
            "'DBInstances[].DBInstanceIdentifier'` lists the region's instances."
        )

    def explain_iam_auth(self) -> str:
        return (
            f"The RDS instance {self.name} in {self.region} does not have IAM database authentication enabled "
            f"(IAMDatabaseAuthenticationEnabled: {str(self.iam_auth_enabled).lower()}): the service must keep a "
            "long-lived database password.\n"
            f"Fix: `aws rds modify-db-instance --db-instance-identifier {self.name} "
            f"--enable-iam-database-authentication --apply-immediately --region {self.region}`, then grant the "
            "service's database user the rds_iam role (PostgreSQL: GRANT rds_iam TO <user>)."
        )


@dataclass(frozen=True)
class Secret:
    """One Secrets Manager secret, by its configured ARN (DescribeSecret: metadata, never the value)."""

    arn: str
    region: str
    exists: bool
    name: str | None = None
    deleted: bool = False  # scheduled for deletion: GetSecretValue already fails
    rotation_enabled: bool | None = None
    rotation_days: int | None = None

    def evidence(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def usable(self) -> bool:
        return self.exists and not self.deleted

    def explain_missing(self) -> str:
        found = "is scheduled for deletion (DeletedDate is set)" if self.deleted else "does not exist"
        fix = (
            f"restore it (`aws secretsmanager restore-secret --secret-id {self.arn} --region {self.region}`)"
            if self.deleted
            else f"create it in {self.region}, or correct backend.secrets to the ARN the service reads "
            f"(`aws secretsmanager list-secrets --region {self.region} --query 'SecretList[].ARN'`)"
        )
        return (
            f"The secret {self.arn} {found} in {self.region} (secretsmanager:DescribeSecret): the service's "
            f"GetSecretValue fails at start.\nFix: {fix}."
        )

    def explain_rotation(self) -> str:
        return (
            f"The secret {self.arn} in {self.region} is not rotated automatically (RotationEnabled: "
            f"{str(bool(self.rotation_enabled)).lower()}): a leaked credential stays valid until someone "
            "changes it by hand.\n"
            f"Fix: `aws secretsmanager rotate-secret --secret-id {self.arn} --rotation-rules "
            f"AutomaticallyAfterDays=30 --rotation-lambda-arn <rotation function> --region {self.region}` "
            "(or manage the database's master password with RDS, which rotates it)."
        )


@dataclass(frozen=True)
class SecretRegion:
    """Where a configured secret lives (the region its ARN names), against the environment's regions."""

    arn: str
    region: str
    regions: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.region in self.regions

    def evidence(self) -> dict[str, Any]:
        # (no key says "secret": the evidence's redaction would mask it, and an ARN is no secret)
        return {"arn": self.arn, "region": self.region, "configured_regions": list(self.regions)}

    def explain(self) -> str:
        return (
            f"The secret {self.arn} lives in {self.region}, which is not one of the environment's regions "
            f"({', '.join(self.regions)}): the service reads its database credentials across regions, "
            "outside the region its own failover, VPC endpoints and policies are scoped to.\n"
            f"Fix: replicate or recreate the secret in {self.regions[0]} "
            f"(`aws secretsmanager replicate-secret-to-regions --secret-id {self.arn} --add-replica-regions "
            f"Region={self.regions[0]} --region {self.region}`) and point backend.secrets and the service's "
            "DB_SECRET_ARN at the copy."
        )


@dataclass(frozen=True)
class LogGroup:
    """One CloudWatch Logs log group in one region (DescribeLogGroups with the name as prefix)."""

    name: str
    region: str
    exists: bool
    arn: str | None = None
    retention_days: int | None = None  # None: never expire

    def evidence(self) -> dict[str, Any]:
        return asdict(self)

    def explain_missing(self) -> str:
        return (
            f"The log group {self.name} does not exist in {self.region} (logs:DescribeLogGroups found no group "
            "of that name): the service's logs go nowhere, or it needs logs:CreateLogGroup, which it should not "
            "hold.\n"
            f"Fix: `aws logs create-log-group --log-group-name {self.name} --region {self.region}` and "
            f"`aws logs put-retention-policy --log-group-name {self.name} --retention-in-days 30 "
            f"--region {self.region}`."
        )

    def explain_retention(self) -> str:
        return (
            f"The log group {self.name} in {self.region} keeps its events forever (no retention set): storage "
            "grows without bound and logs that may hold addresses are kept longer than needed.\n"
            f"Fix: `aws logs put-retention-policy --log-group-name {self.name} --retention-in-days 30 "
            f"--region {self.region}` (or the period your retention policy sets)."
        )
