"""The matrix read from the deployed service: the demo on ECS (config/demo-ecs.yaml) and on Lambda,
GO with one read; a defect in the task definition caught by exactly its check; an auditor who
may not read the task definition cannot see any matrix check, and nothing else; bad sources are
bad input."""

from __future__ import annotations

import copy

import pytest
from workspace import Defect, Workspace, names, verify_batch

from golive.areas import auditor_policy
from golive.config import load_config
from golive.env import deployed, facts
from golive.env.cases import VariableCase
from golive.env.matrix import Matrix, Variable
from golive.errors import ConfigError, CouldNotSee

ENV = "demo-ecs"
SCENARIO = "scenarios/demo-ecs.yaml"
REGION = "ap-southeast-1"
SOURCE = f"ECS task definition bizassist-api:1 (container api) in {REGION}"
MATRIX_CHECKS = "checks/test_env_matrix.py::"


def container(data: dict) -> dict:
    return data["regions"][REGION]["ecs"]["task_definitions"]["bizassist-api"]["containers"]["api"]


def task_defect(check: str, change) -> Defect:
    return Defect(check, lambda workspace: workspace.edit(SCENARIO, lambda d: change(container(d))))


def test_the_demo_on_ecs_is_go_with_one_read_and_names_its_source(workspace):
    result = workspace.verify(ENV)
    assert result.exit_code == 0, result.output
    assert result.evidence["aws_calls"]["ecs:DescribeTaskDefinition"] == 1
    checks = result.evidence["checks"]
    sender = checks[f"{MATRIX_CHECKS}test_sender_variable_is_the_configured_sender[SES_FROM_EMAIL]"]["facts"]
    assert sender["env_sender"]["source"] == SOURCE
    form = checks[f"{MATRIX_CHECKS}test_variable_has_its_form[DB_SECRET_ARN]"]["facts"]["env_form"]
    assert form["value"].endswith(":secret:bizassist/db-AbCdEf") and "valueFrom" in form["value_is"]


def test_defects_of_the_task_definition_fail_exactly_their_checks(tmp_path):
    sender = "test_sender_variable_is_the_configured_sender[SES_FROM_EMAIL]"
    port = "test_required_variable_is_set[PORT]"
    defects = [
        task_defect(sender, lambda c: c["environment"].update(SES_FROM_EMAIL="alerts@bizassist.example")),
        task_defect(port, lambda c: c["environment"].pop("PORT")),
    ]
    result = verify_batch(Workspace(tmp_path), defects, env=ENV)
    assert names(result, "failed") == {sender, port} and names(result, "error") == set(), result.output
    assert f"SES_FROM_EMAIL=alerts@bizassist.example in {SOURCE} is not the configured sender" in (
        result.outcomes[sender].message
    )
    assert f"PORT is not set (or is empty) in {SOURCE}" in result.outcomes[port].message
    # the form check of the missing variable ran, and says why it has nothing to say
    form = result.evidence["checks"][f"{MATRIX_CHECKS}test_variable_has_its_form[PORT]"]
    assert form["outcome"] == "passed" and form["facts"]["env_form"]["form"].startswith("not set (required")


def test_an_auditor_who_cannot_read_the_task_definition_cannot_see_the_matrix_and_nothing_else(workspace):
    policy = auditor_policy()
    policy["Statement"][0]["Action"].remove("ecs:DescribeTaskDefinition")
    workspace.edit(SCENARIO, lambda d: d.update(auditor={"inline": {"audit": policy}}))
    result = workspace.verify(ENV)
    assert result.exit_code == 1, result.output
    matrix = {name for name in result.outcomes if name.split("[")[0] in MATRIX_CHECK_NAMES}
    assert matrix and names(result, "error") == matrix and names(result, "failed") == set()
    message = result.outcomes["test_required_variable_is_set[PORT]"].message
    assert "the auditor is not allowed ecs:DescribeTaskDefinition" in message and "bizassist-api" in message


MATRIX_CHECK_NAMES = {
    "test_required_variable_is_set",
    "test_variable_has_its_form",
    "test_sender_variable_is_the_configured_sender",
    "test_configuration_set_variable_is_the_configured_one",
    "test_reply_to_domain_receives_mail",
    "test_region_variable_is_a_configured_region",
    "test_variable_points_into_the_service_region",
    "test_database_url_is_the_configured_instance",
}


