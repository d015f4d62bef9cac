"""AWS access for the audit: one session, guarded read-only, with every call counted.

Live mode uses the credentials chain, a named profile or an assumed audit role; moto mode
points the same boto3 clients at the embedded account. Every operation passes the
read-only guard before botocore signs it, so golive cannot write by accident.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import boto3
import botocore.exceptions
import botocore.session
from botocore.config import Config as BotoConfig

# Operations that only read. The prefixes cover every describe/list/get call of every
# service; Simulate* evaluates policies without acting on them.
READ_ONLY_PREFIXES = ("Get", "List", "Describe", "Simulate")
IDENTITY_CALLS = frozenset({("sts", "GetCallerIdentity"), ("sts", "AssumeRole")})


@cache
def _botocore() -> botocore.session.Session:
    # one session for botocore's bundled endpoint data: creating one costs ~0.1 s
    return botocore.session.get_session()


@cache
def ses_regions() -> tuple[str, ...]:
    """The regions where Amazon SES is offered, from botocore's endpoint data."""
    return tuple(sorted(_botocore().get_available_regions("ses")))


@cache
def partition(region: str) -> str:
    return _botocore().get_partition_for_region(region)


class ReadOnlyViolation(RuntimeError):
    """An operation outside the read-only allowlist was about to be sent."""


class CredentialsProblem(Exception):
    """The audit has no usable credentials; the message names the source that failed."""


@dataclass
class CallRecorder:
    """Counts the operations golive sends, per service and operation, for the evidence and the summary."""

    calls: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, service: str, operation: str) -> None:
        with self._lock:
            self.calls[f"{service}:{operation}"] += 1

    def total(self) -> int:
        return sum(self.calls.values())

    def by_operation(self) -> dict[str, int]:
        return dict(sorted(self.calls.items()))


def is_allowed(service: str, operation: str) -> bool:
    return operation.startswith(READ_ONLY_PREFIXES) or (service, operation) in IDENTITY_CALLS


@dataclass(frozen=True)
class CallerIdentity:
    account: str
    arn: str


class AwsAccess:
    """The audit's boto3 session: guarded clients, cached per service and region."""

    def __init__(
        self,
        session: boto3.Session,
        *,
        endpoint_url: str | None = None,
        max_attempts: int = 5,
        credential_source: str = "the default credentials chain",
        simulator_label: str = "aws-iam-simulator",
    ) -> None:
        self.session = session
        self.endpoint_url = endpoint_url
        self.credential_source = credential_source
        self.simulator_label = simulator_label
        self.recorder = CallRecorder()
        self._clients: dict[tuple[str, str | None], Any] = {}
        self._lock = threading.Lock()
        # standard mode retries throttling and 5xx with backoff; the embedded server answers
        # unimplemented calls with 500, which must fail at once rather than be retried.
        self._config = BotoConfig(retries={"mode": "standard", "total_max_attempts": max_attempts})
        session.events.register("before-call", self._guard)

    def _guard(self, model: Any, **_: Any) -> None:
        service = model.service_model.service_name
        if not is_allowed(service, model.name):
            raise ReadOnlyViolation(
                f"golive refused {service}:{model.name}: only read-only calls are allowed "
                "(Get*, List*, Describe*, Simulate*, STS identity)"
            )
        self.recorder.record(service, model.name)

    def client(self, service: str, region: str | None = None) -> Any:
        key = (service, region)
        with self._lock:
            if key not in self._clients:
                client = self.session.client(
                    service, region_name=region or "us-east-1", endpoint_url=self.endpoint_url, config=self._config
                )
                self._clients[key] = client
            return self._clients[key]

    def caller_identity(self) -> CallerIdentity:
        try:
            found = self.client("sts").get_caller_identity()
        except (botocore.exceptions.NoCredentialsError, botocore.exceptions.PartialCredentialsError) as exc:
            raise CredentialsProblem(f"no usable AWS credentials from {self.credential_source}: {exc}") from None
        except botocore.exceptions.ClientError as exc:
            error = exc.response.get("Error", {})
            raise CredentialsProblem(
                f"the credentials from {self.credential_source} were rejected by STS: "
                f"{error.get('Code')}: {error.get('Message')}"
            ) from None
        except botocore.exceptions.BotoCoreError as exc:
            raise CredentialsProblem(f"cannot reach STS with {self.credential_source}: {exc}") from None
        return CallerIdentity(account=found["Account"], arn=found["Arn"])


def live_session(
    profile: str | None, role_arn: str | None, external_id: str | None, endpoint_url: str | None = None
) -> tuple[boto3.Session, str]:
    """A boto3 session for live mode and a description of where its credentials come from."""
    try:
        base = boto3.Session(profile_name=profile) if profile else boto3.Session()
    except botocore.exceptions.ProfileNotFound:
        raise CredentialsProblem(f"AWS profile {profile!r} is not configured (aws.profile)") from None
    source = f"profile {profile!r}" if profile else "the default credentials chain"
    if base.get_credentials() is None:
        raise CredentialsProblem(
            f"no AWS credentials found in {source}: set AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
            "or aws.profile / aws.role_arn in the config"
        )
    if not role_arn:
        return base, source
    params = {"RoleArn": role_arn, "RoleSessionName": "golive-audit"}
    if external_id:
        params["ExternalId"] = external_id
    guard_probe = AwsAccess(base, endpoint_url=endpoint_url, credential_source=source)
    try:
        creds = guard_probe.client("sts").assume_role(**params)["Credentials"]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as exc:
        raise CredentialsProblem(f"cannot assume aws.role_arn {role_arn} with {source}: {exc}") from None
    session = boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    return session, f"role {role_arn} assumed with {source}"
