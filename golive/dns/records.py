"""The records SES itself depends on, as DNS serves them: DKIM CNAMEs, the verification TXT,
the MAIL FROM MX. Each fact says what was found, whether it is what SES needs, and the
zone-file lines that make it so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from golive.dns.resolver import Found
from golive.ses.naming import TTL, dkim_name, dkim_target, feedback_endpoint, verification_name


def zone_line(name: str, rdtype: str, value: str) -> str:
    """One record as a zone-file line, absolute names throughout, ready to paste."""
    if rdtype == "TXT":  # a TXT string holds at most 255 bytes: longer values are split, as RFC 7208 §3.3 allows
        value = " ".join(f'"{value[i : i + 255]}"' for i in range(0, max(len(value), 1), 255))
    return f"{name}. {TTL} IN {rdtype} {value}"


def missing_identity(domain: str, region: str) -> str:
    return (
        f"SES has no identity {domain} in {region}, so SES holds nothing for DNS to match there.\n"
        f"Fix: create the identity in {region} (the SES identity checks name the same problem), "
        "then publish the records SES returns."
    )


@dataclass(frozen=True)
class DkimRecord:
    """One DKIM selector of the domain: an Easy DKIM token (a CNAME to SES) or a BYODKIM selector (a TXT key)."""

    name: str  # <selector>._domainkey.<domain>
    expected: str  # the CNAME target; for BYODKIM, "a TXT DKIM key"
    found: str  # what DNS serves, in words
    problem: str | None  # None when the record is right
    fix: str

    def evidence(self) -> dict[str, Any]:
        return {"name": self.name, "expected": self.expected, "found": self.found, "problem": self.problem}


def easy_dkim_record(token: str, domain: str, region: str, cname: Found, key: Found | None) -> DkimRecord:
    """Judge one token from what its CNAME query and (if the CNAME is right) the key behind it returned."""
    name, target = dkim_name(token, domain), dkim_target(token, region)
    fix = zone_line(name, "CNAME", f"{target}.")
    if cname.outcome != "answer":
        return DkimRecord(name, target, cname.describe(), "missing", fix)
    found = cname.records[0].rstrip(".").lower()
    if found != target:
        return DkimRecord(name, target, cname.describe(), "wrong target", fix)
    if key is None or not _is_dkim_key(key):
        described = key.describe() if key is not None else "nothing"
        return DkimRecord(name, target, f"{cname.describe()}; the target serves {described}", "dangling", fix)
    return DkimRecord(name, target, cname.describe(), None, fix)


def byodkim_record(selector: str, domain: str, key: Found) -> DkimRecord:
    name = dkim_name(selector, domain)
    fix = zone_line(name, "TXT", "v=DKIM1; k=rsa; p=<the public key of the private key given to SES>")
    problem = None if _is_dkim_key(key) else "missing"
    return DkimRecord(name, "a TXT DKIM public key (v=DKIM1; p=...)", key.describe(), problem, fix)


def _is_dkim_key(found: Found) -> bool:
    """A DKIM key record: tags separated by ';' with a non-empty p= (RFC 6376 §3.6.1)."""
    for record in found.records:
        tags = dict(part.strip().split("=", 1) for part in record.split(";") if "=" in part)
        if tags.get("p", "").strip():
            return True
    return False


@dataclass(frozen=True)
class DkimFact:
    region: str
    domain: str
    identity_exists: bool
    records: tuple[DkimRecord, ...]

    @property
    def ok(self) -> bool:
        return self.identity_exists and bool(self.records) and all(r.problem is None for r in self.records)

    def explain(self) -> str:
        if not self.identity_exists:
            return missing_identity(self.domain, self.region)
        if not self.records:
            return (
                f"SES holds no DKIM tokens for {self.domain} in {self.region}: mail from it is not DKIM-signed "
                "with the domain's key, so DMARC can only pass through SPF.\n"
                f"Fix: set up Easy DKIM for {self.domain} in {self.region} (ses:VerifyDomainDkim, or sesv2 "
                "CreateEmailIdentity/PutEmailIdentityDkimAttributes), then publish the three CNAMEs SES returns."
            )
        bad = [r for r in self.records if r.problem is not None]
        lines = [
            f"{len(bad)} of the {len(self.records)} DKIM records SES signs {self.domain}'s mail with in "
            f"{self.region} {'is' if len(bad) == 1 else 'are'} not published as SES needs:"
        ]
        lines += [f"  {r.name}: {r.problem}: found {r.found}; expected {r.expected}" for r in bad]
        lines.append(f"Fix: publish these records in the {self.domain} zone (replacing what is there):")
        lines += [r.fix for r in bad]
        if any(r.problem == "dangling" for r in bad):
            lines.append(
                "A dangling CNAME points where SES publishes no key: check that the token is the one SES "
                f"reports now for {self.region} (tokens change when DKIM is set up again)."
            )
        return "\n".join(lines)

    def evidence(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "region": self.region,
            "ses_identity_exists": self.identity_exists,
            "records": [r.evidence() for r in self.records],
        }


@dataclass(frozen=True)
class VerificationFact:
    region: str
    domain: str
    identity_exists: bool
    token: str | None  # None: SES verifies this identity without a TXT record
    found: Found | None

    @property
    def name(self) -> str:
        return verification_name(self.domain)

    @property
    def ok(self) -> bool:
        if not self.identity_exists:
            return False
        return self.token is None or (self.found is not None and self.token in self.found.records)

    def explain(self) -> str:
        if not self.identity_exists:
            return missing_identity(self.domain, self.region)
        return (
            f"{self.name} does not publish the verification token SES holds for {self.domain} in {self.region}: "
            f'found {self.found.describe() if self.found else "nothing"}; expected TXT "{self.token}". '
            "SES keeps checking it and can revoke the domain's verification when it is gone.\n"
            f"Fix: add this record in the {self.domain} zone (other regions' tokens may stay beside it):\n"
            + zone_line(self.name, "TXT", self.token or "")
        )

    def evidence(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "region": self.region,
            "ses_identity_exists": self.identity_exists,
            "name": self.name,
            "expected_token": self.token,
            "used": self.token is not None,
            "found": list(self.found.records) if self.found else None,
            "outcome": self.found.outcome if self.found else None,
        }


@dataclass(frozen=True)
class MailFromMxFact:
    region: str
    domain: str
    mail_from: str
    source: str  # where the MAIL FROM domain came from: SES, or the config when SES has none yet
    found: Found

    @property
    def expected(self) -> str:
        return feedback_endpoint(self.region)

    @property
    def exchanges(self) -> tuple[str, ...]:
        return tuple(record.split()[-1].rstrip(".").lower() for record in self.found.records)

    @property
    def ok(self) -> bool:
        return self.exchanges == (self.expected,)

    def explain(self) -> str:
        found = f"found {self.found.describe()}"
        if not self.exchanges:
            problem = f"{found}, and SES needs exactly one MX"
        elif len(self.exchanges) > 1:
            problem = f"{found}: {len(self.exchanges)} MX records, and SES's MAIL FROM setup fails with more than one"
        else:
            problem = f"{found}, which is not {self.region}'s feedback endpoint"
            other = self.exchanges[0].removeprefix("feedback-smtp.").removesuffix(".amazonses.com")
            if other != self.exchanges[0]:
                problem += f" but {other}'s (a name has one MX, so each region needs its own MAIL FROM domain)"
        lines = [
            f"MAIL FROM domain {self.mail_from} of {self.domain} in {self.region} ({self.source}): {problem}.",
            f"Expected: {self.mail_from} MX 10 {self.expected}.",
            f"Fix: publish exactly this MX for {self.mail_from}, removing any other:",
            zone_line(self.mail_from, "MX", f"10 {self.expected}."),
        ]
        return "\n".join(lines)

    def evidence(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "region": self.region,
            "mail_from": self.mail_from,
            "mail_from_source": self.source,
            "expected_mx": f"10 {self.expected}.",
            "found": list(self.found.records),
            "outcome": self.found.outcome,
        }
