"""SPF and DMARC judged on checkdmarc's results, against a real server on loopback: the verdict,
the words, and the record offered to publish."""

from __future__ import annotations

import pytest

from golive.dns.dmarc import DmarcSettings, alignment, evaluate_dmarc
from golive.dns.resolver import Resolution, ResolverSettings
from golive.dns.spf import evaluate_spf
from golive.embedded.dnsserver import LoopbackDNSServer, load_zone
from golive.embedded.zones import ROOT_ZONE, ses_zone
from golive.errors import CouldNotSee
from golive.sections import dns_section

ZONE = """$TTL 300
@ IN SOA ns1 hostmaster 1 3600 600 86400 60
@ IN NS ns1
ns1 IN A 127.0.0.1
@ IN MX 10 mx
mx IN A 192.0.2.25
ok IN TXT "v=spf1 include:amazonses.com -all"
nested IN TXT "v=spf1 include:inner.t.example -all"
inner IN TXT "v=spf1 include:amazonses.com ip4:192.0.2.0/24 -all"
bare IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
typo IN TXT "v=spf1 inclde:amazonses.com -all"
slowinc IN TXT "v=spf1 include:slow.t.example include:amazonses.com -all"
slow IN TXT "v=spf1 -all"
gone IN TXT "v=spf1 include:nowhere.t.example include:amazonses.com -all"
exp IN TXT "v=spf1 include:amazonses.com -all exp=explain.t.example"
explain IN TXT "not allowed"
_dmarc IN TXT "v=DMARC1; p=reject; pct=50; aspf=s; rua=mailto:reports@t.example,mailto:dmarc@other.example"
_dmarc.weak IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@t.example"
weak IN TXT "v=spf1 -all"
sub IN TXT "v=spf1 -all"
"""
OTHER = "$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 60\n@ IN NS ns1\nns1 IN A 127.0.0.1\n"


@pytest.fixture(scope="module")
def server():
    zones = [
        load_zone("t.example.", text=ZONE),
        load_zone("other.example.", text=OTHER),
        load_zone("amazonses.com.", text=ses_zone({})),
        load_zone(".", text=ROOT_ZONE),
    ]
    with LoopbackDNSServer(zones, delay={"slow.t.example.": 10.0}) as running:
        yield running


@pytest.fixture
def resolution(server):
    import checkdmarc.utils

    checkdmarc.utils.DNS_CACHE.clear()  # each test asks the server, not the previous test's answers
    return Resolution(
        ResolverSettings.of(dns_section({"resolver": "authoritative", "timeout": 3, "retries": 1}), server.address)
    )


def spf(resolution, domain, max_lookups=10):
    return evaluate_spf(resolution, domain, "sending domain", resolution.lookup(domain, "TXT"), max_lookups)


def test_an_include_anywhere_in_the_tree_authorizes_ses(resolution):
    assert spf(resolution, "ok.t.example").ok
    nested = spf(resolution, "nested.t.example")
    assert nested.ok and nested.lookups == 2


def test_a_record_without_ses_gets_ses_added_before_its_all(resolution):
    fact = spf(resolution, "bare.t.example")
    assert fact.problems() == ["it does not authorize SES: no pass-qualified include:amazonses.com in its tree"]
    assert fact.fixed_records() == ["v=spf1 ip4:192.0.2.0/24 include:amazonses.com -all"]


def test_a_syntax_error_is_named_where_it_is(resolution):
    fact = spf(resolution, "typo.t.example")
    [problem] = fact.problems()
    assert problem.startswith("checkdmarc reports a permerror: typo.t.example: ")
    assert "inclde" in problem
    assert fact.fixed_records() == ["v=spf1 include:amazonses.com ~all"]


def test_an_include_without_spf_is_a_permerror(resolution):
    [problem] = spf(resolution, "gone.t.example").problems()
    assert "The include target nowhere.t.example has no SPF record" in problem


def test_a_stricter_configured_limit_counts_with_checkdmarcs_lookups(resolution):
    fact = spf(resolution, "nested.t.example", max_lookups=1)
    assert fact.problems()[0].startswith("it needs 2 DNS lookups, over the limit of 1")


