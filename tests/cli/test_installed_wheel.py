"""golive as a user installs it: its wheel, built from a copy of the checkout, installed into a
fresh virtualenv outside it, run from an empty folder. No network: the build uses the lock's
setuptools and wheel already installed here, the wheel goes in with --no-index --no-deps, and a
.pth file lends the virtualenv this environment's dependencies (the wheel's own golive comes
first, and this environment holds no other)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from runs import ROOT
from timebox import within

from golive import __version__
from golive.config import load_config
from golive.suite import expected_checks

OFFLINE = ["--no-index", "--disable-pip-version-check", "--quiet"]


def _run(argv: list[str], cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTEST_ADDOPTS", "PYTEST_CURRENT_TEST")}
    env["PIP_NO_INPUT"] = "1"
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the virtualenv, an empty folder to run in), with golive's wheel installed."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"  # a copy: building writes build/ and *.egg-info beside the sources
    shutil.copytree(ROOT / "golive", source / "golive", symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "config", source / "config")  # golive/examples links to it
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    with within(60):
        built = _run([sys.executable, "-m", "pip", "wheel", *OFFLINE, "--no-build-isolation", "--no-deps",
                      "-w", str(base / "dist"), str(source)], base)  # fmt: skip
        assert built.returncode == 0, built.stdout + built.stderr
        venv = base / "venv"
        made = _run([sys._base_executable, "-m", "venv", "--without-pip", str(venv)], base)
        assert made.returncode == 0, made.stderr
        python = venv / "bin" / "python"
        (wheel,) = (base / "dist").glob("golive-*.whl")
        added = _run(
            [sys.executable, "-m", "pip", "--python", str(python), "install", *OFFLINE, "--no-deps", str(wheel)], base
        )
        assert added.returncode == 0, added.stdout + added.stderr
    site = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], base).stdout.strip()
    )
    (site / "golive-test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    empty = base / "empty"
    empty.mkdir()
    return venv, empty


def test_the_wheel_carries_the_suite_the_schemas_and_the_examples(installed):
    venv, _ = installed
    (wheel,) = (venv.parent / "dist").glob(f"golive-{__version__}-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    suite = {f"golive/checks/{p.name}" for p in (ROOT / "golive" / "checks").glob("test_*.py")}
    assert suite and suite <= names
    expected = {"golive/gate.ini", "golive/schema/config.yaml", "golive/examples/demo.yaml"}
    assert (
        expected | {"golive/examples/scenarios/demo.yaml", "golive/examples/scenarios/zones/bizassist.example.zone"}
        <= names
    )
    entry_points = zipfile.ZipFile(wheel).read(f"golive-{__version__}.dist-info/entry_points.txt").decode()
    assert "golive = golive.__main__:entry" in entry_points and "golive.plugin = golive.plugin" in entry_points


def test_the_installed_command_verifies_the_demo_from_an_empty_folder(installed):
    venv, empty = installed
    where = _run([str(venv / "bin" / "python"), "-c", "import golive; print(golive.__file__)"], empty)
    assert where.stdout.startswith(str(venv)), where.stdout + where.stderr  # the wheel's golive, not the checkout's
    with within(90):
        ran = _run([str(venv / "bin" / "golive"), "verify", "demo"], empty)
    output = ran.stdout + ran.stderr
    assert ran.returncode == 0, output
    demo = len(expected_checks(load_config("demo", ROOT / "config"), ROOT / "golive"))
    assert f"golive demo: GO ({demo} passed, 0 failed, 0 could not see)" in output  # the whole suite, as here
    assert "using the example environments shipped with golive" in output
    evidence = json.loads((empty / "reports" / "demo" / "latest" / "evidence.json").read_text())
    assert evidence["verdict"] == "GO"


def test_the_installed_command_lists_the_checks(installed):
    venv, empty = installed
    listed = _run([str(venv / "bin" / "golive"), "checks", "--env", "demo", "--format", "json"], empty)
    assert listed.returncode == 0, listed.stderr
    tests = {t for check in json.loads(listed.stdout)["checks"] for t in check["tests"]}
    assert tests == set(expected_checks(load_config("demo", ROOT / "config"), ROOT / "golive"))


def test_pytest_finds_golive_through_its_entry_point(installed):
    """`pytest --env demo` in a folder of the user's: the plugin comes from the entry point, the suite
    from the package (listed only: the run itself is `golive verify`'s, above)."""
    venv, empty = installed
    listed = _run([str(venv / "bin" / "python"), "-m", "pytest", "--env", "demo", "--collect-only", "-q"], empty)
    output = listed.stdout + listed.stderr
    assert listed.returncode == 0, output
    assert "test_dns.py::test_dkim_cnames_point_to_ses[ap-southeast-1-bizassist.example]" in output
    demo = len(expected_checks(load_config("demo", ROOT / "config"), ROOT / "golive"))
    assert re.search(rf"\b{demo}/\d+ tests collected \(\d+ deselected\)", output), output
