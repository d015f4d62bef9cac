"""The form each rule of the environment matrix expects of a value, and where a value points.

A rule's form is checked on the value alone (a region name, an address, a URL, a port, an
ARN); what the value must agree with (the configured sender, the regions, the database's
region) is a cross-check of its own (golive/env/facts.py), so one defect fails one check.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")
CONFIGURATION_SET = re.compile(r"[A-Za-z0-9_-]{1,64}")  # SES: letters, digits, _ and -, at most 64
SECRET_ARN = re.compile(r"arn:aws[a-z-]*:secretsmanager:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):secret:.+")
# an RDS instance (or cluster, proxy) endpoint: <name>.<id>.<region>.rds.amazonaws.com[.cn]
RDS_HOST = re.compile(r"(?i)[^.]+\.[a-z0-9-]+\.(?P<region>[a-z]{2}(?:-[a-z]+)+-\d{1,2})\.rds\.amazonaws\.com(?:\.cn)?")
POSTGRES_SCHEMES = ("postgres", "postgresql")

EXPECTED = {
    "region-in-config": "an AWS region name (ap-southeast-1)",
    "equals-ses-from-address": "an email address",
    "email": "an email address",
    "equals-ses-configuration-set": "an SES configuration set name (letters, digits, _ and -, at most 64)",
    "postgres-url-in-region": "a postgres:// URL with a host and a database (postgres://user@host:5432/db)",
    "secret-arn-in-region": "a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)",
    "port": "a port number from 1 to 65535",
    "non-empty": "a value",
}


def form_problem(rule: str, value: str) -> str | None:
    """What is wrong with the value's form under `rule`, or None when it has the form."""
    if rule in ("equals-ses-from-address", "email"):
        return address_problem(value)
    if rule == "postgres-url-in-region":
        return _postgres_problem(value)
    if rule == "port":
        ok = value.isascii() and value.isdigit() and 1 <= int(value) <= 65535
        return None if ok else "not a port number"
    pattern = {"region-in-config": REGION, "equals-ses-configuration-set": CONFIGURATION_SET}.get(rule)
    if rule == "secret-arn-in-region":
        pattern = SECRET_ARN
    if pattern is not None and not pattern.fullmatch(value):
        return "not of that form"
    return None


def address_problem(value: str) -> str | None:
    try:
        validate_email(value, check_deliverability=False)  # the syntax only: DNS is the MX check's
    except EmailNotValidError as exc:
        return str(exc)
    return None


def _postgres_problem(value: str) -> str | None:
    try:
        url = urlsplit(value)
        port = url.port  # raises ValueError on a port that is not a number
    except ValueError as exc:
        return f"not a URL ({exc})"
    if url.scheme not in POSTGRES_SCHEMES:
        return f"the scheme is {url.scheme or 'missing'!r}, not postgres or postgresql"
    if not url.hostname:
        return "it names no host"
    if port == 0:
        return "its port is 0"
    if not url.path.strip("/"):
        return "it names no database"
    return None


def database_region(url: str) -> tuple[str | None, str]:
    """The region of the database a postgres URL points at (from its RDS endpoint), and its host."""
    host = urlsplit(url).hostname or ""
    found = RDS_HOST.fullmatch(host)
    return (found["region"].lower() if found else None), host


def secret_region(arn: str) -> str | None:
    found = SECRET_ARN.fullmatch(arn)
    return found["region"] if found else None
