"""`golive init`: a commented starter environment that golive's own loader accepts, written only
when it does, never over an existing file unless asked. With `--from-account`, the account is read
through the guard and the recorder, every region at once, at SES's pace; a region golive cannot
see stops it."""

from __future__ import annotations

import contextlib
import io
import json
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from faults import FaultProxy, Request, aws_error, rate_limited
from runs import ROOT
from workspace import Workspace

from golive import cli
from golive.areas import auditor_policy
from golive.aws import CallRecorder, ses_regions
from golive.config import load_config
from golive.embedded.account import EmbeddedAccount
from golive.embedded.scenario import load_scenario

OPTIONS = ["--sender", "no-reply@mail.acme.io", "--region", "eu-west-1", "--region=us-east-1"]


def init(tmp_path, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cli.main(["init", *argv, f"--config-dir={tmp_path / 'config'}"])
    return code, out.getvalue()


def test_the_starter_validates_and_holds_what_was_given(tmp_path):
    code, output = init(tmp_path, "acme", *OPTIONS, "--account-id", "111122223333", "--role-arn",
                        "arn:aws:iam::111122223333:role/golive-auditor")  # fmt: skip
    assert code == 0 and f"wrote {tmp_path / 'config' / 'acme.yaml'}" in output
    config = load_config("acme", tmp_path / "config")
    assert (config.account_id, config.regions, config.production) == ("111122223333", ("eu-west-1", "us-east-1"), False)
    assert config.ses.from_address == "no-reply@mail.acme.io"
    assert list(config.data["ses"]["domains"]) == ["mail.acme.io"]
    assert (config.aws.mode, config.aws.role_arn, config.aws.profile) == (
        "live",
        "arn:aws:iam::111122223333:role/golive-auditor",
        None,
    )
    text = (tmp_path / "config" / "acme.yaml").read_text()
    assert "# principals:" in text and "# configuration_set: NAME" in text  # what to fill in next


def test_the_starter_is_a_suite_golive_can_list(tmp_path, capsys):
    assert init(tmp_path, "acme", *OPTIONS, "--domain", "acme.io", "--account-id", "111122223333")[0] == 0
    assert cli.main(["checks", "--env", "acme", "--config-dir", str(tmp_path / "config"), "--format", "json"]) == 0
    tests = [t for c in json.loads(capsys.readouterr().out)["checks"] for t in c["tests"]]
    assert "checks/test_dns.py::test_dmarc_policy_meets_the_minimum[acme.io]" in tests
    assert "checks/test_ses_account.py::test_production_access_is_granted[us-east-1]" in tests


def test_an_existing_file_is_kept_unless_forced(tmp_path):
    assert init(tmp_path, "acme", *OPTIONS, "--account-id", "111122223333")[0] == 0
    code, output = init(tmp_path, "acme", *OPTIONS, "--account-id", "444455556666")
    assert code == 4 and "acme.yaml exists; --force replaces it" in output
    assert load_config("acme", tmp_path / "config").account_id == "111122223333"
    assert init(tmp_path, "acme", *OPTIONS, "--account-id", "444455556666", "--force", "--production")[0] == 0
    assert load_config("acme", tmp_path / "config").production is True


def test_what_the_loader_refuses_is_never_written(tmp_path):
    code, output = init(tmp_path, "acme", "--sender", "a@acme.io", "--region", "mars-1", "--account-id", "111122223333")
    assert code == 4 and "key 'regions.0': expected an AWS region name" in output
    assert output.count("\n") == 1 and str(tmp_path / "config" / "acme.yaml") in output
    assert init(tmp_path, "acme", "--sender", "acme.io", *OPTIONS[2:], "--account-id", "111122223333")[0] == 4
    assert init(tmp_path, "acme", *OPTIONS, "--account-id", "12")[0] == 4
    assert not (tmp_path / "config" / "acme.yaml").exists()


def test_from_account_reads_the_account_id_regions_and_configuration_set(tmp_path, monkeypatch):
    """Against the demo's account (embedded, reached as live AWS is): nothing but the sender given."""
    config = ROOT / "config"
    account = EmbeddedAccount(load_scenario(config / "scenarios" / "demo.yaml", root=config), auditor_policy()).start()
    try:
        monkeypatch.setenv("AWS_ENDPOINT_URL", account.endpoint_url)  # botocore's own setting: every client
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", account.auditor.access_key_id)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", account.auditor.secret_access_key)
        code, output = init(tmp_path, "found", "--sender", "no-reply@bizassist.example", "--from-account")
        mismatch, said = init(tmp_path, "other", "--sender", "a@b.example", "--from-account", "--account-id=1")
    finally:
        account.stop()
    assert code == 0, output
    found = load_config("found", tmp_path / "config")
    assert (found.account_id, found.regions) == ("123456789012", ("ap-southeast-1",))
    assert found.ses.configuration_set == "bizassist-demo"
    text = (tmp_path / "config" / "found.yaml").read_text()
    assert "#   ap-southeast-1: identities bizassist.example; configuration sets bizassist-demo" in text
    assert mismatch == 4 and "--account-id 1, but the credentials" in said and "belong to 123456789012" in said


