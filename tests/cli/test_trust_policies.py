"""`golive auditor-policy --trust FORM`: the audit role's trust policy for a GitHub Actions job, a GitLab
CI job and another account, and its usage errors (one line, exit 4, nothing on stdout)."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from golive import cli

ACCOUNT = "111122223333"


def golive(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def trust(*options: str) -> dict:
    code, out, err = golive("auditor-policy", "--trust", *options)
    assert code == 0 and err == "", err
    policy = json.loads(out)
    assert policy["Version"] == "2012-10-17" and len(policy["Statement"]) == 1
    return policy["Statement"][0]


def test_github_trusts_the_repositorys_workflow_on_main_through_the_accounts_oidc_provider():
    statement = trust("github", "--account-id", ACCOUNT, "--repo", "acme/bizassist")
    assert statement["Effect"] == "Allow" and statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    host = "token.actions.githubusercontent.com"
    assert statement["Principal"] == {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/{host}"}
    assert statement["Condition"] == {
        "StringEquals": {f"{host}:aud": "sts.amazonaws.com", f"{host}:sub": "repo:acme/bizassist:ref:refs/heads/main"}
    }


def test_github_names_the_ref_given_and_matches_a_wildcard_with_string_like():
    tagged = trust("github", "--account-id", ACCOUNT, "--repo", "acme/api", "--ref", "refs/tags/v1.2")
    assert (
        tagged["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"]
        == "repo:acme/api:ref:refs/tags/v1.2"
    )
    released = trust("github", "--account-id", ACCOUNT, "--repo", "acme/api", "--ref", "refs/heads/release-*")
    assert released["Condition"] == {
        "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
        "StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/api:ref:refs/heads/release-*"},
    }


def test_gitlab_trusts_the_projects_pipeline_on_main_with_the_gitlab_url_as_audience():
    statement = trust("gitlab", "--account-id", ACCOUNT, "--project", "acme/platform/bizassist")
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Principal"] == {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/gitlab.com"}
    assert statement["Condition"] == {
        "StringEquals": {
            "gitlab.com:aud": "https://gitlab.com",
            "gitlab.com:sub": "project_path:acme/platform/bizassist:ref_type:branch:ref:main",
        }
    }


def test_a_self_managed_gitlab_is_its_own_provider_and_audience():
    statement = trust(
        "gitlab", "--account-id", ACCOUNT, "--project", "ops/api", "--gitlab-url", "https://git.acme.example/",
        "--ref", "production",
    )  # fmt: skip
    host = "git.acme.example"
    assert statement["Principal"]["Federated"] == f"arn:aws:iam::{ACCOUNT}:oidc-provider/{host}"
    assert statement["Condition"]["StringEquals"] == {
        f"{host}:aud": "https://git.acme.example",
        f"{host}:sub": "project_path:ops/api:ref_type:branch:ref:production",
    }


def test_another_account_may_assume_the_role_with_the_external_id_when_one_is_given():
    plain = trust("account", "--account-id", "444455556666")
    assert plain == {
        "Sid": "GoliveAuditFromAccount",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
        "Action": "sts:AssumeRole",
    }
    guarded = trust("account", "--account-id", "444455556666", "--external-id", "golive-prod-7f3a")
    assert guarded["Principal"] == plain["Principal"] and guarded["Action"] == "sts:AssumeRole"
    assert guarded["Condition"] == {"StringEquals": {"sts:ExternalId": "golive-prod-7f3a"}}


def test_without_trust_the_command_still_prints_the_read_only_audit_policy():
    code, out, _ = golive("auditor-policy")
    statements = json.loads(out)["Statement"]
    assert code == 0 and [s["Sid"] for s in statements] == ["GoliveReadOnlyAudit"]
    assert "sts:AssumeRoleWithWebIdentity" not in out


GITHUB = ["--trust", "github", "--account-id", ACCOUNT]
GITLAB = ["--trust", "gitlab", "--account-id", ACCOUNT]


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--trust", "jenkins"], "argument --trust: invalid choice: 'jenkins'"),
        (["--trust", "github", "--repo", "acme/api"], "--trust github needs --account-id ID"),
        (
            ["--repo", "acme/api", "--account-id", ACCOUNT],
            "--account-id, --repo: only with --trust github|gitlab|account",
        ),
        (
            ["--trust", "account", "--account-id", "1111-2222-3333"],
            "--account-id '1111-2222-3333': an AWS account id is 12 digits",
        ),
        ([*GITHUB], "--trust github needs --repo OWNER/REPO"),
        ([*GITHUB, "--repo", "acme"], "--repo 'acme': expected OWNER/REPO"),
        ([*GITHUB, "--repo", "acme/api", "--ref", "main"], "GitHub's token names a full ref, such as refs/heads/main"),
        ([*GITHUB, "--repo", "acme/api", "--ref", "refs/heads/a b"], "--ref 'refs/heads/a b': not a git ref"),
        ([*GITHUB, "--repo", "acme/api", "--project", "acme/api"], "--project does not go with --trust github"),
        ([*GITHUB, "--repo", "acme/api", "--send-test"], "--send-test is of the audit policy"),
        ([*GITLAB], "--trust gitlab needs --project GROUP/PROJECT"),
        ([*GITLAB, "--project", "api"], "--project 'api': expected GROUP/PROJECT"),
        (
            [*GITLAB, "--project", "a/b", "--ref", "refs/heads/main"],
            "GitLab's token names the branch itself, such as main",
        ),
        ([*GITLAB, "--project", "a/b", "--gitlab-url", "http://gitlab.acme"], "expected the instance's https:// URL"),
        (["--trust", "account", "--account-id", ACCOUNT, "--ref", "main"], "--ref does not go with --trust account"),
        (["--trust", "account", "--account-id", ACCOUNT, "--external-id", "x"], "--external-id 'x': 2 to 1224"),
        (
            ["--trust", "account", "--account-id", ACCOUNT, "--gitlab-url", "https://g.example"],
            "--gitlab-url does not go",
        ),
    ],
)
def test_a_trust_usage_error_is_one_line_and_exit_4(argv, said):
    code, out, err = golive("auditor-policy", *argv)
    assert code == 4 and out == "", out
    assert err.startswith("ERROR: golive auditor-policy: ") and err.count("\n") == 1 and said in err, err


def test_the_help_shows_each_trust_form():
    code, out, _ = golive("auditor-policy", "--help")
    assert code == 0
    for form in ("--trust github", "--trust gitlab", "--trust account"):
        assert form in out
