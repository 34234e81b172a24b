"""Compressed responses: gzip, and brotli where the client asks for it.

Two ways in, one rule for choosing (``choose_encoding``):

- a stored response (a public page, a rendition, a public API answer) is
  compressed once, when ``PageCacheMiddleware`` stores it: the entry holds
  the identity body and its ``br`` and ``gzip`` variants, each with its own
  ETag (``"<hash>"``, ``"<hash>-br"``, ``"<hash>-gzip"``: a strong validator
  per representation, so a cache never answers a 304 for the wrong
  encoding) and its own Content-Length. A hit, in Django or in
  ``PageCacheFront``, only picks the variant; nothing is compressed per hit.
- ``CompressionMiddleware`` compresses what is not stored (a page with a
  query string, search results, 404 pages), per response, at a lower
  brotli quality; its ETag becomes weak (``W/"<hash>"``), as Django's
  ``GZipMiddleware`` does, so the view's own If-None-Match check still
  matches it.

BREACH (a secret recovered from the compressed size of a response that also
reflects attacker input) needs a secret in the body. Public pages and the
public API carry none: they are the same for every reader (that is why they
can be stored and shared), and carry no CSRF token or session data. Responses
that may carry one are never compressed: anything under ``/admin/``, any
request with a session or CSRF cookie, any response that sets a cookie or is
``private``/``no-store`` (the editor API).
"""

from __future__ import annotations

import gzip

import brotli
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

#: Bodies shorter than this are sent as they are (the headers cost more).
MIN_SIZE = 256

#: Brotli quality for a stored response (once per page and content
#: generation: about 1 ms for a 16 kB page, within 10 % of quality 11's size)
#: and for one compressed per response.
STORED_BROTLI_QUALITY = 5
DYNAMIC_BROTLI_QUALITY = 4
GZIP_LEVEL = 6

#: Encodings in order of preference, with the suffix their ETag gets.
ENCODINGS = ("br", "gzip")

COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/problem+json",
    "application/xml",
    "application/javascript",
)


def is_compressible(content_type: str | None, content: bytes) -> bool:
    """Say whether a body of this type and size is worth compressing."""
    return (
        len(content) >= MIN_SIZE
        and bool(content_type)
        and content_type.startswith(COMPRESSIBLE_TYPES)
    )


def encode(content: bytes, encoding: str, *, stored: bool) -> bytes:
    """Return ``content`` compressed with ``encoding`` (``br`` or ``gzip``)."""
    if encoding == "br":
        quality = STORED_BROTLI_QUALITY if stored else DYNAMIC_BROTLI_QUALITY
        return brotli.compress(content, quality=quality)
    # mtime=0: the same body always compresses to the same bytes.
    return gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0)


def variant_etag(etag: str, encoding: str) -> str:
    """Return the ETag of ``encoding``'s variant: ``"<hash>-<encoding>"``."""
    weak = etag.startswith("W/")
    opaque = etag.removeprefix("W/")
    tagged = f'{opaque[:-1]}-{encoding}"' if opaque.endswith('"') else opaque
    return f"W/{tagged}" if weak else tagged


def stored_variants(
    content: bytes, content_type: str | None, etag: str
) -> dict[str, dict]:
    """Return the compressed variants of a body to store with it.

    ``{"br": {"content": ..., "etag": ...}, "gzip": {...}}``; empty for a
    body too small or of a type not worth it, and without an encoding that
    would not make the body smaller.
    """
    if not is_compressible(content_type, content):
        return {}
    variants = {}
    for encoding in ENCODINGS:
        body = encode(content, encoding, stored=True)
        if len(body) < len(content):
            variants[encoding] = {
                "content": body,
                "etag": variant_etag(etag, encoding),
            }
    return variants


def choose_encoding(accept_encoding: str | None, offered) -> str | None:
    """Return the encoding of ``offered`` the client accepts best, else None.

    ``Accept-Encoding`` with q-values (RFC 9110 12.5.3): ``q=0`` refuses, ``*``
    stands for any encoding not named; brotli wins a tie.
    """
    if not accept_encoding or not offered:
        return None
    qualities: dict[str, float] = {}
    for item in accept_encoding[:512].split(","):
        name, _sep, params = item.partition(";")
        name = name.strip().lower()
        if not name:
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _eq, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        qualities[name] = quality
    best, best_quality = None, 0.0
    for encoding in ENCODINGS:
        if encoding not in offered:
            continue
        quality = qualities.get(encoding, qualities.get("*", 0.0))
        if encoding == "gzip" and "gzip" not in qualities:
            quality = qualities.get("x-gzip", quality)
        if quality > best_quality:
            best, best_quality = encoding, quality
    return best


def may_compress(request: HttpRequest, response: HttpResponse) -> bool:
    """Say whether ``response`` carries nothing secret (see the module docstring)."""
    if request.path.startswith("/admin/"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or settings.CSRF_COOKIE_NAME in cookies:
        return False
    if response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return "private" not in cache_control and "no-store" not in cache_control


class CompressionMiddleware:
    """Compress public responses that are not stored, per response.

    Runs inside ``PageCacheMiddleware``: a response marked for storing is
    left alone and compressed once there, when it is stored.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            getattr(response, "page_cacheable", False)
            or response.streaming
            or response.has_header("Content-Encoding")
            or not may_compress(request, response)
        ):
            return response
        content = response.content
        if not is_compressible(response.get("Content-Type"), content):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        encoding = choose_encoding(request.META.get("HTTP_ACCEPT_ENCODING"), ENCODINGS)
        if encoding is None:
            return response
        body = encode(content, encoding, stored=False)
        if len(body) >= len(content):
            return response
        response.content = body
        response["Content-Encoding"] = encoding
        response["Content-Length"] = str(len(body))
        etag = response.get("ETag")
        if etag and not etag.startswith("W/"):
            # Weak, as Django's GZipMiddleware makes it: the view compared
            # If-None-Match with the identity tag before this ran, and a weak
            # comparison still matches it on the client's next request.
            response["ETag"] = f"W/{etag}"
        return response
