"""The config's sections, typed, with golive's defaults: the one place a default is written.

The loader validates the merged YAML against golive/schema/config.yaml first, so these
constructors can trust the shapes they read; a key the file leaves out takes the default
here (config/base.yaml only overrides).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Test and placeholder identities, matched case-insensitively against every identity's name
# (docs/checks-ses.md): RFC 2606 example domains; the reserved TLDs of RFC 2606 and RFC 6761,
# .example included, since no real sender owns one; template domains (yourdomain.com);
# obvious test names as the local part or first label.
PLACEHOLDER_PATTERNS = (
    r"(^|[.@])example\.(com|net|org)$",
    r"\.(test|example|invalid|localhost|local)$",
    r"(^|[.@])your-?(domain|company|site)\.",
    r"^(test|testing|tmp|temp|dummy|fake|placeholder|changeme)\d*([-_.+@]|$)",
)


# Requests per second golive allows itself, live, by `aws.rate_limits` bucket (golive/limits.py):
# SES throttles management calls at 1/s per region, and says it cannot be raised; AWS publishes
# no rate for IAM's simulator: its one global limit is the pace of one caller waiting ~100 ms for
# each answer, as golive read before its regions were read at once (a config may change it).
# The embedded account throttles nothing: there no bucket is limited unless the config says so.
LIVE_RATE_LIMITS: Mapping[str, float | None] = {"ses": 1.0, "iam": 10.0}


@dataclass(frozen=True)
class AwsSection:
    mode: str  # live | moto
    profile: str | None = None
    role_arn: str | None = None
    external_id: str | None = None
    endpoint_url: str | None = None
    scenario: str | None = None  # moto mode: the scenario file, relative to the config that names it
    simulator: str = "auto"  # auto | aws | local: who answers permission questions
    attempts: int = 5  # per call, retries of throttling, 5xx and dropped connections included
    timeout: float = 20.0  # seconds to connect, and to wait for an answer, per attempt
    rate_limits: Mapping[str, float | None] = field(default_factory=dict)  # bucket -> requests/s; None: unpaced


@dataclass(frozen=True)
class Quota:
    min_max_24_hour_send: float = 50000
    min_max_send_rate: float = 14
    max_utilization: float = 0.8


@dataclass(frozen=True)
class Reputation:
    max_bounce_rate: float = 0.05  # SES puts an account under review at 5%
    max_complaint_rate: float = 0.001  # and at 0.1%


@dataclass(frozen=True)
class Notifications:
    events: tuple[str, ...] = ("BOUNCE", "COMPLAINT")
    via: str = "any"  # sns | event-destination | any


@dataclass(frozen=True)
class SendTest:
    enabled: bool = False  # opt-in: the one write golive makes
    recipients: tuple[str, ...] = ("success",)  # mailbox-simulator scenarios: success, bounce, complaint
    feedback_queue: str | None = None  # an SQS queue ARN subscribed to the bounce/complaint topic
    feedback_wait: float = 60.0  # seconds golive waits for a bounce or complaint notification there


@dataclass(frozen=True)
class SesSection:
    from_address: str | None = None
    # domain -> its custom MAIL FROM domain, or one per region (region -> domain); see ses.cases.configured_mail_from
    domains: Mapping[str, str | Mapping[str, str | None] | None] = field(default_factory=dict)
    configuration_set: str | None = None
    tenant: str | None = None
    production_access: str = "required"  # required | allowed-sandbox
    quota: Quota = Quota()
    reputation: Reputation = Reputation()
    notifications: Notifications = Notifications()
    send_test: SendTest = SendTest()
    # principals (user or role ARNs, or an account's root ARN) allowed to send as the sender besides
    # the configured principals held to it (checks/test_other_senders.py)
    other_senders_allowed: tuple[str, ...] = ()
    placeholder_patterns: tuple[str, ...] = PLACEHOLDER_PATTERNS


@dataclass(frozen=True)
class DmarcPolicy:
    min_policy: str = "quarantine"
    min_pct: int | None = None
    require_rua: bool = True


@dataclass(frozen=True)
class DnsSection:
    resolver: str = "authoritative"  # system | nameservers | authoritative
    nameservers: tuple[tuple[str, int], ...] = ()  # the listed servers, with the resolver: {nameservers: [...]}
    timeout: float = 3.0
    retries: int = 2
    byodkim: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # domain -> its BYODKIM selectors
    dmarc: DmarcPolicy = DmarcPolicy()
    max_spf_lookups: int = 10  # RFC 7208's limit; a config may ask for less


@dataclass(frozen=True)
class BackendSection:
    rds_instance: str | None = None
    iam_db_auth: str = "advisory"  # required | advisory | off (seed 002: "IAM authentication if possible")
    db_user: str | None = None  # the database user the service connects as with IAM authentication
    secrets: tuple[str, ...] = ()
    log_group: str | None = None
    region: str | None = None  # where the database and log group live; None: the first of `regions`
    principal: str = "api"  # the principal of `principals` that uses them


def aws_section(data: Mapping[str, Any]) -> AwsSection:
    given = dict(data)
    defaults = LIVE_RATE_LIMITS if given["mode"] == "live" else {}
    return AwsSection(rate_limits={**defaults, **(given.pop("rate_limits", None) or {})}, **given)


def ses_section(data: Mapping[str, Any]) -> SesSection:
    given = dict(data)
    domains = {d: (spec or {}).get("mail_from") for d, spec in (given.pop("domains", None) or {}).items()}
    notifications = dict(given.pop("notifications", None) or {})
    if "events" in notifications:
        notifications["events"] = tuple(notifications["events"])
    if "other_senders_allowed" in given:
        given["other_senders_allowed"] = tuple(given["other_senders_allowed"])
    if "placeholder_patterns" in given:
        given["placeholder_patterns"] = tuple(given["placeholder_patterns"])
    send_test = dict(given.pop("send_test", None) or {})
    if "recipients" in send_test:
        send_test["recipients"] = tuple(send_test["recipients"])
    return SesSection(
        domains=domains,
        send_test=SendTest(**send_test),
        quota=Quota(**(given.pop("quota", None) or {})),
        reputation=Reputation(**(given.pop("reputation", None) or {})),
        notifications=Notifications(**notifications),
        **given,
    )


def dns_section(data: Mapping[str, Any]) -> DnsSection:
    given = dict(data)
    resolver = given.pop("resolver", DnsSection.resolver)
    listed: tuple[tuple[str, int], ...] = ()
    if isinstance(resolver, Mapping):
        port = resolver.get("port", 53)
        resolver, listed = "nameservers", tuple((address, port) for address in resolver["nameservers"])
    spf = given.pop("spf", None) or {}
    return DnsSection(
        resolver=resolver,
        nameservers=listed,
        byodkim={d.lower(): tuple(s) for d, s in (given.pop("byodkim", None) or {}).items()},
        dmarc=DmarcPolicy(**(given.pop("dmarc", None) or {})),
        max_spf_lookups=spf.get("max_lookups", DnsSection.max_spf_lookups),
        timeout=float(given.pop("timeout", DnsSection.timeout)),
        **given,
    )


def backend_section(data: Mapping[str, Any]) -> BackendSection:
    given = dict(data)
    return BackendSection(secrets=tuple(given.pop("secrets", None) or ()), **given)
