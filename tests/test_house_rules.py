"""House rules for golive's own code, which stays small and split by concern: no file in golive/
(golive/checks/ included) over 400 lines, no function over 50 (from its def line to the end of its body)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from workspace import ROOT

MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 50
TREES = ("golive",)  # the checks are golive/checks/


def sources(root: Path) -> Iterator[Path]:
    for tree in TREES:
        yield from sorted((root / tree).rglob("*.py"))


def long_files(root: Path) -> list[str]:
    found = []
    for path in sources(root):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_FILE_LINES:
            found.append(f"{path.relative_to(root)}: {lines} lines")
    return found


def long_functions(root: Path) -> list[str]:
    found = []
    for path in sources(root):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    found.append(f"{path.relative_to(root)}:{node.lineno}: {node.name}() has {lines} lines")
    return found


def test_no_file_is_over_400_lines():
    too_long = long_files(ROOT)
    assert not too_long, f"split these by concern (at most {MAX_FILE_LINES} lines a file):\n" + "\n".join(too_long)


def test_no_function_is_over_50_lines():
    too_long = long_functions(ROOT)
    assert not too_long, f"split these (at most {MAX_FUNCTION_LINES} lines a function):\n" + "\n".join(too_long)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "golive" / "checks").mkdir(parents=True)
    body = "".join(f"    x{n} = {n}\n" for n in range(49))
    (tmp_path / "golive" / "deep").mkdir()
    (tmp_path / "golive" / "deep" / "module.py").write_text(
        f"def fits():\n{body}\n\nasync def grows():\n{body}    x = 0\n"
    )
    (tmp_path / "golive" / "checks" / "test_big.py").write_text("\n" * MAX_FILE_LINES + "x = 1\n")
    return tmp_path


def test_the_rules_name_each_file_and_function_that_breaks_them(tree):
    assert long_files(tree) == ["golive/checks/test_big.py: 401 lines"]
    assert long_functions(tree) == ["golive/deep/module.py:53: grows() has 51 lines"]
