"""Authoritative answers: each name asked of its own zone's nameservers, not of a cache.

The `authoritative` resolver mode (golive/dns/resolver.py) judges a release by what each
zone serves now. A lame server (a referral, or an answer without AA) is a failure to see,
never an answer.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.resolver

_MAX_CHAIN = 8  # CNAME hops followed across zones, as many as dnspython follows within one answer
_EDNS_PAYLOAD = 1232  # the DNS flag day's UDP size: big answers come whole or truncated, never fragmented


class AuthoritativeResolver:
    """Answers `resolve(name, rdtype, lifetime=...)`, the part of dnspython's Resolver that golive
    and checkdmarc call, from each name's own zone servers.

    The zone is found through `bootstrap` (SOA, then NS, then the servers' addresses);
    the question then goes to those servers directly and only an authoritative answer (AA)
    counts: a referral or a non-authoritative answer is a lame server. A CNAME out of the
    zone is followed by asking the target's zone in turn.
    """

    def __init__(
        self, bootstrap: dns.resolver.Resolver, *, timeout: float, retries: int, port: int, only_address: str | None
    ) -> None:
        self.bootstrap = bootstrap
        self.timeout = timeout
        self.lifetime = timeout * (retries + 1)
        self._attempts = retries + 1
        self._port = port
        self._only_address = only_address  # embedded mode: every zone server must be the loopback server
        self._servers: dict[dns.name.Name, list[tuple[str, str]]] = {}
        self._lock = threading.Lock()

    def resolve(
        self, qname: dns.name.Name | str, rdtype: dns.rdatatype.RdataType | str, lifetime: float | None = None
    ) -> dns.resolver.Answer:
        qname = dns.name.from_text(qname) if isinstance(qname, str) else qname
        rdtype = dns.rdatatype.RdataType.make(rdtype)
        deadline = time.monotonic() + (lifetime or self.lifetime)
        combined = dns.message.make_response(dns.message.make_query(qname, rdtype))
        name = qname
        for _ in range(_MAX_CHAIN):
            response = self._ask(name, rdtype, deadline)
            for rrset in response.answer:  # through find_rrset, which keeps the message's index in step
                combined.find_rrset(combined.answer, rrset.name, rrset.rdclass, rrset.rdtype, create=True).update(rrset)
            combined.set_rcode(response.rcode())
            chained = response.resolve_chaining()
            if chained.answer is not None or chained.canonical_name == name or response.rcode() != dns.rcode.NOERROR:
                break
            name = chained.canonical_name  # a CNAME into another zone: ask that zone
        answer = dns.resolver.Answer(qname, rdtype, dns.rdataclass.IN, combined)
        if combined.rcode() == dns.rcode.NXDOMAIN:
            raise dns.resolver.NXDOMAIN(qnames=[qname], responses={qname: combined})
        if answer.rrset is None:
            raise dns.resolver.NoAnswer(response=combined)
        return answer

    def _ask(self, name: dns.name.Name, rdtype: dns.rdatatype.RdataType, deadline: float) -> dns.message.Message:
        servers = self._zone_servers(name, deadline)
        query = dns.message.make_query(name, rdtype, use_edns=0, payload=_EDNS_PAYLOAD)
        errors: list[tuple[str, bool, int, Any, Any]] = []
        failed: set[str] = set()
        for _ in range(self._attempts):
            for server, address in servers:
                if server in failed:
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise dns.resolver.LifetimeTimeout(timeout=self.lifetime, errors=errors)
                label = f"{server} ({address}:{self._port})"
                try:
                    response, _ = dns.query.udp_with_fallback(
                        query, address, timeout=min(self.timeout, remaining), port=self._port
                    )
                except dns.exception.Timeout as exc:
                    errors.append((label, False, self._port, exc, None))
                    continue
                except (OSError, dns.exception.DNSException) as exc:
                    errors.append((label, False, self._port, exc, None))
                    failed.add(server)
                    continue
                problem = _not_authoritative(response)
                if problem is None:
                    return response
                errors.append((label, False, self._port, problem, response))
                failed.add(server)
        if errors and all(isinstance(e[3], dns.exception.Timeout) for e in errors):
            raise dns.resolver.LifetimeTimeout(timeout=self.lifetime, errors=errors)
        raise dns.resolver.NoNameservers(request=query, errors=errors)

    def _zone_servers(self, name: dns.name.Name, deadline: float) -> list[tuple[str, str]]:
        """(server name, address) of the zone holding `name`, found once per zone."""
        zone = dns.resolver.zone_for_name(name, resolver=self.bootstrap, lifetime=max(deadline - time.monotonic(), 0))
        with self._lock:
            if zone not in self._servers:
                self._servers[zone] = self._find_servers(zone)
            return self._servers[zone]

    def _find_servers(self, zone: dns.name.Name) -> list[tuple[str, str]]:
        query = dns.message.make_query(zone, dns.rdatatype.NS)
        try:
            targets = sorted(rd.target for rd in self.bootstrap.resolve(zone, dns.rdatatype.NS))
        except dns.resolver.NoAnswer:
            errors = [(str(zone), False, 53, "no NS records", None)]
            raise dns.resolver.NoNameservers(request=query, errors=errors) from None
        servers, errors = [], []
        for target in targets:
            for address in self._addresses(target):
                if self._only_address is not None and address != self._only_address:
                    errors.append(
                        (
                            f"{target} ({address})",
                            False,
                            self._port,
                            f"an address other than the embedded DNS server's {self._only_address}",
                            None,
                        )
                    )
                    continue
                servers.append((target.to_text(), address))
        if not servers:
            errors = errors or [(f"{t}", False, 53, "no address (A/AAAA)", None) for t in targets]
            raise dns.resolver.NoNameservers(request=query, errors=errors)
        return servers

    def _addresses(self, target: dns.name.Name) -> list[str]:
        """IPv4 addresses of a nameserver, or IPv6 ones if it has none (not every network routes IPv6)."""
        for rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
            try:
                return [rd.address for rd in self.bootstrap.resolve(target, rdtype)]
            except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
                continue
        return []


def _not_authoritative(response: dns.message.Message) -> str | None:
    """Why an answer from a zone's own server cannot be trusted, or None if it can."""
    rcode = response.rcode()
    if rcode not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
        return dns.rcode.to_text(rcode)
    if not response.flags & dns.flags.AA:
        kind = "a referral" if not response.answer and response.authority else "a non-authoritative answer"
        return f"{kind}: a lame server for this zone"
    return None
