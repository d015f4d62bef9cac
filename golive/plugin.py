"""golive's pytest plugin: every hook lives here.

A run is `pytest --env <name>` (what `make verify ENV=<name>` does): the config is loaded
and validated before collection, AWS is opened and the account confirmed before any
check, tests are generated from the config, and the run leaves report.html, junit.xml,
evidence.json and summary.md in reports/<env>/<UTC timestamp>/, with reports/<env>/latest beside it.
"""

from __future__ import annotations

import html
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from pytest_html import extras
from pytest_metadata.plugin import metadata_key

import golive
from golive import fixtures, summary
from golive.config import ConfigError, load_config
from golive.errors import CouldNotSee
from golive.inventory import cases_for, parametrized_fixtures
from golive.redact import redact
from golive.run import Run
from golive.stash import EVIDENCE, RUN
from golive.waivers import find

ROOT = Path(__file__).resolve().parent.parent
GATE_KEYS = ("gate", "severity")
SEVERITIES = ("critical", "high", "advisory")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("golive", "golive compliance gate")
    group.addoption("--env", default=None, help="environment to verify: config/<env>.yaml")
    group.addoption(
        "--config-dir", default=str(ROOT / "config"), help="where environment files live (default: config/)"
    )
    group.addoption("--reports-dir", default=str(ROOT / "reports"), help="where runs write reports (default: reports/)")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "golive(gate, severity): the go-live gate a check decides, and its severity")
    env = config.getoption("env")
    if env is None:
        if _runs_checks(config):
            raise pytest.UsageError("no environment given: run `make verify ENV=<name>` (pytest --env <name>)")
        return
    try:
        golive_config = load_config(env, Path(config.getoption("config_dir")))
    except ConfigError as exc:
        raise pytest.UsageError(str(exc)) from None
    run = Run.plan(golive_config, Path(config.getoption("reports_dir")))
    config.stash[RUN] = run
    for module in fixtures.MODULES:
        config.pluginmanager.register(module, f"golive-fixtures-{module.__name__.rsplit('.', 1)[-1]}")
    if config.option.collectonly:
        return  # listing the checks is not a run: no AWS, no report, no `latest`
    try:
        run.open()  # before the report writers configure: a run stopped here leaves no report
    except ConfigError as exc:
        run.close()
        raise pytest.UsageError(str(exc)) from None
    # the report paths are decided here, before pytest-html and junitxml read them
    config.option.htmlpath = str(run.report_dir / "report.html")
    config.option.self_contained_html = True
    config.option.xmlpath = str(run.report_dir / "junit.xml")


def _runs_checks(config: pytest.Config) -> bool:
    checks = ROOT / "checks"
    paths = [Path(a.split("::")[0]).resolve() for a in config.args] or [Path.cwd()]
    return any(p == checks or checks in p.parents for p in paths)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    run = session.config.stash.get(RUN, None)
    if run is None:
        return
    metadata = session.config.stash[metadata_key]
    metadata.clear()  # the header states the audit, not the machine's Python packages
    metadata.update(run.metadata())


