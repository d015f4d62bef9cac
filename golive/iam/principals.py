"""The principals under audit as IAM describes them: their ARNs, policies and access keys.

GetAccountAuthorizationDetails answers for every user, role, group and policy of the
account in a few pages, read once per run; the local engine and the policy hygiene
checks both read from it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from golive.aws import AwsAccess
from golive.config import Principal
from golive.errors import CouldNotSee, could_not_see
from golive.iam.engine import Policy
from golive.iam.policies import UnknownPrincipal, principal_policies

# Every call, with the fields of the answer it reads (see golive.aws.check_answer).
READS = {
    ("iam", "GetAccountAuthorizationDetails"): ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"),
    ("iam", "GetRole"): ("Role",),
    ("iam", "ListAccessKeys"): ("AccessKeyMetadata",),
    ("sts", "GetCallerIdentity"): ("Account", "Arn", "UserId"),
}


@dataclass(frozen=True)
class AccessKey:
    key_id: str  # masked: only its last four characters are kept
    status: str
    created: str


class Principals:
    """Session-scoped view of IAM's users, roles, groups and policies."""

    def __init__(self, access: AwsAccess, caller_arn: str | None = None) -> None:
        self._access = access
        self._details: dict[str, Any] | None = None
        self._caller_identity = caller_arn  # the run confirmed it already: no second STS call
        self._caller: str | None = None
        self._keys: dict[str, tuple[AccessKey, ...]] = {}
        self._lock = threading.RLock()

    def arn(self, principal: Principal) -> str:
        """`caller` is the audit's own identity; an assumed-role session maps to its role (with its path)."""
        if principal.arn != "caller":
            return principal.arn
        with self._lock:
            if self._caller is None:
                arn = self._caller_identity
                if arn is None:
                    with could_not_see("sts:GetCallerIdentity", "identify the caller"):
                        arn = self._access.client("sts").get_caller_identity()["Arn"]
                if ":assumed-role/" in arn:
                    role_name = arn.split(":assumed-role/", 1)[1].split("/", 1)[0]
                    with could_not_see("iam:GetRole", f"resolve the role of {arn}"):
                        arn = self._access.client("iam").get_role(RoleName=role_name)["Role"]["Arn"]
                self._caller = arn
        return self._caller

    def policies(self, arn: str) -> tuple[list[Policy], list[Policy]]:
        """The identity policies (inline, managed, its groups') and the permissions boundary of `arn`."""
        try:
            return principal_policies(self._authorization_details(), arn)
        except UnknownPrincipal:
            raise CouldNotSee(f"IAM reports no user or role {arn}", permission=None) from None

    def access_keys(self, arn: str) -> tuple[AccessKey, ...]:
        """The long-lived access keys of an IAM user; () for a role, which has none."""
        if ":user/" not in arn:
            return ()
        name = arn.rsplit("/", 1)[1]
        with self._lock:
            if name not in self._keys:
                with could_not_see("iam:ListAccessKeys", f"list the access keys of {arn}"):
                    pages = self._access.client("iam").get_paginator("list_access_keys").paginate(UserName=name)
                    self._keys[name] = tuple(
                        AccessKey(f"****{k['AccessKeyId'][-4:]}", k["Status"], str(k.get("CreateDate", "")))
                        for page in pages
                        for k in page["AccessKeyMetadata"]
                    )
        return self._keys[name]

    def _authorization_details(self) -> dict[str, Any]:
        with self._lock:
            if self._details is None:
                iam = self._access.client("iam")
                merged: dict[str, list] = {
                    "UserDetailList": [],
                    "GroupDetailList": [],
                    "RoleDetailList": [],
                    "Policies": [],
                }
                with could_not_see("iam:GetAccountAuthorizationDetails", "read the principals' policies"):
                    pages = iam.get_paginator("get_account_authorization_details").paginate(
                        Filter=["User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"]
                    )
                    for page in pages:
                        for key in merged:
                            merged[key].extend(page.get(key, []))
                self._details = merged
        return self._details
