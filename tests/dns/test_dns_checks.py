"""checks/test_dns.py against zones with known defects, served over UDP and TCP by the embedded
DNS server: each defect is caught by its check, and by nothing else (defects of different
records share a run: together they fail exactly their checks)."""

from __future__ import annotations

from workspace import Defect, batch_run, expect_failure_of_batch, names

ZONE = "scenarios/zones/bizassist.example.zone"
REGION_DOMAIN = "ap-southeast-1-bizassist.example"
DKIM = f"test_dkim_cnames_point_to_ses[{REGION_DOMAIN}]"
VERIFICATION = f"test_verification_txt_is_published[{REGION_DOMAIN}]"
MAIL_FROM_MX = f"test_mail_from_mx_is_the_ses_feedback_endpoint[{REGION_DOMAIN}]"
MAIL_FROM_SPF = f"test_mail_from_spf_authorizes_ses[{REGION_DOMAIN}]"
SPF = "test_domain_spf_authorizes_ses_within_limits[bizassist.example]"
DMARC = "test_dmarc_policy_meets_the_minimum[bizassist.example]"
DNS_CHECKS = {DKIM, VERIFICATION, MAIL_FROM_MX, MAIL_FROM_SPF, SPF, DMARC}
TOKEN2 = "3frqe7jn4obpuxjpwpolz6ipb3k5nvt2nhjpik2oy"  # moto's second DKIM token (docs/scenarios.md)


def edit_zone(workspace, old, new):
    path = workspace.config_dir / ZONE
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def verify_with(workspace, *changes, config=None, scenario=None):
    for old, new in changes:
        edit_zone(workspace, old, new)
    if config:
        workspace.edit("demo.yaml", config)
    if scenario:
        workspace.edit("scenarios/demo.yaml", scenario)
    return workspace.verify("demo")


def only_failure(result, check):
    assert names(result, "failed") == {check}, result.output
    assert names(result, "error") == set(), result.output
    assert DNS_CHECKS - {check} <= names(result, "passed")
    return result.outcomes[check].message


def zone_defect(check, *changes):
    def apply(workspace):
        for old, new in changes:
            edit_zone(workspace, old, new)

    return Defect(check, apply)


def failure_in_batch(result, batch, check):
    message = expect_failure_of_batch(result, batch, check)
    assert DNS_CHECKS - {defect.check for defect in batch} <= names(result, "passed")
    return message


def test_the_demo_zone_passes_every_dns_check_through_each_zones_own_nameservers(workspace):
    result = workspace.verify("demo")
    assert result.exit_code == 0, result.output
    assert names(result, "passed") >= DNS_CHECKS
    checks = result.evidence["checks"]
    dkim = next(c for node, c in checks.items() if node.endswith(DKIM))["facts"]["dkim"]
    assert [r["problem"] for r in dkim["records"]] == [None, None, None]
    assert dkim["resolver"]["mode"] == "authoritative"
    dmarc = next(c for node, c in checks.items() if node.endswith(DMARC))["facts"]["dmarc"]
    assert dmarc["alignment"]["spf_aligned"] is True
    assert dmarc["alignment"]["mail_from"] == "mail.bizassist.example"


MISSING_DKIM = zone_defect(DKIM, ("{{ses:ap-southeast-1:dkim2}}._domainkey IN CNAME", "; removed"))


def test_a_missing_dkim_cname_is_named_with_the_record_to_publish(zones_a):
    message = failure_in_batch(zones_a, ZONES_A, DKIM)
    assert "1 of the 3 DKIM records" in message
    assert f"{TOKEN2}._domainkey.bizassist.example: missing: found {TOKEN2}._domainkey.bizassist.example" in message
    assert f"{TOKEN2}._domainkey.bizassist.example. 1800 IN CNAME {TOKEN2}.dkim.amazonses.com." in message


# the classic slip: no trailing dot, so the zone's origin is appended to the target
WRONG_DKIM_TARGET = zone_defect(
    DKIM, ("{{ses:ap-southeast-1:dkim2}}.dkim.amazonses.com.", "{{ses:ap-southeast-1:dkim2}}.dkim.amazonses.com")
)


def test_a_dkim_cname_to_a_wrong_target_is_named_with_what_was_found(zones_b):
    message = failure_in_batch(zones_b, ZONES_B, DKIM)
    assert f"wrong target: found {TOKEN2}._domainkey.bizassist.example CNAME " in message
    assert f"{TOKEN2}.dkim.amazonses.com.bizassist.example.; expected {TOKEN2}.dkim.amazonses.com" in message


