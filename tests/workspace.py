"""Environments written to a temporary folder, and golive runs whose verdict is read back
from their JUnit XML and evidence.

A run is `golive verify` as the command runs it, by default in this process (tests/runs.py
says what that preserves); moto's server and the loopback DNS server start for each run, so
no test can reach AWS. Runs of the same inputs are shared by every test of the process.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from runs import ROOT, VOLATILE_ENV, run_in_process, run_subprocess

CONFIG = ROOT / "config"


@dataclass
class Outcome:
    status: str  # passed | failed | error (could not see) | advisory | waived | skipped
    message: str
    properties: dict[str, str]  # the check's gate, severity and outcome, from evidence.json


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
    """Apply a defect to the demo (scenario and/or config), run it, and expect `check` to be its one failure
    (or, for an advisory check, its one advisory finding)."""
    demo_defect(check, scenario, config).apply(workspace)
    result = workspace.verify("demo")
    assert names(result, "failed") | names(result, "advisory") == {check}, result.output
    assert names(result, "error") == set(), result.output
    return result.outcomes[check].message


@dataclass(frozen=True)
class Defect:
    """One defect of a batch: how it changes the workspace, and the one check it must fail."""

    check: str
    apply: Callable[[Workspace], None]


def demo_defect(check: str, scenario: Any = None, config: Any = None) -> Defect:
    """A defect of the demo's scenario and/or config: `change(data)` alters each file in place."""

    def apply(workspace: Workspace) -> None:
        if scenario:
            workspace.edit("scenarios/demo.yaml", scenario)
        if config:
            workspace.edit("demo.yaml", config)

    return Defect(check, apply)


def verify_batch(workspace: Workspace, defects: list[Defect], env: str = "demo") -> RunResult:
    """Apply defects that touch different records, identities or checks to `env`, all in one run.

    Only for defects known not to interfere: a batch cannot show that one defect leaves the
    other defects' checks alone, only that together they fail exactly their checks."""
    checks = [d.check for d in defects]
    assert len(set(checks)) == len(checks), "one check per defect, or the failures cannot tell them apart"
    for defect in defects:
        defect.apply(workspace)
    return workspace.verify(env)


def batch_run(name: str, defects: list[Defect]) -> Any:
    """A module-scoped fixture `name`: the run of `defects` together (see verify_batch)."""

    @pytest.fixture(scope="module", name=name)
    def run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
        return verify_batch(Workspace(tmp_path_factory.mktemp(name.replace("_", "-"))), defects)

    return run


def expect_failure_of_batch(result: RunResult, defects: list[Defect], check: str) -> str:
    """Expect the batch's run to fail exactly the defects' checks, `check` among them; its message."""
    assert names(result, "failed") | names(result, "advisory") == {d.check for d in defects}, result.output
    assert names(result, "error") == set(), result.output
    return result.outcomes[check].message


def _short(name: str) -> str:
    return name.split("[", 1)[1].rstrip("]") if "[" in name else name


def junit_verdict(report_dir: Path) -> str | None:
    """The verdict junit.xml carries as a property of its suite."""
    suite = ET.parse(report_dir / "junit.xml").getroot().find("testsuite")
    return next((p.get("value") for p in suite.iter("property") if p.get("name") == "golive_verdict"), None)


JUNIT_STATUS = {"failure": "failed", "error": "error", "skipped": "skipped"}


def _parse_junit(path: Path) -> dict[str, Outcome]:
    """Each test case's status as CI counts it (a failure, an error, a skip), a skip told apart by
    golive's message (`advisory: …`, `waived: …`); its gate, severity and outcome from evidence.json."""
    evidence = path.with_name("evidence.json")
    checks = json.loads(evidence.read_text())["checks"] if evidence.exists() else {}
    outcomes = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        status, message = "passed", ""
        node = next((c for c in case if c.tag in JUNIT_STATUS), None)
        if node is not None:
            message = (node.get("message") or "") + "\n" + (node.text or "")
            status = JUNIT_STATUS[node.tag]
            if status == "skipped" and message.split(":", 1)[0] in ("advisory", "waived"):
                status = message.split(":", 1)[0]
        check = next((c for n, c in checks.items() if n.split("::", 1)[-1] == case.get("name")), {})
        properties = {key: check[key] for key in ("gate", "severity", "outcome") if key in check}
        outcomes[case.get("name")] = Outcome(status, message, properties)
    return outcomes


class Workspace:
    """A config folder of one's own: the project's environments and scenarios, ready to edit.

    With `shared`, a run whose inputs an earlier run of the process had is not run again:
    the earlier result, and its reports, are returned.
    """

    def __init__(self, root: Path, shared: SharedRuns | None = None) -> None:
        self.config_dir = root / "config"
        self.reports_dir = root / "reports"
        self._shared = shared
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

    def verify(
        self, env: str, *extra: str, env_vars: dict[str, str] | None = None, in_subprocess: bool = False
    ) -> RunResult:
        """`golive verify ENV EXTRA` on this config; `in_subprocess` runs the command itself, never shared."""
        env_vars = env_vars or {}
        if in_subprocess:
            return verify_in(self.config_dir, self.reports_dir, env, extra, env_vars, run_subprocess)
        if self._shared is not None:
            return self._shared.verify(self.config_dir, env, extra, env_vars)
        return verify_in(self.config_dir, self.reports_dir, env, extra, env_vars, run_in_process)


class SharedRuns:
    """The runs of one test process (one xdist worker), by their inputs: the config folder's
    files, the arguments and the environment. Each is run once, on its own copy of the config,
    into reports no test writes to."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._results: dict[str, RunResult] = {}

    def verify(self, config_dir: Path, env: str, extra: tuple[str, ...], env_vars: dict[str, str]) -> RunResult:
        key = _inputs_key(config_dir, env, extra, {**os.environ, **env_vars})
        if key not in self._results:
            home = self._root / key[:16]
            shutil.copytree(config_dir, home / "config")
            self._results[key] = verify_in(home / "config", home / "reports", env, extra, env_vars, run_in_process)
        return self._results[key]


def _inputs_key(config_dir: Path, env: str, extra: tuple[str, ...], environ: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in config_dir.rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(config_dir)}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    variables = sorted((k, v) for k, v in environ.items() if k not in VOLATILE_ENV)
    digest.update(json.dumps([env, list(extra), variables]).encode())
    return digest.hexdigest()


def verify_in(
    config_dir: Path,
    reports_dir: Path,
    env: str,
    extra: tuple[str, ...],
    env_vars: dict[str, str],
    runner: Callable[[list[str], dict[str, str]], tuple[int, str]],
) -> RunResult:
    """Run `golive verify` with `runner` on these folders; read back the report it wrote, if any."""
    before = set(reports_dir.glob("*/*")) if reports_dir.exists() else set()
    argv = ["verify", env, f"--config-dir={config_dir}", f"--reports-dir={reports_dir}", *extra]
    exit_code, output = runner(argv, env_vars)
    created = (
        sorted(p for p in set(reports_dir.glob("*/*")) - before if p.name != "latest") if reports_dir.exists() else []
    )
    report_dir = created[-1] if created else None
    outcomes = {}
    if report_dir is not None and (report_dir / "junit.xml").exists():
        outcomes = _parse_junit(report_dir / "junit.xml")
    return RunResult(exit_code, output, report_dir, outcomes)
