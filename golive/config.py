"""One environment's config: config/<env>.yaml, merged with its `extends:` bases and validated.

Every problem becomes a ConfigError that names the file, the key and what was expected;
the plugin turns it into a pytest usage error (exit status 4) before anything is collected.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from golive.env.matrix import Matrix, Variable, is_local, read_matrix, variables_of
from golive.errors import ConfigError
from golive.sections import (
    AwsSection,
    BackendSection,
    DnsSection,
    SesSection,
    aws_section,
    backend_section,
    dns_section,
    ses_section,
)
from golive.validation import validate
from golive.yamlfile import Origins, load_with_bases, origin, outside, shown


@dataclass(frozen=True)
class Principal:
    name: str
    arn: str  # an IAM role/user ARN, or "caller"
    must_allow: tuple[str, ...]
    must_deny: tuple[str, ...]
    resources: dict[str, tuple[str, ...]]
    send_as_only: bool


@dataclass(frozen=True)
class Config:
    env: str
    path: Path
    files: tuple[Path, ...]  # the env file and every base it extends
    sha256: str  # of the merged, validated document: the report's config hash
    data: dict[str, Any]
    origins: Origins  # each key path -> the file that sets it

    def file_of(self, *key_path: str) -> Path:
        """The file that sets the key (else the nearest key above it): where a finding's fix changes it."""
        return origin(self.origins, key_path)

    @property
    def account_id(self) -> str:
        return self.data["account_id"]

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(self.data["regions"])

    @cached_property
    def aws(self) -> AwsSection:
        return aws_section(self.data["aws"])

    @cached_property
    def ses(self) -> SesSection:
        return ses_section(self.data.get("ses") or {})

    @cached_property
    def dns(self) -> DnsSection:
        return dns_section(self.data.get("dns") or {})

    @cached_property
    def backend(self) -> BackendSection:
        return backend_section(self.data.get("backend") or {})

    @cached_property
    def env_variables(self) -> tuple[Variable, ...]:
        """The variables of the service's environment matrix, with their rules: the checks' cases."""
        return variables_of(self.data.get("env_matrix") or {})

    @cached_property
    def env_matrix(self) -> Matrix | None:
        """The service's variables as a dotenv file or the process holds them (load_config reads it);
        None where the source is the deployed service, which the env inventory reads from AWS."""
        section = self.data.get("env_matrix")
        if not section:
            return Matrix("no env_matrix in the config", (), {})
        return read_matrix(section, self.path) if is_local(section) else None

    @property
    def production(self) -> bool:
        return bool(self.data.get("production", False))

    @property
    def principals(self) -> tuple[Principal, ...]:
        return tuple(
            Principal(
                name=name,
                arn=spec["arn"],
                must_allow=tuple(spec.get("must_allow", ())),
                must_deny=tuple(spec.get("must_deny", ())),
                resources={a: tuple(r) for a, r in (spec.get("resources") or {}).items()},
                send_as_only=spec.get("send_as_only") == "ses.from_address",
            )
            for name, spec in sorted((self.data.get("principals") or {}).items())
        )

    def scenario_path(self) -> Path | None:
        """The moto scenario file, resolved against the directory of the config that named it."""
        scenario = self.aws.scenario
        return (self.path.parent / scenario).resolve() if scenario else None


def available_envs(config_dir: Path) -> list[str]:
    return sorted(p.stem for p in config_dir.glob("*.yaml") if not p.stem.startswith("base"))


# An environment is the name of a file in the config directory, never a path: `verify ../x` reads nothing.
_ENV_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
# What an environment file must hold, for the message about an empty or misshapen one.
CONFIG_EXPECTED = "a mapping with account_id, regions and aws"


def load_config(env: str, config_dir: Path) -> Config:
    """Load config/<env>.yaml with its bases, validate it, and return it; raise ConfigError."""
    envs = f"environments in {config_dir}/: {', '.join(available_envs(config_dir)) or 'none'}"
    if not env:
        raise ConfigError(f"no environment given: run `make verify ENV=<name>`; {envs}")
    if not _ENV_NAME.fullmatch(env):
        raise ConfigError(
            f"{shown(env)} is not an environment name: expected the name of a file in {config_dir}/ "
            f"without .yaml; {envs}"
        )
    path = config_dir / f"{env}.yaml"
    if not path.is_file():
        raise ConfigError(f"{path}: no such environment file; {envs}")
    root = config_dir.resolve()
    problem = outside(root, path)
    if problem:
        raise ConfigError(f"{path}: the environment file {problem}")
    data, origins, files = load_with_bases(path.resolve(), root=root, expected=CONFIG_EXPECTED)
    data.setdefault("environment", env)
    validate(data, origins, path.resolve(), root)
    canonical = yaml.safe_dump(data, sort_keys=True).encode()
    config = Config(
        env=env,
        path=path.resolve(),
        files=files,
        sha256=hashlib.sha256(canonical).hexdigest(),
        data=data,
        origins=origins,
    )
    config.env_matrix  # noqa: B018 - read now: a source golive cannot read is bad input, before any check
    return config
