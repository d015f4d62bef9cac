"""Least-privilege facts: who else the service could send as, where else it could send from,
what its policies contain, and whether it holds long-lived keys.

These facts combine the other inventories (simulations, IAM's policies, SES identities);
they make no calls of their own (golive.iam.probing answers the scope probes). Each fact
words its own failure, fix included.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from golive.aws import ses_regions
from golive.config import Config, Principal
from golive.iam import hygiene, scope
from golive.iam.cases import ActionCase, PrincipalCase, send_actions
from golive.iam.inventory import ResourceDecision
from golive.iam.principals import AccessKey, Principals
from golive.iam.probing import ASKED, Prober, Question
from golive.ses.inventory import SesInventory

OUTSIDE_DOMAIN = "golive-probe.invalid"  # RFC 2606: can never be anyone's real sender domain
FINDINGS = ("unknown_actions", "wildcard_actions", "unscoped_ses_writes", "escalation")


@dataclass(frozen=True)
class Probe:
    """One request the service must not be able to make, and IAM's answer."""

    sender: str
    region: str
    decisions: tuple[ResourceDecision, ...]
    engine: str
    answered_by: str  # asked, the pre-filter, the sample, or its class's representative (golive.iam.probing)

    @property
    def allowed(self) -> bool:
        return any(d.allowed for d in self.decisions)


@dataclass(frozen=True)
class PrincipalFacts:
    """What every least-privilege fact starts from: the principal, and the ARN IAM knows it by."""

    principal: Principal
    principal_arn: str

    @property
    def who(self) -> str:
        return f"{self.principal.name} ({self.principal_arn})"

    def _evidence(self, **facts: Any) -> dict[str, Any]:
        return {"principal": self.principal.name, "principal_arn": self.principal_arn, **facts}


@dataclass(frozen=True)
class ScopeFacts(PrincipalFacts):
    action: str
    probes: tuple[Probe, ...]
    disagreements: tuple[str, ...] = ()  # pre-filter denials AWS's simulator allows (golive.iam.probing)

    @property
    def leaks(self) -> tuple[Probe, ...]:
        return tuple(p for p in self.probes if p.allowed)

    def evidence(self) -> dict[str, Any]:
        answered: dict[str, int] = {}
        for p in self.probes:
            route = "class representative" if p.answered_by.startswith("its class") else p.answered_by
            answered[route] = answered.get(route, 0) + 1
        return self._evidence(
            action=self.action,
            answered_by=dict(sorted(answered.items())),
            local_engine_disagreed=list(self.disagreements),
            probes=_outcomes(self.probes),
        )

    def why_other_senders(self) -> str:
        return (
            f"{self.who} may {self.action} as other senders:\n{self._leaks()}\n"
            'Fix: add "Condition": {"StringEquals": {"ses:FromAddress": "<the configured sender>"}} to those statements.'
        )

    def why_other_regions(self) -> str:
        regions = sorted({p.region for p in self.leaks})
        return (
            f"{self.who} may {self.action} outside the configured regions, "
            f"in {', '.join(regions)}:\n{self._leaks()}\n"
            "Fix: scope the Resource to the identity ARNs of the configured regions, "
            "or add an aws:RequestedRegion condition."
        )

    def _leaks(self) -> str:
        lines = [
            f"  as {p.sender} in {p.region}: allowed by "
            + "; ".join(s for d in p.decisions if d.allowed for s in d.statements)
            + ("" if p.answered_by == ASKED else f" (answered by {p.answered_by})")
            for p in self.leaks
        ]
        lines.append(f"(answered by {', '.join(sorted({p.engine for p in self.leaks}))})")
        if self.disagreements:
            lines.append(
                f"golive's local engine denied {', '.join(self.disagreements)}, which AWS's simulator allows: it is "
                "not trusted for this principal, and every probe was asked of the simulator."
            )
        return "\n".join(lines)


def _outcomes(probes: Iterable[Probe]) -> list[dict[str, Any]]:
    """The probes grouped by what IAM answered: one entry per region, engine, route and decision,
    listing the requests (sender: resources) it answered. A thousand identities denied alike are one
    entry, not a thousand copies of the same answer."""
    grouped: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for p in probes:
        decisions = [{k: v for k, v in d.evidence().items() if k != "resource"} for d in p.decisions]
        key = (p.region, p.engine, p.answered_by, repr(decisions))
        entry = grouped.setdefault(
            key,
            {
                "region": p.region,
                "engine": p.engine,
                "answered_by": p.answered_by,
                "decisions": decisions,
                "requests": {},
            },
        )
        entry["requests"][p.sender] = [d.resource for d in p.decisions]
    return list(grouped.values())


