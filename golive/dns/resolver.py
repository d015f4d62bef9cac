"""DNS lookups through the resolver the config chooses, and what a lookup found.

`dns.resolver` in the config chooses who answers:
- `system`: the machine's resolver (/etc/resolv.conf);
- `{nameservers: [...], port: N}`: these (recursive) servers, on this port;
- `authoritative` (the default): for every name, find its zone through the system
  resolver and ask the zone's own nameservers, so that a release is judged by what the
  zone serves now and not by a cache.

In embedded (moto) mode the embedded loopback server answers, whatever the mode: it stands
in for the system resolver and for every listed nameserver, and in authoritative mode each
zone's NS records must resolve to its address (the queries go to its port). Nothing leaves
the machine.

A timeout, SERVFAIL, REFUSED or a lame server means golive could not see (`CouldNotSee`);
NXDOMAIN and an empty answer are facts (`Found`).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.nameserver
import dns.query
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.resolver

from golive.errors import CouldNotSee
from golive.sections import dns_section

_MAX_CHAIN = 8  # CNAME hops followed across zones, as many as dnspython follows within one answer
_EDNS_PAYLOAD = 1232  # the DNS flag day's UDP size: big answers come whole or truncated, never fragmented


class QueryCounter:
    """Counts the DNS queries golive sends: what a run costs the nameservers it asks."""

    def __init__(self) -> None:
        self.total = 0
        self._lock = threading.Lock()

    def add(self) -> None:
        with self._lock:
            self.total += 1


class _CountingNameserver(dns.nameserver.Do53Nameserver):
    def __init__(self, address: str, port: int, counter: QueryCounter) -> None:
        super().__init__(address, port)
        self._counter = counter

    def query(self, *args: Any, **kwargs: Any) -> dns.message.Message:
        self._counter.add()
        return super().query(*args, **kwargs)


@dataclass(frozen=True)
class ResolverSettings:
    """The validated `dns:` settings that decide who answers, and how patiently."""

    mode: str  # system | nameservers | authoritative
    nameservers: tuple[tuple[str, int], ...]  # the listed servers (nameservers mode)
    timeout: float  # seconds per query
    retries: int  # further attempts after a timeout
    embedded: tuple[str, int] | None = None  # moto mode: the loopback server that answers everything

    @classmethod
    def from_config(cls, dns_config: dict[str, Any], embedded: tuple[str, int] | None = None) -> ResolverSettings:
        section = dns_section(dns_config)
        return cls(section.resolver, section.nameservers, section.timeout, section.retries, embedded)

    @property
    def stub_servers(self) -> tuple[tuple[str, int], ...]:
        """The servers a stub query goes to; empty means the system's."""
        if self.embedded is not None:
            return (self.embedded,)
        return self.nameservers

    def describe(self) -> str:
        """Who answers, in words, for messages and evidence."""
        if self.embedded is not None:
            servers = f"the embedded DNS server {self.embedded[0]}:{self.embedded[1]}"
        elif self.nameservers:
            servers = "nameservers " + ", ".join(f"{host}:{port}" for host, port in self.nameservers)
        else:
            servers = "the system resolver"
        if self.mode == "authoritative":
            return f"each zone's own nameservers (found through {servers})"
        return servers


