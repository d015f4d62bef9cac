"""sesv2 configuration-set event destinations on the embedded account (moto has none in v2):
several per set, each in the API's shape, with AWS's errors."""

from __future__ import annotations

import pytest
from moto_clients import auditor_client, output_shape, shape_errors

ADMIN = {
    "inline": {"admin": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}
}
SETS = {
    "feedback": {
        "event_destinations": {
            "to-sns": {"events": ["BOUNCE", "COMPLAINT"], "sns": "ses-feedback"},
            "metrics": {"events": ["SEND", "DELIVERY"], "cloudwatch": True, "enabled": False},
            "to-bus": {"events": ["REJECT"], "eventbridge": True},
        }
    },
    "bare": None,
}
WORLD = {"regions": {"us-west-2": {"ses": {"configuration_sets": SETS}, "sns": {"topics": {"ses-feedback": None}}}}}


def test_every_destination_of_a_set_is_reported(embedded):
    sesv2 = auditor_client(embedded(WORLD), "sesv2", "us-west-2")
    response = sesv2.get_configuration_set_event_destinations(ConfigurationSetName="feedback")
    assert shape_errors(response, output_shape("sesv2", "GetConfigurationSetEventDestinations")) == []
    found = {d["Name"]: d for d in response["EventDestinations"]}
    assert set(found) == {"to-sns", "metrics", "to-bus"}
    assert found["to-sns"]["Enabled"] is True
    assert found["to-sns"]["MatchingEventTypes"] == ["BOUNCE", "COMPLAINT"]
    assert found["to-sns"]["SnsDestination"] == {"TopicArn": "arn:aws:sns:us-west-2:123456789012:ses-feedback"}
    assert found["metrics"]["Enabled"] is False
    assert found["metrics"]["CloudWatchDestination"]["DimensionConfigurations"]
    assert found["to-bus"]["EventBridgeDestination"]["EventBusArn"].endswith(":event-bus/default")
    assert sesv2.get_configuration_set_event_destinations(ConfigurationSetName="bare")["EventDestinations"] == []


def test_a_set_that_does_not_exist_in_the_region_is_not_found(embedded):
    account = embedded(WORLD)
    for region, name in (("us-west-2", "nowhere"), ("us-east-1", "feedback")):  # sets are regional
        sesv2 = auditor_client(account, "sesv2", region)
        with pytest.raises(sesv2.exceptions.NotFoundException) as missing:
            sesv2.get_configuration_set_event_destinations(ConfigurationSetName=name)
        assert f"Configuration set <{name}> does not exist" in str(missing.value)


def test_creating_destinations_answers_with_the_api_errors(embedded):
    sesv2 = auditor_client(embedded({**WORLD, "auditor": ADMIN}), "sesv2", "us-west-2")
    sns = {"Enabled": True, "MatchingEventTypes": ["BOUNCE"], "SnsDestination": {"TopicArn": "arn:aws:sns:x"}}
    response = sesv2.create_configuration_set_event_destination(
        ConfigurationSetName="bare", EventDestinationName="one", EventDestination=sns
    )
    assert shape_errors(response, output_shape("sesv2", "CreateConfigurationSetEventDestination")) == []
    with pytest.raises(sesv2.exceptions.AlreadyExistsException):
        sesv2.create_configuration_set_event_destination(
            ConfigurationSetName="bare", EventDestinationName="one", EventDestination=sns
        )
    with pytest.raises(sesv2.exceptions.NotFoundException):
        sesv2.create_configuration_set_event_destination(
            ConfigurationSetName="nowhere", EventDestinationName="one", EventDestination=sns
        )
    two_kinds = {**sns, "CloudWatchDestination": {"DimensionConfigurations": []}}
    with pytest.raises(sesv2.exceptions.BadRequestException):
        sesv2.create_configuration_set_event_destination(
            ConfigurationSetName="bare", EventDestinationName="two", EventDestination=two_kinds
        )
