"""Generated worlds of a given size: the demo's BizAssist account spread over `regions` regions,
with `identities` SES identities in each, `principals` roles each checked for `actions` actions.

Each world is the demo grown, not a new one: the same sending domain, configuration set, topic,
alarms and backend in every region (the backend stays in the demo's region), so that it is GO
at every size and every check runs to the end. The filler identities are what large accounts
hold: addresses and subdomains of the sending domain, some with notification topics; no check
is about them, but every read lists and describes them.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HOME = "ap-southeast-1"  # the demo's region: its backend, env file and DNS stay there
# 17 SES regions, the demo's first, none with regional DKIM domains (the zone below uses the default)
REGIONS = (
    HOME,
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-northeast-1",
    "ap-south-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-west-2",
    "eu-west-3",
    "eu-north-1",
    "sa-east-1",
    "us-east-2",
    "us-west-1",
    "ap-northeast-2",
    "me-south-1",
)
SEND_ACTIONS = ("ses:SendEmail", "ses:SendRawEmail")
# what a principal must be allowed (sends, then reads that take Resource "*") and denied (writes)
MAY = (
    *SEND_ACTIONS,
    "ses:GetSendQuota",
    "ses:GetSendStatistics",
    "ses:ListIdentities",
    "ses:GetIdentityVerificationAttributes",
    "ses:GetIdentityDkimAttributes",
    "ses:GetIdentityMailFromDomainAttributes",
    "ses:GetIdentityNotificationAttributes",
    "ses:GetAccount",
    "ses:GetAccountSendingEnabled",
    "ses:ListEmailIdentities",
    "ses:ListConfigurationSets",
    "ses:ListTemplates",
    "ses:ListIdentityPolicies",
)
MAY_NOT = (
    "ses:CreateEmailIdentity",
    "ses:DeleteEmailIdentity",
    "ses:PutAccountDetails",
    "ses:DeleteIdentity",
    "ses:CreateConfigurationSet",
    "ses:DeleteConfigurationSet",
    "ses:PutEmailIdentityDkimAttributes",
    "ses:PutEmailIdentityMailFromAttributes",
    "ses:SetIdentityDkimEnabled",
    "ses:CreateReceiptRule",
    "ses:DeleteReceiptRuleSet",
    "ses:CreateTemplate",
    "ses:DeleteTemplate",
    "ses:PutAccountSendingAttributes",
    "iam:PassRole",
)
DOMAIN = "bizassist.example"
ACCOUNT = "123456789012"
BACKEND_SIDS = ("WriteOwnLogs", "ReadDatabaseSecret", "ConnectToDatabaseWithIam")


@dataclass(frozen=True)
class Shape:
    regions: int
    identities: int  # per region, the sending domain among them
    principals: int
    actions: int  # per principal: half must be allowed, half denied

    def __post_init__(self) -> None:
        if not (1 <= self.regions <= len(REGIONS) and self.identities >= 1 and self.principals >= 1):
            raise ValueError(f"no world of shape {self}")
        if not (2 <= self.actions <= 2 * min(len(MAY), len(MAY_NOT))):
            raise ValueError(f"{self.actions} actions: expected 2 to {2 * min(len(MAY), len(MAY_NOT))}")

    @property
    def name(self) -> str:
        return f"bench-r{self.regions}-i{self.identities}-p{self.principals}-a{self.actions}"

    @property
    def region_names(self) -> tuple[str, ...]:
        return REGIONS[: self.regions]

    @property
    def must_allow(self) -> tuple[str, ...]:
        return MAY[: (self.actions + 1) // 2]

    @property
    def must_deny(self) -> tuple[str, ...]:
        return MAY_NOT[: self.actions // 2]


def write_world(shape: Shape, config_dir: Path) -> str:
    """Write the environment, scenario and zone of `shape` into `config_dir` (a copy of the
    project's config/, whose demo they extend); return the environment's name."""
    demo = yaml.safe_load((config_dir / "scenarios" / "demo.yaml").read_text())
    _write(config_dir / f"{shape.name}.yaml", _environment(shape))
    _write(config_dir / "scenarios" / f"{shape.name}.yaml", _scenario(shape, demo))
    (config_dir / "scenarios" / "zones" / f"{shape.name}.zone").write_text(_zone(shape))
    return shape.name


def mail_from(region: str) -> str:
    return f"mail-{region}.{DOMAIN}"


def role(index: int) -> str:
    return "bizassist-api" if index == 0 else f"bench-worker-{index}"


def _write(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _environment(shape: Shape) -> dict[str, Any]:
    principals = {}
    for index in range(shape.principals):
        principals["api" if index == 0 else f"worker-{index}"] = {
            "arn": f"arn:aws:iam::{ACCOUNT}:role/{role(index)}",
            "must_allow": list(shape.must_allow),
            "must_deny": list(shape.must_deny),
            "send_as_only": "ses.from_address",
        }
    return {
        "extends": "demo.yaml",
        "environment": shape.name,
        "description": f"the demo grown to {shape.name} (bench/worlds.py)",
        "regions": list(shape.region_names),
        "aws": {"scenario": f"scenarios/{shape.name}.yaml"},
        "ses": {"domains": {DOMAIN: {"mail_from": {r: mail_from(r) for r in shape.region_names}}}},
        "backend": {"region": HOME},
        "principals": principals,
    }


def _scenario(shape: Shape, demo: dict[str, Any]) -> dict[str, Any]:
    home = demo["regions"][HOME]
    backend_statements = [
        s for s in demo["iam"]["roles"]["bizassist-api"]["inline"]["bizassist-api-least-privilege"]["Statement"]
        if s["Sid"] in BACKEND_SIDS
    ]
    roles = {}
    for index in range(shape.principals):
        statements = _statements(shape) + (backend_statements if index == 0 else [])
        roles[role(index)] = {
            "service": "ecs-tasks.amazonaws.com",
            "inline": {"least-privilege": {"Version": "2012-10-17", "Statement": statements}},
        }
    regions = {}
    for region in shape.region_names:
        spec = copy.deepcopy(home) if region == HOME else {k: copy.deepcopy(home[k]) for k in ("ses", "sns", "cloudwatch")}
        identities = spec["ses"]["identities"]
        identities[DOMAIN]["mail_from"]["domain"] = mail_from(region)
        identities.update(_filler(shape.identities - 1))
        regions[region] = spec
    return {
        "version": 1,
        "description": f"the demo's account grown to {shape.name} (bench/worlds.py)",
        "account_id": ACCOUNT,
        "iam": {"roles": roles},
        "regions": regions,
        "dns": {"zones": {DOMAIN: f"zones/{shape.name}.zone"}},
    }


def _statements(shape: Shape) -> list[dict[str, Any]]:
    sends = [a for a in shape.must_allow if a in SEND_ACTIONS]
    reads = [a for a in shape.must_allow if a not in SEND_ACTIONS]
    arns = [
        f"arn:aws:ses:{r}:{ACCOUNT}:{kind}"
        for r in shape.region_names
        for kind in (f"identity/{DOMAIN}", "configuration-set/bizassist-demo")
    ]
    statements = [
        {
            "Sid": "SendAsTheServiceOnly",
            "Effect": "Allow",
            "Action": sends,
            "Resource": arns,
            "Condition": {"StringEquals": {"ses:FromAddress": f"no-reply@{DOMAIN}"}},
        }
    ]
    if reads:
        statements.append(
            {
                "Sid": "ReadSendingState",
                "Effect": "Allow",
                "Action": reads,
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:RequestedRegion": list(shape.region_names)}},
            }
        )
    return statements


def _filler(count: int) -> dict[str, Any]:
    """`count` identities besides the sending domain: addresses and subdomains, alternately, a
    quarter of them with notification topics. One object for every identity that says the same
    (YAML writes it once, aliased), so that 17 regions of 1,000 stay within the 1 MiB and
    100,000 values a scenario file may hold (golive/yamlfile.py)."""
    plain: dict[str, Any] = {}
    notified = {"notifications": {"bounce": "bizassist-ses-feedback", "complaint": "bizassist-ses-feedback"}}
    found: dict[str, Any] = {}
    for n in range(1, count + 1):
        name = f"sender-{n:04d}@{DOMAIN}" if n % 2 else f"brand-{n:04d}.{DOMAIN}"
        found[name] = notified if n % 4 == 1 else plain
    return found


def _zone(shape: Shape) -> str:
    """bizassist.example as SES asks for it in every region: tokens, and one MAIL FROM name each."""
    lines = [
        f"; {DOMAIN} for {shape.name}, written by bench/worlds.py",
        f"$ORIGIN {DOMAIN}.",
        "$TTL 300",
        f"@ IN SOA ns1.{DOMAIN}. hostmaster.{DOMAIN}. 2026120301 3600 600 604800 300",
        f"@ IN NS ns1.{DOMAIN}.",
        "ns1 IN A 127.0.0.1",
        f"@ IN MX 10 inbound-smtp.{HOME}.amazonaws.com.",
        '@ IN TXT "v=spf1 include:amazonses.com ~all"',
        f'_dmarc IN TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@{DOMAIN}"',
    ]
    for r in shape.region_names:
        lines.append(f'_amazonses IN TXT "{{{{ses:{r}:verification}}}}"')
        lines.extend(
            f"{{{{ses:{r}:dkim{n}}}}}._domainkey IN CNAME {{{{ses:{r}:dkim{n}}}}}.dkim.amazonses.com." for n in (1, 2, 3)
        )
        name = mail_from(r).removesuffix(f".{DOMAIN}")
        lines.append(f"{name} IN MX 10 feedback-smtp.{r}.amazonses.com.")
        lines.append(f'{name} IN TXT "v=spf1 include:amazonses.com ~all"')
    return "\n".join(lines) + "\n"
