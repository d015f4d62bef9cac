"""CloudWatch for moto: IAM actions named `cloudwatch:`, as AWS names them.

moto names the action it authorizes after the request's signing name, which for
CloudWatch is `monitoring`; IAM policies (and golive's auditor policy) say
`cloudwatch:DescribeAlarms`, so with enforcement on every CloudWatch call was denied.
"""

from __future__ import annotations

from typing import Any

from moto.iam import access_control

# signing name -> the service prefix IAM uses in actions, where they differ
IAM_PREFIX = {"monitoring": "cloudwatch"}

_original_init = access_control.IAMRequestBase.__init__


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    _original_init(self, *args, **kwargs)
    service, _, action = self._action.partition(":")
    if service in IAM_PREFIX:
        self._action = f"{IAM_PREFIX[service]}:{action}"


def install() -> None:
    access_control.IAMRequestBase.__init__ = _init
