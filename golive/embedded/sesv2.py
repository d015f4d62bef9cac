"""SES v2 for moto: the account (GetAccount), configuration sets (GetConfigurationSet) and
their event destinations, tenants.

moto implements none of these but GetConfigurationSet, and answers that one outside
botocore's model. As moto's own v2 does, the state lives on the region's v1 backend
(`SESV2Backend.core_backend`), so v1 and v2 see one account and moto's reset wipes it; the
response methods answer in the REST-JSON shapes of botocore's model, with the AWS error
codes (NotFoundException, AlreadyExistsException, BadRequestException).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.ses.exceptions import NotFoundException
from moto.ses.models import SESBackend
from moto.sesv2 import urls
from moto.sesv2.responses import SESV2Response

from golive.embedded.ses import account_state, sent_last_24_hours

# Flask (moto's server) cannot route moto's `/v2/.*` catch-all: each new path is registered.
PATHS = (
    "{0}/v2/email/account$",
    "{0}/v2/email/configuration-sets/(?P<ConfigurationSetName>[^/]+)/event-destinations$",
    "{0}/v2/email/tenants$",
    "{0}/v2/email/tenants/resources$",
    "{0}/v2/email/resources/tenants/list$",
)
DESTINATION_KINDS = (
    "SnsDestination",
    "CloudWatchDestination",
    "KinesisFirehoseDestination",
    "EventBridgeDestination",
    "PinpointDestination",
)


class AlreadyExistsException(JsonRESTError):
    code = 400

    def __init__(self, message: str) -> None:
        super().__init__("AlreadyExistsException", message)


class BadRequestException(JsonRESTError):
    code = 400

    def __init__(self, message: str) -> None:
        super().__init__("BadRequestException", message)


@dataclass
class Tenant:
    name: str
    tenant_id: str
    arn: str
    created: float
    resources: dict[str, float] = field(default_factory=dict)  # resource ARN -> when associated


@dataclass
class V2State:
    event_destinations: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # set -> name -> dest
    tenants: dict[str, Tenant] = field(default_factory=dict)


def v2_state(backend: SESBackend) -> V2State:
    if not hasattr(backend, "golive_v2"):
        backend.golive_v2 = V2State()
    return backend.golive_v2


def _core(response: SESV2Response) -> SESBackend:
    return response.sesv2_backend.core_backend


def _body(response: SESV2Response) -> dict[str, Any]:
    return json.loads(response.body or "{}")


def get_account(self: SESV2Response) -> str:
    backend = _core(self)
    state = account_state(backend)
    return json.dumps(
        {
            "DedicatedIpAutoWarmupEnabled": False,
            "EnforcementStatus": state.enforcement_status,
            "ProductionAccessEnabled": state.production_access,
            "SendingEnabled": state.sending_enabled,
            "SendQuota": {
                "Max24HourSend": float(state.max_24_hour_send),
                "MaxSendRate": float(state.max_send_rate),
                "SentLast24Hours": sent_last_24_hours(backend),
            },
            "SuppressionAttributes": {"SuppressedReasons": []},
        }
    )


def get_configuration_set(self: SESV2Response) -> str:
    """moto's own answer sends every option empty (an empty TrackingOptions lacks its required
    CustomRedirectDomain) and nests SendingOptions in itself; AWS leaves out what was never set
    and reports the two switches every set has, with the API's defaults."""
    backend = _core(self)
    name = self._get_param("ConfigurationSetName")
    if name not in backend.config_sets:
        raise NotFoundException(f"Configuration set <{name}> does not exist.")
    found = backend.config_sets[name]
    answer: dict[str, Any] = {
        "ConfigurationSetName": name,
        "ReputationOptions": {"ReputationMetricsEnabled": False, **found.reputation_options},
        "SendingOptions": {"SendingEnabled": True, **found.enabled},  # moto keeps v2's SendingOptions here
        "Tags": found.tags,
    }
    optional = {
        "TrackingOptions": found.tracking_options,
        "DeliveryOptions": found.delivery_options,
        "SuppressionOptions": found.suppression_options,
        "VdmOptions": found.vdm_options,
    }
    answer.update((key, value) for key, value in optional.items() if value)
    return json.dumps(answer)


