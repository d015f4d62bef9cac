"""The fault matrix: the demo, whose truth is GO, audited live through a proxy that breaks one
thing at a time. Whatever breaks, golive never says GO unless the truth is still GO (a
throttle that clears, a read the run does not need), writes its report, and names the fault.

One test runs the whole matrix against one embedded account (moto's state is per process) and
prints it as a table: `pytest -s tests/test_fault_matrix.py` shows it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from faults import Answer, FaultProxy, Request, aws_error
from workspace import ROOT, RunResult, Workspace

from golive.areas import auditor_policy
from golive.aws import declared_reads, permission
from golive.embedded.account import EmbeddedAccount
from golive.embedded.scenario import load_scenario

GO, NO_GO, BAD_INPUT = 0, 1, 4
IAM_SIMULATOR = "SimulatePrincipalPolicy"  # denied, `aws.simulator: auto` answers with the local engine


@dataclass(frozen=True)
class Case:
    name: str
    fault: Callable[[], Callable[[Request], Answer | None]]  # a fresh fault per run (some count requests)
    truth: int  # the exit status a correct golive gives
    names: str = ""  # what the run's messages must say about the fault ("" when the truth is GO)


def on(operation: str, answer: Answer, times: int | None = None) -> Callable[[], Callable[[Request], Answer | None]]:
    """`answer` for `operation` (its first `times` requests, or every one), the rest forwarded."""

    def fresh() -> Callable[[Request], Answer | None]:
        count = itertools.count()

        def fault(request: Request) -> Answer | None:
            if request.operation == operation and (times is None or next(count) < times):
                return answer
            return None

        return fault

    return fresh


def everywhere_but_sts(answer: Answer) -> Callable[[], Callable[[Request], Answer | None]]:
    return lambda: lambda request: None if request.operation == "GetCallerIdentity" else answer


THROTTLED = aws_error(400, "Throttling", "Rate exceeded")
CASES = [
    Case("no fault", lambda: lambda request: None, GO),
    Case("throttling that clears", on("GetAccount", THROTTLED, times=2), GO),
    Case("throttling that never clears", on("GetAccount", THROTTLED), NO_GO, "Throttling"),
    Case("500", on("GetAccount", aws_error(500, "InternalFailure", "oops")), NO_GO, "InternalFailure"),
    Case("503", on("ListIdentities", aws_error(503, "ServiceUnavailable", "later")), NO_GO, "ServiceUnavailable"),
    Case("connection reset", on("GetSendStatistics", Answer(reset=True)), NO_GO, "Connection was closed"),
    Case("read timeout", on("DescribeAlarms", Answer(hang=1.5)), NO_GO, "Read timeout"),
    Case("200, an HTML page", on("GetAccount", Answer(body=b"<html>proxy login</html>")), NO_GO, "GetAccount"),
    Case("200, {}", on("GetConfigurationSetEventDestinations", Answer(body=b"{}")), NO_GO, "not what the API"),
    Case(
        "credentials expire mid-run",
        everywhere_but_sts(aws_error(403, "ExpiredToken", "The security token included in the request is expired")),
        NO_GO,
        "ExpiredToken",
    ),
    Case(
        "invalid credentials",
        lambda: lambda request: aws_error(403, "InvalidClientTokenId", "The security token is invalid"),
        BAD_INPUT,
        "InvalidClientTokenId",
    ),
]


@pytest.fixture
def live_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Workspace, FaultProxy]]:
    """The demo's world in an embedded account, and a workspace auditing it live through the proxy."""
    config = ROOT / "config"
    account = EmbeddedAccount(load_scenario(config / "scenarios" / "demo.yaml", root=config), auditor_policy()).start()
    proxy = FaultProxy(account.endpoint_url)
    try:
        with proxy.running() as url:
            monkeypatch.setenv("AWS_ACCESS_KEY_ID", account.auditor.access_key_id)
            monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", account.auditor.secret_access_key)
            workspace = Workspace(tmp_path)
            host, port = account.dns_address

            def live(demo: dict) -> None:
                demo["aws"] = {"mode": "live", "endpoint_url": url, "attempts": 3, "timeout": 0.5}
                demo["dns"] = {"resolver": {"nameservers": [host], "port": port}}

            workspace.edit("demo.yaml", live)
            yield workspace, proxy
    finally:
        account.stop()


def test_no_fault_makes_a_false_go_and_each_is_named(live_demo: tuple[Workspace, FaultProxy]) -> None:
    workspace, proxy = live_demo
    baseline = _run(workspace, proxy, CASES[0])
    used = {request.operation for request in proxy.seen}
    denials = [_denied(service, operation, used) for service, operation in sorted(declared_reads())]
    rows, wrong = [], []
    for case in [CASES[0], *CASES[1:], *filter(None, denials)]:
        result = baseline if case is CASES[0] else _run(workspace, proxy, case)
        row, problem = _judge(case, result)
        rows.append(row)
        if problem:
            wrong.append(f"{case.name}: {problem}\n{result.output[-1500:]}")
    print(_table(rows))
    assert not wrong, "\n\n".join(wrong)


def _denied(service: str, operation: str, used: set[str]) -> Case | None:
    if operation == "GetCallerIdentity":
        return None  # the credentials check itself: "invalid credentials" covers its failure
    action = permission(service, operation)
    # a read the demo does not make, or the simulator (the local engine then answers), leaves the truth GO
    truth = GO if operation not in used or operation == IAM_SIMULATOR else NO_GO
    answer = aws_error(403, "AccessDenied", f"User is not authorized to perform: {action}")
    return Case(f"AccessDenied on {action}", on(operation, answer), truth, action if truth else "")


def _run(workspace: Workspace, proxy: FaultProxy, case: Case) -> RunResult:
    proxy.fault = case.fault()
    return workspace.verify("demo")


def _judge(case: Case, result: RunResult) -> tuple[tuple[str, ...], str]:
    said = [o.message for o in result.outcomes.values() if o.status in ("failed", "error")] + [result.output]
    named = not case.names or any(case.names in message for message in said)
    reported = result.report_dir is not None and (result.report_dir / "evidence.json").exists()
    errors = sum(o.status == "error" for o in result.outcomes.values())
    problem = ""
    if result.exit_code != case.truth:
        problem = f"exit {result.exit_code}, the truth is {case.truth}"
    elif not named:
        problem = f"no message names {case.names!r}"
    elif case.truth != BAD_INPUT and not reported:
        problem = "no report written"
    verdict = {GO: "GO", NO_GO: "NO-GO", BAD_INPUT: "stopped (exit 4)"}.get(result.exit_code, str(result.exit_code))
    truth = {GO: "GO", NO_GO: "NO-GO", BAD_INPUT: "exit 4"}[case.truth]
    row = (case.name, truth, verdict, str(errors), "yes" if reported else "no", "yes" if named else "NO")
    return row, problem


def _table(rows: list[tuple[str, ...]]) -> str:
    header = ("case", "truth", "golive said", "could not see", "report", "fault named")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(r, widths, strict=True)) for r in [header, *rows]]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n" + "\n".join(lines)
