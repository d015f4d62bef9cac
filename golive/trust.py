"""The audit role's trust policy: who may assume golive-auditor (`golive auditor-policy --trust FORM`).

Three forms: a GitHub Actions job (OIDC, token.actions.githubusercontent.com), a GitLab CI job
(OIDC, the GitLab instance as provider) and another AWS account (sts:AssumeRole, with an external
id when given). The OIDC forms name the provider of the account the role lives in, so they need
the account id as well. A wildcard in a ref (`refs/heads/release-*`) is matched with StringLike;
everything else with StringEquals, so that a typo never widens the trust.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

FORMS = ("github", "gitlab", "account")
GITHUB_HOST = "token.actions.githubusercontent.com"
STS_AUDIENCE = "sts.amazonaws.com"
ACCOUNT_ID = re.compile(r"\d{12}")
GITHUB_REPO = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
GITLAB_PROJECT = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+")
EXTERNAL_ID = re.compile(r"[\w+=,.@:/-]{2,1224}")
REF = re.compile(r"[\w./*?-]+")


class TrustProblem(ValueError):
    """An option the trust policy cannot be written from: one line, for the command's usage error."""


def trust_policy(
    form: str,
    account_id: str,
    *,
    repo: str | None = None,
    project: str | None = None,
    ref: str | None = None,
    gitlab_url: str | None = None,
    external_id: str | None = None,
) -> dict[str, Any]:
    """The trust policy of the audit role for `form`; a TrustProblem names the option that is wrong."""
    if not ACCOUNT_ID.fullmatch(account_id or ""):
        raise TrustProblem(f"--account-id {account_id!r}: an AWS account id is 12 digits")
    given = {"--repo": repo, "--project": project, "--gitlab-url": gitlab_url, "--external-id": external_id}
    allowed = {"github": {"--repo"}, "gitlab": {"--project", "--gitlab-url"}, "account": {"--external-id"}}[form]
    stray = sorted(option for option, value in given.items() if value is not None and option not in allowed)
    if stray:
        raise TrustProblem(f"{', '.join(stray)} does not go with --trust {form}")
    if form == "github":
        return _policy(_github(account_id, repo, ref))
    if form == "gitlab":
        return _policy(_gitlab(account_id, project, ref, gitlab_url or "https://gitlab.com"))
    if ref is not None:
        raise TrustProblem("--ref does not go with --trust account (it names a branch of an OIDC job)")
    return _policy(_account(account_id, external_id))


def _policy(statement: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [statement]}


def _github(account_id: str, repo: str | None, ref: str | None) -> dict[str, Any]:
    if not repo:
        raise TrustProblem("--trust github needs --repo OWNER/REPO (the repository whose workflow runs golive)")
    if not GITHUB_REPO.fullmatch(repo):
        raise TrustProblem(f"--repo {repo!r}: expected OWNER/REPO, as in github.com/OWNER/REPO")
    ref = _ref(ref or "refs/heads/main")
    if not ref.startswith("refs/"):
        raise TrustProblem(f"--ref {ref!r}: GitHub's token names a full ref, such as refs/heads/{ref}")
    return _web_identity(account_id, GITHUB_HOST, STS_AUDIENCE, f"repo:{repo}:ref:{ref}", "GitHubActions")


def _gitlab(account_id: str, project: str | None, ref: str | None, url: str) -> dict[str, Any]:
    if not project:
        raise TrustProblem("--trust gitlab needs --project GROUP/PROJECT (the project whose pipeline runs golive)")
    if not GITLAB_PROJECT.fullmatch(project):
        raise TrustProblem(f"--project {project!r}: expected GROUP/PROJECT (or GROUP/SUBGROUP/PROJECT)")
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        raise TrustProblem(f"--gitlab-url {url!r}: expected the instance's https:// URL, such as https://gitlab.com")
    audience = url.rstrip("/")
    ref = _ref(ref or "main")
    if ref.startswith("refs/"):
        raise TrustProblem(f"--ref {ref!r}: GitLab's token names the branch itself, such as {ref.split('/')[-1]}")
    subject = f"project_path:{project}:ref_type:branch:ref:{ref}"
    return _web_identity(account_id, audience.split("://", 1)[1], audience, subject, "GitLabCI")


def _ref(ref: str) -> str:
    if not REF.fullmatch(ref) or ".." in ref:
        raise TrustProblem(f"--ref {ref!r}: not a git ref")
    return ref


def _web_identity(account_id: str, host: str, audience: str, subject: str, who: str) -> dict[str, Any]:
    conditions: dict[str, dict[str, str]] = {"StringEquals": {f"{host}:aud": audience}}
    subject_test = "StringLike" if any(c in subject for c in "*?") else "StringEquals"
    conditions.setdefault(subject_test, {})[f"{host}:sub"] = subject
    return {
        "Sid": f"GoliveAuditFrom{who}",
        "Effect": "Allow",
        "Principal": {"Federated": f"arn:aws:iam::{account_id}:oidc-provider/{host}"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": conditions,
    }


def _account(account_id: str, external_id: str | None) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Sid": "GoliveAuditFromAccount",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
        "Action": "sts:AssumeRole",
    }
    if external_id is not None:
        if not EXTERNAL_ID.fullmatch(external_id):
            raise TrustProblem(
                f"--external-id {external_id!r}: 2 to 1224 letters, digits or +=,.@:/-_ (as STS accepts)"
            )
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return statement
