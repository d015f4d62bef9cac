"""AWS access for the audit: one session, guarded read-only, with every call counted.

Live mode uses the credentials chain, a named profile or an assumed audit role; moto mode
points the same boto3 clients at the embedded account. Every operation passes the
read-only guard before botocore signs it, so golive cannot write by accident.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import boto3
import botocore.exceptions
import botocore.loaders
import botocore.session
import orjson
from botocore.config import Config as BotoConfig

from golive.limits import RateLimits
from golive.sections import AwsSection
from golive.ses import send_test

# IAM names SES's v1 and v2 APIs with one prefix: sesv2's GetAccount is ses:GetAccount.
IAM_PREFIX = {"sesv2": "ses"}


# The settings botocore takes from the user's AWS setup. Endpoint data and the embedded account need
# none of them, so a missing AWS_PROFILE or a broken ~/.aws/config must not break either.
_NO_USER_SETUP = {
    "profile": (None, None, None, None),
    "config_file": (None, None, os.devnull, None),
    "credentials_file": (None, None, os.devnull, None),
}


class ModelFiles(botocore.loaders.JSONFileLoader):
    """botocore's data files parsed by orjson (installed with policy_sentry), into the same
    models with their keys in the same order, in half the time of botocore's OrderedDicts:
    about 0.1 s of a demo, which reads some twenty models."""

    def _load_file(self, full_path: str, open_method: Any) -> Any:  # botocore's, but for the parser
        if not os.path.isfile(full_path):
            return None
        with open_method(full_path, "rb") as fp:
            return orjson.loads(fp.read())


@cache
def _models() -> botocore.loaders.Loader:
    # one loader for every session golive makes: each service's model files are read and parsed
    # once per process, not once per session (the seeding and the audit each have one)
    return botocore.loaders.Loader(file_loader=ModelFiles())


def offline_botocore() -> botocore.session.Session:
    """A botocore session that reads no AWS_PROFILE, ~/.aws/config or ~/.aws/credentials."""
    session = botocore.session.Session(session_vars=_NO_USER_SETUP)
    session.register_component("data_loader", _models())
    return session


def embedded_session(access_key_id: str, secret_access_key: str) -> boto3.Session:
    """A session with these keys and nothing of the user's AWS setup: for the embedded account only."""
    return boto3.Session(
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
        region_name="us-east-1",
        botocore_session=offline_botocore(),
    )


@cache
def _botocore() -> botocore.session.Session:
    # one session for botocore's bundled endpoint data: creating one costs ~0.1 s
    return offline_botocore()


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


