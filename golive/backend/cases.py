"""Backend cases from the config: the RDS instance, each secret and the log group, and the
permission questions the service's principal asks of them.

The database and the log group live in `backend.region` (default: the first of `regions`);
each secret lives in the region its ARN names.
"""

from __future__ import annotations

from dataclasses import dataclass

from golive.cases import RegionNameCase
from golive.config import Config, Principal
from golive.env.forms import secret_region


def region(config: Config) -> str:
    return config.backend.region or config.regions[0]


@dataclass(frozen=True)
class SecretCase:
    """A configured secret, by its ARN; the id reads as its region and name (bizassist/db-AbCdEf)."""

    arn: str

    @property
    def region(self) -> str:
        return secret_region(self.arn) or ""  # the config's ARNs are validated: never ""

    @property
    def id(self) -> str:
        return f"{self.region}-{self.arn.split(':secret:', 1)[1]}"


@dataclass(frozen=True)
class UseCase:
    """The backend principal's use of one backend resource: connect to the database as its
    user, read a secret, write to the log group."""

    principal: Principal
    region: str
    name: str  # the instance, the secret (as its ARN) or the log group
    user: str | None = None  # the database user, for rds-db:connect

    @property
    def id(self) -> str:
        name = self.name.split(":secret:", 1)[1] if ":secret:" in self.name else self.name
        return f"{self.principal.name}-{self.region}-{name}"


def principal(config: Config) -> Principal | None:
    """The principal that uses the backend (`backend.principal`), if the config lists it."""
    return next((p for p in config.principals if p.name == config.backend.principal), None)


def rds_instance(config: Config) -> list[RegionNameCase]:
    name = config.backend.rds_instance
    return [RegionNameCase(region(config), name)] if name else []


def iam_auth(config: Config, level: str) -> list[RegionNameCase]:
    """The instance, where `backend.iam_db_auth` is `level` (required or advisory)."""
    return rds_instance(config) if config.backend.iam_db_auth == level else []


def db_connect(config: Config) -> list[UseCase]:
    """With IAM authentication in use and a database user named, the principal connects as that user."""
    backend, found = config.backend, principal(config)
    if not (backend.rds_instance and backend.db_user and found) or backend.iam_db_auth == "off":
        return []
    return [UseCase(found, region(config), backend.rds_instance, backend.db_user)]


def secrets(config: Config) -> list[SecretCase]:
    return [SecretCase(arn) for arn in config.backend.secrets]


def secret_reads(config: Config) -> list[UseCase]:
    found = principal(config)
    return [UseCase(found, secret_region(arn) or "", arn) for arn in config.backend.secrets] if found else []


def log_group(config: Config) -> list[RegionNameCase]:
    name = config.backend.log_group
    return [RegionNameCase(region(config), name)] if name else []


def log_writes(config: Config) -> list[UseCase]:
    found, name = principal(config), config.backend.log_group
    return [UseCase(found, region(config), name)] if found and name else []
