"""The service's environment matrix (seed 002 §2): every variable it needs is set, has its form,
and agrees with what golive checks elsewhere, in the service's region.

The values come from the source the config names (a dotenv file, or the process
environment); a secret variable's value never appears, only its name and form.
"""

import pytest


@pytest.mark.golive(gate="env-matrix", severity="critical")
def test_required_variable_is_set(env_variable):
    """A variable the service requires is set, and not empty.

    Risk: the service starts without it and fails (or falls back to a default) at its first use.
    Fix: set the variable where the service gets its environment.
    """
    assert not env_variable.problem, env_variable.problem


@pytest.mark.golive(gate="env-matrix", severity="critical")
def test_variable_has_its_form(env_form):
    """A variable that is set has the form its rule expects: a region name, an address, a
    postgres URL, a port, a Secrets Manager ARN, or one of the values the config lists.

    Risk: a malformed value fails at the first request that uses it, not at start-up.
    Fix: set the variable to a value of the form named in the failure.
    """
    assert not env_form.problem, env_form.problem


@pytest.mark.golive(gate="env-matrix", severity="critical")
def test_sender_variable_is_the_configured_sender(env_sender):
    """The service's From address is, exactly, the configured sender that golive verifies in every
    region and that the IAM policies allow (letter case included: IAM's StringEquals is case-sensitive).

    Risk: the service sends as an address no check proved, and is refused by SES or by IAM.
    Fix: set the variable to the configured sender, or configure the sender the service uses.
    """
    assert not env_sender.problem, env_sender.problem


@pytest.mark.golive(gate="env-matrix", severity="critical")
def test_configuration_set_variable_is_the_configured_one(env_configuration_set):
    """The configuration set the service names is the one golive checks for existence and event
    destinations in every region.

    Risk: SES rejects sends naming a configuration set that does not exist, and one without
    destinations loses the bounce and complaint events.
    Fix: set the variable to the configured configuration set, or configure the one the service uses.
    """
    assert not env_configuration_set.problem, env_configuration_set.problem


@pytest.mark.golive(gate="env-matrix", severity="high")
def test_reply_to_domain_receives_mail(env_reply_to):
    """The Reply-To address's domain publishes MX records (and not a null MX).

    Risk: recipients' replies bounce or vanish, and support mail never arrives.
    Fix: publish MX records for the domain, or use an address of a domain that receives mail.
    """
    assert not env_reply_to.problem, env_reply_to.problem


@pytest.mark.golive(gate="env-matrix", severity="advisory")
def test_no_static_aws_keys_in_production(env_static_keys):
    """In production, the service's environment holds no AWS access keys: it runs on a role.

    Risk: keys in an environment leak through dumps, logs and dashboards, and stay valid until revoked.
    Fix: give the service an IAM role, remove AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, deactivate the keys.
    """
    assert not env_static_keys.problem, env_static_keys.problem


@pytest.mark.golive(gate="region-consistent", severity="critical")
def test_region_variable_is_a_configured_region(env_region):
    """The region the service runs in is one of the regions golive checks.

    Risk: the service sends from a region whose identities, quotas and notifications nobody checked.
    Fix: set the variable to a configured region, or add its region to the config.
    """
    assert not env_region.problem, env_region.problem


@pytest.mark.golive(gate="region-consistent", severity="critical")
def test_variable_points_into_the_service_region(env_placement):
    """The database (DATABASE_URL's RDS endpoint) and the secret (DB_SECRET_ARN) live in the region
    the service runs in.

    Risk: every query or secret read crosses regions: slower, billed, and down when either region is.
    Fix: use the resource's copy in the service's region, or run the service where the resource is.
    """
    assert not env_placement.problem, env_placement.problem


@pytest.mark.golive(gate="env-matrix", severity="critical")
def test_database_url_is_the_configured_instance(env_database):
    """DATABASE_URL's host is the endpoint of the RDS instance golive checks (backend.rds_instance).

    Risk: the IAM authentication and rds-db:connect checks pass for one database while the
    service connects to another.
    Fix: point the URL at the configured instance's endpoint, or configure the instance it uses.
    """
    assert not env_database.problem, env_database.problem
