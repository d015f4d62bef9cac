"""The registry: golive's areas, from which the plugin learns every fixture, every fact's
cases and every read permission.

An area is a folder (golive/iam/, golive/ses/, golive/dns/, golive/env/, golive/backend/) whose `fixtures` module holds
its session fixtures (the inventories), `FACTS` (what checks ask for, with their cases) and
`READS` (every call its inventories make, with the answer's fields they read). The
read-only guard's allowlist, the check of every answer's shape, and the auditor policy
golive recommends (and the embedded auditor runs with) are all built from `READS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from types import ModuleType
from typing import Any

from golive import fixtures
from golive.aws import permission
from golive.backend import fixtures as backend
from golive.config import Config
from golive.dns import fixtures as dns
from golive.env import fixtures as env
from golive.iam import fixtures as iam
from golive.ses import fixtures as ses

AREAS: tuple[ModuleType, ...] = (iam, ses, dns, env, backend)


@cache
def facts() -> dict[str, fixtures.Fact]:
    return {fact.name: fact for area in AREAS for fact in area.FACTS}


def plugins() -> list[Any]:
    """What the plugin registers with pytest: the shared fixtures, each area's, every fact fixture,
    and the prefetch that reads the regions at once."""
    from golive import prefetch  # it stands on this registry: imported once the registry is

    return [fixtures, *AREAS, fixtures.fact_fixtures(facts().values()), prefetch]


@cache
def reads() -> dict[tuple[str, str], tuple[str, ...]]:
    """(botocore service, operation) -> the fields of its answer that golive reads."""
    return {call: fields for area in AREAS for call, fields in area.READS.items()}


def auditor_policy(send_test: bool = False, feedback_queue: str | None = None) -> dict[str, Any]:
    """The read-only policy of the audit identity; with `send_test`, also the one write golive makes,
    held by IAM itself to SES's mailbox simulator (the guard refuses any other recipient first), and
    the reads of the feedback queue (`feedback_queue`, else any: ReceiveMessage hides what it returns
    for the queue's visibility timeout, so scope it to golive's own queue)."""
    actions = sorted({permission(service, operation) for service, operation in reads()})
    statements: list[dict[str, Any]] = [
        {"Sid": "GoliveReadOnlyAudit", "Effect": "Allow", "Action": actions, "Resource": "*"}
    ]
    if send_test:
        statements.append(
            {
                "Sid": "GoliveTestSendToTheMailboxSimulator",
                "Effect": "Allow",
                "Action": "ses:SendEmail",
                "Resource": "*",
                "Condition": {"ForAllValues:StringLike": {"ses:Recipients": ["*@simulator.amazonses.com"]}},
            }
        )
        statements.append(
            {
                "Sid": "GoliveTestSendFeedbackQueue",
                "Effect": "Allow",
                "Action": "sqs:ReceiveMessage",
                "Resource": feedback_queue or "*",
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def cases_for(fixture: str, config: Config) -> Sequence[Any]:
    """The cases of a fact fixture, sorted by id so that runs list checks in a stable order."""
    return sorted(facts()[fixture].cases(config), key=lambda case: case.id)
