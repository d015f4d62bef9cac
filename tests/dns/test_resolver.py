"""golive's resolver modes against a real server on loopback: answers and their absence are
facts; a timeout, SERVFAIL or lame server is could-not-see; nothing leaves the machine."""

from __future__ import annotations

import pathlib
import socket

import pytest

from golive.config import ConfigError, load_config
from golive.dns.resolver import Found, Resolution, ResolverSettings
from golive.embedded.dnsserver import LoopbackDNSServer, load_zone
from golive.embedded.zones import ROOT_ZONE
from golive.errors import CouldNotSee

ZONES = pathlib.Path(__file__).parent.parent / "data" / "zones"
SOA_NS = "$TTL 60\n@ IN SOA ns1 hostmaster 7 3600 600 86400 60\n@ IN NS ns1\n"
# A zone whose nameserver is somewhere else: in embedded mode golive must refuse to go there.
ELSEWHERE = (
    "$TTL 60\n@ IN SOA ns1 hostmaster 7 3600 600 86400 60\n@ IN NS ns1\nns1 IN A 192.0.2.1\nwww IN A 192.0.2.2\n"
)
EMBEDDED_MODES = ["system", {"nameservers": ["192.0.2.53"], "port": 5353}, "authoritative"]
MODE_IDS = ["system", "listed-nameservers", "authoritative"]


@pytest.fixture(scope="module")
def server():
    zones = [
        load_zone("example.com.", ZONES / "example.com.zone"),
        load_zone("amazonses.com.", ZONES / "amazonses.com.zone"),
        load_zone("elsewhere.test.", text=ELSEWHERE),
        load_zone(".", text=ROOT_ZONE),
    ]
    slow = {"slow.example.com.": 1.0}
    with LoopbackDNSServer(zones, delay=slow, servfail=["broken.example.com."]) as running:
        yield running


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch, server):
    """Any packet to anywhere but loopback fails the test: the proof of no network (the server's
    replies go to the clients' loopback ports, so the host is what is checked)."""

    def guard(original):
        def checked(self, *args):
            address = args[-1]
            assert address[0] == "127.0.0.1", f"a packet to {address} would have left the machine"
            return original(self, *args)

        return checked

    monkeypatch.setattr(socket.socket, "sendto", guard(socket.socket.sendto))
    monkeypatch.setattr(socket.socket, "connect", guard(socket.socket.connect))


def embedded(server, resolver, timeout=2.0, retries=0):
    config = {"resolver": resolver, "timeout": timeout, "retries": retries}
    return Resolution(ResolverSettings.from_config(config, server.address))


@pytest.mark.parametrize("mode", EMBEDDED_MODES, ids=MODE_IDS)
def test_every_mode_reads_records_and_reports_their_absence_as_facts(server, mode):
    resolution = embedded(server, mode)
    assert resolution.lookup("example.com", "TXT").records == ("v=spf1 include:amazonses.com ~all",)
    assert resolution.lookup("mail.example.com", "MX").records == ("10 feedback-smtp.us-east-1.amazonses.com.",)
    assert resolution.lookup("nope.example.com", "TXT") == Found("nope.example.com", "TXT", "NXDOMAIN")
    assert resolution.lookup("www.example.com", "AAAA") == Found("www.example.com", "AAAA", "no data")
    # a name no zone serves does not exist, as in the world (the embedded root zone says so)
    assert resolution.lookup("_dmarc.example", "TXT").outcome == "NXDOMAIN"


@pytest.mark.parametrize("mode", EMBEDDED_MODES, ids=MODE_IDS)
def test_a_cname_into_another_zone_is_followed_to_the_record(server, mode):
    key = embedded(server, mode).lookup("abc._domainkey.example.com", "TXT")
    assert key.outcome == "answer" and key.records[0].startswith("v=DKIM1; k=rsa; p=MIIB")


def test_listed_nameservers_are_asked_on_their_port_in_live_mode(server):
    settings = ResolverSettings.from_config({"resolver": {"nameservers": ["127.0.0.1"], "port": server.port}})
    resolution = Resolution(settings)
    assert settings.describe() == f"nameservers 127.0.0.1:{server.port}"
    assert resolution.lookup("www.example.com", "A").records == ("192.0.2.10",)
    assert resolution.queries.total == 1


def test_authoritative_mode_finds_each_zones_servers_once(server):
    resolution = embedded(server, "authoritative")
    resolution.lookup("www.example.com", "A")
    first = resolution.queries.total
    resolution.lookup("mail.example.com", "MX")
    # the zone's servers are known now: finding the zone (SOA) and asking it, nothing more
    assert resolution.queries.total - first <= 3
    assert resolution.settings.describe().startswith("each zone's own nameservers (found through the embedded")


@pytest.mark.parametrize("mode", EMBEDDED_MODES, ids=MODE_IDS)
def test_a_timeout_is_could_not_see(server, mode):
    resolution = embedded(server, mode, timeout=0.3)
    with pytest.raises(CouldNotSee) as caught:
        resolution.lookup("slow.example.com", "TXT")
    assert "could not resolve slow.example.com TXT" in str(caught.value)
    assert "timed out" in str(caught.value)


@pytest.mark.parametrize("mode", EMBEDDED_MODES, ids=MODE_IDS)
def test_servfail_is_could_not_see(server, mode):
    with pytest.raises(CouldNotSee) as caught:
        embedded(server, mode).lookup("broken.example.com", "TXT")
    assert "SERVFAIL" in str(caught.value)


def test_a_lame_server_is_could_not_see_in_authoritative_mode(server):
    # example.com delegates sub.example.com, whose zone nobody here serves: only a referral comes back
    with pytest.raises(CouldNotSee) as caught:
        embedded(server, "authoritative").lookup("host.sub.example.com", "A")
    assert "a referral: a lame server for this zone" in str(caught.value)


def test_in_embedded_mode_a_zone_server_elsewhere_is_never_asked(server):
    with pytest.raises(CouldNotSee) as caught:
        embedded(server, "authoritative").lookup("www.elsewhere.test", "A")
    assert "an address other than the embedded DNS server's 127.0.0.1" in str(caught.value)


def test_timeout_and_retries_set_the_patience_of_a_lookup(server):
    settings = ResolverSettings.from_config({"resolver": "system", "timeout": 0.5, "retries": 2}, server.address)
    resolver = Resolution(settings).resolver
    assert (resolver.timeout, resolver.lifetime) == (0.5, 1.5)
    defaults = ResolverSettings.from_config({})
    assert (defaults.mode, defaults.timeout, defaults.retries) == ("authoritative", 3.0, 2)


def test_a_nameserver_that_is_not_an_address_stops_the_run_naming_the_key(workspace):
    workspace.edit("demo.yaml", lambda d: d.update(dns={"resolver": {"nameservers": ["dns.example"], "port": 53}}))
    with pytest.raises(ConfigError) as caught:
        load_config("demo", workspace.config_dir)
    assert "demo.yaml: key 'dns.resolver.nameservers.0': expected ipv4, found 'dns.example'" in str(caught.value)
