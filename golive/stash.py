"""Keys for the state golive keeps in pytest's stashes (never in module globals)."""

from __future__ import annotations

from typing import Any

import pytest

from golive.run import Run

RUN = pytest.StashKey[Run]()
EVIDENCE = pytest.StashKey[dict[str, Any]]()
