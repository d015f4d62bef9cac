"""A scenario region's sending world: SNS topics, SES identities, configuration sets, tenants,
the SES account and its statistics, and CloudWatch alarms.

Tenants and identity policies are created through the API (the seeding session, not the
audit's). Identities, which a large account holds by the thousand, are written to moto's SES
backend with the calls moto's own responses make (VerifyDomainIdentity, SetIdentityMailFromDomain,
... less the HTTP round trip, three to four of them an identity), and so are topics and their
subscriptions, configuration sets and their event destinations, and alarms (their round trips and
clients were about 0.1 s of a demo), as is what the API cannot set (statuses, sandbox and quotas, data
points, pending subscriptions, an identity's default configuration set). Every read of the audit
still goes through moto's API. docs/scenarios.md documents each key.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from botocore.exceptions import ClientError
from moto.cloudwatch.models import cloudwatch_backends
from moto.core.exceptions import JsonRESTError, ServiceException
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends

from golive.config import ConfigError
from golive.embedded.ses import account_state, set_identity_status, set_statistics
from golive.embedded.sesv2 import add_event_destination
from golive.embedded.sns import set_pending

Client = Callable[[str, str], Any]


@contextmanager
def refused_key(source: str, region: str, path: str) -> Iterator[None]:
    """What AWS refuses while seeding is a mistake in the scenario: name its key."""
    try:
        yield
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise _refused(source, region, path, error.get("Code"), error.get("Message")) from None
    except ServiceException as exc:  # what moto's backends raise, and its API answers with
        raise _refused(source, region, path, exc.code, exc.message) from None
    except JsonRESTError as exc:  # the same, as the older of moto's services raise it
        raise _refused(source, region, path, exc.error_type, exc.message) from None


def _refused(source: str, region: str, path: str, code: object, message: object) -> ConfigError:
    return ConfigError(f"{source}: key 'regions.{region}.{path}': the embedded account refused it ({code}: {message})")


class _Region:
    def __init__(self, client: Client, account_id: str, region: str, source: str) -> None:
        self.source = source
        self._client = client
        self._clients: dict[str, Any] = {}
        self.account_id = account_id
        self.region = region
        self.ses_backend = ses_backends[account_id][region]

    def key(self, path: str) -> AbstractContextManager[None]:
        return refused_key(self.source, self.region, path)

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self._client(service, self.region)
        return self._clients[service]

    def topic_arn(self, ref: str) -> str:
        return ref if ref.startswith("arn:") else f"arn:aws:sns:{self.region}:{self.account_id}:{ref}"

    def identity_arn(self, name: str) -> str:
        return f"arn:aws:ses:{self.region}:{self.account_id}:identity/{name}"

    def destination(self, spec: dict[str, Any]) -> dict[str, Any]:
        """A scenario event destination in the shape of the v2 API's EventDestination."""
        found: dict[str, Any] = {"Enabled": spec.get("enabled", True), "MatchingEventTypes": spec["events"]}
        if "sns" in spec:
            found["SnsDestination"] = {"TopicArn": self.topic_arn(spec["sns"])}
        elif spec.get("cloudwatch"):
            found["CloudWatchDestination"] = {
                "DimensionConfigurations": [
                    {
                        "DimensionName": "ses:configuration-set",
                        "DimensionValueSource": "MESSAGE_TAG",
                        "DefaultDimensionValue": "none",
                    }
                ]
            }
        elif spec.get("eventbridge"):
            found["EventBridgeDestination"] = {
                "EventBusArn": f"arn:aws:events:{self.region}:{self.account_id}:event-bus/default"
            }
        return found


def seed_region(client: Client, account_id: str, region: str, spec: dict[str, Any], source: str) -> None:
    """Seed one region of the scenario file `source`; a refused call is a ConfigError naming its key."""
    world = _Region(client, account_id, region, source)
    ses = spec.get("ses") or {}
    _topics(world, (spec.get("sns") or {}).get("topics") or {})
    _configuration_sets(world, ses.get("configuration_sets") or {})
    _identities(world, ses.get("identities") or {})
    _tenants(world, ses.get("tenants") or {})
    state = account_state(world.ses_backend)
    for key, value in (ses.get("account") or {}).items():  # the schema names AccountState's fields
        setattr(state, key, value)
    if "statistics" in ses:
        set_statistics(world.ses_backend, ses["statistics"] or [])
    _alarms(world, (spec.get("cloudwatch") or {}).get("alarms") or {})


