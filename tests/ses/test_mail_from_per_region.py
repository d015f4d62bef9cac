"""A custom MAIL FROM domain per region (`ses.domains.<d>.mail_from: {REGION: NAME}`): the
two-region demo is GO with one in each region; one name for both regions is caught by the
MX check of the region it cannot serve; a per-region map that misses a region, names another or
shares a name is refused before anything runs."""

from __future__ import annotations

import pytest
from workspace import Workspace, names

from golive.config import ConfigError, load_config
from golive.ses.cases import configured_mail_from, mail_from

ENV = "demo-two-regions"
TOKYO = "ap-northeast-1"
SCENARIO = "scenarios/demo-two-regions.yaml"


def _mail_from(data: dict, value: object) -> None:
    data["ses"]["domains"]["bizassist.example"]["mail_from"] = value


def test_the_two_region_demo_is_go_with_a_mail_from_domain_per_region(workspace):
    result = workspace.verify(ENV)
    assert result.exit_code == 0, result.output
    verified = {n for n in names(result, "passed") if n.startswith("test_mail_from_domain_is_verified")}
    assert verified == {
        "test_mail_from_domain_is_verified[ap-northeast-1-mail-tokyo.bizassist.example]",
        "test_mail_from_domain_is_verified[ap-southeast-1-mail.bizassist.example]",
    }
    mx = result.evidence["checks"][
        f"checks/test_dns.py::test_mail_from_mx_is_the_ses_feedback_endpoint[{TOKYO}-bizassist.example]"
    ]
    assert mx["facts"]["mail_from_mx"]["expected_mx"] == "10 feedback-smtp.ap-northeast-1.amazonses.com."


def test_one_mail_from_name_for_two_regions_fails_the_mx_check_of_the_region_it_cannot_serve(workspace):
    workspace.edit(f"{ENV}.yaml", lambda d: _mail_from(d, "mail.bizassist.example"))
    workspace.edit(
        SCENARIO,
        lambda d: d["regions"][TOKYO]["ses"]["identities"]["bizassist.example"]["mail_from"].update(
            domain="mail.bizassist.example"
        ),
    )
    result = workspace.verify(ENV)
    check = f"test_mail_from_mx_is_the_ses_feedback_endpoint[{TOKYO}-bizassist.example]"
    assert names(result, "failed") == {check}, result.output
    assert names(result, "error") == set(), result.output
    message = result.outcomes[check].message
    assert "which is not ap-northeast-1's feedback endpoint but ap-southeast-1's" in message, message
    assert "each region needs its own MAIL FROM domain" in message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"ap-southeast-1": "mail.bizassist.example"}, "no entry for 'ap-northeast-1'"),
        (
            {"ap-southeast-1": "mail.bizassist.example", TOKYO: "mail-tokyo.bizassist.example", "us-east-1": None},
            "'us-east-1' is not one of the configured regions",
        ),
        (
            {"ap-southeast-1": "mail.bizassist.example", TOKYO: "mail.bizassist.example"},
            "'mail.bizassist.example' is given for more than one region",
        ),
        ({"ap-southeast-1": "not a domain", TOKYO: None}, "key 'ses.domains.bizassist.example.mail_from"),
    ],
)
def test_a_per_region_mail_from_mistake_names_its_key(tmp_path, value, expected):
    workspace = Workspace(tmp_path)
    workspace.edit(f"{ENV}.yaml", lambda d: _mail_from(d, value))
    with pytest.raises(ConfigError, match=r"demo-two-regions\.yaml") as raised:
        load_config(ENV, workspace.config_dir)
    assert expected in str(raised.value)


def test_both_forms_give_each_region_its_mail_from_and_dmarc_the_first_regions(tmp_path):
    workspace = Workspace(tmp_path)
    workspace.edit(
        f"{ENV}.yaml", lambda d: _mail_from(d, {"ap-southeast-1": None, TOKYO: "mail-tokyo.bizassist.example"})
    )
    config = load_config(ENV, workspace.config_dir)
    assert [(c.region, c.mail_from) for c in mail_from(config)] == [(TOKYO, "mail-tokyo.bizassist.example")]
    assert configured_mail_from(config, "bizassist.example") == "mail-tokyo.bizassist.example"
    single = load_config("demo", workspace.config_dir)
    assert configured_mail_from(single, "bizassist.example", "ap-southeast-1") == "mail.bizassist.example"
    assert configured_mail_from(single, "bizassist.example") == "mail.bizassist.example"
