"""DNS facts: what SES needs published for each configured domain, checked in DNS as the world
sees it through the configured resolver (golive/resolver.py), never through AWS.

What SES holds (DKIM tokens, the verification token, the MAIL FROM domain) comes from the
SES inventory; this inventory only asks DNS. Each name and type is asked once per run,
however many checks read it; SPF and DMARC trees are walked by checkdmarc, whose answers
are cached for the run too. Queries per domain: DKIM 2 per token and region, the
verification TXT 1, MAIL FROM 1 MX and its SPF tree per region, the domain's SPF tree and
DMARC record (with its report mailboxes' MX); in authoritative mode, plus the SOA/NS/A
queries that find each zone's servers (once per zone).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import checkdmarc.utils

from golive.config import Config
from golive.errors import CouldNotSee
from golive.inventory.dns_dmarc import DmarcFact, DmarcSettings, evaluate_dmarc
from golive.inventory.dns_records import (
    DkimFact,
    MailFromMxFact,
    VerificationFact,
    byodkim_record,
    easy_dkim_record,
)
from golive.inventory.dns_spf import RFC_MAX_LOOKUPS, SpfFact, evaluate_spf
from golive.inventory.ses import Identity
from golive.resolver import Found, Resolution
from golive.sesdns import dkim_name, dmarc_name, verification_name

READ_PERMISSIONS: tuple[str, ...] = ()  # DNS only: what SES holds comes from the SES inventory


@dataclass(frozen=True)
class DomainCase:
    domain: str

    @property
    def id(self) -> str:
        return self.domain


@dataclass(frozen=True)
class RegionDomainCase:
    """A configured domain in a region: SES's DKIM tokens, verification token and MAIL FROM are regional."""

    region: str
    domain: str

    @property
    def id(self) -> str:
        return f"{self.region}-{self.domain}"


def domains(config: Config) -> list[str]:
    return sorted(config.ses.get("domains") or {})


def configured_mail_from(config: Config, domain: str) -> str | None:
    return ((config.ses.get("domains") or {}).get(domain) or {}).get("mail_from")


def _region_cases(config: Config, mail_from_only: bool = False) -> list[RegionDomainCase]:
    return [
        RegionDomainCase(region, domain)
        for region in config.regions
        for domain in domains(config)
        if not mail_from_only or configured_mail_from(config, domain)
    ]


# fixture name -> the cases it is parametrized with (see golive.inventory.cases_for)
CASES = {
    "dkim_records": _region_cases,
    "verification_record": _region_cases,
    "mail_from_mx": lambda config: _region_cases(config, mail_from_only=True),
    "mail_from_spf": lambda config: _region_cases(config, mail_from_only=True),
    "domain_spf": lambda config: [DomainCase(d) for d in domains(config)],
    "domain_dmarc": lambda config: [DomainCase(d) for d in domains(config)],
}


class DnsInventory:
    """Session-scoped: each name/type, SPF tree and DMARC record is resolved once, on first use."""

    def __init__(self, resolution: Resolution, config: Config) -> None:
        self.resolution = resolution
        self._config = config
        dns_config = config.data.get("dns") or {}
        self._byodkim = {d.lower(): tuple(s) for d, s in (dns_config.get("byodkim") or {}).items()}
        self._max_lookups = (dns_config.get("spf") or {}).get("max_lookups", RFC_MAX_LOOKUPS)
        self._dmarc = DmarcSettings.from_config(config)
        self._cache: dict[tuple[str, ...], Any] = {}
        self._lock = threading.RLock()
        # checkdmarc keeps a process-wide answer cache; a run starts from what DNS serves now
        checkdmarc.utils.DNS_CACHE.clear()

    def _once(self, key: tuple[str, ...], read: Any) -> Any:
        """`read()` once per key; a could-not-see is remembered too, so it is reported the same everywhere."""
        with self._lock:
            if key not in self._cache:
                try:
                    self._cache[key] = read()
                except CouldNotSee as exc:
                    self._cache[key] = exc
            found = self._cache[key]
        if isinstance(found, CouldNotSee):
            raise found
        return found

    def lookup(self, name: str, rdtype: str) -> Found:
        return self._once(("lookup", name.lower(), rdtype), lambda: self.resolution.lookup(name, rdtype))

    def describe_resolver(self) -> dict[str, Any]:
        settings = self.resolution.settings
        return {"mode": settings.mode, "servers": self.resolution.settings.describe(), "timeout": settings.timeout}

    # --- facts ---------------------------------------------------------------------

    def dkim(self, case: RegionDomainCase, identity: Identity) -> DkimFact:
        byodkim = self._byodkim.get(case.domain, ())
        records = []
        for token in identity.dkim_tokens:
            if token in byodkim:
                continue
            cname = self.lookup(dkim_name(token, case.domain), "CNAME")
            key = self.lookup(dkim_name(token, case.domain), "TXT") if cname.outcome == "answer" else None
            records.append(easy_dkim_record(token, case.domain, case.region, cname, key))
        for selector in byodkim:
            records.append(byodkim_record(selector, case.domain, self.lookup(dkim_name(selector, case.domain), "TXT")))
        return DkimFact(case.region, case.domain, identity.exists, tuple(records))

    def verification(self, case: RegionDomainCase, identity: Identity) -> VerificationFact:
        token = identity.verification_token
        found = self.lookup(verification_name(case.domain), "TXT") if identity.exists and token else None
        return VerificationFact(case.region, case.domain, identity.exists, token, found)

    def mail_from(self, case: RegionDomainCase, identity: Identity) -> tuple[str, str]:
        """The MAIL FROM domain SES uses for the identity, or the configured one while SES has none."""
        if identity.mail_from_domain:
            return identity.mail_from_domain.lower(), "SES's MAIL FROM domain"
        return str(configured_mail_from(self._config, case.domain)), "the configured MAIL FROM domain"

    def mail_from_mx(self, case: RegionDomainCase, identity: Identity) -> MailFromMxFact:
        mail_from, source = self.mail_from(case, identity)
        return MailFromMxFact(case.region, case.domain, mail_from, source, self.lookup(mail_from, "MX"))

    def spf(self, domain: str, purpose: str) -> SpfFact:
        def read() -> SpfFact:
            found = self.lookup(domain, "TXT")
            return evaluate_spf(self.resolution, domain, purpose, found, self._max_lookups)

        return self._once(("spf", domain.lower(), purpose), read)

    def dmarc(self, domain: str) -> DmarcFact:
        def read() -> DmarcFact:
            found = self.lookup(dmarc_name(domain), "TXT")
            return evaluate_dmarc(
                self.resolution, domain, found, self._dmarc, configured_mail_from(self._config, domain)
            )

        return self._once(("dmarc", domain.lower()), read)