def is_allowed(service: str, operation: str, assume_role: str | None = None) -> bool:
    """Exactly the declared reads; sts:AssumeRole only where the config names the audit role."""
    if (service, operation) == ("sts", "AssumeRole"):
        return assume_role is not None
    return (service, operation) in declared_reads()


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
        max_attempts: int = AwsSection.attempts,
        timeout: float = AwsSection.timeout,
        credential_source: str = "the default credentials chain",
        simulator_label: str = "aws-iam-simulator",
        assume_role: str | None = None,
        send_test: bool = False,
        feedback_queue: str | None = None,
        rate_limits: Mapping[str, float | None] | None = None,
    ) -> None:
        self.session = session
        self.endpoint_url = endpoint_url
        self.credential_source = credential_source
        self.simulator_label = simulator_label
        self.recorder = CallRecorder()
        self._assume_role = assume_role
        self._send_test = send_test  # the one write: sesv2 SendEmail to SES's mailbox simulator
        self._feedback_queue = feedback_queue  # and the queue its bounces and complaints reach
        self._clients: dict[tuple[str, str | None], Any] = {}
        self._lock = threading.Lock()  # boto3 sessions are not thread-safe: clients are made one at a time
        self._limits = RateLimits(rate_limits or {})
        # adaptive mode retries throttling and 5xx with backoff, and slows a client down once AWS
        # throttles it; the embedded server answers unimplemented calls with 500, which must fail
        # at once rather than be retried (max_attempts 1).
        self._config = BotoConfig(
            retries={"mode": "adaptive", "total_max_attempts": max_attempts},
            connect_timeout=timeout,
            read_timeout=timeout,
        )

    def _guard(self, model: Any, **_: Any) -> None:
        service = model.service_model.service_name
        # the send and the feedback queue's reads: their parameters are checked before, in provide-client-params
        sending = self._send_test and (service, model.name) in (send_test.SEND, send_test.RECEIVE)
        if not sending and not is_allowed(service, model.name, self._assume_role):
            raise ReadOnlyViolation(
                f"golive refused {service}:{model.name}: only the reads golive's inventories declare are allowed "
                "(`golive auditor-policy` lists them)"
            )
        self.recorder.record(service, model.name)

    def _check(self, http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        check_answer(model.service_model.service_name, model.name, parsed)

    def _guard_send(self, params: dict, **_: Any) -> None:
        problem = send_test.refusal(params) if self._send_test else "golive sends only with --send-test"
        if problem:
            raise ReadOnlyViolation(f"golive refused sesv2:SendEmail: {problem}")

    def _guard_receive(self, params: dict, **_: Any) -> None:
        refused = "golive reads the feedback queue only with --send-test"
        problem = send_test.receive_refusal(params, self._feedback_queue) if self._send_test else refused
        if problem:
            raise ReadOnlyViolation(f"golive refused sqs:ReceiveMessage: {problem}")

    def _guard_role(self, params: dict, **_: Any) -> None:
        if params.get("RoleArn") != self._assume_role:
            raise ReadOnlyViolation(f"golive refused sts:AssumeRole of {params.get('RoleArn')}: only aws.role_arn")

    def _pacer(self, service: str, region: str | None) -> Any:
        def pace(**_: Any) -> None:
            self._limits.wait(service, region)

        return pace

    def client(self, service: str, region: str | None = None) -> Any:
        key = (service, region)
        with self._lock:
            if key not in self._clients:
                client = self.session.client(
                    service, region_name=region or "us-east-1", endpoint_url=self.endpoint_url, config=self._config
                )
                # the guard sits on golive's own clients, not on the session: the session's credential
                # providers (a web identity token, a role-assuming profile) make their STS calls themselves
                events = client.meta.events
                events.register("provide-client-params.sts.AssumeRole", self._guard_role)
                events.register("provide-client-params.sesv2.SendEmail", self._guard_send)
                events.register("provide-client-params.sqs.ReceiveMessage", self._guard_receive)
                events.register("before-call", self._guard)
                events.register("after-call", self._check)
                # before-send comes once per attempt: a retry waits for its slot like any request
                events.register("before-send", self._pacer(service, region))
                self._clients[key] = client
            return self._clients[key]

    def caller_identity(self) -> CallerIdentity:
        try:
            found = self.client("sts").get_caller_identity()
        except (botocore.exceptions.NoCredentialsError, botocore.exceptions.PartialCredentialsError) as exc:
            raise CredentialsProblem(
                f"no usable AWS credentials from {self.credential_source}: {_one_line(exc)}"
            ) from None
        except botocore.exceptions.ClientError as exc:
            error = exc.response.get("Error", {})
            raise CredentialsProblem(
                f"the credentials from {self.credential_source} were rejected by STS: "
                f"{error.get('Code')}: {_one_line(error.get('Message'))}"
            ) from None
        except botocore.exceptions.BotoCoreError as exc:
            raise CredentialsProblem(f"cannot reach STS with {self.credential_source}: {_one_line(exc)}") from None
        return CallerIdentity(account=found["Account"], arn=found["Arn"])


def live_session(
    profile: str | None, role_arn: str | None, external_id: str | None, endpoint_url: str | None = None
) -> tuple[boto3.Session, str]:
    """A boto3 session for live mode and a description of where its credentials come from.

    Every way the user's AWS setup can fail becomes one CredentialsProblem naming that source.
    """
    base, source = _base_session(profile)
    if not role_arn:
        return base, source
    return _assumed(base, source, role_arn, external_id, endpoint_url), f"role {role_arn} assumed with {source}"


def _base_session(profile: str | None) -> tuple[boto3.Session, str]:
    # botocore's order: AWS_DEFAULT_PROFILE wins over AWS_PROFILE
    variable = next((v for v in ("AWS_DEFAULT_PROFILE", "AWS_PROFILE") if os.environ.get(v)), None)
    if profile:
        source = f"profile {profile!r} (aws.profile)"
    elif variable:
        source = f"profile {os.environ[variable]!r} ({variable})"
    else:
        source = "the default credentials chain"
    try:
        base = boto3.Session(profile_name=profile) if profile else boto3.Session()
        credentials = base.get_credentials()
    except botocore.exceptions.ProfileNotFound as exc:
        named_by = "aws.profile" if profile else variable
        raise CredentialsProblem(
            f"AWS profile {exc.kwargs.get('profile')!r} is not configured ({named_by}; profiles are read from "
            f"{_setup_file('AWS_CONFIG_FILE', '~/.aws/config')} and "
            f"{_setup_file('AWS_SHARED_CREDENTIALS_FILE', '~/.aws/credentials')})"
        ) from None
    except botocore.exceptions.PartialCredentialsError as exc:
        if exc.kwargs.get("provider") == "env":
            raise CredentialsProblem(
                f"the environment holds only part of the AWS credentials: {exc.kwargs.get('cred_var')} is missing "
                "(set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY together, or neither)"
            ) from None
        raise CredentialsProblem(f"partial AWS credentials in {source}: {_one_line(exc)}") from None
    except botocore.exceptions.ConfigParseError as exc:
        raise CredentialsProblem(
            f"cannot parse the AWS config file {exc.kwargs.get('path')}; expected an INI file of [profile] sections"
        ) from None
    except botocore.exceptions.CredentialRetrievalError as exc:
        raise CredentialsProblem(
            f"{source}: {exc.kwargs.get('provider')} failed to return credentials: "
            f"{_one_line(exc.kwargs.get('error_msg') or exc)}"
        ) from None
    except botocore.exceptions.BotoCoreError as exc:
        raise CredentialsProblem(f"{source}: {_one_line(exc)}") from None
    if credentials is None:
        raise CredentialsProblem(
            f"no AWS credentials found in {source}: set AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
            "or aws.profile / aws.role_arn in the config"
        )
    return base, source


def _assumed(
    base: boto3.Session, source: str, role_arn: str, external_id: str | None, endpoint_url: str | None
) -> boto3.Session:
    params = {"RoleArn": role_arn, "RoleSessionName": "golive-audit"}
    if external_id:
        params["ExternalId"] = external_id
    guard_probe = AwsAccess(base, endpoint_url=endpoint_url, credential_source=source, assume_role=role_arn)
    try:
        creds = guard_probe.client("sts").assume_role(**params)["Credentials"]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as exc:
        raise CredentialsProblem(f"cannot assume aws.role_arn {role_arn} with {source}: {_one_line(exc)}") from None
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def _setup_file(variable: str, default: str) -> str:
    return os.environ.get(variable) or default


def _one_line(error: object) -> str:
    # a credential_process's stderr, or botocore's wording, can run over lines: the message is one
    return " ".join(str(error).split())[:300]
