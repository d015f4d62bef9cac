"""One environment's config: config/<env>.yaml, merged with its `extends:` bases and validated.

Every problem becomes a ConfigError that names the file, the key and what was expected;
the plugin turns it into a pytest usage error (exit status 4) before anything is collected.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from golive.aws import ses_regions
from golive.iam import catalog
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


class ConfigError(Exception):
    """A config problem, worded for the person who wrote the file."""


class _Loader(yaml.SafeLoader):
    """YAML without implicit timestamps: `expires: 2026-12-15` stays the string the schema expects."""


_Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# Config sections the schema accepts (so environment files can be written once) but that no
# check of this version reads yet: a run that has them says so, instead of implying they passed.
NOT_YET_CHECKED = (("env_matrix",), ("backend", "rds_instance"), ("backend", "iam_db_auth"))


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

    def unchecked_keys(self) -> tuple[str, ...]:
        """Keys this environment sets that no check reads yet (see NOT_YET_CHECKED)."""
        found = []
        for path in NOT_YET_CHECKED:
            node: Any = self.data
            for key in path:
                node = node.get(key) if isinstance(node, dict) else None
            if node:
                found.append(".".join(path))
        return tuple(found)

    def scenario_path(self) -> Path | None:
        """The moto scenario file, resolved against the directory of the config that named it."""
        scenario = self.aws.scenario
        return (self.path.parent / scenario).resolve() if scenario else None


def available_envs(config_dir: Path) -> list[str]:
    return sorted(p.stem for p in config_dir.glob("*.yaml") if not p.stem.startswith("base"))


def load_config(env: str, config_dir: Path) -> Config:
    """Load config/<env>.yaml with its bases, validate it, and return it; raise ConfigError."""
    if not env:
        raise ConfigError(
            "no environment given: run `make verify ENV=<name>`; "
            f"environments in {config_dir}/: {', '.join(available_envs(config_dir)) or 'none'}"
        )
    path = config_dir / f"{env}.yaml"
    if not path.is_file():
        raise ConfigError(
            f"{path}: no such environment file; "
            f"environments in {config_dir}/: {', '.join(available_envs(config_dir)) or 'none'}"
        )
    data, origins, files = load_with_bases(path.resolve())
    data.setdefault("environment", env)
    _validate(data, origins)
    canonical = yaml.safe_dump(data, sort_keys=True).encode()
    return Config(
        env=env,
        path=path.resolve(),
        files=files,
        sha256=hashlib.sha256(canonical).hexdigest(),
        data=data,
    )


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        doc = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path}{where}: YAML syntax error: {problem}") from None
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise ConfigError(f"{path}: expected a mapping of keys at the top level, found {type(doc).__name__}")
    return doc


Origins = dict[tuple[str, ...], Path]


def load_with_bases(path: Path, chain: tuple[Path, ...] = ()) -> tuple[dict[str, Any], Origins, tuple[Path, ...]]:
    """Read a YAML file merged over the file its `extends:` names (recursively), with each key's file."""
    if path in chain:
        cycle = " -> ".join(p.name for p in (*chain, path))
        raise ConfigError(f"{chain[-1]}: key 'extends': circular extends ({cycle})")
    doc = read_yaml(path)
    own_origins = {key_path: path for key_path in _key_paths(doc)}
    base_name = doc.pop("extends", None)
    if base_name is None:
        return doc, own_origins, (path,)
    if not isinstance(base_name, str):
        raise ConfigError(f"{path}: key 'extends': expected a file name, found {base_name!r}")
    base_path = (path.parent / base_name).resolve()
    if not base_path.is_file():
        raise ConfigError(f"{path}: key 'extends': no such file {base_path}")
    base, base_origins, files = load_with_bases(base_path, (*chain, path))
    return _merge(base, doc), {**base_origins, **own_origins}, (path, *files)


