"""Call the WSGI application in this process, as a server would."""

from __future__ import annotations

import io

from django.core.signals import request_finished, request_started
from django.db import close_old_connections

# Loaded here, before any test patches a name the middleware imports.
from helpcenter.wsgi import application as wsgi_application


def call(
    path: str,
    *,
    host: str = "unknown.example",
    remote: str = "127.0.0.1",
    method: str = "GET",
    scheme: str = "http",
    headers: dict[str, str] | None = None,
    application=None,
) -> tuple[int, dict[str, str], bytes]:
    """Return ``(status, headers, body)`` of ``helpcenter.wsgi`` for one request."""
    application = application or wsgi_application
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "REMOTE_ADDR": remote,
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in (headers or {}).items():
        environ[f"HTTP_{name.upper().replace('-', '_')}"] = value
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = {name.lower(): value for name, value in response_headers}

    # As Django's test client does: a test's transaction must outlive the
    # request, so the connection is not closed at its start or end.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = application(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], body
