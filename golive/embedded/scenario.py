"""Scenario files: a simulated AWS account (IAM, SES per region, DNS zones) for moto mode.

The format is documented in docs/scenarios.md and validated by golive/schema/scenario.yaml;
`load_scenario` adds what a schema cannot say: the files it names stay inside the config
directory, and every policy, group and AWS-managed policy it attaches exists.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from golive.errors import ConfigError
from golive.validation import check_schema
from golive.yamlfile import Origins, contained_file, load_with_bases, origin, outside, read_text, shown

DEFAULT_ACCOUNT = "123456789012"  # moto's account; another one needs MOTO_ACCOUNT_ID before moto loads
DEFAULT_AUDITOR = "golive-auditor"
SCENARIO_EXPECTED = "a mapping with version: 1 (see docs/scenarios.md)"
AWS_MANAGED_PREFIX = "arn:aws:iam::aws:policy"


@dataclass(frozen=True)
class Scenario:
    path: Path
    data: dict[str, Any]

    @property
    def account_id(self) -> str:
        return self.data.get("account_id", DEFAULT_ACCOUNT)

    @property
    def auditor(self) -> dict[str, Any]:
        return self.data.get("auditor") or {}

    @property
    def iam(self) -> dict[str, Any]:
        return self.data.get("iam") or {}

    @property
    def regions(self) -> dict[str, Any]:
        return self.data.get("regions") or {}

    def zone_files(self) -> dict[str, Path]:
        """Zone origin -> zone file, resolved against the scenario's directory."""
        zones = (self.data.get("dns") or {}).get("zones") or {}
        return {origin: (self.path.parent / file).resolve() for origin, file in sorted(zones.items())}

    def aws_managed_policies(self) -> set[str]:
        """The AWS-managed policy ARNs the scenario attaches (moto loads them only when asked)."""
        return {ref for _, ref in _policy_refs(self.iam) if ref.startswith(f"{AWS_MANAGED_PREFIX}/")}


def load_scenario(path: Path, *, root: Path) -> Scenario:
    """Load and check a scenario; `root` is the config directory every file it reads must be inside."""
    if not path.is_file():
        raise ConfigError(f"{path}: no such scenario file (key 'aws.scenario' of the config)")
    problem = outside(root, path)
    if problem:
        raise ConfigError(f"{path}: the scenario file {problem}")
    data, origins, _ = load_with_bases(path.resolve(), root=root, expected=SCENARIO_EXPECTED)
    check_schema(data, "scenario", origins)
    scenario = Scenario(path=path, data=data)
    zones = (data.get("dns") or {}).get("zones") or {}
    for zone, name in sorted(zones.items()):
        key = f"{origin(origins, ('dns', 'zones'))}: key 'dns.zones.{zone}'"
        # the zone reader gets what the config reader accepts: bounded UTF-8
        read_text(contained_file(root, path.parent, name, key, "zone file"))
    _check_references(scenario, origins)
    return scenario


def _policy_refs(iam: dict[str, Any]) -> list[tuple[str, str]]:
    """(key, policy reference) for every managed policy and boundary the scenario's IAM attaches."""
    refs = []
    for kind in ("groups", "users", "roles"):
        for name, entity in (iam.get(kind) or {}).items():
            entity = entity or {}
            for index, ref in enumerate(entity.get("managed") or ()):
                refs.append((f"iam.{kind}.{name}.managed[{index}]", ref))
            if entity.get("boundary"):
                refs.append((f"iam.{kind}.{name}.boundary", entity["boundary"]))
    return refs


def _check_references(scenario: Scenario, origins: Origins) -> None:
    """Seeding attaches by name or ARN: one that names nothing would stop moto mid-seed."""
    iam = scenario.iam
    file = origin(origins, ("iam",))
    own = set(iam.get("policies") or ())
    own_prefix = f"arn:aws:iam::{scenario.account_id}:policy/"
    for key, ref in _policy_refs(iam):
        if ref.startswith(f"{AWS_MANAGED_PREFIX}/"):
            known = aws_managed_policies()
            if ref not in known:
                hint = difflib.get_close_matches(ref, list(known), n=2)
                close = f"; did you mean {' or '.join(hint)}?" if hint else ""
                raise ConfigError(
                    f"{file}: key '{key}': {shown(ref)} is not an AWS-managed policy moto knows "
                    f"({len(known)} of them){close}"
                )
            continue
        name = ref.removeprefix(own_prefix) if ref.startswith("arn:") else ref
        if ref.startswith("arn:") and not ref.startswith(own_prefix):
            raise ConfigError(
                f"{file}: key '{key}': {shown(ref)} is a policy of another account; expected a name from iam.policies, "
                f"an ARN {own_prefix}<name>, or an AWS-managed {AWS_MANAGED_PREFIX}/<name>"
            )
        if name not in own:
            raise ConfigError(
                f"{file}: key '{key}': no policy {shown(name)} in iam.policies; "
                f"expected one of: {', '.join(sorted(own)) or 'none defined'}, or an AWS-managed policy ARN"
            )
    groups = set(iam.get("groups") or ())
    for user, spec in (iam.get("users") or {}).items():
        for index, group in enumerate((spec or {}).get("groups") or ()):
            if group not in groups:
                raise ConfigError(
                    f"{file}: key 'iam.users.{user}.groups[{index}]': no group {shown(group)} in iam.groups; "
                    f"expected one of: {', '.join(sorted(groups)) or 'none defined'}"
                )


@cache
def aws_managed_policies() -> frozenset[str]:
    """The ARNs of the AWS-managed policies moto ships (a 4 MB module: loaded only when a scenario names one)."""
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    return frozenset(
        f"{AWS_MANAGED_PREFIX}{spec.get('Path', '/')}{name}"
        for name, spec in json.loads(aws_managed_policies_data).items()
    )
