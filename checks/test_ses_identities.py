"""SES identities, per region: the domains and the sender verified, DKIM and the custom MAIL
FROM domain working, no test or placeholder identity left, and the tenant owning what it sends as.

Identities are regional in SES: every check runs once per region.
"""

import pytest

from golive.ses.facts import status_name

VERIFICATION_FIX = {
    "Pending": "SES has not found the verification records yet: publish the three DKIM CNAMEs (or the TXT record "
    "_amazonses.{name}) and allow up to 72 hours",
    "Failed": "SES stopped looking after 72 hours without finding the records: publish them, then start verification "
    "again (`aws ses verify-domain-identity --domain {name} --region {region}`)",
    "TemporaryFailure": "SES could not query the domain's DNS: make sure its nameservers answer; SES retries by itself",
    "NotStarted": "verification was never started: `aws ses verify-domain-identity --domain {name} --region {region}`",
}
DKIM_FIX = {
    "Pending": "SES has not found the DKIM CNAME records yet: publish {records} and allow up to 72 hours",
    "Failed": "SES stopped looking for the DKIM records: publish {records}, then restart DKIM "
    "(`aws ses verify-domain-dkim --domain {name} --region {region}`)",
    "TemporaryFailure": "SES could not query the domain's DNS for the DKIM records: make sure {records} resolve; SES "
    "retries by itself",
    "NotStarted": "DKIM setup was never started: `aws ses verify-domain-dkim --domain {name} --region {region}`, then "
    "publish the three CNAMEs it returns",
}
MX_FAILURE = {
    "UseDefaultValue": "SES sends with its own MAIL FROM (amazonses.com) meanwhile, so SPF does not align with the "
    "From domain under DMARC",
    "RejectMessage": "SES rejects every send from the identity meanwhile (MailFromDomainNotVerified)",
}


def _not_an_identity(name, region):
    return (
        f"{name} is not an SES identity in {region} (identities are regional).\n"
        f"Fix: create it there: `aws sesv2 create-email-identity --email-identity {name} --region {region}`, then "
        "publish the DNS records it returns."
    )


def _unverified(i):
    if not i.exists:
        return _not_an_identity(i.name, i.region)
    fix = VERIFICATION_FIX.get(i.verification_status, "see the SES console").format(name=i.name, region=i.region)
    return (
        f"The domain identity {i.name} in {i.region} is not verified: its verification status is "
        f"{status_name(i.verification_status)}, expected Success (SUCCESS).\nFix: {fix}."
    )


def _dkim_problem(i):
    if not i.exists:
        return _not_an_identity(i.name, i.region)
    if i.dkim_status != "Success":
        tokens = i.dkim_tokens or ("<token>",)
        records = ", ".join(f"{t}._domainkey.{i.name} CNAME {t}.dkim.amazonses.com" for t in tokens)
        fix = DKIM_FIX.get(i.dkim_status, "see the SES console").format(records=records, name=i.name, region=i.region)
        return (
            f"DKIM for {i.name} in {i.region} is {status_name(i.dkim_status)}, expected Success (SUCCESS).\nFix: {fix}."
        )
    return (
        f"DKIM signing is disabled for {i.name} in {i.region} (DkimEnabled: false), though its records verify.\n"
        f"Fix: `aws ses set-identity-dkim-enabled --identity {i.name} --dkim-enabled --region {i.region}` (or "
        f"`aws sesv2 put-email-identity-dkim-attributes --email-identity {i.name} --signing-enabled`)."
    )


def _mail_from_problem(m):
    i, expected = m.identity, m.expected
    if not i.exists:
        return _not_an_identity(i.name, i.region)
    records = (
        f"publish `{expected} MX 10 feedback-smtp.{m.region}.amazonses.com` and "
        f'`{expected} TXT "v=spf1 include:amazonses.com ~all"`'
    )
    if i.mail_from_domain != expected:
        return (
            f"The custom MAIL FROM domain of {i.name} in {i.region} is {i.mail_from_domain or 'not set'}, expected "
            f"{expected}.\nFix: `aws ses set-identity-mail-from-domain --identity {i.name} --mail-from-domain "
            f"{expected} --behavior-on-mx-failure RejectMessage --region {m.region}`, and {records}."
        )
    behaviour = MX_FAILURE.get(i.behavior_on_mx_failure, f"BehaviorOnMXFailure is {i.behavior_on_mx_failure}")
    return (
        f"The custom MAIL FROM domain {expected} of {i.name} in {i.region} is "
        f"{status_name(i.mail_from_status)}, expected Success (SUCCESS). On MX failure the identity is set to "
        f"{i.behavior_on_mx_failure}: {behaviour}.\n"
        f"Fix: {records} (exactly one MX record), and wait for SES to detect them (up to 72 hours); after Failed, "
        "set the MAIL FROM domain again to restart the check."
    )


