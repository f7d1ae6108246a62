"""The one error shape of the API, for every failure:

    {"error": {"code": "...", "message": "...", "fields": {"field": ["..."]}, "details": {}}}

``code`` is stable (clients switch on it); ``message`` is for people and translated;
``fields`` holds per-field messages of a validation failure (nested fields joined with
dots, ``non_field_errors`` for the rest); ``details`` carries what a client needs to
recover (``current`` for a stale version, ``problems`` for an incomplete submission,
``reason`` for a refused upload, ``errors`` for a malformed catalogue file, ``wait``
for throttling).

Status codes: 400 invalid input, 401 not authenticated, 403 not allowed, 404 not found
or out of scope, 405/406/415 protocol, 409 state conflicts (stale version, invalid
transition, not editable, other domain refusals), 413 request too large, 422
incomplete submission, 429 throttled or locked out.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from accreditation.core.errors import error_body, flatten_fields, refusal

logger = logging.getLogger(__name__)

#: Stable codes of the DRF exceptions (their default codes, renamed where unclear).
API_CODES: dict[type[exceptions.APIException], str] = {
    exceptions.ParseError: "parse_error",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


class LockedOut(exceptions.APIException):
    """Too many failed sign-ins for this user name from this address (django-axes)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = _("Too many failed sign-in attempts; try again later.")
    default_code = "locked_out"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request is too large.")
    default_code = "too_large"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER``: every known failure as the one error shape. Unknown
    exceptions return None, so Django logs them and answers 500."""
    headers: dict[str, str] = {}
    if (refused := refusal(exc)) is not None:
        # Domain errors, Django's ValidationError and PermissionDenied, not found: the
        # one mapping every interface shares (accreditation.core.errors).
        code = refused.status
        body = refused.body()
    elif isinstance(exc, exceptions.ValidationError):
        code = status.HTTP_400_BAD_REQUEST
        body = error_body(
            "invalid",
            _("The request is not valid; see the fields."),
            fields=flatten_fields(exc.detail),
        )
    elif isinstance(exc, RequestDataTooBig):
        return exception_handler(RequestTooLarge(), context)
    elif isinstance(exc, SuspiciousOperation):
        code = status.HTTP_400_BAD_REQUEST
        body = error_body("bad_request", _("The request was refused as malformed."))
    elif isinstance(exc, OverflowError):
        # A number too large for the database, past every bounded field: bad input.
        code = status.HTTP_400_BAD_REQUEST
        body = error_body("invalid", _("A number in the request is out of range."))
    elif isinstance(exc, exceptions.APIException):
        code = exc.status_code
        api_code = next(
            (name for cls, name in API_CODES.items() if isinstance(exc, cls)),
            exc.default_code,
        )
        details: dict[str, Any] = {}
        # Throttled.__init__ sets wait; the stubs leave the attribute out.
        wait = exc.wait if isinstance(exc, exceptions.Throttled) else None  # type: ignore[attr-defined]
        if wait is not None:
            details["wait"] = int(wait)
            headers["Retry-After"] = str(int(wait))
        # Set on the exception by APIView.handle_exception for 401s.
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            headers["WWW-Authenticate"] = auth_header
        detail = exc.detail
        message = detail if isinstance(detail, str) else str(exc.default_detail)
        fields = flatten_fields(detail) if isinstance(detail, dict | list) else None
        body = error_body(str(api_code), message, fields=fields, details=details)
    else:
        return None
    set_rollback()
    return Response(body, status=code, headers=headers)
