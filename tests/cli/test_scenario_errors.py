"""A scenario's references are checked when it loads: every policy, group and AWS-managed policy it
attaches exists, or the run stops naming the key, before moto is asked to seed anything."""

from __future__ import annotations

import pytest
from expect import open_error
from timebox import within

from golive.config import load_config
from golive.run import Run

API_ROLE = "arn:aws:iam::123456789012:role/bizassist-api"
SES_READ_ONLY = "arn:aws:iam::aws:policy/AmazonSESReadOnlyAccess"


def attach(workspace, *refs: str, boundary: str | None = None) -> None:
    def change(d):
        role = d["iam"]["roles"]["bizassist-api"]
        role["managed"] = list(refs)
        if boundary:
            role["boundary"] = boundary

    workspace.edit("scenarios/demo.yaml", change)


@pytest.mark.parametrize(
    ("refs", "boundary", "expected"),
    [
        (
            ["arn:aws:iam::aws:policy/AmazonSESReadOnlyAcess"],
            None,
            (
                "key 'iam.roles.bizassist-api.managed[0]': 'arn:aws:iam::aws:policy/AmazonSESReadOnlyAcess' is not "
                "an AWS-managed policy moto knows",
                f"did you mean {SES_READ_ONLY} or",
            ),
        ),
        (
            ["SESDomainManagement"],
            None,
            "key 'iam.roles.bizassist-api.managed[0]': no policy 'SESDomainManagement' in iam.policies; "
            "expected one of: none defined, or an AWS-managed policy ARN",
        ),
        (
            ["arn:aws:iam::111122223333:policy/Theirs"],
            None,
            "key 'iam.roles.bizassist-api.managed[0]': 'arn:aws:iam::111122223333:policy/Theirs' is a policy of "
            "another account",
        ),
        ([], "api-boundary", "key 'iam.roles.bizassist-api.boundary': no policy 'api-boundary' in iam.policies"),
    ],
    ids=["misspelt-aws-managed", "undefined-name", "another-account", "undefined-boundary"],
)
def test_an_attached_policy_that_does_not_exist_is_named(workspace, refs, boundary, expected):
    attach(workspace, *refs, boundary=boundary)
    message = open_error(workspace)
    assert message.startswith(str((workspace.config_dir / "scenarios" / "demo.yaml").resolve()))
    for fragment in (expected,) if isinstance(expected, str) else expected:
        assert fragment in message


def test_a_group_that_does_not_exist_is_named(workspace):
    workspace.edit("scenarios/demo.yaml", lambda d: d["iam"].update(users={"ops": {"groups": ["admins"]}}))
    assert "key 'iam.users.ops.groups[0]': no group 'admins' in iam.groups; expected one of: none defined" in (
        open_error(workspace)
    )


def test_an_aws_managed_policy_is_seeded_and_weighed(workspace, monkeypatch):
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "false")  # restored after: the account sets it
    attach(workspace, SES_READ_ONLY)
    run = Run.plan(load_config("demo", workspace.config_dir), workspace.reports_dir)
    try:
        with within(120):
            run.open()
        iam = run.access.client("iam")
        details = iam.get_account_authorization_details(Filter=["Role"])["RoleDetailList"]
        [role] = [r for r in details if r["Arn"] == API_ROLE]
        assert role["AttachedManagedPolicies"] == [
            {"PolicyName": "AmazonSESReadOnlyAccess", "PolicyArn": SES_READ_ONLY}
        ]
        # granted by the AWS-managed policy only: the role's inline policy does not name it
        decision = iam.simulate_principal_policy(
            PolicySourceArn=API_ROLE,
            ActionNames=["ses:GetIdentityDkimAttributes"],
            ContextEntries=[
                {
                    "ContextKeyName": "aws:RequestedRegion",
                    "ContextKeyValues": ["ap-southeast-1"],
                    "ContextKeyType": "string",
                }
            ],
        )["EvaluationResults"][0]["EvalDecision"]
        assert decision == "allowed"
    finally:
        run.close()


def test_what_moto_refuses_to_seed_stops_the_run_naming_the_scenario(workspace):
    workspace.edit(
        "scenarios/demo.yaml",
        lambda d: d["iam"].update(
            policies={"broken": {"Statement": [{"Effect": "Perhaps", "Action": "s3:GetObject", "Resource": "*"}]}}
        ),
    )
    message = open_error(workspace)
    assert message.startswith(
        f"{(workspace.config_dir / 'scenarios' / 'demo.yaml').resolve()}: the embedded account refused to be seeded"
    )
    assert "CreatePolicy" in message
