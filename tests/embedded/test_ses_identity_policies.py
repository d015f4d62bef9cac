"""SES v1 sending-authorization reads on the embedded account (moto lacks them): the scenario's
identity policies, listed and read in the v1 API's shapes, the way the auditor reads them."""

from __future__ import annotations

import json

import pytest
from moto_clients import auditor_client, output_shape, shape_errors

from golive.config import ConfigError
from golive.embedded.scenario import load_scenario

PARTNER = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "PartnerSends",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": ["ses:SendEmail", "ses:SendRawEmail"],
            "Resource": "arn:aws:ses:eu-west-1:123456789012:identity/held.example",
        }
    ],
}
WORLD = {
    "regions": {
        "eu-west-1": {
            "ses": {
                "identities": {
                    "held.example": {"policies": {"partner": PARTNER, "other": {**PARTNER, "Statement": []}}},
                    "bare.example": None,
                }
            }
        }
    }
}


def test_identity_policies_are_listed_and_read_as_the_scenario_holds_them(embedded):
    ses = auditor_client(embedded(WORLD), "ses", "eu-west-1")
    listed = ses.list_identity_policies(Identity="held.example")
    assert shape_errors(listed, output_shape("ses", "ListIdentityPolicies")) == []
    assert listed["PolicyNames"] == ["other", "partner"]
    read = ses.get_identity_policies(Identity="held.example", PolicyNames=["partner", "missing"])
    assert shape_errors(read, output_shape("ses", "GetIdentityPolicies")) == []
    assert list(read["Policies"]) == ["partner"], "a name the identity does not hold is left out"
    assert json.loads(read["Policies"]["partner"]) == PARTNER


def test_an_identity_without_policies_lists_none(embedded):
    ses = auditor_client(embedded(WORLD), "ses", "eu-west-1")
    assert ses.list_identity_policies(Identity="bare.example")["PolicyNames"] == []
    assert ses.list_identity_policies(Identity="unknown.example")["PolicyNames"] == []
    assert ses.get_identity_policies(Identity="bare.example", PolicyNames=["partner"])["Policies"] == {}


def test_the_scenario_format_refuses_an_identity_policy_without_statements(tmp_path):
    bad = {"version": 1, "regions": {"eu-west-1": {"ses": {"identities": {"x.example": {"policies": {"p": {}}}}}}}}
    (tmp_path / "s.yaml").write_text(json.dumps(bad))
    with pytest.raises(ConfigError, match="policies"):
        load_scenario(tmp_path / "s.yaml", root=tmp_path)
