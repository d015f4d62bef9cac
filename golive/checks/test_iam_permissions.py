"""IAM: each principal may do what the service needs, and nothing it must not, in every region.

Each answer is IAM's own decision (iam:SimulatePrincipalPolicy, or golive's local engine
where the simulator is not available), never a trial of the action.
"""

import pytest


@pytest.mark.golive(gate="iam-permissions", severity="critical")
def test_principal_is_allowed(must_allow):
    """The principal is allowed the action in the region, on the resources the service uses.

    Risk: the service fails with AccessDenied the first time it needs the action.
    Fix: attach the least-privilege policy shown with the failure (scoped to the regions,
    identities and sender) and remove any Deny it names, then run golive again.
    """
    assert must_allow.allowed, must_allow.why_not_allowed()


@pytest.mark.golive(gate="iam-permissions", severity="critical")
def test_principal_is_denied(must_deny):
    """The principal is not allowed an action the service must never perform.

    Risk: a leaked credential or a bug can create, delete or reconfigure what the service
    only uses (identities, account settings, IAM).
    Fix: remove the action from the allowing statements named in the failure (narrow any
    wildcard), or add an explicit Deny for it.
    """
    assert not must_deny.allowed_anywhere, must_deny.why_allowed()


@pytest.mark.golive(gate="iam-permissions", severity="advisory")
def test_aws_weighed_every_permission(weighing):
    """In production, AWS's own simulator answered every permission question, weighing every
    policy layer (organization SCPs, resource policies, session policies included).

    Risk: where the auditor may not simulate, golive's local engine answers from the
    principal's own policies; an SCP that denies a send would not be seen until the send.
    Fix: allow the auditor iam:SimulatePrincipalPolicy on the principal (`golive auditor-policy`),
    or set aws.simulator: aws to make AWS's answer required.
    """
    assert not weighing.by_local_engine, weighing.why_local()
