"""The DNS records Amazon SES asks a sending domain to publish (REFERENCE.md §1), by name.

One place for SES's naming rules, shared by the SES and DNS checks (the records their fixes
name) and by the embedded account, which publishes SES's side of them (the DKIM keys, the
SPF record of amazonses.com).
"""

from __future__ import annotations

# `include:amazonses.com` authorizes every SES sending IP; without a custom MAIL FROM, SES
# sends with a MAIL FROM of its own under this domain
SES_SPF_DOMAIN = "amazonses.com"
# Regions whose Easy DKIM keys live under dkim.<region>.amazonses.com instead of
# dkim.amazonses.com (AWS General Reference, ses_dkim_domains, as REFERENCE.md §1 lists them).
REGIONAL_DKIM_REGIONS = frozenset(
    {
        "af-south-1",
        "ap-northeast-3",
        "ap-south-2",
        "ap-southeast-3",
        "ap-southeast-5",
        "ca-west-1",
        "eu-central-2",
        "eu-south-1",
        "il-central-1",
        "me-central-1",
        "us-gov-east-1",
    }
)
TTL = 1800  # what the fix lines propose; SES's console suggests 1800 for its records


def dkim_zone(region: str) -> str:
    """Where SES publishes the DKIM public keys of `region`'s Easy DKIM tokens."""
    return f"dkim.{region}.amazonses.com" if region in REGIONAL_DKIM_REGIONS else "dkim.amazonses.com"


def dkim_name(token: str, domain: str) -> str:
    return f"{token}._domainkey.{domain}"


def dkim_target(token: str, region: str) -> str:
    return f"{token}.{dkim_zone(region)}"


def verification_name(domain: str) -> str:
    return f"_amazonses.{domain}"


def feedback_endpoint(region: str) -> str:
    """The one MX a custom MAIL FROM domain must have: SES's feedback endpoint in the region."""
    return f"feedback-smtp.{region}.amazonses.com"


def dmarc_name(domain: str) -> str:
    return f"_dmarc.{domain}"