IN_USE = ("ap-northeast-1", "ap-southeast-1", "eu-west-1")  # in the order golive scans SES's regions


@pytest.fixture
def three_regions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultProxy]:
    """The demo's SES region copied to two more, in an embedded account reached as live AWS is,
    through a proxy that sees every request."""
    world = Workspace(tmp_path / "world")
    world.edit("scenarios/demo.yaml", lambda s: s["regions"].update({r: s["regions"]["ap-southeast-1"] for r in IN_USE}))
    scenario = load_scenario(world.config_dir / "scenarios" / "demo.yaml", root=world.config_dir)
    account = EmbeddedAccount(scenario, auditor_policy()).start()
    proxy = FaultProxy(account.endpoint_url)
    try:
        with proxy.running() as url:
            monkeypatch.setenv("AWS_ENDPOINT_URL", url)
            monkeypatch.setenv("AWS_ACCESS_KEY_ID", account.auditor.access_key_id)
            monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", account.auditor.secret_access_key)
            yield proxy
    finally:
        account.stop()


def test_from_account_reads_every_region_at_once_at_ses_pace_through_the_guard(tmp_path, three_regions, monkeypatch):
    proxy, scanned = three_regions, len(ses_regions())
    # each region's first read is held until every region's is open: read one after another,
    # the first would never be answered (and init would fail)
    everyone = threading.Barrier(scanned, timeout=30)

    def held(request: Request) -> float:
        if request.operation == "ListIdentities":
            everyone.wait()
        return 0.0

    proxy.latency = held
    # SES's throttle, per region (wide slack: golive's own pacing spaces a region's calls by a second)
    proxy.fault = rate_limited("ses", 1.0, slack=0.5)
    passed: list[tuple[str, str, str]] = []  # what the guard let through and the recorder counted, by thread
    record = CallRecorder.record
    monkeypatch.setattr(CallRecorder, "record", lambda self, service, operation: (
        passed.append((service, operation, threading.current_thread().name)), record(self, service, operation)))  # fmt: skip

    code, output = init(tmp_path, "found", "--sender", "no-reply@bizassist.example", "--from-account")

    assert code == 0, output
    found = load_config("found", tmp_path / "config")
    assert (found.account_id, found.regions, found.ses.configuration_set) == ("123456789012", IN_USE, "bizassist-demo")
    text = (tmp_path / "config" / "found.yaml").read_text()
    for region in IN_USE:
        assert f"#   {region}: identities bizassist.example; configuration sets bizassist-demo" in text
    assert proxy.most_regions_in_flight == scanned
    ses = [r for r in proxy.seen if r.service == "ses"]
    assert Counter(r.operation for r in ses) == {"ListIdentities": scanned, "ListConfigurationSets": len(IN_USE)}
    assert len(ses) == len([r for r in proxy.forwarded if r.service == "ses"]), "golive kept to SES's pace"
    # every request that left went through the guard and the recorder, the regions' from the pool's threads
    assert sorted(operation for _, operation, _ in passed) == sorted(r.operation for r in proxy.seen)
    assert {thread.split("_")[0] for service, _, thread in passed if service != "sts"} == {"golive-read"}


def test_from_account_stops_at_a_region_it_cannot_see(tmp_path, three_regions):
    def denied(request: Request):
        if (request.region, request.operation) == ("eu-west-1", "ListIdentities"):
            return aws_error(403, "AccessDenied", "User is not authorized to perform: ses:ListIdentities")
        return None

    three_regions.fault = denied
    code, output = init(tmp_path, "found", "--sender", "no-reply@bizassist.example", "--from-account")
    assert code == 4 and output.count("\n") == 1, output
    assert "could not list identities in eu-west-1: the auditor is not allowed ses:ListIdentities" in output
    assert not (tmp_path / "config" / "found.yaml").exists()
