"""The record facts judged from what DNS returned: the cases a zone file rarely shows."""

from __future__ import annotations

from golive.dns.records import (
    DkimFact,
    MailFromMxFact,
    VerificationFact,
    byodkim_record,
    easy_dkim_record,
    zone_line,
)
from golive.dns.resolver import Found

FEEDBACK = "10 feedback-smtp.eu-west-1.amazonses.com."


def mx(*records):
    return MailFromMxFact(
        "eu-west-1",
        "shop.example",
        "bounce.shop.example",
        "SES's MAIL FROM domain",
        Found("bounce.shop.example", "MX", "answer" if records else "NXDOMAIN", records),
    )


def test_the_mail_from_domain_needs_exactly_the_regions_feedback_mx():
    assert mx(FEEDBACK).ok
    two = mx(FEEDBACK, "20 backup.shop.example.")
    assert not two.ok
    assert "2 MX records, and SES's MAIL FROM setup fails with more than one" in two.explain()
    none = mx()
    assert "bounce.shop.example does not exist (NXDOMAIN), and SES needs exactly one MX" in none.explain()
    assert none.explain().endswith("bounce.shop.example. 1800 IN MX 10 feedback-smtp.eu-west-1.amazonses.com.")


def test_no_dkim_tokens_in_ses_is_a_failure_with_the_way_to_get_them():
    fact = DkimFact("eu-west-1", "shop.example", identity_exists=True, records=())
    assert not fact.ok
    assert "SES holds no DKIM tokens for shop.example in eu-west-1" in fact.explain()
    missing = DkimFact("eu-west-1", "shop.example", identity_exists=False, records=())
    assert missing.explain().startswith("SES has no identity shop.example in eu-west-1")


def test_a_regional_dkim_token_must_point_into_the_regions_dkim_zone():
    name = "tok._domainkey.shop.example"
    key = Found(name, "TXT", "answer", ("p=MIGf",))
    global_target = Found(name, "CNAME", "answer", ("tok.dkim.amazonses.com.",))
    record = easy_dkim_record("tok", "shop.example", "ap-south-2", global_target, key)
    assert (record.problem, record.expected) == ("wrong target", "tok.dkim.ap-south-2.amazonses.com")
    right = Found(name, "CNAME", "answer", ("tok.dkim.ap-south-2.amazonses.com.",))
    assert easy_dkim_record("tok", "shop.example", "ap-south-2", right, key).problem is None
    revoked = Found(name, "TXT", "answer", ("v=DKIM1; p=",))  # an empty p= is a revoked key (RFC 6376)
    assert easy_dkim_record("tok", "shop.example", "ap-south-2", right, revoked).problem == "dangling"


def test_a_byodkim_selector_needs_a_txt_key():
    name = "s1._domainkey.shop.example"
    assert (
        byodkim_record("s1", "shop.example", Found(name, "TXT", "answer", ("v=DKIM1; k=rsa; p=MIIB",))).problem is None
    )
    missing = byodkim_record("s1", "shop.example", Found(name, "TXT", "NXDOMAIN"))
    assert missing.problem == "missing"
    assert missing.fix.startswith('s1._domainkey.shop.example. 1800 IN TXT "v=DKIM1; k=rsa; p=')


def test_an_identity_verified_without_a_token_needs_no_txt():
    assert VerificationFact("eu-west-1", "shop.example", True, None, None).ok
    assert not VerificationFact("eu-west-1", "shop.example", False, None, None).ok


def test_a_long_txt_value_is_split_into_strings_of_255_bytes():
    line = zone_line("shop.example", "TXT", "v=spf1 " + "ip4:192.0.2.1 " * 30 + "-all")
    strings = line.split(" IN TXT ", 1)[1]
    assert strings.count('"') == 4
    assert len(strings.split('" "')[0]) == 256  # the opening quote and 255 bytes
