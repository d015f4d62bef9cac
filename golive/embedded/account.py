"""The embedded AWS account: moto's real server in this process, a DNS server on loopback,
both seeded from a scenario, and read-only auditor credentials for the audit.

Seeding is the world being set up, not the audit: IAM, RDS instances, deployments and the
rest of SES go through the API (a separate, unguarded session); identities, topics,
configuration sets, alarms, secrets, log groups and queues are written to moto's backends with
the calls moto's own responses make, as is what the API cannot set (identity statuses, sandbox
and quotas, statistics, pending subscriptions), as docs/scenarios.md explains;
golive/embedded/ses_seed.py seeds a region's SES, SNS and CloudWatch state, and
golive/embedded/backend_seed.py the rest. Every read of the audit goes through moto's API.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
from botocore.config import Config as BotoConfig

from golive.aws import embedded_session
from golive.embedded.dnsserver import LoopbackDNSServer
from golive.embedded.scenario import DEFAULT_ACCOUNT, DEFAULT_AUDITOR, Scenario
from golive.embedded.zones import world_zones, zone_delays
from golive.threads import at_once

# moto's documented fake credentials: they can only ever reach the embedded server.
SEED_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@dataclass(frozen=True)
class AuditorCredentials:
    access_key_id: str
    secret_access_key: str

    def __repr__(self) -> str:  # never print the secret, even in a traceback
        return f"AuditorCredentials(access_key_id={self.access_key_id!r}, secret_access_key='***')"


class EmbeddedAccount:
    """Start with `start()`; `endpoint_url`, `auditor` and `dns_address` are then ready."""

    def __init__(self, scenario: Scenario, auditor_policy: dict[str, Any]) -> None:
        self.scenario = scenario
        self._auditor_policy = auditor_policy
        self._server: Any = None
        self.dns: LoopbackDNSServer | None = None
        self.endpoint_url = ""
        self.auditor: AuditorCredentials | None = None
        # the fake keys and nothing else: not the user's AWS_PROFILE, ~/.aws/config or default session
        self._seed_session = embedded_session(
            SEED_CREDENTIALS["aws_access_key_id"], SEED_CREDENTIALS["aws_secret_access_key"]
        )
        self._environ_before: dict[str, str | None] = {}  # what stop() puts back
        self._stopped: Callable[[], None] | None = None  # waits for the servers once stop_serving() began

    def start(self) -> EmbeddedAccount:
        if self.scenario.account_id != DEFAULT_ACCOUNT:
            self._setenv("MOTO_ACCOUNT_ID", self.scenario.account_id)
        try:
            self._start()
        except BaseException:
            self.stop()  # a scenario the account refuses must not leave its server running
            raise
        return self

    def _start(self) -> None:
        from moto.server import ThreadedMotoServer  # imported late: MOTO_ACCOUNT_ID is read at import

        from golive.embedded import install

        # moto loads the AWS-managed policies it ships (about 0.5 s) only when told to, at each reset
        os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true" if self.scenario.aws_managed_policies() else "false"
        # nor the public AMIs of a region (about 0.05 s), which an RDS instance's default VPC loads
        # with it: a scenario holds no EC2, and no check reads it
        os.environ["MOTO_EC2_LOAD_DEFAULT_AMIS"] = "false"
        install()
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = _promptly_stopped(ThreadedMotoServer)(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint_url = f"http://{host}:{port}"
        self._reset()
        self._set_auth(enforced=False)  # moto's auth switch is process-wide: seed with it off
        self._seed_iam()
        self._seed_ses()
        zones = world_zones(self.scenario)
        self.auditor = self._create_auditor()
        self._set_auth(enforced=True)
        self.dns = LoopbackDNSServer(zones, delay=zone_delays(self.scenario)).start()

    def stop_serving(self) -> None:
        """Begin to stop both servers, which `stop()` then waits for: each loop notices within its poll,
        and the run can write its reports meanwhile."""
        if self._stopped is None:
            if self._server is not None:
                self._set_auth(enforced=False)  # leave the process as moto found it
            self._stopped = at_once(server.stop for server in (self.dns, self._server) if server is not None)

    def stop(self) -> None:
        self.stop_serving()
        self._stopped()
        self.dns = self._server = self._stopped = None
        # moto reads MOTO_ACCOUNT_ID on every request: the next account in this process must not inherit it
        for name, value in self._environ_before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._environ_before = {}

    def _setenv(self, name: str, value: str) -> None:
        self._environ_before.setdefault(name, os.environ.get(name))
        os.environ[name] = value

    @property
    def dns_address(self) -> tuple[str, int] | None:
        return self.dns.address if self.dns else None

    # --- seeding -------------------------------------------------------------

    def _client(self, service: str, region: str = "us-east-1") -> Any:
        return self._seed_session.client(
            service,
            region_name=region,
            endpoint_url=self.endpoint_url,
            config=BotoConfig(retries={"total_max_attempts": 1}),
        )

    def _reset(self) -> None:
        requests.post(f"{self.endpoint_url}/moto-api/reset", timeout=10).raise_for_status()

    def _set_auth(self, enforced: bool) -> None:
        # moto checks every request against IAM once the no-auth allowance is 0
        body = b"0" if enforced else b"inf"
        requests.post(f"{self.endpoint_url}/moto-api/reset-auth", data=body, timeout=10).raise_for_status()

    def _policy_arn(self, ref: str) -> str:
        return ref if ref.startswith("arn:") else f"arn:aws:iam::{self.scenario.account_id}:policy/{ref}"

    def _seed_iam(self) -> None:
        iam = self._client("iam")
        spec = self.scenario.iam
        for name, document in (spec.get("policies") or {}).items():
            iam.create_policy(PolicyName=name, PolicyDocument=json.dumps(document))
        for name, group in (spec.get("groups") or {}).items():
            iam.create_group(GroupName=name)
            self._grant(iam, "group", name, group or {})
        for name, user in (spec.get("users") or {}).items():
            user = user or {}
            iam.create_user(UserName=name)
            self._grant(iam, "user", name, user)
            for group in user.get("groups") or []:
                iam.add_user_to_group(GroupName=group, UserName=name)
            for _ in range(user.get("access_keys", 0)):
                iam.create_access_key(UserName=name)
        for name, role in (spec.get("roles") or {}).items():
            role = role or {}
            trust = {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": role.get("service", "ecs-tasks.amazonaws.com")},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
            params = {"RoleName": name, "Path": role.get("path", "/"), "AssumeRolePolicyDocument": json.dumps(trust)}
            if role.get("boundary"):
                params["PermissionsBoundary"] = self._policy_arn(role["boundary"])
            iam.create_role(**params)
            self._grant(iam, "role", name, role)

    def _grant(self, iam: Any, kind: str, name: str, spec: dict[str, Any]) -> None:
        """A user's, group's or role's inline and managed policies, as the scenario lists them."""
        entity = {f"{kind.title()}Name": name}
        for policy, document in (spec.get("inline") or {}).items():
            getattr(iam, f"put_{kind}_policy")(**entity, PolicyName=policy, PolicyDocument=json.dumps(document))
        for ref in spec.get("managed") or []:
            getattr(iam, f"attach_{kind}_policy")(**entity, PolicyArn=self._policy_arn(ref))

    def _seed_ses(self) -> None:
        from golive.embedded.backend_seed import seed_backend
        from golive.embedded.ses_seed import seed_region

        for region, spec in self.scenario.regions.items():
            seed_region(self._client, self.scenario.account_id, region, spec, str(self.scenario.path))
            seed_backend(self._client, self.scenario.account_id, region, spec, str(self.scenario.path))

    def _create_auditor(self) -> AuditorCredentials:
        iam = self._client("iam")
        name = self.scenario.auditor.get("user", DEFAULT_AUDITOR)
        iam.create_user(UserName=name)
        self._grant(
            iam, "user", name, {"inline": self.scenario.auditor.get("inline") or {"golive-audit": self._auditor_policy}}
        )
        key = iam.create_access_key(UserName=name)["AccessKey"]
        return AuditorCredentials(key["AccessKeyId"], key["SecretAccessKey"])



def _promptly_stopped(server: type) -> type:
    """moto's threaded server (`server`, imported late), polling for `stop()` every 50 ms rather than
    werkzeug's 0.5 s, which every run otherwise waited out at its end."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    class Prompt(server):  # type: ignore[misc, valid-type]
        def _server_entry(self) -> None:  # moto's own, but for the poll interval
            app = DomainDispatcherApplication(create_backend_app)
            self._server = make_server(self._ip_address, self._port, app, True, request_handler=MotoRequestHandler)
            self._server_ready_event.set()
            self._server.serve_forever(poll_interval=0.05)

    return Prompt
