"""SES cases from the config: regions, the sending identities in each, the MAIL FROM domains."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from golive.cases import RegionCase, RegionNameCase
from golive.config import Config
from golive.ses.send_test import EVENT as FEEDBACK
from golive.ses.send_test import SIMULATOR, SendSettings, Setting


@dataclass(frozen=True)
class MailFromCase:
    region: str
    domain: str
    mail_from: str

    @property
    def id(self) -> str:
        return f"{self.region}-{self.mail_from}"


def domains(config: Config) -> list[str]:
    return sorted(config.ses.domains)


def configured_mail_from(config: Config, domain: str, region: str | None = None) -> str | None:
    """The domain's custom MAIL FROM domain in `region`: the one name of the single form, or the
    region's own of the per-region form; without a region (DMARC's alignment, which is region-less),
    that of the first configured region that has one."""
    given = config.ses.domains.get(domain)
    if not isinstance(given, Mapping):
        return given
    if region is not None:
        return given.get(region)
    return next((given[r] for r in config.regions if given.get(r)), None)


def sending_identities(config: Config) -> list[str]:
    """The identities the service sends as: each configured domain, and the From address
    where its domain is not one of them."""
    sender = config.ses.from_address
    if sender and sender.rpartition("@")[2] not in domains(config):
        return [*domains(config), sender]
    return domains(config)


def regions(config: Config) -> list[RegionCase]:
    return [RegionCase(r) for r in config.regions]


def production_regions(config: Config) -> list[RegionCase]:
    """The regions where the environment requires production access."""
    return regions(config) if config.ses.production_access == "required" else []


def domain_identities(config: Config) -> list[RegionNameCase]:
    return [RegionNameCase(r, d) for r in config.regions for d in domains(config)]


def sender(config: Config) -> list[RegionNameCase]:
    address = config.ses.from_address
    return [RegionNameCase(r, address) for r in config.regions] if address else []


def sending(config: Config) -> list[RegionNameCase]:
    return [RegionNameCase(r, name) for r in config.regions for name in sending_identities(config)]


def tenancy(config: Config) -> list[RegionNameCase]:
    return sending(config) if config.ses.tenant else []


def mail_from(config: Config) -> list[MailFromCase]:
    return [
        MailFromCase(region, domain, found)
        for region in config.regions
        for domain in domains(config)
        if (found := configured_mail_from(config, domain, region))
    ]


def configuration_set(config: Config) -> list[RegionNameCase]:
    name = config.ses.configuration_set
    return [RegionNameCase(r, name) for r in config.regions] if name else []


def test_sends(config: Config) -> list[RegionNameCase]:
    """With the test send on: one message per region and mailbox-simulator recipient."""
    send = config.ses.send_test
    if not send.enabled or not config.ses.from_address:
        return []
    return [RegionNameCase(r, SIMULATOR[kind]) for r in config.regions for kind in send.recipients]


def send_settings(config: Config, region: str) -> SendSettings:
    """The config keys a test send in `region` is made from, each with its value and the file that
    sets it, for the fix of a refusal to name."""
    sender = config.ses.from_address or ""
    domain = sender.rpartition("@")[2]
    mail_from = ("ses", "domains", domain, "mail_from")
    if isinstance(config.ses.domains.get(domain), Mapping):  # one MAIL FROM name per region
        mail_from = (*mail_from, region)

    def setting(key: tuple[str, ...], value: str | None) -> Setting:
        return Setting(".".join(key), value, str(config.file_of(*key)))

    return SendSettings(
        setting(("ses", "from_address"), sender),
        setting(("ses", "configuration_set"), config.ses.configuration_set),
        setting(mail_from, configured_mail_from(config, domain, region)),
        setting(("ses", "send_test", "feedback_queue"), config.ses.send_test.feedback_queue),
        setting(("ses", "send_test", "feedback_wait"), f"{config.ses.send_test.feedback_wait:g}"),
    )


def feedback(config: Config) -> list[RegionNameCase]:
    """With a feedback queue configured: each test send whose simulator recipient gives feedback."""
    if not config.ses.send_test.feedback_queue:
        return []
    return [case for case in test_sends(config) if case.name.partition("@")[0] in FEEDBACK]
