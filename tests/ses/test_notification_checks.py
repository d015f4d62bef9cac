"""checks/test_ses_notifications.py against scenarios with one defect each: that check fails,
with its message, and every other check passes."""

from __future__ import annotations

import pytest
from workspace import expect_only_failure, names

from golive.areas import auditor_policy
from golive.ses.facts import ConfigurationSet, EventDestination, Identity
from golive.ses.views import NotificationRoutes

REGION = "ap-southeast-1"
DOMAIN = "bizassist.example"
TOPIC = f"arn:aws:sns:{REGION}:123456789012:bizassist-ses-feedback"
ROUTES = f"test_bounces_and_complaints_reach_a_destination[{REGION}-{DOMAIN}]"
TOPICS = f"test_notification_topics_are_subscribed[{REGION}]"
EXISTS = f"test_configuration_set_exists[{REGION}-bizassist-demo]"
METRICS = f"test_configuration_set_reputation_metrics_are_enabled[{REGION}-bizassist-demo]"


def region(data):
    return data["regions"][REGION]


def destinations(data):
    return region(data)["ses"]["configuration_sets"]["bizassist-demo"]["event_destinations"]


def test_complaints_that_reach_nothing_fail_the_routes_check(workspace):
    def no_complaints(d):
        del region(d)["ses"]["identities"][DOMAIN]["notifications"]
        destinations(d)["feedback-to-sns"]["events"] = ["BOUNCE"]
        destinations(d)["metrics"]["events"] = ["SEND", "DELIVERY", "BOUNCE"]

    message = expect_only_failure(workspace, ROUTES, scenario=no_complaints)
    assert f"COMPLAINT events of {DOMAIN} in {REGION} reach no destination" in message
    assert "identity notification topics: none" in message
    assert "configuration set bizassist-demo (configured): event destination 'feedback-to-sns'" in message
    assert "--notification-type Complaint" in message
    assert '"MatchingEventTypes": ["COMPLAINT"]' in message


def test_unread_topics_fail_the_topics_check(workspace):
    def unread(d):
        topic = region(d)["sns"]["topics"]["bizassist-ses-feedback"]
        topic["subscriptions"] = [{"protocol": "email", "endpoint": "ops@bizassist.example", "confirmed": False}]
        region(d)["ses"]["identities"][DOMAIN]["notifications"]["complaint"] = "bizassist-gone"

    message = expect_only_failure(workspace, TOPICS, scenario=unread)
    assert (
        f"{TOPIC} has no confirmed subscription (1 waiting for confirmation: email:ops@bizassist.example) "
        f"(named by {DOMAIN} bounce notifications, configuration set bizassist-demo 'feedback-to-sns')"
    ) in message
    assert f"arn:aws:sns:{REGION}:123456789012:bizassist-gone does not exist (named by {DOMAIN} complaint" in message


def test_a_configuration_set_missing_from_the_region_fails_and_leaves_its_metrics_nothing_to_judge(workspace):
    workspace.edit("scenarios/demo.yaml", lambda d: region(d)["ses"]["configuration_sets"].clear())
    result = workspace.verify("demo")
    assert names(result, "failed") == {EXISTS}, result.output
    assert names(result, "error") == set(), result.output
    message = result.outcomes[EXISTS].message
    assert f"The configuration set bizassist-demo does not exist in {REGION}" in message
    assert f"create-configuration-set --configuration-set-name bizassist-demo --region {REGION}" in message
    assert METRICS in names(result, "passed")
    facts = result.evidence["checks"][f"checks/test_ses_notifications.py::{METRICS}"]["facts"]
    assert facts["reputation_tracking"]["exists"] is False
    assert facts["reputation_tracking"]["reputation_metrics_enabled"] is None


def test_the_demos_configuration_set_keeps_reputation_metrics(workspace):
    result = workspace.verify("demo")
    assert result.exit_code == 0, result.output
    assert {EXISTS, METRICS} <= names(result, "passed")
    check = result.evidence["checks"][f"checks/test_ses_notifications.py::{METRICS}"]
    assert (check["gate"], check["severity"]) == ("reputation", "advisory")
    assert check["facts"]["reputation_tracking"]["reputation_metrics_enabled"] is True
    assert result.evidence["aws_calls"]["sesv2:GetConfigurationSet"] == 1


