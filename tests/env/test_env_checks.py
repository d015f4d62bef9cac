"""checks/test_env_matrix.py against the demo's environment (config/demo.env) with defects: a few
independent ones per run, each failing exactly its check with its message; and the forms alone."""

from __future__ import annotations

import pytest
from workspace import Defect, Workspace, batch_run, expect_failure_of_batch, names

from golive.env import forms

DB_HOST = "bizassist-demo.c1a2b3c4d5e6.{region}.rds.amazonaws.com"


def dotenv_defect(check: str, **values: str | None) -> Defect:
    """Set (or, with None, remove) variables of the demo's dotenv file."""

    def apply(workspace: Workspace) -> None:
        path = workspace.config_dir / "demo.env"
        kept = [line for line in path.read_text().splitlines() if line.partition("=")[0] not in values]
        path.write_text("\n".join([*kept, *(f"{k}={v}" for k, v in values.items() if v is not None)]) + "\n")

    return Defect(check, apply)


def production(check: str, **values: str | None) -> Defect:
    defect = dotenv_defect(check, **values)

    def apply(workspace: Workspace) -> None:
        defect.apply(workspace)
        workspace.edit("demo.yaml", lambda d: d.update(production=True))

    return Defect(check, apply)


SET = "test_required_variable_is_set"
FORM = "test_variable_has_its_form"
SENDER = "test_sender_variable_is_the_configured_sender"
CONFIGURATION_SET = "test_configuration_set_variable_is_the_configured_one"
REPLY_TO = "test_reply_to_domain_receives_mail"
KEYS = "test_no_static_aws_keys_in_production"
REGION = "test_region_variable_is_a_configured_region"
PLACED = "test_variable_points_into_the_service_region"
CHECKS = "checks/test_env_matrix.py"

FIRST = [
    dotenv_defect(f"{SET}[PORT]", PORT=None),
    dotenv_defect(
        f"{PLACED}[DATABASE_URL]", DATABASE_URL=f"postgres://api@{DB_HOST.format(region='us-west-2')}/db"
    ),
    dotenv_defect(f"{SENDER}[SES_FROM_EMAIL]", SES_FROM_EMAIL="No-Reply@bizassist.example"),
    dotenv_defect(f"{REPLY_TO}[EMAIL_REPLY_TO]", EMAIL_REPLY_TO="support@nomail.bizassist.example"),
    dotenv_defect(f"{CONFIGURATION_SET}[SES_CONFIGURATION_SET]", SES_CONFIGURATION_SET="bizassist-other"),
    dotenv_defect(f"{FORM}[NODE_ENV]", NODE_ENV="development"),
]
SECOND = [
    dotenv_defect(f"{REGION}[AWS_REGION]", AWS_REGION="us-east-1"),
    dotenv_defect(f"{FORM}[DATABASE_URL]", DATABASE_URL="mysql://api@db.example/app"),
    dotenv_defect(
        f"{PLACED}[DB_SECRET_ARN]",
        DB_SECRET_ARN="arn:aws:secretsmanager:eu-west-1:123456789012:secret:bizassist/db-AbCdEf",
    ),
    production(f"{KEYS}[AWS_ACCESS_KEY_ID]", AWS_ACCESS_KEY_ID="AKIA" + "EXAMPLE0" * 2),
]
first_run = batch_run("first_run", FIRST)
second_run = batch_run("second_run", SECOND)


def test_a_missing_required_variable_names_it_and_its_source(first_run):
    message = expect_failure_of_batch(first_run, FIRST, f"{SET}[PORT]")
    assert "PORT is not set (or is empty) in dotenv file " in message and "demo.env" in message


def test_a_database_in_another_region_names_both_regions(first_run):
    message = expect_failure_of_batch(first_run, FIRST, f"{PLACED}[DATABASE_URL]")
    assert "which is in us-west-2, but the service runs in ap-southeast-1 (AWS_REGION=ap-southeast-1)" in message
    assert DB_HOST.format(region="us-west-2") in message


def test_a_sender_differing_in_case_is_refused_with_the_reason(first_run):
    message = expect_failure_of_batch(first_run, FIRST, f"{SENDER}[SES_FROM_EMAIL]")
    assert "SES_FROM_EMAIL=No-Reply@bizassist.example in dotenv file " in message
    assert "demo.env differs only in letter case from the configured sender" in message
    assert "StringEquals on ses:FromAddress" in message


def test_a_reply_to_domain_without_mx_is_caught(first_run):
    message = expect_failure_of_batch(first_run, FIRST, f"{REPLY_TO}[EMAIL_REPLY_TO]")
    assert "nomail.bizassist.example does not exist (NXDOMAIN)" in message


