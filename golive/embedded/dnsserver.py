"""An authoritative DNS server on loopback, serving zone files over real UDP and TCP.

Embedded mode simulates a whole account, DNS included. Rather than patching the
resolver, golive serves the scenario's zone files from a real nameserver on
127.0.0.1, so the DNS checks query it with dnspython exactly as they query a real
one: truncation, TCP fallback, timeouts and NXDOMAIN all take their real paths.
"""

from __future__ import annotations

import logging
import socketserver
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from typing import Self

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdataset
import dns.rdatatype
import dns.rrset
import dns.zone

from golive.threads import at_once

log = logging.getLogger(__name__)

_MAX_CHAIN = 8  # CNAME hops to chase before giving up, so a loop cannot spin forever
HOST = "127.0.0.1"  # loopback only: nothing outside this machine can ask it anything
_BIND_ATTEMPTS = 20  # a free UDP port may be taken for TCP; pick another this many times
_TCP_IDLE_SECONDS = 5.0  # an idle TCP client must not keep a handler thread forever
_POLL_SECONDS = 0.05  # serve_forever's poll: stop() waits at most this long, both sockets at once


class ZoneError(ValueError):
    """A zone file could not be read or parsed; the message names file, line and problem."""


def load_zone(origin: str, text: str, source: str = "<zone text>") -> dns.zone.Zone:
    """Parse zone text for `origin`, with absolute names throughout; `source` names where the
    text came from (a zone file, filled in before parsing).

    Raise ZoneError naming the file, the line and the problem, so a bad scenario
    stops the run with one clear message instead of a dnspython traceback.
    """
    try:
        # dnspython's SyntaxError already reads "<file>:<line>: <problem>".
        return dns.zone.from_text(text, origin, relativize=False, filename=source)
    except dns.exception.SyntaxError as exc:
        raise ZoneError(f"zone {origin}: {exc}") from None
    except dns.exception.DNSException as exc:  # NoSOA, NoNS...
        raise ZoneError(f"zone {origin}: {source}: {exc}") from None


