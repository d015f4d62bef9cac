"""Could-not-see: golive failed to observe a fact. Never a pass, never a skip: an error.

A check's facts are fetched in its fixtures, so this exception surfaces as the test's
setup error, named with the permission the auditor lacks when that is the cause.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import botocore.exceptions
import botocore.parsers

THROTTLING = {"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"}


class ConfigError(Exception):
    """A config or scenario problem, worded for the person who wrote the file (exit status 4)."""


class CouldNotSee(Exception):
    def __init__(self, message: str, permission: str | None, access_denied: bool = False) -> None:
        super().__init__(message)
        self.permission = permission
        self.access_denied = access_denied


def is_access_denied(exc: botocore.exceptions.ClientError) -> bool:
    """AccessDenied as AWS says it, and as moto says it to JSON clients (code '403', XML message)."""
    error = exc.response.get("Error", {})
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    text = f"{error.get('Code', '')} {error.get('Message', '')}"
    return "AccessDenied" in text or "UnauthorizedOperation" in text or (status == 403 and "NotAuthorized" in text)


@contextmanager
def could_not_see(permission: str, what: str) -> Iterator[None]:
    """Turn an AWS failure while fetching facts into CouldNotSee, naming what was being read."""
    try:
        yield
    except botocore.exceptions.ClientError as exc:
        error = exc.response.get("Error", {})
        if is_access_denied(exc):
            raise CouldNotSee(
                f"could not {what}: the auditor is not allowed {permission} "
                f"(grant it to the audit identity; `golive auditor-policy` prints the full read-only policy)",
                permission,
                access_denied=True,
            ) from None
        if error.get("Code") in THROTTLING:
            raise CouldNotSee(
                f"could not {what}: throttled by AWS after retries ({error.get('Code')})", permission
            ) from None
        raise CouldNotSee(f"could not {what}: {error.get('Code')}: {error.get('Message')}", permission) from None
    except (botocore.exceptions.BotoCoreError, botocore.parsers.ResponseParserError) as exc:
        raise CouldNotSee(f"could not {what}: {exc}", permission) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        # botocore's parsers (and golive reading their result) stumble this way on a body that is
        # not the API's answer, such as a proxy's HTML page
        raise CouldNotSee(
            f"could not {what}: the answer was not what the API returns ({type(exc).__name__}: {exc})", permission
        ) from None
