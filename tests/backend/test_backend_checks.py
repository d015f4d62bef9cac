"""checks/test_backend.py against scenarios with one defect each: that check fails, with its
message, and every other check passes."""

from __future__ import annotations

from workspace import expect_only_failure, names

from golive.areas import auditor_policy

REGION = "ap-southeast-1"
ACCOUNT = "123456789012"
SCENARIO = "scenarios/demo.yaml"
SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:bizassist/db-AbCdEf"
DB_USER_ARN = f"arn:aws:rds-db:{REGION}:{ACCOUNT}:dbuser:db-BIZASSISTDEMO0000000000000/bizassist_api"
RDS = f"test_rds_instance_exists[{REGION}-bizassist-demo]"
IAM_AUTH = f"test_rds_iam_authentication_is_enabled[{REGION}-bizassist-demo]"
IAM_AUTH_ADVISED = f"test_rds_iam_authentication_is_recommended[{REGION}-bizassist-demo]"
CONNECT = f"test_principal_may_connect_to_the_database[api-{REGION}-bizassist-demo]"
SECRET_EXISTS = f"test_secret_exists[{REGION}-bizassist/db-AbCdEf]"
SECRET_REGION = f"test_secret_is_in_a_configured_region[{REGION}-bizassist/db-AbCdEf]"
ROTATION = f"test_secret_rotation_is_enabled[{REGION}-bizassist/db-AbCdEf]"
READ = f"test_principal_may_read_the_secret[api-{REGION}-bizassist/db-AbCdEf]"
LOG_GROUP = f"test_log_group_exists[{REGION}-/bizassist/api]"
RETENTION = f"test_log_group_has_a_retention_period[{REGION}-/bizassist/api]"
WRITE = f"test_principal_may_write_to_the_log_group[api-{REGION}-/bizassist/api]"
BACKEND_CHECKS = {RDS, IAM_AUTH, CONNECT, SECRET_EXISTS, SECRET_REGION, ROTATION, READ, LOG_GROUP, RETENTION, WRITE}


def region(data, name=REGION):
    return data["regions"][name]


def without_statement(sid):
    def edit(data):
        policy = data["iam"]["roles"]["bizassist-api"]["inline"]["bizassist-api-least-privilege"]
        policy["Statement"] = [s for s in policy["Statement"] if s.get("Sid") != sid]

    return edit


def facts(result, check):
    return result.evidence["checks"][f"checks/test_backend.py::{check}"]["facts"]


def test_the_demos_backend_passes_every_check_with_one_read_each(workspace):
    result = workspace.verify("demo")
    assert result.exit_code == 0, result.output
    assert names(result, "passed") >= BACKEND_CHECKS
    calls = result.evidence["aws_calls"]
    assert (calls["rds:DescribeDBInstances"], calls["secretsmanager:DescribeSecret"]) == (1, 1)
    assert calls["logs:DescribeLogGroups"] == 1 and "secretsmanager:GetSecretValue" not in calls
    assert facts(result, RDS)["rds_instance"]["iam_auth_enabled"] is True
    assert facts(result, CONNECT)["permission"]["resources"] == [DB_USER_ARN]
    assert facts(result, SECRET_REGION)["secretsmanager_region"]["region"] == REGION
    gates = {check: result.evidence["checks"][f"checks/test_backend.py::{check}"]["gate"] for check in BACKEND_CHECKS}
    assert gates[SECRET_REGION] == "region-consistent" and gates[RDS] == gates[LOG_GROUP] == "backend"
    assert "backend.rds_instance" not in result.output  # checked now, not "configured but not read"


def test_a_missing_rds_instance_fails_only_its_check(workspace):
    message = expect_only_failure(workspace, RDS, scenario=lambda d: region(d).pop("rds"))
    assert f"The RDS instance bizassist-demo does not exist in {REGION}" in message
    assert f"aws rds describe-db-instances --region {REGION}" in message


def test_iam_database_authentication_off_where_required_fails_only_its_check(workspace):
    def off(data):
        region(data)["rds"]["instances"]["bizassist-demo"]["iam_auth"] = False

    message = expect_only_failure(workspace, IAM_AUTH, scenario=off)
    assert "does not have IAM database authentication enabled (IAMDatabaseAuthenticationEnabled: false)" in message
    assert "--enable-iam-database-authentication" in message


def test_iam_database_authentication_off_where_advised_is_an_advisory_finding(workspace):
    def off(data):
        region(data)["rds"]["instances"]["bizassist-demo"]["iam_auth"] = False

    expect_only_failure(
        workspace, IAM_AUTH_ADVISED, scenario=off, config=lambda d: d["backend"].update(iam_db_auth="advisory")
    )
    result = workspace.verify("demo")
    assert result.exit_code == 0, result.output  # advisory: reported, not blocking
    assert IAM_AUTH not in result.outcomes