class LoopbackDNSServer:
    """Answer authoritatively for `zones` (from load_zone), as BIND would, on one UDP and one
    TCP socket of a free loopback port."""

    def __init__(self, zones: Iterable[dns.zone.Zone], delay: Mapping[str, float] | None = None) -> None:
        self._zones = list(zones)
        # Keyed by Name so that the lookup is case-insensitive, as DNS names are.
        self._delay = {dns.name.from_text(name): seconds for name, seconds in (delay or {}).items()}
        self._servers: list[socketserver.BaseServer] = []
        self._threads: list[threading.Thread] = []

    @property
    def port(self) -> int:
        if not self._servers:
            raise RuntimeError("LoopbackDNSServer is not started")
        return self._servers[0].server_address[1]

    @property
    def address(self) -> tuple[str, int]:
        return HOST, self.port

    def start(self) -> Self:
        """Bind UDP and TCP on the same port and serve both from daemon threads."""
        for _ in range(_BIND_ATTEMPTS):
            udp = _UDPServer((HOST, 0), self)
            try:
                tcp = _TCPServer((HOST, udp.server_address[1]), self)
            except OSError:  # the port is free for UDP but taken for TCP
                udp.server_close()
                continue
            break
        else:
            raise OSError(f"no port on {HOST} is free for both UDP and TCP")
        self._servers = [udp, tcp]
        for server in self._servers:
            name = f"golive-dns-{server.protocol}-{self.port}"
            thread = threading.Thread(target=server.serve_forever, args=(_POLL_SECONDS,), name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Close both sockets; calling it again (or before start) does nothing."""
        at_once([server.shutdown for server in self._servers])()  # the two loops' polls waited out together
        for server in self._servers:
            server.server_close()
        for thread in self._threads:
            thread.join()
        self._servers, self._threads = [], []

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def respond(self, wire: bytes, max_size: int | None) -> bytes | None:
        """Answer one query in wire format; `max_size` None means UDP (size from EDNS)."""
        try:
            query = dns.message.from_wire(wire)
        except dns.exception.DNSException:
            return _formerr(wire)
        if query.flags & dns.flags.QR:
            return None  # never answer a response: that is how reflection loops start
        response = dns.message.make_response(query)
        if query.opcode() != dns.opcode.QUERY:
            response.set_rcode(dns.rcode.NOTIMP)
        elif len(query.question) != 1:
            response.set_rcode(dns.rcode.FORMERR)
        else:
            question = query.question[0]
            time.sleep(self._delay.get(question.name, 0.0))
            self._resolve(response, question.name, question.rdtype, question.rdclass)
        if max_size is None:  # UDP: 512 bytes unless the client advertised more with EDNS
            max_size = max(512, query.payload) if query.edns >= 0 else 512
        # Too big: drop what does not fit and set TC, so the client retries over TCP.
        return response.to_wire(max_size=max_size, prefer_truncation=True)

    def _resolve(self, response: dns.message.Message, qname: dns.name.Name, qtype: int, qclass: int) -> None:
        """Fill `response` for one question, following CNAMEs into any zone served here."""
        name = qname
        for hop in range(_MAX_CHAIN):
            zone = self._zone_for(name) if qclass == dns.rdataclass.IN else None
            if zone is None:  # not ours; after a CNAME hop, the client resolves the rest
                if hop == 0:
                    response.set_rcode(dns.rcode.REFUSED)
                return
            if hop == 0:
                response.flags |= dns.flags.AA
            referral = _zone_cut(zone, name)
            if referral is not None:
                if hop == 0:
                    response.flags &= ~dns.flags.AA  # the child zone's servers are the authority
                response.authority.append(referral)
                response.additional.extend(_glue(zone, referral))
                return
            node = zone.get_node(name)
            if node is None and not _has_descendants(zone, name):  # an empty non-terminal is NODATA
                node = zone.get_node(dns.name.from_text("*", _closest_encloser(zone, name)))
                if node is None:
                    response.set_rcode(dns.rcode.NXDOMAIN)
            if node is None:
                response.authority.append(_negative_soa(zone))
                return
            rdatasets = [rds for rds in node if qtype in (rds.rdtype, dns.rdatatype.ANY)]
            cname = node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.CNAME)
            if not rdatasets and cname is not None:
                response.answer.append(_rrset(name, cname))
                name = cname[0].target
                continue
            if not rdatasets:
                response.authority.append(_negative_soa(zone))  # NODATA
            # A wildcard answer carries the query name as owner (RFC 4592).
            response.answer.extend(_rrset(name, rds) for rds in rdatasets)
            return

    def _zone_for(self, name: dns.name.Name) -> dns.zone.Zone | None:
        """The most specific zone holding `name` (the longest matching origin)."""
        candidates = [zone for zone in self._zones if name.is_subdomain(zone.origin)]
        return max(candidates, key=lambda zone: len(zone.origin), default=None)


def _rrset(owner: dns.name.Name, rdataset: dns.rdataset.Rdataset) -> dns.rrset.RRset:
    rrset = dns.rrset.RRset(owner, rdataset.rdclass, rdataset.rdtype)
    rrset.update(rdataset)
    return rrset


def _negative_soa(zone: dns.zone.Zone) -> dns.rrset.RRset:
    """The SOA for a negative answer, its TTL capped by the SOA minimum (RFC 2308 §3)."""
    soa = zone.find_rrset(zone.origin, dns.rdatatype.SOA)
    negative = _rrset(soa.name, soa)
    negative.ttl = min(soa.ttl, soa[0].minimum)
    return negative


def _has_descendants(zone: dns.zone.Zone, name: dns.name.Name) -> bool:
    return any(other != name and other.is_subdomain(name) for other in zone.nodes)


def _closest_encloser(zone: dns.zone.Zone, name: dns.name.Name) -> dns.name.Name:
    """The nearest existing ancestor of `name` (ends at the apex, which always exists)."""
    name = name.parent()
    while zone.get_node(name) is None and not _has_descendants(zone, name):
        name = name.parent()
    return name


def _zone_cut(zone: dns.zone.Zone, name: dns.name.Name) -> dns.rrset.RRset | None:
    """The NS rrset of the highest delegation between the apex (excluded) and `name`."""
    ancestors = []
    while name != zone.origin:
        ancestors.append(name)
        name = name.parent()
    for ancestor in reversed(ancestors):
        ns = zone.get_rrset(ancestor, dns.rdatatype.NS)
        if ns is not None:
            return ns
    return None


def _glue(zone: dns.zone.Zone, ns: dns.rrset.RRset) -> list[dns.rrset.RRset]:
    """Addresses of in-zone nameservers, without which the referral could not be followed."""
    addresses = (dns.rdatatype.A, dns.rdatatype.AAAA)
    found = (zone.get_rrset(rd.target, rdtype) for rd in ns for rdtype in addresses)
    return [rrset for rrset in found if rrset is not None]


def _formerr(wire: bytes) -> bytes | None:
    """FORMERR for an unparsable query with a readable header; silence for anything else."""
    if len(wire) < 12 or wire[2] & 0x80:  # no DNS header, or the QR bit says it is a response
        return None
    response = dns.message.Message(id=int.from_bytes(wire[:2], "big"))
    response.flags = dns.flags.QR
    response.set_rcode(dns.rcode.FORMERR)
    return response.to_wire()


class _ServerMixin:
    """What both socket servers share: daemon threads, fast close, errors logged not printed."""

    daemon_threads = True
    block_on_close = False  # stop() must not wait for a slow (delayed) answer to finish

    def __init__(self, address: tuple[str, int], owner: LoopbackDNSServer) -> None:
        self.owner = owner  # the handlers reach the zones through it
        super().__init__(address, self.handler)  # type: ignore[call-arg]

    def handle_error(self, request: object, client_address: object) -> None:
        # socketserver calls this from its `except` and would print the traceback to
        # stderr; a bad packet must make no noise, yet stays visible in debug logs.
        log.debug("DNS request from %s failed", client_address, exc_info=sys.exc_info())


class _UDPHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        wire, sock = self.request
        reply = self.server.owner.respond(wire, max_size=None)
        if reply is not None:
            sock.sendto(reply, self.client_address)


class _TCPHandler(socketserver.StreamRequestHandler):
    timeout = _TCP_IDLE_SECONDS

    def handle(self) -> None:
        # RFC 1035 §4.2.2: each message is preceded by its two-byte length; a client
        # may send several queries on one connection.
        try:
            while len(prefix := self.rfile.read(2)) == 2:
                size = int.from_bytes(prefix, "big")
                wire = self.rfile.read(size)
                if len(wire) < size:  # the client hung up mid-message
                    return
                reply = self.server.owner.respond(wire, max_size=65535)
                if reply is None:
                    return
                self.wfile.write(len(reply).to_bytes(2, "big") + reply)
        except (TimeoutError, ConnectionError):
            return  # an idle or vanished client: just close


class _UDPServer(_ServerMixin, socketserver.ThreadingUDPServer):
    handler, protocol = _UDPHandler, "udp"


class _TCPServer(_ServerMixin, socketserver.ThreadingTCPServer):
    handler, protocol = _TCPHandler, "tcp"
