"""Environment-matrix facts: each variable as the service will get it, and what it must agree with.

Each fact words its own finding, fix included; a secret variable's value is never in it
(only its name, its form and `***`). The cross-checks lean on the other areas where they
already prove something: the configured sender and configuration set are verified and
exist in every configured region by the SES checks, so here a variable only has to be them.
A cross-check compares a value only when it is set and has its form; otherwise it passes with
`not_compared` saying why, since the presence or the form check already fails for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from golive.backend.cases import region as backend_region
from golive.backend.inventory import BackendInventory
from golive.config import Config
from golive.dns.inventory import DnsInventory
from golive.env import forms
from golive.env.cases import REGION_RULE, STATIC_KEYS, VariableCase
from golive.env.inventory import EnvInventory
from golive.env.matrix import Matrix, Variable
from golive.errors import CouldNotSee

SECRET_REFERENCE_RULE = "secret-arn-in-region"  # the one rule an injected secret's reference can be held to


@dataclass(frozen=True)
class VariableFact:
    """One variable of the matrix, and what a check found wrong with it (None: nothing)."""

    variable: Variable
    source: str
    shown: str  # the value as a report may show it
    problem: str | None
    compared: dict[str, Any] = field(default_factory=dict)  # what it was checked against

    def evidence(self) -> dict[str, Any]:
        return {"variable": self.variable.name, "source": self.source, "value": self.shown, **self.compared}


def _fact(case: VariableCase, matrix: Matrix, problem: str | None, **compared: Any) -> VariableFact:
    if case.variable.name in matrix.injected:
        compared = {"value_is": "the ARN of the secret ECS fills it from (valueFrom)", **compared}
    return VariableFact(case.variable, matrix.source, matrix.shown(case.variable), problem, compared)


def _value(case: VariableCase, matrix: Matrix) -> str:
    return matrix.value(case.variable.name) or ""


def _unusable(variable: Variable, matrix: Matrix) -> str | None:
    """Why a cross-check does not compare this variable's value (None: it does)."""
    value = matrix.value(variable.name)
    if value is None:
        return "not set"
    if variable.name in matrix.injected and variable.rule != SECRET_REFERENCE_RULE:
        return "filled from a secret golive never reads"
    if variable.rule and forms.form_problem(variable.rule, value):
        return "not of its form: test_variable_has_its_form reports it"
    return None


def _skipped(case: VariableCase, matrix: Matrix, why: str) -> VariableFact:
    return _fact(case, matrix, None, not_compared=why)


def service_region(config: Config, matrix: Matrix) -> tuple[str | None, str]:
    """The region the service runs in (its region variable, else the config's only region), and why.

    A region variable outside the config's regions fails its own check; the others then compare
    with the config's regions, so that one wrong variable is one failure."""
    for variable in matrix.variables:
        value = matrix.value(variable.name)
        if variable.rule == REGION_RULE and value in config.regions:
            return value, f"{variable.name}={value}"
    if len(config.regions) == 1:
        return config.regions[0], f"the config's one region {config.regions[0]}"
    return None, "no region variable is set and the config has several regions"


def presence(case: VariableCase, env: EnvInventory, config: Config) -> VariableFact:
    matrix = env.matrix()
    name, source = case.variable.name, matrix.source
    missing = _value(case, matrix) == ""
    problem = f"{name} is not set (or is empty) in {source}.\nFix: set {name} where the service gets its environment."
    return _fact(case, matrix, problem if missing else None, required=True)


def form(case: VariableCase, env: EnvInventory, config: Config) -> VariableFact:
    matrix = env.matrix()
    variable, value = case.variable, _value(case, matrix)
    if not value:
        return _fact(case, matrix, None, form="not set (required: its presence check reports it)"
                     if variable.required else "not set (optional)")  # fmt: skip
    one_of = f"one of {', '.join(variable.one_of)}"
    expected = forms.EXPECTED[variable.rule] if variable.rule else one_of
    if variable.name in matrix.injected and variable.rule != SECRET_REFERENCE_RULE:
        raise CouldNotSee(
            f"could not check the form of {variable.name}: {matrix.source} fills it from the secret {value}, "
            f"and golive never reads a secret's value (expected {expected}).\nFix: check the secret's value "
            f"yourself, and drop the rule of {variable.name} from env_matrix.variables (its presence is still checked).",
            None,
        )
    wrong = forms.form_problem(variable.rule, value) if variable.rule else None
    if wrong is None and variable.one_of and value not in variable.one_of:
        expected, wrong = one_of, "not one of them"
    problem = (
        f"{variable.name}={matrix.shown(variable)} in {matrix.source}: expected {expected}; "
        f"{wrong}.\nFix: set {variable.name} to {expected}."
    )
    return _fact(case, matrix, problem if wrong else None, expected=expected)


def sender(case: VariableCase, env: EnvInventory, config: Config) -> VariableFact:
    matrix = env.matrix()
    if why := _unusable(case.variable, matrix):
        return _skipped(case, matrix, why)
    name, value, configured = case.variable.name, _value(case, matrix), config.ses.from_address
    if configured is None:
        problem = (
            f"{name} is set but the config names no ses.from_address to compare it with.\nFix: set ses.from_address."
        )
    elif value == configured:
        problem = None
    else:
        # IAM compares ses:FromAddress with StringEquals, which is case-sensitive
        how = "differs only in letter case from" if value.lower() == configured.lower() else "is not"
        problem = (
            f"{name}={value} in {matrix.source} {how} the configured sender {configured}: the IAM checks and SES "
            f"checks prove the configured sender, not this one, and a policy that scopes sends with StringEquals on "
            f"ses:FromAddress (case-sensitive) refuses the service's sends.\nFix: set {name}={configured}, or change "
            "ses.from_address (and the policies' ses:FromAddress condition) to the sender the service uses."
        )
    return _fact(case, matrix, problem, configured_sender=configured)


