"""The service's environment matrix: which variables it runs with, read from where they live.

The config's `env_matrix` names a source and the variables with their rules. The source is
the deployed service's own configuration (an ECS task definition or a Lambda function, read
by the env inventory during the run: golive/env/deployed.py), a dotenv file (read with
python-dotenv's parser) or golive's own process environment (a CI job that exports the
service's variables). A dotenv file or the process is read while the config loads, so a
local source golive cannot read is bad input (exit 4), never a check's verdict.

Dotenv values are taken literally, as the service's own loader (Node's `dotenv`) takes them:
no `${VAR}` expansion, which would mix golive's own environment into the service's.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dotenv.parser import parse_stream

from golive.errors import ConfigError
from golive.evidence.redact import MASK, mask_values

MAX_DOTENV_BYTES = 1_000_000  # a service's environment file is a few kilobytes; more is not one


@dataclass(frozen=True)
class Variable:
    name: str
    required: bool = False
    rule: str | None = None
    one_of: tuple[str, ...] = ()
    secret: bool = False


@dataclass(frozen=True)
class Matrix:
    source: str  # where the values were read, in words: "dotenv file config/.env.prod"
    variables: tuple[Variable, ...]
    values: Mapping[str, str]  # every variable the source holds, configured or not
    # variables the platform fills from a secret at start-up (ECS `secrets`): their value here is
    # the secret's ARN (valueFrom), never the secret itself
    injected: frozenset[str] = frozenset()

    def value(self, name: str) -> str | None:
        """The variable's value; None when the source does not hold it or holds it empty."""
        return self.values.get(name) or None

    def shown(self, variable: Variable) -> str:
        """What a report may show of a value: a secret variable's never, only that it is set."""
        value = self.value(variable.name)
        if value is None:
            return "(not set)"
        return MASK if variable.secret else value


def variables_of(section: Mapping[str, Any]) -> tuple[Variable, ...]:
    return tuple(
        Variable(
            name=name,
            required=bool(spec.get("required", False)),
            rule=spec.get("rule"),
            one_of=tuple(spec.get("one_of", ())),
            secret=bool(spec.get("secret", False)),
        )
        for name, spec in sorted((section.get("variables") or {}).items())
    )


DEPLOYED_KEYS = ("ecs_task_definition", "lambda_function")  # preferred to a dotenv file when named


def is_local(section: Mapping[str, Any]) -> bool:
    """A dotenv file or the process: read with the config, not from AWS."""
    source = section.get("source", "process")
    return source == "process" or not any(key in source for key in DEPLOYED_KEYS)


def read_matrix(section: Mapping[str, Any], config_path: Path) -> Matrix:
    """Read the matrix's local source; raise ConfigError naming the file and key when it cannot be read."""
    source = section.get("source", "process")
    if source == "process":
        values, where = dict(os.environ), "the process environment of golive"
    else:
        path = (config_path.parent / source["dotenv"]).resolve()
        values, where = read_dotenv(path, config_path), f"dotenv file {path}"
    return masked(Matrix(where, variables_of(section), values))


def masked(matrix: Matrix) -> Matrix:
    """The matrix, its secret variables' values masked from now on in whatever a report, a log or
    an error says (golive.evidence.redact)."""
    mask_values(matrix.values[v.name] for v in matrix.variables if v.secret and matrix.values.get(v.name))
    return matrix


def read_dotenv(path: Path, config_path: Path) -> dict[str, str]:
    """The file's variables; a ConfigError (one line: the config's file and key, then the dotenv
    file's problem) when it is not a dotenv file golive can read."""
    key = f"{config_path}: key 'env_matrix.source.dotenv'"
    if path.exists() and not path.is_file():  # a folder, a device or a pipe (which would block the read)
        raise ConfigError(f"{key}: {path} is not a file: expected a dotenv file")
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_DOTENV_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{key}: cannot read the dotenv file {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_DOTENV_BYTES:
        raise ConfigError(f"{key}: {path} is over {MAX_DOTENV_BYTES:,} bytes: expected a dotenv file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{key}: {path}: byte {exc.start + 1} is not UTF-8: expected a UTF-8 dotenv file "
            "(a UTF-16 file? save it as UTF-8)"
        ) from None
    if "\x00" in text:
        raise ConfigError(f"{key}: {path} holds a NUL character: expected a text dotenv file")
    return _bindings(text, f"{key}: {path}")


def _bindings(text: str, where: str) -> dict[str, str]:
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    for binding in parse_stream(io.StringIO(text)):
        line = binding.original.line
        if binding.error:
            raise ConfigError(f"{where}: line {line}: expected NAME=value, a comment or a blank line")
        if binding.key is None:
            continue  # a comment or a blank line
        if binding.key in lines:
            # two values for one name: which one the service gets depends on its loader
            raise ConfigError(f"{where}: line {line}: {binding.key} is set again (first on line {lines[binding.key]})")
        lines[binding.key] = line
        values[binding.key] = binding.value or ""
    return values
