"""DMARC as receivers find it, on checkdmarc's lookup (with RFC 9989's tree walk) and parser,
judged against the environment's minimum: policy, pct and aggregate reports.

checkdmarc follows RFC 9989, which dropped `pct`; golive reads `pct` from the record checkdmarc
validated, because receivers still honour it and a config may ask for a minimum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import checkdmarc.dmarc as cdmarc
import checkdmarc.utils as cutils

from golive.config import Config
from golive.dns.records import zone_line
from golive.dns.resolver import Found, Resolution
from golive.ses.naming import dmarc_name

POLICIES = ("none", "quarantine", "reject")  # weakest first
PRODUCTION_MINIMUM = "quarantine"  # a production environment never accepts a monitoring-only policy
DMARC_RECORD = re.compile(r"^v\s*=\s*DMARC1\s*(;|$)")
PCT = re.compile(r"(?:^|;)\s*pct\s*=\s*([0-9]+)\s*(?=;|$)", re.IGNORECASE)
KEPT_TAGS = ("sp", "adkim", "aspf", "ruf", "fo")  # carried over when golive proposes a record


@dataclass(frozen=True)
class DmarcSettings:
    min_policy: str
    min_pct: int | None
    require_rua: bool
    production: bool

    @classmethod
    def from_config(cls, config: Config) -> DmarcSettings:
        dmarc = config.dns.dmarc
        return cls(dmarc.min_policy, dmarc.min_pct, dmarc.require_rua, config.production)

    @property
    def required_pct(self) -> int:
        """How much of the mail the policy must apply to: all of it unless the config accepts less,
        since a policy applied to a sample leaves the rest to the next weaker one."""
        if self.min_pct is not None:
            return self.min_pct
        return 100 if self.minimum != "none" else 0

    @property
    def minimum(self) -> str:
        floor = PRODUCTION_MINIMUM if self.production else "none"
        return max(self.min_policy, floor, key=POLICIES.index)

    def describe_minimum(self) -> str:
        if self.minimum != self.min_policy:
            return f"{self.minimum} (a production environment; the config asks for {self.min_policy})"
        return self.minimum


@dataclass(frozen=True)
class DmarcFact:
    domain: str
    settings: DmarcSettings
    found: Found  # the TXT records at _dmarc.<domain>
    record: str | None = None  # the record that applies, where checkdmarc found one
    location: str | None = None  # the domain it was found for (an ancestor, by RFC 9989's tree walk)
    error: str | None = None
    tags: dict[str, Any] = field(default_factory=dict, compare=False)
    rua_problems: tuple[str, ...] = ()
    unauthorized_report_domains: tuple[str, ...] = ()
    alignment: dict[str, Any] = field(default_factory=dict, compare=False)
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def dmarc_records(self) -> tuple[str, ...]:
        return tuple(r for r in self.found.records if DMARC_RECORD.match(r))

    @property
    def policy(self) -> str | None:
        """The policy receivers apply to the domain: p, or sp when the record is an ancestor's."""
        if not self.tags:
            return None
        return self.tags["p" if self.location == self.domain else "sp"]["value"]

    @property
    def pct(self) -> int:
        match = PCT.search(self.record or "")
        return int(match.group(1)) if match else 100

    @property
    def rua(self) -> tuple[str, ...]:
        uris = (self.tags.get("rua") or {}).get("value") or []
        return tuple(f"{uri['scheme']}:{uri['address']}" for uri in uris)

    def problems(self) -> list[str]:
        records = self.dmarc_records
        if len(records) > 1:
            return [
                f"{len(records)} DMARC records at {dmarc_name(self.domain)}: receivers discard them all "
                "(RFC 9989 §4.10), so the domain has no DMARC policy"
            ]
        if self.error or self.policy is None:
            return [f"no valid DMARC record: {self.error}"]
        found = []
        inherited = "" if self.location == self.domain else f" (sp of {dmarc_name(self.location or '')})"
        if POLICIES.index(self.policy) < POLICIES.index(self.settings.minimum):
            found.append(f"policy {self.policy}{inherited} is below the minimum {self.settings.describe_minimum()}")
        if self.pct < self.settings.required_pct:
            found.append(
                f"pct={self.pct} applies the policy to {self.pct}% of the mail only, less than the required "
                f"{self.settings.required_pct}%: receivers apply the next weaker policy to the rest (RFC 7489 §6.6.4)"
            )
        if self.settings.require_rua:
            if not self.rua:
                found.append("no rua: nobody receives the aggregate reports the environment requires")
            found.extend(self.rua_problems)
        return found

    @property
    def ok(self) -> bool:
        return not self.problems()

    def explain(self) -> str:
        lines = [f"DMARC of {self.domain}:"]
        lines += [f"  - {problem}" for problem in self.problems()]
        lines += [f'  found: "{record}"' for record in self.dmarc_records]
        if self.record and self.location != self.domain:
            lines.append(f'  applies: "{self.record}" from {dmarc_name(self.location or "")}')
        many = len(self.dmarc_records) > 1
        lines.append(f"Fix: {'replace them with' if many else 'publish'} this record:")
        lines.append(zone_line(dmarc_name(self.domain), "TXT", self.fixed_record()))
        lines += self.authorization_lines()
        return "\n".join(lines)

    def fixed_record(self) -> str:
        """A record meeting the environment's minimum, keeping what the published one says."""
        policy = self.policy if self.policy and self.location == self.domain and not self.error else "none"
        tags = ["v=DMARC1", f"p={max(policy, self.settings.minimum, key=POLICIES.index)}"]
        if self.tags and self.location == self.domain and not self.error:
            explicit = [t for t in KEPT_TAGS if (self.tags.get(t) or {}).get("explicit")]
            tags += [f"{t}={_tag_text(self.tags[t]['value'])}" for t in explicit]
            if PCT.search(self.record or "") and self.pct >= self.settings.required_pct:
                tags.append(f"pct={self.pct}")
        rua = [r for r in self.rua if r.startswith("mailto:")] or [
            f"mailto:{address}" for record in self.dmarc_records for address in _rua_addresses(record)
        ]
        if rua or self.settings.require_rua:
            tags.append("rua=" + ",".join(dict.fromkeys(rua or [f"mailto:dmarc-reports@{self.domain}"])))
        return "; ".join(tags)

    def authorization_lines(self) -> list[str]:
        """External report domains must agree to receive reports (RFC 7489 §7.1)."""
        return [
            zone_line(f"{self.location or self.domain}._report._dmarc.{other}", "TXT", "v=DMARC1")
            for other in self.unauthorized_report_domains
        ]

    def evidence(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "dmarc_records": list(self.dmarc_records),
            "record": self.record,
            "location": self.location,
            "error": self.error,
            "policy": self.policy,
            "pct": self.pct if self.record else None,
            "rua": list(self.rua),
            "minimum": {
                "policy": self.settings.minimum,
                "pct": self.settings.min_pct,
                "require_rua": self.settings.require_rua,
                "production": self.settings.production,
            },
            "alignment": self.alignment,
            "warnings": list(self.warnings),
        }


