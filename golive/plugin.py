"""golive's pytest plugin: every hook lives here.

A run is `pytest --env <name>` (what `make verify ENV=<name>` does): the config is loaded
and validated before collection, AWS is opened and the account confirmed before any
check, tests are generated from the config, and the run leaves report.html, junit.xml,
evidence.json and summary.md in reports/<env>/<UTC timestamp>/, with reports/<env>/latest
beside it.

The module's own hooks only add options and, when a gate run is asked for, register a
`GateRun`: the run's state lives on that object (the way pytest-html registers its
report), so its hooks never ask whether there is a run.
"""

from __future__ import annotations

import html
import json
import signal
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from _pytest.junitxml import xml_key
from _pytest.unraisableexception import gc_collect_iterations_key
from pytest_metadata.plugin import metadata_key

from golive import CHECKS, areas, places, selection
from golive.config import ConfigError, load_config
from golive.errors import CouldNotSee
from golive.evidence import bundle, page
from golive.evidence.bundle import terminal_notes
from golive.evidence.gates import GATE_KEYS, check_marker
from golive.evidence.redact import redact
from golive.evidence.report import asked_copies, evidence_extras, publish
from golive.evidence.waivers import find
from golive.run import Run
from golive.stash import EVIDENCE, RUN
from golive.suite import expected_checks

# The verdict is the exit status: 0 GO, 1 NO-GO, 2 INTERRUPTED (pytest's own), 4 bad config or usage,
# 6 PARTIAL (a deliberate selection of the suite, which can never be GO).
PARTIAL_EXIT = 6
STARTING_INTERRUPTED = (
    "golive: INTERRUPTED while starting: no check ran, no report was written, `latest` is unchanged\n"
)
EXIT_STATUS = {
    "GO": pytest.ExitCode.OK,
    "NO-GO": pytest.ExitCode.TESTS_FAILED,
    "INTERRUPTED": pytest.ExitCode.INTERRUPTED,
}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("golive", "golive compliance gate")
    group.addoption("--env", default=None, help="environment to verify: config/<env>.yaml")
    group.addoption(
        "--config-dir", help=f"where environment files live (env {places.CONFIG_DIR_VAR}; default: ./config)"
    )
    group.addoption(
        "--reports-dir", help=f"where runs write reports (env {places.REPORTS_DIR_VAR}; default: ./reports)"
    )
    selection.add_options(group)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "golive(gate, severity): the go-live gate a check decides, and its severity")
    selection.register_markers(config)
    try:
        _configure_run(config)
    except KeyboardInterrupt:
        # Ctrl-C while golive starts (the config, the embedded account, the credentials): pytest ends
        # with status 2 and says nothing, before any check or report exists
        run = config.stash.get(RUN, None)
        if run is not None:
            run.close()
            run.discard_report_dir()
        if config.pluginmanager.get_plugin("golive-run") is None:
            sys.stderr.write(STARTING_INTERRUPTED)  # once registered, GateRun says it
        raise


def _configure_run(config: pytest.Config) -> None:
    env = config.getoption("env")
    if env is None:
        if _runs_checks(config):
            raise pytest.UsageError("no environment given: run `make verify ENV=<name>` (pytest --env <name>)")
        return
    if config.args_source != pytest.Config.ArgsSource.ARGS:
        config.args = [str(CHECKS)]  # `pytest --env ENV` in any project runs golive's suite
    try:
        golive_config = load_config(
            env, places.config_dir(config.getoption("config_dir"), config.invocation_params.dir)
        )
    except ConfigError as exc:
        raise pytest.UsageError(redact(str(exc))) from None
    selection.check_choices(config, golive_config)
    selection.override_credentials(config, golive_config)
    selection.override_send_test(config, golive_config)
    selection.refuse_workers(config)
    run = Run.plan(golive_config, places.reports_dir(config.getoption("reports_dir"), config.invocation_params.dir))
    config.stash[RUN] = run
    config.pluginmanager.register(selection.Selection(config.option), "golive-selection")
    for plugin in areas.plugins():
        config.pluginmanager.register(plugin)
    gate_run = GateRun(run, expected_checks(golive_config, config.rootpath), listing=config.option.collectonly)
    config.pluginmanager.register(gate_run, "golive-run")
    if config.option.collectonly:
        return  # listing the checks is not a run: no AWS, no report, no `latest`
    try:
        run.open()  # before the report writers configure: a run stopped here leaves no report
    except ConfigError as exc:
        run.close()
        raise pytest.UsageError(redact(str(exc))) from None
    config.stash[gc_collect_iterations_key] = 0  # pytest's closing full collection: nothing to find in a gate run
    run.claim_report_dir()
    run.copies = asked_copies(config)  # a user's --junitxml and --html: copies of the run's own files
    # the report paths are decided here, before pytest-html and junitxml read them
    config.option.htmlpath = str(run.writing / "report.html")
    config.option.self_contained_html = True
    config.option.xmlpath = str(run.writing / "junit.xml")


