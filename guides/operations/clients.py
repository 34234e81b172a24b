"""The reader's address, through trusted proxies only.

``HELPCENTER_TRUSTED_PROXIES`` says which hops in front of the application
may be believed about the address they received a request from:

- empty (the default): none. ``X-Forwarded-For`` is ignored and the
  connecting address (``REMOTE_ADDR``) is the reader's.
- a number N: exactly N proxies stand in front, each appending the address
  it saw to ``X-Forwarded-For``; the reader is the N-th entry from the right.
  Entries further left were written by the client and are never read.
- networks (``10.0.0.0/8,192.168.1.5``): a connecting address in one of them
  is a proxy; the header is walked from the right past every address in
  them, and the first one outside is the reader's.

A header that is missing, too short or holds something that is not an
address never yields an address of the client's choosing: the answer falls
back to the nearest hop that was believed.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def parse_trusted_proxies(value: tuple[str, ...]) -> int | tuple[Network, ...]:
    """Return a hop count or the trusted networks for the setting's items."""
    items = tuple(item.strip() for item in value if item.strip())
    if len(items) == 1 and items[0].isdigit():
        return int(items[0])
    try:
        return tuple(ipaddress.ip_network(item, strict=False) for item in items)
    except ValueError as error:
        raise ImproperlyConfigured(
            "HELPCENTER_TRUSTED_PROXIES must be a number of proxy hops or a "
            f"comma-separated list of networks: {error}"
        ) from None


def trusted_proxies() -> int | tuple[Network, ...]:
    """Return the trusted proxies setting, parsed."""
    value = settings.HELPCENTER_TRUSTED_PROXIES
    if isinstance(value, str):
        value = value.split(",")
    return parse_trusted_proxies(tuple(str(item) for item in value))


def normalised(value: str) -> str | None:
    """Return ``value`` as a canonical IP address, or None if it is not one."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


def client_address(request_or_environ) -> str:
    """Return the reader's address for a request or a WSGI environ ("" if none)."""
    meta = getattr(request_or_environ, "META", request_or_environ)
    remote = normalised(meta.get("REMOTE_ADDR") or "")
    if remote is None:
        return ""
    trust = trusted_proxies()
    if not trust:
        return remote
    forwarded = [
        item for item in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if item
    ]
    if isinstance(trust, int):
        if len(forwarded) < trust:
            return remote
        return normalised(forwarded[-trust]) or remote
    address = remote
    for hop in [*reversed(forwarded), None]:
        ip = ipaddress.ip_address(address)
        if not any(ip in network for network in trust):
            return address
        nearer = normalised(hop) if hop is not None else None
        if nearer is None:
            return address  # The header ends or holds junk: the last proxy's.
        address = nearer
    return address
