"""`golive checks [--env ENV] [--format json]`: the check suite, without AWS.

Each check function with its gate, severity and rule; with an environment, the test ids it
produces there, which are the node ids a run of that environment reports (golive/suite.py is
what the verdict compares a run with, so the listing and a GO speak of the same suite).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from golive import HOME, places
from golive.config import ConfigError, load_config
from golive.evidence.gates import BY_ID
from golive.suite import catalogue


def list_checks(args: argparse.Namespace) -> int:
    from golive.cli import UsageProblem, config_dir_of

    config = None
    if args.env is not None:
        try:
            config = load_config(args.env, config_dir_of(args))
        except ConfigError as exc:
            raise UsageProblem(str(exc)) from None
    entries = [_entry(check, config) for check in catalogue()]
    if args.format == "json":
        print(json.dumps({"environment": args.env, "checks": entries}, indent=2))
    else:
        print(_text(entries, args.env, config_dir_of(args)))
    return 0


def _entry(check: Any, config: Any) -> dict[str, Any]:
    path = check.path.relative_to(HOME).as_posix()
    return {
        "check": f"{path}::{check.name}",
        "gate": check.gate,
        "gate_title": BY_ID[check.gate].title if check.gate in BY_ID else "",
        "severity": check.severity,
        "rule": check.rule,
        "tests": None if config is None else [f"{path}::{test}" for test in check.ids(config)],
    }


def _text(entries: list[dict[str, Any]], env: str | None, config_dir: Any) -> str:
    lines = []
    for entry in entries:
        lines.append(f"{entry['check']}  [{entry['severity']}, gate {entry['gate']}]")
        lines.append(f"    {entry['rule']}")
        for test in entry["tests"] or ():
            lines.append(f"      {test.split('::', 1)[1]}")
        if entry["tests"] == []:
            lines.append("      (no test in this environment: nothing of it is configured)")
    if env is None:
        lines.append(f"{len(entries)} checks; `golive checks --env ENV` lists the tests each produces there")
    else:
        tests = sum(len(entry["tests"]) for entry in entries)
        source = " (golive's examples)" if places.uses_examples(config_dir) else ""
        lines.append(f"{len(entries)} checks, {tests} tests for {env}{source}")
    return "\n".join(lines)
