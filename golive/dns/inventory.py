"""DNS facts: what SES needs published for each configured domain, checked in DNS as the world
sees it through the configured resolver (golive/dns/resolver.py), never through AWS.

What SES holds (DKIM tokens, the verification token, the MAIL FROM domain) comes from the
SES inventory; this inventory only asks DNS. Each name and type is asked once per run,
however many checks read it; SPF and DMARC trees are walked by checkdmarc, whose answers
are cached for the run too. Queries per domain: DKIM 2 per token and region, the
verification TXT 1, MAIL FROM 1 MX and its SPF tree per region, the domain's SPF tree and
DMARC record (with its report mailboxes' MX); in authoritative mode, plus the SOA/NS/A
queries that find each zone's servers (once per zone).
"""

from __future__ import annotations

from typing import Any

import checkdmarc.utils

from golive.cases import RegionNameCase
from golive.config import Config
from golive.dns.dmarc import DmarcFact, DmarcSettings, evaluate_dmarc
from golive.dns.records import (
    DkimFact,
    MailFromMxFact,
    VerificationFact,
    byodkim_record,
    easy_dkim_record,
)
from golive.dns.resolver import Found, Resolution
from golive.dns.spf import SpfFact, evaluate_spf
from golive.memo import Memo
from golive.ses.cases import configured_mail_from
from golive.ses.inventory import SesInventory
from golive.ses.naming import dkim_name, dmarc_name, verification_name

READS: dict[tuple[str, str], tuple[str, ...]] = {}  # DNS only: what SES holds comes from the SES inventory


class DnsInventory:
    """Session-scoped and thread-safe (golive/memo.py): each name/type, SPF tree and DMARC record is
    resolved once, on first use, whichever thread asks first (golive/prefetch.py)."""

    def __init__(self, resolution: Resolution, config: Config, ses: SesInventory) -> None:
        self.resolution = resolution
        self._config = config
        self._ses = ses
        self._byodkim = config.dns.byodkim
        self._max_lookups = config.dns.max_spf_lookups
        self._dmarc = DmarcSettings.from_config(config)
        self._once = Memo()
        # checkdmarc keeps a process-wide answer cache; a run starts from what DNS serves now
        checkdmarc.utils.DNS_CACHE.clear()

    def lookup(self, name: str, rdtype: str) -> Found:
        return self._once(("lookup", name.lower(), rdtype), lambda: self.resolution.lookup(name, rdtype))

    def describe_resolver(self) -> dict[str, Any]:
        settings = self.resolution.settings
        return {"mode": settings.mode, "servers": self.resolution.settings.describe(), "timeout": settings.timeout}

    # --- facts ---------------------------------------------------------------------

    def dkim(self, case: RegionNameCase) -> DkimFact:
        identity = self._ses.identity(case.region, case.name, ("dkim",))
        byodkim = self._byodkim.get(case.name, ())
        records = []
        for token in identity.dkim_tokens:
            if token in byodkim:
                continue
            cname = self.lookup(dkim_name(token, case.name), "CNAME")
            key = self.lookup(dkim_name(token, case.name), "TXT") if cname.outcome == "answer" else None
            records.append(easy_dkim_record(token, case.name, case.region, cname, key))
        for selector in byodkim:
            records.append(byodkim_record(selector, case.name, self.lookup(dkim_name(selector, case.name), "TXT")))
        return DkimFact(case.region, case.name, identity.exists, tuple(records))

    def verification(self, case: RegionNameCase) -> VerificationFact:
        identity = self._ses.identity(case.region, case.name, ("verification",))
        token = identity.verification_token
        found = self.lookup(verification_name(case.name), "TXT") if identity.exists and token else None
        return VerificationFact(case.region, case.name, identity.exists, token, found)

    def mail_from(self, case: RegionNameCase) -> tuple[str, str]:
        """The MAIL FROM domain SES uses for the identity, or the configured one while SES has none."""
        identity = self._ses.identity(case.region, case.name, ("mail_from",))
        if identity.mail_from_domain:
            return identity.mail_from_domain.lower(), "SES's MAIL FROM domain"
        return str(configured_mail_from(self._config, case.name, case.region)), "the configured MAIL FROM domain"

    def mail_from_mx(self, case: RegionNameCase) -> MailFromMxFact:
        mail_from, source = self.mail_from(case)
        return MailFromMxFact(case.region, case.name, mail_from, source, self.lookup(mail_from, "MX"))

    def mail_from_spf(self, case: RegionNameCase) -> SpfFact:
        mail_from, source = self.mail_from(case)
        return self.spf(mail_from, f"{source} of {case.name} in {case.region}")

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
