"""Client-side rate limits: golive paces its own requests, so AWS need not throttle them.

SES throttles its management calls (everything but sending) at one request per second per
region (REFERENCE.md §8), and its v1 and v2 APIs count as one; IAM is global, so its
simulations share one limit whatever region a check is about. A limit spaces the requests
of its bucket evenly: each waits for the slot after the previous one, retries included (the
limit applies to every attempt botocore sends). Without a limit, a bucket is not paced.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping

# A bucket is named by the config's key under `aws.rate_limits`; botocore's service names
# map onto it, since IAM calls SES's v2 API by v1's prefix and AWS counts both together.
BUCKETS = {"sesv2": "ses"}
GLOBAL = frozenset({"iam", "sts"})  # global services: one bucket for the account, not one per region


def bucket(service: str, region: str | None) -> tuple[str, str | None]:
    """The bucket a request of `service` in `region` counts against: (name, region or None)."""
    name = BUCKETS.get(service, service)
    return name, None if name in GLOBAL else region


class RateLimits:
    """Requests per second per bucket; thread-safe (the regions' reads share it)."""

    def __init__(self, per_second: Mapping[str, float | None]) -> None:
        self.per_second = {name: rate for name, rate in per_second.items() if rate}
        self._next: dict[tuple[str, str | None], float] = {}  # bucket -> when its next request may start
        self._lock = threading.Lock()

    def wait(self, service: str, region: str | None) -> None:
        """Block until a request of `service` in `region` may be sent."""
        key = bucket(service, region)
        rate = self.per_second.get(key[0])
        if rate is None:
            return
        with self._lock:  # reserve the slot, then sleep outside the lock: other buckets go on
            now = time.monotonic()
            start = max(now, self._next.get(key, now))
            self._next[key] = start + 1.0 / rate
        if start > now:
            time.sleep(start - now)
