"""The service's backend (seed 002 §1): the RDS instance with IAM database authentication, the
Secrets Manager secrets, the CloudWatch Logs log group; each exists where the service looks for
it, and the service's principal may use it. Metadata only: golive never reads a secret's value.
"""

import pytest


@pytest.mark.golive(gate="backend", severity="critical")
def test_rds_instance_exists(rds_instance):
    """The RDS instance the service connects to exists in the backend's region.

    Risk: the service starts against a database that is not there (a typo, another region,
    a deleted instance) and every request that needs it fails.
    Fix: create the instance in the region, or correct backend.rds_instance and backend.region.
    """
    assert rds_instance.exists, rds_instance.explain_missing()


@pytest.mark.golive(gate="backend", severity="critical")
def test_rds_iam_authentication_is_enabled(rds_iam_auth_required):
    """Where the config requires it, the RDS instance has IAM database authentication enabled.

    Risk: the service cannot connect with IAM tokens and falls back to a long-lived password.
    An instance that does not exist has nothing to judge: test_rds_instance_exists fails for it.
    Fix: enable IAM database authentication on the instance (modify-db-instance
    --enable-iam-database-authentication) and grant the database user rds_iam.
    """
    instance = rds_iam_auth_required
    assert not instance.exists or instance.iam_auth_enabled, instance.explain_iam_auth()


@pytest.mark.golive(gate="backend", severity="advisory")
def test_rds_iam_authentication_is_recommended(rds_iam_auth_advised):
    """Where the config advises it (backend.iam_db_auth: advisory), the RDS instance has IAM
    database authentication enabled.

    Risk: the seed checklist prefers IAM authentication; without it the database password is a
    long-lived secret to rotate and protect. Advisory: a password kept in Secrets Manager works.
    Fix: enable IAM database authentication on the instance, or say backend.iam_db_auth: off.
    """
    instance = rds_iam_auth_advised
    assert not instance.exists or instance.iam_auth_enabled, instance.explain_iam_auth()


@pytest.mark.golive(gate="iam-permissions", severity="critical")
def test_principal_may_connect_to_the_database(db_connect):
    """With IAM database authentication, the principal may rds-db:connect as its database user.

    Risk: every IAM auth token the service generates is refused and it cannot reach its data.
    An instance that does not exist has nothing to judge: test_rds_instance_exists fails for it.
    Fix: allow rds-db:connect on arn:aws:rds-db:REGION:ACCOUNT:dbuser:DbiResourceId/USER, as shown.
    """
    assert db_connect.allowed, db_connect.explain()


@pytest.mark.golive(gate="backend", severity="critical")
def test_secret_exists(secret):
    """Each configured secret exists in the region its ARN names, and is not scheduled for deletion.

    Risk: the service cannot read its database credentials and fails at start.
    Fix: create (or restore) the secret, or correct backend.secrets to the ARN the service reads.
    """
    assert secret.usable, secret.explain_missing()


@pytest.mark.golive(gate="region-consistent", severity="critical")
def test_secret_is_in_a_configured_region(secret_region):
    """Each configured secret lives in one of the environment's regions.

    Risk: the service reads its credentials across regions: a regional outage elsewhere stops
    it, and region-scoped policies and VPC endpoints do not cover the call.
    Fix: replicate or recreate the secret in the environment's region and point the service at it.
    """
    assert secret_region.ok, secret_region.explain()


@pytest.mark.golive(gate="backend", severity="advisory")
def test_secret_rotation_is_enabled(secret):
    """Each configured secret is rotated automatically.

    Risk: a leaked database credential stays valid until someone changes it by hand. Advisory:
    a secret that does not exist has nothing to judge (test_secret_exists fails for it).
    Fix: turn on rotation with a rotation function (rotate-secret --rotation-rules).
    """
    assert not secret.usable or secret.rotation_enabled, secret.explain_rotation()


@pytest.mark.golive(gate="iam-permissions", severity="critical")
def test_principal_may_read_the_secret(secret_read):
    """The principal may secretsmanager:GetSecretValue on each configured secret.

    Risk: the service cannot read its database credentials and fails at start.
    Fix: allow secretsmanager:GetSecretValue on the secret's ARN, as shown.
    """
    assert secret_read.allowed, secret_read.explain()


@pytest.mark.golive(gate="backend", severity="critical")
def test_log_group_exists(log_group):
    """The log group the service writes to exists in the backend's region.

    Risk: the service's logs are lost, or it needs logs:CreateLogGroup, which it should not hold.
    Fix: create the log group in the region, with a retention policy.
    """
    assert log_group.exists, log_group.explain_missing()


@pytest.mark.golive(gate="backend", severity="advisory")
def test_log_group_has_a_retention_period(log_group):
    """The log group keeps its events for a set period, not forever.

    Risk: storage grows without bound and logs that may hold addresses outlive their use.
    Advisory: a log group that does not exist has nothing to judge (test_log_group_exists fails).
    Fix: put a retention policy on the group (put-retention-policy --retention-in-days).
    """
    assert not log_group.exists or log_group.retention_days, log_group.explain_retention()


@pytest.mark.golive(gate="iam-permissions", severity="critical")
def test_principal_may_write_to_the_log_group(log_write):
    """The principal may logs:CreateLogStream and logs:PutLogEvents on the log group's log streams.

    Risk: the service's logs are refused, and its failures leave no trace.
    Fix: allow both actions on arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*, as shown.
    """
    assert log_write.allowed, log_write.explain()
