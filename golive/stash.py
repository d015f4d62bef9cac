"""Keys for the state golive keeps in pytest's stashes (never in module globals)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    pass

RUN = pytest.StashKey["Run"]()
EVIDENCE = pytest.StashKey[dict[str, Any]]()
