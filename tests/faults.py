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
from collections import Counter
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
    region: str = ""  # the region and service the request is signed for (SES's v1 and v2 both sign as ses)
    service: str = ""
    arrived: float = 0.0  # time.monotonic() when the proxy read it


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

THROTTLED = {"query": aws_error(400, "Throttling", "Rate exceeded"), "rest-json": aws_error(429, "TooManyRequestsException", "Too Many Requests")}


def rate_limited(service: str, per_second: float, slack: float = 0.1) -> Fault:
    """AWS's throttling of `service` in each region: a request that comes sooner than 1/per_second
    after the last one let through (less `slack`, for the loopback's jitter) is answered Throttling."""
    last: dict[str, float] = {}
    lock = threading.Lock()

    def fault(request: Request) -> Answer | None:
        if request.service != service:
            return None
        with lock:
            if request.arrived - last.get(request.region, -1e9) < 1.0 / per_second - slack:
                return THROTTLED[request.protocol]
            last[request.region] = request.arrived
        return None

    return fault


@dataclass
class FaultProxy:
    upstream: str  # the embedded server's endpoint URL
    fault: Fault = field(default=lambda request: None)
    seen: list[Request] = field(default_factory=list)
    forwarded: list[Request] = field(default_factory=list)  # those the fault let through
    latency: Callable[[Request], float] = lambda request: 0.0  # how long a forwarded request is held first
    most_regions_in_flight: int = 0  # the most regions with a forwarded request open at one moment
    _in_flight: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @contextmanager
    def _flying(self, request: Request) -> Iterator[None]:
        region = request.region
        with self._lock:
            self._in_flight[region] += 1
            self.most_regions_in_flight = max(self.most_regions_in_flight, len(+self._in_flight))
        try:
            time.sleep(self.latency(request))  # as an endpoint far away would
            yield
        finally:
            with self._lock:
                self._in_flight[region] -= 1

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
                arrived = time.monotonic()
                operation, protocol = operation_of(self.command, self.path, self.headers, body)
                request = Request(self.command, self.path, operation, protocol, *signed_for(self.headers), arrived)
                proxy.seen.append(request)
                answer = proxy.fault(request)
                if answer is None:
                    proxy.forwarded.append(request)
                    with proxy._flying(request):
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


def signed_for(headers: object) -> tuple[str, str]:
    """The region and service of SigV4's credential scope: `Credential=KEY/DATE/REGION/SERVICE/aws4_request`."""
    scope = re.search(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/", headers.get("Authorization") or "")  # type: ignore[attr-defined]
    return (scope.group(1), scope.group(2)) if scope else ("", "")


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
