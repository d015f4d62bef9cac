"""The embedded DNS world: zone files filled in from what SES holds, SES's own zone, and a root
that says a name outside every zone does not exist."""

from __future__ import annotations

import json

import pytest

from golive.areas import auditor_policy
from golive.config import ConfigError
from golive.dns.resolver import Resolution, ResolverSettings
from golive.embedded.account import EmbeddedAccount
from golive.embedded.dnsserver import ZoneError
from golive.embedded.scenario import Scenario
from golive.embedded.zones import DKIM_KEY, fill, ses_zone
from golive.sections import dns_section

VALUES = {
    ("ap-southeast-1", "shop.example"): {"dkim": ["tok1", "tok2", "tok3"], "verification": "VERIFY="},
    ("ap-south-2", "shop.example"): {"dkim": ["south1"], "verification": None},
}


def test_placeholders_become_what_ses_holds_for_the_zones_domain():
    text = (
        "{{ses:ap-southeast-1:dkim2}}._domainkey IN CNAME {{ ses:ap-southeast-1:dkim2 }}.dkim.amazonses.com.\n"
        '_amazonses IN TXT "{{ses:ap-southeast-1:verification}}" ; {{ses:REGION:FIELD}} stays a comment\n'
        "{{ses:ap-south-2:shop.example:dkim1}}._domainkey IN CNAME x.\n"
    )
    assert fill(text, VALUES, "shop.example", "shop.zone") == (
        "tok2._domainkey IN CNAME tok2.dkim.amazonses.com.\n"
        '_amazonses IN TXT "VERIFY=" ; {{ses:REGION:FIELD}} stays a comment\n'
        "south1._domainkey IN CNAME x.\n"
    )


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("{{ses:us-east-1:dkim1}} IN A 192.0.2.1", "shop.zone:2: {{ses:us-east-1:dkim1}}: the scenario seeds no SES"),
        (
            "{{ses:ap-south-2:dkim2}} IN A 192.0.2.1",
            "SES holds no dkim2 for shop.example in ap-south-2 (it holds: dkim1)",
        ),
        ("{{ses:ap-south-2:verification}} IN A 192.0.2.1", "SES holds no verification for shop.example"),
        ("{{ses:dkim1}} IN A 192.0.2.1", "expected {{ses:REGION:FIELD}} or {{ses:REGION:DOMAIN:FIELD}}"),
    ],
)
def test_a_placeholder_ses_cannot_fill_names_its_line(line, problem):
    with pytest.raises(ZoneError) as caught:
        fill("; first line\n" + line + "\n", VALUES, "shop.example", "shop.zone")
    assert problem in str(caught.value)


def test_ses_publishes_spf_and_a_key_per_token_in_the_regions_dkim_zone():
    zone = ses_zone(VALUES)
    assert '@ IN TXT "v=spf1 ip4:199.255.192.0/22' in zone
    assert f'tok1.dkim.amazonses.com. IN TXT "{DKIM_KEY}"' in zone
    assert f'south1.dkim.ap-south-2.amazonses.com. IN TXT "{DKIM_KEY}"' in zone  # a regional DKIM domain


def start(tmp_path, zone_text):
    (tmp_path / "shop.example.zone").write_text(zone_text)
    data = {
        "version": 1,
        "regions": {"ap-southeast-1": {"ses": {"identities": {"shop.example": {}}}}},
        "dns": {"zones": {"shop.example": "shop.example.zone"}},
    }
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(data))
    return EmbeddedAccount(Scenario(path, data), auditor_policy())


ZONE = """$TTL 300
@ IN SOA ns1 hostmaster 1 3600 600 86400 60
@ IN NS ns1
ns1 IN A 127.0.0.1
{{ses:ap-southeast-1:dkim1}}._domainkey IN CNAME {{ses:ap-southeast-1:dkim1}}.dkim.amazonses.com.
"""


def test_the_embedded_world_serves_the_filled_zone_ses_and_a_root(tmp_path):
    account = start(tmp_path, ZONE)
    try:
        account.start()
        resolution = Resolution(ResolverSettings.of(dns_section({"timeout": 3, "retries": 1}), account.dns_address))
        token = "vvjuipp74whm76gqoni7qmwwn4w4qusjiainivf6sf"  # moto's first token
        assert resolution.lookup(f"{token}._domainkey.shop.example", "TXT").records == (DKIM_KEY,)
        assert resolution.lookup("amazonses.com", "TXT").records[0].startswith("v=spf1 ip4:")
        assert resolution.lookup("_dmarc.shop", "TXT").outcome == "NXDOMAIN"
    finally:
        account.stop()


def test_a_zone_ses_cannot_fill_stops_the_run_naming_scenario_key_and_line(tmp_path):
    account = start(tmp_path, ZONE + "x IN TXT {{ses:eu-west-1:verification}}\n")
    try:
        with pytest.raises(ConfigError) as caught:
            account.start()
    finally:
        account.stop()
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'scenario.json'}: key 'dns.zones.shop.example': ")
    assert "shop.example.zone:6: {{ses:eu-west-1:verification}}: the scenario seeds no SES domain identity" in message
