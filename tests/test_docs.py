"""The docs a new engineer starts from stay true: every file docs/architecture.md names exists."""

from __future__ import annotations

import re

from workspace import ROOT

PATH = re.compile(r"`((?:golive|checks|tests|config|docs)/[\w./-]+\.(?:py|yaml|md))`")


def test_every_file_the_architecture_names_exists():
    text = (ROOT / "docs" / "architecture.md").read_text()
    named = set(PATH.findall(text))
    assert len(named) >= 20, "the walk-through names the files it walks through"
    assert sorted(p for p in named if not (ROOT / p).is_file()) == []


def test_the_worked_example_names_files_that_hold_the_check():
    text = (ROOT / "docs" / "architecture.md").read_text()
    example = text.split("## How to add a check", 1)[1].split("## Self-tests", 1)[0]
    check = (ROOT / "golive" / "checks" / "test_ses_notifications.py").read_text()
    assert "def test_configuration_set_reputation_metrics_are_enabled" in check
    for path in PATH.findall(example):
        assert (ROOT / path).is_file(), path
    assert "ReputationTracking" in (ROOT / "golive" / "ses" / "facts.py").read_text()
