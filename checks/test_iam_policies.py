"""IAM policy hygiene: what a sending service's policies must not contain, whatever they allow today.

Read from every policy attached to the principal: inline, managed, its groups', and its
permissions boundary.
"""

import pytest


def _listed(findings):
    return "\n".join(f"  {f}" for f in findings)


@pytest.mark.golive(gate="iam-permissions", severity="high")
def test_policies_name_only_real_actions(policy_review):
    """Every action a policy names is a real IAM action.

    Risk: a misspelt or invented action grants nothing, so the permission its author meant
    is silently missing (the first seed's `ses:PutIdentityMailFromDomain` is one).
    Fix: replace each name with the real action suggested in the failure.
    """
    review = policy_review
    assert not review.unknown_actions, (
        f"{review.principal.name} ({review.principal_arn}) has policies naming actions IAM does not know:\n"
        f"{_listed(review.unknown_actions)}\nFix: use the real action names suggested above."
    )


@pytest.mark.golive(gate="iam-permissions", severity="high")
def test_policies_grant_no_wildcard_actions(policy_review):
    """No policy of the principal allows `*`, `service:*` or every action but some (NotAction).

    Risk: a wildcard grants every action the service gains in the future, including the ones
    that create, delete and reconfigure.
    Fix: list the actions the service uses (its must_allow list in the config).
    """
    review = policy_review
    assert not review.wildcard_actions, (
        f"{review.principal.name} ({review.principal_arn}) has wildcard grants:\n{_listed(review.wildcard_actions)}\n"
        "Fix: replace each wildcard with the actions the service uses."
    )


@pytest.mark.golive(gate="iam-permissions", severity="high")
def test_ses_send_and_identity_actions_are_scoped(policy_review):
    """SES send and identity-management actions are granted on named identities, not on `Resource: "*"`.

    Risk: on `*`, the service can send as, or change, every identity of the account in
    every region.
    Fix: set Resource to `arn:aws:ses:<region>:<account>:identity/<domain>` for each
    configured region and domain (the least-privilege policy of a failing allow check shows it).
    """
    review = policy_review
    assert not review.unscoped_ses_writes, (
        f"{review.principal.name} ({review.principal_arn}) is granted SES send or identity actions on any identity:\n"
        f"{_listed(review.unscoped_ses_writes)}\n"
        "Fix: set Resource to the identity ARNs arn:aws:ses:<region>:<account>:identity/<domain> it uses."
    )


@pytest.mark.golive(gate="iam-permissions", severity="critical")
def test_policies_allow_no_privilege_escalation(policy_review):
    """The principal cannot escalate its privileges, manage permissions or mint credentials.

    Risk: a service that can change IAM or resource policies, pass roles or create access
    keys turns any leak of its credentials into an account takeover.
    Fix: remove the actions named (found by parliament, an IAM policy linter) from the
    service's policies; grant them to a separate, human-operated role if they are needed.
    """
    review = policy_review
    assert not review.escalation, (
        f"{review.principal.name} ({review.principal_arn}) can escalate:\n{_listed(review.escalation)}\n"
        "Fix: remove these actions from the service's policies."
    )