def evaluate_dmarc(
    resolution: Resolution, domain: str, found: Found, settings: DmarcSettings, mail_from: str | None
) -> DmarcFact:
    """Find and judge the DMARC policy of `domain`; CouldNotSee if DNS failed on the way."""
    watch = resolution.watched()
    options = {
        "resolver": watch,
        "nameservers": resolution.fallback_nameservers,
        "timeout": resolution.settings.timeout,
        "retries": 0,  # the resolver retries already (dns.retries)
        "ignore_unrelated_records": True,  # receivers skip TXT records that are not DMARC
    }
    record = location = error = None
    tags: dict[str, Any] = {}
    warnings: list[str] = []
    try:
        query = cdmarc.query_dmarc_record(domain, **options)
        record, location, warnings = query["record"], query["location"], list(query["warnings"])
        parsed = cdmarc.parse_dmarc_record(record, location, **options)
        tags, warnings = parsed["tags"], warnings + parsed["warnings"]
    except cdmarc.DMARCError as exc:
        error = str(exc)
    fact = DmarcFact(domain, settings, found, record, location, error, tags, warnings=tuple(warnings))
    problems, unauthorized = _report_problems(fact, options) if settings.require_rua and tags else ((), ())
    watch.raise_first_failure()
    return DmarcFact(
        domain,
        settings,
        found,
        record,
        location,
        error,
        tags,
        rua_problems=problems,
        unauthorized_report_domains=unauthorized,
        alignment=alignment(domain, mail_from, tags),
        warnings=tuple(warnings),
    )


