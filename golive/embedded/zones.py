"""The embedded account's DNS world: the scenario's zones, filled in from the SES identities
just seeded, beside what AWS publishes itself.

- A zone file may name what SES reports instead of copying it: `{{ses:REGION:dkim1}}`
  (`dkim2`, `dkim3`, ...) and `{{ses:REGION:verification}}` stand for the DKIM tokens and
  the verification token SES holds for the zone's own domain in REGION
  (`{{ses:REGION:DOMAIN:FIELD}}` for another domain). A zone is then correct by
  construction, or wrong in exactly the way its author writes it.
- amazonses.com is served as SES publishes it: the SPF record `include:amazonses.com`
  reaches, and a DKIM public key at `<token>.dkim[.<region>].amazonses.com` for every token
  SES issued, so that a correct DKIM CNAME leads to a key as it does in the world.
- An empty root zone answers NXDOMAIN for every name outside the scenario's zones, as the
  world does for a name that does not exist (a lone authoritative server would refuse it).

A scenario that lists its own `amazonses.com` (or `.`) zone replaces the generated one.
"""

from __future__ import annotations

import re
from typing import Any

import dns.zone
from moto.ses.models import ses_backends

from golive.config import ConfigError
from golive.embedded.dnsserver import HOST, ZoneError, load_zone
from golive.embedded.scenario import Scenario
from golive.ses.naming import SES_SPF_DOMAIN, dkim_target

PLACEHOLDER = re.compile(r"\{\{\s*ses:([^{}\s]*?)\s*\}\}")
# SES's SPF record as published (abridged to a few of its ranges): no lookups of its own.
SES_SPF = (
    "v=spf1 ip4:199.255.192.0/22 ip4:199.127.232.0/22 ip4:54.240.0.0/18 ip4:69.169.224.0/20 "
    "ip4:23.249.208.0/20 ip4:23.251.224.0/19 ip4:76.223.176.0/20 -all"
)
# The public half of a throwaway 1024-bit RSA key: what SES publishes for each Easy DKIM token.
DKIM_KEY = (
    "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC6O36Udg+e7wodELCsdRfPG09VmsFMf0kUu4S5a7pD64lmilWvQMZnn+"
    "eyS53DCOyudSxWLAtwALUFk0LP4ZEr0fPY9ENal3MQTrIkrikNLm4WhmgzAtGEGLr3pBrkXXsaneduO0tCamQwvHul0n1wJjcO"
    "kdOuw3l0uwrGMQzfGQIDAQAB"
)
# Every NS record generated here points at HOST, where LoopbackDNSServer listens.
ROOT_ZONE = f"""$TTL 86400
@ IN SOA root-servers.invalid. hostmaster.root-servers.invalid. 1 1800 900 604800 86400
@ IN NS root-servers.invalid.
root-servers.invalid. IN A {HOST}
"""

SesValues = dict[tuple[str, str], dict[str, Any]]  # (region, domain) -> {"dkim": [...], "verification": ...}


def world_zones(scenario: Scenario) -> list[dns.zone.Zone]:
    """Every zone the embedded DNS server serves; raise ConfigError for a bad zone file."""
    values = ses_values(scenario)
    zones = {}
    for origin, path in scenario.zone_files().items():
        key = f"dns.zones.{origin}"
        try:
            text = fill(path.read_text(encoding="utf-8"), values, origin.rstrip("."), str(path))
            zones[origin.rstrip(".") + "."] = load_zone(origin, text=text, source=str(path))
        except (ZoneError, OSError) as exc:
            raise ConfigError(f"{scenario.path}: key '{key}': {exc}") from None
    zones.setdefault(f"{SES_SPF_DOMAIN}.", load_zone(SES_SPF_DOMAIN, text=ses_zone(values)))
    zones.setdefault(".", load_zone(".", text=ROOT_ZONE))
    return list(zones.values())


def zone_delays(scenario: Scenario) -> dict[str, float]:
    """Names the server answers late (scenario `dns.delay`): a real timeout for the client."""
    return dict((scenario.data.get("dns") or {}).get("delay") or {})


def ses_values(scenario: Scenario) -> SesValues:
    """The tokens SES reports for every seeded domain identity: its answers to
    GetIdentityDkimAttributes and GetIdentityVerificationAttributes, taken from moto's backend
    methods that answer those calls (over HTTP, 100 identities a call, they cost seconds in an
    account of thousands)."""
    values: SesValues = {}
    for region, spec in scenario.regions.items():
        domains = [name for name in ((spec.get("ses") or {}).get("identities") or {}) if "@" not in name]
        backend = ses_backends[scenario.account_id][region]
        dkim = backend.get_identity_dkim_attributes(domains)
        verification = backend.get_identity_verification_attributes(domains)
        for domain in domains:
            values[(region, domain.lower())] = {
                "dkim": dkim.get(domain, {}).get("DkimTokens", []),
                "verification": verification.get(domain, {}).get("VerificationToken"),
            }
    return values


def fill(text: str, values: SesValues, domain: str, source: str) -> str:
    """Replace every `{{ses:...}}` in a zone file; raise ZoneError naming the line of a bad one."""
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines, 1):
        data, comment = _split_comment(line)
        where = f"{source}:{number}"
        filled = PLACEHOLDER.sub(lambda m, where=where: _value(m, values, domain, where), data)
        lines[number - 1] = filled + comment
    return "".join(lines)


def _split_comment(line: str) -> tuple[str, str]:
    """A zone line's data and its comment (from the first `;` outside quotes): comments stay as written."""
    quoted = escaped = False
    for index, char in enumerate(line):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            return line[:index], line[index:]
    return line, ""


def _value(match: re.Match[str], values: SesValues, domain: str, where: str) -> str:
    parts = match.group(1).split(":")
    if len(parts) == 2:
        region, field = parts
    elif len(parts) == 3:
        region, domain, field = parts
    else:
        raise ZoneError(
            f"{where}: {match.group(0)}: expected {{{{ses:REGION:FIELD}}}} or {{{{ses:REGION:DOMAIN:FIELD}}}}"
        )
    seeded = values.get((region, domain.lower()))
    if seeded is None:
        raise ZoneError(f"{where}: {match.group(0)}: the scenario seeds no SES domain identity {domain} in {region}")
    dkim = re.fullmatch(r"dkim([1-9])", field)
    if dkim and int(dkim.group(1)) <= len(seeded["dkim"]):
        return seeded["dkim"][int(dkim.group(1)) - 1]
    if field == "verification" and seeded["verification"]:
        return seeded["verification"]
    known = [f"dkim{n}" for n in range(1, len(seeded["dkim"]) + 1)] + ["verification"] * bool(seeded["verification"])
    raise ZoneError(
        f"{where}: {match.group(0)}: SES holds no {field} for {domain} in {region} (it holds: {', '.join(known)})"
    )


def ses_zone(values: SesValues) -> str:
    """amazonses.com as SES publishes it for the identities seeded."""
    lines = [
        "$TTL 300",
        f"@ IN SOA ns1.{SES_SPF_DOMAIN}. hostmaster.{SES_SPF_DOMAIN}. 1 7200 900 1209600 300",
        f"@ IN NS ns1.{SES_SPF_DOMAIN}.",
        f"ns1 IN A {HOST}",
        f'@ IN TXT "{SES_SPF}"',
    ]
    targets = sorted({dkim_target(token, region) for (region, _), seeded in values.items() for token in seeded["dkim"]})
    lines.extend(f'{target}. IN TXT "{DKIM_KEY}"' for target in targets)
    return "\n".join(lines) + "\n"
