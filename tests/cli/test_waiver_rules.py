"""Waivers name checks, not everything: the pattern rules and the expiry horizon, at config time."""

from __future__ import annotations

import datetime as dt

import pytest
from expect import config_error

from golive.config import load_config
from golive.evidence.waivers import Waiver, check_functions, refusal

TODAY = dt.datetime.now(dt.UTC).date()


def in_days(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


def waive(workspace, check: str, expires: str | None = None, horizon: int | None = None) -> None:
    def change(d):
        d["waivers"] = [{"check": check, "reason": "accepted until the fix ships", "ticket": "OPS-7"}]
        d["waivers"][0]["expires"] = expires or in_days(30)
        if horizon is not None:
            d["waiver_horizon_days"] = horizon

    workspace.edit("demo.yaml", change)


def test_the_checks_are_found_with_their_files():
    checks = check_functions()
    assert checks["test_principal_is_denied"] == "checks/test_iam_permissions.py"
    assert checks["test_dkim_cnames_point_to_ses"] == "checks/test_dns.py"


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("*", "has a wildcard in the check's name"),
        ("test_*", "has a wildcard in the check's name"),
        ("test_principal_is_*[api-*]", "has a wildcard in the check's name"),
        ("checks/*", "has a wildcard in the check's name"),
        ("checks/test_iam_permissions.py::*", "has a wildcard in the check's name"),
        ("*[*]", "has a wildcard in the check's name"),
        ("[api-*]", "names no check function"),
        ("checks/test_iam_permissions.py::", "names no check function"),
        ("test_principal_is_denied", "names no case: it would waive every case of test_principal_is_denied"),
        ("test_principal_is_denied[*]", "writes out no principal, region, action or domain in brackets"),
        ("test_principal_is_denied[*-*:*]", "writes out no principal, region, action or domain in brackets"),
        ("test_principal_is_denied[?*-1-*]", "writes out no principal, region, action or domain in brackets"),
        ("test_principal_is_denied[api-*", "opens '[' but does not end with ']'"),
        ("test_principal_is_deny[api-*]", "there is no check function 'test_principal_is_deny' (did you mean"),
        ("CreateEmailIdentity", "there is no check function 'CreateEmailIdentity'"),
        ("checks/test_dns.py::test_principal_is_denied[api-*]", "is in checks/test_iam_permissions.py"),
    ],
)
def test_a_pattern_that_waives_more_than_named_cases_is_refused(pattern, why):
    problem = refusal(pattern)
    assert problem is not None and why in problem, problem
    assert "expected one check function by its full name and its cases in brackets" in problem


@pytest.mark.parametrize(
    "pattern",
    [
        "test_principal_is_denied[api-ap-southeast-1-ses:CreateEmailIdentity]",
        "test_principal_is_denied[api-*-ses:CreateEmailIdentity]",
        "test_principal_is_denied[api-*]",
        "test_principal_is_denied[*-us-east-1-*]",
        "test_dkim_cnames_point_to_ses[bizassist.example]",
        "checks/test_iam_permissions.py::test_principal_is_denied[api-*]",
        "*::test_principal_is_denied[api-*]",
    ],
)
def test_a_pattern_naming_cases_of_one_check_is_accepted(pattern):
    assert refusal(pattern) is None


def test_an_accepted_pattern_matches_only_what_it_names():
    waiver = Waiver("test_principal_is_denied[api-*]", "r", "T", TODAY)
    assert waiver.matches("test_principal_is_denied[api-ap-southeast-1-iam:PassRole]", "")
    assert not waiver.matches("test_principal_is_denied[worker-ap-southeast-1-iam:PassRole]", "")
    assert not waiver.matches("test_principal_is_allowed[api-ap-southeast-1-ses:SendEmail]", "")


def test_a_refused_pattern_stops_the_config_naming_the_key(workspace):
    waive(workspace, "test_*")
    assert config_error(workspace).startswith(
        f"{(workspace.config_dir / 'demo.yaml').resolve()}: key 'waivers[0].check': 'test_*' has a wildcard"
    )


def test_an_expiry_beyond_the_horizon_is_refused(workspace):
    waive(workspace, "test_principal_is_denied[api-*]", expires=in_days(91))
    assert config_error(workspace).endswith(
        f"key 'waivers[0].expires': {in_days(91)} is more than 90 days away (waiver_horizon_days); "
        f"expected a date no later than {in_days(90)}: a waiver is renewed on purpose"
    )


def test_the_horizon_is_configurable(workspace):
    waive(workspace, "test_principal_is_denied[api-*]", expires=in_days(20), horizon=14)
    assert "is more than 14 days away (waiver_horizon_days)" in config_error(workspace)
    waive(workspace, "test_principal_is_denied[api-*]", expires=in_days(180), horizon=180)
    assert load_config("demo", workspace.config_dir).data["waivers"][0]["expires"] == in_days(180)
    waive(workspace, "test_principal_is_denied[api-*]", horizon=3650)
    assert "key 'waiver_horizon_days': expected a number of at most 365, found 3650" in config_error(workspace)


def test_an_expiry_within_the_horizon_or_past_is_accepted(workspace):
    for expires in (in_days(90), in_days(0), "2020-01-31"):  # an expired waiver loads, and waives nothing
        waive(workspace, "test_principal_is_denied[api-*]", expires=expires)
        assert load_config("demo", workspace.config_dir).data["waivers"][0]["expires"] == expires


def test_expires_is_required(workspace):
    waive(workspace, "test_principal_is_denied[api-*]")
    workspace.edit("demo.yaml", lambda d: d["waivers"][0].pop("expires"))
    assert "key 'waivers.0': 'expires' is a required property" in config_error(workspace)
