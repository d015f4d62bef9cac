"""Validating a merged config: the JSON Schema, then what a schema cannot say (regions SES
offers, actions IAM knows, the scenario path, the waivers), each problem one ConfigError
naming the file, the key and what was expected."""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from golive.aws import ses_regions
from golive.errors import ConfigError
from golive.evidence import waivers
from golive.iam import catalog
from golive.yamlfile import Origins, one_line, origin, outside, printable, shown

DEFAULT_WAIVER_HORIZON_DAYS = 90


@cache
def _schema(name: str) -> dict[str, Any]:
    text = resources.files("golive.schema").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    # golive's own files, read on every run: libyaml's parser where PyYAML has it (10 times faster;
    # a config, whose marks golive reports, goes through golive.yamlfile's loader instead)
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def check_schema(data: dict[str, Any], schema: str, origins: Origins) -> None:
    """Validate `data` against golive/schema/<schema>.yaml; raise ConfigError for the first problem."""
    validator = jsonschema.Draft202012Validator(
        _schema(schema), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if errors:
        raise ConfigError(_describe(_most_specific(errors[0]), origins))


def validate(data: dict[str, Any], origins: Origins, path: Path, root: Path) -> None:
    check_schema(data, "config", origins)
    _check_regions(data, origins)
    _check_actions(data, origins)
    _check_scenario_path(data, origins, path, root)
    _check_waivers(data, origins)
    _check_backend(data, origins)
    _check_mail_from(data, origins)
    _check_matrix_source(data, origins)


def _most_specific(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For oneOf/anyOf failures, the sub-error that got deepest says most about the mistake."""
    while error.context:
        error = max(error.context, key=lambda e: len(e.absolute_path))
    return error


def _dotted(key_path: tuple[str, ...]) -> str:
    return ".".join(printable(k, 80) for k in key_path) or "(top level)"


def _describe(error: jsonschema.ValidationError, origins: Origins) -> str:
    key_path = tuple(str(p) for p in error.absolute_path)
    file = origin(origins, key_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties":
        known = sorted(schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(known))
        expected = f"expected one of: {', '.join(known)}" if known else "no further keys are allowed here"
        where = _dotted((*key_path, unknown[0])) if unknown else _dotted(key_path)
        return f"{file}: key '{where}': unknown key; {expected}"
    if error.validator == "required":
        return f"{file}: key '{_dotted(key_path)}': {one_line(error.message)}"
    # a value of the wrong kind or shape is told what the key holds; a wrong length is told the bound
    described = error.validator in ("pattern", "type") and _EXPECTED.get(schema.get("pattern", ""))
    expected = described or _expectation(error)
    if "propertyNames" in error.schema_path:  # the key's own name is wrong, not its value
        return f"{file}: key '{_dotted((*key_path, str(error.instance)))}': expected {expected} as the key"
    return f"{file}: key '{_dotted(key_path)}': expected {expected}, found {shown(error.instance)}"


_EXPECTED = {
    r"^\d{12}$": 'a 12-digit AWS account id in quotes (e.g. "111122223333")',
    r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$": "an AWS region name (e.g. us-east-1)",
    r"^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$": "an IAM action as service:Action (e.g. ses:SendEmail)",
    r"^[^@\s]+@([a-z0-9-]+\.)+[a-z]{2,}$": "an email address in lower case (e.g. no-reply@example.com)",
    r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$": "a domain name in lower case (e.g. example.com)",
    r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$": (
        "a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<12-digit account>:secret:<name>-<6 characters>)"
    ),
    r"^arn:aws[a-z-]*:iam::\d{12}:(role|user)/([\w+=,.@-]+/)*[\w+=,.@-]+$": (
        "an IAM role or user ARN (arn:aws:iam::<12-digit account>:role/<name> or :user/<name>)"
    ),
}


def _expectation(error: jsonschema.ValidationError) -> str:
    value = error.validator_value
    if error.validator == "enum":
        return "one of " + ", ".join(repr(v) for v in value)
    if error.validator == "const":
        return repr(value)
    if error.validator == "type":
        kinds = value if isinstance(value, list) else [value]
        return " or ".join({"object": "a mapping", "array": "a list"}.get(k, f"a {k}") for k in kinds)
    if error.validator == "pattern":
        if "arn:" in value:
            return "an ARN (arn:aws:<service>:<region>:<account>:<resource>)"
        return f"a value matching {value}"
    if error.validator == "format":
        return f"a {value} (YYYY-MM-DD)" if value == "date" else value
    bounds = {
        "minItems": f"a list of at least {value} item(s)",
        "maxItems": f"a list of at most {value} items",
        "uniqueItems": "a list without repeated items",
        "minLength": f"text of at least {value} character(s)",
        "maxLength": f"text of at most {value} characters",
        "minimum": f"a number of at least {value}",
        "maximum": f"a number of at most {value}",
        "exclusiveMinimum": f"a number above {value}",
        "exclusiveMaximum": f"a number below {value}",
    }
    # jsonschema's own messages quote the whole instance, which can be a file's worth of text
    return bounds.get(error.validator) or printable(" ".join(error.message.split()), 200)


def _check_regions(data: dict[str, Any], origins: Origins) -> None:
    offered = set(ses_regions())
    for index, region in enumerate(data["regions"]):
        if region not in offered:
            file = origin(origins, ("regions",))
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
                file = origin(origins, ("principals", name, key))
                hint = catalog.suggest(action)
                suggestion = f"; did you mean {' or '.join(hint)}?" if hint else ""
                raise ConfigError(
                    f"{file}: key 'principals.{name}.{key}[{index}]': {action!r} is not an IAM action "
                    f"(a policy granting it grants nothing){suggestion}"
                )


def _check_scenario_path(data: dict[str, Any], origins: Origins, path: Path, root: Path) -> None:
    # resolved as Config.scenario_path() resolves it: against the environment file's directory
    scenario = data["aws"].get("scenario")
    problem = outside(root, path.parent / scenario) if scenario else None
    if problem:
        file = origin(origins, ("aws", "scenario"))
        raise ConfigError(f"{file}: key 'aws.scenario': {shown(scenario)} {problem}")


def _check_waivers(data: dict[str, Any], origins: Origins) -> None:
    """Waivers name checks (see waivers.refusal) and expire within the horizon, counted from today (UTC)."""
    horizon = data.get("waiver_horizon_days", DEFAULT_WAIVER_HORIZON_DAYS)
    latest = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=horizon)
    for index, waiver in enumerate(data.get("waivers") or ()):
        file = origin(origins, ("waivers",))
        problem = waivers.refusal(waiver["check"])
        if problem:
            raise ConfigError(f"{file}: key 'waivers[{index}].check': {problem}")
        expires = dt.date.fromisoformat(waiver["expires"])
        if expires > latest:
            raise ConfigError(
                f"{file}: key 'waivers[{index}].expires': {expires} is more than {horizon} days away "
                f"(waiver_horizon_days); expected a date no later than {latest}: a waiver is renewed on purpose"
            )


def _check_backend(data: dict[str, Any], origins: Origins) -> None:
    """The backend's region is one the environment audits; its principal is one of `principals`."""
    backend = data.get("backend") or {}
    region = backend.get("region")
    if region and region not in data["regions"]:
        file = origin(origins, ("backend", "region"))
        raise ConfigError(
            f"{file}: key 'backend.region': {region!r} is not one of the configured regions "
            f"({', '.join(data['regions'])}); expected one of them"
        )
    principals = data.get("principals") or {}
    asks = any(backend.get(key) for key in ("db_user", "secrets", "log_group"))
    name = backend.get("principal", "api")
    if asks and principals and name not in principals:
        file = origin(origins, ("backend", "principal") if "principal" in backend else ("backend",))
        raise ConfigError(
            f"{file}: key 'backend.principal': no principal {name!r} in principals to ask the backend's "
            f"permissions about; expected one of: {', '.join(sorted(principals))}"
        )


def _check_mail_from(data: dict[str, Any], origins: Origins) -> None:
    """A per-region MAIL FROM names every configured region and no other, each with a name of its
    own: the name's one MX points at one region's feedback endpoint."""
    regions = list(data["regions"])
    for domain, spec in ((data.get("ses") or {}).get("domains") or {}).items():
        given = (spec or {}).get("mail_from")
        if not isinstance(given, dict):
            continue
        key = f"ses.domains.{domain}.mail_from"
        file = origin(origins, ("ses", "domains", domain, "mail_from"))
        unknown = [r for r in given if r not in regions]
        missing = [r for r in regions if r not in given]
        if unknown or missing:
            wrong = (
                f"{unknown[0]!r} is not one of the configured regions" if unknown else f"no entry for {missing[0]!r}"
            )
            raise ConfigError(
                f"{file}: key '{key}': {wrong}; expected one entry per region of regions "
                f"({', '.join(regions)}), null where no custom MAIL FROM is expected yet"
            )
        names = [name for name in given.values() if name]
        shared = next((name for name in names if names.count(name) > 1), None)
        if shared:
            raise ConfigError(
                f"{file}: key '{key}': {shared!r} is given for more than one region; expected a MAIL FROM "
                "domain per region (its one MX points at one region's feedback endpoint)"
            )


def _check_matrix_source(data: dict[str, Any], origins: Origins) -> None:
    """The matrix's source names one place to read (a deployed service is preferred to a dotenv
    file), and a deployed service in a region the environment audits."""
    source = (data.get("env_matrix") or {}).get("source")
    if not isinstance(source, dict):
        return
    file = origin(origins, ("env_matrix", "source"))

    def key(name: str = "") -> str:
        return f"{file}: key 'env_matrix.source{name}'"

    if not {"dotenv", "ecs_task_definition", "lambda_function"} & set(source):
        raise ConfigError(f"{key()}: expected dotenv, ecs_task_definition or lambda_function (or `source: process`)")
    if {"ecs_task_definition", "lambda_function"} <= set(source):
        raise ConfigError(
            f"{key()}: names both ecs_task_definition and lambda_function; expected the one the service runs on"
        )
    if "container" in source and "ecs_task_definition" not in source:
        raise ConfigError(
            f"{key('.container')}: a container is of an ECS task definition; expected ecs_task_definition too"
        )
    if "region" in source and not {"ecs_task_definition", "lambda_function"} & set(source):
        raise ConfigError(
            f"{key('.region')}: the region of a deployed service; expected ecs_task_definition or lambda_function"
        )
    region = source.get("region")
    if region and region not in data["regions"]:
        raise ConfigError(
            f"{key('.region')}: {region!r} is not one of the configured regions ({', '.join(data['regions'])}); "
            "expected one of them"
        )
