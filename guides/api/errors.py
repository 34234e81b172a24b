"""Every error of the API as an RFC 9457 problem detail (application/problem+json)."""

from __future__ import annotations

import json
from http import HTTPStatus

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from guides.services import ConcurrentEditError

PROBLEM_CONTENT_TYPE = "application/problem+json"


class Problem(Exception):
    """An error to answer as a problem detail (raised by the API's own code)."""

    def __init__(self, status: int, detail: str = "", **extra):
        self.status = status
        self.detail = detail
        self.extra = extra
        super().__init__(detail)


def problem_response(
    status: int, detail: str = "", *, headers: dict | None = None, **extra
) -> HttpResponse:
    """Return a problem detail response: type, title, status, detail, extras."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": str(detail),
        **extra,
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _validation_errors(errors) -> list[dict]:
    """Return pydantic's errors with only their JSON-safe parts."""
    return [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in errors
    ]


def _messages(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            field: [str(message) for message in DjangoValidationError(errors).messages]
            for field, errors in exc.error_dict.items()
        }
    return {"__all__": [str(message) for message in exc.messages]}


def install(api) -> None:
    """Answer every exception the API's operations raise as a problem detail."""

    def handler(exc_class):
        return api.exception_handler(exc_class)

    @handler(Problem)
    def on_problem(request: HttpRequest, exc: Problem):
        return problem_response(exc.status, exc.detail, **exc.extra)

    @handler(NinjaValidationError)
    def on_invalid(request: HttpRequest, exc: NinjaValidationError):
        return problem_response(
            422,
            _("The request is not valid."),
            errors=_validation_errors(exc.errors),
        )

    @handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError):
        return problem_response(
            401,
            _("A valid API token of this help center is required."),
            headers={"WWW-Authenticate": 'Bearer realm="editor"'},
        )

    @handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError):
        return problem_response(exc.status_code, exc.message)

    @handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404):
        return problem_response(404, _("No such resource in this help center."))

    @handler(ObjectDoesNotExist)
    def on_missing(request: HttpRequest, exc: ObjectDoesNotExist):
        return problem_response(404, _("No such resource in this help center."))

    @handler(PermissionDenied)
    def on_denied(request: HttpRequest, exc: PermissionDenied):
        return problem_response(
            403, str(exc) or _("Your role in this help center does not allow this.")
        )

    @handler(ConcurrentEditError)
    def on_conflict(request: HttpRequest, exc: ConcurrentEditError):
        return problem_response(412, str(exc))

    @handler(DjangoValidationError)
    def on_refused(request: HttpRequest, exc: DjangoValidationError):
        messages = _messages(exc)
        detail = " ".join(message for items in messages.values() for message in items)
        return problem_response(422, detail, fields=messages)


def not_found(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Answer any other path under ``/api/v1/`` with a problem detail."""
    return problem_response(404, _("No such resource in this help center."))