def _report_problems(fact: DmarcFact, options: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Aggregate-report mailboxes that cannot receive (external domains that did not agree, no
    MX), and the external domains that must publish an authorization record."""
    problems, unauthorized = [], []
    lookup = {k: v for k, v in options.items() if k != "ignore_unrelated_records"}
    source = fact.location or fact.domain
    for uri in fact.rua:
        scheme, _, address = uri.partition(":")
        if scheme != "mailto":
            continue
        mailbox_domain = address.rsplit("@", 1)[-1].lower()
        try:
            cdmarc.verify_dmarc_report_destination(source, mailbox_domain, **options)
        except cdmarc.UnverifiedDMARCURIDestination:
            unauthorized.append(mailbox_domain)
            problems.append(
                f"rua mailbox {address}: {mailbox_domain} does not agree to receive {source}'s reports "
                f'(no {source}._report._dmarc.{mailbox_domain} TXT "v=DMARC1")'
            )
        try:
            has_mx = bool(cutils.get_mx_records(mailbox_domain, **lookup))
        except cutils.DNSException:
            has_mx = False
        if not has_mx:
            problems.append(f"rua mailbox {address}: {mailbox_domain} has no MX, so reports cannot be delivered")
    return tuple(problems), tuple(unauthorized)


def alignment(domain: str, mail_from: str | None, tags: dict[str, Any]) -> dict[str, Any]:
    """How mail SES sends as `domain` can pass DMARC: SPF through the MAIL FROM domain, DKIM through d=."""
    aspf = (tags.get("aspf") or {}).get("value", "r")
    adkim = (tags.get("adkim") or {}).get("value", "r")
    org = cutils.get_base_domain
    if mail_from is None:
        spf_aligned, note = False, "no custom MAIL FROM: SPF passes for amazonses.com, which never aligns"
    elif aspf == "s":
        spf_aligned = mail_from == domain
        note = f"aspf=s: MAIL FROM {mail_from} aligns only if it equals {domain}"
    else:
        spf_aligned = org(mail_from) == org(domain)
        note = f"aspf=r: MAIL FROM {mail_from} aligns with {domain} (same organizational domain)"
    return {
        "from_domain": domain,
        "mail_from": mail_from,
        "aspf": aspf,
        "spf_aligned": spf_aligned,
        "adkim": adkim,
        "dkim_aligned": True,  # Easy DKIM signs with d=<the identity's domain>, the From domain itself
        "note": note + ("" if spf_aligned else "; DMARC then relies on DKIM alone"),
    }


def _tag_text(value: Any) -> str:
    if isinstance(value, list):  # report URIs, as checkdmarc parses them
        return ",".join(f"{uri['scheme']}:{uri['address']}" for uri in value)
    return str(value)


def _rua_addresses(record: str) -> list[str]:
    match = re.search(r"(?:^|;)\s*rua\s*=\s*([^;]+)", record, re.IGNORECASE)
    if not match:
        return []
    return [
        uri.strip()[len("mailto:") :] for uri in match.group(1).split(",") if uri.strip().lower().startswith("mailto:")
    ]
