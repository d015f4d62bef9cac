"""Least-privilege facts: who else the service could send as, where else it could send from,
what its policies contain, and whether it holds long-lived keys.

These facts combine the other inventories (simulations, IAM's policies, SES identities);
they make no calls of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from golive.aws import ses_regions
from golive.config import Config, Principal
from golive.iam import hygiene, scope
from golive.iam.cases import PrincipalCase, SenderCase, send_actions
from golive.iam.inventory import PermissionInventory, ResourceDecision
from golive.iam.principals import AccessKey, Principals
from golive.ses.inventory import SesInventory

OUTSIDE_DOMAIN = "golive-probe.invalid"  # RFC 2606: can never be anyone's real sender domain


@dataclass(frozen=True)
class Probe:
    """One request the service must not be able to make, and IAM's answer."""

    sender: str
    region: str
    decisions: tuple[ResourceDecision, ...]

    @property
    def allowed(self) -> bool:
        return any(d.decision == "allowed" for d in self.decisions)

    def evidence(self) -> dict[str, Any]:
        return {
            "sender": self.sender,
            "region": self.region,
            "decisions": [
                {"resource": d.resource, "decision": d.decision, "statements": list(d.statements)}
                for d in self.decisions
            ],
        }


@dataclass(frozen=True)
class ScopeFacts:
    principal: Principal
    principal_arn: str
    action: str
    probes: tuple[Probe, ...]
    engine: str

    @property
    def leaks(self) -> tuple[Probe, ...]:
        return tuple(p for p in self.probes if p.allowed)

    def evidence(self) -> dict[str, Any]:
        return {
            "principal": self.principal.name,
            "principal_arn": self.principal_arn,
            "action": self.action,
            "engine": self.engine,
            "probes": [p.evidence() for p in self.probes],
        }


def other_senders(case: SenderCase, config: Config, ses: SesInventory) -> list[tuple[str, tuple[str, ...]]]:
    """(sender, identity ARNs it would be authorized against) for every sender that is not the configured one."""
    sender = str(config.ses.from_address).lower()
    own_domain = sender.split("@", 1)[1]
    probes = {
        f"golive-probe@{own_domain}": (scope.identity_arn(case.region, config.account_id, own_domain),),
        f"golive-probe@{OUTSIDE_DOMAIN}": (scope.identity_arn(case.region, config.account_id, OUTSIDE_DOMAIN),),
    }
    for name in ses.identity_names(case.region):
        if name in (sender, own_domain):
            continue
        address = name if "@" in name else f"golive-probe@{name}"
        probes[address] = (scope.identity_arn(case.region, config.account_id, name),)
    return sorted(probes.items())


def sender_scope(case: SenderCase, config: Config, permissions: PermissionInventory, ses: SesInventory) -> ScopeFacts:
    probes, engine = [], ""
    for address, resources in other_senders(case, config, ses):
        context = {"aws:RequestedRegion": case.region, "ses:FromAddress": address}
        decided, engine = permissions.decide(case.principal, send_actions(case.principal), resources, context)
        probes.append(Probe(address, case.region, decided[case.action]))
    return ScopeFacts(case.principal, permissions.principal_arn(case.principal), case.action, tuple(probes), engine)


def region_scope(case: SenderCase, config: Config, permissions: PermissionInventory) -> ScopeFacts:
    sender = config.ses.from_address
    probes, engine = [], ""
    for region in (r for r in ses_regions() if r not in config.regions):
        resources = tuple(scope.identity_arn(region, config.account_id, d) for d in scope.sender_domains(config)) or (
            "*",
        )
        context = {"aws:RequestedRegion": region, **({"ses:FromAddress": sender} if sender else {})}
        decided, engine = permissions.decide(case.principal, send_actions(case.principal), resources, context)
        probes.append(Probe(sender or "(any sender)", region, decided[case.action]))
    return ScopeFacts(case.principal, permissions.principal_arn(case.principal), case.action, tuple(probes), engine)


@dataclass(frozen=True)
class PolicyReview:
    principal: Principal
    principal_arn: str
    policies: tuple[str, ...]
    unknown_actions: tuple[hygiene.Finding, ...]
    wildcard_actions: tuple[hygiene.Finding, ...]
    unscoped_ses_writes: tuple[hygiene.Finding, ...]
    escalation: tuple[hygiene.Finding, ...]

    def evidence(self) -> dict[str, Any]:
        return {
            "principal": self.principal.name,
            "principal_arn": self.principal_arn,
            "policies": list(self.policies),
            "findings": {
                kind: [str(f) for f in getattr(self, kind)]
                for kind in ("unknown_actions", "wildcard_actions", "unscoped_ses_writes", "escalation")
            },
        }


def policy_review(case: PrincipalCase, principals: Principals) -> PolicyReview:
    arn = principals.arn(case.principal)
    policies, boundary = principals.policies(arn)
    # a boundary only limits: its wildcards grant nothing, but a name IAM does not know is still a mistake
    return PolicyReview(
        principal=case.principal,
        principal_arn=arn,
        policies=tuple(f"{p.policy_id} ({p.policy_type})" for p in policies)
        + tuple(f"{p.policy_id} (permissions boundary)" for p in boundary),
        unknown_actions=tuple(f for p in [*policies, *boundary] for f in hygiene.unknown_actions(p)),
        wildcard_actions=tuple(f for p in policies for f in hygiene.wildcard_actions(p)),
        unscoped_ses_writes=tuple(f for p in policies for f in hygiene.unscoped_ses_writes(p)),
        escalation=tuple(hygiene.escalation(policies)),
    )


@dataclass(frozen=True)
class KeyFacts:
    principal: Principal
    principal_arn: str
    keys: tuple[AccessKey, ...]

    @property
    def active(self) -> tuple[AccessKey, ...]:
        return tuple(k for k in self.keys if k.status == "Active")

    def evidence(self) -> dict[str, Any]:
        return {
            "principal": self.principal.name,
            "principal_arn": self.principal_arn,
            "access_keys": [{"key": k.key_id, "status": k.status, "created": k.created} for k in self.keys],
        }


def access_keys(case: PrincipalCase, principals: Principals) -> KeyFacts:
    arn = principals.arn(case.principal)
    return KeyFacts(case.principal, arn, principals.access_keys(arn))
