"""The embedded account's additions, tested the way moto tests a service: real boto3 clients
against the real server, responses parsed by botocore and held to botocore's model."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from golive.areas import auditor_policy
from golive.embedded.account import EmbeddedAccount
from golive.embedded.scenario import Scenario


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[EmbeddedAccount]:
    """An embedded account whose scenario the test fills in: `embedded.load(data)` seeds it."""
    holder: dict[str, EmbeddedAccount] = {}

    def load(data: dict[str, Any]) -> EmbeddedAccount:
        path = tmp_path / "scenario.json"
        path.write_text(json.dumps({"version": 1, **data}))
        holder["account"] = EmbeddedAccount(Scenario(path, {"version": 1, **data}), auditor_policy()).start()
        return holder["account"]

    yield load
    if "account" in holder:
        holder["account"].stop()
