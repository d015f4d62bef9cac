"""SES facts for the checks: the session inventory, the configured limits, and every fact a
check asks for, each with its cases and the evidence it records."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from golive.aws import AwsAccess
from golive.cases import RegionNameCase
from golive.config import Config
from golive.fixtures import Fact, recorded, selected
from golive.ses import cases, discovery, send_test
from golive.ses.inventory import READS as INVENTORY_READS
from golive.ses.inventory import SesInventory

__all__ = ["FACTS", "READS", "ses_feedback_together", "ses_inventory", "ses_limits"]
READS = {**INVENTORY_READS, **discovery.READS, **send_test.READS}  # discovery: `golive init --from-account`


@pytest.fixture(scope="session")
def ses_inventory(aws: AwsAccess, golive_config: Config) -> SesInventory:
    return SesInventory(aws, golive_config)


@pytest.fixture(scope="session")
def ses_feedback_together(request: pytest.FixtureRequest) -> tuple[RegionNameCase, ...]:
    """The run's feedback checks, as its selection left them: their notifications are awaited at
    once, when the first of them runs (SesInventory.feedback)."""
    return tuple(case for _, case in selected(request.session, {"ses_feedback"}))


@dataclass(frozen=True)
class SesLimits:
    """The thresholds of the config's `ses` section, as the checks and their evidence name them."""

    min_max_24_hour_send: float
    min_max_send_rate: float
    max_utilization: float
    max_bounce_rate: float
    max_complaint_rate: float

    def evidence(self, *keys: str) -> dict[str, float]:
        return {key: getattr(self, key) for key in keys}


QUOTA = ("min_max_24_hour_send", "min_max_send_rate", "max_utilization")
REPUTATION = ("max_bounce_rate", "max_complaint_rate")


@pytest.fixture(scope="session")
def ses_limits(golive_config: Config) -> SesLimits:
    quota, reputation = golive_config.ses.quota, golive_config.ses.reputation
    return SesLimits(
        min_max_24_hour_send=quota.min_max_24_hour_send,
        min_max_send_rate=quota.min_max_send_rate,
        max_utilization=quota.max_utilization,
        max_bounce_rate=reputation.max_bounce_rate,
        max_complaint_rate=reputation.max_complaint_rate,
    )


INVENTORY = ("ses_inventory",)
FACTS = (
    Fact(
        "ses_test_send",
        cases.test_sends,
        INVENTORY,
        lambda case, ses: ses.test_send(case.region, case.name),
        recorded("test_send"),
        prefetch=False,
    ),
    Fact(
        "ses_feedback",
        cases.feedback,
        ("ses_inventory", "ses_feedback_together"),
        lambda case, ses, together: ses.feedback(case.region, case.name, together),
        recorded("feedback"),
        prefetch=False,  # it makes test sends, and waits: once, when the first feedback check runs
    ),
    Fact(
        "ses_account",
        cases.regions,
        ("ses_inventory", "ses_limits"),
        lambda case, ses, limits: ses.account(case.region),
        lambda account, ses, limits: {"account": account.evidence(), "limits": limits.evidence(*QUOTA)},
    ),
    Fact(
        "ses_production_access",
        cases.production_regions,
        INVENTORY,
        lambda case, ses: ses.account(case.region),
        recorded("account"),
    ),
    Fact(
        "ses_send_statistics",
        cases.regions,
        ("ses_inventory", "ses_limits"),
        lambda case, ses, limits: ses.statistics(case.region),
        lambda statistics, ses, limits: {
            "send_statistics": statistics.evidence(),
            "limits": limits.evidence(*REPUTATION),
        },
    ),
    Fact(
        "ses_reputation_alarms",
        cases.regions,
        INVENTORY,
        lambda case, ses: ses.reputation_alarms(case.region),
        recorded("reputation_alarms"),
    ),
    Fact(
        "ses_domain",
        cases.domain_identities,
        INVENTORY,
        lambda case, ses: ses.identity(case.region, case.name, ("verification",)),
        recorded("identity"),
    ),
    Fact(
        "ses_domain_dkim",
        cases.domain_identities,
        INVENTORY,
        lambda case, ses: ses.identity(case.region, case.name, ("dkim",)),
        recorded("identity"),
    ),
    Fact(
        "ses_sender", cases.sender, INVENTORY, lambda case, ses: ses.sender(case.region, case.name), recorded("sender")
    ),
    Fact(
        "ses_mail_from",
        cases.mail_from,
        INVENTORY,
        lambda case, ses: ses.mail_from(case.region, case.domain, case.mail_from),
        lambda fact, ses: {"identity": fact.identity.evidence(), "expected_mail_from_domain": fact.expected},
    ),
    Fact(
        "ses_identity_policies",
        cases.sending,
        INVENTORY,
        lambda case, ses: ses.identity_policies(case.region, case.name),
        recorded("identity_policies"),
    ),
    Fact(
        "ses_placeholders",
        cases.regions,
        INVENTORY,
        lambda case, ses: ses.placeholders(case.region),
        recorded("placeholders"),
    ),
    Fact(
        "ses_tenancy",
        cases.tenancy,
        INVENTORY,
        lambda case, ses: ses.tenancy(case.region, case.name),
        recorded("tenancy"),
    ),
    Fact(
        "ses_notification_routes",
        cases.sending,
        INVENTORY,
        lambda case, ses: ses.notification_routes(case.region, case.name),
        recorded("notification_routes"),
    ),
    Fact(
        "ses_notification_topics",
        cases.regions,
        INVENTORY,
        lambda case, ses: ses.notification_topics(case.region),
        recorded("notification_topics"),
    ),
    Fact(
        "ses_configuration_set",
        cases.configuration_set,
        INVENTORY,
        lambda case, ses: ses.configuration_set(case.region, case.name),
        recorded("configuration_set"),
    ),
    Fact(
        "ses_reputation_tracking",
        cases.configuration_set,
        INVENTORY,
        lambda case, ses: ses.reputation_tracking(case.region, case.name),
        recorded("reputation_tracking"),
    ),
)
