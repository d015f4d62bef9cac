"""The regions are read at once: four regions behind SES's throttle of one request a second per
region take about the time of one, and lose no call; a narrowed run reads only what its checks use."""

from __future__ import annotations

import itertools
import os
import signal
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from faults import FaultProxy, Request, rate_limited
from workspace import RunResult, Workspace

from golive.areas import auditor_policy
from golive.embedded.account import EmbeddedAccount
from golive.embedded.scenario import load_scenario
from golive.fixtures import Fact
from golive.prefetch import read_concurrently

REGIONS = ["ap-southeast-1", "ap-northeast-1", "us-east-1", "eu-west-1"]
SES_PER_SECOND = 1.0  # SES's documented limit, enforced by the proxy and kept by golive's default


@pytest.fixture
def four_regions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Workspace, FaultProxy]]:
    """The demo's region copied to three more, in an embedded account audited live through a proxy."""
    workspace = Workspace(tmp_path)
    scenario = workspace.edit(
        "scenarios/demo.yaml",
        lambda s: s["regions"].update({r: s["regions"]["ap-southeast-1"] for r in REGIONS}),
    )
    assert sorted(scenario["regions"]) == sorted(REGIONS)
    config = workspace.config_dir
    account = EmbeddedAccount(load_scenario(config / "scenarios" / "demo.yaml", root=config), auditor_policy())
    account.start()
    proxy = FaultProxy(account.endpoint_url)
    try:
        with proxy.running() as url:
            monkeypatch.setenv("AWS_ACCESS_KEY_ID", account.auditor.access_key_id)
            monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", account.auditor.secret_access_key)
            host, port = account.dns_address

            def live(demo: dict) -> None:
                demo["regions"] = REGIONS
                demo["aws"] = {"mode": "live", "endpoint_url": url, "attempts": 5, "timeout": 5}
                demo["dns"] = {"resolver": {"nameservers": [host], "port": port}}

            workspace.edit("demo.yaml", live)
            yield workspace, proxy
    finally:
        account.stop()


def _run(workspace: Workspace, proxy: FaultProxy, rate_limits: dict) -> RunResult:
    workspace.edit("demo.yaml", lambda demo: demo["aws"].update(rate_limits=rate_limits))
    proxy.seen, proxy.forwarded = [], []
    return workspace.verify("demo")


def _windows(requests: list[Request]) -> dict[str, tuple[float, float]]:
    """Each region's first and last SES request, as the proxy saw them arrive."""
    by_region: dict[str, list[float]] = {}
    for request in requests:
        by_region.setdefault(request.region, []).append(request.arrived)
    return {region: (min(times), max(times)) for region, times in by_region.items()}


def test_four_throttled_regions_take_the_time_of_one_and_lose_no_call(
    four_regions: tuple[Workspace, FaultProxy],
) -> None:
    workspace, proxy = four_regions
    # IAM is global and not what this test throttles: unpaced, so the run stays short
    free = _run(workspace, proxy, {"ses": None, "iam": None})
    assert not free.ids("error"), free.output
    proxy.fault = rate_limited("ses", SES_PER_SECOND)
    proxy.latency = lambda request: 0.2 if request.service == "ses" else 0.0
    paced = _run(workspace, proxy, {"ses": SES_PER_SECOND, "iam": None})

    # no call lost: the same outcome for every check, the same calls, none refused by the throttle
    assert {n: o.status for n, o in paced.outcomes.items()} == {n: o.status for n, o in free.outcomes.items()}
    assert paced.evidence["aws_calls"] == free.evidence["aws_calls"]
    ses = [r for r in proxy.forwarded if r.service == "ses"]
    assert len(ses) == len([r for r in proxy.seen if r.service == "ses"]), "golive kept to the limit"
    # golive kept each region at or under the limit, as the proxy measured it
    for region, group in itertools.groupby(sorted(ses, key=lambda r: (r.region, r.arrived)), lambda r: r.region):
        times = [r.arrived for r in group]
        assert min(b - a for a, b in itertools.pairwise(times)) >= 0.9 / SES_PER_SECOND, region
    # the regions were read at once: requests of several regions were open together (one after
    # another, there would never be two), and all of them took about as long as the busiest region
    assert proxy.most_regions_in_flight > 1
    windows = _windows(ses)
    assert sorted(windows) == sorted(REGIONS)
    busiest = max(Counter(r.region for r in ses).values())
    whole = max(end for _, end in windows.values()) - min(start for start, _ in windows.values())
    assert busiest >= 5  # each region's SES reads are paced: the busiest needs (busiest - 1) s at least
    assert whole < 1.3 * (busiest - 1) / SES_PER_SECOND, windows


def test_a_narrowed_run_reads_only_what_its_checks_use(workspace: Workspace) -> None:
    """The prefetch reads the selected checks' facts, not every region's everything."""
    dkim = workspace.verify("demo", "--gate", "dkim")
    assert dkim.exit_code == 6, dkim.output  # PARTIAL
    assert set(dkim.evidence["aws_calls"]) == {
        "sts:GetCallerIdentity",
        "ses:ListIdentities",
        "ses:GetIdentityDkimAttributes",
    }


def test_ctrl_c_while_the_regions_are_read_stops_each_region_at_its_next_read():
    """The interruption reaches the run at once (it ends INTERRUPTED); no region starts another read."""
    reading, release, done = threading.Barrier(3), threading.Event(), []

    def read(case: str) -> None:
        if case.endswith("-1"):
            reading.wait(5)  # both regions are in their first read
            release.wait(5)
        done.append(case)

    fact = Fact("fact", lambda config: [], (), read, lambda found: {})
    groups = [[(fact, f"{region}-{n}", []) for n in (1, 2, 3)] for region in ("us-east-1", "eu-west-1")]

    def interrupt() -> None:
        reading.wait(5)
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=interrupt).start()
    with pytest.raises(KeyboardInterrupt):
        read_concurrently(groups)
    release.set()  # the reads in flight end as they would, their call answered
    for thread in [t for t in threading.enumerate() if t.name.startswith("golive-read")]:
        thread.join(5)
    assert sorted(done) == ["eu-west-1-1", "us-east-1-1"]