def _without_the_key_of_token2(workspace):
    # SES's side of the world without the key of one token: the right CNAME leads nowhere
    amazonses = "$TTL 300\n@ IN SOA ns1 hostmaster 1 7200 900 1209600 300\n@ IN NS ns1\nns1 IN A 127.0.0.1\n"
    amazonses += '@ IN TXT "v=spf1 ip4:199.255.192.0/22 -all"\n'
    amazonses += "".join(
        f'{token}.dkim IN TXT "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC6"\n'
        for token in ("vvjuipp74whm76gqoni7qmwwn4w4qusjiainivf6sf", "wrqplteh7oodxnad7hsl4mixg2uavzneazxv5sxi2")
    )
    workspace.write("scenarios/zones/amazonses.com.zone", amazonses)
    workspace.edit(
        "scenarios/demo.yaml", lambda d: d["dns"]["zones"].update({"amazonses.com": "zones/amazonses.com.zone"})
    )


DANGLING_DKIM = Defect(DKIM, _without_the_key_of_token2)


def test_a_dkim_cname_whose_target_has_no_key_is_dangling(zones_c):
    message = failure_in_batch(zones_c, ZONES_C, DKIM)
    assert f"{TOKEN2}._domainkey.bizassist.example: dangling:" in message
    assert f"the target serves {TOKEN2}._domainkey.bizassist.example does not exist (NXDOMAIN)" in message


MISSING_VERIFICATION = zone_defect(
    VERIFICATION, ('_amazonses IN TXT "{{ses:ap-southeast-1:verification}}"', "; removed")
)


def test_a_missing_verification_txt_is_named_with_the_token_to_publish(zones_a):
    message = failure_in_batch(zones_a, ZONES_A, VERIFICATION)
    assert "_amazonses.bizassist.example does not publish the verification token" in message
    assert "found _amazonses.bizassist.example does not exist (NXDOMAIN)" in message
    assert '_amazonses.bizassist.example. 1800 IN TXT "ILQMESfEW0p6i6gIJcEWvO65TP5hg6B99hGFZ2lxrIs="' in message


MAIL_FROM_MX_ELSEWHERE = zone_defect(
    MAIL_FROM_MX, ("mail    IN MX   10 feedback-smtp.ap-southeast-1", "mail    IN MX   10 feedback-smtp.us-east-1")
)


def test_a_mail_from_mx_to_another_region_fails_the_mx_check_only(zones_a):
    message = failure_in_batch(zones_a, ZONES_A, MAIL_FROM_MX)
    assert "which is not ap-southeast-1's feedback endpoint but us-east-1's" in message
    assert "mail.bizassist.example. 1800 IN MX 10 feedback-smtp.ap-southeast-1.amazonses.com." in message


MAIL_FROM_SPF_WITHOUT_SES = zone_defect(
    MAIL_FROM_SPF, ('mail    IN TXT  "v=spf1 include:amazonses.com ~all"', 'mail IN TXT "v=spf1 -all"')
)


def test_a_mail_from_spf_without_ses_fails_the_mail_from_spf_check_only(zones_b):
    message = failure_in_batch(zones_b, ZONES_B, MAIL_FROM_SPF)
    assert "SPF of mail.bizassist.example (SES's MAIL FROM domain of bizassist.example in ap-southeast-1)" in message
    assert "it does not authorize SES" in message
    assert 'mail.bizassist.example. 1800 IN TXT "v=spf1 include:amazonses.com -all"' in message


TWO_SPF_RECORDS = zone_defect(
    SPF,
    (
        '@       IN TXT  "v=spf1 include:amazonses.com ~all"',
        '@ IN TXT "v=spf1 include:amazonses.com ~all"\n@ IN TXT "v=spf1 ip4:192.0.2.0/24 -all"',
    ),
)


def test_two_spf_records_are_one_too_many(zones_a):
    message = failure_in_batch(zones_a, ZONES_A, SPF)
    assert "2 SPF records; RFC 7208 §4.5 makes that a permerror" in message
    assert 'bizassist.example. 1800 IN TXT "v=spf1 include:amazonses.com ip4:192.0.2.0/24 ~all"' in message


NESTED = """
@ IN TXT "v=spf1 include:_a.bizassist.example include:_b.bizassist.example include:amazonses.com ~all"
_a IN TXT "v=spf1 include:_a1.bizassist.example include:_a2.bizassist.example -all"
_a1 IN TXT "v=spf1 a:relay.bizassist.example a:relay2.bizassist.example -all"
_a2 IN TXT "v=spf1 a:relay.bizassist.example -all"
_b IN TXT "v=spf1 include:_b1.bizassist.example a:relay2.bizassist.example -all"
_b1 IN TXT "v=spf1 a:relay.bizassist.example a:relay2.bizassist.example -all"
relay IN A 192.0.2.25
relay2 IN A 192.0.2.26
"""