def _key_paths(doc: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if not isinstance(doc, dict):
        return [prefix]
    paths = [prefix] if prefix else []
    for key, value in doc.items():
        paths.extend(_key_paths(value, (*prefix, str(key))))
    return paths


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Mappings merge key by key; any other value (lists included) replaces the base's."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@cache
def _schema(name: str) -> dict[str, Any]:
    text = resources.files("golive.schema").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def check_schema(data: dict[str, Any], schema: str, origins: Origins) -> None:
    """Validate `data` against golive/schema/<schema>.yaml; raise ConfigError for the first problem."""
    validator = jsonschema.Draft202012Validator(
        _schema(schema), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if errors:
        raise ConfigError(_describe(_most_specific(errors[0]), origins))


def _validate(data: dict[str, Any], origins: Origins) -> None:
    check_schema(data, "config", origins)
    _check_regions(data, origins)
    _check_actions(data, origins)


def _most_specific(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For oneOf/anyOf failures, the sub-error that got deepest says most about the mistake."""
    while error.context:
        error = max(error.context, key=lambda e: len(e.absolute_path))
    return error


def _where(key_path: tuple[str, ...], origins: Origins) -> Path:
    for length in range(len(key_path), -1, -1):
        if key_path[:length] in origins:
            return origins[key_path[:length]]
    return next(iter(origins.values()))


def _dotted(key_path: tuple[str, ...]) -> str:
    return ".".join(key_path) or "(top level)"


def _describe(error: jsonschema.ValidationError, origins: Origins) -> str:
    key_path = tuple(str(p) for p in error.absolute_path)
    file = _where(key_path, origins)
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties":
        known = sorted(schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(known))
        expected = f"expected one of: {', '.join(known)}" if known else "no further keys are allowed here"
        where = _dotted((*key_path, unknown[0])) if unknown else _dotted(key_path)
        return f"{file}: key '{where}': unknown key; {expected}"
    if error.validator == "required":
        return f"{file}: key '{_dotted(key_path)}': {error.message}"
    found = f"found {error.instance!r}"
    expected = _EXPECTED.get(schema.get("pattern", "")) or _expectation(error)
    return f"{file}: key '{_dotted(key_path)}': expected {expected}, {found}"


_EXPECTED = {
    r"^\d{12}$": 'a 12-digit AWS account id in quotes (e.g. "111122223333")',
    r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$": "an AWS region name (e.g. us-east-1)",
    r"^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$": "an IAM action as service:Action (e.g. ses:SendEmail)",
    r"^[^@\s]+@([a-z0-9-]+\.)+[a-z]{2,}$": "an email address in lower case (e.g. no-reply@example.com)",
    r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$": "a domain name in lower case (e.g. example.com)",
    r"^arn:aws[a-z-]*:iam::\d{12}:(role|user)/([\w+=,.@-]+/)*[\w+=,.@-]+$": (
        "an IAM role or user ARN (arn:aws:iam::<12-digit account>:role/<name> or :user/<name>)"
    ),
}


def _expectation(error: jsonschema.ValidationError) -> str:
    if error.validator == "enum":
        return "one of " + ", ".join(repr(v) for v in error.validator_value)
    if error.validator == "const":
        return repr(error.validator_value)
    if error.validator == "type":
        kinds = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return " or ".join({"object": "a mapping", "array": "a list"}.get(k, f"a {k}") for k in kinds)
    if error.validator == "pattern":
        if "arn:" in error.validator_value:
            return "an ARN (arn:aws:<service>:<region>:<account>:<resource>)"
        return f"a value matching {error.validator_value}"
    if error.validator == "format":
        return f"a {error.validator_value} (YYYY-MM-DD)" if error.validator_value == "date" else error.validator_value
    return error.message


def _check_regions(data: dict[str, Any], origins: Origins) -> None:
    offered = set(ses_regions())
    for index, region in enumerate(data["regions"]):
        if region not in offered:
            file = _where(("regions",), origins)
            raise ConfigError(
                f"{file}: key 'regions[{index}]': Amazon SES is not offered in region {region!r}; "
                f"expected one of: {', '.join(sorted(offered))}"
            )


def _check_actions(data: dict[str, Any], origins: Origins) -> None:
    for name, spec in (data.get("principals") or {}).items():
        for key in ("must_allow", "must_deny"):
            for index, action in enumerate(spec.get(key, ())):
                if catalog.is_known(action):
                    continue
                file = _where(("principals", name, key), origins)
                hint = catalog.suggest(action)
                suggestion = f"; did you mean {' or '.join(hint)}?" if hint else ""
                raise ConfigError(
                    f"{file}: key 'principals.{name}.{key}[{index}]': {action!r} is not an IAM action "
                    f"(a policy granting it grants nothing){suggestion}"
                )
