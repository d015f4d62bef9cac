"""sesv2 GetAccount on the embedded account: the sandbox, sending, enforcement and the quota
of each region, as the scenario describes them (moto does not implement it)."""

from __future__ import annotations

import botocore.exceptions
import pytest
from moto_clients import auditor_client, output_shape, shape_errors

PRODUCTION = {
    "production_access": True,
    "sending_enabled": False,
    "enforcement_status": "PROBATION",
    "max_24_hour_send": 50000,
    "max_send_rate": 14,
    "sent_last_24_hours": 1200,
}
WORLD = {"regions": {"eu-west-1": {"ses": {"account": PRODUCTION}}, "us-east-2": {"ses": {}}}}


def test_get_account_reports_the_scenario(embedded):
    response = auditor_client(embedded(WORLD), "sesv2", "eu-west-1").get_account()
    assert shape_errors(response, output_shape("sesv2", "GetAccount")) == []
    assert response["ProductionAccessEnabled"] is True
    assert response["SendingEnabled"] is False
    assert response["EnforcementStatus"] == "PROBATION"
    assert response["SendQuota"] == {"Max24HourSend": 50000.0, "MaxSendRate": 14.0, "SentLast24Hours": 1200.0}


def test_a_region_the_scenario_leaves_alone_is_a_new_account_in_the_sandbox(embedded):
    response = auditor_client(embedded(WORLD), "sesv2", "us-east-2").get_account()
    assert response["ProductionAccessEnabled"] is False
    assert response["SendingEnabled"] is True
    assert response["EnforcementStatus"] == "HEALTHY"
    assert response["SendQuota"] == {"Max24HourSend": 200.0, "MaxSendRate": 1.0, "SentLast24Hours": 0.0}


def test_v1_get_send_quota_agrees_with_get_account(embedded):
    reader = {
        "inline": {
            "ses-read": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": ["ses:Get*", "ses:List*"], "Resource": "*"}],
            }
        }
    }
    response = auditor_client(embedded({**WORLD, "auditor": reader}), "ses", "eu-west-1").get_send_quota()
    assert shape_errors(response, output_shape("ses", "GetSendQuota")) == []
    assert (response["Max24HourSend"], response["MaxSendRate"], response["SentLast24Hours"]) == (50000.0, 14.0, 1200.0)


def test_get_account_needs_ses_get_account(embedded):
    reader = {
        "inline": {
            "no-account": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": ["ses:List*", "ses:GetSend*"], "Resource": "*"}],
            }
        }
    }
    sesv2 = auditor_client(embedded({**WORLD, "auditor": reader}), "sesv2", "eu-west-1")
    with pytest.raises(botocore.exceptions.ClientError) as denied:
        sesv2.get_account()
    assert "AccessDenied" in denied.value.response["Error"]["Message"]
    assert "ses:GetAccount" in denied.value.response["Error"]["Message"]
