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

# IAM names SES's v1 and v2 APIs with one prefix: sesv2's GetAccount is ses:GetAccount.
IAM_PREFIX = {"sesv2": "ses"}


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


def permission(service: str, operation: str) -> str:
    """The IAM action that allows a botocore operation."""
    return f"{IAM_PREFIX.get(service, service)}:{operation}"


@cache
def declared_reads() -> dict[tuple[str, str], tuple[str, ...]]:
    """The guard's allowlist: exactly the operations golive's inventories declare, with the fields
    of each answer they read (imported late: the areas stand on this module)."""
    from golive.areas import reads

    return reads()


class MalformedAnswer(botocore.exceptions.BotoCoreError):
    """An answer that is not what the API returns: golive cannot tell what AWS holds."""

    fmt = "{operation} answered with {problem}, not what the API returns; golive cannot tell what AWS holds"


def check_answer(service: str, operation: str, parsed: dict[str, Any]) -> None:
    """Raise MalformedAnswer unless the answer has every field golive reads.

    An empty page from a proxy or `{}` parses to an answer without those fields: read as-is,
    they would make a missing configuration set or alarm look present, or absent. (A field of
    the wrong type, or a body that is not the protocol's at all, fails in botocore's parser,
    which `golive.errors.could_not_see` reports the same way.)
    """
    if "Error" in parsed:
        return  # an error answer: botocore raises it as a ClientError
    for name in declared_reads().get((service, operation), ()):
        if name not in parsed:
            raise MalformedAnswer(operation=f"{service}:{operation}", problem=f"no {name}")


class ReadOnlyViolation(RuntimeError):
    """An operation outside the read-only allowlist was about to be sent."""


class CredentialsProblem(Exception):
    """The audit has no usable credentials; the message names the source that failed."""


@dataclass
class CallRecorder:
    """Counts the operations golive sends, per service and operation, for evidence and benches."""

    calls: Counter = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, service: str, operation: str, region: str | None) -> None:
        with self._lock:
            self.calls[(service, operation, region or "global")] += 1

    def total(self) -> int:
        return sum(self.calls.values())

    def by_operation(self) -> dict[str, int]:
        merged: Counter = Counter()
        for (service, operation, _region), n in self.calls.items():
            merged[f"{service}:{operation}"] += n
        return dict(sorted(merged.items()))


def is_allowed(service: str, operation: str, assume_role: str | None = None) -> bool:
    """Exactly the declared reads; sts:AssumeRole only where the config names the audit role."""
    if (service, operation) == ("sts", "AssumeRole"):
        return assume_role is not None
    return (service, operation) in declared_reads()


@dataclass(frozen=True)
class CallerIdentity:
    account: str
    arn: str
    user_id: str


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
        assume_role: str | None = None,
    ) -> None:
        self.session = session
        self.endpoint_url = endpoint_url
        self.credential_source = credential_source
        self.simulator_label = simulator_label
        self.recorder = CallRecorder()
        self._assume_role = assume_role
        self._clients: dict[tuple[str, str | None], Any] = {}
        self._lock = threading.Lock()
        # standard mode retries throttling and 5xx with backoff; the embedded server answers
        # unimplemented calls with 500, which must fail at once rather than be retried.
        self._config = BotoConfig(retries={"mode": "standard", "total_max_attempts": max_attempts})
        session.events.register("provide-client-params.sts.AssumeRole", self._guard_role)
        session.events.register("before-call", self._guard)
        session.events.register("after-call", self._check)

    def _guard(self, model: Any, context: dict, **_: Any) -> None:
        service = model.service_model.service_name
        if not is_allowed(service, model.name, self._assume_role):
            raise ReadOnlyViolation(
                f"golive refused {service}:{model.name}: only the reads golive's inventories declare are allowed "
                "(`golive auditor-policy` lists them)"
            )
        self.recorder.record(service, model.name, context.get("client_region"))

    def _check(self, http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        check_answer(model.service_model.service_name, model.name, parsed)

    def _guard_role(self, params: dict, **_: Any) -> None:
        if params.get("RoleArn") != self._assume_role:
            raise ReadOnlyViolation(f"golive refused sts:AssumeRole of {params.get('RoleArn')}: only aws.role_arn")

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
        return CallerIdentity(account=found["Account"], arn=found["Arn"], user_id=found["UserId"])


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
    guard_probe = AwsAccess(base, endpoint_url=endpoint_url, credential_source=source, assume_role=role_arn)
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
