"""checks/test_ses_identities.py against scenarios with defects, alone or a few independent ones
per run (each defect fails its check, with its message, and every other check passes), and its
messages for every status SES reports."""

from __future__ import annotations

import importlib.util

import pytest
from workspace import (
    ROOT,
    batch_run,
    demo_defect,
    expect_failure_of_batch,
    expect_only_failure,
)

from golive.config import ConfigError, load_config
from golive.ses.facts import Identity
from golive.ses.views import MailFrom, placeholder_pattern

REGION = "ap-southeast-1"
DOMAIN = "bizassist.example"


def identity(data, name=DOMAIN):
    return data["regions"][REGION]["ses"]["identities"][name]


def _checks():
    path = ROOT / "golive" / "checks" / "test_ses_identities.py"
    spec = importlib.util.spec_from_file_location("golive_checks_ses_identities", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CHECKS = _checks()


def failure(check, *facts):
    with pytest.raises(AssertionError) as failed:
        check(*facts)
    return str(failed.value)


# --- one defect each, through the embedded account ----------------------------------------


def test_a_pending_domain_fails_verification_and_only_it(workspace):
    def pending(d):
        identity(d)["verification"] = "PENDING"
        d["regions"][REGION]["ses"]["identities"]["no-reply@bizassist.example"] = {}  # the sender still verifies

    message = expect_only_failure(workspace, f"test_domain_is_verified[{REGION}-{DOMAIN}]", scenario=pending)
    assert (
        f"The domain identity {DOMAIN} in {REGION} is not verified: its verification status is Pending (PENDING)"
        in (message)
    )
    assert f"_amazonses.{DOMAIN}" in message


def test_a_sender_whose_domain_is_not_verified_fails(workspace):
    message = expect_only_failure(
        workspace,
        f"test_sender_is_verified[{REGION}-no-reply@bizassist.example]",
        scenario=lambda d: identity(d).update(verification="FAILED"),
        config=lambda d: d["ses"].update(domains={}),  # the service sends as the address alone
    )
    assert f"The sender no-reply@bizassist.example cannot send in {REGION}" in message
    assert "no-reply@bizassist.example: not an identity; bizassist.example: Failed (FAILED)" in message


PENDING_DKIM = demo_defect(
    f"test_dkim_is_enabled_and_verified[{REGION}-{DOMAIN}]", scenario=lambda d: identity(d).update(dkim="PENDING")
)


def test_pending_dkim_fails_dkim_and_only_it(identities_a):
    message = expect_failure_of_batch(identities_a, IDENTITIES_A, PENDING_DKIM.check)
    assert f"DKIM for {DOMAIN} in {REGION} is Pending (PENDING), expected Success (SUCCESS)" in message
    assert f"vvjuipp74whm76gqoni7qmwwn4w4qusjiainivf6sf._domainkey.{DOMAIN} CNAME" in message


PENDING_MAIL_FROM = demo_defect(
    f"test_mail_from_domain_is_verified[{REGION}-mail.{DOMAIN}]",
    scenario=lambda d: identity(d)["mail_from"].update(status="PENDING", behavior_on_mx_failure="UseDefaultValue"),
)


def test_a_pending_mail_from_domain_fails_with_its_behaviour_on_mx_failure(identities_b):
    message = expect_failure_of_batch(identities_b, IDENTITIES_B, PENDING_MAIL_FROM.check)
    assert f"The custom MAIL FROM domain mail.{DOMAIN} of {DOMAIN} in {REGION} is Pending (PENDING)" in message
    assert "On MX failure the identity is set to UseDefaultValue: SES sends with its own MAIL FROM" in message
    assert f"mail.{DOMAIN} MX 10 feedback-smtp.{REGION}.amazonses.com" in message


def _junk(d):
    identities = d["regions"][REGION]["ses"]["identities"]
    identities.update({"example.com": {}, "test@bizassist.example": {}, "foo.test": {}})


PLACEHOLDERS = demo_defect(f"test_no_placeholder_identities[{REGION}]", scenario=_junk)


def test_placeholder_identities_fail_and_the_real_ones_do_not(identities_a):
    message = expect_failure_of_batch(identities_a, IDENTITIES_A, PLACEHOLDERS.check)
    assert f"3 test or placeholder identities in {REGION} (of 4 identities)" in message
    for name in ("example.com", "test@bizassist.example", "foo.test"):
        assert f"aws sesv2 delete-email-identity --email-identity {name} --region {REGION}" in message
    assert f"identity {DOMAIN} " not in message
    assert "ses.placeholder_patterns" in message


def _tenants(d):
    d["regions"][REGION]["ses"]["tenants"] = {"bizassist": None, "acme": {"identities": [DOMAIN]}}


OTHER_TENANT = demo_defect(
    f"test_identity_belongs_to_tenant[{REGION}-{DOMAIN}]",
    scenario=_tenants,
    config=lambda d: d["ses"].update(tenant="bizassist"),
)


def test_an_identity_of_another_tenant_fails_the_tenant_check(identities_b):
    message = expect_failure_of_batch(identities_b, IDENTITIES_B, OTHER_TENANT.check)
    arn = f"arn:aws:ses:{REGION}:123456789012:identity/{DOMAIN}"
    assert f"The identity {DOMAIN} in {REGION} is associated with tenants acme, not with tenant 'bizassist'" in message
    assert f"create-tenant-resource-association --tenant-name bizassist --resource-arn {arn}" in message


# Defects of different attributes, one check each, share a run (each message was compared with
# its defect's run alone). The tenant defect sets a tenant for the whole environment, so it
# stays apart from the added placeholder identities; the pending verification adds a sender
# identity, which the placeholder message counts ("of 4 identities"), so it runs alone.
IDENTITIES_A = [PENDING_DKIM, PLACEHOLDERS]
IDENTITIES_B = [PENDING_MAIL_FROM, OTHER_TENANT]


identities_a = batch_run("identities_a", IDENTITIES_A)


identities_b = batch_run("identities_b", IDENTITIES_B)


# --- the messages for every status ----------------------------------------------------------


def domain(**attributes):
    return Identity(name=DOMAIN, region=REGION, exists=True, **attributes)


@pytest.mark.parametrize(
    ("status", "hint"),
    [
        ("Pending", "has not found the DKIM CNAME records yet"),
        ("Failed", "stopped looking for the DKIM records"),
        ("TemporaryFailure", "could not query the domain's DNS"),
        ("NotStarted", "DKIM setup was never started"),
    ],
)
def test_each_dkim_status_is_named_with_its_fix(status, hint):
    v2 = {
        "Pending": "PENDING",
        "Failed": "FAILED",
        "TemporaryFailure": "TEMPORARY_FAILURE",
        "NotStarted": "NOT_STARTED",
    }
    message = failure(CHECKS.test_dkim_is_enabled_and_verified, domain(dkim_enabled=True, dkim_status=status))
    assert f"DKIM for {DOMAIN} in {REGION} is {status} ({v2[status]}), expected Success (SUCCESS)" in message
    assert hint in message


def test_dkim_records_name_the_regional_zone_of_a_region_that_has_one():
    tokens = ("tok1", "tok2", "tok3")
    regional = Identity(name=DOMAIN, region="af-south-1", exists=True, dkim_status="Pending", dkim_tokens=tokens)
    message = failure(CHECKS.test_dkim_is_enabled_and_verified, regional)
    for token in tokens:
        assert f"{token}._domainkey.{DOMAIN} CNAME {token}.dkim.af-south-1.amazonses.com" in message
    assert ".dkim.amazonses.com" not in message
    default = failure(CHECKS.test_dkim_is_enabled_and_verified, domain(dkim_status="Pending", dkim_tokens=tokens))
    assert f"tok1._domainkey.{DOMAIN} CNAME tok1.dkim.amazonses.com" in default


def test_dkim_that_verifies_but_does_not_sign_fails():
    message = failure(CHECKS.test_dkim_is_enabled_and_verified, domain(dkim_enabled=False, dkim_status="Success"))
    assert "DKIM signing is disabled" in message
    assert f"set-identity-dkim-enabled --identity {DOMAIN} --dkim-enabled" in message


@pytest.mark.parametrize("status", ["Pending", "Failed", "TemporaryFailure", "NotStarted"])
def test_each_verification_status_is_named(status):
    message = failure(CHECKS.test_domain_is_verified, domain(verification_status=status))
    assert f"its verification status is {status} (" in message


def test_a_domain_that_is_no_identity_says_where_to_create_it():
    missing = Identity(name=DOMAIN, region=REGION, exists=False)
    for check in (CHECKS.test_domain_is_verified, CHECKS.test_dkim_is_enabled_and_verified):
        message = failure(check, missing)
        assert f"{DOMAIN} is not an SES identity in {REGION}" in message
        assert f"create-email-identity --email-identity {DOMAIN} --region {REGION}" in message


def test_mail_from_messages_name_what_differs():
    unset = failure(CHECKS.test_mail_from_domain_is_verified, MailFrom(REGION, f"mail.{DOMAIN}", domain()))
    assert f"The custom MAIL FROM domain of {DOMAIN} in {REGION} is not set, expected mail.{DOMAIN}" in unset
    other = failure(
        CHECKS.test_mail_from_domain_is_verified,
        MailFrom(REGION, f"mail.{DOMAIN}", domain(mail_from_domain=f"bounce.{DOMAIN}")),
    )
    assert f"is bounce.{DOMAIN}, expected mail.{DOMAIN}" in other
    rejecting = domain(
        mail_from_domain=f"mail.{DOMAIN}", mail_from_status="Failed", behavior_on_mx_failure="RejectMessage"
    )
    failed = failure(CHECKS.test_mail_from_domain_is_verified, MailFrom(REGION, f"mail.{DOMAIN}", rejecting))
    assert "is Failed (FAILED)" in failed
    assert "RejectMessage: SES rejects every send from the identity meanwhile (MailFromDomainNotVerified)" in failed


# --- the placeholder patterns the configs ship --------------------------------------------


JUNK = [
    "example.com",
    "mail.example.org",
    "ops@example.net",
    "test@bizassist.example",
    "foo.test",
    "x.invalid",
    "noreply@yourdomain.com",
    "your-company.io",
    "TMP.acme.io",
    "dummy1@acme.io",
]
REAL = [
    "acme.io",
    "no-reply@acme.io",
    "testimonials@acme.io",
    "contest.acme.io",
    "mail.latest.io",
    "examples.com",
    "example.company.com",
]


def patterns(env):
    return tuple(load_config(env, ROOT / "config").ses.placeholder_patterns)


@pytest.mark.parametrize("env", ["prod", "demo", "seed-permissions"])
def test_the_shipped_patterns_flag_junk_and_spare_real_names(env):
    flagged = [n for n in JUNK if placeholder_pattern(n, patterns(env))]
    assert flagged == JUNK
    assert [n for n in REAL if placeholder_pattern(n, patterns(env))] == []


def test_the_defaults_flag_the_reserved_example_tld_and_the_fictional_worlds_do_not():
    for name in ("bizassist.example", "no-reply@bizassist.example", "glassdome.example"):
        assert placeholder_pattern(name, patterns("prod")) == r"\.(test|example|invalid|localhost|local)$"
        assert placeholder_pattern(name, patterns("demo")) is None
        assert placeholder_pattern(name, patterns("seed-permissions")) is None


def test_a_pattern_that_is_no_regular_expression_stops_the_run(workspace):
    workspace.edit("demo.yaml", lambda d: d["ses"].update(placeholder_patterns=["example\\.com$", "(["]))
    with pytest.raises(ConfigError) as stopped:
        load_config("demo", workspace.config_dir)
    assert str(stopped.value) == (
        f"{workspace.config_dir / 'demo.yaml'}: key 'ses.placeholder_patterns.1': expected regex, found '(['"
    )


def test_a_scenario_the_embedded_account_refuses_stops_the_run_naming_its_key(workspace):
    def stray(d):
        d["regions"][REGION]["ses"]["tenants"] = {"bizassist": {"identities": ["nowhere.example"]}}

    workspace.edit("scenarios/demo.yaml", stray)
    result = workspace.verify("demo")
    assert result.exit_code == 4, result.output
    assert f"key 'regions.{REGION}.ses.tenants.bizassist': the embedded account refused it (NotFoundException: " in (
        result.output
    )
    assert "nowhere.example does not exist" in result.output
