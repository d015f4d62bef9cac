"""Benchmark: `golive verify` on generated worlds of every size, each run a process of its own.

Writes bench/results.json and bench/RESULTS.md: per size its AWS calls beside the minimum
(bench/minimum.py) and their ratio, what one call per check would cost, wall and CPU time and
peak memory, and the machine it ran on. bench/plot.py draws bench/results.png from the JSON.

    .venv/bin/python -m bench.run            # the whole grid (`make bench`)
    .venv/bin/python -m bench.run --only bench-r1-i10-p1-a6
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.minimum import SIMULATION, minimum_calls, per_check_calls
from bench.worlds import Shape, write_world
from golive.aws import ses_regions

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "bench"
BASE = Shape(regions=1, identities=10, principals=1, actions=6)
# one axis at a time from the base, then the corners the issue names: not the full cross product
# (36 worlds, hours on two cores), but every value of every axis
GRID = (
    BASE,
    Shape(4, 10, 1, 6),
    Shape(17, 10, 1, 6),
    Shape(1, 100, 1, 6),
    Shape(1, 1000, 1, 6),
    Shape(1, 10, 5, 6),
    Shape(1, 10, 1, 30),
    Shape(4, 10, 5, 30),
    Shape(17, 1000, 1, 6),
)


def measure(shape: Shape, config_dir: Path, reports: Path) -> dict[str, Any]:
    """One `golive verify` of `shape`'s world: its calls and what the process cost."""
    env = write_world(shape, config_dir)
    argv = [sys.executable, "-m", "golive", "verify", env, f"--config-dir={config_dir}", f"--reports-dir={reports}"]
    log = reports / f"{env}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as output:
        started = time.perf_counter()
        process = subprocess.Popen([*argv, "-q"], cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
        # wait4: this child's own CPU time and peak RSS, not the maximum over every child so far
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # GO or NO-GO: anything else measured nothing
        raise SystemExit(f"{env}: golive verify exited {os.waitstatus_to_exitcode(status)}:\n{log.read_text()}")
    evidence = json.loads((reports / env / "latest" / "evidence.json").read_text())
    calls = dict(sorted(evidence["aws_calls"].items()))
    regions = len(ses_regions())
    minimum = minimum_calls(shape, regions)
    return {
        "env": env,
        "shape": vars(shape),
        "exit": os.waitstatus_to_exitcode(status),
        "verdict": evidence["verdict"],
        "checks": len(evidence["checks"]),
        "calls": calls,
        "minimum": minimum,
        "per_check": per_check_calls(sorted(evidence["checks"]), shape, regions),
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
    }


def machine() -> dict[str, Any]:
    model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in line),
        platform.processor() or "unknown",
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def results_markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        "# golive benchmark results",
        "",
        "Written by `make bench` (`bench/run.py`); the plot is `results.png` (`bench/plot.py`).",
        f"Machine: {m['nproc']} cores, {m['cpu']}, Python {m['python']}, {m['platform']}; run {m['date']}.",
        "",
        "Each world is the demo grown (`bench/worlds.py`): regions × identities per region × principals ×",
        "actions per principal, embedded. The grid varies one axis at a time from the smallest world",
        "(r1-i10-p1-a6), then the corners 4 regions × 5 principals × 30 actions and 17 regions ×",
        "1,000 identities. *minimum* is `bench/minimum.py`'s (exact but for simulations, a floor);",
        "*per check* what one call per check and resource would cost (awspec's way); *sims* the",
        "simulator's share of the calls. Wall and CPU are one run's, peak RSS the process's.",
        "",
        "| world | verdict | checks | AWS calls | minimum | ratio | sims (min) | per check | per check / calls "
        "| wall s | CPU s | peak RSS MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["runs"]:
        calls, minimum = sum(row["calls"].values()), sum(row["minimum"].values())
        lines.append(
            f"| {row['env'].removeprefix('bench-')} | {row['verdict']} | {row['checks']} | {calls} | {minimum} "
            f"| {calls / minimum:.2f} | {row['calls'].get(SIMULATION, 0)} ({row['minimum'][SIMULATION]}) "
            f"| {row['per_check']} | {row['per_check'] / calls:.1f} | {row['wall_s']} | {row['cpu_s']} "
            f"| {row['peak_rss_mb']} |"
        )
    lines += ["", "## Calls per operation beyond the minimum", ""]
    for row in results["runs"]:
        over = {op: (n, row["minimum"].get(op, 0)) for op, n in row["calls"].items() if n != row["minimum"].get(op, 0)}
        shown = ", ".join(f"{op} {n} (min {least})" for op, (n, least) in over.items()) or "none"
        lines.append(f"- {row['env'].removeprefix('bench-')}: {shown}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", help="run only this world (a name like bench-r1-i10-p1-a6)")
    parser.add_argument("--out", type=Path, default=HERE, help="where results.json and RESULTS.md go")
    args = parser.parse_args(argv)
    shapes = [s for s in GRID if not args.only or s.name in args.only]
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        config_dir = Path(tmp) / "config"
        shutil.copytree(ROOT / "config", config_dir)
        for shape in shapes:
            row = measure(shape, config_dir, Path(tmp) / "reports")
            print(f"{row['env']}: {sum(row['calls'].values())} calls, {row['wall_s']} s, {row['peak_rss_mb']} MB", flush=True)
            runs.append(row)
    results = {"machine": machine(), "runs": runs}
    (args.out / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    (args.out / "RESULTS.md").write_text(results_markdown(results))


if __name__ == "__main__":
    main()