def test_a_timed_out_include_is_could_not_see_not_a_missing_record(server):
    impatient = Resolution(
        ResolverSettings.of(dns_section({"resolver": "authoritative", "timeout": 1, "retries": 0}), server.address)
    )
    # checkdmarc alone would call this a permerror ("has no SPF record"): golive did not see it
    with pytest.raises(CouldNotSee) as caught:
        spf(impatient, "slowinc.t.example")
    assert "could not resolve slow.t.example " in str(caught.value)
    assert "timed out" in str(caught.value)


def test_the_exp_lookup_checkdmarc_makes_without_the_resolver_stays_on_loopback(resolution):
    # exp= is looked up with `nameservers=` only: golive passes the same servers there
    assert spf(resolution, "exp.t.example").ok


def dmarc(
    resolution, domain, min_policy="quarantine", production=False, require_rua=True, min_pct=None, mail_from=None
):
    settings = DmarcSettings(min_policy, min_pct, require_rua, production)
    found = resolution.lookup(f"_dmarc.{domain}", "TXT")
    return evaluate_dmarc(resolution, domain, found, settings, mail_from)


def test_staging_may_monitor_with_p_none_and_production_may_not(resolution):
    assert dmarc(resolution, "weak.t.example", min_policy="none").ok
    prod = dmarc(resolution, "weak.t.example", min_policy="none", production=True)
    assert prod.problems() == [
        "policy none is below the minimum quarantine (a production environment; the config asks for none)"
    ]
    assert prod.fixed_record() == "v=DMARC1; p=quarantine; rua=mailto:dmarc@t.example"


def test_pct_is_read_from_the_record_and_held_to_the_minimum(resolution):
    fact = dmarc(resolution, "t.example", min_pct=100)
    assert fact.pct == 50
    assert any(
        "pct=50 applies the policy to 50% of the mail only, less than the required 100%" in p for p in fact.problems()
    )


def test_a_policy_applied_to_a_sample_does_not_meet_the_minimum_by_default(resolution):
    """p=reject; pct=50 leaves half the mail to quarantine: an enforcing minimum needs all of it."""
    default = dmarc(resolution, "t.example", production=True)
    assert any("pct=50" in p and "RFC 7489 §6.6.4" in p for p in default.problems())
    assert "pct" not in default.fixed_record()
    accepted = dmarc(resolution, "t.example", min_pct=50)
    assert not any("pct=" in p for p in accepted.problems())
    monitoring = dmarc(resolution, "t.example", min_policy="none")
    assert not any("pct=" in p for p in monitoring.problems())


def test_an_external_report_mailbox_must_be_authorized_and_reachable(resolution):
    fact = dmarc(resolution, "t.example")
    assert fact.rua == ("mailto:reports@t.example", "mailto:dmarc@other.example")
    problems = fact.problems()
    assert any("other.example does not agree to receive t.example's reports" in p for p in problems)
    assert any("other.example has no MX, so reports cannot be delivered" in p for p in problems)
    assert 't.example._report._dmarc.other.example. 1800 IN TXT "v=DMARC1"' in fact.explain()


def test_a_subdomain_without_its_own_record_gets_the_organizations_subdomain_policy(resolution):
    fact = dmarc(resolution, "sub.t.example")
    assert (fact.location, fact.policy) == ("t.example", "reject")


def test_strict_spf_alignment_leaves_dmarc_to_dkim(resolution):
    fact = dmarc(resolution, "t.example", mail_from="mail.t.example")
    assert fact.alignment["aspf"] == "s"
    assert fact.alignment["spf_aligned"] is False
    assert fact.alignment["note"].endswith("DMARC then relies on DKIM alone")
    assert alignment("t.example", "mail.t.example", {})["spf_aligned"] is True
    assert alignment("t.example", None, {})["note"].startswith("no custom MAIL FROM")


def test_no_dmarc_record_is_reported_with_one_to_publish(resolution):
    fact = dmarc(resolution, "other.example")
    assert fact.problems() == ["no valid DMARC record: A DMARC record does not exist."]
    assert fact.fixed_record() == "v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@other.example"
