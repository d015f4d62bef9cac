"""SPF as receivers evaluate it, on checkdmarc's parser and lookup counts (RFC 7208).

checkdmarc parses the record, follows the include/redirect tree and counts DNS-mechanism
and void lookups. golive adds what a go-live needs on top of its results: whether the tree
authorizes SES, which term breaks the budget (each top-level term is evaluated on its own
with checkdmarc for its cost), golive's configured limit, and the record to publish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import checkdmarc.spf as cspf

from golive.dns.records import zone_line
from golive.dns.resolver import Found, Resolution
from golive.ses.naming import SES_SPF_DOMAIN

RFC_MAX_LOOKUPS = 10
RFC_MAX_VOID_LOOKUPS = 2
DNS_TERM = re.compile(r"^[+\-~?]?(include|a|mx|ptr|exists)([:/]|$)|^redirect=", re.IGNORECASE)
ALL_TERM = re.compile(r"^[+\-~?]?all$", re.IGNORECASE)
SES_MINIMUM = f"v=spf1 include:{SES_SPF_DOMAIN} ~all"


@dataclass(frozen=True)
class SpfTerm:
    """A top-level term of the record with what evaluating it alone costs."""

    term: str
    lookups: int
    voids: int
    flat: tuple[str, ...] | None  # the ip4/ip6 terms it stands for, when it can be flattened


@dataclass(frozen=True)
class SpfFact:
    domain: str
    purpose: str  # "sending domain", or "MAIL FROM domain of <domain> in <region>"
    found: Found  # the TXT records at the domain
    max_lookups: int
    record: str | None = None
    error: str | None = None  # checkdmarc's verdict when the record is unusable (permerror)
    lookups: int | None = None
    voids: int | None = None
    authorizes_ses: bool = False
    terms: tuple[SpfTerm, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def spf_records(self) -> tuple[str, ...]:
        return tuple(r for r in self.found.records if is_spf(r))

    def problems(self) -> list[str]:
        records = self.spf_records
        if not records:
            return [f"{self.found.describe()}: there is no SPF record (v=spf1)"]
        if len(records) > 1:
            return [f"{len(records)} SPF records; RFC 7208 §4.5 makes that a permerror for every receiver"]
        found = []
        if self.lookups is not None and self.lookups > self.max_lookups:
            found.append(f"it needs {self.lookups} DNS lookups, over the limit of {self.max_lookups}{self._budget()}")
        if self.voids is not None and self.voids > RFC_MAX_VOID_LOOKUPS:
            voids = ", ".join(f"{t.term}" for t in self.terms if t.voids)
            found.append(
                f"it makes {self.voids} void lookups (names with no records), over RFC 7208's limit of "
                f"{RFC_MAX_VOID_LOOKUPS}" + (f": {voids}" if voids else "")
            )
        if self.error and not found:
            found.append(f"checkdmarc reports a permerror: {self.error}")
        if not self.error and not self.authorizes_ses:
            found.append(f"it does not authorize SES: no pass-qualified include:{SES_SPF_DOMAIN} in its tree")
        return found

    @property
    def ok(self) -> bool:
        return not self.problems()

    def _budget(self) -> str:
        spent, costs = 0, []
        for term in self.terms:
            if not term.lookups:
                continue
            spent += term.lookups
            marker = " <- the budget breaks here" if spent > self.max_lookups >= spent - term.lookups else ""
            costs.append(f"{term.term} costs {term.lookups}{marker}")
        return f" ({'; '.join(costs)})" if costs else ""

    def explain(self) -> str:
        lines = [f"SPF of {self.domain} ({self.purpose}):"]
        lines += [f"  - {problem}" for problem in self.problems()]
        lines += [f'  found: "{record}"' for record in self.spf_records]
        lines.append(f"Fix: {self._fix_text()}")
        lines += [zone_line(self.domain, "TXT", record) for record in self.fixed_records()]
        return "\n".join(lines)

    def _fix_text(self) -> str:
        records = self.spf_records
        if len(records) > 1:
            return f"replace the {len(records)} records with this one (the terms of all of them, merged):"
        if self.error and (self.lookups or 0) <= self.max_lookups and (self.voids or 0) <= RFC_MAX_VOID_LOOKUPS:
            return "correct the record; for SES alone this one suffices (keep your other senders' terms):"
        if (self.voids or 0) > RFC_MAX_VOID_LOOKUPS:
            return "drop the terms whose names have no records:"
        if (self.lookups or 0) > self.max_lookups:
            if self.fixed_records() == [SES_MINIMUM]:
                return "flatten the includes by hand (they use terms that cannot be flattened safely); SES needs:"
            return (
                "publish this record, its other senders flattened to today's addresses "
                "(re-check when those providers change their ranges):"
            )
        return "publish this record:"

    def fixed_records(self) -> list[str]:
        """The one SPF record to publish instead."""
        records = self.spf_records
        if not records:
            return [SES_MINIMUM]
        if len(records) > 1:
            return [_with_ses(_merge(records))]
        record = self.record or records[0]
        if (self.voids or 0) > RFC_MAX_VOID_LOOKUPS:
            void = {t.term for t in self.terms if t.voids}
            return [_with_ses(" ".join(t for t in record.split() if t not in void))]
        if (self.lookups or 0) > self.max_lookups:
            return [self._flattened(record)]
        if self.error:
            return [SES_MINIMUM]
        return [_with_ses(record)]

    def _flattened(self, record: str) -> str:
        costs = {t.term: t for t in self.terms}
        terms, spent = [], 0
        for term in record.split()[1:]:
            cost = costs.get(term)
            if cost is None or not cost.lookups or _is_ses(term):
                terms.append(term)
                spent += cost.lookups if cost else 0
            elif cost.flat is not None:
                terms.extend(cost.flat)
            else:
                terms.append(term)
                spent += cost.lookups
        if spent > self.max_lookups:
            return SES_MINIMUM
        return _with_ses(" ".join(["v=spf1", *dict.fromkeys(terms)]))

    def evidence(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "purpose": self.purpose,
            "spf_records": list(self.spf_records),
            "outcome": self.found.outcome,
            "dns_lookups": self.lookups,
            "void_dns_lookups": self.voids,
            "max_lookups": self.max_lookups,
            "authorizes_ses": self.authorizes_ses,
            "error": self.error,
            "terms": [{"term": t.term, "lookups": t.lookups, "voids": t.voids} for t in self.terms],
            "warnings": list(self.warnings),
        }


def is_spf(record: str) -> bool:
    """A TXT record that is SPF: its version section is exactly v=spf1 (RFC 7208 §4.5)."""
    return record.lower() == "v=spf1" or record.lower().startswith("v=spf1 ")


def evaluate_spf(resolution: Resolution, domain: str, purpose: str, found: Found, max_lookups: int) -> SpfFact:
    """Judge the SPF at `domain` from its TXT records (`found`); CouldNotSee if DNS failed on the way."""
    base = SpfFact(domain=domain, purpose=purpose, found=found, max_lookups=max_lookups)
    records = base.spf_records
    if len(records) != 1:
        return base
    record = records[0]
    watch = resolution.watched()
    result = _parse(record, domain, watch, resolution)
    terms: tuple[SpfTerm, ...] = ()
    if (result["lookups"] or 0) > max_lookups or (result["voids"] or 0) > RFC_MAX_VOID_LOOKUPS:
        terms = tuple(
            _term_cost(term, domain, watch, resolution) for term in record.split()[1:] if DNS_TERM.match(term)
        )
    watch.raise_first_failure()
    return SpfFact(
        domain=domain,
        purpose=purpose,
        found=found,
        max_lookups=max_lookups,
        record=record,
        error=result["error"],
        lookups=result["lookups"],
        voids=result["voids"],
        authorizes_ses=_authorizes_ses(result["parsed"]),
        terms=terms,
        warnings=tuple(result["warnings"]),
    )


def _parse(record: str, domain: str, watch: Any, resolution: Resolution) -> dict[str, Any]:
    try:
        parsed = cspf.parse_spf_record(
            record,
            domain,
            ignore_too_many_lookups=True,
            resolver=watch,
            nameservers=resolution.fallback_nameservers,
            timeout=resolution.settings.timeout,
            retries=0,  # the resolver retries already (dns.retries)
        )
    except cspf.SPFError as error:  # a permerror: syntax, loop, void lookups, an include without SPF
        data = error.data or {}
        return {
            "error": str(error),
            "lookups": data.get("dns_lookups"),
            "voids": data.get("void_dns_lookups"),
            "parsed": None,
            "warnings": list(error.warnings),
        }
    return {
        "error": str(parsed["error"]) if "error" in parsed else None,
        "lookups": parsed["dns_lookups"],
        "voids": parsed["void_dns_lookups"],
        "parsed": parsed["parsed"],
        "warnings": parsed["warnings"],
    }


def _term_cost(term: str, domain: str, watch: Any, resolution: Resolution) -> SpfTerm:
    """What one term costs evaluated alone: checkdmarc's counts for `v=spf1 <term>`."""
    result = _parse(f"v=spf1 {term}", domain, watch, resolution)
    flat = _flatten(result["parsed"]["mechanisms"]) if result["parsed"] and not result["error"] else None
    return SpfTerm(term, result["lookups"] or 0, result["voids"] or 0, flat)


