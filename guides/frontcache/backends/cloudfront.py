"""Amazon CloudFront: an invalidation of the tenant's paths.

CloudFront has no surrogate keys, so a purge invalidates every path (``/*``)
of the distributions serving the tenant: coarser than the other backends,
and each invalidation path is billed past the free tier. Options:
``DISTRIBUTION_ID`` (one id, or a dict of host name -> id, as in Wagtail:
then only the distributions of the tenant's hosts are invalidated),
``ACCESS_KEY_ID``, ``SECRET_ACCESS_KEY`` (requests are signed with AWS
Signature Version 4), ``API_URL`` (default
``https://cloudfront.amazonaws.com``, tests point it at a local server).
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import UTC, datetime
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from guides.frontcache.backends import FrontendCacheBackend

API_URL = "https://cloudfront.amazonaws.com"
API_VERSION = "2020-05-31"
#: CloudFront is a global service, signed in this region.
REGION = "us-east-1"


class CloudFrontBackend(FrontendCacheBackend):
    def distributions(self, tenant_id: int) -> list[str]:
        configured = self.option("DISTRIBUTION_ID")
        if isinstance(configured, str):
            return [configured]
        from guides.models import Domain

        hosts = Domain.objects.filter(tenant_id=tenant_id).values_list(
            "host", flat=True
        )
        return sorted({configured[host] for host in hosts if host in configured})

    def purge(self, *, tenant_id: int, keys: list[str]) -> None:
        base = self.params.get("API_URL", API_URL).rstrip("/")
        for distribution in self.distributions(tenant_id):
            url = f"{base}/{API_VERSION}/distribution/{distribution}/invalidation"
            body = invalidation_batch(
                ["/*"], reference=f"{'-'.join(keys[:3])}-{uuid.uuid4().hex}"
            )
            headers = sign(
                "POST",
                url,
                body,
                access_key=self.option("ACCESS_KEY_ID"),
                secret_key=self.option("SECRET_ACCESS_KEY"),
                now=datetime.now(UTC),
            )
            self.send("POST", url, headers=headers, body=body)


def invalidation_batch(paths: list[str], *, reference: str) -> bytes:
    items = "".join(f"<Path>{escape(path)}</Path>" for path in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<InvalidationBatch xmlns="http://cloudfront.amazonaws.com/doc/{API_VERSION}/">'
        f"<Paths><Quantity>{len(paths)}</Quantity><Items>{items}</Items></Paths>"
        f"<CallerReference>{escape(reference[:128])}</CallerReference>"
        "</InvalidationBatch>"
    ).encode()


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def sign(
    method: str,
    url: str,
    body: bytes,
    *,
    access_key: str,
    secret_key: str,
    now: datetime,
) -> dict[str, str]:
    """Return the headers of an AWS Signature Version 4 request to CloudFront."""
    parts = urlsplit(url)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    day = amz_date[:8]
    payload_hash = hashlib.sha256(body).hexdigest()
    headers = {
        "host": parts.netloc,
        "x-amz-content-sha256": payload_hash,
        "x-amz-date": amz_date,
    }
    signed = ";".join(sorted(headers))
    canonical = "\n".join(
        [
            method,
            parts.path or "/",
            parts.query,
            "".join(f"{name}:{headers[name]}\n" for name in sorted(headers)),
            signed,
            payload_hash,
        ]
    )
    scope = f"{day}/{REGION}/cloudfront/aws4_request"
    to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256",
            amz_date,
            scope,
            hashlib.sha256(canonical.encode()).hexdigest(),
        ]
    )
    key = _hmac(
        _hmac(_hmac(_hmac(f"AWS4{secret_key}".encode(), day), REGION), "cloudfront"),
        "aws4_request",
    )
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return {
        "Content-Type": "text/xml",
        "X-Amz-Date": amz_date,
        "X-Amz-Content-Sha256": payload_hash,
        "Authorization": (
            f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, "
            f"SignedHeaders={signed}, Signature={signature}"
        ),
    }
