"""The embedded AWS account as a fixture, for every area whose self-tests talk to it.

A conftest takes it with `from embedded_account import embedded` (tests/ is on the path, as
for workspace.py): a fixture in tests/embedded/conftest.py alone is not seen by tests/iam.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from golive.areas import auditor_policy
from golive.embedded.account import EmbeddedAccount
from golive.embedded.scenario import Scenario


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[Callable[[dict[str, Any]], EmbeddedAccount]]:
    """An embedded account whose scenario the test fills in: `embedded(data)` seeds and starts it."""
    started: list[EmbeddedAccount] = []

    def load(data: dict[str, Any]) -> EmbeddedAccount:
        path = tmp_path / "scenario.json"
        path.write_text(json.dumps({"version": 1, **data}))
        started.append(EmbeddedAccount(Scenario(path, {"version": 1, **data}), auditor_policy()).start())
        return started[-1]

    yield load
    for account in started:
        account.stop()