SPF_OVER_TEN_LOOKUPS = zone_defect(SPF, ('@       IN TXT  "v=spf1 include:amazonses.com ~all"', NESTED))


def test_spf_over_ten_lookups_through_nested_includes_names_the_include_that_breaks_it(zones_b):
    message = failure_in_batch(zones_b, ZONES_B, SPF)
    assert "it needs 12 DNS lookups, over the limit of 10" in message
    assert (
        "include:_a.bizassist.example costs 6; include:_b.bizassist.example costs 5 <- the budget breaks here"
        in message
    )
    flattened = 'bizassist.example. 1800 IN TXT "v=spf1 ip4:192.0.2.25 ip4:192.0.2.26 include:amazonses.com ~all"'
    assert flattened in message


VOID_SPF = (
    '"v=spf1 a:gone1.bizassist.example mx:gone2.bizassist.example a:gone3.bizassist.example include:amazonses.com ~all"'
)
SPF_VOID_LOOKUPS = zone_defect(SPF, ('@       IN TXT  "v=spf1 include:amazonses.com ~all"', f"@ IN TXT {VOID_SPF}"))


def test_spf_with_three_void_lookups_names_them_and_drops_them(zones_c):
    message = failure_in_batch(zones_c, ZONES_C, SPF)
    assert "it makes 3 void lookups (names with no records), over RFC 7208's limit of 2" in message
    assert "a:gone1.bizassist.example, mx:gone2.bizassist.example, a:gone3.bizassist.example" in message
    assert 'bizassist.example. 1800 IN TXT "v=spf1 include:amazonses.com ~all"' in message


def test_dmarc_p_none_fails_in_production_even_where_the_config_allows_it(workspace):
    def production_none(d):
        d["production"] = True
        d["dns"] = {"dmarc": {"min_policy": "none", "require_rua": True}}

    result = verify_with(workspace, ("p=quarantine", "p=none"), config=production_none)
    message = only_failure(result, DMARC)
    assert "policy none is below the minimum quarantine (a production environment; the config asks for none)" in message
    assert (
        '_dmarc.bizassist.example. 1800 IN TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@bizassist.example"' in message
    )


TWO_DMARC_RECORDS = zone_defect(
    DMARC, ("_dmarc  IN TXT", '_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@bizassist.example"\n_dmarc IN TXT')
)


def test_two_dmarc_records_count_as_none(zones_a):
    message = failure_in_batch(zones_a, ZONES_A, DMARC)
    assert "2 DMARC records at _dmarc.bizassist.example: receivers discard them all" in message
    assert "Fix: replace them with this record:" in message


def test_a_dns_timeout_is_could_not_see_never_a_verdict(workspace):
    result = verify_with(
        workspace,
        config=lambda d: d.update(dns={"timeout": 1.5, "retries": 0}),  # slow enough for a busy machine
        scenario=lambda d: d["dns"].update(delay={"_dmarc.bizassist.example": 6}),
    )
    assert result.exit_code == 1
    assert names(result, "failed") == set()
    assert names(result, "error") == {DMARC}
    message = result.outcomes[DMARC].message
    assert "could not resolve _dmarc.bizassist.example TXT through each zone's own nameservers" in message
    assert "timed out" in message
    assert "could not see" in result.output


def test_in_moto_mode_the_embedded_server_answers_even_for_listed_nameservers(workspace):
    # 192.0.2.53:5353 is never asked (tests/dns/test_resolver.py proves no packet leaves loopback)
    listed = {"nameservers": ["192.0.2.53"], "port": 5353}
    result = verify_with(workspace, config=lambda d: d.update(dns={"resolver": listed}))
    assert result.exit_code == 0, result.output
    assert names(result, "passed") >= DNS_CHECKS
    spf = next(c for node, c in result.evidence["checks"].items() if node.endswith(SPF))["facts"]["spf"]
    assert spf["resolver"]["mode"] == "nameservers"
    assert spf["resolver"]["servers"].startswith("the embedded DNS server 127.0.0.1:")


# Defects of different records, one check each, share a run. Each check reads only its own
# records: a batch changes no message (each was compared with its defect's run alone).
ZONES_A = [MISSING_DKIM, MISSING_VERIFICATION, MAIL_FROM_MX_ELSEWHERE, TWO_SPF_RECORDS, TWO_DMARC_RECORDS]
ZONES_B = [WRONG_DKIM_TARGET, MAIL_FROM_SPF_WITHOUT_SES, SPF_OVER_TEN_LOOKUPS]
ZONES_C = [DANGLING_DKIM, SPF_VOID_LOOKUPS]


zones_a = batch_run("zones_a", ZONES_A)


zones_b = batch_run("zones_b", ZONES_B)


zones_c = batch_run("zones_c", ZONES_C)
