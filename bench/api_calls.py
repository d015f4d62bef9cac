"""Benchmark: AWS calls, wall time and peak memory of golive runs, as the checks multiply.

Runs `golive verify` on the shipped environments, then on generated worlds where the
number of tests grows (principals x actions x regions), and prints one row per run.
The promise it measures: AWS calls grow with regions and principals, not with tests.

    .venv/bin/python bench/api_calls.py
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTIONS = [
    "ses:SendEmail",
    "ses:SendRawEmail",
    "ses:GetSendQuota",
    "ses:GetSendStatistics",
    "ses:ListIdentities",
    "ses:GetIdentityVerificationAttributes",
    "ses:GetIdentityDkimAttributes",
    "ses:GetAccount",
    "ses:CreateEmailIdentity",
    "ses:DeleteEmailIdentity",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
]
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"]


def run(config_dir: Path, env: str, reports: Path) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "golive", "verify", env, f"--config-dir={config_dir}", f"--reports-dir={reports}", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    evidence = json.loads((reports / env / "latest" / "evidence.json").read_text())
    return {
        "env": env,
        "exit": completed.returncode,
        "tests": len(evidence["checks"]),
        "aws_calls": sum(evidence["aws_calls"].values()),
        "wall_s": round(wall, 2),
        "peak_rss_mb": round(peak / 1024, 1),
    }


def generated(config_dir: Path, principals: int, regions: int) -> str:
    """An environment with `principals` roles, each checked for every action in `regions` regions."""
    env = f"gen-p{principals}-r{regions}"
    scenario = {"version": 1, "iam": {"roles": {}}}
    config = {
        "account_id": "123456789012",
        "regions": REGIONS[:regions],
        "aws": {"mode": "moto", "scenario": f"scenarios/{env}.yaml"},
        "ses": {"from_address": "no-reply@bench.example", "domains": {"bench.example": None}},
        "principals": {},
    }
    for n in range(principals):
        name = f"role-{n}"
        statement = {"Effect": "Allow", "Action": ACTIONS[: 6 + n % 6], "Resource": "*"}
        scenario["iam"]["roles"][name] = {"inline": {"p": {"Version": "2012-10-17", "Statement": [statement]}}}
        config["principals"][name] = {
            "arn": f"arn:aws:iam::123456789012:role/{name}",
            "must_allow": ACTIONS[:8],
            "must_deny": ACTIONS[8:],
        }
    (config_dir / "scenarios" / f"{env}.yaml").write_text(yaml.safe_dump(scenario))
    (config_dir / f"{env}.yaml").write_text(yaml.safe_dump(config))
    return env


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config_dir = Path(tmp) / "config"
        shutil.copytree(ROOT / "config", config_dir)
        reports = Path(tmp) / "reports"
        envs = ["demo", "seed-permissions"] + [
            generated(config_dir, p, r) for p, r in ((1, 1), (10, 1), (10, 4), (40, 4))
        ]
        columns = ("env", "exit", "tests", "aws_calls", "wall_s", "peak_rss_mb")
        print(" ".join(f"{c:>12}" for c in columns))
        for env in envs:
            row = run(config_dir, env, reports)
            print(" ".join(f"{row[c]:>12}" for c in columns))


if __name__ == "__main__":
    main()
