"""The django-ninja API object: routers, error handlers, docs and their policy."""

from __future__ import annotations

import functools

from django.conf import settings
from django.utils.csp import CSP
from ninja import NinjaAPI
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from guides.api import editor, errors, public


def docs_policy(view):
    """Give the Swagger page a policy that admits its own inline styles.

    Swagger UI (served from this host by django-ninja's static files, no CDN)
    styles its widgets inline and shows data: images; nothing else is allowed
    beyond the site's policy.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        policy = dict(settings.SECURE_CSP)
        policy["script-src"] = [CSP.SELF]
        policy["style-src"] = [CSP.SELF, CSP.UNSAFE_INLINE]
        policy["img-src"] = [CSP.SELF, "data:", "https:"]
        policy["connect-src"] = [CSP.SELF]
        response._csp_config = policy
        return response

    return wrapper


class BodyParser(Parser):
    """JSON bodies; an empty one is an empty object (``POST .../submit``)."""

    def parse_body(self, request):
        if not request.body.strip():
            return {}
        return super().parse_body(request)


class UTF8JSONRenderer(JSONRenderer):
    """JSON as UTF-8 text, not ``\\uXXXX`` escapes (RFC 8259 requires UTF-8).

    Chinese text escaped takes six bytes a character instead of three: the
    demo's procedure detail is 12 kB instead of 19 kB, smaller than its page.
    """

    json_dumps_params = {"ensure_ascii": False}


class HelpCenterAPI(NinjaAPI):
    """django-ninja's API whose schema says errors are problem details."""

    def get_openapi_schema(self, *args, **kwargs):
        """Return the generated schema, error bodies as application/problem+json.

        django-ninja names every body ``application/json``; the errors of this
        API are RFC 9457 problem details, and the schema must say so for a
        client (and schemathesis) to accept them.
        """
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[errors.PROBLEM_CONTENT_TYPE] = content.pop(
                            "application/json"
                        )
        return schema


api = HelpCenterAPI(
    title="Help center API",
    version="1",
    description=(
        "Published procedures of this help center, and its editors' drafts "
        "(with an API token). Errors are RFC 9457 problem details."
    ),
    urls_namespace="api-1",
    docs_decorator=docs_policy,
    parser=BodyParser(),
    renderer=UTF8JSONRenderer(),
)
errors.install(api)
api.add_router("/", public.router)
api.add_router("/editor/", editor.router)
