"""Proof that a tenant controls a host name: a DNS TXT record or an HTTP file.

Each (tenant, host) pair has its own token, derived from ``SECRET_KEY``, so
nothing is stored and one tenant's token proves nothing for another. The
owner publishes it in one of two places:

- a TXT record ``_helpcenter-verification.<host>`` with the value
  ``helpcenter-verification=<token>``;
- a file ``http://<host>/.well-known/helpcenter-verification.txt`` holding the
  token, served by the host's current web server. This help center never
  serves that file itself, so pointing a host at it proves nothing.

The checks are made by the class named in ``HELPCENTER_DOMAIN_VERIFIER``
(``DomainVerifier``, real DNS and HTTP, by default); tests name a subclass
that resolves host names to local servers. Every network fault becomes a
``VerificationFailed`` with a message for the manager, never an error page.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import dns.exception
import dns.resolver
from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

TXT_PREFIX = "_helpcenter-verification"
TXT_VALUE_PREFIX = "helpcenter-verification="
HTTP_PATH = "/.well-known/helpcenter-verification.txt"
DEFAULT_VERIFIER = "guides.tenancy.verification.DomainVerifier"
REDIRECTS = frozenset({301, 302, 303, 307, 308})


def verification_token(tenant_id: int, host: str) -> str:
    """Return the token that proves ``host`` belongs to tenant ``tenant_id``."""
    return salted_hmac(
        "guides.tenancy.verification", f"{tenant_id}:{host}", algorithm="sha256"
    ).hexdigest()[:40]


@dataclass(frozen=True)
class Instructions:
    """What the owner of ``host`` publishes, in either of the two places."""

    host: str
    token: str
    txt_name: str
    txt_value: str
    http_url: str


def instructions(tenant_id: int, host: str) -> Instructions:
    token = verification_token(tenant_id, host)
    return Instructions(
        host=host,
        token=token,
        txt_name=f"{TXT_PREFIX}.{host}",
        txt_value=f"{TXT_VALUE_PREFIX}{token}",
        http_url=f"http://{host}{HTTP_PATH}",
    )


class VerificationFailed(Exception):
    """The proof was not found; ``message`` tells the manager why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to an address resolved and checked beforehand.

    Connecting to that address, not the name, means a second lookup cannot
    swap in an address the policy refused (DNS rebinding).
    """

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection(self._address, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        sock = socket.create_connection(self._address, self.timeout)
        # The certificate must name the host, whatever address answered.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class DomainVerifier:
    """Look for a host's verification token in DNS and over HTTP."""

    #: Seconds for each DNS lookup and each network operation.
    timeout = 5.0
    #: Hops followed on the same host (http to https, a path that moved).
    max_redirects = 3
    #: Bytes of the file read: a token file is one line.
    max_body = 4096
    #: Private, loopback and link-local addresses are refused by default, so
    #: a manager cannot make the server request its own network.
    allow_private_addresses = False

    def verify(self, *, tenant_id: int, host: str) -> str:
        """Return how ``host`` was proven ("dns" or "http").

        Raise VerificationFailed, with the reason of each check, when
        neither proof is found.
        """
        token = verification_token(tenant_id, host)
        reasons = []
        for method, check in (("dns", self.check_dns), ("http", self.check_http)):
            try:
                check(host, token)
            except VerificationFailed as failed:
                reasons.append(failed.message)
            else:
                return method
        raise VerificationFailed(" ".join(reasons))

    # --- DNS ----------------------------------------------------------------

    def dns_resolver(self) -> dns.resolver.Resolver:
        """Return the resolver for TXT lookups (the system's by default)."""
        return dns.resolver.Resolver()

    def txt_records(self, name: str) -> list[str]:
        resolver = self.dns_resolver()
        answer = resolver.resolve(name, "TXT", lifetime=self.timeout, search=False)
        return [
            b"".join(record.strings).decode("utf-8", "replace").strip()
            for record in answer
        ]

    def check_dns(self, host: str, token: str) -> None:
        name = f"{TXT_PREFIX}.{host}"
        try:
            values = self.txt_records(name)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            values = []
        except dns.exception.DNSException:
            raise VerificationFailed(
                _("The DNS record %(name)s could not be looked up.") % {"name": name}
            ) from None
        if f"{TXT_VALUE_PREFIX}{token}" in values:
            return
        raise VerificationFailed(
            _("The DNS record %(name)s with this help center's token was not found.")
            % {"name": name}
        )

    # --- HTTP ---------------------------------------------------------------

    def resolve(self, host: str, port: int) -> list[tuple[str, int]]:
        """Return the (address, port) pairs ``host`` resolves to."""
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        return [(info[4][0], info[4][1]) for info in infos]

    def _addresses(self, host: str, port: int) -> list[tuple[str, int]]:
        try:
            found = self.resolve(host, port)
        except (OSError, UnicodeError):
            found = []
        allowed = [
            (address, port)
            for address, port in found
            if self.allow_private_addresses or ipaddress.ip_address(address).is_global
        ]
        if not allowed:
            raise VerificationFailed(
                _("%(host)s does not resolve to a public address.") % {"host": host}
            )
        return allowed

    def _get(self, scheme: str, host: str, path: str):
        port = 443 if scheme == "https" else 80
        connection_class = (
            _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        )
        address = self._addresses(host, port)[0]
        connection = connection_class(host, port, address=address, timeout=self.timeout)
        try:
            connection.request("GET", path, headers={"User-Agent": "helpcenter"})
            response = connection.getresponse()
            body = response.read(self.max_body)
            return response.status, response.getheader("Location", ""), body
        finally:
            connection.close()

    def check_http(self, host: str, token: str) -> None:
        scheme, path = "http", HTTP_PATH
        url = f"http://{host}{HTTP_PATH}"
        for _hop in range(self.max_redirects + 1):
            url = f"{scheme}://{host}{path}"
            try:
                status, location, body = self._get(scheme, host, path)
            except (OSError, http.client.HTTPException, ssl.SSLError):
                raise VerificationFailed(
                    _("%(url)s could not be fetched.") % {"url": url}
                ) from None
            if status in REDIRECTS:
                target = urlsplit(urljoin(url, location))
                if not _same_host(target, host):
                    raise VerificationFailed(
                        _(
                            "%(url)s redirects to another host; the file must be "
                            "on %(host)s itself."
                        )
                        % {"url": url, "host": host}
                    )
                scheme = target.scheme
                path = target.path or "/"
                if target.query:
                    path = f"{path}?{target.query}"
                continue
            if status == 200 and token in body.decode("utf-8", "replace").split():
                return
            raise VerificationFailed(
                _("The file %(url)s with this help center's token was not found.")
                % {"url": f"http://{host}{HTTP_PATH}"}
            )
        raise VerificationFailed(_("%(url)s redirects too many times.") % {"url": url})


def _same_host(target, host: str) -> bool:
    """Return whether a redirect ``target`` stays on ``host``'s default ports."""
    try:
        port = target.port
    except ValueError:
        return False
    return (
        target.scheme in ("http", "https")
        and (target.hostname or "").lower() == host
        and port in (None, 443 if target.scheme == "https" else 80)
    )


def get_verifier() -> DomainVerifier:
    """Return the verifier named by ``HELPCENTER_DOMAIN_VERIFIER``."""
    path = getattr(settings, "HELPCENTER_DOMAIN_VERIFIER", DEFAULT_VERIFIER)
    return import_string(path)()
