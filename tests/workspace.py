"""Environments written to a temporary folder, and a golive run in a subprocess whose verdict
is read back from its JUnit XML and evidence.

Each run is a real `python -m golive verify`: moto's server and the loopback DNS server
start in that process, so no test can reach AWS and no two runs share state.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config"


@dataclass
class Outcome:
    status: str  # passed | failed | error
    message: str
    properties: dict[str, str]


@dataclass
class RunResult:
    exit_code: int
    output: str
    report_dir: Path | None
    outcomes: dict[str, Outcome] = field(default_factory=dict)

    def ids(self, status: str) -> set[str]:
        """Test ids (the part in brackets, or the bare name) with this status."""
        return {_short(name) for name, o in self.outcomes.items() if o.status == status}

    def outcome(self, short_id: str, check: str | None = None) -> Outcome:
        """The outcome of the test with this id (of the check function `check`, where ids repeat)."""
        found = [
            o
            for name, o in self.outcomes.items()
            if _short(name) == short_id and (check is None or name.startswith(f"{check}["))
        ]
        assert len(found) == 1, f"{len(found)} tests have id {short_id!r}: name the check"
        return found[0]

    @property
    def evidence(self) -> dict[str, Any]:
        return json.loads((self.report_dir / "evidence.json").read_text())


def names(result: RunResult, status: str) -> set[str]:
    """Full test names (check and id) with this status: ids repeat across checks."""
    return {name for name, outcome in result.outcomes.items() if outcome.status == status}


def expect_only_failure(workspace: Workspace, check: str, scenario: Any = None, config: Any = None) -> str:
    """Apply a defect to the demo (scenario and/or config), run it, and expect `check` to be its one failure."""
    if scenario:
        workspace.edit("scenarios/demo.yaml", scenario)
    if config:
        workspace.edit("demo.yaml", config)
    result = workspace.verify("demo")
    assert names(result, "failed") == {check}, result.output
    assert names(result, "error") == set(), result.output
    return result.outcomes[check].message


def _short(name: str) -> str:
    return name.split("[", 1)[1].rstrip("]") if "[" in name else name


def _parse_junit(path: Path) -> dict[str, Outcome]:
    outcomes = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        status, message = "passed", ""
        for kind in ("failure", "error"):
            node = case.find(kind)
            if node is not None:
                status = "failed" if kind == "failure" else "error"
                message = (node.get("message") or "") + "\n" + (node.text or "")
        if case.find("skipped") is not None:
            status = "skipped"
        properties = {p.get("name"): p.get("value") for p in case.iter("property")}
        outcomes[case.get("name")] = Outcome(status, message, properties)
    return outcomes


class Workspace:
    """A config folder of one's own: the project's environments and scenarios, ready to edit."""

    def __init__(self, root: Path) -> None:
        self.config_dir = root / "config"
        self.reports_dir = root / "reports"
        shutil.copytree(CONFIG, self.config_dir)

    def read(self, relative: str) -> dict[str, Any]:
        return yaml.safe_load((self.config_dir / relative).read_text())

    def write(self, relative: str, data: dict[str, Any] | str) -> Path:
        path = self.config_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
        return path

    def edit(self, relative: str, change: Any) -> dict[str, Any]:
        """Load a YAML file, let `change(data)` alter it in place, write it back."""
        data = copy.deepcopy(self.read(relative))
        change(data)
        self.write(relative, data)
        return data

    def verify(self, env: str, *extra: str, env_vars: dict[str, str] | None = None) -> RunResult:
        before = set(self.reports_dir.glob("*/*")) if self.reports_dir.exists() else set()
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "golive",
                "verify",
                env,
                f"--config-dir={self.config_dir}",
                f"--reports-dir={self.reports_dir}",
                *extra,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, **(env_vars or {})},
        )
        output = completed.stdout + completed.stderr
        created = (
            sorted(p for p in set(self.reports_dir.glob("*/*")) - before if p.name != "latest")
            if self.reports_dir.exists()
            else []
        )
        report_dir = created[-1] if created else None
        outcomes = {}
        if report_dir is not None and (report_dir / "junit.xml").exists():
            outcomes = _parse_junit(report_dir / "junit.xml")
        return RunResult(completed.returncode, output, report_dir, outcomes)
