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

from dataclasses import dataclass
from typing import Any

import dns.exception
import dns.nameserver
import dns.rdatatype
import dns.resolver

from golive.dns.authoritative import AuthoritativeResolver
from golive.errors import CouldNotSee
from golive.sections import DnsSection

_MAX_CHAIN = 8  # CNAME hops followed across zones, as many as dnspython follows within one answer
_EDNS_PAYLOAD = 1232  # the DNS flag day's UDP size: big answers come whole or truncated, never fragmented


@dataclass(frozen=True)
class ResolverSettings:
    """The validated `dns:` settings that decide who answers, and how patiently."""

    mode: str  # system | nameservers | authoritative
    nameservers: tuple[tuple[str, int], ...]  # the listed servers (nameservers mode)
    timeout: float  # seconds per query
    retries: int  # further attempts after a timeout
    embedded: tuple[str, int] | None = None  # moto mode: the loopback server that answers everything

    @classmethod
    def of(cls, section: DnsSection, embedded: tuple[str, int] | None = None) -> ResolverSettings:
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
        try:
            stub = _stub(settings)
        except dns.resolver.NoResolverConfiguration as exc:
            raise CouldNotSee(
                f"could not use the system resolver: {exc}; list nameservers in dns.resolver instead", permission=None
            ) from None
        if settings.mode == "authoritative":
            embedded = settings.embedded
            self.resolver: Any = AuthoritativeResolver(
                stub,
                timeout=settings.timeout,
                retries=settings.retries,
                port=embedded[1] if embedded else 53,
                only_address=embedded[0] if embedded else None,
            )
        else:
            self.resolver = stub

    @property
    def fallback_nameservers(self) -> list[dns.nameserver.Nameserver] | None:
        """For the odd library path that queries without the resolver it was given: the same servers."""
        return _nameservers(self.settings.stub_servers) or None

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

    def resolve(self, qname: Any, rdtype: Any, lifetime: float | None = None) -> dns.resolver.Answer:
        """What checkdmarc calls: `resolve(name, rdtype, lifetime=...)`."""
        try:
            return self._resolution.resolver.resolve(qname, rdtype, lifetime=lifetime)
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


def _nameservers(servers: tuple[tuple[str, int], ...]) -> list[dns.nameserver.Nameserver]:
    return [dns.nameserver.Do53Nameserver(host, port) for host, port in servers]


def _stub(settings: ResolverSettings) -> dns.resolver.Resolver:
    servers = settings.stub_servers
    resolver = dns.resolver.Resolver(configure=not servers)  # no servers listed: the system's
    if servers:
        resolver.nameservers = _nameservers(servers)
    resolver.timeout = settings.timeout
    resolver.lifetime = settings.timeout * (settings.retries + 1)
    resolver.cache = None  # a run asks each name once; a cache would only hide a change mid-run
    return resolver