def other_senders(case: ActionCase, config: Config, ses: SesInventory) -> list[tuple[str, tuple[str, ...]]]:
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


def sender_scope(case: ActionCase, config: Config, probes: Prober, ses: SesInventory) -> ScopeFacts:
    requests = (
        (address, case.region, resources, {"aws:RequestedRegion": case.region, "ses:FromAddress": address})
        for address, resources in other_senders(case, config, ses)
    )
    return _probed(case, probes, requests)


def region_scope(case: ActionCase, config: Config, probes: Prober) -> ScopeFacts:
    sender = config.ses.from_address
    with_sender = {"ses:FromAddress": sender} if sender else {}
    requests = (
        (
            sender or "(any sender)",
            region,
            tuple(scope.identity_arn(region, config.account_id, d) for d in scope.sender_domains(config)) or ("*",),
            {"aws:RequestedRegion": region, **with_sender},
        )
        for region in ses_regions()
        if region not in config.regions
    )
    return _probed(case, probes, requests)


def _probed(
    case: ActionCase, probes: Prober, requests: Iterable[tuple[str, str, tuple[str, ...], dict[str, str]]]
) -> ScopeFacts:
    """IAM's answer to each (sender, region, resources, context) the case's action must be denied."""
    asked = tuple(requests)
    questions = tuple(Question(f"{s} in {r}", res, tuple(sorted(c.items()))) for s, r, res, c in asked)
    answers = probes.answer(case.principal, send_actions(case.principal), questions)
    found = tuple(
        Probe(sender, region, a.decisions[case.action], a.engine, a.answered_by)
        for (sender, region, _, _), a in zip(asked, answers.answers, strict=True)
    )
    return ScopeFacts(case.principal, probes.principal_arn(case.principal), case.action, found, answers.disagreements)


@dataclass(frozen=True)
class PolicyReview(PrincipalFacts):
    policies: tuple[str, ...]
    unknown_actions: tuple[hygiene.Finding, ...]
    wildcard_actions: tuple[hygiene.Finding, ...]
    unscoped_ses_writes: tuple[hygiene.Finding, ...]
    escalation: tuple[hygiene.Finding, ...]

    def evidence(self) -> dict[str, Any]:
        findings = {kind: [str(f) for f in getattr(self, kind)] for kind in FINDINGS}
        return self._evidence(policies=list(self.policies), findings=findings)

    def why_unknown_actions(self) -> str:
        return self._explain(
            "has policies naming actions IAM does not know",
            self.unknown_actions,
            "use the real action names suggested above.",
        )

    def why_wildcard_actions(self) -> str:
        return self._explain(
            "has wildcard grants", self.wildcard_actions, "replace each wildcard with the actions the service uses."
        )

    def why_unscoped_ses_writes(self) -> str:
        return self._explain(
            "is granted SES send or identity actions on any identity",
            self.unscoped_ses_writes,
            "set Resource to the identity ARNs arn:aws:ses:<region>:<account>:identity/<domain> it uses.",
        )

    def why_escalation(self) -> str:
        return self._explain("can escalate", self.escalation, "remove these actions from the service's policies.")

    def _explain(self, found: str, findings: tuple[hygiene.Finding, ...], fix: str) -> str:
        listed = "\n".join(f"  {f}" for f in findings)
        return f"{self.who} {found}:\n{listed}\nFix: {fix}"


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
class KeyFacts(PrincipalFacts):
    keys: tuple[AccessKey, ...]

    @property
    def active(self) -> tuple[AccessKey, ...]:
        return tuple(k for k in self.keys if k.status == "Active")

    def evidence(self) -> dict[str, Any]:
        return self._evidence(
            access_keys=[{"key": k.key_id, "status": k.status, "created": k.created} for k in self.keys]
        )

    def why_long_lived(self) -> str:
        keys = ", ".join(f"{k.key_id} created {k.created}" for k in self.active)
        return (
            f"{self.who} is an IAM user with {len(self.active)} active "
            f"long-lived access key(s): {keys}.\n"
            "Fix: give the service an IAM role instead, then deactivate and delete these keys."
        )


def access_keys(case: PrincipalCase, principals: Principals) -> KeyFacts:
    arn = principals.arn(case.principal)
    return KeyFacts(case.principal, arn, principals.access_keys(arn))
