"""The loopback DNS server answers real dnspython queries, over UDP and TCP, as BIND would."""

from __future__ import annotations

import logging
import pathlib
import re
import socket
import threading

import dns.exception
import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import dns.resolver
import dns.zone
import pytest

from golive.embedded.dnsserver import LoopbackDNSServer, ZoneError, load_zone

ZONES = pathlib.Path(__file__).parent.parent / "data" / "zones"
EXAMPLE = (ZONES / "example.com.zone").read_text()
SLOW = "slow.example.com."

SOA_NS = "$TTL 60\n@ IN SOA ns1 hostmaster 7 3600 600 86400 60\n@ IN NS ns1\n"
CHILD_ZONE = SOA_NS + "host IN A 192.0.2.77\n"
# More TXT than fits in 1232 bytes (dnspython's EDNS payload): only TCP can carry it.
BIG_ZONE = SOA_NS + "".join(f'big IN TXT "record {n:02d} {"x" * 180}"\n' for n in range(10))


@pytest.fixture(scope="module")
def server():
    zones = [
        load_zone("example.com.", EXAMPLE),
        load_zone("amazonses.com.", (ZONES / "amazonses.com.zone").read_text()),
        load_zone("big.test.", BIG_ZONE),
        load_zone("team.example.com.", CHILD_ZONE),
    ]
    with LoopbackDNSServer(zones, delay={SLOW: 0.3}) as running:
        yield running


def ask(server, name, rdtype="A", query=dns.query.udp, **options):
    message = dns.message.make_query(name, rdtype, **options)
    return query(message, "127.0.0.1", port=server.port, timeout=2)


def resolver(server, lifetime=2.0):
    res = dns.resolver.Resolver(configure=False)
    res.nameservers, res.port, res.lifetime = ["127.0.0.1"], server.port, lifetime
    return res


def texts(response):
    return [rd.to_text() for rrset in response.answer for rd in rrset]


@pytest.mark.parametrize("query", [dns.query.udp, dns.query.tcp], ids=["udp", "tcp"])
def test_existing_record_is_answered_authoritatively(server, query):
    response = ask(server, "www.example.com.", query=query)
    assert response.rcode() == dns.rcode.NOERROR
    assert response.flags & dns.flags.AA
    assert texts(response) == ["192.0.2.10"]


def test_resolver_reads_spf_and_mx_like_a_real_nameserver(server):
    res = resolver(server)
    spf = res.resolve("example.com", "TXT")
    assert [rd.strings for rd in spf] == [(b"v=spf1 include:amazonses.com ~all",)]
    mx = res.resolve("mail.example.com", "MX")
    assert [rd.to_text() for rd in mx] == ["10 feedback-smtp.us-east-1.amazonses.com."]


def test_multi_string_txt_round_trips_byte_for_byte(server):
    lines = (ZONES / "amazonses.com.zone").read_text().splitlines()
    line = next(ln for ln in lines if ln.startswith("abc.dkim"))  # read raw, not via dnspython
    written = tuple(s.encode() for s in re.findall(r'"([^"]*)"', line))
    served = resolver(server).resolve("abc.dkim.amazonses.com", "TXT")
    assert [len(s) for s in written] == [255, 191]
    assert served[0].strings == written
    quoted = resolver(server).resolve("quoted.example.com", "TXT")
    assert quoted[0].strings == (b'say "hi"; a;b', b"")
    dmarc = resolver(server).resolve("_dmarc.example.com", "TXT")
    assert dmarc[0].strings == (b"v=DMARC1; p=reject; ", b"rua=mailto:dmarc@example.com")


def test_missing_type_is_nodata_with_soa(server):
    response = ask(server, "www.example.com.", "AAAA")
    assert response.rcode() == dns.rcode.NOERROR and response.flags & dns.flags.AA
    assert response.answer == []
    assert [rrset.rdtype for rrset in response.authority] == [dns.rdatatype.SOA]
    assert response.authority[0].ttl == 60  # capped by the SOA minimum (RFC 2308)