def create_configuration_set_event_destination(self: SESV2Response) -> str:
    body = _body(self)
    destination = {"Name": body.get("EventDestinationName"), **body.get("EventDestination", {})}
    add_event_destination(_core(self), self._get_param("ConfigurationSetName"), destination)
    return json.dumps({})


def add_event_destination(backend: SESBackend, name: str, destination: dict[str, Any]) -> None:
    """Add `destination` (an EventDestination with its `Name`) to the configuration set `name`."""
    if name not in backend.config_sets:
        raise NotFoundException(f"Configuration set <{name}> does not exist.")
    if not destination["Name"] or not destination.get("MatchingEventTypes"):
        raise BadRequestException("EventDestinationName and MatchingEventTypes are required.")
    if sum(kind in destination for kind in DESTINATION_KINDS) != 1:
        raise BadRequestException(f"An event destination needs exactly one of {', '.join(DESTINATION_KINDS)}.")
    destinations = v2_state(backend).event_destinations.setdefault(name, {})
    if destination["Name"] in destinations:
        raise AlreadyExistsException(f"Event destination {destination['Name']} already exists in <{name}>.")
    destinations[destination["Name"]] = {"Enabled": False, **destination}


def get_configuration_set_event_destinations(self: SESV2Response) -> str:
    backend = _core(self)
    name = self._get_param("ConfigurationSetName")
    if name not in backend.config_sets:
        raise NotFoundException(f"Configuration set <{name}> does not exist.")
    destinations = v2_state(backend).event_destinations.get(name, {})
    return json.dumps({"EventDestinations": list(destinations.values())})


def create_tenant(self: SESV2Response) -> str:
    backend = _core(self)
    name = _body(self).get("TenantName", "")
    tenants = v2_state(backend).tenants
    if name in tenants:
        raise AlreadyExistsException(f"Tenant {name} already exists.")
    tenant_id = uuid.uuid4().hex[:16]
    arn = f"arn:aws:ses:{backend.region_name}:{backend.account_id}:tenant/{name}/{tenant_id}"
    tenants[name] = tenant = Tenant(name, tenant_id, arn, dt.datetime.now(dt.UTC).timestamp())
    return json.dumps(
        {
            "TenantName": tenant.name,
            "TenantId": tenant.tenant_id,
            "TenantArn": tenant.arn,
            "CreatedTimestamp": tenant.created,
            "SendingStatus": "ENABLED",
        }
    )


def create_tenant_resource_association(self: SESV2Response) -> str:
    backend = _core(self)
    body = _body(self)
    tenant = v2_state(backend).tenants.get(body.get("TenantName", ""))
    if tenant is None:
        raise NotFoundException(f"Tenant {body.get('TenantName')} does not exist.")
    arn = body.get("ResourceArn", "")
    kind, _, name = arn.rpartition(":")[2].partition("/")
    known = {"identity": backend.email_identities, "configuration-set": backend.config_sets}
    if name not in known.get(kind, {}):
        raise NotFoundException(f"Resource {arn} does not exist.")
    tenant.resources.setdefault(arn, dt.datetime.now(dt.UTC).timestamp())
    return json.dumps({})


def list_resource_tenants(self: SESV2Response) -> str:
    arn = _body(self).get("ResourceArn", "")
    found = [
        {"TenantName": t.name, "TenantId": t.tenant_id, "ResourceArn": arn, "AssociatedTimestamp": t.resources[arn]}
        for t in v2_state(_core(self)).tenants.values()
        if arn in t.resources
    ]
    return json.dumps({"ResourceTenants": found})


def install() -> None:
    for method in (
        get_account,
        get_configuration_set,
        create_configuration_set_event_destination,
        get_configuration_set_event_destinations,
        create_tenant,
        create_tenant_resource_association,
        list_resource_tenants,
    ):
        setattr(SESV2Response, method.__name__, method)
    for path in PATHS:
        urls.url_paths.setdefault(path, SESV2Response.dispatch)
