"""The embedded account leaves the process as it found it: several accounts start and stop
in one process (each in-process run of golive's own tests is one)."""

from __future__ import annotations

import os
import socket
import threading
from urllib.parse import urlsplit

import boto3
import pytest

from golive.areas import auditor_policy
from golive.config import ConfigError
from golive.embedded.account import EmbeddedAccount
from golive.embedded.scenario import Scenario

OTHER_ACCOUNT = "111122223333"


def _account(tmp_path, data):
    return EmbeddedAccount(Scenario(tmp_path / "scenario.yaml", {"version": 1, **data}), auditor_policy())


def _caller_account(account: EmbeddedAccount) -> str:
    sts = boto3.client(
        "sts",
        region_name="us-east-1",
        endpoint_url=account.endpoint_url,
        aws_access_key_id=account.auditor.access_key_id,
        aws_secret_access_key=account.auditor.secret_access_key,
    )
    return sts.get_caller_identity()["Account"]


@pytest.mark.parametrize("before", [None, "444455556666"])
def test_an_account_of_its_own_id_restores_moto_account_id_on_stop(tmp_path, monkeypatch, before):
    if before is None:
        monkeypatch.delenv("MOTO_ACCOUNT_ID", raising=False)
    else:
        monkeypatch.setenv("MOTO_ACCOUNT_ID", before)
    account = _account(tmp_path, {"account_id": OTHER_ACCOUNT}).start()
    try:
        assert _caller_account(account) == OTHER_ACCOUNT
    finally:
        account.stop()
    assert os.environ.get("MOTO_ACCOUNT_ID") == before
    monkeypatch.delenv("MOTO_ACCOUNT_ID", raising=False)
    default = _account(tmp_path, {}).start()  # the next account in the process is moto's own again
    try:
        assert _caller_account(default) == "123456789012"
    finally:
        default.stop()


def test_a_scenario_the_account_refuses_stops_its_server(tmp_path, monkeypatch):
    monkeypatch.delenv("MOTO_ACCOUNT_ID", raising=False)
    refused = {
        "account_id": OTHER_ACCOUNT,
        "regions": {"ap-southeast-1": {"ses": {"tenants": {"t": {"identities": ["nowhere.example"]}}}}},
    }
    account = _account(tmp_path, refused)
    threads = set(threading.enumerate())
    with pytest.raises(ConfigError, match=r"refused it .*nowhere\.example"):
        account.start()
    # threads of earlier servers may end meanwhile; none the failed start began may still run
    assert [t for t in threading.enumerate() if t not in threads] == [], "the start that failed ended its threads"
    endpoint = urlsplit(account.endpoint_url)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((endpoint.hostname, endpoint.port), timeout=5)
    assert "MOTO_ACCOUNT_ID" not in os.environ
