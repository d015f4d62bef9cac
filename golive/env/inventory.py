"""The environment matrix as the checks read it: the values of the service's variables, once per run.

A dotenv file or the process environment was read with the config; the deployed service's own
configuration is read here, on first use, through the guard and the call recorder like every
read: 1 ecs DescribeTaskDefinition, or 1 lambda GetFunctionConfiguration, per run. A read that
fails (AccessDenied, a task definition that does not exist) is could-not-see for every check
that needs the matrix, remembered for all of them.
"""

from __future__ import annotations

from golive.aws import AwsAccess, permission
from golive.backend.cases import region as backend_region
from golive.config import Config
from golive.env import deployed
from golive.env.matrix import Matrix, masked
from golive.errors import could_not_see
from golive.memo import Memo

READS = {
    deployed.ECS_READ: ("taskDefinition",),
    deployed.LAMBDA_READ: ("FunctionArn",),
}


class EnvInventory:
    def __init__(self, access: AwsAccess, config: Config) -> None:
        self._access = access
        self._config = config
        self._cached = Memo()

    def matrix(self) -> Matrix:
        """The service's variables and where they were read."""
        local = self._config.env_matrix
        if local is not None:
            return local
        return self._cached("matrix", self._read_deployed)

    def _read_deployed(self) -> Matrix:
        section = self._config.data["env_matrix"]
        service = deployed.deployed_source(section, backend_region(self._config))
        assert service is not None  # a config without a local source names a deployed one
        variables = self._config.env_variables
        if service.kind == "ecs":
            with could_not_see(permission(*deployed.ECS_READ), f"read the environment of {service.describe()}"):
                ecs = self._access.client("ecs", service.region)
                answer = ecs.describe_task_definition(taskDefinition=service.name)["taskDefinition"]
            return masked(deployed.from_task_definition(service, answer, variables))
        name, _, qualifier = service.name.partition(":")
        with could_not_see(permission(*deployed.LAMBDA_READ), f"read the environment of {service.describe()}"):
            params = {"FunctionName": name, **({"Qualifier": qualifier} if qualifier else {})}
            answer = self._access.client("lambda", service.region).get_function_configuration(**params)
        return masked(deployed.from_function(service, answer, variables))