class Resolution:
    """The run's resolver: `lookup()` for golive's own questions, `resolver` for checkdmarc."""

    def __init__(self, settings: ResolverSettings) -> None:
        self.settings = settings
        self.queries = QueryCounter()
        try:
            self.stub = _stub(settings, self.queries)
        except dns.resolver.NoResolverConfiguration as exc:
            raise CouldNotSee(
                f"could not use the system resolver: {exc}; list nameservers in dns.resolver instead", permission=None
            ) from None
        if settings.mode == "authoritative":
            embedded = settings.embedded
            self.resolver: Any = AuthoritativeResolver(
                self.stub,
                timeout=settings.timeout,
                retries=settings.retries,
                counter=self.queries,
                port=embedded[1] if embedded else 53,
                only_address=embedded[0] if embedded else None,
            )
        else:
            self.resolver = self.stub

    @property
    def fallback_nameservers(self) -> list[dns.nameserver.Nameserver] | None:
        """For the odd library path that queries without the resolver it was given: the same servers."""
        servers = self.settings.stub_servers
        return [_CountingNameserver(host, port, self.queries) for host, port in servers] or None

    def watched(self) -> Watched:
        """The resolver to hand a library (checkdmarc) that may turn a DNS failure into a verdict."""
        return Watched(self)

    def lookup(self, name: str, rdtype: str) -> Found:
        """Ask for `name`/`rdtype`; a could-not-see failure raises CouldNotSee naming what was asked."""
        try:
            answer = self.resolver.resolve(name, rdtype, lifetime=self.resolver.lifetime)
        except dns.resolver.NXDOMAIN:
            return Found(name, rdtype, "NXDOMAIN")
        except dns.resolver.NoAnswer:
            return Found(name, rdtype, "no data")
        except (dns.exception.DNSException, OSError) as exc:
            raise self.could_not_see(name, rdtype, exc) from None
        return Found(name, rdtype, "answer", tuple(sorted(_text(rd) for rd in answer.rrset)))

    def could_not_see(self, name: str, rdtype: str, exc: BaseException) -> CouldNotSee:
        return CouldNotSee(
            f"could not resolve {name} {rdtype} through {self.settings.describe()}: {reason(exc)}; "
            "a DNS failure is not an answer, so the check cannot pass or fail (fix the nameserver, "
            "or raise dns.timeout / dns.retries if it is only slow)",
            permission=None,
        )


class Watched:
    """The run's resolver as a library sees it, remembering every lookup that could not be seen.

    checkdmarc reports a timed-out include as "no SPF record (permerror)" and a failed `a`
    lookup as a warning; golive must call both "could not see". After the library returns,
    `raise_first_failure()` turns any such failure into CouldNotSee, whatever it concluded.
    """

    def __init__(self, resolution: Resolution) -> None:
        self._resolution = resolution
        self.lifetime = resolution.resolver.lifetime
        self.failures: list[tuple[str, str, BaseException]] = []

    def resolve(self, qname: Any, rdtype: Any = "A", *args: Any, **kwargs: Any) -> dns.resolver.Answer:
        try:
            return self._resolution.resolver.resolve(qname, rdtype, *args, **kwargs)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            raise
        except (dns.exception.DNSException, OSError) as exc:
            self.failures.append((str(qname), dns.rdatatype.to_text(dns.rdatatype.RdataType.make(rdtype)), exc))
            raise

    def raise_first_failure(self) -> None:
        if self.failures:
            name, rdtype, exc = self.failures[0]
            raise self._resolution.could_not_see(name, rdtype, exc)


@dataclass(frozen=True)
class Found:
    """What one lookup found: the records of the asked type (after any CNAMEs), or none."""

    name: str
    rdtype: str
    outcome: str  # answer | NXDOMAIN | no data
    records: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.outcome == "NXDOMAIN":
            return f"{self.name} does not exist (NXDOMAIN)"
        if not self.records:
            return f"{self.name} has no {self.rdtype} record"
        return f"{self.name} {self.rdtype} " + ", ".join(_quoted(self.rdtype, r) for r in self.records)


def _quoted(rdtype: str, record: str) -> str:
    return f'"{record}"' if rdtype == "TXT" else record


def _text(rdata: Any) -> str:
    if rdata.rdtype == dns.rdatatype.TXT:  # one record, however many strings it was split into
        return b"".join(rdata.strings).decode("utf-8", errors="replace")
    return rdata.to_text()


def reason(exc: BaseException) -> str:
    """A DNS failure in words: which server did what."""
    errors = getattr(exc, "kwargs", {}).get("errors") or []
    said = "; ".join(f"{server} answered {_said(error)}" for server, _tcp, _port, error, _response in errors)
    if isinstance(exc, dns.exception.Timeout):
        seconds = getattr(exc, "kwargs", {}).get("timeout")
        after = f" after {seconds:.1f} s" if seconds else ""
        return f"timed out{after}" + (f" ({said})" if said else "")
    if said:
        return said
    return str(exc) or type(exc).__name__


