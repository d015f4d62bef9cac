"""Scenario files: a simulated AWS account (IAM, SES per region, DNS zones) for moto mode.

The format is documented in docs/scenarios.md and validated by golive/schema/scenario.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from golive.config import ConfigError, check_schema, load_with_bases

DEFAULT_ACCOUNT = "123456789012"  # moto's account; another one needs MOTO_ACCOUNT_ID before moto loads
DEFAULT_AUDITOR = "golive-auditor"


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


def load_scenario(path: Path) -> Scenario:
    if not path.is_file():
        raise ConfigError(f"{path}: no such scenario file (key 'aws.scenario' of the config)")
    data, origins, _ = load_with_bases(path.resolve())
    check_schema(data, "scenario", origins)
    scenario = Scenario(path=path, data=data)
    for origin, file in scenario.zone_files().items():
        if not file.is_file():
            raise ConfigError(f"{path}: key 'dns.zones.{origin}': no such zone file {file}")
    return scenario
