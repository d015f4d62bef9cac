"""No secret in any output: fresh fake secrets, made at run time, planted in a scenario, a
config and the service's dotenv file, never appear in a byte a run writes (its terminal output and every report file), GO,
NO-GO or could-not-see; and redact() masks each kind of secret.

No literal here looks like a real key: the repository refuses AKIA+16 in git, so keys are built."""

from __future__ import annotations

import datetime as dt
import secrets
import string
from typing import Any

import pytest
from workspace import RunResult, Workspace

from golive.evidence.redact import redact

REGION = "ap-southeast-1"
WAIVED = f"test_send_rate_meets_minimum[{REGION}]"
TOPIC_CHECK = f"test_notification_topics_are_subscribed[{REGION}]"
PRINCIPAL = "arn:aws:iam::123456789012:role/bizassist-api"
DEMO = "scenarios/demo.yaml"


def _random(alphabet: str, n: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


def access_key_id(prefix: str = "AKIA") -> str:
    return prefix + _random(string.ascii_uppercase + string.digits, 16)


def secret_access_key() -> str:
    return _random(string.ascii_letters + string.digits + "/+", 40)


# --- redact(), kind by kind -----------------------------------------------------------------


def test_values_under_secret_keys_are_masked_whatever_they_look_like_nested_too():
    value = secrets.token_urlsafe(8)
    found = redact(
        {
            "db_password": value,
            "AWS_SECRET_ACCESS_KEY": value,
            "nested": [{"ApiKey": 12345, "Authorization": value, "session_token": value}],
            "credentials": {"user": "app", "pass": value},
            "passwd": value,
            "private_key": value,
            "name": "app",
            "password": None,
        }
    )
    assert value not in str(found)
    assert found["nested"][0] == {"ApiKey": "***", "Authorization": "***", "session_token": "***"}
    assert found["credentials"] == "***" and found["name"] == "app" and found["password"] is None


def test_public_tokens_and_lists_of_secret_arns_are_kept():
    facts = {
        "dkim_tokens": ["abc123"],
        "expected_token": "pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU=",
        "secrets": ["arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:bizassist/db-AbCdEf"],
        "action": "secretsmanager:GetSecretValue",
        "principal_arn": PRINCIPAL,
    }
    assert redact(facts) == facts


def test_secret_looking_pairs_in_text_are_masked():
    value = secrets.token_urlsafe(16)
    for text in (f"password={value}", f"db_password: {value}", f'{{"api_key": "{value}"}}', f"token = '{value}'"):
        assert value not in redact(text), text
    assert redact(f"Authorization: Bearer {value}") == "Authorization: *** ***"
    assert redact("secretsmanager:GetSecretValue on arn:aws:secretsmanager:r:1:secret:db") == (
        "secretsmanager:GetSecretValue on arn:aws:secretsmanager:r:1:secret:db"
    )


@pytest.mark.parametrize("password", ["p@ss", "s3cr3t", "a@b@c:d"])
def test_url_passwords_are_masked_even_with_an_at_sign(password):
    text = f"see postgres://user:{password}@host:5432/db now"
    assert redact(text) == "see postgres://user:***@host:5432/db now"


def test_query_tokens_are_masked():
    value = secrets.token_urlsafe(16)
    url = (
        f"https://b.s3.amazonaws.com/k?X-Amz-Signature={value}&X-Amz-Security-Token={value}"
        f"&access_token={value}&api_key={value}&sig={value}&token={value}&page=2"
    )
    found = redact(url)
    assert value not in found and found.endswith("&sig=***&token=***&page=2")


def test_webhook_paths_keep_scheme_and_host_only():
    token = secrets.token_urlsafe(18)
    assert redact(f"https://hooks.slack.com/services/T000/B000/{token}") == "https://hooks.slack.com/services/***"
    assert redact(f"https://events.pagerduty.com/integration/{token}/enqueue") == (
        "https://events.pagerduty.com/integration/***"
    )
    teams = f"https://acme.webhook.office.com/webhookb2/{token}@{token}/IncomingWebhook/{token}/x"
    assert token not in redact(teams)
    assert redact(f"https://api.example.com/v1/{token}1a/items") == "https://api.example.com/v1/***/items"
    docs = "https://docs.aws.amazon.com/ses/latest/dg/send-email-authentication-dmarc.html"
    assert redact(docs) == docs


def test_aws_keys_and_session_tokens_are_masked():
    key_id, session = access_key_id("ASIA"), secrets.token_urlsafe(120)
    assert redact(f"key {key_id} used") == f"key ASIA************{key_id[-4:]} used"
    secret_key = secret_access_key()
    for text in (f"secret key {secret_key}", f"aws_secret_access_key={secret_key}", f"aws_session_token {session}"):
        found = redact(text)
        assert secret_key not in found and session not in found, text


# --- every byte a run writes -------------------------------------------------------------------


class Planted:
    """Fresh secrets and where they go: a webhook endpoint in the scenario, secrets in a waiver's
    reason and ticket and in the config's description, keys and a database password in the dotenv."""

    def __init__(self) -> None:
        self.hook = f"services/T{_random(string.digits, 8)}/B{_random(string.digits, 8)}/{secrets.token_urlsafe(18)}"
        self.password = f"{secrets.token_urlsafe(6)}@{secrets.token_urlsafe(6)}"
        self.token, self.key_id, self.secret_key = secrets.token_urlsafe(20), access_key_id(), secret_access_key()

    @property
    def values(self) -> list[str]:
        tokens = self.hook.split("/")[1:]
        return [*tokens, self.password, self.token, self.key_id, self.secret_key]

    def subscription(self, confirmed: bool) -> dict[str, Any]:
        return {"protocol": "email-json", "endpoint": f"https://hooks.example.com/{self.hook}", "confirmed": confirmed}

    def config(self, expires: dt.date) -> Any:
        reason = (
            f"db at postgres://app:{self.password}@db.example:5432/app is slow; see "
            f"https://tickets.example/x?token={self.token}, key {self.key_id} secret {self.secret_key}"
        )
        waiver = {"check": WAIVED, "reason": reason, "ticket": f"OPS-1 api_key={self.token}", "expires": str(expires)}

        def edit(data: dict[str, Any]) -> None:
            data["description"] = f"BizAssist, password: {self.password}"
            data["waivers"] = [waiver]

        return edit

    def dotenv(self, workspace: Workspace, database_region: str = REGION) -> None:
        """The service's environment with static keys and a database password (DATABASE_URL is secret)."""
        path = workspace.config_dir / "demo.env"
        text = path.read_text().replace("postgres://bizassist_api@", f"postgres://bizassist_api:{self.password}@")
        text = text.replace(f".{REGION}.rds.amazonaws.com", f".{database_region}.rds.amazonaws.com")
        path.write_text(text + f"AWS_ACCESS_KEY_ID={self.key_id}\nAWS_SECRET_ACCESS_KEY={self.secret_key}\n")

    def scenario(self, confirmed: bool) -> Any:
        def edit(data: dict[str, Any]) -> None:
            region = data["regions"][REGION]
            region["ses"]["account"].update(max_send_rate=5)  # the waived defect
            region["sns"]["topics"]["bizassist-ses-feedback"]["subscriptions"].append(self.subscription(confirmed))
            if not confirmed:  # the topic's only subscriber waits: its check fails, naming the endpoint
                region["sns"]["topics"]["bizassist-ses-feedback"]["subscriptions"] = [self.subscription(False)]

        return edit


def written(result: RunResult) -> str:
    files = sorted(p for p in result.report_dir.rglob("*") if p.is_file())
    assert {p.name for p in files} >= {"report.html", "junit.xml", "evidence.json", "summary.md"}
    return result.output + "".join(p.read_text(errors="replace") for p in files)


def assert_no_secret(result: RunResult, planted: Planted) -> str:
    everything = written(result)
    leaked = [v for v in planted.values if v in everything]
    assert not leaked, f"{len(leaked)} planted secrets were written"
    return everything


def run(workspace: Workspace, planted: Planted, expires: dt.date, confirmed: bool, edit: Any = None) -> RunResult:
    workspace.edit("demo.yaml", planted.config(expires))
    # in the NO-GO run the database is in another region: its failure names the host, never the password
    planted.dotenv(workspace, database_region=REGION if confirmed else "us-west-2")
    workspace.edit(DEMO, planted.scenario(confirmed))
    if edit:
        workspace.edit(DEMO, edit)
    return workspace.verify("demo")


def test_a_go_run_with_a_waiver_writes_no_secret(workspace):
    planted = Planted()
    result = run(workspace, planted, dt.date.today() + dt.timedelta(days=7), confirmed=True)
    assert result.exit_code == 0, result.output
    assert result.evidence["checks"][f"checks/test_ses_account.py::{WAIVED}"]["outcome"] == "waived"
    everything = assert_no_secret(result, planted)
    assert PRINCIPAL in everything  # a principal ARN is not a secret
    assert "postgres://app:***@db.example:5432/app" in everything
    assert "https://hooks.example.com/services/***" in everything


def test_a_no_go_run_shows_its_findings_without_their_secrets(workspace):
    planted = Planted()
    result = run(workspace, planted, dt.date.today() - dt.timedelta(days=1), confirmed=False)
    assert result.exit_code == 1, result.output
    assert {WAIVED, TOPIC_CHECK} <= {n for n, o in result.outcomes.items() if o.status == "failed"}, result.output
    assert "expired" in result.outcomes[WAIVED].message
    assert "https://hooks.example.com/services/***" in result.outcomes[TOPIC_CHECK].message
    placed = result.outcomes["test_variable_points_into_the_service_region[DATABASE_URL]"]
    assert placed.status == "failed" and ".us-west-2.rds.amazonaws.com" in placed.message
    assert_no_secret(result, planted)


def test_a_could_not_see_run_writes_no_secret(workspace):
    planted = Planted()
    actions = ["ses:Get*", "ses:List*", "sns:List*", "sns:Get*", "cloudwatch:Describe*"]  # no IAM: could not see
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
    edit = lambda data: data.update(auditor={"inline": {"audit": policy}})  # noqa: E731
    result = run(workspace, planted, dt.date.today() + dt.timedelta(days=7), confirmed=True, edit=edit)
    assert result.exit_code == 1 and "could not see" in result.output, result.output
    assert_no_secret(result, planted)
