"""SES v1 on the embedded account: the scenario's statistics and identity notification topics,
which moto reports as zero bounces and never, in the v1 API's shapes."""

from __future__ import annotations

import datetime as dt

from moto_clients import auditor_client, output_shape, shape_errors

READER = {
    "inline": {
        "ses-read": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["ses:Get*", "ses:List*"], "Resource": "*"}],
        }
    }
}
TOPIC = "arn:aws:sns:eu-west-1:123456789012:"
WORLD = {
    "auditor": READER,
    "regions": {
        "eu-west-1": {
            "ses": {
                "statistics": [
                    {"hours_ago": 30, "delivery_attempts": 1000, "bounces": 60, "complaints": 2, "rejects": 1},
                    {"hours_ago": 1, "delivery_attempts": 500, "bounces": 5},
                ],
                "identities": {
                    "all.example": {"notifications": {"bounce": "b", "complaint": "c", "delivery": TOPIC + "d"}},
                    "none.example": None,
                },
            },
            "sns": {"topics": {"b": None, "c": None}},
        }
    },
}


def test_send_statistics_are_the_scenario_points(embedded):
    response = auditor_client(embedded(WORLD), "ses", "eu-west-1").get_send_statistics()
    assert shape_errors(response, output_shape("ses", "GetSendStatistics")) == []
    points = sorted(response["SendDataPoints"], key=lambda p: p["Timestamp"])
    assert [(p["DeliveryAttempts"], p["Bounces"], p["Complaints"], p["Rejects"]) for p in points] == [
        (1000, 60, 2, 1),
        (500, 5, 0, 0),
    ]
    age = dt.datetime.now(dt.UTC) - points[0]["Timestamp"]
    assert dt.timedelta(hours=29) < age < dt.timedelta(hours=31)


def test_without_statistics_in_the_scenario_moto_answers(embedded):
    response = auditor_client(embedded(WORLD), "ses", "us-east-1").get_send_statistics()
    assert [p["DeliveryAttempts"] for p in response["SendDataPoints"]] == [0]


def test_notification_attributes_name_the_topics(embedded):
    ses = auditor_client(embedded(WORLD), "ses", "eu-west-1")
    response = ses.get_identity_notification_attributes(Identities=["all.example"])
    assert shape_errors(response, output_shape("ses", "GetIdentityNotificationAttributes")) == []
    found = response["NotificationAttributes"]["all.example"]
    assert (found["BounceTopic"], found["ComplaintTopic"], found["DeliveryTopic"]) == (
        TOPIC + "b",
        TOPIC + "c",
        TOPIC + "d",
    )
    none = ses.get_identity_notification_attributes(Identities=["none.example"])["NotificationAttributes"]
    assert not {"BounceTopic", "ComplaintTopic", "DeliveryTopic"} & set(none["none.example"])
