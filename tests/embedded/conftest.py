"""The embedded account's additions, tested the way moto tests a service: real boto3 clients
against the real server, responses parsed by botocore and held to botocore's model."""

from embedded_account import embedded

__all__ = ["embedded"]
