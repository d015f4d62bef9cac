"""golive's resolver modes against a real server on loopback: answers and their absence are
facts; a timeout, SERVFAIL or lame server is could-not-see; nothing leaves the machine."""

from __future__ import annotations

import pathlib
import socket

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import pytest

from golive.config import ConfigError, load_config
from golive.dns.resolver import Found, Resolution, ResolverSettings
from golive.embedded.dnsserver import LoopbackDNSServer, load_zone
from golive.embedded.zones import ROOT_ZONE
from golive.errors import CouldNotSee
from golive.sections import dns_section

ZONES = pathlib.Path(__file__).parent.parent / "data" / "zones"
BROKEN = "broken.example.com."
# A zone whose nameserver is somewhere else: in embedded mode golive must refuse to go there.
ELSEWHERE = (
    "$TTL 60\n@ IN SOA ns1 hostmaster 7 3600 600 86400 60\n@ IN NS ns1\nns1 IN A 192.0.2.1\nwww IN A 192.0.2.2\n"
)
EMBEDDED_MODES = ["system", {"nameservers": ["192.0.2.53"], "port": 5353}, "authoritative"]
MODE_IDS = ["system", "listed-nameservers", "authoritative"]


class BrokenForOneName(LoopbackDNSServer):
    """Answers SERVFAIL for BROKEN, as a server whose own upstream or zone data is broken does."""

    def respond(self, wire: bytes, max_size: int | None) -> bytes | None:
        query = dns.message.from_wire(wire)
        if query.question[0].name.to_text() != BROKEN:
            return super().respond(wire, max_size)
        response = dns.message.make_response(query)
        response.set_rcode(dns.rcode.SERVFAIL)
        return response.to_wire()


@pytest.fixture(scope="module")
def server():
    zones = [
        load_zone("example.com.", (ZONES / "example.com.zone").read_text()),
        load_zone("amazonses.com.", (ZONES / "amazonses.com.zone").read_text()),
        load_zone("elsewhere.test.", ELSEWHERE),
        load_zone(".", ROOT_ZONE),
    ]
    with BrokenForOneName(zones, delay={"slow.example.com.": 1.0}) as running:
        yield running


def embedded(server, resolver, timeout=2.0, retries=0):
    config = {"resolver": resolver, "timeout": timeout, "retries": retries}
    return Resolution(ResolverSettings.of(dns_section(config), server.address))


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
    settings = ResolverSettings.of(dns_section({"resolver": {"nameservers": ["127.0.0.1"], "port": server.port}}))
    assert settings.describe() == f"nameservers 127.0.0.1:{server.port}"
    assert Resolution(settings).lookup("www.example.com", "A").records == ("192.0.2.10",)


def test_authoritative_mode_finds_each_zones_servers_once(server, monkeypatch):
    asked = []
    sendto = socket.socket.sendto

    def recorded(sock, wire, *rest):
        message = dns.message.from_wire(wire)
        if not message.flags & dns.flags.QR:  # the server runs in this process: its replies are sent here too
            question = message.question[0]
            asked.append((question.name.to_text(), dns.rdatatype.to_text(question.rdtype)))
        return sendto(sock, wire, *rest)

    monkeypatch.setattr(socket.socket, "sendto", recorded)
    resolution = embedded(server, "authoritative")
    resolution.lookup("www.example.com", "A")
    assert ("example.com.", "NS") in asked
    del asked[:]
    resolution.lookup("mail.example.com", "MX")
    # the zone's servers are known now: finding the zone (SOA) and asking it, nothing more
    assert asked[-1] == ("mail.example.com.", "MX")
    assert {rdtype for _, rdtype in asked[:-1]} == {"SOA"}
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
        embedded(server, mode).lookup(BROKEN, "TXT")
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
    settings = ResolverSettings.of(dns_section({"resolver": "system", "timeout": 0.5, "retries": 2}), server.address)
    resolver = Resolution(settings).resolver
    assert (resolver.timeout, resolver.lifetime) == (0.5, 1.5)
    defaults = ResolverSettings.of(dns_section({}))
    assert (defaults.mode, defaults.timeout, defaults.retries) == ("authoritative", 3.0, 2)


def test_a_nameserver_that_is_not_an_address_stops_the_run_naming_the_key(workspace):
    workspace.edit("demo.yaml", lambda d: d.update(dns={"resolver": {"nameservers": ["dns.example"], "port": 53}}))
    with pytest.raises(ConfigError) as caught:
        load_config("demo", workspace.config_dir)
    assert "demo.yaml: key 'dns.resolver.nameservers.0': expected ipv4, found 'dns.example'" in str(caught.value)
