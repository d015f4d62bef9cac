"""SES identities, per region: the domains and the sender verified, DKIM and the custom MAIL
FROM domain working, no test or placeholder identity left, and the tenant owning what it sends as.

Identities are regional in SES: every check runs once per region.
"""

import pytest


@pytest.mark.golive(gate="identity-verified", severity="critical")
def test_domain_is_verified(ses_domain):
    """Each configured domain is a verified SES identity in the region.

    Risk: SES refuses to send from an unverified domain (MessageRejected: Email address not verified).
    Fix: create the domain identity in the region and publish its DNS records until SES says Success.
    """
    assert ses_domain.verified, ses_domain.explain_unverified()


@pytest.mark.golive(gate="identity-verified", severity="critical")
def test_sender_is_verified(ses_sender):
    """The configured From address can send: it, or its domain, is a verified identity in the region.

    Risk: every send from the service is rejected (MessageRejected: Email address not verified).
    Fix: verify the address's domain (which covers every address in it) or the address itself.
    """
    assert ses_sender.verified, ses_sender.explain()


@pytest.mark.golive(gate="dkim", severity="critical")
def test_dkim_is_enabled_and_verified(ses_domain_dkim):
    """Each configured domain signs with DKIM: signing is enabled and SES reports the DKIM status SUCCESS.

    Risk: unsigned mail fails DMARC (without an aligned SPF) and lands in spam or is rejected.
    Fix: publish the three Easy DKIM CNAMEs and enable signing for the identity.
    """
    assert ses_domain_dkim.signs_with_dkim, ses_domain_dkim.explain_dkim()


@pytest.mark.golive(gate="spf", severity="high")
def test_mail_from_domain_is_verified(ses_mail_from):
    """Each configured domain uses its configured custom MAIL FROM domain, and SES reports it SUCCESS.

    Risk: without a working custom MAIL FROM, SPF passes only for amazonses.com, never aligned
    with the From domain; with RejectMessage set, sends fail outright.
    Fix: set the MAIL FROM domain on the identity and publish its MX and SPF records.
    """
    assert ses_mail_from.working, ses_mail_from.explain()


@pytest.mark.golive(gate="no-placeholder-identities", severity="high")
def test_no_placeholder_identities(ses_placeholders):
    """No test or placeholder identity (example domains, reserved test TLDs, obvious test names) is left in the region.

    Risk: a placeholder identity can send as a domain nobody owns, and shows the account was
    never cleaned up for production.
    Fix: delete the identities named, or narrow ses.placeholder_patterns if one is real.
    """
    assert not ses_placeholders.found, ses_placeholders.explain()


@pytest.mark.golive(gate="tenant", severity="high")
def test_identity_belongs_to_tenant(ses_tenancy):
    """Each sending identity is associated with the configured SES tenant in the region.

    Risk: sends made for the tenant with an identity it is not associated with are refused,
    and the tenant's reputation isolation does not cover the identity.
    Fix: associate the identity with the tenant (CreateTenantResourceAssociation).
    """
    assert ses_tenancy.owned, ses_tenancy.explain()
