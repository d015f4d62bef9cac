"""The deployed service's own configuration as the matrix's source: an ECS task definition's
container (`environment` and `secrets` entries) or a Lambda function's `Environment.Variables`.

The config names the service; the env inventory reads it during the run (through the guard, as
every read), and this module turns the answer into a Matrix. An ECS `secrets` entry is known by
its reference only: its value here is the secret's or parameter's ARN (`valueFrom`), never the
secret, which ECS alone fetches when the task starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from golive.env.matrix import Matrix, Variable
from golive.errors import CouldNotSee

ECS_READ = ("ecs", "DescribeTaskDefinition")
LAMBDA_READ = ("lambda", "GetFunctionConfiguration")


@dataclass(frozen=True)
class Deployed:
    """The service whose configuration holds the matrix: an ECS task definition or a Lambda function."""

    kind: str  # ecs | lambda
    name: str  # family[:revision], or function[:qualifier]
    region: str
    container: str | None = None  # ECS: the container, where the task definition has several

    def describe(self) -> str:
        if self.kind == "ecs":
            container = f" (container {self.container})" if self.container else ""
            return f"ECS task definition {self.name}{container} in {self.region}"
        return f"Lambda function {self.name} in {self.region}"


def deployed_source(section: Mapping[str, Any], default_region: str) -> Deployed | None:
    """The deployed service the config's `env_matrix.source` names (None: a local source)."""
    source = section.get("source", "process")
    if not isinstance(source, Mapping):
        return None
    region = source.get("region", default_region)
    if "ecs_task_definition" in source:
        return Deployed("ecs", source["ecs_task_definition"], region, source.get("container"))
    if "lambda_function" in source:
        return Deployed("lambda", source["lambda_function"], region)
    return None


def from_task_definition(deployed: Deployed, answer: Mapping[str, Any], variables: tuple[Variable, ...]) -> Matrix:
    """The matrix of one container of a DescribeTaskDefinition answer's `taskDefinition`."""
    containers = {c.get("name", ""): c for c in answer.get("containerDefinitions") or ()}
    names = ", ".join(sorted(containers)) or "none"
    chosen = deployed.container or (next(iter(containers)) if len(containers) == 1 else None)
    if chosen not in containers:
        asked = f"has no container {chosen}" if chosen else "has several containers"
        raise CouldNotSee(
            f"could not read the service's environment: {deployed.describe()} {asked} (it has: {names}).\n"
            "Fix: set env_matrix.source.container to the service's container.",
            None,
        )
    container = containers[chosen]
    values = {e["name"]: e.get("value", "") for e in container.get("environment") or () if "name" in e}
    secrets = {e["name"]: e.get("valueFrom", "") for e in container.get("secrets") or () if "name" in e}
    revision = answer.get("taskDefinitionArn", "").rpartition("/")[2] or deployed.name
    where = f"ECS task definition {revision} (container {chosen}) in {deployed.region}"
    return Matrix(where, variables, {**values, **secrets}, frozenset(secrets))


def from_function(deployed: Deployed, answer: Mapping[str, Any], variables: tuple[Variable, ...]) -> Matrix:
    """The matrix of a GetFunctionConfiguration answer (no `Environment`: a function without variables)."""
    values = dict((answer.get("Environment") or {}).get("Variables") or {})
    version = answer.get("Version")
    where = f"Lambda function {deployed.name}{f' (version {version})' if version else ''} in {deployed.region}"
    return Matrix(where, variables, values)
