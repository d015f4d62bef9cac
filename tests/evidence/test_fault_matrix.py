"""The fault matrix: the demo, whose truth is GO, audited live through an HTTP proxy and a DNS
server that break one thing at a time. Whatever breaks, golive never says GO unless the truth
is still GO (a throttle that clears, a read the run does not need, an answer that needs TCP),
writes its report, and names the fault.

Each test runs its part of the matrix against one embedded account (moto's state is per
process, so the cases of a part run one after another) and prints it as a table:
`pytest -s tests/evidence/test_fault_matrix.py` shows them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype
import dns.rrset
import pytest
from faults import Answer, DnsFault, FaultDNS, FaultProxy, Request, aws_error
from workspace import ROOT, RunResult, Workspace

from golive.areas import auditor_policy
from golive.aws import declared_reads, permission
from golive.embedded.account import EmbeddedAccount
from golive.embedded.scenario import load_scenario

GO, NO_GO, BAD_INPUT = 0, 1, 4
IAM_SIMULATOR = "SimulatePrincipalPolicy"  # denied, `aws.simulator: auto` answers with the local engine
DOMAIN = "bizassist.example"
DMARC = f"_dmarc.{DOMAIN}"


@dataclass(frozen=True)
class Case:
    name: str
    fault: Callable[[], Callable[[Request], Answer | None]]  # a fresh fault per run (some count requests)
    truth: int  # the exit status a correct golive gives
    names: str = ""  # what the run's messages must say about the fault ("" when the truth is GO)
    dns: DnsFault = lambda query: None
    tcp_only: bool = False
    rewrite: Callable[[dns.message.Message], dns.message.Message] = lambda response: response
    never_met: bool = False  # the fault waits for a call the world never makes: the run is the baseline's


def no_aws_fault() -> Callable[[Request], Answer | None]:
    return lambda request: None


def dns_case(name: str, fault: DnsFault, truth: int, names: str = "", **changes: Any) -> Case:
    return Case(f"DNS: {name}", no_aws_fault, truth, names, fault, **changes)


def for_name(name: str, make: Callable[[dns.message.Message], dns.message.Message | str]) -> DnsFault:
    """`make` answers queries for `name` (`*.zone`: for every name under the zone)."""
    wanted = dns.name.from_text(name.removeprefix("*."))

    def fault(query: dns.message.Message) -> dns.message.Message | str | None:
        asked = query.question[0].name
        hit = asked.is_subdomain(wanted) and asked != wanted if name.startswith("*.") else asked == wanted
        return make(query) if hit else None

    return fault


def rcode(code: dns.rcode.Rcode) -> Callable[[dns.message.Message], dns.message.Message]:
    def answer(query: dns.message.Message) -> dns.message.Message:
        response = dns.message.make_response(query)
        response.set_rcode(code)
        return response

    return answer


def cname_to_itself(query: dns.message.Message) -> dns.message.Message:
    response = dns.message.make_response(query)
    name = query.question[0].name
    response.answer.append(dns.rrset.from_text(name, 300, "IN", "CNAME", name.to_text()))
    return response


def many_txt_records(response: dns.message.Message) -> dns.message.Message:
    """The zone's own answer with 40 more TXT records at the apex (site verifications pile up
    there): too big for UDP, so it arrives whole only over TCP."""
    apex = dns.name.from_text(DOMAIN)
    tokens = [f'"site-verification={n:02d}{"x" * 40}"' for n in range(40)]
    for rrset in response.answer:
        if rrset.name == apex and rrset.rdtype == dns.rdatatype.TXT:
            rrset.update(dns.rrset.from_text_list(apex, rrset.ttl, "IN", "TXT", tokens))
    return response


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
NO_FAULT = Case("no fault", no_aws_fault, GO)  # each table starts with it: the world itself is GO
AWS_CASES = [
    Case("throttling that clears", on("GetAccount", THROTTLED, times=2), GO),
    Case("throttling that never clears", on("GetAccount", THROTTLED), NO_GO, "Throttling"),
    Case("500", on("GetAccount", aws_error(500, "InternalFailure", "oops")), NO_GO, "InternalFailure"),
    Case("503", on("ListIdentities", aws_error(503, "ServiceUnavailable", "later")), NO_GO, "ServiceUnavailable"),
    Case("connection reset", on("GetSendStatistics", Answer(reset=True)), NO_GO, "Connection was closed"),
    Case("read timeout", on("DescribeAlarms", Answer(hang=2.0)), NO_GO, "Read timeout"),
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
DNS_CASES = [
    dns_case("SERVFAIL", for_name(DMARC, rcode(dns.rcode.SERVFAIL)), NO_GO, "SERVFAIL"),
    dns_case("REFUSED", for_name(DMARC, rcode(dns.rcode.REFUSED)), NO_GO, "REFUSED"),
    dns_case("no answer (timeout)", for_name(DMARC, lambda query: "drop"), NO_GO, "timed out"),
    dns_case("truncated over UDP, whole over TCP", lambda query: None, GO, tcp_only=True),
    dns_case("an answer too big for UDP", lambda query: None, GO, rewrite=many_txt_records),
    dns_case("a CNAME loop", for_name(f"*._domainkey.{DOMAIN}", cname_to_itself), NO_GO, "CNAME"),
]


@pytest.fixture
def live_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Workspace, FaultProxy, FaultDNS]]:
    """The demo's world in an embedded account, and a workspace auditing it live through the proxy."""
    config = ROOT / "config"
    account = EmbeddedAccount(load_scenario(config / "scenarios" / "demo.yaml", root=config), auditor_policy()).start()
    proxy = FaultProxy(account.endpoint_url)
    try:
        with proxy.running() as url, FaultDNS(account.dns_address) as resolver:
            host, port = resolver.address
            monkeypatch.setenv("AWS_ACCESS_KEY_ID", account.auditor.access_key_id)
            monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", account.auditor.secret_access_key)
            workspace = Workspace(tmp_path)

            def live(demo: dict) -> None:
                # unpaced: the faults are this matrix's subject; tests/test_prefetch.py proves the pacing
                unpaced = {"ses": None, "iam": None}
                demo["aws"] = {"mode": "live", "endpoint_url": url, "attempts": 3, "timeout": 1.5, "rate_limits": unpaced}
                demo["dns"] = {"resolver": {"nameservers": [host], "port": port}, "timeout": 2.0, "retries": 0}

            workspace.edit("demo.yaml", live)
            yield workspace, proxy, resolver
    finally:
        account.stop()


