"""Inventories: session-scoped, batched fact-finders. Checks ask them; they ask AWS.

Each inventory module declares READ_PERMISSIONS, the calls it makes; the auditor
policy golive recommends (and the embedded auditor runs with) is built from them.
"""

from __future__ import annotations

from typing import Any

from golive.inventory import permissions

INVENTORIES = (permissions,)


def auditor_policy() -> dict[str, Any]:
    actions = sorted({a for module in INVENTORIES for a in module.READ_PERMISSIONS})
    return {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "GoliveReadOnlyAudit", "Effect": "Allow", "Action": actions, "Resource": "*"}],
    }