def _topics(world: _Region, topics: dict[str, Any]) -> None:
    sns = sns_backends[world.account_id][world.region]
    for name, topic in topics.items():
        with world.key(f"sns.topics.{name}"):
            arn = sns.create_topic(name, attributes={}, tags={}).arn  # what CreateTopic passes without either
            for subscription in (topic or {}).get("subscriptions") or []:
                created = sns.subscribe(arn, subscription["endpoint"], subscription["protocol"])
                if not subscription.get("confirmed", True):
                    set_pending(sns, created.arn)


def _configuration_sets(world: _Region, sets: dict[str, Any]) -> None:
    for name, spec in sets.items():
        found = spec or {}
        with world.key(f"ses.configuration_sets.{name}"):
            # v2 CreateConfigurationSet's call, with the options the scenario does not set left out
            world.ses_backend.create_configuration_set_v2(
                configuration_set_name=name,
                tracking_options=None,
                delivery_options=None,
                reputation_options={"ReputationMetricsEnabled": found.get("reputation_metrics", False)},
                sending_options=None,
                tags=None,
                suppression_options=None,
                vdm_options=None,
            )
            for destination, dspec in (found.get("event_destinations") or {}).items():
                add_event_destination(world.ses_backend, name, {"Name": destination, **world.destination(dspec)})


def _identities(world: _Region, identities: dict[str, Any]) -> None:
    for name, identity in identities.items():
        with world.key(f"ses.identities.{name}"):
            _identity(world, name, identity or {})


def _identity(world: _Region, name: str, identity: dict[str, Any]) -> None:
    backend = world.ses_backend
    if "@" in name:
        backend.verify_email_identity(name)
    else:
        backend.verify_domain(name)  # VerifyDomainDkim's too: moto issues the tokens on the first read
    mail_from = identity.get("mail_from")
    if mail_from:
        backend.set_identity_mail_from_domain(
            name, mail_from["domain"], mail_from.get("behavior_on_mx_failure", "UseDefaultValue")
        )
    for kind, topic in (identity.get("notifications") or {}).items():
        backend.set_identity_notification_topic(name, kind.capitalize(), world.topic_arn(topic))
    set_identity_status(
        backend,
        name,
        verification=identity.get("verification", "SUCCESS"),
        dkim=identity.get("dkim", "SUCCESS" if "@" not in name else None),
        mail_from=mail_from.get("status", "SUCCESS") if mail_from else None,
    )
    for policy, document in (identity.get("policies") or {}).items():
        # sending authorization: moto's v2 call keeps it on the identity, where v1's reads find it
        world.client("sesv2").create_email_identity_policy(
            EmailIdentity=name, PolicyName=policy, Policy=json.dumps(document)
        )
    if identity.get("configuration_set"):
        # the v2 API sets it with PutEmailIdentityConfigurationSetAttributes, which moto lacks
        backend.email_identities[name].configuration_set_name = identity["configuration_set"]


def _tenants(world: _Region, tenants: dict[str, Any]) -> None:
    sesv2 = world.client("sesv2")
    for name, tenant in tenants.items():
        with world.key(f"ses.tenants.{name}"):
            sesv2.create_tenant(TenantName=name)
            for identity in (tenant or {}).get("identities") or []:
                sesv2.create_tenant_resource_association(TenantName=name, ResourceArn=world.identity_arn(identity))


def _alarms(world: _Region, alarms: dict[str, Any]) -> None:
    cloudwatch = cloudwatch_backends[world.account_id][world.region]
    for name, alarm in alarms.items():
        with world.key(f"cloudwatch.alarms.{name}"):
            # PutMetricAlarm's call, with the parameters the scenario does not set as the API leaves them
            cloudwatch.put_metric_alarm(
                name=name,
                namespace=alarm.get("namespace", "AWS/SES"),
                metric_name=alarm["metric"],
                comparison_operator=alarm.get("comparison", "GreaterThanOrEqualToThreshold"),
                evaluation_periods=1,
                period=3600,
                threshold=float(alarm["threshold"]),
                statistic="Average",
                description=None,
                dimensions=[],
                alarm_actions=[world.topic_arn(a) for a in alarm.get("actions") or []],
                ok_actions=[],
                insufficient_data_actions=[],
                actions_enabled=alarm.get("enabled", True),
                tags=[],
            )
