"""The go-live gates: what a release manager ticks, each with the seed line it covers.

A check's marker names one of these ids (a self-test fails on any other); summary.md and
the report list gates in this order. The first eleven are seed 002's "SES Go-Live Gate
List" in its order; the others are gates golive adds from the seeds' other sections.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

CHECKLIST = "002 §3 SES Go-Live Gate List"
# a check's severity: advisory failures are reported, never blocking
SEVERITIES = ("critical", "high", "advisory")
GATE_KEYS = ("gate", "severity")  # what every check's golive marker names


@dataclass(frozen=True)
class Gate:
    id: str
    title: str
    source: str  # the seed section the gate comes from

    @property
    def on_checklist(self) -> bool:
        return self.source == CHECKLIST


GATES = (
    Gate("region-consistent", "SES region selected and consistent with API/DB", CHECKLIST),
    Gate("identity-verified", "Domain identity or sender address verified in SES", CHECKLIST),
    Gate("dkim", "SES Easy DKIM CNAME records published and validated", CHECKLIST),
    Gate(
        "verification-txt",
        "SES domain verification TXT published and validated (if using domain identity)",
        CHECKLIST,
    ),
    Gate("spf", "SPF includes SES sender path", CHECKLIST),
    Gate("dmarc", "DMARC policy set (recommended for production)", CHECKLIST),
    Gate("production-access", "Production access requested and approved (SES console)", CHECKLIST),
    Gate("quotas", "Sending/receiving quotas checked and monitored", CHECKLIST),
    Gate("notifications", "Bounce/complaint notifications configured (SNS or CloudWatch)", CHECKLIST),
    Gate("send-flow", "Test send flows validated (sandbox first; production after access is approved)", CHECKLIST),
    Gate("no-placeholder-identities", "Remove all test/placeholder identities before go-live", CHECKLIST),
    Gate(
        "iam-permissions",
        "The service's IAM permissions: what it needs in every region, nothing it must not, never a wildcard",
        "002 §1 IAM Policy Skeleton; 000 SES permissions in both regions",
    ),
    Gate(
        "mail-from",
        "Custom MAIL FROM domain: one MX to SES's feedback endpoint and an SPF record authorizing SES",
        "002 §3 SPF includes SES sender path (the MAIL FROM domain SES sends with)",
    ),
    Gate(
        "reputation",
        "Account healthy: bounce and complaint rates under SES's review thresholds, with alarms",
        "002 §3 Sending quotas checked and monitored; 002 §4 transactional email through the API",
    ),
    Gate("tenant", "Sending identities associated with the configured SES tenant", "000 tenant association"),
    Gate(
        "env-matrix",
        "The service's environment variables are set, well formed and agree with what golive checks",
        "002 §2 Environment Variable Matrix",
    ),
    Gate(
        "backend",
        "Backend in place: the RDS instance (IAM database authentication), the secrets and the log group exist",
        "002 §1 IAM Policy Skeleton: RDS, App Runner/ECS (CloudWatch Logs, Secrets Manager)",
    ),
)
BY_ID = {gate.id: gate for gate in GATES}


def check_marker(item: pytest.Item) -> None:
    """A check names a gate of this list and a severity, or the run stops before it starts."""
    marker = item.get_closest_marker("golive")
    if marker is None or any(k not in marker.kwargs for k in GATE_KEYS):
        raise pytest.UsageError(f"{item.nodeid}: a check needs @pytest.mark.golive(gate=..., severity=...)")
    if marker.kwargs["severity"] not in SEVERITIES:
        raise pytest.UsageError(f"{item.nodeid}: severity must be one of {', '.join(SEVERITIES)}")
    if marker.kwargs["gate"] not in BY_ID:
        raise pytest.UsageError(
            f"{item.nodeid}: gate {marker.kwargs['gate']!r} is not a go-live gate; "
            f"expected one of {', '.join(BY_ID)} (golive/evidence/gates.py)"
        )
