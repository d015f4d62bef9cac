"""The cases a check is parametrized with: small frozen records whose `id` reads as the fact checked.

Areas share these shapes; a case that only one area needs lives in that area's cases module.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RegionCase:
    """A region: SES's account, statistics and alarms are regional."""

    region: str

    @property
    def id(self) -> str:
        return self.region


@dataclass(frozen=True)
class RegionNameCase:
    """A named thing in a region: an identity, a domain, a configuration set."""

    region: str
    name: str

    @property
    def id(self) -> str:
        return f"{self.region}-{self.name}"


@dataclass(frozen=True)
class NameCase:
    """A name checked once for every region: a domain's SPF and DMARC live in DNS, not in a region."""

    name: str

    @property
    def id(self) -> str:
        return self.name
