"""golive's own options of a gate run: selections by region, severity and gate, the markers `-m`
selects by, and the credentials that override the config's.

A selection narrows the suite, so a selected run is PARTIAL at best (GateRun decides): the
plugin names it in the terminal, the report and evidence.json (`described`), and `latest` does
not move. `--region R` keeps every check of R and the region-less ones (a domain's SPF and DMARC,
the principals' policies); `--severity` and `--gate` keep the checks with that marker value;
given together, a check must pass each of them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from golive import CHECKS
from golive.config import Config
from golive.evidence import jira
from golive.evidence.gates import GATES, SEVERITIES

ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/([\w+=,.@-]+/)*[\w+=,.@-]+")
PROFILE_VAR, ROLE_ARN_VAR = "GOLIVE_PROFILE", "GOLIVE_ROLE_ARN"
CHOICES = ("region", "severity", "gate")
# pytest's own markers, registered only once its plugins configure (after golive's checks of the options)
PYTEST_MARKERS = ("skip", "skipif", "xfail", "parametrize", "usefixtures", "filterwarnings")
# pytest-xdist's options, by the name a refusal gives them
XDIST_OPTIONS = {
    "-n/--numprocesses": re.compile(r"-n.*|--numprocesses(=.*)?"),
    "--maxprocesses": re.compile(r"--maxprocesses(=.*)?"),
    "--dist": re.compile(r"-d|--dist(=.*)?"),
    "--tx": re.compile(r"--tx(=.*)?"),
}


def one_process(flag: str) -> str:
    return (
        f"golive verify runs in one process: {flag} would start a session per worker, each making every "
        "AWS call again; drop it (golive reads the regions concurrently already)"
    )


def workers_asked(args: list[str]) -> str | None:
    """The first of pytest-xdist's options among a command's pytest options (`golive verify` does
    not load xdist, so pytest itself would only call it unrecognized)."""
    return next((flag for arg in args for flag, form in XDIST_OPTIONS.items() if form.fullmatch(arg)), None)


def add_options(group: Any) -> None:
    group.addoption(
        "--region",
        action="append",
        default=[],
        metavar="REGION",
        help="only the checks of this region of the config, and the region-less ones (repeatable): a partial run",
    )
    group.addoption(
        "--severity",
        action="append",
        default=[],
        metavar="SEVERITY",
        help=f"only the checks of this severity ({', '.join(SEVERITIES)}; repeatable): a partial run",
    )
    group.addoption(
        "--gate", action="append", default=[], metavar="GATE", help="only the checks of this gate (repeatable)"
    )
    group.addoption(
        "--send-test",
        action="store_true",
        help="also send a test message from the sender to SES's mailbox simulator: the one write golive makes",
    )
    group.addoption(
        "--profile",
        default=os.environ.get(PROFILE_VAR) or None,
        help=f"live mode: the AWS profile to use instead of the config's aws.profile (env {PROFILE_VAR})",
    )
    group.addoption(
        "--role-arn",
        default=os.environ.get(ROLE_ARN_VAR) or None,
        help=f"live mode: the audit role to assume instead of the config's aws.role_arn (env {ROLE_ARN_VAR})",
    )
    jira.add_option(group)  # not a selection: the summary's format, one more option of a gate run


def register_markers(config: pytest.Config) -> None:
    """Each severity and each gate is a marker every check carries, so `-m critical` or `-m 'dkim or spf'`
    select by them (and --strict-markers still refuses a misspelt one)."""
    for severity in SEVERITIES:
        config.addinivalue_line("markers", f"{severity}: the checks of severity {severity} (golive)")
    for gate in GATES:
        config.addinivalue_line("markers", f"{gate.id}: the checks of the gate {gate.title!r} (golive)")


def described(option: Any) -> list[str]:
    """The selection in the user's words, for the terminal, the report and evidence.json."""
    return [f"--{name} {' '.join(getattr(option, name))}" for name in CHOICES if getattr(option, name, None)]


def check_choices(config: pytest.Config, golive_config: Config) -> None:
    """A region the config does not hold, an unknown severity or gate: a usage error, before any AWS."""
    check_markexpr(config)
    known = {"region": golive_config.regions, "severity": SEVERITIES, "gate": tuple(g.id for g in GATES)}
    for name in CHOICES:
        unknown = [value for value in config.getoption(name) if value not in known[name]]
        if unknown:
            raise pytest.UsageError(
                f"--{name} {unknown[0]}: not a {name} {'of ' + golive_config.env if name == 'region' else 'of golive'}; "
                f"expected one of {', '.join(known[name])}"
            )