def test_a_configuration_set_without_reputation_metrics_fails_only_the_metrics_check(workspace):
    def metrics_off(d):
        region(d)["ses"]["configuration_sets"]["bizassist-demo"]["reputation_metrics"] = False

    message = expect_only_failure(workspace, METRICS, scenario=metrics_off)
    assert f"The configuration set bizassist-demo in {REGION} does not publish reputation metrics" in message
    assert "(ReputationOptions.ReputationMetricsEnabled: false)" in message
    assert (
        "aws sesv2 put-configuration-set-reputation-options --configuration-set-name bizassist-demo "
        f"--reputation-metrics-enabled --region {REGION}"
    ) in message


def test_an_auditor_who_cannot_read_the_set_cannot_see_its_metrics_and_nothing_else(workspace):
    policy = auditor_policy()
    policy["Statement"][0]["Action"].remove("ses:GetConfigurationSet")
    workspace.edit("scenarios/demo.yaml", lambda d: d.update(auditor={"inline": {"audit": policy}}))
    result = workspace.verify("demo")
    assert result.exit_code == 1, result.output
    assert names(result, "error") == {METRICS}
    assert names(result, "failed") == set()
    assert {EXISTS, ROUTES} <= names(result, "passed")  # they read the set's event destinations, not the set
    assert "the auditor is not allowed ses:GetConfigurationSet" in result.outcomes[METRICS].message


def test_the_identitys_default_configuration_set_routes_when_none_is_configured(workspace):
    def default_set_only(d):
        identity = region(d)["ses"]["identities"][DOMAIN]
        del identity["notifications"]
        identity["configuration_set"] = "bizassist-demo"

    workspace.edit("scenarios/demo.yaml", default_set_only)
    workspace.edit("demo.yaml", lambda d: d["ses"].pop("configuration_set"))
    dotenv = workspace.config_dir / "demo.env"  # the service names none either
    dotenv.write_text("".join(line for line in dotenv.open() if not line.startswith("SES_CONFIGURATION_SET=")))
    result = workspace.verify("demo")
    assert result.exit_code == 0, result.output
    assert ROUTES in names(result, "passed")
    facts = result.evidence["checks"][f"checks/test_ses_notifications.py::{ROUTES}"]["facts"]
    assert facts["notification_routes"]["configuration_set_source"] == "the identity's default"
    assert result.evidence["aws_calls"]["sesv2:GetEmailIdentity"] == 1
    variable = "test_configuration_set_variable_is_the_configured_one[SES_CONFIGURATION_SET]"
    set_checks = {name for name in result.outcomes if name.startswith("test_configuration_set_")}
    assert set_checks == {variable}  # none of the set's own checks: none is configured
    facts = result.evidence["checks"][f"checks/test_env_matrix.py::{variable}"]
    assert facts["outcome"] == "passed" and facts["facts"]["env_configuration_set"]["not_compared"] == "not set"


# --- which routes count -----------------------------------------------------------------------


def routes(via, topics=True, enabled=True):
    identity = Identity(
        name=DOMAIN,
        region=REGION,
        exists=True,
        bounce_topic=TOPIC if topics else None,
        complaint_topic=TOPIC if topics else None,
    )
    destination = EventDestination("feedback", enabled, ("BOUNCE", "COMPLAINT"), "EventBridge", "arn:aws:events:bus")
    configuration_set = ConfigurationSet("bizassist-demo", REGION, True, (destination,))
    return NotificationRoutes(REGION, identity, ("BOUNCE", "COMPLAINT"), via, configuration_set, "configured")


@pytest.mark.parametrize(
    ("via", "topics", "enabled", "missing"),
    [
        ("any", True, True, []),
        ("any", False, True, []),
        ("any", True, False, []),
        ("any", False, False, ["BOUNCE", "COMPLAINT"]),
        ("sns", False, True, ["BOUNCE", "COMPLAINT"]),
        ("sns", True, False, []),
        ("event-destination", True, False, ["BOUNCE", "COMPLAINT"]),
        ("event-destination", False, True, []),
    ],
)
def test_via_decides_which_routes_count_and_disabled_destinations_never_do(via, topics, enabled, missing):
    assert routes(via, topics, enabled).missing == missing