def test_another_configuration_set_is_caught(first_run):
    message = expect_failure_of_batch(first_run, FIRST, f"{CONFIGURATION_SET}[SES_CONFIGURATION_SET]")
    assert "bizassist-other is not the configured configuration set bizassist-demo" in message


def test_a_value_outside_its_set_is_caught(first_run):
    message = expect_failure_of_batch(first_run, FIRST, f"{FORM}[NODE_ENV]")
    assert "NODE_ENV=development" in message and "expected one of production" in message


def test_a_region_outside_the_config_is_one_failure(second_run):
    """The database, still in ap-southeast-1, is compared with the config's region: one defect, one failure."""
    message = expect_failure_of_batch(second_run, SECOND, f"{REGION}[AWS_REGION]")
    assert "AWS_REGION=us-east-1 is not one of the environment's regions (ap-southeast-1)" in message


def test_a_malformed_secret_url_fails_its_form_without_showing_it(second_run):
    message = expect_failure_of_batch(second_run, SECOND, f"{FORM}[DATABASE_URL]")
    assert "DATABASE_URL=*** " in message and "not postgres or postgresql" in message
    assert "db.example" not in message


def test_a_secret_in_another_region_is_caught(second_run):
    message = expect_failure_of_batch(second_run, SECOND, f"{PLACED}[DB_SECRET_ARN]")
    assert "names the secret arn:aws:secretsmanager:eu-west-1:" in message
    assert "which is in eu-west-1, but the service runs in ap-southeast-1" in message


def test_static_keys_in_production_are_an_advisory_finding(second_run):
    message = expect_failure_of_batch(second_run, SECOND, f"{KEYS}[AWS_ACCESS_KEY_ID]")
    assert "AWS_ACCESS_KEY_ID are set in dotenv file" in message and "IAM role" in message
    assert second_run.evidence["checks"][f"{CHECKS}::{KEYS}[AWS_ACCESS_KEY_ID]"]["outcome"] == "advisory"
    assert "EXAMPLE0" not in second_run.output


# --- the forms, value by value ------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "value", "ok"),
    [
        ("region-in-config", "ap-southeast-1", True),
        ("region-in-config", "us-gov-west-1", True),
        ("region-in-config", "Singapore", False),
        ("email", "support@bizassist.example", True),
        ("email", "support@", False),
        ("email", "two@@bizassist.example", False),
        ("postgres-url-in-region", "postgresql://u:p%40ss@h.example:5432/db", True),
        ("postgres-url-in-region", "postgres://h.example/", False),
        ("postgres-url-in-region", "postgres://h.example:port/db", False),
        ("postgres-url-in-region", "mysql://h.example/db", False),
        ("secret-arn-in-region", "arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:db-AbCdEf", True),
        ("secret-arn-in-region", "arn:aws:ssm:ap-southeast-1:123456789012:parameter/db", False),
        ("port", "8080", True),
        ("port", "0", False),
        ("port", "65536", False),
        ("port", "８０", False),
        ("equals-ses-configuration-set", "bizassist-demo", True),
        ("equals-ses-configuration-set", "bizassist demo", False),
    ],
)
def test_each_rule_knows_its_form(rule, value, ok):
    assert (forms.form_problem(rule, value) is None) == ok


@pytest.mark.parametrize(
    ("host", "region"),
    [
        ("db.c1a2b3c4d5e6.ap-southeast-1.rds.amazonaws.com", "ap-southeast-1"),
        ("app.cluster-c1a2b3c4d5e6.us-east-1.rds.amazonaws.com", "us-east-1"),
        ("app.cluster-ro-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com", "eu-west-1"),
        ("app.proxy-c1a2b3c4d5e6.us-west-2.rds.amazonaws.com", "us-west-2"),
        ("db.c1a2b3c4d5e6.cn-north-1.rds.amazonaws.com.cn", "cn-north-1"),
        ("db.internal.example", None),
        ("ap-southeast-1.rds.amazonaws.com.evil.example", None),
    ],
)
def test_the_region_of_a_database_comes_from_its_rds_endpoint(host, region):
    assert forms.database_region(f"postgres://api@{host}:5432/db") == (region, host)


def test_a_database_url_naming_another_instance_is_caught(workspace):
    host = "bizassist-old.aaaaaaaaaa.ap-southeast-1.rds.amazonaws.com"
    check = "test_database_url_is_the_configured_instance[DATABASE_URL]"
    dotenv_defect(check, DATABASE_URL=f"postgres://api@{host}:5432/app").apply(workspace)
    result = workspace.verify("demo")
    assert names(result, "failed") == {check} and names(result, "error") == set(), result.output
    message = result.outcomes[check].message
    assert f"names the database host {host}, but the instance golive checks, bizassist-demo in ap-southeast-1" in message
    assert "is at bizassist-demo.aaaaaaaaaa.ap-southeast-1.rds.amazonaws.com" in message
