"""junit.xml as CI systems read it: rewritten from pytest's file into golive's words, in the plain
form both schemas CI validates against accept (Jenkins xunit's junit-10.xsd and the Apache Ant
JUnit schema; tests/data/junit/ has both, and says where they differ).

A test case carries at most one of:
- `<failure>` for a blocking failure, its message the finding's first line (never the node id);
- `<error>` for a could-not-see, its message "could not see: …";
- `<skipped>` for an advisory finding ("advisory: …") or a waived failure ("waived: TICKET until
  DATE: reason"), so that a GO run has no failure and no error, and Jenkins and GitLab count the
  build as passing while still showing what was found.

The evidence of each check, its gate and severity live in evidence.json (keyed by node id), not in
per-case properties, which neither schema allows; the suite keeps the verdict as a property, and its
system-out says the verdict and every advisory, waived and stale-waiver line in plain text.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from golive.evidence.redact import redact
from golive.evidence.waivers import Waiver, find

# outcome -> (element, type, what the message starts with)
KINDS = {
    "failed": ("failure", "golive.failed", ""),
    "could not see": ("error", "golive.could-not-see", "could not see: "),
    "advisory": ("skipped", "golive.advisory", "advisory: "),
    "waived": ("skipped", "golive.waived", "waived: "),
}
COUNTED = {"failure": "failures", "error": "errors", "skipped": "skipped"}
# XML 1.0 allows no control character but tab, newline and carriage return
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def rewrite(path: Path, record: dict[str, Any], waivers: tuple[Waiver, ...], notes: list[str]) -> None:
    """Replace pytest's junit.xml at `path` with golive's: same test cases, times and suite properties."""
    old = ET.parse(path).getroot()
    old_suite = old if old.tag == "testsuite" else old.find("testsuite")
    cases = [_case(case, record["checks"], waivers) for case in old_suite.iter("testcase")]
    root = ET.Element("testsuites")
    suite = ET.SubElement(root, "testsuite", name=old_suite.get("name", "golive"))
    for kind, counter in (("", "tests"), *COUNTED.items()):
        suite.set(counter, str(sum(1 for c in cases if not kind or c.find(kind) is not None)))
    suite.set("time", old_suite.get("time", "0"))
    suite.set("timestamp", _timestamp(old_suite.get("timestamp")))
    suite.set("hostname", old_suite.get("hostname") or "localhost")
    suite.set("package", "golive")
    suite.set("id", "0")
    properties = ET.SubElement(suite, "properties")
    for prop in old_suite.iterfind("properties/property"):
        ET.SubElement(properties, "property", name=prop.get("name"), value=prop.get("value", ""))
    ET.SubElement(properties, "property", name="golive_evidence", value="evidence.json")
    suite.extend(cases)
    ET.SubElement(suite, "system-out").text = _text("\n".join(notes))
    ET.SubElement(suite, "system-err")
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _case(old: ET.Element, checks: dict[str, Any], waivers: tuple[Waiver, ...]) -> ET.Element:
    name = old.get("name", "")
    nodeid = f"{old.get('file', '')}::{name}"
    case = ET.Element("testcase", name=name, classname=old.get("classname") or "golive", time=old.get("time", "0"))
    entry = checks.get(nodeid)
    kind = KINDS.get(entry["outcome"]) if entry else None
    if kind is None:  # a pass, or what golive has no record of (a broken collection): pytest's own verdict
        found = next((c for c in old if c.tag in COUNTED), None)
        if found is not None:
            child = ET.SubElement(case, found.tag, type=found.get("type") or f"pytest.{found.tag}")
            child.set("message", _text(found.get("message", "")))
            child.text = _text(found.text or "")
        return case
    tag, type_, prefix = kind
    finding = entry["facts"].get("failure", "")
    headline = finding.split("\n", 1)[0].rstrip(":")
    waiver = find(waivers, name, nodeid)
    if entry["outcome"] == "waived" and waiver is not None:
        headline = redact(waiver.label())
    details = [finding]
    if entry["outcome"] == "failed" and waiver is not None:
        details.append(f"The waiver {redact(waiver.describe())} expired: the check counts again.")
    details.append(f"check: {nodeid}")
    child = ET.SubElement(case, tag, type=type_, message=_text(prefix + headline))
    child.text = _text("\n".join(details))
    return case


def _timestamp(value: str | None) -> str:
    """In UTC, to the second and without a zone: the only form the Ant schema accepts."""
    try:
        moment = dt.datetime.fromisoformat(value or "")
    except ValueError:
        moment = dt.datetime.now(dt.UTC)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _text(value: str) -> str:
    return _NOT_XML.sub("?", value)