def test_missing_name_is_nxdomain_with_soa(server):
    response = ask(server, "nope.example.com.", "TXT")
    assert response.rcode() == dns.rcode.NXDOMAIN
    assert response.authority[0].name.to_text() == "example.com."
    with pytest.raises(dns.resolver.NXDOMAIN):
        resolver(server).resolve("nope.example.com", "TXT")


def test_empty_non_terminal_is_nodata_not_nxdomain(server):
    response = ask(server, "_domainkey.example.com.", "TXT")
    assert response.rcode() == dns.rcode.NOERROR
    assert response.answer == [] and response.authority[0].rdtype == dns.rdatatype.SOA


def test_cname_is_returned_for_its_own_type_and_chased_for_others(server):
    assert texts(ask(server, "abc._domainkey.example.com.", "CNAME")) == ["abc.dkim.amazonses.com."]
    # Into the other served zone; over TCP because the DKIM key overflows 512 bytes.
    chased = ask(server, "abc._domainkey.example.com.", "TXT", query=dns.query.tcp)
    assert [rrset.rdtype for rrset in chased.answer] == [dns.rdatatype.CNAME, dns.rdatatype.TXT]
    assert texts(ask(server, "alias.example.com.")) == ["www.example.com.", "192.0.2.10"]
    res = resolver(server)
    dkim = res.resolve("abc._domainkey.example.com", "CNAME")  # what the DKIM check asks
    assert [rd.to_text() for rd in dkim] == ["abc.dkim.amazonses.com."]


def test_cname_to_a_zone_not_served_stops_at_the_cname(server):
    response = ask(server, "elsewhere.example.com.")
    assert response.rcode() == dns.rcode.NOERROR
    assert texts(response) == ["target.example.net."]


def test_name_outside_every_zone_is_refused(server):
    assert ask(server, "example.org.").rcode() == dns.rcode.REFUSED


def test_most_specific_zone_answers(server):
    response = ask(server, "host.team.example.com.")
    assert texts(response) == ["192.0.2.77"]
    assert ask(server, "gone.team.example.com.").authority[0].name.to_text() == "team.example.com."


def test_wildcard_answers_under_the_query_name(server):
    response = ask(server, "anything.wild.example.com.", "TXT")
    assert response.answer[0].name.to_text() == "anything.wild.example.com."
    assert texts(response) == ['"from the wildcard"']
    # wild.example.com has no records but a descendant (the wildcard): NODATA.
    assert ask(server, "wild.example.com.", "TXT").rcode() == dns.rcode.NOERROR


def test_delegation_is_a_referral_with_glue(server):
    response = ask(server, "host.sub.example.com.")
    assert response.rcode() == dns.rcode.NOERROR and not response.flags & dns.flags.AA
    assert response.answer == []
    assert [rd.to_text() for rd in response.authority[0]] == ["ns.sub.example.com."]
    assert [rd.to_text() for rd in response.additional[0]] == ["192.0.2.53"]


def test_any_returns_every_rrset_at_the_name(server):
    assert sorted(rrset.rdtype for rrset in ask(server, "example.com.", "ANY").answer) == sorted(
        [dns.rdatatype.SOA, dns.rdatatype.NS, dns.rdatatype.MX, dns.rdatatype.TXT]
    )


def test_oversized_udp_answer_is_truncated_and_resolver_falls_back_to_tcp(server):
    plain = ask(server, "big.big.test.", "TXT")
    assert plain.flags & dns.flags.TC and len(plain.to_wire()) <= 512
    assert ask(server, "big.big.test.", "TXT", use_edns=0, payload=1232).flags & dns.flags.TC
    roomy = ask(server, "big.big.test.", "TXT", use_edns=0, payload=4096)  # EDNS is honoured
    assert not roomy.flags & dns.flags.TC and len(roomy.answer[0]) == 10
    assert len(resolver(server).resolve("big.big.test", "TXT")) == 10