def _said(error: Any) -> str:
    return "nothing (timed out)" if isinstance(error, dns.exception.Timeout) else str(error)


def _stub(settings: ResolverSettings, counter: QueryCounter) -> dns.resolver.Resolver:
    servers = settings.stub_servers
    resolver = dns.resolver.Resolver(configure=not servers)
    configured = servers or [(address, 53) for address in resolver.nameservers]
    resolver.nameservers = [_CountingNameserver(host, port, counter) for host, port in configured]
    resolver.timeout = settings.timeout
    resolver.lifetime = settings.timeout * (settings.retries + 1)
    resolver.cache = None  # a run asks each name once; a cache would only hide a change mid-run
    return resolver


class AuthoritativeResolver:
    """Answers `resolve()` as dnspython's Resolver does, from each name's own zone servers.

    The zone is found through `bootstrap` (SOA, then NS, then the servers' addresses);
    the question then goes to those servers directly and only an authoritative answer (AA)
    counts: a referral or a non-authoritative answer is a lame server. A CNAME out of the
    zone is followed by asking the target's zone in turn.
    """

    def __init__(
        self,
        bootstrap: dns.resolver.Resolver,
        *,
        timeout: float,
        retries: int,
        counter: QueryCounter,
        port: int = 53,
        only_address: str | None = None,
    ) -> None:
        self.bootstrap = bootstrap
        self.timeout = timeout
        self.lifetime = timeout * (retries + 1)
        self._attempts = retries + 1
        self._counter = counter
        self._port = port
        self._only_address = only_address  # embedded mode: every zone server must be the loopback server
        self._servers: dict[dns.name.Name, list[tuple[str, str]]] = {}
        self._lock = threading.Lock()

    def resolve(
        self,
        qname: dns.name.Name | str,
        rdtype: dns.rdatatype.RdataType | str = dns.rdatatype.A,
        rdclass: dns.rdataclass.RdataClass | str = dns.rdataclass.IN,
        tcp: bool = False,
        source: str | None = None,
        raise_on_no_answer: bool = True,
        source_port: int = 0,
        lifetime: float | None = None,
        search: bool | None = None,
    ) -> dns.resolver.Answer:
        qname = dns.name.from_text(qname) if isinstance(qname, str) else qname
        rdtype = dns.rdatatype.RdataType.make(rdtype)
        rdclass = dns.rdataclass.RdataClass.make(rdclass)
        deadline = time.monotonic() + (lifetime or self.lifetime)
        combined = dns.message.make_response(dns.message.make_query(qname, rdtype, rdclass))
        name = qname
        for _ in range(_MAX_CHAIN):
            response = self._ask(name, rdtype, rdclass, deadline)
            for rrset in response.answer:  # through find_rrset, which keeps the message's index in step
                combined.find_rrset(combined.answer, rrset.name, rrset.rdclass, rrset.rdtype, create=True).update(rrset)
            combined.set_rcode(response.rcode())
            chained = response.resolve_chaining()
            if chained.answer is not None or chained.canonical_name == name or response.rcode() != dns.rcode.NOERROR:
                break
            name = chained.canonical_name  # a CNAME into another zone: ask that zone
        answer = dns.resolver.Answer(qname, rdtype, rdclass, combined)
        if combined.rcode() == dns.rcode.NXDOMAIN:
            raise dns.resolver.NXDOMAIN(qnames=[qname], responses={qname: combined})
        if answer.rrset is None and raise_on_no_answer:
            raise dns.resolver.NoAnswer(response=combined)
        return answer

    def _ask(
        self, name: dns.name.Name, rdtype: dns.rdatatype.RdataType, rdclass: int, deadline: float
    ) -> dns.message.Message:
        servers = self._zone_servers(name, deadline)
        query = dns.message.make_query(name, rdtype, rdclass, use_edns=0, payload=_EDNS_PAYLOAD)
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
                self._counter.add()
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
