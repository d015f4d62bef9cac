"""Secrets never reach a report or a log: access keys, secret values and URL passwords are masked."""

from __future__ import annotations

import re
from typing import Any

_PATTERNS = (
    (re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"), lambda m: m.group(1) + "************" + m.group(0)[-4:]),
    (
        re.compile(r"(?i)(secret[_-]?access[_-]?key|session[_-]?token|password)(\W{1,3})([^\s'\",]+)"),
        lambda m: f"{m.group(1)}{m.group(2)}***",
    ),
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^:/@\s]+):([^@\s]+)@"), lambda m: f"{m.group(1)}:***@"),
)


def redact(value: Any) -> Any:
    """A copy of `value` (str, or lists and dicts of them) with every secret masked."""
    if isinstance(value, str):
        for pattern, replacement in _PATTERNS:
            value = pattern.sub(replacement, value)
        return value
    if isinstance(value, dict):
        return {k: redact(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact(v) for v in value]
    return value