@pytest.mark.parametrize(
    "garbage", [b"", b"\x00", b"\x12\x34\x01\x00" + b"\xff" * 28], ids=["empty", "one-byte", "junk"]
)
def test_malformed_packets_do_not_break_the_server(server, garbage, capfd):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.3)
        sock.sendto(garbage, server.address)
        if len(garbage) >= 12:
            reply = dns.message.from_wire(sock.recv(512))
            assert (reply.id, reply.rcode()) == (0x1234, dns.rcode.FORMERR)
    with socket.create_connection(server.address, timeout=1) as conn:  # and over TCP
        conn.sendall(len(garbage).to_bytes(2, "big") + garbage)
    assert texts(ask(server, "www.example.com.")) == ["192.0.2.10"]
    assert texts(ask(server, "www.example.com.", query=dns.query.tcp)) == ["192.0.2.10"]
    assert capfd.readouterr() == ("", "")  # quiet: no tracebacks on stderr


def test_a_failing_handler_is_logged_not_printed_and_serving_goes_on(monkeypatch, caplog, capfd):
    def broken(wire, max_size):
        raise RuntimeError("bug in respond")

    zone = load_zone("example.com.", EXAMPLE)
    with LoopbackDNSServer([zone]) as running, caplog.at_level(logging.DEBUG, "golive.embedded.dnsserver"):
        monkeypatch.setattr(running, "respond", broken)
        with pytest.raises(EOFError):  # the TCP connection closes without an answer
            ask(running, "www.example.com.", query=dns.query.tcp)
        monkeypatch.undo()
        assert texts(ask(running, "www.example.com.", query=dns.query.tcp)) == ["192.0.2.10"]
    assert "bug in respond" in caplog.text
    assert capfd.readouterr() == ("", "")


def test_delay_makes_a_real_timeout(server):
    with pytest.raises(dns.exception.Timeout):
        dns.query.udp(dns.message.make_query(SLOW, "A"), "127.0.0.1", port=server.port, timeout=0.1)
    with pytest.raises(dns.resolver.LifetimeTimeout):  # what a DNS check sees
        resolver(server, lifetime=0.15).resolve(SLOW, "TXT")
    assert texts(ask(server, "www.example.com.")) == ["192.0.2.10"]  # other names stay fast


def test_two_servers_run_at_once_and_stop_is_idempotent():
    zone = load_zone("example.com.", EXAMPLE)
    first, second = LoopbackDNSServer([zone]).start(), LoopbackDNSServer([zone]).start()
    assert first.port != second.port
    for running in (first, second):
        assert texts(ask(running, "www.example.com.", query=dns.query.tcp)) == ["192.0.2.10"]
    port = first.port
    first.stop()
    first.stop()
    assert not [t for t in threading.enumerate() if t.name.endswith(f"-{port}")]
    with pytest.raises(ConnectionRefusedError):
        dns.query.tcp(dns.message.make_query("www.example.com.", "A"), "127.0.0.1", port=port)
    assert texts(ask(second, "www.example.com.")) == ["192.0.2.10"]
    second.stop()


def test_tcp_connection_carries_several_queries(server):
    with socket.create_connection(server.address, timeout=2) as conn:
        www, team = (dns.message.make_query(n, "A") for n in ("www.example.com.", "host.team.example.com."))
        first = dns.query.tcp(www, "127.0.0.1", sock=conn)
        second = dns.query.tcp(team, "127.0.0.1", sock=conn)  # same connection
    assert (texts(first), texts(second)) == (["192.0.2.10"], ["192.0.2.77"])


def test_zone_syntax_error_names_file_line_and_problem():
    with pytest.raises(ZoneError, match=r"zones/bad\.zone:4: unknown rdatatype 'BOGUS'"):
        load_zone("example.com.", SOA_NS + "www IN BOGUS 1.2.3.4\n", source="zones/bad.zone")
    assert issubclass(ZoneError, ValueError)


@pytest.mark.parametrize(
    ("text", "problem"),
    [("$TTL 60\n@ IN NS ns1\n", "no SOA"), ("$TTL 60\n@ IN SOA a b 1 2 3 4 5\n", "no NS")],
)
def test_zone_without_soa_or_ns_is_rejected(text, problem):
    with pytest.raises(ZoneError, match=rf"<zone text>: .*{problem}"):
        load_zone("example.com.", text)