@pytest.mark.golive(gate="identity-verified", severity="critical")
def test_domain_is_verified(ses_domain):
    """Each configured domain is a verified SES identity in the region.

    Risk: SES refuses to send from an unverified domain (MessageRejected: Email address not verified).
    Fix: create the domain identity in the region and publish its DNS records until SES says Success.
    """
    assert ses_domain.verified, _unverified(ses_domain)


@pytest.mark.golive(gate="identity-verified", severity="critical")
def test_sender_is_verified(ses_sender):
    """The configured From address can send: it, or its domain, is a verified identity in the region.

    Risk: every send from the service is rejected (MessageRejected: Email address not verified).
    Fix: verify the address's domain (which covers every address in it) or the address itself.
    """
    s = ses_sender
    domain = s.domain_identity.name
    assert s.verified, (
        f"The sender {s.address} cannot send in {s.region}: neither it nor its domain is a verified identity "
        f"({s.found()}).\n"
        f"Fix: verify the domain {domain} in {s.region} (`aws sesv2 create-email-identity --email-identity {domain} "
        f"--region {s.region}` and publish its records), or the address itself (`aws sesv2 create-email-identity "
        f"--email-identity {s.address} --region {s.region}`, then click the link SES mails to it)."
    )


@pytest.mark.golive(gate="dkim", severity="critical")
def test_dkim_is_enabled_and_verified(ses_domain):
    """Each configured domain signs with DKIM: signing is enabled and SES reports the DKIM status SUCCESS.

    Risk: unsigned mail fails DMARC (without an aligned SPF) and lands in spam or is rejected.
    Fix: publish the three Easy DKIM CNAMEs and enable signing for the identity.
    """
    i = ses_domain
    assert i.exists and i.dkim_status == "Success" and i.dkim_enabled, _dkim_problem(i)


@pytest.mark.golive(gate="spf", severity="high")
def test_mail_from_domain_is_verified(ses_mail_from):
    """Each configured domain uses its configured custom MAIL FROM domain, and SES reports it SUCCESS.

    Risk: without a working custom MAIL FROM, SPF passes only for amazonses.com, never aligned
    with the From domain; with RejectMessage set, sends fail outright.
    Fix: set the MAIL FROM domain on the identity and publish its MX and SPF records.
    """
    assert ses_mail_from.working, _mail_from_problem(ses_mail_from)


@pytest.mark.golive(gate="no-placeholder-identities", severity="high")
def test_no_placeholder_identities(ses_placeholders):
    """No test or placeholder identity (example domains, reserved test TLDs, obvious test names) is left in the region.

    Risk: a placeholder identity can send as a domain nobody owns, and shows the account was
    never cleaned up for production.
    Fix: delete the identities named, or narrow ses.placeholder_patterns if one is real.
    """
    p = ses_placeholders
    found = "\n".join(f"  {name} (matches the pattern {pattern})" for name, pattern in p.found)
    commands = "\n".join(
        f"  aws sesv2 delete-email-identity --email-identity {name} --region {p.region}" for name, _ in p.found
    )
    assert not p.found, (
        f"{len(p.found)} test or placeholder identit{'y' if len(p.found) == 1 else 'ies'} in {p.region} "
        f"(of {p.examined} identities):\n{found}\n"
        f"Fix: delete them before go-live:\n{commands}\n"
        "If one of them is real, change ses.placeholder_patterns in the config so that it no longer matches."
    )


@pytest.mark.golive(gate="tenant", severity="high")
def test_identity_belongs_to_tenant(ses_tenancy):
    """Each sending identity is associated with the configured SES tenant in the region.

    Risk: sends made for the tenant with an identity it is not associated with are refused,
    and the tenant's reputation isolation does not cover the identity.
    Fix: associate the identity with the tenant (CreateTenantResourceAssociation).
    """
    t = ses_tenancy
    found = f"tenants {', '.join(t.tenants)}" if t.tenants else "no tenant"
    assert t.owned, (
        f"The identity {t.identity} in {t.region} is associated with {found}, not with tenant {t.tenant!r} "
        f"({t.identity_arn}).\n"
        f"Fix: `aws sesv2 create-tenant-resource-association --tenant-name {t.tenant} --resource-arn {t.identity_arn} "
        f"--region {t.region}` (first `aws sesv2 create-tenant --tenant-name {t.tenant} --region {t.region}` if the "
        "tenant does not exist there); tenants are regional."
    )
