"""The least-privilege policy that would make a principal's allow checks pass.

Actions that IAM can scope get the exact resources golive checks them on, in every
configured region; actions that only take `Resource: "*"` are held to the configured
regions by `aws:RequestedRegion`; send actions keep the sender condition.
"""

from __future__ import annotations

import json
import re
from typing import Any

from golive.config import Config, Principal
from golive.iam import scope


def least_privilege_policy(principal: Principal, config: Config) -> dict[str, Any]:
    grouped: dict[str, dict[str, Any]] = {}
    for action in principal.must_allow:
        resources = sorted({r for region in config.regions for r in scope.resources(action, region, config, principal)})
        conditions: dict[str, dict[str, Any]] = {}
        if resources == ["*"]:
            conditions.setdefault("StringEquals", {})["aws:RequestedRegion"] = list(config.regions)
        sender = scope.context(action, config.regions[0], config).get("ses:FromAddress")
        if sender:
            conditions.setdefault("StringEquals", {})["ses:FromAddress"] = sender
        key = json.dumps([resources, conditions], sort_keys=True)
        grouped.setdefault(key, {"resources": resources, "conditions": conditions, "actions": []})["actions"].append(
            action
        )
    statements = []
    sids: set[str] = set()
    for group in grouped.values():
        statement: dict[str, Any] = {
            "Sid": _sid(group, sids),
            "Effect": "Allow",
            "Action": sorted(group["actions"]),
            "Resource": group["resources"] if len(group["resources"]) > 1 else group["resources"][0],
        }
        if group["conditions"]:
            statement["Condition"] = group["conditions"]
        statements.append(statement)
    return {"Version": "2012-10-17", "Statement": statements}


def _sid(group: dict[str, Any], taken: set[str]) -> str:
    services = sorted({a.split(":")[0] for a in group["actions"]})
    base = "".join(re.sub(r"[^A-Za-z0-9]", "", s).title() for s in services)
    base += "InConfiguredRegions" if group["resources"] == ["*"] else "OnServiceResources"
    if "ses:FromAddress" in group["conditions"].get("StringEquals", {}):
        base += "AsConfiguredSender"
    sid, n = base, 1
    while sid in taken:
        n += 1
        sid = f"{base}{n}"
    taken.add(sid)
    return sid
