"""CloudWatch alarms on the embedded account, authorized as `cloudwatch:` actions as in IAM
(moto names them after the signing name, `monitoring:`)."""

from __future__ import annotations

import botocore.exceptions
import pytest
from moto_clients import auditor_client, output_shape, shape_errors

ALARMS = {
    "bounces": {"metric": "Reputation.BounceRate", "threshold": 0.05, "actions": ["ops"]},
    "complaints": {"metric": "Reputation.ComplaintRate", "threshold": 0.001, "enabled": False},
}
WORLD = {"regions": {"ap-southeast-1": {"cloudwatch": {"alarms": ALARMS}, "sns": {"topics": {"ops": None}}}}}


def test_the_auditor_policy_reads_alarms(embedded):
    cloudwatch = auditor_client(embedded(WORLD), "cloudwatch", "ap-southeast-1")
    response = cloudwatch.describe_alarms(AlarmTypes=["MetricAlarm"])
    assert shape_errors(response, output_shape("cloudwatch", "DescribeAlarms")) == []
    found = {a["AlarmName"]: a for a in response["MetricAlarms"]}
    assert found["bounces"]["Namespace"] == "AWS/SES"
    assert found["bounces"]["MetricName"] == "Reputation.BounceRate"
    assert found["bounces"]["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert found["bounces"]["AlarmActions"] == ["arn:aws:sns:ap-southeast-1:123456789012:ops"]
    assert found["complaints"]["ActionsEnabled"] is False


def test_an_auditor_without_cloudwatch_describe_alarms_is_denied_by_its_iam_name(embedded):
    other = {
        "inline": {
            "ses": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "monitoring:DescribeAlarms", "Resource": "*"}],
            }
        }
    }
    cloudwatch = auditor_client(embedded({**WORLD, "auditor": other}), "cloudwatch", "ap-southeast-1")
    with pytest.raises(botocore.exceptions.ClientError) as denied:
        cloudwatch.describe_alarms()
    assert "not authorized to perform: cloudwatch:DescribeAlarms" in str(denied.value)