def check_markexpr(config: pytest.Config) -> None:
    """-m naming a marker no check carries: a usage error now, before AWS is opened and a report begun
    (pytest itself would refuse it only at collection)."""
    markexpr = config.option.markexpr
    if not markexpr:
        return
    from _pytest.mark.expression import Expression

    try:
        names = Expression.compile(markexpr).idents()
    except SyntaxError as exc:  # pytest reports a malformed expression as one
        raise pytest.UsageError(f"-m {markexpr!r}: {exc}") from None
    known = {"golive", *SEVERITIES, *(g.id for g in GATES), *PYTEST_MARKERS}
    known |= {line.split(":")[0].split("(")[0].strip() for line in config.getini("markers")}
    unknown = sorted(names - known)
    if unknown:
        raise pytest.UsageError(
            f"-m {markexpr!r}: {', '.join(unknown)} is not a marker of golive's checks; "
            f"they carry their severity ({', '.join(SEVERITIES)}) and their gate (golive checks lists them)"
        )


def refuse_workers(config: pytest.Config) -> None:
    """pytest-xdist's workers would each open a session and make every AWS call again: a gate run
    is one process, whose regions are read in threads (golive/prefetch.py). `-n 0` starts none."""
    option = config.option
    # xdist turns -n into --dist load and --tx popen before this runs: name the first the user gave
    asked = next(
        (
            flag
            for flag, value in (
                ("-n/--numprocesses", getattr(option, "numprocesses", None)),
                ("--dist", getattr(option, "dist", "no") != "no"),
                ("--tx", getattr(option, "tx", None)),
            )
            if value
        ),
        None,
    )
    if asked:
        raise pytest.UsageError(one_process(asked))


def override_send_test(config: pytest.Config, golive_config: Config) -> None:
    """--send-test turns the config's test send on (before anything reads the ses section)."""
    if config.getoption("send_test", False):
        golive_config.data.setdefault("ses", {}).setdefault("send_test", {})["enabled"] = True


def override_credentials(config: pytest.Config, golive_config: Config) -> None:
    """--profile and --role-arn (or GOLIVE_PROFILE, GOLIVE_ROLE_ARN) replace the config's credentials, so one
    config serves a laptop and a CI job. The embedded account reads no AWS setup: there they change nothing."""
    aws = golive_config.data["aws"]
    if aws.get("mode") == "moto":
        return
    profile, role_arn = config.getoption("profile"), config.getoption("role_arn")
    if role_arn and not ROLE_ARN.fullmatch(role_arn):
        raise pytest.UsageError(f"--role-arn {role_arn!r}: not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)")
    if profile:
        aws["profile"] = profile
    if role_arn:
        aws["role_arn"] = role_arn


class Selection:
    """The collection hook: every check carries its severity and gate as markers; --region,
    --severity and --gate deselect (reported through pytest_deselected, as -k and -m are)."""

    def __init__(self, option: Any) -> None:
        self.regions = set(option.region)
        self.severities = set(option.severity)
        self.gates = set(option.gate)

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        for item in items:
            marker = item.get_closest_marker("golive")
            for key in ("severity", "gate") if marker else ():
                if marker.kwargs.get(key) in {*SEVERITIES, *(g.id for g in GATES)}:
                    item.add_marker(marker.kwargs[key])
        if not (self.regions or self.severities or self.gates):
            return
        kept = [item for item in items if self.chosen(item)]
        if len(kept) < len(items):
            chosen = set(kept)
            config.hook.pytest_deselected(items=[item for item in items if item not in chosen])
            items[:] = kept

    def chosen(self, item: pytest.Item) -> bool:
        marker = item.get_closest_marker("golive")
        kwargs = marker.kwargs if marker else {}
        if self.severities and kwargs.get("severity") not in self.severities:
            return False
        if self.gates and kwargs.get("gate") not in self.gates:
            return False
        regions = region_of(item)
        return not self.regions or not regions or bool(regions & self.regions)


def region_of(item: pytest.Item) -> set[str]:
    """The regions a test's cases name; none for a region-less check (a domain, a principal's policies)."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    return {case.region for case in params.values() if isinstance(getattr(case, "region", None), str)}


def narrowing(config: pytest.Config) -> list[str]:
    """What narrows the suite, given on the command line or through PYTEST_ADDOPTS."""
    found = described(config.option)
    paths = [a for a in config.args if Path(a.split("::")[0]).resolve() != CHECKS]
    if paths:
        found.append(f"paths {' '.join(paths)}")
    for option, flag in (("keyword", "-k"), ("markexpr", "-m")):
        if getattr(config.option, option, ""):
            found.append(f"{flag} {getattr(config.option, option)!r}")
    for option, flag in (("deselect", "--deselect"), ("ignore", "--ignore"), ("ignore_glob", "--ignore-glob")):
        if getattr(config.option, option, None):
            found.append(f"{flag} {' '.join(getattr(config.option, option))}")
    return found