def _runs_checks(config: pytest.Config) -> bool:
    paths = [Path(a.split("::")[0]).resolve() for a in config.args] or [Path.cwd()]
    return any(p == CHECKS or CHECKS in p.parents for p in paths)


class GateRun:
    """The hooks of one gate run: parametrize from the config, keep each check's evidence,
    decide the verdict once, and write it everywhere."""

    def __init__(self, run: Run, expected: dict[str, Any], listing: bool) -> None:
        self.run = run
        self.expected = expected  # the whole suite of the environment, by node id
        self.listing = listing
        self.without_cases: set[Any] = set()  # check functions this environment gives nothing to check
        self.broken: list[pytest.CollectReport] = []
        self.selection: list[str] = []  # what narrowed the run, in the user's words
        self.interrupted = False
        self.verdict = "NO-GO"
        self.detail = ""
        self._sigterm: Any = None
        self.started = False  # the session started: from here an interruption has a verdict and a report
        self.html_report: Any = None  # pytest-html's, whose title the verdict completes
        self.bundle: dict[str, Any] | None = None  # evidence.json's content, complete once the run ends

    def pytest_unconfigure(self) -> None:
        if self._sigterm is not None:
            signal.signal(signal.SIGTERM, self._sigterm)
        self.run.close()
        self.run.discard_report_dir()  # still unpublished here: the writing of the reports was cut short

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.started = True
        self.selection = redact(selection.narrowing(session.config))
        if not self.listing and _in_main_thread():
            # a CI job cancelled with SIGTERM ends like Ctrl-C: INTERRUPTED, never a GO, `latest` untouched
            self._sigterm = signal.signal(signal.SIGTERM, _interrupt)
        metadata = session.config.stash[metadata_key]
        metadata.clear()  # the header states the audit, not the machine's Python packages
        metadata.update(redact(self.run.metadata()))

    # --- collection ----------------------------------------------------------------------

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        for fixture in sorted(areas.facts().keys() & set(metafunc.fixturenames)):
            cases = areas.cases_for(fixture, self.run.config)
            if not cases:
                self.without_cases.add(metafunc.function)
            metafunc.parametrize(fixture, cases, ids=[c.id for c in cases], indirect=True)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.broken.append(report)

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        # a check with nothing to check in this environment (no must_deny list, say) is not run at all:
        # a skip would read as "could not decide" in a compliance report
        empty = [i for i in items if getattr(i, "function", None) in self.without_cases]
        if empty:
            config.hook.pytest_deselected(items=empty)
            items[:] = [i for i in items if i not in empty]
        for item in items:
            check_marker(item)

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        chosen = [i for i in items if getattr(i, "function", None) not in self.without_cases]
        if chosen and not self.selection:  # -k, -m and --deselect already say so
            self.selection.append(f"{len(items)} checks deselected (-k, -m or --deselect)")

    def pytest_keyboard_interrupt(self) -> None:
        self.interrupted = True
        if not self.started:
            sys.stderr.write(STARTING_INTERRUPTED)

    # --- each check ------------------------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Any:
        report = yield
        _redact_report(report)
        if report.when == "teardown":
            return report
        report.description = _rule(item)
        if report.when != "call" and not report.failed:
            return report
        marker = item.get_closest_marker("golive")
        facts = dict(item.stash.get(EVIDENCE, {}))
        if report.failed and call.excinfo is not None:
            self._explain_failure(item, report, call.excinfo, facts)
        outcome = _outcome(report, marker.kwargs["severity"])
        facts = redact(facts)
        self.run.evidence[item.nodeid] = {
            "outcome": outcome,
            **marker.kwargs,
            "rule": report.description,
            "facts": facts,
        }
        # JUnit writes the properties the item holds when its teardown is reported
        item.user_properties.extend((key, marker.kwargs[key]) for key in GATE_KEYS)
        item.user_properties.extend([("outcome", outcome), ("evidence", json.dumps(facts, sort_keys=True))])
        report.extras = [*getattr(report, "extras", []), *evidence_extras(facts)]
        return report

    def _explain_failure(
        self, item: pytest.Item, report: pytest.TestReport, excinfo: pytest.ExceptionInfo, facts: dict[str, Any]
    ) -> None:
        message = redact(str(excinfo.value))
        facts["failure"] = message
        if excinfo.errisinstance((AssertionError, CouldNotSee)):
            # the check's own message says what is wrong and how to fix it; a traceback adds nothing
            report.longrepr = message  # the finding first: the short summary line and -q show its first line
        waiver = find(self.run.waivers, item.name, item.nodeid) if report.when == "call" else None
        described = redact(waiver.describe()) if waiver is not None else ""  # a reason or ticket may hold a secret
        if waiver is not None and waiver.active(self.run.started.date()):
            report.outcome, report.wasxfail = "skipped", f"waived: {described}"
            facts["waiver"] = described
        elif waiver is not None:
            report.longrepr = f"{report.longrepr}\nThe waiver {described} expired: the check counts again."
            facts["waiver"] = f"expired: {described}"

    # --- the verdict and the reports ----------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> Any:
        self.run.stop_serving()  # every check has read what it reads
        self._decide(session)
        if not self.listing:
            # the exit status is the verdict, whatever pytest counted (advisory findings fail but do not block)
            session.exitstatus = EXIT_STATUS.get(self.verdict, PARTIAL_EXIT)
            xml = session.config.stash.get(xml_key, None)
            if xml is not None:  # JUnit carries the same word as every other output, at the top of its suite
                xml.add_global_property("golive_verdict", self.verdict)
                xml.add_global_property("golive_summary", self.detail)
        if not self.listing and self.run.writing is not None:
            # evidence.json as a whole, once, before the HTML writer shows it (`latest` not moved yet)
            run = self.run
            self.bundle = bundle.complete(
                self._record(), run.waivers, run.started.date(), run.report_dir.parent / "latest"
            )
            session.config.stash[bundle.BUNDLE] = self.bundle
        result = yield  # the HTML and JUnit writers, which read the verdict
        if self.bundle is not None:
            whole = self.verdict in ("GO", "NO-GO") and not self.selection
            publish(session.config, self.run, self.bundle, whole=whole)
        return result

    @property
    def missing(self) -> list[str]:
        """Checks of the suite that did not run (narrowed away, interrupted, or never reported)."""
        return sorted(set(self.expected) - set(self.run.evidence))

    def _decide(self, session: pytest.Session) -> None:
        """GO only when the whole suite ran, uninterrupted, and nothing blocks: no failure, no
        could-not-see, no broken collection. A selection whose checks all passed is PARTIAL; `latest`
        names whole runs only."""
        counts = Counter(entry["outcome"] for entry in self.run.evidence.values())
        shown = ["passed", "failed", "could not see"] + [k for k in ("advisory", "waived") if counts[k]]
        missing = self.missing
        self.detail = ", ".join(f"{counts[k]} {k}" for k in shown) + (f", {len(missing)} not run" if missing else "")
        unexpected = set(self.run.evidence) - set(self.expected)
        blocked = counts["failed"] or counts["could not see"] or self.broken or unexpected or session.shouldfail
        if self.interrupted:
            self.verdict = "INTERRUPTED"
        elif blocked or not self.expected:
            self.verdict = "NO-GO"
        elif self.selection:  # even one that happened to leave nothing out: a GO is never asked for by parts
            self.verdict = "PARTIAL"
        elif missing:
            self.verdict = "NO-GO"
        else:
            self.verdict = "GO"

    def _record(self) -> dict[str, Any]:
        access = self.run.access
        return redact(  # evidence.json and summary.md as a whole, header and selection included
            {
                "verdict": self.verdict,
                "summary": self.detail,
                "selection": self.selection,
                "not_run": {nodeid: self.expected[nodeid].gate for nodeid in self.missing},
                "metadata": self.run.metadata(),
                "aws_calls": access.recorder.by_operation() if access else {},
                "checks": self.run.evidence,
            }
        )

    def pytest_html_results_table_header(self, cells: list[str]) -> None:
        cells.insert(2, "<th>Rule</th>")

    def pytest_html_results_table_row(self, report: pytest.TestReport, cells: list[str]) -> None:
        cells.insert(2, f"<td>{html.escape(getattr(report, 'description', ''))}</td>")
        if report.when != "teardown":
            page.row(self.run.evidence.get(report.nodeid), report.nodeid, cells, tuple(self.run.config.regions))

    def pytest_html_report_title(self, report: Any) -> None:
        self.html_report = report  # its title names the verdict, decided when the run ends

    def pytest_html_results_summary(self, prefix: list[str]) -> None:
        self.html_report.title = page.title(self.run.config.env, self.verdict)
        if self.bundle is not None:
            prefix.append(page.sections(self.bundle, bundle.html_notes(self.bundle)))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.listing:
            return
        run = self.run
        calls = run.access.recorder.total() if run.access else 0
        terminalreporter.write_sep(
            "=",
            f"golive {run.config.env}: {self.verdict} ({self.detail})",
            green=self.verdict == "GO",
            red=self.verdict != "GO",
            bold=True,
        )
        if self.selection:
            terminalreporter.write_line(f"partial:  {'; '.join(self.selection)}: a selection is never GO", yellow=True)
        if self.interrupted:
            terminalreporter.write_line("interrupted: the run did not finish; `latest` still names the last whole run")
        terminalreporter.write_line(f"report:   {run.report_dir / 'report.html'}")
        terminalreporter.write_line(f"evidence: {run.report_dir / 'evidence.json'}  ({calls} AWS calls)")
        for line in terminal_notes(terminalreporter.config):  # stale and expired waivers, changes since last run
            terminalreporter.write_line(line, yellow=True)


def _redact_report(report: pytest.TestReport) -> None:
    """Mask secrets in what the terminal, JUnit and the HTML report show of a test besides its facts:
    the failure's text (a traceback stays a traceback unless it holds one), captured output, a waiver."""
    if isinstance(report.longrepr, tuple):  # a skip: (path, line, reason)
        report.longrepr = tuple(redact(list(report.longrepr)))
    elif report.longrepr is not None:
        text = str(report.longrepr)
        if redact(text) != text:
            report.longrepr = redact(text)
    report.sections = [(title, redact(content)) for title, content in report.sections]
    if hasattr(report, "wasxfail"):
        report.wasxfail = redact(report.wasxfail)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _outcome(report: pytest.TestReport, severity: str) -> str:
    if report.when != "call":
        return "could not see"
    if hasattr(report, "wasxfail"):
        return "waived"
    if report.failed:
        return "advisory" if severity == "advisory" else "failed"
    return "passed"


def _rule(item: pytest.Item) -> str:
    doc = getattr(item, "function", None).__doc__ or ""
    return " ".join(doc.strip().split("\n\n")[0].split())
