"""Who else can send as the configured sender: every other IAM user and role of the account.

From the authorization details golive reads once, a pre-filter keeps the principals whose own
policies hold an Allow statement that could grant a send on the sender's identities (read
without its conditions, ignoring every Deny: it can only keep too many, never too few, since
an identity policy that grants nothing cannot be made to allow by any other layer the
simulator weighs). For those, one permission question per principal and region (both send
actions, both identity ARNs, one context) asks whether it may send as the sender there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from golive.cases import RegionNameCase
from golive.config import Config
from golive.iam import scope
from golive.iam.engine import Policy
from golive.iam.inventory import PermissionInventory, ResourceDecision
from golive.iam.policies import SEND_ACTIONS, allow_statements, as_list, covers_send
from golive.iam.principals import Principals, listed

SERVICE_LINKED = ":role/aws-service-role/"  # AWS services' own roles: AWS alone writes their policies
_VARIABLE = re.compile(r"\$\{[^}]*\}")


def _could_match(pattern: str, resource: str) -> bool:
    """A Resource pattern that could cover `resource`; a policy variable could stand for anything."""
    regex = re.escape(_VARIABLE.sub("*", pattern)).replace(r"\*", ".*").replace(r"\?", ".")
    return re.fullmatch(regex, resource, re.DOTALL) is not None


def could_grant(policies: list[Policy], resources: tuple[str, ...]) -> tuple[str, ...]:
    """The Allow statements that could grant a send on `resources`, conditions and Denies aside."""
    found = []
    for policy in policies:
        for index, statement in allow_statements(policy):
            on = "NotResource" in statement or any(
                _could_match(p, r) for p in as_list(statement.get("Resource", [])) for r in resources
            )
            if covers_send(statement) and on:
                sid = f" (Sid {statement['Sid']})" if statement.get("Sid") else ""
                found.append(f"policy '{policy.policy_id}' ({policy.policy_type}) statement #{index + 1}{sid}")
    return tuple(found)


@dataclass(frozen=True)
class OtherSender:
    arn: str
    decisions: dict[str, tuple[ResourceDecision, ...]]  # action -> decision per identity ARN
    statements: tuple[str, ...]  # what the pre-filter found, named when the answer names none
    engine: str

    @property
    def may_send(self) -> bool:
        return any(d.allowed for rows in self.decisions.values() for d in rows)

    def granted_by(self) -> str:
        """The statements the answer names, and the pre-filter's names for them (by Sid and position)."""
        named = sorted({s for rows in self.decisions.values() for d in rows if d.allowed for s in d.statements})
        candidates = "; ".join(self.statements)
        return f"{'; '.join(named)} (its statements that grant sends: {candidates})" if named else candidates

    def evidence(self) -> dict[str, Any]:
        return {
            "principal_arn": self.arn,
            "engine": self.engine,
            "candidate_statements": list(self.statements),
            "decisions": {a: [d.evidence() for d in rows] for a, rows in sorted(self.decisions.items())},
        }


@dataclass(frozen=True)
class OtherSenders:
    """Every user and role of the account that may send as the sender in one region."""

    region: str
    sender: str
    resources: tuple[str, ...]
    examined: int  # users and roles IAM reports
    service_linked: tuple[str, ...]
    exempt: tuple[str, ...]  # the configured senders and ses.other_senders_allowed
    asked: tuple[OtherSender, ...]  # the principals that passed the pre-filter, and IAM's answers

    @property
    def senders(self) -> tuple[OtherSender, ...]:
        return tuple(a for a in self.asked if a.may_send)

    @property
    def ok(self) -> bool:
        return not self.senders

    def explain(self) -> str:
        found = "\n".join(f"  {s.arn}: allowed by {s.granted_by()} (answered by {s.engine})" for s in self.senders)
        return (
            f"Principals other than the configured senders may send as {self.sender} in {self.region}:\n{found}\n"
            "Fix: remove ses:SendEmail/ses:SendRawEmail from the statements named above, or hold them to other "
            'senders with "Condition": {"StringEquals": {"ses:FromAddress": ...}}; a principal meant to send as it '
            "goes in ses.other_senders_allowed."
        )

    def evidence(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "sender": self.sender,
            "resources": list(self.resources),
            "principals_examined": self.examined,
            "service_linked_roles_skipped": list(self.service_linked),
            "exempt": list(self.exempt),
            "asked": [a.evidence() for a in self.asked],
            "may_send": [s.arn for s in self.senders],
        }


def exempt_senders(config: Config, principals: Principals) -> tuple[str, ...]:
    """The configured principals held to the sender, the config's allowed senders, and the auditor
    itself when it makes the test send (which IAM holds to SES's mailbox simulator)."""
    found = {principals.arn(p) for p in config.principals if p.send_as_only}
    found |= set(config.ses.other_senders_allowed)
    if config.ses.send_test.enabled:
        found.add(principals.caller())
    return tuple(sorted(found))


def other_senders(
    case: RegionNameCase, config: Config, principals: Principals, permissions: PermissionInventory
) -> OtherSenders:
    sender = case.name
    resources = tuple(
        scope.identity_arn(case.region, config.account_id, name) for name in (sender.rpartition("@")[2], sender)
    )
    context = {"aws:RequestedRegion": case.region, "ses:FromAddress": sender}
    everyone = principals.everyone()
    service_linked = tuple(arn for arn in everyone if SERVICE_LINKED in arn)
    exempt = exempt_senders(config, principals)
    asked = []
    for arn in everyone:
        if arn in service_linked or listed(arn, exempt):
            continue
        statements = could_grant(principals.policies(arn)[0], resources)
        if statements:
            decided, engine = permissions.decide_as(arn, SEND_ACTIONS, resources, context)
            asked.append(OtherSender(arn, decided, statements, engine))
    return OtherSenders(case.region, sender, resources, len(everyone), service_linked, exempt, tuple(asked))
