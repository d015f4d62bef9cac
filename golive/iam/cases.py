"""IAM cases from the config: each principal's actions per region, its sends, the principal itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from golive.config import Config, Principal
from golive.iam import catalog


def send_actions(principal: Principal) -> tuple[str, ...]:
    """The principal's required actions that carry a sender (ses:FromAddress)."""
    return tuple(a for a in principal.must_allow if "ses:FromAddress" in catalog.condition_keys(a))


@dataclass(frozen=True)
class ActionCase:
    """One of the principal's actions in a region ("": in the regions the environment does not use)."""

    principal: Principal
    region: str
    action: str

    @property
    def id(self) -> str:
        return "-".join(part for part in (self.principal.name, self.region, self.action) if part)


@dataclass(frozen=True)
class PermissionCase(ActionCase):
    """An action the principal must be allowed, or denied, in a region."""

    expect: Literal["allow", "deny"]


def permission_cases(config: Config, expect: Literal["allow", "deny"]) -> list[PermissionCase]:
    return [
        PermissionCase(p, region, action, expect)
        for p in config.principals
        for region in config.regions
        for action in (p.must_allow if expect == "allow" else p.must_deny)
    ]


@dataclass(frozen=True)
class PrincipalCase:
    principal: Principal

    @property
    def id(self) -> str:
        return self.principal.name


def senders(config: Config) -> list[ActionCase]:
    return [
        ActionCase(p, region, action)
        for p in config.principals
        if p.send_as_only and config.ses.from_address
        for region in config.regions
        for action in send_actions(p)
    ]


def send_actions_anywhere(config: Config) -> list[ActionCase]:
    return [ActionCase(p, "", action) for p in config.principals for action in send_actions(p)]


def principals(config: Config) -> list[PrincipalCase]:
    return [PrincipalCase(p) for p in config.principals]


def production_principals(config: Config) -> list[PrincipalCase]:
    """Long-lived keys matter in production: the checklist prefers a role there."""
    return principals(config) if config.production else []


def weighed_principals(config: Config) -> list[PrincipalCase]:
    """In production, who answered the permission questions matters wherever the local engine may
    (`aws.simulator` auto or local): it cannot weigh SCPs or resource policies."""
    return principals(config) if config.production and config.aws.simulator != "aws" else []