def configuration_set(case: VariableCase, env: EnvInventory, config: Config) -> VariableFact:
    matrix = env.matrix()
    if why := _unusable(case.variable, matrix):
        return _skipped(case, matrix, why)
    name, value, configured = case.variable.name, _value(case, matrix), config.ses.configuration_set
    problem = None
    if configured is None:
        problem = (
            f"{name}={value} is set but the config names no ses.configuration_set: no check proves that it exists "
            f"or routes bounces and complaints.\nFix: set ses.configuration_set: {value}."
        )
    elif value != configured:
        problem = (
            f"{name}={value} is not the configured configuration set {configured}: the SES checks prove that "
            f"{configured} exists with its event destinations in every region, not {value}.\n"
            f"Fix: set {name}={configured}, or change ses.configuration_set to the one the service uses."
        )
    return _fact(case, matrix, problem, configured_configuration_set=configured)


def reply_to(case: VariableCase, env: EnvInventory, config: Config, dns: DnsInventory) -> VariableFact:
    matrix = env.matrix()
    if why := _unusable(case.variable, matrix):
        return _skipped(case, matrix, why)
    name, value = case.variable.name, _value(case, matrix)
    domain = value.rpartition("@")[2]
    found = dns.lookup(domain, "MX")
    exchanges = [r for r in found.records if r.split()[-1] != "."]  # "0 ." is a null MX: no mail accepted
    problem = None
    if not exchanges:
        problem = (
            f"{name}={value}: replies to it are lost, its domain accepts no mail ({found.describe()}).\n"
            f"Fix: publish MX records for {domain}, or set {name} to an address of a domain that receives mail."
        )
    return _fact(case, matrix, problem, mx=found.describe())


def static_keys(case: VariableCase, env: EnvInventory, config: Config) -> VariableFact:
    matrix = env.matrix()
    present = [name for name in STATIC_KEYS if matrix.value(name) is not None]
    problem = None
    if present:
        problem = (
            f"{' and '.join(present)} are set in {matrix.source}: the service runs on long-lived access keys "
            "in production.\nFix: give the service an IAM role (the platform's task or instance role), remove "
            "the keys from its environment, then deactivate them."
        )
    return _fact(case, matrix, problem, static_keys_set=present)


def region(case: VariableCase, env: EnvInventory, config: Config) -> VariableFact:
    matrix = env.matrix()
    if why := _unusable(case.variable, matrix):
        return _skipped(case, matrix, why)
    name, value = case.variable.name, _value(case, matrix)
    problem = None
    if value not in config.regions:
        problem = (
            f"{name}={value} is not one of the environment's regions ({', '.join(config.regions)}): the service "
            f"would send from, and look for its identities in, a region golive did not check.\n"
            f"Fix: set {name} to one of {', '.join(config.regions)}, or add {value} to the config's regions."
        )
    return _fact(case, matrix, problem, configured_regions=list(config.regions))


def placement(case: VariableCase, env: EnvInventory, config: Config) -> VariableFact:
    matrix = env.matrix()
    if why := _unusable(case.variable, matrix):
        return _skipped(case, matrix, why)
    variable, value = case.variable, _value(case, matrix)
    expected, why = service_region(config, matrix)
    allowed = (expected,) if expected else config.regions
    if variable.rule == "postgres-url-in-region":
        found, host = forms.database_region(value)
        what = f"the database host {host}"
    else:
        found, what = forms.secret_region(value), f"the secret {value}"
    # "NAME names ...", not "NAME: ...": redaction masks the word after a secret-looking key and a colon
    problem = None
    if found is None:
        problem = (
            f"{variable.name} names {what}, whose region golive cannot tell: expected an RDS endpoint "
            "(NAME.ID.REGION.rds.amazonaws.com).\nFix: point it at the instance's own RDS endpoint."
        )
    elif found not in allowed:
        problem = (
            f"{variable.name} names {what}, which is in {found}, but the service runs in {' or '.join(allowed)} ({why}): "
            "every query crosses regions, and an outage of either region takes the service down.\n"
            f"Fix: use a copy of it in {allowed[0]}, or run the service in {found} (and add it to the regions)."
        )
    return _fact(case, matrix, problem, region=found, service_region=expected, service_region_from=why)


def database(case: VariableCase, env: EnvInventory, config: Config, backend: BackendInventory) -> VariableFact:
    """The database the service connects to is the instance golive checks (backend.rds_instance)."""
    matrix = env.matrix()
    if why := _unusable(case.variable, matrix):
        return _skipped(case, matrix, why)
    found, host = forms.database_region(_value(case, matrix))
    expected, _ = service_region(config, matrix)
    if found not in ((expected,) if expected else config.regions):
        return _skipped(
            case, matrix, "the database is in another region: test_variable_points_into_the_service_region reports it"
        )
    name = config.backend.rds_instance or ""
    instance = backend.db_instance(backend_region(config), name)
    problem = None
    if instance.exists and (instance.endpoint or "").lower() != host.lower():
        problem = (
            f"{case.variable.name} names the database host {host}, but the instance golive checks, {name} in "
            f"{instance.region}, is at {instance.endpoint or 'no endpoint yet'}: the checks of its IAM "
            f"authentication and of rds-db:connect are about another database than the one the service uses.\n"
            f"Fix: point {case.variable.name} at {instance.endpoint or 'the instance'}, or set backend.rds_instance to "
            "the instance the service connects to."
        )
    # an instance that does not exist fails the backend's own check: nothing to compare here
    return _fact(case, matrix, problem, rds_instance=name, instance_exists=instance.exists, endpoint=instance.endpoint)