def pytest_unconfigure(config: pytest.Config) -> None:
    run = config.stash.get(RUN, None)
    if run is not None:
        run.close()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    run = metafunc.config.stash.get(RUN, None)
    if run is None:
        return
    for fixture in sorted(parametrized_fixtures() & set(metafunc.fixturenames)):
        cases = cases_for(fixture, run.config)
        metafunc.parametrize(fixture, cases, ids=[c.id for c in cases], indirect=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.stash.get(RUN, None) is None:
        return
    # a check with nothing to check in this environment (no must_deny list, say) is not run at all:
    # a skip would read as "could not decide" in a compliance report
    empty = [i for i in items if _has_no_cases(i)]
    if empty:
        config.hook.pytest_deselected(items=empty)
        items[:] = [i for i in items if i not in empty]
    for item in items:
        marker = item.get_closest_marker("golive")
        if marker is None or any(k not in marker.kwargs for k in GATE_KEYS):
            raise pytest.UsageError(f"{item.nodeid}: a check needs @pytest.mark.golive(gate=..., severity=...)")
        if marker.kwargs["severity"] not in SEVERITIES:
            raise pytest.UsageError(f"{item.nodeid}: severity must be one of {', '.join(SEVERITIES)}")


def _has_no_cases(item: pytest.Item) -> bool:
    return any(str(m.kwargs.get("reason", "")).startswith("got empty parameter set") for m in item.iter_markers("skip"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    run = item.config.stash.get(RUN, None)
    if run is None or report.when == "teardown":
        return report
    report.description = _rule(item)
    if report.when != "call" and not report.failed:
        return report
    marker = item.get_closest_marker("golive")
    facts = dict(item.stash.get(EVIDENCE, {}))
    if report.failed and call.excinfo is not None:
        message = redact(str(call.excinfo.value))
        facts["failure"] = message
        if call.excinfo.errisinstance((AssertionError, CouldNotSee)):
            # the check's own message says what is wrong and how to fix it; a traceback adds nothing
            report.longrepr = f"{item.nodeid}\n{message}"
        waiver = find(run.waivers, item.name, item.nodeid) if report.when == "call" else None
        if waiver is not None and waiver.active(run.started.date()):
            report.outcome, report.wasxfail = "skipped", f"waived: {waiver.describe()}"
            facts["waiver"] = waiver.describe()
        elif waiver is not None:
            report.longrepr = f"{report.longrepr}\nThe waiver {waiver.describe()} expired: the check counts again."
            facts["waiver"] = f"expired: {waiver.describe()}"
    outcome = _outcome(report, marker.kwargs["severity"])
    facts = redact(facts)
    run.evidence[item.nodeid] = {"outcome": outcome, **marker.kwargs, "rule": report.description, "facts": facts}
    # JUnit writes the properties the item holds when its teardown is reported
    item.user_properties.extend((key, marker.kwargs[key]) for key in GATE_KEYS)
    item.user_properties.extend([("outcome", outcome), ("evidence", json.dumps(facts, sort_keys=True))])
    report.extras = [*getattr(report, "extras", []), *_evidence_extras(facts)]
    return report


def _outcome(report: pytest.TestReport, severity: str) -> str:
    if report.when != "call":
        return "could not see"
    if hasattr(report, "wasxfail"):
        return "waived"
    if report.failed:
        return "advisory" if severity == "advisory" else "failed"
    return "passed"


def _evidence_extras(facts: dict[str, Any]) -> list[dict[str, Any]]:
    """The finding (what is wrong and how to fix it) first, then the facts it was decided on."""
    blocks = []
    if facts.get("failure"):
        blocks.append(("Finding", facts["failure"]))
    if facts.get("waiver"):
        blocks.append(("Waiver", facts["waiver"]))
    # the remediation policy is part of the finding's text; evidence.json keeps it as data
    rest = {k: v for k, v in facts.items() if k not in ("failure", "waiver", "remediation")}
    if rest:
        blocks.append(("Evidence", json.dumps(rest, indent=2, sort_keys=True)))
    return [extras.html(_block(title, text)) for title, text in blocks]


def _block(title: str, text: str) -> str:
    return (
        f"<div class='golive'><h4>{html.escape(title)}</h4>"
        f"<pre style='white-space: pre-wrap'>{html.escape(text)}</pre></div>"
    )


def _rule(item: pytest.Item) -> str:
    doc = getattr(item, "function", None).__doc__ or ""
    return " ".join(doc.strip().split("\n\n")[0].split())


def pytest_html_results_table_header(cells: list[str]) -> None:
    cells.insert(2, "<th>Rule</th>")


def pytest_html_results_table_row(report: pytest.TestReport, cells: list[str]) -> None:
    cells.insert(2, f"<td>{html.escape(getattr(report, 'description', ''))}</td>")


def pytest_html_report_title(report: Any) -> None:
    report.title = "golive: go-live evidence"


def pytest_html_results_summary(
    prefix: list[str], summary: list[str], postfix: list[str], session: pytest.Session
) -> None:
    run = session.config.stash.get(RUN, None)
    if run is None:
        return
    verdict, detail = _verdict(session)
    colour = "#1a7f37" if verdict == "GO" else "#cf222e"
    prefix.append(
        f"<h2 style='color:{colour}'>Verdict: {verdict}</h2><p>{html.escape(detail)}</p>"
        f"<p>Environment {html.escape(run.config.env)}, account {run.config.account_id}, "
        f"regions {html.escape(', '.join(run.config.regions))}.</p>"
    )


def _verdict(session: pytest.Session) -> tuple[str, str]:
    """GO when something was checked and nothing blocks: no failure, no could-not-see, no broken collection."""
    run = session.config.stash[RUN]
    counts = Counter(entry["outcome"] for entry in run.evidence.values())
    stats = session.config.pluginmanager.get_plugin("terminalreporter").stats
    broken = [r for r in stats.get("error", []) if not isinstance(r, pytest.TestReport)]
    shown = ["passed", "failed", "could not see"] + [k for k in ("advisory", "waived") if counts[k]]
    detail = ", ".join(f"{counts[k]} {k}" for k in shown)
    checked = counts["passed"] + counts["advisory"] + counts["waived"]
    go = checked > 0 and counts["failed"] == counts["could not see"] == 0 and not broken and not session.shouldfail
    return ("GO" if go else "NO-GO"), detail


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    run = session.config.stash.get(RUN, None)
    if run is None:
        return
    verdict, detail = _verdict(session)
    if verdict == "GO" and session.exitstatus == pytest.ExitCode.TESTS_FAILED:
        session.exitstatus = pytest.ExitCode.OK  # only advisory findings failed: they inform, they do not block
    if not run.report_dir.is_dir():
        return
    record = {
        "verdict": verdict,
        "summary": detail,
        "metadata": run.metadata(),
        "aws_calls": run.access.recorder.by_operation() if run.access else {},
        "checks": run.evidence,
    }
    (run.report_dir / "evidence.json").write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    (run.report_dir / "summary.md").write_text(summary.render(verdict, detail, record["metadata"], run.evidence))
    latest = run.report_dir.parent / "latest"
    temporary = latest.with_name(".latest.tmp")
    temporary.unlink(missing_ok=True)
    os.symlink(run.report_dir.name, temporary)
    os.replace(temporary, latest)  # atomic: `latest` always names a complete run


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    run = config.stash.get(RUN, None)
    if run is None or config.option.collectonly:
        return
    verdict, detail = _verdict(terminalreporter._session)
    calls = run.access.recorder.total() if run.access else 0
    terminalreporter.write_sep(
        "=", f"golive {run.config.env}: {verdict} ({detail})", green=verdict == "GO", red=verdict != "GO", bold=True
    )
    terminalreporter.write_line(f"report:   {run.report_dir / 'report.html'}")
    terminalreporter.write_line(f"evidence: {run.report_dir / 'evidence.json'}  ({calls} AWS calls)")
    unchecked = run.config.unchecked_keys()
    if unchecked:
        terminalreporter.write_line(
            f"note:     {', '.join(unchecked)} are configured but no check of golive {golive.__version__} reads them yet",
            yellow=True,
        )
