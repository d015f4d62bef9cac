"""The whole check suite of an environment, as golive expects to run it: every check function
in checks/, with the ids its facts declare for the environment.

A GO is a promise about the whole suite, so the verdict compares what ran with this list:
a check narrowed away, deselected, ignored or cut short by an interruption is missing from
the run, and the run cannot be GO. The list is read from the check modules' source (not
imported), so a module the run was told to ignore is still expected.
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass
from pathlib import Path

from golive import CHECKS, areas
from golive.config import Config


@dataclass(frozen=True)
class ExpectedCheck:
    nodeid: str
    gate: str
    severity: str


@dataclass(frozen=True)
class CheckFunction:
    """One check function of the suite, as its source declares it (`golive checks` lists these)."""

    path: Path
    function: ast.FunctionDef
    gate: str
    severity: str
    rule: str  # the docstring's first paragraph, as the report's Rule column shows it

    @property
    def name(self) -> str:
        return self.function.name

    def ids(self, config: Config) -> list[str]:
        return [f"{self.name}{suffix}" for suffix in _ids(self.function, config)]


def catalogue() -> list[CheckFunction]:
    """Every check function of checks/, file by file, in the order of its source."""
    found = []
    for path in sorted(CHECKS.glob("test_*.py")):
        module = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for function in module.body:
            if isinstance(function, ast.FunctionDef) and function.name.startswith("test_"):
                doc = ast.get_docstring(function) or ""
                rule = " ".join(doc.strip().split("\n\n")[0].split())
                found.append(CheckFunction(path, function, *_marker(function), rule))
    return found


def expected_checks(config: Config, rootdir: Path) -> dict[str, ExpectedCheck]:
    """Every test the environment's suite holds, by node id (relative to pytest's rootdir)."""
    found: dict[str, ExpectedCheck] = {}
    for check in catalogue():
        for test in check.ids(config):
            nodeid = f"{_relative(check.path, rootdir)}::{test}"
            found[nodeid] = ExpectedCheck(nodeid, check.gate, check.severity)
    return found


def _relative(path: Path, rootdir: Path) -> str:
    """The file's part of a node id, as pytest writes it: relative to the rootdir, or, for a suite
    outside it (`pytest --env ENV` in a project of the user's), to the checks folder it collected."""
    for base in (rootdir.resolve(), CHECKS):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.as_posix()


def _marker(function: ast.FunctionDef) -> tuple[str, str]:
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == "pytest.mark.golive":
            kwargs = {k.arg: k.value.value for k in decorator.keywords if isinstance(k.value, ast.Constant)}
            return str(kwargs.get("gate", "")), str(kwargs.get("severity", ""))
    return "", ""


def _ids(function: ast.FunctionDef, config: Config) -> list[str]:
    """'' for a check without facts; '[id]' per case otherwise (ids of several facts joined as pytest joins them)."""
    facts = sorted(arg.arg for arg in function.args.args if arg.arg in areas.facts())
    if not facts:
        return [""]
    per_fact = [[case.id for case in areas.cases_for(fact, config)] for fact in facts]
    return [f"[{'-'.join(combination)}]" for combination in itertools.product(*per_fact)]