def test_aws_and_network_faults_never_make_a_false_go(live_demo: tuple[Workspace, FaultProxy, FaultDNS]) -> None:
    _matrix(live_demo, lambda used: AWS_CASES)


def test_dns_faults_never_make_a_false_go(live_demo: tuple[Workspace, FaultProxy, FaultDNS]) -> None:
    _matrix(live_demo, lambda used: DNS_CASES)


def test_access_denied_on_each_read_never_makes_a_false_go(live_demo: tuple[Workspace, FaultProxy, FaultDNS]) -> None:
    _matrix(
        live_demo, lambda used: [_denied(service, operation, used) for service, operation in sorted(declared_reads())]
    )


def _matrix(live_demo: tuple[Workspace, FaultProxy, FaultDNS], cases: Callable[[set[str]], list[Case | None]]) -> None:
    """Run the fault-free demo, then each of `cases(the operations it read)`; print the table and
    name every case that went wrong."""
    workspace, proxy, resolver = live_demo
    baseline = _run(workspace, proxy, resolver, NO_FAULT)
    used = {request.operation for request in proxy.seen}
    rows, wrong = [], []
    for case in [NO_FAULT, *filter(None, cases(used))]:
        result = baseline if case is NO_FAULT or case.never_met else _run(workspace, proxy, resolver, case)
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
    unused = operation not in used
    return Case(f"AccessDenied on {action}", on(operation, answer), truth, action if truth else "", never_met=unused)


def _run(workspace: Workspace, proxy: FaultProxy, resolver: FaultDNS, case: Case) -> RunResult:
    proxy.fault, proxy.seen = case.fault(), []
    resolver.fault, resolver.tcp_only, resolver.rewrite = case.dns, case.tcp_only, case.rewrite
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


def test_the_local_engine_answering_in_production_is_an_advisory_finding(
    live_demo: tuple[Workspace, FaultProxy, FaultDNS],
) -> None:
    """AWS's simulator denied to the auditor: `aws.simulator: auto` answers with the local engine,
    which cannot weigh SCPs or resource policies; in production that is said, as an advisory finding."""
    workspace, proxy, resolver = live_demo
    workspace.edit("demo.yaml", lambda demo: demo.update(production=True))
    check = "checks/test_iam_permissions.py::test_aws_weighed_every_permission[api]"
    simulated = _run(workspace, proxy, resolver, NO_FAULT)
    assert simulated.evidence["checks"][check]["outcome"] == "passed", simulated.output
    denied = aws_error(403, "AccessDenied", "User is not authorized to perform: iam:SimulatePrincipalPolicy")
    local = _run(workspace, proxy, resolver, Case("simulator denied", on(IAM_SIMULATOR, denied), GO))
    assert local.exit_code == simulated.exit_code, local.output  # advisory: the verdict does not change
    entry = local.evidence["checks"][check]
    assert entry["outcome"] == "advisory"
    assert "answered by golive's local engine" in local.outcome("api", "test_aws_weighed_every_permission").message
    assert "organization SCPs and RCPs" in entry["facts"]["weighing"]["not_weighed"]
