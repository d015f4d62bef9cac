"""DNS: the records SES, receivers and DMARC depend on are published, as the world sees them.

SES saying SUCCESS is not enough: a record can be deleted after verification, and SES never
checks a MAIL FROM's SPF or the domain's DMARC. Each fact is looked up through the configured
resolver (by default each zone's own nameservers); a DNS failure is "could not see".
"""

import pytest


@pytest.mark.golive(gate="dkim", severity="critical")
def test_dkim_cnames_point_to_ses(dkim_records):
    """Every DKIM token SES holds for the domain in the region is a CNAME to SES's key for it.

    Risk: a missing, wrong or dangling CNAME leaves mail unsigned or failing DKIM: SES stops
    signing (and may unverify the domain), and DMARC fails wherever SPF does not align.
    Fix: publish the CNAME lines shown with the failure in the domain's zone.
    """
    assert dkim_records.ok, dkim_records.explain()


@pytest.mark.golive(gate="verification-txt", severity="high")
def test_verification_txt_is_published(verification_record):
    """The _amazonses TXT record holds the verification token SES holds for the domain in the region.

    Risk: SES keeps checking the token of a domain verified with it, and can revoke the
    domain's verification when the record is gone.
    Fix: add the TXT line shown with the failure; tokens of other regions may stay beside it.
    """
    assert verification_record.ok, verification_record.explain()


@pytest.mark.golive(gate="mail-from", severity="critical")
def test_mail_from_mx_is_the_ses_feedback_endpoint(mail_from_mx):
    """The MAIL FROM domain has exactly one MX, SES's feedback endpoint in the region.

    Risk: SES falls back to amazonses.com (breaking SPF alignment) or, with RejectMessage,
    refuses to send; bounces never reach SES.
    Fix: publish the MX line shown with the failure and remove any other MX of that name.
    """
    assert mail_from_mx.ok, mail_from_mx.explain()


@pytest.mark.golive(gate="mail-from", severity="critical")
def test_mail_from_spf_authorizes_ses(mail_from_spf):
    """The MAIL FROM domain publishes one valid SPF record that authorizes SES within RFC 7208's limits.

    Risk: receivers evaluate SPF on the MAIL FROM domain: without SES in it, or with a
    permerror, SPF fails and DMARC cannot pass through SPF.
    Fix: publish the TXT line shown with the failure (v=spf1 include:amazonses.com ~all).
    """
    assert mail_from_spf.ok, mail_from_spf.explain()


@pytest.mark.golive(gate="spf", severity="high")
def test_domain_spf_authorizes_ses_within_limits(domain_spf):
    """The domain publishes exactly one valid SPF record that authorizes SES within 10 DNS and 2 void lookups.

    Risk: two records, a syntax error or a tree over RFC 7208's limits is a permerror at every
    receiver; without SES in it, mail SES sends without a custom MAIL FROM fails SPF.
    Fix: publish the one TXT record shown with the failure (merged, flattened or trimmed as it says).
    """
    assert domain_spf.ok, domain_spf.explain()


@pytest.mark.golive(gate="dmarc", severity="critical")
def test_dmarc_policy_meets_the_minimum(domain_dmarc):
    """The domain has exactly one valid DMARC record whose policy, pct and reporting meet the environment's minimum.

    Risk: without an enforcing DMARC policy anyone can send as the domain; two records or a
    syntax error count as no DMARC at all; without rua nobody sees the reports.
    Fix: publish the _dmarc TXT line shown with the failure (and any report authorization lines).
    """
    assert domain_dmarc.ok, domain_dmarc.explain()
