"""The DNS self-tests query real servers on loopback, and only there."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any packet to anywhere but loopback fails the test: the proof of no network, checkdmarc's
    lookups included (the server's replies go to the clients' loopback ports, so the host is
    what is checked)."""

    def guard(original: Callable[..., Any]) -> Callable[..., Any]:
        def checked(self: socket.socket, *args: Any) -> Any:
            address = args[-1]
            assert address[0] == "127.0.0.1", f"a packet to {address} would have left the machine"
            return original(self, *args)

        return checked

    monkeypatch.setattr(socket.socket, "sendto", guard(socket.socket.sendto))
    monkeypatch.setattr(socket.socket, "connect", guard(socket.socket.connect))
