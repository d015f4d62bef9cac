"""sesv2 GetConfigurationSet on the embedded account: moto answers it, but outside botocore's
model; golive's answer reports the reputation and sending switches with the API's defaults."""

from __future__ import annotations

import botocore.exceptions
import pytest
from moto_clients import auditor_client, output_shape, shape_errors

SETS = {"tracked": {"reputation_metrics": True}, "untracked": {"reputation_metrics": False}, "bare": None}
WORLD = {"regions": {"us-west-2": {"ses": {"configuration_sets": SETS}}}}


def test_each_set_reports_its_reputation_metrics_in_the_apis_shape(embedded):
    sesv2 = auditor_client(embedded(WORLD), "sesv2", "us-west-2")
    found = {}
    for name in SETS:
        response = sesv2.get_configuration_set(ConfigurationSetName=name)
        assert shape_errors(response, output_shape("sesv2", "GetConfigurationSet")) == []
        assert response["ConfigurationSetName"] == name
        assert response["SendingOptions"] == {"SendingEnabled": True}  # a new set sends
        found[name] = response["ReputationOptions"]
    assert found == {
        "tracked": {"ReputationMetricsEnabled": True},
        "untracked": {"ReputationMetricsEnabled": False},
        "bare": {"ReputationMetricsEnabled": False},  # the API's default: off unless asked for
    }


def test_a_set_that_does_not_exist_in_the_region_is_not_found(embedded):
    account = embedded(WORLD)
    for region, name in (("us-west-2", "nowhere"), ("us-east-1", "tracked")):  # sets are regional
        sesv2 = auditor_client(account, "sesv2", region)
        with pytest.raises(sesv2.exceptions.NotFoundException) as missing:
            sesv2.get_configuration_set(ConfigurationSetName=name)
        assert f"Configuration set <{name}> does not exist" in str(missing.value)


def test_get_configuration_set_needs_ses_get_configuration_set(embedded):
    reader = {
        "inline": {
            "no-set": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "ses:GetConfigurationSetEventDestinations", "Resource": "*"}
                ],
            }
        }
    }
    sesv2 = auditor_client(embedded({**WORLD, "auditor": reader}), "sesv2", "us-west-2")
    assert sesv2.get_configuration_set_event_destinations(ConfigurationSetName="tracked")["EventDestinations"] == []
    with pytest.raises(botocore.exceptions.ClientError) as denied:
        sesv2.get_configuration_set(ConfigurationSetName="tracked")
    assert "AccessDenied" in denied.value.response["Error"]["Message"]
    assert "perform: ses:GetConfigurationSet<" in denied.value.response["Error"]["Message"]  # not its neighbour
