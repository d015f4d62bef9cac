"""DNS facts for the checks: what SES holds (from the SES inventory), looked up in DNS."""

from __future__ import annotations

from typing import Any

import pytest

from golive.cases import NameCase, RegionNameCase
from golive.config import Config
from golive.dns.inventory import READS, DnsInventory
from golive.dns.resolver import Resolution, ResolverSettings
from golive.fixtures import Fact
from golive.ses.cases import configured_mail_from, domain_identities, domains
from golive.ses.inventory import SesInventory
from golive.stash import RUN

__all__ = ["FACTS", "READS", "dns_inventory", "dns_resolution"]


@pytest.fixture(scope="session")
def dns_resolution(pytestconfig: pytest.Config, golive_config: Config) -> Resolution:
    """The configured resolver; in moto mode the embedded DNS server answers, whatever the mode."""
    embedded = pytestconfig.stash[RUN].embedded
    address = embedded.dns_address if embedded is not None else None
    return Resolution(ResolverSettings.of(golive_config.dns, address))


@pytest.fixture(scope="session")
def dns_inventory(dns_resolution: Resolution, golive_config: Config, ses_inventory: SesInventory) -> DnsInventory:
    return DnsInventory(dns_resolution, golive_config, ses_inventory)


def _with_mail_from(config: Config) -> list[RegionNameCase]:
    return [case for case in domain_identities(config) if configured_mail_from(config, case.name, case.region)]


def _domains(config: Config) -> list[NameCase]:
    return [NameCase(d) for d in domains(config)]


def _evidence(name: str) -> Any:
    """The fact's evidence, with the resolver that found it."""
    return lambda fact, dns: {name: {**fact.evidence(), "resolver": dns.describe_resolver()}}


INVENTORY = ("dns_inventory",)
# DKIM tokens, the verification token and the MAIL FROM domain are regional: each domain is
# checked in each region, as SES's identity checks are.
FACTS = (
    Fact("dkim_records", domain_identities, INVENTORY, lambda case, dns: dns.dkim(case), _evidence("dkim")),
    Fact(
        "verification_record",
        domain_identities,
        INVENTORY,
        lambda case, dns: dns.verification(case),
        _evidence("verification_txt"),
    ),
    Fact(
        "mail_from_mx", _with_mail_from, INVENTORY, lambda case, dns: dns.mail_from_mx(case), _evidence("mail_from_mx")
    ),
    Fact(
        "mail_from_spf",
        _with_mail_from,
        INVENTORY,
        lambda case, dns: dns.mail_from_spf(case),
        _evidence("mail_from_spf"),
    ),
    Fact(
        "domain_spf",
        _domains,
        INVENTORY,
        lambda case, dns: dns.spf(case.name, "sending domain"),
        _evidence("spf"),
    ),
    Fact("domain_dmarc", _domains, INVENTORY, lambda case, dns: dns.dmarc(case.name), _evidence("dmarc")),
)
