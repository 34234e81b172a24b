"""Real HTTP and DNS servers on 127.0.0.1 for the domain-verification tests.

The verifier under test does its real network work against these; only the
host-to-address mapping is replaced (``LocalVerifier``), as a resolver would
answer it.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.resolver
import dns.rrset

from guides.tenancy.verification import DomainVerifier


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class HTTPServer:
    """A threaded HTTP server answering ``routes[(host, path)]``, else 404."""

    def __init__(self):
        self.routes: dict[tuple[str, str], Route] = {}
        self.requests: list[tuple[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                host = (self.headers.get("Host") or "").split(":")[0]
                server.requests.append((host, self.path))
                route = server.routes.get((host, self.path), Route(404, b"not here"))
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        # A short poll, so that shutdown() returns at once.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
        )

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


class DNSServer:
    """A UDP DNS server answering TXT queries from ``records``, else NXDOMAIN."""

    def __init__(self):
        self.records: dict[str, list[str]] = {}
        self.queries: list[str] = []
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.settimeout(0.02)
        self.port = self._socket.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self):
        while not self._stop.is_set():
            try:
                wire, client = self._socket.recvfrom(4096)
            except TimeoutError:
                continue
            query = dns.message.from_wire(wire)
            question = query.question[0]
            name = question.name.to_text(omit_final_dot=True).lower()
            self.queries.append(name)
            response = dns.message.make_response(query)
            response.flags |= dns.flags.AA
            texts = self.records.get(name)
            if texts is None:
                response.set_rcode(dns.rcode.NXDOMAIN)
            elif question.rdtype == dns.rdatatype.TXT:
                response.answer.append(
                    dns.rrset.from_text_list(
                        question.name, 60, "IN", "TXT", [f'"{t}"' for t in texts]
                    )
                )
            self._socket.sendto(response.to_wire(), client)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._socket.close()


class LocalVerifier(DomainVerifier):
    """The real verifier, with host names resolved to the servers above.

    ``http_port`` and ``dns_port`` are set by the test's fixture. Loopback
    addresses are what the stubbed resolution returns, so they are allowed.
    """

    http_port: int | None = None
    dns_port: int | None = None
    allow_private_addresses = True
    timeout = 2.0

    def resolve(self, host: str, port: int) -> list[tuple[str, int]]:
        if self.http_port is None:
            raise OSError(f"{host} does not resolve")
        return [("127.0.0.1", self.http_port)]

    def txt_records(self, name: str) -> list[str]:
        if self.dns_port is None:
            raise dns.resolver.NXDOMAIN
        return super().txt_records(name)

    def dns_resolver(self) -> dns.resolver.Resolver:
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = ["127.0.0.1"]
        resolver.port = self.dns_port
        return resolver
