"""The principals under audit as IAM describes them: their ARNs, policies and access keys.

GetAccountAuthorizationDetails answers for every user, role, group and policy of the
account in a few pages, read once per run; the local engine and the policy hygiene
checks both read from it.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from golive.aws import AwsAccess
from golive.config import Principal
from golive.errors import CouldNotSee, could_not_see
from golive.iam.engine import Policy
from golive.iam.policies import UnknownPrincipal, principal_policies
from golive.memo import Memo

DETAIL_LISTS = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")
# Every call, with the fields of the answer it reads (see golive.aws.check_answer).
READS = {
    ("iam", "GetAccountAuthorizationDetails"): DETAIL_LISTS,
    ("iam", "GetRole"): ("Role",),
    ("iam", "ListAccessKeys"): ("AccessKeyMetadata",),
    ("sts", "GetCallerIdentity"): ("Account", "Arn"),  # the run's account check, whose answer names the caller
}


@dataclass(frozen=True)
class AccessKey:
    key_id: str  # masked: only its last four characters are kept
    status: str
    created: str


class Principals:
    """Session-scoped view of IAM's users, roles, groups and policies."""

    def __init__(self, access: AwsAccess, caller_arn: str) -> None:
        self._access = access
        self._caller_arn = caller_arn  # the run's account check read it: no second STS call
        self._cached = Memo()

    def arn(self, principal: Principal) -> str:
        """`caller` is the audit's own identity; an assumed-role session maps to its role (with its path)."""
        if principal.arn != "caller":
            return principal.arn
        return self.caller()

    def caller(self) -> str:
        """The audit's own identity (an assumed-role session as its role)."""
        return self._cached("caller", self._read_caller)

    def everyone(self) -> tuple[str, ...]:
        """The ARN of every IAM user and role of the account, from the one authorization-details read."""
        details = self._cached("authorization_details", self._read_authorization_details)
        return tuple(sorted(e["Arn"] for key in ("UserDetailList", "RoleDetailList") for e in details.get(key, [])))

    def policies(self, arn: str) -> tuple[list[Policy], list[Policy]]:
        """The identity policies (inline, managed, its groups') and the permissions boundary of `arn`."""
        details = self._cached("authorization_details", self._read_authorization_details)
        try:
            return principal_policies(details, arn)
        except UnknownPrincipal:
            raise CouldNotSee(f"IAM reports no user or role {arn}", permission=None) from None

    def access_keys(self, arn: str) -> tuple[AccessKey, ...]:
        """The long-lived access keys of an IAM user; () for a role, which has none."""
        if ":user/" not in arn:
            return ()
        name = arn.rsplit("/", 1)[1]

        def read() -> tuple[AccessKey, ...]:
            with could_not_see("iam:ListAccessKeys", f"list the access keys of {arn}"):
                pages = self._access.client("iam").get_paginator("list_access_keys").paginate(UserName=name)
                return tuple(
                    AccessKey(f"****{k['AccessKeyId'][-4:]}", k["Status"], str(k.get("CreateDate", "")))
                    for page in pages
                    for k in page["AccessKeyMetadata"]
                )

        return self._cached(("access_keys", name), read)

    def _read_caller(self) -> str:
        arn = self._caller_arn
        if ":assumed-role/" not in arn:
            return arn
        role_name = arn.split(":assumed-role/", 1)[1].split("/", 1)[0]
        with could_not_see("iam:GetRole", f"resolve the role of {arn}"):
            return self._access.client("iam").get_role(RoleName=role_name)["Role"]["Arn"]

    def _read_authorization_details(self) -> dict[str, Any]:
        merged: dict[str, list] = {key: [] for key in DETAIL_LISTS}
        with could_not_see("iam:GetAccountAuthorizationDetails", "read the principals' policies"):
            pages = (
                self._access.client("iam")
                .get_paginator("get_account_authorization_details")
                .paginate(Filter=["User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"])
            )
            for page in pages:
                for key in merged:
                    merged[key].extend(page.get(key, []))
        return merged


def listed(arn: str, patterns: Iterable[str]) -> bool:
    """Whether the config lists the ARN: exactly, or by a pattern whose `*` matches any run of
    characters (`role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_*`: SSO's suffixes vary)."""
    return any(fnmatch.fnmatchcase(arn, pattern) for pattern in patterns)
