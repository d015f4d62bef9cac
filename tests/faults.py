"""A fault-injecting HTTP proxy and DNS server on loopback, in front of the embedded account.

The proxy forwards every request unchanged, except the ones its `fault` picks: those get the
answer a real network or AWS endpoint can give (throttling, 5xx, a reset connection, no answer
at all, a 200 with a body that is not the API's, expired or invalid credentials, AccessDenied).
The request's operation is read the way AWS routes it: the query protocol's `Action`, the JSON
protocol's `X-Amz-Target`, or the REST path of the service's botocore model. `FaultDNS` does
the same for the embedded DNS server: SERVFAIL, REFUSED, silence, truncation, a CNAME loop.
"""

from __future__ import annotations

import http.client
import http.server
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import parse_qs, urlsplit

import dns.flags
import dns.message
import dns.query

from golive.aws import offline_botocore
from golive.embedded.dnsserver import LoopbackDNSServer


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    operation: str  # the API operation, e.g. GetAccount
    protocol: str  # query | json | rest-json: how the service words its errors


@dataclass(frozen=True)
class Answer:
    """What the proxy says instead of forwarding: an HTTP answer, a reset, or silence."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/xml"
    reset: bool = False  # close the connection without an answer
    hang: float = 0.0  # say nothing for this long first (the client's read timeout fires)
    error: tuple[str, str] | None = None  # an AWS error (code, message), worded in the request's protocol


def aws_error(status: int, code: str, message: str) -> Answer:
    return Answer(status=status, error=(code, message))


def _worded(answer: Answer, protocol: str) -> tuple[bytes, dict[str, str]]:
    """The body and headers of an AWS error as the service's protocol words it."""
    code, message = answer.error
    if protocol == "query":
        body = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
            "<RequestId>fault-proxy</RequestId></ErrorResponse>"
        )
        return body.encode(), {"Content-Type": "text/xml"}
    body = json.dumps({"__type": code, "message": message})
    return body.encode(), {"Content-Type": "application/json", "x-amzn-ErrorType": code}


Fault = Callable[[Request], Answer | None]  # None: forward the request unchanged


@dataclass
class FaultProxy:
    upstream: str  # the embedded server's endpoint URL
    fault: Fault = field(default=lambda request: None)
    seen: list[Request] = field(default_factory=list)

    @contextmanager
    def running(self) -> Iterator[str]:
        """Serve on a loopback port; yields the proxy's endpoint URL."""
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        proxy = self
        upstream = urlsplit(self.upstream)

        class Handler(http.server.BaseHTTPRequestHandler):
            # HTTP/1.0: one request per connection, so no handler thread outlives the run it served
            protocol_version = "HTTP/1.0"

            def _relay(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                request = Request(self.command, self.path, *operation_of(self.command, self.path, self.headers, body))
                proxy.seen.append(request)
                answer = proxy.fault(request)
                if answer is None:
                    self._forward(body)
                else:
                    self._answer(answer, request.protocol)

            def _forward(self, body: bytes) -> None:
                connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
                connection.request(self.command, self.path, body=body, headers=headers)
                reply = connection.getresponse()
                payload = reply.read()
                self.send_response(reply.status)
                for name, value in reply.getheaders():
                    if name.lower() not in ("connection", "transfer-encoding", "content-length", "server", "date"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                connection.close()

            def _answer(self, answer: Answer, protocol: str) -> None:
                if answer.hang:
                    time.sleep(answer.hang)
                if answer.reset:
                    # SO_LINGER 0: the close sends RST, what a dropped connection looks like to the client
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    self.close_connection = True
                    return
                body, headers = (answer.body, {"Content-Type": answer.content_type})
                if answer.error:
                    body, headers = _worded(answer, protocol)
                self.send_response(answer.status)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = _relay

            def log_message(self, *args: object) -> None:
                pass

            def handle_one_request(self) -> None:
                try:
                    super().handle_one_request()
                except (ConnectionError, TimeoutError):
                    self.close_connection = True  # the client gave up (its read timeout): nothing to answer

        return Handler


def operation_of(method: str, path: str, headers: object, body: bytes) -> tuple[str, str]:
    """The operation a request asks for, and its protocol."""
    target = headers.get("X-Amz-Target")  # type: ignore[attr-defined]
    if target:
        return target.rsplit(".", 1)[-1], "json"
    action = parse_qs(body.decode("utf-8", "replace")).get("Action")
    if action:
        return action[0], "query"
    return _rest_operation(method, urlsplit(path).path), "rest-json"


def _rest_operation(method: str, path: str) -> str:
    for operation, (verb, pattern) in _rest_routes().items():
        if verb == method and pattern.fullmatch(path):
            return operation
    return f"{method} {path}"


@cache
def _rest_routes() -> dict[str, tuple[str, re.Pattern[str]]]:
    # sesv2 is the one REST service golive reads; its operations are routed by method and path
    model = offline_botocore().get_service_model("sesv2")
    routes = {}
    for name in model.operation_names:
        http = model.operation_model(name).http
        uri = http["requestUri"].split("?")[0]
        routes[name] = (http["method"], re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(uri))))
    return routes


DnsFault = Callable[[dns.message.Message], dns.message.Message | str | None]
# what a DNS fault does with a query: None forwards it, "drop" never answers, a message is the answer


class FaultDNS(LoopbackDNSServer):
    """The embedded DNS server's sockets (UDP and TCP on one loopback port), forwarding every
    query to `upstream` except what `fault` changes; `rewrite` alters what is forwarded back.

    `tcp_only` truncates every UDP answer (TC, no records), so only a client that retries over
    TCP sees the records."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        super().__init__(zones=())
        self.upstream = upstream
        self.fault: DnsFault = lambda query: None
        self.tcp_only = False
        self.rewrite: Callable[[dns.message.Message], dns.message.Message] = lambda response: response

    def respond(self, wire: bytes, max_size: int | None) -> bytes | None:
        over_tcp = max_size is not None  # the server's contract: None means UDP
        query = dns.message.from_wire(wire)
        faulty = self.fault(query)
        if faulty == "drop":
            return None
        if isinstance(faulty, dns.message.Message):
            response = faulty
        else:
            ask = dns.query.tcp if over_tcp else dns.query.udp
            response = self.rewrite(ask(query, self.upstream[0], port=self.upstream[1], timeout=5))
        if self.tcp_only and not over_tcp:
            response = dns.message.make_response(query)
            response.flags |= dns.flags.TC
        if over_tcp:
            return response.to_wire(max_size=max_size)
        # too big for the client's UDP size: what fits, with TC set, as a server does
        return response.to_wire(max_size=max(512, query.payload), prefer_truncation=True)
