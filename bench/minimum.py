"""What a generated world's audit must cost at the least, and what it would cost one call per check.

The minimum (issue 13): STS 1 and IAM's authorization details 1 a run; per region SES's account 1,
ListIdentities ⌈I/1000⌉, the four batched attribute reads ⌈I/100⌉ each, the statistics 1, the
configuration set 2 (its event destinations and its reputation options), the sending identity's
policies 1, its SNS topic 1 and the alarms 1 (a page holds 100); the backend's instance, secret and
log group 1 each, in their region; and the simulations, which need not grow with identities:
one call per context, with every action and resource of that context in it. A principal held to
the sender asks, in each region, its actions without a sender (one context) and its sends as the
sender (another). Its scope probes (other senders of the region, the SES regions outside the
config) are answered by golive's local engine where it is sure of a denial, and a compliant
account's cost no more than the simulator's confirmation sample: golive.iam.probing.SAMPLE per
check, whatever the number of identities and regions (docs/simulations.md says why the verdicts
stay exact).

Every count but the simulations' is exact: what the calls are is fixed by the API's page sizes.
The simulations' is a floor, the fewest contexts the questions have.
"""

from __future__ import annotations

import math
from collections import Counter

from bench.worlds import SEND_ACTIONS, Shape
from golive.iam.probing import SAMPLE

SIMULATION = "iam:SimulatePrincipalPolicy"
GLOBAL = {"sts:GetCallerIdentity": 1, "iam:GetAccountAuthorizationDetails": 1}
BACKEND = {"rds:DescribeDBInstances": 1, "secretsmanager:DescribeSecret": 1, "logs:DescribeLogGroups": 1}
ATTRIBUTE_READS = (
    "ses:GetIdentityVerificationAttributes",
    "ses:GetIdentityDkimAttributes",
    "ses:GetIdentityMailFromDomainAttributes",
    "ses:GetIdentityNotificationAttributes",
)
OTHER_SENDERS = 2  # probes of senders that are not the configured one, per principal and region


def minimum_calls(shape: Shape, ses_regions: int) -> dict[str, int]:
    """The fewest AWS calls per operation an audit of `shape`'s world makes, in an account where
    SES is offered in `ses_regions` regions."""
    per_region = {
        "sesv2:GetAccount": 1,
        "ses:ListIdentities": math.ceil(shape.identities / 1000),
        **dict.fromkeys(ATTRIBUTE_READS, math.ceil(shape.identities / 100)),
        "ses:GetSendStatistics": 1,
        "sesv2:GetConfigurationSetEventDestinations": 1,
        "sesv2:GetConfigurationSet": 1,
        "ses:ListIdentityPolicies": 1,
        "sns:ListSubscriptionsByTopic": 1,
        "cloudwatch:DescribeAlarms": 1,
    }
    calls = Counter(GLOBAL) + Counter(BACKEND)
    for operation, count in per_region.items():
        calls[operation] += count * shape.regions
    calls[SIMULATION] = shape.principals * simulations_per_principal(shape, ses_regions)
    return dict(sorted(calls.items()))


def simulations_per_principal(shape: Shape, ses_regions: int) -> int:
    """The contexts of one principal's questions, and the sample of its scope probes."""
    sends = any(a in SEND_ACTIONS for a in shape.must_allow)
    plain = any(a not in SEND_ACTIONS for a in shape.must_allow + shape.must_deny)
    other_senders = OTHER_SENDERS + shape.identities - 1
    in_regions = shape.regions * (plain + sends * (1 + min(SAMPLE, other_senders)))
    return in_regions + sends * min(SAMPLE, ses_regions - shape.regions)


def per_check_calls(checks: list[str], shape: Shape, ses_regions: int) -> int:
    """What the audit would cost one call per check and resource, nothing shared or batched
    (awspec's way), given the node ids of the checks a run ran.

    A check of one resource asks once. The placeholder check looks at every identity of its
    region (one describe each); the sender check asks for each other sender it probes (the
    two of the minimum and every other identity of the region) and the region check for each SES
    region outside the config."""
    per_case = {
        "test_no_placeholder_identities": shape.identities,
        "test_sending_as_another_sender_is_denied": OTHER_SENDERS + shape.identities - 1,
        "test_sending_outside_the_regions_is_denied": ses_regions - shape.regions,
    }
    return 1 + sum(per_case.get(node.split("::")[-1].split("[")[0], 1) for node in checks)  # 1: STS
