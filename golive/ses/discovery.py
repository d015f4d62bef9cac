"""What an account already holds in SES, for `golive init --from-account`: the regions in use,
and in each the identities and configuration sets, read through the same guard as an audit.

Calls: STS 1; per region scanned 1 ListIdentities page per 1,000 identities and 1 sesv2
ListConfigurationSets page per 1,000 sets. Without `--region`, every SES region is scanned,
and a region "in use" is one that lists an identity. The regions are read at once, in the
audit's thread pool (golive/threads.py), each at the pace of the access's rate limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from golive.aws import AwsAccess, permission, ses_regions
from golive.errors import could_not_see
from golive.threads import in_threads

READS = {("sesv2", "ListConfigurationSets"): ("ConfigurationSets",)}


@dataclass(frozen=True)
class Found:
    account_id: str
    identities: dict[str, tuple[str, ...]] = field(default_factory=dict)  # region -> its identities
    configuration_sets: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(region for region, names in self.identities.items() if names)

    def domains(self) -> list[str]:
        return sorted({name.lower() for names in self.identities.values() for name in names if "@" not in name})

    def sets(self) -> list[str]:
        return sorted({name for names in self.configuration_sets.values() for name in names})


def discover(access: AwsAccess, regions: list[str]) -> Found:
    """The account's SES identities and configuration sets in `regions` (every SES region if none)."""
    account = access.caller_identity().account
    scanned = regions or list(ses_regions())
    found = in_threads(lambda region: _region(access, region, asked=bool(regions)), scanned)
    identities = {region: names for region, (names, _) in zip(scanned, found, strict=True)}
    sets = {region: names for region, (_, names) in zip(scanned, found, strict=True) if names is not None}
    return Found(account, identities, sets)


def _region(access: AwsAccess, region: str, asked: bool) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
    """A region's identities, and its configuration sets where it is in use or was asked for (else None)."""
    identities = _pages(access, "ses", region, "list_identities", "Identities")
    if not (identities or asked):
        return identities, None
    return identities, _pages(access, "sesv2", region, "list_configuration_sets", "ConfigurationSets")


def _pages(access: AwsAccess, service: str, region: str, call: str, key: str) -> tuple[str, ...]:
    """Every page of a list call (both take and return NextToken; sesv2's has no paginator)."""
    operation = "".join(part.title() for part in call.split("_"))
    names: list[str] = []
    with could_not_see(permission(service, operation), f"{call.replace('_', ' ')} in {region}"):
        list_page, token = getattr(access.client(service, region), call), None
        while True:
            page = list_page(**({"NextToken": token} if token else {}))
            names.extend(page[key])
            token = page.get("NextToken")
            if not token:
                return tuple(names)
