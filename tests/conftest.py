"""Fixtures of golive's own tests: fake AWS credentials everywhere, and a workspace per test
whose runs are shared with every other test of the process that runs the same inputs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from workspace import ROOT, SharedRuns, Workspace

from golive.areas import auditor_policy
from golive.embedded.account import EmbeddedAccount
from golive.embedded.scenario import Scenario


@pytest.fixture(autouse=True)
def fake_aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto's fake credentials, everywhere: nothing in a test can authenticate to real AWS."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(ROOT / "tests" / "data" / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(ROOT / "tests" / "data" / "no-aws-credentials"))


@pytest.fixture(scope="session")
def shared_runs(tmp_path_factory: pytest.TempPathFactory) -> SharedRuns:
    return SharedRuns(tmp_path_factory.mktemp("shared-runs"))


@pytest.fixture
def workspace(tmp_path: Path, shared_runs: SharedRuns) -> Workspace:
    return Workspace(tmp_path, shared=shared_runs)


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[Any]:
    """An embedded account whose scenario the test fills in: `embedded(data)` seeds and starts it.

    The embedded account's additions are tested the way moto tests a service: real boto3
    clients against the real server, responses parsed by botocore and held to its model."""
    holder: dict[str, EmbeddedAccount] = {}

    def load(data: dict[str, Any]) -> EmbeddedAccount:
        path = tmp_path / "scenario.json"
        path.write_text(json.dumps({"version": 1, **data}))
        holder["account"] = EmbeddedAccount(Scenario(path, {"version": 1, **data}), auditor_policy()).start()
        return holder["account"]

    yield load
    if "account" in holder:
        holder["account"].stop()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, Any]:
    """A workspace of the module's whose `latest` names a whole GO run of the demo, and that run."""
    workspace = Workspace(tmp_path_factory.mktemp("demo-latest"))
    whole = workspace.verify("demo")
    assert whole.exit_code == 0, whole.output
    return workspace, whole
