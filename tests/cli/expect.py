"""What bad input must end in: a ConfigError of one line (in-process), exit status 4 (command line),
and no report either way."""

from __future__ import annotations

import pytest
from timebox import within

from golive.config import ConfigError, load_config
from golive.run import Run


def one_line(error: BaseException) -> str:
    message = str(error)
    assert "\n" not in message and "Traceback" not in message, message
    return message


def config_error(workspace, env: str = "demo") -> str:
    with within(20), pytest.raises(ConfigError) as caught:
        load_config(env, workspace.config_dir)
    return one_line(caught.value)


def open_error(workspace, env: str = "demo") -> str:
    """The error of opening the run's AWS access (the scenario, the account, the credentials)."""
    run = Run.plan(load_config(env, workspace.config_dir), workspace.reports_dir)
    try:
        with within(60), pytest.raises(ConfigError) as caught:
            run.open()
    finally:
        run.close()
    assert not workspace.reports_dir.exists(), "a run stopped by bad input leaves no report"
    return one_line(caught.value)


def assert_usage_error(result, *fragments: str) -> None:
    assert result.exit_code == 4, result.output
    assert "Traceback" not in result.output and "INTERNALERROR" not in result.output, result.output
    for fragment in fragments:
        assert fragment in result.output, result.output
    assert result.report_dir is None, "a run stopped by bad input leaves no report"