def test_iam_database_authentication_off_in_the_config_asks_nothing_of_it(workspace):
    workspace.edit(SCENARIO, lambda d: region(d)["rds"]["instances"]["bizassist-demo"].update(iam_auth=False))
    workspace.edit("demo.yaml", lambda d: d["backend"].update(iam_db_auth="off"))
    result = workspace.verify("demo")
    assert result.exit_code == 0, result.output
    assert RDS in names(result, "passed")
    assert not {IAM_AUTH, IAM_AUTH_ADVISED, CONNECT} & set(result.outcomes)


def test_a_principal_that_may_not_connect_as_its_database_user_fails_only_the_connect_check(workspace):
    message = expect_only_failure(workspace, CONNECT, scenario=without_statement("ConnectToDatabaseWithIam"))
    assert "may not connect to the RDS instance bizassist-demo as bizassist_api" in message
    assert f"rds-db:connect on {DB_USER_ARN}: the identity policy allows it nowhere" in message
    assert f'"Resource": "{DB_USER_ARN}"' in message


def test_a_missing_secret_fails_only_its_existence_check(workspace):
    message = expect_only_failure(workspace, SECRET_EXISTS, scenario=lambda d: region(d).pop("secretsmanager"))
    assert f"The secret {SECRET} does not exist in {REGION} (secretsmanager:DescribeSecret)" in message


def test_a_secret_scheduled_for_deletion_fails_only_its_existence_check(workspace):
    def deleted(data):
        region(data)["secretsmanager"]["secrets"]["bizassist/db"]["deleted"] = True

    message = expect_only_failure(workspace, SECRET_EXISTS, scenario=deleted)
    assert "is scheduled for deletion (DeletedDate is set)" in message and "restore-secret" in message


def test_a_secret_in_another_region_fails_only_the_region_check_naming_both_sides(workspace):
    oregon = SECRET.replace(REGION, "us-west-2")

    def moved(data):
        data["regions"]["us-west-2"] = {"secretsmanager": region(data).pop("secretsmanager")}
        without_statement("ReadDatabaseSecret")(data)
        policy = data["iam"]["roles"]["bizassist-api"]["inline"]["bizassist-api-least-privilege"]
        policy["Statement"].append({"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": oregon})

    check = "test_secret_is_in_a_configured_region[us-west-2-bizassist/db-AbCdEf]"
    message = expect_only_failure(
        workspace, check, scenario=moved, config=lambda d: d["backend"].update(secrets=[oregon])
    )
    assert (
        f"The secret {oregon} lives in us-west-2, which is not one of the environment's regions ({REGION})" in message
    )
    assert f"--add-replica-regions Region={REGION}" in message


def test_a_secret_without_rotation_is_an_advisory_finding(workspace):
    def unrotated(data):
        region(data)["secretsmanager"]["secrets"]["bizassist/db"].pop("rotation_days")

    message = expect_only_failure(workspace, ROTATION, scenario=unrotated)
    assert "is not rotated automatically (RotationEnabled: false)" in message


def test_a_principal_that_may_not_read_the_secret_fails_only_the_read_check(workspace):
    message = expect_only_failure(workspace, READ, scenario=without_statement("ReadDatabaseSecret"))
    assert f"may not read the secret {SECRET}" in message
    assert f"secretsmanager:GetSecretValue on {SECRET}: the identity policy allows it nowhere" in message


def test_no_log_group_fails_only_its_existence_check(workspace):
    message = expect_only_failure(workspace, LOG_GROUP, scenario=lambda d: region(d).pop("logs"))
    assert f"The log group /bizassist/api does not exist in {REGION}" in message
    assert "aws logs create-log-group --log-group-name /bizassist/api" in message


def test_a_log_group_kept_forever_is_an_advisory_finding(workspace):
    message = expect_only_failure(
        workspace, RETENTION, scenario=lambda d: region(d)["logs"]["groups"].update({"/bizassist/api": None})
    )
    assert "keeps its events forever (no retention set)" in message and "put-retention-policy" in message


def test_a_principal_that_may_not_write_logs_fails_only_the_write_check(workspace):
    message = expect_only_failure(workspace, WRITE, scenario=without_statement("WriteOwnLogs"))
    stream = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/bizassist/api:log-stream:*"
    assert f"logs:CreateLogStream on {stream}: the identity policy allows it nowhere" in message
    assert f"logs:PutLogEvents on {stream}" in message


def test_an_auditor_who_cannot_describe_the_instance_cannot_see_its_checks_and_nothing_else(workspace):
    policy = auditor_policy()
    policy["Statement"][0]["Action"].remove("rds:DescribeDBInstances")
    workspace.edit(SCENARIO, lambda d: d.update(auditor={"inline": {"audit": policy}}))
    result = workspace.verify("demo")
    assert result.exit_code == 1, result.output
    # and the environment's DATABASE_URL, compared with the instance's endpoint
    assert names(result, "error") == {RDS, IAM_AUTH, CONNECT, "test_database_url_is_the_configured_instance[DATABASE_URL]"}
    assert names(result, "failed") == set()
    assert "the auditor is not allowed rds:DescribeDBInstances" in result.outcomes[RDS].message
