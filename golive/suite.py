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

from golive import areas
from golive.config import Config

CHECKS = Path(__file__).resolve().parent.parent / "checks"


@dataclass(frozen=True)
class ExpectedCheck:
    nodeid: str
    gate: str
    severity: str


def expected_checks(config: Config, rootdir: Path) -> dict[str, ExpectedCheck]:
    """Every test the environment's suite holds, by node id (relative to pytest's rootdir)."""
    found: dict[str, ExpectedCheck] = {}
    for path in sorted(CHECKS.glob("test_*.py")):
        module = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        prefix = f"{_relative(path, rootdir)}::"
        for function in module.body:
            if not (isinstance(function, ast.FunctionDef) and function.name.startswith("test_")):
                continue
            gate, severity = _marker(function)
            for suffix in _ids(function, config):
                nodeid = f"{prefix}{function.name}{suffix}"
                found[nodeid] = ExpectedCheck(nodeid, gate, severity)
    return found


def _relative(path: Path, rootdir: Path) -> str:
    try:
        return path.relative_to(rootdir.resolve()).as_posix()
    except ValueError:
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
