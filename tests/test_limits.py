"""The client-side rate limits: SES's v1 and v2 calls share one bucket per region, IAM one for
the account, each bucket paced at its rate (retries included), and an unlimited one not at all."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml

from golive import HOME
from golive.aws import AwsAccess, declared_reads, embedded_session
from golive.config import ConfigError, load_config
from golive.limits import RateLimits, bucket

RATE = 20.0  # requests a second: 1/20 s between two requests of a bucket


def _starts(limits: RateLimits, requests: list[tuple[str, str | None]]) -> list[float]:
    """When each request (service, region), sent from threads released together, was let go."""
    start = threading.Barrier(len(requests))

    def send(request: tuple[str, str | None]) -> float:
        start.wait()
        limits.wait(*request)
        return time.monotonic()

    with ThreadPoolExecutor(len(requests)) as pool:
        return sorted(pool.map(send, requests))


def _spread(times: list[float]) -> float:
    return times[-1] - times[0]


def test_a_bucket_spaces_its_requests_at_its_rate():
    starts = _starts(RateLimits({"ses": RATE}), [("ses", "us-east-1")] * 5)
    assert _spread(starts) >= 4 / RATE * 0.95


def test_ses_v1_and_v2_share_a_region_s_bucket_and_regions_do_not_wait_for_each_other():
    limits = RateLimits({"ses": RATE})
    assert bucket("sesv2", "eu-west-1") == bucket("ses", "eu-west-1") == ("ses", "eu-west-1")
    shared = _starts(limits, [("ses", "eu-west-1"), ("sesv2", "eu-west-1")] * 2)
    assert _spread(shared) >= 3 / RATE * 0.95
    regions = _starts(RateLimits({"ses": RATE}), [("ses", r) for r in ("us-east-1", "us-west-2", "eu-west-1")])
    assert _spread(regions) < 1 / RATE


def test_iam_is_one_bucket_whatever_the_region():
    assert bucket("iam", "us-east-1") == bucket("iam", "ap-southeast-1") == ("iam", None)
    starts = _starts(RateLimits({"iam": RATE}), [("iam", r) for r in ("us-east-1", "us-west-2", "eu-west-1")])
    assert _spread(starts) >= 2 / RATE * 0.95


@pytest.mark.parametrize("limits", [{}, {"ses": None}, {"iam": RATE}])
def test_a_bucket_without_a_limit_is_not_paced(limits):
    starts = _starts(RateLimits(limits), [("ses", "us-east-1")] * 5)
    assert _spread(starts) < 1 / RATE


def test_every_attempt_waits_for_its_slot(embedded):
    """A throttled call's retries are paced too: the limit sits on each attempt botocore sends."""
    account = embedded({"account_id": "123456789012", "regions": {"us-east-1": {}}})
    creds = account.auditor
    access = AwsAccess(
        embedded_session(creds.access_key_id, creds.secret_access_key),
        endpoint_url=account.endpoint_url,
        max_attempts=3,
        rate_limits={"ses": RATE},
    )
    ses = access.client("ses", "us-east-1")
    assert ses.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 3}
    sent: list[float] = []
    ses.meta.events.register("before-send", lambda **_: sent.append(time.monotonic()))  # after golive's pacer
    ses.meta.events.register("needs-retry", lambda attempts, **_: 0 if attempts < 3 else None, unique_id="again")
    ses.list_identities()
    assert len(sent) == 3
    assert _spread(sent) >= 2 / RATE * 0.95


def test_live_mode_limits_ses_and_iam_and_the_embedded_account_nothing(workspace):
    moto = load_config("demo", workspace.config_dir).aws
    assert moto.rate_limits == {}
    workspace.edit("demo.yaml", lambda d: d.update(aws={"mode": "live", "rate_limits": {"iam": None, "sns": 30}}))
    live = load_config("demo", workspace.config_dir).aws
    assert live.rate_limits == {"ses": 1.0, "iam": None, "sns": 30}


@pytest.mark.parametrize(
    ("limits", "said"),
    [
        ({"ses": 0}, "key 'aws.rate_limits.ses': expected a number above 0, found 0"),
        ({"ses": -1}, "key 'aws.rate_limits.ses': expected a number above 0, found -1"),
        ({"ses": "fast"}, "key 'aws.rate_limits.ses': expected a number, found 'fast'"),
        ({"sesv2": 1}, "key 'aws.rate_limits.sesv2': unknown key; expected one of: cloudwatch, ecs, iam"),
    ],
)
def test_a_bad_rate_limit_is_named(workspace, limits, said):
    workspace.edit("demo.yaml", lambda d: d["aws"].update(rate_limits=limits))
    with pytest.raises(ConfigError) as caught:
        load_config("demo", workspace.config_dir)
    message = str(caught.value)
    assert said in message and "\n" not in message, message


def test_the_config_names_a_bucket_for_every_service_golive_reads():
    schema = yaml.safe_load((HOME / "schema" / "config.yaml").read_text())
    keys = set(schema["properties"]["aws"]["properties"]["rate_limits"]["properties"])
    assert keys == {bucket(service, None)[0] for service, _ in declared_reads()}
