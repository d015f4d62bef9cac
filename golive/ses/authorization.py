"""Sending authorization: the policies on an SES identity that let others send as it.

A sending-authorization policy is a resource policy: a statement that allows ses:SendEmail or
ses:SendRawEmail to a principal lets it send as the identity whatever its own IAM policies say.
A grant to another account, to `*` (or Allow with NotPrincipal), or to a principal of this
account that the config does not name as a sender, is a sender the service does not control.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from golive.iam.policies import as_list, covers_send
from golive.iam.principals import listed

ACCOUNT = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class Grant:
    """One principal a statement of an identity policy lets send as the identity."""

    policy: str
    statement: str  # "#2 (Sid PartnerSends)"
    principal: str
    why: str  # "another account (111122223333)", "anyone", ...
    conditions: dict[str, Any]

    def __str__(self) -> str:
        held = f", with conditions {json.dumps(self.conditions, sort_keys=True)}" if self.conditions else ""
        return f"policy '{self.policy}' statement {self.statement} lets {self.principal} send: {self.why}{held}"


def _parsed(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _account_of(principal: str) -> str | None:
    if ACCOUNT.match(principal):
        return principal
    parts = principal.split(":")
    return parts[4] if principal.startswith("arn:") and len(parts) > 5 and parts[2] in ("iam", "sts") else None


def _principals(statement: dict[str, Any]) -> list[str]:
    """The AWS principals a statement names ("*" for anyone); NotPrincipal in an Allow means almost anyone."""
    if "NotPrincipal" in statement:
        return ["*"]
    given = statement.get("Principal", [])
    if given == "*":
        return ["*"]
    if isinstance(given, dict):
        return [str(p) for p in as_list(given.get("AWS", []))]
    return []


@dataclass(frozen=True)
class IdentityPolicies:
    """The sending-authorization policies of one identity in one region, judged against the config."""

    region: str
    identity: str
    arn: str
    exists: bool
    documents: tuple[tuple[str, str], ...] = ()  # (policy name, JSON document)
    account_id: str = ""
    allowed: frozenset[str] = field(default_factory=frozenset)  # principals the config allows to send

    def _allowed(self, principal: str) -> bool:
        account = _account_of(principal)
        root = f"arn:aws:iam::{account}:root" if account else None
        return listed(principal, self.allowed) or (root is not None and root in self.allowed)

    def _why(self, principal: str) -> str | None:
        """Why a principal granted the send is a sender nobody configured; None when it is not."""
        if principal == "*":
            return "anyone (Principal *)"
        if self._allowed(principal):
            return None
        account = _account_of(principal)
        if account is None:
            return "a principal golive cannot place in an account"
        if account != self.account_id:
            return f"another account ({account})"
        if principal in (account, f"arn:aws:iam::{account}:root"):
            return None  # the account itself: its IAM policies decide, which the other-senders check asks
        return "a principal of this account that the config does not name as a sender"

    @property
    def grants(self) -> tuple[Grant, ...]:
        found = []
        for name, text in self.documents:
            document = _parsed(text)
            if not isinstance(document, dict):
                continue  # SES refuses a policy that does not parse: it cannot be in force
            for index, statement in enumerate(as_list(document.get("Statement", []))):
                if not isinstance(statement, dict) or statement.get("Effect") != "Allow" or not covers_send(statement):
                    continue
                sid = f" (Sid {statement['Sid']})" if statement.get("Sid") else ""
                for principal in _principals(statement):
                    why = self._why(principal)
                    if why:
                        conditions = statement.get("Condition") or {}
                        found.append(Grant(name, f"#{index + 1}{sid}", principal, why, conditions))
        return tuple(found)

    @property
    def ok(self) -> bool:
        return not self.grants

    def explain(self) -> str:
        listed = "\n".join(f"  {g}" for g in self.grants)
        return (
            f"The sending-authorization policies of {self.identity} in {self.region} let others send as it:\n"
            f"{listed}\n"
            f"Fix: remove these statements (aws sesv2 delete-email-identity-policy --email-identity {self.identity} "
            f"--policy-name <policy> --region {self.region}), or, where a sender is intended, list its principal "
            "in ses.other_senders_allowed."
        )

    def evidence(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "identity": self.identity,
            "identity_arn": self.arn,
            "exists": self.exists,
            "policies": {name: _parsed(text) for name, text in self.documents},
            "grants": [str(g) for g in self.grants],
        }
