"""report.html in a real browser: headless Chromium (Debian's `chromium` and `chromium-driver`, driven
by Selenium) opens the page of a GO run, a NO-GO run and a run with advisory, waived and could-not-see
outcomes from disk, with the network blocked, with scripts and without, and saves what it saw as
screenshots under the test's temporary folder."""

from __future__ import annotations

import base64
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select
from test_junit_schemas import ALARMS, WAIVED, mixed_no_go  # noqa: F401 (a fixture: the mixed run)
from workspace import RunResult, Workspace

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="no browser: install Debian's chromium and chromium-driver (.ci/run does) to open report.html",
)
SCREEN = (1366, 768)
# nothing leaves the machine: every name resolves nowhere and every proxied request goes to a closed port
OFFLINE = ("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost", "--proxy-server=http://127.0.0.1:9")
RUNS = ("go", "no_go", "mixed")


@pytest.fixture(scope="module")
def no_go(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    return Workspace(tmp_path_factory.mktemp("page-no-go")).verify("seed-permissions")


@pytest.fixture(scope="module")
def runs(demo: tuple[Workspace, RunResult], no_go: RunResult, mixed_no_go: RunResult) -> dict[str, RunResult]:  # noqa: F811
    return {"go": demo[1], "no_go": no_go, "mixed": mixed_no_go}


def _chromium(scripts: bool) -> WebDriver:
    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", *OFFLINE):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not scripts:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)  # the system's: nothing downloaded
    width, height = SCREEN
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    return driver


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    driver = _chromium(scripts=True)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def scriptless() -> Iterator[WebDriver]:
    driver = _chromium(scripts=False)
    yield driver
    driver.quit()


def _open(driver: WebDriver, result: RunResult, shots: Path, name: str) -> dict[str, Any]:
    """Open the run's page from disk; the screenshot of its first screen; the console's errors."""
    driver.get((result.report_dir / "report.html").as_uri())
    driver.save_screenshot(str(shots / f"{name}.png"))
    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == [], f"console errors on {name}'s page: {errors}"
    return result.evidence


def _text(driver: WebDriver, css: str) -> list[str]:
    return [element.text for element in driver.find_elements(By.CSS_SELECTOR, css)]


@pytest.mark.parametrize("run", RUNS)
def test_the_verdict_is_on_the_first_screen_and_in_the_tab_title(browser, runs, tmp_path, run):
    evidence = _open(browser, runs[run], tmp_path, run)
    verdict, env = evidence["verdict"], evidence["metadata"]["Environment"]
    assert browser.title == f"golive {env}: {verdict}"
    heading = browser.find_element(By.CSS_SELECTOR, "#golive-verdict h1")
    assert heading.text == f"Verdict: {verdict}"
    box = browser.execute_script("return arguments[0].getBoundingClientRect().toJSON()", heading)
    assert browser.execute_script("return window.scrollY") == 0, "the page opens at its top"
    assert box["top"] >= 0 and box["bottom"] <= SCREEN[1] and box["right"] <= SCREEN[0], box
    colour = heading.find_element(By.XPATH, "..").value_of_css_property("background-color")
    assert colour == ("rgba(26, 127, 55, 1)" if verdict == "GO" else "rgba(207, 34, 46, 1)")
    facts = browser.find_element(By.CSS_SELECTOR, "#golive-verdict dl").text
    assert "123456789012" in facts and env in facts and evidence["metadata"]["Started (UTC)"] in facts
    requests = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert [r for r in requests if not r.startswith(("file:", "data:"))] == [], "one self-contained file"


@pytest.mark.parametrize("run", RUNS)
def test_the_gate_list_is_the_evidence_s(browser, runs, tmp_path, run):
    evidence = _open(browser, runs[run], tmp_path, run)
    rows = browser.find_elements(By.CSS_SELECTOR, "#golive-gates tbody tr")
    shown = [(row.get_attribute("id").removeprefix("gate-"), row.find_element(By.CLASS_NAME, "golive-state").text) for row in rows]
    assert shown == [(gate["id"], gate["state"]) for gate in evidence["gates"]]
    for row, gate in zip(rows, evidence["gates"], strict=True):
        counted = sum(gate["outcomes"].values())
        assert (f"{counted} check" in row.text) == bool(counted), gate["id"]


def test_a_failure_shows_its_finding_its_evidence_and_its_fix_once(browser, runs, tmp_path):
    evidence = _open(browser, runs["no_go"], tmp_path, "no-go")
    [fix] = browser.find_elements(By.CSS_SELECTOR, "pre.golive-fix")
    assert fix.is_displayed() and fix.text.startswith("Fix: attach this least-privilege policy to ")
    assert '"Sid": "SesInConfiguredRegions"' in fix.text and "for 18 checks" in _text(browser, "#golive-failures h3")[0]
    failures = browser.find_elements(By.CSS_SELECTOR, "li.golive-failure")
    assert len(failures) == 18 == sum(1 for c in evidence["checks"].values() if c["outcome"] == "failed")
    first = failures[0]
    finding = first.find_element(By.CLASS_NAME, "golive-finding")
    assert finding.is_displayed() and "is not allowed ses:" in finding.text and "Fix:" not in finding.text
    shown = first.find_element(By.CSS_SELECTOR, ".golive-evidence pre")
    assert shown.is_displayed() and "implicitDeny" in shown.text
    # the gate list links a failed check to its failure
    browser.find_element(By.CSS_SELECTOR, "#gate-iam-permissions summary").click()
    link = browser.find_element(By.CSS_SELECTOR, f"#gate-iam-permissions a[href='#{first.get_attribute('id')}']")
    link.click()
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", first)
    assert -1 < top < SCREEN[1], "the link scrolls to the failure"
    browser.save_screenshot(str(tmp_path / "no-go-failure.png"))


def test_outcomes_are_in_golive_s_words(browser, runs, tmp_path):
    evidence = _open(browser, runs["mixed"], tmp_path, "mixed")
    words = set(_text(browser, "#results-table td.col-result"))
    assert words == {c["outcome"] for c in evidence["checks"].values()} == {
        "passed",
        "failed",
        "advisory",
        "waived",
        "could not see",
    }
    assert not [t for t in _text(browser, "#results-table td.col-testId") if t.endswith("::setup")]
    labels = " ".join(_text(browser, ".filters span"))
    assert "1 advisory," in labels and "1 waived," in labels and "could not see," in labels
    assert not re.search(r"Failed|Error|Expected|XFailed|Skipped", labels)


def test_a_filter_hides_what_it_should(browser, runs, tmp_path):
    _open(browser, runs["mixed"], tmp_path, "mixed")
    browser.find_element(By.CSS_SELECTOR, "input[data-test-result='passed']").click()
    assert "passed" not in _text(browser, "#results-table td.col-result")
    assert {"advisory", "waived"} <= set(_text(browser, "#results-table td.col-result"))
    browser.find_element(By.CSS_SELECTOR, "input[data-test-result='skipped']").click()  # golive's advisory
    rows = _text(browser, "#results-table td.col-testId")
    assert not [r for r in rows if ALARMS in r] and [r for r in rows if WAIVED in r]
    browser.save_screenshot(str(tmp_path / "mixed-filtered.png"))
    for box in ("passed", "skipped"):  # the choice is kept in the browser's storage: put it back
        browser.find_element(By.CSS_SELECTOR, f"input[data-test-result='{box}']").click()


def test_the_gate_severity_and_region_filters_hide_what_they_should(browser, runs, tmp_path):
    evidence = _open(browser, runs["mixed"], tmp_path, "mixed")

    def shown() -> list[str]:
        rows = browser.find_elements(By.CSS_SELECTOR, "#results-table tbody.results-table-row")
        return sorted(r.find_element(By.CLASS_NAME, "col-testId").text for r in rows if r.is_displayed())

    def choose(key: str, value: str) -> None:
        Select(browser.find_element(By.CSS_SELECTOR, f"#golive-filters select[data-filter='{key}']")).select_by_visible_text(value)

    assert shown() == sorted(evidence["checks"])
    choose("gate", "iam-permissions")
    assert shown() == sorted(n for n, c in evidence["checks"].items() if c["gate"] == "iam-permissions")
    choose("severity", "high")
    expected = [n for n, c in evidence["checks"].items() if c["gate"] == "iam-permissions" and c["severity"] == "high"]
    assert shown() == sorted(expected), "every choice made"
    choose("gate", "all")
    choose("severity", "advisory")
    advisory = sorted(n for n, c in evidence["checks"].items() if c["severity"] == "advisory")
    assert shown() == advisory and f"checks/test_ses_account.py::{ALARMS}" in advisory
    choose("severity", "all")
    choose("region", "none")
    assert shown() and not [n for n in shown() if "ap-southeast-1" in n]
    browser.save_screenshot(str(tmp_path / "mixed-region-none.png"))


@pytest.mark.parametrize("run", RUNS)
def test_without_scripts_the_verdict_the_gates_and_the_failures_are_there(scriptless, runs, tmp_path, run):
    evidence = _open(scriptless, runs[run], tmp_path, f"{run}-no-scripts")
    assert scriptless.find_element(By.CSS_SELECTOR, "#golive-verdict h1").text == f"Verdict: {evidence['verdict']}"
    states = _text(scriptless, "#golive-gates .golive-state")
    assert states == [gate["state"] for gate in evidence["gates"]]
    blocking = {n: c for n, c in evidence["checks"].items() if c["outcome"] in ("failed", "could not see")}
    findings = _text(scriptless, "li.golive-failure .golive-finding")
    assert len(findings) == len(blocking)
    for check in blocking.values():
        assert check["facts"]["failure"].splitlines()[0] in " ".join(findings)
    assert not scriptless.find_element(By.ID, "results-table").is_displayed()


def test_the_print_stylesheet_keeps_the_page_to_a_few_pages(browser, runs, tmp_path):
    _open(browser, runs["no_go"], tmp_path, "no-go")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert browser.find_element(By.CSS_SELECTOR, "#golive-verdict h1").is_displayed()
        assert not browser.find_element(By.ID, "results-table").is_displayed()
        assert not browser.find_element(By.CSS_SELECTOR, ".golive-evidence").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {})["data"])
    (tmp_path / "no-go.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 6, f"{pages} pages"