def test_the_demo_on_lambda_is_go_reading_the_function_s_variables(workspace):
    environment = copy.deepcopy(container(workspace.read(SCENARIO))["environment"])
    environment["DB_SECRET_ARN"] = f"arn:aws:secretsmanager:{REGION}:123456789012:secret:bizassist/db-AbCdEf"

    def on_lambda(data: dict) -> None:
        data["iam"] = {"roles": {"bizassist-fn": {"service": "lambda.amazonaws.com"}}}
        data["regions"][REGION] = {"lambda": {"functions": {"bizassist-api": {"role": "bizassist-fn",
                                                                              "environment": environment}}}}  # fmt: skip

    workspace.edit(SCENARIO, on_lambda)
    workspace.edit(f"{ENV}.yaml", lambda d: d["env_matrix"].update(source={"lambda_function": "bizassist-api"}))
    result = workspace.verify(ENV)
    assert result.exit_code == 0, result.output
    assert result.evidence["aws_calls"]["lambda:GetFunctionConfiguration"] == 1
    facts_of = result.evidence["checks"][f"{MATRIX_CHECKS}test_required_variable_is_set[PORT]"]["facts"]
    assert facts_of["env_variable"]["source"] == f"Lambda function bizassist-api (version $LATEST) in {REGION}"


def test_a_task_definition_with_several_containers_needs_the_config_to_name_one():
    service = deployed.Deployed("ecs", "bizassist-api", REGION)
    answer = {"containerDefinitions": [{"name": "api"}, {"name": "log-router"}]}
    with pytest.raises(CouldNotSee, match=r"has several containers \(it has: api, log-router\)"):
        deployed.from_task_definition(service, answer, ())
    with pytest.raises(CouldNotSee, match="has no container web"):
        deployed.from_task_definition(deployed.Deployed("ecs", "bizassist-api", REGION, "web"), answer, ())


class _Inventory:
    def __init__(self, matrix: Matrix) -> None:
        self._matrix = matrix

    def matrix(self) -> Matrix:
        return self._matrix


def test_a_variable_ecs_fills_from_a_secret_is_held_to_its_reference_only(workspace):
    config = load_config("demo", workspace.config_dir)
    url = Variable("DATABASE_URL", required=True, rule="postgres-url-in-region", secret=True)
    arn = Variable("DB_SECRET_ARN", rule="secret-arn-in-region")
    secret = f"arn:aws:secretsmanager:{REGION}:123456789012:secret:bizassist/db-AbCdEf"
    matrix = Matrix(SOURCE, (url, arn), {url.name: secret, arn.name: secret}, frozenset({url.name, arn.name}))
    assert facts.form(VariableCase(arn), _Inventory(matrix), config).problem is None
    with pytest.raises(CouldNotSee, match="golive never reads a secret's value"):
        facts.form(VariableCase(url), _Inventory(matrix), config)
    placed = facts.placement(VariableCase(url), _Inventory(matrix), config)
    assert placed.problem is None and placed.compared["not_compared"] == "filled from a secret golive never reads"


@pytest.mark.parametrize(
    ("source", "said"),
    [
        (
            {"ecs_task_definition": "api", "lambda_function": "api"},
            "names both ecs_task_definition and lambda_function",
        ),
        ({"dotenv": "demo.env", "container": "api"}, "key 'env_matrix.source.container': a container is of an ECS"),
        ({}, "key 'env_matrix.source': expected dotenv, ecs_task_definition or lambda_function"),
        ({"ecs_task_definition": "api:latest"}, "key 'env_matrix.source.ecs_task_definition'"),
        ({"lambda_function": "api", "region": "eu-west-1"}, "'eu-west-1' is not one of the configured regions"),
    ],
)
def test_a_bad_source_is_one_line_of_bad_input(workspace, source, said):
    workspace.edit("demo.yaml", lambda d: d["env_matrix"].update(source=source))
    with pytest.raises(ConfigError) as raised:
        load_config("demo", workspace.config_dir)
    assert said in str(raised.value) and "\n" not in str(raised.value), raised.value
