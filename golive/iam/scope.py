"""What a permission is asked about: the resources and request context of one action in one region.

The same scope serves the question (what the simulator is asked) and the fix (what the
least-privilege policy grants), so the policy golive offers is exactly the one it checks.
"""

from __future__ import annotations

from golive.aws import partition
from golive.config import Config, Principal
from golive.iam import catalog


def sender_domains(config: Config) -> tuple[str, ...]:
    """The SES identities a send is authorized against: the configured domains, else the sender's."""
    domains = tuple(sorted(config.ses.domains))
    if domains:
        return domains
    sender = config.ses.from_address
    return (sender.split("@", 1)[1],) if sender else ()


def identity_arn(region: str, account: str, identity: str) -> str:
    """The ARN of an SES identity (a domain or an address) in a region."""
    return f"arn:{partition(region)}:ses:{region}:{account}:identity/{identity}"


def resources(action: str, region: str, config: Config, principal: Principal) -> tuple[str, ...]:
    """ARNs to evaluate `action` on in `region`; ("*",) for actions IAM cannot scope."""
    if action in principal.resources:
        return tuple(r.replace("${Region}", region) for r in principal.resources[action])
    formats = " ".join(catalog.resource_formats(action))
    prefix = f"arn:{partition(region)}"
    account = config.account_id
    configuration_set = config.ses.configuration_set
    if ":identity/" in formats and sender_domains(config):
        found = tuple(identity_arn(region, account, d) for d in sender_domains(config))
        if ":configuration-set/" in formats and configuration_set:
            # a send through a configuration set is authorized on the set too, not on the identity alone
            found += (f"{prefix}:ses:{region}:{account}:configuration-set/{configuration_set}",)
        return found
    if ":configuration-set/" in formats and configuration_set:
        return (f"{prefix}:ses:{region}:{account}:configuration-set/{configuration_set}",)
    if ":log-group:" in formats and config.backend.log_group:
        group = f"{prefix}:logs:{region}:{account}:log-group:{config.backend.log_group}"
        return (f"{group}:log-stream:*",) if ":log-stream:" in formats else (f"{group}:*",)
    if ":secret:" in formats and config.backend.secrets:
        in_region = tuple(s for s in config.backend.secrets if s.split(":")[3] == region)
        if in_region:
            return in_region
    return ("*",)


def context(action: str, region: str, config: Config) -> dict[str, str]:
    """Condition keys the request would carry: the region always, the sender on send actions."""
    found = {"aws:RequestedRegion": region}
    sender = config.ses.from_address
    if sender and "ses:FromAddress" in catalog.condition_keys(action):
        found["ses:FromAddress"] = sender
    return found