def _flatten(mechanisms: list[dict[str, Any]]) -> tuple[str, ...] | None:
    """The ip4/ip6 terms equal to these pass mechanisms, or None if one cannot be flattened safely."""
    flat: list[str] = []
    for mechanism in mechanisms:
        kind = mechanism["mechanism"]
        if mechanism["action"] != "pass" or "%" in mechanism["value"]:
            return None  # a fail/neutral term inside an include changes which addresses pass
        if kind in ("ip4", "ip6"):
            flat.append(f"{kind}:{mechanism['value']}")
        elif kind == "a" and mechanism.get("addresses"):
            flat.extend(f"{'ip6' if ':' in a else 'ip4'}:{a}" for a in mechanism["addresses"])
        elif kind == "include" and mechanism.get("parsed") and not mechanism["parsed"].get("redirect"):
            inner = _flatten(mechanism["parsed"]["mechanisms"])
            if inner is None:
                return None
            flat.extend(inner)
        else:
            return None  # mx, ptr, exists, redirect: their answers are not kept to flatten
    return tuple(dict.fromkeys(flat))


def _authorizes_ses(parsed: dict[str, Any] | None) -> bool:
    """A pass-qualified include:amazonses.com anywhere in the tree (redirects followed)."""
    if not parsed:
        return False
    for mechanism in parsed["mechanisms"]:
        passes = mechanism["mechanism"] == "include" and mechanism["action"] == "pass"
        if passes and (_is_ses(mechanism["value"]) or _authorizes_ses(mechanism.get("parsed"))):
            return True
    redirect = parsed.get("redirect")
    return bool(redirect) and (_is_ses(redirect["domain"]) or _authorizes_ses(redirect.get("parsed")))


def _is_ses(term: str) -> bool:
    return term.lower().rstrip(".").rsplit(":", 1)[-1] == SES_SPF_DOMAIN


def _with_ses(record: str) -> str:
    """The record with include:amazonses.com before its `all` (or redirect), if it lacks it."""
    terms = record.split()
    if any(_is_ses(t) and t.lower().startswith(("include:", "+include:")) for t in terms):
        return record
    end = next((i for i, t in enumerate(terms) if ALL_TERM.match(t) or t.lower().startswith("redirect=")), len(terms))
    return " ".join([*terms[:end], f"include:{SES_SPF_DOMAIN}", *terms[end:]])


def _merge(records: tuple[str, ...]) -> str:
    """One record with every term of `records` once, ending with the first record's `all`."""
    terms: list[str] = []
    final = None
    for record in records:
        for term in record.split()[1:]:
            if ALL_TERM.match(term) or term.lower().startswith("redirect="):
                final = final or term
            elif term not in terms:
                terms.append(term)
    return " ".join(["v=spf1", *terms, final or "~all"])
