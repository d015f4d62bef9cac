"""moto's request signing check, fixed for REST GET calls (SES v2 GetAccount, GetEmailIdentity).

With IAM enforcement on, moto hashes the parsed path parameters of a GET as if they were
its body, so every signed GET fails with SignatureDoesNotMatch. A GET has no body.
"""

from __future__ import annotations

from typing import Any

from moto.iam import access_control

_original = access_control.IAMRequestBase._create_aws_request


def _create_aws_request(self: Any) -> Any:
    if self._method in ("GET", "HEAD", "DELETE") and not self._body:
        saved, self._data = self._data, None
        try:
            return _original(self)
        finally:
            self._data = saved
    return _original(self)


def install() -> None:
    access_control.IAMRequestBase._create_aws_request = _create_aws_request
