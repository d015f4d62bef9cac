"""Secrets never reach a report or a log: `redact(value)` masks them in any JSON-like value or text.

Structure first: a dict's value under a secret-looking key (`password`, `db_password`,
`AWS_SECRET_ACCESS_KEY`, `token`, `credentials`, ...) is masked whatever it looks like, and
nested dicts and lists are walked. Then text: `key=value` / `key: value` pairs under such
keys, `Bearer` tokens, URL passwords (`@` included), query tokens (`?token=`, `&sig=`,
`X-Amz-Signature`, ...), the path of webhook URLs (Slack, Teams, PagerDuty-style), AWS
access key ids (the last 4 kept, so a key stays recognisable), secret access keys and
session tokens. And the values golive was told are secret, wherever they appear.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

MASK = "***"
# words that make a key secret; `secrets` (a list of secret ARNs) and `secretsmanager` are not secrets
_SECRET_WORDS = r"pass(?:word|wd)|secret(?!s(?:\b|_|manager))|token|api[_-]?key|access[_-]?key|private[_-]?key"
_SECRET_WORDS += r"|credential|authori[sz]ation|signature"
_SECRET_KEY = re.compile(rf"(?i){_SECRET_WORDS}")
# keys that look secret and are not: the header's credential source (a profile or role, never a key),
# and the DKIM and verification tokens SES publishes in DNS
_PUBLIC_KEYS = frozenset({"Credentials", "dkim_tokens", "expected_token", "verification_token"})
_TOKEN = r"[A-Za-z0-9/+=_-]"
# webhook paths: everything after one of these segments is the webhook's secret
_HOOK_SEGMENT = re.compile(r"(?i)/(services|hooks?|webhooks?|webhookb2|incomingwebhook|integrations?|triggers?)/")


def _mask_url_path(match: re.Match[str]) -> str:
    origin, path = match.group(1), match.group(2)
    hook = _HOOK_SEGMENT.search(path)
    if hook:
        return f"{origin}{path[: hook.end()]}{MASK}"
    segments = [MASK if _looks_like_token(s) else s for s in path.split("/")]
    return origin + "/".join(segments)


def _looks_like_token(segment: str) -> bool:
    return len(segment) >= 20 and re.fullmatch(r"[A-Za-z0-9_=-]+", segment) is not None and _mixed(segment)


def _mixed(text: str) -> bool:
    return any(c.isdigit() for c in text) and any(c.isalpha() for c in text)


_PATTERNS: tuple[tuple[re.Pattern[str], Any], ...] = (
    # URL passwords, which may hold `@`: the userinfo ends at the last `@` before the path
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^:/@\s]+):[^\s/?#]*@(?=[^@\s/?#]+)"), rf"\1:{MASK}@"),
    # query tokens: ?token=, &sig=, X-Amz-Signature, X-Amz-Security-Token, access_token, api_key, code
    (
        re.compile(
            r"(?i)([?&;][\w.-]*(?:token|sig|signature|secret|password|key|credential|auth|code)[\w.-]*=)[^&#\s'\"]+"
        ),
        rf"\1{MASK}",
    ),
    (re.compile(r"(?i)\b(https?://[^/\s?#'\"<>]+)(/[^\s?#'\"<>]*)"), _mask_url_path),
    (re.compile(rf"(?i)\b(bearer|basic)\s+{_TOKEN}{{12,}}"), rf"\1 {MASK}"),
    # key=value, key: value, "key": "value" under a secret-looking key (`secret:` without a space is an ARN's)
    (
        re.compile(
            rf"(?i)\b([\w.-]*(?:{_SECRET_WORDS})[\w.-]*)([\"']?\s*=\s*[\"']?|[\"']\s*:\s*[\"']?|:[ \t]+[\"']?)[^\s'\",;&]+"
        ),
        rf"\1\2{MASK}",
    ),
    # a secret access key (40 characters) after a key-ish word; a session token (long base64) after its name
    (re.compile(rf"(?i)\b((?:secret|key)\b[^\n]{{0,24}}?)(?<!{_TOKEN})[A-Za-z0-9/+]{{40}}(?!{_TOKEN})"), rf"\1{MASK}"),
    (re.compile(rf"(?i)((?:session|security)[ _-]?token\b[^\n]{{0,24}}?)(?<!{_TOKEN}){_TOKEN}{{64,}}"), rf"\1{MASK}"),
    (re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{12}([0-9A-Z]{4})\b"), r"\1************\2"),
)


# Values golive was told are secret (variables marked `secret` in the environment matrix): masked
# wherever they appear, whatever they look like. Process-wide, since any output may quote one.
_LITERALS: set[str] = set()
MIN_LITERAL = 4  # shorter values would mask ordinary words; their own evidence masks them anyway


def mask_values(values: Iterable[str]) -> None:
    """Mask these values (and the password of any that is a URL) in every later `redact`."""
    for value in values:
        password = _url_password(value)
        _LITERALS.update(v for v in (value, password) if v and len(v) >= MIN_LITERAL)
    _redacted_text.cache_clear()  # a text redacted before may hold one of these


def _url_password(value: str) -> str | None:
    try:
        return urlsplit(value).password
    except ValueError:
        return None


def redact(value: Any) -> Any:
    """A copy of `value` (a str, or dicts and lists of them) with every secret masked."""
    if isinstance(value, str):
        return _redacted_text(value)
    if isinstance(value, dict):
        return {redact(k) if isinstance(k, str) else k: _masked(k, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact(v) for v in value]
    return value


# Evidence repeats its strings (every check of a region names the same identities, and the whole
# evidence is redacted again at the end), and eight patterns per string cost seconds at 1,000s of
# identities: each distinct text is redacted once.
@lru_cache(maxsize=1 << 16)
def _redacted_text(value: str) -> str:
    for literal in sorted(_LITERALS, key=len, reverse=True):
        value = value.replace(literal, MASK)
    for pattern, replacement in _PATTERNS:
        value = pattern.sub(replacement, value)
    return value


def _masked(key: Any, value: Any) -> Any:
    secret = isinstance(key, str) and key not in _PUBLIC_KEYS and ":" not in key and _SECRET_KEY.search(key)
    if secret and value not in (None, "") and not isinstance(value, bool):
        return MASK
    return redact(value)
