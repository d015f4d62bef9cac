"""How golive's own tests run `golive verify`: in this process, or as the command itself.

A run in this process calls `golive.__main__.main`, the command's own entry point, and
leaves the process as it found it, so that the next run, and the next test, see nothing of
it. A subprocess costs seconds of imports per run and proves only what the process adds:
its exit status, and that nothing is printed when the interpreter ends.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from _pytest.assertion.rewrite import AssertionRewritingHook
from _pytest.unraisableexception import gc_collect_iterations_key

ROOT = Path(__file__).resolve().parent.parent
CHECKS = ROOT / "golive" / "checks"
# pytest sets this for the test it runs: it names the test, not an input of a run
VOLATILE_ENV = frozenset({"PYTEST_CURRENT_TEST"})


def run_subprocess(argv: list[str], env_vars: dict[str, str]) -> tuple[int, str]:
    """`python -m golive ARGV` from the project root: its exit status and stdout + stderr."""
    completed = subprocess.run(
        [sys.executable, "-m", "golive", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env_vars},
    )
    return completed.returncode, completed.stdout + completed.stderr


def run_in_process(argv: list[str], env_vars: dict[str, str]) -> tuple[int, str]:
    """`golive.__main__.main(ARGV)` in this process: its exit status and stdout + stderr."""
    from golive.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    with _process_state_restored(env_vars), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        # this process may be an xdist worker: the run must not distribute its checks
        code = main([*argv, "-p", "no:xdist"], plugins=[_InProcess()])
    return code, out.getvalue() + err.getvalue()


class _InProcess:
    @pytest.hookimpl(tryfirst=True)
    def pytest_configure(self, config: pytest.Config) -> None:
        # A run ends with a full garbage collection to catch unraisable exceptions; in this
        # process it walks every object of the outer session too, for ~1 s (pytester does the same)
        config.stash[gc_collect_iterations_key] = 0


@contextlib.contextmanager
def _process_state_restored(env_vars: dict[str, str]) -> Iterator[None]:
    cwd = os.getcwd()  # main() changes to the project root
    environ = dict(os.environ)
    path = list(sys.path)  # pytest puts checks/ first to import the checks
    meta_path = list(sys.meta_path)
    modules = dict(sys.modules)
    root_logger = logging.getLogger()
    handlers, level = list(root_logger.handlers), root_logger.level
    threads = set(threading.enumerate())
    # pytest imports the checks by bare name (`test_dns`): a module of that name already
    # imported here, or left by an earlier run, would shadow them.
    for check in CHECKS.glob("test_*.py"):
        sys.modules.pop(check.stem, None)
    # The outer session's assertion rewriter would rewrite the checks as it imports them;
    # the command runs them with plain asserts, so a failure carries the check's own message.
    sys.meta_path[:] = [finder for finder in meta_path if not isinstance(finder, AssertionRewritingHook)]
    os.environ.update(env_vars)
    try:
        with warnings.catch_warnings():
            yield
    finally:
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(environ)
        sys.path[:] = path
        sys.meta_path[:] = meta_path
        _restore_modules(modules)
        root_logger.handlers[:] = handlers
        root_logger.setLevel(level)
    # A subprocess ends its servers' daemon threads by exiting; here a run must stop them itself,
    # or a refused scenario would leave a moto server serving the process's shared state.
    left = set(threading.enumerate()) - threads
    for thread in left:
        thread.join(timeout=5)
    assert not [t for t in left if t.is_alive()], f"the run left threads running: {left}"


def _restore_modules(before: dict[str, ModuleType]) -> None:
    """Forget the modules pytest imported from the project's conftest and checks: the next run
    imports them afresh. Libraries the run imported stay loaded, as in any long-lived process."""
    for name, module in list(sys.modules.items()):
        if name not in before and _collected(module):
            del sys.modules[name]
    sys.modules.update(before)


def _collected(module: ModuleType) -> bool:
    file = getattr(module, "__file__", None)
    if file is None:
        return False
    path = Path(file).resolve()
    return path.parent == CHECKS or path == ROOT / "conftest.py"
